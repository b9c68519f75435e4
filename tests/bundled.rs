//! The bundled site (the repository root: `site.yaml`, `content/zaim-amazon/`, `themes/default/`)
//! built with the real binary into a temporary folder, and the HTML checked with a real parser.
//!
//! The guide page must keep the article's structure (28 + 7 steps), every computed reference
//! (`STEP9〜STEP22`, `STEP16`, …), the timed window, the shared steps and the `HowTo` data right,
//! and all of it must follow when a step is inserted or removed.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use scraper::{ElementRef, Html, Selector};
use tempfile::TempDir;

/// The base URL every test build uses, so absolute URLs can be told apart from `site.yaml`'s.
const BASE_URL: &str = "https://guides.test/sub/";
/// The bundled guide's slug.
const SLUG: &str = "zaim-amazon";
/// The number of steps of the linking and the unlinking procedure in the source article.
const LINK_STEPS: usize = 28;
const UNLINK_STEPS: usize = 7;

// ---------------------------------------------------------------------------------------------
// Helpers: building
// ---------------------------------------------------------------------------------------------

/// The bundled site: the repository root.
fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `tebiki build --root <root> --output-dir <out> --base-url BASE_URL`.
fn run_build(root: &Path, out: &Path) -> Output {
    Command::cargo_bin("tebiki")
        .expect("the tebiki binary is built")
        .env("LC_ALL", "C")
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output-dir")
        .arg(out)
        .arg("--base-url")
        .arg(BASE_URL)
        .output()
        .expect("tebiki runs")
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Builds `root` into `out` and asserts the build succeeded cleanly (exit 0, no warnings).
fn build_ok(root: &Path, out: &Path) {
    let output = run_build(root, out);
    let stderr = stderr_of(&output);
    assert_eq!(
        output.status.code(),
        Some(0),
        "building {} into {} should succeed; stderr:\n{stderr}",
        root.display(),
        out.display()
    );
    assert!(
        !stderr.contains("warning") && !stderr.contains("panicked"),
        "the bundled site should build without warnings; stderr:\n{stderr}"
    );
}

/// Builds the bundled site into `<tmp>/public`; returns the temp folder (keep it alive) and the
/// output folder.
fn build_bundled() -> (TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("public");
    build_ok(&repo_root(), &out);
    (tmp, out)
}

/// Copies the bundled site's sources into `<tmp>/site`.
fn copy_bundled_site(tmp: &Path) -> PathBuf {
    let site = tmp.join("site");
    common::copy_bundled_site(&site);
    site
}

fn guide_yaml(site: &Path) -> PathBuf {
    site.join("content").join(SLUG).join("guide.yaml")
}

/// Rewrites `guide.yaml` line by line: `edit` gets each line and returns the lines to put in
/// its place. Asserts that exactly one line was changed.
fn edit_guide_yaml(site: &Path, edit: impl Fn(&str) -> Option<Vec<String>>) {
    let path = guide_yaml(site);
    let text = fs::read_to_string(&path).unwrap();
    let mut edited = 0;
    let mut lines = Vec::new();
    for line in text.lines() {
        if let Some(replacement) = edit(line) {
            edited += 1;
            lines.extend(replacement);
        } else {
            lines.push(line.to_owned());
        }
    }
    assert_eq!(edited, 1, "expected to edit exactly one line of guide.yaml");
    let mut new_text = lines.join("\n");
    if text.ends_with('\n') {
        new_text.push('\n');
    }
    fs::write(&path, new_text).unwrap();
}

/// Every file under `dir` (relative path → contents), to check a folder was left untouched.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                walk(base, &path, files);
            } else {
                let rel = path.strip_prefix(base).unwrap().to_path_buf();
                files.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}

/// The names of the entries of `dir`, sorted.
fn entry_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// ---------------------------------------------------------------------------------------------
// Helpers: HTML
// ---------------------------------------------------------------------------------------------

fn parse(path: &Path) -> Html {
    let html =
        fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    Html::parse_document(&html)
}

fn guide_page_path(out: &Path) -> PathBuf {
    out.join(SLUG).join("index.html")
}

fn guide_page(out: &Path) -> Html {
    parse(&guide_page_path(out))
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e}"))
}

/// The whitespace-normalised text of an element.
fn text(el: ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn has_class(el: ElementRef<'_>, class: &str) -> bool {
    el.value().classes().any(|c| c == class)
}

/// The element with `id="<id>"`; panics (naming it) when there is none.
fn by_id<'a>(doc: &'a Html, id: &str) -> ElementRef<'a> {
    doc.select(&sel(&format!("[id=\"{id}\"]")))
        .next()
        .unwrap_or_else(|| panic!("no element with id=\"{id}\" on the page"))
}

/// The `<section id="<section>">` of the guide page.
fn section<'a>(doc: &'a Html, id: &str) -> ElementRef<'a> {
    doc.select(&sel(&format!("section[id=\"{id}\"]")))
        .next()
        .unwrap_or_else(|| panic!("no <section id=\"{id}\"> on the guide page"))
}

/// The step cards of a procedure section, in document order.
fn step_cards<'a>(doc: &'a Html, section_id: &str) -> Vec<ElementRef<'a>> {
    section(doc, section_id)
        .select(&sel("article.step"))
        .collect()
}

/// All step cards of the page, in document order.
fn all_step_cards(doc: &Html) -> Vec<ElementRef<'_>> {
    doc.select(&sel("article.step")).collect()
}

/// The step card whose anchor is `anchor`.
fn card<'a>(doc: &'a Html, anchor: &str) -> ElementRef<'a> {
    let el = by_id(doc, anchor);
    assert!(
        el.value().name() == "article" && has_class(el, "step"),
        "#{anchor} should be a step card (<article class=\"step\">), got <{}>",
        el.value().name()
    );
    el
}

fn anchor(card: ElementRef<'_>) -> String {
    card.value().id().unwrap_or_default().to_owned()
}

fn badge(card: ElementRef<'_>) -> String {
    let badge = card
        .select(&sel(".step-badge"))
        .next()
        .unwrap_or_else(|| panic!("step card #{} has no .step-badge", anchor(card)));
    text(badge)
}

fn title(card: ElementRef<'_>) -> String {
    let title = card
        .select(&sel(".step-title-text"))
        .next()
        .unwrap_or_else(|| panic!("step card #{} has no .step-title-text", anchor(card)));
    text(title)
}

/// The `(text, href)` of every `a.ref` inside `el`.
fn refs(el: ElementRef<'_>) -> Vec<(String, String)> {
    el.select(&sel("a.ref"))
        .map(|a| {
            (
                text(a),
                a.value().attr("href").unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Asserts that the step card `#from` holds an `a.ref` with this text and href.
fn assert_ref(doc: &Html, from: &str, text: &str, href: &str) {
    let found = refs(card(doc, from));
    assert!(
        found.iter().any(|(t, h)| t == text && h == href),
        "step #{from} should hold <a class=\"ref\" href=\"{href}\">{text}</a>; its refs are {found:?}"
    );
}

/// Asserts that the step card `#anchor` carries the badge `expected`.
fn assert_badge(doc: &Html, anchor: &str, expected: &str) {
    assert_eq!(
        badge(card(doc, anchor)),
        expected,
        "the step card #{anchor} should be {expected}"
    );
}

/// The step ids of a procedure, read from `guide.yaml` (the source of truth for the order).
fn procedure_steps(site: &Path, section_id: &str) -> Vec<String> {
    let text = fs::read_to_string(guide_yaml(site)).unwrap();
    let guide: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let sections = guide["sections"].as_array().expect("sections");
    let section = sections
        .iter()
        .find(|s| s["id"].as_str() == Some(section_id))
        .unwrap_or_else(|| panic!("guide.yaml has no section {section_id}"));
    section["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            s.as_str()
                .or_else(|| s["id"].as_str())
                .expect("a step id")
                .to_owned()
        })
        .collect()
}

/// Resolves a site-internal URL (relative to the page at `page`, or absolute under
/// `BASE_URL`) to a file of the output folder, and returns it with its fragment.
/// Returns `None` for links that leave the site (another scheme or host).
fn resolve_internal(out: &Path, page: &Path, href: &str) -> Option<(PathBuf, Option<String>)> {
    let (target, fragment) = match href.split_once('#') {
        Some((t, f)) => (t, Some(f.to_owned())),
        None => (href, None),
    };
    let target = target.split('?').next().unwrap_or_default();
    let (base, rel) = if let Some(rest) = target.strip_prefix(BASE_URL) {
        (out.to_path_buf(), rest)
    } else if target.contains("://") || target.starts_with("//") || target.contains(':') {
        return None;
    } else if let Some(rest) = target.strip_prefix('/') {
        (out.to_path_buf(), rest)
    } else {
        (page.parent().unwrap().to_path_buf(), target)
    };
    let mut path = base;
    for component in Path::new(rel).components() {
        match component {
            Component::ParentDir => {
                assert!(
                    path.pop() && path.starts_with(out),
                    "link {href} on {} leaves the output folder",
                    page.display()
                );
            }
            Component::Normal(part) => path.push(part),
            _ => {}
        }
    }
    assert!(
        path.starts_with(out),
        "link {href} on {} leaves the output folder",
        page.display()
    );
    if rel.is_empty() || rel.ends_with('/') || path.is_dir() {
        path.push("index.html");
    }
    Some((path, fragment))
}

/// Asserts that every `<a href>` and `<link href>` of `page` that stays inside the site resolves
/// to a built file (and to an existing id when it carries a fragment).
fn assert_internal_links_resolve(out: &Path, page: &Path) {
    let doc = parse(page);
    let mut checked = 0;
    for el in doc.select(&sel("a[href], link[href]")) {
        let href = el.value().attr("href").unwrap();
        if href.starts_with('#') {
            continue;
        }
        let Some((file, fragment)) = resolve_internal(out, page, href) else {
            continue;
        };
        assert!(
            file.is_file(),
            "link {href} on {} should resolve to a built file, but {} does not exist",
            page.display(),
            file.display()
        );
        if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
            let target = parse(&file);
            assert!(
                target
                    .select(&sel(&format!("[id=\"{fragment}\"]")))
                    .next()
                    .is_some(),
                "link {href} on {} points at #{fragment}, which {} does not have",
                page.display(),
                file.display()
            );
        }
        checked += 1;
    }
    assert!(
        checked > 0,
        "{} should link to other files of the site",
        page.display()
    );
}

// ---------------------------------------------------------------------------------------------
// 1. Pages
// ---------------------------------------------------------------------------------------------

#[test]
fn builds_index_and_guide_page_and_index_links_to_guide() {
    let (_tmp, out) = build_bundled();
    let index = out.join("index.html");
    assert!(index.is_file(), "public/index.html should exist");
    assert!(
        guide_page_path(&out).is_file(),
        "public/{SLUG}/index.html should exist"
    );
    let doc = parse(&index);
    let hrefs: Vec<&str> = doc
        .select(&sel("a[href]"))
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert!(
        hrefs.contains(&"zaim-amazon/"),
        "the index page should link to zaim-amazon/; its links are {hrefs:?}"
    );
    let link = doc.select(&sel("a[href=\"zaim-amazon/\"]")).next().unwrap();
    let guide_title = text(
        guide_page(&out)
            .select(&sel("h1"))
            .next()
            .expect("the guide page has an <h1>"),
    );
    assert_eq!(
        text(link),
        guide_title,
        "the index's link to the guide should carry the guide's title"
    );
}

#[test]
fn the_guide_list_counts_the_numbered_steps_of_each_procedure_as_the_reader_sees_them() {
    let (_tmp, out) = build_bundled();
    let site = repo_root();
    let (link, unlink) = (
        procedure_steps(&site, "link"),
        procedure_steps(&site, "unlink"),
    );
    assert_eq!((link.len(), unlink.len()), (LINK_STEPS, UNLINK_STEPS));
    let doc = parse(&out.join("index.html"));
    let counts: Vec<String> = doc.select(&sel(".meta-steps")).map(text).collect();
    assert_eq!(
        counts,
        [
            format!("連携手順：{LINK_STEPS}ステップ"),
            format!("解除手順：{UNLINK_STEPS}ステップ"),
        ]
    );
    // The guide page numbers as many steps as the list says.
    let page = guide_page(&out);
    assert_eq!(
        all_step_cards(&page).len(),
        LINK_STEPS + UNLINK_STEPS,
        "the page shows another number of steps"
    );
}

/// The marks drawn in a mock-up's SVG: (press frames, look frames, avoid marks).
fn marks_of(out: &Path, card: ElementRef<'_>) -> (usize, usize, usize) {
    let img = card
        .select(&sel("figure img"))
        .next()
        .unwrap_or_else(|| panic!("{} has a picture", anchor(card)));
    let src = img.value().attr("src").unwrap();
    let svg = fs::read_to_string(out.join(SLUG).join(src)).unwrap();
    let doc = Html::parse_fragment(&svg);
    (
        doc.select(&sel("rect.highlight")).count(),
        doc.select(&sel("rect.look")).count(),
        doc.select(&sel("g.avoid")).count(),
    )
}

#[test]
fn look_only_pictures_use_the_look_mark_and_step16_shows_the_stop_sign() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    // STEP16: the row to check is a look mark, the red message carries the stop sign, and
    // nothing invites a tap.
    assert_eq!(marks_of(&out, card(&doc, "pause")), (0, 1, 1));
    // The other pictures that only show a state or a message.
    for id in [
        "wait-linking",
        "wait-updating",
        "approved",
        "wait-linking-again",
        "check-link-settings",
        "success-manual-update",
        "success-balances",
    ] {
        let (press, look, _) = marks_of(&out, card(&doc, id));
        assert!(
            press == 0 && look > 0,
            "{id}: {press} press, {look} look marks"
        );
    }
    // Every picture's alt text names the marks the picture draws.
    for step in all_step_cards(&doc) {
        let Some(img) = step.select(&sel("figure img")).next() else {
            continue;
        };
        let alt = img.value().attr("alt").unwrap();
        let (press, look, avoid) = marks_of(&out, step);
        assert_eq!(alt.contains("赤い枠"), press > 0, "{}: {alt}", anchor(step));
        assert_eq!(
            alt.contains("青い点線"),
            look > 0,
            "{}: {alt}",
            anchor(step)
        );
        assert_eq!(
            alt.contains("禁止マーク"),
            avoid > 0,
            "{}: {alt}",
            anchor(step)
        );
    }
    // The legend at the top explains the three marks once.
    let legend: Vec<String> = doc
        .select(&sel(".guide-header .mark-legend .mark-legend-item"))
        .map(text)
        .collect();
    assert_eq!(
        legend,
        [
            "赤い枠：押すところ",
            "青い点線：見るところ",
            "⊘禁止マーク：まだ押さないところ"
        ]
    );
}

#[test]
fn a_window_entry_is_shown_in_full_once_and_as_one_line_on_the_window_s_other_steps() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    let hrefs = |card: ElementRef<'_>, css: &str| -> Vec<String> {
        card.select(&sel(css))
            .filter_map(|a| a.value().attr("href").map(str::to_owned))
            .collect()
    };
    let mut full: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for card in all_step_cards(&doc) {
        for href in hrefs(card, ".trouble-links a.trouble-link") {
            full.entry(href).or_default().push(anchor(card));
        }
    }
    for (href, steps) in &full {
        assert!(steps.len() <= 2, "{href} is shown in full on {steps:?}");
    }
    let window_entry = doc
        .select(&sel("#press-link .trouble-links a.trouble-link"))
        .find(|a| text(*a).contains("5分以上"))
        .and_then(|a| a.value().attr("href"))
        .expect("STEP9 shows the five-minute entry in full")
        .to_owned();
    assert_eq!(full[&window_entry], ["press-link"]);
    let windowed: Vec<ElementRef<'_>> = all_step_cards(&doc)
        .into_iter()
        .filter(|c| is_windowed(*c))
        .collect();
    assert!(
        windowed.len() >= 10,
        "{} steps in the window",
        windowed.len()
    );
    for card in windowed.iter().filter(|c| anchor(**c) != "press-link") {
        assert_eq!(
            hrefs(*card, ".trouble-links-brief a.trouble-link"),
            std::slice::from_ref(&window_entry),
            "#{} links the window's entry in one line",
            anchor(*card)
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Step numbering
// ---------------------------------------------------------------------------------------------

/// Asserts that the section's step cards are numbered STEP1..STEPn in document order and carry
/// the anchors `expected_anchors`, in that order.
fn assert_numbered(doc: &Html, section_id: &str, expected_anchors: &[String]) {
    let cards = step_cards(doc, section_id);
    let badges: Vec<String> = cards.iter().map(|c| badge(*c)).collect();
    let expected_badges: Vec<String> = (1..=expected_anchors.len())
        .map(|n| format!("STEP{n}"))
        .collect();
    assert_eq!(
        badges,
        expected_badges,
        "section #{section_id} should number its steps STEP1..STEP{} in document order",
        expected_anchors.len()
    );
    let anchors: Vec<String> = cards.iter().map(|c| anchor(*c)).collect();
    assert_eq!(
        anchors, expected_anchors,
        "section #{section_id}: the step cards' anchors should follow guide.yaml's order"
    );
}

#[test]
fn link_procedure_has_28_steps_numbered_in_order() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    let ids = procedure_steps(&repo_root(), "link");
    assert_eq!(ids.len(), LINK_STEPS, "guide.yaml's link procedure");
    assert_eq!(step_cards(&doc, "link").len(), LINK_STEPS);
    assert_numbered(&doc, "link", &ids);
    // A few landmarks of the article.
    assert_badge(&doc, "open-menu", "STEP1");
    assert_badge(&doc, "press-link", "STEP9");
    assert_badge(&doc, "press-back", "STEP15");
    assert_badge(&doc, "press-authenticate", "STEP22");
    assert_badge(&doc, "success-balances", "STEP28");
}

#[test]
fn unlink_procedure_has_7_steps_numbered_in_order() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    let link_ids: BTreeSet<String> = procedure_steps(&repo_root(), "link").into_iter().collect();
    // Steps shared with the link procedure (their home) are anchored `unlink-<id>` here.
    let anchors: Vec<String> = procedure_steps(&repo_root(), "unlink")
        .into_iter()
        .map(|id| {
            if link_ids.contains(&id) {
                format!("unlink-{id}")
            } else {
                id
            }
        })
        .collect();
    assert_eq!(anchors.len(), UNLINK_STEPS, "guide.yaml's unlink procedure");
    assert_eq!(step_cards(&doc, "unlink").len(), UNLINK_STEPS);
    assert_numbered(&doc, "unlink", &anchors);
    assert_eq!(anchors[0], "unlink-open-menu");
    assert_eq!(anchors[1], "unlink-press-link-settings");
    // Only the two procedures have step cards.
    assert_eq!(
        all_step_cards(&doc).len(),
        LINK_STEPS + UNLINK_STEPS,
        "the guide page should hold exactly the two procedures' step cards"
    );
}

// ---------------------------------------------------------------------------------------------
// 3. Links and ids
// ---------------------------------------------------------------------------------------------

#[test]
fn ids_on_the_guide_page_are_unique() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for el in doc.select(&sel("[id]")) {
        *counts.entry(el.value().id().unwrap()).or_default() += 1;
    }
    let mut duplicates: Vec<(&str, usize)> = counts.into_iter().filter(|(_, n)| *n > 1).collect();
    duplicates.sort_unstable();
    assert!(
        duplicates.is_empty(),
        "ids must be unique on the guide page; duplicated: {duplicates:?}"
    );
}

#[test]
fn every_fragment_link_on_the_guide_page_has_a_target() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    let ids: BTreeSet<&str> = doc
        .select(&sel("[id]"))
        .map(|el| el.value().id().unwrap())
        .collect();
    let mut fragment_links = 0;
    let mut broken = Vec::new();
    for a in doc.select(&sel("a[href]")) {
        let href = a.value().attr("href").unwrap();
        if let Some(fragment) = href.strip_prefix('#') {
            fragment_links += 1;
            if !ids.contains(fragment) {
                broken.push(format!("{href} ({})", text(a)));
            }
        }
    }
    assert!(
        fragment_links > LINK_STEPS + UNLINK_STEPS,
        "the guide page should have in-page links (table of contents, references); found {fragment_links}"
    );
    assert!(
        broken.is_empty(),
        "in-page links without a target: {broken:?}"
    );
}

#[test]
fn every_link_to_another_page_resolves_to_a_built_file() {
    let (_tmp, out) = build_bundled();
    assert_internal_links_resolve(&out, &guide_page_path(&out));
    assert_internal_links_resolve(&out, &out.join("index.html"));
}

// ---------------------------------------------------------------------------------------------
// 4. Cross-references
// ---------------------------------------------------------------------------------------------

#[test]
fn the_window_range_is_referenced_from_step9_and_step22() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    // A range links both ends: its start, and its last step's label to the last step.
    for from in ["press-link", "press-authenticate"] {
        assert_ref(&doc, from, "STEP9〜", "#press-link");
        assert_ref(&doc, from, "STEP22", "#press-authenticate");
    }
    assert_badge(&doc, "press-link", "STEP9");
    assert_badge(&doc, "press-authenticate", "STEP22");
}

#[test]
fn step13_refers_to_step16_step17_and_step12() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    assert_badge(&doc, "tap-notification", "STEP13");
    assert_ref(&doc, "tap-notification", "STEP16", "#pause");
    assert_ref(&doc, "tap-notification", "STEP17", "#open-signin-mail");
    assert_ref(&doc, "tap-notification", "STEP12", "#wait-updating");
    assert_badge(&doc, "pause", "STEP16");
    assert_badge(&doc, "open-signin-mail", "STEP17");
    assert_badge(&doc, "wait-updating", "STEP12");
}

#[test]
fn step15_refers_to_the_unlink_procedure() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    assert_badge(&doc, "press-back", "STEP15");
    let unlink_title = text(
        section(&doc, "unlink")
            .select(&sel("h2"))
            .next()
            .expect("the unlink section has a heading"),
    );
    assert_ref(&doc, "press-back", &unlink_title, "#unlink");
}

#[test]
fn step21_refers_back_to_step16() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    assert_badge(&doc, "tap-red-message", "STEP21");
    assert_ref(&doc, "tap-red-message", "STEP16", "#pause");
    assert_badge(&doc, "pause", "STEP16");
}

#[test]
fn step22_refers_back_to_step15() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    assert_ref(&doc, "press-authenticate", "STEP15", "#press-back");
    assert_badge(&doc, "press-back", "STEP15");
}

#[test]
fn step23_contrasts_with_step10() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    assert_badge(&doc, "wait-linking-again", "STEP23");
    assert_ref(&doc, "wait-linking-again", "STEP10", "#wait-linking");
    assert_badge(&doc, "wait-linking", "STEP10");
}

#[test]
fn the_failure_section_points_to_the_unlink_procedure() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    let failure = section(&doc, "failure");
    let to_unlink: Vec<String> = failure
        .select(&sel("a[href=\"#unlink\"]"))
        .map(text)
        .collect();
    assert!(
        !to_unlink.is_empty(),
        "the failure section should link to #unlink; its links are {:?}",
        refs(failure)
    );
    let unlink_title = text(section(&doc, "unlink").select(&sel("h2")).next().unwrap());
    assert!(
        to_unlink.iter().all(|t| *t == unlink_title),
        "links to #unlink should read the section's title {unlink_title:?}; got {to_unlink:?}"
    );
}

#[test]
fn the_end_of_the_unlink_procedure_points_back_to_the_link_procedure() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    // `continue_to: link` in guide.yaml: the section ends with a link to the start of `link`.
    let unlink = section(&doc, "unlink");
    let last = unlink
        .children()
        .filter_map(ElementRef::wrap)
        .last()
        .expect("the unlink section has content");
    assert!(
        has_class(last, "section-continue"),
        "the unlink section ends with the continue link"
    );
    let link_title = text(section(&doc, "link").select(&sel("h2")).next().unwrap());
    let found = refs(last);
    assert!(
        found
            .iter()
            .any(|(t, h)| h == "#link" && t.contains(&link_title)),
        "the end of unlink should link to #link naming {link_title:?}; its refs are {found:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// 5. The timed window
// ---------------------------------------------------------------------------------------------

fn is_windowed(card: ElementRef<'_>) -> bool {
    has_class(card, "step-windowed")
        || card
            .select(&sel(".window-start, .window-end, .window-tag"))
            .next()
            .is_some()
}

#[test]
fn exactly_step9_to_step22_carry_the_window_marker() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    let windowed: Vec<String> = step_cards(&doc, "link")
        .into_iter()
        .filter(|c| is_windowed(*c))
        .map(badge)
        .collect();
    let expected: Vec<String> = (9..=22).map(|n| format!("STEP{n}")).collect();
    assert_eq!(
        windowed, expected,
        "exactly the link procedure's STEP9..STEP22 should carry the window marker"
    );
    let unlink_windowed: Vec<String> = step_cards(&doc, "unlink")
        .into_iter()
        .filter(|c| is_windowed(*c))
        .map(anchor)
        .collect();
    assert!(
        unlink_windowed.is_empty(),
        "no unlink step is in the window; marked: {unlink_windowed:?}"
    );
    // Every step inside the window is fully marked (class and visible label).
    for c in step_cards(&doc, "link")
        .into_iter()
        .filter(|c| is_windowed(*c))
    {
        assert!(
            has_class(c, "step-windowed"),
            "#{} should have the class step-windowed",
            anchor(c)
        );
        let label = c
            .select(&sel(".window-start, .window-end, .window-tag"))
            .map(text)
            .collect::<Vec<_>>();
        assert!(
            label.iter().any(|l| l.contains("5分以内")),
            "#{} should show the window label 5分以内; got {label:?}",
            anchor(c)
        );
    }
}

#[test]
fn the_window_starts_at_step9_and_ends_at_step22() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    let starts: Vec<ElementRef<'_>> = doc.select(&sel(".window-start")).collect();
    assert_eq!(starts.len(), 1, "one window start banner on the page");
    let start_card = starts[0]
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|e| has_class(*e, "step"))
        .expect("the window start banner is inside a step card");
    assert_eq!(anchor(start_card), "press-link");
    assert_eq!(badge(start_card), "STEP9");
    assert!(
        text(starts[0]).contains("ここから5分以内"),
        "STEP9 should say the window starts here; got {:?}",
        text(starts[0])
    );

    let ends: Vec<ElementRef<'_>> = doc.select(&sel(".window-end")).collect();
    assert_eq!(ends.len(), 1, "one window end banner on the page");
    let end_card = ends[0]
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|e| has_class(*e, "step"))
        .expect("the window end banner is inside a step card");
    assert_eq!(anchor(end_card), "press-authenticate");
    assert_eq!(badge(end_card), "STEP22");
    assert!(
        text(ends[0]).contains("ここまで5分以内"),
        "STEP22 should say the window ends here; got {:?}",
        text(ends[0])
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Shared steps
// ---------------------------------------------------------------------------------------------

fn body_html(card: ElementRef<'_>) -> String {
    card.select(&sel(".step-body"))
        .next()
        .map(|b| b.inner_html())
        .unwrap_or_default()
}

#[test]
fn shared_steps_appear_in_both_procedures_with_the_same_content() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    // References name another section by its short title: the heading without （成功例）.
    let (link_title, unlink_title) = ("連携手順", "解除手順");
    for (id, n) in [("open-menu", 1), ("press-link-settings", 2)] {
        let home = card(&doc, id);
        let other_anchor = format!("unlink-{id}");
        let other = card(&doc, &other_anchor);
        assert!(
            step_cards(&doc, "link").contains(&home),
            "#{id} should be in the link procedure"
        );
        assert!(
            step_cards(&doc, "unlink").contains(&other),
            "#{other_anchor} should be in the unlink procedure"
        );
        assert_eq!(badge(home), format!("STEP{n}"));
        assert_eq!(badge(other), format!("STEP{n}"));
        assert_eq!(title(home), title(other), "shared step {id}: same title");
        assert!(!body_html(home).is_empty(), "shared step {id} has a body");
        assert_eq!(
            body_html(home),
            body_html(other),
            "shared step {id}: same body in both procedures"
        );
        // Each occurrence says where else it appears, with a working reference.
        let shared_sel = sel(".step-shared a.ref");
        let from_other: Vec<(String, String)> = other
            .select(&shared_sel)
            .map(|a| (text(a), a.value().attr("href").unwrap().to_owned()))
            .collect();
        assert_eq!(
            from_other,
            vec![(format!("{link_title}のSTEP{n}"), format!("#{id}"))],
            "#{other_anchor} should say it also appears as the link procedure's STEP{n}"
        );
        let from_home: Vec<(String, String)> = home
            .select(&shared_sel)
            .map(|a| (text(a), a.value().attr("href").unwrap().to_owned()))
            .collect();
        assert_eq!(
            from_home,
            vec![(
                format!("{unlink_title}のSTEP{n}"),
                format!("#{other_anchor}")
            )],
            "#{id} should say it also appears as the unlink procedure's STEP{n}"
        );
    }
    // Steps that are not shared say nothing of the kind.
    let unshared_with_note: Vec<String> = all_step_cards(&doc)
        .into_iter()
        .filter(|c| c.select(&sel(".step-shared")).next().is_some())
        .map(anchor)
        .collect();
    assert_eq!(
        unshared_with_note,
        [
            "open-menu",
            "press-link-settings",
            "unlink-open-menu",
            "unlink-press-link-settings"
        ],
        "only the shared steps carry a shared-step note"
    );
}

// ---------------------------------------------------------------------------------------------
// 7. JSON-LD
// ---------------------------------------------------------------------------------------------

fn json_ld(doc: &Html) -> serde_json::Value {
    let scripts: Vec<ElementRef<'_>> = doc
        .select(&sel("script[type=\"application/ld+json\"]"))
        .collect();
    assert_eq!(scripts.len(), 1, "one JSON-LD script on the guide page");
    let raw: String = scripts[0].text().collect();
    serde_json::from_str(&raw).unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}\n{raw}"))
}

fn assert_howto_section(
    doc: &Html,
    value: &serde_json::Value,
    section_id: &str,
    expected_steps: usize,
) {
    let guide_url = format!("{BASE_URL}{SLUG}/");
    assert_eq!(value["@type"], "HowToSection", "{section_id}: @type");
    let heading = text(section(doc, section_id).select(&sel("h2")).next().unwrap());
    assert_eq!(value["name"], heading.as_str(), "{section_id}: name");
    assert_eq!(
        value["url"],
        format!("{guide_url}#{section_id}").as_str(),
        "{section_id}: url"
    );
    let items = value["itemListElement"]
        .as_array()
        .unwrap_or_else(|| panic!("{section_id}: itemListElement is an array"));
    assert_eq!(items.len(), expected_steps, "{section_id}: number of steps");
    let cards = step_cards(doc, section_id);
    assert_eq!(cards.len(), expected_steps);
    for (i, (item, card)) in items.iter().zip(&cards).enumerate() {
        let position = i + 1;
        let what = format!("{section_id} step {position}");
        assert_eq!(item["@type"], "HowToStep", "{what}: @type");
        assert_eq!(
            item["position"].as_u64(),
            Some(position as u64),
            "{what}: position"
        );
        assert_eq!(
            item["name"],
            title(*card).as_str(),
            "{what}: name = card title"
        );
        let step_text = item["text"].as_str().unwrap_or_default();
        assert!(!step_text.trim().is_empty(), "{what}: non-empty text");
        let url = item["url"].as_str().unwrap_or_default();
        assert!(
            url.starts_with(BASE_URL),
            "{what}: url {url} starts with {BASE_URL}"
        );
        assert_eq!(
            url,
            format!("{guide_url}#{}", anchor(*card)),
            "{what}: url = page URL + the card's anchor"
        );
    }
}

#[test]
fn json_ld_describes_both_procedures_as_howto_sections() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    let data = json_ld(&doc);
    assert_eq!(data["@type"], "HowTo");
    let guide_title = text(doc.select(&sel("h1")).next().unwrap());
    assert_eq!(
        data["name"],
        guide_title.as_str(),
        "HowTo name = guide title"
    );
    if let Some(url) = data["url"].as_str() {
        assert_eq!(url, format!("{BASE_URL}{SLUG}/"), "HowTo url");
    }
    let sections = data["step"].as_array().expect("HowTo.step is an array");
    assert_eq!(sections.len(), 2, "two HowToSections (link, unlink)");
    assert_howto_section(&doc, &sections[0], "link", LINK_STEPS);
    assert_howto_section(&doc, &sections[1], "unlink", UNLINK_STEPS);
}

#[test]
fn json_ld_step_text_holds_the_computed_reference_texts() {
    let (_tmp, out) = build_bundled();
    let data = json_ld(&guide_page(&out));
    let step22 = data["step"][0]["itemListElement"][21]["text"]
        .as_str()
        .unwrap_or_default();
    assert!(
        step22.contains("STEP9〜STEP22") && !step22.contains("](@"),
        "the JSON-LD text of STEP22 should hold the computed range text, not the raw reference: {step22:?}"
    );
    let step13 = data["step"][0]["itemListElement"][12]["text"]
        .as_str()
        .unwrap_or_default();
    assert!(
        step13.contains("STEP16") && step13.contains("STEP17") && step13.contains("STEP12"),
        "the JSON-LD text of STEP13 should hold STEP16/STEP17/STEP12: {step13:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// 8. Language and table of contents
// ---------------------------------------------------------------------------------------------

#[test]
fn pages_are_japanese() {
    let (_tmp, out) = build_bundled();
    for page in [out.join("index.html"), guide_page_path(&out)] {
        let doc = parse(&page);
        let html = doc.select(&sel("html")).next().unwrap();
        assert_eq!(
            html.value().attr("lang"),
            Some("ja"),
            "{} should be <html lang=\"ja\">",
            page.display()
        );
    }
}

#[test]
fn table_of_contents_covers_every_section_and_step() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    let navs: Vec<ElementRef<'_>> = doc.select(&sel("nav")).collect();
    let toc = navs
        .iter()
        .find(|n| n.select(&sel("a[href^=\"#\"]")).count() > LINK_STEPS)
        .expect("the guide page has a <nav> table of contents");
    let toc_links: Vec<String> = toc
        .select(&sel("a[href]"))
        .map(|a| a.value().attr("href").unwrap().to_owned())
        .collect();
    let toc_set: BTreeSet<&str> = toc_links.iter().map(String::as_str).collect();
    let sections: Vec<String> = doc
        .select(&sel("section[id]"))
        .map(|s| s.value().id().unwrap().to_owned())
        .collect();
    assert_eq!(
        sections,
        ["link", "failure", "unlink", "summary", "troubleshooting"],
        "the guide's sections in order, then the generated troubleshooting section"
    );
    let mut missing = Vec::new();
    for s in &sections {
        if !toc_set.contains(format!("#{s}").as_str()) {
            missing.push(format!("#{s}"));
        }
    }
    for c in all_step_cards(&doc) {
        let a = format!("#{}", anchor(c));
        if !toc_set.contains(a.as_str()) {
            missing.push(a);
        }
    }
    assert!(
        missing.is_empty(),
        "the table of contents should link to every section and step; missing {missing:?}"
    );
    // Its step entries follow the page's order.
    let step_anchors: Vec<String> = all_step_cards(&doc)
        .into_iter()
        .map(|c| format!("#{}", anchor(c)))
        .collect();
    let toc_steps: Vec<String> = toc_links
        .iter()
        .filter(|h| step_anchors.contains(h))
        .cloned()
        .collect();
    assert_eq!(
        toc_steps, step_anchors,
        "the table of contents lists the steps in page order"
    );
}

// ---------------------------------------------------------------------------------------------
// 9. No external resources
// ---------------------------------------------------------------------------------------------

fn is_remote(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

#[test]
fn pages_load_no_external_resources() {
    let (_tmp, out) = build_bundled();
    for page in [out.join("index.html"), guide_page_path(&out)] {
        let doc = parse(&page);
        let mut remote = Vec::new();
        for el in doc.select(&sel("link[href]")) {
            // A canonical URL names the page and an alternate one the feed: they load nothing.
            let rel = el.value().attr("rel").unwrap_or_default();
            if rel
                .split_whitespace()
                .any(|r| r.eq_ignore_ascii_case("canonical") || r.eq_ignore_ascii_case("alternate"))
            {
                continue;
            }
            let href = el.value().attr("href").unwrap();
            if is_remote(href) {
                remote.push(format!("<link rel={rel:?} href={href:?}>"));
            }
        }
        for (css, attr) in [
            ("script[src]", "src"),
            ("img[src]", "src"),
            ("iframe[src]", "src"),
            ("source[src]", "src"),
            ("video[src]", "src"),
            ("audio[src]", "src"),
        ] {
            for el in doc.select(&sel(css)) {
                let url = el.value().attr(attr).unwrap();
                if is_remote(url) {
                    remote.push(format!("<{} {attr}={url:?}>", el.value().name()));
                }
            }
        }
        assert!(
            remote.is_empty(),
            "{} loads external resources: {remote:?}",
            page.display()
        );
    }
}

#[test]
fn stylesheet_is_built_and_local() {
    let (_tmp, out) = build_bundled();
    for page in [out.join("index.html"), guide_page_path(&out)] {
        let doc = parse(&page);
        let sheets: Vec<&str> = doc
            .select(&sel("link[rel~=\"stylesheet\"][href]"))
            .map(|l| l.value().attr("href").unwrap())
            .collect();
        assert!(
            !sheets.is_empty(),
            "{} should link a stylesheet",
            page.display()
        );
        for href in sheets {
            let (file, _) = resolve_internal(&out, &page, href).unwrap_or_else(|| {
                panic!(
                    "stylesheet {href} on {} is not a local file",
                    page.display()
                )
            });
            assert!(
                file.is_file(),
                "stylesheet {href} on {} should exist in the output ({})",
                page.display(),
                file.display()
            );
            let css = fs::read_to_string(&file).unwrap();
            assert!(!css.trim().is_empty(), "the stylesheet {href} is empty");
            assert!(
                !css.contains("@import"),
                "the stylesheet {href} should not @import anything"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 10. Renumbering
// ---------------------------------------------------------------------------------------------

/// Inserts `steps/check-wifi.md` before `press-link` in the link procedure.
fn insert_check_wifi(site: &Path) {
    fs::write(
        site.join("content").join(SLUG).join("steps/check-wifi.md"),
        "---\ntitle: 'Wi-Fiにつながっているか確かめる'\n---\nスマートフォンがインターネットにつながっていることを確かめます。\n",
    )
    .unwrap();
    edit_guide_yaml(site, |line| {
        (line == "      - press-link").then(|| vec!["      - check-wifi".into(), line.into()])
    });
}

#[test]
fn inserting_a_step_renumbers_every_step_and_reference() {
    let tmp = tempfile::tempdir().unwrap();
    let site = copy_bundled_site(tmp.path());
    insert_check_wifi(&site);
    let out = tmp.path().join("public");
    build_ok(&site, &out);
    let doc = guide_page(&out);

    let ids = procedure_steps(&site, "link");
    assert_eq!(ids.len(), LINK_STEPS + 1);
    assert_eq!(
        step_cards(&doc, "link").len(),
        LINK_STEPS + 1,
        "the link procedure now has 29 steps"
    );
    assert_numbered(&doc, "link", &ids);
    assert_badge(&doc, "check-wifi", "STEP9");
    assert_eq!(
        title(card(&doc, "check-wifi")),
        "Wi-Fiにつながっているか確かめる"
    );
    assert_badge(&doc, "press-link", "STEP10");
    assert_badge(&doc, "press-back", "STEP16");
    assert_badge(&doc, "press-authenticate", "STEP23");

    // References follow.
    assert_ref(&doc, "press-link", "STEP10〜", "#press-link");
    assert_ref(&doc, "press-link", "STEP23", "#press-authenticate");
    assert_ref(&doc, "press-authenticate", "STEP16", "#press-back");
    assert_badge(&doc, "tap-notification", "STEP14");
    assert_ref(&doc, "tap-notification", "STEP17", "#pause");
    assert_ref(&doc, "tap-notification", "STEP18", "#open-signin-mail");
    assert_ref(&doc, "tap-notification", "STEP13", "#wait-updating");
    assert_ref(&doc, "tap-red-message", "STEP17", "#pause");
    assert_ref(&doc, "wait-linking-again", "STEP11", "#wait-linking");
    let stale: Vec<(String, String)> = refs(card(&doc, "tap-notification"))
        .into_iter()
        .filter(|(t, _)| t == "STEP16" || t == "STEP12")
        .collect();
    assert!(
        stale.is_empty(),
        "STEP14's refs still carry old numbers: {stale:?}"
    );

    // The window moved with its steps: STEP10..STEP23, and the new step is outside it.
    let windowed: Vec<String> = step_cards(&doc, "link")
        .into_iter()
        .filter(|c| is_windowed(*c))
        .map(badge)
        .collect();
    let expected: Vec<String> = (10..=23).map(|n| format!("STEP{n}")).collect();
    assert_eq!(windowed, expected, "the window now covers STEP10..STEP23");

    // The unlink procedure is unaffected.
    assert_eq!(step_cards(&doc, "unlink").len(), UNLINK_STEPS);

    // And the JSON-LD follows too.
    let data = json_ld(&doc);
    assert_eq!(
        data["step"][0]["itemListElement"].as_array().map(Vec::len),
        Some(LINK_STEPS + 1)
    );
}

#[test]
fn removing_a_referenced_step_fails_and_keeps_the_previous_output() {
    let tmp = tempfile::tempdir().unwrap();
    let site = copy_bundled_site(tmp.path());
    let out_parent = tempfile::tempdir().unwrap();
    let out = out_parent.path().join("public");
    build_ok(&site, &out);
    let before = snapshot(&out);
    assert!(before.contains_key(Path::new("index.html")));

    edit_guide_yaml(&site, |line| (line == "      - pause").then(Vec::new));
    let output = run_build(&site, &out);
    let stderr = stderr_of(&output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "a build with an unknown reference should exit with code 1; stderr:\n{stderr}"
    );
    // The diagnostic names the file and the line where `@pause` is used.
    let file = format!("content/{SLUG}/steps/tap-notification.md");
    let source = fs::read_to_string(site.join(&file)).unwrap();
    let line = source
        .lines()
        .position(|l| l.contains("(@pause)"))
        .expect("tap-notification.md refers to @pause")
        + 1;
    assert!(
        stderr.contains(&format!("{file}:{line}:")),
        "stderr should name {file}:{line}:<column>; got:\n{stderr}"
    );
    assert!(
        stderr.contains("unknown reference"),
        "stderr should say `unknown reference`; got:\n{stderr}"
    );
    assert!(
        stderr.contains("@pause"),
        "stderr should name @pause; got:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");

    // The previous output is left as it was, and nothing is left beside it.
    assert_eq!(
        snapshot(&out),
        before,
        "a failed build must leave the previous output untouched"
    );
    assert_eq!(
        entry_names(out_parent.path()),
        ["public"],
        "a failed build must not leave staging folders beside the output"
    );
}

// ---------------------------------------------------------------------------------------------
// 11. Output folder safety
// ---------------------------------------------------------------------------------------------

#[test]
fn building_twice_into_the_same_folder_replaces_the_output() {
    let (tmp, out) = build_bundled();
    let first = snapshot(&out);
    // A stray file in tebiki's own output folder goes away with the rebuild.
    fs::write(out.join("stale.html"), "old").unwrap();
    build_ok(&repo_root(), &out);
    let second = snapshot(&out);
    assert!(
        !second.contains_key(Path::new("stale.html")),
        "the rebuild replaces the whole output folder"
    );
    assert_eq!(
        first, second,
        "building the same site twice gives the same output"
    );
    assert_eq!(
        entry_names(tmp.path()),
        ["public"],
        "no staging or old folders are left beside the output"
    );
}

#[test]
fn refuses_to_overwrite_a_folder_it_did_not_create() {
    let tmp = tempfile::tempdir().unwrap();
    let foreign = tmp.path().join("mine");
    fs::create_dir_all(foreign.join("sub")).unwrap();
    fs::write(foreign.join("notes.txt"), "my notes").unwrap();
    fs::write(foreign.join("sub/index.html"), "<p>mine</p>").unwrap();
    let before = snapshot(&foreign);

    let output = run_build(&repo_root(), &foreign);
    let stderr = stderr_of(&output);
    assert_eq!(
        output.status.code(),
        Some(2),
        "building into a foreign non-empty folder should exit with code 2; stderr:\n{stderr}"
    );
    assert!(
        stderr.contains("refusing"),
        "stderr should say it is refusing; got:\n{stderr}"
    );
    assert_eq!(
        snapshot(&foreign),
        before,
        "the foreign folder's files must be left untouched"
    );
    assert_eq!(
        entry_names(tmp.path()),
        ["mine"],
        "nothing is written beside the refused folder"
    );
}

/// The guide's own character speaks in two balloons (STEP11 and the failure signs): avatar,
/// then name, then text, in that order, and the avatar is a published file.
#[test]
fn the_guide_character_speaks_in_balloons_with_avatar_and_name_first() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    let balloons: Vec<ElementRef<'_>> = doc.select(&sel(".balloon")).collect();
    assert_eq!(
        balloons.len(),
        2,
        "one at STEP11, one after the failure signs"
    );
    let step11 = doc.select(&sel("#press-ok-first .balloon")).count();
    assert_eq!(step11, 1, "STEP11 has a balloon");
    assert_eq!(doc.select(&sel("#failure .balloon")).count(), 1);
    for balloon in balloons {
        assert!(has_class(balloon, "balloon-left"));
        let children: Vec<ElementRef<'_>> =
            balloon.children().filter_map(ElementRef::wrap).collect();
        assert_eq!(children.len(), 2, "speaker, then text");
        assert!(
            has_class(children[0], "balloon-speaker") && has_class(children[1], "balloon-text")
        );
        let avatar = children[0]
            .select(&sel("img.balloon-avatar"))
            .next()
            .unwrap();
        assert_eq!(
            avatar.value().attr("alt"),
            Some(""),
            "the name beside it says who speaks"
        );
        let src = avatar.value().attr("src").unwrap();
        assert_eq!(src, "../avatars/tebiki.svg");
        let svg = std::fs::read_to_string(out.join("avatars/tebiki.svg")).unwrap();
        assert!(
            roxmltree::Document::parse(&svg).is_ok(),
            "the avatar is SVG"
        );
        assert_eq!(text(children[0]), "てびき");
        let said = text(children[1]);
        assert!(said.len() > 30 && !said.contains("[!SAY"), "{said}");
    }
}

/// The five-minute entry arises over STEP9〜STEP22: its 「起きる場所」 links both ends.
#[test]
fn a_trouble_card_links_both_ends_of_the_range_it_arises_over() {
    let (_tmp, out) = build_bundled();
    let doc = guide_page(&out);
    let card = doc
        .select(&sel("#troubleshooting .trouble"))
        .find(|c| text(*c).contains("5分以上かかってしまった"))
        .expect("the five-minute entry");
    let links: Vec<(String, String)> = card
        .select(&sel(".trouble-places a"))
        .map(|a| (text(a), a.value().attr("href").unwrap().to_owned()))
        .collect();
    assert_eq!(
        links,
        [
            ("連携手順のSTEP9〜".to_owned(), "#press-link".to_owned()),
            ("STEP22".to_owned(), "#press-authenticate".to_owned()),
        ]
    );
}

/// Occurrences of `word` in the built site as a reader meets them: the text of every page
/// (and its attributes: alt texts, labels) and the text of every mock-up SVG.
fn count_in_site(out: &Path, word: &str) -> usize {
    let mut n = 0;
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        let path = entry.path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("html") => {
                let page = parse(path);
                for node in page.root_element().descendants() {
                    if let Some(text) = node.value().as_text() {
                        n += text.matches(word).count();
                    } else if let Some(el) = node.value().as_element() {
                        n += el
                            .attrs()
                            .map(|(_, v)| v.matches(word).count())
                            .sum::<usize>();
                    }
                }
            }
            Some("svg") => {
                let svg = std::fs::read_to_string(path).unwrap();
                let doc = roxmltree::Document::parse(&svg).unwrap();
                n += doc
                    .descendants()
                    .filter(roxmltree::Node::is_text)
                    .map(|d| d.text().unwrap_or("").matches(word).count())
                    .sum::<usize>();
            }
            _ => {}
        }
    }
    n
}

/// Ids and links of the guide page: what a rename must not move.
fn ids_and_links(out: &Path) -> (Vec<String>, Vec<String>) {
    let page = guide_page(out);
    let ids = page
        .select(&sel("[id]"))
        .map(|e| e.value().id().unwrap().to_owned())
        .collect();
    let links = page
        .select(&sel("a[href]"))
        .map(|e| e.value().attr("href").unwrap().to_owned())
        .collect();
    (ids, links)
}

/// Zaim renames 【連携設定】 to 【口座連携】: one edit of ui.yaml changes every title, body, trouble
/// entry, alt text and mock-up, and nothing else moves.
#[test]
fn renaming_a_ui_text_in_the_vocabulary_changes_every_place_that_shows_it() {
    let tmp = tempfile::tempdir().unwrap();
    let site = copy_bundled_site(tmp.path());
    let out = tmp.path().join("before");
    build_ok(&site, &out);
    let old_count = count_in_site(&out, "連携設定");
    assert!(
        old_count > 60,
        "the bundled guide shows 連携設定 {old_count} times"
    );
    assert_eq!(count_in_site(&out, "口座連携"), 0);
    let before = ids_and_links(&out);

    let ui = site.join("content").join(SLUG).join("ui.yaml");
    let text = std::fs::read_to_string(&ui).unwrap();
    let renamed = text
        .replace(
            "link-settings: {text: 連携設定,",
            "link-settings: {text: 口座連携,",
        )
        .replace(
            "link-settings-screen: {text: 連携設定,",
            "link-settings-screen: {text: 口座連携,",
        );
    assert_ne!(renamed, text);
    std::fs::write(&ui, renamed).unwrap();
    let out = tmp.path().join("after");
    build_ok(&site, &out);
    assert_eq!(
        count_in_site(&out, "連携設定"),
        0,
        "no page nor mock-up shows the old text"
    );
    assert_eq!(
        count_in_site(&out, "口座連携"),
        old_count,
        "every place shows the new one"
    );
    let page = guide_page(&out);
    let step2 = page
        .select(&sel("#press-link-settings .step-title-text"))
        .next()
        .unwrap();
    assert_eq!(text_of_el(step2), "【口座連携】を押す");
    assert_eq!(
        ids_and_links(&out),
        before,
        "numbering, anchors and links stay"
    );
}

fn text_of_el(el: ElementRef<'_>) -> String {
    el.text().collect()
}
