//! The pictures of a blog post, drawn once: mock-ups rasterized from their SVG (WordPress
//! refuses SVG uploads), screenshots with their annotations drawn into the pixels (a blog has no
//! overlay), and the site's own files the post shows (a balloon's avatar: an SVG one
//! rasterized at 2×) and the share card. Each is named by the SHA-256 of its bytes.

use std::sync::Arc;

use anyhow::{Context as _, Result, anyhow};
use resvg::{tiny_skia, usvg};
use sha2::{Digest as _, Sha256};

use crate::images::ImagePipeline;
use crate::render::post::{PostPicture, PostSource};

/// How many device pixels a mock-up's CSS pixel becomes (crisp on a phone).
const MOCKUP_SCALE: f32 = 2.0;

/// A picture ready to upload.
#[derive(Debug)]
pub(crate) struct Drawn {
    /// The `src` the post's markup gives it.
    pub src: String,
    pub alt: String,
    /// The file name to upload it as.
    pub name: String,
    pub bytes: Vec<u8>,
    /// Its media type (`image/png`, …).
    pub mime: &'static str,
    /// SHA-256 of `bytes`, hex.
    pub hash: String,
}

/// Draws `picture` of guide `slug` with `fonts` (screenshots through the site's `images`).
pub(crate) fn draw(
    slug: &str,
    picture: &PostPicture,
    fonts: &Arc<usvg::fontdb::Database>,
    images: &ImagePipeline,
) -> Result<Drawn> {
    let options = usvg::Options {
        fontdb: Arc::clone(fonts),
        ..usvg::Options::default()
    };
    let png = match &picture.source {
        PostSource::Svg(svg) => mockup(svg, &options),
        PostSource::Screenshot(plan) => images
            .annotated_pixels(plan, fonts)
            .map_err(|e| anyhow!("{e}"))
            .and_then(|pixels| png(&pixels)),
    }
    .with_context(|| crate::i18n::msg!("publish-draw-picture", src = &picture.src))?;
    Ok(named(slug, &picture.src, &picture.alt, png, "image/png"))
}

/// A file of the site that a post shows (`src` as the post's markup names it), ready to
/// upload: an SVG rasterized at 2× (WordPress refuses SVG), PNG, JPEG, GIF or WebP as it is.
pub(crate) fn site_file(
    slug: &str,
    src: &str,
    bytes: Vec<u8>,
    fonts: &Arc<usvg::fontdb::Database>,
) -> Result<Drawn> {
    let kind = std::path::Path::new(src)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let (bytes, mime) = match kind.as_deref() {
        Some("svg") => {
            let options = usvg::Options {
                fontdb: Arc::clone(fonts),
                ..usvg::Options::default()
            };
            let svg = String::from_utf8(bytes).map_err(|_| {
                anyhow::Error::new(crate::i18n::msg!("publish-svg-not-utf8", src = src))
            })?;
            (mockup(&svg, &options)?, "image/png")
        }
        Some("png") => (bytes, "image/png"),
        Some("jpg" | "jpeg") => (bytes, "image/jpeg"),
        Some("gif") => (bytes, "image/gif"),
        Some("webp") => (bytes, "image/webp"),
        _ => {
            return Err(anyhow::Error::new(crate::i18n::msg!(
                "publish-not-a-picture",
                src = src
            )));
        }
    };
    Ok(named(slug, src, "", bytes, mime))
}

/// `bytes` (of `mime` type) named after `src` and their hash.
pub(crate) fn named(slug: &str, src: &str, alt: &str, bytes: Vec<u8>, mime: &'static str) -> Drawn {
    let hash = format!("{:x}", Sha256::digest(&bytes));
    // The name travels in a header (Content-Disposition): plain characters only.
    let stem: String = std::path::Path::new(src)
        .file_stem()
        .map_or_else(|| "picture".into(), |s| s.to_string_lossy().into_owned())
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let extension = mime
        .rsplit('/')
        .next()
        .unwrap_or("png")
        .replace("jpeg", "jpg");
    Drawn {
        src: src.to_owned(),
        alt: alt.to_owned(),
        name: format!("{slug}-{stem}-{}.{extension}", &hash[..8]),
        bytes,
        mime,
        hash,
    }
}

fn mockup(svg: &str, options: &usvg::Options<'_>) -> Result<Vec<u8>> {
    let tree = usvg::Tree::from_str(svg, options)?;
    let size = tree.size();
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "mock-ups are a few hundred pixels wide"
    )]
    let (w, h) = (
        (size.width() * MOCKUP_SCALE).ceil() as u32,
        (size.height() * MOCKUP_SCALE).ceil() as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(w, h)
        .ok_or_else(|| anyhow::Error::new(crate::i18n::msg!("publish-empty-mockup")))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(MOCKUP_SCALE, MOCKUP_SCALE),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap.encode_png()?)
}

/// `pixels` as a PNG file.
fn png(pixels: &image::RgbaImage) -> Result<Vec<u8>> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    pixels.write_to(&mut bytes, image::ImageFormat::Png)?;
    Ok(bytes.into_inner())
}
