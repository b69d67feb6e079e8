//! A simulated shell and page for property tests: ask `next_step`, act on the snapshot the way a
//! page would, re-harvest, ask again. Every call is checked against the safety promise.
//! Included with `#[path = "common/sim.rs"] mod sim;` next to `mod common;`.
#![allow(dead_code)]

use untrain::engine::{DESTRUCTIVE, MAX_ACTIONS};
use untrain::text::{has_stem, normalize};
use untrain::{Action, Engine, FailReason, Finding, Outcome, Plan, Snapshot, State};

/// How the simulated page reacts to the click that should turn the setting off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The control flips and stays.
    Accepts,
    /// Scripted clicks are ignored (the page checks `event.isTrusted`): nothing changes.
    IgnoresScriptedClicks,
    /// The control flips, then the page flips it back after `n` waits.
    Reverts(u8),
    /// Every click flips whatever was clicked (a page that lets anything toggle).
    FlipsClicked,
    /// A single-page app that moves to this URL (same host, another page) after the first
    /// click, keeping its controls.
    LeavesTo(&'static str),
}

/// How a simulated plan ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// `done` with this outcome.
    Done(Outcome),
    /// `failed` with this reason.
    Failed(FailReason),
}

/// What happened during a run.
#[derive(Debug, Clone)]
pub struct Run {
    /// How it ended.
    pub end: End,
    /// Calls of `next_step`.
    pub calls: usize,
    /// Clicks on the setting's own control.
    pub setting_clicks: usize,
    /// All clicks.
    pub clicks: usize,
}

fn finding(e: &Engine, snap: &Snapshot, id: &str) -> Option<Finding> {
    e.evaluate(snap)
        .findings
        .into_iter()
        .find(|f| f.setting == id)
}

/// Built-in destructive words (written normalised) plus the setting's own `never` words,
/// normalised; each is matched at a word start of the normalised name (`has_stem`).
pub fn destructive_words(e: &Engine, id: &str) -> Vec<String> {
    let never: Vec<String> = e
        .rule_sets()
        .iter()
        .flat_map(|s| &s.settings)
        .filter(|s| s.id == id)
        .flat_map(|s| s.never.clone())
        .collect();
    DESTRUCTIVE
        .iter()
        .map(|w| w.to_string())
        .chain(never.iter().map(|w| normalize(w)))
        .filter(|w| !w.is_empty())
        .collect()
}

fn steps_of(e: &Engine, id: &str) -> usize {
    e.rule_sets()
        .iter()
        .flat_map(|s| &s.settings)
        .find(|s| s.id == id)
        .map_or(0, |s| s.steps.len())
}

/// Whether `url` is on one of the setting's `pages` (false for an unknown setting).
fn on_pages(e: &Engine, id: &str, url: &str) -> bool {
    let Some(parts) = untrain::url::split(url) else {
        return false;
    };
    e.rule_sets()
        .iter()
        .flat_map(|s| &s.settings)
        .filter(|s| s.id == id)
        .flat_map(|s| &s.pages)
        .any(|p| untrain::url::page_matches(p, parts.path, parts.hash))
}

fn flip_index(snap: &mut Snapshot, index: usize) {
    if let Some(c) = snap.controls.iter_mut().find(|c| c.index == index) {
        crate::common::flip(c);
    }
}

/// Runs a plan to its end against a simulated page; `Err` names the broken property.
///
/// Checked on every call: a click names a control of the snapshot with the same role and name,
/// on a page of the setting's `pages`;
/// never a destructive name; the setting's own control only while it reads `on`; the first
/// (click-control) step clicks only the setting's control; `done` only when the current
/// snapshot reads `off`, with `turned-off` exactly when something was clicked; `failed` has a
/// non-empty lowercase message; the plan's action count never exceeds `MAX_ACTIONS`; and the
/// run ends within `MAX_ACTIONS + 1` calls.
pub fn simulate(e: &Engine, mut snap: Snapshot, mut plan: Plan, page: Page) -> Result<Run, String> {
    let id = plan.setting.clone();
    let words = destructive_words(e, &id);
    let steps = steps_of(e, &id);
    let mut revert: Option<(u8, usize)> = None;
    let mut setting_clicks = 0;
    let mut clicks = 0;
    for call in 1..=(MAX_ACTIONS as usize + 2) {
        let before = plan.clone();
        let d = e.next_step(&snap, plan);
        let f = finding(e, &snap, &id);
        match &d.action {
            Action::Click {
                index, role, name, ..
            } => {
                clicks += 1;
                let c = snap
                    .controls
                    .iter()
                    .find(|c| c.index == *index)
                    .ok_or("click on a control that is not in the snapshot")?;
                if (&c.role, &c.name) != (role, name) {
                    return Err("click names another role/name".into());
                }
                if id != untrain::SUSPECTED && !on_pages(e, &id, &snap.url) {
                    return Err(format!(
                        "clicked {name:?} off the setting's pages ({})",
                        snap.url
                    ));
                }
                let n = normalize(name);
                if let Some(w) = words.iter().find(|w| has_stem(&n, w)) {
                    return Err(format!("clicked destructive {name:?} ({w})"));
                }
                let is_setting = f.as_ref().and_then(|f| f.control) == Some(*index);
                if is_setting {
                    setting_clicks += 1;
                    if f.as_ref().map(|f| f.state) != Some(State::On) {
                        return Err(format!(
                            "clicked the setting's control while it reads {f:?}"
                        ));
                    }
                }
                if before.step == 0 && !is_setting {
                    return Err("the click-control step clicked something else".into());
                }
                let target = f.as_ref().and_then(|f| f.control);
                let decisive = before.step + 2 >= steps; // the click right before verify
                match page {
                    Page::FlipsClicked => flip_index(&mut snap, *index),
                    Page::LeavesTo(url) => snap.url = url.to_string(),
                    Page::Accepts if decisive => {
                        if let Some(t) = target {
                            flip_index(&mut snap, t);
                        }
                    }
                    Page::Reverts(n) if decisive => {
                        if let Some(t) = target {
                            flip_index(&mut snap, t);
                            revert = Some((n, t));
                        }
                    }
                    _ => {}
                }
            }
            // the simulated rules are toggles and menus: no select, no form to fill
            Action::Select { .. } | Action::Fill { .. } => {
                return Err(format!("unexpected {:?} for a toggle rule", d.action));
            }
            Action::Wait { ms, .. } => {
                if *ms == 0 || *ms > 5_000 {
                    return Err(format!("wait of {ms} ms"));
                }
                if let Some((n, t)) = revert {
                    if n == 0 {
                        flip_index(&mut snap, t);
                        revert = None;
                    } else {
                        revert = Some((n - 1, t));
                    }
                }
            }
            Action::Done { outcome, .. } => {
                if f.as_ref().map(|f| f.state) != Some(State::Off) {
                    return Err(format!("done while the snapshot reads {f:?}"));
                }
                if (*outcome == Outcome::TurnedOff) == d.plan.clicked.is_empty() {
                    return Err(format!(
                        "outcome {outcome:?} with clicked {:?}",
                        d.plan.clicked
                    ));
                }
                return Ok(Run {
                    end: End::Done(*outcome),
                    calls: call,
                    setting_clicks,
                    clicks,
                });
            }
            Action::Failed { message, reason } => {
                if message.is_empty() || message.to_lowercase() != *message {
                    return Err(format!("message empty or not lowercase: {message:?}"));
                }
                return Ok(Run {
                    end: End::Failed(*reason),
                    calls: call,
                    setting_clicks,
                    clicks,
                });
            }
        }
        if d.plan.actions > MAX_ACTIONS {
            return Err(format!("{} actions after call {call}", d.plan.actions));
        }
        plan = d.plan;
    }
    Err(format!(
        "the plan did not end within {} calls",
        MAX_ACTIONS + 2
    ))
}
