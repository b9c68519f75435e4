//! The one place that decides whether a path is inside the site.
//!
//! The site's root is made canonical once, when the site is opened ([`canonical_root`]); every
//! path an author writes (a step's `file:`, a step id used as a file name, a picture's `src`) and
//! every file found by walking the site's folders (static files, theme files, guide folders)
//! goes through a [`PathCheck`], which refuses absolute paths and URLs, `..` that climbs out,
//! and symbolic links — of files or of any folder on the way — that lead out of the root.
//!
//! Invariant: a path this module accepts, resolved by the operating system, names something
//! inside the canonical root. Callers turn a [`PathProblem`] into a diagnostic at the place
//! where the author wrote the path.

use rustc_hash::FxHashMap as HashMap;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::fs;

/// The canonical form of the site's root (symbolic links resolved, absolute).
pub(crate) fn canonical_root(root: &Path) -> io::Result<PathBuf> {
    fs::canonicalize(root)
}

/// What a checked path turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Found {
    File(PathBuf),
    Dir(PathBuf),
    /// Nothing is there (yet); the path would be inside the site.
    Missing(PathBuf),
}

/// Why a path is refused, or could not be looked at.
#[derive(Debug)]
pub(crate) enum PathProblem {
    /// An absolute path, a URL, a drive letter or a NUL byte.
    NotRelative,
    /// `..` climbs out of the site.
    Outside,
    /// A symbolic link on the way leads out of the site (to this place).
    LinksOut(PathBuf),
    /// It is not a regular file nor a folder: what it is ("a FIFO (named pipe)", …).
    Special(&'static str),
    /// The operating system would not tell (permission denied, …).
    Io(io::Error),
}

impl PathProblem {
    /// A sentence for a diagnostic about `what` (e.g. "the image `a.png`").
    pub(crate) fn message(&self, what: impl Into<crate::i18n::Arg>) -> crate::i18n::Message {
        use crate::i18n::msg;
        let what = what.into();
        match self {
            Self::NotRelative => msg!("path-not-relative", what = what),
            Self::Outside => msg!("path-outside", what = what),
            Self::LinksOut(_) => msg!("path-links-out", what = what),
            Self::Special(kind) => msg!("path-special", what = what, kind = *kind),
            Self::Io(err) => msg!("path-io", what = what, error = err.to_string()),
        }
    }

    /// How to fix it, for `noun` (e.g. "the picture").
    pub(crate) fn hint(&self, noun: crate::i18n::Message) -> crate::i18n::Message {
        use crate::i18n::msg;
        match self {
            Self::NotRelative | Self::Outside => msg!("path-inside-hint", noun = noun),
            Self::LinksOut(_) => msg!("path-links-out-hint", noun = noun),
            Self::Special(_) => msg!("path-special-hint", noun = noun),
            Self::Io(_) => msg!("permissions-hint"),
        }
    }
}

/// Checks paths against one canonical root, remembering the folders it has resolved (a site
/// has few folders and many files: each folder is resolved once per check).
#[derive(Debug)]
pub(crate) struct PathCheck<'r> {
    root: &'r Path,
    /// Folder (lexical, inside the root) → whether its real path is inside the root.
    dirs: HashMap<PathBuf, Result<(), PathBuf>>,
}

impl<'r> PathCheck<'r> {
    /// A checker for the canonical root `root` (see [`canonical_root`]).
    pub(crate) fn new(root: &'r Path) -> Self {
        Self {
            root,
            dirs: HashMap::default(),
        }
    }

    /// Resolves `written`, a path an author wrote relative to the folder `base` (inside the
    /// root), and says what is there.
    pub(crate) fn resolve(&mut self, base: &Path, written: &str) -> Result<Found, PathProblem> {
        if !is_relative(written) {
            return Err(PathProblem::NotRelative);
        }
        self.check(&base.join(written))
    }

    /// Checks a path below the root (one that tebiki built or found by walking a folder).
    pub(crate) fn check(&mut self, path: &Path) -> Result<Found, PathProblem> {
        let path = fs::normalize(path);
        if !path.starts_with(self.root) {
            return Err(PathProblem::Outside);
        }
        if let Some(parent) = path.parent() {
            self.dir_inside(parent)?;
        }
        let meta = match fs::symlink_metadata(&path) {
            Ok(meta) => meta,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(Found::Missing(path)),
            Err(err) => return Err(PathProblem::Io(err)),
        };
        let meta = if meta.file_type().is_symlink() {
            let real = match fs::canonicalize(&path) {
                Ok(real) => real,
                // A dangling link: nothing is there.
                Err(err) if err.kind() == io::ErrorKind::NotFound => {
                    return Ok(Found::Missing(path));
                }
                Err(err) => return Err(PathProblem::Io(err)),
            };
            if !real.starts_with(self.root) {
                return Err(PathProblem::LinksOut(real));
            }
            fs::metadata(&real).map_err(PathProblem::Io)?
        } else {
            meta
        };
        if meta.is_dir() {
            Ok(Found::Dir(path))
        } else if meta.is_file() {
            Ok(Found::File(path))
        } else {
            Err(PathProblem::Special(fs::special_kind(&meta)))
        }
    }

    /// Whether the folder `dir` (lexically inside the root) really is inside it: no link on the
    /// way leads out. A folder that does not exist is inside when its nearest existing parent is
    /// (nothing can be read from it).
    pub(crate) fn dir_inside(&mut self, dir: &Path) -> Result<(), PathProblem> {
        if dir == self.root || !dir.starts_with(self.root) {
            return Ok(());
        }
        if let Some(known) = self.dirs.get(dir) {
            return known.clone().map_err(PathProblem::LinksOut);
        }
        let verdict = match fs::canonicalize(dir) {
            Ok(real) if real.starts_with(self.root) => Ok(()),
            Ok(real) => Err(real),
            Err(err) if err.kind() == io::ErrorKind::NotFound => match dir.parent() {
                Some(parent) => match self.dir_inside(parent) {
                    Ok(()) => Ok(()),
                    Err(PathProblem::LinksOut(real)) => Err(real),
                    Err(other) => return Err(other),
                },
                None => Ok(()),
            },
            Err(err) => return Err(PathProblem::Io(err)),
        };
        self.dirs.insert(dir.to_path_buf(), verdict.clone());
        verdict.map_err(PathProblem::LinksOut)
    }
}

/// Whether a file named `name` is an editor's or the system's leftover, never a source nor a
/// file to publish: Emacs locks (`.#x`) and backups (`x~`), vim's swap files and its write test
/// `4913`, macOS's `._x` and `.DS_Store`, Windows' `Thumbs.db` and `desktop.ini`, GNOME's
/// `.goutputstream-*`, and tebiki's own temporary files. Loading, static copying and serve's
/// watcher all skip them.
pub(crate) fn is_leftover(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    name.starts_with(".#")
        || name.starts_with("._")
        || name.ends_with('~')
        || name == "4913"
        || name.starts_with(".goutputstream")
        || matches!(lower.as_str(), ".ds_store" | "thumbs.db" | "desktop.ini")
        || [".swp", ".swo", ".swx", ".tmp", ".tebiki-tmp"]
            .iter()
            .any(|x| lower.ends_with(x))
}

/// Whether an author's path is a plain relative one: no URL scheme, root, drive or NUL.
fn is_relative(written: &str) -> bool {
    !written.is_empty()
        && !written.contains("://")
        && !written.contains('\0')
        && !written.starts_with(['/', '\\'])
        && Path::new(written).components().all(|c| {
            matches!(
                c,
                Component::Normal(_) | Component::CurDir | Component::ParentDir
            )
        })
        && !written
            .split(['/', '\\'])
            .next()
            .is_some_and(|first| first.len() == 2 && first.ends_with(':'))
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
        let root = canonical_root(dir.path()).unwrap().join("site");
        std::fs::create_dir_all(root.join("content/g/images")).unwrap();
        std::fs::write(root.join("content/g/images/a.png"), b"x").unwrap();
        std::fs::write(dir.path().join("secret.md"), b"secret").unwrap();
        (dir, root)
    }

    #[test]
    fn plain_paths_resolve_inside() {
        let (_keep, root) = site();
        let mut check = PathCheck::new(&root);
        let base = root.join("content/g");
        assert!(matches!(
            check.resolve(&base, "images/a.png"),
            Ok(Found::File(_))
        ));
        assert!(matches!(
            check.resolve(&base, "./images/../images"),
            Ok(Found::Dir(_))
        ));
        assert!(matches!(
            check.resolve(&base, "images/b.png"),
            Ok(Found::Missing(_))
        ));
    }

    #[test]
    fn every_way_out_is_refused() {
        let (_keep, root) = site();
        let mut check = PathCheck::new(&root);
        let base = root.join("content/g");
        for bad in ["/etc/passwd", "https://x.test/a.png", "C:/x", "a\0b", ""] {
            assert!(
                matches!(check.resolve(&base, bad), Err(PathProblem::NotRelative)),
                "{bad}"
            );
        }
        assert!(matches!(
            check.resolve(&base, "../../../secret.md"),
            Err(PathProblem::Outside)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_site_are_refused_at_any_depth() {
        let (keep, root) = site();
        let outside = keep.path();
        std::os::unix::fs::symlink(outside, root.join("content/g/out")).unwrap();
        std::os::unix::fs::symlink(outside.join("secret.md"), root.join("content/g/s.md")).unwrap();
        std::os::unix::fs::symlink(root.join("content/g/images"), root.join("content/g/pics"))
            .unwrap();
        let mut check = PathCheck::new(&root);
        let base = root.join("content/g");
        assert!(matches!(
            check.resolve(&base, "out/secret.md"),
            Err(PathProblem::LinksOut(_))
        ));
        assert!(matches!(
            check.resolve(&base, "out/none/x.png"),
            Err(PathProblem::LinksOut(_))
        ));
        assert!(matches!(
            check.resolve(&base, "s.md"),
            Err(PathProblem::LinksOut(_))
        ));
        assert!(
            matches!(check.resolve(&base, "pics/a.png"), Ok(Found::File(_))),
            "links inside are fine"
        );
    }
}
