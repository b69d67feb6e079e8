//! Replaying a page report (`untrain scan --report FILE.json`): what each setting of the report's
//! platform saw on the masked page and why it did or did not match, next to what the engine
//! answered on the page as the person had it. For rule authors (docs/rules.md); native only.

use crate::engine::keywords;
use crate::rule::model::{RuleSet, Setting};
use crate::snapshot::{read, Control, Reading};
use crate::text::{contains, normalize};
use crate::{url, Engine, Finding, Report, State};

/// Most candidate controls listed per setting.
const MAX_LISTED: usize = 12;

/// A replay: the engine's findings on the masked page, whether they agree with the report's
/// `seen`, and the lines that explain them.
pub struct Replay {
    /// The findings on the masked snapshot.
    pub findings: Vec<Finding>,
    /// Every setting the report saw answers the same now (state and reason).
    pub same: bool,
    /// The explanation, one line each.
    pub lines: Vec<String>,
}

fn quote(s: &str) -> String {
    let cut: String = s.chars().take(80).collect();
    if cut.len() < s.len() {
        format!("\"{cut}…\"")
    } else {
        format!("\"{cut}\"")
    }
}

fn reading(c: &Control) -> String {
    match (c.role.as_str(), read(c)) {
        ("select", _) => format!("value {}", quote(c.value.as_deref().unwrap_or(""))),
        (_, Reading::Checked(true)) => "checked".into(),
        (_, Reading::Checked(false)) => "unchecked".into(),
        (_, Reading::Disabled) => "disabled".into(),
        (_, Reading::Unreadable) => "state unreadable".into(),
    }
}

/// Why control `c` is or is not a candidate for setting `s` (the engine's rules of
/// `engine::matching`, said in words).
fn why(s: &Setting, c: &Control) -> String {
    let (name, text) = (normalize(&c.name), normalize(&c.text));
    let texts = |m: &crate::rule::model::Texts| -> Vec<String> {
        m.values().flatten().map(|t| normalize(t)).collect()
    };
    if let Some(x) = texts(&s.exclude)
        .iter()
        .find(|x| contains(&name, x) || contains(&text, x))
    {
        return format!("excluded by {}", quote(x));
    }
    let labels = texts(&s.labels);
    if let Some(l) = labels.iter().find(|l| contains(&name, l)) {
        return format!("label {} in its name", quote(l));
    }
    if let Some(l) = labels.iter().find(|l| contains(&text, l)) {
        return format!("label {} in its row", quote(l));
    }
    if keywords::score(&[&name, &text]).weak() {
        return "no label; reads like AI training (keyword fallback)".into();
    }
    "no label, no training words".into()
}

fn explain_setting(lines: &mut Vec<String>, s: &Setting, snap: &crate::Snapshot) {
    let parts = url::split(&snap.url);
    let on_page = parts.as_ref().is_some_and(|p| {
        s.pages
            .iter()
            .any(|pat| url::page_matches(pat, p.path, p.hash))
    });
    lines.push(format!(
        "  pages {:?}: {}",
        s.pages,
        if on_page {
            "the URL matches"
        } else {
            "the URL does not match (the setting is not read here)"
        }
    ));
    if !on_page {
        return;
    }
    let context: Vec<String> = s.context.values().flatten().map(|t| normalize(t)).collect();
    if !context.is_empty() {
        let page: Vec<String> = core::iter::once(&snap.title)
            .chain(&snap.headings)
            .chain(&snap.dialogs)
            .chain(snap.controls.iter().map(|c| &c.name))
            .chain(&snap.other_names)
            .map(|t| normalize(t))
            .collect();
        let seen = context.iter().find(|c| page.iter().any(|p| contains(p, c)));
        lines.push(match seen {
            Some(c) => format!("  context: {} is on the page", quote(c)),
            None => format!(
                "  context: none of {:?} is on the page (title, headings, dialogs, control names)",
                context
            ),
        });
    }
    let cands: Vec<&Control> = snap
        .controls
        .iter()
        .filter(|c| s.roles.contains(&c.role))
        .collect();
    lines.push(format!(
        "  controls with a role of {:?}: {}",
        s.roles,
        cands.len()
    ));
    for c in cands.iter().take(MAX_LISTED) {
        lines.push(format!(
            "    #{} {} {} ({}{}{}): {}",
            c.index,
            c.role,
            quote(if c.name.is_empty() { &c.text } else { &c.name }),
            reading(c),
            if c.visible { "" } else { ", hidden" },
            if c.in_dialog { ", in a dialog" } else { "" },
            why(s, c)
        ));
    }
    if cands.len() > MAX_LISTED {
        lines.push(format!("    … and {} more", cands.len() - MAX_LISTED));
    }
}

/// Replays `report` with `engine`'s rules.
pub fn replay(engine: &Engine, report: &Report) -> Replay {
    let ev = engine.evaluate(&report.snapshot);
    let mut lines = vec![format!(
        "{} ({}), {}, {} controls{}{}",
        report.snapshot.url,
        if ev.platform.is_empty() {
            "no known platform"
        } else {
            &ev.name
        },
        if report.browser.is_empty() {
            "browser not given"
        } else {
            &report.browser
        },
        report.snapshot.controls.len(),
        match report.snapshot.other_names.len() {
            0 => String::new(),
            n => format!(" and {n} other controls' names"),
        },
        if report.snapshot.truncated {
            " (truncated)"
        } else {
            ""
        },
    )];
    let set: Option<&RuleSet> = engine
        .rule_sets()
        .iter()
        .find(|s| s.platform == report.platform);
    let mut same = true;
    for s in set.map(|s| s.settings.as_slice()).unwrap_or_default() {
        let now = ev.findings.iter().find(|f| f.setting == s.id);
        let then = report.seen.iter().find(|x| x.setting == s.id);
        let answer = |state: State, reason: Option<crate::Reason>| match reason {
            Some(r) => format!("{state:?} ({r:?})").to_lowercase(),
            None => format!("{state:?}").to_lowercase(),
        };
        let now_s = now.map_or("not read".into(), |f| answer(f.state, f.reason));
        let then_s = then.map_or("not read".into(), |x| answer(x.state, x.reason));
        let agrees = now_s == then_s;
        same &= agrees || then.is_none();
        lines.push(format!(
            "{}: {now_s}{}",
            s.id,
            if then.is_none() {
                String::new()
            } else if agrees {
                " (as on the page)".into()
            } else {
                format!(" (the page answered {then_s})")
            }
        ));
        explain_setting(&mut lines, s, &report.snapshot);
    }
    for x in &ev.suspected {
        lines.push(format!(
            "suspected: #{} {} ({:?})",
            x.control,
            quote(&x.label),
            x.state
        ));
    }
    Replay {
        findings: ev.findings,
        same,
        lines,
    }
}
