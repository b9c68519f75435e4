//! `.tebiki/publish.yaml`: which post each guide became on each blog, and which pictures were
//! uploaded there (by the SHA-256 of their bytes). Meant to be committed with the site, so that
//! a re-run from another checkout updates the same post. It holds no secret.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};

/// The record's place in a site.
pub(crate) const RECORD_FILE: &str = ".tebiki/publish.yaml";

/// Everything published, by blog address.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Record {
    #[serde(default)]
    pub wordpress: BTreeMap<String, Blog>,
}

/// What one blog holds of the site.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Blog {
    /// By guide slug.
    #[serde(default)]
    pub posts: BTreeMap<String, PostRecord>,
    /// By the SHA-256 (hex) of the uploaded bytes.
    #[serde(default)]
    pub media: BTreeMap<String, MediaRecord>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PostRecord {
    pub id: u64,
    pub link: String,
    /// The post's `modified_gmt` after tebiki last wrote it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub modified_gmt: String,
    /// SHA-256 of the post's title and markup as the blog held them after tebiki last wrote
    /// it ([`post_hash`]): another hash now means someone edited the post on the blog.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub content_sha256: String,
}

/// The hash a post's title and markup are compared by.
pub(crate) fn post_hash(title: &str, content: &str) -> String {
    use sha2::{Digest as _, Sha256};
    let mut h = Sha256::new();
    h.update(title.as_bytes());
    h.update([0]);
    h.update(content.as_bytes());
    format!("{:x}", h.finalize())
}

/// Where the markup of a post as last published is kept (to show what an edit on the blog
/// changed): `.tebiki/published/<blog host>/<slug>.html`.
pub(crate) fn published_copy(root: &Path, blog: &str, slug: &str) -> PathBuf {
    let host: String = blog
        .split("://")
        .nth(1)
        .unwrap_or(blog)
        .trim_end_matches('/')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    root.join(".tebiki/published")
        .join(host)
        .join(format!("{slug}.html"))
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MediaRecord {
    pub id: u64,
    pub url: String,
}

impl Record {
    /// The record of the site at `root` (empty when there is none yet).
    pub(crate) fn read(root: &Path) -> Result<Self> {
        let path = root.join(RECORD_FILE);
        if let Err(err) = crate::fs::metadata(&path)
            && err.kind() == std::io::ErrorKind::NotFound
        {
            return Ok(Self::default());
        }
        let text = crate::fs::read_to_string(&path)?;
        serde_yaml::from_str(&text)
            .with_context(|| crate::i18n::msg!("publish-record-invalid", file = RECORD_FILE))
    }

    /// Writes the record (atomically: a killed run leaves the old one).
    pub(crate) fn write(&self, root: &Path) -> Result<PathBuf> {
        let path = root.join(RECORD_FILE);
        let yaml =
            serde_yaml::to_string(self).context(crate::i18n::msg!("publish-record-write"))?;
        let text = format!(
            "# Written by `tebiki publish`: the post each guide became and the pictures uploaded.\n# Commit it with the site; it holds no password.\n{yaml}"
        );
        if let Some(dir) = path.parent() {
            crate::fs::create_dir_all(dir)?;
        }
        crate::fs::write_atomic(&path, text)?;
        Ok(path)
    }
}
