//! What is particular to PostgreSQL: migrations, schema checks, append-only triggers, the
//! database clock, lock waits, and concurrent writers. Each test uses a schema of its own of
//! the database that `EPILEDGER_TEST_POSTGRES_URL` names (skipped without it).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use chrono::Utc;
use epiledger_core::{Fact, Measure, Origin, RegionId};
use epiledger_store::testsuite::{date, day, nation, source, synthetic_history, t};
use epiledger_store::{FigureKey, Span};
use epiledger_store::{PutOutcome, Store, StoreError};
use epiledger_store_postgres::testing::TestSchema;
use epiledger_store_postgres::{self, Options, PostgresStore, MIGRATIONS, SCHEMA_VERSION};
use postgres_client::{Client, NoTls};

/// The `postgres` crate under another name (the store's module is `postgres` too).
mod postgres_client {
    pub use ::postgres::{Client, NoTls};
}

/// A plain connection whose search_path is the test's schema.
fn raw(schema: &TestSchema) -> Client {
    let mut c = Client::connect(schema.url(), NoTls).unwrap();
    c.batch_execute(&format!("SET search_path TO \"{}\"", schema.name()))
        .unwrap();
    c
}

#[test]
fn migrates_an_empty_schema_once() {
    let Some(schema) = TestSchema::new("migrates_an_empty_schema_once") else {
        return;
    };
    let first = PostgresStore::migrate(schema.url(), &schema.options()).unwrap();
    assert_eq!((first.from, first.to), (0, SCHEMA_VERSION));
    assert!(first.location.contains(schema.name()), "{}", first.location);
    let again = PostgresStore::migrate(schema.url(), &schema.options()).unwrap();
    assert_eq!((again.from, again.to), (SCHEMA_VERSION, SCHEMA_VERSION));

    let store = schema.connect();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(store.schema(), schema.name());
    assert!(store.is_empty().unwrap());

    let mut c = raw(&schema);
    let rows = c
        .query(
            "SELECT version, description FROM epiledger_migrations ORDER BY version",
            &[],
        )
        .unwrap();
    let applied: Vec<(i32, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    let expected: Vec<(i32, String)> = MIGRATIONS
        .iter()
        .enumerate()
        .map(|(i, (d, _))| (i as i32 + 1, d.to_string()))
        .collect();
    assert_eq!(applied, expected);
    let tables: i64 = c
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = $1",
            &[&schema.name()],
        )
        .unwrap()
        .get(0);
    assert_eq!(
        tables, 15,
        "migrations, day_versions, series, facts, corrections, notes; audit_log, tokens, \
         token_revocations, reports, cutoffs, releases, release_events, idempotency; \
         case_segments"
    );
}

#[test]
fn several_processes_migrating_at_once_migrate_once() {
    let Some(schema) = TestSchema::new("several_processes_migrating_at_once_migrate_once") else {
        return;
    };
    let barrier = Arc::new(Barrier::new(6));
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let (url, options, barrier) =
                (schema.url().to_string(), schema.options(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                PostgresStore::migrate(&url, &options).unwrap()
            })
        })
        .collect();
    let froms: Vec<u32> = handles
        .into_iter()
        .map(|h| h.join().unwrap().from)
        .collect();
    assert_eq!(froms.iter().filter(|f| **f == 0).count(), 1, "{froms:?}");
    let mut c = raw(&schema);
    let n: i64 = c
        .query_one("SELECT count(*) FROM epiledger_migrations", &[])
        .unwrap()
        .get(0);
    assert_eq!(n, i64::from(SCHEMA_VERSION));
}

#[test]
fn refuses_a_schema_of_a_newer_epiledger() {
    let Some(schema) = TestSchema::new("refuses_a_schema_of_a_newer_epiledger") else {
        return;
    };
    drop(schema.connect());
    raw(&schema)
        .execute(
            "INSERT INTO epiledger_migrations (version, description) VALUES ($1, 'from the future')",
            &[&(SCHEMA_VERSION as i32 + 1)],
        )
        .unwrap();
    let err = PostgresStore::connect_with(schema.url(), &schema.options()).unwrap_err();
    assert!(
        matches!(err, StoreError::SchemaTooNew { found, known, .. }
            if found == i64::from(SCHEMA_VERSION) + 1 && known == SCHEMA_VERSION),
        "{err}"
    );
    assert!(err.to_string().contains("upgrade epiledger"), "{err}");
    let err = PostgresStore::migrate(schema.url(), &schema.options()).unwrap_err();
    assert!(matches!(err, StoreError::SchemaTooNew { .. }), "{err}");
}

#[test]
fn refuses_a_schema_of_another_program() {
    let Some(schema) = TestSchema::new("refuses_a_schema_of_another_program") else {
        return;
    };
    raw(&schema)
        .batch_execute("CREATE TABLE customers (id integer)")
        .unwrap();
    let err = PostgresStore::connect_with(schema.url(), &schema.options()).unwrap_err();
    assert!(matches!(err, StoreError::NotALedger { .. }), "{err}");
    assert!(err.to_string().contains("schema of its own"), "{err}");
}

#[test]
fn names_a_missing_schema_and_an_unreachable_server() {
    let Some(schema) = TestSchema::new("names_a_missing_schema_and_an_unreachable_server") else {
        return;
    };
    let sep = if schema.url().contains('?') { '&' } else { '?' };
    let url = format!(
        "{}{sep}options=-csearch_path%3D{}_missing",
        schema.url(),
        schema.name()
    );
    let err = PostgresStore::connect(&url).unwrap_err();
    assert!(
        err.to_string()
            .contains(&format!("schema `{}_missing`", schema.name())),
        "{err}"
    );
    assert!(err.to_string().contains("CREATE SCHEMA"), "{err}");

    let err = PostgresStore::connect("postgres://nobody:secret@127.0.0.1:1/none?connect_timeout=2")
        .unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, StoreError::Open { .. }), "{text}");
    assert!(
        !text.contains("secret"),
        "the password must not show: {text}"
    );
    assert!(
        text.contains("postgres://nobody@127.0.0.1:1/none"),
        "{text}"
    );
    assert!(text.contains("check that PostgreSQL is running"), "{text}");
}

#[test]
fn an_outdated_schema_is_refused_without_migrate() {
    let Some(schema) = TestSchema::new("an_outdated_schema_is_refused_without_migrate") else {
        return;
    };
    let options = Options {
        migrate: false,
        ..schema.options()
    };
    let err = PostgresStore::connect_with(schema.url(), &options).unwrap_err();
    assert!(err.to_string().contains("epiledger migrate"), "{err}");
    PostgresStore::migrate(schema.url(), &schema.options()).unwrap();
    let store = PostgresStore::connect_with(schema.url(), &options).unwrap();
    assert!(store.is_empty().unwrap());
}

#[test]
fn history_cannot_be_changed_in_sql() {
    let Some(schema) = TestSchema::new("history_cannot_be_changed_in_sql") else {
        return;
    };
    let mut store = schema.connect();
    store
        .put_days_at(
            &[(
                day("2020-06-19", vec![nation(Measure::ConfirmedNew, 27)]),
                source("a"),
            )],
            t(1),
        )
        .unwrap();
    let mut c = raw(&schema);
    for (sql, says) in [
        (
            "UPDATE day_versions SET summary = 'x'",
            "day_versions is append-only: store a new version instead",
        ),
        (
            "DELETE FROM day_versions",
            "day_versions is append-only: history is never deleted",
        ),
        ("UPDATE facts SET value = 28", "facts is append-only"),
        ("DELETE FROM facts", "facts is append-only"),
        (
            "UPDATE series SET region = '110000'",
            "series is append-only",
        ),
        ("TRUNCATE facts", "facts is append-only"),
        ("TRUNCATE corrections", "corrections is append-only"),
        ("TRUNCATE notes", "notes is append-only"),
        (
            "DELETE FROM epiledger_migrations",
            "epiledger_migrations is append-only",
        ),
    ] {
        let err = c.batch_execute(sql).unwrap_err();
        let message = err
            .as_db_error()
            .map(|e| e.message().to_string())
            .unwrap_or_default();
        assert!(message.contains(says), "{sql}: {message}");
    }
    let got = store.day(date("2020-06-19"), None).unwrap().unwrap();
    assert_eq!(got.day.facts, vec![nation(Measure::ConfirmedNew, 27)]);
}

#[test]
fn put_days_records_at_the_database_clock() {
    let Some(schema) = TestSchema::new("put_days_records_at_the_database_clock") else {
        return;
    };
    let mut store = schema.connect();
    let before = Utc::now();
    store
        .put_days(&[(
            day("2020-06-19", vec![nation(Measure::ConfirmedNew, 27)]),
            source("a"),
        )])
        .unwrap();
    let after = Utc::now();
    let recorded = store
        .day(date("2020-06-19"), None)
        .unwrap()
        .unwrap()
        .recorded_at;
    // The server runs on this machine in tests; allow for a little skew all the same.
    let slack = chrono::Duration::seconds(5);
    assert!(
        recorded >= before - slack && recorded <= after + slack,
        "{recorded}"
    );
    assert_eq!(recorded, epiledger_store::time::truncate(recorded));
}

#[test]
fn a_writer_that_waits_too_long_is_told_the_ledger_is_busy() {
    let Some(schema) = TestSchema::new("a_writer_that_waits_too_long_is_told_the_ledger_is_busy")
    else {
        return;
    };
    let sep = if schema.url().contains('?') { '&' } else { '?' };
    let url = format!("{}{sep}options=-clock_timeout%3D300ms", schema.url());
    let mut store = PostgresStore::connect_with(&url, &schema.options()).unwrap();
    let mut holder = raw(&schema);
    let mut tx = holder.transaction().unwrap();
    tx.batch_execute("LOCK TABLE day_versions IN EXCLUSIVE MODE")
        .unwrap();
    let started = Instant::now();
    let err = store
        .put_days(&[(
            day("2020-06-19", vec![nation(Measure::ConfirmedNew, 27)]),
            source("a"),
        )])
        .unwrap_err();
    assert!(matches!(err, StoreError::Busy { .. }), "{err}");
    assert!(err.to_string().contains("try again"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(10));
    tx.rollback().unwrap();
    assert!(store.is_empty().unwrap());
    // Once the lock is gone, the same batch goes through.
    store
        .put_days(&[(
            day("2020-06-19", vec![nation(Measure::ConfirmedNew, 27)]),
            source("a"),
        )])
        .unwrap();
}

/// Several threads, each with its own connection, store versions of the same dates at once
/// (each batch also creates new series that the other threads create at the same time): every
/// version number is taken once, and every write is kept.
#[test]
fn concurrent_writers_keep_every_version() {
    let Some(schema) = TestSchema::new("concurrent_writers_keep_every_version") else {
        return;
    };
    const THREADS: usize = 8;
    const ROUNDS: usize = 12;
    let dates = ["2020-06-17", "2020-06-18", "2020-06-19", "2020-06-20"];
    drop(schema.connect()); // migrated once, before the race
    let barrier = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|thread| {
            let barrier = barrier.clone();
            let mut store = schema.connect();
            std::thread::spawn(move || {
                barrier.wait();
                let mut outcomes = Vec::new();
                for round in 0..ROUNDS {
                    // Each thread lists the dates in its own order.
                    let mut order: Vec<&str> = dates.to_vec();
                    order.rotate_left(thread % dates.len());
                    let batch: Vec<_> = order
                        .iter()
                        .map(|d| {
                            // A province per round: every thread creates its series at once.
                            let province: RegionId =
                                format!("{}0000", 11 + round % 50).parse().unwrap();
                            let facts = vec![
                                nation(Measure::ConfirmedNew, (thread * 1000 + round) as i64),
                                Fact {
                                    region: province,
                                    origin: Origin::Local,
                                    measure: Measure::ConfirmedNew,
                                    value: thread as i64,
                                },
                            ];
                            (day(d, facts), source(&format!("{d} t{thread} r{round}")))
                        })
                        .collect();
                    outcomes.extend(store.put_days(&batch).expect("put_days"));
                }
                outcomes
            })
        })
        .collect();
    let outcomes: Vec<PutOutcome> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    assert_eq!(outcomes.len(), THREADS * ROUNDS * dates.len());
    assert!(outcomes.iter().all(PutOutcome::is_stored));

    let store = schema.connect();
    let all = (THREADS * ROUNDS) as u32;
    for d in dates {
        let mut taken: Vec<u32> = outcomes
            .iter()
            .filter(|o| o.date() == date(d))
            .map(PutOutcome::version)
            .collect();
        taken.sort_unstable();
        assert_eq!(
            taken,
            (1..=all).collect::<Vec<_>>(),
            "{d}: every number once"
        );

        let versions = store.versions(date(d)).unwrap();
        assert_eq!(versions.len(), all as usize);
        let sources: BTreeSet<String> = versions.iter().map(|v| v.source.name.clone()).collect();
        let expected: BTreeSet<String> = (0..THREADS)
            .flat_map(|th| (0..ROUNDS).map(move |r| format!("{d} t{th} r{r}")))
            .collect();
        assert_eq!(sources, expected, "{d}: every write kept");
        assert!(
            versions
                .windows(2)
                .all(|w| w[0].recorded_at <= w[1].recorded_at),
            "{d}: versions recorded in order"
        );
        // Each version's summary compares with the one just before it.
        for v in &versions[1..] {
            assert!(
                v.summary.contains("changed"),
                "{d} v{}: {}",
                v.version,
                v.summary
            );
        }
    }
    let stats = store.stats().unwrap();
    assert_eq!(stats.versions, u64::from(all) * dates.len() as u64);
}

/// Two schemas of one database are two ledgers: same dates, no interference.
#[test]
fn schemas_are_separate_ledgers() {
    let (Some(a), Some(b)) = (
        TestSchema::new("schemas_are_separate_ledgers"),
        TestSchema::new("schemas_are_separate_ledgers"),
    ) else {
        return;
    };
    let (mut sa, mut sb) = (a.connect(), b.connect());
    let d = day("2020-06-19", vec![nation(Measure::ConfirmedNew, 27)]);
    sa.put_days_at(&[(d.clone(), source("a"))], t(1)).unwrap();
    assert!(sb.is_empty().unwrap());
    sb.put_days_at(&[(d, source("b"))], t(2)).unwrap();
    assert_eq!(
        sa.versions(date("2020-06-19")).unwrap()[0].source,
        source("a")
    );
    assert_eq!(
        sb.versions(date("2020-06-19")).unwrap()[0].source,
        source("b")
    );
}

/// A larger history: series reads, facts and stats agree with SQLite's answers.
#[test]
fn agrees_with_sqlite_on_a_synthetic_history() {
    let Some(schema) = TestSchema::new("agrees_with_sqlite_on_a_synthetic_history") else {
        return;
    };
    let history = synthetic_history(200, 150);
    let mut pg = schema.connect();
    let mut lite = epiledger_store_sqlite::SqliteStore::open_in_memory().unwrap();
    for store in [&mut pg as &mut dyn Store, &mut lite] {
        store.put_days_at(&history, t(1)).unwrap();
        let mut revised = history[10..20].to_vec();
        for (d, s) in &mut revised {
            d.facts[0].value += 1;
            s.name.push_str(" (revised)");
            s.content_hash = epiledger_store::content::sha256_hex(s.name.as_bytes());
        }
        store.put_days_at(&revised, t(2)).unwrap();
    }
    assert_eq!(pg.stats().unwrap(), lite.stats().unwrap());
    assert_eq!(
        pg.facts(Span::all()).unwrap(),
        lite.facts(Span::all()).unwrap()
    );
    assert_eq!(
        pg.facts(Span::new(None, None, Some(t(1)))).unwrap(),
        lite.facts(Span::new(None, None, Some(t(1)))).unwrap()
    );
    assert_eq!(pg.dates().unwrap(), lite.dates().unwrap());
    let first = &history[0].0.facts[0];
    for as_of in [None, Some(t(1))] {
        let read = |s: &dyn Store| {
            s.series(
                &FigureKey::new(first.region.clone(), first.origin, first.measure),
                Span::new(None, None, as_of),
            )
            .unwrap()
        };
        assert_eq!(read(&pg), read(&lite));
    }
    let versions = |s: &dyn Store| s.versions(date("2020-01-31")).unwrap();
    assert_eq!(versions(&pg), versions(&lite));
    let days = |s: &dyn Store| s.days(Span::all()).unwrap();
    assert_eq!(days(&pg), days(&lite));
    let by_date: BTreeMap<_, _> = days(&pg)
        .into_iter()
        .map(|d| (d.day.date.unwrap(), d.version))
        .collect();
    assert_eq!(by_date.values().filter(|v| **v == 2).count(), 10);
    // The URL helpers the command line relies on.
    assert!(epiledger_store::location::is_postgres_url(schema.url()));
}

/// A connection cut under the store (a server restart, a failover) is replaced: reads go on,
/// and the next batch is stored on the new connection.
#[test]
fn a_lost_connection_is_replaced() {
    let Some(schema) = TestSchema::new("a_lost_connection_is_replaced") else {
        return;
    };
    let name = format!("epl_{}", &schema.name()[15..]);
    let sep = if schema.url().contains('?') { '&' } else { '?' };
    let url = format!("{}{sep}application_name={name}", schema.url());
    let mut store = PostgresStore::connect_with(&url, &schema.options()).unwrap();
    store
        .put_days_at(
            &[(
                day("2020-06-19", vec![nation(Measure::ConfirmedNew, 27)]),
                source("a"),
            )],
            t(1),
        )
        .unwrap();
    let cut = |c: &mut Client| {
        let n: i64 = c
            .query_one(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity \
                 WHERE application_name = $1",
                &[&name],
            )
            .unwrap()
            .get(0);
        assert_eq!(n, 1);
    };
    let mut admin = raw(&schema);
    cut(&mut admin);
    std::thread::sleep(Duration::from_millis(100));
    let got = store.day(date("2020-06-19"), None).unwrap().unwrap();
    assert_eq!(got.version, 1);
    cut(&mut admin);
    std::thread::sleep(Duration::from_millis(100));
    // The cut is noticed by the first statement; a batch is not tried again on its own (was
    // the commit lost or not?), so this one may fail; the next one goes through.
    let batch = [(
        day("2020-06-19", vec![nation(Measure::ConfirmedNew, 28)]),
        source("b"),
    )];
    if let Err(e) = store.put_days_at(&batch, t(2)) {
        assert!(e.to_string().contains("connection"), "{e}");
    }
    let out = store.put_days_at(&batch, t(2)).unwrap();
    assert_eq!(out[0].version(), 2);
}
