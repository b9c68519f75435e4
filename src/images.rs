//! Responsive images: resized variants of screenshots in WebP (lossy by default, lossless when
//! asked), masks burned into the pixels before resizing, an annotated copy with the overlay drawn
//! in (for the no-JS link, the JSON-LD and the zoom of a page without its SVG), content-hashed
//! names, and a cache keyed by content and settings so that a rebuild re-encodes nothing
//! unchanged. Pictures are encoded in parallel, and so are the variants of one picture.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use image::{DynamicImage, Rgba, RgbaImage, imageops::FilterType};
use rayon::prelude::*;
use resvg::{tiny_skia, usvg};

use crate::figure::PictureFile;
use crate::figure::annotate::Rect;

/// The widths variants are made at (never wider than the picture).
pub(crate) const WIDTHS: [u32; 3] = [360, 720, 1080];
/// Bump when the encoding changes, so cached files are not reused.
const SETTINGS: &str = "v3 libwebp m4 triangle 360/720/1080";
/// Bump when the annotated copies are drawn otherwise (their names hold it).
const OVERLAY_DRAWING: &str = "texts in an installed sans-serif";
/// The tallest picture a WebP file holds.
const WEBP_MAX_SIDE: u32 = 16_383;

/// How a screenshot's WebP files are encoded: lossy at `quality` (0–100), or lossless.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Encoding {
    pub quality: u8,
    pub lossless: bool,
}

impl Encoding {
    fn describe(self) -> String {
        if self.lossless {
            "lossless".to_owned()
        } else {
            format!("q{}", self.quality)
        }
    }
}

/// One published file of a picture.
#[derive(Clone, Debug)]
pub(crate) struct Variant {
    pub width: u32,
    pub height: u32,
    /// The file's name in the output (`<stem>-<hash>-<width>.webp`).
    pub name: String,
    /// Where it is in the cache.
    pub file: PathBuf,
}

/// What one screenshot is published as, known from its header and content hash before
/// anything is encoded: its WebP variants (smallest first) and, when it has visible
/// annotations, a copy at the largest width with them drawn in, all with their names in the
/// cache. Render makes plans; the pictures stage ([`ImagePipeline::encode`]) makes the files.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    /// The screenshot as the author wrote it (`src`), for messages.
    pub src: String,
    pub source: PathBuf,
    pub masks: Vec<Rect>,
    pub width: u32,
    pub height: u32,
    pub encoding: Encoding,
    /// The WebP variants narrower than `top`, smallest first.
    pub smaller: Vec<Variant>,
    /// The widest WebP variant (the picture's own width, at most 1080).
    pub top: Variant,
    /// The SVG of the visible annotations (viewBox = the picture's pixels); empty when none.
    pub overlay: String,
    /// The largest variant with `overlay` drawn in (`None` without an overlay).
    pub annotated: Option<Variant>,
}

impl Plan {
    /// The plain WebP variants, smallest first.
    pub(crate) fn webp(&self) -> impl DoubleEndedIterator<Item = &Variant> {
        self.smaller.iter().chain(std::iter::once(&self.top))
    }

    fn variants(&self) -> impl Iterator<Item = &Variant> {
        self.webp().chain(self.annotated.as_ref())
    }

    /// The file that stands for the picture where no overlay can be drawn over it (the link of
    /// a page without JavaScript, the JSON-LD, print previews of the bare file): the annotated
    /// copy, or the largest variant when there is nothing to draw.
    pub(crate) fn full(&self) -> &Variant {
        self.annotated.as_ref().unwrap_or(&self.top)
    }

    /// The `src` of the page's `<img>`: the 720 px variant (or the largest below it).
    pub(crate) fn default_img(&self) -> &Variant {
        self.webp()
            .rev()
            .find(|v| v.width <= 720)
            .unwrap_or(&self.top)
    }
}

/// A picture that could not be encoded: the plan's source and what went wrong.
#[derive(Clone, Debug)]
pub(crate) struct EncodeError {
    pub src: String,
    pub source: PathBuf,
    pub message: String,
}

/// The fonts an overlay's labels are drawn with, loaded only when one is drawn.
pub(crate) type Fonts<'a> = &'a (dyn Fn() -> Arc<usvg::fontdb::Database> + Sync);

/// Encodes pictures into the cache and counts what it did.
#[derive(Debug)]
pub(crate) struct ImagePipeline {
    cache: PathBuf,
    /// The largest picture decoded, in pixels; the decoder's memory is bounded by it too.
    max_pixels: u64,
    encoded: AtomicUsize,
    reused: AtomicUsize,
    /// The files counted so far, encoded or taken from the cache: a file another guide of the
    /// same build shows too is counted once, as the first guide found it.
    counted: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl ImagePipeline {
    /// A pipeline whose cache is `<root>/.tebiki-cache/images`, decoding pictures of at most
    /// `max_pixels` pixels.
    pub(crate) fn new(root: &Path, max_pixels: u64) -> Self {
        Self {
            cache: root.join(".tebiki-cache").join("images"),
            max_pixels,
            encoded: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
            counted: std::sync::Mutex::default(),
        }
    }

    /// The site's `.tebiki-cache/` (this pipeline keeps `images/` in it).
    pub(crate) fn cache_root(&self) -> &Path {
        self.cache.parent().unwrap_or(&self.cache)
    }

    /// Files encoded in this build.
    pub(crate) fn encoded(&self) -> usize {
        self.encoded.load(Ordering::Relaxed)
    }

    /// Files taken from the cache in this build.
    pub(crate) fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    /// The files a screenshot will be published as (nothing is read or written): names from
    /// its content hash, masks, encoding and the settings; the annotated copy's also from the
    /// overlay, so that editing an annotation re-encodes that copy only.
    pub(crate) fn plan(&self, request: PlanRequest<'_>) -> Plan {
        let PlanRequest {
            src,
            picture,
            masks,
            overlay,
            encoding,
        } = request;
        let (width, height) = (picture.width, picture.height);
        let key = cache_key(picture.hash, masks, encoding);
        let stem: String = picture
            .path
            .file_stem()
            .map_or_else(|| "image".into(), |s| s.to_string_lossy().into_owned());
        let variant = |w: u32, name: String| Variant {
            width: w,
            height: scaled_height(width, height, w),
            file: self.cache.join(&name),
            name,
        };
        let top_width = top_width(width);
        let smaller: Vec<Variant> = WIDTHS
            .iter()
            .filter(|w| **w < top_width)
            .map(|&w| variant(w, format!("{stem}-{key}-{w}.webp")))
            .collect();
        let top = variant(top_width, format!("{stem}-{key}-{top_width}.webp"));
        let annotated = (!overlay.is_empty()).then(|| {
            let marked = content_hash(format!("{key}{OVERLAY_DRAWING}{overlay}").as_bytes());
            variant(
                top_width,
                format!("{stem}-{marked:016x}-{top_width}-annotated.webp"),
            )
        });
        Plan {
            src: src.to_owned(),
            source: picture.path.clone(),
            masks: masks.to_vec(),
            width,
            height,
            encoding,
            smaller,
            top,
            overlay: overlay.to_owned(),
            annotated,
        }
    }

    /// The pictures stage: makes every file of `plans` that the cache does not hold yet (each
    /// picture decoded once, its variants encoded in parallel). Returns what failed.
    pub(crate) fn encode(&self, plans: &[&Plan], fonts: Fonts<'_>) -> Vec<EncodeError> {
        let mut seen = std::collections::HashSet::new();
        let unique: Vec<&Plan> = plans
            .iter()
            .copied()
            .filter(|p| seen.insert(p.full().name.clone()))
            .collect();
        unique
            .par_iter()
            .filter_map(|plan| {
                self.encode_one(plan, fonts)
                    .err()
                    .map(|message| EncodeError {
                        src: plan.src.clone(),
                        source: plan.source.clone(),
                        message,
                    })
            })
            .collect()
    }

    fn encode_one(&self, plan: &Plan, fonts: Fonts<'_>) -> Result<(), String> {
        let missing: Vec<&Variant> = plan.variants().filter(|v| !v.file.is_file()).collect();
        {
            let mut counted = self
                .counted
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let found = plan
                .variants()
                .filter(|v| !missing.iter().any(|m| m.file == v.file));
            let reused = found.filter(|v| counted.insert(v.file.clone())).count();
            self.reused.fetch_add(reused, Ordering::Relaxed);
            counted.extend(missing.iter().map(|v| v.file.clone()));
        }
        if missing.is_empty() {
            return Ok(());
        }
        let picture = self.masked(plan)?;
        crate::fs::create_cache_dir(&self.cache).map_err(|e| format!("{e:#}"))?;
        // One resize per size: the annotated copy is drawn on the largest variant's pixels.
        let mut sizes: Vec<(u32, u32)> = missing.iter().map(|v| (v.width, v.height)).collect();
        sizes.sort_unstable();
        sizes.dedup();
        sizes.par_iter().try_for_each(|&(width, height)| {
            let resized = resize(&picture, width, height);
            let of_size = missing
                .iter()
                .filter(|v| (v.width, v.height) == (width, height));
            of_size.par_bridge().try_for_each(|v| {
                let bytes =
                    if Some(v.name.as_str()) == plan.annotated.as_ref().map(|a| a.name.as_str()) {
                        let drawn = draw_overlay(resized.to_rgba8(), &plan.overlay, &fonts())?;
                        webp_bytes(
                            &DynamicImage::ImageRgba8(drawn),
                            plan.encoding,
                            Effort::Fast,
                        )?
                    } else {
                        webp_bytes(&resized, plan.encoding, Effort::Balanced)?
                    };
                crate::fs::write_atomic(&v.file, bytes).map_err(|e| format!("{e:#}"))
            })
        })?;
        self.encoded.fetch_add(missing.len(), Ordering::Relaxed);
        Ok(())
    }

    /// The screenshot of `plan` decoded, with its masks burned in, at its own size.
    fn masked(&self, plan: &Plan) -> Result<DynamicImage, String> {
        let bytes = crate::fs::read_limited(&plan.source, picture_limit(self.max_pixels))
            .map_err(|e| e.to_string())?;
        let picture = decode(&bytes, plan.width, plan.height, self.max_pixels)?;
        Ok(if plan.masks.is_empty() {
            picture
        } else {
            let mut rgba = picture.into_rgba8();
            burn(&mut rgba, &plan.masks);
            DynamicImage::ImageRgba8(rgba)
        })
    }

    /// The screenshot of `plan` as a blog post shows it: masks burned in, at the largest
    /// variant's width, with the overlay drawn in.
    pub(crate) fn annotated_pixels(
        &self,
        plan: &Plan,
        fonts: &Arc<usvg::fontdb::Database>,
    ) -> Result<RgbaImage, String> {
        let top = &plan.top;
        let picture = resize(&self.masked(plan)?, top.width, top.height).into_rgba8();
        if plan.overlay.is_empty() {
            Ok(picture)
        } else {
            draw_overlay(picture, &plan.overlay, fonts)
        }
    }
}

/// What [`ImagePipeline::plan`] needs to know of one screenshot.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PlanRequest<'a> {
    pub src: &'a str,
    pub picture: &'a PictureFile,
    pub masks: &'a [Rect],
    pub overlay: &'a str,
    pub encoding: Encoding,
}

/// Decodes a picture whose header says `width`×`height`, refusing it before decoding when it
/// is over `max_pixels`, and with the decoder's allocations bounded by the budget.
fn decode(bytes: &[u8], width: u32, height: u32, max_pixels: u64) -> Result<DynamicImage, String> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > max_pixels {
        return Err(format!(
            "{width}×{height} pixels is more than the {} megapixels tebiki decodes",
            max_pixels / 1_000_000
        ));
    }
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = image::Limits::default();
    let side = u32::try_from(max_pixels).unwrap_or(u32::MAX);
    limits.max_image_width = Some(side);
    limits.max_image_height = Some(side);
    // Eight bytes a pixel: RGBA at 16 bits, the widest layout a screenshot decodes to.
    limits.max_alloc = Some(max_pixels.saturating_mul(8));
    reader.limits(limits);
    reader.decode().map_err(|e| e.to_string())
}

/// `picture` at `width`×`height` (itself when that is its size), in 8-bit RGB or RGBA.
fn resize(picture: &DynamicImage, width: u32, height: u32) -> DynamicImage {
    let resized = if width == picture.width() && height == picture.height() {
        picture.clone()
    } else {
        picture.resize_exact(width, height, FilterType::Triangle)
    };
    if resized.color().has_alpha() {
        DynamicImage::ImageRgba8(resized.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(resized.into_rgb8())
    }
}

/// Whether every pixel of `picture` is fully opaque.
fn is_opaque(picture: &DynamicImage) -> bool {
    match picture {
        DynamicImage::ImageRgba8(rgba) => rgba.pixels().all(|p| p[3] == u8::MAX),
        DynamicImage::ImageLumaA8(la) => la.pixels().all(|p| p[1] == u8::MAX),
        other => !other.color().has_alpha(),
    }
}

/// How hard libwebp works at making a file small.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Effort {
    /// Method 4, libwebp's default balance: the variants a page shows (what readers download).
    Balanced,
    /// Method 0: the annotated copy, opened only from a page without JavaScript, by the JSON-LD
    /// or a print preview (never while a reader scrolls): about 1.5× the bytes, in a fraction
    /// of the time (35 phone screenshots: cold build 12.5 s instead of 14.4 s).
    Fast,
}

/// `picture` in WebP with libwebp.
fn webp_bytes(
    picture: &DynamicImage,
    encoding: Encoding,
    effort: Effort,
) -> Result<Vec<u8>, String> {
    let (width, height) = (picture.width(), picture.height());
    if width == 0 || height == 0 || width > WEBP_MAX_SIDE || height > WEBP_MAX_SIDE {
        return Err(format!(
            "{width}×{height} pixels at this width: a WebP holds at most {WEBP_MAX_SIDE} pixels a side (split a very long screenshot into several)"
        ));
    }
    let mut config = webp::WebPConfig::new().map_err(|()| "libwebp could not start".to_owned())?;
    config.method = match effort {
        Effort::Balanced => 4,
        Effort::Fast => 0,
    };
    if encoding.lossless {
        config.lossless = 1;
        config.quality = 75.0;
    } else {
        config.quality = f32::from(encoding.quality.min(100));
    }
    // An opaque picture goes in without an alpha channel: libwebp would encode a plane of 255s
    // (a masked or annotated screenshot is RGBA in memory), which costs time and bytes.
    let memory = match picture {
        DynamicImage::ImageRgb8(rgb) => {
            webp::Encoder::from_rgb(rgb.as_raw(), width, height).encode_advanced(&config)
        }
        other if !other.color().has_alpha() || is_opaque(other) => {
            let rgb = other.to_rgb8();
            webp::Encoder::from_rgb(rgb.as_raw(), width, height).encode_advanced(&config)
        }
        DynamicImage::ImageRgba8(rgba) => {
            webp::Encoder::from_rgba(rgba.as_raw(), width, height).encode_advanced(&config)
        }
        other => {
            let rgba = other.to_rgba8();
            webp::Encoder::from_rgba(rgba.as_raw(), width, height).encode_advanced(&config)
        }
    }
    .map_err(|e| format!("libwebp could not encode it ({e:?})"))?;
    Ok(memory.to_vec())
}

/// Draws the overlay SVG `overlay` (viewBox = the picture's own pixels) over `picture`,
/// scaled to its size.
pub(crate) fn draw_overlay(
    picture: RgbaImage,
    overlay: &str,
    fonts: &Arc<usvg::fontdb::Database>,
) -> Result<RgbaImage, String> {
    let options = usvg::Options {
        fontdb: Arc::clone(fonts),
        font_family: overlay_family(fonts),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(overlay, &options).map_err(|e| e.to_string())?;
    let (w, h) = picture.dimensions();
    let size = tiny_skia::IntSize::from_wh(w, h).ok_or("an empty picture")?;
    let mut data = picture.into_raw();
    // tiny-skia holds premultiplied colours.
    for px in data.chunks_exact_mut(4) {
        let a = u16::from(px[3]);
        for c in &mut px[..3] {
            *c = u8::try_from(u16::from(*c) * a / 255).unwrap_or(u8::MAX);
        }
    }
    let mut pixmap = tiny_skia::Pixmap::from_vec(data, size).ok_or("a picture of no size")?;
    let view = tree.size();
    #[allow(
        clippy::cast_precision_loss,
        reason = "picture sizes are far below 2^24"
    )]
    let transform =
        tiny_skia::Transform::from_scale(w as f32 / view.width(), h as f32 / view.height());
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    let mut out = RgbaImage::new(w, h);
    for (to, from) in out.pixels_mut().zip(pixmap.pixels()) {
        let c = from.demultiply();
        *to = Rgba([c.red(), c.green(), c.blue(), c.alpha()]);
    }
    Ok(out)
}

/// The family an overlay's texts (a badge's number, a label) are drawn in: the overlay names
/// none (the page's style sets it), and usvg's default, Times New Roman, is seldom installed
/// where tebiki runs, which leaves them out of the annotated copy. The first of the usual
/// sans-serif families the machine has, else any.
fn overlay_family(fonts: &usvg::fontdb::Database) -> String {
    const FAMILIES: [&str; 8] = [
        "Noto Sans CJK JP",
        "Noto Sans JP",
        "Hiragino Sans",
        "Yu Gothic",
        "Meiryo",
        "Noto Sans",
        "DejaVu Sans",
        "Arial",
    ];
    let has = |name: &str| {
        fonts
            .faces()
            .any(|f| f.families.iter().any(|(n, _)| n == name))
    };
    FAMILIES
        .iter()
        .find(|name| has(name))
        .map(|name| (*name).to_owned())
        .or_else(|| {
            fonts
                .faces()
                .find_map(|f| f.families.first().map(|(n, _)| n.clone()))
        })
        .unwrap_or_else(|| usvg::Options::default().font_family)
}

/// The widest variant of a picture `width` pixels wide: its own width, at most 1080 (never
/// upscaled); the standard widths below it are made too.
fn top_width(width: u32) -> u32 {
    width.min(WIDTHS[WIDTHS.len() - 1])
}

fn scaled_height(width: u32, height: u32, to: u32) -> u32 {
    let h = u64::from(height) * u64::from(to) / u64::from(width.max(1));
    u32::try_from(h.max(1)).unwrap_or(u32::MAX)
}

/// Paints `masks` grey: the hidden data is gone from every variant.
pub(crate) fn burn(picture: &mut image::RgbaImage, masks: &[Rect]) {
    let (w, h) = picture.dimensions();
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "clamped to the picture"
    )]
    let clamp = |v: f64, max: u32| (v.max(0.0).round() as u32).min(max);
    for r in masks {
        for y in clamp(r.y, h)..clamp(r.y + r.h, h) {
            for x in clamp(r.x, w)..clamp(r.x + r.w, w) {
                picture.put_pixel(x, y, Rgba([154, 160, 166, 255]));
            }
        }
    }
}

/// FNV-1a over a picture's bytes, fed in pieces: 64 bits, stable across builds and machines
/// (the load stage computes it when it finds the screenshot).
#[derive(Debug)]
pub(crate) struct ContentHash(u64);

impl Default for ContentHash {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl ContentHash {
    pub(crate) fn feed(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}

/// The content hash of `bytes` (what names cached files).
pub(crate) fn content_hash(bytes: &[u8]) -> u64 {
    let mut hash = ContentHash::default();
    hash.feed(bytes);
    hash.finish()
}

/// FNV-1a over the picture's content hash, the masks, the encoding and the settings: 16 hex digits, stable
/// across builds and machines.
fn cache_key(content: u64, masks: &[Rect], encoding: Encoding) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |data: &[u8]| {
        for b in data {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(&content.to_le_bytes());
    feed(SETTINGS.as_bytes());
    feed(encoding.describe().as_bytes());
    for m in masks {
        for v in [m.x, m.y, m.w, m.h] {
            feed(&v.to_bits().to_le_bytes());
        }
    }
    format!("{hash:016x}")
}

/// The screenshot `picture` in grayscale at its own size (for anchors), within the pixel budget.
pub(crate) fn gray(
    picture: &crate::figure::PictureFile,
    max_pixels: u64,
) -> Result<image::GrayImage, String> {
    let bytes = crate::fs::read_limited(&picture.path, picture_limit(max_pixels))
        .map_err(|e| format!("could not read {}: {e}", picture.path.display()))?;
    Ok(decode(&bytes, picture.width, picture.height, max_pixels)?.into_luma8())
}

/// The largest picture file read, in bytes: the raw size of the largest picture the pixel
/// budget allows (4 bytes a pixel), and room for metadata.
pub(crate) fn picture_limit(max_pixels: u64) -> u64 {
    max_pixels
        .saturating_mul(4)
        .saturating_add(16 * 1024 * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_of(width: u32, overlay: &str, encoding: Encoding) -> Plan {
        let picture = PictureFile {
            path: PathBuf::from("shot.png"),
            width,
            height: width * 2,
            hash: 7,
        };
        ImagePipeline::new(Path::new("/site"), 1).plan(PlanRequest {
            src: "shot.png",
            picture: &picture,
            masks: &[],
            overlay,
            encoding,
        })
    }

    const Q50: Encoding = Encoding {
        quality: 50,
        lossless: false,
    };

    #[test]
    fn widths_never_upscale() {
        let widths = |w| {
            plan_of(w, "", Q50)
                .webp()
                .map(|v| v.width)
                .collect::<Vec<_>>()
        };
        assert_eq!(widths(1170), [360, 720, 1080]);
        assert_eq!(widths(800), [360, 720, 800]);
        assert_eq!(widths(300), [300]);
        assert_eq!(widths(360), [360]);
    }

    #[test]
    fn the_annotated_copy_changes_with_the_overlay_only() {
        let plain = plan_of(1170, "", Q50);
        assert!(plain.annotated.is_none());
        assert_eq!(plain.full().name, plain.top.name);
        assert_eq!(plain.default_img().width, 720);
        let a = plan_of(1170, "<svg/>", Q50);
        let b = plan_of(1170, "<svg><circle/></svg>", Q50);
        assert_eq!(a.top.name, plain.top.name, "the plain variants stay");
        let (a, b) = (a.full(), b.full());
        assert_eq!(a.width, 1080);
        assert_ne!(a.name, b.name);
        let lossless = plan_of(
            1170,
            "",
            Encoding {
                quality: 50,
                lossless: true,
            },
        );
        assert_ne!(
            lossless.top.name, plain.top.name,
            "the encoding names the files"
        );
    }

    #[test]
    fn key_changes_with_content_and_masks() {
        let a = cache_key(content_hash(b"abc"), &[], Q50);
        assert_eq!(a, cache_key(content_hash(b"abc"), &[], Q50));
        assert_ne!(a, cache_key(content_hash(b"abd"), &[], Q50));
        assert_ne!(
            a,
            cache_key(
                content_hash(b"abc"),
                &[Rect {
                    x: 1.0,
                    y: 1.0,
                    w: 1.0,
                    h: 1.0
                }],
                Q50
            )
        );
    }
}
