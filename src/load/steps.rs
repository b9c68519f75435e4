//! Step files: the YAML front matter between `---` lines and the Markdown body after it.
//!
//! Invariants: a step file without front matter is an error at its first line; the front
//! matter's and the body's byte ranges are kept, so that diagnostics point into the file as
//! written; one file listed under two ids is parsed once and given each id.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{LoadedStep, Source, Sources};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fs::Folder;
use crate::model::StepFrontMatter;
use crate::yaml;

/// The step files `wanted` (id and path), read and parsed in parallel, by id; a file that
/// cannot be is reported and its step left out.
pub(super) fn load_steps(
    sources: &Sources<'_>,
    wanted: Vec<(String, PathBuf)>,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, LoadedStep> {
    let folders = folders(sources, &wanted);
    let loaded: Vec<Result<LoadedStep, Diagnostic>> = wanted
        .into_par_iter()
        .map(|(id, path)| {
            let folder = path.parent().and_then(|dir| folders.get(dir));
            load_step(sources, folder, id, &path)
        })
        .collect();
    let mut ok = Vec::with_capacity(loaded.len());
    for step in loaded {
        match step {
            Ok(step) => ok.push((step.id.clone(), step)),
            Err(d) => diagnostics.push(d),
        }
    }
    // Built at once, the map's nodes are full: inserted one by one they are left about half
    // full, and a step is some 600 bytes inline (30 MB at 100,000 steps).
    ok.into_iter().collect()
}

/// The folders the step files `wanted` are in, held open (on disk; those that open).
fn folders(sources: &Sources<'_>, wanted: &[(String, PathBuf)]) -> BTreeMap<PathBuf, Folder> {
    if sources.on_disk().is_none() {
        return BTreeMap::new();
    }
    let mut folders = BTreeMap::new();
    for dir in wanted.iter().filter_map(|(_, path)| path.parent()) {
        if !folders.contains_key(dir)
            && let Ok(folder) = Folder::open(dir)
        {
            folders.insert(dir.to_path_buf(), folder);
        }
    }
    folders
}

/// The step `id` from the file at `path` (in `folder`, when held open); serve's memo keeps
/// the parse while the file is unchanged.
pub(super) fn load_step(
    sources: &Sources<'_>,
    folder: Option<&Folder>,
    id: String,
    path: &Path,
) -> Result<LoadedStep, Diagnostic> {
    let Some(reads) = sources.reads() else {
        return parse_step(id, sources.read_unkept(folder, path)?);
    };
    let mut step = reads.steps.get_or(path, || {
        parse_step(id.clone(), sources.read_unkept(folder, path)?)
    })?;
    // One file may be listed under two ids.
    step.id = id;
    Ok(step)
}

/// A step file's front matter and body, from its text.
pub(super) fn parse_step(id: String, source: Source) -> Result<LoadedStep, Diagnostic> {
    let Some((yaml_range, body_offset)) = split_front_matter(&source.text) else {
        return Err(Diagnostic::error(crate::i18n::msg!("step-no-front-matter"))
            .in_file(&source.display)
            .at(
                &source.text,
                crate::diagnostics::Position { line: 1, column: 1 },
                3,
            )
            .with_hint(crate::i18n::msg!("step-no-front-matter-hint")));
    };
    let yaml_text = &source.text[yaml_range.0..yaml_range.1];
    let mut front: StepFrontMatter =
        yaml::parse(&source.display, &source.text, yaml_range.0, yaml_text)?;
    compact(&mut front);
    let step = LoadedStep {
        id,
        source,
        front,
        yaml_range,
        body_offset,
        released: None,
    };
    Ok(step)
}

/// Finds the YAML front matter between `---` lines: the YAML's byte range and the body's start.
/// `front` without the room its lists were grown with: a list parsed from YAML has room for
/// four items (an annotation is 240 bytes), and most steps have one annotation and no trouble
/// entry (72 MB at 100,000 steps).
fn compact(front: &mut StepFrontMatter) {
    front.troubles.shrink_to_fit();
    let images = front.troubles.iter_mut().filter_map(|t| t.image.as_mut());
    for image in front.image.iter_mut().chain(images) {
        image.annotations.shrink_to_fit();
    }
}

pub(crate) fn split_front_matter(text: &str) -> Option<((usize, usize), usize)> {
    let start = usize::from(text.starts_with('\u{feff}')) * 3;
    let rest = &text[start..];
    let first_len = if rest.starts_with("---\n") {
        4
    } else if rest.starts_with("---\r\n") {
        5
    } else {
        return None;
    };
    let yaml_start = start + first_len;
    let mut offset = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Some(((yaml_start, offset), offset + line.len()));
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_at_the_fences() {
        let text = "---\ntitle: x\n---\nbody\n";
        let ((s, e), body) = split_front_matter(text).unwrap();
        assert_eq!(&text[s..e], "title: x\n");
        assert_eq!(&text[body..], "body\n");
    }

    #[test]
    fn missing_closing_fence_is_no_front_matter() {
        assert_eq!(split_front_matter("---\ntitle: x\nbody\n"), None);
        assert_eq!(split_front_matter("title: x\n"), None);
    }
}
