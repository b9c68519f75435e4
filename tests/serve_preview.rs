//! `tebiki serve` on loopback, with the real binary on a copy of the bundled site. Every wait
//! is bounded; the server is killed when a test ends, however it ends.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use scraper::{Html, Selector};

const WAIT: Duration = Duration::from_secs(15);

struct Server {
    child: Child,
    port: u16,
    root: PathBuf,
    _tmp: tempfile::TempDir,
    _lines: Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn copy_site(to: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["content", "themes"] {
        for entry in walkdir::WalkDir::new(repo.join(dir)) {
            let entry = entry.unwrap();
            let dest = to.join(entry.path().strip_prefix(repo).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(entry.path(), &dest).unwrap();
            }
        }
    }
    std::fs::copy(repo.join("site.yaml"), to.join("site.yaml")).unwrap();
}

fn start() -> Server {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_site(&root);
    let mut child = Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .args(["serve", "--port", "0", "--root"])
        .arg(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + WAIT;
    let port = loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("serve printed its address");
        if let Some(url) = line.split(" at http://127.0.0.1:").nth(1) {
            break url.split('/').next().unwrap().parse().unwrap();
        }
    };
    Server {
        child,
        port,
        root,
        _tmp: tmp,
        _lines: rx,
    }
}

struct Response {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Server {
    /// A raw request: the target is sent exactly as given.
    fn request(&self, method: &str, target: &str) -> Response {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        write!(
            stream,
            "{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response head");
        let headers = String::from_utf8_lossy(&raw[..split]).into_owned();
        let status = headers.split(' ').nth(1).unwrap().parse().unwrap();
        Response {
            status,
            headers,
            body: raw[split + 4..].to_vec(),
        }
    }

    fn get(&self, target: &str) -> Response {
        self.request("GET", target)
    }

    fn page(&self, target: &str) -> Html {
        let response = self.get(target);
        assert_eq!(response.status, 200, "{target}");
        Html::parse_document(&String::from_utf8(response.body).unwrap())
    }

    /// A live-reload connection: the WebSocket handshake done, "hello" received.
    fn socket(&self) -> TcpStream {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        write!(stream, "GET /__tebiki/livereload HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).unwrap();
            head.push(byte[0]);
        }
        let head = String::from_utf8(head).unwrap();
        assert!(head.starts_with("HTTP/1.1 101"), "{head}");
        assert!(
            head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="),
            "{head}"
        );
        assert_eq!(message(&mut stream), "hello");
        stream
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.root.join(rel), text).unwrap();
    }
}

/// The next text message that is not a ping.
fn message(stream: &mut TcpStream) -> String {
    loop {
        let mut head = [0u8; 2];
        stream
            .read_exact(&mut head)
            .expect("a message before the timeout");
        let len = match head[1] & 127 {
            126 => {
                let mut b = [0u8; 2];
                stream.read_exact(&mut b).unwrap();
                usize::from(u16::from_be_bytes(b))
            }
            127 => {
                let mut b = [0u8; 8];
                stream.read_exact(&mut b).unwrap();
                usize::try_from(u64::from_be_bytes(b)).unwrap()
            }
            n => usize::from(n),
        };
        let mut payload = vec![0; len];
        stream.read_exact(&mut payload).unwrap();
        let text = String::from_utf8(payload).unwrap();
        if text != "ping" {
            return text;
        }
    }
}

fn text_of(doc: &Html, selector: &str) -> String {
    doc.select(&Selector::parse(selector).unwrap())
        .map(|e| e.text().collect::<String>())
        .collect()
}

const PAUSE: &str = "content/zaim-amazon/steps/pause.md";

#[test]
fn serves_the_site_from_memory_with_types_and_the_reload_script() {
    let server = start();
    for (target, kind) in [
        ("/", "text/html; charset=utf-8"),
        ("/zaim-amazon/", "text/html; charset=utf-8"),
        ("/troubleshooting/", "text/html; charset=utf-8"),
        ("/assets/tebiki.css", "text/css; charset=utf-8"),
        ("/assets/tebiki-filter.js", "text/javascript; charset=utf-8"),
        ("/zaim-amazon/figures/pause.svg", "image/svg+xml"),
    ] {
        let response = server.get(target);
        assert_eq!(response.status, 200, "{target}");
        assert!(
            response.headers.contains(&format!("Content-Type: {kind}")),
            "{target}: {}",
            response.headers
        );
        assert!(
            response.headers.contains("Cache-Control: no-cache"),
            "{target}"
        );
    }
    let guide = server.page("/zaim-amazon/");
    assert!(
        guide
            .select(&Selector::parse("script[data-tebiki-livereload]").unwrap())
            .next()
            .is_some()
    );
    let head = server.request("HEAD", "/zaim-amazon/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    assert!(
        !server.root.join("public").exists(),
        "serve never writes public/"
    );
}

#[test]
fn an_edit_reloads_every_open_page_after_the_rebuild() {
    let server = start();
    let (mut first, mut second) = (server.socket(), server.socket());
    let text = std::fs::read_to_string(server.root.join(PAUSE)).unwrap();
    server.write(PAUSE, &format!("{text}\n編集で足した一文です。\n"));
    assert_eq!(message(&mut first), "reload");
    assert_eq!(message(&mut second), "reload");
    // The reload is sent after the rebuild: the new text is already served.
    assert!(
        text_of(&server.page("/zaim-amazon/"), "article#pause").contains("編集で足した一文です。")
    );
}

#[test]
fn a_broken_step_shows_the_overlay_and_keeps_serving_until_fixed() {
    let server = start();
    let mut socket = server.socket();
    let good = std::fs::read_to_string(server.root.join(PAUSE)).unwrap();
    server.write(PAUSE, "---\ntitle: [broken\n---\n本文\n");
    assert_eq!(message(&mut socket), "reload");
    let page = server.page("/zaim-amazon/");
    let overlay = text_of(&page, "#tebiki-error-overlay");
    assert!(
        overlay.contains("content/zaim-amazon/steps/pause.md:2:8"),
        "{overlay}"
    );
    assert!(
        text_of(&page, "article#pause").contains("Zaim"),
        "the last good page is still served"
    );
    server.write(PAUSE, &good);
    assert_eq!(message(&mut socket), "reload");
    assert!(
        server
            .page("/zaim-amazon/")
            .select(&Selector::parse("#tebiki-error-overlay").unwrap())
            .next()
            .is_none()
    );
}

#[test]
fn nothing_outside_the_built_site_is_served() {
    let server = start();
    for target in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E%2Fsite.yaml",
        "/zaim-amazon/..%2f..%2fsite.yaml",
        "/..\\site.yaml",
        "//etc/passwd",
        "/C:/Windows/win.ini",
        "/site.yaml",
        "/content/zaim-amazon/guide.yaml",
        "/zaim-amazon/steps/pause.md",
    ] {
        assert_eq!(server.get(target).status, 404, "{target}");
    }
}

#[test]
fn a_stylesheet_change_swaps_css_without_a_reload() {
    let server = start();
    let mut socket = server.socket();
    let css = server.root.join("themes/default/static/assets/tebiki.css");
    let text = std::fs::read_to_string(&css).unwrap();
    std::fs::write(&css, format!("{text}\n.x-test {{ color: red; }}\n")).unwrap();
    assert_eq!(message(&mut socket), "css");
    assert!(
        String::from_utf8(server.get("/assets/tebiki.css").body)
            .unwrap()
            .contains(".x-test")
    );
}

#[test]
fn twenty_rapid_edits_end_identical_to_a_clean_build() {
    let preview = start();
    let mut socket = preview.socket();
    let text = std::fs::read_to_string(preview.root.join(PAUSE)).unwrap();
    for i in 0..20 {
        preview.write(PAUSE, &format!("{text}\n{i}回目の編集。\n"));
        std::thread::sleep(Duration::from_millis(7));
    }
    // Settle: reloads until none comes for a second.
    assert_eq!(message(&mut socket), "reload");
    socket
        .set_read_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    while std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| message(&mut socket))).is_ok() {}
    let out = tempfile::tempdir().unwrap();
    let built = Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .args(["build", "--root"])
        .arg(&preview.root)
        .arg("--output-dir")
        .arg(out.path().join("p"))
        .args(["--base-url", &format!("http://127.0.0.1:{}/", preview.port)])
        .output()
        .unwrap();
    assert!(built.status.success());
    let mut compared = 0;
    for entry in walkdir::WalkDir::new(out.path().join("p")) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(out.path().join("p"))
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !entry.file_type().is_file() || rel == ".tebiki-output" {
            continue;
        }
        let expected = std::fs::read(entry.path()).unwrap();
        let body = preview.get(&format!("/{rel}")).body;
        let is_page = Path::new(&rel)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html"));
        let got = if is_page { strip_injected(&body) } else { body };
        assert!(got == expected, "/{rel} differs from a clean build");
        compared += 1;
    }
    assert!(compared > 30, "{compared} files compared");
}

/// The served HTML without what serve injects (the live-reload script).
fn strip_injected(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(html.to_vec()).unwrap();
    let start = text
        .find("<script data-tebiki-livereload>")
        .expect("injected script");
    let end = text[start..].find("</script>").unwrap() + start + "</script>".len();
    format!("{}{}", &text[..start], &text[end..]).into_bytes()
}
