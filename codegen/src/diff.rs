//! Comparing two specs.
