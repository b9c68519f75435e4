//! What the checks of a figure's YAML find (a leaf module: the figure kinds all report this).

use crate::yaml::Seg;

/// A problem in a figure's YAML: the path below `image:` and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FigureProblem {
    /// Where below `image:` (a path into the YAML).
    pub path: Vec<Seg<'static>>,
    pub message: crate::i18n::Message,
    pub hint: crate::i18n::Message,
    /// A warning in `build`, an error in `check` (a missing alt text).
    pub strict: bool,
}
