//! YAML, read by serde-saphyr (with `yaml_serde` as a fast path for well-formed content, see
//! [`parse`]). Two things come out of serde-saphyr:
//! - [`parse`]: typed values; a failure becomes a [`Diagnostic`] chosen by the error's *kind*
//!   (unknown field, duplicate key, unclosed quote, …), never by the wording of its message;
//!   that mapping is this file;
//! - [`Tree`] (`tree.rs`): where each value and key of the same text is written (byte spans
//!   from the parse itself), so that checks made after parsing (unknown ids, duplicates, bad
//!   dates) and Markdown inside YAML point at the exact place.
//!
//! This module never reads a file; it is handed text.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::granit_parser::ErrorKind;
use serde_saphyr::localizer::ExternalMessageSource;
use serde_saphyr::{DuplicateKeyPolicy, Error, NonFiniteFloatPolicy, Options};

use crate::diagnostics::{Diagnostic, Position, did_you_mean};
use crate::i18n::{Message, msg};

mod tree;

pub(crate) use tree::{Seg, Tree, point, point_in, point_key};

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
        let offset = err.location().and_then(|l| tree::offset_in(self.text, &l));
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
            let first = Diagnostic::error(Message::text(""))
                .in_file(self.file)
                .at_span(self.full, self.base + start, self.base + end);
            d = d
                .with_hint(msg!("yaml-keep-one", key = key, line = line))
                .also_at(&first, msg!("label-first-one"));
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
        self.tree?.kind_at(self.text, self.offset?)
    }
}

/// A diagnostic's parts, before it is placed in its file.
struct Problem {
    message: Message,
    hint: Option<Message>,
    /// Where to point, when better than the parser's position.
    span: Option<(usize, usize)>,
    /// The key written twice, and where it is written first.
    first: Option<(String, (usize, usize))>,
}

impl Problem {
    fn new(message: Message, hint: Option<Message>) -> Self {
        Self {
            message,
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
            msg!("missing-field", field = *field),
            Some(msg!("missing-field-hint", field = *field)),
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
        } => wrong_kind_named(&found_kind(unexpected.clone()), expected, at),
        Error::InvalidScalar { ty, .. } => wrong_kind_named(
            &at.kind_here()
                .map_or_else(|| msg!("this-value"), found_kind),
            ty,
            at,
        ),
        Error::NullIntoString { .. } => Problem::new(
            msg!("yaml-empty-value", path = at.path_prefix()),
            Some(msg!("yaml-empty-value-hint")),
        ),
        Error::ExternalMessage { source, msg, .. } => match &**source {
            ExternalMessageSource::Parser(scan) => syntax(scan.kind(), msg, at),
            _ => Problem::new(Message::text(msg.clone()), None),
        },
        Error::Budget { breach, .. } => budget(breach),
        Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. } => too_many_aliases(),
        Error::AliasError { error, .. } => describe(error, at),
        Error::MultipleDocuments { .. } => Problem::new(
            msg!("yaml-second-document"),
            Some(msg!("yaml-second-document-hint")),
        ),
        Error::UnknownAnchor { .. } => Problem::new(
            msg!("yaml-unknown-anchor"),
            Some(msg!("yaml-unknown-anchor-hint")),
        ),
        Error::Message { msg, .. } => Problem::new(Message::text(msg.clone()), None),
        other => Problem::new(Message::text(message_without_position(other)), None),
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
        Some(close) => msg!("did-you-mean", name = close),
        None if expected.is_empty() => msg!("remove-field", field = field),
        None => msg!(
            "remove-field-known",
            field = field,
            known = quote_list(expected)
        ),
    };
    let message = if expected.is_empty() {
        msg!("unknown-field-none", field = field)
    } else {
        msg!("unknown-field", field = field, expected = one_of(expected))
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
        Some(close) => msg!("did-you-mean", name = close),
        None => msg!("use-one-of", names = quote_list(expected)),
    };
    let message = msg!(
        "unknown-variant",
        variant = variant,
        expected = one_of(expected)
    );
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
        return Problem::new(msg!("yaml-duplicate-key-unnamed"), None);
    };
    let mut problem = Problem::new(msg!("yaml-duplicate-key", key = key), None);
    problem.span = at.offset.map(|o| (o, o + key.len()));
    problem.first = at.offset.and_then(|o| {
        let tree = Tree::parse_with(at.text, DuplicateKeyPolicy::PassThrough)?;
        tree.first_twin(o).map(|span| (key.to_owned(), span))
    });
    if problem.first.is_none() {
        problem.hint = Some(msg!("yaml-duplicate-key-hint", key = key));
    }
    problem
}

/// serde's wording for the names a value may take: `a`, `a` or `b`, one of `a`, `b`, `c`.
fn one_of(names: &[&str]) -> Message {
    match names {
        [] => msg!("one-of-nothing"),
        [one] => Message::text(format!("`{one}`")),
        [a, b] => msg!("one-of-two", a = *a, b = *b),
        _ => msg!("one-of-many", names = quote_list(names)),
    }
}

/// The value at the error is not what the field takes (the parser names what it expected).
fn wrong_kind(expected: &str, at: &Found<'_>) -> Problem {
    let found = at.kind_here().map_or_else(
        || {
            // Not well-formed YAML, so no tree: the first character says what was started.
            match at.offset.and_then(|o| at.text[o..].chars().next()) {
                Some('[' | '-') => msg!("found-sequence"),
                Some('{') => msg!("found-mapping"),
                _ => msg!("this-value"),
            }
        },
        found_kind,
    );
    wrong_kind_named(&found, expected, at)
}

/// What kind of value was found, as the parser or the tree names it: a list, a mapping, or
/// the value itself (`` `many` ``).
fn found_kind(found: String) -> Message {
    match found.as_str() {
        "sequence" => msg!("found-sequence"),
        "mapping" => msg!("found-mapping"),
        _ => Message::text(found),
    }
}

fn wrong_kind_named(found: &Message, expected: &str, at: &Found<'_>) -> Problem {
    let (wanted, hint) = match expected {
        "mapping start" | "mapping" | "a mapping" => ("kind-mapping", "kind-mapping-hint"),
        e if e.starts_with("struct ") => ("kind-mapping", "kind-mapping-hint"),
        "string scalar" | "a string" | "string" | "char" => ("kind-text", "kind-text-hint"),
        "sequence start" | "a sequence" | "sequence" => ("kind-list", "kind-list-hint"),
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" => {
            ("kind-whole-number", "kind-whole-number-hint")
        }
        "f32" | "f64" => ("kind-number", "kind-number-hint"),
        "bool" | "a boolean" => ("kind-bool", "kind-bool-hint"),
        other => {
            let message = msg!(
                "yaml-wrong-kind",
                path = at.path_prefix(),
                found = found.clone(),
                expected = other
            );
            return Problem::new(message, None);
        }
    };
    let message = msg!(
        "yaml-wrong-kind",
        path = at.path_prefix(),
        found = found.clone(),
        expected = Message::new(wanted)
    );
    Problem::new(message, Some(Message::new(hint)))
}

/// A syntax error, by the parser's kind of error.
fn syntax(kind: &ErrorKind, msg: &str, at: &Found<'_>) -> Problem {
    let hint = |id: &'static str| Some(Message::new(id));
    let tab = || {
        let mut p = Problem::new(msg!("yaml-tab"), hint("yaml-tab-hint"));
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
            msg!("yaml-unclosed-quote"),
            hint("yaml-unclosed-quote-hint"),
        ),
        ErrorKind::UnclosedFlowCollection { open: '[' } => {
            Problem::new(msg!("yaml-unclosed-list"), hint("yaml-unclosed-list-hint"))
        }
        ErrorKind::UnclosedFlowCollection { .. } => Problem::new(
            msg!("yaml-unclosed-mapping"),
            hint("yaml-unclosed-mapping-hint"),
        ),
        ErrorKind::MismatchedFlowCollectionEnd { open, close } => Problem::new(
            msg!(
                "yaml-mismatched-close",
                open = open.to_string(),
                close = close.to_string()
            ),
            hint("yaml-mismatched-close-hint"),
        ),
        ErrorKind::MappingValueNotAllowed | ErrorKind::InvalidColonPlacement => {
            Problem::new(msg!("yaml-colon"), hint("yaml-colon-hint"))
        }
        ErrorKind::UnexpectedCharacter { character } => Problem::new(
            msg!("yaml-reserved-start", character = character.to_string()),
            hint("yaml-reserved-start-hint"),
        ),
        ErrorKind::ExpectedBlockMappingKey => {
            Problem::new(msg!("yaml-key-indent"), hint("yaml-key-indent-hint"))
        }
        ErrorKind::ExpectedBlockSequenceEntry => {
            Problem::new(msg!("yaml-item-indent"), hint("yaml-item-indent-hint"))
        }
        ErrorKind::RecursionLimitExceeded => too_deep(),
        _ => Problem::new(Message::text(msg), None),
    }
}

fn budget(breach: &BudgetBreach) -> Problem {
    match breach {
        BudgetBreach::Depth { .. } => too_deep(),
        _ => too_many_aliases(),
    }
}

fn too_deep() -> Problem {
    Problem::new(msg!("yaml-too-deep"), Some(msg!("yaml-too-deep-hint")))
}

fn too_many_aliases() -> Problem {
    Problem::new(
        msg!("yaml-too-many-aliases"),
        Some(msg!("yaml-too-many-aliases-hint")),
    )
}

fn quote_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The end of the word at `offset`, for underlining where no span is known.
fn token_end(text: &str, offset: usize) -> usize {
    let rest = &text[offset.min(text.len())..];
    offset + rest.find([':', '\n', ',']).unwrap_or(rest.len()).max(1)
}

#[cfg(test)]
#[allow(
    clippy::disallowed_methods,
    reason = "tests set up their files with std::fs"
)]
mod tests {
    use super::*;

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
            d.hint.as_ref().map(ToString::to_string).as_deref(),
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
        let hint = d.hint.as_ref().map(ToString::to_string);
        (d.message.to_string(), at.line, at.column, hint)
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
                for (start, end) in tree.spans() {
                    assert!(text.get(start..end).is_some(), "{text:?}");
                }
            }
        }
    }
}
