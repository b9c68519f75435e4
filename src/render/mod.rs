//! Render stage: Markdown and templates into pages, plus each guide's `HowTo` JSON-LD.
//!
//! Works on the immutable [`SiteIndex`]; guides and the steps inside them are rendered in
//! parallel. Produces the list of output files without writing anything, so that a build with
//! problems leaves the previous output untouched and `check` can stop here. Pages: the list of
//! guides ([`render_index`]), one page per guide ([`guide`]) and the site-wide troubleshooting
//! index ([`trouble`]).

mod guide;
mod jsonld;
mod trouble;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::LinkUse;
use crate::resolve::SiteIndex;
use crate::templates::{Asset, Templates};

/// One output file: where it goes (relative to the output folder) and what it holds.
#[derive(Clone, Debug)]
pub enum Output {
    Page { path: PathBuf, html: String },
    Asset { path: PathBuf, asset: Asset },
}

impl Output {
    pub fn path(&self) -> &Path {
        match self {
            Self::Page { path, .. } | Self::Asset { path, .. } => path,
        }
    }
}

/// What rendering produced: the files, the problems, and the plain links written in Markdown
/// (for `check` to verify against the finished file list).
#[derive(Debug, Default)]
pub struct RenderedSite {
    pub outputs: Vec<Output>,
    pub links: Vec<LinkUse>,
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
}

#[derive(Serialize)]
struct GuideCard<'a> {
    slug: &'a str,
    title: &'a str,
    description: &'a str,
    published: &'a str,
    updated: &'a str,
    url: String,
    step_count: usize,
    trouble_count: usize,
}

/// The path of the site-wide troubleshooting index.
pub const TROUBLESHOOTING_PAGE: &str = "troubleshooting/index.html";

/// Renders every page of the site. Problems go to `diagnostics`; pages that failed are left out.
pub fn render_site(
    index: &SiteIndex,
    templates: &Templates,
    diagnostics: &mut Diagnostics,
) -> RenderedSite {
    let results: Vec<guide::GuidePage> = index
        .guides
        .par_iter()
        .enumerate()
        .map(|(gi, g)| guide::render_guide(index, templates, gi, g))
        .collect();
    let mut site = RenderedSite::default();
    for page in results {
        site.outputs.extend(page.page);
        site.outputs.extend(page.files);
        site.links.extend(page.links);
        diagnostics.extend(page.problems);
    }
    for page in [
        render_index(index, templates),
        trouble::render_troubleshooting_page(index, templates, &mut site.links),
    ] {
        match page {
            Ok(page) => site.outputs.push(page),
            Err(d) => diagnostics.push(d),
        }
    }
    site
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
            step_count: g.step_count(),
            trouble_count: g.troubles.entries.len(),
        })
        .collect();
    let mut cx = base_context(index, "./");
    cx.insert("guides", &cards);
    let html = templates.render("index.html", &cx)?;
    Ok(Output::Page {
        path: PathBuf::from("index.html"),
        html,
    })
}
