//! What is where: the guide folders of `content/` (and the folders that are not built),
//! whether a folder holds a guide.yaml, the step files a guide's procedures name, the listing
//! of its `steps/` folder (for unlisted steps and "did you mean"), and the other files of its
//! folder, published as they are.
//!
//! Invariants: on the disk, every path found here went through a `paths::PathCheck`; a path
//! that leaves the site, a special file or an unreadable folder is a diagnostic, never read.
//! Folders are listed in name order, so problems come in the same order on every machine. In
//! memory (`Sources::Memory`) only the texts exist: no folder is listed and a guide has no
//! other files.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::{LoadedGuide, Source, Sources};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean, display_path};
use crate::i18n::{Message, msg};
use crate::model::{GuideFile, is_valid_id};
use crate::paths::{Found, PathCheck, PathProblem};
use crate::yaml::Seg;

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
                Diagnostic::warning(msg!("folder-not-guide", folder = &display_path(root, dir)))
                    .in_file(display_path(root, dir))
                    .with_hint(msg!("folder-not-guide-hint")),
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
                Diagnostic::error(msg!("no-content-folder", folder = &shown))
                    .with_hint(msg!("no-content-folder-hint")),
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
                let what = msg!("the-guide-folder", path = &shown.join(&name));
                diagnostics.push(path_diagnostic(&problem, what).in_file(shown.join(&name)));
                None
            }
        })
        .collect()
}

/// A diagnostic for a refused path (without a position: the caller adds it, when it has one).
fn path_diagnostic(problem: &PathProblem, what: Message) -> Diagnostic {
    match problem {
        PathProblem::Io(err) => Diagnostic::cannot_read(what, err),
        _ => Diagnostic::error(problem.message(what)).with_hint(problem.hint(msg!("noun-file"))),
    }
}

/// Whether `dir` holds a guide.yaml file (inside the site); the problem when it does not.
pub(super) fn guide_file(sources: &mut Sources<'_>, dir: &Path) -> Result<bool, Diagnostic> {
    let root = sources.root();
    let guide_path = dir.join("guide.yaml");
    match sources.check(&guide_path) {
        Ok(Found::File(_)) => Ok(true),
        Ok(Found::Dir(_)) => Err(Diagnostic::error(msg!("guide-file-is-folder"))
            .in_file(display_path(root, &guide_path))
            .with_hint(msg!("guide-file-is-folder-hint"))),
        Ok(Found::Missing(_)) if sources.is_file(&dir.join("guide.yml")) => {
            Err(Diagnostic::error(msg!("guide-file-yml"))
                .in_file(display_path(root, &dir.join("guide.yml")))
                .with_hint(msg!("guide-file-yml-hint")))
        }
        // Not a guide (see `unbuilt_folders` for the warning, when nothing uses it).
        Ok(Found::Missing(_)) => Ok(false),
        Err(problem) => Err(path_diagnostic(&problem, Message::text("guide.yaml"))
            .in_file(display_path(root, &guide_path))),
    }
}

/// Files of the guide folder that are published as they are: all but the sources. Links are
/// taken when they stay inside the site; one that leads out is an error.
pub(super) fn colocated_files(
    sources: &Sources<'_>,
    dir: &Path,
    diagnostics: &mut Diagnostics,
) -> Vec<PathBuf> {
    // In memory a guide has no other files.
    let Some(root) = sources.on_disk() else {
        return Vec::new();
    };
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
        // Sources and folders first: most entries are step files, and these checks look at
        // the name alone.
        let is_source = Path::new(entry.file_name())
            .extension()
            .is_some_and(|x| x == "md" || x == "yaml" || x == "yml");
        if is_source || entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let hidden = rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        let leftover = crate::paths::is_leftover(&entry.file_name().to_string_lossy());
        if hidden || leftover {
            continue;
        }
        if entry.file_type().is_file() {
            files.push(rel.to_path_buf());
        } else if !entry.file_type().is_symlink() {
            let shown = display_path(root, entry.path());
            let what = msg!("the-file", path = &shown);
            let meta = crate::fs::symlink_metadata(entry.path());
            let kind = meta
                .as_ref()
                .map_or("a special file", crate::fs::special_kind);
            diagnostics.push(path_diagnostic(&PathProblem::Special(kind), what).in_file(shown));
        } else {
            match check.check(entry.path()) {
                Ok(Found::File(_)) => files.push(rel.to_path_buf()),
                Ok(Found::Dir(_) | Found::Missing(_)) => {}
                Err(problem) => {
                    let shown = display_path(root, entry.path());
                    let what = msg!("the-file", path = &shown);
                    diagnostics.push(path_diagnostic(&problem, what).in_file(shown));
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
    Diagnostic::cannot_read(msg!("the-folder", path = &shown), err)
        .in_file(shown)
        .with_hint(msg!("folder-permissions-hint"))
}

/// The names of the step files in a guide's `steps/` folder, read once.
#[derive(Default)]
pub(super) struct StepsDir {
    /// Ids (file names without `.md`), sorted; empty when the folder is missing or unreadable.
    ids: Vec<String>,
    /// For each of `ids`: whether the folder listed it as a regular file (not a link, not a
    /// folder), so that it needs no look of its own before it is read.
    regular: Vec<bool>,
    /// The folder could not be read: step files in it are not reported one by one.
    unreadable: bool,
}

impl StepsDir {
    /// Whether `steps/<id>.md` was listed as a regular file.
    fn is_regular(&self, id: &str) -> bool {
        self.ids
            .binary_search_by(|listed| listed.as_str().cmp(id))
            .is_ok_and(|i| self.regular[i])
    }

    /// The listing of `dir`'s `steps/` folder (none in memory: a guide there has no steps
    /// but those its procedures name).
    pub(super) fn read(sources: &Sources<'_>, dir: &Path, diagnostics: &mut Diagnostics) -> Self {
        let Some(root) = sources.on_disk() else {
            return Self::default();
        };
        let steps = dir.join("steps");
        let entries = match crate::fs::read_dir(&steps) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Self::default(),
            Err(err) => {
                diagnostics.push(unreadable_folder(root, &steps, &err));
                return Self {
                    ids: Vec::new(),
                    regular: Vec::new(),
                    unreadable: true,
                };
            }
        };
        let mut listed: Vec<(String, bool)> = entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                if crate::paths::is_leftover(&name) {
                    return None;
                }
                // The folder's own record of the entry's type (no `lstat` on most file systems).
                let regular = e.file_type().is_ok_and(|t| t.is_file());
                name.strip_suffix(".md").map(|id| (id.to_owned(), regular))
            })
            .collect();
        listed.sort();
        let (ids, regular) = listed.into_iter().unzip();
        Self {
            ids,
            regular,
            unreadable: false,
        }
    }
}

/// The step files the guide's procedures name (each id once), checking that they exist inside
/// the site, and that one id has one file.
pub(super) fn step_files(
    sources: &mut Sources<'_>,
    dir: &Path,
    file: &Source,
    def: &GuideFile,
    steps_dir: &StepsDir,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, PathBuf)> {
    let root = sources.root();
    // The first place each id is listed, and the file it names there.
    let mut seen: HashMap<&str, (PathBuf, [Seg<'static>; 4])> = HashMap::new();
    let mut wanted = Vec::new();
    // The guide's steps/ folder, written out once: a valid id is a plain file name in it.
    let steps_folder = crate::fs::normalize(&dir.join("steps"));
    // Whether that folder is inside the site: asked once, when a step first needs it.
    let mut steps_inside: Option<bool> = None;
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
        let lexical = if step.file.is_none() {
            steps_folder.join(format!("{}.md", step.id))
        } else {
            crate::fs::normalize(&dir.join(&written))
        };
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
        if step.file.is_none()
            && steps_dir.is_regular(&step.id)
            && *steps_inside.get_or_insert_with(|| sources.dir_inside(&steps_folder))
        {
            // `steps/<id>.md`, listed as a regular file of a folder inside the site: what
            // `resolve` would find, without looking at the file again.
            wanted.push((step.id.clone(), lexical));
            continue;
        }
        let what = msg!("the-step-file", step = &step.id, written = &written);
        match sources.resolve(dir, &written) {
            Ok(Found::File(path)) => wanted.push((step.id.clone(), path)),
            Ok(Found::Dir(path)) => diagnostics.push(
                file.yaml_error(
                    0,
                    &file.text,
                    &at,
                    msg!("step-file-is-folder", what = what.clone()),
                )
                .with_hint(msg!(
                    "step-file-is-folder-hint",
                    folder = &display_path(root, &path),
                    step = &step.id
                )),
            ),
            Ok(Found::Missing(path)) => {
                diagnostics.push(missing_step(root, file, &at, &step.id, &path, steps_dir));
            }
            Err(PathProblem::Io(err)) => diagnostics
                .push(Diagnostic::cannot_read(what, &err).in_file(display_path(root, &lexical))),
            Err(problem) => diagnostics.push(
                file.yaml_error(0, &file.text, &at, problem.message(what))
                    .with_hint(problem.hint(msg!("noun-step-file"))),
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
    let first_place = file.yaml_error(0, &file.text, first.1, Message::text(""));
    let first_at = first_place.location().unwrap_or_default();
    file.yaml_error(
        0,
        &file.text,
        second.1,
        msg!(
            "step-two-files",
            id = id,
            second = &display_path(root, second.0),
            first = &display_path(root, first.0),
            at = first_at
        ),
    )
    .with_hint(msg!("step-two-files-hint"))
    .also_at(
        &first_place,
        msg!(
            "step-two-files-label",
            id = id,
            file = &display_path(root, first.0)
        ),
    )
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
        msg!("step-no-file", id = id, path = &shown),
    );
    match did_you_mean(id, steps_dir.ids.iter().map(String::as_str)) {
        Some(close) => d.with_hint(msg!("step-no-file-close-hint", name = close)),
        None => d.with_hint(msg!("step-no-file-hint", path = &shown)),
    }
}

/// Warns about step files in `steps/` that no procedure lists: probably forgotten.
pub(super) fn unlisted_steps(
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
                Diagnostic::warning(msg!("step-unlisted", id = id))
                    .in_file(display_path(root, &path))
                    .with_hint(msg!("step-unlisted-hint", id = id))
                    .strict(),
            );
            unlisted.insert(id.clone());
        }
    }
    unlisted
}
