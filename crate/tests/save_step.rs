//! The `save` step (issue #12, item 4): a change kept only after a Save is saved before it is
//! verified, and a setting whose Save is pending is never reported off. YouTube Studio's
//! third-party-training box (Google's steps end with "Click Save") on its fixture page.

use crate::common;

use crate::common::{click_index, done, failed, page, waits_then_fails};
use untrain::{Action, Engine, FailReason, Outcome, Plan, Snapshot};

const URL: &str = "https://studio.youtube.com/channel/UC0123456789abcdefghij/editing/details";
const SETTING: &str = "youtube.third-party-training";

fn engine() -> Engine {
    Engine::embedded().expect("embedded rules")
}

fn index_of(s: &Snapshot, name: &str) -> usize {
    s.controls
        .iter()
        .find(|c| c.name == name)
        .map(|c| c.index)
        .unwrap_or_else(|| panic!("no control {name:?}"))
}

fn flip(s: &mut Snapshot, index: usize) {
    if let Some(c) = s.controls.iter_mut().find(|c| c.index == index) {
        common::flip(c);
    }
}

/// The plan after its first click (the box), with the page showing the box unchecked.
fn after_the_click(e: &Engine) -> (Snapshot, Plan) {
    let mut s = page("youtube/on.en.html", URL);
    let d = e.next_step(&s, Plan::new(SETTING));
    let box_ = index_of(
        &s,
        "Allow third-party companies to train AI models using my content",
    );
    assert_eq!(click_index(&d), Some(box_), "{d:?}");
    flip(&mut s, box_);
    (s, d.plan)
}

#[test]
fn the_change_is_saved_then_verified() {
    let e = engine();
    let (s, plan) = after_the_click(&e);
    let d = e.next_step(&s, plan);
    assert_eq!(click_index(&d), Some(index_of(&s, "Save")), "{d:?}");
    assert!(
        matches!(&d.action, Action::Click { why, .. } if why == "save \"Save\""),
        "{d:?}"
    );
    let mut plan = d.plan;
    let end = loop {
        let d = e.next_step(&s, plan);
        match d.action {
            Action::Wait { .. } => plan = d.plan,
            _ => break d,
        }
    };
    assert_eq!(done(&end), Some(Outcome::TurnedOff), "{end:?}");
}

#[test]
fn a_save_that_never_appears_fails_and_never_says_off() {
    let e = engine();
    let (mut s, plan) = after_the_click(&e);
    s.controls.retain(|c| c.name != "Save");
    // the box reads off, but nothing kept it: waits for the Save, then fails
    assert_eq!(waits_then_fails(&e, &s, plan, 20), FailReason::NoChoice);
}

#[test]
fn nothing_is_saved_while_the_setting_does_not_read_off() {
    let e = engine();
    let (mut s, plan) = after_the_click(&e);
    let box_ = index_of(
        &s,
        "Allow third-party companies to train AI models using my content",
    );
    flip(&mut s, box_); // the click did not take: the box is checked again
    assert_eq!(waits_then_fails(&e, &s, plan, 20), FailReason::NotAccepted);
}

#[test]
fn two_save_buttons_are_ambiguous_and_neither_is_clicked() {
    let e = engine();
    let (mut s, plan) = after_the_click(&e);
    let save = s
        .controls
        .iter()
        .find(|c| c.name == "Save")
        .cloned()
        .expect("save");
    let mut twin = save.clone();
    twin.index = s.controls.iter().map(|c| c.index).max().unwrap_or(0) + 1;
    s.controls.push(twin);
    let d = e.next_step(&s, plan);
    assert_eq!(failed(&d), Some(FailReason::Ambiguous), "{d:?}");
}

#[test]
fn a_save_named_destructively_is_never_clicked() {
    let e = engine();
    let (mut s, plan) = after_the_click(&e);
    if let Some(c) = s.controls.iter_mut().find(|c| c.name == "Save") {
        c.name = "Save and delete my videos".into();
    }
    assert_eq!(waits_then_fails(&e, &s, plan, 20), FailReason::NoChoice);
}
