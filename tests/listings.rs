//! The listings under `listings/`: compile-fail ones fail with exactly their `.stderr`, which
//! shows every error a full build reports; passing ones run and print exactly their `.stdout`
//! (and panicking ones their `.panic`); C ones show their bug under the sanitizer their `.asan`,
//! `.lsan` or `.tsan` names; and those shown with a permission table have the `.perms` rustc
//! computes.
//!
//! After a compiler upgrade, or to accept a changed listing: `TRYBUILD=overwrite cargo test`,
//! then review `git diff listings/`.

use book_harness::full_build;
use book_harness::listing;
use book_harness::problem::report;
use book_harness::{bless, memo, permissions, run, sanitizer, toolchain};
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

/// How every compile-fail listing fails, as `cargo check` and as `cargo build` report it (built
/// once per process, cached across runs).
fn compile_fail_errors() -> &'static full_build::Found {
    static ERRORS: OnceLock<full_build::Found> = OnceLock::new();
    ERRORS.get_or_init(|| {
        let listings = listing::discover(root());
        let options =
            full_build::Options::for_cargo_test(target_dir()).unwrap_or_else(|e| panic!("{e}"));
        full_build::errors(root(), &listings.standalone, &options)
    })
}

/// trybuild on the compile-fail listings, once per process: `Err` holds its panic message (its
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
    // Only compile-fail cases in this TestCases: trybuild then checks them all in one
    // `cargo check` instead of one build per listing. The few listings whose full build reports
    // more than a check are recorded and compared by the full-build test below instead.
    let listings: Vec<_> = full_build::checked_by_trybuild(compile_fail_errors()).collect();
    // cargo keeps no failed build, so trybuild's `cargo check` rechecks every listing on every
    // run: a pass is remembered by everything trybuild reads (book_harness::memo), and a warm
    // run with nothing changed skips it.
    let version = toolchain::Compiler::running()
        .unwrap_or_else(|e| panic!("{e}"))
        .version;
    let key = memo::compile_fail_key(root(), listings.iter().copied(), &version);
    let memo = memo::Memo::for_cargo_test(target_dir());
    if memo.get(&key).is_some() {
        eprintln!(
            "trybuild: the {} compile-fail listings and their .stderr are as they were when it \
             last passed with this compiler (memo in {}); not rechecked",
            listings.len(),
            target_dir().join("memo").display()
        );
        return;
    }
    {
        let cases = trybuild::TestCases::new();
        for listing in &listings {
            cases.compile_fail(&listing.path);
        }
    } // trybuild checks here, and panics on a mismatch: nothing is remembered then
    memo.put(&key, "passed");
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
        // trybuild is recording the other snapshots: compare with what it wrote.
        let _ = trybuild_outcome();
    }
    let problems = full_build::compare(root(), compile_fail_errors(), bless::requested());
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

#[test]
fn c_listings_show_their_bug_under_the_sanitizer_that_sees_it() {
    let listings = listing::discover(root());
    let options = sanitizer::Options::for_cargo_test(Path::new(env!("CARGO_TARGET_TMPDIR")))
        .unwrap_or_else(|e| panic!("\n{e}\n"));
    let problems = sanitizer::check(root(), &listings.c, &options);
    assert!(problems.is_empty(), "\n{}", report(&problems));
}

#[test]
fn permission_tables_are_what_rustc_computes() {
    require_recorded_compiler();
    let listings = permissions::listings_with_tables(root());
    let options = permissions::Options::for_cargo_test(Path::new(env!("CARGO_TARGET_TMPDIR")))
        .unwrap_or_else(|e| panic!("{e}"));
    let problems = permissions::check(root(), &listings, &options);
    assert!(problems.is_empty(), "\n{}", report(&problems));
}
