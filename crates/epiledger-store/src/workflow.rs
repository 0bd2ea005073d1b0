//! The reporting workflow, written once for every backend: a batch of changes inside one
//! transaction, each change in its own savepoint (applied whole or not at all), its audit entry
//! chained after the previous one, its answer kept for its retry key.
//!
//! The decisions are `epiledger_reporting::rules`; the reads and writes they need are the
//! primitive operations of [`WorkflowTx`], which each backend implements over its open
//! transaction with its own SQL. A backend's [`crate::ReportingStore::apply_changes`] opens the
//! transaction (and takes its locks), calls [`apply_batch`], and commits.

use chrono::{DateTime, Utc};
use epiledger_core::{content, time, Date, Day, RegionCode, Source};
pub use epiledger_reporting::rules::ReportHead;
use epiledger_reporting::rules::{self, ApproveArgs, AuditRecord, Chain, Effect, Submission};
use sha2::{Digest, Sha256};

use crate::backend;
use crate::reports::{
    Actor, BasisEntry, CaseBatch, CaseSegment, Change, ChangeError, ChangeRequest, Committed,
    IdempotencyKey, Refusal, Release, Role, Token, ValidatedReport,
};
use crate::StoreError;

/// The time of a batch: as a time, and as stored and hashed (fixed-width RFC 3339).
#[derive(Clone, Copy, Debug)]
pub struct At<'a> {
    /// The time, truncated to microseconds.
    pub at: DateTime<Utc>,
    /// [`time::format`] of it.
    pub text: &'a str,
}

/// How a change's rows are written: when, under which audit entry (each row names it, so that a
/// log missing its newest entries is caught), by which token.
#[derive(Clone, Copy, Debug)]
pub struct Stamp<'a> {
    /// When.
    pub at: At<'a>,
    /// The change's audit entry.
    pub seq: i64,
    /// The token that makes the change.
    pub by: Option<i64>,
}

/// A report version to insert.
#[derive(Clone, Copy, Debug)]
pub struct NewReport<'a> {
    /// The report, canonical.
    pub report: &'a ValidatedReport,
    /// Its version.
    pub version: u32,
    /// Why it supersedes the previous version.
    pub reason: Option<&'a str>,
    /// Its content hash.
    pub content_hash: &'a str,
}

/// A release to insert, approved.
#[derive(Clone, Copy, Debug)]
pub struct NewRelease<'a> {
    /// The day.
    pub date: Date,
    /// The compiled day, canonical.
    pub day: &'a Day,
    /// Its content hash.
    pub content_hash: &'a str,
    /// The report versions compiled, sorted.
    pub basis: &'a [BasisEntry],
    /// The published version it revises.
    pub base_version: Option<u32>,
    /// The approval's errata.
    pub errata: &'a [epiledger_reporting::Erratum],
    /// The approver's note.
    pub note: Option<&'a str>,
}

/// The primitive operations of the workflow inside one open transaction. Every method reads
/// or writes what the batch's earlier changes wrote; `seq` is the audit entry of the change
/// that writes a row ([`Stamp`]).
pub trait WorkflowTx {
    /// Starts the savepoint of one change.
    fn savepoint(&mut self) -> Result<(), StoreError>;
    /// Keeps what the change wrote.
    fn release_savepoint(&mut self) -> Result<(), StoreError>;
    /// Undoes what the change wrote.
    fn rollback_savepoint(&mut self) -> Result<(), StoreError>;
    /// Whether a store error ends the whole batch rather than its change (a deadlock, a
    /// serialization failure, a lost connection: the backend then runs the batch again).
    fn fails_batch(&self, _e: &StoreError) -> bool {
        false
    }

    /// The newest audit entry: (seq, hash).
    fn audit_head(&mut self) -> Result<Option<(i64, String)>, StoreError>;
    /// Writes an audit entry.
    fn write_audit(&mut self, entry: &AuditRecord, actor: &Actor, at: At)
        -> Result<(), StoreError>;
    /// The stored (request hash, response JSON) of a retry key of a token (0 for none).
    fn idempotent(
        &mut self,
        token_key: i64,
        key: &str,
    ) -> Result<Option<(String, String)>, StoreError>;
    /// Stores the answer of a retry key.
    fn remember(
        &mut self,
        token_key: i64,
        idem: &IdempotencyKey,
        response: &str,
        at: At,
    ) -> Result<(), StoreError>;

    /// The newest version of a unit's report of a day, without its body.
    fn newest_report_head(
        &mut self,
        date: Date,
        unit: RegionCode,
    ) -> Result<Option<ReportHead>, StoreError>;
    /// Inserts a report version.
    fn insert_report(&mut self, r: NewReport, s: Stamp) -> Result<(), StoreError>;
    /// Inserts a cutoff.
    fn insert_cutoff(
        &mut self,
        date: Date,
        cutoff: DateTime<Utc>,
        s: Stamp,
    ) -> Result<(), StoreError>;

    /// The newest report version of each unit that reported a day, in unit order.
    fn newest_reports(&mut self, date: Date) -> Result<Vec<BasisEntry>, StoreError>;
    /// The newest published version of a day: (version, content hash).
    fn newest_day_version(&mut self, date: Date) -> Result<Option<(u32, String)>, StoreError>;
    /// The approved, unpublished releases of a day.
    fn open_releases(&mut self, date: Date) -> Result<Vec<i64>, StoreError>;
    /// Marks releases superseded.
    fn supersede(&mut self, ids: &[i64], s: Stamp) -> Result<(), StoreError>;
    /// Inserts an approved release; returns its id.
    fn insert_release(&mut self, r: NewRelease, s: Stamp) -> Result<i64, StoreError>;
    /// A release with its compiled day.
    fn release(&mut self, id: i64) -> Result<Option<(Release, Day)>, StoreError>;
    /// Stores a day as its next version (the publication); returns the version.
    fn put_day(&mut self, p: &content::Prepared, at: At) -> Result<u32, StoreError>;
    /// Marks a release published as `number`.
    fn insert_publication(&mut self, id: i64, number: u32, s: Stamp) -> Result<(), StoreError>;

    /// The token with this hash (lowercase hex), revoked or not.
    fn token_by_hash(&mut self, hash: &str) -> Result<Option<Token>, StoreError>;
    /// The token with this id, revoked or not.
    fn token_by_id(&mut self, id: i64) -> Result<Option<Token>, StoreError>;
    /// Inserts a token; returns its id.
    fn insert_token(&mut self, t: NewToken, s: Stamp) -> Result<i64, StoreError>;
    /// Revokes a token.
    fn insert_revocation(&mut self, id: i64, s: Stamp) -> Result<(), StoreError>;

    /// Inserts part `part` (from 1) of a batch of case events, under the batch's audit entry.
    fn insert_case_segment(
        &mut self,
        part: u32,
        segment: &CaseSegment,
        s: Stamp,
    ) -> Result<(), StoreError>;
}

/// A token to insert.
#[derive(Clone, Copy, Debug)]
pub struct NewToken<'a> {
    /// The SHA-256 of its secret, lowercase hex.
    pub hash: &'a str,
    /// Its role.
    pub role: Role,
    /// A reporter's unit.
    pub unit: Option<RegionCode>,
    /// Its label.
    pub label: &'a str,
}

/// What a batch did: each change's result, in order.
pub type BatchResults = Vec<Result<Committed, ChangeError>>;

/// Applies a batch of changes at `at` inside the open transaction `tx`: each change whole or
/// not at all, its audit entry chained after the newest. `Err` means the transaction must be
/// rolled back (and, if the backend says so, run again).
pub fn apply_batch<T: WorkflowTx + ?Sized>(
    tx: &mut T,
    changes: &[ChangeRequest],
    at: DateTime<Utc>,
) -> Result<BatchResults, StoreError> {
    let at = time::truncate(at);
    let text = time::format(at);
    let at = At { at, text: &text };
    let mut chain = Chain::after(tx.audit_head()?);
    let mut results = Vec::with_capacity(changes.len());
    for req in changes {
        tx.savepoint()?;
        match apply_one(tx, req, at, &chain) {
            Ok((committed, head)) => {
                tx.release_savepoint()?;
                if let Some(head) = head {
                    chain = head;
                }
                results.push(Ok(committed));
            }
            Err(ChangeError::Store(e)) if tx.fails_batch(&e) => return Err(e),
            Err(e) => {
                tx.rollback_savepoint()?;
                results.push(Err(e));
            }
        }
    }
    Ok(results)
}

/// One change: its retry key, its effect, its audit entry, its answer kept for the key.
fn apply_one<T: WorkflowTx + ?Sized>(
    tx: &mut T,
    req: &ChangeRequest,
    at: At,
    chain: &Chain,
) -> Result<(Committed, Option<Chain>), ChangeError> {
    let token_key = rules::idempotency_token(req.actor.token_id);
    if let Some(idem) = &req.idempotency {
        if let Some((hash, response)) = tx.idempotent(token_key, &idem.key)? {
            rules::replay(idem, &hash)?;
            return Ok((backend::replayed(&idem.key, &response)?, None));
        }
    }
    let seq = chain.seq + 1;
    let actor = &req.actor;
    let stamp = Stamp {
        at,
        seq,
        by: actor.token_id,
    };
    let effect = match &req.change {
        Change::SubmitReport { report, reason } => submit(tx, report, reason.as_deref(), stamp)?,
        Change::SetCutoff { date, cutoff } => {
            let cutoff = time::truncate(*cutoff);
            tx.insert_cutoff(*date, cutoff, stamp)?;
            rules::cutoff_set(*date, cutoff)
        }
        Change::ApproveRelease {
            date,
            day,
            basis,
            base_version,
            errata,
            note,
        } => approve(
            tx,
            ApproveArgs {
                date: *date,
                day,
                basis,
                base_version: *base_version,
                errata,
                note: note.as_deref(),
            },
            actor,
            stamp,
        )?,
        Change::PublishRelease { id } => publish(tx, *id, actor, stamp)?,
        Change::CreateToken {
            hash,
            role,
            unit,
            label,
        } => {
            rules::check_new_token(hash, *role, *unit)?;
            let hash = hash.to_ascii_lowercase();
            if tx.token_by_hash(&hash)?.is_some() {
                return Err(rules::token_exists().into());
            }
            let new = NewToken {
                hash: &hash,
                role: *role,
                unit: *unit,
                label,
            };
            let id = tx.insert_token(new, stamp)?;
            rules::token_created(id, *role, *unit, label, at.at)
        }
        Change::RevokeToken { id } => {
            let token = rules::revocable(*id, tx.token_by_id(*id)?)?;
            tx.insert_revocation(*id, stamp)?;
            rules::token_revoked(token, at.at)
        }
        Change::RecordCases { batch } => record_cases(tx, batch, stamp)?,
        Change::ReadCase { card } => rules::case_read(card),
    };
    let record = effect
        .audit
        .as_ref()
        .map(|audit| rules::audit_record(chain, at.text, req, audit));
    if let Some(entry) = &record {
        tx.write_audit(entry, actor, at)?;
    }
    let (committed, head) = rules::committed(effect.applied, record);
    if let Some(idem) = &req.idempotency {
        let response = backend::encode("storing an idempotency key", &committed)?;
        tx.remember(token_key, idem, &response, at)?;
    }
    Ok((committed, head))
}

/// Stores a batch's segments, read from its source from the first.
fn record_cases<T: WorkflowTx + ?Sized>(
    tx: &mut T,
    batch: &CaseBatch,
    s: Stamp,
) -> Result<Effect, ChangeError> {
    let io = |e: std::io::Error| StoreError::Database {
        location: "(case events)".to_string(),
        action: "reading the batch's segments".to_string(),
        source: Box::new(e),
    };
    let mut source = batch.source.lock().unwrap_or_else(|e| e.into_inner());
    source.rewind().map_err(io)?;
    let (mut parts, mut bytes) = (0u32, 0u64);
    let mut hash = Sha256::new();
    while let Some(segment) = source.next_segment().map_err(io)? {
        parts += 1;
        bytes += segment.data.len() as u64;
        hash.update(&segment.data);
        tx.insert_case_segment(parts, &segment, s)?;
    }
    let (events, units) = source
        .totals()
        .unwrap_or_else(|| (batch.events, batch.units.clone()));
    if parts == 0 || events == 0 {
        return Err(rules::empty_case_batch().into());
    }
    let sha256 = hex::encode(hash.finalize());
    Ok(rules::cases_recorded(
        (events, &units),
        parts,
        bytes,
        sha256,
    ))
}

fn submit<T: WorkflowTx + ?Sized>(
    tx: &mut T,
    report: &ValidatedReport,
    reason: Option<&str>,
    s: Stamp,
) -> Result<Effect, ChangeError> {
    let hash = report.content_hash();
    let newest = tx.newest_report_head(report.date, report.unit)?;
    let reason = rules::reason(reason);
    let version = match rules::submission(report, &hash, newest, reason, s.at.at)? {
        Submission::Unchanged(effect) => return Ok(*effect),
        Submission::Store(version) => version,
    };
    let new = NewReport {
        report,
        version,
        reason,
        content_hash: &hash,
    };
    tx.insert_report(new, s)?;
    Ok(rules::report_stored(report, version, hash, s.at.at, reason))
}

fn approve<T: WorkflowTx + ?Sized>(
    tx: &mut T,
    a: ApproveArgs,
    actor: &Actor,
    s: Stamp,
) -> Result<Effect, ChangeError> {
    rules::check_compiled_date(&a)?;
    // The compilation must be of the newest reports, and of the newest publication.
    let current = tx.newest_reports(a.date)?;
    let basis = rules::checked_basis(&a, &current)?;
    let published = tx.newest_day_version(a.date)?;
    let (day, hash) = rules::checked_day(&a, published.as_ref())?;
    // An approved release not yet published is superseded by this one.
    let open = tx.open_releases(a.date)?;
    if !open.is_empty() {
        tx.supersede(&open, s)?;
    }
    let new = NewRelease {
        date: a.date,
        day: &day,
        content_hash: &hash,
        basis: &basis,
        base_version: a.base_version,
        errata: a.errata,
        note: a.note,
    };
    let id = tx.insert_release(new, s)?;
    Ok(rules::approved(id, &a, basis, hash, &open, actor, s.at.at))
}

fn publish<T: WorkflowTx + ?Sized>(
    tx: &mut T,
    id: i64,
    actor: &Actor,
    s: Stamp,
) -> Result<Effect, ChangeError> {
    let found = tx.release(id)?.map(|(r, d)| (r, Some(d)));
    let (release, day) = rules::publishable(id, found)?;
    let published = tx.newest_day_version(release.date)?;
    let source: Source = rules::release_source(&release, published.as_ref())?;
    let prepared = content::prepare(&day, &source).map_err(Refusal::Invalid)?;
    let number = tx.put_day(&prepared, s.at)?;
    tx.insert_publication(id, number, s)?;
    Ok(rules::published(release, number, actor, s.at.at))
}
