//! Load stage: reads every guide under `content/` and the step files its procedures name.
//!
//! Loading does I/O and parsing only; it reports unreadable files, malformed YAML and front
//! matter, unknown fields, missing step files and paths that leave the site. Meaning (numbers,
//! ids, references) is the resolve stage's business.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean, display_path};
use crate::figure::PathPart;
use crate::fs;
use crate::model::{GuideFile, ImageDef, StepFrontMatter, TroublesFile, is_valid_id};
use crate::yaml::{self, Seg};

/// The text of one source file and where it lives.
#[derive(Clone, Debug)]
pub struct Source {
    /// Absolute (or root-joined) path, for I/O.
    pub path: PathBuf,
    /// Path relative to the site root, for messages.
    pub display: PathBuf,
    pub text: String,
}

impl Source {
    fn read(root: &Path, path: &Path) -> Result<Self, Diagnostic> {
        let display = display_path(root, path);
        match fs::read_to_string(path) {
            Ok(text) => Ok(Self {
                path: path.to_path_buf(),
                display,
                text,
            }),
            Err(err) => Err(Diagnostic::error(format!("{:#}", err.root_cause())).in_file(display)),
        }
    }

    /// A diagnostic pointing at the YAML value at `path` (in YAML that starts at byte `base`).
    pub(crate) fn yaml_error(
        &self,
        base: usize,
        yaml_text: &str,
        path: &[Seg<'_>],
        message: impl Into<String>,
    ) -> Diagnostic {
        yaml::point(
            Diagnostic::error(message).in_file(&self.display),
            yaml_text,
            base,
            &self.text,
            path,
        )
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
}

impl LoadedGuide {
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
pub fn load_guides(root: &Path, content_dir: &Path) -> (Vec<LoadedGuide>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    if !content_dir.is_dir() {
        diagnostics.push(
            Diagnostic::error(format!(
                "there is no content folder at {}",
                content_dir.display()
            ))
            .with_hint(
                "create `content/<guide-slug>/guide.yaml`, or pass --root with the site's folder",
            ),
        );
        return (Vec::new(), diagnostics);
    }
    let dirs: Vec<PathBuf> = WalkDir::new(content_dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    let results: Vec<(Option<LoadedGuide>, Diagnostics)> =
        dirs.par_iter().map(|dir| load_guide(root, dir)).collect();
    let mut guides = Vec::new();
    for (guide, d) in results {
        diagnostics.extend(d);
        guides.extend(guide);
    }
    (guides, diagnostics)
}

/// Loads one guide folder (`None` when it holds no guide.yaml).
pub fn load_guide(root: &Path, dir: &Path) -> (Option<LoadedGuide>, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let guide_path = dir.join("guide.yaml");
    let slug = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !guide_path.is_file() {
        if dir.join("guide.yml").is_file() {
            diagnostics.push(
                Diagnostic::error("a guide file must be called guide.yaml")
                    .in_file(display_path(root, &dir.join("guide.yml")))
                    .with_hint("rename guide.yml to guide.yaml"),
            );
        }
        return (None, diagnostics);
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
    let file = match Source::read(root, &guide_path) {
        Ok(f) => f,
        Err(d) => {
            diagnostics.push(d);
            return (None, diagnostics);
        }
    };
    let def: GuideFile = match yaml::parse(&file.display, &file.text, 0, &file.text) {
        Ok(def) => def,
        Err(d) => {
            diagnostics.push(d);
            return (None, diagnostics);
        }
    };
    let wanted = step_files(root, dir, &file, &def, &mut diagnostics);
    unlisted_steps(root, dir, &def, &mut diagnostics);
    let loaded: Vec<Result<LoadedStep, Diagnostic>> = wanted
        .into_par_iter()
        .map(|(id, path)| load_step(root, id, &path))
        .collect();
    let mut steps = BTreeMap::new();
    for step in loaded {
        match step {
            Ok(step) => {
                if let Some(figure) = &step.front.image {
                    let place = YamlPlace {
                        source: &step.source,
                        base: step.yaml_range.0,
                        yaml: step.yaml(),
                        path: vec![Seg::Key("image")],
                    };
                    diagnostics.extend(figure_problems(root, dir, figure, &place));
                }
                steps.insert(step.id.clone(), step);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    let troubles = load_troubles(root, dir, &mut diagnostics);
    let files = colocated_files(dir);
    (
        Some(LoadedGuide {
            slug,
            dir: dir.to_path_buf(),
            file,
            def,
            steps,
            troubles,
            files,
        }),
        diagnostics,
    )
}

/// Reads `troubles.yaml` if the guide has one.
fn load_troubles(
    root: &Path,
    dir: &Path,
    diagnostics: &mut Diagnostics,
) -> Option<(Source, TroublesFile)> {
    let path = dir.join(TROUBLES_FILE);
    if !path.is_file() {
        return None;
    }
    let source = Source::read(root, &path)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    let entries = yaml::parse(&source.display, &source.text, 0, &source.text)
        .map_err(|d| diagnostics.push(d))
        .ok()?;
    Some((source, entries))
}

/// The name of a guide's trouble-entry file.
pub const TROUBLES_FILE: &str = "troubles.yaml";

/// Files of the guide folder that are published as they are: all but the sources.
fn colocated_files(dir: &Path) -> Vec<PathBuf> {
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.path().strip_prefix(dir).ok().map(Path::to_path_buf))
        .filter(|rel| {
            let is_source = rel
                .extension()
                .is_some_and(|x| x == "md" || x == "yaml" || x == "yml");
            let hidden = rel
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
            !is_source && !hidden
        })
        .collect()
}

/// The step files the guide's procedures name (each id once), checking that they exist.
fn step_files(
    root: &Path,
    dir: &Path,
    file: &Source,
    def: &GuideFile,
    diagnostics: &mut Diagnostics,
) -> Vec<(String, PathBuf)> {
    let mut seen = BTreeSet::new();
    let mut wanted = Vec::new();
    let mut available: Option<Vec<String>> = None;
    for (si, section) in def.sections.iter().enumerate() {
        for (i, step) in section.steps.iter().enumerate() {
            if !seen.insert(step.id.clone()) {
                continue;
            }
            let here = [
                Seg::Key("sections"),
                Seg::Index(si),
                Seg::Key("steps"),
                Seg::Index(i),
            ];
            let path = match &step.file {
                None => dir.join("steps").join(format!("{}.md", step.id)),
                Some(rel) => {
                    let joined = fs::normalize(&dir.join(rel));
                    if !fs::is_inside(root, &joined) {
                        let at = [here.as_slice(), &[Seg::Key("file")]].concat();
                        diagnostics.push(
                            file.yaml_error(
                                0,
                                &file.text,
                                &at,
                                format!(
                                    "the step file `{}` is outside the site folder",
                                    rel.display()
                                ),
                            )
                            .with_hint(
                                "keep step files inside the site folder (the one with site.yaml)",
                            ),
                        );
                        continue;
                    }
                    joined
                }
            };
            if path.is_file() {
                if escapes_by_link(root, &path) {
                    diagnostics.push(
                        file.yaml_error(
                            0,
                            &file.text,
                            &here,
                            format!(
                                "the file of step `{}` is a link to a file outside the site folder",
                                step.id
                            ),
                        )
                        .with_hint("copy the file into the site folder instead of linking to it"),
                    );
                } else {
                    wanted.push((step.id.clone(), path));
                }
                continue;
            }
            let shown = display_path(root, &path);
            let mut d = file.yaml_error(
                0,
                &file.text,
                &here,
                format!(
                    "step `{}` has no file: {} does not exist",
                    step.id,
                    shown.display()
                ),
            );
            let names = available.get_or_insert_with(|| list_steps(dir));
            d = match did_you_mean(&step.id, names.iter().map(String::as_str)) {
                Some(close) => {
                    d.with_hint(format!("did you mean `{close}`? (steps/{close}.md exists)"))
                }
                None => d.with_hint(format!(
                    "create {} with a `title:` front matter, or fix the id",
                    shown.display()
                )),
            };
            diagnostics.push(d);
        }
    }
    wanted
}

/// Whether `path` (lexically inside `root`) is a link to a file outside `root`.
/// Only a file that is itself a link is resolved (one `lstat` otherwise): a site's folders are
/// the author's to arrange, but a file must not pull in content from outside.
fn escapes_by_link(root: &Path, path: &Path) -> bool {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return false;
    }
    match (std::fs::canonicalize(root), std::fs::canonicalize(path)) {
        (Ok(root), Ok(path)) => !path.starts_with(root),
        _ => false,
    }
}

/// Warns about step files in `steps/` that no procedure lists: probably forgotten.
fn unlisted_steps(root: &Path, dir: &Path, def: &GuideFile, diagnostics: &mut Diagnostics) {
    let listed: BTreeSet<&str> = def
        .sections
        .iter()
        .flat_map(|s| s.steps.iter().map(|r| r.id.as_str()))
        .collect();
    for id in list_steps(dir) {
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
        }
    }
}

fn list_steps(dir: &Path) -> Vec<String> {
    WalkDir::new(dir.join("steps"))
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| {
            e.path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .collect()
}

fn load_step(root: &Path, id: String, path: &Path) -> Result<LoadedStep, Diagnostic> {
    let source = Source::read(root, path)?;
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

    /// Byte offset in the file where `field`'s value starts (for Markdown diagnostics).
    pub(crate) fn offset_of(&self, field: &'static str) -> usize {
        let path = [self.path.as_slice(), &[Seg::Key(field)]].concat();
        self.base + yaml::locate(self.yaml, &path).map_or(0, |(s, _)| s)
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

/// Every problem of the figure `figure` written at `place` (the `image:` value), including
/// whether its screenshot exists inside the site.
pub(crate) fn figure_problems(
    root: &Path,
    dir: &Path,
    figure: &ImageDef,
    place: &YamlPlace<'_>,
) -> Vec<Diagnostic> {
    let mut problems: Vec<Diagnostic> = figure
        .check()
        .into_iter()
        .map(|p| {
            let more: Vec<Seg<'static>> = p
                .path
                .iter()
                .map(|part| match part {
                    PathPart::Key(k) => Seg::Key(k),
                    PathPart::Index(i) => Seg::Index(*i),
                })
                .collect();
            let d = place.error_below(&more, p.message).with_hint(p.hint);
            if p.strict { d.strict() } else { d }
        })
        .collect();
    for (k, a) in figure.annotations.iter().enumerate() {
        let missing = a.missing();
        if !missing.is_empty() {
            let shape = format!("{:?}", a.shape).to_lowercase();
            problems.push(
                place
                    .error_below(
                        &[Seg::Key("annotations"), Seg::Index(k)],
                        format!(
                            "a `{shape}` annotation needs {}",
                            missing
                                .iter()
                                .map(|m| format!("`{m}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                    .with_hint(format!(
                        "add {} (pixels, or percentages like \"12%\")",
                        missing.join(", ")
                    )),
            );
        }
    }
    if let Some(src) = &figure.src {
        problems.extend(check_image(root, dir, src, place).err());
    }
    problems
}

fn check_image(
    root: &Path,
    dir: &Path,
    src: &str,
    place: &YamlPlace<'_>,
) -> Result<(), Diagnostic> {
    let at = [Seg::Key("src")];
    let path = fs::normalize(&dir.join(src));
    if src.contains("://") || Path::new(src).is_absolute() || !fs::is_inside(root, &path) {
        return Err(place
            .error_below(&at, format!("the image `{src}` is outside the site folder"))
            .with_hint("put the picture inside the guide's folder (e.g. images/) and give a path relative to it"));
    }
    if path.is_file() && escapes_by_link(root, &path) {
        return Err(place
            .error_below(
                &at,
                format!("the image `{src}` is a link to a file outside the site folder"),
            )
            .with_hint("copy the picture into the site folder instead of linking to it"));
    }
    if !path.is_file() {
        return Err(place
            .error_below(&at, format!("the image `{src}` does not exist"))
            .with_hint(format!(
                "add the file at {}, or remove `image:` to leave the slot empty",
                display_path(root, &path).display()
            )));
    }
    if crate::render::picture_size(&path).is_none() {
        return Err(place
            .error_below(
                &at,
                format!("the image `{src}` cannot be read as a picture"),
            )
            .with_hint("use a PNG, JPEG, WebP or SVG (with width and height) file"));
    }
    Ok(())
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
