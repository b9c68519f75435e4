//! Entry points for the fuzz targets in `fuzz/` (and for anyone who wants the whole pipeline on
//! texts in memory): load → resolve → render → check, with the built-in theme, no file read or
//! written. Not a stable API.

use std::path::Path;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostics;
use crate::render::{self, Output};
use crate::site::{Guides, Site};
use crate::templates::Templates;

/// A root that does not exist: only the built-in theme is found there.
const NOWHERE: &str = "/nonexistent-tebiki-fuzz-root";

/// The theme and settings a fuzz target renders with, made once.
#[derive(Debug)]
pub struct Renderer {
    templates: Result<Templates, Diagnostics>,
    site: Site,
}

/// What one run produced: every output and the problems, rendered as the terminal shows them.
#[derive(Debug)]
pub struct Run {
    pub outputs: Vec<Output>,
    pub report: String,
}

/// The vocabulary every fuzzed guide has: the bundled guide's, so that its steps render from
/// memory and `【@id】` references are exercised.
const UI: &str = include_str!("../content/zaim-amazon/ui.yaml");

impl Renderer {
    /// The built-in theme and a plain site.yaml. `None` if the built-in theme does not load.
    pub fn new() -> Option<Self> {
        let nowhere = Path::new(NOWHERE);
        let templates = Templates::load(nowhere, "default").ok()?;
        let config: SiteConfig = SiteConfig::parse(
            Path::new("site.yaml"),
            // One character, so that balloons (`> [!SAY tebiki]`, as in the bundled guide)
            // are rendered too.
            "title: Fuzz\nbase_url: https://f.test/\ncharacters:\n  tebiki:\n    name: てびき\n    avatar: static/tebiki.svg\n",
        )
        .ok()?;
        Some(Self {
            templates: Ok(templates),
            site: Site::detached(nowhere, config),
        })
    }

    /// Loads a guide from `guide_yaml`, step files (by id) and troubles.yaml, then resolves,
    /// renders and checks it; returns the outputs and every problem found.
    pub fn run(&self, guide_yaml: &str, steps: &[(&str, &str)], troubles: Option<&str>) -> Run {
        let (guide, diagnostics) =
            crate::load::guide_from_texts("demo", guide_yaml, steps, troubles, Some(UI));
        let guides = Guides::Loaded(guide.into_iter().collect(), diagnostics);
        let mut rendered = self
            .site
            // The search index is Pagefind's work, not tebiki's: left out (it would take
            // most of each run).
            .run_in_memory(
                guides,
                &self.templates,
                render::Scope {
                    search: false,
                    ..render::Scope::ALL
                },
                false,
            );
        // The character's avatar, as the site's static/ would publish it.
        rendered.outputs.push(Output::File {
            path: "tebiki.svg".into(),
            contents: "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".into(),
        });
        let outputs = rendered.outputs.clone();
        let mut checked: Diagnostics = crate::check::check_rendered(rendered);
        checked.sort();
        Run {
            outputs,
            report: checked.render(&crate::i18n::Localizer::new(crate::i18n::Lang::En)),
        }
    }
}

#[cfg(test)]
#[allow(
    clippy::disallowed_methods,
    reason = "tests set up their files with std::fs"
)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_guide_renders_from_memory() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/zaim-amazon");
        let guide = std::fs::read_to_string(root.join("guide.yaml")).unwrap();
        let troubles = std::fs::read_to_string(root.join("troubles.yaml")).unwrap();
        let steps: Vec<(String, String)> = std::fs::read_dir(root.join("steps"))
            .unwrap()
            .map(|e| {
                let path = e.unwrap().path();
                let id = path.file_stem().unwrap().to_string_lossy().into_owned();
                (id, std::fs::read_to_string(path).unwrap())
            })
            .collect();
        let steps: Vec<(&str, &str)> = steps
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let run = Renderer::new()
            .unwrap()
            .run(&guide, &steps, Some(&troubles));
        assert!(!run.report.contains("error"), "{}", run.report);
        let page = run
            .outputs
            .iter()
            .find_map(|o| match o {
                Output::Page { path, html } if path == Path::new("demo/index.html") => Some(html),
                _ => None,
            })
            .expect("demo/index.html");
        assert!(
            !page.contains("【@"),
            "every UI reference is shown as its text"
        );
        assert!(page.contains("<span class=\"ui ui-button\">【認証する】</span>"));
    }
}
