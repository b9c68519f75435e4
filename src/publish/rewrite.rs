//! The post's addresses: the markup is rendered as for the guide's page on the site; here its
//! pictures are pointed at the uploaded media, and its links at where their targets are
//! published (within the post, another guide's post, or the site at `base_url`). A streaming
//! HTML rewriter (`lol_html`) does it, so that nothing else of the markup moves.

use std::collections::BTreeMap;

use anyhow::{Result, anyhow};
use lol_html::{RewriteStrSettings, element, rewrite_str};

/// Where the post's links and pictures go.
pub(crate) struct Addresses<'a> {
    /// The guide's slug: links into its own page stay inside the post.
    pub slug: &'a str,
    /// The site's `base_url` (ending in `/`).
    pub base_url: &'a str,
    /// Other guides' published posts, by slug.
    pub posts: &'a BTreeMap<String, String>,
    /// Uploaded pictures, by the `src` the markup gives them.
    pub pictures: &'a BTreeMap<String, String>,
}

/// `html` with its picture sources and links rewritten for the blog.
pub(crate) fn rewrite(html: &str, to: &Addresses<'_>) -> Result<String> {
    rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![
                element!("img[src]", |el| {
                    if let Some(src) = el.get_attribute("src")
                        && let Some(url) = to.pictures.get(&src)
                    {
                        el.set_attribute("src", url)?;
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
            "https://blog.test/wp-content/uploads/a.png".to_owned(),
        )]);
        let to = Addresses {
            slug: "mine",
            base_url: "https://site.test/",
            posts: &posts,
            pictures: &pictures,
        };
        let html = r##"<!-- wp:html --><a href="#step3">STEP3</a> <a href="../mine/#x">x</a> <a href="../other/#y">y</a> <a href="../third/">t</a> <a href="../troubleshooting/#z">z</a> <a href="https://e.test/">e</a><img src="figures/a.png" alt="a"><!-- /wp:html -->"##;
        let out = rewrite(html, &to).unwrap();
        assert_eq!(
            out,
            r##"<!-- wp:html --><a href="#step3">STEP3</a> <a href="#x">x</a> <a href="https://blog.test/other-post/#y">y</a> <a href="https://site.test/third/">t</a> <a href="https://site.test/troubleshooting/#z">z</a> <a href="https://e.test/">e</a><img src="https://blog.test/wp-content/uploads/a.png" alt="a"><!-- /wp:html -->"##
        );
    }
}
