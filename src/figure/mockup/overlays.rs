//! The elements drawn over the screen: notification banners, dialogs and menus.

use std::fmt::Write as _;

use super::super::annotate::{Rect, num};
use super::WIDTH;
use super::canvas::{Canvas, INNER, PAD, Style, lines_height, wrap};
use super::items::{Dialog, Item, Menu, Notification};

/// Draws a notification, dialog or menu over a screen `height` tall.
pub(super) fn draw(canvas: &mut Canvas, item: &Item, height: f64) {
    match item {
        Item::Notification(n) => n.draw(canvas),
        Item::Dialog(d) => d.draw(canvas, height),
        Item::Menu(m) => m.draw(canvas),
        _ => {}
    }
}

impl Notification {
    fn draw(&self, canvas: &mut Canvas) {
        let lines = wrap(&self.text, 14.0, INNER - 28.0).len();
        let h = 40.0 + lines_height(lines, 14.0);
        let r = Rect {
            x: 10.0,
            y: 30.0,
            w: WIDTH - 20.0,
            h,
        };
        let _ = write!(
            canvas.out,
            r##"<rect x="{}" y="{}" width="{}" height="{}" rx="16" fill="#ffffff" stroke="#dadce0" filter="drop-shadow(0 2px 6px rgb(0 0 0 / 0.25))"/>"##,
            num(r.x),
            num(r.y),
            num(r.w),
            num(r.h)
        );
        let app = if self.app.is_empty() {
            "通知"
        } else {
            &self.app
        };
        canvas.text(24.0, 52.0, app, Style::new(12.0, "#5f6368").bold());
        let style = Style::new(14.0, "#202124");
        canvas.paragraph(24.0, 58.0, INNER - 28.0, &self.text, style);
        canvas.remember(self.id.as_ref(), r);
    }
}

/// In-screen items drawn inside a dialog or menu: drawn apart at the screen's width, then
/// scaled into the card (their highlight boxes with them).
struct Inset {
    drawn: Canvas,
    /// Their height at the screen's scale.
    height: f64,
    scale: f64,
}

impl Inset {
    /// `items` laid out to fit `width`.
    fn new(items: &[Item], width: f64) -> Self {
        let mut drawn = Canvas::default();
        let mut bottom = 0.0;
        for item in items {
            bottom = item.draw(&mut drawn, bottom) + 6.0;
        }
        Self {
            drawn,
            height: bottom,
            scale: width / INNER,
        }
    }

    /// The height they take in the card.
    fn height(&self) -> f64 {
        self.height * self.scale
    }

    /// Puts them into `canvas` with their left edge at `x` and their top at `y`.
    fn place(self, canvas: &mut Canvas, x: f64, y: f64) {
        if self.drawn.out.is_empty() {
            return;
        }
        let k = self.scale;
        let dx = x - PAD * k;
        let _ = write!(
            canvas.out,
            r#"<g transform="translate({} {}) scale({})">{}</g>"#,
            num(dx),
            num(y),
            num(k),
            self.drawn.out
        );
        for (id, r) in self.drawn.boxes {
            let moved = Rect {
                x: dx + r.x * k,
                y: y + r.y * k,
                w: r.w * k,
                h: r.h * k,
            };
            canvas.boxes.insert(id, moved);
        }
    }
}

impl Dialog {
    fn draw(&self, canvas: &mut Canvas, height: f64) {
        let text_lines = if self.text.is_empty() {
            0
        } else {
            wrap(&self.text, 14.0, INNER - 48.0).len()
        };
        let inset = Inset::new(&self.items, INNER - 48.0);
        let items_h = if self.items.is_empty() {
            0.0
        } else {
            inset.height() + 8.0
        };
        #[allow(clippy::cast_precision_loss, reason = "a handful of lines and buttons")]
        let h = 24.0
            + if self.title.is_empty() { 0.0 } else { 30.0 }
            + text_lines as f64 * 20.3
            + items_h
            + 12.0
            + self.buttons.len() as f64 * 48.0
            + 12.0;
        let top = ((height - h) / 2.0).max(90.0);
        let card = Rect {
            x: PAD + 8.0,
            y: top,
            w: INNER - 16.0,
            h,
        };
        canvas.rect(card, 14.0, "#ffffff", "none");
        let mut y = top + 20.0;
        if !self.title.is_empty() {
            let style = Style::new(17.0, "#202124").centered().bold();
            canvas.text(WIDTH / 2.0, y + 20.0, &self.title, style);
            y += 30.0;
        }
        if !self.text.is_empty() {
            let style = Style::new(14.0, "#3c4043");
            y = canvas.paragraph(card.x + 16.0, y, card.w - 32.0, &self.text, style);
        }
        if !self.items.is_empty() {
            y += 8.0;
            let items_h = inset.height();
            inset.place(canvas, card.x + 16.0, y);
            y += items_h;
        }
        y += 12.0;
        for (i, b) in self.buttons.iter().enumerate() {
            let r = Rect {
                x: card.x + 16.0,
                y,
                w: card.w - 32.0,
                h: 40.0,
            };
            let primary = i == 0;
            let (fill, stroke, ink) = if primary {
                ("#1a73e8", "none", "#ffffff")
            } else {
                ("#ffffff", "#dadce0", "#1a73e8")
            };
            canvas.rect(r, 20.0, fill, stroke);
            let style = Style::new(15.0, ink).centered().bold();
            canvas.text(WIDTH / 2.0, y + 26.0, &b.text, style);
            canvas.remember(b.id.as_ref(), r);
            y += 48.0;
        }
        canvas.remember(self.id.as_ref(), card);
    }
}

impl Menu {
    fn draw(&self, canvas: &mut Canvas) {
        let width = 230.0;
        let inset = Inset::new(&self.items, width - 36.0);
        let items_h = if self.items.is_empty() {
            0.0
        } else {
            inset.height() + 8.0
        };
        let title_h = if self.title.is_empty() { 0.0 } else { 40.0 };
        #[allow(clippy::cast_precision_loss, reason = "a handful of options")]
        let h = title_h + self.options.len() as f64 * 48.0 + 8.0 + items_h;
        let card = Rect {
            x: 12.0,
            y: 84.0,
            w: width,
            h,
        };
        let _ = write!(
            canvas.out,
            r##"<rect x="{}" y="{}" width="{}" height="{}" rx="12" fill="#ffffff" filter="drop-shadow(0 2px 6px rgb(0 0 0 / 0.3))"/>"##,
            num(card.x),
            num(card.y),
            num(card.w),
            num(card.h)
        );
        if !self.title.is_empty() {
            let style = Style::new(13.0, "#5f6368").bold();
            canvas.text(card.x + 18.0, card.y + 28.0, &self.title, style);
            let _ = write!(
                canvas.out,
                r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#e8eaed"/>"##,
                num(card.x),
                num(card.y + title_h),
                num(card.x + card.w),
                num(card.y + title_h)
            );
        }
        for (i, option) in self.options.iter().enumerate() {
            #[allow(clippy::cast_precision_loss, reason = "a handful of options")]
            let y = card.y + title_h + 4.0 + i as f64 * 48.0;
            let style = Style::new(16.0, "#202124");
            canvas.text(card.x + 18.0, y + 30.0, &option.text, style);
            let r = Rect {
                x: card.x + 4.0,
                y: y + 2.0,
                w: card.w - 8.0,
                h: 44.0,
            };
            canvas.remember(option.id.as_ref(), r);
        }
        #[allow(clippy::cast_precision_loss, reason = "a handful of options")]
        let below = card.y + title_h + 4.0 + self.options.len() as f64 * 48.0 + 4.0;
        inset.place(canvas, card.x + 18.0, below);
        canvas.remember(self.id.as_ref(), card);
    }
}
