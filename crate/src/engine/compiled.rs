//! A setting's rule texts normalised once, when the engine is built, and the roles a rule set
//! reads.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::rule::model::{RuleSet, Setting, Texts};
use crate::text::{has_stem, normalize};
use crate::vocab::{step_roles, DESTRUCTIVE, PREFILL_ROLE, SUSPECT_ROLES};

/// Normalised texts of one setting.
#[derive(Debug, Clone)]
pub(super) struct Compiled {
    pub(super) labels: Vec<String>,
    pub(super) context: Vec<String>,
    pub(super) exclude: Vec<String>,
    pub(super) never: Vec<String>,
    pub(super) steps: Vec<Vec<String>>,
    pub(super) off_option: Vec<String>,
    pub(super) prefill: Vec<String>,
}

fn norm_all(t: &Texts) -> Vec<String> {
    t.values()
        .flatten()
        .map(|s| normalize(s))
        .filter(|s| !s.is_empty())
        .collect()
}

impl Compiled {
    pub(super) fn new(s: &Setting) -> Self {
        Compiled {
            labels: norm_all(&s.labels),
            context: norm_all(&s.context),
            exclude: norm_all(&s.exclude),
            never: s
                .never
                .iter()
                .map(|w| normalize(w))
                .filter(|w| !w.is_empty())
                .collect(),
            steps: s.steps.iter().map(|st| norm_all(&st.text)).collect(),
            off_option: norm_all(&s.off_option),
            prefill: s
                .prefill
                .as_ref()
                .map_or_else(Vec::new, |p| norm_all(&p.labels)),
        }
    }

    /// Whether a normalised name holds a built-in destructive word or one of the rule's
    /// `never` words (each at a word start).
    pub(super) fn destructive(&self, name_n: &str) -> bool {
        destructive(name_n) || self.never.iter().any(|w| has_stem(name_n, w))
    }
}

/// Whether a normalised name holds a built-in destructive word ([`DESTRUCTIVE`]) at a word start.
pub fn destructive(name_n: &str) -> bool {
    DESTRUCTIVE.iter().any(|w| has_stem(name_n, w))
}

/// Every role the engine reads for a rule set: its settings' control roles, the roles of
/// their steps and prefill fields, and the suspects' roles. Sorted, without duplicates.
pub(super) fn roles_of(set: &RuleSet) -> Vec<String> {
    let mut roles: Vec<String> = Vec::new();
    // kept sorted by insertion (a handful of names; `sort` would add kilobytes to the wasm)
    let mut add = |r: &str| {
        if let Err(at) = roles.binary_search_by(|x| x.as_str().cmp(r)) {
            roles.insert(at, r.to_string());
        }
    };
    SUSPECT_ROLES.iter().for_each(|r| add(r));
    for s in &set.settings {
        s.roles.iter().for_each(|r| add(r));
        for st in &s.steps {
            step_roles(st.action).iter().for_each(|r| add(r));
        }
        if let Some(p) = &s.prefill {
            if p.roles.is_empty() {
                add(PREFILL_ROLE);
            } else {
                p.roles.iter().for_each(|r| add(r));
            }
        }
    }
    roles
}
