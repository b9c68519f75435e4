//! A build killed at any moment (`kill -9`) leaves the previous output or the new one, complete,
//! and the next build removes whatever staging folder the killed one left behind.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const KILLS: usize = 20;

fn build(root: &Path, out: &Path) -> std::process::Child {
    Command::new(assert_cmd::cargo::cargo_bin("tebiki"))
        .env("LC_ALL", "C")
        .args(["build", "--root"])
        .arg(root)
        .arg("--output-dir")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn complete_build(root: &Path, out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let status = build(root, out).wait().unwrap();
    assert!(status.success());
    common::tree(out)
}

/// A small deterministic generator of kill moments (no randomness crate needed).
struct Moments(u64);

impl Moments {
    fn next_below(&mut self, limit: Duration) -> Duration {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        // The top 32 bits as a fraction of 2^32.
        let fraction = f64::from(u32::try_from(self.0 >> 32).unwrap_or(0)) / 4_294_967_296.0;
        limit.mul_f64(fraction)
    }
}

/// What is beside the output folder (staging folders of running or killed builds).
fn beside(out: &Path) -> Vec<String> {
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "public")
        .collect()
}

#[test]
fn twenty_kills_at_random_moments_never_leave_a_broken_output() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    common::generate_site(&one, 2_000, 100);
    common::generate_site(&two, 2_000, 100);
    // The second version differs in every guide page.
    for g in 0..20 {
        let guide = two.join(format!("content/guide-{g}/guide.yaml"));
        let text = std::fs::read_to_string(&guide).unwrap();
        std::fs::write(&guide, text.replace("生成されたガイド", "書き直したガイド")).unwrap();
    }
    let outputs = dir.path().join("outputs");
    let out = outputs.join("public");
    let started = Instant::now();
    let first = complete_build(&one, &out);
    let duration = started.elapsed();
    let second = complete_build(&two, &outputs.join("reference"));
    std::fs::remove_dir_all(outputs.join("reference")).unwrap();
    assert_ne!(first, second);
    let mut moments = Moments(0x7465_6269_6b69);
    let mut left_behind = 0;
    for kill in 0..KILLS {
        let root = if kill % 2 == 0 { &two } else { &one };
        let mut child = build(root, &out);
        if kill % 2 == 0 {
            // Any moment of the whole build.
            std::thread::sleep(moments.next_below(duration.mul_f64(1.2)));
        } else {
            // A moment of the writing and the swap: once the staging folder is there.
            let waited = Instant::now();
            while beside(&out).is_empty() && waited.elapsed() < duration * 3 {
                std::thread::sleep(Duration::from_millis(1));
            }
            std::thread::sleep(moments.next_below(Duration::from_millis(20)));
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = common::tree(&out);
        assert!(
            now == first || now == second,
            "after kill {kill} the output is neither version, complete"
        );
        left_behind += usize::from(!beside(&out).is_empty());
    }
    println!("{KILLS} kills; {left_behind} of them left a staging folder behind");
    assert!(left_behind > 0, "some kills hit the writing phase");
    let last = complete_build(&one, &out);
    assert_eq!(last, first);
    assert_eq!(
        beside(&out),
        Vec::<String>::new(),
        "no staging folder is left"
    );
}
