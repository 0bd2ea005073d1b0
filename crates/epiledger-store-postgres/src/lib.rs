//! The PostgreSQL store (feature `postgres`, on by default): one database shared by several
//! servers, with the SQLite store's behaviour exactly (the same conformance suite runs on
//! both).
//!
//! - **Schema**: migrations of its own ([`SCHEMA_VERSION`], table `epiledger_migrations`),
//!   applied on connect under an advisory lock, or explicitly with [`PostgresStore::migrate`]
//!   (`epiledger migrate`). A schema written by a newer epiledger is refused.
//! - **Append-only**: triggers refuse UPDATE, DELETE and TRUNCATE on every table.
//! - **Time**: `recorded_at` is a `timestamptz` (microseconds). [`Store::put_days`] records at
//!   the database server's clock, read after the batch's locks are taken, so that writers on
//!   several machines record the versions of a date in order whatever their own clocks say.
//! - **Concurrent writers**: a batch runs in one READ COMMITTED transaction that first takes a
//!   transaction-scoped advisory lock per date (in one global order, so that two batches
//!   cannot deadlock), then reads the newest versions: two writers of the same date take
//!   turns, and the second compares with what the first stored. The primary key
//!   `(date, version)` backs this up.
//! - **Connections**: plain TCP or a Unix socket; TLS is not built in (it would need a C
//!   library): use a private network, a socket, or a TLS-terminating proxy.
//!
//! The client is synchronous (the `postgres` crate): from async code, call the store inside
//! `spawn_blocking`.

mod migrations;
pub mod notify;
mod read;
mod reporting;
#[cfg(feature = "testsuite")]
pub mod testing;
mod write;

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use epiledger_core::{Date, Day, Fact};
use postgres::error::SqlState;
use postgres::{Client, Config, IsolationLevel, NoTls};
use sha2::{Digest, Sha256};

use epiledger_store::{
    FigureKey, PutOutcome, Source, Span, Store, StoreError, StoreStats, StoredDay, VersionInfo,
};
use read::{Db, SeriesCache, SeriesKey, Statements};

pub use migrations::MIGRATIONS;

/// The schema version this program writes.
pub const SCHEMA_VERSION: u32 = migrations::LATEST;

/// How long a statement waits for a lock (another writer's batch of the same dates) before the
/// store answers [`StoreError::Busy`], unless the URL or the role sets `lock_timeout`.
pub const DEFAULT_LOCK_TIMEOUT: &str = "30s";

/// How many times a batch is tried in all when it fails with a deadlock or a serialization
/// failure: a safety net, as neither should happen (the locks are taken in one global order,
/// under READ COMMITTED).
const RETRIES: usize = 3;

pub use epiledger_store::location::{is_postgres_url, redact};

/// The key of a transaction-scoped advisory lock: `what` (a date, `migrate`) within a schema.
/// Advisory locks are database-wide; the schema in the key keeps ledgers in different schemas
/// of one database apart.
pub(crate) fn lock_key(schema: &str, what: &str) -> i64 {
    let digest = Sha256::digest(format!("epiledger\0{schema}\0{what}").as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

/// A PostgreSQL error whose message tells the whole story (the client's own says only
/// `db error` or `error connecting to server`): the server's message, detail and hint, or the
/// chain of causes.
#[derive(Debug)]
pub struct PgError(pub postgres::Error);

impl std::fmt::Display for PgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&describe(&self.0))
    }
}

impl std::error::Error for PgError {}

/// The server's message (`ERROR: …`, detail, hint), or the client's error and its causes.
pub fn describe(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        let mut s = format!("{}: {}", db.severity(), db.message());
        if let Some(detail) = db.detail() {
            s.push_str(&format!(" ({detail})"));
        }
        if let Some(hint) = db.hint() {
            s.push_str(&format!("; hint: {hint}"));
        }
        return s;
    }
    let mut s = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        s.push_str(&format!(": {c}"));
        cause = c.source();
    }
    s
}

/// The store's error for a failed PostgreSQL call: busy (a lock wait timed out), a read-only
/// server, a lost connection, or a database error.
pub(crate) fn pg_err(location: &str, action: impl Into<String>, e: postgres::Error) -> StoreError {
    let action = action.into();
    let code = e.code().cloned();
    if code == Some(SqlState::LOCK_NOT_AVAILABLE) {
        return StoreError::Busy {
            location: location.to_string(),
        };
    }
    let hint = if code == Some(SqlState::READ_ONLY_SQL_TRANSACTION) {
        " (the server is read-only, a replica: give the URL of the primary to write)"
    } else if e.is_closed() {
        " (the connection to PostgreSQL was lost: check that the server is up, then try again)"
    } else {
        ""
    };
    StoreError::Database {
        location: location.to_string(),
        action: format!("{action}{hint}"),
        source: Box::new(PgError(e)),
    }
}

/// How to connect.
#[derive(Clone, Debug)]
pub struct Options {
    /// Keep the ledger in this schema, created if missing (default: the first schema of the
    /// connection's `search_path`, usually `public`; a URL can set it with
    /// `?options=-csearch_path%3Dname`).
    pub schema: Option<String>,
    /// Bring the schema up to date when connecting (default). When false, a schema older than
    /// this program is refused with a message to run `epiledger migrate` (for servers, so that
    /// migrations run once, when the operator chooses).
    pub migrate: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            schema: None,
            migrate: true,
        }
    }
}

/// What [`PostgresStore::migrate`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Migrated {
    /// The database (its URL without password, and the schema).
    pub location: String,
    /// The schema version found (0: a new ledger).
    pub from: u32,
    /// The schema version now: [`SCHEMA_VERSION`].
    pub to: u32,
}

/// The connection and what is cached on it.
struct Conn {
    client: Client,
    series: SeriesCache,
    stmts: Statements,
}

/// A ledger in a PostgreSQL database (in the first schema of the `search_path`, or the one
/// [`Options::schema`] names).
pub struct PostgresStore {
    conn: Mutex<Conn>,
    location: String,
    schema: String,
    /// To connect again when the connection is lost (never printed: it may hold a password).
    url: String,
    options: Options,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("location", &self.location)
            .field("schema", &self.schema)
            .finish_non_exhaustive()
    }
}

/// Quotes an identifier for SQL.
pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl PostgresStore {
    /// The schema version this program writes.
    pub const SCHEMA_VERSION: u32 = SCHEMA_VERSION;

    /// Connects to the database at `url` (`postgres://user@host:5432/db`, or libpq's
    /// `key=value` form) and brings its schema up to date. Refuses a schema written by a newer
    /// epiledger, and a schema that holds other programs' tables.
    pub fn connect(url: &str) -> Result<PostgresStore, StoreError> {
        PostgresStore::connect_with(url, &Options::default())
    }

    /// [`PostgresStore::connect`] with options.
    pub fn connect_with(url: &str, options: &Options) -> Result<PostgresStore, StoreError> {
        let (client, location, schema) = connect_raw(url, options)?;
        let mut conn = Conn {
            client,
            series: SeriesCache::default(),
            stmts: Statements::new(),
        };
        if options.migrate {
            migrations::migrate(&mut conn.client, &schema, &location)?;
        } else {
            let found = migrations::check(&mut conn.client, &location)?;
            if found.version < SCHEMA_VERSION {
                return Err(StoreError::Open {
                    location,
                    reason: format!(
                        "its schema is at version {}, this epiledger needs version \
                         {SCHEMA_VERSION}; run `epiledger migrate --db URL` once",
                        found.version
                    ),
                });
            }
        }
        Ok(PostgresStore {
            conn: Mutex::new(conn),
            location,
            schema,
            url: url.to_string(),
            options: options.clone(),
        })
    }

    /// Creates or upgrades the schema of the database at `url`, and says from which version
    /// to which. Safe to run from several machines at once: one migrates, the others wait.
    pub fn migrate(url: &str, options: &Options) -> Result<Migrated, StoreError> {
        let (mut client, location, schema) = connect_raw(url, options)?;
        let from = migrations::migrate(&mut client, &schema, &location)?;
        Ok(Migrated {
            location,
            from,
            to: SCHEMA_VERSION,
        })
    }

    /// The URL without its password (and the schema, when one was given).
    pub fn location(&self) -> &str {
        &self.location
    }

    /// The schema that holds the ledger.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    /// The schema version of the database.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        let mut conn = self.lock();
        Ok(migrations::check(&mut conn.client, &self.location)?.version)
    }

    /// `VACUUM (ANALYZE)` of the ledger's tables: after a bulk load (`epiledger copy`), so
    /// that the planner knows the tables' sizes and series reads are index-only scans at once
    /// rather than after autovacuum's next round.
    pub fn vacuum_analyze(&self) -> Result<(), StoreError> {
        self.lock()
            .client
            .batch_execute("VACUUM (ANALYZE) day_versions, series, facts, corrections, notes")
            .map_err(|e| pg_err(&self.location, "vacuuming the tables", e))
    }

    /// The connection; a panic of another thread while it held it leaves nothing half-done
    /// (an open transaction is rolled back when dropped), so a poisoned lock is taken over.
    fn lock(&self) -> MutexGuard<'_, Conn> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Connects again in place of a lost connection (the server restarted, a proxy or a
    /// failover cut it), checking the schema version again (it may have been migrated since).
    fn reconnect(&self, conn: &mut Conn) -> Result<(), StoreError> {
        let (mut client, location, _) = connect_raw(&self.url, &self.options)?;
        let found = migrations::check(&mut client, &location)?;
        if found.version < SCHEMA_VERSION {
            return Err(StoreError::Open {
                location,
                reason: format!(
                    "its schema is now at version {}, older than this epiledger's \
                     {SCHEMA_VERSION}; run `epiledger migrate --db URL`",
                    found.version
                ),
            });
        }
        *conn = Conn {
            client,
            series: SeriesCache::default(),
            stmts: Statements::new(),
        };
        Ok(())
    }

    /// Runs a read with the connection; a connection found lost, before or during the read,
    /// is replaced and the read run again (once).
    fn read<T>(
        &self,
        f: impl Fn(&mut Db<'_, Client>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut guard = self.lock();
        if guard.client.is_closed() {
            self.reconnect(&mut guard)?;
        }
        let run = |conn: &mut Conn| {
            let Conn {
                client,
                series,
                stmts,
            } = conn;
            f(&mut Db {
                c: client,
                series,
                stmts,
                loc: &self.location,
            })
        };
        match run(&mut guard) {
            Err(e) if guard.client.is_closed() => {
                if self.reconnect(&mut guard).is_err() {
                    return Err(e);
                }
                run(&mut guard)
            }
            other => other,
        }
    }

    /// Runs a write batch (`batch` opens, fills and commits its transaction) on an open
    /// connection, again on a deadlock or a serialization failure. A lost connection is
    /// replaced before the batch, not after a failure: whether a commit whose answer was lost
    /// went through is unknown, and the caller decides to try again (which is safe: what was
    /// stored comes back unchanged). The series (figure keys) a batch created are learned only
    /// once it committed.
    fn write_batch<T>(
        &mut self,
        mut batch: impl FnMut(
            &mut Conn,
            &str,
            &str,
            &mut HashMap<SeriesKey, i32>,
        ) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        {
            let mut guard = self.lock();
            if guard.client.is_closed() {
                self.reconnect(&mut guard)?;
            }
        }
        let loc = self.location.as_str();
        let schema = self.schema.as_str();
        let conn = self.conn.get_mut().unwrap_or_else(|e| e.into_inner());
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut created = HashMap::new();
            match batch(conn, loc, schema, &mut created) {
                Ok(v) => {
                    conn.series.learn(created);
                    return Ok(v);
                }
                Err(e) => {
                    // A reload of the series inside the failed batch may have seen its own
                    // rows, which rolled back.
                    conn.series = SeriesCache::default();
                    if attempt < RETRIES && is_retryable(&e) {
                        continue;
                    }
                    return Err(e);
                }
            }
        }
    }

    /// Stores a batch at `at`, or at the database's clock once the batch's locks are held.
    fn put(
        &mut self,
        days: &[(Day, Source)],
        at: Option<DateTime<Utc>>,
    ) -> Result<Vec<PutOutcome>, StoreError> {
        self.write_days(|db, created, schema| write::put_batch(db, created, schema, days, at))
    }

    /// Runs a write batch of days (see [`PostgresStore::write_batch`]) in one READ COMMITTED
    /// transaction, which `fill` fills and which is committed when it succeeds.
    fn write_days<T>(
        &mut self,
        mut fill: impl FnMut(
            &mut Db<'_, postgres::Transaction<'_>>,
            &mut HashMap<SeriesKey, i32>,
            &str,
        ) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.write_batch(|conn, loc, schema, created| {
            let mut tx = conn
                .client
                .build_transaction()
                .isolation_level(IsolationLevel::ReadCommitted)
                .start()
                .map_err(|e| pg_err(loc, "starting a transaction", e))?;
            let mut db = Db {
                c: &mut tx,
                series: &mut conn.series,
                stmts: &mut conn.stmts,
                loc,
            };
            let outcome = fill(&mut db, created, schema)?;
            tx.commit()
                .map_err(|e| pg_err(loc, "committing the batch", e))?;
            Ok(outcome)
        })
    }
}

/// Whether a failed batch may succeed if tried again: a deadlock or a serialization failure.
fn is_retryable(e: &StoreError) -> bool {
    let StoreError::Database { source, .. } = e else {
        return false;
    };
    source
        .downcast_ref::<PgError>()
        .and_then(|e| e.0.code())
        .is_some_and(|c| {
            *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE
        })
}

/// Connects, sets the session up (application name, lock timeout, schema) and returns the
/// client, the location for messages and the schema.
fn connect_raw(url: &str, options: &Options) -> Result<(Client, String, String), StoreError> {
    let mut location = redact(url);
    if let Some(schema) = &options.schema {
        location = format!("{location} (schema {schema})");
    }
    let open_err = |reason: String| StoreError::Open {
        location: location.clone(),
        reason,
    };
    let mut config: Config = url.parse().map_err(|e: postgres::Error| {
        open_err(format!(
            "{}; write the URL as postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE",
            describe(&e)
        ))
    })?;
    if config.get_application_name().is_none() {
        config.application_name("epiledger");
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(std::time::Duration::from_secs(10));
    }
    let mut client = config.connect(NoTls).map_err(|e| {
        let hint = if e.to_string().contains("TLS") {
            "this build speaks plain TCP or Unix sockets only: use sslmode=prefer or disable, \
             over a private network, a Unix socket or a TLS-terminating proxy"
        } else {
            "check that PostgreSQL is running there, that the database exists (createdb) and \
             that the user may connect"
        };
        open_err(format!("{}; {hint}", describe(&e)))
    })?;
    let loc = location.as_str();
    if let Some(schema) = &options.schema {
        // Created only if missing: CREATE SCHEMA IF NOT EXISTS needs the right to create
        // schemas even when the schema exists, which an application role need not have.
        let exists: bool = client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)",
                &[schema],
            )
            .map_err(|e| pg_err(loc, format!("looking for the schema {schema}"), e))?
            .get(0);
        let quoted = quote_ident(schema);
        if !exists {
            client
                .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {quoted}"))
                .map_err(|e| pg_err(loc, format!("creating the schema {schema}"), e))?;
        }
        client
            .batch_execute(&format!("SET search_path TO {quoted}"))
            .map_err(|e| pg_err(loc, format!("using the schema {schema}"), e))?;
    }
    let timeout: String = client
        .query_one("SELECT current_setting('lock_timeout')", &[])
        .map_err(|e| pg_err(loc, "reading lock_timeout", e))?
        .get(0);
    if timeout == "0" {
        client
            .batch_execute(&format!("SET lock_timeout = '{DEFAULT_LOCK_TIMEOUT}'"))
            .map_err(|e| pg_err(loc, "setting lock_timeout", e))?;
    }
    let schema = migrations::current_schema(&mut client, loc)?;
    Ok((client, location, schema))
}

impl Store for PostgresStore {
    fn put_days_at(
        &mut self,
        days: &[(Day, Source)],
        at: DateTime<Utc>,
    ) -> Result<Vec<PutOutcome>, StoreError> {
        self.put(days, Some(epiledger_store::time::truncate(at)))
    }

    fn put_days_timed(
        &mut self,
        days: &[(Day, Source, DateTime<Utc>)],
    ) -> Result<Vec<PutOutcome>, StoreError> {
        self.write_days(|db, created, schema| {
            let mut outcomes = Vec::with_capacity(days.len());
            for (day, source, at) in days {
                let at = Some(epiledger_store::time::truncate(*at));
                let one = [(day.clone(), source.clone())];
                outcomes.extend(write::put_batch(db, created, schema, &one, at)?);
            }
            Ok(outcomes)
        })
    }

    /// Records at the database server's clock, read once the batch's date locks are held.
    fn put_days(&mut self, days: &[(Day, Source)]) -> Result<Vec<PutOutcome>, StoreError> {
        self.put(days, None)
    }

    fn day(
        &self,
        date: Date,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Option<StoredDay>, StoreError> {
        self.read(|db| match db.newest(date, as_of)? {
            Some(row) => Ok(db.stored_many(vec![row])?.pop()),
            None => Ok(None),
        })
    }

    fn days(&self, span: Span) -> Result<Vec<StoredDay>, StoreError> {
        self.read(|db| {
            let rows = db.current_rows(span)?;
            db.stored_many(rows)
        })
    }

    fn versions(&self, date: Date) -> Result<Vec<VersionInfo>, StoreError> {
        self.read(|db| db.all_versions(date))
    }

    fn dates(&self) -> Result<Vec<Date>, StoreError> {
        self.read(|db| db.dates())
    }

    fn series(&self, key: &FigureKey, span: Span) -> Result<Vec<(Date, i64)>, StoreError> {
        self.read(|db| db.series(key, span))
    }

    fn facts(&self, span: Span) -> Result<Vec<(Date, Fact)>, StoreError> {
        self.read(|db| db.facts(span))
    }

    fn stats(&self) -> Result<StoreStats, StoreError> {
        self.read(|db| db.stats())
    }

    fn is_empty(&self) -> Result<bool, StoreError> {
        self.read(|db| db.is_empty())
    }
}

impl epiledger_store::copy::ExactVersions for PostgresStore {
    fn exact_version(&self, date: Date, version: u32) -> Result<Option<StoredDay>, StoreError> {
        self.read(|db| match db.version_row(date, version)? {
            Some(row) => Ok(db.stored_many(vec![row])?.pop()),
            None => Ok(None),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_keys_differ_by_schema_and_date() {
        assert_ne!(lock_key("a", "2020-06-19"), lock_key("b", "2020-06-19"));
        assert_ne!(lock_key("a", "2020-06-19"), lock_key("a", "2020-06-20"));
        assert_eq!(lock_key("a", "x"), lock_key("a", "x"));
    }
}
