//! Verdicts remembered by everything that produced them, so that a warm `cargo test` repeats no
//! expensive check whose inputs have not changed, as cargo repeats no build whose inputs have
//! not changed.
//!
//! The listing builds, permission tables, full builds, sanitizer and valgrind runs already keep
//! their results in `target/` keyed by their inputs. This module does the same for the checks
//! that run a whole tool over many inputs at once: trybuild over the compile-fail listings (one
//! `cargo check` that rechecks every failing listing on every run, since cargo caches no failed
//! build), and the self-tests' trybuild and skeptic children.
//!
//! A [`Key`] is built from every input of the check: the compiler (`rustc -V` and whether its
//! sysroot has the `rust-src` component, which changes trybuild's paths), the files the check
//! reads, and, for a check whose logic is compiled into the test binary, that binary's identity
//! (a rebuilt binary is a new key). Only an outcome the test expects is stored (a pass, or, for a
//! self-test that wants a tool to refuse something, that refusal): anything else runs again next
//! time. Blessing (`TRYBUILD=overwrite`) never reads the memo. To forget everything,
//! delete `target/tmp/memo/`.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The inputs of one check, hashed.
#[derive(Clone)]
pub struct Key {
    hasher: DefaultHasher,
    /// What the check is, for the file name and messages.
    name: String,
}

impl Key {
    /// A key for the check called `name` (a file name: letters, digits, `-`, `_`).
    pub fn new(name: &str) -> Self {
        let mut hasher = DefaultHasher::new();
        name.hash(&mut hasher);
        Key {
            hasher,
            name: name.to_owned(),
        }
    }

    /// Adds a value (a version, a list of cases, a switch).
    pub fn with(mut self, value: impl Hash) -> Self {
        value.hash(&mut self.hasher);
        self
    }

    /// Adds a file's path and contents (a missing file counts as such, not as empty).
    pub fn with_file(mut self, root: &Path, file: &Path) -> Self {
        file.hash(&mut self.hasher);
        fs::read(root.join(file)).ok().hash(&mut self.hasher);
        self
    }

    /// Adds every file below `dir` (relative to `root`), in order.
    pub fn with_tree(self, root: &Path, dir: &Path) -> Self {
        crate::book::files_under(root, dir)
            .iter()
            .fold(self, |key, file| key.with_file(root, file))
    }

    /// Adds the compiler: `rustc -V`, and whether `rust-src` is installed.
    pub fn with_compiler(self, rustc_version: &str) -> Self {
        let sysroot = Command::new(crate::toolchain::rustc())
            .args(["--print", "sysroot"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default();
        let rust_src = Path::new(&sysroot).join("lib/rustlib/src").is_dir();
        self.with(rustc_version).with(rust_src)
    }

    /// Adds the running executable's identity (path, size, modification time): the logic of a
    /// check compiled into a test binary changes with the binary.
    pub fn with_current_exe(self) -> Self {
        let exe = std::env::current_exe().ok();
        let meta = exe.as_ref().and_then(|e| fs::metadata(e).ok());
        let modified = meta
            .as_ref()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        self.with(exe).with(meta.map(|m| m.len())).with(modified)
    }

    fn file(&self, dir: &Path) -> PathBuf {
        dir.join(format!("{}-{:016x}", self.name, self.hasher.finish()))
    }
}

/// The inputs of trybuild's check of `listings` (compile-fail listings of the book at `root`):
/// the compiler, the root package's manifest and lock file (trybuild's version, the edition and
/// dependencies of the crate it generates), and each listing with its `.stderr`.
pub fn compile_fail_key<'a>(
    root: &Path,
    listings: impl IntoIterator<Item = &'a crate::listing::Listing>,
    rustc_version: &str,
) -> Key {
    let key = Key::new("trybuild-compile-fail")
        .with_compiler(rustc_version)
        .with_file(root, Path::new("Cargo.toml"))
        .with_file(root, Path::new("Cargo.lock"));
    listings.into_iter().fold(key, |key, listing| {
        key.with_file(root, &listing.path)
            .with_file(root, &listing.stderr())
    })
}

/// Where verdicts are kept: `target/tmp/memo/` under `cargo test`.
pub struct Memo {
    dir: PathBuf,
    /// False when blessing: every check runs, so that it can rewrite its snapshots.
    read: bool,
}

impl Memo {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Memo {
            dir: dir.into(),
            read: true,
        }
    }

    /// The memo of `cargo test`, in its target's tmp folder; write-only when blessing.
    pub fn for_cargo_test(target_tmpdir: &Path) -> Self {
        Memo {
            dir: target_tmpdir.join("memo"),
            read: !crate::bless::requested(),
        }
    }

    /// What a check with these inputs produced when it last passed.
    pub fn get(&self, key: &Key) -> Option<String> {
        if !self.read {
            return None;
        }
        fs::read_to_string(key.file(&self.dir)).ok()
    }

    /// Remembers what a check that passed produced. A memo that cannot be written only costs
    /// the next run its time, so errors are ignored.
    pub fn put(&self, key: &Key, value: &str) {
        if fs::create_dir_all(&self.dir).is_ok() {
            let _ = crate::scratch::write_atomically(&key.file(&self.dir), value);
        }
    }

    /// Runs `check` unless a run with the same inputs passed before; `check` returns what to
    /// remember on success and panics (or returns `Err`) on failure. Returns the remembered or
    /// fresh value.
    pub fn remember<E>(
        &self,
        key: &Key,
        check: impl FnOnce() -> Result<String, E>,
    ) -> Result<String, E> {
        if let Some(value) = self.get(key) {
            return Ok(value);
        }
        let value = check()?;
        self.put(key, &value);
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_verdict_is_reused_only_for_the_same_inputs_and_only_if_it_passed() {
        let dir = tempfile_dir();
        let memo = Memo::new(&dir);
        let key = Key::new("demo").with("input one");
        let mut runs = 0;
        let first: Result<String, ()> = memo.remember(&key, || {
            runs += 1;
            Ok("passed".into())
        });
        assert_eq!(first, Ok("passed".into()));
        let again: Result<String, ()> = memo.remember(&key, || {
            runs += 1;
            Ok("passed".into())
        });
        assert_eq!((again, runs), (Ok("passed".into()), 1));

        let other = Key::new("demo").with("input two");
        let failed: Result<String, &str> = memo.remember(&other, || Err("failed"));
        assert_eq!(failed, Err("failed"));
        assert_eq!(memo.get(&other), None, "a failure is never remembered");
        let _ = fs::remove_dir_all(dir);
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("memo-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }
}
