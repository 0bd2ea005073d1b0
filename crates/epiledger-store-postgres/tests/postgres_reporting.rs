//! The conformance suite of `ReportingStore` against PostgreSQL, each test in a schema of its
//! own of the database that `EPILEDGER_TEST_POSTGRES_URL` names (skipped without it); and what
//! only several connections show: concurrent writers keep every report, one audit chain and
//! one publication of a day.

use std::sync::Barrier;

use epiledger_core::{Date, Day, Fact, Measure, Origin, RegionId};
use epiledger_store::reporting_testsuite::{actor, report, t};
use epiledger_store::Refusal;
use epiledger_store::{
    auditlog, Applied, BasisEntry, Change, ChangeError, ChangeRequest, ReportingStore, Store,
};
use epiledger_store_postgres::testing::TestSchema;

fn with_store(test: &mut dyn FnMut(&mut dyn ReportingStore)) {
    let thread = std::thread::current();
    let Some(schema) = TestSchema::new(thread.name().unwrap_or("PostgreSQL reporting test")) else {
        return;
    };
    let mut store = schema.connect();
    test(&mut store);
}

epiledger_store::reporting_testsuite!(with_store);

/// The 31 provinces and the corps.
const UNITS: [&str; 32] = [
    "110000", "120000", "130000", "140000", "150000", "210000", "220000", "230000", "310000",
    "320000", "330000", "340000", "350000", "360000", "370000", "410000", "420000", "430000",
    "440000", "450000", "460000", "500000", "510000", "520000", "530000", "540000", "610000",
    "620000", "630000", "640000", "650000", "660000",
];

fn submit(unit: &str, n: i64, reason: Option<&str>) -> ChangeRequest {
    ChangeRequest {
        change: Change::SubmitReport {
            report: report("2023-01-05", unit, n),
            reason: reason.map(str::to_string),
        },
        actor: actor(Some(1)),
        idempotency: None,
    }
}

#[test]
fn concurrent_writers_keep_every_report_and_one_chain() {
    let Some(schema) = TestSchema::new("concurrent_writers_keep_every_report_and_one_chain") else {
        return;
    };
    drop(schema.connect()); // migrate once
    let barrier = Barrier::new(4);
    std::thread::scope(|s| {
        for w in 0..4 {
            let (schema, barrier) = (&schema, &barrier);
            s.spawn(move || {
                let mut store = schema.connect();
                barrier.wait();
                for (i, unit) in UNITS.iter().enumerate().filter(|(i, _)| i % 4 == w) {
                    let n = i as i64;
                    // Version 1, then a revision, each in a batch of its own.
                    for r in store.apply_changes(&[submit(unit, n, None)], t(1)).unwrap() {
                        r.unwrap();
                    }
                    for r in store
                        .apply_changes(&[submit(unit, n + 100, Some("late"))], t(2))
                        .unwrap()
                    {
                        r.unwrap();
                    }
                }
            });
        }
    });
    let store = schema.connect();
    let d: Date = "2023-01-05".parse().unwrap();
    let reports = store.day_reports(d, None).unwrap();
    assert_eq!(reports.len(), 32);
    for r in &reports {
        assert_eq!(r.newest.version, 2);
        let versions = store.report_versions(d, r.newest.report.unit).unwrap();
        assert_eq!(
            versions.iter().map(|v| v.version).collect::<Vec<_>>(),
            [1, 2]
        );
    }
    let v = auditlog::verify(&store).unwrap();
    assert!(v.is_ok(), "{v:?}");
    assert_eq!(v.entries, 64);
}

fn compiled(n: i64) -> Day {
    let mut d = Day::new("2023-01-05".parse().unwrap());
    d.facts.push(Fact {
        region: RegionId::NATION,
        origin: Origin::Local,
        measure: Measure::ConfirmedNew,
        value: n,
    });
    d
}

#[test]
fn two_compilers_publish_a_day_once() {
    let Some(schema) = TestSchema::new("two_compilers_publish_a_day_once") else {
        return;
    };
    let mut first = schema.connect();
    for r in first
        .apply_changes(&[submit("110000", 3, None)], t(1))
        .unwrap()
    {
        r.unwrap();
    }
    let approve = ChangeRequest {
        change: Change::ApproveRelease {
            date: "2023-01-05".parse().unwrap(),
            day: compiled(3),
            basis: vec![BasisEntry {
                unit: "110000".parse().unwrap(),
                version: 1,
            }],
            base_version: None,
            errata: vec![],
            note: None,
        },
        actor: actor(Some(2)),
        idempotency: None,
    };
    let id = match &first.apply_changes(&[approve], t(2)).unwrap()[0] {
        Ok(c) => match &c.applied {
            Applied::Release { release } => release.id,
            other => panic!("not a release: {other:?}"),
        },
        Err(e) => panic!("{e}"),
    };
    drop(first);
    // Both compilers publish the approved release at the same time, on connections of their
    // own: exactly one publication, the other gets the conflict SQLite gives.
    let barrier = Barrier::new(2);
    let results: Vec<Result<(), ChangeError>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let (schema, barrier) = (&schema, &barrier);
                s.spawn(move || {
                    let mut store = schema.connect();
                    let publish = ChangeRequest {
                        change: Change::PublishRelease { id },
                        actor: actor(Some(2)),
                        idempotency: None,
                    };
                    barrier.wait();
                    store
                        .apply_changes(&[publish], t(3))
                        .unwrap()
                        .pop()
                        .unwrap()
                        .map(|_| ())
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(ok, 1, "{results:?}");
    let err = results.into_iter().find_map(Result::err).unwrap();
    assert!(
        matches!(&err, ChangeError::Refused(Refusal::Conflict(m)) if m.contains("already published")),
        "{err}"
    );
    let store = schema.connect();
    let d: Date = "2023-01-05".parse().unwrap();
    assert_eq!(store.versions(d).unwrap().len(), 1);
    assert!(auditlog::verify(&store).unwrap().is_ok());
}
