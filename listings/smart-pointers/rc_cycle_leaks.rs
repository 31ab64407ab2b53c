// Two nodes that own each other: neither count can reach zero, so nothing is dropped.
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

static DROPPED: AtomicUsize = AtomicUsize::new(0);

struct Node {
    name: &'static str,
    other: RefCell<Option<Rc<Node>>>, // RefCell: lets us set the link after the node is shared
}

impl Drop for Node {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, Ordering::Relaxed);
        println!("drop {}", self.name);
    }
}

fn node(name: &'static str) -> Rc<Node> {
    Rc::new(Node {
        name,
        other: RefCell::new(None),
    })
}

fn main() {
    // ANCHOR: cycle
    let watch = {
        let a = node("a");
        let b = node("b");
        *a.other.borrow_mut() = Some(Rc::clone(&b)); // a -> b
        *b.other.borrow_mut() = Some(Rc::clone(&a)); // b -> a
        assert_eq!((Rc::strong_count(&a), Rc::weak_count(&a)), (2, 0));
        assert_eq!((Rc::strong_count(&b), Rc::weak_count(&b)), (2, 0));
        for n in [&a, &b] {
            let (strong, weak) = (Rc::strong_count(n), Rc::weak_count(n));
            println!("in the block, {}: strong_count {strong}, weak_count {weak}", n.name);
        }
        (Rc::downgrade(&a), Rc::downgrade(&b)) // watchers that do not keep the nodes alive
    }; // `a` and `b` go out of scope here: each count drops from 2 to 1, not to 0

    // Both nodes are unreachable from the program, yet each is still owned by the other.
    assert_eq!((watch.0.strong_count(), watch.0.weak_count()), (1, 1)); // a: owned by b
    assert_eq!((watch.1.strong_count(), watch.1.weak_count()), (1, 1)); // b: owned by a
    assert_eq!(DROPPED.load(Ordering::Relaxed), 0); // no Drop ran: both nodes leaked
    for (name, w) in [("a", &watch.0), ("b", &watch.1)] {
        let (strong, weak) = (w.strong_count(), w.weak_count());
        println!("after the block, {name}: strong_count {strong}, weak_count {weak}");
    }
    println!("dropped: {}", DROPPED.load(Ordering::Relaxed));
    // ANCHOR_END: cycle
}
