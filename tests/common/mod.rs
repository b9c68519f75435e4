//! Helpers shared by the integration tests and the serve benchmark (`#[path]`-included there).
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]
#![allow(dead_code, reason = "each test crate uses a part of these helpers")]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// Copies the folder `src` into `dst`, recursively.
pub(crate) fn copy_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for entry in fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// Copies the bundled site's sources (`site.yaml`, `content/`, `themes/`, `static/` if any)
/// into the folder `to`.
pub(crate) fn copy_bundled_site(to: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::create_dir_all(to).unwrap();
    fs::copy(repo.join("site.yaml"), to.join("site.yaml")).unwrap();
    for dir in ["content", "themes", "static"] {
        if repo.join(dir).is_dir() {
            copy_dir(&repo.join(dir), &to.join(dir));
        }
    }
}

/// Every file below `dir` with its bytes, to compare a folder before and after.
pub(crate) fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Writes a site with `steps` steps, `per_guide` to a guide, each step referring to its
/// neighbours, with one window per guide and a failure section.
pub(crate) fn generate_site(root: &Path, steps: usize, per_guide: usize) {
    generate(root, &Shape::light(steps, per_guide));
}

/// What a generated site looks like.
pub(crate) struct Shape {
    pub steps: usize,
    pub per_guide: usize,
    /// Each step ~150 words of body text, a list and a screenshot (one PNG per guide), as the
    /// preview target of issue 10 describes; otherwise two short lines.
    pub heavy: bool,
}

impl Shape {
    pub(crate) fn light(steps: usize, per_guide: usize) -> Self {
        Self {
            steps,
            per_guide,
            heavy: false,
        }
    }
}

/// Writes a site of `shape`.
pub(crate) fn generate(root: &Path, shape: &Shape) {
    fs::create_dir_all(root).unwrap();
    fs::write(
        root.join("site.yaml"),
        "title: Bench\nbase_url: https://bench.test/\n",
    )
    .unwrap();
    let per_guide = shape.per_guide;
    for g in 0..shape.steps / per_guide {
        let dir = root.join(format!("content/guide-{g}"));
        fs::create_dir_all(dir.join("steps")).unwrap();
        if shape.heavy {
            fs::create_dir_all(dir.join("images")).unwrap();
            fs::write(dir.join("images/shot.png"), tiny_png(g)).unwrap();
        }
        let mut yaml = format!(
            "title: ガイド{g}\ndescription: 生成されたガイド\npublished: 2026-01-01\nwindows:\n  - id: w\n    label: 5分以内\n    from: s1\n    to: s{}\nsections:\n  - id: main\n    kind: procedure\n    title: 手順\n    steps:\n",
            per_guide.min(20)
        );
        for s in 0..per_guide {
            let _ = writeln!(yaml, "      - s{s}");
            fs::write(
                dir.join(format!("steps/s{s}.md")),
                step_text(s, shape.heavy),
            )
            .unwrap();
        }
        yaml.push_str("  - id: trouble\n    kind: failure\n    title: 失敗したとき\n    signs:\n      - id: stuck\n        symptom: 止まった\n        arises_at: [s0]\n        remedy: '[](@main) をやり直します。'\n");
        fs::write(dir.join("guide.yaml"), yaml).unwrap();
    }
}

fn step_text(s: usize, heavy: bool) -> String {
    let prev = s.saturating_sub(1);
    let mut text = format!("---\ntitle: '手順{s}：【ボタン{s}】を押す'\n");
    if heavy {
        let _ = write!(
            text,
            "image:\n  src: images/shot.png\n  alt: 手順{s}の画面。【ボタン{s}】を赤い丸で囲んでいます\n  annotations:\n    - {{shape: circle, x: 8, y: 8, r: 4}}\n"
        );
    }
    let _ = write!(
        text,
        "---\n画面の【ボタン{s}】を押します。うまくいかないときは [](@s{prev}) に戻るか、[](@trouble) を見てください。\n\n> [!CAUTION]\n> [](@s0..s{s}) の間は画面を消さないでください。\n"
    );
    if heavy {
        // About 150 words: five paragraphs of explanation and a list of three checks.
        for p in 0..5 {
            let _ = write!(
                text,
                "\nこの段落{p}では、手順{s}で画面に表示される項目と、その意味を説明します。表示が少し違っていても、同じ名前のボタンがあれば進めて大丈夫です。アプリを更新した直後は、読み込みに数秒かかることがあります。\n"
            );
        }
        let _ = write!(
            text,
            "\n確認すること:\n\n- 【ボタン{s}】が表示されている\n- 通信が切れていない\n- 前の手順（[](@s{prev})）を終えている\n"
        );
    }
    text
}

/// A small valid PNG (16×16, one colour per guide), for generated screenshots.
fn tiny_png(seed: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let shade = u8::try_from(seed % 200).unwrap_or(0) + 30;
    let pixels = image::RgbImage::from_pixel(16, 16, image::Rgb([shade, 120, 200]));
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// Builds the site `root` into `out` with the tebiki binary `bin` (`env!("CARGO_BIN_EXE_tebiki")`)
/// and asserts that it succeeded.
pub(crate) fn build_site(bin: &str, root: &Path, out: &Path) {
    let run = std::process::Command::new(bin)
        .env("LC_ALL", "C")
        .args(["build", "--root"])
        .arg(root)
        .arg("--output-dir")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
}

// --- Tools the browser tests need (Chromium, Node) ------------------------------------------

/// Writes one line to the real stderr: libtest captures `eprintln!`, not this.
pub(crate) fn say(line: &str) {
    use std::io::Write as _;
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(format!("{line}\n").as_bytes());
    let _ = err.flush();
}

pub(crate) fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// `$VAR` if set, else `name` looked up in `PATH`.
pub(crate) fn find_tool(var: &str, name: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(var).filter(|v| !v.is_empty()) {
        let path = PathBuf::from(path);
        return is_executable(&path).then_some(path);
    }
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

pub(crate) fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}
