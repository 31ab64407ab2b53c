// Two scoped threads share one Cell through `&`: refused, because Cell is not Sync.
use std::cell::Cell;
use std::thread;

fn main() {
    let hits = Cell::new(0u32);
    thread::scope(|s| {
        s.spawn(|| hits.set(hits.get() + 1));
        s.spawn(|| hits.set(hits.get() + 1));
    });
    println!("hits = {}", hits.get());
}
