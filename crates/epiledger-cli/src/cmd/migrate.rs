//! `migrate`: creates or upgrades the schema of the database, and says at which version it is.

use std::path::Path;
use std::process::ExitCode;

#[cfg(feature = "postgres")]
use epiledger_store_postgres::{Options, PostgresStore};
use epiledger_store_sqlite::SqliteStore;

use crate::db::Location;
use crate::error::CliError;

/// `migrate`: the schema of `--db` brought up to the newest this epiledger knows. Fills no
/// history. On PostgreSQL, several machines may run it at once: one migrates, the others wait.
pub fn run(db: &Path) -> Result<ExitCode, CliError> {
    let location = Location::parse(db);
    match &location {
        Location::Sqlite(path) => {
            let existed = path.exists();
            let store = SqliteStore::open(path)?;
            let version = store.schema_version()?;
            let what = if existed {
                "up to date"
            } else {
                "a new, empty ledger"
            };
            println!("{location}: schema version {version} ({what})");
        }
        #[cfg(not(feature = "postgres"))]
        Location::Postgres(_) => return Err(crate::db::no_postgres(&location)),
        #[cfg(feature = "postgres")]
        Location::Postgres(url) => {
            let m = PostgresStore::migrate(url, &Options::default())?;
            let what = match m.from {
                0 => "created, a new, empty ledger".to_string(),
                from if from == m.to => "up to date".to_string(),
                from => format!("upgraded from version {from}"),
            };
            println!("{}: schema version {} ({what})", m.location, m.to);
        }
    }
    Ok(ExitCode::SUCCESS)
}
