//! A simulated shell and page for property tests: ask `next_step`, act on the snapshot the way a
//! page would, re-harvest, ask again. Every call is checked against the safety promise.
//! `use crate::common::sim;`.
#![allow(dead_code)]

use untrain::engine::{DESTRUCTIVE, MAX_ACTIONS};
use untrain::text::{has_stem, normalize};
use untrain::{Action, Engine, FailReason, Outcome, Plan, Snapshot, State, SUSPECTED};

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

/// The control a plan is about and how the engine reads it on this snapshot: the setting's
/// finding, or for a suspect plan the suspect with the plan's key.
fn target(e: &Engine, snap: &Snapshot, plan: &Plan) -> (Option<usize>, Option<State>) {
    let ev = e.evaluate(snap);
    if plan.setting == SUSPECTED {
        return ev
            .suspected
            .iter()
            .find(|x| Some(&x.key) == plan.suspect.as_ref())
            .map_or((None, None), |x| (Some(x.control), Some(x.state)));
    }
    ev.findings
        .iter()
        .find(|f| f.setting == plan.setting)
        .map_or((None, None), |f| (f.control, Some(f.state)))
}

/// Ground truth of a generated control: whether its wording means "on when checked" (as a
/// person reads it, not as the engine does) and whether the data use is truly on now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Truly {
    /// Snapshot index.
    pub index: usize,
    /// The wording's polarity: on when checked.
    pub on_when_checked: bool,
    /// The data use is on (whatever the snapshot shows; an unreadable control has a state too).
    pub on: bool,
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

/// The page flips control `index`: its state signals, and its true state.
fn flip_index(snap: &mut Snapshot, truth: &mut [Truly], index: usize) {
    if let Some(c) = snap.controls.iter_mut().find(|c| c.index == index) {
        crate::common::flip(c);
    }
    if let Some(t) = truth.iter_mut().find(|t| t.index == index) {
        t.on = !t.on;
    }
}

/// [`simulate_truth`] without ground truth.
pub fn simulate(e: &Engine, snap: Snapshot, plan: Plan, page: Page) -> Result<Run, String> {
    simulate_truth(e, snap, plan, page, Vec::new())
}

/// Runs a plan to its end against a simulated page; `Err` names the broken property.
///
/// Checked on every call: a click names a control of the snapshot with the same role and name,
/// on a page of the setting's `pages`;
/// never a destructive name; the setting's own control only while it reads `on`; the first
/// (click-control) step clicks only the setting's control; `done` only when the current
/// snapshot reads `off`, with `turned-off` exactly when something was clicked; `failed` has a
/// non-empty lowercase message; the plan's action count never exceeds `MAX_ACTIONS`; and the
/// run ends within `MAX_ACTIONS + 1` calls. A suspect plan's control is the suspect with its key.
///
/// With ground truth (`truth`: the generated controls' true polarity and state, kept up to
/// date as the page flips them), also: never a click on a control that is truly off, `done`
/// only when the plan's control is truly off, and no control that was truly off at the start
/// is truly on at the end.
pub fn simulate_truth(
    e: &Engine,
    mut snap: Snapshot,
    mut plan: Plan,
    page: Page,
    mut truth: Vec<Truly>,
) -> Result<Run, String> {
    let started_off: Vec<usize> = truth.iter().filter(|t| !t.on).map(|t| t.index).collect();
    let still_off = |truth: &[Truly]| -> Result<(), String> {
        match truth
            .iter()
            .find(|t| t.on && started_off.contains(&t.index))
        {
            Some(t) => Err(format!("control {} was truly off and is now on", t.index)),
            None => Ok(()),
        }
    };
    let truly_on = |truth: &[Truly], i: usize| truth.iter().find(|t| t.index == i).map(|t| t.on);
    let id = plan.setting.clone();
    let words = destructive_words(e, &id);
    let steps = steps_of(e, &id);
    let mut revert: Option<(u8, usize)> = None;
    let mut setting_clicks = 0;
    let mut clicks = 0;
    for call in 1..=(MAX_ACTIONS as usize + 2) {
        let before = plan.clone();
        let (control, state) = target(e, &snap, &before);
        let d = e.next_step(&snap, plan);
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
                if id != SUSPECTED && !on_pages(e, &id, &snap.url) {
                    return Err(format!(
                        "clicked {name:?} off the setting's pages ({})",
                        snap.url
                    ));
                }
                let n = normalize(name);
                if let Some(w) = words.iter().find(|w| has_stem(&n, w)) {
                    return Err(format!("clicked destructive {name:?} ({w})"));
                }
                if truly_on(&truth, *index) == Some(false) {
                    return Err(format!("clicked {name:?}, which is truly off"));
                }
                let is_setting = control == Some(*index);
                if is_setting {
                    setting_clicks += 1;
                    if state != Some(State::On) {
                        return Err(format!(
                            "clicked the setting's control while it reads {state:?}"
                        ));
                    }
                }
                if before.step == 0 && !is_setting {
                    return Err("the click-control step clicked something else".into());
                }
                let target = control;
                let decisive = before.step + 2 >= steps; // the click right before verify
                match page {
                    Page::FlipsClicked => flip_index(&mut snap, &mut truth, *index),
                    Page::LeavesTo(url) => snap.url = url.to_string(),
                    Page::Accepts if decisive => {
                        if let Some(t) = target {
                            flip_index(&mut snap, &mut truth, t);
                        }
                    }
                    Page::Reverts(n) if decisive => {
                        if let Some(t) = target {
                            flip_index(&mut snap, &mut truth, t);
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
                        flip_index(&mut snap, &mut truth, t);
                        revert = None;
                    } else {
                        revert = Some((n - 1, t));
                    }
                }
            }
            Action::Done { outcome, .. } => {
                if state != Some(State::Off) {
                    return Err(format!("done while the snapshot reads {state:?}"));
                }
                if control.and_then(|i| truly_on(&truth, i)) == Some(true) {
                    return Err(format!("done {outcome:?} while the data use is truly on"));
                }
                still_off(&truth)?;
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
                still_off(&truth)?;
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
