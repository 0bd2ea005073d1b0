//! Opening the database, and filling a new one with the shipped history.

use std::path::Path;

use epiledger_store::{Source, SourceKind, SqliteStore, Store};

use crate::error::CliError;

/// Opens the store; a new or empty database is first filled with the shipped history, unless
/// `seed` is false (`import` fills it from its own sources).
pub fn open(path: &Path, seed: bool) -> Result<SqliteStore, CliError> {
    let mut store = SqliteStore::open(path)?;
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
        store.put_days(&batch)?;
        eprintln!(
            "{}: new database, filled with the shipped history ({n} days)",
            path.display()
        );
    }
    Ok(store)
}
