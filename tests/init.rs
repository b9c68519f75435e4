//! `tebiki init` and `tebiki completions`, run as a new author would.

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
