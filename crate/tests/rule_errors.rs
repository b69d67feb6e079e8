//! Malformed rule files: each error names the file, the rule or setting id and the field.

use untrain::{Engine, RuleError};

use crate::common::{bad, FILE, GOOD};

fn errors(files: &[(&str, &str)]) -> Vec<RuleError> {
    match Engine::load_toml(files) {
        Ok(_) => Vec::new(),
        Err(e) => e,
    }
}

#[test]
fn the_good_file_is_good() {
    assert_eq!(errors(&[(FILE, GOOD)]), Vec::<RuleError>::new());
}

#[test]
fn each_malformed_file_names_file_id_and_field() {
    let other = bad("platform = \"demo\"", "platform = \"other\"")
        .replace("hosts = [\"demo.example\"]", "hosts = [\"other.example\"]")
        .replace("https://demo.example", "https://other.example");
    // (what, files, file, id, field, message part)
    type Case<'a> = (
        &'a str,
        Vec<(&'a str, String)>,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
    );
    let cases: Vec<Case> = vec![
        (
            "syntax error",
            vec![(FILE, bad("name = \"Demo\"", "name = \"Demo"))],
            FILE,
            "demo",
            "syntax",
            "line 3",
        ),
        (
            "unknown top field",
            vec![(FILE, bad("version = 1", "version = 1\ncolour = \"red\""))],
            FILE,
            "demo",
            "colour",
            "unknown field",
        ),
        (
            "unknown setting field",
            vec![(FILE, bad("default = \"on\"", "default = \"on\"\nfoo = 1"))],
            FILE,
            "demo.ai",
            "foo",
            "unknown field",
        ),
        (
            "unknown fixture field",
            vec![(
                FILE,
                bad("expect = \"off\"", "expect = \"off\"\nwhy = \"x\""),
            )],
            FILE,
            "demo.ai",
            "fixture.why",
            "unknown field",
        ),
        (
            "bad enum value",
            vec![(FILE, bad("confidence = \"high\"", "confidence = \"sure\""))],
            FILE,
            "demo",
            "confidence",
            "unknown variant",
        ),
        (
            "bad setting enum",
            vec![(FILE, bad("off_means = \"unchecked\"", "off_means = \"no\""))],
            FILE,
            "demo.ai",
            "off_means",
            "unknown variant",
        ),
        (
            "bad evidence value",
            vec![(
                FILE,
                bad(
                    "off_means = \"unchecked\"",
                    "off_means = \"unchecked\"\nevidence = \"certain\"",
                ),
            )],
            FILE,
            "demo.ai",
            "evidence",
            "unknown variant",
        ),
        (
            "missing field",
            vec![(FILE, bad("title = \"AI training\"\n", ""))],
            FILE,
            "demo.ai",
            "title",
            "missing field",
        ),
        (
            "empty label",
            vec![(FILE, bad("[\"Use my data for AI\"]", "[\"\"]"))],
            FILE,
            "demo.ai",
            "labels.en",
            "empty string",
        ),
        (
            "no label",
            vec![(
                FILE,
                bad(
                    "labels = { en = [\"Use my data for AI\"] }",
                    "labels = { en = [] }",
                ),
            )],
            FILE,
            "demo.ai",
            "labels",
            "no label in any language",
        ),
        (
            "punctuation label",
            vec![(FILE, bad("[\"Use my data for AI\"]", "[\"—\"]"))],
            FILE,
            "demo.ai",
            "labels.en",
            "no letters",
        ),
        (
            "bad language",
            vec![(FILE, bad("{ en = [\"Use", "{ eng = [\"Use"))],
            FILE,
            "demo.ai",
            "labels.eng",
            "iso 639-1",
        ),
        (
            "bad page pattern",
            vec![(
                FILE,
                bad("pages = [\"/settings/ai\"]", "pages = [\"settings/ai\"]"),
            )],
            FILE,
            "demo.ai",
            "pages",
            "must start with /",
        ),
        (
            "triple star",
            vec![(
                FILE,
                bad("pages = [\"/settings/ai\"]", "pages = [\"/settings/***\"]"),
            )],
            FILE,
            "demo.ai",
            "pages",
            "wildcard",
        ),
        (
            "no pages",
            vec![(FILE, bad("pages = [\"/settings/ai\"]", "pages = []"))],
            FILE,
            "demo.ai",
            "pages",
            "no page",
        ),
        (
            "duplicate id across files",
            vec![
                (FILE, GOOD.to_string()),
                (
                    "crate/rules/other.toml",
                    other.replace("id = \"other.ai\"", "id = \"demo.ai\""),
                ),
            ],
            "crate/rules/other.toml",
            "demo.ai",
            "id",
            "duplicate setting id, also in crate/rules/demo.toml",
        ),
        (
            "steps not ending in verify",
            vec![(
                FILE,
                bad(
                    "{ do = \"verify\" }",
                    "{ do = \"choose\", text = { en = [\"Off\"] } }",
                ),
            )],
            FILE,
            "demo.ai",
            "steps[1]",
            "last step must be verify",
        ),
        (
            "choose without text",
            vec![(
                FILE,
                bad(
                    "{ do = \"click-control\" },",
                    "{ do = \"click-control\" }, { do = \"choose\" },",
                ),
            )],
            FILE,
            "demo.ai",
            "steps[1].text",
            "no text",
        ),
        (
            "first step not click",
            vec![(
                FILE,
                bad(
                    "{ do = \"click-control\" },",
                    "{ do = \"confirm\", text = { en = [\"Ok\"] } },",
                ),
            )],
            FILE,
            "demo.ai",
            "steps[0]",
            "click-control",
        ),
        (
            "settings_url host not in hosts",
            vec![(
                FILE,
                bad(
                    "settings_url = \"https://demo.example",
                    "settings_url = \"https://evil.example",
                ),
            )],
            FILE,
            "demo.ai",
            "settings_url",
            "not in hosts",
        ),
        (
            "settings_url http",
            vec![(
                FILE,
                bad("settings_url = \"https://", "settings_url = \"http://"),
            )],
            FILE,
            "demo.ai",
            "settings_url",
            "https://",
        ),
        (
            "unknown role",
            vec![(FILE, bad("roles = [\"switch\"]", "roles = [\"toggle\"]"))],
            FILE,
            "demo.ai",
            "roles",
            "unknown role",
        ),
        (
            "no role",
            vec![(FILE, bad("roles = [\"switch\"]", "roles = []"))],
            FILE,
            "demo.ai",
            "roles",
            "no role",
        ),
        (
            "platform not the stem",
            vec![("crate/rules/demo2.toml", GOOD.to_string())],
            "crate/rules/demo2.toml",
            "demo",
            "platform",
            "file stem",
        ),
        (
            "bad slug",
            vec![(FILE, bad("platform = \"demo\"", "platform = \"Demo\""))],
            FILE,
            "Demo",
            "platform",
            "slug",
        ),
        (
            "setting id prefix",
            vec![(FILE, bad("id = \"demo.ai\"", "id = \"x.ai\""))],
            FILE,
            "x.ai",
            "id",
            "demo.<slug>",
        ),
        (
            "host with scheme",
            vec![(
                FILE,
                bad(
                    "hosts = [\"demo.example\"]",
                    "hosts = [\"demo.example\", \"https://demo.example\"]",
                ),
            )],
            FILE,
            "demo",
            "hosts",
            "scheme",
        ),
        (
            "host uppercase",
            vec![(
                FILE,
                bad(
                    "hosts = [\"demo.example\"]",
                    "hosts = [\"demo.example\", \"Demo.example\"]",
                ),
            )],
            FILE,
            "demo",
            "hosts",
            "lowercase",
        ),
        (
            "host wildcard not leading",
            vec![(
                FILE,
                bad(
                    "hosts = [\"demo.example\"]",
                    "hosts = [\"demo.example\", \"a*.demo.example\"]",
                ),
            )],
            FILE,
            "demo",
            "hosts",
            "wildcard",
        ),
        (
            "no hosts",
            vec![(FILE, bad("hosts = [\"demo.example\"]", "hosts = []"))],
            FILE,
            "demo",
            "hosts",
            "no host",
        ),
        (
            "no sources",
            vec![(FILE, bad("sources = [\"test\"]", "sources = []"))],
            FILE,
            "demo",
            "sources",
            "no source",
        ),
        (
            "version 0",
            vec![(FILE, bad("version = 1", "version = 0"))],
            FILE,
            "demo",
            "version",
            ">= 1",
        ),
        (
            "no unknown fixture",
            vec![(FILE, bad("expect = \"unknown\"", "expect = \"absent\""))],
            FILE,
            "demo.ai",
            "fixture",
            "expect = \"unknown\"",
        ),
        (
            "fixture url host",
            vec![(
                FILE,
                bad(
                    "url = \"https://demo.example/settings/ai\"\nexpect = \"off\"",
                    "url = \"https://evil.example/settings/ai\"\nexpect = \"off\"",
                ),
            )],
            FILE,
            "demo.ai",
            "fixture[1].url",
            "not in hosts",
        ),
        (
            "fixture file escapes",
            vec![(
                FILE,
                bad("file = \"demo/on.en.html\"", "file = \"../on.en.html\""),
            )],
            FILE,
            "demo.ai",
            "fixture[0].file",
            "relative",
        ),
    ];
    let mut problems = Vec::new();
    for (what, files, file, id, field, part) in &cases {
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        let errs = errors(&files);
        let hit = errs.iter().any(|e| {
            e.file == *file
                && e.id == *id
                && e.field == *field
                && e.message.contains(part)
                && e.to_string() == format!("{}: {}: {}: {}", e.file, e.id, e.field, e.message)
        });
        if !hit {
            problems.push(format!(
                "{what}: want `{file}: {id}: {field}: ..{part}..`, got {:?}",
                errs.iter().map(ToString::to_string).collect::<Vec<_>>()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn messages_are_one_line() {
    let text = bad("name = \"Demo\"", "name = [1,");
    let errs = errors(&[(FILE, text.as_str())]);
    assert!(!errs.is_empty());
    for e in errs {
        assert!(!e.to_string().contains('\n'), "{e}");
    }
}

/// A guided setting (form + email, instructions, prepared text, prefill).
const GUIDED: &str = r#"
platform = "demo"
name = "Demo"
hosts = ["demo.example"]
confidence = "medium"
sources = ["test"]
version = 1

[[setting]]
id = "demo.form"
title = "Objection form"
automation = "guided"
pages = ["/form"]
settings_url = "https://demo.example/form"
form_url = "https://demo.example/form"
email = "privacy@demo.example"
email_subject = "Objection"
default = "on"
instructions = { en = ["Open the form.", "Press Send yourself."] }
prepared_text = { en = "I object." }
prefill = { roles = ["textbox"], labels = { en = ["Reason"] }, text = "en" }

[[setting.fixture]]
file = "demo/form.en.html"
url = "https://demo.example/form"
expect = "manual"
"#;

fn guided_bad(from: &str, to: &str) -> String {
    assert!(GUIDED.contains(from), "test bug: {from:?}");
    GUIDED.replacen(from, to, 1)
}

#[test]
fn automation_levels_are_validated() {
    assert_eq!(errors(&[(FILE, GUIDED)]), Vec::<RuleError>::new());
    let cases: Vec<(&str, String, &str, &str)> = vec![
        (
            "guided without instructions",
            guided_bad("instructions = { en = [\"Open the form.\", \"Press Send yourself.\"] }\n", ""),
            "instructions",
            "no text in any language",
        ),
        (
            "guided without form or email",
            guided_bad("form_url = \"https://demo.example/form\"\nemail = \"privacy@demo.example\"\nemail_subject = \"Objection\"\n", "")
                .replace("prefill = { roles = [\"textbox\"], labels = { en = [\"Reason\"] }, text = \"en\" }\n", ""),
            "form_url",
            "needs form_url or email",
        ),
        (
            "guided form not https",
            guided_bad("form_url = \"https://demo.example/form\"", "form_url = \"http://demo.example/form\""),
            "form_url",
            "https://",
        ),
        (
            "guided bad email",
            guided_bad("email = \"privacy@demo.example\"", "email = \"privacy\""),
            "email",
            "not an email address",
        ),
        (
            "guided with a control",
            guided_bad("default = \"on\"\n", "default = \"on\"\nroles = [\"switch\"]\n"),
            "roles",
            "guided settings have no control",
        ),
        (
            "prefill text language missing",
            guided_bad("text = \"en\"", "text = \"de\""),
            "prefill.text",
            "no prepared_text.de",
        ),
        (
            "guided fixture expecting on",
            guided_bad("expect = \"manual\"", "expect = \"on\""),
            "fixture",
            "no fixture with expect = \"manual\"",
        ),
        (
            "safe-by-default must default off",
            bad("automation = \"automatic\"", "automation = \"safe-by-default\""),
            "default",
            "default = \"off\"",
        ),
        (
            "off_option without select",
            bad(
                "roles = [\"switch\"]",
                "roles = [\"switch\"]\noff_option = { en = [\"Off\"] }",
            ),
            "off_option",
            "select",
        ),
        (
            "select without off_option",
            bad("roles = [\"switch\"]", "roles = [\"select\"]"),
            "off_option",
            "no text in any language",
        ),
        (
            "open-tab after click-control",
            bad(
                "{ do = \"click-control\" },",
                "{ do = \"click-control\" }, { do = \"open-tab\", text = { en = [\"Privacy\"] } },",
            ),
            "steps[1]",
            "open-tab steps must come before click-control",
        ),
        (
            "open-tab without text",
            bad(
                "steps = [{ do = \"click-control\" },",
                "steps = [{ do = \"open-tab\" }, { do = \"click-control\" },",
            ),
            "steps[0].text",
            "no text",
        ),
        (
            "form fields on an automatic setting",
            bad(
                "roles = [\"switch\"]",
                "roles = [\"switch\"]\nemail = \"a@demo.example\"",
            ),
            "email",
            "only guided settings",
        ),
        (
            "bad settings_pages",
            bad("version = 1", "version = 1\nsettings_pages = [\"settings\"]"),
            "settings_pages",
            "must start with /",
        ),
    ];
    let mut problems = Vec::new();
    for (what, text, field, part) in &cases {
        let errs = errors(&[(FILE, text.as_str())]);
        if !errs
            .iter()
            .any(|e| e.file == FILE && e.field == *field && e.message.contains(part))
        {
            problems.push(format!(
                "{what}: want field {field} ..{part}.., got {:?}",
                errs.iter().map(ToString::to_string).collect::<Vec<_>>()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // a tab step before click-control is fine
    let ok = bad(
        "steps = [{ do = \"click-control\" },",
        "steps = [{ do = \"open-tab\", text = { en = [\"Privacy\"] } }, { do = \"click-control\" },",
    );
    assert_eq!(errors(&[(FILE, ok.as_str())]), Vec::<RuleError>::new());
}
