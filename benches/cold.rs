//! Cold and warm build benchmark (not a test): the generated 10,000-step site (100 guides of 100
//! steps, as `benches/build.rs` generates it) built by the release binary into tmpfs, each figure
//! printed beside `cp -r` of the same input in the same run.
//!
//! Run: `cargo bench --bench cold`. Everything is under `/dev/shm` (tmpfs). Each figure is the
//! median of `RUNS` interleaved runs, wall-clock time and (beside it, steadier on a shared
//! machine) the build's CPU time:
//! - cold: no `.tebiki-cache` (every share card drawn) and no previous output;
//! - warm: the cache and the previous output kept (every guide page kept from the build
//!   before);
//! - one step changed: the warm build after one step's text changed (its guide's page is
//!   rendered again, the other 99 are kept);
//! - cards: the warm build with only `.tebiki-cache/cards/` emptied, so the 101 share cards are
//!   drawn again; "cards alone" is that less the warm build;
//! - peak memory: the largest resident size of one more cold build, by GNU time
//!   (`/usr/bin/time -f %M`, Debian's `time`).
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

/// Generates a site of `shape` on tmpfs and prints its figures. The runs are interleaved (a
/// copy, a cold build, a warm one, one with the cards drawn again, then again), so that another
/// load on the machine weighs on each figure alike.
fn measure(shape: &common::Shape) {
    let steps = shape.steps;
    let shm = tempfile::tempdir_in("/dev/shm").expect("a folder on /dev/shm (tmpfs)");
    let site = shm.path().join("site");
    common::generate(&site, shape);
    let out = shm.path().join("public");
    let cache = site.join(".tebiki-cache");
    // One build first, so that the binary is in the page cache.
    build(&site, &out);
    let mut rounds = Vec::new();
    for _ in 0..runs() {
        let copy = cp_r(&site, &shm.path().join("copy"));
        remove(&cache);
        remove(&out);
        let cold = build(&site, &out);
        let warm = build(&site, &out);
        let step = site.join("content/guide-0/steps/s0.md");
        let text = fs::read_to_string(&step).unwrap();
        fs::write(&step, format!("{text}\nround {}\n", rounds.len())).unwrap();
        let edited = build(&site, &out);
        remove(&cache.join("cards"));
        let cards = build(&site, &out);
        rounds.push([copy, cold, warm, cards, edited]);
    }
    let column = |i: usize| median(rounds.iter().map(|r| r[i]).collect());
    let [copy, cold, warm, cards, edited] = [column(0), column(1), column(2), column(3), column(4)];
    println!(
        "{steps} steps in {} guides{}, output on tmpfs, median of {} (CPU: user + system):",
        steps / 100,
        if shape.heavy {
            " (heavy: ~150 words, a list and a picture a step)"
        } else {
            ""
        },
        runs()
    );
    line("cp -r of the input", copy, copy.0);
    line("cold build (empty cache)", cold, copy.0);
    line("warm build (cache kept)", warm, copy.0);
    line("warm, one step changed", edited, copy.0);
    line("warm build, cards drawn again", cards, copy.0);
    let alone = (
        cards.0.saturating_sub(warm.0),
        cards.1.saturating_sub(warm.1),
    );
    line("cards alone (the difference)", alone, copy.0);
    remove(&cache);
    remove(&out);
    match peak_memory(&site, &out) {
        Some(kib) => println!("  peak memory of a cold build       {:>8} MiB", kib / 1024),
        None => println!("  peak memory: not measured (no /usr/bin/time, Debian's `time`)"),
    }
}

/// The largest resident size of a cold build of `site` (its cache and `out` removed before),
/// in KiB, as GNU time reports it; `None` without GNU time.
fn peak_memory(site: &Path, out: &Path) -> Option<u64> {
    let bin = std::env::var("TEBIKI_BENCH_BIN");
    let bin = bin.as_deref().unwrap_or(env!("CARGO_BIN_EXE_tebiki"));
    let run = Command::new("/usr/bin/time")
        .args(["-f", "peak %M"])
        .arg(bin)
        .arg("build")
        .arg("--root")
        .arg(site)
        .arg("--output-dir")
        .arg(out)
        .output()
        .ok()?;
    assert!(run.status.success(), "the cold build failed");
    let stderr = String::from_utf8_lossy(&run.stderr);
    stderr
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("peak ")?.trim().parse().ok())
}

/// Builds `site` into `out` with the release binary (or `TEBIKI_BENCH_BIN`): its wall-clock
/// time and CPU time.
fn build(site: &Path, out: &Path) -> Run {
    let bin = std::env::var("TEBIKI_BENCH_BIN");
    let bin = bin.as_deref().unwrap_or(env!("CARGO_BIN_EXE_tebiki"));
    timed(|| common::build_site(bin, site, out))
}

/// `cp -r` of the site's input (`site.yaml` and `content/`, not the cache) into a new `dst`.
fn cp_r(src: &Path, dst: &Path) -> Run {
    remove(dst);
    fs::create_dir(dst).unwrap();
    timed(|| {
        let status = Command::new("cp")
            .arg("-r")
            .arg(src.join("site.yaml"))
            .arg(src.join("content"))
            .arg(dst)
            .status();
        assert!(status.unwrap().success(), "cp -r failed");
    })
}

fn remove(dir: &Path) {
    if dir.exists() {
        fs::remove_dir_all(dir).unwrap();
    }
}

/// Wall-clock time and CPU time (of the child processes) of one run.
type Run = (Duration, Duration);

/// Runs `f`, which waits for a child process, and times it.
fn timed(f: impl FnOnce()) -> Run {
    let (start, cpu) = (Instant::now(), children_cpu());
    f();
    (start.elapsed(), children_cpu().saturating_sub(cpu))
}

/// The CPU time (user + system) of the child processes waited for so far, from
/// /proc/self/stat (`cutime` and `cstime`, in clock ticks of 10 ms).
fn children_cpu() -> Duration {
    let stat = fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Duration::from_millis((ticks(13) + ticks(14)) * 10)
}

fn median(mut runs: Vec<Run>) -> Run {
    runs.sort();
    let wall = runs[runs.len() / 2].0;
    runs.sort_by_key(|r| r.1);
    (wall, runs[runs.len() / 2].1)
}

fn line(name: &str, (wall, cpu): Run, copy: Duration) {
    println!(
        "  {name:<32} {:>8.1} ms   {:>5.2}× cp -r   CPU {:>6.0} ms",
        wall.as_secs_f64() * 1000.0,
        wall.as_secs_f64() / copy.as_secs_f64(),
        cpu.as_secs_f64() * 1000.0
    );
}
