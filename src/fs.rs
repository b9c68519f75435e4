//! File-system wrappers that name the path in every error.
//!
//! All of tebiki's file I/O goes through this module (clippy's `disallowed-methods`, set in
//! `clippy.toml`, refuses `std::fs` elsewhere), so an I/O failure always says which file or
//! folder it was about, the way mdBook's `utils::fs` does.
//!
//! Invariants:
//! - a source is read only when it is a regular file, opened without blocking, and never past
//!   its size limit ([`read_limited`]): a FIFO, a socket or a device is an error at its path,
//!   and a huge file is refused before it is read;
//! - a file is replaced only by writing a temporary file beside it, syncing it and renaming it
//!   over the old one ([`replace`]): at every moment the file is the old text or the new one,
//!   whole, with the old file's permissions; the temporary file never stays behind.

#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    reason = "this module is the one place that touches std::fs"
)]

use std::fmt;
use std::fs;
use std::io::{self, Read as _, Write as _};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, Result};

pub(crate) use std::fs::{File, Metadata, ReadDir};

/// The largest text source read (site.yaml, guide.yaml, a step, a theme file), unless the
/// environment variable [`SOURCE_LIMIT_VARIABLE`] names another number of megabytes.
pub(crate) const TEXT_LIMIT: u64 = 8 * 1024 * 1024;

/// Raises (or lowers) [`TEXT_LIMIT`], in megabytes.
pub(crate) const SOURCE_LIMIT_VARIABLE: &str = "TEBIKI_MAX_SOURCE_MB";

/// The size limit of text sources: [`TEXT_LIMIT`], or the megabytes [`SOURCE_LIMIT_VARIABLE`] says.
pub(crate) fn text_limit() -> u64 {
    std::env::var(SOURCE_LIMIT_VARIABLE)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|mb| *mb > 0)
        .map_or(TEXT_LIMIT, |mb| mb.saturating_mul(1024 * 1024))
}

/// Why a source was not read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The operating system refused or failed (missing, permission, I/O).
    Io(io::Error),
    /// It is not a regular file: what it is instead ("a FIFO (named pipe)", …).
    NotRegular(&'static str),
    /// It is larger than `limit` bytes.
    TooLarge { size: u64, limit: u64 },
}

impl ReadError {
    /// How to fix it.
    pub(crate) fn hint(&self) -> crate::i18n::Message {
        use crate::i18n::msg;
        match self {
            Self::Io(_) => msg!("permissions-hint"),
            Self::NotRegular(_) => msg!("not-regular-hint"),
            Self::TooLarge { .. } => msg!("too-large-hint", variable = SOURCE_LIMIT_VARIABLE),
        }
    }

    /// Why, in the author's language (the operating system's words for I/O).
    pub(crate) fn message(&self) -> crate::i18n::Message {
        use crate::i18n::{Message, msg};
        match self {
            Self::Io(err) => Message::text(err.to_string()),
            Self::NotRegular(what) => msg!("not-regular", kind = *what),
            Self::TooLarge { size, limit } => msg!(
                "too-large",
                size = megabytes(*size),
                limit = megabytes(*limit)
            ),
        }
    }

    /// Whether the file could not be read at all (exit code 2), not refused for what it is.
    pub(crate) fn is_io(&self) -> bool {
        matches!(self, Self::Io(_))
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(err) => write!(f, "{err}"),
            Self::NotRegular(what) => write!(f, "it is {what}, not a regular file"),
            Self::TooLarge { size, limit } => write!(
                f,
                "it is {} large, over the limit of {}",
                megabytes(*size),
                megabytes(*limit)
            ),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<io::Error> for ReadError {
    fn from(err: io::Error) -> Self {
        Self::Io(err)
    }
}

fn megabytes(bytes: u64) -> String {
    let tenths = bytes.saturating_mul(10) / (1024 * 1024);
    format!("{}.{} MB", tenths / 10, tenths % 10)
}

/// What a file that is not regular is, for a message.
pub(crate) fn special_kind(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// Opens `path` for reading if it is a regular file, without ever blocking: it is opened
/// non-blocking (a FIFO opens at once, a terminal does not become the controlling one), then
/// looked at. One look, at the open file, so nothing can be swapped in after it (a look before
/// the open cost a third of a warm build's file-system calls).
pub(crate) fn open_regular(path: &Path) -> Result<(File, u64), ReadError> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(i32::try_from(SOURCE_FLAGS.bits()).unwrap_or(0));
    }
    regular(options.open(path)?)
}

/// How [`open_regular`] and [`Folder::read_source`] open a source besides reading it: a FIFO
/// opens at once, a terminal does not become the controlling one.
#[cfg(unix)]
const SOURCE_FLAGS: rustix::fs::OFlags =
    rustix::fs::OFlags::NONBLOCK.union(rustix::fs::OFlags::NOCTTY);

/// The open `file` with its size when it is a regular file, looked at once it is open.
fn regular(file: File) -> Result<(File, u64), ReadError> {
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(special_kind(&meta)));
    }
    Ok((file, meta.len()))
}

/// The bytes of the regular file `path`, refused past `limit` bytes: the file as it was when
/// opened, at most the size it had then (one that grows meanwhile is never read on without
/// end). Reading stops at that size without asking the file whether it ended: one call fewer
/// a file, a fifth of a cold build's calls for its sources.
pub(crate) fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_opened(open_regular(path)?, limit)
}

/// The bytes of a file [`open_regular`] opened, as [`read_limited`] reads them.
fn read_opened((file, size): (File, u64), limit: u64) -> Result<Vec<u8>, ReadError> {
    if size > limit {
        return Err(ReadError::TooLarge { size, limit });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(size).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A folder held open: a file in it is opened by its name, one look-up instead of one for
/// each part of its path (walking the paths of a guide's hundred step files cost a third of
/// opening them).
#[derive(Debug)]
pub(crate) struct Folder {
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
}

impl Folder {
    /// Opens the folder `path` (following links, as opening a file by its path does).
    #[cfg(unix)]
    pub(crate) fn open(path: &Path) -> io::Result<Self> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        Ok(Self {
            fd: rustix::fs::open(path, flags, Mode::empty())?,
        })
    }

    #[cfg(not(unix))]
    pub(crate) fn open(_path: &Path) -> io::Result<Self> {
        Err(io::ErrorKind::Unsupported.into())
    }

    /// [`read_source`] of the file `name` (one part, no separator) in this folder: opened by
    /// [`open_regular`]'s rules.
    #[cfg(unix)]
    pub(crate) fn read_source(&self, name: &std::ffi::OsStr) -> Result<Vec<u8>, ReadError> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::CLOEXEC | SOURCE_FLAGS;
        let fd =
            rustix::fs::openat(&self.fd, name, flags, Mode::empty()).map_err(io::Error::from)?;
        read_opened(regular(File::from(fd))?, text_limit())
    }

    #[cfg(not(unix))]
    pub(crate) fn read_source(&self, _name: &std::ffi::OsStr) -> Result<Vec<u8>, ReadError> {
        Err(ReadError::Io(io::ErrorKind::Unsupported.into()))
    }
}

/// A text source: [`read_limited`] at [`text_limit`].
pub(crate) fn read_source(path: &Path) -> Result<Vec<u8>, ReadError> {
    read_limited(path, text_limit())
}

/// [`read_source`] as an `anyhow` error naming the path, for commands (not the build).
pub(crate) fn read_to_string(path: &Path) -> Result<String> {
    let bytes = read_source(path).with_context(|| crate::i18n::msg!("io-read", path = path))?;
    String::from_utf8(bytes).with_context(|| crate::i18n::msg!("io-not-utf8", path = path))
}

pub(crate) fn metadata(path: &Path) -> io::Result<Metadata> {
    fs::metadata(path)
}

pub(crate) fn symlink_metadata(path: &Path) -> io::Result<Metadata> {
    fs::symlink_metadata(path)
}

pub(crate) fn canonicalize(path: &Path) -> io::Result<PathBuf> {
    fs::canonicalize(path)
}

pub(crate) fn read_dir(path: &Path) -> io::Result<ReadDir> {
    fs::read_dir(path)
}

/// Whether `path` is a folder with nothing in it (false when it cannot be read).
pub(crate) fn is_empty_dir(path: &Path) -> bool {
    fs::read_dir(path).is_ok_and(|mut d| d.next().is_none())
}

pub(crate) fn write(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    fs::write(path, contents).with_context(|| crate::i18n::msg!("io-write", path = path))
}

/// Writes `contents` next to `path` under a temporary name, then renames it into place: a
/// half-written file is never taken for a finished one (the caches rely on it). The folder
/// must exist (see [`create_cache_dir`]).
pub(crate) fn write_atomic(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    replace(path, contents.as_ref(), None)
}

/// Creates the cache folder `cache` (`<root>/.tebiki-cache/<kind>`) — but never the site's
/// root: a site folder that was moved or deleted while `serve` ran is not made again.
pub(crate) fn create_cache_dir(cache: &Path) -> Result<()> {
    let root = cache
        .parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new("."));
    if !root.as_os_str().is_empty() && !root.is_dir() {
        return Err(anyhow::Error::new(crate::i18n::msg!(
            "site-folder-gone",
            path = root
        )));
    }
    create_dir_all(cache)
}

/// Replaces the file `path` with `contents` at once: a temporary file beside it (with `mode`,
/// e.g. the old file's permissions), synced, renamed over it, the folder synced. On any failure
/// the temporary file is removed and `path` is as it was.
pub(crate) fn replace(path: &Path, contents: &[u8], mode: Option<fs::Permissions>) -> Result<()> {
    let tmp = temporary_beside(path, contents, mode, true)?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| crate::i18n::msg!("io-write", path = path))?;
    sync_parent(path);
    Ok(())
}

/// Creates the file `path` with `contents`, refusing to replace one that exists; the file
/// appears whole or not at all.
pub(crate) fn create_new(path: &Path, contents: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        create_dir_all(parent)?;
    }
    let tmp = temporary_beside(path, contents, None, true)?;
    tmp.persist_noclobber(path)
        .map_err(|e| e.error)
        .with_context(|| crate::i18n::msg!("io-create", path = path))?;
    sync_parent(path);
    Ok(())
}

/// A temporary file in `path`'s folder holding `contents` (synced), removed when dropped.
fn temporary_beside(
    path: &Path,
    contents: &[u8],
    mode: Option<fs::Permissions>,
    sync: bool,
) -> Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let context = || crate::i18n::msg!("io-temporary", path = path);
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tebiki-tmp")
        .tempfile_in(dir)
        .with_context(context)?;
    // A new file gets the usual rw-r--r-- (tempfile makes its files private).
    #[cfg(unix)]
    let mode = mode.or_else(|| {
        use std::os::unix::fs::PermissionsExt as _;
        Some(fs::Permissions::from_mode(0o644))
    });
    if let Some(mode) = mode {
        tmp.as_file().set_permissions(mode).with_context(context)?;
    }
    tmp.write_all(contents)
        .and_then(|()| {
            if sync {
                tmp.as_file().sync_all()
            } else {
                Ok(())
            }
        })
        .with_context(context)?;
    Ok(tmp)
}

/// Makes a rename in `path`'s folder durable (best effort: not every system can sync a folder).
fn sync_parent(path: &Path) {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(dir) = File::open(dir)
    {
        let _ = dir.sync_all();
    }
}

pub(crate) fn create_dir_all(path: &Path) -> Result<()> {
    fs::create_dir_all(path).with_context(|| crate::i18n::msg!("io-create-folder", path = path))
}

/// Copies the regular file `from` to `to` (never blocking on a FIFO put in its place).
pub(crate) fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        create_dir_all(parent)?;
    }
    let (mut source, _) =
        open_regular(from).with_context(|| crate::i18n::msg!("io-read", path = from))?;
    let mut dest = File::create(to).with_context(|| crate::i18n::msg!("io-write", path = to))?;
    io::copy(&mut source, &mut dest)
        .map(drop)
        .with_context(|| crate::i18n::msg!("io-copy", from = from, to = to))
}

/// Makes `to` another name of the file `from` (a hard link), or a copy of it where the two
/// folders are on different file systems or the system has no hard links.
pub(crate) fn link_or_copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        create_dir_all(parent)?;
    }
    match fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(_) => copy(from, to),
    }
}

/// Writes a cache file: `contents` under a temporary name beside `path`, renamed over it, not
/// synced (a cache is checked before it is used, and made again when it is not right). The
/// folder must exist.
pub(crate) fn write_cache_file(path: &Path, contents: &[u8]) -> Result<()> {
    let tmp = temporary_beside(path, contents, None, false)?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| crate::i18n::msg!("io-write", path = path))?;
    Ok(())
}

/// Removes the file `path`.
pub(crate) fn remove_file(path: &Path) -> Result<()> {
    fs::remove_file(path).with_context(|| crate::i18n::msg!("io-remove", path = path))
}

pub(crate) fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to).with_context(|| crate::i18n::msg!("io-rename", from = from, to = to))
}

pub(crate) fn remove_dir_all(path: &Path) -> Result<()> {
    fs::remove_dir_all(path).with_context(|| crate::i18n::msg!("io-remove-folder", path = path))
}

/// Removes `path` if it is an empty folder (nothing can be lost).
pub(crate) fn remove_empty_dir(path: &Path) -> io::Result<()> {
    fs::remove_dir(path)
}

/// Opens (creating it if needed) a file to hold a lock on.
pub(crate) fn open_lock_file(path: &Path) -> Result<File> {
    fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .with_context(|| crate::i18n::msg!("io-open", path = path))
}

/// Opens a file to see whether someone holds a lock on it.
pub(crate) fn open(path: &Path) -> io::Result<File> {
    File::open(path)
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

    #[test]
    fn a_large_file_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.md");
        fs::write(&path, vec![b'a'; 2000]).unwrap();
        assert!(matches!(
            read_limited(&path, 1000),
            Err(ReadError::TooLarge {
                size: 2000,
                limit: 1000
            })
        ));
        assert_eq!(read_limited(&path, 2000).unwrap().len(), 2000);
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("step.md");
        rustix::fs::mkfifoat(
            rustix::fs::CWD,
            &path,
            rustix::fs::Mode::from_raw_mode(0o644),
        )
        .unwrap();
        let err = read_source(&path).unwrap_err();
        assert_eq!(
            err.to_string(),
            "it is a FIFO (named pipe), not a regular file"
        );
        assert!(copy(&path, &dir.path().join("out")).is_err());
    }

    #[test]
    fn replace_keeps_the_mode_and_leaves_no_temporary_file() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("guide.yaml");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions();
        replace(&path, b"new", Some(mode)).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o640
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(create_new(&path, b"again").is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
