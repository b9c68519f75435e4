//! What serve keeps of earlier renders: step cards and step figures, each with the hash of
//! what it was made from, used again only while that hash is the same. A leaf module: the
//! values are stored by type (`Any`), so that it names none of the types of the modules that
//! use it (`guide::kept_step`, `figure::kept_figure`).

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Step cards and step figures rendered at earlier rebuilds, by guide and step (serve keeps
/// one between rebuilds).
#[derive(Default)]
pub(crate) struct RenderMemo {
    pub(super) steps: Shelf,
    pub(super) figures: Shelf,
}

impl RenderMemo {
    /// Forgets everything (the settings or the set of guides changed).
    pub(crate) fn clear(&self) {
        self.steps.lock().clear();
        self.figures.lock().clear();
    }
}

/// A [`RenderMemo`] with the hash of the outlines of every guide of the site being rendered.
#[derive(Clone, Copy)]
pub(crate) struct Kept<'a> {
    pub memo: &'a RenderMemo,
    pub outlines: u64,
}

type Entries = HashMap<(String, String), (u64, Box<dyn Any + Send>)>;

/// Values by (guide slug, step id or anchor), each with the hash of what it was made from.
#[derive(Default)]
pub(super) struct Shelf(Mutex<Entries>);

impl Shelf {
    /// The value kept for `key` if it was made from `made_of`; else `make`'s, kept.
    pub(super) fn get_or<V: Clone + Send + 'static>(
        &self,
        key: (String, String),
        made_of: u64,
        make: impl FnOnce() -> V,
    ) -> V {
        if let Some((kept, value)) = self.lock().get(&key)
            && *kept == made_of
            && let Some(value) = value.downcast_ref::<V>()
        {
            return value.clone();
        }
        let value = make();
        self.lock().insert(key, (made_of, Box::new(value.clone())));
        value
    }

    fn lock(&self) -> MutexGuard<'_, Entries> {
        // An entry is inserted whole: a panic elsewhere cannot leave half of one.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
