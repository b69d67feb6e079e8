//! Suspected settings: controls of a settings page that read like AI training and that no rule
//! covers.

#[allow(unused_imports)]
use crate::prelude::*;

use super::compiled::Compiled;
use super::keywords;
use super::matching::{find, on_when, worded, Match};
use super::on_settings_pages;
use super::view::View;
use crate::api::{State, Suspect};
use crate::rule::model::{Automation, RuleSet};
use crate::snapshot::read;
use crate::text::contains;
use crate::url;
use crate::vocab::SUSPECT_ROLES;

/// The key of a suspected control: its normalised name (or row text), cut to 120 bytes.
fn suspect_key(name_n: &str, text_n: &str) -> String {
    let k = if name_n.is_empty() { text_n } else { name_n };
    let mut end = k.len().min(120);
    while !k.is_char_boundary(end) {
        end -= 1;
    }
    k.get(..end).unwrap_or("").trim_end().to_string()
}

/// Controls of a settings page that read like AI training (strong keyword score) and that
/// no setting of the platform matches.
pub(super) fn suspects(
    set: &RuleSet,
    comp: &[Compiled],
    view: &View<'_>,
    parts: &url::Parts<'_>,
) -> Vec<Suspect> {
    let mut out: Vec<Suspect> = Vec::new();
    let mut dups: Vec<String> = Vec::new();
    if !on_settings_pages(set, parts) {
        return out;
    }
    // controls a rule matches (or could match by its labels) are not suspects
    let mut taken: Vec<usize> = Vec::new();
    for (s, c) in set.settings.iter().zip(comp) {
        if s.automation == Automation::Guided {
            continue;
        }
        if s.pages
            .iter()
            .any(|p| url::page_matches(p, parts.path, parts.hash))
        {
            if let Match::Found(ctl, _, _, _) = find(s, c, view) {
                taken.push(ctl.index);
            }
        }
    }
    for (ctl, name, text) in &view.controls {
        if !SUSPECT_ROLES.contains(&ctl.role.as_str()) || !ctl.visible || taken.contains(&ctl.index)
        {
            continue;
        }
        if comp.iter().any(|c| {
            c.labels
                .iter()
                .any(|l| contains(name, l) || contains(text, l))
        }) {
            continue;
        }
        if !keywords::score(&[name, text]).strong() {
            continue;
        }
        // read by its own wording: "Protect my data from AI training" is on when unchecked;
        // an unclear wording is never read (never clicked)
        let state = match on_when(read(ctl), worded(name, text)) {
            Ok(true) => State::On,
            Ok(false) => State::Off,
            Err(_) => State::Unknown,
        };
        let shown = if ctl.name.trim().is_empty() {
            &ctl.text
        } else {
            &ctl.name
        };
        let key = suspect_key(name, text);
        if key.is_empty() || dups.contains(&key) {
            continue;
        }
        if out.iter().any(|x| x.key == key) {
            // two controls with one key cannot be told apart: report neither
            out.retain(|x| x.key != key);
            dups.push(key);
            continue;
        }
        out.push(Suspect {
            control: ctl.index,
            label: shown.chars().take(200).collect(),
            state,
            key,
        });
    }
    out
}
