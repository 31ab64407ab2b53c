//! The harness tests itself: `tests/fixtures/good-book` passes every check, and each way of
//! breaking it, one at a time, is caught with a message that names the file.
//!
//! Integrity breaks are applied to a copy of the good book in a temporary folder. Breaks that
//! only a compiler can see (a listing that panics, prints something else, stops compiling, or a
//! compile-fail listing whose error drifts) are run for real.

use book_harness::listing::{self, Kind};
use book_harness::problem::report;
use book_harness::{
    Problem, Rule, bless, full_build, integrity, memo, numbers, permissions, run, sanitizer,
    toolchain, valgrind,
};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const GOOD_BOOK: &str = "tests/fixtures/good-book";

/// A copy of the good book that a test may break.
struct Book {
    dir: tempfile::TempDir,
}

impl Book {
    fn copy() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        copy_tree(Path::new(GOOD_BOOK), dir.path());
        Book { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn read(&self, file: &str) -> String {
        fs::read_to_string(self.root().join(file)).expect("fixture file exists")
    }

    fn write(&self, file: &str, contents: &str) {
        let path = self.root().join(file);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    /// Replaces exactly one occurrence of `from` in `file`.
    fn edit(&self, file: &str, from: &str, to: &str) {
        let text = self.read(file);
        assert_eq!(
            text.matches(from).count(),
            1,
            "{from:?} must occur once in {file}"
        );
        self.write(file, &text.replacen(from, to, 1));
    }

    fn remove(&self, file: &str) {
        fs::remove_file(self.root().join(file)).unwrap();
    }

    fn integrity(&self) -> Vec<Problem> {
        integrity::check(self.root())
    }

    /// Compiles and runs the passing listings, never blessing. The build cache is shared by
    /// all copies: binaries are keyed by their source, so a warm run compiles nothing.
    fn run_listings(&self, timeout: Duration) -> Vec<Problem> {
        self.run_listings_blessing(timeout, false)
    }

    fn run_listings_blessing(&self, timeout: Duration, bless: bool) -> Vec<Problem> {
        let listings = listing::discover(self.root());
        let options = run::Options {
            compiler: toolchain::Compiler::running().unwrap(),
            cache_dir: Path::new(env!("CARGO_TARGET_TMPDIR")).join("self-test-listing-binaries"),
            bless,
            timeout,
        };
        run::check(self.root(), &listings.standalone, &options)
    }

    /// Recomputes the permission tables (recording them when `bless`), with a cache shared by
    /// all copies.
    fn permission_tables(&self, bless: bool) -> Vec<Problem> {
        let listings = permissions::listings_with_tables(self.root());
        permissions::check(self.root(), &listings, &permission_options(bless))
    }

    /// Builds the compile-fail listings in full (cached like the book's) and checks their
    /// `.stderr` against it, never blessing.
    fn full_builds(&self) -> Vec<Problem> {
        self.full_builds_blessing(false)
    }

    fn full_builds_blessing(&self, bless: bool) -> Vec<Problem> {
        let listings = listing::discover(self.root());
        full_build::check(
            self.root(),
            &listings.standalone,
            &full_build_options(bless),
        )
    }
}

fn permission_options(bless: bool) -> permissions::Options {
    permissions::Options {
        compiler: toolchain::Compiler::running().unwrap(),
        cache_dir: Path::new(env!("CARGO_TARGET_TMPDIR")).join("self-test-permission-tables"),
        bless,
    }
}

/// The full builds of the self-tests share one cache: results are keyed by their source.
fn full_build_options(bless: bool) -> full_build::Options {
    full_build::Options {
        compiler: toolchain::Compiler::running().unwrap(),
        cache_dir: Path::new(env!("CARGO_TARGET_TMPDIR")).join("self-test-full-builds"),
        bless,
    }
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Asserts that exactly one problem was found, under `rule`, in `file`, saying `says`.
#[track_caller]
fn assert_one(problems: &[Problem], rule: Rule, file: &str, says: &str) {
    assert_eq!(
        problems.len(),
        1,
        "expected one problem, got:\n{}",
        report(problems)
    );
    let problem = &problems[0];
    assert_eq!(problem.rule, rule, "{problem}");
    assert_eq!(problem.file, PathBuf::from(file), "{problem}");
    assert!(
        problem.message.contains(says),
        "{problem}\nshould say: {says}"
    );
}

const CHAPTER: &str = "src/demo.md";

// --- the good book ------------------------------------------------------------------------

#[test]
fn the_good_book_passes_the_integrity_check() {
    let problems = integrity::check(Path::new(GOOD_BOOK));
    assert!(problems.is_empty(), "{}", report(&problems));
}

#[test]
fn the_good_books_listings_run_as_recorded() {
    let problems = Book::copy().run_listings(Duration::from_secs(20));
    assert!(problems.is_empty(), "{}", report(&problems));
}

// --- orphans and includes -----------------------------------------------------------------

#[test]
fn a_listing_no_chapter_shows_is_an_orphan() {
    let book = Book::copy();
    book.write("listings/demo/unused.rs", "fn main() {}\n");
    assert_one(
        &book.integrity(),
        Rule::NoOrphans,
        "listings/demo/unused.rs",
        "included by no chapter",
    );
}

#[test]
fn a_snapshot_without_its_listing_is_an_orphan() {
    let book = Book::copy();
    book.write("listings/demo/deleted.stderr", "error[E0382]: ...\n");
    assert_one(
        &book.integrity(),
        Rule::NoOrphans,
        "listings/demo/deleted.stderr",
        "no listing beside it",
    );
}

#[test]
fn a_stray_file_in_listings_is_an_orphan() {
    let book = Book::copy();
    book.write("listings/demo/notes.txt", "todo\n");
    assert_one(
        &book.integrity(),
        Rule::NoOrphans,
        "listings/demo/notes.txt",
        "move it out of listings/",
    );
}

#[test]
fn an_include_of_a_missing_file_is_reported() {
    let book = Book::copy();
    book.edit(CHAPTER, "demo/prints.rs}}", "demo/printz.rs}}");
    let problems = book.integrity();
    let missing: Vec<_> = problems
        .iter()
        .filter(|p| p.rule == Rule::IncludesResolve)
        .collect();
    assert_eq!(missing.len(), 1, "{}", report(&problems));
    assert_eq!(missing[0].file, PathBuf::from(CHAPTER));
    assert!(
        missing[0]
            .message
            .contains("printz.rs, which does not exist"),
        "{}",
        missing[0]
    );
    // prints.rs is now shown by nobody, and its output is shown without it.
    assert!(
        problems.iter().any(|p| p.rule == Rule::NoOrphans),
        "{}",
        report(&problems)
    );
}

#[test]
fn an_include_of_an_undefined_anchor_is_reported() {
    let book = Book::copy();
    book.edit(CHAPTER, "panics.rs:index}}", "panics.rs:indx}}");
    assert_one(
        &book.integrity(),
        Rule::IncludesResolve,
        CHAPTER,
        "anchor `indx` is not defined",
    );
}

#[test]
fn a_reference_to_a_listing_no_chapter_shows_is_reported() {
    let book = Book::copy();
    let text = book.read(CHAPTER);
    book.write(
        CHAPTER,
        &format!("{text}\nAs {{{{#listing-ref demo/prints}}}} shows.\n"),
    );
    assert!(book.integrity().is_empty(), "{}", report(&book.integrity()));
    book.write(
        CHAPTER,
        &format!("{text}\nAs {{{{#listing-ref demo/printz}}}} shows.\n"),
    );
    assert_one(
        &book.integrity(),
        Rule::IncludesResolve,
        CHAPTER,
        "listings/demo/printz.rs",
    );
}

#[test]
fn a_chapter_missing_from_the_summary_is_reported() {
    let book = Book::copy();
    book.write("src/forgotten.md", "# Forgotten\n");
    assert_one(
        &book.integrity(),
        Rule::SummaryComplete,
        "src/forgotten.md",
        "not linked from src/SUMMARY.md",
    );
}

#[test]
fn the_page_not_found_needs_no_summary_entry_but_may_hold_no_code() {
    let book = Book::copy();
    book.write(
        "src/404.md",
        "# Page not found\n\n[Start again](index.html).\n",
    );
    let problems = book.integrity();
    assert!(problems.is_empty(), "{}", report(&problems));

    book.write(
        "src/404.md",
        "# Page not found\n\n```rust\nfn main() {}\n```\n",
    );
    assert_one(
        &book.integrity(),
        Rule::EveryRustFenceTested,
        "src/404.md",
        "not a chapter",
    );
}

// --- markers ------------------------------------------------------------------------------

#[test]
fn a_compile_fail_listing_shown_with_a_run_button_is_rejected() {
    let book = Book::copy();
    book.edit(
        CHAPTER,
        "rust,ignore,does_not_compile",
        "rust,ignore,mdbook-runnable",
    );
    assert_one(
        &book.integrity(),
        Rule::MarkersMatchBehaviour,
        CHAPTER,
        "fails to compile (it has a .stderr)",
    );
}

#[test]
fn a_passing_listing_marked_does_not_compile_is_rejected() {
    let book = Book::copy();
    book.edit(
        CHAPTER,
        "rust,ignore,mdbook-runnable\n{{#include ../listings/demo/prints.rs}}",
        "rust,ignore,does_not_compile\n{{#include ../listings/demo/prints.rs}}",
    );
    assert_one(
        &book.integrity(),
        Rule::MarkersMatchBehaviour,
        CHAPTER,
        "not carry `does_not_compile`",
    );
}

#[test]
fn a_panicking_listing_not_marked_panics_is_rejected() {
    let book = Book::copy();
    book.edit(
        CHAPTER,
        "rust,ignore,mdbook-runnable,panics",
        "rust,ignore,mdbook-runnable",
    );
    assert_one(
        &book.integrity(),
        Rule::MarkersMatchBehaviour,
        CHAPTER,
        "carry `panics`",
    );
}

#[test]
fn a_fragment_with_a_run_button_is_rejected() {
    let book = Book::copy();
    book.edit(
        CHAPTER,
        "{{#include ../listings/demo/prints.rs}}",
        "{{#include ../listings/demo/prints.rs:loop}}",
    );
    assert_one(
        &book.integrity(),
        Rule::MarkersMatchBehaviour,
        CHAPTER,
        "would run a fragment",
    );
}

#[test]
fn an_include_without_ignore_would_be_fed_to_skeptic_and_is_rejected() {
    let book = Book::copy();
    book.edit(
        CHAPTER,
        "rust,ignore,does_not_compile",
        "rust,does_not_compile",
    );
    assert_one(
        &book.integrity(),
        Rule::MarkersMatchBehaviour,
        CHAPTER,
        "carry `ignore`",
    );
}

#[test]
fn a_deleted_stderr_turns_the_does_not_compile_marker_into_a_lie() {
    let book = Book::copy();
    book.remove("listings/demo/use_after_move.stderr");
    let problems = book.integrity();
    assert!(
        problems
            .iter()
            .any(|p| p.rule == Rule::MarkersMatchBehaviour
                && p.message
                    .contains("compiles and runs (it has no .stderr or .panic)")),
        "{}",
        report(&problems)
    );
}

// --- exercises ----------------------------------------------------------------------------

const EXERCISE_FENCE: &str = "rust,ignore,does_not_compile,exercise,editable,mdbook-runnable";
const SOLUTION: &str = "fn main() {\n    let a = String::from(\"moved\");\n    let b = &a;\n    println!(\"{a} {b}\");\n}\n";
const GOAL: &str = "\n**Solved** when it prints:\n\n```text\n{{#include ../listings/demo/use_after_move_solution.stdout}}\n```\n";
const HIDDEN_SOLUTION: &str = "\n<details>\n<summary>Solution</summary>\n\n```rust,ignore,mdbook-runnable\n{{#include ../listings/demo/use_after_move_solution.rs}}\n```\n\n</details>\n";

/// The good book's compile-fail listing shown as an exercise: editable, runnable, its goal (the
/// solution's output) stated before the hidden solution.
fn book_with_exercise() -> Book {
    let book = Book::copy();
    book.edit(CHAPTER, "rust,ignore,does_not_compile", EXERCISE_FENCE);
    book.write("listings/demo/use_after_move_solution.rs", SOLUTION);
    book.write(
        "listings/demo/use_after_move_solution.stdout",
        "moved moved\n",
    );
    let chapter = book.read(CHAPTER);
    book.write(CHAPTER, &format!("{chapter}{GOAL}{HIDDEN_SOLUTION}"));
    book
}

#[test]
fn an_exercise_with_its_goal_and_solution_passes() {
    let problems = book_with_exercise().integrity();
    assert!(problems.is_empty(), "{}", report(&problems));
}

#[test]
fn only_an_exercise_may_give_a_compile_fail_listing_a_run_button() {
    let book = book_with_exercise();
    book.edit(
        CHAPTER,
        EXERCISE_FENCE,
        "rust,ignore,does_not_compile,mdbook-runnable",
    );
    assert_one(
        &book.integrity(),
        Rule::MarkersMatchBehaviour,
        CHAPTER,
        "only an exercise may have a Run button",
    );
}

#[test]
fn an_exercise_without_a_stated_goal_is_rejected() {
    let book = book_with_exercise();
    book.edit(CHAPTER, GOAL, "");
    assert_one(
        &book.integrity(),
        Rule::ExerciseGoal,
        CHAPTER,
        "without saying what solved means",
    );
}

#[test]
fn an_exercise_whose_goal_is_inside_the_hidden_solution_is_rejected() {
    let book = book_with_exercise();
    book.edit(CHAPTER, GOAL, "");
    book.edit(
        CHAPTER,
        "\n</details>\n",
        &format!("{}\n</details>\n", GOAL),
    );
    assert_one(
        &book.integrity(),
        Rule::ExerciseGoal,
        CHAPTER,
        "without saying what solved means",
    );
}

#[test]
fn an_exercise_without_a_solution_listing_is_rejected() {
    let book = book_with_exercise();
    book.edit(CHAPTER, HIDDEN_SOLUTION, "");
    book.remove("listings/demo/use_after_move_solution.rs");
    book.remove("listings/demo/use_after_move_solution.stdout");
    book.edit(CHAPTER, GOAL, "");
    assert_one(
        &book.integrity(),
        Rule::ExerciseGoal,
        CHAPTER,
        "use_after_move_solution.rs does not exist",
    );
}

#[test]
fn a_solution_that_drops_the_exercises_assert_is_rejected() {
    let book = book_with_exercise();
    book.edit(
        "listings/demo/use_after_move.rs",
        "    println!(\"{a} {b}\");\n",
        "    println!(\"{a} {b}\");\n    assert_eq!(b.len(), 5);\n",
    );
    assert_one(
        &book.integrity(),
        Rule::ExerciseGoal,
        CHAPTER,
        "drops or changes the exercise's check `assert_eq!(b.len(), 5);`",
    );
}

#[test]
fn a_passing_listing_cannot_be_an_exercise() {
    let book = Book::copy();
    book.edit(
        CHAPTER,
        "rust,ignore,mdbook-runnable\n{{#include ../listings/demo/prints.rs}}",
        "rust,ignore,mdbook-runnable,exercise,editable\n{{#include ../listings/demo/prints.rs}}",
    );
    assert_one(
        &book.integrity(),
        Rule::MarkersMatchBehaviour,
        CHAPTER,
        "an exercise is a listing that does not compile yet",
    );
}

// --- errors shown, never pasted -----------------------------------------------------------

#[test]
fn a_compile_fail_listing_shown_without_its_error_is_rejected() {
    let book = Book::copy();
    book.edit(
        CHAPTER,
        "```text\n{{#include ../listings/demo/use_after_move.stderr}}\n```\n",
        "",
    );
    assert_one(
        &book.integrity(),
        Rule::OutputShownWithListing,
        CHAPTER,
        "not what it fails with",
    );
}

#[test]
fn an_error_shown_in_another_chapter_than_its_listing_is_rejected() {
    let book = Book::copy();
    let shown = "```text\n{{#include ../listings/demo/use_after_move.stderr}}\n```\n";
    book.edit(CHAPTER, shown, "");
    book.write("src/errors.md", &format!("# Errors\n\n{shown}"));
    book.edit(
        "src/SUMMARY.md",
        "- [Demo](demo.md)\n",
        "- [Demo](demo.md)\n- [Errors](errors.md)\n",
    );
    let problems = book.integrity();
    assert_eq!(problems.len(), 2, "{}", report(&problems));
    assert!(
        problems.iter().any(|p| p.file == Path::new("src/errors.md")
            && p.message.contains("without showing its listing")),
        "{}",
        report(&problems)
    );
}

#[test]
fn a_pasted_compiler_error_is_rejected() {
    let book = Book::copy();
    book.write(
        CHAPTER,
        &format!(
            "{}\n```text\nerror[E0382]: borrow of moved value: `a`\n --> src/main.rs:4:15\n```\n",
            book.read(CHAPTER)
        ),
    );
    assert_one(
        &book.integrity(),
        Rule::NoPastedOutput,
        CHAPTER,
        "pastes compiler errors by hand",
    );
}

// --- inline snippets ----------------------------------------------------------------------

#[test]
fn inline_snippets_that_skeptic_cannot_check_are_rejected() {
    for word in ["compile_fail", "should_panic", "ignore", "edition2021"] {
        let book = Book::copy();
        book.edit(
            CHAPTER,
            "```rust\nfn main()",
            &format!("```rust,{word}\nfn main()"),
        );
        assert_one(
            &book.integrity(),
            Rule::EveryRustFenceTested,
            CHAPTER,
            &format!("marked `{word}`"),
        );
    }
}

#[test]
fn rust_code_outside_listings_is_rejected() {
    let book = Book::copy();
    book.write("src/snippet.rs", "fn main() {}\n");
    book.write(
        CHAPTER,
        &format!(
            "{}\n```rust,ignore,mdbook-runnable\n{{{{#include snippet.rs}}}}\n```\n",
            book.read(CHAPTER)
        ),
    );
    assert_one(
        &book.integrity(),
        Rule::EveryRustFenceTested,
        CHAPTER,
        "no test compiles it",
    );
}

/// The good book with a diff after its compile-fail listing: the fix, as lines of that listing.
fn book_with_a_diff(added: &str) -> Book {
    let book = Book::copy();
    let chapter = book.read(CHAPTER);
    let after = "{{#include ../listings/demo/use_after_move.stderr}}\n```\n";
    assert!(chapter.contains(after));
    book.write(
        CHAPTER,
        &chapter.replacen(
            after,
            &format!("{after}\n```diff\n-    let b = a;\n+{added}\n```\n"),
            1,
        ),
    );
    book
}

#[test]
fn a_diff_that_no_longer_matches_its_listing_is_rejected() {
    // Both sides of a diff are lines of the listing above it (here, the removed line and a line
    // that is in the listing too): accepted.
    let book = book_with_a_diff("    println!(\"{a} {b}\");");
    let problems = book.integrity();
    assert!(problems.is_empty(), "{}", report(&problems));
    // A line typed by hand, which the listing does not have: rejected, with the line named.
    let book = book_with_a_diff("    let b = a.clone();");
    assert_one(
        &book.integrity(),
        Rule::EveryRustFenceTested,
        CHAPTER,
        "is a diff whose line `+    let b = a.clone();` is not a line of listings/demo/use_after_move.rs",
    );
}

// --- numbers quoted from a generated results file (harness/src/numbers.rs) ---------------

/// The good book, plus a results file and a paragraph that quotes it: a number, a claim.
fn book_quoting_results() -> Book {
    let book = Book::copy();
    book.write(
        "src/results.txt",
        "# written by a measurement\nratio = 2.6849\nfast.meps = 3.1\nslow.meps = 1.2\n",
    );
    let chapter = book.read(CHAPTER);
    book.write(
        CHAPTER,
        &format!(
            "{chapter}\n<!-- results: results.txt -->\n\nThe ratio was 2.68<!-- ratio -->, and \
             fast beat slow.<!-- check: fast.meps > slow.meps -->\n"
        ),
    );
    book
}

fn numbers_problems(book: &Book) -> Vec<Problem> {
    book.integrity()
        .into_iter()
        .filter(|p| p.rule == Rule::NumbersMatchResults)
        .collect()
}

#[test]
fn numbers_that_match_their_results_pass() {
    let problems = book_quoting_results().integrity();
    assert!(problems.is_empty(), "{}", report(&problems));
}

#[test]
fn a_quoted_number_that_disagrees_with_its_results_file_is_reported() {
    let book = book_quoting_results();
    book.edit(CHAPTER, "2.68<!--", "2.71<!--");
    let problems = book.integrity();
    assert_one(
        &problems,
        Rule::NumbersMatchResults,
        CHAPTER,
        "says 2.71 for `ratio`, but src/results.txt has 2.6849 (2.68 at this precision)",
    );
    let line = book
        .read(CHAPTER)
        .lines()
        .position(|l| l.contains("2.71"))
        .unwrap()
        + 1;
    assert_eq!(problems[0].line, Some(line), "{}", problems[0]);
}

#[test]
fn blessing_rewrites_quoted_numbers_from_the_results_file() {
    let book = book_quoting_results();
    book.edit(CHAPTER, "2.68<!--", "2.71<!--");
    book.write(
        "src/results.txt",
        "ratio = 12345.678\nfast.meps = 3.1\nslow.meps = 1.2\n",
    );
    book.edit(CHAPTER, "2.71<!--", "1,000.00<!--");
    assert_eq!(numbers::bless(book.root()), [PathBuf::from(CHAPTER)]);
    assert!(
        book.read(CHAPTER)
            .contains("The ratio was 12,345.68<!-- ratio -->")
    );
    assert!(numbers_problems(&book).is_empty());
}

#[test]
fn blessing_a_negative_number_twice_keeps_one_minus_sign() {
    let book = book_quoting_results();
    book.write(
        "src/results.txt",
        "ratio = -2.093333\nfast.meps = 3.1\nslow.meps = 1.2\n",
    );
    for _ in 0..2 {
        numbers::bless(book.root());
        assert!(
            book.read(CHAPTER)
                .contains("The ratio was -2.09<!-- ratio -->"),
            "{}",
            book.read(CHAPTER)
        );
    }
    assert!(numbers_problems(&book).is_empty());
    // A second sign written by hand is refused, not read as one.
    book.edit(CHAPTER, "-2.09<!--", "--2.09<!--");
    assert_one(
        &book.integrity(),
        Rule::NumbersMatchResults,
        CHAPTER,
        "writes 2 minus signs before the number for `ratio`; write one",
    );
}

#[test]
fn a_claim_its_results_file_contradicts_is_reported() {
    let book = book_quoting_results();
    book.edit(CHAPTER, "fast.meps > slow.meps", "fast.meps < slow.meps");
    assert_one(
        &book.integrity(),
        Rule::NumbersMatchResults,
        CHAPTER,
        "claims `fast.meps < slow.meps`, but src/results.txt has fast.meps = 3.1",
    );
}

#[test]
fn a_decimal_number_without_a_marker_is_reported() {
    let book = book_quoting_results();
    let chapter = book.read(CHAPTER);
    book.write(CHAPTER, &format!("{chapter}\nA run took 1.25 seconds.\n"));
    assert_one(
        &book.integrity(),
        Rule::NumbersMatchResults,
        CHAPTER,
        "quotes 1.25 without saying where it comes from",
    );
}

#[test]
fn a_large_whole_number_without_a_marker_is_reported() {
    let book = book_quoting_results();
    let chapter = book.read(CHAPTER);
    book.write(
        CHAPTER,
        &format!("{chapter}\nIt took 11,163 page faults in 2024.\n"),
    );
    assert_one(
        &book.integrity(),
        Rule::NumbersMatchResults,
        CHAPTER,
        "quotes 11,163 without saying where it comes from",
    );
}

#[test]
fn a_claim_about_a_median_that_has_an_interval_is_reported() {
    let book = book_quoting_results();
    let results = book.read("src/results.txt");
    book.write(
        "src/results.txt",
        &format!("{results}fast.meps_low = 2.2\nfast.meps_high = 4.0\n"),
    );
    assert_one(
        &book.integrity(),
        Rule::NumbersMatchResults,
        CHAPTER,
        "compares `fast.meps` in `fast.meps > slow.meps`, but src/results.txt gives it with a \
         confidence interval (`fast.meps_low`..`fast.meps_high`)",
    );
    book.edit(
        CHAPTER,
        "fast.meps > slow.meps",
        "fast.meps_low > slow.meps",
    );
    assert!(numbers_problems(&book).is_empty());
}

/// `checks.interval_ends` counts the distinct interval ends the chapter's checks compare: a
/// chapter that quotes it (for a union bound over its claims) must follow its checks.
#[test]
fn the_count_of_interval_ends_follows_the_checks() {
    let book = book_quoting_results();
    let results = book.read("src/results.txt");
    book.write(
        "src/results.txt",
        &format!("{results}fast.meps_low = 2.2\nfast.meps_high = 4.0\n"),
    );
    book.edit(
        CHAPTER,
        "fast.meps > slow.meps",
        "fast.meps_low > slow.meps and fast.meps_low > 2",
    );
    let chapter = book.read(CHAPTER);
    book.write(
        CHAPTER,
        &format!("{chapter}\nIt checks 1<!-- checks.interval_ends --> end of an interval.\n"),
    );
    assert!(
        numbers_problems(&book).is_empty(),
        "{}",
        report(&numbers_problems(&book))
    );
    // One more end, and the sentence is stale.
    let chapter = book.read(CHAPTER);
    book.write(
        CHAPTER,
        &format!("{chapter}\nAnd a bound.<!-- check: fast.meps_high < 5 -->\n"),
    );
    assert_one(
        &book.integrity(),
        Rule::NumbersMatchResults,
        CHAPTER,
        "says 1 for `checks.interval_ends`, but the chapter's checks compare 2 distinct ends of \
         intervals; write 2",
    );
    assert_eq!(numbers::bless(book.root()), [PathBuf::from(CHAPTER)]);
    assert!(
        book.read(CHAPTER)
            .contains("It checks 2<!-- checks.interval_ends -->")
    );
    assert!(numbers_problems(&book).is_empty());
}

#[test]
fn both_ends_of_a_quoted_interval_are_checked() {
    let book = book_quoting_results();
    let results = book.read("src/results.txt");
    book.write(
        "src/results.txt",
        &format!("{results}fast.meps_low = 2.2\nfast.meps_high = 4.0\n"),
    );
    let chapter = book.read(CHAPTER);
    book.write(
        CHAPTER,
        &format!(
            "{chapter}\nFast: 2.2<!-- fast.meps_low -->..4.0<!-- fast.meps_high --> Meps; slow: \
             1.1..1.3 Meps.\n"
        ),
    );
    book.edit(
        CHAPTER,
        "fast.meps > slow.meps",
        "fast.meps_low > slow.meps",
    );
    let problems = numbers_problems(&book);
    assert_eq!(problems.len(), 2, "{}", report(&problems));
    assert!(
        problems
            .iter()
            .all(|p| p.message.contains("without saying where it comes from"))
    );
    book.edit(CHAPTER, "..4.0<!--", "..4.1<!--");
    assert!(
        numbers_problems(&book)
            .iter()
            .any(|p| p.message.contains("says 4.1 for `fast.meps_high`")),
        "{}",
        report(&numbers_problems(&book))
    );
}

#[test]
fn a_marker_for_a_key_the_results_do_not_have_is_reported() {
    let book = book_quoting_results();
    book.edit(CHAPTER, "<!-- ratio -->", "<!-- ratio.typo -->");
    assert_one(
        &book.integrity(),
        Rule::NumbersMatchResults,
        CHAPTER,
        "quotes `ratio.typo`, which src/results.txt does not have",
    );
}

/// The real case-study chapter, on a copy: change the first number it quotes, and the check
/// names that line and that key.
#[test]
fn editing_a_number_the_case_study_quotes_is_caught() {
    let book = Book::copy();
    let chapter = fs::read_to_string("src/case-study.md").unwrap();
    book.write(
        "src/img/case-study/results.txt",
        &fs::read_to_string("src/img/case-study/results.txt").unwrap(),
    );
    book.write(CHAPTER, &chapter);
    assert!(
        numbers_problems(&book).is_empty(),
        "{}",
        report(&numbers_problems(&book))
    );

    // The first `NUMBER<!-- key -->` of the chapter, its last digit changed.
    let marker = chapter
        .match_indices("<!-- ")
        .map(|(i, _)| i)
        .find(|&i| chapter[..i].ends_with(|c: char| c.is_ascii_digit()))
        .expect("the chapter quotes a number");
    let key = chapter[marker + 5..].split_whitespace().next().unwrap();
    let digit = chapter[..marker].chars().last().unwrap();
    let other = if digit == '9' {
        '8'
    } else {
        (digit as u8 + 1) as char
    };
    let edited = format!("{}{other}{}", &chapter[..marker - 1], &chapter[marker..]);
    book.write(CHAPTER, &edited);
    let problems = numbers_problems(&book);
    assert_eq!(problems.len(), 1, "{}", report(&problems));
    let line = chapter[..marker].matches('\n').count() + 1;
    assert_eq!(problems[0].line, Some(line), "{}", problems[0]);
    assert!(
        problems[0].message.contains(&format!("`{key}`")),
        "{}",
        problems[0]
    );
}

// --- what only running the listings can show ----------------------------------------------

const PRINTS: &str = "listings/demo/prints.rs";

#[test]
fn a_passing_listing_that_panics_fails_the_run() {
    let book = Book::copy();
    book.edit(PRINTS, "println!(\"{word}\");", "panic!(\"{word}\");");
    assert_one(
        &book.run_listings(Duration::from_secs(20)),
        Rule::ListingRuns,
        PRINTS,
        "but it panicked",
    );
}

#[test]
fn a_passing_listing_that_stops_compiling_fails_the_run() {
    let book = Book::copy();
    book.edit(PRINTS, "for word in &words", "for word in words.iter_mut()");
    assert_one(
        &book.run_listings(Duration::from_secs(20)),
        Rule::ListingRuns,
        PRINTS,
        "does not compile",
    );
}

#[test]
fn a_listing_that_prints_something_else_than_its_snapshot_fails_the_run() {
    let book = Book::copy();
    book.edit("listings/demo/prints.stdout", "two", "three");
    assert_one(
        &book.run_listings(Duration::from_secs(20)),
        Rule::ListingRuns,
        PRINTS,
        "does not match listings/demo/prints.stdout",
    );
}

#[test]
fn a_panicking_listing_that_stops_panicking_fails_the_run() {
    let book = Book::copy();
    book.edit(
        "listings/demo/panics.rs",
        "numbers[0]",
        "numbers.first().copied().unwrap_or(0)",
    );
    let problems = book.run_listings(Duration::from_secs(20));
    assert!(!problems.is_empty());
    assert!(
        problems[0].message.contains("the book says it panics"),
        "{}",
        report(&problems)
    );
}

#[test]
fn a_listing_that_hangs_is_killed_and_reported() {
    let book = Book::copy();
    book.edit(
        PRINTS,
        "println!(\"{word}\");",
        "println!(\"{word}\"); loop { std::hint::spin_loop() }",
    );
    assert_one(
        &book.run_listings(Duration::from_millis(300)), // it never ends: any timeout shows the kill
        Rule::ListingRuns,
        PRINTS,
        "was killed",
    );
}

#[test]
fn a_different_compiler_explains_itself_instead_of_diffing() {
    let book = Book::copy();
    book.write(
        "listings/rustc-version.txt",
        "rustc 1.0.0 (a28ec9f44 2015-05-13)\n",
    );
    if book_harness::bless::requested() {
        return; // blessing records the running compiler instead of comparing
    }
    let problem = toolchain::check(book.root()).expect_err("versions differ");
    assert_eq!(problem.rule, Rule::Toolchain);
    assert!(
        problem
            .message
            .contains("were made with `rustc 1.0.0 (a28ec9f44 2015-05-13)`"),
        "{problem}"
    );
    assert!(
        problem.message.contains("TRYBUILD=overwrite cargo test"),
        "{problem}"
    );
}

// --- remembered verdicts ---------------------------------------------------------------------

#[test]
fn a_remembered_trybuild_pass_is_not_reused_once_a_listing_or_its_error_changes() {
    let book = Book::copy();
    let version = toolchain::Compiler::running().unwrap().version;
    let key = |book: &Book| {
        let listings = listing::discover(book.root());
        let failing: Vec<_> = listings.of_kind(Kind::CompileFail).collect();
        memo::compile_fail_key(book.root(), failing, &version)
    };
    let dir = tempfile::tempdir().unwrap();
    let memo = memo::Memo::new(dir.path());
    memo.put(&key(&book), "passed");
    assert!(
        memo.get(&key(&book)).is_some(),
        "the same inputs reuse the verdict"
    );

    book.edit(
        "listings/demo/use_after_move.stderr",
        "borrow of moved value",
        "use of moved value",
    );
    assert!(
        memo.get(&key(&book)).is_none(),
        "an edited .stderr is checked again"
    );
    book.edit(
        "listings/demo/use_after_move.stderr",
        "use of moved value",
        "borrow of moved value",
    );
    book.edit(
        "listings/demo/use_after_move.rs",
        "let b = a;",
        "let b = a.clone();",
    );
    assert!(
        memo.get(&key(&book)).is_none(),
        "an edited listing is checked again"
    );
}

// --- compile-fail drift, checked by trybuild in a child process ---------------------------
//
// trybuild reports on the terminal, not through the test harness, so the drifted fixtures run
// in a child process (this test binary again, filtered to the ignored test below) whose output
// we read. They go to one child with the good book's compile-fail listing, so trybuild checks
// all four in one batch, as it does the book's.

/// The test a child process runs: trybuild on the cases in [`TRYBUILD_CASES`].
const TRYBUILD_CHILD: &str = "trybuild_child_process";
/// Set for a child process: the compile-fail cases (comma-separated) trybuild checks there.
const TRYBUILD_CASES: &str = "TRYBUILD_CASES";
const GOOD_COMPILE_FAIL: &str = "tests/fixtures/good-book/listings/demo/use_after_move.rs";
const DRIFTED: [&str; 3] = [
    "tests/fixtures/drift/compiles.rs",
    "tests/fixtures/drift/other_error.rs",
    "tests/fixtures/drift/edited.rs",
];

#[test]
#[ignore = "run in a child process by the tests below, with TRYBUILD_CASES set"]
fn trybuild_child_process() {
    let cases = std::env::var(TRYBUILD_CASES).expect("TRYBUILD_CASES: the cases to check");
    let trybuild = trybuild::TestCases::new();
    for case in cases.split(',').filter(|c| !c.is_empty()) {
        trybuild.compile_fail(case);
    }
}

/// The command that runs [`trybuild_child_process`] on `cases`.
fn trybuild_child_command(cases: &[&str]) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([TRYBUILD_CHILD, "--exact", "--ignored", "--nocapture"])
        .env(TRYBUILD_CASES, cases.join(","))
        .env("NO_COLOR", "1");
    command
}

#[test]
fn trybuild_accepts_the_good_books_compile_fail_listing() {
    // The fixture's snapshots, like the book's, name the compiler that made them.
    if let Err(problem) = toolchain::check(Path::new(GOOD_BOOK)) {
        panic!("\n{GOOD_BOOK}/{problem}\n");
    }
    if bless::requested() {
        // Re-record the fixture's snapshot with the bless switch (the child never blesses).
        let trybuild = trybuild::TestCases::new();
        trybuild.compile_fail(GOOD_COMPILE_FAIL);
        return;
    }
    let report = drift_report();
    let section = case_report(report, GOOD_COMPILE_FAIL);
    assert!(
        section.starts_with(&format!("test {GOOD_COMPILE_FAIL} ... ok")),
        "trybuild rejected the good book's compile-fail listing:\n{section}"
    );
}

/// trybuild's report on the good book's compile-fail listing and the drifted fixtures, from one
/// child process.
fn drift_report() -> &'static str {
    static REPORT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    REPORT.get_or_init(|| {
        let mut cases = vec![GOOD_COMPILE_FAIL];
        cases.extend(DRIFTED);
        // The child's report depends on the fixtures, the compiler, and this binary (trybuild
        // and the cases are compiled into it): remembered by all three.
        // Only a report in which every case went as the tests expect is remembered (the good
        // listing accepted, every drifted fixture rejected): any other is made again next time.
        self_test_memo()
            .remember(&self_test_key("drift-report"), || {
                let output = trybuild_child_command(&cases)
                    .env_remove("TRYBUILD") // a re-bless must never "fix" the drift fixtures
                    .output()
                    .unwrap();
                let text = String::from_utf8_lossy(&output.stdout).into_owned()
                    + &String::from_utf8_lossy(&output.stderr);
                let as_expected = |case: &str, ok: bool| {
                    text.contains(&format!("test {case} ... "))
                        && ok
                            == case_report(&text, case).starts_with(&format!("test {case} ... ok"))
                };
                if as_expected(GOOD_COMPILE_FAIL, true)
                    && DRIFTED.iter().all(|case| as_expected(case, false))
                {
                    Ok(text)
                } else {
                    Err(text)
                }
            })
            .unwrap_or_else(|text| text)
    })
}

/// The memo of the self-tests (see `book_harness::memo`): the results of their slowest
/// children, reused while nothing they depend on changed.
fn self_test_memo() -> memo::Memo {
    memo::Memo::for_cargo_test(Path::new(env!("CARGO_TARGET_TMPDIR")))
}

/// What a self-test's child depends on: this test binary, the compiler, the fixtures, the
/// README (the recipes follow it).
fn self_test_key(name: &str) -> memo::Key {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    memo::Key::new(name)
        .with_current_exe()
        .with_compiler(&toolchain::Compiler::running().unwrap().version)
        .with_tree(root, Path::new("tests/fixtures"))
        .with_file(root, Path::new("README.md"))
}

/// The part of trybuild's report about `case`.
#[track_caller]
fn case_report<'a>(report: &'a str, case: &str) -> &'a str {
    let start = report
        .find(&format!("test {case} ... "))
        .unwrap_or_else(|| panic!("the report does not name {case}:\n{report}"));
    let section = &report[start..];
    &section[..section[1..]
        .find("\ntest ")
        .map_or(section.len(), |i| i + 1)]
}

/// Asserts that trybuild's report names `case` as failed and says `says` about it.
#[track_caller]
fn assert_trybuild_rejects(case: &str, says: &str) {
    let section = case_report(drift_report(), case);
    assert!(
        !section.starts_with(&format!("test {case} ... ok")),
        "trybuild accepted {case}:\n{section}"
    );
    assert!(
        section.contains(says),
        "the report on {case} does not say {says:?}:\n{section}"
    );
}

#[test]
fn a_compile_fail_listing_that_compiles_is_rejected() {
    assert_trybuild_rejects(
        "tests/fixtures/drift/compiles.rs",
        "Expected test case to fail to compile, but it succeeded.",
    );
}

#[test]
fn a_compile_fail_listing_failing_with_another_error_is_rejected() {
    assert_trybuild_rejects("tests/fixtures/drift/other_error.rs", "error[E0384]");
}

#[test]
fn an_edited_stderr_snapshot_is_rejected() {
    assert_trybuild_rejects("tests/fixtures/drift/edited.rs", "TRYBUILD=overwrite");
}

#[test]
fn listing_kinds_come_from_the_snapshot_files() {
    let listings = listing::discover(Path::new(GOOD_BOOK));
    let kinds: Vec<(String, Kind)> = listings
        .standalone
        .iter()
        .map(|l| {
            (
                l.path.file_stem().unwrap().to_string_lossy().into_owned(),
                l.kind,
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("panics".to_owned(), Kind::Panics),
            ("prints".to_owned(), Kind::Runs),
            ("use_after_move".to_owned(), Kind::CompileFail),
            ("leaks_a_box".to_owned(), Kind::Runs),
        ]
    );
}

// --- skeptic, as this book configures it --------------------------------------------------

/// Runs one snippet through skeptic exactly as the generated tests do: whether it passed as
/// `passes` says.
fn skeptic_as_expected(snippet: &str, passes: bool) -> bool {
    // skeptic compiles the snippet with rustc each time: the verdict is remembered by the
    // snippet, the compiler and this binary (skeptic's runtime is compiled into it), and only
    // when it is the expected one, so that a failure runs again next time.
    let key = self_test_key("skeptic").with(snippet).with(passes);
    self_test_memo()
        .remember(&key, || {
            let ran = std::panic::catch_unwind(|| {
                skeptic::rt::run_test(
                    env!("CARGO_MANIFEST_DIR"),
                    env!("OUT_DIR"),
                    env!("BOOK_TARGET_TRIPLE"),
                    snippet,
                )
            })
            .is_ok();
            if ran == passes {
                Ok(String::new())
            } else {
                Err(())
            }
        })
        .is_ok()
}

#[test]
fn skeptic_fails_a_snippet_that_does_not_compile() {
    assert!(skeptic_as_expected(
        "fn main() { let n: u8 = 1; println!(\"{n}\"); }",
        true
    ));
    assert!(skeptic_as_expected(
        "fn main() { let n: u8 = \"one\"; println!(\"{n}\"); }",
        false
    ));
}

#[test]
fn skeptic_fails_a_snippet_that_panics() {
    assert!(skeptic_as_expected(
        "fn main() { let v: Vec<u8> = Vec::new(); let _ = v[1]; }",
        false
    ));
}

/// README.md ("Editions") keeps edition-sensitive code out of inline snippets because skeptic
/// compiles them as 2021. The day skeptic compiles them as 2024, this fails: revisit that rule.
#[test]
fn skeptic_compiles_inline_snippets_as_edition_2021() {
    let let_chain =
        "fn main() { let a = Some(1); if let Some(x) = a && x > 0 { println!(\"{x}\"); } }";
    assert!(
        skeptic_as_expected(let_chain, false),
        "skeptic now accepts 2024-only code"
    );
    // `[T; N]::into_iter` yields values only from 2021 on (references before).
    let array_into_iter =
        "fn main() { let n: i32 = [1].into_iter().next().unwrap(); println!(\"{n}\"); }";
    assert!(
        skeptic_as_expected(array_into_iter, true),
        "skeptic now compiles snippets as 2018 or older"
    );
}

// --- C listings under their sanitizer, listings under valgrind memcheck -------------------
//
// The fixture's `src/tools.md` shows a C listing with its AddressSanitizer report, and a listing
// that leaks on purpose with its memcheck summary. The builds and the tools' verdicts are cached
// like the listings' (by binary), so a warm run starts no program.

const TOOLS: &str = "src/tools.md";
const C_LISTING: &str = "listings/tools/use_after_free.c";
const C_REPORT: &str = "listings/tools/use_after_free.asan";
const LEAKS: &str = "listings/tools/leaks_a_box.rs";
const LEAK_SUMMARY: &str = "listings/tools/leaks_a_box.valgrind";

fn self_test_cache(what: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("self-test-{what}"))
}

/// The self-tests' C compiler (`$CC`, else `cc`) and its cache, shared by all copies.
fn sanitizer_options(bless: bool) -> sanitizer::Options {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    sanitizer::Options::new(&cc, self_test_cache("c-listings"), bless)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The self-tests' valgrind and its cache, shared by all copies.
fn valgrind_options(bless: bool) -> valgrind::Options {
    valgrind::Options::new("valgrind", self_test_cache("memcheck"), bless)
        .unwrap_or_else(|e| panic!("{e}"))
}

impl Book {
    /// Compiles the C listings with their sanitizer and runs them; `bless` rewrites reports.
    fn sanitizers(&self, bless: bool) -> Vec<Problem> {
        let options = sanitizer_options(bless);
        sanitizer::check(self.root(), &listing::discover(self.root()).c, &options)
    }

    /// Runs the passing listings under valgrind memcheck; `bless` rewrites `.valgrind` files.
    fn memcheck(&self, bless: bool) -> Vec<Problem> {
        let build = run::Options {
            compiler: toolchain::Compiler::running().unwrap(),
            cache_dir: self_test_cache("listing-binaries"),
            bless: false,
            timeout: Duration::from_secs(20),
        };
        let options = valgrind_options(bless);
        let listings = listing::discover(self.root());
        valgrind::check(self.root(), &listings.standalone, &build, &options)
    }
}

#[test]
fn the_good_books_c_listing_shows_its_bug_as_recorded() {
    let problems = Book::copy().sanitizers(false);
    assert!(problems.is_empty(), "{}", report(&problems));
}

#[test]
fn the_good_books_listings_pass_memcheck_as_recorded() {
    let problems = Book::copy().memcheck(false);
    assert!(problems.is_empty(), "{}", report(&problems));
}

#[test]
fn a_c_listing_without_its_bug_is_rejected() {
    let book = Book::copy();
    book.edit(
        C_LISTING,
        "    free(name);\n    puts(name);",
        "    puts(name);\n    free(name);",
    );
    assert_one(
        &book.sanitizers(false),
        Rule::SanitizerReport,
        C_LISTING,
        "no longer shows its bug",
    );
}

#[test]
fn an_edited_sanitizer_report_is_rejected() {
    let book = Book::copy();
    book.edit(C_REPORT, "16-byte region", "32-byte region");
    assert_one(
        &book.sanitizers(false),
        Rule::SanitizerReport,
        C_LISTING,
        "reports something else than listings/tools/use_after_free.asan",
    );
}

#[test]
fn a_changed_report_under_another_c_compiler_says_so() {
    let book = Book::copy();
    book.edit(C_REPORT, "16-byte region", "32-byte region");
    book.write("listings/cc-version.txt", "cc (Imaginary 1.0) 1.0\n");
    let problems = book.sanitizers(false);
    assert_one(
        &problems,
        Rule::SanitizerReport,
        C_LISTING,
        "the reports were recorded with `cc (Imaginary 1.0) 1.0`",
    );
}

/// Emptying `snapshot` and blessing it with `bless` writes it back as the good book has it.
#[track_caller]
fn assert_bless_restores(snapshot: &str, bless: impl FnOnce(&Book) -> Vec<Problem>) {
    let book = Book::copy();
    book.write(snapshot, "");
    let problems = bless(&book);
    assert!(problems.is_empty(), "{}", report(&problems));
    assert_eq!(
        book.read(snapshot),
        fs::read_to_string(Path::new(GOOD_BOOK).join(snapshot)).unwrap()
    );
}

/// A tool that is not installed is one message that says how to install it.
#[track_caller]
fn assert_says_what_to_install<T>(found: Result<T, String>, install: &str) {
    let why = found.err().expect("no such tool");
    assert!(why.contains(install), "{why}");
}

#[test]
fn blessing_records_a_c_listings_report() {
    assert_bless_restores(C_REPORT, |book| book.sanitizers(true));
}

#[test]
fn a_missing_c_compiler_is_one_message_saying_what_to_install() {
    assert_says_what_to_install(
        sanitizer::Options::new("/nonexistent/cc", self_test_cache("c-listings"), false),
        "apt-get install -y gcc",
    );
}

#[test]
fn a_leaking_listing_shown_as_clean_is_rejected() {
    let book = Book::copy();
    book.edit(
        PRINTS,
        "// the number src/img/demo.svg shows\n",
        "// the number src/img/demo.svg shows\n    std::mem::forget(words);\n",
    );
    assert_one(
        &book.memcheck(false),
        Rule::Memcheck,
        PRINTS,
        "it leaks 32 bytes definitely",
    );
}

#[test]
fn a_leak_through_arc_into_raw_is_rejected() {
    // memcheck counts this block as "possibly lost" (the static points past its counts), the
    // category harness/valgrind.supp exempts for a few of std's and glibc's own blocks only.
    let book = Book::copy();
    book.edit(
        PRINTS,
        "    // ANCHOR_END: loop\n",
        "    // ANCHOR_END: loop\n    \
         static KEPT: AtomicPtr<u64> = AtomicPtr::new(std::ptr::null_mut());\n    \
         KEPT.store(Arc::into_raw(Arc::new(7)).cast_mut(), Ordering::Relaxed);\n",
    );
    book.edit(
        PRINTS,
        "fn main() {",
        "use std::sync::Arc;\nuse std::sync::atomic::{AtomicPtr, Ordering};\n\nfn main() {",
    );
    assert_one(
        &book.memcheck(false),
        Rule::Memcheck,
        PRINTS,
        "it leaks 24 bytes possibly",
    );
}

#[test]
fn memcheck_exempts_the_main_threads_handle() {
    // The first `thread::current()` (here in `thread::scope`) makes the main thread's handle,
    // which std keeps until exit through a pointer into its middle: harness/valgrind.supp.
    let book = Book::copy();
    book.edit(
        PRINTS,
        "    for word in &words {\n        println!(\"{word}\");\n    }\n",
        "    std::thread::scope(|s| {\n        let printer = s.spawn(|| {\n            \
         for word in &words {\n                println!(\"{word}\");\n            }\n        \
         });\n        printer.join().unwrap();\n    });\n",
    );
    let problems = book.memcheck(false);
    assert!(problems.is_empty(), "{}", report(&problems));
}

#[test]
fn memcheck_exempts_the_thread_storage_of_a_thread_alive_at_exit() {
    // glibc points to a thread's table of thread-local storage one entry past its start; a
    // thread still running when the process ends leaves it so: harness/valgrind.supp.
    let book = Book::copy();
    book.edit(
        PRINTS,
        "    // ANCHOR_END: loop\n",
        "    // ANCHOR_END: loop\n    \
         let _waits_forever = std::thread::spawn(|| loop { std::thread::park() });\n",
    );
    let problems = book.memcheck(false);
    assert!(problems.is_empty(), "{}", report(&problems));
}

#[test]
fn an_edited_valgrind_summary_is_rejected() {
    let book = Book::copy();
    book.edit(
        LEAK_SUMMARY,
        "definitely lost: 24 bytes",
        "definitely lost: 0 bytes",
    );
    assert_one(
        &book.memcheck(false),
        Rule::Memcheck,
        LEAKS,
        "reports something else than listings/tools/leaks_a_box.valgrind",
    );
}

#[test]
fn blessing_records_a_leaking_listings_summary() {
    assert_bless_restores(LEAK_SUMMARY, |book| book.memcheck(true));
}

#[test]
fn a_missing_valgrind_is_one_message_saying_what_to_install() {
    assert_says_what_to_install(
        valgrind::Options::new("/nonexistent/valgrind", self_test_cache("memcheck"), false),
        "apt-get install -y valgrind",
    );
}

#[test]
fn c_code_typed_into_a_chapter_is_rejected() {
    let book = Book::copy();
    let text = book.read(TOOLS);
    book.write(
        TOOLS,
        &format!("{text}\n```c\nint main(void) {{ return 0; }}\n```\n"),
    );
    assert_one(
        &book.integrity(),
        Rule::EveryCFenceTested,
        TOOLS,
        "C code that nothing compiles",
    );
}

#[test]
fn a_c_listing_without_a_sanitizer_report_is_rejected() {
    let book = Book::copy();
    book.remove(C_REPORT);
    book.edit(
        TOOLS,
        "```text\n{{#include ../listings/tools/use_after_free.asan}}\n```\n",
        "",
    );
    assert_one(
        &book.integrity(),
        Rule::EveryCFenceTested,
        C_LISTING,
        "has no sanitizer report beside it",
    );
}

#[test]
fn a_c_listing_shown_without_its_report_after_it_is_rejected() {
    let book = Book::copy();
    let shown = "```text\n{{#include ../listings/tools/use_after_free.asan}}\n```\n\n";
    book.edit(TOOLS, shown, "");
    book.edit(TOOLS, "```c\n", &format!("{shown}```c\n"));
    assert_one(
        &book.integrity(),
        Rule::OutputShownWithListing,
        TOOLS,
        "not, after it, what its sanitizer reports",
    );
}

#[test]
fn a_leak_shown_without_its_valgrind_summary_is_rejected() {
    let book = Book::copy();
    book.edit(
        TOOLS,
        "\n```text\n{{#include ../listings/tools/leaks_a_box.valgrind}}\n```\n",
        "",
    );
    assert_one(
        &book.integrity(),
        Rule::OutputShownWithListing,
        TOOLS,
        "not what valgrind memcheck reports",
    );
}

#[test]
fn a_sanitizer_report_without_its_c_listing_is_an_orphan() {
    let book = Book::copy();
    book.write(
        "listings/tools/gone.tsan",
        "WARNING: ThreadSanitizer: data race\n",
    );
    assert_one(
        &book.integrity(),
        Rule::NoOrphans,
        "listings/tools/gone.tsan",
        "listings/tools/gone.c does not exist",
    );
}

#[test]
fn pasted_sanitizer_and_valgrind_output_is_rejected() {
    for (pasted, says) in [
        (
            "==1==ERROR: AddressSanitizer: heap-use-after-free on address 0x6020",
            "pastes a sanitizer's report",
        ),
        (
            "WARNING: ThreadSanitizer: data race (pid=1)",
            "pastes a sanitizer's report",
        ),
        (
            "==9== LEAK SUMMARY:\n==9==    definitely lost: 48 bytes",
            "pastes valgrind's output",
        ),
    ] {
        let book = Book::copy();
        let text = book.read(TOOLS);
        book.write(TOOLS, &format!("{text}\n```text\n{pasted}\n```\n"));
        assert_one(&book.integrity(), Rule::NoPastedOutput, TOOLS, says);
    }
}

// --- permission tables --------------------------------------------------------------------

const MOVED: &str = "listings/demo/use_after_move.rs";
const MOVED_PERMS: &str = "listings/demo/use_after_move.perms";

#[test]
fn the_good_books_permission_table_is_what_rustc_computes() {
    // The fixture's snapshots, like the book's, name the compiler that made them.
    if let Err(problem) = toolchain::check(Path::new(GOOD_BOOK)) {
        panic!("\n{GOOD_BOOK}/{problem}\n");
    }
    let problems = Book::copy().permission_tables(false);
    assert!(problems.is_empty(), "{}", report(&problems));
}

#[test]
fn an_edited_permission_table_is_reported_with_the_listing_and_line() {
    let book = Book::copy();
    book.edit(
        MOVED_PERMS,
        "   3 | - - -  | R - O |",
        "   3 | - - -  | R W O |",
    );
    let problems = book.permission_tables(false);
    assert_one(
        &problems,
        Rule::PermissionTables,
        MOVED,
        "after line 3, `b` has `R - O`, not `R W O`",
    );
    assert_eq!(problems[0].line, Some(3), "{}", problems[0]);
}

#[test]
fn a_listing_edited_so_a_permission_changes_is_reported() {
    let book = Book::copy();
    book.edit(MOVED, "let b = a;", "let mut b = a;");
    let problems = book.permission_tables(false);
    let lines: Vec<Option<usize>> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [Some(3), Some(4)], "{}", report(&problems));
    for (problem, says) in problems.iter().zip([
        "after line 3, `b` has `R W O`, not `R - O`",
        "before line 4 (rustc's error), `b` has `R W O`, not `R - O`",
    ]) {
        assert_eq!(problem.file, Path::new(MOVED), "{problem}");
        assert!(
            problem.message.contains(says),
            "{problem}\nshould say: {says}"
        );
        assert!(
            problem.message.contains("TRYBUILD=overwrite cargo test"),
            "{problem}"
        );
    }
}

// --- the error a reader gets: a full build --------------------------------------------------

/// A program `cargo check` accepts and `cargo build` refuses: the assertion in a generic
/// constant is evaluated only when `make::<0>` is instantiated, in a full build (E0080). Such
/// "post-monomorphisation" errors are by design, so this stays true on later compilers.
const ONLY_A_FULL_BUILD_FAILS: &str = "struct Check<const N: usize>;

impl<const N: usize> Check<N> {
    const NOT_ZERO: () = assert!(N > 0, \"N must not be zero\");
}

fn make<const N: usize>() -> [u8; N] {
    let () = Check::<N>::NOT_ZERO;
    [0; N]
}

fn main() {
    let empty = make::<0>();
    assert!(empty.is_empty());
}
";

#[test]
fn an_error_only_a_full_build_reports_is_rejected() {
    let book = Book::copy();
    book.write(
        "listings/demo/zero_length_buffer.rs",
        ONLY_A_FULL_BUILD_FAILS,
    );
    // A snapshot as `cargo check` would leave it: no error at all.
    book.write("listings/demo/zero_length_buffer.stderr", "");
    let problems = book.full_builds();
    assert_one(
        &problems,
        Rule::FullBuildErrorsShown,
        "listings/demo/zero_length_buffer.rs",
        "reports `E0080` as well",
    );
    assert!(
        problems[0].message.contains("which `cargo check` does not"),
        "{}",
        problems[0]
    );
    // Its `.stderr` is the full build's output, which the bless records.
    assert!(book.full_builds_blessing(true).is_empty());
    let recorded = book.read("listings/demo/zero_length_buffer.stderr");
    assert!(recorded.starts_with("error[E0080]"), "{recorded}");
    let problems = book.full_builds();
    assert!(problems.is_empty(), "{}", report(&problems));
}

// --- the contributor's path: README's recipes followed to the letter ----------------------
//
// Each recipe is one README section ("### Add a listing", ...). On a fresh copy of the good
// book the test writes the listing, adds the section's ````markdown blocks to the chapter (the
// README's example listing renamed to the recipe's), blesses the copy as `TRYBUILD=overwrite
// cargo test` blesses the book, and checks it as `cargo test` does: from nothing to green, with
// no snapshot created by hand. If the README's steps stop working, this fails.
//
// A new kind of listing adds a README section (with a ````markdown block of the chapter's
// fences) and a row to RECIPES; if it brings a bless or a check of its own, it adds them to
// `bless_as_cargo_test` and `check_as_cargo_test`.

struct Recipe {
    /// The README headings whose steps are followed, in order (a leak is shown with a listing).
    sections: &'static [&'static str],
    /// The listing the contributor writes (step 1), and its source.
    listing: &'static str,
    source: &'static str,
    /// Other files step 1 writes beside it (an exercise's solution), with their sources.
    companions: &'static [(&'static str, &'static str)],
    /// Each snapshot the bless must record, with something it must contain.
    records: &'static [(&'static str, &'static str)],
}

const RECIPES: &[Recipe] = &[
    Recipe {
        sections: &["### Add a listing"],
        listing: "listings/demo/counts_words.rs",
        source: "fn main() {\n    let words = \"one two three\".split(' ').count();\n    println!(\"{words} words\");\n}\n",
        companions: &[],
        records: &[("listings/demo/counts_words.stdout", "3 words\n")],
    },
    Recipe {
        sections: &["### Add a compile-fail listing"],
        listing: "listings/demo/slice_then_clear.rs",
        source: "fn main() {\n    let mut scores = vec![1, 2, 3];\n    let first = &scores[..1];\n    scores.clear();\n    println!(\"{first:?}\");\n}\n",
        companions: &[],
        records: &[("listings/demo/slice_then_clear.stderr", "error[E0502]")],
    },
    Recipe {
        // The same steps, for a listing only a full build refuses: recorded from a full build.
        sections: &["### Add a compile-fail listing"],
        listing: "listings/demo/zero_length_buffer.rs",
        source: ONLY_A_FULL_BUILD_FAILS,
        companions: &[],
        records: &[("listings/demo/zero_length_buffer.stderr", "error[E0080]")],
    },
    Recipe {
        sections: &["### A listing that panics"],
        listing: "listings/demo/max_of_nothing.rs",
        source: "fn main() {\n    let empty: Vec<u32> = Vec::new();\n    let max = empty.iter().max().expect(\"an empty list has no maximum\");\n    println!(\"{max}\");\n}\n",
        companions: &[],
        records: &[(
            "listings/demo/max_of_nothing.panic",
            "an empty list has no maximum",
        )],
    },
    Recipe {
        sections: &["### Add an exercise"],
        listing: "listings/demo/exercise_greet_twice.rs",
        source: "fn main() {\n    let greeting = String::from(\"hello\");\n    let moved = greeting;\n    println!(\"{greeting} {moved}\");\n}\n",
        companions: &[(
            "listings/demo/exercise_greet_twice_solution.rs",
            "fn main() {\n    let greeting = String::from(\"hello\");\n    let copy = greeting.clone();\n    println!(\"{greeting} {copy}\");\n}\n",
        )],
        records: &[
            ("listings/demo/exercise_greet_twice.stderr", "error[E0382]"),
            (
                "listings/demo/exercise_greet_twice_solution.stdout",
                "hello hello\n",
            ),
        ],
    },
    Recipe {
        sections: &["### Add a C listing"],
        listing: "listings/demo/frees_then_reads.c",
        source: "#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\nint main(void) {\n    char *name = malloc(16);\n    strcpy(name, \"Ferris\");\n    free(name);\n    printf(\"%c\\n\", name[0]); /* reads freed memory */\n    return 0;\n}\n",
        companions: &[],
        records: &[("listings/demo/frees_then_reads.asan", "heap-use-after-free")],
    },
    Recipe {
        sections: &["### Add a listing", "### A listing that leaks"],
        listing: "listings/demo/leaks_a_word.rs",
        source: "fn main() {\n    let word: &'static str = String::from(\"kept\").leak();\n    println!(\"{word}\");\n}\n",
        companions: &[],
        records: &[
            ("listings/demo/leaks_a_word.stdout", "kept\n"),
            (
                "listings/demo/leaks_a_word.valgrind",
                "definitely lost: 4 bytes",
            ),
        ],
    },
    Recipe {
        sections: &["### Add a permission table"],
        listing: "listings/demo/reads_then_pushes.rs",
        source: "fn main() {\n    let mut v = vec![1, 2];\n    let first = &v[0];\n    println!(\"{first}\");\n    v.push(3);\n    println!(\"{v:?}\");\n}\n",
        companions: &[],
        records: &[
            ("listings/demo/reads_then_pushes.stdout", "[1, 2, 3]\n"),
            ("listings/demo/reads_then_pushes.perms", "R - -"),
        ],
    },
];

/// The ````markdown blocks of a README section, in order, unindented.
fn readme_blocks(section: &str) -> Vec<String> {
    let readme = fs::read_to_string("README.md").unwrap();
    let start = readme
        .lines()
        .position(|l| l == section)
        .unwrap_or_else(|| panic!("README.md has no `{section}` section"));
    let lines: Vec<&str> = readme.lines().skip(start + 1).collect();
    let end = lines
        .iter()
        .position(|l| l.starts_with("## ") || l.starts_with("### "))
        .unwrap_or(lines.len());
    let text = lines[..end].join("\n");
    assert!(
        text.contains(bless::BLESS_COMMAND),
        "README `{section}` no longer says to run `{}`",
        bless::BLESS_COMMAND
    );
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for line in &lines[..end] {
        let indent = line.len() - line.trim_start().len();
        match &mut current {
            None if line.trim() == "````markdown" => current = Some((indent, String::new())),
            Some(_) if line.trim() == "````" => blocks.push(current.take().unwrap().1),
            Some((indent, block)) => {
                block.push_str(line.get(*indent..).unwrap_or(""));
                block.push('\n');
            }
            None => {}
        }
    }
    assert!(
        !blocks.is_empty(),
        "README `{section}` shows no ````markdown block"
    );
    blocks
}

/// What `TRYBUILD=overwrite cargo test` does to a book, before trybuild: tests/book_integrity.rs
/// runs first, creates the snapshots the fences ask for and must pass (cargo stops at the first
/// failing test binary); then tests/listings.rs records the passing listings' output. (trybuild's
/// part runs once for all the copies, [`bless_with_trybuild`]; then the full builds are compared,
/// and recorded where they are the snapshot, as tests/listings.rs does once trybuild is done.)
fn bless_as_cargo_test(book: &Book) {
    bless::create_asked_for(book.root()).unwrap();
    let problems = book.integrity();
    assert!(
        problems.is_empty(),
        "the bless stops at the integrity test:\n{}",
        report(&problems)
    );
    let mut problems = book.run_listings_blessing(Duration::from_secs(20), true);
    // tests/listings.rs and tests/valgrind.rs record the other kinds of snapshot.
    problems.extend(book.sanitizers(true));
    problems.extend(book.permission_tables(true));
    problems.extend(book.memcheck(true));
    assert!(
        problems.is_empty(),
        "the bless failed:\n{}",
        report(&problems)
    );
}

/// trybuild's part of the bless, for the new compile-fail listings of several copies at once
/// (one child process). Blessing, trybuild still refuses a listing that compiles; what it records
/// is what it would compare with, so the check below does not run it again.
fn bless_with_trybuild(copies: &[(&Book, PathBuf)]) {
    let cases: Vec<String> = copies
        .iter()
        .flat_map(|(book, listing)| trybuild_cases(book, std::slice::from_ref(listing)))
        .collect();
    if !cases.is_empty() {
        let (ok, out) = trybuild_child(&cases, true);
        assert!(ok, "trybuild could not record the errors:\n{out}");
    }
}

/// What `cargo test` checks, except trybuild (see [`bless_with_trybuild`]): the integrity of the
/// book, its listings' output, its compile-fail listings' full builds, its C listings' reports,
/// its permission tables and its memcheck summaries.
fn check_as_cargo_test(book: &Book) -> Vec<String> {
    let mut problems: Vec<String> = book.integrity().iter().map(|p| p.to_string()).collect();
    problems.extend(
        book.run_listings(Duration::from_secs(20))
            .iter()
            .map(|p| p.to_string()),
    );
    problems.extend(book.full_builds().iter().map(|p| p.to_string()));
    for found in [
        book.sanitizers(false),
        book.permission_tables(false),
        book.memcheck(false),
    ] {
        problems.extend(found.iter().map(|p| p.to_string()));
    }
    problems
}

/// The listings among `new` that trybuild checks in the copy (compile-fail, and not recorded
/// from a full build: tests/listings.rs chooses them the same way), as absolute paths.
fn trybuild_cases(book: &Book, new: &[PathBuf]) -> Vec<String> {
    let listings: Vec<_> = listing::discover(book.root())
        .of_kind(Kind::CompileFail)
        .filter(|l| new.contains(&l.path))
        .cloned()
        .collect();
    let found = full_build::errors(book.root(), &listings, &full_build_options(false));
    full_build::checked_by_trybuild(&found)
        .map(|l| book.root().join(&l.path).to_string_lossy().into_owned())
        .collect()
}

/// Runs trybuild on `cases` in a child process (as the drift fixtures are), blessing or not.
fn trybuild_child(cases: &[String], overwrite: bool) -> (bool, String) {
    let cases: Vec<&str> = cases.iter().map(String::as_str).collect();
    let mut command = trybuild_child_command(&cases);
    if overwrite {
        command.env("TRYBUILD", "overwrite");
    } else {
        command.env_remove("TRYBUILD");
    }
    let output = command.output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

/// Steps 1 and 2 of a recipe on a fresh copy of the good book: the listing, and the README's
/// markdown about it in the chapter.
fn write_as_the_readme_says(recipe: &Recipe) -> Book {
    let book = Book::copy();
    book.write(recipe.listing, recipe.source);
    for (file, source) in recipe.companions {
        book.write(file, source);
    }
    let new_stem = Path::new(recipe.listing).with_extension("");
    let new_stem = new_stem.to_str().unwrap();
    let mut chapter = book.read(CHAPTER);
    for section in recipe.sections {
        for block in readme_blocks(section) {
            // The README's example listing (`../listings/x/y` of its first include, whatever
            // the extension, and what is named after it: `y_solution`) becomes the recipe's.
            let example = block
                .split("{{#include ../")
                .nth(1)
                .and_then(|rest| rest.split('}').next())
                .map(|path| Path::new(path).with_extension(""))
                .unwrap_or_else(|| panic!("a block of `{section}` includes nothing"));
            let example = example.to_str().unwrap();
            chapter.push('\n');
            chapter.push_str(&block.replace(example, new_stem));
        }
    }
    book.write(CHAPTER, &chapter);
    for (snapshot, _) in recipe.records {
        assert!(
            !book.root().join(snapshot).exists(),
            "{snapshot} exists before the bless"
        );
    }
    // Without the bless nothing is recorded, and `cargo test` fails at its first test binary,
    // the integrity test.
    assert!(
        !book.integrity().is_empty(),
        "`{}`: the book passed before its snapshots were recorded",
        recipe.sections.join(" + ")
    );
    book
}

#[test]
fn the_readme_recipes_work_as_written() {
    // Following every recipe blesses and checks copies of the book with trybuild: remembered,
    // once it passed, by everything it reads (see `self_test_key`).
    // The recipes also build a C listing and run memcheck: their tools are inputs too.
    let key = self_test_key("readme-recipes")
        .with(sanitizer_options(false).cc_version)
        .with(valgrind_options(false).version);
    if self_test_memo().get(&key).is_some() {
        return;
    }
    follow_the_readme_recipes();
    self_test_memo().put(&key, "passed");
}

fn follow_the_readme_recipes() {
    let books: Vec<Book> = RECIPES.iter().map(write_as_the_readme_says).collect();
    // Step 3: the bless...
    for book in &books {
        bless_as_cargo_test(book);
    }
    let copies: Vec<(&Book, PathBuf)> = books
        .iter()
        .zip(RECIPES)
        .map(|(book, recipe)| (book, PathBuf::from(recipe.listing)))
        .collect();
    bless_with_trybuild(&copies);
    for (book, recipe) in books.iter().zip(RECIPES) {
        let problems = book.full_builds_blessing(true);
        assert!(
            problems.is_empty(),
            "`{}`: the bless failed:\n{}",
            recipe.sections.join(" + "),
            report(&problems)
        );
    }
    // ...then `cargo test`.
    for (book, recipe) in books.iter().zip(RECIPES) {
        for (snapshot, says) in recipe.records {
            let recorded = fs::read_to_string(book.root().join(snapshot)).unwrap_or_else(|_| {
                panic!(
                    "`{}`: the bless did not record {snapshot}",
                    recipe.sections.join(" + ")
                )
            });
            assert!(
                recorded.contains(says),
                "`{}`: {snapshot} does not contain {says:?}:\n{recorded}",
                recipe.sections.join(" + ")
            );
        }
        let problems = check_as_cargo_test(book);
        assert!(
            problems.is_empty(),
            "`{}` followed to the letter ({}), then `cargo test`:\n{}",
            recipe.sections.join(" + "),
            recipe.listing,
            problems.join("\n")
        );
    }
}

#[test]
fn a_permission_for_a_path_out_of_scope_is_reported() {
    let book = Book::copy();
    book.edit(
        MOVED_PERMS,
        "   2 | R - O  |       |",
        "   2 | R - O  | R - O |",
    );
    let problems = book.permission_tables(false);
    assert_one(
        &problems,
        Rule::PermissionTables,
        MOVED,
        "`b` is not in scope after line 2",
    );
    assert_eq!(problems[0].line, Some(2), "{}", problems[0]);
}

#[test]
fn a_permissions_fence_without_its_table_is_reported_and_blessing_records_it() {
    let book = Book::copy();
    let recorded = book.read(MOVED_PERMS);
    book.remove(MOVED_PERMS);
    assert_one(
        &book.integrity(),
        Rule::PermissionTables,
        CHAPTER,
        "use_after_move.perms does not exist",
    );
    assert_one(
        &book.permission_tables(false),
        Rule::PermissionTables,
        MOVED,
        "does not exist",
    );
    // The fence is the author's statement of intent: blessing writes the table, by hand nothing.
    let problems = book.permission_tables(true);
    assert!(problems.is_empty(), "{}", report(&problems));
    assert_eq!(book.read(MOVED_PERMS), recorded);
    assert!(book.integrity().is_empty(), "{}", report(&book.integrity()));
}

#[test]
fn a_permission_table_no_fence_shows_is_reported() {
    let book = Book::copy();
    book.edit(CHAPTER, "does_not_compile,permissions", "does_not_compile");
    assert_one(
        &book.integrity(),
        Rule::PermissionTables,
        MOVED_PERMS,
        "no chapter shows",
    );
}

#[test]
fn without_the_bless_switch_no_snapshot_is_created() {
    if bless::requested() {
        return; // blessing is exactly when they are created
    }
    let book = Book::copy();
    book.remove("listings/demo/use_after_move.stderr");
    assert_eq!(bless::record_intent(book.root()), Ok(Vec::new()));
    assert!(
        !book
            .root()
            .join("listings/demo/use_after_move.stderr")
            .exists()
    );
    // ...and when blessing, the fence's `does_not_compile` asks for it.
    assert_eq!(
        bless::create_asked_for(book.root()),
        Ok(vec![PathBuf::from("listings/demo/use_after_move.stderr")])
    );
}

// --- diagrams -----------------------------------------------------------------------------

const DIAGRAM: &str = "src/img/demo.svg";

#[test]
fn an_edited_diagram_number_is_rejected() {
    let book = Book::copy();
    book.edit(DIAGRAM, ">2 words<", ">3 words<");
    let problems = book.integrity();
    assert_one(
        &problems,
        Rule::DiagramNumbersFromPrograms,
        DIAGRAM,
        "states [3] in \"3 words\", but the program prints [2] for `words`",
    );
    assert!(
        problems[0].message.contains("listings/demo/prints.rs") && problems[0].line == Some(4),
        "{}",
        problems[0]
    );
}

#[test]
fn a_permissions_fence_on_part_of_a_listing_is_reported() {
    let book = Book::copy();
    book.edit(
        CHAPTER,
        "mdbook-runnable,panics",
        "mdbook-runnable,panics,permissions",
    );
    assert_one(
        &book.integrity(),
        Rule::PermissionTables,
        CHAPTER,
        "does not show one whole listing",
    );
}

#[test]
fn a_number_typed_into_a_diagram_by_hand_is_rejected() {
    let book = Book::copy();
    book.edit(
        DIAGRAM,
        "</svg>",
        "  <text x=\"120\" y=\"35\">8 bytes</text>\n</svg>",
    );
    assert_one(
        &book.integrity(),
        Rule::DiagramNumbersFromPrograms,
        DIAGRAM,
        "states 8 in \"8 bytes\", which no program is said to print",
    );
}

#[test]
fn permission_tables_need_the_section_that_explains_them() {
    let book = Book::copy();
    book.edit(
        CHAPTER,
        "## Permissions: what the borrow checker sees",
        "## Permissions",
    );
    assert_one(
        &book.integrity(),
        Rule::PermissionTables,
        CHAPTER,
        "no chapter has it",
    );
}

/// Batching every probe of a listing into one compile (copies of its functions) is an
/// optimisation of the definition, which is one compile per probe; both must agree.
#[test]
fn batched_probes_answer_exactly_as_one_probe_per_compile() {
    let options = permission_options(false);
    for listing in [MOVED, "listings/demo/prints.rs", "listings/demo/panics.rs"] {
        let source = fs::read_to_string(Path::new(GOOD_BOOK).join(listing)).unwrap();
        let batched = permissions::table(&source, permissions::Mode::Batched, &options);
        let single = permissions::table(&source, permissions::Mode::OneProbePerCompile, &options);
        let batched = batched.unwrap_or_else(|e| panic!("{listing}: {e}"));
        assert!(!batched.functions.is_empty(), "{listing} has a table");
        assert_eq!(Ok(batched), single, "{listing}");
    }
}

#[test]
fn a_diagram_key_its_listing_does_not_print_is_rejected() {
    let book = Book::copy();
    book.edit(DIAGRAM, "data-stdout=\"words\"", "data-stdout=\"letters\"");
    assert_one(
        &book.integrity(),
        Rule::DiagramNumbersFromPrograms,
        DIAGRAM,
        "no `letters: ...` line is printed by listings/demo/prints.rs",
    );
}

#[test]
fn a_diagram_whose_program_prints_another_number_is_rejected() {
    // The program changed and was re-blessed: its diagram now disagrees.
    let book = Book::copy();
    book.edit("listings/demo/prints.stdout", "words: 2", "words: 3");
    assert_one(
        &book.integrity(),
        Rule::DiagramNumbersFromPrograms,
        DIAGRAM,
        "the program prints [3] for `words`",
    );
}
