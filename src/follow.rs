//! The follow stage (after load, before resolve): annotations follow what they point at when a
//! screenshot was taken again.
//!
//! For every figure with a screenshot whose content hash is no longer the one its anchors were
//! taken from (`anchors.yaml`, see [`crate::figure::anchor`]), the screenshot is decoded in
//! grayscale and each anchored annotation is looked for. What was found elsewhere confidently
//! is moved there in the loaded figure, so every later stage (the page's overlay, the masks
//! burned into the pixels, the annotated copy, the WordPress upload) draws it at its new place;
//! what is lost is reported at the annotation's line.
//!
//! Invariants: a mask is moved only on a confident match, and a mask whose target is lost is an
//! error (nothing is published: the previous output stays); a figure whose hash matches its
//! anchors is not decoded; the outcome of each annotation is kept on the figure
//! ([`Followed`]) for `check` and `check --fix`.

use image::GrayImage;
use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Severity};
use crate::figure::anchor::{self, FigureAnchors, Verdict};
use crate::figure::annotate::Shape;
use crate::figure::{FigureDef, Followed, PictureFile};
use crate::i18n::{Message, msg};
use crate::load::{LoadedGuide, YamlPlace};
use crate::yaml::Seg;

/// Decodes a screenshot to grayscale (the pictures stage's decoder, within the pixel budget).
pub(crate) type Decode<'a> = &'a (dyn Fn(&PictureFile) -> Result<GrayImage, String> + Sync);

/// Where a figure is in a loaded guide.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum FigureAt {
    /// A step's `image:`.
    Step(String),
    /// The `image:` of entry `k` of a step's `troubles:`.
    StepTrouble(String, usize),
    /// The `image:` of sign `k` of section `si` in guide.yaml.
    Sign(usize, usize),
    /// The `image:` of entry `k` of troubles.yaml.
    Entry(usize),
}

/// A figure of a loaded guide: its key (in anchors.yaml and in the editor: `step:<id>` or
/// `trouble:<id>`), where it is, and the place of its `image:` value.
#[derive(Debug)]
pub(crate) struct FigureSite<'a> {
    pub key: String,
    pub at: FigureAt,
    pub place: YamlPlace<'a>,
    pub figure: &'a FigureDef,
}

/// Every figure of `guide`: its steps', their trouble entries', its signs' and troubles.yaml's.
pub(crate) fn figure_sites(guide: &LoadedGuide) -> Vec<FigureSite<'_>> {
    let mut sites = Vec::new();
    for step in guide.steps.values() {
        let base = step.yaml_range.0;
        let place = |path: Vec<Seg<'static>>| YamlPlace {
            source: &step.source,
            base,
            yaml: step.yaml(),
            path,
        };
        if let Some(figure) = &step.front.image {
            sites.push(FigureSite {
                key: format!("step:{}", step.id),
                at: FigureAt::Step(step.id.clone()),
                place: place(vec![Seg::Key("image")]),
                figure,
            });
        }
        for (k, entry) in step.front.troubles.iter().enumerate() {
            if let Some(figure) = &entry.image {
                sites.push(FigureSite {
                    key: format!("trouble:{}", entry.id),
                    at: FigureAt::StepTrouble(step.id.clone(), k),
                    place: place(vec![Seg::Key("troubles"), Seg::Index(k), Seg::Key("image")]),
                    figure,
                });
            }
        }
    }
    for (si, section) in guide.def.sections.iter().enumerate() {
        for (k, sign) in section.signs.iter().enumerate() {
            if let Some(figure) = &sign.image {
                let path = vec![
                    Seg::Key("sections"),
                    Seg::Index(si),
                    Seg::Key("signs"),
                    Seg::Index(k),
                    Seg::Key("image"),
                ];
                sites.push(FigureSite {
                    key: format!("trouble:{}", sign.id),
                    at: FigureAt::Sign(si, k),
                    place: YamlPlace {
                        source: &guide.file,
                        base: 0,
                        yaml: &guide.file.text,
                        path,
                    },
                    figure,
                });
            }
        }
    }
    if let Some((source, entries)) = &guide.troubles {
        for (k, entry) in entries.iter().enumerate() {
            if let Some(figure) = &entry.image {
                sites.push(FigureSite {
                    key: format!("trouble:{}", entry.id),
                    at: FigureAt::Entry(k),
                    place: YamlPlace {
                        source,
                        base: 0,
                        yaml: &source.text,
                        path: vec![Seg::Index(k), Seg::Key("image")],
                    },
                    figure,
                });
            }
        }
    }
    sites
}

/// The figure at `at` of `guide`, to change it.
fn figure_mut<'a>(guide: &'a mut LoadedGuide, at: &FigureAt) -> Option<&'a mut FigureDef> {
    match at {
        FigureAt::Step(id) => guide.steps.get_mut(id)?.front.image.as_mut(),
        FigureAt::StepTrouble(id, k) => guide
            .steps
            .get_mut(id)?
            .front
            .troubles
            .get_mut(*k)?
            .image
            .as_mut(),
        FigureAt::Sign(si, k) => guide
            .def
            .sections
            .get_mut(*si)?
            .signs
            .get_mut(*k)?
            .image
            .as_mut(),
        FigureAt::Entry(k) => guide.troubles.as_mut()?.1.get_mut(*k)?.image.as_mut(),
    }
}

/// Follows every anchored annotation of `guide` whose screenshot changed; the problems found.
pub(crate) fn follow_guide(guide: &mut LoadedGuide, decode: Decode<'_>) -> Vec<Diagnostic> {
    let Some((_, anchors)) = &guide.anchors else {
        return Vec::new();
    };
    let followed: Vec<(FigureAt, FigureDef, Vec<Diagnostic>)> = figure_sites(guide)
        .into_par_iter()
        .filter_map(|site| {
            let recorded = anchors.figures.get(&site.key)?;
            let mut figure = site.figure.clone();
            let problems = follow_figure(&mut figure, recorded, &site.place, decode);
            Some((site.at, figure, problems))
        })
        .collect();
    let mut problems = Vec::new();
    for (at, figure, found) in followed {
        problems.extend(found);
        if let Some(slot) = figure_mut(guide, &at) {
            *slot = figure;
        }
    }
    problems
}

/// Follows the annotations of one figure; its problems.
fn follow_figure(
    figure: &mut FigureDef,
    recorded: &FigureAnchors,
    place: &YamlPlace<'_>,
    decode: Decode<'_>,
) -> Vec<Diagnostic> {
    let Some(picture) = figure.picture.clone() else {
        return Vec::new();
    };
    if anchor::hash_text(picture.hash) == recorded.hash || figure.annotations.is_empty() {
        figure.followed = Some(Box::new(Followed::unchanged(&figure.annotations, recorded)));
        return Vec::new();
    }
    // The pictures stage reports a picture it cannot decode.
    let Ok(gray) = decode(&picture) else {
        return Vec::new();
    };
    let gray = image::DynamicImage::ImageLuma8(gray);
    let (width, height) = (f64::from(picture.width), f64::from(picture.height));
    let mut followed = Followed {
        original: figure.annotations.clone(),
        verdicts: Vec::new(),
        retaken: true,
        lost: Vec::new(),
    };
    let mut problems = Vec::new();
    let src = figure.src.clone().unwrap_or_default();
    for (i, a) in figure.annotations.iter_mut().enumerate() {
        let Some(anchor) = anchor::anchor_of(recorded, a) else {
            if a.shape == Shape::Mask {
                // Nothing tells where what it hid went: it must be placed (or confirmed) again.
                problems.push(unanchored_mask(&src, place, i));
                followed.verdicts.push(Some(Verdict::Lost {
                    x: 0.0,
                    y: 0.0,
                    score: 0.0,
                    second: 0.0,
                }));
            } else {
                followed.verdicts.push(None);
            }
            continue;
        };
        let located = anchor::locate(&gray, anchor, recorded.size);
        let verdict = anchor::judge(anchor, located, picture.width, recorded.size);
        let at = [Seg::Key("annotations"), Seg::Index(i)];
        match verdict {
            Verdict::Stayed => {}
            Verdict::Moved { dx, dy } => {
                let was = anchor::reference_point(a, width, height).unwrap_or_default();
                *a = anchor::moved(a, dx, dy, width, height);
                let now = anchor::reference_point(a, width, height).unwrap_or_default();
                let mut d = place.error_below(
                    &at,
                    msg!(
                        "annotation-followed",
                        shape = shape_name(a.shape),
                        src = src.as_str(),
                        was = format!("({}, {})", px(was[0]), px(was[1])),
                        now = format!("({}, {})", px(now[0]), px(now[1]))
                    ),
                );
                d.severity = Severity::Warning;
                problems.push(d.with_hint(msg!("annotation-followed-hint")));
            }
            Verdict::Lost {
                x,
                y,
                score,
                second,
            } => {
                problems.push(lost(a.shape, &src, place, &at, (x, y, score, second)));
                let ratio = width / f64::from(recorded.size[0].max(1));
                let [_, _, w, h] = anchor.region;
                followed
                    .lost
                    .extend(
                        anchor::patch_data_url(anchor).map(|old| crate::figure::LostCrop {
                            index: i,
                            old,
                            at: [x, y, w * ratio, h * ratio],
                        }),
                    );
            }
        }
        followed.verdicts.push(Some(verdict));
    }
    figure.followed = Some(Box::new(followed));
    problems
}

/// What an annotation pointed at is no longer in the screenshot: a mask is an error (it would
/// publish what it hid), the others are strict warnings (drawn at the old place).
fn lost(
    shape: Shape,
    src: &str,
    place: &YamlPlace<'_>,
    at: &[Seg<'static>],
    (x, y, score, second): (f64, f64, f64, f64),
) -> Diagnostic {
    let best = format!("({}, {})", px(x), px(y));
    let message = if score >= anchor::CONFIDENT {
        // Found, but not in one place only: which one it is cannot be told.
        msg!(
            "annotation-ambiguous",
            shape = shape_name(shape),
            src = src,
            score = format!("{score:.2}"),
            at = best,
            second = format!("{second:.2}")
        )
    } else {
        msg!(
            "annotation-lost",
            shape = shape_name(shape),
            src = src,
            score = format!("{score:.2}"),
            at = best
        )
    };
    let d = place.error_below(at, message);
    if shape == Shape::Mask {
        d.with_hint(msg!("mask-lost-hint"))
    } else {
        d.with_hint(msg!("annotation-lost-hint")).strict()
    }
}

/// A mask with no anchor (its surroundings are flat, or it was written by hand) on a screenshot
/// taken again: an error, as nothing says it still hides what it hid.
fn unanchored_mask(src: &str, place: &YamlPlace<'_>, index: usize) -> Diagnostic {
    place
        .error_below(
            &[Seg::Key("annotations"), Seg::Index(index)],
            msg!("mask-unanchored", src = src),
        )
        .with_hint(msg!("mask-unanchored-hint"))
}

/// The shape's name in messages.
fn shape_name(shape: Shape) -> Message {
    Message::new(match shape {
        Shape::Circle => "shape-circle",
        Shape::Ellipse => "shape-ellipse",
        Shape::Frame => "shape-frame",
        Shape::Arrow => "shape-arrow",
        Shape::Badge => "shape-badge",
        Shape::Label => "shape-label",
        Shape::Mask => "shape-mask",
        Shape::Forbid => "shape-forbid",
    })
}

/// Pixels for a message: whole numbers.
fn px(v: f64) -> String {
    format!("{v:.0}")
}
