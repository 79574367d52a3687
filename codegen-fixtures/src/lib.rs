//! The generated code of each test spec in `codegen/tests/specs/`, one module per spec, so that
//! every construct the generator handles is compiled (and, in `tests/`, exercised), not only
//! snapshotted. Written by `cargo xtask codegen`; only this file is hand-written.

#[rustfmt::skip]
pub mod arrays;
#[rustfmt::skip]
pub mod case_fields;
#[rustfmt::skip]
pub mod dotted_names;
#[rustfmt::skip]
pub mod empty_enums;
#[rustfmt::skip]
pub mod empty_names;
#[rustfmt::skip]
pub mod enum_one_of;
#[rustfmt::skip]
pub mod form_refs;
#[rustfmt::skip]
pub mod id_styles;
#[rustfmt::skip]
pub mod inline_names;
#[rustfmt::skip]
pub mod keywords;
#[rustfmt::skip]
pub mod maps;
#[rustfmt::skip]
pub mod missing_types;
#[rustfmt::skip]
pub mod missing_ids;
#[rustfmt::skip]
pub mod multi_file;
#[rustfmt::skip]
pub mod name_folding;
#[rustfmt::skip]
pub mod null_envelopes;
#[rustfmt::skip]
pub mod open_enums;
#[rustfmt::skip]
pub mod openapi31;
#[rustfmt::skip]
pub mod raw_bodies;
#[rustfmt::skip]
pub mod recursion;
#[rustfmt::skip]
pub mod ref_params;
#[rustfmt::skip]
pub mod request_models;
#[rustfmt::skip]
pub mod reserved_names;
#[rustfmt::skip]
pub mod same_names;
#[rustfmt::skip]
pub mod scalar_unions;
#[rustfmt::skip]
pub mod shadowing;
#[rustfmt::skip]
pub mod structured_params;
#[rustfmt::skip]
pub mod uploads;
