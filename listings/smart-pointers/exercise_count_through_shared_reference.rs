// Fix it: a cache that counts its lookups, used through shared references.
struct Cache {
    answer: u64,
    lookups: u32,
}

impl Cache {
    fn get(&self) -> u64 {
        self.lookups += 1;
        self.answer
    }

    fn lookups(&self) -> u32 {
        self.lookups
    }
}

fn main() {
    let cache = Cache {
        answer: 42,
        lookups: 0,
    };
    let (parser, writer) = (&cache, &cache); // two parts of the program share the cache
    assert_eq!(parser.get() + writer.get(), 84);
    assert_eq!(cache.lookups(), 2);
}
