//! The safety promise over hostile page behaviours and over generated RULE FILES (safety.rs
//! generates snapshots and plans for the fixed demo rules):
//!
//! - a page that ignores scripted clicks, flips the setting back after our click, or moves to
//!   another page of its host, ends as `failed` with a reason (not-accepted / reverted /
//!   no-choice / bad-plan), a message, within
//!   `MAX_ACTIONS + 1` calls, and the setting's control is clicked at most once;
//! - for any generated rule file, loading either fails with errors that name file, rule and field
//!   on one line, or gives an engine that, on generated pages, never clicks an unknown or off
//!   control, never clicks a destructive name, reports `done` only on an off read, and ends.

use crate::common;
use crate::common::sim;

use proptest::prelude::*;
use sim::{simulate, End, Page};
use untrain::engine::MAX_ACTIONS;
use untrain::{Control, Engine, FailReason, Outcome, Plan, Snapshot};

// ---------------------------------------------------------------- hostile pages, demo rules

/// The setting's control reading `on`, for each demo setting, plus the page context it needs.
fn on_page(which: usize) -> (&'static str, &'static str, Control, Vec<String>) {
    let base = Control {
        visible: true,
        ..Control::default()
    };
    match which {
        0 => (
            "demo.toggle",
            "https://demo.example/settings/ai",
            Control {
                role: "switch".into(),
                tag: "button".into(),
                aria_checked: Some("true".into()),
                name: "Use my data to train AI".into(),
                text: "Use my data to train AI".into(),
                ..base
            },
            vec![],
        ),
        1 => (
            "demo.optout",
            "https://demo.example/settings/optout",
            Control {
                role: "checkbox".into(),
                tag: "input".into(),
                input_type: Some("checkbox".into()),
                checked: Some(false),
                name: "Do not use my content for AI".into(),
                text: "Do not use my content for AI".into(),
                ..base
            },
            vec!["Privacy choices".into()],
        ),
        _ => (
            "demo.menu",
            "https://demo.example/settings/model",
            Control {
                role: "button".into(),
                tag: "button".into(),
                aria_pressed: Some("true".into()),
                name: "Model training".into(),
                text: "Model training".into(),
                ..base
            },
            vec![],
        ),
    }
}

/// Neighbouring controls a real page has: destructive buttons, other switches, menu look-alikes.
fn noise() -> impl Strategy<Value = Control> {
    (
        prop::sample::select(
            &[
                ("button", "Delete all chats"),
                ("button", "Turn off and delete data"),
                ("menuitem", "Erase history"),
                ("switch", "Personalised ads"),
                ("switch", "Improve the model for everyone"),
                ("button", "Cancel"),
                ("link", "Learn more"),
                ("checkbox", "Email me"),
            ][..],
        ),
        prop::option::of(any::<bool>()),
        any::<bool>(),
    )
        .prop_map(|((role, name), on, dialog)| Control {
            role: role.into(),
            tag: "button".into(),
            aria_checked: on.map(|b| b.to_string()),
            visible: true,
            in_dialog: dialog,
            name: name.into(),
            text: name.into(),
            ..Control::default()
        })
}

fn hostile_page() -> impl Strategy<Value = Page> {
    prop_oneof![
        Just(Page::IgnoresScriptedClicks),
        (0u8..6).prop_map(Page::Reverts),
        Just(Page::LeavesTo("https://demo.example/feed")),
    ]
}

fn layout(which: usize, mut others: Vec<Control>, at: usize) -> (String, Snapshot) {
    let (id, url, ctl, headings) = on_page(which);
    let at = at.min(others.len());
    others.insert(at, ctl);
    for (i, c) in others.iter_mut().enumerate() {
        c.index = i * 3 + 1; // indices need not be dense
    }
    (
        id.to_string(),
        Snapshot {
            url: url.into(),
            lang: "en".into(),
            headings,
            controls: others,
            ..Snapshot::default()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 600,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Ignoring scripted clicks or reverting ends as `failed` with a reason, quickly, and the
    /// setting is clicked at most once (no click loop).
    #[test]
    fn hostile_pages_end_failed_not_in_a_loop(
        which in 0usize..3,
        others in prop::collection::vec(noise(), 0..6),
        at in 0usize..7,
        page in hostile_page(),
    ) {
        let e = common::demo_engine();
        let (id, snap) = layout(which, others, at);
        let run = simulate(&e, snap.clone(), Plan::new(&id), page)
            .map_err(|m| TestCaseError::fail(format!("{m}\n{page:?}\n{snap:#?}")))?;
        // A revert during the verify window (before the second off read, >= VERIFY_MS after
        // the first) is caught here; a later one only after `done`, by the content script's
        // after-done watcher (e2e: optout/hostile2 revert tests). Either way: one click.
        if let (Page::Reverts(n), End::Done(Outcome::TurnedOff)) = (page, &run.end) {
            prop_assert!(n > 0, "a revert at the first wait must be caught");
            prop_assert!(run.setting_clicks == 1);
            return Ok(());
        }
        let End::Failed(reason) = run.end else {
            return Err(TestCaseError::fail(format!("{page:?} ended {:?}", run.end)));
        };
        let want: &[FailReason] = match (page, which) {
            // the page moved on after the first click: no further step acts there
            (Page::LeavesTo(_), _) => &[FailReason::BadPlan],
            // a menu flow whose first click is ignored never shows its choice
            (_, 2) => &[FailReason::NoChoice, FailReason::Ambiguous],
            (Page::IgnoresScriptedClicks, _) => &[FailReason::NotAccepted],
            (Page::Reverts(_), _) => &[FailReason::Reverted],
            _ => &[],
        };
        prop_assert!(want.contains(&reason), "{:?} -> {:?}, want {:?}", page, reason, want);
        prop_assert!(run.setting_clicks <= 1, "setting clicked {} times", run.setting_clicks);
        prop_assert!(run.calls <= MAX_ACTIONS as usize + 1, "{} calls", run.calls);
    }

    /// The same pages when they accept the click: a simple toggle ends `done` (turned off).
    #[test]
    fn accepting_pages_end_done(
        which in 0usize..2,
        others in prop::collection::vec(noise(), 0..6),
        at in 0usize..7,
    ) {
        let e = common::demo_engine();
        let (id, snap) = layout(which, others, at);
        let run = simulate(&e, snap, Plan::new(&id), Page::Accepts)
            .map_err(TestCaseError::fail)?;
        prop_assert_eq!(run.end, End::Done(Outcome::TurnedOff));
        prop_assert_eq!(run.setting_clicks, 1);
    }
}

// ---------------------------------------------------------------- generated rule files

const LABELS: &[&str] = &[
    "Use my data to train AI",
    "Improve the model for everyone",
    "Allow training on my content",
    "Delete my data used for AI",       // destructive: never clickable
    "Remove my posts from AI training", // destructive
    "KI-Training mit meinen Daten",
    "استخدام بياناتي لتدريب الذكاء الاصطناعي",
    "Use my da\u{200B}ta to train AI",
    "",
    "—",
    "\u{202E}IA ecnarT",
];
const PAGES: &[&str] = &[
    "/settings/ai",
    "/settings/*",
    "/**",
    "/u/*/privacy#ai",
    "settings",
    "/a b",
    "/x?y",
    "/settings/***",
    "/#a#b",
];
const ROLES: &[&str] = &["switch", "checkbox", "button", "menuitem", "toggle", ""];
const STEPS: &[&str] = &[
    r#"[{ do = "click-control" }, { do = "verify" }]"#,
    r#"[{ do = "click-control" }, { do = "choose", text = { en = ["Turn off"] } }, { do = "verify" }]"#,
    r#"[{ do = "click-control" }, { do = "choose", text = { en = ["Turn off"] } }, { do = "confirm", text = { en = ["Confirm"] } }, { do = "verify" }]"#,
    r#"[{ do = "click-control" }, { do = "choose" }, { do = "verify" }]"#,
    r#"[{ do = "click-control" }, { do = "confirm", text = {} }, { do = "verify" }]"#,
    r#"[{ do = "click-control" }]"#,
    r#"[{ do = "verify" }, { do = "click-control" }]"#,
    r#"[]"#,
    r#"[{ do = "jump" }]"#,
    r#"[{ do = "click-control", text = { en = ["x"] } }, { do = "verify" }]"#,
];

#[derive(Debug, Clone)]
struct GenRule {
    label: &'static str,
    page: &'static str,
    roles: Vec<&'static str>,
    steps: &'static str,
    off_means: &'static str,
    never: Option<&'static str>,
    context: Option<&'static str>,
    exclude: Option<&'static str>,
    extra_field: bool,
    fixtures: bool,
    dup_setting: bool,
}

fn gen_rule() -> impl Strategy<Value = GenRule> {
    (
        prop::sample::select(LABELS),
        prop::sample::select(PAGES),
        prop::collection::vec(prop::sample::select(ROLES), 0..3),
        prop::sample::select(STEPS),
        prop::sample::select(&["unchecked", "checked", "maybe"][..]),
        prop::option::of(prop::sample::select(&["forget me", "ai", "—"][..])),
        prop::option::of(prop::sample::select(&["Privacy choices", "Nope"][..])),
        prop::option::of(prop::sample::select(&["ads", "train"][..])),
        (
            prop::bool::weighted(0.1),
            prop::bool::weighted(0.9),
            prop::bool::weighted(0.1),
        ),
    )
        .prop_map(
            |(label, page, roles, steps, off_means, never, context, exclude, (extra, fx, dup))| {
                GenRule {
                    label,
                    page,
                    roles,
                    steps,
                    off_means,
                    never,
                    context,
                    exclude,
                    extra_field: extra,
                    fixtures: fx,
                    dup_setting: dup,
                }
            },
        )
}

fn toml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default() // JSON string escapes are valid TOML basic strings
}

fn render(r: &GenRule) -> String {
    let roles: Vec<String> = r.roles.iter().map(|x| toml_str(x)).collect();
    let settings_url = format!(
        "https://gen.example{}",
        r.page.replace("**", "a/b").replace('*', "x")
    );
    let mut setting = format!(
        "[[setting]]\nid = \"gen.ai\"\ntitle = \"AI training\"\nautomation = \"automatic\"\n\
         pages = [{page}]\nsettings_url = {url}\ndefault = \"on\"\noff_means = \"{off}\"\n\
         roles = [{roles}]\nlabels = {{ en = [{label}] }}\nsteps = {steps}\n",
        page = toml_str(r.page),
        url = toml_str(&settings_url),
        off = r.off_means,
        roles = roles.join(", "),
        label = toml_str(r.label),
        steps = r.steps,
    );
    if let Some(n) = r.never {
        setting.push_str(&format!("never = [{}]\n", toml_str(n)));
    }
    if let Some(c) = r.context {
        setting.push_str(&format!("context = {{ en = [{}] }}\n", toml_str(c)));
    }
    if let Some(x) = r.exclude {
        setting.push_str(&format!("exclude = {{ en = [{}] }}\n", toml_str(x)));
    }
    if r.extra_field {
        setting.push_str("colour = \"red\"\n");
    }
    if r.fixtures {
        for expect in ["on", "off", "unknown"] {
            setting.push_str(&format!(
                "\n[[setting.fixture]]\nfile = \"gen/{expect}.en.html\"\nurl = {}\nexpect = \"{expect}\"\n",
                toml_str(&settings_url)
            ));
        }
    }
    let mut text = String::from(
        "platform = \"gen\"\nname = \"Gen\"\nhosts = [\"gen.example\"]\nconfidence = \"low\"\n\
         sources = [\"generated\"]\nversion = 1\n\n",
    );
    text.push_str(&setting);
    if r.dup_setting {
        text.push('\n');
        text.push_str(&setting);
    }
    text
}

/// A page for a generated rule: controls named from the label pool in random states.
fn gen_page() -> impl Strategy<Value = (Vec<Control>, bool, Page)> {
    (
        prop::collection::vec(
            (
                prop::sample::select(LABELS),
                prop::sample::select(ROLES),
                prop::option::of(any::<bool>()),
                prop::option::of(prop::sample::select(&["true", "false", "mixed"][..])),
                prop::bool::weighted(0.1),
                prop::bool::weighted(0.9),
            ),
            0..6,
        ),
        any::<bool>(),
        prop_oneof![
            Just(Page::Accepts),
            Just(Page::IgnoresScriptedClicks),
            (0u8..4).prop_map(Page::Reverts),
            Just(Page::FlipsClicked),
        ],
    )
        .prop_map(|(cs, heading, page)| {
            let controls = cs
                .into_iter()
                .enumerate()
                .map(
                    |(i, (name, role, checked, aria, disabled, visible))| Control {
                        index: i,
                        role: role.into(),
                        tag: "input".into(),
                        checked,
                        aria_checked: aria.map(str::to_string),
                        disabled,
                        visible,
                        name: name.into(),
                        text: name.into(),
                        ..Control::default()
                    },
                )
                .collect();
            (controls, heading, page)
        })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 800,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn generated_rule_files_are_rejected_clearly_or_run_safely(
        rule in gen_rule(),
        (controls, heading, page) in gen_page(),
    ) {
        const FILE: &str = "crate/rules/gen.toml";
        let text = render(&rule);
        match Engine::load_toml(&[(FILE, text.as_str())]) {
            Err(errs) => {
                prop_assert!(!errs.is_empty());
                for e in &errs {
                    prop_assert_eq!(e.file.as_str(), FILE);
                    prop_assert!(!e.id.is_empty() && !e.field.is_empty() && !e.message.is_empty(), "{}", e);
                    prop_assert!(!e.to_string().contains('\n'), "{}", e);
                    prop_assert!(e.id == "gen" || e.id.starts_with("gen."), "{}", e);
                }
            }
            Ok(sets) => {
                // things the validator must have refused
                prop_assert!(!rule.extra_field && rule.fixtures && !rule.dup_setting, "{:?}", rule);
                prop_assert!(!rule.label.trim().is_empty() && rule.label != "—");
                let e = Engine::from_rule_sets(sets).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let url = format!("https://gen.example{}", rule.page.replace("**", "a/b").replace('*', "x"));
                let snap = Snapshot {
                    url,
                    headings: if heading { vec!["Privacy choices".into()] } else { vec![] },
                    controls,
                    ..Snapshot::default()
                };
                simulate(&e, snap.clone(), Plan::new("gen.ai"), page)
                    .map_err(|m| TestCaseError::fail(format!("{m}\nrule:\n{text}\npage {page:?}\n{snap:#?}")))?;
            }
        }
    }
}
