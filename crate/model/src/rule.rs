//! Rule files: model, validation, (feature `toml`) loading from TOML and (feature `schema`)
//! their JSON Schema.

#[cfg(feature = "toml")]
pub mod load;
pub mod model;
#[cfg(feature = "schema")]
pub mod schema;
pub mod validate;
