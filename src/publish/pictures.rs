//! The pictures of a blog post, drawn once: mock-ups rasterized from their SVG (WordPress
//! refuses SVG uploads), screenshots with their annotations drawn into the pixels (a blog has no
//! overlay). Each becomes a PNG named by the SHA-256 of its bytes.

use std::sync::Arc;

use anyhow::{Context as _, Result, anyhow};
use resvg::{tiny_skia, usvg};
use sha2::{Digest as _, Sha256};

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
    pub png: Vec<u8>,
    /// SHA-256 of `png`, hex.
    pub hash: String,
}

/// Draws `picture` of guide `slug` with `fonts`.
pub(crate) fn draw(
    slug: &str,
    picture: &PostPicture,
    fonts: &Arc<usvg::fontdb::Database>,
) -> Result<Drawn> {
    let options = usvg::Options {
        fontdb: Arc::clone(fonts),
        ..usvg::Options::default()
    };
    let png = match &picture.source {
        PostSource::Svg(svg) => mockup(svg, &options),
        PostSource::Screenshot { file, overlay } => screenshot(file, overlay, &options),
    }
    .with_context(|| format!("could not draw the picture {} for the post", picture.src))?;
    let hash = format!("{:x}", Sha256::digest(&png));
    // The name travels in a header (Content-Disposition): plain characters only.
    let stem: String = std::path::Path::new(&picture.src)
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
    Ok(Drawn {
        src: picture.src.clone(),
        alt: picture.alt.clone(),
        name: format!("{slug}-{stem}-{}.png", &hash[..8]),
        png,
        hash,
    })
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
    let mut pixmap = tiny_skia::Pixmap::new(w, h).ok_or_else(|| anyhow!("an empty mock-up"))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(MOCKUP_SCALE, MOCKUP_SCALE),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap.encode_png()?)
}

fn screenshot(
    file: &std::path::Path,
    overlay: &str,
    options: &usvg::Options<'_>,
) -> Result<Vec<u8>> {
    let picture = image::open(file)
        .with_context(|| format!("could not read {}", file.display()))?
        .into_rgba8();
    let (w, h) = picture.dimensions();
    let size = tiny_skia::IntSize::from_wh(w, h).ok_or_else(|| anyhow!("an empty picture"))?;
    let mut data = picture.into_raw();
    // tiny-skia holds premultiplied colours.
    for px in data.chunks_exact_mut(4) {
        let a = u16::from(px[3]);
        for c in &mut px[..3] {
            *c = u8::try_from(u16::from(*c) * a / 255).unwrap_or(u8::MAX);
        }
    }
    let mut pixmap =
        tiny_skia::Pixmap::from_vec(data, size).ok_or_else(|| anyhow!("a picture of no size"))?;
    if !overlay.is_empty() {
        let tree = usvg::Tree::from_str(overlay, options)?;
        let view = tree.size();
        #[allow(
            clippy::cast_precision_loss,
            reason = "picture sizes are far below 2^24"
        )]
        let transform =
            tiny_skia::Transform::from_scale(w as f32 / view.width(), h as f32 / view.height());
        resvg::render(&tree, transform, &mut pixmap.as_mut());
    }
    Ok(pixmap.encode_png()?)
}
