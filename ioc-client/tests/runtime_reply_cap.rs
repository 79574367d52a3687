//! The cap on one reply's body: a server that streams without end, announces too much, or
//! sends a small gzip body that inflates past the cap gets a `ReplyTooLarge` error, checked
//! as the body arrives; nothing of the body is returned and the client stays usable.

mod support;

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::TryStreamExt;
use ioc_client::{Client, Error, ErrorKind};
use ioc_simulator::Simulator;
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const MIB: u64 = 1024 * 1024;

/// A client of a scripted server, with a cap of `cap` bytes.
fn capped(base_url: &str, cap: u64) -> Client {
    Client::builder()
        .base_url(base_url)
        .client_id("id")
        .client_secret("secret")
        .retry(fast_retry())
        .max_reply_bytes(cap)
        .build()
        .unwrap()
}

/// A server whose token endpoint works and whose every other reply is a 200 that never ends
/// (chunked, 64 KiB at a time, until the client hangs up). Counts the body bytes it wrote.
struct Endless {
    base_url: String,
    written: Arc<AtomicU64>,
    requests: Arc<AtomicU64>,
}

async fn endless() -> Endless {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let written = Arc::new(AtomicU64::new(0));
    let requests = Arc::new(AtomicU64::new(0));
    let (count, seen) = (written.clone(), requests.clone());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (count, seen) = (count.clone(), seen.clone());
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                if head.starts_with(b"POST /oauth2/token") {
                    let body = r#"{"access_token":"t","expires_in":1799}"#;
                    let reply = format!(
                        "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = socket.write_all(reply.as_bytes()).await;
                    return;
                }
                seen.fetch_add(1, Ordering::SeqCst);
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let piece = vec![b' '; 64 * 1024];
                let chunk = [
                    format!("{:x}\r\n", piece.len()).into_bytes(),
                    piece,
                    b"\r\n".to_vec(),
                ]
                .concat();
                while socket.write_all(&chunk).await.is_ok() {
                    count.fetch_add(64 * 1024, Ordering::SeqCst);
                }
            });
        }
    });
    Endless {
        base_url,
        written,
        requests,
    }
}

#[tokio::test]
async fn a_reply_that_never_ends_stops_at_the_cap() {
    let server = endless().await;
    let client = capped(&server.base_url, MIB);
    let err = client.ioc_type_query_v1().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ReplyTooLarge, "{err:?}");
    assert!(
        matches!(
            &err,
            Error::ReplyTooLarge { operation, status: 200, limit } if operation == "ioc_type.query.v1" && *limit == MIB
        ),
        "{err:?}"
    );
    assert_eq!(err.status(), Some(200));
    assert!(!err.is_retryable());
    let text = err.to_string();
    assert!(
        text.contains("1048576") && text.contains("max_reply_bytes"),
        "{text}"
    );
    // Not retried, although the call is a GET: the next reply would be as large.
    assert_eq!(server.requests.load(Ordering::SeqCst), 1);
    // The server got to write little more than the cap (plus what socket buffers hold) before
    // the client hung up: the cap is checked as the body arrives.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let written = server.written.load(Ordering::SeqCst);
    assert!(
        written < 64 * MIB,
        "the client kept reading: {written} bytes"
    );
    eprintln!(
        "endless reply: the server wrote {written} bytes before the client hung up (cap {MIB})"
    );
}

#[tokio::test]
async fn the_cap_is_inclusive_and_content_length_is_checked_up_front() {
    let body = |len: usize| {
        let mut b = br#"{"resources":["x"],"errors":[]}"#.to_vec();
        b.resize(len, b' ');
        b
    };
    let server = scripted(vec![
        Canned::new(200, body(1000)),
        Canned::new(200, body(1001)),
        Canned::new(200, body(999)),
    ])
    .await;
    let client = capped(&server.base_url, 1000);
    let exact = client
        .ioc_type_query_v1()
        .send()
        .await
        .expect("exactly the cap");
    assert_eq!(exact.body.resources, ["x"]);
    let err = client.ioc_type_query_v1().send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ReplyTooLarge, "{err:?}");
    // The client is fine afterwards: the next call goes through on a fresh connection.
    client
        .ioc_type_query_v1()
        .send()
        .await
        .expect("under the cap");
}

/// A small gzip body that inflates far past the cap: the decoded size is what counts.
#[tokio::test]
async fn a_compressed_reply_is_counted_as_decoded() {
    let mut json = br#"{"resources":["x"],"errors":[]}"#.to_vec();
    json.resize(8 * MIB as usize, b' ');
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&json).unwrap();
    let gz = gz.finish().unwrap();
    assert!(
        (gz.len() as u64) < MIB / 8,
        "a small body on the wire: {}",
        gz.len()
    );
    let reply = || {
        Canned::new(200, gz.clone())
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
    };
    let server = scripted(vec![reply()]).await;
    let err = capped(&server.base_url, MIB)
        .ioc_type_query_v1()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ReplyTooLarge, "{err:?}");
    // Under a cap that fits the decoded body, the same reply decodes.
    let server = scripted(vec![reply()]).await;
    let ok = capped(&server.base_url, 16 * MIB)
        .ioc_type_query_v1()
        .send()
        .await
        .unwrap();
    assert_eq!(ok.body.resources, ["x"]);
}

/// The login's reply is capped too, and its error keeps its kind.
#[tokio::test]
async fn an_oversized_token_reply_is_capped() {
    let mut token = r#"{"access_token":"t","expires_in":1799}"#.to_string();
    token.push_str(&" ".repeat(4096));
    let server = scripted_with_token(Box::leak(token.into_boxed_str()), vec![]).await;
    let err = capped(&server.base_url, 1024)
        .ioc_type_query_v1()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::ReplyTooLarge { operation, status: 201, .. } if operation == "POST /oauth2/token"),
        "{err:?}"
    );
    assert_eq!(
        server.seen.lock().unwrap().len(),
        1,
        "not retried, no API call"
    );
}

/// Against the simulator (compressed replies): a 500-record page passes the default cap, a
/// cap below its decoded size stops it, and a paging stream ends with that error.
#[tokio::test]
async fn simulator_pages_against_the_cap() {
    let sim: Simulator = sim().await;
    sim.seed_indicators(500);
    let client: Client = builder(&sim).build().unwrap();
    let page = client
        .indicator_combined_v1()
        .limit(500)
        .send()
        .await
        .unwrap();
    assert_eq!(page.body.resources.len(), 500);
    let decoded = serde_json::to_vec(&page.body).unwrap().len() as u64;

    let small: Client = builder(&sim).max_reply_bytes(decoded / 2).build().unwrap();
    let err = small
        .indicator_combined_v1()
        .limit(500)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ReplyTooLarge, "{err:?}");
    let mut pages = small.indicator_combined_v1().limit(500).pages();
    let first = pages.try_next().await;
    assert!(
        // A failed page of a walk says where to go on from; its kind is its cause's.
        matches!(&first, Err(e) if e.kind() == ErrorKind::ReplyTooLarge),
        "{first:?}"
    );
    assert!(
        pages.try_next().await.unwrap().is_none(),
        "the stream ends there"
    );
}

#[test]
fn the_default_cap_is_generous() {
    assert_eq!(falcon_runtime::DEFAULT_MAX_REPLY_BYTES, 64 * MIB);
    let sim_free = Client::builder()
        .base_url("http://127.0.0.1:9")
        .access_token("t")
        .build()
        .unwrap();
    assert!(
        format!("{:?}", sim_free.runtime()).contains(&format!("max_reply_bytes: {}", 64 * MIB))
    );
}
