//! What can go wrong with a store, each with what to do about it.

use chrono::{DateTime, Utc};
use epiledger_core::Date;

/// An error of a store. `location` is the file path (or `:memory:`, or a database URL without
/// its password) so that a message always says which ledger it is about.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The ledger could not be opened or set up.
    #[error("cannot open the ledger {location}: {reason}")]
    Open {
        /// Which ledger.
        location: String,
        /// Why, and what to do.
        reason: String,
    },
    /// The file is a database, but not an epiledger ledger.
    #[error(
        "{location} is not an epiledger ledger: {reason}; \
         give the path of a ledger file, or of a new file to create one"
    )]
    NotALedger {
        /// Which file.
        location: String,
        /// What was found instead.
        reason: String,
    },
    /// The ledger was written by a newer epiledger.
    #[error(
        "{location} has schema version {found}, but this epiledger knows versions up to \
         {known}: the file was written by a newer epiledger; upgrade epiledger to open it"
    )]
    SchemaTooNew {
        /// Which ledger.
        location: String,
        /// The file's schema version.
        found: i64,
        /// The newest version this program knows.
        known: u32,
    },
    /// A schema migration failed; the file keeps its former schema.
    #[error(
        "cannot upgrade {location} to schema version {version}: {reason}; \
         the file was left as it was"
    )]
    Migration {
        /// Which ledger.
        location: String,
        /// The schema version that could not be reached.
        version: u32,
        /// Why.
        reason: String,
    },
    /// A day of a batch cannot be stored; nothing of the batch was.
    #[error(
        "cannot store day {position} of the batch{}: {problem}; nothing of the batch was stored",
        .date.map(|d| format!(" ({d})")).unwrap_or_default()
    )]
    InvalidDay {
        /// Its position in the batch, from 1.
        position: usize,
        /// Its date, if it has one.
        date: Option<Date>,
        /// What is wrong.
        problem: String,
    },
    /// A new version would be recorded before the newest one of its date.
    #[error(
        "cannot record a new version of {date} at {at}: version {version} was recorded later, \
         at {previous}; check the system clock (versions are recorded in time order); \
         nothing of the batch was stored"
    )]
    ClockWentBack {
        /// The date.
        date: Date,
        /// The newest stored version.
        version: u32,
        /// When it was recorded.
        previous: DateTime<Utc>,
        /// The time given for the new version.
        at: DateTime<Utc>,
    },
    /// Another process holds the ledger's write lock beyond the wait time.
    #[error(
        "the ledger {location} is busy: another process is writing to it; try again when it is done"
    )]
    Busy {
        /// Which ledger.
        location: String,
    },
    /// A stored value cannot be read back.
    #[error(
        "{location}: the stored {row} is damaged: {problem}; \
         restore the file from a backup, or build a new ledger from the sources"
    )]
    Corrupt {
        /// Which ledger.
        location: String,
        /// Which row (table and key).
        row: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The database failed.
    #[error("{location}: {action} failed: {source}")]
    Database {
        /// Which ledger.
        location: String,
        /// What the store was doing (`reading 2020-06-19`).
        action: String,
        /// The database's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
}
