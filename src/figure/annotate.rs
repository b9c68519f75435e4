//! Annotations drawn over a picture: circle, ellipse, frame, arrow, numbered badge, text label,
//! mask, and a "don't press" sign (`forbid`).
//! Coordinates are the picture's pixels (plain numbers) or percentages (`"12%"`): `x`, `w`,
//! `r` and `rx` are shares of the picture's width, `y`, `h` and `ry` of its height.

use std::fmt::{self, Write as _};

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use crate::escape::{xml_attr, xml_text};
use crate::i18n::msg;

/// The theme's highlight red: "press here".
pub(crate) const HIGHLIGHT: &str = "#e53935";

/// The "look here" blue, always drawn dotted (told apart from red without colour too).
pub(crate) const LOOK: &str = "#1565c0";

/// The stroke pattern of a "look here" mark, for a line `stroke` wide: round dots.
fn look_dashes(stroke: f64) -> String {
    format!(
        r#" stroke-dasharray="0.1 {}" stroke-linecap="round""#,
        num(stroke * 2.2)
    )
}

/// What an annotation draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Shape {
    Circle,
    /// A circle stretched to a wide (or tall) button: `rx` and `ry`.
    Ellipse,
    Frame,
    Arrow,
    Badge,
    Label,
    Mask,
    /// "Don't press this (yet)": a prohibition sign, with an optional `text` under it.
    Forbid,
}

impl Shape {
    /// Whether `look: true` applies: the shapes that point at something.
    pub(crate) fn can_look(self) -> bool {
        matches!(
            self,
            Self::Circle | Self::Ellipse | Self::Frame | Self::Arrow
        )
    }

    /// The name as YAML writes it (`shape: circle`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Circle => "circle",
            Self::Ellipse => "ellipse",
            Self::Frame => "frame",
            Self::Arrow => "arrow",
            Self::Badge => "badge",
            Self::Label => "label",
            Self::Mask => "mask",
            Self::Forbid => "forbid",
        }
    }
}

/// A coordinate or length: pixels of the picture, or a percentage of its width/height.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Coord {
    Px(f64),
    Pct(f64),
}

/// The largest coordinate accepted, in pixels (pictures are far smaller: see `max_megapixels`).
pub(crate) const MAX_PX: f64 = 100_000.0;

fn number_problem(
    field: &'static str,
    index: Option<usize>,
    message: crate::i18n::Message,
) -> super::problem::FigureProblem {
    let mut path = vec![crate::yaml::Seg::Key(field)];
    path.extend(index.map(crate::yaml::Seg::Index));
    super::problem::FigureProblem {
        path,
        message,
        hint: msg!("coordinate-hint"),
        strict: false,
    }
}

impl Coord {
    /// What is wrong with this number, if anything: not finite, out of range, or — for a size
    /// (`w`, `h`, `r`) — not above zero.
    fn problem(self, size: bool) -> Option<crate::i18n::Message> {
        let (value, unit, max) = match self {
            Self::Px(v) => (v, "", MAX_PX),
            Self::Pct(v) => (v, "%", 1000.0),
        };
        if !value.is_finite() {
            return Some(msg!(
                "coordinate-not-number",
                value = format!("{value}{unit}")
            ));
        }
        if size && value <= 0.0 {
            return Some(msg!(
                "size-not-positive",
                value = format!("{}{unit}", shown(value))
            ));
        }
        if value.abs() > max {
            return Some(msg!(
                "coordinate-range",
                value = format!("{}{unit}", shown(value)),
                max = format!("{}{unit}", num(max)),
                min = format!("-{}", num(max))
            ));
        }
        None
    }

    /// In pixels, for a picture dimension of `size` pixels.
    pub(crate) fn px(self, size: f64) -> f64 {
        match self {
            Self::Px(v) => v,
            Self::Pct(p) => p / 100.0 * size,
        }
    }
}

impl<'de> Deserialize<'de> for Coord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Coord;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number of pixels or a percentage like \"12%\"")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Coord, E> {
                Ok(Coord::Px(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Coord, E> {
                #[allow(
                    clippy::cast_precision_loss,
                    reason = "pixel coordinates are far below 2^52"
                )]
                Ok(Coord::Px(v as f64))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Coord, E> {
                #[allow(
                    clippy::cast_precision_loss,
                    reason = "pixel coordinates are far below 2^52"
                )]
                Ok(Coord::Px(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Coord, E> {
                let t = v.trim();
                match t.strip_suffix('%') {
                    Some(p) => {
                        p.trim().parse().map(Coord::Pct).map_err(|_| {
                            E::custom(format!("`{v}` is not a percentage like \"12%\""))
                        })
                    }
                    None => t.parse().map(Coord::Px).map_err(|_| {
                        E::custom(format!(
                            "`{v}` is not a number of pixels or a percentage like \"12%\""
                        ))
                    }),
                }
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// One annotation as written in YAML.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AnnotationDef {
    pub shape: Shape,
    #[serde(default)]
    pub x: Option<Coord>,
    #[serde(default)]
    pub y: Option<Coord>,
    #[serde(default)]
    pub w: Option<Coord>,
    #[serde(default)]
    pub h: Option<Coord>,
    #[serde(default)]
    pub r: Option<Coord>,
    #[serde(default)]
    pub rx: Option<Coord>,
    #[serde(default)]
    pub ry: Option<Coord>,
    #[serde(default)]
    pub from: Option<[Coord; 2]>,
    #[serde(default)]
    pub to: Option<[Coord; 2]>,
    #[serde(default)]
    pub n: Option<u32>,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub rounded: bool,
    #[serde(default)]
    pub color: Option<String>,
    /// "Look here", not "press here": a dotted blue mark (circle, ellipse, frame, arrow).
    #[serde(default)]
    pub look: bool,
}

/// A rectangle in picture pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl AnnotationDef {
    /// The fields this shape needs, for a clear error when one is missing.
    fn required(&self) -> &'static [&'static str] {
        match self.shape {
            Shape::Circle | Shape::Forbid => &["x", "y", "r"],
            Shape::Ellipse => &["x", "y", "rx", "ry"],
            Shape::Frame | Shape::Mask => &["x", "y", "w", "h"],
            Shape::Arrow => &["from", "to"],
            Shape::Badge => &["x", "y", "n"],
            Shape::Label => &["x", "y", "text"],
        }
    }

    fn has(&self, field: &str) -> bool {
        match field {
            "x" => self.x.is_some(),
            "y" => self.y.is_some(),
            "w" => self.w.is_some(),
            "h" => self.h.is_some(),
            "r" => self.r.is_some(),
            "rx" => self.rx.is_some(),
            "ry" => self.ry.is_some(),
            "from" => self.from.is_some(),
            "to" => self.to.is_some(),
            "n" => self.n.is_some(),
            "text" => self.text.is_some(),
            _ => true,
        }
    }

    /// The fields this annotation lacks.
    pub(crate) fn missing(&self) -> Vec<&'static str> {
        self.required()
            .iter()
            .copied()
            .filter(|f| !self.has(f))
            .collect()
    }

    /// What is wrong with this annotation as written: missing fields, and numbers that are
    /// not finite, out of range, or (for sizes) not positive. Paths are below the annotation.
    pub(crate) fn check(&self) -> Vec<super::problem::FigureProblem> {
        let mut problems = Vec::new();
        let missing = self.missing();
        if !missing.is_empty() {
            let shape = format!("{:?}", self.shape).to_lowercase();
            problems.push(super::problem::FigureProblem {
                path: vec![],
                message: msg!(
                    "annotation-missing",
                    shape = shape,
                    fields = missing
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                hint: msg!("annotation-missing-hint", fields = missing.join(", ")),
                strict: false,
            });
        }
        if self.look && !self.shape.can_look() {
            problems.push(super::problem::FigureProblem {
                path: vec![crate::yaml::Seg::Key("look")],
                message: msg!("annotation-cannot-look", shape = self.shape.name()),
                hint: msg!("annotation-cannot-look-hint"),
                strict: false,
            });
        }
        let points = [("x", self.x), ("y", self.y)];
        let sizes = [
            ("w", self.w),
            ("h", self.h),
            ("r", self.r),
            ("rx", self.rx),
            ("ry", self.ry),
        ];
        for (field, coord) in points {
            problems.extend(
                coord
                    .and_then(|c| c.problem(false))
                    .map(|m| number_problem(field, None, m)),
            );
        }
        for (field, coord) in sizes {
            problems.extend(
                coord
                    .and_then(|c| c.problem(true))
                    .map(|m| number_problem(field, None, m)),
            );
        }
        for (field, pair) in [("from", self.from), ("to", self.to)] {
            for (i, c) in pair.iter().flatten().enumerate() {
                problems.extend(c.problem(false).map(|m| number_problem(field, Some(i), m)));
            }
        }
        problems
    }

    /// The rectangle of a frame or mask, in pixels of a `width`×`height` picture.
    pub(crate) fn rect(&self, width: f64, height: f64) -> Option<Rect> {
        Some(Rect {
            x: self.x?.px(width),
            y: self.y?.px(height),
            w: self.w?.px(width),
            h: self.h?.px(height),
        })
    }
}

/// A number for a message: as written for ordinary sizes, in exponent form for huge ones.
fn shown(v: f64) -> String {
    if v.abs() >= 1e7 {
        format!("{v:e}")
    } else {
        num(v)
    }
}

/// A coordinate for SVG: at most one decimal, no trailing `.0` (what `{:.0}` and `{:.1}` print
/// for `v` rounded to tenths, written from the whole number of tenths: float formatting was a
/// tenth of a figure's rendering).
pub(crate) fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_owned();
    }
    let tenths = (v * 10.0).round();
    if tenths.abs() >= 1e15 {
        let rounded = tenths / 10.0;
        return if rounded.fract() == 0.0 {
            format!("{rounded:.0}")
        } else {
            format!("{rounded:.1}")
        };
    }
    let sign = if tenths.is_sign_negative() { "-" } else { "" };
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a whole number below 1e15 in magnitude"
    )]
    let tenths = tenths.abs() as u64;
    match tenths % 10 {
        0 => format!("{sign}{}", tenths / 10),
        digit => format!("{sign}{}.{digit}", tenths / 10),
    }
}

/// `r` moved and cut to lie at least `edge` inside a `width`×`height` picture.
fn inset(r: Rect, edge: f64, width: f64, height: f64) -> Rect {
    let (x0, y0) = (r.x.max(edge), r.y.max(edge));
    let (x1, y1) = (
        (r.x + r.w).min(width - edge),
        (r.y + r.h).min(height - edge),
    );
    Rect {
        x: x0,
        y: y0,
        w: (x1 - x0).max(0.0),
        h: (y1 - y0).max(0.0),
    }
}

/// Draws `annotations` as SVG elements for a `width`×`height` picture (masks included: on a
/// screenshot the mask is also burned into the pixels, this only keeps the overlay honest).
pub(crate) fn svg_elements(annotations: &[AnnotationDef], width: f64, height: f64) -> String {
    let mut out = String::new();
    let stroke = (width / 90.0).max(2.0);
    for a in annotations.iter().filter(|a| a.missing().is_empty()) {
        let look = a.look && a.shape.can_look();
        let default = if look { LOOK } else { HIGHLIGHT };
        let color = xml_attr(a.color.as_deref().unwrap_or(default));
        let pen = Pen {
            color: &color,
            stroke,
            class: if look { "mark mark-look" } else { "mark" },
            dashes: if look {
                look_dashes(stroke)
            } else {
                String::new()
            },
        };
        let (x, y) = (
            a.x.map_or(0.0, |c| c.px(width)),
            a.y.map_or(0.0, |c| c.px(height)),
        );
        let _ = match a.shape {
            Shape::Circle | Shape::Ellipse => ring(&mut out, a, (x, y), (width, height), &pen),
            Shape::Frame => {
                let r = a.rect(width, height).unwrap_or(Rect {
                    x,
                    y,
                    w: 0.0,
                    h: 0.0,
                });
                // The stroke stays whole inside the picture, even for a frame at its edge.
                let r = inset(r, stroke / 2.0, width, height);
                let radius = if a.rounded { stroke * 3.0 } else { 0.0 };
                write!(
                    out,
                    r#"<rect class="{}" x="{}" y="{}" width="{}" height="{}" rx="{}" fill="none" stroke="{color}" stroke-width="{}"{}/>"#,
                    pen.class,
                    num(r.x),
                    num(r.y),
                    num(r.w),
                    num(r.h),
                    num(radius),
                    num(stroke),
                    pen.dashes
                )
            }
            Shape::Mask => {
                let r = a.rect(width, height).unwrap_or(Rect {
                    x,
                    y,
                    w: 0.0,
                    h: 0.0,
                });
                write!(
                    out,
                    r##"<rect class="mask" x="{}" y="{}" width="{}" height="{}" fill="#9aa0a6"/>"##,
                    num(r.x),
                    num(r.y),
                    num(r.w),
                    num(r.h)
                )
            }
            Shape::Arrow => {
                let [fx, fy] = a.from.unwrap_or([Coord::Px(0.0); 2]);
                let [tx, ty] = a.to.unwrap_or([Coord::Px(0.0); 2]);
                arrow(
                    &mut out,
                    (fx.px(width), fy.px(height)),
                    (tx.px(width), ty.px(height)),
                    &pen,
                )
            }
            Shape::Badge => {
                let r = stroke * 5.0;
                write!(
                    out,
                    r##"<circle class="mark" cx="{}" cy="{}" r="{}" fill="{color}"/><text x="{}" y="{}" font-size="{}" font-weight="700" fill="#fff" text-anchor="middle" dominant-baseline="central">{}</text>"##,
                    num(x),
                    num(y),
                    num(r),
                    num(x),
                    num(y),
                    num(r * 1.2),
                    a.n.unwrap_or(0)
                )
            }
            Shape::Forbid => forbid(&mut out, (x, y), a, (width, stroke), &color),
            Shape::Label => {
                let size = stroke * 6.0;
                let text = xml_text(a.text.as_deref().unwrap_or(""));
                write!(
                    out,
                    r##"<text class="mark-label" x="{}" y="{}" font-size="{}" font-weight="700" fill="{color}" stroke="#fff" stroke-width="{}" paint-order="stroke">{text}</text>"##,
                    num(x),
                    num(y),
                    num(size),
                    num(stroke)
                )
            }
        };
    }
    out
}

/// How a mark's lines are drawn: colour, width, class (`mark`, or `mark mark-look`) and the
/// dotted pattern of a "look here" mark.
struct Pen<'a> {
    color: &'a str,
    stroke: f64,
    class: &'static str,
    dashes: String,
}

/// A circle (radius `r`) or an ellipse (`rx`, `ry`) centred on `at`, outlined.
fn ring(
    out: &mut String,
    a: &AnnotationDef,
    (x, y): (f64, f64),
    (width, height): (f64, f64),
    pen: &Pen<'_>,
) -> fmt::Result {
    let (color, class, dashes, stroke) = (pen.color, pen.class, &pen.dashes, pen.stroke);
    let (rx, ry) = if a.shape == Shape::Ellipse {
        (
            a.rx.map_or(0.0, |c| c.px(width)),
            a.ry.map_or(0.0, |c| c.px(height)),
        )
    } else {
        let r = a.r.map_or(0.0, |c| c.px(width));
        (r, r)
    };
    if a.shape == Shape::Circle {
        write!(
            out,
            r#"<circle class="{class}" cx="{}" cy="{}" r="{}" fill="none" stroke="{color}" stroke-width="{}"{dashes}/>"#,
            num(x),
            num(y),
            num(rx),
            num(stroke)
        )
    } else {
        write!(
            out,
            r#"<ellipse class="{class}" cx="{}" cy="{}" rx="{}" ry="{}" fill="none" stroke="{color}" stroke-width="{}"{dashes}/>"#,
            num(x),
            num(y),
            num(rx),
            num(ry),
            num(stroke)
        )
    }
}

/// A prohibition sign centred on `at`: a ring of radius `a.r` with a bar from its top left to
/// its bottom right over a translucent white disc, and `a.text` (if any) centred under it.
fn forbid(
    out: &mut String,
    at: (f64, f64),
    a: &AnnotationDef,
    (width, stroke): (f64, f64),
    color: &str,
) -> fmt::Result {
    let (x, y) = at;
    let r = a.r.map_or(0.0, |c| c.px(width));
    let line = stroke * 1.5;
    let bar = r * std::f64::consts::FRAC_1_SQRT_2;
    write!(
        out,
        r#"<g class="mark mark-forbid"><circle cx="{}" cy="{}" r="{}" fill="rgb(255 255 255 / 0.35)" stroke="{color}" stroke-width="{}"/><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{color}" stroke-width="{}"/>"#,
        num(x),
        num(y),
        num(r),
        num(line),
        num(x - bar),
        num(y - bar),
        num(x + bar),
        num(y + bar),
        num(line)
    )?;
    if let Some(text) = a.text.as_deref().filter(|t| !t.is_empty()) {
        let size = stroke * 6.0;
        write!(
            out,
            r##"<text class="mark-label" x="{}" y="{}" font-size="{}" font-weight="700" fill="{color}" stroke="#fff" stroke-width="{}" paint-order="stroke" text-anchor="middle">{}</text>"##,
            num(x),
            num(y + r + size * 1.1),
            num(size),
            num(stroke),
            xml_text(text)
        )?;
    }
    out.push_str("</g>");
    Ok(())
}

fn arrow(out: &mut String, from: (f64, f64), to: (f64, f64), pen: &Pen<'_>) -> fmt::Result {
    let (color, class, dashes, stroke) = (pen.color, pen.class, &pen.dashes, pen.stroke);
    // A look mark's dashes bring their own (round) caps.
    let cap = if dashes.is_empty() {
        r#" stroke-linecap="round""#
    } else {
        ""
    };
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    let head = stroke * 4.0;
    let base = (to.0 - ux * head, to.1 - uy * head);
    let left = (base.0 - uy * head * 0.6, base.1 + ux * head * 0.6);
    let right = (base.0 + uy * head * 0.6, base.1 - ux * head * 0.6);
    write!(
        out,
        r#"<line class="{class}" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{color}" stroke-width="{}"{cap}{dashes}/><polygon class="{class}" points="{},{} {},{} {},{}" fill="{color}"/>"#,
        num(from.0),
        num(from.1),
        num(base.0),
        num(base.1),
        num(stroke),
        num(to.0),
        num(to.1),
        num(left.0),
        num(left.1),
        num(right.0),
        num(right.1)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn num_prints_what_float_formatting_printed() {
        let old = |v: f64| {
            let rounded = (v * 10.0).round() / 10.0;
            if rounded.fract() == 0.0 {
                format!("{rounded:.0}")
            } else {
                format!("{rounded:.1}")
            }
        };
        let mut values = vec![
            0.0, -0.0, -0.04, 0.05, -0.05, 0.95, 12.34, 99.99, -7.25, 1e16, 3e15,
        ];
        values.extend((-3000..3000).map(|i| f64::from(i) * 0.137));
        for v in values {
            assert_eq!(num(v), old(v), "{v}");
        }
        assert_eq!(num(f64::NAN), "0");
    }

    fn parse(yaml: &str) -> Vec<AnnotationDef> {
        serde_saphyr::from_str(yaml).unwrap()
    }

    #[test]
    fn percent_and_pixel_coordinates() {
        let a = parse("- {shape: frame, x: 10%, y: 50, w: '25%', h: 20}");
        assert_eq!(
            a[0].rect(1000.0, 2000.0),
            Some(Rect {
                x: 100.0,
                y: 50.0,
                w: 250.0,
                h: 20.0
            })
        );
        let svg = svg_elements(&a, 1000.0, 2000.0);
        assert!(
            svg.contains(r#"x="100" y="50" width="250" height="20""#),
            "{svg}"
        );
    }

    #[test]
    fn missing_fields_are_named() {
        let a = parse("- {shape: circle, x: 1}");
        assert_eq!(a[0].missing(), ["y", "r"]);
        assert_eq!(
            svg_elements(&a, 10.0, 10.0),
            "",
            "an incomplete annotation draws nothing"
        );
    }

    #[test]
    fn bad_percentages_are_errors() {
        let err =
            serde_saphyr::from_str::<Vec<AnnotationDef>>("- {shape: circle, x: 'a%', y: 1, r: 1}")
                .unwrap_err();
        assert!(
            err.to_string().contains("`a%` is not a percentage"),
            "{err}"
        );
    }
}
