//! The resolved site as one immutable value, [`SiteIndex`], and its queries: what a reference
//! (`@id`, `@a..b`, `@section/step`, `@guide:…`) names, and the link and text it becomes as
//! seen from where it is written ([`RefContext`]). Render asks these while writing pages, so a
//! renumbered step shows its new number everywhere at the next build.
//!
//! Invariants: the index is built once per build (or per serve rebuild) from resolved guides
//! and never changes afterwards; its guides are sorted newest first, then by slug, and
//! `by_slug` indexes that order. Nothing here reads a file or reports a diagnostic: a
//! reference that does not resolve is a [`RefError`] for the caller to place.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use super::resolved::{Guide, Occurrence, Place, Target, suggest};
use crate::config::{Labels, SiteConfig};
use crate::i18n::msg;
use crate::reference::{self, Local};

/// Every guide of the site, resolved.
#[derive(Debug)]
pub(crate) struct SiteIndex {
    pub config: SiteConfig,
    pub labels: Labels,
    /// Shared, so that serve can keep the guides an edit did not touch between rebuilds.
    pub guides: Vec<Arc<Guide>>,
    by_slug: HashMap<String, GuideId>,
}

/// A reference that resolved: where it goes and the text it shows when the author gave none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Link {
    pub href: String,
    pub text: String,
}

/// A guide's place in [`SiteIndex::guides`] (newest first): how the stages after resolve name
/// a guide to each other (the guide a reference is written in, the guides a page shows
/// something of, the guide a post is made of).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct GuideId(usize);

impl GuideId {
    /// The guide at `position` in [`SiteIndex::guides`].
    pub(crate) fn at(position: usize) -> Self {
        Self(position)
    }

    /// Its position in [`SiteIndex::guides`] (and in every list made in that order).
    pub(crate) fn position(self) -> usize {
        self.0
    }
}

/// Where a reference is written: which guide and, if inside a section, which one; and on which
/// guide's page the result is shown (`None` for site-wide pages such as the troubleshooting index).
#[derive(Clone, Copy, Debug)]
pub(crate) struct RefContext {
    pub guide: GuideId,
    pub section: Option<usize>,
    pub page: Option<GuideId>,
}

impl RefContext {
    /// Written in guide `guide` (section `section`) and shown on that guide's page.
    pub(crate) fn on_guide_page(guide: GuideId, section: Option<usize>) -> Self {
        Self {
            guide,
            section,
            page: Some(guide),
        }
    }
}

/// Why a reference did not resolve, and what would fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RefError {
    pub message: crate::i18n::Message,
    pub hint: crate::i18n::Message,
}

impl SiteIndex {
    /// The index of resolved guides, newest first (then by slug).
    pub(crate) fn new(config: SiteConfig, mut guides: Vec<Arc<Guide>>) -> Self {
        guides.sort_by(|a, b| {
            b.loaded
                .def
                .published
                .cmp(&a.loaded.def.published)
                .then_with(|| a.loaded.slug.cmp(&b.loaded.slug))
        });
        let by_slug = guides
            .iter()
            .enumerate()
            .map(|(i, g)| (g.loaded.slug.clone(), GuideId(i)))
            .collect();
        let labels = config.labels();
        Self {
            config,
            labels,
            guides,
            by_slug,
        }
    }
}

impl SiteIndex {
    /// The guide `id`.
    pub(crate) fn guide(&self, id: GuideId) -> &Arc<Guide> {
        &self.guides[id.0]
    }

    /// Every guide with its id, in the index's order.
    pub(crate) fn guides_with_ids(&self) -> impl Iterator<Item = (GuideId, &Arc<Guide>)> {
        self.guides.iter().enumerate().map(|(i, g)| (GuideId(i), g))
    }

    /// The id of the guide `slug`, if the site has it.
    pub(crate) fn id_of(&self, slug: &str) -> Option<GuideId> {
        self.by_slug.get(slug).copied()
    }

    /// The text of a step as seen from `from`: "STEP16" in the same section, else with the
    /// section's title (and the guide's, from another guide).
    fn step_text(&self, from: RefContext, guide: GuideId, occ: &Occurrence) -> String {
        let g = &self.guide(guide);
        let badge = self.labels.step(occ.number);
        let text = if from.guide == guide && from.section == Some(occ.section) {
            badge
        } else {
            self.labels.fill(
                "step_in_section",
                &[
                    (
                        "section",
                        &self.shown(guide, g.section_short_title(occ.section)),
                    ),
                    ("step", &badge),
                ],
            )
        };
        self.in_guide(from, guide, text)
    }

    /// A title or symptom of guide `guide` as a link text shows it: its UI references
    /// (`【@id】`) replaced by the texts they stand for.
    fn shown(&self, guide: GuideId, text: &str) -> String {
        let ui = &self.guide(guide).loaded.ui;
        ui.expand(text, &self.labels, crate::ui::Form::Prose)
            .into_owned()
    }

    fn in_guide(&self, from: RefContext, guide: GuideId, text: String) -> String {
        if from.guide == guide {
            text
        } else {
            self.labels.fill(
                "in_guide",
                &[
                    ("guide", &self.shown(guide, self.guide(guide).title())),
                    ("target", &text),
                ],
            )
        }
    }

    fn href(&self, from: RefContext, guide: GuideId, anchor: &str) -> String {
        if from.page == Some(guide) {
            format!("#{anchor}")
        } else {
            format!("../{}/#{anchor}", self.guide(guide).slug())
        }
    }

    /// Resolves a reference target (what follows `@`) written at `from`.
    pub(crate) fn lookup(&self, from: RefContext, target: &str) -> Result<Link, RefError> {
        let reference = reference::parse(target);
        let guide = match reference.guide {
            None => from.guide,
            Some(slug) => self.guide_named(slug)?,
        };
        let rest = match reference.local {
            None => return Ok(self.guide_link(from, guide)),
            Some(Local::Range(a, b)) => return self.lookup_range(from, guide, a, b),
            Some(Local::InSection { section, step }) => {
                return self.lookup_in_section(from, guide, section, step);
            }
            Some(Local::Id(id)) => id,
        };
        let g = &self.guide(guide);
        match g.ids.get(rest) {
            Some(&Target::Section(si)) => Ok(Link {
                href: self.href(from, guide, &g.sections[si].id),
                text: self.in_guide(from, guide, self.shown(guide, g.section_title(si))),
            }),
            Some(&Target::Trouble(k)) => {
                let entry = &g.troubles.entries[k];
                Ok(Link {
                    href: self.href(from, guide, &entry.anchor),
                    text: self.in_guide(from, guide, self.shown(guide, &entry.def.symptom)),
                })
            }
            Some(&Target::Step(si, pos)) => {
                let occ = g.occurrence(si, pos);
                Ok(Link {
                    href: self.href(from, guide, &occ.anchor),
                    text: self.step_text(from, guide, occ),
                })
            }
            None => Err(self.unknown(guide, rest)),
        }
    }

    /// The index of the guide `slug`, or why there is none.
    pub(crate) fn guide_named(&self, slug: &str) -> Result<GuideId, RefError> {
        self.by_slug.get(slug).copied().ok_or_else(|| RefError {
            message: msg!("ref-no-guide", slug = slug),
            hint: suggest(self.by_slug.keys().map(String::as_str), slug)
                .unwrap_or_else(|| msg!("ref-no-guide-hint")),
        })
    }

    /// A link to guide `guide` as a whole (`@slug:`).
    fn guide_link(&self, from: RefContext, guide: GuideId) -> Link {
        let g = &self.guide(guide);
        let href = if from.page == Some(guide) {
            "#tebiki-top".to_owned()
        } else {
            format!("../{}/", g.slug())
        };
        Link {
            href,
            text: self.shown(guide, g.title()),
        }
    }

    fn unknown(&self, guide: GuideId, id: &str) -> RefError {
        let g = &self.guide(guide);
        let hint = if g.loaded.unlisted.contains(id) {
            msg!("ref-unlisted-hint", id = id)
        } else {
            suggest(g.known_ids(), id).unwrap_or_else(|| msg!("ref-unknown-hint", guide = g.slug()))
        };
        RefError {
            message: msg!("ref-unknown", id = id),
            hint,
        }
    }

    /// For a range reference (`@a..b`, also in another guide), the link to its last step, with
    /// the bare step label ("STEP22") as its text: a range's text ends with it, and that part
    /// links to the end, so the reader reaches either end in one tap. `None` for any other
    /// reference, or one that does not resolve.
    pub(crate) fn range_end(&self, from: RefContext, target: &str) -> Option<Link> {
        let reference = reference::parse(target);
        let Some(Local::Range(_, b)) = reference.local else {
            return None;
        };
        let guide = match reference.guide {
            None => from.guide,
            Some(slug) => self.guide_named(slug).ok()?,
        };
        let g = &self.guide(guide);
        let Some(&Target::Step(si, _)) = g.ids.get(b) else {
            return None;
        };
        let end = g.occurrence(si, g.position_in(si, b)?);
        Some(Link {
            href: self.href(from, guide, &end.anchor),
            text: self.labels.step(end.number),
        })
    }

    fn lookup_range(
        &self,
        from: RefContext,
        guide: GuideId,
        a: &str,
        b: &str,
    ) -> Result<Link, RefError> {
        let g = &self.guide(guide);
        let Some(&Target::Step(si, pa)) = g.ids.get(a) else {
            return Err(self.not_a_step(guide, a));
        };
        if !matches!(g.ids.get(b), Some(Target::Step(..))) {
            return Err(self.not_a_step(guide, b));
        }
        let Some(pb) = g.position_in(si, b) else {
            return Err(RefError {
                message: msg!("ref-range-apart", a = a, b = b),
                hint: msg!("ref-range-apart-hint"),
            });
        };
        if pb < pa {
            return Err(RefError {
                message: msg!("ref-range-backwards", a = a, b = b),
                hint: msg!("ref-range-backwards-hint", a = a, b = b),
            });
        }
        Ok(self.range_link(from, guide, si, pa, pb))
    }

    /// The link to steps `a..=b` (positions) of section `si`: "STEP9〜STEP22".
    fn range_link(&self, from: RefContext, guide: GuideId, si: usize, a: usize, b: usize) -> Link {
        let g = &self.guide(guide);
        let (oa, ob) = (g.occurrence(si, a), g.occurrence(si, b));
        let range = self.labels.step_range(oa.number, ob.number);
        let text = if from.guide == guide && from.section == Some(si) {
            range
        } else {
            self.labels.fill(
                "step_in_section",
                &[
                    ("section", &self.shown(guide, g.section_short_title(si))),
                    ("step", &range),
                ],
            )
        };
        Link {
            href: self.href(from, guide, &oa.anchor),
            text: self.in_guide(from, guide, text),
        }
    }

    /// The link to where a trouble entry arises.
    pub(crate) fn place_link(&self, from: RefContext, guide: GuideId, place: Place) -> Link {
        let g = &self.guide(guide);
        match place {
            Place::Section(si) => Link {
                href: self.href(from, guide, &g.sections[si].id),
                text: self.in_guide(from, guide, self.shown(guide, g.section_title(si))),
            },
            Place::Steps {
                section,
                from: a,
                to: b,
            } if a == b => {
                let occ = g.occurrence(section, a);
                Link {
                    href: self.href(from, guide, &occ.anchor),
                    text: self.step_text(from, guide, occ),
                }
            }
            Place::Steps {
                section,
                from: a,
                to: b,
            } => self.range_link(from, guide, section, a, b),
        }
    }

    /// The last step of a place that is a range of steps, as its own link ("STEP22"), so that a
    /// range can link both ends; `None` for one step or a section.
    pub(crate) fn place_end(&self, from: RefContext, guide: GuideId, place: Place) -> Option<Link> {
        let Place::Steps {
            section,
            from: a,
            to: b,
        } = place
        else {
            return None;
        };
        if a == b {
            return None;
        }
        let end = self.guide(guide).occurrence(section, b);
        Some(Link {
            href: self.href(from, guide, &end.anchor),
            text: self.labels.step(end.number),
        })
    }

    /// The link to a section of a guide, by its title.
    pub(crate) fn section_link(&self, from: RefContext, guide: GuideId, si: usize) -> Link {
        self.place_link(from, guide, Place::Section(si))
    }

    fn not_a_step(&self, guide: GuideId, id: &str) -> RefError {
        let g = &self.guide(guide);
        match g.ids.get(id) {
            Some(_) => RefError {
                message: msg!("ref-not-a-step", id = id),
                hint: msg!("ref-not-a-step-hint"),
            },
            None => self.unknown(guide, id),
        }
    }

    fn lookup_in_section(
        &self,
        from: RefContext,
        guide: GuideId,
        section: &str,
        step: &str,
    ) -> Result<Link, RefError> {
        let g = &self.guide(guide);
        let Some(&Target::Section(si)) = g.ids.get(section) else {
            let hint = suggest(g.sections.iter().map(|s| s.id.as_str()), section)
                .unwrap_or_else(|| msg!("ref-no-section-hint"));
            return Err(RefError {
                message: msg!("ref-no-section", section = section),
                hint,
            });
        };
        let Some(occ) = g.position_in(si, step).map(|pos| g.occurrence(si, pos)) else {
            let hint = suggest(
                g.sections[si]
                    .occurrences
                    .iter()
                    .map(|o| o.step_id.as_str()),
                step,
            )
            .unwrap_or_else(|| msg!("ref-section-lacks-step-hint", section = section));
            return Err(RefError {
                message: msg!("ref-section-lacks-step", section = section, step = step),
                hint,
            });
        };
        Ok(Link {
            href: self.href(from, guide, &occ.anchor),
            text: self.step_text(from, guide, occ),
        })
    }
}
