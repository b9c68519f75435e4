//! `tebiki init` and `tebiki completions`, run as a new author would.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use scraper::{Html, Selector};

fn tebiki(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("tebiki")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walk(dir)
        .iter()
        .map(|p| p.strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn a_new_site_builds_and_passes_check_at_once() {
    for lang in ["ja", "en"] {
        let tmp = tempfile::tempdir().unwrap();
        let run = tebiki(tmp.path(), &["init", "site", "--lang", lang]);
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let site = tmp.path().join("site");
        let check = tebiki(&site, &["check"]);
        assert!(
            check.status.success(),
            "{lang}: {}",
            String::from_utf8_lossy(&check.stdout)
        );
        assert_eq!(
            String::from_utf8_lossy(&check.stdout),
            "no problems found\n"
        );
        let build = tebiki(&site, &["build"]);
        assert!(
            build.status.success(),
            "{}",
            String::from_utf8_lossy(&build.stderr)
        );

        // Three step files; two procedures that share the first; a window; a failure sign;
        // a mock-up.
        let page = fs::read_to_string(site.join("public/notifications/index.html")).unwrap();
        let doc = Html::parse_document(&page);
        let count = |css: &str| doc.select(&Selector::parse(css).unwrap()).count();
        assert_eq!(
            fs::read_dir(site.join("content/notifications/steps"))
                .unwrap()
                .count(),
            3
        );
        assert_eq!(count("#main .step"), 3, "{lang}");
        assert_eq!(count("#undo .step"), 2, "{lang}");
        assert!(
            count(".window-mark, [class*=window]") > 0,
            "{lang}: the window is shown"
        );
        assert!(
            count("#trouble .sign, #trouble [id^=no-test]") > 0,
            "{lang}: the sign"
        );
        assert!(
            count("img[src$='.svg'], svg.mockup, object[data$='.svg']") > 0,
            "{lang}: the mock-up"
        );
        assert!(site.join("public/notifications/card.png").is_file());
        let lang_attr = doc
            .select(&Selector::parse("html").unwrap())
            .next()
            .and_then(|h| h.value().attr("lang"))
            .unwrap()
            .to_owned();
        assert_eq!(lang_attr, lang);
    }
}

#[test]
fn init_refuses_a_folder_with_anything_in_it_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let before = files_under(tmp.path());
    let run = tebiki(tmp.path(), &["init"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("is not empty (it has notes.txt)"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(files_under(tmp.path()), before);
    assert_eq!(
        fs::read_to_string(tmp.path().join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn completions_are_printed_for_each_shell() {
    let tmp = tempfile::tempdir().unwrap();
    for (shell, marker) in [
        ("bash", "complete -F _tebiki"),
        ("zsh", "#compdef tebiki"),
        ("fish", "complete -c tebiki"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = tebiki(tmp.path(), &["completions", shell]);
        assert!(run.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&run.stdout);
        assert!(script.contains(marker), "{shell}: {script:.300}");
        for sub in ["build", "check", "serve", "init"] {
            assert!(script.contains(sub), "{shell} completes {sub}");
        }
    }
}

/// The (badge, title) of each step of the procedure `section` on a built guide page.
fn steps_of(page: &Path, section: &str) -> Vec<(String, String)> {
    let doc = Html::parse_document(&fs::read_to_string(page).unwrap());
    let text = |e: scraper::ElementRef<'_>, css: &str| {
        e.select(&Selector::parse(css).unwrap())
            .next()
            .map(|x| x.text().collect::<String>())
            .unwrap_or_default()
    };
    doc.select(&Selector::parse(&format!("#{section} .step")).unwrap())
        .map(|s| (text(s, ".step-badge"), text(s, ".step-title-text")))
        .collect()
}

#[test]
fn new_step_goes_in_after_the_given_id_keeping_the_rest_of_guide_yaml() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(tebiki(tmp.path(), &["init", "site"]).status.success());
    let site = tmp.path().join("site");
    let yaml = site.join("content/notifications/guide.yaml");
    // A comment on the line the new one follows, and one above the list: both stay.
    let text = fs::read_to_string(&yaml).unwrap().replacen(
        "      - switch\n",
        "      - switch  # 大事な手順\n",
        1,
    );
    fs::write(&yaml, &text).unwrap();
    let run = tebiki(
        &site,
        &[
            "new",
            "step",
            "notifications",
            "check-phone",
            "--after",
            "switch",
        ],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let after = fs::read_to_string(&yaml).unwrap();
    assert_eq!(
        after,
        text.replacen(
            "      - switch  # 大事な手順\n",
            "      - switch  # 大事な手順\n      - check-phone\n",
            1
        ),
        "one line added, every other byte as it was"
    );
    assert!(
        site.join("content/notifications/steps/check-phone.md")
            .is_file()
    );
    assert!(tebiki(&site, &["check"]).status.success());
    assert!(tebiki(&site, &["build"]).status.success());
    let page = site.join("public/notifications/index.html");
    let badges: Vec<String> = steps_of(&page, "main")
        .into_iter()
        .map(|(b, _)| b)
        .collect();
    assert_eq!(badges, ["STEP1", "STEP2", "STEP3", "STEP4"]);
    assert_eq!(steps_of(&page, "main")[2].1, "新しい手順");
    assert_eq!(
        steps_of(&page, "main")[3].1,
        "テスト通知を確かめる",
        "confirm is STEP4 now"
    );
}

#[test]
fn new_step_and_new_guide_refuse_what_exists_or_is_unknown() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(tebiki(tmp.path(), &["init", "site"]).status.success());
    let site = tmp.path().join("site");
    let yaml = site.join("content/notifications/guide.yaml");
    let before = fs::read_to_string(&yaml).unwrap();
    for (args, message) in [
        (
            vec!["new", "step", "notifications", "switch"],
            "the guide `notifications` has a step `switch` already",
        ),
        (
            vec!["new", "step", "notifications", "x", "--after", "swich"],
            "(did you mean `switch`?)",
        ),
        (
            vec!["new", "step", "notifcations", "x"],
            "there is no guide `notifcations`: content/notifcations/guide.yaml does not exist (did you mean `notifications`?)",
        ),
        (
            vec!["new", "step", "notifications", "x", "--section", "mian"],
            "this guide has no procedure `mian` (did you mean `main`?)",
        ),
        (
            vec!["new", "guide", "notifications"],
            "there is a guide `notifications` already",
        ),
        (
            vec!["new", "guide", "My Guide"],
            "cannot be a guide's folder name",
        ),
    ] {
        let run = tebiki(&site, &args);
        assert_eq!(run.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    assert_eq!(fs::read_to_string(&yaml).unwrap(), before);
    assert!(!site.join("content/notifications/steps/x.md").exists());

    assert!(tebiki(&site, &["new", "guide", "second"]).status.success());
    assert!(tebiki(&site, &["check"]).status.success());
}
