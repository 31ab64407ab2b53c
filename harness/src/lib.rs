//! The book's test harness: everything `cargo test` needs to prove that the code a reader sees
//! compiles, fails or runs exactly as the book says.
//!
//! The pieces, and who uses them:
//!
//! * [`markdown`] finds the fenced code blocks of a chapter (with a real CommonMark parser) and
//!   the `{{#include}}` directives inside them. Used by the integrity check and by `build.rs`,
//!   which hands skeptic only the inline snippets.
//! * [`listing`] discovers the listing files under `listings/` and says what each one does. A
//!   listing's behaviour is decided by the files beside it, and nothing else: `x.stderr` means
//!   "fails to compile with this error", `x.panic` means "compiles, runs and panics with this
//!   message", otherwise it compiles and runs successfully; `x.stdout` is what it prints.
//! * [`integrity`] checks that the chapters and the listings agree (no orphans, every include
//!   resolves, markers match behaviour, errors are included rather than pasted).
//! * [`diagrams`] checks that every number a diagram (`src/img/**/*.svg`) states is one a
//!   listing prints, by the `.stdout` keys the diagram names.
//! * [`run`] compiles each passing listing once, runs it and compares what it prints.
//! * [`valgrind`] runs each passing listing under valgrind memcheck: it must free everything,
//!   or leak exactly as the `x.valgrind` beside it says.
//! * [`sanitizer`] compiles each C listing (`x.c`) with the sanitizer its snapshot names
//!   (`x.asan`, `x.lsan`, `x.tsan`), runs it, and compares the sanitizer's report.
//! * [`toolchain`] records which compiler made the snapshots and explains a mismatch.
//! * [`permissions`] computes, with rustc, which permissions (read, write, own) each path has
//!   after each line of a listing, and checks the `.perms` table the book shows under it.
//! * [`numbers`] checks that numbers quoted in prose agree with the generated results file
//!   they come from (the case study's measurements), and that claimed comparisons hold.
//! * [`bless`] is the one switch that rewrites snapshots (`TRYBUILD=overwrite`); when blessing,
//!   it first creates the snapshots the chapters' fences ask for, so the fence states the intent.
//! * [`full_build`] builds each compile-fail listing in full, as a reader does, and checks that
//!   its `.stderr` shows every error the full build reports.
//! * [`scratch`] gives every build a folder of its own and writes every cached result
//!   atomically, so parallel checks never share a file.
//! * [`memo`] remembers the verdicts of whole-tool checks (trybuild over the compile-fail
//!   listings, the self-tests' children) by everything they read, so a warm run repeats none.

pub mod bless;
pub mod book;
pub mod diagrams;
pub mod full_build;
pub mod integrity;
pub mod listing;
pub mod markdown;
pub mod memo;
pub mod numbers;
pub mod parallel;
pub mod permissions;
pub mod problem;
pub mod run;
pub mod sanitizer;
pub mod scratch;
pub mod toolchain;
pub mod valgrind;

pub use problem::{Problem, Rule};
