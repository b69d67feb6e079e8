//! docs/rules.schema.json is the schema `untrain rules-schema` generates from the rule model
//! (tests/unit/rules-schema.test.mjs checks the rule files against it).

use std::path::Path;

#[test]
fn docs_rules_schema_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules.schema.json");
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    let want = untrain_model::rule::schema::rule_schema();
    assert!(
        have == want,
        "docs/rules.schema.json is out of date with crate/model/src/rule/model.rs: \
         cargo run -p untrain -- rules-schema > docs/rules.schema.json"
    );
}

#[test]
fn the_schema_names_every_step_kind_and_closes_every_object() {
    let schema: serde_json::Value =
        serde_json::from_str(&untrain_model::rule::schema::rule_schema()).expect("json");
    let kinds = &schema["$defs"]["StepKind"];
    let text = kinds.to_string();
    for k in [
        "click-control",
        "choose",
        "confirm",
        "open-tab",
        "open",
        "close",
        "save",
        "verify",
    ] {
        assert!(text.contains(&format!("\"{k}\"")), "{k} in {text}");
    }
    // deny_unknown_fields: a misspelt field is an error in the editor too
    for def in ["Setting", "Step", "Fixture", "Prefill"] {
        assert_eq!(
            schema["$defs"][def]["additionalProperties"],
            serde_json::Value::Bool(false),
            "{def}"
        );
    }
    assert_eq!(
        schema["additionalProperties"],
        serde_json::Value::Bool(false)
    );
}
