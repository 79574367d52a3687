//! Report jobs: `GetIndicatorsReport` launches one; Falcon's report-executions endpoints
//! follow it to its file.
//!
//! A job captures the indicators its search matches when it is launched. It waits in the
//! queue (`PENDING`) for [`QUEUED_FOR`], runs (`PROCESSING`), and is `DONE` [`DONE_AFTER`]
//! its launch. Its file is rendered from the captured indicators, as they are when it is
//! downloaded. The newest [`MAX_JOBS`] jobs are kept; the service keeps executions for 30
//! days, which `expiration_on` reports.

use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

use crate::fql::{Field, Scalar, Subject};
use crate::store::Rec;
use crate::util;

/// How long a job is `PENDING`, in microseconds.
pub const QUEUED_FOR: u64 = 250_000;
/// How long after its launch a job is `DONE`, in microseconds.
pub const DONE_AFTER: u64 = 1_000_000;
/// Jobs kept; the oldest goes first.
pub const MAX_JOBS: usize = 64;
const KEPT_FOR: u64 = 30 * 86_400 * 1_000_000;

/// A report file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `csv`.
    Csv,
    /// `json`.
    Json,
}

impl Format {
    /// The `report_format` value.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }

    /// The download's `Content-Type`.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv",
            Format::Json => "application/json",
        }
    }
}

/// One report job.
#[derive(Clone)]
pub struct Job {
    /// 32 hex characters.
    pub id: String,
    /// Launch time, microseconds since the epoch.
    pub created: u64,
    /// File format.
    pub format: Format,
    /// Client id that launched it.
    pub user: String,
    /// The indicators it covers (slots), in the order of its search.
    pub slots: Arc<Vec<u32>>,
}

impl std::fmt::Debug for Job {
    /// Without the slots: a job can cover a million indicators.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("id", &self.id)
            .field("created", &self.created)
            .field("format", &self.format)
            .field("user", &self.user)
            .field("indicators", &self.slots.len())
            .finish()
    }
}

/// The job table.
#[derive(Debug, Default)]
pub struct Reports {
    jobs: Mutex<Vec<Job>>,
}

impl Reports {
    /// Records a new job.
    pub fn add(&self, job: Job) {
        let mut jobs = self.jobs.lock().expect("reports lock");
        if jobs.len() >= MAX_JOBS {
            jobs.remove(0);
        }
        jobs.push(job);
    }

    /// Forgets every job.
    pub fn clear(&self) {
        self.jobs.lock().expect("reports lock").clear();
    }

    /// The job with this id.
    pub fn get(&self, id: &str) -> Option<Job> {
        let jobs = self.jobs.lock().expect("reports lock");
        jobs.iter().find(|j| j.id == id).cloned()
    }

    /// Every job, oldest first.
    pub fn all(&self) -> Vec<Job> {
        self.jobs.lock().expect("reports lock").clone()
    }
}

impl Job {
    /// `PENDING`, `PROCESSING` or `DONE` at `now` (microseconds).
    pub fn status(&self, now: u64) -> &'static str {
        match now.saturating_sub(self.created) {
            age if age < QUEUED_FOR => "PENDING",
            age if age < DONE_AFTER => "PROCESSING",
            _ => "DONE",
        }
    }

    /// When the status last changed.
    fn last_updated(&self, now: u64) -> u64 {
        match self.status(now) {
            "PENDING" => self.created,
            "PROCESSING" => self.created + QUEUED_FOR,
            _ => self.created + DONE_AFTER,
        }
    }

    /// The name of its file.
    pub fn file_name(&self) -> String {
        format!("indicators-report-{}.{}", self.id, self.format.name())
    }

    /// The job as a report execution (`domain.ReportExecutionV1`) at `now`.
    pub fn to_json(&self, now: u64) -> Value {
        let t = util::rfc3339_micros;
        let status = self.status(now);
        let mut v = json!({
            "id": self.id,
            "type": "indicators",
            "status": status,
            "status_display": match status {
                "PENDING" => "Pending",
                "PROCESSING" => "Processing",
                _ => "Done",
            },
            "status_msg": "",
            "created_on": t(self.created),
            "last_updated_on": t(self.last_updated(now)),
            "expiration_on": t(self.created + KEPT_FOR),
            "customer_id": util::hex_from_seed(util::fnv1a(self.user.as_bytes()), 2),
            "user_id": self.user,
            "user_uuid": util::trace_id_from(util::fnv1a(self.user.as_bytes())),
            "scheduled_report_id": "",
            "shared_with": [],
            "can_write": true,
        });
        if status == "DONE" {
            let ms = |micros: u64| micros / 1000;
            v["report_file_reference"] = json!(self.file_name());
            v["result_metadata"] = json!({
                "report_file_name": self.file_name(),
                "result_count": self.slots.len(),
                "result_id": self.id,
                "queue_start": t(self.created),
                "queue_duration": ms(QUEUED_FOR),
                "execution_start": t(self.created + QUEUED_FOR),
                "execution_finish": t(self.created + DONE_AFTER),
                "execution_duration": ms(DONE_AFTER - QUEUED_FOR),
                "execution_delay": 0,
                "report_finish": t(self.created + DONE_AFTER),
                "search_window_start": "",
                "search_window_end": "",
            });
        }
        v
    }
}

impl Subject for (&Job, u64) {
    fn any(&self, field: &Field, f: &mut dyn FnMut(Scalar<'_>) -> bool) -> bool {
        let (job, now) = *self;
        let text = |s: &str, f: &mut dyn FnMut(Scalar<'_>) -> bool| f(Scalar::Str(s));
        match field {
            Field::Named(name) => match &**name {
                "id" => text(&job.id, f),
                "status" => text(job.status(now), f),
                "type" => text("indicators", f),
                "user_id" => text(&job.user, f),
                "scheduled_report_id" => text("", f),
                "created_on" => text(&util::rfc3339_micros(job.created), f),
                "last_updated_on" => text(&util::rfc3339_micros(job.last_updated(now)), f),
                "expiration_on" => text(&util::rfc3339_micros(job.created + KEPT_FOR), f),
                _ => f(Scalar::Null),
            },
            _ => f(Scalar::Null),
        }
    }
}

/// Field names a report-executions filter may use.
pub fn filter_field(name: &str) -> Option<Field> {
    const NAMES: &[&str] = &[
        "id",
        "status",
        "type",
        "user_id",
        "scheduled_report_id",
        "created_on",
        "last_updated_on",
        "expiration_on",
    ];
    NAMES.contains(&name).then(|| Field::Named(name.into()))
}

/// Columns of a CSV report.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "type",
    "value",
    "action",
    "mobile_action",
    "severity",
    "platforms",
    "tags",
    "host_groups",
    "applied_globally",
    "expiration",
    "expired",
    "deleted",
    "source",
    "description",
    "metadata.filename",
    "created_on",
    "created_by",
    "modified_on",
    "modified_by",
];

/// One CSV line (with its line break) for an indicator; list fields are `|`-joined.
pub fn csv_line(rec: &Rec<'_>) -> String {
    let mut line = String::new();
    for (i, column) in CSV_COLUMNS.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let field = Field::parse(column).unwrap_or(Field::ParentCidName);
        let mut parts = Vec::new();
        rec.any(&field, &mut |s| {
            match s {
                Scalar::Null => {}
                Scalar::Bool(b) => parts.push(b.to_string()),
                Scalar::Str(t) => parts.push(t.to_string()),
            }
            false
        });
        let cell = parts.join("|");
        if cell.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&cell.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(&cell);
        }
    }
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(created: u64) -> Job {
        Job {
            id: "ab".repeat(16),
            created,
            format: Format::Csv,
            user: "me".into(),
            slots: Arc::new(vec![1, 2, 3]),
        }
    }

    #[test]
    fn jobs_finish() {
        let j = job(1_000_000_000);
        assert_eq!(j.status(j.created), "PENDING");
        assert_eq!(j.status(j.created + QUEUED_FOR), "PROCESSING");
        assert_eq!(j.status(j.created + DONE_AFTER), "DONE");
        assert_eq!(j.status(0), "PENDING", "a clock step back is no panic");
        let done = j.to_json(j.created + DONE_AFTER);
        assert_eq!(done["result_metadata"]["result_count"], 3);
        assert!(j.to_json(j.created).get("result_metadata").is_none());
    }

    #[test]
    fn oldest_jobs_go_first() {
        let r = Reports::default();
        for i in 0..(MAX_JOBS as u64 + 3) {
            let mut j = job(i);
            j.id = format!("{i:032x}");
            r.add(j);
        }
        assert_eq!(r.all().len(), MAX_JOBS);
        assert!(r.get(&format!("{:032x}", 0)).is_none());
        assert!(r.get(&format!("{:032x}", MAX_JOBS + 2)).is_some());
    }
}
