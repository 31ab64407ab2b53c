//! The `rc-refcell` design: the `arc-mutex-weak` graph on one thread, with `Rc` for `Arc`,
//! `RefCell` for `Mutex` and `rc::Weak` for `sync::Weak`.
//!
//! It keeps everything that makes the `Arc` designs a pointer graph (one heap allocation per
//! node, reference counts, a `Weak` to follow up to the parent) and drops what makes them
//! thread-safe (atomic counts, locks, worker threads). Measured next to the others, it says
//! how much of their cost is the pointers and how much is the synchronisation.

use crate::{Agent, Aggregates, Config, Event};
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::{Rc, Weak};

// ANCHOR: node
type NodeRef = Rc<RefCell<Node>>;

struct Node {
    event: Event,
    parent: Option<Weak<RefCell<Node>>>,
    children: Vec<NodeRef>,
    descendants: u64,
}

pub struct RcRefCellAgent {
    config: Config,
    index: HashMap<u64, NodeRef>,
    expiry: VecDeque<(u64, u64)>,
}
// ANCHOR_END: node

impl RcRefCellAgent {
    pub fn new(config: Config) -> Self {
        RcRefCellAgent {
            config,
            index: HashMap::new(),
            expiry: VecDeque::new(),
        }
    }
}

impl Agent for RcRefCellAgent {
    // ANCHOR: link
    fn link(&mut self, batch: &[Event]) {
        for event in batch {
            let node = Rc::new(RefCell::new(Node {
                event: *event,
                parent: None,
                children: Vec::new(),
                descendants: 0,
            }));
            self.index.insert(event.id, Rc::clone(&node));
            self.expiry.push_back((event.timestamp_ms, event.id));
            let Some(parent) = event.parent.and_then(|id| self.index.get(&id).cloned()) else {
                continue;
            };
            node.borrow_mut().parent = Some(Rc::downgrade(&parent));
            parent.borrow_mut().children.push(node);

            // An expired parent has been dropped (its parent, older, went first and dropped the
            // only other strong pointer), so `upgrade` failing is the end of the walk.
            let mut next = Some(parent);
            while let Some(ancestor) = next.take() {
                let mut ancestor = ancestor.borrow_mut();
                ancestor.descendants += 1;
                next = ancestor.parent.as_ref().and_then(Weak::upgrade);
            }
        }
    }
    // ANCHOR_END: link

    fn expire(&mut self, cutoff_ms: u64) {
        while let Some(&(timestamp_ms, id)) = self.expiry.front() {
            if timestamp_ms >= cutoff_ms {
                break;
            }
            self.expiry.pop_front();
            self.index.remove(&id);
        }
    }

    fn aggregates(&self) -> Aggregates {
        let mut out = Aggregates::empty();
        for node in self.index.values() {
            let node = node.borrow();
            // A parent that expired has been dropped: `upgrade` fails.
            let live_parent = (node.parent.as_ref())
                .and_then(Weak::upgrade)
                .map(|p| p.borrow().event.id);
            out.add_live(
                &node.event,
                live_parent,
                node.children.len(),
                node.descendants,
            );
        }
        out
    }

    fn config(&self) -> Config {
        self.config
    }
}
