//! tebiki: a static site generator for illustrated step-by-step guides.
//!
//! The build is a flat list of stages, run by [`site::Site`]:
//! [`config`] → [`load`] → [`resolve`] (numbering, anchors, windows, ids; [`troubles`]) → [`render`]
//! (Markdown with references, templates, JSON-LD) → [`write`]. The command line is in [`cli`].

pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostics;
mod escape;
pub mod figure;
mod fs;
#[doc(hidden)]
pub mod fuzzing;
pub mod images;
pub mod load;
pub mod markdown;
pub mod model;
mod paths;
mod reference;
pub mod render;
pub mod resolve;
pub mod serve;
pub mod site;
pub mod templates;
pub mod troubles;
pub mod write;
mod yaml;

pub use site::{BuildOptions, Site};
