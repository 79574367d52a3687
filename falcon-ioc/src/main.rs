//! `falcon-ioc`: the command line of the CrowdStrike Falcon IOC API. Everything it knows of the
//! API comes from the generated operation table and the generated sidecar below; see the
//! library (`falcon_ioc`) for how they become subcommands.

use std::process::ExitCode;

// Written by `cargo xtask codegen` from spec/ioc.yaml; rustfmt would fight `codegen --check`.
#[rustfmt::skip]
#[path = "generated/help.rs"]
mod help;

fn main() -> ExitCode {
    falcon_ioc::main(ioc_client::table::OPERATIONS, &help::API)
}
