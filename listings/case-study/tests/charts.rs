//! The case study's charts (`src/img/case-study/*.svg` of the book) are what `compare` draws from
//! the committed `results.txt`: redrawn here and compared byte for byte. A chart edited by hand,
//! or left from another run than the results the chapter quotes, fails with its file named.

use std::fs;
use std::path::Path;
use telemetry_agent::charts;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../src/img/case-study");

fn committed(name: &str) -> String {
    fs::read_to_string(Path::new(DIR).join(name))
        .unwrap_or_else(|e| panic!("cannot read src/img/case-study/{name}: {e}"))
}

fn redrawn(results: &str) -> Vec<(&'static str, String)> {
    charts::draw(&charts::parse(results))
        .unwrap_or_else(|why| panic!("src/img/case-study/results.txt: {why}"))
}

#[test]
fn every_chart_is_what_compare_draws_from_the_committed_results() {
    for (name, svg) in redrawn(&committed("results.txt")) {
        let on_disk = committed(name);
        if on_disk != svg {
            let line = on_disk
                .lines()
                .zip(svg.lines())
                .position(|(a, b)| a != b)
                .map_or(on_disk.lines().count().min(svg.lines().count()), |n| n)
                + 1;
            panic!(
                "src/img/case-study/{name}:{line}: the chart is not what results.txt draws \
                 (first difference on this line). Charts are written by `compare`, never by \
                 hand: run `bash listings/case-study/regenerate`, which writes results.txt and \
                 the charts together.\n  on disk: {}\n  redrawn: {}",
                on_disk.lines().nth(line - 1).unwrap_or(""),
                svg.lines().nth(line - 1).unwrap_or("")
            );
        }
    }
}

/// The comparison can fail: a measured number changed in the results changes its chart.
#[test]
fn a_changed_result_changes_its_chart() {
    let results = committed("results.txt");
    let key = "arena.w0.meps = ";
    let at = results.find(key).expect("results.txt has arena.w0.meps") + key.len();
    let end = at + results[at..].find('\n').unwrap();
    let changed = format!("{}9.990000{}", &results[..at], &results[end..]);
    let before = redrawn(&results);
    let after = redrawn(&changed);
    assert_eq!(before[0].0, "throughput.svg");
    assert_ne!(before[0].1, after[0].1);
    assert!(after[0].1.contains("9.99M"), "{}", after[0].1);
}
