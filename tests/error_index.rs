//! The error code index (`src/appendix-error-index.md`) agrees with the listings: it has one row
//! per error code that some compile-fail listing fails with, no other rows, and its links lead to
//! the sections that show those listings and their fixes. (Reads files only; no compiler.)
//!
//! A listing's error code is its *primary* error: the first `error[E....]` line of its
//! `.stderr`. Crate folders under `listings/` (folders with a `Cargo.toml`) are skipped.
//!
//! The appendix is a Markdown table, one row per code, in ascending order:
//!
//! ```text
//! | Code  | Error                      | Reproduced in                        | Fixed in                             |
//! |-------|----------------------------|--------------------------------------|--------------------------------------|
//! | E0106 | missing lifetime specifier | [Lifetimes › …](lifetimes.md#anchor) | [Lifetimes › …](lifetimes.md#anchor) |
//! ```
//!
//! * Code: `E` and four digits (backticks allowed).
//! * Error: free text, not empty.
//! * Reproduced in: one or more links `[text](chapter.md#heading-id)`, one for *every* section
//!   that shows a listing failing with this code (the innermost heading above the listing's
//!   fence; a listing shown before any `##` heading needs a link to its chapter). A section that
//!   shows such a listing and is not linked fails the test, with the link to add. Each link must
//!   point to a section (the heading and its subsections) that shows a listing failing with this
//!   code, and at least one must name a section (`#heading-id`), not only a chapter.
//! * Fixed in: one or more links of the same form; each must point to a section that shows a
//!   passing listing (or crate code).
//!
//! Heading ids are computed as mdBook 0.5 computes them (lower case, spaces to `-`, other
//! punctuation dropped, `-1`, `-2`… for repeats), or taken from an explicit `{#id}`.
//!
//! When a check fails, the message ends with the whole table the listings call for, to paste
//! over the old one: every section in Reproduced in; as Fixed in, each of those sections that
//! also shows a passing listing, plus the other Fixed in links of the current row that are still
//! valid; the Error text of the current row, or for a new code the listing's message (edit it
//! into a general title).

use book_harness::book::{self, Chapter, resolve, slash};
use book_harness::listing::{self, Kind};
use book_harness::markdown;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const APPENDIX: &str = "src/appendix-error-index.md";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------------------------
// What the listings and chapters say
// ---------------------------------------------------------------------------------------------

/// A compile-fail listing's primary error.
#[derive(Clone, Debug)]
struct Failure {
    /// `E0382`.
    code: String,
    /// The rest of the line: `borrow of moved value: `s``.
    message: String,
    /// The `.stderr` file, relative to the root.
    stderr: PathBuf,
}

/// A heading of a chapter, with the id mdBook gives it and the lines its section covers.
#[derive(Clone, Debug)]
struct Heading {
    level: usize,
    /// As a reader sees it (`Arc<T>: shared`), for messages.
    text: String,
    /// As written (`` `Arc<T>`: shared ``), for suggested link texts.
    markdown: String,
    id: String,
    /// 1-based line of the heading.
    line: usize,
    /// 1-based line where the section ends (exclusive): the next heading of the same or a
    /// higher level, or the end of the file.
    end: usize,
}

impl Heading {
    fn contains(&self, line: usize) -> bool {
        self.line < line && line < self.end
    }
}

/// What a chapter shows: its headings, and each included file with the line of its fence.
#[derive(Debug)]
struct ChapterView {
    path: PathBuf,
    title: String,
    headings: Vec<Heading>,
    /// (file included, relative to the root; line of the fence).
    includes: Vec<(PathBuf, usize)>,
}

impl ChapterView {
    fn heading(&self, id: &str) -> Option<&Heading> {
        self.headings.iter().find(|h| h.id == id)
    }

    /// The innermost section holding `line`.
    fn innermost_section(&self, line: usize) -> Option<&Heading> {
        self.headings
            .iter()
            .filter(|h| h.contains(line))
            .max_by_key(|h| h.line)
    }
}

struct Book {
    /// Primary error of every compile-fail listing, keyed by its `.rs` path.
    failures: BTreeMap<PathBuf, Failure>,
    chapters: Vec<ChapterView>,
    /// Files that are passing listings or crate code: what a fix can be shown with.
    passing: BTreeSet<PathBuf>,
}

impl Book {
    fn chapter(&self, path: &Path) -> Option<&ChapterView> {
        self.chapters.iter().find(|c| c.path == path)
    }

    /// Every code, with the places (chapter, innermost section, fence line) showing a listing
    /// that fails with it: main-text listings before exercises, then in reading order. Codes of
    /// listings no chapter shows have an empty list.
    fn codes(&self) -> BTreeMap<String, Vec<Shown<'_>>> {
        let mut codes: BTreeMap<String, Vec<Shown<'_>>> = BTreeMap::new();
        for failure in self.failures.values() {
            codes.entry(failure.code.clone()).or_default();
        }
        for chapter in &self.chapters {
            for (file, line) in &chapter.includes {
                if let Some(failure) = self.failures.get(file) {
                    codes.entry(failure.code.clone()).or_default().push(Shown {
                        chapter,
                        section: chapter.innermost_section(*line),
                        line: *line,
                        failure,
                    });
                }
            }
        }
        for places in codes.values_mut() {
            places.sort_by_key(|p| is_exercise(&p.failure.stderr)); // stable: keeps book order
        }
        codes
    }
}

fn is_exercise(listing: &Path) -> bool {
    listing
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("exercise_"))
}

/// One place a listing with a given code is shown.
struct Shown<'a> {
    chapter: &'a ChapterView,
    section: Option<&'a Heading>,
    line: usize,
    failure: &'a Failure,
}

fn load_book() -> &'static Book {
    static BOOK: OnceLock<Book> = OnceLock::new();
    BOOK.get_or_init(|| {
        let root = root();
        let listings = listing::discover(root);
        let mut failures = BTreeMap::new();
        for file in book::files_under(root, Path::new("listings")) {
            let is_stderr = file.extension().is_some_and(|e| e == "stderr");
            if !is_stderr || listings.crate_of(&file).is_some() {
                continue;
            }
            let text = fs::read_to_string(root.join(&file))
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", slash(&file)));
            if let Some((code, message)) = primary_error(&text) {
                failures.insert(
                    file.with_extension("rs"),
                    Failure {
                        code,
                        message,
                        stderr: file,
                    },
                );
            }
        }

        let mut passing: BTreeSet<PathBuf> = listings
            .of_kind(Kind::Runs)
            .map(|l| l.path.clone())
            .collect();
        for (_, files) in &listings.crates {
            passing.extend(files.iter().cloned());
        }

        let (chapters, _summary_problems) = book::load(root); // book_integrity reports those
        let chapters = chapters
            .iter()
            .map(|c| {
                let source = fs::read_to_string(root.join(&c.path)).unwrap_or_default();
                view(c, &source)
            })
            .collect();
        Book {
            failures,
            chapters,
            passing,
        }
    })
}

/// The code and message of the first `error[E....]: ...` line.
fn primary_error(stderr: &str) -> Option<(String, String)> {
    stderr.lines().find_map(|line| {
        let rest = line.trim_start().strip_prefix("error[")?;
        let (code, message) = rest.split_once("]")?;
        is_code(code).then(|| {
            let message = message.strip_prefix(':').unwrap_or(message).trim();
            (code.to_owned(), message.to_owned())
        })
    })
}

fn is_code(s: &str) -> bool {
    s.len() == 5 && s.starts_with('E') && s[1..].bytes().all(|b| b.is_ascii_digit())
}

fn view(chapter: &Chapter, source: &str) -> ChapterView {
    let mut includes = Vec::new();
    for fence in &chapter.parsed.fences {
        for directive in &fence.directives {
            includes.push((resolve(&chapter.path, &directive.path), fence.line));
        }
    }
    let headings = headings(source, &fence_lines(&chapter.parsed));
    let title = headings
        .iter()
        .find(|h| h.level == 1)
        .map_or_else(|| slash(&chapter.path), |h| h.markdown.clone());
    ChapterView {
        path: chapter.path.clone(),
        title,
        headings,
        includes,
    }
}

/// The 1-based lines inside fenced code blocks (fences included).
fn fence_lines(parsed: &markdown::Parsed) -> BTreeSet<usize> {
    let mut lines = BTreeSet::new();
    for fence in &parsed.fences {
        let body_lines = fence.body.lines().count();
        lines.extend(fence.line..=fence.line + body_lines + 1);
    }
    lines
}

/// The ATX headings (`## Title`) outside code blocks, with mdBook's ids and their sections.
fn headings(source: &str, in_fence: &BTreeSet<usize>) -> Vec<Heading> {
    let mut found: Vec<Heading> = Vec::new();
    let mut used = BTreeSet::new();
    let last_line = source.lines().count() + 1;
    for (i, raw) in source.lines().enumerate() {
        let line = i + 1;
        if in_fence.contains(&line) {
            continue;
        }
        let Some((level, markdown, explicit_id)) = atx_heading(raw) else {
            continue;
        };
        let text = plain_text(&markdown);
        let id = explicit_id.unwrap_or_else(|| unique_id(&id_from_content(&text), &mut used));
        found.push(Heading {
            level,
            text,
            markdown,
            id,
            line,
            end: last_line,
        });
    }
    for i in 0..found.len() {
        let level = found[i].level;
        if let Some(next) = found[i + 1..].iter().find(|h| h.level <= level) {
            found[i].end = next.line;
        }
    }
    found
}

/// `## Some `code` title {#id}` → (2, "Some `code` title", Some("id")).
///
/// The title is returned as written; [`plain_text`] gives what the reader sees.
fn atx_heading(line: &str) -> Option<(usize, String, Option<String>)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let line = line.trim();
    let level = line.len() - line.trim_start_matches('#').len();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &line[level..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None;
    }
    let mut rest = rest.trim().trim_end_matches('#').trim_end().to_owned();
    let mut explicit_id = None;
    if rest.ends_with('}')
        && let Some(open) = rest.rfind("{#")
    {
        let id = rest[open + 2..rest.len() - 1].trim();
        explicit_id = id.split_whitespace().next().map(str::to_owned);
        rest.truncate(open);
    }
    Some((level, rest.trim().to_owned(), explicit_id))
}

/// The text a reader sees: inline code without backticks, links without their targets,
/// emphasis without asterisks.
fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut chars = markdown.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' | '*' => {}
            '[' => {}
            ']' if chars.peek() == Some(&'(') => {
                for c in chars.by_ref() {
                    if c == ')' {
                        break;
                    }
                }
            }
            ']' => {}
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// mdBook 0.5's `id_from_content`.
fn id_from_content(content: &str) -> String {
    content
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|ch| {
            if ch.is_alphanumeric() || ch == '_' || ch == '-' {
                Some(ch)
            } else if ch.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// mdBook 0.5's `unique_id`: repeats get `-1`, `-2`, ...
fn unique_id(id: &str, used: &mut BTreeSet<String>) -> String {
    if used.insert(id.to_owned()) {
        return id.to_owned();
    }
    (1..)
        .map(|n| format!("{id}-{n}"))
        .find(|candidate| used.insert(candidate.clone()))
        .expect("some suffix is free")
}

// ---------------------------------------------------------------------------------------------
// What the appendix says
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Row {
    /// 1-based line in the appendix.
    line: usize,
    code: String,
    title: String,
    reproduced: Vec<Link>,
    fixed: Vec<Link>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Link {
    /// The link text, e.g. `Ownership › Moves`.
    text: String,
    /// As written, e.g. `ownership.md#use-after-move`.
    target: String,
    /// The chapter it resolves to, relative to the root (`src/ownership.md`).
    chapter: PathBuf,
    /// The part after `#`, if any.
    anchor: Option<String>,
}

struct Appendix {
    rows: Vec<Row>,
    /// Lines that look like a row but cannot be read, with the reason.
    malformed: Vec<(usize, String)>,
}

fn load_appendix() -> &'static Appendix {
    static APPENDIX_ROWS: OnceLock<Appendix> = OnceLock::new();
    APPENDIX_ROWS.get_or_init(|| {
        let source = fs::read_to_string(root().join(APPENDIX))
            .unwrap_or_else(|e| panic!("cannot read {APPENDIX}: {e}"));
        parse_appendix(&source)
    })
}

fn parse_appendix(source: &str) -> Appendix {
    let in_fence = fence_lines(&markdown::parse(source));
    let mut appendix = Appendix {
        rows: Vec::new(),
        malformed: Vec::new(),
    };
    for (i, raw) in source.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if in_fence.contains(&line) || !trimmed.starts_with('|') {
            continue;
        }
        let cells = table_cells(trimmed);
        let first = cells.first().map_or("", |c| c.trim_matches('`'));
        let mut chars = first.chars();
        if chars.next() != Some('E') || !chars.next().is_some_and(|c| c.is_ascii_digit()) {
            continue; // the header, the delimiter row, or another table
        }
        match parse_row(line, &cells) {
            Ok(row) => appendix.rows.push(row),
            Err(why) => appendix.malformed.push((line, why)),
        }
    }
    appendix
}

/// The cells of a table row, trimmed (outer pipes removed; `\|` is not a separator).
fn table_cells(row: &str) -> Vec<String> {
    let inner = row.strip_prefix('|').unwrap_or(row);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = vec![String::new()];
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let cell = cells.last_mut().expect("never empty");
                cell.push(c);
                cell.extend(chars.next());
            }
            '|' => cells.push(String::new()),
            c => cells.last_mut().expect("never empty").push(c),
        }
    }
    cells.iter().map(|c| c.trim().to_owned()).collect()
}

fn parse_row(line: usize, cells: &[String]) -> Result<Row, String> {
    let [code, title, reproduced, fixed] = cells else {
        return Err(format!(
            "has {} cells; a row has 4: | Code | Error | Reproduced in | Fixed in |",
            cells.len()
        ));
    };
    let code = code.trim_matches('`');
    if !is_code(code) {
        return Err(format!(
            "starts with `{code}`, which is not an error code (E and four digits)"
        ));
    }
    if title.is_empty() {
        return Err(format!(
            "{code} has an empty Error column; say what the error is"
        ));
    }
    let reproduced =
        links(reproduced).map_err(|why| format!("{code}: the Reproduced in column {why}"))?;
    let fixed = links(fixed).map_err(|why| format!("{code}: the Fixed in column {why}"))?;
    Ok(Row {
        line,
        code: code.to_owned(),
        title: title.clone(),
        reproduced,
        fixed,
    })
}

/// Every `[text](target)` of a cell; at least one.
fn links(cell: &str) -> Result<Vec<Link>, String> {
    let mut found = Vec::new();
    let mut rest = cell;
    while let Some(start) = rest.find("](") {
        let text = rest[..start]
            .rfind('[')
            .map_or("", |open| &rest[open + 1..start])
            .to_owned();
        let after = &rest[start + 2..];
        let Some(end) = after.find(')') else {
            return Err(format!("has an unclosed link: `{cell}`"));
        };
        let target = after[..end].trim();
        let (file, anchor) = match target.split_once('#') {
            Some((file, anchor)) => (file, Some(anchor.to_owned())),
            None => (target, None),
        };
        found.push(Link {
            text,
            target: target.to_owned(),
            chapter: resolve(Path::new(APPENDIX), file),
            anchor,
        });
        rest = &after[end + 1..];
    }
    if found.is_empty() {
        return Err(format!(
            "has no link; write one like [Chapter › Section](chapter.md#section-id), found `{cell}`"
        ));
    }
    Ok(found)
}

// ---------------------------------------------------------------------------------------------
// The expected table
// ---------------------------------------------------------------------------------------------

/// The row the listings call for, for a code: a Reproduced in link for every section that shows
/// a listing failing with it; as Fixed in, every one of those sections that also shows a passing
/// listing. What a person wrote is kept where it is still right: the Error text of an existing
/// row, and its other Fixed in links that still lead to a passing listing. A new row's Error is
/// the first listing's message (edit it into a general title).
fn expected_row(book: &Book, code: &str, places: &[Shown<'_>], existing: Option<&Row>) -> String {
    let Some(first) = places.first() else {
        return format!(
            "| {code} | ... | (no chapter shows a listing failing with {code} yet) | ... |"
        );
    };
    let title = existing.map_or_else(
        || first.failure.message.replace('|', "\\|"),
        |row| row.title.clone(),
    );
    let mut reproduced: Vec<String> = Vec::new();
    for place in places {
        let link = link_to(place);
        if !reproduced.contains(&link) {
            reproduced.push(link);
        }
    }
    // Every reproducing section that also shows a passing listing (the fix beside the error),
    // then the other sections the row already names, if they still show one.
    let mut fixed: Vec<(String, String)> = Vec::new(); // (target, link as written)
    for place in places {
        let section = place.section.filter(|s| s.level > 1);
        if shows_passing(book, place.chapter, section) {
            let target = link_target(place);
            if !fixed.iter().any(|(t, _)| *t == target) {
                fixed.push((target, link_to(place)));
            }
        }
    }
    for link in existing.into_iter().flat_map(|row| &row.fixed) {
        let valid = check_link(book, link, "", |c, s| shows_passing(book, c, s)).is_ok();
        if valid && !fixed.iter().any(|(t, _)| *t == link.target) {
            fixed.push((
                link.target.clone(),
                format!("[{}]({})", link.text, link.target),
            ));
        }
    }
    let mut fixed: Vec<String> = fixed.into_iter().map(|(_, link)| link).collect();
    if fixed.is_empty() {
        // No section that reproduces the error shows a fix: the Fixed in check will say so.
        fixed.push(link_to(first));
    }
    format!(
        "| {code} | {title} | {} | {} |",
        reproduced.join(", "),
        fixed.join(", ")
    )
}

/// Does the section (or, for `None`, the chapter) show a passing listing or crate code?
fn shows_passing(book: &Book, chapter: &ChapterView, section: Option<&Heading>) -> bool {
    chapter.includes.iter().any(|(file, line)| {
        book.passing.contains(file) && section.is_none_or(|s| s.contains(*line))
    })
}

fn link_to(shown: &Shown<'_>) -> String {
    match shown.section {
        Some(section) if section.level > 1 => format!(
            "[{} › {}]({})",
            shown.chapter.title,
            section.markdown,
            link_target(shown)
        ),
        _ => format!("[{}]({})", shown.chapter.title, link_target(shown)),
    }
}

/// `chapter.md#section-id` (or `chapter.md` for a listing above the first `##` heading).
fn link_target(shown: &Shown<'_>) -> String {
    let file = shown
        .chapter
        .path
        .strip_prefix("src")
        .map(slash)
        .unwrap_or_else(|_| slash(&shown.chapter.path));
    match shown.section {
        Some(section) if section.level > 1 => format!("{file}#{}", section.id),
        _ => file,
    }
}

fn expected_table(book: &Book, appendix: &Appendix) -> String {
    let mut table = String::from(
        "| Code | Error | Reproduced in | Fixed in |\n|------|-------|---------------|----------|\n",
    );
    for (code, places) in book.codes() {
        let existing = appendix.rows.iter().find(|r| r.code == code);
        table.push_str(&expected_row(book, &code, &places, existing));
        table.push('\n');
    }
    table
}

fn fail_with(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "\n{APPENDIX} is out of date:\n\n{}\n\nThe whole table the listings call for (paste it over \
         the old one; for a new code, edit the Error column into a general title):\n\n{}\n",
        problems.join("\n"),
        expected_table(load_book(), load_appendix())
    );
}

// ---------------------------------------------------------------------------------------------
// The invariants
// ---------------------------------------------------------------------------------------------

#[test]
fn every_error_code_a_listing_fails_with_has_a_row_in_the_index() {
    let book = load_book();
    let listed: BTreeSet<&str> = load_appendix()
        .rows
        .iter()
        .map(|r| r.code.as_str())
        .collect();
    let mut problems = Vec::new();
    for (code, places) in book.codes() {
        if listed.contains(code.as_str()) {
            continue;
        }
        let listings: Vec<String> = book
            .failures
            .values()
            .filter(|f| f.code == code)
            .map(|f| slash(&f.stderr))
            .collect();
        problems.push(format!(
            "{code} is missing (failing with it: {}); add the row\n    {}",
            listings.join(", "),
            expected_row(book, &code, &places, None)
        ));
    }
    fail_with(&problems);
}

#[test]
fn every_row_of_the_index_is_a_code_some_listing_fails_with() {
    let produced: BTreeSet<String> = load_book().codes().into_keys().collect();
    let problems: Vec<String> = load_appendix()
        .rows
        .iter()
        .filter(|row| !produced.contains(&row.code))
        .map(|row| {
            format!(
                "{APPENDIX}:{}: {} is stale: no .stderr under listings/ starts with \
                 error[{}]; remove the row",
                row.line, row.code, row.code
            )
        })
        .collect();
    fail_with(&problems);
}

#[test]
fn rows_of_the_index_are_well_formed_unique_and_in_code_order() {
    let appendix = load_appendix();
    let mut problems: Vec<String> = appendix
        .malformed
        .iter()
        .map(|(line, why)| format!("{APPENDIX}:{line}: this row {why}"))
        .collect();
    for pair in appendix.rows.windows(2) {
        if pair[0].code >= pair[1].code {
            problems.push(format!(
                "{APPENDIX}:{}: {} comes after {}; keep one row per code, in ascending order",
                pair[1].line, pair[1].code, pair[0].code
            ));
        }
    }
    fail_with(&problems);
}

#[test]
fn every_reproduced_in_link_leads_to_a_section_showing_a_listing_with_that_code() {
    let book = load_book();
    let codes = book.codes();
    let mut problems = Vec::new();
    for row in &load_appendix().rows {
        let Some(places) = codes.get(&row.code) else {
            continue; // stale: reported by its own test
        };
        for link in &row.reproduced {
            let lacking = format!("no listing failing with {} is shown", row.code);
            let verdict = check_link(book, link, &lacking, |chapter, section| {
                places.iter().any(|p| {
                    p.chapter.path == chapter.path && section.is_none_or(|s| s.contains(p.line))
                })
            });
            if let Err(why) = verdict {
                let suggestion = places
                    .first()
                    .map(|p| format!("; link to {}", link_to(p)))
                    .unwrap_or_default();
                problems.push(format!(
                    "{APPENDIX}:{}: {}: the Reproduced in link ({}) {why}{suggestion}",
                    row.line, row.code, link.target
                ));
            }
        }
        if row.reproduced.iter().all(|l| l.anchor.is_none()) {
            problems.push(format!(
                "{APPENDIX}:{}: {}: link to the section, not only the chapter (add #heading-id)",
                row.line, row.code
            ));
        }
    }
    fail_with(&problems);
}

#[test]
fn every_fixed_in_link_leads_to_a_section_showing_a_passing_listing() {
    let book = load_book();
    let mut problems = Vec::new();
    for row in &load_appendix().rows {
        for link in &row.fixed {
            let lacking = "no passing listing (the fix) is shown";
            let verdict = check_link(book, link, lacking, |chapter, section| {
                shows_passing(book, chapter, section)
            });
            if let Err(why) = verdict {
                problems.push(format!(
                    "{APPENDIX}:{}: {}: the Fixed in link ({}) {why}; link to the section that \
                     shows the fix",
                    row.line, row.code, link.target
                ));
            }
        }
    }
    fail_with(&problems);
}

#[test]
fn every_section_showing_a_listing_failing_with_a_code_is_linked_from_its_row() {
    fail_with(&unlinked_sections(load_book(), load_appendix()));
}

/// The sections that show a listing failing with a code but are missing from that code's
/// Reproduced in column, one problem per section, naming the code, the section, a listing it
/// shows, and the link to add. (Codes without a row are reported by their own test.)
fn unlinked_sections(book: &Book, appendix: &Appendix) -> Vec<String> {
    let mut problems = Vec::new();
    for (code, places) in book.codes() {
        let Some(row) = appendix.rows.iter().find(|r| r.code == code) else {
            continue;
        };
        let mut reported: Vec<String> = Vec::new();
        for place in &places {
            // The innermost section; a listing above the first `##` belongs to the chapter.
            let section = place.section.filter(|s| s.level > 1);
            let linked = row.reproduced.iter().any(|link| {
                link.chapter == place.chapter.path
                    && match (section, &link.anchor) {
                        (Some(section), Some(anchor)) => *anchor == section.id,
                        (Some(_), None) => false,
                        (None, anchor) => anchor
                            .as_ref()
                            .is_none_or(|a| place.chapter.heading(a).is_some_and(|h| h.level == 1)),
                    }
            });
            let link = link_to(place);
            if linked || reported.contains(&link) {
                continue;
            }
            let name = section.map_or_else(
                || place.chapter.title.clone(),
                |s| format!("{} › {}", place.chapter.title, s.text),
            );
            problems.push(format!(
                "{APPENDIX}:{}: {code}: the section \"{name}\" ({}:{}) shows {} failing with {code}, \
                 but the Reproduced in column does not link to it; add {link}",
                row.line,
                slash(&place.chapter.path),
                place.line,
                slash(&place.failure.stderr.with_extension("rs")),
            ));
            reported.push(link);
        }
    }
    problems
}

#[test]
fn a_section_missing_from_a_row_is_reported_with_the_link_to_add() {
    let book = load_book();
    let source = fs::read_to_string(root().join(APPENDIX)).expect("the appendix is readable");
    let appendix = parse_appendix(&source);
    // Take a row with two or more Reproduced in links and drop its last one.
    let row = appendix
        .rows
        .iter()
        .find(|r| r.reproduced.len() >= 2)
        .expect("some row links to two sections");
    let dropped = row.reproduced.last().expect("two links");
    let written = format!(", [{}]({})", dropped.text, dropped.target);
    let line = source.lines().nth(row.line - 1).expect("the row's line");
    assert!(
        line.contains(&written),
        "expected `{written}` in the row of {}",
        row.code
    );
    let broken = source.replacen(line, &line.replacen(&written, "", 1), 1);
    let before = unlinked_sections(book, &appendix);
    let after = unlinked_sections(book, &parse_appendix(&broken));
    let new: Vec<&String> = after.iter().filter(|p| !before.contains(p)).collect();
    assert_eq!(
        new.len(),
        1,
        "dropping {written} should add one problem: {new:#?}"
    );
    let problem = new[0];
    assert!(problem.contains(&format!(" {}: ", row.code)), "{problem}");
    assert!(
        problem.contains(&format!("({})", dropped.target)),
        "{problem}"
    );
    assert!(problem.contains("add ["), "{problem}");
}

#[test]
fn the_table_printed_on_failure_passes_every_check() {
    let book = load_book();
    let table = format!(
        "# Error code index\n\n{}",
        expected_table(book, load_appendix())
    );
    let expected = parse_appendix(&table);
    assert!(expected.malformed.is_empty(), "{:?}", expected.malformed);
    assert_eq!(
        expected.rows.len(),
        book.codes().len(),
        "one row per code:\n{table}"
    );
    let unlinked = unlinked_sections(book, &expected);
    assert!(unlinked.is_empty(), "{unlinked:#?}\n{table}");
    for row in &expected.rows {
        for link in &row.fixed {
            let fixed = check_link(book, link, "no fix", |c, s| shows_passing(book, c, s));
            assert!(fixed.is_ok(), "{}: {fixed:?}\n{table}", row.code);
        }
    }
}

/// Resolves a link to a chapter and section, then asks `shows` whether that section (or the
/// whole chapter, for a link without an anchor) has what the column promises; `lacking` says
/// what is missing when it does not.
fn check_link(
    book: &Book,
    link: &Link,
    lacking: &str,
    shows: impl Fn(&ChapterView, Option<&Heading>) -> bool,
) -> Result<(), String> {
    let Some(chapter) = book.chapter(&link.chapter) else {
        return Err(format!(
            "resolves to {}, which is not a chapter of src/SUMMARY.md",
            slash(&link.chapter)
        ));
    };
    let section = match &link.anchor {
        None => None,
        Some(anchor) => match chapter.heading(anchor) {
            Some(heading) => Some(heading),
            None => {
                let ids: Vec<&str> = chapter.headings.iter().map(|h| h.id.as_str()).collect();
                return Err(format!(
                    "names no heading of {} (its heading ids: {})",
                    slash(&chapter.path),
                    ids.join(", ")
                ));
            }
        },
    };
    if shows(chapter, section) {
        Ok(())
    } else {
        Err(format!(
            "leads to {}, where {lacking}",
            section.map_or_else(
                || slash(&chapter.path),
                |s| format!("the section \"{}\" of {}", s.text, slash(&chapter.path))
            )
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// The parsing this test relies on
// ---------------------------------------------------------------------------------------------

#[test]
fn heading_ids_follow_mdbook() {
    let source = "# Title\n\n```text\n# not a heading\n```\n\n## `RefCell`, borrowed twice!\n\n\
                  ### Fix it\n\n## Fix it\n\n## Custom {#my-id}\n\n####### seven\n";
    let parsed = markdown::parse(source);
    let found = headings(source, &fence_lines(&parsed));
    let ids: Vec<(&str, usize, usize)> = found
        .iter()
        .map(|h| (h.id.as_str(), h.line, h.end))
        .collect();
    assert_eq!(
        ids,
        [
            ("title", 1, 16),
            ("refcell-borrowed-twice", 7, 11),
            ("fix-it", 9, 11),
            ("fix-it-1", 11, 13),
            ("my-id", 13, 16),
        ]
    );
}

#[test]
fn the_row_format_is_read_as_documented() {
    let appendix = parse_appendix(
        "# Error code index\n\n| Code | Error | Reproduced in | Fixed in |\n|---|---|---|---|\n\
         | `E0382` | use of a moved value | [Ownership › Moves](ownership.md#moves) | \
         [a](ownership.md#a), [b](borrowing.md) |\n| E123 | x | [a](a.md) | [a](a.md) |\n\
         | E0499 | two mutable borrows | no link | [a](a.md) |\n",
    );
    assert_eq!(appendix.rows.len(), 1);
    let row = &appendix.rows[0];
    assert_eq!((row.line, row.code.as_str()), (5, "E0382"));
    assert_eq!(row.title, "use of a moved value");
    assert_eq!(row.reproduced[0].chapter, Path::new("src/ownership.md"));
    assert_eq!(row.reproduced[0].anchor.as_deref(), Some("moves"));
    assert_eq!(row.fixed.len(), 2);
    assert_eq!(row.fixed[1].anchor, None);
    let bad: Vec<usize> = appendix.malformed.iter().map(|(line, _)| *line).collect();
    assert_eq!(bad, [6, 7]);
}

#[test]
fn the_primary_error_is_the_first_coded_error() {
    let stderr = "warning: unused\nerror: aborting\nerror[E0499]: cannot borrow `x` twice\n\
                  error[E0502]: later\n";
    assert_eq!(
        primary_error(stderr),
        Some(("E0499".into(), "cannot borrow `x` twice".into()))
    );
    assert_eq!(primary_error("error: linking failed\n"), None);
}
