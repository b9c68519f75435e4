//! YAML parsing with positions: errors from serde carry line and column, and [`locate`] finds
//! where a value sits in the source so that checks done after parsing (unknown ids, duplicates,
//! bad dates) can point at the exact line too.
//!
//! `serde_yaml` gives no spans for values, so [`locate`] walks the block structure of the text
//! (indentation, `- ` items, `key:` lines and one-line flow lists), which is how people write
//! these files; where it cannot tell, it falls back to the nearest enclosing value it found.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Position, did_you_mean};

/// One step of a path into a YAML document: a mapping key or a sequence index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Parses `text` (which starts at byte `base` of `full`, the whole file) into `T`.
pub(crate) fn parse<T: DeserializeOwned>(
    file: &Path,
    full: &str,
    base: usize,
    text: &str,
) -> Result<T, Diagnostic> {
    serde_yaml::from_str(text).map_err(|err| from_serde(file, full, base, &err))
}

fn from_serde(file: &Path, full: &str, base: usize, err: &serde_yaml::Error) -> Diagnostic {
    let raw = err.to_string();
    let (problem, context) = split_syntax_message(&raw);
    let message = match &context {
        Some((what, _)) => format!("{problem} {what}"),
        None => problem.clone(),
    };
    let text = &full[base..];
    if let Some(d) = duplicate(file, full, base, err, &problem) {
        return d;
    }
    let mut diagnostic = Diagnostic::error(humanize(&message)).in_file(file);
    // An unclosed quote or bracket is best shown where it was opened (the "while …" part);
    // every other error where the parser stopped.
    let context_offset = context
        .filter(|_| {
            problem.contains("end of stream") || problem.contains("did not find expected ',' ")
        })
        .and_then(|(_, (line, column))| offset_of(text, line, column));
    let offset = context_offset
        .or_else(|| err.location().map(|l| l.index()))
        .map(|o| base + o);
    if let Some(offset) = offset {
        let token_len = full[offset.min(full.len())..]
            .find([':', '\n'])
            .unwrap_or(1);
        diagnostic = diagnostic.at_span(full, offset, offset + token_len);
    }
    if let Some(hint) = hint_for(&message) {
        diagnostic = diagnostic.with_hint(hint);
    }
    diagnostic
}

/// A key written twice in one mapping, pointed at where it is written the second time (the
/// parser only says where the mapping starts).
fn duplicate(
    file: &Path,
    full: &str,
    base: usize,
    err: &serde_yaml::Error,
    problem: &str,
) -> Option<Diagnostic> {
    let key = problem
        .split_once("duplicate field `")
        .map(|(_, rest)| rest.split('`').next().unwrap_or(""))
        .or_else(|| {
            let (_, rest) = problem.split_once("duplicate entry with key ")?;
            Some(rest.trim_matches('"'))
        })?;
    let text = &full[base..];
    let map_start = err.location()?.index();
    let (first, second) = duplicate_key(text, map_start, key)?;
    let first_line = Position::of_offset(full, base + first).line;
    let first_place =
        Diagnostic::error("")
            .in_file(file)
            .at_span(full, base + first, base + first + key.len());
    Some(
        Diagnostic::error(format!("`{key}` is written twice in the same mapping"))
            .in_file(file)
            .at_span(full, base + second, base + second + key.len())
            .with_hint(format!(
                "keep one of the two: the first `{key}` is at line {first_line}"
            ))
            .also_at(&first_place, "the first one"),
    )
}

/// The offsets of the first two entries with key `key` in the block mapping starting at byte
/// `map_start` of `text`.
fn duplicate_key(text: &str, map_start: usize, key: &str) -> Option<(usize, usize)> {
    let lines = Lines::new(text);
    let line = lines
        .starts
        .partition_point(|&s| s <= map_start)
        .checked_sub(1)?;
    let col = map_start - lines.starts[line];
    let end = (line + 1..lines.count())
        .find(|&l| lines.indent(l).is_some_and(|i| i < col))
        .unwrap_or(lines.count());
    let node = Node { line, col, end };
    let mut found = node
        .entries(&lines)
        .into_iter()
        .filter(|&(l, c)| {
            lines
                .text(l)
                .get(c..)
                .is_some_and(|t| strip_key(t, key).is_some())
        })
        .map(|(l, c)| lines.offset(l, c));
    Some((found.next()?, found.next()?))
}

/// What the parser was doing when it failed, and where that began (line, column).
type SyntaxContext = (String, (usize, usize));

/// Splits "PROBLEM at line L column C, while DOING at line L2 column C2" into the problem
/// (without its position) and the context with its position.
fn split_syntax_message(raw: &str) -> (String, Option<SyntaxContext>) {
    let (head, context) = match raw.split_once(", while ") {
        Some((head, context)) => (head, Some(context)),
        None => (raw, None),
    };
    let problem = head.split(" at line ").next().unwrap_or(head).to_owned();
    let context = context.and_then(|c| {
        let (what, at) = c.split_once(" at line ")?;
        let (line, column) = at.split_once(" column ")?;
        Some((
            format!("while {what}"),
            (line.trim().parse().ok()?, column.trim().parse().ok()?),
        ))
    });
    (problem, context)
}

/// Byte offset of 1-based (`line`, `column`) in `text`, the column counted in characters.
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
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

fn humanize(message: &str) -> String {
    if message.starts_with("found a tab character that violates indentation") {
        return "a tab character indents this line, but YAML allows only spaces".to_owned();
    }
    let message = message.replace("invalid type: ", "wrong kind of value: ");
    // serde names the Rust type it wanted ("expected struct GuideFile"): say what it is.
    match message.split_once("expected struct ") {
        Some((head, _)) => format!("{head}expected a mapping (`key: value` lines)"),
        None => message,
    }
}

/// A fix for the common serde messages: unknown fields get "did you mean", missing ones say so.
fn hint_for(message: &str) -> Option<String> {
    if let Some(rest) = message.split("unknown field `").nth(1) {
        let unknown = rest.split('`').next()?;
        let expected: Vec<&str> = rest
            .split("expected ")
            .nth(1)
            .map(|list| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        return Some(match did_you_mean(unknown, expected.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None if expected.is_empty() => format!("remove `{unknown}`"),
            None => format!(
                "remove `{unknown}`; the known fields here are {}",
                quote_list(&expected)
            ),
        });
    }
    for (needle, hint) in SYNTAX_HINTS {
        if message.contains(needle) {
            return Some((*hint).to_owned());
        }
    }
    if let Some(rest) = message.split("missing field `").nth(1) {
        let field = rest.split('`').next()?;
        return Some(format!("add `{field}: …` here"));
    }
    if let Some(rest) = message.split("unknown variant `").nth(1) {
        let unknown = rest.split('`').next()?;
        let expected: Vec<&str> = rest
            .split("expected ")
            .nth(1)
            .map(|list| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        return Some(match did_you_mean(unknown, expected.iter().copied()) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("use one of {}", quote_list(&expected)),
        });
    }
    None
}

/// Plain-language fixes for the YAML syntax errors people make most.
const SYNTAX_HINTS: &[(&str, &str)] = &[
    (
        "while scanning a quoted scalar",
        "this quoted text is never closed: add the closing quote",
    ),
    (
        "while parsing a flow sequence",
        "this `[` list is never closed: add `]`, or write the list one `- item` per line",
    ),
    (
        "while parsing a flow mapping",
        "this `{` mapping is never closed: add `}`",
    ),
    (
        "mapping values are not allowed",
        "the value contains `: `; put the whole value in quotes",
    ),
    (
        "expected struct ",
        "write `key: value` lines here, not a list or a single value",
    ),
    (
        "found a tab character",
        "YAML is indented with spaces, not tabs: replace the tab on this line with spaces",
    ),
    (
        "cannot start any token",
        "YAML is indented with spaces, not tabs; also quote values that start with `@`, `` ` `` or `%`",
    ),
    (
        "did not find expected key",
        "check this line's indentation: it must line up with the keys above it",
    ),
    (
        "expected a string",
        "write this value as plain text; put it in quotes if it starts with `[`, `{`, `@`, `*` or `&`",
    ),
    (
        "repetition limit exceeded",
        "this YAML repeats aliases (`*name`) so often that it would grow too large: write the values out",
    ),
    (
        "recursion limit exceeded",
        "this YAML is nested too deeply: guides need only a few levels",
    ),
    (
        "did not find expected '-'",
        "check this line's indentation: list items must line up",
    ),
];

fn quote_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where the value at `path` starts in `text`, and how long its first line is, in bytes.
/// Falls back to the deepest part of the path that could be found; `None` only when nothing was.
pub(crate) fn locate(text: &str, path: &[Seg<'_>]) -> Option<(usize, usize)> {
    let lines = Lines::new(text);
    let mut node = Node {
        line: 0,
        col: 0,
        end: lines.count(),
    };
    node = node.skip_blank(&lines)?;
    let mut found = None;
    // An item of a one-line flow sequence `[a, b]` ends at the next `,` or `]`.
    let mut in_flow = false;
    for seg in path {
        let next = match *seg {
            Seg::Key(key) => node.key(&lines, key),
            Seg::Index(i) => node.index(&lines, i),
        };
        match next {
            Some(n) => {
                let parent = &lines.text(node.line)[node.col..];
                in_flow = (matches!(seg, Seg::Index(_)) && parent.starts_with('['))
                    || (matches!(seg, Seg::Key(_)) && parent.starts_with('{'));
                node = n;
                found = Some(n);
            }
            None => break,
        }
    }
    let n = found?;
    let start = lines.offset(n.line, n.col);
    let mut rest = strip_comment(lines.text(n.line)[n.col..].trim_end()).trim_end();
    if in_flow {
        rest = rest
            .split([',', ']', '}'])
            .next()
            .unwrap_or(rest)
            .trim_end();
    }
    let len = rest.len().max(1);
    Some((start, start + len))
}

/// Points `d` at the key (not the value) of the last segment of `path`, which must be a
/// [`Seg::Key`]; falls back to [`point`].
pub(crate) fn point_key(
    d: Diagnostic,
    text: &str,
    base: usize,
    full: &str,
    path: &[Seg<'_>],
) -> Diagnostic {
    let Some((Seg::Key(key), parent)) = path.split_last() else {
        return point(d, text, base, full, path);
    };
    let lines = Lines::new(text);
    let found = locate(text, parent)
        .or_else(|| parent.is_empty().then_some((0, 0)))
        .and_then(|(start, _)| {
            let line = lines
                .starts
                .partition_point(|&s| s <= start)
                .checked_sub(1)?;
            let node = Node {
                line,
                col: start - lines.starts[line],
                end: lines.count(),
            }
            .skip_blank(&lines)?;
            node.entries(&lines).into_iter().find(|&(l, c)| {
                lines
                    .text(l)
                    .get(c..)
                    .is_some_and(|t| strip_key(t, key).is_some())
            })
        });
    match found {
        Some((line, col)) => {
            let start = base + lines.offset(line, col);
            d.at_span(full, start, start + key.len())
        }
        None => point(d, text, base, full, path),
    }
}

/// Like [`locate`], as a [`Position`] plus width, ready for a diagnostic.
pub(crate) fn point(
    d: Diagnostic,
    text: &str,
    base: usize,
    full: &str,
    path: &[Seg<'_>],
) -> Diagnostic {
    match locate(text, path) {
        Some((start, end)) => d.at_span(full, base + start, base + end),
        None => d.at(full, Position::of_offset(full, base), 1),
    }
}

fn strip_comment(s: &str) -> &str {
    match s.find(" #") {
        Some(i) if !s.starts_with('\'') && !s.starts_with('"') => &s[..i],
        _ => s,
    }
}

struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        if starts.last() == Some(&text.len()) && !text.is_empty() {
            starts.pop();
        }
        Self { text, starts }
    }
    fn count(&self) -> usize {
        self.starts.len()
    }
    fn text(&self, line: usize) -> &'a str {
        let start = self.starts[line];
        let end = self.starts.get(line + 1).map_or(self.text.len(), |e| e - 1);
        self.text[start..end].trim_end_matches('\r')
    }
    fn offset(&self, line: usize, col: usize) -> usize {
        self.starts[line] + col
    }
    /// Column of the first non-space character, or `None` for blank and comment lines.
    fn indent(&self, line: usize) -> Option<usize> {
        let text = self.text(line);
        let trimmed = text.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            None
        } else {
            Some(text.len() - trimmed.len())
        }
    }
}

/// A value: it starts at (`line`, `col`) and its block runs up to line `end` (exclusive).
#[derive(Clone, Copy, Debug)]
struct Node {
    line: usize,
    col: usize,
    end: usize,
}

impl Node {
    fn skip_blank(self, lines: &Lines<'_>) -> Option<Self> {
        let rest = &lines.text(self.line)[self.col..];
        if !rest.trim().is_empty() && !rest.trim_start().starts_with('#') {
            let col = self.col + (rest.len() - rest.trim_start().len());
            return Some(Self { col, ..self });
        }
        (self.line + 1..self.end).find_map(|l| {
            lines.indent(l).map(|col| Self {
                line: l,
                col,
                end: self.end,
            })
        })
    }

    /// The lines of this block at its own indentation: (line, column of content).
    fn entries(self, lines: &Lines<'_>) -> Vec<(usize, usize)> {
        let mut out = vec![(self.line, self.col)];
        for l in self.line + 1..self.end {
            if lines.indent(l) == Some(self.col) {
                out.push((l, self.col));
            }
        }
        out
    }

    /// End of the block of an entry starting at `line` whose content sits at `indent`.
    fn entry_end(
        self,
        lines: &Lines<'_>,
        line: usize,
        indent: usize,
        allow_same_indent_seq: bool,
    ) -> usize {
        let mut in_seq = false;
        for l in line + 1..self.end {
            match lines.indent(l) {
                Some(i) if i < indent => return l,
                Some(i) if i == indent => {
                    let is_item =
                        lines.text(l)[i..].starts_with("- ") || lines.text(l)[i..] == *"-";
                    if allow_same_indent_seq
                        && is_item
                        && (in_seq || l == first_content(lines, line + 1, self.end))
                    {
                        in_seq = true;
                    } else {
                        return l;
                    }
                }
                _ => {}
            }
        }
        self.end
    }

    fn key(self, lines: &Lines<'_>, key: &str) -> Option<Self> {
        let here = &lines.text(self.line)[self.col..];
        if here.starts_with('{') {
            return flow_key(here, key).map(|c| Self {
                line: self.line,
                col: self.col + c,
                end: self.line + 1,
            });
        }
        for (line, col) in self.entries(lines) {
            let text = &lines.text(line)[col..];
            let Some(after) = strip_key(text, key) else {
                continue;
            };
            let value_col = col + (text.len() - after.len());
            let end = self.entry_end(lines, line, col, true);
            let inline = after.trim_start();
            if !inline.is_empty() && !inline.starts_with('#') {
                let col = value_col + (after.len() - inline.len());
                return Some(Self { line, col, end });
            }
            let next = first_content(lines, line + 1, end);
            return if next < end {
                Some(Self {
                    line: next,
                    col: lines.indent(next)?,
                    end,
                })
            } else {
                Some(Self {
                    line,
                    col: value_col,
                    end: line + 1,
                })
            };
        }
        None
    }

    fn index(self, lines: &Lines<'_>, index: usize) -> Option<Self> {
        let text = &lines.text(self.line)[self.col..];
        if text.starts_with('[') {
            return flow_item(text, index).map(|c| Self {
                line: self.line,
                col: self.col + c,
                end: self.line + 1,
            });
        }
        let items: Vec<(usize, usize)> = self
            .entries(lines)
            .into_iter()
            .filter(|&(l, c)| lines.text(l)[c..].starts_with('-'))
            .collect();
        let &(line, col) = items.get(index)?;
        let end = items
            .get(index + 1)
            .map_or_else(|| self.entry_end(lines, line, col, false), |n| n.0);
        let after = &lines.text(line)[col + 1..];
        let content = after.trim_start();
        if content.is_empty() || content.starts_with('#') {
            let next = first_content(lines, line + 1, end);
            return (next < end).then(|| Self {
                line: next,
                col: lines.indent(next).unwrap_or(0),
                end,
            });
        }
        Some(Self {
            line,
            col: col + 1 + (after.len() - content.len()),
            end,
        })
    }
}

fn first_content(lines: &Lines<'_>, from: usize, end: usize) -> usize {
    (from..end)
        .find(|&l| lines.indent(l).is_some())
        .unwrap_or(end)
}

/// If `text` starts with `key:` (plain or quoted), what follows the colon.
fn strip_key<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    for quote in ["", "\"", "'"] {
        if let Some(rest) = text
            .strip_prefix(quote)
            .and_then(|t| t.strip_prefix(key))
            .and_then(|t| t.strip_prefix(quote))
            && let Some(after) = rest.strip_prefix(':')
            && (after.is_empty() || after.starts_with(' ') || after.starts_with('\t'))
        {
            return Some(after);
        }
    }
    None
}

/// Byte column of the value of `key` inside a one-line flow mapping `{a: 1, b: 2}`.
fn flow_key(text: &str, key: &str) -> Option<usize> {
    flow_entries(text).into_iter().find_map(|start| {
        let rest = &text[start..];
        let after = strip_key(rest, key).or_else(|| {
            rest.strip_prefix(key)
                .and_then(|r| r.trim_start().strip_prefix(':'))
        })?;
        Some(text.len() - after.trim_start().len())
    })
}

/// Byte column of item `index` inside a one-line flow sequence `[a, b, c]`.
fn flow_item(text: &str, index: usize) -> Option<usize> {
    flow_entries(text).get(index).copied()
}

/// Where each top-level entry of the one-line flow collection at the start of `text` begins
/// (its first character that is not a space), quotes and nested brackets skipped.
fn flow_entries(text: &str) -> Vec<usize> {
    let mut entries = Vec::new();
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut at_entry = false;
    for (i, c) in text.char_indices() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            continue;
        }
        if at_entry && depth == 1 && !c.is_whitespace() && !matches!(c, ']' | '}') {
            at_entry = false;
            entries.push(i);
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '{' | '[' => {
                depth += 1;
                at_entry = depth == 1;
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => at_entry = true,
            _ => {}
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at<'a>(text: &'a str, path: &[Seg<'_>]) -> &'a str {
        let (s, e) = locate(text, path).unwrap();
        &text[s..e]
    }

    const GUIDE: &str = "title: T\nsections:\n  - id: link\n    kind: procedure\n    steps:\n      - open-menu\n      - press-bak  # typo\n  - id: unlink\n    steps: [open-menu, press-x]\nwindows:\n- id: w\n  from: a\n";

    #[test]
    fn finds_block_sequence_items() {
        assert_eq!(
            at(
                GUIDE,
                &[
                    Seg::Key("sections"),
                    Seg::Index(0),
                    Seg::Key("steps"),
                    Seg::Index(1)
                ]
            ),
            "press-bak"
        );
        assert_eq!(
            at(
                GUIDE,
                &[Seg::Key("sections"), Seg::Index(1), Seg::Key("id")]
            ),
            "unlink"
        );
    }

    #[test]
    fn finds_flow_items_and_same_indent_sequences() {
        assert_eq!(
            at(
                GUIDE,
                &[
                    Seg::Key("sections"),
                    Seg::Index(1),
                    Seg::Key("steps"),
                    Seg::Index(1)
                ]
            ),
            "press-x"
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
        assert_eq!(at(text, &path("r")), "8");
        assert_eq!(at(text, &path("shape")), "circle");
    }

    #[test]
    fn falls_back_to_the_nearest_parent() {
        assert_eq!(
            at(
                GUIDE,
                &[Seg::Key("sections"), Seg::Index(0), Seg::Key("nope")]
            ),
            "id: link"
        );
    }

    #[test]
    fn unclosed_quote_points_at_its_start() {
        let text = "title: x\ndescription: \"abc\npublished: 1\n";
        let d = parse::<serde_yaml::Value>(Path::new("a.yaml"), text, 0, text).unwrap_err();
        assert_eq!(
            d.position,
            Some(Position {
                line: 2,
                column: 14
            })
        );
        assert_eq!(
            d.hint.as_deref(),
            Some("this quoted text is never closed: add the closing quote")
        );
    }

    #[test]
    fn unknown_field_gets_a_suggestion() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code, reason = "only deserialised")]
        struct S {
            title: String,
        }
        let text = "titel: x\n";
        let d = parse::<S>(Path::new("a.yaml"), text, 0, text).unwrap_err();
        assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"));
        assert_eq!(d.position, Some(Position { line: 1, column: 1 }));
    }
}
