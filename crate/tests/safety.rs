//! Safety properties of `next_step` over generated snapshots, plans and page behaviours:
//! never click a control that reads unknown or off, never click a destructive name, `done` only
//! when the current snapshot reads off, and every plan ends within a bounded number of calls.

mod common;

use proptest::prelude::*;
use untrain::engine::{DESTRUCTIVE, MAX_ACTIONS};
use untrain::text::normalize;
use untrain::{Action, Control, Engine, Outcome, Plan, Snapshot, State};

const NAMES: &[&str] = &[
    "Use my data to train AI",
    "Meine Daten für KI-Training nutzen",
    "Model training",
    "Do not use my content for AI",
    "Turn off",
    "Ausschalten",
    "Confirm",
    "Cancel",
    "Delete all chats",
    "Use my data to train AI and delete history",
    "Model training: remove account",
    "Turn off and erase everything",
    "Confirm deletion",
    "Use my data to train AI – forget me",
    "Alle Chats löschen",
    "Personalised ads",
    "",
];
const TEXTS: &[&str] = &[
    "",
    "Use my data to train AI. We use it to improve models.",
    "Model training",
    "Use my data to train AI for personalised ads",
    "Privacy choices",
    "Do not use my content for AI",
];
const ROLES: &[&str] = &[
    "switch",
    "checkbox",
    "button",
    "menuitem",
    "menuitemradio",
    "option",
    "radio",
    "tab",
    "link",
];
const URLS: &[&str] = &[
    "https://demo.example/settings/ai",
    "https://demo.example/settings/ai",
    "https://demo.example/settings/optout",
    "https://demo.example/settings/model",
    "https://demo.example/settings/model",
    "https://www.demo.example/u/1/privacy#ai",
    "https://demo.example/feed",
    "https://evil.example/settings/ai",
];
const SETTINGS: &[&str] = &["demo.toggle", "demo.optout", "demo.menu", "nope.x", ""];

fn opt_str(pool: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    prop::option::weighted(0.6, prop::sample::select(pool).prop_map(str::to_string))
}

fn control() -> impl Strategy<Value = Control> {
    (
        prop::sample::select(ROLES),
        prop::sample::select(&["input", "button", "div"][..]),
        prop::option::of(any::<bool>()),
        opt_str(&["true", "false", "mixed", "TRUE", ""]),
        opt_str(&["true", "false", "mixed"]),
        opt_str(&["checked", "unchecked", "on", "off", "open", "indeterminate"]),
        (prop::bool::weighted(0.15), prop::bool::weighted(0.85), any::<bool>()),
        prop_oneof![8 => prop::sample::select(NAMES).prop_map(str::to_string), 1 => any::<String>()],
        prop::sample::select(TEXTS),
    )
        .prop_map(
            |(role, tag, checked, ac, ap, ds, (disabled, visible, in_dialog), name, text)| Control {
                role: role.to_string(),
                tag: tag.to_string(),
                checked,
                aria_checked: ac,
                aria_pressed: ap,
                data_state: ds,
                disabled,
                visible,
                in_dialog,
                name,
                text: text.to_string(),
                ..Control::default()
            },
        )
}

fn snapshot() -> impl Strategy<Value = Snapshot> {
    (
        prop::sample::select(URLS),
        prop::collection::vec(control(), 0..9),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(url, mut controls, heading, has_password)| {
            for (i, c) in controls.iter_mut().enumerate() {
                c.index = i;
            }
            Snapshot {
                url: url.to_string(),
                headings: if heading {
                    vec!["Privacy choices".into()]
                } else {
                    vec![]
                },
                has_password,
                controls,
                ..Snapshot::default()
            }
        })
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        prop::sample::select(SETTINGS),
        prop_oneof![6 => Just(0usize), 1 => 0usize..6],
        prop_oneof![6 => Just(0u32), 1 => 0u32..12],
        prop_oneof![6 => Just(0u32), 1 => 0u32..30],
        prop_oneof![6 => Just(0u32), 1 => 0u32..3],
        any::<bool>(),
    )
        .prop_map(|(setting, step, waits, actions, off_reads, clicked)| Plan {
            setting: setting.to_string(),
            step,
            waits,
            actions,
            off_reads,
            clicked: if clicked { vec![0] } else { vec![] },
            suspect: None,
        })
}

/// How the simulated page reacts to the click that should turn the setting off.
#[derive(Debug, Clone, Copy)]
enum Page {
    /// The control flips and stays.
    Accepts,
    /// Nothing changes.
    Ignores,
    /// The control flips, then flips back after `n` re-harvests.
    Reverts(u8),
    /// Every click flips whatever was clicked.
    FlipsClicked,
}

fn page() -> impl Strategy<Value = Page> {
    prop_oneof![
        Just(Page::Accepts),
        Just(Page::Ignores),
        (0u8..4).prop_map(Page::Reverts),
        Just(Page::FlipsClicked),
    ]
}

fn finding(e: &Engine, snap: &Snapshot, id: &str) -> Option<untrain::Finding> {
    e.evaluate(snap)
        .findings
        .into_iter()
        .find(|f| f.setting == id)
}

fn destructive_words(e: &Engine, id: &str) -> Vec<String> {
    let never: Vec<String> = e
        .rule_sets()
        .iter()
        .flat_map(|s| &s.settings)
        .filter(|s| s.id == id)
        .flat_map(|s| s.never.clone())
        .collect();
    DESTRUCTIVE
        .iter()
        .map(|w| normalize(w))
        .chain(never.iter().map(|w| normalize(w)))
        .collect()
}

fn steps_of(e: &Engine, id: &str) -> usize {
    e.rule_sets()
        .iter()
        .flat_map(|s| &s.settings)
        .find(|s| s.id == id)
        .map_or(0, |s| s.steps.len())
}

fn flip_index(snap: &mut Snapshot, index: usize) {
    if let Some(c) = snap.controls.iter_mut().find(|c| c.index == index) {
        common::flip(c);
    }
}

/// Simulates the shell: ask, act, re-harvest. Returns an error text when a property breaks.
fn simulate(e: &Engine, mut snap: Snapshot, mut plan: Plan, page: Page) -> Result<(), String> {
    let id = plan.setting.clone();
    let words = destructive_words(e, &id);
    let steps = steps_of(e, &id);
    let mut revert: Option<(u8, usize)> = None;
    for call in 0..=(MAX_ACTIONS as usize + 1) {
        let before = plan.clone();
        let d = e.next_step(&snap, plan);
        let f = finding(e, &snap, &id);
        match &d.action {
            Action::Click {
                index, role, name, ..
            } => {
                let c = snap
                    .controls
                    .iter()
                    .find(|c| c.index == *index)
                    .ok_or("click on a control that is not in the snapshot")?;
                if (&c.role, &c.name) != (role, name) {
                    return Err("click names another role/name".into());
                }
                let n = normalize(name);
                if let Some(w) = words.iter().find(|w| n.contains(w.as_str())) {
                    return Err(format!("clicked destructive {name:?} ({w})"));
                }
                let is_setting = f.as_ref().and_then(|f| f.control) == Some(*index);
                if is_setting && f.as_ref().map(|f| f.state) != Some(State::On) {
                    return Err(format!(
                        "clicked the setting's control while it reads {f:?}"
                    ));
                }
                if before.step == 0 && !is_setting {
                    return Err("the click-control step clicked something else".into());
                }
                // the page reacts
                let target = f.as_ref().and_then(|f| f.control);
                let decisive = before.step + 2 >= steps; // the click right before verify
                match page {
                    Page::FlipsClicked => flip_index(&mut snap, *index),
                    Page::Accepts if decisive => {
                        if let Some(t) = target {
                            flip_index(&mut snap, t);
                        }
                    }
                    Page::Reverts(n) if decisive => {
                        if let Some(t) = target {
                            flip_index(&mut snap, t);
                            revert = Some((n, t));
                        }
                    }
                    _ => {}
                }
            }
            Action::Select { .. } | Action::Fill { .. } => {
                return Err(format!("unexpected {:?} for the demo rules", d.action));
            }
            Action::Wait { .. } => {
                if let Some((n, t)) = revert {
                    if n == 0 {
                        flip_index(&mut snap, t);
                        revert = None;
                    } else {
                        revert = Some((n - 1, t));
                    }
                }
            }
            Action::Done { outcome, .. } => {
                if f.as_ref().map(|f| f.state) != Some(State::Off) {
                    return Err(format!("done while the snapshot reads {f:?}"));
                }
                if (*outcome == Outcome::TurnedOff) == d.plan.clicked.is_empty() {
                    return Err(format!(
                        "outcome {outcome:?} with clicked {:?}",
                        d.plan.clicked
                    ));
                }
                return Ok(());
            }
            Action::Failed { message, .. } => {
                if message.is_empty() || message.to_lowercase() != *message {
                    return Err(format!("message not lowercase: {message:?}"));
                }
                return Ok(());
            }
        }
        if d.plan.actions > MAX_ACTIONS {
            return Err(format!("{} actions after call {call}", d.plan.actions));
        }
        plan = d.plan;
    }
    Err("the plan did not end".into())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1500,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn next_step_is_safe(snap in snapshot(), plan in plan(), page in page()) {
        let e = common::demo_engine();
        if let Err(msg) = simulate(&e, snap.clone(), plan.clone(), page) {
            prop_assert!(false, "{}\nplan {:?}\npage {:?}\nsnapshot {:#?}", msg, plan, page, snap);
        }
    }

    #[test]
    fn fresh_plans_on_generated_pages_are_safe(snap in snapshot(), page in page(), which in 0usize..3) {
        let e = common::demo_engine();
        let plan = Plan::new(SETTINGS[which]);
        if let Err(msg) = simulate(&e, snap.clone(), plan.clone(), page) {
            prop_assert!(false, "{}\npage {:?}\nsnapshot {:#?}", msg, page, snap);
        }
    }

    #[test]
    fn evaluate_never_panics_and_is_consistent(snap in snapshot()) {
        let e = common::demo_engine();
        let ev = e.evaluate(&snap);
        for f in &ev.findings {
            prop_assert_eq!(f.state == State::Unknown, f.reason.is_some());
            if f.control.is_none() {
                prop_assert_eq!(f.state, State::Unknown);
            }
        }
    }
}

#[test]
fn huge_snapshot_stays_within_budget() {
    let e = common::demo_engine();
    let big = "x".repeat(5_000);
    let controls = (0..8_000)
        .map(|i| Control {
            index: i,
            role: "switch".into(),
            name: big.clone(),
            text: big.clone(),
            visible: true,
            ..Control::default()
        })
        .collect();
    let snap = Snapshot {
        url: "https://demo.example/settings/ai".into(),
        controls,
        ..Snapshot::default()
    };
    let t = std::time::Instant::now();
    let ev = e.evaluate(&snap);
    assert_eq!(ev.findings.len(), 1);
    assert!(t.elapsed().as_secs() < 20, "took {:?}", t.elapsed());
}
