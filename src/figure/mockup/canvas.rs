//! The drawing surface of a mock-up: SVG primitives (text, wrapped paragraphs, rectangles)
//! and where each element with an id ended up, for highlights and annotations.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::super::annotate::{Rect, num};
use super::WIDTH;
use crate::escape::xml_text;

/// Space at the left and right of the screen.
pub(super) const PAD: f64 = 16.0;
/// The body text size.
pub(super) const FONT: f64 = 15.0;
/// The width between the paddings.
pub(super) const INNER: f64 = WIDTH - 2.0 * PAD;

/// The SVG being drawn, and where each id's element ended up.
#[derive(Default)]
pub(super) struct Canvas {
    pub(super) out: String,
    pub(super) boxes: HashMap<String, Rect>,
}

/// How a line of text is set: size, colour, anchor (`start`, `middle`, `end`) and weight.
#[derive(Clone, Copy)]
pub(super) struct Style {
    pub size: f64,
    pub fill: &'static str,
    pub anchor: &'static str,
    pub weight: u16,
}

impl Style {
    pub(super) const fn new(size: f64, fill: &'static str) -> Self {
        Self {
            size,
            fill,
            anchor: "start",
            weight: 400,
        }
    }
    pub(super) const fn bold(self) -> Self {
        Self {
            weight: 700,
            ..self
        }
    }
    pub(super) const fn centered(self) -> Self {
        Self {
            anchor: "middle",
            ..self
        }
    }
    pub(super) const fn right(self) -> Self {
        Self {
            anchor: "end",
            ..self
        }
    }
}

impl Canvas {
    pub(super) fn text(&mut self, x: f64, y: f64, text: &str, style: Style) {
        let _ = write!(
            self.out,
            r#"<text x="{}" y="{}" font-size="{}" fill="{}" text-anchor="{}" font-weight="{}">{}</text>"#,
            num(x),
            num(y),
            num(style.size),
            style.fill,
            style.anchor,
            style.weight,
            xml_text(text)
        );
    }

    /// Wrapped text from (`x`, `top`), no wider than `width`; returns the bottom.
    pub(super) fn paragraph(
        &mut self,
        x: f64,
        top: f64,
        width: f64,
        text: &str,
        style: Style,
    ) -> f64 {
        let mut y = top;
        for line in wrap(text, style.size, width) {
            y += style.size * 1.45;
            self.text(x, y - style.size * 0.35, &line, style);
        }
        y
    }

    pub(super) fn rect(&mut self, r: Rect, rx: f64, fill: &str, stroke: &str) {
        let _ = write!(
            self.out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{fill}" stroke="{stroke}"/>"#,
            num(r.x),
            num(r.y),
            num(r.w),
            num(r.h),
            num(rx)
        );
    }

    /// Records where the element `id` (if it has one) was drawn.
    pub(super) fn remember(&mut self, id: Option<&String>, r: Rect) {
        if let Some(id) = id {
            self.boxes.insert(id.clone(), r);
        }
    }

    /// The phone's status bar: time and battery.
    pub(super) fn status_bar(&mut self) {
        self.text(PAD, 17.0, "9:41", Style::new(12.0, "#202124").bold());
        let _ = write!(
            self.out,
            r##"<rect x="{}" y="7" width="22" height="11" rx="3" fill="none" stroke="#202124"/><rect x="{}" y="9" width="16" height="7" rx="1.5" fill="#202124"/>"##,
            num(WIDTH - PAD - 22.0),
            num(WIDTH - PAD - 20.0)
        );
    }
}

/// Estimated width of `text` at `size`: CJK and other wide characters 1em, the rest 0.55em.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 1.0 } else { 0.55 })
        .sum::<f64>()
        * size
}

/// Breaks `text` into lines no wider than `width` at `size` (by character: Japanese has no spaces).
pub(super) fn wrap(text: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for c in text.chars() {
        if c == '\n' {
            lines.push(std::mem::take(&mut line));
            continue;
        }
        line.push(c);
        if text_width(&line, size) > width {
            line.pop();
            lines.push(std::mem::take(&mut line));
            line.push(c);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The height of `lines` lines of text at `size`.
pub(super) fn lines_height(lines: usize, size: f64) -> f64 {
    #[allow(clippy::cast_precision_loss, reason = "a handful of lines")]
    let lines = lines as f64;
    lines * size * 1.45
}
