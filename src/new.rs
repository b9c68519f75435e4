//! `tebiki new guide SLUG` and `tebiki new step GUIDE ID [--after ID | --section ID]`: the
//! files of a new guide or step, and the step's id put into `guide.yaml` where it belongs.
//!
//! The id goes in by a textual edit, so that the file's comments and formatting stay as they
//! are; where it goes comes from the YAML's spans (serde-saphyr), and the edited text is parsed
//! again and must list the id at that place, or nothing is written.

use std::path::Path;

use anyhow::{Result, bail};

use crate::diagnostics::did_you_mean;
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
        bail!(
            "`{slug}` is not a guide of this site: give the guide's folder name under content/ (lower-case ASCII letters, digits and `-`), e.g. `my-guide`"
        );
    }
    let dir = root.join("content").join(slug);
    let real_root = crate::paths::canonical_root(root)
        .map_err(|e| anyhow::anyhow!("could not open the site folder {}: {e}", root.display()))?;
    let mut check = crate::paths::PathCheck::new(&real_root);
    if let Err(problem) = check.check(&real_root.join("content").join(slug)) {
        bail!(
            "{}\n  help: {}",
            problem.message(&format!("the guide folder content/{slug}")),
            problem.hint("the guide folder")
        );
    }
    Ok(dir)
}

/// `content/<slug>/`: guide.yaml with one procedure of one step, and that step's file.
pub(crate) fn guide(root: &Path, slug: &str) -> Result<Vec<std::path::PathBuf>> {
    if !is_valid_id(slug) {
        bail!(
            "`{slug}` cannot be a guide's folder name: use lower-case ASCII letters, digits and `-`, e.g. `my-guide`"
        );
    }
    crate::names::check_guide_slug(slug).map_err(|why| anyhow::anyhow!("{why}"))?;
    let dir = guide_dir(root, slug)?;
    if dir.exists() {
        bail!(
            "there is a guide `{slug}` already ({}): pick another name",
            dir.display()
        );
    }
    let (yaml, step) = if is_english(root) {
        (
            "title: A new guide\ndescription: What this guide helps with.\npublished: 2026-01-01\nsections:\n  - id: main\n    kind: procedure\n    title: Steps\n    steps:\n      - first\n",
            "---\ntitle: The first step\n---\nWhat to do first.\n",
        )
    } else {
        (
            "title: 新しい手引き\ndescription: この手引きで何ができるかを書きます。\npublished: 2026-01-01\nsections:\n  - id: main\n    kind: procedure\n    title: 手順\n    steps:\n      - first\n",
            "---\ntitle: 最初の手順\n---\nはじめにすることを書きます。\n",
        )
    };
    let files = [
        (dir.join("guide.yaml"), yaml),
        (dir.join("steps/first.md"), step),
    ];
    for (path, text) in &files {
        crate::edit::create(path, text)?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// The step `id` of guide `slug`: its file, and its id in `guide.yaml` at `place`.
pub(crate) fn step(
    root: &Path,
    slug: &str,
    id: &str,
    place: &Place,
) -> Result<Vec<std::path::PathBuf>> {
    let dir = guide_dir(root, slug)?;
    let yaml_path = dir.join("guide.yaml");
    if !yaml_path.is_file() {
        let guides = guide_slugs(root);
        let hint = did_you_mean(slug, guides.iter().map(String::as_str))
            .map_or_else(String::new, |c| format!(" (did you mean `{c}`?)"));
        bail!("there is no guide `{slug}`: content/{slug}/guide.yaml does not exist{hint}");
    }
    if !is_valid_id(id) {
        bail!(
            "`{id}` cannot be a step id: use lower-case ASCII letters, digits and `-`, e.g. `open-menu`"
        );
    }
    crate::names::check_id(id).map_err(|why| anyhow::anyhow!("{why}"))?;
    let text = crate::fs::read_to_string(&yaml_path)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned();
    let def: GuideFile = serde_saphyr::from_str(&text).map_err(|_| {
        anyhow::anyhow!(
            "{} has problems: run `tebiki check` first",
            yaml_path.display()
        )
    })?;
    let step_file = dir.join("steps").join(format!("{id}.md"));
    let listed = def
        .sections
        .iter()
        .flat_map(|s| s.steps.iter())
        .any(|s| s.id == id);
    if listed || step_file.exists() {
        bail!("the guide `{slug}` has a step `{id}` already: pick another id");
    }
    let edited = insert(&text, &def, id, place)?;
    let step = if is_english(root) {
        "---\ntitle: A new step\n---\nWhat to do in this step.\n"
    } else {
        "---\ntitle: 新しい手順\n---\nこの手順ですることを書きます。\n"
    };
    // guide.yaml first: when it cannot be written, no step file is left without its id.
    crate::edit::save(root, &yaml_path, &text, &edited, |t| {
        serde_saphyr::from_str::<GuideFile>(t)
            .map(drop)
            .map_err(|e| e.to_string())
    })?;
    crate::edit::create(&step_file, step)?;
    Ok(vec![step_file, yaml_path])
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
    let tree =
        Tree::parse(text).ok_or_else(|| anyhow::anyhow!("guide.yaml is not well-formed YAML"))?;
    let steps = [Seg::Key("sections"), Seg::Index(si), Seg::Key("steps")];
    let count = def.sections[si].steps.len();
    // The line of the item the new one follows (or precedes, for the first place).
    let anchor = position.saturating_sub(1);
    let item = [&steps[..], &[Seg::Index(anchor)]].concat();
    let Some((start, _)) = tree.span(&item) else {
        bail!(
            "cannot place `{id}` safely: the section `{}` lists no step to put it next to; add the line `- {id}` under its `steps:` yourself",
            def.sections[si].id
        );
    };
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..start];
    let Some(dash) = prefix.trim_end().strip_suffix('-').map(str::len) else {
        bail!(
            "cannot place `{id}` safely: the steps of `{}` are written as a `[…]` list; write them one `- id` per line first",
            def.sections[si].id
        );
    };
    let indent = &prefix[..dash];
    if !indent.chars().all(|c| c == ' ') {
        bail!("cannot place `{id}` safely: the steps' lines are not indented with spaces");
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
    let again: GuideFile = serde_saphyr::from_str(&edited).map_err(|_| {
        anyhow::anyhow!("cannot place `{id}` safely in guide.yaml; add the line `- {id}` yourself")
    })?;
    let ids: Vec<&str> = again.sections[si]
        .steps
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    if ids.get(position) != Some(&id) || ids.len() != count + 1 {
        bail!("cannot place `{id}` safely in guide.yaml; add the line `- {id}` yourself");
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
        let hint = did_you_mean(after, all)
            .map_or_else(String::new, |c| format!(" (did you mean `{c}`?)"));
        bail!("no procedure of this guide has a step `{after}` to put the new one after{hint}");
    }
    let procedures = || {
        def.sections
            .iter()
            .enumerate()
            .filter(|(_, s)| s.kind == SectionKind::Procedure)
    };
    let found = match &place.section {
        Some(wanted) => procedures().find(|(_, s)| s.id == *wanted).ok_or_else(|| {
            let hint = did_you_mean(wanted, procedures().map(|(_, s)| s.id.as_str()))
                .map_or_else(String::new, |c| format!(" (did you mean `{c}`?)"));
            anyhow::anyhow!("this guide has no procedure `{wanted}`{hint}")
        })?,
        None => procedures()
            .next()
            .ok_or_else(|| anyhow::anyhow!("this guide has no procedure to add a step to"))?,
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
