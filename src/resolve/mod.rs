//! Resolve stage: numbering, anchors, timed windows and the id index of every guide.
//!
//! Turns loaded guides into an immutable [`SiteIndex`]: each procedure's step occurrences with
//! their numbers and anchors, the windows each occurrence belongs to, and a map from every id a
//! reference may name to what it names. Checks ids (format, uniqueness), section kinds, dates and
//! windows. References inside Markdown are resolved against this index by [`SiteIndex::lookup`]
//! (`index.rs`) while rendering, so adding or removing a step renumbers every reference at the next build.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostics;
use crate::i18n::{Message, msg};
use crate::load::LoadedGuide;
use crate::model::SectionKind;
use crate::yaml::Seg;

mod index;
mod resolved;
mod troubles;
mod ui_refs;

pub(crate) use index::{GuideId, Link, RefContext, RefError, SiteIndex};

pub(crate) use resolved::{
    Guide, IdTable, Occurrence, Place, Section, Target, Troubles, Window, WindowMark, check_id,
    suggest,
};

/// Builds the index of every guide, reporting every problem into `diagnostics`.
pub(crate) fn resolve(
    config: SiteConfig,
    loaded: Vec<LoadedGuide>,
    diagnostics: &mut Diagnostics,
) -> SiteIndex {
    let resolved: Vec<(Guide, Diagnostics)> = loaded.into_par_iter().map(resolve_one).collect();
    let mut guides = Vec::with_capacity(resolved.len());
    for (guide, problems) in resolved {
        diagnostics.extend(problems);
        guides.push(Arc::new(guide));
    }
    SiteIndex::new(config, guides)
}

/// Resolves one guide on its own (a guide's numbering, ids and entries depend on nothing
/// else; references between guides are looked up while rendering).
pub(crate) fn resolve_one(loaded: LoadedGuide) -> (Guide, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    ui_refs::check(&loaded, &mut diagnostics);
    let guide = resolve_guide(loaded, &mut diagnostics);
    (guide, diagnostics)
}

fn resolve_guide(loaded: LoadedGuide, diagnostics: &mut Diagnostics) -> Guide {
    check_fields(&loaded, diagnostics);
    let mut ids = IdTable::default();
    let sections = number_sections(&loaded, &mut ids, diagnostics);
    let mut placements: HashMap<String, Vec<(usize, usize)>> = HashMap::default();
    for section in &sections {
        for (pos, occ) in section.occurrences.iter().enumerate() {
            placements
                .entry(occ.step_id.clone())
                .or_default()
                .push((section.index, pos));
        }
    }
    // A pushed list has room for four: most steps appear once (5 MB at 100,000 steps).
    placements.values_mut().for_each(Vec::shrink_to_fit);
    let mut guide = Guide {
        loaded,
        sections,
        windows: Vec::new(),
        ids: HashMap::default(),
        anchors: HashSet::default(),
        placements,
        troubles: Troubles::default(),
        continued_from: HashMap::default(),
    };
    resolve_windows(&mut guide, diagnostics);
    guide.troubles = troubles::collect(&guide, &mut ids, diagnostics);
    guide.ids = ids.targets;
    guide.anchors = ids.anchors.into_keys().collect();
    troubles::relate_remedies(&mut guide);
    guide.continued_from = continuations(&guide, diagnostics);
    guide
}

/// Checks each section's `continue_to` and returns the reverse relation.
fn continuations(guide: &Guide, diagnostics: &mut Diagnostics) -> HashMap<usize, Vec<usize>> {
    let mut from: HashMap<usize, Vec<usize>> = HashMap::default();
    for (si, def) in guide.loaded.def.sections.iter().enumerate() {
        let Some(next) = &def.continue_to else {
            continue;
        };
        match guide.sections.iter().position(|s| &s.id == next) {
            Some(target) if target != si => from.entry(target).or_default().push(si),
            found => {
                let hint = if found.is_some() {
                    msg!("continue-to-itself-hint")
                } else {
                    suggest(guide.sections.iter().map(|s| s.id.as_str()), next)
                        .unwrap_or_else(|| msg!("continue-to-other-hint"))
                };
                let at = [
                    Seg::Key("sections"),
                    Seg::Index(si),
                    Seg::Key("continue_to"),
                ];
                let message = msg!("continue-to-unknown", section = &def.id, next = next);
                diagnostics.push(guide.loaded.error_at(&at, message).with_hint(hint));
            }
        }
    }
    from
}

fn number_sections(
    guide: &LoadedGuide,
    ids: &mut IdTable,
    diagnostics: &mut Diagnostics,
) -> Vec<Section> {
    let mut sections = Vec::with_capacity(guide.def.sections.len());
    let mut homes: HashMap<&str, usize> = HashMap::default();
    for (si, def) in guide.def.sections.iter().enumerate() {
        let here = [Seg::Key("sections"), Seg::Index(si), Seg::Key("id")];
        check_id(guide, &def.id, &here, diagnostics);
        if ids.claim(
            &def.id,
            msg!("what-section", id = &def.id),
            guide,
            &here,
            diagnostics,
        ) {
            ids.targets.insert(def.id.clone(), Target::Section(si));
        }
        let mut occurrences = Vec::with_capacity(def.steps.len());
        let mut listed: HashSet<&str> =
            HashSet::with_capacity_and_hasher(def.steps.len(), rustc_hash::FxBuildHasher);
        for (pos, step) in def.steps.iter().enumerate() {
            let path = [
                Seg::Key("sections"),
                Seg::Index(si),
                Seg::Key("steps"),
                Seg::Index(pos),
            ];
            check_id(guide, &step.id, &path, diagnostics);
            if !listed.insert(&step.id) {
                diagnostics.push(
                    guide
                        .error_at(
                            &path,
                            msg!("step-listed-twice", step = &step.id, section = &def.id),
                        )
                        .with_hint(msg!("step-listed-twice-hint")),
                );
                continue;
            }
            let home = !homes.contains_key(step.id.as_str());
            let anchor = if home {
                step.id.clone()
            } else {
                format!("{}-{}", def.id, step.id)
            };
            if ids.claim(
                &anchor,
                msg!("what-step", id = &step.id),
                guide,
                &path,
                diagnostics,
            ) && home
            {
                homes.insert(&step.id, si);
                ids.targets
                    .insert(step.id.clone(), Target::Step(si, occurrences.len()));
            }
            let number = occurrences.len() + 1;
            occurrences.push(Occurrence {
                step_id: step.id.clone(),
                section: si,
                number,
                anchor,
                windows: Vec::new(),
            });
        }
        sections.push(Section {
            index: si,
            id: def.id.clone(),
            occurrences,
        });
    }
    sections
}

/// Fields that only some section kinds may have, dates, and empty sections.
fn check_fields(guide: &LoadedGuide, diagnostics: &mut Diagnostics) {
    for (key, value) in [
        ("published", Some(&guide.def.published)),
        ("updated", guide.def.updated.as_ref()),
    ] {
        if let Some(value) = value
            && !is_date(value)
        {
            diagnostics.push(
                guide
                    .error_at(&[Seg::Key(key)], msg!("not-a-date", value = value))
                    .with_hint(msg!("not-a-date-hint")),
            );
        }
    }
    if guide.def.sections.is_empty() {
        diagnostics.push(
            guide
                .error_at(&[Seg::Key("sections")], msg!("no-sections"))
                .with_hint(msg!("no-sections-hint")),
        );
    }
    for (si, def) in guide.def.sections.iter().enumerate() {
        let misplaced = [
            ("steps", !def.steps.is_empty(), SectionKind::Procedure),
            ("signs", !def.signs.is_empty(), SectionKind::Failure),
            ("points", !def.points.is_empty(), SectionKind::Summary),
        ];
        for (field, present, owner) in misplaced {
            if present && def.kind != owner {
                diagnostics.push(
                    guide
                        .error_at(
                            &[Seg::Key("sections"), Seg::Index(si), Seg::Key(field)],
                            msg!("field-not-in-kind", kind = def.kind.as_str(), field = field),
                        )
                        .with_hint(msg!(
                            "field-not-in-kind-hint",
                            field = field,
                            owner = owner.as_str()
                        )),
                );
            }
        }
        let empty = match def.kind {
            SectionKind::Procedure => def.steps.is_empty().then_some("steps"),
            SectionKind::Failure => def.signs.is_empty().then_some("signs"),
            SectionKind::Summary => None,
        };
        if let Some(field) = empty {
            diagnostics.push(
                guide
                    .error_at(
                        &[Seg::Key("sections"), Seg::Index(si), Seg::Key("id")],
                        msg!("section-empty", section = &def.id, field = field),
                    )
                    .with_hint(msg!("section-empty-hint", field = field)),
            );
        }
    }
}

/// Whether `value` is a real calendar date written YYYY-MM-DD (2026-02-31 is not).
fn is_date(value: &str) -> bool {
    let parts: Vec<&str> = value.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return false;
    };
    let num = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (num(y, 4), num(m, 2), num(d, 2)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

fn resolve_windows(guide: &mut Guide, diagnostics: &mut Diagnostics) {
    let defs = guide.loaded.def.windows.clone();
    for (wi, def) in defs.iter().enumerate() {
        let at = |key| [Seg::Key("windows"), Seg::Index(wi), Seg::Key(key)];
        check_id(&guide.loaded, &def.id, &at("id"), diagnostics);
        if defs[..wi].iter().any(|w| w.id == def.id) {
            diagnostics.push(
                guide
                    .loaded
                    .error_at(&at("id"), msg!("window-duplicate", id = &def.id))
                    .with_hint(msg!("window-duplicate-hint")),
            );
        }
        match find_window_span(guide, def) {
            Ok((section, from, to)) => {
                let window = guide.windows.len();
                for pos in from..=to {
                    guide.sections[section].occurrences[pos]
                        .windows
                        .push(WindowMark {
                            window,
                            starts: pos == from,
                            ends: pos == to,
                        });
                }
                // Looked up only for a note (finding it parses guide.yaml's spans).
                let file = &guide.loaded.file;
                let note_at = if def.note.is_empty() {
                    0
                } else {
                    file.yaml_offset(0, &file.text, &at("note"))
                };
                let duration = def.duration.as_deref().and_then(|text| {
                    parse_duration(text)
                        .map_err(|problem| {
                            diagnostics.push(
                                guide
                                    .loaded
                                    .error_at(
                                        &at("duration"),
                                        msg!("window-duration", text = text, problem = problem),
                                    )
                                    .with_hint(msg!("window-duration-hint")),
                            );
                        })
                        .ok()
                });
                guide.windows.push(Window {
                    id: def.id.clone(),
                    label: def.label.clone(),
                    note: def.note.clone(),
                    note_at,
                    section,
                    from,
                    to,
                    duration,
                });
            }
            Err((key, message, hint)) => {
                diagnostics.push(guide.loaded.error_at(&at(key), message).with_hint(hint));
            }
        }
    }
}

/// The longest window a countdown is offered for: one day.
const LONGEST_WINDOW: u32 = 24 * 60 * 60;

/// The units of a `duration:`, in seconds, as written in English or Japanese.
const DURATION_UNITS: &[(u32, &str)] = &[
    (3600, "h"),
    (3600, "時間"),
    (60, "m"),
    (60, "分"),
    (1, "s"),
    (1, "秒"),
];

/// A window's `duration:` in seconds: numbers with the units `h`, `m` and `s` (or 時間, 分
/// and 秒), largest first (`5m`, `90s`, `1m30s`, `5分`, `1分30秒`), spaces allowed between the
/// parts.
pub(crate) fn parse_duration(text: &str) -> Result<u32, Message> {
    let mut total: u32 = 0;
    let mut last_unit = u32::MAX;
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(msg!("duration-empty"));
    }
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return Err(msg!("duration-no-number", rest = rest));
        }
        let number: u32 = rest[..digits]
            .parse()
            .map_err(|_| msg!("duration-too-large"))?;
        let after = rest[digits..].trim_start();
        let Some((unit, written)) = DURATION_UNITS
            .iter()
            .find_map(|&(unit, word)| after.starts_with(word).then_some((unit, word.len())))
        else {
            return Err(match after.chars().next() {
                Some(other) => msg!("duration-bad-unit", unit = other.to_string()),
                None => msg!("duration-no-unit", number = number),
            });
        };
        if unit >= last_unit {
            return Err(msg!("duration-unit-order"));
        }
        last_unit = unit;
        total = number
            .checked_mul(unit)
            .and_then(|part| total.checked_add(part))
            .ok_or_else(|| msg!("duration-too-large"))?;
        rest = after[written..].trim_start();
    }
    if total == 0 {
        return Err(msg!("duration-zero"));
    }
    if total > LONGEST_WINDOW {
        return Err(msg!("duration-too-long"));
    }
    Ok(total)
}

type WindowError = (&'static str, Message, Message);

/// The procedure and positions a window covers.
fn find_window_span(
    guide: &Guide,
    def: &crate::model::WindowDef,
) -> Result<(usize, usize, usize), WindowError> {
    for (key, id) in [("from", &def.from), ("to", &def.to)] {
        if !guide.placements.contains_key(id.as_str()) {
            let hint = suggest(guide.step_ids(), id).unwrap_or_else(|| msg!("window-no-step-hint"));
            return Err((key, msg!("window-no-step", id = &def.id, step = id), hint));
        }
    }
    let position = |s: &Section, id: &str| guide.position_in(s.index, id);
    let candidates: Vec<(usize, usize, usize)> = guide
        .sections
        .iter()
        .filter(|s| def.section.as_ref().is_none_or(|want| &s.id == want))
        .filter_map(|s| Some((s.index, position(s, &def.from)?, position(s, &def.to)?)))
        .collect();
    match candidates.as_slice() {
        [] if def.section.is_some() => Err((
            "section",
            msg!(
                "window-section-lacks",
                id = &def.id,
                section = def.section.as_deref().unwrap_or(""),
                from = &def.from,
                to = &def.to
            ),
            msg!("window-section-lacks-hint"),
        )),
        [] => Err((
            "to",
            msg!("window-apart", id = &def.id, from = &def.from, to = &def.to),
            msg!("window-apart-hint"),
        )),
        [(_, from, to)] if from > to => Err((
            "to",
            msg!(
                "window-backwards",
                id = &def.id,
                from = &def.from,
                to = &def.to
            ),
            msg!("window-backwards-hint"),
        )),
        [one] => Ok(*one),
        _ => Err((
            "from",
            msg!(
                "window-ambiguous",
                id = &def.id,
                from = &def.from,
                to = &def.to
            ),
            msg!("window-ambiguous-hint"),
        )),
    }
}

/// Builds an index from in-memory sources, for unit tests of the stages after resolve.
#[cfg(test)]
pub(crate) fn test_index(guide_yaml: &str, steps: &[(&str, &str)]) -> SiteIndex {
    use crate::diagnostics::BuildFailed;
    use crate::load::{LoadedStep, Source, split_front_matter};
    use std::path::PathBuf;

    let source = |path: &str, text: &str| {
        Source::new(PathBuf::from(path), PathBuf::from(path), text.to_owned())
    };
    let def = serde_saphyr::from_str(guide_yaml).expect("guide.yaml");
    let steps = steps
        .iter()
        .map(|(id, text)| {
            let ((a, b), body_offset) = split_front_matter(text).expect("front matter");
            let front = serde_saphyr::from_str(&text[a..b]).expect("front matter yaml");
            let src = source(&format!("content/demo/steps/{id}.md"), text);
            (
                (*id).to_owned(),
                LoadedStep {
                    id: (*id).to_owned(),
                    source: src,
                    front,
                    yaml_range: (a, b),
                    body_offset,
                    released: None,
                },
            )
        })
        .collect();
    let loaded = LoadedGuide {
        slug: "demo".into(),
        dir: PathBuf::from("content/demo"),
        file: source("content/demo/guide.yaml", guide_yaml),
        def,
        steps,
        troubles: None,
        files: Vec::new(),
        unlisted: std::collections::BTreeSet::new(),
        ui: crate::ui::Vocabulary::default(),
        ui_sources: Vec::new(),
        anchors: None,
    };
    let config: SiteConfig =
        serde_saphyr::from_str("title: T\nbase_url: https://t.test/\n").expect("config");
    let mut diagnostics = Diagnostics::default();
    let index = resolve(config, vec![loaded], &mut diagnostics);
    assert!(
        !diagnostics.has_errors(),
        "{}",
        BuildFailed(diagnostics.clone())
    );
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("5m"), Ok(300));
        assert_eq!(parse_duration("90s"), Ok(90));
        assert_eq!(parse_duration("1m30s"), Ok(90));
        assert_eq!(parse_duration(" 1h 2m 3s "), Ok(3723));
        assert_eq!(parse_duration("24h"), Ok(86_400));
        assert_eq!(parse_duration("5分"), Ok(300));
        assert_eq!(parse_duration("1分30秒"), Ok(90));
        for (bad, why) in [
            ("", "empty"),
            ("5", "no unit"),
            ("5x", "not a unit"),
            ("m5", "expected a number"),
            ("30s1m", "largest first"),
            ("1m1m", "largest first"),
            ("0m", "some time"),
            ("25h", "at most 24 hours"),
            ("99999999999s", "too large"),
        ] {
            let problem = parse_duration(bad).unwrap_err();
            assert!(problem.to_string().contains(why), "{bad}: {problem}");
        }
    }

    #[test]
    fn dates() {
        assert!(is_date("2026-11-27"));
        assert!(!is_date("2026-13-01"));
        assert!(!is_date("2026-02-31"));
        assert!(!is_date("2026-02-29"));
        assert!(is_date("2028-02-29"));
        assert!(!is_date("2100-02-29"));
        assert!(is_date("2000-02-29"));
        assert!(!is_date("2026-04-31"));
        assert!(!is_date("27/11/2026"));
        assert!(!is_date("2026-1-1"));
    }
}
