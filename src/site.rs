//! [`Site`]: the one type that runs a build, as a flat list of stages.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Result;
use rayon::prelude::*;

use crate::config::{CONFIG_FILE, SiteConfig};
use crate::diagnostics::{BuildFailed, Diagnostic, Diagnostics};
use crate::images::ImagePipeline;
use crate::load::Reads;
use crate::load::{LoadOptions, LoadedGuide, Source};
use crate::render::Rendered;
use crate::render::{self, Output, Pages};
use crate::resolve::{self, SiteIndex};
use crate::templates::{self, Templates};
use crate::{load, paths, write};

/// What a build is asked to do (the command line's options).
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The site folder (holding `site.yaml`).
    pub root: PathBuf,
    /// Where to write; default `output_dir` from `site.yaml`, else `public/` in the root.
    pub output_dir: Option<PathBuf>,
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Whether guides marked `draft: true` are in (serve, check, `build --drafts`); without,
    /// they are left out as if their folder were not there (build, publish).
    pub drafts: bool,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub output_dir: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub guides: usize,
    pub steps: usize,
    /// Picture files encoded, and taken from the cache, by this site so far.
    pub images_encoded: usize,
    pub images_reused: usize,
    /// Share cards drawn by this build (the others came from the cache).
    pub cards_drawn: usize,
    /// Screenshots captured for an older version of the app than their guide documents.
    pub stale_screenshots: usize,
    /// Warnings (a successful build has no errors).
    pub diagnostics: Diagnostics,
}

/// Where the guides of a run come from.
pub(crate) enum Guides {
    /// Loaded (and followed) from the site's folder now.
    Load,
    /// Loaded already (fuzzing loads texts in memory), with the problems found: resolved now.
    Loaded(Vec<LoadedGuide>, Diagnostics),
    /// Resolved already, with the problems found so far (serve resolves each guide on its own
    /// and keeps the guides an edit did not touch).
    Resolved(Box<SiteIndex>, Diagnostics),
}

/// What one run of the stages does: which pages, whether pictures are encoded, where the
/// outputs go.
pub(crate) struct Job<'a> {
    /// All pages, or some guides' (with or without the site-wide pages), steps kept (serve).
    pub scope: render::Scope<'a>,
    /// Whether the pictures stage runs (build, serve and publish do; check never does).
    pub encode: bool,
    /// The staging folder (build), memory (check, serve, fuzzing) or nowhere (publish).
    pub sink: &'a dyn render::Sink,
    /// How many bytes of step bodies the run holds between resolving and rendering (`None`:
    /// all of them). A build holds [`BODY_BUDGET`]; the others use the texts after rendering.
    pub bodies: Option<usize>,
    /// Whether the caller reads the index after the run (check, serve, publish, fuzzing). A
    /// build does not: it frees the index once the pages are rendered (a site that freed step
    /// bodies draws its share cards after that, so that it and the card fonts are not in
    /// memory together).
    pub keep_index: bool,
}

/// The step bodies a build holds in memory from load to render: 32 MiB, shared equally by the
/// guides (a site of about 15,000 steps keeps them all). A guide whose bodies are more than its
/// share frees them once it is resolved, and each of its step files is read again when its
/// page is rendered, so a larger site's texts are never all in memory.
pub(crate) const BODY_BUDGET: usize = 32 << 20;

/// What [`Site::for_publishing`] gives `tebiki publish`.
pub(crate) struct Publishing {
    pub index: SiteIndex,
    pub templates: Templates,
    /// Each guide's share card in the cache, by slug.
    pub cards: std::collections::BTreeMap<String, PathBuf>,
}

/// A site: its root, settings and output folder. Each method runs stages over the sources.
#[derive(Debug)]
pub struct Site {
    root: PathBuf,
    config: SiteConfig,
    output_dir: PathBuf,
    /// Encodes screenshots; its cache outlives builds, its counters are this site's.
    images: ImagePipeline,
    /// Draws share cards, cached likewise.
    cards: crate::card::Cards,
    /// Whether draft guides are loaded ([`BuildOptions::drafts`]).
    drafts: bool,
}

impl Site {
    /// Opens the site: makes its root canonical (every path check compares against it), reads
    /// `site.yaml` and applies the command line's overrides.
    pub fn new(options: &BuildOptions) -> Result<Self> {
        let no_config = || {
            let root = crate::diagnostics::display_root(&options.root);
            let d = Diagnostic::error(crate::i18n::msg!(
                "no-config",
                file = CONFIG_FILE,
                root = root
            ))
            .with_hint(crate::i18n::msg!("no-config-hint"));
            BuildFailed(one(d))
        };
        let root = match paths::canonical_root(&options.root) {
            Ok(root) => root,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Err(no_config().into());
            }
            Err(err) => {
                return Err(BuildFailed(one(Diagnostic::cannot_read(
                    crate::i18n::msg!("the-site-folder", path = options.root.as_path()),
                    &err,
                )))
                .into());
            }
        };
        let config_path = root.join(CONFIG_FILE);
        match crate::fs::metadata(&config_path) {
            Ok(meta) if meta.is_file() => {}
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                return Err(BuildFailed(one(Diagnostic::cannot_read(CONFIG_FILE, &err))).into());
            }
            _ => return Err(no_config().into()),
        }
        let source = Source::read(&root, &config_path).map_err(|d| BuildFailed(one(d)))?;
        let mut config =
            SiteConfig::parse(Path::new(CONFIG_FILE), &source.text).map_err(BuildFailed)?;
        if let Some(url) = &options.base_url {
            if let Err(why) = crate::config::check_base_url(url) {
                let d = Diagnostic::error(crate::i18n::msg!("base-url-invalid", why = why))
                    .with_hint(crate::i18n::msg!("base-url-flag-hint"));
                return Err(BuildFailed(one(d)).into());
            }
            config.base_url = if url.ends_with('/') {
                url.clone()
            } else {
                format!("{url}/")
            };
        }
        let output_dir = match (&options.output_dir, &config.output_dir) {
            (Some(dir), _) => dir.clone(),
            (None, Some(dir)) => root.join(dir),
            (None, None) => root.join("public"),
        };
        load::check_avatars(&root, &config, &source.text)?;
        let images = ImagePipeline::new(&root, config.max_pixels());
        let font = load::og_font(&root, &config)?;
        let cards = crate::card::Cards::new(&root, font);
        Ok(Self {
            root,
            config,
            output_dir,
            images,
            cards,
            drafts: options.drafts,
        })
    }

    /// A site whose sources are not on the disk (fuzzing): its guides come loaded from texts,
    /// and nothing is read from `root` but the built-in theme.
    pub(crate) fn detached(root: &Path, config: SiteConfig) -> Self {
        let max_pixels = config.max_pixels();
        Self {
            root: root.to_path_buf(),
            output_dir: root.join("public"),
            images: ImagePipeline::new(root, max_pixels),
            cards: crate::card::Cards::new(root, None),
            config,
            drafts: true,
        }
    }

    pub fn output_dir(&self) -> &Path {
        &self.output_dir
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub(crate) fn config(&self) -> &SiteConfig {
        &self.config
    }

    /// The stages for every command, in order: load (and follow) unless the guides come
    /// loaded or resolved, resolve, then render (with the pictures stage when the job encodes)
    /// into the job's sink. Errors are in the returned diagnostics.
    pub(crate) fn run(
        &self,
        guides: Guides,
        templates: &Result<Templates, Diagnostics>,
        job: &Job<'_>,
    ) -> Rendered {
        let (index, diagnostics) = match guides {
            Guides::Load => self.load_resolved(job.bodies),
            Guides::Loaded(guides, mut diagnostics) => {
                let index = resolve::resolve(self.config.clone(), guides, &mut diagnostics);
                (index, diagnostics)
            }
            Guides::Resolved(index, diagnostics) => (*index, diagnostics),
        };
        self.render_into(index, diagnostics, templates, job)
    }

    /// [`Self::run`] into memory: the outputs are in the result (check, serve, fuzzing).
    pub(crate) fn run_in_memory(
        &self,
        guides: Guides,
        templates: &Result<Templates, Diagnostics>,
        scope: render::Scope<'_>,
        encode: bool,
    ) -> Rendered {
        let collect = render::Collect::default();
        let job = Job {
            scope,
            encode,
            sink: &collect,
            bodies: None,
            keep_index: true,
        };
        let mut rendered = self.run(guides, templates, &job);
        rendered.outputs = collect.into_outputs();
        rendered
    }

    /// Load → resolve → render into memory, nothing encoded, no search index: what `check`
    /// looks at.
    pub(crate) fn render(&self) -> Rendered {
        self.run_in_memory(
            Guides::Load,
            &self.load_templates(),
            render::Scope {
                search: false,
                ..render::Scope::ALL
            },
            false,
        )
    }

    /// What `tebiki publish` starts from: every guide loaded and resolved, the pictures of
    /// the guides `slugs` encoded into the cache (the post's screenshots are drawn from them),
    /// their share cards drawn, and the templates. Problems stop it, as they stop a build.
    pub(crate) fn for_publishing(&self, slugs: Option<&BTreeSet<String>>) -> Result<Publishing> {
        let templates = self.load_templates();
        let collect = render::Collect::default();
        let job = Job {
            scope: render::Scope {
                guides: slugs,
                site_pages: false,
                kept: None,
                editable: false,
                search: false,
                keep_pages: None,
            },
            encode: true,
            sink: &collect,
            bodies: None,
            keep_index: true,
        };
        let rendered = self.run(Guides::Load, &templates, &job);
        if rendered.diagnostics.has_errors() {
            return Err(BuildFailed(rendered.diagnostics).into());
        }
        // Each guide's share card, as the build writes it at `<slug>/card.png`.
        let cards = collect
            .into_outputs()
            .iter()
            .filter_map(render::guide_card)
            .collect();
        match templates {
            Ok(templates) => Ok(Publishing {
                index: rendered.index,
                templates,
                cards,
            }),
            Err(problems) => Err(BuildFailed(problems).into()),
        }
    }

    /// Guide `gi` as a WordPress post ([`render::wordpress_post`]).
    pub(crate) fn wordpress_post(
        &self,
        index: &SiteIndex,
        templates: &Templates,
        gi: resolve::GuideId,
        parts: render::post::PostParts<'_>,
    ) -> Result<render::post::Post> {
        render::wordpress_post(index, templates, &self.images, gi, parts)
            .map_err(|problems| BuildFailed(problems).into())
    }

    /// The picture pipeline (its cache and pixel budget).
    pub(crate) fn images(&self) -> &ImagePipeline {
        &self.images
    }

    /// The fonts mock-ups and share cards are drawn with.
    pub(crate) fn fonts(&self) -> std::sync::Arc<resvg::usvg::fontdb::Database> {
        self.cards.fonts()
    }

    /// The load stage: every guide under `content/`, its annotations followed into retaken
    /// screenshots.
    pub(crate) fn load_guides(&self) -> (Vec<LoadedGuide>, Diagnostics) {
        let (mut guides, mut diagnostics) =
            load::load_guides(&self.root, &self.root.join("content"), self.load_options());
        if !self.drafts {
            let (drafts, kept): (Vec<_>, Vec<_>) = guides.into_iter().partition(|g| g.def.draft);
            without_drafts(&drafts, &mut diagnostics);
            guides = kept;
        }
        for guide in &mut guides {
            self.follow(guide, &mut diagnostics);
        }
        (guides, diagnostics)
    }

    /// The load, follow and resolve stages, guide by guide on all threads (a guide depends on
    /// no other until it is rendered). With `bodies`, a guide whose step bodies do not fit in
    /// its share of that many bytes frees them once resolved ([`load::TextBudget`]).
    fn load_resolved(&self, bodies: Option<usize>) -> (SiteIndex, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        let dirs = load::guide_dirs(&self.root, &self.root.join("content"), &mut diagnostics);
        let budget = bodies.map(|bytes| load::TextBudget::new(bytes, dirs.len()));
        let results: Vec<(Stage, Diagnostics)> = dirs
            .par_iter()
            .map(|dir| {
                let (guide, mut problems) = load::load_guide(&self.root, dir, self.load_options());
                let stage = match guide {
                    None => Stage::Nothing,
                    Some(guide) if guide.def.draft && !self.drafts => Stage::Draft(Box::new(guide)),
                    Some(mut guide) => {
                        self.follow(&mut guide, &mut problems);
                        let (mut guide, more) = resolve::resolve_one(guide);
                        problems.extend(more);
                        if let Some(budget) = budget {
                            load::keep_or_release(&mut guide.loaded, budget);
                        }
                        Stage::Resolved(Box::new(guide))
                    }
                };
                (stage, problems)
            })
            .collect();
        let (mut guides, mut drafts) = (Vec::with_capacity(results.len()), Vec::new());
        for (stage, problems) in results {
            diagnostics.extend(problems);
            match stage {
                Stage::Nothing => {}
                Stage::Draft(guide) => drafts.push(*guide),
                Stage::Resolved(guide) => guides.push(*guide),
            }
        }
        let loaded: Vec<&LoadedGuide> = guides
            .iter()
            .map(|g| &g.loaded)
            .chain(drafts.iter())
            .collect();
        diagnostics.extend(load::unbuilt_folders(&self.root, &dirs, &loaded));
        without_drafts(&drafts, &mut diagnostics);
        let guides = guides.into_iter().map(std::sync::Arc::new).collect();
        (SiteIndex::new(self.config.clone(), guides), diagnostics)
    }

    /// The follow stage for one loaded guide ([`crate::follow`]).
    fn follow(&self, guide: &mut LoadedGuide, diagnostics: &mut Diagnostics) {
        let max_pixels = self.config.max_pixels();
        let decode =
            move |picture: &crate::figure::PictureFile| crate::images::gray(picture, max_pixels);
        diagnostics.extend(crate::follow::follow_guide(guide, &decode));
    }

    /// The guide folders of `content/` by slug (for incremental rebuilds), and what is wrong
    /// with the folder itself (missing, unreadable, links out of the site).
    pub(crate) fn guide_slugs(&self) -> (Vec<String>, Diagnostics) {
        let mut diagnostics = Diagnostics::default();
        let slugs = load::guide_dirs(&self.root, &self.root.join("content"), &mut diagnostics)
            .iter()
            .filter_map(|dir| dir.file_name())
            .map(|name| name.to_string_lossy().into_owned())
            .collect();
        (slugs, diagnostics)
    }

    /// The load stage for one guide folder (`content/<slug>`), taking unchanged files from
    /// `reads` (serve's incremental rebuilds).
    pub(crate) fn load_guide_with(
        &self,
        slug: &str,
        reads: Option<&Reads>,
    ) -> (Option<LoadedGuide>, Diagnostics) {
        let options = LoadOptions {
            reads,
            ..self.load_options()
        };
        let (mut guide, mut diagnostics) =
            load::load_guide(&self.root, &self.root.join("content").join(slug), options);
        if let Some(guide) = &mut guide {
            self.follow(guide, &mut diagnostics);
        }
        (guide, diagnostics)
    }

    /// [`load::reload_steps`]: `previous` with only the step files `changed` read again.
    pub(crate) fn reload_steps(
        &self,
        previous: &LoadedGuide,
        changed: &BTreeSet<PathBuf>,
        reads: &Reads,
    ) -> Option<LoadedGuide> {
        let options = LoadOptions {
            reads: Some(reads),
            ..self.load_options()
        };
        let mut guide = load::reload_steps(&self.root, previous, changed, options)?;
        let mut diagnostics = Diagnostics::default();
        self.follow(&mut guide, &mut diagnostics);
        // Any problem: the whole guide is loaded again, which reports it in its usual order.
        diagnostics.is_empty().then_some(guide)
    }

    fn load_options(&self) -> LoadOptions<'static> {
        LoadOptions {
            max_pixels: self.config.max_pixels(),
            reads: None,
        }
    }

    /// The templates: the site's, its theme's, the built-in ones.
    pub(crate) fn load_templates(&self) -> Result<Templates, Diagnostics> {
        Templates::load(&self.root, &self.config.theme)
    }

    /// Plans the share cards, then renders every page and asset into the job's sink as each is
    /// ready: guide by guide, its figures planned and (when the job encodes and nothing is
    /// wrong yet) its pictures encoded just before its page. The share cards are drawn beside
    /// the pages, or, when the build freed step bodies (a large site), after them, once the
    /// index is freed when the job does not keep it.
    fn render_into(
        &self,
        index: SiteIndex,
        mut diagnostics: Diagnostics,
        templates: &Result<Templates, Diagnostics>,
        job: &Job<'_>,
    ) -> Rendered {
        let (scope, sink) = (job.scope, job.sink);
        let mut prepared = render::prepare(&self.images);
        let cards = match templates {
            Ok(templates) => prepared.plan_cards(
                &index,
                templates,
                scope,
                |plan| self.cards.file(plan),
                &mut diagnostics,
            ),
            Err(_) => Vec::new(),
        };
        let draw = job.encode && !diagnostics.has_errors();
        let encode_pictures = |plans: &[&crate::images::Plan]| self.encode_pictures(plans);
        let stage = render::FigureStage {
            images: &self.images,
            encode: draw.then_some(&encode_pictures),
        };
        // A site that kept its step bodies is small enough to hold the cards' fonts beside it:
        // its cards are drawn while the pages are rendered. A larger one draws them after the
        // pages, once its index is freed.
        let beside = draw && !index.guides.iter().any(|g| g.loaded.bodies_released());
        let (drawn_beside, pages) = rayon::join(
            || {
                if beside {
                    self.cards.draw(&cards)
                } else {
                    Vec::new()
                }
            },
            || match templates {
                Ok(templates) => render::render_pages(
                    &index,
                    templates,
                    &prepared,
                    stage,
                    scope,
                    &mut diagnostics,
                    sink,
                ),
                Err(problems) => {
                    diagnostics.extend(problems.clone());
                    Pages::default()
                }
            },
        );
        diagnostics.extend(drawn_beside);
        // What a build reports, counted before its index is freed (a caller that keeps the
        // index counts from it, if at all: serve's rebuilds do not pay for this).
        let (index, counts) = if job.keep_index {
            (index, render::Counts::default())
        } else {
            let counts = render::Counts {
                guides: index.guides.len(),
                steps: index.guides.iter().map(|g| g.step_count()).sum(),
                stale_screenshots: crate::check::stale_screenshot_count(&index),
            };
            if beside {
                // Freeing a site's index takes a while (10 ms at 10,000 steps): another thread
                // does it while this one writes the cards and finishes the output.
                rayon::spawn(move || drop(index));
            } else {
                // Freed now: the cards are drawn next, without the index beside them.
                drop(index);
            }
            (SiteIndex::new(self.config.clone(), Vec::new()), counts)
        };
        if draw && !beside {
            diagnostics.extend(self.cards.draw(&cards));
        }
        render::put_cards(&prepared, sink);
        for (path, asset) in templates::assets(&self.root, &self.config.theme, &mut diagnostics) {
            sink.put(Output::Asset { path, asset });
        }
        diagnostics.sort();
        Rendered {
            index,
            counts,
            outputs: Vec::new(),
            links: pages.links,
            depends: pages.depends,
            page_problems: pages.problems,
            diagnostics,
        }
    }

    /// The pictures stage for one guide's screenshots `pictures`: encoded into the cache (what
    /// is there already is reused); a picture that cannot be decoded is an error.
    fn encode_pictures(&self, pictures: &[&crate::images::Plan]) -> Vec<Diagnostic> {
        let fonts = || self.fonts();
        let failed = self.images.encode(pictures, &fonts);
        failed
            .into_iter()
            .map(|failed| {
                Diagnostic::error(crate::i18n::msg!(
                    "picture-process",
                    src = &failed.src,
                    error = &failed.message
                ))
                .in_file(crate::diagnostics::display_path(&self.root, &failed.source))
                .with_hint(crate::i18n::msg!("picture-process-hint"))
            })
            .collect()
    }

    /// The whole build: load, resolve, plan the figures, encode the pictures, then render and
    /// write every page into the staging folder as soon as it is ready (nothing waits in
    /// memory), and swap it in only when everything succeeded.
    pub fn build(&self) -> Result<BuildReport> {
        self.build_saying(&crate::i18n::Localizer::new(crate::i18n::Lang::En))
    }

    /// [`Site::build`], saying in `l`'s language that it waits for another build.
    pub fn build_saying(&self, l: &crate::i18n::Localizer) -> Result<BuildReport> {
        let out = self.output_dir.clone();
        let staging = write::Staging::begin(&self.root, &self.output_dir, &|| {
            let waiting = crate::i18n::msg!("build-waiting", path = &out);
            eprintln!("{}", l.format(&waiting));
        })?;
        let job = Job {
            scope: render::Scope {
                keep_pages: Some(self.images.cache_root()),
                ..render::Scope::ALL
            },
            encode: true,
            sink: &staging,
            bodies: Some(BODY_BUDGET),
            keep_index: false,
        };
        let rendered = self.run(Guides::Load, &self.load_templates(), &job);
        if rendered.diagnostics.has_errors() {
            // Dropping the staging folder removes it: the previous output stays as it was.
            return Err(BuildFailed(rendered.diagnostics).into());
        }
        let render::Counts {
            guides,
            steps,
            stale_screenshots,
        } = rendered.counts;
        let (pages, files) = staging.finish()?;
        Ok(BuildReport {
            output_dir: self.output_dir.clone(),
            pages,
            files,
            guides,
            steps,
            images_encoded: self.images.encoded(),
            images_reused: self.images.reused(),
            cards_drawn: self.cards.drawn(),
            stale_screenshots,
            diagnostics: rendered.diagnostics,
        })
    }
}

fn one(d: Diagnostic) -> Diagnostics {
    let mut all = Diagnostics::default();
    all.push(d);
    all
}

/// What became of one guide folder in [`Site::load_resolved`].
enum Stage {
    /// No guide.yaml.
    Nothing,
    /// A draft, left out (loaded only to tell which folders it uses).
    Draft(Box<LoadedGuide>),
    Resolved(Box<resolve::Guide>),
}

/// `diagnostics` without the problems in the folders of the drafts left out: a build without
/// drafts is the build of a site that does not have them.
fn without_drafts(drafts: &[LoadedGuide], diagnostics: &mut Diagnostics) {
    let folders: Vec<PathBuf> = drafts
        .iter()
        .map(|g| Path::new("content").join(&g.slug))
        .collect();
    if folders.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        !d.file
            .as_ref()
            .is_some_and(|f| folders.iter().any(|folder| f.starts_with(folder)))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bundled site's pages and problems, rendered in memory holding at most `bodies`
    /// bytes of step bodies.
    fn pages(bodies: Option<usize>) -> (Vec<(PathBuf, String)>, String) {
        let options = BuildOptions {
            root: env!("CARGO_MANIFEST_DIR").into(),
            ..BuildOptions::default()
        };
        let site = Site::new(&options).unwrap();
        let collect = render::Collect::default();
        let job = Job {
            scope: render::Scope {
                search: false,
                ..render::Scope::ALL
            },
            encode: false,
            sink: &collect,
            bodies,
            keep_index: true,
        };
        let rendered = site.run(Guides::Load, &site.load_templates(), &job);
        let mut pages: Vec<(PathBuf, String)> = collect
            .into_outputs()
            .into_iter()
            .filter_map(|output| match output {
                Output::Page { path, html } => Some((path, html)),
                _ => None,
            })
            .collect();
        pages.sort();
        (pages, format!("{:?}", rendered.diagnostics))
    }

    #[test]
    fn pages_are_the_same_when_every_step_body_was_freed_and_read_again() {
        let (kept, kept_problems) = pages(None);
        let (freed, freed_problems) = pages(Some(0));
        assert!(kept.iter().any(|(path, _)| path.starts_with("zaim-amazon")));
        assert_eq!(kept, freed);
        assert_eq!(kept_problems, freed_problems);
    }
}
