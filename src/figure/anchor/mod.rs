//! Anchors: what each annotation of a screenshot points at, kept as a small fingerprint of the
//! pixels there, so that the annotation follows its target when the screenshot is taken again.
//!
//! A guide's anchors live in `content/<slug>/anchors.yaml` (see [`AnchorsFile`]), written by
//! `tebiki check --fix` and the annotation editor and committed with the guide. For each figure
//! (a step's screenshot, or a trouble entry's) it records the screenshot's content hash and
//! size and, for each annotation, its shape, its reference point and the region it points at
//! (pixels), and that region as a grayscale patch of at most 32×32 pixels (≈1.4 KB of Base64).
//!
//! When the screenshot's hash is no longer the recorded one, [`locate`] looks for each patch in
//! the new picture (zero-mean normalized cross-correlation on downscaled copies, coarse then
//! fine, [`zncc`]) and [`judge`] says whether the target stayed, moved (confidently: then the
//! annotation is drawn at its new place) or is lost.
//!
//! Invariants: pure (no I/O; the pictures stage decodes); an annotation is matched to its anchor
//! by shape and reference point, so an annotation edited by hand has no anchor until the next
//! `check --fix`; a mask is only ever moved on a confident match.

pub(crate) mod zncc;

use std::collections::BTreeMap;

use base64::Engine as _;
use image::imageops::FilterType;
use image::{DynamicImage, GrayImage};
use serde::{Deserialize, Serialize};

use std::fmt::Write as _;

use super::annotate::{AnnotationDef, Coord, Shape, num};

/// The file of a guide's anchors, beside its guide.yaml.
pub(crate) const ANCHORS_FILE: &str = "anchors.yaml";

/// The largest side of a patch, in its pixels.
const PATCH: u32 = 32;

/// A match at least this good is confident.
pub(crate) const CONFIDENT: f64 = 0.85;

/// A confident match must also beat the second-best place by this much (a row of identical
/// buttons is no confident match).
const MARGIN: f64 = 0.08;

/// `anchors.yaml`: figures by key (a step id, or `trouble:<id>` for a trouble entry's picture).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnchorsFile {
    #[serde(default)]
    pub figures: BTreeMap<String, FigureAnchors>,
}

/// The anchors of one figure's annotations, taken from one version of its screenshot.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) struct FigureAnchors {
    /// The screenshot, as `src:` names it.
    pub picture: String,
    /// Its content hash when the anchors were taken (16 hex digits).
    pub hash: String,
    /// Its size then, in pixels.
    pub size: [u32; 2],
    /// The app's version this screenshot was found to show, when `check --fix` recorded it as
    /// a retake whose every anchor was found: the version check does not list it for that
    /// version, whatever its `captured.version` says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_for: Option<String>,
    pub anchors: Vec<Anchor>,
}

/// What one annotation points at.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub(crate) struct Anchor {
    pub shape: Shape,
    /// The annotation's reference point then (pixels): a shape's centre, a frame's or mask's
    /// top-left corner, an arrow's tip.
    pub at: [f64; 2],
    /// The region the patch covers (x, y, w, h in pixels).
    pub region: [f64; 4],
    /// `WxH:` and the patch's grayscale bytes in Base64.
    pub patch: String,
    /// For a mask: its own area in the patch (x, y, w, h in the patch's pixels), left out of
    /// the patch and of the comparison. What a mask hides is never kept here: it is found by
    /// what surrounds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hole: Option<[u32; 4]>,
}

/// A content hash as anchors.yaml writes it.
pub(crate) fn hash_text(hash: u64) -> String {
    format!("{hash:016x}")
}

impl Anchor {
    /// The patch as a picture (`None` when the text is not one).
    pub(crate) fn patch_image(&self) -> Option<GrayImage> {
        let (size, data) = self.patch.split_once(':')?;
        let (w, h) = size.split_once('x')?;
        let (w, h) = (w.parse().ok()?, h.parse().ok()?);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .ok()?;
        GrayImage::from_raw(w, h, bytes)
    }
}

/// The anchor's patch as a PNG `data:` URL (serve shows it beside the best match).
pub(crate) fn patch_data_url(anchor: &Anchor) -> Option<String> {
    let patch = anchor.patch_image()?;
    let mut png = std::io::Cursor::new(Vec::new());
    patch.write_to(&mut png, image::ImageFormat::Png).ok()?;
    let data = base64::engine::general_purpose::STANDARD.encode(png.into_inner());
    Some(format!("data:image/png;base64,{data}"))
}

/// A rectangle in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Area {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// The annotation's reference point in a `width`×`height` picture (see [`Anchor::at`]).
pub(crate) fn reference_point(a: &AnnotationDef, width: f64, height: f64) -> Option<[f64; 2]> {
    Some(match a.shape {
        Shape::Arrow => {
            let [x, y] = a.to?;
            [x.px(width), y.px(height)]
        }
        _ => [a.x?.px(width), a.y?.px(height)],
    })
}

/// The region an annotation points at, at least 8 % of the picture's width on each side and
/// inside the picture.
pub(crate) fn region(a: &AnnotationDef, width: f64, height: f64) -> Option<Area> {
    let [x, y] = reference_point(a, width, height)?;
    let least = width * 0.08;
    let raw = match a.shape {
        Shape::Circle | Shape::Forbid => {
            let r = a.r?.px(width);
            Area {
                x: x - r,
                y: y - r,
                w: 2.0 * r,
                h: 2.0 * r,
            }
        }
        Shape::Ellipse => {
            let (rx, ry) = (a.rx?.px(width), a.ry?.px(height));
            Area {
                x: x - rx,
                y: y - ry,
                w: 2.0 * rx,
                h: 2.0 * ry,
            }
        }
        Shape::Frame | Shape::Mask => {
            let r = a.rect(width, height)?;
            Area {
                x: r.x,
                y: r.y,
                w: r.w,
                h: r.h,
            }
        }
        Shape::Arrow | Shape::Badge | Shape::Label => Area {
            x: x - least,
            y: y - least,
            w: 2.0 * least,
            h: 2.0 * least,
        },
    };
    Some(clamp(grow(raw, least), width, height))
}

/// `area` grown around its centre to at least `least` on each side.
fn grow(area: Area, least: f64) -> Area {
    let (w, h) = (area.w.max(least), area.h.max(least));
    Area {
        x: area.x - (w - area.w) / 2.0,
        y: area.y - (h - area.h) / 2.0,
        w,
        h,
    }
}

/// `area` moved (and cut if it must) to lie inside a `width`×`height` picture.
fn clamp(area: Area, width: f64, height: f64) -> Area {
    let w = area.w.min(width);
    let h = area.h.min(height);
    Area {
        x: area.x.clamp(0.0, width - w),
        y: area.y.clamp(0.0, height - h),
        w,
        h,
    }
}

/// The patch of `picture` over `area`, at most [`PATCH`] pixels a side.
fn patch_of(picture: &DynamicImage, area: Area) -> GrayImage {
    let scale = f64::from(PATCH) / area.w.max(area.h);
    let size = (side(area.w * scale), side(area.h * scale));
    cut(
        picture,
        (whole(area.x), whole(area.y)),
        (side(area.w), side(area.h)),
        size,
    )
}

/// The `w`×`h` part of `picture` at (`x`, `y`) resized to `size` (the same way for a patch
/// and for what it is compared with). Through [`DynamicImage`]'s methods, which the image
/// crate compiles optimized even in a debug build of tebiki.
fn cut(
    picture: &DynamicImage,
    (x, y): (u32, u32),
    (w, h): (u32, u32),
    size: (u32, u32),
) -> GrayImage {
    picture
        .crop_imm(x, y, w, h)
        .resize_exact(size.0, size.1, FilterType::Triangle)
        .into_luma8()
}

#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "pixel positions within a picture under the pixel budget"
)]
fn whole(v: f64) -> u32 {
    v.round().max(0.0) as u32
}

fn side(v: f64) -> u32 {
    whole(v).max(1)
}

/// The anchors of a figure's annotations on `picture` (grayscale, full size, as taken: the
/// masks are burned in here, so no anchor holds what a mask hides).
pub(crate) fn fingerprints(picture: &GrayImage, annotations: &[AnnotationDef]) -> Vec<Anchor> {
    let (width, height) = (f64::from(picture.width()), f64::from(picture.height()));
    let mut masked = picture.clone();
    for a in annotations.iter().filter(|a| a.shape == Shape::Mask) {
        if let Some(r) = a.rect(width, height) {
            fill(
                &mut masked,
                Area {
                    x: r.x,
                    y: r.y,
                    w: r.w,
                    h: r.h,
                },
                160,
            );
        }
    }
    let masked = DynamicImage::ImageLuma8(masked);
    annotations
        .iter()
        .filter_map(|a| fingerprint(&masked, a))
        .collect()
}

/// Paints `area` of `picture` in `value`.
fn fill(picture: &mut GrayImage, area: Area, value: u8) {
    let (x0, y0) = (whole(area.x), whole(area.y));
    let (x1, y1) = (
        whole(area.x + area.w).min(picture.width()),
        whole(area.y + area.h).min(picture.height()),
    );
    for y in y0..y1 {
        for x in x0..x1 {
            picture.put_pixel(x, y, image::Luma([value]));
        }
    }
}

/// How much larger than its own region an anchor may look for something to follow, one try
/// after another, when the region is flat (a circle around an icon on an empty bar, a frame
/// around blank space): the widest is 4× each way, what it points at still near its centre.
const WIDENINGS: [f64; 3] = [1.0, 2.0, 4.0];

/// The anchor of annotation `a` on `picture`; `None` when it has no place yet (fields missing)
/// or nothing to find there, even in the widest area around it (a flat screen: nothing to
/// follow).
fn fingerprint(picture: &DynamicImage, a: &AnnotationDef) -> Option<Anchor> {
    let (width, height) = (f64::from(picture.width()), f64::from(picture.height()));
    let mut area = region(a, width, height)?;
    let own = (a.shape == Shape::Mask)
        .then(|| a.rect(width, height))
        .flatten();
    if let Some(r) = own {
        // A mask is found by its surroundings: half its height (at least 8 % of the width)
        // around it.
        let margin = (r.h / 2.0).max(width * 0.08);
        area = clamp(
            Area {
                x: r.x - margin,
                y: r.y - margin,
                w: r.w + 2.0 * margin,
                h: r.h + 2.0 * margin,
            },
            width,
            height,
        );
    }
    let (area, patch, hole) = WIDENINGS.iter().find_map(|&factor| {
        let area = widened(area, factor, width, height);
        let (patch, hole) = masked_patch(picture, area, own);
        zncc::has_texture(&patch, hole.map(tuple)).then_some((area, patch, hole))
    })?;
    let data = base64::engine::general_purpose::STANDARD.encode(patch.as_raw());
    Some(Anchor {
        shape: a.shape,
        at: reference_point(a, width, height)?.map(round1),
        region: [area.x, area.y, area.w, area.h].map(round1),
        patch: format!("{}x{}:{data}", patch.width(), patch.height()),
        hole,
    })
}

/// `area` made `factor` times as wide and high around its centre, inside the picture.
fn widened(area: Area, factor: f64, width: f64, height: f64) -> Area {
    if factor <= 1.0 {
        return area;
    }
    let (cx, cy) = (area.x + area.w / 2.0, area.y + area.h / 2.0);
    let (w, h) = (area.w * factor, area.h * factor);
    clamp(
        Area {
            x: cx - w / 2.0,
            y: cy - h / 2.0,
            w,
            h,
        },
        width,
        height,
    )
}

/// The patch of `area`, with a mask's own rectangle `own` (what it hides) as a hole of zeros:
/// every patch pixel the mask's area reaches, and one more all round (the resize blends each
/// patch pixel with its neighbours': the grey the mask is filled with here, what it hides in
/// the next screenshot), so those pixels are no surroundings.
fn masked_patch(
    picture: &DynamicImage,
    area: Area,
    own: Option<crate::figure::annotate::Rect>,
) -> (GrayImage, Option<[u32; 4]>) {
    let mut patch = patch_of(picture, area);
    let scale = f64::from(patch.width()) / area.w;
    let hole = own.map(|r| {
        let (pw, ph) = (f64::from(patch.width()), f64::from(patch.height()));
        let x0 = ((r.x - area.x) * scale).floor() - 1.0;
        let y0 = ((r.y - area.y) * scale).floor() - 1.0;
        let x1 = ((r.x + r.w - area.x) * scale).ceil() + 1.0;
        let y1 = ((r.y + r.h - area.y) * scale).ceil() + 1.0;
        let (x0, y0) = (x0.clamp(0.0, pw), y0.clamp(0.0, ph));
        let (x1, y1) = (x1.clamp(x0, pw), y1.clamp(y0, ph));
        [whole(x0), whole(y0), whole(x1 - x0), whole(y1 - y0)]
    });
    if let Some([x, y, w, h]) = hole {
        let hole_area = Area {
            x: f64::from(x),
            y: f64::from(y),
            w: f64::from(w),
            h: f64::from(h),
        };
        fill(&mut patch, hole_area, 0);
    }
    (patch, hole)
}

fn tuple([x, y, w, h]: [u32; 4]) -> zncc::Hole {
    (x, y, w, h)
}

/// A figure's anchors, taken on `gray` (its screenshot now, `picture`).
pub(crate) fn anchors_of(
    src: &str,
    annotations: &[AnnotationDef],
    picture: &super::PictureFile,
    gray: &GrayImage,
) -> FigureAnchors {
    FigureAnchors {
        picture: src.to_owned(),
        hash: hash_text(picture.hash),
        size: [picture.width, picture.height],
        verified_for: None,
        anchors: fingerprints(gray, annotations),
    }
}

/// anchors.yaml as tebiki writes it: a comment saying what it is, then the figures in key
/// order, one line per anchor (a retaken screenshot changes a few lines of a diff).
pub(crate) fn to_yaml(file: &AnchorsFile) -> String {
    let mut out = String::from(
        "# Written by tebiki (the annotation editor of `tebiki serve`, and `tebiki check --fix`):\n# what each annotation points at, so that it follows its target when a screenshot is\n# taken again. Commit it with the guide; edit the annotations, not this file.\nfigures:\n",
    );
    for (key, figure) in &file.figures {
        let _ = writeln!(out, "  {}:", quoted(key));
        let _ = writeln!(out, "    picture: {}", quoted(&figure.picture));
        let _ = writeln!(out, "    hash: \"{}\"", figure.hash);
        let _ = writeln!(out, "    size: [{}, {}]", figure.size[0], figure.size[1]);
        if let Some(version) = &figure.verified_for {
            let _ = writeln!(out, "    verified_for: {}", quoted(version));
        }
        if figure.anchors.is_empty() {
            out.push_str("    anchors: []\n");
            continue;
        }
        out.push_str("    anchors:\n");
        for a in &figure.anchors {
            let list = |v: &[f64]| v.iter().map(|n| num(*n)).collect::<Vec<_>>().join(", ");
            let hole = a.hole.map_or_else(String::new, |[x, y, w, h]| {
                format!(", hole: [{x}, {y}, {w}, {h}]")
            });
            let _ = writeln!(
                out,
                "      - {{shape: {}, at: [{}], region: [{}]{hole}, patch: \"{}\"}}",
                a.shape.name(),
                list(&a.at),
                list(&a.region),
                a.patch
            );
        }
    }
    out
}

/// A key or path as a YAML double-quoted string.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Where an anchor's region is in a new picture, and how sure that is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Located {
    /// The region's top-left corner in the new picture (pixels).
    pub x: f64,
    pub y: f64,
    pub score: f64,
    /// The best score at any other place.
    pub second: f64,
    /// The score at the region's recorded place (scaled to the new picture's width).
    pub here: f64,
}

/// Above this many multiply-adds the patch is first looked for at half its scale.
const DIRECT_SEARCH: u64 = 4_000_000;

/// Looks for `anchor` in `picture` (grayscale, full size, taken at `recorded` size): at the
/// patch's scale over the whole picture (first at half that scale when the picture is large
/// next to the patch), then, around the three best places, at every pixel of the picture
/// itself: a patch pixel stands for many of the picture's, and the same target moved by a
/// part of one looks different at the patch's scale.
pub(crate) fn locate(
    picture: &DynamicImage,
    anchor: &Anchor,
    recorded: [u32; 2],
) -> Option<Located> {
    let patch = anchor.patch_image()?;
    let hole = anchor.hole.map(tuple);
    let [rx, ry, rw, rh] = anchor.region;
    // A picture taken on another screen size is scaled to the recorded one's width.
    let ratio = f64::from(picture.width()) / f64::from(recorded[0].max(1));
    let (rw, rh) = (rw * ratio, rh * ratio);
    let scale = f64::from(patch.width()) / rw.max(1.0);
    let fine = scaled(picture, scale);
    let apart = (patch.width().max(patch.height()) / 2).max(1);
    let positions = u64::from(fine.width().saturating_sub(patch.width()) + 1)
        * u64::from(fine.height().saturating_sub(patch.height()) + 1);
    let work = positions * u64::from(patch.width() * patch.height());
    let candidates = if work <= DIRECT_SEARCH {
        zncc::search(&fine, &patch, hole, None, 3, apart)
    } else {
        let coarse_patch = scaled(&DynamicImage::ImageLuma8(patch.clone()), 0.5);
        let coarse = scaled(picture, scale * 0.5);
        let coarse_apart = (coarse_patch.width().max(coarse_patch.height()) / 2).max(1);
        // The hole at half scale: every half-scale pixel that holds a part of it.
        let coarse_hole = hole.map(|(x, y, w, h)| {
            (
                x / 2,
                y / 2,
                (x + w).div_ceil(2) - x / 2,
                (y + h).div_ceil(2) - y / 2,
            )
        });
        let mut refined: Vec<zncc::Hit> = Vec::new();
        for c in zncc::search(&coarse, &coarse_patch, coarse_hole, None, 3, coarse_apart) {
            let (cx, cy) = (c.x * 2, c.y * 2);
            let area = (cx.saturating_sub(3), cy.saturating_sub(3), cx + 4, cy + 4);
            refined.extend(zncc::search(&fine, &patch, hole, Some(area), 1, 1));
        }
        refined
    };
    let exact = Exact {
        picture,
        patch: &patch,
        hole,
        size: (rw, rh),
    };
    // Places far below the best at the patch's scale cannot come near it at full size (a move
    // by a part of a patch pixel costs a perfect match at most 0.2 there): they keep that score.
    let top = candidates.iter().map(|c| c.score).fold(f64::MIN, f64::max);
    let mut places: Vec<(f64, f64, f64)> = candidates
        .iter()
        .map(|c| {
            let (x, y) = (f64::from(c.x) / scale, f64::from(c.y) / scale);
            if c.score >= top - 0.35 {
                exact.climb(x, y, 0.5 / scale)
            } else {
                (x, y, c.score)
            }
        })
        .collect();
    places.sort_by(|a, b| b.2.total_cmp(&a.2));
    let &(x, y, score) = places.first()?;
    let far = f64::from(apart) / scale;
    let second = places
        .iter()
        .skip(1)
        .find(|p| (p.0 - x).abs().max((p.1 - y).abs()) >= far)
        .map_or(0.0, |p| p.2);
    let here = exact.score(rx * ratio, ry * ratio);
    Some(Located {
        x,
        y,
        score,
        second,
        here,
    })
}

/// The patch compared with the picture at any of its pixels, the way it was taken: the region
/// cut out at full size and resized to the patch's size.
struct Exact<'a> {
    picture: &'a DynamicImage,
    patch: &'a GrayImage,
    hole: Option<zncc::Hole>,
    /// The region's size in the picture's pixels.
    size: (f64, f64),
}

impl Exact<'_> {
    /// The score with the region's top-left corner at (`x`, `y`); -1 outside the picture.
    fn score(&self, x: f64, y: f64) -> f64 {
        let (w, h) = self.size;
        let (pw, ph) = (
            f64::from(self.picture.width()),
            f64::from(self.picture.height()),
        );
        if x < -0.5 || y < -0.5 || x + w > pw + 0.5 || y + h > ph + 0.5 {
            return -1.0;
        }
        let sample = cut(
            self.picture,
            (whole(x), whole(y)),
            (side(w), side(h)),
            self.patch.dimensions(),
        );
        zncc::search(&sample, self.patch, self.hole, Some((0, 0, 1, 1)), 1, 1)
            .first()
            .map_or(-1.0, |hit| hit.score)
    }

    /// The best place near (`x`, `y`): steps of `reach` pixels up, down, left and right while
    /// one is better, then of half that, down to one pixel. (x, y, score).
    fn climb(&self, x: f64, y: f64, reach: f64) -> (f64, f64, f64) {
        let (x, y) = (x.round(), y.round());
        let mut best = (x, y, self.score(x, y));
        let mut step = reach.ceil().max(1.0);
        // A bound on the moves at one step (the best place is within a patch pixel or two).
        let mut rounds = 0;
        loop {
            let (bx, by, _) = best;
            let mut moved = false;
            for (dx, dy) in [(-1.0, 0.0), (1.0, 0.0), (0.0, -1.0), (0.0, 1.0)] {
                let (nx, ny) = (bx + dx * step, by + dy * step);
                let score = self.score(nx, ny);
                if score > best.2 + 1e-9 {
                    best = (nx, ny, score);
                    moved = true;
                }
            }
            rounds += 1;
            if !moved || rounds > 8 {
                if step <= 1.0 {
                    return best;
                }
                step = (step / 2.0).ceil();
                rounds = 0;
            }
        }
    }
}

fn scaled(picture: &DynamicImage, scale: f64) -> GrayImage {
    let (w, h) = (
        side(f64::from(picture.width()) * scale),
        side(f64::from(picture.height()) * scale),
    );
    picture
        .resize_exact(w, h, FilterType::Triangle)
        .into_luma8()
}

/// What became of an annotation's target in a new screenshot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Verdict {
    /// Where it was (within 1 % of the picture's width).
    Stayed,
    /// Found elsewhere, confidently: move the annotation by (dx, dy) pixels.
    Moved { dx: f64, dy: f64 },
    /// Not found: the best place and its score, and the best score elsewhere (close to the
    /// best: the target looks the same in more than one place).
    Lost {
        x: f64,
        y: f64,
        score: f64,
        second: f64,
    },
}

/// The verdict on `located` for `anchor` in a picture `width` pixels wide (taken at `recorded`).
pub(crate) fn judge(
    anchor: &Anchor,
    located: Option<Located>,
    width: u32,
    recorded: [u32; 2],
) -> Verdict {
    let Some(found) = located else {
        return Verdict::Lost {
            x: 0.0,
            y: 0.0,
            score: 0.0,
            second: 0.0,
        };
    };
    let same_size = width == recorded[0];
    // Still where it was, and nothing else is clearly better (a row of identical buttons, or
    // a mark on a plain bar, is where it was when its place still shows the same).
    if same_size && found.here >= CONFIDENT && found.here >= found.score - MARGIN {
        return Verdict::Stayed;
    }
    let ratio = f64::from(width) / f64::from(recorded[0].max(1));
    let (was_x, was_y) = (anchor.region[0] * ratio, anchor.region[1] * ratio);
    let (dx, dy) = (found.x - was_x, found.y - was_y);
    let confident = found.score >= CONFIDENT && found.score - found.second >= MARGIN;
    if !confident {
        return Verdict::Lost {
            x: found.x,
            y: found.y,
            score: found.score,
            second: found.second,
        };
    }
    if dx.abs().max(dy.abs()) <= f64::from(width) * 0.01 && same_size {
        Verdict::Stayed
    } else {
        Verdict::Moved { dx, dy }
    }
}

/// `a` moved by (`dx`, `dy`) pixels in a `width`×`height` picture, each coordinate kept in the
/// unit it was written in (pixels stay pixels, percentages stay percentages).
pub(crate) fn moved(a: &AnnotationDef, dx: f64, dy: f64, width: f64, height: f64) -> AnnotationDef {
    let shift = |c: Option<Coord>, d: f64, size: f64| {
        c.map(|c| match c {
            Coord::Px(v) => Coord::Px(round1(v + d)),
            Coord::Pct(p) => Coord::Pct(round1(p + d / size * 100.0)),
        })
    };
    let pair = |p: Option<[Coord; 2]>| {
        p.map(|[x, y]| {
            [
                shift(Some(x), dx, width).unwrap_or(x),
                shift(Some(y), dy, height).unwrap_or(y),
            ]
        })
    };
    AnnotationDef {
        x: shift(a.x, dx, width),
        y: shift(a.y, dy, height),
        from: pair(a.from),
        to: pair(a.to),
        ..a.clone()
    }
}

/// The anchor of annotation `a` among `anchors` (taken on a `size` picture): same shape, same
/// reference point (within half a pixel).
pub(crate) fn anchor_of<'a>(anchors: &'a FigureAnchors, a: &AnnotationDef) -> Option<&'a Anchor> {
    let [w, h] = anchors.size.map(f64::from);
    let at = reference_point(a, w, h)?.map(round1);
    anchors.anchors.iter().find(|k| {
        k.shape == a.shape && (k.at[0] - at[0]).abs() <= 0.5 && (k.at[1] - at[1]).abs() <= 0.5
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A phone-like screen: white, a grey header, and a textured "button" at (`bx`, `by`).
    fn screen(bx: u32, by: u32) -> GrayImage {
        GrayImage::from_fn(390, 844, |x, y| {
            let header = y < 60;
            let in_button = x >= bx && x < bx + 120 && y >= by && y < by + 44;
            let letter = in_button && (x - bx) % 14 < 6 && (y - by) > 14 && (y - by) < 30;
            image::Luma([if letter {
                30
            } else if in_button {
                90
            } else if header {
                200
            } else {
                250
            }])
        })
    }

    fn circle(x: f64, y: f64, r: f64) -> AnnotationDef {
        serde_saphyr::from_str(&format!("{{shape: circle, x: {x}, y: {y}, r: {r}}}")).unwrap()
    }

    #[test]
    fn a_circle_follows_its_button_and_a_removed_button_is_lost() {
        let before = screen(40, 300);
        let ring = circle(100.0, 322.0, 70.0);
        let anchor = fingerprints(&before, std::slice::from_ref(&ring))
            .pop()
            .expect("a textured region");
        assert!(anchor.patch.len() < 2_000, "{} bytes", anchor.patch.len());
        // Unchanged.
        let here = locate(
            &DynamicImage::ImageLuma8(before.clone()),
            &anchor,
            [390, 844],
        );
        assert_eq!(judge(&anchor, here, 390, [390, 844]), Verdict::Stayed);
        // The button moved down by 220 pixels and right by 150.
        let after = screen(190, 520);
        let found = locate(
            &DynamicImage::ImageLuma8(after.clone()),
            &anchor,
            [390, 844],
        );
        let Verdict::Moved { dx, dy } = judge(&anchor, found, 390, [390, 844]) else {
            panic!("{found:?}");
        };
        assert!(
            (dx - 150.0).abs() <= 4.0 && (dy - 220.0).abs() <= 4.0,
            "{dx}, {dy}"
        );
        let followed = moved(&ring, dx, dy, 390.0, 844.0);
        let Some(Coord::Px(x)) = followed.x else {
            panic!()
        };
        assert!((x - 250.0).abs() <= 4.0, "{x}");
        // The button is gone.
        let gone = GrayImage::from_fn(390, 844, |_, y| {
            image::Luma([if y < 60 { 200 } else { 250 }])
        });
        let lost = judge(
            &anchor,
            locate(&DynamicImage::ImageLuma8(gone.clone()), &anchor, [390, 844]),
            390,
            [390, 844],
        );
        assert!(matches!(lost, Verdict::Lost { .. }), "{lost:?}");
    }

    #[test]
    fn a_frame_over_blank_space_follows_what_is_near_it() {
        // A frame just under the button, over nothing but the screen's white.
        let before = screen(40, 300);
        let frame: AnnotationDef =
            serde_saphyr::from_str("{shape: frame, x: 40, y: 362, w: 120, h: 30}").unwrap();
        let anchor = fingerprints(&before, std::slice::from_ref(&frame))
            .pop()
            .expect("an anchor from the area around the blank frame");
        assert!(anchor.region[3] > 60.0, "{:?}", anchor.region);
        // Everything moved down by 220 pixels: the frame goes with the button above it.
        let after = screen(40, 520);
        let found = locate(&DynamicImage::ImageLuma8(after), &anchor, [390, 844]);
        let Verdict::Moved { dx, dy } = judge(&anchor, found, 390, [390, 844]) else {
            panic!("{found:?}");
        };
        assert!(dx.abs() <= 4.0 && (dy - 220.0).abs() <= 4.0, "{dx}, {dy}");
        // A screen with nothing on it at all gives nothing to follow.
        let blank = GrayImage::from_pixel(390, 844, image::Luma([250]));
        assert!(fingerprints(&blank, std::slice::from_ref(&frame)).is_empty());
    }

    #[test]
    fn anchors_yaml_reads_back_as_written() {
        let before = screen(40, 300);
        let mask: AnnotationDef =
            serde_saphyr::from_str("{shape: mask, x: 110, y: 300, w: 50, h: 44}").unwrap();
        let ring = circle(100.0, 322.0, 70.0);
        let mut file = AnchorsFile::default();
        let picture = crate::figure::PictureFile {
            path: "a.png".into(),
            width: 390,
            height: 844,
            hash: 7,
        };
        file.figures.insert(
            "step:open".into(),
            anchors_of("images/a.png", &[ring, mask], &picture, &before),
        );
        let text = to_yaml(&file);
        let again: AnchorsFile = serde_saphyr::from_str(&text).unwrap();
        assert_eq!(again, file);
        assert!(text.lines().count() < 12, "{text}");
        // The mask's own area is left out of its patch: what it hides is not kept.
        let mask_anchor = &file.figures["step:open"].anchors[1];
        let [x, y, w, h] = mask_anchor.hole.unwrap();
        let patch = mask_anchor.patch_image().unwrap();
        for py in y..y + h {
            for px in x..x + w {
                assert_eq!(patch.get_pixel(px, py).0[0], 0);
            }
        }
    }

    #[test]
    fn a_mask_is_found_by_its_surroundings_whatever_it_hides() {
        // The mask hides the right part of the button; the left part is its surroundings.
        let before = screen(40, 300);
        let mask: AnnotationDef =
            serde_saphyr::from_str("{shape: mask, x: 110, y: 300, w: 50, h: 44}").unwrap();
        let anchor = fingerprints(&before, std::slice::from_ref(&mask))
            .pop()
            .expect("the button's left part is something to find");
        // The same picture: where it was (what the mask hides blurs into no patch pixel).
        let here = locate(
            &DynamicImage::ImageLuma8(before.clone()),
            &anchor,
            [390, 844],
        )
        .unwrap();
        assert!(here.here > 0.99, "{here:?}");
        assert_eq!(judge(&anchor, Some(here), 390, [390, 844]), Verdict::Stayed);
        // Moved by 77 pixels down (no whole number of patch pixels), with other things hidden.
        let mut after = screen(40, 377);
        for y in 377..421 {
            for x in 110..160 {
                after.put_pixel(x, y, image::Luma([if (x * y) % 5 == 0 { 0 } else { 180 }]));
            }
        }
        let found = locate(
            &DynamicImage::ImageLuma8(after.clone()),
            &anchor,
            [390, 844],
        );
        let Verdict::Moved { dx, dy } = judge(&anchor, found, 390, [390, 844]) else {
            panic!("{found:?}");
        };
        assert!(dx.abs() <= 1.0 && (dy - 77.0).abs() <= 1.0, "{dx}, {dy}");
    }

    #[test]
    fn percentages_stay_percentages_when_moved() {
        let a: AnnotationDef =
            serde_saphyr::from_str("{shape: frame, x: 10%, y: 20%, w: 30%, h: 5%}").unwrap();
        let m = moved(&a, 39.0, 84.4, 390.0, 844.0);
        assert_eq!(m.x, Some(Coord::Pct(20.0)));
        assert_eq!(m.y, Some(Coord::Pct(30.0)));
        assert_eq!(m.w, Some(Coord::Pct(30.0)));
    }
}
