//! The app's UI vocabulary: the labels and messages the documented app shows, named once in
//! `ui.yaml` (the site's, beside site.yaml, and each guide's own in its folder) by id and kind,
//! and referred to as `【@id】` anywhere a guide writes UI text: Markdown bodies, titles, trouble
//! entries, window notes, alt texts and mock-up items. A reference is rendered with its kind's
//! convention from the labels (a button as 【連携設定】, a screen as 「連携設定」画面, a message as
//! 「…」); in a mock-up it is the bare text, as the app draws it. Renaming a label is then one
//! edit of ui.yaml.
//!
//! This module owns the grammar of a reference (`【@` id `】`): [`scan`] is its only parser,
//! used by load (unknown ids), render (the forms), check (hand-written labels) and `check --fix`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;

use crate::config::Labels;

/// The vocabulary's file name, in the site's root and in a guide's folder.
pub(crate) const UI_FILE: &str = "ui.yaml";

/// The opening and closing of a reference.
pub(crate) const OPEN: &str = "【@";
const CLOSE: &str = "】";

/// What a UI text is, which decides how prose shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum UiKind {
    Button,
    Screen,
    Message,
    Menu,
    Field,
    Notification,
}

impl UiKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Button => "button",
            Self::Screen => "screen",
            Self::Message => "message",
            Self::Menu => "menu",
            Self::Field => "field",
            Self::Notification => "notification",
        }
    }

    /// The label that gives this kind's form in prose: `ui_button` → "【{text}】".
    fn label_key(self) -> String {
        format!("ui_{}", self.as_str())
    }
}

/// One entry of ui.yaml.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UiEntry {
    /// The text exactly as the app shows it (without brackets).
    pub text: String,
    pub kind: UiKind,
}

/// ui.yaml: entries by id.
pub(crate) type UiFile = BTreeMap<String, UiEntry>;

/// A guide's vocabulary: the site's entries, with the guide's own over them.
#[derive(Clone, Debug, Default, Hash)]
pub(crate) struct Vocabulary {
    entries: BTreeMap<String, UiEntry>,
}

/// A reference written in a text: the byte range of `【@id】` and the id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct UiRef<'a> {
    pub range: Range<usize>,
    pub id: &'a str,
}

/// Whether `c` may be part of an id (the ids of every other tebiki name).
fn is_id_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'
}

/// Where the first [`OPEN`] at or after byte `from` of `text` starts. Each `@` is found (one
/// ASCII byte, which Japanese text seldom has) and what comes before it compared: a substring
/// search for `【@` stopped at almost every character of Japanese text, whose bytes end in
/// `【`'s last byte as often as not.
pub(crate) fn find_open(text: &str, from: usize) -> Option<usize> {
    let before = OPEN.len() - '@'.len_utf8();
    let bytes = text.as_bytes();
    let rest = bytes.get(from..)?;
    memchr::memchr_iter(b'@', rest)
        .map(|at| from + at)
        .find(|&at| at >= from + before && bytes[..=at].ends_with(OPEN.as_bytes()))
        .map(|at| at - before)
}

/// Whether `text` has an [`OPEN`] (well-formed reference or not).
pub(crate) fn has_reference(text: &str) -> bool {
    find_open(text, 0).is_some()
}

/// Every reference in `text`, in order. Only `【@` + an id + `】` is one; anything else
/// (`【@】`, `【@Bad】`, a lone `【@`) is left as text.
pub(crate) fn scan(text: &str) -> impl Iterator<Item = UiRef<'_>> {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(start) = find_open(text, from) {
            let id_start = start + OPEN.len();
            let id_len = text[id_start..]
                .find(|c: char| !is_id_char(c))
                .unwrap_or(text.len() - id_start);
            let id_end = id_start + id_len;
            from = id_start;
            if id_len > 0 && text[id_end..].starts_with(CLOSE) {
                let end = id_end + CLOSE.len();
                from = end;
                return Some(UiRef {
                    range: start..end,
                    id: &text[id_start..id_end],
                });
            }
        }
        None
    })
}

/// How a reference is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    /// In prose, with its kind's brackets: 【連携設定】.
    Prose,
    /// As the app draws it, in a mock-up: 連携設定.
    Bare,
}

impl Vocabulary {
    /// The site's entries with the guide's over them.
    pub(crate) fn merged(site: Option<&UiFile>, guide: Option<&UiFile>) -> Self {
        let mut entries = BTreeMap::new();
        for file in [site, guide].into_iter().flatten() {
            for (id, entry) in file {
                entries.insert(id.clone(), entry.clone());
            }
        }
        Self { entries }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub(crate) fn get(&self, id: &str) -> Option<&UiEntry> {
        self.entries.get(id)
    }

    pub(crate) fn ids(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    pub(crate) fn entries(&self) -> impl Iterator<Item = (&str, &UiEntry)> {
        self.entries.iter().map(|(id, e)| (id.as_str(), e))
    }

    /// `text` with every known reference replaced by its form; unknown ones stay as written
    /// (load has reported them).
    pub(crate) fn expand<'t>(&self, text: &'t str, labels: &Labels, form: Form) -> Cow<'t, str> {
        if self.entries.is_empty() || !has_reference(text) {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for r in scan(text) {
            if let Some(entry) = self.get(r.id) {
                out.push_str(&text[last..r.range.start]);
                out.push_str(&shown(entry, labels, form));
                last = r.range.end;
            }
        }
        out.push_str(&text[last..]);
        Cow::Owned(out)
    }

    /// Each known reference of `text` with what it shows in prose, for Markdown to mark up.
    pub(crate) fn pieces<'t>(&self, text: &'t str, labels: &Labels) -> Vec<Piece<'t>> {
        let mut pieces = Vec::new();
        let mut last = 0;
        for r in scan(text) {
            if let Some(entry) = self.get(r.id) {
                if last < r.range.start {
                    pieces.push(Piece::Text(&text[last..r.range.start]));
                }
                pieces.push(Piece::Ui {
                    kind: entry.kind,
                    shown: shown(entry, labels, Form::Prose),
                });
                last = r.range.end;
            }
        }
        if last < text.len() {
            pieces.push(Piece::Text(&text[last..]));
        }
        pieces
    }
}

/// A piece of a text: as written, or a reference shown with its kind's form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Piece<'t> {
    Text(&'t str),
    Ui { kind: UiKind, shown: String },
}

/// What `entry` shows as `form`.
pub(crate) fn shown(entry: &UiEntry, labels: &Labels, form: Form) -> String {
    match form {
        Form::Bare => entry.text.clone(),
        Form::Prose => labels.fill(&entry.kind.label_key(), &[("text", &entry.text)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let file: UiFile = serde_saphyr::from_str(
            "link-settings: {text: 連携設定, kind: button}\nlink-screen: {text: 連携設定, kind: screen}\nok: {text: 連携に成功しました, kind: message}\n",
        )
        .unwrap();
        Vocabulary::merged(None, Some(&file))
    }

    #[test]
    fn openings_are_found_from_their_at_sign() {
        let text = "a@b 【@x】 【 @y】 @【@z";
        let starts: Vec<usize> = text.match_indices(OPEN).map(|(at, _)| at).collect();
        for from in (0..=text.len()).filter(|&at| text.is_char_boundary(at)) {
            let expected = starts.iter().copied().find(|&at| at >= from);
            assert_eq!(find_open(text, from), expected, "from {from}");
        }
        for (text, has) in [
            ("【@ok】を押す", true),
            ("メール a@b.jp と 【@ok】", true),
            ("【ok】と @ok", false),
            ("@【@", true),
            ("【 @ok】", false),
            ("【】@", false),
            ("@", false),
            ("", false),
        ] {
            assert_eq!(has_reference(text), has, "{text}");
            assert_eq!(has, text.contains(OPEN), "{text}");
        }
    }

    #[test]
    fn references_are_found_only_when_well_formed() {
        let text = "【@link-settings】を押し、【@】【@Bad】【@x 】【@ok】【@ok";
        let found: Vec<(Range<usize>, &str)> = scan(text).map(|r| (r.range, r.id)).collect();
        let second = text.find("【@ok】").unwrap();
        assert_eq!(
            found,
            [
                (0..text.find('を').unwrap(), "link-settings"),
                (second..second + "【@ok】".len(), "ok"),
            ]
        );
    }

    #[test]
    fn each_kind_has_its_form_in_prose_and_the_bare_text_in_a_mock_up() {
        let labels = Labels::for_language("ja");
        let v = vocabulary();
        assert_eq!(
            v.expand(
                "【@link-settings】を押すと【@link-screen】が開き、【@ok】と出ます。【@nope】",
                &labels,
                Form::Prose
            ),
            "【連携設定】を押すと「連携設定」画面が開き、「連携に成功しました」と出ます。【@nope】"
        );
        assert_eq!(
            v.expand("【@link-settings】", &labels, Form::Bare),
            "連携設定"
        );
        let en = Labels::for_language("en");
        assert_eq!(
            v.expand("Tap 【@link-settings】.", &en, Form::Prose),
            "Tap “連携設定”."
        );
    }

    #[test]
    fn the_guide_s_entries_win_over_the_site_s() {
        let site: UiFile =
            serde_saphyr::from_str("a: {text: 古い, kind: button}\nb: {text: B, kind: menu}\n")
                .unwrap();
        let guide: UiFile = serde_saphyr::from_str("a: {text: 新しい, kind: button}\n").unwrap();
        let v = Vocabulary::merged(Some(&site), Some(&guide));
        assert_eq!(v.get("a").unwrap().text, "新しい");
        assert_eq!(v.get("b").unwrap().text, "B");
    }
}
