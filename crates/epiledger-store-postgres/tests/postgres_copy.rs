//! Copying whole histories between backends: the shipped history SQLite → PostgreSQL →
//! SQLite, with revisions and a version hidden from reads by time, compared version by version
//! and by the newest facts' export. Skipped without `EPILEDGER_TEST_POSTGRES_URL`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::time::Instant;

use epiledger_core::{Date, Fact, Measure};
use epiledger_store::copy::{
    compare_facts, compare_versions, copy_history, CopyError, CopyOptions, ExactVersions,
};
use epiledger_store::testsuite::{date, source, t};
use epiledger_store::Span;
use epiledger_store::{Source, SourceKind, Store};
use epiledger_store_postgres::testing::TestSchema;
use epiledger_store_sqlite::SqliteStore;

/// The shipped history as the command line stores it in a new database.
fn shipped() -> Vec<(epiledger_core::Day, Source)> {
    epiledger_history::load()
        .unwrap()
        .into_iter()
        .map(|d| {
            let source = Source::new(
                SourceKind::Embedded,
                epiledger_history::SOURCE_NAME,
                d.source_hash,
            );
            (d.day, source)
        })
        .collect()
}

/// `export facts` as CSV (the command line's format).
fn export(store: &dyn Store) -> String {
    let mut out = String::from("date,region,origin,measure,value\n");
    for (d, f) in store.facts(Span::all()).unwrap() {
        writeln!(
            out,
            "{d},{},{},{},{}",
            f.region, f.origin, f.measure, f.value
        )
        .unwrap();
    }
    out
}

/// Revisions of two days, and one date stored twice in one batch (its version 1 has the same
/// time as version 2, so reads by time cannot reach it).
fn add_revisions(store: &mut dyn Store) {
    let mut first = store.day(date("2020-06-19"), None).unwrap().unwrap().day;
    first.facts[0].value += 1;
    let mut second = store.day(date("2021-01-01"), None).unwrap().unwrap().day;
    second.facts[0].value += 2;
    let out = store
        .put_days_at(
            &[
                (first, source("revision 2020-06-19")),
                (second, source("revision 2021-01-01")),
            ],
            t(24 * 365 * 5),
        )
        .unwrap();
    assert!(out.iter().all(|o| o.version() == 2));

    let new_day = |v: i64| {
        let mut d = epiledger_core::Day::new(date("2022-12-31"));
        d.facts.push(Fact {
            region: "110000".parse().unwrap(),
            origin: epiledger_core::Origin::Local,
            measure: Measure::ConfirmedNew,
            value: v,
        });
        d
    };
    let out = store
        .put_days_at(
            &[
                (new_day(1), source("late a")),
                (new_day(2), source("late b")),
            ],
            t(24 * 365 * 5 + 1),
        )
        .unwrap();
    assert_eq!(out[1].version(), 2);
}

#[test]
fn copies_the_shipped_history_sqlite_to_postgres_to_sqlite() {
    let Some(schema) = TestSchema::new("copies_the_shipped_history_sqlite_to_postgres_to_sqlite")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut a = SqliteStore::open(dir.path().join("a.db")).unwrap();
    a.put_days_at(&shipped(), t(0)).unwrap();
    add_revisions(&mut a);
    // The hidden version: read by number only.
    assert_eq!(
        a.day(date("2022-12-31"), Some(t(24 * 365 * 5 + 1)))
            .unwrap()
            .unwrap()
            .version,
        2
    );
    let hidden = a.exact_version(date("2022-12-31"), 1).unwrap().unwrap();
    assert_eq!(hidden.day.facts[0].value, 1);
    assert_eq!(hidden.source, source("late a"));

    // SQLite → PostgreSQL.
    let mut pg = schema.connect();
    let started = Instant::now();
    let copied = copy_history(&a, &mut pg, "pg", CopyOptions::default(), &mut |_, _| {}).unwrap();
    let took = started.elapsed();
    assert_eq!(copied.dates, 970);
    assert_eq!(copied.versions, 973);
    assert_eq!(
        (copied.stored, copied.unchanged, copied.batches),
        (973, 0, 3)
    );
    println!(
        "copy sqlite → postgres: {} versions in {:.0} ms",
        copied.versions,
        took.as_secs_f64() * 1e3
    );
    assert_eq!(compare_versions(&a, &pg).unwrap(), None);
    assert!(compare_facts(&a, &pg, None).unwrap().is_same());
    assert_eq!(export(&a), export(&pg));
    assert_eq!(
        pg.exact_version(date("2022-12-31"), 1)
            .unwrap()
            .unwrap()
            .day,
        hidden.day
    );

    // PostgreSQL → SQLite.
    let mut b = SqliteStore::open(dir.path().join("b.db")).unwrap();
    let copied = copy_history(&pg, &mut b, "b.db", CopyOptions::default(), &mut |_, _| {}).unwrap();
    assert_eq!(copied.stored, 973);
    assert_eq!(compare_versions(&pg, &b).unwrap(), None);
    assert_eq!(compare_versions(&a, &b).unwrap(), None);
    assert_eq!(export(&a), export(&b));
    for d in ["2020-06-19", "2022-12-31"] {
        assert_eq!(a.versions(date(d)).unwrap(), b.versions(date(d)).unwrap());
        for v in 1..=2 {
            assert_eq!(
                a.exact_version(date(d), v).unwrap(),
                b.exact_version(date(d), v).unwrap()
            );
        }
    }

    // A non-empty target is refused, unless appending; appending what it holds stores nothing.
    let err = copy_history(&a, &mut pg, "pg", CopyOptions::default(), &mut |_, _| {}).unwrap_err();
    assert!(
        matches!(
            err,
            CopyError::TargetNotEmpty {
                days: 970,
                versions: 973,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("--append"), "{err}");
    let again = copy_history(
        &a,
        &mut pg,
        "pg",
        CopyOptions { append: true },
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!((again.stored, again.unchanged), (0, 973));
    assert_eq!(compare_versions(&a, &pg).unwrap(), None);
}

#[test]
fn appending_adds_only_what_the_target_lacks() {
    let Some(schema) = TestSchema::new("appending_adds_only_what_the_target_lacks") else {
        return;
    };
    let history = shipped();
    let mut pg = schema.connect();
    // The target has the first 100 days; the source all of them, and a revision.
    pg.put_days_at(&history[..100], t(0)).unwrap();
    let mut lite = SqliteStore::open_in_memory().unwrap();
    lite.put_days_at(&history, t(0)).unwrap();
    let mut revised = history[5].clone();
    revised.0.facts[0].value += 1;
    revised.1 = source("revised");
    lite.put_days_at(&[revised], t(1)).unwrap();

    let mut seen = Vec::new();
    let copied = copy_history(
        &lite,
        &mut pg,
        "pg",
        CopyOptions { append: true },
        &mut |done, all| seen.push((done, all)),
    )
    .unwrap();
    assert_eq!((copied.stored, copied.unchanged), (870, 100));
    assert_eq!(seen.last(), Some(&(970, 970)));
    assert_eq!(compare_versions(&lite, &pg).unwrap(), None);
    let dates: BTreeSet<Date> = lite.dates().unwrap().into_iter().collect();
    assert!(compare_facts(&lite, &pg, Some(&dates)).unwrap().is_same());
}

#[test]
fn a_difference_is_named() {
    let mut a = SqliteStore::open_in_memory().unwrap();
    let mut b = SqliteStore::open_in_memory().unwrap();
    let history = shipped();
    a.put_days_at(&history[..3], t(0)).unwrap();
    b.put_days_at(&history[..3], t(0)).unwrap();
    let mut changed = history[1].clone();
    changed.0.facts[0].value += 1;
    changed.1 = source("changed");
    b.put_days_at(&[changed], t(1)).unwrap();
    let cmp = compare_facts(&a, &b, None).unwrap();
    assert_eq!(cmp.differences, 1);
    let first = cmp.first.unwrap();
    assert!(first.starts_with("2020-01-21"), "{first}");
    assert!(first.contains("in the source"), "{first}");
    let versions = compare_versions(&a, &b).unwrap().unwrap();
    assert!(versions.contains("2020-01-21"), "{versions}");
}

#[test]
fn appending_onto_a_diverged_history_is_refused() {
    let Some(schema) = TestSchema::new("appending_onto_a_diverged_history_is_refused") else {
        return;
    };
    let history = shipped();
    let mut pg = schema.connect();
    let mut other = history[0].clone();
    other.0.facts[0].value += 1;
    other.1 = source("another history");
    pg.put_days_at(&[other], t(5)).unwrap();
    let mut lite = SqliteStore::open_in_memory().unwrap();
    lite.put_days_at(&history[..2], t(1)).unwrap();
    let err = copy_history(
        &lite,
        &mut pg,
        "pg",
        CopyOptions { append: true },
        &mut |_, _| {},
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            CopyError::Older {
                version: 1,
                target_version: 1,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("diverged"), "{err}");
    assert_eq!(
        pg.stats().unwrap().versions,
        1,
        "nothing of the batch was stored"
    );
}
