//! The SQLite schema, as an ordered list of migrations. `PRAGMA user_version` is the number of
//! migrations applied; `PRAGMA application_id` marks the file as an epiledger ledger.
//!
//! Never edit a migration that has shipped: append a new one.

use rusqlite::{Connection, TransactionBehavior};

use crate::db_err;
use epiledger_store::StoreError;

/// `PRAGMA application_id` of a ledger: "EPLG".
pub const APPLICATION_ID: i64 = 0x4550_4C47;

/// The migrations, in order; migration `i` (from 0) brings the schema to version `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: versions of days, their facts, corrections and notes. Append-only by triggers.
    r#"
CREATE TABLE day_versions (
    id           INTEGER PRIMARY KEY,
    date         TEXT    NOT NULL CHECK (length(date) = 10),
    version      INTEGER NOT NULL CHECK (version >= 1),
    source_kind  TEXT    NOT NULL,
    source_name  TEXT    NOT NULL,
    source_hash  TEXT    NOT NULL,
    content_hash TEXT    NOT NULL,
    recorded_at  TEXT    NOT NULL,
    summary      TEXT    NOT NULL,
    UNIQUE (date, version)
) STRICT;

-- Each figure's key (measure, region, origin) once; facts refer to it by id, so that their
-- keys are small integers and a series is one range of `facts_by_series`.
CREATE TABLE series (
    id      INTEGER PRIMARY KEY,
    measure TEXT    NOT NULL,
    region  TEXT    NOT NULL,
    origin  TEXT    NOT NULL,
    UNIQUE (measure, region, origin)
) STRICT;

CREATE TABLE facts (
    version_id INTEGER NOT NULL REFERENCES day_versions (id),
    series_id  INTEGER NOT NULL REFERENCES series (id),
    value      INTEGER NOT NULL,
    PRIMARY KEY (version_id, series_id)
) WITHOUT ROWID, STRICT;

-- A series over time: one range, covering the value.
CREATE INDEX facts_by_series ON facts (series_id, version_id, value);

-- For people with the sqlite3 shell: every fact of every version, in words.
CREATE VIEW fact_rows AS
SELECT v.date, v.version, s.region, s.origin, s.measure, f.value
FROM facts f
JOIN day_versions v ON v.id = f.version_id
JOIN series s ON s.id = f.series_id;

CREATE TABLE corrections (
    version_id INTEGER NOT NULL REFERENCES day_versions (id),
    seq        INTEGER NOT NULL,
    json       TEXT    NOT NULL,
    PRIMARY KEY (version_id, seq)
) WITHOUT ROWID, STRICT;

CREATE TABLE notes (
    version_id INTEGER NOT NULL REFERENCES day_versions (id),
    seq        INTEGER NOT NULL,
    json       TEXT    NOT NULL,
    PRIMARY KEY (version_id, seq)
) WITHOUT ROWID, STRICT;

CREATE TRIGGER day_versions_no_update BEFORE UPDATE ON day_versions
BEGIN SELECT RAISE(ABORT, 'day_versions is append-only: store a new version instead'); END;
CREATE TRIGGER day_versions_no_delete BEFORE DELETE ON day_versions
BEGIN SELECT RAISE(ABORT, 'day_versions is append-only: history is never deleted'); END;
CREATE TRIGGER series_no_update BEFORE UPDATE ON series
BEGIN SELECT RAISE(ABORT, 'series is append-only: facts refer to it'); END;
CREATE TRIGGER series_no_delete BEFORE DELETE ON series
BEGIN SELECT RAISE(ABORT, 'series is append-only: facts refer to it'); END;
CREATE TRIGGER facts_no_update BEFORE UPDATE ON facts
BEGIN SELECT RAISE(ABORT, 'facts is append-only: store a new version instead'); END;
CREATE TRIGGER facts_no_delete BEFORE DELETE ON facts
BEGIN SELECT RAISE(ABORT, 'facts is append-only: history is never deleted'); END;
CREATE TRIGGER corrections_no_update BEFORE UPDATE ON corrections
BEGIN SELECT RAISE(ABORT, 'corrections is append-only: store a new version instead'); END;
CREATE TRIGGER corrections_no_delete BEFORE DELETE ON corrections
BEGIN SELECT RAISE(ABORT, 'corrections is append-only: history is never deleted'); END;
CREATE TRIGGER notes_no_update BEFORE UPDATE ON notes
BEGIN SELECT RAISE(ABORT, 'notes is append-only: store a new version instead'); END;
CREATE TRIGGER notes_no_delete BEFORE DELETE ON notes
BEGIN SELECT RAISE(ABORT, 'notes is append-only: history is never deleted'); END;
"#,
    // 2: the reporting workflow: the audit log, tokens, the units' reports, cutoffs, releases
    // and retry keys. Every table is append-only; a row that records a change names its audit
    // log entry (`audit_seq`), so that a shortened log is detected. (No foreign key on it: a
    // deferred one makes SQLite scan every table that names an entry at each new entry.)
    r#"
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY CHECK (seq >= 1),
    at         TEXT    NOT NULL,
    token_id   INTEGER,
    actor      TEXT    NOT NULL,
    role       TEXT    NOT NULL,
    address    TEXT    NOT NULL,
    request_id TEXT    NOT NULL,
    action     TEXT    NOT NULL,
    target     TEXT    NOT NULL,
    detail     TEXT    NOT NULL,
    prev_hash  TEXT    NOT NULL,
    hash       TEXT    NOT NULL UNIQUE
) STRICT;

CREATE TABLE tokens (
    id         INTEGER PRIMARY KEY,
    hash       TEXT    NOT NULL UNIQUE CHECK (length(hash) = 64),
    role       TEXT    NOT NULL CHECK (role IN ('reporter', 'compiler', 'admin')),
    unit       TEXT,
    label      TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    audit_seq  INTEGER NOT NULL,
    CHECK ((role = 'reporter') = (unit IS NOT NULL))
) STRICT;

CREATE TABLE token_revocations (
    token_id   INTEGER PRIMARY KEY REFERENCES tokens (id),
    revoked_at TEXT    NOT NULL,
    audit_seq  INTEGER NOT NULL
) STRICT;

CREATE TABLE reports (
    id           INTEGER PRIMARY KEY,
    date         TEXT    NOT NULL CHECK (length(date) = 10),
    unit         TEXT    NOT NULL CHECK (length(unit) = 6),
    version      INTEGER NOT NULL CHECK (version >= 1),
    reason       TEXT,
    submitted_at TEXT    NOT NULL,
    token_id     INTEGER,
    content_hash TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    audit_seq    INTEGER NOT NULL,
    UNIQUE (date, unit, version),
    CHECK (version = 1 OR reason IS NOT NULL)
) STRICT;
CREATE INDEX reports_by_unit ON reports (unit, date, version);

CREATE TABLE cutoffs (
    id        INTEGER PRIMARY KEY,
    date      TEXT    NOT NULL CHECK (length(date) = 10),
    cutoff    TEXT    NOT NULL,
    set_at    TEXT    NOT NULL,
    audit_seq INTEGER NOT NULL
) STRICT;
CREATE INDEX cutoffs_by_date ON cutoffs (date, id);

CREATE TABLE releases (
    id           INTEGER PRIMARY KEY,
    date         TEXT    NOT NULL CHECK (length(date) = 10),
    content_hash TEXT    NOT NULL,
    day          TEXT    NOT NULL,
    basis        TEXT    NOT NULL,
    base_version INTEGER,
    errata       TEXT    NOT NULL,
    note         TEXT,
    approved_by  INTEGER,
    approved_at  TEXT    NOT NULL,
    audit_seq    INTEGER NOT NULL
) STRICT;
CREATE INDEX releases_by_date ON releases (date, id);

-- What became of an approved release: published (with its number) or superseded, once.
CREATE TABLE release_events (
    release_id INTEGER PRIMARY KEY REFERENCES releases (id),
    status     TEXT    NOT NULL CHECK (status IN ('published', 'superseded')),
    number     INTEGER CHECK ((status = 'published') = (number IS NOT NULL)),
    at         TEXT    NOT NULL,
    by_token   INTEGER,
    audit_seq  INTEGER NOT NULL
) STRICT;

-- The first answer to a request with an Idempotency-Key (token 0: no token).
CREATE TABLE idempotency (
    token_id     INTEGER NOT NULL,
    key          TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    response     TEXT    NOT NULL,
    at           TEXT    NOT NULL,
    PRIMARY KEY (token_id, key)
) WITHOUT ROWID, STRICT;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER tokens_no_update BEFORE UPDATE ON tokens
BEGIN SELECT RAISE(ABORT, 'tokens is append-only: revoke a token instead'); END;
CREATE TRIGGER tokens_no_delete BEFORE DELETE ON tokens
BEGIN SELECT RAISE(ABORT, 'tokens is append-only: revoke a token instead'); END;
CREATE TRIGGER token_revocations_no_update BEFORE UPDATE ON token_revocations
BEGIN SELECT RAISE(ABORT, 'token_revocations is append-only'); END;
CREATE TRIGGER token_revocations_no_delete BEFORE DELETE ON token_revocations
BEGIN SELECT RAISE(ABORT, 'token_revocations is append-only'); END;
CREATE TRIGGER reports_no_update BEFORE UPDATE ON reports
BEGIN SELECT RAISE(ABORT, 'reports is append-only: submit a new version instead'); END;
CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports
BEGIN SELECT RAISE(ABORT, 'reports is append-only: every version is kept'); END;
CREATE TRIGGER cutoffs_no_update BEFORE UPDATE ON cutoffs
BEGIN SELECT RAISE(ABORT, 'cutoffs is append-only: set a new cutoff instead'); END;
CREATE TRIGGER cutoffs_no_delete BEFORE DELETE ON cutoffs
BEGIN SELECT RAISE(ABORT, 'cutoffs is append-only'); END;
CREATE TRIGGER releases_no_update BEFORE UPDATE ON releases
BEGIN SELECT RAISE(ABORT, 'releases is append-only: a release is immutable'); END;
CREATE TRIGGER releases_no_delete BEFORE DELETE ON releases
BEGIN SELECT RAISE(ABORT, 'releases is append-only: a release is immutable'); END;
CREATE TRIGGER release_events_no_update BEFORE UPDATE ON release_events
BEGIN SELECT RAISE(ABORT, 'release_events is append-only'); END;
CREATE TRIGGER release_events_no_delete BEFORE DELETE ON release_events
BEGIN SELECT RAISE(ABORT, 'release_events is append-only'); END;
CREATE TRIGGER idempotency_no_update BEFORE UPDATE ON idempotency
BEGIN SELECT RAISE(ABORT, 'idempotency is append-only'); END;
"#,
    // 3: the case register's events, as segments (the parts of one interchange CSV
    // file per batch), each batch under its audit entry. Append-only.
    r#"
CREATE TABLE case_segments (
    audit_seq   INTEGER NOT NULL CHECK (audit_seq >= 1),
    part        INTEGER NOT NULL CHECK (part >= 1),
    recorded_at TEXT    NOT NULL,
    -- LZ4 (block format, the size first) of the CSV.
    data        BLOB    NOT NULL,
    PRIMARY KEY (audit_seq, part)
) STRICT;
CREATE TRIGGER case_segments_no_update BEFORE UPDATE ON case_segments
BEGIN SELECT RAISE(ABORT, 'case_segments is append-only: record a correcting event instead'); END;
CREATE TRIGGER case_segments_no_delete BEFORE DELETE ON case_segments
BEGIN SELECT RAISE(ABORT, 'case_segments is append-only: withdraw a card with an event instead'); END;
"#,
];

/// The schema version this program writes.
pub const LATEST: u32 = MIGRATIONS.len() as u32;

fn pragma_i64(conn: &Connection, location: &str, name: &str) -> Result<i64, StoreError> {
    conn.pragma_query_value(None, name, |r| r.get(0))
        .map_err(|e| db_err(location, format!("reading PRAGMA {name}"), e))
}

/// Checks that the database is a ledger this program can read; returns its schema version.
fn check(conn: &Connection, location: &str) -> Result<i64, StoreError> {
    let found = pragma_i64(conn, location, "user_version")?;
    let app_id = pragma_i64(conn, location, "application_id")?;
    let not_a_ledger = |reason: String| StoreError::NotALedger {
        location: location.to_string(),
        reason,
    };
    if app_id != 0 && app_id != APPLICATION_ID {
        return Err(not_a_ledger(format!(
            "its application id is {app_id:#x}, not epiledger's"
        )));
    }
    if found > i64::from(LATEST) {
        return Err(StoreError::SchemaTooNew {
            location: location.to_string(),
            found,
            known: LATEST,
        });
    }
    if found < 0 || (found > 0 && app_id != APPLICATION_ID) {
        return Err(not_a_ledger(format!(
            "it has schema version {found} but no epiledger mark"
        )));
    }
    if found == 0 {
        let objects: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| db_err(location, "listing the tables", e))?;
        if objects > 0 {
            return Err(not_a_ledger(format!(
                "it already holds {objects} tables or indexes of its own"
            )));
        }
    }
    Ok(found)
}

/// Brings the schema up to [`LATEST`], each migration in its own transaction. Refuses a file of
/// a newer schema, or a database that is not a ledger. An up-to-date ledger is not locked.
pub fn migrate(conn: &mut Connection, location: &str) -> Result<(), StoreError> {
    if check(conn, location)? == i64::from(LATEST) {
        return Ok(());
    }
    loop {
        // Immediate: of two processes opening a new file, one migrates, the other waits.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| db_err(location, "locking the ledger to upgrade its schema", e))?;
        let found = check(&tx, location)?;
        // `check` bounds `found` to 0..=LATEST.
        let Some(sql) = MIGRATIONS.get(found as usize) else {
            return Ok(()); // up to date; the transaction ends having changed nothing
        };
        let version = found as u32 + 1;
        let failed = |e: rusqlite::Error| StoreError::Migration {
            location: location.to_string(),
            version,
            reason: e.to_string(),
        };
        tx.execute_batch(sql).map_err(failed)?;
        tx.pragma_update(None, "user_version", version)
            .map_err(failed)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(failed)?;
        tx.commit().map_err(failed)?;
    }
}

/// The schema version of an open ledger.
pub fn schema_version(conn: &Connection, location: &str) -> Result<i64, StoreError> {
    pragma_i64(conn, location, "user_version")
}
