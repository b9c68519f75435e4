//! Figures and their pictures: every figure's YAML checked (`ImageDef::check`), and each
//! screenshot found inside the site, its size read from its header and its content hashed.
//!
//! Invariants: a picture is never decoded here, and one over the pixel budget
//! (`max_megapixels`) or the size limit is refused before its pixels are read; what is found is
//! kept in the figure (`FigureDef::picture`), so later stages never resolve an author's path.

use std::collections::BTreeMap;
use std::path::Path;

use super::{LoadedStep, Source, Sources, YamlPlace};
use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::i18n::{Message, msg};
use crate::model::{GuideFile, ImageDef, TroublesFile};
use crate::paths::{Found, PathProblem};
use crate::yaml::Seg;

/// What the build needs of a picture file: its size from the header and its content hash.
#[derive(Clone, Copy, Debug)]
pub(super) struct PictureFacts {
    width: u32,
    height: u32,
    hash: u64,
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
pub(super) struct FigureCheck<'a, 's> {
    /// Where the guide's files are: screenshots are looked for on the disk only.
    pub(super) sources: &'a mut Sources<'s>,
    /// The guide's folder, which the figures' paths are relative to.
    pub(super) dir: &'a Path,
    pub(super) diagnostics: &'a mut Diagnostics,
    /// The screenshots found so far, by `src`: a guide often shows one picture at many steps,
    /// and each look is a path check, an open and a hash of the whole file.
    pub(super) found: std::collections::HashMap<String, crate::figure::PictureFile>,
}

impl FigureCheck<'_, '_> {
    /// Every picture of a guide: its steps', its failure signs' and its trouble entries'.
    pub(super) fn guide(
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
        if let Some(problem) = def
            .app
            .as_ref()
            .and_then(|app| crate::figure::version_problem(&app.version))
        {
            let place = YamlPlace {
                source: file,
                base: 0,
                yaml: &file.text,
                path: vec![Seg::Key("app")],
            };
            self.diagnostics.push(
                place
                    .error("version", problem)
                    .with_hint(Message::new(crate::figure::VERSION_HINT)),
            );
        }
        if let (Some(src), true) = (def.og_image.clone(), self.on_disk()) {
            let place = YamlPlace {
                source: file,
                base: 0,
                yaml: &file.text,
                path: Vec::new(),
            };
            match self.screenshot(&src, &place, "og_image") {
                Ok(picture) if picture.hash == 0 => self.diagnostics.push(
                    place
                        .error("og_image", msg!("og-image-svg", src = &src))
                        .with_hint(msg!("og-image-svg-hint")),
                ),
                Ok(picture) => def.og_picture = Some(picture),
                Err(d) => self.diagnostics.push(d),
            }
        }
    }

    /// The steps' pictures and those of the trouble entries in their front matter.
    pub(super) fn steps(&mut self, steps: &mut BTreeMap<String, LoadedStep>) {
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
        if let (Some(src), true) = (&figure.src, self.on_disk()) {
            match self.screenshot(src, place, "src") {
                Ok(picture) => figure.picture = Some(picture),
                Err(d) => self.diagnostics.push(d),
            }
        }
    }

    /// Whether screenshots are looked for (not in memory).
    fn on_disk(&self) -> bool {
        self.sources.on_disk().is_some()
    }

    /// The screenshot `src`: where it is, and its size read from its header.
    fn screenshot(
        &mut self,
        src: &str,
        place: &YamlPlace<'_>,
        key: &'static str,
    ) -> Result<crate::figure::PictureFile, Diagnostic> {
        if let Some(found) = self.found.get(src) {
            return Ok(found.clone());
        }
        let found = self.look_at(src, place, key)?;
        self.found.insert(src.to_owned(), found.clone());
        Ok(found)
    }

    /// [`Self::screenshot`], looking at the file (a problem is looked at again at each place,
    /// to point there).
    fn look_at(
        &mut self,
        src: &str,
        place: &YamlPlace<'_>,
        key: &'static str,
    ) -> Result<crate::figure::PictureFile, Diagnostic> {
        let at = [Seg::Key(key)];
        let what = msg!("the-image", src = src);
        let Sources::Disk {
            root,
            options,
            check,
        } = &mut *self.sources
        else {
            return Err(place.error_below(&at, msg!("screenshots-not-here")));
        };
        let (root, options) = (*root, *options);
        let path = match check.resolve(self.dir, src) {
            Ok(Found::File(path)) => path,
            Ok(Found::Dir(_)) => {
                return Err(place
                    .error_below(&at, msg!("picture-is-folder", what = what))
                    .with_hint(msg!("picture-is-folder-hint")));
            }
            Ok(Found::Missing(path)) => {
                return Err(place
                    .error_below(&at, msg!("picture-missing", what = what))
                    .with_hint(msg!(
                        "picture-missing-hint",
                        path = display_path(root, &path).display().to_string()
                    )));
            }
            Err(PathProblem::Io(err)) => {
                let mut d = place.error_below(&at, Message::text(""));
                d.message = msg!("cannot-read", what = what, error = err.to_string());
                d.cannot_read = true;
                return Err(d.with_hint(PathProblem::Io(err).hint(msg!("noun-picture"))));
            }
            Err(problem) => {
                return Err(place
                    .error_below(&at, problem.message(what))
                    .with_hint(problem.hint(msg!("noun-picture"))));
            }
        };
        let is_svg = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
        let max_pixels = options.max_pixels;
        let facts = || picture_facts(&path, is_svg, max_pixels);
        let PictureFacts {
            width,
            height,
            hash,
        } = match options.reads {
            Some(reads) => reads.pictures.get_or(&path, facts),
            None => facts(),
        }
        .map_err(|problem| problem.diagnostic(place, key, what, max_pixels))?;
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
        what: Message,
        max_pixels: u64,
    ) -> Diagnostic {
        let at = [Seg::Key(key)];
        match self {
            Self::NotAPicture => place
                .error_below(&at, msg!("picture-unreadable", what = what))
                .with_hint(msg!("picture-unreadable-hint")),
            Self::TooLarge { width, height } => place
                .error_below(
                    &at,
                    msg!(
                        "picture-too-large",
                        what = what,
                        width = width,
                        height = height,
                        megapixels = megapixels(u64::from(width) * u64::from(height)),
                        limit = megapixels(max_pixels)
                    ),
                )
                .with_hint(msg!("picture-too-large-hint")),
            Self::Unreadable(err) => {
                let mut d = place.error_below(&at, Message::text(""));
                d.message = msg!("cannot-read", what = what, error = err.message());
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
