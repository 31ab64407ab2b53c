//! Runs the same workload through every design and worker count and reports what it cost:
//!
//! ```text
//! cargo run --release -p telemetry-agent --bin compare -- [--out DIR | --no-out] [--events N]
//!     [--reps N] [--workers 0,1,2] [--window-ms N] [--parse-rounds 1,4,16,48] [--quick]
//! ```
//!
//! Every measurement runs in a fresh process (this program, started again with `--child`), so
//! no run inherits another's heap, leaked memory or page-fault history, and the operating
//! system's counters (page faults, CPU time, resident memory) belong to that run alone.
//!
//! * Memory: one run per configuration with the counting allocator on, sampling the live heap
//!   after every batch.
//! * Time: `--reps` rounds; each round runs every configuration once, in a shuffled order, with
//!   the counting allocator off. Each run times its phases (link, expire, report) and each batch.
//! * "Why not 15%?": the best `Arc` configuration and the arena again, with each event's text
//!   line parsed `k` times before it is linked: work outside the graph.
//!
//! It writes `compare.txt` (what it prints), `results.txt` (every number, as `key = value`
//! lines, for the book's tests) and the charts into the book's `src/img/case-study/`, or into
//! `--out DIR`; `--no-out` only prints. `--quick` (a short run for development) only prints
//! unless `--out` is given.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use telemetry_agent::alloc_counter::{
    CountingAlloc, live_bytes, stop_counting, threads_sharing_a_counter,
};
use telemetry_agent::probe::{Usage, resident_bytes};
use telemetry_agent::svg::{Bar, Series, bar_chart, line_chart};
use telemetry_agent::workload::{Spec, SplitMix64, generate, parse_line, to_line};
use telemetry_agent::{Config, Design, Event, LockCounts};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const FLUSH_EVERY: usize = 10;
/// Stream time per second of events in [`Spec::standard`]: 10,000 events per second.
const EVENTS_PER_SECOND: f64 = 10_000.0;

struct Options {
    events: usize,
    reps: usize,
    workers: Vec<usize>,
    window_ms: u64,
    parse_rounds: Vec<usize>,
    amdahl_events: usize,
    amdahl_reps: usize,
    creep_linked_pct: Vec<u64>,
    out: Option<PathBuf>,
    quick: bool,
    no_out: bool,
}

fn parse_args(args: &[String]) -> Options {
    let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut options = Options {
        events: 300_000,
        reps: 11,
        workers: (0..=cpus).collect(),
        window_ms: 2_000,
        parse_rounds: vec![1, 4, 16, 48],
        amdahl_events: 100_000,
        amdahl_reps: 5,
        creep_linked_pct: vec![1, 5, 20],
        out: None,
        quick: false,
        no_out: false,
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
            "--quick" => {
                options.quick = true;
                options.events = 60_000;
                options.reps = 3;
                options.amdahl_events = 30_000;
                options.amdahl_reps = 3;
            }
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    if options.out.is_none() && !options.quick && !options.no_out {
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
         [--window-ms N] [--parse-rounds 1,4,16] [--quick]"
    );
    std::process::exit(if problem.is_empty() { 0 } else { 2 })
}

// --- one configuration, one run ------------------------------------------------------------

/// A design and the worker threads it runs with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Setup {
    design: Design,
    workers: usize,
}

impl Setup {
    /// `arc-mutex.w2`: the prefix of its keys in `results.txt`.
    fn key(self) -> String {
        format!("{}.w{}", self.design.name(), self.workers)
    }

    fn label(self) -> String {
        if self.design.threaded() {
            format!("{} ({})", self.design.name(), workers(self.workers))
        } else {
            self.design.name().to_string()
        }
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
            events,
            window_ms,
            linked_pct,
            parse_rounds,
            mode,
        ] = args
        else {
            usage("--child needs 7 values")
        };
        let design = Design::from_name(design).unwrap_or_else(|| usage("no such design"));
        Job {
            setup: Setup {
                design,
                workers: number(workers),
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
}

/// The child process: one run of one configuration, reported as `key value` lines.
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

    let (rss_before, _) = resident_bytes().unwrap_or_default();
    let baseline = live_bytes(); // everything above is not the agent's
    let usage_before = Usage::now();
    let start = Instant::now();
    let mut agent = job.setup.design.build(job.config());
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
    let final_report = agent.aggregates();
    let seconds = start.elapsed().as_secs_f64();
    let used = Usage::now().since(usage_before);
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

/// Every timed run of one setup.
#[derive(Default)]
struct Runs(Vec<Report>);

impl Runs {
    fn values(&self, f: impl Fn(&Report) -> f64) -> Vec<f64> {
        self.0.iter().map(f).collect()
    }

    fn median(&self, f: impl Fn(&Report) -> f64) -> f64 {
        median(&self.values(f))
    }

    /// Events per second of each run (building and dropping the agent not counted).
    fn rates(&self, events: usize) -> Vec<f64> {
        self.values(|r| events as f64 / r.get("seconds"))
    }
}

/// The CPU's name as Linux reports it, if it does.
fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|name| name.trim().to_string())
        })
        .unwrap_or_else(|| "CPU model unknown".to_string())
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
             # Throughputs in millions of events per second, times in nanoseconds per event or\n\
             # microseconds per batch, shares and ratios of held locks in percent.\n",
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
    let options = parse_args(&args);
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

    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    let spec = Spec::standard(options.events);
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
    say!("machine: {cpus} CPUs available ({})", cpu_model());
    say!(
        "method: every run in a fresh process; {} timed rounds, each running every setup once \
         in a shuffled order, without the allocation counter; one more run per setup with it",
        options.reps
    );
    results.num("machine.cpus", cpus as f64);
    results.text("machine.cpu", cpu_model());
    results.num("workload.events", options.events as f64);
    results.num("workload.window_ms", options.window_ms as f64);
    results.num("workload.linked_pct", spec.linked_pct as f64);
    results.num("runs.reps", options.reps as f64);

    // ANCHOR: setups
    // The one worker-count rule: threaded designs with each count of the sweep, the others
    // with none.
    let mut setups = Vec::new();
    for design in Design::ALL {
        if design.threaded() {
            for &workers in &options.workers {
                setups.push(Setup { design, workers });
            }
        } else {
            setups.push(Setup { design, workers: 0 });
        }
    }
    // ANCHOR_END: setups
    results.num("runs.setups", setups.len() as f64);
    let job = |setup: Setup, memory: bool| Job {
        setup,
        events: options.events,
        window_ms: options.window_ms,
        linked_pct: spec.linked_pct,
        parse_rounds: 0,
        memory,
    };

    // Memory, one instrumented run each; this also checks that all setups agree.
    let memory: Vec<(Setup, Report)> = setups.iter().map(|&s| (s, job(s, true).run())).collect();
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
        "aggregates: identical for all {} setups ({} live events, {} linked, and the same \
         sums of fan-out and descendants)",
        setups.len(),
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
            runs.entry(setup).or_default().0.push(report);
        }
    }
    // ANCHOR_END: rounds
    let events = options.events;
    let rate = |s: &Setup| median(&runs[s].rates(events));
    let best_arc = *setups
        .iter()
        .filter(|s| s.design.threaded())
        .max_by(|a, b| rate(a).total_cmp(&rate(b)))
        .expect("at least one Arc setup");
    let arena = Setup {
        design: Design::Arena,
        workers: 0,
    };

    say!("");
    say!("throughput, millions of events per second: median of the runs, slowest..fastest run");
    say!(
        "{:<16} {:>7} {:>8} {:>15} {:>14}",
        "design",
        "workers",
        "median",
        "slowest..fastest",
        "vs best Arc"
    );
    for setup in &setups {
        let rates = runs[setup].rates(events);
        let m = median(&rates) / 1e6;
        say!(
            "{:<16} {:>7} {:>8.2} {:>15} {:>13.2}x",
            setup.design.name(),
            setup.workers,
            m,
            format!("{:.2}..{:.2}", min(&rates) / 1e6, max(&rates) / 1e6),
            median(&rates) / rate(&best_arc)
        );
        let key = setup.key();
        results.num(format!("{key}.meps"), m);
        results.num(format!("{key}.meps_min"), min(&rates) / 1e6);
        results.num(format!("{key}.meps_max"), max(&rates) / 1e6);
    }

    // Per-round ratios: the arena against the best Arc setup of the same round.
    let per_round = |a: Setup, b: Setup| -> Vec<f64> {
        runs[&a]
            .0
            .iter()
            .zip(&runs[&b].0)
            .map(|(x, y)| y.get("seconds") / x.get("seconds"))
            .collect()
    };
    let ratio = rate(&arena) / rate(&best_arc);
    let rounds = per_round(arena, best_arc);
    say!("");
    say!("throughput ratio arena/arc-mutex: {ratio:.2}");
    say!(
        "  (arc-mutex: the best Arc<Mutex> setup, {}; ratio of the two in each round: \
         {:.2}..{:.2})",
        best_arc.label(),
        min(&rounds),
        max(&rounds)
    );
    let leak = |design: Design| {
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
            leak(*design)
        );
    }
    say!("{leak_line}");
    results.num("ratio.arena_over_best_arc", ratio);
    results.num("ratio.arena_over_best_arc_min", min(&rounds));
    results.num("ratio.arena_over_best_arc_max", max(&rounds));
    results.text("best_arc.design", best_arc.design.name());
    results.num("best_arc.workers", best_arc.workers as f64);
    results.num("best_arc.meps", rate(&best_arc) / 1e6);
    for design in Design::ALL {
        results.num(format!("{}.leaked_bytes", design.name()), leak(design));
    }
    let setup_of = |design, workers| Setup { design, workers };
    for (name, a, b) in [
        ("arena_over_slotmap", arena, setup_of(Design::SlotMap, 0)),
        (
            "arena_over_rc-refcell",
            arena,
            setup_of(Design::RcRefCell, 0),
        ),
        (
            "rc-refcell_over_best_arc",
            setup_of(Design::RcRefCell, 0),
            best_arc,
        ),
    ] {
        results.num(format!("ratio.{name}"), rate(&a) / rate(&b));
    }

    // Threads: each worker count against the same design linking inline, and what Amdahl's law
    // allows when only `link` runs in parallel.
    for design in Design::ALL.into_iter().filter(|d| d.threaded()) {
        let inline = setup_of(design, 0);
        let Some(r0) = runs.get(&inline) else {
            continue;
        };
        let link_share = r0.median(|x| x.get("link") / x.get("seconds"));
        for &n in options.workers.iter().filter(|&&n| n > 0) {
            let setup = setup_of(design, n);
            if runs.contains_key(&setup) {
                let key = format!("threads.{}.w{n}", design.name());
                results.num(format!("{key}_over_w0"), rate(&setup) / rate(&inline));
                let bound = 1.0 / ((1.0 - link_share) + link_share / n as f64);
                results.num(format!("{key}_amdahl_bound"), bound);
            }
        }
    }
    for &n in &options.workers {
        let (strong, weak) = (
            setup_of(Design::ArcMutex, n),
            setup_of(Design::ArcMutexWeak, n),
        );
        if runs.contains_key(&strong) && runs.contains_key(&weak) {
            results.num(
                format!("ratio.weak_over_strong.w{n}"),
                rate(&weak) / rate(&strong),
            );
        }
    }

    // Where the time goes.
    say!("");
    say!(
        "where the time goes (median run): share of the run in each phase, ns per event; \
         latency of one batch (link, expire, and the report when one is due), microseconds"
    );
    say!(
        "{:<16} {:>7} {:>13} {:>13} {:>13} {:>9} {:>9} {:>6} {:>8}",
        "design",
        "workers",
        "link",
        "expire",
        "report",
        "batch p50",
        "batch p99",
        "sys %",
        "faults"
    );
    for setup in &setups {
        let r = &runs[setup];
        let key = setup.key();
        let mut cells = Vec::new();
        for phase in ["link", "expire", "report"] {
            // Shares are taken run by run, then the median: phases of the same run add up.
            let pct = r.median(|x| 100.0 * x.get(phase) / x.get("seconds"));
            let ns = r.median(|x| x.get(phase)) * 1e9 / events as f64;
            results.num(format!("{key}.{phase}_pct"), pct);
            results.num(format!("{key}.{phase}_ns"), ns);
            cells.push(format!("{pct:>3.0}% {ns:>6.0}"));
        }
        let p50 = r.median(|x| x.get("batch_p50")) * 1e6;
        let p99 = r.median(|x| x.get("batch_p99")) * 1e6;
        let sys =
            r.median(|x| 100.0 * x.get("system") / (x.get("system") + x.get("user")).max(1e-9));
        let faults = r.median(|x| x.get("minor_faults"));
        results.num(format!("{key}.batch_us_p50"), p50);
        results.num(format!("{key}.batch_us_p99"), p99);
        results.num(format!("{key}.system_pct"), sys);
        results.num(format!("{key}.minor_faults"), faults);
        say!(
            "{:<16} {:>7} {:>13} {:>13} {:>13} {:>9.0} {:>9.0} {:>6.1} {:>8.0}",
            setup.design.name(),
            setup.workers,
            cells[0],
            cells[1],
            cells[2],
            p50,
            p99,
            sys,
            faults
        );
    }

    // Locks.
    say!("");
    say!(
        "locks (median run): acquisitions per event, and the share that found the lock held by \
         another thread; voluntary context switches (a thread went to sleep) per run"
    );
    say!(
        "{:<16} {:>7} {:>22} {:>22} {:>9}",
        "design",
        "workers",
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
            "{:<16} {:>7} {:>22} {:>22} {:>9.0}",
            setup.design.name(),
            setup.workers,
            cells[0],
            cells[1],
            switches
        );
    }

    // Memory.
    say!("");
    say!(
        "memory (the instrumented run): live bytes as counted by the allocator, sampled after \
         each batch; resident memory (RSS) as Linux reports it, growth over the run"
    );
    say!(
        "{:<16} {:>7} {:>14} {:>12} {:>12} {:>12} {:>12} {:>12}",
        "design",
        "workers",
        "max sampled",
        "live at end",
        "after drop",
        "B/event",
        "RSS growth",
        "RSS peak"
    );
    for (setup, r) in &memory {
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
        say!(
            "{:<16} {:>7} {:>14} {:>12} {:>12} {:>12.1} {:>12} {:>12}",
            setup.design.name(),
            setup.workers,
            mib(max_sampled),
            mib(r.get("live_end")),
            r.text("after_drop"),
            per_event,
            mib(r.get("rss_growth")),
            mib(r.get("rss_peak_growth"))
        );
    }

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
        let leaked = if pct == spec.linked_pct {
            leak(Design::ArcMutex)
        } else {
            Job {
                linked_pct: pct,
                ..job(setup_of(Design::ArcMutex, 0), true)
            }
            .run()
            .get("after_drop")
        };
        let per_event = leaked / events as f64;
        let per_hour = per_event * EVENTS_PER_SECOND * 3600.0 / MIB;
        results.num(format!("creep.linked{pct}.bytes_per_event"), per_event);
        results.num(format!("creep.linked{pct}.mib_per_hour"), per_hour);
        say!("  {pct:>3}% linked: {per_event:>6.1} B/event, {per_hour:>7.0} MiB per hour");
    }

    // Why not 15%? Work outside the graph.
    say!("");
    say!(
        "why not 15%? each event's text line parsed k times before it is linked ({} events, {} \
         rounds); graph = link + expire + report",
        options.amdahl_events,
        options.amdahl_reps
    );
    say!(
        "{:>4} {:>22} {:>20} {:>12} {:>12}",
        "k",
        "graph share (best Arc)",
        "measured gain",
        "range",
        "Amdahl"
    );
    let graph = |r: &Report| r.get("link") + r.get("expire") + r.get("report");
    let arc_graph = runs[&best_arc].median(graph);
    let arena_graph = runs[&arena].median(graph);
    let s = arc_graph / arena_graph; // how much faster the graph alone is
    results.num("amdahl.graph_speedup", s);
    let amdahl = |f: f64| 1.0 / ((1.0 - f) + f / s);
    let mut measured = Vec::new();
    // k = 0 is the main measurement: the whole run is the graph.
    let whole_run = runs[&best_arc].median(|r| r.get("seconds"));
    measured.push(Point {
        share_pct: 100.0 * arc_graph / whole_run,
        gain: ratio,
        low: min(&rounds),
        high: max(&rounds),
    });
    for &k in &options.parse_rounds {
        let mut arc_runs = Vec::new();
        let mut arena_runs = Vec::new();
        for round in 0..options.amdahl_reps {
            let pair = [best_arc, arena];
            for i in 0..2 {
                let setup = pair[(i + round) % 2]; // alternate which goes first
                let report = Job {
                    setup,
                    events: options.amdahl_events,
                    parse_rounds: k,
                    ..job(setup, false)
                }
                .run();
                if setup == arena {
                    arena_runs.push(report);
                } else {
                    arc_runs.push(report);
                }
            }
        }
        let gains: Vec<f64> = arc_runs
            .iter()
            .zip(&arena_runs)
            .map(|(a, b)| a.get("seconds") / b.get("seconds"))
            .collect();
        let total = median(
            &arc_runs
                .iter()
                .map(|r| r.get("seconds"))
                .collect::<Vec<_>>(),
        );
        let share = median(&arc_runs.iter().map(graph).collect::<Vec<_>>()) / total;
        let gain = median(
            &arc_runs
                .iter()
                .map(|r| r.get("seconds"))
                .collect::<Vec<_>>(),
        ) / median(
            &arena_runs
                .iter()
                .map(|r| r.get("seconds"))
                .collect::<Vec<_>>(),
        );
        let predicted = amdahl(share);
        results.num(format!("amdahl.k{k}.graph_share_pct"), 100.0 * share);
        results.num(format!("amdahl.k{k}.gain"), gain);
        results.num(format!("amdahl.k{k}.gain_min"), min(&gains));
        results.num(format!("amdahl.k{k}.gain_max"), max(&gains));
        results.num(format!("amdahl.k{k}.predicted"), predicted);
        results.num(format!("amdahl.k{k}.gain_pct"), 100.0 * (gain - 1.0));
        measured.push(Point {
            share_pct: 100.0 * share,
            gain,
            low: min(&gains),
            high: max(&gains),
        });
        say!(
            "{k:>4} {:>21.0}% {:>19.2}x {:>12} {:>11.2}x",
            100.0 * share,
            gain,
            format!("{:.2}..{:.2}", min(&gains), max(&gains)),
            predicted
        );
    }
    // How many measured points have Amdahl's prediction within their range of runs.
    let within = measured
        .iter()
        .filter(|p| (p.low..=p.high).contains(&amdahl(p.share_pct / 100.0)))
        .count();
    results.num("amdahl.points", measured.len() as f64);
    results.num("amdahl.points_within_range", within as f64);
    // The share of time in the graph at which Amdahl's law gives 15%.
    let share_for_15 = (1.0 - 1.0 / 1.15) / (1.0 - 1.0 / s);
    results.num("amdahl.share_for_15pct", 100.0 * share_for_15);
    say!(
        "graph alone {s:.2}x faster (median graph time, best Arc setup / arena); Amdahl's law \
         gives 15% when the graph is {:.0}% of the time",
        100.0 * share_for_15
    );

    say!("");
    say!(
        "total time of this comparison: {:.0} s",
        started.elapsed().as_secs_f64()
    );

    if let Some(dir) = &options.out {
        std::fs::create_dir_all(dir).expect("cannot create the output folder");
        let mut files = vec![
            ("compare.txt", text.clone()),
            ("results.txt", results.render()),
        ];
        files.push(("throughput.svg", throughput_chart(&setups, &runs, events)));
        files.push(("memory.svg", memory_chart(&memory, spec.batch_len)));
        files.push(("amdahl.svg", amdahl_chart(&measured, amdahl)));
        for (name, contents) in files {
            let path = dir.join(name);
            std::fs::write(&path, contents).expect("cannot write an output file");
            println!("wrote {}", path.display());
        }
    }
}

const MIB: f64 = 1024.0 * 1024.0;

fn workers(n: usize) -> String {
    format!("{n} worker{}", if n == 1 { "" } else { "s" })
}

fn mib(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / MIB)
}

fn throughput_chart(setups: &[Setup], runs: &BTreeMap<Setup, Runs>, events: usize) -> String {
    let bars: Vec<Bar> = setups
        .iter()
        .map(|s| {
            let rates = runs[s].rates(events);
            let mut label = vec![s.design.name().to_string()];
            if s.design.threaded() {
                label.push(workers(s.workers));
            }
            Bar {
                label,
                value: median(&rates),
                low: min(&rates),
                high: max(&rates),
            }
        })
        .collect();
    bar_chart(
        "Throughput: median run, error bars from slowest to fastest",
        "events per second",
        &bars,
    )
}

fn memory_chart(memory: &[(Setup, Report)], batch_len: usize) -> String {
    let series: Vec<Series> = memory
        .iter()
        .filter(|(s, _)| s.workers == 0)
        .map(|(s, r)| {
            let points = std::iter::once((0.0, 0.0))
                .chain(r.text("samples").split(',').enumerate().map(|(n, v)| {
                    (
                        ((n + 1) * batch_len) as f64,
                        v.parse::<f64>().unwrap_or(0.0),
                    )
                }))
                .collect();
            Series::line(s.design.name(), points)
        })
        .collect();
    line_chart(
        "Live heap while the workload runs (no worker threads)",
        "events processed",
        "live heap (bytes)",
        &series,
    )
}

/// One measured point of the "Why not 15%?" chart.
struct Point {
    /// Share of the best Arc setup's run spent in the graph, in percent.
    share_pct: f64,
    /// Median gain of the arena over it, and the lowest and highest of the paired runs.
    gain: f64,
    low: f64,
    high: f64,
}

fn amdahl_chart(measured: &[Point], amdahl: impl Fn(f64) -> f64) -> String {
    let curve = (0..=50)
        .map(|i| {
            let share = i as f64 * 2.0;
            (share, amdahl(share / 100.0))
        })
        .collect();
    let series = [
        Series::line("Amdahl's law, from the graph's own speed-up", curve),
        Series {
            name: "measured: arena against the best Arc setup".into(),
            points: measured.iter().map(|m| (m.share_pct, m.gain)).collect(),
            spread: measured.iter().map(|m| (m.low, m.high)).collect(),
            dots: true,
        },
    ];
    line_chart(
        "End-to-end gain against the graph's share of the time",
        "share of the best Arc setup's time spent in the graph (%)",
        "gain (times faster)",
        &series,
    )
}
