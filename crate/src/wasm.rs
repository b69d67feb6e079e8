//! wasm-bindgen facade for the extension's background context: plain functions over one
//! engine per module instance. The engine's functions take and return JSON text (formats:
//! docs/architecture.md), read and written by serde_json; a text starting with `error: ` is an
//! error instead (JSON never starts with `e`). Three small helpers of page reports (`normalize`,
//! `report_stem`, `report_url`) take and return plain strings. `extension/background/engine.js`
//! wraps this in objects and exceptions.
//!
//! JSON text rather than JS objects through serde-wasm-bindgen, and functions rather than an
//! exported class: docs/architecture.md ("Crates") gives the measurements.

#[allow(unused_imports)]
use crate::prelude::*;
use crate::snapshot::Snapshot;
use crate::Plan;
use alloc::boxed::Box;
use once_cell::race::OnceBox;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Talc: smaller in the module than dlmalloc (what std uses on wasm32), and faster.
#[global_allocator]
static ALLOC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// A panic (a bug: the engine returns errors for bad input) traps; the JS side sees an
/// exception and the background answers with an error.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

static ENGINE: OnceBox<crate::Engine> = OnceBox::new();

fn error(what: &str) -> String {
    ["error: ", what].concat()
}

fn with_engine(f: impl FnOnce(&crate::Engine) -> String) -> String {
    match ENGINE.get() {
        Some(e) => f(e),
        None => error("the engine is not loaded"),
    }
}

/// `value` as JSON text (the engine's types always serialise; an error text otherwise).
fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| error(&e.to_string()))
}

/// `what` read as JSON; the error names what could not be read
/// (`snapshot: invalid type: string "x", expected usize at line 1 column 30`).
fn read<'a, T: serde::Deserialize<'a>>(what: &str, text: &'a str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| error(&[what, ": ", &e.to_string()].concat()))
}

/// Loads the rules: the text of the packaged `rules.json` (written and validated by
/// `build.rs`). `""` when done (or done before), else `error: ...`.
#[wasm_bindgen]
pub fn load(rules_json: &str) -> String {
    if ENGINE.get().is_some() {
        return String::new();
    }
    match crate::Engine::from_rules_json(rules_json) {
        Ok(e) => {
            let _ = ENGINE.set(Box::new(e));
            String::new()
        }
        Err(e) => error(&e.message()),
    }
}

/// `[{ id, name, confidence, hosts, version, settings: [{ id, title, settings_url, automation, default,
/// form_url, email, email_subject, instructions, prepared_text, regions, confidence }] }]`
#[wasm_bindgen]
pub fn platforms() -> String {
    with_engine(|e| json(&e.platforms()))
}

/// `null` or `{ platform, name, settings_page, roles }`.
#[wasm_bindgen]
pub fn classify(url: &str) -> String {
    with_engine(|e| json(&e.classify(url)))
}

/// Evaluates a snapshot: `{ platform, name, signed_out, findings, suspected }`.
#[wasm_bindgen]
pub fn evaluate(snapshot: &str) -> String {
    with_engine(|e| match read::<Snapshot>("snapshot", snapshot) {
        Ok(snap) => json(&e.evaluate(&snap)),
        Err(err) => err,
    })
}

/// Plans the next action: `{ plan, action }`.
#[wasm_bindgen]
pub fn next_step(snapshot: &str, plan: &str) -> String {
    with_engine(|e| {
        match (
            read::<Snapshot>("snapshot", snapshot),
            read::<Plan>("plan", plan),
        ) {
            (Ok(snap), Ok(plan)) => json(&e.next_step(&snap, plan)),
            (Err(err), _) | (_, Err(err)) => err,
        }
    })
}

/// `text` normalised as the engine matches it (lowercase, accents folded, words separated by
/// one space): extension/background/report.js builds a page report's vocabulary with it.
#[wasm_bindgen]
pub fn normalize(text: &str) -> String {
    crate::text::normalize(text)
}

/// For a page report: whether the normalised `word` holds one of the engine's own stems
/// (`vocab.rs`), so the report keeps it.
#[wasm_bindgen]
pub fn report_stem(word: &str) -> bool {
    crate::engine::has_vocabulary_stem(word)
}

/// For a page report: the least of `url` that the platform's rules read the same way (no
/// query; `""` for a URL that is not https).
#[wasm_bindgen]
pub fn report_url(url: &str) -> String {
    with_engine(|e| e.report_url(url))
}
