//! Picture benchmark (not a test): ten 1170×2532 PNG screenshots with circle, frame and mask
//! annotations; a cold build (empty cache) and a warm one (nothing changed). Prints both times,
//! the warm/cold ratio, and CPU time over wall time during the cold build (about 2.0 when both
//! cores encode). Run: `cargo bench --bench images`.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use tebiki::{BuildOptions, Site};

const SHOTS: usize = 10;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path());
    let out = dir.path().join("public");
    let options = BuildOptions {
        root: dir.path().to_path_buf(),
        output_dir: Some(out),
        base_url: None,
    };

    let (cpu0, start) = (cpu_seconds(), Instant::now());
    let report = Site::new(&options).unwrap().build().unwrap();
    let (cold, cpu) = (start.elapsed().as_secs_f64(), cpu_seconds() - cpu0);
    println!(
        "cold build: {:>8.1} ms  ({} picture files encoded, {} reused)",
        cold * 1000.0,
        report.images_encoded,
        report.images_reused
    );
    println!(
        "            CPU time / wall time = {:.2} (2 cores: up to 2.0)",
        cpu / cold
    );

    let mut warm = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let report = Site::new(&options).unwrap().build().unwrap();
        warm.push(start.elapsed().as_secs_f64());
        assert_eq!(report.images_encoded, 0);
    }
    warm.sort_by(f64::total_cmp);
    let median = warm[warm.len() / 2];
    println!(
        "warm build: {:>8.1} ms  (median of 5, 0 encoded)",
        median * 1000.0
    );
    println!("warm / cold = {:.1}%", median / cold * 100.0);
}

/// CPU seconds (user + system) this process has used, from /proc/self/stat.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn generate(root: &Path) {
    std::fs::create_dir_all(root.join("content/shots/steps")).unwrap();
    std::fs::create_dir_all(root.join("content/shots/images")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        "title: Bench\nbase_url: https://bench.test/\n",
    )
    .unwrap();
    let mut yaml = String::from(
        "title: 画面\ndescription: D\npublished: 2026-01-01\nsections:\n  - id: main\n    kind: procedure\n    title: 手順\n    steps:\n",
    );
    for i in 0..SHOTS {
        let _ = writeln!(yaml, "      - s{i}");
        screenshot(i)
            .save(root.join(format!("content/shots/images/s{i}.png")))
            .unwrap();
        let front = format!(
            "---\ntitle: 手順{i}\nimage:\n  src: images/s{i}.png\n  alt: 画面{i}\n  annotations:\n    - {{shape: circle, x: 8%, y: 5%, r: 6%}}\n    - {{shape: frame, x: 10%, y: 40%, w: 80%, h: 8%, rounded: true}}\n    - {{shape: mask, x: 10%, y: 20%, w: 80%, h: 4%}}\n---\n本文。\n"
        );
        std::fs::write(root.join(format!("content/shots/steps/s{i}.md")), front).unwrap();
    }
    std::fs::write(root.join("content/shots/guide.yaml"), yaml).unwrap();
}

/// A screenshot-like picture: bars of "text" on a light background, different per step.
fn screenshot(seed: usize) -> image::RgbImage {
    let seed = u32::try_from(seed).unwrap_or(0);
    image::RgbImage::from_fn(1170, 2532, |x, y| {
        let row = y / 60;
        let in_text =
            y % 60 > 18 && y % 60 < 42 && x > 60 && x < 200 + ((row * 37 + seed * 11) % 900);
        if in_text {
            image::Rgb([40, 40, 48])
        } else if row % 7 == 0 {
            image::Rgb([230, 236, 245])
        } else {
            image::Rgb([250, 250, 250])
        }
    })
}
