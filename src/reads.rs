//! [`Memo`]: what was made of a file (its bytes, a parsed step, a picture's size and hash),
//! kept while the file stays as it was, so that `serve` does not read an unchanged file again.
//!
//! A kept value is used only while the file's length and modification time are those it was
//! read with (one `stat`, which costs less than opening the file and, unlike opening, wakes no
//! watcher); the watcher's events also drop what they name. `build` and `check` keep nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

/// What identifies one version of a file without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(path: &Path) -> Option<Self> {
        let meta = crate::fs::metadata(path).ok()?;
        Some(Self {
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// Values made from files, by path, each with the stamp of the file it was made from.
#[derive(Debug)]
pub(crate) struct Memo<V> {
    entries: Mutex<HashMap<PathBuf, (Stamp, V)>>,
}

impl<V> Default for Memo<V> {
    fn default() -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl<V: Clone> Memo<V> {
    /// The value for the file `key`, made by `make` unless the file is unchanged since it was
    /// made last. A value `make` fails to produce is not kept.
    pub(crate) fn get_or<E>(
        &self,
        key: &Path,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        let stamp = Stamp::of(key);
        if let Some(stamp) = stamp
            && let Some((kept, value)) = self.lock().get(key)
            && *kept == stamp
        {
            return Ok(value.clone());
        }
        let value = make()?;
        // Stamped before the read: a change during the read makes the next stamp differ.
        if let Some(stamp) = stamp {
            self.lock()
                .insert(key.to_path_buf(), (stamp, value.clone()));
        }
        Ok(value)
    }

    /// Drops what was made from `key` (the watcher saw it change).
    pub(crate) fn forget(&self, key: &Path) {
        self.lock().remove(key);
    }

    /// Drops everything (a rebuild from scratch).
    pub(crate) fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, (Stamp, V)>> {
        // A panic while holding the lock cannot leave a half-written entry: keep using it.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
#[allow(
    clippy::disallowed_methods,
    reason = "tests set up their files with std::fs"
)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_value_is_used_until_the_file_changes_or_is_forgotten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "one").unwrap();
        let memo: Memo<String> = Memo::default();
        let opened = std::cell::Cell::new(0);
        let read = |memo: &Memo<String>| {
            memo.get_or(&path, || {
                opened.set(opened.get() + 1);
                std::fs::read_to_string(&path)
            })
            .unwrap()
        };
        assert_eq!(read(&memo), "one");
        assert_eq!(read(&memo), "one");
        std::fs::write(&path, "three").unwrap();
        assert_eq!(read(&memo), "three");
        memo.forget(&path);
        assert_eq!(read(&memo), "three");
        assert_eq!(
            opened.get(),
            3,
            "read at first, after the change and after forget"
        );
    }
}
