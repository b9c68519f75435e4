//! What serve keeps between rebuilds ([`Reads`]): parsed steps, other sources' texts and
//! pictures' facts, each by path.
//!
//! Invariant: an entry is used only while its file's length and modification time are the
//! ones it was read at (`reads::Memo`); the watcher drops the entries of changed files.

use std::path::Path;
use std::sync::Arc;

use super::LoadedStep;
use super::pictures::PictureFacts;
use crate::reads::Memo;

/// What `serve` read at earlier rebuilds: parsed steps, other sources' texts, pictures' sizes
/// and hashes, each used while its file is unchanged.
#[derive(Debug, Default)]
pub(crate) struct Reads {
    pub(super) steps: Memo<LoadedStep>,
    pub(super) texts: Memo<Arc<str>>,
    pub(super) pictures: Memo<PictureFacts>,
}

impl Reads {
    /// Drops what was read from `path` (the watcher saw it change).
    pub(crate) fn forget(&self, path: &Path) {
        self.steps.forget(path);
        self.texts.forget(path);
        self.pictures.forget(path);
    }

    /// Drops everything (a rebuild from scratch).
    pub(crate) fn clear(&self) {
        self.steps.clear();
        self.texts.clear();
        self.pictures.clear();
    }
}
