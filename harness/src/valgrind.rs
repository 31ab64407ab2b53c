//! Leaks and memory errors, witnessed by valgrind memcheck.
//!
//! Every runnable listing (one that compiles, whether it then panics or not) is run under
//! `valgrind` with [`FLAGS`] and the suppressions in [`SUPPRESSIONS`]. What it must show
//! depends on the file beside it:
//!
//! | beside `x.rs`  | under memcheck the listing must                                        |
//! |----------------|------------------------------------------------------------------------|
//! | `x.valgrind`   | report exactly this [`summary`] (a leak the book talks about, or its fix) |
//! | nothing        | be clean: no memory error, nothing definitely, indirectly or possibly lost |
//!
//! A memory error is anything memcheck counts in its `ERROR SUMMARY` once leaks are left out
//! of it (`--errors-for-leak-kinds=none`): an invalid read or write, a use of uninitialised
//! memory, an invalid free. "Possibly lost" (reached at exit only through a pointer into the
//! middle of the block) counts as a leak: an `Arc::into_raw` pointer that is never turned back
//! into an `Arc` leaks that way. The few blocks that the standard library and glibc keep like
//! that on purpose are suppressed one by one, each with its reason, in `harness/valgrind.supp`
//! (the main thread's handle; glibc's table of a thread's thread-local storage, when the
//! thread is still alive at exit).
//! "Still reachable" memory (a pointer to its start still exists at exit) is not a leak: std
//! keeps its stack-overflow handler's table (544 bytes) that way in every listing.
//!
//! valgrind's log is cached by (listing binary, `valgrind --version`, flags, suppressions); the
//! binary's name already carries the hash of (compiler, flags, source) that [`crate::run`]
//! built it from. A warm run reads the logs and runs nothing.

use crate::bless::BLESS_COMMAND;
use crate::book::slash;
use crate::listing::{Kind, Listing};
use crate::problem::indent;
use crate::run::{self, describe_exit};
use crate::{Problem, Rule};
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The snapshot's extension: `x.valgrind` beside `x.rs`.
pub const EXTENSION: &str = "valgrind";

/// memcheck, with a loss record for every leak (shown when a listing starts leaking), and the
/// leaks kept out of the error count, so that `ERROR SUMMARY` counts memory errors only, as a
/// plain `valgrind ./program` does.
pub const FLAGS: [&str; 3] = [
    "--tool=memcheck",
    "--leak-check=full",
    "--errors-for-leak-kinds=none",
];

/// The suppression file, `harness/valgrind.supp`: the blocks std and glibc keep until exit
/// through a pointer into their middle, which memcheck would count as possibly lost. Each
/// entry says why it is there.
pub const SUPPRESSIONS: &str = include_str!("../valgrind.supp");

/// What to install when valgrind is missing.
pub const INSTALL: &str = "install valgrind (Debian: `apt-get install -y valgrind`)";

pub struct Options {
    /// The valgrind to run, and its `--version` (part of the cache key).
    pub valgrind: String,
    pub version: String,
    /// Where valgrind's logs are kept between runs.
    pub cache_dir: PathBuf,
    /// Rewrite the `.valgrind` snapshots that exist instead of comparing.
    pub bless: bool,
    /// A listing is slower under valgrind; one still running after this long is reported.
    pub timeout: Duration,
}

impl Options {
    /// Settings for the valgrind at `valgrind`; fails, saying what to install, if it cannot run.
    pub fn new(valgrind: &str, cache_dir: PathBuf, bless: bool) -> Result<Self, String> {
        let version = match Command::new(valgrind).arg("--version").output() {
            Ok(output) if output.status.success() => {
                String::from_utf8_lossy(&output.stdout).trim().to_owned()
            }
            Ok(output) => {
                return Err(format!(
                    "`{valgrind} --version` failed ({}); {INSTALL}",
                    describe_exit(output.status)
                ));
            }
            Err(e) => {
                return Err(format!(
                    "cannot run `{valgrind}` ({e}): every runnable listing is checked for leaks \
                     and memory errors under valgrind memcheck; {INSTALL}"
                ));
            }
        };
        Ok(Options {
            valgrind: valgrind.to_owned(),
            version,
            cache_dir,
            bless,
            timeout: Duration::from_secs(180),
        })
    }

    /// The settings `cargo test` uses: `valgrind` from `PATH`, logs under `target/`, and
    /// blessing when `TRYBUILD=overwrite` is set.
    pub fn for_cargo_test(target_dir: &Path) -> Result<Self, String> {
        Self::new(
            "valgrind",
            target_dir.join("memcheck"),
            crate::bless::requested(),
        )
    }
}

/// Checks every runnable listing under memcheck, in parallel. `build` says how listings are
/// compiled (the binaries are [`run`]'s, usually cached already).
pub fn check(
    root: &Path,
    listings: &[Listing],
    build: &run::Options,
    options: &Options,
) -> Vec<Problem> {
    let runnable: Vec<&Listing> = listings
        .iter()
        .filter(|l| l.kind != Kind::CompileFail)
        .collect();
    let mut problems = crate::parallel::flat_map(&runnable, |listing| {
        check_one(root, listing, build, options)
    });
    problems.sort_by(|a, b| a.file.cmp(&b.file));
    problems
}

fn problem(listing: &Listing, message: String) -> Problem {
    Problem::new(Rule::Memcheck, &listing.path, message)
}

fn check_one(
    root: &Path,
    listing: &Listing,
    build: &run::Options,
    options: &Options,
) -> Vec<Problem> {
    let binary = match run::compile(root, listing, build) {
        Ok(binary) => binary,
        Err(problem) => return vec![problem],
    };
    let log = match memcheck_log(root, listing, &binary, options) {
        Ok(log) => log,
        Err(problem) => return vec![problem],
    };
    let stem = listing
        .path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy();
    let actual = summary(&log, &stem);
    let snapshot = listing.path.with_extension(EXTENSION);
    let full = root.join(&snapshot);
    if let Ok(expected) = fs::read_to_string(&full) {
        if expected == actual {
            return Vec::new();
        }
        if options.bless {
            return fs::write(&full, &actual)
                .err()
                .map(|e| problem(listing, format!("cannot write {}: {e}", slash(&snapshot))))
                .into_iter()
                .collect();
        }
        return vec![problem(
            listing,
            format!(
                "under valgrind memcheck reports something else than {} shows.\n    \
                 EXPECTED:\n{}\n    ACTUAL:\n{}\n    If the new summary is right (and the \
                 chapter still says what it shows), run `{BLESS_COMMAND}` and review `git \
                 diff`.{}",
                slash(&snapshot),
                indent(&expected),
                indent(&actual),
                details(&log)
            ),
        )];
    }
    let counts = Counts::of(&log);
    if counts.is_clean() {
        return Vec::new();
    }
    vec![problem(
        listing,
        format!(
            "is shown as a program that frees everything, but under valgrind memcheck it {}:\n{}\n    \
             Fix the listing; or, if the leak is its point, show what memcheck reports: add \
             ```text {{{{#include {}}}}} after its output in the chapter and run \
             `{BLESS_COMMAND}`.{}",
            counts.describe(),
            indent(&actual),
            slash(&snapshot),
            details(&log)
        ),
    )]
}

/// The program's lines of memcheck's log (without the `==PID==` prefix), from the cache or from
/// a run.
fn memcheck_log(
    root: &Path,
    listing: &Listing,
    binary: &Path,
    options: &Options,
) -> Result<String, Problem> {
    let mut hasher = DefaultHasher::new();
    (&options.version, FLAGS, SUPPRESSIONS).hash(&mut hasher);
    let key = hasher.finish();
    let name = binary.file_name().unwrap_or_default().to_string_lossy();
    let cached = options
        .cache_dir
        .join(format!("{name}-{key:016x}.memcheck"));
    if let Ok(log) = fs::read_to_string(&cached) {
        return Ok(log);
    }
    let suppressions = suppression_file(options, key).map_err(|e| {
        problem(
            listing,
            format!("could not be checked: cannot write valgrind's suppression file: {e}"),
        )
    })?;
    let mut command = Command::new(&options.valgrind);
    command
        .args(FLAGS)
        .arg(format!("--suppressions={}", suppressions.display()))
        .arg(binary)
        .current_dir(root)
        .env("RUST_BACKTRACE", "0");
    let ran = run::execute_command(command, options.timeout)
        .map_err(|why| problem(listing, format!("under valgrind {why}")))?;
    let log: String = ran
        .stderr
        .lines()
        .filter_map(strip_pid_prefix)
        .map(|line| format!("{line}\n"))
        .collect();
    if !log.lines().any(|l| l.starts_with("ERROR SUMMARY:")) {
        return Err(problem(
            listing,
            format!(
                "could not be checked: `{} {} --suppressions={} {}` {} without a summary:\n{}",
                options.valgrind,
                FLAGS.join(" "),
                suppressions.display(),
                binary.display(),
                describe_exit(ran.status),
                indent(&ran.stderr)
            ),
        ));
    }
    if fs::create_dir_all(&options.cache_dir).is_ok() {
        let _ = write_atomically(&options.cache_dir, &cached, &log);
    }
    Ok(log)
}

/// [`SUPPRESSIONS`] as a file valgrind can read, in the cache (named by `key`, which covers its
/// text): written once, then reused.
fn suppression_file(options: &Options, key: u64) -> std::io::Result<PathBuf> {
    let path = options
        .cache_dir
        .join(format!("suppressions-{key:016x}.supp"));
    if !path.is_file() {
        fs::create_dir_all(&options.cache_dir)?;
        write_atomically(&options.cache_dir, &path, SUPPRESSIONS)?;
    }
    Ok(path)
}

/// Writes `text` to `path` through a temporary file in `dir`, so that a parallel reader sees
/// the whole file or none.
fn write_atomically(dir: &Path, path: &Path, text: &str) -> std::io::Result<()> {
    let temporary = crate::scratch::unique(dir, "tmp");
    fs::write(&temporary, text)?;
    fs::rename(&temporary, path)
}

/// `==1234== text` → `text`; None for a line that is not valgrind's (the program's stderr).
fn strip_pid_prefix(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("==")?;
    let (pid, after) = rest.split_once("==")?;
    let valgrinds = !pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit());
    valgrinds.then(|| after.strip_prefix(' ').unwrap_or(after))
}

/// The snapshot: the lines of memcheck's log that say what leaked and whether memory was
/// misused, as valgrind prints them, with the program named by its listing:
///
/// ```text
/// Memcheck, a memory error detector
/// Command: rc_cycle_leaks
/// LEAK SUMMARY:
///    definitely lost: 48 bytes in 1 blocks
///    indirectly lost: 48 bytes in 1 blocks
/// ERROR SUMMARY: 0 errors from 0 contexts
/// ```
///
/// (`All heap blocks were freed -- no leaks are possible` stands for the leak lines when nothing
/// at all is left at exit; `possibly lost: ...` is kept too when it is not `0 bytes`, which
/// after [`SUPPRESSIONS`] means a leak; `(suppressed: ...)` is cut from the last line, since it
/// depends on the machine's suppression files.)
pub fn summary(log: &str, program: &str) -> String {
    let mut out = String::new();
    for line in log.lines() {
        let trimmed = line.trim_start();
        let kept = if line.starts_with("Command: ") {
            format!("Command: {program}")
        } else if let Some(errors) = line.strip_prefix("ERROR SUMMARY: ") {
            let errors = errors.split(" (suppressed").next().unwrap_or(errors);
            format!("ERROR SUMMARY: {errors}")
        } else if line == "Memcheck, a memory error detector"
            || line == "LEAK SUMMARY:"
            || line == "All heap blocks were freed -- no leaks are possible"
            || trimmed.starts_with("definitely lost: ")
            || trimmed.starts_with("indirectly lost: ")
            || (trimmed.starts_with("possibly lost: ")
                && !trimmed.starts_with("possibly lost: 0 bytes"))
        {
            line.to_owned()
        } else {
            continue;
        };
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// The numbers that decide whether a listing is clean.
#[derive(Debug, Default, PartialEq, Eq)]
struct Counts {
    errors: u64,
    definitely_lost: u64,
    indirectly_lost: u64,
    /// What is left of it after [`SUPPRESSIONS`].
    possibly_lost: u64,
}

impl Counts {
    fn of(log: &str) -> Counts {
        let number = |text: &str| -> u64 {
            let digits: String = text
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ',')
                .filter(char::is_ascii_digit)
                .collect();
            digits.parse().unwrap_or(0)
        };
        let mut counts = Counts::default();
        for line in log.lines().map(str::trim_start) {
            if let Some(rest) = line.strip_prefix("ERROR SUMMARY:") {
                counts.errors = number(rest);
            } else if let Some(rest) = line.strip_prefix("definitely lost:") {
                counts.definitely_lost = number(rest);
            } else if let Some(rest) = line.strip_prefix("indirectly lost:") {
                counts.indirectly_lost = number(rest);
            } else if let Some(rest) = line.strip_prefix("possibly lost:") {
                counts.possibly_lost = number(rest);
            }
        }
        counts
    }

    fn is_clean(&self) -> bool {
        *self == Counts::default()
    }

    /// "leaks 48 bytes definitely and 48 bytes indirectly", "has 1 memory error".
    fn describe(&self) -> String {
        let mut what = Vec::new();
        if self.errors > 0 {
            what.push(format!(
                "has {} memory error{} (an invalid read or write, an uninitialised value or a \
                 bad free)",
                self.errors,
                if self.errors == 1 { "" } else { "s" }
            ));
        }
        if self.definitely_lost + self.indirectly_lost > 0 {
            what.push(format!(
                "leaks {} bytes definitely and {} bytes indirectly",
                self.definitely_lost, self.indirectly_lost
            ));
        }
        if self.possibly_lost > 0 {
            what.push(format!(
                "leaks {} bytes possibly (reached at exit only through a pointer into the middle \
                 of a block, as `Arc::into_raw` leaves it; if std or glibc keeps that block on \
                 purpose, suppress exactly its allocation in harness/valgrind.supp, saying why)",
                self.possibly_lost
            ));
        }
        what.join(" and ")
    }
}

/// memcheck's report of each error and lost block (what follows its banner), for a failure.
fn details(log: &str) -> String {
    let body: Vec<&str> = log
        .lines()
        .skip_while(|l| !l.is_empty())
        .filter(|l| !l.is_empty())
        .take(60)
        .collect();
    format!("\n    memcheck's log:\n{}", indent(&body.join("\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEAKY: &str = "==14887== Memcheck, a memory error detector
==14887== Copyright (C) 2002-2022, and GNU GPL'd, by Julian Seward et al.
==14887== Using Valgrind-3.19.0 and LibVEX; rerun with -h for copyright info
==14887== Command: /book/target/tmp/listing-binaries/rc_cycle_leaks-c793dd432c008082
==14887== 
a lost line the program printed
==14887== HEAP SUMMARY:
==14887==     in use at exit: 640 bytes in 3 blocks
==14887==   total heap usage: 12 allocs, 9 frees, 3,740 bytes allocated
==14887== 
==14887== LEAK SUMMARY:
==14887==    definitely lost: 1,048 bytes in 1 blocks
==14887==    indirectly lost: 48 bytes in 1 blocks
==14887==      possibly lost: 0 bytes in 0 blocks
==14887==    still reachable: 544 bytes in 1 blocks
==14887==         suppressed: 0 bytes in 0 blocks
==14887== 
==14887== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)
";

    fn log(raw: &str) -> String {
        raw.lines()
            .filter_map(strip_pid_prefix)
            .map(|l| format!("{l}\n"))
            .collect()
    }

    #[test]
    fn the_summary_keeps_what_leaked_and_the_error_count() {
        let log = log(LEAKY);
        assert!(!log.contains("a lost line"));
        assert_eq!(
            summary(&log, "rc_cycle_leaks"),
            "Memcheck, a memory error detector
Command: rc_cycle_leaks
LEAK SUMMARY:
   definitely lost: 1,048 bytes in 1 blocks
   indirectly lost: 48 bytes in 1 blocks
ERROR SUMMARY: 0 errors from 0 contexts
"
        );
        let counts = Counts::of(&log);
        assert_eq!(
            counts,
            Counts {
                errors: 0,
                definitely_lost: 1048,
                indirectly_lost: 48,
                possibly_lost: 0,
            }
        );
        assert!(!counts.is_clean());
    }

    #[test]
    fn still_reachable_memory_is_clean_and_possibly_lost_memory_is_a_leak() {
        let reachable = LEAKY
            .replace("definitely lost: 1,048 bytes", "definitely lost: 0 bytes")
            .replace("indirectly lost: 48 bytes", "indirectly lost: 0 bytes");
        assert!(Counts::of(&log(&reachable)).is_clean());
        assert!(!summary(&log(&reachable), "x").contains("possibly"));
        let possibly = reachable.replace(
            "possibly lost: 0 bytes in 0 blocks",
            "possibly lost: 47 bytes in 2 blocks",
        );
        let counts = Counts::of(&log(&possibly));
        assert_eq!(counts.possibly_lost, 47);
        assert!(!counts.is_clean());
        assert!(counts.describe().starts_with("leaks 47 bytes possibly"));
        assert!(
            summary(&log(&possibly), "x").contains("\n     possibly lost: 47 bytes in 2 blocks\n")
        );
        let freed = "==1== All heap blocks were freed -- no leaks are possible\n\
                     ==1== ERROR SUMMARY: 2 errors from 1 contexts (suppressed: 0 from 0)\n";
        let counts = Counts::of(&log(freed));
        assert_eq!(counts.errors, 2);
        assert!(counts.describe().starts_with("has 2 memory errors"));
    }

    #[test]
    fn every_suppression_says_why_and_exempts_only_possibly_lost_blocks() {
        let entries: Vec<&str> = SUPPRESSIONS
            .split("\n{\n")
            .skip(1)
            .map(|rest| rest.split("\n}\n").next().unwrap_or_default())
            .collect();
        assert!(!entries.is_empty());
        for entry in entries {
            let lines: Vec<&str> = entry.lines().map(str::trim).collect();
            assert!(lines[0].contains(": "), "name it `who: what`: {entry}");
            assert_eq!(lines[1], "Memcheck:Leak", "{entry}");
            assert_eq!(lines[2], "match-leak-kinds: possible", "{entry}");
            assert!(
                lines[3..]
                    .iter()
                    .all(|l| l.starts_with("fun:") || *l == "...")
            );
            assert!(
                lines[3..].iter().filter(|l| l.starts_with("fun:")).count() >= 3,
                "an entry names the allocation site, not just the allocator: {entry}"
            );
        }
    }
}
