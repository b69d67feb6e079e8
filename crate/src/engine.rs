//! Matching, evaluation, step planning and verification.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::keywords;
use crate::rule::model::{
    Automation, Confidence, DefaultState, LangMap, OffMeans, RuleSet, Setting, StepKind, Texts,
};
use crate::snapshot::{read, Control, Reading, Snapshot};
use crate::text::{contains, has_stem, normalize};
use crate::url;
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

pub use crate::rule::model::DESTRUCTIVE;

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

/// Normalised texts of one setting.
#[derive(Debug, Clone)]
struct Compiled {
    labels: Vec<String>,
    context: Vec<String>,
    exclude: Vec<String>,
    never: Vec<String>,
    steps: Vec<Vec<String>>,
    off_option: Vec<String>,
    prefill: Vec<String>,
}

fn norm_all(t: &Texts) -> Vec<String> {
    t.values()
        .flatten()
        .map(|s| normalize(s))
        .filter(|s| !s.is_empty())
        .collect()
}

impl Compiled {
    fn new(s: &Setting) -> Self {
        Compiled {
            labels: norm_all(&s.labels),
            context: norm_all(&s.context),
            exclude: norm_all(&s.exclude),
            never: s
                .never
                .iter()
                .map(|w| normalize(w))
                .filter(|w| !w.is_empty())
                .collect(),
            steps: s.steps.iter().map(|st| norm_all(&st.text)).collect(),
            off_option: norm_all(&s.off_option),
            prefill: s
                .prefill
                .as_ref()
                .map_or_else(Vec::new, |p| norm_all(&p.labels)),
        }
    }

    /// Whether a normalised name holds a built-in destructive word or one of the rule's
    /// `never` words (each at a word start).
    fn destructive(&self, name_n: &str) -> bool {
        destructive(name_n) || self.never.iter().any(|w| has_stem(name_n, w))
    }
}

/// Whether a normalised name holds a built-in destructive word ([`DESTRUCTIVE`]) at a word start.
pub fn destructive(name_n: &str) -> bool {
    DESTRUCTIVE.iter().any(|w| has_stem(name_n, w))
}

/// The label a person sees for the control: its own accessible name when that holds one of
/// the rule's labels; else the rule's label that its row shows (a switch labelled only by its
/// row, a "Turn off" button under the setting's heading); else its name, else its row text.
fn shown_label(s: &Setting, ctl: &Control) -> String {
    let name = normalize(&ctl.name);
    let labels = || s.labels.values().flatten();
    if !name.is_empty() && labels().any(|l| contains(&name, &normalize(l))) {
        return ctl.name.clone();
    }
    let row = normalize(&ctl.text);
    if let Some(l) = labels().find(|l| contains(&row, &normalize(l))) {
        return l.clone();
    }
    if !name.is_empty() {
        return ctl.name.clone();
    }
    ctl.text.chars().take(200).collect()
}

/// What "off" looks like on a control worded so (`name`, `text` normalised), for the keyword
/// fallback and suspects: from its own wording, never from a rule. `None` when the wording's
/// polarity is unclear (never read as on or off). The name decides when it reads like training
/// on its own; else the name and the row must agree (a switch named "Toggle" in a row saying
/// "Protect my posts from AI training").
fn worded(name: &str, text: &str) -> Option<OffMeans> {
    use keywords::{polarity, Polarity};
    let p = if name.is_empty() {
        polarity(text)
    } else if keywords::score(&[name]).weak() {
        polarity(name)
    } else {
        let p = polarity(name);
        if p == polarity(text) {
            p
        } else {
            Polarity::Unclear
        }
    };
    match p {
        Polarity::Affirmative => Some(OffMeans::Unchecked),
        Polarity::Inverted => Some(OffMeans::Checked),
        Polarity::Unclear => None,
    }
}

/// A checkbox-like control's state read with `off` (what off looks like; `None`: unclear):
/// `Ok(true)` when on.
fn on_when(reading: Reading, off: Option<OffMeans>) -> Result<bool, Reason> {
    match (reading, off) {
        (Reading::Disabled, _) => Err(Reason::Disabled),
        (Reading::Checked(checked), Some(OffMeans::Unchecked)) => Ok(checked),
        (Reading::Checked(checked), Some(OffMeans::Checked)) => Ok(!checked),
        _ => Err(Reason::Unreadable),
    }
}

/// Reads a setting's control: `Ok(true)` when the setting is on. `off` is what off looks like:
/// the rule's `off_means` for a label match, the control's own wording for a keyword match
/// ([`worded`]).
/// A `select` is off when its selected option (`value`) is one of the rule's `off_option`s; a
/// select matched by keywords is read only when its wording is affirmative (an option
/// "Disabled" of "Block AI training" would mean on).
fn read_setting(
    c: &Compiled,
    ctl: &Control,
    off: Option<OffMeans>,
    by: MatchedBy,
) -> Result<bool, Reason> {
    if ctl.role == "select" {
        if ctl.disabled {
            return Err(Reason::Disabled);
        }
        let v = normalize(ctl.value.as_deref().unwrap_or(""));
        if v.is_empty() || (by == MatchedBy::Keywords && off != Some(OffMeans::Unchecked)) {
            return Err(Reason::Unreadable);
        }
        return Ok(!c.off_option.contains(&v));
    }
    on_when(read(ctl), off)
}

/// The option of a select control that means off (its text as in `options`).
fn off_option_of(c: &Compiled, ctl: &Control) -> Option<String> {
    c.off_option
        .iter()
        .find_map(|o| ctl.options.iter().find(|opt| normalize(opt) == *o).cloned())
}

/// The prepared text a guided setting fills in: `prefill.text`'s language, else the page's
/// language (primary subtag), else `en`, else the first.
fn prepared_for(s: &Setting, lang: &str) -> Option<String> {
    let p = s.prefill.as_ref()?;
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    p.text
        .as_deref()
        .and_then(|l| s.prepared_text.get(l))
        .or_else(|| s.prepared_text.get(primary))
        .or_else(|| s.prepared_text.get("en"))
        .or_else(|| s.prepared_text.values().next())
        .cloned()
}

/// The key of a suspected control: its normalised name (or row text), cut to 120 bytes.
fn suspect_key(name_n: &str, text_n: &str) -> String {
    let k = if name_n.is_empty() { text_n } else { name_n };
    let mut end = k.len().min(120);
    while !k.is_char_boundary(end) {
        end -= 1;
    }
    k.get(..end).unwrap_or("").trim_end().to_string()
}

/// A snapshot with normalised texts (computed once per call).
struct View<'a> {
    /// The controls of the platform's roles, with their normalised name and row text.
    controls: Vec<(&'a Control, String, String)>,
    /// Texts that may confirm a rule's `context`: title, headings, dialog names.
    page: Vec<String>,
    /// The controls of other roles: only their names count, as context too (a selected "Data
    /// controls" tab). Normalised when a context is not found elsewhere (on a busy page most are
    /// links, and the page's heading usually confirms the context first).
    others: Vec<&'a Control>,
    other_names: core::cell::OnceCell<Vec<String>>,
    lang: &'a str,
}

impl<'a> View<'a> {
    /// Only controls whose role is in `roles` (the platform's, see [`PageInfo::roles`]) are
    /// read; of the others only the name counts, as context. So a snapshot that carries just
    /// index, role and name for those reads the same as a full one (the shell's light harvest).
    fn new(s: &'a Snapshot, roles: &[String]) -> Self {
        let (read, others): (Vec<&Control>, Vec<&Control>) = s
            .controls
            .iter()
            .take(MAX_CONTROLS)
            .partition(|c| roles.contains(&c.role));
        let controls = read
            .into_iter()
            .map(|c| (c, normalize(&c.name), normalize(&c.text)))
            .collect();
        let page = core::iter::once(&s.title)
            .chain(s.headings.iter().take(200))
            .chain(s.dialogs.iter().take(200))
            .map(|t| normalize(t))
            .filter(|t| !t.is_empty())
            .collect();
        View {
            controls,
            page,
            others,
            other_names: core::cell::OnceCell::new(),
            lang: &s.lang,
        }
    }

    /// The normalised names of the controls of other roles (computed on first use).
    fn other_names(&self) -> &[String] {
        self.other_names.get_or_init(|| {
            self.others
                .iter()
                .map(|c| normalize(&c.name))
                .filter(|t| !t.is_empty())
                .collect()
        })
    }

    /// Whether a normalised context text shows anywhere a context may be read.
    fn shows(&self, ctx: &str) -> bool {
        self.page.iter().any(|p| contains(p, ctx))
            || self
                .controls
                .iter()
                .any(|(_, n, t)| contains(n, ctx) || contains(t, ctx))
    }
}

/// Result of looking for a setting's control: the control, its normalised name, how it was
/// matched and what off looks like on it (`None`: its wording's polarity is unclear).
enum Match<'a> {
    Found(&'a Control, &'a str, MatchedBy, Option<OffMeans>),
    Ambiguous,
    Absent,
}

/// The rules engine.
#[derive(Debug, Clone)]
pub struct Engine {
    sets: Vec<RuleSet>,
    compiled: Vec<Vec<Compiled>>,
    /// Per set: the roles its rules read ([`PageInfo::roles`]).
    roles: Vec<Vec<String>>,
}

/// Roles of the controls a suspected setting can be (`suspects`).
const SUSPECT_ROLES: &[&str] = &["checkbox", "switch"];

/// Roles of the controls a step of this kind clicks (`choice`).
fn step_roles(kind: StepKind) -> &'static [&'static str] {
    match kind {
        StepKind::Confirm => &["button"],
        StepKind::OpenTab => &["tab"],
        StepKind::Choose => &["menuitem", "menuitemradio", "option", "radio", "button"],
        StepKind::ClickControl | StepKind::Verify => &[],
    }
}

/// Every role the engine reads for a rule set: its settings' control roles, the roles of
/// their steps and prefill fields, and the suspects' roles. Sorted, without duplicates.
fn roles_of(set: &RuleSet) -> Vec<String> {
    let mut roles: Vec<String> = Vec::new();
    // kept sorted by insertion (a handful of names; `sort` would add kilobytes to the wasm)
    let mut add = |r: &str| {
        if let Err(at) = roles.binary_search_by(|x| x.as_str().cmp(r)) {
            roles.insert(at, r.to_string());
        }
    };
    SUSPECT_ROLES.iter().for_each(|r| add(r));
    for s in &set.settings {
        s.roles.iter().for_each(|r| add(r));
        for st in &s.steps {
            step_roles(st.action).iter().for_each(|r| add(r));
        }
        if let Some(p) = &s.prefill {
            if p.roles.is_empty() {
                add("textbox");
            } else {
                p.roles.iter().for_each(|r| add(r));
            }
        }
    }
    roles
}

/// Whether a plan's counters are within what the engine ever writes: a plan beyond them is
/// forged or corrupt (the shell sends back what it got), and counting on from there could
/// overflow.
fn bounded(plan: &Plan) -> bool {
    plan.waits <= MAX_WAITS
        && plan.actions <= MAX_ACTIONS
        && plan.off_reads <= OFF_READS
        && plan.clicked.len() <= MAX_ACTIONS as usize
}

fn fail(plan: Plan, reason: FailReason, message: impl Into<String>) -> Decision {
    Decision {
        plan,
        action: Action::Failed {
            reason,
            message: message.into(),
        },
    }
}

fn reason_fail(r: Reason) -> (FailReason, &'static str) {
    match r {
        Reason::Ambiguous => (
            FailReason::Ambiguous,
            "more than one control matches; not clicking",
        ),
        Reason::Unreadable => (FailReason::Unreadable, "could not read the setting's state"),
        Reason::Disabled => (FailReason::Disabled, "the setting's control is disabled"),
        Reason::Absent => (FailReason::Absent, "the setting's control was not found"),
    }
}

fn wait(mut plan: Plan, ms: u32, why: &str, exhausted: (FailReason, &str)) -> Decision {
    if plan.waits >= MAX_WAITS {
        return fail(plan, exhausted.0, exhausted.1);
    }
    if plan.actions >= MAX_ACTIONS {
        return fail(plan, FailReason::TooManySteps, "too many steps");
    }
    plan.waits = plan.waits.saturating_add(1);
    plan.actions = plan.actions.saturating_add(1);
    Decision {
        plan,
        action: Action::Wait {
            ms,
            why: why.to_string(),
        },
    }
}

fn select(mut plan: Plan, c: &Control, option: String, why: String) -> Decision {
    if plan.actions >= MAX_ACTIONS {
        return fail(plan, FailReason::TooManySteps, "too many steps");
    }
    plan.actions = plan.actions.saturating_add(1);
    plan.step = plan.step.saturating_add(1);
    plan.waits = 0;
    plan.off_reads = 0;
    plan.clicked.push(c.index);
    Decision {
        plan,
        action: Action::Select {
            index: c.index,
            role: c.role.clone(),
            name: c.name.clone(),
            option,
            why,
        },
    }
}

fn click(mut plan: Plan, c: &Control, why: String) -> Decision {
    if plan.actions >= MAX_ACTIONS {
        return fail(plan, FailReason::TooManySteps, "too many steps");
    }
    plan.actions = plan.actions.saturating_add(1);
    plan.step = plan.step.saturating_add(1);
    plan.waits = 0;
    plan.off_reads = 0;
    plan.clicked.push(c.index);
    Decision {
        plan,
        action: Action::Click {
            index: c.index,
            role: c.role.clone(),
            name: c.name.clone(),
            why,
        },
    }
}

impl Engine {
    /// An engine over rule sets (validated, fixtures not required).
    pub fn from_rule_sets(sets: Vec<RuleSet>) -> Result<Engine, crate::Error> {
        let files: Vec<(String, RuleSet)> = sets
            .into_iter()
            .map(|s| (format!("crate/rules/{}.toml", s.platform), s))
            .collect();
        let errs = crate::rule::validate::validate_all(&files, false);
        if !errs.is_empty() {
            let msgs: Vec<String> = errs.iter().map(ToString::to_string).collect();
            return Err(crate::Error::InvalidRules(msgs.join("; ")));
        }
        Ok(Engine::trusted(files.into_iter().map(|(_, s)| s).collect()))
    }

    /// An engine over rule sets that were validated already (the embedded ones, by `build.rs`).
    pub(crate) fn trusted(sets: Vec<RuleSet>) -> Engine {
        let compiled = sets
            .iter()
            .map(|s| s.settings.iter().map(Compiled::new).collect())
            .collect();
        let roles = sets.iter().map(roles_of).collect();
        Engine {
            sets,
            compiled,
            roles,
        }
    }

    /// The rule sets in use.
    pub fn rule_sets(&self) -> &[RuleSet] {
        &self.sets
    }

    /// The platforms and their settings (the popup's list), as serde types. The wasm facade
    /// writes the same JSON straight from the rule sets (`codec::platforms`, no copies);
    /// `crate/tests/codec.rs` checks the two agree.
    pub fn platforms(&self) -> Vec<PlatformInfo> {
        self.sets
            .iter()
            .map(|s| PlatformInfo {
                id: s.platform.clone(),
                name: s.name.clone(),
                confidence: s.confidence,
                hosts: s.hosts.clone(),
                version: s.version,
                settings: s
                    .settings
                    .iter()
                    .map(|st| SettingInfo {
                        id: st.id.clone(),
                        title: st.title.clone(),
                        settings_url: st.settings_url.clone(),
                        automation: st.automation,
                        default: st.default,
                        form_url: st.form_url.clone(),
                        email: st.email.clone(),
                        email_subject: st.email_subject.clone(),
                        instructions: st.instructions.clone(),
                        prepared_text: st.prepared_text.clone(),
                        regions: st.regions.clone(),
                        confidence: st.confidence.unwrap_or(s.confidence),
                    })
                    .collect(),
            })
            .collect()
    }

    /// The roles set `si` reads (none for an unknown index).
    fn roles_at(&self, si: usize) -> &[String] {
        self.roles.get(si).map_or(&[][..], Vec::as_slice)
    }

    fn set_for_host(&self, host: &str) -> Option<usize> {
        self.sets
            .iter()
            .position(|s| url::any_host_matches(&s.hosts, host))
    }

    /// The platform of a URL, or `None` when its host is not a known platform's.
    pub fn classify(&self, page_url: &str) -> Option<PageInfo> {
        let parts = url::split(page_url)?;
        let si = self.set_for_host(&parts.host)?;
        let set = self.sets.get(si)?;
        let settings_page = Self::on_settings_pages(set, &parts)
            || set.settings.iter().any(|s| {
                s.pages
                    .iter()
                    .any(|p| url::page_matches(p, parts.path, parts.hash))
            });
        Some(PageInfo {
            platform: set.platform.clone(),
            name: set.name.clone(),
            settings_page,
            roles: self.roles.get(si).cloned().unwrap_or_default(),
        })
    }

    fn find<'a>(&self, s: &Setting, c: &Compiled, view: &'a View<'a>) -> Match<'a> {
        // the context confirms the page; a page in a language the context does not cover
        // (by its `lang`) cannot confirm it and is not held against the rule
        let lang = view.lang.split(['-', '_']).next().unwrap_or("");
        let covered = lang.is_empty() || s.context.contains_key(lang);
        if !c.context.is_empty() && covered {
            let seen = c.context.iter().any(|ctx| view.shows(ctx))
                || c.context
                    .iter()
                    .any(|ctx| view.other_names().iter().any(|n| contains(n, ctx)));
            if !seen {
                return Match::Absent;
            }
        }
        let mut cands: Vec<(u8, &'a Control, &'a str, &'a str)> = Vec::new();
        for (ctl, name, text) in &view.controls {
            if !s.roles.contains(&ctl.role) {
                continue;
            }
            if c.exclude
                .iter()
                .any(|x| contains(name, x) || contains(text, x))
            {
                continue;
            }
            let score = if c.labels.iter().any(|l| contains(name, l)) {
                3
            } else if c.labels.iter().any(|l| contains(text, l)) {
                2
            } else if keywords::score(&[name, text]).weak() {
                // of either polarity: "Protect my posts from AI training" is this setting too,
                // read by its own wording (`worded`)
                1
            } else {
                0
            };
            if score >= 1 {
                cands.push((score, ctl, name.as_str(), text.as_str()));
            }
        }
        // a visible candidate beats hidden duplicates
        if cands.iter().any(|(_, ctl, _, _)| ctl.visible) {
            cands.retain(|(_, ctl, _, _)| ctl.visible);
        }
        let Some(best) = cands.iter().map(|(s, _, _, _)| *s).max() else {
            return Match::Absent;
        };
        let mut top = cands.iter().filter(|(s, _, _, _)| *s == best);
        match (top.next(), top.next()) {
            (Some((_, ctl, name, _)), None) if best > 1 => {
                Match::Found(ctl, name, MatchedBy::Label, Some(s.off_means))
            }
            (Some((_, ctl, name, text)), None) => {
                Match::Found(ctl, name, MatchedBy::Keywords, worded(name, text))
            }
            _ => Match::Ambiguous,
        }
    }

    fn finding(&self, set: &RuleSet, s: &Setting, c: &Compiled, view: &View<'_>) -> Finding {
        let mut f = Finding {
            setting: s.id.clone(),
            title: s.title.clone(),
            state: State::Unknown,
            label: String::new(),
            control: None,
            reason: None,
            matched_by: None,
            automation: s.automation,
            rule_version: set.version,
        };
        if s.automation == Automation::Guided {
            f.state = State::Manual;
            if let Some(field) = self.prefill_field(s, c, view) {
                f.label = field.name.clone();
                f.control = Some(field.index);
                f.matched_by = Some(MatchedBy::Label);
            }
            return f;
        }
        match self.find(s, c, view) {
            Match::Absent => f.reason = Some(Reason::Absent),
            Match::Ambiguous => f.reason = Some(Reason::Ambiguous),
            Match::Found(ctl, _, by, off) => {
                f.label = shown_label(s, ctl);
                f.control = Some(ctl.index);
                f.matched_by = Some(by);
                match read_setting(c, ctl, off, by) {
                    Ok(on) => f.state = if on { State::On } else { State::Off },
                    Err(r) => f.reason = Some(r),
                }
            }
        }
        f
    }

    /// The guided setting's prefill field on this page: the one visible, enabled control with a
    /// prefill role whose name (or, failing that, row) holds a prefill label.
    fn prefill_field<'a>(
        &self,
        s: &Setting,
        c: &Compiled,
        view: &'a View<'a>,
    ) -> Option<&'a Control> {
        let p = s.prefill.as_ref()?;
        let default_roles = ["textbox".to_string()];
        let roles: &[String] = if p.roles.is_empty() {
            &default_roles
        } else {
            &p.roles
        };
        let mut best: Option<(u8, &'a Control)> = None;
        let mut tie = false;
        for (ctl, name, text) in &view.controls {
            if !roles.contains(&ctl.role) || !ctl.visible || ctl.disabled {
                continue;
            }
            let score = if c.prefill.iter().any(|l| contains(name, l)) {
                2
            } else if c.prefill.iter().any(|l| contains(text, l)) {
                1
            } else {
                continue;
            };
            match best {
                Some((b, _)) if b > score => {}
                Some((b, _)) if b == score => tie = true,
                _ => {
                    best = Some((score, ctl));
                    tie = false;
                }
            }
        }
        if tie {
            return None;
        }
        best.map(|(_, ctl)| ctl)
    }

    /// Reads every setting of the URL's platform whose pages match the URL, and lists the
    /// suspected controls of its settings pages.
    pub fn evaluate(&self, snap: &Snapshot) -> Evaluation {
        let mut ev = Evaluation {
            platform: String::new(),
            name: String::new(),
            signed_out: false,
            findings: Vec::new(),
            suspected: Vec::new(),
        };
        let Some(parts) = url::split(&snap.url) else {
            return ev;
        };
        let Some(si) = self.set_for_host(&parts.host) else {
            return ev;
        };
        let (Some(set), Some(comp)) = (self.sets.get(si), self.compiled.get(si)) else {
            return ev;
        };
        ev.platform = set.platform.clone();
        ev.name = set.name.clone();
        let view = View::new(snap, self.roles_at(si));
        for (s, c) in set.settings.iter().zip(comp) {
            if s.pages
                .iter()
                .any(|p| url::page_matches(p, parts.path, parts.hash))
            {
                ev.findings.push(self.finding(set, s, c, &view));
            }
        }
        ev.signed_out = snap.has_password
            && ev
                .findings
                .iter()
                .all(|f| f.reason == Some(Reason::Absent) || f.state == State::Manual)
            && ev.findings.iter().any(|f| f.reason == Some(Reason::Absent));
        ev.suspected = self.suspects(set, comp, &view, &parts);
        ev
    }

    /// True when the URL is one of the platform's settings pages (`settings_pages`, or the
    /// union of its automatic and safe-by-default settings' `pages`).
    fn on_settings_pages(set: &RuleSet, parts: &url::Parts<'_>) -> bool {
        let m = |p: &String| url::page_matches(p, parts.path, parts.hash);
        if set.settings_pages.is_empty() {
            set.settings
                .iter()
                .filter(|s| s.automation != Automation::Guided)
                .any(|s| s.pages.iter().any(m))
        } else {
            set.settings_pages.iter().any(m)
        }
    }

    /// Controls of a settings page that read like AI training (strong keyword score) and that
    /// no setting of the platform matches.
    fn suspects(
        &self,
        set: &RuleSet,
        comp: &[Compiled],
        view: &View<'_>,
        parts: &url::Parts<'_>,
    ) -> Vec<Suspect> {
        let mut out: Vec<Suspect> = Vec::new();
        let mut dups: Vec<String> = Vec::new();
        if !Self::on_settings_pages(set, parts) {
            return out;
        }
        // controls a rule matches (or could match by its labels) are not suspects
        let mut taken: Vec<usize> = Vec::new();
        for (s, c) in set.settings.iter().zip(comp) {
            if s.automation == Automation::Guided {
                continue;
            }
            if s.pages
                .iter()
                .any(|p| url::page_matches(p, parts.path, parts.hash))
            {
                if let Match::Found(ctl, _, _, _) = self.find(s, c, view) {
                    taken.push(ctl.index);
                }
            }
        }
        for (ctl, name, text) in &view.controls {
            if !SUSPECT_ROLES.contains(&ctl.role.as_str())
                || !ctl.visible
                || taken.contains(&ctl.index)
            {
                continue;
            }
            if comp.iter().any(|c| {
                c.labels
                    .iter()
                    .any(|l| contains(name, l) || contains(text, l))
            }) {
                continue;
            }
            if !keywords::score(&[name, text]).strong() {
                continue;
            }
            // read by its own wording: "Protect my data from AI training" is on when unchecked;
            // an unclear wording is never read (never clicked)
            let state = match on_when(read(ctl), worded(name, text)) {
                Ok(true) => State::On,
                Ok(false) => State::Off,
                Err(_) => State::Unknown,
            };
            let shown = if ctl.name.trim().is_empty() {
                &ctl.text
            } else {
                &ctl.name
            };
            let key = suspect_key(name, text);
            if key.is_empty() || dups.contains(&key) {
                continue;
            }
            if out.iter().any(|x| x.key == key) {
                // two controls with one key cannot be told apart: report neither
                out.retain(|x| x.key != key);
                dups.push(key);
                continue;
            }
            out.push(Suspect {
                control: ctl.index,
                label: shown.chars().take(200).collect(),
                state,
                key,
            });
        }
        out
    }

    fn lookup(&self, id: &str) -> Option<(&RuleSet, &Setting, &Compiled)> {
        self.sets
            .iter()
            .zip(&self.compiled)
            .find_map(|(set, comp)| {
                set.settings
                    .iter()
                    .zip(comp)
                    .find(|(s, _)| s.id == id)
                    .map(|(s, c)| (set, s, c))
            })
    }

    /// Plans the next action of turning `plan.setting` off on this snapshot.
    /// Start with `Plan::new(id)`; send back the returned plan with the next snapshot.
    pub fn next_step(&self, snap: &Snapshot, plan: Plan) -> Decision {
        if !bounded(&plan) {
            return fail(
                plan,
                FailReason::BadPlan,
                "the plan's counters are out of bounds",
            );
        }
        if plan.setting == SUSPECTED {
            return self.suspect_step(snap, plan);
        }
        let Some((set, s, c)) = self.lookup(&plan.setting) else {
            return fail(plan, FailReason::BadPlan, "unknown setting");
        };
        let Some(parts) = url::split(&snap.url) else {
            return fail(plan, FailReason::BadPlan, "the page url is not valid");
        };
        if !url::any_host_matches(&set.hosts, &parts.host) {
            return fail(
                plan,
                FailReason::BadPlan,
                [
                    "the page is not on ",
                    &set.name.chars().map(crate::text::lower).collect::<String>(),
                ]
                .concat(),
            );
        }
        // the roles of the setting's own set (platform ids are unique)
        let si = self
            .sets
            .iter()
            .position(|x| x.platform == set.platform)
            .unwrap_or(usize::MAX);
        let view = View::new(snap, self.roles_at(si));
        // the setting is read only on its own pages (as in `evaluate`)
        let on_page = s
            .pages
            .iter()
            .any(|p| url::page_matches(p, parts.path, parts.hash));
        if s.automation == Automation::Guided {
            return self.guided_step(s, c, &view, &snap.lang, on_page, plan);
        }
        if plan.step >= s.steps.len() {
            return fail(plan, FailReason::BadPlan, "the plan has no such step");
        }
        // every step acts only on the setting's own pages: a single-page app may move on during
        // a plan, and a menu choice or confirmation on another page is not this setting's
        if !on_page {
            let why = if plan.step == 0 {
                "this is not the setting's page"
            } else {
                "the page left the setting's page"
            };
            return fail(plan, FailReason::BadPlan, why);
        }
        let found = match self.find(s, c, &view) {
            Match::Found(ctl, name, _, _) => Some((ctl, name)),
            _ => None,
        };
        let finding = self.finding(set, s, c, &view);
        self.step(s, c, &view, finding, found, plan)
    }

    #[allow(clippy::too_many_arguments)]
    fn step(
        &self,
        s: &Setting,
        c: &Compiled,
        view: &View<'_>,
        finding: Finding,
        found: Option<(&Control, &str)>,
        mut plan: Plan,
    ) -> Decision {
        let last = s.steps.len().saturating_sub(1);
        let Some(kind) = s.steps.get(plan.step).map(|st| st.action) else {
            return fail(plan, FailReason::BadPlan, "the plan has no such step");
        };
        match kind {
            StepKind::ClickControl => match (finding.state, found) {
                (State::On, Some((ctl, name))) => {
                    if c.destructive(name) {
                        return fail(
                            plan,
                            FailReason::NoChoice,
                            "the control's name contains a destructive word; not clicking",
                        );
                    }
                    if ctl.role == "select" {
                        return match off_option_of(c, ctl) {
                            Some(option) if !c.destructive(&normalize(&option)) => {
                                select(plan, ctl, option, ["turn off ", &s.title].concat())
                            }
                            _ => fail(
                                plan,
                                FailReason::NoChoice,
                                "the list has no option that turns the setting off",
                            ),
                        };
                    }
                    click(plan, ctl, ["turn off ", &s.title].concat())
                }
                (State::Off, _) if plan.clicked.is_empty() => Decision {
                    plan,
                    action: Action::Done {
                        outcome: Outcome::AlreadyOff,
                        label: finding.label,
                    },
                },
                (State::Off, _) => {
                    plan.step = last;
                    plan.waits = 0;
                    plan.off_reads = 0;
                    self.step(s, c, view, finding, found, plan)
                }
                _ => {
                    let r = finding.reason.unwrap_or(Reason::Unreadable);
                    wait(
                        plan,
                        WAIT_MS,
                        "waiting for the setting to render",
                        reason_fail(r),
                    )
                }
            },
            StepKind::OpenTab => {
                if found.is_some_and(|(ctl, _)| ctl.visible) {
                    // the control is shown: this tab is open already
                    plan.step = plan.step.saturating_add(1);
                    plan.waits = 0;
                    return self.step(s, c, view, finding, found, plan);
                }
                let texts = c.steps.get(plan.step).map_or(&[][..], Vec::as_slice);
                match self.choice(kind, texts, c, view, None) {
                    Choice::One(tab) if tab.aria_selected.as_deref() != Some("true") => {
                        // a tab click is not recorded in `clicked` (it changes no setting)
                        let mut d = click(plan, tab, ["open the tab \"", &tab.name, "\""].concat());
                        if matches!(d.action, Action::Click { .. }) {
                            d.plan.clicked.pop();
                        }
                        d
                    }
                    // the tab is selected but the control is not there (yet)
                    Choice::One(_) => wait(
                        plan,
                        WAIT_MS,
                        "waiting for the tab to show the setting",
                        reason_fail(Reason::Absent),
                    ),
                    Choice::Many => fail(
                        plan,
                        FailReason::Ambiguous,
                        "more than one matching tab; not clicking",
                    ),
                    Choice::None => wait(
                        plan,
                        WAIT_MS,
                        "waiting for the tab to appear",
                        (FailReason::NoChoice, "the expected tab did not appear"),
                    ),
                }
            }
            StepKind::Choose | StepKind::Confirm => {
                let texts = c.steps.get(plan.step).map_or(&[][..], Vec::as_slice);
                let own = found.map(|(ctl, _)| ctl.index);
                match self.choice(kind, texts, c, view, own) {
                    Choice::One(ctl) => {
                        let why = if kind == StepKind::Choose {
                            ["choose \"", &ctl.name, "\""].concat()
                        } else {
                            ["confirm \"", &ctl.name, "\""].concat()
                        };
                        click(plan, ctl, why)
                    }
                    Choice::Many => fail(
                        plan,
                        FailReason::Ambiguous,
                        "more than one matching choice; not clicking",
                    ),
                    Choice::None => {
                        if plan.waits >= MAX_WAITS && finding.state == State::Off {
                            plan.step = last;
                            plan.waits = 0;
                            plan.off_reads = 0;
                            return self.step(s, c, view, finding, found, plan);
                        }
                        wait(
                            plan,
                            WAIT_MS,
                            "waiting for the choice to appear",
                            (FailReason::NoChoice, "the expected choice did not appear"),
                        )
                    }
                }
            }
            StepKind::Verify => match finding.state {
                State::Off => {
                    plan.off_reads = plan.off_reads.saturating_add(1);
                    if plan.off_reads >= OFF_READS {
                        let outcome = if plan.clicked.is_empty() {
                            Outcome::AlreadyOff
                        } else {
                            Outcome::TurnedOff
                        };
                        Decision {
                            plan,
                            action: Action::Done {
                                outcome,
                                label: finding.label,
                            },
                        }
                    } else {
                        wait(
                            plan,
                            VERIFY_MS,
                            "checking that the setting stays off",
                            (
                                FailReason::NotAccepted,
                                "the setting did not stay off long enough to check",
                            ),
                        )
                    }
                }
                State::On if plan.off_reads > 0 => fail(
                    plan,
                    FailReason::Reverted,
                    "the setting turned off and then back on",
                ),
                State::On => wait(
                    plan,
                    WAIT_MS,
                    "waiting for the page to accept the change",
                    (
                        FailReason::NotAccepted,
                        "the page did not accept the change",
                    ),
                ),
                State::Unknown | State::Manual => {
                    plan.off_reads = 0;
                    let r = finding.reason.unwrap_or(Reason::Unreadable);
                    wait(
                        plan,
                        WAIT_MS,
                        "waiting to read the setting again",
                        reason_fail(r),
                    )
                }
            },
        }
    }

    /// A guided setting: fill the form's field with the prepared text (never submit).
    fn guided_step(
        &self,
        s: &Setting,
        c: &Compiled,
        view: &View<'_>,
        lang: &str,
        on_page: bool,
        mut plan: Plan,
    ) -> Decision {
        let manual = |plan: Plan| Decision {
            plan,
            action: Action::Done {
                outcome: Outcome::Manual,
                label: String::new(),
            },
        };
        let Some(text) = prepared_for(s, lang) else {
            return manual(plan);
        };
        if !on_page {
            return manual(plan);
        }
        let Some(field) = self.prefill_field(s, c, view) else {
            return wait(
                plan,
                WAIT_MS,
                "waiting for the form's field",
                (FailReason::Absent, "the form's field was not found"),
            );
        };
        let value = normalize(field.value.as_deref().unwrap_or(""));
        let done = |plan: Plan, outcome| Decision {
            plan,
            action: Action::Done {
                outcome,
                label: field.name.clone(),
            },
        };
        if value == normalize(&text) {
            return done(plan, Outcome::Prefilled);
        }
        match plan.step {
            0 if value.is_empty() => {
                if plan.actions >= MAX_ACTIONS {
                    return fail(plan, FailReason::TooManySteps, "too many steps");
                }
                plan.actions = plan.actions.saturating_add(1);
                plan.step = 1;
                plan.waits = 0;
                plan.clicked.push(field.index);
                Decision {
                    plan,
                    action: Action::Fill {
                        index: field.index,
                        role: field.role.clone(),
                        name: field.name.clone(),
                        text,
                        why: ["prefill ", &s.title].concat(),
                    },
                }
            }
            // the person wrote their own text: leave it
            0 => done(plan, Outcome::Manual),
            1 if value.is_empty() => wait(
                plan,
                WAIT_MS,
                "waiting for the form to take the text",
                (FailReason::NotAccepted, "the form did not take the text"),
            ),
            1 => done(plan, Outcome::Manual),
            _ => fail(plan, FailReason::BadPlan, "the plan has no such step"),
        }
    }

    /// A suspected control (`plan.suspect` = its key): click it only when it reads on, then
    /// verify like `verify` (two off reads).
    fn suspect_step(&self, snap: &Snapshot, mut plan: Plan) -> Decision {
        let Some(key) = plan.suspect.clone() else {
            return fail(plan, FailReason::BadPlan, "no suspect key");
        };
        let Some(parts) = url::split(&snap.url) else {
            return fail(plan, FailReason::BadPlan, "the page url is not valid");
        };
        let Some(si) = self.set_for_host(&parts.host) else {
            return fail(
                plan,
                FailReason::BadPlan,
                "the page is not on a known platform",
            );
        };
        let (Some(set), Some(comp)) = (self.sets.get(si), self.compiled.get(si)) else {
            return fail(
                plan,
                FailReason::BadPlan,
                "the page is not on a known platform",
            );
        };
        if !Self::on_settings_pages(set, &parts) {
            return fail(plan, FailReason::BadPlan, "this is not a settings page");
        }
        let view = View::new(snap, self.roles_at(si));
        let sus = self.suspects(set, comp, &view, &parts);
        let found = sus.iter().find(|x| x.key == key);
        let ctl = found.and_then(|x| view.controls.iter().find(|(c, _, _)| c.index == x.control));
        let label = found.map_or(String::new(), |x| x.label.clone());
        match (plan.step, found.map(|x| x.state), ctl) {
            (0, Some(State::On), Some((ctl, name, _))) => {
                if destructive(name) {
                    return fail(
                        plan,
                        FailReason::NoChoice,
                        "the control's name contains a destructive word; not clicking",
                    );
                }
                click(plan, ctl, ["turn off \"", &label, "\""].concat())
            }
            (0, Some(State::Off), _) => Decision {
                plan,
                action: Action::Done {
                    outcome: Outcome::AlreadyOff,
                    label,
                },
            },
            (0, _, _) => wait(
                plan,
                WAIT_MS,
                "waiting for the control",
                (
                    FailReason::Absent,
                    "the control was not found or not readable",
                ),
            ),
            (1, Some(State::Off), _) => {
                plan.off_reads = plan.off_reads.saturating_add(1);
                if plan.off_reads >= OFF_READS {
                    Decision {
                        plan,
                        action: Action::Done {
                            outcome: Outcome::TurnedOff,
                            label,
                        },
                    }
                } else {
                    wait(
                        plan,
                        VERIFY_MS,
                        "checking that the setting stays off",
                        (
                            FailReason::NotAccepted,
                            "the setting did not stay off long enough to check",
                        ),
                    )
                }
            }
            (1, Some(State::On), _) if plan.off_reads > 0 => fail(
                plan,
                FailReason::Reverted,
                "the setting turned off and then back on",
            ),
            (1, Some(State::On), _) => wait(
                plan,
                WAIT_MS,
                "waiting for the page to accept the change",
                (
                    FailReason::NotAccepted,
                    "the page did not accept the change",
                ),
            ),
            (1, _, _) => {
                plan.off_reads = 0;
                wait(
                    plan,
                    WAIT_MS,
                    "waiting to read the setting again",
                    (FailReason::Unreadable, "could not read the setting's state"),
                )
            }
            _ => fail(plan, FailReason::BadPlan, "the plan has no such step"),
        }
    }

    fn choice<'a>(
        &self,
        kind: StepKind,
        texts: &[String],
        c: &Compiled,
        view: &'a View<'a>,
        own: Option<usize>,
    ) -> Choice<'a> {
        let roles = step_roles(kind);
        let mut best: Option<(u8, u8)> = None;
        let mut picks: Vec<&'a Control> = Vec::new();
        for (ctl, name, _) in &view.controls {
            // never the setting's own control (or anything labelled like it), never destructive
            if !ctl.visible
                || ctl.disabled
                || Some(ctl.index) == own
                || !roles.contains(&ctl.role.as_str())
                || c.destructive(name)
                || c.labels.iter().any(|l| contains(name, l))
            {
                continue;
            }
            let quality = if texts.iter().any(|t| t == name) {
                2
            } else if texts.iter().any(|t| contains(name, t)) {
                1
            } else {
                continue;
            };
            let dialog = u8::from(ctl.in_dialog);
            let key = if kind == StepKind::Confirm {
                (dialog, quality)
            } else {
                (quality, dialog)
            };
            match best {
                Some(b) if b > key => {}
                Some(b) if b == key => picks.push(ctl),
                _ => {
                    best = Some(key);
                    picks.clear();
                    picks.push(ctl);
                }
            }
        }
        match picks.as_slice() {
            [] => Choice::None,
            [one] => Choice::One(one),
            _ => Choice::Many,
        }
    }
}

enum Choice<'a> {
    None,
    One(&'a Control),
    Many,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::Control;

    fn engine() -> Engine {
        let text = include_str!("../tests/data/demo.toml");
        let sets =
            Engine::load_toml(&[("crate/tests/data/demo.toml", text)]).expect("valid demo rules");
        Engine::from_rule_sets(sets).expect("engine")
    }

    fn switch(index: usize, name: &str, on: Option<bool>) -> Control {
        Control {
            index,
            role: "switch".into(),
            tag: "button".into(),
            aria_checked: on.map(|b| b.to_string()),
            visible: true,
            name: name.into(),
            text: name.into(),
            ..Control::default()
        }
    }

    fn snap(url: &str, controls: Vec<Control>) -> Snapshot {
        Snapshot {
            url: url.into(),
            controls,
            ..Snapshot::default()
        }
    }

    const AI: &str = "https://demo.example/settings/ai";

    fn first(e: &Engine, s: &Snapshot) -> Finding {
        e.evaluate(s)
            .findings
            .into_iter()
            .next()
            .expect("a finding")
    }

    #[test]
    fn classify_hosts_and_pages() {
        let e = engine();
        let p = e.classify(AI).expect("known");
        assert_eq!((p.platform.as_str(), p.settings_page), ("demo", true));
        assert!(
            !e.classify("https://www.demo.example/feed")
                .expect("known")
                .settings_page
        );
        assert!(
            e.classify("https://demo.example/u/7/privacy#ai")
                .expect("known")
                .settings_page
        );
        assert!(
            !e.classify("https://demo.example/u/7/privacy")
                .expect("known")
                .settings_page
        );
        assert!(e.classify("https://evil.example/settings/ai").is_none());
        assert!(e
            .classify("https://demo.example.evil.com/settings/ai")
            .is_none());
        assert!(e.classify("garbage").is_none());
    }

    #[test]
    fn score_name_beats_row_text() {
        let e = engine();
        let mut row = switch(0, "Toggle", Some(false));
        row.text = "Use my data to train AI. More".into();
        let named = switch(1, "Use my data to train AI", Some(true));
        let f = first(&e, &snap(AI, vec![row.clone(), named]));
        assert_eq!((f.state, f.control), (State::On, Some(1)));
        // row text alone (score 2) is enough
        let f = first(&e, &snap(AI, vec![row]));
        assert_eq!((f.state, f.control), (State::Off, Some(0)));
    }

    #[test]
    fn accents_and_languages_match() {
        let e = engine();
        let c = switch(0, "MEINE Daten fur KI–Training nutzen!", Some(true));
        assert_eq!(first(&e, &snap(AI, vec![c])).state, State::On);
    }

    #[test]
    fn wrong_role_and_excluded_are_ignored() {
        let e = engine();
        let mut b = switch(0, "Use my data to train AI", Some(true));
        b.role = "tab".into();
        let mut x = switch(1, "Use my data to train AI", Some(true));
        x.text = "Use my data to train AI for personalised ads".into();
        let f = first(&e, &snap(AI, vec![b, x]));
        assert_eq!((f.state, f.reason), (State::Unknown, Some(Reason::Absent)));
    }

    #[test]
    fn ties_are_ambiguous() {
        let e = engine();
        let a = switch(0, "Use my data to train AI", Some(true));
        let b = switch(1, "Use my data to train AI (beta)", Some(false));
        let s = snap(AI, vec![a, b]);
        let f = first(&e, &s);
        assert_eq!(
            (f.state, f.reason, f.control),
            (State::Unknown, Some(Reason::Ambiguous), None)
        );
        let d = e.next_step(&s, Plan::new("demo.toggle"));
        assert!(!matches!(d.action, Action::Click { .. }));
    }

    #[test]
    fn visible_beats_hidden_duplicate() {
        let e = engine();
        let mut hidden = switch(0, "Use my data to train AI", Some(false));
        hidden.visible = false;
        let shown = switch(1, "Use my data to train AI", Some(true));
        let f = first(&e, &snap(AI, vec![hidden, shown]));
        assert_eq!((f.state, f.control), (State::On, Some(1)));
    }

    #[test]
    fn state_reasons() {
        let e = engine();
        let mut d = switch(0, "Use my data to train AI", Some(true));
        d.disabled = true;
        assert_eq!(first(&e, &snap(AI, vec![d])).reason, Some(Reason::Disabled));
        let u = switch(0, "Use my data to train AI", None);
        assert_eq!(
            first(&e, &snap(AI, vec![u])).reason,
            Some(Reason::Unreadable)
        );
    }

    #[test]
    fn off_means_checked_and_context() {
        let e = engine();
        let url = "https://demo.example/settings/optout";
        let mut c = switch(0, "Do not use my content for AI", None);
        c.role = "checkbox".into();
        c.tag = "input".into();
        c.checked = Some(true);
        let mut s = snap(url, vec![c]);
        // no context on the page: absent
        assert_eq!(first(&e, &s).reason, Some(Reason::Absent));
        s.headings.push("Your privacy choices".into());
        assert_eq!(first(&e, &s).state, State::Off);
        if let Some(c) = s.controls.get_mut(0) {
            c.checked = Some(false);
        }
        assert_eq!(first(&e, &s).state, State::On);
    }

    #[test]
    fn signed_out() {
        let e = engine();
        let mut s = snap(AI, vec![]);
        s.has_password = true;
        let ev = e.evaluate(&s);
        assert!(ev.signed_out);
        assert_eq!(ev.findings.len(), 1);
        let mut s = snap(AI, vec![switch(0, "Use my data to train AI", Some(true))]);
        s.has_password = true;
        assert!(!e.evaluate(&s).signed_out);
    }

    fn run(e: &Engine, s: &Snapshot, plan: Plan) -> Decision {
        e.next_step(s, plan)
    }

    #[test]
    fn plan_click_then_verify_twice() {
        let e = engine();
        let on = snap(AI, vec![switch(0, "Use my data to train AI", Some(true))]);
        let off = snap(AI, vec![switch(0, "Use my data to train AI", Some(false))]);
        let d = run(&e, &on, Plan::new("demo.toggle"));
        assert!(matches!(d.action, Action::Click { index: 0, .. }), "{d:?}");
        // page not re-rendered yet: wait
        let d = run(&e, &on, d.plan);
        assert!(
            matches!(d.action, Action::Wait { ms: WAIT_MS, .. }),
            "{d:?}"
        );
        let d = run(&e, &off, d.plan);
        assert!(
            matches!(d.action, Action::Wait { ms: VERIFY_MS, .. }),
            "{d:?}"
        );
        let d = run(&e, &off, d.plan);
        assert!(
            matches!(
                d.action,
                Action::Done {
                    outcome: Outcome::TurnedOff,
                    ..
                }
            ),
            "{d:?}"
        );
    }

    #[test]
    fn plan_detects_revert_and_not_accepted() {
        let e = engine();
        let on = snap(AI, vec![switch(0, "Use my data to train AI", Some(true))]);
        let off = snap(AI, vec![switch(0, "Use my data to train AI", Some(false))]);
        let d = run(&e, &on, Plan::new("demo.toggle"));
        let d = run(&e, &off, d.plan);
        let d = run(&e, &on, d.plan);
        assert!(
            matches!(
                d.action,
                Action::Failed {
                    reason: FailReason::Reverted,
                    ..
                }
            ),
            "{d:?}"
        );
        let mut d = run(&e, &on, Plan::new("demo.toggle"));
        for _ in 0..MAX_WAITS {
            d = run(&e, &on, d.plan);
            assert!(matches!(d.action, Action::Wait { .. }), "{d:?}");
        }
        let d = run(&e, &on, d.plan);
        assert!(
            matches!(
                d.action,
                Action::Failed {
                    reason: FailReason::NotAccepted,
                    ..
                }
            ),
            "{d:?}"
        );
    }

    #[test]
    fn plan_already_off_and_bad_plans() {
        let e = engine();
        let off = snap(AI, vec![switch(0, "Use my data to train AI", Some(false))]);
        let d = run(&e, &off, Plan::new("demo.toggle"));
        assert!(matches!(
            d.action,
            Action::Done {
                outcome: Outcome::AlreadyOff,
                ..
            }
        ));
        for plan in [
            Plan::new("nope.x"),
            Plan {
                step: 9,
                ..Plan::new("demo.toggle")
            },
        ] {
            let d = run(&e, &off, plan);
            assert!(matches!(
                d.action,
                Action::Failed {
                    reason: FailReason::BadPlan,
                    ..
                }
            ));
        }
        let other = snap("https://other.example/settings/ai", off.controls.clone());
        let d = run(&e, &other, Plan::new("demo.toggle"));
        assert!(matches!(
            d.action,
            Action::Failed {
                reason: FailReason::BadPlan,
                ..
            }
        ));
        let d = run(
            &e,
            &off,
            Plan {
                actions: MAX_ACTIONS,
                step: 1,
                ..Plan::new("demo.toggle")
            },
        );
        assert!(matches!(
            d.action,
            Action::Wait { .. } | Action::Failed { .. }
        ));
    }

    #[test]
    fn destructive_names_are_never_clicked() {
        let e = engine();
        for name in [
            "Use my data to train AI and delete history",
            "Use my data to train AI – forget me",
        ] {
            let s = snap(AI, vec![switch(0, name, Some(true))]);
            let d = run(&e, &s, Plan::new("demo.toggle"));
            assert!(matches!(d.action, Action::Failed { .. }), "{name}: {d:?}");
        }
    }

    #[test]
    fn menu_flow_chooses_and_confirms() {
        let e = engine();
        let url = "https://demo.example/settings/model";
        let toggle = |on: bool| {
            let mut c = switch(0, "Model training", Some(on));
            c.role = "button".into();
            c.aria_checked = None;
            c.aria_pressed = Some(on.to_string());
            c
        };
        let item = |i: usize, name: &str, dialog: bool| Control {
            index: i,
            role: "menuitem".into(),
            tag: "div".into(),
            visible: true,
            in_dialog: dialog,
            name: name.into(),
            ..Control::default()
        };
        let d = run(&e, &snap(url, vec![toggle(true)]), Plan::new("demo.menu"));
        assert!(matches!(d.action, Action::Click { index: 0, .. }));
        let menu = snap(
            url,
            vec![
                toggle(true),
                item(1, "Turn off and delete data", false),
                item(2, "Turn off", false),
            ],
        );
        let d = run(&e, &menu, d.plan);
        assert!(matches!(d.action, Action::Click { index: 2, .. }), "{d:?}");
        let mut ok = Control {
            role: "button".into(),
            ..item(4, "Confirm", true)
        };
        let cancel = Control {
            role: "button".into(),
            ..item(3, "Cancel", true)
        };
        let dialog = snap(url, vec![toggle(true), cancel, ok.clone()]);
        let d = run(&e, &dialog, d.plan);
        assert!(matches!(d.action, Action::Click { index: 4, .. }), "{d:?}");
        ok.visible = false;
        let done = snap(url, vec![toggle(false)]);
        let d = run(&e, &done, d.plan);
        let d = run(&e, &done, d.plan);
        assert!(
            matches!(
                d.action,
                Action::Done {
                    outcome: Outcome::TurnedOff,
                    ..
                }
            ),
            "{d:?}"
        );
    }

    #[test]
    fn unknown_never_clicks_and_ends() {
        let e = engine();
        let s = snap(AI, vec![switch(0, "Use my data to train AI", None)]);
        let mut plan = Plan::new("demo.toggle");
        for _ in 0..=MAX_WAITS {
            let d = run(&e, &s, plan);
            match d.action {
                Action::Wait { .. } => plan = d.plan,
                Action::Failed { reason, .. } => {
                    assert_eq!(reason, FailReason::Unreadable);
                    return;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        panic!("did not end");
    }

    #[test]
    fn plan_json_shape() {
        let p: Plan = serde_json::from_str(r#"{"setting":"demo.toggle"}"#).expect("plan");
        assert_eq!(p, Plan::new("demo.toggle"));
        let a = Action::Wait {
            ms: 250,
            why: "x".into(),
        };
        assert_eq!(
            serde_json::to_string(&a).expect("json"),
            r#"{"kind":"wait","ms":250,"why":"x"}"#
        );
        let f = Action::Failed {
            reason: FailReason::TooManySteps,
            message: "m".into(),
        };
        assert!(serde_json::to_string(&f)
            .expect("json")
            .contains("\"too-many-steps\""));
    }
}
