//! PostgreSQL for tests (feature `testsuite`): each test gets a schema of its own in the
//! database that [`URL_VAR`] names, dropped when it ends, so that tests run in parallel and
//! leave nothing behind. Without the variable, tests say they are skipped, unless `CI=true`:
//! then a missing database fails the test.
//!
//! ```no_run
//! use epiledger_store_postgres::testing;
//! epiledger_store::store_testsuite!(testing::with_store);
//! # fn main() {}
//! ```

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use postgres::{Client, NoTls};

use crate::{quote_ident, Options, PostgresStore};
use epiledger_store::Store;

/// The environment variable with the test database's URL
/// (CI: `postgres://postgres@127.0.0.1:5432/test`).
pub const URL_VAR: &str = "EPILEDGER_TEST_POSTGRES_URL";

/// The test database's URL, or `None` after printing that `test` is skipped. With `CI=true`,
/// a missing URL fails the test instead: CI runs every test.
pub fn url(test: &str) -> Option<String> {
    match std::env::var(URL_VAR) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!(
                "{test}: {URL_VAR} is not set (a PostgreSQL database URL), and CI=true requires it"
            )
        }
        _ => {
            eprintln!("{test}: skipped, {URL_VAR} is not set (a PostgreSQL database URL)");
            None
        }
    }
}

/// A schema of its own in the test database, dropped (with everything in it) when dropped.
#[derive(Debug)]
pub struct TestSchema {
    url: String,
    name: String,
}

impl TestSchema {
    /// A new, empty schema, or `None` (saying so) when [`URL_VAR`] is not set.
    pub fn new(test: &str) -> Option<TestSchema> {
        let url = url(test)?;
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let name = format!(
            "epiledger_test_{}_{:x}_{}",
            std::process::id(),
            nanos,
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut client = Client::connect(&url, NoTls)
            .unwrap_or_else(|e| panic!("{URL_VAR}: cannot connect to {url}: {e}"));
        client
            .batch_execute(&format!("CREATE SCHEMA {}", quote_ident(&name)))
            .unwrap_or_else(|e| panic!("cannot create the test schema {name}: {e}"));
        Some(TestSchema { url, name })
    }

    /// The database URL (without the schema).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The schema's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The URL with the schema as its search_path, for what takes only a URL (the command line).
    pub fn url_with_schema(&self) -> String {
        let sep = if self.url.contains('?') { '&' } else { '?' };
        format!("{}{sep}options=-csearch_path%3D{}", self.url, self.name)
    }

    /// Options that put the ledger in this schema.
    pub fn options(&self) -> Options {
        Options {
            schema: Some(self.name.clone()),
            migrate: true,
        }
    }

    /// A store in this schema, on a connection of its own (migrated on first use).
    pub fn connect(&self) -> PostgresStore {
        PostgresStore::connect_with(&self.url, &self.options())
            .unwrap_or_else(|e| panic!("cannot open the test store: {e}"))
    }
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        let dropped = Client::connect(&self.url, NoTls).and_then(|mut c| {
            c.batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {} CASCADE",
                quote_ident(&self.name)
            ))
        });
        if let Err(e) = dropped {
            eprintln!("cannot drop the test schema {}: {e}", self.name);
        }
    }
}

/// Calls `test` with a new store in a schema of its own, dropped afterwards; for
/// [`epiledger_store::store_testsuite!`]. Says it is skipped without [`URL_VAR`].
pub fn with_store(test: &mut dyn FnMut(&mut dyn Store)) {
    // The test harness names each test's thread after the test.
    let thread = std::thread::current();
    let Some(schema) = TestSchema::new(thread.name().unwrap_or("PostgreSQL store test")) else {
        return;
    };
    let mut store = schema.connect();
    test(&mut store);
}
