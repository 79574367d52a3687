//! HTTP-level tests of the simulator, run against a real server on an ephemeral port.

mod auth;
mod common;
mod faults;
mod indicators;
mod observations;
mod paging;
mod seeding;
mod service;
mod validation;
