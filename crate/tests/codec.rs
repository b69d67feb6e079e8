//! The wasm module reads and writes JSON with its own small code (`codec`, `json`, `inflate`);
//! the CLI, the docs and the tests use serde. Both must say the same thing: checked here on
//! every fixture page (snapshot, evaluation, the first steps of every plan), on the embedded
//! rules, and on generated values with awkward strings.

mod common;

use common::{fixture_pages, fresh_plans, rule_files};
use proptest::prelude::*;
use serde_json::Value;
use untrain::{
    codec, inflate, json, Action, Decision, Engine, FailReason, Outcome, Plan, RuleSet, Snapshot,
};

fn same_json(ours: &str, theirs: &impl serde::Serialize, what: &str) {
    let ours: Value = serde_json::from_str(ours).unwrap_or_else(|e| panic!("{what}: {e}: {ours}"));
    let theirs = serde_json::to_value(theirs).expect("serialisable");
    assert_eq!(ours, theirs, "{what}");
}

#[test]
fn embedded_rules_inflate_and_read_as_serde_does() {
    let text = inflate::inflate(untrain::EMBEDDED_RULES_DEFLATE).expect("inflates");
    assert_eq!(text, untrain::EMBEDDED_RULES.as_bytes());
    assert!(text.len() > 3 * untrain::EMBEDDED_RULES_DEFLATE.len());
    let ours = codec::rule_sets(untrain::EMBEDDED_RULES).expect("reads");
    let theirs: Vec<RuleSet> = serde_json::from_str(untrain::EMBEDDED_RULES).expect("serde");
    assert_eq!(ours, theirs);
    assert!(ours.len() >= 30);
    let e = Engine::embedded().expect("engine");
    same_json(
        &codec::platforms(e.rule_sets()),
        &e.platforms(),
        "platforms",
    );
}

/// Also fails when the embedded rules are stale (rebuild).
#[test]
fn embedded_rules_are_the_rule_files_with_nothing_that_matters_left_out() {
    let files = Engine::load_toml(&rule_files()).expect("valid rules");
    let embedded = codec::rule_sets(untrain::EMBEDDED_RULES).expect("reads");
    assert_eq!(files.len(), embedded.len());
    let norm = untrain::text::normalize;
    let mut dropped = 0;
    for (f, e) in files.iter().zip(&embedded) {
        let mut f = f.clone();
        f.sources.clear();
        f.notes = None;
        for (fs, es) in f.settings.iter_mut().zip(&e.settings) {
            fs.fixtures.clear();
            // the evidence is for people (the README table); build.rs drops it
            fs.evidence = None;
            // every `never` word left out is still caught: it holds a built-in stem (not a
            // whole-word one) at a word start, so any name holding it at a word start does too
            for w in &fs.never {
                let n = norm(w);
                let kept = es.never.contains(w);
                let builtin = untrain::engine::DESTRUCTIVE
                    .iter()
                    .any(|d| !d.ends_with('$') && untrain::text::has_stem(&n, d));
                assert!(kept || builtin, "{}: {w}", fs.id);
            }
            dropped += fs.never.len() - es.never.len();
            fs.never.clone_from(&es.never);
        }
        assert_eq!(&f, e, "{}", f.platform);
    }
    assert!(dropped > 50, "{dropped}");
}

#[test]
fn every_fixture_page_reads_evaluates_and_plans_alike() {
    let sets = Engine::load_toml(&rule_files()).expect("valid rules");
    let e = Engine::from_rule_sets(sets.clone()).expect("engine");
    let pages = fixture_pages(&sets);
    for fp in &pages {
        let (snap, tag) = (&fp.snapshot, fp.tag());
        // the snapshot as the background hands it over
        let text = serde_json::to_string(snap).expect("json");
        assert_eq!(&codec::snapshot(&text).expect("reads"), snap, "{tag}");
        let page = e.classify(&fp.fixture.url);
        same_json(&codec::page_info(page.as_ref()), &page, &tag);
        let ev = e.evaluate(snap);
        same_json(&codec::evaluation(&ev), &ev, &tag);
        for mut plan in fresh_plans(fp.set, &ev) {
            for _ in 0..3 {
                let text = serde_json::to_string(&plan).expect("json");
                assert_eq!(codec::plan(&text).expect("reads"), plan, "{tag}");
                let d = e.next_step(snap, plan);
                same_json(&codec::decision(&d), &d, &tag);
                plan = d.plan;
            }
        }
    }
    let pages = pages.len();
    assert!(pages > 100, "{pages} pages");
    same_json(&codec::page_info(None), &Option::<()>::None, "null page");
}

#[test]
fn bad_input_is_a_clear_error() {
    let cases: &[(&str, &str)] = &[
        ("", "not json: unexpected end at byte 0"),
        ("{\"url\": 1}", "url: expected a string"),
        ("[]", "expected an object"),
        (
            "{\"controls\": [{\"index\": -1}]}",
            "controls[0].index: expected an integer >= 0",
        ),
        (
            "{\"controls\": [{}, {\"index\": 1.5}]}",
            "controls[1].index: expected an integer",
        ),
        (
            "{\"controls\": [{\"checked\": \"yes\"}]}",
            "controls[0].checked: expected a boolean",
        ),
        (
            "{\"url\": \"x\"} x",
            "not json: trailing characters at byte 13",
        ),
        (
            "{\"url\": \"a\u{1}\"}",
            "not json: control character in string at byte 10",
        ),
        ("{\"url\": \"\\x\"}", "not json: bad escape at byte 11"),
        ("{\"a\": 01}", "not json: bad number at byte 8"),
        (
            "{\"controls\": [{\"index\": 0}, {\"index\": 4}, {\"index\": 4}]}",
            "controls[2].index: not above the previous control's index",
        ),
        (
            "{\"controls\": [{\"index\": 2}, {\"index\": 1}]}",
            "controls[1].index: not above the previous control's index",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(
            codec::snapshot(text).map_err(|e| e.to_string()),
            Err((*want).to_string()),
            "{text}"
        );
    }
    assert_eq!(
        codec::plan("{\"step\": 1}").map_err(|e| e.to_string()),
        Err("setting: missing".to_string())
    );
    let deep = "[".repeat(json::MAX_DEPTH + 2);
    assert!(json::parse(&deep).is_err_and(|e| e.what.contains("nested too deeply")));
    // what JSON.stringify writes for a lone surrogate reads as U+FFFD, like a JS string handed
    // to Rust; a pair is one character; null and a missing optional field are the same
    let s = codec::snapshot(r#"{"title":"a\ud800b\ud83d\ude00","controls":[{"value":null}]}"#)
        .expect("reads");
    assert_eq!(s.title, "a\u{fffd}b\u{1f600}");
    assert_eq!(s.controls[0].value, None);
    // a repeated key: the last one counts, as in JSON.parse
    assert_eq!(
        codec::snapshot(r#"{"url":"a","url":"b"}"#).map(|s| s.url),
        Ok("b".into())
    );
    // numbers the engine has no use for are accepted where they are ignored
    assert!(codec::snapshot(r#"{"extra": [1e400, -0.5, 123456789012345678901234]}"#).is_ok());
}

#[test]
fn corrupt_rules_data_is_an_error_not_a_panic() {
    let good = untrain::EMBEDDED_RULES_DEFLATE;
    assert!(inflate::inflate(&good[..good.len() / 2]).is_err());
    assert!(inflate::inflate(&[0xff; 64]).is_err());
    assert!(inflate::inflate(&[]).is_err());
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,12}",
        "\\PC{0,12}",
        proptest::collection::vec(any::<char>(), 0..12).prop_map(|v| v.into_iter().collect()),
        Just("\"\\\u{0}\u{1f}\u{7f}\n\t\u{2028}".to_string()),
    ]
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(text())
}

fn control() -> impl Strategy<Value = untrain::Control> {
    (
        (
            0usize..100_000,
            text(),
            text(),
            opt_text(),
            any::<Option<bool>>(),
        ),
        (opt_text(), opt_text(), opt_text(), opt_text(), opt_text()),
        (any::<bool>(), any::<bool>(), any::<bool>()),
        (
            text(),
            text(),
            text(),
            opt_text(),
            proptest::collection::vec(text(), 0..3),
        ),
    )
        .prop_map(|(a, b, c, d)| untrain::Control {
            index: a.0,
            role: a.1,
            tag: a.2,
            input_type: a.3,
            checked: a.4,
            aria_checked: b.0,
            aria_pressed: b.1,
            aria_selected: b.2,
            aria_expanded: b.3,
            data_state: b.4,
            disabled: c.0,
            visible: c.1,
            in_dialog: c.2,
            name: d.0,
            text: d.1,
            hint: d.2,
            value: d.3,
            options: d.4,
        })
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (0usize..9999, text(), text(), text()).prop_map(|(index, role, name, why)| Action::Click {
            index,
            role,
            name,
            why
        }),
        (0usize..9999, text(), text(), text(), text()).prop_map(
            |(index, role, name, option, why)| {
                Action::Select {
                    index,
                    role,
                    name,
                    option,
                    why,
                }
            }
        ),
        (0usize..9999, text(), text(), text(), text()).prop_map(
            |(index, role, name, text, why)| {
                Action::Fill {
                    index,
                    role,
                    name,
                    text,
                    why,
                }
            }
        ),
        (any::<u32>(), text()).prop_map(|(ms, why)| Action::Wait { ms, why }),
        text().prop_map(|label| Action::Done {
            outcome: Outcome::AlreadyOff,
            label
        }),
        text().prop_map(|message| Action::Failed {
            reason: FailReason::NotAccepted,
            message
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 400,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn strings_are_written_exactly_as_serde_json_writes_them(s in text()) {
        let mut ours = String::new();
        json::write_str(&mut ours, &s);
        prop_assert_eq!(&ours, &serde_json::to_string(&s).expect("json"));
        prop_assert_eq!(json::parse(&ours), Ok(json::Json::Str(s)));
    }

    #[test]
    fn snapshots_read_back_as_written(
        url in text(), title in text(), headings in proptest::collection::vec(text(), 0..3),
        has_password in any::<bool>(), controls in proptest::collection::vec(control(), 0..4),
    ) {
        // indices increase, as the shell sends them
        let mut controls = controls;
        let mut next = 0;
        for c in &mut controls {
            next += c.index % 7 + 1;
            c.index = next;
        }
        let snap = Snapshot {
            url, lang: "en".into(), title, headings, dialogs: vec![], has_password,
            truncated: false, controls,
        };
        let text = serde_json::to_string(&snap).expect("json");
        prop_assert_eq!(codec::snapshot(&text), Ok(snap.clone()));
        let pretty = serde_json::to_string_pretty(&snap).expect("json");
        prop_assert_eq!(codec::snapshot(&pretty), Ok(snap));
    }

    #[test]
    fn decisions_are_written_as_serde_writes_them(
        setting in text(), step in 0usize..50, waits in any::<u32>(), actions in any::<u32>(),
        clicked in proptest::collection::vec(0usize..100_000, 0..4), off_reads in any::<u32>(),
        suspect in opt_text(), action in action(),
    ) {
        let plan = Plan { setting, step, waits, actions, clicked, off_reads, suspect };
        let d = Decision { plan: plan.clone(), action };
        let ours: Value = serde_json::from_str(&codec::decision(&d)).expect("valid json");
        prop_assert_eq!(ours, serde_json::to_value(&d).expect("json"));
        let text = serde_json::to_string(&plan).expect("json");
        prop_assert_eq!(codec::plan(&text), Ok(plan));
    }

    #[test]
    fn inflate_reads_what_miniz_writes(data in proptest::collection::vec(any::<u8>(), 0..3000), level in 0u8..=10) {
        let packed = miniz_oxide::deflate::compress_to_vec(&data, level);
        prop_assert_eq!(inflate::inflate(&packed), Ok(data));
    }

    #[test]
    fn inflate_never_panics_on_garbage(data in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = inflate::inflate(&data);
    }

    #[test]
    fn the_reader_never_panics_on_garbage(s in "\\PC{0,40}") {
        let _ = codec::snapshot(&s);
        let _ = codec::plan(&s);
    }
}
