//! Helpers shared by the integration tests and the serve benchmark (`#[path]`-included there).

#![allow(dead_code, reason = "each test crate uses a part of these helpers")]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Copies the folder `src` into `dst`, recursively.
pub fn copy_dir(src: &Path, dst: &Path) {
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
pub fn copy_bundled_site(to: &Path) {
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
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
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
