//! `tebiki publish wordpress`: each guide becomes one post of the author's WordPress blog, and
//! stays that post through every later run.
//!
//! Order, so that nothing is half-published: load, resolve and encode as a build does; log in
//! (which also tells what the user may post); draw the pictures; upload the ones the blog does
//! not hold yet; then create or update the post in one request. A failure before that last
//! request leaves the post as it was. The record (`.tebiki/publish.yaml`) is written at the end
//! of each guide. The password is read here and handed to the client only.

mod access;
mod pictures;
mod post;
mod record;
mod rewrite;
mod wordpress;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use anyhow::Result;

use self::record::Record;
use crate::i18n::{Localizer, Message, msg, with_help};
use crate::render::post::PostParts;
use crate::resolve::{GuideId, SiteIndex};
use crate::site::{BuildOptions, Site};

/// The environment variable that holds the application password.
pub(crate) const PASSWORD_VARIABLE: &str = "TEBIKI_WP_APP_PASSWORD";

/// What `tebiki publish wordpress` is asked to do.
#[derive(Clone, Debug)]
pub(crate) struct PublishOptions {
    pub root: PathBuf,
    /// Only this guide (by slug); `None`: every guide.
    pub guide: Option<String>,
    /// The status to give the post; `None`: draft for a new post, unchanged for an existing one.
    pub status: Option<Status>,
    /// Print what would be done, and the markup, and touch nothing.
    pub dry_run: bool,
    /// The blog's address and the user, overriding site.yaml's `publish: wordpress:`.
    pub url: Option<String>,
    pub user: Option<String>,
    /// Overwrite posts edited on the blog since tebiki last wrote them.
    pub force: bool,
}

/// A post's status on the blog.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Status {
    Draft,
    Publish,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Publish => "publish",
        }
    }
}

/// What a run did (or, with `--dry-run`, would do), guide by guide.
#[derive(Debug, Default, serde::Serialize)]
pub(crate) struct PublishReport {
    pub blog: String,
    pub dry_run: bool,
    pub guides: Vec<GuideReport>,
    /// What the post's stylesheet and JSON-LD became (inline, or for the theme's 追加CSS); in
    /// English in the JSON, in the author's language on the terminal.
    #[serde(serialize_with = "in_english")]
    pub notes: Vec<Message>,
    /// The stylesheet, when it could not go into the post.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub css_for_theme: Option<String>,
}

/// Messages as their English texts (the JSON report is the same in every language).
fn in_english<S: serde::Serializer>(notes: &[Message], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(notes.iter().map(ToString::to_string))
}

impl PublishReport {
    /// Whether a post was left alone because it was edited on the blog.
    pub(crate) fn refused_any(&self) -> bool {
        self.guides.iter().any(|g| g.edited_on_blog.is_some())
    }
}

#[derive(Debug, Default, serde::Serialize)]
pub(crate) struct GuideReport {
    pub slug: String,
    /// `created`, `updated`, `unchanged`, `refused` (or `would create` / `would update`).
    pub action: String,
    pub post_id: Option<u64>,
    pub link: Option<String>,
    pub uploaded: usize,
    pub reused: usize,
    /// The share card's media item (the post's featured image).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub featured_media: Option<u64>,
    /// Every link of the post that leaves the blog.
    pub leaving: Vec<String>,
    /// Links and pictures that land nowhere on the blog (a dry run; a run refuses them).
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "in_english")]
    pub missing: Vec<Message>,
    /// Refused: what was changed on the blog since tebiki last wrote the post.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edited_on_blog: Option<post::BlogEdit>,
    /// The block markup (dry run only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markup: Option<String>,
}

/// Publishing refused before anything changed: guides link to guides that have no post.
#[derive(Debug)]
pub(crate) struct NeedsPosts(pub BTreeMap<String, BTreeSet<String>>);

impl NeedsPosts {
    /// The refusal in `l`'s language: each guide and the guides it needs, and what to do.
    pub(crate) fn render(&self, l: &Localizer) -> String {
        use std::fmt::Write as _;
        let all: BTreeSet<&String> = self.0.values().flatten().collect();
        let mut out = l.text("publish-needs-posts");
        for (guide, needs) in &self.0 {
            let needs: Vec<&str> = needs.iter().map(String::as_str).collect();
            let line = msg!(
                "publish-needs-line",
                guide = guide,
                needs = needs.join(", ")
            );
            let _ = write!(out, "\n  {}", l.format(&line));
        }
        let names: Vec<&str> = all.iter().map(|s| s.as_str()).collect();
        let hint = msg!("publish-needs-posts-hint", guides = names.join(", "));
        let _ = write!(out, "\n  {}: {}", l.text("level-help"), l.format(&hint));
        out
    }
}

impl std::fmt::Display for NeedsPosts {
    /// In English (the command line shows [`NeedsPosts::render`] in the author's language).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(&Localizer::new(crate::i18n::Lang::En)))
    }
}

impl std::error::Error for NeedsPosts {}

/// Runs `tebiki publish wordpress`.
pub(crate) fn wordpress(options: &PublishOptions) -> Result<PublishReport> {
    let site = Site::new(&BuildOptions {
        root: options.root.clone(),
        output_dir: None,
        base_url: None,
        drafts: false,
    })?;
    let target = access::target(&site, options)?;
    let slugs = options.guide.as_ref().map(|g| BTreeSet::from([g.clone()]));
    let publishing = site.for_publishing(slugs.as_ref())?;
    let index = &publishing.index;
    let chosen = chosen_guides(&site, index, options.guide.as_deref())?;
    let record = Record::read(site.root())?;
    let mut report = PublishReport {
        blog: target.url.clone(),
        dry_run: options.dry_run,
        ..PublishReport::default()
    };
    let style = crate::render::post_style(&publishing.templates, index)
        .map_err(|d| crate::diagnostics::BuildFailed(one(d)))?;
    let links = Links::of(&site, index);
    let run = |client, parts| post::Run {
        site: &site,
        publishing: &publishing,
        links: &links,
        target: &target,
        options,
        client,
        parts,
    };
    if options.dry_run {
        for &gi in &chosen {
            let dry = run(None, PostParts::default());
            report.guides.push(dry.dry_run(gi, &record)?);
        }
        return Ok(report);
    }
    let password = access::password(site.root(), &target.url)?;
    let client = wordpress::Client::new(&target.url, &target.user, &password);
    let me = client.me()?;
    // An administrator (or editor on a single site) may post <style> and <script>; others lose
    // them to WordPress's filter, so the stylesheet is printed for the theme instead.
    let unfiltered = me
        .capabilities
        .get("unfiltered_html")
        .copied()
        .unwrap_or(false);
    let parts = PostParts {
        style: unfiltered.then_some(style.as_str()),
        jsonld: unfiltered,
        script: unfiltered,
    };
    if unfiltered {
        report
            .notes
            .push(msg!("publish-note-unfiltered", user = &me.name));
    } else {
        report
            .notes
            .push(msg!("publish-note-filtered", user = &me.name));
        report.css_for_theme = Some(style.clone());
    }
    report.guides = run(Some(&client), parts).publish_all(&chosen, record)?;
    Ok(report)
}

fn one(d: crate::diagnostics::Diagnostic) -> crate::diagnostics::Diagnostics {
    let mut all = crate::diagnostics::Diagnostics::default();
    all.push(d);
    all
}

/// What the links of every post are resolved with: the site's guides, where the
/// troubleshooting index's entries are in the posts, and whether the static site is hosted.
pub(crate) struct Links {
    pub guides: BTreeSet<String>,
    pub troubles: BTreeMap<String, (String, String)>,
    pub hosted: bool,
}

impl Links {
    fn of(site: &Site, index: &SiteIndex) -> Self {
        let guides = index.guides.iter().map(|g| g.slug().to_owned()).collect();
        let troubles = index
            .guides
            .iter()
            .flat_map(|g| {
                g.troubles.entries.iter().map(move |t| {
                    (
                        format!("{}-{}", g.slug(), t.def.id),
                        (g.slug().to_owned(), format!("trouble-{}", t.def.id)),
                    )
                })
            })
            .collect();
        let hosted = site
            .config()
            .publish
            .wordpress
            .as_ref()
            .is_some_and(|w| w.site_hosted);
        Self {
            guides,
            troubles,
            hosted,
        }
    }
}

/// The guides to publish: `only`, or all.
/// A guide folder that loads but is not in the index is a draft (problems stop before this).
fn chosen_guides(site: &Site, index: &SiteIndex, only: Option<&str>) -> Result<Vec<GuideId>> {
    let Some(only) = only else {
        return Ok(index.guides_with_ids().map(|(gi, _)| gi).collect());
    };
    if let Some(gi) = index.id_of(only) {
        return Ok(vec![gi]);
    }
    let (folders, _) = site.guide_slugs();
    if folders.iter().any(|s| s == only) {
        return Err(anyhow::Error::new(with_help(
            msg!("publish-draft", slug = only),
            msg!("publish-draft-hint", slug = only),
        )));
    }
    let slugs: Vec<&str> = index.guides.iter().map(|g| g.slug()).collect();
    let close = crate::diagnostics::did_you_mean(only, slugs.iter().copied()).map_or_else(
        || Message::text(""),
        |s| msg!("did-you-mean-suffix", name = s),
    );
    Err(anyhow::Error::new(with_help(
        msg!("publish-no-guide", slug = only, close = close),
        msg!("publish-guides-are", guides = slugs.join(", ")),
    )))
}
