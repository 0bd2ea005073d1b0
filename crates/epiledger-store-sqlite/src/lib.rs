//! The embedded store: one SQLite file per ledger, in WAL mode, migrations by `PRAGMA
//! user_version`, append-only enforced by triggers, facts keyed by a `series` table so that
//! `series` reads are index scans.

mod copy;
mod migrations;
mod read;
mod reporting;
mod write;

use std::borrow::Borrow;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use epiledger_core::{Date, Day, Fact};
use rusqlite::{Connection, ErrorCode, TransactionBehavior};

use epiledger_store::{
    content, time, FigureKey, PutOutcome, Source, Span, Store, StoreError, StoreStats, StoredDay,
    VersionInfo,
};
use read::Db;

pub use migrations::APPLICATION_ID;

/// How long a writer waits for another process's write lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A ledger in an SQLite file (or in memory, for tests).
pub struct SqliteStore {
    conn: Connection,
    location: String,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

/// The store's error for a failed SQLite call: busy, not a database, or a database error.
pub(crate) fn db_err(location: &str, action: impl Into<String>, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy {
            location: location.to_string(),
        },
        Some(ErrorCode::NotADatabase) => StoreError::NotALedger {
            location: location.to_string(),
            reason: "it is not an SQLite database".to_string(),
        },
        _ => StoreError::Database {
            location: location.to_string(),
            action: action.into(),
            source: Box::new(e),
        },
    }
}

impl SqliteStore {
    /// The schema version this program writes (`PRAGMA user_version`).
    pub const SCHEMA_VERSION: u32 = migrations::LATEST;

    /// Opens the ledger at `path`, creating the file if there is none, and brings its schema
    /// up to date. Refuses a file written by a newer epiledger, and databases of other programs.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        let path = path.as_ref();
        let location = path.display().to_string();
        let conn = Connection::open(path).map_err(|e| StoreError::Open {
            location: location.clone(),
            reason: format!("{e}; check that the directory exists and that you may write to it"),
        })?;
        SqliteStore::setup(conn, location, true)
    }

    /// A new, empty ledger in memory, gone when dropped.
    pub fn open_in_memory() -> Result<SqliteStore, StoreError> {
        let location = ":memory:".to_string();
        let conn = Connection::open_in_memory().map_err(|e| StoreError::Open {
            location: location.clone(),
            reason: e.to_string(),
        })?;
        SqliteStore::setup(conn, location, false)
    }

    fn setup(mut conn: Connection, location: String, file: bool) -> Result<Self, StoreError> {
        let loc = location.as_str();
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| db_err(loc, "setting the busy timeout", e))?;
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
            .map_err(|e| db_err(loc, "switching to WAL mode", e))?;
        if file && !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Open {
                location,
                reason: format!(
                    "the file cannot use WAL mode (journal mode stays `{mode}`); \
                     put the ledger on a local file system"
                ),
            });
        }
        for (name, value) in [
            ("synchronous", "NORMAL"),
            ("foreign_keys", "ON"),
            ("cache_size", "-32768"),
        ] {
            conn.pragma_update(None, name, value)
                .map_err(|e| db_err(loc, format!("setting PRAGMA {name}"), e))?;
        }
        conn.set_prepared_statement_cache_capacity(64);
        migrations::migrate(&mut conn, loc)?;
        Ok(SqliteStore { conn, location })
    }

    /// The file path, or `:memory:`.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// The schema version of the file (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        migrations::schema_version(&self.conn, &self.location)
    }

    fn db(&self) -> Db<'_> {
        Db {
            conn: &self.conn,
            loc: &self.location,
        }
    }
}

fn as_of_text(as_of: Option<DateTime<Utc>>) -> Option<String> {
    as_of.map(time::format)
}

impl SqliteStore {
    /// Stores days in one transaction, each at its time.
    fn put_each<D: Borrow<Day>, S: Borrow<Source>>(
        &mut self,
        days: impl Iterator<Item = (D, S, DateTime<Utc>)>,
    ) -> Result<Vec<PutOutcome>, StoreError> {
        let loc = self.location.as_str();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| db_err(loc, "starting a transaction", e))?;
        let db = Db { conn: &tx, loc };
        let mut series = write::SeriesIds::default();
        let mut outcomes = Vec::new();
        for (i, (day, source, at)) in days.enumerate() {
            let (day, source) = (day.borrow(), source.borrow());
            let prepared =
                content::prepare(day, source).map_err(|problem| StoreError::InvalidDay {
                    position: i + 1,
                    date: day.date,
                    problem,
                })?;
            let at = time::truncate(at);
            let at_text = time::format(at);
            outcomes.push(write::put_one(&db, &mut series, &prepared, at, &at_text)?);
        }
        tx.commit()
            .map_err(|e| db_err(loc, "committing the batch", e))?;
        Ok(outcomes)
    }
}

impl Store for SqliteStore {
    fn put_days_at(
        &mut self,
        days: &[(Day, Source)],
        at: DateTime<Utc>,
    ) -> Result<Vec<PutOutcome>, StoreError> {
        self.put_each(days.iter().map(|(d, s)| (d, s, at)))
    }

    fn put_days_timed(
        &mut self,
        days: &[(Day, Source, DateTime<Utc>)],
    ) -> Result<Vec<PutOutcome>, StoreError> {
        self.put_each(days.iter().map(|(d, s, at)| (d, s, *at)))
    }

    fn put_days_from(
        &mut self,
        days: &mut dyn Iterator<Item = (Day, Source)>,
        at: DateTime<Utc>,
    ) -> Result<Vec<PutOutcome>, StoreError> {
        self.put_each(days.map(|(d, s)| (d, s, at)))
    }

    fn day(
        &self,
        date: Date,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Option<StoredDay>, StoreError> {
        let db = self.db();
        db.newest(date, as_of_text(as_of).as_deref())?
            .map(|row| db.stored(row, None))
            .transpose()
    }

    fn days(&self, span: Span) -> Result<Vec<StoredDay>, StoreError> {
        let db = self.db();
        db.stored_many(db.current_rows(span)?)
    }

    fn versions(&self, date: Date) -> Result<Vec<VersionInfo>, StoreError> {
        Ok(self
            .db()
            .all_versions(date)?
            .into_iter()
            .map(read::VersionRow::into_info)
            .collect())
    }

    fn dates(&self) -> Result<Vec<Date>, StoreError> {
        self.db().dates()
    }

    fn series(&self, key: &FigureKey, span: Span) -> Result<Vec<(Date, i64)>, StoreError> {
        self.db().series(key, span)
    }

    fn facts(&self, span: Span) -> Result<Vec<(Date, Fact)>, StoreError> {
        self.db().facts(span)
    }

    fn stats(&self) -> Result<StoreStats, StoreError> {
        self.db().stats()
    }

    fn is_empty(&self) -> Result<bool, StoreError> {
        self.db().is_empty()
    }
}
