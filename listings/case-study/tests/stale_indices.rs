//! What the generation check prevents, shown on a real run: the arena agent with the check
//! removed ([`StaleIndexAgent`]) against the real one, batch by batch, on a fixed workload.
//!
//! It records what happened in `src/img/case-study/stale-indices.txt`, which the chapter
//! includes, and fails if a run tells a different story (`TRYBUILD=overwrite` rewrites it).
//!
//! No libtest harness (`harness = false`): the unchecked agent's parent walk never ends, and
//! the thread stuck in it is abandoned; it ends with this process, when `main` returns.

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;
use telemetry_agent::arena_agent::{ArenaAgent, StaleIndexAgent};
use telemetry_agent::workload::{Spec, generate};
use telemetry_agent::{Agent, Aggregates, Config, Event};

const RECORD: &str = "../../src/img/case-study/stale-indices.txt";

// ANCHOR: setup
/// A window shorter than the parents' lookback: parents expire while their children are live,
/// so children hold handles to freed slots, which new events soon reuse.
const CONFIG: Config = Config {
    window_ms: 250,
    workers: 0,
};

fn spec() -> Spec {
    Spec::standard(20_000)
}

/// How long one batch may take before the walk is suspected of never ending. A batch takes
/// about a millisecond; the suspicion is then confirmed (or not) without any clock.
const PATIENCE: Duration = Duration::from_millis(250);
// ANCHOR_END: setup

fn main() {
    let record = demonstrate();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(RECORD);
    let overwrite = std::env::var_os("TRYBUILD").is_some_and(|v| v == "overwrite");
    println!("\nrunning the stale-index demonstration");
    if overwrite {
        std::fs::write(&path, &record).expect("cannot write the record");
        println!("test stale_indices ... recorded in {}", path.display());
        return;
    }
    let recorded = std::fs::read_to_string(&path).unwrap_or_default();
    if recorded == record {
        println!("test stale_indices ... ok\n\ntest result: ok. 1 passed; 0 failed\n");
        return;
    }
    eprintln!(
        "test stale_indices ... FAILED\n\n{} says:\n{recorded}\nthis run says:\n{record}\n\
         If the new story is right (the workload or the agent changed), record it with\n  \
         TRYBUILD=overwrite cargo test -p telemetry-agent --test stale_indices\nand read the \
         chapter's section \"Why the generation matters\" again: it quotes this file.",
        RECORD.trim_start_matches("../../")
    );
    std::process::exit(1);
}

/// Differences between the real aggregates and the unchecked ones, one line each.
fn differences(real: &Aggregates, stale: &Aggregates) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = |name: &str, a: u64, b: u64| {
        if a != b {
            out.push(format!(
                "  {name:<22} {a:>8} with the check, {b:>8} without"
            ));
        }
    };
    field("live events", real.live_events, stale.live_events);
    field("linked events", real.linked_events, stale.linked_events);
    field("max fan-out", real.max_fanout, stale.max_fanout);
    field("sum of fan-out", real.sum_fanout, stale.sum_fanout);
    field(
        "max descendants",
        real.max_descendants,
        stale.max_descendants,
    );
    field(
        "sum of descendants",
        real.sum_descendants,
        stale.sum_descendants,
    );
    if real.graph_fingerprint != stale.graph_fingerprint {
        out.push("  graph fingerprint      differs".to_string());
    }
    out
}

// ANCHOR: demonstrate
fn demonstrate() -> String {
    let workload = generate(spec());
    let batches: Vec<_> = workload.batches().map(<[_]>::to_vec).collect();
    let mut out = format!(
        "{} events in batches of {}, window {} ms, seed {:#x}; the same events go to the arena \
         agent and to a copy whose arena does not check generations\n",
        workload.events.len(),
        workload.spec.batch_len,
        CONFIG.window_ms,
        workload.spec.seed
    );

    // The unchecked agent runs on a thread of its own, reporting after each batch.
    let (report, reports) = mpsc::channel();
    let feed = batches.clone();
    std::thread::spawn(move || {
        let mut stale = StaleIndexAgent::without_generation_check(CONFIG);
        for batch in &feed {
            stale.ingest(batch);
            if report.send(stale.aggregates()).is_err() {
                return;
            }
        }
    });

    let mut real = ArenaAgent::new(CONFIG);
    let mut first_difference_shown = false;
    for (n, batch) in batches.iter().enumerate() {
        real.ingest(batch);
        let expected = real.aggregates();
        let got = loop {
            match reports.recv_timeout(PATIENCE) {
                Ok(got) => break Some(got),
                Err(RecvTimeoutError::Disconnected) => panic!("the unchecked agent panicked"),
                // Slow, or endless? Replay up to this batch and look for a circular walk.
                Err(RecvTimeoutError::Timeout) => {
                    if let Some((event, walk)) = circular_walk(&batches[..=n]) {
                        out.push_str(&format!(
                            "batch {n}: linking never finishes; the walk up from event {event}'s \
                             parent goes round for ever:\n  {walk}\n"
                        ));
                        break None;
                    } // otherwise only slow: keep waiting
                }
            }
        };
        let Some(got) = got else { break };
        let diff = differences(&expected, &got);
        if !diff.is_empty() && !first_difference_shown {
            out.push_str(&format!(
                "batch {n}: the aggregates differ for the first time\n{}\n",
                diff.join("\n")
            ));
            first_difference_shown = true;
        }
    }
    out
}
// ANCHOR_END: demonstrate

/// Replays every batch but the last into an unchecked agent whole, then the last one event at a
/// time, walking up from each event's parent before linking it. The walk never ends if it comes back to a slot it has visited, or
/// if it reaches the empty slot the new event is about to take: the event's own parent link
/// then closes the circle. Returns the event and the circle, as event ids.
fn circular_walk(batches: &[Vec<Event>]) -> Option<(u64, String)> {
    let mut stale = StaleIndexAgent::without_generation_check(CONFIG);
    let (last, before) = batches.split_last()?;
    for batch in before {
        stale.ingest(batch);
    }
    for event in last {
        if let Some(parent) = event.parent {
            let limit = stale.slot_count() + 1;
            let walk = stale.parent_walk(parent, limit);
            let ids = |walk: &[(usize, Option<u64>)]| -> Vec<String> {
                walk.iter()
                    .filter_map(|(_, id)| id.map(|i| i.to_string()))
                    .collect()
            };
            match walk.last() {
                Some(&(slot, None)) if slot == stale.next_slot() => {
                    let mut circle = ids(&walk);
                    circle.push(format!("{} (new, in slot {slot})", event.id));
                    circle.push(parent.to_string());
                    return Some((event.id, format!("{} -> ...", circle.join(" -> "))));
                }
                _ if walk.len() == limit => {
                    let first = walk[0].0;
                    let back = walk[1..]
                        .iter()
                        .position(|s| s.0 == first)
                        .map_or(limit, |p| p + 2);
                    let circle = ids(&walk[..back]);
                    return Some((event.id, format!("{} -> ...", circle.join(" -> "))));
                }
                _ => {}
            }
        }
        stale.link(std::slice::from_ref(event));
    }
    None
}
