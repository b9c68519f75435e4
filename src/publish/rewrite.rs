//! The post's addresses: the markup is rendered as for the guide's page on the site; here its
//! pictures are pointed at the uploaded media, and its links at where their targets are on the
//! blog: within the post, another guide's post (the troubleshooting index's entries are in
//! their guide's post, under `#trouble-<id>`), or — only when the site says its static site is
//! really hosted at `base_url` (`publish.wordpress.site_hosted`) — the site. What lands nowhere
//! is reported, never written silently. A streaming HTML rewriter (`lol_html`) does it, so that
//! nothing else of the markup moves.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use lol_html::{RewriteStrSettings, doc_comments, doc_text, element, rewrite_str};

/// Where the post's links and pictures go.
pub(crate) struct Addresses<'a> {
    /// The guide's slug: links into its own page stay inside the post.
    pub slug: &'a str,
    /// The site's `base_url` (ending in `/`).
    pub base_url: &'a str,
    /// Whether the static site is really published at `base_url`.
    pub hosted: bool,
    /// Other guides' published posts, by slug.
    pub posts: &'a BTreeMap<String, String>,
    /// Every guide of the site, by slug.
    pub guides: &'a BTreeSet<String>,
    /// The troubleshooting index's anchors (`<slug>-<id>`): the guide and the anchor of the
    /// entry in that guide's post.
    pub troubles: &'a BTreeMap<String, (String, String)>,
    /// The ids of this post's own elements.
    pub own_ids: &'a BTreeSet<String>,
    /// Uploaded pictures, by the `src` the markup gives them.
    pub pictures: &'a BTreeMap<String, Media>,
}

/// A picture in the blog's media library.
#[derive(Clone, Debug)]
pub(crate) struct Media {
    pub id: u64,
    pub url: String,
}

/// The markup for the blog, and what in it does not land there.
#[derive(Debug, Default)]
pub(crate) struct Rewritten {
    pub html: String,
    /// Links and pictures with no place on the blog (written as on the site, at `base_url`).
    pub missing: Vec<Missing>,
    /// Every link that leaves the blog: the author's links to other sites, and links to the
    /// static site when it is hosted.
    pub leaving: Vec<String>,
}

/// A link (or picture) that lands nowhere on the blog.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Missing {
    /// As written on the guide's page.
    pub href: String,
    /// The guide whose post it needs (none: a page or file of the static site).
    pub guide: Option<String>,
    /// Whether it is a picture (`<img src>`), not a link.
    pub picture: bool,
}

/// Where one link goes.
enum Landing {
    /// On the blog: within the post or another post.
    Blog(String),
    /// Off the blog (another site, or the hosted static site).
    Leaves(String),
    /// Nowhere yet: the address it would have on the static site, and the guide it needs.
    Missing(String, Option<String>),
}

/// The attribute by which the templates tell which picture an image block shows; it is replaced
/// by the media item's `id` (or dropped when there is none), so WordPress links the block to its
/// media item and serves it with its own `srcset`.
const SOURCE_ATTRIBUTE: &str = "tebikiSrc";

/// The ids of the elements of `html`.
pub(crate) fn ids_of(html: &str) -> BTreeSet<String> {
    let ids = RefCell::new(BTreeSet::new());
    let _ = rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![element!("[id]", |el| {
                if let Some(id) = el.get_attribute("id") {
                    ids.borrow_mut().insert(id);
                }
                Ok(())
            })],
            ..RewriteStrSettings::new()
        },
    );
    ids.into_inner()
}

/// The visible text of markup (scripts and styles left out), a line for each element.
pub(crate) fn text_lines(html: &str) -> String {
    let without = rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![element!("script, style", |el| {
                el.remove();
                Ok(())
            })],
            ..RewriteStrSettings::new()
        },
    )
    .unwrap_or_default();
    let text = RefCell::new(String::new());
    let _ = rewrite_str(
        &without,
        RewriteStrSettings {
            element_content_handlers: vec![element!("*", |_| {
                text.borrow_mut().push('\n');
                Ok(())
            })],
            document_content_handlers: vec![doc_text!(|t| {
                text.borrow_mut().push_str(t.as_str());
                Ok(())
            })],
            ..RewriteStrSettings::new()
        },
    );
    let text = text
        .into_inner()
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    let mut lines = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        lines.push_str(line);
        lines.push('\n');
    }
    lines
}

/// The picture sources of `html` that name files of the site (relative), in order, once each.
pub(crate) fn site_pictures(html: &str) -> Vec<String> {
    let srcs = RefCell::new(Vec::new());
    let _ = rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![element!("img[src]", |el| {
                if let Some(src) = el.get_attribute("src")
                    && !is_absolute(&src)
                    && !srcs.borrow().contains(&src)
                {
                    srcs.borrow_mut().push(src);
                }
                Ok(())
            })],
            ..RewriteStrSettings::new()
        },
    );
    srcs.into_inner()
}

/// The path from the site's root of a file `src` names on guide `slug`'s page.
pub(crate) fn site_path(src: &str, slug: &str) -> String {
    from_root(src, slug)
}

/// `html` with its picture sources and links rewritten for the blog.
pub(crate) fn rewrite(html: &str, to: &Addresses<'_>) -> Result<Rewritten> {
    let missing = RefCell::new(Vec::new());
    let leaving = RefCell::new(Vec::new());
    let html = rewrite_str(
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
                    } else if !is_absolute(&src) {
                        // A picture the blog does not hold: nothing to show it from.
                        missing.borrow_mut().push(Missing {
                            href: src.clone(),
                            guide: None,
                            picture: true,
                        });
                        el.set_attribute("src", &site_address(&src, to))?;
                    }
                    Ok(())
                }),
                element!("a[href]", |el| {
                    let Some(href) = el.get_attribute("href") else {
                        return Ok(());
                    };
                    let to_write = match link(&href, to) {
                        Landing::Blog(address) => address,
                        Landing::Leaves(address) => {
                            leaving.borrow_mut().push(address.clone());
                            address
                        }
                        Landing::Missing(address, guide) => {
                            missing.borrow_mut().push(Missing {
                                href,
                                guide,
                                picture: false,
                            });
                            address
                        }
                    };
                    el.set_attribute("href", &to_write)?;
                    Ok(())
                }),
            ],
            ..RewriteStrSettings::new()
        },
    )
    .map_err(|e| anyhow::Error::new(crate::i18n::msg!("publish-rewrite", error = e.to_string())))?;
    Ok(Rewritten {
        html,
        missing: missing.into_inner(),
        leaving: leaving.into_inner(),
    })
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

/// Whether `href` names its own place: a fragment, a path from the host's root, or a URL.
fn is_absolute(href: &str) -> bool {
    href.starts_with('#')
        || href.starts_with('/')
        || href.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}

/// `href`, relative to the guide's page (`<base_url><slug>/`), from the site's root: `../x`
/// is `x`.
fn from_root(href: &str, slug: &str) -> String {
    match href.strip_prefix("../") {
        Some(rest) => rest.to_owned(),
        None => format!("{slug}/{href}"),
    }
}

/// Where `href` (relative to the guide's page) is on the static site.
fn site_address(href: &str, to: &Addresses<'_>) -> String {
    format!("{}{}", to.base_url, from_root(href, to.slug))
}

/// Where `href`, written on the guide's page, goes from the post.
fn link(href: &str, to: &Addresses<'_>) -> Landing {
    if href.starts_with('#') {
        return Landing::Blog(href.to_owned());
    }
    if is_absolute(href) {
        return Landing::Leaves(href.to_owned());
    }
    let from_root = from_root(href, to.slug);
    let (path, fragment) = from_root
        .split_once('#')
        .map_or((from_root.as_str(), ""), |(p, f)| (p, f));
    let page = path.strip_suffix("/index.html").unwrap_or(path);
    let page = page.strip_suffix('/').unwrap_or(page);
    let hash = |f: &str| {
        if f.is_empty() {
            String::new()
        } else {
            format!("#{f}")
        }
    };
    let in_post = |guide: &str, anchor: &str| -> Option<Landing> {
        if guide == to.slug {
            let here = hash(anchor);
            return Some(Landing::Blog(if here.is_empty() {
                "#".into()
            } else {
                here
            }));
        }
        if let Some(post) = to.posts.get(guide) {
            return Some(Landing::Blog(format!("{post}{}", hash(anchor))));
        }
        to.guides
            .contains(guide)
            .then(|| Landing::Missing(site_address(href, to), Some(guide.to_owned())))
    };
    if let Some(landing) = in_post(page, fragment) {
        return landing;
    }
    // The troubleshooting index: each entry is in its guide's post.
    if Some(page) == crate::render::TROUBLESHOOTING_PAGE.strip_suffix("/index.html") {
        if let Some((guide, anchor)) = to.troubles.get(fragment)
            && let Some(landing) = in_post(guide, anchor)
        {
            return landing;
        }
        // The post's own troubleshooting section.
        let own = crate::render::TROUBLESHOOTING_ANCHOR;
        if fragment.is_empty() && to.own_ids.contains(own) {
            return Landing::Blog(format!("#{own}"));
        }
    }
    if to.hosted {
        Landing::Leaves(site_address(href, to))
    } else {
        Landing::Missing(site_address(href, to), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_go_where_their_targets_are_published_and_nowhere_else() {
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
        let guides = BTreeSet::from(["mine".to_owned(), "other".to_owned(), "third".to_owned()]);
        let troubles = BTreeMap::from([
            (
                "mine-z".to_owned(),
                ("mine".to_owned(), "trouble-z".to_owned()),
            ),
            (
                "other-w".to_owned(),
                ("other".to_owned(), "trouble-w".to_owned()),
            ),
        ]);
        let own_ids = BTreeSet::from(["x".to_owned(), "troubleshooting".to_owned()]);
        let mut to = Addresses {
            slug: "mine",
            base_url: "https://site.test/",
            hosted: false,
            posts: &posts,
            guides: &guides,
            troubles: &troubles,
            own_ids: &own_ids,
            pictures: &pictures,
        };
        let html = r##"<a href="#step3">STEP3</a> <a href="../mine/#x">x</a> <a href="../other/#y">y</a> <a href="../third/">t</a> <a href="../troubleshooting/#mine-z">z</a> <a href="../troubleshooting/#other-w">w</a> <a href="../troubleshooting/">all</a> <a href="../">home</a> <a href="https://e.test/">e</a><img src="figures/a.png" alt="a"><img src="../avatars/me.svg" alt="">"##;
        let out = rewrite(html, &to).unwrap();
        assert_eq!(
            out.html,
            r##"<a href="#step3">STEP3</a> <a href="#x">x</a> <a href="https://blog.test/other-post/#y">y</a> <a href="https://site.test/third/">t</a> <a href="#trouble-z">z</a> <a href="https://blog.test/other-post/#trouble-w">w</a> <a href="#troubleshooting">all</a> <a href="https://site.test/">home</a> <a href="https://e.test/">e</a><img src="https://blog.test/wp-content/uploads/a.png" alt="a" class="wp-image-7"><img src="https://site.test/avatars/me.svg" alt="">"##
        );
        let missing: Vec<(&str, Option<&str>, bool)> = out
            .missing
            .iter()
            .map(|m| (m.href.as_str(), m.guide.as_deref(), m.picture))
            .collect();
        assert_eq!(
            missing,
            vec![
                ("../third/", Some("third"), false),
                ("../", None, false),
                ("../avatars/me.svg", None, true),
            ]
        );
        assert_eq!(out.leaving, vec!["https://e.test/".to_owned()]);
        // A hosted static site takes what has no post.
        to.hosted = true;
        let out = rewrite(r#"<a href="../">home</a>"#, &to).unwrap();
        assert!(out.missing.is_empty());
        assert_eq!(out.leaving, vec!["https://site.test/".to_owned()]);
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
            hosted: false,
            posts: &BTreeMap::new(),
            guides: &BTreeSet::new(),
            troubles: &BTreeMap::new(),
            own_ids: &BTreeSet::new(),
            pictures: &pictures,
        };
        let html = r#"<!-- wp:image {"className":"x<b>&amp;--","tebikiSrc":"figures/a--b.png"} --><figure class="wp-block-image x"><img src="figures/a--b.png" alt=""/></figure><!-- /wp:image --><!-- wp:image {"tebikiSrc":"figures/unknown.png"} -->"#;
        let out = rewrite(html, &to).unwrap();
        assert_eq!(
            out.html,
            r#"<!-- wp:image {"className":"x\u003cb\u003e\u0026amp;\u002d\u002d","id":42} --><figure class="wp-block-image x"><img src="https://blog.test/a.png" alt="" class="wp-image-42" /></figure><!-- /wp:image --><!-- wp:image {} -->"#
        );
    }
}
