//! Cold and warm build benchmark (not a test): the generated 10,000-step site (100 guides of 100
//! steps, as `benches/build.rs` generates it) built by the release binary into tmpfs, each figure
//! printed beside `cp -r` of the same input in the same run.
//!
//! Run: `cargo bench --bench cold`. Everything is under `/dev/shm` (tmpfs). Three figures, each
//! the median of `RUNS` runs:
//! - cold: no `.tebiki-cache` (every share card drawn) and no previous output;
//! - warm: the cache and the previous output kept;
//! - cards: the warm build with only `.tebiki-cache/cards/` emptied, so the 101 share cards are
//!   drawn again; "cards alone" is that less the warm build.
//!
//! Both shapes of generated site are measured: the light one of `benches/build.rs` and the heavy
//! one of `benches/serve.rs` (~150 words, a list and a screenshot a step).
//! `TEBIKI_BENCH_STEPS=100000` measures another size (still 100 steps a guide);
//! `TEBIKI_BENCH_KEEP=DIR` keeps copies of the generated sites in DIR/light and DIR/heavy;
//! `TEBIKI_BENCH_BIN=PATH` times another tebiki binary (an older build, to compare);
//! `TEBIKI_BENCH_RUNS=N` takes the median of N runs instead of 5.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Runs of each figure unless `TEBIKI_BENCH_RUNS` says otherwise.
const RUNS: usize = 5;

fn runs() -> usize {
    std::env::var("TEBIKI_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(RUNS)
}

fn main() {
    let steps: usize = std::env::var("TEBIKI_BENCH_STEPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let keep = std::env::var("TEBIKI_BENCH_KEEP").ok();
    for heavy in [false, true] {
        let shape = common::Shape {
            steps,
            per_guide: 100,
            heavy,
        };
        let what = if heavy { "heavy" } else { "light" };
        if let Some(keep) = &keep {
            common::generate(&Path::new(keep).join(what), &shape);
            println!("kept a copy in {keep}/{what}");
        }
        measure(&shape);
    }
}

/// Generates a site of `shape` on tmpfs and prints its figures.
fn measure(shape: &common::Shape) {
    let steps = shape.steps;
    let shm = tempfile::tempdir_in("/dev/shm").expect("a folder on /dev/shm (tmpfs)");
    let site = shm.path().join("site");
    common::generate(&site, shape);
    let out = shm.path().join("public");
    let cache = site.join(".tebiki-cache");
    // The input alone (no cache yet) is copied.
    let copy = median(|| cp_r(&site, &shm.path().join("copy")));
    // One build first, so that the binary is in the page cache.
    build(&site, &out);
    let cold = median(|| {
        remove(&cache);
        remove(&out);
        time(|| build(&site, &out))
    });
    let warm = median(|| time(|| build(&site, &out)));
    let cards = median(|| {
        remove(&cache.join("cards"));
        time(|| build(&site, &out))
    });
    println!(
        "{steps} steps in {} guides{}, output on tmpfs, median of {}:",
        steps / 100,
        if shape.heavy {
            " (heavy: ~150 words, a list and a picture a step)"
        } else {
            ""
        },
        runs()
    );
    line("cp -r of the input", copy, copy);
    line("cold build (empty cache)", cold, copy);
    line("warm build (cache kept)", warm, copy);
    line("warm build, cards drawn again", cards, copy);
    line(
        "cards alone (the difference)",
        cards.saturating_sub(warm),
        copy,
    );
}

/// Builds `site` into `out` with the release binary (or `TEBIKI_BENCH_BIN`).
fn build(site: &Path, out: &Path) {
    let bin = std::env::var("TEBIKI_BENCH_BIN");
    common::build_site(
        bin.as_deref().unwrap_or(env!("CARGO_BIN_EXE_tebiki")),
        site,
        out,
    );
}

/// The time of `cp -r src dst` (`dst` removed first, outside the timing).
fn cp_r(src: &Path, dst: &Path) -> Duration {
    remove(dst);
    time(|| {
        let status = Command::new("cp").arg("-r").arg(src).arg(dst).status();
        assert!(status.unwrap().success(), "cp -r failed");
    })
}

fn remove(dir: &Path) {
    if dir.exists() {
        fs::remove_dir_all(dir).unwrap();
    }
}

fn time(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

fn median(mut run: impl FnMut() -> Duration) -> Duration {
    let mut times: Vec<Duration> = (0..runs()).map(|_| run()).collect();
    times.sort();
    times[times.len() / 2]
}

fn line(name: &str, took: Duration, copy: Duration) {
    println!(
        "  {name:<32} {:>8.1} ms   {:>5.2}× cp -r",
        took.as_secs_f64() * 1000.0,
        took.as_secs_f64() / copy.as_secs_f64()
    );
}
