//! Templates and theme assets, looked up site → theme → built-in.
//!
//! The default theme (`themes/default/` of this repository) is embedded in the binary. A site
//! overrides it file by file: first its own `templates/`, then `themes/<theme>/templates/`, then
//! the built-in copy. Static assets follow the same order (`static/`, the theme's `static/`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::{Context, Tera};
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, display_path};
use crate::i18n::msg;
use crate::paths::{Found, PathCheck, PathProblem};

/// The built-in templates: (name, source).
const BUILTIN_TEMPLATES: [(&str, &str); 16] = [
    (
        "base.html",
        include_str!("../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../themes/default/templates/index.html"),
    ),
    (
        "guide.html",
        include_str!("../themes/default/templates/guide.html"),
    ),
    (
        "troubleshooting.html",
        include_str!("../themes/default/templates/troubleshooting.html"),
    ),
    (
        "trouble_card.html",
        include_str!("../themes/default/templates/trouble_card.html"),
    ),
    (
        "trouble_links.html",
        include_str!("../themes/default/templates/trouble_links.html"),
    ),
    (
        "trouble_filter.html",
        include_str!("../themes/default/templates/trouble_filter.html"),
    ),
    (
        "figure.html",
        include_str!("../themes/default/templates/figure.html"),
    ),
    (
        "search_box.html",
        include_str!("../themes/default/templates/search_box.html"),
    ),
    (
        "mark_legend.html",
        include_str!("../themes/default/templates/mark_legend.html"),
    ),
    (
        "card.svg",
        include_str!("../themes/default/templates/card.svg"),
    ),
    (
        "meta.html",
        include_str!("../themes/default/templates/meta.html"),
    ),
    (
        "404.html",
        include_str!("../themes/default/templates/404.html"),
    ),
    (
        "wordpress.html",
        include_str!("../themes/default/templates/wordpress.html"),
    ),
    (
        "wordpress_trouble.html",
        include_str!("../themes/default/templates/wordpress_trouble.html"),
    ),
    (
        "wordpress.css",
        include_str!("../themes/default/templates/wordpress.css"),
    ),
];

/// The built-in static files: (path in the output, contents).
const BUILTIN_ASSETS: [(&str, &str); 6] = [
    (
        "assets/tebiki.css",
        include_str!("../themes/default/static/assets/tebiki.css"),
    ),
    (
        "assets/tebiki-filter.js",
        include_str!("../themes/default/static/assets/tebiki-filter.js"),
    ),
    (
        "assets/tebiki-figure.js",
        include_str!("../themes/default/static/assets/tebiki-figure.js"),
    ),
    (
        "assets/tebiki-timer.js",
        include_str!("../themes/default/static/assets/tebiki-timer.js"),
    ),
    (
        "assets/tebiki-search.js",
        include_str!("../themes/default/static/assets/tebiki-search.js"),
    ),
    (
        "assets/tebiki-progress.js",
        include_str!("../themes/default/static/assets/tebiki-progress.js"),
    ),
];

/// The reader tools as one script for a WordPress post (the countdown of timed windows and
/// the 「できた」 checkboxes: the built-in `tebiki-timer.js` and `tebiki-progress.js`). Neither
/// has an `&`: WordPress turns it into `&#038;` in a post's inline script.
pub(crate) fn reader_script() -> String {
    BUILTIN_ASSETS
        .iter()
        .filter(|(path, _)| {
            matches!(
                *path,
                "assets/tebiki-timer.js" | "assets/tebiki-progress.js"
            )
        })
        .map(|(_, js)| *js)
        .collect::<Vec<_>>()
        .join("\n")
}

/// A file to put in the output: embedded bytes, a file to copy, or a file of tebiki's cache.
#[derive(Clone, Debug)]
pub enum Asset {
    Builtin(&'static str),
    File(PathBuf),
    /// A file in `.tebiki-cache/` (a share card, an encoded picture): always written whole
    /// under a new name and renamed into place, never changed where it is, so the output may
    /// link to it instead of copying it.
    Cached(PathBuf),
}

/// HTML that tebiki wrote, every value in it escaped already: in a template's context it is a
/// string tera knows to be safe, so `{{ x }}` prints it as it is. Through `| safe` (which
/// themes may still write) each page's step bodies and JSON-LD were copied once more.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Html(pub String);

impl serde::Serialize for Html {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Into a context, tera takes a `Value` as it is.
        tera::Value::safe_string(&self.0).serialize(serializer)
    }
}

/// The loaded templates, ready to render in parallel (`Tera` is `Sync`).
#[derive(Debug)]
pub(crate) struct Templates {
    tera: Tera,
    /// A hash of every template's name and text: pages kept from an earlier build are kept
    /// only while it is the same.
    fingerprint: u64,
}

impl Templates {
    /// Loads the built-in templates, then the theme's and the site's overrides.
    pub(crate) fn load(root: &Path, theme: &str) -> Result<Self, Diagnostics> {
        let mut diagnostics = Diagnostics::default();
        let mut sources: BTreeMap<String, (String, Option<PathBuf>)> = BUILTIN_TEMPLATES
            .iter()
            .map(|(n, s)| ((*n).to_owned(), ((*s).to_owned(), None)))
            .collect();
        let theme_dir = root.join("themes").join(theme);
        if theme != "default" && !theme_dir.is_dir() {
            diagnostics.push(
                Diagnostic::error(msg!(
                    "no-theme",
                    theme = theme,
                    folder = &display_path(root, &theme_dir)
                ))
                .in_file(crate::config::CONFIG_FILE)
                .with_hint(msg!("no-theme-hint")),
            );
        }
        for dir in [theme_dir.join("templates"), root.join("templates")] {
            for path in files_under(root, &dir, &mut diagnostics) {
                let name = path
                    .strip_prefix(&dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                match crate::load::Source::read(root, &path) {
                    Ok(source) => {
                        sources.insert(name, (source.text, Some(path)));
                    }
                    Err(d) => diagnostics.push(d),
                }
            }
        }
        let mut tera = Tera::new();
        // `json_encode`, as in Zola: a value as JSON that is safe inside an inline script or an
        // HTML comment (a WordPress block's attributes), and so not escaped again.
        tera.register_filter(
            "json_encode",
            |value: tera::Value, _: tera::Kwargs, _: &tera::State| {
                tera::Value::safe_string(&crate::escape::json_in_script(&value))
            },
        );
        // `phrases`: a heading's text, escaped, with `<wbr>` between its Japanese phrases.
        tera.register_filter(
            "phrases",
            |value: tera::Value, _: tera::Kwargs, _: &tera::State| {
                tera::Value::safe_string(&crate::escape::phrases_html(
                    value.as_str().unwrap_or_default(),
                ))
            },
        );
        // All at once: templates refer to each other (extends, include), checked on adding.
        if let Err(err) = tera.add_raw_templates(
            sources
                .iter()
                .map(|(name, (text, _))| (name.as_str(), text.as_str())),
        ) {
            let origins: Vec<String> = sources
                .iter()
                .filter_map(|(name, (_, path))| {
                    path.as_deref()
                        .map(|p| format!("{name} ← {}", display_path(root, p).display()))
                })
                .collect();
            let hint = if origins.is_empty() {
                msg!("template-builtin-hint")
            } else {
                msg!("template-own-hint", templates = origins.join(", "))
            };
            diagnostics.push(
                Diagnostic::error(msg!("template-error", error = error_chain(&err)))
                    .with_hint(hint),
            );
        }
        if diagnostics.has_errors() {
            Err(diagnostics)
        } else {
            Ok(Self {
                tera,
                fingerprint: fingerprint(&sources),
            })
        }
    }

    /// A hash of every template's name and text.
    pub(crate) fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Renders template `name` as bytes (UTF-8: no check that they are, where the page is
    /// only written); on failure, a diagnostic naming the template.
    pub(crate) fn render_bytes(
        &self,
        name: &str,
        context: &Context,
        room: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        // `room`: what the caller expects the output to take, so that a 600 kB page is not
        // copied a dozen times while its buffer grows.
        let mut out = Vec::with_capacity(room);
        self.tera
            .render_to(name, context, &mut out)
            .map_err(|err| {
                Diagnostic::error(msg!(
                    "template-render",
                    name = name,
                    error = error_chain(&err)
                ))
                .in_file(format!("templates/{name}"))
            })?;
        Ok(out)
    }

    /// Renders template `name`; on failure, a diagnostic naming the template.
    pub(crate) fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.render_bytes(name, context, 0).map(into_text)
    }
}

/// What [`Templates::render_bytes`] made, as text (Tera writes what its templates and values
/// hold: UTF-8).
pub(crate) fn into_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// The files below `dir`, in name order. Links are taken when they lead to a file inside the
/// site; a link (of a file or of a folder on the way) that leads out is an error, as is a
/// folder that cannot be read.
fn files_under(root: &Path, dir: &Path, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    let mut check = PathCheck::new(root);
    match check.check(dir) {
        Ok(Found::Dir(_)) => {}
        Ok(Found::File(_) | Found::Missing(_)) => return Vec::new(),
        Err(problem) => {
            diagnostics.push(path_problem(root, dir, &problem));
            return Vec::new();
        }
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).sort_by_file_name() {
        match entry {
            Ok(e) if crate::paths::is_leftover(&e.file_name().to_string_lossy()) => {}
            Ok(e) if e.file_type().is_file() => files.push(e.into_path()),
            Ok(e) if e.file_type().is_symlink() => match check.check(e.path()) {
                Ok(Found::File(_)) => files.push(e.into_path()),
                Ok(Found::Dir(_) | Found::Missing(_)) => {}
                Err(problem) => diagnostics.push(path_problem(root, e.path(), &problem)),
            },
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => {
                let meta = crate::fs::symlink_metadata(e.path());
                let kind = meta
                    .as_ref()
                    .map_or("a special file", crate::fs::special_kind);
                diagnostics.push(path_problem(root, e.path(), &PathProblem::Special(kind)));
            }
            Err(err) => {
                let path = err.path().unwrap_or(dir).to_path_buf();
                let io = err
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("a loop of links"));
                diagnostics.push(path_problem(root, &path, &PathProblem::Io(io)));
            }
        }
    }
    files
}

fn path_problem(root: &Path, path: &Path, problem: &PathProblem) -> Diagnostic {
    let shown = display_path(root, path);
    let what = msg!("the-theme-file", path = &shown);
    let d = match problem {
        PathProblem::Io(err) => Diagnostic::cannot_read(what, err),
        _ => Diagnostic::error(problem.message(what)).with_hint(problem.hint(msg!("noun-file"))),
    };
    d.in_file(shown)
}

/// The static files of the output: built-in, then the theme's `static/`, then the site's.
/// Problems (links out of the site, unreadable folders) go to `diagnostics`.
pub(crate) fn assets(
    root: &Path,
    theme: &str,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<PathBuf, Asset> {
    let mut out: BTreeMap<PathBuf, Asset> = BUILTIN_ASSETS
        .iter()
        .map(|(p, c)| (PathBuf::from(p), Asset::Builtin(c)))
        .collect();
    for dir in [
        root.join("themes").join(theme).join("static"),
        root.join("static"),
    ] {
        for path in files_under(root, &dir, diagnostics) {
            let rel = path.strip_prefix(&dir).unwrap_or(&path).to_path_buf();
            out.insert(rel, Asset::File(path));
        }
    }
    out
}

/// A hash of the templates' names and texts (not of where they came from).
fn fingerprint(sources: &BTreeMap<String, (String, Option<PathBuf>)>) -> u64 {
    use std::hash::{Hash as _, Hasher as _};
    let mut h = std::hash::DefaultHasher::new();
    for (name, (text, _)) in sources {
        (name, text).hash(&mut h);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_prints_as_it_is_with_or_without_safe() {
        #[derive(serde::Serialize)]
        struct Step {
            body_html: Html,
            title: String,
        }
        let mut tera = Tera::default();
        tera.add_raw_template(
            "t.html",
            "{{ step.body_html }}|{{ step.body_html | safe }}|{{ step.title }}",
        )
        .unwrap();
        let mut context = Context::new();
        let step = Step {
            body_html: Html("<p>a &amp; b</p>".to_owned()),
            title: "<b>".to_owned(),
        };
        context.insert("step", &step);
        let page = tera.render("t.html", &context).unwrap();
        assert_eq!(page, "<p>a &amp; b</p>|<p>a &amp; b</p>|&lt;b&gt;");
    }

    #[test]
    fn the_reader_script_survives_wordpress() {
        let script = reader_script();
        assert!(script.contains("tebikiTimer") && script.contains("tebikiProgress"));
        assert!(
            !script.contains('&'),
            "WordPress would turn an & into &#038;"
        );
    }
}
