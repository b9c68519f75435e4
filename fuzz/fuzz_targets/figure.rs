//! The mock-up and annotation loader: the input is the front matter of a step (`title:`,
//! `image:` with `mockup:` and `annotations:`, `troubles:` with pictures), drawn to SVG.

#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

const GUIDE: &str = "title: F\ndescription: F\npublished: 2026-01-01\nsections:\n  - id: main\n    kind: procedure\n    title: M\n    steps: [a]\n";

fuzz_target!(|data: &[u8]| {
    let Ok(front) = std::str::from_utf8(data) else {
        return;
    };
    let step = format!("---\n{front}\n---\n本文\n");
    let run = common::renderer().run(GUIDE, &[("a", &step)], None);
    common::assert_sound(&run);
});
