//! `tebiki serve` with the real binary on a copy of the bundled site, over real loopback sockets.
//!
//! Each test starts its own server (`--port 0`), reads the URL it prints, and talks to it with
//! raw `TcpStream`s: plain HTTP requests (so that no client library normalises the paths of the
//! traversal attempts) and a minimal WebSocket client for `/__tebiki/livereload` (handshake with a
//! fixed key, then unmasked text frames from the server). Every read has a timeout and every wait
//! a deadline; the server is killed when its guard is dropped, also when a test fails.
//!
//! Run with `cargo test --test serve -- --nocapture` to see the measured reload latencies.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

mod common;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead as _, BufReader, ErrorKind, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use scraper::{Html, Selector};
use tempfile::TempDir;

/// How long the server may take to build the site and print its URL.
const START: Duration = Duration::from_secs(60);
/// How long a saved edit may take to reach a WebSocket client as a message.
const RELOAD: Duration = Duration::from_secs(10);
/// The timeout of every HTTP exchange.
const IO: Duration = Duration::from_secs(10);
/// The bundled guide's slug.
const SLUG: &str = "zaim-amazon";
/// The step the tests edit, relative to the site root.
const STEP_FILE: &str = "content/zaim-amazon/steps/pause.md";
/// The stylesheet of the default theme, relative to the site root.
const CSS_FILE: &str = "themes/default/static/assets/tebiki.css";
/// A sentence of the step's body, replaced by the edits.
const SENTENCE: &str = "Zaimの画面は閉じずに、このままにしておきます。";
/// The WebSocket key of RFC 6455's example, and the accept value the server must answer with.
const WS_KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";
const WS_ACCEPT: &str = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
/// What the injected live-reload script starts and ends with.
const SCRIPT_START: &str = "<script data-tebiki-livereload>";
const SCRIPT_END: &str = "</script>";

// ---------------------------------------------------------------------------------------------
// The site and the server
// ---------------------------------------------------------------------------------------------

fn tebiki() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tebiki"));
    command.env("LC_ALL", "C");
    command
}

/// A copy of the bundled site's sources (`site.yaml`, `content/`, `themes/`) in a temporary
/// folder; the path is canonical, as the server reports it.
struct SiteCopy {
    _tmp: TempDir,
    root: PathBuf,
}

impl SiteCopy {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().canonicalize().unwrap().join("site");
        common::copy_bundled_site(&root);
        Self { _tmp: tmp, root }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    fn write(&self, rel: &str, text: &str) {
        fs::write(self.path(rel), text).unwrap();
    }

    /// Replaces the one occurrence of `from` in `rel` with `to`.
    fn replace(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert_eq!(text.matches(from).count(), 1, "{from:?} once in {rel}");
        self.write(rel, &text.replacen(from, to, 1));
    }
}

/// A running `tebiki serve`; killed when dropped.
struct Server {
    child: Child,
    port: u16,
    url: String,
    /// Everything the server printed so far (stdout and stderr), for failure messages.
    log: Arc<Mutex<String>>,
    /// Stdout lines after the "serving" line.
    lines: Receiver<String>,
    readers: Vec<JoinHandle<()>>,
}

impl Server {
    /// Starts `tebiki serve --root <root> --port 0` and waits for its URL.
    fn start(root: &Path) -> Self {
        Self::with_args(root, &[])
    }

    /// Starts `tebiki serve --root <root> --port 0 <args…>` and waits for its URL.
    fn with_args(root: &Path, args: &[&str]) -> Self {
        let mut command = tebiki();
        command
            .arg("serve")
            .arg("--root")
            .arg(root)
            .args(["--port", "0"])
            .args(args);
        Self::spawn(command)
    }

    /// Starts `command` (a `tebiki serve` with its arguments) and waits until it prints
    /// `serving <root> at <url> (Ctrl-C to stop)` (or, in Japanese, `<root> を <url> で表示して
    /// います(Ctrl-C で停止)`).
    fn spawn(mut command: Command) -> Self {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tebiki serve starts");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, lines) = channel();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let out_log = Arc::clone(&log);
        let err_log = Arc::clone(&log);
        let readers = vec![
            thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    let _ = writeln!(out_log.lock().unwrap(), "{line}");
                    let _ = tx.send(line);
                }
            }),
            thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    let _ = writeln!(err_log.lock().unwrap(), "[stderr] {line}");
                }
            }),
        ];
        let mut server = Self {
            child,
            port: 0,
            url: String::new(),
            log,
            lines,
            readers,
        };
        let line = server
            .wait_line(START, |line| line.contains(" http://"))
            .unwrap_or_else(|| panic!("no `serving … at URL` line:\n{}", server.log()));
        let url = line
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"));
        assert!(
            line.starts_with("serving ") && line.ends_with("(Ctrl-C to stop)")
                || line.ends_with("で表示しています(Ctrl-C で停止)"),
            "{line}"
        );
        let port = url
            .strip_prefix("http://127.0.0.1:")
            .and_then(|p| p.strip_suffix('/'))
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("not a loopback URL with a port: {url}"));
        url.clone_into(&mut server.url);
        server.port = port;
        server
    }

    /// Waits for a stdout line matching `wanted`; `None` when `timeout` passed or stdout ended.
    fn wait_line(&self, timeout: Duration, wanted: impl Fn(&str) -> bool) -> Option<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if wanted(&line) => return Some(line),
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn get(&self, target: &str) -> Response {
        http(self.port, "GET", target)
    }

    /// GETs an HTML page, asserting 200, and parses it.
    fn page(&self, target: &str) -> (String, Html) {
        let response = self.get(target);
        assert_eq!(response.status, 200, "GET {target}\n{}", self.log());
        let text = String::from_utf8(response.body).expect("UTF-8 HTML");
        let html = Html::parse_document(&text);
        (text, html)
    }

    fn websocket(&self) -> WebSocket {
        let mut ws = WebSocket::connect(self.port);
        self.expect_message(&mut ws, "hello", RELOAD);
        ws
    }

    /// The next message other than `ping` within `timeout`, and how long it took.
    fn next_message(&self, ws: &mut WebSocket, timeout: Duration) -> Option<(String, Duration)> {
        let started = Instant::now();
        loop {
            let left = timeout.saturating_sub(started.elapsed());
            match ws.next(left) {
                Frame::Text(text) if text == "ping" => {}
                Frame::Text(text) => return Some((text, started.elapsed())),
                Frame::Timeout => return None,
                Frame::Closed => panic!("the live-reload socket closed\n{}", self.log()),
            }
        }
    }

    /// Asserts that the next message (pings aside) is `wanted`, within `timeout`; returns the time.
    fn expect_message(&self, ws: &mut WebSocket, wanted: &str, timeout: Duration) -> Duration {
        match self.next_message(ws, timeout) {
            Some((text, took)) => {
                assert_eq!(text, wanted, "live-reload message\n{}", self.log());
                took
            }
            None => panic!(
                "no {wanted:?} on the live-reload socket within {timeout:?}\n{}",
                self.log()
            ),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `method target` as written (no normalisation) and reads the whole response.
fn http(port: u16, method: &str, target: &str) -> Response {
    raw_request(
        port,
        &format!(
            "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
        ),
    )
}

/// Sends `request` and reads until the server closes the connection (it always does), within
/// `IO`; checks that the body is as long as `Content-Length` says (HEAD: no body).
fn raw_request(port: u16, request: &str) -> Response {
    let deadline = Instant::now() + IO;
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_write_timeout(Some(IO)).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(
            !left.is_zero(),
            "no complete response to {request:?} within {IO:?}"
        );
        stream.set_read_timeout(Some(left)).unwrap();
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(err) if err.kind() == ErrorKind::Interrupted => {}
            // A reset after the whole response was sent still leaves a whole response.
            Err(err) if err.kind() == ErrorKind::ConnectionReset && !bytes.is_empty() => break,
            Err(err) => panic!("reading the response to {request:?}: {err}"),
        }
    }
    let end = find(&bytes, b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head: {:?}", String::from_utf8_lossy(&bytes)));
    let head = String::from_utf8(bytes[..end].to_vec()).expect("ASCII head");
    let mut head_lines = head.split("\r\n");
    let status_line = head_lines.next().unwrap();
    let status = status_line
        .strip_prefix("HTTP/1.1 ")
        .and_then(|s| s.get(..3))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line {status_line:?}"));
    let headers = head_lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let response = Response {
        status,
        headers,
        body: bytes[end + 4..].to_vec(),
    };
    if !request.starts_with("HEAD ") {
        let length: usize = response
            .header("Content-Length")
            .and_then(|v| v.parse().ok())
            .expect("Content-Length");
        assert_eq!(response.body.len(), length, "body length of {request:?}");
    }
    response
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------------------------
// A minimal WebSocket client
// ---------------------------------------------------------------------------------------------

/// What the next frame was.
#[derive(Debug, PartialEq, Eq)]
enum Frame {
    Text(String),
    Timeout,
    Closed,
}

struct WebSocket {
    stream: TcpStream,
    /// Bytes received and not yet parsed into frames.
    buf: Vec<u8>,
}

impl WebSocket {
    /// Connects to `/__tebiki/livereload` and completes the handshake.
    fn connect(port: u16) -> Self {
        let deadline = Instant::now() + IO;
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.set_write_timeout(Some(IO)).unwrap();
        write!(
            stream,
            "GET /__tebiki/livereload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {WS_KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        .unwrap();
        let mut ws = Self {
            stream,
            buf: Vec::new(),
        };
        let end = loop {
            if let Some(end) = find(&ws.buf, b"\r\n\r\n") {
                break end;
            }
            assert!(
                ws.fill(deadline),
                "no WebSocket handshake answer within {IO:?}: {:?}",
                String::from_utf8_lossy(&ws.buf)
            );
        };
        let head = String::from_utf8(ws.buf[..end].to_vec()).unwrap();
        ws.buf.drain(..end + 4);
        assert!(
            head.starts_with("HTTP/1.1 101 "),
            "handshake answer: {head}"
        );
        let header = |name: &str| {
            head.lines()
                .filter_map(|l| l.split_once(':'))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim().to_owned())
        };
        assert_eq!(
            header("Sec-WebSocket-Accept").as_deref(),
            Some(WS_ACCEPT),
            "{head}"
        );
        assert!(
            header("Upgrade").is_some_and(|v| v.eq_ignore_ascii_case("websocket")),
            "{head}"
        );
        ws
    }

    /// Reads more bytes before `deadline`; false on timeout or when the server closed.
    fn fill(&mut self, deadline: Instant) -> bool {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        self.stream.set_read_timeout(Some(left)).unwrap();
        let mut chunk = [0u8; 4096];
        match self.stream.read(&mut chunk) {
            Ok(0) => false,
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                true
            }
            Err(err)
                if matches!(
                    err.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) =>
            {
                true
            }
            Err(_) => false,
        }
    }

    /// The next text message within `timeout` (control frames other than close are skipped).
    fn next(&mut self, timeout: Duration) -> Frame {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some((length, opcode, payload)) = parse_frame(&self.buf) {
                self.buf.drain(..length);
                match opcode {
                    0x1 => return Frame::Text(String::from_utf8(payload).expect("UTF-8 text")),
                    0x8 => return Frame::Closed,
                    0x9 | 0xA => continue,
                    other => panic!("unexpected WebSocket opcode {other:#x}"),
                }
            }
            if Instant::now() >= deadline {
                return Frame::Timeout;
            }
            let before = self.buf.len();
            if !self.fill(deadline) && self.buf.len() == before {
                return if Instant::now() >= deadline {
                    Frame::Timeout
                } else {
                    Frame::Closed
                };
            }
        }
    }
}

/// One complete frame at the start of `buf`: its length in bytes, opcode and payload; `None`
/// while incomplete. Server frames are unmasked and unfragmented.
fn parse_frame(buf: &[u8]) -> Option<(usize, u8, Vec<u8>)> {
    let (&first, &second) = (buf.first()?, buf.get(1)?);
    assert!(first & 0x80 != 0, "fragmented WebSocket frame");
    assert!(second & 0x80 == 0, "a server must not mask its frames");
    let (length, start) = match second & 0x7f {
        126 => (
            usize::from(u16::from_be_bytes(buf.get(2..4)?.try_into().ok()?)),
            4,
        ),
        127 => {
            let length = u64::from_be_bytes(buf.get(2..10)?.try_into().ok()?);
            (usize::try_from(length).expect("frame length fits"), 10)
        }
        short => (usize::from(short), 2),
    };
    let payload = buf.get(start..start + length)?;
    Some((start + length, first & 0x0f, payload.to_vec()))
}

#[test]
fn the_frame_parser_reads_every_length_form() {
    let text = |n: usize| "あ".repeat(n).into_bytes();
    let short = [&[0x81, 3][..], &text(1)].concat();
    assert_eq!(parse_frame(&short), Some((5, 1, text(1))));
    let medium_payload = text(100);
    let medium = [&[0x81, 126, 1, 44][..], &medium_payload].concat();
    assert_eq!(parse_frame(&medium), Some((304, 1, medium_payload)));
    let long_payload = text(30_000);
    let mut long = vec![0x81, 127];
    long.extend_from_slice(&(90_000u64).to_be_bytes());
    long.extend_from_slice(&long_payload);
    assert_eq!(parse_frame(&long), Some((90_010, 1, long_payload)));
    assert_eq!(parse_frame(&long[..5000]), None, "incomplete");
    assert_eq!(parse_frame(&[0x88, 0]), Some((2, 8, Vec::new())));
}

// ---------------------------------------------------------------------------------------------
// Helpers on pages
// ---------------------------------------------------------------------------------------------

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

/// The text of `article#<id>` on the guide page.
fn step_text(server: &Server, id: &str) -> String {
    let (_, html) = server.page(&format!("/{SLUG}/"));
    let articles = select(&html, &format!("article#{id}"));
    assert_eq!(articles.len(), 1, "one article#{id}");
    articles[0].text().collect()
}

fn overlay_text(html: &Html) -> Option<String> {
    select(html, "#tebiki-error-overlay")
        .first()
        .map(|e| e.text().collect())
}

/// `html` without the injected live-reload script (asserting it is there exactly once, at the
/// end of `<body>`).
fn without_script(html: &str) -> String {
    assert_eq!(
        html.matches(SCRIPT_START).count(),
        1,
        "one live-reload script"
    );
    let start = html.find(SCRIPT_START).unwrap();
    let end = start + html[start..].find(SCRIPT_END).unwrap() + SCRIPT_END.len();
    assert!(
        html[end..].trim_start().starts_with("</body>"),
        "the script ends the body"
    );
    without_editor(&format!("{}{}", &html[..start], &html[end..]))
}

/// `html` without what serve adds for the annotation editor: the token, style and script in
/// the head, and the `data-tebiki-*` attributes of the figures.
fn without_editor(html: &str) -> String {
    let mut out = html.to_owned();
    if let Some(start) = out.find(r#"<meta name="tebiki-token""#) {
        let end_tag = r#"<script src="/__tebiki/editor.js" defer></script>"#;
        let end = start + out[start..].find(end_tag).expect("the editor's script") + end_tag.len();
        out.replace_range(start..end, "");
    }
    for attribute in [
        " data-tebiki-figure=\"",
        " data-tebiki-version=\"",
        " data-tebiki-annotations=\"",
        " data-tebiki-lost=\"",
        " data-tebiki-size=\"",
        " data-tebiki-mockup=\"",
    ] {
        while let Some(start) = out.find(attribute) {
            let value = start + attribute.len();
            let end = value + out[value..].find('"').unwrap() + 1;
            out.replace_range(start..end, "");
        }
    }
    out
}

/// Every file under `dir`, as `/`-separated paths relative to it.
fn files_under(dir: &Path) -> BTreeSet<String> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                walk(base, &entry.path(), out);
            } else {
                let rel = entry.path().strip_prefix(base).unwrap().to_path_buf();
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(dir, dir, &mut out);
    out
}

/// The site path a page's link names: `figures/a.svg` on `zaim-amazon/index.html` →
/// `zaim-amazon/figures/a.svg`; `None` for other sites, data URLs and fragments.
fn resolve_link(page: &str, link: &str, base_url: &str) -> Option<String> {
    let link = link.split(['#', '?']).next().unwrap_or("");
    if link.is_empty() || link.starts_with("data:") || link.starts_with("mailto:") {
        return None;
    }
    let (mut parts, rest): (Vec<&str>, &str) = if let Some(rest) = link.strip_prefix(base_url) {
        (Vec::new(), rest)
    } else if link.contains("://") || link.starts_with("//") {
        return None;
    } else if let Some(rest) = link.strip_prefix('/') {
        (Vec::new(), rest)
    } else {
        let mut dir: Vec<&str> = page.split('/').collect();
        dir.pop();
        (dir, link)
    };
    for part in rest.split('/') {
        match part {
            "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut path = parts.join("/");
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    Some(path)
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

/// Pages and files are served from memory with the right headers; HEAD; nothing on disk.
#[test]
fn serves_pages_and_files_from_memory_with_the_right_headers() {
    let site = SiteCopy::new();
    let before: BTreeSet<_> = fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let server = Server::start(&site.root);

    let (_, guide) = server.page(&format!("/{SLUG}/"));
    let figure = select(&guide, "img[src$='.svg']")
        .first()
        .and_then(|img| img.value().attr("src"))
        .map(|src| format!("/{SLUG}/{}", src.trim_start_matches("./")))
        .expect("the guide page shows mock-up figures");
    assert!(
        figure.starts_with(&format!("/{SLUG}/figures/")),
        "a figure under /{SLUG}/figures/: {figure}"
    );

    let cases = [
        ("/", "text/html; charset=utf-8"),
        ("/zaim-amazon/", "text/html; charset=utf-8"),
        ("/troubleshooting/", "text/html; charset=utf-8"),
        ("/assets/tebiki.css", "text/css; charset=utf-8"),
        (figure.as_str(), "image/svg+xml"),
    ];
    for (target, content_type) in cases {
        let get = server.get(target);
        assert_eq!(get.status, 200, "GET {target}\n{}", server.log());
        assert_eq!(get.header("Content-Type"), Some(content_type), "{target}");
        assert_eq!(get.header("Cache-Control"), Some("no-cache"), "{target}");
        assert!(!get.body.is_empty(), "{target} has a body");

        let head = http(server.port, "HEAD", target);
        assert_eq!(head.status, 200, "HEAD {target}");
        assert_eq!(
            head.header("Content-Type"),
            Some(content_type),
            "HEAD {target}"
        );
        assert_eq!(
            head.header("Cache-Control"),
            Some("no-cache"),
            "HEAD {target}"
        );
        assert_eq!(
            head.header("Content-Length"),
            Some(get.body.len().to_string().as_str()),
            "HEAD {target} announces the GET body's length"
        );
        assert!(head.body.is_empty(), "HEAD {target} sent a body");

        if content_type.starts_with("text/html") {
            let html = Html::parse_document(&get.text());
            let scripts = select(&html, "body > script[data-tebiki-livereload]");
            assert_eq!(
                scripts.len(),
                1,
                "{target}: one injected live-reload script"
            );
            let script: String = scripts[0].text().collect();
            assert!(
                script.contains("/__tebiki/livereload"),
                "{target}: {script}"
            );
            assert!(overlay_text(&html).is_none(), "{target}: no error overlay");
        }
    }
    let svg = server.get(&figure).text();
    assert!(svg.contains("<svg"), "{figure} is an SVG: {svg:.200}");
    assert!(
        !svg.contains("data-tebiki-livereload"),
        "nothing is injected into non-HTML files"
    );

    let missing = server.get("/no-such-guide/");
    assert_eq!(missing.status, 404);
    let post = http(server.port, "POST", "/");
    assert_eq!(post.status, 405, "POST is refused");

    let mut after: BTreeSet<_> = fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(!site.path("public").exists(), "serve created public/");
    // Serve writes nothing but its caches (here: the share cards and the search index).
    let cache: BTreeSet<String> = fs::read_dir(site.path(".tebiki-cache"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        cache,
        BTreeSet::from(["cards".to_owned(), "search".to_owned()])
    );
    after.remove(std::ffi::OsStr::new(".tebiki-cache"));
    assert_eq!(before, after, "serve wrote into the site folder");
}

/// A step edit sends `reload` once the new page is in place.
#[test]
fn a_step_edit_reloads_with_the_new_text() {
    let site = SiteCopy::new();
    let server = Server::start(&site.root);
    let mut ws = server.websocket();
    assert!(step_text(&server, "pause").contains(SENTENCE));

    let edited = "Zaimの操作はここで止めて、画面を開いたまま待ちます（編集済み）。";
    site.replace(STEP_FILE, SENTENCE, edited);
    let took = server.expect_message(&mut ws, "reload", RELOAD);
    eprintln!("step edit → reload: {} ms", took.as_millis());

    let text = step_text(&server, "pause");
    assert!(
        text.contains(edited),
        "article#pause after the edit: {text}"
    );
    assert!(!text.contains(SENTENCE), "the old sentence is gone: {text}");
}

/// Serve keeps each step's card between rebuilds. A card follows what it names from outside
/// its file (here a trouble entry's symptom in troubles.yaml, shown on every step of the
/// window), keeps following it through later edits of other steps, and the served site stays
/// what a clean build writes.
#[test]
fn kept_step_cards_follow_what_they_name_elsewhere() {
    let site = SiteCopy::new();
    let server = Server::start(&site.root);
    let mut ws = server.websocket();
    // As troubles.yaml writes it (with UI references), and as the page shows it.
    let symptom_source =
        "【@link】を押してから【@authenticate】を押すまでに、5分以上かかってしまった";
    let renamed_source = "【@link】から【@authenticate】までに5分を過ぎてしまった（改）";
    let symptom = "【連携する】を押してから【認証する】を押すまでに、5分以上かかってしまった";
    let renamed = "【連携する】から【認証する】までに5分を過ぎてしまった（改）";
    for id in ["pause", "press-back"] {
        assert!(step_text(&server, id).contains(symptom), "article#{id}");
    }

    site.replace(
        "content/zaim-amazon/troubles.yaml",
        symptom_source,
        renamed_source,
    );
    server.expect_message(&mut ws, "reload", RELOAD);
    for id in ["pause", "press-back"] {
        let text = step_text(&server, id);
        assert!(
            text.contains(renamed) && !text.contains(symptom),
            "article#{id}: {text}"
        );
    }

    // Now a body-only edit of one step: only that card is made again.
    let edited = "Zaimの操作はここで止めて、画面を開いたまま待ちます（編集済み）。";
    site.replace(STEP_FILE, SENTENCE, edited);
    server.expect_message(&mut ws, "reload", RELOAD);
    let pause = step_text(&server, "pause");
    assert!(pause.contains(edited) && pause.contains(renamed), "{pause}");
    assert!(step_text(&server, "press-back").contains(renamed));

    assert_same_as_a_clean_build(&server, &site.root);
}

/// Renaming a UI text in the guide's ui.yaml reloads the page: every step that refers to it,
/// and the mock-ups that draw it, show the new text, as a clean build would.
#[test]
fn a_ui_vocabulary_edit_reloads_pages_and_mock_ups() {
    let site = SiteCopy::new();
    let server = Server::start(&site.root);
    let mut ws = server.websocket();
    let svg = |server: &Server| {
        let response = http(
            server.port,
            "GET",
            &format!("/{SLUG}/figures/press-back.svg"),
        );
        assert_eq!(response.status, 200);
        String::from_utf8(response.body).unwrap()
    };
    assert!(step_text(&server, "press-back").contains("【認証する】"));
    assert!(svg(&server).contains(">認証する<"));

    site.replace(
        "content/zaim-amazon/ui.yaml",
        "authenticate: {text: 認証する,",
        "authenticate: {text: 認証を続ける,",
    );
    server.expect_message(&mut ws, "reload", RELOAD);
    let text = step_text(&server, "press-back");
    assert!(
        text.contains("【認証を続ける】") && !text.contains("【認証する】"),
        "{text}"
    );
    let drawn = svg(&server);
    assert!(
        drawn.contains(">認証を続ける<") && !drawn.contains(">認証する<"),
        "{drawn}"
    );
    assert_same_as_a_clean_build(&server, &site.root);
}

/// A step file that an edit turns into a link to a file outside the site is refused while
/// serving, as the build refuses it: the overlay names it and the file is shown nowhere.
#[cfg(unix)]
#[test]
fn a_step_file_turned_into_a_link_out_of_the_site_is_refused() {
    let site = SiteCopy::new();
    let server = Server::start(&site.root);
    let mut ws = server.websocket();
    let outside = site.root.parent().unwrap().join("outside.md");
    fs::write(
        &outside,
        "---\ntitle: 外のファイル\n---\n外にある秘密の本文です。\n",
    )
    .unwrap();
    let step = site.path(STEP_FILE);
    let kept = site.read(STEP_FILE);
    fs::remove_file(&step).unwrap();
    std::os::unix::fs::symlink(&outside, &step).unwrap();
    server.expect_message(&mut ws, "reload", RELOAD);
    let (_, html) = server.page(&format!("/{SLUG}/"));
    let overlay = overlay_text(&html).expect("an overlay");
    assert!(
        overlay.contains("is reached through a link that leads outside the site folder"),
        "{overlay}"
    );
    let page: String = html.root_element().text().collect();
    assert!(!page.contains("外にある秘密の本文です"), "{page}");

    fs::remove_file(&step).unwrap();
    fs::write(&step, kept).unwrap();
    server.expect_message(&mut ws, "reload", RELOAD);
    let (_, html) = server.page(&format!("/{SLUG}/"));
    assert!(
        overlay_text(&html).is_none(),
        "the overlay is gone once fixed"
    );
}

/// The same with the default root (the current folder), as `tebiki serve` is usually run.
#[test]
fn a_step_edit_reloads_when_serving_the_current_folder() {
    let site = SiteCopy::new();
    let mut command = tebiki();
    command
        .args(["serve", "--port", "0"])
        .current_dir(&site.root);
    let server = Server::spawn(command);
    let mut ws = server.websocket();

    let edited = "Zaimの操作はここで止めます（カレントフォルダーから編集）。";
    site.replace(STEP_FILE, SENTENCE, edited);
    let took = server.expect_message(&mut ws, "reload", RELOAD);
    eprintln!("step edit (root .) → reload: {} ms", took.as_millis());
    assert!(step_text(&server, "pause").contains(edited));
}

/// `--poll` (for file systems without change events) reloads too.
#[test]
fn a_step_edit_reloads_with_poll() {
    let site = SiteCopy::new();
    let server = Server::with_args(&site.root, &["--poll"]);
    let mut ws = server.websocket();

    let edited = "Zaimの操作はここで止めます（ポーリングで検出）。";
    site.replace(STEP_FILE, SENTENCE, edited);
    let took = server.expect_message(&mut ws, "reload", RELOAD);
    eprintln!("step edit (--poll) → reload: {} ms", took.as_millis());
    assert!(step_text(&server, "pause").contains(edited));
}

/// A port in use moves the server to the next free one, and it says so.
#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let site = SiteCopy::new();
    let first = Server::start(&site.root);
    let taken = first.port.to_string();
    let mut command = tebiki();
    command
        .arg("serve")
        .arg("--root")
        .arg(&site.root)
        .args(["--port", &taken]);
    let second = Server::spawn(command);
    assert!(
        second.port > first.port && second.port <= first.port.saturating_add(20),
        "{} then {}",
        first.port,
        second.port
    );
    assert!(
        second
            .log()
            .contains(&format!("port {taken} is taken; using {}", second.port)),
        "{}",
        second.log()
    );
    assert_eq!(first.get("/").status, 200);
    assert_eq!(second.get("/").status, 200);
}

/// Broken YAML: `reload`, the overlay names the file and `line:col` over the last good page;
/// fixed: `reload`, no overlay.
#[test]
fn broken_yaml_shows_the_overlay_until_fixed() {
    let site = SiteCopy::new();
    let server = Server::start(&site.root);
    let mut ws = server.websocket();
    let good = site.read(STEP_FILE);

    // Line 4, column 8: `  alt: : bad: '…'` (a mapping value where none is allowed).
    site.replace(
        STEP_FILE,
        "  alt: '【@link-settings-screen】",
        "  alt: : bad: '【@link-settings-screen】",
    );
    let took = server.expect_message(&mut ws, "reload", RELOAD);
    eprintln!("broken step → reload: {} ms", took.as_millis());

    for target in ["/", "/zaim-amazon/", "/troubleshooting/"] {
        let (_, html) = server.page(target);
        let overlay = overlay_text(&html)
            .unwrap_or_else(|| panic!("{target}: no #tebiki-error-overlay\n{}", server.log()));
        assert!(
            overlay.contains("content/zaim-amazon/steps/pause.md:4:8"),
            "{target}: the overlay names the file and line:col:\n{overlay}"
        );
    }
    // The last good version stays served underneath, and files still answer.
    assert!(step_text(&server, "pause").contains(SENTENCE));
    assert_eq!(server.get("/assets/tebiki.css").status, 200);

    site.write(STEP_FILE, &good);
    server.expect_message(&mut ws, "reload", RELOAD);
    for target in ["/", "/zaim-amazon/", "/troubleshooting/"] {
        let (_, html) = server.page(target);
        assert_eq!(overlay_text(&html), None, "{target}: the overlay is gone");
    }
    assert!(step_text(&server, "pause").contains(SENTENCE));
}

/// The overlay and the annotation editor speak the author's language (`--lang`, else `LANG`),
/// whatever the site's: the same broken site in Japanese and in English.
#[test]
fn the_overlay_and_the_editor_speak_the_authors_language() {
    let site = SiteCopy::new();
    let good = site.read(STEP_FILE);
    for (args, lang, heading, edit) in [
        (
            &["--lang", "ja"][..],
            "ja",
            "最後のビルドに失敗しました",
            "注釈を編集",
        ),
        (&[][..], "en", "The last build failed", "Edit annotations"),
    ] {
        site.write(STEP_FILE, &good);
        let server = Server::with_args(&site.root, args);
        let mut ws = server.websocket();
        site.replace(
            STEP_FILE,
            "  alt: '【@link-settings-screen】",
            "  alt: : bad: '【@link-settings-screen】",
        );
        server.expect_message(&mut ws, "reload", RELOAD);
        let (_, html) = server.page("/zaim-amazon/");
        let overlay = select(&html, "#tebiki-error-overlay");
        assert_eq!(overlay.len(), 1, "{lang}: one overlay\n{}", server.log());
        assert_eq!(overlay[0].value().attr("lang"), Some(lang));
        let text: String = overlay[0].text().collect();
        assert!(text.contains(heading), "{lang}: {text}");
        assert!(
            text.contains("content/zaim-amazon/steps/pause.md:4:8"),
            "{text}"
        );
        let level = if lang == "ja" {
            "エラー: "
        } else {
            "error: "
        };
        assert!(text.contains(level), "{lang}: {text}");
        let texts = select(&html, "script#tebiki-editor-texts");
        assert_eq!(texts.len(), 1, "{lang}: the editor's texts");
        let json: String = texts[0].text().collect();
        let texts: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(texts["edit"], edit, "{lang}");
        assert_eq!(texts.as_object().map(serde_json::Map::len), Some(36));
    }
}

/// Only built files are served: every way out of the site is a 404, and a link inside
/// `content/` to a file outside does not publish that file.
#[test]
fn paths_outside_the_site_are_not_served() {
    let site = SiteCopy::new();
    let outside = Path::new("/etc/hostname");
    let server = Server::start(&site.root);
    let mut ws = server.websocket();
    let secret = fs::read_to_string(site.path("site.yaml")).unwrap();

    for target in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E%2Fsite.yaml",
        "/a/..%2f..%2fsite.yaml",
        "/..\\site.yaml",
        "//etc/passwd",
        "/C:/Windows/win.ini",
        "/../../../../../../etc/passwd",
        "/content/zaim-amazon/guide.yaml",
        "/site.yaml",
    ] {
        let response = http(server.port, "GET", target);
        assert!(
            response.status == 404 || response.status == 400,
            "GET {target}: {} {}",
            response.status,
            response.text()
        );
        let body = response.text();
        assert!(
            !body.contains("base_url") && !body.contains("root:"),
            "GET {target} leaked a file: {body}"
        );
    }
    assert!(secret.contains("base_url"));

    // A link in the guide's folder to a file outside: the build refuses it (the overlay says
    // so), the last good site stays served, and the file is not.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside, site.path("content/zaim-amazon/outside.txt")).unwrap();
        server.expect_message(&mut ws, "reload", RELOAD);
        let (_, html) = server.page("/");
        let overlay = overlay_text(&html).expect("an overlay");
        assert!(
            overlay.contains("content/zaim-amazon/outside.txt is reached through a link that leads outside the site folder"),
            "{overlay}"
        );
        assert_eq!(server.get("/zaim-amazon/outside.txt").status, 404);
    }
    // The server is still fine.
    assert_eq!(server.get("/").status, 200);
}

/// Every open page hears about a change.
#[test]
fn two_clients_both_receive_the_reload() {
    let site = SiteCopy::new();
    let server = Server::start(&site.root);
    let mut first = server.websocket();
    let mut second = server.websocket();

    site.replace(STEP_FILE, SENTENCE, "二つのページが開いています。");
    let a = server.expect_message(&mut first, "reload", RELOAD);
    let b = server.expect_message(&mut second, "reload", RELOAD);
    eprintln!(
        "two clients → reload: {} ms and {} ms",
        a.as_millis(),
        b.as_millis()
    );
}

/// Twenty quick saves end in a site identical to a clean build of the final sources.
#[test]
fn rapid_edits_settle_on_what_a_clean_build_writes() {
    let site = SiteCopy::new();
    let server = Server::start(&site.root);
    let mut ws = server.websocket();

    let original = site.read(STEP_FILE);
    let title = "title: 'Zaimの操作をいったん止める'";
    assert!(original.contains(title));
    // Each version changes the step's title and text, and a trouble entry of its own: that
    // entry also shows on the site-wide troubleshooting page, which must follow too.
    let version = |i: usize| {
        original
            .replace(
                title,
                &format!(
                    "title: 'Zaimの操作をいったん止める（版{i}）'\ntroubles:\n  - id: pause-stuck\n    symptom: '版{i}：画面が止まったまま'\n    remedy: '[](@unlink) で連携を解除し、やり直します。'"
                ),
            )
            .replace(SENTENCE, &format!("版{i}：ここでひと休みします。"))
    };
    let started = Instant::now();
    // A few ms apart, with a longer pause after every fifth save: those pauses outlast the
    // server's quiet time, so rebuilds start while later saves are still coming.
    for i in 1..=20 {
        site.write(STEP_FILE, &version(i));
        thread::sleep(Duration::from_millis(if i % 5 == 0 { 40 } else { 3 }));
    }

    // Settled: at least one reload, then a second without any message.
    let mut reloads = 0;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        assert!(
            Instant::now() < deadline,
            "the server did not settle within 30 s\n{}",
            server.log()
        );
        match server.next_message(&mut ws, Duration::from_secs(1)) {
            Some((message, _)) => {
                assert_eq!(message, "reload", "{}", server.log());
                reloads += 1;
            }
            None if reloads > 0 => break,
            None => panic!("no reload within 1 s of the last save\n{}", server.log()),
        }
    }
    eprintln!(
        "20 saves → {reloads} reload(s), settled {} ms after the first save",
        started.elapsed().as_millis()
    );
    assert!(step_text(&server, "pause").contains("版20：ここでひと休みします。"));
    let (_, troubleshooting) = server.page("/troubleshooting/");
    let entries: String = troubleshooting.root_element().text().collect();
    assert!(
        entries.contains("版20：画面が止まったまま"),
        "the troubleshooting page lists the step's new trouble entry"
    );

    assert_same_as_a_clean_build(&server, &site.root);
}

/// Builds `root` with `tebiki build --base-url <the server's URL>` and asserts that the server
/// serves every built file, HTML pages byte for byte once the live-reload script is taken out,
/// and that every file the pages link to (figures, stylesheets, scripts) is among them.
fn assert_same_as_a_clean_build(server: &Server, root: &Path) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let build_run = tebiki()
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output-dir")
        .arg(&public)
        .arg("--base-url")
        .arg(&server.url)
        .output()
        .unwrap();
    assert!(
        build_run.status.success(),
        "{}",
        String::from_utf8_lossy(&build_run.stderr)
    );
    // The search index is made after each reload, from the served pages: checked on its own
    // (`search_follows_an_edit`), not file by file against the build's.
    let built_files: BTreeSet<String> = files_under(&public)
        .into_iter()
        .filter(|f| f != ".tebiki-output" && !f.starts_with("pagefind/"))
        .collect();
    for wanted in [
        "index.html",
        "zaim-amazon/index.html",
        "troubleshooting/index.html",
        "assets/tebiki.css",
    ] {
        assert!(built_files.contains(wanted), "the build wrote {wanted}");
    }

    let mut linked = BTreeSet::new();
    for file in &built_files {
        let response = server.get(&format!("/{file}"));
        assert_eq!(response.status, 200, "GET /{file}\n{}", server.log());
        let on_disk = fs::read(public.join(file)).unwrap();
        if Path::new(file).extension().is_some_and(|e| e == "html") {
            let page = String::from_utf8(response.body).unwrap();
            assert!(!page.contains("tebiki-error-overlay"), "{file}: overlay");
            let page = without_script(&page);
            let on_disk = String::from_utf8(on_disk).unwrap();
            if page != on_disk {
                let at = page
                    .bytes()
                    .zip(on_disk.bytes())
                    .position(|(a, b)| a != b)
                    .unwrap_or(page.len().min(on_disk.len()));
                let from = at.saturating_sub(200);
                panic!(
                    "{file}: served ≠ built at byte {at}\nserved: {}\nbuilt:  {}",
                    String::from_utf8_lossy(&page.as_bytes()[from..(at + 200).min(page.len())]),
                    String::from_utf8_lossy(
                        &on_disk.as_bytes()[from..(at + 200).min(on_disk.len())]
                    ),
                );
            }
            let html = Html::parse_document(&page);
            for (css, attr) in [
                ("img[src]", "src"),
                ("source[srcset]", "srcset"),
                ("link[href]", "href"),
                ("script[src]", "src"),
                ("a[href*='figures/']", "href"),
            ] {
                for element in select(&html, css) {
                    let value = element.value().attr(attr).unwrap();
                    let value = value.split([' ', ',']).next().unwrap_or("");
                    if let Some(path) = resolve_link(file, value, &server.url) {
                        linked.insert((file.clone(), path));
                    }
                }
            }
        } else {
            assert!(response.body == on_disk, "{file}: served ≠ built");
        }
    }
    let figures = linked
        .iter()
        .filter(|(page, path)| page == "zaim-amazon/index.html" && path.contains("/figures/"))
        .count();
    assert!(figures >= 30, "the guide page shows its figures: {figures}");
    for (page, path) in &linked {
        assert!(
            built_files.contains(path),
            "{page} links to {path}, which neither the build nor the server has"
        );
    }
    eprintln!(
        "compared {} files ({} links from the pages)",
        built_files.len(),
        linked.len()
    );
}

/// A stylesheet-only change swaps stylesheets (`css`) instead of reloading.
#[test]
fn a_css_change_sends_css_not_reload() {
    let site = SiteCopy::new();
    let server = Server::start(&site.root);
    let mut ws = server.websocket();

    let marker = "/* edited by tests/serve.rs */";
    let css = site.read(CSS_FILE);
    site.write(CSS_FILE, &format!("{css}\n{marker}\n"));
    let took = server.expect_message(&mut ws, "css", RELOAD);
    eprintln!("stylesheet edit → css: {} ms", took.as_millis());
    assert!(server.get("/assets/tebiki.css").text().contains(marker));
    // Not followed by a reload either (a second `css` for the same save would be harmless).
    if let Some((message, _)) = server.next_message(&mut ws, Duration::from_millis(500)) {
        assert_eq!(message, "css", "{}", server.log());
    }
}

/// Ctrl-C (SIGINT) stops the server cleanly, also with a page connected.
#[cfg(unix)]
#[test]
fn sigint_stops_cleanly() {
    assert_stops_cleanly_on("-INT");
}

/// Sends `signal` (a `kill` option) to a running server with an open page: it must exit with 0
/// within 10 s, print `stopped`, and tell the page (`bye`) or close its socket.
fn assert_stops_cleanly_on(signal: &str) {
    let site = SiteCopy::new();
    let mut server = Server::start(&site.root);
    let mut ws = server.websocket();
    let status = Command::new("kill")
        .args([signal, &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());

    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "still running 10 s after {signal}\n{}",
            server.log()
        );
        thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "exit status {exit}\n{}", server.log());
    assert!(
        server
            .wait_line(Duration::from_secs(5), |l| l == "stopped")
            .is_some(),
        "no `stopped` line\n{}",
        server.log()
    );
    // The page is told (`bye`) or the socket simply ends.
    match ws.next(Duration::from_secs(5)) {
        Frame::Text(text) => assert!(text == "bye" || text == "ping", "{text}"),
        Frame::Closed => {}
        Frame::Timeout => panic!("the live-reload socket stayed open after the server stopped"),
    }
}

// ---------------------------------------------------------------------------------------------
// A hostile network: hosts, origins, heads, garbage, idle and slow clients, signals
// ---------------------------------------------------------------------------------------------

impl WebSocket {
    /// Sends one masked frame (clients must mask) with `opcode` and `payload`.
    fn send_frame(&mut self, opcode: u8, payload: &[u8]) {
        let mask = [0x37, 0xfa, 0x21, 0x3d];
        let mut frame = vec![0x80 | opcode];
        match payload.len() {
            n if n < 126 => frame.push(0x80 | u8::try_from(n).unwrap()),
            n if n < 65_536 => {
                frame.push(0x80 | 0x7e);
                frame.extend_from_slice(&u16::try_from(n).unwrap().to_be_bytes());
            }
            n => {
                frame.push(0x80 | 0x7f);
                frame.extend_from_slice(&(n as u64).to_be_bytes());
            }
        }
        frame.extend_from_slice(&mask);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        let _ = self.stream.write_all(&frame);
    }

    /// The next frame of any kind within `timeout`: (opcode, payload), or `None`.
    fn next_raw(&mut self, timeout: Duration) -> Option<(u8, Vec<u8>)> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some((length, opcode, payload)) = parse_frame(&self.buf) {
                self.buf.drain(..length);
                return Some((opcode, payload));
            }
            let before = self.buf.len();
            if !self.fill(deadline) && self.buf.len() == before {
                return None;
            }
        }
    }
}

/// The status of the answer to `request` (sent whole), or `None` when the connection closed
/// without one.
fn status_of(port: u16, request: &[u8]) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_write_timeout(Some(IO)).unwrap();
    stream.set_read_timeout(Some(IO)).unwrap();
    // A server may answer and close before the whole request is written: that is fine.
    let _ = stream.write_all(request);
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    while find(&bytes, b"\r\n").is_none() {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
        }
    }
    let line = String::from_utf8_lossy(&bytes);
    line.strip_prefix("HTTP/1.1 ")
        .and_then(|s| s.get(..3))
        .and_then(|s| s.parse().ok())
}

fn get_with_host(port: u16, host: &str) -> Response {
    raw_request(
        port,
        &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
    )
}

#[test]
fn only_its_own_hosts_are_answered() {
    let site = SiteCopy::new();
    let server = Server::with_args(&site.root, &["--allow-host", "preview.test"]);
    let port = server.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "localhost".to_owned(),
        format!("[::1]:{port}"),
        "preview.test:8080".to_owned(),
    ] {
        assert_eq!(get_with_host(port, &host).status, 200, "Host: {host}");
    }
    for host in [
        "evil.test",
        "evil.test:1111",
        "localhost.evil.test",
        "192.0.2.7",
    ] {
        let refused = get_with_host(port, host);
        assert_eq!(refused.status, 403, "Host: {host}");
        let text = refused.text();
        assert!(
            text.starts_with("tebiki serve answers only localhost")
                && text.contains(&format!("not `{host}`"))
                && text.contains("--allow-host"),
            "a one-line explanation: {text}"
        );
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(
            !text.contains("<html"),
            "no page content for a refused host"
        );
    }
    let no_host = raw_request(port, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(no_host.status, 400);
}

#[test]
fn the_livereload_socket_checks_the_origin_and_the_upgrade() {
    let site = SiteCopy::new();
    let server = Server::start(&site.root);
    let port = server.port;
    let handshake = |origin: &str| {
        status_of(
            port,
            format!(
                "GET /__tebiki/livereload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{origin}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {WS_KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            )
            .as_bytes(),
        )
    };
    assert_eq!(
        handshake(&format!("Origin: http://127.0.0.1:{port}\r\n")),
        Some(101)
    );
    assert_eq!(
        handshake(&format!("Origin: http://localhost:{port}\r\n")),
        Some(101)
    );
    assert_eq!(
        handshake(""),
        Some(101),
        "tools without an Origin may connect"
    );
    assert_eq!(handshake("Origin: https://evil.test\r\n"), Some(403));
    assert_eq!(handshake("Origin: null\r\n"), Some(403));
    // Not an upgrade: no 101, no socket.
    let plain = status_of(
        port,
        format!("GET /__tebiki/livereload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes(),
    );
    assert!(matches!(plain, Some(400 | 426)), "{plain:?}");
    let wrong_version = status_of(
        port,
        format!("GET /__tebiki/livereload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {WS_KEY}\r\nSec-WebSocket-Version: 8\r\n\r\n").as_bytes(),
    );
    assert!(
        matches!(wrong_version, Some(400 | 426)),
        "{wrong_version:?}"
    );
}

#[test]
fn close_frames_are_answered_and_big_frames_refused() {
    let site = SiteCopy::new();
    let server = Server::start(&site.root);
    let mut ws = server.websocket();
    ws.send_frame(0x9, b"are you there");
    assert_eq!(
        ws.next_raw(IO),
        Some((0xA, b"are you there".to_vec())),
        "ping → pong"
    );
    ws.send_frame(0x8, &1000u16.to_be_bytes());
    let (opcode, payload) = ws.next_raw(IO).expect("a close frame back");
    assert_eq!(
        opcode, 0x8,
        "the close frame is answered with a close frame"
    );
    assert_eq!(payload.get(..2), Some(1000u16.to_be_bytes().as_slice()));

    let mut big = server.websocket();
    big.send_frame(0x1, &vec![b'x'; 1 << 20]);
    match big.next_raw(IO) {
        Some((0x8, payload)) => assert_eq!(
            payload.get(..2),
            Some(1009u16.to_be_bytes().as_slice()),
            "closed as too big"
        ),
        None => {}
        other => panic!("a 1 MiB frame was accepted: {other:?}"),
    }
    assert_eq!(server.get("/").status, 200, "the server is fine");
}

#[test]
fn oversized_heads_and_garbage_get_their_status() {
    let site = SiteCopy::new();
    let server = Server::start(&site.root);
    let port = server.port;
    let host = format!("Host: 127.0.0.1:{port}\r\n");
    let long_line = format!("GET /{} HTTP/1.1\r\n{host}\r\n", "a".repeat(100 * 1024));
    assert_eq!(
        status_of(port, long_line.as_bytes()),
        Some(414),
        "100 KB request line"
    );
    let big_header = format!(
        "GET / HTTP/1.1\r\n{host}X-Big: {}\r\n\r\n",
        "b".repeat(1 << 20)
    );
    assert_eq!(
        status_of(port, big_header.as_bytes()),
        Some(431),
        "1 MB header"
    );
    let mut many = format!("GET / HTTP/1.1\r\n{host}");
    for i in 0..10_000 {
        let _ = write!(many, "X-{i}: v\r\n");
    }
    many.push_str("\r\n");
    assert_eq!(
        status_of(port, many.as_bytes()),
        Some(431),
        "10,000 headers"
    );
    for garbage in [
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03".as_slice(),
        b"HELLO THERE\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET\x00/ HTTP/1.1\r\n\r\n",
    ] {
        assert_eq!(
            status_of(port, garbage),
            Some(400),
            "{:?}",
            String::from_utf8_lossy(garbage)
        );
    }
    assert_eq!(server.get("/").status, 200, "the server is fine");
}

#[test]
fn keep_alive_answers_several_requests_on_one_connection() {
    let site = SiteCopy::new();
    let server = Server::start(&site.root);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(IO)).unwrap();
    let request = format!(
        "GET /assets/tebiki.css HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        server.port
    );
    let mut received = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    for n in 1..=3 {
        stream.write_all(request.as_bytes()).unwrap();
        while received
            .windows(12)
            .filter(|w| *w == b"HTTP/1.1 200")
            .count()
            < n
            || !ends_a_css_body(&received)
        {
            let read = stream.read(&mut chunk).expect("the connection stays open");
            assert!(read > 0, "the server closed a keep-alive connection");
            received.extend_from_slice(&chunk[..read]);
        }
    }
    let text = String::from_utf8_lossy(&received);
    assert!(
        !text.to_ascii_lowercase().contains("connection: close"),
        "{text:.300}"
    );
}

/// Whether `received` ends with a complete response (its body as long as its Content-Length).
fn ends_a_css_body(received: &[u8]) -> bool {
    let text = String::from_utf8_lossy(received);
    let Some(last) = text.rfind("HTTP/1.1 ") else {
        return false;
    };
    let response = &text[last..];
    let Some(head_end) = response.find("\r\n\r\n") else {
        return false;
    };
    let length: usize = response[..head_end]
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().to_owned())
        })
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    response.len() - head_end - 4 >= length
}

#[test]
fn a_thousand_idle_connections_do_not_stop_a_normal_request() {
    let site = SiteCopy::new();
    let server = Server::start(&site.root);
    let idle: Vec<TcpStream> = (0..1_000)
        .map(|_| TcpStream::connect(("127.0.0.1", server.port)).expect("connect"))
        .collect();
    // Half of them start a request and never finish it (slowloris).
    for stream in idle.iter().step_by(2) {
        let mut s = stream;
        let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    }
    let started = Instant::now();
    let response = server.get("/zaim-amazon/");
    let took = started.elapsed();
    assert_eq!(response.status, 200);
    eprintln!(
        "with 1,000 idle connections a page took {} ms",
        took.as_millis()
    );
    assert!(took < Duration::from_secs(1), "took {took:?}");
    drop(idle);
}

#[test]
fn a_slow_client_is_cut_off_at_the_header_deadline() {
    let site = SiteCopy::new();
    let server = Server::start(&site.root);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let started = Instant::now();
    let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    let mut chunk = [0u8; 512];
    let closed_after = loop {
        // One byte of a header every half second: each read() of the server gets data in time.
        if stream.write_all(b"X").is_err() {
            break started.elapsed();
        }
        match stream.read(&mut chunk) {
            Ok(0) => break started.elapsed(),
            Ok(_) | Err(_) if started.elapsed() > Duration::from_secs(30) => {
                panic!("a client sending a byte every 0.5 s is still served after 30 s")
            }
            _ => {}
        }
    };
    eprintln!(
        "the slow client was cut off after {} ms",
        closed_after.as_millis()
    );
    assert!(closed_after < Duration::from_secs(15), "{closed_after:?}");
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn sigterm_stops_as_cleanly_as_ctrl_c() {
    assert_stops_cleanly_on("-TERM");
}

#[test]
fn bound_to_every_address_it_warns_and_names_the_phone_url() {
    let site = SiteCopy::new();
    let mut command = tebiki();
    command
        .arg("serve")
        .arg("--root")
        .arg(&site.root)
        .args(["--port", "0", "--bind", "0.0.0.0"]);
    let server = Server::spawn(command);
    // stderr is read by its own thread: give it a moment to catch up with stdout.
    let deadline = Instant::now() + Duration::from_secs(5);
    while !server.log().contains("[stderr]   ") && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
    let log = server.log();
    assert!(
        log.contains(
            "[stderr] warning: --bind 0.0.0.0 makes the preview reachable from the network"
        ),
        "{log}"
    );
    assert!(
        log.contains("[stderr]   on a phone in the same network, open http://")
            || log.contains("[stderr]   no network address was found"),
        "{log}"
    );
    assert!(
        !log.contains("http://0.0.0.0"),
        "never a 0.0.0.0 URL: {log}"
    );
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn a_site_broken_from_the_start_shows_its_problems_until_fixed() {
    let site = SiteCopy::new();
    let good = site.read(STEP_FILE);
    site.write(STEP_FILE, "---\ntitle: x\n---\n[](@no-such-step)\n");
    let server = Server::start(&site.root);
    let mut ws = server.websocket();
    let response = server.get("/zaim-amazon/");
    assert_eq!(response.status, 500, "no page yet");
    let html = Html::parse_document(&response.text());
    let overlay = overlay_text(&html).expect("the overlay");
    assert!(overlay.contains("nothing to show yet"), "{overlay}");
    assert!(
        overlay.contains("content/zaim-amazon/steps/pause.md:4:4"),
        "{overlay}"
    );
    assert_eq!(
        server.get("/assets/tebiki.css").status,
        404,
        "only pages get the overlay"
    );
    site.write(STEP_FILE, &good);
    server.expect_message(&mut ws, "reload", RELOAD);
    let (_, html) = server.page("/zaim-amazon/");
    assert_eq!(overlay_text(&html), None);
    assert!(step_text(&server, "pause").contains(SENTENCE));
}

#[test]
fn a_change_in_one_guide_re_renders_the_guides_that_show_it() {
    let (_dir, root) = multi_guide_copy();
    let server = Server::start(&root);
    let mut ws = server.websocket();
    let beta = root.join("content/beta/guide.yaml");
    let text = fs::read_to_string(&beta).unwrap();
    let title = text
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .unwrap()
        .to_owned();
    let (_, alpha) = server.page("/alpha/");
    let intro: String = select(&alpha, ".guide-intro")
        .iter()
        .map(|e| e.text().collect::<String>())
        .collect();
    assert!(intro.contains(&title), "alpha's intro names beta: {intro}");
    fs::write(
        &beta,
        text.replacen(&format!("title: {title}"), "title: 改題したベータ", 1),
    )
    .unwrap();
    server.expect_message(&mut ws, "reload", RELOAD);
    let (_, alpha) = server.page("/alpha/");
    let intro: String = select(&alpha, ".guide-intro")
        .iter()
        .map(|e| e.text().collect::<String>())
        .collect();
    assert!(
        intro.contains("改題したベータ"),
        "alpha was re-rendered: {intro}"
    );
}

/// A broken reference in one guide keeps the overlay up while another guide is edited (that
/// page alone renders fine), and the other edit is served once the first is fixed.
#[test]
fn a_problem_in_one_guide_stays_shown_while_another_guide_is_edited() {
    let (_dir, root) = multi_guide_copy();
    let server = Server::start(&root);
    let mut ws = server.websocket();
    let edit = |rel: &str, from: &str, to: &str| {
        let path = root.join(rel);
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches(from).count(), 1, "{from:?} once in {rel}");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    let overlay = |target: &str| overlay_text(&server.page(target).1);

    edit(
        "content/alpha/steps/confirm.md",
        "[](@prepare)",
        "[](@prepar)",
    );
    server.expect_message(&mut ws, "reload", RELOAD);
    let shown = overlay("/beta/").expect("an overlay for the broken reference");
    assert!(shown.contains("content/alpha/steps/confirm.md"), "{shown}");

    edit(
        "content/beta/steps/start.md",
        "Beta start text.",
        "Beta start, edited.",
    );
    server.expect_message(&mut ws, "reload", RELOAD);
    let shown = overlay("/beta/").expect("the overlay stays while alpha is broken");
    assert!(shown.contains("content/alpha/steps/confirm.md"), "{shown}");

    edit(
        "content/alpha/steps/confirm.md",
        "[](@prepar)",
        "[](@prepare)",
    );
    server.expect_message(&mut ws, "reload", RELOAD);
    assert_eq!(overlay("/beta/"), None, "fixed: {}", server.log());
    let (_, beta) = server.page("/beta/");
    let text: String = beta.root_element().text().collect();
    assert!(
        text.contains("Beta start, edited."),
        "beta's edit is served"
    );
}

/// A copy of the `multi-guide` fixture (two guides referring to each other): the folder that
/// holds it (kept while the test runs) and the site's root.
fn multi_guide_copy() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = fs::canonicalize(dir.path()).unwrap().join("site");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multi-guide"),
        &root,
    );
    (dir, root)
}

/// The site folder deleted and made again (a restore from a backup): serve says so, watches
/// the new folder, and later edits show.
#[test]
fn a_site_folder_made_again_is_served_and_watched_again() {
    let site = SiteCopy::new();
    let server = Server::start(&site.root);
    let mut ws = server.websocket();
    assert!(step_text(&server, "pause").contains(SENTENCE));
    let aside = site.root.with_file_name("aside");
    fs::rename(&site.root, &aside).unwrap();
    common::copy_dir(&aside, &site.root);
    server
        .wait_line(Duration::from_secs(10), |l| {
            l.contains("was replaced; serving the new one")
        })
        .unwrap_or_else(|| panic!("no word of the new folder:\n{}", server.log()));
    server.expect_message(&mut ws, "reload", RELOAD);
    let edited = "新しいフォルダーでの編集です。";
    site.replace(STEP_FILE, SENTENCE, edited);
    server.expect_message(&mut ws, "reload", RELOAD);
    // The copy's own events may bring a reload of their own first: the edit shows soon after.
    let deadline = Instant::now() + RELOAD;
    while !step_text(&server, "pause").contains(edited) {
        assert!(
            Instant::now() < deadline,
            "the edit never showed:\n{}",
            server.log()
        );
        thread::sleep(Duration::from_millis(50));
    }
}

/// The site folder moved away: serve keeps the last version, does not make the old folder
/// again (no `.tebiki-cache` at the old path), and says it waits.
#[test]
fn a_moved_site_folder_is_not_made_again() {
    let site = SiteCopy::new();
    let server = Server::start(&site.root);
    let moved = site.root.with_file_name("moved");
    fs::rename(&site.root, &moved).unwrap();
    fs::write(moved.join(STEP_FILE), "---\ntitle: x\n---\nx\n").unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !server.log().contains("is gone or holds no site") {
        assert!(Instant::now() < deadline, "no word:\n{}", server.log());
        thread::sleep(Duration::from_millis(50));
    }
    thread::sleep(Duration::from_millis(500));
    assert!(!site.root.exists(), "the old folder was made again");
    assert!(
        step_text(&server, "pause").contains(SENTENCE),
        "the last version stays"
    );
}

/// The resident memory of process `pid`, in KiB.
fn rss_kib(pid: u32) -> u64 {
    fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap()
}

/// A large file beside a guide (a video) is served whole, read from the disk as it is sent:
/// the server's memory does not grow by its size.
#[test]
fn a_large_colocated_file_is_served_from_the_disk() {
    let site = SiteCopy::new();
    let bytes = 96 * 1024 * 1024;
    let pattern: Vec<u8> = (0..=255u8).cycle().take(bytes).collect();
    fs::write(site.path("content/zaim-amazon/walkthrough.bin"), &pattern).unwrap();
    let server = Server::start(&site.root);
    let before = rss_kib(server.child.id());
    let response = http(server.port, "GET", "/zaim-amazon/walkthrough.bin");
    assert_eq!(response.status, 200);
    assert!(response.body == pattern, "the file as it is");
    let after = rss_kib(server.child.id());
    eprintln!("serve's resident memory: {before} KiB before the request, {after} KiB after");
    // Held in memory, the file alone would be 96 MiB: it must not grow by anything near that.
    assert!(
        after < before.max(48 * 1024) + 32 * 1024,
        "resident memory {before} KiB before the request, {after} KiB after"
    );
}

/// A retaken screenshot that no longer shows what a circle pointed at: the served figure
/// carries what the circle pointed at and the best match's place (`data-tebiki-lost`), which
/// the editor's script shows side by side; a built page carries nothing of it.
#[test]
fn a_lost_target_is_shown_beside_its_figure_in_serve() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap().join("site");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/screenshots"),
        &root,
    );
    let fixed = tebiki()
        .args(["check", "--fix", "--root"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(
        fixed.status.success(),
        "{}",
        String::from_utf8_lossy(&fixed.stderr)
    );
    // The button the circle (x 50 %, y 95 %, r 5 %) pointed at is painted over.
    let shot = root.join("content/phone/images/sign-in.png");
    let mut picture = image::open(&shot).unwrap().into_rgba8();
    let (w, h) = picture.dimensions();
    for y in h * 88 / 100..h {
        for x in w * 30 / 100..w * 70 / 100 {
            picture.put_pixel(x, y, image::Rgba([255, 255, 255, 255]));
        }
    }
    picture.save(&shot).unwrap();
    let server = Server::start(&root);
    let (_, page) = server.page("/phone/");
    let figure = select(&page, r#"figure[data-tebiki-figure="phone/step:sign-in"]"#)
        .into_iter()
        .next()
        .expect("the sign-in figure");
    let lost: serde_json::Value = serde_json::from_str(
        figure
            .value()
            .attr("data-tebiki-lost")
            .expect("data-tebiki-lost"),
    )
    .unwrap();
    let lost = lost.as_array().unwrap();
    assert_eq!(lost.len(), 1, "{lost:?}");
    assert_eq!(lost[0]["index"], 1, "the circle is the second annotation");
    assert!(
        lost[0]["old"]
            .as_str()
            .unwrap()
            .starts_with("data:image/png;base64,")
    );
    assert_eq!(lost[0]["at"].as_array().unwrap().len(), 4);
}

/// The search index follows an edit: after the reload, `pagefind/` is made again from the
/// served pages, and a word only the edit wrote is in it (its entry file changes; the index
/// answers in the browser suite).
#[test]
fn search_follows_an_edit() {
    let site = SiteCopy::new();
    let server = Server::start(&site.root);
    let entry = || server.get("/pagefind/pagefind-entry.json");
    let before = entry();
    assert_eq!(before.status, 200, "{}", server.log());
    assert!(server.get("/pagefind/pagefind.js").status == 200);
    let mut ws = server.websocket();
    site.replace(STEP_FILE, SENTENCE, "検索に出るはずの新しいことば。");
    server.expect_message(&mut ws, "reload", RELOAD);
    let deadline = Instant::now() + Duration::from_secs(20);
    while entry().body == before.body {
        assert!(
            Instant::now() < deadline,
            "the index never changed:\n{}",
            server.log()
        );
        thread::sleep(Duration::from_millis(50));
    }
}
