//! `falcon-ioc`: the command line of the CrowdStrike Falcon IOC API. Everything it knows of the
//! API comes from the generated operation table and the generated sidecar below; see the
//! library (`falcon_ioc`) for how they become subcommands.

use std::process::ExitCode;

// Written by `cargo xtask codegen` from spec/ioc.yaml; rustfmt would fight `codegen --check`.
#[rustfmt::skip]
#[path = "generated/help.rs"]
mod help;

/// A sync of 100,000 rows allocates and frees millions of small strings and JSON values; with
/// glibc's malloc, malloc and free were over half of its CPU samples.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    falcon_ioc::main(ioc_client::table::OPERATIONS, &help::API)
}
