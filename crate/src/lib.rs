//! Untrain rules engine: finds "use my data to train AI" settings in page snapshots and plans
//! the clicks that turn them off, safely. Pure logic; the browser shell harvests and clicks.
//!
//! Formats are fixed by `docs/architecture.md`.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
// The wasm build has no `std`: its panic and allocation-error machinery (message formatting
// that can never be shown) was a sizeable part of the module. `alloc` gives the collections.
#![cfg_attr(target_arch = "wasm32", no_std)]

#[cfg_attr(target_arch = "wasm32", macro_use)]
extern crate alloc;

/// `String`, `Vec` and friends for the modules that also build without `std` (wasm32).
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec::Vec;
}

#[allow(unused_imports)]
use crate::prelude::*;

pub mod api;
pub mod engine;
#[cfg(all(not(target_arch = "wasm32"), feature = "tools"))]
pub mod harvest;
#[cfg(all(not(target_arch = "wasm32"), feature = "tools"))]
pub mod replay;
pub mod snapshot;
pub mod vocab;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

// The rule model, text and URL helpers live in `untrain-model` (shared with `build.rs`); the
// `crate::rule`, `crate::text` and `crate::url` paths stay as they were.
pub use untrain_model::{rule, text, url};

pub use api::{
    Action, Decision, Evaluation, FailReason, Finding, MatchedBy, Outcome, PageInfo, Plan,
    PlatformInfo, Reason, SettingInfo, State, Suspect, SUSPECTED,
};
#[cfg(not(target_arch = "wasm32"))]
pub use engine::Report;
pub use engine::{keywords, Engine};
pub use rule::model::{RuleError, RuleSet, Setting};
pub use snapshot::{Control, Snapshot};

/// The validated rule sets as JSON (`$OUT_DIR/rules.json`, written by `build.rs`): what the
/// extension packages as `rules.json` (`untrain rules-json` prints it for `build.sh`) and hands
/// to the wasm module's `load`. Native builds only: the wasm module does not carry the rules.
#[cfg(not(target_arch = "wasm32"))]
pub const EMBEDDED_RULES: &str = include_str!(concat!(env!("OUT_DIR"), "/rules.json"));

/// Engine errors.
#[derive(Debug)]
pub enum Error {
    /// The rules JSON could not be read.
    Rules(String),
    /// Rule sets failed validation.
    InvalidRules(String),
}

impl Error {
    /// `rules.json: ...` / `invalid rules: ...`: the one text of the error, for `Display`
    /// and for the wasm facade.
    pub fn message(&self) -> String {
        match self {
            Error::Rules(d) => ["rules.json: ", d].concat(),
            Error::InvalidRules(d) => ["invalid rules: ", d].concat(),
        }
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for Error {}

impl Engine {
    /// An engine over rule sets as JSON, as `build.rs` writes them (the extension's
    /// `rules.json`, read once by the wasm module's `load`). The sets are trusted, not
    /// validated again: `build.rs` validated them, and the file ships in the same signed
    /// package as the module (it is not a web-accessible resource).
    pub fn from_rules_json(json: &str) -> Result<Engine, Error> {
        let sets: Vec<RuleSet> =
            serde_json::from_str(json).map_err(|e| Error::Rules(e.to_string()))?;
        Ok(Engine::trusted(sets))
    }

    /// An engine over the rules built into the native library ([`EMBEDDED_RULES`]), read by
    /// [`Engine::from_rules_json`]: the code the wasm module runs on `rules.json`.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn embedded() -> Result<Engine, Error> {
        Engine::from_rules_json(EMBEDDED_RULES)
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
