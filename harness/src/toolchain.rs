//! Which compiler made the snapshots, and what to do when another one is running.
//!
//! Compiler messages change between releases. Rather than let a new rustc print a wall of diffs,
//! the listing tests first compare `rustc -V` with [`VERSION_FILE`] and, on a mismatch, fail
//! with one message that says what happened and how to move the book to the new compiler.

use crate::bless::{self, BLESS_COMMAND};
pub use crate::listing::VERSION_FILE;
use crate::{Problem, Rule};
use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

/// A compiler to run, and its `rustc -V`, which is part of every cache key built with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Compiler {
    pub rustc: String,
    pub version: String,
}

impl Compiler {
    /// The compiler cargo uses ([`rustc`]), asked for its version once per process.
    pub fn running() -> Result<Compiler, String> {
        static RUNNING: OnceLock<Result<Compiler, String>> = OnceLock::new();
        RUNNING
            .get_or_init(|| {
                Ok(Compiler {
                    rustc: rustc(),
                    version: running_version()?,
                })
            })
            .clone()
    }
}

/// The compiler cargo uses: `$RUSTC`, else `rustc` from `PATH` (never a rustup download: the
/// repository pins no toolchain file).
pub fn rustc() -> String {
    std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned())
}

/// `rustc -V` of the running compiler, e.g. `rustc 1.95.0 (59807616e 2026-04-14)`.
fn running_version() -> Result<String, String> {
    let output = Command::new(rustc())
        .arg("-V")
        .output()
        .map_err(|e| format!("cannot run `{} -V`: {e}", rustc()))?;
    if !output.status.success() {
        return Err(format!(
            "`{} -V` failed: {}",
            rustc(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The version recorded in `listings/rustc-version.txt`, if any.
pub fn recorded_version(root: &Path) -> Option<String> {
    fs::read_to_string(root.join(VERSION_FILE))
        .ok()
        .map(|s| s.trim().to_owned())
}

/// Passes when the running compiler made the snapshots. When blessing, records the running
/// compiler instead.
pub fn check(root: &Path) -> Result<(), Problem> {
    let running = Compiler::running()
        .map_err(|e| Problem::new(Rule::Toolchain, VERSION_FILE, e))?
        .version;
    if bless::requested() {
        return fs::write(root.join(VERSION_FILE), format!("{running}\n")).map_err(|e| {
            Problem::new(
                Rule::Toolchain,
                VERSION_FILE,
                format!("cannot write it: {e}"),
            )
        });
    }
    let recorded = recorded_version(root);
    if recorded.as_deref() == Some(running.as_str()) {
        return Ok(());
    }
    let made_with = recorded.map_or_else(
        || "an unrecorded compiler (the file is missing)".to_owned(),
        |v| format!("`{v}`"),
    );
    Err(Problem::new(
        Rule::Toolchain,
        VERSION_FILE,
        mismatch_message(&made_with, &running),
    ))
}

fn mismatch_message(made_with: &str, running: &str) -> String {
    format!(
        "the snapshots (.stderr, .panic, .stdout) were made with {made_with}, but the compiler \
         running now is `{running}`. Compiler messages change between releases, so the listings \
         were not compared (that would print a diff for nearly every one).\n    \
         To move the book to this compiler: run `{BLESS_COMMAND}`, then review `git diff \
         listings/` (every error must still show what its chapter says about it) and commit.\n    \
         To check the book as it is, run the tests with the recorded compiler \
         (RUSTC=/path/to/that/rustc cargo test)."
    )
}
