//! The page snapshot the shell sends (see docs/architecture.md) and reading a control's state.

#[allow(unused_imports)]
use crate::prelude::*;

use serde::{Deserialize, Deserializer, Serialize};

/// A page snapshot: page context plus interactive controls.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Snapshot {
    /// Page URL.
    pub url: String,
    /// `<html lang>`, lowercased, may be empty.
    pub lang: String,
    /// Document title.
    pub title: String,
    /// h1-h3 and `[role=heading]` texts.
    pub headings: Vec<String>,
    /// Names of open dialogs.
    pub dialogs: Vec<String>,
    /// A visible password input exists.
    pub has_password: bool,
    /// The harvester hit its bound.
    pub truncated: bool,
    /// Controls in document order: each index above the one before.
    #[serde(deserialize_with = "controls_in_order")]
    pub controls: Vec<Control>,
    /// The light harvest's names of the controls whose roles the engine does not read on this
    /// page (not in `classify(url).roles`), each name once: those controls are then left out of
    /// `controls`, and only their names count, as context. Empty in a full harvest.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<String>,
}

/// Reads `controls`, refusing indices that do not increase: they follow the shell's element
/// order, and two controls with one index could make a plan name one element and mean another.
fn controls_in_order<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Control>, D::Error> {
    let controls = Vec::<Control>::deserialize(d)?;
    match controls.windows(2).position(|w| w[1].index <= w[0].index) {
        None => Ok(controls),
        Some(i) => Err(serde::de::Error::custom(format_args!(
            "controls[{}].index: not above the previous control's index",
            i + 1
        ))),
    }
}

/// One interactive control of the page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Control {
    /// Position in the shell's element list.
    pub index: usize,
    /// Role (`checkbox`, `switch`, `button`, ...).
    pub role: String,
    /// Lowercase tag name.
    pub tag: String,
    /// `type` of an `<input>`, else null.
    pub input_type: Option<String>,
    /// Live `checked` of checkbox/radio inputs, else null.
    pub checked: Option<bool>,
    /// `aria-checked` value.
    pub aria_checked: Option<String>,
    /// `aria-pressed` value.
    pub aria_pressed: Option<String>,
    /// `aria-selected` value.
    pub aria_selected: Option<String>,
    /// `aria-expanded` value.
    pub aria_expanded: Option<String>,
    /// `data-state` value.
    pub data_state: Option<String>,
    /// Disabled property or `aria-disabled="true"`.
    pub disabled: bool,
    /// Rendered and not hidden.
    pub visible: bool,
    /// Inside an open dialog.
    pub in_dialog: bool,
    /// Accessible name.
    pub name: String,
    /// Row text around the control.
    pub text: String,
    /// id, name, data-testid and class (a hint only).
    pub hint: String,
    /// textbox: the current value (`""` if none); select: the selected option's text; else null.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// select: the options' texts, in order; else empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// What a control's state signals say about "checked".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// All signals agree on this value.
    Checked(bool),
    /// No signal, a conflicting or an unreadable one (`mixed`).
    Unreadable,
    /// The control is disabled.
    Disabled,
}

fn bool_attr(v: &str) -> Option<Option<bool>> {
    // Some(Some(b)): signal b; Some(None): unreadable value
    match v.trim().to_ascii_lowercase().as_str() {
        "true" => Some(Some(true)),
        "false" => Some(Some(false)),
        _ => Some(None),
    }
}

fn data_state(v: &str) -> Option<Option<bool>> {
    match v.trim().to_ascii_lowercase().as_str() {
        "checked" | "on" | "active" => Some(Some(true)),
        "unchecked" | "off" | "inactive" => Some(Some(false)),
        "indeterminate" | "mixed" => Some(None),
        _ => None,
    }
}

/// Reads a control's checked state from all its signals.
pub fn read(c: &Control) -> Reading {
    read_with(c, None)
}

/// Reads a control's checked state from all its signals plus one more, `extra`, read
/// elsewhere (the words of its name or row: `Some(Some(b))` says `b`, `Some(None)` is a
/// conflict among them). Every signal must agree.
pub fn read_with(c: &Control, extra: Option<Option<bool>>) -> Reading {
    if c.disabled {
        return Reading::Disabled;
    }
    let mut signals: Vec<Option<bool>> = Vec::with_capacity(5);
    if let Some(s) = extra {
        signals.push(s);
    }
    if let Some(b) = c.checked {
        signals.push(Some(b));
    }
    if let Some(s) = c.aria_checked.as_deref().and_then(bool_attr) {
        signals.push(s);
    }
    if c.tag != "input" {
        if let Some(s) = c.aria_pressed.as_deref().and_then(bool_attr) {
            signals.push(s);
        }
    }
    if let Some(s) = c.data_state.as_deref().and_then(data_state) {
        signals.push(s);
    }
    let mut value = None;
    for s in signals {
        match (s, value) {
            (None, _) => return Reading::Unreadable,
            (Some(b), None) => value = Some(b),
            (Some(b), Some(v)) if b != v => return Reading::Unreadable,
            _ => {}
        }
    }
    value.map_or(Reading::Unreadable, Reading::Checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctl() -> Control {
        Control {
            role: "switch".into(),
            tag: "div".into(),
            visible: true,
            ..Control::default()
        }
    }

    #[test]
    fn native_checked() {
        let c = Control {
            checked: Some(true),
            tag: "input".into(),
            ..ctl()
        };
        assert_eq!(read(&c), Reading::Checked(true));
        let c = Control {
            checked: Some(false),
            tag: "input".into(),
            ..ctl()
        };
        assert_eq!(read(&c), Reading::Checked(false));
    }

    #[test]
    fn aria_checked_values() {
        let c = Control {
            aria_checked: Some("true".into()),
            ..ctl()
        };
        assert_eq!(read(&c), Reading::Checked(true));
        let c = Control {
            aria_checked: Some("false".into()),
            ..ctl()
        };
        assert_eq!(read(&c), Reading::Checked(false));
        let c = Control {
            aria_checked: Some("mixed".into()),
            ..ctl()
        };
        assert_eq!(read(&c), Reading::Unreadable);
    }

    #[test]
    fn aria_pressed_only_off_inputs() {
        let c = Control {
            aria_pressed: Some("true".into()),
            tag: "button".into(),
            ..ctl()
        };
        assert_eq!(read(&c), Reading::Checked(true));
        let c = Control {
            aria_pressed: Some("true".into()),
            tag: "input".into(),
            ..ctl()
        };
        assert_eq!(read(&c), Reading::Unreadable);
    }

    #[test]
    fn data_state_values() {
        for (v, want) in [
            ("checked", Reading::Checked(true)),
            ("on", Reading::Checked(true)),
            ("active", Reading::Checked(true)),
            ("unchecked", Reading::Checked(false)),
            ("off", Reading::Checked(false)),
            ("inactive", Reading::Checked(false)),
            ("indeterminate", Reading::Unreadable),
            ("mixed", Reading::Unreadable),
            ("open", Reading::Unreadable),
        ] {
            let c = Control {
                data_state: Some(v.into()),
                ..ctl()
            };
            assert_eq!(read(&c), want, "{v}");
        }
        // ignored value next to a real signal
        let c = Control {
            data_state: Some("open".into()),
            aria_checked: Some("true".into()),
            ..ctl()
        };
        assert_eq!(read(&c), Reading::Checked(true));
    }

    #[test]
    fn conflicts_and_missing() {
        assert_eq!(read(&ctl()), Reading::Unreadable);
        let c = Control {
            checked: Some(true),
            aria_checked: Some("false".into()),
            ..ctl()
        };
        assert_eq!(read(&c), Reading::Unreadable);
        let c = Control {
            checked: Some(true),
            aria_checked: Some("true".into()),
            data_state: Some("checked".into()),
            ..ctl()
        };
        assert_eq!(read(&c), Reading::Checked(true));
    }

    #[test]
    fn disabled_wins() {
        let c = Control {
            checked: Some(true),
            disabled: true,
            ..ctl()
        };
        assert_eq!(read(&c), Reading::Disabled);
    }
}
