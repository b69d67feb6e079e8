//! Forged plans (L6): the plan is opaque to the shell, which sends back what it got, so its
//! counters may be anything a `u32` holds. A plan whose `waits`, `actions` or `off_reads` is
//! above what the engine ever writes is refused (`failed`, `bad-plan`) before anything counts
//! on from it; no counter can overflow.

use crate::common;

use crate::common::switch;

use untrain::engine::{MAX_ACTIONS, MAX_WAITS, OFF_READS};
use untrain::{Action, Engine, FailReason, Plan, Snapshot, SUSPECTED};

/// The demo setting `demo.toggle` reading off (its last step, `verify`, would count an off read).
fn off_page() -> Snapshot {
    Snapshot {
        url: "https://demo.example/settings/ai".into(),
        lang: "en".into(),
        controls: vec![switch(0, "Use my data to train AI", false)],
        ..Snapshot::default()
    }
}

/// The shell's plan text, read as the wasm module reads it.
fn read(json: &str) -> Plan {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn assert_bad_plan(e: &Engine, snap: &Snapshot, json: &str) {
    let d = e.next_step(snap, read(json));
    assert!(
        matches!(
            d.action,
            Action::Failed {
                reason: FailReason::BadPlan,
                ..
            }
        ),
        "{json}: {d:?}"
    );
    // the answer's plan is written back as it came (no counter moved)
    let text = serde_json::to_string(&d).expect("json");
    assert!(text.contains("\"bad-plan\""), "{text}");
}

#[test]
fn huge_counters_are_refused_as_bad_plans() {
    let e = common::demo_engine();
    let snap = off_page();
    let max = u32::MAX;
    for json in [
        // the review's forged plan: the last step of a setting that reads off
        format!(r#"{{"setting":"demo.toggle","step":1,"off_reads":{max}}}"#),
        format!(r#"{{"setting":"demo.toggle","step":1,"waits":{max}}}"#),
        format!(r#"{{"setting":"demo.toggle","step":1,"actions":{max}}}"#),
        format!(
            r#"{{"setting":"demo.toggle","step":0,"waits":{max},"actions":{max},"off_reads":{max}}}"#
        ),
        format!(r#"{{"setting":"demo.menu","step":3,"off_reads":{max}}}"#),
        // one above each bound
        format!(
            r#"{{"setting":"demo.toggle","step":1,"off_reads":{}}}"#,
            OFF_READS + 1
        ),
        format!(
            r#"{{"setting":"demo.toggle","step":1,"waits":{}}}"#,
            MAX_WAITS + 1
        ),
        format!(
            r#"{{"setting":"demo.toggle","step":1,"actions":{}}}"#,
            MAX_ACTIONS + 1
        ),
        // suspects count off reads too
        format!(r#"{{"setting":"{SUSPECTED}","suspect":"x","step":1,"off_reads":{max}}}"#),
        format!(r#"{{"setting":"{SUSPECTED}","suspect":"x","step":0,"actions":{max}}}"#),
    ] {
        assert_bad_plan(&e, &snap, &json);
    }
}

#[test]
fn huge_counters_are_refused_on_every_embedded_setting() {
    let e = Engine::embedded().expect("engine");
    for set in e.rule_sets() {
        for s in &set.settings {
            let snap = Snapshot {
                url: s.settings_url.clone(),
                ..Snapshot::default()
            };
            let last = s.steps.len().saturating_sub(1);
            let json = format!(
                r#"{{"setting":"{}","step":{last},"waits":{m},"actions":{m},"off_reads":{m}}}"#,
                s.id,
                m = u32::MAX
            );
            assert_bad_plan(&e, &snap, &json);
        }
    }
}

#[test]
fn counters_at_their_bounds_are_still_plans() {
    let e = common::demo_engine();
    let snap = off_page();
    // one off read so far: the second one ends the plan
    let p = read(r#"{"setting":"demo.toggle","step":1,"clicked":[0],"off_reads":1}"#);
    let d = e.next_step(&snap, p);
    assert!(matches!(d.action, Action::Done { .. }), "{d:?}");
    // every wait used: the step fails for its own reason, not as a bad plan
    let mut on = off_page();
    on.controls = vec![switch(0, "Use my data to train AI", true)];
    let p = read(&format!(
        r#"{{"setting":"demo.toggle","step":1,"clicked":[0],"waits":{MAX_WAITS},"actions":{MAX_ACTIONS}}}"#
    ));
    let d = e.next_step(&on, p);
    assert!(
        matches!(&d.action, Action::Failed { reason, .. } if *reason != FailReason::BadPlan),
        "{d:?}"
    );
}

/// A forged suspect plan that starts at its verify step (step 1) with nothing in `clicked`, on
/// a suspect that was off all along: two off reads end `already-off`, never `turned-off` (no
/// click of ours happened, so Untrain must not claim the change). The same for a setting's plan
/// forged straight to its verify step.
#[test]
fn verify_without_a_click_never_reports_turned_off() {
    use std::path::Path;
    use untrain::harvest::harvest;
    use untrain::{Outcome, State};
    let e = Engine::embedded().expect("engine");
    let url = "https://www.linkedin.com/mypreferences/d/settings/data-research";
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/suspected/linkedin-research.en.html");
    let mut snap = harvest(&std::fs::read_to_string(path).expect("fixture"), url);
    let i = e.evaluate(&snap).suspected[0].control;
    if let Some(c) = snap.controls.iter_mut().find(|c| c.index == i) {
        common::flip(c);
    }
    let ev = e.evaluate(&snap);
    assert_eq!(ev.suspected[0].state, State::Off, "{:?}", ev.suspected);
    let key = ev.suspected[0].key.clone();
    let json = format!(r#"{{"setting":"{SUSPECTED}","suspect":{key:?},"step":1,"clicked":[]}}"#);
    {
        let d = e.next_step(&snap, read(&json));
        assert!(matches!(d.action, Action::Wait { .. }), "{d:?}");
        let d = e.next_step(&snap, d.plan);
        assert!(
            matches!(
                d.action,
                Action::Done {
                    outcome: Outcome::AlreadyOff,
                    ..
                }
            ),
            "{d:?}"
        );
    }
    // with a click recorded the same reads end turned-off
    let json = format!(r#"{{"setting":"{SUSPECTED}","suspect":{key:?},"step":1,"clicked":[{i}]}}"#);
    let plan = read(&json);
    let d = e.next_step(&snap, plan);
    let d = e.next_step(&snap, d.plan);
    assert!(
        matches!(
            d.action,
            Action::Done {
                outcome: Outcome::TurnedOff,
                ..
            }
        ),
        "{d:?}"
    );
    // a setting's plan forged to its verify step, nothing clicked: already-off
    let snap = off_page();
    let plan = read(r#"{"setting":"demo.toggle","step":1,"clicked":[]}"#);
    let d = e_demo_twice(&snap, plan);
    assert!(
        matches!(
            d.action,
            Action::Done {
                outcome: Outcome::AlreadyOff,
                ..
            }
        ),
        "{d:?}"
    );
}

fn e_demo_twice(snap: &Snapshot, plan: Plan) -> untrain::Decision {
    let e = common::demo_engine();
    let d = e.next_step(snap, plan);
    e.next_step(snap, d.plan)
}
