// A million Rc-linked nodes, dropped with a loop instead of a million nested calls.
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};

static DROPPED: AtomicUsize = AtomicUsize::new(0);

struct Node {
    value: u32,
    next: Option<Rc<Node>>,
}

// ANCHOR: drop
impl Drop for Node {
    fn drop(&mut self) {
        DROPPED.fetch_add(1, Ordering::Relaxed);
        // Unlink the chain one node at a time. `into_inner` returns the node only if
        // this was its last strong handle; a tail someone else still holds is left alone.
        let mut next = self.next.take();
        while let Some(rc) = next {
            next = match Rc::into_inner(rc) {
                Some(mut node) => node.next.take(), // `node` drops here, with next = None
                None => None,                       // shared: the other owner drops the rest
            };
        }
    }
}
// ANCHOR_END: drop

fn main() {
    const LEN: u32 = 1_000_000;
    let mut head: Option<Rc<Node>> = None;
    for value in 0..LEN {
        head = Some(Rc::new(Node { value, next: head }));
    }
    assert_eq!(head.as_ref().map(|n| n.value), Some(LEN - 1));

    drop(head); // one Drop call unlinks everything; the stack stays flat
    assert_eq!(DROPPED.load(Ordering::Relaxed), LEN as usize);
    println!("built and dropped {LEN} nodes");
}
