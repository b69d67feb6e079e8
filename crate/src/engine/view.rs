//! The page as the engine reads it: a snapshot with normalised texts.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::api::MAX_CONTROLS;
use crate::snapshot::{Control, Snapshot};
use crate::text::{contains, normalize};

/// A snapshot with normalised texts (computed once per call).
pub(super) struct View<'a> {
    /// The controls of the platform's roles, with their normalised name and row text.
    pub(super) controls: Vec<(&'a Control, String, String)>,
    /// Texts that may confirm a rule's `context`: title, headings, dialog names.
    page: Vec<String>,
    /// The controls of other roles, and the light snapshot's names of such controls
    /// (`other_names`): only their names count, as context too (a selected "Data controls"
    /// tab). Normalised when a context is not found elsewhere (on a busy page most are links,
    /// and the page's heading usually confirms the context first).
    others: Vec<&'a Control>,
    listed: &'a [String],
    other_names: core::cell::OnceCell<Vec<String>>,
    pub(super) lang: &'a str,
}

impl<'a> View<'a> {
    /// Only controls whose role is in `roles` (the platform's, see
    /// [`crate::api::PageInfo::roles`]) are read; of the others only the name counts, as
    /// context. So a snapshot that carries only the names of those (`other_names`, the shell's
    /// light harvest) reads the same as a full one.
    pub(super) fn new(s: &'a Snapshot, roles: &[String]) -> Self {
        let (read, others): (Vec<&Control>, Vec<&Control>) = s
            .controls
            .iter()
            .take(MAX_CONTROLS)
            .partition(|c| roles.contains(&c.role));
        let controls = read
            .into_iter()
            .map(|c| (c, normalize(&c.name), normalize(&c.text)))
            .collect();
        let page = core::iter::once(&s.title)
            .chain(s.headings.iter().take(200))
            .chain(s.dialogs.iter().take(200))
            .map(|t| normalize(t))
            .filter(|t| !t.is_empty())
            .collect();
        View {
            controls,
            page,
            others,
            listed: s.other_names.get(..MAX_CONTROLS).unwrap_or(&s.other_names),
            other_names: core::cell::OnceCell::new(),
            lang: &s.lang,
        }
    }

    /// The normalised names of the controls of other roles (computed on first use).
    pub(super) fn other_names(&self) -> &[String] {
        self.other_names.get_or_init(|| {
            self.others
                .iter()
                .map(|c| c.name.as_str())
                .chain(self.listed.iter().map(String::as_str))
                .map(normalize)
                .filter(|t| !t.is_empty())
                .collect()
        })
    }

    /// Whether a normalised context text shows anywhere a context may be read.
    pub(super) fn shows(&self, ctx: &str) -> bool {
        self.page.iter().any(|p| contains(p, ctx))
            || self
                .controls
                .iter()
                .any(|(_, n, t)| contains(n, ctx) || contains(t, ctx))
    }
}
