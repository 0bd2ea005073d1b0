//! Opening the database, and filling a new one with the shipped history.
//!
//! `--db` names either backend: a path or `sqlite:PATH` is an SQLite file; `postgres://…` or
//! `postgresql://…` is a PostgreSQL database.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use epiledger_core::{Date, Day, Fact, Measure, Origin, RegionId};
use epiledger_store::postgres::copy::ExactVersions;
use epiledger_store::postgres::{self, Options, PostgresStore};
use epiledger_store::{
    PutOutcome, ReportingStore, Source, SourceKind, SqliteStore, Store, StoreError, StoreStats,
    StoredDay, VersionInfo,
};

use crate::error::CliError;

/// Where a ledger is, as `--db`, `--from` or `--to` name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL URL (with its password, if it has one: never print it, print `self`).
    Postgres(String),
}

impl Location {
    /// Reads a location: `postgres://…`/`postgresql://…`, `sqlite:PATH` (or `sqlite://PATH`),
    /// or a plain path.
    pub fn parse(db: &Path) -> Location {
        let Some(text) = db.to_str() else {
            return Location::Sqlite(db.to_path_buf());
        };
        if postgres::is_postgres_url(text) {
            return Location::Postgres(text.to_string());
        }
        let path = text
            .strip_prefix("sqlite://")
            .or_else(|| text.strip_prefix("sqlite:"))
            .unwrap_or(text);
        Location::Sqlite(PathBuf::from(path))
    }
}

impl fmt::Display for Location {
    /// The path, or the URL without its password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&postgres::redact(url)),
        }
    }
}

/// An open ledger of either backend.
pub enum Backend {
    /// An SQLite file.
    Sqlite(SqliteStore),
    /// A PostgreSQL database.
    Postgres(Box<PostgresStore>),
}

impl Backend {
    /// Opens a ledger, creating it (or its schema) when there is none.
    pub fn open(location: &Location) -> Result<Backend, CliError> {
        Ok(match location {
            Location::Sqlite(path) => Backend::Sqlite(SqliteStore::open(path)?),
            Location::Postgres(url) => Backend::Postgres(Box::new(PostgresStore::connect_with(
                url,
                &Options::default(),
            )?)),
        })
    }

    /// The store, for reading by version number.
    pub fn exact(&self) -> &dyn ExactVersions {
        match self {
            Backend::Sqlite(s) => s,
            Backend::Postgres(s) => &**s,
        }
    }

    /// The store.
    pub fn store(&self) -> &dyn Store {
        match self {
            Backend::Sqlite(s) => s,
            Backend::Postgres(s) => &**s,
        }
    }

    /// The store, to write.
    pub fn store_mut(&mut self) -> &mut dyn Store {
        match self {
            Backend::Sqlite(s) => s,
            Backend::Postgres(s) => &mut **s,
        }
    }

    /// The store, boxed.
    pub fn into_store(self) -> Box<dyn Store> {
        match self {
            Backend::Sqlite(s) => Box::new(s),
            Backend::Postgres(s) => s,
        }
    }
}

/// The store that `--db` names, of either backend: a `Box<dyn Store>` that is a [`Store`]
/// itself, so that `&db::open(…)?` is a `&dyn Store`.
pub struct Database(Box<dyn Store>);

impl Store for Database {
    fn put_days_at(
        &mut self,
        days: &[(Day, Source)],
        at: DateTime<Utc>,
    ) -> Result<Vec<PutOutcome>, StoreError> {
        self.0.put_days_at(days, at)
    }
    fn put_days(&mut self, days: &[(Day, Source)]) -> Result<Vec<PutOutcome>, StoreError> {
        self.0.put_days(days)
    }
    fn day(
        &self,
        date: Date,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Option<StoredDay>, StoreError> {
        self.0.day(date, as_of)
    }
    fn days(
        &self,
        from: Option<Date>,
        to: Option<Date>,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Vec<StoredDay>, StoreError> {
        self.0.days(from, to, as_of)
    }
    fn versions(&self, date: Date) -> Result<Vec<VersionInfo>, StoreError> {
        self.0.versions(date)
    }
    fn dates(&self) -> Result<Vec<Date>, StoreError> {
        self.0.dates()
    }
    fn series(
        &self,
        measure: Measure,
        region: &RegionId,
        origin: Origin,
        from: Option<Date>,
        to: Option<Date>,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Vec<(Date, i64)>, StoreError> {
        self.0.series(measure, region, origin, from, to, as_of)
    }
    fn facts(
        &self,
        from: Option<Date>,
        to: Option<Date>,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Vec<(Date, Fact)>, StoreError> {
        self.0.facts(from, to, as_of)
    }
    fn stats(&self) -> Result<StoreStats, StoreError> {
        self.0.stats()
    }
    fn is_empty(&self) -> Result<bool, StoreError> {
        self.0.is_empty()
    }
}

/// Opens the reporting workflow's store (tokens, reports, releases, the audit log) that `--db`
/// names, of either backend, creating the ledger (or its schema) when there is none.
pub fn open_reporting(db: &Path) -> Result<Box<dyn ReportingStore>, CliError> {
    Ok(match Location::parse(db) {
        Location::Sqlite(path) => Box::new(SqliteStore::open(path)?),
        Location::Postgres(url) => {
            Box::new(PostgresStore::connect_with(&url, &Options::default())?)
        }
    })
}

/// Opens the store that `--db` names (see [`Location::parse`]); a new or empty database is
/// first filled with the shipped history, unless `seed` is false (`import` fills it from its
/// own sources).
pub fn open(db: &Path, seed: bool) -> Result<Database, CliError> {
    let location = Location::parse(db);
    let mut store = Database(Backend::open(&location)?.into_store());
    if seed && store.is_empty()? {
        let days = epiledger_history::load()?;
        let batch: Vec<_> = days
            .into_iter()
            .map(|d| {
                let source = Source::new(
                    SourceKind::Embedded,
                    epiledger_history::SOURCE_NAME,
                    d.source_hash,
                );
                (d.day, source)
            })
            .collect();
        let n = batch.len();
        // Another process filling the same new database at the same time is harmless: its
        // days are the same, and whichever comes second finds them unchanged.
        store.put_days(&batch)?;
        eprintln!("{location}: new database, filled with the shipped history ({n} days)");
    }
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_read_from_db() {
        let p = |s: &str| Location::parse(Path::new(s));
        assert_eq!(p("epiledger.db"), Location::Sqlite("epiledger.db".into()));
        assert_eq!(p("sqlite:a/b.db"), Location::Sqlite("a/b.db".into()));
        assert_eq!(
            p("sqlite:///tmp/b.db"),
            Location::Sqlite("/tmp/b.db".into())
        );
        assert_eq!(
            p("postgres://u:pw@h/db"),
            Location::Postgres("postgres://u:pw@h/db".into())
        );
        assert_eq!(
            p("postgresql://h/db"),
            Location::Postgres("postgresql://h/db".into())
        );
        assert_eq!(p("postgres://u:pw@h/db").to_string(), "postgres://u@h/db");
    }
}
