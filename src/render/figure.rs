//! Figures on pages: mock-ups drawn to SVG files, screenshots with their annotation overlay,
//! and masks burned into the published pixels (the hidden data is in no output file).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::memo::Kept;
use super::output::Output;
use super::post::{PostPicture, PostSource};
use std::borrow::Cow;

use crate::config::{ImagesConfig, Labels};
use crate::figure::annotate::num;
use crate::figure::{Shape, annotate, mockup};
use crate::images::{Encoding, ImagePipeline, PlanRequest};
use crate::model::ImageDef;
use crate::resolve::Guide;
use crate::templates::{Asset, Html};
use crate::ui::Form;

/// A figure for templates.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct FigureCx {
    /// `mockup` or `screenshot`.
    kind: &'static str,
    /// `portrait` (drawn at most `images.portrait_width` wide) or `landscape` (up to the column).
    orientation: &'static str,
    /// The picture with its annotations, relative to the guide page: what the figure links
    /// to (opened without JavaScript) and what the JSON-LD names. For screenshots with
    /// annotations, the annotated copy; else the largest variant (or the mock-up's SVG).
    pub src: String,
    /// The `<img>`'s own `src` (for screenshots: a plain variant, the overlay drawn over it).
    img: String,
    /// Screenshots: the WebP variants, `file 360w, …`; empty for mock-ups.
    pub srcset: String,
    /// Screenshots: the `sizes` that matches the width the theme draws the picture at.
    sizes: String,
    /// The figure's CSS custom properties: the widest it is drawn (`--figure-widest`) and its
    /// width over its height (`--figure-ratio`, so that it fits the viewport's height).
    style: String,
    alt: String,
    width: u32,
    height: u32,
    /// For screenshots with annotations: an SVG drawn over the picture (viewBox = its pixels).
    overlay: Html,
    /// The page's first figure loads at once; the others lazily.
    pub eager: bool,
    /// A screenshot of an older version of the app than the guide documents, when
    /// `images.stale_note` asks to say so under it: "Zaim 12.1の画面です".
    stale_note: String,
    /// Serve only: which figure this is and the version of its source, for the editor.
    edit: Option<FigureEdit>,
}

/// What the annotation editor sends back to save a figure (see `serve::editor`).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct FigureEdit {
    /// `<guide>/step:<id>` or `<guide>/trouble:<id>`.
    pub key: String,
    /// [`crate::edit::version_of`] the YAML the figure is written in (a step's front matter,
    /// troubles.yaml, guide.yaml), as the page was rendered from it.
    pub version: String,
    /// The annotations as written ([`crate::edit::annotations::to_json`]).
    pub annotations: String,
    /// The screenshot's own size, `W H`: what the annotations' pixels are of (the page's
    /// `<img>` gives its largest variant's size, at most 1080 wide).
    pub size: String,
    /// Serve only: the annotations whose target a retaken screenshot no longer shows (JSON:
    /// their index, what they pointed at, the best match), shown beside the figure.
    pub lost: String,
    /// A mock-up's elements for the editor to toggle in `highlight:`/`avoid:` (JSON, see
    /// [`mockup_edit`]); empty for a screenshot.
    pub mockup: String,
}

/// `W H` of a figure's screenshot, or of a mock-up's drawing (what the annotations' pixels
/// are of).
fn size_of(guide: &Guide, images: Pictures<'_>, figure: &ImageDef) -> String {
    if let Some(m) = &figure.mockup {
        let (_, height) = expanded(guide, images, m).element_frames();
        return format!("{} {}", num(mockup::WIDTH), num(height));
    }
    figure
        .picture
        .as_ref()
        .map_or_else(String::new, |p| format!("{} {}", p.width, p.height))
}

/// What the editor needs to toggle a mock-up's elements (empty for a screenshot), as JSON:
/// `plain`, the mock-up drawn without highlights, avoid marks and annotations (a data URL:
/// the editor draws those itself); `elements`, each element with an id and the frame a
/// highlight draws around it (`id`, `x`, `y`, `w`, `h` in the drawing's pixels); and the
/// `highlight` and `avoid` lists as written.
fn mockup_edit(guide: &Guide, images: Pictures<'_>, figure: &ImageDef) -> String {
    use base64::Engine as _;
    let Some(m) = &figure.mockup else {
        return String::new();
    };
    let shown = expanded(guide, images, m);
    let mut plain = shown.clone();
    plain.highlight.clear();
    plain.look.clear();
    plain.avoid.clear();
    let svg = mockup::svg(&plain, &[], "");
    let (frames, _) = shown.element_frames();
    let elements: Vec<serde_json::Value> = frames
        .iter()
        .map(|(id, r)| serde_json::json!({"id": id, "x": r.x, "y": r.y, "w": r.w, "h": r.h}))
        .collect();
    serde_json::json!({
        "plain": format!(
            "data:image/svg+xml;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(svg)
        ),
        "elements": elements,
        "highlight": m.highlight,
        "look": m.look,
        "avoid": m.avoid,
    })
    .to_string()
}

/// The mock-up with its UI references replaced by the texts they stand for (as drawn).
fn expanded(guide: &Guide, images: Pictures<'_>, m: &mockup::MockupDef) -> mockup::MockupDef {
    let ui = &guide.loaded.ui;
    m.with_texts(|text| match ui.expand(text, images.labels, Form::Bare) {
        Cow::Owned(changed) => Some(changed),
        Cow::Borrowed(_) => None,
    })
}

impl FigureCx {
    /// The figure as a page in another folder shows it: `prefix` (`../<slug>/`) before every
    /// file it names (`src`, `img`, each `srcset` candidate).
    pub(super) fn relocate(&mut self, prefix: &str) {
        self.src = format!("{prefix}{}", self.src);
        self.img = format!("{prefix}{}", self.img);
        if !self.srcset.is_empty() {
            self.srcset = self
                .srcset
                .split(", ")
                .map(|candidate| format!("{prefix}{candidate}"))
                .collect::<Vec<_>>()
                .join(", ");
        }
    }
}

/// Every figure of a guide, by owner key (`step:<id>` or `trouble:<id>`), and the files to write.
#[derive(Default)]
pub(super) struct Figures {
    pub by_key: HashMap<String, FigureCx>,
    pub files: Vec<Output>,
    /// Source files that must not be copied as they are (their masks were burned into copies).
    pub masked: HashSet<PathBuf>,
    /// The screenshots to encode (by the pictures stage, after rendering) for `files`, each
    /// once however many steps show it.
    pub plans: Vec<crate::images::Plan>,
    /// The output paths in `files`.
    paths: HashSet<PathBuf>,
    /// The files that name the pictures in `plans` (what the pictures stage tells them by).
    planned: HashSet<String>,
}

#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "mock-up sizes are small positive numbers"
)]
fn px(v: f64) -> u32 {
    v.round() as u32
}

/// How figures are made: the picture pipeline (which names the files) and `images:` of
/// site.yaml.
#[derive(Clone, Copy, Debug)]
pub(super) struct Pictures<'a> {
    pub pipeline: &'a ImagePipeline,
    pub settings: &'a ImagesConfig,
    /// For UI references in mock-ups and alt texts.
    pub labels: &'a Labels,
    /// Serve: figures say which they are to the annotation editor.
    pub editable: bool,
}

/// Prepares every figure of the guide once (a shared step's figure serves all its places).
/// With `kept`, a step's figure is taken from an earlier rebuild while its front matter, its
/// picture and the picture settings are as they were.
pub(super) fn prepare(
    guide: &Guide,
    images: Pictures<'_>,
    with_steps: bool,
    kept: Option<Kept<'_>>,
) -> Figures {
    let mut figures = Figures::default();
    // Not with `kept`: a figure kept for later rebuilds must carry its own files.
    let mut shots = kept.is_none().then(Shots::default);
    if with_steps {
        for (id, step) in &guide.loaded.steps {
            let Some(figure) = &step.front.image else {
                continue;
            };
            let mut make = || prepare_one(guide, images, id, figure, shots.as_mut());
            let one = match kept {
                Some(kept) => {
                    // Also what the figure shows from elsewhere: UI texts, the app's version.
                    let app = guide.loaded.def.app.as_ref().map(|a| (&a.name, &a.version));
                    let key = (
                        step.yaml(),
                        &figure.picture,
                        images.settings,
                        &guide.loaded.ui,
                        app,
                    );
                    kept_figure(kept, guide.slug(), id, key, make)
                }
                None => make(),
            };
            let edit = images.editable.then(|| FigureEdit {
                key: format!("{}/step:{id}", guide.slug()),
                version: crate::edit::version_of(step.yaml()),
                annotations: crate::edit::annotations::to_json(&figure.annotations),
                size: size_of(guide, images, figure),
                lost: lost_of(figure),
                mockup: mockup_edit(guide, images, figure),
            });
            figures.add(format!("step:{id}"), with_edit(one, edit));
        }
    }
    for t in &guide.troubles.entries {
        if let Some(figure) = &t.def.image {
            let name = format!("trouble-{}", t.def.id);
            let one = prepare_one(guide, images, &name, figure, shots.as_mut());
            let edit = images.editable.then(|| FigureEdit {
                key: format!("{}/trouble:{}", guide.slug(), t.def.id),
                version: crate::edit::version_of(guide.loaded.entry_source(&t.origin).yaml),
                annotations: crate::edit::annotations::to_json(&figure.annotations),
                size: size_of(guide, images, figure),
                lost: lost_of(figure),
                mockup: mockup_edit(guide, images, figure),
            });
            figures.add(format!("trouble:{}", t.def.id), with_edit(one, edit));
        }
    }
    figures
}

/// The figure's lost targets as JSON for the editor (`[]` when none).
fn lost_of(figure: &ImageDef) -> String {
    let lost = figure
        .followed
        .as_ref()
        .map_or(&[][..], |f| f.lost.as_slice());
    serde_json::to_string(lost).unwrap_or_else(|_| "[]".into())
}

/// `one` with the editor's `edit` (serve only).
fn with_edit(one: Option<OneFigure>, edit: Option<FigureEdit>) -> Option<OneFigure> {
    one.map(|mut one| {
        if matches!(one.cx.kind, "screenshot" | "mockup") {
            one.cx.edit = edit;
        }
        one
    })
}

/// The figure of step `id` of guide `slug`, kept from an earlier render while `key` (the
/// step's front matter, its picture file and the picture settings) is the same.
fn kept_figure(
    kept: Kept<'_>,
    slug: &str,
    id: &str,
    key: impl std::hash::Hash,
    make: impl FnOnce() -> Option<OneFigure>,
) -> Option<OneFigure> {
    use std::hash::Hasher as _;
    let mut h = std::hash::DefaultHasher::new();
    key.hash(&mut h);
    kept.memo
        .figures
        .get_or((slug.to_owned(), id.to_owned()), h.finish(), make)
}

/// The pictures of `figures` as a post shows them, one per `src`.
pub(crate) fn post_pictures(figures: &Figures) -> Vec<PostPicture> {
    let mut seen = HashSet::default();
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
                .find(|p| cx.src.ends_with(&p.full().name))
                .map(|p| PostSource::Screenshot(Box::new(p.clone())))
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
    /// Only the figures of the trouble entries (what the troubleshooting page shows), without
    /// files or plans: the guide page has put them.
    pub(super) fn troubles_only(mut self) -> Self {
        self.by_key.retain(|key, _| key.starts_with("trouble:"));
        self.by_key.shrink_to_fit();
        Self {
            by_key: self.by_key,
            ..Self::default()
        }
    }

    /// Takes in one figure; a file that another figure of the guide already needs (one picture
    /// shown at several steps) is listed once.
    fn add(&mut self, key: String, one: Option<OneFigure>) {
        let Some(one) = one else { return };
        for file in one.files {
            if self.paths.insert(file.path().to_path_buf()) {
                self.files.push(file);
            }
        }
        if let Some(plan) = one.plan
            && self.planned.insert(plan.full().name.clone())
        {
            self.plans.push(plan);
        }
        self.masked.extend(one.masked);
        self.by_key.insert(key, one.cx);
    }
}

/// The screenshots a guide's figures have planned so far, each with its figure as the first
/// step that shows it has it: the guide's other figures of the same file, masks, annotations
/// and encoding take its names and add no files (the first one added them).
type Shots = Vec<(ShotKey, FigureCx)>;

/// What the files of a screenshot figure depend on.
#[derive(PartialEq)]
struct ShotKey {
    path: PathBuf,
    hash: u64,
    masks: Vec<annotate::Rect>,
    overlay: String,
    encoding: Encoding,
}

fn prepare_one(
    guide: &Guide,
    images: Pictures<'_>,
    name: &str,
    figure: &ImageDef,
    shots: Option<&mut Shots>,
) -> Option<OneFigure> {
    if let Some(m) = &figure.mockup {
        return Some(prepare_mockup(guide, images, name, figure, m));
    }
    let src = figure.src.as_ref()?;
    // Only a picture the load stage found inside the site (and within the budget) is shown.
    let picture = figure.picture.as_ref()?;
    let (width, height) = (picture.width, picture.height);
    let (w, h) = (f64::from(width), f64::from(height));
    let masks: Vec<annotate::Rect> = figure
        .annotations
        .iter()
        .filter(|a| a.shape == Shape::Mask)
        .filter_map(|a| a.rect(w, h))
        .collect();
    let overlay = overlay(figure, width, height);
    let mut cx = FigureCx {
        kind: "screenshot",
        orientation: orientation(width, height),
        src: String::new(),
        img: String::new(),
        srcset: String::new(),
        sizes: String::new(),
        style: style(widest(images.settings, width, height), width, height),
        alt: guide
            .loaded
            .ui
            .expand(&figure.alt, images.labels, Form::Prose)
            .into_owned(),
        width,
        height,
        overlay: Html(overlay),
        eager: false,
        stale_note: stale_note(guide, images, figure),
        edit: None,
    };
    let mut one = OneFigure {
        cx: cx.clone(),
        files: Vec::new(),
        plan: None,
        masked: None,
    };
    let (href, out) = location(guide, &picture.path);
    if picture
        .path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
    {
        if out.starts_with("_files") {
            one.files.push(Output::Asset {
                path: out,
                asset: Asset::File(picture.path.clone()),
            });
        }
        (cx.src, cx.img) = (href.clone(), href);
    } else {
        let key = ShotKey {
            path: picture.path.clone(),
            hash: picture.hash,
            masks,
            overlay: cx.overlay.0.clone(),
            encoding: Encoding {
                quality: figure.quality.unwrap_or(images.settings.quality),
                lossless: figure.lossless.unwrap_or(images.settings.lossless),
            },
        };
        let shown = shots
            .as_deref()
            .and_then(|shots| shots.iter().find(|(k, _)| *k == key))
            .map(|(_, shown)| shown.clone());
        if let Some(shown) = shown {
            let (alt, stale_note) = (cx.alt, cx.stale_note);
            cx = FigureCx {
                alt,
                stale_note,
                ..shown
            };
        } else {
            plan_screenshot(guide, images, (src, picture), &key, &mut cx, &mut one);
            if let Some(shots) = shots {
                shots.push((key, cx.clone()));
            }
        }
        one.masked = Some(picture.path.clone());
    }
    one.cx = cx;
    Some(one)
}

/// Plans the WebP files of the screenshot `picture` (written `src`) as `key` says, and names
/// them in `cx` and `one`.
fn plan_screenshot(
    guide: &Guide,
    images: Pictures<'_>,
    (src, picture): (&str, &crate::figure::PictureFile),
    key: &ShotKey,
    cx: &mut FigureCx,
    one: &mut OneFigure,
) {
    let plan = images.pipeline.plan(PlanRequest {
        src,
        picture,
        masks: &key.masks,
        overlay: &key.overlay,
        encoding: key.encoding,
    });
    publish_screenshot(guide, &plan, images.settings, cx, &mut one.files);
    one.plan = Some(plan);
}

/// The note under a screenshot captured for an older version of the app than the guide's
/// `app:`, when `images.stale_note` is on (else empty).
fn stale_note(guide: &Guide, images: Pictures<'_>, figure: &ImageDef) -> String {
    let (Some(app), Some(captured)) = (&guide.loaded.def.app, &figure.captured) else {
        return String::new();
    };
    if !images.settings.stale_note || !app.outdates(captured) {
        return String::new();
    }
    images.labels.fill(
        "stale_screenshot",
        &[("app", &app.name), ("version", &captured.version)],
    )
}

/// A mock-up figure: its SVG file, drawn from the YAML.
fn prepare_mockup(
    guide: &Guide,
    images: Pictures<'_>,
    name: &str,
    figure: &ImageDef,
    m: &mockup::MockupDef,
) -> OneFigure {
    let m = &expanded(guide, images, m);
    let alt = guide
        .loaded
        .ui
        .expand(&figure.alt, images.labels, Form::Prose);
    let svg = mockup::svg(m, &figure.annotations, &alt);
    let (_, width, height) = m.draw();
    let rel = format!("figures/{name}.svg");
    let files = vec![Output::File {
        path: PathBuf::from(guide.slug()).join(&rel),
        contents: svg,
    }];
    let (width, height) = (px(width), px(height));
    let cx = FigureCx {
        kind: "mockup",
        orientation: orientation(width, height),
        img: rel.clone(),
        src: rel,
        srcset: String::new(),
        sizes: String::new(),
        style: style(widest(images.settings, width, height), width, height),
        alt: alt.into_owned(),
        width,
        height,
        overlay: Html::default(),
        eager: false,
        stale_note: String::new(),
        edit: None,
    };
    OneFigure {
        cx,
        files,
        plan: None,
        masked: None,
    }
}

/// The SVG of a screenshot's visible annotations (all but masks), drawn over the picture
/// (viewBox = its pixels); empty when there are none.
fn overlay(figure: &ImageDef, width: u32, height: u32) -> String {
    let visible: Vec<_> = figure
        .annotations
        .iter()
        .filter(|a| a.shape != Shape::Mask)
        .cloned()
        .collect();
    if visible.is_empty() {
        return String::new();
    }
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="figure-overlay" viewBox="0 0 {width} {height}" preserveAspectRatio="none" aria-hidden="true">{}</svg>"#,
        annotate::svg_elements(&visible, f64::from(width), f64::from(height))
    )
}

/// `portrait` when taller than wide, else `landscape`.
fn orientation(width: u32, height: u32) -> &'static str {
    if height > width {
        "portrait"
    } else {
        "landscape"
    }
}

/// The widest the theme draws a landscape picture: the guide's column less a step's padding,
/// in CSS pixels (see `.step` in tebiki.css).
const COLUMN: u32 = 690;
/// What a step's card and the page take of a phone's width around a figure, in CSS pixels.
const PHONE_GUTTER: u32 = 54;

/// The `sizes` of a picture drawn at most `widest` CSS pixels wide: the viewport less the
/// gutters on a phone, `widest` above.
fn sizes(widest: u32) -> String {
    format!(
        "(max-width: {}px) calc(100vw - {PHONE_GUTTER}px), {widest}px",
        widest + PHONE_GUTTER
    )
}

/// Adds a screenshot's planned variants to `files` and fills in the figure's `src` (the
/// annotated or largest file), `img` (the 720 px one), `srcset`, `sizes` and size.
fn publish_screenshot(
    guide: &Guide,
    plan: &crate::images::Plan,
    settings: &ImagesConfig,
    cx: &mut FigureCx,
    files: &mut Vec<Output>,
) {
    let mut publish = |v: &crate::images::Variant| {
        let rel = format!("figures/{}", v.name);
        files.push(Output::Asset {
            path: PathBuf::from(guide.slug()).join(&rel),
            asset: Asset::Cached(v.file.clone()),
        });
        rel
    };
    let set: Vec<String> = plan
        .webp()
        .map(|v| format!("{} {}w", publish(v), v.width))
        .collect();
    cx.src = match &plan.annotated {
        Some(annotated) => publish(annotated),
        None => format!("figures/{}", plan.top.name),
    };
    cx.img = format!("figures/{}", plan.default_img().name);
    cx.srcset = set.join(", ");
    let (w, h) = (plan.top.width, plan.top.height);
    let widest = widest(settings, w, h);
    cx.sizes = sizes(widest.min(w));
    cx.style = style(widest, w, h);
    (cx.width, cx.height) = (w, h);
}

/// The widest a `width`×`height` picture is drawn, in CSS pixels: `images.portrait_width`
/// for a portrait one, the column for a landscape one.
fn widest(settings: &ImagesConfig, width: u32, height: u32) -> u32 {
    if height > width {
        settings.portrait_width.min(COLUMN)
    } else {
        COLUMN
    }
}

/// The `style` of a figure drawn at most `widest` CSS pixels wide (numbers only: nothing to
/// escape).
fn style(widest: u32, width: u32, height: u32) -> String {
    let ratio = f64::from(width.max(1)) / f64::from(height.max(1));
    format!("--figure-widest: {widest}px; --figure-ratio: {ratio:.4}")
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
