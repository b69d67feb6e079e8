//! Suspected settings: on a platform's settings pages, a switch or checkbox that no rule covers
//! but whose label reads like AI training is reported (never AI-feature toggles), and is changed
//! only through its own plan (`{ "setting": "suspected", "suspect": key }`).

use crate::common;

use crate::common::{click_index, outcome, page};

use untrain::{Action, Engine, FailReason, Outcome, Plan, Snapshot, State, SUSPECTED};

const URL: &str = "https://www.linkedin.com/mypreferences/d/settings/data-research";

/// The shell's part after the plan clicked `index`: the control flips, then the plan goes on
/// while it waits; the action it ends with (a second click panics).
fn finish(e: &Engine, s: &mut Snapshot, d: untrain::Decision, index: usize) -> Action {
    if let Some(c) = s.controls.iter_mut().find(|c| c.index == index) {
        common::flip(c);
    }
    let mut p = d.plan;
    loop {
        let d = e.next_step(s, p);
        match d.action {
            Action::Wait { .. } => p = d.plan,
            Action::Click { index, .. } => panic!("second click on {index}"),
            other => return other,
        }
    }
}

fn plan(key: &str) -> Plan {
    Plan {
        suspect: Some(key.to_string()),
        ..Plan::new(SUSPECTED)
    }
}

#[test]
fn unknown_training_toggle_is_suspected_and_the_decoy_is_not() {
    let e = Engine::embedded().expect("engine");
    for (file, label) in [
        (
            "suspected/linkedin-research.en.html",
            "Allow us to use your documents to train our AI models",
        ),
        (
            "suspected/linkedin-research.de.html",
            "Ihre Dokumente zum Trainieren unserer KI-Modelle verwenden",
        ),
    ] {
        let s = page(file, URL);
        let ev = e.evaluate(&s);
        assert_eq!(ev.platform, "linkedin");
        assert!(ev.findings.is_empty(), "{file}: no rule covers this page");
        assert_eq!(ev.suspected.len(), 1, "{file}: {:?}", ev.suspected);
        let x = &ev.suspected[0];
        assert_eq!((x.label.as_str(), x.state), (label, State::On), "{file}");
        let ctl = s
            .controls
            .iter()
            .find(|c| c.index == x.control)
            .expect("control");
        assert_eq!(ctl.role, "switch");
        assert_eq!(x.key, untrain::text::normalize(label));
        // JSON shape for the shell
        let v = serde_json::to_value(&ev).expect("json");
        assert_eq!(v["suspected"][0]["key"], x.key.as_str());
        assert_eq!(v["suspected"][0]["state"], "on");
    }
}

#[test]
fn suspect_plan_clicks_only_when_on_and_verifies() {
    let e = Engine::embedded().expect("engine");
    let mut s = page("suspected/linkedin-research.en.html", URL);
    let x = e.evaluate(&s).suspected[0].clone();
    let writing = s
        .controls
        .iter()
        .find(|c| c.name == "AI writing suggestions")
        .map(|c| c.index)
        .expect("decoy");
    let d = e.next_step(&s, plan(&x.key));
    assert_eq!(click_index(&d), Some(x.control), "{d:?}");
    let end = finish(&e, &mut s, d, x.control);
    assert_eq!(outcome(&end), Some(Outcome::TurnedOff), "{end:?}");
    // already off: nothing clicked
    let d = e.next_step(&s, plan(&x.key));
    assert_eq!(outcome(&d.action), Some(Outcome::AlreadyOff), "{d:?}");
    // the decoy's key is not a suspect: the plan never clicks it
    let decoy_key = untrain::text::normalize("AI writing suggestions");
    let s = page("suspected/linkedin-research.en.html", URL);
    let mut p = plan(&decoy_key);
    for _ in 0..20 {
        let d = e.next_step(&s, p);
        match d.action {
            Action::Wait { .. } => p = d.plan,
            Action::Failed { reason, .. } => {
                assert_eq!(reason, FailReason::Absent);
                break;
            }
            Action::Click { index, .. } => panic!("clicked {index} (decoy {writing})"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn no_suspects_outside_settings_pages_or_for_covered_controls() {
    let e = Engine::embedded().expect("engine");
    // a LinkedIn page outside settings_pages
    let s = page(
        "suspected/linkedin-research.en.html",
        "https://www.linkedin.com/feed/",
    );
    assert!(e.evaluate(&s).suspected.is_empty());
    let d = e.next_step(
        &s,
        plan("allow us to use your documents to train our ai models"),
    );
    assert!(
        matches!(
            d.action,
            Action::Failed {
                reason: FailReason::BadPlan,
                ..
            }
        ),
        "{d:?}"
    );
    // the rule's own control and the AI-feature decoy are never suspects
    let s = page(
        "linkedin/decoy.en.html",
        "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement",
    );
    let ev = e.evaluate(&s);
    assert_eq!(ev.findings.len(), 1);
    assert!(ev.suspected.is_empty(), "{:?}", ev.suspected);
    // no fixture of any rule reports its own control or a decoy as suspected
    for f in [
        "x/decoy.en.html",
        "chatgpt/decoy.en.html",
        "copilot/decoy.en.html",
    ] {
        let url = match f.split('/').next() {
            Some("x") => "https://x.com/settings/grok_settings",
            Some("chatgpt") => "https://chatgpt.com/#settings/DataControls",
            _ => "https://copilot.microsoft.com/settings/privacy",
        };
        let ev = e.evaluate(&page(f, url));
        assert!(ev.suspected.is_empty(), "{f}: {:?}", ev.suspected);
    }
    // unknown host: nothing
    let s = page(
        "suspected/linkedin-research.en.html",
        "https://example.com/settings",
    );
    assert!(e.evaluate(&s).suspected.is_empty());
}

/// A suspect is read by its own wording: "Do not use my documents ..." checked is off (nothing
/// to do), unchecked is on (its plan checks it, then verifies it reads off the same way). A
/// wording whose polarity is unclear ("Do not block ...") is unknown and never clicked.
#[test]
fn a_suspect_is_read_by_its_own_wording() {
    let e = Engine::embedded().expect("engine");
    let base = page("suspected/linkedin-research.en.html", URL);
    let i = e.evaluate(&base).suspected[0].control;
    let worded = |name: &str, on: bool| {
        let mut s = base.clone();
        if let Some(c) = s.controls.iter_mut().find(|c| c.index == i) {
            c.name = name.into();
            c.aria_checked = Some(on.to_string());
            c.checked = Some(on);
        }
        s
    };
    let inverted = "Do not use my documents to train our AI models";
    // checked: already off, nothing clicked
    let s = worded(inverted, true);
    let ev = e.evaluate(&s);
    assert_eq!(ev.suspected.len(), 1);
    assert_eq!(ev.suspected[0].state, State::Off);
    let d = e.next_step(&s, plan(&ev.suspected[0].key));
    assert_eq!(outcome(&d.action), Some(Outcome::AlreadyOff), "{d:?}");
    // unchecked: on; the plan checks it and verifies it off
    let mut s = worded(inverted, false);
    let x = e.evaluate(&s).suspected[0].clone();
    assert_eq!(x.state, State::On);
    let d = e.next_step(&s, plan(&x.key));
    assert_eq!(click_index(&d), Some(i), "{d:?}");
    let end = finish(&e, &mut s, d, i);
    assert_eq!(outcome(&end), Some(Outcome::TurnedOff), "{end:?}");
    // unclear: unknown either way, never clicked
    for on in [true, false] {
        let s = worded(
            "Do not block our AI models from training on my documents",
            on,
        );
        let ev = e.evaluate(&s);
        assert_eq!(ev.suspected.len(), 1);
        assert_eq!(ev.suspected[0].state, State::Unknown);
        let mut p = plan(&ev.suspected[0].key);
        let ended = (0..20).any(|_| {
            let d = e.next_step(&s, p.clone());
            match d.action {
                Action::Wait { .. } => {
                    p = d.plan;
                    false
                }
                Action::Failed { .. } => true,
                other => panic!("{other:?}"),
            }
        });
        assert!(ended, "did not end");
    }
}

#[test]
fn a_suspect_with_a_twin_is_not_reported() {
    let e = Engine::embedded().expect("engine");
    let mut s = page("suspected/linkedin-research.en.html", URL);
    let x = e.evaluate(&s).suspected[0].clone();
    let mut twin = s
        .controls
        .iter()
        .find(|c| c.index == x.control)
        .cloned()
        .expect("twin");
    twin.index = 500;
    s.controls.push(twin);
    assert!(e.evaluate(&s).suspected.is_empty());
}

mod properties {
    use super::*;
    use proptest::prelude::*;
    use untrain::engine::DESTRUCTIVE;
    use untrain::text::normalize;
    use untrain::Control;

    const NAMES: &[&str] = &[
        "Allow us to use your documents to train our AI models",
        "Use my posts to train AI and delete my history",
        "AI writing suggestions trained on your data",
        "Ihre Dokumente zum Trainieren unserer KI-Modelle verwenden",
        "Usa i miei dati per addestrare i modelli di IA",
        "Dark mode",
        "Use my data for training content creation AI models",
        "Please tell us how this processing impacts you",
        "Send",
        "",
    ];
    const ROLES: &[&str] = &[
        "switch", "checkbox", "radio", "button", "textbox", "menuitem",
    ];
    const URLS: &[&str] = &[
        "https://www.linkedin.com/mypreferences/d/settings/data-research",
        "https://www.linkedin.com/feed/",
        "https://www.facebook.com/help/contact/6359191084165019",
        "https://evil.example/mypreferences/d/settings/data-research",
    ];

    fn control() -> impl Strategy<Value = Control> {
        (
            prop::sample::select(NAMES),
            prop::sample::select(ROLES),
            prop::option::of(any::<bool>()),
            any::<bool>(),
            any::<bool>(),
            prop::option::of(prop::sample::select(&["", "my own words"][..])),
        )
            .prop_map(|(name, role, on, visible, disabled, value)| Control {
                role: role.into(),
                tag: if role == "textbox" {
                    "textarea"
                } else {
                    "button"
                }
                .into(),
                aria_checked: on.map(|b| b.to_string()),
                visible,
                disabled,
                name: name.into(),
                text: name.into(),
                value: value.map(str::to_string),
                ..Control::default()
            })
    }

    fn snapshot() -> impl Strategy<Value = Snapshot> {
        (
            prop::sample::select(URLS),
            prop::collection::vec(control(), 0..6),
        )
            .prop_map(|(url, mut controls)| {
                for (i, c) in controls.iter_mut().enumerate() {
                    c.index = i;
                }
                Snapshot {
                    url: url.into(),
                    lang: "en".into(),
                    controls,
                    ..Snapshot::default()
                }
            })
    }

    fn plan() -> impl Strategy<Value = Plan> {
        (
            prop::sample::select(&[SUSPECTED, "meta.facebook-objection", "slack.global-model"][..]),
            prop::sample::select(NAMES),
            0usize..3,
        )
            .prop_map(|(setting, key, step)| Plan {
                setting: setting.into(),
                step,
                suspect: Some(normalize(key)),
                ..Plan::default()
            })
    }

    fn read(c: &Control) -> Option<bool> {
        c.aria_checked.as_deref().map(|v| v == "true")
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 800, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn suspect_and_guided_plans_are_safe(snap in snapshot(), plan in plan()) {
            let e = Engine::embedded().expect("engine");

            let mut snap = snap;
            let mut plan = plan;
            let guided = plan.setting != SUSPECTED;
            for _ in 0..40 {
                let d = e.next_step(&snap, plan);
                match &d.action {
                    Action::Click { index, .. } => {
                        prop_assert!(!guided, "a guided plan clicked");
                        let c = snap.controls.iter().find(|c| c.index == *index).expect("in snapshot").clone();
                        prop_assert!(matches!(c.role.as_str(), "switch" | "checkbox"), "clicked a {}", c.role);
                        prop_assert_eq!(read(&c), Some(true), "clicked a control that is not on");
                        prop_assert!(!c.disabled);
                        let n = normalize(&c.name);
                        prop_assert!(!DESTRUCTIVE.iter().any(|w| untrain::text::has_stem(&n, w)), "destructive {}", c.name);
                        if let Some(c) = snap.controls.iter_mut().find(|c| c.index == *index) {
                            common::flip(c);
                        }
                    }
                    Action::Fill { index, text, .. } => {
                        prop_assert!(guided);
                        let c = snap.controls.iter().find(|c| c.index == *index).expect("in snapshot").clone();
                        prop_assert_eq!(c.role.as_str(), "textbox");
                        prop_assert!(c.value.as_deref().unwrap_or("").is_empty(), "overwrote {:?}", c.value);
                        if let Some(c) = snap.controls.iter_mut().find(|c| c.index == *index) {
                            c.value = Some(text.clone());
                        }
                    }
                    Action::Select { .. } => prop_assert!(false, "no select here"),
                    Action::Wait { .. } => {}
                    Action::Done { outcome, .. } => {
                        if *outcome == Outcome::TurnedOff {
                            prop_assert!(!d.plan.clicked.is_empty());
                        }
                        return Ok(());
                    }
                    Action::Failed { message, .. } => {
                        prop_assert_eq!(message.to_lowercase(), message.clone());
                        return Ok(());
                    }
                }
                plan = d.plan;
            }
            prop_assert!(false, "the plan did not end");
        }
    }
}
