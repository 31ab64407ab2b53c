//! Events per second of each design on the same input: `cargo bench -p telemetry-agent`.
//!
//! Each design runs with no worker thread (`.w0`); the two `Arc<Mutex>` designs also run with
//! every worker count up to the number of CPUs (`.w1`, `.w2`, ...), as in `compare`. Each
//! iteration builds a fresh agent (not timed), feeds it the whole workload with a report every
//! ten batches (timed), and drops it (not timed). Every
//! `arc-mutex` iteration leaks its event graph, as the design does in production: the
//! benchmark's memory grows while it runs.
//!
//! Its confidence intervals are asked at level `1 - ONE_SIDE_ERROR` (99.9%). That level is
//! nominal: Criterion bootstraps them from the samples of one process, which are not
//! independent draws, so unlike `compare`'s order-statistic intervals they carry no bound.
//!
//! `listings/case-study/regenerate` saves the result lines to `src/img/case-study/criterion.txt`.

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use std::time::Duration;
use telemetry_agent::probe::Machine;
use telemetry_agent::workload::{Spec, generate};
use telemetry_agent::{Config, Design, ONE_SIDE_ERROR, run};

fn throughput(c: &mut Criterion) {
    let workload = generate(Spec::standard(100_000));
    let cpus = Machine::describe().cpus;
    let mut group = c.benchmark_group("ingest");
    group
        .throughput(Throughput::Elements(workload.events.len() as u64))
        // Each iteration takes tens of milliseconds: the same number of iterations per sample.
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .confidence_level(1.0 - ONE_SIDE_ERROR)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for design in Design::ALL {
        let counts: Vec<usize> = if design.threaded() {
            (0..=cpus).collect()
        } else {
            vec![0]
        };
        for workers in counts {
            let config = Config {
                window_ms: 2_000,
                workers,
            };
            let name = format!("{}.w{}", design.name(), design.workers(config));
            group.bench_function(name, |b| {
                b.iter_batched(
                    || design.build(config),
                    |mut agent| {
                        let aggregates = run(&mut *agent, &workload, 10);
                        (agent, aggregates)
                    },
                    BatchSize::PerIteration,
                )
            });
        }
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
