//! Hands skeptic the book's inline Rust snippets.
//!
//! skeptic tests every ```rust fence it finds. The fences that include a listing are tested by
//! `tests/listings.rs` instead, so each chapter is copied with those fences relabelled `text`
//! (line for line: skeptic's test names keep the chapter's line numbers), and skeptic gets the
//! copies. Which chapters exist comes from `src/SUMMARY.md`, as for mdBook.

use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets it")).join("chapters");
    // Only the summary and the chapters: mdbook-quiz writes its assets into src/quiz/ on every
    // build, which must not make the next `cargo test` rerun this script.
    println!("cargo:rerun-if-changed=src/SUMMARY.md");
    println!(
        "cargo:rustc-env=BOOK_TARGET_TRIPLE={}",
        env::var("TARGET").expect("cargo sets it")
    );

    let chapters = book_harness::book::summary_entries(&root).expect("src/SUMMARY.md is readable");
    let mut copies = Vec::new();
    for chapter in chapters {
        println!("cargo:rerun-if-changed={}", chapter.display());
        // A chapter that cannot be read is reported by the integrity test, with a better message.
        let Ok(source) = fs::read_to_string(root.join(&chapter)) else {
            continue;
        };
        let copy = out.join(chapter.strip_prefix("src").unwrap_or(&chapter));
        write_if_changed(
            &copy,
            &book_harness::markdown::inline_snippets_only(&source),
        );
        copies.push(copy);
    }
    skeptic::generate_doc_tests(&copies);
}

/// Rewriting an unchanged file would make cargo rerun this script on every build.
fn write_if_changed(path: &Path, contents: &str) {
    if fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return;
    }
    fs::create_dir_all(path.parent().expect("has a parent")).expect("OUT_DIR is writable");
    fs::write(path, contents).expect("OUT_DIR is writable");
}
