//! wasm-bindgen facade for the extension's background context: plain functions over one
//! engine per module instance. Every function takes and returns JSON text (formats:
//! docs/architecture.md); a text starting with `error: ` is an error instead (JSON never
//! starts with `e`). `extension/engine.js` wraps this in objects and exceptions.
//!
//! Text instead of JS objects keeps serde's generic code out of the module (see `codec`), and
//! functions instead of an exported class keep wasm-bindgen's per-object glue out.

use crate::codec;
#[allow(unused_imports)]
use crate::prelude::*;
use alloc::boxed::Box;
use once_cell::race::OnceBox;
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

/// Loads the embedded rules; `""` when done (or done before), else `error: ...`.
#[wasm_bindgen]
pub fn load() -> String {
    if ENGINE.get().is_some() {
        return String::new();
    }
    match crate::Engine::embedded() {
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
    with_engine(|e| codec::platforms(e.rule_sets()))
}

/// `null` or `{ platform, name, settings_page, roles }`.
#[wasm_bindgen]
pub fn classify(url: &str) -> String {
    with_engine(|e| codec::page_info(e.classify(url).as_ref()))
}

/// Evaluates a snapshot: `{ platform, name, signed_out, findings, suspected }`.
#[wasm_bindgen]
pub fn evaluate(snapshot: &str) -> String {
    with_engine(|e| match codec::snapshot(snapshot) {
        Ok(snap) => codec::evaluation(&e.evaluate(&snap)),
        // "snapshot.controls[3].index: expected an integer", "snapshot: not json: ..."
        Err(err) => error(&err.within("snapshot").message()),
    })
}

/// Plans the next action: `{ plan, action }`.
#[wasm_bindgen]
pub fn next_step(snapshot: &str, plan: &str) -> String {
    with_engine(|e| match (codec::snapshot(snapshot), codec::plan(plan)) {
        (Ok(snap), Ok(plan)) => codec::decision(&e.next_step(&snap, plan)),
        (Err(err), _) => error(&err.within("snapshot").message()),
        (_, Err(err)) => error(&err.within("plan").message()),
    })
}
