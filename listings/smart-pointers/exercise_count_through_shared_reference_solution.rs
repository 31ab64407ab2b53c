// The count is bookkeeping, not part of the cache's answer: a Cell lets `get` keep `&self`.
use std::cell::Cell;

struct Cache {
    answer: u64,
    lookups: Cell<u32>,
}

impl Cache {
    fn get(&self) -> u64 {
        self.lookups.set(self.lookups.get() + 1);
        self.answer
    }

    fn lookups(&self) -> u32 {
        self.lookups.get()
    }
}

fn main() {
    let cache = Cache {
        answer: 42,
        lookups: Cell::new(0),
    };
    let (parser, writer) = (&cache, &cache); // two parts of the program share the cache
    assert_eq!(parser.get() + writer.get(), 84);
    assert_eq!(cache.lookups(), 2);
}
