//! Loopback middlemen for transport tests: a TCP forwarder that counts the bytes crossing it
//! (what a reply costs on the wire), and an HTTP `CONNECT` proxy as companies run them.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Forwards every connection to a target unchanged, counting bytes each way.
pub struct Forwarder {
    pub addr: SocketAddr,
    to_client: Arc<AtomicU64>,
    to_server: Arc<AtomicU64>,
}

impl Forwarder {
    /// Bytes sent from the server to the client so far, headers (and TLS records) included.
    pub fn bytes_to_client(&self) -> u64 {
        self.to_client.load(Ordering::SeqCst)
    }

    pub fn bytes_to_server(&self) -> u64 {
        self.to_server.load(Ordering::SeqCst)
    }

    pub fn reset(&self) {
        self.to_client.store(0, Ordering::SeqCst);
        self.to_server.store(0, Ordering::SeqCst);
    }
}

pub async fn forwarder(target: SocketAddr) -> Forwarder {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let to_client = Arc::new(AtomicU64::new(0));
    let to_server = Arc::new(AtomicU64::new(0));
    let (down, up) = (to_client.clone(), to_server.clone());
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let Ok(server) = TcpStream::connect(target).await else {
                continue;
            };
            let (down, up) = (down.clone(), up.clone());
            tokio::spawn(async move {
                let (client_read, client_write) = client.into_split();
                let (server_read, server_write) = server.into_split();
                tokio::join!(
                    pump(server_read, client_write, down),
                    pump(client_read, server_write, up),
                );
            });
        }
    });
    Forwarder {
        addr,
        to_client,
        to_server,
    }
}

/// Copies until either side closes, adding what passed to `count`.
async fn pump(
    mut from: impl AsyncRead + Unpin,
    mut to: impl AsyncWrite + Unpin,
    count: Arc<AtomicU64>,
) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if to.write_all(&buf[..n]).await.is_err() {
            break;
        }
        count.fetch_add(n as u64, Ordering::SeqCst);
    }
    let _ = to.shutdown().await;
}

/// An HTTP proxy that only tunnels (`CONNECT host:port`), as in front of a company's network.
pub struct ConnectProxy {
    pub url: String,
    /// The `CONNECT` request lines received.
    pub seen: Arc<Mutex<Vec<String>>>,
}

pub async fn connect_proxy() -> ConnectProxy {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                // The request head, byte by byte so nothing of the tunnel is read with it.
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match client.read(&mut byte).await {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let line = head.lines().next().unwrap_or_default().to_string();
                log.lock().unwrap().push(line.clone());
                let mut parts = line.split_whitespace();
                let (Some("CONNECT"), Some(target)) = (parts.next(), parts.next()) else {
                    let _ = client
                        .write_all(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n")
                        .await;
                    return;
                };
                let Ok(mut server) = TcpStream::connect(target).await else {
                    let _ = client
                        .write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
                        .await;
                    return;
                };
                if client
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await
                    .is_ok()
                {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            });
        }
    });
    ConnectProxy { url, seen }
}
