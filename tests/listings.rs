//! The listings under `listings/`: compile-fail ones fail with exactly their `.stderr`, and a
//! full build reports no error their `.stderr` does not show; passing ones run and print exactly
//! their `.stdout` (and panicking ones their `.panic`).
//!
//! After a compiler upgrade, or to accept a changed listing: `TRYBUILD=overwrite cargo test`,
//! then review `git diff listings/`.

use book_harness::full_build::{self, Errors};
use book_harness::listing::{self, Listing};
use book_harness::problem::report;
use book_harness::{Problem, bless, run, toolchain};
use std::path::Path;
use std::sync::{Once, OnceLock};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn target_dir() -> &'static Path {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
}

/// Stops with one clear message when the snapshots were made by another compiler. When
/// blessing, first creates the snapshots the chapters' fences ask for.
fn require_recorded_compiler() {
    static INTENT: Once = Once::new();
    INTENT.call_once(|| {
        bless::record_intent(root()).unwrap_or_else(|e| panic!("\n{e}\n"));
    });
    if let Err(problem) = toolchain::check(root()) {
        panic!("\n{problem}\n");
    }
}

/// The errors of every compile-fail listing, as `cargo check` and as `cargo build` report them
/// (built once per process, cached across runs).
fn compile_fail_errors() -> &'static [(Listing, Result<Errors, Problem>)] {
    static ERRORS: OnceLock<Vec<(Listing, Result<Errors, Problem>)>> = OnceLock::new();
    ERRORS.get_or_init(|| {
        let listings = listing::discover(root());
        let options =
            full_build::Options::for_cargo_test(target_dir()).unwrap_or_else(|e| panic!("{e}"));
        full_build::errors(root(), &listings.standalone, &options)
    })
}

/// trybuild builds (instead of checking) only when a `TestCases` holds a passing case; this
/// empty program is that case, for the listings whose full build reports more than a check.
const SWITCH_TO_CARGO_BUILD: &str = "tests/fixtures/full-build/switch_to_cargo_build.rs";

/// trybuild on every compile-fail listing, once per process: `Err` holds its panic message (its
/// report, printed to the output of the test that ran it, says more).
fn trybuild_outcome() -> &'static Result<(), String> {
    static OUTCOME: OnceLock<Result<(), String>> = OnceLock::new();
    OUTCOME.get_or_init(|| {
        std::panic::catch_unwind(run_trybuild).map_err(|panic| {
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default()
        })
    })
}

fn run_trybuild() {
    // Most listings fail the same way in a check and in a full build: trybuild checks them all in
    // one `cargo check`. The few whose full build adds an error are built, one `cargo build`
    // each, so their `.stderr` is what a reader gets.
    let (checked, built): (Vec<_>, Vec<_>) =
        compile_fail_errors().iter().partition(|(_, errors)| {
            errors
                .as_ref()
                .is_ok_and(|e| e.full_build_adds().is_empty())
        });
    {
        let cases = trybuild::TestCases::new();
        for (listing, _) in &checked {
            cases.compile_fail(&listing.path);
        }
    } // trybuild runs here
    if !built.is_empty() {
        let cases = trybuild::TestCases::new();
        cases.pass(SWITCH_TO_CARGO_BUILD);
        for (listing, _) in &built {
            cases.compile_fail(&listing.path);
        }
    }
}

#[test]
fn compile_fail_listings_fail_with_their_recorded_errors() {
    require_recorded_compiler();
    if let Err(message) = trybuild_outcome() {
        panic!("trybuild: {message} (its report is above)");
    }
}

#[test]
fn compile_fail_listings_show_every_error_of_a_full_build() {
    require_recorded_compiler();
    if bless::requested() {
        // The snapshots are being recorded by trybuild: compare with what it wrote.
        let _ = trybuild_outcome();
    }
    let problems = full_build::compare(root(), compile_fail_errors());
    assert!(problems.is_empty(), "\n{}", report(&problems));
}

#[test]
fn passing_listings_run_and_print_their_recorded_output() {
    require_recorded_compiler();
    let listings = listing::discover(root());
    let options = run::Options::for_cargo_test(target_dir()).unwrap_or_else(|e| panic!("{e}"));
    let problems = run::check(root(), &listings.standalone, &options);
    assert!(problems.is_empty(), "\n{}", report(&problems));
}
