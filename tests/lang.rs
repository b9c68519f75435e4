//! tebiki speaks the author's language: the same bad input gives the same problems under
//! `LANG=ja_JP.UTF-8` and `LANG=C`, in Japanese resp. English, with the same JSON `code`s;
//! `--lang` overrides the environment; `--help` is Japanese too. Also: the two catalogs have
//! the same messages with the same arguments, every message formats in both, and every id the
//! sources name is in them.
#![allow(
    clippy::disallowed_methods,
    reason = "the test reads the catalogs and sources with std::fs"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Runs tebiki with `LANG=lang` (and no `LC_ALL`, `LC_MESSAGES`): exit code, stdout, stderr.
fn run(lang: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn check_json(lang: &str, name: &str, extra: &[&str]) -> serde_json::Value {
    let root = fixture(name);
    let mut args = vec![
        "check",
        "--format",
        "json",
        "--root",
        root.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (_, stdout, _) = run(lang, &args);
    serde_json::from_str(&stdout).unwrap()
}

/// What a problem is, whatever the language: file, line, column, severity, code.
fn shape(report: &serde_json::Value) -> Vec<(String, String, String, String, String)> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].to_string(),
                d["line"].to_string(),
                d["column"].to_string(),
                d["severity"].to_string(),
                d["code"].to_string(),
            )
        })
        .collect()
}

fn is_japanese(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}'))
}

/// One bad input per class: same problems in both languages, Japanese and English texts, and
/// every message of a catalog (`code` not null) really translated.
fn same_problems_in_both_languages(name: &str) {
    let ja = check_json("ja_JP.UTF-8", name, &[]);
    let en = check_json("C", name, &[]);
    assert!(!shape(&en).is_empty(), "{name}: no problem found");
    assert_eq!(shape(&ja), shape(&en), "{name}");
    let (ja, en) = (
        ja["diagnostics"].as_array().unwrap(),
        en["diagnostics"].as_array().unwrap(),
    );
    for (j, e) in ja.iter().zip(en) {
        let (jm, em) = (
            j["message"].as_str().unwrap(),
            e["message"].as_str().unwrap(),
        );
        assert!(
            !is_japanese(em) || em.contains('「'),
            "{name}: English? {em}"
        );
        if !j["code"].is_null() {
            assert!(is_japanese(jm), "{name}: not Japanese: {jm}");
            assert_ne!(jm, em, "{name}");
        }
    }
}

#[test]
fn unknown_field_in_both_languages() {
    same_problems_in_both_languages("unknown-field-guide");
}

#[test]
fn unknown_reference_in_both_languages() {
    same_problems_in_both_languages("unknown-step-ref");
}

#[test]
fn missing_step_file_in_both_languages() {
    same_problems_in_both_languages("missing-step-file");
}

#[test]
fn yaml_syntax_error_in_both_languages() {
    same_problems_in_both_languages("bad-yaml-syntax");
}

#[test]
fn backwards_range_in_both_languages() {
    same_problems_in_both_languages("backwards-range");
}

#[test]
fn json_codes_are_stable_english_ids() {
    let ja = check_json("ja_JP.UTF-8", "unknown-field-guide", &[]);
    assert_eq!(ja["diagnostics"][0]["code"], "unknown-field");
    assert!(is_japanese(
        ja["diagnostics"][0]["message"].as_str().unwrap()
    ));
}

#[test]
fn terminal_text_is_japanese_under_a_japanese_locale() {
    let root = fixture("unknown-field-guide");
    let args = ["check", "--root", root.to_str().unwrap()];
    let (code_ja, ja, _) = run("ja_JP.UTF-8", &args);
    let (code_en, en, _) = run("C", &args);
    assert_eq!(code_ja, code_en);
    assert!(ja.contains("エラー: 不明なフィールド `titel`"), "{ja}");
    assert!(ja.contains("ヒント: `title` のことですか?"), "{ja}");
    assert!(en.contains("error: unknown field `titel`"), "{en}");
    assert!(en.contains("help: did you mean `title`?"), "{en}");
}

#[test]
fn lang_flag_overrides_the_environment() {
    let root = fixture("unknown-field-guide");
    let args = ["check", "--root", root.to_str().unwrap()];
    let (_, en, _) = run("C", &args);
    let mut forced = args.to_vec();
    forced.extend(["--lang", "en"]);
    assert_eq!(run("ja_JP.UTF-8", &forced).1, en);
    let mut forced = args.to_vec();
    forced.extend(["--lang", "ja"]);
    assert_eq!(run("C", &forced).1, run("ja_JP.UTF-8", &args).1);
    // LC_ALL comes before LANG.
    let out = Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .env("LANG", "C")
        .env("LC_ALL", "ja_JP.UTF-8")
        .args(args)
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("エラー"));
}

#[test]
fn help_is_japanese_under_a_japanese_locale() {
    let (code, help, _) = run("ja_JP.UTF-8", &["build", "--help"]);
    assert_eq!(code, Some(0));
    assert!(help.contains("使い方: tebiki build"), "{help}");
    assert!(
        help.contains("サイトのフォルダー(site.yaml のある場所)"),
        "{help}"
    );
    let (_, top, _) = run("ja_JP.UTF-8", &["--help"]);
    assert!(
        top.contains("コマンド:") && top.contains("ライブリロード"),
        "{top}"
    );
    let (_, english, _) = run("C", &["build", "--help"]);
    assert!(english.contains("Usage: tebiki build"), "{english}");
}

#[test]
fn summaries_are_japanese_under_a_japanese_locale() {
    let root = fixture("base");
    let out = tempfile::tempdir().unwrap();
    let args = [
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output-dir",
        out.path().to_str().unwrap(),
    ];
    let (code, _, ja) = run("ja_JP.UTF-8", &args);
    assert_eq!(code, Some(0), "{ja}");
    assert!(ja.contains("件をビルドしました"), "{ja}");
    let (_, _, en) = run("C", &args);
    assert!(en.starts_with("built "), "{en}");
    let check = ["check", "--root", root.to_str().unwrap()];
    assert_eq!(
        run("ja_JP.UTF-8", &check).1.trim(),
        "問題は見つかりませんでした"
    );
    assert_eq!(run("C", &check).1.trim(), "no problems found");
}

#[test]
fn command_line_mistakes_are_japanese_under_a_japanese_locale() {
    let (code, _, ja) = run("ja_JP.UTF-8", &["buidl"]);
    assert_eq!(code, Some(2));
    assert!(
        ja.contains("エラー: `buidl` というコマンドはありません"),
        "{ja}"
    );
    assert!(ja.contains("ヒント: `build` のことですか?"), "{ja}");
    let (code, _, ja) = run("ja_JP.UTF-8", &["check", "--formt", "json"]);
    assert_eq!(code, Some(2));
    assert!(ja.contains("不明なオプション `--formt`"), "{ja}");
    let (code, _, en) = run("C", &["buidl"]);
    assert_eq!(code, Some(2));
    assert!(en.contains("unrecognized subcommand 'buidl'"), "{en}");
}

// ---- the catalogs ----

fn catalog(lang: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("locales/{lang}/tebiki.ftl")),
    )
    .unwrap()
}

/// Each message of a catalog: id → (attribute names, variable names), sorted.
type Shape = std::collections::BTreeMap<String, (Vec<String>, Vec<String>)>;

fn messages(text: &str) -> Shape {
    use fluent_syntax::ast;
    let resource = fluent_syntax::parser::parse(text).unwrap_or_else(|(_, errors)| {
        panic!("the catalog does not parse: {errors:?}");
    });
    let mut out = Shape::new();
    for entry in resource.body {
        match entry {
            ast::Entry::Message(m) => {
                let mut vars = Vec::new();
                if let Some(value) = &m.value {
                    variables(value, &mut vars);
                }
                let mut attrs: Vec<String> =
                    m.attributes.iter().map(|a| a.id.name.to_owned()).collect();
                for a in &m.attributes {
                    variables(&a.value, &mut vars);
                }
                attrs.sort();
                vars.sort();
                vars.dedup();
                let id = m.id.name.to_owned();
                assert!(
                    out.insert(id.clone(), (attrs, vars)).is_none(),
                    "{id} twice"
                );
            }
            ast::Entry::Junk { content } => panic!("junk in the catalog: {content}"),
            _ => {}
        }
    }
    out
}

fn variables(pattern: &fluent_syntax::ast::Pattern<&str>, out: &mut Vec<String>) {
    use fluent_syntax::ast::{Expression, InlineExpression, PatternElement};
    for element in &pattern.elements {
        let PatternElement::Placeable { expression } = element else {
            continue;
        };
        match expression {
            Expression::Inline(InlineExpression::VariableReference { id }) => {
                out.push(id.name.to_owned());
            }
            Expression::Select { selector, variants } => {
                if let InlineExpression::VariableReference { id } = selector {
                    out.push(id.name.to_owned());
                }
                for v in variants {
                    variables(&v.value, out);
                }
            }
            Expression::Inline(_) => {}
        }
    }
}

#[test]
fn both_catalogs_have_the_same_messages_and_arguments() {
    let en = messages(&catalog("en"));
    let ja = messages(&catalog("ja"));
    let only_en: Vec<_> = en.keys().filter(|k| !ja.contains_key(*k)).collect();
    let only_ja: Vec<_> = ja.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(only_en.is_empty(), "not in Japanese: {only_en:?}");
    assert!(only_ja.is_empty(), "not in English: {only_ja:?}");
    for (id, shape) in &en {
        assert_eq!(
            Some(shape),
            ja.get(id),
            "{id}: attributes or arguments differ"
        );
    }
}

#[test]
fn every_message_formats_in_both_languages() {
    use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};
    let shapes = messages(&catalog("en"));
    for lang in ["en", "ja"] {
        let resource = FluentResource::try_new(catalog(lang)).unwrap();
        let mut bundle = FluentBundle::new(vec![lang.parse().unwrap()]);
        bundle.set_use_isolating(false);
        bundle.add_resource(resource).unwrap();
        for (id, (_, vars)) in &shapes {
            for sample in [0, 1, 2] {
                let mut args = FluentArgs::new();
                for v in vars {
                    args.set(v.as_str(), sample);
                }
                let message = bundle.get_message(id).unwrap();
                let mut errors = Vec::new();
                let text =
                    bundle.format_pattern(message.value().unwrap(), Some(&args), &mut errors);
                assert!(errors.is_empty(), "{lang} {id}: {errors:?}");
                assert!(
                    !text.trim().is_empty() || id == "one-of-nothing",
                    "{lang} {id} is empty"
                );
            }
        }
    }
}

/// Every `.rs` file below `dir`.
fn sources(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
        }
    }
}

#[test]
fn every_id_the_sources_name_is_in_the_catalogs_and_every_message_is_used() {
    let en = messages(&catalog("en"));
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let all: String = files.iter().map(|(_, text)| text.as_str()).collect();
    // Named where a message is made: msg!("id" …), Message::new("id"), l.text("id").
    for (path, text) in &files {
        for opener in ["msg!(\"", "Message::new(\"", ".text(\""] {
            for (at, _) in text.match_indices(opener) {
                let rest = &text[at + opener.len()..];
                let id = &rest[..rest.find('"').unwrap()];
                assert!(
                    en.contains_key(id),
                    "{}: `{id}` is not in the catalogs",
                    path.display()
                );
            }
        }
    }
    // The --help ids are made from the commands' names (src/cli.rs, `localize`).
    let unused: Vec<_> = en
        .keys()
        .filter(|id| !id.starts_with("help") && !all.contains(&format!("\"{id}\"")))
        .collect();
    assert!(unused.is_empty(), "messages no source uses: {unused:?}");
}
