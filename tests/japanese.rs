//! Japanese text as a Japanese reader expects it (issue 26), on the fixture
//! `tests/fixtures/line-breaks` built and published (dry run) by the real binary: a line break
//! written between two Japanese characters leaves no space on the page, in the JSON-LD or in the
//! WordPress post; between Japanese and Latin text it stays a space; `markdown:
//! east_asian_line_breaks: false` keeps every break a space. A link text computed from a
//! symptom or a title shows its UI references as the texts they stand for.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use scraper::{Html, Selector};
use tempfile::TempDir;

/// The fixture copied (with `extra` appended to site.yaml) and built: the temporary folder,
/// the site's root and the guide's page.
fn built(extra: &str) -> (TempDir, PathBuf, Html) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/line-breaks"),
        &root,
    );
    let site = root.join("site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(&site, format!("{text}{extra}")).unwrap();
    let public = dir.path().join("public");
    common::build_site(env!("CARGO_BIN_EXE_tebiki"), &root, &public);
    let page = std::fs::read_to_string(public.join("kaiyaku/index.html")).unwrap();
    (dir, root, Html::parse_document(&page))
}

fn texts(html: &Html, css: &str) -> Vec<String> {
    html.select(&Selector::parse(css).unwrap())
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

/// The `HowTo` JSON-LD of the page.
fn jsonld(html: &Html) -> serde_json::Value {
    let script = texts(html, "script[type='application/ld+json']");
    serde_json::from_str(&script[0]).unwrap()
}

/// The intro as the page has it: the break between two sentences gone, those beside the Latin
/// word kept (a browser shows each as a space).
const INTRO: &str = "有料プランは、アプリの設定からいつでも解約できます。解約の手続きは、次の更新日の前日までに済ませてください。\nPremium\nプランの特典は、更新日まで使えます。";
/// Two computed link texts: a failure sign's symptom and a section's title, each written with
/// a UI reference (`【@cancelled】と表示される`, `【@settings-screen】がおかしいとき`).
const LINKS: &str = "「解約済み」と表示されるときは、「設定」画面がおかしいときを見てください。";
const BODY: &str = "ホーム画面の右下にある歯車のアイコンを押して、設定を開きます。画面が切り替わるまで、少し待ちます。";

#[test]
fn a_line_break_between_japanese_characters_leaves_no_space() {
    let (_dir, root, page) = built("");
    // A YAML `|` block (the intro), a paragraph with bold text across lines, list items.
    let intro = texts(&page, ".guide-intro p, .intro p");
    assert_eq!(intro.join(""), INTRO, "{intro:?}");
    assert_eq!(texts(&page, ".step-body p")[0], BODY);
    assert_eq!(texts(&page, ".step-body p")[1], LINKS);
    assert_eq!(
        texts(&page, ".step-body li"),
        vec![
            "表示が遅いときは、通信の状態を確かめます。".to_owned(),
            "Wi-Fi\nにつながっているかも見ます。".to_owned(),
        ]
    );
    // The JSON-LD's texts: white space squeezed, so a kept break is one space.
    let data = jsonld(&page);
    assert_eq!(
        data["step"][0]["itemListElement"][0]["text"]
            .as_str()
            .unwrap(),
        format!(
            "{BODY} 表示が遅いときは、通信の状態を確かめます。 Wi-Fi につながっているかも見ます。 {LINKS}"
        )
    );

    // The WordPress post (dry run: nothing is sent anywhere).
    let run = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .args([
            "publish",
            "wordpress",
            "--dry-run",
            "--format",
            "json",
            "--root",
        ])
        .arg(&root)
        .args(["--url", "https://blog.test/", "--user", "someone"])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let post = Html::parse_fragment(report["guides"][0]["markup"].as_str().unwrap());
    assert_eq!(texts(&post, ".tebiki-body p")[0], BODY);
    assert_eq!(texts(&post, ".tebiki-body p")[1], LINKS);
    assert!(
        texts(&post, ".tebiki-intro p")
            .join("")
            .starts_with("有料プランは、アプリの設定からいつでも解約できます。解約の"),
        "{:?}",
        texts(&post, ".tebiki-intro p")
    );
}

#[test]
fn the_site_setting_keeps_every_break_a_space() {
    let (_dir, _root, page) = built("markdown:\n  east_asian_line_breaks: false\n");
    let body = &texts(&page, ".step-body p")[0];
    assert!(body.starts_with("ホーム画面の右下にある\n"), "{body}");
    let data = jsonld(&page);
    let text = data["step"][0]["itemListElement"][0]["text"]
        .as_str()
        .unwrap();
    assert!(
        text.starts_with("ホーム画面の右下にある 歯車のアイコン を押して、"),
        "{text}"
    );
}

/// Issue 26: on a machine without Japanese fonts (fontconfig pointed at an empty folder) the
/// bundled guide's share card still has its title drawn, with the default theme's font, and
/// the build does not warn of missing characters.
#[test]
fn a_share_card_has_its_title_on_a_machine_without_japanese_fonts() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_bundled_site(&root);
    let empty = dir.path().join("no-fonts");
    std::fs::create_dir_all(&empty).unwrap();
    let conf = dir.path().join("fonts.conf");
    std::fs::write(
        &conf,
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig><dir>{}</dir></fontconfig>\n",
            empty.display()
        ),
    )
    .unwrap();
    let public = dir.path().join("public");
    let run = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output-dir")
        .arg(&public)
        .env("FONTCONFIG_FILE", &conf)
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(!stderr.contains("no font on this machine"), "{stderr}");
    let card = image::open(public.join("zaim-amazon/card.png"))
        .unwrap()
        .to_luma8();
    assert_eq!(card.dimensions(), (1200, 630));
    // The title's dark strokes in the card's white panel (the title is #1c2024 on white).
    let mut dark = 0;
    for y in 100..460 {
        for x in 80..1120 {
            if card.get_pixel(x, y)[0] < 80 {
                dark += 1;
            }
        }
    }
    assert!(
        dark > 5_000,
        "the card's title is not drawn: {dark} dark pixels"
    );
}
