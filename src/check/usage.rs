//! `tebiki check --where ID`: every place an id is written — a UI text (`【@id】`), a step, a
//! section or a trouble entry — with `file:line:col` and what it is there: defined, listed in
//! a procedure, referred to, a window's end, where an entry arises.
//!
//! It reads the sources as written (guide.yaml, the step files, troubles.yaml, the ui.yaml
//! files): an id counts where it stands as a whole token in a YAML value, inside `【@…】`, or
//! inside a reference's `(@…)` target; a word of prose that happens to equal it does not.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostics::Position;
use crate::load::LoadedGuide;

/// One place an id is written.
#[derive(Debug, Serialize)]
pub(crate) struct Use {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// What it is there: `UI text`, `reference`, `defined`, `listed`, `window`, `arises at`, …
    pub kind: &'static str,
    /// The line, trimmed (at most 120 characters).
    pub text: String,
}

/// Every place `id` (with or without a leading `@`) is written in `guides`' sources, in file
/// order.
pub(crate) fn find(guides: &[LoadedGuide], id: &str) -> Vec<Use> {
    let id = id.trim_start_matches('@');
    let mut files: Vec<(&Path, &str, bool)> = Vec::new();
    for guide in guides {
        files.push((&guide.file.display, &guide.file.text, true));
        for step in guide.steps.values() {
            files.push((&step.source.display, &step.source.text, false));
        }
        if let Some((source, _)) = &guide.troubles {
            files.push((&source.display, &source.text, true));
        }
        for source in &guide.ui_sources {
            files.push((&source.display, &source.text, true));
        }
    }
    files.sort_by(|a, b| a.0.cmp(b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    // A step's own file is where it is written first.
    let mut uses: Vec<Use> = guides
        .iter()
        .filter_map(|g| g.steps.get(id))
        .map(|step| Use {
            file: step.source.display.clone(),
            line: 1,
            column: 1,
            kind: "step file",
            text: format!("title: {}", step.front.title),
        })
        .collect();
    for (file, text, yaml) in files {
        let front_end = if yaml {
            text.len()
        } else {
            front_matter_end(text)
        };
        for at in tokens(text, id) {
            let Some(kind) = kind_at(text, at, id, at < front_end) else {
                continue;
            };
            let position = Position::of_offset(text, at);
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let line = text[line_start..].split('\n').next().unwrap_or("").trim();
            uses.push(Use {
                file: file.to_path_buf(),
                line: position.line,
                column: position.column,
                kind,
                text: line.chars().take(120).collect(),
            });
        }
    }
    uses.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    uses
}

/// The byte where a step file's front matter ends (0 without one).
fn front_matter_end(text: &str) -> usize {
    text.strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---").map(|i| i + 4 + 4))
        .unwrap_or(0)
}

/// The bytes where `id` stands as a whole token (no id character on either side).
fn tokens<'a>(text: &'a str, id: &'a str) -> impl Iterator<Item = usize> + 'a {
    let part = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    text.match_indices(id).map(|(at, _)| at).filter(move |&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + id.len()..].chars().next();
        !before.is_some_and(part) && !after.is_some_and(part)
    })
}

/// What the token at `at` is, or `None` when it is a word of prose.
fn kind_at(text: &str, at: usize, id: &str, in_yaml: bool) -> Option<&'static str> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at];
    if before.ends_with("【@") {
        return Some("UI text");
    }
    if let Some(open) = before.rfind("](@")
        && !before[open..].contains(')')
    {
        return Some("reference");
    }
    if !in_yaml || before.contains('#') {
        return None;
    }
    let line = text[line_start..].split('\n').next().unwrap_or("");
    let trimmed = line.trim();
    let rest = &text[at + id.len()..line_start + line.len()];
    // The key the token is the value of: `key: id`, `{…, key: id}` or `key: [a, id]`.
    let near = before.rsplit([',', '{']).next().unwrap_or(before);
    let key = bare(near).or_else(|| before.rfind('[').and_then(|open| bare(&before[..open])));
    // `id: x` of a section or entry, or `x:` of ui.yaml: where it is defined.
    if key == Some("id") || (before.trim().is_empty() && rest.starts_with(':')) {
        return Some("defined");
    }
    match key {
        Some("from" | "to") => Some("window"),
        Some("arises_at") => Some("arises at"),
        Some("continue_to") => Some("continues to"),
        Some("steps") => Some("listed"),
        _ if trimmed == format!("- {id}") => Some("listed"),
        _ if trimmed.starts_with("- ") && trimmed.contains("..") => Some("arises at"),
        _ => None,
    }
}

/// The ids a guide defines (steps, sections, trouble entries, UI texts), for "did you mean".
pub(crate) fn ids(guide: &LoadedGuide) -> Vec<String> {
    let mut ids: Vec<String> = guide.steps.keys().cloned().collect();
    ids.extend(guide.def.sections.iter().map(|s| s.id.clone()));
    ids.extend(guide.ui.ids().map(str::to_owned));
    ids
}

/// `k` as a YAML key written before its value (`- key:` → `key`), if it is one.
fn bare(k: &str) -> Option<&str> {
    k.trim()
        .trim_start_matches("- ")
        .strip_suffix(':')
        .map(str::trim)
}

/// The catalog id of the words for `kind` (the JSON keeps `kind` in English).
fn kind_id(kind: &str) -> &'static str {
    match kind {
        "step file" => "where-kind-step-file",
        "UI text" => "where-kind-ui-text",
        "reference" => "where-kind-reference",
        "defined" => "where-kind-defined",
        "window" => "where-kind-window",
        "arises at" => "where-kind-arises-at",
        "continues to" => "where-kind-continues-to",
        _ => "where-kind-listed",
    }
}

/// The report for people: one line per place, `file:line:col: kind: text`.
pub(crate) fn render(id: &str, uses: &[Use], l: &crate::i18n::Localizer) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for u in uses {
        let _ = writeln!(
            out,
            "{}:{}:{}: {}: {}",
            u.file.display(),
            u.line,
            u.column,
            l.text(kind_id(u.kind)),
            u.text
        );
    }
    let count = crate::i18n::msg!(
        "where-count",
        count = uses.len(),
        id = id.trim_start_matches('@')
    );
    let _ = writeln!(out, "{}", l.format(&count));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_places() {
        let yaml = "sections:\n  - id: link\n    steps:\n      - press-back\n    title: press-back is prose\nwindows:\n  - {id: w, from: press-back, to: b}\n";
        let kinds: Vec<_> = tokens(yaml, "press-back")
            .map(|at| kind_at(yaml, at, "press-back", true))
            .collect();
        assert_eq!(kinds, [Some("listed"), None, Some("window")]);
        let md = "本文の[](@press-back)と【@back】、press-back は言葉。\n";
        assert_eq!(
            tokens(md, "press-back")
                .map(|at| kind_at(md, at, "press-back", false))
                .collect::<Vec<_>>(),
            [Some("reference"), None]
        );
        assert_eq!(
            tokens(md, "back")
                .map(|at| kind_at(md, at, "back", false))
                .collect::<Vec<_>>(),
            [Some("UI text")]
        );
    }
}
