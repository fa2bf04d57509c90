//! The bench CA as the only trusted root (see build.rs).
pub use pki_types;
include!(concat!(env!("OUT_DIR"), "/roots.rs"));
