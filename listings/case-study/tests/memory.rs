//! Heap measurements of the designs, with a counting global allocator.
//!
//! This test binary has no libtest harness (`harness = false` in Cargo.toml): libtest runs tests
//! on parallel threads and allocates on its own between them, which would disturb a global
//! count. Here one thread runs the checks one after the other, and nothing else allocates.

use std::panic::{AssertUnwindSafe, catch_unwind};
use telemetry_agent::alloc_counter::{CountingAlloc, live_bytes};
use telemetry_agent::probe::{Usage, pretouch_heap};
use telemetry_agent::workload::{Spec, Workload, generate};
use telemetry_agent::{Config, Design};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

const CONFIG: Config = Config {
    window_ms: 1_000,
    workers: 2,
};

/// 80 batches of 500 events, 100 ms each: the window holds 10 batches, so it is full after the
/// first eighth of the stream.
fn workload() -> Workload {
    generate(Spec {
        batch_len: 500,
        ..Spec::standard(40_000)
    })
}

/// Live bytes above the baseline at 8 evenly spaced points of the run, then after the drop.
struct Measured {
    checkpoints: Vec<isize>,
    after_drop: isize,
}

// ANCHOR: measure
fn measure(design: Design, workload: &Workload) -> Measured {
    let every = (workload.batch_count() / 8).max(1);
    let mut checkpoints = Vec::with_capacity(workload.batch_count() / every);
    let baseline = live_bytes(); // after allocating the checkpoints: they are not the agent's
    let mut agent = design.build(CONFIG);
    for (n, batch) in workload.batches().enumerate() {
        agent.ingest(batch);
        if (n + 1) % every == 0 {
            checkpoints.push(live_bytes() - baseline);
        }
    }
    drop(agent);
    Measured {
        checkpoints,
        after_drop: live_bytes() - baseline,
    }
}
// ANCHOR_END: measure

fn main() {
    let workload = workload();
    // Let the standard library make its one-time allocations (thread bookkeeping, channel
    // internals) before anything is measured.
    let warm_up = generate(Spec::standard(3_000));
    for design in Design::ALL {
        measure(design, &warm_up);
    }

    type Check = fn(&Workload);
    // The last check changes glibc's settings for the rest of the process.
    let checks: [(&str, Check); 6] = [
        ("dropping_arc_mutex_leaks", dropping_arc_mutex_leaks),
        (
            "arc_mutex_without_links_frees_everything",
            arc_mutex_without_links_frees_everything,
        ),
        (
            "dropping_the_others_frees_everything",
            dropping_the_others_frees_everything,
        ),
        (
            "arc_mutex_grows_with_events_processed",
            arc_mutex_grows_with_events_processed,
        ),
        ("the_others_stay_bounded", the_others_stay_bounded),
        (
            "a_pretouched_heap_spares_the_page_faults_of_small_allocations",
            a_pretouched_heap_spares_the_page_faults_of_small_allocations,
        ),
    ];
    let mut failed = 0;
    println!("\nrunning {} memory checks, one at a time", checks.len());
    for (name, check) in checks {
        let outcome = catch_unwind(AssertUnwindSafe(|| check(&workload)));
        println!(
            "test {name} ... {}",
            if outcome.is_ok() { "ok" } else { "FAILED" }
        );
        failed += usize::from(outcome.is_err());
    }
    println!(
        "\ntest result: {}. {} passed; {failed} failed\n",
        if failed == 0 { "ok" } else { "FAILED" },
        checks.len() - failed
    );
    if failed > 0 {
        std::process::exit(1);
    }
}

// ANCHOR: leak_checks
fn dropping_arc_mutex_leaks(workload: &Workload) {
    let leaked = measure(Design::ArcMutex, workload).after_drop;
    assert!(
        leaked > 0,
        "arc-mutex freed everything ({leaked} bytes left)"
    );
}

/// Only cycles leak: with no event linked, the index was every node's only owner, and expiry
/// frees each node (the heap stays level once the window is full), as does the drop.
fn arc_mutex_without_links_frees_everything(workload: &Workload) {
    let unlinked = generate(Spec {
        linked_pct: 0,
        ..workload.spec
    });
    let m = measure(Design::ArcMutex, &unlinked);
    assert_eq!(m.after_drop, 0, "arc-mutex without links leaked");
    let full = &m.checkpoints[1..];
    let (low, high) = (full.iter().min().unwrap(), full.iter().max().unwrap());
    assert!(
        *low > 0 && *high <= low + low / 4,
        "arc-mutex without links not flat: {:?}",
        m.checkpoints
    );
}

/// Every design but `arc-mutex`.
const NOT_LEAKING: [Design; 4] = [
    Design::ArcMutexWeak,
    Design::RcRefCell,
    Design::SlotMap,
    Design::Arena,
];

fn dropping_the_others_frees_everything(workload: &Workload) {
    for design in NOT_LEAKING {
        let left = measure(design, workload).after_drop;
        assert_eq!(left, 0, "{} left {left} bytes behind", design.name());
    }
}
// ANCHOR_END: leak_checks

// ANCHOR: growth_checks
fn arc_mutex_grows_with_events_processed(workload: &Workload) {
    let m = measure(Design::ArcMutex, workload);
    // From the second checkpoint on the window is full: a bounded design would stay level.
    let full = &m.checkpoints[1..];
    assert!(
        full.windows(2).all(|w| w[1] > w[0]),
        "not growing: {:?}",
        m.checkpoints
    );
    assert!(
        full[full.len() - 1] > 2 * full[0],
        "grows too little: {:?}",
        m.checkpoints
    );
}

fn the_others_stay_bounded(workload: &Workload) {
    for design in NOT_LEAKING {
        let m = measure(design, workload);
        let full = &m.checkpoints[1..];
        let (low, high) = (full.iter().min().unwrap(), full.iter().max().unwrap());
        assert!(
            *low > 0 && *high <= low + low / 4,
            "{} not flat: {:?}",
            design.name(),
            m.checkpoints
        );
    }
}
// ANCHOR_END: growth_checks

/// `compare`'s control for the leak: after [`pretouch_heap`], small allocations land on pages
/// that are already mapped.
fn a_pretouched_heap_spares_the_page_faults_of_small_allocations(_: &Workload) {
    // 24 MiB in blocks the size of an `arc-mutex` node, after pre-touching 48 MiB: without it,
    // about 6,000 first touches of 4 KiB pages.
    pretouch_heap(48 << 20);
    let before = Usage::now();
    let nodes: Vec<Box<[u8; 120]>> = (0..200_000).map(|_| Box::new([1; 120])).collect();
    std::hint::black_box(&nodes);
    let faults = Usage::now().since(before).minor_faults;
    assert!(faults < 600, "{faults} page faults");
}
