//! Build-time benchmark (not a test): generates sites of growing size and times `Site::build`.
//!
//! Run: `cargo bench --bench build` (release profile). Prints the median of several builds for
//! the bundled guide and for generated sites of 2,500 to 20,000 steps, laid out two ways (one
//! huge guide; 100-step guides), so linear growth is visible. Set `TEBIKI_BENCH_KEEP=DIR` to
//! keep the generated 10,000-step site in DIR for measuring the binary with other tools.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tebiki::{BuildOptions, Site};

const RUNS: usize = 7;

fn main() {
    let bundled = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    report("bundled guide (35 steps)", &bundled);
    for steps in [2_500, 5_000, 10_000, 20_000] {
        for per_guide in [steps, 100] {
            let dir = tempfile::tempdir().unwrap();
            generate(dir.path(), steps, per_guide);
            let guides = steps / per_guide;
            report(&format!("{steps} steps in {guides} guide(s)"), dir.path());
            if let (10_000, 100, Ok(keep)) = (steps, per_guide, std::env::var("TEBIKI_BENCH_KEEP"))
            {
                generate(Path::new(&keep), steps, per_guide);
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

/// Writes a site with `steps` steps, `per_guide` to a guide, each step referring to its
/// neighbours, with one window per guide and a failure section.
fn generate(root: &Path, steps: usize, per_guide: usize) {
    std::fs::create_dir_all(root).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        "title: Bench\nbase_url: https://bench.test/\n",
    )
    .unwrap();
    for g in 0..steps / per_guide {
        let dir = root.join(format!("content/guide-{g}"));
        std::fs::create_dir_all(dir.join("steps")).unwrap();
        let mut yaml = format!(
            "title: ガイド{g}\ndescription: 生成されたガイド\npublished: 2026-01-01\nwindows:\n  - id: w\n    label: 5分以内\n    from: s1\n    to: s{}\nsections:\n  - id: main\n    kind: procedure\n    title: 手順\n    steps:\n",
            per_guide.min(20)
        );
        for s in 0..per_guide {
            let _ = writeln!(yaml, "      - s{s}");
            let body = format!(
                "---\ntitle: '手順{s}：【ボタン{s}】を押す'\n---\n画面の【ボタン{s}】を押します。うまくいかないときは [](@s{prev}) に戻るか、[](@trouble) を見てください。\n\n> [!CAUTION]\n> [](@s0..s{s}) の間は画面を消さないでください。\n",
                prev = s.saturating_sub(1)
            );
            std::fs::write(dir.join(format!("steps/s{s}.md")), body).unwrap();
        }
        yaml.push_str("  - id: trouble\n    kind: failure\n    title: 失敗したとき\n    signs:\n      - id: stuck\n        symptom: 止まった\n        arises_at: [s0]\n        remedy: '[](@main) をやり直します。'\n");
        std::fs::write(dir.join("guide.yaml"), yaml).unwrap();
    }
}
