//! The five designs must report exactly the same aggregates for the same input, whatever the
//! number of worker threads of the two `Arc<Mutex>` designs.

use proptest::prelude::*;
use telemetry_agent::workload::{Spec, generate};
use telemetry_agent::{Aggregates, Config, Design, run};

fn aggregates_of_each(spec: Spec, config: Config, flush_every: usize) -> Vec<(Design, Aggregates)> {
    let workload = generate(spec);
    Design::ALL
        .iter()
        .map(|&design| {
            let mut agent = design.build(config);
            (design, run(&mut *agent, &workload, flush_every))
        })
        .collect()
}

fn assert_all_agree(results: &[(Design, Aggregates)]) {
    let (first, expected) = &results[0];
    for (design, got) in &results[1..] {
        assert_eq!(
            got,
            expected,
            "{} disagrees with {}",
            design.name(),
            first.name()
        );
    }
}

// ANCHOR: plain_test
#[test]
fn the_designs_agree_on_the_standard_workload() {
    let config = Config {
        window_ms: 2_000,
        workers: 2,
    };
    let results = aggregates_of_each(Spec::standard(30_000), config, 10);
    assert_all_agree(&results);

    // And the workload exercises what it should: a full window, most events linked, deep
    // chains of descendants.
    let a = &results[0].1;
    assert!(a.live_events > 15_000, "{a}");
    assert!(a.linked_events > a.live_events / 2, "{a}");
    assert!(a.max_fanout >= 3 && a.max_descendants >= 10, "{a}");
    assert!(a.sum_fanout > a.live_events / 2, "{a}");
    assert!(a.sum_descendants > a.sum_fanout, "{a}");
    assert!(a.metrics.iter().all(|m| m.count > 0), "{a}");
}

#[test]
fn the_arc_designs_agree_with_themselves_inline_and_with_workers() {
    let spec = Spec::standard(12_000);
    for workers in [0, 1, 2, 5] {
        let config = Config {
            window_ms: 700,
            workers,
        };
        assert_all_agree(&aggregates_of_each(spec, config, 3));
    }
}
// ANCHOR_END: plain_test

#[test]
fn a_short_window_expires_parents_before_their_children() {
    // A window shorter than the parent lookback: many parents are gone when their children
    // arrive, and many live children point at expired parents (stale handles in the arena).
    let config = Config {
        window_ms: 250,
        workers: 3,
    };
    let results = aggregates_of_each(Spec::standard(20_000), config, 1);
    assert_all_agree(&results);
    let a = &results[0].1;
    assert!(a.linked_events < a.live_events / 2, "{a}");
}

#[test]
fn an_empty_agent_reports_nothing() {
    for design in Design::ALL {
        let agent = design.build(Config {
            window_ms: 10,
            workers: 2,
        });
        assert_eq!(agent.aggregates(), Aggregates::empty(), "{}", design.name());
    }
}

// ANCHOR: property
proptest! {
    // Five designs, some with threads, per case: 48 cases keep the test under a second.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_five_designs_agree_on_any_workload(
        seed in any::<u64>(),
        events in 0usize..3_000,
        batch_len in 1usize..300,
        batch_ms in 1u64..200,
        window_ms in 0u64..3_000,
        linked_pct in 0u64..=100,
        lookback in 1usize..12,
        workers in 0usize..5,
        flush_every in 1usize..20,
    ) {
        let spec = Spec {
            seed,
            events,
            batch_len,
            batch_ms,
            linked_pct,
            parent_lookback_batches: lookback,
        };
        let results = aggregates_of_each(spec, Config { window_ms, workers }, flush_every);
        let (_, expected) = &results[0];
        for (design, got) in &results[1..] {
            prop_assert_eq!(got, expected, "{} disagrees", design.name());
        }
    }
}
// ANCHOR_END: property
