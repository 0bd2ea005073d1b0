//! The PostgreSQL schema, as an ordered list of migrations. The table `epiledger_migrations`
//! has one row per migration applied; the schema version is the largest. It is named for
//! epiledger (not `schema_migrations`) so that a database shared with other tools cannot be
//! mistaken for a ledger.
//!
//! Never edit a migration that has shipped: append a new one. Each migration runs in its own
//! transaction (PostgreSQL's DDL is transactional) under an advisory lock, so that of several
//! servers starting at once, one migrates and the others wait and find the work done.

use postgres::GenericClient;

use crate::{lock_key, pg_err};
use epiledger_store::StoreError;

/// The migrations, in order: (what it does, SQL). Migration `i` (from 0) brings the schema to
/// version `i + 1`.
pub const MIGRATIONS: &[(&str, &str)] = &[
    (
        "day versions, series, facts, corrections and notes; append-only by triggers",
        r#"
CREATE TABLE epiledger_migrations (
    version     integer     PRIMARY KEY CHECK (version >= 1),
    description text        NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Refuses a change of history: UPDATE (TG_ARGV[0] says what to do instead), DELETE and
-- TRUNCATE (TG_ARGV[1]).
CREATE FUNCTION epiledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    RAISE EXCEPTION '% is append-only: %', TG_TABLE_NAME,
        CASE WHEN TG_OP = 'UPDATE' THEN TG_ARGV[0] ELSE TG_ARGV[1] END
        USING ERRCODE = 'restrict_violation';
END
$fn$;

-- A version of a day. The key is (date, version): every table of a day's content carries the
-- date, so that a distributed database (Citus) can keep a day's rows on one shard.
CREATE TABLE day_versions (
    date         date        NOT NULL,
    version      integer     NOT NULL CHECK (version >= 1),
    source_kind  text        NOT NULL
        CHECK (source_kind IN ('bulletin', 'embedded', 'report', 'other')),
    source_name  text        NOT NULL,
    source_hash  text        NOT NULL CHECK (source_hash ~ '^[0-9a-f]{64}$'),
    content_hash text        NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
    recorded_at  timestamptz NOT NULL,
    summary      text        NOT NULL,
    PRIMARY KEY (date, version)
);

-- Each figure's key (measure, region, origin) once; facts refer to it by id, so that their
-- keys are small integers and a series is one range of `facts_by_series`.
CREATE TABLE series (
    id      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    measure text    NOT NULL,
    region  text    NOT NULL,
    origin  text    NOT NULL,
    UNIQUE (measure, region, origin)
);

CREATE TABLE facts (
    date      date    NOT NULL,
    version   integer NOT NULL,
    series_id integer NOT NULL REFERENCES series (id),
    value     bigint  NOT NULL,
    PRIMARY KEY (date, version, series_id),
    FOREIGN KEY (date, version) REFERENCES day_versions (date, version)
);

-- A series over time: one range, covering the value.
CREATE INDEX facts_by_series ON facts (series_id, date, version) INCLUDE (value);

CREATE TABLE corrections (
    date    date    NOT NULL,
    version integer NOT NULL,
    seq     integer NOT NULL CHECK (seq >= 0),
    item    jsonb   NOT NULL,
    PRIMARY KEY (date, version, seq),
    FOREIGN KEY (date, version) REFERENCES day_versions (date, version)
);

CREATE TABLE notes (
    date    date    NOT NULL,
    version integer NOT NULL,
    seq     integer NOT NULL CHECK (seq >= 0),
    item    jsonb   NOT NULL,
    PRIMARY KEY (date, version, seq),
    FOREIGN KEY (date, version) REFERENCES day_versions (date, version)
);

-- For people with psql: every fact of every version, in words.
CREATE VIEW fact_rows AS
SELECT f.date, f.version, s.region, s.origin, s.measure, f.value
FROM facts f
JOIN series s ON s.id = f.series_id;

CREATE TRIGGER epiledger_migrations_append_only BEFORE UPDATE OR DELETE ON epiledger_migrations
    FOR EACH ROW EXECUTE FUNCTION epiledger_refuse_change(
        'a migration is applied once', 'a migration is applied once');
CREATE TRIGGER day_versions_append_only BEFORE UPDATE OR DELETE ON day_versions
    FOR EACH ROW EXECUTE FUNCTION epiledger_refuse_change(
        'store a new version instead', 'history is never deleted');
CREATE TRIGGER series_append_only BEFORE UPDATE OR DELETE ON series
    FOR EACH ROW EXECUTE FUNCTION epiledger_refuse_change(
        'facts refer to it', 'facts refer to it');
CREATE TRIGGER facts_append_only BEFORE UPDATE OR DELETE ON facts
    FOR EACH ROW EXECUTE FUNCTION epiledger_refuse_change(
        'store a new version instead', 'history is never deleted');
CREATE TRIGGER corrections_append_only BEFORE UPDATE OR DELETE ON corrections
    FOR EACH ROW EXECUTE FUNCTION epiledger_refuse_change(
        'store a new version instead', 'history is never deleted');
CREATE TRIGGER notes_append_only BEFORE UPDATE OR DELETE ON notes
    FOR EACH ROW EXECUTE FUNCTION epiledger_refuse_change(
        'store a new version instead', 'history is never deleted');
CREATE TRIGGER epiledger_migrations_no_truncate BEFORE TRUNCATE ON epiledger_migrations
    FOR EACH STATEMENT EXECUTE FUNCTION epiledger_refuse_change('', 'a migration is applied once');
CREATE TRIGGER day_versions_no_truncate BEFORE TRUNCATE ON day_versions
    FOR EACH STATEMENT EXECUTE FUNCTION epiledger_refuse_change('', 'history is never deleted');
CREATE TRIGGER series_no_truncate BEFORE TRUNCATE ON series
    FOR EACH STATEMENT EXECUTE FUNCTION epiledger_refuse_change('', 'facts refer to it');
CREATE TRIGGER facts_no_truncate BEFORE TRUNCATE ON facts
    FOR EACH STATEMENT EXECUTE FUNCTION epiledger_refuse_change('', 'history is never deleted');
CREATE TRIGGER corrections_no_truncate BEFORE TRUNCATE ON corrections
    FOR EACH STATEMENT EXECUTE FUNCTION epiledger_refuse_change('', 'history is never deleted');
CREATE TRIGGER notes_no_truncate BEFORE TRUNCATE ON notes
    FOR EACH STATEMENT EXECUTE FUNCTION epiledger_refuse_change('', 'history is never deleted');
"#,
    ),
    (
        "the reporting workflow: audit log, tokens, reports, cutoffs, releases, retry keys",
        REPORTING,
    ),
    (
        "the case register's events, as segments under their batch's audit entry",
        CASES,
    ),
];

/// Migration 3: the case register's events, as SQLite's migration 3: segments of canonical
/// interchange CSV, each batch under its audit entry.
const CASES: &str = r#"
CREATE TABLE case_segments (
    audit_seq   bigint      NOT NULL CHECK (audit_seq >= 1),
    part        integer     NOT NULL CHECK (part >= 1),
    recorded_at timestamptz NOT NULL,
    -- LZ4 (block format, the size first) of the CSV.
    data        bytea       NOT NULL,
    PRIMARY KEY (audit_seq, part)
);
CREATE TRIGGER case_segments_append_only BEFORE UPDATE OR DELETE ON case_segments
    FOR EACH ROW EXECUTE FUNCTION epiledger_refuse_change(
        'record a correcting event instead', 'withdraw a card with an event instead');
CREATE TRIGGER case_segments_no_truncate BEFORE TRUNCATE ON case_segments
    FOR EACH STATEMENT EXECUTE FUNCTION epiledger_refuse_change('', 'withdraw a card with an event instead');
"#;

/// Migration 2: the reporting workflow's tables, as SQLite's migration 2. Every table is
/// append-only; a row that records a change names its audit log entry (`audit_seq`), so that a
/// shortened log is detected. Units are text in the `C` collation, so that they sort as codes.
const REPORTING: &str = r#"
CREATE TABLE audit_log (
    seq        bigint      PRIMARY KEY CHECK (seq >= 1),
    at         timestamptz NOT NULL,
    token_id   bigint,
    actor      text        NOT NULL,
    role       text        NOT NULL,
    address    text        NOT NULL,
    request_id text        NOT NULL,
    action     text        NOT NULL,
    target     text        NOT NULL,
    detail     text        NOT NULL,
    prev_hash  text        NOT NULL,
    hash       text        NOT NULL UNIQUE
);

CREATE TABLE tokens (
    id         bigint      GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    hash       text        NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
    role       text        NOT NULL CHECK (role IN ('reporter', 'compiler', 'admin')),
    unit       text COLLATE "C",
    label      text        NOT NULL,
    created_at timestamptz NOT NULL,
    audit_seq  bigint      NOT NULL,
    CHECK ((role = 'reporter') = (unit IS NOT NULL))
);

CREATE TABLE token_revocations (
    token_id   bigint      PRIMARY KEY REFERENCES tokens (id),
    revoked_at timestamptz NOT NULL,
    audit_seq  bigint      NOT NULL
);

CREATE TABLE reports (
    id           bigint      GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    date         date        NOT NULL,
    unit         text COLLATE "C" NOT NULL CHECK (length(unit) = 6),
    version      integer     NOT NULL CHECK (version >= 1),
    reason       text,
    submitted_at timestamptz NOT NULL,
    token_id     bigint,
    content_hash text        NOT NULL,
    body         jsonb       NOT NULL,
    audit_seq    bigint      NOT NULL,
    UNIQUE (date, unit, version),
    CHECK (version = 1 OR reason IS NOT NULL)
);
CREATE INDEX reports_by_unit ON reports (unit, date, version);

CREATE TABLE cutoffs (
    id        bigint      GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    date      date        NOT NULL,
    cutoff    timestamptz NOT NULL,
    set_at    timestamptz NOT NULL,
    audit_seq bigint      NOT NULL
);
CREATE INDEX cutoffs_by_date ON cutoffs (date, id);

CREATE TABLE releases (
    id           bigint      GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    date         date        NOT NULL,
    content_hash text        NOT NULL,
    day          jsonb       NOT NULL,
    basis        jsonb       NOT NULL,
    base_version integer,
    errata       jsonb       NOT NULL,
    note         text,
    approved_by  bigint,
    approved_at  timestamptz NOT NULL,
    audit_seq    bigint      NOT NULL
);
CREATE INDEX releases_by_date ON releases (date, id);

-- What became of an approved release: published (with its number) or superseded, once.
CREATE TABLE release_events (
    release_id bigint      PRIMARY KEY REFERENCES releases (id),
    status     text        NOT NULL CHECK (status IN ('published', 'superseded')),
    number     integer     CHECK ((status = 'published') = (number IS NOT NULL)),
    at         timestamptz NOT NULL,
    by_token   bigint,
    audit_seq  bigint      NOT NULL
);

-- The first answer to a request with an Idempotency-Key (token 0: no token).
CREATE TABLE idempotency (
    token_id     bigint      NOT NULL,
    key          text        NOT NULL,
    request_hash text        NOT NULL,
    response     text        NOT NULL,
    at           timestamptz NOT NULL,
    PRIMARY KEY (token_id, key)
);

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION epiledger_refuse_change(
        'the audit log is never edited', 'the audit log is never deleted');
CREATE TRIGGER tokens_append_only BEFORE UPDATE OR DELETE ON tokens
    FOR EACH ROW EXECUTE FUNCTION epiledger_refuse_change(
        'revoke a token instead', 'revoke a token instead');
CREATE TRIGGER token_revocations_append_only BEFORE UPDATE OR DELETE ON token_revocations
    FOR EACH ROW EXECUTE FUNCTION epiledger_refuse_change(
        'a revocation is final', 'a revocation is final');
CREATE TRIGGER reports_append_only BEFORE UPDATE OR DELETE ON reports
    FOR EACH ROW EXECUTE FUNCTION epiledger_refuse_change(
        'submit a new version instead', 'every version is kept');
CREATE TRIGGER cutoffs_append_only BEFORE UPDATE OR DELETE ON cutoffs
    FOR EACH ROW EXECUTE FUNCTION epiledger_refuse_change(
        'set a new cutoff instead', 'every cutoff is kept');
CREATE TRIGGER releases_append_only BEFORE UPDATE OR DELETE ON releases
    FOR EACH ROW EXECUTE FUNCTION epiledger_refuse_change(
        'a release is immutable', 'a release is immutable');
CREATE TRIGGER release_events_append_only BEFORE UPDATE OR DELETE ON release_events
    FOR EACH ROW EXECUTE FUNCTION epiledger_refuse_change(
        'a publication is immutable', 'a publication is immutable');
CREATE TRIGGER idempotency_append_only BEFORE UPDATE OR DELETE ON idempotency
    FOR EACH ROW EXECUTE FUNCTION epiledger_refuse_change(
        'a stored answer is final', 'a stored answer is final');
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION epiledger_refuse_change('', 'the audit log is never deleted');
CREATE TRIGGER tokens_no_truncate BEFORE TRUNCATE ON tokens
    FOR EACH STATEMENT EXECUTE FUNCTION epiledger_refuse_change('', 'revoke a token instead');
CREATE TRIGGER token_revocations_no_truncate BEFORE TRUNCATE ON token_revocations
    FOR EACH STATEMENT EXECUTE FUNCTION epiledger_refuse_change('', 'a revocation is final');
CREATE TRIGGER reports_no_truncate BEFORE TRUNCATE ON reports
    FOR EACH STATEMENT EXECUTE FUNCTION epiledger_refuse_change('', 'every version is kept');
CREATE TRIGGER cutoffs_no_truncate BEFORE TRUNCATE ON cutoffs
    FOR EACH STATEMENT EXECUTE FUNCTION epiledger_refuse_change('', 'every cutoff is kept');
CREATE TRIGGER releases_no_truncate BEFORE TRUNCATE ON releases
    FOR EACH STATEMENT EXECUTE FUNCTION epiledger_refuse_change('', 'a release is immutable');
CREATE TRIGGER release_events_no_truncate BEFORE TRUNCATE ON release_events
    FOR EACH STATEMENT EXECUTE FUNCTION epiledger_refuse_change('', 'a publication is immutable');
CREATE TRIGGER idempotency_no_truncate BEFORE TRUNCATE ON idempotency
    FOR EACH STATEMENT EXECUTE FUNCTION epiledger_refuse_change('', 'a stored answer is final');
"#;

/// The schema version this program writes.
pub const LATEST: u32 = MIGRATIONS.len() as u32;

/// What the schema holds before any migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Found {
    /// The schema version (0: no ledger yet).
    pub version: u32,
}

/// The schema the connection writes to (the first existing one of `search_path`), checking
/// that the schema named first in `search_path` exists: otherwise PostgreSQL would silently
/// fall back to the next one (usually `public`).
pub(super) fn current_schema(c: &mut impl GenericClient, loc: &str) -> Result<String, StoreError> {
    let row = c
        .query_one(
            "SELECT current_schema(), current_setting('search_path'), current_user",
            &[],
        )
        .map_err(|e| pg_err(loc, "reading the search_path", e))?;
    let current: Option<String> = row.get(0);
    let search_path: String = row.get(1);
    let user: String = row.get(2);
    let wanted = search_path
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .find(|s| !s.is_empty() && (s != "$user" || current.as_deref() == Some(user.as_str())))
        .map(|s| if s == "$user" { user.clone() } else { s });
    match (current, wanted) {
        (Some(current), Some(wanted)) if current == wanted => Ok(current),
        (_, Some(wanted)) => Err(StoreError::Open {
            location: loc.to_string(),
            reason: format!(
                "the schema `{wanted}` named first in the search_path does not exist; create it \
                 (CREATE SCHEMA \"{wanted}\") or name an existing one"
            ),
        }),
        (Some(current), None) => Ok(current),
        (None, None) => Err(StoreError::Open {
            location: loc.to_string(),
            reason: "the search_path names no schema that exists; set one with \
                     ?options=-csearch_path%3DNAME in the URL"
                .to_string(),
        }),
    }
}

/// Reads the schema version, refusing a schema of a newer epiledger and a schema that holds
/// tables of another program.
pub(super) fn check(c: &mut impl GenericClient, loc: &str) -> Result<Found, StoreError> {
    let fail = |e| pg_err(loc, "reading the schema version", e);
    let row = c
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables \
                            WHERE schemaname = current_schema() \
                            AND tablename = 'epiledger_migrations'), \
                    (SELECT count(*) FROM pg_catalog.pg_class cl \
                     JOIN pg_catalog.pg_namespace n ON n.oid = cl.relnamespace \
                     WHERE n.nspname = current_schema() \
                     AND cl.relkind IN ('r', 'p', 'v', 'm', 'f'))",
            &[],
        )
        .map_err(fail)?;
    let has_table: bool = row.get(0);
    let relations: i64 = row.get(1);
    if !has_table {
        if relations > 0 {
            return Err(StoreError::NotALedger {
                location: loc.to_string(),
                reason: format!(
                    "its schema already holds {relations} tables or views of its own and no \
                     epiledger_migrations table; give epiledger a database or a schema of its \
                     own (?options=-csearch_path%3Depiledger after CREATE SCHEMA epiledger)"
                ),
            });
        }
        return Ok(Found { version: 0 });
    }
    let found: i32 = c
        .query_one(
            "SELECT coalesce(max(version), 0) FROM epiledger_migrations",
            &[],
        )
        .map_err(fail)?
        .get(0);
    if found > LATEST as i32 {
        return Err(StoreError::SchemaTooNew {
            location: loc.to_string(),
            found: i64::from(found),
            known: LATEST,
        });
    }
    Ok(Found {
        version: u32::try_from(found).unwrap_or(0),
    })
}

/// Brings the schema up to [`LATEST`], each migration in its own transaction; returns the
/// version this process found under the lock (another process that migrated first leaves it
/// at [`LATEST`]). An up-to-date schema is only read (a read-only replica can open it).
pub(super) fn migrate(
    client: &mut postgres::Client,
    schema: &str,
    loc: &str,
) -> Result<u32, StoreError> {
    if check(client, loc)?.version == LATEST {
        return Ok(LATEST);
    }
    let key = lock_key(schema, "migrate");
    let mut before = None;
    loop {
        let mut tx = client
            .transaction()
            .map_err(|e| pg_err(loc, "starting a transaction to upgrade the schema", e))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&key])
            .map_err(|e| pg_err(loc, "locking the schema to upgrade it", e))?;
        let found = check(&mut tx, loc)?.version;
        let before = *before.get_or_insert(found);
        let Some((description, sql)) = MIGRATIONS.get(found as usize) else {
            return Ok(before); // up to date; the transaction ends having changed nothing
        };
        let version = found + 1;
        let failed = |e: postgres::Error| StoreError::Migration {
            location: loc.to_string(),
            version,
            reason: crate::describe(&e),
        };
        tx.batch_execute(sql).map_err(failed)?;
        tx.execute(
            "INSERT INTO epiledger_migrations (version, description) VALUES ($1, $2)",
            &[&(version as i32), description],
        )
        .map_err(failed)?;
        tx.commit().map_err(failed)?;
    }
}
