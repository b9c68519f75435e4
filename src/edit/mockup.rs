//! The minimal edit of a mock-up's `highlight:`, `look:` and `avoid:` lists (the annotation editor's
//! clicks on a mock-up's elements).
//!
//! A list that is written keeps its place: a flow list (`highlight: [right]`) has only its
//! brackets' contents replaced (a comment after it stays); a block list is written anew as a
//! flow list in its place. A list that becomes empty is removed, key and all; a new list goes
//! on a line of its own after the mock-up's last line, at its keys' indentation. Nothing else
//! changes.

use super::annotations::{apply, indent_at, value_end};
use crate::i18n::{Message, msg};
use crate::yaml::{Seg, Tree};

/// `text` (a whole file) with the list `key` (`highlight`, `look` or `avoid`) of the mock-up at
/// `mockup` in the YAML at byte `base` (`yaml_len` bytes long) made `ids`.
pub(crate) fn replace_list(
    text: &str,
    base: usize,
    yaml_len: usize,
    mockup: &[Seg<'_>],
    key: &str,
    ids: &[String],
) -> Result<String, Message> {
    let yaml = &text[base..base + yaml_len];
    let tree = Tree::parse(yaml).ok_or_else(|| msg!("edit-not-yaml"))?;
    let list = [mockup, &[Seg::Key(key)]].concat();
    let flow = format!(
        "[{}]",
        ids.iter().map(|id| item(id)).collect::<Vec<_>>().join(", ")
    );
    let edit = match tree.key_span(mockup, key) {
        Some((key_start, _)) if ids.is_empty() => {
            // The key's lines go, with the line break before them.
            let end = value_end(yaml, key_start);
            let line_start = yaml[..key_start].rfind('\n').unwrap_or(0);
            (line_start, end, String::new())
        }
        Some((key_start, _)) => match tree.span(&list) {
            Some((start, end)) if yaml[start..end].starts_with('[') => (start, end, flow),
            _ => (
                key_start,
                value_end(yaml, key_start),
                format!("{key}: {flow}"),
            ),
        },
        None if ids.is_empty() => return Ok(text.to_owned()),
        None => {
            let (first, _) = [
                "screen",
                "items",
                "left",
                "right",
                "dim",
                "highlight",
                "look",
                "avoid",
            ]
            .iter()
            .filter_map(|k| tree.key_span(mockup, k))
            .min()
            .ok_or_else(|| msg!("edit-mockup-no-key"))?;
            let Some(Seg::Key(name)) = mockup.last() else {
                return Err(msg!("edit-mockup-not-under-key"));
            };
            let parent = &mockup[..mockup.len() - 1];
            let (mockup_key, _) = tree
                .key_span(parent, name)
                .ok_or_else(|| msg!("edit-mockup-key-gone"))?;
            let end = value_end(yaml, mockup_key);
            let pad = " ".repeat(indent_at(yaml, first));
            (end, end, format!("\n{pad}{key}: {flow}"))
        }
    };
    Ok(apply(text, base, vec![edit]))
}

/// An id as a flow-list item: as it is when YAML reads it back as the same plain string,
/// else double-quoted.
fn item(id: &str) -> String {
    let plain = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        && !matches!(
            id,
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "~"
        )
        && id.parse::<f64>().is_err();
    if plain {
        id.to_owned()
    } else {
        serde_json::to_string(id).unwrap_or_else(|_| "\"\"".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STEP: &str = "---\ntitle: a\nimage:\n  alt: b\n  mockup:\n    screen: 設定\n    right: '+'\n    items:\n      - {kind: button, id: auth, text: 認証する}\n    highlight: [right]  # the plus\n---\nbody\n";

    fn edit(text: &str, key: &str, ids: &[&str]) -> String {
        let start = 4;
        let end = text[start..].find("\n---").unwrap() + start + 1;
        let ids: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
        let path = [Seg::Key("image"), Seg::Key("mockup")];
        replace_list(text, start, end - start, &path, key, &ids).unwrap()
    }

    #[test]
    fn a_flow_list_changes_inside_its_brackets() {
        let edited = edit(STEP, "highlight", &["right", "auth"]);
        assert_eq!(
            edited,
            STEP.replace("[right]  # the plus", "[right, auth]  # the plus")
        );
    }

    #[test]
    fn an_emptied_list_is_removed_with_its_line() {
        let edited = edit(STEP, "highlight", &[]);
        assert_eq!(
            edited,
            STEP.replace("\n    highlight: [right]  # the plus", "")
        );
    }

    #[test]
    fn a_new_list_goes_after_the_mockup() {
        let edited = edit(STEP, "avoid", &["auth"]);
        assert_eq!(
            edited,
            STEP.replace("# the plus\n", "# the plus\n    avoid: [auth]\n")
        );
    }

    #[test]
    fn a_block_list_becomes_a_flow_list_in_its_place() {
        let text = STEP.replace(
            "highlight: [right]  # the plus",
            "highlight:\n      - right\n    dim: false",
        );
        let edited = edit(&text, "highlight", &["auth", "no"]);
        assert_eq!(
            edited,
            text.replace("highlight:\n      - right", "highlight: [auth, \"no\"]")
        );
    }
}
