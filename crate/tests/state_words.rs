//! Reading a setting's state from words (`engine::words`, lists in `vocab.rs`): a state word
//! next to the label at the end or start of the control's name ("Improve the model for everyone
//! Off"), a row that shows only the word (a chip "On"), the verb of its name ("Turn off your
//! Keep Activity setting" means on), in the seven languages. Conflicting signals (word against
//! aria state, two words) stay unknown, and a word inside a sentence says nothing.

use untrain::snapshot::Control;
use untrain::{Engine, Reason, Snapshot, State};

const RULE: &str = r#"
platform = "words"
name = "Words"
hosts = ["words.example"]
confidence = "high"
sources = ["test data"]
version = 1

[[setting]]
id = "words.keep"
title = "Keep Activity"
automation = "automatic"
pages = ["/settings"]
settings_url = "https://words.example/settings"
default = "on"
roles = ["button", "switch"]
labels = { en = ["Keep Activity", "Improve the model for everyone"], de = ["Aktivitäten speichern", "Das Modell für alle verbessern"], fr = ["Conserver l'activité"], es = ["Guardar actividad"], pt = ["Manter atividade"], it = ["Mantieni attività"], nl = ["Activiteit bewaren"] }
steps = [{ do = "click-control" }, { do = "verify" }]

[[setting.fixture]]
file = "words/on.en.html"
url = "https://words.example/settings"
expect = "on"

[[setting.fixture]]
file = "words/off.en.html"
url = "https://words.example/settings"
expect = "off"

[[setting.fixture]]
file = "words/unknown.en.html"
url = "https://words.example/settings"
expect = "unknown"
"#;

fn engine() -> Engine {
    let sets = Engine::load_toml(&[("crate/rules/words.toml", RULE)]).expect("rules");
    Engine::from_rule_sets(sets).expect("engine")
}

/// A button named `name` whose row reads `row`, with no aria state.
fn button(name: &str, row: &str) -> Control {
    Control {
        index: 0,
        role: "button".into(),
        tag: "button".into(),
        visible: true,
        name: name.into(),
        text: row.into(),
        ..Control::default()
    }
}

fn read(e: &Engine, c: Control) -> (State, Option<Reason>) {
    let snap = Snapshot {
        url: "https://words.example/settings".into(),
        lang: "en".into(),
        controls: vec![c],
        ..Snapshot::default()
    };
    let f = e
        .evaluate(&snap)
        .findings
        .into_iter()
        .next()
        .expect("finding");
    (f.state, f.reason)
}

const ON: (State, Option<Reason>) = (State::On, None);
const OFF: (State, Option<Reason>) = (State::Off, None);
const UNREADABLE: (State, Option<Reason>) = (State::Unknown, Some(Reason::Unreadable));

#[test]
fn a_state_word_after_the_label_in_the_name() {
    let e = engine();
    // ChatGPT's Data controls row: a button whose name ends in the state
    for (name, want) in [
        ("Improve the model for everyone On", ON),
        ("Improve the model for everyone Off", OFF),
        ("Improve the model for everyone Enabled", ON),
        ("Improve the model for everyone Disabled", OFF),
        ("Keep Activity: Allowed", ON),
        ("Keep Activity (Blocked)", OFF),
        // the word before the label
        ("On · Keep Activity", ON),
        // in the seven languages
        ("Das Modell für alle verbessern Aus", OFF),
        ("Aktivitäten speichern An", ON),
        ("Conserver l'activité Désactivé", OFF),
        ("Conserver l'activité Activé", ON),
        ("Guardar actividad Desactivado", OFF),
        ("Manter atividade Ativado", ON),
        ("Mantieni attività Disattivato", OFF),
        ("Activiteit bewaren Uit", OFF),
        ("Activiteit bewaren Aan", ON),
    ] {
        assert_eq!(read(&e, button(name, name)), want, "{name}");
    }
}

#[test]
fn the_verb_of_the_name_says_the_opposite_state() {
    let e = engine();
    for (name, want) in [
        // Gemini's chip: "Turn off ..." is offered while it is on
        ("Turn off your Keep Activity setting", ON),
        ("Turn on your Keep Activity setting", OFF),
        ("Keep Activity deaktivieren", ON),
        ("Einstellung Aktivitäten speichern aktivieren", OFF),
        ("Désactiver le paramètre Conserver l'activité", ON),
        ("Desactivar Guardar actividad", ON),
        ("Ativar Manter atividade", OFF),
        ("Disattiva Mantieni attività", ON),
        ("Activiteit bewaren uitschakelen", ON),
        ("Activiteit bewaren inschakelen", OFF),
    ] {
        assert_eq!(read(&e, button(name, "")), want, "{name}");
    }
}

#[test]
fn a_row_that_shows_only_the_word() {
    let e = engine();
    // the chip's row is its own text "On"; its name is the verb: both agree
    assert_eq!(
        read(&e, button("Turn off your Keep Activity setting", "On")),
        ON
    );
    assert_eq!(
        read(&e, button("Turn on your Keep Activity setting", "Off")),
        OFF
    );
    // a switch named by the label, its row "Keep Activity On": the word next to the label
    let mut c = button("Keep Activity", "Keep Activity On");
    c.role = "switch".into();
    assert_eq!(read(&e, c), ON);
    // the row is the name and then the word
    assert_eq!(read(&e, button("Keep Activity", "Keep Activity Off")), OFF);
}

#[test]
fn conflicting_signals_stay_unknown() {
    let e = engine();
    // the verb against the row's word
    assert_eq!(
        read(&e, button("Turn off your Keep Activity setting", "Off")),
        UNREADABLE
    );
    // the name's word against the row's
    assert_eq!(
        read(
            &e,
            button(
                "Improve the model for everyone On",
                "Improve the model for everyone On Off"
            )
        ),
        UNREADABLE
    );
    // aria against the word, either way
    for (aria, name) in [
        ("true", "Improve the model for everyone Off"),
        ("false", "Improve the model for everyone On"),
    ] {
        let mut c = button(name, name);
        c.role = "switch".into();
        c.aria_checked = Some(aria.into());
        assert_eq!(read(&e, c), UNREADABLE, "{aria} {name}");
    }
    // ... and agreeing with it
    let mut c = button("Improve the model for everyone On", "");
    c.aria_pressed = Some("true".into());
    assert_eq!(read(&e, c), ON);
}

#[test]
fn words_inside_a_sentence_say_nothing() {
    let e = engine();
    for (name, row) in [
        // "turn off" about something else in the setting's row
        (
            "Turn off automatic deletion",
            "Keep Activity Turn off automatic deletion",
        ),
        (
            "Turn off and delete activity",
            "Keep Activity Turn off and delete activity",
        ),
        // the word inside the description
        (
            "Keep Activity",
            "Keep Activity When this setting is off, chats are still saved for 72 hours",
        ),
        ("Keep Activity", "Keep Activity Learn what we train on"),
        (
            "Keep Activity",
            "Keep Activity is on for your account since May",
        ),
        // the verb with the label inside a longer sentence
        (
            "Turn off this if you do not want Keep Activity to save your chats",
            "Keep Activity",
        ),
        ("Keep Activity", "Keep Activity"),
        // no label next to the word
        ("Location Off", "Keep Activity Location Off"),
    ] {
        assert_eq!(read(&e, button(name, row)), UNREADABLE, "{name} | {row}");
    }
}

/// The row button's two `div`s read without a space (`textContent`): the word glued right after
/// the label still counts; a longer word that only starts like a state word does not.
#[test]
fn a_word_glued_to_the_label() {
    let e = engine();
    assert_eq!(
        read(&e, button("Improve the model for everyoneOff", "")),
        OFF
    );
    assert_eq!(read(&e, button("Improve the model for everyoneOn", "")), ON);
    assert_eq!(
        read(&e, button("Improve the model for everyoneOnly", "")),
        UNREADABLE
    );
    assert_eq!(read(&e, button("Keep Activityoffline", "")), UNREADABLE);
}

/// The finding shows the rule's label, not the state word or the verb of the name.
#[test]
fn the_label_shown_is_the_rules() {
    let e = engine();
    for name in ["Turn off your Keep Activity setting", "Keep Activity On"] {
        let snap = Snapshot {
            url: "https://words.example/settings".into(),
            lang: "en".into(),
            controls: vec![button(name, "")],
            ..Snapshot::default()
        };
        let f = e.evaluate(&snap).findings.remove(0);
        assert_eq!(f.label, "Keep Activity", "{name}");
    }
}
