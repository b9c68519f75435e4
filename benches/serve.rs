//! Preview latency benchmark (not a test): the time from saving a step file to the "reload"
//! message on the live-reload socket, for the bundled guide and for a generated 10,000-step
//! site (100 guides of 100 steps), with the release binary and default settings.
//! Run: `cargo bench --bench serve`.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const EDITS: usize = 15;

fn main() {
    let bundled = tempfile::tempdir().unwrap();
    copy_bundled(bundled.path());
    measure(
        "bundled guide (35 steps)",
        bundled.path(),
        "content/zaim-amazon/steps/pause.md",
    );
    let big = tempfile::tempdir().unwrap();
    generate(big.path(), 100, 100);
    measure(
        "10,000 steps (100 guides)",
        big.path(),
        "content/guide-42/steps/s7.md",
    );
}

fn measure(name: &str, root: &Path, step: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let port: u16 = loop {
        let line = lines.next().expect("serve exited").unwrap();
        if let Some(rest) = line.split(" at http://127.0.0.1:").nth(1) {
            break rest.split('/').next().unwrap().parse().unwrap();
        }
    };
    let mut socket = connect(port);
    let file = root.join(step);
    let original = std::fs::read_to_string(&file).unwrap();
    let mut times = Vec::new();
    for i in 0..EDITS {
        std::thread::sleep(Duration::from_millis(300));
        let start = Instant::now();
        std::fs::write(&file, format!("{original}\n編集{i}\n")).unwrap();
        while read_message(&mut socket) != "reload" {}
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    let _ = child.kill();
    let _ = child.wait();
    times.sort_by(f64::total_cmp);
    println!(
        "{name:<28} save → reload: median {:>6.1} ms (min {:.1}, max {:.1}, {EDITS} edits)",
        times[EDITS / 2],
        times[0],
        times[EDITS - 1]
    );
}

fn connect(port: u16) -> TcpStream {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(stream, "GET /__tebiki/livereload HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    stream
}

fn read_message(stream: &mut TcpStream) -> String {
    let mut head = [0u8; 2];
    stream.read_exact(&mut head).unwrap();
    let len = match head[1] & 127 {
        126 => {
            let mut b = [0u8; 2];
            stream.read_exact(&mut b).unwrap();
            usize::from(u16::from_be_bytes(b))
        }
        n => usize::from(n),
    };
    let mut payload = vec![0; len];
    stream.read_exact(&mut payload).unwrap();
    String::from_utf8(payload).unwrap()
}

fn copy_bundled(to: &Path) {
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

fn generate(root: &Path, guides: usize, per_guide: usize) {
    std::fs::write(
        root.join("site.yaml"),
        "title: Bench\nbase_url: https://bench.test/\n",
    )
    .unwrap();
    for g in 0..guides {
        let dir = root.join(format!("content/guide-{g}"));
        std::fs::create_dir_all(dir.join("steps")).unwrap();
        let mut yaml = format!(
            "title: ガイド{g}\ndescription: 生成\npublished: 2026-01-01\nsections:\n  - id: main\n    kind: procedure\n    title: 手順\n    steps:\n"
        );
        for s in 0..per_guide {
            let _ = writeln!(yaml, "      - s{s}");
            let body = format!(
                "---\ntitle: '手順{s}'\n---\n【ボタン{s}】を押します。[](@s{}) に戻れます。\n",
                s.saturating_sub(1)
            );
            std::fs::write(dir.join(format!("steps/s{s}.md")), body).unwrap();
        }
        std::fs::write(dir.join("guide.yaml"), yaml).unwrap();
    }
}
