//! Events per second of each design on the same input: `cargo bench -p telemetry-agent`.
//!
//! Each iteration builds a fresh agent (not timed), feeds it the whole workload with a flush every
//! ten batches (timed), and drops it (not timed). Note that every `arc-mutex` iteration leaks
//! its event graph, as the design does in production: the benchmark's memory grows while it runs.

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use std::time::Duration;
use telemetry_agent::workload::{Spec, generate};
use telemetry_agent::{Config, Design, run};

fn throughput(c: &mut Criterion) {
    let workload = generate(Spec::standard(100_000));
    let config = Config {
        window_ms: 2_000,
        workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
    };
    let mut group = c.benchmark_group("ingest");
    group
        .throughput(Throughput::Elements(workload.events.len() as u64))
        // Each iteration takes tens of milliseconds: the same number of iterations per sample.
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for design in Design::ALL {
        group.bench_function(design.name(), |b| {
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
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
