//! Load stage: reads every guide under `content/` and the step files its procedures name.
//!
//! Loading does I/O and parsing only; it reports unreadable files, malformed YAML and front
//! matter, unknown fields, missing step files and paths that leave the site. Meaning (numbers,
//! ids, references) is the resolve stage's business.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, Position, did_you_mean, display_path};
use crate::model::{GuideFile, ImageDef, StepFrontMatter, TroublesFile, is_valid_id};
use crate::paths::{Found, PathCheck, PathProblem};
use crate::reads::Memo;
use crate::yaml::{self, Seg, Tree};

/// What loading needs besides the folders: limits from `site.yaml`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LoadOptions<'a> {
    /// The largest picture accepted, in pixels (width × height), checked before decoding.
    pub max_pixels: u64,
    /// What `serve` read at an earlier rebuild, used while the files are unchanged.
    pub reads: Option<&'a Reads>,
}

/// What `serve` read at earlier rebuilds: parsed steps, other sources' texts, pictures' sizes
/// and hashes, each used while its file is unchanged.
#[derive(Debug, Default)]
pub(crate) struct Reads {
    steps: Memo<LoadedStep>,
    texts: Memo<Arc<str>>,
    pictures: Memo<PictureFacts>,
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

/// What the build needs of a picture file: its size from the header and its content hash.
#[derive(Clone, Copy, Debug)]
struct PictureFacts {
    width: u32,
    height: u32,
    hash: u64,
}

/// The text of one source file and where it lives.
#[derive(Clone, Debug)]
pub struct Source {
    /// Absolute (or root-joined) path, for I/O.
    pub path: PathBuf,
    /// Path relative to the site root, for messages.
    pub display: PathBuf,
    /// The text, without a leading byte-order mark (positions are counted in it).
    pub text: String,
    /// Where each value of its YAML (the whole file, or a step's front matter) is written;
    /// parsed the first time a position is asked for.
    tree: OnceLock<Option<Tree>>,
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
        let read = || {
            let bytes = crate::fs::read_source(path).map_err(|err| read_problem(&display, &err))?;
            decode(bytes).map_err(|d| d.in_file(&display))
        };
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
        self.tree.get_or_init(|| Tree::parse(yaml)).as_ref()
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
        message: impl Into<String>,
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
        crate::fs::ReadError::Io(io) => Diagnostic::cannot_read(display.display(), io),
        other => Diagnostic::error(format!("could not read {}: {other}", display.display()))
            .with_hint(other.hint()),
    }
    .in_file(display)
}

/// UTF-8 text from a file's bytes, without a leading byte-order mark.
fn decode(mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|err| {
        let good = err.utf8_error().valid_up_to();
        let bytes = err.as_bytes();
        let before = String::from_utf8_lossy(&bytes[..good]);
        let position = Position::of_offset(&before, before.len());
        let line_start = bytes[..good].iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let line_end = bytes[good..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(bytes.len(), |i| good + i);
        let line = String::from_utf8_lossy(&bytes[line_start..line_end]).into_owned();
        Diagnostic::error(format!(
            "this file is not UTF-8 text: byte 0x{:02X} at line {}, column {} is not valid UTF-8",
            bytes[good], position.line, position.column
        ))
        .at(&line_pad(&line, position.line), position, 1)
        .with_hint("save the file as UTF-8 (files in Shift_JIS or EUC-JP must be converted, e.g. with `iconv -f SHIFT_JIS -t UTF-8`)")
    })
}

/// A text whose line `line` is `text` (for pointing a diagnostic into a file that is no text).
fn line_pad(text: &str, line: usize) -> String {
    format!("{}{text}", "\n".repeat(line.saturating_sub(1)))
}

/// Where an entry was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TroubleOrigin {
    /// `signs[index]` of failure section `section` in guide.yaml.
    Sign { section: usize, index: usize },
    /// Entry `index` of troubles.yaml.
    File { index: usize },
    /// `troubles[index]` in the front matter of step `step`.
    Step { step: String, index: usize },
}

/// Where an entry's YAML lives, for diagnostics and for locating its Markdown.
pub(crate) type EntrySource<'a> = YamlPlace<'a>;

impl LoadedGuide {
    /// Where the YAML of an entry written at `origin` lives.
    pub(crate) fn entry_source(&self, origin: &TroubleOrigin) -> EntrySource<'_> {
        match origin {
            TroubleOrigin::Sign { section, index } => EntrySource {
                source: &self.file,
                base: 0,
                yaml: &self.file.text,
                path: vec![
                    Seg::Key("sections"),
                    Seg::Index(*section),
                    Seg::Key("signs"),
                    Seg::Index(*index),
                ],
            },
            TroubleOrigin::File { index } => {
                let (source, _) = self
                    .troubles
                    .as_ref()
                    .expect("entries from troubles.yaml imply the file");
                EntrySource {
                    source,
                    base: 0,
                    yaml: &source.text,
                    path: vec![Seg::Index(*index)],
                }
            }
            TroubleOrigin::Step { step, index } => {
                let step = &self.steps[step];
                EntrySource {
                    source: &step.source,
                    base: step.yaml_range.0,
                    yaml: step.yaml(),
                    path: vec![Seg::Key("troubles"), Seg::Index(*index)],
                }
            }
        }
    }
}

/// A step file: its front matter and its Markdown body.
#[derive(Clone, Debug)]
pub struct LoadedStep {
    pub id: String,
    pub source: Source,
    pub front: StepFrontMatter,
    /// Byte offset of the front matter's YAML and of the body within `source.text`.
    pub yaml_range: (usize, usize),
    pub body_offset: usize,
}

impl LoadedStep {
    pub fn body(&self) -> &str {
        &self.source.text[self.body_offset..]
    }
    pub fn yaml(&self) -> &str {
        &self.source.text[self.yaml_range.0..self.yaml_range.1]
    }
}

/// A guide as read from disk.
#[derive(Clone, Debug)]
pub struct LoadedGuide {
    pub slug: String,
    pub dir: PathBuf,
    pub file: Source,
    pub def: GuideFile,
    /// Every step any procedure of this guide names, by id.
    pub steps: BTreeMap<String, LoadedStep>,
    /// `troubles.yaml`, when the guide has one.
    pub troubles: Option<(Source, TroublesFile)>,
    /// Other files in the guide's folder (pictures, downloads), relative to it: copied as-is.
    pub files: Vec<PathBuf>,
    /// The ids of the files in `steps/` that no procedure lists (for the hint of a reference
    /// to one of them).
    pub unlisted: BTreeSet<String>,
    /// The app's UI vocabulary: the site's `ui.yaml` with the guide's own over it.
    pub(crate) ui: crate::ui::Vocabulary,
    /// The ui.yaml files it came from (the site's, the guide's), for `check`.
    pub(crate) ui_sources: Vec<Source>,
}

impl LoadedGuide {
    /// A hash of everything of this guide that its other pages and other guides' pages can
    /// show: all of its YAML (ids, order, titles, windows, trouble entries, figures), its
    /// files and its pictures, but not the steps' Markdown bodies. Serve re-renders the pages
    /// that refer to a guide, and the site-wide pages, only when this changes.
    pub(crate) fn outline(&self) -> u64 {
        use std::hash::{Hash as _, Hasher as _};
        let mut h = std::hash::DefaultHasher::new();
        self.file.text.hash(&mut h);
        if let Some((source, _)) = &self.troubles {
            source.text.hash(&mut h);
        }
        self.ui.hash(&mut h);
        for (id, step) in &self.steps {
            id.hash(&mut h);
            step.yaml().hash(&mut h);
            let picture = step.front.image.as_ref().and_then(|i| i.picture.as_ref());
            picture.map(|p| (p.hash, p.width, p.height)).hash(&mut h);
        }
        self.files.hash(&mut h);
        self.unlisted.hash(&mut h);
        h.finish()
    }

    /// The site's root: guides live in `<root>/content/<slug>`.
    pub(crate) fn site_root(&self) -> &Path {
        self.dir
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new(""))
    }

    /// An error pointing at the `guide.yaml` value at `path`.
    pub(crate) fn error_at(&self, path: &[Seg<'_>], message: impl Into<String>) -> Diagnostic {
        self.file.yaml_error(0, &self.file.text, path, message)
    }
}

/// Loads every guide folder in `content_dir`, reporting all problems found.
pub(crate) fn load_guides(
    root: &Path,
    content_dir: &Path,
    options: LoadOptions<'_>,
) -> (Vec<LoadedGuide>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let dirs = guide_dirs(root, content_dir, &mut diagnostics);
    let results: Vec<(Option<LoadedGuide>, Diagnostics)> = dirs
        .par_iter()
        .map(|dir| load_guide(root, dir, options))
        .collect();
    let mut guides = Vec::new();
    for (guide, d) in results {
        diagnostics.extend(d);
        guides.extend(guide);
    }
    diagnostics.extend(unbuilt_folders(
        root,
        &dirs,
        &guides.iter().collect::<Vec<_>>(),
    ));
    (guides, diagnostics)
}

/// Warnings for the folders of `content/` (`dirs`) that are no guide and hold no file a guide
/// uses (a folder of steps shared by several guides is fine): probably a guide.yaml is missing.
pub(crate) fn unbuilt_folders(
    root: &Path,
    dirs: &[PathBuf],
    guides: &[&LoadedGuide],
) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    // One look-up per folder, not a walk over every guide (that would be quadratic).
    let loaded: HashSet<&Path> = guides.iter().map(|g| g.dir.as_path()).collect();
    for dir in dirs {
        // Cheapest first: a loaded guide, a guide that failed to load, a folder a guide uses.
        let is_guide = loaded.contains(dir.as_path())
            || ["guide.yaml", "guide.yml"]
                .iter()
                .any(|f| dir.join(f).exists());
        let used = || {
            guides
                .iter()
                .any(|g| g.steps.values().any(|s| s.source.path.starts_with(dir)))
        };
        if !is_guide && !used() {
            diagnostics.push(
                Diagnostic::warning(format!(
                    "the folder {} has no guide.yaml, so it is not built",
                    display_path(root, dir).display()
                ))
                .in_file(display_path(root, dir))
                .with_hint(
                    "add a guide.yaml to make it a guide, or move the folder out of content/",
                ),
            );
        }
    }
    diagnostics
}

/// The folders of `content/`, in name order: guide folders, and folders that may become one.
/// Hidden entries are skipped; links are followed only when they stay inside the site.
pub(crate) fn guide_dirs(
    root: &Path,
    content_dir: &Path,
    diagnostics: &mut Diagnostics,
) -> Vec<PathBuf> {
    let shown = display_path(root, content_dir);
    let entries = match crate::fs::read_dir(content_dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            diagnostics.push(
                Diagnostic::error(format!("there is no content folder at {}", shown.display()))
                    .with_hint("create `content/<guide-slug>/guide.yaml`, or pass --root with the site's folder"),
            );
            return Vec::new();
        }
        Err(err) => {
            diagnostics.push(unreadable_folder(root, content_dir, &err));
            return Vec::new();
        }
    };
    let mut names: Vec<std::ffi::OsString> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|n| !n.to_string_lossy().starts_with('.'))
        .collect();
    names.sort();
    let mut check = PathCheck::new(root);
    names
        .into_iter()
        .filter_map(|name| match check.check(&content_dir.join(&name)) {
            Ok(Found::Dir(dir)) => Some(dir),
            Ok(Found::File(_) | Found::Missing(_)) => None,
            Err(problem) => {
                let what = format!("the guide folder {}", shown.join(&name).display());
                diagnostics.push(path_diagnostic(&problem, &what).in_file(shown.join(&name)));
                None
            }
        })
        .collect()
}

/// A diagnostic for a refused path (without a position: the caller adds it, when it has one).
fn path_diagnostic(problem: &PathProblem, what: &str) -> Diagnostic {
    match problem {
        PathProblem::Io(err) => Diagnostic::cannot_read(what, err),
        _ => Diagnostic::error(problem.message(what)).with_hint(problem.hint("the file")),
    }
}

/// Loads one guide folder (`None` when it holds no guide.yaml).
pub(crate) fn load_guide(
    root: &Path,
    dir: &Path,
    options: LoadOptions<'_>,
) -> (Option<LoadedGuide>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let guide_path = dir.join("guide.yaml");
    let slug = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut check = PathCheck::new(root);
    match guide_file(&mut check, root, dir) {
        Ok(true) => {}
        Ok(false) => return (None, diagnostics),
        Err(d) => {
            diagnostics.push(d);
            return (None, diagnostics);
        }
    }
    if !is_valid_id(&slug) {
        diagnostics.push(
            Diagnostic::error(format!(
                "the guide folder name `{slug}` cannot be used as a URL slug"
            ))
            .in_file(display_path(root, dir))
            .with_hint("use lower-case ASCII letters, digits and `-`, e.g. `zaim-amazon`"),
        );
    }
    if let Err(why) = crate::names::check_guide_slug(&slug) {
        let (message, hint) = why.split_once("; ").unwrap_or((&why, ""));
        diagnostics.push(
            Diagnostic::error(message)
                .in_file(display_path(root, dir))
                .with_hint(hint),
        );
    }
    let file = match Source::read_with(root, &guide_path, options.reads) {
        Ok(f) => f,
        Err(d) => {
            diagnostics.push(d);
            return (None, diagnostics);
        }
    };
    let mut def: GuideFile = match yaml::parse(&file.display, &file.text, 0, &file.text) {
        Ok(def) => def,
        Err(d) => {
            diagnostics.push(d);
            return (None, diagnostics);
        }
    };
    let steps_dir = StepsDir::read(root, dir, &mut diagnostics);
    let wanted = step_files(
        &mut check,
        root,
        dir,
        &file,
        &def,
        &steps_dir,
        &mut diagnostics,
    );
    let unlisted = unlisted_steps(root, dir, &def, &steps_dir, &mut diagnostics);
    let loaded: Vec<Result<LoadedStep, Diagnostic>> = wanted
        .into_par_iter()
        .map(|(id, path)| load_step(root, id, &path, options.reads))
        .collect();
    let mut steps = BTreeMap::new();
    for step in loaded {
        match step {
            Ok(step) => {
                steps.insert(step.id.clone(), step);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    let mut troubles = load_troubles(root, dir, options.reads, &mut diagnostics);
    let mut figures = FigureCheck {
        check: Some(check),
        root,
        dir,
        options,
        diagnostics: &mut diagnostics,
    };
    figures.guide(&mut steps, &file, &mut def, &mut troubles);
    let files = colocated_files(root, dir, &mut diagnostics);
    let (ui, ui_sources) = load_vocabulary(root, dir, options.reads, &mut diagnostics);
    let guide = LoadedGuide {
        slug,
        dir: dir.to_path_buf(),
        file,
        def,
        steps,
        troubles,
        files,
        unlisted,
        ui,
        ui_sources,
    };
    (Some(guide), diagnostics)
}

/// The site's `ui.yaml` and the guide's, read and merged (the guide's entries win).
fn load_vocabulary(
    root: &Path,
    dir: &Path,
    reads: Option<&Reads>,
    diagnostics: &mut Diagnostics,
) -> (crate::ui::Vocabulary, Vec<Source>) {
    let mut sources = Vec::new();
    let mut files = [None, None];
    for (slot, folder) in files.iter_mut().zip([root, dir]) {
        let path = folder.join(crate::ui::UI_FILE);
        if !path.is_file() {
            continue;
        }
        let Ok(source) = Source::read_with(root, &path, reads).map_err(|d| diagnostics.push(d))
        else {
            continue;
        };
        *slot = parse_vocabulary(&source, diagnostics);
        sources.push(source);
    }
    let [site, guide] = files;
    (
        crate::ui::Vocabulary::merged(site.as_ref(), guide.as_ref()),
        sources,
    )
}

/// A ui.yaml read: its entries by id, every problem (a bad id, a duplicate, an unknown kind)
/// pushed at its place.
fn parse_vocabulary(source: &Source, diagnostics: &mut Diagnostics) -> Option<crate::ui::UiFile> {
    // serde-saphyr alone: it refuses a duplicate id, where the fast parser keeps the last.
    let file: crate::ui::UiFile =
        yaml::parse_strict(&source.display, &source.text, 0, &source.text)
            .map_err(|d| diagnostics.push(d))
            .ok()?;
    for id in file.keys().filter(|id| !is_valid_id(id)) {
        let d = Diagnostic::error(format!("`{id}` is not a UI id"))
            .in_file(&source.display)
            .with_hint("use lower-case ASCII letters, digits and `-`, e.g. `link-settings`");
        diagnostics.push(yaml::point_key(
            d,
            &source.text,
            0,
            &source.text,
            &[yaml::Seg::Key(id)],
        ));
    }
    Some(file)
}

/// Serve's short way for an edit of step files only: `previous` with the steps of the files
/// `changed` read again (and their pictures looked at again). Nothing else of a guide can change
/// when only its listed step files changed (their names, the steps folder's listing and the
/// guide's other files stay), so the rest is taken as it was.
///
/// `None` when the edit may be more than that: a path that is not the file of a listed step, a
/// file that is no longer a plain file inside the site, or any problem at all. The whole guide
/// is then loaded again, which reports every problem in its usual order.
pub(crate) fn reload_steps(
    root: &Path,
    previous: &LoadedGuide,
    changed: &BTreeSet<PathBuf>,
    options: LoadOptions<'_>,
) -> Option<LoadedGuide> {
    let mut check = PathCheck::new(root);
    let mut steps = BTreeMap::new();
    for path in changed {
        if !matches!(check.check(path), Ok(Found::File(found)) if found == *path) {
            return None;
        }
        let mut ids = previous
            .steps
            .iter()
            .filter(|(_, step)| step.source.path == *path)
            .map(|(id, _)| id.clone())
            .peekable();
        ids.peek()?;
        for id in ids {
            let step = load_step(root, id.clone(), path, options.reads).ok()?;
            steps.insert(id, step);
        }
    }
    let mut diagnostics = Diagnostics::default();
    FigureCheck {
        check: Some(check),
        root,
        dir: &previous.dir,
        options,
        diagnostics: &mut diagnostics,
    }
    .steps(&mut steps);
    if !diagnostics.is_empty() {
        return None;
    }
    let mut guide = previous.clone();
    guide.steps.extend(steps);
    Some(guide)
}

/// Whether `dir` holds a guide.yaml file (inside the site); the problem when it does not.
fn guide_file(check: &mut PathCheck<'_>, root: &Path, dir: &Path) -> Result<bool, Diagnostic> {
    let guide_path = dir.join("guide.yaml");
    match check.check(&guide_path) {
        Ok(Found::File(_)) => Ok(true),
        Ok(Found::Dir(_)) => Err(Diagnostic::error("guide.yaml is a folder, not a file")
            .in_file(display_path(root, &guide_path))
            .with_hint("a guide folder holds a guide.yaml file and a steps/ folder")),
        Ok(Found::Missing(_)) if dir.join("guide.yml").is_file() => {
            Err(Diagnostic::error("a guide file must be called guide.yaml")
                .in_file(display_path(root, &dir.join("guide.yml")))
                .with_hint("rename guide.yml to guide.yaml"))
        }
        // Not a guide (see `unbuilt_folders` for the warning, when nothing uses it).
        Ok(Found::Missing(_)) => Ok(false),
        Err(problem) => {
            Err(path_diagnostic(&problem, "guide.yaml").in_file(display_path(root, &guide_path)))
        }
    }
}

/// A guide from texts in memory, as [`load_guide`] makes it after reading its files: for tools
/// and fuzzing. `steps` are step files by id, `troubles` the text of troubles.yaml, `ui` of
/// ui.yaml. Nothing is
/// read from the disk; screenshots are not looked for, and ids without a text are reported as
/// missing files.
pub(crate) fn guide_from_texts(
    slug: &str,
    guide_yaml: &str,
    steps: &[(&str, &str)],
    troubles: Option<&str>,
    ui: Option<&str>,
) -> (Option<LoadedGuide>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let dir = Path::new("content").join(slug);
    let source = |name: &str, text: &str| {
        let path = dir.join(name);
        let text = text.strip_prefix('\u{feff}').unwrap_or(text).to_owned();
        Source::new(path.clone(), path, text)
    };
    let file = source("guide.yaml", guide_yaml);
    let mut def: GuideFile = match yaml::parse(&file.display, &file.text, 0, &file.text) {
        Ok(def) => def,
        Err(d) => {
            diagnostics.push(d);
            return (None, diagnostics);
        }
    };
    let texts: HashMap<&str, &str> = steps.iter().copied().collect();
    let mut loaded = BTreeMap::new();
    for (step, at) in listed_steps(&def) {
        if !is_valid_id(&step.id) || loaded.contains_key(&step.id) {
            continue;
        }
        let Some(text) = texts.get(step.id.as_str()) else {
            let message = format!("step `{}` has no file", step.id);
            diagnostics.push(file.yaml_error(0, &file.text, &at, message));
            continue;
        };
        let path = format!("steps/{}.md", step.id);
        match parse_step(step.id.clone(), source(&path, text)) {
            Ok(parsed) => {
                loaded.insert(step.id.clone(), parsed);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    let mut troubles = troubles.and_then(|text| {
        let source = source(TROUBLES_FILE, text);
        match yaml::parse::<TroublesFile>(&source.display, &source.text, 0, &source.text) {
            Ok(entries) => Some((source, entries)),
            Err(d) => {
                diagnostics.push(d);
                None
            }
        }
    });
    let mut figures = FigureCheck {
        check: None,
        root: Path::new(""),
        dir: &dir,
        options: LoadOptions {
            max_pixels: 0,
            reads: None,
        },
        diagnostics: &mut diagnostics,
    };
    figures.guide(&mut loaded, &file, &mut def, &mut troubles);
    let guide = LoadedGuide {
        slug: slug.to_owned(),
        dir: dir.clone(),
        file,
        def,
        steps: loaded,
        troubles,
        files: Vec::new(),
        unlisted: BTreeSet::new(),
        ui: crate::ui::Vocabulary::default(),
        ui_sources: Vec::new(),
    };
    let mut guide = guide;
    if let Some(text) = ui {
        let source = source(crate::ui::UI_FILE, text);
        if let Some(file) = parse_vocabulary(&source, &mut diagnostics) {
            guide.ui = crate::ui::Vocabulary::merged(None, Some(&file));
        }
        guide.ui_sources.push(source);
    }
    (Some(guide), diagnostics)
}

/// Reads `troubles.yaml` if the guide has one.
fn load_troubles(
    root: &Path,
    dir: &Path,
    reads: Option<&Reads>,
    diagnostics: &mut Diagnostics,
) -> Option<(Source, TroublesFile)> {
    let path = dir.join(TROUBLES_FILE);
    if !path.is_file() {
        return None;
    }
    let source = Source::read_with(root, &path, reads)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    let entries = yaml::parse(&source.display, &source.text, 0, &source.text)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    Some((source, entries))
}

/// The name of a guide's trouble-entry file.
pub(crate) const TROUBLES_FILE: &str = "troubles.yaml";

/// Files of the guide folder that are published as they are: all but the sources. Links are
/// taken when they stay inside the site; one that leads out is an error.
fn colocated_files(root: &Path, dir: &Path, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    let mut check = PathCheck::new(root);
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().unwrap_or(dir).to_path_buf();
                let io = err
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("a loop of links"));
                diagnostics.push(unreadable_folder(root, &path, &io));
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let is_source = rel
            .extension()
            .is_some_and(|x| x == "md" || x == "yaml" || x == "yml");
        let hidden = rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        let leftover = crate::paths::is_leftover(&entry.file_name().to_string_lossy());
        if is_source || hidden || leftover || entry.file_type().is_dir() {
            continue;
        }
        if entry.file_type().is_file() {
            files.push(rel.to_path_buf());
        } else if !entry.file_type().is_symlink() {
            let shown = display_path(root, entry.path());
            let what = format!("the file {}", shown.display());
            let meta = crate::fs::symlink_metadata(entry.path());
            let kind = meta
                .as_ref()
                .map_or("a special file", crate::fs::special_kind);
            diagnostics.push(path_diagnostic(&PathProblem::Special(kind), &what).in_file(shown));
        } else {
            match check.check(entry.path()) {
                Ok(Found::File(_)) => files.push(rel.to_path_buf()),
                Ok(Found::Dir(_) | Found::Missing(_)) => {}
                Err(problem) => {
                    let shown = display_path(root, entry.path());
                    let what = format!("the file {}", shown.display());
                    diagnostics.push(path_diagnostic(&problem, &what).in_file(shown));
                }
            }
        }
    }
    files
}

/// A folder that could not be read (the same diagnostic wherever it is noticed, so that the
/// list of problems holds it once).
fn unreadable_folder(root: &Path, dir: &Path, err: &std::io::Error) -> Diagnostic {
    let shown = display_path(root, dir);
    Diagnostic::cannot_read(format!("the folder {}", shown.display()), err)
        .in_file(shown)
        .with_hint("check the folder's permissions: tebiki must be able to list and read it")
}

/// The names of the step files in a guide's `steps/` folder, read once.
struct StepsDir {
    /// Ids (file names without `.md`), sorted; empty when the folder is missing or unreadable.
    ids: Vec<String>,
    /// The folder could not be read: step files in it are not reported one by one.
    unreadable: bool,
}

impl StepsDir {
    fn read(root: &Path, dir: &Path, diagnostics: &mut Diagnostics) -> Self {
        let steps = dir.join("steps");
        let entries = match crate::fs::read_dir(&steps) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Self {
                    ids: Vec::new(),
                    unreadable: false,
                };
            }
            Err(err) => {
                diagnostics.push(unreadable_folder(root, &steps, &err));
                return Self {
                    ids: Vec::new(),
                    unreadable: true,
                };
            }
        };
        let mut ids: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                if crate::paths::is_leftover(&name) {
                    return None;
                }
                name.strip_suffix(".md").map(str::to_owned)
            })
            .collect();
        ids.sort();
        Self {
            ids,
            unreadable: false,
        }
    }
}

/// The step files the guide's procedures name (each id once), checking that they exist inside
/// the site, and that one id has one file.
fn step_files(
    check: &mut PathCheck<'_>,
    root: &Path,
    dir: &Path,
    file: &Source,
    def: &GuideFile,
    steps_dir: &StepsDir,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, PathBuf)> {
    // The first place each id is listed, and the file it names there.
    let mut seen: HashMap<&str, (PathBuf, [Seg<'static>; 4])> = HashMap::new();
    let mut wanted = Vec::new();
    for (step, here) in listed_steps(def) {
        // An id that is not one never becomes a path (resolve reports it); the files of
        // an unreadable steps/ folder were reported once, as the folder.
        if !is_valid_id(&step.id) || (step.file.is_none() && steps_dir.unreadable) {
            continue;
        }
        let written = step.file.as_ref().map_or_else(
            || format!("steps/{}.md", step.id),
            |f| f.to_string_lossy().into_owned(),
        );
        let lexical = crate::fs::normalize(&dir.join(&written));
        if let Some((first, first_at)) = seen.get(step.id.as_str()) {
            if *first != lexical {
                diagnostics.push(two_files(
                    root,
                    file,
                    &step.id,
                    (first, first_at),
                    (&lexical, &here),
                ));
            }
            continue;
        }
        seen.insert(&step.id, (lexical.clone(), here));
        let at = if step.file.is_some() {
            [here.as_slice(), &[Seg::Key("file")]].concat()
        } else {
            here.to_vec()
        };
        let what = format!("the file of step `{}` ({written})", step.id);
        match check.resolve(dir, &written) {
            Ok(Found::File(path)) => wanted.push((step.id.clone(), path)),
            Ok(Found::Dir(path)) => diagnostics.push(
                file.yaml_error(
                    0,
                    &file.text,
                    &at,
                    format!("{what} is a folder, not a file"),
                )
                .with_hint(format!(
                    "name the step's .md file, e.g. {}/{}.md",
                    display_path(root, &path).display(),
                    step.id
                )),
            ),
            Ok(Found::Missing(path)) => {
                diagnostics.push(missing_step(root, file, &at, &step.id, &path, steps_dir));
            }
            Err(PathProblem::Io(err)) => diagnostics
                .push(Diagnostic::cannot_read(&what, &err).in_file(display_path(root, &lexical))),
            Err(problem) => diagnostics.push(
                file.yaml_error(0, &file.text, &at, problem.message(&what))
                    .with_hint(problem.hint("the step's file")),
            ),
        }
    }
    wanted
}

/// Every entry of the procedures' `steps:` lists, with where it is written in guide.yaml.
fn listed_steps(
    def: &GuideFile,
) -> impl Iterator<Item = (&crate::model::StepRef, [Seg<'static>; 4])> {
    def.sections.iter().enumerate().flat_map(|(si, section)| {
        section.steps.iter().enumerate().map(move |(i, step)| {
            let at = [
                Seg::Key("sections"),
                Seg::Index(si),
                Seg::Key("steps"),
                Seg::Index(i),
            ];
            (step, at)
        })
    })
}

/// One step id given two different files: an error at the second place, naming the first.
fn two_files(
    root: &Path,
    file: &Source,
    id: &str,
    first: (&PathBuf, &[Seg<'static>; 4]),
    second: (&PathBuf, &[Seg<'static>; 4]),
) -> Diagnostic {
    let first_place = file.yaml_error(0, &file.text, first.1, "");
    let first_at = first_place.location().unwrap_or_default();
    file.yaml_error(
        0,
        &file.text,
        second.1,
        format!(
            "step `{id}` is given two different files: {} here, and {} at {first_at}",
            display_path(root, second.0).display(),
            display_path(root, first.0).display(),
        ),
    )
    .with_hint("one id names one step: give the other step its own id, or list the same file in both places")
    .also_at(&first_place, format!("`{id}` is {} here", display_path(root, first.0).display()))
}

/// A step whose file does not exist, with the closest existing step id as a suggestion.
fn missing_step(
    root: &Path,
    file: &Source,
    at: &[Seg<'_>],
    id: &str,
    path: &Path,
    steps_dir: &StepsDir,
) -> Diagnostic {
    let shown = display_path(root, path);
    let d = file.yaml_error(
        0,
        &file.text,
        at,
        format!(
            "step `{id}` has no file: {} does not exist",
            shown.display()
        ),
    );
    match did_you_mean(id, steps_dir.ids.iter().map(String::as_str)) {
        Some(close) => d.with_hint(format!("did you mean `{close}`? (steps/{close}.md exists)")),
        None => d.with_hint(format!(
            "create {} with a `title:` front matter, or fix the id",
            shown.display()
        )),
    }
}

/// Warns about step files in `steps/` that no procedure lists: probably forgotten.
fn unlisted_steps(
    root: &Path,
    dir: &Path,
    def: &GuideFile,
    steps_dir: &StepsDir,
    diagnostics: &mut Diagnostics,
) -> BTreeSet<String> {
    let mut unlisted = BTreeSet::new();
    let listed: BTreeSet<&str> = def
        .sections
        .iter()
        .flat_map(|s| s.steps.iter().map(|r| r.id.as_str()))
        .collect();
    for id in &steps_dir.ids {
        if !listed.contains(id.as_str()) {
            let path = dir.join("steps").join(format!("{id}.md"));
            diagnostics.push(
                Diagnostic::warning(format!(
                    "step `{id}` is not listed in any procedure, so it is not shown"
                ))
                .in_file(display_path(root, &path))
                .with_hint(format!(
                    "add `- {id}` to a procedure's `steps:` in guide.yaml, or delete the file"
                ))
                .strict(),
            );
            unlisted.insert(id.clone());
        }
    }
    unlisted
}

fn load_step(
    root: &Path,
    id: String,
    path: &Path,
    reads: Option<&Reads>,
) -> Result<LoadedStep, Diagnostic> {
    let Some(reads) = reads else {
        return parse_step(id, Source::read(root, path)?);
    };
    let mut step = reads
        .steps
        .get_or(path, || parse_step(id.clone(), Source::read(root, path)?))?;
    // One file may be listed under two ids.
    step.id = id;
    Ok(step)
}

/// A step file's front matter and body, from its text.
fn parse_step(id: String, source: Source) -> Result<LoadedStep, Diagnostic> {
    let Some((yaml_range, body_offset)) = split_front_matter(&source.text) else {
        return Err(Diagnostic::error("this step file has no front matter")
            .in_file(&source.display)
            .at(
                &source.text,
                crate::diagnostics::Position { line: 1, column: 1 },
                3,
            )
            .with_hint(
                "start the file with a `---` line, then `title: …`, then another `---` line",
            ));
    };
    let yaml_text = &source.text[yaml_range.0..yaml_range.1];
    let front: StepFrontMatter =
        yaml::parse(&source.display, &source.text, yaml_range.0, yaml_text)?;
    let step = LoadedStep {
        id,
        source,
        front,
        yaml_range,
        body_offset,
    };
    Ok(step)
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
    pub(crate) fn error(&self, field: &'static str, message: impl Into<String>) -> Diagnostic {
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
        message: impl Into<String>,
    ) -> Diagnostic {
        let path = [self.path.as_slice(), more].concat();
        self.source.yaml_error(self.base, self.yaml, &path, message)
    }
}

/// Every problem of the figure `figure` written at `place` (the `image:` value) that its YAML
/// alone shows (no file is looked at): sources, alt text, mock-up ids, annotation fields.
fn figure_problems(figure: &ImageDef, place: &YamlPlace<'_>) -> Vec<Diagnostic> {
    figure
        .check()
        .into_iter()
        .map(|p| {
            let d = place.error_below(&p.path, p.message).with_hint(p.hint);
            if p.strict { d.strict() } else { d }
        })
        .collect()
}

/// Checks every figure of a guide: what its YAML says, and its screenshot — inside the site, a
/// picture, within the pixel budget. What it finds is kept in the figure (its `picture`), so
/// that later stages never resolve an author's path.
struct FigureCheck<'a, 'r> {
    /// `None` for sources held in memory: screenshots are not looked for.
    check: Option<PathCheck<'r>>,
    root: &'r Path,
    dir: &'r Path,
    options: LoadOptions<'r>,
    diagnostics: &'a mut Diagnostics,
}

impl FigureCheck<'_, '_> {
    /// Every picture of a guide: its steps', its failure signs' and its trouble entries'.
    fn guide(
        &mut self,
        steps: &mut BTreeMap<String, LoadedStep>,
        file: &Source,
        def: &mut GuideFile,
        troubles: &mut Option<(Source, TroublesFile)>,
    ) {
        self.steps(steps);
        self.signs(file, def);
        if let Some((source, entries)) = troubles {
            self.entries(source, 0, &source.text, &[], entries);
        }
        if let (Some(src), true) = (def.og_image.clone(), self.check.is_some()) {
            let place = YamlPlace {
                source: file,
                base: 0,
                yaml: &file.text,
                path: Vec::new(),
            };
            match self.screenshot(&src, &place, "og_image") {
                Ok(picture) if picture.hash == 0 => self.diagnostics.push(
                    place
                        .error("og_image", format!("the share picture `{src}` is an SVG, which X, Facebook and LINE do not show"))
                        .with_hint("use a PNG or JPEG of 1200×630, or remove `og_image:` to get the generated card"),
                ),
                Ok(picture) => def.og_picture = Some(picture),
                Err(d) => self.diagnostics.push(d),
            }
        }
    }

    /// The steps' pictures and those of the trouble entries in their front matter.
    fn steps(&mut self, steps: &mut BTreeMap<String, LoadedStep>) {
        for step in steps.values_mut() {
            let (start, end) = step.yaml_range;
            let source = &step.source;
            let yaml = &source.text[start..end];
            if let Some(figure) = &mut step.front.image {
                let place = YamlPlace {
                    source,
                    base: start,
                    yaml,
                    path: vec![Seg::Key("image")],
                };
                self.figure(figure, &place);
            }
            let troubles = &mut step.front.troubles;
            self.entries(source, start, yaml, &[Seg::Key("troubles")], troubles);
        }
    }

    /// The pictures of the signs of failure sections in guide.yaml.
    fn signs(&mut self, file: &Source, def: &mut GuideFile) {
        for (si, section) in def.sections.iter_mut().enumerate() {
            let prefix = [Seg::Key("sections"), Seg::Index(si), Seg::Key("signs")];
            self.entries(file, 0, &file.text, &prefix, &mut section.signs);
        }
    }

    /// The pictures of trouble entries written at `prefix` of the YAML `yaml`.
    fn entries(
        &mut self,
        source: &Source,
        base: usize,
        yaml: &str,
        prefix: &[Seg<'static>],
        entries: &mut [crate::model::TroubleDef],
    ) {
        for (k, entry) in entries.iter_mut().enumerate() {
            if let Some(figure) = &mut entry.image {
                let path = [prefix, &[Seg::Index(k), Seg::Key("image")]].concat();
                let place = YamlPlace {
                    source,
                    base,
                    yaml,
                    path,
                };
                self.figure(figure, &place);
            }
        }
    }

    fn figure(&mut self, figure: &mut ImageDef, place: &YamlPlace<'_>) {
        self.diagnostics.extend(figure_problems(figure, place));
        if let (Some(src), true) = (&figure.src, self.check.is_some()) {
            match self.screenshot(src, place, "src") {
                Ok(picture) => figure.picture = Some(picture),
                Err(d) => self.diagnostics.push(d),
            }
        }
    }

    /// The screenshot `src`: where it is, and its size read from its header.
    fn screenshot(
        &mut self,
        src: &str,
        place: &YamlPlace<'_>,
        key: &'static str,
    ) -> Result<crate::figure::PictureFile, Diagnostic> {
        let at = [Seg::Key(key)];
        let what = format!("the image `{src}`");
        let Some(check) = &mut self.check else {
            return Err(place.error_below(&at, "screenshots are not looked at here"));
        };
        let path = match check.resolve(self.dir, src) {
            Ok(Found::File(path)) => path,
            Ok(Found::Dir(_)) => {
                return Err(place
                    .error_below(&at, format!("{what} is a folder, not a picture"))
                    .with_hint("name the picture's file, e.g. images/step1.png"));
            }
            Ok(Found::Missing(path)) => {
                return Err(place
                    .error_below(&at, format!("{what} does not exist"))
                    .with_hint(format!(
                        "add the file at {}, or remove `image:` to leave the slot empty",
                        display_path(self.root, &path).display()
                    )));
            }
            Err(PathProblem::Io(err)) => {
                let mut d = place.error_below(&at, "");
                d.message = format!("could not read {what}: {err}");
                d.cannot_read = true;
                return Err(d.with_hint(PathProblem::Io(err).hint("the picture")));
            }
            Err(problem) => {
                return Err(place
                    .error_below(&at, problem.message(&what))
                    .with_hint(problem.hint("the picture")));
            }
        };
        let is_svg = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
        let max_pixels = self.options.max_pixels;
        let facts = || picture_facts(&path, is_svg, max_pixels);
        let PictureFacts {
            width,
            height,
            hash,
        } = match self.options.reads {
            Some(reads) => reads.pictures.get_or(&path, facts),
            None => facts(),
        }
        .map_err(|problem| problem.diagnostic(place, key, &what, max_pixels))?;
        Ok(crate::figure::PictureFile {
            path,
            width,
            height,
            hash,
        })
    }
}

/// What can be wrong with a picture file itself.
enum PictureProblem {
    NotAPicture,
    TooLarge { width: u32, height: u32 },
    Unreadable(crate::fs::ReadError),
}

impl PictureProblem {
    fn diagnostic(
        self,
        place: &YamlPlace<'_>,
        key: &'static str,
        what: &str,
        max_pixels: u64,
    ) -> Diagnostic {
        let at = [Seg::Key(key)];
        match self {
            Self::NotAPicture => place
                .error_below(&at, format!("{what} cannot be read as a picture"))
                .with_hint("use a PNG, JPEG, WebP or SVG (with width and height) file"),
            Self::TooLarge { width, height } => place
                .error_below(
                    &at,
                    format!(
                        "{what} is {width}×{height} pixels ({} megapixels), more than the {} megapixels tebiki decodes",
                        megapixels(u64::from(width) * u64::from(height)),
                        megapixels(max_pixels)
                    ),
                )
                .with_hint("make the picture smaller (a phone screenshot is about 3 megapixels), or raise `max_megapixels:` in site.yaml"),
            Self::Unreadable(err) => {
                let mut d = place.error_below(&at, "");
                d.message = format!("could not read {what}: {err}");
                d.cannot_read = err.is_io();
                if !err.is_io() {
                    d.hint = Some(err.hint());
                }
                d
            }
        }
    }
}

/// The size of the picture `path` from its header and, unless it is an SVG, its content hash.
fn picture_facts(
    path: &Path,
    is_svg: bool,
    max_pixels: u64,
) -> Result<PictureFacts, PictureProblem> {
    let (file, size) = crate::fs::open_regular(path).map_err(PictureProblem::Unreadable)?;
    if size > crate::images::picture_limit(max_pixels) {
        return Err(PictureProblem::Unreadable(crate::fs::ReadError::TooLarge {
            size,
            limit: crate::images::picture_limit(max_pixels),
        }));
    }
    let (width, height) = if is_svg {
        picture_size(path).ok_or(PictureProblem::NotAPicture)?
    } else {
        let mut reader = std::io::BufReader::with_capacity(256 * 1024, file);
        let (w, h) = header_size(&mut reader).ok_or(PictureProblem::NotAPicture)?;
        if u64::from(w) * u64::from(h) > max_pixels {
            return Err(PictureProblem::TooLarge {
                width: w,
                height: h,
            });
        }
        let hash = hash_reader(reader).map_err(|e| PictureProblem::Unreadable(e.into()))?;
        return Ok(PictureFacts {
            width: w,
            height: h,
            hash,
        });
    };
    Ok(PictureFacts {
        width,
        height,
        hash: 0,
    })
}

/// The pixel size in a picture's header (read from the start of `reader`).
fn header_size(reader: &mut std::io::BufReader<crate::fs::File>) -> Option<(u32, u32)> {
    let size = imagesize::reader_size(&mut *reader).ok()?;
    let (w, h) = (
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    );
    (w > 0 && h > 0).then_some((w, h))
}

/// The content hash of a picture, read in pieces from its start (a picture need not fit in
/// memory twice).
fn hash_reader(mut reader: std::io::BufReader<crate::fs::File>) -> std::io::Result<u64> {
    use std::io::{BufRead as _, Seek as _};
    reader.rewind()?;
    let mut hasher = crate::images::ContentHash::default();
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(hasher.finish());
        }
        hasher.feed(chunk);
        let n = chunk.len();
        reader.consume(n);
    }
}

/// Pixels as megapixels for a message: `400`, `0.2`, `2.5`.
fn megapixels(pixels: u64) -> String {
    #[allow(clippy::cast_precision_loss, reason = "a rounded figure for people")]
    let mp = (pixels as f64 / 100_000.0).round() / 10.0;
    if mp.fract() == 0.0 {
        format!("{mp:.0}")
    } else {
        format!("{mp:.1}")
    }
}

/// The pixel size of a picture, read from its header without decoding it (SVG: its width and
/// height attributes).
pub(crate) fn picture_size(file: &Path) -> Option<(u32, u32)> {
    if file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
    {
        let bytes = crate::fs::read_source(file).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let attr = |name: &str| -> Option<u32> {
            let tag = &text[text.find("<svg")?..];
            let tag = &tag[..tag.find('>')?];
            let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
            let value: String = tag[at..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            let value: f64 = value.parse().ok()?;
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "checked to be a positive size below u32::MAX"
            )]
            (value.is_finite() && value >= 1.0 && value < f64::from(u32::MAX))
                .then(|| value.round() as u32)
        };
        return Some((attr("width")?, attr("height")?));
    }
    let (file, _) = crate::fs::open_regular(file).ok()?;
    header_size(&mut std::io::BufReader::new(file))
}

/// Finds the YAML front matter between `---` lines: the YAML's byte range and the body's start.
pub(crate) fn split_front_matter(text: &str) -> Option<((usize, usize), usize)> {
    let start = usize::from(text.starts_with('\u{feff}')) * 3;
    let rest = &text[start..];
    let first_len = if rest.starts_with("---\n") {
        4
    } else if rest.starts_with("---\r\n") {
        5
    } else {
        return None;
    };
    let yaml_start = start + first_len;
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some(((yaml_start, offset), offset + line.len()));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_at_the_fences() {
        let text = "---\ntitle: x\n---\nbody\n";
        let ((s, e), body) = split_front_matter(text).unwrap();
        assert_eq!(&text[s..e], "title: x\n");
        assert_eq!(&text[body..], "body\n");
    }

    #[test]
    fn missing_closing_fence_is_no_front_matter() {
        assert_eq!(split_front_matter("---\ntitle: x\nbody\n"), None);
        assert_eq!(split_front_matter("title: x\n"), None);
    }
}
