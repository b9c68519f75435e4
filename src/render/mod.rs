//! Render stage: Markdown and templates into pages, plus each guide's `HowTo` JSON-LD.
//!
//! Works on the immutable [`SiteIndex`]; guides and the steps inside them are rendered in
//! parallel. Produces the list of output files without writing anything, so that a build with
//! problems leaves the previous output untouched and `check` can stop here. Pages: the list of
//! guides ([`render_index`]), one page per guide ([`guide`]) and the site-wide troubleshooting
//! index ([`trouble`]).

mod context;
mod figure;
mod guide;
mod jsonld;
pub(crate) mod memo;
mod output;
pub(crate) mod post;
mod publish;
pub(crate) mod reuse;
pub(crate) mod search;
mod trouble;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::images::ImagePipeline;
use crate::markdown::LinkUse;
use crate::resolve::{GuideId, SiteIndex};
use crate::templates::Templates;

pub(crate) use guide::TROUBLESHOOTING_ANCHOR;
pub use output::Output;
pub(crate) use publish::CARD_FILE;

/// Everything rendered, not yet written.
#[derive(Debug)]
pub(crate) struct Rendered {
    /// The site's index; without guides when the job did not keep it (a build frees it before
    /// the share cards are drawn).
    pub index: SiteIndex,
    /// Counted only when the job did not keep the index (a build); zero otherwise.
    pub counts: Counts,
    pub outputs: Vec<Output>,
    /// Plain links written in Markdown, for `check`.
    pub links: Vec<LinkUse>,
    /// For each guide rendered, the other guides its page shows something of.
    pub depends: std::collections::BTreeMap<String, BTreeSet<String>>,
    /// The problems found rendering each page (also in `diagnostics`): by guide slug, and
    /// `""` for the site-wide pages.
    pub page_problems: std::collections::BTreeMap<String, Vec<Diagnostic>>,
    pub diagnostics: Diagnostics,
}

/// What a build reports of the site it rendered.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Counts {
    pub guides: usize,
    pub steps: usize,
    /// Screenshots captured for an older version of the app than their guide documents.
    pub stale_screenshots: usize,
}

/// What rendering found besides the files (which go to a [`Sink`]): the plain links written in
/// Markdown (for `check` to verify against the finished file list) and which guides each page
/// shows something of.
#[derive(Debug, Default)]
pub(crate) struct Pages {
    pub links: Vec<LinkUse>,
    /// The problems found rendering each page: by guide slug, and `""` for the site-wide pages.
    pub problems: BTreeMap<String, Vec<Diagnostic>>,
    /// For each guide rendered (by slug), the other guides its page shows something of: the
    /// page must be rendered again when one of them changes.
    pub depends: BTreeMap<String, BTreeSet<String>>,
}

/// Which pages to render, and what earlier renders may lend.
#[derive(Clone, Copy)]
pub(crate) struct Scope<'a> {
    /// The guides whose pages to render (by slug); `None`: all.
    pub guides: Option<&'a BTreeSet<String>>,
    /// Whether to render the site-wide pages (the guide list and the troubleshooting index).
    pub site_pages: bool,
    /// Step cards kept from earlier renders (serve); `None`: render every step.
    pub kept: Option<memo::Kept<'a>>,
    /// Figures carry what the annotation editor needs (`data-tebiki-figure`,
    /// `data-tebiki-version`): serve's pages, never a build's.
    pub editable: bool,
    /// Whether the search index is made (build, serve's full rebuilds; with every guide in
    /// scope, as it covers them all).
    pub search: bool,
    /// The cache folder (`.tebiki-cache`) where guide pages are kept between builds
    /// ([`reuse`]): a build's, never check's or serve's, which need what rendering finds.
    pub keep_pages: Option<&'a std::path::Path>,
}

impl Scope<'_> {
    /// Every page.
    pub(crate) const ALL: Scope<'static> = Scope {
        guides: None,
        site_pages: true,
        kept: None,
        editable: false,
        search: true,
        keep_pages: None,
    };

    fn wants(&self, guide: &crate::resolve::Guide) -> bool {
        self.guides.is_none_or(|set| set.contains(guide.slug()))
    }
}

/// Where rendered files go as soon as each is ready: kept in memory ([`Collect`], for check
/// and serve) or written into the build's staging folder (`write::Staging`). Pages are rendered
/// in parallel, so a sink takes files from several threads.
pub(crate) trait Sink: Sync {
    fn put(&self, output: Output);
}

/// A sink that keeps every file in memory.
#[derive(Debug, Default)]
pub(crate) struct Collect(std::sync::Mutex<Vec<Output>>);

impl Sink for Collect {
    fn put(&self, output: Output) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(output);
    }
}

impl Collect {
    pub(crate) fn into_outputs(self) -> Vec<Output> {
        self.0
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// What is planned before any page is rendered: the share cards (drawn while the pages are).
#[derive(Default)]
pub(crate) struct Prepared {
    /// The share card in the cache of each guide rendered now that has one, by slug.
    cards: Vec<(String, PathBuf)>,
    /// The site's own card (for the list, troubleshooting and 404 pages), when they are rendered.
    site_card: Option<PathBuf>,
    /// Where search indexes are kept between builds ([`search::index`]).
    search_cache: Option<PathBuf>,
}

impl Prepared {
    /// Plans the share card of every guide in `scope` (their PNGs are drawn by the pictures
    /// stage); `file` names where a card's PNG is kept.
    pub(crate) fn plan_cards(
        &mut self,
        index: &SiteIndex,
        templates: &Templates,
        scope: Scope<'_>,
        file: impl Fn(&crate::card::CardPlan) -> PathBuf + Sync,
        diagnostics: &mut Diagnostics,
    ) -> Vec<crate::card::CardPlan> {
        let site = &index.config.title;
        let planned: Vec<(&str, Result<crate::card::CardPlan, Diagnostic>)> = index
            .guides
            .par_iter()
            // A guide with its own `og_image:` has no generated card.
            .filter(|g| scope.wants(g) && g.loaded.def.og_picture.is_none())
            .map(|g| {
                let steps = index.labels.fill(
                    "card_steps",
                    &[("count", &g.first_procedure_steps().to_string())],
                );
                (
                    g.slug(),
                    crate::card::plan(templates, g.title(), site, &steps),
                )
            })
            .collect();
        let mut plans = Vec::new();
        if scope.site_pages {
            let guides = index
                .labels
                .fill("card_guides", &[("count", &index.guides.len().to_string())]);
            let host = index.config.host();
            match crate::card::plan(templates, site, &host, &guides) {
                Ok(plan) => {
                    self.site_card = Some(file(&plan));
                    plans.push(plan);
                }
                Err(d) => diagnostics.push(d),
            }
        }
        for (slug, plan) in planned {
            match plan {
                Ok(plan) => {
                    self.cards.push((slug.to_owned(), file(&plan)));
                    plans.push(plan);
                }
                Err(d) => diagnostics.push(d),
            }
        }
        plans
    }
}

/// Ready for [`Prepared::plan_cards`] and [`render_pages`]: search indexes kept in `images`'s
/// cache.
pub(crate) fn prepare(images: &ImagePipeline) -> Prepared {
    Prepared {
        cards: Vec::new(),
        site_card: None,
        search_cache: Some(images.cache_root().join("search")),
    }
}

/// How the guide pages get their figures: planned with `images` as each guide is rendered,
/// and with `encode`, their screenshots encoded into the cache before the page is put (the
/// pictures stage, guide by guide). A guide's figures are freed with its page, but for its
/// trouble entries' (the troubleshooting page shows them).
#[derive(Clone, Copy)]
pub(crate) struct FigureStage<'a> {
    pub images: &'a ImagePipeline,
    /// Encodes screenshots into the cache, telling what could not be.
    pub encode: Option<&'a EncodePictures<'a>>,
}

/// The pictures stage for the screenshots of one guide: what could not be encoded.
pub(crate) type EncodePictures<'a> = dyn Fn(&[&crate::images::Plan]) -> Vec<Diagnostic> + Sync + 'a;

/// The figures of guide `g` (of its trouble entries only, when `scope` does not render it).
fn guide_figures(
    index: &SiteIndex,
    stage: FigureStage<'_>,
    scope: Scope<'_>,
    g: &crate::resolve::Guide,
) -> figure::Figures {
    let pictures = figure::Pictures {
        editable: scope.editable,
        ..pictures(index, stage.images)
    };
    figure::prepare(g, pictures, scope.wants(g), scope.kept)
}

/// How the figures of `index` are made.
fn pictures<'a>(index: &'a SiteIndex, pipeline: &'a ImagePipeline) -> figure::Pictures<'a> {
    figure::Pictures {
        pipeline,
        settings: &index.config.images,
        labels: &index.labels,
        editable: false,
    }
}

/// Renders guide `gi` as a WordPress post (`wordpress.html`), with every figure of its steps.
pub(crate) fn wordpress_post(
    index: &SiteIndex,
    templates: &Templates,
    images: &ImagePipeline,
    gi: GuideId,
    parts: post::PostParts<'_>,
) -> Result<post::Post, Diagnostics> {
    let guide = index.guide(gi);
    let figures = figure::prepare(guide, pictures(index, images), true, None);
    let (html, mut problems) = guide::render_post(index, templates, gi, guide, &figures, parts);
    let html = match html {
        Ok(html) => html,
        Err(d) => {
            problems.push(d);
            let mut all = Diagnostics::default();
            all.extend(problems);
            return Err(all);
        }
    };
    Ok(post::Post {
        html,
        pictures: figure::post_pictures(&figures),
    })
}

/// The style sheet of a WordPress post (the theme's `wordpress.css`).
pub(crate) fn post_style(templates: &Templates, index: &SiteIndex) -> Result<String, Diagnostic> {
    templates.render("wordpress.css", &base_context(index, "./"))
}

/// A link for templates: its text and where it goes.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct LinkCx {
    pub text: String,
    pub url: String,
}

#[derive(Serialize)]
struct SiteCx<'a> {
    title: &'a str,
    description: &'a str,
    author: &'a str,
    language: &'a str,
    base_url: &'a str,
    extra: &'a BTreeMap<String, serde_json::Value>,
    /// Whether pages carry the search box (`search:` of site.yaml).
    search: bool,
}

#[derive(Serialize)]
struct GuideCard<'a> {
    slug: &'a str,
    title: &'a str,
    description: &'a str,
    published: &'a str,
    updated: &'a str,
    url: String,
    /// `draft: true`: shown only by serve (and `build --drafts`), marked 下書き.
    draft: bool,
    /// Distinct steps (a step shown in several procedures counts once).
    step_count: usize,
    /// Of those, the steps shown in more than one procedure.
    shared_count: usize,
    /// Each procedure's title and its numbered steps: what the reader counts on the page.
    procedures: Vec<ProcedureCount<'a>>,
    trouble_count: usize,
}

/// A procedure on the guide list: its title and how many numbered steps it has.
#[derive(Serialize)]
struct ProcedureCount<'a> {
    title: &'a str,
    count: usize,
}

/// The path of the site-wide troubleshooting index.
pub(crate) const TROUBLESHOOTING_PAGE: &str = "troubleshooting/index.html";

/// Puts the share cards of the site and of every guide in `scope` into `sink`: the PNGs in the
/// cache, drawn by the pictures stage (at the same time as the pages are rendered).
pub(crate) fn put_cards(prepared: &Prepared, sink: &dyn Sink) {
    if let Some(file) = &prepared.site_card {
        sink.put(Output::Asset {
            path: PathBuf::from(publish::CARD_FILE),
            asset: crate::templates::Asset::Cached(file.clone()),
        });
    }
    for (slug, file) in &prepared.cards {
        sink.put(Output::Asset {
            path: PathBuf::from(slug).join(publish::CARD_FILE),
            asset: crate::templates::Asset::Cached(file.clone()),
        });
    }
}

/// The guide and cached PNG of a guide's share card as [`put_cards`] puts it (`None` for any
/// other output, the site's own card included): what `tebiki publish` sets as a post's
/// featured image.
pub(crate) fn guide_card(output: &Output) -> Option<(String, PathBuf)> {
    match output {
        Output::Asset {
            path,
            asset: crate::templates::Asset::Cached(file),
        } if path.file_name() == Some(std::ffi::OsStr::new(CARD_FILE)) => {
            let slug = path.parent()?.to_str()?.to_owned();
            (!slug.is_empty()).then(|| (slug, file.clone()))
        }
        _ => None,
    }
}

/// Renders every page of the site (or, with `only`, the pages of those guides plus the
/// site-wide pages) into `sink`, each file as soon as it is ready. Problems go to `diagnostics`;
/// pages that failed are left out. The share cards are [`put_cards`]'s.
pub(crate) fn render_pages(
    index: &SiteIndex,
    templates: &Templates,
    prepared: &Prepared,
    stage: FigureStage<'_>,
    scope: Scope<'_>,
    diagnostics: &mut Diagnostics,
    sink: &dyn Sink,
) -> Pages {
    let kept = scope
        .keep_pages
        .map(|root| reuse::PageCache::new(root, index, templates));
    // The guide pages and the site-wide pages but troubleshooting at the same time (a
    // one-guide rebuild in serve has one guide page: the others would wait for it).
    let (results, mut site_pages): (Vec<GuideDone>, Vec<Result<Output, Diagnostic>>) = rayon::join(
        || {
            index
                .guides
                .par_iter()
                .enumerate()
                // One job a guide: a thread that was drawing share cards takes guides still
                // waiting (rayon's splitting would leave it only steps of the last guide).
                .with_max_len(1)
                .map(|(gi, g)| {
                    render_guide_with_figures(
                        index,
                        templates,
                        (GuideId::at(gi), g),
                        stage,
                        scope,
                        kept.as_ref(),
                        sink,
                    )
                })
                .collect()
        },
        || {
            if !scope.site_pages {
                return Vec::new();
            }
            for file in [
                publish::sitemap(index),
                publish::robots(index),
                publish::feed(index),
            ] {
                sink.put(file);
            }
            let (list, not_found) = rayon::join(
                || render_index(index, templates),
                || publish::not_found(index, templates),
            );
            vec![list, not_found]
        },
    );
    let (results, troubles): (Vec<Option<guide::GuidePage>>, Vec<figure::Figures>) = results
        .into_iter()
        .map(|done| (done.page, done.troubles))
        .unzip();
    let mut trouble_links = Vec::new();
    if scope.site_pages {
        site_pages.push(trouble::render_troubleshooting_page(
            index,
            templates,
            &troubles,
            &mut trouble_links,
        ));
    }
    let mut site = Pages::default();
    let mut pages = Vec::new();
    for mut page in results.into_iter().flatten() {
        pages.extend(page.search.take());
        let slugs = page
            .refers_to
            .iter()
            .map(|&g| index.guide(g).slug().to_owned());
        site.depends.insert(page.slug.clone(), slugs.collect());
        site.links.extend(page.links);
        diagnostics.extend(page.problems.iter().cloned());
        site.problems.insert(page.slug.clone(), page.problems);
    }
    site.links.extend(trouble_links);
    if scope.search && scope.guides.is_none() && index.config.search {
        match search::index(
            pages,
            &index.config.language,
            prepared.search_cache.as_deref(),
        ) {
            Ok(files) => files.into_iter().for_each(|f| sink.put(f)),
            Err(d) => {
                site.problems
                    .entry(String::new())
                    .or_default()
                    .push(d.clone());
                diagnostics.push(d);
            }
        }
    }
    if scope.site_pages {
        let problems = site.problems.entry(String::new()).or_default();
        for page in site_pages {
            match page {
                Ok(page) => sink.put(page),
                Err(d) => {
                    problems.push(d.clone());
                    diagnostics.push(d);
                }
            }
        }
    }
    site
}

/// One guide after [`render_pages`]: its page (when the scope renders it) and the figures of
/// its trouble entries.
struct GuideDone {
    page: Option<guide::GuidePage>,
    troubles: figure::Figures,
}

/// Guide `g`'s figures planned and their screenshots encoded, then its page rendered and put
/// into `sink` with its files; only its trouble entries' figures are kept.
fn render_guide_with_figures(
    index: &SiteIndex,
    templates: &Templates,
    (gi, g): (GuideId, &crate::resolve::Guide),
    stage: FigureStage<'_>,
    scope: Scope<'_>,
    kept: Option<&reuse::PageCache>,
    sink: &dyn Sink,
) -> GuideDone {
    let figures = guide_figures(index, stage, scope, g);
    if !scope.wants(g) {
        return GuideDone {
            page: None,
            troubles: figures,
        };
    }
    // Before the page: its pictures are copied from the cache as it is put.
    let unencoded = stage.encode.map_or_else(Vec::new, |encode| {
        encode(&figures.plans.iter().collect::<Vec<_>>())
    });
    let mut page = guide::render_guide(index, templates, (gi, g), &figures, scope, kept);
    page.problems.extend(unencoded);
    for output in page.page.take().into_iter().chain(page.files.drain(..)) {
        sink.put(output);
    }
    GuideDone {
        page: Some(page),
        troubles: figures.troubles_only(),
    }
}

/// The context every page gets: `site`, `root` (relative path to the site root), `labels`.
fn base_context(index: &SiteIndex, root: &str) -> Context {
    let c = &index.config;
    let mut cx = Context::new();
    cx.insert(
        "site",
        &SiteCx {
            title: &c.title,
            description: &c.description,
            author: &c.author,
            language: &c.language,
            base_url: &c.base_url,
            extra: &c.extra,
            search: c.search,
        },
    );
    cx.insert("root", root);
    cx.insert("labels", &index.labels);
    cx.insert("generator", "tebiki");
    cx.insert("troubleshooting_url", &format!("{root}troubleshooting/"));
    cx
}

fn render_index(index: &SiteIndex, templates: &Templates) -> Result<Output, Diagnostic> {
    let cards: Vec<GuideCard<'_>> = index
        .guides
        .iter()
        .map(|g| GuideCard {
            slug: g.slug(),
            title: g.title(),
            description: &g.loaded.def.description,
            published: &g.loaded.def.published,
            updated: g.loaded.def.updated.as_deref().unwrap_or(""),
            url: format!("{}/", g.slug()),
            draft: g.loaded.def.draft,
            step_count: g.step_count(),
            shared_count: g.shared_step_count(),
            procedures: g
                .procedure_steps()
                .into_iter()
                .map(|(section, count)| ProcedureCount {
                    title: g.section_short_title(section),
                    count,
                })
                .collect(),
            trouble_count: g.troubles.entries.len(),
        })
        .collect();
    let mut cx = base_context(index, "./");
    cx.insert("guides", &cards);
    cx.insert(
        "meta",
        &publish::page_meta(index, "", &index.config.title, ""),
    );
    let html = templates.render("index.html", &cx)?;
    Ok(Output::Page {
        path: PathBuf::from("index.html"),
        html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_guide_card_put_is_found_again_and_the_site_card_is_not() {
        let prepared = Prepared {
            cards: vec![
                ("zaim-amazon".into(), PathBuf::from("cache/card-1.png")),
                ("unlink".into(), PathBuf::from("cache/card-2.png")),
            ],
            site_card: Some(PathBuf::from("cache/card-3.png")),
            search_cache: None,
        };
        let collect = Collect::default();
        put_cards(&prepared, &collect);
        let outputs = collect.into_outputs();
        assert_eq!(outputs.len(), 3);
        let found: Vec<(String, PathBuf)> = outputs.iter().filter_map(guide_card).collect();
        assert_eq!(found, prepared.cards);
    }
}
