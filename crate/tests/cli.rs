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

#[test]
fn coverage_prints_check_and_write() {
    let dir = temp_dir("coverage");
    let rules = dir.join("rules");
    std::fs::create_dir_all(&rules).expect("dir");
    std::fs::write(rules.join("demo.toml"), include_str!("data/demo.toml")).expect("write");
    let rules_s = rules.to_str().expect("utf8");
    let (code, out, err) = untrain(&["coverage", "--dir", rules_s]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(
            "| Platform | Setting | Automation | Languages | Regions | Confidence | Evidence |"
        ),
        "{out}"
    );
    // demo.toml states no evidence
    assert!(
        out.contains("| Demo | AI training | automatic | en, de | all | high | not stated |"),
        "{out}"
    );
    assert!(out.contains(
        "1 platforms, 3 settings: 3 automatic, 0 guided, 0 safe by default; evidence: 3 not stated."
    ));
    let readme = dir.join("README.md");
    std::fs::write(
        &readme,
        "# X\n\n## Coverage\n\n<!-- coverage:start -->\nold\n<!-- coverage:end -->\n\nTail.\n",
    )
    .expect("write");
    let readme_s = readme.to_str().expect("utf8");
    let (code, _, err) = untrain(&["coverage", "--dir", rules_s, "--check", readme_s]);
    assert_eq!(code, 1);
    assert!(
        err.contains("out of date") && err.contains("coverage --write"),
        "{err}"
    );
    let (code, _, err) = untrain(&["coverage", "--dir", rules_s, "--write", readme_s]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&readme).expect("read");
    assert!(text.starts_with("# X\n\n## Coverage\n\n<!-- coverage:start -->\n| Platform"));
    assert!(text.ends_with("<!-- coverage:end -->\n\nTail.\n"), "{text}");
    assert!(!text.contains("old"));
    let (code, out, _) = untrain(&["coverage", "--dir", rules_s, "--check", readme_s]);
    assert_eq!(code, 0, "{out}");
    // no markers: a clear error
    std::fs::write(&readme, "# X\n").expect("write");
    let (code, _, err) = untrain(&["coverage", "--dir", rules_s, "--check", readme_s]);
    assert_eq!(code, 1);
    assert!(err.contains("no <!-- coverage:start --> marker"), "{err}");
    assert_eq!(untrain(&["coverage", "--check", "a", "--write", "b"]).0, 2);
}

/// CI: the README's coverage table is generated from the rule files and must be current.
#[test]
fn readme_coverage_table_is_current() {
    let readme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let (code, out, err) = untrain(&["coverage", "--check", readme.to_str().expect("utf8")]);
    assert_eq!(
        code, 0,
        "{out}{err}\nrun: cargo run -p untrain -- coverage --write README.md"
    );
}
