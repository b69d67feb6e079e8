//! Snapshots (and plans) as the shell sends them: JSON decoding + evaluate + next_step.
#![no_main]

#[path = "../bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::snapshot(data));
