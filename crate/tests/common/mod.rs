//! Helpers shared by the integration tests.
#![allow(dead_code)]

use untrain::{Control, Engine};

/// Where the malformed-rule tables pretend their file lives.
pub const FILE: &str = "crate/rules/demo.toml";

/// A valid rule file that the malformed-rule tables break one field at a time.
pub const GOOD: &str = include_str!("../data/good-rule.toml");

/// `GOOD` with the first `from` replaced by `to` (`from` must be in it).
pub fn bad(from: &str, to: &str) -> String {
    assert!(
        GOOD.contains(from),
        "test bug: {from:?} not in the good file"
    );
    GOOD.replacen(from, to, 1)
}

/// The test-only rule set (crate/tests/data/demo.toml).
pub fn demo_engine() -> Engine {
    let text = include_str!("../data/demo.toml");
    let sets = Engine::load_toml(&[("crate/tests/data/demo.toml", text)]).expect("demo rules");
    Engine::from_rule_sets(sets).expect("engine")
}

fn flip_word(v: &str) -> Option<&'static str> {
    Some(match v.trim().to_ascii_lowercase().as_str() {
        "true" => "false",
        "false" => "true",
        "checked" => "unchecked",
        "unchecked" => "checked",
        "on" => "off",
        "off" => "on",
        "active" => "inactive",
        "inactive" => "active",
        _ => return None,
    })
}

/// What a page does when a control is clicked: flip every state signal it exposes.
pub fn flip(c: &mut Control) {
    if let Some(b) = c.checked {
        c.checked = Some(!b);
    }
    for v in [&mut c.aria_checked, &mut c.aria_pressed, &mut c.data_state] {
        if let Some(f) = v.as_deref().and_then(flip_word) {
            *v = Some(f.to_string());
        }
    }
}
