//! The two `Arc<Mutex>` designs: `arc-mutex` and `arc-mutex-weak`.
//!
//! They are one piece of code, generic over the kind of pointer a child keeps to its parent
//! ([`BackLink`]): a strong `Arc` in [`ArcMutexAgent`], a `Weak` in [`ArcMutexWeakAgent`].
//! Everything else (the shared index, the per-node mutexes, the worker threads) is the same, so
//! the difference between their measurements is the difference that one type makes.
//!
//! With `workers = 0` the thread that calls [`Agent::link`] links every event itself. With
//! `workers = n`, `n` worker threads each take a contiguous share of every batch and link its
//! events concurrently while the caller waits; expiry and reports run on the caller.
//!
//! Every lock is taken through [`lock`], which counts how often it was already held.

use crate::{Agent, Aggregates, Config, Event, LockCount, LockCounts};
use std::cell::Cell;
use std::collections::{HashMap, VecDeque};
use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, MutexGuard, TryLockError, Weak};
use std::thread::JoinHandle;

// ANCHOR: lock
/// Takes `mutex`, counting the acquisition, and whether it had to wait: a first `try_lock`
/// that fails means another thread held the lock at that moment. (On Linux, `Mutex::lock`
/// starts with the same compare-and-swap, so the uncontended path costs what it always did,
/// plus the count.)
fn lock<'a, T>(mutex: &'a Mutex<T>, count: &mut LockCount) -> MutexGuard<'a, T> {
    count.acquired += 1;
    match mutex.try_lock() {
        Ok(guard) => guard,
        Err(TryLockError::WouldBlock) => {
            count.found_held += 1;
            mutex
                .lock()
                .expect("a thread panicked while holding the lock")
        }
        Err(TryLockError::Poisoned(_)) => panic!("a thread panicked while holding the lock"),
    }
}
// ANCHOR_END: lock

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
    /// `None` with `workers = 0`: the caller links.
    workers: Option<Workers>,
    /// Locks taken so far, by every thread (workers report theirs with each finished share).
    locks: Cell<LockCounts>,
}

pub type ArcMutexAgent = SharedAgent<Strong>;
pub type ArcMutexWeakAgent = SharedAgent<WeakBack>;
// ANCHOR_END: agent

impl<L: BackLink> SharedAgent<L> {
    pub fn new(config: Config) -> Self {
        let index: Index<L> = Arc::default();
        let shared = Arc::clone(&index);
        let workers = (config.workers > 0).then(|| {
            Workers::spawn(config.workers, move |events: &[Event], locks| {
                for event in events {
                    link(&shared, event, locks);
                }
            })
        });
        SharedAgent {
            config,
            index,
            expiry: VecDeque::new(),
            workers,
            locks: Cell::default(),
        }
    }

    fn count_locks(&self, counted: LockCounts) {
        let mut total = self.locks.get();
        total.add(counted);
        self.locks.set(total);
    }
}

// ANCHOR: link
/// Links one event: on the calling thread with no workers, else on the worker given its share.
fn link<L: BackLink>(index: &Index<L>, event: &Event, locks: &mut LockCounts) {
    let node: NodeRef<L> = Arc::new(Mutex::new(Node {
        event: *event,
        parent: None,
        children: Vec::new(),
        descendants: 0,
        expired: false,
    }));
    let parent = {
        let mut index = lock(index, &mut locks.index);
        index.insert(event.id, Arc::clone(&node));
        event.parent.and_then(|id| index.get(&id).cloned())
    };
    let Some(parent) = parent else { return };
    lock(&node, &mut locks.nodes).parent = Some(L::to(&parent));
    lock(&parent, &mut locks.nodes)
        .children
        .push(Arc::clone(&node));

    // Walk up the ancestors, one lock at a time, until one has expired.
    let mut next = Some(parent);
    while let Some(ancestor) = next.take() {
        let mut ancestor = lock(&ancestor, &mut locks.nodes);
        if ancestor.expired {
            break;
        }
        ancestor.descendants += 1;
        next = ancestor.parent.as_ref().and_then(L::follow);
    }
}
// ANCHOR_END: link

impl<L: BackLink> Agent for SharedAgent<L> {
    fn link(&mut self, batch: &[Event]) {
        match &self.workers {
            Some(workers) => {
                let counted = workers.run(batch);
                self.count_locks(counted);
            }
            None => {
                let mut counted = LockCounts::default();
                for event in batch {
                    link(&self.index, event, &mut counted);
                }
                self.count_locks(counted);
            }
        }
        self.expiry
            .extend(batch.iter().map(|e| (e.timestamp_ms, e.id)));
    }

    // ANCHOR: expire
    fn expire(&mut self, cutoff_ms: u64) {
        let mut counted = LockCounts::default();
        let mut index = lock(&self.index, &mut counted.index);
        while let Some(&(timestamp_ms, id)) = self.expiry.front() {
            if timestamp_ms >= cutoff_ms {
                break;
            }
            self.expiry.pop_front();
            // Dropping the index's `Arc` is all expiry does. With weak back-links that was the
            // node's last owner (its parent, older, went first). With strong ones it was the
            // last owner only of a node with no parent and no child; any other node and its
            // relatives still own each other, out of everyone's reach: that is the leak.
            if let Some(node) = index.remove(&id) {
                lock(&node, &mut counted.nodes).expired = true;
            }
        }
        drop(index);
        self.count_locks(counted);
    }
    // ANCHOR_END: expire

    fn aggregates(&self) -> Aggregates {
        let mut counted = LockCounts::default();
        let mut out = Aggregates::empty();
        let index = lock(&self.index, &mut counted.index);
        for node in index.values() {
            let node = lock(node, &mut counted.nodes);
            let live_parent = node.parent.as_ref().and_then(L::follow).and_then(|parent| {
                let parent = lock(&parent, &mut counted.nodes);
                (!parent.expired).then_some(parent.event.id)
            });
            out.add_live(
                &node.event,
                live_parent,
                node.children.len(),
                node.descendants,
            );
        }
        drop(index);
        self.count_locks(counted);
        out
    }

    fn config(&self) -> Config {
        self.config
    }

    fn lock_counts(&self) -> Option<LockCounts> {
        Some(self.locks.get())
    }
}

/// A share of a batch for one worker.
struct Job {
    batch: Arc<[Event]>,
    range: Range<usize>,
}

/// What a worker reports for each share: whether the work finished, and the locks it took.
struct Done {
    linked: bool,
    locks: LockCounts,
}

/// Long-lived worker threads, each fed its share of every batch through a channel.
struct Workers {
    jobs: Vec<Sender<Job>>,
    /// One message per finished share.
    done: Receiver<Done>,
    threads: Vec<JoinHandle<()>>,
}

impl Workers {
    fn spawn<F>(count: usize, work: F) -> Self
    where
        F: Fn(&[Event], &mut LockCounts) + Send + Sync + 'static,
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
                    let mut locks = LockCounts::default();
                    // Report a panic instead of dying silently, or `run` would wait forever.
                    let linked = panic::catch_unwind(AssertUnwindSafe(|| {
                        work(&job.batch[job.range.clone()], &mut locks);
                    }));
                    // Let go of the batch before saying so: when `run` returns, no worker holds
                    // a copy any more, and a heap sample taken then counts only the graph.
                    drop(job);
                    let done = Done {
                        linked: linked.is_ok(),
                        locks,
                    };
                    done_tx.send(done).expect("the agent outlives its workers");
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

    /// Splits `batch` into one contiguous share per worker and waits until all are linked;
    /// returns the locks they took.
    fn run(&self, batch: &[Event]) -> LockCounts {
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
        drop(batch);
        let mut locks = LockCounts::default();
        let mut panicked = false;
        for _ in 0..sent {
            let done = self.done.recv().expect("worker alive");
            panicked |= !done.linked;
            locks.add(done.locks);
        }
        assert!(!panicked, "a worker thread panicked while linking a batch");
        locks
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
    use super::{Workers, lock};
    use crate::LockCount;
    use std::sync::{Arc, Mutex};

    #[test]
    fn a_lock_held_by_another_thread_is_counted_as_found_held() {
        let mutex = Arc::new(Mutex::new(0));
        let mut count = LockCount::default();
        *lock(&mutex, &mut count) += 1;
        assert_eq!((count.acquired, count.found_held), (1, 0));

        let guard = mutex.lock().unwrap();
        let (started, has_started) = std::sync::mpsc::channel();
        let waiter = {
            let mutex = Arc::clone(&mutex);
            std::thread::spawn(move || {
                let mut count = LockCount::default();
                started.send(()).unwrap();
                *lock(&mutex, &mut count) += 1;
                count
            })
        };
        // The waiter's `try_lock` fails for as long as we hold the guard: hold it well after
        // the waiter is about to try.
        has_started.recv().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(200));
        drop(guard);
        let count = waiter.join().unwrap();
        assert_eq!((count.acquired, count.found_held), (1, 1));
        assert_eq!(*mutex.lock().unwrap(), 2);
    }
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
        let workers = Workers::spawn(2, |events, _| {
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
