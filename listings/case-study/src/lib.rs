//! A telemetry agent, three ways.
//!
//! The agent ingests a stream of events, links each event to its parent in an event graph,
//! keeps per-metric statistics over a sliding time window and expires events that fall out of
//! that window. The same workload runs through three designs that implement [`Agent`]:
//!
//! * [`shared::ArcMutexAgent`] (`arc-mutex`): every event is an `Arc<Mutex<Node>>` linked to its
//!   parent and children by strong pointers, shared by worker threads through an
//!   `Arc<Mutex<HashMap>>`. Expired events form reference cycles and are never freed.
//! * [`shared::ArcMutexWeakAgent`] (`arc-mutex-weak`): the same code with a `Weak` back-link from
//!   child to parent. No leak, the same locks.
//! * [`arena_agent::ArenaAgent`] (`arena`): events live in an [`arena::Arena`] addressed by
//!   generational handles, owned by one thread, with no lock at all.
//!
//! [`workload`] generates the input from a seed, [`alloc_counter`] measures the heap,
//! [`svg`] draws the charts of the book.

pub mod alloc_counter;
pub mod arena;
pub mod arena_agent;
pub mod shared;
pub mod svg;
pub mod workload;

use std::fmt;

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
/// Integer values keep the sums exact, so the three designs must agree to the last bit even
/// though one of them adds in whatever order its threads happen to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Aggregates {
    /// Events inside the window.
    pub live_events: u64,
    /// Live events whose parent is live too.
    pub linked_events: u64,
    /// Most direct children of one live event.
    pub max_fanout: u64,
    /// Most descendants (children, their children, ...) of one live event.
    pub max_descendants: u64,
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
            max_descendants: 0,
            metrics: [MetricStats::EMPTY; METRIC_NAMES.len()],
        }
    }

    /// Accounts for one live event. Every design calls this once per live event, in any order.
    pub fn add_live(
        &mut self,
        event: &Event,
        parent_is_live: bool,
        fanout: usize,
        descendants: u64,
    ) {
        self.live_events += 1;
        self.linked_events += u64::from(parent_is_live);
        self.max_fanout = self.max_fanout.max(fanout as u64);
        self.max_descendants = self.max_descendants.max(descendants);
        self.metrics[event.metric.index()].add(event.value);
    }
}

impl fmt::Display for Aggregates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "live {} linked {} max fan-out {} max descendants {}",
            self.live_events, self.linked_events, self.max_fanout, self.max_descendants
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

// ANCHOR: agent
/// The one interface the three designs share, so that the same input runs through each.
pub trait Agent {
    /// Links every event of `batch` into the event graph, then expires the events that are
    /// older than the window, measured from the last timestamp of the batch.
    ///
    /// An event's parent, if it is still in the window, arrived in an earlier batch.
    fn ingest(&mut self, batch: &[Event]);

    /// Statistics over the events currently in the window.
    fn aggregates(&self) -> Aggregates;
}
// ANCHOR_END: agent

/// How the agent is set up; the same for every design.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// Events older than this, counted back from the newest event, are expired.
    pub window_ms: u64,
    /// Worker threads of the two `Arc<Mutex>` designs. The arena design uses one thread.
    pub workers: usize,
}

impl Config {
    /// The first timestamp still inside the window when the newest event is `newest_ms`.
    pub fn cutoff(&self, newest_ms: u64) -> u64 {
        newest_ms.saturating_sub(self.window_ms)
    }
}

/// The three designs, by the names the book uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Design {
    ArcMutex,
    ArcMutexWeak,
    Arena,
}

impl Design {
    pub const ALL: [Design; 3] = [Design::ArcMutex, Design::ArcMutexWeak, Design::Arena];

    pub fn name(self) -> &'static str {
        match self {
            Design::ArcMutex => "arc-mutex",
            Design::ArcMutexWeak => "arc-mutex-weak",
            Design::Arena => "arena",
        }
    }

    pub fn build(self, config: Config) -> Box<dyn Agent + Send> {
        match self {
            Design::ArcMutex => Box::new(shared::ArcMutexAgent::new(config)),
            Design::ArcMutexWeak => Box::new(shared::ArcMutexWeakAgent::new(config)),
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
