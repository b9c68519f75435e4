//! What a published site carries besides its pages, built with the real binary: share meta on
//! every page, a 1200×630 share card per guide, sitemap.xml, robots.txt, the Atom feed and
//! 404.html. Pages are parsed as HTML, the XML files as XML, the cards decoded as pictures.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use scraper::{Html, Selector};
use tempfile::TempDir;

/// Builds a copy of the site at `src` (edited by `edit`); the temp folder and the output.
fn build(src: &Path, edit: impl FnOnce(&Path)) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_dir(src, &root);
    edit(&root);
    let public = dir.path().join("public");
    let run = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .current_dir(&root)
        .args(["build", "--output-dir"])
        .arg(&public)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    (dir, public)
}

fn bundled() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    common::copy_bundled_site(dir.path());
    let (tmp, public) = build(dir.path(), |_| {});
    drop(dir);
    (tmp, public)
}

fn multi_guide() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multi-guide")
}

fn page(public: &Path, rel: &str) -> Html {
    Html::parse_document(&fs::read_to_string(public.join(rel)).unwrap())
}

/// The `content` of every `<meta property|name=key>` of the page, by key.
fn metas(doc: &Html) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in doc.select(&Selector::parse("meta").unwrap()) {
        let key = m.value().attr("property").or(m.value().attr("name"));
        if let (Some(key), Some(content)) = (key, m.value().attr("content")) {
            out.entry(key.to_owned())
                .or_default()
                .push(content.to_owned());
        }
    }
    out
}

fn one<'a>(metas: &'a BTreeMap<String, Vec<String>>, key: &str) -> &'a str {
    match metas.get(key).map(Vec::as_slice) {
        Some([one]) => one,
        other => panic!("{key}: want exactly one, got {other:?}"),
    }
}

fn links(doc: &Html, rel: &str) -> Vec<String> {
    doc.select(&Selector::parse(&format!("link[rel={rel}]")).unwrap())
        .filter_map(|l| l.value().attr("href").map(str::to_owned))
        .collect()
}

/// The built file a URL of the site names (`base` + path, a folder meaning its index.html).
fn file_of(public: &Path, base: &str, url: &str) -> PathBuf {
    let rel = url
        .strip_prefix(base)
        .unwrap_or_else(|| panic!("{url} is not under {base}"));
    let mut path = public.join(rel);
    if rel.is_empty() || rel.ends_with('/') {
        path = path.join("index.html");
    }
    assert!(path.is_file(), "{url} → {} is not built", path.display());
    path
}

/// The RGBA pixels of a PNG, checked to be 1200×630.
fn card_pixels(path: &Path) -> image::RgbaImage {
    let card = image::open(path).unwrap().to_rgba8();
    assert_eq!(card.dimensions(), (1200, 630), "{}", path.display());
    card
}

#[test]
fn every_page_carries_its_share_meta_with_absolute_urls() {
    let (_tmp, public) = bundled();
    let base = "https://tebiki.example/";
    for (rel, kind) in [
        ("zaim-amazon/index.html", "article"),
        ("index.html", "website"),
        ("troubleshooting/index.html", "website"),
        ("404.html", "website"),
    ] {
        let doc = page(&public, rel);
        let m = metas(&doc);
        assert_eq!(one(&m, "og:type"), kind, "{rel}");
        for key in [
            "description",
            "og:title",
            "og:description",
            "og:url",
            "og:site_name",
            "twitter:card",
        ] {
            assert!(!one(&m, key).is_empty(), "{rel}: {key}");
        }
        assert_eq!(one(&m, "og:locale"), "ja_JP");
        let canonical = links(&doc, "canonical");
        assert_eq!(canonical.len(), 1, "{rel}: one canonical link");
        assert_eq!(canonical[0], one(&m, "og:url"), "{rel}");
        assert!(canonical[0].starts_with(base), "{rel}: {}", canonical[0]);
        if rel != "404.html" {
            file_of(&public, base, &canonical[0]);
        }
        let feeds = links(&doc, "alternate");
        assert_eq!(feeds, [format!("{base}feed.xml")], "{rel}");
        // Every page has a card: its guide's, or the site's.
        assert_eq!(one(&m, "twitter:card"), "summary_large_image", "{rel}");
        assert_eq!(one(&m, "og:image:width"), "1200", "{rel}");
        card_pixels(&file_of(&public, base, one(&m, "og:image")));
    }
    let home = metas(&page(&public, "index.html"));
    assert_eq!(one(&home, "og:image"), format!("{base}card.png"));
    let guide = metas(&page(&public, "zaim-amazon/index.html"));
    assert_eq!(one(&guide, "twitter:card"), "summary_large_image");
    assert_eq!(one(&guide, "og:image:width"), "1200");
    assert_eq!(one(&guide, "og:image:height"), "630");
    assert_eq!(one(&guide, "og:image:alt"), one(&guide, "og:title"));
    assert!(!one(&guide, "article:published_time").is_empty());
    let card = file_of(&public, base, one(&guide, "og:image"));
    let pixels = card_pixels(&card);
    let first = pixels.get_pixel(0, 0);
    let differing = pixels.pixels().filter(|p| *p != first).count();
    assert!(
        differing > 20_000,
        "the card is not blank: {differing} pixels differ"
    );
}

#[test]
fn two_guides_have_two_different_cards() {
    let (_tmp, public) = build(&multi_guide(), |_| {});
    let alpha = card_pixels(&public.join("alpha/card.png"));
    let beta = card_pixels(&public.join("beta/card.png"));
    assert_ne!(alpha, beta);
    let m = metas(&page(&public, "alpha/index.html"));
    assert_eq!(one(&m, "og:locale"), "en_US");
    assert_eq!(
        one(&m, "og:image"),
        "https://multi.test/docs/alpha/card.png"
    );
}

#[test]
fn a_title_of_120_characters_stays_inside_the_card() {
    let title = "ZaimとAmazon.co.jpの連携を、最初の設定から五分以内の承認、失敗したときの解除とやり直しまで、".repeat(3);
    let title: String = title.chars().take(120).collect();
    let (_tmp, public) = build(&multi_guide(), |root| {
        let path = root.join("content/alpha/guide.yaml");
        let text = fs::read_to_string(&path).unwrap();
        fs::write(
            &path,
            text.replacen("title: Alpha guide", &format!("title: '{title}'"), 1),
        )
        .unwrap();
    });
    let card = card_pixels(&public.join("alpha/card.png"));
    // Inside the white panel (x 48–1152, y 54–576), the bands left and right of the text area
    // and above the title stay white: nothing was drawn past the margins.
    let white = image::Rgba([255, 255, 255, 255]);
    for y in 90..490 {
        for x in (52..78).chain(1124..1148) {
            assert_eq!(*card.get_pixel(x, y), white, "pixel ({x}, {y}) is drawn on");
        }
    }
    let drawn = (90..490)
        .flat_map(|y| (80..1120).map(move |x| (x, y)))
        .filter(|&(x, y)| *card.get_pixel(x, y) != white)
        .count();
    assert!(drawn > 40_000, "the title is drawn: {drawn} pixels");
}

#[test]
fn sitemap_and_feed_are_xml_whose_urls_are_built_pages() {
    let (_tmp, public) = build(&multi_guide(), |_| {});
    let base = "https://multi.test/docs/";
    let text = fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let sitemap = roxmltree::Document::parse(&text).unwrap();
    let root = sitemap.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let locs: Vec<&str> = root
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(locs.len(), 4, "home, two guides, troubleshooting: {locs:?}");
    for loc in &locs {
        file_of(&public, base, loc);
    }
    assert!(
        root.descendants()
            .filter(|n| n.has_tag_name("lastmod"))
            .count()
            >= 3
    );

    // Atom (RFC 4287): the feed and each entry have one id, title and updated; the feed an
    // author; each entry a link to a built page.
    let text = fs::read_to_string(public.join("feed.xml")).unwrap();
    let feed = roxmltree::Document::parse(&text).unwrap();
    let atom = "http://www.w3.org/2005/Atom";
    let root = feed.root_element();
    assert_eq!(root.tag_name().namespace(), Some(atom));
    assert_eq!(root.tag_name().name(), "feed");
    let children = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children()
            .filter(|c| c.tag_name().name() == name && c.tag_name().namespace() == Some(atom))
            .count()
    };
    for name in ["id", "title", "updated", "author"] {
        assert_eq!(children(root, name), 1, "feed/{name}");
    }
    let entries: Vec<_> = root
        .children()
        .filter(|c| c.has_tag_name((atom, "entry")))
        .collect();
    assert_eq!(entries.len(), 2);
    let mut dates = Vec::new();
    for entry in &entries {
        for name in ["id", "title", "updated", "summary"] {
            assert_eq!(children(*entry, name), 1, "entry/{name}");
        }
        let href = entry
            .children()
            .find(|c| c.has_tag_name((atom, "link")) && c.attribute("rel") == Some("alternate"))
            .and_then(|l| l.attribute("href"))
            .unwrap();
        file_of(&public, base, href);
        let updated = entry
            .children()
            .find(|c| c.has_tag_name((atom, "updated")))
            .and_then(|u| u.text())
            .unwrap()
            .to_owned();
        assert!(updated.ends_with('Z') && updated.contains('T'), "{updated}");
        dates.push(updated);
    }
    let mut newest_first = dates.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, newest_first, "newest first");
}

#[test]
fn robots_names_the_sitemap_and_a_staging_site_is_not_indexed() {
    // The fixture has a robots.txt of its own in static/, which wins: it is the author's.
    let (_tmp, public) = build(&multi_guide(), |_| {});
    let own = fs::read_to_string(multi_guide().join("static/robots.txt")).unwrap();
    assert_eq!(fs::read_to_string(public.join("robots.txt")).unwrap(), own);

    let without_own = |root: &Path| fs::remove_file(root.join("static/robots.txt")).unwrap();
    let (_tmp, public) = build(&multi_guide(), without_own);
    let robots = fs::read_to_string(public.join("robots.txt")).unwrap();
    let sitemap_line = "Sitemap: https://multi.test/docs/sitemap.xml";
    assert!(robots.lines().any(|l| l == sitemap_line), "{robots}");
    assert!(!metas(&page(&public, "index.html")).contains_key("robots"));

    let (_tmp, public) = build(&multi_guide(), |root| {
        without_own(root);
        let path = root.join("site.yaml");
        let text = fs::read_to_string(&path).unwrap();
        let staging = format!("{text}robots: noindex\ntwitter_site: '@tebiki_test'\n");
        fs::write(&path, staging).unwrap();
    });
    let robots = fs::read_to_string(public.join("robots.txt")).unwrap();
    assert!(robots.lines().any(|l| l == "Disallow: /"), "{robots}");
    for rel in [
        "index.html",
        "alpha/index.html",
        "troubleshooting/index.html",
    ] {
        let m = metas(&page(&public, rel));
        assert_eq!(one(&m, "robots"), "noindex", "{rel}");
        assert_eq!(one(&m, "twitter:site"), "@tebiki_test", "{rel}");
    }
}

#[test]
fn the_404_page_links_to_the_guide_list_and_the_troubleshooting_index() {
    let (_tmp, public) = build(&multi_guide(), |_| {});
    let doc = page(&public, "404.html");
    let hrefs: Vec<&str> = doc
        .select(&Selector::parse("main a").unwrap())
        .filter_map(|a| a.value().attr("href"))
        .collect();
    // Root-relative: a host shows 404.html at any depth.
    assert_eq!(hrefs, ["/docs/", "/docs/troubleshooting/"]);
    let css: Vec<&str> = doc
        .select(&Selector::parse("link[rel=stylesheet]").unwrap())
        .filter_map(|l| l.value().attr("href"))
        .collect();
    assert_eq!(css, ["/docs/assets/tebiki.css"]);
    assert_eq!(one(&metas(&doc), "robots"), "noindex");
}

#[test]
fn a_guide_may_bring_its_own_share_picture() {
    let (_tmp, public) = build(&multi_guide(), |root| {
        let dir = root.join("content/alpha");
        let mut png = Vec::new();
        image::RgbImage::from_pixel(1200, 630, image::Rgb([200, 30, 30]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        fs::write(dir.join("images/share me.png"), png).unwrap();
        let text = fs::read_to_string(dir.join("guide.yaml")).unwrap();
        fs::write(
            dir.join("guide.yaml"),
            format!("{text}og_image: images/share me.png\n"),
        )
        .unwrap();
    });
    let m = metas(&page(&public, "alpha/index.html"));
    let url = one(&m, "og:image");
    assert_eq!(url, "https://multi.test/docs/alpha/images/share%20me.png");
    assert!(public.join("alpha/images/share me.png").is_file());
    assert!(!public.join("alpha/card.png").exists(), "no generated card");
    assert!(public.join("beta/card.png").is_file());
}

#[test]
fn an_svg_share_picture_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_dir(&multi_guide(), &root);
    let guide = root.join("content/alpha/guide.yaml");
    let text = fs::read_to_string(&guide).unwrap();
    let line = text.lines().count() + 1;
    fs::write(&guide, format!("{text}og_image: images/prepare.svg\n")).unwrap();
    let run = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .current_dir(&root)
        .args(["check"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(
        out.contains("the share picture `images/prepare.svg` is an SVG"),
        "{out}"
    );
    assert!(
        out.contains(&format!("content/alpha/guide.yaml:{line}:11")),
        "{out}"
    );
}

/// Whether this run is under CI (`CI` set), where every tool a test needs must be there.
fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// The feed as a feed reader library reads it: Python's feedparser reports no error ("bozo")
/// and recognizes Atom 1.0 with both entries. Needs the `python3` on PATH with feedparser (from pip or Debian's
/// python3-feedparser; .ci/run installs it); without it this test says so and passes,
/// except under CI, where it fails.
#[test]
fn feedparser_reads_the_feed_as_atom_without_errors() {
    let (_tmp, public) = build(&multi_guide(), |_| {});
    let script = "import sys, feedparser\nd = feedparser.parse(open(sys.argv[1], 'rb').read())\nprint(d.bozo, d.version, len(d.entries), d.entries[0].link if d.entries else '')\n";
    let run = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(public.join("feed.xml"))
        .output();
    let run = match run {
        Ok(run) if run.status.success() => run,
        other => {
            let why = match other {
                Ok(run) => String::from_utf8_lossy(&run.stderr).into_owned(),
                Err(err) => err.to_string(),
            };
            assert!(
                !on_ci(),
                "python3 with feedparser is needed (python3 -m pip install feedparser; .ci/run does this): {why}"
            );
            eprintln!(
                "feed not checked with feedparser (python3 -m pip install feedparser): {why}"
            );
            return;
        }
    };
    let out = String::from_utf8_lossy(&run.stdout);
    let fields: Vec<&str> = out.split_whitespace().collect();
    assert!(
        matches!(fields[0], "0" | "False"),
        "feedparser found an error: {out}"
    );
    assert_eq!(fields[1..3], ["atom10", "2"], "version, entries: {out}");
    assert!(fields[3].starts_with("https://multi.test/docs/"), "{out}");
}

/// The search boxes of a page: where each loads the index from.
fn search_boxes(public: &Path, rel: &str) -> Vec<String> {
    page(public, rel)
        .select(&Selector::parse(".site-search").unwrap())
        .map(|b| b.value().attr("data-pagefind").unwrap().to_owned())
        .collect()
}

#[test]
fn the_search_index_is_built_beside_the_pages_and_every_box_points_at_it() {
    let (_tmp, public) = bundled();
    let entry: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(public.join("pagefind/pagefind-entry.json")).unwrap(),
    )
    .unwrap();
    // One Pagefind page per guide page; its steps and entries are its sub-results.
    assert_eq!(entry["languages"]["ja"]["page_count"], 1, "{entry}");
    assert!(public.join("pagefind/pagefind.js").is_file());
    // Only what the theme's own box uses: no ready-made interface.
    assert!(!public.join("pagefind/pagefind-ui.js").exists());
    for (rel, root) in [
        ("index.html", "./"),
        ("zaim-amazon/index.html", "../"),
        ("troubleshooting/index.html", "../"),
        ("404.html", "/"),
    ] {
        assert_eq!(
            search_boxes(&public, rel),
            [format!("{root}pagefind/pagefind.js")],
            "{rel}"
        );
    }
    assert!(public.join("assets/tebiki-search.js").is_file());
}

#[test]
fn without_search_true_there_is_no_index_and_no_box() {
    // `search: false`, and no `search:` at all (the default).
    for setting in ["search: false\n", ""] {
        let dir = tempfile::tempdir().unwrap();
        common::copy_bundled_site(dir.path());
        let (_tmp, public) = build(dir.path(), |root| {
            let yaml = root.join("site.yaml");
            let text = fs::read_to_string(&yaml).unwrap();
            assert!(text.contains("\nsearch: true\n"));
            fs::write(
                &yaml,
                text.replace("\nsearch: true\n", &format!("\n{setting}")),
            )
            .unwrap();
        });
        assert!(!public.join("pagefind").exists(), "{setting:?}");
        assert!(search_boxes(&public, "zaim-amazon/index.html").is_empty());
        assert!(search_boxes(&public, "index.html").is_empty());
    }
}
