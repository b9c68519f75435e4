//! The preview server's HTTP side, on axum: the host check, the live-reload route, and mapping
//! a URL path to a file of the built site in memory (and nothing else).

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::any;

use super::editor;
use super::livereload;
use super::{Served, Shared};

/// The preview's routes: the live-reload socket and the built files, behind the host check.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(livereload::ENDPOINT, any(websocket))
        .route(editor::SAVE, any(save_annotations))
        .route(editor::ORIGINAL, any(original_picture))
        .route(editor::SCRIPT_PATH, any(editor_script))
        .route(editor::STYLE_PATH, any(editor_style))
        .fallback(file)
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), guard))
        .with_state(shared)
}

/// Answers only requests for the hosts serve allows (see [`super::hosts`]).
async fn guard(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .map(|h| h.to_str().unwrap_or("?"));
    match host {
        None => plain(
            StatusCode::BAD_REQUEST,
            "a request needs a Host header\n".into(),
        ),
        Some(host) if !shared.hosts.allows_host(host) => plain(
            StatusCode::FORBIDDEN,
            format!(
                "tebiki serve answers only localhost, loopback addresses and the address it listens on, not `{host}`; to allow this name, start it with --allow-host {}\n",
                host.rsplit_once(':').map_or(host, |(name, _)| name)
            ),
        ),
        Some(_) => next.run(request).await,
    }
}

/// The live-reload WebSocket, for pages of allowed origins only.
async fn websocket(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("?");
        if !shared.hosts.allows_origin(origin) {
            return plain(
                StatusCode::FORBIDDEN,
                format!(
                    "the live-reload socket is only for pages of this preview, not for `{origin}`\n"
                ),
            );
        }
    }
    match upgrade {
        Ok(upgrade) => upgrade
            .max_message_size(livereload::MAX_MESSAGE)
            .max_frame_size(livereload::MAX_MESSAGE)
            .on_upgrade(move |socket| async move {
                livereload::serve_socket(socket, &shared.clients).await;
            }),
        Err(rejection) => plain(
            rejection.status(),
            format!(
                "{}: this address is the live-reload WebSocket of tebiki serve\n",
                rejection.body_text()
            ),
        ),
    }
}

/// A file of the built site (HTML pages get the live-reload script and, after a failed
/// build, the error overlay).
async fn file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "GET or HEAD only\n".into());
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let snapshot = shared.current();
    let found = site_path(uri.path())
        .and_then(|path| snapshot.files.get(&path).map(|body| (path, body.clone())));
    let Some((path, body)) = found else {
        // No good build yet: every page shows the problems, and reloads once they are fixed.
        if let (Some(errors), true) = (&snapshot.errors, wants_page(uri.path())) {
            let errors = Some((errors.as_str(), &*shared.localizer));
            let page = livereload::inject(livereload::NO_BUILD_PAGE, errors, "");
            return respond(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/html; charset=utf-8",
                Body::from(page),
            );
        }
        return plain(StatusCode::NOT_FOUND, "not found\n".into());
    };
    let content_type = content_type(&path);
    let body = match body {
        Served::Memory(bytes) => bytes,
        Served::Disk(file) => return from_disk(&file, content_type),
    };
    // Pages are kept with the live-reload script in them (see `files_of`).
    let body = match &snapshot.errors {
        Some(errors) if content_type.starts_with("text/html") => Body::from(
            livereload::with_overlay(&String::from_utf8_lossy(&body), errors, &shared.localizer),
        ),
        _ => Body::from(body),
    };
    respond(StatusCode::OK, content_type, body)
}

/// A large file served as it is, read in pieces as the answer is sent (never whole in memory).
fn from_disk(file: &std::path::Path, content_type: &'static str) -> Response {
    match crate::fs::open_regular(file) {
        Ok((opened, size)) => {
            let stream = tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(opened));
            let mut response = respond(StatusCode::OK, content_type, Body::from_stream(stream));
            response
                .headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from(size));
            response
        }
        Err(_) => plain(StatusCode::NOT_FOUND, "not found\n".into()),
    }
}

/// The editor's script (only while editing is on).
async fn editor_script(State(shared): State<Arc<Shared>>) -> Response {
    if !shared.editor.enabled() {
        return plain(StatusCode::NOT_FOUND, "not found\n".into());
    }
    respond(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        Body::from(editor::SCRIPT),
    )
}

/// The editor's style (only while editing is on).
async fn editor_style(State(shared): State<Arc<Shared>>) -> Response {
    if !shared.editor.enabled() {
        return plain(StatusCode::NOT_FOUND, "not found\n".into());
    }
    respond(
        StatusCode::OK,
        "text/css; charset=utf-8",
        Body::from(editor::STYLE),
    )
}

/// `POST /__tebiki/annotations`: a page of this preview saves a figure's annotations (see
/// [`editor`]). Refused: another method (405), over 64 KiB (413), without this run's token or
/// from another origin (403), editing off (403), not JSON of the contract (400).
async fn save_annotations(
    State(shared): State<Arc<Shared>>,
    method: Method,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let limit = (editor::MAX_BODY, "editor-too-large");
    let request: editor::SaveRequest =
        match editor_request(&shared, &method, &headers, body, limit).await {
            Ok(request) => request,
            Err(refused) => return refused,
        };
    let failed = shared.localizer.text("editor-save-failed");
    let saved = tokio::task::spawn_blocking(move || shared.editor.save(&request)).await;
    match saved {
        Ok((status, text)) => respond(status, "application/json", Body::from(text)),
        Err(_) => json(StatusCode::INTERNAL_SERVER_ERROR, &failed),
    }
}

/// The JSON request of an editor route: a POST of at most `limit.0` bytes (else the message
/// `limit.1`)
/// from a page of this preview ([`may_edit`]); else the answer that refuses it.
async fn editor_request<T: serde::de::DeserializeOwned>(
    shared: &Shared,
    method: &Method,
    headers: &HeaderMap,
    body: Body,
    limit: (usize, &'static str),
) -> Result<T, Response> {
    if method != Method::POST {
        let only = shared.localizer.text("editor-post-only");
        return Err(json(StatusCode::METHOD_NOT_ALLOWED, &only));
    }
    let Ok(bytes) = axum::body::to_bytes(body, limit.0).await else {
        let too_large = shared.localizer.text(limit.1);
        return Err(json(StatusCode::PAYLOAD_TOO_LARGE, &too_large));
    };
    may_edit(shared, headers)?;
    serde_json::from_slice(&bytes).map_err(|err| {
        let message = crate::i18n::msg!("editor-bad-request", error = err.to_string());
        json(StatusCode::BAD_REQUEST, &shared.localizer.format(&message))
    })
}

/// Whether a request comes from a page of this preview while editing is on: this run's
/// token in `X-Tebiki-Token` and the preview's own `Origin` (else the 403 to answer).
fn may_edit(shared: &Shared, headers: &HeaderMap) -> Result<(), Response> {
    if !shared.editor.enabled() {
        return Err(json(
            StatusCode::FORBIDDEN,
            &shared.localizer.text("editor-off"),
        ));
    }
    let token = headers
        .get("x-tebiki-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !shared.editor.token_is(token) {
        return Err(json(
            StatusCode::FORBIDDEN,
            &shared.localizer.text("editor-no-token"),
        ));
    }
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !shared.hosts.allows_origin(origin) {
        return Err(json(
            StatusCode::FORBIDDEN,
            &shared.localizer.text("editor-other-origin"),
        ));
    }
    Ok(())
}

/// `POST /__tebiki/original` with `{"figure"}`: the screenshot as the author dropped it in,
/// masks not burned in, for the editor only (the same token and origin as a save).
async fn original_picture(
    State(shared): State<Arc<Shared>>,
    method: Method,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let limit = (4096, "editor-request-too-long");
    let request: editor::OriginalRequest =
        match editor_request(&shared, &method, &headers, body, limit).await {
            Ok(request) => request,
            Err(refused) => return refused,
        };
    let failed = shared.localizer.text("editor-read-failed");
    let read = tokio::task::spawn_blocking(move || shared.editor.original(&request)).await;
    match read {
        Ok(Ok((picture, kind))) => respond(StatusCode::OK, kind, Body::from(picture)),
        Ok(Err((status, text))) => respond(status, "application/json", Body::from(text)),
        Err(_) => json(StatusCode::INTERNAL_SERVER_ERROR, &failed),
    }
}

/// A JSON answer `{"error": message}`.
fn json(status: StatusCode, message: &str) -> Response {
    let text = serde_json::json!({ "error": message }).to_string();
    respond(status, "application/json", Body::from(text))
}

/// Whether a path asks for a page (a folder or an `.html` file), not for an asset.
fn wants_page(path: &str) -> bool {
    path.ends_with('/') || content_type(path).starts_with("text/html")
}

/// A short plain-text answer.
fn plain(status: StatusCode, text: String) -> Response {
    respond(status, "text/plain; charset=utf-8", Body::from(text))
}

fn respond(status: StatusCode, content_type: &'static str, body: Body) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The site path a request target names (`/a/b/` → `a/b/index.html`), or `None` when it tries
/// to leave the site in any spelling: `..` (also percent-encoded), encoded slashes,
/// backslashes, absolute or drive paths, NUL bytes.
pub(crate) fn site_path(target: &str) -> Option<String> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    if !path.starts_with('/') {
        return None;
    }
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f")
        || lower.contains("%5c")
        || lower.contains("%00")
        || path.contains('\\')
    {
        return None;
    }
    let decoded = percent_decode(path)?;
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p if p.contains(':') || p.contains('\0') || p.contains('\\') => return None,
            p => parts.push(p),
        }
    }
    let mut rel = parts.join("/");
    if decoded.ends_with('/') || rel.is_empty() {
        if !rel.is_empty() {
            rel.push('/');
        }
        rel.push_str("index.html");
    }
    Some(rel)
}

/// `s` with its `%XX` escapes decoded (percent-encoding); `None` when an escape is malformed or
/// the result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let malformed = bytes.iter().enumerate().any(|(i, b)| {
        *b == b'%'
            && !bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if malformed {
        return None;
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
}

/// The Content-Type of a site path, by extension.
pub(crate) fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "gif" => "image/gif",
        "woff2" => "font/woff2",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_site_files() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/zaim-amazon/").as_deref(),
            Some("zaim-amazon/index.html")
        );
        assert_eq!(
            site_path("/zaim-amazon/?x=1#a").as_deref(),
            Some("zaim-amazon/index.html")
        );
        assert_eq!(
            site_path("/assets/tebiki.css").as_deref(),
            Some("assets/tebiki.css")
        );
        assert_eq!(site_path("/%E3%81%82.html").as_deref(), Some("あ.html"));
    }

    #[test]
    fn every_way_out_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/a%2f..%2f..%2fetc",
            "/..%5c..%5cetc",
            "/a\\..\\b",
            "//etc/passwd/..",
            "/C:/Windows",
            "etc/passwd",
            "/a%00.html",
            "/%zz",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }
}
