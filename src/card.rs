//! Share cards: the 1200×630 picture that a link to a guide shows on X, LINE, Facebook or
//! Slack. Two halves:
//! - [`plan`] (render): lays the title out in lines (Japanese line breaking; a long title
//!   shrinks, then is cut with …), fills the theme's `card.svg` and names the PNG by a hash of
//!   that SVG. Pure.
//! - [`Cards::draw`] (the pictures stage, never `check`): draws the PNGs missing from
//!   `.tebiki-cache/cards/` with resvg and the system's fonts (plus `og_font:`), the files of
//!   the faces a card uses read into memory once ([`fonts`]), what every card has alike drawn
//!   once ([`layers`]).

mod fonts;
mod layers;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use resvg::{tiny_skia, usvg};
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::escape::xml_text;
use crate::templates::Templates;

pub(crate) const WIDTH: u32 = 1200;
pub(crate) const HEIGHT: u32 = 630;
/// Where the title may be written: the card less its margins.
const TEXT_WIDTH: f64 = 1040.0;
/// Title sizes tried from the largest, each with the most lines it may take.
const SIZES: [(u32, usize); 5] = [(72, 2), (64, 3), (56, 3), (48, 4), (40, 4)];
/// Characters a line must not start with (kinsoku): closing brackets, punctuation, small kana,
/// the long-vowel mark and iteration marks.
const NO_LINE_START: &str = "、。，．・：；？！ー－～…‥」』）〕］｝〉》】〙〗〟’”ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ々〻ゝゞヽヾ!),.:;?]}%";
/// Characters a line must not end with: opening brackets.
const NO_LINE_END: &str = "「『（〔［｛〈《【〘〖〝‘“([{";

/// A title laid out: its lines and the font size they fit at.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Layout {
    pub lines: Vec<String>,
    pub size: u32,
}

/// Width of `text` in em, estimated: wide (CJK, fullwidth) characters 1em, the rest 0.6em.
fn width_em(text: &str) -> f64 {
    text.chars()
        .map(|c| if is_wide(c) { 1.0 } else { 0.6 })
        .sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Where a line of `title` may break: UAX #14 opportunities, less those that would start a
/// line with a [`NO_LINE_START`] character or end one with [`NO_LINE_END`] (byte offsets).
fn opportunities(title: &str) -> Vec<usize> {
    unicode_linebreak::linebreaks(title)
        .map(|(at, _)| at)
        .filter(|&at| at > 0 && at < title.len())
        .filter(|&at| {
            let next = title[at..].chars().next();
            let prev = title[..at].chars().next_back();
            next.is_none_or(|c| !NO_LINE_START.contains(c))
                && prev.is_none_or(|c| !NO_LINE_END.contains(c))
        })
        .collect()
}

/// `text` cut at `cuts` (byte offsets inside it, in order).
fn cut_at<'t>(text: &'t str, cuts: &[usize]) -> Vec<&'t str> {
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for &at in cuts {
        pieces.push(&text[start..at]);
        start = at;
    }
    pieces.push(&text[start..]);
    pieces
}

/// The pieces of `title` between which a line may break: the opportunities of
/// [`opportunities`] that are also between two phrases (the `BudouX` Japanese model), so that a
/// line never ends inside a word (「連携 / 設定」).
fn pieces(title: &str) -> Vec<&str> {
    let mut ends = std::collections::BTreeSet::new();
    let mut at = 0;
    for phrase in budoux::parse(budoux::models::default_japanese_model(), title) {
        at += phrase.len();
        ends.insert(at);
    }
    let cuts: Vec<usize> = opportunities(title)
        .into_iter()
        .filter(|at| ends.contains(at))
        .collect();
    cut_at(title, &cuts)
}

/// A title cut into its [`pieces`], in lines no wider than `width` em, phrase by phrase (a
/// phrase wider than a line is broken where UAX #14 allows).
fn wrap_pieces(phrases: &[&str], width: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for &phrase in phrases {
        let parts = if width_em(phrase.trim()) > width {
            cut_at(phrase, &opportunities(phrase))
        } else {
            vec![phrase]
        };
        for piece in parts {
            if !line.is_empty() && width_em(&line) + width_em(piece.trim_end()) > width {
                lines.push(line.trim_end().to_owned());
                line.clear();
            }
            line.push_str(if line.is_empty() {
                piece.trim_start()
            } else {
                piece
            });
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_owned());
    }
    lines
}

/// Lays `title` out: the largest size at which it fits its lines, else the smallest size with
/// the last line cut and ended with `…`.
pub(crate) fn layout(title: &str) -> Layout {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let phrases = pieces(&title);
    for (size, most) in SIZES {
        let lines = wrap_pieces(&phrases, TEXT_WIDTH / f64::from(size));
        if lines.len() <= most
            && lines
                .iter()
                .all(|l| width_em(l) <= TEXT_WIDTH / f64::from(size))
        {
            return Layout { lines, size };
        }
    }
    let (size, most) = SIZES[SIZES.len() - 1];
    let width = TEXT_WIDTH / f64::from(size);
    let mut lines = wrap_pieces(&phrases, width);
    lines.truncate(most);
    if let Some(last) = lines.last_mut() {
        while !last.is_empty() && width_em(last) + 1.0 > width {
            last.pop();
        }
        last.push('…');
    }
    Layout { lines, size }
}

/// One guide's card: its SVG and the file its PNG is kept in.
#[derive(Clone, Debug)]
pub(crate) struct CardPlan {
    pub svg: String,
    /// `card-<hash of the SVG>.png`.
    pub name: String,
    /// The title, for the font coverage check.
    pub title: String,
}

/// What the theme's `card.svg` gets. Every text is XML-escaped already.
#[derive(Serialize)]
struct CardCx {
    width: u32,
    height: u32,
    lines: Vec<Line>,
    size: u32,
    site: String,
    steps: String,
    /// The width of the pill the steps are written in (24 px bold text and its padding).
    steps_width: u32,
    guide_title: String,
}

#[derive(Serialize)]
struct Line {
    text: String,
    /// The baseline's y.
    y: u32,
}

/// The card of a guide titled `title` with `steps` steps, on the site `site`.
pub(crate) fn plan(
    templates: &Templates,
    title: &str,
    site: &str,
    steps: &str,
) -> Result<CardPlan, Diagnostic> {
    let layout = layout(title);
    let line_height = layout.size * 14 / 10;
    #[allow(clippy::cast_possible_truncation, reason = "at most four lines")]
    let count = layout.lines.len() as u32;
    // The block of lines is centred between the top and the footer line.
    let top = (470u32.saturating_sub(count * line_height)) / 2 + 40;
    let lines = layout
        .lines
        .iter()
        .enumerate()
        .map(|(i, text)| {
            #[allow(clippy::cast_possible_truncation, reason = "at most four lines")]
            let i = i as u32;
            Line {
                text: xml_text(text),
                y: top + i * line_height + layout.size,
            }
        })
        .collect();
    let cx = CardCx {
        width: WIDTH,
        height: HEIGHT,
        lines,
        size: layout.size,
        site: xml_text(site),
        steps: xml_text(steps),
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a few characters"
        )]
        steps_width: (width_em(steps) * 24.0 + 40.0).round() as u32,
        guide_title: xml_text(title),
    };
    let context = tera::Context::from_serialize(&cx).map_err(|err| {
        Diagnostic::error(crate::i18n::msg!("card-prepare", error = err.to_string()))
    })?;
    let svg = templates.render("card.svg", &context)?;
    let hash = crate::images::content_hash(format!("{DRAWING}\n{svg}").as_bytes());
    Ok(CardPlan {
        name: format!("card-{hash:016x}.png"),
        svg,
        title: title.to_owned(),
    })
}

/// How cards are drawn and encoded, in their cache names: a card drawn by an older tebiki is
/// drawn again (2: opaque cards encoded as RGBA; 3: every row filtered with `Sub`; 4: palette PNGs;
/// 5: the palette always in the order the colours appear, as 56d57d2 did not keep it).
const DRAWING: &str = "tebiki card 5";

/// The cards' cache and how to draw them.
#[derive(Debug)]
pub(crate) struct Cards {
    cache: PathBuf,
    /// `og_font:` from site.yaml: a font file added to the system's fonts.
    font: Option<PathBuf>,
    /// The fonts, loaded at the first card to draw (serve draws again after a title edit), and
    /// what was wrong loading them.
    fonts: OnceLock<(Arc<usvg::fontdb::Database>, Vec<Diagnostic>)>,
    drawn: AtomicUsize,
}

impl Cards {
    pub(crate) fn new(root: &Path, font: Option<PathBuf>) -> Self {
        Self {
            cache: root.join(".tebiki-cache").join("cards"),
            font,
            fonts: OnceLock::new(),
            drawn: AtomicUsize::new(0),
        }
    }

    /// Where the PNG of `plan` is kept.
    pub(crate) fn file(&self, plan: &CardPlan) -> PathBuf {
        self.cache.join(&plan.name)
    }

    /// Cards drawn in this build.
    pub(crate) fn drawn(&self) -> usize {
        self.drawn.load(Ordering::Relaxed)
    }

    /// Draws the cards whose PNG is not in the cache yet. Fonts are loaded only then. One
    /// warning when no font has every character of a title.
    pub(crate) fn draw(&self, plans: &[CardPlan]) -> Vec<Diagnostic> {
        let missing: Vec<&CardPlan> = plans.iter().filter(|p| !self.file(p).is_file()).collect();
        let Some(first) = missing.first() else {
            return Vec::new();
        };
        if let Err(err) = crate::fs::create_cache_dir(&self.cache) {
            return vec![Diagnostic::error(crate::i18n::msg!(
                "cards-draw",
                error = format!("{err:#}")
            ))];
        }
        let (system, font_problems) = self.fonts.get_or_init(|| self.load_fonts());
        // The layer every card has alike is drawn once, with the font files mapped at each use
        // as resvg does; the fonts of what each card draws itself are read into memory, held
        // only while these cards are drawn (20 MB for Noto Sans CJK Bold, on top of the site).
        let layers = Layers::new(&missing, &options_with(Arc::clone(system)));
        let own = layers.as_ref().and_then(|l| l.own.iter().flatten().next());
        let fonts = fonts::held_in_memory(system, own.map_or(&first.svg, String::as_str));
        let mut problems = font_problems.clone();
        problems.extend(uncovered(&fonts, &missing));
        let options = options_with(fonts);
        let drawn: Vec<Result<(), Diagnostic>> = missing
            .par_iter()
            .enumerate()
            .map_init(
                // A pixmap and a buffer of palette indices for each thread, kept from card to
                // card (a new 756 kB buffer for every card cost more in page faults than its
                // encoding).
                || (tiny_skia::Pixmap::new(WIDTH, HEIGHT), Vec::new()),
                |(pixmap, indices), (i, plan)| {
                    let over = layers.as_ref().and_then(|l| l.over(i));
                    self.draw_one(plan, &options, over, pixmap.as_mut(), indices)
                },
            )
            .collect();
        problems.extend(drawn.into_iter().filter_map(Result::err));
        problems
    }

    /// The fonts the cards are drawn with (also used to draw mock-ups for a blog post).
    pub(crate) fn fonts(&self) -> Arc<usvg::fontdb::Database> {
        Arc::clone(&self.fonts.get_or_init(|| self.load_fonts()).0)
    }

    fn load_fonts(&self) -> (Arc<usvg::fontdb::Database>, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let mut fonts = usvg::fontdb::Database::new();
        fonts.load_system_fonts();
        // Last in card.svg's list: a machine's own Japanese font and `og_font:` come first.
        fonts.load_font_data(BUNDLED_FONT.to_vec());
        // A machine without any sans-serif font (or a theme's card.svg that does not name the
        // bundled face) still draws its cards with the bundled face.
        let sans = usvg::fontdb::Query {
            families: &[usvg::fontdb::Family::SansSerif],
            ..usvg::fontdb::Query::default()
        };
        if fonts.query(&sans).is_none() {
            fonts.set_sans_serif_family(BUNDLED_FAMILY);
        }
        if let Some(font) = &self.font
            && let Err(err) = fonts.load_font_file(font)
        {
            problems.push(
                Diagnostic::error(crate::i18n::msg!(
                    "cannot-read",
                    what = crate::i18n::msg!("the-font", path = font.as_path()),
                    error = err.to_string()
                ))
                .in_file(crate::config::CONFIG_FILE)
                .with_hint(crate::i18n::msg!("og-font-missing-hint")),
            );
        }
        (Arc::new(fonts), problems)
    }

    /// Draws `plan` on `pixmap` (a card-sized one reused between cards; `None` when there was
    /// no memory for it), and writes its PNG into the cache. With `over`, the card begins with
    /// the shared layer: that layer is copied and only the card's own SVG drawn on it.
    fn draw_one(
        &self,
        plan: &CardPlan,
        options: &usvg::Options<'_>,
        over: Option<(&tiny_skia::Pixmap, &str)>,
        pixmap: Option<&mut tiny_skia::Pixmap>,
        indices: &mut Vec<u8>,
    ) -> Result<(), Diagnostic> {
        let fail = |why: String| {
            Diagnostic::error(crate::i18n::msg!(
                "card-draw",
                title = &plan.title,
                why = why
            ))
            .in_file("templates/card.svg")
            .with_hint(crate::i18n::msg!("card-draw-hint"))
        };
        let pixmap = pixmap.ok_or_else(|| fail("no memory".into()))?;
        let svg = over.map_or(plan.svg.as_str(), |(_, own)| own);
        let tree = usvg::Tree::from_str(svg, options).map_err(|e| fail(e.to_string()))?;
        match over {
            Some((layer, _)) => pixmap.data_mut().copy_from_slice(layer.data()),
            None => pixmap.fill(tiny_skia::Color::TRANSPARENT),
        }
        draw_tree(&tree, pixmap);
        let png = encode_png(pixmap, indices).map_err(|e| fail(e.to_string()))?;
        crate::fs::write_atomic(&self.file(plan), &png).map_err(|e| fail(format!("{e:#}")))?;
        self.drawn.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

fn options_with(fonts: Arc<usvg::fontdb::Database>) -> usvg::Options<'static> {
    usvg::Options {
        fontdb: fonts,
        ..usvg::Options::default()
    }
}

/// Draws `tree` on `pixmap`, scaled to the card's size (a template of another size is).
fn draw_tree(tree: &usvg::Tree, pixmap: &mut tiny_skia::Pixmap) {
    let size = tree.size();
    #[allow(clippy::cast_precision_loss, reason = "1200 and 630 are exact in f32")]
    let transform = tiny_skia::Transform::from_scale(
        WIDTH as f32 / size.width(),
        HEIGHT as f32 / size.height(),
    );
    resvg::render(tree, transform, &mut pixmap.as_mut());
}

/// The leading elements most cards of a build have alike ([`layers`]), drawn once, and what
/// each card draws over them.
#[derive(Debug)]
struct Layers {
    pixmap: tiny_skia::Pixmap,
    /// For each card, in the order given: the SVG of what it draws over the shared layer;
    /// `None` for a card that does not begin with it (like the site's own card, with the
    /// site's address in its footer), drawn whole.
    own: Vec<Option<String>>,
}

impl Layers {
    /// The layer most of `plans` have alike, drawn; `None` when they have none (or it does not
    /// draw). Each card's SVG is cut once, here.
    fn new(plans: &[&CardPlan], options: &usvg::Options<'_>) -> Option<Self> {
        // One card (serve, after a title changed) is drawn whole: a layer pays from the second.
        if plans.len() < 2 {
            return None;
        }
        let parts: Vec<Option<layers::Parts<'_>>> =
            plans.iter().map(|p| layers::Parts::of(&p.svg)).collect();
        let reference = parts[plans.len() / 2].as_ref()?;
        let common: Vec<usize> = parts
            .iter()
            .map(|p| p.as_ref().map_or(0, |p| reference.common(p)))
            .collect();
        let mut sorted = common.clone();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        // The most leading elements that half of the cards have alike.
        let count = sorted[(sorted.len() - 1) / 2];
        if count == 0 {
            return None;
        }
        let tree = usvg::Tree::from_str(&reference.shared(count), options).ok()?;
        let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT)?;
        draw_tree(&tree, &mut pixmap);
        let own = parts
            .iter()
            .zip(&common)
            .map(|(p, &alike)| p.as_ref().filter(|_| alike >= count).map(|p| p.own(count)))
            .collect();
        Some(Self { pixmap, own })
    }

    /// The shared layer and the SVG card `i` draws over it, when it begins with the layer.
    fn over(&self, i: usize) -> Option<(&tiny_skia::Pixmap, &str)> {
        let own = self.own.get(i)?.as_deref()?;
        Some((&self.pixmap, own))
    }
}

/// `pixmap` as a PNG, with fdeflate's fast compression and every row filtered with `Sub` (a
/// card is flat colour and antialiased text: the left neighbour predicts it well). A card has
/// about a hundred colours (tiny-skia's antialiasing has few levels), so it is written as an
/// 8-bit palette image: the same pixels in a quarter of the bytes to filter and compress, and
/// a smaller file. A card of more than 256 colours (a theme's gradient or photo) is written as
/// RGBA, as before: about 48 kB and 0.9 ms a card.
fn encode_png(
    pixmap: &tiny_skia::Pixmap,
    indices: &mut Vec<u8>,
) -> Result<Vec<u8>, png::EncodingError> {
    let (width, height) = (pixmap.width(), pixmap.height());
    if let Some(indexed) = Indexed::of(pixmap, indices) {
        return write_png(width, height, indices, Some(&indexed.palette()));
    }
    // Every pixel ANDed together as a little-endian word, its alpha the top byte (a loop the
    // compiler vectorizes: a check pixel by pixel cost half as much as the PNG encoding).
    let all = pixmap
        .data()
        .chunks_exact(4)
        .map(|p| u32::from_le_bytes([p[0], p[1], p[2], p[3]]))
        .fold(u32::MAX, |all, pixel| all & pixel);
    if all >> 24 == u32::from(u8::MAX) {
        // Opaque: the premultiplied bytes are the straight colours.
        return write_png(width, height, pixmap.data(), None);
    }
    let demultiplied: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect();
    write_png(width, height, &demultiplied, None)
}

/// The palette of an indexed PNG: its RGB triplets and, when a colour is not opaque, the alpha
/// of every entry (its `tRNS` chunk).
struct Palette {
    rgb: Vec<u8>,
    alpha: Option<Vec<u8>>,
}

/// Writes a PNG of `pixels`: straight RGBA, or indices into `palette`.
fn write_png(
    width: u32,
    height: u32,
    pixels: &[u8],
    palette: Option<&Palette>,
) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder.set_filter(png::Filter::Sub);
    match palette {
        Some(palette) => {
            encoder.set_color(png::ColorType::Indexed);
            encoder.set_palette(palette.rgb.as_slice());
            if let Some(alpha) = &palette.alpha {
                encoder.set_trns(alpha.as_slice());
            }
        }
        None => encoder.set_color(png::ColorType::Rgba),
    }
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;
    Ok(out)
}

/// The palette of a pixmap of at most 256 colours (its pixels' indices are written apart).
struct Indexed {
    /// The colours in the order met, premultiplied, as little-endian words.
    colours: Vec<u32>,
}

impl Indexed {
    /// Slots of the open-addressing table from colour to index: a quarter full at most.
    const SLOTS: usize = 1024;

    /// `pixmap`'s palette, its indices in `pixels`; `None` when it has more than 256 colours.
    /// Most pixels repeat their left neighbour: eight at a time are compared with it as four
    /// words, and only a pixel of another colour is looked up.
    fn of(pixmap: &tiny_skia::Pixmap, pixels: &mut Vec<u8>) -> Option<Self> {
        let mut slots = [0u16; Self::SLOTS]; // index + 1; 0 is empty
        let mut colours: Vec<u32> = Vec::with_capacity(256);
        let data = pixmap.data();
        pixels.clear();
        pixels.reserve(data.len() / 4);
        let first = data.first_chunk::<4>().copied().unwrap_or_default();
        let mut last = u32::from_le_bytes(first);
        let mut last_index = Self::index(&mut slots, &mut colours, last)?;
        let mut run = u64::from(last) * 0x1_0000_0001;
        let mut eights = data.chunks_exact(32);
        for eight in &mut eights {
            let words = eight
                .chunks_exact(8)
                .map(|w| u64::from_le_bytes(w.try_into().unwrap_or_default()));
            if words.fold(0, |differ, w| differ | (w ^ run)) == 0 {
                pixels.extend_from_slice(&[last_index; 8]);
                continue;
            }
            let mut out = [0; 8];
            for (o, p) in out.iter_mut().zip(eight.chunks_exact(4)) {
                let colour = u32::from_le_bytes([p[0], p[1], p[2], p[3]]);
                if colour != last {
                    last_index = Self::index(&mut slots, &mut colours, colour)?;
                    last = colour;
                }
                *o = last_index;
            }
            pixels.extend_from_slice(&out);
            run = u64::from(last) * 0x1_0000_0001;
        }
        for p in eights.remainder().chunks_exact(4) {
            let colour = u32::from_le_bytes([p[0], p[1], p[2], p[3]]);
            pixels.push(Self::index(&mut slots, &mut colours, colour)?);
        }
        Some(Self { colours })
    }

    /// The index of `colour`, added when new; `None` when it would be the 257th.
    fn index(slots: &mut [u16; Self::SLOTS], colours: &mut Vec<u32>, colour: u32) -> Option<u8> {
        let mut slot = (colour.wrapping_mul(0x9E37_79B1) >> 22) as usize;
        loop {
            match slots[slot] {
                0 => {
                    let index = u8::try_from(colours.len()).ok()?;
                    colours.push(colour);
                    slots[slot] = u16::from(index) + 1;
                    return Some(index);
                }
                taken if colours[usize::from(taken - 1)] == colour => {
                    return u8::try_from(taken - 1).ok();
                }
                _ => slot = (slot + 1) % Self::SLOTS,
            }
        }
    }

    /// The PNG palette: each colour demultiplied, with alphas when any is not opaque.
    fn palette(&self) -> Palette {
        let mut rgb = Vec::with_capacity(self.colours.len() * 3);
        let mut alpha = Vec::with_capacity(self.colours.len());
        for &colour in &self.colours {
            let [r, g, b, a] = colour.to_le_bytes();
            let straight = tiny_skia::PremultipliedColorU8::from_rgba(r, g, b, a)
                .map_or(tiny_skia::ColorU8::from_rgba(0, 0, 0, 0), |c| {
                    c.demultiply()
                });
            rgb.extend([straight.red(), straight.green(), straight.blue()]);
            alpha.push(straight.alpha());
        }
        let opaque = alpha.iter().all(|&a| a == u8::MAX);
        Palette {
            rgb,
            alpha: (!opaque).then_some(alpha),
        }
    }
}

/// The default theme's Japanese face for share cards (Noto Sans CJK JP Bold, subset to kana,
/// JIS level 1 and 2 kanji, ASCII and the usual punctuation; SIL OFL 1.1, see
/// themes/default/fonts/OFL.txt): a card has its title on a machine without Japanese fonts.
const BUNDLED_FONT: &[u8] = include_bytes!("../themes/default/fonts/TebikiCardSansJP-Bold.otf");

/// The family name of [`BUNDLED_FONT`].
const BUNDLED_FAMILY: &str = "Tebiki Card Sans JP";

/// A warning when no one font has every character of the title of some card of `plans`.
/// The characters of every title are tried together first: one font usually has them all.
fn uncovered(fonts: &usvg::fontdb::Database, plans: &[&CardPlan]) -> Option<Diagnostic> {
    let all: String = plans.iter().map(|p| p.title.as_str()).collect();
    if covers(fonts, &all) {
        return None;
    }
    let title = &plans.iter().find(|p| !covers(fonts, &p.title))?.title;
    Some(
        Diagnostic::warning(crate::i18n::msg!("card-font-missing", title = title))
            .with_hint(crate::i18n::msg!("card-font-missing-hint")),
    )
}

/// Whether some one font of `fonts` has a glyph for every character of `text`.
fn covers(fonts: &usvg::fontdb::Database, text: &str) -> bool {
    use skrifa::MetadataProvider as _;
    let wanted: std::collections::BTreeSet<char> =
        text.chars().filter(|c| !c.is_whitespace()).collect();
    fonts.faces().any(|face| {
        fonts
            .with_face_data(face.id, |data, index| {
                let Ok(font) = skrifa::FontRef::from_index(data, index) else {
                    return false;
                };
                let charmap = font.charmap();
                wanted.iter().all(|&c| charmap.map(c).is_some())
            })
            .unwrap_or(false)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `pixmap` encoded, decoded again as straight RGBA, with the PNG's colour type.
    fn round_trip(pixmap: &tiny_skia::Pixmap) -> (Vec<u8>, png::ColorType) {
        let png = encode_png(pixmap, &mut Vec::new()).unwrap();
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png.as_slice()));
        let colour = decoder.read_header_info().unwrap().color_type;
        let rgba = image::load_from_memory(&png).unwrap().to_rgba8().into_raw();
        (rgba, colour)
    }

    fn straight(pixmap: &tiny_skia::Pixmap) -> Vec<u8> {
        pixmap
            .pixels()
            .iter()
            .flat_map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue(), c.alpha()]
            })
            .collect()
    }

    /// A 37 × 23 pixmap (not a multiple of eight pixels) whose pixel `i` is `colour(i)`.
    fn pixmap_of(colour: impl Fn(u32) -> tiny_skia::ColorU8) -> tiny_skia::Pixmap {
        let mut pixmap = tiny_skia::Pixmap::new(37, 23).unwrap();
        for (i, p) in (0u32..).zip(pixmap.pixels_mut()) {
            *p = colour(i).premultiply();
        }
        pixmap
    }

    #[test]
    fn a_card_of_few_colours_is_a_palette_png_of_the_same_pixels() {
        // Runs of one colour, broken at every place in a group of eight.
        let pixmap = pixmap_of(|i| {
            let shade = u8::try_from((i / 3 + i / 11) % 200).unwrap();
            tiny_skia::ColorU8::from_rgba(shade, 255 - shade, 40, 255)
        });
        let (rgba, colour) = round_trip(&pixmap);
        assert_eq!(colour, png::ColorType::Indexed);
        assert_eq!(rgba, straight(&pixmap));
    }

    #[test]
    fn see_through_colours_keep_their_alpha_in_the_palette() {
        let pixmap = pixmap_of(|i| {
            let alpha = [0, 40, 128, 255][usize::try_from(i % 4).unwrap()];
            tiny_skia::ColorU8::from_rgba(200, 30, 60, alpha)
        });
        let (rgba, colour) = round_trip(&pixmap);
        assert_eq!(colour, png::ColorType::Indexed);
        assert_eq!(rgba, straight(&pixmap));
    }

    #[test]
    fn a_card_of_many_colours_stays_rgba() {
        for alpha in [255, 128] {
            let pixmap = pixmap_of(|i| {
                let [a, b, _, _] = i.to_le_bytes();
                tiny_skia::ColorU8::from_rgba(a, b, 7, alpha)
            });
            let (rgba, colour) = round_trip(&pixmap);
            assert_eq!(colour, png::ColorType::Rgba, "alpha {alpha}");
            assert_eq!(rgba, straight(&pixmap), "alpha {alpha}");
        }
    }

    #[test]
    fn lines_break_between_phrases() {
        let title =
            "「口座の追加」画面を下までスクロールして、「連携に成功しました」で【OK】を押す方法";
        let phrases = budoux::parse(budoux::models::default_japanese_model(), title);
        let mut ends = std::collections::BTreeSet::new();
        let mut at = 0;
        for p in &phrases {
            at += p.len();
            ends.insert(at);
        }
        // Card widths (1040 px of text at 52–80 px): no phrase is wider than a line.
        for width in [13.0, 16.0, 20.0] {
            let lines = wrap_pieces(&pieces(title), width);
            assert_eq!(lines.concat(), title);
            let mut end = 0;
            for line in &lines[..lines.len() - 1] {
                end += line.len();
                assert!(
                    ends.contains(&end),
                    "{line:?} ends inside a phrase at {width} em: {lines:?}"
                );
            }
        }
    }

    #[test]
    fn no_line_starts_with_closing_punctuation() {
        let title = "ZaimとAmazon.co.jpを連携する方法：「連携設定」から、認証メールの承認まで、5分以内に終える手順。";
        for (size, _) in SIZES {
            for line in wrap_pieces(&pieces(title), TEXT_WIDTH / f64::from(size)) {
                let first = line.chars().next().unwrap();
                assert!(!NO_LINE_START.contains(first), "{line:?} at {size}");
                let last = line.chars().next_back().unwrap();
                assert!(!NO_LINE_END.contains(last), "{line:?} at {size}");
            }
        }
    }

    #[test]
    fn a_short_title_is_large_and_a_long_one_shrinks_then_is_cut() {
        assert_eq!(layout("ZaimとAmazonを連携する").size, 72);
        let long = "とても長い題名".repeat(20);
        let laid = layout(&long);
        assert_eq!(laid.size, 40);
        assert_eq!(laid.lines.len(), 4);
        assert!(laid.lines[3].ends_with('…'));
        for line in &laid.lines {
            assert!(width_em(line) * 40.0 <= TEXT_WIDTH + 0.5, "{line}");
        }
    }

    /// The bundled face alone (every machine draws the same pixels with it).
    fn bundled_only() -> usvg::Options<'static> {
        let mut fonts = usvg::fontdb::Database::new();
        fonts.load_font_data(BUNDLED_FONT.to_vec());
        fonts.set_sans_serif_family(BUNDLED_FAMILY);
        options_with(Arc::new(fonts))
    }

    fn drawn(svg: &str, options: &usvg::Options<'_>, on: Option<&tiny_skia::Pixmap>) -> Vec<u8> {
        let tree = usvg::Tree::from_str(svg, options).expect("the card's SVG parses");
        let mut pixmap = on
            .cloned()
            .unwrap_or_else(|| tiny_skia::Pixmap::new(WIDTH, HEIGHT).expect("a card"));
        draw_tree(&tree, &mut pixmap);
        pixmap.data().to_vec()
    }

    #[test]
    fn a_card_drawn_on_the_shared_layer_has_the_pixels_of_one_drawn_whole() {
        let dir = tempfile::tempdir().expect("a folder");
        let templates = Templates::load(dir.path(), "default").expect("the default templates");
        let plans = [
            plan(&templates, "tebiki の手引き集", "example.com", "手引き 3本"),
            plan(
                &templates,
                "Zaim と Amazon を連携する",
                "tebiki の手引き集",
                "28ステップ",
            ),
            plan(
                &templates,
                "「口座の追加」から連携を解除する方法",
                "tebiki の手引き集",
                "9ステップ",
            ),
        ]
        .map(|p| p.expect("a card plan"));
        let plans: Vec<&CardPlan> = plans.iter().collect();
        let options = bundled_only();
        let layers = Layers::new(&plans, &options).expect("the guides' cards have a layer alike");
        // The background, the top bar, the frame, the footer line and the site's name.
        let cut = |i: usize| layers::Parts::of(&plans[i].svg).expect("a plain card");
        assert_eq!(cut(1).common(&cut(2)), 5);
        assert_eq!(layers.over(0), None, "the site's card has its address");
        for (i, plan) in plans.iter().enumerate().skip(1) {
            let (layer, own) = layers.over(i).expect("a guide's card has the layer");
            assert!(
                !own.contains("tebiki の手引き集"),
                "the footer is in the layer"
            );
            assert!(
                drawn(own, &options, Some(layer)) == drawn(&plan.svg, &options, None),
                "{} drawn in two layers differs from it drawn whole",
                plan.title
            );
        }
    }
}
