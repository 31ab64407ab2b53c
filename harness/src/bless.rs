//! The single switch that rewrites snapshots, and the step that makes the chapters' fences the
//! author's statement of intent when blessing.
//!
//! trybuild rewrites `.stderr` files when `TRYBUILD=overwrite` is set; the rest of the harness
//! follows the same variable, so one command re-blesses everything after a compiler upgrade:
//! `TRYBUILD=overwrite cargo test`, then review `git diff`.
//!
//! # Intent from the fence
//!
//! A listing's kind is decided by the snapshot files beside it (see [`crate::listing`]), so a new
//! compile-fail listing would count as passing until its `.stderr` exists, and the bless would
//! never record one. When blessing, [`record_intent`] therefore runs before any check and reads
//! the chapters: for every fence that includes a listing, each marker word listed in
//! [`MARKERS`] asks for a snapshot (`does_not_compile` → `.stderr`, `panics` → `.panic`,
//! `permissions` → `.perms`), and
//! every snapshot a chapter includes (```` ```text {{#include ../listings/c/x.stdout}} ````) is
//! asked for too. Each one that is missing is created empty; the checks then see the kind the
//! author meant, and the bless fills the files in. Without the bless switch nothing is created,
//! and a fence that disagrees with the files stays an error.
//!
//! Nothing is ever deleted here: dropping a marker from a fence does not remove a snapshot (the
//! checks then say which file to delete).
//!
//! # A new kind of snapshot
//!
//! A kind whose fence carries a word of its own adds one row to [`MARKERS`] (the word and the
//! snapshot's extension, which replaces the listing's); its extension belongs in
//! [`crate::listing::SNAPSHOT_EXTENSIONS`] too, so that an included snapshot is asked for as
//! well. Its listing's own extension (`rs`, `c`, ...) goes in [`SOURCE_EXTENSIONS`].

use crate::book::{self, slash};
use crate::listing::SNAPSHOT_EXTENSIONS;
use crate::markdown::DirectiveKind;
use std::fs::{self, OpenOptions};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// The command a person runs to accept the current output as the new snapshots.
pub const BLESS_COMMAND: &str = "TRYBUILD=overwrite cargo test";

/// True when the person running the tests asked to rewrite snapshots.
pub fn requested() -> bool {
    std::env::var("TRYBUILD").is_ok_and(|v| v == "overwrite")
}

/// A fence word that states what a listing does, and the snapshot that records it.
#[derive(Clone, Copy, Debug)]
pub struct Marker {
    /// The word in the fence's info string, e.g. `does_not_compile`.
    pub word: &'static str,
    /// The snapshot's extension, replacing the listing's: `stderr` for `x.rs` gives `x.stderr`.
    pub snapshot: &'static str,
}

/// The markers whose snapshot is created, empty, when blessing.
pub const MARKERS: &[Marker] = &[
    Marker {
        word: "does_not_compile",
        snapshot: "stderr",
    },
    Marker {
        word: "panics",
        snapshot: "panic",
    },
    Marker {
        word: crate::permissions::FENCE_WORD,
        snapshot: crate::permissions::EXTENSION,
    },
];

/// The extensions of listings (the files snapshots belong to).
pub const SOURCE_EXTENSIONS: &[&str] = &["rs", "c"];

/// When blessing ([`requested`]), runs [`create_asked_for`]; otherwise does nothing. The test
/// entry points call it before their checks.
pub fn record_intent(root: &Path) -> Result<Vec<PathBuf>, String> {
    if requested() {
        create_asked_for(root)
    } else {
        Ok(Vec::new())
    }
}

/// Creates, empty, every snapshot the chapters of the book at `root` ask for that does not
/// exist yet; returns the files created, relative to `root`. Safe to call from several test
/// processes at once.
pub fn create_asked_for(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut created = Vec::new();
    for (snapshot, why) in snapshots_asked_for(root) {
        let full = root.join(&snapshot);
        match OpenOptions::new().write(true).create_new(true).open(&full) {
            Ok(_) => {
                eprintln!(
                    "{BLESS_COMMAND}: created an empty {} ({why}); the bless records it",
                    slash(&snapshot)
                );
                created.push(snapshot);
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => {
                return Err(format!(
                    "{}: cannot be created for the bless ({why}): {e}",
                    slash(&snapshot)
                ));
            }
        }
    }
    Ok(created)
}

/// Every snapshot the chapters ask for whose listing exists, with the reason, whether or not the
/// snapshot exists. Reads files only.
pub fn snapshots_asked_for(root: &Path) -> Vec<(PathBuf, String)> {
    let (chapters, _) = book::load(root); // problems with the summary are the integrity test's
    let mut wanted = Vec::new();
    for chapter in &chapters {
        for fence in &chapter.parsed.fences {
            for directive in &fence.directives {
                if !matches!(
                    directive.kind,
                    DirectiveKind::Include | DirectiveKind::RustdocInclude
                ) {
                    continue;
                }
                let target = book::resolve(&chapter.path, &directive.path);
                if !target.starts_with("listings") {
                    continue;
                }
                let ext = target.extension().and_then(|e| e.to_str()).unwrap_or("");
                let at = format!("{}:{}", slash(&chapter.path), directive.line);
                if SOURCE_EXTENSIONS.contains(&ext) && fence.is_single_directive() {
                    for marker in MARKERS.iter().filter(|m| fence.has(m.word)) {
                        wanted.push((
                            target.with_extension(marker.snapshot),
                            format!("the fence at {at} says `{}`", marker.word),
                        ));
                    }
                } else if SNAPSHOT_EXTENSIONS.contains(&ext) {
                    wanted.push((target, format!("{at} includes it")));
                }
            }
        }
    }
    wanted.retain(|(snapshot, _)| listing_of(root, snapshot).is_some());
    wanted.sort();
    wanted.dedup_by(|a, b| a.0 == b.0);
    wanted
}

/// The listing a snapshot belongs to, if it exists: `x.rs` (or `x.c`, ...) for `x.stderr`. A
/// listing's name has no dot, so the stem is everything before the first one.
fn listing_of(root: &Path, snapshot: &Path) -> Option<PathBuf> {
    let name = snapshot.file_name()?.to_str()?;
    let stem = name.split('.').next()?;
    SOURCE_EXTENSIONS
        .iter()
        .map(|ext| snapshot.with_file_name(format!("{stem}.{ext}")))
        .find(|listing| fs::metadata(root.join(listing)).is_ok_and(|m| m.is_file()))
}
