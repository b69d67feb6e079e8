//! The rule model of Untrain, shared by the engine (`untrain`, also built for wasm32) and its
//! `build.rs`, which validates `crate/rules/*.toml` at compile time: the serde types of a rule
//! file, their validation, and the text and URL helpers both need.
//!
//! `no_std` + `alloc`, like the wasm engine. Reading TOML (`rule::load`, feature `toml`) is
//! for native code only: `build.rs`, the CLI and the tests.
#![cfg_attr(not(test), no_std)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

#[cfg_attr(not(test), macro_use)]
extern crate alloc;

/// `String`, `Vec` and friends without `std`.
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec::Vec;
}

pub mod rule;
pub mod text;
pub mod url;
