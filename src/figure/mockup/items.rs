//! The elements of a mock-up screen, one type per `kind:`, each with the fields that kind
//! takes (serde refuses any other, at its key) and how it is drawn.

use std::fmt::Write as _;

use serde::Deserialize;

use super::super::annotate::{Rect, num};
use super::WIDTH;
use super::canvas::{Canvas, FONT, INNER, PAD, Style, lines_height, text_width, wrap};

/// One element of the screen, by its `kind:`.
#[derive(Clone, Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub(crate) enum Item {
    Text(Label),
    Heading(Label),
    Button(Label),
    Link(Label),
    Row(Row),
    Field(Field),
    Checkbox(Checkbox),
    Message(Message),
    Spinner(Caption),
    Scroll(Caption),
    Notification(Notification),
    Dialog(Dialog),
    Menu(Menu),
}

/// An element that is one text: `text`, `heading`, `button`, `link`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Label {
    #[serde(default)]
    pub id: Option<String>,
    pub text: String,
}

/// An element whose text may be left out: `spinner`, `scroll`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Caption {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub text: String,
}

/// A list row: text, an optional second line, an app icon and a chevron.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Row {
    #[serde(default)]
    pub id: Option<String>,
    pub text: String,
    #[serde(default)]
    pub detail: String,
    #[serde(default)]
    pub icon: bool,
    #[serde(default)]
    pub chevron: bool,
}

/// A text field with its label and value.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Field {
    #[serde(default)]
    pub id: Option<String>,
    pub label: String,
    #[serde(default)]
    pub value: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Checkbox {
    #[serde(default)]
    pub id: Option<String>,
    pub text: String,
    #[serde(default)]
    pub checked: bool,
}

/// A coloured message box.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Message {
    #[serde(default)]
    pub id: Option<String>,
    pub text: String,
    pub color: Tone,
    /// Drawn at the bottom of the screen (where the app shows it), not in the flow.
    #[serde(default)]
    pub bottom: bool,
}

/// A notification banner at the top of the screen, over it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Notification {
    #[serde(default)]
    pub id: Option<String>,
    /// The app that sends it ('' : 通知).
    #[serde(default)]
    pub app: String,
    pub text: String,
}

/// A dialog over the dimmed screen: title and/or text, the items inside it (a checkbox, a
/// field, …) and its buttons.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Dialog {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub text: String,
    /// In-screen elements drawn inside the dialog, between its text and its buttons.
    #[serde(default)]
    pub items: Vec<Item>,
    #[serde(default)]
    pub buttons: Vec<ButtonDef>,
}

/// A menu of options over the dimmed screen, and items drawn below them inside it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Menu {
    #[serde(default)]
    pub id: Option<String>,
    /// A title over the options ('' : none).
    #[serde(default)]
    pub title: String,
    pub options: Vec<ButtonDef>,
    /// In-screen elements drawn inside the menu, below its options.
    #[serde(default)]
    pub items: Vec<Item>,
}

/// A button of a dialog or an option of a menu.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ButtonDef {
    #[serde(default)]
    pub id: Option<String>,
    pub text: String,
}

/// Colours of a message box.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Tone {
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

impl Item {
    /// The element's own id.
    pub(super) fn id(&self) -> Option<&String> {
        match self {
            Self::Text(l) | Self::Heading(l) | Self::Button(l) | Self::Link(l) => l.id.as_ref(),
            Self::Spinner(c) | Self::Scroll(c) => c.id.as_ref(),
            Self::Row(r) => r.id.as_ref(),
            Self::Field(f) => f.id.as_ref(),
            Self::Checkbox(c) => c.id.as_ref(),
            Self::Message(m) => m.id.as_ref(),
            Self::Notification(n) => n.id.as_ref(),
            Self::Dialog(d) => d.id.as_ref(),
            Self::Menu(m) => m.id.as_ref(),
        }
    }

    /// The buttons or options inside the element, with the key they are listed under.
    pub(super) fn children(&self) -> Option<(&'static str, &[ButtonDef])> {
        match self {
            Self::Dialog(d) => Some(("buttons", &d.buttons)),
            Self::Menu(m) => Some(("options", &m.options)),
            _ => None,
        }
    }

    /// Every text the element draws (labels, values, buttons, inner items), to be changed in
    /// place: UI references become the app's words before drawing.
    pub(super) fn texts_mut(&mut self) -> Vec<&mut String> {
        match self {
            Self::Text(l) | Self::Heading(l) | Self::Button(l) | Self::Link(l) => vec![&mut l.text],
            Self::Spinner(c) | Self::Scroll(c) => vec![&mut c.text],
            Self::Row(r) => vec![&mut r.text, &mut r.detail],
            Self::Field(f) => vec![&mut f.label, &mut f.value],
            Self::Checkbox(c) => vec![&mut c.text],
            Self::Message(m) => vec![&mut m.text],
            Self::Notification(n) => vec![&mut n.app, &mut n.text],
            Self::Dialog(d) => {
                let mut texts = vec![&mut d.title, &mut d.text];
                texts.extend(d.buttons.iter_mut().map(|b| &mut b.text));
                texts.extend(d.items.iter_mut().flat_map(Item::texts_mut));
                texts
            }
            Self::Menu(m) => {
                let mut texts: Vec<&mut String> = vec![&mut m.title];
                texts.extend(m.options.iter_mut().map(|b| &mut b.text));
                texts.extend(m.items.iter_mut().flat_map(Item::texts_mut));
                texts
            }
        }
    }

    /// The items a dialog or menu holds inside it.
    pub(super) fn inner_items(&self) -> &[Item] {
        match self {
            Self::Dialog(d) => &d.items,
            Self::Menu(m) => &m.items,
            _ => &[],
        }
    }

    /// The item's `kind:` as written.
    pub(super) fn kind(&self) -> &'static str {
        match self {
            Self::Text(_) => "text",
            Self::Heading(_) => "heading",
            Self::Button(_) => "button",
            Self::Link(_) => "link",
            Self::Row(_) => "row",
            Self::Field(_) => "field",
            Self::Checkbox(_) => "checkbox",
            Self::Message(_) => "message",
            Self::Spinner(_) => "spinner",
            Self::Scroll(_) => "scroll",
            Self::Notification(_) => "notification",
            Self::Dialog(_) => "dialog",
            Self::Menu(_) => "menu",
        }
    }

    /// Whether the element is drawn over the screen rather than in its flow.
    pub(super) fn is_overlay(&self) -> bool {
        matches!(
            self,
            Self::Notification(_) | Self::Dialog(_) | Self::Menu(_)
        )
    }

    /// Draws an in-flow element at `y`; returns its bottom. Overlays take no room.
    pub(super) fn draw(&self, canvas: &mut Canvas, y: f64) -> f64 {
        let (r, bottom) = match self {
            Self::Text(l) => text(canvas, l, y),
            Self::Heading(l) => heading(canvas, l, y),
            Self::Button(l) => button(canvas, l, y),
            Self::Link(l) => link(canvas, l, y),
            Self::Row(row) => row.draw(canvas, y),
            Self::Field(f) => f.draw(canvas, y),
            Self::Checkbox(c) => c.draw(canvas, y),
            Self::Message(m) => m.draw(canvas, y),
            Self::Spinner(c) => spinner(canvas, c, y),
            Self::Scroll(c) => scroll(canvas, c, y),
            Self::Notification(_) | Self::Dialog(_) | Self::Menu(_) => (
                Rect {
                    x: 0.0,
                    y,
                    w: 0.0,
                    h: 0.0,
                },
                y,
            ),
        };
        canvas.remember(self.id(), r);
        bottom
    }
}

fn text(canvas: &mut Canvas, l: &Label, y: f64) -> (Rect, f64) {
    let bottom = canvas.paragraph(PAD, y, INNER, &l.text, Style::new(FONT, "#3c4043"));
    let r = Rect {
        x: PAD,
        y,
        w: INNER,
        h: bottom - y,
    };
    (r, bottom)
}

fn heading(canvas: &mut Canvas, l: &Label, y: f64) -> (Rect, f64) {
    let r = Rect {
        x: 0.0,
        y,
        w: WIDTH,
        h: 32.0,
    };
    canvas.rect(r, 0.0, "#eef1f4", "none");
    canvas.text(PAD, y + 21.0, &l.text, Style::new(13.0, "#5f6368").bold());
    (r, y + 32.0)
}

fn button(canvas: &mut Canvas, l: &Label, y: f64) -> (Rect, f64) {
    let r = Rect {
        x: PAD,
        y,
        w: INNER,
        h: 48.0,
    };
    canvas.rect(r, 24.0, "#1a73e8", "none");
    let style = Style::new(16.0, "#ffffff").centered().bold();
    canvas.text(WIDTH / 2.0, y + 30.0, &l.text, style);
    (r, y + 48.0)
}

fn link(canvas: &mut Canvas, l: &Label, y: f64) -> (Rect, f64) {
    let bottom = canvas.paragraph(PAD, y, INNER, &l.text, Style::new(FONT, "#1a0dab"));
    let w = text_width(&l.text, FONT).min(INNER);
    let _ = write!(
        canvas.out,
        r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1a0dab"/>"##,
        num(PAD),
        num(bottom - 3.0),
        num(PAD + w),
        num(bottom - 3.0)
    );
    let r = Rect {
        x: PAD,
        y,
        w,
        h: bottom - y,
    };
    (r, bottom)
}

fn spinner(canvas: &mut Canvas, c: &Caption, y: f64) -> (Rect, f64) {
    let cy = y + 40.0;
    let _ = write!(
        canvas.out,
        r##"<circle cx="{}" cy="{}" r="18" fill="none" stroke="#dadce0" stroke-width="5"/><path d="M{} {} a18 18 0 0 1 18 18" fill="none" stroke="#1a73e8" stroke-width="5" stroke-linecap="round"/>"##,
        num(WIDTH / 2.0),
        num(cy),
        num(WIDTH / 2.0),
        num(cy - 18.0)
    );
    let style = Style::new(FONT, "#3c4043").centered().bold();
    canvas.text(WIDTH / 2.0, y + 90.0, &c.text, style);
    let r = Rect {
        x: PAD,
        y,
        w: INNER,
        h: 100.0,
    };
    (r, y + 100.0)
}

fn scroll(canvas: &mut Canvas, c: &Caption, y: f64) -> (Rect, f64) {
    let cx = WIDTH / 2.0;
    let _ = write!(
        canvas.out,
        r##"<path d="M{} {} v36 m-10 -10 l10 10 l10 -10" fill="none" stroke="#5f6368" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>"##,
        num(cx),
        num(y + 4.0)
    );
    if !c.text.is_empty() {
        let style = Style::new(13.0, "#5f6368").centered();
        canvas.text(cx, y + 62.0, &c.text, style);
    }
    let r = Rect {
        x: cx - 60.0,
        y,
        w: 120.0,
        h: 70.0,
    };
    (r, y + 70.0)
}

impl Row {
    fn draw(&self, canvas: &mut Canvas, y: f64) -> (Rect, f64) {
        let h = 60.0;
        let r = Rect {
            x: 0.0,
            y,
            w: WIDTH,
            h,
        };
        let _ = write!(
            canvas.out,
            r##"<line x1="{PAD}" y1="{}" x2="{WIDTH}" y2="{}" stroke="#e8eaed"/>"##,
            num(y + h),
            num(y + h)
        );
        let mut x = PAD;
        if self.icon {
            let _ = write!(
                canvas.out,
                r##"<rect x="{PAD}" y="{}" width="32" height="32" rx="8" fill="#ffb300"/>"##,
                num(y + 14.0)
            );
            x += 44.0;
        }
        let right_edge = WIDTH - PAD - if self.chevron { 16.0 } else { 0.0 };
        let main = Style::new(16.0, "#202124");
        if self.detail.is_empty() {
            canvas.text(x, y + 36.0, &self.text, main);
        } else {
            canvas.text(x, y + 26.0, &self.text, main);
            let detail = Style::new(13.0, "#5f6368");
            canvas.text(x, y + 47.0, &self.detail, detail);
        }
        if self.chevron {
            let style = Style::new(22.0, "#9aa0a6").centered();
            canvas.text(right_edge + 6.0, y + 37.0, "›", style);
        }
        (r, y + h)
    }
}

impl Field {
    fn draw(&self, canvas: &mut Canvas, y: f64) -> (Rect, f64) {
        canvas.text(PAD, y + 14.0, &self.label, Style::new(13.0, "#5f6368"));
        let r = Rect {
            x: PAD,
            y: y + 20.0,
            w: INNER,
            h: 42.0,
        };
        canvas.rect(r, 6.0, "#ffffff", "#9aa0a6");
        let style = Style::new(FONT, "#202124");
        canvas.text(PAD + 12.0, y + 46.0, &self.value, style);
        let whole = Rect {
            x: PAD,
            y,
            w: INNER,
            h: 62.0,
        };
        (whole, y + 62.0)
    }
}

impl Checkbox {
    fn draw(&self, canvas: &mut Canvas, y: f64) -> (Rect, f64) {
        let b = Rect {
            x: PAD,
            y: y + 10.0,
            w: 22.0,
            h: 22.0,
        };
        let fill = if self.checked { "#1a73e8" } else { "#ffffff" };
        canvas.rect(b, 4.0, fill, "#5f6368");
        if self.checked {
            let _ = write!(
                canvas.out,
                r##"<path d="M{} {} l5 5 l9 -10" fill="none" stroke="#ffffff" stroke-width="3"/>"##,
                num(PAD + 5.0),
                num(y + 21.0)
            );
        }
        let style = Style::new(FONT, "#202124");
        canvas.text(PAD + 32.0, y + 27.0, &self.text, style);
        // The text's width and some room after it: a frame drawn around the box must not
        // touch the last character.
        let w = (32.0 + text_width(&self.text, FONT) + 12.0).min(INNER);
        let r = Rect {
            x: PAD,
            y: y + 4.0,
            w,
            h: 34.0,
        };
        (r, y + 42.0)
    }
}

impl Message {
    /// The height of its box.
    pub(super) fn height(&self) -> f64 {
        let lines = wrap(&self.text, 14.0, INNER - 24.0).len();
        lines_height(lines, 14.0) + 20.0
    }

    fn draw(&self, canvas: &mut Canvas, y: f64) -> (Rect, f64) {
        let (bg, border, fg) = self.color.colors();
        let h = self.height();
        let r = Rect {
            x: PAD,
            y,
            w: INNER,
            h,
        };
        canvas.rect(r, 8.0, bg, border);
        let width = INNER - 24.0;
        canvas.paragraph(
            PAD + 12.0,
            y + 10.0,
            width,
            &self.text,
            Style::new(14.0, fg),
        );
        (r, y + h)
    }
}
