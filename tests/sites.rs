//! Good fixture sites built with the real binary: several guides referencing each other,
//! English labels and overrides, callouts, an image slot, shared step files, static files,
//! and a theme that overrides one template.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use scraper::{Html, Selector};
use tempfile::TempDir;

fn build(name: &str) -> (TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let output = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output-dir")
        .arg(&public)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "build of {name} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (out, public)
}

fn page(path: &Path) -> Html {
    Html::parse_document(
        &std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

/// (href, text) of every reference link inside `scope`.
fn refs(doc: &Html, scope: &str) -> Vec<(String, String)> {
    doc.select(&sel(&format!("{scope} a.ref")))
        .map(|a| {
            (
                a.value().attr("href").unwrap_or("").to_owned(),
                a.text().collect::<String>(),
            )
        })
        .collect()
}

#[test]
fn index_lists_guides_newest_first() {
    let (_tmp, public) = build("multi-guide");
    let index = page(&public.join("index.html"));
    let links: Vec<String> = index
        .select(&sel("main a[href]"))
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect();
    let alpha = links
        .iter()
        .position(|h| h == "alpha/")
        .expect("alpha listed");
    let beta = links
        .iter()
        .position(|h| h == "beta/")
        .expect("beta listed");
    assert!(
        alpha < beta,
        "alpha (2026-02-01) comes before beta (2026-01-15): {links:?}"
    );
    let root = index.root_element();
    assert_eq!(root.value().attr("lang"), Some("en"));
}

#[test]
fn references_across_guides_link_and_name_the_other_guide() {
    let (_tmp, public) = build("multi-guide");
    let alpha = page(&public.join("alpha/index.html"));
    let intro = refs(&alpha, ".guide-intro");
    assert_eq!(
        intro,
        vec![
            ("../beta/".into(), "Beta guide".into()),
            ("../beta/#setup".into(), "its setup step".into())
        ]
    );
    let beta = page(&public.join("beta/index.html"));
    let back = refs(&beta, "#setup");
    assert_eq!(
        back,
        vec![(
            "../alpha/#confirm".into(),
            "Alpha guide: Main procedure, Step 2".into()
        )]
    );
    assert!(
        !beta.select(&sel("#confirm")).any(|_| true),
        "the target lives on the other page"
    );
    assert!(alpha.select(&sel("#confirm")).next().is_some());
}

#[test]
fn references_within_a_guide_compute_their_text_from_where_they_stand() {
    let (_tmp, public) = build("multi-guide");
    let alpha = page(&public.join("alpha/index.html"));
    assert_eq!(
        refs(&alpha, "article#confirm .step-body"),
        vec![
            ("#prepare".into(), "Step 1".into()),
            ("#red-light".into(), "A red light blinks".into())
        ]
    );
    assert_eq!(
        refs(&alpha, "#problems .remedy-body"),
        vec![
            ("#undo".into(), "Undo".into()),
            ("#prepare".into(), "Main procedure, Step 1".into())
        ]
    );
    // The shared file `../shared/reset.md` refers to the occurrence of `prepare` in `undo`.
    assert_eq!(
        refs(&alpha, "article#reset .step-body"),
        vec![("#undo-prepare".into(), "Step 1".into())]
    );
    assert_eq!(
        refs(&alpha, ".section-summary .summary-points"),
        vec![
            ("#prepare".into(), "Main procedure, Step 1–".into()),
            ("#finish".into(), "Step 3".into())
        ]
    );
}

#[test]
fn shared_step_appears_in_both_procedures() {
    let (_tmp, public) = build("multi-guide");
    let alpha = page(&public.join("alpha/index.html"));
    assert_eq!(
        texts(&alpha, "section#main article.step .step-badge"),
        ["Step 1", "Step 2", "Step 3"]
    );
    assert_eq!(
        texts(&alpha, "section#undo article.step .step-badge"),
        ["Step 1", "Step 2"]
    );
    let ids: Vec<&str> = alpha
        .select(&sel("section#undo article.step"))
        .filter_map(|a| a.value().attr("id"))
        .collect();
    assert_eq!(ids, ["undo-prepare", "reset"]);
    assert_eq!(
        texts(&alpha, "article#prepare .step-shared"),
        ["This step also appears as Undo, Step 1."]
    );
    assert_eq!(
        texts(&alpha, "article#undo-prepare .step-shared"),
        ["This step also appears as Main procedure, Step 1."]
    );
}

#[test]
fn callouts_window_and_labels_follow_the_site_language() {
    let (_tmp, public) = build("multi-guide");
    let alpha = page(&public.join("alpha/index.html"));
    assert_eq!(
        texts(&alpha, "article#prepare .callout .callout-title"),
        ["Caution", "Tip", "Note"]
    );
    let classes: Vec<&str> = alpha
        .select(&sel("article#prepare aside.callout"))
        .filter_map(|a| a.value().attr("class"))
        .collect();
    assert_eq!(
        classes,
        [
            "callout callout-caution",
            "callout callout-tip",
            "callout callout-note"
        ]
    );
    assert_eq!(
        texts(&alpha, "article#prepare .window-start .window-banner-text"),
        ["within 2 minutes starts here"]
    );
    assert_eq!(
        texts(&alpha, "article#confirm .window-end"),
        ["within 2 minutes ends here"]
    );
    assert!(
        texts(
            &alpha,
            "article#finish .window-banner, article#finish .window-tag"
        )
        .is_empty()
    );
    assert_eq!(
        refs(&alpha, "article#prepare .window-note"),
        vec![
            ("#prepare".into(), "Step 1–".into()),
            ("#confirm".into(), "Step 2".into())
        ]
    );
    let nav = alpha.select(&sel("nav.toc")).next().expect("toc");
    assert_eq!(
        nav.value().attr("aria-label"),
        Some("On this page"),
        "labels: toc override from site.yaml"
    );
}

#[test]
fn image_slot_static_files_and_howto_image() {
    let (_tmp, public) = build("multi-guide");
    let alpha = page(&public.join("alpha/index.html"));
    let imgs: Vec<_> = alpha.select(&sel("article#prepare figure img")).collect();
    assert_eq!(imgs.len(), 1);
    assert_eq!(
        imgs[0].value().attr("alt"),
        Some("The prepare button, framed")
    );
    let src = imgs[0].value().attr("src").unwrap();
    assert!(
        public.join("alpha").join(src).is_file(),
        "image {src} copied"
    );
    assert!(
        alpha
            .select(&sel("article#confirm figure"))
            .next()
            .is_none(),
        "no image, no empty figure"
    );
    assert!(public.join("robots.txt").is_file(), "site static/ copied");
    let json = alpha
        .select(&sel("script[type='application/ld+json']"))
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let first = &value["step"][0]["itemListElement"][0];
    assert_eq!(
        first["image"],
        "https://multi.test/docs/alpha/images/prepare.svg"
    );
    assert_eq!(first["url"], "https://multi.test/docs/alpha/#prepare");
    assert_eq!(value["dateModified"], "2026-03-01");
    assert_eq!(value["author"]["name"], "Ann");
}

#[test]
fn theme_overrides_one_template_and_adds_assets() {
    let (_tmp, public) = build("theme-override");
    let index = page(&public.join("index.html"));
    assert_eq!(texts(&index, "h1#custom-index"), ["Themed (plain theme)"]);
    let guide = page(&public.join("demo/index.html"));
    assert!(
        guide.select(&sel("nav.toc")).next().is_some(),
        "guide.html still comes from the built-in theme"
    );
    assert!(public.join("assets/extra.css").is_file());
    assert!(public.join("assets/tebiki.css").is_file());
}

#[test]
fn unlisted_step_file_is_a_warning_not_an_error() {
    let out = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multi-guide");
    let output = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output-dir")
        .arg(out.path().join("p"))
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{stderr}");
    let expected = "warning: step `retired` is not listed in any procedure, so it is not shown\n--> content/beta/steps/retired.md\n = help: add `- retired` to a procedure's `steps:` in guide.yaml, or delete the file\n";
    assert!(stderr.starts_with(expected), "{stderr}");
    assert!(
        !stderr.contains("content/shared has no guide.yaml"),
        "a folder of shared steps is no forgotten guide: {stderr}"
    );
}

#[test]
fn trouble_relations_are_written_in_both_directions() {
    let (_tmp, public) = build("multi-guide");
    let alpha = page(&public.join("alpha/index.html"));
    // The sign arises at `confirm`: the step links to its card, and to the procedures that fix it.
    let on_step: Vec<(String, String)> = alpha
        .select(&sel("article#confirm .trouble-links a"))
        .map(|a| {
            (
                a.value().attr("href").unwrap().to_owned(),
                a.text().collect(),
            )
        })
        .collect();
    assert_eq!(
        on_step,
        [
            ("#red-light".to_owned(), "A red light blinks".to_owned()),
            ("#undo".to_owned(), "Undo".to_owned())
        ]
    );
    // The card says where it arises; its remedy names the procedures.
    assert_eq!(
        refs(&alpha, "#red-light .trouble-places"),
        vec![("#confirm".into(), "Main procedure, Step 2".into())]
    );
    assert_eq!(
        refs(&alpha, "#red-light .trouble-fixed-by"),
        vec![("#undo".into(), "Undo".into())],
        "`@main/prepare` points at a step: not a procedure that fixes it"
    );
    // The procedures the remedy refers to list the entry, linking back to it.
    assert_eq!(
        refs(&alpha, "section#undo > .section-fixes"),
        vec![("#red-light".into(), "A red light blinks".into())]
    );
    // The guide's troubleshooting section has the entry too, under its own id.
    assert_eq!(
        texts(&alpha, "section#troubleshooting .trouble-symptom"),
        ["A red light blinks"]
    );
    let index_card = alpha
        .select(&sel("section#troubleshooting .trouble"))
        .next()
        .unwrap();
    assert_eq!(index_card.value().attr("id"), Some("trouble-red-light"));
}

#[test]
fn site_troubleshooting_index_groups_entries_by_guide_with_working_links() {
    let (_tmp, public) = build("multi-guide");
    let index = page(&public.join("troubleshooting/index.html"));
    assert_eq!(
        texts(&index, ".trouble-group-title"),
        ["Alpha guide"],
        "beta has no entries"
    );
    let card = index.select(&sel(".trouble")).next().unwrap();
    assert_eq!(card.value().attr("id"), Some("alpha-red-light"));
    assert_eq!(
        refs(&index, ".trouble-places"),
        vec![("../alpha/#confirm".into(), "Main procedure, Step 2".into())]
    );
    assert_eq!(
        refs(&index, ".remedy-body"),
        vec![
            ("../alpha/#undo".into(), "Undo".into()),
            ("../alpha/#prepare".into(), "Main procedure, Step 1".into())
        ]
    );
    let search = card.value().attr("data-search").unwrap();
    assert!(
        search.contains("A red light blinks") && search.contains("LED"),
        "{search}"
    );
    let filter = index
        .select(&sel(".trouble-filter"))
        .next()
        .expect("filter box");
    assert!(
        filter.value().attr("hidden").is_some(),
        "hidden until the script shows it"
    );
}
