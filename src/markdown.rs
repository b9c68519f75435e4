//! Markdown to HTML, with tebiki's references and callouts.
//!
//! A link whose target starts with `@` is a reference: it is resolved against the
//! [`SiteIndex`] and rendered as `<a class="ref">`, with computed text when the author gave none.
//! GitHub alert blockquotes (`> [!CAUTION]`, `> [!TIP]`, `> [!NOTE]`, …) become callout boxes.
//! Each rendering also yields plain text (for the `HowTo` JSON-LD) and the problems it found.

use pulldown_cmark::{BlockQuoteKind, Event, Parser, Tag, TagEnd};

use crate::diagnostics::Diagnostic;
use crate::escape::{html_text, url_attr};
use crate::load::Source;
use crate::resolve::{GuideId, RefContext, RefError, SiteIndex};
use crate::yaml::Seg;

/// Where a piece of Markdown sits in its file, to point diagnostics at it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Origin<'a> {
    /// The Markdown is the file's text from this byte on (a step body).
    Exact(&'a Source, usize),
    /// The Markdown came out of a YAML string that starts near `YamlAt` (block scalars are
    /// re-indented, so a reference is found by searching for it from there).
    Yaml(&'a Source, YamlAt<'a>),
}

/// Where a YAML string starts in its file.
#[derive(Clone, Copy, Debug)]
pub(crate) enum YamlAt<'a> {
    /// At this byte.
    Offset(usize),
    /// At the value at `path` of `yaml` (the file's YAML part, at byte `base`): looked up only
    /// when a problem is reported, since finding it parses the YAML's spans.
    Value {
        base: usize,
        yaml: &'a str,
        path: &'a [Seg<'a>],
    },
}

impl YamlAt<'_> {
    fn offset(self, source: &Source) -> usize {
        match self {
            Self::Offset(offset) => offset,
            Self::Value { base, yaml, path } => source.yaml_offset(base, yaml, path),
        }
    }
}

/// Everything needed to render one piece of Markdown.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MdContext<'a> {
    pub index: &'a SiteIndex,
    pub from: RefContext,
    pub origin: Origin<'a>,
}

/// A rendered piece of Markdown: HTML, plain text, any problems, and the plain links it holds.
#[derive(Debug, Default)]
pub(crate) struct Fragment {
    pub html: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
    pub links: Vec<LinkUse>,
    /// The other guides whose steps, sections or titles the references show (the page must
    /// be rendered again when they change).
    pub guides: Vec<GuideId>,
}

/// A plain (non-`@`) link or image written in Markdown, kept so that `check` can verify it
/// against the finished site: where it points, on which page, and where it was written.
#[derive(Clone, Debug)]
pub(crate) struct LinkUse {
    pub dest: String,
    /// The guide whose page shows it (`None`: the site-wide troubleshooting page).
    pub page: Option<GuideId>,
    /// A diagnostic pointing at the link in its source, to be given a message.
    pub at: Diagnostic,
}

/// The text of a resolved reference the author left empty. A range ("STEP9〜STEP22") whose
/// text ends with its last step's label gets that label as a second link, to the last step.
fn push_link_text(events: &mut Vec<Event<'_>>, text: String, end: Option<crate::resolve::Link>) {
    let Some(end) = end.filter(|end| text.len() > end.text.len() && text.ends_with(&end.text))
    else {
        events.push(Event::Text(text.into()));
        return;
    };
    let start = text[..text.len() - end.text.len()].to_owned();
    events.push(Event::Text(start.into()));
    events.push(Event::InlineHtml(
        format!(
            "</a><a class=\"ref ref-range-end\" href=\"{}\">",
            url_attr(&end.href)
        )
        .into(),
    ));
    events.push(Event::Text(end.text.into()));
}

/// Renders `markdown`, resolving references and turning alerts into callouts.
pub(crate) fn render(markdown: &str, cx: &MdContext<'_>) -> Fragment {
    let mut out = Fragment::default();
    if markdown.trim().is_empty() {
        return out;
    }
    // About one event for every 16 bytes of a step's Markdown: room for them at once.
    let mut events: Vec<(Event<'_>, std::ops::Range<usize>)> =
        Vec::with_capacity(markdown.len() / 16 + 8);
    events
        .extend(Parser::new_ext(markdown, crate::reference::markdown_options()).into_offset_iter());
    let mut html_events: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut in_ref = Vec::new();
    // For each open plain blockquote: whether it is a balloon (`> [!SAY id]`).
    let mut quotes: Vec<bool> = Vec::new();
    let mut skip = std::collections::BTreeSet::new();
    let mut in_code = false;
    // The sections this piece of Markdown has already named in a reference's text.
    let mut named: Vec<String> = Vec::new();
    let east_asian = cx.index.config.markdown.east_asian_line_breaks;
    for (i, (event, range)) in events.iter().enumerate() {
        if skip.remove(&i) {
            continue;
        }
        if east_asian && matches!(event, Event::SoftBreak) && between_wide(&events, i) {
            continue;
        }
        match event {
            Event::Start(Tag::BlockQuote(None)) => {
                let balloon = balloon_marker(&events, i, markdown).map(|marker| {
                    skip.extend(marker.skip.iter().copied());
                    balloon_open(&mut out, cx, markdown, &marker)
                });
                quotes.push(balloon.is_some());
                html_events.push(balloon.map_or_else(|| event.clone(), |b| Event::Html(b.into())));
            }
            Event::End(TagEnd::BlockQuote(None)) => {
                if quotes.pop() == Some(true) {
                    html_events.push(Event::Html("</div>\n</div>\n".into()));
                } else {
                    html_events.push(event.clone());
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with('@') => {
                let written = Written {
                    markdown,
                    at: range.start
                        + markdown[range.clone()]
                            .rfind(dest_url.as_ref())
                            .unwrap_or(0),
                    empty: matches!(events.get(i + 1), Some((Event::End(TagEnd::Link), _))),
                };
                reference_start(
                    &mut out,
                    &mut html_events,
                    cx,
                    dest_url,
                    written,
                    &mut named,
                );
                in_ref.push(true);
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                if matches!(event, Event::Start(Tag::Link { .. })) {
                    in_ref.push(false);
                }
                plain_link(&mut out, cx, markdown, range, dest_url);
                html_events.push(event.clone());
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                raw_html(&mut out, cx, markdown, range, html);
                html_events.push(event.clone());
            }
            Event::End(TagEnd::Link) => {
                if in_ref.pop() == Some(true) {
                    html_events.push(Event::InlineHtml("</a>".into()));
                } else {
                    html_events.push(event.clone());
                }
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                html_events.push(callout_open(cx, *kind));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                html_events.push(Event::Html("</aside>\n".into()));
            }
            Event::Start(Tag::CodeBlock(_)) | Event::End(TagEnd::CodeBlock) => {
                in_code = matches!(event, Event::Start(_));
                html_events.push(event.clone());
            }
            Event::Text(text) if !in_code && crate::ui::has_reference(text) => {
                ui_text(&mut out, &mut html_events, cx, text);
            }
            _ => {
                collect_text(event, &mut out.text);
                html_events.push(event.clone());
            }
        }
    }
    // The HTML is about as long as the Markdown, a fifth more with the references' links.
    out.html.reserve(markdown.len() + markdown.len() / 4);
    pulldown_cmark::html::push_html(&mut out.html, html_events.into_iter());
    out.text = squeeze_whitespace(&out.text);
    out
}

/// Whether the soft line break `events[i]` stands between two East Asian wide characters (the
/// text's last character before it and first after it, across inline markup such as `**`):
/// such a break is dropped, as a Japanese reader expects (「支払えます。登録の」, not
/// 「支払えます。␣登録の」). Between a wide and a narrow character it stays a space, as in
/// Goldmark's simple style and CSS Text 3's segment break rule.
fn between_wide(events: &[(Event<'_>, std::ops::Range<usize>)], i: usize) -> bool {
    let before = events[..i]
        .iter()
        .rev()
        .find_map(|(e, _)| edge_char(e, true));
    let after = events[i + 1..]
        .iter()
        .find_map(|(e, _)| edge_char(e, false));
    matches!((before, after), (Some(a), Some(b)) if is_wide(a) && is_wide(b))
}

/// The character at the `last` (else first) edge of a text event; `None` to look past a tag;
/// a space for anything else (a break, HTML), which stops the search.
fn edge_char(event: &Event<'_>, last: bool) -> Option<char> {
    match event {
        Event::Text(t) | Event::Code(t) => {
            if last {
                t.chars().next_back()
            } else {
                t.chars().next()
            }
        }
        Event::Start(_) | Event::End(_) => None,
        _ => Some(' '),
    }
}

/// An East Asian wide or full-width character that is not Hangul (Korean separates words with
/// spaces, so its line breaks stay spaces).
fn is_wide(c: char) -> bool {
    let hangul =
        matches!(c, '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{AC00}'..='\u{D7AF}');
    !hangul && unicode_width::UnicodeWidthChar::width(c) == Some(2)
}

/// `text` with each run of white space one space, none at either end (what
/// `split_whitespace().join(" ")` gives, in one pass without decoding characters, and one
/// allocation). Blocks of [`BLOCK`] bytes where no white space can start are skipped whole;
/// the others are read byte by byte (white space never starts at a continuation byte).
fn squeeze_whitespace(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut push = |word: &str| {
        if !word.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    };
    // `i` is where white space may start; `word` (where the word being read starts) is always
    // a character boundary.
    let (mut i, mut word) = (0, 0);
    while i < bytes.len() {
        let window = bytes.get(i..i + BLOCK + 2).and_then(|w| w.try_into().ok());
        let end = match window {
            Some(window) if !may_start_space(window) => {
                i += BLOCK;
                continue;
            }
            Some(_) => i + BLOCK,
            None => bytes.len(),
        };
        while i < end {
            match space_len(bytes, i) {
                0 => i += 1,
                space => {
                    push(&text[word..i]);
                    i += space;
                    word = i;
                }
            }
        }
    }
    push(&text[word..]);
    out
}

/// How many bytes [`squeeze_whitespace`] looks at together.
const BLOCK: usize = 16;

/// Whether white space may start at one of the first [`BLOCK`] bytes of `window` (which has
/// two more, for the ideographic space's): a byte up to the space, or the first byte of every
/// other white space character but U+3000, whose whole sequence `E3 80 80` is checked (its
/// first byte starts most kana). A loop the compiler turns into a few vector compares.
#[allow(
    clippy::needless_bitwise_bool,
    reason = "no branch in the loop, so that it is vectorized"
)]
fn may_start_space(window: &[u8; BLOCK + 2]) -> bool {
    let mut any = false;
    for i in 0..BLOCK {
        let b = window[i];
        any |= (b <= b' ')
            | (b == 0xC2)
            | (b == 0xE1)
            | (b == 0xE2)
            | ((b == 0xE3) & (window[i + 1] == 0x80) & (window[i + 2] == 0x80));
    }
    any
}

/// The length in bytes of the white space character (`char::is_whitespace`) that starts at
/// `bytes[i]`, 0 when none does. Every one is ASCII or starts with C2, E1, E2 or E3 (never a
/// continuation byte).
fn space_len(bytes: &[u8], i: usize) -> usize {
    let next = |n: usize| bytes.get(i + n).copied().unwrap_or(0);
    match bytes[i] {
        b'\t'..=b'\r' | b' ' => 1,
        // U+0085, U+00A0.
        0xC2 if matches!(next(1), 0x85 | 0xA0) => 2,
        // U+1680.
        0xE1 if (next(1), next(2)) == (0x9A, 0x80) => 3,
        // U+2000–U+200A, U+2028, U+2029, U+202F; U+205F.
        0xE2 if matches!(
            (next(1), next(2)),
            (0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) | (0x81, 0x9F)
        ) =>
        {
            3
        }
        // U+3000, the ideographic space.
        0xE3 if (next(1), next(2)) == (0x80, 0x80) => 3,
        _ => 0,
    }
}

/// Text with UI references (`【@id】`): each known one as its kind's form, marked up
/// (`<span class="ui ui-button">【連携設定】</span>`) for the theme and the filter.
fn ui_text<'e>(
    out: &mut Fragment,
    html_events: &mut Vec<Event<'e>>,
    cx: &MdContext<'_>,
    text: &pulldown_cmark::CowStr<'e>,
) {
    let ui = &cx.index.guide(cx.from.guide).loaded.ui;
    for piece in ui.pieces(text, &cx.index.labels) {
        match piece {
            crate::ui::Piece::Text(t) => {
                out.text.push_str(t);
                html_events.push(Event::Text(t.to_owned().into()));
            }
            crate::ui::Piece::Ui { kind, shown } => {
                out.text.push_str(&shown);
                let span = [
                    "<span class=\"ui ui-",
                    kind.as_str(),
                    "\">",
                    &html_text(&shown),
                    "</span>",
                ];
                html_events.push(Event::InlineHtml(span.concat().into()));
            }
        }
    }
}

/// A computed text that names a section of the guide (`Amazonとの連携方法のSTEP11`) without
/// the section when this piece of Markdown has named it already (`…のSTEP10）なので、次は
/// STEP11です`). `named` holds the section prefixes shown so far.
fn once_per_section(text: String, cx: &MdContext<'_>, named: &mut Vec<String>) -> String {
    let template = cx.index.labels.get("step_in_section");
    let Some((head, _)) = crate::config::split_at_placeholder(template, "{step}") else {
        return text;
    };
    let guide = &cx.index.guide(cx.from.guide);
    for si in 0..guide.sections.len() {
        let Some(len) = filled_prefix_len(&text, head, guide.section_short_title(si)) else {
            continue;
        };
        if len == 0 || text.len() <= len {
            continue;
        }
        let prefix = &text[..len];
        if named.iter().any(|n| n == prefix) {
            return text[len..].to_owned();
        }
        named.push(prefix.to_owned());
        return text;
    }
    text
}

/// The length of `head` with each `{section}` in it replaced by `title`, when `text` starts
/// with that; compared piece by piece (most sections are not the one, and building each
/// prefix cost an allocation).
fn filled_prefix_len(text: &str, head: &str, title: &str) -> Option<usize> {
    let mut at = 0;
    let mut rest = head;
    loop {
        let (piece, after) = match crate::config::split_at_placeholder(rest, "{section}") {
            Some((piece, after)) => (piece, Some(after)),
            None => (rest, None),
        };
        text.get(at..)?.starts_with(piece).then_some(())?;
        at += piece.len();
        let Some(after) = after else {
            return Some(at);
        };
        text.get(at..)?.starts_with(title).then_some(())?;
        at += title.len();
        rest = after;
    }
}

/// Where a reference is written: its Markdown, the byte its target starts at, and whether its
/// text was left empty (to be computed).
#[derive(Clone, Copy)]
struct Written<'m> {
    markdown: &'m str,
    at: usize,
    empty: bool,
}

/// The opening of a reference `[text](@target)`: its link (and computed text when `empty`), or
/// a broken link and a problem at the target.
fn reference_start<'e>(
    out: &mut Fragment,
    html_events: &mut Vec<Event<'e>>,
    cx: &MdContext<'_>,
    dest_url: &pulldown_cmark::CowStr<'e>,
    written: Written<'_>,
    named: &mut Vec<String>,
) {
    let target = &dest_url[1..];
    match cx.index.lookup(cx.from, target) {
        Ok(mut link) => {
            if let Some(slug) = crate::reference::parse(target).guide {
                out.guides.extend(cx.index.guide_named(slug).ok());
            } else {
                link.text = once_per_section(link.text, cx, named);
            }
            let open = ["<a class=\"ref\" href=\"", &url_attr(&link.href), "\">"];
            html_events.push(Event::InlineHtml(open.concat().into()));
            if written.empty {
                out.text.push_str(&link.text);
                push_link_text(html_events, link.text, cx.index.range_end(cx.from, target));
            }
        }
        Err(err) => {
            out.diagnostics.push(ref_diagnostic(
                cx.origin,
                written.markdown,
                written.at,
                dest_url,
                err,
            ));
            html_events.push(Event::InlineHtml("<a class=\"ref ref-broken\">".into()));
            if written.empty {
                html_events.push(Event::Text(dest_url.clone()));
            }
        }
    }
}

/// A plain link or image: kept for `check` when it points inside the site, warned about when
/// it runs script.
fn plain_link(
    out: &mut Fragment,
    cx: &MdContext<'_>,
    markdown: &str,
    range: &std::ops::Range<usize>,
    dest_url: &str,
) {
    let offset = range.start + markdown[range.clone()].rfind(dest_url).unwrap_or(0);
    if is_local(dest_url) {
        let at = locate_in_source(cx.origin, markdown, offset, dest_url);
        out.links.push(LinkUse {
            dest: dest_url.to_string(),
            page: cx.from.page,
            at,
        });
    } else if crate::escape::risky_url(dest_url) {
        let scheme = dest_url.split(':').next().unwrap_or(dest_url);
        let snippet = &dest_url[..(scheme.len() + 1).min(dest_url.len())];
        out.diagnostics.push(script_warning(
            cx.origin,
            markdown,
            offset,
            snippet,
            "risk-javascript-url",
        ));
    }
}

/// Raw HTML the author wrote: passed through, with a warning for each script in it.
fn raw_html(
    out: &mut Fragment,
    cx: &MdContext<'_>,
    markdown: &str,
    range: &std::ops::Range<usize>,
    html: &str,
) {
    let base = range.start + markdown[range.clone()].find(html).unwrap_or(0);
    for risk in crate::escape::risky_html(html) {
        let at = base + risk.offset;
        let snippet = markdown.get(at..at + risk.len).unwrap_or("<");
        out.diagnostics
            .push(script_warning(cx.origin, markdown, at, snippet, risk.what));
    }
}

fn collect_text(event: &Event<'_>, text: &mut String) {
    match event {
        Event::Text(t) | Event::Code(t) => text.push_str(t),
        Event::SoftBreak
        | Event::HardBreak
        | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => text.push(' '),
        _ => {}
    }
}

/// The first line of a balloon, `[!SAY id]`: the character's id, where it is written, and the
/// events that spelled the marker (left out of the HTML).
struct BalloonMarker {
    id: String,
    /// Byte offset of the id in the Markdown.
    at: usize,
    skip: Vec<usize>,
}

/// Whether the blockquote opening at `events[i]` is a balloon: its first paragraph starts with
/// a line `[!SAY id]` (the marker alone on its line; the text follows on the next lines).
fn balloon_marker(
    events: &[(Event<'_>, std::ops::Range<usize>)],
    i: usize,
    markdown: &str,
) -> Option<BalloonMarker> {
    if !matches!(events.get(i + 1), Some((Event::Start(Tag::Paragraph), _))) {
        return None;
    }
    // pulldown-cmark splits `[!SAY guide]` into several text events at the brackets.
    let texts: Vec<&str> = events[i + 2..]
        .iter()
        .map_while(|(e, _)| match e {
            Event::Text(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let written: String = texts.concat();
    let inner = written.trim().strip_prefix("[!")?.strip_suffix(']')?;
    let (keyword, id) = inner.split_once(' ')?;
    if !keyword.eq_ignore_ascii_case("say") {
        return None;
    }
    let id = id.trim().to_owned();
    let after = i + 2 + texts.len();
    let mut skip: Vec<usize> = (i + 2..after).collect();
    match events.get(after) {
        Some((Event::SoftBreak | Event::HardBreak, _)) => skip.push(after),
        // The marker is the whole paragraph: the paragraph goes too.
        Some((Event::End(TagEnd::Paragraph), _)) => skip.extend([i + 1, after]),
        _ => return None,
    }
    let start = events[i + 2].1.start;
    let end = events[after - 1].1.end;
    let at = start
        + markdown
            .get(start..end)
            .and_then(|m| m.find(&id))
            .unwrap_or(0);
    Some(BalloonMarker { id, at, skip })
}

/// The opening HTML of a balloon: the speaker (avatar and name, read first) and the text's box.
/// An unknown character is a problem at its id, with the closest known id.
fn balloon_open(
    out: &mut Fragment,
    cx: &MdContext<'_>,
    markdown: &str,
    marker: &BalloonMarker,
) -> String {
    let characters = &cx.index.config.characters;
    let Some(character) = characters.get(&marker.id) else {
        let mut d = locate_in_source(cx.origin, markdown, marker.at, &marker.id);
        d.message = crate::i18n::msg!("no-character", id = &marker.id);
        let known = characters.keys().map(String::as_str);
        d = d.with_hint(match crate::diagnostics::did_you_mean(&marker.id, known) {
            Some(close) => crate::i18n::msg!("did-you-mean", name = close),
            None if characters.is_empty() => crate::i18n::msg!("no-characters-hint"),
            None => crate::i18n::msg!(
                "characters-are-hint",
                names = characters
                    .keys()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
        out.diagnostics.push(d);
        return "<div class=\"balloon balloon-left\">\n<div class=\"balloon-text\">\n".to_owned();
    };
    format!(
        "<div class=\"balloon balloon-{side}\">\n<p class=\"balloon-speaker\"><img class=\"balloon-avatar\" src=\"{src}\" alt=\"\" width=\"56\" height=\"56\"><span class=\"balloon-name\">{name}</span></p>\n<div class=\"balloon-text\">\n",
        side = character.side.as_str(),
        src = url_attr(&format!(
            "{PAGE_ROOT}{}",
            crate::escape::url_path(character.avatar_url_path())
        )),
        name = html_text(&character.name),
    )
}

/// From a page that shows Markdown (a guide's page, the troubleshooting page: both one folder
/// down) to the site's root.
const PAGE_ROOT: &str = "../";

/// The opening of a callout box, with its title (注意, ポイント, 補足).
fn callout_open(cx: &MdContext<'_>, kind: BlockQuoteKind) -> Event<'static> {
    let (class, label) = callout(kind);
    let title = cx.index.labels.get(label);
    Event::Html(
        format!(
            "<aside class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{}</p>\n",
            html_text(title)
        )
        .into(),
    )
}

/// The CSS class and label key of an alert kind: 注意, ポイント or 補足.
fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Caution | BlockQuoteKind::Warning => ("caution", "caution"),
        BlockQuoteKind::Tip | BlockQuoteKind::Important => ("tip", "tip"),
        BlockQuoteKind::Note => ("note", "note"),
    }
}

/// Whether a link points inside the site (a path or a fragment), not to another site.
fn is_local(dest: &str) -> bool {
    !dest.is_empty() && !dest.starts_with("//") && !dest.contains(':')
}

/// A diagnostic (without message yet) pointing at `target`, found at byte `offset` of
/// `markdown`, in the file the Markdown came from.
fn locate_in_source(origin: Origin<'_>, markdown: &str, offset: usize, target: &str) -> Diagnostic {
    let (source, start) = match origin {
        Origin::Exact(source, base) => (source, Some(base + offset)),
        Origin::Yaml(source, at) => {
            // The YAML text was re-indented: find the same occurrence of the target in the file.
            let from = at.offset(source);
            let nth = markdown[..offset].matches(target).count();
            let found = source
                .text
                .get(from..)
                .and_then(|rest| rest.match_indices(target).nth(nth))
                .map(|(i, _)| from + i);
            (source, found)
        }
    };
    let diagnostic = Diagnostic::error(crate::i18n::Message::text("")).in_file(&source.display);
    match start {
        Some(start) => diagnostic.at_span(&source.text, start, start + target.len()),
        None => diagnostic,
    }
}

/// A diagnostic for a reference that did not resolve, pointing at its target in the file.
fn ref_diagnostic(
    origin: Origin<'_>,
    markdown: &str,
    offset: usize,
    target: &str,
    err: RefError,
) -> Diagnostic {
    let mut diagnostic = locate_in_source(origin, markdown, offset, target).with_hint(err.hint);
    diagnostic.message = err.message;
    diagnostic
}

/// A warning about a script an author wrote into the content (raw HTML or a link): it will run
/// on the published page, which is rarely what a guide wants.
fn script_warning(
    origin: Origin<'_>,
    markdown: &str,
    offset: usize,
    snippet: &str,
    what: &'static str,
) -> Diagnostic {
    let mut d = locate_in_source(origin, markdown, offset, snippet)
        .with_hint(crate::i18n::msg!("script-hint"));
    d.severity = crate::diagnostics::Severity::Warning;
    d.message = crate::i18n::msg!("script-warning", what = crate::i18n::Message::new(what));
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::test_index;

    const GUIDE: &str = "title: T\ndescription: D\npublished: 2026-01-01\nsections:\n  - id: main\n    kind: procedure\n    title: 基本の手順\n    steps: [a, b, c]\n  - id: undo\n    kind: procedure\n    title: 元に戻す\n    steps: [a]\n";
    const STEP: &str = "---\ntitle: x\n---\n";

    fn render_in(markdown: &str, section: Option<usize>) -> Fragment {
        let index = test_index(GUIDE, &[("a", STEP), ("b", STEP), ("c", STEP)]);
        let file = &index.guides[0].loaded.file;
        let cx = MdContext {
            index: &index,
            from: RefContext::on_guide_page(GuideId::at(0), section),
            origin: Origin::Yaml(file, YamlAt::Offset(0)),
        };
        render(markdown, &cx)
    }

    #[test]
    fn a_filled_prefix_is_measured_without_building_it() {
        let cases = [
            ("連携のSTEP3", "{section}の", "連携", Some("連携の".len())),
            ("解除のSTEP3", "{section}の", "連携", None),
            ("A/A:STEP3", "{section}/{section}:", "A", Some(4)),
            ("STEP3", "", "連携", Some(0)),
            ("連", "{section}の", "連携", None),
            (
                "{x}連携のSTEP3",
                "{x}{section}の",
                "連携",
                Some("{x}連携の".len()),
            ),
        ];
        for (text, head, title, len) in cases {
            assert_eq!(filled_prefix_len(text, head, title), len, "{text} {head}");
            if let Some(len) = len {
                assert_eq!(&text[..len], head.replace("{section}", title));
            }
        }
    }

    #[test]
    fn space_len_is_char_is_whitespace() {
        for c in '\0'..=char::MAX {
            let mut buf = [0; 4];
            let encoded = c.encode_utf8(&mut buf).as_bytes();
            let expected = if c.is_whitespace() { c.len_utf8() } else { 0 };
            assert_eq!(space_len(encoded, 0), expected, "{c:?}");
            // No continuation byte starts white space.
            for i in 1..encoded.len() {
                assert_eq!(space_len(encoded, i), 0, "{c:?} at {i}");
            }
        }
    }

    #[test]
    fn white_space_is_squeezed_at_every_place_of_a_block() {
        // Every kind of white space, at every offset from a block's start, between kana
        // (whose first byte is E3, like the ideographic space's) and punctuation (E3 80 ..).
        let spaces = [
            " ",
            "\t",
            "\n",
            "\u{85}",
            "\u{a0}",
            "\u{1680}",
            "\u{2009}",
            "\u{3000}",
            "  \u{3000} ",
        ];
        for space in spaces {
            for before in 0..(2 * BLOCK) {
                let text = format!(
                    "{}{space}あ、。x{space}",
                    "い".repeat(before / 3) + &"a".repeat(before % 3)
                );
                let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
                assert_eq!(squeeze_whitespace(&text), joined, "{text:?}");
            }
        }
        let long = "手順、「連携」。".repeat(40);
        assert_eq!(squeeze_whitespace(&long), long);
    }

    #[test]
    fn white_space_is_squeezed_as_split_whitespace_joins_it() {
        for text in [
            "",
            "  ",
            " a  b\n\tc ",
            "手順\u{3000}1　を 押す\n",
            "one",
            "\u{85}x\u{a0}\u{2028}y\u{205f}\u{1680}z\u{2009}",
            "一\u{3001}二",
        ] {
            let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(squeeze_whitespace(text), joined, "{text:?}");
        }
    }

    #[test]
    fn references_get_computed_or_kept_text() {
        let out = render_in("[](@b)、[](@a..c)、[戻る](@undo)、[](@undo/a)", Some(0));
        insta::assert_snapshot!(out.html, @r##"<p><a class="ref" href="#b">STEP2</a>、<a class="ref" href="#a">STEP1〜</a><a class="ref ref-range-end" href="#c">STEP3</a>、<a class="ref" href="#undo">戻る</a>、<a class="ref" href="#undo-a">元に戻すのSTEP1</a></p>"##);
        assert_eq!(out.text, "STEP2、STEP1〜STEP3、戻る、元に戻すのSTEP1");
        assert!(out.diagnostics.is_empty());
    }

    #[test]
    fn callouts_from_github_alerts() {
        let out = render_in(
            "> [!CAUTION]\n> 押さないで。\n\n> [!TIP]\n> 何度でも。\n\n> [!NOTE]\n> 補足です。\n\n> ふつうの引用\n",
            None,
        );
        insta::assert_snapshot!(out.html, @r##"
        <aside class="callout callout-caution" role="note"><p class="callout-title">注意</p>
        <p>押さないで。</p>
        </aside>
        <aside class="callout callout-tip" role="note"><p class="callout-title">ポイント</p>
        <p>何度でも。</p>
        </aside>
        <aside class="callout callout-note" role="note"><p class="callout-title">補足</p>
        <p>補足です。</p>
        </aside>
        <blockquote>
        <p>ふつうの引用</p>
        </blockquote>
        "##);
    }

    #[test]
    fn balloons_with_the_marker_on_its_own_line_or_paragraph() {
        let mut index = test_index(GUIDE, &[("a", STEP), ("b", STEP), ("c", STEP)]);
        index.config.characters.insert(
            "me".into(),
            crate::config::Character {
                name: "わたし<b>".into(),
                avatar: "static/a b.svg".into(),
                side: crate::config::Side::Right,
            },
        );
        let file = &index.guides[0].loaded.file;
        let cx = MdContext {
            index: &index,
            from: RefContext::on_guide_page(GuideId::at(0), None),
            origin: Origin::Yaml(file, YamlAt::Offset(0)),
        };
        let speaker = "<div class=\"balloon balloon-right\">\n<p class=\"balloon-speaker\"><img class=\"balloon-avatar\" src=\"../a%20b.svg\" alt=\"\" width=\"56\" height=\"56\"><span class=\"balloon-name\">わたし&lt;b&gt;</span></p>\n<div class=\"balloon-text\">\n";
        for markdown in [
            "> [!SAY me]\n> 大丈夫です。\n",
            "> [!say me]\n>\n> 大丈夫です。\n",
        ] {
            let out = render(markdown, &cx);
            assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
            assert_eq!(
                out.html,
                format!("{speaker}<p>大丈夫です。</p>\n</div>\n</div>\n"),
                "{markdown}"
            );
            assert_eq!(out.text, "大丈夫です。");
        }
        // A quote that only looks alike stays a quote.
        for markdown in [
            "> [!SAY me] 大丈夫\n",
            "> [SAY me]\n> x\n",
            "> ふつうの引用\n",
        ] {
            let out = render(markdown, &cx);
            assert!(
                out.html.starts_with("<blockquote>"),
                "{markdown}: {}",
                out.html
            );
        }
    }

    #[test]
    fn ordinary_links_and_html_are_left_alone() {
        let out = render_in("[公式](https://zaim.net/) と `[](@b)`", None);
        insta::assert_snapshot!(out.html, @r##"<p><a href="https://zaim.net/">公式</a> と <code>[](@b)</code></p>"##);
    }

    #[test]
    fn broken_reference_points_at_the_same_occurrence_in_the_file() {
        let index = test_index(GUIDE, &[("a", STEP), ("b", STEP), ("c", STEP)]);
        let mut file = index.guides[0].loaded.file.clone();
        file.text = "intro: |\n  [](@b) [](@zz)\n  [](@zz)\n".into();
        let cx = MdContext {
            index: &index,
            from: RefContext::on_guide_page(GuideId::at(0), None),
            origin: Origin::Yaml(&file, YamlAt::Offset(0)),
        };
        let out = render("[](@b) [](@zz)\n[](@zz)\n", &cx);
        let lines: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| d.position.map(|p| (p.line, p.column)))
            .collect();
        assert_eq!(lines, [Some((2, 13)), Some((3, 6))]);
        assert_eq!(
            out.diagnostics[0].message.to_string(),
            "unknown reference `@zz`: no step, section or trouble entry has this id"
        );
    }
}
