//! Safety properties of `next_step` over generated snapshots, plans and page behaviours:
//! never click a control that reads unknown or off, never click a destructive name, `done` only
//! when the current snapshot reads off, and every plan ends within a bounded number of calls.

use crate::common;
use crate::common::sim;

use proptest::prelude::*;
use sim::Page;
use untrain::engine::{MAX_ACTIONS, MAX_WAITS};
use untrain::{Action, Control, Engine, FailReason, Plan, Snapshot, State};

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
        // forged plans too: counters far above their bounds (u32::MAX) must be refused,
        // never counted on
        prop_oneof![6 => Just(0u32), 1 => 0u32..12, 1 => Just(u32::MAX), 1 => any::<u32>()],
        prop_oneof![6 => Just(0u32), 1 => 0u32..30, 1 => Just(u32::MAX), 1 => any::<u32>()],
        prop_oneof![6 => Just(0u32), 1 => 0u32..3, 1 => Just(u32::MAX), 1 => any::<u32>()],
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

fn page() -> impl Strategy<Value = Page> {
    prop_oneof![
        Just(Page::Accepts),
        Just(Page::IgnoresScriptedClicks),
        (0u8..4).prop_map(Page::Reverts),
        Just(Page::FlipsClicked),
        Just(Page::LeavesTo("https://demo.example/feed")),
        Just(Page::LeavesTo("https://demo.example/settings/ai")),
    ]
}

/// Simulates the shell (ask, act, re-harvest) with the shared simulator, which checks every
/// call against the safety promise; an error text names the broken property.
fn simulate(e: &Engine, snap: Snapshot, plan: Plan, page: Page) -> Result<(), String> {
    sim::simulate(e, snap, plan, page).map(|_| ())
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

    /// Forged plans (L6): any counters a `u32` holds, on any page. Nothing panics (no counter
    /// overflows), and a plan above the engine's bounds is refused as `bad-plan`.
    #[test]
    fn forged_counters_are_refused_and_never_overflow(
        snap in snapshot(),
        setting in prop::sample::select(SETTINGS),
        step in 0usize..5,
        waits in prop_oneof![0u32..=MAX_WAITS, Just(u32::MAX), any::<u32>()],
        actions in prop_oneof![0u32..=MAX_ACTIONS, Just(u32::MAX), any::<u32>()],
        off_reads in prop_oneof![0u32..3, Just(u32::MAX), any::<u32>()],
    ) {
        let e = common::demo_engine();
        let plan = Plan { setting: setting.to_string(), step, waits, actions, off_reads, clicked: vec![0], suspect: None };
        let d = e.next_step(&snap, plan.clone());
        if waits > MAX_WAITS || actions > MAX_ACTIONS || off_reads > 2 {
            prop_assert!(
                matches!(d.action, Action::Failed { reason: FailReason::BadPlan, .. }),
                "{:?} -> {:?}", plan, d.action
            );
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
    // A guard against a hang or a blow-up (the work is bounded by MAX_CONTROLS and MAX_CHARS),
    // not a speed test (the benchmark measures speed): a debug build takes ~7 s here alone and
    // took 21 s on a fresh machine's CI run with both cores busy, so the bound is generous.
    assert!(t.elapsed().as_secs() < 90, "took {:?}", t.elapsed());
}
