//! The client a run uses, configured as the runtime's `Client::from_env` is (the same
//! environment variables), with the global flags on top; and `--verbose` tracing.

use clap::ArgMatches;
use falcon_runtime::{Client, Cloud, Error, SDK_NAME};

use crate::app::opt;

/// The product token the CLI adds to `User-Agent`.
pub const PRODUCT: &str = concat!("falcon-ioc/", env!("CARGO_PKG_VERSION"));

/// The `User-Agent` the runtime sends for a client built here (its name, then ours).
pub fn user_agent() -> String {
    format!("{SDK_NAME} {PRODUCT}")
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// A client for this run. A dry run needs no credentials and never logs in: it gets a
/// stand-in token that is never sent.
pub fn client(matches: &ArgMatches, dry_run: bool) -> Result<Client, Error> {
    let mut builder = Client::builder().user_agent(PRODUCT);
    if let Some(url) = matches.get_one::<String>(opt::BASE_URL) {
        builder = builder.base_url(url);
    } else if let Some(cloud) = matches.get_one::<String>(opt::CLOUD) {
        builder = builder.cloud(cloud.parse::<Cloud>()?);
    } else if let Some(cloud) = var("FALCON_CLOUD") {
        builder = builder.base_url(cloud);
    } else {
        builder = builder.cloud(Cloud::Auto);
    }
    if dry_run {
        return builder.access_token("dry-run: never sent").build();
    }
    let id = var("FALCON_CLIENT_ID").ok_or_else(|| {
        Error::Config("FALCON_CLIENT_ID is not set (the API client's id; its secret goes in FALCON_CLIENT_SECRET)".into())
    })?;
    let secret = var("FALCON_CLIENT_SECRET").ok_or_else(|| {
        Error::Config("FALCON_CLIENT_SECRET is not set (the API client's secret)".into())
    })?;
    builder = builder.client_id(id).client_secret(secret);
    let member = matches
        .get_one::<String>(opt::MEMBER_CID)
        .cloned()
        .or_else(|| var("FALCON_MEMBER_CID"));
    if let Some(member) = member {
        builder = builder.member_cid(member);
    }
    builder.build()
}

/// `--verbose`: the runtime's tracing (one `falcon.call` span per request, logins, retries,
/// waits) on stderr. Only the runtime's own events: it records no secret and no token, while
/// the HTTP stack's lower-level events could carry headers.
pub fn trace() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::fmt::format::FmtSpan;
    use tracing_subscriber::prelude::*;
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_span_events(FmtSpan::CLOSE);
    let filter = Targets::new()
        .with_target("falcon_runtime", LevelFilter::DEBUG)
        .with_target("falcon_ioc", LevelFilter::DEBUG);
    let _ = tracing_subscriber::registry()
        .with(layer.with_filter(filter))
        .try_init();
}
