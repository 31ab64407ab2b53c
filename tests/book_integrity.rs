//! The chapters and the listings agree: one test per integrity rule (`book_harness::Rule`), each
//! failing with the file, the line and what to do. (Reads files only; no compiler.) The rules
//! of the checks that run tools are reported by tests/listings.rs and tests/valgrind.rs.

use book_harness::problem::report;
use book_harness::{Problem, Rule, bless, integrity};
use std::path::Path;
use std::sync::OnceLock;

/// The book is checked once; each test looks at its own rule's problems. When blessing, the
/// snapshots the fences ask for are created first (this is the first test `cargo test` runs), and
/// numbers quoted from generated results are rewritten.
fn all_problems() -> &'static [Problem] {
    static ALL: OnceLock<Vec<Problem>> = OnceLock::new();
    ALL.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        bless::record_intent(root).unwrap_or_else(|e| panic!("\n{e}\n"));
        if book_harness::bless::requested() {
            book_harness::numbers::bless(root);
        }
        integrity::check(root)
    })
}

fn problems_breaking(rule: Rule) -> Vec<Problem> {
    all_problems()
        .iter()
        .filter(|p| p.rule == rule)
        .cloned()
        .collect()
}

fn assert_kept(rule: Rule) {
    let problems = problems_breaking(rule);
    assert!(problems.is_empty(), "\n{}", report(&problems));
}

#[test]
fn every_listing_is_shown_and_every_snapshot_has_its_listing() {
    assert_kept(Rule::NoOrphans);
}

#[test]
fn every_include_resolves() {
    assert_kept(Rule::IncludesResolve);
}

#[test]
fn fence_markers_match_what_each_listing_does() {
    assert_kept(Rule::MarkersMatchBehaviour);
}

#[test]
fn every_error_and_panic_is_shown_with_its_listing() {
    assert_kept(Rule::OutputShownWithListing);
}

#[test]
fn no_compiler_output_is_pasted_by_hand() {
    assert_kept(Rule::NoPastedOutput);
}

#[test]
fn every_rust_fence_is_tested() {
    assert_kept(Rule::EveryRustFenceTested);
}

#[test]
fn every_chapter_is_in_the_summary() {
    assert_kept(Rule::SummaryComplete);
}

#[test]
fn the_compiler_of_the_snapshots_is_recorded() {
    assert_kept(Rule::Toolchain);
}

#[test]
fn every_exercise_says_what_solved_means_and_its_solution_does_it() {
    assert_kept(Rule::ExerciseGoal);
}

#[test]
fn every_c_fence_shows_a_c_listing_that_a_sanitizer_checks() {
    assert_kept(Rule::EveryCFenceTested);
}

#[test]
fn every_permission_table_is_marked_and_recorded() {
    assert_kept(Rule::PermissionTables);
}

#[test]
fn numbers_quoted_in_prose_match_their_results_file() {
    assert_kept(Rule::NumbersMatchResults);
}

#[test]
fn every_number_in_a_diagram_is_one_a_listing_prints() {
    assert_kept(Rule::DiagramNumbersFromPrograms);
}

/// The rules with a test of their own above. A problem under any other rule fails here, so a
/// rule added to the harness cannot go unchecked.
const NAMED: [Rule; 13] = [
    Rule::NoOrphans,
    Rule::IncludesResolve,
    Rule::MarkersMatchBehaviour,
    Rule::OutputShownWithListing,
    Rule::NoPastedOutput,
    Rule::EveryRustFenceTested,
    Rule::SummaryComplete,
    Rule::Toolchain,
    Rule::ExerciseGoal,
    Rule::EveryCFenceTested,
    Rule::PermissionTables,
    Rule::NumbersMatchResults,
    Rule::DiagramNumbersFromPrograms,
];

#[test]
fn every_integrity_problem_is_reported_by_a_named_test() {
    let unnamed: Vec<Problem> = all_problems()
        .iter()
        .filter(|p| !NAMED.contains(&p.rule))
        .cloned()
        .collect();
    assert!(unnamed.is_empty(), "\n{}", report(&unnamed));
}
