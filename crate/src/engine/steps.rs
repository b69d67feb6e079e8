//! The steps of a setting's plan: one function per [`StepKind`], and the one [`verify`] that
//! setting plans and suspect plans share.

#[allow(unused_imports)]
use crate::prelude::*;

use super::compiled::Compiled;
use super::decide::{click, fail, reason_fail, select, wait};
use super::matching::{off_option_of, opener, Opener};
use super::view::View;
use crate::api::{
    Action, Decision, FailReason, Finding, Outcome, Plan, Reason, State, OFF_READS, VERIFY_MS,
    WAIT_MS,
};
use crate::rule::model::{Setting, StepKind};
use crate::snapshot::Control;
use crate::text::{contains, normalize};
use crate::vocab::step_roles;

/// What a step of a setting's plan reads: the setting, its normalised texts, the page, the
/// setting's finding there and its control with its normalised name (when one was found).
pub(super) struct Ctx<'a> {
    pub(super) s: &'a Setting,
    pub(super) c: &'a Compiled,
    pub(super) view: &'a View<'a>,
    pub(super) finding: Finding,
    pub(super) found: Option<(&'a Control, &'a str)>,
}

/// The plan's current step.
pub(super) fn step(cx: Ctx<'_>, plan: Plan) -> Decision {
    let Some(kind) = cx.s.steps.get(plan.step).map(|st| st.action) else {
        return fail(plan, FailReason::BadPlan, "the plan has no such step");
    };
    match kind {
        StepKind::ClickControl => click_control(cx, plan),
        StepKind::OpenTab => open_tab(cx, plan),
        StepKind::Open => open(cx, plan),
        StepKind::Close => close(cx, plan),
        StepKind::Choose | StepKind::Confirm => choose_or_confirm(cx, kind, plan),
        StepKind::Save => save(cx, plan),
        StepKind::Verify => {
            let f = cx.finding;
            verify(plan, f.state, f.reason, f.label)
        }
    }
}

/// Skips to the last step (`verify`): the setting already reads off.
fn to_last(cx: Ctx<'_>, mut plan: Plan) -> Decision {
    plan.step = cx.s.steps.len().saturating_sub(1);
    plan.waits = 0;
    plan.off_reads = 0;
    step(cx, plan)
}

/// `click-control`: click the setting's own control (or select a list's off option) when it
/// reads on, never when its name is destructive. Off before any click ends the plan; off
/// after one goes on to verify.
fn click_control(cx: Ctx<'_>, plan: Plan) -> Decision {
    // the control the finding read (not an opener that shows the state while the control is
    // hidden in its dialog)
    let own = cx
        .found
        .filter(|(ctl, _)| cx.finding.control == Some(ctl.index));
    // a control behind an opener (open-tab) is clicked only once its panel shows it, as a
    // person would
    let behind_opener = cx.s.steps.iter().any(|st| st.action == StepKind::OpenTab);
    match (cx.finding.state, own) {
        (State::On, Some((ctl, _))) if behind_opener && !ctl.visible => wait(
            plan,
            WAIT_MS,
            "waiting for the panel to show the setting's control",
            (
                FailReason::Absent,
                "the setting's control did not show after opening its panel",
            ),
        ),
        (State::On, Some((ctl, name))) => {
            let c = cx.c;
            if c.destructive(name) {
                return fail(
                    plan,
                    FailReason::NoChoice,
                    "the control's name contains a destructive word; not clicking",
                );
            }
            if ctl.role == "select" {
                return match off_option_of(c, ctl) {
                    Some(option) if !c.destructive(&normalize(&option)) => {
                        select(plan, ctl, option, ["turn off ", &cx.s.title].concat())
                    }
                    _ => fail(
                        plan,
                        FailReason::NoChoice,
                        "the list has no option that turns the setting off",
                    ),
                };
            }
            click(plan, ctl, ["turn off ", &cx.s.title].concat())
        }
        (State::Off, _) if plan.clicked.is_empty() => Decision {
            plan,
            action: Action::Done {
                outcome: Outcome::AlreadyOff,
                label: cx.finding.label,
            },
        },
        (State::Off, _) => to_last(cx, plan),
        // read on from the opener: its dialog has not shown the control yet
        (State::On, None) => wait(
            plan,
            WAIT_MS,
            "waiting for the dialog to show the setting's control",
            (
                FailReason::Absent,
                "the setting's control did not show after opening its dialog",
            ),
        ),
        _ => {
            let r = cx.finding.reason.unwrap_or(Reason::Unreadable);
            wait(
                plan,
                WAIT_MS,
                "waiting for the setting to render",
                reason_fail(r),
            )
        }
    }
}

/// `open-tab`: click the step's tab (or the button that discloses the setting's panel, "Manage
/// AI settings") unless the setting's control shows already; a tab that is selected, or a
/// button that says it is expanded, is not clicked again.
fn open_tab(cx: Ctx<'_>, mut plan: Plan) -> Decision {
    if cx.found.is_some_and(|(ctl, _)| ctl.visible) {
        // the control is shown: this tab is open already
        plan.step = plan.step.saturating_add(1);
        plan.waits = 0;
        return step(cx, plan);
    }
    if cx.finding.state == State::Off && plan.clicked.is_empty() {
        // read off from its hidden panel: nothing to open (a second run clicks nothing)
        return Decision {
            plan,
            action: Action::Done {
                outcome: Outcome::AlreadyOff,
                label: cx.finding.label,
            },
        };
    }
    match step_choice(&cx, StepKind::OpenTab, plan.step, None) {
        Choice::One(tab)
            if tab.aria_selected.as_deref() != Some("true")
                && tab.aria_expanded.as_deref() != Some("true") =>
        {
            // a tab click is not recorded in `clicked` (it changes no setting); a disclosure
            // button is not a tab
            let what = if tab.role == "tab" {
                "open the tab \""
            } else {
                "open \""
            };
            click_unrecorded(plan, tab, [what, &tab.name, "\""].concat())
        }
        // the tab is selected but the control is not there (yet)
        Choice::One(_) => wait(
            plan,
            WAIT_MS,
            "waiting for the tab to show the setting",
            reason_fail(Reason::Absent),
        ),
        Choice::Many => fail(
            plan,
            FailReason::Ambiguous,
            "more than one matching tab; not clicking",
        ),
        Choice::None => wait(
            plan,
            WAIT_MS,
            "waiting for the tab to appear",
            (FailReason::NoChoice, "the expected tab did not appear"),
        ),
    }
}

/// Click `ctl` without recording it in `clicked` (an opener, a tab, a close button: none of
/// them changes the setting).
fn click_unrecorded(plan: Plan, ctl: &Control, why: String) -> Decision {
    let mut d = click(plan, ctl, why);
    if matches!(d.action, Action::Click { .. }) {
        d.plan.clicked.pop();
    }
    d
}

/// `open`: while the setting's control is not shown, its state is read from the opener (the
/// button that opens the control's dialog, see `matching::opener`); when that reads on, click
/// the opener. Off before any click ends the plan (`already-off`); a control that shows
/// already skips the step.
fn open(cx: Ctx<'_>, mut plan: Plan) -> Decision {
    if cx.found.is_some_and(|(ctl, _)| ctl.visible) {
        plan.step = plan.step.saturating_add(1);
        plan.waits = 0;
        return step(cx, plan);
    }
    match cx.finding.state {
        State::On => match opener(cx.s, cx.c, cx.view) {
            Opener::One(ctl, _, _) if cx.finding.control == Some(ctl.index) => {
                click_unrecorded(plan, ctl, ["open \"", &ctl.name, "\""].concat())
            }
            _ => wait(
                plan,
                WAIT_MS,
                "waiting for the setting's opener",
                reason_fail(Reason::Absent),
            ),
        },
        State::Off if plan.clicked.is_empty() => Decision {
            plan,
            action: Action::Done {
                outcome: Outcome::AlreadyOff,
                label: cx.finding.label,
            },
        },
        State::Off => to_last(cx, plan),
        State::Unknown | State::Manual => {
            let r = cx.finding.reason.unwrap_or(Reason::Unreadable);
            wait(
                plan,
                WAIT_MS,
                "waiting for the setting to render",
                reason_fail(r),
            )
        }
    }
}

/// `close`: once the setting reads off, click the one button in a dialog that shows one of the
/// step's texts ("Done", "Got it"), never destructive, never the control; none, or more than
/// one, skips the step (the dialog stays open: closing is never worth a guess). A setting that
/// still reads on waits for the page to take the change.
fn close(cx: Ctx<'_>, mut plan: Plan) -> Decision {
    match cx.finding.state {
        State::Off => match step_choice(&cx, StepKind::Close, plan.step, own(&cx)) {
            Choice::One(btn) => {
                click_unrecorded(plan, btn, ["close with \"", &btn.name, "\""].concat())
            }
            Choice::None | Choice::Many => {
                plan.step = plan.step.saturating_add(1);
                plan.waits = 0;
                step(cx, plan)
            }
        },
        State::On => not_accepted_yet(plan),
        State::Unknown | State::Manual => {
            let r = cx.finding.reason.unwrap_or(Reason::Unreadable);
            wait(
                plan,
                WAIT_MS,
                "waiting to read the setting again",
                reason_fail(r),
            )
        }
    }
}

/// `choose` and `confirm`: click the step's menu choice or button once it appears (never the
/// setting's own control, never a destructive one). A setting that reads off already skips a
/// `choose` (the control itself took the change, as a checkbox does where a menu was expected:
/// nothing is left to choose, and no other menu's item is guessed at); a `confirm` is never
/// skipped: a switch that shows off while its "Turn Off" never came was not kept, so the plan
/// waits for the confirmation and fails without it.
fn choose_or_confirm(cx: Ctx<'_>, kind: StepKind, mut plan: Plan) -> Decision {
    if kind == StepKind::Choose && cx.finding.state == State::Off {
        plan.step = plan.step.saturating_add(1);
        plan.waits = 0;
        return step(cx, plan);
    }
    match step_choice(&cx, kind, plan.step, own(&cx)) {
        Choice::One(ctl) => {
            let why = if kind == StepKind::Choose {
                ["choose \"", &ctl.name, "\""].concat()
            } else {
                ["confirm \"", &ctl.name, "\""].concat()
            };
            click(plan, ctl, why)
        }
        Choice::Many => fail(
            plan,
            FailReason::Ambiguous,
            "more than one matching choice; not clicking",
        ),
        Choice::None => wait(
            plan,
            WAIT_MS,
            "waiting for the choice to appear",
            (FailReason::NoChoice, "the expected choice did not appear"),
        ),
    }
}

/// `save`: once the setting reads off, click the one button named by the step's texts ("Save",
/// "Done") that keeps the change. Never skipped: while the setting does not read off it waits,
/// and a Save that never appears (or more than one) fails the plan, so `verify` is reached only
/// through the click and a change left pending is never reported off.
fn save(cx: Ctx<'_>, plan: Plan) -> Decision {
    if cx.finding.state != State::Off {
        return wait(
            plan,
            WAIT_MS,
            "waiting for the setting to read off before saving",
            (
                FailReason::NotAccepted,
                "the page did not accept the change, so nothing was saved",
            ),
        );
    }
    match step_choice(&cx, StepKind::Save, plan.step, own(&cx)) {
        Choice::One(ctl) => {
            let why = ["save \"", &ctl.name, "\""].concat();
            click(plan, ctl, why)
        }
        Choice::Many => fail(
            plan,
            FailReason::Ambiguous,
            "more than one Save button; not clicking",
        ),
        Choice::None => wait(
            plan,
            WAIT_MS,
            "waiting for the Save button",
            (
                FailReason::NoChoice,
                "the Save button did not appear: the change is not saved",
            ),
        ),
    }
}

/// `verify`, of a setting's plan and of a suspect's: done after [`OFF_READS`] off reads in a
/// row; on again after an off read has reverted; on, or unreadable (`reason`), waits. The
/// outcome is `turned-off` only when the plan records a click of ours (`clicked`): a plan
/// that reaches verify without one (forged, or a setting that was off all along) ends
/// `already-off`, never claiming a change Untrain did not make.
pub(super) fn verify(
    mut plan: Plan,
    state: State,
    reason: Option<Reason>,
    label: String,
) -> Decision {
    match state {
        State::Off => {
            plan.off_reads = plan.off_reads.saturating_add(1);
            if plan.off_reads >= OFF_READS {
                let outcome = if plan.clicked.is_empty() {
                    Outcome::AlreadyOff
                } else {
                    Outcome::TurnedOff
                };
                Decision {
                    plan,
                    action: Action::Done { outcome, label },
                }
            } else {
                wait(
                    plan,
                    VERIFY_MS,
                    "checking that the setting stays off",
                    (
                        FailReason::NotAccepted,
                        "the setting did not stay off long enough to check",
                    ),
                )
            }
        }
        State::On if plan.off_reads > 0 => fail(
            plan,
            FailReason::Reverted,
            "the setting turned off and then back on",
        ),
        State::On => not_accepted_yet(plan),
        State::Unknown | State::Manual => {
            plan.off_reads = 0;
            let r = reason.unwrap_or(Reason::Unreadable);
            wait(
                plan,
                WAIT_MS,
                "waiting to read the setting again",
                reason_fail(r),
            )
        }
    }
}

/// The setting still reads on after our change: wait for the page to take it; after
/// [`MAX_WAITS`](crate::api::MAX_WAITS) the plan fails `not-accepted`.
fn not_accepted_yet(plan: Plan) -> Decision {
    wait(
        plan,
        WAIT_MS,
        "waiting for the page to accept the change",
        (
            FailReason::NotAccepted,
            "the page did not accept the change",
        ),
    )
}

/// The setting's own control (`choice` never picks it).
fn own(cx: &Ctx<'_>) -> Option<usize> {
    cx.found.map(|(ctl, _)| ctl.index)
}

/// [`choice`] over the texts of step `step` of the setting.
fn step_choice<'a>(cx: &Ctx<'a>, kind: StepKind, step: usize, own: Option<usize>) -> Choice<'a> {
    let texts = cx.c.steps.get(step).map_or(&[][..], Vec::as_slice);
    choice(kind, texts, cx.c, cx.view, own)
}

/// The one control of a step's kind that shows one of its `texts` (an exact name beats a
/// part; for `confirm` one in a dialog comes first, for the others it breaks ties).
fn choice<'a>(
    kind: StepKind,
    texts: &[String],
    c: &Compiled,
    view: &'a View<'a>,
    own: Option<usize>,
) -> Choice<'a> {
    let roles = step_roles(kind);
    let mut best: Option<(u8, u8)> = None;
    let mut picks: Vec<&'a Control> = Vec::new();
    for (ctl, name, _) in &view.controls {
        // never the setting's own control (or anything labelled like it), never destructive
        if !ctl.visible
            || ctl.disabled
            || Some(ctl.index) == own
            || (kind == StepKind::Close && !ctl.in_dialog)
            || !roles.contains(&ctl.role.as_str())
            || c.destructive(name)
            || c.labels.iter().any(|l| contains(name, l))
        {
            continue;
        }
        let quality = if texts.iter().any(|t| t == name) {
            2
        } else if texts.iter().any(|t| contains(name, t)) {
            1
        } else {
            continue;
        };
        let dialog = u8::from(ctl.in_dialog);
        let key = if kind == StepKind::Confirm {
            (dialog, quality)
        } else {
            (quality, dialog)
        };
        match best {
            Some(b) if b > key => {}
            Some(b) if b == key => picks.push(ctl),
            _ => {
                best = Some(key);
                picks.clear();
                picks.push(ctl);
            }
        }
    }
    match picks.as_slice() {
        [] => Choice::None,
        [one] => Choice::One(one),
        _ => Choice::Many,
    }
}

enum Choice<'a> {
    None,
    One(&'a Control),
    Many,
}
