//! Every runnable listing under valgrind memcheck: it frees everything (no memory error, nothing
//! definitely or indirectly lost), or it leaks exactly as the `.valgrind` summary beside it,
//! which its chapter shows, says.
//!
//! Runs after `tests/listings.rs` in `cargo test`, whose builds it reuses; valgrind's verdicts
//! are cached by (binary, valgrind version), so a warm run starts no program.

use book_harness::problem::report;
use book_harness::{listing, run, valgrind};
use std::path::Path;

#[test]
fn runnable_listings_free_their_memory_or_leak_as_their_chapter_shows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let build = run::Options::for_cargo_test(target).unwrap_or_else(|e| panic!("{e}"));
    let options = valgrind::Options::for_cargo_test(target).unwrap_or_else(|e| panic!("\n{e}\n"));
    let listings = listing::discover(root);
    let problems = valgrind::check(root, &listings.standalone, &build, &options);
    assert!(problems.is_empty(), "\n{}", report(&problems));
}
