//! schema.org `HowTo` JSON-LD for a guide page.

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

/// schema.org `HowTo`: procedures as `HowToSection`s of `HowToStep`s, each with its anchor URL,
/// as JSON for an inline `<script>` ([`crate::escape::json_in_script`]'s escaping). Written
/// straight into one string, keys in the order a JSON object map sorts them: the step texts are
/// a third of a guide page, and `serde_json` escaped them byte by byte (4 % of a cold build).
pub(super) fn howto(
    index: &SiteIndex,
    guide: &Guide,
    canonical: &str,
    sections: &[Procedure<'_>],
) -> String {
    let def = &guide.loaded.def;
    let room: usize = sections
        .iter()
        .flat_map(|s| &s.steps)
        .map(|st| st.title.len() + st.text.len() + 2 * canonical.len() + 128)
        .sum();
    let mut json = Json(String::with_capacity(room + 1024));
    json.raw(r#"{"@context":"https://schema.org","@type":"HowTo""#);
    let author = def.author.as_deref().unwrap_or(&index.config.author);
    if !author.is_empty() {
        json.raw(r#","author":{"@type":"Person""#);
        json.field("name", author);
        json.raw("}");
    }
    if let Some(updated) = def.updated.as_deref() {
        json.field("dateModified", updated);
    }
    json.field("datePublished", &def.published);
    json.field("description", &def.description);
    json.field("inLanguage", &index.config.language);
    json.field("name", &def.title);
    json.raw(r#","step":["#);
    for (i, section) in sections.iter().enumerate() {
        if i > 0 {
            json.raw(",");
        }
        json.raw(r#"{"@type":"HowToSection","itemListElement":["#);
        for (j, step) in section.steps.iter().enumerate() {
            if j > 0 {
                json.raw(",");
            }
            json.raw(r#"{"@type":"HowToStep""#);
            if let Some(image) = step.image {
                json.field("image", &format!("{canonical}{image}"));
            }
            json.field("name", step.title);
            json.number("position", step.number);
            json.field("text", step.text);
            json.field("url", &format!("{canonical}#{}", step.anchor));
            json.raw("}");
        }
        json.raw("]");
        json.field("name", section.title);
        json.number("position", i + 1);
        json.field("url", &format!("{canonical}#{}", section.anchor));
        json.raw("}");
    }
    json.raw("]");
    json.field("url", canonical);
    json.raw("}");
    json.0
}

/// A JSON text being written; every member but an object's first is preceded by a comma, as
/// the writer of an object's first member puts it down with the object's opening.
struct Json(String);

impl Json {
    fn raw(&mut self, text: &str) {
        self.0.push_str(text);
    }

    /// `,"key":"value"` (keys are tebiki's own and need no escaping).
    fn field(&mut self, key: &str, value: &str) {
        self.key(key);
        crate::escape::json_script_string(&mut self.0, value);
    }

    fn number(&mut self, key: &str, value: usize) {
        self.key(key);
        self.0.push_str(&value.to_string());
    }

    fn key(&mut self, key: &str) {
        self.0.push_str(",\"");
        self.0.push_str(key);
        self.0.push_str("\":");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::test_index;

    #[test]
    fn as_serde_json_writes_it_for_a_script() {
        let guide = "title: \"A </script> & \\u2028 B\"\ndescription: \"「説明」\\n二行目\"\n\
            published: 2026-01-01\nupdated: 2026-02-01\nauthor: 著者\nsections:\n  \
            - id: main\n    kind: procedure\n    title: 手順\n    steps: [a]\n";
        let index = test_index(guide, &[("a", "---\ntitle: x\n---\n")]);
        let steps = vec![
            Step {
                number: 1,
                title: "「開く」<b>",
                text: "※ \"引用\" \\ 改行\n終わり\u{2029}",
                anchor: "a",
                image: Some("images/a.webp"),
            },
            Step {
                number: 2,
                title: "二",
                text: "",
                anchor: "b",
                image: None,
            },
        ];
        let sections = [Procedure {
            title: "手順",
            anchor: "main",
            steps,
        }];
        let canonical = "https://t.test/demo/";
        let ours = howto(&index, &index.guides[0], canonical, &sections);
        // A serde_json map sorts its keys, as the writer orders them.
        let expected = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "HowTo",
            "author": {"@type": "Person", "name": "著者"},
            "dateModified": "2026-02-01",
            "datePublished": "2026-01-01",
            "description": "「説明」\n二行目",
            "inLanguage": "ja",
            "name": "A </script> & \u{2028} B",
            "step": [{
                "@type": "HowToSection",
                "itemListElement": [
                    {
                        "@type": "HowToStep",
                        "image": "https://t.test/demo/images/a.webp",
                        "name": "「開く」<b>",
                        "position": 1,
                        "text": "※ \"引用\" \\ 改行\n終わり\u{2029}",
                        "url": "https://t.test/demo/#a",
                    },
                    {
                        "@type": "HowToStep",
                        "name": "二",
                        "position": 2,
                        "text": "",
                        "url": "https://t.test/demo/#b",
                    },
                ],
                "name": "手順",
                "position": 1,
                "url": "https://t.test/demo/#main",
            }],
            "url": canonical,
        });
        assert_eq!(ours, crate::escape::json_in_script(&expected));
        assert!(!ours.contains("</script>"));
    }
}
