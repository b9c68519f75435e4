//! Annotations follow what they point at when a screenshot is taken again (issue 24), end to
//! end on real phone screenshots: `tests/browser/capture-screens.mjs` renders a Japanese app's
//! screens in Chromium at 1170×2532 in three versions (v1; v2, where the 「連携する」 button,
//! the personal card and the list moved down; v3, where the button is gone); the real binary
//! checks, fixes and builds a guide annotated on v1, and the published WebP files are decoded
//! to see where the marks and the mask are.
//!
//! Without Chromium, Node or the npm packages (`npm ci`) this test prints one line and passes,
//! except under CI (`CI` set), where it fails and says what is missing (as tests/browser.rs).
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

mod common;

use common::{find_tool, is_executable, on_ci, say};

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use assert_cmd::Command as BinCommand;
use image::{Rgb, RgbImage};

/// The guide's folder in the site.
const GUIDE: &str = "content/renkei";
/// The screenshots' width and height (390×844 CSS pixels at 3×).
const WIDTH: f64 = 1170.0;
/// The mask's grey (#9aa0a6).
const MASK_GREY: [u8; 3] = [154, 160, 166];

/// Writes one line to the real stderr: libtest captures `eprintln!`, not this.
/// The captured screenshots: `<dir>/<version>/<screen>.png`, and where things are on them.
struct Shots {
    dir: PathBuf,
    boxes: serde_json::Value,
}

impl Shots {
    fn png(&self, version: &str, screen: &str) -> PathBuf {
        self.dir.join(version).join(format!("{screen}.png"))
    }

    /// The box (x, y, w, h in the PNG's pixels) of `what` on `screen` in `version`.
    fn at(&self, version: &str, screen: &str, what: &str) -> [f64; 4] {
        let b = &self.boxes[version][screen][what];
        let v: Vec<f64> = b
            .as_array()
            .unwrap_or_else(|| panic!("boxes.json has no {version}/{screen}/{what}"))
            .iter()
            .map(|n| n.as_f64().unwrap())
            .collect();
        [v[0], v[1], v[2], v[3]]
    }

    fn centre(&self, version: &str, screen: &str, what: &str) -> (f64, f64) {
        let [x, y, w, h] = self.at(version, screen, what);
        ((x + w / 2.0).round(), (y + h / 2.0).round())
    }
}

/// FNV-1a over a file's bytes: what names it in anchors.yaml (16 hex digits).
fn content_hash(path: &Path) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in fs::read(path).unwrap() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The screenshots, captured once per run of this test binary (and kept in the target folder
/// while the capture script is the same); `None` when the tools are missing (not under CI).
fn shots() -> Option<&'static Shots> {
    static SHOTS: OnceLock<Option<Shots>> = OnceLock::new();
    SHOTS.get_or_init(capture).as_ref()
}

fn capture() -> Option<Shots> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chromium = std::env::var_os("CHROMIUM")
        .filter(|v| !v.is_empty())
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let node = find_tool("NODE", "node");
    let mut missing = Vec::new();
    if !is_executable(&chromium) {
        missing.push(format!(
            "Chromium not found at {} (apt-get install chromium)",
            chromium.display()
        ));
    }
    if node.is_none() {
        missing.push("Node.js not found (Node.js 20 or later)".to_owned());
    }
    if !root
        .join("node_modules/playwright-core/package.json")
        .is_file()
    {
        missing.push(
            "node_modules/playwright-core is not installed (npm ci --no-audit --no-fund --ignore-scripts)"
                .to_owned(),
        );
    }
    if !missing.is_empty() {
        let what = missing.join("; ");
        assert!(
            !on_ci(),
            "the anchor tests cannot run under CI: {what} (.ci/run installs these)"
        );
        say(&format!(
            "anchor tests skipped: {what}; they need real screenshots made in Chromium"
        ));
        return None;
    }
    let script = root.join("tests/browser/capture-screens.mjs");
    let mut key = fs::read(&script).unwrap();
    key.extend(fs::read(root.join("tests/browser/lib.mjs")).unwrap());
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("anchor-screens-{hash:016x}"));
    if !dir.join("boxes.json").is_file() {
        let partial = dir.with_extension("partial");
        let _ = fs::remove_dir_all(&partial);
        fs::create_dir_all(&partial).unwrap();
        let started = Instant::now();
        let output = Command::new(node.unwrap())
            .arg(&script)
            .arg(&partial)
            .current_dir(root)
            .env("CHROMIUM", &chromium)
            .stdin(Stdio::null())
            .output()
            .expect("run node");
        assert!(
            output.status.success(),
            "capture-screens.mjs failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        let _ = fs::remove_dir_all(&dir);
        fs::rename(&partial, &dir).unwrap();
        say(&format!(
            "anchor tests: screenshots captured in {:.1}s into {}",
            started.elapsed().as_secs_f32(),
            dir.display()
        ));
    }
    let boxes = serde_json::from_str(&fs::read_to_string(dir.join("boxes.json")).unwrap()).unwrap();
    Some(Shots { dir, boxes })
}

/// Runs the real binary with `args` on the site at `root`.
fn tebiki(root: &Path, args: &[&str]) -> Output {
    BinCommand::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// What a run said: `check` reports on stdout, `build` on stderr.
fn both(output: &Output) -> String {
    format!("{}{}", text(&output.stdout), text(&output.stderr))
}

/// `tebiki build` into `<root>/public`.
fn build(root: &Path) -> Output {
    let out = root.join("public");
    BinCommand::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output-dir")
        .arg(&out)
        .output()
        .unwrap()
}

/// One problem as the terminal shows it: `warning: message` and ` --> file:line:col`.
#[derive(Debug, Clone)]
struct Said {
    severity: String,
    message: String,
    file: String,
    line: usize,
    col: usize,
}

/// Every problem in `stderr`.
fn problems(stderr: &str) -> Vec<Said> {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((severity, message)) = line
            .strip_prefix("warning: ")
            .map(|m| ("warning", m))
            .or_else(|| line.strip_prefix("error: ").map(|m| ("error", m)))
        else {
            continue;
        };
        let place = lines[i + 1..]
            .iter()
            .take(2)
            .find_map(|l| l.trim_start().strip_prefix("--> "));
        let (file, line, col) = place.map_or((String::new(), 0, 0), |p| {
            let mut parts = p.rsplitn(3, ':');
            let col = parts.next().unwrap().parse().unwrap();
            let line = parts.next().unwrap().parse().unwrap();
            (parts.next().unwrap().to_owned(), line, col)
        });
        out.push(Said {
            severity: severity.to_owned(),
            message: message.to_owned(),
            file,
            line,
            col,
        });
    }
    out
}

/// The line (1-based) and column of the first `{` of the line of `file` holding `needle`.
fn place_of(root: &Path, file: &str, needle: &str) -> (usize, usize) {
    let text = fs::read_to_string(root.join(file)).unwrap();
    let (i, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in {file}:\n{text}"));
    (i + 1, line.find('{').unwrap() + 1)
}

/// "… from (x, y) to (x', y')" → ((x, y), (x', y')).
fn from_to(message: &str) -> ((f64, f64), (f64, f64)) {
    let nums: Vec<f64> = message[message.rfind(" from (").unwrap()..]
        .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        .filter(|s| !s.is_empty() && *s != "-")
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(nums.len(), 4, "{message}");
    ((nums[0], nums[1]), (nums[2], nums[3]))
}

/// The annotations, placed by numbers on v1: a circle on the 「連携する」 button, a mask on the
/// personal card, a (green) frame on the 通知 row; an arrow at 「許可する」 and a badge on the
/// app's logo; an ellipse round 「閉じる」; a circle on 「もう一度試す」 of the failure sign.
fn write_site(root: &Path, shots: &Shots) {
    let images = root.join(GUIDE).join("images");
    fs::create_dir_all(&images).unwrap();
    fs::create_dir_all(root.join(GUIDE).join("steps")).unwrap();
    for screen in ["settings", "confirm", "done", "error"] {
        fs::copy(
            shots.png("v1", screen),
            images.join(format!("{screen}.png")),
        )
        .unwrap();
    }
    fs::write(
        root.join("site.yaml"),
        "title: アンカーのテスト\nbase_url: https://anchors.test/\nlanguage: ja\n",
    )
    .unwrap();
    let (rx, ry) = shots.centre("v1", "error", "retry");
    fs::write(
        root.join(GUIDE).join("guide.yaml"),
        format!(
            "title: 家計簿アプリとAmazonを連携する\ndescription: 撮り直した画面でも注釈が目印を追いかけるかを確かめるガイドです。\npublished: 2026-12-01\napp: {{name: カケイボ, version: \"12.4\"}}\nsections:\n  - id: link\n    kind: procedure\n    title: 連携する\n    steps:\n      - open-settings\n      - confirm-link\n      - finish\n  - id: failure\n    kind: failure\n    title: 失敗したとき\n    signs:\n      - id: link-failed\n        symptom: 「連携できませんでした」と表示される\n        image:\n          src: images/error.png\n          alt: 連携できませんでしたというダイアログ。もう一度試すが赤い丸で囲まれている\n          annotations:\n            - {{shape: circle, x: {rx}, y: {ry}, r: 140}}\n        cause: 5分以内に承認できませんでした。\n        remedy: '[](@link)を最初からやり直します。'\n        arises_at: [confirm-link]\n"
        ),
    )
    .unwrap();
    let (bx, by) = shots.centre("v1", "settings", "button");
    let [cx, cy, cw, ch] = shots.at("v1", "settings", "card");
    let [wx, wy, ww, wh] = shots.at("v1", "settings", "row");
    fs::write(
        root.join(GUIDE).join("steps/open-settings.md"),
        format!(
            "---\ntitle: 設定を開いて【連携する】を押す\nimage:\n  src: images/settings.png\n  alt: 設定画面。連携するボタンが赤い丸で囲まれ、本人情報は隠されている\n  annotations:\n    - {{shape: circle, x: {bx}, y: {by}, r: 117}}\n    - {{shape: mask, x: {cx}, y: {cy}, w: {cw}, h: {ch}}}\n    - {{shape: frame, x: {wx}, y: {wy}, w: {ww}, h: {wh}, color: \"#0b8043\"}}\n---\n設定画面のいちばん下にある【連携する】を押します。\n"
        ),
    )
    .unwrap();
    let (ax, ay) = shots.centre("v1", "confirm", "allow");
    let (lx, ly) = shots.centre("v1", "confirm", "logo");
    fs::write(
        root.join(GUIDE).join("steps/confirm-link.md"),
        format!(
            "---\ntitle: 【許可する】を押す\nimage:\n  src: images/confirm.png\n  alt: 連携の確認画面。許可するを矢印が指している\n  annotations:\n    - {{shape: arrow, from: [900, 2300], to: [{ax}, {ay}]}}\n    - {{shape: badge, x: {lx}, y: {ly}, n: 1}}\n---\n【許可する】を押します。\n"
        ),
    )
    .unwrap();
    let (dx, dy) = shots.centre("v1", "done", "close");
    let [_, _, dw, dh] = shots.at("v1", "done", "close");
    fs::write(
        root.join(GUIDE).join("steps/finish.md"),
        format!(
            "---\ntitle: 【閉じる】を押す\nimage:\n  src: images/done.png\n  alt: 連携完了の画面。閉じるが赤い楕円で囲まれている\n  captured: {{version: \"12.1\"}}\n  annotations:\n    - {{shape: ellipse, x: {dx}, y: {dy}, rx: {}, ry: {}}}\n---\n【閉じる】を押せば完了です。\n",
            dw / 2.0 + 36.0,
            dh / 2.0 + 30.0
        ),
    )
    .unwrap();
}

/// The screenshots of `version` in the site; `done.png` is v1's taken again: the same pixels
/// in a file of other bytes (encoded anew).
fn retake(root: &Path, shots: &Shots, version: &str, screens: &[&str]) {
    let images = root.join(GUIDE).join("images");
    for screen in screens {
        if *screen == "done" {
            let before = fs::read(images.join("done.png")).unwrap();
            let picture = image::open(shots.png("v1", "done")).unwrap();
            let mut bytes = Vec::new();
            let encoder = image::codecs::png::PngEncoder::new_with_quality(
                &mut bytes,
                image::codecs::png::CompressionType::Fast,
                image::codecs::png::FilterType::Sub,
            );
            picture.write_with_encoder(encoder).unwrap();
            assert_ne!(bytes, before, "done.png must be another file");
            assert_eq!(
                image::load_from_memory(&bytes).unwrap().to_rgb8(),
                picture.to_rgb8(),
                "done.png must show the same pixels"
            );
            fs::write(images.join("done.png"), bytes).unwrap();
        } else {
            fs::copy(
                shots.png(version, screen),
                images.join(format!("{screen}.png")),
            )
            .unwrap();
        }
    }
}

/// Every file under `dir` (bytes), by path.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    common::tree(dir)
}

/// The published file of `stem` in `<root>/public/renkei/figures` whose name ends `suffix`.
fn published(root: &Path, stem: &str, suffix: &str) -> PathBuf {
    let dir = root.join("public/renkei/figures");
    let found: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with(&format!("{stem}-")) && name.ends_with(suffix)
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one {stem}-*{suffix} in {}: {found:?}",
        dir.display()
    );
    found.into_iter().next().unwrap()
}

fn decode(path: &Path) -> RgbImage {
    image::open(path)
        .unwrap_or_else(|e| panic!("decode {}: {e}", path.display()))
        .to_rgb8()
}

fn is_red(p: Rgb<u8>) -> bool {
    let [r, g, b] = p.0;
    r > 180 && g < 110 && b < 110
}

/// How much of a circle of radius `r` round (`x`, `y`) is drawn red in `picture`.
fn ring_share(picture: &RgbImage, (x, y): (f64, f64), r: f64) -> f64 {
    let mut red = 0;
    for k in 0..360 {
        let a = f64::from(k).to_radians();
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "inside"
        )]
        let (px, py) = (
            (x + r * a.cos()).round() as u32,
            (y + r * a.sin()).round() as u32,
        );
        if px < picture.width() && py < picture.height() && is_red(*picture.get_pixel(px, py)) {
            red += 1;
        }
    }
    f64::from(red) / 360.0
}

/// Where the red ring of radius `r` is, looked for within `reach` pixels of `near`: its centre
/// and how much of it is red there.
fn find_ring(picture: &RgbImage, near: (f64, f64), r: f64, reach: i32) -> ((f64, f64), f64) {
    let mut best = (near, 0.0);
    for dy in -reach..=reach {
        for dx in -reach..=reach {
            let at = (near.0 + f64::from(dx), near.1 + f64::from(dy));
            let share = ring_share(picture, at, r);
            if share > best.1 {
                best = (at, share);
            }
        }
    }
    best
}

/// Luma of a pixel.
fn luma(p: Rgb<u8>) -> f64 {
    let [r, g, b] = p.0.map(f64::from);
    0.299 * r + 0.587 * g + 0.114 * b
}

/// Checks that `rect` (x, y, w, h in the screenshot's pixels) is mask grey all over in
/// `picture` (a published file, `scale` of the screenshot's size): no darker pixel of what it
/// hid is left. Returns a problem, if any.
fn masked_problem(picture: &RgbImage, rect: [f64; 4], scale: f64, what: &str) -> Option<String> {
    let inset = 3.0;
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "inside"
    )]
    let px = |v: f64| v.round().max(0.0) as u32;
    let (x0, y0) = (px(rect[0] * scale + inset), px(rect[1] * scale + inset));
    let (x1, y1) = (
        px((rect[0] + rect[2]) * scale - inset).min(picture.width()),
        px((rect[1] + rect[3]) * scale - inset).min(picture.height()),
    );
    let (mut total, mut grey, mut dark) = (0u32, 0u32, 0u32);
    for y in y0..y1 {
        for x in x0..x1 {
            let p = *picture.get_pixel(x, y);
            total += 1;
            if p.0.iter().zip(MASK_GREY).all(|(c, m)| c.abs_diff(m) <= 14) {
                grey += 1;
            }
            if luma(p) < 130.0 {
                dark += 1;
            }
        }
    }
    let share = f64::from(grey) / f64::from(total.max(1));
    (total == 0 || share < 0.99 || dark > 0).then(|| {
        format!(
            "{what}: over ({x0}, {y0})–({x1}, {y1}) {:.1} % is mask grey and {dark} pixel(s) are dark (text of what it hides)",
            share * 100.0
        )
    })
}

/// Share of `rect` (screenshot pixels) that is mask grey in `picture` at `scale`.
fn grey_share(picture: &RgbImage, rect: [f64; 4], scale: f64) -> f64 {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "inside"
    )]
    let px = |v: f64| v.round().max(0.0) as u32;
    let (mut total, mut grey) = (0u32, 0u32);
    for y in px(rect[1] * scale)..px((rect[1] + rect[3]) * scale).min(picture.height()) {
        for x in px(rect[0] * scale)..px((rect[0] + rect[2]) * scale).min(picture.width()) {
            total += 1;
            let p = picture.get_pixel(x, y);
            if p.0.iter().zip(MASK_GREY).all(|(c, m)| c.abs_diff(m) <= 14) {
                grey += 1;
            }
        }
    }
    f64::from(grey) / f64::from(total.max(1))
}

/// The step files and guide.yaml, by name.
fn sources(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    out.insert(
        "guide.yaml".to_owned(),
        fs::read_to_string(root.join(GUIDE).join("guide.yaml")).unwrap(),
    );
    for step in ["open-settings", "confirm-link", "finish"] {
        let name = format!("steps/{step}.md");
        out.insert(
            name.clone(),
            fs::read_to_string(root.join(GUIDE).join(&name)).unwrap(),
        );
    }
    out
}

/// `line` with every number replaced by `#`.
fn without_numbers(line: &str) -> String {
    let mut out = String::new();
    let mut in_number = false;
    for c in line.chars() {
        if c.is_ascii_digit() || (in_number && c == '.') {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

/// The `hash:` of each figure in anchors.yaml.
fn anchor_hashes(root: &Path) -> BTreeMap<String, String> {
    let yaml: serde_json::Value =
        serde_saphyr::from_str(&fs::read_to_string(root.join(GUIDE).join("anchors.yaml")).unwrap())
            .unwrap();
    yaml["figures"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v["hash"].as_str().unwrap().to_owned()))
        .collect()
}

/// How long `tebiki check` takes on the site, the best of `runs`.
fn time_check(root: &Path, runs: usize) -> Duration {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            let output = tebiki(root, &["check"]);
            let took = started.elapsed();
            assert!(
                output.status.code() == Some(0),
                "check failed while timing:\n{}",
                both(&output)
            );
            took
        })
        .min()
        .unwrap()
}

#[test]
fn annotations_follow_their_targets_into_retaken_screenshots() {
    let Some(shots) = shots() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write_site(root, shots);
    record_anchors_on_v1(root);
    let v1_check = time_check(root, 3);
    retake(root, shots, "v2", &["settings", "confirm", "done", "error"]);
    let v2_check = check_on_v2(root, shots);
    say(&format!(
        "anchor tests: `tebiki check` {:.0} ms with the anchors' screenshots ({} build), {:.0} ms with 4 taken again (7 anchors looked for): {:.0} ms a screenshot",
        v1_check.as_secs_f64() * 1000.0,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        v2_check.as_secs_f64() * 1000.0,
        v2_check.saturating_sub(v1_check).as_secs_f64() * 1000.0 / 4.0
    ));
    build_on_v2(root, shots);
    fix_on_v2(root, shots);
}

/// The annotations moved from v1 to v2: (shape, screenshot, file, a text of the annotation's
/// line, the v1 point, the v2 point) — a centre, or a frame's or mask's top-left corner.
type Moved = (
    &'static str,
    &'static str,
    String,
    &'static str,
    (f64, f64),
    (f64, f64),
);

fn moved_from_v1_to_v2(shots: &Shots) -> Vec<Moved> {
    let corner = |version, what| {
        let [x, y, ..] = shots.at(version, "settings", what);
        (x, y)
    };
    vec![
        (
            "circle",
            "settings.png",
            format!("{GUIDE}/steps/open-settings.md"),
            "shape: circle",
            shots.centre("v1", "settings", "button"),
            shots.centre("v2", "settings", "button"),
        ),
        (
            "mask",
            "settings.png",
            format!("{GUIDE}/steps/open-settings.md"),
            "shape: mask",
            corner("v1", "card"),
            corner("v2", "card"),
        ),
        (
            "frame",
            "settings.png",
            format!("{GUIDE}/steps/open-settings.md"),
            "shape: frame",
            corner("v1", "row"),
            corner("v2", "row"),
        ),
        (
            "arrow",
            "confirm.png",
            format!("{GUIDE}/steps/confirm-link.md"),
            "shape: arrow",
            shots.centre("v1", "confirm", "allow"),
            shots.centre("v2", "confirm", "allow"),
        ),
        (
            "circle",
            "error.png",
            format!("{GUIDE}/guide.yaml"),
            "shape: circle",
            shots.centre("v1", "error", "retry"),
            shots.centre("v2", "error", "retry"),
        ),
    ]
}

/// v1: `check --fix` records the anchors (and changes nothing else); a second one does nothing;
/// `check` lists the screenshot of an older app version, anchors or not.
fn record_anchors_on_v1(root: &Path) {
    let anchors = root.join(GUIDE).join("anchors.yaml");
    let steps_before = sources(root);
    let fixed = tebiki(root, &["check", "--fix"]);
    let said = text(&fixed.stdout);
    assert!(
        fixed.status.success(),
        "check --fix on v1:\n{said}{}",
        text(&fixed.stderr)
    );
    assert!(
        said.trim_end().ends_with(
            "wrote the new place of 0 annotation(s) and recorded the anchors of 4 figure(s), in 1 file(s)"
        ),
        "{said}"
    );
    assert_eq!(
        sources(root),
        steps_before,
        "check --fix on v1 changed a source"
    );
    let hashes = anchor_hashes(root);
    let images = root.join(GUIDE).join("images");
    let expected: BTreeMap<String, String> = [
        ("step:open-settings", "settings"),
        ("step:confirm-link", "confirm"),
        ("step:finish", "done"),
        ("trouble:link-failed", "error"),
    ]
    .iter()
    .map(|(k, s)| {
        (
            (*k).to_owned(),
            content_hash(&images.join(format!("{s}.png"))),
        )
    })
    .collect();
    assert_eq!(hashes, expected, "anchors.yaml's figures and hashes");
    let recorded = fs::read_to_string(&anchors).unwrap();
    let anchor_lines: Vec<&str> = recorded
        .lines()
        .filter(|l| l.trim_start().starts_with("- {shape:"))
        .collect();
    assert_eq!(
        anchor_lines.len(),
        7,
        "one anchor per annotation (3 + 2 + 1 + 1):\n{recorded}"
    );
    let mask_line = anchor_lines
        .iter()
        .find(|l| l.contains("shape: mask"))
        .expect("the mask's anchor");
    assert!(mask_line.contains("hole: ["), "{mask_line}");

    // Again: nothing to do, nothing written.
    let content_before = tree(&root.join("content"));
    let again = tebiki(root, &["check", "--fix"]);
    assert!(again.status.success(), "{}", text(&again.stderr));
    assert!(
        text(&again.stdout).starts_with("nothing to fix"),
        "the second check --fix:\n{}",
        text(&again.stdout)
    );
    assert!(
        tree(&root.join("content")) == content_before,
        "the second check --fix changed a file"
    );

    // The screenshot of step 3 predates the app's version and has not been taken again: it is
    // listed, anchors or not.
    let check_v1 = tebiki(root, &["check"]);
    let stderr = both(&check_v1);
    assert_eq!(check_v1.status.code(), Some(0), "{stderr}");
    let (line, _) = place_of(root, &format!("{GUIDE}/steps/finish.md"), "captured:");
    let listed: Vec<Said> = problems(&stderr)
        .into_iter()
        .filter(|p| p.message.contains("older than the 12.4"))
        .collect();
    assert_eq!(listed.len(), 1, "{stderr}");
    assert_eq!(
        (listed[0].file.as_str(), listed[0].line),
        (format!("{GUIDE}/steps/finish.md").as_str(), line),
        "{stderr}"
    );
    assert!(!stderr.contains("followed"), "{stderr}");
}

/// v2 (taken again after the app's update): `check` warns at each moved annotation's line
/// that it followed its target, from where to where, and says nothing of the rest. Returns how
/// long `check` takes now.
fn check_on_v2(root: &Path, shots: &Shots) -> Duration {
    let check_v2 = tebiki(root, &["check"]);
    let stderr = both(&check_v2);
    assert_eq!(
        check_v2.status.code(),
        Some(0),
        "check on v2 (only warnings):\n{stderr}"
    );
    let said = problems(&stderr);
    let followed: Vec<&Said> = said
        .iter()
        .filter(|p| p.message.contains("followed its target"))
        .collect();
    let cases = moved_from_v1_to_v2(shots);
    let mut failures = Vec::new();
    for (shape, png, file, needle, was, now) in &cases {
        let file = file.as_str();
        let (line, col) = place_of(root, file, needle);
        let start = format!("the {shape} followed its target in images/{png} from (");
        let Some(hit) = followed.iter().find(|p| p.message.starts_with(&start)) else {
            failures.push(format!("no \"{start}…\" warning"));
            continue;
        };
        if (hit.severity.as_str(), hit.file.as_str(), hit.line, hit.col)
            != ("warning", file, line, col)
        {
            failures.push(format!(
                "{start}…: a {} at {}:{}:{}, not a warning at the annotation, {file}:{line}:{col}",
                hit.severity, hit.file, hit.line, hit.col
            ));
        }
        let (from, to) = from_to(&hit.message);
        let near = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs().max((a.1 - b.1).abs()) <= 2.0;
        if !near(from, *was) || !near(to, *now) {
            failures.push(format!(
                "{}: expected from {was:?} to {now:?} (±2 px)",
                hit.message
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\nall said:\n{stderr}",
        failures.join("\n")
    );
    assert_eq!(
        followed.len(),
        cases.len(),
        "only what moved is reported (not the badge on the logo, which stayed, nor done.png, taken again unchanged):\n{stderr}"
    );
    assert!(
        !said.iter().any(|p| p.severity == "error"
            || p.message.contains("done.png")
            || p.file.ends_with("finish.md")),
        "nothing about done.png (same pixels) nor any error:\n{stderr}"
    );
    // Step 3's screenshot was taken again and shows the same: it is no longer listed as stale.
    assert!(!stderr.contains("older than"), "{stderr}");
    time_check(root, 3)
}

/// What is wrong with the rings of the annotated copies on v2: each must be round its
/// target's new place (within 1 % of the width), none round its old one.
fn rings_moved(root: &Path, shots: &Shots) -> Vec<String> {
    let mut failures = Vec::new();
    for (png, what, r, then, now) in [
        (
            "settings",
            "button",
            117.0,
            shots.centre("v1", "settings", "button"),
            shots.centre("v2", "settings", "button"),
        ),
        (
            "error",
            "retry",
            140.0,
            shots.centre("v1", "error", "retry"),
            shots.centre("v2", "error", "retry"),
        ),
    ] {
        let picture = decode(&published(root, png, "-1080-annotated.webp"));
        let scale = f64::from(picture.width()) / WIDTH;
        let at = |(x, y): (f64, f64)| (x * scale, y * scale);
        let reach = (f64::from(picture.width()) * 0.03).round();
        #[allow(clippy::cast_possible_truncation, reason = "a few dozen pixels")]
        let (centre, share) = find_ring(&picture, at(now), r * scale, reach as i32);
        let off = (centre.0 - at(now).0)
            .abs()
            .max((centre.1 - at(now).1).abs());
        if share < 0.9 || off > f64::from(picture.width()) * 0.01 {
            failures.push(format!(
                "{png}: the red ring of the {what} is at {centre:?} ({:.0} % red), {off:.1} px from the {what}'s new centre {:?}",
                share * 100.0,
                at(now)
            ));
        }
        let old = ring_share(&picture, at(then), r * scale);
        if old > 0.2 {
            failures.push(format!(
                "{png}: {:.0} % of a ring round the {what}'s old place is red",
                old * 100.0
            ));
        }
    }
    failures
}

/// v2, `build`: the marks are drawn, and the mask burned into every published size, at the
/// new places; nothing is left where they were.
fn build_on_v2(root: &Path, shots: &Shots) {
    let cases = moved_from_v1_to_v2(shots);
    let built = build(root);
    let stderr = both(&built);
    assert!(built.status.success(), "build on v2:\n{stderr}");
    assert_eq!(
        problems(&stderr)
            .iter()
            .filter(|p| p.message.contains("followed its target"))
            .count(),
        cases.len(),
        "build warns as check does:\n{stderr}"
    );
    let mut failures = Vec::new();
    let card_now = shots.at("v2", "settings", "card");
    let card_then = shots.at("v1", "settings", "card");
    for suffix in [
        "-360.webp",
        "-720.webp",
        "-1080.webp",
        "-1080-annotated.webp",
    ] {
        let file = published(root, "settings", suffix);
        let picture = decode(&file);
        let scale = f64::from(picture.width()) / WIDTH;
        failures.extend(masked_problem(
            &picture,
            card_now,
            scale,
            &format!("settings{suffix}"),
        ));
        // Not also left where the card was (the notice and a heading are there now).
        let left = grey_share(
            &picture,
            [card_then[0], card_then[1] - 200.0, card_then[2], 200.0],
            scale,
        );
        if left > 0.2 {
            failures.push(format!(
                "settings{suffix}: {:.0} % of what is now above the card is mask grey",
                left * 100.0
            ));
        }
    }
    failures.extend(rings_moved(root, shots));
    // The badge on the logo still shows its number (white on red) in the annotated copy.
    let confirm = decode(&published(root, "confirm", "-1080-annotated.webp"));
    let size = f64::from(confirm.width()) / WIDTH;
    let (lx, ly) = shots.centre("v2", "confirm", "logo");
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "inside"
    )]
    let white = (0..30u32)
        .flat_map(|dy| (0..30u32).map(move |dx| (dx, dy)))
        .filter(|(dx, dy)| {
            let p = confirm.get_pixel((lx * size) as u32 - 15 + dx, (ly * size) as u32 - 15 + dy);
            p.0.iter().all(|c| *c > 200)
        })
        .count();
    if white < 20 {
        failures.push(format!(
            "confirm-…-annotated.webp: the badge's number is not drawn ({white} white pixels in its middle)"
        ));
    }
    // The page's overlay draws the circle and the frame at the new numbers too (the mask is
    // in the pixels).
    let page = fs::read_to_string(root.join("public/renkei/index.html")).unwrap();
    let (bx, by) = shots.centre("v2", "settings", "button");
    let row = shots.at("v2", "settings", "row");
    for wanted in [
        format!(r#"<circle class="mark" cx="{bx}" cy="{by}" r="117""#),
        format!(
            r#"<rect class="mark" x="{}" y="{}" width="{}" height="{}""#,
            row[0], row[1], row[2], row[3]
        ),
    ] {
        if !page.contains(&wanted) {
            failures.push(format!("the page has no {wanted}"));
        }
    }
    assert!(
        failures.is_empty(),
        "after the build on v2:\n{}",
        failures.join("\n")
    );

    assert!(!stderr.contains("older than"), "{stderr}");
}

/// v2, `check --fix`: only the followed numbers change in the sources (each changed line is
/// a moved annotation's, and only its numbers differ), anchors.yaml takes the new
/// screenshots' hashes, and `check` says nothing more about them.
fn fix_on_v2(root: &Path, shots: &Shots) {
    let anchors = root.join(GUIDE).join("anchors.yaml");
    let images = root.join(GUIDE).join("images");
    let before = sources(root);
    let anchors_before = fs::read_to_string(&anchors).unwrap();
    let fixed = tebiki(root, &["check", "--fix"]);
    let said = text(&fixed.stdout);
    assert!(fixed.status.success(), "{said}{}", text(&fixed.stderr));
    assert!(
        said.contains("wrote the new place of 5 annotation(s)"),
        "check --fix on v2:\n{said}"
    );
    let after = sources(root);
    let mut failures = Vec::new();
    // The lines that change: the moved annotations' (file, text of the line before).
    let mut changed_lines = Vec::new();
    for (name, old) in &before {
        let new = &after[name];
        let (old_lines, new_lines): (Vec<&str>, Vec<&str>) =
            (old.lines().collect(), new.lines().collect());
        if old_lines.len() != new_lines.len() || old.ends_with('\n') != new.ends_with('\n') {
            failures.push(format!("{name}: lines were added or removed:\n{new}"));
            continue;
        }
        for (o, n) in old_lines.iter().zip(&new_lines) {
            if o == n {
                continue;
            }
            changed_lines.push(format!("{name}: {}", o.trim()));
            if without_numbers(o) != without_numbers(n) {
                failures.push(format!("{name}: more than numbers changed:\n- {o}\n+ {n}"));
            }
        }
    }
    changed_lines.sort();
    let mut wanted: Vec<String> = [
        ("steps/open-settings.md", "shape: circle"),
        ("steps/open-settings.md", "shape: mask"),
        ("steps/open-settings.md", "shape: frame"),
        ("steps/confirm-link.md", "shape: arrow"),
        ("guide.yaml", "shape: circle"),
    ]
    .iter()
    .map(|(name, needle)| {
        let line = before[*name].lines().find(|l| l.contains(needle)).unwrap();
        format!("{name}: {}", line.trim())
    })
    .collect();
    wanted.sort();
    if changed_lines != wanted {
        failures.push(format!(
            "the changed lines are\n  {}\nnot the moved annotations'\n  {}",
            changed_lines.join("\n  "),
            wanted.join("\n  ")
        ));
    }
    // The numbers written are v2's.
    let settings_now = &after["steps/open-settings.md"];
    let (bx, by) = shots.centre("v2", "settings", "button");
    let card = shots.at("v2", "settings", "card");
    for wanted in [
        format!("{{shape: circle, x: {bx}, y: {by}, r: 117}}"),
        format!(
            "{{shape: mask, x: {}, y: {}, w: {}, h: {}}}",
            card[0], card[1], card[2], card[3]
        ),
    ] {
        if !settings_now.contains(&wanted) {
            failures.push(format!("open-settings.md has no {wanted}:\n{settings_now}"));
        }
    }
    // anchors.yaml: the retaken screenshots' hashes now.
    let hashes = anchor_hashes(root);
    for (key, png) in [
        ("step:open-settings", "settings"),
        ("step:confirm-link", "confirm"),
        ("step:finish", "done"),
        ("trouble:link-failed", "error"),
    ] {
        let now = content_hash(&images.join(format!("{png}.png")));
        if hashes.get(key) != Some(&now) {
            failures.push(format!(
                "anchors.yaml: {key} has hash {:?}, not {png}.png's {now}",
                hashes.get(key)
            ));
        }
    }
    if fs::read_to_string(&anchors).unwrap() == anchors_before {
        failures.push("anchors.yaml did not change".into());
    }
    assert!(
        failures.is_empty(),
        "check --fix on v2:\n{}\n{said}",
        failures.join("\n")
    );

    let clean = tebiki(root, &["check"]);
    let stderr = both(&clean);
    assert_eq!(clean.status.code(), Some(0), "{stderr}");
    assert!(
        !stderr.contains("followed") && !stderr.contains("no longer"),
        "check after check --fix:\n{stderr}"
    );
}

#[test]
fn a_target_gone_is_reported_at_its_line_and_a_lost_mask_publishes_nothing() {
    let Some(shots) = shots() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    write_site(root, shots);
    let fixed = tebiki(root, &["check", "--fix"]);
    assert!(fixed.status.success(), "{}", text(&fixed.stderr));

    // v3: the 「連携する」 button is gone and 「許可する」 is now an outlined 「同意して続ける」.
    retake(root, shots, "v3", &["settings", "confirm"]);
    let checked = tebiki(root, &["check"]);
    let stderr = both(&checked);
    assert_eq!(checked.status.code(), Some(1), "check on v3:\n{stderr}");
    let said = problems(&stderr);
    let settings_file = format!("{GUIDE}/steps/open-settings.md");
    let confirm_file = format!("{GUIDE}/steps/confirm-link.md");
    for (shape, png, file, needle) in [
        ("circle", "settings.png", &settings_file, "shape: circle"),
        ("arrow", "confirm.png", &confirm_file, "shape: arrow"),
    ] {
        let (line, col) = place_of(root, file, needle);
        let start =
            format!("what this {shape} pointed at is no longer in images/{png}; best match ");
        let hit = said
            .iter()
            .find(|p| p.message.starts_with(&start))
            .unwrap_or_else(|| panic!("no \"{start}…\":\n{stderr}"));
        assert_eq!(
            (hit.severity.as_str(), hit.file.as_str(), hit.line, hit.col),
            ("error", file.as_str(), line, col),
            "{}: at the annotation's line\n{stderr}",
            hit.message
        );
        assert!(
            stderr.contains(&format!("--> {file}:{line}:{col}")),
            "{stderr}"
        );
    }
    // The mask's surroundings are still there (moved down): it followed.
    assert!(
        said.iter().any(|p| p
            .message
            .starts_with("the mask followed its target in images/settings.png")),
        "{stderr}"
    );

    // build: what was lost is a warning there; the mask is burned in at the card's place.
    let built = build(root);
    let stderr = both(&built);
    assert!(built.status.success(), "build on v3:\n{stderr}");
    assert!(
        stderr.contains("warning: what this circle pointed at is no longer in"),
        "{stderr}"
    );
    let card = shots.at("v3", "settings", "card");
    for suffix in [
        "-360.webp",
        "-720.webp",
        "-1080.webp",
        "-1080-annotated.webp",
    ] {
        let picture = decode(&published(root, "settings", suffix));
        let scale = f64::from(picture.width()) / WIDTH;
        if let Some(problem) = masked_problem(&picture, card, scale, &format!("settings{suffix}")) {
            panic!("{problem}");
        }
    }
    let published_before = tree(&root.join("public"));

    // The settings screen redone: the personal card's surroundings are gone too. The mask
    // cannot be placed: the build fails at the mask's line and publishes nothing.
    fs::copy(
        shots.png("v3", "settings-redesigned"),
        root.join(GUIDE).join("images/settings.png"),
    )
    .unwrap();
    let failed = build(root);
    let stderr = both(&failed);
    assert!(
        !failed.status.success(),
        "build with the mask lost:\n{stderr}"
    );
    let (line, col) = place_of(root, &settings_file, "shape: mask");
    let hit = problems(&stderr)
        .into_iter()
        .find(|p| {
            p.message
                .starts_with("what this mask pointed at is no longer in images/settings.png")
        })
        .unwrap_or_else(|| panic!("no lost mask:\n{stderr}"));
    assert_eq!(
        (hit.severity.as_str(), hit.file.as_str(), hit.line, hit.col),
        ("error", settings_file.as_str(), line, col),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was published"), "{stderr}");
    assert!(
        tree(&root.join("public")) == published_before,
        "the failed build changed the published site"
    );
    let checked = tebiki(root, &["check"]);
    assert_eq!(checked.status.code(), Some(1));
    assert!(
        both(&checked).contains("error: what this mask pointed at is no longer in"),
        "{}",
        both(&checked)
    );
}
