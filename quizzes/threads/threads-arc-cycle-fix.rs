// Builds the question's two linked nodes with each change it offers (except joining threads:
// no thread is involved, so no count changes), drops the program's own handles, and prints the
// changes after which both nodes were dropped.
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, RwLock, Weak};

static DROPPED: AtomicUsize = AtomicUsize::new(0);

/// A field that counts the drops of the node holding it.
struct Counted;

impl Drop for Counted {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, SeqCst);
    }
}

/// The question's node, with room for a link of either kind.
struct Node {
    link: Mutex<Option<Arc<Node>>>,
    weak_link: Mutex<Option<Weak<Node>>>,
    _counted: Counted,
}

struct RwLockNode {
    link: RwLock<Option<Arc<RwLockNode>>>,
    _counted: Counted,
}

struct RcNode {
    link: Mutex<Option<Rc<RcNode>>>,
    _counted: Counted,
}

fn node() -> Arc<Node> {
    Arc::new(Node {
        link: Mutex::new(None),
        weak_link: Mutex::new(None),
        _counted: Counted,
    })
}

/// How many nodes were dropped while `build` ran (and dropped its handles).
fn dropped_by(build: impl FnOnce()) -> usize {
    DROPPED.store(0, SeqCst);
    build();
    DROPPED.load(SeqCst)
}

fn main() {
    let unchanged = dropped_by(|| {
        let (a, b) = (node(), node());
        *a.link.lock().unwrap() = Some(Arc::clone(&b));
        *b.link.lock().unwrap() = Some(Arc::clone(&a));
    });
    assert_eq!(unchanged, 0, "the question's cycle leaks both nodes");

    let one_link_weak = dropped_by(|| {
        let (a, b) = (node(), node());
        *a.link.lock().unwrap() = Some(Arc::clone(&b));
        *b.weak_link.lock().unwrap() = Some(Arc::downgrade(&a));
    });
    let read_write = dropped_by(|| {
        let new = || {
            Arc::new(RwLockNode {
                link: RwLock::new(None),
                _counted: Counted,
            })
        };
        let (a, b) = (new(), new());
        *a.link.write().unwrap() = Some(Arc::clone(&b));
        *b.link.write().unwrap() = Some(Arc::clone(&a));
    });
    let rc = dropped_by(|| {
        let new = || {
            Rc::new(RcNode {
                link: Mutex::new(None),
                _counted: Counted,
            })
        };
        let (a, b) = (new(), new());
        *a.link.lock().unwrap() = Some(Rc::clone(&b));
        *b.link.lock().unwrap() = Some(Rc::clone(&a));
    });
    for (change, dropped) in [
        (
            "a `std::sync::Weak<Node>`, made with `Arc::downgrade`",
            one_link_weak,
        ),
        ("Replace each `Mutex` with an `RwLock`", read_write),
        ("Replace `Arc` with `Rc`", rc),
    ] {
        if dropped == 2 {
            println!("{change}");
        }
    }
}
