//! Rule files: model, validation and (feature `toml`) loading from TOML.

#[cfg(feature = "toml")]
pub mod load;
pub mod model;
pub mod validate;
