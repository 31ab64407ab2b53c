//! C listings: a bug on purpose, caught by the sanitizer that sees it.
//!
//! `listings/<chapter>/<what_it_shows>.c` is a complete C program that the book shows to make
//! a bug visible. The snapshot beside it names the sanitizer that must catch the bug, and holds
//! what that sanitizer reports:
//!
//! | beside `x.c` | compiled with        | run with                                        |
//! |--------------|----------------------|-------------------------------------------------|
//! | `x.asan`     | `-fsanitize=address` | `ASAN_OPTIONS=detect_stack_use_after_return=1`  |
//! | `x.lsan`     | `-fsanitize=leak`    |                                                 |
//! | `x.tsan`     | `-fsanitize=thread`  |                                                 |
//!
//! Each is compiled by the system C compiler (`$CC`, else `cc`) with [`CFLAGS`] from the book's
//! root (so the report names `listings/...`), run with no input, and its report is
//! [`normalize`]d and compared with the snapshot. A listing whose sanitizer reports nothing has
//! lost its bug, and fails. The binary is cached by (`cc --version`, flags, source) and what
//! it printed by (binary, environment), so a warm run compiles and runs nothing.

use crate::bless::BLESS_COMMAND;
use crate::book::slash;
use crate::listing::CListing;
use crate::problem::indent;
use crate::run::{self, describe_exit};
use crate::{Problem, Rule};
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The flags every C listing is compiled with, before its `-fsanitize=`: debug information for
/// the report's line numbers, no optimisation (so the program does what its source says, line
/// by line), frame pointers for complete stacks.
pub const CFLAGS: [&str; 4] = ["-g", "-O0", "-fno-omit-frame-pointer", "-pthread"];

/// The file, at the top of `listings/`, that names the C compiler the reports were made with.
/// Sanitizers word their reports differently from one release to the next, so a report that
/// no longer matches says when the compiler differs. Written when blessing.
pub const CC_VERSION_FILE: &str = "listings/cc-version.txt";

/// What to install when the compiler or a sanitizer's runtime is missing.
pub const INSTALL: &str = "install gcc (Debian: `apt-get install -y gcc`, which brings the \
                           sanitizer runtimes libasan8, liblsan0 and libtsan2)";

/// The sanitizer a C listing is checked with, named by its snapshot's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sanitizer {
    Address,
    Leak,
    Thread,
}

impl Sanitizer {
    pub const ALL: [Sanitizer; 3] = [Sanitizer::Address, Sanitizer::Leak, Sanitizer::Thread];

    pub fn of_extension(ext: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.extension() == ext)
    }

    /// The snapshot's extension.
    pub fn extension(self) -> &'static str {
        match self {
            Sanitizer::Address => "asan",
            Sanitizer::Leak => "lsan",
            Sanitizer::Thread => "tsan",
        }
    }

    /// The name it reports under, e.g. `AddressSanitizer`.
    pub fn name(self) -> &'static str {
        match self {
            Sanitizer::Address => "AddressSanitizer",
            Sanitizer::Leak => "LeakSanitizer",
            Sanitizer::Thread => "ThreadSanitizer",
        }
    }

    pub fn flag(self) -> &'static str {
        match self {
            Sanitizer::Address => "-fsanitize=address",
            Sanitizer::Leak => "-fsanitize=leak",
            Sanitizer::Thread => "-fsanitize=thread",
        }
    }

    /// The runtime library the compiler links in.
    fn runtime(self) -> &'static str {
        match self {
            Sanitizer::Address => "libasan.so",
            Sanitizer::Leak => "liblsan.so",
            Sanitizer::Thread => "libtsan.so",
        }
    }

    /// The environment the program runs with (set, so that the user's own settings cannot
    /// change the report). `detect_stack_use_after_return` makes AddressSanitizer keep
    /// returned stack frames poisoned, so a pointer into one is caught when used.
    fn environment(self) -> (&'static str, &'static str) {
        match self {
            Sanitizer::Address => (
                "ASAN_OPTIONS",
                "detect_stack_use_after_return=1:color=never",
            ),
            Sanitizer::Leak => ("LSAN_OPTIONS", "color=never"),
            Sanitizer::Thread => ("TSAN_OPTIONS", "color=never"),
        }
    }
}

pub struct Options {
    /// The C compiler, and the first line of its `--version` (part of the cache key).
    pub cc: String,
    pub cc_version: String,
    /// Where compiled C listings and their reports are kept between runs.
    pub cache_dir: PathBuf,
    /// Rewrite the reports instead of comparing.
    pub bless: bool,
    pub timeout: Duration,
}

impl Options {
    /// Settings for the compiler `cc`; fails, saying what to install, if it cannot be run.
    pub fn new(cc: &str, cache_dir: PathBuf, bless: bool) -> Result<Self, String> {
        let output = Command::new(cc).arg("--version").output();
        let version = match output {
            Ok(output) if output.status.success() => String::from_utf8_lossy(&output.stdout)
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned(),
            Ok(output) => {
                return Err(format!(
                    "`{cc} --version` failed ({}); the C listings need a C compiler with \
                     sanitizers: {INSTALL}",
                    describe_exit(output.status)
                ));
            }
            Err(e) => {
                return Err(format!(
                    "cannot run the C compiler `{cc}` ({e}); the C listings are compiled and run \
                     under sanitizers: {INSTALL}"
                ));
            }
        };
        Ok(Options {
            cc: cc.to_owned(),
            cc_version: version,
            cache_dir,
            bless,
            timeout: Duration::from_secs(20),
        })
    }

    /// The settings `cargo test` uses: `$CC` (else `cc`), a cache under `target/`, and blessing
    /// when `TRYBUILD=overwrite` is set.
    pub fn for_cargo_test(target_dir: &Path) -> Result<Self, String> {
        let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
        Self::new(
            &cc,
            target_dir.join("c-listings"),
            crate::bless::requested(),
        )
    }
}

/// Checks every C listing: compiled with its sanitizer and run, it must show its bug, with
/// exactly the report beside it.
pub fn check(root: &Path, listings: &[CListing], options: &Options) -> Vec<Problem> {
    let mut used: Vec<Sanitizer> = listings.iter().filter_map(|l| l.sanitizer).collect();
    used.sort_by_key(|s| s.extension());
    used.dedup();
    let missing: Vec<Sanitizer> = used
        .into_iter()
        .filter(|s| !runtime_installed(&options.cc, *s))
        .collect();
    if let (false, Some(first)) = (missing.is_empty(), listings.first()) {
        let names: Vec<String> = missing
            .iter()
            .map(|s| format!("{} ({})", s.name(), s.runtime()))
            .collect();
        return vec![Problem::new(
            Rule::SanitizerReport,
            &first.path,
            format!(
                "and the other C listings cannot be checked: `{}` has no runtime for {}; {INSTALL}",
                options.cc,
                names.join(", ")
            ),
        )];
    }
    let mut problems = crate::parallel::flat_map(listings, |l| check_one(root, l, options));
    problems.sort_by(|a, b| a.file.cmp(&b.file));
    if options.bless && !listings.is_empty() {
        let version = format!("{}\n", options.cc_version);
        if let Err(e) = fs::write(root.join(CC_VERSION_FILE), version) {
            problems.push(Problem::new(
                Rule::SanitizerReport,
                CC_VERSION_FILE,
                format!("cannot write it: {e}"),
            ));
        }
    }
    problems
}

/// True when the compiler finds the sanitizer's runtime library.
fn runtime_installed(cc: &str, sanitizer: Sanitizer) -> bool {
    Command::new(cc)
        .arg(format!("-print-file-name={}", sanitizer.runtime()))
        .output()
        .is_ok_and(|o| {
            o.status.success() && Path::new(String::from_utf8_lossy(&o.stdout).trim()).is_absolute()
        })
}

fn problem(listing: &CListing, message: String) -> Problem {
    Problem::new(Rule::SanitizerReport, &listing.path, message)
}

fn check_one(root: &Path, listing: &CListing, options: &Options) -> Vec<Problem> {
    let Some(sanitizer) = listing.sanitizer else {
        return vec![problem(
            listing,
            "has no single sanitizer report beside it (.asan, .lsan or .tsan), so it is not \
             checked; the integrity test says more"
                .to_owned(),
        )];
    };
    let result = compile(root, listing, sanitizer, options)
        .and_then(|binary| run_cached(root, listing, sanitizer, &binary, options));
    let (status, stderr) = match result {
        Ok(ran) => ran,
        Err(problem) => return vec![problem],
    };
    let report = normalize(&stderr, &listing.path);
    let marker = |line: &str| {
        (line.starts_with("ERROR: ") || line.starts_with("WARNING: "))
            && line.contains(&format!("{}: ", sanitizer.name()))
    };
    if stderr.contains("unexpected memory mapping") {
        return vec![problem(
            listing,
            format!(
                "could not run: {} cannot map its shadow memory under this kernel's address \
                 randomisation. Lower it (`sysctl -w vm.mmap_rnd_bits=28`, as .ci/run does):\n{}",
                sanitizer.name(),
                indent(&stderr)
            ),
        )];
    }
    if !report.lines().any(marker) {
        return vec![problem(
            listing,
            format!(
                "no longer shows its bug: compiled with `{}` and run, it {} and {} reported \
                 nothing.\n{}\n    Put the bug back (the chapter shows it, and \
                 {} is what the book says the sanitizer reports).",
                sanitizer.flag(),
                describe_exit_code(status),
                sanitizer.name(),
                indent(&stderr),
                slash(&listing.path.with_extension(sanitizer.extension()))
            ),
        )];
    }
    compare(root, listing, sanitizer, &report, options)
        .into_iter()
        .collect()
}

/// Why a report may differ although the program did not change: another compiler.
fn other_compiler(root: &Path, options: &Options) -> String {
    let recorded = fs::read_to_string(root.join(CC_VERSION_FILE)).unwrap_or_default();
    let recorded = recorded.trim();
    if recorded == options.cc_version {
        return String::new();
    }
    format!(
        "\n    Note: the reports were recorded with `{recorded}` ({CC_VERSION_FILE}), but `{}` is \
         `{}`; sanitizers word their reports differently between releases. Check the book with \
         the recorded compiler (CC=/path/to/it cargo test), or move the book to this one with \
         `{BLESS_COMMAND}` and review `git diff listings/`.",
        options.cc, options.cc_version
    )
}

fn describe_exit_code(code: Option<i32>) -> String {
    match code {
        Some(0) => "exited successfully".to_owned(),
        Some(code) => format!("exited with status {code}"),
        None => "was killed by a signal".to_owned(),
    }
}

/// A unique scratch name for a build or a write, so parallel tests never share one.
fn scratch(dir: &Path, what: &str) -> PathBuf {
    crate::scratch::unique(dir, what)
}

/// Compiles a C listing with its sanitizer unless an identical build is cached.
fn compile(
    root: &Path,
    listing: &CListing,
    sanitizer: Sanitizer,
    options: &Options,
) -> Result<PathBuf, Problem> {
    let source = fs::read(root.join(&listing.path))
        .map_err(|e| problem(listing, format!("cannot be read: {e}")))?;
    let mut hasher = DefaultHasher::new();
    (&options.cc_version, CFLAGS, sanitizer.flag(), &source).hash(&mut hasher);
    let stem = listing
        .path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy();
    let binary = options.cache_dir.join(format!(
        "{stem}-{}-{:016x}",
        sanitizer.extension(),
        hasher.finish()
    ));
    if binary.is_file() {
        return Ok(binary);
    }
    let dir = scratch(&options.cache_dir, "build");
    fs::create_dir_all(&dir)
        .map_err(|e| problem(listing, format!("cannot create {}: {e}", dir.display())))?;
    let built = dir.join("program");
    let output = Command::new(&options.cc)
        .args(CFLAGS)
        .arg(sanitizer.flag())
        .arg("-o")
        .arg(&built)
        .arg(&listing.path)
        .current_dir(root)
        .output();
    let stored = match output {
        Err(e) => Err(problem(
            listing,
            format!("cannot run `{}`: {e}; {INSTALL}", options.cc),
        )),
        Ok(output) if !output.status.success() => Err(problem(
            listing,
            format!(
                "does not compile with `{} {} {} {}`; a C listing is a complete program whose \
                 bug shows when it runs:\n{}",
                options.cc,
                CFLAGS.join(" "),
                sanitizer.flag(),
                slash(&listing.path),
                indent(&String::from_utf8_lossy(&output.stderr))
            ),
        )),
        Ok(_) => fs::rename(&built, &binary)
            .map_err(|e| problem(listing, format!("cannot store the build: {e}"))),
    };
    let _ = fs::remove_dir_all(&dir);
    stored.map(|()| binary)
}

/// Runs the sanitized program, unless this binary already ran with this environment: returns
/// its exit code and what it printed on stderr (where the sanitizers report).
fn run_cached(
    root: &Path,
    listing: &CListing,
    sanitizer: Sanitizer,
    binary: &Path,
    options: &Options,
) -> Result<(Option<i32>, String), Problem> {
    let (variable, value) = sanitizer.environment();
    let mut hasher = DefaultHasher::new();
    (variable, value).hash(&mut hasher);
    let cached = binary.with_extension(format!("{:016x}.report", hasher.finish()));
    if let Ok(text) = fs::read_to_string(&cached)
        && let Some((first, stderr)) = text.split_once('\n')
        && let Some(code) = first.strip_prefix("exit: ")
    {
        return Ok((code.parse().ok(), stderr.to_owned()));
    }
    let mut command = Command::new(binary);
    command.current_dir(root).env(variable, value);
    let ran = run::execute_command(command, options.timeout)
        .map_err(|why| problem(listing, format!("compiled with its sanitizer, {why}")))?;
    let code = ran.status.code();
    let text = format!(
        "exit: {}\n{}",
        code.map_or("signal".to_owned(), |c| c.to_string()),
        ran.stderr
    );
    let temporary = scratch(&options.cache_dir, "report");
    if fs::write(&temporary, text).is_ok() {
        let _ = fs::rename(&temporary, &cached);
    }
    Ok((code, ran.stderr))
}

/// Compares the normalised report with the snapshot, or rewrites the snapshot when blessing.
fn compare(
    root: &Path,
    listing: &CListing,
    sanitizer: Sanitizer,
    report: &str,
    options: &Options,
) -> Option<Problem> {
    let snapshot = listing.path.with_extension(sanitizer.extension());
    let full = root.join(&snapshot);
    let expected = fs::read_to_string(&full).unwrap_or_default();
    if expected == report {
        return None;
    }
    if options.bless {
        return fs::write(&full, report)
            .err()
            .map(|e| problem(listing, format!("cannot write {}: {e}", slash(&snapshot))));
    }
    Some(problem(
        listing,
        format!(
            "{} reports something else than {} shows.\n    EXPECTED:\n{}\n    ACTUAL:\n{}\n    \
             If the new report is right (and the chapter's prose still says what it shows), run \
             `{BLESS_COMMAND}` and review `git diff`.{}",
            sanitizer.name(),
            slash(&snapshot),
            indent(&expected),
            indent(report),
            other_compiler(root, options)
        ),
    ))
}

/// The one-line verdict of a report, for the listing's badge: its `SUMMARY:` line without the
/// place, e.g. `AddressSanitizer: heap-use-after-free` or `LeakSanitizer: 256 byte(s) leaked`.
pub fn headline(report: &str) -> Option<String> {
    let summary = report
        .lines()
        .find_map(|line| line.strip_prefix("SUMMARY: "))?;
    let mut words = Vec::new();
    for word in summary.split_whitespace() {
        if word == "in" || word.contains('/') || word.contains(".c:") {
            break;
        }
        words.push(word);
    }
    Some(words.join(" "))
}

/// Removes from a sanitizer's report what changes from run to run or machine to machine, and
/// what is not the program's:
///
/// * the `==PID==` prefixes, `(pid=...)`, the thread ids in `(tid=..., running)` (which
///   becomes `(running)`; `finished` likewise), the closing `ABORTING` line;
/// * addresses (`0x602000000010` becomes `<addr>`), `at pc ... bp ... sp ...` and
///   `(pc 0x...` tails, `(module+0x...)` offsets and `(BuildId: ...)`;
/// * source locations outside the listing (the runtime's own, e.g. in the `SUMMARY:` line);
/// * the shadow-memory dump after `Shadow bytes around the buggy address:`, with its legend;
/// * in each stack, the frames inside the runtime and libc: a frame in the listing keeps its
///   function and `file:line` (the file as `listings/...`, wherever it was compiled), the
///   runtime frame the program called last (`free`, `puts`, `pthread_create`) keeps its name
///   only (without the `__interceptor_` prefix), and the others (`__libc_start_main`, `_start`,
///   internal helpers) go; frames are renumbered. A stack with no frame in the listing keeps
///   its first frame only;
/// * blank lines before the first line and after the last.
pub fn normalize(report: &str, listing: &Path) -> String {
    let file_name = listing
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let listing = slash(listing);
    let mut out: Vec<String> = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut in_shadow_dump = false;
    for raw in report.lines() {
        let line = strip_pid_prefix(raw);
        if in_shadow_dump {
            let dump = line.starts_with(' ')
                || line.starts_with("=>")
                || line.starts_with("Shadow byte legend");
            if dump {
                continue;
            }
            in_shadow_dump = false;
        }
        if line.starts_with("Shadow bytes around the buggy address:") {
            in_shadow_dump = true;
            continue;
        }
        if line == "ABORTING" {
            continue;
        }
        if let Some(frame) = Frame::parse(line, &file_name, &listing) {
            stack.push(frame);
            continue;
        }
        flush_stack(&mut stack, &mut out);
        out.push(normalize_line(line, &file_name, &listing));
    }
    flush_stack(&mut stack, &mut out);
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    let start = out.iter().position(|l| !l.is_empty()).unwrap_or(out.len());
    let mut text = out[start..].join("\n");
    text.push('\n');
    text
}

/// `==12345==ERROR: ...` → `ERROR: ...`.
fn strip_pid_prefix(line: &str) -> &str {
    if let Some(rest) = line.strip_prefix("==")
        && let Some((pid, after)) = rest.split_once("==")
        && !pid.is_empty()
        && pid.chars().all(|c| c.is_ascii_digit())
    {
        return after;
    }
    line
}

/// One line of a stack trace: `#3 0x55.. in main /path/x.c:9` (ASan, LSan) or
/// `#0 worker /path/x.c:9 (x+0x11e9)` (TSan).
struct Frame {
    indent: String,
    /// `in ` when the sanitizer writes it.
    in_word: &'static str,
    function: String,
    /// `listings/.../x.c:9` when the frame is in the listing.
    location: Option<String>,
}

impl Frame {
    fn parse(line: &str, file_name: &str, listing: &str) -> Option<Frame> {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let rest = trimmed.strip_prefix('#')?;
        let (number, rest) = rest.split_once(' ')?;
        if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let mut words: Vec<&str> = rest.split_whitespace().collect();
        if words.first().is_some_and(|w| w.starts_with("0x")) {
            words.remove(0);
        }
        let in_word = if words.first() == Some(&"in") {
            words.remove(0);
            "in "
        } else {
            ""
        };
        // From the end: `(module+0x..)` and `(BuildId: ..)`, then the source location, if any.
        loop {
            match words.as_slice() {
                [.., "(BuildId:", last] if last.ends_with(')') => words.truncate(words.len() - 2),
                [.., last] if last.starts_with('(') && last.contains("+0x") => {
                    words.pop();
                }
                _ => break,
            }
        }
        let mut location = None;
        if let Some(last) = words.last()
            && words.len() >= 2
            && is_location(last)
        {
            location = in_listing(last, file_name, listing);
            words.pop();
        }
        Some(Frame {
            indent: indent.to_owned(),
            in_word,
            function: without_interceptor(&words.join(" ")).to_owned(),
            location,
        })
    }
}

/// Writes out a finished stack: the listing's frames, and the runtime frame just before the
/// first of them (what the program called), renumbered.
fn flush_stack(stack: &mut Vec<Frame>, out: &mut Vec<String>) {
    if stack.is_empty() {
        return;
    }
    let first_own = stack.iter().position(|f| f.location.is_some());
    let keep: Vec<usize> = match first_own {
        Some(first) => (first.saturating_sub(1)..stack.len())
            .filter(|&i| i + 1 == first || stack[i].location.is_some())
            .collect(),
        None => vec![0],
    };
    for (n, &i) in keep.iter().enumerate() {
        let frame = &stack[i];
        let mut line = format!("{}#{n} {}{}", frame.indent, frame.in_word, frame.function);
        if let Some(location) = &frame.location {
            line.push(' ');
            line.push_str(location);
        }
        out.push(line);
    }
    stack.clear();
}

/// `path/file.c:12` or `path/file.c:12:5`.
fn is_location(word: &str) -> bool {
    let mut parts = word.rsplitn(3, ':');
    let last = parts.next().unwrap_or_default();
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    digits(last) && word.contains(['/', '.'])
}

/// A location in the listing, as `listings/.../x.c:LINE`; None for one elsewhere.
fn in_listing(word: &str, file_name: &str, listing: &str) -> Option<String> {
    let (path, line) = word.split_once(&format!("{file_name}:"))?;
    let whole_name = path.is_empty() || path.ends_with('/');
    whole_name.then(|| format!("{listing}:{line}"))
}

fn without_interceptor(name: &str) -> &str {
    [
        "___interceptor_",
        "__interceptor_trampoline_",
        "__interceptor_",
    ]
    .iter()
    .find_map(|prefix| name.strip_prefix(prefix))
    .unwrap_or(name)
}

/// Normalises a line that is not a stack frame.
fn normalize_line(line: &str, file_name: &str, listing: &str) -> String {
    let mut line = line.to_owned();
    for cut in [" at pc 0x", " (pc 0x"] {
        if let Some(at) = line.find(cut) {
            line.truncate(at);
        }
    }
    for open in [" (pid=", " (tid="] {
        let mut from = 0;
        while let Some(found) = line[from..].find(open) {
            let start = from + found;
            let Some(end) = line[start..].find(')').map(|end| start + end) else {
                break;
            };
            // `(tid=1116, finished)` → `(finished)`: whether the thread was still running
            // stays, since it shows whether the accesses could have overlapped.
            let kept = line[start..end]
                .split_once(", ")
                .map(|(_, state)| format!(" ({state})"))
                .unwrap_or_default();
            line.replace_range(start..=end, &kept);
            from = start + kept.len();
        }
    }
    let indent_len = line.len() - line.trim_start().len();
    let mut words: Vec<String> = Vec::new();
    for word in line.split_whitespace() {
        if word.starts_with('(') && word.ends_with(')') && word.contains("+0x") {
            continue; // (module+0x1234)
        }
        if is_location(word) {
            if let Some(own) = in_listing(word, file_name, listing) {
                words.push(own);
            }
            continue; // a place inside the runtime
        }
        words.push(without_interceptor(&replace_addresses(word)).to_owned());
    }
    format!("{}{}", &line[..indent_len], words.join(" "))
}

/// `[0x602000000010,0x602000000020)` → `[<addr>,<addr>)`.
fn replace_addresses(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut rest = word;
    while let Some(at) = rest.find("0x") {
        out.push_str(&rest[..at]);
        let digits = rest[at + 2..]
            .find(|c: char| !c.is_ascii_hexdigit())
            .unwrap_or(rest.len() - at - 2);
        if digits == 0 {
            out.push_str("0x");
        } else {
            out.push_str("<addr>");
        }
        rest = &rest[at + 2 + digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LISTING: &str = "listings/demo/use_after_free.c";

    #[test]
    fn addresses_pids_paths_and_runtime_frames_are_normalised() {
        let raw = "=================================================================
==10702==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010 at pc 0x7f840524d564 bp 0x7fff15719140 sp 0x7fff157188f0
READ of size 2 at 0x602000000010 thread T0
    #0 0x7f840524d563 in __interceptor_puts ../../../../src/libsanitizer/sanitizer_common/sanitizer_common_interceptors.inc:1283
    #1 0x5623fb2461f1 in main /tmp/book/listings/demo/use_after_free.c:9
    #2 0x7f8405045249 in __libc_start_call_main ../sysdeps/nptl/libc_start_call_main.h:58
    #3 0x5623fb2460e0 in _start (/tmp/book/x+0x10e0)

0x602000000010 is located 0 bytes inside of 16-byte region [0x602000000010,0x602000000020)
freed by thread T0 here:
    #0 0x7f84052b76a8 in __interceptor_free ../../../../src/libsanitizer/asan/asan_malloc_linux.cpp:52
    #1 0x5623fb2461e5 in main /tmp/book/listings/demo/use_after_free.c:8

SUMMARY: AddressSanitizer: heap-use-after-free ../../../../src/libsanitizer/sanitizer_common/sanitizer_common_interceptors.inc:1283 in __interceptor_puts
Shadow bytes around the buggy address:
  0x0c047fff7fb0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
=>0x0c047fff8000: fa fa[fd]fd fa fa fa fa fa fa fa fa fa fa fa fa
Shadow byte legend (one shadow byte represents 8 application bytes):
  Addressable:           00
==10702==ABORTING
";
        let clean = normalize(raw, Path::new(LISTING));
        assert_eq!(
            clean,
            "=================================================================
ERROR: AddressSanitizer: heap-use-after-free on address <addr>
READ of size 2 at <addr> thread T0
    #0 in puts
    #1 in main listings/demo/use_after_free.c:9

<addr> is located 0 bytes inside of 16-byte region [<addr>,<addr>)
freed by thread T0 here:
    #0 in free
    #1 in main listings/demo/use_after_free.c:8

SUMMARY: AddressSanitizer: heap-use-after-free in puts
"
        );
        assert_eq!(normalize(&clean, Path::new(LISTING)), clean);
        assert_eq!(
            headline(&clean).as_deref(),
            Some("AddressSanitizer: heap-use-after-free")
        );
    }

    #[test]
    fn thread_sanitizer_reports_lose_thread_ids_and_module_offsets_but_keep_thread_states() {
        let raw = "==================
WARNING: ThreadSanitizer: data race (pid=25233)
  Read of size 4 at 0x555e5fb5705c by thread T2:
    #0 worker /tmp/ckc/racy_counter.c:9 (race+0x11e9)

  Location is global 'hits' of size 4 at 0x555e5fb5705c (race+0x405c)

  Thread T2 (tid=25238, running) created by main thread at:
    #0 pthread_create ../../../../src/libsanitizer/tsan/tsan_interceptors_posix.cpp:1001 (libtsan.so.2+0x5e686)
    #1 main /tmp/ckc/racy_counter.c:16 (race+0x126f)

  Thread T1 'worker' (tid=25237, finished) created by main thread at:
    #0 pthread_create ../../../../src/libsanitizer/tsan/tsan_interceptors_posix.cpp:1001 (libtsan.so.2+0x5e686)
    #1 main /tmp/ckc/racy_counter.c:14 (race+0x1252)

  Thread T3 (tid=25239) is where (tid=25239) appears twice

SUMMARY: ThreadSanitizer: data race /tmp/ckc/racy_counter.c:9 in worker
==================
ThreadSanitizer: reported 1 warnings
";
        let clean = normalize(raw, Path::new("listings/a/racy_counter.c"));
        assert_eq!(
            clean,
            "==================
WARNING: ThreadSanitizer: data race
  Read of size 4 at <addr> by thread T2:
    #0 worker listings/a/racy_counter.c:9

  Location is global 'hits' of size 4 at <addr>

  Thread T2 (running) created by main thread at:
    #0 pthread_create
    #1 main listings/a/racy_counter.c:16

  Thread T1 'worker' (finished) created by main thread at:
    #0 pthread_create
    #1 main listings/a/racy_counter.c:14

  Thread T3 is where appears twice

SUMMARY: ThreadSanitizer: data race listings/a/racy_counter.c:9 in worker
==================
ThreadSanitizer: reported 1 warnings
"
        );
        assert_eq!(
            headline(&clean).as_deref(),
            Some("ThreadSanitizer: data race")
        );
        assert_eq!(
            headline("SUMMARY: LeakSanitizer: 256 byte(s) leaked in 1 allocation(s).\n").as_deref(),
            Some("LeakSanitizer: 256 byte(s) leaked")
        );
    }

    #[test]
    fn a_file_that_merely_ends_like_the_listing_is_not_the_listing() {
        assert_eq!(
            in_listing("/src/my_use_after_free.c:3", "use_after_free.c", LISTING),
            None
        );
        assert_eq!(
            in_listing("use_after_free.c:3", "use_after_free.c", LISTING).as_deref(),
            Some("listings/demo/use_after_free.c:3")
        );
    }
}
