//! Where a guide's files come from, and one source file.
//!
//! [`Sources`] is what the one loader reads through: the site's folder on the disk (every path
//! checked by `paths`, unchanged texts taken from serve's memo), or texts held in memory, by
//! path (fuzzing). [`Source`] is one file's text as read (UTF-8, without a byte-order mark) and
//! where it lives; [`YamlPlace`] a piece of YAML inside it that diagnostics point into.
//!
//! Invariants: a file that is not UTF-8 is an error at its first bad byte, never decoded
//! lossily; positions are counted in the text without the byte-order mark; a source's span
//! tree is parsed at most once, the first time a position is asked for. In memory, nothing is
//! read from the disk, no folder is listed and no path leaves the map.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::{LoadOptions, Reads};
use crate::diagnostics::{Diagnostic, Position, display_path};
use crate::paths::{Found, PathCheck, PathProblem};
use crate::yaml::{self, Seg, Tree};

/// Where the files of a guide come from. The loader asks it what is at a path and reads
/// through it; only the disk has folders to list, other files to publish and screenshots.
#[derive(Debug)]
pub(super) enum Sources<'a> {
    /// The site whose canonical root is `root`.
    Disk {
        root: &'a Path,
        options: LoadOptions<'a>,
        /// The one check of every path of the guide (it remembers the folders it resolved).
        check: PathCheck<'a>,
    },
    /// Texts by path (`content/<slug>/guide.yaml`, `content/<slug>/steps/<id>.md`, …), under
    /// an empty root: no other file exists.
    Memory(BTreeMap<PathBuf, String>),
}

impl<'a> Sources<'a> {
    /// The site at the canonical root `root`.
    pub(super) fn disk(root: &'a Path, options: LoadOptions<'a>) -> Self {
        Self::Disk {
            root,
            options,
            check: PathCheck::new(root),
        }
    }

    /// The site's root: paths in messages are shown relative to it.
    pub(super) fn root(&self) -> &'a Path {
        match self {
            Self::Disk { root, .. } => root,
            Self::Memory(_) => Path::new(""),
        }
    }

    /// The site's root when the files are on the disk (folders can be listed, screenshots
    /// looked at); `None` in memory.
    pub(super) fn on_disk(&self) -> Option<&'a Path> {
        match self {
            Self::Disk { root, .. } => Some(root),
            Self::Memory(_) => None,
        }
    }

    /// What serve read at earlier rebuilds.
    pub(super) fn reads(&self) -> Option<&'a Reads> {
        match self {
            Self::Disk { options, .. } => options.reads,
            Self::Memory(_) => None,
        }
    }

    /// What is at `path`, a path the loader built (see `PathCheck::check`).
    pub(super) fn check(&mut self, path: &Path) -> Result<Found, PathProblem> {
        match self {
            Self::Disk { check, .. } => check.check(path),
            Self::Memory(texts) => {
                let path = crate::fs::normalize(path);
                Ok(if texts.contains_key(&path) {
                    Found::File(path)
                } else {
                    Found::Missing(path)
                })
            }
        }
    }

    /// What is at `written`, a path an author wrote relative to the folder `base`.
    pub(super) fn resolve(&mut self, base: &Path, written: &str) -> Result<Found, PathProblem> {
        match self {
            Self::Disk { check, .. } => check.resolve(base, written),
            Self::Memory(_) => self.check(&base.join(written)),
        }
    }

    /// Whether the folder `dir` is inside the site, links resolved (always, in memory).
    pub(super) fn dir_inside(&mut self, dir: &Path) -> bool {
        match self {
            Self::Disk { root, check, .. } => {
                let dir = crate::fs::normalize(dir);
                dir.starts_with(root) && check.dir_inside(&dir).is_ok()
            }
            Self::Memory(_) => true,
        }
    }

    /// Whether `path` is a file (not checked: for files that may be absent, such as ui.yaml).
    pub(super) fn is_file(&self, path: &Path) -> bool {
        match self {
            Self::Disk { .. } => path.is_file(),
            Self::Memory(texts) => texts.contains_key(&crate::fs::normalize(path)),
        }
    }

    /// The source at `path`, taking the text from serve's memo while the file is unchanged.
    pub(super) fn read(&self, path: &Path) -> Result<Source, Diagnostic> {
        match self {
            Self::Disk { root, options, .. } => Source::read_with(root, path, options.reads),
            Self::Memory(_) => self.read_unkept(None, path),
        }
    }

    /// The source at `path`, always read (a step file: serve keeps its parse instead); opened
    /// by its name in `folder` when that is the folder it is in.
    pub(super) fn read_unkept(
        &self,
        folder: Option<&crate::fs::Folder>,
        path: &Path,
    ) -> Result<Source, Diagnostic> {
        match self {
            Self::Disk { root, .. } => match (folder, path.file_name()) {
                (Some(folder), Some(name)) => {
                    let display = display_path(root, path);
                    let text = text_of(&display, folder.read_source(name))?;
                    Ok(Source::new(path.to_path_buf(), display, text))
                }
                _ => Source::read(root, path),
            },
            Self::Memory(texts) => {
                let path = crate::fs::normalize(path);
                let Some(text) = texts.get(&path) else {
                    let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
                    return Err(read_problem(&path, &crate::fs::ReadError::Io(missing)));
                };
                let text = text.strip_prefix('\u{feff}').unwrap_or(text).to_owned();
                Ok(Source::new(path.clone(), path, text))
            }
        }
    }
}

/// The text of the file shown as `display`, from what reading it gave.
fn text_of(
    display: &Path,
    read: Result<Vec<u8>, crate::fs::ReadError>,
) -> Result<String, Diagnostic> {
    let bytes = read.map_err(|err| read_problem(display, &err))?;
    decode(&bytes).map_err(|d| d.in_file(display))
}

/// The text of one source file and where it lives.
#[derive(Clone, Debug)]
pub(crate) struct Source {
    /// Absolute (or root-joined) path, for I/O.
    pub path: PathBuf,
    /// Path relative to the site root, for messages.
    pub display: PathBuf,
    /// The text, without a leading byte-order mark (positions are counted in it).
    pub text: String,
    /// Where each value of its YAML (the whole file, or a step's front matter) is written;
    /// parsed the first time a position is asked for.
    /// Boxed: most sources never need it, and a step's source is in memory until it is rendered.
    tree: OnceLock<Option<Box<Tree>>>,
}

impl Source {
    /// Reads `path` as UTF-8 text. A file that cannot be read is a `cannot_read` diagnostic;
    /// one that is not UTF-8 is an error at the first bad byte's line and column.
    pub(crate) fn read(root: &Path, path: &Path) -> Result<Self, Diagnostic> {
        Self::read_with(root, path, None)
    }

    /// [`Self::read`], taking the text from `reads` while the file is unchanged.
    pub(crate) fn read_with(
        root: &Path,
        path: &Path,
        reads: Option<&Reads>,
    ) -> Result<Self, Diagnostic> {
        let display = display_path(root, path);
        let read = || text_of(&display, crate::fs::read_source(path));
        let text = match reads {
            Some(reads) => reads
                .texts
                .get_or(path, || read().map(Arc::from))?
                .to_string(),
            None => read()?,
        };
        Ok(Self::new(path.to_path_buf(), display, text))
    }

    /// A source from text already in memory.
    pub(crate) fn new(path: PathBuf, display: PathBuf, text: String) -> Self {
        Self {
            path,
            display,
            text,
            tree: OnceLock::new(),
        }
    }

    /// The spans of `yaml`, this file's YAML part (always the same part of one file).
    pub(crate) fn tree(&self, yaml: &str) -> Option<&Tree> {
        self.tree
            .get_or_init(|| Tree::parse(yaml).map(Box::new))
            .as_deref()
    }

    /// Where the value at `path` of this file's YAML part `yaml` (at byte `base`) starts, or
    /// the start of the mapping it would be written in; 0 when the YAML is not well-formed.
    pub(crate) fn yaml_offset(&self, base: usize, yaml: &str, path: &[Seg<'_>]) -> usize {
        base + self.tree(yaml).map_or(0, |t| t.start(path))
    }

    /// A diagnostic pointing at the YAML value at `path` (in YAML that starts at byte `base`).
    pub(crate) fn yaml_error(
        &self,
        base: usize,
        yaml_text: &str,
        path: &[Seg<'_>],
        message: impl Into<crate::i18n::Message>,
    ) -> Diagnostic {
        yaml::point_in(
            Diagnostic::error(message).in_file(&self.display),
            self.tree(yaml_text),
            base,
            &self.text,
            path,
        )
    }
}

/// A source that was not read: it could not be (exit 2), or it is no regular file or too large
/// (a problem with the input, at its path).
pub(crate) fn read_problem(display: &Path, err: &crate::fs::ReadError) -> Diagnostic {
    match err {
        crate::fs::ReadError::Io(io) => Diagnostic::cannot_read(display, io),
        other => Diagnostic::error(crate::i18n::msg!(
            "cannot-read",
            what = display,
            error = other.message()
        ))
        .with_hint(other.hint()),
    }
    .in_file(display)
}

/// UTF-8 text from a file's bytes, without a leading byte-order mark.
/// simdutf8 checks the bytes in a tenth of the instructions `String::from_utf8` takes on
/// Japanese text (4 % of a cold build); the copy into a `String` costs less than the check.
fn decode(bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    simdutf8::basic::from_utf8(bytes)
        .map(str::to_owned)
        .map_err(|_| not_utf8(bytes))
}

/// The error for bytes that are not UTF-8, at the line and column of the first bad byte.
fn not_utf8(bytes: &[u8]) -> Diagnostic {
    // Only called when the bytes are not UTF-8; all of them are good otherwise.
    let good = std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), str::len);
    let before = String::from_utf8_lossy(&bytes[..good]);
    let position = Position::of_offset(&before, before.len());
    let line_start = bytes[..good]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let line_end = bytes[good..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |i| good + i);
    let line = String::from_utf8_lossy(&bytes[line_start..line_end]).into_owned();
    let byte = bytes.get(good).copied().unwrap_or_default();
    Diagnostic::error(crate::i18n::msg!(
        "not-utf8",
        byte = format!("0x{byte:02X}"),
        line = position.line,
        column = position.column
    ))
    .at(&line_pad(&line, position.line), position, 1)
    .with_hint(crate::i18n::msg!("not-utf8-hint"))
}

/// A text whose line `line` is `text` (for pointing a diagnostic into a file that is no text).
fn line_pad(text: &str, line: usize) -> String {
    format!("{}{text}", "\n".repeat(line.saturating_sub(1)))
}

/// Where a piece of YAML sits in a file: for diagnostics about values inside it, and for
/// finding where their Markdown starts.
#[derive(Clone, Debug)]
pub(crate) struct YamlPlace<'a> {
    pub source: &'a Source,
    /// Byte offset of `yaml` in the file.
    pub base: usize,
    pub yaml: &'a str,
    /// The path of the value this place is about, inside `yaml`.
    pub path: Vec<Seg<'static>>,
}

impl YamlPlace<'_> {
    /// An error pointing at the value of `field` below this place.
    pub(crate) fn error(
        &self,
        field: &'static str,
        message: impl Into<crate::i18n::Message>,
    ) -> Diagnostic {
        self.error_below(&[Seg::Key(field)], message)
    }

    /// The path of `field`'s value (for Markdown diagnostics).
    pub(crate) fn path_to(&self, field: &'static str) -> Vec<Seg<'static>> {
        [self.path.as_slice(), &[Seg::Key(field)]].concat()
    }

    /// An error pointing at `more` below this place's value.
    pub(crate) fn error_below(
        &self,
        more: &[Seg<'static>],
        message: impl Into<crate::i18n::Message>,
    ) -> Diagnostic {
        let path = [self.path.as_slice(), more].concat();
        self.source.yaml_error(self.base, self.yaml, &path, message)
    }
}
