// The same two nodes, but the link back is Weak: the cycle no longer keeps them alive.
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicUsize, Ordering};

static DROPPED: AtomicUsize = AtomicUsize::new(0);

struct Node {
    name: &'static str,
    next: RefCell<Option<Rc<Node>>>, // owning link
    back: RefCell<Weak<Node>>,       // non-owning link
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
        next: RefCell::new(None),
        back: RefCell::new(Weak::new()),
    })
}

fn main() {
    // ANCHOR: fixed
    {
        let a = node("a");
        let b = node("b");
        *a.next.borrow_mut() = Some(Rc::clone(&b)); // a -> b owns
        *b.back.borrow_mut() = Rc::downgrade(&a); // b -> a only observes
        assert_eq!((Rc::strong_count(&a), Rc::weak_count(&a)), (1, 1));
        assert_eq!((Rc::strong_count(&b), Rc::weak_count(&b)), (2, 0));
        let back = b.back.borrow().upgrade().expect("a is alive");
        println!("b points back at {}", back.name);
    } // `back`, `b` (b: 2 -> 1), then `a` (a: 1 -> 0): a drops, its `next` takes b to 0
    assert_eq!(DROPPED.load(Ordering::Relaxed), 2);
    // ANCHOR_END: fixed
}
