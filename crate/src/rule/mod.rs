//! Rule files: model, validation and (native) loading.

#[cfg(not(target_arch = "wasm32"))]
pub mod load;
pub mod model;
pub mod validate;
