//! Responsive images: resized variants of screenshots (lossless WebP, and a fallback in the
//! source's own format), masks burned into the pixels before resizing, content-hashed names,
//! and a cache keyed by content and settings so that a rebuild re-encodes nothing unchanged.
//! Variants of one picture are encoded in parallel; pictures are too (guides run in parallel).

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use image::{DynamicImage, ImageFormat, Rgba, imageops::FilterType};
use rayon::prelude::*;

use crate::figure::annotate::Rect;

/// The widths variants are made at (never wider than the picture).
pub const WIDTHS: [u32; 3] = [360, 720, 1080];
/// Bump when the encoding changes, so cached files are not reused.
const SETTINGS: &str = "v1 webp-lossless triangle 360/720/1080";

/// One published file of a picture.
#[derive(Clone, Debug)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// The file's name in the output (`<stem>-<hash>-<width>.webp`).
    pub name: String,
    /// Where it is in the cache.
    pub file: PathBuf,
}

/// A processed picture: its WebP variants, smallest first, and the fallback.
#[derive(Clone, Debug)]
pub struct Processed {
    pub width: u32,
    pub height: u32,
    pub webp: Vec<Variant>,
    pub fallback: Variant,
}

/// Encodes pictures into the cache and counts what it did.
#[derive(Debug)]
pub struct ImagePipeline {
    cache: PathBuf,
    /// The largest picture decoded, in pixels; the decoder's memory is bounded by it too.
    max_pixels: u64,
    encoded: AtomicUsize,
    reused: AtomicUsize,
}

impl ImagePipeline {
    /// A pipeline whose cache is `<root>/.tebiki-cache/images`, decoding pictures of at most
    /// `max_pixels` pixels.
    pub fn new(root: &Path, max_pixels: u64) -> Self {
        Self {
            cache: root.join(".tebiki-cache").join("images"),
            max_pixels,
            encoded: AtomicUsize::new(0),
            reused: AtomicUsize::new(0),
        }
    }

    /// Files encoded in this build.
    pub fn encoded(&self) -> usize {
        self.encoded.load(Ordering::Relaxed)
    }

    /// Files taken from the cache in this build.
    pub fn reused(&self) -> usize {
        self.reused.load(Ordering::Relaxed)
    }

    /// Makes (or finds in the cache) the variants of `file` with `masks` painted over.
    pub fn process(&self, file: &Path, masks: &[Rect]) -> Result<Processed, String> {
        let bytes = std::fs::read(file).map_err(|e| e.to_string())?;
        let format = image::guess_format(&bytes).map_err(|e| e.to_string())?;
        let (width, height) = imagesize::blob_size(&bytes)
            .map(|s| (dim(s.width), dim(s.height)))
            .map_err(|e| format!("{e:?}"))?;
        let key = cache_key(&bytes, masks);
        let stem: String = file
            .file_stem()
            .map_or_else(|| "image".into(), |s| s.to_string_lossy().into_owned());
        let fallback_ext = if format == ImageFormat::Jpeg {
            "jpg"
        } else {
            "png"
        };
        let plan: Vec<(u32, u32, String)> = widths(width)
            .into_iter()
            .map(|w| {
                (
                    w,
                    scaled_height(width, height, w),
                    format!("{stem}-{key}-{w}.webp"),
                )
            })
            .chain(std::iter::once((
                width.min(1080),
                scaled_height(width, height, width.min(1080)),
                format!("{stem}-{key}.{fallback_ext}"),
            )))
            .collect();
        let missing: Vec<&(u32, u32, String)> = plan
            .iter()
            .filter(|(_, _, name)| !self.cache.join(name).is_file())
            .collect();
        self.reused
            .fetch_add(plan.len() - missing.len(), Ordering::Relaxed);
        if !missing.is_empty() {
            let picture = self.decode(&bytes, width, height)?;
            let picture = if masks.is_empty() {
                picture
            } else {
                let mut rgba = picture.into_rgba8();
                burn(&mut rgba, masks);
                DynamicImage::ImageRgba8(rgba)
            };
            crate::fs::create_dir_all(&self.cache).map_err(|e| format!("{e:#}"))?;
            missing
                .par_iter()
                .try_for_each(|(w, h, name)| self.encode(&picture, *w, *h, name))?;
            self.encoded.fetch_add(missing.len(), Ordering::Relaxed);
        }
        let mut variants: Vec<Variant> = plan
            .into_iter()
            .map(|(width, height, name)| Variant {
                width,
                height,
                file: self.cache.join(&name),
                name,
            })
            .collect();
        let Some(fallback) = variants.pop() else {
            return Err("nothing to encode".into());
        };
        Ok(Processed {
            width,
            height,
            webp: variants,
            fallback,
        })
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

    fn encode(
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
        // Write then rename, so a half-written file is never taken for a cached one.
        let tmp = self
            .cache
            .join(format!(".{name}.{}.tmp", std::process::id()));
        crate::fs::write(&tmp, bytes.into_inner()).map_err(|e| format!("{e:#}"))?;
        crate::fs::rename(&tmp, &self.cache.join(name)).map_err(|e| format!("{e:#}"))
    }
}

fn dim(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// The variant widths of a picture `width` pixels wide: the standard ones below it, and the
/// picture's own width (up to 1080) — never upscaled.
pub fn widths(width: u32) -> Vec<u32> {
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
pub fn burn(picture: &mut image::RgbaImage, masks: &[Rect]) {
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

/// FNV-1a over the picture's bytes, the masks and the settings: 16 hex digits, stable across
/// builds and machines.
fn cache_key(bytes: &[u8], masks: &[Rect]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |data: &[u8]| {
        for b in data {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(bytes);
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
        let a = cache_key(b"abc", &[]);
        assert_eq!(a, cache_key(b"abc", &[]));
        assert_ne!(a, cache_key(b"abd", &[]));
        assert_ne!(
            a,
            cache_key(
                b"abc",
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
