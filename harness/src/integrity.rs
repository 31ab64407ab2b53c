//! The book-integrity check: the chapters and the listings must agree.
//!
//! It reads files only (no compiler), so it is fast and runs first. What it enforces is listed
//! in [`Rule`]; each problem names the file and line and says what to do.

use crate::book::{self, Chapter, resolve, slash};
use crate::listing::{self, CListing, Kind, Listing, Listings, SNAPSHOT_EXTENSIONS};
use crate::markdown::{Directive, DirectiveKind, Fence, Selector};
use crate::{Problem, Rule};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Words an inline (skeptic-tested) Rust fence may carry.
const INLINE_WORDS: [&str; 2] = ["rust", "noplayground"];

/// The words that mark a listing's behaviour for the reader. mdBook turns every word into a CSS
/// class; `ignore` keeps skeptic off the include and, without `mdbook-runnable`, hides the Run
/// button.
pub const DOES_NOT_COMPILE: &str = "does_not_compile";
pub const PANICS: &str = "panics";
pub const RUNNABLE: &str = "mdbook-runnable";
/// An exercise: a compile-fail listing the reader edits in the page (mdBook's `editable`, with
/// the bundled editor) and runs on the playground. The one kind of compile-fail listing that
/// carries a Run button, and it says so with this word.
pub const EXERCISE: &str = "exercise";
pub const EDITABLE: &str = "editable";

/// Checks the book at `root` and returns every problem found (empty when all is well).
pub fn check(root: &Path) -> Vec<Problem> {
    let (chapters, mut problems) = book::load(root);
    let listings = listing::discover(root);
    problems.extend(listings.problems.iter().cloned());
    problems.extend(crate::permissions::integrity(root, &chapters, &listings));
    problems.extend(crate::diagrams::check(root));

    // Which chapters show which files (listings, snapshots, crate files).
    let mut shown_by: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
    let mut all_refs: Vec<(PathBuf, PathBuf, usize)> = Vec::new();
    for chapter in &chapters {
        let mut check = ChapterCheck {
            root,
            chapter,
            listings: &listings,
            problems: Vec::new(),
            shown: BTreeSet::new(),
            fences_of_listings: Vec::new(),
            refs: Vec::new(),
            exercises: Vec::new(),
            fences_of_c_listings: Vec::new(),
            included_at: Vec::new(),
        };
        check.run();
        let ChapterCheck {
            shown,
            fences_of_listings,
            problems: found,
            refs,
            exercises,
            fences_of_c_listings,
            included_at,
            ..
        } = check;
        problems.extend(found);
        for (exercise, line) in exercises {
            problems.extend(exercise_goal(
                root,
                chapter,
                &listings,
                &fences_of_listings,
                exercise,
                line,
            ));
        }
        all_refs.extend(
            refs.into_iter()
                .map(|(t, line)| (chapter.path.clone(), t, line)),
        );
        output_shown_with_listing(
            chapter,
            &listings,
            &shown,
            &fences_of_listings,
            &fences_of_c_listings,
            &mut problems,
        );
        reports_shown_after_listings(
            chapter,
            &listings,
            &fences_of_listings,
            &fences_of_c_listings,
            &included_at,
            &mut problems,
        );
        for file in shown {
            shown_by
                .entry(file)
                .or_default()
                .insert(chapter.path.clone());
        }
    }

    problems.extend(crate::numbers::check(root, &chapters));

    for (chapter, target, line) in all_refs {
        if !shown_by.contains_key(&target) {
            problems.push(
                Problem::new(
                    Rule::IncludesResolve,
                    chapter,
                    format!(
                        "refers to {}, which no chapter shows, so it has no number; show it, or \
                         fix the reference",
                        slash(&target)
                    ),
                )
                .at_line(line),
            );
        }
    }
    for listing in &listings.standalone {
        if !shown_by.contains_key(&listing.path) {
            problems.push(Problem::new(
                Rule::NoOrphans,
                &listing.path,
                "is included by no chapter; show it with {{#include}} in a chapter, or delete it \
                 (with its snapshots)",
            ));
        }
    }
    for c in &listings.c {
        if !shown_by.contains_key(&c.path) {
            problems.push(Problem::new(
                Rule::NoOrphans,
                &c.path,
                "is included by no chapter; show it with {{#include}} in a ```c fence, or delete \
                 it (with its sanitizer report)",
            ));
        }
    }
    for (dir, files) in &listings.crates {
        if !files.iter().any(|f| shown_by.contains_key(f)) {
            problems.push(Problem::new(
                Rule::NoOrphans,
                dir,
                "is a crate no chapter shows any file of; include its code with anchors, or move \
                 it out of listings/",
            ));
        }
    }
    problems
}

struct ChapterCheck<'a> {
    root: &'a Path,
    chapter: &'a Chapter,
    listings: &'a Listings,
    problems: Vec<Problem>,
    /// Files this chapter includes.
    shown: BTreeSet<PathBuf>,
    /// Standalone listings shown in a Rust fence, with the fence's line.
    fences_of_listings: Vec<(&'a Listing, usize)>,
    /// Listings referred to by `{{#listing-ref}}`, with the line.
    refs: Vec<(PathBuf, usize)>,
    /// Listings shown as exercises, with the fence's line.
    exercises: Vec<(&'a Listing, usize)>,
    /// C listings shown in a ```c fence, with the fence's line.
    fences_of_c_listings: Vec<(&'a CListing, usize)>,
    /// Files included by fences other than Rust and C ones (outputs, reports), with the line.
    included_at: Vec<(PathBuf, usize)>,
}

impl<'a> ChapterCheck<'a> {
    fn run(&mut self) {
        for directive in &self.chapter.parsed.loose_directives {
            if directive.kind == DirectiveKind::ListingRef {
                if let Some(target) = self.resolves(directive) {
                    self.refs.push((target, directive.line));
                }
                continue;
            }
            if let Some(target) = self.resolves(directive) {
                if target.starts_with("listings") {
                    self.problem(
                        Rule::MarkersMatchBehaviour,
                        directive.line,
                        format!(
                            "includes {} outside a code fence; put it in a ```rust fence (a \
                             listing) or a ```text fence (its output)",
                            slash(&target)
                        ),
                    );
                }
                self.shown.insert(target);
            }
        }
        for fence in &self.chapter.parsed.fences {
            if fence.is_rust() {
                self.rust_fence(fence);
            } else if fence.language() == Some("c") {
                self.c_fence(fence);
            } else if fence.language() == Some("diff") && fence.directives.is_empty() {
                self.diff_fence(fence);
            } else {
                self.other_fence(fence);
            }
        }
    }

    fn problem(&mut self, rule: Rule, line: usize, message: String) {
        self.problems
            .push(Problem::new(rule, &self.chapter.path, message).at_line(line));
    }

    /// Checks that a directive names something that exists; returns the resolved path.
    fn resolves(&mut self, directive: &Directive) -> Option<PathBuf> {
        if let DirectiveKind::Other(name) = &directive.kind {
            self.problem(
                Rule::EveryRustFenceTested,
                directive.line,
                format!(
                    "uses {{{{#{name}}}}}, which the harness does not check; use {{{{#include}}}}, \
                     {{{{#rustdoc_include}}}} or {{{{#quiz}}}}"
                ),
            );
            return None;
        }
        let target = match directive.kind {
            DirectiveKind::ListingRef => listing_of_ref(&directive.path),
            _ => resolve(&self.chapter.path, &directive.path),
        };
        let Ok(text) = fs::read_to_string(self.root.join(&target)) else {
            self.problem(
                Rule::IncludesResolve,
                directive.line,
                format!(
                    "includes {}, which does not exist (resolved from the chapter's folder to {}); \
                     fix the path or create the file",
                    directive.path,
                    slash(&target)
                ),
            );
            return None;
        };
        if let Err(why) = selection_exists(&text, &directive.selector) {
            self.problem(
                Rule::IncludesResolve,
                directive.line,
                format!("includes {}: {why}", slash(&target)),
            );
        }
        Some(target)
    }

    fn rust_fence(&mut self, fence: &'a Fence) {
        if fence.directives.is_empty() {
            self.inline_snippet(fence);
            return;
        }
        if !fence.is_single_directive() {
            self.problem(
                Rule::EveryRustFenceTested,
                fence.line,
                "mixes an include with other code; a Rust fence is either inline code (tested by \
                 skeptic) or exactly one include of a listing (tested by the listing tests)"
                    .into(),
            );
        }
        let directive = &fence.directives[0];
        let Some(target) = self.resolves(directive) else {
            return;
        };
        self.shown.insert(target.clone());
        let listings = self.listings;

        if listings.crate_of(&target).is_some() {
            self.crate_code(fence, &target);
        } else if let Some(listing) = listings.find(&target) {
            self.fences_of_listings.push((listing, fence.line));
            self.listing_markers(fence, directive, listing);
        } else if listings.find_c(&target).is_some() {
            self.problem(
                Rule::EveryCFenceTested,
                fence.line,
                format!(
                    "shows the C listing {} in a ```rust fence; show it in a ```c fence",
                    slash(&target)
                ),
            );
        } else {
            self.problem(
                Rule::EveryRustFenceTested,
                fence.line,
                format!(
                    "shows {} as Rust, but no test compiles it; Rust code lives in listings/ as a \
                     .rs file (or in a crate there)",
                    slash(&target)
                ),
            );
        }
    }

    fn inline_snippet(&mut self, fence: &Fence) {
        for word in &fence.words {
            if INLINE_WORDS.contains(&word.as_str()) {
                continue;
            }
            let advice = match word.as_str() {
                "ignore" => "nothing would test it; remove `ignore`, or make it a listing",
                "compile_fail" => {
                    "skeptic cannot check which error it fails with (and compiles it as a passing \
                     test); make it a listing with a .stderr and mark the fence does_not_compile"
                }
                "should_panic" => {
                    "skeptic's should_panic also passes when the snippet fails to compile; make it \
                     a listing with a .panic and mark the fence panics"
                }
                w if w.starts_with("edition") => {
                    "skeptic ignores it (every snippet gets the same edition); edition-sensitive \
                     code belongs in a listing, which is compiled as edition 2024"
                }
                _ => {
                    "inline snippets are compiled and run by skeptic as they are; only `rust` and \
                     `noplayground` are allowed here, anything else belongs in a listing"
                }
            };
            self.problem(
                Rule::EveryRustFenceTested,
                fence.line,
                format!("inline Rust snippet marked `{word}`: {advice}"),
            );
        }
    }

    fn crate_code(&mut self, fence: &Fence, target: &Path) {
        let ok = fence.has("ignore")
            && fence.has("noplayground")
            && ![RUNNABLE, DOES_NOT_COMPILE, PANICS]
                .iter()
                .any(|w| fence.has(w));
        if !ok {
            self.problem(
                Rule::MarkersMatchBehaviour,
                fence.line,
                format!(
                    "shows crate code from {} (built by cargo, not runnable on the playground); \
                     mark the fence exactly ```rust,ignore,noplayground",
                    slash(target)
                ),
            );
        }
    }

    fn listing_markers(&mut self, fence: &Fence, directive: &Directive, listing: &'a Listing) {
        let path = slash(&listing.path);
        let exercise = fence.has(EXERCISE);
        let (want, refuse): (&[&str], &[&str]) = match listing.kind {
            Kind::CompileFail if exercise => (
                &["ignore", DOES_NOT_COMPILE, EXERCISE, EDITABLE, RUNNABLE],
                &[PANICS],
            ),
            Kind::CompileFail => (&["ignore", DOES_NOT_COMPILE], &[RUNNABLE, PANICS, EDITABLE]),
            Kind::Panics => (
                &["ignore", RUNNABLE, PANICS],
                &[DOES_NOT_COMPILE, EXERCISE, EDITABLE],
            ),
            Kind::Runs => (
                &["ignore", RUNNABLE],
                &[DOES_NOT_COMPILE, PANICS, EXERCISE, EDITABLE],
            ),
        };
        let missing: Vec<&str> = want.iter().copied().filter(|w| !fence.has(w)).collect();
        let wrong: Vec<&str> = refuse.iter().copied().filter(|w| fence.has(w)).collect();
        if !missing.is_empty() || !wrong.is_empty() {
            let mut message = format!(
                "shows {path}, which {}, so the fence must",
                listing.kind.describe()
            );
            if !missing.is_empty() {
                message.push_str(&format!(" carry `{}`", missing.join("`, `")));
            }
            if !wrong.is_empty() {
                if !missing.is_empty() {
                    message.push_str(" and");
                }
                message.push_str(&format!(" not carry `{}`", wrong.join("`, `")));
            }
            message.push_str(&format!(" (```rust,{})", want.join(",")));
            if listing.kind == Kind::CompileFail && !exercise && fence.has(RUNNABLE) {
                message.push_str(
                    "; only an exercise may have a Run button: if the reader is meant to edit \
                     and fix it, mark it `exercise,editable,mdbook-runnable`",
                );
            } else if listing.kind != Kind::CompileFail && exercise {
                message.push_str("; an exercise is a listing that does not compile yet");
            }
            self.problem(Rule::MarkersMatchBehaviour, fence.line, message);
        }
        if exercise && listing.kind == Kind::CompileFail {
            self.exercises.push((listing, fence.line));
        }
        let whole_program = match directive.kind {
            DirectiveKind::RustdocInclude => true,
            _ => directive.selector == Selector::Whole,
        };
        if listing.kind != Kind::CompileFail && !whole_program {
            self.problem(
                Rule::MarkersMatchBehaviour,
                fence.line,
                format!(
                    "shows part of {path} with a Run button, which would run a fragment; use \
                     {{{{#rustdoc_include {}}}}} to hide the rest of the program instead",
                    directive.path
                ),
            );
        }
    }

    /// A ```diff fence typed into the chapter shows a change to the listing shown above it (the
    /// last ```rust fence that includes one): each
    /// line it adds or removes must be a line of that listing's file as it is (both sides of
    /// the change live there, as two versions of the code), so that the diff cannot go stale.
    fn diff_fence(&mut self, fence: &Fence) {
        let above = self
            .chapter
            .parsed
            .fences
            .iter()
            .filter(|f| f.line < fence.line && f.is_rust())
            .flat_map(|f| &f.directives)
            .filter(|d| {
                matches!(
                    d.kind,
                    DirectiveKind::Include | DirectiveKind::RustdocInclude
                )
            })
            .map(|d| resolve(&self.chapter.path, &d.path))
            .next_back();
        let Some(listing) = above else {
            self.problem(
                Rule::EveryRustFenceTested,
                fence.line,
                "is a diff with no listing shown above it; show the listing whose lines it changes \
                 first"
                    .into(),
            );
            return;
        };
        let source = fs::read_to_string(self.root.join(&listing)).unwrap_or_default();
        let lines: BTreeSet<&str> = source.lines().collect();
        let stale: Vec<(usize, &str)> = fence
            .body
            .lines()
            .enumerate()
            .filter(|(_, l)| (l.starts_with('-') || l.starts_with('+')) && !lines.contains(&l[1..]))
            .collect();
        if let Some(&(n, line)) = stale.first() {
            self.problem(
                Rule::EveryRustFenceTested,
                fence.line + 1 + n,
                format!(
                    "is a diff whose line `{line}` is not a line of {} (the listing shown above \
                     it); a diff must show lines of that file exactly as they are, so copy them \
                     from it again",
                    slash(&listing)
                ),
            );
        }
    }

    /// A ```c fence shows exactly one C listing (whole, or an anchored part of it); C code
    /// typed into the chapter would be code that nothing compiles.
    fn c_fence(&mut self, fence: &Fence) {
        if fence.directives.is_empty() || !fence.is_single_directive() {
            self.problem(
                Rule::EveryCFenceTested,
                fence.line,
                "is C code that nothing compiles; make it a complete program, \
                 listings/<chapter>/<what_it_shows>.c, with the sanitizer report that shows its \
                 bug, and show it here as ```c {{#include ../listings/<chapter>/<name>.c}} (see \
                 README, \"Add a C listing\")"
                    .into(),
            );
        }
        for directive in &fence.directives {
            let Some(target) = self.resolves(directive) else {
                continue;
            };
            match self.listings.find_c(&target) {
                Some(listing) => self.fences_of_c_listings.push((listing, fence.line)),
                None => self.problem(
                    Rule::EveryCFenceTested,
                    fence.line,
                    format!(
                        "shows {} as C, but only a .c file in listings/ is compiled and run \
                         under a sanitizer",
                        slash(&target)
                    ),
                ),
            }
            self.shown.insert(target);
        }
    }

    fn other_fence(&mut self, fence: &Fence) {
        for directive in &fence.directives {
            let Some(target) = self.resolves(directive) else {
                continue;
            };
            self.included_at.push((target.clone(), fence.line));
            if self.listings.find_c(&target).is_some() {
                self.problem(
                    Rule::MarkersMatchBehaviour,
                    fence.line,
                    format!(
                        "shows the C listing {} in a ```{} fence; use a ```c fence",
                        slash(&target),
                        fence.language().unwrap_or_default()
                    ),
                );
            }
            let ext = target.extension().and_then(|e| e.to_str()).unwrap_or("");
            let in_listings = target.starts_with("listings");
            if in_listings && ext == "rs" && self.listings.crate_of(&target).is_none() {
                self.problem(
                    Rule::MarkersMatchBehaviour,
                    fence.line,
                    format!(
                        "shows the listing {} in a non-Rust fence, without its markers; use a \
                         ```rust fence",
                        slash(&target)
                    ),
                );
            }
            if in_listings
                && SNAPSHOT_EXTENSIONS.contains(&ext)
                && directive.selector != Selector::Whole
            {
                self.problem(
                    Rule::OutputShownWithListing,
                    fence.line,
                    format!(
                        "shows only part of {}; include the whole snapshot",
                        slash(&target)
                    ),
                );
            }
            self.shown.insert(target);
        }
        if fence.directives.is_empty()
            && let Some(what) = pasted_output(&fence.body)
        {
            self.problem(
                Rule::NoPastedOutput,
                fence.line,
                format!(
                    "pastes {what} by hand, which nothing keeps up to date; make the code a \
                     listing and include its snapshot (.stderr, .panic, .stdout; .asan, .lsan, \
                     .tsan; .valgrind) instead"
                ),
            );
        }
    }
}

/// Each compile-fail or panicking listing a chapter shows must be followed by its error, from
/// its snapshot; each snapshot a chapter shows must belong to a listing the chapter shows.
fn output_shown_with_listing(
    chapter: &Chapter,
    listings: &Listings,
    shown: &BTreeSet<PathBuf>,
    fences_of_listings: &[(&Listing, usize)],
    fences_of_c_listings: &[(&CListing, usize)],
    problems: &mut Vec<Problem>,
) {
    for &(listing, line) in fences_of_listings {
        let snapshot = match listing.kind {
            Kind::CompileFail => listing.stderr(),
            Kind::Panics => listing.panic(),
            Kind::Runs => continue,
        };
        if !shown.contains(&snapshot) {
            problems.push(
                Problem::new(
                    Rule::OutputShownWithListing,
                    &chapter.path,
                    format!(
                        "shows {} but not what it {}; add ```text {{{{#include {}}}}} right after \
                         it",
                        slash(&listing.path),
                        if listing.kind == Kind::CompileFail {
                            "fails with"
                        } else {
                            "prints when it panics"
                        },
                        relative_to_chapter(&chapter.path, &snapshot)
                    ),
                )
                .at_line(line),
            );
        }
    }
    for file in shown {
        let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !SNAPSHOT_EXTENSIONS.contains(&ext) || listings.crate_of(file).is_some() {
            continue;
        }
        let source = listing::source_of(file);
        let shown_here = fences_of_listings.iter().any(|(l, _)| l.path == source)
            || fences_of_c_listings.iter().any(|(l, _)| l.path == source);
        if !shown_here {
            problems.push(Problem::new(
                Rule::OutputShownWithListing,
                &chapter.path,
                format!(
                    "shows {} without showing its listing {}; show the listing in this chapter too",
                    slash(file),
                    slash(&source)
                ),
            ));
        }
    }
}

/// An exercise must say what "solved" means in a way the reader can check by pressing Run, and
/// its solution (`<name>_solution.rs`, shown after it in the same chapter) must be a passing
/// listing that does exactly that. The goal is either the solution's output, included (from its
/// `.stdout`) between the exercise and the `<details>` that hides the solution, or the
/// exercise's own `assert!`s, which the solution keeps word for word.
fn exercise_goal(
    root: &Path,
    chapter: &Chapter,
    listings: &Listings,
    fences_of_listings: &[(&Listing, usize)],
    exercise: &Listing,
    line: usize,
) -> Vec<Problem> {
    let problem = |message: String| {
        vec![Problem::new(Rule::ExerciseGoal, &chapter.path, message).at_line(line)]
    };
    let path = slash(&exercise.path);
    let stem = exercise
        .path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy();
    let solution_path = exercise.path.with_file_name(format!("{stem}_solution.rs"));
    let Some(solution) = listings.find(&solution_path) else {
        return problem(format!(
            "shows the exercise {path}, but {} does not exist; write the solution as a listing \
             the tests run",
            slash(&solution_path)
        ));
    };
    if solution.kind != Kind::Runs {
        return problem(format!(
            "the solution of {path}, {}, {}; a solution must compile and run",
            slash(&solution_path),
            solution.kind.describe()
        ));
    }
    let Some(&(_, solution_line)) = fences_of_listings
        .iter()
        .find(|(l, at)| l.path == solution_path && *at > line)
    else {
        return problem(format!(
            "shows the exercise {path} but not its solution {} after it; show it, in a \
             <details> block",
            slash(&solution_path)
        ));
    };
    // Where the reader stops seeing the statement: the first <details> after the exercise.
    let lines: Vec<&str> = chapter.source.lines().collect();
    let statement_end = (line..solution_line)
        .find(|&n| {
            lines
                .get(n - 1)
                .is_some_and(|l| l.trim_start().starts_with("<details"))
        })
        .unwrap_or(solution_line);
    let output = solution.stdout();
    let output_shown = chapter.parsed.fences.iter().any(|f| {
        f.line > line
            && f.line < statement_end
            && f.directives.iter().any(|d| {
                d.kind == DirectiveKind::Include && resolve(&chapter.path, &d.path) == output
            })
    });
    let asserts = |file: &Path| -> Vec<String> {
        fs::read_to_string(root.join(file))
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("assert"))
            .map(str::to_owned)
            .collect()
    };
    let exercise_asserts = asserts(&exercise.path);
    let solution_asserts = asserts(&solution_path);
    let dropped: Vec<&String> = exercise_asserts
        .iter()
        .filter(|a| !solution_asserts.contains(a))
        .collect();
    if !dropped.is_empty() {
        return problem(format!(
            "the solution {} drops or changes the exercise's check `{}`; a solution must keep \
             every assert! of the exercise, so that \"solved\" means the same to the reader and \
             to the tests",
            slash(&solution_path),
            dropped[0]
        ));
    }
    if output_shown || !exercise_asserts.is_empty() {
        return Vec::new();
    }
    problem(format!(
        "shows the exercise {path} without saying what solved means; include the output a \
         solution prints (```text {{{{#include {}}}}}) before the <details> that hides the \
         solution, or give the exercise an assert! in main that the solution keeps",
        relative_to_chapter(&chapter.path, &output)
    ))
}

/// What a tool reports about a listing is shown after it, in the same chapter: a C listing's
/// sanitizer report (after the listing), and a listing's `.valgrind` summary when it has one.
fn reports_shown_after_listings(
    chapter: &Chapter,
    listings: &Listings,
    fences_of_listings: &[(&Listing, usize)],
    fences_of_c_listings: &[(&CListing, usize)],
    included_at: &[(PathBuf, usize)],
    problems: &mut Vec<Problem>,
) {
    let after = |report: &Path, line: usize| {
        included_at
            .iter()
            .any(|(file, at)| file == report && *at > line)
    };
    for &(c, line) in fences_of_c_listings {
        let Some(report) = c.report() else {
            continue; // no single report beside it: reported by discovery
        };
        if !after(&report, line) {
            problems.push(
                Problem::new(
                    Rule::OutputShownWithListing,
                    &chapter.path,
                    format!(
                        "shows {} but not, after it, what its sanitizer reports; add ```text \
                         {{{{#include {}}}}} after the listing",
                        slash(&c.path),
                        relative_to_chapter(&chapter.path, &report)
                    ),
                )
                .at_line(line),
            );
        }
    }
    for &(listing, line) in fences_of_listings {
        let report = listing.path.with_extension(crate::valgrind::EXTENSION);
        if listings.snapshots.contains(&report) && !after(&report, line) {
            problems.push(
                Problem::new(
                    Rule::OutputShownWithListing,
                    &chapter.path,
                    format!(
                        "shows {} but not what valgrind memcheck reports about its memory (it has \
                         a .valgrind); add ```text {{{{#include {}}}}} after its output",
                        slash(&listing.path),
                        relative_to_chapter(&chapter.path, &report)
                    ),
                )
                .at_line(line),
            );
        }
    }
}

/// The listing a `{{#listing-ref chapter/name}}` names: `listings/chapter/name.rs`.
pub fn listing_of_ref(name: &str) -> PathBuf {
    Path::new("listings").join(format!("{}.rs", name.trim_end_matches(".rs")))
}

/// The path to write in `chapter` to include `target` (both relative to the root).
fn relative_to_chapter(chapter: &Path, target: &Path) -> String {
    let depth = chapter.components().count().saturating_sub(1);
    format!("{}{}", "../".repeat(depth), slash(target))
}

/// Compiler or runtime output typed into a fence by hand, if the body looks like some.
fn pasted_output(body: &str) -> Option<&'static str> {
    for line in body.lines().map(str::trim_start) {
        if line.starts_with("error[E") || (line.starts_with("error: ") && body.contains(" --> ")) {
            return Some("compiler errors");
        }
        if line.starts_with("warning: ") && body.contains(" --> ") {
            return Some("compiler warnings");
        }
        if line.starts_with("thread '") && line.contains("panicked at") {
            return Some("a panic message");
        }
        let headers = [
            "ERROR: AddressSanitizer:",
            "ERROR: LeakSanitizer:",
            "WARNING: ThreadSanitizer:",
        ];
        if headers.iter().any(|header| line.contains(header))
            || (line.starts_with("SUMMARY: ") && line.contains("Sanitizer: "))
        {
            return Some("a sanitizer's report");
        }
        let memcheck = line.trim_start_matches(|c: char| c == '=' || c.is_ascii_digit());
        let memcheck = memcheck.trim_start();
        if memcheck.starts_with("definitely lost: ")
            || memcheck.starts_with("LEAK SUMMARY:")
            || memcheck.starts_with("Memcheck, a memory error detector")
            || memcheck.starts_with("ERROR SUMMARY: ")
        {
            return Some("valgrind's output");
        }
    }
    None
}

/// Checks that an anchor or line range exists in the included text.
fn selection_exists(text: &str, selector: &Selector) -> Result<(), String> {
    match selector {
        Selector::Whole => Ok(()),
        Selector::Anchor(name) => {
            let marks = |tag: &str| {
                text.lines().any(|line| {
                    line.split_once(tag)
                        .is_some_and(|(_, rest)| rest.trim() == name)
                })
            };
            match (marks("ANCHOR:"), marks("ANCHOR_END:")) {
                (true, true) => Ok(()),
                (false, _) => Err(format!(
                    "anchor `{name}` is not defined; add `// ANCHOR: {name}` and `// ANCHOR_END: \
                     {name}` lines, or fix the name"
                )),
                (true, false) => Err(format!(
                    "anchor `{name}` is never closed; add `// ANCHOR_END: {name}`"
                )),
            }
        }
        Selector::Lines { start, end } => {
            let count = text.lines().count();
            let first = start.unwrap_or(1);
            let last = end.unwrap_or(count);
            if first == 0 || first > last || last > count {
                Err(format!(
                    "lines {first} to {last} are not within its {count} lines; prefer an anchor, \
                     which moves with the code"
                ))
            } else {
                Ok(())
            }
        }
    }
}
