//! Trouble entries on pages: the cards (failure section, each guide's troubleshooting section,
//! the site-wide index) and the compact "うまくいかないときは" links on steps and sections.

use std::path::PathBuf;

use serde::Serialize;

use super::context::{Found, GuideCtx};
use super::{LinkCx, Output, TROUBLESHOOTING_PAGE, base_context};
use crate::diagnostics::Diagnostic;
use crate::markdown::{LinkUse, Origin, YamlAt};
use crate::resolve::{Place, RefContext, SiteIndex};
use crate::templates::Html;
use crate::templates::Templates;

/// A trouble entry's card.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct TroubleCx {
    pub id: String,
    /// The card's id on this page.
    pub anchor: String,
    pub symptom: String,
    cause_html: Html,
    remedy_html: Html,
    /// Where it arises, as links.
    places: Vec<PlaceCx>,
    /// The procedures its remedy sends the reader to.
    fixed_by: Vec<LinkCx>,
    keywords: Vec<String>,
    pub image: Option<super::figure::FigureCx>,
    /// Everything the filter matches, as plain text (symptom, keywords, cause).
    search: String,
}

/// The compact form shown on a step or section: the symptom linking to its card, and the
/// procedures that fix it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct TroubleLinkCx {
    symptom: String,
    url: String,
    fixed_by: Vec<LinkCx>,
    /// Shown as one line: the entry is shown in full at an earlier step.
    brief: bool,
}

/// The card of entry `k` of the guide, rendered for `from` with the id `anchor`.
pub(super) fn trouble_cx(
    cx: GuideCtx<'_>,
    k: usize,
    from: RefContext,
    anchor: &str,
    found: &mut Found,
) -> TroubleCx {
    let entry = &cx.guide.troubles.entries[k];
    let source = cx.guide.entry_source(&entry.origin);
    let md = |field: &'static str, text: &str, found: &mut Found| {
        if text.trim().is_empty() {
            return (String::new(), String::new());
        }
        let path = source.path_to(field);
        let at = YamlAt::Value {
            base: source.base,
            yaml: source.yaml,
            path: &path,
        };
        cx.md(text, from, Origin::Yaml(source.source, at), found)
    };
    let (cause_html, cause_text) = md("cause", &entry.def.cause, found);
    let (remedy_html, _) = md("remedy", &entry.def.remedy, found);
    let places = entry
        .places
        .iter()
        .map(|&p| {
            place_cx(
                cx.index.place_link(from, cx.gi, p),
                cx.index.place_end(from, cx.gi, p),
            )
        })
        .collect();
    let fixed_by = fixed_by(cx, from, k);
    let symptom = cx.ui_text(&entry.def.symptom);
    let mut search = symptom.clone();
    for word in entry
        .def
        .keywords
        .iter()
        .map(String::as_str)
        .chain([cause_text.as_str()])
    {
        search.push(' ');
        search.push_str(word);
    }
    TroubleCx {
        id: entry.def.id.clone(),
        anchor: anchor.to_owned(),
        symptom,
        cause_html: Html(cause_html),
        remedy_html: Html(remedy_html),
        places,
        fixed_by,
        keywords: entry.def.keywords.clone(),
        image: cx
            .figures
            .get(&format!("trouble:{}", entry.def.id))
            .cloned(),
        search,
    }
}

/// Where an entry arises: one link, or for a range of steps two ("STEP9〜" and "STEP22"), so
/// that the reader reaches either end in one tap.
#[derive(Clone, Debug, Serialize)]
struct PlaceCx {
    text: String,
    url: String,
    end: Option<LinkCx>,
}

/// The place's link, its text split before the range's last step when that ends it.
fn place_cx(place: crate::resolve::Link, end: Option<crate::resolve::Link>) -> PlaceCx {
    match end {
        Some(end) if place.text.len() > end.text.len() && place.text.ends_with(&end.text) => {
            PlaceCx {
                text: place.text[..place.text.len() - end.text.len()].to_owned(),
                url: place.href,
                end: Some(link(end)),
            }
        }
        _ => PlaceCx {
            text: place.text,
            url: place.href,
            end: None,
        },
    }
}

fn link(l: crate::resolve::Link) -> LinkCx {
    LinkCx {
        text: l.text,
        url: l.href,
    }
}

fn fixed_by(cx: GuideCtx<'_>, from: RefContext, k: usize) -> Vec<LinkCx> {
    cx.guide.troubles.entries[k]
        .remedied_in
        .iter()
        .map(|&si| link(cx.index.section_link(from, cx.gi, si)))
        .collect()
}

/// The compact links for entries `ks` (arising at one step or section) on the guide page.
pub(super) fn links_for(
    cx: GuideCtx<'_>,
    ks: Option<&Vec<usize>>,
    step: Option<(usize, usize)>,
) -> Vec<TroubleLinkCx> {
    let from = cx.on_page(None);
    ks.into_iter()
        .flatten()
        .map(|&k| {
            let entry = &cx.guide.troubles.entries[k];
            TroubleLinkCx {
                symptom: cx.ui_text(&entry.def.symptom),
                url: format!("#{}", entry.anchor),
                fixed_by: fixed_by(cx, from, k),
                brief: step.is_some_and(|at| !shown_in_full_at(&entry.places, at)),
            }
        })
        .collect()
}

impl TroubleLinkCx {
    pub(super) fn is_brief(&self) -> bool {
        self.brief
    }

    /// Where the entry's card is on the page.
    pub(super) fn url(&self) -> &str {
        &self.url
    }
}

/// How many steps show an entry's link in full (with its remedy); the other steps it arises at
/// show it as one line, so that an entry of a five-minute window is not repeated on every step.
const FULL_AT_MOST: usize = 2;

/// Whether an entry arising at `places` is shown in full at step `at` (section, position): at
/// the first step of each of its first [`FULL_AT_MOST`] step places, in reading order.
fn shown_in_full_at(places: &[Place], at: (usize, usize)) -> bool {
    let mut starts: Vec<(usize, usize)> = places
        .iter()
        .filter_map(|place| match *place {
            Place::Steps { section, from, .. } => Some((section, from)),
            Place::Section(_) => None,
        })
        .collect();
    starts.sort_unstable();
    starts.dedup();
    starts.iter().take(FULL_AT_MOST).any(|&start| start == at)
}

#[derive(Serialize)]
struct GroupCx {
    title: String,
    url: String,
    troubles: Vec<TroubleCx>,
}

/// `troubleshooting/index.html`: every entry of the site, grouped by guide in reading order.
pub(super) fn render_troubleshooting_page(
    index: &SiteIndex,
    templates: &Templates,
    figures: &[super::figure::Figures],
    links: &mut Vec<LinkUse>,
) -> Result<Output, Diagnostic> {
    let mut found = Found::default();
    let groups: Vec<GroupCx> = index
        .guides_with_ids()
        .filter(|(_, g)| !g.troubles.entries.is_empty())
        .map(|(gi, guide)| {
            let cx = GuideCtx {
                index,
                guide,
                gi,
                figures: &figures[gi.position()].by_key,
            };
            let from = RefContext {
                guide: gi,
                section: None,
                page: None,
            };
            let troubles = (0..guide.troubles.entries.len())
                .map(|k| {
                    let anchor = format!("{}-{}", guide.slug(), guide.troubles.entries[k].def.id);
                    let mut card = trouble_cx(cx, k, from, &anchor, &mut found);
                    if let Some(image) = &mut card.image {
                        // Figures live next to the guide page.
                        image.relocate(&format!("../{}/", guide.slug()));
                    }
                    card
                })
                .collect();
            GroupCx {
                title: guide.title().to_owned(),
                url: format!("../{}/", guide.slug()),
                troubles,
            }
        })
        .collect();
    links.extend(found.links);
    let mut cx = base_context(index, "../");
    cx.insert("groups", &groups);
    let title = format!(
        "{} | {}",
        index.labels.get("trouble_index"),
        index.config.title
    );
    let meta = super::publish::page_meta(
        index,
        "troubleshooting/",
        &title,
        index.labels.get("trouble_index_intro"),
    );
    cx.insert("meta", &meta);
    let html = templates.render("troubleshooting.html", &cx)?;
    Ok(Output::Page {
        path: PathBuf::from(TROUBLESHOOTING_PAGE),
        html,
    })
}
