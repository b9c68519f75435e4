//! Trouble entries (resolve stage): what can go wrong, where, and what fixes it.
//!
//! Entries come from three places — a guide's `troubles.yaml`, a step's front matter, and the
//! signs of a failure section — and are all the same [`TroubleDef`]. This module checks them,
//! resolves where each arises (steps, ranges, sections), orders them by that place, and derives
//! the relations the pages show in both directions: which entries arise at each step or section,
//! and which procedures each entry's remedy sends the reader to (the procedures its remedy refers
//! to by section id, e.g. `[](@unlink)`), so the author states each relation once.

use rustc_hash::FxHashMap as HashMap;

use super::resolved::{DefinedAt, Guide, IdTable, Place, Target, Trouble, Troubles, check_id_in};
use crate::diagnostics::{Diagnostics, did_you_mean};
use crate::i18n::{Message, msg};
use crate::load::{EntrySource, TroubleOrigin};
use crate::model::TroubleDef;
use crate::yaml::Seg;

/// Every entry of the guide, with the place it was written.
fn written_entries(guide: &Guide) -> Vec<(TroubleDef, TroubleOrigin)> {
    let mut out = Vec::new();
    for (si, section) in guide.loaded.def.sections.iter().enumerate() {
        for (index, sign) in section.signs.iter().enumerate() {
            out.push((sign.clone(), TroubleOrigin::Sign { section: si, index }));
        }
    }
    if let Some((_, entries)) = &guide.loaded.troubles {
        out.extend(
            entries
                .iter()
                .cloned()
                .enumerate()
                .map(|(index, def)| (def, TroubleOrigin::File { index })),
        );
    }
    for (id, step) in &guide.loaded.steps {
        for (index, def) in step.front.troubles.iter().enumerate() {
            let mut def = def.clone();
            if def.arises_at.is_empty() {
                def.arises_at.push(id.clone());
            }
            out.push((
                def,
                TroubleOrigin::Step {
                    step: id.clone(),
                    index,
                },
            ));
        }
    }
    out
}

/// Checks and places every entry of `guide`, claiming their anchors in `ids`.
pub(crate) fn collect(guide: &Guide, ids: &mut IdTable, diagnostics: &mut Diagnostics) -> Troubles {
    let mut entries = Vec::new();
    for (def, origin) in written_entries(guide) {
        let at = guide.entry_source(&origin);
        let sign_section = match origin {
            TroubleOrigin::Sign { section, .. } => Some(section),
            _ => None,
        };
        check_id_in(&at, &def.id, diagnostics);
        let what = msg!("what-trouble", id = &def.id);
        let anchor = if sign_section.is_some() {
            def.id.clone()
        } else {
            format!("trouble-{}", def.id)
        };
        let defined = DefinedAt::Entry(origin.clone());
        if !ids.claim_at(
            &def.id,
            what.clone(),
            defined.clone(),
            &guide.loaded,
            diagnostics,
        ) {
            continue;
        }
        ids.targets
            .insert(def.id.clone(), Target::Trouble(entries.len()));
        let index_anchor = format!("trouble-{}", def.id);
        if sign_section.is_some() {
            ids.claim_at(&index_anchor, what, defined, &guide.loaded, diagnostics);
        }
        if def.symptom.trim().is_empty() {
            diagnostics.push(
                at.error("symptom", msg!("trouble-no-symptom", id = &def.id))
                    .with_hint(msg!("trouble-no-symptom-hint")),
            );
        }
        if def.remedy.trim().is_empty() {
            diagnostics.push(
                at.error("id", msg!("trouble-no-remedy", id = &def.id))
                    .with_hint(msg!("trouble-no-remedy-hint"))
                    .strict(),
            );
        }
        let mut places = resolve_places(guide, &at, &def, diagnostics);
        if places.is_empty() {
            if let Some(section) = sign_section.filter(|_| def.arises_at.is_empty()) {
                places.push(Place::Section(section));
            } else if def.arises_at.is_empty() {
                diagnostics.push(
                    at.error("id", msg!("trouble-no-place", id = &def.id))
                        .with_hint(msg!("trouble-no-place-hint"))
                        .strict(),
                );
            }
        }
        entries.push(Trouble {
            def,
            origin,
            anchor,
            index_anchor,
            places,
            remedied_in: Vec::new(),
        });
    }
    index_places(sort_entries(entries, ids))
}

/// Puts the entries in reading order of where they arise, and renumbers the index's targets.
fn sort_entries(entries: Vec<Trouble>, ids: &mut IdTable) -> Vec<Trouble> {
    let order: Vec<usize> = sorted_by_place(&entries);
    let mut sorted: Vec<Trouble> = Vec::with_capacity(entries.len());
    let mut renumber = vec![0; entries.len()];
    let mut slots: Vec<Option<Trouble>> = entries.into_iter().map(Some).collect();
    for (new, &old) in order.iter().enumerate() {
        renumber[old] = new;
        sorted.extend(slots[old].take());
    }
    for target in ids.targets.values_mut() {
        if let Target::Trouble(k) = target {
            *k = renumber[*k];
        }
    }
    sorted
}

fn sorted_by_place(entries: &[Trouble]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by_key(|&i| {
        entries[i]
            .places
            .iter()
            .map(|p| p.order())
            .min()
            .unwrap_or((usize::MAX, 0))
    });
    order
}

fn index_places(entries: Vec<Trouble>) -> Troubles {
    let mut troubles = Troubles {
        entries,
        ..Troubles::default()
    };
    for (k, entry) in troubles.entries.iter().enumerate() {
        for place in &entry.places {
            match *place {
                Place::Steps { section, from, to } => {
                    for pos in from..=to {
                        let list = troubles.at_step.entry((section, pos)).or_default();
                        if !list.contains(&k) {
                            list.push(k);
                        }
                    }
                }
                Place::Section(section) => troubles.at_section.entry(section).or_default().push(k),
            }
        }
    }
    troubles
}

/// Resolves `arises_at`: step ids (every occurrence), `a..b` ranges, section ids, `section/step`.
fn resolve_places(
    guide: &Guide,
    at: &EntrySource<'_>,
    def: &TroubleDef,
    diagnostics: &mut Diagnostics,
) -> Vec<Place> {
    let mut places = Vec::new();
    for (i, spec) in def.arises_at.iter().enumerate() {
        match place_of(guide, spec) {
            Ok(found) => places.extend(found),
            Err(hint) => {
                let mut path = at.path.clone();
                path.extend([Seg::Key("arises_at"), Seg::Index(i)]);
                diagnostics.push(
                    at.source
                        .yaml_error(
                            at.base,
                            at.yaml,
                            &path,
                            msg!("trouble-unknown-place", id = &def.id, place = spec.as_str()),
                        )
                        .with_hint(hint),
                );
            }
        }
    }
    places
}

fn place_of(guide: &Guide, spec: &str) -> Result<Vec<Place>, Message> {
    let section_index = |id: &str| guide.sections.iter().position(|s| s.id == id);
    let suggest = |id: &str| {
        let candidates = guide
            .sections
            .iter()
            .map(|s| s.id.as_str())
            .chain(guide.step_ids());
        did_you_mean(id, candidates).map_or_else(
            || msg!("trouble-place-hint"),
            |c| msg!("did-you-mean", name = c),
        )
    };
    if let Some((a, b)) = spec.split_once("..") {
        let (section, from) = guide.home_of(a).ok_or_else(|| suggest(a))?;
        let to = guide
            .position_in(section, b)
            .ok_or_else(|| msg!("trouble-range-apart-hint", a = a, b = b))?;
        if to < from {
            return Err(msg!("trouble-range-backwards-hint", a = a, b = b));
        }
        return Ok(vec![Place::Steps { section, from, to }]);
    }
    if let Some((section_id, step)) = spec.split_once('/') {
        let section = section_index(section_id).ok_or_else(|| suggest(section_id))?;
        let pos = guide
            .position_in(section, step)
            .ok_or_else(|| suggest(step))?;
        return Ok(vec![Place::Steps {
            section,
            from: pos,
            to: pos,
        }]);
    }
    if let Some(section) = section_index(spec) {
        return Ok(vec![Place::Section(section)]);
    }
    let all: Vec<Place> = guide
        .occurrences_of(spec)
        .map(|o| Place::Steps {
            section: o.section,
            from: o.number - 1,
            to: o.number - 1,
        })
        .collect();
    if all.is_empty() {
        Err(suggest(spec))
    } else {
        Ok(all)
    }
}

/// Works out which procedures each entry's remedy refers to (by the section's id; a reference to
/// a single step is a pointer, not "this procedure fixes it"), and the reverse.
pub(crate) fn relate_remedies(guide: &mut Guide) {
    let mut remedied_by: HashMap<usize, Vec<usize>> = HashMap::default();
    let mut per_entry = Vec::with_capacity(guide.troubles.entries.len());
    for (k, entry) in guide.troubles.entries.iter().enumerate() {
        let mut sections: Vec<usize> = Vec::new();
        for target in crate::reference::in_markdown(&entry.def.remedy) {
            if let Some(section) = guide.local_section(&target) {
                if guide.sections[section].occurrences.is_empty() || sections.contains(&section) {
                    continue;
                }
                sections.push(section);
                remedied_by.entry(section).or_default().push(k);
            }
        }
        per_entry.push(sections);
    }
    for (entry, sections) in guide.troubles.entries.iter_mut().zip(per_entry) {
        entry.remedied_in = sections;
    }
    guide.troubles.remedied_by = remedied_by;
}
