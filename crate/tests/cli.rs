//! The `untrain` command line: exit codes and output formats.

use std::process::Command;

fn untrain(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_untrain"))
        .args(args)
        .output()
        .expect("run untrain");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("untrain-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(untrain(&[]).0, 2);
    assert_eq!(untrain(&["frobnicate"]).0, 2);
    assert_eq!(untrain(&["scan", "x.html"]).0, 2);
    assert_eq!(untrain(&["check-rules", "--bogus", "x"]).0, 2);
}

#[test]
fn check_rules_reports_errors_and_missing_fixtures() {
    let dir = temp_dir("rules");
    let fixtures = temp_dir("fixtures");
    let text = include_str!("data/demo.toml");
    std::fs::write(dir.join("demo.toml"), text).expect("write");
    let (code, out, err) = untrain(&[
        "check-rules",
        "--dir",
        dir.to_str().expect("utf8"),
        "--fixtures",
        fixtures.to_str().expect("utf8"),
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("demo.toml: demo.toggle: fixture[0].file: "),
        "{err}"
    );
    let bad = text.replace(
        "labels = { en = [\"Model training\"] }",
        "labels = { en = [\"\"] }",
    );
    std::fs::write(dir.join("demo.toml"), bad).expect("write");
    let (code, _, err) = untrain(&["check-rules", "--dir", dir.to_str().expect("utf8")]);
    assert_eq!(code, 1);
    assert!(
        err.contains("demo.toml: demo.menu: labels.en: empty string"),
        "{err}"
    );
}

#[test]
fn check_rules_passes_on_the_repository() {
    let (code, out, err) = untrain(&["check-rules"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("total:"), "{out}");
}

#[test]
fn snapshot_and_scan_print_json() {
    let dir = temp_dir("page");
    let page = dir.join("p.html");
    std::fs::write(
        &page,
        r#"<html lang="en"><body><label><input type="checkbox" checked> Use my data</label></body></html>"#,
    )
    .expect("write");
    let (code, out, _) = untrain(&[
        "snapshot",
        "--url",
        "https://example.com/",
        page.to_str().expect("utf8"),
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["controls"][0]["name"], "Use my data");
    assert_eq!(v["controls"][0]["checked"], true);
    let (code, out, _) = untrain(&[
        "scan",
        "--url",
        "https://example.com/",
        page.to_str().expect("utf8"),
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["findings"], serde_json::json!([]));
}
