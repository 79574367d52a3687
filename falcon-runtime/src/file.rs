//! `FileUpload`: a file for a `multipart/form-data` part (a spec's `type: file` or
//! `type: string, format: binary` form field).

use bytes::Bytes;

/// A file to upload: its name, its bytes and, optionally, its content type.
///
/// The bytes are held as [`Bytes`], so a request that is retried sends the same file again
/// without copying it.
///
/// ```
/// use falcon_runtime::FileUpload;
///
/// let script = FileUpload::new("hello.ps1", "Write-Output 'hello'").content_type("text/plain");
/// assert_eq!(script.file_name(), "hello.ps1");
/// assert_eq!(script.len(), 20);
/// ```
///
/// `Debug` shows the file name, content type and size, never the content.
#[derive(Clone, PartialEq, Eq)]
pub struct FileUpload {
    file_name: String,
    content_type: Option<String>,
    bytes: Bytes,
}

impl FileUpload {
    /// A file called `file_name` (sent as the part's `filename`) holding `bytes` (a `Vec<u8>`,
    /// a `String`, a `&'static [u8]` or `&'static str`, or [`Bytes`]).
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        FileUpload {
            file_name: file_name.into(),
            content_type: None,
            bytes: bytes.into(),
        }
    }

    /// Sets the part's `Content-Type` (`application/zip`, say); without one it is
    /// `application/octet-stream` (RFC 7578). A value that is not a MIME type is refused before
    /// anything is sent.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file name sent with the bytes.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The content type given with [`FileUpload::content_type`], if any.
    pub fn mime(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The file's contents.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The size in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the file has no bytes.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The multipart part for one attempt: a cheap clone of the bytes, with a known length so
    /// the request carries a `Content-Length`.
    pub(crate) fn part(&self) -> Result<reqwest::multipart::Part, String> {
        let part = reqwest::multipart::Part::stream_with_length(
            reqwest::Body::from(self.bytes.clone()),
            self.bytes.len() as u64,
        )
        .file_name(self.file_name.clone());
        let ct = self.mime().unwrap_or("application/octet-stream");
        part.mime_str(ct)
            .map_err(|_| format!("the content type `{ct}` is not a MIME type (`type/subtype`)"))
    }

    /// Refuses what cannot be sent: a content type that is not a MIME type.
    pub(crate) fn check(&self) -> Result<(), String> {
        self.part().map(|_| ())
    }
}

impl std::fmt::Debug for FileUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileUpload")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}
