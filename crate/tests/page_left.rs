//! Navigation during a plan (L9): a single-page app may move to another page of the same host
//! between two steps. Every step (`open-tab`, `click-control`, `choose`, `confirm`, `verify`)
//! acts only while the URL is on the setting's `pages`; elsewhere the plan fails `bad-plan`
//! ("the page left the setting's page") and nothing is clicked.

use crate::common;

use untrain::{Action, Control, Engine, FailReason, Plan, Snapshot};

fn control(index: usize, role: &str, name: &str) -> Control {
    Control {
        index,
        role: role.into(),
        tag: "div".into(),
        visible: true,
        name: name.into(),
        text: name.into(),
        ..Control::default()
    }
}

fn bad_plan(e: &Engine, snap: &Snapshot, plan: Plan, want: &str) {
    let d = e.next_step(snap, plan.clone());
    match &d.action {
        Action::Failed {
            reason: FailReason::BadPlan,
            message,
        } => assert_eq!(message, want, "{plan:?} on {}", snap.url),
        other => panic!("{plan:?} on {}: {other:?}", snap.url),
    }
}

/// demo.menu (`/settings/model`): click the control, choose "Turn off", confirm, verify. The
/// page moved to `/feed` of the same host, where a menu offers the same texts.
#[test]
fn menu_steps_fail_when_the_page_left_the_settings_page() {
    let e = common::demo_engine();
    let mut toggle = control(0, "button", "Model training");
    toggle.aria_pressed = Some("true".into());
    let mut confirm = control(3, "button", "Confirm");
    confirm.in_dialog = true;
    let elsewhere = |url: &str| Snapshot {
        url: url.into(),
        lang: "en".into(),
        controls: vec![
            toggle.clone(),
            control(1, "menuitem", "Turn off"),
            confirm.clone(),
        ],
        ..Snapshot::default()
    };
    // on the setting's page the same snapshot is acted on (the test's control)
    let on_page = elsewhere("https://demo.example/settings/model");
    let step1 = Plan {
        step: 1,
        actions: 1,
        clicked: vec![0],
        ..Plan::new("demo.menu")
    };
    let d = e.next_step(&on_page, step1.clone());
    assert!(matches!(d.action, Action::Click { index: 1, .. }), "{d:?}");
    for url in [
        "https://demo.example/feed",
        "https://demo.example/settings/ai",
        "https://www.demo.example/settings/model2",
    ] {
        let snap = elsewhere(url);
        for step in 1..=3 {
            let plan = Plan {
                step,
                ..step1.clone()
            };
            bad_plan(&e, &snap, plan, "the page left the setting's page");
        }
        bad_plan(
            &e,
            &snap,
            Plan::new("demo.menu"),
            "this is not the setting's page",
        );
    }
}

/// copilot.text-training opens its "Privacy" tab first (`open-tab`), on `/settings/**` only.
#[test]
fn open_tab_acts_only_on_the_settings_page() {
    let e = Engine::embedded().expect("engine");
    let mut tab = control(0, "tab", "Privacy");
    tab.aria_selected = Some("false".into());
    let snap = |url: &str| Snapshot {
        url: url.into(),
        lang: "en".into(),
        controls: vec![tab.clone()],
        ..Snapshot::default()
    };
    let d = e.next_step(
        &snap("https://copilot.microsoft.com/settings"),
        Plan::new("copilot.text-training"),
    );
    assert!(matches!(d.action, Action::Click { index: 0, .. }), "{d:?}");
    let other = snap("https://copilot.microsoft.com/chats/abc");
    bad_plan(
        &e,
        &other,
        Plan::new("copilot.text-training"),
        "this is not the setting's page",
    );
    for step in 1..=2 {
        let plan = Plan {
            step,
            actions: 1,
            ..Plan::new("copilot.text-training")
        };
        bad_plan(&e, &other, plan, "the page left the setting's page");
    }
}
