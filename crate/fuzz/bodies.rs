//! Fuzz target bodies, shared by the cargo-fuzz targets (fuzz_targets/*.rs) and the stable smoke
//! test (crate/tests/fuzz_smoke.rs). Each one panics when a property breaks; anything else a
//! hostile input can cause must be a clean `Err`.
#![allow(dead_code)]

use std::sync::OnceLock;
use untrain::{Action, Engine, Plan, Snapshot};

/// Path shown in rule errors.
pub const RULE_FILE: &str = "crate/rules/fuzz.toml";

/// Rule text: parse + validate; errors name file, rule and field on one line; a rule set that
/// passes builds an engine that answers on its own settings page without panicking.
pub fn rules(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Engine::load_toml(&[(RULE_FILE, text)]) {
        Err(errs) => {
            assert!(!errs.is_empty());
            for e in &errs {
                assert_eq!(e.file, RULE_FILE);
                assert!(!e.id.is_empty(), "no id: {e}");
                assert!(!e.field.is_empty(), "no field: {e}");
                assert!(!e.to_string().contains('\n'), "multi-line: {e:?}");
            }
        }
        Ok(sets) => {
            let urls: Vec<String> = sets
                .iter()
                .flat_map(|s| s.settings.iter().map(|st| st.settings_url.clone()))
                .collect();
            let ids: Vec<String> = sets
                .iter()
                .flat_map(|s| s.settings.iter().map(|st| st.id.clone()))
                .collect();
            let engine = Engine::from_rule_sets(sets).expect("validated rules build an engine");
            for url in &urls {
                let snap = Snapshot {
                    url: url.clone(),
                    ..Snapshot::default()
                };
                assert!(engine.classify(url).is_some_and(|p| p.settings_page));
                let ev = engine.evaluate(&snap);
                assert!(!ev.findings.is_empty());
                for id in &ids {
                    let d = engine.next_step(&snap, Plan::new(id));
                    assert!(!matches!(d.action, Action::Click { .. }), "{d:?}");
                }
            }
        }
    }
}

fn embedded() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::embedded().expect("embedded rules"))
}

/// `{ "snapshot": {...}, "plan": {...} }` or a bare snapshot, as JSON bytes.
#[derive(serde::Deserialize)]
struct Input {
    snapshot: Snapshot,
    #[serde(default)]
    plan: Option<Plan>,
}

/// Snapshot JSON: decode (serde_json, as the wasm module does), evaluate, plan
/// every setting of the embedded rules (and the given plan). A click always names a control of the snapshot, with its role and name, that is the
/// setting's control reading on (first step, unless it opens a tab) or another control (menu
/// steps).
pub fn snapshot(data: &[u8]) {
    let (snap, plan) = match serde_json::from_slice::<Input>(data) {
        Ok(i) => (i.snapshot, i.plan),
        Err(_) => match serde_json::from_slice::<Snapshot>(data) {
            Ok(s) => (s, None),
            Err(_) => return,
        },
    };
    let e = embedded();
    let ev = e.evaluate(&snap);
    // a page report never panics, and masking never lets the page's own answer change
    let report = e.report(&snap);
    assert_eq!(report.seen.len(), ev.findings.len());
    let _ = e.classify(&snap.url);
    let mut plans: Vec<Plan> = e
        .rule_sets()
        .iter()
        .flat_map(|s| s.settings.iter().map(|st| Plan::new(&st.id)))
        .collect();
    // forged plans (the shell sends back whatever it got): every setting's last step with
    // counters far above their bounds must be refused, never counted on (no overflow)
    let forged: Vec<Plan> = e
        .rule_sets()
        .iter()
        .flat_map(|s| &s.settings)
        .map(|st| Plan {
            step: st.steps.len().saturating_sub(1),
            waits: u32::MAX,
            actions: u32::MAX,
            off_reads: u32::MAX,
            ..Plan::new(&st.id)
        })
        .collect();
    for p in forged {
        let d = e.next_step(&snap, p);
        assert!(
            matches!(
                d.action,
                Action::Failed {
                    reason: untrain::FailReason::BadPlan,
                    ..
                }
            ),
            "a plan with huge counters was not refused: {d:?}"
        );
    }
    plans.extend(plan);
    for p in plans {
        let first = p.step == 0;
        let bounded = p.actions <= untrain::engine::MAX_ACTIONS;
        let forged = p.waits > untrain::engine::MAX_WAITS
            || p.actions > untrain::engine::MAX_ACTIONS
            || p.off_reads > untrain::engine::OFF_READS;
        let id = p.setting.clone();
        let d = e.next_step(&snap, p);
        if let Action::Click {
            index, role, name, ..
        } = &d.action
        {
            // the shell re-checks role and name at that index before clicking (a forged snapshot
            // may repeat indices: the click must name one of the controls at that index)
            assert!(
                snap.controls
                    .iter()
                    .any(|c| c.index == *index && (&c.role, &c.name) == (role, name)),
                "click names no control of the snapshot: {d:?}"
            );
            // a rule may open a tab of a dialog, or the panel behind a button, first
            // (open-tab); otherwise the first click is the setting's own control, and only
            // while it reads on
            let opens_first = e
                .rule_sets()
                .iter()
                .flat_map(|s| &s.settings)
                .find(|s| s.id == id)
                .and_then(|s| s.steps.first())
                .is_some_and(|st| st.action == untrain::rule::model::StepKind::OpenTab);
            if first && role != "tab" && !opens_first {
                let f = ev.findings.iter().find(|f| f.setting == id);
                assert!(
                    f.is_some_and(|f| f.control == Some(*index) && f.state == untrain::State::On),
                    "first click not on the setting's on control: {f:?} {d:?}"
                );
            }
        }
        if bounded {
            assert!(d.plan.actions <= untrain::engine::MAX_ACTIONS, "{d:?}");
        }
        if forged {
            assert!(
                matches!(
                    d.action,
                    Action::Failed {
                        reason: untrain::FailReason::BadPlan,
                        ..
                    }
                ),
                "forged counters not refused: {d:?}"
            );
        }
    }
}
