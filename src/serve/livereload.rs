//! Live reload: a WebSocket at `/__tebiki/livereload` that tells every open page to reload (or
//! only to swap stylesheets), the script serve injects into HTML responses (never into `build`
//! output or templates), and the error overlay shown while the last build failed. The
//! WebSocket itself (handshake, framing, close and ping frames) is axum's.

use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use tokio::sync::broadcast;

use crate::escape::html_text;
use crate::i18n::Localizer;

/// The path the injected script connects to.
pub(crate) const ENDPOINT: &str = "/__tebiki/livereload";

/// The largest message or frame a page may send (pages send nothing but control frames).
pub(crate) const MAX_MESSAGE: usize = 4 * 1024;

/// How often an idle socket gets a `ping` (keeps proxies and sleeping tabs honest).
const PING_EVERY: Duration = Duration::from_secs(20);

/// The open pages: each socket task holds a receiver of this channel.
#[derive(Debug)]
pub(crate) struct Clients {
    sender: broadcast::Sender<&'static str>,
}

impl Default for Clients {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(16).0,
        }
    }
}

impl Clients {
    /// Sends `message` to every open page; returns how many there are.
    pub(crate) fn broadcast(&self, message: &'static str) -> usize {
        self.sender.send(message).unwrap_or(0)
    }

    fn join(&self) -> broadcast::Receiver<&'static str> {
        self.sender.subscribe()
    }
}

/// Talks to one page: `hello`, then every broadcast, and a `ping` when idle; ends when the page
/// closes the socket (its close frame is answered) or the server stops (`bye`).
pub(crate) async fn serve_socket(mut socket: WebSocket, clients: &Clients) {
    let mut messages = clients.join();
    if socket.send(Message::Text("hello".into())).await.is_err() {
        return;
    }
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
    loop {
        let outgoing = tokio::select! {
            message = messages.recv() => match message {
                Ok(text) => text,
                // Missed messages: whatever they were, a reload shows the current site.
                Err(broadcast::error::RecvError::Lagged(_)) => "reload",
                Err(broadcast::error::RecvError::Closed) => "bye",
            },
            incoming = socket.recv() => match incoming {
                // The library answers pings and close frames; the stream ends after a close.
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return,
            },
            _ = ping.tick() => "ping",
        };
        if socket.send(Message::Text(outgoing.into())).await.is_err() {
            return;
        }
        if outgoing == "bye" {
            let _ = socket.send(Message::Close(None)).await;
            return;
        }
    }
}

/// The script injected before `</body>` of every served page: reconnects by itself, restores
/// the scroll position after a reload, swaps stylesheets on a CSS-only change.
const SCRIPT: &str = r#"<script data-tebiki-livereload>
(function () {
  var key = "tebiki-scroll:" + location.pathname;
  try {
    var saved = JSON.parse(sessionStorage.getItem(key) || "null");
    if (saved) {
      sessionStorage.removeItem(key);
      var restore = function () { window.scrollTo(0, saved.y); };
      if (document.readyState === "complete") restore(); else addEventListener("load", restore);
    }
  } catch (e) {}
  var delay = 250;
  function connect() {
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__tebiki/livereload");
    ws.onopen = function () { delay = 250; };
    ws.onmessage = function (event) {
      if (event.data === "reload") {
        try { sessionStorage.setItem(key, JSON.stringify({ y: window.scrollY })); } catch (e) {}
        location.reload();
      } else if (event.data === "css") {
        document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
          var url = new URL(link.href);
          url.searchParams.set("tebiki", String(Date.now()));
          link.href = url.toString();
        });
      }
    };
    ws.onclose = function () {
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 4000);
    };
  }
  connect();
})();
</script>"#;

/// What a page shows while there has been no good build to serve: only the overlay.
pub(crate) const NO_BUILD_PAGE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>tebiki: the build failed</title></head><body></body></html>";

/// Adds the live-reload script (and the error overlay, when the last build failed) to a page,
/// and `head` (the annotation editor's token, style and script) before its `</head>`.
/// The overlay's heading is in `l`'s language, with `errors` (rendered by the same localizer).
pub(crate) fn inject(html: &str, errors: Option<(&str, &Localizer)>, head: &str) -> String {
    let first = html == NO_BUILD_PAGE;
    let mut extra = String::from(SCRIPT);
    if let Some((errors, l)) = errors {
        extra.push_str(&overlay(errors, first, l));
    }
    let html = match (head.is_empty(), html.find("</head>")) {
        (false, Some(at)) => format!("{}{head}{}", &html[..at], &html[at..]),
        _ => html.to_owned(),
    };
    match html.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &html[..at], &html[at..]),
        None => format!("{html}{extra}"),
    }
}

/// Adds the error overlay to a page that has the live-reload script already.
pub(crate) fn with_overlay(html: &str, errors: &str, l: &Localizer) -> String {
    let extra = overlay(errors, false, l);
    match html.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &html[..at], &html[at..]),
        None => format!("{html}{extra}"),
    }
}

/// The overlay listing the build's problems, as the terminal shows them: white on near-black,
/// whatever the page's own style does to `<pre>` (the default theme gives it a light grey box).
/// `first`: no build has succeeded yet, so there is no previous version underneath.
pub(crate) fn overlay(errors: &str, first: bool, l: &Localizer) -> String {
    let title = l.text(if first {
        "overlay-first-failed"
    } else {
        "overlay-last-failed"
    });
    let title = html_text(&title);
    let lang = l.lang().tag();
    format!(
        r#"<div id="tebiki-error-overlay" lang="{lang}" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgb(20 20 24 / 0.94);color:#fff;padding:1.5rem;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace"><p style="margin:0 0 1rem;font:700 18px/1.4 system-ui,sans-serif;color:#ff8a80">{title}</p><pre style="white-space:pre-wrap;margin:0;padding:0;border:0;background:none;color:#fff;font:inherit;overflow:visible">{}</pre></div>"#,
        html_text(errors)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_and_overlay_go_before_the_end_of_body() {
        let page = inject(
            "<html><body><p>x</p></body></html>",
            Some(("error: <bad>", &Localizer::new(crate::i18n::Lang::En))),
            "",
        );
        let at = page.find("</body>").unwrap();
        assert!(page[..at].contains("data-tebiki-livereload"));
        assert!(page[..at].contains("error: &lt;bad&gt;"));
        assert!(!inject("<body></body>", None, "").contains("tebiki-error-overlay"));
    }
}
