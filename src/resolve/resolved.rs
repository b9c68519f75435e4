//! The resolved site model: guides with their numbered sections and step occurrences, timed
//! windows, trouble entries and the table of ids each guide's references may name. The resolve
//! stage ([`super`]) and its trouble-entry part ([`super::troubles`]) build these; render reads
//! them. Nothing here reads or writes files.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::i18n::{Message, msg};
use crate::load::{EntrySource, LoadedGuide, TroubleOrigin};
use crate::model::{TroubleDef, is_valid_id};
use crate::reference::{self, Local, Reference};
use crate::yaml::Seg;

/// A guide with its numbering worked out.
#[derive(Debug)]
pub(crate) struct Guide {
    pub loaded: LoadedGuide,
    pub sections: Vec<Section>,
    pub windows: Vec<Window>,
    pub(super) ids: HashMap<String, Target>,
    /// Every id the guide page will have (sections, steps, entries), for link checks.
    pub anchors: HashSet<String>,
    /// Where each step appears: (section, position), home first.
    pub(super) placements: HashMap<String, Vec<(usize, usize)>>,
    pub troubles: Troubles,
    /// For each section, the sections whose `continue_to` names it.
    pub continued_from: HashMap<usize, Vec<usize>>,
}

/// A section and, for procedures, its step occurrences.
#[derive(Debug)]
pub(crate) struct Section {
    pub index: usize,
    pub id: String,
    pub occurrences: Vec<Occurrence>,
}

/// One appearance of a step in a procedure (a shared step has several).
#[derive(Debug)]
pub(crate) struct Occurrence {
    pub step_id: String,
    pub section: usize,
    /// 1-based, per section.
    pub number: usize,
    pub anchor: String,
    pub windows: Vec<WindowMark>,
}

/// That an occurrence lies inside window `window`, and whether it starts or ends it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct WindowMark {
    pub window: usize,
    pub starts: bool,
    pub ends: bool,
}

/// A resolved timed window.
#[derive(Debug)]
pub(crate) struct Window {
    pub id: String,
    pub label: String,
    pub note: String,
    /// Where `note` is written in guide.yaml (byte offset), for its Markdown diagnostics.
    pub note_at: usize,
    pub section: usize,
    pub from: usize,
    pub to: usize,
    /// How long the window lasts, in seconds, when the author said (`duration:`).
    pub duration: Option<u32>,
}

/// What an id names inside a guide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Section(usize),
    /// The home occurrence of a step: (section, position).
    Step(usize, usize),
    /// A trouble entry (index into the guide's troubles).
    Trouble(usize),
}

/// Where an entry arises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// Steps `from..=to` (positions) of procedure `section`.
    Steps {
        section: usize,
        from: usize,
        to: usize,
    },
    Section(usize),
}

impl Place {
    /// Sort key: reading order in the guide.
    pub(crate) fn order(self) -> (usize, usize) {
        match self {
            Self::Steps { section, from, .. } => (section, from + 1),
            Self::Section(section) => (section, 0),
        }
    }
}

/// A checked entry.
#[derive(Clone, Debug)]
pub(crate) struct Trouble {
    pub def: TroubleDef,
    pub origin: TroubleOrigin,
    /// Its main place on the guide page: the failure section's card for signs, else its card
    /// in the generated troubleshooting section.
    pub anchor: String,
    /// Its card in the troubleshooting section (the same as `anchor` unless it is a sign).
    pub index_anchor: String,
    pub places: Vec<Place>,
    /// Procedure sections the remedy sends the reader to.
    pub remedied_in: Vec<usize>,
}

/// A guide's entries and the relations derived from them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Troubles {
    /// In reading order of where they first arise.
    pub entries: Vec<Trouble>,
    /// Entries arising at each step occurrence, by (section, position).
    pub at_step: HashMap<(usize, usize), Vec<usize>>,
    /// Entries arising at each section as a whole.
    pub at_section: HashMap<usize, Vec<usize>>,
    /// Entries whose remedy refers to each section (or its steps).
    pub remedied_by: HashMap<usize, Vec<usize>>,
}

/// Where an id is defined: kept as a path and located only when a duplicate needs it (locating
/// a YAML value scans its file; doing that for every id would be quadratic).
#[derive(Clone, Debug)]
pub(crate) enum DefinedAt {
    Guide(Vec<Seg<'static>>),
    Entry(TroubleOrigin),
}

impl DefinedAt {
    fn diagnostic(&self, guide: &LoadedGuide) -> Diagnostic {
        match self {
            Self::Guide(path) => guide.error_at(path, Message::text("")),
            Self::Entry(origin) => guide.entry_source(origin).error("id", Message::text("")),
        }
    }
}

/// The ids seen so far, with what each names and where.
#[derive(Default)]
pub(crate) struct IdTable {
    pub(crate) targets: HashMap<String, Target>,
    pub(super) anchors: HashMap<String, (Message, DefinedAt)>,
}

impl IdTable {
    /// Registers `anchor` (a page id) defined at `path` of guide.yaml.
    pub(super) fn claim(
        &mut self,
        anchor: &str,
        what: Message,
        guide: &LoadedGuide,
        path: &[Seg<'static>],
        diagnostics: &mut Diagnostics,
    ) -> bool {
        self.claim_at(
            anchor,
            what,
            DefinedAt::Guide(path.to_vec()),
            guide,
            diagnostics,
        )
    }

    /// Registers `anchor`, defined at `at`; reports a duplicate with both places.
    pub(crate) fn claim_at(
        &mut self,
        anchor: &str,
        what: Message,
        at: DefinedAt,
        guide: &LoadedGuide,
        diagnostics: &mut Diagnostics,
    ) -> bool {
        let problem = if let Err((message, hint)) = crate::names::check_id(anchor) {
            Some((message, hint, None))
        } else {
            self.anchors.get(anchor).map(|(first, first_at)| {
                let first_place = first_at.diagnostic(guide);
                let place = first_place
                    .location()
                    .map_or_else(|| Message::text(""), |l| msg!("at-place", place = l));
                let label = msg!("duplicate-id-label", first = first.clone(), id = anchor);
                (
                    msg!(
                        "duplicate-id",
                        id = anchor,
                        what = what.clone(),
                        first = first.clone(),
                        place = place
                    ),
                    msg!("duplicate-id-hint"),
                    Some((first_place, label)),
                )
            })
        };
        if let Some((message, hint, first)) = problem {
            let mut d = at.diagnostic(guide).with_hint(hint);
            if let Some((place, label)) = first {
                d = d.also_at(&place, label);
            }
            d.message = message;
            diagnostics.push(d);
            return false;
        }
        self.anchors.insert(anchor.to_owned(), (what, at));
        true
    }
}

/// Checks the form of an entry's id, pointing at its `id:` value.
pub(crate) fn check_id_in(at: &EntrySource<'_>, id: &str, diagnostics: &mut Diagnostics) {
    if !is_valid_id(id) {
        diagnostics.push(
            at.error("id", msg!("id-invalid", id = id))
                .with_hint(msg!("id-invalid-hint")),
        );
    }
}

pub(crate) fn check_id(
    guide: &LoadedGuide,
    id: &str,
    path: &[Seg<'_>],
    diagnostics: &mut Diagnostics,
) {
    if !is_valid_id(id) {
        diagnostics.push(
            guide
                .error_at(path, msg!("id-invalid", id = id))
                .with_hint(msg!("id-invalid-hint")),
        );
    }
}

pub(crate) fn suggest<'a>(
    candidates: impl Iterator<Item = &'a str>,
    wanted: &str,
) -> Option<crate::i18n::Message> {
    did_you_mean(wanted, candidates).map(|c| crate::i18n::msg!("did-you-mean", name = c))
}

impl Guide {
    pub(crate) fn slug(&self) -> &str {
        &self.loaded.slug
    }

    pub(crate) fn title(&self) -> &str {
        &self.loaded.def.title
    }

    pub(crate) fn step_ids(&self) -> impl Iterator<Item = &str> {
        self.sections
            .iter()
            .flat_map(|s| s.occurrences.iter().map(|o| o.step_id.as_str()))
    }

    /// How many distinct steps the guide has: a step shown in several procedures counts once.
    pub(crate) fn step_count(&self) -> usize {
        self.placements.len()
    }

    /// Each procedure (section index) with its number of numbered steps, in reading order:
    /// what a reader counts on the page.
    pub(crate) fn procedure_steps(&self) -> Vec<(usize, usize)> {
        self.sections
            .iter()
            .filter(|s| !s.occurrences.is_empty())
            .map(|s| (s.index, s.occurrences.len()))
            .collect()
    }

    /// The numbered steps of the guide's first procedure: what its share card counts.
    pub(crate) fn first_procedure_steps(&self) -> usize {
        self.procedure_steps().first().map_or(0, |&(_, n)| n)
    }

    /// How many of the guide's steps appear in more than one place.
    pub(crate) fn shared_step_count(&self) -> usize {
        self.placements.values().filter(|p| p.len() > 1).count()
    }

    pub(crate) fn section_title(&self, section: usize) -> &str {
        &self.loaded.def.sections[section].title
    }

    /// The section's name in a reference's text: its `short_title:`, else its title without a
    /// closing full-width parenthetical (「Amazonとの連携方法（成功例）」 → 「Amazonとの連携方法」),
    /// so that a reference written in parentheses does not nest them.
    pub(crate) fn section_short_title(&self, section: usize) -> &str {
        let def = &self.loaded.def.sections[section];
        if let Some(short) = &def.short_title {
            return short;
        }
        let title = def.title.trim_end();
        match title
            .strip_suffix('）')
            .and_then(|t| t.rfind('（').map(|i| &t[..i]))
        {
            Some(short) if !short.trim().is_empty() => short.trim_end(),
            _ => title,
        }
    }

    /// All the occurrences of step `id`, home first.
    pub(crate) fn occurrences_of<'a>(&'a self, id: &str) -> impl Iterator<Item = &'a Occurrence> {
        self.placements
            .get(id)
            .into_iter()
            .flatten()
            .map(|&(si, pos)| self.occurrence(si, pos))
    }

    /// Where step `id` first appears: (section, position).
    pub(crate) fn home_of(&self, id: &str) -> Option<(usize, usize)> {
        self.placements.get(id)?.first().copied()
    }

    /// The section a same-guide reference target (what follows `@`) names, if it names one.
    pub(crate) fn local_section(&self, target: &str) -> Option<usize> {
        let id = match reference::parse(target) {
            Reference {
                guide: None,
                local: Some(Local::Id(id)),
            } => id,
            Reference {
                guide: Some(slug),
                local: Some(Local::Id(id)),
            } if slug == self.slug() => id,
            _ => return None,
        };
        match self.ids.get(id)? {
            Target::Section(si) => Some(*si),
            Target::Step(..) | Target::Trouble(_) => None,
        }
    }

    /// The position of step `id` in section `section`, if that section lists it.
    pub(crate) fn position_in(&self, section: usize, id: &str) -> Option<usize> {
        self.placements
            .get(id)?
            .iter()
            .find(|(si, _)| *si == section)
            .map(|&(_, pos)| pos)
    }

    pub(super) fn occurrence(&self, section: usize, pos: usize) -> &Occurrence {
        &self.sections[section].occurrences[pos]
    }

    pub(super) fn known_ids(&self) -> impl Iterator<Item = &str> {
        self.ids.keys().map(String::as_str)
    }
}

impl Guide {
    /// Where the YAML of an entry written at `origin` lives.
    pub(crate) fn entry_source(&self, origin: &TroubleOrigin) -> EntrySource<'_> {
        self.loaded.entry_source(origin)
    }
}
