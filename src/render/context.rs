//! What rendering one guide's page shares: the read-only context ([`GuideCtx`]) and what is
//! gathered on the way ([`Found`]): problems, links for `check`, and the guides it shows.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use super::figure::FigureCx;
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Fragment, LinkUse, MdContext, Origin, YamlAt};
use crate::resolve::{Guide, GuideId, RefContext, SiteIndex};
use crate::yaml::Seg;

/// The shared, read-only part of rendering one guide.
#[derive(Clone, Copy)]
pub(crate) struct GuideCtx<'a> {
    pub index: &'a SiteIndex,
    pub guide: &'a Guide,
    pub gi: GuideId,
    pub figures: &'a FxHashMap<String, FigureCx>,
}

/// Problems and links gathered while rendering.
#[derive(Clone, Default)]
pub(crate) struct Found {
    pub problems: Vec<Diagnostic>,
    pub links: Vec<LinkUse>,
    /// Other guides that references on the page show.
    pub guides: BTreeSet<GuideId>,
}

impl Found {
    pub(super) fn keep(&mut self, rendered: Fragment) -> (String, String) {
        self.problems.extend(rendered.diagnostics);
        self.links.extend(rendered.links);
        self.guides.extend(rendered.guides);
        (rendered.html, rendered.text)
    }

    pub(super) fn absorb(&mut self, other: Found) {
        self.problems.extend(other.problems);
        self.links.extend(other.links);
        self.guides.extend(other.guides);
    }
}

impl<'a> GuideCtx<'a> {
    /// A plain text of the guide (a title, a symptom) with its UI references in prose form.
    pub(super) fn ui_text(self, text: &str) -> String {
        self.guide
            .loaded
            .ui
            .expand(text, &self.index.labels, crate::ui::Form::Prose)
            .into_owned()
    }

    /// Renders Markdown written at `origin`, as seen from `from`.
    pub(super) fn md(
        self,
        markdown: &str,
        from: RefContext,
        origin: Origin<'a>,
        found: &mut Found,
    ) -> (String, String) {
        found.keep(markdown::render(
            markdown,
            &MdContext {
                index: self.index,
                from,
                origin,
            },
        ))
    }

    /// Renders Markdown from `guide.yaml` at `path`, shown on this guide's page.
    pub(super) fn yaml_md(
        self,
        markdown: &str,
        section: Option<usize>,
        path: &[Seg<'_>],
        found: &mut Found,
    ) -> String {
        if markdown.trim().is_empty() {
            return String::new();
        }
        let file = &self.guide.loaded.file;
        let start = YamlAt::Value {
            base: 0,
            yaml: &file.text,
            path,
        };
        self.md(
            markdown,
            self.on_page(section),
            Origin::Yaml(file, start),
            found,
        )
        .0
    }

    pub(super) fn on_page(self, section: Option<usize>) -> RefContext {
        RefContext::on_guide_page(self.gi, section)
    }
}
