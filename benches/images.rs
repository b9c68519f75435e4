//! Picture benchmark (not a test): a guide with one screenshot per step, each with a circle, a
//! frame and a mask; a cold build (empty cache) and a warm one (nothing changed). Prints both
//! times, the warm/cold ratio, CPU time over wall time during the cold build (about 2.0 when both
//! cores encode) and the bytes of each published variant set. Run: `cargo bench --bench images`.
//!
//! - `TEBIKI_BENCH_SHOTS=DIR`: the screenshots are DIR's PNGs (e.g. the 35 real ones that
//!   `benches/pictures/screenshots.mjs` makes); otherwise ten synthetic 1170×2532 ones.
//! - `TEBIKI_BENCH_QUALITY=N`: `images.quality` of the site (otherwise tebiki's default).
//! - `TEBIKI_BENCH_PLAIN=1`: no annotations (a mask is burned in: `score.py` compares the bare
//!   pictures).
//! - `TEBIKI_BENCH_KEEP=DIR`: the site and its output stay in DIR (for `benches/pictures/phone.mjs`).
//!
//! `benches/pictures/run.sh` runs it on real screenshots, with the phone download and Hugo.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use tebiki::{BuildOptions, Site};

const SHOTS: usize = 10;

fn main() {
    let temp = tempfile::tempdir().unwrap();
    let root = std::env::var_os("TEBIKI_BENCH_KEEP")
        .map_or_else(|| temp.path().to_path_buf(), PathBuf::from);
    if root.join("content").exists() {
        std::fs::remove_dir_all(root.join("content")).unwrap();
    }
    let _ = std::fs::remove_dir_all(root.join(".tebiki-cache"));
    generate(&root);
    let out = root.join("public");
    let options = BuildOptions {
        root: root.clone(),
        output_dir: Some(out.clone()),
        base_url: None,
        drafts: false,
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
    print_variant_sets(&out);
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

/// Sums the published WebP files by variant set: the file name's last part (`360`, `720`,
/// `1080`, `annotated`).
fn print_variant_sets(out: &Path) {
    let mut sets: BTreeMap<String, (usize, u64)> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(out).into_iter().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".webp") else {
            continue;
        };
        let set = stem.rsplit('-').next().unwrap_or("").to_owned();
        let size = entry.metadata().map_or(0, |m| m.len());
        let slot = sets.entry(set).or_default();
        *slot = (slot.0 + 1, slot.1 + size);
    }
    for (set, (files, bytes)) in sets {
        println!(
            "  {set:>9} set: {files:>3} files, {:>7.3} MB",
            f64::from(u32::try_from(bytes / 1000).unwrap_or(u32::MAX)) / 1000.0
        );
    }
}

/// The screenshots of the bench: `TEBIKI_BENCH_SHOTS`' PNGs, or ten synthetic ones.
fn shots() -> Vec<image::RgbImage> {
    let Some(dir) = std::env::var_os("TEBIKI_BENCH_SHOTS") else {
        return (0..SHOTS).map(screenshot).collect();
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| image::open(p).unwrap().to_rgb8())
        .collect()
}

fn generate(root: &Path) {
    std::fs::create_dir_all(root.join("content/shots/steps")).unwrap();
    std::fs::create_dir_all(root.join("content/shots/images")).unwrap();
    let mut site = String::from("title: Bench\nbase_url: https://bench.test/\n");
    if let Ok(quality) = std::env::var("TEBIKI_BENCH_QUALITY") {
        let _ = writeln!(site, "images:\n  quality: {quality}");
    }
    std::fs::write(root.join("site.yaml"), site).unwrap();
    let mut yaml = String::from(
        "title: 画面\ndescription: D\npublished: 2026-01-01\nsections:\n  - id: main\n    kind: procedure\n    title: 手順\n    steps:\n",
    );
    for (i, shot) in shots().iter().enumerate() {
        let _ = writeln!(yaml, "      - s{i}");
        shot.save(root.join(format!("content/shots/images/s{i}.png")))
            .unwrap();
        let annotations = if std::env::var_os("TEBIKI_BENCH_PLAIN").is_some() {
            ""
        } else {
            "  annotations:\n    - {shape: circle, x: 8%, y: 5%, r: 6%}\n    - {shape: frame, x: 10%, y: 40%, w: 80%, h: 8%, rounded: true}\n    - {shape: mask, x: 10%, y: 20%, w: 80%, h: 4%}\n"
        };
        let front = format!(
            "---\ntitle: 手順{i}\nimage:\n  src: images/s{i}.png\n  alt: 画面{i}\n{annotations}---\n本文。\n"
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
