//! Site search: the guide pages indexed with Pagefind (`pagefind::api`; its `extended` build
//! segments Japanese) into `pagefind/` beside the pages.
//!
//! Each guide page is one Pagefind page; each step card and trouble entry card on it is one of
//! its sub-results (the theme's `data-pagefind-title` beside the card's `id`): what the reader
//! reaches is the step's anchor, titled with its badge and title as the page shows them. One
//! fragment file per page, not per step: a site of 10,000 steps writes about a hundred. The
//! browser side is the theme's `tebiki-search.js`, which loads `pagefind/pagefind.js` only when
//! the reader searches.
//!
//! Invariant: the index is made from the very HTML the build writes, when the scope asks for
//! it (build); serve makes it from the pages it serves, after each reload went out.

use std::path::{Path, PathBuf};

use super::output::Output;
use crate::diagnostics::Diagnostic;

/// The folder the index and its browser files go in (a site path of [`crate::names`]).
pub(crate) const FOLDER: &str = "pagefind";

/// A guide page to index: its URL relative to the site's root (`zaim-amazon/`) and its HTML.
/// The theme marks what is indexed (`data-pagefind-body`), what is not
/// (`data-pagefind-ignore`), and gives each step card and entry card its result title
/// (`data-pagefind-title` beside its `id`): Pagefind makes those the page's sub-results.
#[derive(Clone, Debug)]
pub(crate) struct Page {
    pub url: String,
    pub html: String,
}

/// Whether Pagefind's `file` is one of its ready-made interfaces, which the theme does not use
/// (it has its own box): left out of the output (about 430 KB).
fn unused(file: &std::path::Path) -> bool {
    let name = file.to_string_lossy();
    [
        "pagefind-ui.",
        "pagefind-modular-ui.",
        "pagefind-component-ui.",
        "pagefind-highlight.",
    ]
    .iter()
    .any(|prefix| name.starts_with(prefix))
}

/// The most characters of a page that are indexed: a guide page is far smaller (the bundled
/// one, 35 steps, is 150 KB); a step file of megabytes must not make the index take longer
/// than the build. What lies past it is not found by search.
const MAX_PAGE: usize = 2_000_000;

/// The index of `pages` for a site in `language`: the files of `pagefind/`, taken from `cache`
/// when the same pages were indexed before (a build whose pages did not change costs a hash
/// of them), else made and kept there.
pub(crate) fn index(
    pages: Vec<Page>,
    language: &str,
    cache: Option<&Path>,
) -> Result<Vec<Output>, Diagnostic> {
    let key = cache_key(&pages, language);
    let kept = cache.map(|dir| dir.join(format!("{key:016x}.bin")));
    if let Some(outputs) = kept
        .as_deref()
        .and_then(|file| crate::fs::read_limited(file, CACHE_LIMIT).ok())
        .and_then(|bytes| unpack(&bytes))
    {
        return Ok(outputs);
    }
    let outputs = make(pages, language)?;
    if let (Some(dir), Some(file)) = (cache, kept) {
        // A cache that cannot be written only costs the next build the same time again.
        let _ = crate::fs::create_cache_dir(dir)
            .and_then(|()| crate::fs::write_atomic(&file, pack(&outputs)));
    }
    Ok(outputs)
}

/// The largest cached index read back.
const CACHE_LIMIT: u64 = 512 * 1024 * 1024;

/// What names a cached index: Pagefind's version, the language, each page's URL and HTML.
fn cache_key(pages: &[Page], language: &str) -> u64 {
    let mut hash = crate::images::ContentHash::default();
    for part in [env!("CARGO_PKG_VERSION"), "pagefind 1.6.0", language] {
        hash.feed(part.as_bytes());
        hash.feed(&[0]);
    }
    for page in pages {
        hash.feed(page.url.as_bytes());
        hash.feed(&[0]);
        hash.feed(&(page.html.len() as u64).to_le_bytes());
        hash.feed(page.html.as_bytes());
    }
    hash.finish()
}

/// The index's files in one cache file: for each, its path's length (u32), its path, its
/// length (u64) and its bytes.
fn pack(outputs: &[Output]) -> Vec<u8> {
    let mut out = Vec::new();
    for output in outputs {
        if let Output::Binary { path, bytes } = output {
            let path = path.to_string_lossy();
            #[allow(
                clippy::cast_possible_truncation,
                reason = "Pagefind's file names are short"
            )]
            out.extend_from_slice(&(path.len() as u32).to_le_bytes());
            out.extend_from_slice(path.as_bytes());
            out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            out.extend_from_slice(bytes);
        }
    }
    out
}

/// [`pack`] read back; `None` for a file that is not one.
fn unpack(mut bytes: &[u8]) -> Option<Vec<Output>> {
    let mut outputs = Vec::new();
    let take = |n: usize, bytes: &mut &[u8]| -> Option<Vec<u8>> {
        let (head, rest) = bytes.split_at_checked(n)?;
        *bytes = rest;
        Some(head.to_vec())
    };
    while !bytes.is_empty() {
        let len = u32::from_le_bytes(take(4, &mut bytes)?.try_into().ok()?);
        let path = String::from_utf8(take(usize::try_from(len).ok()?, &mut bytes)?).ok()?;
        let size = u64::from_le_bytes(take(8, &mut bytes)?.try_into().ok()?);
        let data = take(usize::try_from(size).ok()?, &mut bytes)?;
        if !path.starts_with(FOLDER) || path.contains("..") {
            return None;
        }
        outputs.push(Output::Binary {
            path: PathBuf::from(path),
            bytes: data,
        });
    }
    (!outputs.is_empty()).then_some(outputs)
}

/// The index of `pages`, made by Pagefind.
fn make(pages: Vec<Page>, language: &str) -> Result<Vec<Output>, Diagnostic> {
    let failed = |e: &dyn std::fmt::Display| {
        Diagnostic::error(crate::i18n::msg!("search-index", error = e.to_string()))
            .with_hint(crate::i18n::msg!("search-index-hint"))
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failed(&e))?;
    let files = runtime.block_on(async {
        let config = pagefind::options::PagefindServiceConfig::builder()
            .force_language(language.to_owned())
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(config))?;
        for mut page in pages {
            if let Some((cut, _)) = page.html.char_indices().nth(MAX_PAGE) {
                page.html.truncate(cut);
            }
            index.add_html_file(None, Some(page.url), page.html).await?;
        }
        index.get_files().await
    });
    let files = files.map_err(|e| failed(&e))?;
    Ok(files
        .into_iter()
        .filter(|file| !unused(&file.filename))
        .map(|file| Output::Binary {
            path: PathBuf::from(FOLDER).join(file.filename),
            bytes: file.contents,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_index_reads_back_and_a_foreign_file_does_not() {
        let outputs = vec![
            Output::Binary {
                path: PathBuf::from("pagefind/pagefind.js"),
                bytes: b"export{}".to_vec(),
            },
            Output::Binary {
                path: PathBuf::from("pagefind/fragment/ja_1.pf_fragment"),
                bytes: vec![0, 1, 2, 255],
            },
        ];
        let back = unpack(&pack(&outputs)).unwrap();
        let pairs = |o: &[Output]| -> Vec<(PathBuf, Vec<u8>)> {
            o.iter()
                .map(|x| match x {
                    Output::Binary { path, bytes } => (path.clone(), bytes.clone()),
                    _ => unreachable!(),
                })
                .collect()
        };
        assert_eq!(pairs(&back), pairs(&outputs));
        assert!(unpack(b"garbage").is_none());
        let outside = pack(&[Output::Binary {
            path: PathBuf::from("pagefind/../index.html"),
            bytes: vec![],
        }]);
        assert!(
            unpack(&outside).is_none(),
            "a path out of pagefind/ is refused"
        );
        let page = |html: &str| Page {
            url: "g/".into(),
            html: html.into(),
        };
        assert_ne!(cache_key(&[page("a")], "ja"), cache_key(&[page("b")], "ja"));
        assert_ne!(cache_key(&[page("a")], "ja"), cache_key(&[page("a")], "en"));
    }
}
