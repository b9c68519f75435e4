//! Hardening II (issue 23): one test per class of defect, the real binary against a copy of
//! `tests/fixtures/base/`. Concurrent builds of one output, special and huge source files,
//! bounded error output, author files never damaged (`new`, `check --fix`), names that collide
//! with tebiki's own, `check` reading HTML as a browser does, and editor leftovers.
#![allow(
    clippy::disallowed_methods,
    reason = "tests set up their files with std::fs"
)]

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_tebiki");

/// A copy of the base fixture in a temporary folder.
fn site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base"),
        &root,
    );
    (tmp, root)
}

/// Runs tebiki in `root` with `args`, killed after 20 s (a hang is a failure, not a stuck CI).
fn run(root: &Path, args: &[&str]) -> Output {
    run_env(root, args, &[])
}

fn run_env(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(BIN)
        .env("LC_ALL", "C")
        .current_dir(root)
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("tebiki {args:?} still ran after 20 s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The headline and `-->` location of a diagnostic block, for an exact comparison.
fn has_diagnostic(text: &str, headline: &str, location: &str) -> bool {
    text.split("\n\n").any(|block| {
        let mut lines = block.trim_start_matches('\n').lines();
        lines.next() == Some(headline)
            && lines.next().map(str::trim_start) == Some(&format!("--> {location}"))
    })
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
}

// --- 1. Builds of one output exclude each other -------------------------------------------

/// Four builds of one site at once, 150 times: every build exits 0, and after each round the
/// output is complete and marked, with no staging folder left beside it.
#[test]
fn concurrent_builds_always_leave_a_complete_marked_output() {
    let (_tmp, root) = site();
    let first = run(&root, &["build"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let reference = common::tree(&root.join("public"));
    for round in 0..150 {
        let children: Vec<_> = (0..4)
            .map(|_| {
                Command::new(BIN)
                    .env("LC_ALL", "C")
                    .current_dir(&root)
                    .arg("build")
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let said = stderr(&out);
            assert!(out.status.success(), "round {round}: {said}");
            for line in said.lines() {
                assert!(
                    line.starts_with("another tebiki build is writing beside")
                        || !line.contains("error"),
                    "round {round}: {said}"
                );
            }
        }
        let public = root.join("public");
        assert!(
            public.join(".tebiki-output").is_file(),
            "round {round}: marker lost"
        );
        assert!(
            common::tree(&public) == reference,
            "round {round}: output incomplete"
        );
        let leftovers: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("tebiki-new") || n.contains("tebiki-old") || n.contains("prep"))
            .collect();
        assert!(leftovers.is_empty(), "round {round}: {leftovers:?}");
    }
}

// --- 2. Only regular files, within a size limit --------------------------------------------

/// A FIFO in place of a step file is an error at its path, at once: build and check never
/// block on it.
#[test]
fn a_fifo_as_a_step_file_is_an_error_not_a_hang() {
    let (_tmp, root) = site();
    let step = root.join("content/demo/steps/second.md");
    std::fs::remove_file(&step).unwrap();
    let made = Command::new("mkfifo").arg(&step).status().unwrap();
    assert!(made.success());
    for command in ["build", "check"] {
        let started = Instant::now();
        let out = run(&root, &[command]);
        assert_eq!(out.status.code(), Some(1), "{command}: {}", stderr(&out));
        let said = format!("{}{}", stderr(&out), stdout(&out));
        assert!(
            said.contains("is a FIFO (named pipe), not a regular file"),
            "{command}: {said}"
        );
        assert!(
            has_diagnostic(
                &said,
                "error: the file of step `second` (steps/second.md) is a FIFO (named pipe), not a regular file",
                "content/demo/guide.yaml:16:9"
            ),
            "{said}"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}

/// A device node in place of a step file (root can make one) is refused unread.
#[test]
fn a_device_as_a_step_file_is_refused_unread() {
    if !is_root() {
        eprintln!("a_device_as_a_step_file_is_refused_unread: needs root to make a device node");
        return;
    }
    let (_tmp, root) = site();
    let step = root.join("content/demo/steps/second.md");
    std::fs::remove_file(&step).unwrap();
    let made = Command::new("mknod")
        .arg(&step)
        .args(["c", "1", "5"])
        .status()
        .unwrap();
    assert!(made.success(), "mknod");
    let out = run(&root, &["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is a device, not a regular file"),
        "{}",
        stderr(&out)
    );
}

/// A text source over 8 MB is refused before it is read, at its path, with the setting that
/// raises the limit; with the limit raised it builds.
#[test]
fn a_huge_step_file_is_refused_before_it_is_read() {
    let (_tmp, root) = site();
    let step = root.join("content/demo/steps/third.md");
    let mut text = std::fs::read_to_string(&step).unwrap();
    text.push_str(&"長い本文です。\n".repeat(9 * 1024 * 1024 / 22));
    std::fs::write(&step, &text).unwrap();
    let out = run(&root, &["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("could not read content/demo/steps/third.md: it is 9.0 MB large, over the limit of 8.0 MB"),
        "{said}"
    );
    assert!(said.contains("TEBIKI_MAX_SOURCE_MB"), "{said}");
    let out = run_env(&root, &["build"], &[("TEBIKI_MAX_SOURCE_MB", "16")]);
    assert!(out.status.success(), "{}", stderr(&out));
}

// --- 3. Bounded error output ----------------------------------------------------------------

/// 2,000 unknown references on one 1.4 MB line: check answers quickly, each diagnostic carries
/// a short excerpt of the line, and 50 of the file's problems are listed, the rest counted.
#[test]
fn many_problems_on_one_long_line_give_bounded_output() {
    let (_tmp, root) = site();
    let mut line = String::new();
    for i in 0..2000 {
        let _ = write!(line, "[](@missing-{i}) ");
        line.push_str(&"あ".repeat(220));
    }
    std::fs::write(
        root.join("content/demo/steps/third.md"),
        format!("---\ntitle: 長い行\n---\n{line}\n"),
    )
    .unwrap();
    let started = Instant::now();
    let out = run(&root, &["check", "--format", "json"]);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(1));
    assert!(took < Duration::from_secs(15), "took {took:?}");
    assert!(
        out.stdout.len() < 200_000,
        "{} bytes of JSON",
        out.stdout.len()
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let shown = report["diagnostics"].as_array().unwrap();
    assert_eq!(shown.len(), 50);
    assert_eq!(report["errors"], 2000);
    assert_eq!(
        report["not_shown"][0],
        serde_json::json!({"file": "content/demo/steps/third.md", "count": 1950})
    );
    for d in shown {
        let excerpt = d["source_line"].as_str().unwrap();
        assert!(excerpt.chars().count() <= 122, "{excerpt}");
    }
    let text = run(&root, &["check"]);
    assert!(
        stdout(&text).contains(
            "… and 1950 more problems in content/demo/steps/third.md (fix the ones above first, then run again)"
        ),
        "{}",
        stdout(&text)
    );
}

// --- 4. Author files are never damaged ------------------------------------------------------

/// `new step` under a file-size limit: it fails, and guide.yaml is whole, no step file or
/// temporary file is left.
#[test]
fn new_step_under_a_file_size_limit_leaves_guide_yaml_whole() {
    let (_tmp, root) = site();
    let guide = root.join("content/demo/guide.yaml");
    let mut text = std::fs::read_to_string(&guide).unwrap();
    let _ = writeln!(text, "# {}", "余白".repeat(3000));
    std::fs::write(&guide, &text).unwrap();
    // SIGXFSZ ignored (as a shell's `trap '' XFSZ`), so the write fails with EFBIG.
    let out = Command::new("sh")
        .current_dir(&root)
        .args([
            "-c",
            "trap '' XFSZ; exec prlimit --fsize=4096 \"$0\" new step demo added",
            BIN,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&guide).unwrap(), text);
    assert!(!root.join("content/demo/steps/added.md").exists());
    let names: Vec<String> = std::fs::read_dir(root.join("content/demo"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("tebiki-tmp")), "{names:?}");
}

/// `new step ../../other-site/content/g x` does not touch another site.
#[test]
fn new_step_refuses_a_guide_path_out_of_the_site() {
    let (tmp, root) = site();
    let other = tmp.path().join("other-site");
    common::copy_dir(&root, &other);
    let before = std::fs::read(other.join("content/demo/guide.yaml")).unwrap();
    let out = run(
        &root,
        &["new", "step", "../../other-site/content/demo", "x"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not a guide of this site"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read(other.join("content/demo/guide.yaml")).unwrap(),
        before
    );
    assert!(!other.join("content/demo/steps/x.md").exists());
}

/// A site whose third step spells out the vocabulary's 【保存】 by hand (`check --fix` changes it).
fn site_with_a_fix() -> (tempfile::TempDir, PathBuf) {
    let (tmp, root) = site();
    std::fs::write(
        root.join("content/demo/ui.yaml"),
        "save: {text: 保存, kind: button}\n",
    )
    .unwrap();
    let third = root.join("content/demo/steps/third.md");
    let text = std::fs::read_to_string(&third).unwrap();
    std::fs::write(&third, format!("{text}\n最後に【保存】を押します。\n")).unwrap();
    (tmp, root)
}

/// `check --fix` keeps the file's mode, edits a link's target (the link stays), refuses a
/// read-only file with a message, and leaves no temporary file.
#[cfg(unix)]
#[test]
fn check_fix_keeps_modes_and_links_and_refuses_read_only_files() {
    use std::os::unix::fs::PermissionsExt as _;
    let (_tmp, root) = site_with_a_fix();
    let steps = root.join("content/demo/steps");
    // third.md becomes a link to a file elsewhere in the site, mode 0640.
    let real = root.join("content/demo/texts/third.md");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    std::fs::rename(steps.join("third.md"), &real).unwrap();
    std::os::unix::fs::symlink("../texts/third.md", steps.join("third.md")).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = run(&root, &["check", "--fix"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        std::fs::symlink_metadata(steps.join("third.md"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("【@save】")
    );
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o640
    );
    for dir in [&steps, &real.parent().unwrap().to_path_buf()] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!name.contains("tebiki-tmp"), "{name}");
        }
    }

    // Read-only: refused, unchanged.
    let (_tmp, root) = site_with_a_fix();
    let third = root.join("content/demo/steps/third.md");
    let before = std::fs::read(&third).unwrap();
    std::fs::set_permissions(&third, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = run(&root, &["check", "--fix"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is read-only; nothing was written"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("chmod u+w"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&third).unwrap(), before);
}

// --- 5. Names that collide with tebiki's own ---------------------------------------------

/// A guide folder named like a site-wide output is an error at the folder; `new` refuses
/// reserved ids and guide names.
#[test]
fn names_of_tebikis_own_outputs_are_refused() {
    let (_tmp, root) = site();
    common::copy_dir(
        &root.join("content/demo"),
        &root.join("content/troubleshooting"),
    );
    let out = run(&root, &["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        has_diagnostic(
            &stderr(&out),
            "error: the guide folder name `troubleshooting` is taken by tebiki's own `troubleshooting` output",
            "content/troubleshooting"
        ),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(root.join("content/troubleshooting")).unwrap();

    let out = run(&root, &["new", "step", "demo", "tebiki-main"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the id `tebiki-main` is reserved for the theme"),
        "{}",
        stderr(&out)
    );
    let out = run(&root, &["new", "step", "demo", "trouble-filter-input"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&root, &["new", "guide", "assets"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is taken by tebiki's own `assets` output"),
        "{}",
        stderr(&out)
    );
}

// --- 6. check reads HTML as a browser does; leftovers are ignored ----------------------

/// A title that talks about HTML (escaped on every page) does not make check see a tag.
#[test]
fn a_title_about_html_passes_check() {
    let (_tmp, root) = site();
    let guide = root.join("content/demo/guide.yaml");
    let text = std::fs::read_to_string(&guide).unwrap();
    std::fs::write(
        &guide,
        text.replacen(
            "title: デモの手引き",
            "title: 'HTMLの <img src=qq1> を書く手引き'",
            1,
        ),
    )
    .unwrap();
    let out = run(&root, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

/// Editor and system leftovers in a guide's folders are neither steps nor published.
#[test]
fn editor_leftovers_are_ignored() {
    let (_tmp, root) = site();
    let steps = root.join("content/demo/steps");
    for name in [
        ".#second.md",
        "._second.md",
        "second.md~",
        "4913",
        ".DS_Store",
        "x.swp",
    ] {
        std::fs::write(steps.join(name), "leftover").unwrap();
    }
    std::fs::write(root.join("content/demo/Thumbs.db"), "leftover").unwrap();
    let out = run(&root, &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let out = run(&root, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let published: Vec<String> = common::tree(&root.join("public"))
        .into_keys()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    for name in ["second.md~", "4913", "Thumbs.db", "x.swp"] {
        assert!(
            !published.iter().any(|p| p.ends_with(name)),
            "{name} in {published:?}"
        );
    }
}
