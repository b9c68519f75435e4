//! Build-time benchmark (not a test): generates sites of growing size and times `Site::build`.
//!
//! Run: `cargo bench --bench build` (release profile). Prints the median of several builds for
//! the bundled guide and for generated sites of 2,500 to 20,000 steps, laid out two ways (one
//! huge guide; 100-step guides), so linear growth is visible. Set `TEBIKI_BENCH_KEEP=DIR` to
//! keep the generated 10,000-step site in DIR for measuring the binary with other tools.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tebiki::{BuildOptions, Site};

#[path = "../tests/common/mod.rs"]
mod common;

const RUNS: usize = 7;

fn main() {
    let bundled = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    report("bundled guide (35 steps)", &bundled);
    for steps in [2_500, 5_000, 10_000, 20_000] {
        for per_guide in [steps, 100] {
            let dir = tempfile::tempdir().unwrap();
            common::generate_site(dir.path(), steps, per_guide);
            let guides = steps / per_guide;
            report(&format!("{steps} steps in {guides} guide(s)"), dir.path());
            if let (10_000, 100, Ok(keep)) = (steps, per_guide, std::env::var("TEBIKI_BENCH_KEEP"))
            {
                common::generate_site(Path::new(&keep), steps, per_guide);
                println!("    kept a copy in {keep}");
            }
        }
    }
}

fn report(name: &str, root: &Path) {
    let out = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        root: root.to_path_buf(),
        output_dir: Some(out.path().join("public")),
        base_url: None,
        drafts: false,
    };
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let site = Site::new(&options).expect("site.yaml");
            site.build().expect("build");
            start.elapsed()
        })
        .collect();
    times.sort();
    let median = times[RUNS / 2];
    println!(
        "{name:<34} median {:>8.1} ms   (min {:.1} ms, max {:.1} ms)",
        ms(median),
        ms(times[0]),
        ms(times[RUNS - 1])
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
