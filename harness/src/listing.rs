//! The listings under `listings/` and what each one does.
//!
//! A listing is a standalone program, `listings/<chapter>/<what_it_shows>.rs`. What it does is
//! decided by the snapshot files beside it, and by nothing else, so the tests, the integrity
//! check and the book's markers all read the same source of truth:
//!
//! | beside `x.rs`  | the listing                                   | checked by            |
//! |----------------|-----------------------------------------------|-----------------------|
//! | `x.stderr`     | fails to compile with exactly this error      | trybuild              |
//! | `x.panic`      | compiles, runs and panics with this message   | [`crate::run`]        |
//! | neither        | compiles and runs successfully                | [`crate::run`]        |
//! | `x.stdout`     | prints exactly this (empty output if absent)  | [`crate::run`]        |
//! | `x.perms`      | its permission table, line by line            | [`crate::permissions`] |
//!
//! A folder of `listings/` that holds a `Cargo.toml` is a crate (a workspace member that cargo
//! builds and tests); its files are shown with anchors and are not standalone listings.

use crate::book::{files_under, slash};
use crate::{Problem, Rule};
use std::path::{Path, PathBuf};

/// The file, at the top of `listings/`, that names the compiler the snapshots were made with.
pub const VERSION_FILE: &str = "listings/rustc-version.txt";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    CompileFail,
    Panics,
    Runs,
}

impl Kind {
    pub fn describe(self) -> &'static str {
        match self {
            Kind::CompileFail => "fails to compile (it has a .stderr)",
            Kind::Panics => "compiles and panics (it has a .panic)",
            Kind::Runs => "compiles and runs (it has no .stderr or .panic)",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    /// Relative to the book's root, e.g. `listings/ownership/use_after_move.rs`.
    pub path: PathBuf,
    pub kind: Kind,
}

impl Listing {
    pub fn stderr(&self) -> PathBuf {
        self.path.with_extension("stderr")
    }
    pub fn panic(&self) -> PathBuf {
        self.path.with_extension("panic")
    }
    pub fn stdout(&self) -> PathBuf {
        self.path.with_extension("stdout")
    }
}

/// The snapshot extensions, each belonging to the `.rs` file of the same stem.
pub const SNAPSHOT_EXTENSIONS: [&str; 4] = ["stderr", "panic", "stdout", "perms"];

/// Everything found under `listings/`.
#[derive(Debug, Default)]
pub struct Listings {
    pub standalone: Vec<Listing>,
    /// Crate folders (relative to the root) and the files in them.
    pub crates: Vec<(PathBuf, Vec<PathBuf>)>,
    /// Files that are neither listings, snapshots of a listing, nor part of a crate.
    pub problems: Vec<Problem>,
}

impl Listings {
    pub fn find(&self, path: &Path) -> Option<&Listing> {
        self.standalone.iter().find(|l| l.path == path)
    }

    /// The crate folder holding `path`, if it is inside one.
    pub fn crate_of(&self, path: &Path) -> Option<&Path> {
        self.crates
            .iter()
            .map(|(dir, _)| dir.as_path())
            .find(|dir| path.starts_with(dir))
    }

    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Listing> {
        self.standalone.iter().filter(move |l| l.kind == kind)
    }
}

/// Discovers the listings of the book at `root`.
pub fn discover(root: &Path) -> Listings {
    let all = files_under(root, Path::new("listings"));
    let mut crate_dirs: Vec<PathBuf> = all
        .iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "Cargo.toml"))
        .filter_map(|f| f.parent().map(Path::to_path_buf))
        .collect();
    crate_dirs.sort();

    let mut listings = Listings::default();
    for dir in &crate_dirs {
        let files = all.iter().filter(|f| f.starts_with(dir)).cloned().collect();
        listings.crates.push((dir.clone(), files));
    }

    for file in all
        .iter()
        .filter(|f| !crate_dirs.iter().any(|d| f.starts_with(d)))
    {
        let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
        if file == Path::new(VERSION_FILE) {
            continue;
        }
        if ext == "rs" {
            let has = |e: &str| root.join(file.with_extension(e)).is_file();
            let kind = if has("stderr") {
                Kind::CompileFail
            } else if has("panic") {
                Kind::Panics
            } else {
                Kind::Runs
            };
            listings.standalone.push(Listing {
                path: file.clone(),
                kind,
            });
        } else if SNAPSHOT_EXTENSIONS.contains(&ext) {
            if !root.join(file.with_extension("rs")).is_file() {
                listings.problems.push(Problem::new(
                    Rule::NoOrphans,
                    file,
                    format!(
                        "is a snapshot with no listing beside it ({} does not exist); delete it, \
                         or restore the listing",
                        slash(&file.with_extension("rs"))
                    ),
                ));
            }
        } else {
            listings.problems.push(Problem::new(
                Rule::NoOrphans,
                file,
                "is not a listing (.rs), a snapshot (.stderr, .panic, .stdout, .perms) or part of a crate \
                 (a folder with a Cargo.toml); move it out of listings/",
            ));
        }
    }
    if listings.of_kind(Kind::CompileFail).next().is_some() && !root.join(VERSION_FILE).is_file() {
        listings.problems.push(Problem::new(
            Rule::Toolchain,
            VERSION_FILE,
            format!(
                "is missing: it records which rustc made the .stderr snapshots; run `{}` to \
                 write it",
                crate::bless::BLESS_COMMAND
            ),
        ));
    }
    listings
}
