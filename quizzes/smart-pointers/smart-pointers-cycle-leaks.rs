// Two nodes hold `Rc` handles to each other; the program drops its own handles to both, then
// says whether any node was dropped and what strong count each still has.
use std::cell::{Cell, RefCell};
use std::rc::Rc;

thread_local! {
    static DROPPED: Cell<usize> = const { Cell::new(0) };
}

struct Node {
    other: RefCell<Option<Rc<Node>>>,
}

impl Drop for Node {
    fn drop(&mut self) {
        DROPPED.set(DROPPED.get() + 1);
    }
}

fn main() {
    let a = Rc::new(Node {
        other: RefCell::new(None),
    });
    let b = Rc::new(Node {
        other: RefCell::new(Some(Rc::clone(&a))),
    });
    *a.other.borrow_mut() = Some(Rc::clone(&b));
    let (watch_a, watch_b) = (Rc::downgrade(&a), Rc::downgrade(&b));
    drop((a, b));
    match DROPPED.get() {
        0 => println!("Neither node is dropped"),
        n => println!("{n} node(s) dropped"),
    }
    match (watch_a.strong_count(), watch_b.strong_count()) {
        (x, y) if x == y => println!("the other's strong count at {x}"),
        (x, y) => println!("strong counts {x} and {y}"),
    }
}
