//! YAML, read by serde-saphyr (with `yaml_serde` as a fast path for well-formed content, see
//! [`parse`]). Two things come out of serde-saphyr:
//! - [`parse`]: typed values; a failure becomes a [`Diagnostic`] chosen by the error's *kind*
//!   (unknown field, duplicate key, unclosed quote, …), never by the wording of its message;
//! - [`Tree`]: where each value and key of the same text is written (byte spans from the
//!   parse itself), so that checks made after parsing (unknown ids, duplicates, bad dates) and
//!   Markdown inside YAML point at the exact place.
//!
//! This module never reads a file; it is handed text.

use std::path::Path;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::granit_parser::ErrorKind;
use serde_saphyr::localizer::ExternalMessageSource;
use serde_saphyr::{DuplicateKeyPolicy, Error, Location, NonFiniteFloatPolicy, Options, Spanned};

use crate::diagnostics::{Diagnostic, Position, did_you_mean};

/// One step of a path into a YAML document: a mapping key or a sequence index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// The parser's settings: no snippet in its errors (we draw our own); its default budget,
/// which refuses alias bombs and nesting deeper than 64 levels before they cost anything.
fn options(duplicates: DuplicateKeyPolicy) -> Options {
    let mut options = Options::default();
    options.with_snippet = false;
    options.duplicate_keys = duplicates;
    // YAML 1.2 booleans, as serde_yaml read them: `no`, `on` or `y` stay text.
    options.strict_booleans = true;
    // `.nan` and `.inf` reach tebiki's own checks, which say why a picture cannot use them.
    options.non_finite_float_policy = NonFiniteFloatPolicy::PassThrough;
    options
}

/// Parses `text` (which starts at byte `base` of `full`, the whole file) into `T`. Text with
/// no value at all (empty, or only comments) reads as an empty mapping, so that an empty file
/// says which field it lacks.
///
/// Content files take a fast path first: `yaml_serde` (libyaml) reads a well-formed document
/// at twice serde-saphyr's speed, which is a fifth of a 10,000-step build. Whatever it
/// refuses is read again by serde-saphyr, whose verdict and error stand. Only for types
/// without free-form maps (a map keeps the last of two equal keys in `yaml_serde`): see
/// [`parse_strict`].
pub(crate) fn parse<T: DeserializeOwned>(
    file: &Path,
    full: &str,
    base: usize,
    text: &str,
) -> Result<T, Diagnostic> {
    if !is_blank(text)
        && let Ok(value) = serde_yaml::from_str(text)
    {
        return Ok(value);
    }
    parse_strict(file, full, base, text)
}

/// [`parse`] by serde-saphyr alone (a key written twice is an error in every mapping).
pub(crate) fn parse_strict<T: DeserializeOwned>(
    file: &Path,
    full: &str,
    base: usize,
    text: &str,
) -> Result<T, Diagnostic> {
    let input = if is_blank(text) { "{}" } else { text };
    let err = match serde_saphyr::from_str_with_options(input, options(DuplicateKeyPolicy::Error)) {
        Ok(value) => return Ok(value),
        Err(err) => err,
    };
    // Only for a text that fails: again, noting where in the document the error was met.
    let mut path = String::new();
    let options = options(DuplicateKeyPolicy::Error);
    let again = serde_saphyr::with_deserializer_from_str_with_options(input, options, |de| {
        serde_path_to_error::deserialize::<_, T>(de).map_err(|err| {
            path = err.path().to_string();
            err.into_inner()
        })
    });
    let err = again.err().unwrap_or(err);
    let at = Place {
        file,
        full,
        base,
        text,
    };
    Err(at.diagnose(err.without_snippet(), &path))
}

fn is_blank(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|l| l.is_empty() || l.starts_with('#') || l == "---")
}

/// Where a YAML text sits: in which file, at which byte of its whole text.
struct Place<'a> {
    file: &'a Path,
    full: &'a str,
    base: usize,
    text: &'a str,
}

impl Place<'_> {
    /// The diagnostic for `err`, met at `path` (`sections[0].id`, `.` for the top).
    fn diagnose(&self, err: &Error, path: &str) -> Diagnostic {
        let offset = err.location().and_then(|l| offset_in(self.text, &l));
        let tree = Tree::parse(self.text);
        let found = Found {
            offset,
            tree: tree.as_ref(),
            text: self.text,
            path,
        };
        let problem = describe(err, &found);
        let mut d = Diagnostic::error(problem.message).in_file(self.file);
        let span = problem
            .span
            .or_else(|| offset.map(|o| (o, token_end(self.text, o))));
        if let Some((start, end)) = span {
            d = d.at_span(self.full, self.base + start, self.base + end);
        }
        if let Some(hint) = problem.hint {
            d = d.with_hint(hint);
        }
        if let Some((key, (start, end))) = problem.first {
            let line = Position::of_offset(self.full, self.base + start).line;
            let first = Diagnostic::error("").in_file(self.file).at_span(
                self.full,
                self.base + start,
                self.base + end,
            );
            d = d
                .with_hint(format!(
                    "keep one of the two: the first `{key}` is at line {line}"
                ))
                .also_at(&first, "the first one");
        }
        d
    }
}

/// What the parser's error position shows: the byte it names, and the tree of the text when
/// the text is well-formed YAML (type errors), for the path and kind of the value there.
struct Found<'a> {
    offset: Option<usize>,
    tree: Option<&'a Tree>,
    text: &'a str,
    path: &'a str,
}

impl Found<'_> {
    /// `path: ` of the value at the error, as `serde_yaml` wrote it (`sections[0].id: `).
    fn path_prefix(&self) -> String {
        match self.path {
            "" | "." => String::new(),
            path => format!("{path}: "),
        }
    }

    /// What kind of value is at the error: `sequence`, `mapping` or the scalar as written.
    fn kind_here(&self) -> Option<String> {
        let node = self.tree?.node_at(self.offset?)?;
        Some(match &node.value {
            Value::Map(_) => "mapping".to_owned(),
            Value::Seq(_) => "sequence".to_owned(),
            Value::Scalar => format!("`{}`", self.text.get(node.start..node.end)?),
        })
    }
}

/// A diagnostic's parts, before it is placed in its file.
struct Problem {
    message: String,
    hint: Option<String>,
    /// Where to point, when better than the parser's position.
    span: Option<(usize, usize)>,
    /// The key written twice, and where it is written first.
    first: Option<(String, (usize, usize))>,
}

impl Problem {
    fn new(message: impl Into<String>, hint: Option<String>) -> Self {
        Self {
            message: message.into(),
            hint,
            span: None,
            first: None,
        }
    }
}

fn describe(err: &Error, at: &Found<'_>) -> Problem {
    match err {
        Error::SerdeUnknownField {
            field, expected, ..
        } => unknown_field(field, expected, at),
        Error::SerdeMissingField { field, .. } => Problem::new(
            format!("missing field `{field}`"),
            Some(format!("add `{field}: …` here")),
        ),
        Error::DuplicateMappingKey { key, .. } => duplicate_key(key.as_deref(), at),
        Error::SerdeUnknownVariant {
            variant, expected, ..
        } => unknown_variant(variant, expected, at),
        Error::Unexpected { expected, .. } => wrong_kind(expected, at),
        Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => wrong_kind_named(unexpected, expected, at),
        Error::InvalidScalar { ty, .. } => wrong_kind_named(
            &at.kind_here().unwrap_or_else(|| "this value".to_owned()),
            ty,
            at,
        ),
        Error::NullIntoString { .. } => Problem::new(
            format!("{}this value is empty, expected text", at.path_prefix()),
            Some("write the text after the colon (\"\" for no text)".to_owned()),
        ),
        Error::ExternalMessage { source, msg, .. } => match &**source {
            ExternalMessageSource::Parser(scan) => syntax(scan.kind(), msg, at),
            _ => Problem::new(msg.clone(), None),
        },
        Error::Budget { breach, .. } => budget(breach),
        Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. } => too_many_aliases(),
        Error::AliasError { error, .. } => describe(error, at),
        Error::MultipleDocuments { .. } => Problem::new(
            "a second YAML document starts here (a `---` line)",
            Some("one file holds one document: remove this `---` line".to_owned()),
        ),
        Error::UnknownAnchor { .. } => Problem::new(
            "this alias (`*name`) names no anchor (`&name`) written before it",
            Some("write the value out, or define `&name` first".to_owned()),
        ),
        Error::Message { msg, .. } => Problem::new(msg.clone(), None),
        other => Problem::new(message_without_position(other), None),
    }
}

/// The parser's own sentence for kinds without a tebiki wording, without its position (the
/// diagnostic shows that).
fn message_without_position(err: &Error) -> String {
    let text = err.to_string();
    match text.rsplit_once(" at line ") {
        Some((head, _)) => head.to_owned(),
        None => text,
    }
}

fn unknown_field(field: &str, expected: &[&str], at: &Found<'_>) -> Problem {
    let hint = match did_you_mean(field, expected.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None if expected.is_empty() => format!("remove `{field}`"),
        None => format!(
            "remove `{field}`; the known fields here are {}",
            quote_list(expected)
        ),
    };
    let message = if expected.is_empty() {
        format!("unknown field `{field}`, there are no fields")
    } else {
        format!("unknown field `{field}`, expected {}", one_of(expected))
    };
    let mut problem = Problem::new(message, Some(hint));
    // The parser names the mapping; the tree knows where in it the field is written.
    problem.span = at
        .offset
        .zip(at.tree)
        .and_then(|(o, t)| t.key_in_map_at(o, field));
    problem
}

fn unknown_variant(variant: &str, expected: &[&str], at: &Found<'_>) -> Problem {
    let hint = match did_you_mean(variant, expected.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("use one of {}", quote_list(expected)),
    };
    let message = format!("unknown variant `{variant}`, expected {}", one_of(expected));
    let mut problem = Problem::new(message, Some(hint));
    // A tag (`kind: buton`) is reported at its mapping; show the value itself.
    problem.span = at
        .offset
        .zip(at.tree)
        .and_then(|(o, t)| t.value_in_map_at(at.text, o, variant));
    problem
}

fn duplicate_key(key: Option<&str>, at: &Found<'_>) -> Problem {
    let Some(key) = key else {
        return Problem::new("a key is written twice in the same mapping", None);
    };
    let mut problem = Problem::new(
        format!("`{key}` is written twice in the same mapping"),
        None,
    );
    problem.span = at.offset.map(|o| (o, o + key.len()));
    problem.first = at.offset.and_then(|o| {
        let tree = Tree::parse_with(at.text, DuplicateKeyPolicy::PassThrough)?;
        tree.first_twin(o).map(|span| (key.to_owned(), span))
    });
    if problem.first.is_none() {
        problem.hint = Some(format!("keep one of the two `{key}`"));
    }
    problem
}

/// serde's wording for the names a value may take: `a`, `a` or `b`, one of `a`, `b`, `c`.
fn one_of(names: &[&str]) -> String {
    match names {
        [] => "nothing".to_owned(),
        [one] => format!("`{one}`"),
        [a, b] => format!("`{a}` or `{b}`"),
        _ => format!("one of {}", quote_list(names)),
    }
}

const MAPPING: &str = "a mapping (`key: value` lines)";
const MAPPING_HINT: &str = "write `key: value` lines here, not a list or a single value";
const TEXT_HINT: &str =
    "write this value as plain text; put it in quotes if it starts with `[`, `{`, `@`, `*` or `&`";

/// The value at the error is not what the field takes (the parser names what it expected).
fn wrong_kind(expected: &str, at: &Found<'_>) -> Problem {
    let found = at.kind_here().unwrap_or_else(|| {
        // Not well-formed YAML, so no tree: the first character says what was started.
        match at.offset.and_then(|o| at.text[o..].chars().next()) {
            Some('[' | '-') => "sequence".to_owned(),
            Some('{') => "mapping".to_owned(),
            _ => "this value".to_owned(),
        }
    });
    wrong_kind_named(&found, expected, at)
}

fn wrong_kind_named(found: &str, expected: &str, at: &Found<'_>) -> Problem {
    let (wanted, hint) = match expected {
        "mapping start" | "mapping" | "a mapping" => (MAPPING, MAPPING_HINT),
        e if e.starts_with("struct ") => (MAPPING, MAPPING_HINT),
        "string scalar" | "a string" | "string" | "char" => ("a string", TEXT_HINT),
        "sequence start" | "a sequence" | "sequence" => (
            "a list (`- item` lines or `[a, b]`)",
            "write one `- item` per line, or `[a, b]`",
        ),
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" => {
            ("a whole number", "write digits only, e.g. `3`")
        }
        "f32" | "f64" => ("a number", "write a number, e.g. `12.5`"),
        "bool" | "a boolean" => ("true or false", "write `true` or `false`"),
        other => (other, ""),
    };
    let message = format!(
        "{}wrong kind of value: {found}, expected {wanted}",
        at.path_prefix()
    );
    Problem::new(message, (!hint.is_empty()).then(|| hint.to_owned()))
}

/// A syntax error, by the parser's kind of error.
fn syntax(kind: &ErrorKind, msg: &str, at: &Found<'_>) -> Problem {
    let hint = |h: &str| Some(h.to_owned());
    let tab = || {
        let mut p = Problem::new(
            "a tab character indents this line, but YAML allows only spaces",
            hint(
                "YAML is indented with spaces, not tabs: replace the tab on this line with spaces",
            ),
        );
        // The parser stops at the value before the tab; show the tab itself.
        p.span = at
            .offset
            .and_then(|o| at.text[o..].find('\t').map(|t| (o + t, o + t + 1)));
        p
    };
    match kind {
        ErrorKind::TabInPlainScalar
        | ErrorKind::TabNotAllowed
        | ErrorKind::TabInBlockIndentation
        | ErrorKind::TabInIndentation
        | ErrorKind::TabAtBlockScalarStart
        | ErrorKind::UnexpectedCharacter { character: '\t' } => tab(),
        ErrorKind::UnclosedQuotedScalar => Problem::new(
            "this quoted text is never closed",
            hint("this quoted text is never closed: add the closing quote"),
        ),
        ErrorKind::UnclosedFlowCollection { open: '[' } => Problem::new(
            "this `[` list is never closed",
            hint(
                "add `]`, or write the list one `- item` per line; if the text starts with `[`, put it in quotes",
            ),
        ),
        ErrorKind::UnclosedFlowCollection { .. } => Problem::new(
            "this `{` mapping is never closed",
            hint("add `}`; if the text starts with `{`, put it in quotes"),
        ),
        ErrorKind::MismatchedFlowCollectionEnd { open, close } => Problem::new(
            format!("`{open}` is closed by `{close}`"),
            hint("close `[` with `]` and `{` with `}`"),
        ),
        ErrorKind::MappingValueNotAllowed | ErrorKind::InvalidColonPlacement => Problem::new(
            "a `: ` where no new key can start",
            hint(
                "the value contains `: `; put the whole value in quotes, or check this line's indentation",
            ),
        ),
        ErrorKind::UnexpectedCharacter { character } => Problem::new(
            format!("a value cannot start with `{character}`"),
            hint(
                "put the value in quotes; YAML reserves `@`, `` ` ``, `%` and others at the start",
            ),
        ),
        ErrorKind::ExpectedBlockMappingKey => Problem::new(
            "this line is not indented like the keys around it",
            hint("check this line's indentation: it must line up with the keys above it"),
        ),
        ErrorKind::ExpectedBlockSequenceEntry => Problem::new(
            "this line is not indented like the list items around it",
            hint("check this line's indentation: list items must line up"),
        ),
        ErrorKind::RecursionLimitExceeded => too_deep(),
        _ => Problem::new(msg, None),
    }
}

fn budget(breach: &BudgetBreach) -> Problem {
    match breach {
        BudgetBreach::Depth { .. } => too_deep(),
        _ => too_many_aliases(),
    }
}

fn too_deep() -> Problem {
    Problem::new(
        "recursion limit exceeded: the values are nested too deeply",
        Some("this YAML is nested too deeply: guides need only a few levels".to_owned()),
    )
}

fn too_many_aliases() -> Problem {
    Problem::new(
        "repetition limit exceeded: this YAML would grow too large",
        Some("this YAML repeats aliases (`*name`) so often that it would grow too large: write the values out".to_owned()),
    )
}

fn quote_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Byte offset in `text` of a parser location (line and column counted from 1, the column
/// in characters).
fn offset_in(text: &str, location: &Location) -> Option<usize> {
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

/// The end of the word at `offset`, for underlining where no span is known.
fn token_end(text: &str, offset: usize) -> usize {
    let rest = &text[offset.min(text.len())..];
    offset + rest.find([':', '\n', ',']).unwrap_or(rest.len()).max(1)
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

    fn parse_with(text: &str, duplicates: DuplicateKeyPolicy) -> Option<Self> {
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
    fn key_in_map_at(&self, map_start: usize, key: &str) -> Option<(usize, usize)> {
        self.map_at(map_start)?
            .iter()
            .find(|e| e.key == key)
            .map(|e| (e.key_start, e.key_start + e.key.len()))
    }

    /// The scalar value written `value` in the mapping that starts at byte `map_start`.
    fn value_in_map_at(&self, text: &str, map_start: usize, value: &str) -> Option<(usize, usize)> {
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
    fn first_twin(&self, second: usize) -> Option<(usize, usize)> {
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
#[allow(
    clippy::disallowed_methods,
    reason = "tests set up their files with std::fs"
)]
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

    #[test]
    fn unclosed_quote_points_at_its_start() {
        let text = "title: x\ndescription: \"abc\npublished: 1\n";
        let d = parse::<serde_json::Value>(Path::new("a.yaml"), text, 0, text).unwrap_err();
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

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code, reason = "only deserialised")]
    struct S {
        title: String,
        #[serde(default)]
        count: u32,
    }

    /// The error of reading `text` as `S`: its message, line, column and hint.
    fn error(text: &str) -> (String, usize, usize, Option<String>) {
        let d = parse::<S>(Path::new("a.yaml"), text, 0, text).unwrap_err();
        let at = d.position.unwrap();
        (d.message, at.line, at.column, d.hint)
    }

    #[test]
    fn unknown_field_is_shown_at_its_key_with_a_suggestion() {
        let (message, line, column, hint) = error("title: x\n\ncuont: 3\n");
        assert_eq!(
            message,
            "unknown field `cuont`, expected `title` or `count`"
        );
        assert_eq!((line, column), (3, 1));
        assert_eq!(hint.as_deref(), Some("did you mean `count`?"));
    }

    #[test]
    fn type_errors_name_the_path_and_what_was_found() {
        let (message, line, column, _) = error("title: x\ncount: many\n");
        assert_eq!(
            message,
            "count: wrong kind of value: `many`, expected a whole number"
        );
        assert_eq!((line, column), (2, 8));
    }

    #[test]
    fn empty_text_says_which_field_is_missing() {
        assert_eq!(error("# nothing\n").0, "missing field `title`");
    }

    #[test]
    fn duplicate_key_points_at_both_places() {
        let (message, line, column, hint) = error("title: a\ncount: 1\ntitle: b\n");
        assert_eq!(message, "`title` is written twice in the same mapping");
        assert_eq!((line, column), (3, 1));
        assert_eq!(
            hint.as_deref(),
            Some("keep one of the two: the first `title` is at line 1")
        );
    }

    /// The fast path and serde-saphyr read every file of the bundled guide to the same values.
    #[test]
    fn both_parsers_read_the_bundled_guide_alike() {
        use crate::model::{GuideFile, StepFrontMatter, TroublesFile};
        fn same<T: DeserializeOwned + std::fmt::Debug>(text: &str, what: &str) {
            let fast: T = serde_yaml::from_str(text).unwrap();
            let strict: T =
                serde_saphyr::from_str_with_options(text, options(DuplicateKeyPolicy::Error))
                    .unwrap();
            assert_eq!(format!("{fast:?}"), format!("{strict:?}"), "{what}");
        }
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/zaim-amazon");
        let read = |rel: &str| std::fs::read_to_string(dir.join(rel)).unwrap();
        same::<GuideFile>(&read("guide.yaml"), "guide.yaml");
        same::<TroublesFile>(&read("troubles.yaml"), "troubles.yaml");
        let mut steps = 0;
        for entry in std::fs::read_dir(dir.join("steps")).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let front = text.split("---\n").nth(1).unwrap();
            same::<StepFrontMatter>(front, &path.display().to_string());
            steps += 1;
        }
        assert!(steps >= 30, "{steps} step files");
    }

    /// Found by the `guide` fuzz target: a NUL in a scalar made its reported length end
    /// inside the text's bytes; no span may cut a character or pass the end.
    #[test]
    fn spans_stay_on_character_boundaries() {
        for text in [
            "!9\0y\n",
            "キー: [値\0]\n",
            "\"キ\": {a: b}\n",
            "- あ\0い\n",
        ] {
            let _ = parse::<S>(Path::new("a.yaml"), text, 0, text);
            let _ = parse::<serde_json::Value>(Path::new("a.yaml"), text, 0, text);
            if let Some(tree) = Tree::parse(text) {
                tree.root
                    .walk(&mut |n| assert!(text.get(n.start..n.end).is_some(), "{text:?}"));
            }
        }
    }
}
