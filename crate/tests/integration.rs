//! The engine's integration tests in one test binary (one compile and one link instead of one
//! per file). `build_fails` stays a test target of its own (`./build.sh test` runs it alone).

mod common;

mod bad_input;
mod choose_shapes;
mod cli;
mod demo_engine;
mod destructive;
mod fixtures;
mod flows;
mod forged_plans;
mod fuzz_smoke;
mod light_snapshot;
mod page_left;
mod polarity;
mod polarity_safety;
mod real_flows;
mod report;
mod rule_errors;
mod safety;
mod safety_flows;
mod save_step;
mod schema;
mod state_words;
mod suspected;
mod url_node;
mod wire;
