//! `tebiki publish wordpress`: each guide becomes one post of the author's WordPress blog, and
//! stays that post through every later run.
//!
//! Order, so that nothing is half-published: load, resolve and encode as a build does; log in
//! (which also tells what the user may post); draw the pictures; upload the ones the blog does
//! not hold yet; then create or update the post in one request. A failure before that last
//! request leaves the post as it was. The record (`.tebiki/publish.yaml`) is written at the end
//! of each guide. The password is read here and handed to the client only.

mod pictures;
mod record;
mod rewrite;
mod wordpress;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use self::record::{MediaRecord, PostRecord, Record};
use crate::render::post::PostParts;
use crate::resolve::SiteIndex;
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
    /// What the post's stylesheet and JSON-LD became (inline, or for the theme's 追加CSS).
    pub notes: Vec<String>,
    /// The stylesheet, when it could not go into the post.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub css_for_theme: Option<String>,
}

#[derive(Debug, serde::Serialize)]
pub(crate) struct GuideReport {
    pub slug: String,
    /// `created`, `updated` (or `would create` / `would update`).
    pub action: String,
    pub post_id: Option<u64>,
    pub link: Option<String>,
    pub uploaded: usize,
    pub reused: usize,
    /// The block markup (dry run only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markup: Option<String>,
}

/// Where to publish: the blog's address and the user.
struct Target {
    url: String,
    user: String,
}

/// Runs `tebiki publish wordpress`.
pub(crate) fn wordpress(options: &PublishOptions) -> Result<PublishReport> {
    let site = Site::new(&BuildOptions {
        root: options.root.clone(),
        output_dir: None,
        base_url: None,
    })?;
    let target = target(&site, options)?;
    let slugs = options.guide.as_ref().map(|g| BTreeSet::from([g.clone()]));
    let (index, templates, _warnings) = site.for_publishing(slugs.as_ref())?;
    let chosen = chosen_guides(&index, options.guide.as_deref())?;
    let mut record = Record::read(site.root())?;
    let mut report = PublishReport {
        blog: target.url.clone(),
        dry_run: options.dry_run,
        ..PublishReport::default()
    };
    let style = crate::render::post_style(&templates, &index)
        .map_err(|d| crate::diagnostics::BuildFailed(one(d)))?;
    if options.dry_run {
        for &gi in &chosen {
            report
                .guides
                .push(dry_run(&site, &index, &templates, gi, &record, &target)?);
        }
        return Ok(report);
    }
    let password = password(site.root(), &target.url)?;
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
    };
    if unfiltered {
        report.notes.push(format!(
            "the stylesheet and the HowTo JSON-LD are inside each post ({} may post unfiltered HTML)",
            me.name
        ));
    } else {
        report.notes.push(format!(
            "{} may not post <style> or <script>: the HowTo JSON-LD is left out, and the stylesheet below goes into the theme (外観 → カスタマイズ → 追加CSS / Appearance → Customize → Additional CSS)",
            me.name
        ));
        report.css_for_theme = Some(style.clone());
    }
    let publish = |gi: usize, record: &mut Record| {
        publish_guide(
            &site, &index, &templates, gi, &client, parts, options, record, &target,
        )
    };
    for &gi in &chosen {
        let done = publish(gi, &mut record);
        // Pictures uploaded before a failure are kept in the record: a re-run reuses them.
        record.write(site.root())?;
        report.guides.push(done?);
    }
    // A guide published before another guide's first post linked to that guide on the site
    // (its post had no address yet): now that every post exists, those are updated once more.
    let last_created = report.guides.iter().rposition(|g| g.action == "created");
    for (k, &gi) in chosen.iter().enumerate().take(last_created.unwrap_or(0)) {
        let again = publish(gi, &mut record)?;
        report.guides[k].link = again.link;
    }
    record.write(site.root())?;
    Ok(report)
}

fn one(d: crate::diagnostics::Diagnostic) -> crate::diagnostics::Diagnostics {
    let mut all = crate::diagnostics::Diagnostics::default();
    all.push(d);
    all
}

/// The blog's address and user from the flags or site.yaml, checked.
fn target(site: &Site, options: &PublishOptions) -> Result<Target> {
    let configured = site.config().publish.wordpress.as_ref();
    let url = options
        .url
        .clone()
        .or_else(|| configured.map(|c| c.url.clone()));
    let user = options
        .user
        .clone()
        .or_else(|| configured.map(|c| c.user.clone()));
    let (Some(url), Some(user)) = (url, user) else {
        bail!(
            "no WordPress blog to publish to\n  help: add to site.yaml:\n    publish:\n      wordpress:\n        url: https://your-blog.example/\n        user: your-login-name\n  (or give --url and --user)"
        );
    };
    let url = if url.ends_with('/') {
        url
    } else {
        format!("{url}/")
    };
    check_address(&url)?;
    Ok(Target { url, user })
}

/// HTTPS, except on this machine (loopback), where a test blog runs over HTTP.
fn check_address(url: &str) -> Result<()> {
    let parsed = crate::config::web_url(url).ok();
    let scheme = parsed.as_ref().map_or("", url::Url::scheme);
    let loopback = parsed
        .as_ref()
        .and_then(url::Url::host)
        .is_some_and(|host| match host {
            url::Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
            url::Host::Ipv4(ip) => ip.is_loopback(),
            url::Host::Ipv6(ip) => ip.is_loopback(),
        });
    match scheme {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        "http" => bail!(
            "refusing to send the application password to {url} over plain HTTP\n  help: use the blog's https:// address (plain http is allowed only for a blog on this machine)"
        ),
        _ => bail!(
            "the blog's address `{url}` is not an http(s) URL\n  help: write it like https://your-blog.example/"
        ),
    }
}

/// The application password: `TEBIKI_WP_APP_PASSWORD`, else the credentials file (outside the
/// site), whose lines are `<blog address> <password>`.
fn password(root: &Path, url: &str) -> Result<String> {
    if let Ok(password) = std::env::var(PASSWORD_VARIABLE)
        && !password.trim().is_empty()
    {
        return Ok(password.trim().to_owned());
    }
    let file = credentials_file();
    let missing = || {
        anyhow::anyhow!(
            "no application password for {url}\n  help: create one in the blog's admin (Users → Profile → Application Passwords), then set {PASSWORD_VARIABLE}, or add a line `{url} <password>` to {}",
            file.as_ref().map_or_else(
                || "~/.config/tebiki/credentials".to_owned(),
                |f| f.display().to_string()
            )
        )
    };
    let Some(file) = file.clone() else {
        return Err(missing());
    };
    match crate::fs::metadata(&file) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Err(missing()),
        _ => {}
    }
    let real = crate::fs::canonicalize(&file).unwrap_or_else(|_| file.clone());
    if real.starts_with(root) {
        bail!(
            "refusing to read a password from {}: it is inside the site, where it would be committed and published\n  help: move it to ~/.config/tebiki/credentials",
            file.display()
        );
    }
    refuse_open_credentials(&file)?;
    let text = crate::fs::read_to_string(&file)?;
    text.lines()
        .filter_map(|line| line.trim().split_once(char::is_whitespace))
        .find(|(blog, _)| blog.trim_end_matches('/') == url.trim_end_matches('/'))
        .map(|(_, password)| password.trim().to_owned())
        .ok_or_else(missing)
}

/// Refuses a credentials file that others may read (as ssh refuses such a key file): its
/// passwords would be anyone's on the machine.
#[cfg(unix)]
fn refuse_open_credentials(file: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = crate::fs::metadata(file)
        .with_context(|| format!("could not read {}", file.display()))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        bail!(
            "refusing to read the passwords in {}: other users may read it (permissions {:o})\n  help: chmod 600 {}",
            file.display(),
            mode & 0o777,
            file.display()
        );
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_open_credentials(_: &Path) -> Result<()> {
    Ok(())
}

/// `$XDG_CONFIG_HOME/tebiki/credentials`, else `~/.config/tebiki/credentials`.
fn credentials_file() -> Option<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(config.join("tebiki").join("credentials"))
}

/// The guides to publish, by index: `only`, or all.
fn chosen_guides(index: &SiteIndex, only: Option<&str>) -> Result<Vec<usize>> {
    let Some(only) = only else {
        return Ok((0..index.guides.len()).collect());
    };
    if let Some(gi) = index.guides.iter().position(|g| g.slug() == only) {
        return Ok(vec![gi]);
    }
    let slugs: Vec<&str> = index.guides.iter().map(|g| g.slug()).collect();
    let hint = crate::diagnostics::did_you_mean(only, slugs.iter().copied())
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    bail!(
        "there is no guide `{only}`{hint}\n  help: the guides are: {}",
        slugs.join(", ")
    )
}

/// The posts already published for other guides, by slug (their links).
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

fn dry_run(
    site: &Site,
    index: &SiteIndex,
    templates: &crate::templates::Templates,
    gi: usize,
    record: &Record,
    target: &Target,
) -> Result<GuideReport> {
    let guide = &index.guides[gi];
    let post = site.wordpress_post(index, templates, gi, PostParts::default())?;
    let fonts = site.fonts();
    let blog = record.wordpress.get(&target.url);
    let mut reused = 0;
    let mut new = BTreeSet::new();
    for picture in &post.pictures {
        let drawn = pictures::draw(guide.slug(), picture, &fonts, site.images())?;
        if blog.is_some_and(|b| b.media.contains_key(&drawn.hash)) || new.contains(&drawn.hash) {
            reused += 1;
        } else {
            new.insert(drawn.hash);
        }
    }
    let uploaded = new.len();
    let known = blog.and_then(|b| b.posts.get(guide.slug()));
    let addresses = rewrite::Addresses {
        slug: guide.slug(),
        base_url: &index.config.base_url,
        posts: &post_links(record, &target.url),
        pictures: &BTreeMap::new(),
    };
    Ok(GuideReport {
        slug: guide.slug().to_owned(),
        action: if known.is_some() {
            "would update"
        } else {
            "would create"
        }
        .to_owned(),
        post_id: known.map(|p| p.id),
        link: known.map(|p| p.link.clone()),
        uploaded,
        reused,
        markup: Some(rewrite::rewrite(&post.html, &addresses)?),
    })
}

#[allow(
    clippy::too_many_arguments,
    reason = "the stages' results of one run, passed down once"
)]
fn publish_guide(
    site: &Site,
    index: &SiteIndex,
    templates: &crate::templates::Templates,
    gi: usize,
    client: &wordpress::Client,
    parts: PostParts<'_>,
    options: &PublishOptions,
    record: &mut Record,
    target: &Target,
) -> Result<GuideReport> {
    let guide = &index.guides[gi];
    let slug = guide.slug().to_owned();
    let post = site.wordpress_post(index, templates, gi, parts)?;
    // 1. Every picture on the blog (uploaded once per content).
    let blog = record.wordpress.entry(target.url.clone()).or_default();
    let pictures = upload_pictures(site, &slug, &post.pictures, client, blog)?;
    // 2. The post, in one request.
    let links = blog
        .posts
        .iter()
        .map(|(s, p)| (s.clone(), p.link.clone()))
        .collect();
    let html = rewrite::rewrite(
        &post.html,
        &rewrite::Addresses {
            slug: &slug,
            base_url: &index.config.base_url,
            posts: &links,
            pictures: &pictures.urls,
        },
    )?;
    let existing = match blog.posts.get(&slug) {
        Some(known) => client.post(known.id)?,
        None => None,
    };
    let existing = match existing {
        Some(p) => Some(p),
        None => client.post_by_slug(&slug)?,
    };
    let mut fields = serde_json::json!({
        "title": guide.title(),
        "content": html,
        "excerpt": guide.loaded.def.description,
        "slug": slug,
    });
    let status = options
        .status
        .or_else(|| existing.is_none().then_some(Status::Draft));
    if let Some(status) = status {
        fields["status"] = serde_json::json!(status.as_str());
    }
    let saved = client
        .save_post(existing.as_ref().map(|p| p.id), &fields)
        .context("the post was not changed")?;
    // 3. The new pictures belong to the post (they show among its media).
    for &id in &pictures.fresh {
        client.attach(id, saved.id)?;
    }
    blog.posts.insert(
        slug.clone(),
        PostRecord {
            id: saved.id,
            link: saved.link.clone(),
        },
    );
    Ok(GuideReport {
        slug,
        action: if existing.is_some() {
            "updated"
        } else {
            "created"
        }
        .to_owned(),
        post_id: Some(saved.id),
        link: Some(saved.link),
        uploaded: pictures.fresh.len(),
        reused: pictures.reused,
        markup: None,
    })
}

/// The pictures of a post on the blog.
struct Uploaded {
    /// Their media items on the blog, by the `src` of the post's markup.
    urls: BTreeMap<String, rewrite::Media>,
    /// The media items uploaded now.
    fresh: Vec<u64>,
    reused: usize,
}

/// Draws the post's pictures and uploads those the blog does not hold (a recorded item is
/// checked to be still there).
fn upload_pictures(
    site: &Site,
    slug: &str,
    pictures: &[crate::render::post::PostPicture],
    client: &wordpress::Client,
    blog: &mut record::Blog,
) -> Result<Uploaded> {
    let fonts = site.fonts();
    let mut done = Uploaded {
        urls: BTreeMap::new(),
        fresh: Vec::new(),
        reused: 0,
    };
    for picture in pictures {
        let drawn = pictures::draw(slug, picture, &fonts, site.images())?;
        let known = match blog.media.get(&drawn.hash) {
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
                .upload(&drawn.name, "image/png", &drawn.png, &drawn.alt)
                .with_context(|| {
                    format!(
                        "could not upload the picture {} (the post was not changed)",
                        drawn.src
                    )
                })?;
            done.fresh.push(media.id);
            blog.media.insert(
                drawn.hash.clone(),
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
        done.urls.insert(drawn.src.clone(), media);
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_goes_only_over_https_or_to_this_machine() {
        for ok in [
            "https://blog.example/",
            "http://127.0.0.1:8089/",
            "http://localhost/",
            "http://[::1]:80/",
        ] {
            assert!(check_address(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://blog.example/",
            "http://127.0.0.1.evil.example/",
            "ftp://blog.example/",
            "blog.example",
        ] {
            assert!(check_address(refused).is_err(), "{refused}");
        }
    }
}
