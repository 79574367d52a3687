//! The generated code of each test spec in `codegen/tests/specs/`, one module per spec, so that
//! every construct the generator handles is compiled (and, in `tests/`, exercised), not only
//! snapshotted. Written by `cargo xtask codegen`; only this file is hand-written.

pub mod arrays;
pub mod case_fields;
pub mod dotted_names;
pub mod id_styles;
pub mod keywords;
pub mod maps;
pub mod missing_types;
pub mod null_envelopes;
pub mod open_enums;
pub mod recursion;
