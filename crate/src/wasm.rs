//! wasm-bindgen facade for the extension's background context. Every method returns plain JSON
//! values (maps become objects, `None` becomes `null`).

use crate::{Plan, Snapshot};
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn to_js<T: Serialize>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("serialise: {e}")))
}

/// The rules engine over the rules embedded at build time.
#[wasm_bindgen]
pub struct Engine {
    inner: crate::Engine,
}

#[wasm_bindgen]
impl Engine {
    /// Loads the embedded rules.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<Engine, JsError> {
        crate::Engine::embedded()
            .map(|inner| Engine { inner })
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// `[{ id, name, confidence, hosts, version, settings: [{ id, title, settings_url, automation, default,
    /// form_url, email, email_subject, instructions, prepared_text, regions, confidence }] }]`
    pub fn platforms(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.platforms())
    }

    /// `null` or `{ platform, name, settings_page }`.
    pub fn classify(&self, url: &str) -> Result<JsValue, JsError> {
        to_js(&self.inner.classify(url))
    }

    /// Evaluates a snapshot: `{ platform, name, signed_out, findings, suspected }`.
    pub fn evaluate(&self, snapshot: JsValue) -> Result<JsValue, JsError> {
        let snap: Snapshot = serde_wasm_bindgen::from_value(snapshot)
            .map_err(|e| JsError::new(&format!("snapshot: {e}")))?;
        to_js(&self.inner.evaluate(&snap))
    }

    /// Plans the next action: `{ plan, action }`.
    pub fn next_step(&self, snapshot: JsValue, plan: JsValue) -> Result<JsValue, JsError> {
        let snap: Snapshot = serde_wasm_bindgen::from_value(snapshot)
            .map_err(|e| JsError::new(&format!("snapshot: {e}")))?;
        let plan: Plan = serde_wasm_bindgen::from_value(plan)
            .map_err(|e| JsError::new(&format!("plan: {e}")))?;
        to_js(&self.inner.next_step(&snap, plan))
    }
}
