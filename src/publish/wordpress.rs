//! The WordPress REST API, as `tebiki publish` uses it: who the user is, media, posts.
//!
//! Requests go to `<url>?rest_route=/wp/v2/…`, which works with or without pretty permalinks.
//! The application password travels only in the `Authorization` header and appears in no
//! message: errors name the request (`GET /wp/v2/users/me`), never its headers.

use std::time::Duration;

use anyhow::{Result, anyhow};
use base64::Engine as _;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::i18n::{Message, msg, with_help};

/// How often an upload is tried before it counts as failed.
const UPLOAD_TRIES: u32 = 3;

/// A logged-in connection to one blog.
pub(crate) struct Client {
    agent: ureq::Agent,
    /// The blog's address, ending in `/`.
    base: String,
    auth: String,
    /// What must never be printed: the password (as given and without its spaces), the
    /// `user:password` pair and its Base64 form.
    secrets: Vec<String>,
}

/// What the REST API says about the user.
#[derive(Debug, Deserialize)]
pub(crate) struct Me {
    pub name: String,
    #[serde(default)]
    pub capabilities: std::collections::BTreeMap<String, bool>,
}

/// A post as the REST API gives it (`context=edit`).
#[derive(Debug, Deserialize)]
pub(crate) struct Post {
    pub id: u64,
    pub link: String,
    pub status: String,
    /// When it was last changed, by anyone (UTC, `2026-12-06T08:30:00`).
    #[serde(default)]
    pub modified_gmt: String,
    #[serde(default)]
    pub title: Raw,
    /// The block markup as the blog holds it (after its filters).
    #[serde(default)]
    pub content: Raw,
}

/// A field the REST API gives as `{"raw": …, "rendered": …}` in `context=edit`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Raw {
    #[serde(default)]
    pub raw: String,
}

/// A media item.
#[derive(Debug, Deserialize)]
pub(crate) struct Media {
    pub id: u64,
    pub source_url: String,
}

/// The error body of the REST API.
#[derive(Debug, Default, Deserialize)]
struct ApiError {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

impl Client {
    pub(crate) fn new(base: &str, user: &str, password: &str) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(120)))
            .timeout_connect(Some(Duration::from_secs(10)))
            .http_status_as_error(false)
            .build()
            .into();
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        let mut secrets = vec![
            format!("{user}:{password}"),
            token.clone(),
            password.to_owned(),
            password.replace(' ', ""),
        ];
        secrets.retain(|s| s.len() >= 4);
        Self {
            agent,
            base: base.to_owned(),
            auth: format!("Basic {token}"),
            secrets,
        }
    }

    /// `text` with every secret of this client replaced by `****`.
    pub(crate) fn mask(&self, text: &str) -> String {
        mask(text, &self.secrets)
    }

    /// `err` with every secret masked (the blog's answers may echo what was sent).
    fn masked(&self, err: &anyhow::Error) -> anyhow::Error {
        match err.downcast_ref::<Message>() {
            Some(message) if err.chain().count() == 1 => {
                anyhow::Error::new(message.map_texts(&|text| self.mask(text)))
            }
            _ => anyhow!("{}", self.mask(&format!("{err:#}"))),
        }
    }

    fn url(&self, route: &str, query: &[(&str, &str)]) -> String {
        let mut url = format!("{}?rest_route={}", self.base, route);
        for (k, v) in query {
            url.push('&');
            url.push_str(k);
            url.push('=');
            url.extend(utf8_percent_encode(v, NON_ALPHANUMERIC));
        }
        url
    }

    /// The logged-in user, with capabilities: the first request, which checks the password.
    pub(crate) fn me(&self) -> Result<Me> {
        self.get("/wp/v2/users/me", &[("context", "edit")])?
            .ok_or_else(|| anyhow::Error::new(msg!("wp-no-users-me")))
    }

    /// Post `id`, or `None` when it is gone (deleted, or in the trash).
    pub(crate) fn post(&self, id: u64) -> Result<Option<Post>> {
        let post: Option<Post> = self.get(&format!("/wp/v2/posts/{id}"), &[("context", "edit")])?;
        Ok(post.filter(|p| p.status != "trash"))
    }

    /// The post with `slug`, in any status but the trash.
    pub(crate) fn post_by_slug(&self, slug: &str) -> Result<Option<Post>> {
        let posts: Option<Vec<Post>> = self.get(
            "/wp/v2/posts",
            &[("slug", slug), ("status", "any"), ("context", "edit")],
        )?;
        Ok(posts.unwrap_or_default().into_iter().next())
    }

    /// Creates (`id: None`) or updates a post with `fields` (title, content, …).
    pub(crate) fn save_post(&self, id: Option<u64>, fields: &serde_json::Value) -> Result<Post> {
        let route = id.map_or_else(
            || "/wp/v2/posts".to_owned(),
            |id| format!("/wp/v2/posts/{id}"),
        );
        let what = format!("POST {route}");
        let response = self
            .agent
            .post(&self.url(&route, &[("context", "edit")]))
            .header("Authorization", &self.auth)
            .send_json(fields)
            .map_err(|e| self.masked(&transport(&what, &self.base, &e)))?;
        read(response, &what).map_err(|e| self.masked(&e))
    }

    /// Media item `id`, or `None` when it is gone.
    pub(crate) fn media(&self, id: u64) -> Result<Option<Media>> {
        self.get(&format!("/wp/v2/media/{id}"), &[("context", "edit")])
    }

    /// Uploads `bytes` as `name` (of `mime` type) with `alt`, trying again after a dropped
    /// connection or a server error.
    pub(crate) fn upload(&self, name: &str, mime: &str, bytes: &[u8], alt: &str) -> Result<Media> {
        let what = "POST /wp/v2/media";
        let url = self.url("/wp/v2/media", &[("alt_text", alt)]);
        let mut last = None;
        for attempt in 0..UPLOAD_TRIES {
            if attempt > 0 {
                std::thread::sleep(Duration::from_millis(500 << attempt));
            }
            let sent = self
                .agent
                .post(&url)
                .header("Authorization", &self.auth)
                .header("Content-Type", mime)
                .header(
                    "Content-Disposition",
                    format!("attachment; filename=\"{name}\""),
                )
                .send(bytes);
            match sent {
                Ok(response) if response.status().is_server_error() => {
                    last = Some(read::<Media>(response, what).err().unwrap_or_else(|| {
                        anyhow::Error::new(msg!("wp-server-error", what = what))
                    }));
                }
                Ok(response) => return read(response, what).map_err(|e| self.masked(&e)),
                Err(err) => last = Some(self.masked(&transport(what, &self.base, &err))),
            }
        }
        Err(last.unwrap_or_else(|| anyhow::Error::new(msg!("wp-failed", what = what))))
    }

    /// Attaches media item `id` to post `post` (it shows among the post's media).
    pub(crate) fn attach(&self, id: u64, post: u64) -> Result<()> {
        let route = format!("/wp/v2/media/{id}");
        let what = format!("POST {route}");
        let response = self
            .agent
            .post(&self.url(&route, &[]))
            .header("Authorization", &self.auth)
            .send_json(serde_json::json!({ "post": post }))
            .map_err(|e| self.masked(&transport(&what, &self.base, &e)))?;
        read::<Media>(response, &what).map(|_| ())
    }

    /// `GET route`: the value, or `None` for a 404 (a post or media item that is gone).
    fn get<T: DeserializeOwned>(&self, route: &str, query: &[(&str, &str)]) -> Result<Option<T>> {
        let what = format!("GET {route}");
        let response = self
            .agent
            .get(&self.url(route, query))
            .header("Authorization", &self.auth)
            .call()
            .map_err(|e| self.masked(&transport(&what, &self.base, &e)))?;
        if response.status() == 404 {
            return Ok(None);
        }
        read(response, &what).map_err(|e| self.masked(&e)).map(Some)
    }
}

/// The value of a response, or an error that says what to do.
fn read<T: DeserializeOwned>(
    mut response: ureq::http::Response<ureq::Body>,
    what: &str,
) -> Result<T> {
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .map_err(|e| {
            anyhow::Error::new(msg!("wp-unreadable", what = what, error = e.to_string()))
        })?;
    if (200..300).contains(&status) {
        return serde_json::from_str(&body).map_err(|e| {
            anyhow::Error::new(msg!("wp-not-wordpress", what = what, error = e.to_string()))
        });
    }
    let api: ApiError = serde_json::from_str(&body).unwrap_or_default();
    Err(anyhow::Error::new(http_problem(what, status, &api)))
}

/// `text` with each of `secrets` (longest first) replaced by `****`.
fn mask(text: &str, secrets: &[String]) -> String {
    let mut secrets: Vec<&String> = secrets.iter().collect();
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets.into_iter().fold(text.to_owned(), |text, secret| {
        text.replace(secret.as_str(), "****")
    })
}

/// What an HTTP error means for the author, and what to do.
fn http_problem(what: &str, status: u16, api: &ApiError) -> Message {
    let said = if api.message.is_empty() {
        String::new()
    } else {
        format!(" ({}: {})", api.code, api.message)
    };
    let help = match (status, api.code.as_str()) {
        (401, _) | (403, "incorrect_password" | "invalid_username") => "wp-refused-password-hint",
        (403, _) => "wp-forbidden-hint",
        (404, _) => "wp-no-api-hint",
        (413, _) | (400, "rest_upload_no_data") => "wp-too-large-hint",
        (500..=599, _) => "wp-server-failed-hint",
        _ => "wp-other-hint",
    };
    with_help(
        msg!("wp-http", what = what, status = status, said = said),
        Message::new(help),
    )
}

/// A request that got no answer.
fn transport(what: &str, base: &str, err: &ureq::Error) -> anyhow::Error {
    anyhow::Error::new(with_help(
        msg!(
            "wp-unreachable",
            what = what,
            base = base,
            error = err.to_string()
        ),
        msg!("wp-unreachable-hint"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead as _, BufReader, Write as _};

    /// A blog whose error answer echoes the Authorization header and the password it was sent:
    /// what tebiki prints of it has them masked.
    #[test]
    fn what_the_blog_echoes_is_printed_with_the_secrets_masked() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut auth = String::new();
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                if let Some(v) = line.strip_prefix("authorization: ") {
                    auth = v.trim().to_owned();
                }
            }
            let body = format!(
                r#"{{"code":"rest_forbidden","message":"denied for {auth} (password abcd efgh ijkl, abcdefghijkl)"}}"#
            );
            let mut stream = stream;
            write!(
                stream,
                "HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
            auth
        });
        let client = Client::new(&format!("http://127.0.0.1:{port}/"), "me", "abcd efgh ijkl");
        let err = format!("{:#}", client.me().unwrap_err());
        let auth = server.join().unwrap();
        assert!(auth.starts_with("Basic "), "{auth}");
        assert!(err.contains("HTTP 401") && err.contains("****"), "{err}");
        for secret in [
            "abcd efgh ijkl",
            "abcdefghijkl",
            auth.trim_start_matches("Basic "),
        ] {
            assert!(!err.contains(secret), "`{secret}` in: {err}");
        }
    }
}
