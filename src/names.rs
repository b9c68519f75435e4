//! The names tebiki's own outputs take, in one list: a guide, section, step or trouble id that
//! would collide with one is an error at its place, in `build`, `check` and `new` alike.
//!
//! Invariant: every site-level output path (`render`), every element id of the default theme and
//! of serve's overlay, and serve's own URL prefix is listed here; `tests/hardening.rs` builds a
//! site and checks that no output or theme id is missing from these lists.

use crate::i18n::{Message, msg};

/// The first path segment of the site-level outputs and assets: no guide folder may be named so
/// (its page would be replaced by tebiki's, or the other way round).
pub(crate) const SITE_PATHS: &[&str] = &[
    "index.html",
    "404.html",
    "sitemap.xml",
    "robots.txt",
    "feed.xml",
    "card.png",
    "troubleshooting",
    "assets",
    "pagefind",
    "__tebiki",
];

/// Element ids of the default theme and of serve's overlay: no step, section or trouble id may
/// take one (its anchor would lead to the theme's element). Every id starting with
/// [`THEME_ID_PREFIX`] is the theme's too.
pub(crate) const THEME_IDS: &[&str] = &[
    "tebiki-top",
    "tebiki-main",
    "tebiki-error-overlay",
    "troubleshooting",
    "trouble-filter-input",
];

/// Ids starting with this are kept for the theme.
pub(crate) const THEME_ID_PREFIX: &str = "tebiki-";

/// Why a name cannot be used, and what to do instead.
pub(crate) type Refused = (Message, Message);

/// Why the guide folder name `slug` cannot be used, if it cannot.
pub(crate) fn check_guide_slug(slug: &str) -> Result<(), Refused> {
    if SITE_PATHS.contains(&slug) {
        return Err((
            msg!("slug-taken", slug = slug),
            msg!("slug-taken-hint", slug = slug),
        ));
    }
    Ok(())
}

/// Why `id` cannot be a step, section or trouble id, if it cannot.
pub(crate) fn check_id(id: &str) -> Result<(), Refused> {
    if THEME_IDS.contains(&id) || id.starts_with(THEME_ID_PREFIX) {
        return Err((
            msg!("id-reserved", id = id),
            msg!("id-reserved-hint", prefix = THEME_ID_PREFIX),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names_are_refused() {
        assert!(check_guide_slug("troubleshooting").is_err());
        assert!(check_guide_slug("assets").is_err());
        assert!(check_guide_slug("zaim-amazon").is_ok());
        assert!(check_id("tebiki-main").is_err());
        assert!(check_id("tebiki-anything").is_err());
        assert!(check_id("trouble-filter-input").is_err());
        assert!(check_id("open-menu").is_ok());
    }
}
