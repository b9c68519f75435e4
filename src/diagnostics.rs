//! Problems found in a site's sources, and how they are shown.
//!
//! Every stage of the build reports what is wrong with the user's input as a [`Diagnostic`]
//! (file, line, column, message, hint) into a [`Diagnostics`] list instead of stopping at the
//! first one, so that a build reports every problem at once. The same type is rendered for the
//! terminal here and can be serialised for editors and the serve overlay.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::i18n::{Lang, Localizer, Message, msg};

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A place in a source file: 1-based line and column (column counted in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text` (clamped to the text's end).
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Self { line, column }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One problem in the user's input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub file: Option<PathBuf>,
    pub position: Option<Position>,
    /// How many characters the caret underlines (at least 1).
    pub width: usize,
    /// The source line the position points into, for the snippet: a window of at most
    /// [`EXCERPT_WIDTH`] characters around the column, `…` where it was cut.
    pub source_line: Option<String>,
    /// The column of the position within `source_line` (1-based; the line may be cut).
    pub caret_column: usize,
    /// What is wrong (its catalog id is the diagnostic's stable `code`).
    pub message: Message,
    /// How to fix it.
    pub hint: Option<Message>,
    /// A warning for `build` that `check` reports as an error (e.g. an entry without remedy).
    pub strict: bool,
    /// tebiki could not read an input (permissions, I/O): the command could not run (exit 2),
    /// as opposed to input it read and found wrong (exit 1).
    pub cannot_read: bool,
    /// Other places the problem involves (the first of two definitions, …), each with a label.
    pub related: Vec<Related>,
}

/// A second place a diagnostic points at, with what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub file: PathBuf,
    pub position: Position,
    pub width: usize,
    pub source_line: Option<String>,
    pub caret_column: usize,
    pub label: Message,
}

impl Diagnostic {
    pub fn error(message: impl Into<Message>) -> Self {
        Self {
            severity: Severity::Error,
            file: None,
            position: None,
            width: 1,
            source_line: None,
            caret_column: 1,
            message: message.into(),
            hint: None,
            strict: false,
            cannot_read: false,
            related: Vec::new(),
        }
    }

    /// Also points at where `other` points (a located diagnostic), labelled `label`; nothing
    /// when `other` has no file and position.
    #[must_use]
    pub fn also_at(mut self, other: &Diagnostic, label: impl Into<Message>) -> Self {
        if let (Some(file), Some(position)) = (&other.file, other.position) {
            self.related.push(Related {
                file: file.clone(),
                position,
                width: other.width,
                source_line: other.source_line.clone(),
                caret_column: other.caret_column,
                label: label.into(),
            });
        }
        self
    }

    /// An input could not be read: `what` failed with `err` (the OS's words are kept).
    pub fn cannot_read(what: impl Into<crate::i18n::Arg>, err: &std::io::Error) -> Self {
        Self {
            cannot_read: true,
            ..Self::error(msg!("cannot-read", what = what, error = err.to_string()))
        }
    }

    #[must_use]
    pub fn warning(message: impl Into<Message>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(message)
        }
    }

    #[must_use]
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Points at `position` in `source` (the whole text of the file), underlining `width` chars.
    #[must_use]
    pub fn at(self, source: &str, position: Position, width: usize) -> Self {
        let line = source.lines().nth(position.line - 1).unwrap_or("");
        self.on_line(line, position, width)
    }

    /// Points at `position` on `line` (its text), keeping a bounded excerpt of it.
    fn on_line(self, line: &str, position: Position, width: usize) -> Self {
        let (excerpt, caret) = excerpt(line, position.column, width.max(1));
        self.with_excerpt(excerpt, caret, position, width)
    }

    /// Points at `position`, shown as `excerpt` with the caret at its character `caret`.
    fn with_excerpt(
        mut self,
        excerpt: String,
        caret: usize,
        position: Position,
        width: usize,
    ) -> Self {
        self.source_line = Some(excerpt);
        self.caret_column = caret;
        self.position = Some(position);
        self.width = width.clamp(1, EXCERPT_WIDTH);
        self
    }

    /// Points at the byte range `start..end` of `source`.
    #[must_use]
    pub fn at_span(self, source: &str, start: usize, end: usize) -> Self {
        let position = Position::of_offset(source, start);
        let end = floor_char_boundary(source, end.min(source.len()));
        let start = floor_char_boundary(source, start.min(end));
        let text = &source[start..end];
        let width = text.split('\n').next().unwrap_or("").chars().count();
        // The line around `start`, found from there (not by counting lines from the top).
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let line = source[line_start..line_end].trim_end_matches('\r');
        let (excerpt, caret) = excerpt_at(line, start - line_start, width.max(1));
        self.with_excerpt(excerpt, caret, position, width)
    }

    /// Makes this a warning for `build` and an error for `check`.
    #[must_use]
    pub fn strict(mut self) -> Self {
        self.severity = Severity::Warning;
        self.strict = true;
        self
    }

    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<Message>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` (or as much of it as is known).
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_deref()?.display().to_string();
        Some(match self.position {
            Some(p) => format!("{file}:{}:{}", p.line, p.column),
            None => file,
        })
    }
}

impl fmt::Display for Diagnostic {
    /// In English (see [`Diagnostic::render`] for the author's language).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&Localizer::new(Lang::En)))
    }
}

impl Diagnostic {
    /// The rustc form in `l`'s language, rendered by annotate-snippets (rustc's own renderer):
    /// headline, location, the source line with a caret under the place, help. Control
    /// characters from the input are shown as escapes, never sent to the terminal.
    pub fn render(&self, l: &Localizer) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
        let level = match self.severity {
            Severity::Error => Level::ERROR.with_name(l.text("level-error")),
            Severity::Warning => Level::WARNING.with_name(l.text("level-warning")),
        };
        let message = l.format(&self.message);
        let message = printable(&message);
        let title = level.primary_title(message.as_ref());
        let file = self
            .file
            .as_deref()
            .map(|p| printable(&p.display().to_string()).into_owned());
        let mut group: Group<'_> = match (&file, self.position, &self.source_line) {
            (Some(file), Some(p), Some(line)) => {
                let line = printable_line(line);
                let column = if self.caret_column > 0 {
                    self.caret_column
                } else {
                    p.column
                };
                let start = byte_of_char(&line, column - 1);
                let end = byte_of_char(&line, column - 1 + self.width).max(start);
                title.element(
                    Snippet::source(line)
                        .line_start(p.line)
                        .path(file.clone())
                        .annotation(AnnotationKind::Primary.span(start..end)),
                )
            }
            (Some(file), Some(p), None) => title.element(
                Origin::path(file.clone())
                    .line(p.line)
                    .char_column(p.column),
            ),
            (Some(file), None, _) => title.element(Origin::path(file.clone())),
            (None, ..) => Group::with_title(title),
        };
        for related in &self.related {
            let line = printable_line(related.source_line.as_deref().unwrap_or(""));
            let column = if related.caret_column > 0 {
                related.caret_column
            } else {
                related.position.column
            };
            let start = byte_of_char(&line, column - 1);
            let end = byte_of_char(&line, column - 1 + related.width).max(start);
            group = group.element(
                Snippet::source(line)
                    .line_start(related.position.line)
                    .path(printable(&related.file.display().to_string()).into_owned())
                    .annotation(
                        AnnotationKind::Context
                            .span(start..end)
                            .label(printable(&l.format(&related.label)).into_owned()),
                    ),
            );
        }
        if let Some(hint) = &self.hint {
            let help = Level::HELP.with_name(l.text("level-help"));
            group = group.element(help.message(printable(&l.format(hint)).into_owned()));
        }
        format!("{}\n", Renderer::plain().render(&[group]))
    }
}

/// The byte offset of character `index` of `text` (its length past the end).
/// The most characters of a source line a diagnostic carries.
pub(crate) const EXCERPT_WIDTH: usize = 120;

/// How many problems of one file are shown; the rest are counted ("and N more").
pub(crate) const SHOWN_PER_FILE: usize = 50;

/// A window of `line` around the 1-based character `column` (and `width` characters from it),
/// at most [`EXCERPT_WIDTH`] characters with `…` where it was cut, and the column within it.
fn excerpt(line: &str, column: usize, width: usize) -> (String, usize) {
    excerpt_at(line, byte_of_char(line, column.saturating_sub(1)), width)
}

/// As [`excerpt`], for the character at byte `at` of `line`: only the characters of the
/// window are looked at, so that each of thousands of problems on a line of megabytes costs
/// the same.
fn excerpt_at(line: &str, at: usize, width: usize) -> (String, usize) {
    let margin = EXCERPT_WIDTH / 3;
    let at = floor_char_boundary(line, at.min(line.len()));
    if line.chars().nth(EXCERPT_WIDTH).is_none() {
        return (line.to_owned(), line[..at].chars().count() + 1);
    }
    let ahead = width.min(EXCERPT_WIDTH - margin) + margin;
    let end = line[at..]
        .char_indices()
        .nth(ahead)
        .map_or(line.len(), |(i, _)| at + i);
    let cut_end = end < line.len();
    let (start, back) = line[..at]
        .char_indices()
        .rev()
        .take(margin)
        .enumerate()
        .last()
        .map_or((at, 0), |(k, (i, _))| (i, k + 1));
    let mut out = String::new();
    let mut caret = back + 1;
    if start > 0 {
        out.push('…');
        caret += 1;
    }
    out.push_str(&line[start..end]);
    if cut_end {
        out.push('…');
    }
    (out, caret)
}

fn byte_of_char(text: &str, index: usize) -> usize {
    text.char_indices()
        .nth(index)
        .map_or(text.len(), |(i, _)| i)
}

/// All the problems found so far, in the order they were found.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Keeps only the problems `keep` says yes to.
    pub(crate) fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.items.retain(keep);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Whether some input could not be read at all (the command could not run: exit 2).
    pub fn cannot_read(&self) -> bool {
        self.items.iter().any(|d| d.cannot_read)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Turns the warnings that `check` treats as errors into errors.
    pub fn promote_strict(&mut self) {
        for d in &mut self.items {
            if d.strict {
                d.severity = Severity::Error;
            }
        }
    }

    /// Sorts by file and position so output is stable whatever order stages ran in.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| {
            (&a.file, a.position, &a.message).cmp(&(&b.file, b.position, &b.message))
        });
        self.items.dedup();
    }

    /// Everything, in the terminal form, with a closing count.
    /// The problems to show, in order: at most [`SHOWN_PER_FILE`] of each file; then, for each
    /// file that had more, its name and how many were left out.
    pub fn shown(&self) -> (Vec<&Diagnostic>, Vec<(Option<PathBuf>, usize)>) {
        let mut per_file: std::collections::HashMap<Option<&Path>, usize> =
            std::collections::HashMap::new();
        let mut shown = Vec::new();
        let mut left_out: Vec<(Option<PathBuf>, usize)> = Vec::new();
        for d in &self.items {
            let seen = per_file.entry(d.file.as_deref()).or_default();
            *seen += 1;
            if *seen <= SHOWN_PER_FILE {
                shown.push(d);
            } else {
                let name = d.file.clone();
                match left_out.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, count)) => *count += 1,
                    None => left_out.push((name, 1)),
                }
            }
        }
        (shown, left_out)
    }

    /// Everything in `l`'s language, in the terminal form, with a closing count.
    pub fn render(&self, l: &Localizer) -> String {
        let mut out = String::new();
        let (shown, left_out) = self.shown();
        for d in shown {
            let _ = writeln!(out, "{}", d.render(l));
        }
        for (file, count) in left_out {
            let file = file.map_or_else(|| l.text("the-site"), |f| f.display().to_string());
            let line = msg!(
                "more-problems",
                count = count,
                file = printable(&file).into_owned()
            );
            let _ = writeln!(out, "{}", l.format(&line));
        }
        let errors = self.error_count();
        let warnings = self.items.len() - errors;
        if errors > 0 {
            let _ = writeln!(
                out,
                "{}",
                l.format(&msg!("errors-found", errors = errors, warnings = warnings))
            );
        }
        out
    }
}

/// `text` with every control character (ANSI escapes, bells, carriage returns …) shown as a
/// visible escape like `\u{1b}`, so that nothing read from input can drive the terminal.
pub(crate) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unprintable) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c == '\n' {
            out.push(c);
        } else if is_unprintable(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A source line for the snippet: one visible character per character, so that the caret,
/// counted in characters, stays under its place (tabs become spaces, controls `�`).
fn printable_line(line: &str) -> String {
    line.chars()
        .map(|c| match c {
            '\t' => ' ',
            c if is_unprintable(c) => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// C0 and C1 controls, DEL, and the bidirectional overrides that can reorder what is shown.
fn is_unprintable(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The build stopped because the input has problems; they are all in here.
#[derive(Debug)]
pub struct BuildFailed(pub Diagnostics);

impl fmt::Display for BuildFailed {
    /// In English (the command line and serve render the list in the author's language).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.render(&Localizer::new(Lang::En)))
    }
}

impl std::error::Error for BuildFailed {}

/// Edit distance in characters counting an adjacent swap as one edit (optimal string
/// alignment, from `strsim`).
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

/// The candidate closest to `wanted`, if it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (edit_distance(wanted, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// The site folder as messages name it: "the current folder" for `.`, else its path.
pub(crate) fn display_root(root: &Path) -> crate::i18n::Arg {
    if root.as_os_str().is_empty() || root == Path::new(".") {
        msg!("current-folder").into()
    } else {
        root.into()
    }
}

/// `path` relative to `root` for messages (unchanged when it is not below `root`).
pub(crate) fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn position_counts_characters_not_bytes() {
        let text = "a: 1\nタイトル: x\n";
        let offset = text.find('x').unwrap();
        assert_eq!(
            Position::of_offset(text, offset),
            Position { line: 2, column: 7 }
        );
    }

    #[test]
    fn suggestion_only_for_near_misses() {
        let ids = ["press-back", "press-link", "open-menu"];
        assert_eq!(did_you_mean("press-bak", ids), Some("press-back"));
        assert_eq!(did_you_mean("totally-different", ids), None);
    }

    #[test]
    fn caret_aligns_under_wide_characters() {
        let src = "title: 「連携」 [](@nope)\n";
        let start = src.find("@nope").unwrap();
        let d = Diagnostic::error("unknown")
            .in_file("a.md")
            .at_span(src, start, start + 5);
        let text = d.to_string();
        let caret_line = text.lines().find(|l| l.contains('^')).unwrap();
        let source_line = text.lines().find(|l| l.contains("@nope")).unwrap();
        let caret_col = caret_line.find('^').unwrap();
        let prefix = &source_line[..source_line.find("@nope").unwrap()];
        assert_eq!(caret_col, prefix.width());
    }
}
