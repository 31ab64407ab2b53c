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
//! | `x.valgrind`   | valgrind memcheck's summary (else: no leak)   | [`crate::valgrind`]   |
//!
//! A C listing, `x.c`, is a program with a bug on purpose; the snapshot beside it says which
//! sanitizer must catch it (`x.asan`, `x.lsan` or `x.tsan`) and what it reports
//! ([`crate::sanitizer`]).
//!
//! A folder of `listings/` that holds a `Cargo.toml` is a crate (a workspace member that cargo
//! builds and tests); its files are shown with anchors and are not standalone listings.

use crate::book::{files_under, slash};
use crate::sanitizer::Sanitizer;
use crate::{Problem, Rule};
use std::collections::BTreeSet;
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

/// The snapshot extensions, each belonging to the listing of the same stem: the `.rs` file (its
/// error, panic, output, permission table, valgrind summary), or
/// for a sanitizer's report (`asan`, `lsan`, `tsan`) the `.c` file (see [`source_of`]).
pub const SNAPSHOT_EXTENSIONS: [&str; 8] = [
    "stderr",
    "panic",
    "stdout",
    "perms",
    crate::valgrind::EXTENSION,
    "asan",
    "lsan",
    "tsan",
];

/// The listing a snapshot belongs to: `x.c` for a sanitizer's report, else `x.rs`.
pub fn source_of(snapshot: &Path) -> PathBuf {
    let ext = snapshot.extension().and_then(|e| e.to_str()).unwrap_or("");
    match Sanitizer::of_extension(ext) {
        Some(_) => snapshot.with_extension("c"),
        None => snapshot.with_extension("rs"),
    }
}

/// A C program with a bug on purpose, `listings/<chapter>/<what_it_shows>.c`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CListing {
    /// Relative to the book's root, e.g. `listings/why-memory-is-hard/use_after_free.c`.
    pub path: PathBuf,
    /// The sanitizer whose snapshot is beside it (None: none is, or more than one).
    pub sanitizer: Option<Sanitizer>,
    /// The snapshot's verdict in one line, for the reader's badge: `AddressSanitizer:
    /// heap-use-after-free` (see [`crate::sanitizer::headline`]).
    pub headline: Option<String>,
}

impl CListing {
    /// The snapshot of what its sanitizer reports, if it has one.
    pub fn report(&self) -> Option<PathBuf> {
        self.sanitizer
            .map(|s| self.path.with_extension(s.extension()))
    }
}

/// Everything found under `listings/`.
#[derive(Debug, Default)]
pub struct Listings {
    pub standalone: Vec<Listing>,
    /// Crate folders (relative to the root) and the files in them.
    pub crates: Vec<(PathBuf, Vec<PathBuf>)>,
    /// Files that are neither listings, snapshots of a listing, nor part of a crate.
    pub problems: Vec<Problem>,
    /// The C listings (`.c`), each with the sanitizer that checks it.
    pub c: Vec<CListing>,
    /// Every snapshot file found beside a listing (any extension), relative to the root.
    pub snapshots: BTreeSet<PathBuf>,
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

    pub fn find_c(&self, path: &Path) -> Option<&CListing> {
        self.c.iter().find(|l| l.path == path)
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
        if file == Path::new(VERSION_FILE) || file == Path::new(crate::sanitizer::CC_VERSION_FILE) {
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
        } else if ext == "c" {
            listings
                .c
                .push(c_listing(root, file, &mut listings.problems));
        } else if SNAPSHOT_EXTENSIONS.contains(&ext) {
            listings.snapshots.insert(file.clone());
            if !root.join(source_of(file)).is_file() {
                listings.problems.push(Problem::new(
                    Rule::NoOrphans,
                    file,
                    format!(
                        "is a snapshot with no listing beside it ({} does not exist); delete it, \
                         or restore the listing",
                        slash(&source_of(file))
                    ),
                ));
            }
        } else {
            listings.problems.push(Problem::new(
                Rule::NoOrphans,
                file,
                "is not a listing (.rs, .c), a snapshot (.stderr, .panic, .stdout, .perms, \
                 .valgrind, .asan, .lsan, .tsan) or part of a crate (a folder with a Cargo.toml); move it \
                 out of listings/",
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
    if !listings.c.is_empty() && !root.join(crate::sanitizer::CC_VERSION_FILE).is_file() {
        listings.problems.push(Problem::new(
            Rule::Toolchain,
            crate::sanitizer::CC_VERSION_FILE,
            format!(
                "is missing: it records which C compiler made the sanitizer reports; run `{}` \
                 to write it",
                crate::bless::BLESS_COMMAND
            ),
        ));
    }
    listings
}

/// A C listing and the sanitizer its snapshot names; exactly one must be beside it.
fn c_listing(root: &Path, file: &Path, problems: &mut Vec<Problem>) -> CListing {
    let beside: Vec<Sanitizer> = Sanitizer::ALL
        .into_iter()
        .filter(|s| root.join(file.with_extension(s.extension())).is_file())
        .collect();
    if beside.len() != 1 {
        let names: Vec<String> = beside
            .iter()
            .map(|s| slash(&file.with_extension(s.extension())))
            .collect();
        let found = if names.is_empty() {
            "has no sanitizer report beside it".to_owned()
        } else {
            format!(
                "has more than one sanitizer report beside it ({})",
                names.join(", ")
            )
        };
        problems.push(Problem::new(
            Rule::EveryCFenceTested,
            file,
            format!(
                "{found}, so nothing says which sanitizer must catch its bug. Keep one: .asan \
                 (AddressSanitizer: use after free, double free, a returned stack address), .lsan \
                 (LeakSanitizer: a leak) or .tsan (ThreadSanitizer: a data race); include it in \
                 a ```text fence after the listing and run `{}` to record it",
                crate::bless::BLESS_COMMAND
            ),
        ));
    }
    let sanitizer = match beside.as_slice() {
        [only] => Some(*only),
        _ => None,
    };
    let headline = sanitizer
        .and_then(|s| std::fs::read_to_string(root.join(file.with_extension(s.extension()))).ok())
        .and_then(|report| crate::sanitizer::headline(&report));
    CListing {
        path: file.to_path_buf(),
        sanitizer,
        headline,
    }
}
