//! The bundled guide is written in our own words: no sentence of its page shares a run of 15 or
//! more characters with the source article (`../shared/seed/zaim-amazon-article.txt`, outside
//! this repository), once the quoted labels and messages (【…】, 「…」) are taken out of both:
//! those are facts that carry over as they are. The article is never copied into the project;
//! where it is missing, the test says so in one line and passes.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

mod common;

use std::path::Path;

use scraper::{Html, Selector};

/// The longest run a sentence of ours may share with the article.
const LONGEST_SHARED: usize = 14;

/// The article's text, from the folder beside the project.
fn article() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed/zaim-amazon-article.txt");
    std::fs::read_to_string(path).ok()
}

/// `text` with every 【…】 and 「…」 span (nested ones too) replaced by one character that
/// matches nothing, and without spaces: what is left is our prose.
fn prose(text: &str, hole: char) -> Vec<char> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '【' | '「' => {
                if depth == 0 {
                    out.push(hole);
                }
                depth += 1;
            }
            '】' | '」' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// The longest run of characters `a` and `b` share, and where it starts in `a`.
fn longest_shared(a: &[char], b: &[char]) -> (usize, usize) {
    let mut best = (0, 0);
    let mut previous = vec![0u16; b.len() + 1];
    let mut current = vec![0u16; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        for (j, cb) in b.iter().enumerate() {
            current[j + 1] = if ca == cb { previous[j] + 1 } else { 0 };
            let run = usize::from(current[j + 1]);
            if run > best.0 {
                best = (run, i + 1 - run);
            }
        }
        std::mem::swap(&mut previous, &mut current);
    }
    best
}

/// The sentences of the guide page a reader reads: its main text, without the table of
/// contents, split after 。！？ and at line ends.
fn sentences(page: &Html) -> Vec<String> {
    let main = page
        .select(&Selector::parse("main").unwrap())
        .next()
        .unwrap();
    let mut text = String::new();
    for node in main.descendants() {
        let Some(t) = node.value().as_text() else {
            continue;
        };
        let hidden = node.ancestors().any(|a| {
            a.value()
                .as_element()
                .is_some_and(|e| e.name() == "nav" || e.name() == "script" || e.name() == "style")
        });
        if !hidden {
            text.push_str(t);
        }
        text.push('\n');
    }
    let mut out = Vec::new();
    let mut sentence = String::new();
    // Inside 「…」 or 【…】 (a quoted message may hold 。) a sentence goes on.
    let mut quoted = 0usize;
    for c in text.chars() {
        if c == '\n' {
            out.push(std::mem::take(&mut sentence));
            quoted = 0;
            continue;
        }
        sentence.push(c);
        match c {
            '「' | '【' => quoted += 1,
            '」' | '】' => quoted = quoted.saturating_sub(1),
            '。' | '！' | '？' | '!' | '?' if quoted == 0 => {
                out.push(std::mem::take(&mut sentence));
            }
            _ => {}
        }
    }
    out.push(sentence);
    out.into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| s.chars().count() > 3)
        .collect()
}

/// The texts of the JSON-LD data of `page` (step names and texts, computed references
/// resolved), one per string value.
fn jsonld_texts(page: &Html) -> Vec<String> {
    fn walk(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) if !s.starts_with("http") => out.push(s.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(map) => map.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for script in page.select(&Selector::parse(r#"script[type="application/ld+json"]"#).unwrap()) {
        let data: serde_json::Value =
            serde_json::from_str(&script.text().collect::<String>()).unwrap();
        walk(&data, &mut out);
    }
    out
}

/// Every page of the built bundled site, parsed: the guide page, the troubleshooting index,
/// the guide list.
fn built_pages() -> (tempfile::TempDir, Vec<(String, Html)>) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    common::copy_bundled_site(&root);
    let out = tmp.path().join("out");
    common::build_site(env!("CARGO_BIN_EXE_tebiki"), &root, &out);
    let pages = [
        "zaim-amazon/index.html",
        "troubleshooting/index.html",
        "index.html",
    ]
    .iter()
    .map(|p| {
        let html = std::fs::read_to_string(out.join(p)).unwrap();
        ((*p).to_owned(), Html::parse_document(&html))
    })
    .collect();
    (tmp, pages)
}

#[test]
fn no_sentence_of_the_guide_follows_the_source_article() {
    let Some(article) = article() else {
        eprintln!("skipped: ../shared/seed/zaim-amazon-article.txt is not there to compare with");
        return;
    };
    let theirs = prose(&article, '\u{1}');
    let (_tmp, pages) = built_pages();
    let mut all = Vec::new();
    for (name, page) in &pages {
        let texts: Vec<String> = sentences(page)
            .into_iter()
            .chain(jsonld_texts(page))
            .collect();
        if name == "zaim-amazon/index.html" {
            assert!(
                texts.len() > 150,
                "the guide page has {} sentences",
                texts.len()
            );
        }
        all.extend(texts.into_iter().map(|t| (name.clone(), t)));
    }
    let mut close = Vec::new();
    for (name, sentence) in &all {
        let ours = prose(sentence, '\u{2}');
        let (run, at) = longest_shared(&ours, &theirs);
        if run > LONGEST_SHARED {
            let shared: String = ours[at..at + run].iter().collect();
            close.push(format!(
                "{run} characters: 「{shared}」 in {sentence} ({name})"
            ));
        }
    }
    close.sort();
    close.dedup();
    assert!(
        close.is_empty(),
        "{} sentence(s) follow the article's wording:\n  {}",
        close.len(),
        close.join("\n  ")
    );
}

/// The article's headings of its parts, as our headings must not repeat them (the blog's
/// framing 「（成功例）」「（失敗例）」 included).
const ARTICLE_HEADINGS: &[&str] = &[
    "Amazonとの連携方法(成功例)",
    "Amazonとの連携(失敗例)",
    "連携解除の方法",
    "成功例",
    "失敗例",
];

#[test]
fn no_heading_or_computed_link_text_repeats_the_article_s_headings() {
    if article().is_none() {
        eprintln!("skipped: ../shared/seed/zaim-amazon-article.txt is not there to compare with");
        return;
    }
    let (_tmp, pages) = built_pages();
    // Headings, and link texts computed from them (「連携手順のSTEP9」).
    let selector = Selector::parse("h1, h2, h3, a").unwrap();
    let mut found = Vec::new();
    for (name, page) in &pages {
        for el in page.select(&selector) {
            let text: String = el
                .text()
                .collect::<String>()
                .replace('（', "(")
                .replace('）', ")");
            for heading in ARTICLE_HEADINGS {
                let bare = heading.split('(').next().unwrap_or(heading);
                if text.contains(heading) || (bare.chars().count() > 3 && text.contains(bare)) {
                    found.push(format!("{name}: <{}> {text}", el.value().name()));
                }
            }
        }
    }
    found.sort();
    found.dedup();
    assert!(
        found.is_empty(),
        "{} texts repeat the article's headings:\n  {}",
        found.len(),
        found.join("\n  ")
    );
}

#[test]
fn the_comparison_finds_a_shared_run_and_ignores_quoted_labels() {
    let theirs = prose("まだ【認証する】ボタンは押さないでください!", '\u{1}');
    let ours = prose("まだ【認証する】ボタンは押さないでください。", '\u{2}');
    assert_eq!(
        longest_shared(&ours, &theirs).0,
        "ボタンは押さないでください".chars().count()
    );
    let quoted = prose("「連携に成功しました」画面", '\u{2}');
    let article = prose("「連携に成功しました」画面が出ます", '\u{1}');
    assert_eq!(longest_shared(&quoted, &article).0, 2, "only 画面 is prose");
}
