//! The book's own mdBook preprocessor: what a reader sees around each listing.
//!
//! * A numbered caption before every listing ("Listing 4-2: Two mutable borrows"), with an
//!   anchor, the listing's path (linked to the source when the book knows where it is hosted),
//!   and a badge saying what the listing does: "does not compile" or "panics"; for a C listing,
//!   what its sanitizer reports ("AddressSanitizer: heap-use-after-free").
//! * `{{#listing-ref chapter/name}}` in prose becomes a link, "Listing 4-2", to that caption.
//! * A footer on every page naming the compiler that verified the listings.
//! * Under a listing whose fence carries `permissions`, its permission table ([`permissions`]).
//!
//! The badge comes from [`book_harness::listing`], the same source of truth the tests use (the
//! snapshot files beside each listing), so it cannot say something the tests did not check.
//! It runs before mdBook's `links` preprocessor, so it sees the `{{#include}}` lines.

pub mod permissions;

use book_harness::book::{resolve, slash};
use book_harness::listing::{Kind, Listings};
use book_harness::markdown::{self, DirectiveKind, Fence, Selector};
use book_harness::permissions::{FENCE_WORD, Table};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What the preprocessor needs to know about the whole book.
#[derive(Default)]
pub struct Settings {
    /// Where listing sources can be browsed: `{base}/listings/...`. None shows the bare path.
    pub source_base: Option<String>,
    /// The compiler recorded in `listings/rustc-version.txt`.
    pub verified_with: Option<String>,
    /// The permission table (`.perms`) of each listing that has one, by listing path.
    pub tables: HashMap<PathBuf, Table>,
    /// The chapter (relative to `src/`) with the section that explains the tables.
    pub tables_explained_in: Option<PathBuf>,
}

/// A chapter as the preprocessor sees it.
pub struct ChapterInput<'a> {
    /// Relative to `src/`, e.g. `borrowing.md`.
    pub path: &'a Path,
    /// The chapter's number in the summary (None for the introduction).
    pub number: Option<u32>,
    pub content: &'a str,
}

/// One captioned listing in a chapter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caption {
    /// 1-based line of the fence in the chapter.
    pub line: usize,
    /// `Listing 4-2`.
    pub label: String,
    /// The HTML id, unique within the chapter: `listing-two_mutable_borrows`.
    pub id: String,
    /// The included file, relative to the book's root.
    pub file: PathBuf,
    pub title: String,
    /// None for crate code (it is built by cargo, not run on its own) and C listings.
    pub kind: Option<Kind>,
    /// Shown as an exercise: the reader edits it in the page and runs it.
    pub exercise: bool,
    /// For a C listing, its sanitizer's verdict, from the report beside it.
    pub sanitizer: Option<String>,
    /// The line of the fence's closing line, and whether the fence asks for the permission table.
    pub end_line: usize,
    pub permissions: bool,
}

/// Where each standalone listing is shown: the chapter (relative to `src/`) and its caption.
pub type Index = HashMap<PathBuf, (PathBuf, Caption)>;

/// The captions of one chapter, in order.
pub fn captions(chapter: &ChapterInput, listings: &Listings) -> Vec<Caption> {
    let chapter_file = Path::new("src").join(chapter.path);
    let mut captions: Vec<Caption> = Vec::new();
    for fence in markdown::parse(chapter.content).fences {
        let Some(file) = included_listing(&chapter_file, &fence) else {
            continue;
        };
        let n = captions.len() + 1;
        let label = match chapter.number {
            Some(chapter) => format!("Listing {chapter}-{n}"),
            None => format!("Listing {n}"),
        };
        let directive = &fence.directives[0];
        let (title, base_id) = match listings.crate_of(&file) {
            Some(dir) => crate_title(dir, &file, &directive.selector),
            None => {
                let stem = file.file_stem().unwrap_or_default().to_string_lossy();
                (humanize(&stem), format!("listing-{stem}"))
            }
        };
        let mut id = base_id.clone();
        let mut k = 2;
        while captions.iter().any(|c| c.id == id) {
            id = format!("{base_id}-{k}");
            k += 1;
        }
        captions.push(Caption {
            line: fence.line,
            label,
            id,
            kind: listings.find(&file).map(|l| l.kind),
            exercise: fence.has(book_harness::integrity::EXERCISE),
            sanitizer: listings.find_c(&file).and_then(|c| c.headline.clone()),
            file,
            title,
            end_line: fence.end_line,
            permissions: fence.has(FENCE_WORD),
        });
    }
    captions
}

/// Every chapter's captions, by listing, for `{{#listing-ref}}`.
pub fn index(chapters: &[ChapterInput], listings: &Listings) -> Index {
    let mut index = Index::new();
    for chapter in chapters {
        for caption in captions(chapter, listings) {
            index
                .entry(caption.file.clone())
                .or_insert_with(|| (chapter.path.to_path_buf(), caption));
        }
    }
    index
}

/// The chapter with captions inserted, references expanded and the footer appended.
pub fn render(
    chapter: &ChapterInput,
    listings: &Listings,
    index: &Index,
    settings: &Settings,
) -> String {
    let captions = captions(chapter, listings);
    let mut out = String::with_capacity(chapter.content.len() + 256 * captions.len());
    for (i, line) in chapter.content.split_inclusive('\n').enumerate() {
        if let Some(caption) = captions.iter().find(|c| c.line == i + 1) {
            let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
            let _ = write!(
                out,
                "{indent}{}\n{indent}\n",
                caption_html(caption, settings)
            );
        }
        out.push_str(line);
        let table = captions
            .iter()
            .filter(|c| c.end_line == i + 1 && c.permissions)
            .find_map(|c| Some((c, settings.tables.get(&c.file)?)));
        if let Some((caption, table)) = table {
            let page = slash(chapter.path);
            let explaining = settings.tables_explained_in.as_deref().map(slash);
            let link = permissions::explained_link(&page, explaining.as_deref());
            let id = format!("{}-permissions", caption.id);
            if !line.ends_with('\n') {
                out.push('\n');
            }
            let _ = write!(out, "\n{}\n", permissions::render(table, &id, &link));
        }
    }
    let mut out = expand_refs(&out, chapter.path, index);
    if let Some(version) = &settings.verified_with {
        let _ = write!(
            out,
            "\n\n<footer class=\"verified-with\">Verified with <code>{}</code>: every listing in \
             this book is compiled, run or refused by the compiler in <code>cargo test</code>, \
             and every error and output shown is the one it produced.</footer>\n",
            escape(version)
        );
    }
    out
}

/// The listing a Rust fence (or a C fence) includes, if it includes one from `listings/`.
fn included_listing(chapter_file: &Path, fence: &Fence) -> Option<PathBuf> {
    let c = fence.language() == Some("c");
    if !(fence.is_rust() || c) || !fence.is_single_directive() {
        return None;
    }
    let directive = &fence.directives[0];
    let file = match directive.kind {
        DirectiveKind::Include | DirectiveKind::RustdocInclude => {
            resolve(chapter_file, &directive.path)
        }
        _ => return None,
    };
    file.starts_with("listings").then_some(file)
}

fn caption_html(caption: &Caption, settings: &Settings) -> String {
    let path = slash(&caption.file);
    let source = match &settings.source_base {
        Some(base) => format!(
            "<a class=\"listing-source\" href=\"{}/{}\">{}</a>",
            escape(base.trim_end_matches('/')),
            escape(&path),
            escape(&path)
        ),
        None => format!("<code class=\"listing-source\">{}</code>", escape(&path)),
    };
    let badge = match caption.kind {
        Some(Kind::CompileFail) => {
            " <span class=\"listing-badge does-not-compile\" title=\"This listing is meant to \
             fail: cargo test checks that it fails with exactly the error shown after it.\">does \
             not compile</span>"
        }
        Some(Kind::Panics) => {
            " <span class=\"listing-badge panics\" title=\"This listing compiles and panics when \
             run: cargo test checks the panic message shown after it.\">panics</span>"
        }
        Some(Kind::Runs) | None => "",
    };
    let badge = if caption.exercise {
        format!(
            "{badge} <span class=\"listing-badge exercise\" title=\"Edit the code in the page \
             and press Run: the playground compiles it. The undo button restores the \
             exercise.\">edit and run</span>"
        )
    } else {
        badge.to_owned()
    };
    let sanitizer = caption
        .sanitizer
        .as_ref()
        .map_or_else(String::new, |verdict| {
            format!(
                " <span class=\"listing-badge sanitizer\" title=\"A C program with this bug on \
             purpose: cargo test compiles it with a sanitizer, runs it, and checks that the \
             sanitizer reports exactly what is shown after it.\">{}</span>",
                escape(verdict)
            )
        });
    format!(
        "<p class=\"listing-caption\" id=\"{id}\"><a class=\"listing-number\" \
         href=\"#{id}\">{label}</a>: {title}{badge}{sanitizer} {source}</p>",
        id = caption.id,
        label = caption.label,
        title = escape(&caption.title),
    )
}

/// Replaces each `{{#listing-ref chapter/name}}` with a link to that listing's caption.
/// An unknown reference is left as it is (the integrity test reports it).
fn expand_refs(content: &str, chapter: &Path, index: &Index) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find("{{#listing-ref ") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        let name = rest[start + "{{#listing-ref ".len()..start + len].trim();
        out.push_str(&rest[..start]);
        let target = book_harness::integrity::listing_of_ref(name);
        match index.get(&target) {
            Some((shown_in, caption)) => {
                let page = if shown_in == chapter {
                    String::new()
                } else {
                    relative_link(chapter, shown_in)
                };
                let _ = write!(out, "[{}]({page}#{})", caption.label, caption.id);
            }
            None => out.push_str(&rest[start..start + len + 2]),
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// A link from one chapter to another, both relative to `src/`.
fn relative_link(from: &Path, to: &Path) -> String {
    let depth = from.components().count().saturating_sub(1);
    format!("{}{}", "../".repeat(depth), slash(to))
}

/// `two_mutable_borrows` → "Two mutable borrows"; exercises read as such.
pub fn humanize(stem: &str) -> String {
    let (stem, solution) = match stem.strip_suffix("_solution") {
        Some(stem) => (stem, true),
        None => (stem, false),
    };
    let (prefix, stem) = match stem.strip_prefix("exercise_") {
        Some(stem) => ("Exercise: ", stem),
        None => ("", stem),
    };
    let words: Vec<&str> = stem
        .split('_')
        .map(|word| type_name(word).unwrap_or(word))
        .collect();
    let words = words.join(" ");
    let mut title = String::from(prefix);
    if prefix.is_empty() {
        let mut chars = words.chars();
        if let Some(first) = chars.next() {
            title.extend(first.to_uppercase());
            title.push_str(chars.as_str());
        }
    } else {
        title.push_str(&words);
    }
    if solution {
        title.push_str(" (solution)");
    }
    title
}

/// File names are lower case; the std types they name are not.
fn type_name(word: &str) -> Option<&'static str> {
    Some(match word {
        "rc" => "Rc",
        "arc" => "Arc",
        "refcell" => "RefCell",
        "cell" => "Cell",
        "weak" => "Weak",
        "mutex" => "Mutex",
        "rwlock" => "RwLock",
        "vec" => "Vec",
        "box" => "Box",
        "cow" => "Cow",
        "send" => "Send",
        "sync" => "Sync",
        _ => return None,
    })
}

/// Crate code is titled by its file and anchor: "src/arena.rs, slot".
fn crate_title(dir: &Path, file: &Path, selector: &Selector) -> (String, String) {
    let inner = slash(file.strip_prefix(dir).unwrap_or(file));
    let stem = file.file_stem().unwrap_or_default().to_string_lossy();
    match selector {
        Selector::Anchor(anchor) => (
            format!("{inner}, {}", anchor.replace(['_', '-'], " ")),
            format!("listing-{stem}-{anchor}"),
        ),
        _ => (inner, format!("listing-{stem}")),
    }
}

/// Text made safe to put in HTML, in an element or in a quoted attribute.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use book_harness::listing;

    const GOOD_BOOK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/good-book");

    fn demo() -> (String, Listings) {
        let root = Path::new(GOOD_BOOK);
        let content = std::fs::read_to_string(root.join("src/demo.md")).unwrap();
        (content, listing::discover(root))
    }

    fn settings() -> Settings {
        Settings {
            source_base: Some("https://example.org/book/blob/abc".into()),
            verified_with: Some("rustc 1.95.0 (59807616e 2026-04-14)".into()),
            ..Settings::default()
        }
    }

    #[test]
    fn every_listing_gets_a_numbered_caption_and_its_badge() {
        let (content, listings) = demo();
        let chapter = ChapterInput {
            path: Path::new("demo.md"),
            number: Some(3),
            content: &content,
        };
        let found = captions(&chapter, &listings);
        let summary: Vec<(&str, &str, Option<Kind>)> = found
            .iter()
            .map(|c| (c.label.as_str(), c.title.as_str(), c.kind))
            .collect();
        assert_eq!(
            summary,
            [
                ("Listing 3-1", "Prints", Some(Kind::Runs)),
                ("Listing 3-2", "Panics", Some(Kind::Panics)),
                ("Listing 3-3", "Use after move", Some(Kind::CompileFail)),
            ]
        );
    }

    #[test]
    fn captions_stand_before_their_fences_and_the_footer_names_the_compiler() {
        let (content, listings) = demo();
        let chapter = ChapterInput {
            path: Path::new("demo.md"),
            number: Some(3),
            content: &content,
        };
        let rendered = render(&chapter, &listings, &Index::new(), &settings());
        let caption = "<p class=\"listing-caption\" id=\"listing-use_after_move\"><a \
                       class=\"listing-number\" href=\"#listing-use_after_move\">Listing 3-3</a>: \
                       Use after move <span class=\"listing-badge does-not-compile\"";
        let at = rendered.find(caption).expect("caption present");
        let fence = rendered
            .find("```rust,ignore,does_not_compile")
            .expect("fence kept");
        assert!(at < fence && rendered[at..fence].ends_with("</p>\n\n"));
        assert!(rendered.contains(
            "href=\"https://example.org/book/blob/abc/listings/demo/use_after_move.rs\""
        ));
        assert!(rendered.contains("<span class=\"listing-badge panics\""));
        assert_eq!(rendered.matches("listing-badge").count(), 2);
        assert!(rendered.trim_end().ends_with("</footer>"));
        assert!(
            rendered.contains("Verified with <code>rustc 1.95.0 (59807616e 2026-04-14)</code>")
        );
        // Nothing else changed: without the captions (and the blank line after each) and the
        // footer, the chapter is what it was.
        let body = &rendered[..rendered.find("\n\n<footer").unwrap()];
        let mut restored = String::new();
        let mut skip_blank = false;
        for line in body.split_inclusive('\n') {
            if line.starts_with("<p class=\"listing-caption\"") {
                skip_blank = true;
            } else if skip_blank && line.trim().is_empty() {
                skip_blank = false;
            } else {
                restored.push_str(line);
            }
        }
        assert_eq!(restored, content);
    }

    #[test]
    fn references_link_to_the_caption_in_whichever_chapter_shows_the_listing() {
        let (content, listings) = demo();
        let demo_chapter = ChapterInput {
            path: Path::new("demo.md"),
            number: Some(3),
            content: &content,
        };
        let other = "As {{#listing-ref demo/panics}} showed, and {{#listing-ref demo/missing}}.";
        let other_chapter = ChapterInput {
            path: Path::new("part/other.md"),
            number: Some(4),
            content: other,
        };
        let index = index(&[demo_chapter, other_chapter], &listings);
        let other_chapter = ChapterInput {
            path: Path::new("part/other.md"),
            number: Some(4),
            content: other,
        };
        let rendered = render(&other_chapter, &listings, &index, &Settings::default());
        assert_eq!(
            rendered,
            "As [Listing 3-2](../demo.md#listing-panics) showed, and {{#listing-ref demo/missing}}."
        );
    }

    #[test]
    fn a_c_listing_is_captioned_with_what_its_sanitizer_reports() {
        let root = Path::new(GOOD_BOOK);
        let content = std::fs::read_to_string(root.join("src/tools.md")).unwrap();
        let listings = listing::discover(root);
        let chapter = ChapterInput {
            path: Path::new("tools.md"),
            number: Some(4),
            content: &content,
        };
        let found = captions(&chapter, &listings);
        assert_eq!(found[0].label, "Listing 4-1");
        assert_eq!(found[0].title, "Use after free");
        assert_eq!(
            found[0].sanitizer.as_deref(),
            Some("AddressSanitizer: heap-use-after-free")
        );
        assert_eq!(
            (found[1].label.as_str(), found[1].sanitizer.as_ref()),
            ("Listing 4-2", None)
        );
        let rendered = render(&chapter, &listings, &Index::new(), &settings());
        assert!(rendered.contains(
            "Use after free <span class=\"listing-badge sanitizer\" title=\"A C program"
        ));
        assert!(rendered.contains(">AddressSanitizer: heap-use-after-free</span>"));
    }

    #[test]
    fn a_permissions_fence_gets_its_table_after_it_with_a_legend_and_a_link() {
        let (content, listings) = demo();
        let chapter = ChapterInput {
            path: Path::new("demo.md"),
            number: Some(3),
            content: &content,
        };
        let listing = PathBuf::from("listings/demo/use_after_move.rs");
        let perms =
            std::fs::read_to_string(Path::new(GOOD_BOOK).join(listing.with_extension("perms")));
        let table = book_harness::permissions::parse(&perms.unwrap()).unwrap();
        let settings = Settings {
            tables: HashMap::from([(listing, table)]),
            tables_explained_in: Some("demo.md".into()),
            ..Settings::default()
        };
        let rendered = render(&chapter, &listings, &Index::new(), &settings);
        let fence = "```rust,ignore,does_not_compile,permissions\n\
                     {{#include ../listings/demo/use_after_move.rs}}\n```\n\n";
        let at = rendered.find(fence).expect("the fence is kept") + fence.len();
        let table = &rendered[at..];
        assert!(table.starts_with(
            "<div class=\"permission-tables\" id=\"listing-use_after_move-permissions\">"
        ));
        let end = table
            .find("\n</div>\n")
            .expect("the table's block is closed")
            + 8;
        let block = &table[..end];
        assert!(block.contains("<caption><code>fn main</code></caption>"));
        assert!(block.contains("<th><code>a</code></th><th><code>b</code></th>"));
        assert!(block.contains("<tr class=\"perm-error\"><td class=\"perm-line\""));
        assert!(block.contains(">✗ 4</td>"));
        assert!(block.contains(
            "<span class=\"perm missing\" title=\"read: needed here, and missing\">!R</span>"
        ));
        assert!(
            block.contains("<span class=\"perm lost\" title=\"own: lost\"><s>O</s><b>▼</b></span>")
        );
        assert!(
            block.contains("[How these are computed](#permissions-what-the-borrow-checker-sees)")
        );
        // Nothing else changed: without the block and the blank lines around it, the chapter is
        // what it was.
        let (before, after) = rendered.split_at(at);
        let restored = format!("{}{}", &before[..before.len() - 1], &after[end + 1..]);
        let plain = render(&chapter, &listings, &Index::new(), &Settings::default());
        assert_eq!(restored, plain);
    }

    #[test]
    fn links_to_the_explaining_section_are_relative_to_the_page() {
        use permissions::explained_link;
        let id = "permissions-what-the-borrow-checker-sees";
        assert_eq!(
            explained_link("ownership.md", Some("ownership.md")),
            format!("#{id}")
        );
        assert_eq!(
            explained_link("borrowing.md", Some("ownership.md")),
            format!("ownership.md#{id}")
        );
        assert_eq!(
            explained_link("a/b.md", Some("ownership.md")),
            format!("../ownership.md#{id}")
        );
    }

    #[test]
    fn titles_read_as_words() {
        assert_eq!(humanize("two_mutable_borrows"), "Two mutable borrows");
        assert_eq!(
            humanize("refcell_borrowed_while_mutated"),
            "RefCell borrowed while mutated"
        );
        assert_eq!(humanize("rc_across_threads"), "Rc across threads");
        assert_eq!(humanize("weak_breaks_cycle"), "Weak breaks cycle");
        assert_eq!(humanize("exercise_print_twice"), "Exercise: print twice");
        assert_eq!(
            humanize("exercise_print_twice_solution"),
            "Exercise: print twice (solution)"
        );
    }

    #[test]
    fn without_a_known_host_the_path_is_shown_unlinked() {
        let caption = Caption {
            line: 1,
            label: "Listing 1".into(),
            id: "listing-x".into(),
            file: "listings/a/x.rs".into(),
            title: "X".into(),
            kind: Some(Kind::Runs),
            exercise: false,
            sanitizer: None,
            end_line: 3,
            permissions: false,
        };
        let html = caption_html(&caption, &Settings::default());
        assert!(html.ends_with("<code class=\"listing-source\">listings/a/x.rs</code></p>"));
        assert!(!html.contains("listing-badge"));
    }
}
