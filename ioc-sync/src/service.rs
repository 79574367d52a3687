//! What the sync needs to know of the service's rules, in one place: how many indicators and
//! ids one request carries, the largest page, and which rows of a batch failed and why.

use ioc_client::Error;
use ioc_client::models::MsaApiError;

/// Indicators per create request.
pub const CREATE_BATCH: usize = 200;
/// Indicators per update request.
pub const UPDATE_BATCH: usize = 200;
/// Ids per delete request (they travel in the URL).
pub const DELETE_IDS: usize = 200;
/// The largest `limit` of `indicator.combined.v1`.
pub const PAGE: i64 = 500;

/// One failed row of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The row's index in the batch, when the service gives one.
    pub index: Option<usize>,
    /// The indicator id the error names, when it names one.
    pub id: Option<String>,
    /// The service's words, without the `indicators[i]: ` prefix.
    pub message: String,
}

impl RowError {
    fn new(id: Option<&str>, message: &str) -> RowError {
        let (index, message) = match message
            .strip_prefix("indicators[")
            .and_then(|rest| rest.split_once("]: "))
            .and_then(|(i, m)| Some((i.parse::<usize>().ok()?, m)))
        {
            Some((i, m)) => (Some(i), m),
            None => (None, message),
        };
        RowError {
            index,
            id: id.map(str::to_string),
            message: message.to_string(),
        }
    }

    /// Whether the service refused a create because the type and value exist already.
    pub fn is_duplicate(&self) -> bool {
        let m = self.message.to_ascii_lowercase();
        m.contains("duplicate") || m.contains("already exists")
    }
}

/// The failed rows of a 2xx reply's `errors`.
pub fn reply_errors(errors: &[MsaApiError]) -> Vec<RowError> {
    errors
        .iter()
        .map(|e| RowError::new(e.id.as_deref(), e.message.as_deref().unwrap_or("")))
        .collect()
}

/// The failed rows of a refused request (a 4xx with per-row `errors`); empty for any other
/// error.
pub fn refused_rows(error: &Error) -> Vec<RowError> {
    error
        .as_api()
        .filter(|a| (400..500).contains(&a.status) && a.status != 429)
        .map(|a| {
            a.errors
                .iter()
                .map(|e| RowError::new(e.id.as_deref(), &e.message))
                .collect()
        })
        .unwrap_or_default()
}
