//! The engine's types as JSON text, with the small reader and writer of [`crate::json`]: what
//! the wasm facade takes and answers, and how the embedded rules are read.
//!
//! Formats are the serde ones of the same types (docs/architecture.md): the native CLI and
//! tests use serde_json, the wasm module this code. `crate/tests/codec.rs` checks that both
//! agree on every fixture page (snapshot, evaluation, the first steps of every plan) and on
//! generated values.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::engine::{
    Action, Decision, Evaluation, FailReason, Finding, MatchedBy, Outcome, PageInfo, Plan, Reason,
    State, Suspect,
};
use crate::json::{parse, write_list, Json, JsonError, Obj};
use crate::rule::model::{
    Automation, Confidence, DefaultState, LangMap, OffMeans, Prefill, RuleSet, Setting, Step,
    StepKind, Texts,
};
use crate::snapshot::{Control, Snapshot};

// ------------------------------------------------------------------ reading
//
// Plain functions rather than generic combinators: every distinct closure handed to a generic
// reader is compiled again, and in wasm that adds up to kilobytes.

type Fields = [(String, Json)];

fn fail<T>(what: &str) -> Result<T, JsonError> {
    Err(JsonError::new(what))
}

fn fields(v: &Json) -> Result<&Fields, JsonError> {
    match v {
        Json::Obj(f) => Ok(f),
        _ => fail("expected an object"),
    }
}

/// The fields of one object, read by name. An absent field takes its default, or is an
/// error when `required`; errors name the field.
struct Rd<'a>(&'a Fields);

impl<'a> Rd<'a> {
    fn new(v: &'a Json) -> Result<Self, JsonError> {
        fields(v).map(Rd)
    }

    /// The value of key `k` (the last one when repeated, as `JSON.parse` does); `Ok(None)`
    /// when absent, an error when absent and `required`.
    fn get(&self, k: &str, required: bool) -> Result<Option<&'a Json>, JsonError> {
        match self.0.iter().rev().find(|(key, _)| key == k) {
            Some((_, v)) => Ok(Some(v)),
            None if required => Err(JsonError::new("missing").within(k)),
            None => Ok(None),
        }
    }

    fn str(&self, k: &str, required: bool) -> Result<String, JsonError> {
        self.get(k, required)?
            .map_or(Ok(String::new()), string)
            .map_err(|e| e.within(k))
    }

    fn opt_str(&self, k: &str) -> Result<Option<String>, JsonError> {
        match self.get(k, false)? {
            None | Some(Json::Null) => Ok(None),
            Some(v) => string(v).map(Some).map_err(|e| e.within(k)),
        }
    }

    fn bool(&self, k: &str) -> Result<bool, JsonError> {
        self.opt_bool(k)?.map_or(Ok(false), |b| {
            b.ok_or_else(|| JsonError::new("expected a boolean").within(k))
        })
    }

    /// `None`: absent; `Some(None)`: null; `Some(Some(b))`.
    fn opt_bool(&self, k: &str) -> Result<Option<Option<bool>>, JsonError> {
        match self.get(k, false)? {
            None => Ok(None),
            Some(Json::Null) => Ok(Some(None)),
            Some(Json::Bool(b)) => Ok(Some(Some(*b))),
            Some(_) => Err(JsonError::new("expected a boolean").within(k)),
        }
    }

    fn int(&self, k: &str, required: bool) -> Result<i64, JsonError> {
        self.get(k, required)?
            .map_or(Ok(0), int)
            .map_err(|e| e.within(k))
    }

    fn index(&self, k: &str) -> Result<usize, JsonError> {
        self.get(k, false)?
            .map_or(Ok(0), index)
            .map_err(|e| e.within(k))
    }

    fn count(&self, k: &str) -> Result<u32, JsonError> {
        self.get(k, false)?
            .map_or(Ok(0), |v| {
                index(v).and_then(|i| u32::try_from(i).or_else(|_| fail("too large")))
            })
            .map_err(|e| e.within(k))
    }

    fn strs(&self, k: &str, required: bool) -> Result<Vec<String>, JsonError> {
        self.get(k, required)?
            .map_or(Ok(Vec::new()), strings)
            .map_err(|e| e.within(k))
    }

    fn lang_map<V>(
        &self,
        k: &str,
        required: bool,
        read: fn(&Json) -> Result<V, JsonError>,
    ) -> Result<LangMap<V>, JsonError> {
        self.get(k, required)?
            .map_or(Ok(LangMap::new()), |v| lang_map(v, read))
            .map_err(|e| e.within(k))
    }

    fn texts(&self, k: &str, required: bool) -> Result<Texts, JsonError> {
        self.lang_map(k, required, strings)
    }

    fn list<T>(
        &self,
        k: &str,
        read: fn(&Json) -> Result<T, JsonError>,
    ) -> Result<Vec<T>, JsonError> {
        self.get(k, false)?
            .map_or(Ok(Vec::new()), |v| list(v, read))
            .map_err(|e| e.within(k))
    }

    /// A unit enum from its kebab-case name; absent: `default` (an error when `None`).
    fn name<T: Copy>(
        &self,
        k: &str,
        names: &'static [(&'static str, T)],
        default: Option<T>,
    ) -> Result<T, JsonError> {
        match self.get(k, default.is_none())? {
            None => default.ok_or_else(|| JsonError::new("missing").within(k)),
            Some(v) => named(v, names).map_err(|e| e.within(k)),
        }
    }
}

fn string(v: &Json) -> Result<String, JsonError> {
    match v {
        Json::Str(s) => Ok(s.clone()),
        _ => fail("expected a string"),
    }
}

fn int(v: &Json) -> Result<i64, JsonError> {
    match v {
        Json::Int(i) => Ok(*i),
        _ => fail("expected an integer"),
    }
}

fn index(v: &Json) -> Result<usize, JsonError> {
    int(v).and_then(|i| usize::try_from(i).or_else(|_| fail("expected an integer >= 0")))
}

fn list<T>(v: &Json, read: fn(&Json) -> Result<T, JsonError>) -> Result<Vec<T>, JsonError> {
    let Json::Arr(items) = v else {
        return fail("expected an array");
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, x) in items.iter().enumerate() {
        out.push(read(x).map_err(|e| e.within(&bracket(i)))?);
    }
    Ok(out)
}

fn bracket(i: usize) -> String {
    let mut s = String::from("[");
    crate::json::write_int(&mut s, i64::try_from(i).unwrap_or(i64::MAX));
    s.push(']');
    s
}

fn strings(v: &Json) -> Result<Vec<String>, JsonError> {
    list(v, string)
}

/// A table by language code, each value read by `read`.
fn lang_map<V>(v: &Json, read: fn(&Json) -> Result<V, JsonError>) -> Result<LangMap<V>, JsonError> {
    let mut m = LangMap::new();
    for (k, x) in fields(v)? {
        m.insert(k.clone(), read(x).map_err(|e| e.within(k))?);
    }
    Ok(m)
}

/// A unit enum from its kebab-case name.
fn named<T: Copy>(v: &Json, names: &'static [(&'static str, T)]) -> Result<T, JsonError> {
    let Json::Str(s) = v else {
        return fail("expected a string");
    };
    names
        .iter()
        .find(|(n, _)| n == s)
        .map(|(_, t)| *t)
        .ok_or_else(|| JsonError::new(["unknown value \"", s, "\""].concat()))
}

/// The name of a unit enum value.
fn name_of<T: PartialEq>(names: &'static [(&'static str, T)], v: &T) -> &'static str {
    names.iter().find(|(_, t)| t == v).map_or("", |(n, _)| n)
}

const CONFIDENCE: &[(&str, Confidence)] = &[
    ("high", Confidence::High),
    ("medium", Confidence::Medium),
    ("low", Confidence::Low),
];
const AUTOMATION: &[(&str, Automation)] = &[
    ("automatic", Automation::Automatic),
    ("guided", Automation::Guided),
    ("safe-by-default", Automation::SafeByDefault),
];
const DEFAULT_STATE: &[(&str, DefaultState)] = &[
    ("on", DefaultState::On),
    ("off", DefaultState::Off),
    ("varies", DefaultState::Varies),
];
const OFF_MEANS: &[(&str, OffMeans)] = &[
    ("unchecked", OffMeans::Unchecked),
    ("checked", OffMeans::Checked),
];
const STEP_KIND: &[(&str, StepKind)] = &[
    ("click-control", StepKind::ClickControl),
    ("choose", StepKind::Choose),
    ("confirm", StepKind::Confirm),
    ("open-tab", StepKind::OpenTab),
    ("open", StepKind::Open),
    ("close", StepKind::Close),
    ("verify", StepKind::Verify),
];
const STATE: &[(&str, State)] = &[
    ("on", State::On),
    ("off", State::Off),
    ("unknown", State::Unknown),
    ("manual", State::Manual),
];
const REASON: &[(&str, Reason)] = &[
    ("ambiguous", Reason::Ambiguous),
    ("unreadable", Reason::Unreadable),
    ("disabled", Reason::Disabled),
    ("absent", Reason::Absent),
];
const MATCHED_BY: &[(&str, MatchedBy)] = &[
    ("label", MatchedBy::Label),
    ("keywords", MatchedBy::Keywords),
];
const OUTCOME: &[(&str, Outcome)] = &[
    ("turned-off", Outcome::TurnedOff),
    ("already-off", Outcome::AlreadyOff),
    ("prefilled", Outcome::Prefilled),
    ("manual", Outcome::Manual),
];
const FAIL_REASON: &[(&str, FailReason)] = &[
    ("unreadable", FailReason::Unreadable),
    ("ambiguous", FailReason::Ambiguous),
    ("absent", FailReason::Absent),
    ("disabled", FailReason::Disabled),
    ("not-accepted", FailReason::NotAccepted),
    ("reverted", FailReason::Reverted),
    ("no-choice", FailReason::NoChoice),
    ("too-many-steps", FailReason::TooManySteps),
    ("bad-plan", FailReason::BadPlan),
];

fn control(v: &Json) -> Result<Control, JsonError> {
    let r = Rd::new(v)?;
    Ok(Control {
        index: r.index("index")?,
        role: r.str("role", false)?,
        tag: r.str("tag", false)?,
        input_type: r.opt_str("input_type")?,
        checked: r.opt_bool("checked")?.flatten(),
        aria_checked: r.opt_str("aria_checked")?,
        aria_pressed: r.opt_str("aria_pressed")?,
        aria_selected: r.opt_str("aria_selected")?,
        aria_expanded: r.opt_str("aria_expanded")?,
        data_state: r.opt_str("data_state")?,
        disabled: r.bool("disabled")?,
        visible: r.bool("visible")?,
        in_dialog: r.bool("in_dialog")?,
        name: r.str("name", false)?,
        text: r.str("text", false)?,
        hint: r.str("hint", false)?,
        value: r.opt_str("value")?,
        options: r.strs("options", false)?,
    })
}

fn snapshot_of(v: &Json) -> Result<Snapshot, JsonError> {
    let r = Rd::new(v)?;
    let controls = r.list("controls", control)?;
    // indices follow the shell's element order: two controls with one index could make a plan
    // name one element and mean another
    for (i, pair) in controls.windows(2).enumerate() {
        if let [a, b] = pair {
            if b.index <= a.index {
                return Err(JsonError::new("not above the previous control's index")
                    .within("index")
                    .within(&bracket(i + 1))
                    .within("controls"));
            }
        }
    }
    Ok(Snapshot {
        url: r.str("url", false)?,
        lang: r.str("lang", false)?,
        title: r.str("title", false)?,
        headings: r.strs("headings", false)?,
        dialogs: r.strs("dialogs", false)?,
        has_password: r.bool("has_password")?,
        truncated: r.bool("truncated")?,
        controls,
    })
}

/// Reads a snapshot (every field optional, as `#[serde(default)]`).
pub fn snapshot(text: &str) -> Result<Snapshot, JsonError> {
    snapshot_of(&parse(text)?)
}

fn plan_of(v: &Json) -> Result<Plan, JsonError> {
    let r = Rd::new(v)?;
    Ok(Plan {
        setting: r.str("setting", true)?,
        step: r.index("step")?,
        waits: r.count("waits")?,
        actions: r.count("actions")?,
        clicked: r.list("clicked", index)?,
        off_reads: r.count("off_reads")?,
        suspect: r.opt_str("suspect")?,
    })
}

/// Reads a plan (`setting` required, the rest optional).
pub fn plan(text: &str) -> Result<Plan, JsonError> {
    plan_of(&parse(text)?)
}

fn step(v: &Json) -> Result<Step, JsonError> {
    let r = Rd::new(v)?;
    Ok(Step {
        action: r.name("do", STEP_KIND, None)?,
        text: r.texts("text", false)?,
    })
}

fn prefill(v: &Json) -> Result<Prefill, JsonError> {
    let r = Rd::new(v)?;
    Ok(Prefill {
        roles: r.strs("roles", false)?,
        labels: r.texts("labels", true)?,
        text: r.opt_str("text")?,
    })
}

fn setting(v: &Json) -> Result<Setting, JsonError> {
    let r = Rd::new(v)?;
    let confidence = match r.get("confidence", false)? {
        None | Some(Json::Null) => None,
        Some(c) => Some(named(c, CONFIDENCE).map_err(|e| e.within("confidence"))?),
    };
    let prefill = match r.get("prefill", false)? {
        None | Some(Json::Null) => None,
        Some(p) => Some(prefill(p).map_err(|e| e.within("prefill"))?),
    };
    Ok(Setting {
        id: r.str("id", true)?,
        title: r.str("title", true)?,
        automation: r.name("automation", AUTOMATION, None)?,
        pages: r.strs("pages", true)?,
        settings_url: r.str("settings_url", true)?,
        default: r.name("default", DEFAULT_STATE, None)?,
        regions: r.strs("regions", false)?,
        confidence,
        // for people only: the embedded rules carry none
        evidence: None,
        off_means: r.name("off_means", OFF_MEANS, Some(OffMeans::Unchecked))?,
        roles: r.strs("roles", false)?,
        labels: r.texts("labels", false)?,
        context: r.texts("context", false)?,
        exclude: r.texts("exclude", false)?,
        never: r.strs("never", false)?,
        off_option: r.texts("off_option", false)?,
        steps: r.list("steps", step)?,
        form_url: r.opt_str("form_url")?,
        email: r.opt_str("email")?,
        email_subject: r.opt_str("email_subject")?,
        instructions: r.texts("instructions", false)?,
        prepared_text: r.lang_map("prepared_text", false, string)?,
        prefill,
        // fixtures are for tests; the embedded rules carry none
        fixtures: Vec::new(),
    })
}

fn rule_set(v: &Json) -> Result<RuleSet, JsonError> {
    let r = Rd::new(v)?;
    Ok(RuleSet {
        platform: r.str("platform", true)?,
        name: r.str("name", true)?,
        hosts: r.strs("hosts", true)?,
        confidence: r.name("confidence", CONFIDENCE, None)?,
        sources: r.strs("sources", false)?,
        notes: r.opt_str("notes")?,
        version: r.int("version", true)?,
        settings_pages: r.strs("settings_pages", false)?,
        settings: r.list("setting", setting)?,
    })
}

/// Reads rule sets as `build.rs` embeds them (serde's JSON of `Vec<RuleSet>`).
pub fn rule_sets(text: &str) -> Result<Vec<RuleSet>, JsonError> {
    list(&parse(text)?, rule_set)
}

// ------------------------------------------------------------------ writing

fn texts_json(out: &mut String, t: &Texts) {
    let mut o = Obj::new(out);
    for (k, v) in t {
        o.strs(k, v);
    }
    o.end();
}

fn opt_name<T: PartialEq>(
    names: &'static [(&'static str, T)],
    v: Option<&T>,
) -> Option<&'static str> {
    v.map(|v| name_of(names, v))
}

/// `classify` answer: `null` or the page info.
pub fn page_info(p: Option<&PageInfo>) -> String {
    let mut out = String::new();
    match p {
        None => out.push_str("null"),
        Some(p) => {
            let mut o = Obj::new(&mut out);
            o.str("platform", &p.platform)
                .str("name", &p.name)
                .bool("settings_page", p.settings_page)
                .strs("roles", &p.roles);
            o.end();
        }
    }
    out
}

fn finding(out: &mut String, f: &Finding) {
    let mut o = Obj::new(out);
    o.str("setting", &f.setting)
        .str("title", &f.title)
        .str("state", name_of(STATE, &f.state))
        .str("label", &f.label);
    match f.control {
        Some(c) => o.uint("control", c),
        None => o.raw("control", "null"),
    };
    o.opt_str("reason", opt_name(REASON, f.reason.as_ref()))
        .opt_str("matched_by", opt_name(MATCHED_BY, f.matched_by.as_ref()))
        .str("automation", name_of(AUTOMATION, &f.automation))
        .int("rule_version", f.rule_version);
    o.end();
}

fn suspect(out: &mut String, s: &Suspect) {
    let mut o = Obj::new(out);
    o.uint("control", s.control)
        .str("label", &s.label)
        .str("state", name_of(STATE, &s.state))
        .str("key", &s.key);
    o.end();
}

/// `evaluate` answer.
pub fn evaluation(ev: &Evaluation) -> String {
    let mut out = String::new();
    let mut o = Obj::new(&mut out);
    o.str("platform", &ev.platform)
        .str("name", &ev.name)
        .bool("signed_out", ev.signed_out);
    write_list(o.key("findings"), &ev.findings, finding);
    write_list(o.key("suspected"), &ev.suspected, suspect);
    o.end();
    out
}

fn plan_json(out: &mut String, p: &Plan) {
    let mut o = Obj::new(out);
    o.str("setting", &p.setting)
        .uint("step", p.step)
        .int("waits", i64::from(p.waits))
        .int("actions", i64::from(p.actions));
    write_list(o.key("clicked"), &p.clicked, |out, i| {
        crate::json::write_int(out, i64::try_from(*i).unwrap_or(i64::MAX));
    });
    o.int("off_reads", i64::from(p.off_reads));
    if let Some(s) = &p.suspect {
        o.str("suspect", s);
    }
    o.end();
}

fn action(out: &mut String, a: &Action) {
    let mut o = Obj::new(out);
    match a {
        Action::Click {
            index,
            role,
            name,
            why,
        } => {
            o.str("kind", "click")
                .uint("index", *index)
                .str("role", role)
                .str("name", name)
                .str("why", why);
        }
        Action::Select {
            index,
            role,
            name,
            option,
            why,
        } => {
            o.str("kind", "select")
                .uint("index", *index)
                .str("role", role)
                .str("name", name)
                .str("option", option)
                .str("why", why);
        }
        Action::Fill {
            index,
            role,
            name,
            text,
            why,
        } => {
            o.str("kind", "fill")
                .uint("index", *index)
                .str("role", role)
                .str("name", name)
                .str("text", text)
                .str("why", why);
        }
        Action::Wait { ms, why } => {
            o.str("kind", "wait")
                .int("ms", i64::from(*ms))
                .str("why", why);
        }
        Action::Done { outcome, label } => {
            o.str("kind", "done")
                .str("outcome", name_of(OUTCOME, outcome))
                .str("label", label);
        }
        Action::Failed { reason, message } => {
            o.str("kind", "failed")
                .str("reason", name_of(FAIL_REASON, reason))
                .str("message", message);
        }
    }
    o.end();
}

/// `next_step` answer.
pub fn decision(d: &Decision) -> String {
    let mut out = String::new();
    let mut o = Obj::new(&mut out);
    plan_json(o.key("plan"), &d.plan);
    action(o.key("action"), &d.action);
    o.end();
    out
}

/// `platforms` answer, written straight from the rule sets: what serde writes for
/// [`crate::Engine::platforms`], without copying every text into `PlatformInfo` first.
pub fn platforms(sets: &[RuleSet]) -> String {
    let mut out = String::new();
    write_list(&mut out, sets, |out, p| {
        let mut o = Obj::new(out);
        o.str("id", &p.platform)
            .str("name", &p.name)
            .str("confidence", name_of(CONFIDENCE, &p.confidence))
            .strs("hosts", &p.hosts)
            .int("version", p.version);
        write_list(o.key("settings"), &p.settings, |out, s| {
            let mut o = Obj::new(out);
            o.str("id", &s.id)
                .str("title", &s.title)
                .str("settings_url", &s.settings_url)
                .str("automation", name_of(AUTOMATION, &s.automation))
                .str("default", name_of(DEFAULT_STATE, &s.default))
                .opt_str("form_url", s.form_url.as_deref())
                .opt_str("email", s.email.as_deref())
                .opt_str("email_subject", s.email_subject.as_deref());
            texts_json(o.key("instructions"), &s.instructions);
            {
                let mut t = Obj::new(o.key("prepared_text"));
                for (k, v) in &s.prepared_text {
                    t.str(k, v);
                }
                t.end();
            }
            o.strs("regions", &s.regions).str(
                "confidence",
                name_of(CONFIDENCE, &s.confidence.unwrap_or(p.confidence)),
            );
            o.end();
        });
        o.end();
    });
    out
}
