//! `tebiki serve`: a live preview. Builds the site into memory (never into `public/`), serves
//! it on loopback, watches the sources, rebuilds what a change needs, and reloads every open
//! page after the rebuild finished — at the same place. A failed rebuild keeps the last good
//! site served and shows the problems over every page until the next good build.

mod http;
mod livereload;
mod watch;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write as _;
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use rayon::prelude::*;

use self::livereload::Clients;
use self::watch::Changes;
use crate::diagnostics::Diagnostics;
use crate::load::LoadedGuide;
use crate::render::Output;
use crate::site::{BuildOptions, Site};
use crate::templates::{Asset, Templates};

/// What `tebiki serve` is asked to do.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
    pub poll: bool,
    /// How long a burst of events may keep arriving before the rebuild starts.
    pub quiet: Duration,
}

/// The site as served: every file by its path, and the problems of the last build if it failed.
#[derive(Debug, Default)]
struct Snapshot {
    files: HashMap<String, Arc<Vec<u8>>>,
    errors: Option<String>,
}

/// What the connection threads share with the rebuild thread.
#[derive(Debug, Default)]
struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    clients: Arc<Clients>,
    stop: AtomicBool,
}

impl Shared {
    fn current(&self) -> Arc<Snapshot> {
        Arc::clone(
            &self
                .snapshot
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    fn publish(&self, snapshot: Snapshot) {
        *self
            .snapshot
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(snapshot);
    }
}

/// Runs the preview server until Ctrl-C.
pub fn serve(options: &ServeOptions) -> Result<()> {
    let listener = bind(options.bind, options.port)?;
    let address = listener.local_addr()?;
    let url = format!("http://{address}/");
    let build = BuildOptions {
        root: options.root.clone(),
        output_dir: None,
        base_url: Some(url.clone()),
    };
    let mut state = State::new(Site::new(&build)?, build);
    let shared = Arc::new(Shared::default());
    let started = Instant::now();
    shared.publish(state.rebuild(&Changes {
        everything: true,
        ..Changes::default()
    }));
    report(&shared, "built", started);
    let stop_flag = Arc::clone(&shared);
    ctrlc::set_handler(move || stop_flag.stop.store(true, Ordering::Relaxed))
        .context("could not listen for Ctrl-C")?;
    // Events name absolute paths: watch (and compare against) the root's real path, so that
    // `--root .` or a root behind a symlink works the same.
    let watch_root = std::fs::canonicalize(&options.root)
        .with_context(|| format!("could not find {}", options.root.display()))?;
    let (watcher, events) = watch::start(&watch_root, options.poll)
        .context("could not watch the site's files (try --poll)")?;
    let rebuilder = {
        let shared = Arc::clone(&shared);
        let (root, quiet) = (watch_root, options.quiet);
        std::thread::spawn(move || {
            let _watcher = watcher;
            let stop = || shared.stop.load(Ordering::Relaxed);
            while let Some(batch) = watch::next_batch(&events, &root, quiet, &stop) {
                let changes = watch::classify(&root, &batch);
                if changes.is_empty() {
                    continue;
                }
                let started = Instant::now();
                shared.publish(state.rebuild(&changes));
                let message = if changes.css_only && shared.current().errors.is_none() {
                    "css"
                } else {
                    "reload"
                };
                report(&shared, "rebuilt", started);
                // The reload goes out only now that the new site is in place.
                shared.clients.broadcast(message);
            }
        })
    };
    // Announced only now that the watcher runs: an edit right after this line is seen.
    println!(
        "serving {} at {url} (Ctrl-C to stop)",
        display_root(&options.root)
    );
    let _ = std::io::stdout().flush();
    if options.open {
        open_browser(&url);
    }
    accept(&listener, &shared);
    shared.clients.broadcast("bye");
    let _ = rebuilder.join();
    println!("stopped");
    Ok(())
}

fn report(shared: &Shared, what: &str, started: Instant) {
    let snapshot = shared.current();
    match &snapshot.errors {
        Some(errors) => eprintln!("{errors}the previous good version stays served"),
        None => println!(
            "{what} in {} ms ({} files)",
            started.elapsed().as_millis(),
            snapshot.files.len()
        ),
    }
}

/// Binds `port` on `ip`, or the next free port above it (saying so).
fn bind(ip: IpAddr, port: u16) -> Result<TcpListener> {
    let mut last = None;
    for candidate in port..=port.saturating_add(20) {
        match TcpListener::bind(SocketAddr::new(ip, candidate)) {
            Ok(listener) => {
                if candidate != port {
                    println!("port {port} is taken; using {candidate}");
                }
                listener.set_nonblocking(true)?;
                return Ok(listener);
            }
            Err(err) => last = Some(err),
        }
        if port == 0 {
            break;
        }
    }
    bail!(
        "could not listen on {ip} ports {port}–{}: {}",
        port.saturating_add(20),
        last.map_or_else(String::new, |e| e.to_string())
    )
}

fn accept(listener: &TcpListener, shared: &Arc<Shared>) {
    while !shared.stop.load(Ordering::Relaxed) {
        match listener.accept() {
            Ok((stream, _)) => {
                let shared = Arc::clone(shared);
                std::thread::spawn(move || handle(stream, &shared));
            }
            Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

fn handle(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some(request) = http::read_request(&stream) else {
        return;
    };
    if request.target.split('?').next() == Some(livereload::ENDPOINT) {
        let _ = stream.set_read_timeout(None);
        let _ = livereload::serve_socket(stream, &request, &shared.clients);
        return;
    }
    let head_only = request.method == "HEAD";
    if request.method != "GET" && !head_only {
        let _ = http::respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"GET or HEAD only\n",
            false,
        );
        return;
    }
    let snapshot = shared.current();
    let found = http::site_path(&request.target)
        .and_then(|path| snapshot.files.get(&path).map(|body| (path, body)));
    let _ = match found {
        Some((path, body)) if http::content_type(&path).starts_with("text/html") => {
            let page =
                livereload::inject(&String::from_utf8_lossy(body), snapshot.errors.as_deref());
            http::respond(
                &mut stream,
                "200 OK",
                http::content_type(&path),
                page.as_bytes(),
                head_only,
            )
        }
        Some((path, body)) => http::respond(
            &mut stream,
            "200 OK",
            http::content_type(&path),
            body,
            head_only,
        ),
        None => http::respond(
            &mut stream,
            "404 Not Found",
            "text/plain; charset=utf-8",
            b"not found\n",
            head_only,
        ),
    };
}

/// The loaded sources kept between rebuilds, so that a change reloads only what it touched.
struct State {
    site: Site,
    options: BuildOptions,
    guides: BTreeMap<String, (Option<LoadedGuide>, Diagnostics)>,
    templates: Result<Templates, Diagnostics>,
    last_good: Arc<HashMap<String, Arc<Vec<u8>>>>,
}

impl State {
    fn new(site: Site, options: BuildOptions) -> Self {
        let templates = site.load_templates();
        Self {
            site,
            options,
            guides: BTreeMap::new(),
            templates,
            last_good: Arc::default(),
        }
    }

    /// Reloads what `changes` touched, renders, and returns what to serve.
    fn rebuild(&mut self, changes: &Changes) -> Snapshot {
        if changes.everything {
            match Site::new(&self.options) {
                Ok(site) => self.site = site,
                Err(err) => return self.failed(format!("{err:#}")),
            }
            self.templates = self.site.load_templates();
            let slugs = guide_folders(&self.site.root().join("content"));
            let site = &self.site;
            self.guides = slugs
                .par_iter()
                .map(|slug| (slug.clone(), site.load_guide(slug)))
                .collect();
        } else {
            for slug in &changes.guides {
                self.guides.insert(slug.clone(), self.site.load_guide(slug));
            }
            if changes.templates {
                self.templates = self.site.load_templates();
            }
        }
        // A step edit re-renders its guide and the guides that refer to it (`@slug:`); the
        // other pages stay as they were. Templates and settings re-render everything.
        let only = (!changes.everything && !changes.templates && !self.last_good.is_empty())
            .then(|| self.affected(&changes.guides));
        let mut problems = Diagnostics::default();
        let mut loaded = Vec::with_capacity(self.guides.len());
        for (guide, diagnostics) in self.guides.values() {
            problems.extend(diagnostics.iter().cloned());
            loaded.extend(guide.iter().cloned());
        }
        let rendered = self
            .site
            .render_loaded(loaded, problems, &self.templates, only.as_ref());
        if rendered.diagnostics.has_errors() {
            return self.failed(rendered.diagnostics.render());
        }
        match files_of(&rendered.outputs) {
            Ok(fresh) => {
                let mut files = match &only {
                    // Keep the other guides' files; drop the re-rendered guides' old ones.
                    Some(slugs) => self
                        .last_good
                        .iter()
                        .filter(|(path, _)| {
                            !slugs
                                .iter()
                                .any(|slug| path.starts_with(&format!("{slug}/")))
                        })
                        .map(|(path, body)| (path.clone(), Arc::clone(body)))
                        .collect(),
                    None => HashMap::new(),
                };
                files.extend(fresh);
                self.last_good = Arc::new(files);
                Snapshot {
                    files: (*self.last_good).clone(),
                    errors: None,
                }
            }
            Err(err) => self.failed(format!("{err:#}")),
        }
    }

    /// The guides whose pages a change to `changed` can alter: those, and every guide whose
    /// sources refer to one of them (`@slug:` references).
    fn affected(&self, changed: &BTreeSet<String>) -> BTreeSet<String> {
        let mut affected = changed.clone();
        let needles: Vec<String> = changed.iter().map(|slug| format!("@{slug}:")).collect();
        for (slug, (guide, _)) in &self.guides {
            let Some(guide) = guide else { continue };
            let refers = |text: &str| needles.iter().any(|n| text.contains(n.as_str()));
            if refers(&guide.file.text)
                || guide.steps.values().any(|s| refers(&s.source.text))
                || guide
                    .troubles
                    .as_ref()
                    .is_some_and(|(f, _)| refers(&f.text))
            {
                affected.insert(slug.clone());
            }
        }
        affected
    }

    fn failed(&self, errors: String) -> Snapshot {
        Snapshot {
            files: (*self.last_good).clone(),
            errors: Some(errors),
        }
    }
}

/// The guide folders under `content/` (those with a guide.yaml, and those that might become one).
fn guide_folders(content: &Path) -> Vec<String> {
    std::fs::read_dir(content)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Every output as bytes, by its `/`-separated path.
fn files_of(outputs: &[Output]) -> Result<HashMap<String, Arc<Vec<u8>>>> {
    outputs
        .par_iter()
        .map(|output| {
            let path = output.path().to_string_lossy().replace('\\', "/");
            let bytes = match output {
                Output::Page { html, .. } => html.clone().into_bytes(),
                Output::File { contents, .. } => contents.clone().into_bytes(),
                Output::Binary { bytes, .. } => bytes.clone(),
                Output::Asset {
                    asset: Asset::Builtin(text),
                    ..
                } => text.as_bytes().to_vec(),
                Output::Asset {
                    asset: Asset::File(file),
                    ..
                } => std::fs::read(file)
                    .with_context(|| format!("could not read {}", file.display()))?,
            };
            Ok((path, Arc::new(bytes)))
        })
        .collect()
}

fn display_root(root: &Path) -> String {
    if root == Path::new(".") {
        "the current folder".into()
    } else {
        root.display().to_string()
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        println!("could not open a browser; open {url} yourself");
    }
}
