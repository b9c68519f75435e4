//! Write stage: puts the rendered site on disk, all or nothing.
//!
//! The site is written into a fresh staging folder beside the output folder and swapped in only
//! when every file was written, so a failed build leaves the previous output as it was. tebiki
//! replaces only folders it created (they hold a [`MARKER`] file) and refuses output folders
//! that would hold or be the site's own sources.

use std::path::{Component, Path, PathBuf};

use anyhow::{Result, bail};
use rayon::prelude::*;

use crate::fs;
use crate::render::Output;
use crate::templates::Asset;

/// The file that marks a folder as tebiki's output.
pub const MARKER: &str = ".tebiki-output";

/// Checks that `out` may be (re)written by a build of the site at `root`.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<()> {
    let root_abs = absolute(root);
    let out_abs = absolute(out);
    if root_abs.starts_with(&out_abs) {
        bail!(
            "refusing to use {} as the output folder: it contains the site's sources\n  help: choose a folder inside the site, e.g. --output-dir public",
            out.display()
        );
    }
    for source in ["content", "themes", "static", "templates"] {
        if out_abs.starts_with(root_abs.join(source)) {
            bail!(
                "refusing to write the output into {}: it is inside the site's `{source}/` folder\n  help: choose another folder, e.g. --output-dir public",
                out.display()
            );
        }
    }
    if out.exists() {
        if !out.is_dir() {
            bail!(
                "refusing to replace {}: it is a file, not a folder\n  help: remove it or choose another --output-dir",
                out.display()
            );
        }
        let empty = std::fs::read_dir(out).is_ok_and(|mut d| d.next().is_none());
        if !empty && !out.join(MARKER).is_file() {
            bail!(
                "refusing to replace {}: it is not empty and tebiki did not create it (no {MARKER} file in it)\n  help: choose another --output-dir, or empty that folder yourself",
                out.display()
            );
        }
    }
    Ok(())
}

fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    fs::normalize(&joined)
}

/// Writes `outputs` into `out`, replacing what a previous build left there.
pub fn write_site(root: &Path, out: &Path, outputs: &[Output]) -> Result<()> {
    check_output_dir(root, out)?;
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.tebiki-new-{pid}"));
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    if let Err(err) = write_all(&staging, outputs) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(err);
    }
    swap_in(
        &staging,
        out,
        &parent.join(format!(".{name}.tebiki-old-{pid}")),
    )
}

fn write_all(staging: &Path, outputs: &[Output]) -> Result<()> {
    fs::create_dir_all(staging)?;
    outputs.par_iter().try_for_each(|output| {
        let rel = output.path();
        if !is_plain_relative(rel) {
            bail!(
                "internal error: output path {} leaves the output folder",
                rel.display()
            );
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
        }
    })?;
    fs::write(
        &staging.join(MARKER),
        "This folder was written by tebiki; `tebiki build` replaces it.\n",
    )
}

fn is_plain_relative(path: &Path) -> bool {
    path.components().all(|c| matches!(c, Component::Normal(_)))
}

fn swap_in(staging: &Path, out: &Path, old: &Path) -> Result<()> {
    if !out.exists() {
        return fs::rename(staging, out);
    }
    if old.exists() {
        fs::remove_dir_all(old)?;
    }
    fs::rename(out, old)?;
    if let Err(err) = fs::rename(staging, out) {
        let _ = std::fs::rename(old, out);
        return Err(err);
    }
    fs::remove_dir_all(old)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_must_stay_inside() {
        assert!(is_plain_relative(Path::new("a/index.html")));
        assert!(!is_plain_relative(Path::new("../x")));
        assert!(!is_plain_relative(Path::new("/etc/passwd")));
    }
}
