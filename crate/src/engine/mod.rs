//! The rules engine: classifies URLs, reads the settings on a page snapshot and plans the
//! clicks that turn them off.
//!
//! Layers, each using only those above it: [`crate::api`] (wire types), `compiled` (rule texts)
//! and `view` (the page) → `matching`, `suspects` → `decide`, `steps`, `guided`,
//! `suspect_plan` → this module ([`Engine`]).

#[allow(unused_imports)]
use crate::prelude::*;

mod compiled;
mod decide;
mod guided;
pub mod keywords;
mod matching;
mod report;
mod steps;
mod suspect_plan;
mod suspects;
mod view;
mod words;

pub use crate::api::{
    Action, Decision, Evaluation, FailReason, Finding, MatchedBy, Outcome, PageInfo, Plan,
    PlatformInfo, Reason, SettingInfo, State, Suspect, MAX_ACTIONS, MAX_CONTROLS, MAX_WAITS,
    OFF_READS, SUSPECTED, VERIFY_MS, WAIT_MS,
};
pub use crate::vocab::DESTRUCTIVE;
pub use compiled::destructive;
pub use report::{has_vocabulary_stem, MASK, REPORT_FORMAT};
#[cfg(not(target_arch = "wasm32"))]
pub use report::{Report, Seen, Vocabulary};

use compiled::{roles_of, Compiled};
use decide::{bounded, fail};
use matching::{find, finding, Match};
use view::View;

use crate::rule::model::{Automation, RuleSet, Setting};
use crate::snapshot::Snapshot;
use crate::url;

/// The rules engine.
#[derive(Debug, Clone)]
pub struct Engine {
    sets: Vec<RuleSet>,
    compiled: Vec<Vec<Compiled>>,
    /// Per set: the roles its rules read ([`PageInfo::roles`]).
    roles: Vec<Vec<String>>,
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

    /// The platforms and their settings (the popup's list).
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
        let settings_page = on_settings_pages(set, &parts)
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
                ev.findings.push(finding(set, s, c, &view));
            }
        }
        ev.signed_out = snap.has_password
            && ev
                .findings
                .iter()
                .all(|f| f.reason == Some(Reason::Absent) || f.state == State::Manual)
            && ev.findings.iter().any(|f| f.reason == Some(Reason::Absent));
        ev.suspected = suspects::suspects(set, comp, &view, &parts);
        ev
    }

    /// The setting `id`, with the index of its set (for [`Engine::roles_at`]).
    fn lookup(&self, id: &str) -> Option<(usize, &RuleSet, &Setting, &Compiled)> {
        self.sets
            .iter()
            .zip(&self.compiled)
            .enumerate()
            .find_map(|(si, (set, comp))| {
                set.settings
                    .iter()
                    .zip(comp)
                    .find(|(s, _)| s.id == id)
                    .map(|(s, c)| (si, set, s, c))
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
        let Some((si, set, s, c)) = self.lookup(&plan.setting) else {
            return fail(plan, FailReason::BadPlan, "unknown setting");
        };
        let Some(parts) = url::split(&snap.url) else {
            return fail(plan, FailReason::BadPlan, "the page url is not valid");
        };
        if !url::any_host_matches(&set.hosts, &parts.host) {
            // lowercase like every message (`text::lower`: no Unicode tables in the wasm)
            let mut message = String::from("the page is not on ");
            message.extend(set.name.chars().map(crate::text::lower));
            return fail(plan, FailReason::BadPlan, message);
        }
        let view = View::new(snap, self.roles_at(si));
        // the setting is read only on its own pages (as in `evaluate`)
        let on_page = s
            .pages
            .iter()
            .any(|p| url::page_matches(p, parts.path, parts.hash));
        if s.automation == Automation::Guided {
            return guided::guided_step(s, c, &view, &snap.lang, on_page, plan);
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
        let found = match find(s, c, &view) {
            Match::Found(ctl, name, _, _) => Some((ctl, name)),
            _ => None,
        };
        let cx = steps::Ctx {
            s,
            c,
            view: &view,
            finding: finding(set, s, c, &view),
            found,
        };
        steps::step(cx, plan)
    }
}
