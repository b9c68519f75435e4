//! A guide's page: sections, step cards, windows, shared steps, the trouble links on steps and
//! sections, the guide's troubleshooting section and the table of contents.

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use std::collections::BTreeSet;

use super::context::{Found, GuideCtx};
use super::figure::{FigureCx, Figures};
use super::memo::Kept;
use super::reuse::PageCache;
use super::trouble::{self, TroubleCx, TroubleLinkCx};
use super::{LinkCx, Output, base_context, jsonld, search};
use crate::diagnostics::Diagnostic;
use crate::escape::{html_text, url_attr};
use crate::figure::Marks;
use crate::markdown::{LinkUse, Origin, YamlAt};
use crate::model::SectionKind;
use crate::resolve::{Guide, GuideId, Occurrence, RefContext, Section, SiteIndex, WindowMark};
use crate::templates::{Asset, Html, Templates};
use crate::yaml::Seg;

/// The anchor of the generated troubleshooting section on each guide page.
pub(crate) const TROUBLESHOOTING_ANCHOR: &str = "troubleshooting";

#[derive(Serialize)]
struct GuideCx<'a> {
    slug: &'a str,
    title: &'a str,
    description: &'a str,
    published: &'a str,
    updated: &'a str,
    author: &'a str,
    /// `draft: true`: only serve (and `build --drafts`) shows it, marked 下書き.
    draft: bool,
    intro_html: Html,
    canonical_url: String,
    sections: Vec<SectionCx>,
    troubles: Vec<TroubleCx>,
    toc: Vec<TocSection>,
    /// The countdowns of the windows that have a `duration:`.
    timers: Vec<TimerCx>,
    /// The kinds of mark its pictures draw: what the legend at its top explains.
    marks: Marks,
}

/// A window's countdown: the sticky bar the page's script shows once the reader starts it.
#[derive(Serialize)]
struct TimerCx {
    id: String,
    /// In seconds.
    duration: u32,
    /// "タイマー（5分以内）", the bar's accessible name.
    region: String,
    /// "残り {time}", `{time}` filled in by the script.
    left: String,
    /// "STEP22まで", linking to the window's last step.
    until: LinkCx,
    stop: String,
    one_minute: String,
    ended: String,
    ended_help: String,
    /// The entries that arise in the window, with their remedies.
    troubles: Vec<TroubleLinkCx>,
}

#[derive(Serialize)]
pub(super) struct SectionCx {
    pub anchor: String,
    id: String,
    pub kind: &'static str,
    pub title: String,
    intro_html: Html,
    outro_html: Html,
    pub steps: Vec<StepCx>,
    signs: Vec<TroubleCx>,
    points_html: Vec<Html>,
    /// Entries that arise at this section as a whole.
    troubles: Vec<TroubleLinkCx>,
    /// Entries whose remedy sends the reader here.
    fixes: Vec<LinkCx>,
    continue_to: Option<LinkCx>,
    continued_from: Vec<LinkCx>,
}

#[derive(Clone, Serialize)]
pub(super) struct StepCx {
    pub anchor: String,
    pub number: usize,
    badge: String,
    pub title: String,
    body_html: Html,
    #[serde(skip)]
    pub body_text: String,
    pub image: Option<FigureCx>,
    windows: Vec<WindowCx>,
    shared: Vec<LinkCx>,
    shared_html: Html,
    troubles: Vec<TroubleLinkCx>,
    /// Entries shown in full at an earlier step of their range: one line each.
    troubles_brief: Vec<TroubleLinkCx>,
    /// The link text that sends a returning reader back here: "STEP14から再開".
    resume: String,
}

#[derive(Clone, Serialize)]
struct WindowCx {
    id: String,
    label: String,
    starts: bool,
    ends: bool,
    text: String,
    range: String,
    note_html: Html,
    /// At the first step of a window with a `duration:`: the start button's text.
    timer_start: String,
}

#[derive(Serialize)]
struct TocSection {
    anchor: String,
    title: String,
    kind: &'static str,
    steps: Vec<TocStep>,
}

#[derive(Serialize)]
struct TocStep {
    anchor: String,
    badge: String,
    title: String,
}

/// One guide's rendering: the page, the files it needs, and what was found on the way.
pub(super) struct GuidePage {
    pub slug: String,
    pub page: Option<Output>,
    pub files: Vec<Output>,
    pub links: Vec<LinkUse>,
    pub problems: Vec<Diagnostic>,
    /// The other guides the page shows something of.
    pub refers_to: BTreeSet<GuideId>,
    /// The page for the search index, when the scope makes one.
    pub search: Option<search::Page>,
}

pub(super) fn render_guide(
    index: &SiteIndex,
    templates: &Templates,
    (gi, guide): (GuideId, &Guide),
    figures: &Figures,
    scope: super::Scope<'_>,
    kept: Option<&PageCache>,
) -> GuidePage {
    let page = PageOf {
        index,
        guide,
        figures,
        scope,
    };
    // The key hashes every text of the guide: taken once, for looking and for keeping.
    let kept = kept.map(|k| (k, k.key(guide, figures)));
    if let Some(hit) = kept.and_then(|(k, key)| k.find(index, guide, key))
        && let Some(page) = page.kept(hit)
    {
        return page;
    }
    let (mut context, mut found) = page_context(index, gi, guide, figures, scope.kept);
    context.insert("meta", &super::publish::guide_meta(index, guide));
    found.guides.remove(&gi);
    // About 6 kB of HTML a step with the default theme.
    let room = 6 * 1024 * guide.step_count() + 64 * 1024;
    let (output, search) = match templates.render_bytes("guide.html", &context, room) {
        Ok(html) => page.place(html, kept.filter(|_| found.problems.is_empty()), &found),
        Err(d) => {
            found.problems.push(d);
            (None, None)
        }
    };
    GuidePage {
        slug: guide.slug().to_owned(),
        files: if output.is_some() {
            guide_files(guide, figures)
        } else {
            Vec::new()
        },
        page: output,
        links: found.links,
        problems: found.problems,
        refers_to: found.guides,
        search,
    }
}

/// The guide page being made, and what decides where it goes.
#[derive(Clone, Copy)]
struct PageOf<'a> {
    index: &'a SiteIndex,
    guide: &'a Guide,
    figures: &'a Figures,
    scope: super::Scope<'a>,
}

impl PageOf<'_> {
    fn path(&self) -> PathBuf {
        PathBuf::from(self.guide.slug()).join("index.html")
    }

    /// Whether the scope makes a search index (which reads every guide page).
    fn wants_search(&self) -> bool {
        self.scope.search && self.index.config.search
    }

    /// The page `html` for the search index.
    fn search_page(&self, html: String) -> search::Page {
        search::Page {
            url: format!("{}/", self.guide.slug()),
            html,
        }
    }

    /// The page kept from the previous build (`hit`), with its files; `None` when the kept
    /// file cannot be read for the search index (the page is then rendered).
    fn kept(&self, hit: super::reuse::Hit) -> Option<GuidePage> {
        let search = if self.wants_search() {
            Some(self.search_page(crate::fs::read_to_string(&hit.file).ok()?))
        } else {
            None
        };
        Some(GuidePage {
            slug: self.guide.slug().to_owned(),
            page: Some(Output::KeptPage {
                path: self.path(),
                from: hit.file,
            }),
            files: guide_files(self.guide, self.figures),
            links: Vec::new(),
            problems: Vec::new(),
            refers_to: hit.refers_to,
            search,
        })
    }

    /// The rendered page `html` as an output: kept in the cache for the next build (and linked
    /// from there) when `kept` says so and the cache can be written, else the page itself.
    fn place(
        &self,
        html: Vec<u8>,
        kept: Option<(&PageCache, u64)>,
        found: &Found,
    ) -> (Option<Output>, Option<search::Page>) {
        if let Some(from) =
            kept.and_then(|(k, key)| k.keep(self.index, self.guide, key, &html, &found.guides))
        {
            let search = self
                .wants_search()
                .then(|| self.search_page(crate::templates::into_text(html)));
            return (
                Some(Output::KeptPage {
                    path: self.path(),
                    from,
                }),
                search,
            );
        }
        let html = crate::templates::into_text(html);
        let search = self.wants_search().then(|| self.search_page(html.clone()));
        (
            Some(Output::Page {
                path: self.path(),
                html,
            }),
            search,
        )
    }
}

/// A guide as a WordPress post (the theme's `wordpress.html`): block markup whose links and
/// pictures are written as on the guide's page, with the post's stylesheet `style` and the
/// `HowTo` JSON-LD when they are to go in. The problems found on the way come along.
pub(super) fn render_post(
    index: &SiteIndex,
    templates: &Templates,
    gi: GuideId,
    guide: &Guide,
    figures: &Figures,
    with: super::post::PostParts<'_>,
) -> (Result<String, Diagnostic>, Vec<Diagnostic>) {
    let (mut context, found) = page_context(index, gi, guide, figures, None);
    if !with.jsonld {
        context.insert("jsonld", "");
    }
    context.insert("style", with.style.unwrap_or(""));
    let script = if with.script {
        // Inline in the post: nothing in it may end the <script> element early.
        crate::templates::reader_script().replace("</", "<\\/")
    } else {
        String::new()
    };
    context.insert("reader_script", &script);
    (templates.render("wordpress.html", &context), found.problems)
}

/// What a guide's page shows (`guide`, `jsonld` and the site-wide values), and what was found
/// making it.
fn page_context(
    index: &SiteIndex,
    gi: GuideId,
    guide: &Guide,
    figures: &Figures,
    kept: Option<Kept<'_>>,
) -> (tera::Context, Found) {
    let cx = GuideCtx {
        index,
        guide,
        gi,
        figures: &figures.by_key,
    };
    let mut found = Found::default();
    let def = &guide.loaded.def;
    let canonical_url = format!("{}{}/", index.config.base_url, guide.slug());
    let intro_html = cx.yaml_md(&def.intro, None, &[Seg::Key("intro")], &mut found);
    let sections: Vec<SectionCx> = guide
        .sections
        .iter()
        .map(|s| render_section(cx, s, kept, &mut found))
        .collect();
    let troubles: Vec<TroubleCx> = (0..guide.troubles.entries.len())
        .map(|k| {
            trouble::trouble_cx(
                cx,
                k,
                cx.on_page(None),
                &guide.troubles.entries[k].index_anchor,
                &mut found,
            )
        })
        .collect();
    let mut sections = sections;
    if let Some(first) = sections
        .iter_mut()
        .flat_map(|s| s.steps.iter_mut())
        .find_map(|st| st.image.as_mut())
    {
        first.eager = true;
    }
    let toc = toc(index, &sections, &troubles);
    let jsonld = jsonld::howto(index, guide, &canonical_url, &procedures(&sections));
    let guide_cx = GuideCx {
        slug: guide.slug(),
        title: &def.title,
        description: &def.description,
        published: &def.published,
        updated: def.updated.as_deref().unwrap_or(""),
        author: def.author.as_deref().unwrap_or(&index.config.author),
        draft: def.draft,
        intro_html: Html(intro_html),
        canonical_url,
        sections,
        troubles,
        toc,
        timers: timers(cx),
        marks: marks(guide),
    };
    let mut context = base_context(index, "../");
    context.insert("guide", &guide_cx);
    context.insert("jsonld", &Html(jsonld));
    (context, found)
}

fn render_section(
    cx: GuideCtx<'_>,
    section: &Section,
    kept: Option<Kept<'_>>,
    found: &mut Found,
) -> SectionCx {
    let si = section.index;
    let guide = cx.guide;
    let def = &guide.loaded.def.sections[si];
    let at = |key| [Seg::Key("sections"), Seg::Index(si), Seg::Key(key)];
    let intro_html = cx.yaml_md(&def.intro, Some(si), &at("intro"), found);
    let outro_html = cx.yaml_md(&def.outro, Some(si), &at("outro"), found);
    let rendered: Vec<(StepCx, Found)> = section
        .occurrences
        .par_iter()
        .map(|occ| match kept {
            Some(kept) => kept_step(kept, cx, occ),
            None => render_step(cx, occ),
        })
        .collect();
    let mut steps = Vec::with_capacity(rendered.len());
    for (step, step_found) in rendered {
        found.absorb(step_found);
        steps.push(step);
    }
    let signs = guide
        .troubles
        .entries
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t.origin, crate::load::TroubleOrigin::Sign { section, .. } if section == si))
        .map(|(k, t)| trouble::trouble_cx(cx, k, cx.on_page(Some(si)), &t.anchor, found))
        .collect();
    let points_html = def
        .points
        .iter()
        .enumerate()
        .map(|(k, p)| {
            Html(cx.yaml_md(
                p,
                Some(si),
                &[
                    Seg::Key("sections"),
                    Seg::Index(si),
                    Seg::Key("points"),
                    Seg::Index(k),
                ],
                found,
            ))
        })
        .collect();
    let section_link = |s: usize, key: &str| LinkCx {
        text: cx
            .index
            .labels
            .fill(key, &[("section", guide.section_title(s))]),
        url: format!("#{}", guide.sections[s].id),
    };
    SectionCx {
        anchor: def.id.clone(),
        id: def.id.clone(),
        kind: def.kind.as_str(),
        title: def.title.clone(),
        intro_html: Html(intro_html),
        outro_html: Html(outro_html),
        steps,
        signs,
        points_html,
        troubles: trouble::links_for(cx, guide.troubles.at_section.get(&si), None),
        fixes: guide
            .troubles
            .remedied_by
            .get(&si)
            .into_iter()
            .flatten()
            .map(|&k| {
                let t = &guide.troubles.entries[k];
                LinkCx {
                    text: cx.ui_text(&t.def.symptom),
                    url: format!("#{}", t.anchor),
                }
            })
            .collect(),
        continue_to: def
            .continue_to
            .as_ref()
            .and_then(|id| guide.sections.iter().position(|s| &s.id == id))
            .map(|s| section_link(s, "continue_to")),
        continued_from: guide
            .continued_from
            .get(&si)
            .into_iter()
            .flatten()
            .map(|&s| section_link(s, "continued_from"))
            .collect(),
    }
}

/// The card of the step at `occ`, kept from an earlier render while what it is made of is the
/// same: the step's file, its place in the guide, and what its references, windows and trouble
/// links name of this and other guides (all in the guides' outlines,
/// [`crate::load::LoadedGuide::outline`]).
fn kept_step(kept: Kept<'_>, cx: GuideCtx<'_>, occ: &Occurrence) -> (StepCx, Found) {
    use std::hash::{Hash as _, Hasher as _};
    let Some(step) = cx.guide.loaded.steps.get(&occ.step_id) else {
        return render_step(cx, occ);
    };
    let mut h = std::hash::DefaultHasher::new();
    (kept.outlines, cx.gi, occ.section, occ.number, &occ.step_id).hash(&mut h);
    step.source.text[..step.body_offset].hash(&mut h);
    step.body_hash().hash(&mut h);
    let key = (cx.guide.slug().to_owned(), occ.anchor.clone());
    kept.memo
        .steps
        .get_or(key, h.finish(), || render_step(cx, occ))
}

fn render_step(cx: GuideCtx<'_>, occ: &Occurrence) -> (StepCx, Found) {
    let (index, guide) = (cx.index, cx.guide);
    let mut found = Found::default();
    let from = cx.on_page(Some(occ.section));
    let (title, (body_html, body_text), image) = match guide.loaded.steps.get(&occ.step_id) {
        Some(step) => {
            let image = cx.figures.get(&format!("step:{}", occ.step_id)).cloned();
            let body = match step.full_source(guide.loaded.site_root()) {
                Ok(again) => {
                    let source = again.as_ref().unwrap_or(&step.source);
                    let text = &source.text[step.body_offset..];
                    let origin = Origin::Exact(source, step.body_offset);
                    cx.md(text, from, origin, &mut found)
                }
                Err(problem) => {
                    found.problems.push(problem);
                    (String::new(), String::new())
                }
            };
            (cx.ui_text(&step.front.title), body, image)
        }
        None => (occ.step_id.clone(), (String::new(), String::new()), None),
    };
    let windows = occ
        .windows
        .iter()
        .map(|mark| window_cx(cx, from, *mark, &mut found))
        .collect();
    let shared: Vec<LinkCx> = guide
        .occurrences_of(&occ.step_id)
        .filter(|o| o.section != occ.section)
        .map(|o| LinkCx {
            text: index.labels.fill(
                "step_in_section",
                &[
                    ("section", guide.section_short_title(o.section)),
                    ("step", &index.labels.step(o.number)),
                ],
            ),
            url: format!("#{}", o.anchor),
        })
        .collect();
    let shared_html = shared_sentence(index, &shared);
    let (troubles_brief, troubles) = trouble::links_for(
        cx,
        guide.troubles.at_step.get(&(occ.section, occ.number - 1)),
        Some((occ.section, occ.number - 1)),
    )
    .into_iter()
    .partition(TroubleLinkCx::is_brief);
    // "STEP14" in the guide's first procedure; with the section's title in the others.
    let first_procedure = guide
        .loaded
        .def
        .sections
        .iter()
        .position(|s| s.kind == SectionKind::Procedure);
    let here = if first_procedure == Some(occ.section) {
        index.labels.step(occ.number)
    } else {
        index.labels.fill(
            "step_in_section",
            &[
                ("section", guide.section_short_title(occ.section)),
                ("step", &index.labels.step(occ.number)),
            ],
        )
    };
    let step = StepCx {
        resume: index.labels.fill("progress_resume", &[("step", &here)]),
        anchor: occ.anchor.clone(),
        number: occ.number,
        badge: index.labels.step(occ.number),
        title,
        body_html: Html(body_html),
        body_text,
        image,
        windows,
        shared,
        shared_html: Html(shared_html),
        troubles,
        troubles_brief,
    };
    (step, found)
}

/// "この手順は<a>連携解除の方法のSTEP1</a>と共通です。" (empty when the step is not shared).
fn shared_sentence(index: &SiteIndex, shared: &[LinkCx]) -> String {
    if shared.is_empty() {
        return String::new();
    }
    let links: Vec<String> = shared
        .iter()
        .map(|s| {
            format!(
                "<a class=\"ref\" href=\"{}\">{}</a>",
                url_attr(&s.url),
                html_text(&s.text)
            )
        })
        .collect();
    html_text(index.labels.get("shared_step")).replace(
        "{where}",
        &links.join(&html_text(index.labels.get("list_separator"))),
    )
}

fn window_cx(cx: GuideCtx<'_>, from: RefContext, mark: WindowMark, found: &mut Found) -> WindowCx {
    let (index, guide) = (cx.index, cx.guide);
    let w = &guide.windows[mark.window];
    let occs = &guide.sections[w.section].occurrences;
    let range = index
        .labels
        .step_range(occs[w.from].number, occs[w.to].number);
    let key = match (mark.starts, mark.ends) {
        (true, _) => "window_start",
        (false, true) => "window_end",
        (false, false) => "window_inside",
    };
    let text = index
        .labels
        .fill(key, &[("label", &w.label), ("range", &range)]);
    let note_html = if mark.starts && !w.note.is_empty() {
        let file = &guide.loaded.file;
        cx.md(
            &w.note,
            from,
            Origin::Yaml(file, YamlAt::Offset(w.note_at)),
            found,
        )
        .0
    } else {
        String::new()
    };
    let timer_start = match w.duration {
        Some(seconds) if mark.starts => index.labels.fill(
            "timer_start",
            &[("duration", &index.labels.duration(seconds))],
        ),
        _ => String::new(),
    };
    WindowCx {
        id: w.id.clone(),
        label: w.label.clone(),
        starts: mark.starts,
        ends: mark.ends,
        text,
        range,
        note_html: Html(note_html),
        timer_start,
    }
}

/// The countdowns of the guide's windows that have a `duration:`.
/// The kinds of mark drawn on a guide's pictures: its steps' and its trouble entries'.
fn marks(guide: &Guide) -> Marks {
    let steps = guide.loaded.steps.values().map(|s| s.front.image.as_ref());
    let troubles = guide.troubles.entries.iter().map(|t| t.def.image.as_ref());
    steps
        .chain(troubles)
        .flatten()
        .map(crate::figure::FigureDef::marks)
        .fold(Marks::default(), Marks::with)
}

fn timers(cx: GuideCtx<'_>) -> Vec<TimerCx> {
    let labels = &cx.index.labels;
    cx.guide
        .windows
        .iter()
        .filter_map(|w| {
            let duration = w.duration?;
            let occs = &cx.guide.sections[w.section].occurrences;
            let end = &occs[w.to];
            let mut seen = BTreeSet::new();
            let troubles = (w.from..=w.to)
                .flat_map(|pos| {
                    trouble::links_for(cx, cx.guide.troubles.at_step.get(&(w.section, pos)), None)
                })
                .filter(|t| seen.insert(t.url().to_owned()))
                .collect();
            let in_words = labels.duration(duration);
            Some(TimerCx {
                id: w.id.clone(),
                duration,
                region: labels.fill("timer_region", &[("label", &w.label)]),
                left: labels.get("timer_left").to_owned(),
                until: LinkCx {
                    text: labels.fill("timer_until", &[("step", &labels.step(end.number))]),
                    url: format!("#{}", end.anchor),
                },
                stop: labels.get("timer_stop").to_owned(),
                one_minute: labels.get("timer_one_minute").to_owned(),
                ended: labels.fill("timer_ended", &[("duration", &in_words)]),
                ended_help: labels.get("timer_ended_help").to_owned(),
                troubles,
            })
        })
        .collect()
}

/// The guide folder's own files (pictures, downloads), except pictures whose masks were burned
/// into published copies, plus the generated figures.
fn guide_files(guide: &Guide, figures: &Figures) -> Vec<Output> {
    let mut files: Vec<Output> = guide
        .loaded
        .files
        .iter()
        .filter(|rel| {
            !figures
                .masked
                .contains(&crate::fs::normalize(&guide.loaded.dir.join(rel)))
        })
        .map(|rel| Output::Asset {
            path: PathBuf::from(guide.slug()).join(rel),
            asset: Asset::File(guide.loaded.dir.join(rel)),
        })
        .collect();
    files.extend(figures.files.iter().cloned());
    files
}

/// The procedures of the page as the `HowTo` data shows them.
fn procedures(sections: &[SectionCx]) -> Vec<jsonld::Procedure<'_>> {
    sections
        .iter()
        .filter(|s| s.kind == SectionKind::Procedure.as_str())
        .map(|s| jsonld::Procedure {
            title: &s.title,
            anchor: &s.anchor,
            steps: s
                .steps
                .iter()
                .map(|st| jsonld::Step {
                    number: st.number,
                    title: &st.title,
                    text: if st.body_text.is_empty() {
                        &st.title
                    } else {
                        &st.body_text
                    },
                    anchor: &st.anchor,
                    image: st.image.as_ref().map(|i| i.src.as_str()),
                })
                .collect(),
        })
        .collect()
}

fn toc(index: &SiteIndex, sections: &[SectionCx], troubles: &[TroubleCx]) -> Vec<TocSection> {
    let mut toc: Vec<TocSection> = sections
        .iter()
        .map(|s| TocSection {
            anchor: s.anchor.clone(),
            title: s.title.clone(),
            kind: s.kind,
            steps: if s.kind == SectionKind::Failure.as_str() {
                s.signs
                    .iter()
                    .map(|t| TocStep {
                        anchor: t.anchor.clone(),
                        badge: String::new(),
                        title: t.symptom.clone(),
                    })
                    .collect()
            } else {
                s.steps
                    .iter()
                    .map(|st| TocStep {
                        anchor: st.anchor.clone(),
                        badge: st.badge.clone(),
                        title: st.title.clone(),
                    })
                    .collect()
            },
        })
        .collect();
    if !troubles.is_empty() {
        toc.push(TocSection {
            anchor: TROUBLESHOOTING_ANCHOR.to_owned(),
            title: index.labels.get("troubleshooting").to_owned(),
            kind: "troubleshooting",
            steps: Vec::new(),
        });
    }
    toc
}
