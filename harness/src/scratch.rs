//! Scratch space for the checks that run tools, so that parallel work never shares a file.
//!
//! Every listing build, probe compile and sanitizer run may happen at the same time as others,
//! on other threads or in other test processes. rustc writes its object files next to its
//! output, named after the crate (the same for every listing), so two builds into one folder
//! clobber each other: a cold CI run once failed with "undefined symbol: main" for that reason.
//! So each build gets a [`Folder`] of its own, and every cached result is written through
//! [`write_atomically`], so that a parallel reader sees the whole file or none.
//!
//! Never point a tool's output at `/dev/null`: rustc writes by renaming a temporary file onto
//! its output, which, run as root, replaces `/dev/null` with a regular file.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A name in `dir` that no other thread or process of this run uses: `what-<pid>-<n>`.
pub fn unique(dir: &Path, what: &str) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    dir.join(format!(
        "{what}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ))
}

/// A folder of its own under `parent`, removed with everything in it when dropped.
pub struct Folder {
    path: PathBuf,
}

impl Folder {
    pub fn new(parent: &Path, what: &str) -> io::Result<Folder> {
        let path = unique(parent, what);
        fs::create_dir_all(&path)?;
        Ok(Folder { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn join(&self, name: impl AsRef<Path>) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// Writes `contents` to `path` through a temporary file beside it and a rename.
pub fn write_atomically(path: &Path, contents: impl AsRef<[u8]>) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temporary = unique(dir, &format!(".{name}.tmp"));
    fs::write(&temporary, contents)?;
    fs::rename(&temporary, path).inspect_err(|_| {
        let _ = fs::remove_file(&temporary);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scratch_name_is_new_and_a_folder_goes_when_dropped() {
        let base = std::env::temp_dir().join(format!("scratch-test-{}", std::process::id()));
        let (a, b) = (unique(&base, "build"), unique(&base, "build"));
        assert_ne!(a, b);
        let kept = {
            let folder = Folder::new(&base, "build").unwrap();
            fs::write(folder.join("x"), "x").unwrap();
            folder.path().to_path_buf()
        };
        assert!(!kept.exists());
        let file = base.join("result");
        write_atomically(&file, "whole").unwrap();
        assert_eq!(fs::read_to_string(&file).unwrap(), "whole");
        let leftovers: Vec<_> = fs::read_dir(&base).unwrap().flatten().collect();
        assert_eq!(leftovers.len(), 1, "only the result remains");
        let _ = fs::remove_dir_all(base);
    }
}
