//! Bad input: malformed rule files answered by `untrain check-rules` (file, rule and field in
//! every message, exit 1), and hostile snapshots (100,000 controls, deep nesting, RTL and
//! zero-width text, very long labels) handled within a fixed budget.
//! (rule_errors.rs holds the main table through the library API; this file adds the cases it
//! lacks and runs the whole table through the command line.)

use crate::common;

use std::process::Command;
use std::time::{Duration, Instant};
use untrain::engine::MAX_CONTROLS;
use untrain::text::MAX_CHARS;
use untrain::{Action, Control, Engine, Plan, Reason, RuleError, Snapshot, State};

use crate::common::{bad, switch, FILE, GOOD};

const SECOND: &str = r#"
[[setting]]
id = "demo.ai"
title = "AI training again"
automation = "automatic"
pages = ["/settings/ai2"]
settings_url = "https://demo.example/settings/ai2"
default = "on"
off_means = "unchecked"
roles = ["switch"]
labels = { en = ["Use my data for AI"] }
steps = [{ do = "click-control" }, { do = "verify" }]
"#;

const STEPS: &str = r#"steps = [{ do = "click-control" }, { do = "verify" }]"#;

fn steps(to: &str) -> String {
    bad(STEPS, &format!("steps = {to}"))
}

/// (what, file text, id, field, message part): all in `crate/rules/demo.toml`.
fn cases() -> Vec<(
    &'static str,
    String,
    &'static str,
    &'static str,
    &'static str,
)> {
    vec![
        // syntax and unknown fields (also in rule_errors.rs; here through the CLI)
        (
            "syntax error",
            bad("name = \"Demo\"", "name = \"Demo"),
            "demo",
            "syntax",
            "line 3",
        ),
        (
            "unknown field",
            bad("version = 1", "version = 1\ncolor = 1"),
            "demo",
            "color",
            "unknown field",
        ),
        (
            "unknown setting field",
            bad("default = \"on\"", "default = \"on\"\nlabel = 1"),
            "demo.ai",
            "label",
            "unknown field",
        ),
        (
            "empty label",
            bad("[\"Use my data for AI\"]", "[\"  \"]"),
            "demo.ai",
            "labels.en",
            "empty string",
        ),
        (
            "zero-width label",
            bad("[\"Use my data for AI\"]", "[\"\u{200B}\u{200D}\"]"),
            "demo.ai",
            "labels.en",
            "no letters",
        ),
        // steps that reference nothing
        (
            "choose with no text",
            steps(r#"[{ do = "click-control" }, { do = "choose" }, { do = "verify" }]"#),
            "demo.ai",
            "steps[1].text",
            "no text",
        ),
        (
            "choose with an empty text map",
            steps(r#"[{ do = "click-control" }, { do = "choose", text = {} }, { do = "verify" }]"#),
            "demo.ai",
            "steps[1].text",
            "no text",
        ),
        (
            "confirm with an empty list",
            steps(
                r#"[{ do = "click-control" }, { do = "confirm", text = { en = [] } }, { do = "verify" }]"#,
            ),
            "demo.ai",
            "steps[1].text",
            "no text",
        ),
        (
            "confirm with an empty string",
            steps(
                r#"[{ do = "click-control" }, { do = "confirm", text = { en = [""] } }, { do = "verify" }]"#,
            ),
            "demo.ai",
            "steps[1].text.en",
            "empty string",
        ),
        (
            "choose with punctuation only",
            steps(
                r#"[{ do = "click-control" }, { do = "choose", text = { en = ["…"] } }, { do = "verify" }]"#,
            ),
            "demo.ai",
            "steps[1].text.en",
            "no letters",
        ),
        ("no steps", steps("[]"), "demo.ai", "steps", "no step"),
        (
            "save with no text",
            steps(r#"[{ do = "click-control" }, { do = "save" }, { do = "verify" }]"#),
            "demo.ai",
            "steps[1].text",
            "no text",
        ),
        (
            "save before click-control",
            steps(
                r#"[{ do = "save", text = { en = ["Save"] } }, { do = "click-control" }, { do = "verify" }]"#,
            ),
            "demo.ai",
            "steps[0]",
            "must come after click-control",
        ),
        (
            "two save steps",
            steps(
                r#"[{ do = "click-control" }, { do = "save", text = { en = ["Save"] } }, { do = "save", text = { en = ["Done"] } }, { do = "verify" }]"#,
            ),
            "demo.ai",
            "steps[2]",
            "only one save step",
        ),
        (
            "a destructive save",
            steps(
                r#"[{ do = "click-control" }, { do = "save", text = { en = ["Save and delete history"] } }, { do = "verify" }]"#,
            ),
            "demo.ai",
            "steps[1].text",
            "destructive",
        ),
        (
            "unknown step kind",
            steps(r#"[{ do = "click-control" }, { do = "jump" }, { do = "verify" }]"#),
            "demo.ai",
            "steps",
            "unknown variant",
        ),
        (
            "unknown step field",
            steps(r#"[{ do = "click-control", target = "x" }, { do = "verify" }]"#),
            "demo.ai",
            "target",
            "expected `do` or `text`",
        ),
        (
            "click-control with text",
            steps(r#"[{ do = "click-control", text = { en = ["x"] } }, { do = "verify" }]"#),
            "demo.ai",
            "steps[0].text",
            "only choose, confirm, open-tab, open, close and save take text",
        ),
        // openers and close buttons
        (
            "open without text",
            steps(r#"[{ do = "open" }, { do = "click-control" }, { do = "verify" }]"#),
            "demo.ai",
            "steps[0].text",
            "no text",
        ),
        (
            "open after click-control",
            steps(
                r#"[{ do = "click-control" }, { do = "open", text = { en = ["Settings"] } }, { do = "verify" }]"#,
            ),
            "demo.ai",
            "steps[1]",
            "open must come before click-control",
        ),
        (
            "open twice",
            steps(
                r#"[{ do = "open", text = { en = ["A"] } }, { do = "open", text = { en = ["B"] } }, { do = "click-control" }, { do = "verify" }]"#,
            ),
            "demo.ai",
            "steps[1]",
            "only one open step",
        ),
        (
            "open-tab after open",
            steps(
                r#"[{ do = "open", text = { en = ["A"] } }, { do = "open-tab", text = { en = ["Privacy"] } }, { do = "click-control" }, { do = "verify" }]"#,
            ),
            "demo.ai",
            "steps[1]",
            "open-tab steps must come before open",
        ),
        (
            "close before click-control",
            steps(
                r#"[{ do = "close", text = { en = ["Done"] } }, { do = "click-control" }, { do = "verify" }]"#,
            ),
            "demo.ai",
            "steps[0]",
            "choose, confirm, save and close must come after click-control",
        ),
        (
            "close with a destructive text",
            steps(
                r#"[{ do = "click-control" }, { do = "close", text = { en = ["Delete and close"] } }, { do = "verify" }]"#,
            ),
            "demo.ai",
            "steps[1].text",
            "holds the destructive word \"delet\"; close only with a button such as",
        ),
        (
            "open with a destructive text",
            steps(
                r#"[{ do = "open", text = { en = ["Clear history"] } }, { do = "click-control" }, { do = "verify" }]"#,
            ),
            "demo.ai",
            "steps[0].text",
            "holds the destructive word \"clear\"; open only with",
        ),
        (
            "close without text",
            steps(r#"[{ do = "click-control" }, { do = "close" }, { do = "verify" }]"#),
            "demo.ai",
            "steps[1].text",
            "no text",
        ),
        (
            "verify in the middle",
            steps(
                r#"[{ do = "click-control" }, { do = "verify" }, { do = "confirm", text = { en = ["Ok"] } }]"#,
            ),
            "demo.ai",
            "steps[1]",
            "verify must be the last",
        ),
        (
            "click-control twice",
            steps(r#"[{ do = "click-control" }, { do = "click-control" }, { do = "verify" }]"#),
            "demo.ai",
            "steps[1]",
            "only one click-control step",
        ),
        // bad URL patterns and URLs
        (
            "pattern with a query",
            bad(
                "pages = [\"/settings/ai\"]",
                "pages = [\"/settings/ai?x=1\"]",
            ),
            "demo.ai",
            "pages",
            "query",
        ),
        (
            "pattern with whitespace",
            bad(
                "pages = [\"/settings/ai\"]",
                "pages = [\"/settings/ai now\"]",
            ),
            "demo.ai",
            "pages",
            "whitespace",
        ),
        (
            "pattern with two hashes",
            bad(
                "pages = [\"/settings/ai\"]",
                "pages = [\"/settings/ai#a#b\"]",
            ),
            "demo.ai",
            "pages",
            "more than one #",
        ),
        (
            "pattern without slash",
            bad("pages = [\"/settings/ai\"]", "pages = [\"*/ai\"]"),
            "demo.ai",
            "pages",
            "must start with /",
        ),
        (
            "settings_url not on any page",
            bad(
                "settings_url = \"https://demo.example/settings/ai\"",
                "settings_url = \"https://demo.example/elsewhere\"",
            ),
            "demo.ai",
            "settings_url",
            "matches none of pages",
        ),
        (
            "settings_url not a url",
            bad(
                "settings_url = \"https://demo.example/settings/ai\"",
                "settings_url = \"https://\"",
            ),
            "demo.ai",
            "settings_url",
            "not an absolute url",
        ),
        (
            "host with a port",
            bad(
                "hosts = [\"demo.example\"]",
                "hosts = [\"demo.example\", \"demo.example:8443\"]",
            ),
            "demo",
            "hosts",
            "port",
        ),
        (
            "host with a path",
            bad(
                "hosts = [\"demo.example\"]",
                "hosts = [\"demo.example\", \"demo.example/x\"]",
            ),
            "demo",
            "hosts",
            "path",
        ),
        (
            "host with an empty label",
            bad(
                "hosts = [\"demo.example\"]",
                "hosts = [\"demo.example\", \"demo..example\"]",
            ),
            "demo",
            "hosts",
            "empty label",
        ),
        (
            "host with odd characters",
            bad(
                "hosts = [\"demo.example\"]",
                "hosts = [\"demo.example\", \"dém\u{200B}o.example\"]",
            ),
            "demo",
            "hosts",
            "invalid characters",
        ),
        // duplicate ids
        (
            "duplicate id in one file",
            format!(
                "{GOOD}{SECOND}{}",
                common::fixtures_toml("demo", "https://demo.example/settings/ai2")
            ),
            "demo.ai",
            "id",
            "duplicate setting id",
        ),
        // fixtures that reference nothing usable
        (
            "fixture not html",
            bad("file = \"demo/on.en.html\"", "file = \"demo/on.en.txt\""),
            "demo.ai",
            "fixture[0].file",
            "relative .html",
        ),
        (
            "fixture absolute",
            bad("file = \"demo/on.en.html\"", "file = \"/etc/passwd.html\""),
            "demo.ai",
            "fixture[0].file",
            "relative .html",
        ),
        (
            "empty never word",
            bad("default = \"on\"", "default = \"on\"\nnever = [\"--\"]"),
            "demo.ai",
            "never",
            "no letters",
        ),
        (
            "empty name",
            bad("name = \"Demo\"", "name = \" \""),
            "demo",
            "name",
            "empty",
        ),
        (
            "no setting",
            GOOD.split("[[setting]]").next().unwrap_or("").to_string(),
            "demo",
            "setting",
            "no [[setting]]",
        ),
    ]
}

fn errors(text: &str) -> Vec<RuleError> {
    Engine::load_toml(&[(FILE, text)]).err().unwrap_or_default()
}

#[test]
fn more_malformed_rules_name_file_rule_and_field() {
    let mut problems = Vec::new();
    for (what, text, id, field, part) in cases() {
        let errs = errors(&text);
        let hit = errs
            .iter()
            .any(|e| e.file == FILE && e.id == id && e.field == field && e.message.contains(part));
        if !hit {
            problems.push(format!(
                "{what}: want `{FILE}: {id}: {field}: ..{part}..`, got {:?}",
                errs.iter().map(ToString::to_string).collect::<Vec<_>>()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn duplicate_platform_across_files() {
    let errs = Engine::load_toml(&[
        (FILE, GOOD.to_string()),
        (
            "crate/rules/demo.toml",
            GOOD.replace("demo.ai", "demo.other"),
        ),
    ])
    .err()
    .unwrap_or_default();
    assert!(
        errs.iter()
            .any(|e| e.field == "platform" && e.message.contains("duplicate platform")),
        "{errs:?}"
    );
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("untrain-bad-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// Every malformed case, written to a rules directory of its own, makes `untrain check-rules`
/// exit 1 with a `<file>: <rule>: <field>: <message>` line.
#[test]
fn check_rules_answers_every_malformed_file() {
    let fixtures = temp_dir("fixtures");
    std::fs::create_dir_all(fixtures.join("demo")).expect("mkdir");
    for f in ["on", "off", "unknown"] {
        std::fs::write(fixtures.join(format!("demo/{f}.en.html")), "<html></html>").expect("w");
    }
    let run = |dir: &std::path::Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_untrain"))
            .args(["check-rules", "--dir"])
            .arg(dir)
            .arg("--fixtures")
            .arg(&fixtures)
            .output()
            .expect("run untrain");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // the good file passes (so each failure below is the case's own)
    let good = temp_dir("good");
    std::fs::write(good.join("demo.toml"), GOOD).expect("write");
    let (code, err) = run(&good);
    assert_eq!(code, Some(0), "{err}");

    let mut problems = Vec::new();
    for (i, (what, text, id, field, part)) in cases().into_iter().enumerate() {
        let dir = temp_dir(&format!("case{i}"));
        std::fs::write(dir.join("demo.toml"), &text).expect("write");
        let (code, err) = run(&dir);
        let want = format!("demo.toml: {id}: {field}: ");
        let ok = code == Some(1)
            && err.lines().any(|l| {
                l.contains(&want) && l.contains(part) && l.contains(&*dir.to_string_lossy())
            });
        if !ok {
            problems.push(format!(
                "{what}: exit {code:?}, want `{want}..{part}..`, got:\n{err}"
            ));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    // a fixture that references no file
    let dir = temp_dir("missing");
    std::fs::write(
        dir.join("demo.toml"),
        GOOD.replace("demo/unknown.en.html", "demo/nothing.en.html"),
    )
    .expect("write");
    let (code, err) = run(&dir);
    if code != Some(1) || !err.contains("demo.toml: demo.ai: fixture[2].file: ") {
        problems.push(format!("missing fixture file: exit {code:?}: {err}"));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

// ---------------------------------------------------------------- hostile snapshots

/// Generous bound for a debug build on a busy 2-core machine; the work itself is bounded by
/// MAX_CONTROLS and MAX_CHARS (asserted below through behaviour, not time).
const BUDGET: Duration = Duration::from_secs(20);

const AI: &str = "https://demo.example/settings/ai";

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let v = f();
    let took = t.elapsed();
    assert!(took < BUDGET, "{what} took {took:?}");
    v
}

#[test]
fn hundred_thousand_controls_within_budget() {
    let e = common::demo_engine();
    let filler = |i: usize| Control {
        index: i,
        role: ["switch", "checkbox", "button", "link"][i % 4].into(),
        name: format!("Option {i} use my data"),
        text: "Use my data to train".into(), // almost the label, on every row
        aria_checked: Some("true".into()),
        visible: true,
        ..Control::default()
    };
    // the setting's control inside the budget: found and clickable
    let mut controls: Vec<Control> = (0..100_000).map(filler).collect();
    controls[MAX_CONTROLS / 2] = switch(MAX_CONTROLS / 2, "Use my data to train AI", true);
    let snap = Snapshot {
        url: AI.into(),
        controls,
        ..Snapshot::default()
    };
    // through JSON, as the shell sends it
    let json = serde_json::to_string(&snap).expect("json");
    assert!(json.len() > 10_000_000, "{} bytes", json.len());
    let snap: Snapshot = timed("decode", || serde_json::from_str(&json).expect("decode"));
    let f = timed("evaluate", || e.evaluate(&snap));
    assert_eq!(f.findings[0].control, Some(MAX_CONTROLS / 2));
    let d = timed("next_step", || e.next_step(&snap, Plan::new("demo.toggle")));
    assert!(matches!(d.action, Action::Click { index, .. } if index == MAX_CONTROLS / 2));

    // the same control beyond the budget is not even looked at: absent, nothing clicked
    let mut snap = snap;
    let late = 99_999;
    snap.controls[MAX_CONTROLS / 2] = filler(MAX_CONTROLS / 2);
    snap.controls[late] = switch(late, "Use my data to train AI", true);
    let f = timed("evaluate", || e.evaluate(&snap));
    // every filler row reads like AI training to the keyword fallback, so without the label
    // match inside the budget the setting is ambiguous (or absent): never the late control
    assert!(
        matches!(
            f.findings[0].reason,
            Some(Reason::Absent | Reason::Ambiguous)
        ),
        "{:?}",
        f.findings[0]
    );
    assert_ne!(f.findings[0].control, Some(late));
    let d = timed("next_step", || e.next_step(&snap, Plan::new("demo.toggle")));
    assert!(!matches!(d.action, Action::Click { .. }), "{d:?}");
}

#[test]
fn very_long_and_odd_labels_within_budget() {
    let e = common::demo_engine();
    let long = "Use my data to train AI ".repeat(200_000); // ~4.8 MB of text per field
    let rtl = "\u{202E}IA niart ot atad ym esU\u{202C}"; // right-to-left override
    let zw = "Use\u{200B} my\u{200D} data\u{FEFF} to\u{2060} train AI"; // zero-width marks
    let arabic = "استخدم بياناتي لتدريب الذكاء الاصطناعي";
    let combining = "U\u{0301}\u{0301}\u{0301}se my data to train AI";
    let mut controls = Vec::new();
    for (i, name) in [long.as_str(), rtl, zw, arabic, combining]
        .iter()
        .enumerate()
    {
        let mut c = switch(i, name, true);
        c.text = long.clone();
        c.hint = long.clone();
        controls.push(c);
    }
    let snap = Snapshot {
        url: AI.into(),
        title: long.clone(),
        headings: vec![long.clone(); 1000],
        dialogs: vec![rtl.to_string(); 1000],
        controls,
        ..Snapshot::default()
    };
    let ev = timed("evaluate", || e.evaluate(&snap));
    // the long name and the zero-width-spaced name both read as the label: two equally good
    // matches, so the setting is ambiguous and nothing is clicked
    assert_eq!(
        (ev.findings[0].state, ev.findings[0].reason),
        (State::Unknown, Some(Reason::Ambiguous))
    );
    let d = timed("next_step", || e.next_step(&snap, Plan::new("demo.toggle")));
    assert!(!matches!(d.action, Action::Click { .. }), "{d:?}");
    // normalisation reads a bounded prefix
    assert!(untrain::text::normalize(&long).chars().count() <= MAX_CHARS * 2);

    // alone, a zero-width-broken label still reads like the training control to the keyword
    // fallback (what a person sees is the same sentence): matched by keywords, not by label
    let mut c = switch(0, "Use my da\u{200B}ta to train AI", true);
    c.text = String::new();
    let snap = Snapshot {
        url: AI.into(),
        controls: vec![c],
        ..Snapshot::default()
    };
    let ev = e.evaluate(&snap);
    assert_eq!(
        ev.findings[0].matched_by,
        Some(untrain::MatchedBy::Keywords),
        "{:?}",
        ev.findings[0]
    );
    // an RTL-spoofed label or one in a language without keywords is not the setting
    for name in [rtl, arabic] {
        let mut c = switch(0, name, true);
        c.text = String::new();
        let snap = Snapshot {
            url: AI.into(),
            controls: vec![c],
            ..Snapshot::default()
        };
        let d = e.next_step(&snap, Plan::new("demo.toggle"));
        assert!(!matches!(d.action, Action::Click { .. }), "{name:?}: {d:?}");
    }
}

#[test]
fn deeply_nested_json_is_an_error_not_a_crash() {
    // serde_json stops at depth 128: a page cannot overflow the stack through the snapshot
    let depth = 100_000;
    let deep = format!(
        "{{\"url\":\"{AI}\",\"controls\":[{{\"surprise\":{}1{}}}]}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    // ignored (unknown) fields are skipped without recursion: no crash, whatever the depth
    let _ = timed("decode", || serde_json::from_str::<Snapshot>(&deep));
    // typed fields stop at serde_json's depth limit (128) with an error
    let deep_typed = format!(
        "{{\"url\":\"{AI}\",\"headings\":{}\"x\"{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert!(timed("decode", || serde_json::from_str::<Snapshot>(&deep_typed)).is_err());
    let deep_plan = format!(
        "{{\"setting\":{}\"x\"{}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    assert!(serde_json::from_str::<Plan>(&deep_plan).is_err());
    // wrong types and unknown fields are errors or ignored, never a panic
    for bad in [
        r#"{"controls": 7}"#,
        r#"{"controls": [{"index": -1}]}"#,
        r#"{"controls": [{"index": 1e40}]}"#,
        r#"{"url": null}"#,
        r#"{"url": "\ud800"}"#,
        r#"{"controls": [{"checked": "yes"}]}"#,
        r#"[]"#,
        r#""#,
    ] {
        let _ = serde_json::from_str::<Snapshot>(bad);
    }
    let ok: Snapshot = serde_json::from_str(r#"{"url": "x", "surprise": {"a": [1]}}"#).expect("ok");
    assert_eq!(ok.url, "x");
}

#[test]
fn deeply_nested_html_within_budget() {
    // The native harvester (saved pages, the rule authors' tool) on 3,000 nested elements.
    // html5ever's tree builder scans the stack of open elements for each start tag, so its time
    // grows with depth squared (20,000 levels take minutes in a debug build); browsers cap the
    // parser's nesting (Chromium at 512), and the extension's harvester walks the browser's DOM
    // with bounded work per control (4 ancestor levels for the row).
    let depth = 3_000;
    let html = format!(
        "<html><body>{}<label><input type=checkbox role=switch checked> Use my data to train AI</label>{}</body></html>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let handle = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let snap = timed("harvest", || untrain::harvest::harvest(&html, AI));
            let e = common::demo_engine();
            let ev = timed("evaluate", || e.evaluate(&snap));
            (snap.controls.len(), ev.findings[0].state)
        })
        .expect("thread");
    let (n, state) = handle.join().expect("no panic");
    assert_eq!((n, state), (1, State::On));
}
