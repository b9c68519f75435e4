//! schema.org `HowTo` JSON-LD for a guide page.

use serde::Serialize;

use crate::resolve::{Guide, SiteIndex};

/// A procedure as the `HowTo` data shows it.
pub(super) struct Procedure<'a> {
    pub title: &'a str,
    pub anchor: &'a str,
    pub steps: Vec<Step<'a>>,
}

/// A step as the `HowTo` data shows it.
pub(super) struct Step<'a> {
    pub number: usize,
    pub title: &'a str,
    /// Plain text of the body (the title when the body is empty).
    pub text: &'a str,
    pub anchor: &'a str,
    /// The picture's path relative to the page.
    pub image: Option<&'a str>,
}

/// schema.org `HowTo`: procedures as `HowToSection`s of `HowToStep`s, each with its anchor URL.
/// Written straight from these types (keys in the order a JSON object map sorts them), not
/// through a `serde_json::Value`, which would copy every step's text twice.
pub(super) fn howto(
    index: &SiteIndex,
    guide: &Guide,
    canonical: &str,
    sections: &[Procedure<'_>],
) -> String {
    let def = &guide.loaded.def;
    let step = sections
        .iter()
        .enumerate()
        .map(|(i, s)| HowToSection {
            kind: "HowToSection",
            item_list_element: s
                .steps
                .iter()
                .map(|st| HowToStep {
                    kind: "HowToStep",
                    image: st.image.map(|image| format!("{canonical}{image}")),
                    name: st.title,
                    position: st.number,
                    text: st.text,
                    url: format!("{canonical}#{}", st.anchor),
                })
                .collect(),
            name: s.title,
            position: i + 1,
            url: format!("{canonical}#{}", s.anchor),
        })
        .collect();
    let author = def.author.as_deref().unwrap_or(&index.config.author);
    let value = HowTo {
        context: "https://schema.org",
        kind: "HowTo",
        author: (!author.is_empty()).then_some(Person {
            kind: "Person",
            name: author,
        }),
        date_modified: def.updated.as_deref(),
        date_published: &def.published,
        description: &def.description,
        in_language: &index.config.language,
        name: &def.title,
        step,
        url: canonical,
    };
    crate::escape::json_in_script(&value)
}

#[derive(Serialize)]
struct HowTo<'a> {
    #[serde(rename = "@context")]
    context: &'a str,
    #[serde(rename = "@type")]
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Person<'a>>,
    #[serde(rename = "dateModified", skip_serializing_if = "Option::is_none")]
    date_modified: Option<&'a str>,
    #[serde(rename = "datePublished")]
    date_published: &'a str,
    description: &'a str,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    name: &'a str,
    step: Vec<HowToSection<'a>>,
    url: &'a str,
}

#[derive(Serialize)]
struct Person<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct HowToSection<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    #[serde(rename = "itemListElement")]
    item_list_element: Vec<HowToStep<'a>>,
    name: &'a str,
    position: usize,
    url: String,
}

#[derive(Serialize)]
struct HowToStep<'a> {
    #[serde(rename = "@type")]
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    name: &'a str,
    position: usize,
    text: &'a str,
    url: String,
}
