//! The decisions a plan step returns: fail, wait, click, select, each counting against the
//! plan's bounds.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::api::{Action, Decision, FailReason, Plan, Reason, MAX_ACTIONS, MAX_WAITS, OFF_READS};
use crate::snapshot::Control;

/// Whether a plan's counters are within what the engine ever writes: a plan beyond them is
/// forged or corrupt (the shell sends back what it got), and counting on from there could
/// overflow.
pub(super) fn bounded(plan: &Plan) -> bool {
    plan.waits <= MAX_WAITS
        && plan.actions <= MAX_ACTIONS
        && plan.off_reads <= OFF_READS
        && plan.clicked.len() <= MAX_ACTIONS as usize
}

pub(super) fn fail(plan: Plan, reason: FailReason, message: impl Into<String>) -> Decision {
    Decision {
        plan,
        action: Action::Failed {
            reason,
            message: message.into(),
        },
    }
}

/// The failure (and its message) that an unknown finding's reason ends a plan with.
pub(super) fn reason_fail(r: Reason) -> (FailReason, &'static str) {
    match r {
        Reason::Ambiguous => (
            FailReason::Ambiguous,
            "more than one control matches; not clicking",
        ),
        Reason::Unreadable => (FailReason::Unreadable, "could not read the setting's state"),
        Reason::Disabled => (FailReason::Disabled, "the setting's control is disabled"),
        Reason::Absent => (FailReason::Absent, "the setting's control was not found"),
    }
}

/// Wait `ms` and ask again; after [`MAX_WAITS`] in one step the plan fails with `exhausted`.
pub(super) fn wait(mut plan: Plan, ms: u32, why: &str, exhausted: (FailReason, &str)) -> Decision {
    if plan.waits >= MAX_WAITS {
        return fail(plan, exhausted.0, exhausted.1);
    }
    if plan.actions >= MAX_ACTIONS {
        return fail(plan, FailReason::TooManySteps, "too many steps");
    }
    plan.waits = plan.waits.saturating_add(1);
    plan.actions = plan.actions.saturating_add(1);
    Decision {
        plan,
        action: Action::Wait {
            ms,
            why: why.to_string(),
        },
    }
}

/// `action` on control `c`, which moves the plan to its next step (and is recorded in
/// `clicked`); past [`MAX_ACTIONS`] the plan fails instead.
fn act(mut plan: Plan, c: &Control, action: Action) -> Decision {
    if plan.actions >= MAX_ACTIONS {
        return fail(plan, FailReason::TooManySteps, "too many steps");
    }
    plan.actions = plan.actions.saturating_add(1);
    plan.step = plan.step.saturating_add(1);
    plan.waits = 0;
    plan.off_reads = 0;
    plan.clicked.push(c.index);
    Decision { plan, action }
}

/// Select `option` of the `<select>` `c`.
pub(super) fn select(plan: Plan, c: &Control, option: String, why: String) -> Decision {
    let action = Action::Select {
        index: c.index,
        role: c.role.clone(),
        name: c.name.clone(),
        option,
        why,
    };
    act(plan, c, action)
}

/// Click `c`.
pub(super) fn click(plan: Plan, c: &Control, why: String) -> Decision {
    let action = Action::Click {
        index: c.index,
        role: c.role.clone(),
        name: c.name.clone(),
        why,
    };
    act(plan, c, action)
}
