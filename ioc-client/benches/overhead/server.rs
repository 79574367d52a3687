//! The canned server: HTTP/1.1 keep-alive on 127.0.0.1, fixed replies by path, never
//! compressed (it ignores `Accept-Encoding`), all on one OS thread of its own, so that its CPU
//! time can be taken out of the process's.

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, mpsc};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::cpu::ThreadClock;

/// Request heads kept while recording (for the same-request check).
type Heads = Arc<Mutex<Option<Vec<String>>>>;

pub struct Server {
    pub addr: SocketAddr,
    heads: Heads,
    /// The CPU clock of the server's thread.
    pub clock: ThreadClock,
}

impl Server {
    /// Starts the server with `routes` (path → the whole response).
    pub fn start(routes: HashMap<&'static str, Vec<u8>>) -> Result<Server, String> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .map_err(|e| format!("cannot bind 127.0.0.1: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        listener.set_nonblocking(true).map_err(|e| e.to_string())?;
        let heads: Heads = Arc::new(Mutex::new(None));
        let kept = heads.clone();
        let routes = Arc::new(routes);
        let (clock_tx, clock_rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("canned-server".into())
            .spawn(move || {
                let _ = clock_tx.send(ThreadClock::current());
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_io()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => return eprintln!("canned server: no runtime: {e}"),
                };
                runtime.block_on(accept(listener, routes, kept));
            })
            .map_err(|e| format!("cannot start the server thread: {e}"))?;
        let clock = clock_rx
            .recv()
            .map_err(|_| "the server thread ended before starting".to_string())?
            .map_err(|e| format!("no CPU clock for the server thread: {e}"))?;
        Ok(Server { addr, heads, clock })
    }

    /// Starts keeping request heads, dropping any kept so far.
    pub fn record(&self) {
        *self.heads.lock().unwrap_or_else(|e| e.into_inner()) = Some(Vec::new());
    }

    /// Stops keeping request heads; those kept since `record`.
    pub fn recorded(&self) -> Vec<String> {
        self.heads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .unwrap_or_default()
    }
}

/// A response with a JSON body and the headers the service sends with every reply.
pub fn response(status: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         x-cs-traceid: 4e1fd1a2-5b2f-4c0e-9d7e-1f6a3c9b8d21\r\nx-ratelimit-limit: 6000\r\n\
         x-ratelimit-remaining: 5999\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

async fn accept(
    listener: std::net::TcpListener,
    routes: Arc<HashMap<&'static str, Vec<u8>>>,
    heads: Heads,
) {
    let listener = match TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(e) => return eprintln!("canned server: {e}"),
    };
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve(stream, routes.clone(), heads.clone()));
    }
}

/// Answers the requests of one connection until the client closes it.
async fn serve(
    mut stream: TcpStream,
    routes: Arc<HashMap<&'static str, Vec<u8>>>,
    heads: Heads,
) -> io::Result<()> {
    let not_found = response(
        "404 Not Found",
        br#"{"errors":[{"code":404,"message":"no"}]}"#,
    );
    let mut buf: Vec<u8> = Vec::with_capacity(8192);
    let mut chunk = [0u8; 8192];
    loop {
        // The head, then as many body bytes as `content-length` says.
        let end = loop {
            if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..end]).into_owned();
        let length: usize = header(&head, "content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        while buf.len() < end + length {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        buf.drain(..end + length);
        let path = request_line(&head)
            .split(' ')
            .nth(1)
            .and_then(|target| target.split('?').next())
            .unwrap_or("");
        let reply = routes.get(path).unwrap_or(&not_found);
        if let Some(kept) = heads.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
            kept.push(head.clone());
        }
        stream.write_all(reply).await?;
    }
}

/// The request line of a request head.
pub fn request_line(head: &str) -> &str {
    head.lines().next().unwrap_or("")
}

/// The value of header `name` in a request head.
pub fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// The header names of a request head, lower case and sorted.
pub fn header_names(head: &str) -> Vec<String> {
    let mut names: Vec<String> = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, _)| k.to_ascii_lowercase())
        .collect();
    names.sort();
    names
}
