//! Render stage: Markdown and templates into pages, plus each guide's `HowTo` JSON-LD.
//!
//! Works on the immutable [`SiteIndex`]; guides and the steps inside them are rendered in
//! parallel. Produces the list of output files without writing anything, so that a build with
//! problems leaves the previous output untouched and `check`-like callers can stop here.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;
use tera::Context;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Source;
use crate::markdown::{self, MdContext, Origin, Rendered};
use crate::model::SectionKind;
use crate::resolve::{Guide, Occurrence, RefContext, Section, SiteIndex};
use crate::templates::{Asset, Templates};
use crate::yaml::{self, Seg};

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

#[derive(Serialize)]
struct SiteCx<'a> {
    title: &'a str,
    description: &'a str,
    author: &'a str,
    language: &'a str,
    base_url: &'a str,
    extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
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
}

#[derive(Serialize)]
struct GuideCx<'a> {
    slug: &'a str,
    title: &'a str,
    description: &'a str,
    published: &'a str,
    updated: &'a str,
    author: &'a str,
    intro_html: String,
    canonical_url: String,
    sections: Vec<SectionCx>,
    toc: Vec<TocSection>,
}

#[derive(Serialize)]
struct SectionCx {
    anchor: String,
    id: String,
    kind: &'static str,
    title: String,
    intro_html: String,
    outro_html: String,
    steps: Vec<StepCx>,
    signs: Vec<SignCx>,
    points_html: Vec<String>,
}

#[derive(Serialize)]
struct StepCx {
    anchor: String,
    number: usize,
    badge: String,
    title: String,
    body_html: String,
    #[serde(skip)]
    body_text: String,
    image: Option<ImageCx>,
    windows: Vec<WindowCx>,
    /// The other places this step appears, as data and as ready text with links.
    shared: Vec<SharedCx>,
    shared_html: String,
}

#[derive(Serialize)]
struct ImageCx {
    src: String,
    alt: String,
}

#[derive(Serialize)]
struct WindowCx {
    id: String,
    label: String,
    starts: bool,
    ends: bool,
    text: String,
    range: String,
    note_html: String,
}

#[derive(Serialize)]
struct SharedCx {
    text: String,
    url: String,
}

#[derive(Serialize)]
struct SignCx {
    anchor: String,
    title: String,
    body_html: String,
    remedy_html: String,
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

/// Renders every page of the site. Problems go to `diagnostics`; pages that failed are left out.
pub fn render_site(
    index: &SiteIndex,
    templates: &Templates,
    diagnostics: &mut Diagnostics,
) -> Vec<Output> {
    let results: Vec<(Option<Output>, Vec<Output>, Vec<Diagnostic>)> = index
        .guides
        .par_iter()
        .enumerate()
        .map(|(gi, guide)| render_guide(index, templates, gi, guide))
        .collect();
    let mut outputs = Vec::new();
    for (page, files, problems) in results {
        outputs.extend(page);
        outputs.extend(files);
        diagnostics.extend(problems);
    }
    match render_index(index, templates) {
        Ok(page) => outputs.push(page),
        Err(d) => diagnostics.push(d),
    }
    outputs
}

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

/// Renders Markdown written in `guide.yaml` at `path`, keeping its problems.
struct GuideRenderer<'a> {
    index: &'a SiteIndex,
    guide: &'a Guide,
    gi: usize,
    problems: Vec<Diagnostic>,
}

impl GuideRenderer<'_> {
    fn yaml_md(&mut self, markdown: &str, section: Option<usize>, path: &[Seg<'_>]) -> String {
        if markdown.trim().is_empty() {
            return String::new();
        }
        let file: &Source = &self.guide.loaded.file;
        let start = yaml::locate(&file.text, path).map_or(0, |(s, _)| s);
        let cx = MdContext {
            index: self.index,
            from: RefContext {
                guide: self.gi,
                section,
            },
            origin: Origin::Yaml(file, start),
        };
        self.keep(markdown::render(markdown, &cx)).html
    }

    fn keep(&mut self, rendered: Rendered) -> Rendered {
        let Rendered {
            html,
            text,
            diagnostics,
        } = rendered;
        self.problems.extend(diagnostics);
        Rendered {
            html,
            text,
            diagnostics: Vec::new(),
        }
    }
}

fn render_guide(
    index: &SiteIndex,
    templates: &Templates,
    gi: usize,
    guide: &Guide,
) -> (Option<Output>, Vec<Output>, Vec<Diagnostic>) {
    let mut r = GuideRenderer {
        index,
        guide,
        gi,
        problems: Vec::new(),
    };
    let def = &guide.loaded.def;
    let canonical_url = format!("{}{}/", index.config.base_url, guide.slug());
    let intro_html = r.yaml_md(&def.intro, None, &[Seg::Key("intro")]);
    let sections: Vec<SectionCx> = guide
        .sections
        .iter()
        .map(|s| render_section(&mut r, s))
        .collect();
    let toc = toc(&sections);
    let jsonld = jsonld(index, guide, &canonical_url, &sections);
    let mut files = image_outputs(guide);
    let cx_guide = GuideCx {
        slug: guide.slug(),
        title: &def.title,
        description: &def.description,
        published: &def.published,
        updated: def.updated.as_deref().unwrap_or(""),
        author: def.author.as_deref().unwrap_or(&index.config.author),
        intro_html,
        canonical_url,
        sections,
        toc,
    };
    let mut cx = base_context(index, "../");
    cx.insert("guide", &cx_guide);
    cx.insert("jsonld", &jsonld);
    let mut problems = r.problems;
    let page = match templates.render("guide.html", &cx) {
        Ok(html) => Some(Output::Page {
            path: PathBuf::from(guide.slug()).join("index.html"),
            html,
        }),
        Err(d) => {
            problems.push(d);
            files.clear();
            None
        }
    };
    (page, files, problems)
}

fn render_section(r: &mut GuideRenderer<'_>, section: &Section) -> SectionCx {
    let si = section.index;
    let def = &r.guide.loaded.def.sections[si];
    let at = |key| [Seg::Key("sections"), Seg::Index(si), Seg::Key(key)];
    let intro_html = r.yaml_md(&def.intro, Some(si), &at("intro"));
    let outro_html = r.yaml_md(&def.outro, Some(si), &at("outro"));
    let (index, guide, gi) = (r.index, r.guide, r.gi);
    let rendered: Vec<(StepCx, Vec<Diagnostic>)> = section
        .occurrences
        .par_iter()
        .map(|occ| render_step(index, guide, gi, occ))
        .collect();
    let mut steps = Vec::with_capacity(rendered.len());
    for (step, problems) in rendered {
        r.problems.extend(problems);
        steps.push(step);
    }
    let signs = def
        .signs
        .iter()
        .enumerate()
        .map(|(k, sign)| {
            let at = |key| {
                [
                    Seg::Key("sections"),
                    Seg::Index(si),
                    Seg::Key("signs"),
                    Seg::Index(k),
                    Seg::Key(key),
                ]
            };
            SignCx {
                anchor: sign.id.clone(),
                title: sign.title.clone(),
                body_html: r.yaml_md(&sign.body, Some(si), &at("body")),
                remedy_html: r.yaml_md(&sign.remedy, Some(si), &at("remedy")),
            }
        })
        .collect();
    let points_html = def
        .points
        .iter()
        .enumerate()
        .map(|(k, p)| {
            r.yaml_md(
                p,
                Some(si),
                &[
                    Seg::Key("sections"),
                    Seg::Index(si),
                    Seg::Key("points"),
                    Seg::Index(k),
                ],
            )
        })
        .collect();
    SectionCx {
        anchor: def.id.clone(),
        id: def.id.clone(),
        kind: def.kind.as_str(),
        title: def.title.clone(),
        intro_html,
        outro_html,
        steps,
        signs,
        points_html,
    }
}

fn render_step(
    index: &SiteIndex,
    guide: &Guide,
    gi: usize,
    occ: &Occurrence,
) -> (StepCx, Vec<Diagnostic>) {
    let step = &guide.loaded.steps.get(&occ.step_id);
    let from = RefContext {
        guide: gi,
        section: Some(occ.section),
    };
    let (title, rendered, image) = match step {
        Some(step) => {
            let cx = MdContext {
                index,
                from,
                origin: Origin::Exact(&step.source, step.body_offset),
            };
            let image = step.front.image.as_ref().map(|i| ImageCx {
                src: image_location(guide, &i.src).0,
                alt: i.alt.clone(),
            });
            (
                step.front.title.clone(),
                markdown::render(step.body(), &cx),
                image,
            )
        }
        None => (occ.step_id.clone(), Rendered::default(), None),
    };
    let mut problems = rendered.diagnostics;
    let windows = occ
        .windows
        .iter()
        .map(|mark| window_cx(index, guide, from, *mark, &mut problems))
        .collect();
    let shared: Vec<SharedCx> = guide
        .occurrences_of(&occ.step_id)
        .filter(|o| o.section != occ.section)
        .map(|o| SharedCx {
            text: index.labels.fill(
                "step_in_section",
                &[
                    ("section", guide.section_title(o.section)),
                    ("step", &index.labels.step(o.number)),
                ],
            ),
            url: format!("#{}", o.anchor),
        })
        .collect();
    let shared_html = shared_sentence(index, &shared);
    let cx = StepCx {
        anchor: occ.anchor.clone(),
        number: occ.number,
        badge: index.labels.step(occ.number),
        title,
        body_html: rendered.html,
        body_text: rendered.text,
        image,
        windows,
        shared,
        shared_html,
    };
    (cx, problems)
}

/// "この手順は<a>連携解除の方法のSTEP1</a>と共通です。" (empty when the step is not shared).
fn shared_sentence(index: &SiteIndex, shared: &[SharedCx]) -> String {
    if shared.is_empty() {
        return String::new();
    }
    let links: Vec<String> = shared
        .iter()
        .map(|s| {
            format!(
                "<a class=\"ref\" href=\"{}\">{}</a>",
                markdown::escape_attr(&s.url),
                markdown::escape_text(&s.text)
            )
        })
        .collect();
    let template = markdown::escape_text(index.labels.get("shared_step"));
    template.replace("{where}", &links.join(index.labels.get("list_separator")))
}

fn window_cx(
    index: &SiteIndex,
    guide: &Guide,
    from: RefContext,
    mark: crate::resolve::WindowMark,
    problems: &mut Vec<Diagnostic>,
) -> WindowCx {
    let w = &guide.windows[mark.window];
    let occs = &guide.sections[w.section].occurrences;
    let range = index
        .labels
        .step_range(occs[w.from].number, occs[w.to].number);
    let key = if mark.starts {
        "window_start"
    } else if mark.ends {
        "window_end"
    } else {
        "window_inside"
    };
    let text = index
        .labels
        .fill(key, &[("label", &w.label), ("range", &range)]);
    let note_html = if mark.starts && !w.note.is_empty() {
        let wi = guide
            .loaded
            .def
            .windows
            .iter()
            .position(|d| d.id == w.id)
            .unwrap_or(0);
        let file = &guide.loaded.file;
        let start = yaml::locate(
            &file.text,
            &[Seg::Key("windows"), Seg::Index(wi), Seg::Key("note")],
        )
        .map_or(0, |(s, _)| s);
        let rendered = markdown::render(
            &w.note,
            &MdContext {
                index,
                from,
                origin: Origin::Yaml(file, start),
            },
        );
        problems.extend(rendered.diagnostics);
        rendered.html
    } else {
        String::new()
    };
    WindowCx {
        id: w.id.clone(),
        label: w.label.clone(),
        starts: mark.starts,
        ends: mark.ends,
        text,
        range,
        note_html,
    }
}

/// Where a step's image goes: its `src` relative to the guide page, and its output path.
/// Images in the guide's folder keep their place next to the page; others (shared between
/// guides) go under `_files/` with their path in the site.
fn image_location(guide: &Guide, src: &str) -> (String, PathBuf) {
    let abs = crate::fs::normalize(&guide.loaded.dir.join(src));
    let (href, out) = if let Ok(rel) = abs.strip_prefix(&guide.loaded.dir) {
        (rel.to_path_buf(), PathBuf::from(guide.slug()).join(rel))
    } else {
        let root = guide
            .loaded
            .dir
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new(""));
        let rel = abs.strip_prefix(root).unwrap_or(&abs).to_path_buf();
        (
            Path::new("../_files").join(&rel),
            Path::new("_files").join(rel),
        )
    };
    (href.to_string_lossy().replace('\\', "/"), out)
}

/// The images the guide's steps use, copied into the output.
fn image_outputs(guide: &Guide) -> Vec<Output> {
    guide
        .loaded
        .steps
        .values()
        .filter_map(|s| s.front.image.as_ref())
        .map(|image| {
            let (_, path) = image_location(guide, &image.src);
            Output::Asset {
                path,
                asset: Asset::File(crate::fs::normalize(&guide.loaded.dir.join(&image.src))),
            }
        })
        .collect()
}

fn toc(sections: &[SectionCx]) -> Vec<TocSection> {
    sections
        .iter()
        .map(|s| TocSection {
            anchor: s.anchor.clone(),
            title: s.title.clone(),
            kind: s.kind,
            steps: if s.kind == SectionKind::Failure.as_str() {
                s.signs
                    .iter()
                    .map(|g| TocStep {
                        anchor: g.anchor.clone(),
                        badge: String::new(),
                        title: g.title.clone(),
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
        .collect()
}

/// schema.org `HowTo`: procedures as `HowToSection`s of `HowToStep`s, each with its anchor URL.
fn jsonld(index: &SiteIndex, guide: &Guide, canonical: &str, sections: &[SectionCx]) -> String {
    let def = &guide.loaded.def;
    let how_to_sections: Vec<serde_json::Value> = sections
        .iter()
        .filter(|s| s.kind == SectionKind::Procedure.as_str())
        .enumerate()
        .map(|(i, s)| {
            let steps: Vec<serde_json::Value> = s
                .steps
                .iter()
                .map(|st| {
                    let mut step = json!({
                        "@type": "HowToStep",
                        "position": st.number,
                        "name": st.title,
                        "text": if st.body_text.is_empty() { &st.title } else { &st.body_text },
                        "url": format!("{canonical}#{}", st.anchor),
                    });
                    if let Some(image) = &st.image {
                        step["image"] = json!(format!("{canonical}{}", image.src));
                    }
                    step
                })
                .collect();
            json!({
                "@type": "HowToSection",
                "position": i + 1,
                "name": s.title,
                "url": format!("{canonical}#{}", s.anchor),
                "itemListElement": steps,
            })
        })
        .collect();
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "HowTo",
        "name": def.title,
        "description": def.description,
        "inLanguage": index.config.language,
        "url": canonical,
        "datePublished": def.published,
        "step": how_to_sections,
    });
    if let Some(updated) = &def.updated {
        value["dateModified"] = json!(updated);
    }
    let author = def.author.as_deref().unwrap_or(&index.config.author);
    if !author.is_empty() {
        value["author"] = json!({ "@type": "Person", "name": author });
    }
    // `</script>` inside a string must not end the script element.
    value.to_string().replace("</", "<\\/")
}
