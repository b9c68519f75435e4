//! `tebiki publish wordpress` against a real WordPress on 127.0.0.1 (`.ci/wordpress.sh`: Debian's
//! `wordpress`, `MariaDB` and PHP's server). Every test publishes its own copy of the bundled guide
//! under a slug of its own, and reads the result back through the REST API and the front end.
//!
//! Without the packages this prints one "wordpress tests skipped: …" line and passes, except
//! under CI (`CI` set), where it fails: `.ci/run` installs and starts WordPress.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use scraper::{Html, Selector};
use serde_json::Value;
use tempfile::TempDir;

/// The test blog: its address, user and application password.
struct Blog {
    url: String,
    user: String,
    password: String,
    /// An Author (no unfiltered HTML): login and application password.
    author: Option<(String, String)>,
    /// The admin's password for the login form (the block editor needs a session).
    login_password: String,
}

fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// The running test blog, started by `.ci/wordpress.sh start` if needed; `None` (skip) when
/// its packages are missing on a developer's machine.
fn blog() -> Option<&'static Blog> {
    static BLOG: OnceLock<Option<Blog>> = OnceLock::new();
    BLOG.get_or_init(|| {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/wordpress.sh");
        let started = Command::new("bash")
            .arg(&script)
            .arg("start")
            .output()
            .unwrap();
        if !started.status.success() {
            let why = String::from_utf8_lossy(&started.stderr).trim().to_owned();
            assert!(
                !under_ci(),
                "the WordPress tests cannot run under CI: {why} (.ci/run installs and starts it)"
            );
            eprintln!("wordpress tests skipped: {why}");
            return None;
        }
        let state =
            std::env::var("TEBIKI_WP_STATE").unwrap_or_else(|_| "/tmp/tebiki-wordpress".into());
        let env = std::fs::read_to_string(Path::new(&state).join("env")).unwrap();
        let var = |name: &str| {
            env.lines()
                .find_map(|l| l.strip_prefix(&format!("{name}=")))
                .unwrap()
                .to_owned()
        };
        let password = std::fs::read_to_string(var("TEBIKI_WP_PASSWORD_FILE")).unwrap();
        let author = std::fs::read_to_string(var("TEBIKI_WP_AUTHOR_PASSWORD_FILE")).unwrap();
        let login = std::fs::read_to_string(var("TEBIKI_WP_LOGIN_PASSWORD_FILE")).unwrap();
        Some(Blog {
            url: var("TEBIKI_WP_URL"),
            user: var("TEBIKI_WP_USER"),
            password: password.trim().to_owned(),
            author: Some((var("TEBIKI_WP_AUTHOR"), author.trim().to_owned())),
            login_password: login.trim().to_owned(),
        })
    })
    .as_ref()
}

/// A copy of the bundled site whose guide is called `slug` (each test its own post).
fn site(slug: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_bundled_site(&root);
    std::fs::rename(
        root.join("content/zaim-amazon"),
        root.join("content").join(slug),
    )
    .unwrap();
    (dir, root)
}

/// A slug no earlier run used (posts stay on the test blog between runs).
fn unique(name: &str) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    format!("{name}-{}-{now}", std::process::id())
}

/// Runs `tebiki publish wordpress --format json` with `password` and `extra` arguments.
fn publish(root: &Path, blog: &Blog, password: &str, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .env("LC_ALL", "C")
        .args(["publish", "wordpress", "--format", "json", "--root"])
        .arg(root)
        .args(["--url", &blog.url, "--user", &blog.user])
        .args(extra)
        .env("TEBIKI_WP_APP_PASSWORD", password)
        .env("HOME", root.join("no-home"))
        .output()
        .unwrap()
}

/// The JSON report of a run that must succeed.
fn published(root: &Path, blog: &Blog, extra: &[&str]) -> Value {
    let run = publish(root, blog, &blog.password, extra);
    assert!(
        run.status.success(),
        "publish failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_slice(&run.stdout).unwrap()
}

/// `GET <rest route>` as the test user.
fn rest(blog: &Blog, route: &str) -> Value {
    let url = format!("{}?rest_route={route}", blog.url);
    let token = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", blog.user, blog.password))
    };
    let mut response = ureq::get(&url)
        .header("Authorization", format!("Basic {token}"))
        .call()
        .unwrap();
    response.body_mut().read_json().unwrap()
}

fn post_content(blog: &Blog, id: u64) -> (Value, Html) {
    let post = rest(blog, &format!("/wp/v2/posts/{id}&context=edit"));
    let raw = post["content"]["raw"].as_str().unwrap().to_owned();
    (post, Html::parse_fragment(&raw))
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

/// The step anchors of the bundled guide's page, in order, as `tebiki build` writes them.
fn built_step_ids(root: &Path, slug: &str) -> Vec<String> {
    let out = root.parent().unwrap().join("public");
    let run = Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .env("LC_ALL", "C")
        .args(["build", "--root"])
        .arg(root)
        .arg("--output-dir")
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success());
    let page =
        Html::parse_document(&std::fs::read_to_string(out.join(slug).join("index.html")).unwrap());
    select(&page, "article.step")
        .iter()
        .map(|a| a.value().attr("id").unwrap().to_owned())
        .collect()
}

fn first_guide(report: &Value) -> &Value {
    &report["guides"][0]
}

#[test]
fn the_bundled_guide_becomes_a_draft_with_its_steps_links_and_pictures() {
    let Some(blog) = blog() else { return };
    let slug = unique("draft");
    let (_tmp, root) = site(&slug);
    let report = published(&root, blog, &[]);
    let guide = first_guide(&report);
    assert_eq!(guide["action"], "created");
    let id = guide["post_id"].as_u64().unwrap();
    let (post, html) = post_content(blog, id);
    assert_eq!(post["status"], "draft");
    assert_eq!(post["slug"], slug.as_str());

    // 35 steps, in the order of the built page, each heading carrying its anchor.
    let ids: Vec<String> = select(&html, "h3.tebiki-step-title")
        .iter()
        .map(|h| h.value().attr("id").unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 35);
    assert_eq!(ids, built_step_ids(&root, &slug));
    let badges: Vec<String> = select(&html, "h3.tebiki-step-title .tebiki-badge")
        .iter()
        .map(|b| b.text().collect())
        .collect();
    assert!(badges.contains(&"STEP16".to_owned()));

    // Every link to an anchor finds it inside the post.
    let anchors: BTreeSet<&str> = select(&html, "[id]")
        .iter()
        .filter_map(|e| e.value().attr("id"))
        .collect();
    let internal: Vec<&str> = select(&html, "a[href^='#']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        internal.len() > 50,
        "the guide's references: {}",
        internal.len()
    );
    for href in &internal {
        assert!(
            anchors.contains(&href[1..]),
            "{href} has no target in the post"
        );
    }
    // No link is left relative to a page the blog does not have.
    for a in select(&html, "a[href]") {
        let href = a.value().attr("href").unwrap();
        assert!(
            href.starts_with('#') || href.starts_with("http"),
            "a link the blog cannot follow: {href}"
        );
    }

    // Every picture is a media item of the post, served as a PNG.
    let media = rest(blog, &format!("/wp/v2/media&parent={id}&per_page=100"));
    let urls: BTreeSet<&str> = media
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["source_url"].as_str().unwrap())
        .collect();
    assert_eq!(
        select(&html, ".tebiki-step figure.wp-block-image img").len(),
        35,
        "a picture in every step"
    );
    let images = select(&html, "figure.wp-block-image img");
    let sources: BTreeSet<&str> = images
        .iter()
        .filter_map(|i| i.value().attr("src"))
        .collect();
    // The post's media: each distinct picture, the balloons' avatar, and the share card.
    let avatars: BTreeSet<&str> = select(&html, "img")
        .iter()
        .filter_map(|i| i.value().attr("src"))
        .filter(|src| !sources.contains(src))
        .collect();
    assert_eq!(avatars.len(), 1, "the balloons' avatar: {avatars:?}");
    assert_eq!(
        sources.len() + avatars.len() + 1,
        urls.len(),
        "one media item per distinct picture, the avatar and the card"
    );
    for src in &avatars {
        assert!(
            urls.contains(src),
            "the avatar {src} is not one of the post's media"
        );
    }
    for img in images {
        let src = img.value().attr("src").unwrap();
        assert!(urls.contains(src), "{src} is not one of the post's media");
        assert!(!img.value().attr("alt").unwrap_or("").is_empty());
        let response = ureq::get(src).call().unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "image/png");
    }
    // The admin may post <style> and JSON-LD: both are in.
    assert_eq!(select(&html, "style").len(), 1);
    let jsonld = select(&html, "script[type='application/ld+json']");
    let data: Value = serde_json::from_str(&jsonld[0].text().collect::<String>()).unwrap();
    assert_eq!(data["@type"], "HowTo");
    assert_legend(&html);
}

/// The legend of the marks, as on the guide page: the three kinds the bundled guide draws.
fn assert_legend(html: &Html) {
    let legend: Vec<String> = select(html, ".tebiki-post.mark-legend .mark-legend-item")
        .iter()
        .map(|li| li.text().collect::<String>())
        .collect();
    assert_eq!(
        legend,
        [
            "赤い枠：押すところ",
            "青い点線：見るところ",
            "⊘禁止マーク：まだ押さないところ"
        ]
    );
}

#[test]
fn publishing_again_updates_the_same_post_and_uploads_only_what_changed() {
    let Some(blog) = blog() else { return };
    let slug = unique("again");
    let (_tmp, root) = site(&slug);
    let first = published(&root, blog, &[]);
    let id = first_guide(&first)["post_id"].as_u64().unwrap();
    let uploads = first_guide(&first)["uploaded"].as_u64().unwrap();
    let reused = first_guide(&first)["reused"].as_u64().unwrap();
    // Steps whose pictures come out the same share one upload; the balloons' avatar and the
    // share card go up too.
    assert_eq!(uploads + reused, 37, "{first}");
    assert!(uploads > 0);

    let again = published(&root, blog, &[]);
    assert_eq!(first_guide(&again)["action"], "updated");
    assert_eq!(first_guide(&again)["post_id"].as_u64(), Some(id));
    assert_eq!(first_guide(&again)["uploaded"], 0);

    // One step's text and one step's picture change.
    let steps = root.join("content").join(&slug).join("steps");
    let pause = steps.join("pause.md");
    let text = std::fs::read_to_string(&pause).unwrap();
    let edited = "アプリを切り替える前に、この画面のまま待ちます（改訂版）。";
    std::fs::write(&pause, format!("{text}\n{edited}\n")).unwrap();
    let picture = steps.join("wait-updating.md");
    let text = std::fs::read_to_string(&picture).unwrap();
    let changed = text.replacen("screen: '", "screen: '新しい", 1);
    assert_ne!(changed, text);
    std::fs::write(&picture, changed).unwrap();
    let third = published(&root, blog, &[]);
    assert_eq!(first_guide(&third)["post_id"].as_u64(), Some(id));
    assert_eq!(first_guide(&third)["uploaded"], 1, "{third}");
    let (_, html) = post_content(blog, id);
    let text: String = html.root_element().text().collect();
    assert!(text.contains(edited));

    // The record lost: the post is found again by its slug, not duplicated.
    std::fs::remove_file(root.join(".tebiki/publish.yaml")).unwrap();
    let found = published(&root, blog, &[]);
    assert_eq!(first_guide(&found)["post_id"].as_u64(), Some(id));
    let same_slug = rest(
        blog,
        &format!("/wp/v2/posts&slug={slug}&status=any&context=edit"),
    );
    assert_eq!(same_slug.as_array().unwrap().len(), 1);
}

#[test]
fn refusals_say_what_to_do_and_leave_the_post_as_it_was() {
    let Some(blog) = blog() else { return };
    let slug = unique("refused");
    let (_tmp, root) = site(&slug);
    let report = published(&root, blog, &[]);
    let id = first_guide(&report)["post_id"].as_u64().unwrap();
    let (before, _) = post_content(blog, id);
    let pause = root.join("content").join(&slug).join("steps/pause.md");
    let text = std::fs::read_to_string(&pause).unwrap();
    std::fs::write(&pause, format!("{text}\n変更された本文。\n")).unwrap();

    let wrong = "abcd efgh ijkl mnop qrst uvwx";
    let run = publish(&root, blog, wrong, &[]);
    let said = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{said}");
    assert!(
        said.contains("HTTP 401") && said.contains("Application Passwords"),
        "{said}"
    );
    assert!(!said.contains(wrong) && !String::from_utf8_lossy(&run.stdout).contains(wrong));

    let nobody = Blog {
        url: "http://127.0.0.1:9/".into(),
        user: blog.user.clone(),
        password: blog.password.clone(),
        author: None,
        login_password: String::new(),
    };
    let run = publish(&root, &nobody, &blog.password, &[]);
    let said = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{said}");
    assert!(
        said.contains("could not reach http://127.0.0.1:9/"),
        "{said}"
    );
    assert!(!said.contains(&blog.password));

    let far = Blog {
        url: "http://blog.example/".into(),
        user: blog.user.clone(),
        password: blog.password.clone(),
        author: None,
        login_password: String::new(),
    };
    let run = publish(&root, &far, &blog.password, &[]);
    assert!(String::from_utf8_lossy(&run.stderr).contains("over plain HTTP"));

    let (after, _) = post_content(blog, id);
    assert_eq!(
        before["content"]["raw"], after["content"]["raw"],
        "the post is unchanged"
    );
    assert_eq!(before["modified"], after["modified"]);
}

#[test]
fn a_dry_run_prints_the_markup_and_changes_nothing() {
    let Some(blog) = blog() else { return };
    let slug = unique("dry");
    let (_tmp, root) = site(&slug);
    let report = published(&root, blog, &["--dry-run"]);
    let guide = first_guide(&report);
    assert_eq!(guide["action"], "would create");
    let markup = guide["markup"].as_str().unwrap();
    assert!(markup.contains("<!-- wp:group"));
    assert!(!root.join(".tebiki").exists(), "no record written");
    let posts = rest(
        blog,
        &format!("/wp/v2/posts&slug={slug}&status=any&context=edit"),
    );
    assert_eq!(posts.as_array().unwrap().len(), 0);
}

/// Runs the browser script `tests/browser/<script>` with `env`, when Chromium, node and the npm
/// packages are there (under CI they must be); `false` when it was skipped.
fn run_browser_script(script: &str, env: &[(&str, &str)]) -> bool {
    // One browser at a time: two Chromiums and the blog's four PHP workers on two cores make
    // the scripts' waits flaky.
    static ONE_BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = ONE_BROWSER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let ready = Path::new(&chromium).exists()
        && manifest
            .join("node_modules/playwright-core/package.json")
            .exists()
        && manifest.join("node_modules/axe-core/axe.min.js").exists()
        && Command::new("node")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    if !ready {
        assert!(
            !under_ci(),
            "the published post cannot be opened under CI: Chromium, node or the npm packages are missing (.ci/run installs them)"
        );
        eprintln!(
            "wordpress browser test skipped: Chromium, node or node_modules (npm ci) is missing"
        );
        return false;
    }
    let shots = manifest.join("target/browser-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let run = Command::new("node")
        .args(["--test", "--test-reporter=spec"])
        .arg(manifest.join("tests/browser").join(script))
        .current_dir(manifest)
        .envs(env.iter().copied())
        .env("TEBIKI_SCREENSHOTS", &shots)
        .env("CHROMIUM", &chromium)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    true
}

/// The post published and opened in Chromium at 390 and 1280 px (`tests/browser/wordpress-post.mjs`):
/// no horizontal overflow, badges and callouts styled, 「STEP16」 in STEP21 scrolls to STEP16,
/// no serious axe violation.
#[test]
fn the_published_post_reads_well_in_a_browser() {
    let Some(blog) = blog() else { return };
    let slug = unique("public");
    let (_tmp, root) = site(&slug);
    let report = published(&root, blog, &["--status", "publish"]);
    let link = first_guide(&report)["link"].as_str().unwrap().to_owned();
    run_browser_script("wordpress-post.mjs", &[("TEBIKI_WP_POST", &link)]);
}

/// The post opened in the block editor, logged in as the blogger
/// (`tests/browser/wordpress-editor.mjs`): every block is valid, each step is a group and each
/// image block names its item in the media library.
#[test]
fn the_block_editor_accepts_every_block_and_links_the_pictures_to_the_media_library() {
    let Some(blog) = blog() else { return };
    let slug = unique("editor");
    let (_tmp, root) = site(&slug);
    let steps = built_step_ids(&root, &slug).len().to_string();
    let report = published(&root, blog, &[]);
    let id = first_guide(&report)["post_id"]
        .as_u64()
        .unwrap()
        .to_string();
    run_browser_script(
        "wordpress-editor.mjs",
        &[
            ("TEBIKI_WP_URL", &blog.url),
            ("TEBIKI_WP_LOGIN", &blog.user),
            ("TEBIKI_WP_LOGIN_PASSWORD", &blog.login_password),
            ("TEBIKI_WP_POST_ID", &id),
            ("TEBIKI_WP_STEPS", &steps),
        ],
    );
}

/// `DELETE <rest route>` as the test user.
fn rest_delete(blog: &Blog, route: &str) {
    let url = format!("{}?rest_route={route}", blog.url);
    let token = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", blog.user, blog.password))
    };
    let response = ureq::delete(&url)
        .header("Authorization", format!("Basic {token}"))
        .call()
        .unwrap();
    assert_eq!(response.status(), 200);
}

#[test]
fn a_post_deleted_on_the_blog_is_created_again_and_recorded() {
    let Some(blog) = blog() else { return };
    let slug = unique("deleted");
    let (_tmp, root) = site(&slug);
    let first = published(&root, blog, &[]);
    let id = first_guide(&first)["post_id"].as_u64().unwrap();
    rest_delete(blog, &format!("/wp/v2/posts/{id}&force=true"));
    let again = published(&root, blog, &[]);
    let new_id = first_guide(&again)["post_id"].as_u64().unwrap();
    assert_eq!(first_guide(&again)["action"], "created");
    assert_ne!(new_id, id);
    assert_eq!(
        first_guide(&again)["uploaded"],
        0,
        "the pictures are still there"
    );
    let record = std::fs::read_to_string(root.join(".tebiki/publish.yaml")).unwrap();
    assert!(record.contains(&format!("id: {new_id}")), "{record}");
}

#[test]
fn an_upload_too_large_for_the_server_names_the_setting_and_publishes_nothing() {
    let Some(blog) = blog() else { return };
    let slug = unique("huge");
    let (_tmp, root) = site(&slug);
    let guide = root.join("content").join(&slug);
    // 1080 × 4000 pixels of noise: a PNG of about 13 MB, over the test blog's 10 MB limit.
    let mut seed: u32 = 0x7465_6269;
    let noise = image::RgbImage::from_fn(1080, 4000, |_, _| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let [a, b, c, _] = seed.to_le_bytes();
        image::Rgb([a, b, c])
    });
    std::fs::create_dir_all(guide.join("images")).unwrap();
    noise.save(guide.join("images/huge.png")).unwrap();
    std::fs::write(
        guide.join("steps/pause.md"),
        "---\ntitle: 'Zaimの操作をいったん止める'\nimage:\n  src: images/huge.png\n  alt: 'とても大きな画面写真'\n---\n画面はこのままにしておきます。\n",
    )
    .unwrap();
    let run = publish(&root, blog, &blog.password, &[]);
    let said = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{said}");
    assert!(
        said.contains("upload_max_filesize") && said.contains("post_max_size"),
        "{said}"
    );
    assert!(said.contains("the post was not changed"), "{said}");
    let posts = rest(
        blog,
        &format!("/wp/v2/posts&slug={slug}&status=any&context=edit"),
    );
    assert_eq!(posts.as_array().unwrap().len(), 0, "no post was created");
}

/// An Author may not post `<style>` or `<script>`: the post goes up without them, the report
/// says so and gives the stylesheet for the theme's Additional CSS; the anchors still work.
#[test]
fn an_author_gets_the_stylesheet_for_the_theme_and_no_json_ld() {
    let Some(blog) = blog() else { return };
    let (user, password) = blog.author.clone().unwrap();
    let author = Blog {
        url: blog.url.clone(),
        user,
        password,
        author: None,
        login_password: String::new(),
    };
    let slug = unique("author");
    let (_tmp, root) = site(&slug);
    let report = published(&root, &author, &[]);
    let notes = report["notes"].to_string();
    assert!(
        notes.contains("追加CSS")
            && notes.contains("JSON-LD and the reader tools")
            && notes.contains("left out"),
        "{notes}"
    );
    assert!(
        report["css_for_theme"]
            .as_str()
            .unwrap()
            .contains(".tebiki-post .tebiki-badge")
    );
    let id = first_guide(&report)["post_id"].as_u64().unwrap();
    let (_, html) = post_content(blog, id);
    assert!(select(&html, "style").is_empty());
    assert!(select(&html, "script").is_empty());
    assert_eq!(select(&html, "h3.tebiki-step-title[id]").len(), 35);
    // No reader tools without their script; the window's static marks say the same.
    assert!(select(&html, ".timer-start, .timer-bar, .step-done-box").is_empty());
    assert!(!select(&html, ".tebiki-window-start").is_empty());
}

/// The multi-guide fixture (alpha and beta refer to each other) under slugs of its own:
/// the temporary folder, the site's root, and the two slugs.
fn two_guides() -> (TempDir, PathBuf, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/multi-guide"),
        &root,
    );
    let (alpha, beta) = (unique("alpha"), unique("beta"));
    std::fs::rename(
        root.join("content/alpha"),
        root.join("content").join(&alpha),
    )
    .unwrap();
    std::fs::rename(root.join("content/beta"), root.join("content").join(&beta)).unwrap();
    for file in walk(&root.join("content")) {
        let text = std::fs::read_to_string(&file).unwrap();
        let renamed = text
            .replace("@alpha:", &format!("@{alpha}:"))
            .replace("@beta:", &format!("@{beta}:"));
        if renamed != text {
            std::fs::write(&file, renamed).unwrap();
        }
    }
    (dir, root, alpha, beta)
}

/// The report of `slug` in a run's report.
fn guide_report<'a>(report: &'a Value, slug: &str) -> &'a Value {
    report["guides"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["slug"] == slug)
        .unwrap_or_else(|| panic!("no {slug} in {report}"))
}

/// Two guides that refer to each other, published together for the first time: each post
/// links to the other's post, not to the static site.
#[test]
fn guides_published_together_link_to_each_others_posts() {
    let Some(blog) = blog() else { return };
    let (_dir, root, alpha, beta) = two_guides();
    let report = published(&root, blog, &[]);
    let link_of = |slug: &str| {
        guide_report(&report, slug)["link"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (alpha_id, beta_link) = (
        guide_report(&report, &alpha)["post_id"].as_u64().unwrap(),
        link_of(&beta),
    );
    let (_, html) = post_content(blog, alpha_id);
    let links: Vec<&str> = select(&html, "a[href]")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| !h.starts_with('#'))
        .collect();
    assert!(!links.is_empty(), "alpha refers to beta");
    for href in links {
        assert!(
            href.starts_with(&beta_link),
            "{href} is not beta's post {beta_link}"
        );
    }
}

/// Issue 25: a guide that links to a guide without a post is not published alone (exit 3, the
/// guide it needs named, nothing created); all guides together are published so that each
/// link opens the other post at its step.
#[test]
fn a_guide_alone_is_refused_while_the_guide_it_links_to_has_no_post() {
    let Some(blog) = blog() else { return };
    let (_dir, root, alpha, beta) = two_guides();
    let alone = publish(&root, blog, &blog.password, &["--guide", &beta]);
    assert_eq!(
        alone.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&alone.stderr)
    );
    let stderr = String::from_utf8_lossy(&alone.stderr);
    assert!(
        stderr.contains(&format!("{beta} needs {alpha}"))
            && stderr.contains("nothing was published"),
        "{stderr}"
    );
    for slug in [&alpha, &beta] {
        let posts = rest(
            blog,
            &format!("/wp/v2/posts&slug={slug}&status=any&context=edit"),
        );
        assert_eq!(
            posts.as_array().unwrap().len(),
            0,
            "a post of {slug} was made"
        );
    }
    assert!(!root.join(".tebiki").exists(), "a record was written");

    let all = published(&root, blog, &["--status", "publish"]);
    let alpha_link = guide_report(&all, &alpha)["link"]
        .as_str()
        .unwrap()
        .to_owned();
    let beta_id = guide_report(&all, &beta)["post_id"].as_u64().unwrap();
    let (post, html) = post_content(blog, beta_id);
    assert_eq!(post["status"], "publish");
    let to_alpha: Vec<&str> = select(&html, "a[href]")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| h.contains(&alpha))
        .collect();
    assert!(!to_alpha.is_empty(), "beta links to alpha's step");
    for href in to_alpha {
        let (page, anchor) = href.split_once('#').unwrap_or((href, ""));
        assert_eq!(page, alpha_link, "{href} is not alpha's post");
        let mut answer = ureq::get(page).call().unwrap();
        assert_eq!(answer.status(), 200, "{page}");
        let body = answer.body_mut().read_to_string().unwrap();
        let ids: BTreeSet<String> = select(&Html::parse_document(&body), "[id]")
            .iter()
            .filter_map(|e| e.value().attr("id").map(str::to_owned))
            .collect();
        assert!(
            anchor.is_empty() || ids.contains(anchor),
            "{href}: no #{anchor} on alpha's post"
        );
    }
    // Two posts, not four: the reserved drafts became the posts.
    for slug in [&alpha, &beta] {
        let posts = rest(
            blog,
            &format!("/wp/v2/posts&slug={slug}&status=any&context=edit"),
        );
        assert_eq!(posts.as_array().unwrap().len(), 1, "posts of {slug}");
    }
}

/// `POST <rest route>` with `body` as the test user.
fn rest_post(blog: &Blog, route: &str, body: &Value) -> Value {
    let url = format!("{}?rest_route={route}", blog.url);
    let token = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", blog.user, blog.password))
    };
    let mut response = ureq::post(&url)
        .header("Authorization", format!("Basic {token}"))
        .send_json(body)
        .unwrap();
    assert_eq!(response.status(), 200);
    response.body_mut().read_json().unwrap()
}

/// Issue 25: a sentence corrected in WordPress is never overwritten silently. The edited post
/// is refused (exit 3, the change shown), left as it is, and the other post still updated;
/// `--force` overwrites it.
#[test]
fn a_post_edited_on_the_blog_is_left_alone_until_forced() {
    let Some(blog) = blog() else { return };
    let (_dir, root, alpha, beta) = two_guides();
    let first = published(&root, blog, &[]);
    let alpha_id = guide_report(&first, &alpha)["post_id"].as_u64().unwrap();
    let beta_id = guide_report(&first, &beta)["post_id"].as_u64().unwrap();
    // The blogger corrects a sentence of alpha in WordPress.
    let post = rest(blog, &format!("/wp/v2/posts/{alpha_id}&context=edit"));
    let raw = post["content"]["raw"].as_str().unwrap();
    // The sentence as the reader sees it (the JSON-LD repeats it in a script).
    let sentence = "Do not unplug.</p>";
    assert!(raw.contains(sentence), "{raw}");
    let corrected = raw.replacen(sentence, "Do not unplug, corrected on the blog.</p>", 1);
    rest_post(
        blog,
        &format!("/wp/v2/posts/{alpha_id}"),
        &serde_json::json!({"content": corrected}),
    );
    // And the author changes both guides' sources.
    for slug in [&alpha, &beta] {
        let guide = root.join("content").join(slug).join("guide.yaml");
        let text = std::fs::read_to_string(&guide).unwrap();
        std::fs::write(&guide, text.replacen("title: ", "title: New ", 1)).unwrap();
    }
    let run = publish(&root, blog, &blog.password, &[]);
    assert_eq!(
        run.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    let refused = guide_report(&report, &alpha);
    assert_eq!(refused["action"], "refused");
    let diff: Vec<&str> = refused["edited_on_blog"]["diff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(
        diff.iter()
            .any(|l| l.starts_with("+ ") && l.contains("corrected on the blog")),
        "{diff:?}"
    );
    let (_, html) = post_content(blog, alpha_id);
    assert!(
        html.root_element()
            .text()
            .collect::<String>()
            .contains("corrected on the blog")
    );
    assert_eq!(guide_report(&report, &beta)["action"], "updated");
    let beta_post = rest(blog, &format!("/wp/v2/posts/{beta_id}&context=edit"));
    assert!(
        beta_post["title"]["raw"]
            .as_str()
            .unwrap()
            .starts_with("New "),
        "{beta_post}"
    );

    let forced = published(&root, blog, &["--force"]);
    assert_eq!(guide_report(&forced, &alpha)["action"], "updated");
    let (post, html) = post_content(blog, alpha_id);
    assert!(
        !html
            .root_element()
            .text()
            .collect::<String>()
            .contains("corrected on the blog")
    );
    assert!(post["title"]["raw"].as_str().unwrap().starts_with("New "));
    // Written by tebiki again: the next run goes through without --force.
    let again = published(&root, blog, &[]);
    assert_eq!(guide_report(&again, &alpha)["action"], "updated");
}

/// Issue 25: the share card is the post's featured image (1200×630), the guide's description
/// its excerpt; publishing again uploads nothing.
#[test]
fn the_share_card_is_the_featured_image_and_the_description_the_excerpt() {
    let Some(blog) = blog() else { return };
    let slug = unique("card");
    let (_tmp, root) = site(&slug);
    let first = published(&root, blog, &[]);
    let id = first_guide(&first)["post_id"].as_u64().unwrap();
    let post = rest(blog, &format!("/wp/v2/posts/{id}&context=edit"));
    let featured = post["featured_media"].as_u64().unwrap();
    assert_eq!(
        first_guide(&first)["featured_media"].as_u64(),
        Some(featured)
    );
    let media = rest(blog, &format!("/wp/v2/media/{featured}&context=edit"));
    assert_eq!(media["media_details"]["width"], 1200);
    assert_eq!(media["media_details"]["height"], 630);
    assert_eq!(media["mime_type"], "image/png");
    let guide_yaml =
        std::fs::read_to_string(root.join("content").join(&slug).join("guide.yaml")).unwrap();
    let description = guide_yaml
        .lines()
        .find_map(|l| l.strip_prefix("description: "))
        .unwrap();
    assert_eq!(post["excerpt"]["raw"], description);
    let again = published(&root, blog, &[]);
    assert_eq!(first_guide(&again)["uploaded"], 0, "{again}");
    assert_eq!(
        first_guide(&again)["featured_media"].as_u64(),
        Some(featured)
    );
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// `tebiki publish` with no `TEBIKI_WP_APP_PASSWORD`, the configuration folder at `config`.
fn publish_with_config_folder(root: &Path, blog: &Blog, config: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tebiki"))
        .env("LC_ALL", "C")
        .args(["publish", "wordpress", "--format", "json", "--root"])
        .arg(root)
        .args(["--url", &blog.url, "--user", &blog.user])
        .env_remove("TEBIKI_WP_APP_PASSWORD")
        .env("XDG_CONFIG_HOME", config)
        .output()
        .unwrap()
}

/// The credentials file (`$XDG_CONFIG_HOME/tebiki/credentials`, lines `<blog> <password>`) gives
/// the password; a file of that name inside the site is refused, and nothing says the password.
#[test]
fn the_password_comes_from_the_credentials_file_outside_the_site_only() {
    let Some(blog) = blog() else { return };
    let slug = unique("credentials");
    let (tmp, root) = site(&slug);
    let line = format!(
        "https://other.example/ wrong\n{} {}\n",
        blog.url, blog.password
    );

    let outside = tmp.path().join("config");
    std::fs::create_dir_all(outside.join("tebiki")).unwrap();
    let file = outside.join("tebiki/credentials");
    std::fs::write(&file, &line).unwrap();
    // Readable by others (the usual 0644): refused as ssh refuses such a key file.
    set_mode(&file, 0o644);
    let run = publish_with_config_folder(&root, blog, &outside);
    let said = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{said}");
    assert!(
        said.contains("other users may read it (permissions 644)")
            && said.contains(&format!("help: chmod 600 {}", file.display())),
        "{said}"
    );
    assert!(!said.contains(&blog.password), "{said}");
    set_mode(&file, 0o600);
    let run = publish_with_config_folder(&root, blog, &outside);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(run.status.success(), "{said}");
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(first_guide(&report)["action"], "created");
    assert!(!said.contains(&blog.password));

    let inside = root.join("config");
    std::fs::create_dir_all(inside.join("tebiki")).unwrap();
    std::fs::write(inside.join("tebiki/credentials"), &line).unwrap();
    let run = publish_with_config_folder(&root, blog, &inside);
    let said = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{said}");
    assert!(
        said.contains("refusing to read a password from")
            && said.contains("it is inside the site")
            && said.contains("help: move it to ~/.config/tebiki/credentials"),
        "{said}"
    );
    assert!(!said.contains(&blog.password), "{said}");
    assert!(!String::from_utf8_lossy(&run.stdout).contains(&blog.password));
}

/// A real screenshot reaches the blog with its annotations in the pixels (the blog has no
/// overlay): the circle's red ring and the mask are in the uploaded PNG, at their places.
#[test]
fn a_screenshot_goes_up_with_its_circle_and_mask_drawn_into_the_pixels() {
    let Some(blog) = blog() else { return };
    let slug = unique("shot");
    let (_tmp, root) = site(&slug);
    let guide = root.join("content").join(&slug);
    std::fs::create_dir_all(guide.join("images")).unwrap();
    image::RgbImage::from_pixel(400, 800, image::Rgb([255, 255, 255]))
        .save(guide.join("images/shot.png"))
        .unwrap();
    std::fs::write(
        guide.join("steps/pause.md"),
        "---\ntitle: 'Zaimの操作をいったん止める'\nimage:\n  src: images/shot.png\n  alt: '白い画面'\n  annotations:\n    - {shape: circle, x: 50%, y: 25%, r: 60}\n    - {shape: mask, x: 0, y: 600, w: 400, h: 100}\n---\n画面はこのままにしておきます。\n",
    )
    .unwrap();
    let report = published(&root, blog, &[]);
    let id = first_guide(&report)["post_id"].as_u64().unwrap();
    let (_, html) = post_content(blog, id);
    let img = select(&html, "img")
        .into_iter()
        .find(|i| i.value().attr("alt") == Some("白い画面"))
        .expect("the screenshot's image block");
    let src = img.value().attr("src").unwrap();
    let png = Command::new("curl").args(["-sf", src]).output().unwrap();
    assert!(png.status.success(), "{src} is served");
    let picture = image::load_from_memory(&png.stdout).unwrap().to_rgb8();
    let (w, h) = picture.dimensions();
    assert_eq!(w * 2, h, "the picture keeps its shape");
    // At (x, y) of the 400 × 800 source, whatever size the blog serves.
    let at = |x: u32, y: u32| *picture.get_pixel(x * w / 400, y * h / 800);
    // The ring passes 60 px left of the centre (200, 200); the centre itself stays white.
    let ring = at(140, 200);
    assert!(
        ring[0] > 180 && ring[1] < 110 && ring[2] < 110,
        "red ring, got {ring:?}"
    );
    assert_eq!(at(200, 200), image::Rgb([255, 255, 255]), "inside the ring");
    let mask = at(200, 650);
    assert!(
        mask[0] < 200 || mask[1] < 200,
        "the mask hides the white, got {mask:?}"
    );
    assert_eq!(at(200, 760), image::Rgb([255, 255, 255]), "below the mask");
}

fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A guide marked `draft: true` is never published: named alone it is refused with the way
/// out, and publishing every guide leaves it out.
#[test]
fn a_draft_is_never_published() {
    let Some(blog) = blog() else { return };
    let slug = unique("draft");
    let (_dir, root) = site(&slug);
    let other = unique("ready");
    common::copy_dir(
        &root.join("content").join(&slug),
        &root.join("content").join(&other),
    );
    let yaml = root.join("content").join(&slug).join("guide.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, format!("draft: true\n{text}")).unwrap();
    let run = publish(&root, blog, &blog.password, &["--guide", &slug]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains(&format!(
            "the guide `{slug}` is a draft: drafts are never published; nothing was sent"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("remove `draft: true`"), "{stderr}");
    let report = published(&root, blog, &["--dry-run"]);
    let slugs: Vec<&str> = report["guides"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, [other.as_str()]);
}
