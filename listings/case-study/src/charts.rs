//! The charts of the book's case study, drawn from `results.txt` alone.
//!
//! `compare` writes `results.txt`, then draws the charts from that text as written (six decimals),
//! never from the numbers it still holds: so the committed charts are a function of the committed
//! results, and `tests/charts.rs` redraws them and fails if a chart was edited by hand or drawn
//! from another run.

use crate::Design;
use crate::svg::{Bar, Series, bar_chart, line_chart};
use std::collections::BTreeMap;

/// `results.txt` read back: `key = value` lines, `#` comments skipped.
pub type Results = BTreeMap<String, String>;

pub fn parse(text: &str) -> Results {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// Every chart the chapter shows: (file name, SVG).
pub fn draw(results: &Results) -> Result<Vec<(&'static str, String)>, String> {
    Ok(vec![
        ("throughput.svg", throughput(results)?),
        ("memory.svg", memory(results)?),
        ("amdahl.svg", amdahl(results)?),
    ])
}

fn number(results: &Results, key: &str) -> Result<f64, String> {
    let value = results
        .get(key)
        .ok_or_else(|| format!("results.txt has no `{key}`"))?;
    value
        .parse()
        .map_err(|_| format!("results.txt: `{key} = {value}` is not a number"))
}

fn workers(n: usize) -> String {
    format!("{n} worker{}", if n == 1 { "" } else { "s" })
}

/// One bar per measured setup, in the order the table of `compare.txt` lists them: design by
/// design, by worker count, the pre-touched control after its design's inline setup.
fn throughput(results: &Results) -> Result<String, String> {
    let mut bars = Vec::new();
    for design in Design::ALL {
        let name = design.name();
        for workers_count in 0.. {
            let key = format!("{name}.w{workers_count}");
            if !results.contains_key(&format!("{key}.meps")) {
                break;
            }
            for (prefix, pretouched) in [(key.clone(), false), (format!("{key}-pretouched"), true)]
            {
                if !results.contains_key(&format!("{prefix}.meps")) {
                    continue;
                }
                let mut label = vec![name.to_string()];
                if design.threaded() {
                    label.push(workers(workers_count));
                }
                if pretouched {
                    label.push("pre-touched".to_string());
                }
                let meps = |suffix: &str| number(results, &format!("{prefix}.meps{suffix}"));
                bars.push(Bar {
                    label,
                    value: meps("")? * 1e6,
                    low: meps("_low")? * 1e6,
                    high: meps("_high")? * 1e6,
                });
            }
        }
    }
    if bars.is_empty() {
        return Err("results.txt has no `<design>.w<n>.meps`".into());
    }
    Ok(bar_chart(
        "Throughput: median of the runs, error bars: its confidence interval",
        "events per second",
        &bars,
    ))
}

/// The live heap sampled after each batch, for each design run inline.
fn memory(results: &Results) -> Result<String, String> {
    let batch_len = number(results, "workload.batch_len")?;
    let mut series = Vec::new();
    for design in Design::ALL {
        let key = format!("memory.{}.samples", design.name());
        let Some(samples) = results.get(&key) else {
            continue;
        };
        let mut points = vec![(0.0, 0.0)];
        for (n, sample) in samples.split(',').enumerate() {
            let bytes: f64 = sample
                .parse()
                .map_err(|_| format!("results.txt: `{key}` has {sample:?}, not a number"))?;
            points.push(((n + 1) as f64 * batch_len, bytes));
        }
        series.push(Series::line(design.name(), points));
    }
    if series.is_empty() {
        return Err("results.txt has no `memory.<design>.samples`".into());
    }
    Ok(line_chart(
        "Live heap while the workload runs (no worker threads)",
        "events processed",
        "live heap (bytes)",
        &series,
    ))
}

/// Amdahl's law, `1 / ((1 - f) + f / s)`: the whole's gain when a share `f` of the time gets
/// `s` times faster.
pub fn amdahl_gain(s: f64, f: f64) -> f64 {
    1.0 / ((1.0 - f) + f / s)
}

/// The measured gain at each amount of parsing (`amdahl.k<k>`), and the law's curve for the
/// graph's speed-up without parsing and at the most parsing.
fn amdahl(results: &Results) -> Result<String, String> {
    let mut rounds: Vec<usize> = results
        .keys()
        .filter_map(|k| {
            k.strip_prefix("amdahl.k")?
                .strip_suffix(".gain")?
                .parse()
                .ok()
        })
        .collect();
    rounds.sort_unstable();
    let last = *rounds
        .last()
        .ok_or("results.txt has no `amdahl.k<k>.gain`")?;
    let s0 = number(results, "amdahl.graph_speedup")?;
    let s_last = number(results, &format!("amdahl.k{last}.graph_speedup"))?;
    let curve = |label: String, s: f64| {
        let points = (0..=50)
            .map(|i| {
                let share = i as f64 * 2.0;
                (share, amdahl_gain(s, share / 100.0))
            })
            .collect();
        Series::line(&label, points)
    };
    let mut series = vec![
        curve(format!("Amdahl's law, graph {s0:.2}x faster (k = 0)"), s0),
        curve(
            format!("Amdahl's law, graph {s_last:.2}x faster (k = {last})"),
            s_last,
        ),
    ];
    let mut points = Vec::new();
    let mut spread = Vec::new();
    for k in rounds {
        let get = |suffix: &str| number(results, &format!("amdahl.k{k}.{suffix}"));
        points.push((get("graph_share_pct")?, get("gain")?));
        spread.push((get("gain_low")?, get("gain_high")?));
    }
    series.push(Series {
        name: "measured: arena against the best Arc setup".into(),
        points,
        spread,
        dots: true,
    });
    Ok(line_chart(
        "End-to-end gain against the graph's share of the time",
        "share of the best Arc setup's time spent in the graph (%)",
        "gain (times faster)",
        &series,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(lines: &str) -> Results {
        parse(lines)
    }

    #[test]
    fn comments_and_spacing_are_read_as_compare_writes_them() {
        let r =
            results("# a comment = not a key\nworkload.events = 300000\nmachine.cpu = AMD EPYC\n");
        assert_eq!(r.len(), 2);
        assert_eq!(r["machine.cpu"], "AMD EPYC");
    }

    #[test]
    fn a_missing_number_names_its_key() {
        let why = throughput(&results("arena.w0.meps = 5.4\n")).unwrap_err();
        assert!(why.contains("arena.w0.meps_low"), "{why}");
    }

    #[test]
    fn bars_follow_the_designs_with_the_control_after_its_inline_run() {
        let mut text = String::new();
        for key in [
            "arena.w0",
            "arc-mutex.w1",
            "arc-mutex.w0-pretouched",
            "arc-mutex.w0",
        ] {
            text += &format!("{key}.meps = 2\n{key}.meps_low = 1\n{key}.meps_high = 3\n");
        }
        let svg = throughput(&results(&text)).unwrap();
        let at = |label: &str| svg.find(label).unwrap_or_else(|| panic!("no {label}"));
        assert!(at("0 workers") < at("pre-touched"));
        assert!(at("pre-touched") < at("1 worker<"));
        assert!(at("1 worker<") < at(">arena<"));
    }

    #[test]
    fn the_law_gives_the_whole_speed_up_at_full_share_and_none_at_zero() {
        assert_eq!(amdahl_gain(2.0, 1.0), 2.0);
        assert_eq!(amdahl_gain(2.0, 0.0), 1.0);
    }
}
