//! H1: a control found by keywords (no rule label matches) or reported as suspected is read by
//! the polarity of its OWN wording, never by the rule's `off_means`. "Protect my posts from
//! being used to train AI models", checked, is already off: no offer, no click. Table tests in
//! the seven languages, both polarities, both `off_means`, checked and unchecked, through
//! `evaluate` (findings and suspects) and `next_step` (the first action of the setting's plan
//! and of the suspect's plan).
//!
//! The phrases' polarities (common/phrases.rs) are written by hand (what a person reads),
//! independent of the engine's word lists.

use crate::common::phrases;

use phrases::{engine, AFFIRMATIVE, INVERTED, MIXED};
use untrain::{Action, Control, Engine, MatchedBy, Outcome, Plan, Snapshot, State, SUSPECTED};

fn page(path: &str, lang: &str, name: &str, checked: bool) -> Snapshot {
    Snapshot {
        url: format!("https://gen.example/{path}"),
        lang: lang.into(),
        controls: vec![Control {
            index: 0,
            role: "switch".into(),
            tag: "button".into(),
            aria_checked: Some(checked.to_string()),
            visible: true,
            name: name.into(),
            text: name.into(),
            ..Control::default()
        }],
        ..Snapshot::default()
    }
}

fn truth(on: bool) -> State {
    if on {
        State::On
    } else {
        State::Off
    }
}

/// Checks the finding and the first step of its plan; `Err` says what went wrong. `exact`:
/// the reading must be the truth (else unknown is allowed too).
fn check_finding(
    e: &Engine,
    lang: &str,
    phrase: &str,
    on_when_checked: bool,
    exact: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    for off in ["unchecked", "checked"] {
        for checked in [true, false] {
            let snap = page(off, lang, phrase, checked);
            let on = checked == on_when_checked;
            let id = format!("gen.{off}");
            let ev = e.evaluate(&snap);
            let Some(f) = ev.findings.iter().find(|f| f.setting == id) else {
                out.push(format!("{phrase:?} ({off}, checked {checked}): no finding"));
                continue;
            };
            let tag = format!("{phrase:?} (off_means {off}, checked {checked})");
            if f.matched_by != Some(MatchedBy::Keywords) {
                out.push(format!("{tag}: not matched by keywords: {f:?}"));
                continue;
            }
            let ok = f.state == truth(on) || (!exact && f.state == State::Unknown);
            if !ok {
                out.push(format!("{tag}: reads {:?}, truly {:?}", f.state, truth(on)));
            }
            let d = e.next_step(&snap, Plan::new(&id));
            let ok = plan_ok(&d.action, on, exact);
            if !ok {
                out.push(format!("{tag}: truly {:?}, plan {:?}", truth(on), d.action));
            }
        }
    }
    out
}

/// The first step of a plan on the one control (index 0) that is truly `on` or off: a click
/// when on, `already-off` when off; waiting or failing only where the wording is not `exact`.
fn plan_ok(a: &Action, on: bool, exact: bool) -> bool {
    match a {
        Action::Click { index: 0, .. } => on,
        Action::Done {
            outcome: Outcome::AlreadyOff,
            ..
        } => !on,
        Action::Wait { .. } | Action::Failed { .. } => !exact,
        _ => false,
    }
}

fn check_suspect(
    e: &Engine,
    lang: &str,
    phrase: &str,
    on_when_checked: bool,
    exact: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    for checked in [true, false] {
        let snap = page("s", lang, phrase, checked);
        let on = checked == on_when_checked;
        let tag = format!("suspect {phrase:?} (checked {checked})");
        let ev = e.evaluate(&snap);
        let [x] = ev.suspected.as_slice() else {
            out.push(format!("{tag}: suspects {:?}", ev.suspected));
            continue;
        };
        if !(x.state == truth(on) || (!exact && x.state == State::Unknown)) {
            out.push(format!("{tag}: reads {:?}, truly {:?}", x.state, truth(on)));
        }
        let plan = Plan {
            suspect: Some(x.key.clone()),
            ..Plan::new(SUSPECTED)
        };
        let d = e.next_step(&snap, plan);
        let ok = plan_ok(&d.action, on, exact);
        if !ok {
            out.push(format!("{tag}: truly {:?}, plan {:?}", truth(on), d.action));
        }
    }
    out
}

#[test]
fn inverted_wording_is_read_as_off_when_checked_in_seven_languages() {
    let e = engine();
    let mut failures = Vec::new();
    for (lang, phrase) in INVERTED {
        failures.extend(check_finding(&e, lang, phrase, false, true));
    }
    let langs: Vec<&str> = INVERTED.iter().map(|(l, _)| *l).collect();
    for l in ["en", "de", "fr", "es", "pt", "it", "nl"] {
        assert!(langs.contains(&l), "no inverted phrase in {l}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn affirmative_wording_is_read_as_on_when_checked_in_seven_languages() {
    let e = engine();
    let mut failures = Vec::new();
    for (lang, phrase) in AFFIRMATIVE {
        failures.extend(check_finding(&e, lang, phrase, true, true));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn mixed_wording_is_never_read_the_wrong_way() {
    let e = engine();
    let mut failures = Vec::new();
    for (phrase, on_when_checked) in MIXED {
        failures.extend(check_finding(&e, "", phrase, *on_when_checked, false));
        failures.extend(check_suspect(&e, "", phrase, *on_when_checked, false));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn suspects_are_read_by_their_own_wording_in_seven_languages() {
    let e = engine();
    let mut failures = Vec::new();
    for (lang, phrase) in INVERTED {
        failures.extend(check_suspect(&e, lang, phrase, false, true));
    }
    for (lang, phrase) in AFFIRMATIVE {
        failures.extend(check_suspect(&e, lang, phrase, true, true));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A generic name ("Toggle") next to a row that reads inverted: the row's wording is not
/// overruled by the name (the two must agree).
#[test]
fn a_generic_name_does_not_overrule_an_inverted_row() {
    let e = engine();
    for checked in [true, false] {
        let mut snap = page("unchecked", "en", "Toggle", checked);
        snap.controls[0].text = "Protect my posts from being used to train AI models".into();
        let f = e.evaluate(&snap).findings.remove(0);
        assert!(
            f.state == truth(!checked) || f.state == State::Unknown,
            "checked {checked}: {f:?}"
        );
        let d = e.next_step(&snap, Plan::new("gen.unchecked"));
        if checked {
            assert!(!matches!(d.action, Action::Click { .. }), "{d:?}");
        }
    }
}
