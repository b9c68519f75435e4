//! Figures on pages: mock-ups drawn to SVG files, screenshots with their annotation overlay,
//! and masks burned into the published pixels (the hidden data is in no output file).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Output;
use super::memo::Kept;
use super::post::{PostPicture, PostSource};
use crate::figure::{Shape, annotate, mockup};
use crate::images::ImagePipeline;
use crate::model::ImageDef;
use crate::resolve::Guide;
use crate::templates::Asset;

/// A figure for templates.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct FigureCx {
    /// `mockup` or `screenshot`.
    kind: &'static str,
    /// Relative to the guide page (for screenshots: the fallback file).
    pub src: String,
    /// Screenshots: the WebP variants, `file 360w, …`; empty for mock-ups.
    pub srcset: String,
    alt: String,
    width: u32,
    height: u32,
    /// For screenshots with annotations: an SVG drawn over the picture (viewBox = its pixels).
    overlay: String,
    /// The page's first figure loads at once; the others lazily.
    pub eager: bool,
}

/// Every figure of a guide, by owner key (`step:<id>` or `trouble:<id>`), and the files to write.
#[derive(Default)]
pub(super) struct Figures {
    pub by_key: HashMap<String, FigureCx>,
    pub files: Vec<Output>,
    /// Source files that must not be copied as they are (their masks were burned into copies).
    pub masked: Vec<PathBuf>,
    /// The screenshots to encode (by the pictures stage, after rendering) for `files`.
    pub plans: Vec<crate::images::Plan>,
    /// The output paths in `files`.
    paths: HashSet<PathBuf>,
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
/// With `kept`, a step's figure is taken from an earlier rebuild while its front matter and
/// its picture are as they were.
pub(super) fn prepare(
    guide: &Guide,
    images: &ImagePipeline,
    with_steps: bool,
    kept: Option<Kept<'_>>,
) -> Figures {
    let mut figures = Figures::default();
    if with_steps {
        for (id, step) in &guide.loaded.steps {
            let Some(figure) = &step.front.image else {
                continue;
            };
            let make = || prepare_one(guide, images, id, figure);
            let one = match kept {
                Some(kept) => kept_figure(kept, guide.slug(), id, step.yaml(), figure, make),
                None => make(),
            };
            figures.add(format!("step:{id}"), one);
        }
    }
    for t in &guide.troubles.entries {
        if let Some(figure) = &t.def.image {
            let one = prepare_one(guide, images, &format!("trouble-{}", t.def.id), figure);
            figures.add(format!("trouble:{}", t.def.id), one);
        }
    }
    figures
}

/// The figure of step `id` of guide `slug`, kept from an earlier render while the step's front
/// matter `yaml` and its picture file are the same.
fn kept_figure(
    kept: Kept<'_>,
    slug: &str,
    id: &str,
    yaml: &str,
    figure: &ImageDef,
    make: impl FnOnce() -> Option<OneFigure>,
) -> Option<OneFigure> {
    use std::hash::{Hash as _, Hasher as _};
    let mut h = std::hash::DefaultHasher::new();
    (yaml, &figure.picture).hash(&mut h);
    kept.memo
        .figures
        .get_or((slug.to_owned(), id.to_owned()), h.finish(), make)
}

/// The pictures of `figures` as a post shows them, one per `src`.
pub(crate) fn post_pictures(figures: &Figures) -> Vec<PostPicture> {
    let mut seen = HashSet::new();
    let mut pictures = Vec::new();
    let mut keys: Vec<&String> = figures.by_key.keys().collect();
    keys.sort();
    for cx in keys.into_iter().map(|k| &figures.by_key[k]) {
        if !seen.insert(cx.src.clone()) {
            continue;
        }
        let source = if cx.kind == "mockup" {
            figures.files.iter().find_map(|f| match f {
                Output::File { path, contents } if path.ends_with(&cx.src) => {
                    Some(PostSource::Svg(contents.clone()))
                }
                _ => None,
            })
        } else {
            figures
                .plans
                .iter()
                .find(|p| cx.src.ends_with(&p.fallback.name))
                .map(|p| PostSource::Screenshot {
                    file: p.fallback.file.clone(),
                    overlay: cx.overlay.clone(),
                })
        };
        if let Some(source) = source {
            pictures.push(PostPicture {
                src: cx.src.clone(),
                alt: cx.alt.clone(),
                source,
            });
        }
    }
    pictures
}

/// One figure as prepared: what the page shows, the files it needs, the screenshot to encode
/// and the source file its masks hide.
#[derive(Clone)]
pub(super) struct OneFigure {
    cx: FigureCx,
    files: Vec<Output>,
    plan: Option<crate::images::Plan>,
    masked: Option<PathBuf>,
}

impl Figures {
    /// Takes in one figure; a file that another figure of the guide already needs (one picture
    /// shown at several steps) is listed once.
    fn add(&mut self, key: String, one: Option<OneFigure>) {
        let Some(one) = one else { return };
        for file in one.files {
            if self.paths.insert(file.path().to_path_buf()) {
                self.files.push(file);
            }
        }
        self.plans.extend(one.plan);
        self.masked.extend(one.masked);
        self.by_key.insert(key, one.cx);
    }
}

fn prepare_one(
    guide: &Guide,
    images: &ImagePipeline,
    name: &str,
    figure: &ImageDef,
) -> Option<OneFigure> {
    let mut files = Vec::new();
    if let Some(m) = &figure.mockup {
        let svg = mockup::svg(m, &figure.annotations, &figure.alt);
        let (_, width, height) = m.draw();
        let rel = format!("figures/{name}.svg");
        files.push(Output::File {
            path: PathBuf::from(guide.slug()).join(&rel),
            contents: svg,
        });
        let cx = FigureCx {
            kind: "mockup",
            src: rel,
            srcset: String::new(),
            alt: figure.alt.clone(),
            width: px(width),
            height: px(height),
            overlay: String::new(),
            eager: false,
        };
        return Some(OneFigure {
            cx,
            files,
            plan: None,
            masked: None,
        });
    }
    let src = figure.src.as_ref()?;
    // Only a picture the load stage found inside the site (and within the budget) is shown.
    let picture = figure.picture.as_ref()?;
    let file = picture.path.clone();
    let (width, height) = (picture.width, picture.height);
    let (w, h) = (f64::from(width), f64::from(height));
    let masks: Vec<annotate::Rect> = figure
        .annotations
        .iter()
        .filter(|a| a.shape == Shape::Mask)
        .filter_map(|a| a.rect(w, h))
        .collect();
    let (mut href, out) = location(guide, &file);
    let mut srcset = String::new();
    let (mut out_w, mut out_h) = (width, height);
    let (mut plan, mut masked) = (None, None);
    if file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
    {
        if out.starts_with("_files") {
            files.push(Output::Asset {
                path: out,
                asset: Asset::File(file),
            });
        }
    } else {
        let planned = images.plan(src, picture, &masks);
        (href, srcset, out_w, out_h) = publish_screenshot(guide, &planned, &mut files);
        plan = Some(planned);
        masked = Some(file);
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
    let cx = FigureCx {
        kind: "screenshot",
        src: href,
        srcset,
        alt: figure.alt.clone(),
        width: out_w,
        height: out_h,
        overlay,
        eager: false,
    };
    Some(OneFigure {
        cx,
        files,
        plan,
        masked,
    })
}

/// Adds a screenshot's planned variants to `files`: the fallback's path, the WebP `srcset`,
/// and the fallback's size.
fn publish_screenshot(
    guide: &Guide,
    plan: &crate::images::Plan,
    files: &mut Vec<Output>,
) -> (String, String, u32, u32) {
    let mut publish = |v: &crate::images::Variant| {
        let rel = format!("figures/{}", v.name);
        files.push(Output::Asset {
            path: PathBuf::from(guide.slug()).join(&rel),
            asset: Asset::File(v.file.clone()),
        });
        rel
    };
    let set: Vec<String> = plan
        .webp
        .iter()
        .map(|v| format!("{} {}w", publish(v), v.width))
        .collect();
    let fallback = publish(&plan.fallback);
    (
        fallback,
        set.join(", "),
        plan.fallback.width,
        plan.fallback.height,
    )
}

/// Where a screenshot goes: its `src` relative to the guide page, and its output path.
/// Pictures in the guide's folder keep their place next to the page (they are copied with the
/// folder's other files); others (shared between guides) go under `_files/`.
pub(super) fn location(guide: &Guide, abs: &Path) -> (String, PathBuf) {
    let (href, out) = if let Ok(rel) = abs.strip_prefix(&guide.loaded.dir) {
        (rel.to_path_buf(), PathBuf::from(guide.slug()).join(rel))
    } else {
        let root = guide.loaded.site_root();
        let rel = abs.strip_prefix(root).unwrap_or(abs).to_path_buf();
        (
            Path::new("../_files").join(&rel),
            Path::new("_files").join(rel),
        )
    };
    (href.to_string_lossy().replace('\\', "/"), out)
}
