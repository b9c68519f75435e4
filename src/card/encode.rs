//! Share cards as PNG files, with fdeflate's fast compression and every row filtered with `Sub`
//! (a card is flat colour and antialiased text: the left neighbour predicts it well).
//!
//! A card has about a hundred colours (tiny-skia's antialiasing has few levels), so it is
//! written as an 8-bit palette image: the same pixels in a quarter of the bytes to filter and
//! compress, and a smaller file. A card of more than 256 colours (a theme's gradient or photo)
//! is written as RGBA: about 48 kB and 0.9 ms a card.
//!
//! A card drawn over the shared layer ([`Canvas`]) differs from it in a few rows (its title and
//! its step count): the other rows take the layer's indices as they are, and only the rows the
//! card drew on are copied back from the layer before the next card.
//!
//! Invariant: whatever the path, the PNG decodes to the pixmap's pixels, demultiplied.

use resvg::tiny_skia;

/// `pixmap` as a PNG.
pub(super) fn png(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    match indexed(pixmap) {
        Some((colours, pixels)) => write(pixmap, &pixels, Some(&colours.palette())),
        None => rgba(pixmap),
    }
}

/// Every pixel of `pixmap` as an index into its colours; `None` past 256 colours.
fn indexed(pixmap: &tiny_skia::Pixmap) -> Option<(Indexer, Vec<u8>)> {
    let mut colours = Indexer::default();
    let mut pixels = Vec::with_capacity(pixmap.data().len() / 4);
    let row = pixmap.width() as usize * 4;
    for r in pixmap.data().chunks_exact(row) {
        colours.row(r, &mut pixels)?;
    }
    Some((colours, pixels))
}

/// The shared layer of a build's cards, and the pixmap of one thread that draws them.
pub(super) struct Canvas<'l> {
    layer: &'l Layer,
    pub(super) pixmap: tiny_skia::Pixmap,
    /// Which rows of `pixmap` differ from the layer's (`None`: it does not hold the layer).
    dirty: Option<Vec<bool>>,
}

/// The shared layer, drawn, and indexed when it has at most 256 colours.
#[derive(Debug)]
pub(super) struct Layer {
    pub(super) pixmap: tiny_skia::Pixmap,
    indexed: Option<(Indexer, Vec<u8>)>,
}

impl Layer {
    pub(super) fn new(pixmap: tiny_skia::Pixmap) -> Self {
        Self {
            indexed: indexed(&pixmap),
            pixmap,
        }
    }
}

impl<'l> Canvas<'l> {
    /// A canvas for cards over `layer` (`None` when there is no memory for it).
    pub(super) fn new(layer: &'l Layer) -> Option<Self> {
        Some(Self {
            pixmap: tiny_skia::Pixmap::new(layer.pixmap.width(), layer.pixmap.height())?,
            layer,
            dirty: None,
        })
    }

    /// Makes the pixmap the layer again: the rows the last card drew on, or all of it.
    pub(super) fn reset(&mut self) {
        let row = self.pixmap.width() as usize * 4;
        let layer = self.layer.pixmap.data();
        match self.dirty.take() {
            Some(dirty) => {
                let rows = self.pixmap.data_mut().chunks_exact_mut(row);
                for ((to, from), _) in rows
                    .zip(layer.chunks_exact(row))
                    .zip(&dirty)
                    .filter(|(_, d)| **d)
                {
                    to.copy_from_slice(from);
                }
            }
            None => self.pixmap.data_mut().copy_from_slice(layer),
        }
    }

    /// The card drawn on the pixmap since [`Self::reset`], as a PNG; notes the rows it drew on.
    pub(super) fn png(&mut self) -> Result<Vec<u8>, png::EncodingError> {
        let Some((layer_indexer, layer_pixels)) = &self.layer.indexed else {
            return png(&self.pixmap);
        };
        let width = self.pixmap.width() as usize;
        let rows = self.pixmap.data().chunks_exact(width * 4);
        let layer_rows = self.layer.pixmap.data().chunks_exact(width * 4);
        let mut dirty = vec![false; self.pixmap.height() as usize];
        let mut indexer = Some(layer_indexer.clone());
        let mut pixels = Vec::with_capacity(layer_pixels.len());
        for (y, ((row, layer_row), layer_indices)) in rows
            .zip(layer_rows)
            .zip(layer_pixels.chunks_exact(width))
            .enumerate()
        {
            if row == layer_row {
                pixels.extend_from_slice(layer_indices);
                continue;
            }
            dirty[y] = true;
            // Past 256 colours the rows are still compared, for `reset`.
            if let Some(i) = &mut indexer
                && i.row(row, &mut pixels).is_none()
            {
                indexer = None;
            }
        }
        self.dirty = Some(dirty);
        match indexer {
            Some(indexer) => write(&self.pixmap, &pixels, Some(&indexer.palette())),
            None => rgba(&self.pixmap),
        }
    }
}

/// `pixmap` as an RGBA PNG. When every pixel is opaque (a card usually is) the premultiplied
/// bytes are the straight colours and are encoded as they are.
fn rgba(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    // Every pixel ANDed together as a little-endian word, its alpha the top byte (a loop the
    // compiler vectorizes: a check pixel by pixel cost half as much as the PNG encoding).
    let all = pixmap
        .data()
        .chunks_exact(4)
        .map(|p| u32::from_le_bytes([p[0], p[1], p[2], p[3]]))
        .fold(u32::MAX, |all, pixel| all & pixel);
    if all >> 24 == u32::from(u8::MAX) {
        return write(pixmap, pixmap.data(), None);
    }
    let demultiplied: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect();
    write(pixmap, &demultiplied, None)
}

/// The palette of an indexed PNG: its RGB triplets and, when a colour is not opaque, the alpha
/// of every entry (its `tRNS` chunk).
struct Palette {
    rgb: Vec<u8>,
    alpha: Option<Vec<u8>>,
}

/// Writes a PNG of `pixmap`'s size from `pixels`: straight RGBA, or indices into `palette`.
fn write(
    pixmap: &tiny_skia::Pixmap,
    pixels: &[u8],
    palette: Option<&Palette>,
) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
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

/// Up to 256 colours, each given the next index when first met.
#[derive(Clone, Debug)]
struct Indexer {
    /// Open addressing from colour to index + 1 (0: empty), a quarter full at most.
    slots: Box<[u16; Indexer::SLOTS]>,
    /// The colours in the order met, premultiplied, as little-endian words.
    colours: Vec<u32>,
}

impl Default for Indexer {
    fn default() -> Self {
        Self {
            slots: Box::new([0; Self::SLOTS]),
            colours: Vec::with_capacity(256),
        }
    }
}

impl Indexer {
    const SLOTS: usize = 1024;

    /// Appends the index of every pixel of `row` (RGBA) to `out`; `None` past 256 colours.
    /// Most pixels repeat their left neighbour: eight at a time are compared with it as four
    /// words, and only a pixel of another colour is looked up.
    fn row(&mut self, row: &[u8], out: &mut Vec<u8>) -> Option<()> {
        let first = row.first_chunk::<4>().copied().unwrap_or_default();
        let mut last = u32::from_le_bytes(first);
        let mut last_index = self.index(last)?;
        let mut run = u64::from(last) * 0x1_0000_0001;
        let mut eights = row.chunks_exact(32);
        for eight in &mut eights {
            let words = eight
                .chunks_exact(8)
                .map(|w| u64::from_le_bytes(w.try_into().unwrap_or_default()));
            if words.fold(0, |differ, w| differ | (w ^ run)) == 0 {
                out.extend_from_slice(&[last_index; 8]);
                continue;
            }
            let mut indices = [0; 8];
            for (o, p) in indices.iter_mut().zip(eight.chunks_exact(4)) {
                let colour = u32::from_le_bytes([p[0], p[1], p[2], p[3]]);
                if colour != last {
                    last_index = self.index(colour)?;
                    last = colour;
                }
                *o = last_index;
            }
            out.extend_from_slice(&indices);
            run = u64::from(last) * 0x1_0000_0001;
        }
        for p in eights.remainder().chunks_exact(4) {
            out.push(self.index(u32::from_le_bytes([p[0], p[1], p[2], p[3]]))?);
        }
        Some(())
    }

    /// The index of `colour`, added when new; `None` when it would be the 257th.
    fn index(&mut self, colour: u32) -> Option<u8> {
        let mut slot = (colour.wrapping_mul(0x9E37_79B1) >> 22) as usize;
        loop {
            match self.slots[slot] {
                0 => {
                    let index = u8::try_from(self.colours.len()).ok()?;
                    self.colours.push(colour);
                    self.slots[slot] = u16::from(index) + 1;
                    return Some(index);
                }
                taken if self.colours[usize::from(taken - 1)] == colour => {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `png` decoded again as straight RGBA, with the PNG's colour type.
    fn decoded(png: &[u8]) -> (Vec<u8>, png::ColorType) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
        let colour = decoder.read_header_info().unwrap().color_type;
        let rgba = image::load_from_memory(png).unwrap().to_rgba8().into_raw();
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

    /// A 37 × 23 pixmap (rows not a multiple of eight pixels) whose pixel `i` is `colour(i)`.
    fn pixmap_of(colour: impl Fn(u32) -> tiny_skia::ColorU8) -> tiny_skia::Pixmap {
        let mut pixmap = tiny_skia::Pixmap::new(37, 23).unwrap();
        for (i, p) in (0u32..).zip(pixmap.pixels_mut()) {
            *p = colour(i).premultiply();
        }
        pixmap
    }

    fn few(i: u32) -> tiny_skia::ColorU8 {
        // Runs of one colour, broken at every place in a group of eight.
        let shade = u8::try_from((i / 3 + i / 11) % 200).unwrap();
        tiny_skia::ColorU8::from_rgba(shade, 255 - shade, 40, 255)
    }

    fn many(alpha: u8) -> impl Fn(u32) -> tiny_skia::ColorU8 {
        move |i| {
            let [a, b, _, _] = i.to_le_bytes();
            tiny_skia::ColorU8::from_rgba(a, b, 7, alpha)
        }
    }

    #[test]
    fn a_card_of_few_colours_is_a_palette_png_of_the_same_pixels() {
        let pixmap = pixmap_of(few);
        let (rgba, colour) = decoded(&png(&pixmap).unwrap());
        assert_eq!(colour, png::ColorType::Indexed);
        assert_eq!(rgba, straight(&pixmap));
    }

    #[test]
    fn see_through_colours_keep_their_alpha_in_the_palette() {
        let pixmap = pixmap_of(|i| {
            let alpha = [0, 40, 128, 255][usize::try_from(i % 4).unwrap()];
            tiny_skia::ColorU8::from_rgba(200, 30, 60, alpha)
        });
        let (rgba, colour) = decoded(&png(&pixmap).unwrap());
        assert_eq!(colour, png::ColorType::Indexed);
        assert_eq!(rgba, straight(&pixmap));
    }

    #[test]
    fn a_card_of_many_colours_stays_rgba() {
        for alpha in [255, 128] {
            let pixmap = pixmap_of(many(alpha));
            let (rgba, colour) = decoded(&png(&pixmap).unwrap());
            assert_eq!(colour, png::ColorType::Rgba, "alpha {alpha}");
            assert_eq!(rgba, straight(&pixmap), "alpha {alpha}");
        }
    }

    /// Draws rows `rows` of `paint` over the canvas's layer.
    fn draw(canvas: &mut Canvas<'_>, rows: std::ops::Range<usize>, paint: &tiny_skia::Pixmap) {
        canvas.reset();
        let row = 37 * 4;
        let from = &paint.data()[rows.start * row..rows.end * row];
        canvas.pixmap.data_mut()[rows.start * row..rows.end * row].copy_from_slice(from);
    }

    #[test]
    fn cards_over_the_layer_have_their_own_pixels_and_the_layer_back_after_them() {
        let layer = Layer::new(pixmap_of(|i| few(i + 5)));
        let mut canvas = Canvas::new(&layer).unwrap();
        // A card that draws a few rows, a card of many colours (RGBA), one that draws other
        // rows, and one that draws nothing: each decodes to the layer with its rows.
        let cases = [
            (2..5, pixmap_of(few), png::ColorType::Indexed),
            (0..23, pixmap_of(many(255)), png::ColorType::Rgba),
            (20..23, pixmap_of(|i| few(i * 7)), png::ColorType::Indexed),
            (0..0, pixmap_of(few), png::ColorType::Indexed),
        ];
        for (rows, paint, kind) in cases {
            draw(&mut canvas, rows.clone(), &paint);
            let mut expected = layer.pixmap.clone();
            let row = 37 * 4;
            expected.data_mut()[rows.start * row..rows.end * row]
                .copy_from_slice(&paint.data()[rows.start * row..rows.end * row]);
            let (rgba, colour) = decoded(&canvas.png().unwrap());
            assert_eq!(colour, kind, "{rows:?}");
            assert_eq!(rgba, straight(&expected), "{rows:?}");
        }
    }
}
