//! Extracting a subset of a spec.
