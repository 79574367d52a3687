//! The generated client of `codegen/tests/specs/uploads.yaml` on the wire: a `multipart/form-data`
//! upload (file and text parts, sent again whole after a 503) and an url-encoded form, through
//! typed builders and `command()`, against a loopback server that records each request.

mod support;

use codegen_fixtures::uploads::Client;
use falcon_runtime::{ErrorKind, FileUpload};
use serde_json::json;
use support::{Seen, server};

/// One part of a multipart body: name, file name, content type, bytes.
#[derive(Debug, PartialEq)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    bytes: Vec<u8>,
}

/// Splits a `multipart/form-data` body at its boundary (taken from the content type).
fn parts(seen: &Seen) -> Vec<Part> {
    let content_type = seen.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart: {content_type}"));
    let delimiter = format!("--{boundary}");
    let body = &seen.body;
    let at: Vec<usize> = body
        .windows(delimiter.len())
        .enumerate()
        .filter(|(_, w)| *w == delimiter.as_bytes())
        .map(|(i, _)| i)
        .collect();
    assert!(
        body[*at.last().unwrap()..].starts_with(format!("{delimiter}--").as_bytes()),
        "closing delimiter"
    );
    at.windows(2)
        .map(|w| {
            // `--boundary\r\n` headers `\r\n\r\n` content `\r\n`
            let part = &body[w[0] + delimiter.len() + 2..w[1] - 2];
            let split = part.windows(4).position(|x| x == b"\r\n\r\n").unwrap();
            let head = String::from_utf8_lossy(&part[..split]).into_owned();
            let header = |name: &str| {
                head.lines().find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
                })
            };
            let disposition = header("content-disposition").unwrap();
            let attr = |key: &str| {
                disposition.split(';').find_map(|a| {
                    let v = a.trim().strip_prefix(&format!("{key}=\""))?;
                    Some(v.trim_end_matches('"').to_string())
                })
            };
            Part {
                name: attr("name").unwrap(),
                file_name: attr("filename"),
                content_type: header("content-type"),
                bytes: part[split + 4..].to_vec(),
            }
        })
        .collect()
}

fn text(name: &str, value: &str) -> Part {
    Part {
        name: name.into(),
        file_name: None,
        content_type: None,
        bytes: value.as_bytes().to_vec(),
    }
}

fn file(name: &str, file_name: &str, content_type: &str, bytes: &[u8]) -> Part {
    Part {
        name: name.into(),
        file_name: Some(file_name.into()),
        content_type: Some(content_type.into()),
        bytes: bytes.to_vec(),
    }
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .access_token("test-token")
        .retry(support::quick_retries())
        .build()
        .unwrap()
}

/// Not UTF-8, with CR LF and something that looks like a delimiter: sent byte for byte.
const AWKWARD: &[u8] = b"\x00\xff\xfe binary\r\n--not-a-boundary\r\n\x7f";

#[tokio::test]
async fn a_multipart_upload_sends_its_parts_and_sends_them_again_after_a_503() {
    let (url, seen) = server(vec![(503, "{}"), (200, r#"{"resources":["stored"]}"#)]).await;
    let reply = client(&url)
        .upload_file_v1()
        .scope("team")
        .file(FileUpload::new("notes.bin", AWKWARD).content_type("application/x-thing"))
        .comment("first upload")
        .tags(["a", "b"])
        .send()
        .await
        .unwrap();
    assert_eq!(reply.body.resources, Some(vec!["stored".to_string()]));

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "the 503 is retried once");
    let expected = vec![
        text("comment", "first upload"),
        file("file", "notes.bin", "application/x-thing", AWKWARD),
        text("tags", "a"),
        text("tags", "b"),
    ];
    for request in &seen {
        assert_eq!(request.line, "PUT /files/entities/files/v1?scope=team");
        assert_eq!(request.header("authorization"), Some("Bearer test-token"));
        assert!(
            request
                .header("content-type")
                .unwrap()
                .starts_with("multipart/form-data; boundary="),
            "{request:?}"
        );
        assert_eq!(
            request.header("content-length"),
            Some(request.body.len().to_string().as_str()),
            "a multipart body of known parts is sent with its length"
        );
        assert_eq!(parts(request), expected);
    }
}

#[tokio::test]
async fn a_file_without_a_content_type_is_sent_as_octet_stream() {
    let (url, seen) = server(vec![(200, "{}")]).await;
    client(&url)
        .upload_file_v1()
        .file(FileUpload::new("empty.txt", Vec::new()))
        .send()
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        parts(&seen[0]),
        vec![file("file", "empty.txt", "application/octet-stream", b"")]
    );
}

#[tokio::test]
async fn an_url_encoded_form_is_sent_as_form_pairs() {
    let (url, seen) = server(vec![(201, r#"{"resources":["n1"]}"#)]).await;
    let reply = client(&url)
        .note_create_v1()
        .title("a b&c")
        .priority(2)
        .ids(["x", "y"])
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status, 201);
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen[0].line, "POST /files/entities/notes/v1");
    assert_eq!(
        seen[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8_lossy(&seen[0].body),
        "ids=x&ids=y&priority=2&title=a+b%26c"
    );
}

#[tokio::test]
async fn command_takes_a_file_as_text_or_base64() {
    let (url, seen) = server(vec![(200, "{}")]).await;
    let client = client(&url);
    client
        .command(
            "UploadFileV1",
            json!({
                "file": {"file_name": "hello.ps1", "content": "Write-Output 'hi'", "content_type": "text/plain"},
                "comment": "as text",
            }),
        )
        .await
        .unwrap();
    client
        .command(
            "UploadFileV1",
            json!({"file": {"file_name": "bytes.bin", "content_base64": "AAH/"}}),
        )
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        parts(&seen[0]),
        vec![
            text("comment", "as text"),
            file("file", "hello.ps1", "text/plain", b"Write-Output 'hi'"),
        ]
    );
    assert_eq!(
        parts(&seen[1]),
        vec![file(
            "file",
            "bytes.bin",
            "application/octet-stream",
            &[0, 1, 255]
        )]
    );
}

#[tokio::test]
async fn command_sends_a_form_operation_as_its_form_not_as_json() {
    let (url, seen) = server(vec![(201, "{}")]).await;
    client(&url)
        .command("note_create_v1", json!({"title": "t", "ids": "a,b"}))
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8_lossy(&seen[0].body),
        "ids=a&ids=b&title=t"
    );
}

#[tokio::test]
async fn bad_files_are_refused_before_anything_is_sent() {
    let (url, seen) = server(vec![(200, "{}")]).await;
    let client = client(&url);
    let refused = |args: serde_json::Value| {
        let client = client.clone();
        async move {
            let err = client.command("UploadFileV1", args).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{err}");
            err.to_string()
        }
    };
    for (args, says) in [
        (json!({"file": "notes.txt"}), "a file is a JSON object"),
        (json!({"file": {"content": "x"}}), "`file_name` is missing"),
        (
            json!({"file": {"file_name": "a"}}),
            "`content` or `content_base64` is missing",
        ),
        (
            json!({"file": {"file_name": "a", "content": "x", "content_base64": "eA=="}}),
            "not both",
        ),
        (
            json!({"file": {"file_name": "a", "content_base64": "not base64!"}}),
            "not valid base64",
        ),
        (
            json!({"file": {"file_name": "a", "content": "x", "path": "/etc/passwd"}}),
            "`path` is not one of its keys",
        ),
        (
            json!({"file": {"file_name": "a", "content": "x", "content_type": "not a mime"}}),
            "not a MIME type",
        ),
        (json!({"comment": "no file"}), "required, but not given"),
    ] {
        let message = refused(args.clone()).await;
        assert!(
            message.contains("`UploadFileV1`") && message.contains("parameter `file`"),
            "{args}: {message}"
        );
        assert!(message.contains(says), "{args}: {message}");
    }

    let err = client
        .upload_file_v1()
        .file(FileUpload::new("a.txt", "x").content_type("no slash"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.to_string().contains("parameter `file`"), "{err}");

    assert!(seen.lock().unwrap().is_empty(), "nothing was sent");
}

#[test]
fn a_file_is_in_the_table_and_its_debug_shows_no_content() {
    use falcon_runtime::operation::{FormEncoding, Kind, Location};
    let op = &codegen_fixtures::uploads::table::UPLOAD_FILE_V1;
    assert_eq!(op.form_encoding(), Some(FormEncoding::Multipart));
    let file_param = op.param("file").unwrap();
    assert_eq!(
        (file_param.location, file_param.kind, file_param.required),
        (Location::Multipart, Kind::File, true)
    );
    assert_eq!(
        codegen_fixtures::uploads::table::NOTE_CREATE_V1.form_encoding(),
        Some(FormEncoding::UrlEncoded)
    );

    let upload = FileUpload::new("secret.txt", "hunter2").content_type("text/plain");
    let debug = format!("{upload:?}");
    assert!(!debug.contains("hunter2"), "{debug}");
    assert!(
        debug.contains("secret.txt") && debug.contains("len: 7"),
        "{debug}"
    );
}
