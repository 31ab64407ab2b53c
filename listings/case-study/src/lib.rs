//! A telemetry agent, five ways.
//!
//! The agent ingests a stream of events, links each event to its parent in an event graph,
//! keeps per-metric statistics over a sliding time window and expires events that fall out of
//! that window. The same workload runs through five designs that implement [`Agent`]:
//!
//! * [`arc_mutex::ArcMutexAgent`] (`arc-mutex`): every event is an `Arc<Mutex<Node>>` linked to
//!   its parent and children by strong pointers, in an `Arc<Mutex<HashMap>>` that worker threads
//!   share. An event linked to a parent or a child is in a reference cycle, and is never freed.
//! * [`arc_mutex::ArcMutexWeakAgent`] (`arc-mutex-weak`): the same code with a `Weak` back-link
//!   from child to parent. No leak, the same kind of locks.
//! * [`rc_refcell::RcRefCellAgent`] (`rc-refcell`): the `Weak` design on one thread, with `Rc`
//!   and `RefCell` instead of `Arc` and `Mutex`: pointers without atomics or locks.
//! * [`slotmap_agent::SlotMapAgent`] (`slotmap`): the arena design on the `slotmap` crate.
//! * [`arena_agent::ArenaAgent`] (`arena`): events live in an [`arena::Arena`] addressed by
//!   generational handles, owned by one thread, with no lock at all.
//!
//! [`workload`] generates the input from a seed, [`alloc_counter`] measures the heap,
//! [`probe`] reads what the operating system counts, [`svg`] draws the charts of the book.

pub mod alloc_counter;
pub mod arc_mutex;
pub mod arena;
pub mod arena_agent;
pub mod charts;
pub mod probe;
pub mod rc_refcell;
pub mod slotmap_agent;
pub mod svg;
pub mod workload;

use std::fmt;

/// How likely each end of a confidence interval of the measurements may be on the wrong side of
/// the true value, at most: `compare` chooses its intervals by it, and the Criterion benchmark
/// asks for intervals of confidence `1 - ONE_SIDE_ERROR` (each end wrong with half this
/// probability, nominally: Criterion's bootstrap intervals carry no guarantee).
pub const ONE_SIDE_ERROR: f64 = 0.001;

// ANCHOR: event
/// One telemetry event as it arrives from a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    /// Unique, increasing in stream order.
    pub id: u64,
    /// The event this one belongs to (a span inside a request, say), if any.
    pub parent: Option<u64>,
    pub metric: Metric,
    pub value: i64,
    /// Milliseconds since the agent started; never decreases along the stream.
    pub timestamp_ms: u64,
}
// ANCHOR_END: event

/// The names of the metrics the workload reports.
pub const METRIC_NAMES: [&str; 8] = [
    "cpu.user_pct",
    "cpu.system_pct",
    "mem.rss_kib",
    "net.rx_bytes",
    "net.tx_bytes",
    "disk.read_ops",
    "http.latency_us",
    "gc.pause_us",
];

/// A metric name, interned as an index into [`METRIC_NAMES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Metric(u8);

impl Metric {
    /// The metric at `index` in [`METRIC_NAMES`]; panics if out of range.
    pub fn new(index: usize) -> Self {
        assert!(index < METRIC_NAMES.len(), "no metric number {index}");
        Metric(index as u8)
    }

    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    pub fn name(self) -> &'static str {
        METRIC_NAMES[self.index()]
    }
}

/// Count, sum, minimum and maximum of the values of one metric inside the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MetricStats {
    pub count: u64,
    pub sum: i64,
    pub min: i64,
    pub max: i64,
}

impl MetricStats {
    pub const EMPTY: MetricStats = MetricStats {
        count: 0,
        sum: 0,
        min: i64::MAX,
        max: i64::MIN,
    };

    pub fn add(&mut self, value: i64) {
        self.count += 1;
        self.sum += value;
        self.min = self.min.min(value);
        self.max = self.max.max(value);
    }
}

// ANCHOR: aggregates
/// What the agent reports at each flush: statistics over the events still in the window.
///
/// Integer values keep the sums exact, so the designs must agree to the last bit even though
/// some of them add in whatever order their threads happen to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Aggregates {
    /// Events inside the window.
    pub live_events: u64,
    /// Live events whose parent is live too.
    pub linked_events: u64,
    /// Most direct children of one live event, and their sum over all live events.
    pub max_fanout: u64,
    pub sum_fanout: u64,
    /// Most descendants (children, their children, ...) of one live event, and their sum.
    pub max_descendants: u64,
    pub sum_descendants: u64,
    /// The live graph itself: for every live event, its id, its parent's id if the parent is
    /// live, its fan-out and its descendants, hashed, and the hashes added up (in any order).
    /// Equal fingerprints mean the same graph, barring a 64-bit collision.
    pub graph_fingerprint: u64,
    /// Per metric, indexed like [`METRIC_NAMES`].
    pub metrics: [MetricStats; METRIC_NAMES.len()],
}
// ANCHOR_END: aggregates

impl Aggregates {
    pub fn empty() -> Self {
        Aggregates {
            live_events: 0,
            linked_events: 0,
            max_fanout: 0,
            sum_fanout: 0,
            max_descendants: 0,
            sum_descendants: 0,
            graph_fingerprint: 0,
            metrics: [MetricStats::EMPTY; METRIC_NAMES.len()],
        }
    }

    /// Accounts for one live event, whose parent's id is `live_parent` if that parent is live.
    /// Every design calls this once per live event, in any order.
    pub fn add_live(
        &mut self,
        event: &Event,
        live_parent: Option<u64>,
        fanout: usize,
        descendants: u64,
    ) {
        self.live_events += 1;
        self.linked_events += u64::from(live_parent.is_some());
        let parent = live_parent.unwrap_or(u64::MAX);
        let hash = [parent, fanout as u64, descendants]
            .into_iter()
            .fold(mix(event.id), |h, field| mix(h ^ field));
        self.graph_fingerprint = self.graph_fingerprint.wrapping_add(hash);
        self.max_fanout = self.max_fanout.max(fanout as u64);
        self.sum_fanout += fanout as u64;
        self.max_descendants = self.max_descendants.max(descendants);
        self.sum_descendants += descendants;
        self.metrics[event.metric.index()].add(event.value);
    }
}

/// SplitMix64's finaliser: every bit of the input affects every bit of the output.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl fmt::Display for Aggregates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "live {} linked {} fan-out max {} sum {} descendants max {} sum {} graph {:016x}",
            self.live_events,
            self.linked_events,
            self.max_fanout,
            self.sum_fanout,
            self.max_descendants,
            self.sum_descendants,
            self.graph_fingerprint
        )?;
        for (name, s) in METRIC_NAMES.iter().zip(&self.metrics) {
            if s.count > 0 {
                writeln!(
                    f,
                    "  {name:<16} count {:>7} sum {:>12} min {:>6} max {:>6}",
                    s.count, s.sum, s.min, s.max
                )?;
            }
        }
        Ok(())
    }
}

/// How often one kind of lock was taken, and how often it was already held by another thread.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LockCount {
    pub acquired: u64,
    /// Acquisitions whose first attempt (`try_lock`) found the lock held: the thread then had
    /// to wait for it.
    pub found_held: u64,
}

impl LockCount {
    pub fn add(&mut self, other: LockCount) {
        self.acquired += other.acquired;
        self.found_held += other.found_held;
    }
}

/// The locks of the `Arc<Mutex>` designs, counted per lock: the one index lock, and the node
/// locks taken together.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LockCounts {
    pub index: LockCount,
    pub nodes: LockCount,
}

impl LockCounts {
    pub fn add(&mut self, other: LockCounts) {
        self.index.add(other.index);
        self.nodes.add(other.nodes);
    }
}

// ANCHOR: agent
/// The one interface the designs share, so that the same input runs through each.
///
/// Its three phases are separate methods so that a driver can time each of them.
pub trait Agent {
    /// Links every event of `batch` into the event graph.
    ///
    /// An event's parent, if it is still in the window, arrived in an earlier batch.
    fn link(&mut self, batch: &[Event]);

    /// Forgets every event whose timestamp is older than `cutoff_ms`.
    fn expire(&mut self, cutoff_ms: u64);

    /// Statistics over the events currently in the window.
    fn aggregates(&self) -> Aggregates;

    fn config(&self) -> Config;

    /// Links a batch, then expires what the window no longer covers, counted back from the
    /// batch's last timestamp.
    fn ingest(&mut self, batch: &[Event]) {
        self.link(batch);
        if let Some(last) = batch.last() {
            self.expire(self.config().cutoff(last.timestamp_ms));
        }
    }

    /// What a design with locks counted about them so far.
    fn lock_counts(&self) -> Option<LockCounts> {
        None
    }
}
// ANCHOR_END: agent

// ANCHOR: config
/// How the agent is set up; the same for every design.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// Events older than this, counted back from the newest event, are expired.
    pub window_ms: u64,
    /// Threads that link events, for the designs that can use them ([`Design::threaded`]):
    /// `0` links on the thread that calls [`Agent::link`]; `n > 0` splits each batch between
    /// `n` worker threads while the caller waits. The other designs ignore it.
    pub workers: usize,
}
// ANCHOR_END: config

impl Config {
    /// The first timestamp still inside the window when the newest event is `newest_ms`.
    pub fn cutoff(&self, newest_ms: u64) -> u64 {
        newest_ms.saturating_sub(self.window_ms)
    }
}

/// The designs, by the names the book uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Design {
    ArcMutex,
    ArcMutexWeak,
    RcRefCell,
    SlotMap,
    Arena,
}

impl Design {
    pub const ALL: [Design; 5] = [
        Design::ArcMutex,
        Design::ArcMutexWeak,
        Design::RcRefCell,
        Design::SlotMap,
        Design::Arena,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Design::ArcMutex => "arc-mutex",
            Design::ArcMutexWeak => "arc-mutex-weak",
            Design::RcRefCell => "rc-refcell",
            Design::SlotMap => "slotmap",
            Design::Arena => "arena",
        }
    }

    pub fn from_name(name: &str) -> Option<Design> {
        Design::ALL.into_iter().find(|d| d.name() == name)
    }

    /// Whether the design can link on worker threads (the two `Arc<Mutex>` designs).
    pub fn threaded(self) -> bool {
        matches!(self, Design::ArcMutex | Design::ArcMutexWeak)
    }

    /// The one worker-count rule: the worker threads this design really starts under `config`.
    pub fn workers(self, config: Config) -> usize {
        if self.threaded() { config.workers } else { 0 }
    }

    pub fn build(self, config: Config) -> Box<dyn Agent> {
        match self {
            Design::ArcMutex => Box::new(arc_mutex::ArcMutexAgent::new(config)),
            Design::ArcMutexWeak => Box::new(arc_mutex::ArcMutexWeakAgent::new(config)),
            Design::RcRefCell => Box::new(rc_refcell::RcRefCellAgent::new(config)),
            Design::SlotMap => Box::new(slotmap_agent::SlotMapAgent::new(config)),
            Design::Arena => Box::new(arena_agent::ArenaAgent::new(config)),
        }
    }
}

// ANCHOR: run
/// Feeds a whole workload to `agent`, one batch at a time, flushing (computing the aggregates)
/// every `flush_every` batches and once at the end. Returns the last aggregates.
pub fn run(agent: &mut dyn Agent, workload: &workload::Workload, flush_every: usize) -> Aggregates {
    let flush_every = flush_every.max(1);
    for (n, batch) in workload.batches().enumerate() {
        agent.ingest(batch);
        if (n + 1) % flush_every == 0 {
            std::hint::black_box(agent.aggregates());
        }
    }
    agent.aggregates()
}
// ANCHOR_END: run
