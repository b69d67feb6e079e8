//! Parses and validates `crate/rules/*.toml` at compile time (a malformed rule fails the build)
//! and writes them as JSON to `$OUT_DIR/rules.json`: the extension packages that file
//! (`untrain rules-json`, `build.sh`) and the native engine embeds it (`untrain::RULES_JSON`).

use std::path::PathBuf;
use untrain_model::rule::{load, model};
use untrain_model::text;

fn main() {
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    let dir = manifest.join("rules");
    println!("cargo:rerun-if-changed={}", dir.display());
    println!("cargo:rerun-if-changed=build.rs");
    let mut names: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in &names {
        println!("cargo:rerun-if-changed={}", p.display());
        let shown = format!(
            "crate/rules/{}",
            p.file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        );
        match std::fs::read_to_string(p) {
            Ok(t) => files.push((shown, t)),
            Err(e) => errors.push(format!("{shown}: -: file: cannot read: {e}")),
        }
    }
    let sets = match load::load(&files, true) {
        Ok(sets) => sets,
        Err(errs) => {
            errors.extend(errs.iter().map(|e| e.to_string()));
            Vec::new()
        }
    };
    if !errors.is_empty() {
        for e in &errors {
            println!("cargo:warning={e}");
        }
        panic!("invalid rules:\n{}", errors.join("\n"));
    }
    // fixtures, notes and sources are for people and tests only; keep the shipped rules small
    let sets: Vec<model::RuleSet> = sets
        .into_iter()
        .map(|mut s| {
            s.settings.iter_mut().for_each(|st| {
                st.fixtures.clear();
                st.evidence = None;
                // a `never` word that holds a built-in destructive stem at a word start adds
                // nothing: a name holding the word at a word start holds the stem at a word
                // start too (a whole-word stem, `x$`, is not relied on: the word may go on)
                st.never.retain(|w| {
                    let n = text::normalize(w);
                    !model::DESTRUCTIVE
                        .iter()
                        .any(|d| !d.ends_with('$') && text::has_stem(&n, d))
                });
            });
            s.notes = None;
            s.sources.clear();
            s
        })
        .collect();
    let json = match serde_json::to_string(&sets) {
        Ok(j) => j,
        Err(e) => panic!("cannot serialise rules: {e}"),
    };
    if let Err(e) = std::fs::write(out.join("rules.json"), json) {
        panic!("cannot write rules.json: {e}");
    }
}
