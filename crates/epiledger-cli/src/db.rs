//! Opening the database, and filling a new one with the shipped history.
//!
//! `--db` names either backend: a path or `sqlite:PATH` is an SQLite file; `postgres://…` or
//! `postgresql://…` is a PostgreSQL database.

use std::path::Path;

use epiledger_store::copy::ExactVersions;
use epiledger_store::{ReportingStore, Source, SourceKind, Store};
#[cfg(feature = "postgres")]
use epiledger_store_postgres::{Options, PostgresStore};
use epiledger_store_sqlite::SqliteStore;

use crate::error::CliError;

pub use epiledger_store::location::Location;

/// The error for a PostgreSQL location in a build without the PostgreSQL backend.
#[cfg(not(feature = "postgres"))]
pub fn no_postgres(location: &Location) -> CliError {
    CliError::Input(format!(
        "{location} is a PostgreSQL database, but this epiledger was built without PostgreSQL \
         support; use an SQLite file, or build with the `postgres` feature (on by default)"
    ))
}

/// An open ledger of either backend.
pub enum Backend {
    /// An SQLite file.
    Sqlite(SqliteStore),
    /// A PostgreSQL database.
    #[cfg(feature = "postgres")]
    Postgres(Box<PostgresStore>),
}

impl Backend {
    /// Opens a ledger, creating it (or its schema) when there is none.
    pub fn open(location: &Location) -> Result<Backend, CliError> {
        Ok(match location {
            Location::Sqlite(path) => Backend::Sqlite(SqliteStore::open(path)?),
            #[cfg(feature = "postgres")]
            Location::Postgres(url) => Backend::Postgres(Box::new(PostgresStore::connect_with(
                url,
                &Options::default(),
            )?)),
            #[cfg(not(feature = "postgres"))]
            Location::Postgres(_) => return Err(no_postgres(location)),
        })
    }

    /// The store, for reading by version number.
    pub fn exact(&self) -> &dyn ExactVersions {
        match self {
            Backend::Sqlite(s) => s,
            #[cfg(feature = "postgres")]
            Backend::Postgres(s) => &**s,
        }
    }

    /// The store.
    pub fn store(&self) -> &dyn Store {
        match self {
            Backend::Sqlite(s) => s,
            #[cfg(feature = "postgres")]
            Backend::Postgres(s) => &**s,
        }
    }

    /// The store, to write.
    pub fn store_mut(&mut self) -> &mut dyn Store {
        match self {
            Backend::Sqlite(s) => s,
            #[cfg(feature = "postgres")]
            Backend::Postgres(s) => &mut **s,
        }
    }

    /// The store, boxed.
    pub fn into_store(self) -> Box<dyn Store> {
        match self {
            Backend::Sqlite(s) => Box::new(s),
            #[cfg(feature = "postgres")]
            Backend::Postgres(s) => s,
        }
    }
}

/// The store that `--db` names, of either backend (a boxed store is a store).
pub type Database = Box<dyn Store>;

/// Opens the reporting workflow's store (tokens, reports, releases, the audit log) that `--db`
/// names, of either backend, creating the ledger (or its schema) when there is none.
pub fn open_reporting(db: &Path) -> Result<Box<dyn ReportingStore>, CliError> {
    Ok(match Location::parse(db) {
        Location::Sqlite(path) => Box::new(SqliteStore::open(path)?),
        #[cfg(feature = "postgres")]
        Location::Postgres(url) => {
            Box::new(PostgresStore::connect_with(&url, &Options::default())?)
        }
        #[cfg(not(feature = "postgres"))]
        location @ Location::Postgres(_) => return Err(no_postgres(&location)),
    })
}

/// Opens the store that `--db` names (see [`Location::parse`]); a new or empty database is
/// first filled with the shipped history, unless `seed` is false (`import` fills it from its
/// own sources).
pub fn open(db: &Path, seed: bool) -> Result<Database, CliError> {
    let location = Location::parse(db);
    let mut store: Database = Backend::open(&location)?.into_store();
    if seed && store.is_empty()? {
        let days = epiledger_history::load()?;
        // Each day is recorded at the time the NHC published it (the next morning), so that a
        // read as of a day of 2020–2022 knows what was published by then.
        let batch: Vec<_> = days
            .into_iter()
            .filter_map(|d| {
                let at = d.published_at()?;
                let source = Source::new(
                    SourceKind::Embedded,
                    epiledger_history::SOURCE_NAME,
                    d.source_hash,
                );
                Some((d.day, source, at))
            })
            .collect();
        let n = batch.len();
        // Another process filling the same new database at the same time is harmless: its
        // days are the same, and whichever comes second finds them unchanged.
        store.put_days_timed(&batch)?;
        eprintln!("{location}: new database, filled with the shipped history ({n} days)");
    }
    Ok(store)
}
