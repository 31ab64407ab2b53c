// Two Arc nodes that own each other: the same leak as with Rc, whatever thread closes the cycle.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

static DROPPED: AtomicUsize = AtomicUsize::new(0);

struct Node {
    name: &'static str,
    other: Mutex<Option<Arc<Node>>>, // Mutex: lets any thread set the link after sharing
}

impl Drop for Node {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, Ordering::Relaxed);
        println!("drop {}", self.name);
    }
}

fn node(name: &'static str) -> Arc<Node> {
    Arc::new(Node {
        name,
        other: Mutex::new(None),
    })
}

fn main() {
    // ANCHOR: cycle
    let watch = {
        let a = node("a");
        let b = node("b");
        let worker = {
            let (a, b) = (Arc::clone(&a), Arc::clone(&b));
            thread::spawn(move || *b.other.lock().unwrap() = Some(a)) // b -> a, on a worker
        };
        worker.join().unwrap(); // the worker's handle to `b` is gone; its `a` now lives in b
        *a.other.lock().unwrap() = Some(Arc::clone(&b)); // a -> b, on main
        assert_eq!((Arc::strong_count(&a), Arc::weak_count(&a)), (2, 0));
        assert_eq!((Arc::strong_count(&b), Arc::weak_count(&b)), (2, 0));
        (Arc::downgrade(&a), Arc::downgrade(&b)) // sync::Weak watchers: keep neither node alive
    }; // `a` and `b` go: each count drops from 2 to 1, not to 0

    assert_eq!((watch.0.strong_count(), watch.0.weak_count()), (1, 1)); // a: owned by b
    assert_eq!((watch.1.strong_count(), watch.1.weak_count()), (1, 1)); // b: owned by a
    assert_eq!(DROPPED.load(Ordering::Relaxed), 0); // no Drop ran: both nodes leaked
    println!("dropped: {}", DROPPED.load(Ordering::Relaxed));
    // ANCHOR_END: cycle
}
