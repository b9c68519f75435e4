//! `tebiki serve`: a live preview. Builds the site into memory (never into `public/`), serves
//! it on loopback, watches the sources, rebuilds what a change needs, and reloads every open
//! page after the rebuild finished — at the same place. A failed rebuild keeps the last good
//! site served and shows the problems over every page until the next good build.

mod editor;
mod hosts;
mod http;
mod livereload;
mod server;
mod watch;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write as _;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use bytes::Bytes;
use rayon::prelude::*;

use self::hosts::AllowedHosts;
use self::livereload::Clients;
use self::watch::Changes;
use crate::diagnostics::{Diagnostic, Diagnostics, printable};
use crate::i18n::{Localizer, msg};
use crate::load::Reads;
use crate::reads::Memo;
use crate::render;
use crate::render::Output;
use crate::render::Rendered;
use crate::resolve::{Guide, SiteIndex};
use crate::site::{BuildOptions, Guides, Site};
use crate::templates::{Asset, Templates};

/// What `tebiki serve` is asked to do.
#[derive(Clone, Debug)]
pub(crate) struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
    pub poll: bool,
    /// How long a burst of events may keep arriving before the rebuild starts.
    pub quiet: Duration,
    /// Host names answered besides localhost and the machine's addresses (`--allow-host`).
    pub allow_hosts: Vec<String>,
    /// Saving annotations from pages, also when bound to a non-loopback address.
    pub allow_edit: bool,
    /// The author's language: of the terminal lines, the error overlay and the editor.
    pub lang: crate::i18n::Lang,
}

/// The site as served: every file by its path, and the problems of the last build if it failed.
#[derive(Debug, Default)]
struct Snapshot {
    files: Arc<HashMap<String, Served>>,
    errors: Option<String>,
}

/// What the connection tasks share with the rebuild thread.
#[derive(Debug)]
struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    clients: Clients,
    hosts: AllowedHosts,
    stop: AtomicBool,
    editor: editor::Editor,
    /// The author's language, for the overlay (the rebuild thread has its own).
    localizer: Arc<Localizer>,
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

    /// Serves `snapshot`; the editor takes in the figures `state` loaded.
    fn publish_from(&self, state: &mut State, changes: &Changes) {
        let snapshot = state.rebuild(changes);
        self.editor.update(state.loaded_guides());
        self.publish(snapshot);
    }

    fn publish(&self, snapshot: Snapshot) {
        *self
            .snapshot
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(snapshot);
    }

    /// Makes the search index of what is served now and serves it too (after the reload went
    /// out: an edit shows at once, search follows when the index is made).
    fn publish_search(&self, state: &mut State) {
        // While the overlay shows errors, the last good site is served as it was.
        if self.current().errors.is_some() {
            return;
        }
        if let Some(snapshot) = state.with_search() {
            self.publish(snapshot);
        }
    }
}

/// Runs the preview server until Ctrl-C or SIGTERM.
pub(crate) fn serve(options: &ServeOptions) -> Result<()> {
    let localizer = Arc::new(Localizer::new(options.lang));
    let listener = bind(options.bind, options.port, &localizer)?;
    let address = listener.local_addr()?;
    let url = local_url(address);
    let build = BuildOptions {
        root: options.root.clone(),
        output_dir: None,
        base_url: Some(url.clone()),
        drafts: true,
    };
    let site = Site::new(&build)?;
    // Events name absolute paths: watch (and compare against) the root's real path, so that
    // `--root .` or a root behind a symlink works the same.
    let watch_root = site.root().to_path_buf();
    // A preview reachable from the network may be looked at, not written to.
    let editing = options.bind.is_loopback() || options.allow_edit;
    let (mut state, editor) = editing_state(site, &build, editing, &localizer);
    let shared = Arc::new(Shared {
        snapshot: RwLock::default(),
        clients: Clients::default(),
        hosts: AllowedHosts::new(options.bind, &options.allow_hosts),
        stop: AtomicBool::new(false),
        editor,
        localizer,
    });
    let started = Instant::now();
    first_build(&shared, &mut state);
    report(&shared, false, started);
    let (watcher, events) =
        watch::start(&watch_root, options.poll).context(msg!("serve-cannot-watch"))?;
    // Taken here, before the preview is announced: taken on the rebuild thread, it could see a
    // folder already moved away and never notice the move.
    let identity = watch::identity(&watch_root);
    let rebuilder = {
        let shared = Arc::clone(&shared);
        let quiet = options.quiet;
        let poll = options.poll;
        // Re-opened from its real path when the folder is replaced (a relative root such as
        // `.` would name the folder that was deleted).
        let build = BuildOptions {
            root: watch_root.clone(),
            ..build.clone()
        };
        std::thread::Builder::new()
            .name("tebiki-rebuild".into())
            .spawn(move || {
                let mut watching = Watching {
                    _watcher: watcher,
                    events,
                    identity,
                    poll,
                };
                let stop = || shared.stop.load(Ordering::Relaxed);
                loop {
                    match watching.next(&watch_root, quiet, &stop) {
                        watch::Wake::Paths(batch) => {
                            rebuild_and_announce(&mut state, &shared, &watch_root, &batch);
                        }
                        watch::Wake::RootChanged => {
                            let l = &shared.localizer;
                            if let Some(new) = watching.root_again(&watch_root, &build, &stop, l) {
                                state = new;
                                rebuild_everything(&mut state, &shared);
                            }
                        }
                        watch::Wake::Stop => break,
                    }
                }
            })
            .context(msg!("serve-no-thread"))?
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("tebiki-serve")
        .enable_all()
        .build()
        .context(msg!("serve-no-runtime"))?;
    let limits = server::Limits::for_open_files(raise_open_file_limit());
    let served = runtime.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let router = http::router(Arc::clone(&shared));
        let server = tokio::spawn(server::run(
            listener,
            router,
            limits,
            stop_rx,
            Duration::from_secs(2),
        ));
        // Announced only now that the watcher runs and the socket accepts.
        announce(options, address, &url, &shared.localizer);
        stop_signal().await?;
        shared.stop.store(true, Ordering::Relaxed);
        shared.clients.broadcast("bye");
        let _ = stop_tx.send(true);
        let _ = server.await;
        anyhow::Ok(())
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
    let _ = rebuilder.join();
    served?;
    println!("{}", shared.localizer.text("serve-stopped"));
    Ok(())
}

/// The state of a serve, and its annotation editor (on when `editing`), both saying their
/// words in `localizer`'s language.
fn editing_state(
    site: Site,
    build: &BuildOptions,
    editing: bool,
    localizer: &Arc<Localizer>,
) -> (State, editor::Editor) {
    let editor = editor::Editor::new(
        site.root(),
        site.config().max_pixels(),
        editing,
        Arc::clone(localizer),
    );
    let mut state = State::new(site, build.clone(), Arc::clone(localizer));
    state.editable = editing;
    state.head = editor.head(localizer);
    (state, editor)
}

/// The watcher of the site folder and its events, and which folder it watches.
struct Watching {
    _watcher: watch::AnyWatcher,
    events: std::sync::mpsc::Receiver<PathBuf>,
    identity: Option<(u64, u64)>,
    poll: bool,
}

impl Watching {
    fn next(&self, root: &Path, quiet: Duration, stop: &dyn Fn() -> bool) -> watch::Wake {
        watch::next_batch(&self.events, root, self.identity, quiet, stop)
    }

    /// The site folder at `root` was replaced or is gone: waits until a site is there again
    /// (saying so), then watches it and returns the state to serve it from. `None` when the
    /// server stops first.
    fn root_again(
        &mut self,
        root: &Path,
        build: &BuildOptions,
        stop: &dyn Fn() -> bool,
        l: &Arc<Localizer>,
    ) -> Option<State> {
        let shown = printable(&root.display().to_string()).into_owned();
        let mut said_gone = false;
        loop {
            if stop() {
                return None;
            }
            let identity = watch::identity(root);
            if identity.is_some()
                && let Ok(site) = Site::new(build)
                && let Ok((watcher, events)) = watch::start(root, self.poll)
            {
                *self = Self {
                    _watcher: watcher,
                    events,
                    identity,
                    poll: self.poll,
                };
                let replaced = msg!("serve-root-replaced", folder = &shown);
                println!("{}", l.format(&replaced));
                return Some(State::new(site, build.clone(), Arc::clone(l)));
            }
            if !said_gone {
                eprintln!("{}", l.format(&msg!("serve-root-gone", folder = &shown)));
                said_gone = true;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// The first build of a serve: everything, with its search index.
fn first_build(shared: &Shared, state: &mut State) {
    shared.publish_from(
        state,
        &Changes {
            everything: true,
            ..Changes::default()
        },
    );
    shared.publish_search(state);
}

/// Rebuilds everything (the site folder was replaced), serves it, then tells the pages.
fn rebuild_everything(state: &mut State, shared: &Shared) {
    let started = Instant::now();
    shared.publish_from(
        state,
        &Changes {
            everything: true,
            ..Changes::default()
        },
    );
    report(shared, true, started);
    shared.clients.broadcast("reload");
    shared.publish_search(state);
}

/// Rebuilds for one batch of changed paths, serves the result, then tells the pages.
fn rebuild_and_announce(
    state: &mut State,
    shared: &Shared,
    root: &Path,
    batch: &BTreeSet<PathBuf>,
) {
    let changes = watch::classify(root, batch);
    if changes.is_empty() {
        return;
    }
    for path in batch {
        state.reads.forget(path);
        state.bytes.forget(path);
    }
    let started = Instant::now();
    shared.publish_from(state, &changes);
    let message = if changes.css_only && shared.current().errors.is_none() {
        "css"
    } else {
        "reload"
    };
    report(shared, true, started);
    // The reload goes out only now that the new site is in place.
    shared.clients.broadcast(message);
    shared.publish_search(state);
}

/// Prints where the preview is; bound to every address, also what that means and which URL a
/// phone in the same network opens.
fn announce(options: &ServeOptions, address: SocketAddr, url: &str, l: &Localizer) {
    if options.bind.is_unspecified() {
        let phone: Vec<String> = network_addresses()
            .into_iter()
            .map(|ip| local_url(SocketAddr::new(ip, address.port())))
            .collect();
        let warning = msg!("serve-reachable", bind = options.bind.to_string());
        eprintln!("{}: {}", l.text("level-warning"), l.format(&warning));
        let phone = if phone.is_empty() {
            msg!("serve-no-address", port = address.port())
        } else {
            msg!("serve-phone", urls = phone.join(" | "))
        };
        eprintln!("  {}", l.format(&phone));
    }
    let root = match crate::diagnostics::display_root(&options.root) {
        crate::i18n::Arg::Text(path) => path,
        _ => l.text("current-folder"),
    };
    let serving = msg!(
        "serve-serving",
        root = printable(&root).into_owned(),
        url = url
    );
    println!("{}", l.format(&serving));
    let _ = std::io::stdout().flush();
    if options.open {
        open_browser(url, l);
    }
}

/// `err` for the overlay and the terminal, in `l`'s language: the problems of the sources as
/// the terminal shows them, else the error and its causes (each a catalog message where it is
/// one), `: ` between them.
fn error_text(err: &anyhow::Error, l: &Localizer) -> String {
    if let Some(crate::diagnostics::BuildFailed(problems)) = err.downcast_ref() {
        return problems.render(l);
    }
    let text = err
        .chain()
        .map(|cause| match cause.downcast_ref::<crate::i18n::Message>() {
            Some(message) => l.format(message),
            None => cause.to_string(),
        })
        .collect::<Vec<_>>()
        .join(": ");
    format!("{}: {text}\n", l.text("level-error"))
}

/// The URL of `address`, with a loopback address in place of an unspecified one.
fn local_url(address: SocketAddr) -> String {
    let ip = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, address.port()))
}

/// The machine's own addresses in its networks (IPv4 first), for the phone URL.
fn network_addresses() -> Vec<IpAddr> {
    let mut ips: Vec<IpAddr> = if_addrs::get_if_addrs()
        .unwrap_or_default()
        .into_iter()
        .filter(|i| !i.is_loopback() && !i.is_link_local())
        .map(|i| i.ip())
        .collect();
    ips.sort_by_key(|ip| (ip.is_ipv6(), *ip));
    ips.dedup();
    ips
}

/// Waits for Ctrl-C (SIGINT) or SIGTERM: both stop the server the same clean way.
async fn stop_signal() -> Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).context(msg!("serve-no-sigterm"))?;
        let mut int = signal(SignalKind::interrupt()).context(msg!("serve-no-ctrl-c"))?;
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c()
        .await
        .context(msg!("serve-no-ctrl-c"))?;
    Ok(())
}

/// Raises the soft limit of open files to the hard one (many browser tabs and keep-alive
/// connections need more than the usual 1,024); returns the limit in force.
fn raise_open_file_limit() -> u64 {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, getrlimit, setrlimit};
        let limit = getrlimit(Resource::Nofile);
        if let Some(hard) = limit.maximum {
            let wanted = hard.min(65_536);
            if limit.current.is_some_and(|soft| soft < wanted) {
                let raised = rustix::process::Rlimit {
                    current: Some(wanted),
                    maximum: limit.maximum,
                };
                if setrlimit(Resource::Nofile, raised).is_ok() {
                    return wanted;
                }
            }
        }
        limit.current.unwrap_or(65_536)
    }
    #[cfg(not(unix))]
    {
        8_192
    }
}

/// Says how the (re)build went: its problems, or how long it took.
fn report(shared: &Shared, again: bool, started: Instant) {
    let snapshot = shared.current();
    let l = &shared.localizer;
    if let Some(errors) = &snapshot.errors {
        eprintln!("{errors}{}", l.text("serve-previous-stays"));
        return;
    }
    let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let done = msg!(
        "serve-built",
        again = i64::from(again),
        ms = ms,
        files = snapshot.files.len()
    );
    println!("{}", l.format(&done));
}

/// Binds `port` on `ip`, or the next free port above it (saying so).
fn bind(ip: IpAddr, port: u16, l: &Localizer) -> Result<TcpListener> {
    let mut last = None;
    for candidate in port..=port.saturating_add(20) {
        match TcpListener::bind(SocketAddr::new(ip, candidate)) {
            Ok(listener) => {
                if candidate != port {
                    let taken = msg!("serve-port-taken", port = port, other = candidate);
                    println!("{}", l.format(&taken));
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
    Err(anyhow::Error::new(msg!(
        "serve-cannot-listen",
        ip = ip.to_string(),
        port = port,
        last = port.saturating_add(20),
        error = last.map_or_else(String::new, |e| e.to_string())
    )))
}

/// The loaded sources kept between rebuilds, so that a change reloads only what it touched.
struct State {
    site: Site,
    options: BuildOptions,
    /// Every guide folder: its guide, loaded and resolved, and the problems found doing so.
    guides: BTreeMap<String, (Option<Arc<Guide>>, Diagnostics)>,
    /// What is wrong with `content/` itself (a guide folder linking out of the site, …).
    content_problems: Diagnostics,
    /// For each guide, the other guides its page showed something of at its last render.
    depends: BTreeMap<String, BTreeSet<String>>,
    templates: Result<Templates, Diagnostics>,
    last_good: Arc<HashMap<String, Served>>,
    /// The sources read at earlier rebuilds, used again while they are unchanged.
    reads: Reads,
    /// The bytes of the files served as they are (pictures, theme files), likewise.
    bytes: Memo<Bytes>,
    /// Each guide's outline hash at its last load ([`crate::load::LoadedGuide::outline`]).
    outlines: BTreeMap<String, u64>,
    /// The problems of each page at its last render (by slug; `""`: the site-wide pages).
    page_problems: BTreeMap<String, Vec<Diagnostic>>,
    /// Pages rendered again but not served, because that rebuild failed.
    unpublished: Unpublished,
    /// Step cards and figures rendered at earlier rebuilds, used again while they cannot have
    /// changed.
    memo: Arc<render::memo::RenderMemo>,
    /// Whether figures carry what the annotation editor needs (editing is on).
    editable: bool,
    /// What goes into every page's `<head>` for the editor (empty when editing is off).
    head: String,
    /// The author's language, for the problems the overlay lists.
    localizer: Arc<Localizer>,
}

/// Pages whose latest render was not published (see [`State::publish`]).
#[derive(Debug, Default)]
struct Unpublished {
    guides: BTreeSet<String>,
    site_pages: bool,
}

/// Each loaded guide's outline hash.
fn outlines(guides: &BTreeMap<String, (Option<Arc<Guide>>, Diagnostics)>) -> BTreeMap<String, u64> {
    guides
        .iter()
        .filter_map(|(slug, (guide, _))| Some((slug.clone(), guide.as_ref()?.loaded.outline())))
        .collect()
}

impl State {
    fn new(site: Site, options: BuildOptions, localizer: Arc<Localizer>) -> Self {
        let templates = site.load_templates();
        Self {
            site,
            options,
            guides: BTreeMap::new(),
            content_problems: Diagnostics::default(),
            reads: Reads::default(),
            bytes: Memo::default(),
            outlines: BTreeMap::new(),
            page_problems: BTreeMap::new(),
            unpublished: Unpublished::default(),
            memo: Arc::default(),
            depends: BTreeMap::new(),
            templates,
            last_good: Arc::default(),
            editable: false,
            head: String::new(),
            localizer,
        }
    }

    /// The guides of the last load (those that loaded).
    fn loaded_guides(&self) -> impl Iterator<Item = &Guide> {
        self.guides
            .values()
            .filter_map(|(guide, _)| guide.as_deref())
    }

    /// Reloads what `changes` touched, renders what that can alter, and returns what to serve.
    fn rebuild(&mut self, changes: &Changes) -> Snapshot {
        let outline_changed = match self.reload(changes) {
            Ok(outline) => outline,
            Err(err) => return self.failed(error_text(&err, &self.localizer)),
        };
        // A step edit re-renders its guide; when the edit can show elsewhere (the guide's
        // outline changed: titles, order, troubles, figures), also the guides that refer to it
        // and the site-wide pages. Pages whose last render was not published come along.
        let partial = !changes.everything && !changes.templates && !self.last_good.is_empty();
        let only = partial.then(|| {
            let mut slugs = if outline_changed {
                self.affected(&changes.guides)
            } else {
                changes.guides.clone()
            };
            slugs.extend(self.unpublished.guides.iter().cloned());
            slugs
        });
        // Shared, so that publishing can take `self` while the scope still names it.
        let memo = Arc::clone(&self.memo);
        let scope = render::Scope {
            guides: only.as_ref(),
            site_pages: !partial || outline_changed || self.unpublished.site_pages,
            kept: Some(render::memo::Kept {
                memo: &memo,
                outlines: hash_of(&self.outlines),
            }),
            editable: self.editable,
            // Made from the served pages after the reload went out (`State::with_search`).
            search: false,
            keep_pages: None,
        };
        let mut problems = self.content_problems.clone();
        let mut guides = Vec::with_capacity(self.guides.len());
        for (guide, diagnostics) in self.guides.values() {
            problems.extend(diagnostics.iter().cloned());
            guides.extend(guide.iter().cloned());
        }
        let content = self.site.root().join("content");
        let dirs: Vec<PathBuf> = self.guides.keys().map(|slug| content.join(slug)).collect();
        problems.extend(crate::load::unbuilt_folders(
            self.site.root(),
            &dirs,
            &guides.iter().map(|g| &g.loaded).collect::<Vec<_>>(),
        ));
        // Only the guides an edit touched were loaded and resolved again; the others are shared.
        let index = SiteIndex::new(self.site.config().clone(), guides);
        let rendered = self.site.run_in_memory(
            Guides::Resolved(Box::new(index), problems),
            &self.templates,
            scope,
            true,
        );
        self.publish(rendered, scope)
    }

    /// Loads and resolves again what `changes` touched; whether a changed guide's outline
    /// (what other pages show of it) changed.
    fn reload(&mut self, changes: &Changes) -> Result<bool> {
        if changes.everything {
            self.reads.clear();
            self.memo.clear();
            self.bytes.clear();
            self.site = Site::new(&self.options)?;
            self.templates = self.site.load_templates();
            let (slugs, problems) = self.site.guide_slugs();
            self.content_problems = problems;
            let (site, reads) = (&self.site, &self.reads);
            self.guides = slugs
                .par_iter()
                .map(|slug| (slug.clone(), resolved(site, slug, reads)))
                .collect();
            self.outlines = outlines(&self.guides);
            return Ok(true);
        }
        let mut outline_changed = false;
        for slug in &changes.guides {
            let guide = self
                .steps_only(slug, changes.files.get(slug))
                .unwrap_or_else(|| resolved(&self.site, slug, &self.reads));
            let outline = guide.0.as_ref().map(|g| g.loaded.outline());
            let before = match outline {
                Some(o) => self.outlines.insert(slug.clone(), o),
                None => self.outlines.remove(slug),
            };
            outline_changed |= outline.is_none() || before != outline;
            self.guides.insert(slug.clone(), guide);
        }
        if changes.templates {
            self.templates = self.site.load_templates();
        }
        Ok(outline_changed)
    }

    /// The guide `slug` with only its step files `changed` read again, when that is all the
    /// edit can change and the guide had no problem ([`crate::load::reload_steps`]).
    fn steps_only(
        &self,
        slug: &str,
        changed: Option<&BTreeSet<PathBuf>>,
    ) -> Option<(Option<Arc<Guide>>, Diagnostics)> {
        let (Some(previous), problems) = self.guides.get(slug)? else {
            return None;
        };
        if !problems.is_empty() {
            return None;
        }
        let loaded = self
            .site
            .reload_steps(&previous.loaded, changed?, &self.reads)?;
        let (guide, found) = crate::resolve::resolve_one(loaded);
        Some((Some(Arc::new(guide)), found))
    }

    /// Takes in what was rendered for `scope`: with no error (counting the pages not rendered
    /// again), it replaces those pages and becomes what is served.
    fn publish(&mut self, rendered: Rendered, scope: render::Scope<'_>) -> Snapshot {
        let rendered_again = |slug: &str| {
            if slug.is_empty() {
                scope.site_pages
            } else {
                scope.guides.is_none_or(|set| set.contains(slug))
            }
        };
        self.page_problems.retain(|slug, _| !rendered_again(slug));
        let mut problems = rendered.diagnostics;
        for page in self.page_problems.values() {
            problems.extend(page.iter().cloned());
        }
        self.page_problems.extend(rendered.page_problems);
        let fresh = if problems.has_errors() {
            problems.sort();
            Err(problems.render(&self.localizer))
        } else {
            files_of(&rendered.outputs, &self.bytes, &self.head)
                .map_err(|err| error_text(&err, &self.localizer))
        };
        let fresh = match fresh {
            Ok(fresh) => fresh,
            Err(errors) => {
                // Served again once a later rebuild succeeds.
                match scope.guides {
                    Some(slugs) => self.unpublished.guides.extend(slugs.iter().cloned()),
                    None => self.unpublished.guides.extend(self.guides.keys().cloned()),
                }
                self.unpublished.site_pages |= scope.site_pages;
                return self.failed(errors);
            }
        };
        let mut files = match scope.guides {
            // Keep the other guides' files; drop the re-rendered guides' old ones.
            Some(slugs) => self
                .last_good
                .iter()
                .filter(|(path, _)| {
                    !slugs
                        .iter()
                        .any(|slug| path.starts_with(&format!("{slug}/")))
                })
                .map(|(path, body)| (path.clone(), body.clone()))
                .collect(),
            None => HashMap::new(),
        };
        files.extend(fresh);
        self.last_good = Arc::new(files);
        self.unpublished = Unpublished::default();
        if scope.guides.is_none() {
            self.depends.clear();
        }
        self.depends.extend(rendered.depends);
        Snapshot {
            files: Arc::clone(&self.last_good),
            errors: None,
        }
    }

    /// The guides whose pages a change to `changed` can alter: those, and every guide whose
    /// page showed something of one of them at the last render (its references resolved there).
    fn affected(&self, changed: &BTreeSet<String>) -> BTreeSet<String> {
        let mut affected = changed.clone();
        for (slug, shows) in &self.depends {
            if !shows.is_disjoint(changed) {
                affected.insert(slug.clone());
            }
        }
        affected
    }

    /// What is served now with the search index of its guide pages in `pagefind/` (none
    /// while the site has errors, or without `search:`).
    fn with_search(&mut self) -> Option<Snapshot> {
        if !self.site.config().search || self.last_good.is_empty() {
            return None;
        }
        let pages: Vec<render::search::Page> = self
            .guides
            .keys()
            .filter_map(|slug| {
                let Served::Memory(bytes) = self.last_good.get(&format!("{slug}/index.html"))?
                else {
                    return None;
                };
                Some(render::search::Page {
                    url: format!("{slug}/"),
                    html: String::from_utf8_lossy(bytes).into_owned(),
                })
            })
            .collect();
        let cache = self.site.root().join(".tebiki-cache").join("search");
        let outputs = match render::search::index(pages, &self.site.config().language, Some(&cache))
        {
            Ok(outputs) => outputs,
            Err(problem) => {
                eprintln!("{}", problem.render(&self.localizer));
                return None;
            }
        };
        let fresh = files_of(&outputs, &self.bytes, &self.head).ok()?;
        let prefix = format!("{}/", render::search::FOLDER);
        let mut files: HashMap<String, Served> = self
            .last_good
            .iter()
            .filter(|(path, _)| !path.starts_with(&prefix))
            .map(|(path, body)| (path.clone(), body.clone()))
            .collect();
        files.extend(fresh);
        self.last_good = Arc::new(files);
        Some(Snapshot {
            files: Arc::clone(&self.last_good),
            errors: None,
        })
    }

    fn failed(&self, errors: String) -> Snapshot {
        Snapshot {
            files: Arc::clone(&self.last_good),
            errors: Some(errors),
        }
    }
}

/// A hash of `value` (of the guides' outlines: what one guide's page can show of the others).
fn hash_of(value: &impl std::hash::Hash) -> u64 {
    use std::hash::Hasher as _;
    let mut h = std::hash::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Loads and resolves the guide `slug`, with every problem found on the way.
fn resolved(site: &Site, slug: &str, reads: &Reads) -> (Option<Arc<Guide>>, Diagnostics) {
    let (loaded, mut problems) = site.load_guide_with(slug, Some(reads));
    let guide = loaded.map(|loaded| {
        let (guide, found) = crate::resolve::resolve_one(loaded);
        problems.extend(found);
        Arc::new(guide)
    });
    (guide, problems)
}

/// A file served: its bytes in memory, or, for a large file served as it is (a video beside a
/// guide), its path, read at each request in pieces.
#[derive(Clone, Debug)]
enum Served {
    Memory(Bytes),
    Disk(PathBuf),
}

/// Files served as they are above this size stay on the disk (see [`Served`]).
const KEPT_IN_MEMORY: u64 = 8 * 1024 * 1024;

/// Every output, by its `/`-separated path.
fn files_of(outputs: &[Output], kept: &Memo<Bytes>, head: &str) -> Result<HashMap<String, Served>> {
    outputs
        .par_iter()
        .map(|output| {
            let path = output.path().to_string_lossy().replace('\\', "/");
            let bytes = match output {
                // The live-reload script goes in once here, not at every request.
                Output::Page { html, .. } => Bytes::from(livereload::inject(html, None, head)),
                Output::File { contents, .. } => Bytes::from(contents.clone()),
                Output::Binary { bytes, .. } => Bytes::from(bytes.clone()),
                Output::Asset {
                    asset: Asset::Builtin(text),
                    ..
                } => Bytes::from_static(text.as_bytes()),
                Output::Asset {
                    asset: Asset::File(file) | Asset::Cached(file),
                    ..
                }
                | Output::KeptPage { from: file, .. } => {
                    let (_, size) = crate::fs::open_regular(file)
                        .with_context(|| msg!("io-read", path = file))?;
                    if size > KEPT_IN_MEMORY {
                        return Ok((path, Served::Disk(file.clone())));
                    }
                    kept.get_or(file, || {
                        crate::fs::read_limited(file, KEPT_IN_MEMORY).map(Bytes::from)
                    })
                    .with_context(|| msg!("io-read", path = file))?
                }
            };
            Ok((path, Served::Memory(bytes)))
        })
        .collect()
}

fn open_browser(url: &str, l: &Localizer) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        println!("{}", l.format(&msg!("serve-no-browser", url = url)));
    }
}
