//! Opt-out flows on the real-markup pages of ChatGPT, Gemini, GitHub Copilot and Alexa
//! (`tests/fixtures/*/real-*`), page by page as the platform renders them after each click: an
//! opener that shows the state and opens the control's dialog (ChatGPT), a chip read from its
//! words whose menu holds the off choice next to a destructive twin (Gemini), a dropdown read
//! from its value word whose menu's "Disabled" is chosen, next to sibling policies never touched
//! (GitHub), a switch kept only after its confirmation (Alexa), a close button afterwards, and
//! the hostile neighbours ("Delete all", per-day "Delete all activity from ...") never clicked.

use crate::common::{click_name, done, failed, until_action};
use std::path::Path;
use untrain::harvest::harvest;
use untrain::{Action, Engine, FailReason, Outcome, Plan, Snapshot, State};

const CHATGPT: &str = "https://chatgpt.com/settings/data-controls";
const GEMINI: &str = "https://myactivity.google.com/product/gemini";

fn html(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// `file` with each `(from, to)` replaced once (the page as it renders after a click).
fn render(file: &str, url: &str, edits: &[(&str, &str)]) -> Snapshot {
    let mut h = html(file);
    for (from, to) in edits {
        assert!(h.contains(from), "{file}: test bug: no {from:?}");
        h = h.replacen(from, to, 1);
    }
    harvest(&h, url)
}

fn engine() -> Engine {
    Engine::embedded().expect("embedded rules")
}

/// The end of a flow: on `off` (the page as it is served after the clicks) the plan is proven
/// off, and a second run there clicks nothing.
fn proven_off_then_idle(e: &Engine, off: &Snapshot, plan: Plan, id: &str) {
    let d = until_action(e, off, plan);
    assert_eq!(done(&d), Some(Outcome::TurnedOff), "{d:?}");
    let d = e.next_step(off, Plan::new(id));
    assert_eq!(done(&d), Some(Outcome::AlreadyOff), "{d:?}");
    assert!(d.plan.clicked.is_empty(), "{d:?}");
}

const MODAL_OPEN: (&str, &str) = ("data-rx-modal hidden", "data-rx-modal");
const SWITCH_OFF: (&str, &str) = (
    r#"aria-checked="true" data-state="checked" data-testid="improve-model-toggle""#,
    r#"aria-checked="false" data-state="unchecked" data-testid="improve-model-toggle""#,
);
const ROW_OFF: (&str, &str) = ("data-rx-word>On<", "data-rx-word>Off<");

#[test]
fn chatgpt_opens_the_row_turns_the_modal_switch_off_closes_and_verifies_the_row() {
    let e = engine();
    let id = "chatgpt.improve-model";
    let on = render("chatgpt/real-on.en.html", CHATGPT, &[]);
    let f = e.evaluate(&on).findings.remove(0);
    assert_eq!(
        (f.state, f.label.as_str()),
        (State::On, "Improve the model for everyone")
    );
    // 1. the row (the opener) is clicked; it changes nothing, so it is not in `clicked`
    let d = e.next_step(&on, Plan::new(id));
    assert_eq!(
        click_name(&d),
        ("button".into(), "Improve the model for everyoneOn".into())
    );
    assert!(d.plan.clicked.is_empty());
    // the modal has not shown yet: wait
    let d = e.next_step(&on, d.plan);
    assert!(matches!(d.action, Action::Wait { .. }), "{d:?}");
    // 2. the modal shows its switch, on: click it
    let open = render("chatgpt/real-on.en.html", CHATGPT, &[MODAL_OPEN]);
    let d = e.next_step(&open, d.plan);
    let (role, _) = click_name(&d);
    assert_eq!(role, "switch");
    assert_eq!(d.plan.clicked.len(), 1);
    // 3. the switch reads off, the row says Off: close the modal with "Done" (not recorded)
    let switched = render(
        "chatgpt/real-on.en.html",
        CHATGPT,
        &[MODAL_OPEN, SWITCH_OFF, ROW_OFF],
    );
    let d = e.next_step(&switched, d.plan);
    assert_eq!(click_name(&d), ("button".into(), "Done".into()));
    assert_eq!(d.plan.clicked.len(), 1);
    // 4. the modal is gone: verify reads the row's word, off twice
    let closed = render("chatgpt/real-on.en.html", CHATGPT, &[SWITCH_OFF, ROW_OFF]);
    let d = e.next_step(&closed, d.plan);
    assert!(matches!(d.action, Action::Wait { .. }), "{d:?}");
    let d = e.next_step(&closed, d.plan);
    assert_eq!(done(&d), Some(Outcome::TurnedOff), "{d:?}");
    // the second run on the page as served now clicks nothing
    let off = render("chatgpt/real-off.en.html", CHATGPT, &[]);
    let d = e.next_step(&off, Plan::new(id));
    assert_eq!(done(&d), Some(Outcome::AlreadyOff), "{d:?}");
    assert!(d.plan.clicked.is_empty());
}

#[test]
fn chatgpt_failures_never_claim_off() {
    let e = engine();
    let id = "chatgpt.improve-model";
    let on = render("chatgpt/real-on.en.html", CHATGPT, &[]);
    let open = render("chatgpt/real-on.en.html", CHATGPT, &[MODAL_OPEN]);
    // the modal never opens: the plan fails absent after its waits, having clicked only the row
    let d = e.next_step(&on, Plan::new(id));
    let d = until_action(&e, &on, d.plan);
    assert_eq!(failed(&d), Some(FailReason::Absent), "{d:?}");
    // the switch ignores the click: no close, not-accepted
    let d = e.next_step(&on, Plan::new(id));
    let d = e.next_step(&open, d.plan);
    assert_eq!(click_name(&d).0, "switch");
    let d = until_action(&e, &open, d.plan);
    assert_eq!(failed(&d), Some(FailReason::NotAccepted), "{d:?}");
    // the modal closes but the row still says On (the platform did not keep it): never done
    let d = e.next_step(&on, Plan::new(id));
    let d = e.next_step(&open, d.plan);
    let switched = render(
        "chatgpt/real-on.en.html",
        CHATGPT,
        &[MODAL_OPEN, SWITCH_OFF],
    );
    let d = e.next_step(&switched, d.plan);
    assert_eq!(click_name(&d).1, "Done");
    let d = until_action(&e, &on, d.plan);
    assert!(matches!(d.action, Action::Failed { .. }), "{d:?}");
    // a modal without "Done": the close step is skipped, verify reads the switch off twice
    let d = e.next_step(&on, Plan::new(id));
    let d = e.next_step(&open, d.plan);
    let no_done = render(
        "chatgpt/real-on.en.html",
        CHATGPT,
        &[MODAL_OPEN, SWITCH_OFF, ROW_OFF, (">Done<", ">Back<")],
    );
    let d = until_action(&e, &no_done, d.plan);
    assert_eq!(done(&d), Some(Outcome::TurnedOff), "{d:?}");
    // the unreadable row: nothing is clicked, ever
    let unreadable = render("chatgpt/real-unreadable.en.html", CHATGPT, &[]);
    let d = until_action(&e, &unreadable, Plan::new(id));
    assert_eq!(failed(&d), Some(FailReason::Unreadable), "{d:?}");
    assert!(d.plan.clicked.is_empty() && d.plan.actions <= 9);
}

/// The chip turned off by the menu, as real.js renders it: word and label.
const CHIP_OFF: [(&str, &str); 3] = [
    (
        r#"aria-label="Turn off your Keep Activity setting""#,
        r#"aria-label="Turn on your Keep Activity setting""#,
    ),
    ("data-gx-word>On<", "data-gx-word>Off<"),
    (r#"data-fx-initial="true""#, r#"data-fx-initial="false""#),
];

#[test]
fn gemini_chip_menu_turn_off_got_it_and_verify() {
    let e = engine();
    let id = "gemini.keep-activity";
    let on = render("gemini/real-on.en.html", GEMINI, &[]);
    let f = e.evaluate(&on).findings.remove(0);
    assert_eq!((f.state, f.label.as_str()), (State::On, "Keep Activity"));
    // 1. the chip (the setting's control, read from its words)
    let d = e.next_step(&on, Plan::new(id));
    assert_eq!(
        click_name(&d),
        (
            "button".into(),
            "Turn off your Keep Activity setting".into()
        )
    );
    // 2. the menu: "Turn off", never "Turn off and delete activity"
    let menu = render(
        "gemini/real-on.en.html",
        GEMINI,
        &[(
            "aria-label=\"Keep activity\" hidden",
            "aria-label=\"Keep activity\"",
        )],
    );
    let d = e.next_step(&menu, d.plan);
    assert_eq!(
        click_name(&d),
        ("menuitem".into(), "Turn off 1 step".into())
    );
    // 3. off, and the "Got it" dialog: close it
    let mut edits = CHIP_OFF.to_vec();
    edits.push((
        "id=\"gotit\" class=\"dialog\" aria-modal=\"true\" aria-labelledby=\"gotit-title\" hidden",
        "id=\"gotit\" class=\"dialog\" aria-modal=\"true\" aria-labelledby=\"gotit-title\"",
    ));
    let got_it = render("gemini/real-on.en.html", GEMINI, &edits);
    let d = e.next_step(&got_it, d.plan);
    assert_eq!(click_name(&d), ("button".into(), "Got it".into()));
    assert_eq!(
        d.plan.clicked.len(),
        2,
        "chip and menu item; not the close button"
    );
    // 4. verify on the page without the dialog
    let off = render("gemini/real-off.en.html", GEMINI, &[]);
    // then the second run clicks nothing
    proven_off_then_idle(&e, &off, d.plan, id);
    // no dialog follows: the close step is skipped
    let d = e.next_step(&on, Plan::new(id));
    let d = e.next_step(&menu, d.plan);
    let quiet = render("gemini/real-on.en.html", GEMINI, &CHIP_OFF);
    let d = until_action(&e, &quiet, d.plan);
    assert_eq!(done(&d), Some(Outcome::TurnedOff), "{d:?}");
}

#[test]
fn gemini_never_clicks_a_delete_button_and_never_reads_a_half_rendered_chip() {
    let e = engine();
    let id = "gemini.keep-activity";
    // only the destructive twin in the menu: no choice; the per-day delete buttons, shown and
    // named "Delete all activity from ...", are never clicked
    let menu = render(
        "gemini/real-on.en.html",
        GEMINI,
        &[
            (
                "aria-label=\"Keep activity\" hidden",
                "aria-label=\"Keep activity\"",
            ),
            (
                "<span>Turn off</span> <span class=\"hint\">1 step</span>",
                "<span>Delete all activity</span>",
            ),
        ],
    );
    let on = render("gemini/real-on.en.html", GEMINI, &[]);
    let d = e.next_step(&on, Plan::new(id));
    let mut plan = d.plan;
    loop {
        let d = e.next_step(&menu, plan);
        match &d.action {
            Action::Click { name, .. } => panic!("clicked {name:?}"),
            Action::Wait { .. } => plan = d.plan,
            Action::Failed { reason, .. } => {
                assert_eq!(*reason, FailReason::NoChoice);
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    // the label says "Turn off" but the chip shows "Off": unknown, nothing clicked
    let half = render("gemini/real-unreadable.en.html", GEMINI, &[]);
    let f = e.evaluate(&half).findings.remove(0);
    assert_eq!(f.state, State::Unknown);
    let d = until_action(&e, &half, Plan::new(id));
    assert!(matches!(d.action, Action::Failed { .. }), "{d:?}");
    assert!(d.plan.clicked.is_empty());
}

/// A page that is not what the rule expects: two rows showing the opener's text cannot be told
/// apart (ambiguous), so nothing is clicked.
#[test]
fn chatgpt_two_openers_are_ambiguous_and_nothing_is_clicked() {
    let e = engine();
    let row = r#"<div>
          <button type="button" class="rowbtn" data-testid="improve-model-open-modal-button">"#;
    let twice = [(
        row,
        &*format!(
            "{row}<div>Improve the model for everyone</div><div>Off</div></button></div>{row}"
        ),
    )];
    let s = render("chatgpt/real-on.en.html", CHATGPT, &twice);
    let f = e.evaluate(&s).findings.remove(0);
    assert_eq!(
        (f.state, f.reason),
        (State::Unknown, Some(untrain::Reason::Ambiguous))
    );
    let d = until_action(&e, &s, Plan::new("chatgpt.improve-model"));
    assert_eq!(failed(&d), Some(FailReason::Ambiguous), "{d:?}");
    assert!(d.plan.clicked.is_empty());
}

const GITHUB: &str = "https://github.com/settings/copilot/features";

/// The AI-training dropdown's menu, opened (real.js un-hides it on the button's click).
const GH_MENU_OPEN: (&str, &str) = (
    r#"id="ai-training-list" class="ActionListWrap" aria-labelledby="ai-training-label" hidden"#,
    r#"id="ai-training-list" class="ActionListWrap" aria-labelledby="ai-training-label""#,
);

#[test]
fn github_dropdown_opens_chooses_disabled_and_verifies_the_word() {
    let e = engine();
    let id = "github-copilot.ai-training";
    let on = render("github-copilot/real-on.en.html", GITHUB, &[]);
    let f = e.evaluate(&on).findings.remove(0);
    assert_eq!(
        (f.state, f.label.as_str()),
        (
            State::On,
            "Allow GitHub to use my data for AI model training"
        )
    );
    // 1. the dropdown button (the control, read from its word), not the product-improvements
    //    sibling named the same way
    let d = e.next_step(&on, Plan::new(id));
    assert_eq!(
        click_name(&d),
        (
            "button".into(),
            "Allow GitHub to use my data for AI model training Enabled".into()
        )
    );
    // the menu has not opened yet: wait, click nothing else
    let d = e.next_step(&on, d.plan);
    assert!(matches!(d.action, Action::Wait { .. }), "{d:?}");
    // 2. the menu: "Disabled", a menuitemradio
    let menu = render("github-copilot/real-on.en.html", GITHUB, &[GH_MENU_OPEN]);
    let d = e.next_step(&menu, d.plan);
    assert_eq!(click_name(&d), ("menuitemradio".into(), "Disabled".into()));
    assert_eq!(d.plan.clicked.len(), 2);
    // 3. verify: the button says Disabled (the page as it now serves it), twice
    let off = render("github-copilot/real-off.en.html", GITHUB, &[]);
    // then the second run clicks nothing
    proven_off_then_idle(&e, &off, d.plan, id);
}

#[test]
fn github_failures_never_claim_off_and_never_touch_a_sibling_policy() {
    let e = engine();
    let id = "github-copilot.ai-training";
    let on = render("github-copilot/real-on.en.html", GITHUB, &[]);
    let menu = render("github-copilot/real-on.en.html", GITHUB, &[GH_MENU_OPEN]);
    // "Disabled" was clicked but the button still says Enabled: never done
    let d = e.next_step(&on, Plan::new(id));
    let d = e.next_step(&menu, d.plan);
    assert_eq!(click_name(&d).1, "Disabled");
    let d = until_action(&e, &on, d.plan);
    assert_eq!(failed(&d), Some(FailReason::NotAccepted), "{d:?}");
    // the menu never opens: no choice, failed, only the button clicked
    let d = e.next_step(&on, Plan::new(id));
    let d = until_action(&e, &on, d.plan);
    assert_eq!(failed(&d), Some(FailReason::NoChoice), "{d:?}");
    assert_eq!(d.plan.clicked.len(), 1);
    // the sibling "product improvements" is the only policy on the page: it is excluded by name,
    // so the setting is absent and nothing is clicked
    let h = html("github-copilot/real-on.en.html");
    let cut_from = h.find(r#"<strong id="ai-training-label">"#).expect("row");
    let row_start = h[..cut_from]
        .rfind(r#"<div class="Box-row">"#)
        .expect("row start");
    let row_end = cut_from + h[cut_from..].find("</action-menu>").expect("row end");
    let without = format!("{}{}", &h[..row_start], &h[row_end..]);
    let s = harvest(&without, GITHUB);
    let f = e.evaluate(&s).findings.remove(0);
    assert_eq!(f.state, State::Unknown);
    let d = until_action(&e, &s, Plan::new(id));
    assert!(matches!(d.action, Action::Failed { .. }), "{d:?}");
    assert!(d.plan.clicked.is_empty());
    // the unreadable page (no value shown yet): nothing is clicked, ever
    let unreadable = render("github-copilot/real-unreadable.en.html", GITHUB, &[]);
    let d = until_action(&e, &unreadable, Plan::new(id));
    assert_eq!(failed(&d), Some(FailReason::Unreadable), "{d:?}");
    assert!(d.plan.clicked.is_empty());
}

/// The older checkbox shape the rule still serves: the box takes the change itself, so the
/// choose step is skipped (no menu item of another policy is ever guessed at).
#[test]
fn github_checkbox_shape_skips_the_choice() {
    let e = engine();
    let id = "github-copilot.ai-training";
    let on = render(
        "github-copilot/on.en.html",
        "https://github.com/settings/copilot",
        &[],
    );
    let d = e.next_step(&on, Plan::new(id));
    assert_eq!(click_name(&d).0, "checkbox");
    let off = render(
        "github-copilot/on.en.html",
        "https://github.com/settings/copilot",
        &[(
            r#"data-fx-key="ai-training" data-fx-kind="checkbox" checked"#,
            r#"data-fx-key="ai-training" data-fx-kind="checkbox""#,
        )],
    );
    let d = e.next_step(&off, d.plan);
    assert!(matches!(d.action, Action::Wait { .. }), "{d:?}");
    let d = e.next_step(&off, d.plan);
    assert_eq!(done(&d), Some(Outcome::TurnedOff), "{d:?}");
    assert_eq!(d.plan.clicked.len(), 1);
}

const ALEXA: &str = "https://www.amazon.com/alexa-privacy/apd/myad/manage-data-improves";

/// The switch turned off by the click (before any confirmation).
const AX_SWITCH_OFF: (&str, &str) = (
    r#"data-fx-key="help-improve" data-fx-kind="checkbox" checked"#,
    r#"data-fx-key="help-improve" data-fx-kind="checkbox""#,
);
/// The confirmation real.js shows once the switch is off.
const AX_CONFIRM: (&str, &str) = (
    r#"aria-labelledby="confirm-off-title" hidden"#,
    r#"aria-labelledby="confirm-off-title""#,
);

#[test]
fn alexa_turns_the_switch_off_confirms_with_turn_off_and_verifies() {
    let e = engine();
    let id = "alexa.help-improve";
    let on = render("alexa/real-on.en.html", ALEXA, &[]);
    let f = e
        .evaluate(&on)
        .findings
        .into_iter()
        .find(|f| f.setting == id)
        .expect("finding");
    assert_eq!(
        (f.state, f.label.as_str()),
        (
            State::On,
            "Help Improve Amazon Services and Develop New Features"
        )
    );
    // 1. the switch
    let d = e.next_step(&on, Plan::new(id));
    assert_eq!(
        click_name(&d),
        (
            "switch".into(),
            "Help Improve Amazon Services and Develop New Features".into()
        )
    );
    // 2. the switch shows off and the confirmation asks: "Turn Off", never "Cancel"
    let asks = render("alexa/real-on.en.html", ALEXA, &[AX_SWITCH_OFF, AX_CONFIRM]);
    let d = e.next_step(&asks, d.plan);
    assert_eq!(click_name(&d), ("button".into(), "Turn Off".into()));
    assert_eq!(d.plan.clicked.len(), 2);
    // 3. verify on the page as it is served now
    let off = render("alexa/real-off.en.html", ALEXA, &[]);
    // then the second run clicks nothing
    proven_off_then_idle(&e, &off, d.plan, id);
}

#[test]
fn alexa_without_its_confirmation_fails_and_never_says_off() {
    let e = engine();
    let id = "alexa.help-improve";
    let on = render("alexa/real-on.en.html", ALEXA, &[]);
    // the confirmation never appears though the switch shows off: failed, never done
    let d = e.next_step(&on, Plan::new(id));
    assert_eq!(click_name(&d).0, "switch");
    let quiet = render("alexa/real-on.en.html", ALEXA, &[AX_SWITCH_OFF]);
    let d = until_action(&e, &quiet, d.plan);
    assert_eq!(failed(&d), Some(FailReason::NoChoice), "{d:?}");
    assert_eq!(d.plan.clicked.len(), 1);
    // the same on the noconfirm page as served (data-ax-noconfirm)
    let nc = render("alexa/noconfirm.en.html", ALEXA, &[AX_SWITCH_OFF]);
    let d = e.next_step(&on, Plan::new(id));
    let d = until_action(&e, &nc, d.plan);
    assert!(matches!(d.action, Action::Failed { .. }), "{d:?}");
    // a confirmation whose only button is destructive is never clicked
    let hostile = render(
        "alexa/real-on.en.html",
        ALEXA,
        &[
            AX_SWITCH_OFF,
            AX_CONFIRM,
            (">Turn Off<", ">Turn Off and delete all of my recordings<"),
        ],
    );
    let d = e.next_step(&on, Plan::new(id));
    let d = until_action(&e, &hostile, d.plan);
    assert_eq!(failed(&d), Some(FailReason::NoChoice), "{d:?}");
    // the unreadable switch: nothing is clicked, ever
    let unreadable = render("alexa/real-unreadable.en.html", ALEXA, &[]);
    let d = until_action(&e, &unreadable, Plan::new(id));
    assert_eq!(failed(&d), Some(FailReason::Unreadable), "{d:?}");
    assert!(d.plan.clicked.is_empty());
}

const MEDIUM: &str = "https://medium.com/me/settings/account";
const MD_OPEN: (&str, &str) = (
    r#"aria-labelledby="ai-prefs-title" hidden"#,
    r#"aria-labelledby="ai-prefs-title""#,
);

#[test]
fn medium_opens_its_preferences_then_chooses_minimize_and_verifies() {
    let e = engine();
    let id = "medium.third-party-ai";
    let on = render("medium/real-on.en.html", MEDIUM, &[]);
    assert_eq!(e.evaluate(&on).findings[0].state, State::On);
    // 1. the radios are not shown: "Select to open your preferences" (not recorded)
    let d = e.next_step(&on, Plan::new(id));
    assert_eq!(
        click_name(&d),
        ("button".into(), "Select to open your preferences".into())
    );
    assert!(d.plan.clicked.is_empty());
    // 2. the dialog shows the radios: "Minimize third-party training"
    let open = render("medium/real-on.en.html", MEDIUM, &[MD_OPEN]);
    let d = e.next_step(&open, d.plan);
    let (role, name) = click_name(&d);
    assert_eq!(role, "radio");
    assert!(name.starts_with("Minimize third-party training"), "{name}");
    // 3. verify on the page as served now (the dialog closed, the choice kept)
    let off = render("medium/real-off.en.html", MEDIUM, &[]);
    // then the second run clicks nothing, not even the opener
    proven_off_then_idle(&e, &off, d.plan, id);
    // the choice not kept: never off; the unreadable radios: nothing clicked
    let d = e.next_step(&on, Plan::new(id));
    let d = e.next_step(&open, d.plan);
    let d = until_action(&e, &open, d.plan);
    assert!(matches!(d.action, Action::Failed { .. }), "{d:?}");
    // (the opener is clicked, as a person would to see the choice; it changes nothing)
    let unreadable = render("medium/real-unreadable.en.html", MEDIUM, &[]);
    let d = e.next_step(&unreadable, Plan::new(id));
    assert_eq!(click_name(&d).1, "Select to open your preferences");
    let shown = render("medium/real-unreadable.en.html", MEDIUM, &[MD_OPEN]);
    let d = until_action(&e, &shown, d.plan);
    assert_eq!(failed(&d), Some(FailReason::Unreadable), "{d:?}");
    assert!(d.plan.clicked.is_empty());
}

const FIGMA: &str = "https://www.figma.com/files/team/1098765432101234567/settings";
const FG_OPEN: (&str, &str) = (
    r#"aria-labelledby="ai-settings-title" hidden"#,
    r#"aria-labelledby="ai-settings-title""#,
);

#[test]
fn figma_opens_manage_ai_settings_then_turns_content_training_off() {
    let e = engine();
    let id = "figma.content-training";
    let on = render("figma/real-on.en.html", FIGMA, &[]);
    // 1. "Manage AI settings" (not recorded: it changes nothing)
    let d = e.next_step(&on, Plan::new(id));
    assert_eq!(
        click_name(&d),
        ("button".into(), "Manage AI settings".into())
    );
    assert!(d.plan.clicked.is_empty());
    // the progress says what it is: a button, not a tab
    assert!(
        matches!(&d.action, Action::Click { why, .. } if why == "open \"Manage AI settings\""),
        "{d:?}"
    );
    // 2. the dialog: the Content training switch, never "AI features"
    let open = render("figma/real-on.en.html", FIGMA, &[FG_OPEN]);
    let d = e.next_step(&open, d.plan);
    assert_eq!(click_name(&d), ("switch".into(), "Content training".into()));
    // 3. verify on the page as served now
    let off = render("figma/real-off.en.html", FIGMA, &[]);
    // then the second run clicks nothing, not even the opener
    proven_off_then_idle(&e, &off, d.plan, id);
    // the dialog never opens: failed, nothing but the opener clicked
    let d = e.next_step(&on, Plan::new(id));
    let d = until_action(&e, &on, d.plan);
    assert!(matches!(d.action, Action::Failed { .. }), "{d:?}");
    assert!(d.plan.clicked.is_empty());
    // unreadable: the switch is never clicked
    let unreadable = render("figma/real-unreadable.en.html", FIGMA, &[FG_OPEN]);
    let d = until_action(&e, &unreadable, Plan::new(id));
    assert_eq!(failed(&d), Some(FailReason::Unreadable), "{d:?}");
    assert!(d.plan.clicked.is_empty());
}
