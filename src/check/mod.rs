//! `tebiki check`: everything `build` validates, without writing, plus link checking.
//!
//! Runs the build's stages up to rendering, then verifies every link of the rendered site:
//! links written in Markdown are reported at their place in the source (`file:line:col`), links
//! the templates produce at the page that holds them. Warnings that `check` treats as errors
//! (entries without a remedy or a place, steps no procedure lists) are promoted.

pub(crate) mod adopt;
pub(crate) mod anchors;
pub(crate) mod usage;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity, did_you_mean};
use crate::fs;
use crate::i18n::{Localizer, Message, msg};
use crate::markdown::LinkUse;
use crate::render::Rendered;
use crate::render::{Output, TROUBLESHOOTING_PAGE};
use crate::resolve::SiteIndex;

/// Checks a rendered site; returns every problem, strict warnings promoted to errors.
pub(crate) fn check_rendered(rendered: Rendered) -> Diagnostics {
    let Rendered {
        index,
        outputs,
        links,
        depends: _,
        page_problems: _,
        counts: _,
        mut diagnostics,
    } = rendered;
    diagnostics.extend(check_links(&index, &outputs, &links));
    diagnostics.extend(vocabulary(&index).0);
    diagnostics.extend(stale_screenshots(&index));
    diagnostics.extend(placeholders(&index));
    diagnostics.promote_strict();
    diagnostics.sort();
    diagnostics
}

/// The texts `tebiki new` wrote for the author to replace ([`crate::new::PLACEHOLDERS`]),
/// where one is still a whole value (`title: 新しい手順`) or a whole line of a step's text.
fn placeholders(index: &SiteIndex) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for guide in &index.guides {
        let loaded = &guide.loaded;
        let sources = std::iter::once(&loaded.file)
            .chain(loaded.steps.values().map(|s| &s.source))
            .chain(loaded.troubles.as_ref().map(|(source, _)| source));
        for source in sources {
            out.extend(placeholders_in(&source.display, &source.text));
        }
    }
    out
}

/// [`placeholders`] in one file's `text`.
fn placeholders_in(file: &Path, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        if trimmed.starts_with('#') {
            continue;
        }
        // `key: value` (YAML), else the line itself (a step's text).
        let value = trimmed
            .split_once(": ")
            .filter(|(key, _)| {
                !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
            .map_or(trimmed, |(_, v)| v)
            .trim()
            .trim_matches(['\'', '"']);
        let Some(placeholder) = crate::new::PLACEHOLDERS.iter().find(|p| **p == value) else {
            continue;
        };
        let offset = start + content.find(placeholder).unwrap_or(0);
        out.push(
            Diagnostic::warning(msg!("placeholder", text = *placeholder))
                .in_file(file)
                .at_span(text, offset, offset + placeholder.len())
                .with_hint(msg!("placeholder-hint")),
        );
    }
    out
}

/// A screenshot captured for an older version of the app than its guide's `app:` declares:
/// the step (its home occurrence, so a shared step counts once), the app and the capture.
struct Stale<'a> {
    occ: &'a crate::resolve::Occurrence,
    step: &'a crate::load::LoadedStep,
    app: &'a crate::model::AppDef,
    captured: &'a crate::figure::Captured,
}

/// Every such screenshot of `guide`, in step order.
fn stale_in(guide: &crate::resolve::Guide) -> Vec<Stale<'_>> {
    let Some(app) = &guide.loaded.def.app else {
        return Vec::new();
    };
    guide
        .sections
        .iter()
        .flat_map(|s| &s.occurrences)
        .filter(|occ| occ.anchor == occ.step_id)
        .filter_map(|occ| {
            let step = guide.loaded.steps.get(&occ.step_id)?;
            let image = step.front.image.as_ref()?;
            let captured = image.captured.as_deref()?;
            // Taken again with every anchor found: it shows what the guide says.
            let anchored = image.followed.as_ref().is_some_and(|f| f.retake_verified())
                || verified_for(
                    &guide.loaded,
                    &format!("step:{}", step.id),
                    image,
                    &app.version,
                );
            (app.outdates(captured) && !anchored).then_some(Stale {
                occ,
                step,
                app,
                captured,
            })
        })
        .collect()
}

/// Whether `check --fix` recorded this very screenshot (its hash) as a verified retake for the
/// app's `version` (see [`crate::figure::anchor::FigureAnchors::verified_for`]).
fn verified_for(
    guide: &crate::load::LoadedGuide,
    key: &str,
    figure: &crate::figure::FigureDef,
    version: &str,
) -> bool {
    let Some((_, anchors)) = &guide.anchors else {
        return false;
    };
    let (Some(recorded), Some(picture)) = (anchors.figures.get(key), &figure.picture) else {
        return false;
    };
    recorded.hash == crate::figure::anchor::hash_text(picture.hash)
        && recorded.verified_for.as_deref() == Some(version)
}

/// How many screenshots of the site predate their guide's app version (build's summary line).
pub(crate) fn stale_screenshot_count(index: &SiteIndex) -> usize {
    index
        .guides
        .iter()
        .map(|g| stale_in(g).len() + stale_entries(g).len())
        .sum()
}

/// The pictures of trouble entries and failure signs captured for an older version, like the
/// steps': (the entry's key `trouble:<id>`, where its `image:` is written, the capture).
fn stale_entries(
    guide: &crate::resolve::Guide,
) -> Vec<(String, crate::load::YamlPlace<'_>, &crate::figure::Captured)> {
    let Some(app) = &guide.loaded.def.app else {
        return Vec::new();
    };
    crate::follow::figure_sites(&guide.loaded)
        .into_iter()
        .filter(|site| site.key.starts_with("trouble:"))
        .filter_map(|site| {
            let captured = site.figure.captured.as_deref()?;
            let anchored = site
                .figure
                .followed
                .as_ref()
                .is_some_and(|f| f.retake_verified())
                || verified_for(&guide.loaded, &site.key, site.figure, &app.version);
            (app.outdates(captured) && !anchored).then_some((site.key, site.place, captured))
        })
        .collect()
}

/// The stale screenshots as warnings at their `captured.version` (so grouped by step file, in
/// step order).
pub(crate) fn stale_screenshots(index: &SiteIndex) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for guide in &index.guides {
        for Stale {
            occ,
            step,
            app,
            captured,
        } in stale_in(guide)
        {
            let d = Diagnostic::warning(msg!(
                "stale-screenshot",
                step = index.labels.step(occ.number),
                app = &app.name,
                captured = &captured.version,
                version = &app.version
            ))
            .in_file(&step.source.display)
            .with_hint(retake(app));
            let (a, b) = step.yaml_range;
            out.push(crate::yaml::point(
                d,
                &step.source.text[a..b],
                a,
                &step.source.text,
                &[
                    crate::yaml::Seg::Key("image"),
                    crate::yaml::Seg::Key("captured"),
                    crate::yaml::Seg::Key("version"),
                ],
            ));
        }
    }
    for guide in &index.guides {
        let Some(app) = &guide.loaded.def.app else {
            continue;
        };
        for (key, place, captured) in stale_entries(guide) {
            let id = key.trim_start_matches("trouble:");
            let d = place.error_below(
                &[
                    crate::yaml::Seg::Key("captured"),
                    crate::yaml::Seg::Key("version"),
                ],
                msg!(
                    "stale-trouble-picture",
                    id = id,
                    app = &app.name,
                    captured = &captured.version,
                    version = &app.version
                ),
            );
            let mut d = d.with_hint(retake(app));
            d.severity = crate::diagnostics::Severity::Warning;
            out.push(d);
        }
    }
    out
}

/// The hint of a stale screenshot: take it again in the app's version.
fn retake(app: &crate::model::AppDef) -> Message {
    msg!("retake-screenshot", app = &app.name, version = &app.version)
}

/// The vocabulary's warnings (hand-written UI texts, unused entries) and the fixes of the
/// hand-written ones.
pub(crate) fn vocabulary(index: &SiteIndex) -> (Vec<Diagnostic>, Vec<adopt::Fix>) {
    let mut diagnostics = Vec::new();
    let mut fixes = Vec::new();
    for guide in &index.guides {
        for (d, f) in [
            adopt::hand_written(&guide.loaded, &index.labels),
            adopt::doubled(&guide.loaded, &index.labels),
        ] {
            diagnostics.extend(d);
            fixes.extend(f);
        }
    }
    let loaded: Vec<&crate::load::LoadedGuide> = index.guides.iter().map(|g| &g.loaded).collect();
    diagnostics.extend(adopt::unused(&loaded));
    (diagnostics, fixes)
}

/// Everything `check --fix` changes, file by file: the unified diff, the files, and counts.
#[derive(Debug)]
pub(crate) struct Fixes {
    pub diff: String,
    pub changes: Vec<anchors::FileChange>,
    /// Hand-written UI texts replaced by their reference.
    pub places: usize,
    /// Annotations whose followed place is written, and figures whose anchors are recorded.
    pub moved: usize,
    pub recorded: usize,
}

impl Fixes {
    /// The closing line.
    pub(crate) fn summary(&self) -> Message {
        if self.changes.is_empty() {
            return msg!("fix-nothing");
        }
        msg!(
            "fix-summary",
            texts = self.places,
            moved = self.moved,
            recorded = self.recorded,
            files = self.changes.len()
        )
    }
}

/// Every fix of `index` (nothing is written here): each hand-written UI text replaced by its
/// reference, then the anchors' fixes on top.
pub(crate) fn fixes(index: &SiteIndex, max_pixels: u64) -> Fixes {
    let (_, found) = vocabulary(index);
    let mut texts: std::collections::BTreeMap<PathBuf, String> = std::collections::BTreeMap::new();
    let mut vocabulary_changes = Vec::new();
    for source in index.guides.iter().flat_map(|g| adopt::sources(&g.loaded)) {
        let mine: Vec<&adopt::Fix> = found.iter().filter(|f| f.path == source.path).collect();
        if mine.is_empty() || texts.contains_key(&source.path) {
            continue;
        }
        let after = adopt::apply(&source.text, &mine);
        texts.insert(source.path.clone(), after.clone());
        vocabulary_changes.push(anchors::FileChange {
            path: source.path.clone(),
            display: source.display.clone(),
            before: Some(source.text.clone()),
            after,
        });
    }
    let followed = anchors::fix_anchors(index, max_pixels, &texts);
    // A file both fixes change is the anchors' change (made on the vocabulary's text).
    let mut changes: Vec<anchors::FileChange> = vocabulary_changes
        .into_iter()
        .filter(|v| !followed.changes.iter().any(|c| c.path == v.path))
        .collect();
    changes.extend(followed.changes);
    changes.sort_by(|a, b| a.display.cmp(&b.display));
    let mut diff = String::new();
    for change in &changes {
        let name = change.display.display().to_string();
        diff.push_str(
            &similar::TextDiff::from_lines(change.before.as_deref().unwrap_or(""), &change.after)
                .unified_diff()
                .context_radius(1)
                .header(&format!("a/{name}"), &format!("b/{name}"))
                .to_string(),
        );
    }
    Fixes {
        diff,
        changes,
        places: found.len(),
        moved: followed.moved,
        recorded: followed.recorded,
    }
}

/// The finished site as far as links are concerned: its files and each page's ids.
struct SiteMap {
    files: HashSet<String>,
    ids: HashMap<String, HashSet<String>>,
    /// `base_url`'s path: a root-relative link under it is inside the site (404.html's).
    base_path: String,
}

impl SiteMap {
    fn new(outputs: &[Output], base_path: &str) -> Self {
        let files = outputs.iter().map(|o| slash(o.path())).collect();
        let ids = outputs
            .iter()
            .filter_map(|o| match o {
                Output::Page { path, html } => {
                    Some((slash(path), attributes(html, "id").into_iter().collect()))
                }
                // (`check` renders every page: it keeps none from a build.)
                Output::Asset { .. }
                | Output::File { .. }
                | Output::Binary { .. }
                | Output::KeptPage { .. } => None,
            })
            .collect();
        Self {
            files,
            ids,
            base_path: base_path.to_owned(),
        }
    }

    /// Why `dest`, linked from page `page`, does not resolve (`None` when it does).
    fn problem(&self, page: &str, dest: &str) -> Option<Message> {
        let (path, fragment) = dest
            .split_once('#')
            .map_or((dest, None), |(p, f)| (p, Some(f)));
        let path = path.split('?').next().unwrap_or(path);
        let target = if path.is_empty() {
            page.to_owned()
        } else {
            let (base, path) = match path.strip_prefix(self.base_path.as_str()) {
                Some(rest) if path.starts_with('/') => (Path::new(""), rest),
                _ => (Path::new(page).parent().unwrap_or(Path::new("")), path),
            };
            let joined = fs::normalize(&base.join(path));
            if joined.starts_with("..") || path.starts_with('/') {
                return Some(msg!("link-leaves-site", dest = dest));
            }
            let mut target = slash(&joined);
            if path.ends_with('/')
                || target.is_empty()
                || self.files.contains(&format!("{target}/index.html"))
            {
                target = if target.is_empty() {
                    "index.html".to_owned()
                } else {
                    format!("{target}/index.html")
                };
            }
            if !self.files.contains(&target) {
                return Some(msg!("link-no-target", dest = dest, target = target));
            }
            target
        };
        let fragment = fragment.filter(|f| !f.is_empty())?;
        let ids = self.ids.get(&target)?;
        if ids.contains(fragment) {
            return None;
        }
        let close = did_you_mean(fragment, ids.iter().map(String::as_str)).map_or_else(
            || Message::text(""),
            |c| msg!("fragment-did-you-mean", name = c),
        );
        Some(msg!(
            "link-no-fragment",
            dest = dest,
            target = target,
            fragment = fragment,
            close = close
        ))
    }
}

fn check_links(index: &SiteIndex, outputs: &[Output], links: &[LinkUse]) -> Vec<Diagnostic> {
    let map = SiteMap::new(outputs, index.config.base_path());
    let mut problems = Vec::new();
    let mut from_markdown: HashSet<(String, String)> = HashSet::new();
    for link in links {
        let page = match link.page {
            Some(gi) => format!("{}/index.html", index.guide(gi).slug()),
            None => TROUBLESHOOTING_PAGE.to_owned(),
        };
        if let Some(problem) = map.problem(&page, &link.dest) {
            let mut d = link.at.clone().with_hint(msg!("broken-link-hint"));
            d.message = msg!("broken-link", problem = problem);
            problems.push(d);
        }
        from_markdown.insert((page, link.dest.clone()));
    }
    for output in outputs {
        let Output::Page { path, html } = output else {
            continue;
        };
        let page = slash(path);
        for dest in attributes_of(html, &["href", "src"]) {
            if is_external(&dest) || from_markdown.contains(&(page.clone(), dest.clone())) {
                continue;
            }
            if let Some(problem) = map.problem(&page, &dest) {
                problems.push(
                    Diagnostic::error(msg!(
                        "broken-template-link",
                        page = &page,
                        problem = problem
                    ))
                    .in_file(PathBuf::from(&page))
                    .with_hint(msg!("broken-template-link-hint")),
                );
            }
        }
    }
    problems
}

fn is_external(dest: &str) -> bool {
    dest.starts_with("//") || dest.contains(':')
}

fn slash(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The values of attribute `name` on every element of `html`, as a browser reads them: parsed
/// by `lol_html` (the HTML parser the project uses), so text in comments, in `<script>` and in
/// other attributes' values is never taken for a tag; character references decoded.
pub(crate) fn attributes(html: &str, name: &str) -> Vec<String> {
    attributes_of(html, &[name])
}

/// [`attributes`] for several names at once, in one parse of `html` (hrefs, then srcs, …).
fn attributes_of(html: &str, names: &[&str]) -> Vec<String> {
    let values = std::cell::RefCell::new(vec![Vec::new(); names.len()]);
    let _ = lol_html::rewrite_str(
        html,
        lol_html::RewriteStrSettings {
            element_content_handlers: vec![lol_html::element!("*", |el| {
                for (i, name) in names.iter().enumerate() {
                    if let Some(value) = el.get_attribute(name) {
                        values.borrow_mut()[i].push(decode_references(&value));
                    }
                }
                Ok(())
            })],
            ..lol_html::RewriteStrSettings::new()
        },
    );
    values.into_inner().concat()
}

/// `text` with its character references decoded: `&amp;`, `&quot;`, `&apos;`, `&lt;`, `&gt;`
/// and numeric ones (`&#39;`, `&#x27;`); any other `&` stays as it is.
fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest[..rest.len().min(12)].find(';') else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "lt" => Some('<'),
            "gt" => Some('>'),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        if let Some(c) = decoded {
            out.push(c);
            rest = &rest[end + 1..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// One problem in the JSON output (`tebiki check --format json`).
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    width: usize,
    /// The stable English id of the message (`unknown-field`), the same in every language;
    /// `null` for a text that comes from elsewhere (the operating system, a parser).
    code: Option<&'static str>,
    message: String,
    hint: Option<String>,
    source_line: Option<&'a str>,
    /// Other places the problem involves (e.g. the first of two definitions).
    related: Vec<JsonRelated>,
}

#[derive(Serialize)]
struct JsonRelated {
    file: String,
    line: usize,
    column: usize,
    label: String,
}

/// The JSON report: every problem as an object, with counts.
pub(crate) fn to_json(diagnostics: &Diagnostics, l: &Localizer) -> String {
    let (shown, left_out) = diagnostics.shown();
    let items: Vec<JsonDiagnostic<'_>> = shown
        .into_iter()
        .map(|d| JsonDiagnostic {
            severity: d.severity,
            file: d.file.as_deref().map(slash),
            line: d.position.map(|p| p.line),
            column: d.position.map(|p| p.column),
            width: d.width,
            code: d.message.code(),
            message: l.format(&d.message),
            hint: d.hint.as_ref().map(|h| l.format(h)),
            source_line: d.source_line.as_deref(),
            related: d
                .related
                .iter()
                .map(|r| JsonRelated {
                    file: slash(&r.file),
                    line: r.position.line,
                    column: r.position.column,
                    label: l.format(&r.label),
                })
                .collect(),
        })
        .collect();
    let errors = diagnostics.error_count();
    let total = diagnostics.iter().count();
    let left_out: Vec<_> = left_out
        .iter()
        .map(|(file, count)| {
            let file = file.as_deref().map_or_else(|| l.text("the-site"), slash);
            serde_json::json!({ "file": file, "count": count })
        })
        .collect();
    let report = serde_json::json!({
        "errors": errors,
        "warnings": total - errors,
        "diagnostics": items,
        "not_shown": left_out,
    });
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_inside_other_attributes_are_text() {
        let html = r#"<meta content="HTMLの <img src=qq1> を書く"><a href="a&amp;b&#39;c">x</a>"#;
        assert!(attributes(html, "src").is_empty());
        assert_eq!(attributes(html, "href"), ["a&b'c"]);
    }

    #[test]
    fn attributes_are_found_outside_scripts_and_comments() {
        let html = r#"<a href="a.html#x">x</a><!-- <a href="no"> --><p id='y' class=z>【< 戻る】</p><script>var s = "<a href='no2'>";</script><img src=pic.png alt="">"#;
        assert_eq!(attributes(html, "href"), ["a.html#x"]);
        assert_eq!(attributes(html, "id"), ["y"]);
        assert_eq!(attributes(html, "src"), ["pic.png"]);
    }

    #[test]
    fn links_resolve_against_files_and_ids() {
        let outputs = vec![
            Output::Page {
                path: "index.html".into(),
                html: r#"<a href="g/">g</a>"#.into(),
            },
            Output::Page {
                path: "g/index.html".into(),
                html: r#"<h2 id="s">s</h2>"#.into(),
            },
        ];
        let map = SiteMap::new(&outputs, "/docs/");
        assert_eq!(map.problem("index.html", "g/"), None);
        assert_eq!(map.problem("index.html", "g/#s"), None);
        assert_eq!(map.problem("g/index.html", "#s"), None);
        assert_eq!(map.problem("g/index.html", "../"), None);
        // Root-relative under base_url's path (404.html's links) is inside; elsewhere it is not.
        assert_eq!(map.problem("404.html", "/docs/g/#s"), None);
        assert_eq!(map.problem("404.html", "/docs/"), None);
        assert!(
            map.problem("404.html", "/g/")
                .unwrap()
                .to_string()
                .contains("leaves the site")
        );
        assert!(
            map.problem("g/index.html", "#t")
                .unwrap()
                .to_string()
                .contains("no element with id `t`")
        );
        assert!(
            map.problem("g/index.html", "pic.png")
                .unwrap()
                .to_string()
                .contains("`g/pic.png`")
        );
        assert!(
            map.problem("g/index.html", "../../x")
                .unwrap()
                .to_string()
                .contains("leaves the site")
        );
    }
}
