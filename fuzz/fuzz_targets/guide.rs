//! The guide loader end to end: guide.yaml, troubles.yaml and step files (YAML, front matter,
//! Markdown with references), resolved, rendered and checked.
//!
//! Input: UTF-8 text; NUL bytes separate guide.yaml, troubles.yaml (empty: none) and the step
//! files `a`, `b`, `c`, … in this order.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

const IDS: [&str; 6] = ["a", "b", "c", "d", "e", "f"];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.split('\0');
    let guide = parts.next().unwrap_or("");
    let troubles = parts.next().filter(|t| !t.is_empty());
    let steps: Vec<(&str, &str)> = IDS.iter().copied().zip(parts).collect();
    let run = common::renderer().run(guide, &steps, troubles);
    common::assert_sound(&run);
});
