//! Storage of the ledger behind the [`Store`] and [`ReportingStore`] traits. The backends are
//! crates of their own: `epiledger-store-sqlite` (the embedded default) and
//! `epiledger-store-postgres`; this crate holds what they share: the traits, the workflow
//! written once over their primitive operations ([`workflow`]), the decoding of stored rows
//! ([`backend`]), copying a history between stores ([`copy`]), where a ledger is
//! ([`location`]), and the conformance suites every backend passes (feature `testsuite`).
//!
//! History is append-only: storing a day never edits what was stored before. Each date has
//! versions 1, 2, … and every read can look at the ledger as it stood at an earlier time
//! (`as_of`). A day is identified by its date; its content by a hash of its canonical form
//! (see [`content`]).

use chrono::{DateTime, Utc};
pub use epiledger_core::{content, time, FigureKey, Source, SourceKind, SourceKindError};
use epiledger_core::{Date, Day, DayDiff, Fact};
use serde::{Deserialize, Serialize};

pub mod auditlog;
pub mod backend;
pub mod cases;
pub mod copy;
mod error;
pub mod location;
#[cfg(feature = "testsuite")]
pub mod reporting_testsuite;
pub mod reports;
#[cfg(feature = "testsuite")]
pub mod testsuite;
pub mod workflow;

pub use error::StoreError;
pub use reports::{
    token_hash, Actor, Applied, AuditEntry, BasisEntry, CaseBatch, CaseSegment, CaseSegments,
    Change, ChangeError, ChangeRequest, Committed, Erratum, IdempotencyKey, Part, Refusal, Release,
    ReleaseStatus, Report, ReportFigure, ReportingStore, Role, SegmentsInMemory, StoredReport,
    StoredSegment, Token, UnitDayReport, ValidatedReport,
};

/// One stored version of a day, as read back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredDay {
    /// The day (facts in canonical order).
    pub day: Day,
    /// Its version number, from 1.
    pub version: u32,
    /// Where this version came from.
    pub source: Source,
    /// When the store recorded this version (UTC, microsecond precision).
    #[serde(with = "time::rfc3339")]
    pub recorded_at: DateTime<Utc>,
    /// The hash of the day's canonical content ([`content::content_hash`]).
    pub content_hash: String,
}

/// One entry of a date's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionInfo {
    /// The reporting day.
    pub date: Date,
    /// The version number, from 1.
    pub version: u32,
    /// Where this version came from.
    pub source: Source,
    /// When the store recorded it (UTC, microsecond precision).
    #[serde(with = "time::rfc3339")]
    pub recorded_at: DateTime<Utc>,
    /// The hash of the day's canonical content.
    pub content_hash: String,
    /// What changed from the previous version, in one line (`first version: 152 figures`,
    /// `3 figures changed, 1 added; notes changed`).
    pub summary: String,
}

/// What storing one day did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PutOutcome {
    /// The date had no version: this is version 1.
    Inserted {
        /// The reporting day.
        date: Date,
        /// Always 1.
        version: u32,
    },
    /// The newest version has the same source hash or the same content: nothing stored.
    Unchanged {
        /// The reporting day.
        date: Date,
        /// The newest stored version, which stays the newest.
        version: u32,
    },
    /// A new version was stored; the earlier ones are untouched.
    Revised {
        /// The reporting day.
        date: Date,
        /// The new version number.
        version: u32,
        /// What changed from the previous version.
        diff: DayDiff,
    },
}

impl PutOutcome {
    /// The reporting day.
    pub fn date(&self) -> Date {
        match self {
            PutOutcome::Inserted { date, .. }
            | PutOutcome::Unchanged { date, .. }
            | PutOutcome::Revised { date, .. } => *date,
        }
    }
    /// The version that is now the newest of the date.
    pub fn version(&self) -> u32 {
        match self {
            PutOutcome::Inserted { version, .. }
            | PutOutcome::Unchanged { version, .. }
            | PutOutcome::Revised { version, .. } => *version,
        }
    }
    /// Whether something was stored.
    pub fn is_stored(&self) -> bool {
        !matches!(self, PutOutcome::Unchanged { .. })
    }
}

/// Which days, as known when: `from..=to` (inclusive; `None` is open) as of a time (`None`: the
/// newest versions; `Some(t)`: the newest version of each date recorded at or before `t`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    /// The first day.
    pub from: Option<Date>,
    /// The last day.
    pub to: Option<Date>,
    /// What was known at this time.
    pub as_of: Option<DateTime<Utc>>,
}

impl Span {
    /// `from..=to` as of `as_of`.
    pub fn new(from: Option<Date>, to: Option<Date>, as_of: Option<DateTime<Utc>>) -> Span {
        Span { from, to, as_of }
    }
    /// Every day, as known now.
    pub fn all() -> Span {
        Span::default()
    }
    /// The days `from..=to`, as known now.
    pub fn days(from: Date, to: Date) -> Span {
        Span::new(Some(from), Some(to), None)
    }
}

/// How much the store holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreStats {
    /// Dates with at least one version.
    pub days: u64,
    /// Versions of all dates.
    pub versions: u64,
    /// Facts of the newest versions (the ledger as it stands).
    pub facts: u64,
}

/// A store of the ledger's history. Implementations: `epiledger_store_sqlite::SqliteStore` and
/// `epiledger_store_postgres::PostgresStore`.
///
/// Reads take `as_of`: `None` reads the newest versions, `Some(t)` the newest version of each
/// date recorded at or before `t`. Date ranges `from`/`to` are inclusive; `None` is open.
/// The conformance tests every implementation must pass are in `testsuite` (feature
/// `testsuite`).
pub trait Store: Send {
    /// Stores a batch of days in one transaction, all or nothing, recording them at `at`
    /// (truncated to microseconds). Returns one outcome per day, in order. A date may appear
    /// more than once; later entries compare with earlier ones of the same batch.
    ///
    /// Fails, storing nothing, if a day has no date, gives one figure two values, has a source
    /// hash that is not 64 hex digits, or if `at` is before the newest version of its date.
    fn put_days_at(
        &mut self,
        days: &[(Day, Source)],
        at: DateTime<Utc>,
    ) -> Result<Vec<PutOutcome>, StoreError>;

    /// Stores a batch of days in one transaction, all or nothing, each recorded at its own time
    /// (a history that was published over many days, such as the shipped history: each day at
    /// the time it was published). The times of one date must not go back.
    fn put_days_timed(
        &mut self,
        days: &[(Day, Source, DateTime<Utc>)],
    ) -> Result<Vec<PutOutcome>, StoreError>;

    /// [`Store::put_days_at`] for days as an iterator yields them: one transaction, all or
    /// nothing, at `at`. A backend may write each day as it comes, so that the batch is stored
    /// while it is still being produced (the import parses bulletins on other threads
    /// meanwhile); by default the days are collected first.
    fn put_days_from(
        &mut self,
        days: &mut dyn Iterator<Item = (Day, Source)>,
        at: DateTime<Utc>,
    ) -> Result<Vec<PutOutcome>, StoreError> {
        let days: Vec<(Day, Source)> = days.collect();
        self.put_days_at(&days, at)
    }

    /// [`Store::put_days_at`] the current time.
    fn put_days(&mut self, days: &[(Day, Source)]) -> Result<Vec<PutOutcome>, StoreError> {
        self.put_days_at(days, Utc::now())
    }

    /// The newest version of a date (as of `as_of`), if any.
    fn day(
        &self,
        date: Date,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Option<StoredDay>, StoreError>;

    /// The newest version of each date of the span, in date order.
    fn days(&self, span: Span) -> Result<Vec<StoredDay>, StoreError>;

    /// Every version of a date, oldest first; empty if the date has none.
    fn versions(&self, date: Date) -> Result<Vec<VersionInfo>, StoreError>;

    /// Every date with at least one version, in order.
    fn dates(&self) -> Result<Vec<Date>, StoreError>;

    /// The values of one figure over the span, in date order: only the dates whose newest
    /// version has the figure (missing is not zero).
    fn series(&self, key: &FigureKey, span: Span) -> Result<Vec<(Date, i64)>, StoreError>;

    /// Every fact of the newest versions of the span, sorted by date, region, origin, measure.
    fn facts(&self, span: Span) -> Result<Vec<(Date, Fact)>, StoreError>;

    /// How much the store holds.
    fn stats(&self) -> Result<StoreStats, StoreError>;

    /// Whether the store holds no version at all.
    fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.stats()?.versions == 0)
    }
}

/// A boxed store is a store: `Box<dyn Store>` (a store of either backend, as `--db` names it)
/// serves wherever a store does.
impl<S: Store + ?Sized> Store for Box<S> {
    fn put_days_at(
        &mut self,
        days: &[(Day, Source)],
        at: DateTime<Utc>,
    ) -> Result<Vec<PutOutcome>, StoreError> {
        (**self).put_days_at(days, at)
    }
    fn put_days(&mut self, days: &[(Day, Source)]) -> Result<Vec<PutOutcome>, StoreError> {
        (**self).put_days(days)
    }
    fn put_days_from(
        &mut self,
        days: &mut dyn Iterator<Item = (Day, Source)>,
        at: DateTime<Utc>,
    ) -> Result<Vec<PutOutcome>, StoreError> {
        (**self).put_days_from(days, at)
    }
    fn put_days_timed(
        &mut self,
        days: &[(Day, Source, DateTime<Utc>)],
    ) -> Result<Vec<PutOutcome>, StoreError> {
        (**self).put_days_timed(days)
    }
    fn day(
        &self,
        date: Date,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Option<StoredDay>, StoreError> {
        (**self).day(date, as_of)
    }
    fn days(&self, span: Span) -> Result<Vec<StoredDay>, StoreError> {
        (**self).days(span)
    }
    fn versions(&self, date: Date) -> Result<Vec<VersionInfo>, StoreError> {
        (**self).versions(date)
    }
    fn dates(&self) -> Result<Vec<Date>, StoreError> {
        (**self).dates()
    }
    fn series(&self, key: &FigureKey, span: Span) -> Result<Vec<(Date, i64)>, StoreError> {
        (**self).series(key, span)
    }
    fn facts(&self, span: Span) -> Result<Vec<(Date, Fact)>, StoreError> {
        (**self).facts(span)
    }
    fn stats(&self) -> Result<StoreStats, StoreError> {
        (**self).stats()
    }
    fn is_empty(&self) -> Result<bool, StoreError> {
        (**self).is_empty()
    }
}
