//! `tebiki new guide SLUG [--app NAME --app-version V]`, `tebiki new step GUIDE ID [--after ID
//! | --section ID]` and `tebiki new section GUIDE ID [--kind …]`: the files of a new guide, step
//! or section, today's date and the app's version filled in, and the new id put into
//! `guide.yaml` where it belongs. The texts left for the author to write are
//! [`PLACEHOLDERS`], which `check` points out while they are still there.
//!
//! The id goes in by a textual edit, so that the file's comments and formatting stay as they
//! are; where it goes comes from the YAML's spans (serde-saphyr), and the edited text is parsed
//! again and must list the id at that place, or nothing is written.

use std::path::Path;

use anyhow::Result;

use crate::diagnostics::did_you_mean;
use crate::i18n::{Message, msg};
use crate::model::{GuideFile, SectionKind, is_valid_id};
use crate::yaml::{Seg, Tree};

/// Where `new step` puts the id.
#[derive(Debug, Default)]
pub(crate) struct Place {
    /// After this step id.
    pub after: Option<String>,
    /// At the end of this procedure section.
    pub section: Option<String>,
}

/// The language of the texts written: site.yaml's `language`, read by `config` (Japanese
/// when site.yaml cannot be read or parsed).
fn is_english(root: &Path) -> bool {
    let path = root.join(crate::config::CONFIG_FILE);
    crate::fs::read_to_string(&path)
        .ok()
        .and_then(|text| crate::config::SiteConfig::parse(&path, &text).ok())
        .is_some_and(|config| config.language == "en")
}

/// The folder of guide `slug` of the site at `root`, refused unless `slug` is a guide's name
/// (no path: `new step ../../other-site/content/g` is not a guide of this site) and the
/// folder is inside the site (no link out of it).
fn guide_dir(root: &Path, slug: &str) -> Result<std::path::PathBuf> {
    if !is_valid_id(slug) {
        return Err(fail(msg!("new-not-a-guide", slug = slug)));
    }
    let dir = root.join("content").join(slug);
    let real_root = crate::paths::canonical_root(root)
        .map_err(|e| anyhow::Error::new(e).context(msg!("new-cannot-open-site", path = root)))?;
    let mut check = crate::paths::PathCheck::new(&real_root);
    if let Err(problem) = check.check(&real_root.join("content").join(slug)) {
        let what = msg!("the-guide-folder", path = format!("content/{slug}"));
        return Err(fail(msg!(
            "with-help",
            message = problem.message(what),
            hint = problem.hint(msg!("noun-guide-folder"))
        )));
    }
    Ok(dir)
}

/// Today's date where the author is (`YYYY-MM-DD`; UTC when the time zone is unknown).
pub(crate) fn today() -> String {
    jiff::ZonedDateTime::now().date().to_string()
}

/// The texts the templates of `new` write for the author to replace; `check` warns where one
/// is left (Japanese, English).
pub(crate) const PLACEHOLDERS: &[&str] = &[
    "新しい手引き",
    "この手引きで何ができるかを書きます。",
    "アプリの名前",
    "最初の手順",
    "はじめにすることを書きます。",
    "新しい手順",
    "この手順ですることを書きます。",
    "新しいまとまり",
    "このまとまりで何をするかを書きます。",
    "A new guide",
    "What this guide helps with.",
    "The app's name",
    "The first step",
    "What to do first.",
    "A new step",
    "What to do in this step.",
    "A new section",
    "What this section is for.",
];

/// What `new guide` is told: the app the guide documents and its version, when known.
#[derive(Debug, Default)]
pub(crate) struct NewGuide {
    pub app: Option<String>,
    pub version: Option<String>,
}

/// A step file's text: the title and body placeholders, and `image:` with `captured:` written
/// as comments (today's date, the guide's app version) for the author to open up.
fn step_text(english: bool, id: &str, title: &str, body: &str, version: &str) -> String {
    let today = today();
    let (note, alt) = if english {
        (
            "# Once the screenshot is in images/, remove the # of these lines and fill them in\n# (captured: the app's version the screenshot shows).",
            "The screen; what to press is framed in red",
        )
    } else {
        (
            "# スクリーンショットを images/ に置いたら、次の行の # を外して書き換えます\n# （captured は、その画面のアプリのバージョンと撮った日）。",
            "画面の説明。押すところが赤い枠で囲まれている",
        )
    };
    format!(
        "---\ntitle: {title}\n{note}\n# image:\n#   src: images/{id}.png\n#   alt: {alt}\n#   captured: {{version: '{version}', date: {today}}}\n---\n{body}\n"
    )
}

/// `content/<slug>/`: guide.yaml (today's date, the app and its version) with one procedure of
/// one step, and that step's file.
pub(crate) fn guide(root: &Path, slug: &str, new: &NewGuide) -> Result<Vec<std::path::PathBuf>> {
    if !is_valid_id(slug) {
        return Err(fail(msg!("new-bad-slug", slug = slug)));
    }
    crate::names::check_guide_slug(slug).map_err(refused)?;
    if let Some(problem) = new
        .version
        .as_deref()
        .and_then(crate::figure::version_problem)
    {
        return Err(anyhow::Error::new(problem).context(Message::text("--app-version")));
    }
    let dir = guide_dir(root, slug)?;
    if dir.exists() {
        return Err(fail(msg!("new-guide-exists", slug = slug, path = &dir)));
    }
    let english = is_english(root);
    let today = today();
    let version = new.version.as_deref().unwrap_or("1.0");
    let (app, yaml, step) = if english {
        (
            new.app.as_deref().unwrap_or("The app's name"),
            "title: A new guide\ndescription: What this guide helps with.\npublished: {today}\n# The app this guide documents and its version now: tebiki check lists the screenshots\n# captured for an older one.\napp:\n  name: {app}\n  version: '{version}'\nsections:\n  - id: main\n    kind: procedure\n    title: Steps\n    steps:\n      - first\n",
            step_text(
                true,
                "first",
                "The first step",
                "What to do first.",
                version,
            ),
        )
    } else {
        (
            new.app.as_deref().unwrap_or("アプリの名前"),
            "title: 新しい手引き\ndescription: この手引きで何ができるかを書きます。\npublished: {today}\n# 手引きが説明するアプリと、いまのバージョン。これより古いバージョンで撮った\n# スクリーンショットを tebiki check が知らせます。\napp:\n  name: {app}\n  version: '{version}'\nsections:\n  - id: main\n    kind: procedure\n    title: 手順\n    steps:\n      - first\n",
            step_text(
                false,
                "first",
                "最初の手順",
                "はじめにすることを書きます。",
                version,
            ),
        )
    };
    let yaml = yaml
        .replace("{today}", &today)
        .replace("{app}", &yaml_scalar(app))
        .replace("{version}", version);
    let files = [
        (dir.join("guide.yaml"), yaml),
        (dir.join("steps/first.md"), step),
    ];
    for (path, text) in &files {
        crate::edit::create(path, text)?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// `text` as a YAML plain scalar when it reads back as itself, else double-quoted.
fn yaml_scalar(text: &str) -> String {
    let plain = serde_saphyr::from_str::<String>(text).is_ok_and(|t| t == text)
        && !text.contains([':', '#', '\'', '"']);
    if plain {
        text.to_owned()
    } else {
        serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
    }
}

/// A guide's guide.yaml as `new step` and `new section` edit it.
struct Opened {
    dir: std::path::PathBuf,
    yaml_path: std::path::PathBuf,
    /// Its text (without a byte-order mark).
    text: String,
    def: GuideFile,
}

/// Guide `slug`'s guide.yaml, read and parsed, once `id` is known to be a good id for a new
/// `what` (`step`, `section`; `example` in the message).
fn open_guide(
    root: &Path,
    slug: &str,
    id: &str,
    (what, example): (&'static str, &str),
) -> Result<Opened> {
    let dir = guide_dir(root, slug)?;
    let yaml_path = dir.join("guide.yaml");
    if !yaml_path.is_file() {
        let guides = guide_slugs(root);
        let hint = did_you_mean(slug, guides.iter().map(String::as_str)).map_or_else(
            || Message::text(""),
            |c| msg!("did-you-mean-suffix", name = c),
        );
        return Err(fail(msg!("new-no-guide", slug = slug, close = hint)));
    }
    if !is_valid_id(id) {
        return Err(fail(msg!(
            "new-bad-id",
            id = id,
            what = Message::new(what),
            example = example
        )));
    }
    crate::names::check_id(id).map_err(refused)?;
    let text = crate::fs::read_to_string(&yaml_path)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned();
    let def: GuideFile = serde_saphyr::from_str(&text)
        .map_err(|_| fail(msg!("new-guide-has-problems", path = &yaml_path)))?;
    Ok(Opened {
        dir,
        yaml_path,
        text,
        def,
    })
}

/// The step `id` of guide `slug`: its file, and its id in `guide.yaml` at `place`.
pub(crate) fn step(
    root: &Path,
    slug: &str,
    id: &str,
    place: &Place,
) -> Result<Vec<std::path::PathBuf>> {
    let Opened {
        dir,
        yaml_path,
        text,
        def,
    } = open_guide(root, slug, id, ("what-a-step", "open-menu"))?;
    let step_file = dir.join("steps").join(format!("{id}.md"));
    let listed = def
        .sections
        .iter()
        .flat_map(|s| s.steps.iter())
        .any(|s| s.id == id);
    if listed || step_file.exists() {
        return Err(fail(msg!("new-step-exists", slug = slug, id = id)));
    }
    let edited = insert(&text, &def, id, place)?;
    let version = def.app.as_ref().map_or("1.0", |a| a.version.as_str());
    let step = if is_english(root) {
        step_text(true, id, "A new step", "What to do in this step.", version)
    } else {
        step_text(
            false,
            id,
            "新しい手順",
            "この手順ですることを書きます。",
            version,
        )
    };
    // guide.yaml first: when it cannot be written, no step file is left without its id.
    crate::edit::save(root, &yaml_path, &text, &edited, |t| {
        serde_saphyr::from_str::<GuideFile>(t)
            .map(drop)
            .map_err(|e| e.to_string())
    })?;
    crate::edit::create(&step_file, &step)?;
    Ok(vec![step_file, yaml_path])
}

/// The kind of section `new section` adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// Numbered steps (with a first step file).
    Procedure,
    /// Signs of failure, each with its remedy.
    Failure,
    /// Points to remember.
    Summary,
}

/// The section `id` of guide `slug`, added after its last section: for a procedure, with a
/// first step `<id>-first` and its file. The edit is textual, checked by reading the result.
pub(crate) fn section(
    root: &Path,
    slug: &str,
    id: &str,
    kind: Kind,
    title: Option<&str>,
) -> Result<Vec<std::path::PathBuf>> {
    let Opened {
        dir,
        yaml_path,
        text,
        def,
    } = open_guide(root, slug, id, ("what-a-section", "unlink"))?;
    let first_step = format!("{id}-first");
    let step_file = dir.join("steps").join(format!("{first_step}.md"));
    let taken = def
        .sections
        .iter()
        .any(|s| s.id == id || s.steps.iter().any(|r| r.id == id || r.id == first_step));
    if taken || (kind == Kind::Procedure && step_file.exists()) {
        return Err(fail(msg!("new-section-exists", slug = slug, id = id)));
    }
    let english = is_english(root);
    let title = title.map_or_else(
        || {
            if english {
                "A new section"
            } else {
                "新しいまとまり"
            }
            .to_owned()
        },
        yaml_scalar,
    );
    let intro = if english {
        "What this section is for."
    } else {
        "このまとまりで何をするかを書きます。"
    };
    let edited = append_section(&text, &def, id, kind, &title, intro)?;
    crate::edit::save(root, &yaml_path, &text, &edited, |t| {
        serde_saphyr::from_str::<GuideFile>(t)
            .map(drop)
            .map_err(|e| e.to_string())
    })?;
    if kind != Kind::Procedure {
        return Ok(vec![yaml_path]);
    }
    let version = def.app.as_ref().map_or("1.0", |a| a.version.as_str());
    let step = if english {
        step_text(
            true,
            &first_step,
            "A new step",
            "What to do in this step.",
            version,
        )
    } else {
        step_text(
            false,
            &first_step,
            "新しい手順",
            "この手順ですることを書きます。",
            version,
        )
    };
    crate::edit::create(&step_file, &step)?;
    Ok(vec![yaml_path, step_file])
}

/// `text` with section `id` after the last section, at its indentation; checked by reading
/// the result again (the section must come last, the others unchanged).
fn append_section(
    text: &str,
    def: &GuideFile,
    id: &str,
    kind: Kind,
    title: &str,
    intro: &str,
) -> Result<String> {
    let tree = Tree::parse(text).ok_or_else(|| fail(msg!("new-guide-not-yaml")))?;
    let last = [
        Seg::Key("sections"),
        Seg::Index(def.sections.len().saturating_sub(1)),
    ];
    let cannot = || fail(msg!("new-section-unsafe", id = id));
    let (start, _) = tree.span(&last).ok_or_else(cannot)?;
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..start];
    let dash = prefix.find('-').ok_or_else(cannot)?;
    if !prefix[..dash].chars().all(|c| c == ' ') {
        return Err(cannot());
    }
    let pad = " ".repeat(dash);
    let body = match kind {
        Kind::Procedure => format!("{pad}  steps:\n{pad}    - {id}-first\n"),
        Kind::Failure => format!("{pad}  signs: []\n"),
        Kind::Summary => format!("{pad}  points: []\n"),
    };
    let kind_name = match kind {
        Kind::Procedure => "procedure",
        Kind::Failure => "failure",
        Kind::Summary => "summary",
    };
    let block = format!(
        "{pad}- id: {id}\n{pad}  kind: {kind_name}\n{pad}  title: {title}\n{pad}  intro: {intro}\n{body}"
    );
    // After the last section's lines: those indented deeper than its `-`, blank lines between
    // them included, the blank lines after them not.
    let mut at = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i + 1);
    let mut end = at;
    while at < text.len() {
        let line = text[at..].split('\n').next().unwrap_or("");
        let next = (at + line.len() + 1).min(text.len());
        if !line.trim().is_empty() {
            if line.len() - line.trim_start_matches(' ').len() <= dash {
                break;
            }
            end = next;
        }
        at = next;
    }
    let at = end;
    let mut edited = String::with_capacity(text.len() + block.len() + 1);
    edited.push_str(&text[..at]);
    if !edited.is_empty() && !edited.ends_with('\n') {
        edited.push('\n');
    }
    edited.push_str(&block);
    edited.push_str(&text[at..]);
    let again: GuideFile = serde_saphyr::from_str(&edited).map_err(|_| cannot())?;
    let same = again.sections.len() == def.sections.len() + 1
        && again.sections.last().is_some_and(|s| s.id == id)
        && again
            .sections
            .iter()
            .zip(&def.sections)
            .all(|(a, b)| a.id == b.id);
    if !same {
        return Err(cannot());
    }
    Ok(edited)
}

fn guide_slugs(root: &Path) -> Vec<String> {
    crate::fs::read_dir(&root.join("content"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("guide.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// `text` with the line `- id` put at `place`; checked by reading the result again.
fn insert(text: &str, def: &GuideFile, id: &str, place: &Place) -> Result<String> {
    let (si, position) = target(def, place)?;
    let tree = Tree::parse(text).ok_or_else(|| fail(msg!("new-guide-not-yaml")))?;
    let steps = [Seg::Key("sections"), Seg::Index(si), Seg::Key("steps")];
    let count = def.sections[si].steps.len();
    // The line of the item the new one follows (or precedes, for the first place).
    let anchor = position.saturating_sub(1);
    let item = [&steps[..], &[Seg::Index(anchor)]].concat();
    let Some((start, _)) = tree.span(&item) else {
        return Err(fail(msg!(
            "new-step-no-neighbour",
            id = id,
            section = &def.sections[si].id
        )));
    };
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..start];
    let Some(dash) = prefix.trim_end().strip_suffix('-').map(str::len) else {
        return Err(fail(msg!(
            "new-step-flow-list",
            id = id,
            section = &def.sections[si].id
        )));
    };
    let indent = &prefix[..dash];
    if !indent.chars().all(|c| c == ' ') {
        return Err(fail(msg!("new-step-tabs", id = id)));
    }
    let new_line = format!("{indent}- {id}\n");
    let at = if position == 0 && count > 0 {
        line_start
    } else {
        end_of_item(text, line_start, dash)
    };
    let mut edited = String::with_capacity(text.len() + new_line.len());
    edited.push_str(&text[..at]);
    if at > 0 && !edited.ends_with('\n') {
        edited.push('\n');
    }
    edited.push_str(&new_line);
    edited.push_str(&text[at..]);
    let again: GuideFile =
        serde_saphyr::from_str(&edited).map_err(|_| fail(msg!("new-step-unsafe", id = id)))?;
    let ids: Vec<&str> = again.sections[si]
        .steps
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    if ids.get(position) != Some(&id) || ids.len() != count + 1 {
        return Err(fail(msg!("new-step-unsafe", id = id)));
    }
    Ok(edited)
}

/// The procedure section and the position in its steps where the new id goes.
fn target(def: &GuideFile, place: &Place) -> Result<(usize, usize)> {
    if let Some(after) = &place.after {
        for (si, section) in def.sections.iter().enumerate() {
            if place.section.as_ref().is_some_and(|s| *s != section.id) {
                continue;
            }
            if let Some(k) = section.steps.iter().position(|s| s.id == *after) {
                return Ok((si, k + 1));
            }
        }
        let all = def
            .sections
            .iter()
            .flat_map(|s| s.steps.iter().map(|r| r.id.as_str()));
        let hint = did_you_mean(after, all).map_or_else(
            || Message::text(""),
            |c| msg!("did-you-mean-suffix", name = c),
        );
        return Err(fail(msg!("new-no-after", after = after, close = hint)));
    }
    let procedures = || {
        def.sections
            .iter()
            .enumerate()
            .filter(|(_, s)| s.kind == SectionKind::Procedure)
    };
    let found = match &place.section {
        Some(wanted) => procedures().find(|(_, s)| s.id == *wanted).ok_or_else(|| {
            let hint = did_you_mean(wanted, procedures().map(|(_, s)| s.id.as_str())).map_or_else(
                || Message::text(""),
                |c| msg!("did-you-mean-suffix", name = c),
            );
            fail(msg!("new-no-procedure", wanted = wanted, close = hint))
        })?,
        None => procedures()
            .next()
            .ok_or_else(|| fail(msg!("new-no-procedures")))?,
    };
    Ok((found.0, found.1.steps.len()))
}

/// The byte just past the item whose `-` is at column `dash` of the line at `line_start`:
/// its own line and the lines indented deeper below it (a `- id: …` item's other keys).
fn end_of_item(text: &str, line_start: usize, dash: usize) -> usize {
    let mut at = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i + 1);
    while at < text.len() {
        let line = text[at..].split('\n').next().unwrap_or("");
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty();
        if blank || indent <= dash {
            break;
        }
        at += line.len() + 1;
    }
    at.min(text.len())
}

/// `message` as the error of a command.
fn fail(message: Message) -> anyhow::Error {
    anyhow::Error::new(message)
}

/// A name `names` refuses, as an error: what is wrong, then what to do.
fn refused((message, hint): crate::names::Refused) -> anyhow::Error {
    fail(crate::i18n::with_help(message, hint))
}
