//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod phrases;
pub mod sim;

use std::path::{Path, PathBuf};
use untrain::harvest::harvest;
use untrain::{
    Action, Control, Decision, Engine, Evaluation, FailReason, Outcome, Plan, RuleSet, Snapshot,
    SUSPECTED,
};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// Every `crate/rules/*.toml` as `(path, text)`, sorted by path.
pub fn rule_files() -> Vec<(String, String)> {
    let dir = root().join("crate/rules");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|x| x == "toml"));
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy();
            (
                format!("crate/rules/{name}"),
                std::fs::read_to_string(p).expect("readable rule file"),
            )
        })
        .collect()
}

/// A fixture page of `crate/rules`, harvested natively at its URL.
pub struct FixturePage<'a> {
    /// The rule file the fixture belongs to.
    pub set: &'a RuleSet,
    /// The setting that lists it.
    pub setting: &'a untrain::Setting,
    /// The fixture entry.
    pub fixture: &'a untrain::rule::model::Fixture,
    /// Its snapshot.
    pub snapshot: Snapshot,
}

impl FixturePage<'_> {
    /// `"<setting id> <fixture file>"`, for assertion messages.
    pub fn tag(&self) -> String {
        format!("{} {}", self.setting.id, self.fixture.file)
    }
}

/// Every fixture page the rule sets list, in rule-file order, each harvested natively.
pub fn fixture_pages(sets: &[RuleSet]) -> Vec<FixturePage<'_>> {
    let mut out = Vec::new();
    for set in sets {
        for setting in &set.settings {
            for fixture in &setting.fixtures {
                let path = root().join("tests/fixtures").join(&fixture.file);
                let html = std::fs::read_to_string(&path)
                    .unwrap_or_else(|err| panic!("{}: {err}", path.display()));
                let snapshot = harvest(&html, &fixture.url);
                out.push(FixturePage {
                    set,
                    setting,
                    fixture,
                    snapshot,
                });
            }
        }
    }
    out
}

/// A fresh plan for every setting of `set` and for every suspect of `ev`.
pub fn fresh_plans(set: &RuleSet, ev: &Evaluation) -> Vec<Plan> {
    let mut plans: Vec<Plan> = set.settings.iter().map(|x| Plan::new(&x.id)).collect();
    for sus in &ev.suspected {
        let mut p = Plan::new(SUSPECTED);
        p.suspect = Some(sus.key.clone());
        plans.push(p);
    }
    plans
}

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

/// The snapshot of the fixture page `tests/fixtures/<file>` served at `url` (native harvester).
pub fn page(file: &str, url: &str) -> Snapshot {
    let html = std::fs::read_to_string(root().join("tests/fixtures").join(file))
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    harvest(&html, url)
}

/// The `[[setting.fixture]]` tables of a test rule: `<dir>/{on,off,unknown}.en.html` at `url`,
/// expecting on, off and unknown (listed, not read).
pub fn fixtures_toml(dir: &str, url: &str) -> String {
    ["on", "off", "unknown"]
        .iter()
        .map(|st| {
            format!("\n[[setting.fixture]]\nfile = \"{dir}/{st}.en.html\"\nurl = \"{url}\"\nexpect = \"{st}\"\n")
        })
        .collect()
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

/// xorshift64*: a deterministic generator without a dependency (fuzz smoke, URL inputs).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// In `0..n`; 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }

    pub fn chance(&mut self, per_cent: usize) -> bool {
        self.below(100) < per_cent
    }
}

/// A visible switch named (and labelled by its row) `name`, `aria-checked` = `on`.
pub fn switch(index: usize, name: &str, on: bool) -> Control {
    Control {
        index,
        role: "switch".into(),
        tag: "button".into(),
        aria_checked: Some(on.to_string()),
        visible: true,
        name: name.into(),
        text: name.into(),
        ..Control::default()
    }
}

/// The outcome of a `done` action (`None` for any other action).
pub fn outcome(a: &Action) -> Option<Outcome> {
    match a {
        Action::Done { outcome, .. } => Some(*outcome),
        _ => None,
    }
}

/// The outcome of a `done` decision (`None` for any other action).
pub fn done(d: &Decision) -> Option<Outcome> {
    outcome(&d.action)
}

/// The index a `click` decision clicks (`None` for any other action).
pub fn click_index(d: &Decision) -> Option<usize> {
    match d.action {
        Action::Click { index, .. } => Some(index),
        _ => None,
    }
}

/// The reason of a `failed` decision (`None` for any other action).
pub fn failed(d: &Decision) -> Option<FailReason> {
    match d.action {
        Action::Failed { reason, .. } => Some(reason),
        _ => None,
    }
}

/// Plans on the unchanging page `s` while the plan waits: the reason it then fails with.
/// Panics on any other action (it must never click), or when it has not ended in `rounds`.
pub fn waits_then_fails(e: &Engine, s: &Snapshot, mut plan: Plan, rounds: usize) -> FailReason {
    for _ in 0..rounds {
        let d = e.next_step(s, plan);
        match d.action {
            Action::Wait { .. } => plan = d.plan,
            Action::Failed { reason, .. } => return reason,
            other => panic!("must not act: {other:?}"),
        }
    }
    panic!("did not end");
}

/// The role and name of a click (panics on any other action).
pub fn click_name(d: &Decision) -> (String, String) {
    match &d.action {
        Action::Click { role, name, .. } => (role.clone(), name.clone()),
        other => panic!("want a click, got {other:?}"),
    }
}

/// Asks until the action is not a wait (30 rounds at most).
pub fn until_action(e: &Engine, s: &Snapshot, plan: Plan) -> Decision {
    until_action_within(e, s, plan, 30)
}

/// Asks until the action is not a wait, `rounds` rounds at most.
pub fn until_action_within(e: &Engine, s: &Snapshot, mut plan: Plan, rounds: usize) -> Decision {
    for _ in 0..rounds {
        let d = e.next_step(s, plan);
        match d.action {
            Action::Wait { .. } => plan = d.plan,
            _ => return d,
        }
    }
    panic!("only waits");
}
