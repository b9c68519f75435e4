//! Bad and hostile input, one test per class. Each test copies the small good site
//! `tests/fixtures/base/` into a temporary folder, builds it once (the "previous output"),
//! changes one thing, and runs the real binary again. It asserts the exit code, the
//! diagnostic's message, its `file:line:col` and hint, and that the previous output is still
//! there, byte for byte. (The older fixtures of `tests/errors.rs` are the other 18 classes.)
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// A copy of the base site with a finished build in `out`.
struct Case {
    dir: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
    before: BTreeMap<PathBuf, Vec<u8>>,
}

/// What a run printed and how it ended.
struct Run {
    code: Option<i32>,
    stderr: String,
    stdout: String,
}

impl Case {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        common::copy_dir(&fixture(), &root);
        let _ = std::fs::remove_dir_all(root.join(".tebiki-cache"));
        let out = dir.path().join("out");
        let first = run_in(&root, &["build", "--output-dir"], Some(&out));
        assert_eq!(
            first.code,
            Some(0),
            "the base site builds:\n{}",
            first.stderr
        );
        let before = common::tree(&out);
        Self {
            dir,
            root,
            out,
            before,
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    /// Replaces `from` (which must occur) with `to` in the file `rel`.
    fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let text = std::fs::read_to_string(self.path(rel)).unwrap();
        assert!(text.contains(from), "{rel} has no `{from}`");
        self.write(rel, text.replacen(from, to, 1))
    }

    fn build(&self) -> Run {
        run_in(&self.root, &["build", "--output-dir"], Some(&self.out))
    }

    fn check(&self) -> Run {
        run_in(&self.root, &["check"], None)
    }

    /// The output of the first build is there, unchanged.
    fn assert_output_unchanged(&self) {
        assert!(
            common::tree(&self.out) == self.before,
            "the previous output changed"
        );
    }

    /// A build that fails with `code`, reporting `message` at `location` with `hint`, and
    /// leaving the previous output as it was.
    fn fails(&self, code: i32, message: &str, location: &str, hint: &str) -> Run {
        let run = self.build();
        assert_eq!(run.code, Some(code), "exit code; stderr:\n{}", run.stderr);
        assert_diagnostic(&run.stderr, "error", message, location, hint);
        self.assert_output_unchanged();
        run
    }

    /// A build that succeeds with the warning `message` at `location`.
    fn warns(&self, message: &str, location: &str, hint: &str) -> Run {
        let run = self.build();
        assert_eq!(run.code, Some(0), "exit code; stderr:\n{}", run.stderr);
        assert_diagnostic(&run.stderr, "warning", message, location, hint);
        run
    }
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base")
}

/// Runs tebiki *inside* the site folder (no `--root`), as an author does.
fn run_in(root: &Path, args: &[&str], out: Option<&Path>) -> Run {
    let mut cmd = Command::cargo_bin("tebiki").unwrap();
    cmd.env("LC_ALL", "C");
    cmd.current_dir(root).args(args);
    if let Some(out) = out {
        cmd.arg(out);
    }
    finish(
        &cmd.timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap(),
    )
}

fn finish(output: &Output) -> Run {
    let run = Run {
        code: output.status.code(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// Asserts that `stderr` holds a `level` diagnostic with this message, location and hint.
fn assert_diagnostic(stderr: &str, level: &str, message: &str, location: &str, hint: &str) {
    let head = format!("{level}: {message}");
    let block = stderr
        .split("\n\n")
        .map(|b| b.trim_start_matches('\n'))
        .find(|b| b.lines().next() == Some(head.as_str()))
        .unwrap_or_else(|| panic!("no `{head}` in:\n{stderr}"));
    let lines: Vec<&str> = block.lines().collect();
    assert!(
        lines.len() > 1 && lines[1].trim_start() == format!("--> {location}"),
        "location `{location}`:\n{block}"
    );
    let help = lines
        .iter()
        .find_map(|l| l.trim_start().strip_prefix("= help: "))
        .unwrap_or_else(|| panic!("no hint:\n{block}"));
    assert!(help.contains(hint), "hint `{hint}`:\n{block}");
}

fn guide_page(out: &Path) -> scraper::Html {
    scraper::Html::parse_document(&std::fs::read_to_string(out.join("demo/index.html")).unwrap())
}

fn text_of(page: &scraper::Html, css: &str) -> String {
    let selector = scraper::Selector::parse(css).unwrap();
    page.select(&selector)
        .map(|e| e.text().collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs `args` as the unprivileged user `nobody` when the tests run as root (which reads any
/// file whatever its mode), so that permissions mean what they say.
fn run_unprivileged(root: &Path, args: &[&str]) -> Run {
    let bin = assert_cmd::cargo::cargo_bin("tebiki");
    let is_root = std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"));
    let mut cmd = if is_root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin);
        c
    } else {
        std::process::Command::new(bin)
    };
    cmd.current_dir(root).env("LC_ALL", "C").args(args);
    finish(&cmd.output().unwrap())
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A PNG header claiming `width`×`height` pixels, with no pixel data: enough to be measured.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(b"IHDR");
    png.extend_from_slice(&ihdr);
    png.extend_from_slice(&[0, 0, 0, 0]);
    png
}

// --- What reaches the page ---------------------------------------------------------------

#[test]
fn script_like_text_in_a_step_keeps_the_page_whole() {
    let case = Case::new();
    let sentence = "古いブラウザ向けに `<!--` で `<script>` の中身を隠す書き方があります。";
    case.edit(
        "content/demo/steps/first.md",
        "左上のメニューを開きます。",
        sentence,
    );
    let run = case.build();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        !run.stderr.contains("warning"),
        "code spans are text:\n{}",
        run.stderr
    );
    let page = guide_page(&case.out);
    // The parser must reach the steps after the JSON-LD: the page is not swallowed as script.
    assert!(text_of(&page, "#first").contains("の中身を隠す書き方があります。"));
    assert!(text_of(&page, "#third").contains("保存する"));
    assert!(text_of(&page, ".site-footer").contains("Generated by"));
    let json = text_of(&page, "script[type=\"application/ld+json\"]");
    let howto: serde_json::Value = serde_json::from_str(&json).unwrap();
    let text = howto["step"][0]["itemListElement"][0]["text"]
        .as_str()
        .unwrap();
    assert!(text.contains("<!-- で <script>"), "{text}");
    assert!(!json.contains('<'), "no raw `<` in inline JSON: {json}");
}

#[test]
fn raw_script_in_markdown_is_a_warning() {
    let case = Case::new();
    case.edit(
        "content/demo/steps/first.md",
        "左上のメニューを開きます。",
        "左上のメニューを開きます。\n\n<script>alert(1)</script>",
    );
    case.warns(
        "the content contains a <script> element, which runs in the reader's browser",
        "content/demo/steps/first.md:6:1",
        "tebiki publishes raw HTML as written",
    );
}

#[test]
fn inline_event_handler_is_a_warning() {
    let case = Case::new();
    case.edit(
        "content/demo/steps/first.md",
        "左上の",
        "<img src=\"x.png\" alt=\"\" onerror=\"alert(1)\">左上の",
    );
    case.warns(
        "the content contains an inline event handler, which runs in the reader's browser",
        "content/demo/steps/first.md:4:25",
        "remove the script",
    );
}

#[test]
fn javascript_link_is_a_warning_in_check_too() {
    let case = Case::new();
    case.edit(
        "content/demo/steps/first.md",
        "左上のメニュー",
        "左上の[メニュー](javascript:alert(1))",
    );
    let run = case.check();
    assert_eq!(run.code, Some(0), "{}", run.stdout);
    assert_diagnostic(
        &run.stdout,
        "warning",
        "the content contains a javascript: URL, which runs in the reader's browser",
        "content/demo/steps/first.md:4:11",
        "remove the script",
    );
}

#[test]
fn a_label_with_markup_is_text() {
    let case = Case::new();
    case.write(
        "site.yaml",
        "title: Fixture\nbase_url: https://fixture.test/\nlabels:\n  list_separator: \"<b>、</b>\"\n  toc: \"<i>目次</i>\"\n",
    );
    let run = case.build();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let page = guide_page(&case.out);
    assert!(text_of(&page, ".toc-toggle").contains("<i>目次</i>"));
    let shared = text_of(&page, ".step-shared");
    assert!(!shared.is_empty(), "the first step is shared");
    let selector = scraper::Selector::parse(".toc b, .toc i, .step-shared b").unwrap();
    assert_eq!(
        page.select(&selector).count(),
        0,
        "labels never become tags"
    );
}

// --- Paths stay inside the site --------------------------------------------------------

#[test]
fn step_file_outside_the_site_with_the_default_root() {
    let case = Case::new();
    let secret = case.root.parent().unwrap().join("secret.md");
    std::fs::write(&secret, "---\ntitle: 秘密\n---\nSECRET-TEXT\n").unwrap();
    case.edit(
        "content/demo/guide.yaml",
        "      - third\n",
        "      - third\n      - {id: leak, file: ../../../secret.md}\n",
    );
    let run = case.fails(
        1,
        "the file of step `leak` (../../../secret.md) is outside the site folder",
        "content/demo/guide.yaml:18:26",
        "keep the step's file inside the site folder",
    );
    assert!(!run.stderr.contains("SECRET-TEXT"));
}

#[test]
fn step_id_with_dot_dot_never_becomes_a_path() {
    let case = Case::new();
    let secret = case.root.parent().unwrap().join("x.md");
    std::fs::write(&secret, "---\ntitle: SECRET-TITLE\n---\nSECRET-TEXT\n").unwrap();
    case.edit(
        "content/demo/guide.yaml",
        "      - third\n",
        "      - ../../../x\n",
    );
    let run = case.fails(
        1,
        "`../../../x` is not a valid id",
        "content/demo/guide.yaml:17:9",
        "use lower-case ASCII letters, digits and `-`",
    );
    assert!(!run.stderr.contains("SECRET"), "{}", run.stderr);
    assert!(!run.stderr.contains("does not exist"), "{}", run.stderr);
}

#[test]
fn folder_link_out_of_the_site_keeps_pictures_in() {
    let case = Case::new();
    let outside = case.root.parent().unwrap().join("private");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::copy(
        case.path("content/demo/images/screen.png"),
        outside.join("photo.png"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&outside, case.path("content/demo/private")).unwrap();
    case.edit(
        "content/demo/steps/second.md",
        "images/screen.png",
        "private/photo.png",
    );
    case.fails(
        1,
        "the image `private/photo.png` is reached through a link that leads outside the site folder",
        "content/demo/steps/second.md:4:8",
        "copy the picture into the site folder",
    );
}

#[test]
fn static_file_linked_out_of_the_site() {
    let case = Case::new();
    let outside = case.root.parent().unwrap().join("id_rsa");
    std::fs::write(&outside, "PRIVATE KEY").unwrap();
    std::fs::create_dir_all(case.path("static")).unwrap();
    std::os::unix::fs::symlink(&outside, case.path("static/key.txt")).unwrap();
    case.fails(
        1,
        "the theme or static file static/key.txt is reached through a link that leads outside the site folder",
        "static/key.txt",
        "copy the file into the site folder",
    );
}

#[test]
fn template_linked_out_of_the_site() {
    let case = Case::new();
    let outside = case.root.parent().unwrap().join("guide.html");
    std::fs::write(&outside, "{{ 1 }}").unwrap();
    std::fs::create_dir_all(case.path("templates")).unwrap();
    std::os::unix::fs::symlink(&outside, case.path("templates/guide.html")).unwrap();
    case.fails(
        1,
        "the theme or static file templates/guide.html is reached through a link that leads outside the site folder",
        "templates/guide.html",
        "copy the file into the site folder",
    );
}

#[test]
fn guide_folder_linked_out_of_the_site() {
    let case = Case::new();
    let outside = case.root.parent().unwrap().join("other");
    common::copy_dir(&case.path("content/demo"), &outside);
    std::os::unix::fs::symlink(&outside, case.path("content/leak")).unwrap();
    case.fails(
        1,
        "the guide folder content/leak is reached through a link that leads outside the site folder",
        "content/leak",
        "copy the file into the site folder",
    );
}

#[test]
fn theme_name_that_is_a_path() {
    let case = Case::new();
    case.write(
        "site.yaml",
        "title: Fixture\nbase_url: https://fixture.test/\ntheme: ../../x\n",
    );
    case.fails(
        1,
        "`../../x` is not a theme name",
        "site.yaml:3:8",
        "write the name of a folder in themes/",
    );
}

#[test]
fn step_file_that_is_a_folder() {
    let case = Case::new();
    std::fs::create_dir_all(case.path("content/demo/steps/fourth.md")).unwrap();
    case.edit(
        "content/demo/guide.yaml",
        "      - third\n",
        "      - third\n      - fourth\n",
    );
    case.fails(
        1,
        "the file of step `fourth` (steps/fourth.md) is a folder, not a file",
        "content/demo/guide.yaml:18:9",
        "name the step's .md file",
    );
}

#[test]
fn one_step_id_with_two_files() {
    let case = Case::new();
    case.write(
        "content/shared/open-menu.md",
        "---\ntitle: 共有のメニュー\n---\n共有です。\n",
    );
    case.edit(
        "content/demo/guide.yaml",
        "      - first\n    ",
        "      - first\n      - {id: first, file: ../shared/open-menu.md}\n    ",
    );
    case.fails(
        1,
        "step `first` is given two different files: content/shared/open-menu.md here, and content/demo/steps/first.md at content/demo/guide.yaml:15:9",
        "content/demo/guide.yaml:16:9",
        "one id names one step",
    );
}

// --- Text that is not what it seems ---------------------------------------------------

#[test]
fn byte_order_mark_before_the_first_key_is_ignored() {
    let case = Case::new();
    let guide = std::fs::read(case.path("content/demo/guide.yaml")).unwrap();
    case.write(
        "content/demo/guide.yaml",
        [b"\xEF\xBB\xBF".as_slice(), &guide].concat(),
    );
    let step = std::fs::read(case.path("content/demo/steps/first.md")).unwrap();
    case.write(
        "content/demo/steps/first.md",
        [b"\xEF\xBB\xBF".as_slice(), &step].concat(),
    );
    let run = case.build();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        text_of(&guide_page(&case.out), ".guide-title"),
        "デモの手引き"
    );
}

#[test]
fn byte_order_mark_does_not_hide_the_real_error() {
    let case = Case::new();
    case.write(
        "site.yaml",
        "\u{feff}titel: Fixture\nbase_url: https://fixture.test/\n",
    );
    case.fails(
        1,
        "unknown field `titel`, expected one of `title`, `base_url`, `language`, `description`, `author`, `theme`, `output_dir`, `labels`, `extra`, `max_megapixels`, `twitter_site`, `robots`, `og_font`, `publish`, `images`, `characters`, `markdown`, `search`",
        "site.yaml:1:1",
        "did you mean `title`?",
    );
}

#[test]
fn invalid_utf8_in_guide_yaml_points_at_the_byte() {
    let case = Case::new();
    let mut guide = std::fs::read(case.path("content/demo/guide.yaml")).unwrap();
    // Shift_JIS for 「手引き」 in the description (line 2).
    let at = guide
        .windows(9)
        .position(|w| w == "テスト".as_bytes())
        .unwrap();
    guide.splice(at..at + 9, [0x8E, 0xE8, 0x88, 0xF8, 0x82, 0xAB]);
    case.write("content/demo/guide.yaml", guide);
    case.fails(
        1,
        "this file is not UTF-8 text: byte 0x8E at line 2, column 14 is not valid UTF-8",
        "content/demo/guide.yaml:2:14",
        "save the file as UTF-8",
    );
}

#[test]
fn invalid_utf8_in_a_step_body() {
    let case = Case::new();
    case.write(
        "content/demo/steps/third.md",
        b"---\ntitle: ok\n---\nline one\nab\xFF\xFEcd\n".as_slice(),
    );
    case.fails(
        1,
        "this file is not UTF-8 text: byte 0xFF at line 5, column 3 is not valid UTF-8",
        "content/demo/steps/third.md:5:3",
        "save the file as UTF-8",
    );
}

#[test]
fn tab_indentation_is_reported_on_its_line() {
    let case = Case::new();
    case.edit(
        "content/demo/guide.yaml",
        "\n  - id: undo",
        "\n\t- id: undo",
    );
    case.fails(
        1,
        "a tab character indents this line, but YAML allows only spaces",
        "content/demo/guide.yaml:18:1",
        "YAML is indented with spaces, not tabs",
    );
}

#[test]
fn tab_inside_a_value_is_reported_at_the_tab() {
    let case = Case::new();
    case.edit(
        "content/demo/guide.yaml",
        "published: 2026-01-01\n",
        "published: 2026-01-01\n\tupdated: x\n",
    );
    case.fails(
        1,
        "a tab character indents this line, but YAML allows only spaces",
        "content/demo/guide.yaml:4:1",
        "YAML is indented with spaces, not tabs",
    );
}

#[test]
fn unclosed_flow_list_is_shown_at_its_bracket() {
    let case = Case::new();
    case.edit(
        "content/demo/guide.yaml",
        "description: テスト用の小さな手引きです。",
        "description: [テスト用の小さな手引きです。",
    );
    case.fails(
        1,
        "description: wrong kind of value: sequence, expected a string",
        "content/demo/guide.yaml:2:14",
        "put it in quotes if it starts with `[`",
    );
}

#[test]
fn colon_and_space_inside_a_value() {
    let case = Case::new();
    case.edit(
        "content/demo/steps/first.md",
        "title: メニューを開く",
        "title: 手順: メニューを開く",
    );
    case.fails(
        1,
        "a `: ` where no new key can start",
        "content/demo/steps/first.md:2:10",
        "the value contains `: `; put the whole value in quotes",
    );
}

#[test]
fn value_starting_with_a_reserved_character() {
    let case = Case::new();
    case.edit(
        "content/demo/steps/first.md",
        "title: メニューを開く",
        "title: @メニューを開く",
    );
    case.fails(
        1,
        "a value cannot start with `@`",
        "content/demo/steps/first.md:2:8",
        "put the value in quotes",
    );
}

#[test]
fn duplicate_key_in_guide_yaml_is_shown_at_its_second_place() {
    let case = Case::new();
    case.edit(
        "content/demo/guide.yaml",
        "published: 2026-01-01\n",
        "published: 2026-01-01\ntitle: 二つ目\n",
    );
    case.fails(
        1,
        "`title` is written twice in the same mapping",
        "content/demo/guide.yaml:4:1",
        "the first `title` is at line 1",
    );
}

#[test]
fn duplicate_key_in_a_nested_mapping() {
    let case = Case::new();
    case.edit(
        "content/demo/guide.yaml",
        "    title: 元に戻す\n",
        "    title: 元に戻す\n    kind: procedure\n",
    );
    case.fails(
        1,
        "`kind` is written twice in the same mapping",
        "content/demo/guide.yaml:21:5",
        "the first `kind` is at line 19",
    );
}

#[test]
fn duplicate_key_in_front_matter() {
    let case = Case::new();
    case.edit(
        "content/demo/steps/first.md",
        "title: メニューを開く\n",
        "title: メニューを開く\ntitle: もう一度\n",
    );
    case.fails(
        1,
        "`title` is written twice in the same mapping",
        "content/demo/steps/first.md:3:1",
        "the first `title` is at line 2",
    );
}

#[test]
fn duplicate_label_in_site_yaml() {
    let case = Case::new();
    case.write(
        "site.yaml",
        "title: Fixture\nbase_url: https://fixture.test/\nlabels:\n  toc: もくじ\n  toc: 目次\n",
    );
    case.fails(
        1,
        "`toc` is written twice in the same mapping",
        "site.yaml:5:3",
        "the first `toc` is at line 4",
    );
}

#[test]
fn impossible_calendar_date() {
    let case = Case::new();
    case.edit("content/demo/guide.yaml", "2026-02-01", "2026-02-31");
    case.fails(
        1,
        "`2026-02-31` is not a date",
        "content/demo/guide.yaml:4:10",
        "write a real calendar date as YYYY-MM-DD",
    );
}

#[test]
fn date_in_another_format() {
    let case = Case::new();
    case.edit(
        "content/demo/guide.yaml",
        "published: 2026-01-01",
        "published: 2026/01/01",
    );
    case.fails(
        1,
        "`2026/01/01` is not a date",
        "content/demo/guide.yaml:3:12",
        "YYYY-MM-DD",
    );
}

#[test]
fn control_characters_in_an_id_do_not_reach_the_terminal() {
    let case = Case::new();
    case.edit(
        "content/demo/guide.yaml",
        "      - third\n",
        "      - \"th\\e[2J\\aird\"\n",
    );
    let run = case.fails(
        1,
        "`th\\u{1b}[2J\\u{7}ird` is not a valid id",
        "content/demo/guide.yaml:17:9",
        "use lower-case ASCII letters",
    );
    assert!(!run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{7}'));
}

// --- site.yaml ------------------------------------------------------------------------

#[test]
fn base_url_with_a_script_scheme() {
    let case = Case::new();
    case.write(
        "site.yaml",
        "title: Fixture\nbase_url: javascript:alert(1)\n",
    );
    case.fails(
        1,
        "`base_url` must be the site's address, an absolute http(s) URL: `javascript:` is not http or https",
        "site.yaml:2:11",
        "e.g. https://example.com/",
    );
}

#[test]
fn base_url_that_is_no_url() {
    let case = Case::new();
    case.write("site.yaml", "title: Fixture\nbase_url: example.com\n");
    case.fails(
        1,
        "`base_url` must be the site's address, an absolute http(s) URL: `example.com` has no `https://`",
        "site.yaml:2:11",
        "e.g. https://example.com/",
    );
}

#[test]
fn base_url_from_the_command_line_is_checked_too() {
    let case = Case::new();
    let run = run_in(
        &case.root,
        &[
            "build",
            "--base-url",
            "https://a.test/\"><script>",
            "--output-dir",
        ],
        Some(&case.out),
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("error: `base_url` must be the site's address, an absolute http(s) URL: it contains '\"', which a URL cannot hold"),
        "{}",
        run.stderr
    );
    case.assert_output_unchanged();
}

#[test]
fn unknown_language() {
    let case = Case::new();
    case.write(
        "site.yaml",
        "title: Fixture\nbase_url: https://fixture.test/\nlanguage: jp\n",
    );
    case.fails(
        1,
        "unsupported language `jp`",
        "site.yaml:3:11",
        "use one of ja, en",
    );
}

#[test]
fn unknown_label_suggests_the_known_one() {
    let case = Case::new();
    case.write(
        "site.yaml",
        "title: Fixture\nbase_url: https://fixture.test/\nlabels:\n  tco: もくじ\n",
    );
    case.fails(
        1,
        "unknown label `tco`",
        "site.yaml:4:3",
        "did you mean `toc`?",
    );
}

#[test]
fn pixel_budget_out_of_range() {
    let case = Case::new();
    case.write(
        "site.yaml",
        "title: Fixture\nbase_url: https://fixture.test/\nmax_megapixels: .inf\n",
    );
    case.fails(
        1,
        "`max_megapixels: inf` is out of range",
        "site.yaml:3:17",
        "from 0.1 to 1000",
    );
}

#[test]
fn yaml_alias_bomb_is_refused_quickly() {
    let case = Case::new();
    let mut yaml = String::from(
        "title: Fixture\nbase_url: https://fixture.test/\nextra:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        let _ = writeln!(yaml, "  a{i}: &a{i} [{refs}]");
    }
    case.write("site.yaml", yaml);
    let started = std::time::Instant::now();
    let run = case.build();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("error: repetition limit exceeded"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help: this YAML repeats aliases"),
        "{}",
        run.stderr
    );
    assert!(started.elapsed().as_secs() < 20);
    case.assert_output_unchanged();
}

#[test]
fn yaml_nested_too_deeply() {
    let case = Case::new();
    let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
    case.write(
        "site.yaml",
        format!("title: Fixture\nbase_url: https://fixture.test/\nextra:\n  x: {deep}\n"),
    );
    let run = case.build();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("recursion limit exceeded"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--> site.yaml:4:"), "{}", run.stderr);
    case.assert_output_unchanged();
}

// --- guide.yaml and step files ------------------------------------------------------

#[test]
fn content_folder_without_guide_yaml_is_a_warning() {
    let case = Case::new();
    std::fs::create_dir_all(case.path("content/drafts/steps")).unwrap();
    case.warns(
        "the folder content/drafts has no guide.yaml, so it is not built",
        "content/drafts",
        "add a guide.yaml to make it a guide",
    );
}

#[test]
fn guide_file_with_the_yml_extension() {
    let case = Case::new();
    std::fs::rename(
        case.path("content/demo/guide.yaml"),
        case.path("content/demo/guide.yml"),
    )
    .unwrap();
    case.fails(
        1,
        "a guide file must be called guide.yaml",
        "content/demo/guide.yml",
        "rename guide.yml to guide.yaml",
    );
}

#[test]
fn guide_folder_name_that_is_no_slug() {
    let case = Case::new();
    std::fs::rename(case.path("content/demo"), case.path("content/Demo Guide")).unwrap();
    case.fails(
        1,
        "the guide folder name `Demo Guide` cannot be used as a URL slug",
        "content/Demo Guide",
        "use lower-case ASCII letters",
    );
}

#[test]
fn empty_guide_yaml() {
    let case = Case::new();
    case.write("content/demo/guide.yaml", "");
    let run = case.build();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("--> content/demo/guide.yaml"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("missing field `title`") || run.stderr.contains("EOF"),
        "{}",
        run.stderr
    );
    case.assert_output_unchanged();
}

#[test]
fn guide_yaml_that_is_a_list() {
    let case = Case::new();
    case.write("content/demo/guide.yaml", "- first\n- second\n");
    case.fails(
        1,
        "wrong kind of value: sequence, expected a mapping (`key: value` lines)",
        "content/demo/guide.yaml:1:1",
        "write `key: value` lines here",
    );
}

#[test]
fn front_matter_that_is_not_a_mapping() {
    let case = Case::new();
    case.write("content/demo/steps/first.md", "---\n- a\n- b\n---\n本文\n");
    case.fails(
        1,
        "wrong kind of value: sequence, expected a mapping (`key: value` lines)",
        "content/demo/steps/first.md:2:1",
        "write `key: value` lines here",
    );
}

#[test]
fn upper_case_section_id() {
    let case = Case::new();
    case.edit("content/demo/guide.yaml", "  - id: undo", "  - id: Undo");
    case.fails(
        1,
        "`Undo` is not a valid id",
        "content/demo/guide.yaml:18:9",
        "use lower-case ASCII letters",
    );
}

#[test]
fn windows_line_endings_keep_positions_right() {
    let case = Case::new();
    case.write(
        "content/demo/steps/third.md",
        "---\r\ntitle: 保存する\r\n---\r\n一行目です。\r\n戻るときは [](@frist) へ。\r\n",
    );
    case.fails(
        1,
        "unknown reference `@frist`: no step, section or trouble entry has this id",
        "content/demo/steps/third.md:5:10",
        "did you mean",
    );
}

// --- Pictures ---------------------------------------------------------------------------

#[test]
fn picture_over_the_pixel_budget_is_refused_before_decoding() {
    let case = Case::new();
    case.write("content/demo/images/screen.png", png_header(20_000, 20_000));
    case.fails(
        1,
        "the image `images/screen.png` is 20000×20000 pixels (400 megapixels), more than the 50 megapixels tebiki decodes",
        "content/demo/steps/second.md:4:8",
        "raise `max_megapixels:` in site.yaml",
    );
}

#[test]
fn picture_over_a_lower_budget_set_in_site_yaml() {
    let case = Case::new();
    case.write(
        "site.yaml",
        "title: Fixture\nbase_url: https://fixture.test/\nmax_megapixels: 0.1\n",
    );
    case.write("content/demo/images/screen.png", png_header(400, 400));
    case.fails(
        1,
        "the image `images/screen.png` is 400×400 pixels (0.2 megapixels), more than the 0.1 megapixels tebiki decodes",
        "content/demo/steps/second.md:4:8",
        "make the picture smaller",
    );
}

#[test]
fn picture_that_is_no_picture() {
    let case = Case::new();
    case.write("content/demo/images/screen.png", "これは画像ではありません");
    case.fails(
        1,
        "the image `images/screen.png` cannot be read as a picture",
        "content/demo/steps/second.md:4:8",
        "use a PNG, JPEG, WebP or SVG",
    );
}

#[test]
fn picture_whose_data_is_broken() {
    let case = Case::new();
    case.write("content/demo/images/screen.png", png_header(40, 60));
    let run = case.build();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: could not process the picture images/screen.png"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> content/demo/images/screen.png"),
        "{}",
        run.stderr
    );
    case.assert_output_unchanged();
}

#[test]
fn picture_that_is_a_folder() {
    let case = Case::new();
    std::fs::create_dir_all(case.path("content/demo/images/shots")).unwrap();
    case.edit(
        "content/demo/steps/second.md",
        "images/screen.png",
        "images/shots",
    );
    case.fails(
        1,
        "the image `images/shots` is a folder, not a picture",
        "content/demo/steps/second.md:4:8",
        "name the picture's file",
    );
}

#[test]
fn picture_with_an_absolute_path() {
    let case = Case::new();
    case.edit(
        "content/demo/steps/second.md",
        "images/screen.png",
        "/etc/passwd",
    );
    case.fails(
        1,
        "the image `/etc/passwd` is not a path inside the site folder",
        "content/demo/steps/second.md:4:8",
        "keep the picture inside the site folder",
    );
}

#[test]
fn picture_given_as_a_url() {
    let case = Case::new();
    case.edit(
        "content/demo/steps/second.md",
        "images/screen.png",
        "https://x.test/a.png",
    );
    case.fails(
        1,
        "the image `https://x.test/a.png` is not a path inside the site folder",
        "content/demo/steps/second.md:4:8",
        "keep the picture inside the site folder",
    );
}

#[test]
fn annotation_that_is_not_a_number() {
    let case = Case::new();
    case.edit("content/demo/steps/second.md", "x: 20", "x: .nan");
    case.fails(
        1,
        "`NaN` is not a number tebiki can draw",
        "content/demo/steps/second.md:7:26",
        "write a number of pixels",
    );
}

#[test]
fn annotation_at_infinity() {
    let case = Case::new();
    case.edit("content/demo/steps/second.md", "y: 30", "y: -.inf");
    case.fails(
        1,
        "`-inf` is not a number tebiki can draw",
        "content/demo/steps/second.md:7:33",
        "write a number of pixels",
    );
}

#[test]
fn annotation_with_a_negative_radius() {
    let case = Case::new();
    case.edit("content/demo/steps/second.md", "r: 8", "r: -8");
    case.fails(
        1,
        "a size must be above zero, not `-8`",
        "content/demo/steps/second.md:7:40",
        "write a number of pixels",
    );
}

#[test]
fn annotation_far_out_of_range() {
    let case = Case::new();
    case.edit("content/demo/steps/second.md", "x: 20", "x: 1e300");
    case.fails(
        1,
        "`1e300` is out of range: coordinates go from -100000 to 100000",
        "content/demo/steps/second.md:7:26",
        "write a number of pixels",
    );
}

#[test]
fn annotation_percentage_out_of_range() {
    let case = Case::new();
    case.edit("content/demo/steps/second.md", "x: 20", "x: '5000%'");
    case.fails(
        1,
        "`5000%` is out of range: coordinates go from -1000 to 1000%",
        "content/demo/steps/second.md:7:26",
        "a percentage like",
    );
}

#[test]
fn annotation_missing_a_field() {
    let case = Case::new();
    case.edit("content/demo/steps/second.md", ", r: 8", "");
    case.fails(
        1,
        "a `circle` annotation needs `r`",
        "content/demo/steps/second.md:7:7",
        "add r (pixels",
    );
}

#[test]
fn picture_with_both_src_and_mockup() {
    let case = Case::new();
    case.edit(
        "content/demo/steps/second.md",
        "  annotations:",
        "  mockup:\n    screen: 設定\n  annotations:",
    );
    case.fails(
        1,
        "an image has either `src` (a screenshot) or `mockup`, not both",
        "content/demo/steps/second.md:7:5",
        "remove `mockup:` once the screenshot exists",
    );
}

#[test]
fn mockup_highlight_of_an_unknown_element() {
    let case = Case::new();
    case.edit(
        "content/demo/steps/third.md",
        "highlight: [save]",
        "highlight: [sav]",
    );
    case.fails(
        1,
        "there is no element `sav` to highlight in this mock-up",
        "content/demo/steps/third.md:9:17",
        "did you mean `save`?",
    );
}

#[test]
fn mockup_avoid_of_an_unknown_element() {
    let case = Case::new();
    case.edit(
        "content/demo/steps/third.md",
        "highlight: [save]",
        "highlight: [save]\n    avoid: [sav]",
    );
    case.fails(
        1,
        "there is no element `sav` to mark as not to press in this mock-up",
        "content/demo/steps/third.md:10:13",
        "did you mean `save`?",
    );
}

#[test]
fn mockup_with_one_id_twice() {
    let case = Case::new();
    case.edit(
        "content/demo/steps/third.md",
        "      - {kind: button, id: save, text: 保存}\n",
        "      - {kind: button, id: save, text: 保存}\n      - {kind: button, id: save, text: 戻る}\n",
    );
    case.fails(
        1,
        "the id `save` is used twice in this mock-up",
        "content/demo/steps/third.md:9:28",
        "give each element its own id",
    );
}

#[test]
fn mockup_item_with_a_field_its_kind_does_not_take() {
    let case = Case::new();
    case.edit(
        "content/demo/steps/third.md",
        "{kind: button, id: save, text: 保存}",
        "{kind: button, id: save, text: 保存, checked: true}",
    );
    case.fails(
        1,
        "unknown field `checked`, expected `id` or `text`",
        "content/demo/steps/third.md:8:44",
        "remove `checked`; the known fields here are `id`, `text`",
    );
}

#[test]
fn mockup_item_of_an_unknown_kind() {
    let case = Case::new();
    case.edit(
        "content/demo/steps/third.md",
        "{kind: button, id: save",
        "{kind: buton, id: save",
    );
    case.fails(
        1,
        "unknown variant `buton`, expected one of `text`, `heading`, `button`, `link`, `row`, `field`, `checkbox`, `message`, `spinner`, `scroll`, `notification`, `dialog`, `menu`",
        "content/demo/steps/third.md:8:16",
        "did you mean `button`?",
    );
}

#[test]
fn mockup_item_without_the_field_its_kind_needs() {
    let case = Case::new();
    case.edit(
        "content/demo/steps/third.md",
        "{kind: button, id: save, text: 保存}",
        "{kind: button, id: save}",
    );
    case.fails(
        1,
        "missing field `text`",
        "content/demo/steps/third.md:8:9",
        "add `text: …` here",
    );
}

// --- Output and permissions -----------------------------------------------------------

#[test]
fn output_folder_that_is_a_file() {
    let case = Case::new();
    let file = case.root.join("out.txt");
    std::fs::write(&file, "mine").unwrap();
    let run = run_in(&case.root, &["build", "--output-dir"], Some(&file));
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("error: refusing to replace"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("it is a file, not a folder"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}

#[test]
fn output_folder_tebiki_did_not_create() {
    let case = Case::new();
    let mine = case.root.parent().unwrap().join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "keep me").unwrap();
    let run = run_in(&case.root, &["build", "--output-dir"], Some(&mine));
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("tebiki did not create it"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "keep me"
    );
}

#[test]
fn output_folder_holding_the_sources() {
    let case = Case::new();
    let run = run_in(
        &case.root,
        &["build", "--output-dir"],
        Some(&case.root.join("..")),
    );
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("it contains the site's sources"),
        "{}",
        run.stderr
    );
    assert!(case.path("site.yaml").is_file());
}

#[test]
fn unreadable_step_file_means_tebiki_could_not_run() {
    let case = Case::new();
    set_mode(case.dir.path(), 0o755);
    set_mode(&case.out, 0o777);
    set_mode(&case.path("content/demo/steps/second.md"), 0o000);
    let run = run_unprivileged(&case.root, &["check"]);
    assert_eq!(run.code, Some(2), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "error: could not read content/demo/steps/second.md: Permission denied (os error 13)"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("--> content/demo/steps/second.md"),
        "{}",
        run.stdout
    );
    case.assert_output_unchanged();
}

#[test]
fn unreadable_steps_folder_is_one_error() {
    let case = Case::new();
    set_mode(case.dir.path(), 0o755);
    set_mode(&case.path("content/demo/steps"), 0o000);
    let run = run_unprivileged(&case.root, &["check"]);
    set_mode(&case.path("content/demo/steps"), 0o755);
    assert_eq!(run.code, Some(2), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "error: could not read the folder content/demo/steps: Permission denied (os error 13)"
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("does not exist"), "{}", run.stdout);
    assert_eq!(run.stdout.matches("error:").count(), 1, "{}", run.stdout);
}

#[test]
fn unreadable_site_yaml_means_tebiki_could_not_run() {
    let case = Case::new();
    set_mode(case.dir.path(), 0o755);
    set_mode(&case.path("site.yaml"), 0o000);
    let run = run_unprivileged(&case.root, &["build"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: could not read site.yaml: Permission denied (os error 13)"),
        "{}",
        run.stderr
    );
}

#[test]
fn publish_settings_without_the_user() {
    let case = Case::new();
    let site = std::fs::read_to_string(case.path("site.yaml")).unwrap();
    case.write(
        "site.yaml",
        format!("{site}publish:\n  wordpress:\n    url: https://blog.example/\n"),
    );
    case.fails(
        1,
        "missing field `user`",
        "site.yaml:5:5",
        "add `user: …` here",
    );
}

#[test]
fn publish_settings_with_a_password() {
    let case = Case::new();
    let site = std::fs::read_to_string(case.path("site.yaml")).unwrap();
    case.write(
        "site.yaml",
        format!("{site}publish:\n  wordpress:\n    url: https://blog.example/\n    user: me\n    password: secret\n"),
    );
    case.fails(
        1,
        "unknown field `password`, expected one of `url`, `user`, `site_hosted`",
        "site.yaml:7:5",
        "remove `password`; the known fields here are `url`, `user`, `site_hosted`",
    );
}

#[test]
fn window_duration_that_is_not_a_length_of_time() {
    let case = Case::new();
    case.edit(
        "content/demo/guide.yaml",
        "label: 1分以内\n",
        "label: 1分以内\n    duration: 1分半\n",
    );
    case.fails(
        1,
        "duration `1分半`: expected a number at `半`",
        "content/demo/guide.yaml:8:15",
        "write it like `5m`, `90s`, `1m30s` or `5分`",
    );
}

/// A fixture site with the character `guide` (its avatar in static/).
fn case_with_a_character() -> Case {
    let case = Case::new();
    case.write(
        "static/avatars/guide.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    case.edit(
        "site.yaml",
        "base_url: https://fixture.test/\n",
        "base_url: https://fixture.test/\ncharacters:\n  guide:\n    name: てびき\n    avatar: static/avatars/guide.svg\n",
    );
    case
}

#[test]
fn balloon_of_an_unknown_character() {
    let case = case_with_a_character();
    case.edit(
        "content/demo/steps/second.md",
        "[](@first)のあとに",
        "> [!SAY gide]\n> 落ち着いて進めましょう。\n\n[](@first)のあとに",
    );
    case.fails(
        1,
        "there is no character `gide`",
        "content/demo/steps/second.md:9:9",
        "did you mean `guide`?",
    );
}

#[test]
fn character_avatar_outside_static() {
    let case = case_with_a_character();
    case.edit(
        "site.yaml",
        "avatar: static/avatars/guide.svg",
        "avatar: ../guide.svg",
    );
    case.fails(
        1,
        "the avatar `../guide.svg` is not a file in static/",
        "site.yaml:6:13",
        "put the picture in the site's static/ folder and write its path, e.g. `avatar: static/avatars/guide.svg`",
    );
}

#[test]
fn character_avatar_that_does_not_exist() {
    let case = case_with_a_character();
    case.edit(
        "site.yaml",
        "avatar: static/avatars/guide.svg",
        "avatar: static/avatars/gide.svg",
    );
    case.fails(
        1,
        "the avatar `static/avatars/gide.svg` of character `guide` does not exist",
        "site.yaml:6:13",
        "put the picture in static/, or correct the path",
    );
}

#[test]
fn character_with_an_unknown_side() {
    let case = case_with_a_character();
    case.edit(
        "site.yaml",
        "avatar: static/avatars/guide.svg\n",
        "avatar: static/avatars/guide.svg\n    side: center\n",
    );
    case.fails(
        1,
        "unknown variant `center`, expected `left` or `right`",
        "site.yaml:7:11",
        "use one of `left`, `right`",
    );
}

/// The fixture with a vocabulary: `save` (a button) and `settings-screen` (a screen).
fn case_with_a_vocabulary() -> Case {
    let case = Case::new();
    case.write(
        "content/demo/ui.yaml",
        "save: {text: 保存, kind: button}\nsettings-screen: {text: 設定, kind: screen}\n",
    );
    case
}

#[test]
fn ui_reference_to_an_unknown_id() {
    let case = case_with_a_vocabulary();
    case.edit(
        "content/demo/steps/second.md",
        "[](@first)のあとに",
        "【@sav】を押します。[](@first)のあとに",
    );
    case.fails(
        1,
        "there is no UI text `sav`",
        "content/demo/steps/second.md:9:1",
        "did you mean `save`?",
    );
}

#[test]
fn ui_vocabulary_with_a_duplicate_id() {
    let case = case_with_a_vocabulary();
    case.write(
        "content/demo/ui.yaml",
        "save: {text: 保存, kind: button}\nsave: {text: 保存する, kind: button}\n",
    );
    case.fails(
        1,
        "`save` is written twice in the same mapping",
        "content/demo/ui.yaml:2:1",
        "keep one of the two: the first `save` is at line 1",
    );
}

#[test]
fn ui_vocabulary_with_an_unknown_kind() {
    let case = case_with_a_vocabulary();
    case.write("content/demo/ui.yaml", "save: {text: 保存, kind: buton}\n");
    case.fails(
        1,
        "unknown variant `buton`, expected one of `button`, `screen`, `message`, `menu`, `field`, `notification`",
        "content/demo/ui.yaml:1:24",
        "did you mean `button`?",
    );
}
