//! The listings under `listings/`: compile-fail ones fail with exactly their `.stderr`, passing
//! ones run and print exactly their `.stdout` (and panicking ones their `.panic`), C ones
//! show their bug under the sanitizer their `.asan`, `.lsan` or `.tsan` names, and those shown
//! with a permission table have the `.perms` rustc computes.
//!
//! After a compiler upgrade, or to accept a changed listing: `TRYBUILD=overwrite cargo test`,
//! then review `git diff listings/`.

use book_harness::listing::{self, Kind};
use book_harness::problem::report;
use book_harness::{permissions, run, sanitizer, toolchain};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Stops with one clear message when the snapshots were made by another compiler.
fn require_recorded_compiler() {
    if let Err(problem) = toolchain::check(root()) {
        panic!("\n{problem}\n");
    }
}

#[test]
fn compile_fail_listings_fail_with_their_recorded_errors() {
    require_recorded_compiler();
    let listings = listing::discover(root());
    // Only compile-fail cases in this TestCases: trybuild then checks them all in one
    // `cargo check` instead of one build per listing.
    let cases = trybuild::TestCases::new();
    for listing in listings.of_kind(Kind::CompileFail) {
        cases.compile_fail(&listing.path);
    }
}

#[test]
fn passing_listings_run_and_print_their_recorded_output() {
    require_recorded_compiler();
    let listings = listing::discover(root());
    let options = run::Options::for_cargo_test(Path::new(env!("CARGO_TARGET_TMPDIR")))
        .unwrap_or_else(|e| panic!("{e}"));
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
