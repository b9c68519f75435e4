//! What a published site needs besides its pages: the share meta of every page (Open Graph,
//! Twitter card, canonical URL), `sitemap.xml`, `robots.txt`, the Atom feed `feed.xml` and
//! `404.html`. Every URL here is absolute when `base_url` is (it is a full address except for a
//! site built for `/`), and every value is escaped for where it lands (the templates escape
//! HTML; the XML files are written here with [`xml_text`]/[`xml_attr`]).

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use super::{Output, base_context};
use crate::card::{HEIGHT, WIDTH};
use crate::config::Robots;
use crate::diagnostics::Diagnostic;
use crate::escape::{xml_attr, xml_text};
use crate::resolve::{Guide, SiteIndex};
use crate::templates::Templates;

/// The file name of a guide's share card in its folder.
pub(crate) const CARD_FILE: &str = "card.png";

/// The share meta of a page, for the theme's `meta.html`.
#[derive(Debug, Serialize)]
pub(crate) struct MetaCx {
    /// `article` for a guide, `website` for the other pages.
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    /// The page's canonical address.
    pub url: String,
    pub site_name: String,
    /// `ja_JP` or `en_US`.
    pub locale: &'static str,
    pub image: Option<ImageMeta>,
    pub published: String,
    pub modified: String,
    pub twitter_site: String,
    pub noindex: bool,
    pub feed_url: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct ImageMeta {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
}

/// The meta of a page at `path` (relative to the site's root; empty for the home page).
pub(crate) fn page_meta(index: &SiteIndex, path: &str, title: &str, description: &str) -> MetaCx {
    let c = &index.config;
    MetaCx {
        kind: "website",
        title: title.to_owned(),
        description: if description.is_empty() {
            c.description.clone()
        } else {
            description.to_owned()
        },
        url: format!("{}{path}", c.base_url),
        site_name: c.title.clone(),
        locale: if c.language == "en" { "en_US" } else { "ja_JP" },
        // The site's card (written with the site-wide pages).
        image: Some(ImageMeta {
            url: format!("{}{CARD_FILE}", c.base_url),
            width: WIDTH,
            height: HEIGHT,
            alt: c.title.clone(),
        }),
        published: String::new(),
        modified: String::new(),
        twitter_site: c.twitter_site.clone().unwrap_or_default(),
        noindex: c.robots == Robots::Noindex,
        feed_url: format!("{}feed.xml", c.base_url),
    }
}

/// The meta of a guide's page: an article, with its dates and its share card.
pub(crate) fn guide_meta(index: &SiteIndex, guide: &Guide) -> MetaCx {
    let def = &guide.loaded.def;
    let mut meta = page_meta(
        index,
        &format!("{}/", guide.slug()),
        guide.title(),
        &def.description,
    );
    meta.kind = "article";
    meta.published.clone_from(&def.published);
    meta.modified = def.updated.clone().unwrap_or_default();
    let base = &index.config.base_url;
    meta.image = Some(match &def.og_picture {
        // The guide's own picture, published from its folder as it is.
        Some(picture) => {
            let rel = picture
                .path
                .strip_prefix(&guide.loaded.dir)
                .unwrap_or(&picture.path)
                .to_string_lossy()
                .replace('\\', "/");
            ImageMeta {
                url: format!("{base}{}/{}", guide.slug(), crate::escape::url_path(&rel)),
                width: picture.width,
                height: picture.height,
                alt: guide.title().to_owned(),
            }
        }
        None => ImageMeta {
            url: format!("{base}{}/{CARD_FILE}", guide.slug()),
            width: WIDTH,
            height: HEIGHT,
            alt: guide.title().to_owned(),
        },
    });
    meta
}

/// A guide's last date: `updated`, else `published`.
fn last_date(guide: &Guide) -> &str {
    let def = &guide.loaded.def;
    def.updated.as_deref().unwrap_or(&def.published)
}

/// `2026-01-15` as an RFC 3339 time (midnight UTC), as Atom wants.
fn rfc3339(date: &str) -> String {
    format!("{date}T00:00:00Z")
}

/// `sitemap.xml`: the home page, every guide and the troubleshooting index.
pub(crate) fn sitemap(index: &SiteIndex) -> Output {
    let base = &index.config.base_url;
    let newest = index
        .guides
        .iter()
        .map(|g| last_date(g))
        .max()
        .unwrap_or("");
    let mut urls = vec![(base.clone(), newest.to_owned())];
    for guide in &index.guides {
        urls.push((
            format!("{base}{}/", guide.slug()),
            last_date(guide).to_owned(),
        ));
    }
    urls.push((format!("{base}troubleshooting/"), newest.to_owned()));
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (url, lastmod) in urls {
        let _ = write!(xml, "<url><loc>{}</loc>", xml_text(&url));
        if !lastmod.is_empty() {
            let _ = write!(xml, "<lastmod>{}</lastmod>", xml_text(&lastmod));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    Output::File {
        path: PathBuf::from("sitemap.xml"),
        contents: xml,
    }
}

/// `robots.txt`: everything allowed and the sitemap named, or (`robots: noindex`) nothing.
pub(crate) fn robots(index: &SiteIndex) -> Output {
    let c = &index.config;
    let contents = match c.robots {
        Robots::Index => format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
            c.base_url
        ),
        Robots::Noindex => {
            "# A staging site (robots: noindex in site.yaml).\nUser-agent: *\nDisallow: /\n"
                .to_owned()
        }
    };
    Output::File {
        path: PathBuf::from("robots.txt"),
        contents,
    }
}

/// `feed.xml`: an Atom feed of the guides, newest first.
pub(crate) fn feed(index: &SiteIndex) -> Output {
    let c = &index.config;
    let base = &c.base_url;
    let mut guides: Vec<&Guide> = index.guides.iter().map(AsRef::as_ref).collect();
    guides.sort_by(|a, b| last_date(b).cmp(last_date(a)).then(a.slug().cmp(b.slug())));
    let updated = guides
        .first()
        .map_or_else(String::new, |g| rfc3339(last_date(g)));
    let author = if c.author.is_empty() {
        &c.title
    } else {
        &c.author
    };
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{}feed.xml\"/>\n<updated>{}</updated>\n<author><name>{}</name></author>\n<generator>tebiki</generator>\n",
        xml_attr(&c.language),
        xml_text(&c.title),
        xml_text(base),
        xml_attr(base),
        xml_attr(base),
        xml_text(&updated),
        xml_text(author),
    );
    if !c.description.is_empty() {
        let _ = writeln!(xml, "<subtitle>{}</subtitle>", xml_text(&c.description));
    }
    for guide in guides {
        let def = &guide.loaded.def;
        let url = format!("{base}{}/", guide.slug());
        let _ = write!(
            xml,
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<link rel=\"enclosure\" type=\"image/png\" href=\"{}{CARD_FILE}\"/>\n<published>{}</published>\n<updated>{}</updated>\n<summary>{}</summary>\n</entry>\n",
            xml_text(guide.title()),
            xml_text(&url),
            xml_attr(&url),
            xml_attr(&url),
            xml_text(&rfc3339(&def.published)),
            xml_text(&rfc3339(last_date(guide))),
            xml_text(&def.description),
        );
    }
    xml.push_str("</feed>\n");
    Output::File {
        path: PathBuf::from("feed.xml"),
        contents: xml,
    }
}

/// `404.html`, from the theme's `404.html`. A host shows it at any depth, so its stylesheet
/// and links are root-relative, from `base_url`'s path (as mdBook's `site-url`).
pub(crate) fn not_found(index: &SiteIndex, templates: &Templates) -> Result<Output, Diagnostic> {
    let base = index.config.base_path();
    let mut cx = base_context(index, base);
    let mut meta = page_meta(index, "404.html", &index.config.title, "");
    meta.noindex = true;
    cx.insert("meta", &meta);
    let html = templates.render("404.html", &cx)?;
    Ok(Output::Page {
        path: PathBuf::from("404.html"),
        html,
    })
}
