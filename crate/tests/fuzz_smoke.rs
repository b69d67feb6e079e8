//! Stable-toolchain smoke run of the fuzz targets (crate/fuzz/bodies.rs, the same bodies
//! cargo-fuzz runs): seeds from the real rule files and the harvested fixture pages, mutated by a
//! deterministic generator for a bounded time per target.
//!
//! Budget: `UNTRAIN_FUZZ_SECS` seconds per target (default 3; `./build.sh test` sets more).
//! A failing input is written to `target/fuzz-smoke-<target>-crash.bin` before the panic.

#[path = "../fuzz/bodies.rs"]
mod bodies;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::Rng;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn budget() -> Duration {
    let secs = std::env::var("UNTRAIN_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(3);
    Duration::from_secs(secs)
}

const TOKENS: &[&str] = &[
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    "[[",
    "]]",
    "=",
    ",",
    "\n",
    "#",
    "\\",
    "\\u0000",
    "null",
    "true",
    "-1",
    "1e999",
    "18446744073709551616",
    "\"\"",
    "[]",
    "{}",
    "\n[[setting]]\n",
    "\n[[setting.fixture]]\n",
    "do = \"choose\"",
    "do = \"verify\"",
    "**",
    "*",
    "/",
    "?",
    "#x#y",
    "\u{200B}",
    "\u{202E}",
    "\u{FEFF}",
    "é",
    "ß",
    "𝔘",
    "\"index\":",
    "\"controls\":[",
    "\"role\":\"switch\"",
    "\"aria_checked\":\"true\"",
    "\"checked\":true",
    "\"name\":\"",
    "\"plan\":{\"setting\":\"",
    "\"step\":",
    "\"clicked\":[",
    "4294967295",
    "\"off_reads\":4294967295",
    "\"waits\":4294967295",
    "\"actions\":4294967295",
    "\"off_reads\":",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], input: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..=rng.below(4) {
        let len = v.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                v[i] ^= 1 << rng.below(8);
            }
            1 => {
                let i = rng.below(len + 1);
                v.insert(i, rng.next() as u8);
            }
            2 if len > 0 => {
                let a = rng.below(len);
                let b = (a + rng.below(64)).min(len);
                v.drain(a..b);
            }
            3 if len > 0 => {
                let a = rng.below(len);
                let b = (a + rng.below(256)).min(len);
                let chunk = v[a..b].to_vec();
                let at = rng.below(v.len() + 1);
                v.splice(at..at, chunk);
            }
            4 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let at = rng.below(len + 1);
                v.splice(at..at, t.iter().copied());
            }
            5 => {
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let a = rng.below(other.len());
                    let b = (a + rng.below(512)).min(other.len());
                    let at = rng.below(len + 1);
                    v.splice(at..at, other[a..b].iter().copied());
                }
            }
            _ if len > 0 => v.truncate(rng.below(len)),
            _ => {}
        }
    }
    v
}

fn run(name: &str, seeds: Vec<Vec<u8>>, body: fn(&[u8])) -> usize {
    assert!(!seeds.is_empty(), "{name}: no seeds");
    let crash = root().join(format!("target/fuzz-smoke-{name}-crash.bin"));
    let check = |data: &[u8]| {
        let r = std::panic::catch_unwind(|| body(data));
        if let Err(e) = r {
            let _ = std::fs::create_dir_all(root().join("target"));
            let _ = std::fs::write(&crash, data);
            std::panic::resume_unwind(e);
        }
    };
    for s in &seeds {
        check(s);
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ name.len() as u64);
    let start = Instant::now();
    let mut n = 0;
    let mut current = seeds[0].clone();
    while start.elapsed() < budget() {
        if n % 16 == 0 {
            current = seeds[rng.below(seeds.len())].clone();
        }
        current = mutate(&mut rng, &seeds, &current);
        if current.len() > 1 << 20 {
            current.truncate(1 << 20);
        }
        check(&current);
        n += 1;
    }
    eprintln!("fuzz smoke {name}: {n} inputs in {:?}", start.elapsed());
    n
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p, ext));
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn fuzz_smoke_rules() {
    let r = root();
    let mut seeds: Vec<Vec<u8>> = files(&r.join("crate/rules"), "toml")
        .into_iter()
        .chain(files(&r.join("crate/tests/data"), "toml"))
        .chain(files(&r.join("crate/fuzz/corpus/rules"), "toml"))
        .filter_map(|p| std::fs::read(p).ok())
        .collect();
    // a seed that passes validation when read as crate/rules/fuzz.toml
    if let Some(demo) = seeds.iter().find(|s| s.starts_with(b"# Test-only")) {
        let t = String::from_utf8_lossy(demo)
            .replace("platform = \"demo\"", "platform = \"fuzz\"")
            .replace("id = \"demo.", "id = \"fuzz.");
        seeds.push(t.into_bytes());
    }
    let n = run("rules", seeds, bodies::rules);
    assert!(n > 0);
}

#[test]
fn fuzz_smoke_snapshot() {
    let r = root();
    let rule_files: Vec<(String, String)> = files(&r.join("crate/rules"), "toml")
        .into_iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(&p).ok()?)))
        .collect();
    let sets = untrain::Engine::load_toml(&rule_files).expect("rules");
    let mut seeds = Vec::new();
    for s in sets.iter().flat_map(|set| &set.settings) {
        for fx in &s.fixtures {
            let Ok(html) = std::fs::read_to_string(r.join("tests/fixtures").join(&fx.file)) else {
                continue;
            };
            let snap = untrain::harvest::harvest(&html, &fx.url);
            seeds.push(serde_json::to_vec(&snap).expect("json"));
            let with_plan = serde_json::json!({
                "snapshot": snap,
                "plan": { "setting": s.id, "step": 1, "clicked": [0], "off_reads": 1 }
            });
            seeds.push(serde_json::to_vec(&with_plan).expect("json"));
            // a forged plan: the last step with counters far above their bounds
            let last = s.steps.len().saturating_sub(1);
            let forged = serde_json::json!({
                "snapshot": snap,
                "plan": { "setting": s.id, "step": last, "clicked": [0],
                          "waits": u32::MAX, "actions": u32::MAX, "off_reads": u32::MAX }
            });
            seeds.push(serde_json::to_vec(&forged).expect("json"));
        }
    }
    let n = run("snapshot", seeds, bodies::snapshot);
    assert!(n > 0);
}
