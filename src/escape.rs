//! Escaping by context: every value that tebiki puts into a page or a picture goes through one
//! of these functions, chosen by where it lands.
//!
//! - [`html_text`]: text between tags (`&`, `<`, `>`).
//! - [`html_attr`]: a quoted attribute value (also `"` and `'`).
//! - [`url_attr`]: a URL tebiki computed, in a quoted attribute (spaces and controls
//!   percent-encoded, then escaped as an attribute).
//! - [`json_in_script`]: JSON inside an inline `<script>` (`<`, `>`, `&`, U+2028, U+2029 as
//!   `\uXXXX`, so that neither `</script>` nor `<!--` can change how the HTML parser reads it).
//! - [`xml_text`] and [`xml_attr`]: SVG, which is XML: the HTML escapes plus dropping the
//!   characters XML 1.0 forbids (most control characters), which would make the picture invalid.
//!
//! Raw HTML that authors write in Markdown is theirs and passes through (as in Zola and Hugo);
//! `check` warns about scripts in it ([`risky_html`], [`risky_url`]).

use std::borrow::Cow;
use std::fmt::Write as _;

/// Text between HTML tags.
pub(crate) fn html_text(s: &str) -> Cow<'_, str> {
    replace_chars(s, *b"&<>", |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        _ => None,
    })
}

/// A quoted HTML attribute value (either quote).
pub(crate) fn html_attr(s: &str) -> Cow<'_, str> {
    replace_chars(s, *b"&<>\"'", |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        '"' => Some("&quot;"),
        '\'' => Some("&#39;"),
        _ => None,
    })
}

/// A relative file path as a URL path: each segment percent-encoded (spaces, `#`, `?`, `%`,
/// quotes, brackets, non-ASCII), `/` kept.
pub(crate) fn url_path(path: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    path.split('/')
        .map(|segment| utf8_percent_encode(segment, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// A URL that tebiki computed, for a quoted attribute: whitespace, controls, quotes and angle
/// brackets are percent-encoded (a browser would drop or misread them), then `&` is escaped.
pub(crate) fn url_attr(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            c if c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>') => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// JSON for an inline `<script>` element: nothing in it can end the element, open a comment
/// or a nested script, or end a line for old JavaScript parsers.
pub(crate) fn json_in_script(value: &impl serde::Serialize) -> String {
    // Only a map with keys that are not strings fails, and tebiki writes none.
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
    // These characters only ever occur inside JSON strings, where `\uXXXX` means the same.
    // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
    let escaped = replace_chars(&json, *b"<>&\xE2", |c| match c {
        '<' => Some("\\u003c"),
        '>' => Some("\\u003e"),
        '&' => Some("\\u0026"),
        '\u{2028}' => Some("\\u2028"),
        '\u{2029}' => Some("\\u2029"),
        _ => None,
    });
    match escaped {
        Cow::Owned(escaped) => escaped,
        // Nothing to escape (a page's JSON-LD is some 200 kB): no copy.
        Cow::Borrowed(_) => json,
    }
}

/// Appends `s` to `out` as a JSON string for an inline `<script>`: what `serde_json` writes for
/// it (`\"`, `\\`, `\n`, `\t`, `\r`, `\b`, `\f`, `\u00XX` for the other controls) with
/// `<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX`, as [`json_in_script`] gives them. The text is
/// scanned in blocks ([`next_look`]): a page's JSON-LD is mostly step texts with nothing to
/// escape, and `serde_json` looks at them byte by byte.
pub(crate) fn json_script_string(out: &mut String, s: &str) {
    let look = |b: u8| {
        u8::from(b < 0x20)
            | u8::from(b == b'"')
            | u8::from(b == b'\\')
            | u8::from(b == b'<')
            | u8::from(b == b'>')
            | u8::from(b == b'&')
            | u8::from(b == 0xE2)
    };
    let bytes = s.as_bytes();
    out.reserve(s.len() + 2);
    out.push('"');
    // The end of what is already in `out`.
    let mut done = 0;
    let mut at = 0;
    let mut control;
    loop {
        at = next_look(bytes, at, look);
        let Some(&byte) = bytes.get(at) else {
            break;
        };
        let escaped = match byte {
            b'"' => Some(("\\\"", 1)),
            b'\\' => Some(("\\\\", 1)),
            b'\n' => Some(("\\n", 1)),
            b'\t' => Some(("\\t", 1)),
            b'\r' => Some(("\\r", 1)),
            0x08 => Some(("\\b", 1)),
            0x0C => Some(("\\f", 1)),
            b'<' => Some(("\\u003c", 1)),
            b'>' => Some(("\\u003e", 1)),
            b'&' => Some(("\\u0026", 1)),
            0..0x20 => {
                control = format!("\\u{byte:04x}");
                Some((control.as_str(), 1))
            }
            // U+2028 and U+2029 are E2 80 A8 and E2 80 A9; other characters from E2 stay.
            0xE2 => match bytes.get(at + 1..at + 3) {
                Some([0x80, 0xA8]) => Some(("\\u2028", 3)),
                Some([0x80, 0xA9]) => Some(("\\u2029", 3)),
                _ => None,
            },
            _ => None,
        };
        let Some((escaped, len)) = escaped else {
            at += 1;
            continue;
        };
        out.push_str(&s[done..at]);
        out.push_str(escaped);
        at += len;
        done = at;
    }
    out.push_str(&s[done..]);
    out.push('"');
}

/// The first byte from `at` on for which `look` gives 1 (`bytes.len()` when there is none).
/// `look` answers in bytes (1: look closer), so that the compiler compares blocks of 32 bytes
/// whole, without branching; a text usually has long runs with nothing to look at.
fn next_look(bytes: &[u8], mut at: usize, look: impl Fn(u8) -> u8) -> usize {
    while let Some(block) = bytes.get(at..at + 32) {
        if block.iter().fold(0u8, |hit, &b| hit | look(b)) != 0 {
            break;
        }
        at += 32;
    }
    let rest = bytes.get(at..).unwrap_or_default();
    rest.iter()
        .position(|&b| look(b) == 1)
        .map_or(bytes.len(), |i| at + i)
}

/// Text inside an SVG (XML) element.
pub(crate) fn xml_text(s: &str) -> String {
    html_text(&xml_chars(s)).into_owned()
}

/// A quoted attribute value inside an SVG (XML) document.
pub(crate) fn xml_attr(s: &str) -> String {
    html_attr(&xml_chars(s)).into_owned()
}

/// Drops what XML 1.0 does not allow: controls other than tab, newline and carriage return,
/// and the non-characters U+FFFE and U+FFFF.
fn xml_chars(s: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        (!c.is_control() || matches!(c, '\t' | '\n' | '\r'))
            && !matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    if s.chars().all(allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|c| allowed(*c)).collect())
    }
}

/// `s` with each character for which `replacement` gives a text replaced by it. `leads` are the
/// first bytes in UTF-8 of every character `replacement` replaces (ASCII characters, or lead
/// bytes): the text is scanned 32 bytes at a time for them (a page's JSON-LD is some 200 kB,
/// usually with nothing to replace), and only at those bytes is a character decoded.
fn replace_chars<const N: usize>(
    s: &str,
    leads: [u8; N],
    replacement: impl Fn(char) -> Option<&'static str>,
) -> Cow<'_, str> {
    let lead = |b: u8| leads.iter().fold(0u8, |hit, &l| hit | u8::from(b == l));
    let bytes = s.as_bytes();
    let mut out = String::new();
    // The end of what is already in `out` (0: nothing replaced yet).
    let mut done = 0;
    let mut at = 0;
    loop {
        at = next_look(bytes, at, lead);
        if at >= bytes.len() {
            break;
        }
        // A lead byte or an ASCII one always starts a character.
        let c = s.get(at..).and_then(|rest| rest.chars().next());
        if let Some((c, text)) = c
            .filter(|_| lead(bytes[at]) == 1)
            .and_then(|c| Some((c, replacement(c)?)))
        {
            if done == 0 {
                out.reserve(s.len() + 16);
            }
            out.push_str(&s[done..at]);
            out.push_str(text);
            done = at + c.len_utf8();
        }
        at += 1;
    }
    if done == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[done..]);
    Cow::Owned(out)
}

/// A script in raw HTML an author wrote: what it is, for `check`'s warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Risk {
    /// Byte offset of the risky part within the HTML given.
    pub offset: usize,
    pub len: usize,
    /// What it is: the catalog id of its name (`risk-script`).
    pub what: &'static str,
}

/// Scripts in a piece of raw HTML: `<script>` elements, inline event handlers (`onclick=…`)
/// and `javascript:` URLs in attributes. The HTML is read by `lol_html` (the parser the
/// project uses for every HTML scan), so only real tags and attributes count; each risk points
/// at its place in the tag's source text.
pub(crate) fn risky_html(html: &str) -> Vec<Risk> {
    let risks = std::cell::RefCell::new(Vec::new());
    let _ = lol_html::rewrite_str(
        html,
        lol_html::RewriteStrSettings {
            element_content_handlers: vec![lol_html::element!("*", |el| {
                let range = el.source_location().bytes();
                let tag = html.get(range.clone()).unwrap_or("").to_ascii_lowercase();
                let mut found = risks.borrow_mut();
                if el.tag_name() == "script" {
                    found.push(Risk {
                        offset: range.start,
                        len: "<script".len(),
                        what: "risk-script",
                    });
                }
                for attribute in el.attributes() {
                    let name = attribute.name();
                    let at = tag.find(&name).unwrap_or(0);
                    if name.len() > 2 && name.starts_with("on") {
                        found.push(Risk {
                            offset: range.start + at,
                            len: name.len(),
                            what: "risk-event-handler",
                        });
                    }
                    let value = attribute.value();
                    if risky_url(&value) {
                        let shown = value.trim_start().to_ascii_lowercase();
                        let at = tag[at..]
                            .find(&shown[..shown.len().min(4)])
                            .map_or(at, |i| at + i);
                        found.push(Risk {
                            offset: range.start + at,
                            len: value.find(':').map_or(1, |i| i + 1),
                            what: "risk-javascript-url",
                        });
                    }
                }
                Ok(())
            })],
            ..lol_html::RewriteStrSettings::new()
        },
    );
    risks.into_inner()
}

/// Whether a URL runs script when followed: `javascript:`, `vbscript:` or an HTML `data:` URL,
/// however it is spelt (case, spaces, controls and entity-free tricks browsers ignore).
pub(crate) fn risky_url(url: &str) -> bool {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(24)
        .flat_map(char::to_lowercase)
        .collect();
    squeezed.starts_with("javascript:")
        || squeezed.starts_with("vbscript:")
        || squeezed.starts_with("data:text/html")
        || squeezed.starts_with("data:image/svg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_as_serde_json_and_json_in_script_write_them() {
        // Every ASCII character, the line and paragraph separators, other characters led by
        // E2 (※ … →), and runs long enough to be skipped in blocks, at every offset.
        let mut samples: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        let tricky = "手順※1…→\u{2028}x\u{2029}<a href=\"&\">\\\n\t\u{1}\u{1f}\u{7f}";
        for pad in 0..20 {
            samples.push(format!("{}{tricky}{}", "あ".repeat(pad), "-".repeat(pad)));
            samples.push(format!("{}{}", "x".repeat(pad), "\u{2029}"));
        }
        for sample in samples {
            let mut ours = String::new();
            json_script_string(&mut ours, &sample);
            assert_eq!(ours, json_in_script(&sample), "{sample:?}");
        }
    }

    #[test]
    fn html_contexts() {
        assert_eq!(html_text("a<b>&c\"'"), "a&lt;b&gt;&amp;c\"'");
        assert_eq!(html_attr("a\"b'c<"), "a&quot;b&#39;c&lt;");
        assert!(matches!(html_text("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn replacing_scans_bytes_but_replaces_characters() {
        assert_eq!(html_text("<手順→&>"), "&lt;手順→&amp;&gt;");
        assert_eq!(html_text("→"), "→");
        assert_eq!(
            json_in_script(&"→</script>\u{2028}※\u{2029}"),
            "\"→\\u003c/script\\u003e\\u2028※\\u2029\""
        );
        assert_eq!(json_in_script(&"手順"), "\"手順\"");
    }

    #[test]
    fn long_texts_are_replaced_as_char_by_char_would() {
        let naive = |s: &str| {
            s.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_owned(),
                    '<' => "&lt;".to_owned(),
                    '>' => "&gt;".to_owned(),
                    c => c.to_string(),
                })
                .collect::<String>()
        };
        let pieces = ["a", "手順", "<", "→", "&", "※", ">", "bc", "\u{2028}"];
        for len in [0, 1, 31, 32, 33, 64, 95, 200] {
            for start in 0..pieces.len() {
                let text: String = (0..len)
                    .map(|i| pieces[(start + i * 7) % pieces.len()])
                    .collect();
                assert_eq!(html_text(&text), naive(&text), "{text:?}");
            }
        }
        let plain = "手順".repeat(40);
        assert!(matches!(html_text(&plain), Cow::Borrowed(_)));
    }

    #[test]
    fn urls_cannot_leave_their_attribute() {
        assert_eq!(
            url_attr("https://x.test/a b?q=1&r=\"2\"<"),
            "https://x.test/a%20b?q=1&amp;r=%222%22%3C"
        );
    }

    #[test]
    fn json_cannot_change_the_html_parser_state() {
        let v = serde_json::json!({"t": "`<!--` で `<script>` を</script>&\u{2028}"});
        let out = json_in_script(&v);
        assert!(
            !out.contains('<') && !out.contains('>') && !out.contains('&'),
            "{out}"
        );
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, v, "the escapes mean the same to a JSON parser");
    }

    #[test]
    fn xml_drops_forbidden_characters() {
        assert_eq!(xml_text("a\u{1b}[31mb<"), "a[31mb&lt;");
        assert_eq!(xml_attr("x\u{0}\"y"), "x&quot;y");
    }

    #[test]
    fn scripts_in_raw_html_are_found() {
        let whats = |html: &str| {
            risky_html(html)
                .into_iter()
                .map(|r| r.what)
                .collect::<Vec<_>>()
        };
        assert_eq!(whats("<p>hi</p>"), Vec::<&str>::new());
        assert_eq!(whats("<SCRIPT>alert(1)</SCRIPT>"), ["risk-script"]);
        assert_eq!(
            whats("<img src=x onerror=alert(1)>"),
            ["risk-event-handler"]
        );
        assert_eq!(
            whats("<a href=\"JaVa\tScript:alert(1)\">x</a>"),
            ["risk-javascript-url"]
        );
        assert_eq!(whats("<p>button on the left</p>"), Vec::<&str>::new());
        assert!(risky_url(" javascript:alert(1)"));
        assert!(!risky_url("https://zaim.net/"));
    }
}

/// `text` as HTML with each of its Japanese phrases (the `BudouX` Japanese model) in a
/// `<span class="phrase">`, for a heading whose phrases the theme keeps whole (`display:
/// inline-block`): it breaks between phrases, never inside a word, in every browser. A phrase
/// never ends with an opening bracket nor starts with closing punctuation (they move to the
/// phrase they belong to). Text without Japanese characters is only escaped.
pub(crate) fn phrases_html(text: &str) -> String {
    let japanese = text.chars().any(|c| {
        matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF01}'..='\u{FF60}' | '\u{3000}'..='\u{303F}')
    });
    if !japanese {
        return html_text(text).into_owned();
    }
    let mut out = String::with_capacity(text.len() * 2);
    for phrase in phrases(text) {
        out.push_str("<span class=\"phrase\">");
        out.push_str(&html_text(&phrase));
        out.push_str("</span>");
    }
    out
}

/// Characters that may not end a line (opening brackets).
const OPENING: &str = "「『（【〈《〔［｛(\\[{“‘";
/// Characters that may not start a line (closing brackets and punctuation).
const CLOSING: &str = "」』）】〉》〕］｝)]}”’、。，．・：；？！ー〜…‥,.:;?!";

/// The `BudouX` phrases of `text`, with opening brackets moved to the start of the next phrase and
/// closing punctuation to the end of the one before.
fn phrases(text: &str) -> Vec<String> {
    let mut phrases = budoux::parse(budoux::models::default_japanese_model(), text);
    for i in 1..phrases.len() {
        let (before, after) = phrases.split_at_mut(i);
        let (prev, next) = (&mut before[i - 1], &mut after[0]);
        // Closing punctuation at the start of `next` belongs to `prev`.
        let closing: String = next.chars().take_while(|c| CLOSING.contains(*c)).collect();
        prev.push_str(&closing);
        next.drain(..closing.len());
        // Opening brackets at the end of `prev` belong to `next`.
        let opening: String = prev
            .chars()
            .rev()
            .take_while(|c| OPENING.contains(*c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        prev.truncate(prev.len() - opening.len());
        next.insert_str(0, &opening);
    }
    phrases.retain(|p| !p.is_empty());
    phrases
}

#[cfg(test)]
mod phrase_tests {
    use super::*;

    #[test]
    fn brackets_stay_with_their_phrase() {
        for p in
            phrases("【連携する】を押してから【認証する】を押すまでに、5分以上かかってしまった")
        {
            assert!(!OPENING.contains(p.chars().next_back().unwrap()), "{p}");
            assert!(!CLOSING.contains(p.chars().next().unwrap()), "{p}");
        }
        assert_eq!(
            phrases_html("連携に失敗したときの表示"),
            "<span class=\"phrase\">連携に</span><span class=\"phrase\">失敗した</span><span class=\"phrase\">ときの</span><span class=\"phrase\">表示</span>"
        );
        assert_eq!(
            phrases_html("Troubleshooting <x>"),
            "Troubleshooting &lt;x&gt;"
        );
    }
}
