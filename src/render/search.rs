//! Site search: one record per step card, trouble entry and guide, indexed with Pagefind
//! (`pagefind::api`, its `extended` build segments Japanese) into `pagefind/` beside the pages.
//!
//! A record is what the reader reaches: its URL is the step's or the entry's anchor on its
//! guide page, its title the step badge and title as the page shows them (UI references
//! resolved), its text the step's text as plain text. The browser side is the theme's
//! `tebiki-search.js`, which loads `pagefind/pagefind.js` only when the reader searches.
//!
//! Invariant: the index is made from the same texts the pages show (the render stage's step
//! and entry contexts), and only when the scope asks for it (build, serve's full rebuilds).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::output::Output;
use crate::diagnostics::Diagnostic;

/// The folder the index and its browser files go in (a site path of [`crate::names`]).
pub(crate) const FOLDER: &str = "pagefind";

/// One search result as the reader will see it.
#[derive(Clone, Debug)]
pub(crate) struct Record {
    /// Relative to the site's root: `zaim-amazon/#press-back`.
    pub url: String,
    /// `STEP15`, or empty for an entry or a guide.
    pub badge: String,
    pub title: String,
    /// The guide's title, shown under the result.
    pub guide: String,
    /// Everything the record is found by, as plain text.
    pub text: String,
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

/// The most characters of a record's text that are indexed: a step's text is far shorter, and
/// a huge one (a step file of megabytes) must not make the index cost more than its pages.
const MAX_TEXT: usize = 4_000;

/// `text` cut to [`MAX_TEXT`] characters.
fn bounded(mut text: String) -> String {
    if let Some((cut, _)) = text.char_indices().nth(MAX_TEXT) {
        text.truncate(cut);
    }
    text
}

/// The index of `records` for a site in `language`: the files of `pagefind/`.
pub(crate) fn index(records: Vec<Record>, language: &str) -> Result<Vec<Output>, Diagnostic> {
    let failed = |e: &dyn std::fmt::Display| {
        Diagnostic::error(format!("could not make the search index: {e}"))
            .with_hint("set `search: false` in site.yaml to build without search, and report this")
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
        for record in records {
            let mut meta = BTreeMap::from([
                ("title".to_owned(), record.title),
                ("guide".to_owned(), record.guide),
            ]);
            if !record.badge.is_empty() {
                meta.insert("badge".to_owned(), record.badge);
            }
            index
                .add_custom_record(
                    record.url,
                    bounded(record.text),
                    language.to_owned(),
                    Some(meta),
                    None,
                    None,
                )
                .await?;
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
