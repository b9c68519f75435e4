//! The fonts share cards are drawn with. The system's fonts are only listed when loaded (each
//! face names its file), and every use of a face opens and maps its file again: resvg uses a
//! face a few times for every glyph it draws, so a card spent more time mapping and unmapping
//! the 20 MB CJK font than drawing. [`held_in_memory`] reads the files of the faces a card
//! actually uses once, for every card of the build.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use resvg::usvg::{self, fontdb};

/// The largest font file read into memory (Noto Sans CJK's collections are about 20 MB each);
/// a larger one stays on disk and is mapped at each use, as before.
const MAX_FONT_FILE: u64 = 64 * 1024 * 1024;

/// `fonts` with the files of the faces that `svg` is drawn with read into memory, every face
/// in the same order (font fallback goes through them in order); `fonts` itself when no face
/// is on disk or the SVG does not parse (its card reports that).
pub(crate) fn held_in_memory(fonts: &Arc<fontdb::Database>, svg: &str) -> Arc<fontdb::Database> {
    let options = usvg::Options {
        fontdb: Arc::clone(fonts),
        ..usvg::Options::default()
    };
    let Ok(tree) = usvg::Tree::from_str(svg, &options) else {
        return Arc::clone(fonts);
    };
    let mut used = BTreeSet::new();
    faces_in(tree.root(), &mut used);
    let files = read_files(fonts, &used);
    if files.is_empty() {
        return Arc::clone(fonts);
    }
    Arc::new(with_sources(fonts, &files))
}

/// The faces the glyphs of `group` and its descendants are drawn with.
fn faces_in(group: &usvg::Group, used: &mut BTreeSet<fontdb::ID>) {
    for node in group.children() {
        match node {
            usvg::Node::Group(group) => faces_in(group, used),
            usvg::Node::Text(text) => {
                let glyphs = text.layouted().iter().flat_map(|s| &s.positioned_glyphs);
                used.extend(glyphs.map(|g| g.font));
            }
            usvg::Node::Path(_) | usvg::Node::Image(_) => {}
        }
    }
}

type Shared = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// The bytes of the font files behind the faces `used` (those that can be read).
fn read_files(fonts: &fontdb::Database, used: &BTreeSet<fontdb::ID>) -> BTreeMap<PathBuf, Shared> {
    let paths: BTreeSet<PathBuf> = used
        .iter()
        .filter_map(|&id| match fonts.face_source(id) {
            Some((fontdb::Source::File(path), _)) => Some(path),
            _ => None,
        })
        .collect();
    paths
        .into_iter()
        .filter_map(|path| {
            let bytes = crate::fs::read_limited(&path, MAX_FONT_FILE).ok()?;
            Some((path, Arc::new(bytes) as Shared))
        })
        .collect()
}

/// A copy of `fonts` whose faces from the files `files` take their bytes from there.
fn with_sources(fonts: &fontdb::Database, files: &BTreeMap<PathBuf, Shared>) -> fontdb::Database {
    let mut copy = fontdb::Database::new();
    copy.set_serif_family(fonts.family_name(&fontdb::Family::Serif));
    copy.set_sans_serif_family(fonts.family_name(&fontdb::Family::SansSerif));
    copy.set_cursive_family(fonts.family_name(&fontdb::Family::Cursive));
    copy.set_fantasy_family(fonts.family_name(&fontdb::Family::Fantasy));
    copy.set_monospace_family(fonts.family_name(&fontdb::Family::Monospace));
    for face in fonts.faces() {
        let mut face = face.clone();
        if let fontdb::Source::File(path) = &face.source
            && let Some(bytes) = files.get(path)
        {
            face.source = fontdb::Source::Binary(Arc::clone(bytes));
        }
        copy.push_face_info(face);
    }
    copy
}
