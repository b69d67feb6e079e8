//! Finding a setting's control on the page and reading its state.

#[allow(unused_imports)]
use crate::prelude::*;

use super::compiled::Compiled;
use super::keywords;
use super::view::View;
use super::words::{words, Words};
use crate::api::{Finding, MatchedBy, Reason, State};
use crate::rule::model::{Automation, OffMeans, RuleSet, Setting, StepKind};
use crate::snapshot::{read_with, Control, Reading};
use crate::text::{contains, normalize};
use crate::vocab::{step_roles, PREFILL_ROLE};

/// Result of looking for a setting's control: the control, its normalised name, how it was
/// matched and what off looks like on it (`None`: its wording's polarity is unclear).
pub(super) enum Match<'a> {
    Found(&'a Control, &'a str, MatchedBy, Option<OffMeans>),
    Ambiguous,
    Absent,
}

/// The label a person sees for the control: its own accessible name when that holds one of
/// the rule's labels; else the rule's label that its row shows (a switch labelled only by its
/// row, a "Turn off" button under the setting's heading); else its name, else its row text.
pub(super) fn shown_label(s: &Setting, ctl: &Control) -> String {
    let name = normalize(&ctl.name);
    let labels = || s.labels.values().flatten();
    if let Some(l) = labels().find(|l| !name.is_empty() && contains(&name, &normalize(l))) {
        // a name that also says the state ("Improve the model for everyone Off", "Turn off
        // your Keep Activity setting") shows the rule's label, not the state or the verb
        let normalized: Vec<String> = labels().map(|l| normalize(l)).collect();
        if words(&name, "", &normalized) != Words::Silent {
            return l.clone();
        }
        return ctl.name.clone();
    }
    let row = normalize(&ctl.text);
    if let Some(l) = labels().find(|l| contains(&row, &normalize(l))) {
        return l.clone();
    }
    if !name.is_empty() {
        return ctl.name.clone();
    }
    ctl.text.chars().take(200).collect()
}

/// What "off" looks like on a control worded so (`name`, `text` normalised), for the keyword
/// fallback and suspects: from its own wording, never from a rule. `None` when the wording's
/// polarity is unclear (never read as on or off). The name decides when it reads like training
/// on its own; else the name and the row must agree (a switch named "Toggle" in a row saying
/// "Protect my posts from AI training").
pub(super) fn worded(name: &str, text: &str) -> Option<OffMeans> {
    use keywords::{polarity, Polarity};
    let p = if name.is_empty() {
        polarity(text)
    } else if keywords::score(&[name]).weak() {
        polarity(name)
    } else {
        let p = polarity(name);
        if p == polarity(text) {
            p
        } else {
            Polarity::Unclear
        }
    };
    match p {
        Polarity::Affirmative => Some(OffMeans::Unchecked),
        Polarity::Inverted => Some(OffMeans::Checked),
        Polarity::Unclear => None,
    }
}

/// A checkbox-like control's state read with `off` (what off looks like; `None`: unclear):
/// `Ok(true)` when on.
pub(super) fn on_when(reading: Reading, off: Option<OffMeans>) -> Result<bool, Reason> {
    match (reading, off) {
        (Reading::Disabled, _) => Err(Reason::Disabled),
        (Reading::Checked(checked), Some(OffMeans::Unchecked)) => Ok(checked),
        (Reading::Checked(checked), Some(OffMeans::Checked)) => Ok(!checked),
        _ => Err(Reason::Unreadable),
    }
}

/// Reads a setting's control: `Ok(true)` when the setting is on. `off` is what off looks like:
/// the rule's `off_means` for a label match, the control's own wording for a keyword match
/// ([`worded`]).
/// A `select` is off when its selected option (`value`) is one of the rule's `off_option`s; a
/// select matched by keywords is read only when its wording is affirmative (an option
/// "Disabled" of "Block AI training" would mean on).
/// A control matched by a label is read from its words too ([`words`]): a state word next to
/// the label, a row showing only the word, the verb of its name; they must agree with each
/// other and with its `checked`/aria state, else it is unreadable. `name` and `text` are the
/// control's normalised name and row.
pub(super) fn read_setting(
    c: &Compiled,
    ctl: &Control,
    (name, text): (&str, &str),
    off: Option<OffMeans>,
    by: MatchedBy,
) -> Result<bool, Reason> {
    if ctl.role == "select" {
        if ctl.disabled {
            return Err(Reason::Disabled);
        }
        let v = normalize(ctl.value.as_deref().unwrap_or(""));
        if v.is_empty() || (by == MatchedBy::Keywords && off != Some(OffMeans::Unchecked)) {
            return Err(Reason::Unreadable);
        }
        return Ok(!c.off_option.contains(&v));
    }
    let said = if by == MatchedBy::Label {
        match words(name, text, &c.labels) {
            Words::Silent => None,
            Words::Says(b) => Some(Some(b)),
            Words::Conflict => Some(None),
        }
    } else {
        None
    };
    on_when(read_with(ctl, said), off)
}

/// The option of a select control that means off (its text as in `options`).
pub(super) fn off_option_of(c: &Compiled, ctl: &Control) -> Option<String> {
    c.off_option
        .iter()
        .find_map(|o| ctl.options.iter().find(|opt| normalize(opt) == *o).cloned())
}

pub(super) fn find<'a>(s: &Setting, c: &Compiled, view: &'a View<'a>) -> Match<'a> {
    // the context confirms the page; a page in a language the context does not cover
    // (by its `lang`) cannot confirm it and is not held against the rule
    let lang = view.lang.split(['-', '_']).next().unwrap_or("");
    let covered = lang.is_empty() || s.context.contains_key(lang);
    if !c.context.is_empty() && covered {
        let seen = c.context.iter().any(|ctx| view.shows(ctx))
            || c.context
                .iter()
                .any(|ctx| view.other_names().iter().any(|n| contains(n, ctx)));
        if !seen {
            return Match::Absent;
        }
    }
    let mut cands: Vec<(u8, &'a Control, &'a str, &'a str)> = Vec::new();
    for (ctl, name, text) in &view.controls {
        if !s.roles.contains(&ctl.role) {
            continue;
        }
        if c.exclude
            .iter()
            .any(|x| contains(name, x) || contains(text, x))
        {
            continue;
        }
        let score = if c.labels.iter().any(|l| contains(name, l)) {
            3
        } else if c.labels.iter().any(|l| contains(text, l)) {
            2
        } else if keywords::score(&[name, text]).weak() {
            // of either polarity: "Protect my posts from AI training" is this setting too,
            // read by its own wording (`worded`)
            1
        } else {
            0
        };
        if score >= 1 {
            cands.push((score, ctl, name.as_str(), text.as_str()));
        }
    }
    // a visible candidate beats hidden duplicates
    if cands.iter().any(|(_, ctl, _, _)| ctl.visible) {
        cands.retain(|(_, ctl, _, _)| ctl.visible);
    }
    let Some(best) = cands.iter().map(|(s, _, _, _)| *s).max() else {
        return Match::Absent;
    };
    let mut top = cands.iter().filter(|(s, _, _, _)| *s == best);
    match (top.next(), top.next()) {
        (Some((_, ctl, name, _)), None) if best > 1 => {
            Match::Found(ctl, name, MatchedBy::Label, Some(s.off_means))
        }
        (Some((_, ctl, name, text)), None) => {
            Match::Found(ctl, name, MatchedBy::Keywords, worded(name, text))
        }
        _ => Match::Ambiguous,
    }
}

pub(super) fn finding(set: &RuleSet, s: &Setting, c: &Compiled, view: &View<'_>) -> Finding {
    let mut f = Finding {
        setting: s.id.clone(),
        title: s.title.clone(),
        state: State::Unknown,
        label: String::new(),
        control: None,
        reason: None,
        matched_by: None,
        automation: s.automation,
        rule_version: set.version,
    };
    if s.automation == Automation::Guided {
        f.state = State::Manual;
        if let Some(field) = prefill_field(s, c, view) {
            f.label = field.name.clone();
            f.control = Some(field.index);
            f.matched_by = Some(MatchedBy::Label);
        }
        return f;
    }
    let m = find(s, c, view);
    let hidden = match &m {
        Match::Absent => true,
        Match::Found(ctl, ..) => !ctl.visible,
        Match::Ambiguous => false,
    };
    if hidden {
        // the control is not shown: a rule with an opener reads the setting from the opener's
        // words ("Improve the model for everyone Off")
        match opener(s, c, view) {
            Opener::One(ctl, name, text) => {
                f.label = shown_label(s, ctl);
                f.control = Some(ctl.index);
                f.matched_by = Some(MatchedBy::Label);
                match read_setting(c, ctl, (name, text), Some(s.off_means), MatchedBy::Label) {
                    Ok(on) => f.state = if on { State::On } else { State::Off },
                    Err(r) => f.reason = Some(r),
                }
                return f;
            }
            Opener::Many => {
                f.reason = Some(Reason::Ambiguous);
                return f;
            }
            Opener::None => {}
        }
    }
    match m {
        Match::Absent => f.reason = Some(Reason::Absent),
        Match::Ambiguous => f.reason = Some(Reason::Ambiguous),
        Match::Found(ctl, name, by, off) => {
            f.label = shown_label(s, ctl);
            f.control = Some(ctl.index);
            f.matched_by = Some(by);
            let text = view
                .controls
                .iter()
                .find(|(x, _, _)| x.index == ctl.index)
                .map_or("", |(_, _, t)| t.as_str());
            match read_setting(c, ctl, (name, text), off, by) {
                Ok(on) => f.state = if on { State::On } else { State::Off },
                Err(r) => f.reason = Some(r),
            }
        }
    }
    f
}

/// The guided setting's prefill field on this page: the one visible, enabled control with a
/// prefill role whose name (or, failing that, row) holds a prefill label.
pub(super) fn prefill_field<'a>(
    s: &Setting,
    c: &Compiled,
    view: &'a View<'a>,
) -> Option<&'a Control> {
    let p = s.prefill.as_ref()?;
    let default_roles = [PREFILL_ROLE.to_string()];
    let roles: &[String] = if p.roles.is_empty() {
        &default_roles
    } else {
        &p.roles
    };
    let mut best: Option<(u8, &'a Control)> = None;
    let mut tie = false;
    for (ctl, name, text) in &view.controls {
        if !roles.contains(&ctl.role) || !ctl.visible || ctl.disabled {
            continue;
        }
        let score = if c.prefill.iter().any(|l| contains(name, l)) {
            2
        } else if c.prefill.iter().any(|l| contains(text, l)) {
            1
        } else {
            continue;
        };
        match best {
            Some((b, _)) if b > score => {}
            Some((b, _)) if b == score => tie = true,
            _ => {
                best = Some((score, ctl));
                tie = false;
            }
        }
    }
    if tie {
        return None;
    }
    best.map(|(_, ctl)| ctl)
}

/// The opener of a setting whose rule has an `open` step.
pub(super) enum Opener<'a> {
    /// No open step, or no control shows its texts.
    None,
    /// The one control: it, its normalised name and row.
    One(&'a Control, &'a str, &'a str),
    /// Two or more controls show its texts equally well.
    Many,
}

/// The setting's opener on the page (its `open` step's button): the one visible control of the
/// step's roles whose name equals (else contains) one of the step's texts, never a destructive
/// one.
pub(super) fn opener<'a>(s: &Setting, c: &Compiled, view: &'a View<'a>) -> Opener<'a> {
    let Some(i) = s.steps.iter().position(|st| st.action == StepKind::Open) else {
        return Opener::None;
    };
    let texts = c.steps.get(i).map_or(&[][..], Vec::as_slice);
    let roles = step_roles(StepKind::Open);
    let mut best = 0u8;
    let mut picks: Vec<(&'a Control, &'a str, &'a str)> = Vec::new();
    for (ctl, name, text) in &view.controls {
        if !ctl.visible || !roles.contains(&ctl.role.as_str()) || c.destructive(name) {
            continue;
        }
        let q = if texts.iter().any(|t| t == name) {
            2
        } else if texts.iter().any(|t| contains(name, t)) {
            1
        } else {
            continue;
        };
        if q > best {
            best = q;
            picks.clear();
        }
        if q == best {
            picks.push((ctl, name.as_str(), text.as_str()));
        }
    }
    match picks.as_slice() {
        [] => Opener::None,
        [(ctl, name, text)] => Opener::One(ctl, name, text),
        _ => Opener::Many,
    }
}
