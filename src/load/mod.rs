//! Load stage: reads every guide under `content/` and the step files its procedures name.
//!
//! Loading does I/O and parsing only; it reports unreadable files, malformed YAML and front
//! matter, unknown fields, missing step files and paths that leave the site. Meaning (numbers,
//! ids, references, UI texts) is the resolve stage's business.
//!
//! This file holds the entry points (`load_guides`, `load_guide`, `reload_steps`,
//! `guide_from_texts`), what they make (`LoadedGuide`, `LoadedStep`) and the one loader they
//! share, `load`: it reads a guide through `Sources`, the site's folder on the disk or texts in
//! memory; only what the disk alone has (a folder's listing, a guide's other files,
//! screenshots) asks which it is. The parts are:
//! - `source`: `Sources`, and one source file's text (UTF-8, BOM, where its YAML values are
//!   written);
//! - `discover`: which folders are guides, which step files a guide names, the steps folder's
//!   listing and the other files of a guide's folder;
//! - `steps`: a step file's front matter and body;
//! - `body`: the step bodies a large build frees once a guide is resolved, read again to render;
//! - `pictures`: the figures' checks and the screenshots' sizes and hashes;
//! - `memo`: what serve keeps between rebuilds (`Reads`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::i18n::msg;
use crate::model::{GuideFile, StepFrontMatter, TroublesFile, is_valid_id};
use crate::paths::Found;
use crate::yaml::{self, Seg};

mod body;
mod discover;
mod memo;
mod pictures;
mod settings;
mod source;
mod steps;

pub(crate) use body::{TextBudget, keep_or_release};
pub(crate) use discover::{guide_dirs, unbuilt_folders};
pub(crate) use memo::Reads;
pub(crate) use settings::{check_avatars, og_font};
pub(crate) use source::{Source, YamlPlace};
pub(crate) use steps::split_front_matter;

use discover::{StepsDir, colocated_files, guide_file, step_files, unlisted_steps};
use pictures::FigureCheck;
use source::Sources;
use steps::{load_step, load_steps};

/// What loading needs besides the folders: limits from `site.yaml`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LoadOptions<'a> {
    /// The largest picture accepted, in pixels (width × height), checked before decoding.
    pub max_pixels: u64,
    /// What `serve` read at an earlier rebuild, used while the files are unchanged.
    pub reads: Option<&'a Reads>,
}

/// Where an entry was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TroubleOrigin {
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
pub(crate) struct LoadedStep {
    pub id: String,
    pub source: Source,
    pub front: StepFrontMatter,
    /// Byte offset of the front matter's YAML and of the body within `source.text`.
    pub yaml_range: (usize, usize),
    pub body_offset: usize,
    /// Set when the body's text was freed (`body`): the page reads the file again.
    pub(crate) released: Option<body::Released>,
}

impl LoadedStep {
    /// The Markdown body (empty once released: see [`Self::full_source`]).
    pub(crate) fn body(&self) -> &str {
        &self.source.text[self.body_offset..]
    }
    pub(crate) fn yaml(&self) -> &str {
        &self.source.text[self.yaml_range.0..self.yaml_range.1]
    }
}

/// A guide as read from disk.
#[derive(Clone, Debug)]
pub(crate) struct LoadedGuide {
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
    /// `anchors.yaml`: what each annotation points at (see [`crate::figure::anchor`]).
    pub(crate) anchors: Option<(Source, crate::figure::anchor::AnchorsFile)>,
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

    /// A hash of what this guide's own page can show besides its [`Self::outline`]: the
    /// steps' whole texts, `anchors.yaml`, the UI texts' files and its own share picture. A
    /// build keeps the guide's page from the previous one while both (and what the rest of
    /// the page depends on) are the same (`render::reuse`).
    pub(crate) fn fingerprint(&self) -> u64 {
        use std::hash::{Hash as _, Hasher as _};
        // FxHasher: a tenth of SipHash's time over the 40 MB of a 10,000-step site's steps,
        // and the same value in every run of one binary.
        let mut h = rustc_hash::FxHasher::default();
        self.dir.hash(&mut h);
        for step in self.steps.values() {
            step.source.text[..step.body_offset].hash(&mut h);
            step.body_hash().hash(&mut h);
        }
        for source in &self.ui_sources {
            source.text.hash(&mut h);
        }
        self.anchors.as_ref().map(|(s, _)| &s.text).hash(&mut h);
        let og = self.def.og_picture.as_ref();
        og.map(|p| (&p.path, p.width, p.height, p.hash))
            .hash(&mut h);
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
    pub(crate) fn error_at(
        &self,
        path: &[Seg<'_>],
        message: impl Into<crate::i18n::Message>,
    ) -> Diagnostic {
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

/// Loads one guide folder (`None` when it holds no guide.yaml).
pub(crate) fn load_guide(
    root: &Path,
    dir: &Path,
    options: LoadOptions<'_>,
) -> (Option<LoadedGuide>, Diagnostics) {
    load(&mut Sources::disk(root, options), dir)
}

/// A guide from texts in memory, as [`load_guide`] makes it from its files: for tools and
/// fuzzing. `steps` are step files by id (`steps/<id>.md`), `troubles` the text of
/// troubles.yaml, `ui` of the guide's ui.yaml. Nothing is read from the disk; screenshots are
/// not looked for, and an id without a text is a missing file.
pub(crate) fn guide_from_texts(
    slug: &str,
    guide_yaml: &str,
    steps: &[(&str, &str)],
    troubles: Option<&str>,
    ui: Option<&str>,
) -> (Option<LoadedGuide>, Diagnostics) {
    let dir = Path::new("content").join(slug);
    let mut texts = BTreeMap::new();
    let named = [
        ("guide.yaml", Some(guide_yaml)),
        (TROUBLES_FILE, troubles),
        (crate::ui::UI_FILE, ui),
    ];
    for (name, text) in named {
        if let Some(text) = text {
            texts.insert(dir.join(name), text.to_owned());
        }
    }
    for (id, text) in steps {
        let path = dir.join("steps").join(format!("{id}.md"));
        texts.insert(path, (*text).to_owned());
    }
    load(&mut Sources::Memory(texts), &dir)
}

/// The one loader: the guide in the folder `dir`, read through `sources`, with every problem
/// found (`None` when there is no guide.yaml, or it cannot be read or parsed).
fn load(sources: &mut Sources<'_>, dir: &Path) -> (Option<LoadedGuide>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let guide = load_into(sources, dir, &mut diagnostics);
    (guide, diagnostics)
}

/// [`load`], with the problems pushed into `diagnostics`.
fn load_into(
    sources: &mut Sources<'_>,
    dir: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<LoadedGuide> {
    match guide_file(sources, dir) {
        Ok(true) => {}
        Ok(false) => return None,
        Err(d) => {
            diagnostics.push(d);
            return None;
        }
    }
    let slug = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    check_slug(&slug, &display_path(sources.root(), dir), diagnostics);
    let file = sources
        .read(&dir.join("guide.yaml"))
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    let mut def: GuideFile = yaml::parse(&file.display, &file.text, 0, &file.text)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    let steps_dir = StepsDir::read(sources, dir, diagnostics);
    let wanted = step_files(sources, dir, &file, &def, &steps_dir, diagnostics);
    let unlisted = unlisted_steps(sources.root(), dir, &def, &steps_dir, diagnostics);
    let mut steps = load_steps(sources, wanted, diagnostics);
    let mut troubles = load_troubles(sources, dir, diagnostics);
    let anchors = load_anchors(sources, dir, diagnostics);
    FigureCheck {
        sources,
        dir,
        diagnostics,
        found: HashMap::new(),
    }
    .guide(&mut steps, &file, &mut def, &mut troubles);
    let files = colocated_files(sources, dir, diagnostics);
    let (ui, ui_sources) = load_vocabulary(sources, dir, diagnostics);
    Some(LoadedGuide {
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
        anchors,
    })
}

/// The guide folder's name must serve as the guide's URL slug.
fn check_slug(slug: &str, shown: &Path, diagnostics: &mut Diagnostics) {
    if !is_valid_id(slug) {
        diagnostics.push(
            Diagnostic::error(msg!("slug-invalid", slug = slug))
                .in_file(shown)
                .with_hint(msg!("slug-invalid-hint")),
        );
    }
    if let Err((message, hint)) = crate::names::check_guide_slug(slug) {
        diagnostics.push(Diagnostic::error(message).in_file(shown).with_hint(hint));
    }
}

/// The site's `ui.yaml` and the guide's, read and merged (the guide's entries win).
fn load_vocabulary(
    sources: &Sources<'_>,
    dir: &Path,
    diagnostics: &mut Diagnostics,
) -> (crate::ui::Vocabulary, Vec<Source>) {
    let mut read = Vec::new();
    let mut files = [None, None];
    for (slot, folder) in files.iter_mut().zip([sources.root(), dir]) {
        let path = folder.join(crate::ui::UI_FILE);
        if !sources.is_file(&path) {
            continue;
        }
        let Ok(source) = sources.read(&path).map_err(|d| diagnostics.push(d)) else {
            continue;
        };
        *slot = parse_vocabulary(&source, diagnostics);
        read.push(source);
    }
    let [site, guide] = files;
    (
        crate::ui::Vocabulary::merged(site.as_ref(), guide.as_ref()),
        read,
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
        let d = Diagnostic::error(msg!("ui-id-invalid", id = id))
            .in_file(&source.display)
            .with_hint(msg!("ui-id-invalid-hint"));
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
    let mut sources = Sources::disk(root, options);
    let mut steps = BTreeMap::new();
    for path in changed {
        if !matches!(sources.check(path), Ok(Found::File(found)) if found == *path) {
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
            let step = load_step(&sources, None, id.clone(), path).ok()?;
            steps.insert(id, step);
        }
    }
    let mut diagnostics = Diagnostics::default();
    FigureCheck {
        sources: &mut sources,
        dir: &previous.dir,
        diagnostics: &mut diagnostics,
        found: HashMap::new(),
    }
    .steps(&mut steps);
    if !diagnostics.is_empty() {
        return None;
    }
    let mut guide = previous.clone();
    guide.steps.extend(steps);
    Some(guide)
}

/// Reads `troubles.yaml` if the guide has one.
fn load_troubles(
    sources: &Sources<'_>,
    dir: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<(Source, TroublesFile)> {
    let path = dir.join(TROUBLES_FILE);
    if !sources.is_file(&path) {
        return None;
    }
    let source = sources.read(&path).map_err(|d| diagnostics.push(d)).ok()?;
    let entries = yaml::parse(&source.display, &source.text, 0, &source.text)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    Some((source, entries))
}

/// Reads `anchors.yaml` if the guide has one.
fn load_anchors(
    sources: &Sources<'_>,
    dir: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<(Source, crate::figure::anchor::AnchorsFile)> {
    let path = dir.join(crate::figure::anchor::ANCHORS_FILE);
    if !sources.is_file(&path) {
        return None;
    }
    let source = sources.read(&path).map_err(|d| diagnostics.push(d)).ok()?;
    let file = yaml::parse(&source.display, &source.text, 0, &source.text)
        .map_err(|d| {
            diagnostics.push(d.with_hint(msg!("anchors-file-hint")));
        })
        .ok()?;
    Some((source, file))
}

/// The name of a guide's trouble-entry file.
pub(crate) const TROUBLES_FILE: &str = "troubles.yaml";
