//! Sums the same 1 Mi `u64` values stored three ways. Run with `cargo bench -p locality`.

use criterion::{Criterion, criterion_group, criterion_main};
use locality::{LinkedList, sum_contiguous};
use std::hint::black_box;
use std::time::Duration;

// ANCHOR: bench
const N: u64 = 1 << 20; // 8 MiB of values: more than the L2 cache of common CPUs

fn traversal(c: &mut Criterion) {
    let values: Vec<u64> = (0..N).collect();
    let in_order = LinkedList::in_allocation_order(&values);
    let scattered = LinkedList::scattered(&values, 0x5eed);

    let mut group = c.benchmark_group("sum of 1 Mi u64");
    group.bench_function("Vec<u64>", |b| {
        b.iter(|| sum_contiguous(black_box(&values)))
    });
    group.bench_function("list, nodes in order", |b| {
        b.iter(|| black_box(&in_order).sum())
    });
    group.bench_function("list, nodes scattered", |b| {
        b.iter(|| black_box(&scattered).sum())
    });
    group.finish();
}
// ANCHOR_END: bench

criterion_group! {
    name = benches;
    // Short on purpose: 20 samples over 2 s per function are enough to see a 10x gap.
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    targets = traversal
}
criterion_main!(benches);
