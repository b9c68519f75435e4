//! Figures end to end, with pictures made inside the tests: a screenshot with a mask is
//! published only with the masked pixels replaced; an unreadable picture is an error at the
//! step's line; a mock-up is written as an SVG with its labels and highlight.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

use std::path::Path;

use assert_cmd::Command;
use scraper::{Html, Selector};

fn site(dir: &Path, front: &str) {
    std::fs::create_dir_all(dir.join("content/demo/steps")).unwrap();
    std::fs::create_dir_all(dir.join("content/demo/images")).unwrap();
    std::fs::write(
        dir.join("site.yaml"),
        "title: T\nbase_url: https://t.test/\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("content/demo/guide.yaml"),
        "title: デモ\ndescription: D\npublished: 2026-01-01\nsections:\n  - id: main\n    kind: procedure\n    title: 手順\n    steps: [shot]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("content/demo/steps/shot.md"),
        format!("---\ntitle: 画面\n{front}---\n本文。\n"),
    )
    .unwrap();
}

fn build(dir: &Path) -> std::process::Output {
    Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .arg("build")
        .arg("--root")
        .arg(dir)
        .arg("--output-dir")
        .arg(dir.join("public"))
        .output()
        .unwrap()
}

/// A 100×200 picture, red everywhere (the "e-mail address" region too).
fn red_png(path: &Path) {
    let picture = image::RgbaImage::from_pixel(100, 200, image::Rgba([220, 20, 20, 255]));
    picture.save(path).unwrap();
}

/// A site whose one step shows `images/shot.png` ([`red_png`]) with the image front matter
/// `front`, built successfully.
fn red_screenshot_site(front: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    site(dir, front);
    red_png(&dir.join("content/demo/images/shot.png"));
    let output = build(dir);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    tmp
}

/// `tebiki check` of the site at `dir`: whether it passed, and all it printed.
fn check(dir: &Path) -> (bool, String) {
    let out = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .args(["check", "--root"])
        .arg(dir)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

/// A site whose one step is the mock-up written as `front`, built: its folder and the SVG.
fn mockup_site(front: &str) -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    site(tmp.path(), front);
    assert!(build(tmp.path()).status.success());
    let svg = std::fs::read_to_string(tmp.path().join("public/demo/figures/shot.svg")).unwrap();
    (tmp, svg)
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

/// The number an SVG element's attribute `name` holds.
fn num_attr(el: scraper::ElementRef<'_>, name: &str) -> f64 {
    el.value().attr(name).unwrap().parse().unwrap()
}

#[test]
fn masked_region_is_replaced_in_the_published_picture_and_the_original_is_not_published() {
    let tmp = red_screenshot_site(
        "image:\n  src: images/shot.png\n  alt: 設定画面\n  lossless: true\n  annotations:\n    - {shape: mask, x: 10%, y: 20, w: 50, h: 10%}\n    - {shape: circle, x: 50%, y: 50%, r: 10}\n",
    );
    let dir = tmp.path();
    let html =
        Html::parse_document(&std::fs::read_to_string(dir.join("public/demo/index.html")).unwrap());
    let img = html
        .select(&Selector::parse("article#shot figure img").unwrap())
        .next()
        .expect("figure");
    let src = img.value().attr("src").unwrap();
    assert_eq!(
        (img.value().attr("width"), img.value().attr("height")),
        (Some("100"), Some("200"))
    );
    assert!(
        !dir.join("public/demo/images/shot.png").exists(),
        "the unmasked original must not be published"
    );
    let published = image::open(dir.join("public/demo").join(src))
        .unwrap()
        .to_rgba8();
    // Inside the mask (x 10..60, y 20..40): not the original red; outside: unchanged.
    for (x, y) in [(10, 20), (35, 30), (59, 39)] {
        assert_ne!(
            published.get_pixel(x, y),
            &image::Rgba([220, 20, 20, 255]),
            "({x},{y}) is masked"
        );
    }
    for (x, y) in [(9, 20), (60, 30), (35, 40), (5, 150)] {
        assert_eq!(
            published.get_pixel(x, y),
            &image::Rgba([220, 20, 20, 255]),
            "({x},{y}) is untouched"
        );
    }
    let overlay = html
        .select(&Selector::parse("article#shot .figure-overlay").unwrap())
        .next()
        .expect("overlay");
    assert_eq!(
        overlay.value().attr("viewBox"),
        Some("0 0 100 200"),
        "the overlay uses the picture's pixels"
    );
    let circle = html
        .select(&Selector::parse("article#shot .figure-overlay circle").unwrap())
        .next()
        .unwrap();
    assert_eq!(
        (circle.value().attr("cx"), circle.value().attr("cy")),
        (Some("50"), Some("100")),
        "50% of 100×200"
    );
}

#[test]
fn unreadable_picture_is_an_error_at_the_step() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    site(dir, "image:\n  src: images/broken.png\n  alt: 壊れた画像\n");
    std::fs::write(dir.join("content/demo/images/broken.png"), "not a picture").unwrap();
    let output = build(dir);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: the image `images/broken.png` cannot be read as a picture\n --> content/demo/steps/shot.md:4:8\n"), "{stderr}");
    assert!(
        stderr.contains("= help: use a PNG, JPEG, WebP or SVG (with width and height) file"),
        "{stderr}"
    );
}

#[test]
fn mockup_is_an_svg_with_its_labels_and_highlight_and_follows_a_label_change() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let front = "image:\n  alt: 連携設定の画面\n  mockup:\n    screen: 連携設定\n    items:\n      - {kind: button, id: link, text: 連携する}\n    highlight: [link]\n";
    site(dir, front);
    assert!(build(dir).status.success());
    let svg = std::fs::read_to_string(dir.join("public/demo/figures/shot.svg")).unwrap();
    assert!(
        svg.contains(">連携設定<") && svg.contains(">連携する<"),
        "{svg}"
    );
    assert_eq!(svg.matches(r#"class="highlight""#).count(), 1);
    site(dir, &front.replace("text: 連携する", "text: つなぐ"));
    assert!(build(dir).status.success());
    let changed = std::fs::read_to_string(dir.join("public/demo/figures/shot.svg")).unwrap();
    assert!(changed.contains(">つなぐ<") && !changed.contains(">連携する<"));
}

#[test]
fn mockup_avoid_marks_the_element_not_to_press_inside_the_picture() {
    let (_tmp, svg) = mockup_site(
        "image:\n  alt: 認証する（まだ押さない）\n  mockup:\n    screen: Amazon\n    items:\n      - {kind: button, id: auth, text: 認証する}\n    avoid: [auth]\n",
    );
    let doc = Html::parse_fragment(&svg);
    let marks: Vec<_> = doc.select(&sel("g.avoid")).collect();
    assert_eq!(marks.len(), 1, "{svg}");
    assert_eq!(doc.select(&sel("rect.highlight")).count(), 0);
    let attr = num_attr;
    let frame = marks[0].select(&sel("rect")).next().unwrap();
    let sign = marks[0].select(&sel("circle")).next().unwrap();
    let (x, w) = (attr(frame, "x"), attr(frame, "width"));
    assert!(
        x >= 0.0 && x + w <= 360.0,
        "the frame stays inside: {x} + {w}"
    );
    let (cx, r) = (attr(sign, "cx"), attr(sign, "r"));
    assert!(
        cx + r <= 360.0 && (x..=x + w).contains(&cx),
        "the sign sits on the frame's right end: {cx}"
    );
}

/// The kinds of mark the legend at the top of the guide page names.
fn legend(page: &str) -> Vec<String> {
    let doc = Html::parse_document(page);
    doc.select(&sel(".guide-header .mark-legend .mark-legend-item"))
        .map(|li| {
            let class = li.value().attr("class").unwrap();
            class
                .trim_start_matches("mark-legend-item mark-legend-")
                .to_owned()
        })
        .collect()
}

#[test]
fn a_look_mark_on_a_mockup_is_a_dotted_blue_frame_and_the_legend_names_only_it() {
    let (tmp, svg) = mockup_site(
        "image:\n  alt: 連携中の画面。メッセージが青い点線で囲まれている\n  mockup:\n    screen: ''\n    items:\n      - {kind: spinner, text: 連携中}\n      - {kind: message, id: msg, color: red, bottom: true, text: お待ちください}\n    look: [msg]\n",
    );
    let dir = tmp.path();
    let doc = Html::parse_fragment(&svg);
    let looks: Vec<_> = doc.select(&sel("rect.look")).collect();
    assert_eq!(looks.len(), 1, "{svg}");
    assert_eq!(doc.select(&sel("rect.highlight")).count(), 0, "{svg}");
    assert_eq!(looks[0].value().attr("stroke"), Some("#1565c0"));
    assert!(looks[0].value().attr("stroke-dasharray").is_some(), "{svg}");
    // The message pinned to the bottom: its frame ends near the drawing's bottom edge.
    let root = doc.select(&sel("svg")).next().unwrap();
    let height = root
        .value()
        .attr("viewBox")
        .unwrap()
        .split(' ')
        .nth(3)
        .unwrap()
        .parse::<f64>()
        .unwrap();
    let bottom = num_attr(looks[0], "y") + num_attr(looks[0], "height");
    assert!(
        bottom > height - 40.0,
        "the message is at the bottom: {bottom} of {height}"
    );
    let page = std::fs::read_to_string(dir.join("public/demo/index.html")).unwrap();
    assert_eq!(legend(&page), ["look"]);
}

#[test]
fn a_look_annotation_on_a_screenshot_is_dotted_blue_beside_a_red_press_mark() {
    let tmp = red_screenshot_site(
        "image:\n  src: images/shot.png\n  alt: 画面\n  annotations:\n    - {shape: frame, x: 10, y: 10, w: 50, h: 20, look: true}\n    - {shape: circle, x: 50, y: 150, r: 20}\n",
    );
    let page = std::fs::read_to_string(tmp.path().join("public/demo/index.html")).unwrap();
    let doc = Html::parse_document(&page);
    let look: Vec<_> = doc
        .select(&sel("svg.figure-overlay rect.mark-look"))
        .collect();
    assert_eq!(look.len(), 1);
    assert_eq!(look[0].value().attr("stroke"), Some("#1565c0"));
    assert!(look[0].value().attr("stroke-dasharray").is_some());
    let press: Vec<_> = doc.select(&sel("svg.figure-overlay circle.mark")).collect();
    assert_eq!(press.len(), 1);
    assert_eq!(press[0].value().attr("stroke"), Some("#e53935"));
    assert_eq!(press[0].value().attr("stroke-dasharray"), None);
    assert_eq!(legend(&page), ["press", "look"]);
}

#[test]
fn look_on_a_mask_and_an_unknown_look_id_are_errors_at_their_place() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    site(
        dir,
        "image:\n  src: images/shot.png\n  alt: 画面\n  annotations:\n    - {shape: mask, x: 1, y: 1, w: 5, h: 5, look: true}\n",
    );
    red_png(&dir.join("content/demo/images/shot.png"));
    let (ok, text) = check(dir);
    assert!(!ok, "{text}");
    assert!(
        text.contains("a `mask` annotation cannot be a \"look here\" mark"),
        "{text}"
    );
    assert!(text.contains("content/demo/steps/shot.md:7:51"), "{text}");
    site(
        dir,
        "image:\n  alt: 画面\n  mockup:\n    items:\n      - {kind: button, id: ok, text: OK}\n    look: [okk]\n",
    );
    let (ok, text) = check(dir);
    assert!(!ok, "{text}");
    assert!(
        text.contains("there is no element `okk` to mark to look at in this mock-up"),
        "{text}"
    );
    assert!(text.contains("did you mean `ok`?"), "{text}");
    assert!(text.contains("content/demo/steps/shot.md:8:12"), "{text}");
}

#[test]
fn a_forbid_annotation_draws_a_prohibition_sign_with_its_label_over_the_screenshot() {
    let tmp = red_screenshot_site(
        "image:\n  src: images/shot.png\n  alt: 認証するボタン（まだ押さない）\n  annotations:\n    - {shape: forbid, x: 50%, y: 25%, r: 10%, text: まだ押さない}\n",
    );
    let page = std::fs::read_to_string(tmp.path().join("public/demo/index.html")).unwrap();
    let doc = Html::parse_document(&page);
    let sign = doc
        .select(&sel("svg.figure-overlay g.mark-forbid"))
        .next()
        .expect("the overlay holds the sign");
    let ring = sign.select(&sel("circle")).next().unwrap();
    let attr = num_attr;
    assert_eq!(
        (attr(ring, "cx"), attr(ring, "cy"), attr(ring, "r")),
        (50.0, 50.0, 10.0)
    );
    let line = sign.select(&sel("line")).next().unwrap();
    assert!(
        attr(line, "x1") < attr(line, "x2") && attr(line, "y1") < attr(line, "y2"),
        "the bar runs from top left to bottom right"
    );
    let label: String = sign.select(&sel("text")).next().unwrap().text().collect();
    assert_eq!(label, "まだ押さない");
}

#[test]
fn missing_alt_is_a_warning_for_build_and_an_error_for_check() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    site(dir, "image:\n  mockup:\n    screen: ホーム\n");
    let output = build(dir);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.starts_with(
            "warning: this image has no alt text\n --> content/demo/steps/shot.md:4:3\n"
        ),
        "{stderr}"
    );
    let check = Command::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .arg("check")
        .arg("--root")
        .arg(dir)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert!(
        String::from_utf8(check.stdout)
            .unwrap()
            .starts_with("error: this image has no alt text\n")
    );
}

/// "pictures: N encoded, M from the cache" from the build's summary line.
fn picture_counts(stderr: &str) -> (usize, usize) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("built "))
        .unwrap_or_else(|| panic!("{stderr}"));
    let after = line.split("pictures: ").nth(1).unwrap();
    let encoded = after.split(' ').next().unwrap().parse().unwrap();
    let reused = after
        .split(", ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    (encoded, reused)
}

#[test]
fn variants_srcset_masks_in_every_variant_and_a_cache_that_skips_unchanged_pictures() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    site(
        dir,
        "image:\n  src: images/phone.png\n  alt: 電話の画面\n  annotations:\n    - {shape: mask, x: 10%, y: 10%, w: 50%, h: 5%}\n",
    );
    let picture = image::RgbaImage::from_pixel(1170, 2532, image::Rgba([30, 120, 200, 255]));
    picture
        .save(dir.join("content/demo/images/phone.png"))
        .unwrap();

    let first = build(dir);
    let stderr = String::from_utf8(first.stderr).unwrap();
    assert!(first.status.success(), "{stderr}");
    assert_eq!(
        picture_counts(&stderr),
        (3, 0),
        "three WebP widths (no fallback: every browser the theme supports reads WebP; no annotated copy: nothing to draw): {stderr}"
    );

    let html =
        Html::parse_document(&std::fs::read_to_string(dir.join("public/demo/index.html")).unwrap());
    let img = html
        .select(&Selector::parse("article#shot figure img[srcset]").unwrap())
        .next()
        .expect("a picture with a srcset");
    let srcset = img.value().attr("srcset").unwrap();
    assert_eq!(
        img.value().attr("sizes"),
        Some("(max-width: 414px) calc(100vw - 54px), 360px"),
        "a portrait screenshot is drawn at most 360 CSS px wide"
    );
    let widths: Vec<&str> = srcset
        .split(", ")
        .map(|c| c.rsplit(' ').next().unwrap())
        .collect();
    assert_eq!(
        widths,
        ["360w", "720w", "1080w"],
        "never upscaled past the picture: {srcset}"
    );
    assert_eq!(
        (img.value().attr("width"), img.value().attr("height")),
        (Some("1080"), Some("2337"))
    );
    assert!(img.value().attr("src").unwrap().ends_with("-720.webp"));
    assert_eq!(
        img.value().attr("loading"),
        Some("eager"),
        "the page's first figure is not lazy"
    );
    assert_eq!(img.value().attr("decoding"), Some("async"));

    let original = image::Rgba([30, 120, 200, 255]);
    let files: Vec<String> = srcset
        .split(", ")
        .map(|c| c.split(' ').next().unwrap().to_owned())
        .chain([img.value().attr("src").unwrap().to_owned()])
        .collect();
    for file in &files {
        assert!(file.contains('-'), "content-hashed name: {file}");
        let published = image::open(dir.join("public/demo").join(file))
            .unwrap()
            .to_rgba8();
        let (w, h) = published.dimensions();
        // The middle of the mask (35%, 12.5%) is hidden; a point well outside is not.
        let inside = published.get_pixel(w * 35 / 100, h * 125 / 1000);
        let outside = published.get_pixel(w * 80 / 100, h * 50 / 100);
        assert!(
            inside.0[2] < 180,
            "{file}: the masked region still shows the original {inside:?}"
        );
        // Lossy WebP: the flat colour comes back within a few levels.
        let near = outside
            .0
            .iter()
            .zip(original.0)
            .all(|(a, b)| a.abs_diff(b) <= 6);
        assert!(near, "{file}: outside the mask is unchanged ({outside:?})");
    }
    assert!(
        !dir.join("public/demo/images/phone.png").exists(),
        "the original is not published"
    );

    let second = build(dir);
    let stderr = String::from_utf8(second.stderr).unwrap();
    assert_eq!(
        picture_counts(&stderr),
        (0, 3),
        "an unchanged rebuild re-encodes nothing: {stderr}"
    );
}

#[test]
fn missing_picture_is_an_error_at_the_step() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    site(dir, "image:\n  src: images/nowhere.png\n  alt: ない画像\n");
    let output = build(dir);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.starts_with("error: the image `images/nowhere.png` does not exist\n --> content/demo/steps/shot.md:4:8\n"), "{stderr}");
    assert!(stderr.contains("= help: add the file at content/demo/images/nowhere.png, or remove `image:` to leave the slot empty"), "{stderr}");
}
