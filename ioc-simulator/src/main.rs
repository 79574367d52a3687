//! `ioc-simulator` binary: runs the simulator until Ctrl-C.
//!
//! ```text
//! ioc-simulator [--port PORT] [--client-id ID] [--client-secret SECRET]
//!               [--rate-limit PER_MINUTE] [--region REGION] [--token-ttl SECONDS] [--seed N]
//!               [--tls-cert CHAIN.pem --tls-key KEY.pem]
//! ```

use ioc_simulator::{Config, Simulator, TlsIdentity};
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "usage: ioc-simulator [--port PORT] [--client-id ID] [--client-secret SECRET] \
[--rate-limit PER_MINUTE] [--region REGION] [--token-ttl SECONDS] [--seed N] \
[--tls-cert CHAIN.pem --tls-key KEY.pem]";

fn parse_args(args: &[String]) -> Result<(Config, usize, bool), String> {
    let mut config = Config {
        port: 8080,
        ..Config::default()
    };
    let mut seed = 0;
    let mut explicit_creds = 0;
    let (mut tls_cert, mut tls_key) = (None, None);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            return Err(USAGE.to_string());
        }
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (flag.as_str(), None),
        };
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))?,
        };
        let number = |v: &str| {
            v.parse::<u64>()
                .map_err(|_| format!("{name}: '{v}' is not a number"))
        };
        match name {
            "--port" => {
                config.port = u16::try_from(number(&value)?).map_err(|_| "--port: out of range")?
            }
            "--client-id" => {
                config.client_id = value;
                explicit_creds += 1;
            }
            "--client-secret" => {
                config.client_secret = value;
                explicit_creds += 1;
            }
            "--rate-limit" => {
                config.rate_limit_per_minute =
                    Some(u32::try_from(number(&value)?).map_err(|_| "--rate-limit: out of range")?)
            }
            "--region" => config.region = Some(value),
            "--token-ttl" => config.token_ttl = Duration::from_secs(number(&value)?),
            "--seed" => seed = number(&value)? as usize,
            "--tls-cert" => tls_cert = Some(value),
            "--tls-key" => tls_key = Some(value),
            other => return Err(format!("unknown argument '{other}'\n{USAGE}")),
        }
    }
    config.tls = match (tls_cert, tls_key) {
        (Some(cert), Some(key)) => {
            let read = |flag: &str, path: &str| {
                std::fs::read_to_string(path)
                    .map_err(|e| format!("{flag}: cannot read '{path}': {e}"))
            };
            Some(TlsIdentity {
                cert_chain_pem: read("--tls-cert", &cert)?,
                key_pem: read("--tls-key", &key)?,
            })
        }
        (None, None) => None,
        _ => return Err(format!("--tls-cert and --tls-key go together\n{USAGE}")),
    };
    Ok((config, seed, explicit_creds < 2))
}

// Several worker threads (one per core, tokio's default): requests in flight together are parsed,
// checked and answered (serialised, compressed) at once, as the service does; only the store's
// own work is one at a time, under its lock. On one thread, batches sent together queued whole.
#[tokio::main(flavor = "multi_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (config, seed, print_creds) = match parse_args(&args) {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let (id, secret) = (config.client_id.clone(), config.client_secret.clone());
    let sim = match Simulator::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("ioc-simulator: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    if seed > 0 {
        sim.seed_indicators(seed);
    }
    println!("ioc-simulator listening on {}", sim.base_url());
    if print_creds {
        println!("client_id:     {id}");
        println!("client_secret: {secret}");
    }
    if seed > 0 {
        println!("seeded {seed} indicators");
    }
    println!("press Ctrl-C to stop");
    let _ = tokio::signal::ctrl_c().await;
    sim.shutdown().await;
    println!("ioc-simulator stopped");
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults_and_flags() {
        let (c, seed, print) = parse_args(&[]).unwrap();
        assert_eq!((c.port, seed, print), (8080, 0, true));
        assert_eq!(c.client_id, "sim-client-id");
        let (c, seed, print) = parse_args(&args(&[
            "--port",
            "0",
            "--client-id",
            "a",
            "--client-secret=b",
            "--seed",
            "5",
            "--rate-limit",
            "10",
            "--region",
            "us-2",
        ]))
        .unwrap();
        assert_eq!((c.port, seed, print), (0, 5, false));
        assert_eq!((c.client_id.as_str(), c.client_secret.as_str()), ("a", "b"));
        assert_eq!(c.rate_limit_per_minute, Some(10));
        assert_eq!(c.region.as_deref(), Some("us-2"));
        assert!(parse_args(&args(&["--port"])).is_err());
        assert!(parse_args(&args(&["--bogus", "1"])).is_err());
        assert!(parse_args(&args(&["--port", "99999"])).is_err());
        assert!(parse_args(&args(&["--tls-cert", "chain.pem"])).is_err());
        assert!(
            parse_args(&args(&[
                "--tls-cert",
                "/nonexistent/c",
                "--tls-key",
                "/nonexistent/k"
            ]))
            .is_err()
        );
    }
}
