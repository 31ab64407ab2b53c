//! `mdbook-listings`: run by mdBook as `[preprocessor.listings]` (see book.toml).

use book_harness::permissions::{self, Table};
use book_harness::{listing, toolchain};
use mdbook_listings::{ChapterInput, Settings, index, render};
use mdbook_preprocessor::book::{Book, BookItem};
use mdbook_preprocessor::errors::Result;
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

struct Listings;

impl Preprocessor for Listings {
    fn name(&self) -> &str {
        "listings"
    }

    fn run(&self, ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let listings = listing::discover(&ctx.root);
        let inputs: Vec<(PathBuf, Option<u32>, String)> = book
            .chapters()
            .filter_map(|c| {
                let path = c.source_path.clone()?;
                let number = c.number.as_ref().and_then(|n| n.first().copied());
                Some((path, number, c.content.clone()))
            })
            .collect();
        let settings = Settings {
            source_base: source_base(ctx),
            verified_with: toolchain::recorded_version(&ctx.root),
            tables: permission_tables(&ctx.root, &listings),
            tables_explained_in: inputs
                .iter()
                .find(|(_, _, content)| permissions::explains(content))
                .map(|(path, _, _)| path.clone()),
        };
        let chapters: Vec<ChapterInput> = inputs
            .iter()
            .map(|(path, number, content)| ChapterInput {
                path,
                number: *number,
                content,
            })
            .collect();
        let index = index(&chapters, &listings);
        book.for_each_mut(|item| {
            if let BookItem::Chapter(chapter) = item
                && let Some(path) = chapter.source_path.clone()
            {
                let input = ChapterInput {
                    path: &path,
                    number: chapter.number.as_ref().and_then(|n| n.first().copied()),
                    content: &chapter.content,
                };
                chapter.content = render(&input, &listings, &index, &settings);
            }
        });
        Ok(book)
    }
}

/// The `.perms` table of every listing that has one. One that cannot be read is left out (the
/// integrity test reports it).
fn permission_tables(root: &Path, listings: &listing::Listings) -> HashMap<PathBuf, Table> {
    let mut tables = HashMap::new();
    for listing in &listings.standalone {
        let file = root.join(permissions::snapshot_of(&listing.path));
        if let Ok(text) = std::fs::read_to_string(file)
            && let Ok(table) = permissions::parse(&text)
        {
            tables.insert(listing.path.clone(), table);
        }
    }
    tables
}

/// Where listing sources can be browsed. On GitHub Actions, the exact commit being built;
/// elsewhere `output.html.git-repository-url` if the book sets one; else nowhere.
fn source_base(ctx: &PreprocessorContext) -> Option<String> {
    let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
    if let (Some(server), Some(repo), Some(sha)) = (
        var("GITHUB_SERVER_URL"),
        var("GITHUB_REPOSITORY"),
        var("GITHUB_SHA"),
    ) {
        return Some(format!("{server}/{repo}/blob/{sha}"));
    }
    let url = ctx.config.html_config()?.git_repository_url?;
    Some(format!("{}/blob/HEAD", url.trim_end_matches('/')))
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() == Some("supports") {
        // Captions are HTML, which every renderer this book uses passes through.
        return ExitCode::SUCCESS;
    }
    let result = mdbook_preprocessor::parse_input(io::stdin())
        .and_then(|(ctx, book)| Listings.run(&ctx, book))
        .and_then(|book| Ok(serde_json::to_writer(io::stdout(), &book)?));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mdbook-listings: {e:#}");
            ExitCode::FAILURE
        }
    }
}
