//! The files `site.yaml` names (the share cards' font `og_font:`, the characters' avatars),
//! resolved and checked by `paths` like every author path, when the site is opened.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::config::{CONFIG_FILE, SiteConfig};
use crate::diagnostics::{BuildFailed, Diagnostic, Diagnostics};

fn one(d: Diagnostic) -> Diagnostics {
    let mut all = Diagnostics::default();
    all.push(d);
    all
}

/// The font file `og_font:` names, checked to be inside the site.
pub(crate) fn og_font(root: &Path, config: &SiteConfig) -> Result<Option<PathBuf>> {
    let Some(font) = &config.og_font else {
        return Ok(None);
    };
    let what = crate::i18n::msg!("the-font", path = font.as_path());
    let refuse = |message: crate::i18n::Message, hint: crate::i18n::Message| {
        let d = Diagnostic::error(message)
            .in_file(crate::config::CONFIG_FILE)
            .with_hint(hint);
        BuildFailed(one(d))
    };
    let mut check = crate::paths::PathCheck::new(root);
    match check.resolve(root, &font.to_string_lossy()) {
        Ok(crate::paths::Found::File(path)) => Ok(Some(path)),
        Ok(_) => Err(refuse(
            crate::i18n::msg!("og-font-missing", what = what.clone()),
            crate::i18n::msg!("og-font-missing-hint"),
        )
        .into()),
        Err(problem) => Err(refuse(
            problem.message(what.clone()),
            problem.hint(crate::i18n::msg!("noun-font")),
        )
        .into()),
    }
}

/// Every character's avatar is a file inside the site (its path was checked to be in static/).
pub(crate) fn check_avatars(root: &Path, config: &SiteConfig, source: &str) -> Result<()> {
    let mut diagnostics = Diagnostics::default();
    let mut check = crate::paths::PathCheck::new(root);
    for (id, character) in &config.characters {
        let what = crate::i18n::msg!("the-avatar", path = &character.avatar);
        let problem = match check.resolve(root, &character.avatar) {
            Ok(crate::paths::Found::File(_)) => continue,
            Ok(_) => (
                crate::i18n::msg!("avatar-missing", what = what.clone(), id = id),
                crate::i18n::msg!("avatar-missing-hint"),
            ),
            Err(problem) => (
                problem.message(what.clone()),
                problem.hint(crate::i18n::msg!("noun-avatar")),
            ),
        };
        let d = Diagnostic::error(problem.0)
            .in_file(CONFIG_FILE)
            .with_hint(problem.1);
        diagnostics.push(crate::yaml::point(
            d,
            source,
            0,
            source,
            &[
                crate::yaml::Seg::Key("characters"),
                crate::yaml::Seg::Key(id),
                crate::yaml::Seg::Key("avatar"),
            ],
        ));
    }
    if diagnostics.has_errors() {
        return Err(BuildFailed(diagnostics).into());
    }
    Ok(())
}
