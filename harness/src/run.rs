//! Builds each passing listing once, runs it, and compares what it prints with its snapshots.
//!
//! trybuild checks the compile-fail listings; it can run passing ones too, but it only checks
//! their exit status and builds each with a cargo invocation of its own. Here each listing is
//! compiled by one `rustc` call, edition 2024 as trybuild's crate, and with warnings denied,
//! which is stricter than trybuild (it allows `dead_code` and only prints warnings), in parallel,
//! and the binary is cached by (compiler, flags, source), so a warm run only executes the
//! programs.

use crate::bless::{self, BLESS_COMMAND};
use crate::book::slash;
use crate::listing::{Kind, Listing};
use crate::problem::indent;
use crate::toolchain::Compiler;
use crate::{Problem, Rule, scratch};
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The flags every passing listing is compiled with.
pub const RUSTC_FLAGS: [&str; 5] = [
    "--edition=2024",
    "--crate-type=bin",
    "--crate-name=listing",
    "-Dwarnings",
    "-Cdebuginfo=0",
];

pub struct Options {
    /// The compiler, and its `-V` (part of the cache key).
    pub compiler: Compiler,
    /// Where compiled listings are kept between runs.
    pub cache_dir: PathBuf,
    /// Rewrite `.stdout` and `.panic` snapshots instead of comparing.
    pub bless: bool,
    /// A program still running after this long is killed and reported (a deadlock, say).
    pub timeout: Duration,
}

impl Options {
    /// The settings `cargo test` uses: the running compiler, a cache under `target/`, and
    /// blessing when `TRYBUILD=overwrite` is set.
    pub fn for_cargo_test(target_dir: &Path) -> Result<Self, String> {
        Ok(Options {
            compiler: Compiler::running()?,
            cache_dir: target_dir.join("listing-binaries"),
            bless: bless::requested(),
            timeout: Duration::from_secs(20),
        })
    }
}

/// Checks every listing that is meant to compile (it ignores compile-fail ones), in parallel.
pub fn check(root: &Path, listings: &[Listing], options: &Options) -> Vec<Problem> {
    let runnable: Vec<&Listing> = listings
        .iter()
        .filter(|l| l.kind != Kind::CompileFail)
        .collect();
    let mut problems =
        crate::parallel::flat_map(&runnable, |listing| check_one(root, listing, options));
    problems.sort_by(|a, b| a.file.cmp(&b.file));
    problems
}

fn check_one(root: &Path, listing: &Listing, options: &Options) -> Vec<Problem> {
    let binary = match compile(root, listing, options) {
        Ok(binary) => binary,
        Err(problem) => return vec![problem],
    };
    let ran = match execute(root, &binary, options.timeout) {
        Ok(ran) => ran,
        Err(why) => return vec![problem(listing, why)],
    };
    let mut problems = Vec::new();
    let panicked = ran.status.code() == Some(101) && ran.stderr.contains("panicked at");
    match (listing.kind, ran.status.success(), panicked) {
        (Kind::Runs, true, _) | (Kind::Panics, _, true) => {}
        (Kind::Runs, false, _) => problems.push(problem(
            listing,
            format!(
                "is shown as running successfully, but it {}.\n{}\n    Fix the listing; or, if \
                 failing is its point, create an empty {} beside it, mark its fence `panics` and \
                 run `{BLESS_COMMAND}`.",
                describe_exit(ran.status),
                indent(&ran.stderr),
                slash(&listing.panic())
            ),
        )),
        (Kind::Panics, _, false) => problems.push(problem(
            listing,
            format!(
                "has a .panic snapshot, so the book says it panics, but it {}. Make it panic \
                 again, or delete {} and drop `panics` from its fence.",
                describe_exit(ran.status),
                slash(&listing.panic())
            ),
        )),
        (Kind::CompileFail, ..) => unreachable!("compile-fail listings are never run"),
    }
    if !problems.is_empty() {
        return problems; // its output is beside the point once it ended the wrong way
    }
    if let Some(p) = compare(root, listing, &listing.stdout(), &ran.stdout, options.bless) {
        problems.push(p);
    }
    if listing.kind == Kind::Panics && panicked {
        let stderr = normalize_panic(&ran.stderr);
        if let Some(p) = compare(root, listing, &listing.panic(), &stderr, options.bless) {
            problems.push(p);
        }
    }
    problems
}

fn problem(listing: &Listing, message: String) -> Problem {
    Problem::new(Rule::ListingRuns, &listing.path, message)
}

/// Compiles a listing unless an identical build is cached; returns the binary (its file name
/// carries the hash of what built it, so it also keys caches of what is learned by running it).
pub fn compile(root: &Path, listing: &Listing, options: &Options) -> Result<PathBuf, Problem> {
    let source = fs::read(root.join(&listing.path))
        .map_err(|e| problem(listing, format!("cannot be read: {e}")))?;
    let mut hasher = DefaultHasher::new();
    (&options.compiler.version, RUSTC_FLAGS, &source).hash(&mut hasher);
    let stem = listing
        .path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy();
    let binary = options
        .cache_dir
        .join(format!("{stem}-{:016x}", hasher.finish()));
    if binary.is_file() {
        return Ok(binary);
    }
    fs::create_dir_all(&options.cache_dir)
        .map_err(|e| problem(listing, format!("cannot create the build cache: {e}")))?;
    // Several threads (or test processes) may build listings at once: each build gets a folder
    // of its own (crate::scratch), and a rename makes the binary appear atomically.
    let scratch = scratch::Folder::new(&options.cache_dir, "build")
        .map_err(|e| problem(listing, format!("cannot create a build folder: {e}")))?;
    let built = scratch.join("listing");
    let output = Command::new(&options.compiler.rustc)
        .args(RUSTC_FLAGS)
        .arg("-o")
        .arg(&built)
        .arg(&listing.path)
        .current_dir(root)
        .output();
    let stored = output
        .map_err(|e| {
            problem(
                listing,
                format!("cannot run {}: {e}", options.compiler.rustc),
            )
        })
        .and_then(|output| {
            if !output.status.success() {
                return Err(problem(
                    listing,
                    format!(
                        "does not compile, but the book shows it as a program that runs; fix it \
                         (warnings count as errors), or if failing is its point, mark its fence \
                         does_not_compile and run `{BLESS_COMMAND}` to record its error:\n{}",
                        indent(&String::from_utf8_lossy(&output.stderr))
                    ),
                ));
            }
            fs::rename(&built, &binary)
                .map_err(|e| problem(listing, format!("cannot store the build: {e}")))
        });
    drop(scratch);
    stored?;
    Ok(binary)
}

/// What a program did.
pub struct Ran {
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
}

/// Runs a binary in `dir` with no input and `RUST_BACKTRACE=0`, killing it after `timeout`.
/// The error completes a sentence about the program: "was still running after ...".
pub fn execute(dir: &Path, binary: &Path, timeout: Duration) -> Result<Ran, String> {
    let mut command = Command::new(binary);
    command.current_dir(dir).env("RUST_BACKTRACE", "0");
    execute_command(command, timeout)
}

/// Runs a prepared command with no input, collecting its output, killing it after `timeout`.
pub fn execute_command(mut command: Command, timeout: Duration) -> Result<Ran, String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not be started: {e}"))?;
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "was still running after {timeout:?} and was killed (a deadlock or an endless \
                 loop?)"
            ));
        }
        thread::sleep(Duration::from_millis(5));
    };
    Ok(Ran {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    })
}

/// "exited successfully", "panicked", "exited with status 2", ...
pub fn describe_exit(status: ExitStatus) -> String {
    match status.code() {
        Some(0) => "exited successfully".to_owned(),
        Some(101) => "panicked".to_owned(),
        Some(code) => format!("exited with status {code}"),
        None => "was killed by a signal".to_owned(),
    }
}

/// Compares output with its snapshot (a missing `.stdout` means "prints nothing"), or rewrites
/// the snapshot when blessing.
fn compare(
    root: &Path,
    listing: &Listing,
    snapshot: &Path,
    actual: &str,
    bless: bool,
) -> Option<Problem> {
    let full = root.join(snapshot);
    let expected = fs::read_to_string(&full).unwrap_or_default();
    if expected == actual {
        return None;
    }
    if bless {
        let written = if actual.is_empty() && snapshot.extension().is_some_and(|e| e == "stdout") {
            fs::remove_file(&full)
        } else {
            fs::write(&full, actual)
        };
        return written
            .err()
            .map(|e| problem(listing, format!("cannot write {}: {e}", slash(snapshot))));
    }
    let what = if full.is_file() {
        format!("does not match {}", slash(snapshot))
    } else {
        format!("is not recorded ({} does not exist)", slash(snapshot))
    };
    Some(problem(
        listing,
        format!(
            "its output {what}.\n    EXPECTED:\n{}\n    ACTUAL:\n{}\n    If the new output is \
             right, run `{BLESS_COMMAND}` and review `git diff`; the chapter shows the snapshot.",
            indent(&expected),
            indent(actual)
        ),
    ))
}

/// Removes what changes from run to run in a panic message: the thread id that Rust 1.89+
/// prints after the thread's name (`thread 'main' (12345) panicked at ...`).
pub fn normalize_panic(stderr: &str) -> String {
    let mut out = String::with_capacity(stderr.len());
    for line in stderr.split_inclusive('\n') {
        let cleaned = line.strip_prefix("thread '").and_then(|rest| {
            let (name, after) = rest.split_once("' (")?;
            let (id, tail) = after.split_once(") ")?;
            id.chars()
                .all(|c| c.is_ascii_digit())
                .then(|| format!("thread '{name}' {tail}"))
        });
        out.push_str(cleaned.as_deref().unwrap_or(line));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_messages_lose_only_the_thread_id() {
        let raw = "thread 'main' (5731) panicked at listings/a/b.rs:1:48:\nboom\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
        let clean = normalize_panic(raw);
        assert_eq!(
            clean,
            "thread 'main' panicked at listings/a/b.rs:1:48:\nboom\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n"
        );
        assert_eq!(normalize_panic(&clean), clean);
    }
}
