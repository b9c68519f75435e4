//! schema.org `HowTo` JSON-LD for a guide page.

use serde_json::json;

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
pub(super) fn howto(
    index: &SiteIndex,
    guide: &Guide,
    canonical: &str,
    sections: &[Procedure<'_>],
) -> String {
    let def = &guide.loaded.def;
    let how_to_sections: Vec<serde_json::Value> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let steps: Vec<serde_json::Value> = s
                .steps
                .iter()
                .map(|st| {
                    let mut step = json!({
                        "@type": "HowToStep",
                        "position": st.number,
                        "name": st.title,
                        "text": st.text,
                        "url": format!("{canonical}#{}", st.anchor),
                    });
                    if let Some(image) = st.image {
                        step["image"] = json!(format!("{canonical}{image}"));
                    }
                    step
                })
                .collect();
            json!({
                "@type": "HowToSection",
                "position": i + 1,
                "name": s.title,
                "url": format!("{canonical}#{}", s.anchor),
                "itemListElement": steps,
            })
        })
        .collect();
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "HowTo",
        "name": def.title,
        "description": def.description,
        "inLanguage": index.config.language,
        "url": canonical,
        "datePublished": def.published,
        "step": how_to_sections,
    });
    if let Some(updated) = &def.updated {
        value["dateModified"] = json!(updated);
    }
    let author = def.author.as_deref().unwrap_or(&index.config.author);
    if !author.is_empty() {
        value["author"] = json!({ "@type": "Person", "name": author });
    }
    crate::escape::json_in_script(&value)
}
