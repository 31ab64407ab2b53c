//! Fenced code blocks and mdBook `{{#include}}` directives, found with a real CommonMark parser.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// A fenced code block as mdBook will see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fence {
    /// 1-based line of the opening fence.
    pub line: usize,
    /// 1-based line of the closing fence (the last line of the block if it is never closed).
    pub end_line: usize,
    /// The info string's words (mdBook and rustdoc split it on commas and white space); the
    /// first is the language.
    pub words: Vec<String>,
    /// The block's text, as written (directives not expanded).
    pub body: String,
    /// The directives inside the block.
    pub directives: Vec<Directive>,
}

impl Fence {
    pub fn language(&self) -> Option<&str> {
        self.words.first().map(String::as_str)
    }

    pub fn is_rust(&self) -> bool {
        self.language() == Some("rust")
    }

    pub fn has(&self, word: &str) -> bool {
        self.words.iter().any(|w| w == word)
    }

    /// True when the block is exactly one directive and nothing else.
    pub fn is_single_directive(&self) -> bool {
        match self.directives.as_slice() {
            [only] => self.body.trim() == only.text,
            _ => false,
        }
    }
}

/// Which mdBook directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    /// `{{#include}}`: the selected text, verbatim.
    Include,
    /// `{{#rustdoc_include}}`: the whole file, with lines outside the selection hidden.
    RustdocInclude,
    /// `{{#quiz file.toml}}`, expanded by mdbook-quiz; the quiz tests check the file.
    Quiz,
    /// `{{#listing-ref chapter/name}}`: "Listing 4-2", linked, for `listings/chapter/name.rs`;
    /// expanded by the book's own preprocessor (`preprocessor/`).
    ListingRef,
    /// Anything else (`{{#playground}}`, `{{#title}}`, a preprocessor's own).
    Other(String),
}

/// Which part of the file an include selects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    Whole,
    /// `file:NAME`, between `ANCHOR: NAME` and `ANCHOR_END: NAME`.
    Anchor(String),
    /// `file:START:END`, `file:START:`, `file::END` or `file:LINE` (1-based, inclusive).
    Lines {
        start: Option<usize>,
        end: Option<usize>,
    },
}

/// One `{{#name args}}` directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// 1-based line in the chapter.
    pub line: usize,
    pub kind: DirectiveKind,
    /// The path as written, relative to the chapter's folder.
    pub path: String,
    pub selector: Selector,
    /// The directive's full text, `{{#...}}`.
    pub text: String,
}

/// A chapter's fences, and the directives that stand outside any fence.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub fences: Vec<Fence>,
    pub loose_directives: Vec<Directive>,
}

/// Finds every fenced code block and every directive in a Markdown source.
pub fn parse(source: &str) -> Parsed {
    let lines = LineIndex::new(source);
    let mut fences = Vec::new();
    let mut fence_ranges: Vec<Range<usize>> = Vec::new();
    let mut open: Option<(usize, Vec<String>, String)> = None;

    for (event, range) in Parser::new_ext(source, Options::empty()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                open = Some((range.start, split_info(&info), String::new()));
            }
            Event::Text(text) => {
                if let Some((_, _, body)) = open.as_mut() {
                    body.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((start, words, body)) = open.take() {
                    fence_ranges.push(start..range.end);
                    fences.push(Fence {
                        line: lines.line_of(start),
                        end_line: lines.line_of(range.end.saturating_sub(1).max(start)),
                        words,
                        body,
                        directives: Vec::new(),
                    });
                }
            }
            _ => {}
        }
    }

    let mut loose_directives = Vec::new();
    for (offset, directive) in directives(source, &lines) {
        match fence_ranges.iter().position(|r| r.contains(&offset)) {
            Some(i) => fences[i].directives.push(directive),
            None => loose_directives.push(directive),
        }
    }
    Parsed {
        fences,
        loose_directives,
    }
}

/// The info string's words, split as mdBook splits them into CSS classes.
pub fn split_info(info: &str) -> Vec<String> {
    info.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Every unescaped `{{#...}}` in `source`, with its byte offset.
fn directives(source: &str, lines: &LineIndex) -> Vec<(usize, Directive)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(pos) = source[from..].find("{{#") {
        let start = from + pos;
        from = start + 3;
        if start > 0 && source.as_bytes()[start - 1] == b'\\' {
            continue; // `\{{#include}}` is mdBook's escape: shown literally.
        }
        let Some(len) = source[start..].find("}}") else {
            break;
        };
        let text = &source[start..start + len + 2];
        let inner = text[3..text.len() - 2].trim();
        let (name, args) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
        let kind = match name {
            "include" => DirectiveKind::Include,
            "rustdoc_include" => DirectiveKind::RustdocInclude,
            "quiz" => DirectiveKind::Quiz,
            "listing-ref" => DirectiveKind::ListingRef,
            other => DirectiveKind::Other(other.to_owned()),
        };
        let (path, selector) = parse_target(args.trim());
        found.push((
            start,
            Directive {
                line: lines.line_of(start),
                kind,
                path,
                selector,
                text: text.to_owned(),
            },
        ));
        from = start + len + 2;
    }
    found
}

/// Splits `path:selector` the way mdBook does.
fn parse_target(args: &str) -> (String, Selector) {
    let mut parts = args.splitn(3, ':');
    let path = parts.next().unwrap_or_default().to_owned();
    let first = parts.next();
    let second = parts.next();
    let number = |s: &str| s.trim().parse::<usize>().ok();
    let selector = match (first, second) {
        (None, _) => Selector::Whole,
        (Some(a), None) => match number(a) {
            Some(n) => Selector::Lines {
                start: Some(n),
                end: Some(n),
            },
            None if a.trim().is_empty() => Selector::Whole,
            None => Selector::Anchor(a.trim().to_owned()),
        },
        (Some(a), Some(b)) => Selector::Lines {
            start: number(a),
            end: number(b),
        },
    };
    (path, selector)
}

/// Maps byte offsets to 1-based line numbers.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(source: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

/// The Markdown with every Rust fence that is not an inline snippet turned into a `text` fence,
/// line for line, so that skeptic (which tests every `rust` fence it finds) sees exactly the
/// inline snippets, under the same line numbers as in the chapter.
pub fn inline_snippets_only(source: &str) -> String {
    let parsed = parse(source);
    let relabel: Vec<usize> = parsed
        .fences
        .iter()
        .filter(|f| f.is_rust() && !f.directives.is_empty())
        .map(|f| f.line)
        .collect();
    let mut out = String::with_capacity(source.len());
    for (i, line) in source.split_inclusive('\n').enumerate() {
        if relabel.contains(&(i + 1)) {
            let fence_end = line
                .char_indices()
                .find(|&(_, c)| !(c == '`' || c == '~' || c == ' ' || c == '>'))
                .map_or(line.len(), |(i, _)| i);
            out.push_str(&line[..fence_end]);
            out.push_str("text\n");
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAPTER: &str = "# Title\n\
        \n\
        ```rust\n\
        fn main() {}\n\
        ```\n\
        \n\
        ```rust,ignore,does_not_compile\n\
        {{#include ../listings/a/b.rs}}\n\
        ```\n\
        \n\
        ```text\n\
        {{#include ../listings/a/b.stderr}}\n\
        ```\n\
        \n\
        Escaped: \\{{#include nothing.rs}} and loose {{#include part.md}}\n\
        \n\
        ```rust,ignore,noplayground\n\
        {{#rustdoc_include ../listings/c/src/lib.rs:slot}}\n\
        ```\n";

    #[test]
    fn finds_fences_with_their_lines_words_and_directives() {
        let parsed = parse(CHAPTER);
        let lines: Vec<usize> = parsed.fences.iter().map(|f| f.line).collect();
        assert_eq!(lines, [3, 7, 11, 17]);
        let ends: Vec<usize> = parsed.fences.iter().map(|f| f.end_line).collect();
        assert_eq!(ends, [5, 9, 13, 19]);
        assert_eq!(
            parsed.fences[1].words,
            ["rust", "ignore", "does_not_compile"]
        );
        assert!(parsed.fences[0].directives.is_empty());
        assert!(parsed.fences[1].is_single_directive());
        assert_eq!(parsed.fences[1].directives[0].path, "../listings/a/b.rs");
        assert_eq!(parsed.fences[1].directives[0].line, 8);
        assert_eq!(
            parsed.fences[3].directives[0].kind,
            DirectiveKind::RustdocInclude
        );
        assert_eq!(
            parsed.fences[3].directives[0].selector,
            Selector::Anchor("slot".into())
        );
    }

    #[test]
    fn loose_directives_are_kept_and_escaped_ones_are_not() {
        let parsed = parse(CHAPTER);
        let paths: Vec<&str> = parsed
            .loose_directives
            .iter()
            .map(|d| d.path.as_str())
            .collect();
        assert_eq!(paths, ["part.md"]);
    }

    #[test]
    fn selectors_follow_mdbook_syntax() {
        let lines = |s, e| Selector::Lines { start: s, end: e };
        assert_eq!(parse_target("a.rs"), ("a.rs".into(), Selector::Whole));
        assert_eq!(
            parse_target("a.rs:4"),
            ("a.rs".into(), lines(Some(4), Some(4)))
        );
        assert_eq!(
            parse_target("a.rs:4:"),
            ("a.rs".into(), lines(Some(4), None))
        );
        assert_eq!(
            parse_target("a.rs::9"),
            ("a.rs".into(), lines(None, Some(9)))
        );
        assert_eq!(
            parse_target("a.rs:2:9"),
            ("a.rs".into(), lines(Some(2), Some(9)))
        );
        assert_eq!(
            parse_target("a.rs:here"),
            ("a.rs".into(), Selector::Anchor("here".into()))
        );
    }

    #[test]
    fn tildes_and_indented_fences_are_fences_too() {
        let source = "- item\n\n  ~~~rust\n  fn main() {}\n  ~~~\n";
        let parsed = parse(source);
        assert_eq!(parsed.fences.len(), 1);
        assert_eq!(parsed.fences[0].line, 3);
        assert!(parsed.fences[0].is_rust());
    }

    #[test]
    fn skeptic_sees_inline_snippets_only_on_unchanged_lines() {
        let filtered = inline_snippets_only(CHAPTER);
        assert_eq!(filtered.lines().count(), CHAPTER.lines().count());
        let rust_fences: Vec<usize> = parse(&filtered)
            .fences
            .iter()
            .filter(|f| f.is_rust())
            .map(|f| f.line)
            .collect();
        assert_eq!(rust_fences, [3]);
        assert!(filtered.contains("```text\n{{#include ../listings/a/b.rs}}"));
    }
}
