//! Every rule file's fixtures: harvest the saved page natively, check the finding, and simulate
//! the opt-out plan (click, the page flips the control, wait/verify until done).

use crate::common;

use crate::common::{fixture_pages, rule_files};

use untrain::rule::model::{Expect, StepKind};
use untrain::{Action, Engine, FailReason, Outcome, Plan, Reason, Snapshot, State};

/// Runs the plan on snapshots from `page(call, plan)` until done/failed; returns the end action
/// and the clicked indices. Panics on more calls than the bounds allow.
fn drive(
    e: &Engine,
    id: &str,
    mut page: impl FnMut(usize, &[usize]) -> Snapshot,
) -> (Action, Vec<usize>) {
    let mut plan = Plan::new(id);
    for call in 0..40 {
        let snap = page(call, &plan.clicked);
        let d = e.next_step(&snap, plan);
        match d.action {
            Action::Click { .. }
            | Action::Wait { .. }
            | Action::Fill { .. }
            | Action::Select { .. } => plan = d.plan,
            end => return (end, d.plan.clicked),
        }
    }
    panic!("{id}: plan did not end within 40 calls");
}

#[test]
fn every_fixture_reads_as_expected_and_plans_safely() {
    let files = rule_files();
    if files.is_empty() {
        eprintln!("no rule files in crate/rules yet");
        return;
    }
    let sets = Engine::load_toml(&files).unwrap_or_else(|errs| {
        panic!(
            "invalid rules:\n{}",
            errs.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let e = Engine::from_rule_sets(sets.clone()).expect("engine");
    let mut checked = 0;
    let mut failures = Vec::new();
    for fp in fixture_pages(&sets) {
        let (s, fx, snap) = (fp.setting, fp.fixture, fp.snapshot);
        let simple = s.steps.iter().all(|st| {
            matches!(
                st.action,
                StepKind::ClickControl | StepKind::Verify | StepKind::OpenTab
            )
        });
        let ev = e.evaluate(&snap);
        let f = ev.findings.iter().find(|f| f.setting == s.id);
        let got = match f {
            None => Expect::Absent,
            Some(f) if f.reason == Some(Reason::Absent) => Expect::Absent,
            Some(f) => match f.state {
                State::On => Expect::On,
                State::Off => Expect::Off,
                State::Unknown => Expect::Unknown,
                State::Manual => Expect::Manual,
            },
        };
        let tag = format!("{} {} ({})", s.id, fx.file, fx.url);
        checked += 1;
        if got != fx.expect {
            failures.push(format!(
                "{tag}: expected {:?}, got {got:?} ({f:?})",
                fx.expect
            ));
            continue;
        }
        // the banner and the popup show the label a person sees on the page
        if matches!(fx.expect, Expect::On | Expect::Off)
            && f.is_some_and(|f| f.label.trim().is_empty())
        {
            failures.push(format!("{tag}: finding has an empty label"));
        }
        match fx.expect {
            Expect::On => {
                let control = f.and_then(|f| f.control).expect("on has a control");
                let first = e.next_step(&snap, Plan::new(&s.id));
                let tab_first = s.steps.first().map(|st| st.action) == Some(StepKind::OpenTab);
                match &first.action {
                    Action::Click { index, .. } if *index == control => {}
                    Action::Select { index, .. } if *index == control => {}
                    // the setting's tab (or the panel behind a button) is not open: the plan
                    // opens it first
                    Action::Click { role, .. }
                        if tab_first && (role == "tab" || role == "button") =>
                    {
                        continue
                    }
                    other => {
                        failures.push(format!("{tag}: first step {other:?}, want click {control}"));
                        continue;
                    }
                }
                if !simple {
                    continue;
                }
                // the page accepts the click: the control flips and stays
                let mut flipped = snap.clone();
                if let Some(c) = flipped.controls.iter_mut().find(|c| c.index == control) {
                    common::flip(c);
                }
                let (end, clicked) = drive(&e, &s.id, |call, _| {
                    if call == 0 {
                        snap.clone()
                    } else {
                        flipped.clone()
                    }
                });
                if !matches!(
                    end,
                    Action::Done {
                        outcome: Outcome::TurnedOff,
                        ..
                    }
                ) || clicked != vec![control]
                {
                    failures.push(format!(
                        "{tag}: accepted flow ended {end:?}, clicked {clicked:?}"
                    ));
                }
                // the page flips the control back after our click
                let (end, clicked) = drive(&e, &s.id, |call, _| match call {
                    0 => snap.clone(),
                    1 => flipped.clone(),
                    _ => snap.clone(),
                });
                if !matches!(
                    end,
                    Action::Failed {
                        reason: FailReason::Reverted,
                        ..
                    }
                ) || clicked.len() != 1
                {
                    failures.push(format!(
                        "{tag}: reverting page ended {end:?}, clicked {clicked:?}"
                    ));
                }
                // the page ignores the click
                let (end, clicked) = drive(&e, &s.id, |_, _| snap.clone());
                if !matches!(
                    end,
                    Action::Failed {
                        reason: FailReason::NotAccepted,
                        ..
                    }
                ) || clicked.len() != 1
                {
                    failures.push(format!(
                        "{tag}: ignoring page ended {end:?}, clicked {clicked:?}"
                    ));
                }
            }
            Expect::Off => {
                let d = e.next_step(&snap, Plan::new(&s.id));
                if !matches!(
                    d.action,
                    Action::Done {
                        outcome: Outcome::AlreadyOff,
                        ..
                    }
                ) || !d.plan.clicked.is_empty()
                {
                    failures.push(format!("{tag}: off page planned {:?}", d.action));
                }
            }
            Expect::Manual => {
                // guided: at most a fill of the form's field, never a click
                let (end, _) = drive(&e, &s.id, |call, clicked| {
                    let mut sn = snap.clone();
                    if call > 0 {
                        for c in sn.controls.iter_mut() {
                            if clicked.contains(&c.index) {
                                c.value = s
                                    .prefill
                                    .as_ref()
                                    .and(s.prepared_text.get(&snap.lang))
                                    .or(s.prepared_text.get("en"))
                                    .cloned();
                            }
                        }
                    }
                    sn
                });
                // prefilled when the field is found empty; manual when there is no
                // field or the person already wrote something
                let field = f
                    .and_then(|f| f.control)
                    .and_then(|i| snap.controls.iter().find(|c| c.index == i));
                let want = match field {
                    Some(c) if c.value.as_deref().unwrap_or("").trim().is_empty() => {
                        Outcome::Prefilled
                    }
                    _ => Outcome::Manual,
                };
                if !matches!(end, Action::Done { outcome, .. } if outcome == want) {
                    failures.push(format!("{tag}: guided flow ended {end:?}, want {want:?}"));
                }
            }
            Expect::Unknown | Expect::Absent => {
                let (end, clicked) = drive(&e, &s.id, |_, _| snap.clone());
                if !clicked.is_empty() || !matches!(end, Action::Failed { .. }) {
                    failures.push(format!(
                        "{tag}: {:?} page ended {end:?}, clicked {clicked:?}",
                        fx.expect
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} fixtures failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{checked} fixtures checked");
}

// That the shipped rules are the rule files (less fixtures, notes, sources and redundant `never`
// words) is checked in wire.rs.

/// Every text a rule makes the engine click (its labels, its steps' `choose`/`confirm`/`open-tab`
/// texts, its `off_option`s) is free of destructive words, built-in and its own `never` ones
/// (matched at a word start, as the engine does): else the engine would refuse the rule's own
/// control or choice.
#[test]
fn no_rule_text_the_engine_clicks_is_destructive() {
    use untrain::text::{has_stem, normalize};
    let sets = Engine::load_toml(&rule_files()).expect("valid rules");
    let mut failures = Vec::new();
    let mut checked = 0;
    for s in sets.iter().flat_map(|set| &set.settings) {
        let never: Vec<String> = s.never.iter().map(|w| normalize(w)).collect();
        let texts = s
            .labels
            .values()
            .chain(s.steps.iter().flat_map(|st| st.text.values()))
            .chain(s.off_option.values())
            .flatten();
        for t in texts {
            let n = normalize(t);
            checked += 1;
            if let Some(w) = untrain::engine::DESTRUCTIVE
                .iter()
                .copied()
                .chain(never.iter().map(String::as_str))
                .find(|w| has_stem(&n, w))
            {
                failures.push(format!("{}: {t:?} holds {w:?}", s.id));
            }
        }
    }
    assert!(checked > 200, "{checked}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The keyword fallback reads a control by its own wording; on the rules' own labels that
/// reading never contradicts the rule's `off_means` (it may be unclear: the label path uses
/// `off_means`, and an unclear keyword match is never clicked).
#[test]
fn every_rule_label_reads_the_way_its_off_means_says() {
    use untrain::keywords::{polarity, Polarity};
    use untrain::rule::model::OffMeans;
    use untrain::text::normalize;
    let sets = Engine::load_toml(&rule_files()).expect("valid rules");
    let mut failures = Vec::new();
    let mut unclear = Vec::new();
    for s in sets.iter().flat_map(|set| &set.settings) {
        if s.roles.iter().any(|r| r == "select") {
            continue;
        }
        for l in s.labels.values().flatten() {
            let p = polarity(&normalize(l));
            let wrong = match s.off_means {
                OffMeans::Unchecked => Polarity::Inverted,
                OffMeans::Checked => Polarity::Affirmative,
            };
            if p == wrong {
                failures.push(format!("{}: {l:?} reads {p:?}", s.id));
            } else if p == Polarity::Unclear {
                unclear.push(format!("{}: {l:?}", s.id));
            }
        }
    }
    eprintln!("unclear labels: {unclear:#?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(unclear.len() <= 3, "{unclear:#?}");
}
