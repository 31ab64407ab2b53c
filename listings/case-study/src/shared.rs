//! The two `Arc<Mutex>` designs: `arc-mutex` and `arc-mutex-weak`.
//!
//! They are one piece of code, generic over the kind of pointer a child keeps to its parent
//! ([`BackLink`]): a strong `Arc` in [`ArcMutexAgent`], a `Weak` in [`ArcMutexWeakAgent`].
//! Everything else (the shared index, the per-node mutexes, the worker threads) is the same, so
//! the difference between their measurements is the difference that one type makes.
//!
//! Worker threads each take a contiguous share of every batch and link its events concurrently;
//! the thread that calls [`Agent::ingest`] waits for them, then expires old events.

use crate::{Agent, Aggregates, Config, Event};
use std::collections::{HashMap, VecDeque};
use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, Weak};
use std::thread::JoinHandle;

// ANCHOR: node
/// A node of the event graph, shared between threads and locked for every access.
pub type NodeRef<L> = Arc<Mutex<Node<L>>>;

pub struct Node<L: BackLink> {
    event: Event,
    /// Child to parent: the link whose kind, strong or weak, decides whether memory leaks.
    parent: Option<L::Ptr>,
    /// Parent to children: always strong.
    children: Vec<NodeRef<L>>,
    descendants: u64,
    /// Set when the event leaves the window; a strong back-link can still reach it after that.
    expired: bool,
}
// ANCHOR_END: node

// ANCHOR: backlink
/// What a child keeps of its parent.
pub trait BackLink: Sized + 'static {
    type Ptr: Send;
    fn to(parent: &NodeRef<Self>) -> Self::Ptr;
    fn follow(ptr: &Self::Ptr) -> Option<NodeRef<Self>>;
}
// ANCHOR_END: backlink

// ANCHOR: strong
/// `arc-mutex`: the child owns a share of its parent, the parent a share of the child.
pub struct Strong;

impl BackLink for Strong {
    type Ptr = Arc<Mutex<Node<Strong>>>;
    fn to(parent: &NodeRef<Self>) -> Self::Ptr {
        Arc::clone(parent)
    }
    fn follow(ptr: &Self::Ptr) -> Option<NodeRef<Self>> {
        Some(Arc::clone(ptr))
    }
}
// ANCHOR_END: strong

// ANCHOR: weak
/// `arc-mutex-weak`: the child only observes its parent; it does not keep it alive.
pub struct WeakBack;

impl BackLink for WeakBack {
    type Ptr = Weak<Mutex<Node<WeakBack>>>;
    fn to(parent: &NodeRef<Self>) -> Self::Ptr {
        Arc::downgrade(parent)
    }
    fn follow(ptr: &Self::Ptr) -> Option<NodeRef<Self>> {
        ptr.upgrade()
    }
}
// ANCHOR_END: weak

// ANCHOR: agent
/// The graph's index, shared by every worker: `Arc<Mutex<...>>` around the whole map.
type Index<L> = Arc<Mutex<HashMap<u64, NodeRef<L>>>>;

pub struct SharedAgent<L: BackLink> {
    config: Config,
    index: Index<L>,
    /// Live event ids in arrival order, oldest first: what to expire next.
    expiry: VecDeque<(u64, u64)>,
    workers: Workers,
}

pub type ArcMutexAgent = SharedAgent<Strong>;
pub type ArcMutexWeakAgent = SharedAgent<WeakBack>;
// ANCHOR_END: agent

impl<L: BackLink> SharedAgent<L> {
    pub fn new(config: Config) -> Self {
        let index: Index<L> = Arc::default();
        let shared = Arc::clone(&index);
        let workers = Workers::spawn(config.workers.max(1), move |events: &[Event]| {
            for event in events {
                link(&shared, event);
            }
        });
        SharedAgent {
            config,
            index,
            expiry: VecDeque::new(),
            workers,
        }
    }

    // ANCHOR: expire
    fn expire(&mut self, cutoff_ms: u64) {
        let mut index = self.index.lock().unwrap();
        while let Some(&(timestamp_ms, id)) = self.expiry.front() {
            if timestamp_ms >= cutoff_ms {
                break;
            }
            self.expiry.pop_front();
            // Dropping the index's `Arc` is all expiry does. With weak back-links that was the
            // node's last owner (its parent, older, went first). With strong ones the node and
            // its relatives still own each other, out of everyone's reach: that is the leak.
            if let Some(node) = index.remove(&id) {
                node.lock().unwrap().expired = true;
            }
        }
    }
    // ANCHOR_END: expire
}

// ANCHOR: link
/// Runs on the worker threads, for each event of their share of the batch.
fn link<L: BackLink>(index: &Index<L>, event: &Event) {
    let node: NodeRef<L> = Arc::new(Mutex::new(Node {
        event: *event,
        parent: None,
        children: Vec::new(),
        descendants: 0,
        expired: false,
    }));
    let parent = {
        let mut index = index.lock().unwrap();
        index.insert(event.id, Arc::clone(&node));
        event.parent.and_then(|id| index.get(&id).cloned())
    };
    let Some(parent) = parent else { return };
    node.lock().unwrap().parent = Some(L::to(&parent));
    parent.lock().unwrap().children.push(Arc::clone(&node));

    // Walk up the ancestors, one lock at a time, until one has expired.
    let mut next = Some(parent);
    while let Some(ancestor) = next.take() {
        let mut ancestor = ancestor.lock().unwrap();
        if ancestor.expired {
            break;
        }
        ancestor.descendants += 1;
        next = ancestor.parent.as_ref().and_then(L::follow);
    }
}
// ANCHOR_END: link

impl<L: BackLink> Agent for SharedAgent<L> {
    fn ingest(&mut self, batch: &[Event]) {
        self.workers.run(batch);
        self.expiry
            .extend(batch.iter().map(|e| (e.timestamp_ms, e.id)));
        if let Some(last) = batch.last() {
            self.expire(self.config.cutoff(last.timestamp_ms));
        }
    }

    fn aggregates(&self) -> Aggregates {
        let mut out = Aggregates::empty();
        let index = self.index.lock().unwrap();
        for node in index.values() {
            let node = node.lock().unwrap();
            let parent_is_live = node
                .parent
                .as_ref()
                .and_then(L::follow)
                .is_some_and(|parent| !parent.lock().unwrap().expired);
            out.add_live(
                &node.event,
                parent_is_live,
                node.children.len(),
                node.descendants,
            );
        }
        out
    }
}

/// A share of a batch for one worker.
struct Job {
    batch: Arc<[Event]>,
    range: Range<usize>,
}

/// Long-lived worker threads, each fed its share of every batch through a channel.
struct Workers {
    jobs: Vec<Sender<Job>>,
    /// One message per finished share: `false` if the work panicked.
    done: Receiver<bool>,
    threads: Vec<JoinHandle<()>>,
}

impl Workers {
    fn spawn<F>(count: usize, work: F) -> Self
    where
        F: Fn(&[Event]) + Send + Sync + 'static,
    {
        let work = Arc::new(work);
        let (done_tx, done) = mpsc::channel();
        let mut jobs = Vec::with_capacity(count);
        let mut threads = Vec::with_capacity(count);
        for _ in 0..count {
            let (job_tx, job_rx) = mpsc::channel::<Job>();
            let work = Arc::clone(&work);
            let done_tx = done_tx.clone();
            threads.push(std::thread::spawn(move || {
                for job in job_rx {
                    // Report a panic instead of dying silently, or `run` would wait forever.
                    let linked = panic::catch_unwind(AssertUnwindSafe(|| {
                        work(&job.batch[job.range]);
                    }));
                    done_tx
                        .send(linked.is_ok())
                        .expect("the agent outlives its workers");
                }
            }));
            jobs.push(job_tx);
        }
        Workers {
            jobs,
            done,
            threads,
        }
    }

    /// Splits `batch` into one contiguous share per worker and waits until all are linked.
    fn run(&self, batch: &[Event]) {
        let batch: Arc<[Event]> = Arc::from(batch);
        let share = batch.len().div_ceil(self.jobs.len());
        let mut sent = 0;
        for (i, jobs) in self.jobs.iter().enumerate() {
            let range = (i * share).min(batch.len())..((i + 1) * share).min(batch.len());
            if range.is_empty() {
                continue;
            }
            let batch = Arc::clone(&batch);
            jobs.send(Job { batch, range }).expect("worker alive");
            sent += 1;
        }
        for _ in 0..sent {
            let linked = self.done.recv().expect("worker alive");
            assert!(linked, "a worker thread panicked while linking a batch");
        }
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        self.jobs.clear(); // closes the channels: each worker's loop ends
        for thread in self.threads.drain(..) {
            thread.join().expect("worker panicked");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Workers;
    use crate::workload::{Spec, generate};
    use std::panic::{self, AssertUnwindSafe};

    /// A panic on a worker thread must reach the caller of `ingest`, not leave it waiting.
    #[test]
    fn a_panicking_worker_fails_the_batch_instead_of_hanging() {
        let workload = generate(Spec {
            seed: 7,
            events: 64,
            batch_len: 64,
            batch_ms: 100,
            linked_pct: 0,
            parent_lookback_batches: 1,
        });
        let workers = Workers::spawn(2, |events| {
            assert!(
                events.iter().all(|e| e.id < 32),
                "worker saw event {}",
                events[0].id
            )
        });
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| workers.run(&workload.events)));
        let message = outcome.expect_err("the second share panics");
        let message = message.downcast_ref::<&str>().copied().unwrap_or_default();
        assert_eq!(message, "a worker thread panicked while linking a batch");
    }
}
