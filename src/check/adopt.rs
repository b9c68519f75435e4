//! What `tebiki check` says of the vocabulary, and what `check --fix` changes: UI texts a guide
//! spells out by hand although its vocabulary names them (【連携設定】 in a body while
//! `link-settings` exists, `text: 連携する` in a mock-up), each with the reference that replaces
//! it; and entries no page uses.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::PathBuf;

use crate::config::Labels;
use crate::diagnostics::Diagnostic;
use crate::i18n::msg;
use crate::load::{LoadedGuide, Source};
use crate::ui::{Form, UiKind, Vocabulary, scan, shown};

/// Mock-up and picture fields whose whole value is a text as the app draws it.
const BARE_KEYS: &[&str] = &[
    "screen", "text", "label", "value", "detail", "title", "app", "right",
];

/// One hand-written UI text and the reference that replaces it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Fix {
    /// The file, for I/O, and as messages name it.
    pub path: PathBuf,
    pub display: PathBuf,
    pub range: Range<usize>,
    pub id: String,
}

impl Fix {
    /// What replaces the range.
    pub(crate) fn replacement(&self) -> String {
        format!("【@{}】", self.id)
    }
}

/// A text of the vocabulary found written by hand at `range` of a source.
struct Found {
    range: Range<usize>,
    id: String,
    written: String,
}

/// The hand-written UI texts of `guide`, as warnings and fixes.
pub(crate) fn hand_written(guide: &LoadedGuide, labels: &Labels) -> (Vec<Diagnostic>, Vec<Fix>) {
    let mut diagnostics = Vec::new();
    let mut fixes = Vec::new();
    if guide.ui.is_empty() {
        return (diagnostics, fixes);
    }
    for source in sources(guide) {
        for found in in_text(&source.text, &guide.ui, labels) {
            diagnostics.push(
                Diagnostic::warning(msg!("ui-by-hand", written = &found.written, id = &found.id))
                    .in_file(&source.display)
                    .at_span(&source.text, found.range.start, found.range.end)
                    .with_hint(msg!("ui-by-hand-hint", id = &found.id)),
            );
            fixes.push(Fix {
                path: source.path.clone(),
                display: source.display.clone(),
                range: found.range,
                id: found.id,
            });
        }
    }
    (diagnostics, fixes)
}

/// UI references whose prose form doubles what is written around them: brackets around a
/// form that has its own (「【@ok】」 shows 「【OK】」), or the word a form ends with written
/// after it (【@code-screen】画面 shows 「本人認証」画面画面). A warning at the place; the fix
/// leaves the reference alone.
pub(crate) fn doubled(guide: &LoadedGuide, labels: &Labels) -> (Vec<Diagnostic>, Vec<Fix>) {
    let mut diagnostics = Vec::new();
    let mut fixes = Vec::new();
    for source in sources(guide) {
        let text = &source.text;
        for r in scan(text) {
            let Some(entry) = guide.ui.get(r.id) else {
                continue;
            };
            let prose = shown(entry, labels, Form::Prose);
            let Some(range) = doubling(text, r.range.clone(), &prose) else {
                continue;
            };
            let written = &text[range.clone()];
            let shows = written.replace(&text[r.range.clone()], &prose);
            diagnostics.push(
                Diagnostic::warning(msg!(
                    "ui-doubled",
                    written = written,
                    shows = shows,
                    id = r.id,
                    prose = prose
                ))
                .in_file(&source.display)
                .at_span(text, range.start, range.end)
                .with_hint(msg!("ui-doubled-hint", id = r.id)),
            );
            fixes.push(Fix {
                path: source.path.clone(),
                display: source.display.clone(),
                range,
                id: r.id.to_owned(),
            });
        }
    }
    (diagnostics, fixes)
}

/// The range of the reference at `at` with what doubles its prose form `prose` around it, if
/// anything does.
fn doubling(text: &str, at: Range<usize>, prose: &str) -> Option<Range<usize>> {
    const OPENING: [char; 2] = ['「', '【'];
    const CLOSING: [char; 2] = ['」', '】'];
    let before = text[..at.start].chars().next_back();
    let after = text[at.end..].chars().next();
    // Brackets around a form that starts with its own.
    if prose.starts_with(OPENING)
        && let (Some(open), Some(close)) = (before, after)
        && OPENING.contains(&open)
        && CLOSING.contains(&close)
    {
        return Some(at.start - open.len_utf8()..at.end + close.len_utf8());
    }
    // The word after the form's closing bracket (画面, 欄, の通知) written again after it.
    let tail = prose.rfind(CLOSING).map(|i| &prose[i..])?;
    let word = tail.chars().skip(1).collect::<String>();
    (!word.is_empty() && text[at.end..].starts_with(&word)).then(|| at.start..at.end + word.len())
}

/// Entries of the ui.yaml files that no guide refers to, as warnings at their ids.
pub(crate) fn unused(guides: &[&LoadedGuide]) -> Vec<Diagnostic> {
    let used: BTreeSet<&str> = guides
        .iter()
        .flat_map(|g| sources(g))
        .flat_map(|s| scan(&s.text).map(|r| r.id))
        .collect();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for source in guides.iter().flat_map(|g| &g.ui_sources) {
        if !seen.insert(source.path.clone()) {
            continue;
        }
        let Ok(file) = serde_saphyr::from_str::<crate::ui::UiFile>(&source.text) else {
            continue;
        };
        for id in file.keys().filter(|id| !used.contains(id.as_str())) {
            let d = Diagnostic::warning(msg!("ui-unused", id = id))
                .in_file(&source.display)
                .with_hint(msg!("ui-unused-hint"));
            out.push(crate::yaml::point_key(
                d,
                &source.text,
                0,
                &source.text,
                &[crate::yaml::Seg::Key(id)],
            ));
        }
    }
    out
}

/// The guide's sources that may name UI texts: guide.yaml, troubles.yaml and the step files.
pub(crate) fn sources(guide: &LoadedGuide) -> Vec<&Source> {
    let mut sources: Vec<&Source> = vec![&guide.file];
    sources.extend(guide.troubles.as_ref().map(|(s, _)| s));
    let mut seen = BTreeSet::new();
    for step in guide.steps.values() {
        if seen.insert(&step.source.path) {
            sources.push(&step.source);
        }
    }
    sources
}

/// The vocabulary's texts written by hand in `text`: each entry's prose form anywhere (【連携設定】,
/// 「連携設定」画面), and its bare text as the whole value of a mock-up field. Where two overlap,
/// the longer wins.
fn in_text(text: &str, ui: &Vocabulary, labels: &Labels) -> Vec<Found> {
    let mut found = Vec::new();
    for (id, entry) in ui.entries() {
        let form = shown(entry, labels, Form::Prose);
        for (start, _) in text.match_indices(&form) {
            found.push(Found {
                range: start..start + form.len(),
                id: id.to_owned(),
                written: form.clone(),
            });
        }
        for range in bare_values(text, &entry.text) {
            let key = key_before(text, range.start);
            // A title bar shows a screen's name; other fields show buttons, menus, messages.
            let fits = (key == "screen") == (entry.kind == UiKind::Screen);
            if fits
                || !ui
                    .entries()
                    .any(|(_, e)| e.text == entry.text && e.kind != entry.kind)
            {
                found.push(Found {
                    range,
                    id: id.to_owned(),
                    written: format!("`{}`", entry.text),
                });
            }
        }
    }
    found.sort_by_key(|f| (f.range.start, std::cmp::Reverse(f.range.len())));
    let mut kept: Vec<Found> = Vec::new();
    for f in found {
        if kept.last().is_none_or(|k| f.range.start >= k.range.end) {
            kept.push(f);
        }
    }
    kept
}

/// Where `value` is the whole value of a field of [`BARE_KEYS`] (`text: 連携する`,
/// `text: '連携する'`, `{…, text: "連携する"}`): the ranges of the value without its quotes.
fn bare_values(text: &str, value: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for key in BARE_KEYS {
        let pattern = format!("{key}:");
        for (at, _) in text.match_indices(&pattern) {
            let starts_key = text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| c == ' ' || c == '{' || c == ',' || c == '\n' || c == '-');
            if !starts_key {
                continue;
            }
            let after = &text[at + pattern.len()..];
            let spaces = after.len() - after.trim_start_matches(' ').len();
            let rest = &after[spaces..];
            let (quote, body) = match rest.chars().next() {
                Some(q @ ('\'' | '"')) => (Some(q), &rest[1..]),
                _ => (None, rest),
            };
            if !body.starts_with(value) {
                continue;
            }
            let next = body[value.len()..].chars().next();
            let closed = match quote {
                Some(q) => next == Some(q),
                None => next.is_none_or(|c| matches!(c, ',' | '}' | '\n' | '\r')),
            };
            if closed {
                let start = at + pattern.len() + spaces + usize::from(quote.is_some());
                out.push(start..start + value.len());
            }
        }
    }
    out
}

/// The field name before a value at `at` (`text` in `text: 連携する`).
fn key_before(text: &str, at: usize) -> &str {
    let head = text[..at].trim_end_matches([' ', '\'', '"']);
    let head = head.strip_suffix(':').unwrap_or(head);
    let start = head
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    &head[start..]
}

/// `text` with `fixes` (ranges of it) replaced by their references.
pub(crate) fn apply(text: &str, fixes: &[&Fix]) -> String {
    let mut sorted: Vec<&&Fix> = fixes.iter().collect();
    sorted.sort_by_key(|f| f.range.start);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for fix in sorted {
        if fix.range.start < last {
            continue;
        }
        out.push_str(&text[last..fix.range.start]);
        out.push_str(&fix.replacement());
        last = fix.range.end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let file: crate::ui::UiFile = serde_saphyr::from_str(
            "link-settings: {text: 連携設定, kind: menu}\nlink-settings-screen: {text: 連携設定, kind: screen}\nlink: {text: 連携する, kind: button}\nupdating: {text: 〇更新中…, kind: message}\n",
        )
        .unwrap();
        Vocabulary::merged(None, Some(&file))
    }

    #[test]
    fn prose_forms_and_whole_mock_up_values_are_found_with_the_right_kind() {
        let labels = Labels::for_language("ja");
        let text = "---\ntitle: 【連携設定】を押す\nimage:\n  mockup:\n    screen: '連携設定'\n    items:\n      - {kind: button, id: link, text: '連携する'}\n      - {kind: row, text: Amazon, detail: 〇更新中…}\n      - {kind: text, text: 連携するまで待つ}\n---\n「連携設定」画面で【連携する】を押すと「〇更新中…」になります。\n";
        let found: Vec<(String, String)> = in_text(text, &vocabulary(), &labels)
            .into_iter()
            .map(|f| (text[f.range].to_owned(), f.id))
            .collect();
        let pairs: Vec<(&str, &str)> = found
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("【連携設定】", "link-settings"),
                ("連携設定", "link-settings-screen"),
                ("連携する", "link"),
                ("〇更新中…", "updating"),
                ("「連携設定」画面", "link-settings-screen"),
                ("【連携する】", "link"),
                ("「〇更新中…」", "updating"),
            ]
        );
    }

    #[test]
    fn fixes_replace_their_ranges_with_references() {
        let fix = |range: Range<usize>, id: &str| Fix {
            path: PathBuf::new(),
            display: PathBuf::new(),
            range,
            id: id.to_owned(),
        };
        let text = "【連携する】を押す";
        let a = fix(0..text.find('を').unwrap(), "link");
        assert_eq!(apply(text, &[&a]), "【@link】を押す");
    }
}
