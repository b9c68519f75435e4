//! The post's addresses: the markup is rendered as for the guide's page on the site; here its
//! pictures are pointed at the uploaded media, and its links at where their targets are
//! published (within the post, another guide's post, or the site at `base_url`). A streaming
//! HTML rewriter (`lol_html`) does it, so that nothing else of the markup moves.

use std::collections::BTreeMap;

use anyhow::{Result, anyhow};
use lol_html::{RewriteStrSettings, doc_comments, element, rewrite_str};

/// Where the post's links and pictures go.
pub(crate) struct Addresses<'a> {
    /// The guide's slug: links into its own page stay inside the post.
    pub slug: &'a str,
    /// The site's `base_url` (ending in `/`).
    pub base_url: &'a str,
    /// Other guides' published posts, by slug.
    pub posts: &'a BTreeMap<String, String>,
    /// Uploaded pictures, by the `src` the markup gives them.
    pub pictures: &'a BTreeMap<String, Media>,
}

/// A picture in the blog's media library.
#[derive(Clone, Debug)]
pub(crate) struct Media {
    pub id: u64,
    pub url: String,
}

/// The attribute by which the templates tell which picture an image block shows; it is replaced
/// by the media item's `id` (or dropped when there is none), so WordPress links the block to its
/// media item and serves it with its own `srcset`.
const SOURCE_ATTRIBUTE: &str = "tebikiSrc";

/// `html` with its picture sources and links rewritten for the blog.
pub(crate) fn rewrite(html: &str, to: &Addresses<'_>) -> Result<String> {
    rewrite_str(
        html,
        RewriteStrSettings {
            document_content_handlers: vec![doc_comments!(|c| {
                if let Some(text) = image_block(&c.text(), to) {
                    c.set_text(&text)?;
                }
                Ok(())
            })],
            element_content_handlers: vec![
                element!("img[src]", |el| {
                    let Some(src) = el.get_attribute("src") else {
                        return Ok(());
                    };
                    if let Some(media) = to.pictures.get(&src) {
                        el.set_attribute("src", &media.url)?;
                        let class = el.get_attribute("class").unwrap_or_default();
                        let class = format!("{class} wp-image-{}", media.id);
                        el.set_attribute("class", class.trim_start())?;
                    } else {
                        // Not uploaded (a balloon's avatar, an author's own picture): it stays
                        // on the site, at base_url.
                        el.set_attribute("src", &link(&src, to))?;
                    }
                    Ok(())
                }),
                element!("a[href]", |el| {
                    if let Some(href) = el.get_attribute("href") {
                        el.set_attribute("href", &link(&href, to))?;
                    }
                    Ok(())
                }),
            ],
            ..RewriteStrSettings::new()
        },
    )
    .map_err(|e| anyhow!("could not rewrite the post's links: {e}"))
}

/// The text of an image block's opening comment (` wp:image {…} `) with the picture's media id
/// in place of [`SOURCE_ATTRIBUTE`]; `None` for every other comment.
fn image_block(comment: &str, to: &Addresses<'_>) -> Option<String> {
    let json = comment.trim().strip_prefix("wp:image ")?;
    let mut attributes: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(json).ok()?;
    let src = attributes.remove(SOURCE_ATTRIBUTE)?;
    if let Some(media) = src.as_str().and_then(|src| to.pictures.get(src)) {
        attributes.insert("id".to_owned(), media.id.into());
    }
    Some(format!(
        " wp:image {} ",
        block_attributes(&serde_json::Value::Object(attributes))
    ))
}

/// Block attributes as WordPress's `serialize_block_attributes` writes them: JSON in which
/// nothing can end the comment or be read as markup.
fn block_attributes(value: &serde_json::Value) -> String {
    // The inline-script escaping (< > & as \uXXXX), plus WordPress's `--`.
    crate::escape::json_in_script(value).replace("--", "\\u002d\\u002d")
}

/// Where `href`, written on the guide's page, goes from the post.
fn link(href: &str, to: &Addresses<'_>) -> String {
    let absolute = href.starts_with('#')
        || href.starts_with('/')
        || href.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
    if absolute {
        return href.to_owned();
    }
    // Relative to the guide's page, `<base_url><slug>/`: `../x` is `x` from the site's root.
    let from_root = match href.strip_prefix("../") {
        Some(rest) => rest.to_owned(),
        None => format!("{}/{href}", to.slug),
    };
    let (path, fragment) = from_root
        .split_once('#')
        .map_or((from_root.as_str(), ""), |(p, f)| (p, f));
    let guide = path.strip_suffix('/').unwrap_or(path);
    let hash = if fragment.is_empty() {
        String::new()
    } else {
        format!("#{fragment}")
    };
    if guide == to.slug || path == format!("{}/index.html", to.slug) {
        return if hash.is_empty() {
            "#".to_owned()
        } else {
            hash
        };
    }
    if let Some(post) = to.posts.get(guide) {
        return format!("{post}{hash}");
    }
    format!("{}{from_root}", to.base_url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_go_where_their_targets_are_published() {
        let posts = BTreeMap::from([(
            "other".to_owned(),
            "https://blog.test/other-post/".to_owned(),
        )]);
        let pictures = BTreeMap::from([(
            "figures/a.png".to_owned(),
            Media {
                id: 7,
                url: "https://blog.test/wp-content/uploads/a.png".to_owned(),
            },
        )]);
        let to = Addresses {
            slug: "mine",
            base_url: "https://site.test/",
            posts: &posts,
            pictures: &pictures,
        };
        let html = r##"<!-- wp:html --><a href="#step3">STEP3</a> <a href="../mine/#x">x</a> <a href="../other/#y">y</a> <a href="../third/">t</a> <a href="../troubleshooting/#z">z</a> <a href="https://e.test/">e</a><img src="figures/a.png" alt="a"><img src="../avatars/me.svg" alt=""><!-- /wp:html -->"##;
        let out = rewrite(html, &to).unwrap();
        assert_eq!(
            out,
            r##"<!-- wp:html --><a href="#step3">STEP3</a> <a href="#x">x</a> <a href="https://blog.test/other-post/#y">y</a> <a href="https://site.test/third/">t</a> <a href="https://site.test/troubleshooting/#z">z</a> <a href="https://e.test/">e</a><img src="https://blog.test/wp-content/uploads/a.png" alt="a" class="wp-image-7"><img src="https://site.test/avatars/me.svg" alt=""><!-- /wp:html -->"##
        );
    }

    #[test]
    fn an_image_block_names_its_media_item_and_its_attributes_stay_inside_the_comment() {
        let pictures = BTreeMap::from([(
            "figures/a--b.png".to_owned(),
            Media {
                id: 42,
                url: "https://blog.test/a.png".to_owned(),
            },
        )]);
        let to = Addresses {
            slug: "mine",
            base_url: "https://site.test/",
            posts: &BTreeMap::new(),
            pictures: &pictures,
        };
        let html = r#"<!-- wp:image {"className":"x<b>&amp;--","tebikiSrc":"figures/a--b.png"} --><figure class="wp-block-image x"><img src="figures/a--b.png" alt=""/></figure><!-- /wp:image --><!-- wp:image {"tebikiSrc":"figures/unknown.png"} -->"#;
        let out = rewrite(html, &to).unwrap();
        assert_eq!(
            out,
            r#"<!-- wp:image {"className":"x\u003cb\u003e\u0026amp;\u002d\u002d","id":42} --><figure class="wp-block-image x"><img src="https://blog.test/a.png" alt="" class="wp-image-42" /></figure><!-- /wp:image --><!-- wp:image {} -->"#
        );
    }
}
