//! The reporting workflow's storage: the [`ReportingStore`] trait over the data of
//! `epiledger-reporting` (reports, releases, tokens, the audit log). Every change goes through
//! [`ReportingStore::apply_changes`], which each backend implements by running
//! [`crate::workflow::apply_batch`] (the rules, written once) inside its transaction.

use chrono::{DateTime, Utc};
use epiledger_core::{Date, Day, RegionCode};
pub use epiledger_reporting::{
    code_serde, token_hash, Actor, Applied, AuditEntry, BasisEntry, CaseBatch, CaseSegment,
    CaseSegments, Change, ChangeRequest, Committed, Erratum, IdempotencyKey, Part, Refusal,
    Release, ReleaseStatus, Report, ReportFigure, Role, RoleError, SegmentsInMemory, StoredReport,
    Token, UnitDayReport, ValidatedReport,
};

use crate::{Span, Store, StoreError, VersionInfo};

/// Why a change was refused; nothing of it was stored: the workflow's rules refused it, or
/// the store failed.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    /// A rule of the workflow refused it (`epiledger_reporting::Refusal`).
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The reporting workflow's storage. Implementations: the SQLite and PostgreSQL stores; the conformance
/// tests are in `reporting_testsuite` (feature `testsuite`).
///
/// Reads take `as_of` like [`Store`]'s: `None` reads the newest state, `Some(t)` what was
/// stored at or before `t`.
pub trait ReportingStore: Store {
    /// Applies a batch of changes in one transaction, recording them at `at`. Each change is
    /// applied whole or not at all (its own result); the successful ones and their audit log
    /// entries are committed together. `Err` means the transaction failed and nothing of the
    /// batch was stored.
    fn apply_changes(
        &mut self,
        changes: &[ChangeRequest],
        at: DateTime<Utc>,
    ) -> Result<Vec<Result<Committed, ChangeError>>, StoreError>;

    /// The newest version of a unit's report of a day.
    fn report(
        &self,
        date: Date,
        unit: RegionCode,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Option<StoredReport>, StoreError>;

    /// Every version of a unit's report of a day, oldest first.
    fn report_versions(
        &self,
        date: Date,
        unit: RegionCode,
    ) -> Result<Vec<StoredReport>, StoreError>;

    /// The newest report of every unit that reported a day, in unit order.
    fn day_reports(
        &self,
        date: Date,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Vec<UnitDayReport>, StoreError>;

    /// The newest report of a unit for each day in `from..=to`, in date order.
    fn unit_reports(&self, unit: RegionCode, span: Span) -> Result<Vec<StoredReport>, StoreError>;

    /// The cutoff set for a day, if one was.
    fn cutoff(
        &self,
        date: Date,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Option<DateTime<Utc>>, StoreError>;

    /// The releases of the days in `from..=to` approved at or before `as_of`, with their
    /// status as of then, by date and id.
    fn releases(&self, span: Span) -> Result<Vec<Release>, StoreError>;

    /// A release with its compiled day.
    fn release(&self, id: i64) -> Result<Option<(Release, Day)>, StoreError>;

    /// Every day version in `from..=to` recorded at or before `as_of` (the published
    /// history), by date and version.
    fn published_versions(&self, span: Span) -> Result<Vec<VersionInfo>, StoreError>;

    /// The token with this hash, revoked or not.
    fn token_by_hash(&self, hash: &str) -> Result<Option<Token>, StoreError>;

    /// Every token, by id.
    fn tokens(&self) -> Result<Vec<Token>, StoreError>;

    /// Up to `limit` audit log entries after `after` (a seq), in order.
    fn audit_entries(&self, after: i64, limit: usize) -> Result<Vec<AuditEntry>, StoreError>;

    /// The largest audit seq that a stored row (report, token, release, cutoff) refers to:
    /// an audit log shorter than this lost its tail.
    fn audit_max_reference(&self) -> Result<Option<i64>, StoreError>;

    /// Whether a short read may run on an async runtime's worker thread (SQLite). False for a
    /// client that runs a runtime of its own to block on (the synchronous PostgreSQL client,
    /// which panics inside another runtime): its reads go to blocking threads.
    fn reads_inline(&self) -> bool {
        true
    }

    /// The stored answer to an earlier request with this retry key from this token, with
    /// that request's hash.
    fn idempotent(
        &self,
        token_id: Option<i64>,
        key: &str,
    ) -> Result<Option<(String, Committed)>, StoreError>;

    /// The stored segments of case events, in the order they were stored: those of batches
    /// whose audit entry is after `after_seq`, stored at or before `as_of`. Each is handed to
    /// `f` in turn (a register holds millions of events: they are not collected).
    fn case_segments(
        &self,
        after_seq: i64,
        as_of: Option<DateTime<Utc>>,
        f: &mut dyn FnMut(StoredSegment) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;
}

/// A stored segment of case events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSegment {
    /// The audit entry of its batch.
    pub audit_seq: i64,
    /// Its part of the batch, from 1.
    pub part: u32,
    /// When its batch was stored.
    pub recorded_at: DateTime<Utc>,
    /// The events in it, and their canonical CSV.
    pub segment: CaseSegment,
}
