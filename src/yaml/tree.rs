//! Where each value and key of a YAML text is written: [`Tree`], built from serde-saphyr's
//! spans, and [`point`]/[`point_in`]/[`point_key`], which place a diagnostic at the value a
//! [`Seg`] path names.
//!
//! Invariants: every span is a pair of byte offsets inside the text it was parsed from, on
//! character boundaries (whatever length the parser reports); a path that is not written
//! leads to the mapping it would be written in. Pure: no file is read.

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{DuplicateKeyPolicy, Location, Spanned};

use super::options;
use crate::diagnostics::{Diagnostic, Position};

/// One step of a path into a YAML document: a mapping key or a sequence index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Every value and key of a YAML text with the bytes where it is written, from the parser.
#[derive(Clone, Debug)]
pub(crate) struct Tree {
    root: Node,
}

#[derive(Clone, Debug)]
struct Node {
    start: usize,
    /// For a collection: the end of its first line's part.
    end: usize,
    value: Value,
}

#[derive(Clone, Debug)]
enum Value {
    Map(Vec<Entry>),
    Seq(Vec<Node>),
    Scalar,
}

#[derive(Clone, Debug)]
struct Entry {
    key: String,
    key_start: usize,
    node: Node,
}

impl Tree {
    /// The tree of `text`, or `None` when it is not well-formed YAML.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        Self::parse_with(text, DuplicateKeyPolicy::Error)
    }

    pub(super) fn parse_with(text: &str, duplicates: DuplicateKeyPolicy) -> Option<Self> {
        let raw: Spanned<Raw> =
            serde_saphyr::from_str_with_options(text, options(duplicates)).ok()?;
        Some(Self {
            root: Node::from_raw(text, raw),
        })
    }

    /// The value at `path`, if it is written.
    fn find(&self, path: &[Seg<'_>]) -> Option<&Node> {
        path.iter()
            .try_fold(&self.root, |node, seg| node.child(*seg))
    }

    /// The value at `path` or, where it is not written (a default), the deepest value on the
    /// way to it: the mapping it would be written in.
    fn find_or_enclosing(&self, path: &[Seg<'_>]) -> &Node {
        let mut node = &self.root;
        for seg in path {
            match node.child(*seg) {
                Some(child) => node = child,
                None => break,
            }
        }
        node
    }

    /// Where the value at `path` starts or, where it is not written, the mapping it would be
    /// written in.
    pub(crate) fn start(&self, path: &[Seg<'_>]) -> usize {
        self.find_or_enclosing(path).start
    }

    /// Where the value at `path` starts and its first line ends, in bytes.
    pub(crate) fn span(&self, path: &[Seg<'_>]) -> Option<(usize, usize)> {
        self.find(path).map(|n| (n.start, n.end))
    }

    /// Where the key `key` of the mapping at `path` is written.
    pub(crate) fn key_span(&self, path: &[Seg<'_>], key: &str) -> Option<(usize, usize)> {
        match &self.find(path)?.value {
            Value::Map(entries) => entries
                .iter()
                .find(|e| e.key == key)
                .map(|e| (e.key_start, e.key_start + e.key.len())),
            _ => None,
        }
    }

    /// The entries of the mapping that starts at byte `map_start` (or whose first key does:
    /// the parser reports either).
    fn map_at(&self, map_start: usize) -> Option<&[Entry]> {
        let mut found = None;
        self.root.walk(&mut |node| {
            if let Value::Map(entries) = &node.value
                && found.is_none()
                && (node.start == map_start || entries.iter().any(|e| e.key_start == map_start))
            {
                found = Some(entries.as_slice());
            }
        });
        found
    }

    /// The key `key` of the mapping that starts at byte `map_start`.
    pub(super) fn key_in_map_at(&self, map_start: usize, key: &str) -> Option<(usize, usize)> {
        self.map_at(map_start)?
            .iter()
            .find(|e| e.key == key)
            .map(|e| (e.key_start, e.key_start + e.key.len()))
    }

    /// The scalar value written `value` in the mapping that starts at byte `map_start`.
    pub(super) fn value_in_map_at(
        &self,
        text: &str,
        map_start: usize,
        value: &str,
    ) -> Option<(usize, usize)> {
        self.map_at(map_start)?
            .iter()
            .map(|e| &e.node)
            .find(|n| {
                matches!(n.value, Value::Scalar)
                    && text
                        .get(n.start..n.end)
                        .is_some_and(|t| t.trim_matches(['"', '\'']) == value)
            })
            .map(|n| (n.start, n.end))
    }

    /// For a key written at `second`, the span of the same key earlier in its mapping.
    pub(super) fn first_twin(&self, second: usize) -> Option<(usize, usize)> {
        let mut found = None;
        self.root.walk(&mut |node| {
            if let Value::Map(entries) = &node.value
                && let Some(twin) = entries.iter().find(|e| e.key_start == second)
                && let Some(first) = entries.iter().find(|e| e.key == twin.key)
                && first.key_start != second
            {
                found = Some((first.key_start, first.key_start + first.key.len()));
            }
        });
        found
    }

    /// What is written at `offset` (the deepest value that starts there), for messages:
    /// `mapping`, `sequence`, or the scalar as written, in backticks.
    pub(super) fn kind_at(&self, text: &str, offset: usize) -> Option<String> {
        let node = self.node_at(offset)?;
        Some(match &node.value {
            Value::Map(_) => "mapping".to_owned(),
            Value::Seq(_) => "sequence".to_owned(),
            Value::Scalar => format!("`{}`", text.get(node.start..node.end)?),
        })
    }

    /// Every span of the tree (for tests).
    #[cfg(test)]
    pub(super) fn spans(&self) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        self.root.walk(&mut |n| spans.push((n.start, n.end)));
        spans
    }

    /// The deepest value that starts at `offset`.
    fn node_at(&self, offset: usize) -> Option<&Node> {
        let mut found = None;
        self.root.walk(&mut |node| {
            if node.start == offset {
                found = Some(node);
            }
        });
        // `walk` visits parents first, so the last match is the deepest.
        found
    }
}

impl Node {
    fn from_raw(text: &str, raw: Spanned<Raw>) -> Self {
        let start = offset_in(text, &raw.referenced).unwrap_or(0);
        let len = usize::try_from(raw.referenced.span().byte_len().unwrap_or(1)).unwrap_or(1);
        let value = match raw.value {
            Raw::Map(entries) => Value::Map(
                entries
                    .into_iter()
                    .map(|(key, node)| Entry {
                        key: key.value,
                        key_start: offset_in(text, &key.referenced).unwrap_or(start),
                        node: Self::from_raw(text, node),
                    })
                    .collect(),
            ),
            Raw::Seq(items) => {
                Value::Seq(items.into_iter().map(|n| Self::from_raw(text, n)).collect())
            }
            Raw::Scalar => Value::Scalar,
        };
        let end = match &value {
            // Inside the text and on a character boundary, whatever the parser reported.
            Value::Scalar => char_floor(text, start + len.max(1)),
            // A collection is shown by its first line: up to the end of the last child that
            // starts on that line.
            _ => first_line_end(text, start, &value),
        };
        Self { start, end, value }
    }

    fn child(&self, seg: Seg<'_>) -> Option<&Self> {
        match (&self.value, seg) {
            (Value::Map(entries), Seg::Key(key)) => {
                entries.iter().find(|e| e.key == key).map(|e| &e.node)
            }
            (Value::Seq(items), Seg::Index(i)) => items.get(i),
            _ => None,
        }
    }

    fn walk<'a>(&'a self, visit: &mut impl FnMut(&'a Self)) {
        visit(self);
        match &self.value {
            Value::Map(entries) => entries.iter().for_each(|e| e.node.walk(visit)),
            Value::Seq(items) => items.iter().for_each(|n| n.walk(visit)),
            Value::Scalar => {}
        }
    }
}

/// `at`, moved back to the nearest character boundary inside `text`.
fn char_floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn first_line_end(text: &str, start: usize, value: &Value) -> usize {
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let spans: Vec<(usize, usize)> = match value {
        Value::Map(entries) => entries
            .iter()
            .flat_map(|e| {
                [
                    (e.key_start, e.key_start + e.key.len()),
                    (e.node.start, e.node.end),
                ]
            })
            .collect(),
        Value::Seq(items) => items.iter().map(|n| (n.start, n.end)).collect(),
        Value::Scalar => Vec::new(),
    };
    let on_line = spans
        .iter()
        .filter(|(s, _)| *s < line_end)
        .map(|(_, e)| (*e).min(line_end))
        .max();
    // A one-line flow collection ends at its closing bracket.
    let close = match text[start..].chars().next() {
        Some('[') => Some(']'),
        Some('{') => Some('}'),
        _ => None,
    };
    let first_char = text[start..].chars().next().map_or(0, char::len_utf8);
    let end = char_floor(text, on_line.unwrap_or(start + first_char)).clamp(start, line_end);
    match close {
        Some(c) if text[end..line_end].trim_start().starts_with(c) => {
            end + text[end..line_end].find(c).map_or(0, |i| i + 1)
        }
        _ => end,
    }
}

/// A value as the parser hands it over, with spans.
enum Raw {
    /// Keys as written (read as text: read as "any", the key `y` would become `true`).
    Map(Vec<(Spanned<String>, Spanned<Raw>)>),
    Seq(Vec<Spanned<Raw>>),
    Scalar,
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

/// Every scalar is a leaf: its span is all the tree keeps.
macro_rules! scalars {
    ($($name:ident: $ty:ty),*) => {
        $(fn $name<E>(self, _: $ty) -> Result<Raw, E> {
            Ok(Raw::Scalar)
        })*
    };
}

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            entries.push((key, map.next_value::<Spanned<Raw>>()?));
        }
        Ok(Raw::Map(entries))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }
    scalars!(
        visit_str: &str,
        visit_bool: bool,
        visit_i64: i64,
        visit_u64: u64,
        visit_i128: i128,
        visit_u128: u128,
        visit_f64: f64,
        visit_bytes: &[u8]
    );
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Scalar)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Scalar)
    }
}

/// Byte offset in `text` of a parser location (line and column counted from 1, the column
/// in characters).
pub(super) fn offset_in(text: &str, location: &Location) -> Option<usize> {
    if let Some(offset) = location.span().byte_offset() {
        return usize::try_from(offset)
            .ok()
            .filter(|&o| text.is_char_boundary(o));
    }
    let line = usize::try_from(location.line()).ok()?;
    let column = usize::try_from(location.column()).ok()?;
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let rest = &text[line_start..];
    let in_line = rest
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(rest.len(), |(i, _)| i);
    Some(line_start + in_line)
}

/// Points `d` at the value at `path` of `text` (which starts at byte `base` of `full`), or,
/// when that value is not written, at the mapping it would be written in.
pub(crate) fn point(
    d: Diagnostic,
    text: &str,
    base: usize,
    full: &str,
    path: &[Seg<'_>],
) -> Diagnostic {
    point_in(d, Tree::parse(text).as_ref(), base, full, path)
}

/// [`point`] with the tree already parsed.
pub(crate) fn point_in(
    d: Diagnostic,
    tree: Option<&Tree>,
    base: usize,
    full: &str,
    path: &[Seg<'_>],
) -> Diagnostic {
    match tree {
        Some(tree) => {
            let node = tree.find_or_enclosing(path);
            d.at_span(full, base + node.start, base + node.end)
        }
        None => d.at(full, Position::of_offset(full, base), 1),
    }
}

/// Points `d` at the key (not the value) of the last segment of `path`, which must be a
/// [`Seg::Key`]; otherwise like [`point`].
pub(crate) fn point_key(
    d: Diagnostic,
    text: &str,
    base: usize,
    full: &str,
    path: &[Seg<'_>],
) -> Diagnostic {
    let tree = Tree::parse(text);
    if let (Some(tree), Some((Seg::Key(key), parent))) = (tree.as_ref(), path.split_last())
        && let Some((start, end)) = tree.key_span(parent, key)
    {
        return d.at_span(full, base + start, base + end);
    }
    point_in(d, tree.as_ref(), base, full, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(text: &'a str, path: &[Seg<'_>]) -> &'a str {
        let (s, e) = Tree::parse(text).unwrap().span(path).unwrap();
        &text[s..e]
    }

    const GUIDE: &str = "title: T\nsections:\n  - id: link\n    kind: procedure\n    steps:\n      - open-menu\n      - press-bak  # typo\n  - id: unlink\n    steps: [open-menu, press-x]\nwindows:\n- id: w\n  from: a\n";

    #[test]
    fn finds_block_and_flow_sequence_items() {
        let steps = |i, j| {
            [
                Seg::Key("sections"),
                Seg::Index(i),
                Seg::Key("steps"),
                Seg::Index(j),
            ]
        };
        assert_eq!(at(GUIDE, &steps(0, 1)), "press-bak");
        assert_eq!(at(GUIDE, &steps(1, 1)), "press-x");
        assert_eq!(
            at(
                GUIDE,
                &[Seg::Key("sections"), Seg::Index(1), Seg::Key("id")]
            ),
            "unlink"
        );
        assert_eq!(
            at(
                GUIDE,
                &[Seg::Key("windows"), Seg::Index(0), Seg::Key("from")]
            ),
            "a"
        );
    }

    #[test]
    fn finds_keys_of_one_line_flow_mappings() {
        let text = "annotations:\n  - {shape: circle, x: 20, y: '30%', r: 8}\n";
        let path = |key| [Seg::Key("annotations"), Seg::Index(0), Seg::Key(key)];
        assert_eq!(at(text, &path("x")), "20");
        assert_eq!(at(text, &path("y")), "'30%'");
        assert_eq!(at(text, &path("shape")), "circle");
        assert_eq!(
            at(text, &[Seg::Key("annotations"), Seg::Index(0)]),
            "{shape: circle, x: 20, y: '30%', r: 8}"
        );
    }

    #[test]
    fn a_value_not_written_is_shown_at_its_mapping_and_only_by_point() {
        let tree = Tree::parse(GUIDE).unwrap();
        let path = [Seg::Key("sections"), Seg::Index(0), Seg::Key("nope")];
        assert_eq!(tree.span(&path), None);
        assert!(GUIDE[tree.start(&path)..].starts_with("id: link"));
    }
}
