//! Generated phone-screen mock-ups: a screen described in YAML (title bar, rows, buttons,
//! fields, dialogs, notifications, …) drawn as SVG, with the elements to press highlighted.
//! Changing a label in the YAML and rebuilding changes the picture.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Deserialize;

use super::annotate::{HIGHLIGHT, Rect, num};
use super::problem::FigureProblem;
use crate::escape::{xml_attr, xml_text};
use crate::yaml::Seg;

/// The canvas width; the height grows with the content (at least [`MIN_HEIGHT`]).
pub(crate) const WIDTH: f64 = 360.0;
pub(crate) const MIN_HEIGHT: f64 = 420.0;
const PAD: f64 = 16.0;
const FONT: f64 = 15.0;

/// A mock-up as written in YAML.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MockupDef {
    /// The app's title bar text ('' and no controls: no title bar).
    #[serde(default)]
    pub screen: String,
    #[serde(default)]
    pub left: Option<Control>,
    #[serde(default)]
    pub right: Option<String>,
    /// Grey the screen behind overlays (default: when a dialog or menu is present).
    #[serde(default)]
    pub dim: Option<bool>,
    #[serde(default)]
    pub items: Vec<ItemDef>,
    #[serde(default)]
    pub highlight: Vec<String>,
}

/// A title bar control on the left.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Control {
    Menu,
    Back,
    Close,
}

/// The kinds of screen elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Text,
    Heading,
    Row,
    Button,
    Field,
    Checkbox,
    Message,
    Link,
    Spinner,
    Scroll,
    Notification,
    Dialog,
    Menu,
}

/// Colours of a message box.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tone {
    Red,
    Yellow,
    Blue,
    Green,
    Grey,
}

impl Tone {
    /// (background, border, text)
    fn colors(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Red => ("#fde2e1", "#d93025", "#a50e0e"),
            Self::Yellow => ("#fff4c2", "#e0a800", "#6b4e00"),
            Self::Blue => ("#e3efff", "#1a73e8", "#174ea6"),
            Self::Green => ("#e2f5e6", "#1e8e3e", "#0d652d"),
            Self::Grey => ("#eceff1", "#80868b", "#3c4043"),
        }
    }
}

/// A button of a dialog or an option of a menu.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ButtonDef {
    #[serde(default)]
    pub id: Option<String>,
    pub text: String,
}

/// One element of the screen. Which fields apply depends on `kind`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemDef {
    pub kind: Kind,
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub detail: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub color: Option<Tone>,
    #[serde(default)]
    pub checked: bool,
    #[serde(default)]
    pub icon: bool,
    #[serde(default)]
    pub chevron: bool,
    #[serde(default)]
    pub app: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub buttons: Vec<ButtonDef>,
    #[serde(default)]
    pub options: Vec<ButtonDef>,
}

impl MockupDef {
    fn has_bar(&self) -> bool {
        !self.screen.is_empty() || self.left.is_some() || self.right.is_some()
    }

    /// Every id the mock-up defines, with where it is defined.
    fn ids(&self) -> Vec<(String, Vec<Seg<'static>>)> {
        let mut ids = Vec::new();
        if self.left.is_some() {
            ids.push(("left".to_owned(), vec![Seg::Key("left")]));
        }
        if self.right.is_some() {
            ids.push(("right".to_owned(), vec![Seg::Key("right")]));
        }
        for (i, item) in self.items.iter().enumerate() {
            let at =
                |more: Vec<Seg<'static>>| [vec![Seg::Key("items"), Seg::Index(i)], more].concat();
            if let Some(id) = &item.id {
                ids.push((id.clone(), at(vec![Seg::Key("id")])));
            }
            for (key, list) in [("buttons", &item.buttons), ("options", &item.options)] {
                for (k, b) in list.iter().enumerate() {
                    if let Some(id) = &b.id {
                        ids.push((
                            id.clone(),
                            at(vec![Seg::Key(key), Seg::Index(k), Seg::Key("id")]),
                        ));
                    }
                }
            }
        }
        ids
    }

    /// Unique ids, highlights that exist, and the fields each kind needs.
    pub(crate) fn check(&self) -> Vec<FigureProblem> {
        let mut problems = Vec::new();
        let ids = self.ids();
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for (id, path) in &ids {
            if !seen.insert(id.as_str()) {
                problems.push(problem(
                    path.clone(),
                    format!("the id `{id}` is used twice in this mock-up"),
                    "give each element its own id".into(),
                ));
            }
        }
        for (k, wanted) in self.highlight.iter().enumerate() {
            if !ids.iter().any(|(id, _)| id == wanted) {
                let known: Vec<&str> = ids.iter().map(|(id, _)| id.as_str()).collect();
                let hint = crate::diagnostics::did_you_mean(wanted, known.iter().copied())
                    .map_or_else(
                        || {
                            format!(
                                "highlight one of: {}",
                                if known.is_empty() {
                                    "(no ids yet: add `id:` to an item)".to_owned()
                                } else {
                                    known.join(", ")
                                }
                            )
                        },
                        |c| format!("did you mean `{c}`?"),
                    );
                problems.push(problem(
                    vec![Seg::Key("highlight"), Seg::Index(k)],
                    format!("there is no element `{wanted}` to highlight in this mock-up"),
                    hint,
                ));
            }
        }
        for (i, item) in self.items.iter().enumerate() {
            let needs: &[(&str, bool)] = match item.kind {
                Kind::Dialog => &[(
                    "title` or `text",
                    item.title.is_empty() && item.text.is_empty(),
                )],
                Kind::Menu => &[("options", item.options.is_empty())],
                Kind::Field => &[("label", item.label.is_empty())],
                Kind::Message => &[
                    ("text", item.text.is_empty()),
                    ("color", item.color.is_none()),
                ],
                Kind::Spinner | Kind::Scroll => &[],
                _ => &[("text", item.text.is_empty())],
            };
            for (field, missing) in needs {
                if *missing {
                    problems.push(problem(
                        vec![Seg::Key("items"), Seg::Index(i)],
                        format!("a `{:?}` item needs `{field}`", item.kind).to_lowercase(),
                        format!("add `{field}:` to this item"),
                    ));
                }
            }
        }
        problems
    }

    /// Draws the mock-up: `(svg, width, height)`; the SVG has no outer `<svg>` element.
    pub fn draw(&self) -> (String, f64, f64) {
        let mut canvas = Canvas::default();
        let mut y = 24.0;
        canvas.status_bar();
        if self.has_bar() {
            self.title_bar(&mut canvas);
            y += 52.0;
        }
        y += 12.0;
        let mut overlays = Vec::new();
        for item in &self.items {
            match item.kind {
                Kind::Notification | Kind::Dialog | Kind::Menu => overlays.push(item),
                _ => y = canvas.item(item, y) + 10.0,
            }
        }
        let height = (y + 24.0).max(MIN_HEIGHT);
        let dim = self
            .dim
            .unwrap_or_else(|| overlays.iter().any(|o| o.kind != Kind::Notification));
        if dim && !overlays.is_empty() {
            let _ = write!(
                canvas.out,
                r#"<rect x="0" y="0" width="{WIDTH}" height="{}" fill="rgb(0 0 0 / 0.45)"/>"#,
                num(height)
            );
        }
        for item in overlays {
            canvas.overlay(item, height);
        }
        for id in &self.highlight {
            if let Some(r) = canvas.boxes.get(id.as_str()) {
                let _ = write!(
                    canvas.out,
                    r#"<rect class="highlight" x="{}" y="{}" width="{}" height="{}" rx="10" fill="none" stroke="{HIGHLIGHT}" stroke-width="4"/>"#,
                    num(r.x - 5.0),
                    num(r.y - 5.0),
                    num(r.w + 10.0),
                    num(r.h + 10.0)
                );
            }
        }
        let background = format!(
            r##"<rect width="{WIDTH}" height="{}" fill="#ffffff"/>"##,
            num(height)
        );
        (background + &canvas.out, WIDTH, height)
    }

    fn title_bar(&self, canvas: &mut Canvas) {
        let _ = write!(
            canvas.out,
            r##"<rect x="0" y="24" width="{WIDTH}" height="52" fill="#f4f6f8"/><line x1="0" y1="76" x2="{WIDTH}" y2="76" stroke="#dadce0"/>"##
        );
        canvas.text(
            WIDTH / 2.0,
            56.0,
            &self.screen,
            17.0,
            "#202124",
            "middle",
            700,
        );
        match self.left {
            Some(Control::Menu) => {
                for dy in [-7.0, 0.0, 7.0] {
                    let _ = write!(
                        canvas.out,
                        r##"<line x1="18" y1="{}" x2="40" y2="{}" stroke="#202124" stroke-width="2.5" stroke-linecap="round"/>"##,
                        num(50.0 + dy),
                        num(50.0 + dy)
                    );
                }
                canvas.boxes.insert(
                    "left".into(),
                    Rect {
                        x: 10.0,
                        y: 32.0,
                        w: 38.0,
                        h: 36.0,
                    },
                );
            }
            Some(Control::Back) => {
                canvas.text(14.0, 56.0, "‹ 戻る", 16.0, "#1a73e8", "start", 400);
                canvas.boxes.insert(
                    "left".into(),
                    Rect {
                        x: 8.0,
                        y: 34.0,
                        w: 64.0,
                        h: 32.0,
                    },
                );
            }
            Some(Control::Close) => {
                canvas.text(22.0, 57.0, "×", 24.0, "#202124", "middle", 400);
                canvas.boxes.insert(
                    "left".into(),
                    Rect {
                        x: 8.0,
                        y: 34.0,
                        w: 30.0,
                        h: 32.0,
                    },
                );
            }
            None => {}
        }
        if let Some(right) = &self.right {
            let w = text_width(right, 20.0).max(20.0);
            canvas.text(WIDTH - 18.0, 57.0, right, 20.0, "#1a73e8", "end", 400);
            canvas.boxes.insert(
                "right".into(),
                Rect {
                    x: WIDTH - 22.0 - w,
                    y: 34.0,
                    w: w + 8.0,
                    h: 32.0,
                },
            );
        }
    }
}

fn problem(path: Vec<Seg<'static>>, message: String, hint: String) -> FigureProblem {
    FigureProblem {
        path,
        message,
        hint,
        strict: false,
    }
}

/// Estimated width of `text` at `size`: CJK and other wide characters 1em, the rest 0.55em.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 1.0 } else { 0.55 })
        .sum::<f64>()
        * size
}

/// Breaks `text` into lines no wider than `width` at `size` (by character: Japanese has no spaces).
fn wrap(text: &str, size: f64, width: f64) -> Vec<String> {
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

/// The SVG being drawn, and where each id's element ended up.
#[derive(Default)]
struct Canvas {
    out: String,
    boxes: HashMap<String, Rect>,
}

impl Canvas {
    #[allow(
        clippy::too_many_arguments,
        reason = "a drawing primitive: position, text and four style values read clearer inline at its many call sites"
    )]
    fn text(
        &mut self,
        x: f64,
        y: f64,
        text: &str,
        size: f64,
        fill: &str,
        anchor: &str,
        weight: u16,
    ) {
        let _ = write!(
            self.out,
            r#"<text x="{}" y="{}" font-size="{}" fill="{fill}" text-anchor="{anchor}" font-weight="{weight}">{}</text>"#,
            num(x),
            num(y),
            num(size),
            xml_text(text)
        );
    }

    /// Wrapped text from (`x`, `top`); returns the bottom.
    fn paragraph(
        &mut self,
        x: f64,
        top: f64,
        width: f64,
        text: &str,
        size: f64,
        fill: &str,
    ) -> f64 {
        let mut y = top;
        for line in wrap(text, size, width) {
            y += size * 1.45;
            self.text(x, y - size * 0.35, &line, size, fill, "start", 400);
        }
        y
    }

    fn rect(&mut self, r: Rect, rx: f64, fill: &str, stroke: &str) {
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

    fn remember(&mut self, id: Option<&String>, r: Rect) {
        if let Some(id) = id {
            self.boxes.insert(id.clone(), r);
        }
    }

    fn field(&mut self, item: &ItemDef, y: f64, inner: f64) -> (Rect, f64) {
        self.text(PAD, y + 14.0, &item.label, 13.0, "#5f6368", "start", 400);
        let r = Rect {
            x: PAD,
            y: y + 20.0,
            w: inner,
            h: 42.0,
        };
        self.rect(r, 6.0, "#ffffff", "#9aa0a6");
        self.text(
            PAD + 12.0,
            y + 46.0,
            &item.value,
            FONT,
            "#202124",
            "start",
            400,
        );
        (
            Rect {
                x: PAD,
                y,
                w: inner,
                h: 62.0,
            },
            y + 62.0,
        )
    }

    fn checkbox(&mut self, item: &ItemDef, y: f64) -> (Rect, f64) {
        let b = Rect {
            x: PAD,
            y: y + 10.0,
            w: 22.0,
            h: 22.0,
        };
        self.rect(
            b,
            4.0,
            if item.checked { "#1a73e8" } else { "#ffffff" },
            "#5f6368",
        );
        if item.checked {
            let _ = write!(
                self.out,
                r##"<path d="M{} {} l5 5 l9 -10" fill="none" stroke="#ffffff" stroke-width="3"/>"##,
                num(PAD + 5.0),
                num(y + 21.0)
            );
        }
        self.text(
            PAD + 32.0,
            y + 27.0,
            &item.text,
            FONT,
            "#202124",
            "start",
            400,
        );
        let w = 32.0 + text_width(&item.text, FONT);
        (
            Rect {
                x: PAD,
                y: y + 4.0,
                w,
                h: 34.0,
            },
            y + 42.0,
        )
    }

    fn message(&mut self, item: &ItemDef, y: f64, inner: f64) -> (Rect, f64) {
        let (bg, border, fg) = item.color.unwrap_or(Tone::Grey).colors();
        let lines = wrap(&item.text, 14.0, inner - 24.0).len();
        #[allow(clippy::cast_precision_loss, reason = "a handful of lines")]
        let h = lines as f64 * 14.0 * 1.45 + 20.0;
        let r = Rect {
            x: PAD,
            y,
            w: inner,
            h,
        };
        self.rect(r, 8.0, bg, border);
        self.paragraph(PAD + 12.0, y + 10.0, inner - 24.0, &item.text, 14.0, fg);
        (r, y + h)
    }

    fn link(&mut self, item: &ItemDef, y: f64, inner: f64) -> (Rect, f64) {
        let bottom = self.paragraph(PAD, y, inner, &item.text, FONT, "#1a0dab");
        let w = text_width(&item.text, FONT).min(inner);
        let _ = write!(
            self.out,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1a0dab"/>"##,
            num(PAD),
            num(bottom - 3.0),
            num(PAD + w),
            num(bottom - 3.0)
        );
        (
            Rect {
                x: PAD,
                y,
                w,
                h: bottom - y,
            },
            bottom,
        )
    }

    fn spinner(&mut self, item: &ItemDef, y: f64, inner: f64) -> (Rect, f64) {
        let cy = y + 40.0;
        let _ = write!(
            self.out,
            r##"<circle cx="{}" cy="{}" r="18" fill="none" stroke="#dadce0" stroke-width="5"/><path d="M{} {} a18 18 0 0 1 18 18" fill="none" stroke="#1a73e8" stroke-width="5" stroke-linecap="round"/>"##,
            num(WIDTH / 2.0),
            num(cy),
            num(WIDTH / 2.0),
            num(cy - 18.0)
        );
        self.text(
            WIDTH / 2.0,
            y + 90.0,
            &item.text,
            FONT,
            "#3c4043",
            "middle",
            700,
        );
        (
            Rect {
                x: PAD,
                y,
                w: inner,
                h: 100.0,
            },
            y + 100.0,
        )
    }

    fn scroll(&mut self, item: &ItemDef, y: f64) -> (Rect, f64) {
        let cx = WIDTH / 2.0;
        let _ = write!(
            self.out,
            r##"<path d="M{} {} v36 m-10 -10 l10 10 l10 -10" fill="none" stroke="#5f6368" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>"##,
            num(cx),
            num(y + 4.0)
        );
        if !item.text.is_empty() {
            self.text(cx, y + 62.0, &item.text, 13.0, "#5f6368", "middle", 400);
        }
        (
            Rect {
                x: cx - 60.0,
                y,
                w: 120.0,
                h: 70.0,
            },
            y + 70.0,
        )
    }

    /// Draws an in-flow item at `y`; returns its bottom.
    fn item(&mut self, item: &ItemDef, y: f64) -> f64 {
        let inner = WIDTH - 2.0 * PAD;
        let (r, bottom) = match item.kind {
            Kind::Text => {
                let bottom = self.paragraph(PAD, y, inner, &item.text, FONT, "#3c4043");
                (
                    Rect {
                        x: PAD,
                        y,
                        w: inner,
                        h: bottom - y,
                    },
                    bottom,
                )
            }
            Kind::Heading => {
                let r = Rect {
                    x: 0.0,
                    y,
                    w: WIDTH,
                    h: 32.0,
                };
                self.rect(r, 0.0, "#eef1f4", "none");
                self.text(PAD, y + 21.0, &item.text, 13.0, "#5f6368", "start", 700);
                (r, y + 32.0)
            }
            Kind::Row => self.row(item, y),
            Kind::Button => {
                let r = Rect {
                    x: PAD,
                    y,
                    w: inner,
                    h: 48.0,
                };
                self.rect(r, 24.0, "#1a73e8", "none");
                self.text(
                    WIDTH / 2.0,
                    y + 30.0,
                    &item.text,
                    16.0,
                    "#ffffff",
                    "middle",
                    700,
                );
                (r, y + 48.0)
            }
            Kind::Field => self.field(item, y, inner),
            Kind::Checkbox => self.checkbox(item, y),
            Kind::Message => self.message(item, y, inner),
            Kind::Link => self.link(item, y, inner),
            Kind::Spinner => self.spinner(item, y, inner),
            Kind::Scroll => self.scroll(item, y),
            Kind::Notification | Kind::Dialog | Kind::Menu => (
                Rect {
                    x: 0.0,
                    y,
                    w: 0.0,
                    h: 0.0,
                },
                y,
            ),
        };
        self.remember(item.id.as_ref(), r);
        bottom
    }

    fn row(&mut self, item: &ItemDef, y: f64) -> (Rect, f64) {
        let h = 60.0;
        let r = Rect {
            x: 0.0,
            y,
            w: WIDTH,
            h,
        };
        let _ = write!(
            self.out,
            r##"<line x1="{PAD}" y1="{}" x2="{WIDTH}" y2="{}" stroke="#e8eaed"/>"##,
            num(y + h),
            num(y + h)
        );
        let mut x = PAD;
        if item.icon {
            let _ = write!(
                self.out,
                r##"<rect x="{PAD}" y="{}" width="32" height="32" rx="8" fill="#ffb300"/>"##,
                num(y + 14.0)
            );
            x += 44.0;
        }
        let right_edge = WIDTH - PAD - if item.chevron { 16.0 } else { 0.0 };
        if item.detail.is_empty() {
            self.text(x, y + 36.0, &item.text, 16.0, "#202124", "start", 400);
        } else {
            self.text(x, y + 26.0, &item.text, 16.0, "#202124", "start", 400);
            self.text(x, y + 47.0, &item.detail, 13.0, "#5f6368", "start", 400);
        }
        if item.chevron {
            self.text(
                right_edge + 6.0,
                y + 37.0,
                "›",
                22.0,
                "#9aa0a6",
                "middle",
                400,
            );
        }
        (r, y + h)
    }

    fn notification(&mut self, item: &ItemDef, inner: f64) {
        let lines = wrap(&item.text, 14.0, inner - 28.0).len();
        #[allow(clippy::cast_precision_loss, reason = "a handful of lines")]
        let h = 40.0 + lines as f64 * 14.0 * 1.45;
        let r = Rect {
            x: 10.0,
            y: 30.0,
            w: WIDTH - 20.0,
            h,
        };
        let _ = write!(
            self.out,
            r##"<rect x="{}" y="{}" width="{}" height="{}" rx="16" fill="#ffffff" stroke="#dadce0" filter="drop-shadow(0 2px 6px rgb(0 0 0 / 0.25))"/>"##,
            num(r.x),
            num(r.y),
            num(r.w),
            num(r.h)
        );
        self.text(
            24.0,
            52.0,
            if item.app.is_empty() {
                "通知"
            } else {
                &item.app
            },
            12.0,
            "#5f6368",
            "start",
            700,
        );
        self.paragraph(24.0, 58.0, inner - 28.0, &item.text, 14.0, "#202124");
        self.remember(item.id.as_ref(), r);
    }

    fn dialog(&mut self, item: &ItemDef, height: f64, inner: f64) {
        let text_lines = if item.text.is_empty() {
            0
        } else {
            wrap(&item.text, 14.0, inner - 48.0).len()
        };
        #[allow(clippy::cast_precision_loss, reason = "a handful of lines and buttons")]
        let h = 24.0
            + if item.title.is_empty() { 0.0 } else { 30.0 }
            + text_lines as f64 * 20.3
            + 12.0
            + item.buttons.len() as f64 * 48.0
            + 12.0;
        let top = ((height - h) / 2.0).max(90.0);
        let card = Rect {
            x: PAD + 8.0,
            y: top,
            w: inner - 16.0,
            h,
        };
        self.rect(card, 14.0, "#ffffff", "none");
        let mut y = top + 20.0;
        if !item.title.is_empty() {
            self.text(
                WIDTH / 2.0,
                y + 20.0,
                &item.title,
                17.0,
                "#202124",
                "middle",
                700,
            );
            y += 30.0;
        }
        if !item.text.is_empty() {
            y = self.paragraph(card.x + 16.0, y, card.w - 32.0, &item.text, 14.0, "#3c4043");
        }
        y += 12.0;
        for (i, b) in item.buttons.iter().enumerate() {
            let r = Rect {
                x: card.x + 16.0,
                y,
                w: card.w - 32.0,
                h: 40.0,
            };
            let primary = i == 0;
            self.rect(
                r,
                20.0,
                if primary { "#1a73e8" } else { "#ffffff" },
                if primary { "none" } else { "#dadce0" },
            );
            self.text(
                WIDTH / 2.0,
                y + 26.0,
                &b.text,
                15.0,
                if primary { "#ffffff" } else { "#1a73e8" },
                "middle",
                700,
            );
            self.remember(b.id.as_ref(), r);
            y += 48.0;
        }
        self.remember(item.id.as_ref(), card);
    }

    fn menu(&mut self, item: &ItemDef) {
        #[allow(clippy::cast_precision_loss, reason = "a handful of options")]
        let h = item.options.len() as f64 * 48.0 + 8.0;
        let card = Rect {
            x: 12.0,
            y: 84.0,
            w: 230.0,
            h,
        };
        let _ = write!(
            self.out,
            r##"<rect x="{}" y="{}" width="{}" height="{}" rx="12" fill="#ffffff" filter="drop-shadow(0 2px 6px rgb(0 0 0 / 0.3))"/>"##,
            num(card.x),
            num(card.y),
            num(card.w),
            num(card.h)
        );
        for (i, option) in item.options.iter().enumerate() {
            #[allow(clippy::cast_precision_loss, reason = "a handful of options")]
            let y = card.y + 4.0 + i as f64 * 48.0;
            self.text(
                card.x + 18.0,
                y + 30.0,
                &option.text,
                16.0,
                "#202124",
                "start",
                400,
            );
            self.remember(
                option.id.as_ref(),
                Rect {
                    x: card.x + 4.0,
                    y: y + 2.0,
                    w: card.w - 8.0,
                    h: 44.0,
                },
            );
        }
        self.remember(item.id.as_ref(), card);
    }

    /// Draws a notification, dialog or menu over the screen.
    fn overlay(&mut self, item: &ItemDef, height: f64) {
        let inner = WIDTH - 2.0 * PAD;
        match item.kind {
            Kind::Notification => self.notification(item, inner),
            Kind::Dialog => self.dialog(item, height, inner),
            Kind::Menu => self.menu(item),
            _ => {}
        }
    }

    fn status_bar(&mut self) {
        self.text(PAD, 17.0, "9:41", 12.0, "#202124", "start", 700);
        let _ = write!(
            self.out,
            r##"<rect x="{}" y="7" width="22" height="11" rx="3" fill="none" stroke="#202124"/><rect x="{}" y="9" width="16" height="7" rx="1.5" fill="#202124"/>"##,
            num(WIDTH - PAD - 22.0),
            num(WIDTH - PAD - 20.0)
        );
    }
}

/// The whole `<svg>` element of a figure: mock-up, highlights and annotations.
pub(crate) fn svg(
    mockup: &MockupDef,
    annotations: &[super::annotate::AnnotationDef],
    alt: &str,
) -> String {
    let (body, width, height) = mockup.draw();
    let marks = super::annotate::svg_elements(annotations, width, height);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="mockup" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}" font-family="-apple-system, 'Hiragino Sans', 'Noto Sans JP', 'Noto Sans CJK JP', 'Yu Gothic UI', Meiryo, sans-serif">{body}{marks}</svg>"#,
        num(width),
        num(height),
        num(width),
        num(height),
        xml_attr(alt)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mockup(yaml: &str) -> MockupDef {
        serde_saphyr::from_str(yaml).unwrap()
    }

    const SETTINGS: &str = "screen: 連携設定\nleft: back\nright: '+'\nitems:\n  - {kind: row, id: amazon, text: Amazon.co.jp, detail: 〇更新中…}\n  - {kind: message, id: msg, color: red, text: 追加の入力が必要です。}\n  - {kind: button, id: auth, text: 認証する}\nhighlight: [auth]\n";

    #[test]
    fn draws_labels_and_the_highlight_around_the_element() {
        let m = mockup(SETTINGS);
        assert!(m.check().is_empty(), "{:?}", m.check());
        let (svg, width, height) = m.draw();
        assert!((width - WIDTH).abs() < f64::EPSILON);
        assert!(height >= MIN_HEIGHT);
        for label in [
            "連携設定",
            "Amazon.co.jp",
            "〇更新中…",
            "追加の入力が必要です。",
            "認証する",
            "‹ 戻る",
            "+",
        ] {
            assert!(svg.contains(&format!(">{label}<")), "label {label} missing");
        }
        assert_eq!(svg.matches(r#"class="highlight""#).count(), 1);
        assert!(svg.contains("#fde2e1"), "a red message box");
    }

    #[test]
    fn changing_a_label_changes_the_picture() {
        let before = mockup(SETTINGS).draw().0;
        let after = mockup(&SETTINGS.replace("認証する}", "ログインする}"))
            .draw()
            .0;
        assert!(after.contains(">ログインする<") && !after.contains(">認証する<"));
        assert_ne!(before, after);
    }

    #[test]
    fn unknown_highlight_and_duplicate_ids_are_reported() {
        let m = mockup(
            "items:\n  - {kind: button, id: ok, text: OK}\n  - {kind: button, id: ok, text: OK2}\nhighlight: [okk]\n",
        );
        let messages: Vec<String> = m
            .check()
            .into_iter()
            .map(|p| format!("{} / {}", p.message, p.hint))
            .collect();
        assert_eq!(
            messages,
            [
                "the id `ok` is used twice in this mock-up / give each element its own id",
                "there is no element `okk` to highlight in this mock-up / did you mean `ok`?"
            ]
        );
    }

    #[test]
    fn dialogs_and_menus_dim_the_screen_and_can_be_highlighted() {
        let m = mockup(
            "screen: ホーム\nitems:\n  - {kind: dialog, id: d, title: 連携に成功しました, buttons: [{id: ok, text: OK}]}\nhighlight: [ok]\n",
        );
        let (svg, ..) = m.draw();
        assert!(svg.contains("rgb(0 0 0 / 0.45)"));
        assert!(svg.contains(">連携に成功しました<") && svg.contains(">OK<"));
        assert_eq!(svg.matches(r#"class="highlight""#).count(), 1);
    }

    #[test]
    fn japanese_wraps_by_width() {
        let lines = wrap("あいうえおかきくけこさしすせそたちつてと", 15.0, 150.0);
        assert_eq!(lines, ["あいうえおかきくけこ", "さしすせそたちつてと"]);
    }
}
