//! Runs the same workload through each design and prints what it cost:
//!
//! ```text
//! cargo run --release -p telemetry-agent --bin compare -- [--events N] [--reps N]
//!     [--workers N] [--svg-dir DIR]
//! ```
//!
//! Memory is measured first, one instrumented run per design; throughput afterwards, as the
//! median of several runs, the designs taking turns so that a disturbance of the machine hits
//! all of them alike.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;
use telemetry_agent::alloc_counter::{CountingAlloc, live_bytes, threads_sharing_a_counter};
use telemetry_agent::svg::{Series, bar_chart, line_chart};
use telemetry_agent::workload::{Spec, Workload, generate};
use telemetry_agent::{Aggregates, Config, Design, run};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const FLUSH_EVERY: usize = 10;

struct Options {
    events: usize,
    reps: usize,
    workers: usize,
    window_ms: u64,
    svg_dir: Option<PathBuf>,
}

fn parse_args() -> Options {
    let mut options = Options {
        events: 300_000,
        reps: 11,
        workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
        window_ms: 2_000,
        svg_dir: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| usage(&format!("{flag} needs a value")))
        };
        let number = |text: String| -> usize {
            text.replace('_', "")
                .parse()
                .unwrap_or_else(|_| usage(&format!("not a number: {text}")))
        };
        match flag.as_str() {
            "--events" => options.events = number(value()),
            "--reps" => options.reps = number(value()).max(1),
            "--workers" => options.workers = number(value()).max(1),
            "--window-ms" => options.window_ms = number(value()) as u64,
            "--svg-dir" => options.svg_dir = Some(PathBuf::from(value())),
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    options
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("compare: {problem}");
    }
    eprintln!(
        "usage: compare [--events N] [--reps N] [--workers N] [--window-ms N] [--svg-dir DIR]"
    );
    std::process::exit(if problem.is_empty() { 0 } else { 2 })
}

/// What one instrumented run measured.
struct Memory {
    /// (events processed, live bytes above the baseline) after every batch.
    samples: Vec<(f64, f64)>,
    peak: isize,
    after_drop: isize,
    aggregates: Aggregates,
}

// ANCHOR: measure_memory
fn measure_memory(design: Design, config: Config, workload: &Workload) -> Memory {
    let mut samples = Vec::with_capacity(workload.batch_count() + 1);
    let baseline = live_bytes(); // after allocating the samples: they are not the agent's
    let mut agent = design.build(config);
    samples.push((0.0, (live_bytes() - baseline) as f64));
    let mut processed = 0;
    for (n, batch) in workload.batches().enumerate() {
        agent.ingest(batch);
        if (n + 1) % FLUSH_EVERY == 0 {
            std::hint::black_box(agent.aggregates());
        }
        processed += batch.len();
        samples.push((processed as f64, (live_bytes() - baseline) as f64));
    }
    let aggregates = agent.aggregates();
    drop(agent);
    let after_drop = live_bytes() - baseline;
    let peak = samples.iter().map(|s| s.1 as isize).max().unwrap_or(0);
    Memory {
        samples,
        peak,
        after_drop,
        aggregates,
    }
}
// ANCHOR_END: measure_memory

/// Events per second of one run, not counting building and dropping the agent.
fn measure_throughput(design: Design, config: Config, workload: &Workload) -> f64 {
    let mut agent = design.build(config);
    let start = Instant::now();
    std::hint::black_box(run(&mut *agent, workload, FLUSH_EVERY));
    let seconds = start.elapsed().as_secs_f64();
    drop(agent);
    workload.events.len() as f64 / seconds
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
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

fn mib(bytes: isize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn main() {
    let options = parse_args();
    let workload = generate(Spec::standard(options.events));
    let config = Config {
        window_ms: options.window_ms,
        workers: options.workers,
    };
    let spec = workload.spec;
    println!(
        "workload: {} events in batches of {}, {} ms of stream per batch, window {} ms, \
         {}% linked to a parent, flush every {} batches",
        workload.events.len(),
        spec.batch_len,
        spec.batch_ms,
        config.window_ms,
        spec.linked_pct,
        FLUSH_EVERY
    );
    println!(
        "machine: {} CPUs available ({}); arc-mutex designs use {} worker thread(s), arena uses 1",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        cpu_model(),
        config.workers
    );

    // Memory first, while the process is fresh; this also checks that the designs agree.
    let mut memory = HashMap::new();
    for design in Design::ALL {
        memory.insert(design, measure_memory(design, config, &workload));
    }
    let reference = &memory[&Design::Arena].aggregates;
    for design in Design::ALL {
        assert_eq!(
            &memory[&design].aggregates,
            reference,
            "{} disagrees with arena",
            design.name()
        );
    }
    println!(
        "aggregates: identical for all designs ({} live events, {} linked)",
        reference.live_events, reference.linked_events
    );

    // Throughput: the designs take turns, `reps` rounds. The one-worker variants of the Arc
    // designs separate the cost of contention from the cost of the data structure.
    let single = Config {
        workers: 1,
        ..config
    };
    let mut runs: Vec<(Design, Config, Vec<f64>)> = Design::ALL
        .iter()
        .map(|&d| (d, config, Vec::new()))
        .collect();
    if config.workers > 1 {
        runs.push((Design::ArcMutex, single, Vec::new()));
        runs.push((Design::ArcMutexWeak, single, Vec::new()));
    }
    for _ in 0..options.reps {
        for (design, config, results) in &mut runs {
            results.push(measure_throughput(*design, *config, &workload));
        }
    }
    let rate: Vec<f64> = runs.iter().map(|r| median(r.2.clone())).collect();

    println!();
    println!(
        "{:<16} {:>7} {:>14} {:>16} {:>16}",
        "design", "workers", "events/s", "peak live bytes", "after drop"
    );
    for (i, design) in Design::ALL.iter().enumerate() {
        let m = &memory[design];
        let workers = if *design == Design::Arena {
            1
        } else {
            config.workers
        };
        println!(
            "{:<16} {:>7} {:>14.0} {:>16} {:>16}",
            design.name(),
            workers,
            rate[i],
            m.peak,
            m.after_drop
        );
    }
    println!();
    let arc = rate[0];
    let arena = rate[2];
    println!("throughput ratio arena/arc-mutex: {:.2}", arena / arc);
    println!(
        "leaked after drop: arc-mutex {} bytes, arc-mutex-weak {} bytes, arena {} bytes",
        memory[&Design::ArcMutex].after_drop,
        memory[&Design::ArcMutexWeak].after_drop,
        memory[&Design::Arena].after_drop
    );

    println!();
    println!(
        "peak live heap: arc-mutex {}, arc-mutex-weak {}, arena {}",
        mib(memory[&Design::ArcMutex].peak),
        mib(memory[&Design::ArcMutexWeak].peak),
        mib(memory[&Design::Arena].peak)
    );
    for (i, (design, config, _)) in runs.iter().enumerate().skip(Design::ALL.len()) {
        println!(
            "with {} worker thread: {} {:.0} events/s ({:.2}x its {}-thread rate)",
            config.workers,
            design.name(),
            rate[i],
            rate[i] / rate[Design::ALL.iter().position(|d| d == design).unwrap_or(0)],
            options.workers
        );
    }
    println!(
        "runs per design: {}, each number above is the median; spread (min..max events/s):",
        options.reps
    );
    for (design, config, results) in &runs {
        let min = results.iter().copied().fold(f64::INFINITY, f64::min);
        let max = results.iter().copied().fold(0.0, f64::max);
        let threads = if *design == Design::Arena {
            "1 thread".to_string()
        } else {
            format!("{} worker(s)", config.workers)
        };
        println!("  {:<16} {threads:<12} {min:.0}..{max:.0}", design.name());
    }

    let sharing = threads_sharing_a_counter();
    if sharing > 0 {
        println!(
            "note: {sharing} thread(s) shared one allocation counter; their timings include \
             atomic updates the others did not pay"
        );
    }

    if let Some(dir) = options.svg_dir {
        write_charts(&dir, &rate, &memory, config.workers);
    }
}

fn write_charts(
    dir: &std::path::Path,
    rate: &[f64],
    memory: &HashMap<Design, Memory>,
    workers: usize,
) {
    std::fs::create_dir_all(dir).expect("cannot create the SVG directory");
    let bars: Vec<(String, f64)> = Design::ALL
        .iter()
        .zip(rate)
        .map(|(d, r)| (d.name().to_string(), *r))
        .collect();
    let title =
        format!("Throughput, median of runs ({workers} worker threads for the Arc designs)");
    let throughput = bar_chart(&title, "events per second", &bars);
    let series: Vec<Series> = Design::ALL
        .iter()
        .map(|d| Series {
            name: d.name().to_string(),
            points: memory[d].samples.clone(),
        })
        .collect();
    let live = line_chart(
        "Live heap while the workload runs",
        "events processed",
        "live heap (bytes)",
        &series,
    );
    for (name, svg) in [("throughput.svg", throughput), ("memory.svg", live)] {
        let path = dir.join(name);
        std::fs::write(&path, svg).expect("cannot write an SVG file");
        println!("wrote {}", path.display());
    }
}
