//! Rule files: TOML parsing + validation, then an engine over what passed.
#![no_main]

#[path = "../bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::rules(data));
