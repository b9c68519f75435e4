//! Watching the site's sources: native events (or polling with `--poll`), with editor noise
//! filtered out, bursts gathered into one change set, and changed paths sorted by kind.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify::event::{EventKind, ModifyKind};
use notify::{Config, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

/// What a set of changed paths asks for, from the least to the most work.
#[allow(
    clippy::struct_excessive_bools,
    reason = "independent facts about one change set, read one by one"
)]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Changes {
    /// Guides (content folders) whose sources changed.
    pub guides: BTreeSet<String>,
    /// The changed paths inside each of those guides' folders.
    pub files: BTreeMap<String, BTreeSet<PathBuf>>,
    /// Templates changed: re-render every page, sources stay loaded.
    pub templates: bool,
    /// Static files changed (`css` if only stylesheets).
    pub assets: bool,
    pub css_only: bool,
    /// `site.yaml` changed, or a guide appeared or vanished: start over.
    pub everything: bool,
}

impl Changes {
    pub(crate) fn is_empty(&self) -> bool {
        self.guides.is_empty() && !self.templates && !self.assets && !self.everything
    }
}

/// Sorts changed paths (relative to the site root) by what they affect.
pub(crate) fn classify(root: &Path, paths: &BTreeSet<PathBuf>) -> Changes {
    let mut changes = Changes {
        css_only: true,
        ..Changes::default()
    };
    for path in paths {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        match parts.first().map(String::as_str) {
            // site.yaml, the site's UI vocabulary (every guide's words), a guide that appears.
            Some("site.yaml" | "ui.yaml" | "content") if parts.len() < 3 => {
                changes.everything = true;
            }
            Some("content") if parts.len() >= 3 => {
                changes.guides.insert(parts[1].clone());
                changes
                    .files
                    .entry(parts[1].clone())
                    .or_default()
                    .insert(path.clone());
            }
            Some("themes" | "templates")
                if parts.iter().any(|p| p == "templates") || parts[0] == "templates" =>
            {
                changes.templates = true;
            }
            Some("themes" | "static") => {
                changes.assets = true;
                changes.css_only &= rel.extension().is_some_and(|e| e == "css");
            }
            _ => {}
        }
    }
    changes.css_only &=
        changes.assets && !changes.templates && changes.guides.is_empty() && !changes.everything;
    changes
}

/// Whether an event path is noise: the output, caches, VCS, editor swap and backup files.
pub(crate) fn ignored(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return true;
    };
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    if matches!(
        first.as_str(),
        "public" | "target" | "node_modules" | ".git" | ".tebiki-cache"
    ) || first.starts_with(".public")
    {
        return true;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    crate::paths::is_leftover(&name)
}

/// Either kind of watcher, kept alive while serving.
#[allow(
    dead_code,
    reason = "held only to keep watching: dropping a watcher stops it"
)]
pub(crate) enum AnyWatcher {
    Native(RecommendedWatcher),
    Poll(PollWatcher),
}

/// Starts watching `root` (recursively); events arrive as paths on the returned channel.
pub(crate) fn start(root: &Path, poll: bool) -> notify::Result<(AnyWatcher, Receiver<PathBuf>)> {
    let (tx, rx) = channel();
    let handler = move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        // On Linux notify reports opens and reads too: only changes count.
        let relevant = matches!(
            event.kind,
            EventKind::Create(_)
                | EventKind::Remove(_)
                | EventKind::Modify(
                    ModifyKind::Data(_)
                        | ModifyKind::Name(_)
                        | ModifyKind::Any
                        | ModifyKind::Metadata(_)
                )
        );
        if relevant {
            for path in event.paths {
                let _ = tx.send(path);
            }
        }
    };
    let watcher = if poll {
        let config = Config::default()
            .with_poll_interval(Duration::from_millis(300))
            .with_compare_contents(true);
        let mut w = PollWatcher::new(handler, config)?;
        w.watch(root, RecursiveMode::Recursive)?;
        AnyWatcher::Poll(w)
    } else {
        let mut w = RecommendedWatcher::new(handler, Config::default())?;
        w.watch(root, RecursiveMode::Recursive)?;
        AnyWatcher::Native(w)
    };
    Ok((watcher, rx))
}

/// What woke the rebuild thread.
#[derive(Debug)]
pub(crate) enum Wake {
    /// Files changed (one set: an atomic save, a `git checkout`).
    Paths(BTreeSet<PathBuf>),
    /// The site folder is gone, or another folder took its place: its events no longer come.
    RootChanged,
    /// The server stops.
    Stop,
}

/// Which folder `root` is (device and inode): `None` when nothing is there. A folder deleted
/// and made again, or moved away, is another (or none): the watcher no longer sees it.
pub(crate) fn identity(root: &Path) -> Option<(u64, u64)> {
    let meta = crate::fs::metadata(root).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        Some((meta.dev(), meta.ino()))
    }
    #[cfg(not(unix))]
    {
        meta.is_dir().then_some((0, 0))
    }
}

/// Waits for the next change set: the first event, then everything that follows within `quiet`
/// of the previous one (an atomic save, a `git checkout`), as one set. While no event comes,
/// checks every 100 ms that `root` is still the folder `watched` (see [`identity`]).
pub(crate) fn next_batch(
    rx: &Receiver<PathBuf>,
    root: &Path,
    watched: Option<(u64, u64)>,
    quiet: Duration,
    stop: &dyn Fn() -> bool,
) -> Wake {
    let mut batch = BTreeSet::new();
    loop {
        match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(path) if !ignored(root, &path) => {
                batch.insert(path);
                break;
            }
            Err(RecvTimeoutError::Timeout) if stop() => return Wake::Stop,
            Err(RecvTimeoutError::Timeout) if identity(root) != watched => {
                return Wake::RootChanged;
            }
            Ok(_) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Wake::Stop,
        }
    }
    while let Ok(path) = rx.recv_timeout(quiet) {
        if !ignored(root, &path) {
            batch.insert(path);
        }
    }
    Wake::Paths(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(paths: &[&str]) -> BTreeSet<PathBuf> {
        paths.iter().map(|p| Path::new("/site").join(p)).collect()
    }

    #[test]
    fn paths_are_sorted_by_kind() {
        let root = Path::new("/site");
        let step = classify(root, &set(&["content/zaim-amazon/steps/pause.md"]));
        assert_eq!(step.guides.iter().collect::<Vec<_>>(), ["zaim-amazon"]);
        assert!(!step.templates && !step.everything && !step.assets);
        assert!(classify(root, &set(&["themes/default/templates/guide.html"])).templates);
        let css = classify(root, &set(&["themes/default/static/assets/tebiki.css"]));
        assert!(css.assets && css.css_only);
        let js = classify(root, &set(&["static/app.js", "static/a.css"]));
        assert!(js.assets && !js.css_only);
        assert!(classify(root, &set(&["site.yaml"])).everything);
        assert!(classify(root, &set(&["ui.yaml"])).everything);
    }

    #[test]
    fn editor_and_output_noise_is_ignored() {
        let root = Path::new("/site");
        for noise in [
            "public/index.html",
            "content/g/steps/.a.md.swp",
            "content/g/steps/a.md~",
            "content/g/4913",
            ".git/index",
            ".tebiki-cache/images/x",
        ] {
            assert!(ignored(root, &root.join(noise)), "{noise}");
        }
        assert!(!ignored(root, &root.join("content/g/steps/a.md")));
    }
}
