//! Page reports (issue #13): what a person saves when a supported platform's settings page shows
//! no known setting, an unreadable state or a failure. The report holds the snapshot Untrain took,
//! with personal data removed, and what the engine answered on the page as it was; `untrain scan
//! --report` replays it (docs/rules.md).
//!
//! Masking keeps only what a rule author needs and what cannot be personal: every word of the
//! page's texts is kept when the rules or the engine's own vocabulary hold it (a rule's labels,
//! context, exclusions, step texts and option names; the training, AI, data, polarity and state
//! words of `vocab.rs`), and becomes `•` otherwise; "everyoneOn" (texts joined with no space)
//! counts as two words. Names, e-mail addresses and numbers that no
//! rule mentions are so masked; the labels a rule looks for survive whole, so the masked page
//! reads as the page did for every rule. The URL keeps its host and only as much of its path and
//! fragment as the platform's page patterns need to read it the same way; never the query. The
//! value of a text field is dropped, and so are the controls' hints (ids and classes, which the
//! engine does not read).

#[allow(unused_imports)]
use crate::prelude::*;

use super::Engine;
use crate::text::has_stem;
use crate::url;
use crate::vocab;
#[cfg(not(target_arch = "wasm32"))]
use {
    crate::api::{Reason, State},
    crate::rule::model::RuleSet,
    crate::snapshot::{Control, Snapshot},
    crate::text::normalize,
    serde::{Deserialize, Serialize},
};

/// What stands for a masked word.
pub const MASK: &str = "•";

/// Version of the report format.
pub const REPORT_FORMAT: u32 = 1;

/// A page report (the JSON file a person saves; format in docs/rules.md). The extension
/// assembles it in `extension/shared/report.js` with the engine's [`Vocabulary`] and
/// [`Engine::report_url`]; natively [`Engine::report`] does the same (tests/unit/report.test.mjs
/// checks that both agree).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// [`REPORT_FORMAT`].
    pub untrain_report: u32,
    /// Platform slug (`""` when the host is not a known platform's).
    pub platform: String,
    /// The browser, as the shell names it (`"Chrome 156"`); empty natively.
    #[serde(default)]
    pub browser: String,
    /// The extension's version; empty natively.
    #[serde(default)]
    pub extension_version: String,
    /// What the engine answered on the page as it was, one entry per setting it read.
    pub seen: Vec<Seen>,
    /// The snapshot, masked.
    pub snapshot: Snapshot,
}

/// One setting's answer on the unmasked page.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    /// Setting id.
    pub setting: String,
    /// Its state.
    pub state: State,
    /// For unknown: why.
    pub reason: Option<Reason>,
    /// Rule version.
    pub rule_version: i64,
}

/// The words a report keeps: every normalised word of the rules' texts (sorted, once each).
#[cfg(not(target_arch = "wasm32"))]
fn rule_words(sets: &[RuleSet]) -> Vec<String> {
    let mut words = Vec::new();
    let mut add = |t: &str| {
        for w in normalize(t).split(' ').filter(|w| !w.is_empty()) {
            words.push(w.to_string());
        }
    };
    for set in sets {
        add(&set.name);
        for s in &set.settings {
            add(&s.title);
            let maps = [&s.labels, &s.context, &s.exclude, &s.off_option];
            maps.iter()
                .flat_map(|m| m.values().flatten())
                .chain(s.steps.iter().flat_map(|st| st.text.values().flatten()))
                .chain(s.prefill.iter().flat_map(|p| p.labels.values().flatten()))
                .chain(&s.never)
                .for_each(|t| add(t));
        }
    }
    words.sort_unstable();
    words.dedup();
    words
}

/// Whether the normalised `word` holds one of the engine's stems at its start, or is one of
/// its state words ("on", "off", "enabled", the verbs "turn off", ...: whole words only).
pub fn has_vocabulary_stem(word: &str) -> bool {
    stems().any(|s| has_stem(word, s))
        || [
            vocab::STATE_ON,
            vocab::STATE_OFF,
            vocab::VERB_TURN_OFF,
            vocab::VERB_TURN_ON,
        ]
        .iter()
        .flat_map(|l| l.split(['|', ' ']))
        .any(|w| !w.is_empty() && w == word)
}

/// The engine's vocabulary stems (the lists of `vocab.rs`), `|`-separated as there.
fn stems() -> impl Iterator<Item = &'static str> {
    [
        vocab::TRAINING,
        vocab::MODEL,
        vocab::DATA,
        vocab::IMPROVE,
        vocab::VETO,
        vocab::NEGATORS,
        vocab::INVERTED,
        vocab::ALLOW,
        vocab::USE,
    ]
    .into_iter()
    .flat_map(|l| l.split('|'))
    // `a+b` stems: each part on its own
    .flat_map(|s| s.split('+'))
    .filter(|s| !s.is_empty())
}

/// The words a page report keeps (see the module's note).
#[cfg(not(target_arch = "wasm32"))]
pub struct Vocabulary {
    words: Vec<String>,
}

#[cfg(not(target_arch = "wasm32"))]
impl Vocabulary {
    /// Whether a report keeps `word` (one word of a page's text, as it is on the page): every
    /// word it normalises to is a rule's word, or holds one of the engine's stems and no digit.
    pub fn keeps(&self, word: &str) -> bool {
        let n = normalize(word);
        !n.is_empty()
            && n.split(' ').all(|w| {
                self.words.binary_search_by(|x| x.as_str().cmp(w)).is_ok()
                    || (!w.bytes().any(|b| b.is_ascii_digit()) && has_vocabulary_stem(w))
            })
    }

    /// `text` with every word that is not kept replaced by [`MASK`]; what is between words
    /// (spaces, punctuation) stays.
    #[cfg(not(target_arch = "wasm32"))]
    fn text(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut run = String::new();
        for ch in text.chars().chain(core::iter::once(' ')) {
            if ch.is_alphanumeric() {
                run.push(ch);
                continue;
            }
            if !run.is_empty() {
                self.push_run(&mut out, &run);
                run.clear();
            }
            out.push(ch);
        }
        out.pop();
        out
    }

    /// One run of letters and digits: kept whole, else word by word where a lowercase letter
    /// followed by an uppercase one ends a word ("everyoneOn": two elements' texts joined with
    /// no space), each word kept or [`MASK`]ed.
    #[cfg(not(target_arch = "wasm32"))]
    fn push_run(&self, out: &mut String, run: &str) {
        if self.keeps(run) {
            out.push_str(run);
            return;
        }
        let mut start = 0;
        let mut prev_lower = false;
        for (i, ch) in run.char_indices() {
            if ch.is_uppercase() && prev_lower {
                let w = run.get(start..i).unwrap_or("");
                out.push_str(if self.keeps(w) { w } else { MASK });
                start = i;
            }
            prev_lower = ch.is_lowercase();
        }
        let w = run.get(start..).unwrap_or("");
        out.push_str(if self.keeps(w) { w } else { MASK });
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn control(&self, c: &Control) -> Control {
        Control {
            name: self.text(&c.name),
            text: self.text(&c.text),
            hint: String::new(),
            // a text field's value is what the person typed; a select's is one of its options
            value: c.value.as_ref().map(|v| {
                if c.role == "select" {
                    self.text(v)
                } else {
                    String::new()
                }
            }),
            options: c.options.iter().map(|o| self.text(o)).collect(),
            ..c.clone()
        }
    }
}

impl Engine {
    /// The words a page report keeps.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn vocabulary(&self) -> Vocabulary {
        Vocabulary {
            words: rule_words(self.rule_sets()),
        }
    }

    /// The page report of `snap`: what the engine answers on it, and the snapshot masked.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn report(&self, snap: &Snapshot) -> Report {
        let ev = self.evaluate(snap);
        let m = self.vocabulary();
        let snapshot = Snapshot {
            url: self.report_url(&snap.url),
            lang: snap.lang.chars().take(35).collect(),
            title: m.text(&snap.title),
            headings: snap.headings.iter().map(|h| m.text(h)).collect(),
            dialogs: snap.dialogs.iter().map(|d| m.text(d)).collect(),
            controls: snap.controls.iter().map(|c| m.control(c)).collect(),
            other_names: snap.other_names.iter().map(|n| m.text(n)).collect(),
            ..snap.clone()
        };
        Report {
            untrain_report: REPORT_FORMAT,
            platform: ev.platform,
            browser: String::new(),
            extension_version: String::new(),
            seen: ev
                .findings
                .into_iter()
                .map(|f| Seen {
                    setting: f.setting,
                    state: f.state,
                    reason: f.reason,
                    rule_version: f.rule_version,
                })
                .collect(),
            snapshot,
        }
    }

    /// The least of the URL that the platform's page patterns read the same way: `https://host`
    /// with `/` or the path, and the fragment or none, whichever first matches the same patterns
    /// as the whole URL (a dialog route over any page keeps `/#route`, a settings page its path);
    /// never the query.
    pub fn report_url(&self, page_url: &str) -> String {
        let Some(parts) = url::split(page_url) else {
            return String::new();
        };
        let set = self
            .rule_sets()
            .iter()
            .find(|s| url::any_host_matches(&s.hosts, &parts.host));
        // which of the platform's page patterns match, one bit each (in order; a platform has
        // far fewer than 128)
        let reads = |path: &str, hash: &str| -> u128 {
            set.into_iter()
                .flat_map(|s| {
                    s.settings_pages
                        .iter()
                        .chain(s.settings.iter().flat_map(|st| st.pages.iter()))
                })
                .take(128)
                .enumerate()
                .filter(|(_, p)| url::page_matches(p, path, hash))
                .fold(0, |bits, (i, _)| bits | 1 << i)
        };
        let whole = reads(parts.path, parts.hash);
        let (path, hash) = [
            ("/", ""),
            ("/", parts.hash),
            (parts.path, ""),
            (parts.path, parts.hash),
        ]
        .into_iter()
        .find(|(p, h)| reads(p, h) == whole)
        .unwrap_or(("/", ""));
        let mut out = ["https://", &parts.host, path].concat();
        if !hash.is_empty() {
            out.push('#');
            out.push_str(hash);
        }
        out
    }
}
