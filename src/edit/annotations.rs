//! The minimal edit of a figure's `annotations:` list (the annotation editor's saves, and
//! `check --fix` writing where annotations followed their targets).
//!
//! When the list keeps its length and shapes, only the numbers (and texts) that changed are
//! replaced, each in place, keeping the unit it was written in; comments, key order and every
//! other byte stay. Otherwise the `annotations:` value is written anew, one flow mapping per
//! line, at the list's indentation; nothing outside it changes.

use std::fmt::Write as _;

use crate::figure::annotate::{AnnotationDef, Coord, num};
use crate::i18n::{Message, msg};
use crate::yaml::{Seg, Tree};

/// `text` (a whole file) with the annotations of the figure whose `image:` value is at `image`
/// in the YAML at byte `base` changed from `before` (as written now) to `after`.
pub(crate) fn replace(
    text: &str,
    base: usize,
    yaml_len: usize,
    image: &[Seg<'_>],
    before: &[AnnotationDef],
    after: &[AnnotationDef],
) -> Result<String, Message> {
    let yaml = &text[base..base + yaml_len];
    let tree = Tree::parse(yaml).ok_or_else(|| msg!("edit-not-yaml"))?;
    let list = [image, &[Seg::Key("annotations")]].concat();
    let same_shapes =
        before.len() == after.len() && before.iter().zip(after).all(|(a, b)| a.shape == b.shape);
    if same_shapes
        && tree.span(&list).is_some()
        && let Some(edits) = value_edits(&tree, yaml, &list, before, after)
    {
        return Ok(apply(text, base, edits));
    }
    let block = block_of(after);
    let edit = if let Some((key_start, _)) = tree.key_span(image, "annotations") {
        let end = value_end(yaml, key_start);
        let indent = indent_at(yaml, key_start);
        let new = format!("annotations:{}", indented(&block, indent));
        (key_start, end, new)
    } else {
        first_list(&tree, yaml, image, &block)?
    };
    Ok(apply(text, base, vec![edit]))
}

/// A first `annotations:` list: after the figure's last line, at its keys' indentation.
fn first_list(
    tree: &Tree,
    yaml: &str,
    image: &[Seg<'_>],
    block: &str,
) -> Result<(usize, usize, String), Message> {
    let (src_start, _) = tree
        .key_span(image, "src")
        .or_else(|| tree.key_span(image, "alt"))
        .ok_or_else(|| msg!("edit-no-place-for-annotations"))?;
    let indent = indent_at(yaml, src_start);
    let image_key = tree
        .key_span(&image[..image.len() - 1], image_key_name(image))
        .map_or(src_start, |(s, _)| s);
    let end = value_end(yaml, image_key);
    let pad = " ".repeat(indent);
    let lead = if yaml[..end].ends_with('\n') {
        ""
    } else {
        "\n"
    };
    let new = format!("{lead}{pad}annotations:{}", indented(block, indent));
    Ok((end, end, new))
}

fn image_key_name<'a>(image: &[Seg<'a>]) -> &'a str {
    match image.last() {
        Some(Seg::Key(k)) => k,
        _ => "image",
    }
}

/// The edits of the values that changed, or `None` when one cannot be made in place (a field
/// added or removed).
fn value_edits(
    tree: &Tree,
    yaml: &str,
    list: &[Seg<'_>],
    before: &[AnnotationDef],
    after: &[AnnotationDef],
) -> Option<Vec<(usize, usize, String)>> {
    let mut edits = Vec::new();
    for (i, (old, new)) in before.iter().zip(after).enumerate() {
        let item = [list, &[Seg::Index(i)]].concat();
        let coords = [
            ("x", old.x, new.x),
            ("y", old.y, new.y),
            ("w", old.w, new.w),
            ("h", old.h, new.h),
            ("r", old.r, new.r),
            ("rx", old.rx, new.rx),
            ("ry", old.ry, new.ry),
        ];
        let mut paths = Vec::new();
        for (key, was, now) in coords {
            paths.push(([&item[..], &[Seg::Key(key)]].concat(), was, now));
        }
        for (key, was, now) in [("from", old.from, new.from), ("to", old.to, new.to)] {
            for k in 0..2 {
                let path = [&item[..], &[Seg::Key(key), Seg::Index(k)]].concat();
                paths.push((path, was.map(|p| p[k]), now.map(|p| p[k])));
            }
        }
        for (path, was, now) in paths {
            match coord_edit(tree, yaml, &path, was, now) {
                CoordEdit::Unchanged => {}
                CoordEdit::Replace(start, end, text) => edits.push((start, end, text)),
                CoordEdit::NotInPlace => return None,
            }
        }
        if old.n != new.n
            || old.text != new.text
            || old.rounded != new.rounded
            || old.look != new.look
            || old.color != new.color
        {
            return None;
        }
    }
    Some(edits)
}

/// What becomes of one coordinate.
enum CoordEdit {
    Unchanged,
    Replace(usize, usize, String),
    /// Added or removed: no edit in place.
    NotInPlace,
}

/// The edit of one coordinate.
fn coord_edit(
    tree: &Tree,
    yaml: &str,
    path: &[Seg<'_>],
    was: Option<Coord>,
    now: Option<Coord>,
) -> CoordEdit {
    match (was, now) {
        (None, None) => CoordEdit::Unchanged,
        (Some(a), Some(b)) if a == b => CoordEdit::Unchanged,
        (Some(_), Some(b)) => {
            let Some((start, end)) = tree.span(path) else {
                return CoordEdit::NotInPlace;
            };
            let written = &yaml[start..end];
            let quoted = written.starts_with(['"', '\'']);
            let value = coord_text(b);
            let value = if quoted {
                let q = &written[..1];
                format!("{q}{value}{q}")
            } else {
                value
            };
            CoordEdit::Replace(start, end, value)
        }
        _ => CoordEdit::NotInPlace,
    }
}

/// A coordinate as YAML: pixels as a number, a percentage as `12.5%`.
pub(crate) fn coord_text(c: Coord) -> String {
    match c {
        Coord::Px(v) => num(v),
        Coord::Pct(p) => format!("{}%", num(p)),
    }
}

/// The annotations as a block list, one flow mapping a line (each line starts with `\n`).
pub(crate) fn block_of(annotations: &[AnnotationDef]) -> String {
    if annotations.is_empty() {
        return " []".to_owned();
    }
    let mut out = String::new();
    for a in annotations {
        let _ = write!(out, "\n  - {}", flow_of(a));
    }
    out
}

/// The single coordinates an annotation has written, by key, in the order YAML writes them.
fn coords_of(a: &AnnotationDef) -> impl Iterator<Item = (&'static str, Coord)> {
    [
        ("x", a.x),
        ("y", a.y),
        ("w", a.w),
        ("h", a.h),
        ("r", a.r),
        ("rx", a.rx),
        ("ry", a.ry),
    ]
    .into_iter()
    .filter_map(|(key, c)| Some((key, c?)))
}

/// One annotation as a flow mapping: `{shape: circle, x: 50%, y: 25%, r: 60}`.
pub(crate) fn flow_of(a: &AnnotationDef) -> String {
    let mut fields = vec![format!("shape: {}", a.shape.name())];
    for (key, c) in coords_of(a) {
        fields.push(format!("{key}: {}", coord_text(c)));
    }
    for (key, pair) in [("from", a.from), ("to", a.to)] {
        if let Some([x, y]) = pair {
            fields.push(format!("{key}: [{}, {}]", coord_text(x), coord_text(y)));
        }
    }
    if let Some(n) = a.n {
        fields.push(format!("n: {n}"));
    }
    if let Some(text) = &a.text {
        fields.push(format!("text: {}", json_string(text)));
    }
    if a.rounded {
        fields.push("rounded: true".into());
    }
    if a.look {
        fields.push("look: true".into());
    }
    if let Some(color) = &a.color {
        fields.push(format!("color: {}", json_string(color)));
    }
    format!("{{{}}}", fields.join(", "))
}

/// The annotations as the editor's JSON: the YAML's shapes, a coordinate as a number of
/// pixels or a string `"12.5%"` (the unit it is written in).
pub(crate) fn to_json(annotations: &[AnnotationDef]) -> String {
    let coord = |c: Coord| match c {
        Coord::Px(v) => serde_json::json!(v),
        Coord::Pct(_) => serde_json::json!(coord_text(c)),
    };
    let items: Vec<serde_json::Value> = annotations
        .iter()
        .map(|a| {
            let mut m = serde_json::Map::new();
            m.insert("shape".into(), a.shape.name().into());
            for (key, c) in coords_of(a) {
                m.insert(key.into(), coord(c));
            }
            for (key, pair) in [("from", a.from), ("to", a.to)] {
                if let Some([x, y]) = pair {
                    m.insert(key.into(), serde_json::json!([coord(x), coord(y)]));
                }
            }
            if let Some(n) = a.n {
                m.insert("n".into(), n.into());
            }
            if let Some(text) = &a.text {
                m.insert("text".into(), text.clone().into());
            }
            if a.rounded {
                m.insert("rounded".into(), true.into());
            }
            if a.look {
                m.insert("look".into(), true.into());
            }
            if let Some(color) = &a.color {
                m.insert("color".into(), color.clone().into());
            }
            serde_json::Value::Object(m)
        })
        .collect();
    serde_json::Value::Array(items).to_string()
}

/// A YAML double-quoted string (JSON's escapes are YAML's).
fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// `block` (lines starting with `\n`) indented by `indent` more spaces.
fn indented(block: &str, indent: usize) -> String {
    block.replace('\n', &format!("\n{}", " ".repeat(indent)))
}

/// The column of byte `at` in its line.
pub(super) fn indent_at(text: &str, at: usize) -> usize {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..at].chars().count()
}

/// The end of the value of the key at byte `key_start`: the end of its line and of every
/// following line indented deeper than the key (or a `- ` item at the key's own indentation),
/// blank lines inside it included, the line break of its last line excluded.
pub(super) fn value_end(text: &str, key_start: usize) -> usize {
    let indent = indent_at(text, key_start);
    let mut end = text[key_start..]
        .find('\n')
        .map_or(text.len(), |i| key_start + i);
    let mut at = end;
    while at < text.len() {
        let line_start = at + 1;
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        let trimmed = line.trim_start();
        let depth = line.len() - trimmed.len();
        if trimmed.is_empty() {
            at = line_end;
            continue;
        }
        let inside = depth > indent || (depth == indent && trimmed.starts_with("- "));
        if !inside {
            break;
        }
        end = line_end;
        at = line_end;
    }
    end
}

/// `text` with `edits` (byte ranges of the YAML at `base`, and their new text) made.
pub(super) fn apply(text: &str, base: usize, mut edits: Vec<(usize, usize, String)>) -> String {
    edits.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let mut out = text.to_owned();
    for (start, end, new) in edits {
        out.replace_range(base + start..base + end, &new);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn annotations(yaml: &str) -> Vec<AnnotationDef> {
        serde_saphyr::from_str(yaml).unwrap()
    }

    const STEP: &str = "---\ntitle: 設定\nimage:\n  src: images/a.png  # the new screen\n  alt: 設定画面\n  annotations:\n    # the button\n    - {shape: circle, x: 50%, y: 300, r: 60}\n    - shape: mask\n      x: 10\n      y: \"20%\"\n      w: 100\n      h: 40\n---\n本文\n";

    fn yaml_of(text: &str) -> (usize, usize) {
        let start = 4;
        let end = text[start..].find("\n---").unwrap() + start + 1;
        (start, end - start)
    }

    #[test]
    fn moved_numbers_change_in_place_and_nothing_else() {
        let (base, len) = yaml_of(STEP);
        let before = annotations(
            "[{shape: circle, x: 50%, y: 300, r: 60}, {shape: mask, x: 10, y: 20%, w: 100, h: 40}]",
        );
        let after = annotations(
            "[{shape: circle, x: 62.5%, y: 420, r: 60}, {shape: mask, x: 10, y: 31%, w: 100, h: 40}]",
        );
        let image = [Seg::Key("image")];
        let edited = replace(STEP, base, len, &image, &before, &after).unwrap();
        let expected = STEP
            .replace("x: 50%, y: 300", "x: 62.5%, y: 420")
            .replace("y: \"20%\"", "y: \"31%\"");
        assert_eq!(edited, expected);
    }

    #[test]
    fn another_list_is_written_anew_in_its_place() {
        let (base, len) = yaml_of(STEP);
        let before = annotations(
            "[{shape: circle, x: 50%, y: 300, r: 60}, {shape: mask, x: 10, y: 20%, w: 100, h: 40}]",
        );
        let after = annotations("[{shape: ellipse, x: 50%, y: 300, rx: 90, ry: 40}]");
        let edited = replace(STEP, base, len, &[Seg::Key("image")], &before, &after).unwrap();
        assert!(edited.contains("  annotations:\n    - {shape: ellipse, x: 50%, y: 300, rx: 90, ry: 40}\n---\n本文\n"), "{edited}");
        assert!(edited.starts_with(
            "---\ntitle: 設定\nimage:\n  src: images/a.png  # the new screen\n  alt: 設定画面\n"
        ));
    }

    #[test]
    fn a_first_list_goes_under_the_figure() {
        let text = "---\ntitle: a\nimage:\n  src: images/a.png\n  alt: b\n---\nbody\n";
        let (base, len) = yaml_of(text);
        let after = annotations("[{shape: label, x: 1, y: 2, text: \"押す: ここ\"}]");
        let edited = replace(text, base, len, &[Seg::Key("image")], &[], &after).unwrap();
        assert_eq!(
            edited,
            "---\ntitle: a\nimage:\n  src: images/a.png\n  alt: b\n  annotations:\n    - {shape: label, x: 1, y: 2, text: \"押す: ここ\"}\n---\nbody\n"
        );
    }
}
