//! `tebiki check`: the real binary on fixture sites. It writes nothing, reports every problem
//! with `file:line:col`, a caret and a hint, exits 0 when clean and 1 when not, and speaks JSON.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod common;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

struct Run {
    code: Option<i32>,
    stdout: String,
}

fn check(root: &Path, json: bool) -> Run {
    let mut cmd = Command::cargo_bin("tebiki").unwrap();
    cmd.env("LC_ALL", "C");
    cmd.arg("check").arg("--root").arg(root);
    if json {
        cmd.args(["--format", "json"]);
    }
    let marker = root.join("public/.tebiki-output");
    let before = std::fs::metadata(&marker).and_then(|m| m.modified()).ok();
    let output = cmd.output().unwrap();
    let after = std::fs::metadata(&marker).and_then(|m| m.modified()).ok();
    assert_eq!(before, after, "check must not write output");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
    }
}

/// Builds fixture `name`; returns (exit code, stderr).
fn build(name: &str) -> (Option<i32>, String) {
    let out = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .arg("build")
        .arg("--root")
        .arg(fixture(name))
        .arg("--output-dir")
        .arg(out.path().join("p"))
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// The diagnostic block of `stdout` whose headline is `headline`.
fn block<'a>(stdout: &'a str, headline: &str) -> &'a str {
    stdout
        .split("\n\n")
        .find(|b| b.lines().next() == Some(headline))
        .unwrap_or_else(|| panic!("no `{headline}` in:\n{stdout}"))
}

#[test]
fn bundled_site_is_clean() {
    let run = check(Path::new(env!("CARGO_MANIFEST_DIR")), false);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    assert_eq!(run.stdout, "no problems found\n");
}

#[test]
fn entry_without_remedy_is_a_warning_for_build_and_an_error_for_check() {
    let (code, stderr) = build("trouble-without-remedy");
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.starts_with("warning: trouble entry `stuck` has no remedy\n"),
        "{stderr}"
    );
    let run = check(&fixture("trouble-without-remedy"), false);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        block(&run.stdout, "error: trouble entry `stuck` has no remedy"),
        "error: trouble entry `stuck` has no remedy\n --> content/demo/troubles.yaml:1:7\n  |\n1 | - id: stuck\n  |       ^^^^^\n  |\n  = help: add `remedy:` saying what to do, with references to the steps that fix it"
    );
}

#[test]
fn duplicate_entry_id_names_the_first() {
    let (code, _) = build("duplicate-trouble-id");
    assert_eq!(code, Some(1));
    let run = check(&fixture("duplicate-trouble-id"), false);
    assert_eq!(run.code, Some(1));
    let headline = "error: duplicate id `stuck`: trouble entry `stuck` has the same id as trouble entry `stuck` at content/demo/troubles.yaml:1:7";
    assert_eq!(
        block(&run.stdout, headline),
        format!(
            "{headline}\n --> content/demo/troubles.yaml:5:7\n  |\n5 | - id: stuck\n  |       ^^^^^\n  |\n ::: content/demo/troubles.yaml:1:7\n  |\n1 | - id: stuck\n  |       ----- trouble entry `stuck` has the id `stuck` here\n  |\n  = help: ids must be unique within a guide; rename one of them"
        )
    );
}

#[test]
fn unreachable_step_is_an_error_for_check() {
    let (code, stderr) = build("unreachable-step");
    assert_eq!(code, Some(0), "{stderr}");
    let run = check(&fixture("unreachable-step"), false);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        block(
            &run.stdout,
            "error: step `old` is not listed in any procedure, so it is not shown"
        ),
        "error: step `old` is not listed in any procedure, so it is not shown\n--> content/demo/steps/old.md\n = help: add `- old` to a procedure's `steps:` in guide.yaml, or delete the file"
    );
}

#[test]
fn misspelled_place_of_an_entry_gets_a_suggestion() {
    let run = check(&fixture("trouble-unknown-place"), false);
    assert_eq!(run.code, Some(1));
    let headline = "error: trouble entry `stuck` arises at `secnd`, which is not a step or section of this guide";
    assert_eq!(
        block(&run.stdout, headline),
        format!(
            "{headline}\n --> content/demo/troubles.yaml:4:15\n  |\n4 |   arises_at: [secnd]\n  |               ^^^^^\n  |\n  = help: did you mean `second`?"
        )
    );
}

#[test]
fn dangling_reference_is_reported_with_its_place() {
    let run = check(&fixture("unknown-step-ref"), false);
    assert_eq!(run.code, Some(1));
    let headline =
        "error: unknown reference `@secnd`: no step, section or trouble entry has this id";
    assert!(
        block(&run.stdout, headline).contains(" --> content/demo/steps/third.md:4:15\n"),
        "{}",
        run.stdout
    );
    assert!(block(&run.stdout, headline).ends_with("= help: did you mean `second`?"));
}

#[test]
fn broken_markdown_links_are_reported_where_they_are_written() {
    let run = check(&fixture("broken-markdown-link"), false);
    assert_eq!(run.code, Some(1));
    let missing = "error: broken link: `images/missing.png` points to `demo/images/missing.png`, which the site does not have";
    assert!(
        block(&run.stdout, missing).contains(" --> content/demo/steps/second.md:4:8\n"),
        "{}",
        run.stdout
    );
    let fragment = "error: broken link: `#frist`: the page `demo/index.html` has no element with id `frist` (did you mean `#first`?)";
    assert!(
        block(&run.stdout, fragment).contains(" --> content/demo/steps/second.md:4:39\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.ends_with("2 errors found\n"), "{}", run.stdout);
}

#[test]
fn json_format_gives_the_same_problems_as_objects() {
    let run = check(&fixture("many-problems"), true);
    assert_eq!(run.code, Some(1));
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        report["errors"], 4,
        "3 errors, and the unlisted step becomes one: {report:#}"
    );
    let first = &report["diagnostics"][0];
    assert_eq!(first["file"], "content/demo/guide.yaml");
    assert_eq!(first["line"], 5);
    assert_eq!(first["column"], 9);
    assert_eq!(first["severity"], "error");
    assert_eq!(
        first["message"],
        "unknown reference `@frist`: no step, section or trouble entry has this id"
    );
    assert_eq!(first["hint"], "did you mean `first`?");
}

#[test]
fn empty_site_is_clean_and_a_missing_site_yaml_is_a_problem() {
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("site.yaml"), "title: x\nbase_url: /\n").unwrap();
    std::fs::create_dir(empty.path().join("content")).unwrap();
    std::fs::write(empty.path().join("content/not-a-folder"), "").unwrap();
    let run = check(empty.path(), false);
    assert_eq!(run.code, Some(0), "an empty site is clean: {}", run.stdout);
    let missing = check(&empty.path().join("nope"), false);
    assert_eq!(
        missing.code,
        Some(1),
        "no site.yaml is a problem of the input"
    );
}

/// Every file and folder below `dir` (hidden ones too), with the bytes of the files.
fn everything(dir: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .map(|e| {
            let bytes = e
                .file_type()
                .is_file()
                .then(|| std::fs::read(e.path()).unwrap());
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

#[test]
fn check_writes_nothing_anywhere_under_the_root() {
    // The base fixture has a screenshot: a build would encode it into .tebiki-cache/.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    let base = fixture("base");
    for entry in walkdir::WalkDir::new(&base).into_iter().map(Result::unwrap) {
        let rel = entry.path().strip_prefix(&base).unwrap();
        if rel.starts_with(".tebiki-cache") {
            continue;
        }
        let to = root.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    let before = everything(dir.path());
    let run = check(&root, false);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    assert_eq!(
        everything(dir.path()),
        before,
        "check changed something under the root"
    );
    assert!(!root.join(".tebiki-cache").exists());
}

#[test]
fn a_duplicate_points_at_both_places_in_json_too() {
    let run = check(&fixture("duplicate-trouble-id"), true);
    assert_eq!(run.code, Some(1));
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let duplicate = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| {
            d["message"]
                .as_str()
                .unwrap()
                .starts_with("duplicate id `stuck`")
        })
        .unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(
        (duplicate["line"].as_u64(), duplicate["column"].as_u64()),
        (Some(5), Some(7))
    );
    let first = &duplicate["related"][0];
    assert_eq!(first["file"], "content/demo/troubles.yaml");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(1), Some(7))
    );
    assert_eq!(
        first["label"],
        "trouble entry `stuck` has the id `stuck` here"
    );
}

/// A copy of the base fixture with a vocabulary naming its 【保存】 button and 設定 screen,
/// which third.md spells out by hand (in its body and its mock-up).
fn site_with_hand_written_ui() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    common::copy_dir(&fixture("base"), &root);
    std::fs::write(
        root.join("content/demo/ui.yaml"),
        "save: {text: 保存, kind: button}\nsettings: {text: 設定, kind: screen}\nunused: {text: 削除, kind: button}\n",
    )
    .unwrap();
    (tmp, root)
}

/// Every page of a build of `root`, by path, with the vocabulary's markup taken out.
fn pages_without_ui_markup(root: &Path) -> Vec<(PathBuf, String)> {
    let out = root
        .parent()
        .unwrap()
        .join(format!("out-{}", std::process::id()));
    common::build_site(env!("CARGO_BIN_EXE_tebiki"), root, &out);
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(&out).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "html" || e == "svg") {
            let text = std::fs::read_to_string(path).unwrap();
            // <span class="ui ui-button">【保存】</span> → 【保存】
            let mut plain = String::new();
            let mut rest = text.as_str();
            while let Some(at) = rest.find("<span class=\"ui ui-") {
                plain.push_str(&rest[..at]);
                let open_end = at + rest[at..].find('>').unwrap() + 1;
                let close = open_end + rest[open_end..].find("</span>").unwrap();
                plain.push_str(&rest[open_end..close]);
                rest = &rest[close + "</span>".len()..];
            }
            plain.push_str(rest);
            pages.push((path.strip_prefix(&out).unwrap().to_path_buf(), plain));
        }
    }
    std::fs::remove_dir_all(&out).unwrap();
    pages
}

#[test]
fn a_hand_written_ui_text_is_a_warning_at_its_place_and_fix_rewrites_it() {
    let (_tmp, root) = site_with_hand_written_ui();
    let run = check(&root, false);
    assert_eq!(run.code, Some(0), "warnings only: {}", run.stdout);
    let body = block(
        &run.stdout,
        "warning: 【保存】 is written by hand; the vocabulary has it as `save`",
    );
    assert!(
        body.contains("--> content/demo/steps/third.md:11:1"),
        "{body}"
    );
    assert!(body.contains("help: write 【@save】"), "{body}");
    let mock_up = block(
        &run.stdout,
        "warning: `保存` is written by hand; the vocabulary has it as `save`",
    );
    assert!(
        mock_up.contains("--> content/demo/steps/third.md:8:40"),
        "{mock_up}"
    );
    let screen = block(
        &run.stdout,
        "warning: `設定` is written by hand; the vocabulary has it as `settings`",
    );
    assert!(
        screen.contains("--> content/demo/steps/third.md:6:13"),
        "{screen}"
    );
    let unused = block(&run.stdout, "warning: no page uses the UI text `unused`");
    assert!(unused.contains("--> content/demo/ui.yaml:3:1"), "{unused}");

    let before = pages_without_ui_markup(&root);
    let fixed = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .args(["check", "--fix", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    let said = String::from_utf8(fixed.stdout).unwrap();
    assert!(fixed.status.success(), "{said}");
    assert!(
        said.contains("-【保存】を押します。\n+【@save】を押します。"),
        "the diff: {said}"
    );
    assert!(
        said.ends_with("fixed 3 hand-written UI text(s), wrote the new place of 0 annotation(s) and recorded the anchors of 1 figure(s), in 2 file(s)\n"),
        "{said}"
    );
    let third = std::fs::read_to_string(root.join("content/demo/steps/third.md")).unwrap();
    assert!(third.contains("screen: 【@settings】"), "{third}");
    assert!(third.contains("text: 【@save】}"), "{third}");
    assert!(third.ends_with("【@save】を押します。\n"), "{third}");
    assert_eq!(
        pages_without_ui_markup(&root),
        before,
        "the pages and mock-ups are the same but for the markup of the references"
    );
    let again = check(&root, false);
    assert!(
        !again.stdout.contains("is written by hand"),
        "{}",
        again.stdout
    );
}

#[test]
fn a_ui_reference_doubled_by_what_surrounds_it_is_a_warning_and_fix_leaves_it_alone() {
    let (_tmp, root) = site_with_hand_written_ui();
    let first = root.join("content/demo/steps/first.md");
    let text = std::fs::read_to_string(&first).unwrap();
    std::fs::write(
        &first,
        format!("{text}「【@save】」を押して、【@settings】画面を開きます。\n"),
    )
    .unwrap();
    let line = text.lines().count() + 1;
    let run = check(&root, false);
    assert_eq!(run.code, Some(0), "warnings only: {}", run.stdout);
    let brackets = block(
        &run.stdout,
        "warning: 「【@save】」 is shown as 「【保存】」: 【@save】 is already shown as 【保存】",
    );
    assert!(
        brackets.contains(&format!("--> content/demo/steps/first.md:{line}:1")),
        "{brackets}"
    );
    assert!(
        brackets.contains("help: write 【@save】 alone"),
        "{brackets}"
    );
    let word = block(
        &run.stdout,
        "warning: 【@settings】画面 is shown as 「設定」画面画面: 【@settings】 is already shown as 「設定」画面",
    );
    assert!(
        word.contains(&format!("--> content/demo/steps/first.md:{line}:15")),
        "{word}"
    );
    let fixed = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .args(["check", "--fix", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(fixed.status.success());
    let now = std::fs::read_to_string(&first).unwrap();
    assert!(
        now.ends_with("\n【@save】を押して、【@settings】を開きます。\n"),
        "{now}"
    );
}

/// The screenshots fixture documenting App 2.0, two of its screenshots captured in 1.9 and one
/// in 2.0.
fn site_with_an_app_version() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    common::copy_dir(&fixture("screenshots"), &root);
    let guide = root.join("content/phone");
    let edit = |rel: &str, from: &str, to: &str| {
        let path = guide.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "guide.yaml",
        "sections:\n",
        "app: {name: App, version: '2.0'}\nsections:\n",
    );
    edit(
        "steps/sign-in.md",
        "image:\n",
        "image:\n  captured: {version: '1.9', date: 2026-11-20}\n",
    );
    edit(
        "steps/approve.md",
        "image:\n",
        "image:\n  captured: {version: '1.9'}\n",
    );
    edit(
        "steps/done.md",
        "image:\n",
        "image:\n  captured: {version: '2.0'}\n",
    );
    (tmp, root)
}

#[test]
fn screenshots_of_an_older_app_version_are_listed_by_step_in_text_and_json() {
    let (_tmp, root) = site_with_an_app_version();
    let run = check(&root, false);
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    let first = block(
        &run.stdout,
        "warning: Step 1 shows App 1.9, older than the 2.0 the guide documents",
    );
    assert!(
        first.contains("--> content/phone/steps/sign-in.md:4:23"),
        "{first}"
    );
    assert!(
        first.contains("help: take the screenshot again in App 2.0"),
        "{first}"
    );
    block(
        &run.stdout,
        "warning: Step 2 shows App 1.9, older than the 2.0 the guide documents",
    );
    assert!(
        !run.stdout.contains("Step 3 shows"),
        "the current version is not listed"
    );

    let json = check(&root, true);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let stale: Vec<(&str, u64)> = value["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains("older than"))
        .map(|d| (d["file"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        stale,
        [
            ("content/phone/steps/approve.md", 4),
            ("content/phone/steps/sign-in.md", 4)
        ]
    );

    let (code, stderr) = {
        let out = tempfile::tempdir().unwrap();
        let output = Command::cargo_bin("tebiki")
            .unwrap()
            .env("LC_ALL", "C")
            .args(["build", "--root"])
            .arg(&root)
            .arg("--output-dir")
            .arg(out.path().join("p"))
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8(output.stderr).unwrap(),
        )
    };
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(
            "2 screenshot(s) show an older version of the app than their guide documents"
        ),
        "{stderr}"
    );
}

/// With `images.stale_note: true` a note says so under each screenshot of an older version;
/// by default there is none.
#[test]
fn the_page_notes_an_older_screenshot_only_when_the_site_asks() {
    let (_tmp, root) = site_with_an_app_version();
    let notes = |root: &Path| -> Vec<(String, String)> {
        let out = root.parent().unwrap().join("out");
        let _ = std::fs::remove_dir_all(&out);
        common::build_site(env!("CARGO_BIN_EXE_tebiki"), root, &out);
        let page = scraper::Html::parse_document(
            &std::fs::read_to_string(out.join("phone/index.html")).unwrap(),
        );
        let sel = scraper::Selector::parse("article.step").unwrap();
        let note = scraper::Selector::parse("figcaption.figure-stale").unwrap();
        page.select(&sel)
            .filter_map(|a| {
                let n = a.select(&note).next()?;
                Some((a.value().id().unwrap().to_owned(), n.text().collect()))
            })
            .collect()
    };
    assert_eq!(notes(&root), Vec::<(String, String)>::new());
    let site = root.join("site.yaml");
    let text = std::fs::read_to_string(&site).unwrap();
    std::fs::write(
        &site,
        text.replace("images:\n", "images:\n  stale_note: true\n"),
    )
    .unwrap();
    assert_eq!(
        notes(&root),
        [
            (
                "sign-in".to_owned(),
                "This is App 1.9; the app may look different now.".to_owned()
            ),
            (
                "approve".to_owned(),
                "This is App 1.9; the app may look different now.".to_owned()
            ),
        ]
    );
}

/// `tebiki check --fix` on `root`, which must succeed.
fn fix(root: &Path) {
    let fixed = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .args(["check", "--fix", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        fixed.status.success(),
        "{}",
        String::from_utf8_lossy(&fixed.stderr)
    );
}

/// The picture at `path` encoded again: the same pixels in other bytes (a screenshot "taken
/// again" of a screen that did not change).
fn reencoded(path: &Path) -> Vec<u8> {
    let pixels = image::open(path).unwrap();
    let mut bytes = Vec::new();
    pixels
        .write_with_encoder(image::codecs::png::PngEncoder::new_with_quality(
            &mut bytes,
            image::codecs::png::CompressionType::Best,
            image::codecs::png::FilterType::Paeth,
        ))
        .unwrap();
    bytes
}

/// A failure sign's picture counts like a step's: listed at its `captured.version`; and a
/// screenshot taken again whose anchors are all found (the screen did not change) is not.
#[test]
fn trouble_pictures_count_and_anchored_retakes_do_not() {
    let (_tmp, root) = site_with_an_app_version();
    let guide = root.join("content/phone");
    std::fs::write(
        guide.join("troubles.yaml"),
        "- id: no-code\n  symptom: コードが届かない\n  remedy: '[](@sign-in) からやり直します。'\n  arises_at: [approve]\n  image:\n    src: images/approve.png\n    alt: コードの入力画面\n    captured: {version: '1.8'}\n",
    )
    .unwrap();
    let run = check(&root, false);
    let sign = block(
        &run.stdout,
        "warning: the picture of trouble entry `no-code` shows App 1.8, older than the 2.0 the guide documents",
    );
    assert!(
        sign.contains("--> content/phone/troubles.yaml:8:25"),
        "{sign}"
    );

    // Anchors recorded, then sign-in.png "taken again": the same pixels in new bytes.
    fix(&root);
    assert!(guide.join("anchors.yaml").is_file());
    let shot = guide.join("images/sign-in.png");
    let bytes = reencoded(&shot);
    assert_ne!(bytes, std::fs::read(&shot).unwrap(), "new bytes");
    std::fs::write(&shot, bytes).unwrap();
    let run = check(&root, false);
    assert!(
        !run.stdout.contains("Step 1 shows App 1.9"),
        "every anchor of the retaken screenshot is found: {}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Step 2 shows App 1.9"),
        "{}",
        run.stdout
    );

    // check --fix records the retake as verified for App 2.0: it stays off the list.
    fix(&root);
    let anchors = std::fs::read_to_string(guide.join("anchors.yaml")).unwrap();
    assert!(anchors.contains("verified_for: \"2.0\""), "{anchors}");
    let run = check(&root, false);
    assert!(
        !run.stdout.contains("Step 1 shows App 1.9"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Step 2 shows App 1.9"),
        "{}",
        run.stdout
    );
}

/// A mask with no anchor (written by hand after the anchors were taken) on a screenshot taken
/// again: nothing says it still hides what it hid, so the build fails at the mask's line.
#[test]
fn a_mask_without_an_anchor_on_a_retaken_screenshot_stops_the_build() {
    let (tmp, root) = site_with_an_app_version();
    fix(&root);
    let step = root.join("content/phone/steps/sign-in.md");
    let text = std::fs::read_to_string(&step).unwrap();
    let at = text.find("  annotations:\n").expect("an annotations list") + "  annotations:\n".len();
    let mut edited = text.clone();
    edited.insert_str(at, "    - {shape: mask, x: 10, y: 10, w: 40, h: 20}\n");
    std::fs::write(&step, &edited).unwrap();
    let line = edited[..at].lines().count() + 1;
    let shot = root.join("content/phone/images/sign-in.png");
    let bytes = reencoded(&shot);
    std::fs::write(&shot, bytes).unwrap();
    let out = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output-dir")
        .arg(tmp.path().join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let said = block(
        &stderr,
        "error: images/sign-in.png was taken again, and this mask has no anchor to follow: tebiki cannot tell whether it still hides what it hid",
    );
    assert!(
        said.contains(&format!("--> content/phone/steps/sign-in.md:{line}:")),
        "{said}"
    );
    assert!(!tmp.path().join("out").exists(), "nothing was published");
}
