//! The book on disk: its chapters (from `src/SUMMARY.md`) and path helpers.

use crate::markdown::{self, Parsed};
use crate::{Problem, Rule};
use pulldown_cmark::{Event, Parser, Tag};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// mdBook's "page not found" (its `output.html.input-404`, which defaults to `404.md`): rendered
/// as `404.html`, deliberately absent from the summary, and holding no code.
pub const NOT_FOUND_PAGE: &str = "src/404.md";

/// A chapter, read and parsed.
#[derive(Debug)]
pub struct Chapter {
    /// Relative to the book's root, e.g. `src/ownership.md`.
    pub path: PathBuf,
    pub parsed: Parsed,
    /// The Markdown as written, for checks that look at more than fences and directives.
    pub source: String,
}

/// The chapter files `SUMMARY.md` links to, in order, relative to the book's root. Draft
/// entries (`[Title]()`) have no file and are skipped.
pub fn summary_entries(root: &Path) -> io::Result<Vec<PathBuf>> {
    let summary = fs::read_to_string(root.join("src/SUMMARY.md"))?;
    let mut entries = Vec::new();
    for event in Parser::new(&summary) {
        if let Event::Start(Tag::Link { dest_url, .. }) = event {
            let dest = dest_url.split('#').next().unwrap_or_default();
            if !dest.is_empty() && !dest.contains("://") {
                entries.push(Path::new("src").join(dest));
            }
        }
    }
    Ok(entries)
}

/// Reads every chapter of the book. Problems with `SUMMARY.md` itself (a missing entry, a
/// Markdown file it does not list) are reported, not fatal.
pub fn load(root: &Path) -> (Vec<Chapter>, Vec<Problem>) {
    let mut problems = Vec::new();
    let entries = match summary_entries(root) {
        Ok(entries) => entries,
        Err(e) => {
            let problem = Problem::new(
                Rule::SummaryComplete,
                "src/SUMMARY.md",
                format!("cannot read it ({e}); every book needs one"),
            );
            return (Vec::new(), vec![problem]);
        }
    };

    let mut chapters = Vec::new();
    for path in &entries {
        match fs::read_to_string(root.join(path)) {
            Ok(source) => chapters.push(Chapter {
                path: path.clone(),
                parsed: markdown::parse(&source),
                source,
            }),
            Err(e) => problems.push(Problem::new(
                Rule::SummaryComplete,
                "src/SUMMARY.md",
                format!(
                    "links to {} which cannot be read ({e}); create the chapter or remove the entry",
                    slash(path)
                ),
            )),
        }
    }

    for file in files_under(root, Path::new("src")) {
        let is_markdown = file.extension().is_some_and(|e| e == "md");
        let special = file == Path::new("src/SUMMARY.md") || file == Path::new(NOT_FOUND_PAGE);
        if is_markdown && !special && !entries.contains(&file) {
            problems.push(Problem::new(
                Rule::SummaryComplete,
                file,
                "is not linked from src/SUMMARY.md, so readers never see it (and nothing in it \
                 is tested); add it to the summary or delete it",
            ));
        }
    }
    if let Ok(page) = fs::read_to_string(root.join(NOT_FOUND_PAGE))
        && let Some(fence) = markdown::parse(&page).fences.first()
    {
        problems.push(
            Problem::new(
                Rule::EveryRustFenceTested,
                NOT_FOUND_PAGE,
                "holds a code block, which no test checks (the page-not-found page is not a \
                 chapter); move the code to a chapter",
            )
            .at_line(fence.line),
        );
    }
    (chapters, problems)
}

/// Every file below `root/dir`, relative to `root`, sorted; hidden files and folders skipped.
pub fn files_under(root: &Path, dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(root.join(&dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let rel = dir.join(&name);
            match entry.file_type() {
                Ok(t) if t.is_dir() => pending.push(rel),
                Ok(_) => found.push(rel),
                Err(_) => {}
            }
        }
    }
    found.sort();
    found
}

/// Resolves `target` (as written in a chapter) against the chapter's folder, lexically.
pub fn resolve(chapter: &Path, target: &str) -> PathBuf {
    let base = chapter.parent().unwrap_or(Path::new(""));
    normalize(&base.join(target))
}

/// Removes `.` and `..` components without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A path with `/` separators, for messages that read the same on every platform.
pub fn slash(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_resolve_relative_to_the_chapter() {
        let chapter = Path::new("src/ownership.md");
        assert_eq!(
            resolve(chapter, "../listings/ownership/a.rs"),
            Path::new("listings/ownership/a.rs")
        );
        assert_eq!(
            resolve(Path::new("src/part/ch.md"), "./img/x.svg"),
            Path::new("src/part/img/x.svg")
        );
    }
}
