//! Live-reload latency benchmark (not a test): the time from saving a step file to the `reload`
//! message on the live-reload WebSocket of a running `tebiki serve`.
//!
//! Run: `cargo bench --bench serve`. It uses the release binary (`CARGO_BIN_EXE_tebiki`, built
//! by `cargo bench` with the release profile), serves a copy of the bundled guide and then a
//! generated site of 10,000 steps (100 guides × 100 steps, generated like `benches/build.rs`),
//! then the same with heavier steps (~150 words, a list, a screenshot and references each),
//! connects one WebSocket client to each, and saves one step file `EDITS` times (after one
//! warm-up save), waiting for `reload` each time. It prints the median, min and max of those
//! latencies, and beside them the server's own "rebuilt in N ms" figures (the rebuild alone,
//! without the 3 ms quiet time that gathers a burst of events, nor the file event and the
//! WebSocket message). Then it saves `EDITS` + 1 more times and, from outside, fetches the page
//! over HTTP (one request a millisecond) until the edit is in it: save → visible. Everything is on
//! loopback; every wait has a deadline.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead as _, BufReader, ErrorKind, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::thread;
use std::time::{Duration, Instant};

/// Measured saves per site (after one warm-up save).
const EDITS: usize = 15;
/// The pause between saves, so that each save is a change set of its own.
const PAUSE: Duration = Duration::from_millis(250);
/// The pause between two requests while waiting for an edit to show.
const POLL: Duration = Duration::from_millis(1);
/// The longest a start or a reload may take before the benchmark gives up.
const DEADLINE: Duration = Duration::from_secs(60);

fn main() {
    let bundled = tempfile::tempdir().unwrap();
    common::copy_bundled_site(bundled.path());
    measure(
        "bundled guide (35 steps)",
        bundled.path(),
        "content/zaim-amazon/steps/pause.md",
        "/zaim-amazon/",
    );

    let generated = tempfile::tempdir().unwrap();
    common::generate_site(generated.path(), 10_000, 100);
    measure(
        "10,000 steps (100 guides × 100)",
        generated.path(),
        "content/guide-50/steps/s50.md",
        "/guide-50/",
    );

    let heavy = tempfile::tempdir().unwrap();
    let shape = common::Shape {
        steps: 10_000,
        per_guide: 100,
        heavy: true,
    };
    common::generate(heavy.path(), &shape);
    // To time builds of the same site: TEBIKI_BENCH_KEEP_HEAVY=/some/folder keeps a copy.
    if let Ok(keep) = std::env::var("TEBIKI_BENCH_KEEP_HEAVY") {
        common::generate(Path::new(&keep), &shape);
    }
    measure(
        "10,000 steps, each ~150 words, a list, a picture, references (100 guides × 100)",
        heavy.path(),
        "content/guide-50/steps/s50.md",
        "/guide-50/",
    );
}

/// Serves `root`, saves `step` `EDITS` + 1 times and prints the save → `reload` latencies.
fn measure(name: &str, root: &Path, step: &str, page: &str) {
    let spawned = Instant::now();
    let mut server = Server::start(root);
    let startup = spawned.elapsed();
    let mut ws = WebSocket::connect(server.port);
    assert_eq!(ws.next_message(DEADLINE).as_deref(), Some("hello"));

    let path = root.join(step);
    let original = fs::read_to_string(&path).unwrap();
    let mut latencies = Vec::new();
    let mut rebuilds = Vec::new();
    let mut last = String::new();
    for i in 0..=EDITS {
        last = format!("ベンチマークの編集{i}回目。");
        let text = format!("{original}\n{last}\n");
        thread::sleep(PAUSE);
        let saved = Instant::now();
        fs::write(&path, text).unwrap();
        let message = ws.next_message(DEADLINE);
        let latency = saved.elapsed();
        assert_eq!(message.as_deref(), Some("reload"), "{}", server.stderr());
        let rebuilt = server.rebuilt_ms();
        if i > 0 {
            latencies.push(latency);
            rebuilds.push(rebuilt);
        }
    }
    let body = http_get(server.port, page);
    assert!(
        body.contains(&last),
        "the served page {page} shows the last edit"
    );
    // From outside: save, then fetch the page over HTTP until the edit is in it.
    let mut visible = Vec::new();
    for i in 0..=EDITS {
        let marker = format!("見える編集{i}回目。");
        let text = format!("{original}\n{marker}\n");
        thread::sleep(PAUSE);
        let _ = ws.next_message(Duration::from_millis(1));
        let saved = Instant::now();
        fs::write(&path, text).unwrap();
        // One request a millisecond, as a reader's browser would not hammer the server: a busy
        // loop of 0.5 MB requests would take one of this machine's two cores from the rebuild.
        while !http_get(server.port, page).contains(&marker) {
            assert!(saved.elapsed() < DEADLINE, "the edit never showed");
            thread::sleep(POLL);
        }
        if i > 0 {
            visible.push(saved.elapsed());
        }
        let _ = ws.next_message(DEADLINE);
    }
    server.stop();

    latencies.sort();
    visible.sort();
    rebuilds.sort_unstable();
    println!(
        "{name:<34} save → reload: median {:>6.1} ms (min {:.1}, max {:.1})   save → visible over HTTP: median {:>6.1} ms (min {:.1}, max {:.1})   server rebuild: median {} ms (min {}, max {})   first build + start: {:.0} ms",
        ms(latencies[EDITS / 2]),
        ms(latencies[0]),
        ms(latencies[EDITS - 1]),
        ms(visible[EDITS / 2]),
        ms(visible[0]),
        ms(visible[EDITS - 1]),
        rebuilds[EDITS / 2],
        rebuilds[0],
        rebuilds[EDITS - 1],
        ms(startup)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A running `tebiki serve --port 0`; killed when dropped.
struct Server {
    child: Child,
    port: u16,
    lines: Receiver<String>,
    stderr: Receiver<String>,
}

impl Server {
    fn start(root: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tebiki"))
            .arg("serve")
            .arg("--root")
            .arg(root)
            .args(["--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tebiki serve starts");
        let lines = forward(child.stdout.take().unwrap());
        let stderr = forward(child.stderr.take().unwrap());
        let mut server = Self {
            child,
            port: 0,
            lines,
            stderr,
        };
        let deadline = Instant::now() + DEADLINE;
        server.port = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = server
                .lines
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no `serving` line\n{}", server.stderr()));
            if let Some(port) = line
                .strip_prefix("serving ")
                .and_then(|l| l.split("http://127.0.0.1:").nth(1))
                .and_then(|l| l.split('/').next())
                .and_then(|p| p.parse().ok())
            {
                break port;
            }
        };
        server
    }

    /// The milliseconds of the next "rebuilt in N ms" line.
    fn rebuilt_ms(&self) -> u64 {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .lines
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no `rebuilt in` line\n{}", self.stderr()));
            if let Some(n) = line
                .strip_prefix("rebuilt in ")
                .and_then(|l| l.split(' ').next())
                .and_then(|n| n.parse().ok())
            {
                return n;
            }
        }
    }

    fn stderr(&self) -> String {
        self.stderr.try_iter().fold(String::new(), |mut out, line| {
            let _ = writeln!(out, "{line}");
            out
        })
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn forward(pipe: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = channel();
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    rx
}

/// GETs `target` and returns the body (the server closes the connection after it).
fn http_get(port: u16, target: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    assert!(
        text.starts_with("HTTP/1.1 200 "),
        "GET {target}: {text:.200}"
    );
    text
}

/// A WebSocket client for `/__tebiki/livereload`: handshake, then unmasked text frames.
struct WebSocket {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl WebSocket {
    fn connect(port: u16) -> Self {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            stream,
            "GET /__tebiki/livereload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        .unwrap();
        let mut ws = Self {
            stream,
            buf: Vec::new(),
        };
        let deadline = Instant::now() + DEADLINE;
        let end = loop {
            if let Some(end) = ws.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break end;
            }
            assert!(ws.fill(deadline), "no WebSocket handshake answer");
        };
        assert!(ws.buf.starts_with(b"HTTP/1.1 101 "), "handshake refused");
        ws.buf.drain(..end + 4);
        ws
    }

    /// Reads more bytes before `deadline`; false once it passed or the connection ended.
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
            Err(err) => matches!(
                err.kind(),
                ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
            ),
        }
    }

    /// The next text message other than `ping`, or `None` at the deadline or the end.
    fn next_message(&mut self, timeout: Duration) -> Option<String> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some((length, opcode, payload)) = parse_frame(&self.buf) {
                self.buf.drain(..length);
                match opcode {
                    0x1 if payload == b"ping" => continue,
                    0x1 => return Some(String::from_utf8(payload).unwrap()),
                    0x8 => return None,
                    _ => continue,
                }
            }
            if !self.fill(deadline) {
                return None;
            }
        }
    }
}

/// One complete unmasked frame at the start of `buf`: length in bytes, opcode, payload.
fn parse_frame(buf: &[u8]) -> Option<(usize, u8, Vec<u8>)> {
    let (&first, &second) = (buf.first()?, buf.get(1)?);
    let (length, start) = match second & 0x7f {
        126 => (
            usize::from(u16::from_be_bytes(buf.get(2..4)?.try_into().ok()?)),
            4,
        ),
        127 => (
            usize::try_from(u64::from_be_bytes(buf.get(2..10)?.try_into().ok()?)).ok()?,
            10,
        ),
        short => (usize::from(short), 2),
    };
    let payload = buf.get(start..start + length)?;
    Some((start + length, first & 0x0f, payload.to_vec()))
}
