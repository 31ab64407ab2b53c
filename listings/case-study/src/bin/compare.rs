//! Runs the same workload through every design and worker count and reports what it cost:
//!
//! ```text
//! cargo run --release -p telemetry-agent --bin compare -- [--out DIR | --no-out] [--events N]
//!     [--reps N] [--workers 0,1,2] [--window-ms N] [--parse-rounds 1,4,16,48] [--quick]
//! cargo run --release -p telemetry-agent --bin compare -- --criterion FILE [--out DIR]
//! cargo run --release -p telemetry-agent --bin compare -- --machine
//! ```
//!
//! Every measurement runs in a fresh process (this program, started again with `--child`), so
//! no run inherits another's heap, leaked memory or page-fault history, and the operating
//! system's counters (page faults, CPU time, resident memory) belong to that run alone.
//!
//! * Memory: one run per setup with the counting allocator on, sampling the live heap after
//!   every batch.
//! * Time: `--reps` rounds; each round runs every setup once, in a shuffled order, with the
//!   counting allocator off. Each run times its phases (link, expire, report) and each batch,
//!   from the first batch to the last: building the agent, its final report and dropping it are
//!   outside the clock. Two setups are compared round by round (the ratio of their times in the
//!   same round), as a median with a confidence interval, so that a claim can say whether a
//!   difference is larger than the noise. Each end of an interval is on the wrong side of the
//!   true median with probability at most [`ONE_SIDE_ERROR`] (given enough runs: 10 or more;
//!   `--quick` has fewer), so that a chapter that checks dozens of them can still say how likely
//!   it is to be wrong anywhere (the union bound).
//! * Controls: `arc-mutex` once more with its heap made resident beforehand (what its page
//!   faults cost); the best `Arc` setup and the arena with each event's text line parsed `k`
//!   times before it is linked (work outside the graph: "Why not 15%?"), and with fewer events
//!   linked (a flatter graph).
//!
//! It writes `compare.txt` (what it prints), `results.txt` (every number, as `key = value`
//! lines, for the book's tests) and the charts into the book's `src/img/case-study/`, or into
//! `--out DIR`; `--no-out` only prints. `--quick` (a short run for development) only prints
//! unless `--out` is given. `--criterion FILE` reads the result lines of the Criterion benchmark
//! saved in FILE and adds them to the `results.txt` already there, as `criterion.*` keys.
//! `--machine` prints the line that describes the machine, and nothing else.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use telemetry_agent::alloc_counter::{
    CountingAlloc, live_bytes, stop_counting, threads_sharing_a_counter,
};
use telemetry_agent::charts::{self, amdahl_gain as amdahl};
use telemetry_agent::probe::{Machine, Usage, pretouch_heap, resident_bytes};
use telemetry_agent::workload::{Spec, SplitMix64, generate, parse_line, to_line};
use telemetry_agent::{Config, Design, Event, LockCounts, ONE_SIDE_ERROR};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const FLUSH_EVERY: usize = 10;
/// Stream time per second of events in [`Spec::standard`]: 10,000 events per second.
const EVENTS_PER_SECOND: f64 = 10_000.0;
/// Heap made resident per event of a pre-touched run: more than `arc-mutex` ever takes (about
/// 150 bytes per event, leak included).
const PRETOUCH_BYTES_PER_EVENT: usize = 256;

struct Options {
    events: usize,
    reps: usize,
    workers: Vec<usize>,
    window_ms: u64,
    parse_rounds: Vec<usize>,
    /// Events and rounds of the side experiments (parsing, a flatter graph).
    side_events: usize,
    side_reps: usize,
    creep_linked_pct: Vec<u64>,
    flat_linked_pct: u64,
    out: Option<PathBuf>,
    quick: bool,
    no_out: bool,
    criterion: Option<PathBuf>,
}

fn parse_args(args: &[String]) -> Options {
    let cpus = Machine::describe().cpus;
    let mut options = Options {
        events: 300_000,
        reps: 21,
        workers: (0..=cpus).collect(),
        window_ms: 2_000,
        parse_rounds: vec![1, 4, 16, 48],
        side_events: 100_000,
        side_reps: 11,
        creep_linked_pct: vec![1, 5, 20],
        flat_linked_pct: 20,
        out: None,
        quick: false,
        no_out: false,
        criterion: None,
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .cloned()
                .unwrap_or_else(|| usage(&format!("{flag} needs a value")))
        };
        match flag.as_str() {
            "--events" => options.events = number(&value()),
            "--reps" => options.reps = number(&value()).max(1),
            "--workers" => options.workers = list(&value()),
            "--window-ms" => options.window_ms = number(&value()) as u64,
            "--parse-rounds" => options.parse_rounds = list(&value()),
            "--out" => options.out = Some(PathBuf::from(value())),
            "--no-out" => options.no_out = true,
            "--criterion" => options.criterion = Some(PathBuf::from(value())),
            "--quick" => {
                options.quick = true;
                options.events = 60_000;
                options.reps = 3;
                options.side_events = 30_000;
                options.side_reps = 3;
            }
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    // k = 0 (no parsing) is where the graph's own speed-up comes from: always measured.
    options.parse_rounds.retain(|&k| k > 0);
    options.parse_rounds.insert(0, 0);
    let first_run = options.out.is_none() && !options.no_out;
    if first_run && (!options.quick || options.criterion.is_some()) {
        // The book's folder, wherever the command is run from.
        let book = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../src/img/case-study");
        options.out = Some(book);
    }
    if options.no_out {
        options.out = None;
    }
    options
}

fn number(text: &str) -> usize {
    text.replace('_', "")
        .parse()
        .unwrap_or_else(|_| usage(&format!("not a number: {text}")))
}

fn list(text: &str) -> Vec<usize> {
    text.split(',').map(number).collect()
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("compare: {problem}");
    }
    eprintln!(
        "usage: compare [--out DIR | --no-out] [--events N] [--reps N] [--workers 0,1,2] \
         [--window-ms N] [--parse-rounds 1,4,16] [--quick]\n       \
         compare --criterion FILE [--out DIR]"
    );
    std::process::exit(if problem.is_empty() { 0 } else { 2 })
}

// --- one setup, one run ---------------------------------------------------------------------

/// A design, the worker threads it runs with, and whether its heap is made resident first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Setup {
    design: Design,
    workers: usize,
    /// The control run: [`pretouch_heap`] before the clock starts.
    pretouched: bool,
}

impl Setup {
    fn new(design: Design, workers: usize) -> Setup {
        Setup {
            design,
            workers,
            pretouched: false,
        }
    }

    /// `arc-mutex.w2`: the prefix of its keys in `results.txt`.
    fn key(self) -> String {
        let touched = if self.pretouched { "-pretouched" } else { "" };
        format!("{}.w{}{touched}", self.design.name(), self.workers)
    }

    fn label(self) -> String {
        let mut label = self.design.name().to_string();
        if self.design.threaded() {
            label += &format!(" ({})", workers(self.workers));
        }
        if self.pretouched {
            label += ", heap pre-touched";
        }
        label
    }
}

/// What a child process is asked to do.
#[derive(Clone, Copy, Debug)]
struct Job {
    setup: Setup,
    events: usize,
    window_ms: u64,
    linked_pct: u64,
    /// Parses of each event's text line before it is linked (0: the events come parsed).
    parse_rounds: usize,
    memory: bool,
}

impl Job {
    fn args(&self) -> Vec<String> {
        vec![
            "--child".into(),
            self.setup.design.name().into(),
            self.setup.workers.to_string(),
            if self.setup.pretouched {
                "pretouched"
            } else {
                "fresh"
            }
            .into(),
            self.events.to_string(),
            self.window_ms.to_string(),
            self.linked_pct.to_string(),
            self.parse_rounds.to_string(),
            if self.memory { "memory" } else { "time" }.into(),
        ]
    }

    fn from_args(args: &[String]) -> Job {
        let [
            design,
            workers,
            heap,
            events,
            window_ms,
            linked_pct,
            parse_rounds,
            mode,
        ] = args
        else {
            usage("--child needs 8 values")
        };
        let design = Design::from_name(design).unwrap_or_else(|| usage("no such design"));
        Job {
            setup: Setup {
                design,
                workers: number(workers),
                pretouched: heap == "pretouched",
            },
            events: number(events),
            window_ms: number(window_ms) as u64,
            linked_pct: number(linked_pct) as u64,
            parse_rounds: number(parse_rounds),
            memory: mode == "memory",
        }
    }

    fn spec(&self) -> Spec {
        Spec {
            linked_pct: self.linked_pct,
            ..Spec::standard(self.events)
        }
    }

    fn config(&self) -> Config {
        Config {
            window_ms: self.window_ms,
            workers: self.setup.workers,
        }
    }

    /// Runs the job in a fresh process and reads what it printed.
    fn run(&self) -> Report {
        let exe = std::env::current_exe().expect("the path of this program");
        let output = Command::new(exe)
            .args(self.args())
            .output()
            .expect("cannot start a child process");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{self:?} failed:\n{text}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        Report::parse(&text)
    }
}

/// What a child prints: `key value` lines.
#[derive(Clone, Debug, Default)]
struct Report(BTreeMap<String, String>);

impl Report {
    fn parse(text: &str) -> Report {
        Report(
            text.lines()
                .filter_map(|l| l.split_once(' '))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    fn text(&self, key: &str) -> &str {
        self.0
            .get(key)
            .unwrap_or_else(|| panic!("a child did not report {key}"))
    }

    fn get(&self, key: &str) -> f64 {
        self.text(key).parse().expect("a number")
    }

    /// Seconds spent in the graph: link, expire and report.
    fn graph(&self) -> f64 {
        self.get("link") + self.get("expire") + self.get("report")
    }
}

/// The child process: one run of one setup, reported as `key value` lines.
fn child(job: Job) {
    if !job.memory {
        stop_counting(); // timed runs do not pay for the allocation counter
    }
    // The standard library allocates a few bytes, once per thread, the first time the thread
    // waits on a channel (a context it keeps for next time): let the main thread wait once
    // before anything is counted, as it will with worker threads.
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let sender = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(5));
        tx.send(()).expect("the receiver waits");
    });
    rx.recv().expect("one message");
    sender.join().expect("a thread");
    let workload = generate(job.spec());
    let lines: Vec<String> = match job.parse_rounds {
        0 => Vec::new(),
        _ => workload.events.iter().map(to_line).collect(),
    };
    let batch_len = workload.spec.batch_len;
    let mut samples = Vec::with_capacity(workload.batch_count() + 1);
    let mut batch_seconds = Vec::with_capacity(workload.batch_count());
    let mut parsed: Vec<Event> = Vec::with_capacity(batch_len);
    let (mut parse, mut link, mut expire, mut report) = (0.0, 0.0, 0.0, 0.0);
    if job.setup.pretouched {
        pretouch_heap(job.events * PRETOUCH_BYTES_PER_EVENT);
    }

    let (rss_before, _) = resident_bytes().unwrap_or_default();
    let baseline = live_bytes(); // everything above is not the agent's
    let mut agent = job.setup.design.build(job.config());
    // The clock runs from the first batch to the last: not while the agent is built (worker
    // threads start), nor for its final report, nor while it is dropped.
    let usage_before = Usage::now();
    let start = Instant::now();
    for (n, batch) in workload.batches().enumerate() {
        let t0 = Instant::now();
        let batch: &[Event] = if job.parse_rounds == 0 {
            batch
        } else {
            let text = &lines[n * batch_len..n * batch_len + batch.len()];
            for _ in 0..job.parse_rounds {
                parsed.clear();
                parsed.extend(text.iter().map(|l| parse_line(l).expect("well formed")));
                std::hint::black_box(&parsed);
            }
            &parsed
        };
        let t1 = Instant::now();
        agent.link(batch);
        let t2 = Instant::now();
        if let Some(last) = batch.last() {
            agent.expire(job.config().cutoff(last.timestamp_ms));
        }
        let t3 = Instant::now();
        if (n + 1) % FLUSH_EVERY == 0 {
            std::hint::black_box(agent.aggregates());
        }
        let t4 = Instant::now();
        parse += (t1 - t0).as_secs_f64();
        link += (t2 - t1).as_secs_f64();
        expire += (t3 - t2).as_secs_f64();
        report += (t4 - t3).as_secs_f64();
        batch_seconds.push((t4 - t1).as_secs_f64());
        if job.memory {
            samples.push(live_bytes() - baseline);
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let used = Usage::now().since(usage_before);
    let final_report = agent.aggregates();
    let (rss_end, rss_peak) = resident_bytes().unwrap_or_default();
    let locks = agent.lock_counts().unwrap_or_default();
    let live_end = live_bytes() - baseline;
    drop(agent);
    let after_drop = live_bytes() - baseline;

    let mut out = String::new();
    let mut put = |key: &str, value: String| {
        let _ = writeln!(out, "{key} {value}");
    };
    put("seconds", format!("{seconds:.6}"));
    put("parse", format!("{parse:.6}"));
    put("link", format!("{link:.6}"));
    put("expire", format!("{expire:.6}"));
    put("report", format!("{report:.6}"));
    batch_seconds.sort_by(f64::total_cmp);
    put(
        "batch_p50",
        format!("{:.9}", percentile(&batch_seconds, 0.50)),
    );
    put(
        "batch_p99",
        format!("{:.9}", percentile(&batch_seconds, 0.99)),
    );
    put("minor_faults", used.minor_faults.to_string());
    put("user", format!("{:.6}", used.user.as_secs_f64()));
    put("system", format!("{:.6}", used.system.as_secs_f64()));
    put("voluntary_switches", used.voluntary_switches.to_string());
    put("rss_growth", rss_end.saturating_sub(rss_before).to_string());
    put(
        "rss_peak_growth",
        rss_peak.saturating_sub(rss_before).to_string(),
    );
    put_locks(&mut put, &locks);
    put("live_end", live_end.to_string());
    put("after_drop", after_drop.to_string());
    put(
        "samples",
        samples
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(","),
    );
    put("aggregates", format!("{final_report:?}").replace('\n', " "));
    put("live_events", final_report.live_events.to_string());
    put("linked_events", final_report.linked_events.to_string());
    put("sharing", threads_sharing_a_counter().to_string());
    print!("{out}");
}

fn put_locks(put: &mut impl FnMut(&str, String), locks: &LockCounts) {
    put("index_acquired", locks.index.acquired.to_string());
    put("index_held", locks.index.found_held.to_string());
    put("nodes_acquired", locks.nodes.acquired.to_string());
    put("nodes_held", locks.nodes.found_held.to_string());
}

// --- statistics ------------------------------------------------------------------------------

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.is_empty() {
        0.0
    } else if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    }
}

fn min(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::INFINITY, f64::min)
}

fn max(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

/// The order statistics that bound a confidence interval for the median of `n` values: the
/// `rank`-th smallest and the `rank`-th largest, with the largest `rank` for which each end is
/// on the wrong side of the true median with probability at most [`ONE_SIDE_ERROR`] (whatever
/// the distribution, if the values are independent draws of it: each is below the median with
/// probability 1/2, so the count below is binomial). With too few values for that, the smallest
/// and the largest. Returns `(rank, coverage, one_side)`: the probability that the interval
/// holds the true median, and that one given end of it does not.
fn interval_rank(n: usize) -> (usize, f64, f64) {
    // P(X <= j) for X ~ Binomial(n, 1/2).
    let at_most = |j: usize| -> f64 {
        let mut term = 0.5f64.powi(n as i32); // C(n, 0) / 2^n
        let mut sum = 0.0;
        for i in 0..=j {
            if i > 0 {
                term *= (n + 1 - i) as f64 / i as f64;
            }
            sum += term;
        }
        sum
    };
    // The end at rank r is wrong (above the median, for the low end) when fewer than r values
    // fall below the median.
    let one_side = |rank: usize| at_most(rank - 1);
    let mut rank = 1;
    while 2 * (rank + 1) <= n && one_side(rank + 1) <= ONE_SIDE_ERROR {
        rank += 1;
    }
    match n {
        0 => (rank, 0.0, 1.0),
        _ => (rank, 1.0 - 2.0 * one_side(rank), one_side(rank)),
    }
}

/// A median, and a confidence interval for it.
#[derive(Clone, Copy, Debug)]
struct Estimate {
    median: f64,
    low: f64,
    high: f64,
}

impl Estimate {
    fn of(values: &[f64]) -> Estimate {
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let (rank, _, _) = interval_rank(v.len());
        match v.len() {
            0 => Estimate {
                median: 0.0,
                low: 0.0,
                high: 0.0,
            },
            n => Estimate {
                median: median(&v),
                low: v[rank - 1],
                high: v[n - rank],
            },
        }
    }

    /// For a speed ratio: whether the whole interval lies above 1, below 1, or neither.
    fn verdict(self) -> &'static str {
        if self.low > 1.0 {
            "faster"
        } else if self.high < 1.0 {
            "slower"
        } else {
            "within noise"
        }
    }

    /// `key`, `key_low` and `key_high`.
    fn record(self, results: &mut Results, key: &str) {
        results.num(key, self.median);
        results.num(format!("{key}_low"), self.low);
        results.num(format!("{key}_high"), self.high);
    }
}

/// Every timed run of one setup, one per round, in round order.
#[derive(Default)]
struct Runs(Vec<Report>);

impl Runs {
    fn values(&self, f: impl Fn(&Report) -> f64) -> Vec<f64> {
        self.0.iter().map(f).collect()
    }

    fn median(&self, f: impl Fn(&Report) -> f64) -> f64 {
        median(&self.values(f))
    }

    /// Events per second of each run (from the first batch to the last).
    fn rates(&self, events: usize) -> Vec<f64> {
        self.values(|r| events as f64 / r.get("seconds"))
    }
}

/// Round by round, how many times as fast `a` ran as `b` (`b`'s time over `a`'s), measuring
/// time with `time`.
fn paired(a: &Runs, b: &Runs, time: impl Fn(&Report) -> f64) -> Vec<f64> {
    a.0.iter()
        .zip(&b.0)
        .map(|(x, y)| time(y) / time(x))
        .collect()
}

/// `results.txt`: one `key = value` line per number; the book's tests read it.
#[derive(Default)]
struct Results(BTreeMap<String, String>);

impl Results {
    fn num(&mut self, key: impl Into<String>, value: f64) {
        let text = if value.fract() == 0.0 && value.abs() < 1e15 {
            format!("{value:.0}")
        } else {
            format!("{value:.6}")
        };
        self.0.insert(key.into(), text);
    }

    fn text(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.0.insert(key.into(), value.into());
    }

    fn render(&self) -> String {
        let mut out = String::from(
            "# Written by `compare` (listings/case-study/src/bin/compare.rs); do not edit.\n\
             # Throughputs in millions of events per second, times in nanoseconds per event,\n\
             # microseconds per batch or milliseconds per run, shares in percent. A key with\n\
             # `_low` and `_high` siblings is a median and they bound its confidence interval.\n",
        );
        for (key, value) in &self.0 {
            let _ = writeln!(out, "{key} = {value}");
        }
        out
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        child(Job::from_args(&args[1..]));
        return;
    }
    if args.first().map(String::as_str) == Some("--machine") {
        println!("{}", Machine::describe());
        return;
    }
    let options = parse_args(&args);
    if let Some(saved) = &options.criterion {
        let dir = options
            .out
            .as_deref()
            .unwrap_or_else(|| usage("--criterion needs --out"));
        add_criterion(saved, dir);
        return;
    }
    let started = Instant::now();
    let mut text = String::new(); // compare.txt
    let mut results = Results::default();
    macro_rules! say {
        ($($arg:tt)*) => {{
            let line = format!($($arg)*);
            println!("{line}");
            text.push_str(&line);
            text.push('\n');
        }};
    }

    let machine = Machine::describe();
    let spec = Spec::standard(options.events);
    let (rank, coverage, one_side) = interval_rank(options.reps);
    say!(
        "workload: {} events in batches of {}, {} ms of stream per batch, window {} ms, {}% \
         linked to a parent, a report every {} batches",
        options.events,
        spec.batch_len,
        spec.batch_ms,
        options.window_ms,
        spec.linked_pct,
        FLUSH_EVERY
    );
    say!("machine: {machine}");
    say!(
        "method: every run in a fresh process, timed from its first batch to its last; {} timed \
         rounds, each running every setup once in a shuffled order, without the allocation \
         counter; one more run per setup with it",
        options.reps
    );
    say!(
        "intervals: for a median of {n} values, from the {} to the {}: it holds the true median \
         with probability {:.2}%, and each end on its own is on the wrong side of it with \
         probability {:.3}%, whatever the distribution, if the rounds are independent draws of it",
        nth(rank, "smallest"),
        nth(rank, "largest"),
        100.0 * coverage,
        100.0 * one_side,
        n = options.reps,
    );
    results.num("machine.cpus", machine.cpus as f64);
    results.text("machine.cpu", machine.model.clone());
    let yes_no = |b: Option<bool>| b.map_or("unknown", |b| if b { "yes" } else { "no" });
    results.text("machine.smt_siblings", yes_no(machine.smt_siblings));
    results.text("machine.virtual", yes_no(Some(machine.hypervisor)));
    if let Some(tick) = machine.tick_accounting {
        results.text("machine.tick_accounting", yes_no(Some(tick)));
    }
    if let Some(hz) = machine.tick_hz {
        results.num("machine.tick_hz", hz as f64);
    }
    if let Some((family, model, stepping)) = &machine.family_model_stepping {
        results.text("machine.cpu_family", family.clone());
        results.text("machine.cpu_model_number", model.clone());
        results.text("machine.cpu_stepping", stepping.clone());
    }
    results.num("workload.events", options.events as f64);
    results.num("workload.batch_len", spec.batch_len as f64);
    results.num("workload.window_ms", options.window_ms as f64);
    results.num("workload.linked_pct", spec.linked_pct as f64);
    results.num("workload.events_per_second", EVENTS_PER_SECOND);
    results.num("runs.reps", options.reps as f64);
    results.num("runs.interval_rank", rank as f64);
    results.num("runs.interval_coverage_pct", 100.0 * coverage);
    results.num("runs.one_side_error_pct", 100.0 * one_side);
    results.num("runs.one_side_error_bound_pct", 100.0 * ONE_SIDE_ERROR);

    // ANCHOR: setups
    // The one worker-count rule: threaded designs with each count of the sweep, the others
    // with none.
    let mut setups = Vec::new();
    for design in Design::ALL {
        if design.threaded() {
            for &workers in &options.workers {
                setups.push(Setup::new(design, workers));
            }
        } else {
            setups.push(Setup::new(design, 0));
        }
    }
    // ANCHOR_END: setups
    // The control: the leaking design, inline, with its heap made resident beforehand.
    let pretouched = Setup {
        pretouched: true,
        ..Setup::new(Design::ArcMutex, 0)
    };
    let measured: Vec<Setup> = setups.clone();
    if options.workers.contains(&0) {
        setups.insert(1, pretouched);
    }
    results.num("runs.setups", measured.len() as f64);
    let job = |setup: Setup, memory: bool| Job {
        setup,
        events: options.events,
        window_ms: options.window_ms,
        linked_pct: spec.linked_pct,
        parse_rounds: 0,
        memory,
    };

    // Memory, one instrumented run each; this also checks that all setups agree.
    let memory: Vec<(Setup, Report)> = measured.iter().map(|&s| (s, job(s, true).run())).collect();
    let reference = memory[0].1.text("aggregates").to_string();
    for (setup, report) in &memory {
        assert_eq!(
            report.text("aggregates"),
            reference,
            "{} disagrees with {}",
            setup.label(),
            memory[0].0.label()
        );
        assert_eq!(report.get("sharing"), 0.0, "threads shared a heap counter");
    }
    say!(
        "reports: identical for all {} setups ({} live events, {} linked, the same sums of \
         fan-out and descendants, the same graph fingerprint)",
        measured.len(),
        memory[0].1.text("live_events"),
        memory[0].1.text("linked_events")
    );

    // ANCHOR: rounds
    // Time: every round runs every setup once, in an order shuffled anew each round.
    let mut runs: BTreeMap<Setup, Runs> = BTreeMap::new();
    let mut shuffle = SplitMix64::new(0x00DD_BA11);
    for _ in 0..options.reps {
        let mut order = setups.clone();
        for i in (1..order.len()).rev() {
            order.swap(i, shuffle.below(i as u64 + 1) as usize);
        }
        for setup in order {
            let report = job(setup, false).run();
            assert_eq!(report.text("aggregates"), reference, "{}", setup.label());
            runs.entry(setup).or_default().0.push(report);
        }
    }
    // ANCHOR_END: rounds
    let events = options.events;
    let rate = |s: &Setup| median(&runs[s].rates(events));
    // The fastest configuration of an `Arc<Mutex>` design: among the measured setups only. The
    // pre-touched control is no configuration: its heap is made resident in advance, which a
    // program cannot do for a leak that never ends, and it still leaks.
    let best_arc = *measured
        .iter()
        .filter(|s| s.design.threaded())
        .max_by(|a, b| rate(a).total_cmp(&rate(b)))
        .expect("at least one Arc setup");
    let arena = Setup::new(Design::Arena, 0);

    say!("");
    say!(
        "throughput, millions of events per second: median of the runs, its interval, the \
         slowest..fastest run; CPU time (user + system, every thread) per event, median"
    );
    say!(
        "{:<40} {:>7} {:>12} {:>16} {:>8}",
        "setup",
        "median",
        "interval",
        "slowest..fastest",
        "CPU ns"
    );
    for setup in &setups {
        let r = &runs[setup];
        let rates: Vec<f64> = r.rates(events).iter().map(|x| x / 1e6).collect();
        let e = Estimate::of(&rates);
        let cpu = r.median(|x| x.get("user") + x.get("system")) * 1e9 / events as f64;
        say!(
            "{:<40} {:>7.2} {:>12} {:>16} {:>8.0}",
            setup.label(),
            e.median,
            format!("{:.2}..{:.2}", e.low, e.high),
            format!("{:.2}..{:.2}", min(&rates), max(&rates)),
            cpu
        );
        let key = setup.key();
        e.record(&mut results, &format!("{key}.meps"));
        results.num(format!("{key}.meps_min"), min(&rates));
        results.num(format!("{key}.meps_max"), max(&rates));
        results.num(format!("{key}.cpu_ns"), cpu);
    }
    results.text("best_arc.design", best_arc.design.name());
    results.num("best_arc.workers", best_arc.workers as f64);
    results.num("best_arc.meps", rate(&best_arc) / 1e6);

    // Comparisons, round by round.
    say!("");
    say!(
        "comparisons, round by round: how many times as fast A ran as B (B's time / A's time in \
         the same round); the median over the rounds, its interval, and whether the interval \
         lies above 1 (faster), below 1 (slower) or neither (within noise)"
    );
    say!(
        "{:<40} {:<42} {:>7} {:>12}  verdict",
        "A",
        "B",
        "median",
        "interval"
    );
    let seconds = |r: &Report| r.get("seconds");
    let weak0 = Setup::new(Design::ArcMutexWeak, 0);
    let rc = Setup::new(Design::RcRefCell, 0);
    let mut pairs: Vec<(String, Setup, Setup)> = vec![
        ("arena_over_best_arc".into(), arena, best_arc),
        (
            "arena_over_slotmap".into(),
            arena,
            Setup::new(Design::SlotMap, 0),
        ),
        ("arena_over_rc-refcell".into(), arena, rc),
        ("rc-refcell_over_weak_w0".into(), rc, weak0),
    ];
    if best_arc != weak0 {
        pairs.push(("rc-refcell_over_best_arc".into(), rc, best_arc));
    }
    if runs.contains_key(&pretouched) {
        let strong0 = Setup::new(Design::ArcMutex, 0);
        pairs.push(("pretouched_over_strong_w0".into(), pretouched, strong0));
        pairs.push(("weak_over_pretouched_w0".into(), weak0, pretouched));
    }
    for &n in &options.workers {
        pairs.push((
            format!("weak_over_strong.w{n}"),
            Setup::new(Design::ArcMutexWeak, n),
            Setup::new(Design::ArcMutex, n),
        ));
    }
    for (name, a, b) in pairs {
        if runs.contains_key(&a) && runs.contains_key(&b) {
            let e = Estimate::of(&paired(&runs[&a], &runs[&b], seconds));
            let line = comparison(
                &mut results,
                &format!("ratio.{name}"),
                &a.label(),
                &b.label(),
                e,
            );
            say!("{line}");
        }
    }
    // Which step bought more: from the pointer graph without locks to the arena, or from the
    // graph with locks to the graph without? Round by round, the first ratio over the second.
    let steps: Vec<f64> = paired(&runs[&arena], &runs[&rc], seconds)
        .iter()
        .zip(paired(&runs[&rc], &runs[&weak0], seconds))
        .map(|(graph, sync)| graph / sync)
        .collect();
    let line = comparison(
        &mut results,
        "ratio.graph_step_over_sync_step",
        "(arena / rc-refcell)",
        "(rc-refcell / arc-mutex-weak (0 workers))",
        Estimate::of(&steps),
    );
    say!("{line}");
    // Threads: each worker count against the same design linking inline, and what Amdahl's law
    // allows when only `link` runs in parallel.
    let batches = events.div_ceil(spec.batch_len) as f64;
    let us_per_batch = |s: f64| s * 1e6 / batches;
    let mut per_batch = Vec::new();
    for design in Design::ALL.into_iter().filter(|d| d.threaded()) {
        let inline = Setup::new(design, 0);
        let Some(r0) = runs.get(&inline) else {
            continue;
        };
        let link_share = r0.median(|x| x.get("link") / x.get("seconds"));
        for &n in options.workers.iter().filter(|&&n| n > 0) {
            let setup = Setup::new(design, n);
            if let Some(rn) = runs.get(&setup) {
                let key = format!("threads.{}.w{n}", design.name());
                let e = Estimate::of(&paired(rn, r0, seconds));
                let line = comparison(
                    &mut results,
                    &format!("{key}_over_w0"),
                    &setup.label(),
                    &inline.label(),
                    e,
                );
                say!("{line}");
                let link = Estimate::of(&paired(rn, r0, |r| r.get("link")));
                let line = comparison(
                    &mut results,
                    &format!("{key}_link_over_w0"),
                    &format!("{}, link phase", setup.label()),
                    &format!("{}, link phase", inline.label()),
                    link,
                );
                say!("{line}");
                let bound = 1.0 / ((1.0 - link_share) + link_share / n as f64);
                results.num(format!("{key}_amdahl_bound"), bound);
                // What the workers added to each batch, round by round.
                let extra: Vec<f64> =
                    rn.0.iter()
                        .zip(&r0.0)
                        .map(|(x, y)| us_per_batch(x.get("seconds") - y.get("seconds")))
                        .collect();
                let extra = Estimate::of(&extra);
                extra.record(&mut results, &format!("{key}_extra_us_per_batch"));
                per_batch.push(format!(
                    "{:<40} {:>+8.0} us per batch {:>12}   against {}",
                    setup.label(),
                    extra.median,
                    format!("{:.0}..{:.0}", extra.low, extra.high),
                    inline.label()
                ));
                // More workers than one: what they took beyond one worker's time minus the share
                // of the inline link phase that the others could take over (half of it for two),
                // round by round. What is left is what the extra workers cost: contention, cache
                // lines moving between cores, waking them.
                let Some(r1) = runs.get(&Setup::new(design, 1)).filter(|_| n > 1) else {
                    continue;
                };
                let beyond: Vec<f64> = rn
                    .0
                    .iter()
                    .zip(&r1.0)
                    .zip(&r0.0)
                    .map(|((x, one), zero)| {
                        let ideal = one.get("seconds") - zero.get("link") * (1.0 - 1.0 / n as f64);
                        us_per_batch(x.get("seconds") - ideal)
                    })
                    .collect();
                let beyond = Estimate::of(&beyond);
                beyond.record(&mut results, &format!("{key}_beyond_ideal_us_per_batch"));
                per_batch.push(format!(
                    "{:<40} {:>+8.0} us per batch {:>12}   against {} minus {}/{n} of {}'s link \
                     phase",
                    setup.label(),
                    beyond.median,
                    format!("{:.0}..{:.0}", beyond.low, beyond.high),
                    Setup::new(design, 1).label(),
                    n - 1,
                    inline.label()
                ));
            }
        }
    }
    say!("");
    say!(
        "what workers add to a batch, round by round (median, interval), in microseconds: against \
         linking inline; and, for more than one worker, against one worker's time minus the part \
         of the inline link phase the others could take over"
    );
    for line in per_batch {
        say!("{line}");
    }
    let leaked = |design: Design| {
        memory
            .iter()
            .find(|(s, _)| s.design == design)
            .map_or(0.0, |(_, r)| r.get("after_drop"))
    };
    let mut leak_line = String::from("leaked after drop:");
    for (i, design) in Design::ALL.iter().enumerate() {
        let sep = if i == 0 { " " } else { ", " };
        let _ = write!(
            leak_line,
            "{sep}{} {:.0} bytes",
            design.name(),
            leaked(*design)
        );
    }
    // The two lines the chapter (and anyone comparing runs) looks for first: the headline ratio,
    // against the fastest Arc<Mutex> configuration of this run, and the leak.
    let headline = Estimate::of(&paired(&runs[&arena], &runs[&best_arc], seconds));
    say!("");
    say!(
        "throughput ratio arena/arc-mutex: {:.2}   (against the fastest Arc<Mutex> setup, {}, \
         the pre-touched control aside; interval {:.2}..{:.2})",
        headline.median,
        best_arc.label(),
        headline.low,
        headline.high
    );
    say!("{leak_line}");
    for design in Design::ALL {
        results.num(format!("{}.leaked_bytes", design.name()), leaked(design));
    }

    // Where the time goes.
    say!("");
    say!(
        "where the time goes: share of the run in each phase, ns per event; latency of one batch \
         (link, expire, and the report when one is due), microseconds; page faults. Every cell is \
         the median of its own column over the runs, so the shares of a row need not add up to \
         100%. (How the CPU time splits between user and kernel is not shown: Linux samples that \
         split at the timer tick unless built to account it exactly, so it is noise here.)"
    );
    say!(
        "{:<40} {:>11} {:>11} {:>11} {:>9} {:>9} {:>8}",
        "setup",
        "link",
        "expire",
        "report",
        "batch p50",
        "batch p99",
        "faults"
    );
    for setup in &setups {
        let r = &runs[setup];
        let key = setup.key();
        let mut cells = Vec::new();
        for phase in ["link", "expire", "report"] {
            let pct = r.median(|x| 100.0 * x.get(phase) / x.get("seconds"));
            let per_event = Estimate::of(&r.values(|x| x.get(phase) * 1e9 / events as f64));
            let ns = per_event.median;
            results.num(format!("{key}.{phase}_pct"), pct);
            per_event.record(&mut results, &format!("{key}.{phase}_ns"));
            cells.push(format!("{pct:>3.0}% {ns:>5.0}"));
        }
        let p50 = r.median(|x| x.get("batch_p50")) * 1e6;
        let p99 = r.median(|x| x.get("batch_p99")) * 1e6;
        let faults = r.median(|x| x.get("minor_faults"));
        results.num(format!("{key}.batch_us_p50"), p50);
        results.num(format!("{key}.batch_us_p99"), p99);
        results.num(format!("{key}.minor_faults"), faults);
        say!(
            "{:<40} {:>11} {:>11} {:>11} {:>9.0} {:>9.0} {:>8.0}",
            setup.label(),
            cells[0],
            cells[1],
            cells[2],
            p50,
            p99,
            faults
        );
    }
    // What the page faults cost: the leaking design against its pre-touched control, round by
    // round, per event and per fault avoided. (Not from the kernel's share of the CPU time,
    // which Linux samples at the timer tick.) The control avoids every fault of the run, the
    // leak's and those that any design takes.
    let strong0 = Setup::new(Design::ArcMutex, 0);
    if let (Some(s), Some(w), Some(p)) =
        (runs.get(&strong0), runs.get(&weak0), runs.get(&pretouched))
    {
        let extra = s.median(|x| x.get("minor_faults")) - w.median(|x| x.get("minor_faults"));
        results.num("leak.extra_faults", extra);
        let saved_ns: Vec<f64> =
            s.0.iter()
                .zip(&p.0)
                .map(|(x, y)| (x.get("seconds") - y.get("seconds")) * 1e9 / events as f64)
                .collect();
        let per_fault_us: Vec<f64> =
            s.0.iter()
                .zip(&p.0)
                .map(|(x, y)| {
                    let avoided = (x.get("minor_faults") - y.get("minor_faults")).max(1.0);
                    (x.get("seconds") - y.get("seconds")) * 1e6 / avoided
                })
                .collect();
        let avoided = s.median(|x| x.get("minor_faults")) - p.median(|x| x.get("minor_faults"));
        let saved_ns = Estimate::of(&saved_ns);
        let per_fault_us = Estimate::of(&per_fault_us);
        results.num("leak.avoided_faults", avoided);
        saved_ns.record(&mut results, "leak.control_saved_ns_per_event");
        per_fault_us.record(&mut results, "leak.control_us_per_avoided_fault");
        say!(
            "page faults: arc-mutex (0 workers) took {extra:.0} more than arc-mutex-weak (0 \
             workers); its pre-touched control avoided {avoided:.0}, and ran {:.0} ns per event \
             faster ({:.0}..{:.0}), round by round: {:.2} us per avoided fault ({:.2}..{:.2})",
            saved_ns.median,
            saved_ns.low,
            saved_ns.high,
            per_fault_us.median,
            per_fault_us.low,
            per_fault_us.high
        );
    }

    // Locks.
    say!("");
    say!(
        "locks (median of each column): acquisitions per event, and the share that found the \
         lock held by another thread; voluntary context switches (a thread went to sleep) per run"
    );
    say!(
        "{:<40} {:>22} {:>22} {:>9}",
        "setup",
        "index lock",
        "node locks",
        "switches"
    );
    for setup in setups.iter().filter(|s| s.design.threaded()) {
        let r = &runs[setup];
        let key = setup.key();
        let mut cells = Vec::new();
        for lock in ["index", "nodes"] {
            let acquired = r.median(|x| x.get(&format!("{lock}_acquired")));
            let held = r.median(|x| x.get(&format!("{lock}_held")));
            let pct = 100.0 * held / acquired.max(1.0);
            results.num(
                format!("{key}.{lock}_lock_per_event"),
                acquired / events as f64,
            );
            results.num(format!("{key}.{lock}_lock_held_pct"), pct);
            cells.push(format!(
                "{:.2}/event {pct:>5.1}% held",
                acquired / events as f64
            ));
        }
        let switches = r.median(|x| x.get("voluntary_switches"));
        results.num(format!("{key}.voluntary_switches"), switches);
        say!(
            "{:<40} {:>22} {:>22} {:>9.0}",
            setup.label(),
            cells[0],
            cells[1],
            switches
        );
    }

    // Memory.
    say!("");
    say!(
        "memory (the instrumented run): live bytes as counted by the allocator, sampled after \
         each batch; resident memory (RSS) as Linux reports it, growth over the run; the largest \
         rise of the live heap from one batch to the next once the window is full, and after \
         how many events"
    );
    say!(
        "{:<40} {:>11} {:>11} {:>10} {:>8} {:>10} {:>10} {:>16}",
        "setup",
        "max sampled",
        "live at end",
        "after drop",
        "B/event",
        "RSS growth",
        "RSS peak",
        "largest rise"
    );
    let mut steps_at = Vec::new();
    // Samples taken while the first window fills (and the batch after) are left out of the
    // search for a rise: every structure grows then.
    let filling = (options.window_ms / spec.batch_ms) as usize + 2;
    for (setup, r) in &memory {
        if setup.workers == 0 {
            // What the memory chart draws (see `telemetry_agent::charts`).
            results.text(
                format!("memory.{}.samples", setup.design.name()),
                r.text("samples"),
            );
        }
        let samples: Vec<f64> = r
            .text("samples")
            .split(',')
            .filter_map(|s| s.parse().ok())
            .collect();
        let max_sampled = max(&samples).max(0.0);
        // Growth per event once the window is full: from a quarter of the run to its end.
        let quarter = samples.len() / 4;
        let per_event = (samples.last().copied().unwrap_or(0.0)
            - samples.get(quarter).copied().unwrap_or(0.0))
            / ((samples.len() - quarter).max(1) * spec.batch_len) as f64;
        let per_event = if per_event.abs() < 0.05 {
            0.0
        } else {
            per_event
        }; // no "-0.0"
        // The largest rise from one sample to the next once the window is full, and where.
        let (rise_at, rise) = samples
            .windows(2)
            .enumerate()
            .skip(filling)
            .map(|(n, w)| ((n + 2) * spec.batch_len, w[1] - w[0]))
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, 0.0));
        if setup.workers == 0 {
            steps_at.push(rise_at as f64);
        }
        let key = setup.key();
        results.num(format!("{key}.live_max_sampled_mib"), max_sampled / MIB);
        results.num(format!("{key}.live_end_mib"), r.get("live_end") / MIB);
        results.num(format!("{key}.after_drop_bytes"), r.get("after_drop"));
        results.num(format!("{key}.after_drop_mib"), r.get("after_drop") / MIB);
        results.num(format!("{key}.live_growth_bytes_per_event"), per_event);
        results.num(format!("{key}.rss_growth_mib"), r.get("rss_growth") / MIB);
        results.num(
            format!("{key}.rss_peak_growth_mib"),
            r.get("rss_peak_growth") / MIB,
        );
        results.num(
            format!("{key}.rss_growth_bytes_per_event"),
            r.get("rss_growth") / events as f64,
        );
        results.num(format!("{key}.largest_rise_events"), rise_at as f64);
        results.num(format!("{key}.largest_rise_mib"), rise / MIB);
        say!(
            "{:<40} {:>11} {:>11} {:>10} {:>8.1} {:>10} {:>10} {:>16}",
            setup.label(),
            mib(max_sampled),
            mib(r.get("live_end")),
            r.text("after_drop"),
            per_event,
            mib(r.get("rss_growth")),
            mib(r.get("rss_peak_growth")),
            format!("{} at {}", mib(rise), rise_at)
        );
    }
    results.num("memory.largest_rise_events_min", min(&steps_at));
    results.num("memory.largest_rise_events_max", max(&steps_at));

    // The leak as a creep: fewer events in cycles.
    say!("");
    say!(
        "the leak with fewer linked events (arc-mutex, 0 workers): bytes leaked per event, and \
         per hour at {EVENTS_PER_SECOND:.0} events per second"
    );
    for &pct in options
        .creep_linked_pct
        .iter()
        .chain(std::iter::once(&spec.linked_pct))
    {
        let leak = if pct == spec.linked_pct {
            leaked(Design::ArcMutex)
        } else {
            Job {
                linked_pct: pct,
                ..job(strong0, true)
            }
            .run()
            .get("after_drop")
        };
        let per_event = leak / events as f64;
        let per_hour = per_event * EVENTS_PER_SECOND * 3600.0 / MIB;
        results.num(format!("creep.linked{pct}.bytes_per_event"), per_event);
        results.num(format!("creep.linked{pct}.mib_per_hour"), per_hour);
        say!("  {pct:>3}% linked: {per_event:>6.1} B/event, {per_hour:>7.0} MiB per hour");
    }

    // Side experiments: the best Arc setup against the arena, in pairs of runs (which goes
    // first alternates), on a shorter stream.
    let side = |parse_rounds: usize, linked_pct: u64| -> (Runs, Runs) {
        let (mut arc_runs, mut arena_runs) = (Runs::default(), Runs::default());
        for round in 0..options.side_reps {
            for i in 0..2 {
                let setup = [best_arc, arena][(i + round) % 2];
                let report = Job {
                    events: options.side_events,
                    parse_rounds,
                    linked_pct,
                    ..job(setup, false)
                }
                .run();
                if setup == arena {
                    arena_runs.0.push(report);
                } else {
                    arc_runs.0.push(report);
                }
            }
            let (a, b) = (&arc_runs.0[round], &arena_runs.0[round]);
            assert_eq!(
                a.text("aggregates"),
                b.text("aggregates"),
                "the pair disagrees"
            );
        }
        (arc_runs, arena_runs)
    };
    let (side_rank, side_coverage, side_one_side) = interval_rank(options.side_reps);
    results.num("side.events", options.side_events as f64);
    results.num("side.reps", options.side_reps as f64);
    results.num("side.interval_rank", side_rank as f64);
    results.num("side.interval_coverage_pct", 100.0 * side_coverage);
    results.num("side.one_side_error_pct", 100.0 * side_one_side);

    // Why not 15%? Work outside the graph.
    say!("");
    say!(
        "why not 15%? each event's text line parsed k times before it is linked; the best Arc \
         setup ({}) against the arena, {} events, {} pairs of runs; intervals from the {} to \
         the {} pair ({:.2}%; each end wrong with {:.3}%); graph = link + expire + report",
        best_arc.label(),
        options.side_events,
        options.side_reps,
        nth(side_rank, "smallest"),
        nth(side_rank, "largest"),
        100.0 * side_coverage,
        100.0 * side_one_side
    );
    say!(
        "{:>4} {:>11} {:>7} {:>12} {:>8} {:>14} {:>12}",
        "k",
        "graph share",
        "gain",
        "interval",
        "Amdahl",
        "graph speed-up",
        "interval"
    );
    let mut points = Vec::new();
    let mut s0 = Estimate::of(&[]);
    let mut last_s = s0;
    for &k in &options.parse_rounds {
        let (arc_runs, arena_runs) = side(k, spec.linked_pct);
        let gain = Estimate::of(&paired(&arena_runs, &arc_runs, seconds));
        let s = Estimate::of(&paired(&arena_runs, &arc_runs, Report::graph));
        let share = arc_runs.median(|r| r.graph() / r.get("seconds"));
        let key = format!("amdahl.k{k}");
        if k == 0 {
            // No parsing: the graph's own speed-up, which the law needs, and the reference
            // point for the flatter graph below.
            s0 = s;
            s.record(&mut results, "amdahl.graph_speedup");
            gain.record(
                &mut results,
                &format!("shape.linked{}.gain", spec.linked_pct),
            );
            say!(
                "{k:>4} {:>10.0}% {:>6.2}x {:>12} {:>8} {:>13.2}x {:>12}",
                100.0 * share,
                gain.median,
                format!("{:.2}..{:.2}", gain.low, gain.high),
                "",
                s.median,
                format!("{:.2}..{:.2}", s.low, s.high)
            );
            continue;
        }
        let predicted = amdahl(s0.median, share);
        gain.record(&mut results, &format!("{key}.gain"));
        s.record(&mut results, &format!("{key}.graph_speedup"));
        results.num(format!("{key}.graph_share_pct"), 100.0 * share);
        results.num(format!("{key}.predicted"), predicted);
        results.num(
            format!("{key}.share_for_15pct"),
            100.0 * share_for(1.15, s.median),
        );
        points.push(Point {
            gain,
            predicted,
            speedup: s,
        });
        last_s = s;
        say!(
            "{k:>4} {:>10.0}% {:>6.2}x {:>12} {:>7.2}x {:>13.2}x {:>12}",
            100.0 * share,
            gain.median,
            format!("{:.2}..{:.2}", gain.low, gain.high),
            predicted,
            s.median,
            format!("{:.2}..{:.2}", s.low, s.high)
        );
    }
    let above = points.iter().filter(|p| p.predicted > p.gain.high).count();
    let below = points.iter().filter(|p| p.predicted < p.gain.low).count();
    results.num("amdahl.points", points.len() as f64);
    results.num("amdahl.points_above", above as f64);
    results.num("amdahl.points_below", below as f64);
    results.num(
        "amdahl.points_within",
        (points.len() - above - below) as f64,
    );
    results.num("amdahl.share_for_15pct", 100.0 * share_for(1.15, s0.median));
    let worst = points
        .iter()
        .map(|p| 100.0 * (p.predicted / p.gain.median - 1.0).abs())
        .fold(0.0, f64::max);
    results.num("amdahl.max_error_pct", worst);
    // The law is arithmetic; what a point tests is its premise, that the graph is as much faster
    // with parsing around it as without: whether the two speed-ups' intervals overlap.
    let overlapping = points
        .iter()
        .filter(|p| p.speedup.low <= s0.high && s0.low <= p.speedup.high)
        .count();
    results.num("amdahl.points_speedup_overlapping", overlapping as f64);
    say!(
        "Amdahl: the law with the graph's speed-up at k = 0 ({:.2}x), at each point's graph \
         share; it lies above the point's interval at {above} of {} points, below it at \
         {below}, and at most {worst:.1}% away from its median. The graph's speed-up's interval \
         overlaps that of k = 0 at {overlapping} of the {} points. It gives 15% when the graph \
         is {:.0}% of the time; with the speed-up measured at the last k ({:.2}x), {:.0}%",
        s0.median,
        points.len(),
        points.len(),
        100.0 * share_for(1.15, s0.median),
        last_s.median,
        100.0 * share_for(1.15, last_s.median)
    );

    // A flatter graph: fewer events linked.
    let flat = options.flat_linked_pct;
    let (arc_runs, arena_runs) = side(0, flat);
    let flat_gain = Estimate::of(&paired(&arena_runs, &arc_runs, seconds));
    flat_gain.record(&mut results, &format!("shape.linked{flat}.gain"));
    say!(
        "a flatter graph: with {flat}% of events linked instead of {}%, the arena against the \
         best Arc setup: {:.2}x ({:.2}..{:.2})",
        spec.linked_pct,
        flat_gain.median,
        flat_gain.low,
        flat_gain.high
    );

    say!("");
    say!(
        "total time of this comparison: {:.0} s",
        started.elapsed().as_secs_f64()
    );

    if let Some(dir) = &options.out {
        std::fs::create_dir_all(dir).expect("cannot create the output folder");
        // The charts are drawn from results.txt as written, so that tests/charts.rs can redraw
        // them from the committed file and find a chart edited by hand.
        let written = results.render();
        let charts = charts::draw(&charts::parse(&written))
            .unwrap_or_else(|why| panic!("cannot draw the charts: {why}"));
        let mut files = vec![("compare.txt", text.clone()), ("results.txt", written)];
        files.extend(charts);
        for (name, contents) in files {
            let path = dir.join(name);
            std::fs::write(&path, contents).expect("cannot write an output file");
            println!("wrote {}", path.display());
        }
    }
}

/// Records a comparison under `key` and returns its line of the table.
fn comparison(results: &mut Results, key: &str, a: &str, b: &str, e: Estimate) -> String {
    e.record(results, key);
    format!(
        "{a:<40} {b:<42} {:>6.2}x {:>12}  {}",
        e.median,
        format!("{:.2}..{:.2}", e.low, e.high),
        e.verdict()
    )
}

/// The share of the time a part `s` times faster must take for the whole to gain `gain`; 100%
/// when even all of the time would not do.
fn share_for(gain: f64, s: f64) -> f64 {
    if s <= gain {
        1.0
    } else {
        (1.0 - 1.0 / gain) / (1.0 - 1.0 / s)
    }
}

/// `smallest`, `2nd smallest`, `4th largest`.
fn nth(n: usize, word: &str) -> String {
    let th = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    match n {
        1 => word.to_string(),
        _ => format!("{n}{th} {word}"),
    }
}

const MIB: f64 = 1024.0 * 1024.0;

fn workers(n: usize) -> String {
    format!("{n} worker{}", if n == 1 { "" } else { "s" })
}

fn mib(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / MIB)
}

/// `--criterion FILE`: Criterion's result lines, as saved by `regenerate`, added to the
/// `results.txt` in `dir` as `criterion.<benchmark>.ms` (its estimate of the mean time of one
/// iteration), `_low` and `_high` (its confidence interval, of level `1 - ONE_SIDE_ERROR`), and
/// the arena's speed against the best `Arc` setup of `compare`, with the interval that the two
/// intervals allow: each of its ends is wrong only if one of two ends is, each with probability
/// `ONE_SIDE_ERROR / 2`.
fn add_criterion(saved: &Path, dir: &Path) {
    let text = std::fs::read_to_string(saved)
        .unwrap_or_else(|e| usage(&format!("cannot read {}: {e}", saved.display())));
    let path = dir.join("results.txt");
    let old = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| usage(&format!("cannot read {}: {e}", path.display())));
    let mut results = Results::default();
    for (key, value) in charts::parse(&old) {
        if !key.starts_with("criterion.") {
            results.text(key, value);
        }
    }
    // `ingest/arena.w0   time:   [26.509 ms 29.050 ms 31.624 ms]`, the time on the same line
    // or on the next.
    let mut times: BTreeMap<String, [f64; 3]> = BTreeMap::new();
    let mut name = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("ingest/") {
            name = rest.split_whitespace().next().map(str::to_string);
        }
        if let (Some(n), Some(at)) = (&name, line.find("time:")) {
            let words: Vec<&str> = line[at + 5..]
                .trim()
                .trim_matches(['[', ']'])
                .split_whitespace()
                .collect();
            let ms = |value: &str, unit: &str| -> f64 {
                let v: f64 = value.parse().expect("a Criterion time");
                v * match unit {
                    "s" => 1e3,
                    "ms" => 1.0,
                    "µs" | "us" => 1e-3,
                    "ns" => 1e-6,
                    other => panic!("unknown unit {other}"),
                }
            };
            if let [a, ua, b, ub, c, uc] = words[..] {
                times.insert(n.clone(), [ms(a, ua), ms(b, ub), ms(c, uc)]);
            }
            name = None;
        }
    }
    assert!(
        !times.is_empty(),
        "no Criterion result in {}",
        saved.display()
    );
    for (bench, [low, mean, high]) in &times {
        results.num(format!("criterion.{bench}.ms"), *mean);
        results.num(format!("criterion.{bench}.ms_low"), *low);
        results.num(format!("criterion.{bench}.ms_high"), *high);
    }
    let best = format!(
        "{}.w{}",
        results
            .0
            .get("best_arc.design")
            .expect("results.txt names the best Arc setup"),
        results.0.get("best_arc.workers").expect("and its workers")
    );
    results.num("criterion.confidence_pct", 100.0 * (1.0 - ONE_SIDE_ERROR));
    results.num("criterion.one_side_error_pct", 100.0 * ONE_SIDE_ERROR);
    if let (Some(arc), Some(arena)) = (times.get(&best), times.get("arena.w0")) {
        results.num("criterion.arena_over_best_arc", arc[1] / arena[1]);
        results.num("criterion.arena_over_best_arc_low", arc[0] / arena[2]);
        results.num("criterion.arena_over_best_arc_high", arc[2] / arena[0]);
    }
    std::fs::write(&path, results.render()).expect("cannot write results.txt");
    println!(
        "added {} Criterion results to {}",
        times.len(),
        path.display()
    );
}

/// One measured point of the "Why not 15%?" chart.
struct Point {
    /// The arena's gain over it, paired run by run.
    gain: Estimate,
    /// What Amdahl's law predicts from the graph's speed-up without parsing.
    predicted: f64,
    /// The graph's own speed-up, measured inside the same runs.
    speedup: Estimate,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_median_interval_has_the_coverage_the_binomial_gives() {
        let pct = |p: f64| (p * 1e6).round() / 1e4;
        let round =
            |(rank, coverage, one_side): (usize, f64, f64)| (rank, pct(coverage), pct(one_side));
        // n = 5: too few for 0.1%; only the smallest and the largest, each wrong with 1/32.
        assert_eq!(round(interval_rank(5)), (1, 93.75, 3.125));
        // The extremes of 11: wrong with 1/2048 each.
        assert_eq!(round(interval_rank(11)), (1, 99.9023, 0.0488));
        // The 4th smallest and largest of 21: (1 + 21 + 210 + 1330) / 2^21 each.
        assert_eq!(round(interval_rank(21)), (4, 99.851, 0.0745));
        assert!(interval_rank(21).2 <= ONE_SIDE_ERROR);
        assert!(
            interval_rank(21).0 < 5,
            "the 5th would be wrong with more than 0.1%"
        );
        // Nine values: the smallest and the largest (each wrong with 1/512).
        let e = Estimate::of(&[6.0, 2.0, 5.0, 3.0, 4.0, 10.0, 9.0, 8.0, 7.0]);
        assert_eq!((e.median, e.low, e.high), (6.0, 2.0, 10.0));
        assert_eq!(e.verdict(), "faster");
    }

    #[test]
    fn amdahl_and_its_inverse_agree() {
        let share = share_for(1.15, 3.0);
        assert!((amdahl(3.0, share) - 1.15).abs() < 1e-12);
        assert_eq!(share_for(1.15, 1.1), 1.0);
    }
}
