//! Write stage: puts the rendered site on disk, all or nothing.
//!
//! The site is written into a fresh staging folder beside the output folder and swapped in only
//! when every file was written, so a failed build leaves the previous output as it was. tebiki
//! replaces only folders it created (they hold a [`MARKER`] file) and refuses output folders
//! that would hold or be the site's own sources.

use std::path::{Component, Path, PathBuf};

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context as _, Result};

use crate::i18n::{Message, msg};

use crate::fs;
use crate::render::Output;
use crate::templates::Asset;

/// The file that marks a folder as tebiki's output.
pub(crate) const MARKER: &str = ".tebiki-output";

/// Checks that `out` may be (re)written by a build of the site at `root`.
pub(crate) fn check_output_dir(root: &Path, out: &Path) -> Result<()> {
    let root_abs = absolute(root);
    let out_abs = absolute(out);
    if root_abs.starts_with(&out_abs) {
        return Err(refused(
            msg!("output-has-sources", path = out),
            msg!("output-has-sources-hint"),
        ));
    }
    for source in ["content", "themes", "static", "templates"] {
        if out_abs.starts_with(root_abs.join(source)) {
            return Err(refused(
                msg!("output-in-sources", path = out, folder = source),
                msg!("output-in-sources-hint"),
            ));
        }
    }
    if out.exists() {
        if !out.is_dir() {
            return Err(refused(
                msg!("output-is-file", path = out),
                msg!("output-is-file-hint"),
            ));
        }
        if !fs::is_empty_dir(out) && !out.join(MARKER).is_file() {
            return Err(refused(
                msg!("output-not-ours", path = out, marker = MARKER),
                msg!("output-not-ours-hint"),
            ));
        }
    }
    Ok(())
}

/// A refusal with what to do about it, as one error (`… \n  help: …` in the author's language).
fn refused(message: Message, hint: Message) -> anyhow::Error {
    anyhow::Error::new(crate::i18n::with_help(message, hint))
}

fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    fs::normalize(&joined)
}

/// Writes `outputs` into `out`, replacing what a previous build left there (all at once).
#[cfg(test)]
fn write_site(root: &Path, out: &Path, outputs: &[Output]) -> Result<()> {
    let staging = Staging::begin(root, out, &|| {})?;
    for output in outputs {
        staging.write(output);
    }
    staging.finish().map(drop)
}

/// A build's output in the making: a fresh folder beside the output folder, holding tebiki's
/// marker from the start, that rendered files are written into as they come (from several
/// threads at once). [`Staging::finish`] swaps it in when everything was written; dropped
/// unfinished (the build failed), it is removed and the previous output stays as it was.
#[derive(Debug)]
pub(crate) struct Staging {
    dir: PathBuf,
    out: PathBuf,
    /// The first write that failed; later files are not written.
    failed: Mutex<Option<anyhow::Error>>,
    pages: AtomicUsize,
    files: AtomicUsize,
    finished: bool,
    /// The marker file, held locked while this build runs: a staging folder whose marker no
    /// one holds belongs to a build that is gone (process ids are reused, locks are not).
    _held: fs::File,
    /// The output's lock (see [`lock_output`]), released last.
    _lock: fs::File,
}

impl Staging {
    /// Checks that `out` may be replaced by a build of the site at `root`, removes staging
    /// folders of dead builds, and creates this build's.
    ///
    /// Builds of one output exclude each other: the output's folder is locked from here
    /// until the new output is in place (or the build failed). A second build waits for the
    /// first, after `on_wait` was called once to say so.
    pub(crate) fn begin(root: &Path, out: &Path, on_wait: &dyn Fn()) -> Result<Self> {
        let name = out
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let parent = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        check_output_dir(root, out)?;
        fs::create_dir_all(parent)?;
        let lock = lock_output(parent, &name, on_wait)?;
        // Again, now that no other build can change it.
        check_output_dir(root, out)?;
        remove_stale_staging(parent, &name);
        let dir = parent.join(format!("{}{}", staging_prefix(&name), std::process::id()));
        if fs::symlink_metadata(&dir).is_ok() {
            fs::remove_dir_all(&dir)?;
        }
        // The folder gets its marker under a name no build looks at, then its own name: any
        // staging folder there is holds the marker.
        let preparing = parent.join(format!(".{name}.tebiki-prep-{}", std::process::id()));
        if fs::symlink_metadata(&preparing).is_ok() {
            fs::remove_dir_all(&preparing)?;
        }
        fs::create_dir_all(&preparing)?;
        let held = hold_marker(&preparing.join(MARKER))?;
        fs::rename(&preparing, &dir)?;
        Ok(Self {
            dir,
            out: out.to_path_buf(),
            failed: Mutex::new(None),
            pages: AtomicUsize::new(0),
            files: AtomicUsize::new(0),
            finished: false,
            _held: held,
            _lock: lock,
        })
    }

    /// Writes one file (after a failed write, nothing more: the build will not be swapped in).
    pub(crate) fn write(&self, output: &Output) {
        let mut failed = self
            .failed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if failed.is_some() {
            return;
        }
        drop(failed);
        if let Err(err) = write_one(&self.dir, output) {
            failed = self
                .failed
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            failed.get_or_insert(err);
            return;
        }
        let counter = if matches!(output, Output::Page { .. } | Output::KeptPage { .. }) {
            &self.pages
        } else {
            &self.files
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Swaps the finished folder in; returns the pages and the other files written.
    pub(crate) fn finish(mut self) -> Result<(usize, usize)> {
        let failed = self
            .failed
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(err) = failed {
            return Err(err);
        }
        swap_in(&self.dir, &self.out)?;
        self.finished = true;
        let pages = self.pages.load(Ordering::Relaxed);
        Ok((pages, pages + self.files.load(Ordering::Relaxed)))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

impl crate::render::Sink for Staging {
    fn put(&self, output: Output) {
        self.write(&output);
    }
}

/// Locks the folder `parent` (the output `name` is in) against other builds, waiting for one
/// that holds it (after calling `on_wait`). The folder itself is locked, so nothing is left
/// beside the output; builds into other folders of the same parent wait for each other too.
/// Where a folder cannot be opened to be locked, a file `.<name>.tebiki-lock` beside the
/// output is locked instead.
fn lock_output(parent: &Path, name: &str, on_wait: &dyn Fn()) -> Result<fs::File> {
    let file = match fs::open(parent) {
        Ok(file) => file,
        Err(_) => fs::open_lock_file(&parent.join(format!(".{name}.tebiki-lock")))?,
    };
    let context = || msg!("output-lock", path = parent);
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            on_wait();
            file.lock().with_context(context)?;
        }
        Err(std::fs::TryLockError::Error(err)) => return Err(err).with_context(context),
    }
    Ok(file)
}

/// Writes the marker file at `path` and locks it for as long as the returned file is open.
fn hold_marker(path: &Path) -> Result<fs::File> {
    use std::io::Write as _;
    let mut file = fs::open_lock_file(path).with_context(|| msg!("io-create", path = path))?;
    file.lock()
        .and_then(|()| {
            file.write_all(b"This folder was written by tebiki; `tebiki build` replaces it.\n")
        })
        .with_context(|| msg!("io-write", path = path))?;
    Ok(file)
}

/// Whether a build holds the marker file at `path` (it still runs). A marker that cannot be
/// opened or tested counts as held: the folder is left alone.
fn marker_held(path: &Path) -> bool {
    match fs::open(path) {
        Ok(file) => !matches!(file.try_lock(), Ok(())),
        Err(_) => true,
    }
}

/// Staging folders are `.<name>.tebiki-new-<pid>` beside the output.
fn staging_prefix(name: &str) -> String {
    format!(".{name}.tebiki-new-")
}

/// Removes the staging folders that builds killed before they finished left beside the output
/// (their process is gone). Only tebiki's own folders: named like one, holding the marker, or
/// empty. Called with the output locked, so no live build of it is making a folder there.
fn remove_stale_staging(parent: &Path, name: &str) {
    let prefixes = [
        (staging_prefix(name), true),
        (format!(".{name}.tebiki-prep-"), true),
        (format!(".{name}.tebiki-old-"), false),
    ];
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        // A staging folder is in use while its build holds the marker. An old output moved
        // aside (`-old-`, see `swap_by_two_renames`) holds the previous build's marker, which no
        // one holds: it is in use while the process named in it runs.
        let Some((pid, held_marker)) = prefixes
            .iter()
            .find_map(|(prefix, held)| Some((file_name.strip_prefix(prefix.as_str())?, *held)))
        else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        let path = entry.path();
        let marker = path.join(MARKER);
        let is_dir = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        let in_use = if held_marker {
            marker_held(&marker)
        } else {
            process_alive(pid)
        };
        if is_dir && marker.is_file() && !in_use {
            let _ = fs::remove_dir_all(&path);
        } else if is_dir && !marker.exists() {
            // A build killed between creating its folder and writing the marker leaves it
            // empty; only an empty folder is removed, so nothing can be lost.
            let _ = fs::remove_empty_dir(&path);
        }
    }
}

/// Whether process `pid` still runs (then its staging folder is in use).
#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    // Permission denied means it exists (another user's process).
    !matches!(
        rustix::process::test_kill_process(pid),
        Err(rustix::io::Errno::SRCH)
    )
}

#[cfg(not(unix))]
fn process_alive(pid: u32) -> bool {
    // Without a cheap check, a folder is taken for stale only when it is not this process's.
    pid == std::process::id()
}

fn write_one(staging: &Path, output: &Output) -> Result<()> {
    let rel = output.path();
    if !is_plain_relative(rel) {
        return Err(anyhow::Error::new(msg!("output-path-escapes", path = rel)));
    }
    let dest = staging.join(rel);
    match output {
        Output::Page { html, .. } => fs::write(&dest, html),
        Output::File { contents, .. } => fs::write(&dest, contents),
        Output::Binary { bytes, .. } => fs::write(&dest, bytes),
        Output::Asset {
            asset: Asset::Builtin(text),
            ..
        } => fs::write(&dest, text),
        Output::Asset {
            asset: Asset::File(src),
            ..
        } => fs::copy(src, &dest),
        Output::Asset {
            asset: Asset::Cached(from),
            ..
        }
        | Output::KeptPage { from, .. } => fs::link_or_copy(from, &dest),
    }
}

fn is_plain_relative(path: &Path) -> bool {
    path.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Puts the finished `staging` folder in the place of `out`, in one step where the system can:
/// at every moment `out` is either the old output or the new one, complete.
fn swap_in(staging: &Path, out: &Path) -> Result<()> {
    if !out.exists() {
        return fs::rename(staging, out);
    }
    match exchange(staging, out) {
        // `staging` now holds the old output.
        Ok(()) => fs::remove_dir_all(staging),
        Err(_) => swap_by_two_renames(staging, out),
    }
}

/// Swaps two folders atomically (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// The fallback where folders cannot be exchanged: move the old output aside, move the new one
/// in, remove the old one. A crash between the two renames leaves the old output beside.
fn swap_by_two_renames(staging: &Path, out: &Path) -> Result<()> {
    let name = staging
        .file_name()
        .map(|n| n.to_string_lossy().replace("-new-", "-old-"));
    let old = staging.with_file_name(name.unwrap_or_default());
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    fs::rename(out, &old)?;
    if let Err(err) = fs::rename(staging, out) {
        let _ = fs::rename(&old, out);
        return Err(err);
    }
    fs::remove_dir_all(&old)
}

#[cfg(test)]
#[allow(
    clippy::disallowed_methods,
    reason = "tests set up their files with std::fs"
)]
mod tests {
    use super::*;

    #[test]
    fn the_swap_keeps_one_complete_output_and_no_staging_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let page = |text: &str| Output::Page {
            path: "index.html".into(),
            html: text.into(),
        };
        write_site(dir.path(), &out, &[page("old")]).unwrap();
        write_site(dir.path(), &out, &[page("new")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        assert_eq!(names, ["public"]);
    }

    #[test]
    fn stale_staging_folders_of_dead_builds_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let dead = dir.path().join(".public.tebiki-new-2147483646");
        let foreign = dir.path().join(".public.tebiki-new-2147483645");
        std::fs::create_dir_all(&dead).unwrap();
        std::fs::write(dead.join(MARKER), "").unwrap();
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("mine.txt"), "not tebiki's").unwrap();
        let out = dir.path().join("public");
        write_site(dir.path(), &out, &[]).unwrap();
        assert!(!dead.exists(), "a dead build's staging folder is removed");
        assert!(
            foreign.exists(),
            "a folder without the marker is left alone"
        );
    }

    /// Process ids are reused: a staging folder named after a running process but held by no
    /// build is stale; one held by a running build stays, whatever its name says.
    #[cfg(unix)]
    #[test]
    fn a_staging_folder_is_stale_when_no_build_holds_its_marker() {
        let dir = tempfile::tempdir().unwrap();
        let running = std::os::unix::process::parent_id();
        let reused = dir.path().join(format!(".public.tebiki-new-{running}"));
        std::fs::create_dir_all(&reused).unwrap();
        std::fs::write(reused.join(MARKER), "").unwrap();
        let empty = dir.path().join(".public.tebiki-new-2147483640");
        std::fs::create_dir_all(&empty).unwrap();
        let foreign = dir.path().join(".public.tebiki-new-2147483641");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
        let held = dir.path().join(".public.tebiki-new-2147483646");
        std::fs::create_dir_all(&held).unwrap();
        let _holding = hold_marker(&held.join(MARKER)).unwrap();
        write_site(dir.path(), &dir.path().join("public"), &[]).unwrap();
        assert!(
            !reused.exists(),
            "its process id belongs to another process now"
        );
        assert!(held.exists(), "a running build's folder is left alone");
        assert!(!empty.exists(), "killed before its marker was written");
        assert!(
            foreign.exists(),
            "a folder with someone's files and no marker stays"
        );
    }

    #[test]
    fn output_paths_must_stay_inside() {
        assert!(is_plain_relative(Path::new("a/index.html")));
        assert!(!is_plain_relative(Path::new("../x")));
        assert!(!is_plain_relative(Path::new("/etc/passwd")));
    }
}
