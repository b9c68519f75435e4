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
        .env("LC_ALL", "C")
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
        // The example is a draft: a plain build leaves it out of every output.
        let build = tebiki(&site, &["build"]);
        assert!(
            build.status.success(),
            "{}",
            String::from_utf8_lossy(&build.stderr)
        );
        assert!(!site.join("public/notifications").exists(), "{lang}");
        for file in ["index.html", "sitemap.xml", "feed.xml"] {
            let text = fs::read_to_string(site.join("public").join(file)).unwrap();
            assert!(
                !text.contains("notifications/"),
                "{lang}: {file} names the draft"
            );
        }
        let build = tebiki(&site, &["build", "--drafts"]);
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
        assert_eq!(
            count(".guide-header .draft-mark"),
            1,
            "{lang}: the page says it is a draft"
        );
        assert_eq!(count(r#"meta[name="robots"][content="noindex"]"#), 1);
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
    assert!(tebiki(&site, &["build", "--drafts"]).status.success());
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

fn out(run: &std::process::Output) -> String {
    String::from_utf8_lossy(&run.stdout).into_owned() + &String::from_utf8_lossy(&run.stderr)
}

/// A new site (`init`) in a temporary folder: the folder (kept alive) and the site.
fn new_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    assert!(tebiki(tmp.path(), &["init", "site"]).status.success());
    let site = tmp.path().join("site");
    (tmp, site)
}

#[test]
fn new_guide_fills_in_today_the_app_and_its_version_and_a_commented_image() {
    let (_tmp, site) = new_site();
    let run = tebiki(
        &site,
        &[
            "new",
            "guide",
            "zaim",
            "--app",
            "Zaim",
            "--app-version",
            "12.1",
        ],
    );
    assert!(run.status.success(), "{}", out(&run));
    let today = jiff::ZonedDateTime::now().date().to_string();
    let yaml = fs::read_to_string(site.join("content/zaim/guide.yaml")).unwrap();
    assert!(yaml.contains(&format!("\npublished: {today}\n")), "{yaml}");
    assert!(
        yaml.contains("\napp:\n  name: Zaim\n  version: '12.1'\n"),
        "{yaml}"
    );
    let step = fs::read_to_string(site.join("content/zaim/steps/first.md")).unwrap();
    assert!(
        step.contains(&format!(
            "\n# image:\n#   src: images/first.png\n#   alt: 画面の説明。押すところが赤い枠で囲まれている\n#   captured: {{version: '12.1', date: {today}}}\n---\n"
        )),
        "{step}"
    );
    // `new step` takes the version from the guide's app.
    let run = tebiki(&site, &["new", "step", "zaim", "open-menu"]);
    assert!(run.status.success(), "{}", out(&run));
    let step = fs::read_to_string(site.join("content/zaim/steps/open-menu.md")).unwrap();
    assert!(
        step.contains("#   src: images/open-menu.png\n")
            && step.contains("#   captured: {version: '12.1',"),
        "{step}"
    );
    // Opened up as written, the image is accepted (a mock-up stands in for the screenshot).
    let opened = step
        .replace("# image:", "image:")
        .replace(
            "#   src: images/open-menu.png\n",
            "  mockup: {screen: ホーム}\n",
        )
        .replace("#   alt:", "  alt:")
        .replace("#   captured:", "  captured:");
    fs::write(site.join("content/zaim/steps/open-menu.md"), opened).unwrap();
    let check = tebiki(&site, &["check"]);
    assert!(check.status.success(), "{}", out(&check));
}

#[test]
fn check_points_at_each_template_text_still_left_in() {
    let (_tmp, site) = new_site();
    assert!(tebiki(&site, &["new", "guide", "mine"]).status.success());
    let check = tebiki(&site, &["check"]);
    let text = out(&check);
    assert!(check.status.success(), "placeholders are warnings: {text}");
    for (placeholder, at) in [
        ("新しい手引き", "content/mine/guide.yaml:1:8"),
        (
            "この手引きで何ができるかを書きます。",
            "content/mine/guide.yaml:2:14",
        ),
        ("アプリの名前", "content/mine/guide.yaml:7:9"),
        ("最初の手順", "content/mine/steps/first.md:2:8"),
        (
            "はじめにすることを書きます。",
            "content/mine/steps/first.md:10:1",
        ),
    ] {
        let headline =
            format!("warning: 「{placeholder}」 is the template's text, still waiting for yours");
        let block = text
            .split("\n\n")
            .find(|b| b.trim_start().starts_with(&headline))
            .unwrap_or_else(|| panic!("no warning for {placeholder}:\n{text}"));
        assert!(
            block.contains(&format!("--> {at}")),
            "{placeholder}: {block}"
        );
    }
    // Written over, they are gone.
    let yaml = site.join("content/mine/guide.yaml");
    let written = fs::read_to_string(&yaml)
        .unwrap()
        .replace("新しい手引き", "わたしの手引き");
    fs::write(&yaml, written).unwrap();
    assert!(!out(&tebiki(&site, &["check"])).contains("「新しい手引き」"));
}

#[test]
fn a_version_that_is_not_a_plain_version_string_is_refused_at_its_place() {
    let (_tmp, site) = new_site();
    assert!(
        tebiki(
            &site,
            &["new", "guide", "v", "--app", "Zaim", "--app-version", "5.2"]
        )
        .status
        .success()
    );
    let step = site.join("content/v/steps/first.md");
    fs::write(
        &step,
        "---\ntitle: 開く\nimage:\n  alt: 画面\n  mockup: {screen: ホーム}\n  captured: {version: \\\"5.2\\\"}\n---\n開きます。\n",
    )
    .unwrap();
    let check = tebiki(&site, &["check"]);
    let text = out(&check);
    assert!(!check.status.success(), "{text}");
    assert!(
        text.contains("error: `\\\"5.2\\\"` is not a plain version string like `12.1` or `5.2.0`"),
        "{text}"
    );
    assert!(text.contains("--> content/v/steps/first.md:6:23"), "{text}");
    assert!(
        text.contains("version: '5.2'"),
        "the hint shows how: {text}"
    );
    let run = tebiki(
        &site,
        &[
            "new",
            "guide",
            "w",
            "--app",
            "Zaim",
            "--app-version",
            "最新",
        ],
    );
    assert!(!run.status.success());
    assert!(out(&run).contains("--app-version: `最新` is not a plain version string"));
}

#[test]
fn new_section_adds_a_procedure_with_its_first_step_at_the_end() {
    let (_tmp, site) = new_site();
    let yaml = site.join("content/notifications/guide.yaml");
    let before = fs::read_to_string(&yaml).unwrap();
    let run = tebiki(
        &site,
        &[
            "new",
            "section",
            "notifications",
            "reset",
            "--title",
            "設定を元に戻す",
        ],
    );
    assert!(run.status.success(), "{}", out(&run));
    let after = fs::read_to_string(&yaml).unwrap();
    assert_eq!(
        after,
        format!(
            "{before}  - id: reset\n    kind: procedure\n    title: 設定を元に戻す\n    intro: このまとまりで何をするかを書きます。\n    steps:\n      - reset-first\n"
        ),
        "one section added at the end, every other byte as it was"
    );
    assert!(
        site.join("content/notifications/steps/reset-first.md")
            .is_file()
    );
    assert!(tebiki(&site, &["build", "--drafts"]).status.success());
    let page = site.join("public/notifications/index.html");
    assert_eq!(
        steps_of(&page, "reset"),
        [("STEP1".into(), "新しい手順".into())]
    );
    // A summary has no step; an id in use is refused and nothing changes.
    let run = tebiki(
        &site,
        &[
            "new",
            "section",
            "notifications",
            "points",
            "--kind",
            "summary",
        ],
    );
    assert!(run.status.success(), "{}", out(&run));
    let now = fs::read_to_string(&yaml).unwrap();
    assert!(now.ends_with("  - id: points\n    kind: summary\n    title: 新しいまとまり\n    intro: このまとまりで何をするかを書きます。\n    points: []\n"), "{now}");
    let run = tebiki(&site, &["new", "section", "notifications", "main"]);
    assert!(!run.status.success());
    assert!(
        out(&run).contains("has a section or step `main` already"),
        "{}",
        out(&run)
    );
    assert_eq!(fs::read_to_string(&yaml).unwrap(), now);
}

#[test]
fn check_where_lists_every_place_an_id_is_written() {
    let (_tmp, site) = new_site();
    let run = tebiki(&site, &["check", "--where", "switch"]);
    let text = out(&run);
    assert!(run.status.success(), "{text}");
    let places: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split(": ").next())
        .filter(|l| l.starts_with("content/"))
        .collect();
    assert_eq!(
        places,
        [
            "content/notifications/guide.yaml:10:11",
            "content/notifications/guide.yaml:19:9",
            "content/notifications/guide.yaml:27:9",
            "content/notifications/steps/switch.md:1:1",
        ],
        "{text}"
    );
    assert!(text.contains(": window: "), "{text}");
    assert!(text.ends_with("4 places use `switch`\n"), "{text}");
    let run = tebiki(&site, &["check", "--where", "swich"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        out(&run).contains("`swich` is written nowhere in this site (did you mean `switch`?)"),
        "{}",
        out(&run)
    );
}
