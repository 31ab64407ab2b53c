// Cell<T>: change a value through a shared reference by moving values in and out.
use std::cell::Cell;
use std::mem::size_of;

struct Counter {
    hits: Cell<u32>,
}

impl Counter {
    fn hit(&self) {
        // `&self`, not `&mut self`: the Cell is what allows the change.
        self.hits.set(self.hits.get() + 1);
    }
}

fn main() {
    let counter = Counter { hits: Cell::new(0) };
    let r1 = &counter;
    let r2 = &counter; // two shared references, both may record hits
    r1.hit();
    r2.hit();
    r1.hit();
    println!("hits = {}", counter.hits.get()); // get copies the value out (needs T: Copy)

    let old = counter.hits.replace(100); // put a new value in, get the old one back
    println!("replaced {old} with {}", counter.hits.get());

    let taken = counter.hits.take(); // leaves Default::default() (0) behind
    println!("took {taken}, left {}", counter.hits.get());

    assert_eq!(size_of::<Cell<u32>>(), size_of::<u32>()); // no flag, no overhead
}
