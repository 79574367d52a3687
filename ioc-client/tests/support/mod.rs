//! Helpers shared by the client tests: a simulator, a client pointed at it with short
//! retry waits, journal filters, and a tiny scripted HTTP server for replies the simulator does
//! not make; HTTPS with a private CA in `tls`, loopback middlemen in `net`.

#![allow(dead_code)]

pub mod net;
pub mod tls;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use falcon_runtime::ClientBuilder;
use ioc_client::{Client, RetryConfig};
use ioc_simulator::{Config, RecordedRequest, Simulator};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Retries with waits of a few milliseconds, so tests stay quick.
pub fn fast_retry() -> RetryConfig {
    RetryConfig {
        max_retries: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(40),
        max_total_wait: Duration::from_secs(5),
    }
}

pub async fn sim() -> Simulator {
    sim_with(Config::default()).await
}

pub async fn sim_with(config: Config) -> Simulator {
    Simulator::start(config).await.expect("simulator starts")
}

/// A builder for a client of `sim`, with its credentials and fast retries.
pub fn builder<C: From<falcon_runtime::Client>>(sim: &Simulator) -> ClientBuilder<C> {
    ClientBuilder::<C>::new()
        .base_url(sim.base_url())
        .client_id(sim.config().client_id.clone())
        .client_secret(sim.config().client_secret.clone())
        .retry(fast_retry())
}

pub fn client(sim: &Simulator) -> Client {
    builder(sim).build().expect("client builds")
}

/// API requests only (no OAuth), in order.
pub fn api_requests(sim: &Simulator) -> Vec<RecordedRequest> {
    sim.requests()
        .into_iter()
        .filter(|r| !r.path.starts_with("/oauth2/"))
        .collect()
}

pub fn header<'a>(r: &'a RecordedRequest, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

pub fn query<'a>(r: &'a RecordedRequest, name: &str) -> Option<&'a str> {
    r.query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// One scripted reply.
#[derive(Clone, Debug)]
pub struct Canned {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Canned {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Canned {
        Canned {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Canned {
        self.headers.push((name.to_string(), value.into()));
        self
    }
}

/// A loopback HTTP/1.1 server: `POST /oauth2/token` gets a token; every other request gets the
/// next scripted reply (the last one repeats). Records request lines.
pub struct Scripted {
    pub base_url: String,
    pub seen: Arc<Mutex<Vec<String>>>,
}

pub async fn scripted(replies: Vec<Canned>) -> Scripted {
    scripted_with_token(
        r#"{"access_token":"scripted-token","expires_in":1799}"#,
        replies,
    )
    .await
}

/// Like [`scripted`], answering token requests with `token_body` (status 201).
pub async fn scripted_with_token(token_body: &'static str, replies: Vec<Canned>) -> Scripted {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let replies = Arc::new(Mutex::new((replies, 0usize)));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let log = log.clone();
            let replies = replies.clone();
            tokio::spawn(async move {
                let Some(line) = read_request(&mut socket).await else {
                    return;
                };
                log.lock().unwrap().push(line.clone());
                let reply = if line.contains("/oauth2/token") {
                    Canned::new(201, token_body).header("content-type", "application/json")
                } else {
                    let mut r = replies.lock().unwrap();
                    let (list, next) = &mut *r;
                    let i = (*next).min(list.len() - 1);
                    *next += 1;
                    list[i].clone()
                };
                let mut out = format!(
                    "HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\n",
                    reply.status,
                    reply.body.len()
                );
                for (k, v) in &reply.headers {
                    out.push_str(&format!("{k}: {v}\r\n"));
                }
                out.push_str("\r\n");
                let mut bytes = out.into_bytes();
                bytes.extend_from_slice(&reply.body);
                let _ = socket.write_all(&bytes).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    Scripted { base_url, seen }
}

/// Reads one request; returns its request line.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    head.lines().next().map(str::to_string)
}
