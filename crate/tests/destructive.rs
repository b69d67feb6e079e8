//! Destructive words (L7) in the seven languages: a control or menu choice whose name says
//! delete, clear, reset, leave, sign out, unlink, revoke ... is never clicked, in any word order
//! ("Clear chat history"), while the words that mean "turn off" stay clickable.
//!
//! Every phrase is tried twice through the engine, on a rule written for the test:
//! `click-control` on a setting whose label is the phrase (reading on), and `choose` with the
//! phrase as the choice's text and a menu item named so.

use crate::common;

use untrain::{Action, Control, Engine, FailReason, Plan, Snapshot};

/// Destructive phrases, by language.
const DESTRUCTIVE: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "Clear chat history",
            "Clear",
            "Delete all chats",
            "Erase everything",
            "Remove from account",
            "Reset all settings",
            "Leave workspace",
            "Sign out",
            "Log out",
            "Logout",
            "Unlink account",
            "Revoke access",
            "Wipe data",
        ],
    ),
    (
        "de",
        &[
            "Alle Chats löschen",
            "Verlauf zurücksetzen",
            "Zurücksetzen",
            "Abmelden",
            "Chats entfernen",
            "Team verlassen",
            "Verlauf leeren",
            "Ausloggen",
        ],
    ),
    (
        "fr",
        &[
            "Supprimer l’historique",
            "Effacer les conversations",
            "Réinitialiser",
            "Quitter l’équipe",
            "Se déconnecter",
            "Déconnexion",
            "Vider l’historique",
        ],
    ),
    (
        "es",
        &[
            "Borrar historial",
            "Eliminar conversaciones",
            "Restablecer",
            "Cerrar sesión",
            "Vaciar historial",
            "Salir del equipo",
            "Desvincular cuenta",
        ],
    ),
    (
        "pt",
        &[
            "Apagar histórico",
            "Apagar",
            "Excluir conversas",
            "Redefinir",
            "Sair",
            "Limpar histórico",
            "Desconectar",
        ],
    ),
    (
        "it",
        &[
            "Cancella cronologia",
            "Cancella",
            "Elimina tutte le chat",
            "Ripristina",
            "Esci",
            "Rimuovi",
            "Svuota cronologia",
            "Scollega account",
        ],
    ),
    (
        "nl",
        &[
            "Verwijder alles",
            "Wis",
            "Wis geschiedenis",
            "Geschiedenis wissen",
            "Opnieuw instellen",
            "Resetten",
            "Uitloggen",
            "Ontkoppelen",
            "Geschiedenis leegmaken",
        ],
    ),
];

/// Words that mean "turn off" (and a dialog's usual buttons): never destructive.
const TURN_OFF: &[&str] = &[
    "Turn off",
    "Turn Off",
    "Opt out",
    "Deactivate",
    "Disable",
    "Disabled",
    "Deaktivieren",
    "Ausschalten",
    "Désactiver",
    "Desactivar",
    "Desativar",
    "Disattiva",
    "Uitschakelen",
    "Uitzetten",
    "Done",
    "Save",
    "Confirm",
    "Got it",
    "Cancel",
    "Close",
    "Continue",
    "Fertig",
    "Speichern",
    "Enregistrer",
    "Guardar",
    "Salvar",
    "Salva",
    "Opslaan",
];

fn toml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// A rule (fixture files are listed, not read) whose setting is labelled `label` (click-control, verify) and another whose menu
/// choice is `choice` (click-control, choose, verify).
fn engine(label: &str, choice: &str) -> Engine {
    let text = format!(
        r#"platform = "gen"
name = "Gen"
hosts = ["gen.example"]
confidence = "low"
sources = ["test"]
version = 1

[[setting]]
id = "gen.toggle"
title = "AI training"
automation = "automatic"
pages = ["/toggle"]
settings_url = "https://gen.example/toggle"
default = "on"
roles = ["switch"]
labels = {{ en = [{label}] }}
steps = [{{ do = "click-control" }}, {{ do = "verify" }}]
{toggle_fixtures}

[[setting]]
id = "gen.menu"
title = "Model training"
automation = "automatic"
pages = ["/menu"]
settings_url = "https://gen.example/menu"
default = "on"
roles = ["button"]
labels = {{ en = ["Model training"] }}
steps = [{{ do = "click-control" }}, {{ do = "choose", text = {{ en = [{choice}] }} }}, {{ do = "verify" }}]
{menu_fixtures}"#,
        label = toml_str(label),
        choice = toml_str(choice),
        toggle_fixtures = common::fixtures_toml("gen", "https://gen.example/toggle"),
        menu_fixtures = common::fixtures_toml("gen", "https://gen.example/menu"),
    );
    let sets = Engine::load_toml(&[("crate/rules/gen.toml", text.as_str())])
        .unwrap_or_else(|e| panic!("{label:?} / {choice:?}: {e:?}"));
    Engine::from_rule_sets(sets).expect("engine")
}

fn control(index: usize, role: &str, name: &str) -> Control {
    Control {
        index,
        role: role.into(),
        tag: "button".into(),
        visible: true,
        name: name.into(),
        text: name.into(),
        ..Control::default()
    }
}

/// The first action of `gen.toggle` on its control named `name`, reading on.
fn click_control(e: &Engine, name: &str) -> Action {
    let mut c = control(0, "switch", name);
    c.aria_checked = Some("true".into());
    let snap = Snapshot {
        url: "https://gen.example/toggle".into(),
        lang: "en".into(),
        controls: vec![c],
        ..Snapshot::default()
    };
    e.next_step(&snap, Plan::new("gen.toggle")).action
}

/// The `choose` step of `gen.menu` with a menu item named `name` open.
fn choose(e: &Engine, name: &str) -> Action {
    let mut toggle = control(0, "button", "Model training");
    toggle.aria_pressed = Some("true".into());
    let snap = Snapshot {
        url: "https://gen.example/menu".into(),
        lang: "en".into(),
        controls: vec![toggle, control(1, "menuitem", name)],
        ..Snapshot::default()
    };
    let plan = Plan {
        step: 1,
        actions: 1,
        clicked: vec![0],
        ..Plan::new("gen.menu")
    };
    e.next_step(&snap, plan).action
}

#[test]
fn destructive_phrases_are_never_clicked_in_seven_languages() {
    let mut failures = Vec::new();
    for (lang, phrases) in DESTRUCTIVE {
        for p in *phrases {
            let e = engine(p, p);
            match click_control(&e, p) {
                Action::Failed {
                    reason: FailReason::NoChoice,
                    ..
                } => {}
                other => failures.push(format!("{lang} {p:?}: click-control: {other:?}")),
            }
            // the choice never appears (only a destructive one): the step waits, never clicks
            let a = choose(&e, p);
            if !matches!(a, Action::Wait { .. }) {
                failures.push(format!("{lang} {p:?}: choose: {a:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn turn_off_words_stay_clickable() {
    let mut failures = Vec::new();
    for p in TURN_OFF {
        let e = engine(&format!("Use my data to train AI: {p}"), p);
        let a = click_control(&e, &format!("Use my data to train AI: {p}"));
        if !matches!(a, Action::Click { index: 0, .. }) {
            failures.push(format!("{p:?}: click-control: {a:?}"));
        }
        let a = choose(&e, p);
        if !matches!(a, Action::Click { index: 1, .. }) {
            failures.push(format!("{p:?}: choose: {a:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
