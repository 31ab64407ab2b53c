//! What the checks report: one [`Problem`] per broken promise, naming the file and the fix.

use std::fmt;
use std::path::PathBuf;

/// The invariant a problem breaks. Each rule the integrity check reports has a test of its own
/// in `tests/book_integrity.rs`; the rules of the checks that run tools (listings, sanitizers,
/// memcheck, full builds) are reported by tests/listings.rs and tests/valgrind.rs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rule {
    /// Every file in `listings/` is shown by some chapter, and every snapshot has its listing.
    NoOrphans,
    /// Every `{{#include}}` names a file (and anchor, and lines) that exists.
    IncludesResolve,
    /// A fence's markers (`does_not_compile`, `panics`, Run button) match what the listing does.
    MarkersMatchBehaviour,
    /// The error or panic a listing produces is shown, from its snapshot, where the listing is.
    OutputShownWithListing,
    /// Compiler output is included from a checked snapshot, never pasted by hand.
    NoPastedOutput,
    /// Every Rust fence is tested: by skeptic (inline) or by the listing tests (included).
    EveryRustFenceTested,
    /// Every chapter file is reachable from `SUMMARY.md`, and every entry there exists.
    SummaryComplete,
    /// A passing listing compiles, runs, and prints its recorded output.
    ListingRuns,
    /// The snapshots were made by the compiler that is running now.
    Toolchain,
    /// An exercise (a compile-fail listing the reader edits and runs in the page) says what
    /// "solved" means, and its solution is a tested listing that does exactly that.
    ExerciseGoal,
    /// Every ```c fence is one include of a C listing, which has exactly one sanitizer report
    /// beside it (`.asan`, `.lsan` or `.tsan`), shown after it.
    EveryCFenceTested,
    /// A C listing compiled with its sanitizer shows its bug, and the report is its snapshot.
    SanitizerReport,
    /// A runnable listing frees everything under valgrind memcheck (no invalid access, nothing
    /// definitely or indirectly lost), or leaks exactly as its `.valgrind` snapshot says.
    Memcheck,
    /// A listing shown with `permissions` has its `.perms` table, and the table is what rustc
    /// computes (see [`crate::permissions`]).
    PermissionTables,
    /// A number quoted in prose equals its generated value; a claimed comparison holds.
    NumbersMatchResults,
    /// A compile-fail listing's `.stderr` shows every error a full build (`cargo build`) reports.
    FullBuildErrorsShown,
    /// Every number a diagram (`src/img/**/*.svg`) states is one its listing prints.
    DiagramNumbersFromPrograms,
}

impl Rule {
    pub fn name(self) -> &'static str {
        match self {
            Rule::NoOrphans => "no-orphans",
            Rule::IncludesResolve => "includes-resolve",
            Rule::MarkersMatchBehaviour => "markers-match-behaviour",
            Rule::OutputShownWithListing => "output-shown-with-listing",
            Rule::NoPastedOutput => "no-pasted-output",
            Rule::EveryRustFenceTested => "every-rust-fence-tested",
            Rule::SummaryComplete => "summary-complete",
            Rule::ListingRuns => "listing-runs",
            Rule::Toolchain => "toolchain",
            Rule::ExerciseGoal => "exercise-goal",
            Rule::EveryCFenceTested => "every-c-fence-tested",
            Rule::SanitizerReport => "sanitizer-report",
            Rule::Memcheck => "memcheck",
            Rule::PermissionTables => "permission-tables",
            Rule::NumbersMatchResults => "numbers-match-results",
            Rule::FullBuildErrorsShown => "full-build-errors-shown",
            Rule::DiagramNumbersFromPrograms => "diagram-numbers-from-programs",
        }
    }
}

/// One broken promise: where it is, which rule, and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub rule: Rule,
    /// Relative to the book's root, with `/` separators.
    pub file: PathBuf,
    /// 1-based line in `file`, where one makes sense.
    pub line: Option<usize>,
    pub message: String,
}

impl Problem {
    pub fn new(rule: Rule, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Problem {
            rule,
            file: file.into(),
            line: None,
            message: message.into(),
        }
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": [{}] {}", self.rule.name(), self.message)
    }
}

/// Formats problems one per line, for a test's panic message.
pub fn report(problems: &[Problem]) -> String {
    let mut out = format!("{} problem(s) in the book:\n", problems.len());
    for problem in problems {
        out.push_str(&format!("  {problem}\n"));
    }
    out
}

/// Indents text (compiler output, a program's output) under a problem's message; empty text
/// reads "(nothing)".
pub fn indent(text: &str) -> String {
    if text.is_empty() {
        return "        (nothing)".to_owned();
    }
    text.lines()
        .map(|l| format!("        {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
