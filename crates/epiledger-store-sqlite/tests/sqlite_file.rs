//! What is particular to SQLite files: creation, schema versions, WAL, damage, speed.

use std::time::Instant;

use epiledger_core::{Measure, Origin, RegionId};
use epiledger_store::testsuite::{date, day, nation, source, synthetic_history, t};
use epiledger_store::{FigureKey, Span};
use epiledger_store::{Store, StoreError};
use epiledger_store_sqlite::SqliteStore;
use epiledger_store_sqlite::APPLICATION_ID;
use rusqlite::Connection;

fn raw(path: &std::path::Path) -> Connection {
    Connection::open(path).unwrap()
}

/// A ledger file with one day in two versions, closed.
fn ledger_with_history(dir: &std::path::Path) -> std::path::PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("ledger.sqlite");
    let mut store = SqliteStore::open(&path).unwrap();
    let mut d = day("2020-06-19", vec![nation(Measure::ConfirmedNew, 27)]);
    store
        .put_days_at(&[(d.clone(), source("a"))], t(1))
        .unwrap();
    d.facts[0].value = 28;
    d.notes.push(epiledger_core::Note {
        kind: epiledger_core::NoteKind::Remark,
        region: None,
        values: vec![],
        text: Some("x".into()),
    });
    store.put_days_at(&[(d, source("b"))], t(2)).unwrap();
    path
}

#[test]
fn creates_the_file_and_migrates_from_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.sqlite");
    assert!(!path.exists());
    let store = SqliteStore::open(&path).unwrap();
    assert!(path.exists());
    assert_eq!(
        store.schema_version().unwrap(),
        SqliteStore::SCHEMA_VERSION as i64
    );
    assert!(store.is_empty().unwrap());
    assert_eq!(store.location(), path.display().to_string());

    let conn = raw(&path);
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        tables,
        [
            "audit_log",
            "case_segments",
            "corrections",
            "cutoffs",
            "day_versions",
            "facts",
            "idempotency",
            "notes",
            "release_events",
            "releases",
            "reports",
            "series",
            "token_revocations",
            "tokens"
        ]
    );
    let app_id: i64 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!(app_id, APPLICATION_ID);

    // An existing empty file (0 bytes) is a new ledger too.
    let empty = dir.path().join("empty.sqlite");
    std::fs::write(&empty, b"").unwrap();
    let store = SqliteStore::open(&empty).unwrap();
    assert_eq!(
        store.schema_version().unwrap(),
        SqliteStore::SCHEMA_VERSION as i64
    );
    // Opening an up-to-date ledger again changes nothing.
    drop(store);
    let store = SqliteStore::open(&empty).unwrap();
    assert!(store.is_empty().unwrap());
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = ledger_with_history(dir.path());
    raw(&path)
        .pragma_update(None, "user_version", SqliteStore::SCHEMA_VERSION + 1)
        .unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::SchemaTooNew { found, known, .. }
            if found == i64::from(SqliteStore::SCHEMA_VERSION) + 1
                && known == SqliteStore::SCHEMA_VERSION),
        "{err}"
    );
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("upgrade epiledger"), "{msg}");
}

#[test]
fn other_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();

    let other = dir.path().join("other.sqlite");
    raw(&other).execute_batch("CREATE TABLE t (x)").unwrap();
    let err = SqliteStore::open(&other).unwrap_err();
    assert!(matches!(err, StoreError::NotALedger { .. }), "{err}");
    // … and left as it was.
    let n: i64 = raw(&other)
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "这不是数据库。".repeat(200)).unwrap();
    let err = SqliteStore::open(&text).unwrap_err();
    assert!(matches!(err, StoreError::NotALedger { .. }), "{err}");
    assert!(err.to_string().contains("notes.txt"), "{err}");

    let missing = dir.path().join("no/such/dir/ledger.sqlite");
    let err = SqliteStore::open(&missing).unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err}");
    assert!(err.to_string().contains("directory exists"), "{err}");
}

#[test]
fn the_file_is_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let mut store = SqliteStore::open(&path).unwrap();
    let mode: String = raw(&path)
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    store
        .put_days_at(&[(day("2020-06-19", vec![]), source("a"))], t(1))
        .unwrap();
    assert!(dir.path().join("ledger.sqlite-wal").exists());
    // A second connection reads while the store is open.
    let other = SqliteStore::open(&path).unwrap();
    assert_eq!(other.dates().unwrap(), vec![date("2020-06-19")]);
}

#[test]
fn history_is_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = ledger_with_history(dir.path());
    let conn = raw(&path);
    for sql in [
        "UPDATE facts SET value = 1",
        "DELETE FROM facts",
        "UPDATE day_versions SET summary = ''",
        "DELETE FROM day_versions WHERE version = 2",
        "DELETE FROM notes",
        "UPDATE series SET region = '110000'",
    ] {
        let err = conn.execute(sql, []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
}

/// Damages a stored value behind the store's back (the triggers must go first).
fn damage(path: &std::path::Path, sql: &str) {
    let conn = raw(path);
    for t in ["series", "day_versions", "notes"] {
        conn.execute_batch(&format!("DROP TRIGGER IF EXISTS {t}_no_update"))
            .unwrap();
    }
    conn.execute_batch(sql).unwrap();
}

#[test]
fn damaged_rows_are_errors_that_name_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = ledger_with_history(dir.path());
    damage(&path, "UPDATE series SET region = '11000x'");
    let store = SqliteStore::open(&path).unwrap();
    let err = store.day(date("2020-06-19"), None).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains("facts row (2020-06-19 version 2: `11000x`"),
        "{msg}"
    );
    assert!(msg.contains("ledger.sqlite"), "{msg}");
    assert!(msg.contains("restore the file from a backup"), "{msg}");
    let err = store.facts(Span::all()).unwrap_err();
    assert!(err.to_string().contains("series row 1 (`11000x`"), "{err}");
    // What does not touch the damaged row still reads.
    assert_eq!(store.versions(date("2020-06-19")).unwrap().len(), 2);

    let path = ledger_with_history(&dir.path().join("2"));
    damage(
        &path,
        "UPDATE day_versions SET recorded_at = 'yesterday' WHERE version = 2",
    );
    let err = SqliteStore::open(&path)
        .unwrap()
        .versions(date("2020-06-19"))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("day_versions row 2 (date `2020-06-19`)"),
        "{err}"
    );

    let path = ledger_with_history(&dir.path().join("3"));
    damage(&path, "UPDATE notes SET json = '{\"kind\": \"gossip\"}'");
    let err = SqliteStore::open(&path)
        .unwrap()
        .day(date("2020-06-19"), None)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("notes row 0 of 2020-06-19 version 2"),
        "{err}"
    );

    let path = ledger_with_history(&dir.path().join("4"));
    damage(&path, "UPDATE day_versions SET source_kind = 'rumour'");
    let err = SqliteStore::open(&path)
        .unwrap()
        .days(Span::all())
        .unwrap_err();
    assert!(err.to_string().contains("rumour"), "{err}");
}

/// A history of the real size: 969 days × 150 facts. Prints timings; asserts no times.
#[test]
fn import_and_query_a_full_history() {
    let history = synthetic_history(969, 150);
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path().join("ledger.sqlite")).unwrap();

    let start = Instant::now();
    let out = store.put_days(&history).unwrap();
    let import = start.elapsed();
    assert!(out.iter().all(|o| o.version() == 1 && o.is_stored()));

    let start = Instant::now();
    let again = store.put_days(&history).unwrap();
    let reimport = start.elapsed();
    assert!(again.iter().all(|o| !o.is_stored()));

    let region: RegionId = "110000".parse().unwrap();
    let start = Instant::now();
    let series = store
        .series(
            &FigureKey::new(region.clone(), Origin::All, Measure::ConfirmedNew),
            Span::all(),
        )
        .unwrap();
    let series_time = start.elapsed();
    assert_eq!(series.len(), 969);

    let start = Instant::now();
    let one = store.day(date("2021-06-01"), None).unwrap().unwrap();
    let day_time = start.elapsed();
    assert_eq!(one.day.facts.len(), 150);

    let start = Instant::now();
    let all = store.days(Span::all()).unwrap();
    let days_time = start.elapsed();
    assert_eq!(all.len(), 969);

    let start = Instant::now();
    let facts = store
        .facts(Span::new(None, None, Some(chrono::Utc::now())))
        .unwrap();
    let facts_time = start.elapsed();
    assert_eq!(facts.len(), 969 * 150);

    let stats = store.stats().unwrap();
    assert_eq!(
        (stats.days, stats.versions, stats.facts),
        (969, 969, 969 * 150)
    );
    eprintln!(
        "969 days × 150 facts: import {import:?}, re-import (unchanged) {reimport:?}, \
         series {series_time:?}, day {day_time:?}, days {days_time:?}, facts {facts_time:?}"
    );
}
