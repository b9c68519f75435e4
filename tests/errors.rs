//! Bad input: one fixture site per case under `tests/fixtures/`, built with the real binary.
//! Each test asserts the whole diagnostic: message, `file:line:col`, the snippet's caret and
//! the hint, plus exit code 1 and that nothing was written.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Builds fixture `name` into a folder that holds a previous build (of `tests/fixtures/base`),
/// expecting the build to fail with exit code 1 and leave that output byte-identical; returns
/// stderr.
fn failing_build(name: &str) -> String {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let first = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .args(["build", "--root"])
        .arg(fixture("base"))
        .arg("--output-dir")
        .arg(&public)
        .output()
        .unwrap();
    assert!(first.status.success(), "the base fixture builds");
    let before = common::tree(&public);
    let output = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .args(["build", "--root"])
        .arg(fixture(name))
        .arg("--output-dir")
        .arg(&public)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "fixture {name} should fail with exit code 1; stderr:\n{stderr}"
    );
    assert!(
        common::tree(&public) == before,
        "a failed build must leave the previous output as it was"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

/// Asserts that `stderr` holds a diagnostic with these parts, in this order, on consecutive lines.
fn assert_diagnostic(
    stderr: &str,
    message: &str,
    location: &str,
    snippet: &str,
    caret: &str,
    hint: &str,
) {
    let block = stderr
        .split("\n\n")
        .find(|b| b.lines().next() == Some(&format!("error: {message}")))
        .unwrap_or_else(|| panic!("no diagnostic `error: {message}` in:\n{stderr}"));
    let lines: Vec<&str> = block.lines().collect();
    assert!(
        lines[1].trim_start().starts_with("--> ") && lines[1].ends_with(location),
        "location {location}:\n{block}"
    );
    assert!(
        lines.iter().any(|l| l.ends_with(&format!("| {snippet}"))),
        "snippet `{snippet}`:\n{block}"
    );
    let source_line = lines
        .iter()
        .position(|l| l.ends_with(&format!("| {snippet}")))
        .unwrap();
    let caret_line = lines[source_line + 1];
    assert_eq!(
        caret_line.split("| ").nth(1).unwrap_or(""),
        caret,
        "caret:\n{block}"
    );
    assert_eq!(
        lines.last().unwrap().trim_start(),
        format!("= help: {hint}"),
        "hint:\n{block}"
    );
}

#[test]
fn malformed_yaml_points_at_the_unclosed_quote() {
    let stderr = failing_build("bad-yaml-syntax");
    assert_diagnostic(
        &stderr,
        "this quoted text is never closed",
        "content/demo/guide.yaml:2:14",
        "description: \"テスト用の小さな手引きです。",
        "             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
        "this quoted text is never closed: add the closing quote",
    );
}

#[test]
fn front_matter_without_closing_fence() {
    let stderr = failing_build("front-matter-unclosed");
    assert_diagnostic(
        &stderr,
        "this step file has no front matter",
        "content/demo/steps/second.md:1:1",
        "---",
        "^^^",
        "start the file with a `---` line, then `title: …`, then another `---` line",
    );
}

#[test]
fn malformed_front_matter_yaml_is_located_in_the_step_file() {
    let stderr = failing_build("front-matter-bad-yaml");
    assert_diagnostic(
        &stderr,
        "title: wrong kind of value: sequence, expected a string",
        "content/demo/steps/second.md:2:8",
        "title: [second の手順",
        "       ^^^^^^^^^^^^^^",
        "write this value as plain text; put it in quotes if it starts with `[`, `{`, `@`, `*` or `&`",
    );
}

#[test]
fn unknown_field_in_guide_suggests_the_known_one() {
    let stderr = failing_build("unknown-field-guide");
    assert_diagnostic(
        &stderr,
        "unknown field `titel`, expected one of `title`, `description`, `published`, `updated`, `author`, `draft`, `intro`, `windows`, `sections`, `app`, `og_image`",
        "content/demo/guide.yaml:1:1",
        "titel: デモの手引き",
        "^^^^^",
        "did you mean `title`?",
    );
}

#[test]
fn unknown_field_in_front_matter_is_located_in_the_step_file() {
    let stderr = failing_build("unknown-field-step");
    assert_diagnostic(
        &stderr,
        "unknown field `imgae`, expected one of `title`, `image`, `troubles`",
        "content/demo/steps/second.md:3:1",
        "imgae:",
        "^^^^^",
        "did you mean `image`?",
    );
}

#[test]
fn unknown_field_in_site_yaml() {
    let stderr = failing_build("unknown-field-site");
    assert_diagnostic(
        &stderr,
        "unknown field `bse_url`, expected one of `title`, `base_url`, `language`, `description`, `author`, `theme`, `output_dir`, `labels`, `extra`, `max_megapixels`, `twitter_site`, `robots`, `og_font`, `publish`, `images`, `characters`, `markdown`, `search`",
        "site.yaml:2:1",
        "bse_url: https://fixture.test/",
        "^^^^^^^",
        "did you mean `base_url`?",
    );
}

#[test]
fn duplicate_id_names_both_things() {
    let stderr = failing_build("duplicate-id");
    assert_diagnostic(
        &stderr,
        "duplicate id `second`: section `second` has the same id as step `second` at content/demo/guide.yaml:10:9",
        "content/demo/guide.yaml:12:9",
        "  - id: second",
        "        ^^^^^^",
        "ids must be unique within a guide; rename one of them",
    );
}

#[test]
fn misspelled_step_reference_suggests_the_step() {
    let stderr = failing_build("unknown-step-ref");
    assert_diagnostic(
        &stderr,
        "unknown reference `@secnd`: no step, section or trouble entry has this id",
        "content/demo/steps/third.md:4:15",
        "うまくいかないときは [](@secnd) に戻ります。",
        // The caret sits under `@secnd`: 10 wide characters (20 columns), a space and `[](`.
        "                        ^^^^^^",
        "did you mean `second`?",
    );
}

#[test]
fn reference_to_a_missing_section() {
    let stderr = failing_build("unknown-section-ref");
    assert_diagnostic(
        &stderr,
        "unknown reference `@trouble`: no step, section or trouble entry has this id",
        "content/demo/steps/third.md:4:12",
        "詳しくは [こちら](@trouble) を見てください。",
        "                  ^^^^^^^^",
        "use the id of a step, section or trouble entry of `demo` (the name of a step file without .md)",
    );
}

#[test]
fn reference_to_a_missing_guide() {
    let stderr = failing_build("unknown-guide-ref");
    assert_diagnostic(
        &stderr,
        "there is no guide `dmeo`",
        "content/demo/steps/third.md:4:8",
        "続きは [](@dmeo:first) です。",
        "          ^^^^^^^^^^^",
        "did you mean `demo`?",
    );
}

#[test]
fn step_named_in_guide_without_a_file() {
    let stderr = failing_build("missing-step-file");
    assert_diagnostic(
        &stderr,
        "step `secnd` has no file: content/demo/steps/secnd.md does not exist",
        "content/demo/guide.yaml:10:9",
        "      - secnd",
        "        ^^^^^",
        "did you mean `second`? (steps/second.md exists)",
    );
}

#[test]
fn image_outside_the_site_is_refused() {
    let stderr = failing_build("image-outside-root");
    assert_diagnostic(
        &stderr,
        "the image `../../../../secret.png` is outside the site folder",
        "content/demo/steps/second.md:4:8",
        "  src: ../../../../secret.png",
        "       ^^^^^^^^^^^^^^^^^^^^^^",
        "keep the picture inside the site folder (the one with site.yaml) and give a path relative to the guide's folder",
    );
}

#[test]
fn step_file_outside_the_site_is_refused() {
    let stderr = failing_build("step-file-outside-root");
    assert_diagnostic(
        &stderr,
        "the file of step `third` (../../../outside.md) is outside the site folder",
        "content/demo/guide.yaml:12:15",
        "        file: ../../../outside.md",
        "              ^^^^^^^^^^^^^^^^^^^",
        "keep the step's file inside the site folder (the one with site.yaml) and give a path relative to the guide's folder",
    );
}

#[test]
fn backwards_range_suggests_the_right_order() {
    let stderr = failing_build("backwards-range");
    assert_diagnostic(
        &stderr,
        "range `@third..first` runs backwards",
        "content/demo/steps/third.md:4:4",
        "[](@third..first) をもう一度。",
        "   ^^^^^^^^^^^^^",
        "write `@first..third`",
    );
}

#[test]
fn window_across_procedures_is_refused() {
    let stderr = failing_build("window-not-in-procedure");
    assert_diagnostic(
        &stderr,
        "window `quick`: `second` and `fourth` are not in the same procedure",
        "content/demo/guide.yaml:21:9",
        "    to: fourth",
        "        ^^^^^^",
        "a window runs between two steps of one procedure",
    );
}

#[test]
fn every_problem_is_reported_in_one_run() {
    let stderr = failing_build("many-problems");
    assert_diagnostic(
        &stderr,
        "unknown reference `@frist`: no step, section or trouble entry has this id",
        "content/demo/guide.yaml:5:9",
        "  まず [](@frist) から始めます。",
        "          ^^^^^^",
        "did you mean `first`?",
    );
    assert_diagnostic(
        &stderr,
        "step `thrid` has no file: content/demo/steps/thrid.md does not exist",
        "content/demo/guide.yaml:13:9",
        "      - thrid",
        "        ^^^^^",
        "did you mean `third`? (steps/third.md exists)",
    );
    assert_diagnostic(
        &stderr,
        "unknown reference `@nowhere`: no step, section or trouble entry has this id",
        "content/demo/steps/second.md:4:7",
        "次は [](@nowhere) です。",
        "        ^^^^^^^^",
        "use the id of a step, section or trouble entry of `demo` (the name of a step file without .md)",
    );
    // `third.md` is also unlisted (the guide says `thrid`), which is worth a warning.
    assert!(stderr.contains("\n3 errors found, 1 warning\n"), "{stderr}");
}

#[test]
fn missing_site_yaml_says_where_it_looked() {
    let empty = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .args(["build", "--root"])
        .arg(empty.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let first = stderr.lines().next().unwrap();
    assert_eq!(
        first,
        format!("error: there is no site.yaml in {}", empty.path().display())
    );
    assert!(stderr.contains("= help: run tebiki in the site's folder, or pass --root with the folder that holds site.yaml"), "{stderr}");
    assert!(!empty.path().join("public").exists());
}

#[cfg(unix)]
#[test]
fn step_file_linked_from_outside_the_site_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    common::copy_dir(&fixture("unknown-step-ref"), &site);
    let outside = tmp.path().join("outside.md");
    std::fs::write(&outside, "---\ntitle: secret\n---\nsecret\n").unwrap();
    let third = site.join("content/demo/steps/third.md");
    std::fs::remove_file(&third).unwrap();
    std::os::unix::fs::symlink(&outside, &third).unwrap();
    let output = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .args(["build", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_diagnostic(
        &stderr,
        "the file of step `third` (steps/third.md) is reached through a link that leads outside the site folder",
        "content/demo/guide.yaml:11:9",
        "      - third",
        "        ^^^^^",
        "copy the step's file into the site folder instead of linking to it",
    );
    assert!(!site.join("public").exists());
}
