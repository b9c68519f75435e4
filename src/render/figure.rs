//! Figures on pages: mock-ups drawn to SVG files, screenshots with their annotation overlay,
//! and masks burned into the published pixels (the hidden data is in no output file).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Output;
use crate::diagnostics::Diagnostic;
use crate::figure::{Shape, annotate, mockup};
use crate::model::ImageDef;
use crate::resolve::Guide;
use crate::templates::Asset;

/// A figure for templates.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct FigureCx {
    /// `mockup` or `screenshot`.
    kind: &'static str,
    /// Relative to the guide page.
    pub src: String,
    alt: String,
    width: u32,
    height: u32,
    /// For screenshots with annotations: an SVG drawn over the picture (viewBox = its pixels).
    overlay: String,
}

/// Every figure of a guide, by owner key (`step:<id>` or `trouble:<id>`), and the files to write.
#[derive(Default)]
pub(super) struct Figures {
    pub by_key: HashMap<String, FigureCx>,
    pub files: Vec<Output>,
    /// Source files that must not be copied as they are (their masks were burned into copies).
    pub masked: Vec<PathBuf>,
    pub problems: Vec<Diagnostic>,
}

#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "mock-up sizes are small positive numbers"
)]
fn px(v: f64) -> u32 {
    v.round() as u32
}

/// Prepares every figure of the guide once (a shared step's figure serves all its places).
pub(super) fn prepare(guide: &Guide) -> Figures {
    let mut figures = Figures::default();
    let steps = guide.loaded.steps.iter().filter_map(|(id, s)| {
        s.front
            .image
            .as_ref()
            .map(|f| (format!("step:{id}"), id.clone(), f))
    });
    let troubles = guide.troubles.entries.iter().filter_map(|t| {
        t.def.image.as_ref().map(|f| {
            (
                format!("trouble:{}", t.def.id),
                format!("trouble-{}", t.def.id),
                f,
            )
        })
    });
    for (key, name, figure) in steps.chain(troubles) {
        if let Some(cx) = prepare_one(guide, &name, figure, &mut figures) {
            figures.by_key.insert(key, cx);
        }
    }
    figures
}

fn prepare_one(
    guide: &Guide,
    name: &str,
    figure: &ImageDef,
    figures: &mut Figures,
) -> Option<FigureCx> {
    if let Some(m) = &figure.mockup {
        let svg = mockup::svg(m, &figure.annotations, &figure.alt);
        let (_, width, height) = m.draw();
        let rel = format!("figures/{name}.svg");
        figures.files.push(Output::File {
            path: PathBuf::from(guide.slug()).join(&rel),
            contents: svg,
        });
        return Some(FigureCx {
            kind: "mockup",
            src: rel,
            alt: figure.alt.clone(),
            width: px(width),
            height: px(height),
            overlay: String::new(),
        });
    }
    let src = figure.src.as_ref()?;
    let file = crate::fs::normalize(&guide.loaded.dir.join(src));
    let (width, height) = picture_size(&file)?;
    #[allow(clippy::cast_precision_loss, reason = "image sizes are far below 2^52")]
    let (w, h) = (width as f64, height as f64);
    let masks: Vec<annotate::Rect> = figure
        .annotations
        .iter()
        .filter(|a| a.shape == Shape::Mask)
        .filter_map(|a| a.rect(w, h))
        .collect();
    let (mut href, out) = location(guide, src);
    if masks.is_empty() {
        if out.starts_with("_files") {
            figures.files.push(Output::Asset {
                path: out,
                asset: Asset::File(file),
            });
        }
    } else {
        match burn_masks(&file, &masks) {
            Ok(png) => {
                let stem = Path::new(src)
                    .file_stem()
                    .map_or_else(|| "image".into(), |s| s.to_string_lossy().into_owned());
                href = format!("figures/{stem}-masked.png");
                figures.files.push(Output::Binary {
                    path: PathBuf::from(guide.slug()).join(&href),
                    bytes: png,
                });
                figures.masked.push(file);
            }
            Err(message) => {
                figures.problems.push(
                    Diagnostic::error(format!(
                        "could not hide the masked parts of {src}: {message}"
                    ))
                    .in_file(crate::diagnostics::display_path(
                        guide
                            .loaded
                            .dir
                            .parent()
                            .and_then(Path::parent)
                            .unwrap_or(Path::new("")),
                        &file,
                    ))
                    .with_hint("use a PNG, JPEG or WebP file that opens in an image viewer"),
                );
                return None;
            }
        }
    }
    let visible: Vec<_> = figure
        .annotations
        .iter()
        .filter(|a| a.shape != Shape::Mask)
        .cloned()
        .collect();
    let overlay = if visible.is_empty() {
        String::new()
    } else {
        format!(
            r#"<svg class="figure-overlay" viewBox="0 0 {width} {height}" preserveAspectRatio="none" aria-hidden="true">{}</svg>"#,
            annotate::svg_elements(&visible, w, h)
        )
    };
    Some(FigureCx {
        kind: "screenshot",
        src: href,
        alt: figure.alt.clone(),
        width: u32::try_from(width).unwrap_or(u32::MAX),
        height: u32::try_from(height).unwrap_or(u32::MAX),
        overlay,
    })
}

/// The pixel size of a picture, read without decoding it (SVG: its width and height).
pub(crate) fn picture_size(file: &Path) -> Option<(usize, usize)> {
    if file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
    {
        let text = std::fs::read_to_string(file).ok()?;
        let attr = |name: &str| -> Option<usize> {
            let tag = &text[text.find("<svg")?..];
            let tag = &tag[..tag.find('>')?];
            let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
            let value: String = tag[at..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            #[allow(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "a picture's size"
            )]
            value.parse::<f64>().ok().map(|v| v.round() as usize)
        };
        return Some((attr("width")?, attr("height")?));
    }
    imagesize::size(file).ok().map(|s| (s.width, s.height))
}

/// Paints the masked rectangles grey in the decoded picture and encodes it as PNG.
fn burn_masks(file: &Path, masks: &[annotate::Rect]) -> Result<Vec<u8>, String> {
    let mut picture = image::open(file).map_err(|e| e.to_string())?.to_rgba8();
    let (w, h) = picture.dimensions();
    for r in masks {
        let (x0, y0) = (px(r.x.max(0.0)).min(w), px(r.y.max(0.0)).min(h));
        let (x1, y1) = (
            px((r.x + r.w).max(0.0)).min(w),
            px((r.y + r.h).max(0.0)).min(h),
        );
        for y in y0..y1 {
            for x in x0..x1 {
                picture.put_pixel(x, y, image::Rgba([154, 160, 166, 255]));
            }
        }
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    picture
        .write_to(&mut bytes, image::ImageFormat::Png)
        .map_err(|e| e.to_string())?;
    Ok(bytes.into_inner())
}

/// Where a screenshot goes: its `src` relative to the guide page, and its output path.
/// Pictures in the guide's folder keep their place next to the page (they are copied with the
/// folder's other files); others (shared between guides) go under `_files/`.
pub(super) fn location(guide: &Guide, src: &str) -> (String, PathBuf) {
    let abs = crate::fs::normalize(&guide.loaded.dir.join(src));
    let (href, out) = if let Ok(rel) = abs.strip_prefix(&guide.loaded.dir) {
        (rel.to_path_buf(), PathBuf::from(guide.slug()).join(rel))
    } else {
        let root = guide
            .loaded
            .dir
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new(""));
        let rel = abs.strip_prefix(root).unwrap_or(&abs).to_path_buf();
        (
            Path::new("../_files").join(&rel),
            Path::new("_files").join(rel),
        )
    };
    (href.to_string_lossy().replace('\\', "/"), out)
}
