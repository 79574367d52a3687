//! The generated client of `codegen/tests/specs/raw_bodies.yaml` on the wire: bodies that are
//! neither JSON nor a form, sent byte for byte under the media type the table row declares
//! (or the caller's more precise one), through typed builders and `command()`, against a
//! loopback server that records each request.

mod support;

use codegen_fixtures::raw_bodies::Client;
use falcon_runtime::{ErrorKind, PreviewBody, RawBody};
use serde_json::json;
use support::server;

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .access_token("test-token")
        .retry(support::quick_retries())
        .build()
        .unwrap()
}

/// Not UTF-8, with CR LF and bytes JSON would escape: sent byte for byte.
const AWKWARD: &[u8] = b"\x00\xff\xfe ustar\r\n{\"not\": \"json\"}\x7f";

#[tokio::test]
async fn bytes_go_as_they_are_under_the_declared_type_and_again_after_a_503() {
    let (url, seen) = server(vec![(503, "{}"), (200, "{}")]).await;
    client(&url)
        .put_archive()
        .id("c1")
        .path("/tmp")
        .body(AWKWARD)
        .send()
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "the 503 is retried once");
    for request in &seen {
        assert_eq!(request.line, "PUT /archives/c1?path=%2Ftmp");
        assert_eq!(request.header("authorization"), Some("Bearer test-token"));
        assert_eq!(
            request.header("content-type"),
            Some("application/octet-stream"),
            "of `application/x-tar` and `application/octet-stream`, octet-stream is chosen"
        );
        assert_eq!(
            request.header("content-length"),
            Some(AWKWARD.len().to_string().as_str())
        );
        assert_eq!(request.body, AWKWARD);
    }
}

#[tokio::test]
async fn the_caller_may_name_a_more_precise_type_and_must_for_a_wildcard() {
    let (url, seen) = server(vec![(201, "{}")]).await;
    let client = client(&url);
    let err = client
        .upload_photo()
        .body(vec![0x89, b'P', b'N', b'G'])
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let message = err.to_string();
    assert!(
        message.contains("`UploadPhoto`")
            && message.contains("`image/*`")
            && message.contains("RawBody::content_type"),
        "{message}"
    );
    assert!(seen.lock().unwrap().is_empty(), "nothing was sent");

    let reply = client
        .upload_photo()
        .body(RawBody::new(vec![0x89, b'P', b'N', b'G']).content_type("image/png"))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status, 201);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen[0].line, "POST /photos");
    assert_eq!(seen[0].header("content-type"), Some("image/png"));
    assert_eq!(seen[0].body, b"\x89PNG");
}

#[tokio::test]
async fn text_bodies_take_a_string() {
    let (url, seen) = server(vec![(200, "{}")]).await;
    let note = String::from("line one\nline two: ü");
    client(&url).create_note().body(note).send().await.unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen[0].header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(seen[0].body, "line one\nline two: ü".as_bytes());
}

#[tokio::test]
async fn command_takes_a_raw_body_as_text_or_base64() {
    let (url, seen) = server(vec![(200, r#"{"id": "i1"}"#)]).await;
    let client = client(&url);
    client
        .command("CreateNote", json!({"body": "as text"}))
        .await
        .unwrap();
    client
        .command(
            "PutArchive",
            json!({"id": "c2", "body": {"content_base64": "AAH/", "content_type": "application/x-tar"}}),
        )
        .await
        .unwrap();
    // An optional raw body left out sends no body at all (not the `{}` of a JSON operation).
    let reply = client.command("LoadImage", json!({})).await.unwrap();
    assert_eq!(reply.body, json!({"id": "i1"}));
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen[0].header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(seen[0].body, b"as text");
    assert_eq!(seen[1].line, "PUT /archives/c2");
    assert_eq!(seen[1].header("content-type"), Some("application/x-tar"));
    assert_eq!(seen[1].body, [0, 1, 255]);
    assert_eq!(seen[2].line, "POST /images");
    assert_eq!(seen[2].header("content-type"), None);
    assert!(seen[2].body.is_empty(), "{:?}", seen[2].body);
}

#[tokio::test]
async fn json_is_chosen_over_text_when_both_are_offered() {
    let (url, seen) = server(vec![(200, "{}")]).await;
    client(&url)
        .command("PutSettings", json!({"body": {"id": "s"}}))
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen[0].header("content-type"), Some("application/json"));
    assert_eq!(seen[0].body, br#"{"id":"s"}"#);
}

#[tokio::test]
async fn bad_raw_bodies_are_refused_before_anything_is_sent() {
    let (url, seen) = server(vec![(200, "{}")]).await;
    let client = client(&url);
    for (args, says) in [
        (
            json!({"id": "c"}),
            "requires a body (`application/octet-stream`)",
        ),
        (json!({"id": "c", "body": 5}), "a raw body is a string"),
        (
            json!({"id": "c", "body": {"data": "x"}}),
            "`data` is not one of its keys",
        ),
        (
            json!({"id": "c", "body": {"content_base64": "not base64!"}}),
            "not valid base64",
        ),
        (
            json!({"id": "c", "body": {"content": "x", "content_type": "tar"}}),
            "not a media type",
        ),
    ] {
        let err = client
            .command("PutArchive", args.clone())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
        let message = err.to_string();
        assert!(message.contains("`PutArchive`"), "{args}: {message}");
        assert!(message.contains(says), "{args}: {message}");
    }
    assert!(seen.lock().unwrap().is_empty(), "nothing was sent");
}

#[test]
fn a_dry_run_shows_the_type_and_size_never_the_bytes() {
    let client = client("http://127.0.0.1:9");
    let preview = client
        .runtime()
        .preview_command(
            codegen_fixtures::raw_bodies::table::OPERATIONS,
            "PutArchive",
            json!({"id": "c", "body": "secret bytes"}),
        )
        .unwrap();
    assert_eq!(
        preview.body,
        PreviewBody::Raw {
            content_type: "application/octet-stream".into(),
            len: 12
        }
    );
    assert!(
        preview
            .headers
            .contains(&("Content-Type".into(), "application/octet-stream".into())),
        "{:?}",
        preview.headers
    );
}
