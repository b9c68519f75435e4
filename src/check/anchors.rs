//! What `check --fix` changes for the anchors: the numbers of annotations that followed their
//! target into a retaken screenshot (written into the step, troubles.yaml or guide.yaml by
//! [`crate::edit::annotations`], touching nothing else), and anchors.yaml (the anchors of
//! annotations that have none yet, and new ones for a screenshot taken again).
//!
//! A figure with a lost target keeps its old anchors: what could not be followed stays
//! reported until it is placed again.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::figure::anchor::{self, ANCHORS_FILE, AnchorsFile, Verdict};
use crate::figure::annotate::AnnotationDef;
use crate::follow::{FigureSite, figure_sites};
use crate::load::LoadedGuide;
use crate::resolve::SiteIndex;
use crate::yaml::Seg;

/// One file `check --fix` changes: where, its text now, its new text (`before` is `None` for a
/// file made new).
#[derive(Debug)]
pub(crate) struct FileChange {
    pub path: PathBuf,
    pub display: PathBuf,
    pub before: Option<String>,
    pub after: String,
}

/// What the anchors' fixes found to do.
#[derive(Debug, Default)]
pub(crate) struct AnchorFixes {
    pub changes: Vec<FileChange>,
    /// Annotations whose new place is written.
    pub moved: usize,
    /// Figures whose anchors are recorded.
    pub recorded: usize,
}

/// The anchors' fixes of every guide; `texts` holds the texts other fixes already made of the
/// sources (by path), which these build on.
pub(crate) fn fix_anchors(
    index: &SiteIndex,
    max_pixels: u64,
    texts: &BTreeMap<PathBuf, String>,
) -> AnchorFixes {
    let mut out = AnchorFixes::default();
    for guide in &index.guides {
        fix_guide(&guide.loaded, max_pixels, texts, &mut out);
    }
    out
}

fn fix_guide(
    guide: &LoadedGuide,
    max_pixels: u64,
    texts: &BTreeMap<PathBuf, String>,
    out: &mut AnchorFixes,
) {
    let recorded = guide.anchors.as_ref().map(|(_, file)| file);
    let mut file: AnchorsFile = recorded.cloned().unwrap_or_default();
    let mut sources: BTreeMap<PathBuf, (PathBuf, String, String)> = BTreeMap::new();
    for site in figure_sites(guide) {
        let figure = site.figure;
        let Some(picture) = figure.picture.as_ref().filter(|p| p.hash != 0) else {
            continue;
        };
        let verdicts = figure.followed.as_ref().map(|f| f.verdicts.as_slice());
        let lost =
            verdicts.is_some_and(|v| v.iter().any(|v| matches!(v, Some(Verdict::Lost { .. }))));
        let moved = verdicts.map_or(0, |v| {
            v.iter()
                .filter(|v| matches!(v, Some(Verdict::Moved { .. })))
                .count()
        });
        if moved > 0 {
            let original = figure
                .followed
                .as_ref()
                .map(|f| f.original.as_slice())
                .unwrap_or_default();
            if write_moved(&site, original, &figure.annotations, texts, &mut sources) {
                out.moved += moved;
            }
        }
        let known = file.figures.get(&site.key);
        let needs = known.is_none_or(|k| {
            k.hash != anchor::hash_text(picture.hash)
                || figure
                    .annotations
                    .iter()
                    .any(|a| anchor::anchor_of(k, a).is_none())
        }) || moved > 0;
        if lost || !needs || figure.annotations.is_empty() {
            continue;
        }
        let Ok(gray) = crate::images::gray(picture, max_pixels) else {
            continue;
        };
        let src = figure.src.clone().unwrap_or_default();
        let mut taken = anchor::anchors_of(&src, &figure.annotations, picture, &gray);
        // A retake whose every anchor was found shows the app as the guide documents it; a
        // screenshot recorded again for other reasons keeps what was said of it.
        taken.verified_for = if figure
            .followed
            .as_ref()
            .is_some_and(|f| f.retake_verified())
        {
            guide.def.app.as_ref().map(|app| app.version.clone())
        } else {
            known.and_then(|k| k.verified_for.clone())
        };
        file.figures.insert(site.key.clone(), taken);
        out.recorded += 1;
    }
    for (path, (display, before, after)) in sources {
        out.changes.push(FileChange {
            path,
            display,
            before: Some(before),
            after,
        });
    }
    // No anchors.yaml for a guide with no anchors to keep (mock-ups only).
    let nothing_new = recorded.is_none() && file.figures.is_empty();
    if recorded != Some(&file) && !nothing_new {
        let path = guide.dir.join(ANCHORS_FILE);
        let display = guide.file.display.with_file_name(ANCHORS_FILE);
        out.changes.push(FileChange {
            path,
            display,
            before: guide
                .anchors
                .as_ref()
                .map(|(source, _)| source.text.clone()),
            after: anchor::to_yaml(&file),
        });
    }
}

/// Writes the followed numbers of `site`'s annotations (`original` as written → `now`) into its
/// source's text in `sources` (started from `texts` or the loaded text); whether it could.
fn write_moved(
    site: &FigureSite<'_>,
    original: &[AnnotationDef],
    now: &[AnnotationDef],
    texts: &BTreeMap<PathBuf, String>,
    sources: &mut BTreeMap<PathBuf, (PathBuf, String, String)>,
) -> bool {
    let source = site.place.source;
    let entry = sources.entry(source.path.clone()).or_insert_with(|| {
        let start = texts
            .get(&source.path)
            .cloned()
            .unwrap_or_else(|| source.text.clone());
        (source.display.clone(), source.text.clone(), start)
    });
    let current = &entry.2;
    let range = if site.place.base > 0 {
        crate::load::split_front_matter(current).map(|(range, _)| range)
    } else {
        Some((0, current.len()))
    };
    let Some((start, end)) = range else {
        return false;
    };
    let image: Vec<Seg<'_>> = site.place.path.clone();
    match crate::edit::annotations::replace(current, start, end - start, &image, original, now) {
        Ok(text) => {
            entry.2 = text;
            true
        }
        Err(_) => false,
    }
}
