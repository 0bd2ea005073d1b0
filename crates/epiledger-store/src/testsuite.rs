//! The conformance tests of [`Store`], for every backend (feature `testsuite`).
//!
//! Each test takes an empty store. A backend runs them all with [`crate::store_testsuite!`],
//! giving a function that calls a test with a fresh store and cleans up after it:
//!
//! ```ignore
//! use epiledger_store::Store;
//! use epiledger_store_sqlite::SqliteStore;
//!
//! fn with_store(test: &mut dyn FnMut(&mut dyn Store)) {
//!     let dir = tempfile::tempdir().unwrap();
//!     let mut store = SqliteStore::open(dir.path().join("ledger.sqlite")).unwrap();
//!     test(&mut store);
//! }
//! epiledger_store::store_testsuite!(with_store);
//! # fn main() {}
//! ```
//!
//! [`reopen_persists`] needs a store that can be opened twice and is run on its own.

use chrono::{DateTime, Duration, TimeZone, Utc};
use epiledger_core::{
    Correction, CorrectionKind, Date, Day, DayDiff, Fact, FactChange, Measure, Note, NoteKind,
    NoteValue, Origin, RegionId,
};

use crate::{content, PutOutcome, Source, SourceKind, Store, StoreError};
use crate::{FigureKey, Span};

/// Runs every test of the suite that needs only a fresh store, one `#[test]` each.
/// `$with_store` is a `fn(&mut dyn FnMut(&mut dyn Store))` that calls the test with a new, empty
/// store and cleans up afterwards.
#[macro_export]
macro_rules! store_testsuite {
    ($with_store:path) => {
        $crate::store_testsuite!(@tests $with_store;
            empty_store_reads_nothing,
            insert_and_read,
            unchanged_on_same_source_hash,
            unchanged_on_same_content,
            revision_with_diff,
            as_of_reads_old_versions,
            each_day_at_its_own_time,
            batch_is_atomic,
            invalid_days_are_refused,
            same_date_twice_in_a_batch,
            clock_going_back_is_refused,
            series_skips_missing_days,
            facts_are_sorted_and_current,
            corrections_and_notes_round_trip,
            areas_round_trip,
        );
    };
    (@tests $with_store:path; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                $with_store(&mut |store: &mut dyn $crate::Store| {
                    $crate::testsuite::$name(store)
                });
            }
        )*
    };
}

/// A fixed time: 2022-01-01 00:00 UTC plus `hours`.
pub fn t(hours: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2022, 1, 1, 0, 0, 0).unwrap() + Duration::hours(hours)
}

/// A date from `YYYY-MM-DD`.
pub fn date(s: &str) -> Date {
    s.parse().unwrap()
}

/// A fact of a region written `110000` or `620000:兰州新区`.
pub fn fact(region: &str, origin: Origin, measure: Measure, value: i64) -> Fact {
    Fact {
        region: region.parse().unwrap(),
        origin,
        measure,
        value,
    }
}

/// A national, all-origin fact.
pub fn nation(measure: Measure, value: i64) -> Fact {
    fact("100000", Origin::All, measure, value)
}

/// A day with facts.
pub fn day(date_text: &str, facts: Vec<Fact>) -> Day {
    Day {
        date: Some(date(date_text)),
        facts,
        ..Day::default()
    }
}

/// A bulletin source whose hash is that of its name.
pub fn source(name: &str) -> Source {
    Source::from_bytes(SourceKind::Bulletin, name, name.as_bytes())
}

/// `n` consecutive days from 2020-01-20 with `facts_per_day` facts each, over provinces,
/// origins and measures, each from its own source: a history like the real one.
pub fn synthetic_history(n: usize, facts_per_day: usize) -> Vec<(Day, Source)> {
    let provinces: Vec<RegionId> = (11..=65)
        .map(|p| format!("{p}0000").parse().unwrap())
        .collect();
    let mut date = date("2020-01-20");
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let mut d = Day::new(date);
        for j in 0..facts_per_day {
            let measure = Measure::ALL[j % Measure::ALL.len()];
            let rest = j / Measure::ALL.len();
            d.facts.push(Fact {
                region: provinces[rest % provinces.len()].clone(),
                origin: Origin::ALL[(rest / provinces.len()) % 3],
                measure,
                value: ((i * 31 + j * 7) % 1000) as i64,
            });
        }
        d.normalize();
        out.push((d, source(&format!("bulletin/{date}.txt"))));
        date = date.succ();
    }
    out
}

fn put(store: &mut dyn Store, days: &[(Day, Source)], at: DateTime<Utc>) -> Vec<PutOutcome> {
    store.put_days_at(days, at).expect("put_days_at")
}

/// An empty store reads as empty.
pub fn empty_store_reads_nothing(store: &mut dyn Store) {
    assert!(store.is_empty().unwrap());
    assert_eq!(store.stats().unwrap(), Default::default());
    assert!(store.dates().unwrap().is_empty());
    assert!(store.day(date("2020-06-19"), None).unwrap().is_none());
    assert!(store.days(Span::all()).unwrap().is_empty());
    assert!(store.versions(date("2020-06-19")).unwrap().is_empty());
    assert!(store.facts(Span::all()).unwrap().is_empty());
    let s = store.series(
        &FigureKey::new(RegionId::NATION.clone(), Origin::All, Measure::ConfirmedNew),
        Span::all(),
    );
    assert!(s.unwrap().is_empty());
    assert!(put(store, &[], t(0)).is_empty());
}

/// New dates are inserted as version 1 and read back as given, facts in canonical order.
pub fn insert_and_read(store: &mut dyn Store) {
    let a = day(
        "2020-06-19",
        vec![
            nation(Measure::DeathsNew, 0),
            nation(Measure::ConfirmedNew, 27),
        ],
    );
    let b = day("2020-06-18", vec![nation(Measure::ConfirmedNew, 28)]);
    let out = put(
        store,
        &[(a.clone(), source("a")), (b.clone(), source("b"))],
        t(1),
    );
    assert_eq!(
        out,
        vec![
            PutOutcome::Inserted {
                date: date("2020-06-19"),
                version: 1
            },
            PutOutcome::Inserted {
                date: date("2020-06-18"),
                version: 1
            },
        ]
    );
    let got = store.day(date("2020-06-19"), None).unwrap().unwrap();
    assert_eq!(got.day, content::canonical(&a));
    assert_eq!(got.version, 1);
    assert_eq!(got.source, source("a"));
    assert_eq!(got.recorded_at, t(1));
    assert_eq!(got.content_hash, content::content_hash(&a));

    assert!(!store.is_empty().unwrap());
    assert_eq!(
        store.dates().unwrap(),
        vec![date("2020-06-18"), date("2020-06-19")]
    );
    let days = store.days(Span::all()).unwrap();
    let dates: Vec<_> = days.iter().map(|d| d.day.date.unwrap()).collect();
    assert_eq!(dates, vec![date("2020-06-18"), date("2020-06-19")]);
    let only = store
        .days(Span::new(Some(date("2020-06-19")), None, None))
        .unwrap();
    assert_eq!(only.len(), 1);
    assert_eq!(only[0].day, got.day);
    assert!(store
        .days(Span::new(None, Some(date("2020-06-17")), None))
        .unwrap()
        .is_empty());

    let stats = store.stats().unwrap();
    assert_eq!((stats.days, stats.versions, stats.facts), (2, 2, 3));
    let versions = store.versions(date("2020-06-19")).unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].version, 1);
    assert_eq!(versions[0].summary, "first version: 2 figures");
}

/// A day from a source with the same hash as the newest version's is not stored again, even
/// if it reads differently.
pub fn unchanged_on_same_source_hash(store: &mut dyn Store) {
    let a = day("2020-06-19", vec![nation(Measure::ConfirmedNew, 27)]);
    put(store, &[(a.clone(), source("a"))], t(1));
    let mut b = a.clone();
    b.facts[0].value = 99;
    let out = put(store, &[(b, source("a"))], t(2));
    assert_eq!(
        out,
        vec![PutOutcome::Unchanged {
            date: date("2020-06-19"),
            version: 1
        }]
    );
    let got = store.day(date("2020-06-19"), None).unwrap().unwrap();
    assert_eq!((got.version, got.day.facts[0].value), (1, 27));
    assert_eq!(store.stats().unwrap().versions, 1);
}

/// The same content from another source (facts in another order) is not stored again.
pub fn unchanged_on_same_content(store: &mut dyn Store) {
    let a = day(
        "2020-06-19",
        vec![
            nation(Measure::ConfirmedNew, 27),
            nation(Measure::DeathsNew, 0),
        ],
    );
    put(store, &[(a.clone(), source("a"))], t(1));
    let mut b = a.clone();
    b.facts.reverse();
    let out = put(store, &[(b, source("b"))], t(2));
    assert_eq!(
        out,
        vec![PutOutcome::Unchanged {
            date: date("2020-06-19"),
            version: 1
        }]
    );
    let got = store.day(date("2020-06-19"), None).unwrap().unwrap();
    assert_eq!(got.source, source("a"));
    assert_eq!(store.versions(date("2020-06-19")).unwrap().len(), 1);
}

/// Different content is a new version with its diff; the old version stays as it was.
pub fn revision_with_diff(store: &mut dyn Store) {
    let v1 = day(
        "2020-06-19",
        vec![
            nation(Measure::ConfirmedNew, 27),
            nation(Measure::DeathsNew, 1),
        ],
    );
    let v2 = day(
        "2020-06-19",
        vec![
            nation(Measure::ConfirmedNew, 28),
            nation(Measure::SuspectedNew, 3),
        ],
    );
    put(store, &[(v1.clone(), source("v1"))], t(1));
    let out = put(store, &[(v2.clone(), source("v2"))], t(2));
    let expected = DayDiff {
        facts: vec![
            FactChange::Changed {
                region: RegionId::NATION,
                origin: Origin::All,
                measure: Measure::ConfirmedNew,
                old: 27,
                new: 28,
            },
            FactChange::Removed(nation(Measure::DeathsNew, 1)),
            FactChange::Added(nation(Measure::SuspectedNew, 3)),
        ],
        corrections_changed: false,
        notes_changed: false,
    };
    assert_eq!(
        out,
        vec![PutOutcome::Revised {
            date: date("2020-06-19"),
            version: 2,
            diff: expected
        }]
    );
    let got = store.day(date("2020-06-19"), None).unwrap().unwrap();
    assert_eq!((got.version, &got.source), (2, &source("v2")));
    assert_eq!(got.day, content::canonical(&v2));

    let versions = store.versions(date("2020-06-19")).unwrap();
    assert_eq!(
        versions.iter().map(|v| v.version).collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(versions[0].source, source("v1"));
    assert_eq!(versions[0].recorded_at, t(1));
    assert_eq!(versions[1].recorded_at, t(2));
    assert_eq!(versions[1].summary, "1 figure changed, 1 added, 1 removed");
    assert_eq!(versions[1].content_hash, content::content_hash(&v2));
    let stats = store.stats().unwrap();
    assert_eq!((stats.days, stats.versions, stats.facts), (1, 2, 2));

    // Going back to the first content is a third version, not a rewind.
    let out = put(store, &[(v1.clone(), source("v1 again"))], t(3));
    assert_eq!(out[0].version(), 3);
    assert!(out[0].is_stored());
}

/// `as_of` reads the newest version recorded at or before it.
/// A batch of days each recorded at its own time (a published history): one transaction, and
/// reads as of a time between them see only the days recorded by then.
pub fn each_day_at_its_own_time(store: &mut dyn Store) {
    let batch = vec![
        (
            day("2020-06-18", vec![nation(Measure::ConfirmedNew, 25)]),
            source("a"),
            t(10),
        ),
        (
            day("2020-06-19", vec![nation(Measure::ConfirmedNew, 27)]),
            source("b"),
            t(20),
        ),
        (
            day("2020-06-19", vec![nation(Measure::ConfirmedNew, 28)]),
            source("c"),
            t(30),
        ),
    ];
    let out = store.put_days_timed(&batch).unwrap();
    assert_eq!(
        out.iter().map(|o| o.version()).collect::<Vec<_>>(),
        [1, 1, 2]
    );
    let known = |h: i64| {
        store
            .days(Span::new(None, None, Some(t(h))))
            .unwrap()
            .iter()
            .map(|d| (d.day.date.unwrap().to_string(), d.version))
            .collect::<Vec<_>>()
    };
    assert!(known(9).is_empty());
    assert_eq!(known(15), [("2020-06-18".to_string(), 1)]);
    assert_eq!(known(25)[1], ("2020-06-19".to_string(), 1));
    assert_eq!(known(35)[1], ("2020-06-19".to_string(), 2));
    assert_eq!(
        store.versions(date("2020-06-19")).unwrap()[0].recorded_at,
        t(20)
    );
}

/// Reads as of a time see the versions recorded by then.
pub fn as_of_reads_old_versions(store: &mut dyn Store) {
    let d = "2020-06-19";
    put(
        store,
        &[(
            day(d, vec![nation(Measure::ConfirmedNew, 27)]),
            source("v1"),
        )],
        t(10),
    );
    put(
        store,
        &[(
            day(d, vec![nation(Measure::ConfirmedNew, 28)]),
            source("v2"),
        )],
        t(20),
    );
    put(
        store,
        &[(
            day("2020-06-20", vec![nation(Measure::ConfirmedNew, 5)]),
            source("x"),
        )],
        t(20),
    );

    let at = |h: i64| store.day(date(d), Some(t(h))).unwrap().map(|s| s.version);
    assert_eq!(at(9), None);
    assert_eq!(at(10), Some(1));
    assert_eq!(at(19), Some(1));
    assert_eq!(at(20), Some(2));
    assert_eq!(store.day(date(d), None).unwrap().unwrap().version, 2);
    // Sub-second instants compare exactly.
    let just_before = t(20) - Duration::microseconds(1);
    assert_eq!(
        store
            .day(date(d), Some(just_before))
            .unwrap()
            .unwrap()
            .version,
        1
    );

    let old = store.days(Span::new(None, None, Some(t(15)))).unwrap();
    assert_eq!(old.len(), 1);
    assert_eq!(old[0].day.facts[0].value, 27);
    assert_eq!(
        store.days(Span::new(None, None, Some(t(5)))).unwrap().len(),
        0
    );
    assert_eq!(store.days(Span::all()).unwrap().len(), 2);

    let series = |as_of| {
        store
            .series(
                &FigureKey::new(RegionId::NATION.clone(), Origin::All, Measure::ConfirmedNew),
                Span::new(None, None, as_of),
            )
            .unwrap()
    };
    assert_eq!(series(Some(t(15))), vec![(date(d), 27)]);
    assert_eq!(series(None), vec![(date(d), 28), (date("2020-06-20"), 5)]);

    let facts = store.facts(Span::new(None, None, Some(t(15)))).unwrap();
    assert_eq!(facts, vec![(date(d), nation(Measure::ConfirmedNew, 27))]);
}

/// A batch with a bad day stores nothing, not even the good days before it.
pub fn batch_is_atomic(store: &mut dyn Store) {
    put(
        store,
        &[(
            day("2020-06-18", vec![nation(Measure::ConfirmedNew, 1)]),
            source("s"),
        )],
        t(1),
    );
    let good = day("2020-06-19", vec![nation(Measure::ConfirmedNew, 27)]);
    let revision = day("2020-06-18", vec![nation(Measure::ConfirmedNew, 2)]);
    let undated = Day {
        date: None,
        ..good.clone()
    };
    let err = store
        .put_days_at(
            &[
                (good, source("good")),
                (revision, source("revision")),
                (undated, source("undated")),
            ],
            t(2),
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::InvalidDay {
                position: 3,
                date: None,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().contains("nothing of the batch was stored"),
        "{err}"
    );
    assert_eq!(store.dates().unwrap(), vec![date("2020-06-18")]);
    assert_eq!(store.stats().unwrap().versions, 1);
    assert_eq!(
        store
            .day(date("2020-06-18"), None)
            .unwrap()
            .unwrap()
            .version,
        1
    );
}

/// Days without a date, with one figure given twice, or with a bad source hash are refused.
pub fn invalid_days_are_refused(store: &mut dyn Store) {
    let undated = Day::default();
    let err = store
        .put_days_at(&[(undated, source("u"))], t(1))
        .unwrap_err();
    assert!(err.to_string().contains("no date"), "{err}");

    let twice = day(
        "2020-06-19",
        vec![
            nation(Measure::ConfirmedNew, 1),
            nation(Measure::ConfirmedNew, 2),
        ],
    );
    let err = store
        .put_days_at(&[(twice, source("t"))], t(1))
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::InvalidDay {
                position: 1,
                date: Some(_),
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("2020-06-19"), "{err}");

    let ok = day("2020-06-19", vec![nation(Measure::ConfirmedNew, 1)]);
    let bad = Source::new(SourceKind::Report, "r", "not-a-hash");
    let err = store.put_days_at(&[(ok.clone(), bad)], t(1)).unwrap_err();
    assert!(err.to_string().contains("not-a-hash"), "{err}");
    assert!(store.is_empty().unwrap());

    // Exact duplicates are one fact.
    let mut dup = ok.clone();
    dup.facts.push(dup.facts[0].clone());
    put(store, &[(dup, source("d"))], t(1));
    assert_eq!(
        store.day(date("2020-06-19"), None).unwrap().unwrap().day,
        ok
    );
}

/// The same date twice in one batch: the second compares with the first.
pub fn same_date_twice_in_a_batch(store: &mut dyn Store) {
    let a = day("2020-06-19", vec![nation(Measure::ConfirmedNew, 27)]);
    let b = day("2020-06-19", vec![nation(Measure::ConfirmedNew, 28)]);
    let out = put(
        store,
        &[
            (a.clone(), source("a")),
            (b.clone(), source("b")),
            (b, source("c")),
        ],
        t(1),
    );
    assert_eq!(
        out.iter()
            .map(|o| (o.version(), o.is_stored()))
            .collect::<Vec<_>>(),
        vec![(1, true), (2, true), (2, false)]
    );
    assert_eq!(
        store
            .day(date("2020-06-19"), Some(t(1)))
            .unwrap()
            .unwrap()
            .version,
        2
    );
}

/// A new version cannot be recorded before the newest one of its date.
pub fn clock_going_back_is_refused(store: &mut dyn Store) {
    put(
        store,
        &[(
            day("2020-06-19", vec![nation(Measure::ConfirmedNew, 1)]),
            source("a"),
        )],
        t(5),
    );
    let err = store
        .put_days_at(
            &[
                (day("2020-06-20", vec![]), source("other")),
                (
                    day("2020-06-19", vec![nation(Measure::ConfirmedNew, 2)]),
                    source("b"),
                ),
            ],
            t(4),
        )
        .unwrap_err();
    assert!(
        matches!(err, StoreError::ClockWentBack { version: 1, .. }),
        "{err}"
    );
    assert_eq!(store.stats().unwrap().versions, 1);
    // The same instant is fine.
    let out = put(
        store,
        &[(
            day("2020-06-19", vec![nation(Measure::ConfirmedNew, 2)]),
            source("b"),
        )],
        t(5),
    );
    assert_eq!(out[0].version(), 2);
}

/// A series has only the dates whose newest version has the figure; zero is a value.
pub fn series_skips_missing_days(store: &mut dyn Store) {
    let beijing = |v| fact("110000", Origin::Local, Measure::ConfirmedNew, v);
    put(
        store,
        &[
            (day("2020-06-17", vec![beijing(3)]), source("17")),
            (
                day("2020-06-18", vec![nation(Measure::ConfirmedNew, 9)]),
                source("18"),
            ),
            (day("2020-06-19", vec![beijing(0)]), source("19")),
            (day("2020-06-20", vec![beijing(22)]), source("20")),
        ],
        t(1),
    );
    let region: RegionId = "110000".parse().unwrap();
    let series = |store: &dyn Store, from, to, as_of| {
        store
            .series(
                &FigureKey::new(region.clone(), Origin::Local, Measure::ConfirmedNew),
                Span::new(from, to, as_of),
            )
            .unwrap()
    };
    assert_eq!(
        series(store, None, None, None),
        vec![
            (date("2020-06-17"), 3),
            (date("2020-06-19"), 0),
            (date("2020-06-20"), 22)
        ]
    );
    assert_eq!(
        series(
            store,
            Some(date("2020-06-18")),
            Some(date("2020-06-19")),
            None
        ),
        vec![(date("2020-06-19"), 0)]
    );
    let other = store
        .series(
            &FigureKey::new(region.clone(), Origin::All, Measure::ConfirmedNew),
            Span::all(),
        )
        .unwrap();
    assert!(other.is_empty());

    // A newer version without the figure removes the date; the old value does not show.
    put(
        store,
        &[(
            day("2020-06-20", vec![nation(Measure::ConfirmedNew, 1)]),
            source("20b"),
        )],
        t(2),
    );
    assert_eq!(
        series(store, None, None, None),
        vec![(date("2020-06-17"), 3), (date("2020-06-19"), 0)]
    );
    assert_eq!(series(store, None, None, Some(t(1))).len(), 3);
}

/// Facts come sorted by date, region, origin, measure, from the newest versions only.
pub fn facts_are_sorted_and_current(store: &mut dyn Store) {
    let d19 = vec![
        fact("420000", Origin::All, Measure::DeathsNew, 2),
        fact("110000", Origin::Local, Measure::ConfirmedNew, 1),
        fact("110000", Origin::All, Measure::DeathsNew, 0),
        fact("110000", Origin::All, Measure::ConfirmedNew, 1),
        fact("620000:兰州新区", Origin::All, Measure::ConfirmedNew, 4),
        fact("620000", Origin::All, Measure::ConfirmedNew, 4),
    ];
    put(
        store,
        &[
            (
                day("2020-06-20", vec![nation(Measure::ConfirmedNew, 7)]),
                source("20"),
            ),
            (day("2020-06-19", d19.clone()), source("19")),
        ],
        t(1),
    );
    put(
        store,
        &[(
            day("2020-06-20", vec![nation(Measure::ConfirmedNew, 8)]),
            source("20b"),
        )],
        t(2),
    );
    let facts = store.facts(Span::all()).unwrap();
    let mut expected: Vec<(Date, Fact)> =
        d19.into_iter().map(|f| (date("2020-06-19"), f)).collect();
    expected.sort();
    expected.push((date("2020-06-20"), nation(Measure::ConfirmedNew, 8)));
    assert_eq!(facts, expected);
    let range = store
        .facts(Span::new(Some(date("2020-06-20")), None, None))
        .unwrap();
    assert_eq!(
        range,
        vec![(date("2020-06-20"), nation(Measure::ConfirmedNew, 8))]
    );
    assert_eq!(store.stats().unwrap().facts, 7);
}

/// Corrections and notes are kept in order, and a change of them alone is a revision.
pub fn corrections_and_notes_round_trip(store: &mut dyn Store) {
    let mut d = day(
        "2020-04-17",
        vec![fact("420100", Origin::All, Measure::DeathsCumulative, 3869)],
    );
    d.corrections = vec![
        Correction {
            region: "420100".parse().unwrap(),
            origin: Origin::All,
            measure: Measure::DeathsCumulative,
            kind: CorrectionKind::Revise,
            delta: Some(1290),
            restated: Some(3869),
            refers_to: Some(date("2020-04-16")),
            reason: Some("订正".into()),
        },
        Correction {
            region: RegionId::NATION,
            origin: Origin::All,
            measure: Measure::ConfirmedCumulative,
            kind: CorrectionKind::Reduce,
            delta: Some(-1),
            restated: None,
            refers_to: None,
            reason: None,
        },
    ];
    d.notes = vec![
        Note {
            kind: NoteKind::Remark,
            region: Some("420100".parse().unwrap()),
            values: vec![NoteValue {
                label: "deaths".into(),
                value: 1290,
            }],
            text: Some("武汉市疫情防控指挥部发布通报".into()),
        },
        Note {
            kind: NoteKind::Footnote,
            region: None,
            values: vec![],
            text: None,
        },
    ];
    put(store, &[(d.clone(), source("a"))], t(1));
    let got = store.day(date("2020-04-17"), None).unwrap().unwrap();
    assert_eq!(got.day, d);
    assert_eq!(
        store.versions(date("2020-04-17")).unwrap()[0].summary,
        "first version: 1 figure, 2 corrections, 2 notes"
    );

    let mut e = d.clone();
    e.notes.reverse();
    let out = put(store, &[(e.clone(), source("b"))], t(2));
    match &out[0] {
        PutOutcome::Revised {
            version: 2, diff, ..
        } => {
            assert!(diff.facts.is_empty() && diff.notes_changed && !diff.corrections_changed)
        }
        other => panic!("expected a revision, got {other:?}"),
    }
    assert_eq!(store.day(date("2020-04-17"), None).unwrap().unwrap().day, e);
    assert_eq!(
        store
            .day(date("2020-04-17"), Some(t(1)))
            .unwrap()
            .unwrap()
            .day,
        d
    );
}

/// Named areas and every origin and measure are stored and read back.
pub fn areas_round_trip(store: &mut dyn Store) {
    let mut d = Day::new(date("2022-04-01"));
    for (i, m) in Measure::ALL.iter().enumerate() {
        for o in Origin::ALL {
            let value = if m.is_signed() { -(i as i64) } else { i as i64 };
            d.facts.push(fact("620000:兰州新区", o, *m, value));
            d.facts.push(fact("660000:建设兵团第四师", o, *m, value));
        }
    }
    put(store, &[(d.clone(), source("a"))], t(1));
    assert_eq!(
        store.day(date("2022-04-01"), None).unwrap().unwrap().day,
        content::canonical(&d)
    );
    let area: RegionId = "620000:兰州新区".parse().unwrap();
    let s = store
        .series(
            &FigureKey::new(area.clone(), Origin::Local, Measure::SevereChange),
            Span::all(),
        )
        .unwrap();
    assert_eq!(s.len(), 1);
    assert!(s[0].1 < 0);
}

/// What is stored survives closing and opening again. `open` opens the same store each time.
pub fn reopen_persists(open: &mut dyn FnMut() -> Box<dyn Store>) {
    {
        let mut store = open();
        put(
            &mut *store,
            &[(
                day("2020-06-19", vec![nation(Measure::ConfirmedNew, 27)]),
                source("a"),
            )],
            t(1),
        );
        put(
            &mut *store,
            &[(
                day("2020-06-19", vec![nation(Measure::ConfirmedNew, 28)]),
                source("b"),
            )],
            t(2),
        );
    }
    let store = open();
    let got = store.day(date("2020-06-19"), None).unwrap().unwrap();
    assert_eq!((got.version, got.recorded_at), (2, t(2)));
    assert_eq!(got.day.facts, vec![nation(Measure::ConfirmedNew, 28)]);
    assert_eq!(
        store
            .day(date("2020-06-19"), Some(t(1)))
            .unwrap()
            .unwrap()
            .version,
        1
    );
    assert_eq!(
        store.versions(date("2020-06-19")).unwrap()[1].summary,
        "1 figure changed"
    );
}
