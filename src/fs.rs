//! File-system wrappers that name the path in every error.
//!
//! All of tebiki's file I/O goes through these functions, so an I/O failure always says which
//! file or folder it was about (the way mdBook's `utils::fs` does).

use std::fs;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, Result};

pub(crate) fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    fs::write(path, contents).with_context(|| format!("could not write {}", path.display()))
}

/// Writes `contents` next to `path` under a temporary name, then renames it into place: a
/// half-written file is never taken for a finished one (the caches rely on it).
pub(crate) fn write_atomic(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    create_dir_all(dir)?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    write(&tmp, contents)?;
    rename(&tmp, path)
}

pub(crate) fn create_dir_all(path: &Path) -> Result<()> {
    fs::create_dir_all(path)
        .with_context(|| format!("could not create the folder {}", path.display()))
}

pub(crate) fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        create_dir_all(parent)?;
    }
    fs::copy(from, to)
        .map(drop)
        .with_context(|| format!("could not copy {} to {}", from.display(), to.display()))
}

pub(crate) fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to)
        .with_context(|| format!("could not rename {} to {}", from.display(), to.display()))
}

pub(crate) fn remove_dir_all(path: &Path) -> Result<()> {
    fs::remove_dir_all(path)
        .with_context(|| format!("could not remove the folder {}", path.display()))
}

/// Lexically normalises `path` (resolving `.` and `..`) without touching the file system.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_path() {
        let err = copy(Path::new("/no/such/file.yaml"), Path::new("/tmp/x")).unwrap_err();
        assert!(format!("{err:#}").contains("/no/such/file.yaml"));
    }

    #[test]
    fn normalize_resolves_dots_lexically() {
        assert_eq!(
            normalize(Path::new("/site/content/a/../b.md")),
            Path::new("/site/content/b.md")
        );
        assert_eq!(normalize(Path::new("a/./../../b")), Path::new("../b"));
    }
}
