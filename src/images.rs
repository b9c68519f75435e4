//! Responsive images: resized variants of screenshots (lossless WebP, and a fallback in the
//! source's own format), masks burned into the pixels before resizing, content-hashed names,
//! and a cache keyed by content and settings so that a rebuild re-encodes nothing unchanged.
//! Variants of one picture are encoded in parallel; pictures are too (guides run in parallel).

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use image::{DynamicImage, ImageFormat, Rgba, imageops::FilterType};
use rayon::prelude::*;

use crate::figure::PictureFile;
use crate::figure::annotate::Rect;

/// The widths variants are made at (never wider than the picture).
pub(crate) const WIDTHS: [u32; 3] = [360, 720, 1080];
/// Bump when the encoding changes, so cached files are not reused.
const SETTINGS: &str = "v2 webp-lossless triangle 360/720/1080";

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
/// anything is encoded: its WebP variants (smallest first) and the fallback, with their names in
/// the cache. Render makes plans; the pictures stage ([`ImagePipeline::encode`]) makes the files.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    /// The screenshot as the author wrote it (`src`), for messages.
    pub src: String,
    pub source: PathBuf,
    pub masks: Vec<Rect>,
    pub width: u32,
    pub height: u32,
    pub webp: Vec<Variant>,
    pub fallback: Variant,
}

impl Plan {
    fn variants(&self) -> impl Iterator<Item = &Variant> {
        self.webp.iter().chain(std::iter::once(&self.fallback))
    }
}

/// A picture that could not be encoded: the plan's source and what went wrong.
#[derive(Clone, Debug)]
pub(crate) struct EncodeError {
    pub src: String,
    pub source: PathBuf,
    pub message: String,
}

/// Encodes pictures into the cache and counts what it did.
#[derive(Debug)]
pub(crate) struct ImagePipeline {
    cache: PathBuf,
    /// The largest picture decoded, in pixels; the decoder's memory is bounded by it too.
    max_pixels: u64,
    encoded: AtomicUsize,
    reused: AtomicUsize,
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
        }
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
    /// its content hash, masks and the settings.
    pub(crate) fn plan(&self, src: &str, picture: &PictureFile, masks: &[Rect]) -> Plan {
        let (width, height) = (picture.width, picture.height);
        let key = cache_key(picture.hash, masks);
        let stem: String = picture
            .path
            .file_stem()
            .map_or_else(|| "image".into(), |s| s.to_string_lossy().into_owned());
        let fallback_ext = if picture.jpeg { "jpg" } else { "png" };
        let variant = |w: u32, name: String| Variant {
            width: w,
            height: scaled_height(width, height, w),
            file: self.cache.join(&name),
            name,
        };
        let webp = widths(width)
            .into_iter()
            .map(|w| variant(w, format!("{stem}-{key}-{w}.webp")))
            .collect();
        Plan {
            src: src.to_owned(),
            source: picture.path.clone(),
            masks: masks.to_vec(),
            width,
            height,
            webp,
            fallback: variant(width.min(1080), format!("{stem}-{key}.{fallback_ext}")),
        }
    }

    /// The pictures stage: makes every file of `plans` that the cache does not hold yet (each
    /// picture decoded once, its variants encoded in parallel). Returns what failed.
    pub(crate) fn encode(&self, plans: &[&Plan]) -> Vec<EncodeError> {
        let mut seen = std::collections::HashSet::new();
        let unique: Vec<&Plan> = plans
            .iter()
            .copied()
            .filter(|p| seen.insert(p.fallback.name.clone()))
            .collect();
        unique
            .par_iter()
            .filter_map(|plan| {
                self.encode_one(plan).err().map(|message| EncodeError {
                    src: plan.src.clone(),
                    source: plan.source.clone(),
                    message,
                })
            })
            .collect()
    }

    fn encode_one(&self, plan: &Plan) -> Result<(), String> {
        let missing: Vec<&Variant> = plan.variants().filter(|v| !v.file.is_file()).collect();
        let total = plan.webp.len() + 1;
        self.reused
            .fetch_add(total - missing.len(), Ordering::Relaxed);
        if missing.is_empty() {
            return Ok(());
        }
        let bytes = std::fs::read(&plan.source).map_err(|e| e.to_string())?;
        let picture = self.decode(&bytes, plan.width, plan.height)?;
        let picture = if plan.masks.is_empty() {
            picture
        } else {
            let mut rgba = picture.into_rgba8();
            burn(&mut rgba, &plan.masks);
            DynamicImage::ImageRgba8(rgba)
        };
        crate::fs::create_dir_all(&self.cache).map_err(|e| format!("{e:#}"))?;
        missing
            .par_iter()
            .try_for_each(|v| self.encode_variant(&picture, v.width, v.height, &v.name))?;
        self.encoded.fetch_add(missing.len(), Ordering::Relaxed);
        Ok(())
    }

    /// Decodes a picture whose header says `width`×`height`, refusing it before decoding when it
    /// is over the pixel budget, and with the decoder's allocations bounded by the budget.
    fn decode(&self, bytes: &[u8], width: u32, height: u32) -> Result<DynamicImage, String> {
        let pixels = u64::from(width) * u64::from(height);
        if pixels > self.max_pixels {
            return Err(format!(
                "{width}×{height} pixels is more than the {} megapixels tebiki decodes",
                self.max_pixels / 1_000_000
            ));
        }
        let mut reader = image::ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| e.to_string())?;
        let mut limits = image::Limits::default();
        let side = u32::try_from(self.max_pixels).unwrap_or(u32::MAX);
        limits.max_image_width = Some(side);
        limits.max_image_height = Some(side);
        // Eight bytes a pixel: RGBA at 16 bits, the widest layout a screenshot decodes to.
        limits.max_alloc = Some(self.max_pixels.saturating_mul(8));
        reader.limits(limits);
        reader.decode().map_err(|e| e.to_string())
    }

    fn encode_variant(
        &self,
        picture: &DynamicImage,
        width: u32,
        height: u32,
        name: &str,
    ) -> Result<(), String> {
        let resized = if width == picture.width() {
            picture.clone()
        } else {
            picture.resize_exact(width, height, FilterType::Triangle)
        };
        let format = match Path::new(name).extension().and_then(|e| e.to_str()) {
            Some("webp") => ImageFormat::WebP,
            Some("jpg") => ImageFormat::Jpeg,
            _ => ImageFormat::Png,
        };
        let resized = if format == ImageFormat::Jpeg {
            DynamicImage::ImageRgb8(resized.to_rgb8())
        } else {
            resized
        };
        let mut bytes = Cursor::new(Vec::new());
        resized
            .write_to(&mut bytes, format)
            .map_err(|e| e.to_string())?;
        crate::fs::write_atomic(&self.cache.join(name), bytes.into_inner())
            .map_err(|e| format!("{e:#}"))
    }
}

/// The variant widths of a picture `width` pixels wide: the standard ones below it, and the
/// picture's own width (up to 1080) — never upscaled.
pub(crate) fn widths(width: u32) -> Vec<u32> {
    let mut out: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w < width).collect();
    let top = width.min(*WIDTHS.last().unwrap_or(&width));
    if !out.contains(&top) {
        out.push(top);
    }
    out
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

/// FNV-1a over the picture's content hash, the masks and the settings: 16 hex digits, stable
/// across builds and machines.
fn cache_key(content: u64, masks: &[Rect]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |data: &[u8]| {
        for b in data {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(&content.to_le_bytes());
    feed(SETTINGS.as_bytes());
    for m in masks {
        for v in [m.x, m.y, m.w, m.h] {
            feed(&v.to_bits().to_le_bytes());
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale() {
        assert_eq!(widths(1170), [360, 720, 1080]);
        assert_eq!(widths(800), [360, 720, 800]);
        assert_eq!(widths(300), [300]);
        assert_eq!(widths(360), [360]);
    }

    #[test]
    fn key_changes_with_content_and_masks() {
        let a = cache_key(content_hash(b"abc"), &[]);
        assert_eq!(a, cache_key(content_hash(b"abc"), &[]));
        assert_ne!(a, cache_key(content_hash(b"abd"), &[]));
        assert_ne!(
            a,
            cache_key(
                content_hash(b"abc"),
                &[Rect {
                    x: 1.0,
                    y: 1.0,
                    w: 1.0,
                    h: 1.0
                }]
            )
        );
    }
}
