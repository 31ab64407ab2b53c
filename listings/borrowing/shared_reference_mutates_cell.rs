use std::cell::Cell;

fn record_hit(hits: &Cell<u32>) {
    // Only a shared reference, yet the value changes.
    hits.set(hits.get() + 1);
}

fn main() {
    let hits = Cell::new(0);
    let a = &hits;
    let b = &hits;
    record_hit(a);
    record_hit(b);
    println!("hits: {}", hits.get());
}
