use std::cell::Cell;
use std::thread;

fn main() {
    let hits = Cell::new(0);
    thread::scope(|s| {
        // Both closures only need `&hits`, a shared borrow: the borrowing rules allow that.
        s.spawn(|| hits.set(hits.get() + 1));
        s.spawn(|| hits.set(hits.get() + 1));
    });
    println!("{}", hits.get());
}
