//! Anchor-matching benchmark (not a test): what following annotations into retaken screenshots
//! costs. A guide of `SHOTS` synthetic 1170×2532 phone screenshots, each with a textured
//! "button" circled and a "card" masked; `tebiki check --fix` records the anchors; then every
//! screenshot is "taken again" with the button and the card moved down. Prints the median of
//! `tebiki check` (release binary) with no screenshot retaken, and with all of them retaken, and
//! the difference per screenshot: decoding and matching. Run: `cargo bench --bench anchors`
//! (it builds nothing itself: `cargo build --release` first, or it uses `target/release/tebiki`
//! as `cargo bench` leaves it).
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const SHOTS: usize = 6;
const RUNS: usize = 5;
const WIDTH: u32 = 1170;
const HEIGHT: u32 = 2532;

fn main() {
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/tebiki");
    if !binary.is_file() {
        println!(
            "anchors bench: {} is missing; run `cargo build --release` first",
            binary.display()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_site(&root, 0);
    let fixed = tebiki(&binary, &root, &["check", "--fix"]);
    assert!(
        fixed.status.success(),
        "{}",
        String::from_utf8_lossy(&fixed.stderr)
    );
    let unchanged = median(&binary, &root);
    write_pictures(&root, 300);
    let retaken = median(&binary, &root);
    let said = tebiki(&binary, &root, &["check"]);
    let followed = String::from_utf8_lossy(&said.stdout)
        .matches("followed its target")
        .count();
    assert_eq!(
        followed,
        2 * SHOTS,
        "{}",
        String::from_utf8_lossy(&said.stdout)
    );
    let per_shot = retaken.saturating_sub(unchanged) / u32::try_from(SHOTS).unwrap();
    println!("check, no screenshot retaken:   {:>7.1} ms", ms(unchanged));
    println!(
        "check, {SHOTS} screenshots retaken: {:>7.1} ms",
        ms(retaken)
    );
    println!(
        "following, per {WIDTH}×{HEIGHT} screenshot (decode + 2 anchors): {:>6.1} ms",
        ms(per_shot)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn tebiki(binary: &Path, root: &Path, args: &[&str]) -> std::process::Output {
    Command::new(binary)
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

/// The median time of `tebiki check` over `RUNS` runs.
fn median(binary: &Path, root: &Path) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let _ = tebiki(binary, root, &["check"]);
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

/// A site of `SHOTS` steps, each with a screenshot whose button and card are `shift` pixels
/// further down.
fn write_site(root: &Path, shift: u32) {
    let guide = root.join("content/demo");
    std::fs::create_dir_all(guide.join("steps")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        "title: Bench\nbase_url: https://b.test/\n",
    )
    .unwrap();
    let mut yaml = String::from(
        "title: 追従の計測\ndescription: 撮り直した画像で注釈を追う時間。\npublished: 2026-12-01\nsections:\n  - id: main\n    kind: procedure\n    title: 手順\n    steps:\n",
    );
    for s in 0..SHOTS {
        let _ = writeln!(yaml, "      - s{s}");
        std::fs::write(
            guide.join(format!("steps/s{s}.md")),
            format!(
                "---\ntitle: 手順{s}\nimage:\n  src: images/s{s}.png\n  alt: 設定画面\n  annotations:\n    - {{shape: circle, x: 585, y: 1222, r: 150}}\n    - {{shape: mask, x: 100, y: 500, w: 970, h: 120}}\n---\n押します。\n"
            ),
        )
        .unwrap();
    }
    std::fs::write(guide.join("guide.yaml"), yaml).unwrap();
    write_pictures(root, shift);
}

fn write_pictures(root: &Path, shift: u32) {
    let images: PathBuf = root.join("content/demo/images");
    std::fs::create_dir_all(&images).unwrap();
    for s in 0..SHOTS {
        screen(s, shift)
            .save(images.join(format!("s{s}.png")))
            .unwrap();
    }
}

/// A white phone screen with a grey header, a card (a name and a number) between a heading and a
/// note, and a textured button; the card and the button `shift` pixels down.
fn screen(seed: usize, shift: u32) -> image::RgbImage {
    image::RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let header = y < 180;
        let (bx, by) = (435, 1150 + shift);
        let button = x >= bx && x < bx + 300 && y >= by && y < by + 144;
        let letter = button && (x - bx) % 36 < 14 && (y - by) > 40 && (y - by) < 100;
        let (cx, cy) = (100, 440 + shift);
        // The card's heading above it and a note below it: what a mask is found by.
        let text_row = |top: u32| y >= top && y < top + 40 && (x / 9 + y / 5) % 3 == 0;
        let label = x >= cx && x < cx + 600 && (text_row(cy) || text_row(cy + 200));
        let card = x >= cx && x < cx + 970 && y >= cy + 60 && y < cy + 180;
        let value = card && (x * 3 + y + u32::try_from(seed).unwrap_or(0)) % 11 < 4;
        let v: u8 = if letter || value {
            30
        } else if button {
            90
        } else if label {
            60
        } else if card {
            235
        } else if header {
            200
        } else {
            250
        };
        image::Rgb([v, v, v])
    })
}
