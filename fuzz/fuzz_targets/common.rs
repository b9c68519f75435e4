//! What every fuzz target asserts about a run, whatever the input: no panic (libFuzzer sees
//! one), the inline JSON-LD is JSON and holds no raw `<`, every generated SVG is well-formed
//! XML without non-finite numbers, and the problems render.

use std::sync::OnceLock;

use tebiki::fuzzing::{Renderer, Run};
use tebiki::Output;

pub fn renderer() -> &'static Renderer {
    static RENDERER: OnceLock<Renderer> = OnceLock::new();
    RENDERER.get_or_init(|| Renderer::new().expect("the built-in theme loads"))
}

pub fn assert_sound(run: &Run) {
    assert!(!run.report.contains('\u{1b}'), "a control character reached the report");
    for output in &run.outputs {
        match output {
            Output::Page { html, path } => {
                for script in scripts(html, "<script type=\"application/ld+json\">") {
                    assert!(!script.contains('<'), "raw < in the JSON-LD of {}", path.display());
                    serde_json::from_str::<serde_json::Value>(script)
                        .unwrap_or_else(|e| panic!("JSON-LD of {}: {e}", path.display()));
                }
            }
            Output::File { contents, path } if path.extension().is_some_and(|e| e == "svg") => {
                roxmltree::Document::parse(contents)
                    .unwrap_or_else(|e| panic!("{} is not XML: {e}\n{contents}", path.display()));
                assert!(
                    !contents.contains("NaN") && !contents.contains("inf\""),
                    "a non-finite number in {}",
                    path.display()
                );
            }
            _ => {}
        }
    }
}

fn scripts<'a>(html: &'a str, open: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    html.match_indices(open).filter_map(move |(at, _)| {
        let rest = &html[at + open.len()..];
        rest.find("</script>").map(|end| &rest[..end])
    })
}
