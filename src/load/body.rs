//! Step bodies a large build does not hold: released after the guide is resolved, read again
//! when the step's page is rendered.
//!
//! A step's Markdown body is most of its file, and nothing between the resolve stage and the
//! rendering of the step needs it. A build keeps bodies up to a [`TextBudget`]; a guide whose
//! bodies do not fit in its share releases them (the front matter stays: diagnostics point
//! into it), and [`LoadedStep::full_source`] reads each file again when its page is made.
//!
//! Invariants: a released step keeps its front matter's text and the body's length and hash;
//! the text read again is used only when its front matter and body are byte for byte the ones
//! loaded, otherwise the step is an error (the file changed during the build); the hash a
//! step gives the page cache ([`LoadedStep::body_hash`]) is the same whether released or not.

use std::hash::{Hash as _, Hasher as _};

use std::path::Path;

use super::{LoadedGuide, LoadedStep, Source};
use crate::diagnostics::Diagnostic;

/// What is left of a released body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Released {
    len: usize,
    hash: u64,
}

/// How many bytes of step bodies each guide of a build may hold: an equal share of the whole
/// budget, so that what a guide keeps does not depend on which guides loaded first.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TextBudget {
    per_guide: usize,
}

impl TextBudget {
    /// `bytes` in all, shared by `guides` guides.
    pub(crate) fn new(bytes: usize, guides: usize) -> Self {
        Self {
            per_guide: bytes / guides.max(1),
        }
    }
}

/// Keeps the bodies of `guide`'s steps when they fit in its share of `budget`, else releases
/// every one.
pub(crate) fn keep_or_release(guide: &mut LoadedGuide, budget: TextBudget) {
    let bytes: usize = guide.steps.values().map(|s| s.body().len()).sum();
    if bytes > budget.per_guide {
        guide.steps.values_mut().for_each(LoadedStep::release_body);
    }
}

impl LoadedGuide {
    /// Whether the guide's step bodies were freed (all of them are, or none).
    pub(crate) fn bodies_released(&self) -> bool {
        self.steps.values().any(|s| s.released.is_some())
    }
}

fn hash_body(body: &str) -> u64 {
    // FxHasher, as `LoadedGuide::fingerprint`: cheap, and the same in every run of a binary.
    let mut h = rustc_hash::FxHasher::default();
    body.hash(&mut h);
    h.finish()
}

impl LoadedStep {
    /// Frees the body's text, keeping its length and hash.
    pub(crate) fn release_body(&mut self) {
        if self.released.is_some() {
            return;
        }
        self.released = Some(Released {
            len: self.body().len(),
            hash: hash_body(self.body()),
        });
        self.source.text.truncate(self.body_offset);
        self.source.text.shrink_to_fit();
    }

    /// The body's hash, as the page cache keys it (released or not).
    pub(crate) fn body_hash(&self) -> u64 {
        self.released
            .map_or_else(|| hash_body(self.body()), |r| r.hash)
    }

    /// The step's whole file when its body was released: the file under the site root `root`
    /// read again (`None`: the loaded source is whole). An error when the file cannot be read,
    /// or is not what was loaded any more.
    pub(crate) fn full_source(&self, root: &Path) -> Result<Option<Source>, Diagnostic> {
        let Some(released) = self.released else {
            return Ok(None);
        };
        let again = Source::read(root, &self.source.path)?;
        let same = again.text.len() == self.body_offset + released.len
            && again.text.starts_with(&self.source.text)
            && hash_body(&again.text[self.body_offset..]) == released.hash;
        if same {
            Ok(Some(again))
        } else {
            Err(
                Diagnostic::error(crate::i18n::msg!("step-changed-in-build"))
                    .in_file(&self.source.display)
                    .with_hint(crate::i18n::msg!("step-changed-in-build-hint")),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn step(dir: &Path, text: &str) -> LoadedStep {
        let path = dir.join("content/g/steps/a.md");
        crate::fs::create_dir_all(path.parent().unwrap()).unwrap();
        crate::fs::write(&path, text).unwrap();
        let source = Source::read(dir, &path).unwrap();
        super::super::steps::parse_step("a".into(), source).unwrap()
    }

    #[test]
    fn a_released_body_is_read_again_whole() {
        let dir = tempfile::tempdir().unwrap();
        let text = "---\ntitle: A\n---\n本文です。\n";
        let mut a = step(dir.path(), text);
        let hash = a.body_hash();
        a.release_body();
        assert_eq!(a.source.text, "---\ntitle: A\n---\n");
        assert_eq!(a.body_hash(), hash);
        let again = a.full_source(dir.path()).unwrap().unwrap();
        assert_eq!(again.text, text);
        assert_eq!(again.display, PathBuf::from("content/g/steps/a.md"));
    }

    #[test]
    fn a_body_changed_after_loading_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = step(dir.path(), "---\ntitle: A\n---\n本文です。\n");
        a.release_body();
        crate::fs::write(&a.source.path, "---\ntitle: A\n---\n本文でした。\n").unwrap();
        let err = a.full_source(dir.path()).unwrap_err();
        assert_eq!(err.file.as_deref(), Some(Path::new("content/g/steps/a.md")));
    }

    #[test]
    fn the_budget_keeps_what_fits_and_releases_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let a = step(dir.path(), "---\ntitle: A\n---\n0123456789\n");
        let guide_yaml = "title: G\ndescription: D\npublished: 2026-01-01\nsections:\n  - id: s\n    kind: procedure\n    title: S\n    steps: [a]\n";
        let (mut guide, problems) = super::super::guide_from_texts(
            "g",
            guide_yaml,
            &[("a", "---\ntitle: A\n---\n0123456789\n")],
            None,
            None,
        );
        let guide = guide.as_mut().unwrap_or_else(|| panic!("{problems:?}"));
        assert_eq!(guide.steps["a"].body(), a.body());
        // The body is 11 bytes: it fits in a share of 22 bytes between two guides, not of 21.
        keep_or_release(guide, TextBudget::new(22, 2));
        assert!(guide.steps["a"].released.is_none());
        keep_or_release(guide, TextBudget::new(21, 2));
        assert!(guide.steps["a"].released.is_some());
    }
}
