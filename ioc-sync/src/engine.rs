//! The engine: read what the source holds, compare it with the feed, send the difference in
//! batches, several in flight, and check the rows whose fate the replies left open.
//!
//! Why it is safe to stop at any moment: every write is decided from what the tenant holds
//! when the run starts, and the identity is (type, value), so a run that follows a killed one
//! finds the creates that landed (their replies lost or not) and does not send them again.
//! Creates never ask the service to ignore its duplicate check, so a lost reply followed by a
//! second create cannot make a second indicator: the service refuses it as a duplicate, and
//! the engine then looks the pair up, to tell "ours, landed" from "another source's". Deletes
//! name only ids read from this source.

use std::collections::{HashMap, HashSet};
use std::fmt;

use futures_util::StreamExt;
use ioc_client::models::{
    ApiIndicatorCreateReqV1, ApiIndicatorCreateReqsV1, ApiIndicatorUpdateReqV1,
    ApiIndicatorUpdateReqsV1, ApiMetadataReqV1,
};
use ioc_client::{Client, Error, ErrorKind};

use crate::indicator::{Defaults, Fields, Indicator, Row};
use crate::report::{Outcome, Report, RowReport};
use crate::service::{self, RowError};
use crate::tenant::{self, Held};

/// One row of a feed: its number (1 = the first data row) and the row, or why it could not be
/// read (it is then reported as skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedRow {
    /// The row's number in the feed.
    pub number: u64,
    /// The row, or why it is unreadable.
    pub row: Result<Row, String>,
}

/// Why a sync stopped before it finished. Nothing after the point named was sent.
#[derive(Debug)]
pub enum SyncError {
    /// The feed could not be read to its end; nothing was written (a partial feed would
    /// delete what it is missing).
    Feed(String),
    /// Bad settings (a source name or default the service would not take); nothing was sent.
    Config(String),
    /// Reading the source, or logging in, failed.
    Api(Error),
    /// The plan deletes more than `max_deletes`; nothing was written.
    TooManyDeletes {
        /// Deletes the plan holds.
        planned: usize,
        /// The limit given.
        max: usize,
    },
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncError::Feed(e) => write!(f, "cannot read the feed: {e}; nothing was written"),
            SyncError::Config(e) => write!(f, "{e}"),
            SyncError::Api(e) => write!(f, "{e}"),
            SyncError::TooManyDeletes { planned, max } => write!(
                f,
                "the plan deletes {planned} indicators, more than the {max} allowed \
                 (--max-deletes); nothing was written: check the feed is complete, then raise \
                 the limit or keep them (--keep-missing)"
            ),
        }
    }
}

impl std::error::Error for SyncError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SyncError::Api(e) => Some(e),
            _ => None,
        }
    }
}

impl From<Error> for SyncError {
    fn from(e: Error) -> Self {
        SyncError::Api(e)
    }
}

/// Hears how a sync goes, for a progress bar. Every method does nothing by default.
pub trait Progress {
    /// `n` indicators of the source read so far.
    fn reading(&mut self, n: usize) {
        let _ = n;
    }
    /// The plan is made: `writes` rows to create, update or delete.
    fn planned(&mut self, writes: usize) {
        let _ = writes;
    }
    /// `n` more rows written (or failed).
    fn wrote(&mut self, n: usize) {
        let _ = n;
    }
}

/// No progress reporting.
impl Progress for () {}

/// A sync of one source: settings, then [`Sync::run`].
///
/// ```no_run
/// # async fn demo(client: ioc_client::Client) -> Result<(), ioc_sync::SyncError> {
/// use ioc_sync::{Defaults, FeedRow, Row, Sync};
/// let feed = vec![FeedRow {
///     number: 1,
///     row: Ok(Row { kind: "domain".into(), value: "evil.example.com".into(), ..Row::default() }),
/// }];
/// let defaults = Defaults {
///     action: Some("detect".into()),
///     severity: Some("high".into()),
///     platforms: Some(vec!["windows".into(), "mac".into()]),
///     ..Defaults::default()
/// };
/// let report = Sync::new(&client, "my-feed")
///     .defaults(defaults)
///     .run(feed.into_iter().map(Ok::<_, std::io::Error>), &mut ())
///     .await?;
/// println!("{}", report.summary);
/// assert!(report.exact());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Sync<'c> {
    client: &'c Client,
    source: String,
    defaults: Defaults,
    keep_missing: bool,
    max_deletes: Option<usize>,
    dry_run: bool,
    in_flight: usize,
    comment: Option<String>,
}

/// What a run plans for one row of the feed.
enum Step {
    Create(Indicator),
    /// Boxed: an update is twice a create's size, and every step of a plan is as large as
    /// its largest kind.
    Update(Box<Update>),
    Delete(Held),
}

/// An update: the indicator's id, what the feed wants and what the source holds.
struct Update {
    id: String,
    want: Indicator,
    held: Fields,
}

/// One request's worth of steps, with the report lines they belong to.
enum Batch {
    Create(Vec<(usize, Indicator)>),
    Update(Vec<(usize, String, Indicator, Fields)>),
    Delete(Vec<(usize, String)>),
}

/// A create whose reply did not settle it: refused as a duplicate, or never answered.
struct Unsettled {
    line: usize,
    want: Indicator,
    /// The service's words when it refused it as a duplicate; `None` when there was no reply.
    refused: Option<String>,
}

/// What the replies of one batch said.
#[derive(Default)]
struct Sent {
    done: Vec<(usize, Outcome, Option<String>)>,
    unsettled: Vec<Unsettled>,
}

impl<'c> Sync<'c> {
    /// A sync of the indicators whose `source` is `source`, with no defaults, deleting what the
    /// feed no longer has, four requests in flight.
    pub fn new(client: &'c Client, source: impl Into<String>) -> Sync<'c> {
        Sync {
            client,
            source: source.into(),
            defaults: Defaults::default(),
            keep_missing: false,
            max_deletes: None,
            dry_run: false,
            in_flight: 4,
            comment: None,
        }
    }

    /// Values for the fields rows leave out.
    pub fn defaults(mut self, defaults: Defaults) -> Self {
        self.defaults = defaults;
        self
    }

    /// Keep the indicators of the source that the feed no longer has.
    pub fn keep_missing(mut self, keep: bool) -> Self {
        self.keep_missing = keep;
        self
    }

    /// Refuse (before any write) a plan that deletes more than `max`.
    pub fn max_deletes(mut self, max: Option<usize>) -> Self {
        self.max_deletes = max;
        self
    }

    /// Plan only: read, compare and report, write nothing.
    pub fn dry_run(mut self, dry_run: bool) -> Self {
        self.dry_run = dry_run;
        self
    }

    /// How many write requests may be in flight together (at least 1). The runtime waits out
    /// 429s, so more than the rate limit allows only waits.
    pub fn in_flight(mut self, n: usize) -> Self {
        self.in_flight = n.max(1);
        self
    }

    /// The audit comment sent with every create and update.
    pub fn comment(mut self, comment: Option<String>) -> Self {
        self.comment = comment;
        self
    }

    /// Makes the source hold exactly the feed: reads what it holds, plans, and (unless a dry
    /// run) writes. The feed is read once, row by row; a feed that fails part way stops the run
    /// before anything is written. Rows that are bad are skipped and reported, rows the service
    /// refuses are reported as failed, and the run goes on; [`Report::exact`] says whether the
    /// source now matches the feed.
    pub async fn run<I, E>(
        &self,
        feed: I,
        progress: &mut (dyn Progress + Send),
    ) -> Result<Report, SyncError>
    where
        I: IntoIterator<Item = Result<FeedRow, E>>,
        E: fmt::Display,
    {
        tenant::check_source(&self.source).map_err(SyncError::Config)?;
        self.defaults.check().map_err(SyncError::Config)?;
        let defaults = self.defaults.resolve();

        // What the source holds; a second indicator of one (type, value) is deleted below.
        let mut held: HashMap<(String, String), Held> = HashMap::new();
        let mut extra: Vec<Held> = Vec::new();
        let mut count = 0;
        tenant::read_source(self.client, &self.source, |h| {
            count += 1;
            if count % 5000 == 0 {
                progress.reading(count);
            }
            let key = (h.indicator.kind.clone(), h.indicator.value.clone());
            match held.entry(key) {
                std::collections::hash_map::Entry::Occupied(_) => extra.push(h),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(h);
                }
            }
        })
        .await?;
        progress.reading(count);

        // The feed against it.
        let mut lines: Vec<RowReport> = Vec::new();
        let mut steps: Vec<(usize, Step)> = Vec::new();
        let mut seen: HashMap<(String, String), u64> = HashMap::new();
        for item in feed {
            let FeedRow { number, row } = item.map_err(|e| SyncError::Feed(e.to_string()))?;
            let line = lines.len();
            let (kind, value) = match &row {
                Ok(r) => (r.kind.clone(), r.value.clone()),
                Err(_) => Default::default(),
            };
            lines.push(RowReport {
                row: Some(number),
                kind,
                value,
                outcome: Outcome::Unchanged,
                reason: None,
            });
            let want = match row.and_then(|r| defaults.indicator(r)) {
                Ok(want) => want,
                Err(reason) => {
                    lines[line].outcome = Outcome::Skipped;
                    lines[line].reason = Some(reason);
                    continue;
                }
            };
            let key = (want.kind.clone(), want.value.clone());
            if let Some(first) = seen.get(&key) {
                lines[line].outcome = Outcome::Skipped;
                lines[line].reason = Some(format!(
                    "the same type and value as row {first}: each indicator once per feed"
                ));
                continue;
            }
            seen.insert(key.clone(), number);
            match held.remove(&key) {
                None => steps.push((line, Step::Create(want))),
                Some(h) if h.indicator.fields == want.fields => {}
                Some(h) => steps.push((
                    line,
                    Step::Update(Box::new(Update {
                        id: h.id,
                        want,
                        held: h.indicator.fields,
                    })),
                )),
            }
        }
        drop(seen);

        // What the feed no longer has, and second copies of one (type, value).
        let mut kept = 0;
        let mut gone: Vec<Held> = extra;
        if self.keep_missing {
            kept = held.len();
        } else {
            gone.extend(held.into_values());
        }
        gone.sort_by(|a, b| {
            (&a.indicator.kind, &a.indicator.value, &a.id).cmp(&(
                &b.indicator.kind,
                &b.indicator.value,
                &b.id,
            ))
        });
        if let Some(max) = self.max_deletes
            && gone.len() > max
        {
            return Err(SyncError::TooManyDeletes {
                planned: gone.len(),
                max,
            });
        }
        for h in gone {
            lines.push(RowReport {
                row: None,
                kind: h.indicator.kind.clone(),
                value: h.indicator.value.clone(),
                outcome: Outcome::Deleted,
                reason: Some(format!("id {}: not in the feed", h.id)),
            });
            steps.push((lines.len() - 1, Step::Delete(h)));
        }

        progress.planned(steps.len());
        if self.dry_run {
            for (line, step) in &steps {
                lines[*line].outcome = match step {
                    Step::Create(_) => Outcome::Created,
                    Step::Update(_) => Outcome::Updated,
                    Step::Delete(_) => Outcome::Deleted,
                };
            }
            return Ok(finish(lines, true, kept));
        }

        let batches = batches(steps);
        let mut sent = futures_util::stream::iter(batches)
            .map(|batch| self.send(batch))
            .buffer_unordered(self.in_flight);
        let mut unsettled = Vec::new();
        while let Some(result) = sent.next().await {
            let result = result?;
            progress.wrote(result.done.len() + result.unsettled.len());
            settle(&mut lines, result.done);
            unsettled.extend(result.unsettled);
        }
        drop(sent);
        if !unsettled.is_empty() {
            let done = self.settle_unsettled(unsettled).await?;
            settle(&mut lines, done);
        }
        Ok(finish(lines, false, kept))
    }

    /// Sends one batch. `Err` only for what no other batch would survive (the login failed,
    /// the settings are bad); everything else is an outcome of its rows.
    async fn send(&self, batch: Batch) -> Result<Sent, SyncError> {
        let mut sent = Sent::default();
        match batch {
            Batch::Create(rows) => {
                let body = ApiIndicatorCreateReqsV1::new(
                    rows.iter()
                        .map(|(_, want)| create_request(want, &self.source)),
                );
                let body = match &self.comment {
                    Some(c) => body.comment(c.clone()),
                    None => body,
                };
                let (created, errors) = match service::create(self.client, &body).await {
                    Ok(reply) => reply,
                    Err(e) => match written_nothing(e)? {
                        Ok(refused) => (HashSet::new(), refused),
                        // No reply: whether the batch landed is found out by looking.
                        Err(_) => {
                            sent.unsettled
                                .extend(rows.into_iter().map(|(line, want)| Unsettled {
                                    line,
                                    want,
                                    refused: None,
                                }));
                            return Ok(sent);
                        }
                    },
                };
                let mut by_index: HashMap<usize, RowError> = HashMap::new();
                let mut other: Vec<RowError> = Vec::new();
                for e in errors {
                    match e.index {
                        Some(i) => {
                            by_index.insert(i, e);
                        }
                        None => other.push(e),
                    }
                }
                for (i, (line, want)) in rows.into_iter().enumerate() {
                    if created.contains(&(want.kind.clone(), want.value.clone())) {
                        sent.done.push((line, Outcome::Created, None));
                    } else if let Some(e) = by_index.remove(&i) {
                        if e.is_duplicate() {
                            sent.unsettled.push(Unsettled {
                                line,
                                want,
                                refused: Some(e.message),
                            });
                        } else {
                            sent.done.push((line, Outcome::Failed, Some(e.message)));
                        }
                    } else {
                        let why = other.first().map_or_else(
                            || "the reply neither created it nor named an error".to_string(),
                            |e| e.message.clone(),
                        );
                        sent.done.push((line, Outcome::Failed, Some(why)));
                    }
                }
            }
            Batch::Update(rows) => {
                let body = ApiIndicatorUpdateReqsV1::new().indicators(
                    rows.iter()
                        .map(|(_, id, want, held)| update_request(id, &want.fields, held)),
                );
                let body = match &self.comment {
                    Some(c) => body.comment(c.clone()),
                    None => body,
                };
                let reply = self.client.indicator_update_v1().body(body).send().await;
                let errors = match reply {
                    Ok(reply) => service::failed_rows(&reply),
                    Err(e) => match written_nothing(e)? {
                        Ok(refused) => refused,
                        Err(e) => rows
                            .iter()
                            .enumerate()
                            .map(|(i, _)| RowError {
                                index: Some(i),
                                id: None,
                                message: format!("{e}; run the sync again"),
                            })
                            .collect(),
                    },
                };
                for (i, (line, id, _, _)) in rows.into_iter().enumerate() {
                    let failed = errors
                        .iter()
                        .find(|e| e.index == Some(i) || e.id.as_deref() == Some(id.as_str()));
                    sent.done.push(match failed {
                        Some(e) => (line, Outcome::Failed, Some(e.message.clone())),
                        None => (line, Outcome::Updated, None),
                    });
                }
            }
            Batch::Delete(rows) => {
                let reply = self
                    .client
                    .indicator_delete_v1()
                    .ids(rows.iter().map(|(_, id)| id.clone()))
                    .send()
                    .await;
                let failure = match reply {
                    Ok(_) => None,
                    // 404: none of them is there any more, which is what was wanted.
                    Err(e) if e.as_api().is_some_and(|a| a.status == 404) => None,
                    Err(e) => Some(written_nothing(e)?.map_or_else(
                        |e| format!("{e}; run the sync again"),
                        |refused| {
                            refused
                                .first()
                                .map_or_else(|| "refused".to_string(), |r| r.message.clone())
                        },
                    )),
                };
                for (line, _) in rows {
                    sent.done.push(match &failure {
                        None => (line, Outcome::Deleted, None),
                        Some(why) => (line, Outcome::Failed, Some(why.clone())),
                    });
                }
            }
        }
        Ok(sent)
    }

    /// Settles the creates a reply left open by looking their (type, value) up: ours and
    /// landed (updated if need be), another source's (failed, left as it is), or absent
    /// (sent once more).
    async fn settle_unsettled(
        &self,
        unsettled: Vec<Unsettled>,
    ) -> Result<Vec<(usize, Outcome, Option<String>)>, SyncError> {
        let values: Vec<String> = unsettled.iter().map(|u| u.want.value.clone()).collect();
        let mut found: HashMap<(String, String), Vec<Held>> = HashMap::new();
        for h in tenant::find_values(self.client, &values).await? {
            let key = (h.indicator.kind.clone(), h.indicator.value.clone());
            found.entry(key).or_default().push(h);
        }
        let mut done = Vec::new();
        let mut resend = Vec::new();
        let mut fix = Vec::new();
        for u in unsettled {
            let key = (u.want.kind.clone(), u.want.value.clone());
            let same = found.get(&key).map_or(&[][..], Vec::as_slice);
            if let Some(ours) = same.iter().find(|h| h.source == self.source) {
                if ours.indicator.fields == u.want.fields {
                    done.push((u.line, Outcome::Created, None));
                } else {
                    fix.push((
                        u.line,
                        ours.id.clone(),
                        u.want,
                        ours.indicator.fields.clone(),
                    ));
                }
            } else if let Some(other) = same.first() {
                done.push((
                    u.line,
                    Outcome::Failed,
                    Some(format!(
                        "this type and value already exist in source `{}` (id {}), which the \
                         sync leaves alone: remove it there, or drop the row from the feed",
                        other.source, other.id
                    )),
                ));
            } else if let Some(message) = u.refused {
                done.push((u.line, Outcome::Failed, Some(message)));
            } else {
                resend.push((u.line, u.want));
            }
        }
        for chunk in chunks(resend, service::create_batch()) {
            let sent = self.send(Batch::Create(chunk)).await?;
            done.extend(sent.done);
            done.extend(sent.unsettled.into_iter().map(|u| {
                (
                    u.line,
                    Outcome::Failed,
                    Some(u.refused.unwrap_or_else(|| {
                        "no reply from the service, twice: run the sync again".into()
                    })),
                )
            }));
        }
        for chunk in chunks(fix, service::update_batch()) {
            let sent = self.send(Batch::Update(chunk)).await?;
            // The row was created (by an earlier attempt) and is now as the feed has it.
            done.extend(
                sent.done
                    .into_iter()
                    .map(|(line, outcome, why)| match outcome {
                        Outcome::Updated => (line, Outcome::Created, why),
                        other => (line, other, why),
                    }),
            );
        }
        Ok(done)
    }
}

/// An error a batch's rows can be reported with: `Ok(refused rows)` when the service answered
/// and wrote nothing, `Err(e)` when there was no (usable) reply, so the batch may have
/// landed. A failed login or bad settings stop the run.
fn written_nothing(e: Error) -> Result<Result<Vec<RowError>, Error>, SyncError> {
    match e.kind() {
        ErrorKind::Auth | ErrorKind::Config | ErrorKind::InvalidArgument => Err(SyncError::Api(e)),
        ErrorKind::Api => {
            let mut rows = service::refused_rows(&e);
            if rows.is_empty() {
                rows.push(RowError {
                    index: None,
                    id: None,
                    message: e.to_string(),
                });
            }
            Ok(Ok(rows))
        }
        _ => Ok(Err(e)),
    }
}

fn chunks<T>(items: Vec<T>, size: usize) -> Vec<Vec<T>> {
    let mut out = Vec::with_capacity(items.len().div_ceil(size));
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        out.push(items.by_ref().take(size).collect());
    }
    out
}

/// The plan's steps as requests: creates, then updates, then deletes, each kind in batches.
/// Steps move straight into their batch (no list of all creates on the way): at 100,000 rows
/// every copy of the plan is tens of megabytes of peak memory.
fn batches(steps: Vec<(usize, Step)>) -> Vec<Batch> {
    let (mut creates, mut updates, mut deletes) = (Vec::new(), Vec::new(), Vec::new());
    let (mut create, mut update, mut delete) = (Vec::new(), Vec::new(), Vec::new());
    for (line, step) in steps {
        match step {
            Step::Create(want) => {
                create.push((line, want));
                if create.len() == service::create_batch() {
                    creates.push(Batch::Create(std::mem::take(&mut create)));
                }
            }
            Step::Update(u) => {
                let Update { id, want, held } = *u;
                update.push((line, id, want, held));
                if update.len() == service::update_batch() {
                    updates.push(Batch::Update(std::mem::take(&mut update)));
                }
            }
            Step::Delete(h) => {
                delete.push((line, h.id));
                if delete.len() == service::delete_ids() {
                    deletes.push(Batch::Delete(std::mem::take(&mut delete)));
                }
            }
        }
    }
    if !create.is_empty() {
        creates.push(Batch::Create(create));
    }
    if !update.is_empty() {
        updates.push(Batch::Update(update));
    }
    if !delete.is_empty() {
        deletes.push(Batch::Delete(delete));
    }
    creates.extend(updates);
    creates.extend(deletes);
    creates
}

fn settle(lines: &mut [RowReport], done: Vec<(usize, Outcome, Option<String>)>) {
    for (line, outcome, reason) in done {
        let l = &mut lines[line];
        l.outcome = outcome;
        if reason.is_some() || outcome != Outcome::Deleted {
            l.reason = reason;
        }
    }
}

fn finish(lines: Vec<RowReport>, dry_run: bool, kept: usize) -> Report {
    let mut report = Report {
        dry_run,
        kept,
        ..Report::default()
    };
    for l in &lines {
        report.summary.add(l.outcome);
    }
    report.rows = lines;
    report
}

/// The create request of an indicator: every field the feed gives, and the source.
fn create_request(want: &Indicator, source: &str) -> ApiIndicatorCreateReqV1 {
    let f = &want.fields;
    let mut r = ApiIndicatorCreateReqV1::new(want.kind.clone(), want.value.clone())
        .action(f.action.clone())
        .platforms(f.platforms.iter().cloned())
        .applied_globally(f.applied_globally)
        .source(source);
    if !f.severity.is_empty() {
        r = r.severity(f.severity.clone());
    }
    if !f.expiration.is_empty() {
        r = r.expiration(f.expiration.clone());
    }
    if !f.description.is_empty() {
        r = r.description(f.description.clone());
    }
    if !f.tags.is_empty() {
        r = r.tags(f.tags.iter().cloned());
    }
    if !f.host_groups.is_empty() {
        r = r.host_groups(f.host_groups.iter().cloned());
    }
    if !f.mobile_action.is_empty() {
        r = r.mobile_action(f.mobile_action.clone());
    }
    if !f.filename.is_empty() {
        r = r.metadata(ApiMetadataReqV1 {
            filename: Some(f.filename.clone()),
        });
    }
    r
}

/// The update request of an indicator: only the fields that differ (an empty text or list
/// clears one).
fn update_request(id: &str, want: &Fields, held: &Fields) -> ApiIndicatorUpdateReqV1 {
    let mut r = ApiIndicatorUpdateReqV1::new().id(id);
    if want.action != held.action {
        r = r.action(want.action.clone());
    }
    if want.severity != held.severity {
        r = r.severity(want.severity.clone());
    }
    if want.platforms != held.platforms {
        r = r.platforms(want.platforms.iter().cloned());
    }
    if want.expiration != held.expiration {
        r = r.expiration(want.expiration.clone());
    }
    if want.description != held.description {
        r = r.description(want.description.clone());
    }
    if want.tags != held.tags {
        r = r.tags(want.tags.iter().cloned());
    }
    if want.host_groups != held.host_groups {
        r = r.host_groups(want.host_groups.iter().cloned());
    }
    if want.applied_globally != held.applied_globally {
        r = r.applied_globally(want.applied_globally);
    }
    if want.mobile_action != held.mobile_action {
        r = r.mobile_action(want.mobile_action.clone());
    }
    if want.filename != held.filename {
        r = r.metadata(ApiMetadataReqV1 {
            filename: Some(want.filename.clone()),
        });
    }
    r
}
