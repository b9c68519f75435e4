//! Guide pages kept between builds (`render/reuse.rs`): after every kind of change, a build
//! that keeps pages writes exactly what a build from scratch of the same sources writes.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

mod common;

use std::fs;
use std::io::Write as _;
use std::path::Path;

use scraper::{Html, Selector};

const BIN: &str = env!("CARGO_BIN_EXE_tebiki");

/// A copy of the multi-guide fixture (guides referring to each other) in a new folder.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multi-guide");
    common::copy_dir(&fixture, &dir.path().join("site"));
    dir
}

/// Builds `tmp`'s site into `public` (keeping pages in its cache), builds a copy of the same
/// sources without any cache, and asserts both outputs are the same file for file.
fn build_and_compare(tmp: &Path) {
    let site = tmp.join("site");
    common::build_site(BIN, &site, &tmp.join("public"));
    let fresh = tmp.join("fresh");
    let _ = fs::remove_dir_all(&fresh);
    common::copy_dir(&site, &fresh);
    let _ = fs::remove_dir_all(fresh.join(".tebiki-cache"));
    common::build_site(BIN, &fresh, &tmp.join("fresh-public"));
    let kept = common::tree(&tmp.join("public"));
    let made = common::tree(&tmp.join("fresh-public"));
    assert_eq!(
        kept.keys().collect::<Vec<_>>(),
        made.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &kept {
        assert!(
            *bytes == made[path],
            "{} differs from a build from scratch",
            path.display()
        );
    }
}

fn page(public: &Path, slug: &str) -> Html {
    Html::parse_document(&fs::read_to_string(public.join(slug).join("index.html")).unwrap())
}

fn texts(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&Selector::parse(selector).unwrap())
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

fn kept_pages(site: &Path) -> usize {
    fs::read_dir(site.join(".tebiki-cache/pages"))
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().ends_with(".meta")
        })
        .count()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    fs::write(path, text.replace(from, to)).unwrap();
}

/// Builds and compares `tmp`'s site, replaces `from` with `to` in its file `file`, then
/// builds and compares again.
fn built_and_edited(tmp: &Path, file: &str, from: &str, to: &str) {
    build_and_compare(tmp);
    edit(&tmp.join("site").join(file), from, to);
    build_and_compare(tmp);
}

#[test]
fn a_second_build_keeps_every_guide_page_and_writes_the_same_files() {
    let tmp = site();
    build_and_compare(tmp.path());
    let site = tmp.path().join("site");
    let guides = fs::read_dir(site.join("content"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().join("guide.yaml").is_file())
        .count();
    assert_eq!(kept_pages(&site), guides);
    build_and_compare(tmp.path());
}

#[test]
fn a_changed_step_body_shows_on_its_page() {
    let tmp = site();
    built_and_edited(
        tmp.path(),
        "content/beta/steps/finish.md",
        "Beta finish text.",
        "Beta finish, rewritten.",
    );
    let beta = page(&tmp.path().join("public"), "beta");
    let body = texts(&beta, "#finish .step-body");
    assert!(body[0].starts_with("Beta finish, rewritten."), "{body:?}");
}

#[test]
fn a_renamed_guide_renames_the_links_of_the_pages_that_refer_to_it() {
    let tmp = site();
    // Beta's page names alpha in its links; beta's own files are unchanged.
    built_and_edited(
        tmp.path(),
        "content/alpha/guide.yaml",
        "title: Alpha guide",
        "title: Alpha, renamed",
    );
    let beta = page(&tmp.path().join("public"), "beta");
    let links = texts(&beta, "#setup a.ref");
    assert_eq!(links, vec!["Alpha, renamed: Main procedure, Step 2"]);
}

#[test]
fn a_changed_setting_or_template_renders_every_page_again() {
    let tmp = site();
    built_and_edited(
        tmp.path(),
        "site.yaml",
        "toc: On this page",
        "toc: Contents",
    );
    let site = tmp.path().join("site");
    let alpha = page(&tmp.path().join("public"), "alpha");
    assert_eq!(texts(&alpha, "summary.toc-toggle"), vec!["Contents"]);
    fs::create_dir_all(site.join("templates")).unwrap();
    let builtin = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    let guide = fs::read_to_string(builtin.join("guide.html")).unwrap();
    let marked = guide.replacen(
        "<nav class=\"toc\"",
        "<nav data-test-mark=\"yes\" class=\"toc\"",
        1,
    );
    assert_ne!(guide, marked, "the guide template has a table of contents");
    fs::write(site.join("templates/guide.html"), marked).unwrap();
    build_and_compare(tmp.path());
    let alpha = page(&tmp.path().join("public"), "alpha");
    let toc = Selector::parse("nav.toc[data-test-mark=yes]").unwrap();
    assert!(alpha.select(&toc).next().is_some());
}

#[test]
fn a_page_changed_in_the_output_is_not_kept() {
    let tmp = site();
    build_and_compare(tmp.path());
    // Changed in place (the same file, as an editor or a tool in the output might).
    let alpha = tmp.path().join("public/alpha/index.html");
    let mut file = fs::OpenOptions::new().append(true).open(&alpha).unwrap();
    file.write_all(b"<p>changed after the build</p>").unwrap();
    drop(file);
    build_and_compare(tmp.path());
    let doc = fs::read_to_string(&alpha).unwrap();
    assert!(!doc.contains("changed after the build"));
}
