//! The wire: the packaged `rules.json` and the JSON text the wasm module reads and writes, with
//! serde_json on both sides of it (natively and in the module). Checked here: the rules the
//! extension ships are the rule files with nothing that matters left out; every fixture page's
//! snapshot, evaluation and plans go through JSON unchanged; bad input is a clear error; and
//! generated values with awkward strings read back as written.

use crate::common::{fixture_pages, fresh_plans, rule_files};
use proptest::prelude::*;
use untrain::{Action, Decision, Engine, FailReason, Outcome, Plan, RuleSet, Snapshot};

/// `value` through JSON text and back, as the shell and the module hand it over.
fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: &T) -> T {
    let text = serde_json::to_string(value).expect("serialisable");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn the_shipped_rules_load() {
    let sets: Vec<RuleSet> = serde_json::from_str(untrain::EMBEDDED_RULES).expect("reads");
    assert!(sets.len() >= 30);
    let e = Engine::from_rules_json(untrain::EMBEDDED_RULES).expect("engine");
    assert_eq!(e.rule_sets(), sets.as_slice());
    assert_eq!(e.platforms().len(), sets.len());
    // a file that is not the rules is a clear error, never a half-loaded engine
    for bad in [
        "",
        "{}",
        "[{\"platform\": 1}]",
        &untrain::EMBEDDED_RULES[..100],
    ] {
        let Err(err) = Engine::from_rules_json(bad) else {
            panic!("accepted {bad}");
        };
        assert!(err.to_string().starts_with("rules.json: "), "{err}");
    }
}

/// Also fails when the shipped rules are stale (rebuild).
#[test]
fn embedded_rules_are_the_rule_files_with_nothing_that_matters_left_out() {
    let files = Engine::load_toml(&rule_files()).expect("valid rules");
    let embedded: Vec<RuleSet> = serde_json::from_str(untrain::EMBEDDED_RULES).expect("reads");
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
fn every_fixture_page_goes_through_json_unchanged() {
    let sets = Engine::load_toml(&rule_files()).expect("valid rules");
    let e = Engine::from_rule_sets(sets.clone()).expect("engine");
    let pages = fixture_pages(&sets);
    for fp in &pages {
        let (snap, tag) = (&fp.snapshot, fp.tag());
        assert_eq!(&round_trip(snap), snap, "{tag}");
        let page = e.classify(&fp.fixture.url);
        assert_eq!(round_trip(&page), page, "{tag}");
        let ev = e.evaluate(snap);
        assert_eq!(round_trip(&ev), ev, "{tag}");
        for mut plan in fresh_plans(fp.set, &ev) {
            for _ in 0..3 {
                assert_eq!(round_trip(&plan), plan, "{tag}");
                let d = e.next_step(snap, plan);
                assert_eq!(round_trip(&d), d, "{tag}");
                plan = d.plan;
            }
        }
    }
    let pages = pages.len();
    assert!(pages > 100, "{pages} pages");
}

fn read_snapshot(text: &str) -> Result<Snapshot, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

#[test]
fn bad_input_is_a_clear_error() {
    let cases: &[(&str, &str)] = &[
        ("", "EOF while parsing a value at line 1 column 0"),
        (
            "{\"url\": 1}",
            "invalid type: integer `1`, expected a string",
        ),
        (
            "\"text\"",
            "invalid type: string \"text\", expected struct Snapshot",
        ),
        (
            "{\"controls\": [{\"index\": -1}]}",
            "invalid value: integer `-1`",
        ),
        (
            "{\"controls\": [{}, {\"index\": 1.5}]}",
            "invalid type: floating point `1.5`",
        ),
        (
            "{\"controls\": [{\"checked\": \"yes\"}]}",
            "expected a boolean",
        ),
        ("{\"url\": \"x\"} x", "trailing characters"),
        ("{\"url\": \"a\u{1}\"}", "control character"),
        ("{\"url\": \"\\x\"}", "invalid escape"),
        ("{\"a\": 01}", "invalid number"),
        (
            "{\"controls\": [{\"index\": 0}, {\"index\": 4}, {\"index\": 4}]}",
            "controls[2].index: not above the previous control's index",
        ),
        (
            "{\"controls\": [{\"index\": 2}, {\"index\": 1}]}",
            "controls[1].index: not above the previous control's index",
        ),
        ("{\"url\":\"a\",\"url\":\"b\"}", "duplicate field `url`"),
        // JSON.stringify writes a lone surrogate as this escape; the harvest never sends one
        // (extension/content/harvest.js makes every text well formed first)
        ("{\"title\":\"a\\ud800b\"}", "unexpected end of hex escape"),
    ];
    for (text, want) in cases {
        let got = read_snapshot(text);
        assert!(
            got.as_ref().is_err_and(|e| e.contains(want)),
            "{text}: {got:?}, want {want}"
        );
    }
    // deep nesting never exhausts the stack (the module has 128 KB): an unknown field's value is
    // skipped without recursion, a known one stops at serde_json's recursion limit (128)
    let deep = |n| ["[".repeat(n), "]".repeat(n)].concat();
    assert!(read_snapshot(&["{\"extra\": ", &deep(100_000), "}"].concat()).is_ok());
    let nested = read_snapshot(&["{\"controls\": [{\"options\": ", &deep(100_000), "}]}"].concat());
    assert!(nested.is_err_and(|e| e.contains("expected a string")));
    assert!(serde_json::from_str::<Plan>("{\"step\": 1}")
        .is_err_and(|e| e.to_string().contains("missing field `setting`")));
    // a pair is one character; null and a missing optional field are the same; numbers the
    // engine has no use for are accepted where they are ignored
    let s =
        read_snapshot(r#"{"title":"b\ud83d\ude00","controls":[{"value":null}]}"#).expect("reads");
    assert_eq!(s.title, "b\u{1f600}");
    assert_eq!(s.controls[0].value, None);
    assert!(read_snapshot(r#"{"extra": [1e400, -0.5, 123456789012345678901234]}"#).is_ok());
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
    fn snapshots_read_back_as_written(
        url in text(), title in text(), headings in proptest::collection::vec(text(), 0..3),
        has_password in any::<bool>(), controls in proptest::collection::vec(control(), 0..4),
        other_names in proptest::collection::vec(text(), 0..3),
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
            truncated: false, controls, other_names,
        };
        let text = serde_json::to_string(&snap).expect("json");
        prop_assert_eq!(read_snapshot(&text), Ok(snap.clone()));
        let pretty = serde_json::to_string_pretty(&snap).expect("json");
        prop_assert_eq!(read_snapshot(&pretty), Ok(snap));
    }

    #[test]
    fn decisions_read_back_as_written(
        setting in text(), step in 0usize..50, waits in any::<u32>(), actions in any::<u32>(),
        clicked in proptest::collection::vec(0usize..100_000, 0..4), off_reads in any::<u32>(),
        suspect in opt_text(), action in action(),
    ) {
        let plan = Plan { setting, step, waits, actions, clicked, off_reads, suspect };
        let d = Decision { plan: plan.clone(), action };
        prop_assert_eq!(round_trip(&d), d);
        prop_assert_eq!(round_trip(&plan), plan);
    }

    #[test]
    fn the_reader_never_panics_on_garbage(s in "\\PC{0,40}") {
        let _ = read_snapshot(&s);
        let _ = serde_json::from_str::<Plan>(&s);
    }
}
