//! A deterministic stream of telemetry events, generated from a seed.

use crate::{Event, METRIC_NAMES, Metric};

/// SplitMix64: a tiny, fast, well-mixed generator; plenty for test data, not for cryptography.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), by Lemire's multiply-shift; the bias is negligible here.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

/// The shape of a generated stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spec {
    pub seed: u64,
    pub events: usize,
    /// Events per batch: what the agent receives at once.
    pub batch_len: usize,
    /// Stream time covered by one batch.
    pub batch_ms: u64,
    /// Percentage of events (after the first batch) that have a parent.
    pub linked_pct: u64,
    /// A parent is drawn from the events of this many preceding batches.
    pub parent_lookback_batches: usize,
}

impl Spec {
    /// The workload of the book's measurements: 10,000 events per second of stream time,
    /// 80% of them children of a recent event.
    pub fn standard(events: usize) -> Self {
        Spec {
            seed: 0x5EED_CA5E,
            events,
            batch_len: 1_000,
            batch_ms: 100,
            linked_pct: 80,
            parent_lookback_batches: 8,
        }
    }
}

/// A generated stream, and how it is cut into batches.
#[derive(Clone, Debug)]
pub struct Workload {
    pub spec: Spec,
    pub events: Vec<Event>,
}

impl Workload {
    pub fn batches(&self) -> std::slice::Chunks<'_, Event> {
        self.events.chunks(self.spec.batch_len.max(1))
    }

    pub fn batch_count(&self) -> usize {
        self.events.len().div_ceil(self.spec.batch_len.max(1))
    }
}

// ANCHOR: generate
/// Generates the stream described by `spec`; the same spec always gives the same events.
///
/// Timestamps never decrease, and a parent always comes from an earlier batch, so whether an
/// event finds its parent does not depend on how a batch is split between threads.
pub fn generate(spec: Spec) -> Workload {
    let mut rng = SplitMix64::new(spec.seed);
    let batch_len = spec.batch_len.max(1);
    let mut events = Vec::with_capacity(spec.events);
    for i in 0..spec.events {
        let batch = i / batch_len;
        let batch_start = (batch * batch_len) as u64;
        let offset_ms = (i % batch_len) as u64 * spec.batch_ms / batch_len as u64;
        let parent = if batch > 0 && rng.below(100) < spec.linked_pct {
            let span = (spec.parent_lookback_batches.max(1) * batch_len) as u64;
            let first = batch_start.saturating_sub(span);
            Some(first + rng.below(batch_start - first))
        } else {
            None
        };
        let metric = Metric::new(rng.below(METRIC_NAMES.len() as u64) as usize);
        let value = rng.below(20_000) as i64 - 1_000;
        events.push(Event {
            id: i as u64,
            parent,
            metric,
            value,
            timestamp_ms: batch as u64 * spec.batch_ms + offset_ms,
        });
    }
    Workload { spec, events }
}
// ANCHOR_END: generate

// ANCHOR: text
/// One event as a line of text, the way an agent would receive it:
/// `id parent-or-dash metric-name value timestamp`.
pub fn to_line(event: &Event) -> String {
    let parent = event.parent.map_or("-".to_string(), |p| p.to_string());
    format!(
        "{} {parent} {} {} {}",
        event.id,
        event.metric.name(),
        event.value,
        event.timestamp_ms
    )
}

/// Parses a line written by [`to_line`]: the per-event work outside the graph that the "Why
/// not 15%?" measurement adds. `None` for a malformed line.
pub fn parse_line(line: &str) -> Option<Event> {
    let mut fields = line.split_ascii_whitespace();
    let id = fields.next()?.parse().ok()?;
    let parent = match fields.next()? {
        "-" => None,
        text => Some(text.parse().ok()?),
    };
    let name = fields.next()?;
    let metric = Metric::new(METRIC_NAMES.iter().position(|m| *m == name)?);
    let value = fields.next()?.parse().ok()?;
    let timestamp_ms = fields.next()?.parse().ok()?;
    Some(Event {
        id,
        parent,
        metric,
        value,
        timestamp_ms,
    })
}
// ANCHOR_END: text

#[cfg(test)]
mod tests {
    #[test]
    fn every_event_survives_a_trip_through_text() {
        let w = generate(Spec::standard(3_000));
        for e in &w.events {
            assert_eq!(parse_line(&to_line(e)), Some(*e));
        }
        assert_eq!(parse_line("1 - no.such.metric 3 4"), None);
        assert_eq!(parse_line("1 -"), None);
    }

    use super::*;

    #[test]
    fn same_seed_same_stream() {
        let spec = Spec::standard(5_000);
        assert_eq!(generate(spec).events, generate(spec).events);
        let other = Spec { seed: 1, ..spec };
        assert_ne!(generate(spec).events, generate(other).events);
    }

    #[test]
    fn parents_come_from_earlier_batches_and_time_never_goes_back() {
        let w = generate(Spec::standard(20_000));
        let mut last = 0;
        for e in &w.events {
            assert!(e.timestamp_ms >= last);
            last = e.timestamp_ms;
            if let Some(p) = e.parent {
                let batch = e.id / w.spec.batch_len as u64;
                assert!(p < batch * w.spec.batch_len as u64, "{e:?}");
            }
        }
        let linked = w.events.iter().filter(|e| e.parent.is_some()).count();
        assert!(linked > 14_000 && linked < 18_000, "{linked}");
    }

    /// The chapter says that in the measured stream (`compare`'s 300,000 events) about 9% of
    /// the events have neither a parent nor a child: the only events that `arc-mutex` frees.
    #[test]
    fn in_the_measured_stream_about_9_percent_of_events_have_no_relative() {
        let w = generate(Spec::standard(300_000));
        let mut has_child = vec![false; w.events.len()];
        for parent in w.events.iter().filter_map(|e| e.parent) {
            has_child[parent as usize] = true;
        }
        let alone = (w.events.iter())
            .filter(|e| e.parent.is_none() && !has_child[e.id as usize])
            .count();
        let pct = 100.0 * alone as f64 / w.events.len() as f64;
        assert_eq!(pct.round(), 9.0, "{alone} events, {pct:.2}%");
    }
}
