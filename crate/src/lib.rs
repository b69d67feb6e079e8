//! Untrain rules engine: finds "use my data to train AI" settings in page snapshots and plans
//! the clicks that turn them off, safely. Pure logic; the browser shell harvests and clicks.
//!
//! Formats are fixed by `docs/architecture.md`.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod engine;
#[cfg(not(target_arch = "wasm32"))]
pub mod harvest;
pub mod keywords;
pub mod rule;
pub mod snapshot;
pub mod text;
pub mod url;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use engine::{
    Action, Decision, Engine, Evaluation, FailReason, Finding, MatchedBy, Outcome, PageInfo, Plan,
    PlatformInfo, Reason, SettingInfo, State, Suspect, SUSPECTED,
};
pub use rule::model::{RuleError, RuleSet, Setting};
pub use snapshot::{Control, Snapshot};

/// The rule sets embedded at build time (`$OUT_DIR/rules.json`, written by `build.rs`).
pub const EMBEDDED_RULES: &str = include_str!(concat!(env!("OUT_DIR"), "/rules.json"));

/// Engine errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The embedded rules could not be read.
    #[error("embedded rules: {0}")]
    Embedded(String),
    /// Rule sets failed validation.
    #[error("invalid rules: {0}")]
    InvalidRules(String),
}

impl Engine {
    /// An engine over the rules embedded at build time (validated by `build.rs`).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn embedded() -> Result<Engine, Error> {
        let sets: Vec<RuleSet> =
            serde_json::from_str(EMBEDDED_RULES).map_err(|e| Error::Embedded(e.to_string()))?;
        Ok(Engine::trusted(sets))
    }

    /// An engine over the rules embedded at build time (validated by `build.rs`). In wasm the
    /// JSON is parsed by the host's `JSON.parse` (no serde_json in the module: size).
    #[cfg(target_arch = "wasm32")]
    pub fn embedded() -> Result<Engine, Error> {
        let value = js_sys::JSON::parse(EMBEDDED_RULES)
            .map_err(|_| Error::Embedded("not json".to_string()))?;
        let sets: Vec<RuleSet> =
            serde_wasm_bindgen::from_value(value).map_err(|e| Error::Embedded(e.to_string()))?;
        Ok(Engine::trusted(sets))
    }

    /// Parses and validates rule files given as `(path, text)` pairs, including their fixture
    /// lists; setting ids must be unique across all files. Errors name file, id and field.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn load_toml<P: AsRef<str>, T: AsRef<str>>(
        files: &[(P, T)],
    ) -> Result<Vec<RuleSet>, Vec<RuleError>> {
        let files: Vec<(String, String)> = files
            .iter()
            .map(|(p, t)| (p.as_ref().to_string(), t.as_ref().to_string()))
            .collect();
        rule::load::load(&files, true)
    }
}
