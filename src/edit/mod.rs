//! Edits of the author's files: the one way tebiki changes a source (`check --fix`, `new`,
//! `init`, and the annotation editor's saves).
//!
//! Whoever computes an edit (a minimal textual change, so that comments and formatting stay)
//! hands it here as the text it was made from and the text it should become. [`save`] then:
//! - follows a symbolic link to its target, which must be inside the site (the link stays a
//!   link; the target is edited);
//! - refuses a read-only file, and a file whose text is no longer the one the edit was made
//!   from (someone saved it meanwhile);
//! - parses the new text again with the caller's parser, and writes nothing if it fails;
//! - writes through [`fs::replace`]: a temporary file beside the target, synced, renamed over
//!   it, with the target's permissions. At every moment the file is the old text or the new one.
//!
//! New files ([`create`]) appear whole or not at all and never replace an existing one. The
//! minimal textual changes themselves are made by the submodules ([`annotations`]: a figure's
//! `annotations:` list; [`mockup`]: a mock-up's `highlight:` and `avoid:` lists) and by `new`
//! (a step id in guide.yaml) and `check::adopt` (UI texts).

pub(crate) mod annotations;
pub(crate) mod mockup;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::fs;
use crate::i18n::{Message, msg};

/// Why an edit was not written (the file is then as it was).
#[derive(Debug)]
pub(crate) enum EditError {
    /// The file changed since the edit was made from it.
    Changed(PathBuf),
    /// The file (or the link's target) may not be written.
    ReadOnly(PathBuf),
    /// A symbolic link leads out of the site.
    LinksOut(PathBuf),
    /// The new text does not parse: what the parser said.
    Invalid(PathBuf, String),
    /// Reading or writing failed.
    Io(anyhow::Error),
}

impl EditError {
    /// What went wrong, for the author (an I/O error is its own chain of causes: `Io`).
    pub(crate) fn message(&self) -> Option<Message> {
        let help = crate::i18n::with_help;
        Some(match self {
            Self::Changed(p) => help(msg!("edit-changed", path = p), msg!("edit-changed-hint")),
            Self::ReadOnly(p) => help(
                msg!("edit-read-only", path = p),
                msg!("edit-read-only-hint", path = p),
            ),
            Self::LinksOut(p) => msg!("edit-links-out", path = p),
            Self::Invalid(p, why) => msg!("edit-invalid", path = p, why = why),
            Self::Io(_) => return None,
        })
    }
}

impl fmt::Display for EditError {
    /// In English (the command line and serve show [`EditError::message`] in the author's
    /// language).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, self.message()) {
            (Self::Io(err), _) => write!(f, "{err:#}"),
            (_, Some(message)) => write!(f, "{message}"),
            (_, None) => Ok(()),
        }
    }
}

impl std::error::Error for EditError {}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes `after` into the author's file `path` (inside the site at `root`), which must still
/// hold `before`, once `reparse(after)` accepts it.
pub(crate) fn save(
    root: &Path,
    path: &Path,
    before: &str,
    after: &str,
    reparse: impl FnOnce(&str) -> Result<(), String>,
) -> Result<(), EditError> {
    let target = target_of(root, path)?;
    let meta = fs::metadata(&target).map_err(|e| EditError::Io(read_error(&target, &e)))?;
    if meta.permissions().readonly() || !writable(&target) {
        return Err(EditError::ReadOnly(path.to_path_buf()));
    }
    let now = fs::read_source(&target)
        .map_err(|e| EditError::Io(anyhow::Error::new(e).context(msg!("io-read", path = path))))?;
    // Sources are read without their byte-order mark; a file that had one keeps it.
    let (bom, text) = match now.strip_prefix(BOM) {
        Some(text) => (BOM, text),
        None => (&b""[..], &now[..]),
    };
    if text != before.as_bytes() {
        return Err(EditError::Changed(path.to_path_buf()));
    }
    reparse(after).map_err(|why| EditError::Invalid(path.to_path_buf(), why))?;
    let bytes = [bom, after.as_bytes()].concat();
    fs::replace(&target, &bytes, Some(meta.permissions())).map_err(EditError::Io)
}

/// The version of a source's YAML as the annotation editor names it: 16 hex digits of a hash
/// of the text (the same in every run, so a page rendered before a restart still saves).
pub(crate) fn version_of(yaml: &str) -> String {
    use std::hash::{Hash as _, Hasher as _};
    let mut hasher = std::hash::DefaultHasher::new();
    yaml.hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// Whether `text`, the new text of the source `path`, is still well-formed: YAML for a `.yaml`
/// file, front matter and body for a step's `.md` (the parser every source is read with).
pub(crate) fn well_formed(path: &Path, text: &str) -> Result<(), String> {
    let yaml = if path.extension().is_some_and(|e| e == "md") {
        match crate::load::split_front_matter(text) {
            Some(((start, end), _)) => &text[start..end],
            None if !text.starts_with("---") => return Ok(()),
            None => return Err("its front matter is not closed".into()),
        }
    } else {
        text
    };
    serde_saphyr::from_str::<serde::de::IgnoredAny>(yaml)
        .map(drop)
        .map_err(|e| e.to_string().lines().next().unwrap_or_default().to_owned())
}

/// Creates the new author's file `path` with `text` (refusing one that exists).
pub(crate) fn create(path: &Path, text: &str) -> anyhow::Result<()> {
    fs::create_new(path, text.as_bytes())
}

/// The file to write for `path`: itself, or the target of a link, which must be inside `root`.
fn target_of(root: &Path, path: &Path) -> Result<PathBuf, EditError> {
    let meta = fs::symlink_metadata(path).map_err(|e| EditError::Io(read_error(path, &e)))?;
    if !meta.file_type().is_symlink() {
        return Ok(path.to_path_buf());
    }
    let real = fs::canonicalize(path).map_err(|e| EditError::Io(read_error(path, &e)))?;
    let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    if !real.starts_with(&root) {
        return Err(EditError::LinksOut(path.to_path_buf()));
    }
    Ok(real)
}

fn read_error(path: &Path, err: &std::io::Error) -> anyhow::Error {
    anyhow::Error::new(std::io::Error::new(err.kind(), err.to_string()))
        .context(msg!("io-read", path = path))
}

/// Whether this process may write `path` (its permission bits alone do not say for root).
#[cfg(unix)]
fn writable(path: &Path) -> bool {
    rustix::fs::access(path, rustix::fs::Access::WRITE_OK).is_ok()
}

#[cfg(not(unix))]
fn writable(_: &Path) -> bool {
    true
}

#[cfg(test)]
#[allow(
    clippy::disallowed_methods,
    reason = "tests set up their files with std::fs"
)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("guide.yaml");
        std::fs::write(&file, "a: 1 # note\n").unwrap();
        (dir, file)
    }

    #[test]
    fn a_save_replaces_the_text_after_reparsing() {
        let (dir, file) = site();
        save(dir.path(), &file, "a: 1 # note\n", "a: 2 # note\n", |_| {
            Ok(())
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "a: 2 # note\n");
        let err = save(dir.path(), &file, "a: 2 # note\n", "a: [", |_| {
            Err("bad".into())
        });
        assert!(matches!(err, Err(EditError::Invalid(..))));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "a: 2 # note\n");
    }

    #[test]
    fn a_file_changed_meanwhile_is_not_overwritten() {
        let (dir, file) = site();
        let err = save(dir.path(), &file, "a: 0\n", "a: 2\n", |_| Ok(()));
        assert!(matches!(err, Err(EditError::Changed(_))));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "a: 1 # note\n");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_edited_through_and_stays_a_link() {
        let (dir, file) = site();
        let link = dir.path().join("link.yaml");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        save(dir.path(), &link, "a: 1 # note\n", "a: 3\n", |_| Ok(())).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "a: 3\n");
        let outside = tempfile::tempdir().unwrap();
        let far = outside.path().join("far.yaml");
        std::fs::write(&far, "a: 1 # note\n").unwrap();
        let out_link = dir.path().join("out.yaml");
        std::os::unix::fs::symlink(&far, &out_link).unwrap();
        let err = save(dir.path(), &out_link, "a: 1 # note\n", "x", |_| Ok(()));
        assert!(matches!(err, Err(EditError::LinksOut(_))));
    }
}
