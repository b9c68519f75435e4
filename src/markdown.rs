//! Markdown to HTML, with tebiki's references and callouts.
//!
//! A link whose target starts with `@` is a reference: it is resolved against the
//! [`SiteIndex`] and rendered as `<a class="ref">`, with computed text when the author gave none.
//! GitHub alert blockquotes (`> [!CAUTION]`, `> [!TIP]`, `> [!NOTE]`, …) become callout boxes.
//! Each rendering also yields plain text (for the `HowTo` JSON-LD) and the problems it found.

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::diagnostics::Diagnostic;
use crate::load::Source;
use crate::resolve::{RefContext, SiteIndex};

/// Where a piece of Markdown sits in its file, to point diagnostics at it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Origin<'a> {
    /// The Markdown is the file's text from this byte on (a step body).
    Exact(&'a Source, usize),
    /// The Markdown came out of a YAML string that starts near this byte (block scalars are
    /// re-indented, so a reference is found by searching for it from there).
    Yaml(&'a Source, usize),
}

/// Everything needed to render one piece of Markdown.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MdContext<'a> {
    pub index: &'a SiteIndex,
    pub from: RefContext,
    pub origin: Origin<'a>,
}

/// The result of rendering: HTML, plain text, and any problems.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    pub html: String,
    pub text: String,
    pub diagnostics: Vec<Diagnostic>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

/// Renders `markdown`, resolving references and turning alerts into callouts.
pub(crate) fn render(markdown: &str, cx: &MdContext<'_>) -> Rendered {
    let mut out = Rendered::default();
    if markdown.trim().is_empty() {
        return out;
    }
    let events: Vec<(Event<'_>, std::ops::Range<usize>)> = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .collect();
    let mut html_events: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut in_ref = Vec::new();
    for (i, (event, range)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with('@') => {
                let target = &dest_url[1..];
                let link = cx.index.lookup(cx.from, target);
                let empty = matches!(events.get(i + 1), Some((Event::End(TagEnd::Link), _)));
                match link {
                    Ok(link) => {
                        html_events.push(Event::InlineHtml(
                            format!("<a class=\"ref\" href=\"{}\">", escape_attr(&link.href))
                                .into(),
                        ));
                        if empty {
                            out.text.push_str(&link.text);
                            html_events.push(Event::Text(link.text.into()));
                        }
                    }
                    Err(err) => {
                        let offset = range.start
                            + markdown[range.clone()]
                                .rfind(dest_url.as_ref())
                                .unwrap_or(0);
                        out.diagnostics.push(
                            locate(cx.origin, markdown, offset, dest_url)
                                .with_hint(err.hint)
                                .tap_message(err.message),
                        );
                        html_events.push(Event::InlineHtml("<a class=\"ref ref-broken\">".into()));
                        if empty {
                            html_events.push(Event::Text(dest_url.clone()));
                        }
                    }
                }
                in_ref.push(true);
            }
            Event::Start(Tag::Link { .. }) => {
                in_ref.push(false);
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
                let (class, label) = callout(*kind);
                let title = cx.index.labels.get(label);
                html_events.push(Event::Html(
                    format!("<aside class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{}</p>\n", escape_text(title)).into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                html_events.push(Event::Html("</aside>\n".into()));
            }
            _ => {
                collect_text(event, &mut out.text);
                html_events.push(event.clone());
            }
        }
    }
    pulldown_cmark::html::push_html(&mut out.html, html_events.into_iter());
    out.text = out.text.split_whitespace().collect::<Vec<_>>().join(" ");
    out
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

/// The CSS class and label key of an alert kind: 注意, ポイント or 補足.
fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Caution | BlockQuoteKind::Warning => ("caution", "caution"),
        BlockQuoteKind::Tip | BlockQuoteKind::Important => ("tip", "tip"),
        BlockQuoteKind::Note => ("note", "note"),
    }
}

fn locate(origin: Origin<'_>, markdown: &str, offset: usize, needle: &CowStr<'_>) -> Diagnostic {
    let width = needle.chars().count();
    match origin {
        Origin::Exact(source, base) => Diagnostic::error("").in_file(&source.display).at_span(
            &source.text,
            base + offset,
            base + offset + needle.len(),
        ),
        Origin::Yaml(source, from) => {
            let _ = markdown;
            let found = source
                .text
                .get(from..)
                .and_then(|rest| rest.find(needle.as_ref()))
                .map(|i| from + i);
            let start = found.unwrap_or(from);
            Diagnostic::error("")
                .in_file(&source.display)
                .at_span(
                    &source.text,
                    start,
                    start + if found.is_some() { needle.len() } else { 1 },
                )
                .with_width(width)
        }
    }
}

trait DiagnosticExt {
    fn tap_message(self, message: String) -> Self;
    fn with_width(self, width: usize) -> Self;
}

impl DiagnosticExt for Diagnostic {
    fn tap_message(mut self, message: String) -> Self {
        self.message = message;
        self
    }
    fn with_width(mut self, width: usize) -> Self {
        self.width = width.max(1);
        self
    }
}

pub(crate) fn escape_attr(s: &str) -> String {
    escape_text(s).replace('"', "&quot;")
}

pub(crate) fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
