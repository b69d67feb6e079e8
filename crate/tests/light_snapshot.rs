//! The shell harvests a light snapshot on busy pages: full records only for the roles
//! `classify(url).roles` names, and index, role and name for every other control. The engine
//! must answer exactly as it does for the full snapshot; checked on every fixture page, for
//! `evaluate` and for the first planned step of every setting and suspect of the platform.

use std::path::{Path, PathBuf};
use untrain::harvest::harvest;
use untrain::{Control, Engine, Plan, Snapshot, SUSPECTED};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn rule_files() -> Vec<(String, String)> {
    let dir = root().join("crate/rules");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|x| x == "toml"));
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy();
            (
                format!("crate/rules/{name}"),
                std::fs::read_to_string(p).expect("readable rule file"),
            )
        })
        .collect()
}

/// What harvest.js sends for a control whose role the engine does not read.
fn lighten(snap: &Snapshot, roles: &[String]) -> Snapshot {
    let mut light = snap.clone();
    for c in &mut light.controls {
        if !roles.contains(&c.role) {
            *c = Control {
                index: c.index,
                role: c.role.clone(),
                name: c.name.clone(),
                ..Control::default()
            };
        }
    }
    light
}

#[test]
fn a_light_snapshot_reads_and_plans_like_the_full_one() {
    let sets = Engine::load_toml(&rule_files()).expect("valid rules");
    let e = Engine::from_rule_sets(sets.clone()).expect("engine");
    let mut pages = 0;
    let mut lightened = 0;
    for set in &sets {
        for s in &set.settings {
            for fx in &s.fixtures {
                let path = root().join("tests/fixtures").join(&fx.file);
                let html = std::fs::read_to_string(&path).expect("fixture");
                let snap = harvest(&html, &fx.url);
                let page = e.classify(&fx.url).expect("fixture url is a platform's");
                for r in s.roles.iter() {
                    assert!(
                        page.roles.contains(r),
                        "{}: role {r} not in {:?}",
                        s.id,
                        page.roles
                    );
                }
                let light = lighten(&snap, &page.roles);
                lightened += snap
                    .controls
                    .iter()
                    .filter(|c| !page.roles.contains(&c.role))
                    .count();
                let tag = format!("{} {}", s.id, fx.file);
                let full_ev = e.evaluate(&snap);
                assert_eq!(full_ev, e.evaluate(&light), "{tag}: evaluate");
                let mut plans: Vec<Plan> = set.settings.iter().map(|x| Plan::new(&x.id)).collect();
                for sus in &full_ev.suspected {
                    let mut p = Plan::new(SUSPECTED);
                    p.suspect = Some(sus.key.clone());
                    plans.push(p);
                }
                for p in plans {
                    let full = e.next_step(&snap, p.clone());
                    assert_eq!(
                        full,
                        e.next_step(&light, p.clone()),
                        "{tag}: next_step {p:?}"
                    );
                    // and the step after it, on the same page
                    let again = e.next_step(&snap, full.plan.clone());
                    assert_eq!(again, e.next_step(&light, full.plan), "{tag}: second step");
                }
                pages += 1;
            }
        }
    }
    assert!(pages > 100, "only {pages} fixture pages");
    // the check means something: many controls were cut down to index, role and name
    assert!(lightened > 200, "only {lightened} controls were lightened");
}

#[test]
fn roles_cover_what_the_rules_click() {
    let e = Engine::embedded().expect("embedded rules");
    let page = e
        .classify("https://www.linkedin.com/mypreferences/d/settings/data-for-ai-improvement")
        .expect("linkedin");
    assert!(page.settings_page);
    for r in ["checkbox", "switch"] {
        assert!(page.roles.iter().any(|x| x == r), "{r} in {:?}", page.roles);
    }
    assert!(!page.roles.iter().any(|x| x == "link"), "{:?}", page.roles);
    let mut sorted = page.roles.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, page.roles, "sorted, no duplicates");
}
