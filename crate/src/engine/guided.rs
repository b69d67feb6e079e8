//! A guided setting's plan: fill the form's field with the prepared text (never submit).

#[allow(unused_imports)]
use crate::prelude::*;

use super::compiled::Compiled;
use super::decide::{fail, wait};
use super::matching::prefill_field;
use super::view::View;
use crate::api::{Action, Decision, FailReason, Outcome, Plan, MAX_ACTIONS, WAIT_MS};
use crate::rule::model::Setting;
use crate::text::normalize;

/// A guided setting: fill the form's field with the prepared text (never submit).
pub(super) fn guided_step(
    s: &Setting,
    c: &Compiled,
    view: &View<'_>,
    lang: &str,
    on_page: bool,
    mut plan: Plan,
) -> Decision {
    let manual = |plan: Plan| Decision {
        plan,
        action: Action::Done {
            outcome: Outcome::Manual,
            label: String::new(),
        },
    };
    let Some(text) = prepared_for(s, lang) else {
        return manual(plan);
    };
    if !on_page {
        return manual(plan);
    }
    let Some(field) = prefill_field(s, c, view) else {
        return wait(
            plan,
            WAIT_MS,
            "waiting for the form's field",
            (FailReason::Absent, "the form's field was not found"),
        );
    };
    let value = normalize(field.value.as_deref().unwrap_or(""));
    let done = |plan: Plan, outcome| Decision {
        plan,
        action: Action::Done {
            outcome,
            label: field.name.clone(),
        },
    };
    if value == normalize(&text) {
        return done(plan, Outcome::Prefilled);
    }
    match plan.step {
        0 if value.is_empty() => {
            if plan.actions >= MAX_ACTIONS {
                return fail(plan, FailReason::TooManySteps, "too many steps");
            }
            plan.actions = plan.actions.saturating_add(1);
            plan.step = 1;
            plan.waits = 0;
            plan.clicked.push(field.index);
            Decision {
                plan,
                action: Action::Fill {
                    index: field.index,
                    role: field.role.clone(),
                    name: field.name.clone(),
                    text,
                    why: ["prefill ", &s.title].concat(),
                },
            }
        }
        // the person wrote their own text: leave it
        0 => done(plan, Outcome::Manual),
        1 if value.is_empty() => wait(
            plan,
            WAIT_MS,
            "waiting for the form to take the text",
            (FailReason::NotAccepted, "the form did not take the text"),
        ),
        1 => done(plan, Outcome::Manual),
        _ => fail(plan, FailReason::BadPlan, "the plan has no such step"),
    }
}

/// The prepared text a guided setting fills in: `prefill.text`'s language, else the page's
/// language (primary subtag), else `en`, else the first.
fn prepared_for(s: &Setting, lang: &str) -> Option<String> {
    let p = s.prefill.as_ref()?;
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    p.text
        .as_deref()
        .and_then(|l| s.prepared_text.get(l))
        .or_else(|| s.prepared_text.get(primary))
        .or_else(|| s.prepared_text.get("en"))
        .or_else(|| s.prepared_text.values().next())
        .cloned()
}
