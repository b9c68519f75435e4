//! Generated phone-screen mock-ups: a screen described in YAML (title bar, rows, buttons,
//! fields, dialogs, notifications, …) drawn as SVG, with the elements to press highlighted.
//! Changing a label in the YAML and rebuilding changes the picture.
//!
//! [`items`] has one type per element kind (with only the fields that kind takes),
//! [`overlays`] draws what lies over the screen, [`canvas`] the SVG primitives.

mod canvas;
mod items;
mod overlays;

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Deserialize;

use super::annotate::{HIGHLIGHT, LOOK, Rect, num};
use super::problem::FigureProblem;
use crate::escape::xml_attr;
use crate::i18n::msg;
use crate::yaml::Seg;
use canvas::{Canvas, Style, text_width};
pub(crate) use items::Item;

/// The canvas width; the height grows with the content (at least [`MIN_HEIGHT`]).
pub(crate) const WIDTH: f64 = 360.0;
pub(crate) const MIN_HEIGHT: f64 = 420.0;

/// A mock-up as written in YAML.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MockupDef {
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
    pub items: Vec<Item>,
    /// Elements to press: a solid red frame.
    #[serde(default)]
    pub highlight: Vec<String>,
    /// Elements only to look at (a message, a status, a row to check): a dotted blue frame.
    #[serde(default)]
    pub look: Vec<String>,
    /// Elements the reader must *not* press yet: drawn with a dashed red frame and a
    /// prohibition sign.
    #[serde(default)]
    pub avoid: Vec<String>,
}

/// A title bar control on the left.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Control {
    Menu,
    Back,
    Close,
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
            if let Some(id) = item.id() {
                ids.push((id.clone(), at(vec![Seg::Key("id")])));
            }
            if let Some((key, list)) = item.children() {
                for (k, b) in list.iter().enumerate() {
                    if let Some(id) = &b.id {
                        ids.push((
                            id.clone(),
                            at(vec![Seg::Key(key), Seg::Index(k), Seg::Key("id")]),
                        ));
                    }
                }
            }
            for (k, inner) in item.inner_items().iter().enumerate() {
                if let Some(id) = inner.id() {
                    ids.push((
                        id.clone(),
                        at(vec![Seg::Key("items"), Seg::Index(k), Seg::Key("id")]),
                    ));
                }
            }
        }
        ids
    }

    /// Items inside a dialog or menu that cannot be there: only in-screen kinds can.
    fn nested_overlays(&self) -> Vec<FigureProblem> {
        let mut problems = Vec::new();
        for (i, item) in self.items.iter().enumerate() {
            for (k, inner) in item.inner_items().iter().enumerate() {
                if inner.is_overlay() {
                    problems.push(problem(
                        vec![
                            Seg::Key("items"),
                            Seg::Index(i),
                            Seg::Key("items"),
                            Seg::Index(k),
                        ],
                        msg!("mockup-nested", inner = inner.kind(), outer = item.kind()),
                        msg!("mockup-nested-hint"),
                    ));
                }
            }
        }
        problems
    }

    /// The mock-up with `change` applied to every text it draws (the title bar, the items).
    pub(crate) fn with_texts(&self, change: impl Fn(&str) -> Option<String>) -> Self {
        let mut m = self.clone();
        let mut texts = vec![&mut m.screen];
        texts.extend(m.right.as_mut());
        texts.extend(m.items.iter_mut().flat_map(Item::texts_mut));
        for text in texts {
            if let Some(changed) = change(text) {
                *text = changed;
            }
        }
        m
    }

    /// Unique ids, highlights that exist, and the fields each kind needs.
    pub(crate) fn check(&self) -> Vec<FigureProblem> {
        let mut problems = self.nested_overlays();
        let ids = self.ids();
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for (id, path) in &ids {
            if !seen.insert(id.as_str()) {
                problems.push(problem(
                    path.clone(),
                    msg!("mockup-id-twice", id = id),
                    msg!("mockup-id-twice-hint"),
                ));
            }
        }
        problems.extend(unknown_ids(
            ("highlight", "mockup-to-highlight"),
            &self.highlight,
            &ids,
        ));
        problems.extend(unknown_ids(("look", "mockup-to-look"), &self.look, &ids));
        problems.extend(unknown_ids(("avoid", "mockup-to-avoid"), &self.avoid, &ids));
        // serde checks the fields each kind requires; these two are "one of" or "not empty".
        for (i, item) in self.items.iter().enumerate() {
            let missing = match item {
                Item::Dialog(d) if d.title.is_empty() && d.text.is_empty() => {
                    Some(("dialog", "title` or `text"))
                }
                Item::Menu(m) if m.options.is_empty() => Some(("menu", "options")),
                _ => None,
            };
            if let Some((kind, field)) = missing {
                problems.push(problem(
                    vec![Seg::Key("items"), Seg::Index(i)],
                    msg!("mockup-item-needs", kind = kind, field = field),
                    msg!("mockup-item-needs-hint", field = field),
                ));
            }
        }
        problems
    }

    /// Draws the mock-up: `(svg, width, height)`; the SVG has no outer `<svg>` element.
    pub(crate) fn draw(&self) -> (String, f64, f64) {
        let (body, width, height, _) = self.draw_with_boxes();
        (body, width, height)
    }

    /// Where each element with an id is, as its highlight frame would surround it (the
    /// annotation editor's click targets), sorted by id; and the mock-up's height.
    pub(crate) fn element_frames(&self) -> (Vec<(String, Rect)>, f64) {
        let (_, _, height, boxes) = self.draw_with_boxes();
        let mut frames: Vec<(String, Rect)> = boxes
            .into_iter()
            .map(|(id, r)| (id, highlight_frame(r, height)))
            .collect();
        frames.sort_by(|a, b| a.0.cmp(&b.0));
        (frames, height)
    }

    fn draw_with_boxes(&self) -> (String, f64, f64, HashMap<String, Rect>) {
        let mut canvas = Canvas::default();
        let mut y = 24.0;
        canvas.status_bar();
        if self.has_bar() {
            self.title_bar(&mut canvas);
            y += 52.0;
        }
        y += 12.0;
        let mut overlays = Vec::new();
        let mut pinned = Vec::new();
        for item in &self.items {
            match item {
                _ if item.is_overlay() => overlays.push(item),
                Item::Message(m) if m.bottom => pinned.push(item),
                _ => y = item.draw(&mut canvas, y) + 10.0,
            }
        }
        // Messages pinned to the bottom of the screen, below everything else.
        let pinned_h: f64 = pinned
            .iter()
            .map(|i| match i {
                Item::Message(m) => m.height() + 10.0,
                _ => 0.0,
            })
            .sum();
        let height = (y + pinned_h + 24.0).max(MIN_HEIGHT);
        let mut bottom = height - 24.0 - pinned_h;
        for item in pinned {
            bottom = item.draw(&mut canvas, bottom) + 10.0;
        }
        let dim = self
            .dim
            .unwrap_or_else(|| overlays.iter().any(|o| !matches!(o, Item::Notification(_))));
        if dim && !overlays.is_empty() {
            let _ = write!(
                canvas.out,
                r#"<rect x="0" y="0" width="{WIDTH}" height="{}" fill="rgb(0 0 0 / 0.45)"/>"#,
                num(height)
            );
        }
        for item in overlays {
            overlays::draw(&mut canvas, item, height);
        }
        for id in &self.highlight {
            if let Some(r) = canvas.boxes.get(id.as_str()) {
                let r = highlight_frame(*r, height);
                let _ = write!(
                    canvas.out,
                    r#"<rect class="highlight" x="{}" y="{}" width="{}" height="{}" rx="10" fill="none" stroke="{HIGHLIGHT}" stroke-width="4"/>"#,
                    num(r.x),
                    num(r.y),
                    num(r.w),
                    num(r.h)
                );
            }
        }
        for id in &self.look {
            if let Some(r) = canvas.boxes.get(id.as_str()) {
                draw_look(&mut canvas.out, highlight_frame(*r, height));
            }
        }
        for id in &self.avoid {
            if let Some(r) = canvas.boxes.get(id.as_str()) {
                draw_avoid(&mut canvas.out, highlight_frame(*r, height));
            }
        }
        let background = format!(
            r##"<rect width="{WIDTH}" height="{}" fill="#ffffff"/>"##,
            num(height)
        );
        (background + &canvas.out, WIDTH, height, canvas.boxes)
    }

    fn title_bar(&self, canvas: &mut Canvas) {
        let _ = write!(
            canvas.out,
            r##"<rect x="0" y="24" width="{WIDTH}" height="52" fill="#f4f6f8"/><line x1="0" y1="76" x2="{WIDTH}" y2="76" stroke="#dadce0"/>"##
        );
        let title = Style::new(17.0, "#202124").centered().bold();
        canvas.text(WIDTH / 2.0, 56.0, &self.screen, title);
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
                canvas.text(14.0, 56.0, "‹ 戻る", Style::new(16.0, "#1a73e8"));
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
                let close = Style::new(24.0, "#202124").centered();
                canvas.text(22.0, 57.0, "×", close);
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
            canvas.text(
                WIDTH - 18.0,
                57.0,
                right,
                Style::new(20.0, "#1a73e8").right(),
            );
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

/// The ids of `list` that no element has; `key` is the field (`highlight`, `avoid`) and
/// `what` what it does to an element, for the message.
fn unknown_ids(
    (key, what): (&'static str, &'static str),
    list: &[String],
    ids: &[(String, Vec<Seg<'static>>)],
) -> Vec<FigureProblem> {
    let known: Vec<&str> = ids.iter().map(|(id, _)| id.as_str()).collect();
    let listed = if known.is_empty() {
        msg!("mockup-no-ids")
    } else {
        crate::i18n::Message::text(known.join(", "))
    };
    list.iter()
        .enumerate()
        .filter(|(_, wanted)| !known.contains(&wanted.as_str()))
        .map(|(k, wanted)| {
            let hint = crate::diagnostics::did_you_mean(wanted, known.iter().copied()).map_or_else(
                || msg!("mockup-one-of", key = key, listed = listed.clone()),
                |c| msg!("did-you-mean", name = c),
            );
            problem(
                vec![Seg::Key(key), Seg::Index(k)],
                msg!(
                    "mockup-unknown-id",
                    wanted = wanted,
                    what = crate::i18n::Message::new(what)
                ),
                hint,
            )
        })
        .collect()
}

/// The "look here" mark around `r`: a dotted blue frame (not red, not solid: nothing to press).
fn draw_look(out: &mut String, r: Rect) {
    let _ = write!(
        out,
        r#"<rect class="look" x="{}" y="{}" width="{}" height="{}" rx="10" fill="none" stroke="{LOOK}" stroke-width="5" stroke-dasharray="0.1 9" stroke-linecap="round"/>"#,
        num(r.x),
        num(r.y),
        num(r.w),
        num(r.h),
    );
}

/// The "don't press" mark over `r`: a dashed red frame and a prohibition sign (a red ring with
/// a bar) at its top right corner.
fn draw_avoid(out: &mut String, r: Rect) {
    let (cx, cy, radius) = (r.x + r.w - 4.0, r.y + 4.0, 13.0);
    let _ = write!(
        out,
        r##"<g class="avoid"><rect x="{}" y="{}" width="{}" height="{}" rx="10" fill="none" stroke="{HIGHLIGHT}" stroke-width="3" stroke-dasharray="8 5"/><circle cx="{}" cy="{}" r="{radius}" fill="#ffffff" stroke="{HIGHLIGHT}" stroke-width="4"/><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{HIGHLIGHT}" stroke-width="4"/></g>"##,
        num(r.x),
        num(r.y),
        num(r.w),
        num(r.h),
        num(cx),
        num(cy),
        num(cx - radius * 0.7),
        num(cy - radius * 0.7),
        num(cx + radius * 0.7),
        num(cy + radius * 0.7),
    );
}

/// The frame drawn around an element's box `r`: 5 px outside it, but inset so that its
/// 4 px stroke stays whole inside a picture `height` tall (a full-width row's frame included).
fn highlight_frame(r: Rect, height: f64) -> Rect {
    const EDGE: f64 = 2.0;
    let x0 = (r.x - 5.0).max(EDGE);
    let y0 = (r.y - 5.0).max(EDGE);
    let x1 = (r.x + r.w + 5.0).min(WIDTH - EDGE);
    let y1 = (r.y + r.h + 5.0).min(height - EDGE);
    Rect {
        x: x0,
        y: y0,
        w: (x1 - x0).max(0.0),
        h: (y1 - y0).max(0.0),
    }
}

fn problem(
    path: Vec<Seg<'static>>,
    message: crate::i18n::Message,
    hint: crate::i18n::Message,
) -> FigureProblem {
    FigureProblem {
        path,
        message,
        hint,
        strict: false,
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
        let lines = canvas::wrap("あいうえおかきくけこさしすせそたちつてと", 15.0, 150.0);
        assert_eq!(lines, ["あいうえおかきくけこ", "さしすせそたちつてと"]);
    }
}
