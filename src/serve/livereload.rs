//! Live reload: a WebSocket at `/__tebiki/livereload` that tells every open page to reload (or
//! only to swap stylesheets), the script serve injects into HTML responses (never into `build`
//! output or templates), and the error overlay shown while the last build failed.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::http::Request;
use crate::escape::html_text;

/// The path the injected script connects to.
pub(crate) const ENDPOINT: &str = "/__tebiki/livereload";

/// The open pages, each a channel to its connection's thread.
#[derive(Debug, Default)]
pub(crate) struct Clients {
    senders: Mutex<Vec<Sender<String>>>,
}

impl Clients {
    /// Sends `message` to every open page; forgets the ones that went away.
    pub(crate) fn broadcast(&self, message: &str) -> usize {
        let mut senders = self
            .senders
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        senders.retain(|s| s.send(message.to_owned()).is_ok());
        senders.len()
    }

    fn join(&self) -> Receiver<String> {
        let (tx, rx) = channel();
        self.senders
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(tx);
        rx
    }
}

/// Completes the WebSocket handshake and forwards broadcasts until the page goes away.
pub(crate) fn serve_socket(
    mut stream: TcpStream,
    request: &Request,
    clients: &Arc<Clients>,
) -> std::io::Result<()> {
    let Some(key) = request.header("Sec-WebSocket-Key") else {
        return super::http::respond(
            &mut stream,
            "400 Bad Request",
            "text/plain",
            b"websocket only",
            false,
        );
    };
    let accept = accept_key(key);
    write!(
        stream,
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"
    )?;
    stream.flush()?;
    let messages = clients.join();
    // A reader notices when the page closes the connection.
    let mut reader = stream.try_clone()?;
    let closed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let closed_by_reader = Arc::clone(&closed);
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        while matches!(reader.read(&mut buf), Ok(n) if n > 0) {}
        closed_by_reader.store(true, std::sync::atomic::Ordering::Relaxed);
    });
    send_text(&mut stream, "hello")?;
    loop {
        match messages.recv_timeout(Duration::from_secs(20)) {
            Ok(message) => send_text(&mut stream, &message)?,
            // A ping keeps proxies and sleeping tabs honest; a failed write ends the thread.
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => send_text(&mut stream, "ping")?,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        }
        if closed.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(());
        }
    }
}

/// `Sec-WebSocket-Accept` for a client's key (RFC 6455).
pub(crate) fn accept_key(key: &str) -> String {
    let mut sha = sha1_smol::Sha1::new();
    sha.update(key.trim().as_bytes());
    sha.update(b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    base64(&sha.digest().bytes())
}

fn send_text(stream: &mut TcpStream, text: &str) -> std::io::Result<()> {
    let payload = text.as_bytes();
    let mut frame = vec![0x81];
    match payload.len() {
        n if n < 126 => frame.push(u8::try_from(n).unwrap_or(125)),
        n if n < 65_536 => {
            frame.push(126);
            frame.extend_from_slice(&u16::try_from(n).unwrap_or(u16::MAX).to_be_bytes());
        }
        n => {
            frame.push(127);
            frame.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    frame.extend_from_slice(payload);
    stream.write_all(&frame)?;
    stream.flush()
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
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

/// Adds the live-reload script (and the error overlay, when the last build failed) to a page.
pub(crate) fn inject(html: &str, errors: Option<&str>) -> String {
    let mut extra = String::from(SCRIPT);
    if let Some(errors) = errors {
        extra.push_str(&overlay(errors));
    }
    match html.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &html[..at], &html[at..]),
        None => format!("{html}{extra}"),
    }
}

/// The overlay listing the build's problems, as the terminal shows them.
pub(crate) fn overlay(errors: &str) -> String {
    format!(
        r#"<div id="tebiki-error-overlay" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgb(20 20 24 / 0.94);color:#fff;padding:1.5rem;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace"><p style="margin:0 0 1rem;font:700 18px/1.4 system-ui,sans-serif;color:#ff8a80">The last build failed; this is the previous good version. Fix the problems below and save.</p><pre style="white-space:pre-wrap;margin:0">{}</pre></div>"#,
        html_text(errors)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_key_matches_rfc_6455() {
        assert_eq!(
            accept_key("dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn script_and_overlay_go_before_the_end_of_body() {
        let page = inject("<html><body><p>x</p></body></html>", Some("error: <bad>"));
        let at = page.find("</body>").unwrap();
        assert!(page[..at].contains("data-tebiki-livereload"));
        assert!(page[..at].contains("error: &lt;bad&gt;"));
        assert!(!inject("<body></body>", None).contains("tebiki-error-overlay"));
    }
}
