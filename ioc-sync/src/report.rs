//! What a sync did, row by row and in total.

use std::fmt;

/// What became of one feed row (or, for `Deleted`, of one indicator the feed no longer has).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Created (in a dry run: would be created).
    Created,
    /// Changed fields updated (in a dry run: would be).
    Updated,
    /// Already as the feed has it.
    Unchanged,
    /// Deleted: of the source, not in the feed (in a dry run: would be).
    Deleted,
    /// Not sent: the row is bad (the reason says why).
    Skipped,
    /// Sent, and the service refused it or did not answer (the reason says why).
    Failed,
}

impl Outcome {
    /// The word used in reports: `created`, `updated`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::Deleted => "deleted",
            Outcome::Skipped => "skipped",
            Outcome::Failed => "failed",
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowReport {
    /// The feed's row number (1 = the first data row); `None` for a deletion.
    pub row: Option<u64>,
    /// The indicator's type, as the row gave it.
    pub kind: String,
    /// Its value, as the row gave it.
    pub value: String,
    /// What happened.
    pub outcome: Outcome,
    /// Why, for skipped and failed rows (and which id, for deletions).
    pub reason: Option<String>,
}

impl RowReport {
    /// The report line as JSON: `{"row", "type", "value", "outcome", "reason"}`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "row": self.row,
            "type": self.kind,
            "value": self.value,
            "outcome": self.outcome.as_str(),
            "reason": self.reason,
        })
    }
}

/// How many rows had each outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Created.
    pub created: usize,
    /// Updated.
    pub updated: usize,
    /// Unchanged.
    pub unchanged: usize,
    /// Deleted.
    pub deleted: usize,
    /// Skipped (bad rows).
    pub skipped: usize,
    /// Failed (refused by the service, or no answer).
    pub failed: usize,
}

impl Summary {
    /// Counts one outcome.
    pub fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Created => self.created += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Deleted => self.deleted += 1,
            Outcome::Skipped => self.skipped += 1,
            Outcome::Failed => self.failed += 1,
        }
    }

    /// Rows that need a write.
    pub fn writes(&self) -> usize {
        self.created + self.updated + self.deleted
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} created, {} updated, {} unchanged, {} deleted, {} skipped, {} failed",
            self.created, self.updated, self.unchanged, self.deleted, self.skipped, self.failed
        )
    }
}

/// The result of a sync.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// One entry per feed row, in row order, then one per deletion.
    pub rows: Vec<RowReport>,
    /// The totals of `rows`.
    pub summary: Summary,
    /// Whether this was a dry run: the outcomes are the plan, nothing was written.
    pub dry_run: bool,
    /// Indicators of the source that the feed no longer has and that were kept
    /// (`keep_missing`).
    pub kept: usize,
}

impl Report {
    /// Whether the source now holds exactly the feed: no row skipped or failed (and, for a
    /// dry run, nothing left to write). Indicators kept by `keep_missing` do not count.
    pub fn exact(&self) -> bool {
        self.summary.skipped == 0
            && self.summary.failed == 0
            && !(self.dry_run && self.summary.writes() > 0)
    }
}
