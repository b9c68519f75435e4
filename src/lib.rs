//! tebiki: a static site generator for illustrated step-by-step guides.
//!
//! The build is a flat list of stages, run by [`Site`] (see `ARCHITECTURE.md`):
//! config → load → resolve (numbering, anchors, windows, ids, trouble entries) → render
//! (Markdown with references, templates, JSON-LD) → pictures → write. The command line is in
//! [`cli`]. The public API is what the binary, the benchmarks and the fuzz targets use; every
//! module is private to the crate.

mod card;
mod check;
pub mod cli;
mod config;
mod diagnostics;
mod edit;
mod escape;
mod figure;
mod follow;
mod fs;
#[doc(hidden)]
pub mod fuzzing;
mod i18n;
mod images;
mod init;
mod load;
mod markdown;
mod model;
mod names;
mod new;
mod paths;
mod publish;
mod reads;
mod reference;
mod render;
mod resolve;
mod serve;
mod site;
mod templates;
mod ui;
mod write;
mod yaml;

pub use diagnostics::{BuildFailed, Diagnostic, Diagnostics, Position, Severity};
pub use i18n::{Lang, Localizer, Message};
pub use render::Output;
pub use site::{BuildOptions, BuildReport, Site};
pub use templates::Asset;
