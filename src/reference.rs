//! The reference grammar: what may follow `@` in the target of a Markdown link. The one parser
//! of it, used to resolve references ([`crate::resolve`]), to relate trouble entries to the
//! procedures that fix them ([`crate::troubles`]) and to know which guides a page depends on.
//!
//! ```text
//! reference := [guide ":"] [local]        (`@guide:` alone names the guide itself)
//! local     := id ".." id                 a range of steps
//!            | section "/" step           a step in a given procedure
//!            | id                         a step, section or trouble entry
//! ```
//!
//! A reference is written as a Markdown link, `[text](@target)`; [`in_markdown`] finds them.

use pulldown_cmark::{Event, Options, Parser, Tag};

/// The Markdown extensions tebiki renders with (tables, footnotes, strikethrough, task lists,
/// GitHub alerts): every reader of the content's Markdown uses these, so all see the same links.
pub(crate) fn markdown_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

/// The targets (after `@`) of the references in a piece of Markdown.
pub(crate) fn in_markdown(markdown: &str) -> Vec<String> {
    Parser::new_ext(markdown, markdown_options())
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                dest_url.strip_prefix('@').map(str::to_owned)
            }
            _ => None,
        })
        .collect()
}

/// A parsed reference (borrowing from the target text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Reference<'a> {
    /// `Some(slug)` for `@slug:…`; `None` for the guide the reference is written in.
    pub guide: Option<&'a str>,
    /// What in that guide; `None` for `@slug:` (the guide itself).
    pub local: Option<Local<'a>>,
}

/// What a reference names inside a guide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Local<'a> {
    Id(&'a str),
    Range(&'a str, &'a str),
    InSection { section: &'a str, step: &'a str },
}

/// Parses the text after `@`.
pub(crate) fn parse(target: &str) -> Reference<'_> {
    let (guide, rest) = match target.split_once(':') {
        Some((slug, rest)) => (Some(slug), rest),
        None => (None, target),
    };
    let local = if guide.is_some() && rest.is_empty() {
        None
    } else if let Some((a, b)) = split_range(rest) {
        Some(Local::Range(a, b))
    } else if let Some((section, step)) = rest.split_once('/') {
        Some(Local::InSection { section, step })
    } else {
        Some(Local::Id(rest))
    };
    Reference { guide, local }
}

/// `a..b` as `(a, b)`: the first `..`, found by its bytes (a substring searcher set up for
/// each of a page's references cost more than the search).
fn split_range(rest: &str) -> Option<(&str, &str)> {
    let at = rest.as_bytes().windows(2).position(|pair| pair == b"..")?;
    Some((&rest[..at], &rest[at + 2..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form() {
        let r = |guide, local| Reference { guide, local };
        assert_eq!(parse("press-back"), r(None, Some(Local::Id("press-back"))));
        assert_eq!(parse("a..b"), r(None, Some(Local::Range("a", "b"))));
        assert_eq!(
            parse("unlink/open-menu"),
            r(
                None,
                Some(Local::InSection {
                    section: "unlink",
                    step: "open-menu"
                })
            )
        );
        assert_eq!(parse("other:"), r(Some("other"), None));
        assert_eq!(
            parse("other:a..b"),
            r(Some("other"), Some(Local::Range("a", "b")))
        );
        assert_eq!(parse(""), r(None, Some(Local::Id(""))));
    }
}
