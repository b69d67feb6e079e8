//! The shell harvests a light snapshot on busy pages: the records of the controls whose roles
//! `classify(url).roles` names, and of every other control only its name, each name once, in
//! `other_names`. The engine must answer exactly as it does for the full snapshot; checked on
//! every fixture page, for `evaluate` and for the first planned step of every setting and
//! suspect of the platform.

use crate::common::{fixture_pages, fresh_plans, rule_files};
use untrain::{Control, Engine, Reason, Snapshot, State};

/// What harvest.js sends: the controls of the roles the engine reads (with their indices in
/// the full harvest), and the other controls' non-empty names, each once, in order of first
/// appearance.
fn lighten(snap: &Snapshot, roles: &[String]) -> Snapshot {
    let (kept, others): (Vec<_>, Vec<_>) = snap
        .controls
        .iter()
        .cloned()
        .partition(|c| roles.contains(&c.role));
    let mut other_names: Vec<String> = Vec::new();
    for c in others {
        if !c.name.is_empty() && !other_names.contains(&c.name) {
            other_names.push(c.name);
        }
    }
    Snapshot {
        controls: kept,
        other_names,
        ..snap.clone()
    }
}

#[test]
fn a_light_snapshot_reads_and_plans_like_the_full_one() {
    let sets = Engine::load_toml(&rule_files()).expect("valid rules");
    let e = Engine::from_rule_sets(sets.clone()).expect("engine");
    let pages = fixture_pages(&sets);
    let mut lightened = 0;
    for fp in &pages {
        let (s, snap) = (fp.setting, &fp.snapshot);
        let page = e
            .classify(&fp.fixture.url)
            .expect("fixture url is a platform's");
        for r in s.roles.iter() {
            assert!(
                page.roles.contains(r),
                "{}: role {r} not in {:?}",
                s.id,
                page.roles
            );
        }
        let light = lighten(snap, &page.roles);
        lightened += snap
            .controls
            .iter()
            .filter(|c| !page.roles.contains(&c.role))
            .count();
        let tag = fp.tag();
        let full_ev = e.evaluate(snap);
        assert_eq!(full_ev, e.evaluate(&light), "{tag}: evaluate");
        for p in fresh_plans(fp.set, &full_ev) {
            let full = e.next_step(snap, p.clone());
            assert_eq!(
                full,
                e.next_step(&light, p.clone()),
                "{tag}: next_step {p:?}"
            );
            // and the step after it, on the same page
            let again = e.next_step(snap, full.plan.clone());
            assert_eq!(again, e.next_step(&light, full.plan), "{tag}: second step");
        }
    }
    let pages = pages.len();
    assert!(pages > 100, "only {pages} fixture pages");
    // the check means something: many controls were cut down to their names
    assert!(lightened > 200, "only {lightened} controls were lightened");
}

#[test]
fn roles_cover_what_the_rules_click() {
    let e = Engine::embedded().expect("embedded rules");
    let page = e
        .classify("https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement")
        .expect("linkedin");
    assert!(page.settings_page);
    for r in ["checkbox", "switch"] {
        assert!(page.roles.iter().any(|x| x == r), "{r} in {:?}", page.roles);
    }
    assert!(!page.roles.iter().any(|x| x == "link"), "{:?}", page.roles);
    let mut sorted = page.roles.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, page.roles, "sorted, no duplicates");
}

/// A context shown only by a control the engine does not read (ChatGPT's "Data controls" tab,
/// named in the light snapshot's `other_names`) confirms the page as that control's record
/// does in a full snapshot; without it the setting is absent.
#[test]
fn a_context_named_only_in_other_names_confirms_the_page() {
    let e = Engine::embedded().expect("embedded rules");
    let switch = Control {
        index: 3,
        role: "switch".into(),
        tag: "button".into(),
        aria_checked: Some("true".into()),
        visible: true,
        name: "Improve the model for everyone".into(),
        text: "Improve the model for everyone".into(),
        ..Control::default()
    };
    let page = |other_names: &[&str]| Snapshot {
        url: "https://chatgpt.com/#settings/DataControls".into(),
        lang: "en".into(),
        title: "ChatGPT".into(),
        controls: vec![switch.clone()],
        other_names: other_names.iter().map(|n| n.to_string()).collect(),
        ..Snapshot::default()
    };
    let light = page(&["Search chats", "Data controls"]);
    let ev = e.evaluate(&light);
    assert_eq!(ev.findings[0].state, State::On, "{ev:?}");
    let bare = e.evaluate(&page(&["Search chats"]));
    assert_eq!(bare.findings[0].reason, Some(Reason::Absent), "{bare:?}");
    // the full snapshot, with the tab's record, reads the same as the light one
    let mut full = page(&[]);
    for (index, name) in [(1, "Search chats"), (2, "Data controls")] {
        full.controls.insert(
            index - 1,
            Control {
                index,
                role: "tab".into(),
                tag: "button".into(),
                name: name.into(),
                ..Control::default()
            },
        );
    }
    assert_eq!(e.evaluate(&full), ev);
}
