//! The content model as written by authors: `guide.yaml` and the front matter of step files.
//!
//! These are plain serde types that reject unknown fields. They hold what the author wrote and
//! nothing computed: numbers, anchors and links are worked out in [`crate::resolve`].

use std::fmt;
use std::path::PathBuf;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// `content/<slug>/guide.yaml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GuideFile {
    pub title: String,
    pub description: String,
    pub published: String,
    #[serde(default)]
    pub updated: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    /// Not finished: built only by `serve`, `check` and `build --drafts`, never published.
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub intro: String,
    #[serde(default)]
    pub windows: Vec<WindowDef>,
    pub sections: Vec<SectionDef>,
    /// The documented app and its current version: screenshots `captured:` for an older
    /// version are listed by `tebiki check`.
    #[serde(default)]
    pub app: Option<AppDef>,
    /// A picture of the guide's folder to show when the guide is shared, instead of the
    /// generated card.
    #[serde(default)]
    pub og_image: Option<String>,
    /// That picture, found inside the site by the load stage.
    #[serde(skip)]
    pub og_picture: Option<crate::figure::PictureFile>,
}

/// `app:` of guide.yaml.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AppDef {
    pub name: String,
    pub version: String,
}

impl AppDef {
    /// Whether a screenshot `captured` shows an older version of the app than this one.
    pub(crate) fn outdates(&self, captured: &crate::figure::Captured) -> bool {
        version_older(&captured.version, &self.version)
    }
}

/// Whether version `a` is older than `b`: numbers between the dots compared as numbers
/// (`12.10` is newer than `12.9`), other parts as text.
pub(crate) fn version_older(a: &str, b: &str) -> bool {
    let parts = |v: &str| -> Vec<(u64, String)> {
        v.trim()
            .trim_start_matches(['v', 'V'])
            .split(['.', '-'])
            .map(|p| (p.parse().unwrap_or(u64::MAX), p.to_owned()))
            .collect()
    };
    parts(a) < parts(b)
}

/// What kind of section this is; decides which fields it may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum SectionKind {
    Procedure,
    Failure,
    Summary,
}

impl SectionKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Procedure => "procedure",
            Self::Failure => "failure",
            Self::Summary => "summary",
        }
    }
}

/// One entry of `sections:`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SectionDef {
    pub id: String,
    pub kind: SectionKind,
    pub title: String,
    /// How references from other sections name it (`Amazonとの連携方法のSTEP10`); default:
    /// the title without a closing parenthetical such as （成功例）.
    #[serde(default)]
    pub short_title: Option<String>,
    #[serde(default)]
    pub intro: String,
    #[serde(default)]
    pub outro: String,
    /// Procedure only: the steps in order.
    #[serde(default)]
    pub steps: Vec<StepRef>,
    /// Failure only: the signs of failure (trouble entries shown in the section).
    #[serde(default)]
    pub signs: Vec<TroubleDef>,
    /// Summary only: the take-aways (Markdown).
    #[serde(default)]
    pub points: Vec<String>,
    /// The section to go on with after this one (e.g. after unlinking, link again): the end of
    /// this section links to its start, and that section links back.
    #[serde(default)]
    pub continue_to: Option<String>,
}

/// An entry of a procedure's `steps:`: an id (the file is `steps/<id>.md`) or `{id, file}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StepRef {
    pub id: String,
    pub file: Option<PathBuf>,
}

impl<'de> Deserialize<'de> for StepRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            id: String,
            file: Option<PathBuf>,
        }

        struct RefVisitor;
        impl<'de> Visitor<'de> for RefVisitor {
            type Value = StepRef;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a step id, or a mapping with `id` and `file`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StepRef, E> {
                Ok(StepRef {
                    id: v.to_owned(),
                    file: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<StepRef, A::Error> {
                let full = Full::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(StepRef {
                    id: full.id,
                    file: full.file,
                })
            }
        }
        deserializer.deserialize_any(RefVisitor)
    }
}

/// A trouble entry: a symptom, its cause, its remedy and where it arises. Written in
/// `troubles.yaml`, in a step's front matter, or as a sign of a failure section.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TroubleDef {
    pub id: String,
    /// What the reader sees, e.g. 「◯メンテナンス中」と表示される.
    pub symptom: String,
    /// Why it happens (Markdown).
    #[serde(default)]
    pub cause: String,
    /// What to do (Markdown; usually refers to steps or sections).
    #[serde(default)]
    pub remedy: String,
    /// Where it arises: step ids, `first..last` ranges, section ids, `section/step`.
    /// Defaults to the step when the entry is written in a step's front matter.
    #[serde(default)]
    pub arises_at: Vec<String>,
    /// Extra words the troubleshooting filter matches.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// A picture of what the reader sees (signs of failure are illustrated like steps).
    #[serde(default)]
    pub image: Option<ImageDef>,
}

/// A timed window over consecutive steps of one procedure.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WindowDef {
    pub id: String,
    pub label: String,
    pub from: String,
    pub to: String,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub note: String,
    /// How long the reader has (`5m`, `90s`, `1m30s`): the page offers a countdown.
    #[serde(default)]
    pub duration: Option<String>,
}

/// The YAML front matter of a step file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepFrontMatter {
    pub title: String,
    #[serde(default)]
    pub image: Option<ImageDef>,
    /// Trouble entries that arise at this step.
    #[serde(default)]
    pub troubles: Vec<TroubleDef>,
}

/// `content/<slug>/troubles.yaml`: the guide's trouble entries.
pub(crate) type TroublesFile = Vec<TroubleDef>;

/// A step's picture: a screenshot or a mock-up, with annotations (see [`crate::figure`]).
pub(crate) type ImageDef = crate::figure::FigureDef;

/// Whether `id` is a valid id: lower-case ASCII letters, digits and `-`, not starting with `-`.
pub(crate) fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::version_older;

    #[test]
    fn versions_compare_part_by_part_as_numbers() {
        assert!(version_older("12.1", "12.4"));
        assert!(version_older("12.9", "12.10"));
        assert!(version_older("12.4", "12.4.1"));
        assert!(version_older("v1.9", "2.0"));
        assert!(!version_older("12.4", "12.4"));
        assert!(!version_older("12.10", "12.9"));
        assert!(version_older("2.0-beta", "2.0-rc"));
    }

    use super::*;

    #[test]
    fn step_refs_accept_ids_and_mappings() {
        let refs: Vec<StepRef> = serde_saphyr::from_str("- a\n- id: b\n  file: x/b.md\n").unwrap();
        assert_eq!(
            refs[0],
            StepRef {
                id: "a".into(),
                file: None
            }
        );
        assert_eq!(
            refs[1],
            StepRef {
                id: "b".into(),
                file: Some("x/b.md".into())
            }
        );
    }

    #[test]
    fn step_ref_mapping_rejects_unknown_fields() {
        let err = serde_saphyr::from_str::<Vec<StepRef>>("- id: b\n  fiel: x.md\n").unwrap_err();
        assert!(err.to_string().contains("unknown field `fiel`"), "{err}");
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("press-back2"));
        assert!(!is_valid_id("Press"));
        assert!(!is_valid_id("a b"));
        assert!(!is_valid_id(""));
    }
}
