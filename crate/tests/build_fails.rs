//! A malformed rule file fails `cargo build` (build.rs validates crate/rules/*.toml) with a
//! message that names file, rule and field.
//!
//! Copies the workspace's manifests, lock file and crate sources (with the `untrain-model`
//! crate) to a temporary directory,
//! breaks one rule there and runs `cargo check --offline` on the copy (build.rs runs for a check
//! as for a build) with a target directory of
//! its own under target/ (reused between runs, so only the first run compiles the build
//! script's dependencies). Ignored in a plain `cargo test` (it runs cargo); `./build.sh test`
//! runs it with `cargo test --test build_fails -- --ignored`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from)
        .expect("read_dir")
        .filter_map(Result::ok)
    {
        let p = e.path();
        let dest = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).expect("copy");
        }
    }
}

fn cargo_build(dir: &Path, target: &Path) -> (bool, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(dir)
        // `check` runs build.rs exactly as `build` does, without compiling the library's own
        // dependencies to machine code (65 s -> 28 s from an empty target), and without the
        // native tools (scraper: 28 s -> 21 s)
        .args([
            "check",
            "--offline",
            "-p",
            "untrain",
            "--lib",
            "--no-default-features",
        ])
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("run cargo");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
#[ignore = "runs cargo build on a copy of the crate; ./build.sh test runs it"]
fn a_bad_rule_fails_the_build_naming_file_rule_and_field() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("root")
        .to_path_buf();
    let tmp = std::env::temp_dir().join(format!("untrain-build-fails-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).expect("tmp");
    std::fs::copy(root.join("Cargo.toml"), tmp.join("Cargo.toml")).expect("Cargo.toml");
    std::fs::copy(root.join("Cargo.lock"), tmp.join("Cargo.lock")).expect("Cargo.lock");
    std::fs::create_dir_all(tmp.join("crate")).expect("crate");
    std::fs::copy(root.join("crate/Cargo.toml"), tmp.join("crate/Cargo.toml")).expect("toml");
    std::fs::copy(root.join("crate/build.rs"), tmp.join("crate/build.rs")).expect("build.rs");
    copy_dir(&root.join("crate/src"), &tmp.join("crate/src"));
    copy_dir(&root.join("crate/rules"), &tmp.join("crate/rules"));
    copy_dir(&root.join("crate/model"), &tmp.join("crate/model"));
    let target = root.join("target/build-fails");

    // break the first label of the first rule file (an empty label)
    let mut rules: Vec<PathBuf> = std::fs::read_dir(tmp.join("crate/rules"))
        .expect("rules")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    rules.sort();
    let file = rules.first().expect("a rule file").clone();
    let text = std::fs::read_to_string(&file).expect("read");
    let id = text
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("id = \"")
                .and_then(|r| r.split('"').next())
        })
        .expect("a setting id")
        .to_string();
    let broken = if let Some(at) = text.find("[setting.labels]\n") {
        // table form: the first language line becomes `xx = [""]`
        let line_start = at + "[setting.labels]\n".len();
        let line_end = line_start + text[line_start..].find('\n').expect("a label line");
        let key = text[line_start..line_end]
            .split('=')
            .next()
            .expect("key")
            .trim();
        format!("{}{key} = [\"\"]{}", &text[..line_start], &text[line_end..])
    } else {
        // inline form: labels = { xx = ["..."], ... }
        let start = text.find("labels = {").expect("labels");
        let open = start + text[start..].find("[\"").expect("label list") + 1;
        let close = open + text[open..].find("\"]").expect("end of list") + 1;
        format!("{}\"\"{}", &text[..open], &text[close..])
    };
    std::fs::write(&file, broken).expect("write");

    let (ok, err) = cargo_build(&tmp, &target);
    let name = file
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let want = format!("crate/rules/{name}: {id}: labels.");
    assert!(!ok, "cargo build passed with a broken rule:\n{err}");
    assert!(
        err.contains(&want) && err.contains("empty string"),
        "want `{want}..: empty string` in:\n{err}"
    );
    assert!(err.contains("invalid rules"), "{err}");
    let _ = std::fs::remove_dir_all(&tmp);
}
