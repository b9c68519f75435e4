//! Figures: a step's picture as data — a screenshot file or a generated phone-screen mock-up,
//! plus annotations (circle, frame, arrow, badge, label, mask) drawn over it.
//!
//! The YAML types live here with their checks ([`FigureDef::check`]); [`mockup`] draws a
//! mock-up as SVG and [`annotate`] draws annotations as an SVG overlay whose viewBox is the
//! picture's own size, so marks stay on the right element at every width.

pub(crate) mod anchor;
pub(crate) mod annotate;
pub(crate) mod mockup;
mod problem;

pub(crate) use problem::FigureProblem;

use std::path::PathBuf;

use serde::Deserialize;

use crate::i18n::msg;
use crate::yaml::Seg;

pub(crate) use annotate::{AnnotationDef, Shape};
pub(crate) use mockup::MockupDef;

/// A step's `image:`: a screenshot (`src`) or a mock-up, with annotations.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FigureDef {
    #[serde(default)]
    pub src: Option<String>,
    #[serde(default)]
    pub alt: String,
    #[serde(default)]
    pub mockup: Option<Box<MockupDef>>,
    #[serde(default)]
    pub annotations: Vec<AnnotationDef>,
    /// This screenshot's lossy WebP quality, 0–100 (else `images.quality` of site.yaml).
    #[serde(default)]
    pub quality: Option<u8>,
    /// This screenshot in lossless WebP (else `images.lossless` of site.yaml).
    #[serde(default)]
    pub lossless: Option<bool>,
    /// Which version of the app the screenshot shows (compared with the guide's `app:`).
    #[serde(default)]
    pub captured: Option<Box<Captured>>,
    /// The screenshot's file, found inside the site by the load stage (`None` for mock-ups and
    /// for a `src` that was refused). Later stages use this, never `src` as a path.
    #[serde(skip)]
    pub picture: Option<PictureFile>,
    /// What became of the annotations in a screenshot taken again (the follow stage).
    #[serde(skip)]
    pub(crate) followed: Option<Box<Followed>>,
}

/// Which kinds of mark a figure draws: what the guide's legend explains.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Marks {
    /// "Press here": red frames, circles, arrows (`highlight:` of a mock-up).
    pub press: bool,
    /// "Look here": dotted blue marks (`look:` of a mock-up, `look: true` annotations).
    pub look: bool,
    /// "Not yet": the prohibition sign (`avoid:` of a mock-up, `forbid` annotations).
    pub avoid: bool,
}

impl Marks {
    /// The marks of both.
    pub(crate) fn with(self, other: Self) -> Self {
        Self {
            press: self.press || other.press,
            look: self.look || other.look,
            avoid: self.avoid || other.avoid,
        }
    }
}

impl FigureDef {
    /// The kinds of mark this figure draws.
    pub(crate) fn marks(&self) -> Marks {
        let mut marks = self.mockup.as_ref().map_or_else(Marks::default, |m| Marks {
            press: !m.highlight.is_empty(),
            look: !m.look.is_empty(),
            avoid: !m.avoid.is_empty(),
        });
        for a in &self.annotations {
            match a.shape {
                Shape::Forbid => marks.avoid = true,
                Shape::Mask | Shape::Label | Shape::Badge => {}
                _ if a.look => marks.look = true,
                _ => marks.press = true,
            }
        }
        marks
    }
}

/// The outcome of the follow stage for one figure: each annotation as written, and for each
/// one with an anchor, what became of its target (`None`: no anchor yet).
#[derive(Clone, Debug, Default)]
pub(crate) struct Followed {
    pub(crate) original: Vec<annotate::AnnotationDef>,
    pub(crate) verdicts: Vec<Option<anchor::Verdict>>,
    /// Whether the screenshot is another than the one the anchors were taken from.
    pub(crate) retaken: bool,
    /// For each annotation whose target is lost: what it pointed at, and where the best match
    /// is in the new screenshot (for serve, to show both side by side).
    pub(crate) lost: Vec<LostCrop>,
}

/// An annotation's target that was not found: its index, its anchor's patch (a PNG `data:`
/// URL) and the best match's region in the new screenshot (x, y, w, h in pixels).
#[derive(Clone, Debug, serde::Serialize)]
pub(crate) struct LostCrop {
    pub index: usize,
    pub old: String,
    pub at: [f64; 4],
}

impl Followed {
    /// The screenshot is the one the anchors were taken from: every target with an anchor is
    /// where it was.
    pub(crate) fn unchanged(
        annotations: &[annotate::AnnotationDef],
        recorded: &anchor::FigureAnchors,
    ) -> Self {
        Self {
            original: Vec::new(),
            retaken: false,
            lost: Vec::new(),
            verdicts: annotations
                .iter()
                .map(|a| anchor::anchor_of(recorded, a).map(|_| anchor::Verdict::Stayed))
                .collect(),
        }
    }

    /// Whether the screenshot was taken again and every annotation with an anchor found its
    /// target in it (none is lost, at least one had an anchor): the new screenshot shows what
    /// its annotations point at, so it is not out of date, whatever its `captured.version`.
    pub(crate) fn retake_verified(&self) -> bool {
        self.retaken
            && self.verdicts.iter().any(Option::is_some)
            && !self
                .verdicts
                .iter()
                .any(|v| matches!(v, Some(anchor::Verdict::Lost { .. })))
    }
}

/// What is wrong with `version` as an app's version (`app:` of a guide, `captured:` of a
/// screenshot), if anything: it must be a plain version as the app shows it — a digit first
/// (after an optional `v`), then letters, digits, `.`, `-`, `+` or `_` (`12.1`, `5.2.0-beta`).
/// A quoting slip (`"\"5.2\""`), spaces or words are refused: the stale-screenshot check
/// compares these strings.
pub(crate) fn version_problem(version: &str) -> Option<crate::i18n::Message> {
    let bare = version.strip_prefix(['v', 'V']).unwrap_or(version);
    let plain = bare.starts_with(|c: char| c.is_ascii_digit())
        && bare
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'));
    (!plain).then(|| crate::i18n::msg!("version-not-plain", version = version))
}

/// The hint of [`version_problem`].
pub(crate) const VERSION_HINT: &str = "version-not-plain-hint";

/// `captured:` of a screenshot: the app's version it shows, and when it was taken.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Captured {
    pub version: String,
    /// When it was taken: for the author and reviewers; tebiki reads it but does not use it.
    #[serde(default)]
    #[allow(
        dead_code,
        reason = "accepted so that authors can record it; nothing uses it yet"
    )]
    pub date: Option<String>,
}

/// A screenshot as the load stage found it: inside the site, a picture, within the pixel
/// budget, with its size read from its header.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PictureFile {
    pub path: PathBuf,
    pub width: u32,
    pub height: u32,
    /// A hash of the file's bytes (names the published variants; 0 for SVG, copied as is).
    pub hash: u64,
}

impl FigureDef {
    /// Checks what serde cannot: one source, known highlight ids, unique ids, alt text.
    pub(crate) fn check(&self) -> Vec<FigureProblem> {
        let mut problems = Vec::new();
        match (&self.src, &self.mockup) {
            (Some(_), Some(_)) => problems.push(FigureProblem {
                path: vec![Seg::Key("mockup")],
                message: msg!("image-src-and-mockup"),
                hint: msg!("image-src-and-mockup-hint"),
                strict: false,
            }),
            (None, None) => problems.push(FigureProblem {
                path: vec![],
                message: msg!("image-no-src"),
                hint: msg!("image-no-src-hint"),
                strict: false,
            }),
            _ => {}
        }
        if let Some(q) = self.quality
            && q > 100
        {
            problems.push(FigureProblem {
                path: vec![Seg::Key("quality")],
                message: msg!("quality-range", value = q),
                hint: msg!("image-quality-hint"),
                strict: false,
            });
        }
        if self.mockup.is_some() {
            for (key, set) in [
                ("quality", self.quality.is_some()),
                ("lossless", self.lossless.is_some()),
            ] {
                if set {
                    problems.push(FigureProblem {
                        path: vec![Seg::Key(key)],
                        message: msg!("mockup-screenshot-field", key = key),
                        hint: msg!("mockup-screenshot-field-hint", key = key),
                        strict: false,
                    });
                }
            }
        }
        if let Some(problem) = self
            .captured
            .as_ref()
            .and_then(|c| version_problem(&c.version))
        {
            problems.push(FigureProblem {
                path: vec![Seg::Key("captured"), Seg::Key("version")],
                message: problem,
                hint: crate::i18n::Message::new(VERSION_HINT),
                strict: false,
            });
        }
        if self.alt.trim().is_empty() {
            problems.push(FigureProblem {
                path: vec![],
                message: msg!("image-no-alt"),
                hint: msg!("image-no-alt-hint"),
                strict: true,
            });
        }
        for (k, a) in self.annotations.iter().enumerate() {
            problems.extend(a.check().into_iter().map(|mut p| {
                p.path
                    .splice(0..0, [Seg::Key("annotations"), Seg::Index(k)]);
                p
            }));
        }
        if let Some(mockup) = &self.mockup {
            problems.extend(mockup.check().into_iter().map(|mut p| {
                p.path.insert(0, Seg::Key("mockup"));
                p
            }));
        }
        problems
    }
}
