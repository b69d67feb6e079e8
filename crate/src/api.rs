//! The engine's wire types (what `classify`, `evaluate`, `next_step` and `platforms` answer,
//! and the plan the shell sends back) and the limits that bound a plan. Their JSON shape is
//! fixed by `docs/architecture.md`; serde writes it, natively and in the wasm module.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::rule::model::{Automation, Confidence, DefaultState, LangMap, Texts};
use serde::{Deserialize, Serialize};

/// Controls beyond this many are ignored (budget for huge snapshots).
pub const MAX_CONTROLS: usize = 5000;
/// Most waits in one step of a plan.
pub const MAX_WAITS: u32 = 8;
/// Most actions (clicks and waits) in one plan.
pub const MAX_ACTIONS: u32 = 24;
/// Default wait between reads, in milliseconds.
pub const WAIT_MS: u32 = 250;
/// Wait between the two off reads of `verify`, in milliseconds.
pub const VERIFY_MS: u32 = 700;
/// Off reads in a row that `verify` needs before `done` (and the most a plan carries).
pub const OFF_READS: u32 = 2;

/// Answer of `classify(url)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageInfo {
    /// Platform slug.
    pub platform: String,
    /// Platform name.
    pub name: String,
    /// Some setting's `pages` match the URL.
    pub settings_page: bool,
    /// The control roles the engine ever reads on this platform's pages (sorted): a snapshot
    /// may leave out controls of other roles and the engine answers the same (it filters
    /// them out itself), which keeps the shell's harvest small on busy pages.
    pub roles: Vec<String>,
}

/// State of a setting as read from the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    /// The setting is on (data used for training).
    On,
    /// The setting is off.
    Off,
    /// Not known; see the reason.
    Unknown,
    /// Guided: there is no control; the person acts (form or email).
    Manual,
}

/// How a finding's control was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatchedBy {
    /// By one of the rule's labels (name or row).
    Label,
    /// By the scored keyword fallback (no label matched).
    Keywords,
}

/// The plan `setting` of a suspected control.
pub const SUSPECTED: &str = "suspected";

/// A control on a settings page that reads like AI training but no rule covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspect {
    /// Snapshot index.
    pub control: usize,
    /// The control's name, or its row text when it has none (cut to 200 chars).
    pub label: String,
    /// Read by the polarity of its own wording ("Protect my data from AI training" is off when
    /// checked); `unknown` when that polarity is unclear or the state unreadable.
    pub state: State,
    /// Stable key: the normalised label cut to 120 bytes; send it back as the plan's `suspect`.
    pub key: String,
}

/// Why a finding is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// Two or more controls match equally well.
    Ambiguous,
    /// The control's state signals are missing, conflicting or mixed.
    Unreadable,
    /// The control is disabled.
    Disabled,
    /// No control matches.
    Absent,
}

/// One setting's state on the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Setting id.
    pub setting: String,
    /// Setting title.
    pub title: String,
    /// State.
    pub state: State,
    /// The control's name as shown on the page (`""` if absent).
    pub label: String,
    /// Snapshot index of the control; null when absent or ambiguous.
    pub control: Option<usize>,
    /// For unknown: why.
    pub reason: Option<Reason>,
    /// How the control was matched (null when none was).
    pub matched_by: Option<MatchedBy>,
    /// The setting's automation level.
    pub automation: Automation,
    /// Version of the rule file.
    pub rule_version: i64,
}

/// Answer of `evaluate(snapshot)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Platform slug (`""` when the URL's host is not a known platform).
    pub platform: String,
    /// Platform name.
    pub name: String,
    /// A login form and no known control.
    pub signed_out: bool,
    /// One finding per setting whose pages match the URL.
    pub findings: Vec<Finding>,
    /// On the platform's settings pages: controls that read like AI training and no rule covers.
    pub suspected: Vec<Suspect>,
}

/// A plan in progress (opaque to the shell: it sends back what it got).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// Setting id.
    pub setting: String,
    /// Index of the current step.
    #[serde(default)]
    pub step: usize,
    /// Waits in the current step.
    #[serde(default)]
    pub waits: u32,
    /// Actions (clicks and waits) so far.
    #[serde(default)]
    pub actions: u32,
    /// Snapshot indices clicked so far.
    #[serde(default)]
    pub clicked: Vec<usize>,
    /// Consecutive off reads in the verify step.
    #[serde(default)]
    pub off_reads: u32,
    /// For `setting = "suspected"`: the suspect's key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspect: Option<String>,
}

impl Plan {
    /// A fresh plan for a setting.
    pub fn new(setting: &str) -> Self {
        Plan {
            setting: setting.to_string(),
            ..Plan::default()
        }
    }
}

/// How a finished plan ended well.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Untrain clicked and verified the setting off.
    TurnedOff,
    /// The setting was already off; nothing clicked.
    AlreadyOff,
    /// Guided: the form's field holds the prepared text; the person submits.
    Prefilled,
    /// Guided: nothing for Untrain to do on this page; the person acts.
    Manual,
}

/// Why a plan failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailReason {
    /// The control's state cannot be read.
    Unreadable,
    /// Two or more controls match equally well.
    Ambiguous,
    /// No control found.
    Absent,
    /// The control is disabled.
    Disabled,
    /// The click did not turn the setting off.
    NotAccepted,
    /// The setting turned off and then back on.
    Reverted,
    /// The expected menu choice or button did not appear (or only a destructive one).
    NoChoice,
    /// The step or action bound was hit.
    TooManySteps,
    /// The plan is not valid for this page.
    BadPlan,
}

/// What the shell should do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Action {
    /// Click snapshot control `index` (after checking it still has this role and name).
    Click {
        /// Snapshot index.
        index: usize,
        /// The control's role.
        role: String,
        /// The control's name.
        name: String,
        /// Human readable purpose.
        why: String,
    },
    /// Select the option `option` (an entry of the control's `options`) of snapshot control
    /// `index`, a `<select>`: set its value to that option's and dispatch `input` and `change`.
    Select {
        /// Snapshot index.
        index: usize,
        /// The control's role (`select`).
        role: String,
        /// The control's name.
        name: String,
        /// The option's text, exactly as in the control's `options`.
        option: String,
        /// Human readable purpose.
        why: String,
    },
    /// Put `text` into the text field `index` (set its value, dispatch `input` and `change`);
    /// never submit.
    Fill {
        /// Snapshot index.
        index: usize,
        /// The control's role (`textbox`).
        role: String,
        /// The control's name.
        name: String,
        /// The text.
        text: String,
        /// Human readable purpose.
        why: String,
    },
    /// Wait, re-harvest and ask again.
    Wait {
        /// Milliseconds.
        ms: u32,
        /// Human readable purpose.
        why: String,
    },
    /// Finished: the setting reads off.
    Done {
        /// How.
        outcome: Outcome,
        /// The control's name.
        label: String,
    },
    /// Finished without success; nothing more will be clicked.
    Failed {
        /// Why.
        reason: FailReason,
        /// Human readable, lowercase.
        message: String,
    },
}

/// Answer of `next_step`: the updated plan and the action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// Plan to send back with the next request.
    pub plan: Plan,
    /// What to do now.
    pub action: Action,
}

/// A setting as listed by `platforms()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingInfo {
    /// Setting id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Settings page URL.
    pub settings_url: String,
    /// Automation level.
    pub automation: Automation,
    /// Default state.
    pub default: DefaultState,
    /// Guided: the form.
    pub form_url: Option<String>,
    /// Guided: the address to write to.
    pub email: Option<String>,
    /// Guided: the email's subject.
    pub email_subject: Option<String>,
    /// Steps for the person, by language.
    pub instructions: Texts,
    /// Guided: the text to copy, by language.
    pub prepared_text: LangMap<String>,
    /// Regions (free strings).
    pub regions: Vec<String>,
    /// The setting's confidence (the platform's unless the rule says otherwise).
    pub confidence: Confidence,
}

/// A platform as listed by `platforms()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformInfo {
    /// Platform slug.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Confidence of the rule.
    pub confidence: Confidence,
    /// Hostnames.
    pub hosts: Vec<String>,
    /// Rule version (the popup notices when the rules changed since a platform was checked).
    pub version: i64,
    /// Settings.
    pub settings: Vec<SettingInfo>,
}
