//! Serde types of a rule file (`crate/rules/<platform>.toml`). Shared with `build.rs`.

#[allow(unused_imports)]
use crate::prelude::*;

use core::fmt;
use core::marker::PhantomData;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use serde::{Deserializer, Serializer};

/// Texts by ISO 639-1 language code (`en`, `de`, ...).
pub type Texts = LangMap<Vec<String>>;

/// A small map by language code, sorted by key, as a TOML table or JSON object. A sorted `Vec`
/// rather than a `BTreeMap`: these maps hold a handful of entries, and `BTreeMap`'s code was
/// kilobytes of the wasm module. Iterates in key order, like a `BTreeMap`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LangMap<V>(Vec<(String, V)>);

impl<V> Default for LangMap<V> {
    fn default() -> Self {
        LangMap(Vec::new())
    }
}

impl<V> LangMap<V> {
    /// An empty map.
    pub fn new() -> Self {
        LangMap(Vec::new())
    }

    fn at(&self, k: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(key, _)| key.as_str().cmp(k))
    }

    /// Sets `k` to `v`; returns the value it replaces.
    pub fn insert(&mut self, k: String, v: V) -> Option<V> {
        match self.at(&k) {
            Ok(i) => self.0.get_mut(i).map(|e| core::mem::replace(&mut e.1, v)),
            Err(i) => {
                self.0.insert(i, (k, v));
                None
            }
        }
    }

    /// The value of `k`.
    pub fn get(&self, k: &str) -> Option<&V> {
        self.at(k).ok().and_then(|i| self.0.get(i)).map(|(_, v)| v)
    }

    /// Whether `k` has a value.
    pub fn contains_key(&self, k: &str) -> bool {
        self.at(k).is_ok()
    }

    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    /// Values in key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a, V> IntoIterator for &'a LangMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = core::iter::Map<
        core::slice::Iter<'a, (String, V)>,
        fn(&'a (String, V)) -> (&'a String, &'a V),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<V> FromIterator<(String, V)> for LangMap<V> {
    fn from_iter<I: IntoIterator<Item = (String, V)>>(it: I) -> Self {
        let mut m = LangMap::new();
        for (k, v) in it {
            m.insert(k, v);
        }
        m
    }
}

impl<V: Serialize> Serialize for LangMap<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for LangMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Map<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Map<V> {
            type Value = LangMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table by language code")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
                let mut m = LangMap::new();
                while let Some((k, v)) = a.next_entry::<String, V>()? {
                    m.insert(k, v);
                }
                Ok(m)
            }
        }
        d.deserialize_map(Map(PhantomData))
    }
}

/// In the JSON Schema: an object whose keys are two lowercase letters (as validation requires).
#[cfg(feature = "schema")]
impl<V: schemars::JsonSchema> schemars::JsonSchema for LangMap<V> {
    fn schema_name() -> alloc::borrow::Cow<'static, str> {
        format!("LangMap_{}", V::schema_name()).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "object",
            "description": "By ISO 639-1 language code (`en`, `de`, ...).",
            "propertyNames": { "pattern": "^[a-z]{2}$" },
            "additionalProperties": generator.subschema_for::<V>(),
        })
    }
}

/// One rule file: a platform and its settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// Platform slug `[a-z0-9-]+`, equals the file stem.
    pub platform: String,
    /// Display name.
    pub name: String,
    /// Exact lowercase hostnames.
    pub hosts: Vec<String>,
    /// Confidence from the research catalogue.
    pub confidence: Confidence,
    /// Where the facts come from; non-empty.
    pub sources: Vec<String>,
    /// Optional free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Rule version, >= 1.
    pub version: i64,
    /// Path patterns of the platform's settings pages, where unknown AI-training controls are
    /// reported as suspected; empty: the union of its settings' `pages`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub settings_pages: Vec<String>,
    /// The platform's settings (`[[setting]]`).
    #[serde(rename = "setting", default)]
    pub settings: Vec<Setting>,
}

/// Confidence level of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// Well documented.
    High,
    /// Partly documented.
    Medium,
    /// Little evidence.
    Low,
}

/// How far public evidence backs a setting's rule (`../shared/research/rule-evidence.md`): the
/// README's coverage table shows it. People and tests only: the shipped rules.json carries none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    /// Page and label (and the control, where a source gives it) backed by an official source or
    /// two independent ones; nothing contradicts them.
    Confirmed,
    /// Partly backed; nothing contradicts it, but key parts are unverified.
    Plausible,
    /// Our own reading: no source for the label or the page.
    Inferred,
    /// Evidence contradicts part of the rule (its notes say which); the fix is pending.
    Mismatch,
}

/// How the setting can be handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Automation {
    /// Untrain turns it off itself.
    Automatic,
    /// Untrain shows the way; the person acts.
    Guided,
    /// Nothing to do by default.
    SafeByDefault,
}

/// Default value of the setting for new accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum DefaultState {
    /// On by default.
    On,
    /// Off by default.
    Off,
    /// Depends on region or account.
    Varies,
}

/// What the wanted (off) state looks like on the control.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum OffMeans {
    /// The control is unchecked when the setting is off.
    #[default]
    Unchecked,
    /// The control is checked when the setting is off (e.g. an "opt out" box).
    Checked,
}

/// One AI-training setting of a platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Setting {
    /// `<platform>.<slug>`, unique across all files.
    pub id: String,
    /// Title as the platform names it.
    pub title: String,
    /// How it is handled.
    pub automation: Automation,
    /// Path patterns of the pages that show the setting (for guided: the form's page).
    pub pages: Vec<String>,
    /// `https://` URL of the settings page (for guided: where the person starts).
    pub settings_url: String,
    /// Default for new accounts.
    pub default: DefaultState,
    /// Optional free strings (regions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// Confidence of this setting when it differs from the platform's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// How far public evidence backs this rule (the README table's column); not embedded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    /// What the off state looks like (automatic, safe-by-default; default `unchecked`).
    #[serde(default)]
    pub off_means: OffMeans,
    /// Roles the control may have (automatic, safe-by-default).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// Control labels by language (automatic, safe-by-default).
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub labels: Texts,
    /// Optional page-level confirmation texts.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub context: Texts,
    /// Texts that rule a control out.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub exclude: Texts,
    /// Extra destructive words never to click.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub never: Vec<String>,
    /// For a `select` control: the option texts that mean off, by language.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub off_option: Texts,
    /// The steps to turn the setting off (automatic, safe-by-default).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// Guided: the form to fill (`https://`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form_url: Option<String>,
    /// Guided: the address to write to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Guided: the subject line of the email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_subject: Option<String>,
    /// Ordered steps for the person, by language (required for guided).
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub instructions: Texts,
    /// Guided: a plain text the person copies, by language.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub prepared_text: LangMap<String>,
    /// Guided: which field of the form page the engine fills with the prepared text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefill: Option<Prefill>,
    /// Fixture pages (`[[setting.fixture]]`); not embedded in the engine.
    #[serde(rename = "fixture", default, skip_serializing_if = "Vec::is_empty")]
    pub fixtures: Vec<Fixture>,
}

/// The form field a guided setting prefills with its prepared text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Prefill {
    /// Roles the field may have (default `["textbox"]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    /// The field's labels by language.
    pub labels: Texts,
    /// Language of `prepared_text` to use; absent: the page's `lang` if there is such a text,
    /// else `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// One step of an opt-out flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What to do.
    #[serde(rename = "do")]
    pub action: StepKind,
    /// For `choose`, `confirm`, `open-tab`, `open` and `close`: the texts to look for, by
    /// language.
    #[serde(default, skip_serializing_if = "LangMap::is_empty")]
    pub text: Texts,
}

/// Kind of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    /// Click the setting's control (only when it reads on).
    ClickControl,
    /// Click a menu choice / option whose name is one of the texts.
    Choose,
    /// Click a confirmation button whose name is one of the texts.
    Confirm,
    /// Before `click-control`: when the control is absent or hidden, click the tab (or the
    /// button that discloses its panel: "Manage AI settings") whose name is one of the texts;
    /// skipped when the control shows.
    OpenTab,
    /// Before `click-control`: the setting's control sits in a dialog (or a panel) that a named
    /// button opens, and that button shows the setting's state as a word ("Improve the model
    /// for everyone Off"). While the control is not shown, the setting is read from the opener;
    /// when it reads on, the opener (the one button whose name is one of the texts) is clicked;
    /// skipped when the control shows already.
    Open,
    /// After `click-control`, once the setting reads off: click the one button in a dialog
    /// whose name is one of the texts ("Done", "Got it") to close it; skipped when there is
    /// none or more than one. Never a destructive button.
    Close,
    /// After `click-control` (and any `choose`/`confirm`), once the setting reads off: click
    /// the page's button whose name is one of the texts ("Save", "Done", "Apply") that keeps
    /// the change. Never skipped: a setting whose Save never appears fails, so a change left
    /// pending is never reported off.
    Save,
    /// Re-read the control until it reads off twice.
    Verify,
}

/// A fixture page for tests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// Path relative to `tests/fixtures/`.
    pub file: String,
    /// URL the page is served at.
    pub url: String,
    /// Expected finding state.
    pub expect: Expect,
}

/// Expected state of a fixture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Expect {
    /// The setting reads on.
    On,
    /// The setting reads off.
    Off,
    /// The control is found but cannot be read safely.
    Unknown,
    /// No control is found.
    Absent,
    /// Guided: the person acts (the finding's state is `manual`).
    Manual,
}

/// A rule problem: `<file>: <rule-or-setting-id>: <field>: <message>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// File path, relative to the repository root where possible.
    pub file: String,
    /// Platform slug or setting id (the file stem when unknown).
    pub id: String,
    /// Field path, e.g. `labels` or `steps[1].text`.
    pub field: String,
    /// Short lowercase message.
    pub message: String,
}

impl RuleError {
    /// Creates an error.
    pub fn new(file: &str, id: &str, field: &str, message: impl Into<String>) -> Self {
        RuleError {
            file: file.to_string(),
            id: id.to_string(),
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl core::fmt::Display for RuleError {
    /// One line, whatever the rule text held: a control character (a newline inside an id
    /// taken from a broken file) is written escaped (`\n`).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        for (i, part) in [&self.file, &self.id, &self.field, &self.message]
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                f.write_str(": ")?;
            }
            for c in part.chars() {
                if c.is_control() {
                    write!(f, "{}", c.escape_default())?;
                } else {
                    write!(f, "{c}")?;
                }
            }
        }
        Ok(())
    }
}

impl core::error::Error for RuleError {}

/// Built-in destructive words: a control whose name holds one is never clicked, whatever the
/// rule says. Written normalised (`text::normalize`: lowercase, accents folded), each matched
/// at a word start of the normalised name (`text::has_stem`: `delet` catches "Delete",
/// "deletion"; `wis$` only the whole word), so reordered wording ("Clear chat history") is
/// caught by one stem. Words that mean "turn off" (deactivate, deaktivieren, désactiver,
/// desactivar, desativar, disattiva, uitschakelen, opt out) are not here: rules click them.
/// Shared with `build.rs`, which leaves out of the shipped rules the `never` words that one
/// of these already catches.
pub const DESTRUCTIVE: &[&str] = &[
    // en
    "delet",
    "erase",
    "erasure",
    "remov",
    "clear",
    "wipe",
    "purge",
    "destroy",
    "reset",
    "leave",
    "quit$",
    "sign out",
    "signout",
    "log out",
    "logout",
    "log off",
    "unlink",
    "disconnect",
    "revoke",
    // de
    "losch",
    "entfern",
    "zurucksetz",
    "abmeld",
    "auslogg",
    "verlass",
    "leeren",
    "trenn",
    // fr
    "supprim",
    "suppression",
    "effac",
    "vider",
    "videz",
    "reinitialis",
    "quitt",
    "deconnect",
    "deconnexion",
    "dissoci",
    "revoqu",
    // es
    "elimin",
    "borra",
    "vaciar",
    "vacia$",
    "restablec",
    "cerrar sesion",
    "salir",
    "abandon",
    "desvincul",
    "revoca",
    "quitar",
    "quita$",
    // pt
    "apag",
    "excluir",
    "exclua$",
    "limpar",
    "limpe$",
    "redefin",
    "sair$",
    "desconect",
    "revog",
    "esvazi",
    // it
    "cancell",
    "rimuov",
    "svuot",
    "ripristin",
    "reimpost",
    "esci$",
    "disconnett",
    "scollega",
    // nl
    "verwijder",
    "wis$",
    "wissen",
    "leegmak",
    "opnieuw instellen",
    "uitlog",
    "verlaat",
    "verlaten",
    "ontkoppel",
];

/// Roles a snapshot control may have (and a rule may name).
pub const KNOWN_ROLES: &[&str] = &[
    "checkbox",
    "switch",
    "radio",
    "button",
    "menuitem",
    "menuitemradio",
    "menuitemcheckbox",
    "option",
    "tab",
    "select",
    "link",
    "textbox",
];
