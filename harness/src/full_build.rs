//! The error a reader gets is the error the book shows: compile-fail listings built in full.
//!
//! trybuild checks a compile-fail listing with `cargo check`, but a reader meets it with
//! `cargo build` or `cargo run` (and the playground's Run button), and a full build can report
//! more: some errors only appear in the passes that run after type and borrow checking. A
//! `struct Tree { left: Option<Tree>, .. }` built in `main` fails `cargo check` with E0072 only;
//! `cargo build` adds `E0391: cycle detected when computing layout of Tree`.
//!
//! So each compile-fail listing is also compiled by `rustc` twice, as `cargo check` does
//! (`--emit=metadata`) and as `cargo build` does (a full build, into a scratch folder), and the
//! errors each reports are kept. Both are cached by (compiler, flags, source) under `target/`,
//! exactly as [`crate::run`] caches binaries, so a warm run compiles nothing.
//!
//! * [`check`] (rule `full-build-errors-shown`): every error of the full build is shown in the
//!   listing's `.stderr` (by its code, or by its whole `error: ...` line when it has none). A
//!   problem names the listing and the missing code.
//! * [`Errors::full_build_adds`]: when the full build reports an error the check does not, the
//!   listing's `.stderr` must be the full build's output. `tests/listings.rs` gives such listings
//!   to trybuild in a `TestCases` that builds instead of checking, so that trybuild records and
//!   compares exactly what a reader sees.

use crate::book::slash;
use crate::listing::{Kind, Listing};
use crate::problem::indent;
use crate::{Problem, Rule};
use std::collections::BTreeSet;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The flags of a reader's `cargo build` of a one-file program (warnings stay warnings).
pub const RUSTC_FLAGS: [&str; 5] = [
    "--edition=2024",
    "--crate-type=bin",
    "--crate-name=listing",
    "-Cdebuginfo=0",
    "--color=never",
];

/// Where and with what the listings are built.
pub struct Options {
    pub rustc: String,
    /// `rustc -V`, part of the cache key.
    pub rustc_version: String,
    pub cache_dir: PathBuf,
}

impl Options {
    /// The settings `cargo test` uses: the running compiler and a cache under `target/`.
    pub fn for_cargo_test(target_dir: &Path) -> Result<Self, String> {
        Ok(Options {
            rustc: crate::toolchain::rustc(),
            rustc_version: crate::toolchain::running_version()?,
            cache_dir: target_dir.join("compile-fail-full-builds"),
        })
    }
}

/// The errors a listing fails with: each is its code (`E0072`) or, for an error without one,
/// its whole first line (`error: ...`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Errors {
    /// As `cargo check` reports them.
    pub check: BTreeSet<String>,
    /// As `cargo build` reports them.
    pub build: BTreeSet<String>,
}

impl Errors {
    /// The errors only a full build reports.
    pub fn full_build_adds(&self) -> BTreeSet<&String> {
        self.build.difference(&self.check).collect()
    }
}

/// Builds every compile-fail listing (in parallel, cached) and returns its errors, in the order
/// of `listings`; a listing that cannot be built at all is a problem instead.
pub fn errors(
    root: &Path,
    listings: &[Listing],
    options: &Options,
) -> Vec<(Listing, Result<Errors, Problem>)> {
    let failing: Vec<&Listing> = listings
        .iter()
        .filter(|l| l.kind == Kind::CompileFail)
        .collect();
    let mut found = crate::parallel::flat_map(&failing, |listing| {
        vec![((*listing).clone(), errors_of(root, listing, options))]
    });
    found.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    found
}

/// Checks that the `.stderr` of each compile-fail listing shows every error its full build
/// reports.
pub fn check(root: &Path, listings: &[Listing], options: &Options) -> Vec<Problem> {
    compare(root, &errors(root, listings, options))
}

/// [`check`], on errors already collected by [`errors`].
pub fn compare(root: &Path, found: &[(Listing, Result<Errors, Problem>)]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (listing, errors) in found {
        let errors = match errors {
            Ok(errors) => errors,
            Err(problem) => {
                problems.push(problem.clone());
                continue;
            }
        };
        let snapshot = fs::read_to_string(root.join(listing.stderr())).unwrap_or_default();
        let shown = errors_in(&snapshot);
        let missing: Vec<&String> = errors.build.difference(&shown).collect();
        if missing.is_empty() {
            continue;
        }
        let names = missing
            .iter()
            .map(|e| format!("`{e}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let only_build = errors.full_build_adds();
        let advice = if missing.iter().all(|e| only_build.contains(e)) {
            format!(
                "`cargo check` does not report {}, so trybuild must build this listing in full: \
                 run `{}` to record the full build's errors (tests/listings.rs does so for every \
                 listing whose full build adds an error), or change the listing so that a full \
                 build reports only what the chapter explains",
                if missing.len() == 1 { "it" } else { "them" },
                crate::bless::BLESS_COMMAND
            )
        } else {
            format!(
                "the snapshot is out of date: run `{}` and review `git diff`",
                crate::bless::BLESS_COMMAND
            )
        };
        problems.push(Problem::new(
            Rule::FullBuildErrorsShown,
            &listing.path,
            format!(
                "a reader who builds it (`cargo build`, `cargo run`, the Run button) also gets \
                 {names}, which {} does not show; {advice}.\n    The full build's errors:\n{}",
                slash(&listing.stderr()),
                indent(&errors.build.iter().cloned().collect::<Vec<_>>().join("\n"))
            ),
        ));
    }
    problems
}

/// The errors shown in a `.stderr` snapshot (or in rustc's human-readable output).
pub fn errors_in(stderr: &str) -> BTreeSet<String> {
    stderr.lines().filter_map(error_of_line).collect()
}

/// `E0072` for `error[E0072]: ...`, the whole line for `error: ...` (except rustc's closing
/// "aborting due to" line), nothing for any other line.
fn error_of_line(line: &str) -> Option<String> {
    if let Some(rest) = line.strip_prefix("error[") {
        let code = rest.split(']').next()?;
        return Some(code.to_owned());
    }
    if line.starts_with("error: ") && !line.starts_with("error: aborting due to") {
        return Some(line.trim_end().to_owned());
    }
    None
}

/// The errors of one listing, from the cache or from two rustc runs.
fn errors_of(root: &Path, listing: &Listing, options: &Options) -> Result<Errors, Problem> {
    let problem =
        |message: String| Problem::new(Rule::FullBuildErrorsShown, &listing.path, message);
    let source =
        fs::read(root.join(&listing.path)).map_err(|e| problem(format!("cannot be read: {e}")))?;
    let mut hasher = DefaultHasher::new();
    (&options.rustc_version, RUSTC_FLAGS, &source).hash(&mut hasher);
    let stem = listing
        .path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy();
    let cached = options
        .cache_dir
        .join(format!("{stem}-{:016x}.errors", hasher.finish()));
    if let Ok(text) = fs::read_to_string(&cached)
        && let Some(errors) = parse_cache(&text)
    {
        return Ok(errors);
    }
    fs::create_dir_all(&options.cache_dir)
        .map_err(|e| problem(format!("cannot create the build cache: {e}")))?;
    let errors = Errors {
        check: compile(root, listing, options, false).map_err(problem)?,
        build: compile(root, listing, options, true).map_err(problem)?,
    };
    // Written under another name, then renamed: a reader never sees half a file.
    let partial = cached.with_extension(format!("partial-{}", std::process::id()));
    let written =
        fs::write(&partial, format_cache(&errors)).and_then(|()| fs::rename(&partial, &cached));
    if let Err(e) = written {
        let _ = fs::remove_file(&partial);
        return Err(problem(format!(
            "cannot store the result in the cache: {e}"
        )));
    }
    Ok(errors)
}

/// Runs rustc as `cargo check` (`full == false`) or `cargo build` would, in a scratch folder of
/// its own, and returns the errors it printed.
fn compile(
    root: &Path,
    listing: &Listing,
    options: &Options,
    full: bool,
) -> Result<BTreeSet<String>, String> {
    static BUILDS: AtomicUsize = AtomicUsize::new(0);
    let scratch = options.cache_dir.join(format!(
        "build-{}-{}",
        std::process::id(),
        BUILDS.fetch_add(1, Ordering::Relaxed)
    ));
    fs::create_dir_all(&scratch)
        .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let mut command = Command::new(&options.rustc);
    command.args(RUSTC_FLAGS).current_dir(root);
    if full {
        command.arg("-o").arg(scratch.join("listing"));
    } else {
        command
            .arg("--emit=metadata")
            .arg("-o")
            .arg(scratch.join("liblisting.rmeta"));
    }
    let output = command.arg(&listing.path).output();
    let _ = fs::remove_dir_all(&scratch);
    let output = output.map_err(|e| format!("cannot run {}: {e}", options.rustc))?;
    Ok(errors_in(&String::from_utf8_lossy(&output.stderr)))
}

fn format_cache(errors: &Errors) -> String {
    let mut out = String::from("rust-memory-book full-build errors v1\n");
    for (mode, set) in [("check", &errors.check), ("build", &errors.build)] {
        for error in set {
            out.push_str(&format!("{mode} {error}\n"));
        }
    }
    out.push_str("end\n");
    out
}

fn parse_cache(text: &str) -> Option<Errors> {
    let mut lines = text.lines();
    if lines.next()? != "rust-memory-book full-build errors v1" {
        return None;
    }
    let mut errors = Errors::default();
    for line in lines {
        if line == "end" {
            return Some(errors);
        }
        let (mode, error) = line.split_once(' ')?;
        match mode {
            "check" => errors.check.insert(error.to_owned()),
            "build" => errors.build.insert(error.to_owned()),
            _ => return None,
        };
    }
    None // no "end": an incomplete file
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_read_by_code_or_whole_line() {
        let stderr = "error[E0072]: recursive type `Tree` has infinite size\n --> a.rs:2:1\n\n\
                      error[E0391]: cycle detected\nnote: cycle used when ...\n\
                      error: linking with `cc` failed\nerror: aborting due to 3 previous errors\n\
                      warning: unused variable\n";
        let found: Vec<String> = errors_in(stderr).into_iter().collect();
        assert_eq!(found, ["E0072", "E0391", "error: linking with `cc` failed"]);
    }

    #[test]
    fn the_cache_round_trips_and_refuses_a_truncated_file() {
        let errors = Errors {
            check: ["E0072".to_owned()].into(),
            build: ["E0072".to_owned(), "E0391".to_owned()].into(),
        };
        let text = format_cache(&errors);
        assert_eq!(parse_cache(&text), Some(errors.clone()));
        assert_eq!(parse_cache(text.trim_end_matches("end\n")), None);
        assert_eq!(
            errors.full_build_adds().into_iter().collect::<Vec<_>>(),
            ["E0391"]
        );
    }
}
