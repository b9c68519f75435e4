//! UI references: every `【@id】` written in a guide's sources (guide.yaml, troubles.yaml, the
//! step files) must name an entry of the guide's vocabulary (`ui.yaml`, the site's with the
//! guide's over it). Load reads the texts and the vocabulary; this is where the references in
//! them are interpreted.
//!
//! Invariant: an unknown id is one error at the place it is written, with the closest id as
//! a hint, in the order of the sources (guide.yaml, troubles.yaml, then the steps by id) and
//! of the references in each; nothing else is reported here.

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::i18n::msg;
use crate::load::{LoadedGuide, Source};

/// Every `【@id】` in the guide's sources names an entry of its vocabulary: an unknown id is an
/// error at its place, with the closest id.
pub(super) fn check(guide: &LoadedGuide, diagnostics: &mut Diagnostics) {
    let mut sources: Vec<&Source> = vec![&guide.file];
    sources.extend(guide.troubles.as_ref().map(|(s, _)| s));
    sources.extend(guide.steps.values().map(|s| &s.source));
    for source in sources {
        for r in crate::ui::scan(&source.text) {
            if guide.ui.get(r.id).is_some() {
                continue;
            }
            let hint = match did_you_mean(r.id, guide.ui.ids()) {
                Some(close) => msg!("did-you-mean", name = close),
                None if guide.ui.is_empty() => {
                    msg!("ui-text-define-hint", file = crate::ui::UI_FILE, id = r.id)
                }
                None => msg!("ui-text-add-hint", file = crate::ui::UI_FILE, id = r.id),
            };
            diagnostics.push(
                Diagnostic::error(msg!("ui-text-unknown", id = r.id))
                    .in_file(&source.display)
                    .at_span(&source.text, r.range.start, r.range.end)
                    .with_hint(hint),
            );
        }
    }
}
