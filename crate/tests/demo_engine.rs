//! The engine on the test-only demo rules (crate/tests/data/demo.toml), example by example:
//! classify, matching and reading a control, and the plans of a switch and of a menu. (These
//! were the unit tests at the bottom of engine.rs; the properties over the same rules are in
//! safety.rs.)

use crate::common;

use untrain::engine::{MAX_ACTIONS, MAX_WAITS, VERIFY_MS, WAIT_MS};
use untrain::{
    Action, Control, Engine, FailReason, Finding, Outcome, Plan, Reason, Snapshot, State,
};

/// A visible switch named (and labelled by its row) `name`; `None`: no state signal at all.
fn switch(index: usize, name: &str, on: Option<bool>) -> Control {
    Control {
        aria_checked: on.map(|b| b.to_string()),
        ..common::switch(index, name, false)
    }
}

fn snap(url: &str, controls: Vec<Control>) -> Snapshot {
    Snapshot {
        url: url.into(),
        controls,
        ..Snapshot::default()
    }
}

const AI: &str = "https://demo.example/settings/ai";

fn first(e: &Engine, s: &Snapshot) -> Finding {
    e.evaluate(s)
        .findings
        .into_iter()
        .next()
        .expect("a finding")
}

#[test]
fn classify_hosts_and_pages() {
    let e = common::demo_engine();
    let p = e.classify(AI).expect("known");
    assert_eq!((p.platform.as_str(), p.settings_page), ("demo", true));
    assert!(
        !e.classify("https://www.demo.example/feed")
            .expect("known")
            .settings_page
    );
    assert!(
        e.classify("https://demo.example/u/7/privacy#ai")
            .expect("known")
            .settings_page
    );
    assert!(
        !e.classify("https://demo.example/u/7/privacy")
            .expect("known")
            .settings_page
    );
    assert!(e.classify("https://evil.example/settings/ai").is_none());
    assert!(e
        .classify("https://demo.example.evil.com/settings/ai")
        .is_none());
    assert!(e.classify("garbage").is_none());
}

#[test]
fn score_name_beats_row_text() {
    let e = common::demo_engine();
    let mut row = switch(0, "Toggle", Some(false));
    row.text = "Use my data to train AI. More".into();
    let named = switch(1, "Use my data to train AI", Some(true));
    let f = first(&e, &snap(AI, vec![row.clone(), named]));
    assert_eq!((f.state, f.control), (State::On, Some(1)));
    // row text alone (score 2) is enough
    let f = first(&e, &snap(AI, vec![row]));
    assert_eq!((f.state, f.control), (State::Off, Some(0)));
}

#[test]
fn accents_and_languages_match() {
    let e = common::demo_engine();
    let c = switch(0, "MEINE Daten fur KI–Training nutzen!", Some(true));
    assert_eq!(first(&e, &snap(AI, vec![c])).state, State::On);
}

#[test]
fn wrong_role_and_excluded_are_ignored() {
    let e = common::demo_engine();
    let mut b = switch(0, "Use my data to train AI", Some(true));
    b.role = "tab".into();
    let mut x = switch(1, "Use my data to train AI", Some(true));
    x.text = "Use my data to train AI for personalised ads".into();
    let f = first(&e, &snap(AI, vec![b, x]));
    assert_eq!((f.state, f.reason), (State::Unknown, Some(Reason::Absent)));
}

#[test]
fn ties_are_ambiguous() {
    let e = common::demo_engine();
    let a = switch(0, "Use my data to train AI", Some(true));
    let b = switch(1, "Use my data to train AI (beta)", Some(false));
    let s = snap(AI, vec![a, b]);
    let f = first(&e, &s);
    assert_eq!(
        (f.state, f.reason, f.control),
        (State::Unknown, Some(Reason::Ambiguous), None)
    );
    let d = e.next_step(&s, Plan::new("demo.toggle"));
    assert!(!matches!(d.action, Action::Click { .. }));
}

#[test]
fn visible_beats_hidden_duplicate() {
    let e = common::demo_engine();
    let mut hidden = switch(0, "Use my data to train AI", Some(false));
    hidden.visible = false;
    let shown = switch(1, "Use my data to train AI", Some(true));
    let f = first(&e, &snap(AI, vec![hidden, shown]));
    assert_eq!((f.state, f.control), (State::On, Some(1)));
}

#[test]
fn state_reasons() {
    let e = common::demo_engine();
    let mut d = switch(0, "Use my data to train AI", Some(true));
    d.disabled = true;
    assert_eq!(first(&e, &snap(AI, vec![d])).reason, Some(Reason::Disabled));
    let u = switch(0, "Use my data to train AI", None);
    assert_eq!(
        first(&e, &snap(AI, vec![u])).reason,
        Some(Reason::Unreadable)
    );
}

#[test]
fn off_means_checked_and_context() {
    let e = common::demo_engine();
    let url = "https://demo.example/settings/optout";
    let mut c = switch(0, "Do not use my content for AI", None);
    c.role = "checkbox".into();
    c.tag = "input".into();
    c.checked = Some(true);
    let mut s = snap(url, vec![c]);
    // no context on the page: absent
    assert_eq!(first(&e, &s).reason, Some(Reason::Absent));
    s.headings.push("Your privacy choices".into());
    assert_eq!(first(&e, &s).state, State::Off);
    if let Some(c) = s.controls.get_mut(0) {
        c.checked = Some(false);
    }
    assert_eq!(first(&e, &s).state, State::On);
}

#[test]
fn signed_out() {
    let e = common::demo_engine();
    let mut s = snap(AI, vec![]);
    s.has_password = true;
    let ev = e.evaluate(&s);
    assert!(ev.signed_out);
    assert_eq!(ev.findings.len(), 1);
    let mut s = snap(AI, vec![switch(0, "Use my data to train AI", Some(true))]);
    s.has_password = true;
    assert!(!e.evaluate(&s).signed_out);
}

#[test]
fn plan_click_then_verify_twice() {
    let e = common::demo_engine();
    let on = snap(AI, vec![switch(0, "Use my data to train AI", Some(true))]);
    let off = snap(AI, vec![switch(0, "Use my data to train AI", Some(false))]);
    let d = e.next_step(&on, Plan::new("demo.toggle"));
    assert!(matches!(d.action, Action::Click { index: 0, .. }), "{d:?}");
    // page not re-rendered yet: wait
    let d = e.next_step(&on, d.plan);
    assert!(
        matches!(d.action, Action::Wait { ms: WAIT_MS, .. }),
        "{d:?}"
    );
    let d = e.next_step(&off, d.plan);
    assert!(
        matches!(d.action, Action::Wait { ms: VERIFY_MS, .. }),
        "{d:?}"
    );
    let d = e.next_step(&off, d.plan);
    assert_eq!(common::done(&d), Some(Outcome::TurnedOff), "{d:?}");
}

#[test]
fn plan_detects_revert_and_not_accepted() {
    let e = common::demo_engine();
    let on = snap(AI, vec![switch(0, "Use my data to train AI", Some(true))]);
    let off = snap(AI, vec![switch(0, "Use my data to train AI", Some(false))]);
    let d = e.next_step(&on, Plan::new("demo.toggle"));
    let d = e.next_step(&off, d.plan);
    let d = e.next_step(&on, d.plan);
    assert_eq!(common::failed(&d), Some(FailReason::Reverted), "{d:?}");
    let mut d = e.next_step(&on, Plan::new("demo.toggle"));
    for _ in 0..MAX_WAITS {
        d = e.next_step(&on, d.plan);
        assert!(matches!(d.action, Action::Wait { .. }), "{d:?}");
    }
    let d = e.next_step(&on, d.plan);
    assert_eq!(common::failed(&d), Some(FailReason::NotAccepted), "{d:?}");
}

#[test]
fn plan_already_off_and_bad_plans() {
    let e = common::demo_engine();
    let off = snap(AI, vec![switch(0, "Use my data to train AI", Some(false))]);
    let d = e.next_step(&off, Plan::new("demo.toggle"));
    assert_eq!(common::done(&d), Some(Outcome::AlreadyOff));
    for plan in [
        Plan::new("nope.x"),
        Plan {
            step: 9,
            ..Plan::new("demo.toggle")
        },
    ] {
        let d = e.next_step(&off, plan);
        assert_eq!(common::failed(&d), Some(FailReason::BadPlan));
    }
    let other = snap("https://other.example/settings/ai", off.controls.clone());
    let d = e.next_step(&other, Plan::new("demo.toggle"));
    assert_eq!(common::failed(&d), Some(FailReason::BadPlan));
    let d = e.next_step(
        &off,
        Plan {
            actions: MAX_ACTIONS,
            step: 1,
            ..Plan::new("demo.toggle")
        },
    );
    assert!(matches!(
        d.action,
        Action::Wait { .. } | Action::Failed { .. }
    ));
}

#[test]
fn destructive_names_are_never_clicked() {
    let e = common::demo_engine();
    for name in [
        "Use my data to train AI and delete history",
        "Use my data to train AI – forget me",
    ] {
        let s = snap(AI, vec![switch(0, name, Some(true))]);
        let d = e.next_step(&s, Plan::new("demo.toggle"));
        assert!(matches!(d.action, Action::Failed { .. }), "{name}: {d:?}");
    }
}

#[test]
fn menu_flow_chooses_and_confirms() {
    let e = common::demo_engine();
    let url = "https://demo.example/settings/model";
    let toggle = |on: bool| {
        let mut c = switch(0, "Model training", Some(on));
        c.role = "button".into();
        c.aria_checked = None;
        c.aria_pressed = Some(on.to_string());
        c
    };
    let item = |i: usize, name: &str, dialog: bool| Control {
        index: i,
        role: "menuitem".into(),
        tag: "div".into(),
        visible: true,
        in_dialog: dialog,
        name: name.into(),
        ..Control::default()
    };
    let d = e.next_step(&snap(url, vec![toggle(true)]), Plan::new("demo.menu"));
    assert!(matches!(d.action, Action::Click { index: 0, .. }));
    let menu = snap(
        url,
        vec![
            toggle(true),
            item(1, "Turn off and delete data", false),
            item(2, "Turn off", false),
        ],
    );
    let d = e.next_step(&menu, d.plan);
    assert!(matches!(d.action, Action::Click { index: 2, .. }), "{d:?}");
    let mut ok = Control {
        role: "button".into(),
        ..item(4, "Confirm", true)
    };
    let cancel = Control {
        role: "button".into(),
        ..item(3, "Cancel", true)
    };
    let dialog = snap(url, vec![toggle(true), cancel, ok.clone()]);
    let d = e.next_step(&dialog, d.plan);
    assert!(matches!(d.action, Action::Click { index: 4, .. }), "{d:?}");
    ok.visible = false;
    let done = snap(url, vec![toggle(false)]);
    let d = e.next_step(&done, d.plan);
    let d = e.next_step(&done, d.plan);
    assert_eq!(common::done(&d), Some(Outcome::TurnedOff), "{d:?}");
}

#[test]
fn unknown_never_clicks_and_ends() {
    let e = common::demo_engine();
    let s = snap(AI, vec![switch(0, "Use my data to train AI", None)]);
    let rounds = MAX_WAITS as usize + 1;
    let reason = common::waits_then_fails(&e, &s, Plan::new("demo.toggle"), rounds);
    assert_eq!(reason, FailReason::Unreadable);
}

#[test]
fn plan_json_shape() {
    let p: Plan = serde_json::from_str(r#"{"setting":"demo.toggle"}"#).expect("plan");
    assert_eq!(p, Plan::new("demo.toggle"));
    let a = Action::Wait {
        ms: 250,
        why: "x".into(),
    };
    assert_eq!(
        serde_json::to_string(&a).expect("json"),
        r#"{"kind":"wait","ms":250,"why":"x"}"#
    );
    let f = Action::Failed {
        reason: FailReason::TooManySteps,
        message: "m".into(),
    };
    assert!(serde_json::to_string(&f)
        .expect("json")
        .contains("\"too-many-steps\""));
}
