//! Guide pages kept from the previous build: a build draws a guide's page again only when
//! something the page shows changed.
//!
//! What a guide's page shows comes from four places, and the key of a kept page covers each:
//! the site (`site.yaml`'s settings, the labels, every template, this tebiki binary), the guide
//! itself (`LoadedGuide::fingerprint`: every text of the guide's files, its pictures), the
//! files its figures are published as (named by their pictures' hashes), and the outlines of
//! the other guides it shows something of (`LoadedGuide::outline`, the same test serve uses to
//! re-render the pages that refer to a changed guide).
//!
//! A kept page lives in `.tebiki-cache/pages/<slug>.<key>.html`, with `<slug>.meta` naming
//! its key, its size and time (a page changed in place after the build is not kept) and the
//! guides it refers to. A build links the file into its output instead of rendering. Only
//! pages rendered without any problem are kept, so a build that keeps a page reports what the
//! same build without the cache reports. `check` and `serve` never keep pages: they need what
//! rendering finds (links, problems).

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash as _, Hasher as _};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::resolve::{Guide, GuideId, SiteIndex};
use crate::templates::Templates;

use super::figure::Figures;

/// The first line of a meta file (its format's version).
const MAGIC: &str = "tebiki kept page 1";

/// Where kept pages are, and what every key starts from.
#[derive(Debug)]
pub(crate) struct PageCache {
    dir: PathBuf,
    /// The site's part of every key.
    site: u64,
    /// Each guide's outline, by slug (for the guides a page refers to).
    outlines: HashMap<String, u64>,
}

/// A page found in the cache: the file to link, and the guides it refers to.
pub(super) struct Hit {
    pub file: PathBuf,
    pub refers_to: BTreeSet<GuideId>,
}

impl PageCache {
    /// The cache under `cache_root` (`.tebiki-cache`) for `index` rendered with `templates`.
    pub(crate) fn new(cache_root: &Path, index: &SiteIndex, templates: &Templates) -> Self {
        let mut h = std::hash::DefaultHasher::new();
        env!("CARGO_PKG_VERSION").hash(&mut h);
        binary_identity().hash(&mut h);
        serde_json::to_string(&index.config)
            .unwrap_or_default()
            .hash(&mut h);
        serde_json::to_string(&index.labels)
            .unwrap_or_default()
            .hash(&mut h);
        templates.fingerprint().hash(&mut h);
        Self {
            dir: cache_root.join("pages"),
            site: h.finish(),
            outlines: index
                .guides
                .iter()
                .map(|g| (g.slug().to_owned(), g.loaded.outline()))
                .collect(),
        }
    }

    /// The key of `guide`'s page, with its figures `figures` (hashing every text of the
    /// guide: taken once per page, for [`Self::find`] and [`Self::keep`]).
    pub(super) fn key(&self, guide: &Guide, figures: &Figures) -> u64 {
        let mut h = std::hash::DefaultHasher::new();
        self.site.hash(&mut h);
        guide.slug().hash(&mut h);
        self.outlines.get(guide.slug()).hash(&mut h);
        guide.loaded.fingerprint().hash(&mut h);
        let mut files: Vec<&Path> = figures.files.iter().map(super::Output::path).collect();
        files.sort_unstable();
        files.hash(&mut h);
        h.finish()
    }

    fn meta_file(&self, slug: &str) -> PathBuf {
        self.dir.join(format!("{slug}.meta"))
    }

    fn page_file(&self, slug: &str, key: u64) -> PathBuf {
        self.dir.join(format!("{slug}.{key:016x}.html"))
    }

    /// `guide`'s page as the previous build left it, when nothing it shows has changed (its
    /// [`Self::key`] is `key`).
    pub(super) fn find(&self, index: &SiteIndex, guide: &Guide, key: u64) -> Option<Hit> {
        let meta = self.read_meta(guide.slug())?;
        if meta.key != key {
            return None;
        }
        let file = self.page_file(guide.slug(), key);
        if stamp(&file)? != (meta.size, meta.modified) {
            return None;
        }
        let mut refers_to = BTreeSet::new();
        for (slug, outline) in &meta.refers {
            if self.outlines.get(slug) != Some(outline) {
                return None;
            }
            refers_to.insert(index.id_of(slug)?);
        }
        Some(Hit { file, refers_to })
    }

    /// Keeps `html`, `guide`'s page (its [`Self::key`] is `key`), which refers to the guides
    /// `refers_to`; the file to link into the output (`None` when the cache cannot be
    /// written: the page is written as usual).
    pub(super) fn keep(
        &self,
        index: &SiteIndex,
        guide: &Guide,
        key: u64,
        html: &[u8],
        refers_to: &BTreeSet<GuideId>,
    ) -> Option<PathBuf> {
        let slug = guide.slug();
        crate::fs::create_cache_dir(&self.dir).ok()?;
        let file = self.page_file(slug, key);
        crate::fs::write_cache_file(&file, html).ok()?;
        let (size, modified) = stamp(&file)?;
        let refers = refers_to
            .iter()
            .map(|&g| {
                let slug = index.guide(g).slug();
                (
                    slug.to_owned(),
                    self.outlines.get(slug).copied().unwrap_or(0),
                )
            })
            .collect();
        let meta = Meta {
            key,
            size,
            modified,
            refers,
        };
        let old = self.read_meta(slug).map(|m| m.key);
        crate::fs::write_cache_file(&self.meta_file(slug), meta.to_string().as_bytes()).ok()?;
        if let Some(old) = old.filter(|&old| old != key) {
            let _ = crate::fs::remove_file(&self.page_file(slug, old));
        }
        Some(file)
    }

    /// What `slug`'s meta file says (`None` when there is none or it is not one).
    fn read_meta(&self, slug: &str) -> Option<Meta> {
        let meta = crate::fs::read_limited(&self.meta_file(slug), 1 << 20).ok()?;
        Meta::parse(std::str::from_utf8(&meta).ok()?)
    }
}

/// What a meta file says of its kept page.
struct Meta {
    key: u64,
    size: u64,
    modified: u128,
    refers: Vec<(String, u64)>,
}

impl Meta {
    fn parse(text: &str) -> Option<Self> {
        let mut lines = text.lines();
        if lines.next()? != MAGIC {
            return None;
        }
        let key = u64::from_str_radix(lines.next()?, 16).ok()?;
        let size = lines.next()?.parse().ok()?;
        let modified = lines.next()?.parse().ok()?;
        let refers = lines
            .map(|line| {
                let (slug, outline) = line.split_once(' ')?;
                Some((slug.to_owned(), u64::from_str_radix(outline, 16).ok()?))
            })
            .collect::<Option<_>>()?;
        Some(Self {
            key,
            size,
            modified,
            refers,
        })
    }
}

impl std::fmt::Display for Meta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{MAGIC}\n{:016x}\n{}\n{}",
            self.key, self.size, self.modified
        )?;
        for (slug, outline) in &self.refers {
            writeln!(f, "{slug} {outline:016x}")?;
        }
        Ok(())
    }
}

/// A file's size and modification time (nanoseconds since the epoch).
fn stamp(file: &Path) -> Option<(u64, u128)> {
    let meta = crate::fs::metadata(file).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(SystemTime::UNIX_EPOCH)
        .ok()?;
    Some((meta.len(), modified.as_nanos()))
}

/// The running binary's size and modification time: another build of tebiki may render the
/// same sources differently.
fn binary_identity() -> Option<(u64, u128)> {
    stamp(&std::env::current_exe().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meta_file_reads_back_as_written() {
        let meta = Meta {
            key: 0xfeed,
            size: 12,
            modified: 1_700_000_000_123_456_789,
            refers: vec![("other-guide".into(), 7)],
        };
        let back = Meta::parse(&meta.to_string()).expect("parses");
        assert_eq!(back.key, 0xfeed);
        assert_eq!((back.size, back.modified), (12, 1_700_000_000_123_456_789));
        assert_eq!(back.refers, vec![("other-guide".to_owned(), 7)]);
        assert!(Meta::parse("something else\n1\n2\n3\n").is_none());
        assert!(Meta::parse(&format!("{MAGIC}\nzz\n1\n2\n")).is_none());
    }
}
