//! A suspected control's plan (`plan.setting` = [`crate::api::SUSPECTED`]): click it only when it reads on,
//! then [`verify`] like a setting's plan.

#[allow(unused_imports)]
use crate::prelude::*;

use super::compiled::destructive;
use super::decide::{click, fail, wait};
use super::on_settings_pages;
use super::steps::verify;
use super::suspects::suspects;
use super::view::View;
use super::Engine;
use crate::api::{Action, Decision, FailReason, Outcome, Plan, State, WAIT_MS};
use crate::snapshot::Snapshot;
use crate::url;

impl Engine {
    /// A suspected control (`plan.suspect` = its key): click it only when it reads on, then
    /// verify like `verify` (two off reads).
    pub(super) fn suspect_step(&self, snap: &Snapshot, plan: Plan) -> Decision {
        let Some(key) = plan.suspect.clone() else {
            return fail(plan, FailReason::BadPlan, "no suspect key");
        };
        let Some(parts) = url::split(&snap.url) else {
            return fail(plan, FailReason::BadPlan, "the page url is not valid");
        };
        let Some(si) = self.set_for_host(&parts.host) else {
            return fail(
                plan,
                FailReason::BadPlan,
                "the page is not on a known platform",
            );
        };
        let (Some(set), Some(comp)) = (self.sets.get(si), self.compiled.get(si)) else {
            return fail(
                plan,
                FailReason::BadPlan,
                "the page is not on a known platform",
            );
        };
        if !on_settings_pages(set, &parts) {
            return fail(plan, FailReason::BadPlan, "this is not a settings page");
        }
        let view = View::new(snap, self.roles_at(si));
        let sus = suspects(set, comp, &view, &parts);
        let found = sus.iter().find(|x| x.key == key);
        let ctl = found.and_then(|x| view.controls.iter().find(|(c, _, _)| c.index == x.control));
        let label = found.map_or(String::new(), |x| x.label.clone());
        match (plan.step, found.map(|x| x.state), ctl) {
            (0, Some(State::On), Some((ctl, name, _))) => {
                if destructive(name) {
                    return fail(
                        plan,
                        FailReason::NoChoice,
                        "the control's name contains a destructive word; not clicking",
                    );
                }
                click(plan, ctl, ["turn off \"", &label, "\""].concat())
            }
            (0, Some(State::Off), _) => Decision {
                plan,
                action: Action::Done {
                    outcome: Outcome::AlreadyOff,
                    label,
                },
            },
            (0, _, _) => wait(
                plan,
                WAIT_MS,
                "waiting for the control",
                (
                    FailReason::Absent,
                    "the control was not found or not readable",
                ),
            ),
            // a suspect that is gone or unreadable reads unknown: wait, then fail unreadable
            (1, state, _) => verify(plan, state.unwrap_or(State::Unknown), None, label),
            _ => fail(plan, FailReason::BadPlan, "the plan has no such step"),
        }
    }
}
