//! Page reports (issue #13, item 3): masking removes personal data and keeps what the rules read,
//! so a report replays natively to the answer the page gave, on every fixture page.

use crate::common::{fixture_pages, page, rule_files};
use untrain::replay::replay;
use untrain::{Engine, Report};

const URL: &str = "https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement";

fn report_json(r: &Report) -> String {
    serde_json::to_string(r).expect("json")
}

#[test]
fn personal_data_is_masked_and_the_rules_words_are_kept() {
    let e = Engine::embedded().expect("engine");
    let url = format!("{URL}?member=jane.doe%40example.com&id=4711#top");
    let snap = page("report/personal-data.en.html", &url);
    let r = e.report(&snap);
    let text = report_json(&r);
    for personal in [
        "Jane",
        "jane",
        "Doe",
        "Janie",
        "Smith",
        "Ramón",
        "Ramon",
        "Núñez",
        "Brien",
        "example",
        "4711",
        "8675309",
        "2014",
        "415",
        "555",
        "0137",
        "192",
        "168",
        "Amphitheatre",
        "Parkway",
        "member",
        "#top",
        "12/03",
        "Signed",
    ] {
        assert!(
            !text.contains(personal),
            "{personal:?} is in the report: {text}"
        );
    }
    // the query and the fragment are gone; the settings path stays
    assert_eq!(r.snapshot.url, URL);
    // what the rule reads survives whole: its label, the page's heading (its context)
    assert!(r
        .snapshot
        .controls
        .iter()
        .any(|c| c.name == "Use my data for training content creation AI models"));
    assert!(r
        .snapshot
        .headings
        .iter()
        .any(|h| h == "Data for Generative AI Improvement"));
    // a text field's value is dropped; hints are dropped
    assert!(r.snapshot.controls.iter().all(|c| c.hint.is_empty()));
    assert!(r
        .snapshot
        .controls
        .iter()
        .filter(|c| c.role == "textbox")
        .all(|c| c.value.as_deref() == Some("")));
    // what the page answered, and the replay answers the same
    assert_eq!(r.seen.len(), 1);
    assert_eq!(r.seen[0].state, untrain::State::Unknown);
    let back: Report = serde_json::from_str(&text).expect("reads back");
    let rp = replay(&e, &back);
    assert!(rp.same, "{}", rp.lines.join("\n"));
    assert!(
        rp.lines.iter().any(|l| l
            .contains("label \"use my data for training content creation ai models\" in its name")),
        "{}",
        rp.lines.join("\n")
    );
}

#[test]
fn every_fixture_page_replays_to_the_answer_it_gave() {
    let sets = Engine::load_toml(&rule_files()).expect("valid rules");
    let e = Engine::from_rule_sets(sets.clone()).expect("engine");
    let pages = fixture_pages(&sets);
    let mut checked = 0;
    for fp in &pages {
        let r = e.report(&fp.snapshot);
        let back: Report = serde_json::from_str(&report_json(&r)).expect("reads back");
        let rp = replay(&e, &back);
        assert!(rp.same, "{}:\n{}", fp.tag(), rp.lines.join("\n"));
        // the findings themselves, not only their summary
        let before = e.evaluate(&fp.snapshot);
        let pairs = |fs: &[untrain::Finding]| -> Vec<_> {
            fs.iter()
                .map(|f| (f.setting.clone(), f.state, f.reason, f.control))
                .collect()
        };
        assert_eq!(pairs(&rp.findings), pairs(&before.findings), "{}", fp.tag());
        checked += 1;
    }
    assert!(checked > 100, "{checked}");
}

#[test]
fn a_settings_route_in_the_fragment_is_kept_and_other_fragments_are_not() {
    let e = Engine::embedded().expect("engine");
    let snap = |url: &str| untrain::Snapshot {
        url: url.into(),
        ..untrain::Snapshot::default()
    };
    let r = e.report(&snap(
        "https://chatgpt.com/c/123-abc?model=x#settings/DataControls",
    ));
    assert_eq!(r.snapshot.url, "https://chatgpt.com/#settings/DataControls");
    let r = e.report(&snap("https://www.linkedin.com/in/jane-doe/#about"));
    assert_eq!(r.snapshot.url, "https://www.linkedin.com/");
    let r = e.report(&snap("not a url"));
    assert_eq!(r.snapshot.url, "");
}
