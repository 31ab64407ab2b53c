//! The error a reader gets is the error the book shows: compile-fail listings built in full.
//!
//! trybuild checks a compile-fail listing with `cargo check`, but a reader meets it with
//! `cargo build` or `cargo run` (and the playground's Run button), and a full build can report
//! more: some errors only appear in the passes that run after type and borrow checking (a
//! constant that panics when a generic function is instantiated, E0080; on rustc 1.95 a
//! `struct Tree { left: Option<Tree>, .. }` built in `main`, which adds E0391 to E0072).
//!
//! So each compile-fail listing is also compiled by `rustc` twice, as `cargo check` does
//! (`--emit=metadata`) and as `cargo build` does (a full build, into a scratch folder). The errors
//! of both, and the full build's output, are cached by (compiler, flags, source) under `target/`,
//! exactly as [`crate::run`] caches binaries, so a warm run compiles nothing. Then:
//!
//! * A listing whose full build reports no error its check does not report is checked by
//!   trybuild, as before ([`checked_by_trybuild`]); here, every error of its full build must
//!   appear in its `.stderr` (by code, or by its whole `error: ...` line when it has none).
//! * A listing whose full build reports more than its check is *recorded from a full build*: its
//!   `.stderr` must be exactly the full build's output (rustc's closing summary lines removed,
//!   standard-library paths written `$RUST/...` as trybuild writes them), and the bless
//!   (`TRYBUILD=overwrite`) records it. trybuild, which only checks, leaves it alone.
//!
//! Either way a problem (rule `full-build-errors-shown`) names the listing and the error.

use crate::bless::BLESS_COMMAND;
use crate::book::slash;
use crate::listing::{Kind, Listing};
use crate::problem::indent;
use crate::toolchain::Compiler;
use crate::{Problem, Rule};
use std::collections::BTreeSet;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The flags of a reader's `cargo build` of a one-file program (warnings stay warnings), with
/// trybuild's diagnostic width so that both write the same lines.
pub const RUSTC_FLAGS: [&str; 6] = [
    "--edition=2024",
    "--crate-type=bin",
    "--crate-name=listing",
    "-Cdebuginfo=0",
    "--color=never",
    "--diagnostic-width=140",
];

/// Where and with what the listings are built.
pub struct Options {
    /// The compiler, and its `-V` (part of the cache key).
    pub compiler: Compiler,
    pub cache_dir: PathBuf,
    /// Record the `.stderr` of listings recorded from a full build instead of comparing.
    pub bless: bool,
}

impl Options {
    /// The settings `cargo test` uses: the running compiler, a cache under `target/`, and
    /// blessing when `TRYBUILD=overwrite` is set.
    pub fn for_cargo_test(target_dir: &Path) -> Result<Self, String> {
        Ok(Options {
            compiler: Compiler::running()?,
            cache_dir: target_dir.join("compile-fail-full-builds"),
            bless: crate::bless::requested(),
        })
    }
}

/// How a listing fails: each error is its code (`E0072`) or, for an error without one, its whole
/// first line (`error: ...`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Errors {
    /// As `cargo check` reports them.
    pub check: BTreeSet<String>,
    /// As `cargo build` reports them.
    pub build: BTreeSet<String>,
    /// What a full build prints, as a `.stderr` snapshot shows it ([`normalize`]).
    pub build_stderr: String,
}

impl Errors {
    /// The errors only a full build reports.
    pub fn full_build_adds(&self) -> BTreeSet<&String> {
        self.build.difference(&self.check).collect()
    }

    /// True when the listing's `.stderr` is recorded from a full build, not by trybuild.
    pub fn recorded_from_full_build(&self) -> bool {
        !self.full_build_adds().is_empty()
    }
}

/// Every compile-fail listing among `listings`, with how it fails (built in parallel, cached);
/// a listing that cannot be built at all has a problem instead.
pub type Found = Vec<(Listing, Result<Errors, Problem>)>;

/// Builds every compile-fail listing (in parallel, cached) and returns how each fails, sorted by
/// path.
pub fn errors(root: &Path, listings: &[Listing], options: &Options) -> Found {
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

/// The listings trybuild checks: all but those recorded from a full build.
pub fn checked_by_trybuild(found: &Found) -> impl Iterator<Item = &Listing> {
    found
        .iter()
        .filter(|(_, errors)| !errors.as_ref().is_ok_and(Errors::recorded_from_full_build))
        .map(|(listing, _)| listing)
}

/// Builds and checks: see [`compare`].
pub fn check(root: &Path, listings: &[Listing], options: &Options) -> Vec<Problem> {
    compare(root, &errors(root, listings, options), options.bless)
}

/// Checks each listing's `.stderr` against its full build (see the module's documentation);
/// when blessing, records the `.stderr` of the listings recorded from a full build.
pub fn compare(root: &Path, found: &Found, bless: bool) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (listing, errors) in found {
        let errors = match errors {
            Ok(errors) => errors,
            Err(problem) => {
                problems.push(problem.clone());
                continue;
            }
        };
        let problem =
            |message: String| Problem::new(Rule::FullBuildErrorsShown, &listing.path, message);
        let stderr = listing.stderr();
        let snapshot = fs::read_to_string(root.join(&stderr)).unwrap_or_default();
        if errors.recorded_from_full_build() {
            if snapshot == errors.build_stderr {
                continue;
            }
            if bless {
                if let Err(e) = fs::write(root.join(&stderr), &errors.build_stderr) {
                    problems.push(problem(format!("cannot write {}: {e}", slash(&stderr))));
                }
                continue;
            }
            problems.push(problem(format!(
                "a full build (`cargo build`, `cargo run`, the Run button) reports {} as well, \
                 which `cargo check` does not, so {} is the full build's output, and it does not \
                 match.\n    EXPECTED:\n{}\n    ACTUAL:\n{}\n    If the new output is right, run \
                 `{BLESS_COMMAND}` and review `git diff`.",
                list(&errors.full_build_adds()),
                slash(&stderr),
                indent(&snapshot),
                indent(&errors.build_stderr)
            )));
            continue;
        }
        let shown = errors_in(&snapshot);
        let missing: Vec<&String> = errors.build.difference(&shown).collect();
        if missing.is_empty() {
            continue;
        }
        problems.push(problem(format!(
            "a reader who builds it (`cargo build`, `cargo run`, the Run button) also gets {}, \
             which {} does not show; the snapshot is out of date: run `{BLESS_COMMAND}` and \
             review `git diff`.\n    The full build's output:\n{}",
            list(&missing),
            slash(&stderr),
            indent(&errors.build_stderr)
        )));
    }
    problems
}

fn list<'a>(errors: impl IntoIterator<Item = &'a &'a String>) -> String {
    errors
        .into_iter()
        .map(|e| format!("`{e}`"))
        .collect::<Vec<_>>()
        .join(", ")
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

/// rustc's output as a snapshot shows it: without the closing summary (`error: aborting due
/// to ...`, `Some errors have detailed explanations ...`, `For more information ...`), with the
/// standard library's paths (`/rustc/<commit>/library/std/src/x.rs:12:5`) written
/// `$RUST/std/src/x.rs`, as trybuild writes them.
pub fn normalize(stderr: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in stderr.lines() {
        let closing = line.starts_with("error: aborting due to")
            || line.starts_with("Some errors have detailed explanations")
            || line.starts_with("For more information about this error")
            || line.starts_with("For more information about an error");
        if closing {
            continue;
        }
        lines.push(rust_src_path(line));
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

/// `/rustc/<hex>/library/std/src/x.rs:12:5` to `$RUST/std/src/x.rs`.
fn rust_src_path(line: &str) -> String {
    let Some(start) = line.find("/rustc/") else {
        return line.to_owned();
    };
    let rest = &line[start + "/rustc/".len()..];
    let Some((commit, path)) = rest.split_once("/library/") else {
        return line.to_owned();
    };
    if !commit.chars().all(|c| c.is_ascii_hexdigit()) {
        return line.to_owned();
    }
    let end = path.find(|c: char| c.is_whitespace()).unwrap_or(path.len());
    let (file, after) = path.split_at(end);
    let file = file.split(':').next().unwrap_or(file);
    format!("{}$RUST/{file}{after}", &line[..start])
}

/// How one listing fails, from the cache or from two rustc runs.
fn errors_of(root: &Path, listing: &Listing, options: &Options) -> Result<Errors, Problem> {
    let problem =
        |message: String| Problem::new(Rule::FullBuildErrorsShown, &listing.path, message);
    let source =
        fs::read(root.join(&listing.path)).map_err(|e| problem(format!("cannot be read: {e}")))?;
    let mut hasher = DefaultHasher::new();
    (
        &options.compiler.version,
        RUSTC_FLAGS,
        &listing.path,
        &source,
    )
        .hash(&mut hasher);
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
    let check = compile(root, listing, options, false).map_err(problem)?;
    let build = compile(root, listing, options, true).map_err(problem)?;
    let errors = Errors {
        check: errors_in(&check),
        build: errors_in(&build),
        build_stderr: normalize(&build),
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

/// Runs rustc as `cargo check` (`full == false`) or `cargo build` would, from the book's root
/// (so paths read `listings/...`), in a scratch folder of its own; returns what it printed.
fn compile(
    root: &Path,
    listing: &Listing,
    options: &Options,
    full: bool,
) -> Result<String, String> {
    let scratch = crate::scratch::Folder::new(&options.cache_dir, "build")
        .map_err(|e| format!("cannot create a build folder: {e}"))?;
    let mut command = Command::new(&options.compiler.rustc);
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
    drop(scratch);
    let output = output.map_err(|e| format!("cannot run {}: {e}", options.compiler.rustc))?;
    Ok(String::from_utf8_lossy(&output.stderr).into_owned())
}

const CACHE_HEADER: &str = "rust-memory-book full-build errors v2";

fn format_cache(errors: &Errors) -> String {
    let mut out = format!("{CACHE_HEADER}\n");
    for (mode, set) in [("check", &errors.check), ("build", &errors.build)] {
        for error in set {
            out.push_str(&format!("{mode} {error}\n"));
        }
    }
    out.push_str("stderr\n");
    out.push_str(&errors.build_stderr);
    out
}

fn parse_cache(text: &str) -> Option<Errors> {
    let rest = text.strip_prefix(CACHE_HEADER)?.strip_prefix('\n')?;
    let (head, stderr) = match rest.split_once("stderr\n") {
        Some((head, stderr)) if head.is_empty() || head.ends_with('\n') => (head, stderr),
        _ => return None,
    };
    let mut errors = Errors {
        build_stderr: stderr.to_owned(),
        ..Errors::default()
    };
    for line in head.lines() {
        let (mode, error) = line.split_once(' ')?;
        match mode {
            "check" => errors.check.insert(error.to_owned()),
            "build" => errors.build.insert(error.to_owned()),
            _ => return None,
        };
    }
    Some(errors)
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
    fn the_full_build_output_is_normalized_as_trybuild_writes_it() {
        let raw = "error[E0277]: `Rc<String>` cannot be sent\nnote: required by a bound in `spawn`\n \
                   --> /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/std/src/thread/functions.rs:125:0\n\n\
                   error: aborting due to 1 previous error\n\n\
                   For more information about this error, try `rustc --explain E0277`.\n";
        assert_eq!(
            normalize(raw),
            "error[E0277]: `Rc<String>` cannot be sent\nnote: required by a bound in `spawn`\n \
             --> $RUST/std/src/thread/functions.rs\n"
        );
    }

    #[test]
    fn the_cache_round_trips() {
        let errors = Errors {
            check: ["E0072".to_owned()].into(),
            build: ["E0072".to_owned(), "E0391".to_owned()].into(),
            build_stderr: "error[E0072]: ...\nstderr\n".to_owned(),
        };
        assert_eq!(parse_cache(&format_cache(&errors)), Some(errors.clone()));
        assert_eq!(
            errors.full_build_adds().into_iter().collect::<Vec<_>>(),
            ["E0391"]
        );
        assert!(errors.recorded_from_full_build());
        assert_eq!(parse_cache("rust-memory-book full-build errors v1\n"), None);
    }
}
