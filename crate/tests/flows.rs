//! Multi-step flows on the fixture pages: menus with several choices (Gemini), tabs of a settings
//! dialog and two settings on one page (Copilot), radio groups (Medium), selects, guided forms
//! (Meta, Slack, LinkedIn), safe-by-default settings (YouTube, DeviantArt) and the keyword
//! fallback (pages in languages the rule has no label for).

use crate::common;

use crate::common::{click_index, outcome, page};

use untrain::harvest::harvest;
use untrain::rule::model::Automation;
use untrain::{Action, Engine, FailReason, MatchedBy, Outcome, Plan, Reason, Snapshot, State};

fn engine() -> Engine {
    Engine::embedded().expect("embedded rules")
}

fn finding(e: &Engine, s: &Snapshot, id: &str) -> untrain::Finding {
    e.evaluate(s)
        .findings
        .into_iter()
        .find(|f| f.setting == id)
        .unwrap_or_else(|| panic!("no finding for {id}"))
}

fn flip(s: &mut Snapshot, index: usize) {
    if let Some(c) = s.controls.iter_mut().find(|c| c.index == index) {
        common::flip(c);
    }
}

/// Asks until the action is not a wait (20 rounds at most); returns the decision.
fn until_action(e: &Engine, s: &Snapshot, plan: Plan) -> untrain::Decision {
    common::until_action_within(e, s, plan, 20)
}

const GEMINI: &str = "https://myactivity.google.com/product/gemini";

#[test]
fn gemini_menu_chooses_the_non_destructive_turn_off() {
    let e = engine();
    let on = page("gemini/on.en.html", GEMINI);
    let f = finding(&e, &on, "gemini.keep-activity");
    assert_eq!((f.state, f.label.as_str()), (State::On, "Keep Activity"));
    let button = f.control.expect("control");
    // 1. the "Turn off" button
    let d = e.next_step(&on, Plan::new("gemini.keep-activity"));
    assert_eq!(click_index(&d), Some(button), "{d:?}");
    // 2. the menu is not open yet: wait (verified: the choice must appear before it is clicked)
    let d = e.next_step(&on, d.plan);
    assert!(matches!(d.action, Action::Wait { .. }), "{d:?}");
    // the page opens its menu: "Turn off" and "Turn off and delete activity"
    let mut menu = on.clone();
    for c in menu.controls.iter_mut().filter(|c| c.role == "menuitem") {
        c.visible = true;
    }
    let items: Vec<(usize, String)> = menu
        .controls
        .iter()
        .filter(|c| c.role == "menuitem")
        .map(|c| (c.index, c.name.clone()))
        .collect();
    assert_eq!(items.len(), 2);
    let d = e.next_step(&menu, d.plan);
    match &d.action {
        Action::Click { index, name, .. } => {
            assert_eq!(name, "Turn off");
            assert_eq!(
                Some(*index),
                items.iter().find(|i| i.1 == "Turn off").map(|i| i.0)
            );
        }
        other => panic!("{other:?}"),
    }
    // 3. the page turned it off: verify reads off twice
    let off = page("gemini/off.en.html", GEMINI);
    let d = e.next_step(&off, d.plan);
    assert!(matches!(d.action, Action::Wait { .. }), "{d:?}");
    let d = e.next_step(&off, d.plan);
    assert_eq!(outcome(&d.action), Some(Outcome::TurnedOff), "{d:?}");
    assert_eq!(d.plan.clicked.len(), 2);
}

#[test]
fn gemini_only_destructive_choice_is_never_clicked() {
    let e = engine();
    let on = page("gemini/on.en.html", GEMINI);
    let mut menu = on.clone();
    menu.controls
        .retain(|c| !(c.role == "menuitem" && c.name == "Turn off"));
    for c in menu.controls.iter_mut().filter(|c| c.role == "menuitem") {
        c.visible = true;
    }
    let destructive = menu
        .controls
        .iter()
        .find(|c| c.role == "menuitem")
        .map(|c| c.index);
    let mut plan = e.next_step(&on, Plan::new("gemini.keep-activity")).plan;
    for _ in 0..20 {
        let d = e.next_step(&menu, plan);
        match d.action {
            Action::Click { index, .. } => {
                assert_ne!(Some(index), destructive, "clicked the destructive choice")
            }
            Action::Wait { .. } => {}
            Action::Failed { reason, .. } => {
                assert_eq!(reason, FailReason::NoChoice);
                return;
            }
            other => panic!("{other:?}"),
        }
        plan = d.plan;
    }
    panic!("did not end");
}

#[test]
fn copilot_opens_the_privacy_tab_then_turns_off_both_settings() {
    let e = engine();
    let url = "https://copilot.microsoft.com/settings";
    let tabs = page("copilot/tabs.en.html", url);
    // both settings are reported on the page
    let ev = e.evaluate(&tabs);
    let ids: Vec<&str> = ev.findings.iter().map(|f| f.setting.as_str()).collect();
    assert_eq!(ids, ["copilot.text-training", "copilot.voice-training"]);
    // the switches sit in a hidden tab panel: the plan opens the Privacy tab first
    let d = e.next_step(&tabs, Plan::new("copilot.text-training"));
    match &d.action {
        Action::Click {
            role, name, why, ..
        } => {
            assert_eq!((role.as_str(), name.as_str()), ("tab", "Privacy"));
            assert_eq!(why, "open the tab \"Privacy\"");
        }
        other => panic!("{other:?}"),
    }
    assert!(d.plan.clicked.is_empty(), "a tab click changes no setting");
    // the page shows the Privacy panel
    let mut shown = page("copilot/on.en.html", url);
    let text = finding(&e, &shown, "copilot.text-training")
        .control
        .expect("text");
    let voice = finding(&e, &shown, "copilot.voice-training")
        .control
        .expect("voice");
    let d = e.next_step(&shown, d.plan);
    assert_eq!(click_index(&d), Some(text), "{d:?}");
    flip(&mut shown, text);
    let d = until_action(&e, &shown, d.plan);
    assert_eq!(outcome(&d.action), Some(Outcome::TurnedOff), "{d:?}");
    // the shell runs the second setting in turn; its tab is open now (open-tab is skipped)
    let d = e.next_step(&shown, Plan::new("copilot.voice-training"));
    assert_eq!(click_index(&d), Some(voice), "{d:?}");
    flip(&mut shown, voice);
    let d = until_action(&e, &shown, d.plan);
    assert_eq!(outcome(&d.action), Some(Outcome::TurnedOff), "{d:?}");
    let ev = e.evaluate(&shown);
    assert!(ev.findings.iter().all(|f| f.state == State::Off), "{ev:?}");
}

#[test]
fn copilot_tab_already_selected_but_switch_missing_waits_then_fails() {
    let e = engine();
    let url = "https://copilot.microsoft.com/settings/privacy";
    let mut s = page("copilot/on.en.html", url);
    s.controls.retain(|c| c.role != "switch");
    let plan = Plan::new("copilot.text-training");
    let reason = common::waits_then_fails(&e, &s, plan, 20);
    assert_eq!(reason, FailReason::Absent);
}

#[test]
fn medium_radio_group_selects_minimize() {
    let e = engine();
    let url = "https://medium.com/me/settings/account";
    let mut s = page("medium/on.en.html", url);
    let f = finding(&e, &s, "medium.third-party-ai");
    assert_eq!(f.state, State::On);
    let min = f.control.expect("control");
    let max = s
        .controls
        .iter()
        .find(|c| c.role == "radio" && c.index != min)
        .map(|c| c.index)
        .expect("other radio");
    let d = e.next_step(&s, Plan::new("medium.third-party-ai"));
    assert_eq!(click_index(&d), Some(min), "{d:?}");
    // the browser checks the clicked radio and unchecks the other one
    flip(&mut s, min);
    flip(&mut s, max);
    let d = until_action(&e, &s, d.plan);
    assert_eq!(outcome(&d.action), Some(Outcome::TurnedOff), "{d:?}");
    let off = page("medium/off.en.html", url);
    assert_eq!(finding(&e, &off, "medium.third-party-ai").state, State::Off);
}

const SELECT_RULE: &str = r#"
platform = "demo"
name = "Demo"
hosts = ["demo.example"]
confidence = "high"
sources = ["test"]
version = 1

[[setting]]
id = "demo.select"
title = "Content for AI"
automation = "automatic"
pages = ["/settings"]
settings_url = "https://demo.example/settings"
default = "on"
roles = ["select"]
labels = { en = ["Use my content to improve AI"] }
off_option = { en = ["Disabled", "Off"], de = ["Deaktiviert"] }
steps = [{ do = "click-control" }, { do = "verify" }]
"#;

fn select_page(selected: &str) -> Snapshot {
    let opts: String = ["Enabled", "Disabled", "Delete my content"]
        .iter()
        .map(|o| {
            let sel = if *o == selected { " selected" } else { "" };
            format!("<option{sel}>{o}</option>")
        })
        .collect();
    let html = format!(
        r#"<html lang="en"><body><h1>Settings</h1>
        <div><label for="s">Use my content to improve AI</label><select id="s">{opts}</select></div>
        </body></html>"#
    );
    harvest(&html, "https://demo.example/settings")
}

#[test]
fn select_reads_the_selected_option_and_selects_the_off_option() {
    // no fixtures: parse, then validate without them
    let set = untrain::rule::load::parse("crate/rules/demo.toml", SELECT_RULE).expect("rule");
    let e = Engine::from_rule_sets(vec![set]).expect("engine");
    let on = select_page("Enabled");
    let c = &on.controls[0];
    assert_eq!(
        (c.role.as_str(), c.value.as_deref()),
        ("select", Some("Enabled"))
    );
    assert_eq!(c.options, ["Enabled", "Disabled", "Delete my content"]);
    assert_eq!(finding(&e, &on, "demo.select").state, State::On);
    assert_eq!(
        finding(&e, &select_page("Disabled"), "demo.select").state,
        State::Off
    );
    let d = e.next_step(&on, Plan::new("demo.select"));
    match &d.action {
        Action::Select { index, option, .. } => {
            assert_eq!((*index, option.as_str()), (0, "Disabled"))
        }
        other => panic!("{other:?}"),
    }
    let off = select_page("Disabled");
    let d = until_action(&e, &off, d.plan);
    assert_eq!(outcome(&d.action), Some(Outcome::TurnedOff), "{d:?}");
    // a list without an off option: no selection at all
    let mut odd = select_page("Enabled");
    odd.controls[0].options = vec!["Enabled".into(), "Delete my content".into()];
    let d = e.next_step(&odd, Plan::new("demo.select"));
    assert!(
        matches!(
            d.action,
            Action::Failed {
                reason: FailReason::NoChoice,
                ..
            }
        ),
        "{d:?}"
    );
    // an empty value cannot be read
    let mut blank = select_page("Enabled");
    blank.controls[0].value = Some(String::new());
    assert_eq!(
        finding(&e, &blank, "demo.select").reason,
        Some(Reason::Unreadable)
    );
}

#[test]
fn guided_meta_form_is_prefilled_and_never_submitted() {
    let e = engine();
    let url = "https://www.facebook.com/help/contact/6359191084165019";
    for (file, lang) in [
        ("meta/facebook-form.en.html", "en"),
        ("meta/facebook-form.de.html", "de"),
    ] {
        let mut s = page(file, url);
        let f = finding(&e, &s, "meta.facebook-objection");
        assert_eq!((f.state, f.automation), (State::Manual, Automation::Guided));
        let field = f.control.expect("the reason field");
        let d = e.next_step(&s, Plan::new("meta.facebook-objection"));
        let text = match &d.action {
            Action::Fill {
                index, text, role, ..
            } => {
                assert_eq!((*index, role.as_str()), (field, "textbox"));
                text.clone()
            }
            other => panic!("{file}: {other:?}"),
        };
        let rule = e
            .rule_sets()
            .iter()
            .flat_map(|r| r.settings.iter())
            .find(|s| s.id == "meta.facebook-objection")
            .expect("rule");
        assert_eq!(Some(&text), rule.prepared_text.get(lang), "{file}");
        assert!(text.contains("21"), "names GDPR Art. 21");
        // before the page shows the text: wait; then done, the person submits
        let d2 = e.next_step(&s, d.plan.clone());
        assert!(matches!(d2.action, Action::Wait { .. }), "{d2:?}");
        if let Some(c) = s.controls.iter_mut().find(|c| c.index == field) {
            c.value = Some(text.clone());
        }
        let d = e.next_step(&s, d.plan);
        assert_eq!(outcome(&d.action), Some(Outcome::Prefilled), "{d:?}");
    }
    // the person's own text is left alone
    let s = page("meta/facebook-filled.en.html", url);
    let d = e.next_step(&s, Plan::new("meta.facebook-objection"));
    assert_eq!(outcome(&d.action), Some(Outcome::Manual), "{d:?}");
}

#[test]
fn guided_email_has_nothing_to_click() {
    let e = engine();
    let s = page(
        "slack/principles.en.html",
        "https://slack.com/trust/data-management/privacy-principles",
    );
    let f = finding(&e, &s, "slack.global-model");
    assert_eq!((f.state, f.control), (State::Manual, None));
    let d = e.next_step(&s, Plan::new("slack.global-model"));
    assert_eq!(outcome(&d.action), Some(Outcome::Manual), "{d:?}");
}

#[test]
fn platforms_list_automation_and_guidance() {
    let e = engine();
    let ps = e.platforms();
    let get = |id: &str| {
        ps.iter()
            .flat_map(|p| p.settings.iter())
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("{id}"))
            .clone()
    };
    let slack = get("slack.global-model");
    assert_eq!(slack.automation, Automation::Guided);
    assert_eq!(slack.email.as_deref(), Some("feedback@slack.com"));
    assert_eq!(
        slack.email_subject.as_deref(),
        Some("Slack Global model opt-out request")
    );
    assert!(slack.prepared_text.contains_key("en"));
    let fb = get("meta.facebook-objection");
    assert!(fb
        .form_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://")));
    for lang in ["en", "de", "fr", "es", "pt", "it", "nl"] {
        assert!(
            fb.instructions.get(lang).is_some_and(|i| i.len() >= 3),
            "{lang}"
        );
        assert!(fb.prepared_text.contains_key(lang), "{lang}");
    }
    assert_eq!(fb.regions, ["EU/EEA", "UK"]);
    let lo = get("linkedin.objection-form");
    assert_eq!(lo.automation, Automation::Guided);
    assert_eq!(
        lo.form_url.as_deref(),
        Some("https://www.linkedin.com/help/linkedin/ask/TS-DPRO")
    );
    assert_eq!(format!("{:?}", lo.confidence), "Medium");
    assert_eq!(
        format!("{:?}", get("linkedin.genai-data").confidence),
        "High"
    );
    assert_eq!(
        get("youtube.third-party-training").automation,
        Automation::SafeByDefault
    );
    assert_eq!(
        get("deviantart.ai-datasets").automation,
        Automation::SafeByDefault
    );
    let json = serde_json::to_value(&ps).expect("json");
    let s0 = &json[0]["settings"][0];
    for k in [
        "automation",
        "form_url",
        "email",
        "instructions",
        "prepared_text",
        "regions",
        "confidence",
    ] {
        assert!(s0.get(k).is_some(), "platforms() setting lacks {k}: {s0}");
    }
}

#[test]
fn safe_by_default_is_read_and_reported() {
    let e = engine();
    let url = "https://studio.youtube.com/";
    let off = page("youtube/off.en.html", url);
    let f = finding(&e, &off, "youtube.third-party-training");
    assert_eq!(
        (f.state, f.automation),
        (State::Off, Automation::SafeByDefault)
    );
    let d = e.next_step(&off, Plan::new("youtube.third-party-training"));
    assert_eq!(outcome(&d.action), Some(Outcome::AlreadyOff), "{d:?}");
    // someone opted in: reported on; turned off only when the person asks (a plan)
    let on = page("youtube/on.en.html", url);
    assert_eq!(
        finding(&e, &on, "youtube.third-party-training").state,
        State::On
    );
}

#[test]
fn keyword_fallback_finds_pages_in_languages_without_labels() {
    let e = engine();
    for (file, url, id) in [
        (
            "linkedin/on.nl.html",
            "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement",
            "linkedin.genai-data",
        ),
        (
            "youtube/on.it.html",
            "https://studio.youtube.com/",
            "youtube.third-party-training",
        ),
        (
            "deviantart/on.pt.html",
            "https://www.deviantart.com/settings/general",
            "deviantart.ai-datasets",
        ),
    ] {
        let s = page(file, url);
        let f = finding(&e, &s, id);
        assert_eq!(
            (f.state, f.matched_by),
            (State::On, Some(MatchedBy::Keywords)),
            "{file}: {f:?}"
        );
        assert!(!f.label.is_empty());
        let d = e.next_step(&s, Plan::new(id));
        assert!(
            matches!(&d.action, Action::Click { index, .. } if Some(*index) == f.control),
            "{file}: {d:?}"
        );
    }
    // label matches say so
    let s = page("youtube/on.en.html", "https://studio.youtube.com/");
    assert_eq!(
        finding(&e, &s, "youtube.third-party-training").matched_by,
        Some(MatchedBy::Label)
    );
}

#[test]
fn keyword_fallback_must_be_unique_and_respects_roles_and_vetoes() {
    let e = engine();
    let url = "https://www.deviantart.com/settings/general";
    let mut s = page("deviantart/on.pt.html", url);
    let f = finding(&e, &s, "deviantart.ai-datasets");
    let i = f.control.expect("control");
    // a second control that reads like training: ambiguous, nothing clicked
    let mut twin = s
        .controls
        .iter()
        .find(|c| c.index == i)
        .cloned()
        .expect("twin");
    twin.index = 99;
    twin.name = "Usar as minhas imagens para treinar modelos de IA".into();
    twin.text = twin.name.clone();
    s.controls.push(twin);
    let f = finding(&e, &s, "deviantart.ai-datasets");
    assert_eq!(f.reason, Some(Reason::Ambiguous), "{f:?}");
    // an AI-feature word vetoes the keyword match
    let mut s = page("deviantart/on.pt.html", url);
    if let Some(c) = s.controls.iter_mut().find(|c| c.index == i) {
        c.name = "Sugestões de escrita com IA treinada nos seus dados".into();
        c.text = c.name.clone();
    }
    assert_eq!(
        finding(&e, &s, "deviantart.ai-datasets").reason,
        Some(Reason::Absent)
    );
    // a role outside the rule's roles is not a candidate
    let mut s = page("deviantart/on.pt.html", url);
    if let Some(c) = s.controls.iter_mut().find(|c| c.index == i) {
        c.role = "button".into();
    }
    assert_eq!(
        finding(&e, &s, "deviantart.ai-datasets").reason,
        Some(Reason::Absent)
    );
}
