// The link back is a std::sync::Weak: the Mutexes stay, the leak goes.
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::thread;

static DROPPED: AtomicUsize = AtomicUsize::new(0);

struct Node {
    name: &'static str,
    next: Mutex<Option<Arc<Node>>>, // owning link
    back: Mutex<Weak<Node>>,        // non-owning link: std::sync::Weak
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
        next: Mutex::new(None),
        back: Mutex::new(Weak::new()),
    })
}

fn main() {
    // ANCHOR: fixed
    {
        let a = node("a");
        let b = node("b");
        *a.next.lock().unwrap() = Some(Arc::clone(&b)); // a -> b owns
        *b.back.lock().unwrap() = Arc::downgrade(&a); // b -> a only observes
        assert_eq!((Arc::strong_count(&a), Arc::weak_count(&a)), (1, 1));
        assert_eq!((Arc::strong_count(&b), Arc::weak_count(&b)), (2, 0));

        let worker = {
            let b = Arc::clone(&b);
            thread::spawn(move || {
                let back = b.back.lock().unwrap().upgrade(); // Some(Arc) while `a` lives
                back.map(|node| node.name)
            })
        };
        println!("worker: b points back at {:?}", worker.join().unwrap());
    } // `b` (2 -> 1), then `a` (1 -> 0): a drops, its `next` takes b to 0
    assert_eq!(DROPPED.load(Ordering::Relaxed), 2);
    // ANCHOR_END: fixed
}
