//! The annotation editor's server side: which figures a page may save, and the save itself.
//!
//! Served pages (never built ones) carry `<meta name="tebiki-token">` — a secret made at each
//! start — and, on each screenshot, `data-tebiki-figure` (`<guide>/step:<id>` or
//! `<guide>/trouble:<id>`) and `data-tebiki-version` (a hash of the YAML the figure is written
//! in); a mock-up also carries `data-tebiki-mockup` (its elements, to toggle them).
//! `POST /__tebiki/annotations` with `{"figure", "version", "annotations"}`, the token in
//! `X-Tebiki-Token` and the preview's own `Origin`, replaces that figure's `annotations:` list
//! by a minimal edit ([`crate::edit::annotations`]) written through [`crate::edit::save`], and
//! records the annotations' anchors in the guide's anchors.yaml. For a mock-up the request may
//! also (or only) carry `"highlight"`, `"look"` and `"avoid"`, the element ids of those lists
//! ([`crate::edit::mockup`]); a field left out leaves its list as it is.
//! `POST /__tebiki/original` with `{"figure"}` (the same token and origin) answers the
//! screenshot's file as it is in the site: the published copies have the masks burned in, and
//! the author must see what a mask hides to place it.
//!
//! Invariants: the browser never names a file: a figure key is looked up among the figures the
//! last build loaded, else it is unknown (404); a save is refused (409) when the YAML changed
//! since the page was rendered; shapes are checked as `check` checks them (400); with the
//! preview reachable from the network (`--bind 0.0.0.0`) nothing is saved unless `--allow-edit`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use axum::http::StatusCode;
use serde::Deserialize;

use crate::edit::{self, EditError};
use crate::figure::PictureFile;
use crate::figure::anchor::{self, ANCHORS_FILE, AnchorsFile};
use crate::figure::annotate::AnnotationDef;
use crate::figure::mockup::MockupDef;
use crate::i18n::{Localizer, Message, msg};
use crate::resolve::Guide;
use crate::yaml::Seg;

/// The route pages save to.
pub(crate) const SAVE: &str = "/__tebiki/annotations";

/// The route the editor fetches a screenshot as the author dropped it in from (the published
/// copies have the masks burned in: the author must see what a mask hides to place it).
pub(crate) const ORIGINAL: &str = "/__tebiki/original";

/// What the editor sends to fetch a figure's screenshot as it is in the site.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OriginalRequest {
    pub figure: String,
}

/// The largest save request.
pub(crate) const MAX_BODY: usize = 64 * 1024;

/// The editor's script and style, served only by `serve`.
pub(crate) const SCRIPT_PATH: &str = "/__tebiki/editor.js";
pub(crate) const STYLE_PATH: &str = "/__tebiki/editor.css";
pub(crate) const SCRIPT: &str = include_str!("editor.js");
pub(crate) const STYLE: &str = include_str!("editor.css");

/// What a page sends to save a figure's annotations.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SaveRequest {
    pub figure: String,
    pub version: String,
    #[serde(default)]
    pub annotations: Option<Vec<serde_json::Value>>,
    /// A mock-up's elements to highlight ("press here").
    #[serde(default)]
    pub highlight: Option<Vec<String>>,
    /// A mock-up's elements only to look at ("look here").
    #[serde(default)]
    pub look: Option<Vec<String>>,
    /// A mock-up's elements marked "do not press".
    #[serde(default)]
    pub avoid: Option<Vec<String>>,
}

/// A mock-up's `highlight:`, `look:` and `avoid:` as a save wants them (`None`: unchanged).
#[derive(Clone, Debug, PartialEq)]
struct Marks {
    highlight: Option<Vec<String>>,
    look: Option<Vec<String>>,
    avoid: Option<Vec<String>>,
}

impl Marks {
    /// The lists by their YAML key.
    fn lists(&self) -> [(&'static str, &Option<Vec<String>>); 3] {
        [
            ("highlight", &self.highlight),
            ("look", &self.look),
            ("avoid", &self.avoid),
        ]
    }

    /// Whether the save changes any list.
    fn any(&self) -> bool {
        self.lists().iter().any(|(_, list)| list.is_some())
    }
}

/// Where one figure is written.
#[derive(Clone, Debug)]
struct Target {
    /// The source file.
    file: PathBuf,
    /// Whether its YAML is a step's front matter (else the whole file).
    front_matter: bool,
    /// The path of the `image:` value in that YAML.
    image: Vec<Seg<'static>>,
    /// The screenshot, for the anchors.
    picture: Option<PictureFile>,
    /// Whether the figure is a mock-up (its elements can be toggled).
    mockup: bool,
    src: String,
    /// The guide's folder (anchors.yaml is there) and the figure's key in it.
    guide_dir: PathBuf,
    key: String,
}

/// The editor's state: the token, and the figures of the last build.
#[derive(Debug)]
pub(crate) struct Editor {
    /// `None`: editing is off (the preview is on the network without `--allow-edit`).
    token: Option<String>,
    root: PathBuf,
    max_pixels: u64,
    targets: RwLock<HashMap<String, Target>>,
    /// The author's language, for the refusals the page shows.
    localizer: Arc<Localizer>,
}

impl Editor {
    /// The editor of the site at `root`, saying its refusals in `localizer`'s language.
    pub(crate) fn new(
        root: &Path,
        max_pixels: u64,
        enabled: bool,
        localizer: Arc<Localizer>,
    ) -> Self {
        Self {
            token: enabled.then(new_token),
            root: root.to_path_buf(),
            max_pixels,
            targets: RwLock::default(),
            localizer,
        }
    }

    pub(crate) fn enabled(&self) -> bool {
        self.token.is_some()
    }

    /// Whether `given` is this run's token.
    pub(crate) fn token_is(&self, given: &str) -> bool {
        self.token
            .as_deref()
            .is_some_and(|t| constant_time_eq(t.as_bytes(), given.as_bytes()))
    }

    /// What goes into every served page's `<head>`: the token and the editor's style and script.
    /// With the editor's texts in `l`'s language (the author's, not the page's).
    pub(crate) fn head(&self, l: &Localizer) -> String {
        match &self.token {
            Some(token) => format!(
                r#"<meta name="tebiki-token" content="{token}"><script type="application/json" id="tebiki-editor-texts">{}</script><link rel="stylesheet" href="{STYLE_PATH}"><script src="{SCRIPT_PATH}" defer></script>"#,
                crate::escape::json_in_script(&texts(l))
            ),
            None => String::new(),
        }
    }

    /// Takes in the figures of the guides just built.
    pub(crate) fn update<'a>(&self, guides: impl Iterator<Item = &'a Guide>) {
        let mut targets = HashMap::new();
        for guide in guides {
            collect(guide, &mut targets);
        }
        *self
            .targets
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = targets;
    }

    /// The screenshot of `figure` as it is in the site, and its media type (blocking: reads
    /// the file); 404 for an unknown figure or a mock-up.
    pub(crate) fn original(
        &self,
        request: &OriginalRequest,
    ) -> Result<(Vec<u8>, &'static str), (StatusCode, String)> {
        self.find_original(request)
            .map_err(|(status, message)| (status, self.answer(&message)))
    }

    fn find_original(&self, request: &OriginalRequest) -> Result<(Vec<u8>, &'static str), Refused> {
        let picture = self
            .targets
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&request.figure)
            .and_then(|t| t.picture.clone())
            .ok_or_else(|| {
                refusal(
                    StatusCode::NOT_FOUND,
                    msg!("editor-no-screenshot", figure = &request.figure),
                )
            })?;
        let limit = self.max_pixels.saturating_mul(4).saturating_add(16 << 20);
        let bytes = crate::fs::read_limited(&picture.path, limit).map_err(|e| {
            refusal(
                StatusCode::INTERNAL_SERVER_ERROR,
                msg!("editor-cannot-read-screenshot", error = e.message()),
            )
        })?;
        let kind = match image::guess_format(&bytes) {
            Ok(image::ImageFormat::Jpeg) => "image/jpeg",
            Ok(image::ImageFormat::WebP) => "image/webp",
            Ok(image::ImageFormat::Png) => "image/png",
            _ => "application/octet-stream",
        };
        Ok((bytes, kind))
    }

    /// Saves one request (blocking: reads and writes files). The answer's status and text.
    pub(crate) fn save(&self, request: &SaveRequest) -> (StatusCode, String) {
        match self.try_save(request) {
            Ok(()) => (StatusCode::OK, "{\"saved\":true}".into()),
            Err((status, message)) => (status, self.answer(&message)),
        }
    }

    /// A refusal as the page gets it: `{"error": "…"}`, in the author's language.
    fn answer(&self, message: &Message) -> String {
        serde_json::json!({ "error": self.localizer.format(message) }).to_string()
    }

    fn try_save(&self, request: &SaveRequest) -> Result<(), Refused> {
        let target = self
            .targets
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&request.figure)
            .cloned()
            .ok_or_else(|| {
                refusal(
                    StatusCode::NOT_FOUND,
                    msg!("editor-no-figure", figure = &request.figure),
                )
            })?;
        let after = match &request.annotations {
            Some(values) => Some(annotations_of(values)?),
            None => None,
        };
        let marks = Marks {
            highlight: request.highlight.clone(),
            look: request.look.clone(),
            avoid: request.avoid.clone(),
        };
        if after.is_none() && !marks.any() {
            return Err(refusal(
                StatusCode::BAD_REQUEST,
                msg!("editor-send-something"),
            ));
        }
        let text = crate::fs::read_to_string(&target.file)
            .map_err(|e| refusal(StatusCode::INTERNAL_SERVER_ERROR, error_message(&e)))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned();
        let (start, end) = yaml_range(&text, target.front_matter)
            .ok_or_else(|| refusal(StatusCode::CONFLICT, msg!("editor-front-matter-gone")))?;
        if edit::version_of(&text[start..end]) != request.version {
            return Err(refusal(StatusCode::CONFLICT, msg!("editor-file-changed")));
        }
        let mut new_text = text.clone();
        let before = written_annotations(&text[start..end], &target.image)?;
        let flows = |list: &[AnnotationDef]| -> Vec<String> {
            list.iter().map(edit::annotations::flow_of).collect()
        };
        // Annotations sent as they are written (a mock-up's marks saved alone) change nothing.
        if let Some(after) = after.as_ref().filter(|a| flows(a) != flows(&before)) {
            new_text = edit::annotations::replace(
                &text,
                start,
                end - start,
                &target.image,
                &before,
                after,
            )
            .map_err(|why| refusal(StatusCode::BAD_REQUEST, why))?;
        }
        new_text = Self::with_marks(&target, new_text, &marks)?;
        // The anchors are taken before the step is written (decoding the screenshot takes a
        // while) and written right after it: each write rebuilds the preview and reloads the
        // page, and two writes far apart reloaded it twice.
        let anchors = match &after {
            Some(after) => self
                .anchors_after(&target, after)
                .map_err(|why| refusal(StatusCode::INTERNAL_SERVER_ERROR, Message::text(why)))?,
            None => None,
        };
        let wanted: Option<Vec<String>> = after
            .as_ref()
            .map(|a| a.iter().map(edit::annotations::flow_of).collect());
        let image = target.image.clone();
        let front_matter = target.front_matter;
        edit::save(&self.root, &target.file, &text, &new_text, |t| {
            let (s, e) = yaml_range(t, front_matter).ok_or("its YAML is gone")?;
            reads_back(&t[s..e], &image, wanted.as_deref(), &marks)
        })
        .map_err(|err| {
            let status = match err {
                EditError::Changed(_) => StatusCode::CONFLICT,
                EditError::Invalid(..) => StatusCode::BAD_REQUEST,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            let message = match (&err, err.message()) {
                (EditError::Io(inner), _) => error_message(inner),
                (_, Some(message)) => message,
                (_, None) => Message::text(err.to_string()),
            };
            refusal(status, message)
        })?;
        match anchors {
            Some(anchors) => self
                .write_anchors(anchors)
                .map_err(|why| refusal(StatusCode::INTERNAL_SERVER_ERROR, Message::text(why))),
            None => Ok(()),
        }
    }

    /// `text` with the mock-up's `highlight:`, `look:` and `avoid:` lists as `marks` wants them, checked
    /// as `check` checks a mock-up (ids that exist).
    fn with_marks(target: &Target, mut text: String, marks: &Marks) -> Result<String, Refused> {
        if !marks.any() {
            return Ok(text);
        }
        if !target.mockup {
            return Err(refusal(
                StatusCode::BAD_REQUEST,
                msg!("editor-not-a-mockup"),
            ));
        }
        let (start, end) = yaml_range(&text, target.front_matter)
            .ok_or_else(|| refusal(StatusCode::CONFLICT, msg!("editor-yaml-gone")))?;
        let mut mockup = written_mockup(&text[start..end], &target.image)?;
        for (list, wanted) in [
            (&mut mockup.highlight, &marks.highlight),
            (&mut mockup.look, &marks.look),
            (&mut mockup.avoid, &marks.avoid),
        ] {
            if let Some(ids) = wanted {
                list.clone_from(ids);
            }
        }
        if let Some(problem) = mockup.check().into_iter().next() {
            return Err(refusal(StatusCode::BAD_REQUEST, problem.message));
        }
        let path = [target.image.as_slice(), &[Seg::Key("mockup")]].concat();
        for (key, wanted) in marks.lists() {
            let Some(ids) = wanted else { continue };
            let (start, end) = yaml_range(&text, target.front_matter)
                .ok_or_else(|| refusal(StatusCode::CONFLICT, msg!("editor-yaml-gone")))?;
            text = edit::mockup::replace_list(&text, start, end - start, &path, key, ids)
                .map_err(|why| refusal(StatusCode::BAD_REQUEST, why))?;
        }
        Ok(text)
    }

    /// anchors.yaml with the anchors of `annotations` on the figure's screenshot: its path,
    /// its text now (`None`: no such file yet) and its new text; `None` for a figure without
    /// a screenshot file.
    fn anchors_after(
        &self,
        target: &Target,
        annotations: &[AnnotationDef],
    ) -> Result<Option<(PathBuf, Option<String>, String)>, String> {
        let Some(picture) = &target.picture else {
            return Ok(None);
        };
        let gray = crate::images::gray(picture, self.max_pixels)?;
        let mut figure = anchor::anchors_of(&target.src, annotations, picture, &gray);
        let path = target.guide_dir.join(ANCHORS_FILE);
        let existing = crate::fs::read_to_string(&path).ok();
        let mut file: AnchorsFile = existing
            .as_deref()
            .and_then(|t| serde_saphyr::from_str(t).ok())
            .unwrap_or_default();
        // The same screenshot keeps what was said of it (a verified retake).
        if let Some(known) = file.figures.get(&target.key)
            && known.hash == figure.hash
        {
            figure.verified_for.clone_from(&known.verified_for);
        }
        file.figures.insert(target.key.clone(), figure);
        let text = anchor::to_yaml(&file);
        Ok(Some((path, existing, text)))
    }

    /// Writes anchors.yaml as [`Self::anchors_after`] made it.
    fn write_anchors(
        &self,
        (path, existing, text): (PathBuf, Option<String>, String),
    ) -> Result<(), String> {
        let well_formed = |t: &str| {
            serde_saphyr::from_str::<AnchorsFile>(t)
                .map(drop)
                .map_err(|e| e.to_string())
        };
        match existing {
            Some(old) => {
                edit::save(&self.root, &path, &old, &text, well_formed).map_err(|e| e.to_string())
            }
            None => edit::create(&path, &text).map_err(|e| format!("{e:#}")),
        }
    }
}

/// Whether the editor edits `figure`: a screenshot or a mock-up.
fn editable(figure: &crate::model::ImageDef) -> bool {
    figure.src.is_some() || figure.mockup.is_some()
}

/// The figures of `guide` with a screenshot or a mock-up, by key.
fn collect(guide: &Guide, targets: &mut HashMap<String, Target>) {
    let loaded = &guide.loaded;
    for (id, step) in &loaded.steps {
        if let Some(figure) = step.front.image.as_ref().filter(|f| editable(f)) {
            let key = format!("step:{id}");
            targets.insert(
                format!("{}/{key}", guide.slug()),
                Target {
                    file: step.source.path.clone(),
                    front_matter: true,
                    image: vec![Seg::Key("image")],
                    picture: figure.picture.clone(),
                    mockup: figure.mockup.is_some(),
                    src: figure.src.clone().unwrap_or_default(),
                    guide_dir: loaded.dir.clone(),
                    key,
                },
            );
        }
    }
    for t in &guide.troubles.entries {
        let Some(figure) = t.def.image.as_ref().filter(|f| editable(f)) else {
            continue;
        };
        let place = loaded.entry_source(&t.origin);
        let key = format!("trouble:{}", t.def.id);
        targets.insert(
            format!("{}/{key}", guide.slug()),
            Target {
                file: place.source.path.clone(),
                front_matter: place.base > 0,
                image: [place.path.as_slice(), &[Seg::Key("image")]].concat(),
                picture: figure.picture.clone(),
                mockup: figure.mockup.is_some(),
                src: figure.src.clone().unwrap_or_default(),
                guide_dir: loaded.dir.clone(),
                key,
            },
        );
    }
}

/// The byte range of the YAML a figure is written in: a step's front matter, or all of it.
fn yaml_range(text: &str, front_matter: bool) -> Option<(usize, usize)> {
    if front_matter {
        crate::load::split_front_matter(text).map(|(range, _)| range)
    } else {
        Some((0, text.len()))
    }
}

/// The figure written at `image` in `yaml`, as JSON.
fn written_figure(yaml: &str, image: &[Seg<'_>]) -> Result<serde_json::Value, Refused> {
    let value: serde_json::Value = serde_saphyr::from_str(yaml)
        .map_err(|_| refusal(StatusCode::CONFLICT, msg!("editor-not-yaml")))?;
    let mut node = &value;
    for seg in image {
        node = match seg {
            Seg::Key(k) => node.get(*k),
            Seg::Index(i) => node.get(*i),
        }
        .ok_or_else(|| refusal(StatusCode::CONFLICT, msg!("editor-figure-gone")))?;
    }
    Ok(node.clone())
}

/// The annotations written at `image` in `yaml` (none when it has no list).
fn written_annotations(yaml: &str, image: &[Seg<'_>]) -> Result<Vec<AnnotationDef>, Refused> {
    match written_figure(yaml, image)?.get("annotations") {
        None | Some(serde_json::Value::Null) => Ok(Vec::new()),
        Some(list) => serde_json::from_value(list.clone()).map_err(|e| {
            refusal(
                StatusCode::CONFLICT,
                msg!("editor-file-annotations", error = e.to_string()),
            )
        }),
    }
}

/// The mock-up written at `image` in `yaml`.
fn written_mockup(yaml: &str, image: &[Seg<'_>]) -> Result<MockupDef, Refused> {
    let figure = written_figure(yaml, image)?;
    let mockup = figure
        .get("mockup")
        .ok_or_else(|| refusal(StatusCode::CONFLICT, msg!("editor-mockup-gone")))?;
    serde_json::from_value(mockup.clone()).map_err(|e| {
        refusal(
            StatusCode::CONFLICT,
            msg!("editor-file-mockup", error = e.to_string()),
        )
    })
}

/// Whether a saved `yaml` reads back as the save wanted: its annotations (`wanted`, as flow
/// mappings) and the mock-up's lists.
fn reads_back(
    yaml: &str,
    image: &[Seg<'_>],
    wanted: Option<&[String]>,
    marks: &Marks,
) -> Result<(), String> {
    if let Some(wanted) = wanted {
        let again = written_annotations(yaml, image).map_err(|(_, m)| m.to_string())?;
        let again: Vec<String> = again.iter().map(edit::annotations::flow_of).collect();
        if again != wanted {
            return Err("the annotations would not read back as saved".into());
        }
    }
    if marks.any() {
        let again = written_mockup(yaml, image).map_err(|(_, m)| m.to_string())?;
        let same =
            |now: &Vec<String>, want: &Option<Vec<String>>| want.as_ref().is_none_or(|w| w == now);
        if !same(&again.highlight, &marks.highlight)
            || !same(&again.look, &marks.look)
            || !same(&again.avoid, &marks.avoid)
        {
            return Err("the mock-up's lists would not read back as saved".into());
        }
    }
    Ok(())
}

/// The annotations a page sent, checked as `check` checks them.
fn annotations_of(values: &[serde_json::Value]) -> Result<Vec<AnnotationDef>, Refused> {
    let mut out = Vec::with_capacity(values.len());
    for (i, value) in values.iter().enumerate() {
        let a: AnnotationDef = serde_json::from_value(value.clone()).map_err(|e| {
            refusal(
                StatusCode::BAD_REQUEST,
                msg!("editor-annotation", number = i + 1, problem = e.to_string()),
            )
        })?;
        if let Some(problem) = a.check().into_iter().next() {
            return Err(refusal(
                StatusCode::BAD_REQUEST,
                msg!(
                    "editor-annotation",
                    number = i + 1,
                    problem = problem.message
                ),
            ));
        }
        out.push(a);
    }
    Ok(out)
}

/// The annotation editor's texts: its key in `editor.js`'s `T`, and the catalog id.
const TEXTS: &[(&str, &str)] = &[
    ("edit", "editor-edit"),
    ("lost", "editor-lost"),
    ("lostOld", "editor-lost-old"),
    ("lostNew", "editor-lost-new"),
    ("title", "editor-title"),
    ("select", "editor-select"),
    ("circle", "editor-circle"),
    ("ellipse", "editor-ellipse"),
    ("frame", "editor-frame"),
    ("arrow", "editor-arrow"),
    ("badge", "editor-badge"),
    ("label", "editor-label"),
    ("forbid", "editor-forbid"),
    ("mask", "editor-mask"),
    ("rounded", "editor-rounded"),
    ("del", "editor-del"),
    ("undo", "editor-undo"),
    ("redo", "editor-redo"),
    ("save", "editor-save"),
    ("cancel", "editor-cancel"),
    ("text", "editor-text"),
    ("number", "editor-number"),
    ("saved", "editor-saved"),
    ("saving", "editor-saving"),
    ("changed", "editor-changed"),
    ("reload", "editor-reload"),
    ("none", "editor-none"),
    ("tools", "editor-tools"),
    ("shapes", "editor-shapes"),
    ("unit", "editor-unit"),
    ("press", "editor-press"),
    ("look", "editor-look"),
    ("avoid", "editor-avoid"),
    ("elements", "editor-elements"),
    ("marksHint", "editor-marks-hint"),
    ("unmarked", "editor-unmarked"),
];

/// The editor's texts in `l`'s language, by their key in `editor.js`.
fn texts(l: &Localizer) -> serde_json::Value {
    TEXTS
        .iter()
        .map(|(key, id)| ((*key).to_owned(), serde_json::Value::from(l.text(id))))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// Why a request of the editor was refused: the answer's status and the message (made into
/// the answer's JSON in the author's language by [`Editor::answer`]).
type Refused = (StatusCode, Message);

fn refusal(status: StatusCode, message: Message) -> Refused {
    (status, message)
}

/// An error and its causes, each a catalog message where it is one.
fn error_message(err: &anyhow::Error) -> Message {
    let causes = err
        .chain()
        .map(|cause| match cause.downcast_ref::<Message>() {
            Some(message) => message.clone(),
            None => Message::text(cause.to_string()),
        })
        .collect();
    Message::list(causes, ": ")
}

/// 32 hex digits from the operating system's randomness (through the standard library's
/// randomly keyed hasher).
fn new_token() -> String {
    use std::hash::{BuildHasher as _, Hasher as _};
    let mut out = String::new();
    for part in 0..2u8 {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u8(part);
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        let _ = write!(out, "{:016x}", hasher.finish());
    }
    out
}

/// Compares without stopping at the first difference (the token is a secret).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
