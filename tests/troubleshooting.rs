//! The bundled guide's trouble entries, end to end: the site-wide index holds every entry, each
//! links to the steps where it arises and to its remedy, and those steps link back; procedures
//! list what they fix; `check` catches a removed step everywhere it is referenced.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use scraper::{ElementRef, Html, Selector};
use tempfile::TempDir;

const ENTRIES: [&str; 10] = [
    "ok-first-misleading",
    "no-notification",
    "auth-pressed-early",
    "window-expired",
    "screen-off",
    "which-linking-screen",
    "maintenance",
    "data-not-updated",
    "mail-not-arriving",
    "delete-account-data",
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build(root: &Path) -> (TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let output = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output-dir")
        .arg(&public)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (out, public)
}

fn page(path: &Path) -> Html {
    Html::parse_document(&std::fs::read_to_string(path).unwrap())
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn hrefs(el: ElementRef<'_>, selector: &str) -> Vec<String> {
    el.select(&sel(selector))
        .filter_map(|a| a.value().attr("href").map(str::to_owned))
        .collect()
}

fn by_id<'a>(doc: &'a Html, id: &str) -> Option<ElementRef<'a>> {
    doc.select(&sel("[id]"))
        .find(|e| e.value().attr("id") == Some(id))
}

#[test]
fn index_has_every_entry_with_links_both_ways() {
    let (_tmp, public) = build(&repo());
    let index = page(&public.join("troubleshooting/index.html"));
    let guide = page(&public.join("zaim-amazon/index.html"));
    let cards: Vec<ElementRef<'_>> = index.select(&sel(".trouble")).collect();
    let ids: BTreeSet<String> = cards
        .iter()
        .map(|c| {
            c.value()
                .attr("id")
                .unwrap()
                .trim_start_matches("zaim-amazon-")
                .to_owned()
        })
        .collect();
    for entry in ENTRIES {
        assert!(
            ids.contains(entry),
            "the index has no entry `{entry}`: {ids:?}"
        );
    }
    for card in cards {
        let id = card
            .value()
            .attr("id")
            .unwrap()
            .trim_start_matches("zaim-amazon-");
        let places = hrefs(card, ".trouble-places a");
        assert!(!places.is_empty(), "{id}: no link to where it arises");
        assert!(
            !hrefs(card, ".remedy-body a.ref").is_empty(),
            "{id}: the remedy links nowhere"
        );
        // On the guide page, the entry's main card: a sign card in the failure section, or the
        // troubleshooting section's card.
        let main = if by_id(&guide, id).is_some_and(|e| {
            e.value()
                .has_class("trouble", scraper::CaseSensitivity::CaseSensitive)
        }) {
            id.to_owned()
        } else {
            format!("trouble-{id}")
        };
        assert!(
            by_id(&guide, &main).is_some(),
            "{id}: no card #{main} on the guide page"
        );
        for place in places {
            let anchor = place
                .strip_prefix("../zaim-amazon/#")
                .unwrap_or_else(|| panic!("{id}: {place} is not a deep link into the guide"));
            let target = by_id(&guide, anchor)
                .unwrap_or_else(|| panic!("{id}: #{anchor} is not on the guide page"));
            // In full, or as one line at the other steps of a range (its last step included).
            let back = hrefs(
                target,
                ".trouble-links a.trouble-link, .trouble-links-brief a.trouble-link",
            );
            assert!(
                back.contains(&format!("#{main}")),
                "{id}: #{anchor} does not link back to #{main}: {back:?}"
            );
        }
    }
}

#[test]
fn entries_are_ordered_by_where_they_arise() {
    let (_tmp, public) = build(&repo());
    let index = page(&public.join("troubleshooting/index.html"));
    let order: Vec<&str> = index
        .select(&sel(".trouble"))
        .map(|c| {
            c.value()
                .attr("id")
                .unwrap()
                .trim_start_matches("zaim-amazon-")
        })
        .collect();
    let position = |id: &str| order.iter().position(|o| *o == id).unwrap();
    assert!(
        position("window-expired") < position("ok-first-misleading"),
        "STEP9 before STEP11: {order:?}"
    );
    assert!(
        position("ok-first-misleading") < position("no-notification"),
        "STEP11 before STEP13: {order:?}"
    );
    assert!(
        position("no-notification") < position("auth-pressed-early"),
        "STEP13 before STEP15: {order:?}"
    );
    assert!(
        position("mail-not-arriving") < position("maintenance"),
        "STEP17 before STEP25: {order:?}"
    );
    assert_eq!(
        order.last(),
        Some(&"delete-account-data"),
        "the unlink procedure comes last: {order:?}"
    );
}

#[test]
fn unlink_lists_what_it_fixes_and_leads_back_to_the_start() {
    let (_tmp, public) = build(&repo());
    let guide = page(&public.join("zaim-amazon/index.html"));
    let unlink = by_id(&guide, "unlink").unwrap();
    let fixes = hrefs(unlink, ".section-fixes a");
    for entry in [
        "#maintenance",
        "#data-not-updated",
        "#trouble-auth-pressed-early",
        "#trouble-window-expired",
    ] {
        assert!(
            fixes.contains(&entry.to_owned()),
            "the unlink procedure should list {entry}: {fixes:?}"
        );
    }
    assert_eq!(
        hrefs(unlink, ".section-continue a"),
        ["#link"],
        "the end of unlink starts over"
    );
    // Where the unlink procedure comes back to, a sentence says so: it names the procedure
    // but is no link (a link would lead away from "here").
    let back = by_id(&guide, "link")
        .unwrap()
        .select(&Selector::parse(".section-continued-from").unwrap())
        .next()
        .expect("the link procedure says it is where unlinking comes back to");
    assert!(
        hrefs(back, "a").is_empty(),
        "{}",
        back.text().collect::<String>()
    );
    assert!(
        back.text()
            .collect::<String>()
            .contains("連携を解除する手順"),
        "{}",
        back.text().collect::<String>()
    );
    // The failure signs link to the unlink procedure, and the risky STEP15 does too.
    for sign in ["maintenance", "data-not-updated"] {
        assert!(
            hrefs(by_id(&guide, sign).unwrap(), "a").contains(&"#unlink".to_owned()),
            "{sign}"
        );
    }
    let step15 = by_id(&guide, "press-back").unwrap();
    assert!(
        hrefs(step15, ".trouble-links a").contains(&"#unlink".to_owned()),
        "STEP15 links to the unlink procedure"
    );
}

#[test]
fn check_finds_every_reference_to_a_removed_step() {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_bundled_site(tmp.path());
    let guide_yaml = tmp.path().join("content/zaim-amazon/guide.yaml");
    let text = std::fs::read_to_string(&guide_yaml).unwrap();
    std::fs::write(&guide_yaml, text.replacen("      - pause\n", "", 1)).unwrap();
    let output = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .arg("check")
        .arg("--root")
        .arg(tmp.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    // Every file that refers to `@pause` is named, with a line, and the same hint.
    let mut referring: Vec<String> = Vec::new();
    for entry in walkdir::WalkDir::new(tmp.path().join("content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            for (n, line) in text.lines().enumerate() {
                for _ in line.matches("(@pause)") {
                    referring.push(format!(
                        "{}:{}:",
                        entry.path().strip_prefix(tmp.path()).unwrap().display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(referring.len() >= 3, "{referring:?}");
    let blocks: Vec<&str> = stdout
        .split("\n\n")
        .filter(|b| b.starts_with("error: unknown reference `@pause`"))
        .collect();
    assert_eq!(
        blocks.len(),
        referring.len(),
        "one error per reference:\n{stdout}"
    );
    for place in &referring {
        let block = blocks
            .iter()
            .find(|b| b.contains(&format!("--> {place}")))
            .unwrap_or_else(|| panic!("no error at {place}:\n{stdout}"));
        assert!(block.ends_with("= help: steps/pause.md exists, but no procedure lists it: add `- pause` to a procedure's `steps:` in guide.yaml, or change this reference"), "{block}");
    }
    assert!(
        stdout.contains("error: step `pause` is not listed in any procedure, so it is not shown"),
        "{stdout}"
    );
}
