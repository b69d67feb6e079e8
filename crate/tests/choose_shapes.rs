//! Choosing a value, verified by the value the page shows afterwards (issue #12, item 3), on one
//! small page per shape: a menu button whose `role=menu` holds `menuitemradio` items (GitHub's
//! policies), a button that opens a `role=listbox` of `role=option`s, a native `<select>` (the
//! `select` action with the rule's `off_option`), and a radio group (the off radio is the
//! control, `off_means = "checked"`, as Medium's rule has it). Each: on, off, unreadable, the
//! change taken and verified, a change the page did not take never reported off, a second run
//! that clicks nothing.

use crate::common::{click_name, done, failed, until_action};
use untrain::harvest::harvest;
use untrain::{Action, Engine, FailReason, Outcome, Plan, Snapshot, State};

const RULES: &str = r#"
platform = "shapes"
name = "Shapes"
hosts = ["shapes.example"]
confidence = "low"
sources = ["test pages"]
version = 1

[[setting]]
id = "shapes.menu"
title = "Use my data for AI training"
automation = "automatic"
pages = ["/menu"]
settings_url = "https://shapes.example/menu"
default = "on"
roles = ["button"]
steps = [{ do = "click-control" }, { do = "choose", text = { en = ["Disabled"] } }, { do = "verify" }]
labels = { en = ["Use my data for AI training"] }

[[setting]]
id = "shapes.listbox"
title = "Use my data for AI training"
automation = "automatic"
pages = ["/listbox"]
settings_url = "https://shapes.example/listbox"
default = "on"
roles = ["button"]
steps = [{ do = "click-control" }, { do = "choose", text = { en = ["Off"] } }, { do = "verify" }]
labels = { en = ["Use my data for AI training"] }

[[setting]]
id = "shapes.select"
title = "Use my data for AI training"
automation = "automatic"
pages = ["/select"]
settings_url = "https://shapes.example/select"
default = "on"
roles = ["select"]
off_option = { en = ["Disabled"] }
steps = [{ do = "click-control" }, { do = "verify" }]
labels = { en = ["Use my data for AI training"] }

[[setting]]
id = "shapes.radio"
title = "AI training"
automation = "automatic"
pages = ["/radio"]
settings_url = "https://shapes.example/radio"
default = "on"
off_means = "checked"
roles = ["radio"]
steps = [{ do = "click-control" }, { do = "verify" }]
labels = { en = ["Do not use my data for AI training"] }
"#;

/// `RULES` with the fixture entries the validator asks for (these pages are made here, not
/// files).
fn rules() -> String {
    let mut out = String::new();
    for (i, part) in RULES.split("\n[[setting]]\n").enumerate() {
        if i > 0 {
            out.push_str("\n[[setting]]\n");
        }
        out.push_str(part);
        if let Some(at) = part.find("pages = [\"") {
            let path = &part[at + 10..];
            let path = &path[..path.find('"').unwrap_or(0)];
            for expect in ["on", "off", "unknown"] {
                out.push_str(&format!(
                    "\n[[setting.fixture]]\nfile = \"shapes{path}/{expect}.en.html\"\n\
                     url = \"https://shapes.example{path}\"\nexpect = \"{expect}\"\n"
                ));
            }
        }
    }
    out
}

fn engine() -> Engine {
    let text = rules();
    let sets = Engine::load_toml(&[("crate/rules/shapes.toml", text.as_str())]).expect("rules");
    Engine::from_rule_sets(sets).expect("engine")
}

fn page(path: &str, body: &str) -> Snapshot {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><title>Settings</title></head><body>\
         <h1>Privacy</h1>{body}</body></html>"
    );
    harvest(&html, &format!("https://shapes.example{path}"))
}

fn state(e: &Engine, s: &Snapshot, id: &str) -> State {
    e.evaluate(s)
        .findings
        .into_iter()
        .find(|f| f.setting == id)
        .map(|f| f.state)
        .expect("finding")
}

/// A menu button showing `value` (empty: a skeleton), its menu open or not, items of `role`.
fn menu(value: &str, open: bool, role: &str, popup: &str, items: &[&str]) -> String {
    let items: String = items
        .iter()
        .map(|i| {
            let sel = if role == "option" {
                format!("aria-selected=\"{}\"", *i == value)
            } else {
                format!("aria-checked=\"{}\"", *i == value)
            };
            format!("<li role=\"{role}\" {sel}>{i}</li>")
        })
        .collect();
    format!(
        "<div class=\"row\"><span id=\"l\">Use my data for AI training</span>\
         <div class=\"menu\"><button type=\"button\" aria-haspopup=\"{popup}\" \
         aria-labelledby=\"l v\"><span id=\"v\">{value}</span></button>\
         <ul role=\"{popup}\"{hidden}>{items}</ul></div></div>\
         <div class=\"row\"><span id=\"l2\">Show AI features</span>\
         <div class=\"menu\"><button type=\"button\" aria-haspopup=\"{popup}\" \
         aria-labelledby=\"l2 v2\"><span id=\"v2\">Enabled</span></button>\
         <ul role=\"{popup}\" hidden><li role=\"{role}\">Enabled</li>\
         <li role=\"{role}\">Disabled</li></ul></div></div>",
        hidden = if open { "" } else { " hidden" },
    )
}

/// The menu-button shapes: the control is the button (read from its value word), click-control
/// opens the popup, choose clicks the off item (never the neighbour's), verify reads the word.
fn menu_shape(id: &str, path: &str, role: &str, popup: &str, on: &str, off: &str) {
    let e = engine();
    let items = [on, off];
    let at = |value: &str, open: bool| page(path, &menu(value, open, role, popup, &items));
    assert_eq!(state(&e, &at(on, false), id), State::On);
    assert_eq!(state(&e, &at(off, false), id), State::Off);
    assert_eq!(state(&e, &at("", false), id), State::Unknown);
    // the flow
    let d = e.next_step(&at(on, false), Plan::new(id));
    assert_eq!(
        click_name(&d),
        ("button".into(), format!("Use my data for AI training {on}"))
    );
    let d = e.next_step(&at(on, true), d.plan);
    assert_eq!(click_name(&d), (role.into(), off.into()));
    let d = until_action(&e, &at(off, false), d.plan);
    assert_eq!(done(&d), Some(Outcome::TurnedOff), "{id}: {d:?}");
    assert_eq!(d.plan.clicked.len(), 2);
    // the page did not take the choice (the word still says on): never off
    let d = e.next_step(&at(on, false), Plan::new(id));
    let d = e.next_step(&at(on, true), d.plan);
    let d = until_action(&e, &at(on, false), d.plan);
    assert_eq!(failed(&d), Some(FailReason::NotAccepted), "{id}: {d:?}");
    // the popup never opens: no choice, nothing but the button clicked
    let d = e.next_step(&at(on, false), Plan::new(id));
    let d = until_action(&e, &at(on, false), d.plan);
    assert_eq!(failed(&d), Some(FailReason::NoChoice), "{id}: {d:?}");
    assert_eq!(d.plan.clicked.len(), 1);
    // unreadable: nothing clicked
    let d = until_action(&e, &at("", false), Plan::new(id));
    assert_eq!(failed(&d), Some(FailReason::Unreadable), "{id}: {d:?}");
    assert!(d.plan.clicked.is_empty());
    // the second run clicks nothing
    let d = e.next_step(&at(off, false), Plan::new(id));
    assert_eq!(done(&d), Some(Outcome::AlreadyOff), "{id}: {d:?}");
    assert!(d.plan.clicked.is_empty());
}

#[test]
fn a_menu_button_with_menuitemradio_items() {
    menu_shape(
        "shapes.menu",
        "/menu",
        "menuitemradio",
        "menu",
        "Enabled",
        "Disabled",
    );
}

#[test]
fn a_button_that_opens_a_listbox_of_options() {
    menu_shape(
        "shapes.listbox",
        "/listbox",
        "option",
        "listbox",
        "On",
        "Off",
    );
}

#[test]
fn a_native_select_is_set_to_its_off_option_and_verified_by_its_value() {
    let e = engine();
    let id = "shapes.select";
    let at = |value: &str| {
        let opts: String = ["Enabled", "Disabled"]
            .iter()
            .map(|o| {
                let sel = if *o == value { " selected" } else { "" };
                format!("<option{sel}>{o}</option>")
            })
            .collect();
        page(
            "/select",
            &format!(
                "<label for=\"s\">Use my data for AI training</label>\
                 <select id=\"s\">{opts}</select>\
                 <label for=\"t\">Show AI features</label>\
                 <select id=\"t\"><option selected>Enabled</option><option>Disabled</option></select>"
            ),
        )
    };
    assert_eq!(state(&e, &at("Enabled"), id), State::On);
    assert_eq!(state(&e, &at("Disabled"), id), State::Off);
    let d = e.next_step(&at("Enabled"), Plan::new(id));
    match &d.action {
        Action::Select { option, name, .. } => {
            assert_eq!(
                (option.as_str(), name.as_str()),
                ("Disabled", "Use my data for AI training")
            )
        }
        other => panic!("want a select, got {other:?}"),
    }
    let taken = until_action(&e, &at("Disabled"), d.plan.clone());
    assert_eq!(done(&taken), Some(Outcome::TurnedOff), "{taken:?}");
    // the page kept "Enabled": never off
    let kept_on = until_action(&e, &at("Enabled"), d.plan);
    assert_eq!(
        failed(&kept_on),
        Some(FailReason::NotAccepted),
        "{kept_on:?}"
    );
    // a list without the off option: nothing is selected
    let odd = page(
        "/select",
        "<label for=\"s\">Use my data for AI training</label>\
         <select id=\"s\"><option selected>Enabled</option><option>Ask me</option></select>",
    );
    let d = until_action(&e, &odd, Plan::new(id));
    assert_eq!(failed(&d), Some(FailReason::NoChoice), "{d:?}");
    // the second run changes nothing
    let d = e.next_step(&at("Disabled"), Plan::new(id));
    assert_eq!(done(&d), Some(Outcome::AlreadyOff), "{d:?}");
}

#[test]
fn a_radio_group_is_set_by_its_off_radio_and_verified_by_it() {
    let e = engine();
    let id = "shapes.radio";
    let at = |off: bool, aria: Option<bool>| {
        let (a, b) = if off {
            ("", " checked")
        } else {
            (" checked", "")
        };
        let aria = aria.map_or(String::new(), |x| format!(" aria-checked=\"{x}\""));
        page(
            "/radio",
            &format!(
                "<fieldset><legend>AI training</legend>\
                 <label><input type=\"radio\" name=\"ai\"{a}> Use my data for AI training</label>\
                 <label><input type=\"radio\" name=\"ai\"{b}{aria}> Do not use my data for AI training</label>\
                 </fieldset>"
            ),
        )
    };
    assert_eq!(state(&e, &at(false, None), id), State::On);
    assert_eq!(state(&e, &at(true, None), id), State::Off);
    assert_eq!(state(&e, &at(false, Some(true)), id), State::Unknown);
    let d = e.next_step(&at(false, None), Plan::new(id));
    assert_eq!(
        click_name(&d),
        ("radio".into(), "Do not use my data for AI training".into())
    );
    let taken = until_action(&e, &at(true, None), d.plan.clone());
    assert_eq!(done(&taken), Some(Outcome::TurnedOff), "{taken:?}");
    let kept_on = until_action(&e, &at(false, None), d.plan);
    assert_eq!(
        failed(&kept_on),
        Some(FailReason::NotAccepted),
        "{kept_on:?}"
    );
    let d = until_action(&e, &at(false, Some(true)), Plan::new(id));
    assert!(failed(&d).is_some() && d.plan.clicked.is_empty(), "{d:?}");
    let d = e.next_step(&at(true, None), Plan::new(id));
    assert_eq!(done(&d), Some(Outcome::AlreadyOff), "{d:?}");
}
