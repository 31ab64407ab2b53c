// Two live `borrow_mut`s of one RefCell: this compiles, then panics at run time.
use std::cell::RefCell;

fn main() {
    let log = RefCell::new(Vec::new());
    // ANCHOR: twice
    let mut first = log.borrow_mut();
    let mut second = log.borrow_mut(); // `first` is still alive: panic here
    first.push("one");
    second.push("two");
    // ANCHOR_END: twice
}
