//! The real-browser quality gate: builds the bundled site and the good fixture sites with the
//! real binary, then runs the Node suite in `tests/browser/` (Playwright driving Debian's
//! Chromium, axe-core, the Nu Html Checker) over every page of them. See "Browser tests" in
//! README.md.
//!
//! Without Chromium (or Node, npm, Java) this test prints one line and passes, except under CI
//! (`CI` set), where it fails and says how to install what is missing.
#![allow(
    clippy::disallowed_methods,
    reason = "tests and benchmarks set up their files with std::fs"
)]

use std::ffi::OsStr;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use assert_cmd::Command as BinCommand;

mod common;

use common::{find_tool, is_executable, on_ci, say};

/// The whole Node run is killed after this long (`TEBIKI_BROWSER_TIMEOUT`, in seconds, overrides):
/// a guard against a hung browser, each test has its own deadline. The suite takes 2 minutes
/// on a fast 2-core machine and over 5 on a machine half as fast.
const TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// The sites checked: a name (the screenshots' folder) and the site's root, from the repository.
const SITES: [(&str, &str); 4] = [
    ("bundled", "."),
    ("screenshots", "tests/fixtures/screenshots"),
    ("multi-guide", "tests/fixtures/multi-guide"),
    ("theme-override", "tests/fixtures/theme-override"),
];

/// Files `npm ci` installs that the suite uses.
const NODE_PACKAGES: [&str; 3] = [
    "node_modules/playwright-core/package.json",
    "node_modules/axe-core/axe.min.js",
    "node_modules/vnu-jar/build/dist/vnu.jar",
];

/// Runs `npm ci` when `node_modules/` lacks a package or is older than the lock file.
fn ensure_node_modules(root: &Path, npm: &Path) {
    let installed = root.join("node_modules/.package-lock.json");
    let lock = root.join("package-lock.json");
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    let stale = match (modified(&installed), modified(&lock)) {
        (Some(installed), Some(lock)) => installed < lock,
        _ => true,
    };
    if !stale && NODE_PACKAGES.iter().all(|p| root.join(p).is_file()) {
        return;
    }
    say("browser tests: installing the Node packages (npm ci)");
    // --ignore-scripts: vnu-jar's install script would fetch a Java runtime; it uses the machine's
    let output = Command::new(npm)
        .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
        .current_dir(root)
        .stdin(Stdio::null())
        .output()
        .expect("run npm ci");
    assert!(
        output.status.success(),
        "npm ci failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for p in NODE_PACKAGES {
        assert!(root.join(p).is_file(), "npm ci did not install {p}");
    }
}

/// Builds the site at `root/site_root` into `out/name` with the real binary.
/// The path part of the site's `base_url` (`/docs/`): the test server serves the site there
/// too, for the pages that link root-relative (404.html).
fn base_path(site_yaml: &Path) -> String {
    let config: serde_json::Value =
        serde_saphyr::from_str(&fs::read_to_string(site_yaml).unwrap()).unwrap();
    let url = config["base_url"].as_str().unwrap_or("/");
    let path = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest.find('/').map_or("/", |i| &rest[i..]));
    format!("{}/", path.trim_end_matches('/'))
}

fn build_site(root: &Path, name: &str, site_root: &str, out: &Path) -> PathBuf {
    let dir = out.join(name);
    let output = BinCommand::cargo_bin("tebiki")
        .unwrap()
        .env("LC_ALL", "C")
        .arg("build")
        .arg("--root")
        .arg(root.join(site_root))
        .arg("--output-dir")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "build of {name} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    dir
}

/// Copies each line of `from` to the real stderr and into `into`.
fn pump(from: impl Read + Send + 'static, into: Arc<Mutex<String>>) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        for line in BufReader::new(from).lines() {
            let Ok(line) = line else { break };
            say(&format!("  {line}"));
            let mut all = into.lock().unwrap();
            all.push_str(&line);
            all.push('\n');
        }
    })
}

/// Kills `child` and everything it started (it leads its own process group).
fn kill_group(child: &mut Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .status();
    }
    let _ = child.kill();
}

#[test]
fn every_page_passes_the_browser_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let chromium = std::env::var_os("CHROMIUM")
        .filter(|v| !v.is_empty())
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);

    // (what is missing, how to install it on a developer's machine, the same under CI as root)
    let mut missing: Vec<(String, &str, &str)> = Vec::new();
    if !is_executable(&chromium) {
        missing.push((
            format!("Chromium not found at {}", chromium.display()),
            "sudo apt-get install chromium",
            "apt-get install -y chromium",
        ));
    }
    let node = find_tool("NODE", "node");
    let npm = find_tool("NPM", "npm");
    let java = find_tool("JAVA", "java");
    if node.is_none() || npm.is_none() {
        missing.push((
            "Node.js (node and npm) not found".into(),
            "Node.js 20 or later with npm",
            "Node.js 20 or later with npm",
        ));
    }
    if java.is_none() {
        missing.push((
            "Java not found".into(),
            "sudo apt-get install default-jre-headless",
            "apt-get install -y default-jre-headless",
        ));
    }
    if !missing.is_empty() {
        let what = missing.iter().map(|m| m.0.as_str()).collect::<Vec<_>>();
        let local = missing.iter().map(|m| m.1).collect::<Vec<_>>();
        let ci = missing.iter().map(|m| m.2).collect::<Vec<_>>();
        let what = what.join("; ");
        assert!(
            !on_ci(),
            "browser tests cannot run under CI: {what}; install it with: {} (.ci/run does this)",
            ci.join(" and ")
        );
        say(&format!(
            "browser tests skipped: {what} (install it with: {})",
            local.join(" and ")
        ));
        return;
    }
    let (node, npm, java) = (node.unwrap(), npm.unwrap(), java.unwrap());

    ensure_node_modules(root, &npm);

    let out = tempfile::tempdir().unwrap();
    let sites: Vec<serde_json::Value> = SITES
        .iter()
        .map(|(name, site_root)| {
            let dir = build_site(root, name, site_root, out.path());
            let base = base_path(&root.join(site_root).join("site.yaml"));
            serde_json::json!({ "name": name, "dir": dir, "base": base })
        })
        .collect();

    // target/browser-screenshots, emptied first
    let screenshots = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join("browser-screenshots");
    match fs::remove_dir_all(&screenshots) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            panic!("cannot empty {}: {e}", screenshots.display())
        }
        _ => {}
    }
    fs::create_dir_all(&screenshots).unwrap();
    say(&format!(
        "browser tests: screenshots in {} (<site>/<page>-<width>.png)",
        screenshots.display()
    ));

    let mut suite: Vec<PathBuf> = fs::read_dir(root.join("tests/browser"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(OsStr::to_str)
                .is_some_and(|n| n.ends_with(".test.mjs"))
        })
        .collect();
    suite.sort();
    assert!(!suite.is_empty(), "no tests/browser/*.test.mjs");

    let timeout = std::env::var("TEBIKI_BROWSER_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(TIMEOUT, Duration::from_secs);
    let mut cmd = Command::new(&node);
    cmd.arg("--test")
        .arg("--test-reporter=spec")
        .args(&suite)
        .current_dir(root)
        .env("LC_ALL", "C")
        .env("TEBIKI_SITES", serde_json::Value::from(sites).to_string())
        .env("TEBIKI_SCREENSHOTS", &screenshots)
        .env("TEBIKI_BIN", assert_cmd::cargo::cargo_bin("tebiki"))
        .env("CHROMIUM", &chromium)
        .env("JAVA", &java)
        .env("FORCE_COLOR", "0")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let started = Instant::now();
    let mut child = cmd.spawn().expect("start node");
    let output = Arc::new(Mutex::new(String::new()));
    let pumps = [
        pump(child.stdout.take().unwrap(), Arc::clone(&output)),
        pump(child.stderr.take().unwrap(), Arc::clone(&output)),
    ];
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > timeout {
            kill_group(&mut child);
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(100));
    };
    for p in pumps {
        let _ = p.join();
    }
    let output = output.lock().unwrap().clone();
    let took = started.elapsed().as_secs_f32();
    let Some(status) = status else {
        panic!(
            "the browser suite did not finish in {}s and was stopped\n{output}",
            timeout.as_secs()
        );
    };
    // the spec reporter repeats every failure at the end, under "failing tests:"
    let failures = output
        .find("\u{2716} failing tests:")
        .map_or(output.as_str(), |at| &output[at..]);
    assert!(
        status.success(),
        "the browser suite failed ({status}, {took:.0}s); screenshots in {}\n{failures}",
        screenshots.display()
    );
    say(&format!("browser tests: passed in {took:.0}s"));
}
