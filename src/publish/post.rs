//! One run of `tebiki publish` over the chosen guides: which posts exist on the blog, which
//! were edited there since tebiki last wrote them (left alone unless `--force`), the order that
//! makes every link land, and each post's pictures, share card and markup.
//!
//! Invariants: nothing is changed on the blog when a chosen guide links to a guide without a
//! post that this run does not publish ([`super::NeedsPosts`]), or to a page of a static site
//! that is not hosted; a post whose title or markup differs from what tebiki last wrote is not
//! overwritten without `--force`; a link is written to a post only once that post exists (a
//! guide that another guide of the run links to gets its post reserved first, as a draft, and
//! every post whose links changed meanwhile is written again).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context as _, Result};

use super::access::Target;
use super::record::{self, MediaRecord, PostRecord, Record};
use super::rewrite::{self, Missing};
use super::{GuideReport, Links, NeedsPosts, PublishOptions, Status, pictures, wordpress};
use crate::i18n::{Message, msg, with_help};
use crate::render::post::{Post, PostParts};
use crate::resolve::GuideId;
use crate::site::{Publishing, Site};

/// How many changed lines an edit on the blog is shown by.
const DIFF_LINES: usize = 20;

/// What was changed on the blog since tebiki last wrote a post.
#[derive(Debug, serde::Serialize)]
pub(crate) struct BlogEdit {
    /// When the post was last changed (UTC).
    pub modified_gmt: String,
    /// The text that changed, line by line: `- ` as tebiki wrote it, `+ ` as it is now.
    pub diff: Vec<String>,
}

/// One run: the site, what it publishes to and how.
pub(crate) struct Run<'a> {
    pub site: &'a Site,
    pub publishing: &'a Publishing,
    pub links: &'a Links,
    pub target: &'a Target,
    pub options: &'a PublishOptions,
    /// `None`: a dry run.
    pub client: Option<&'a wordpress::Client>,
    pub parts: PostParts<'a>,
}

/// A guide's post as the run writes it.
struct Rendered {
    gi: GuideId,
    slug: String,
    post: Post,
    own_ids: BTreeSet<String>,
}

impl Run<'_> {
    fn client(&self) -> Result<&wordpress::Client> {
        self.client
            .ok_or_else(|| anyhow::Error::new(msg!("publish-dry-run-offline")))
    }

    fn render(&self, gi: GuideId) -> Result<Rendered> {
        let p = self.publishing;
        let post = self
            .site
            .wordpress_post(&p.index, &p.templates, gi, self.parts)?;
        Ok(Rendered {
            gi,
            slug: p.index.guide(gi).slug().to_owned(),
            own_ids: rewrite::ids_of(&post.html),
            post,
        })
    }

    /// The post's markup with its links resolved against `posts` (other guides' post links).
    fn rewrite(
        &self,
        r: &Rendered,
        posts: &BTreeMap<String, String>,
        pictures: &BTreeMap<String, rewrite::Media>,
    ) -> Result<rewrite::Rewritten> {
        rewrite::rewrite(
            &r.post.html,
            &rewrite::Addresses {
                slug: &r.slug,
                base_url: &self.publishing.index.config.base_url,
                hosted: self.links.hosted,
                posts,
                guides: &self.links.guides,
                troubles: &self.links.troubles,
                own_ids: &r.own_ids,
                pictures,
            },
        )
    }

    /// What `--dry-run` says of guide `gi`: the post it would create or update, the pictures
    /// it would upload, every link that would leave the blog and every one that lands nowhere.
    pub(crate) fn dry_run(&self, gi: GuideId, record: &Record) -> Result<GuideReport> {
        let r = self.render(gi)?;
        let blog = record.wordpress.get(&self.target.url);
        let drawn = self.drawn(&r)?;
        let mut new = BTreeSet::new();
        let mut reused = 0;
        for d in &drawn {
            if blog.is_some_and(|b| b.media.contains_key(&d.hash)) || new.contains(&d.hash) {
                reused += 1;
            } else {
                new.insert(d.hash.clone());
            }
        }
        // Pictures count as on the blog here (they would be uploaded); links as they are now.
        let as_media: BTreeMap<String, rewrite::Media> = drawn
            .iter()
            .map(|d| {
                let media = rewrite::Media {
                    id: 0,
                    url: format!("{}wp-content/uploads/{}", self.target.url, d.name),
                };
                (d.src.clone(), media)
            })
            .collect();
        let posts = post_links(record, &self.target.url);
        let rewritten = self.rewrite(&r, &posts, &as_media)?;
        let known = blog.and_then(|b| b.posts.get(&r.slug));
        Ok(GuideReport {
            slug: r.slug.clone(),
            action: if known.is_some() {
                "would update"
            } else {
                "would create"
            }
            .to_owned(),
            post_id: known.map(|p| p.id),
            link: known.map(|p| p.link.clone()),
            uploaded: new.len(),
            reused,
            leaving: rewritten.leaving,
            missing: describe_missing(&rewritten.missing),
            markup: Some(rewritten.html),
            ..GuideReport::default()
        })
    }

    /// Publishes the guides `chosen`, in an order that makes every link land.
    pub(crate) fn publish_all(
        &self,
        chosen: &[GuideId],
        mut record: Record,
    ) -> Result<Vec<GuideReport>> {
        let client = self.client()?;
        let rendered: Vec<Rendered> = chosen
            .iter()
            .map(|&gi| self.render(gi))
            .collect::<Result<_>>()?;
        let needs = self.needs(&rendered)?;
        // The posts on the blog now, of the chosen guides and of those they link to.
        let wanted: BTreeSet<String> = rendered
            .iter()
            .map(|r| r.slug.clone())
            .chain(needs.values().flatten().cloned())
            .collect();
        let mut live = BTreeMap::new();
        for slug in &wanted {
            if let Some(post) = find_post(client, &record, &self.target.url, slug)? {
                live.insert(slug.clone(), post);
            }
        }
        let publishing: BTreeSet<&str> = rendered.iter().map(|r| r.slug.as_str()).collect();
        let unmet: BTreeMap<String, BTreeSet<String>> = needs
            .iter()
            .filter_map(|(guide, wants)| {
                let unmet: BTreeSet<String> = wants
                    .iter()
                    .filter(|w| !publishing.contains(w.as_str()) && !live.contains_key(*w))
                    .cloned()
                    .collect();
                (!unmet.is_empty()).then(|| (guide.clone(), unmet))
            })
            .collect();
        if !unmet.is_empty() {
            return Err(NeedsPosts(unmet).into());
        }
        let mut reports = self.refusals(&record, &rendered, &live);
        // A guide another guide links to gets its post first (a draft, filled in below).
        let linked: BTreeSet<&String> = needs.values().flatten().collect();
        for r in &rendered {
            if linked.contains(&r.slug) && !live.contains_key(&r.slug) {
                let post = self.reserve(client, &mut record, r)?;
                live.insert(r.slug.clone(), post);
            }
        }
        let mut sent = BTreeMap::new();
        let refused: BTreeSet<String> = reports.keys().cloned().collect();
        for r in rendered.iter().filter(|r| !refused.contains(&r.slug)) {
            let existing = live.get(&r.slug);
            let (report, html) = self.publish_one(client, &mut record, r, existing)?;
            sent.insert(r.slug.clone(), html);
            reports.insert(r.slug.clone(), report);
        }
        // A post written before another post had its final address is written again.
        for r in &rendered {
            let Some(html) = sent.get(&r.slug) else {
                continue;
            };
            let posts = post_links(&record, &self.target.url);
            let media = media_of(&record, &self.target.url);
            let now = self.rewrite_with_media(r, &posts, &media)?;
            if now.as_deref() != Some(html.as_str()) {
                let existing = find_post(client, &record, &self.target.url, &r.slug)?;
                let (again, _) = self.publish_one(client, &mut record, r, existing.as_ref())?;
                if let Some(report) = reports.get_mut(&r.slug) {
                    report.link = again.link;
                }
            }
        }
        record.write(self.site.root())?;
        Ok(rendered
            .iter()
            .filter_map(|r| reports.remove(&r.slug))
            .collect())
    }

    /// The guides each post links to (by slug). Links to pages of a static site that is not
    /// hosted are an error: nothing is published.
    fn needs(&self, rendered: &[Rendered]) -> Result<BTreeMap<String, BTreeSet<String>>> {
        let mut needs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut nowhere = Vec::new();
        for r in rendered {
            for m in self.rewrite(r, &BTreeMap::new(), &BTreeMap::new())?.missing {
                match m.guide {
                    Some(guide) => {
                        needs.entry(r.slug.clone()).or_default().insert(guide);
                    }
                    None if !m.picture => nowhere.push(format!("{}: {}", r.slug, m.href)),
                    None => {}
                }
            }
        }
        if !nowhere.is_empty() {
            nowhere.truncate(20);
            return Err(anyhow::Error::new(with_help(
                msg!(
                    "publish-links-to-site",
                    base = &self.publishing.index.config.base_url,
                    links = nowhere.join("\n  ")
                ),
                msg!("publish-links-to-site-hint"),
            )));
        }
        Ok(needs)
    }

    /// The reports of the posts edited on the blog since tebiki wrote them (left alone),
    /// unless `--force`.
    fn refusals(
        &self,
        record: &Record,
        rendered: &[Rendered],
        live: &BTreeMap<String, wordpress::Post>,
    ) -> BTreeMap<String, GuideReport> {
        let mut reports = BTreeMap::new();
        if self.options.force {
            return reports;
        }
        for r in rendered {
            if let Some(post) = live.get(&r.slug)
                && let Some(edit) = self.edited_on_blog(record, &r.slug, post)
            {
                reports.insert(
                    r.slug.clone(),
                    GuideReport {
                        slug: r.slug.clone(),
                        action: "refused".into(),
                        post_id: Some(post.id),
                        link: Some(post.link.clone()),
                        edited_on_blog: Some(edit),
                        ..GuideReport::default()
                    },
                );
            }
        }
        reports
    }

    /// The markup of `r` as [`Self::publish_one`] would send it now (`None` when one of its
    /// pictures is not on the blog yet).
    fn rewrite_with_media(
        &self,
        r: &Rendered,
        posts: &BTreeMap<String, String>,
        media: &BTreeMap<String, MediaRecord>,
    ) -> Result<Option<String>> {
        let mut pictures = BTreeMap::new();
        let drawn = self.drawn(r)?;
        for d in drawn {
            let Some(m) = media.get(&d.hash) else {
                return Ok(None);
            };
            pictures.insert(
                d.src,
                rewrite::Media {
                    id: m.id,
                    url: m.url.clone(),
                },
            );
        }
        Ok(Some(self.rewrite(r, posts, &pictures)?.html))
    }

    /// What was changed on the blog in `post` since tebiki last wrote it, if anything.
    fn edited_on_blog(
        &self,
        record: &Record,
        slug: &str,
        post: &wordpress::Post,
    ) -> Option<BlogEdit> {
        let known = record.wordpress.get(&self.target.url)?.posts.get(slug)?;
        if known.id != post.id || known.content_sha256.is_empty() {
            return None;
        }
        if record::post_hash(&post.title.raw, &post.content.raw) == known.content_sha256 {
            return None;
        }
        let copy = record::published_copy(self.site.root(), &self.target.url, slug);
        let before = crate::fs::read_to_string(&copy).unwrap_or_default();
        let mut diff = text_diff(&before, &post.content.raw);
        if diff.is_empty() {
            diff.push(if before.is_empty() {
                "(tebiki kept no copy of what it last wrote: publish again with --force to start over)".into()
            } else if post.content.raw == before {
                "(the title was changed, not the text)".into()
            } else {
                "(the markup was changed, not the visible text: a script, a style or an attribute)".into()
            });
        }
        Some(BlogEdit {
            modified_gmt: post.modified_gmt.clone(),
            diff,
        })
    }

    /// Creates a draft post for `r` (its title only), so that other posts can link to it
    /// before it is written.
    fn reserve(
        &self,
        client: &wordpress::Client,
        record: &mut Record,
        r: &Rendered,
    ) -> Result<wordpress::Post> {
        let guide = &self.publishing.index.guide(r.gi);
        let fields = serde_json::json!({
            "title": guide.title(),
            "slug": r.slug,
            "status": "draft",
        });
        let saved = client
            .save_post(None, &fields)
            .with_context(|| msg!("publish-reserve", slug = &r.slug))?;
        remember(record, self.site, &self.target.url, &r.slug, &saved)?;
        record.write(self.site.root())?;
        Ok(saved)
    }

    /// Uploads what `r` shows and creates or updates its post: its report, and the markup
    /// sent.
    fn publish_one(
        &self,
        client: &wordpress::Client,
        record: &mut Record,
        r: &Rendered,
        existing: Option<&wordpress::Post>,
    ) -> Result<(GuideReport, String)> {
        let guide = &self.publishing.index.guide(r.gi);
        let drawn = self.drawn(r)?;
        let blog = record.wordpress.entry(self.target.url.clone()).or_default();
        let uploaded = upload(client, &drawn, blog)?;
        let card = match self.publishing.cards.get(&r.slug) {
            Some(file) => {
                let bytes = read_file(file)?;
                let name = format!("{}-card.png", r.slug);
                let card = pictures::named(&r.slug, &name, guide.title(), bytes, "image/png");
                Some(upload(client, std::slice::from_ref(&card), blog)?)
            }
            None => None,
        };
        let featured = card
            .as_ref()
            .and_then(|c| c.urls.values().next().map(|m| m.id));
        let posts = post_links(record, &self.target.url);
        let rewritten = self.rewrite(r, &posts, &uploaded.urls)?;
        if !rewritten.missing.is_empty() {
            return Err(anyhow::Error::new(msg!(
                "publish-lands-nowhere-refused",
                slug = &r.slug,
                missing = Message::list(describe_missing(&rewritten.missing), ", ")
            )));
        }
        let mut fields = serde_json::json!({
            "title": guide.title(),
            "content": rewritten.html,
            "excerpt": guide.loaded.def.description,
            "slug": r.slug,
        });
        if let Some(id) = featured {
            fields["featured_media"] = serde_json::json!(id);
        }
        // A reserved draft is new to the author: it gets the status a new post gets.
        let reserved = existing.is_some_and(|p| p.content.raw.is_empty() && p.status == "draft");
        let status = self
            .options
            .status
            .or_else(|| (existing.is_none() || reserved).then_some(Status::Draft));
        if let Some(status) = status {
            fields["status"] = serde_json::json!(status.as_str());
        }
        let saved = client
            .save_post(existing.map(|p| p.id), &fields)
            .context(msg!("publish-post-unchanged"))?;
        // The new pictures belong to the post (they show among its media).
        for &id in uploaded
            .fresh
            .iter()
            .chain(card.iter().flat_map(|c| c.fresh.iter()))
        {
            client.attach(id, saved.id)?;
        }
        remember(record, self.site, &self.target.url, &r.slug, &saved)?;
        let report = GuideReport {
            slug: r.slug.clone(),
            action: if existing.is_some() && !reserved {
                "updated"
            } else {
                "created"
            }
            .to_owned(),
            post_id: Some(saved.id),
            link: Some(saved.link),
            uploaded: uploaded.fresh.len() + card.as_ref().map_or(0, |c| c.fresh.len()),
            reused: uploaded.reused + card.as_ref().map_or(0, |c| c.reused),
            featured_media: featured,
            leaving: rewritten.leaving,
            ..GuideReport::default()
        };
        record.write(self.site.root())?;
        Ok((report, rewritten.html))
    }

    /// Every picture `r` shows, ready to upload: its figures, and the site's own files.
    fn drawn(&self, r: &Rendered) -> Result<Vec<pictures::Drawn>> {
        let fonts = self.site.fonts();
        let mut drawn = Vec::new();
        for picture in &r.post.pictures {
            drawn.push(pictures::draw(
                &r.slug,
                picture,
                &fonts,
                self.site.images(),
            )?);
        }
        drawn.extend(self.site_files(r)?);
        Ok(drawn)
    }

    /// The site's own files `r`'s markup shows (a balloon's avatar, an SVG screenshot of the
    /// guide's folder), ready to upload.
    fn site_files(&self, r: &Rendered) -> Result<Vec<pictures::Drawn>> {
        let known: BTreeSet<&str> = r.post.pictures.iter().map(|p| p.src.as_str()).collect();
        let mut problems = crate::diagnostics::Diagnostics::default();
        let assets = crate::templates::assets(
            self.site.root(),
            &self.publishing.index.config.theme,
            &mut problems,
        );
        let fonts = self.site.fonts();
        let mut out = Vec::new();
        for src in rewrite::site_pictures(&r.post.html) {
            if known.contains(src.as_str()) {
                continue;
            }
            let path = rewrite::site_path(&src, &r.slug);
            // A file of the guide's folder (copied as it is), or a static file of the site.
            let guide = &self.publishing.index.guide(r.gi).loaded;
            let own = path
                .strip_prefix(&format!("{}/", r.slug))
                .map(std::path::Path::new)
                .filter(|rel| guide.files.iter().any(|f| f == rel));
            let bytes = match (own, assets.get(std::path::Path::new(&path))) {
                (Some(rel), _) => read_file(&guide.dir.join(rel))?,
                (None, Some(crate::templates::Asset::Builtin(text))) => text.as_bytes().to_vec(),
                (
                    None,
                    Some(
                        crate::templates::Asset::File(file) | crate::templates::Asset::Cached(file),
                    ),
                ) => read_file(file)?,
                (None, None) => {
                    return Err(anyhow::Error::new(msg!(
                        "publish-no-file",
                        slug = &r.slug,
                        src = &src
                    )));
                }
            };
            out.push(pictures::site_file(&r.slug, &src, bytes, &fonts)?);
        }
        Ok(out)
    }
}

/// The bytes of a file the post shows (at most 64 MiB: more than a blog takes).
fn read_file(path: &std::path::Path) -> Result<Vec<u8>> {
    crate::fs::read_limited(path, 64 << 20).with_context(|| msg!("io-read", path = path))
}

/// The post of `slug` on the blog now: the recorded one if it is still there, else the one
/// with its slug.
fn find_post(
    client: &wordpress::Client,
    record: &Record,
    blog: &str,
    slug: &str,
) -> Result<Option<wordpress::Post>> {
    let recorded = record.wordpress.get(blog).and_then(|b| b.posts.get(slug));
    if let Some(known) = recorded
        && let Some(post) = client.post(known.id)?
    {
        return Ok(Some(post));
    }
    client.post_by_slug(slug)
}

/// Records `saved` as the post of `slug`, with the hash of what the blog now holds, and keeps
/// a copy of its markup (to show an edit made on the blog later).
fn remember(
    record: &mut Record,
    site: &Site,
    blog: &str,
    slug: &str,
    saved: &wordpress::Post,
) -> Result<()> {
    record
        .wordpress
        .entry(blog.to_owned())
        .or_default()
        .posts
        .insert(
            slug.to_owned(),
            PostRecord {
                id: saved.id,
                link: saved.link.clone(),
                modified_gmt: saved.modified_gmt.clone(),
                content_sha256: record::post_hash(&saved.title.raw, &saved.content.raw),
            },
        );
    let copy = record::published_copy(site.root(), blog, slug);
    if let Some(dir) = copy.parent() {
        crate::fs::create_dir_all(dir)?;
    }
    crate::fs::write_atomic(&copy, &saved.content.raw)
}

/// The posts of every guide on `blog`, by slug (their links).
fn post_links(record: &Record, blog: &str) -> BTreeMap<String, String> {
    record
        .wordpress
        .get(blog)
        .map(|b| {
            b.posts
                .iter()
                .map(|(slug, p)| (slug.clone(), p.link.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// The media on `blog`, by the hash of their bytes.
fn media_of(record: &Record, blog: &str) -> BTreeMap<String, MediaRecord> {
    record
        .wordpress
        .get(blog)
        .map(|b| b.media.clone())
        .unwrap_or_default()
}

/// What lands nowhere, for people: `the link ../other/#x (needs the post of other)`.
fn describe_missing(missing: &[Missing]) -> Vec<Message> {
    missing
        .iter()
        .map(|m| match (&m.guide, m.picture) {
            (Some(guide), _) => msg!("missing-needs-post", href = &m.href, guide = guide),
            (None, true) => msg!("missing-picture", href = &m.href),
            (None, false) => msg!("missing-static-page", href = &m.href),
        })
        .collect()
}

/// The pictures of a post on the blog.
struct Uploaded {
    /// Their media items on the blog, by the `src` of the post's markup.
    urls: BTreeMap<String, rewrite::Media>,
    /// The media items uploaded now.
    fresh: Vec<u64>,
    reused: usize,
}

/// Uploads those of `drawn` the blog does not hold (a recorded item is checked to be still
/// there).
fn upload(
    client: &wordpress::Client,
    drawn: &[pictures::Drawn],
    blog: &mut record::Blog,
) -> Result<Uploaded> {
    let mut done = Uploaded {
        urls: BTreeMap::new(),
        fresh: Vec::new(),
        reused: 0,
    };
    for d in drawn {
        let known = match blog.media.get(&d.hash) {
            Some(m) => client.media(m.id)?.filter(|live| live.source_url == m.url),
            None => None,
        };
        let media = if let Some(live) = known {
            done.reused += 1;
            rewrite::Media {
                id: live.id,
                url: live.source_url,
            }
        } else {
            let media = client
                .upload(&d.name, d.mime, &d.bytes, &d.alt)
                .with_context(|| msg!("publish-upload", src = &d.src))?;
            done.fresh.push(media.id);
            blog.media.insert(
                d.hash.clone(),
                MediaRecord {
                    id: media.id,
                    url: media.source_url.clone(),
                },
            );
            rewrite::Media {
                id: media.id,
                url: media.source_url,
            }
        };
        done.urls.insert(d.src.clone(), media);
    }
    Ok(done)
}

/// The text of two versions of a post's markup, line by line, and the lines that differ
/// (`- ` before, `+ ` after), at most [`DIFF_LINES`].
fn text_diff(before: &str, after: &str) -> Vec<String> {
    let (before, after) = (rewrite::text_lines(before), rewrite::text_lines(after));
    let diff = similar::TextDiff::from_lines(&before, &after);
    let mut out = Vec::new();
    for change in diff.iter_all_changes() {
        let sign = match change.tag() {
            similar::ChangeTag::Delete => "- ",
            similar::ChangeTag::Insert => "+ ",
            similar::ChangeTag::Equal => continue,
        };
        let line: String = change.value().trim_end().chars().take(120).collect();
        out.push(format!("{sign}{line}"));
        if out.len() == DIFF_LINES {
            out.push("…".into());
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_on_the_blog_shows_as_the_lines_of_text_it_changed() {
        let before = "<!-- wp:paragraph --><p>画面を下までスクロールします。</p><!-- /wp:paragraph --><p>【OK】を押します。</p><script>var x = 1;</script>";
        let after = "<!-- wp:paragraph --><p>画面をいちばん下までスクロールします。</p><!-- /wp:paragraph --><p>【OK】を押します。</p><script>var x = 2;</script>";
        assert_eq!(
            text_diff(before, after),
            vec![
                "- 画面を下までスクロールします。".to_owned(),
                "+ 画面をいちばん下までスクロールします。".to_owned()
            ]
        );
    }
}
