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
pub mod codec;
pub mod engine;
#[cfg(not(target_arch = "wasm32"))]
pub mod harvest;
pub mod inflate;
pub mod json;
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
pub use engine::{keywords, Engine};
pub use rule::model::{RuleError, RuleSet, Setting};
pub use snapshot::{Control, Snapshot};

/// The rule sets embedded at build time (`$OUT_DIR/rules.json`, written by `build.rs`).
pub const EMBEDDED_RULES: &str = include_str!(concat!(env!("OUT_DIR"), "/rules.json"));

/// The same JSON, DEFLATE-compressed (`$OUT_DIR/rules.json.deflate`): what the engine reads.
pub const EMBEDDED_RULES_DEFLATE: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/rules.json.deflate"));

/// Engine errors.
#[derive(Debug)]
pub enum Error {
    /// The embedded rules could not be read.
    Embedded(String),
    /// Rule sets failed validation.
    InvalidRules(String),
}

impl Error {
    /// `embedded rules: ...` / `invalid rules: ...`: the one text of the error, for `Display`
    /// and for the wasm facade (built without `core::fmt`, which the module otherwise does not
    /// need).
    pub fn message(&self) -> String {
        match self {
            Error::Embedded(d) => ["embedded rules: ", d].concat(),
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
    /// An engine over the rules embedded at build time (validated by `build.rs`), inflated
    /// and read with the engine's own small decoder and JSON reader (`inflate`, `codec`) on
    /// every target, so native tests run the code the wasm module runs.
    pub fn embedded() -> Result<Engine, Error> {
        let json = inflate::inflate(EMBEDDED_RULES_DEFLATE)
            .map_err(|e| Error::Embedded(e.0.to_string()))
            .and_then(|b| String::from_utf8(b).map_err(|_| Error::Embedded("not utf-8".into())))?;
        let sets = codec::rule_sets(&json).map_err(|e| Error::Embedded(e.message()))?;
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
