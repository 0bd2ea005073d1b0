//! Reads on the full history: a file-backed `SqliteStore` filled once with the 969 shipped days.
//!
//! Run: `cargo bench -p epiledger-store --bench read` (or `scripts/bench.sh`, which also times
//! `epiledger show` and `epiledger series` end to end with hyperfine).
//!
//! - `read/day`: `day(2020-06-19, None)`, one day with its facts, corrections and notes.
//! - `read/series_nation`: `series(confirmed_new, 100000, all)` over the whole history.
//! - `read/series_province`: the same for Hubei (420000).
//! - `read/facts_all`: `facts(None, None, None)`, every fact (the whole export).
//! - `read/days_all`: `days(None, None, None)`, every day (what the audit reads).
//! - `read/open_filled`: `SqliteStore::open` of the filled file (every command pays it).
//! - `read/is_empty`: `is_empty()`, which every command but `import` asks on opening.
//! - `audit/ledger`: `Ledger::from_days` and `audit_report` over all days already in memory.
//! - `audit/from_store`: `days` + `Ledger::from_days` + `audit_report`, as `epiledger audit`.
//!
//! A `cargo bench` run also prints per-call latencies (`latency read/… median_us=… p99_us=…`);
//! `read/day_all_dates` cycles through every date of the history.

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode, Throughput};
use epiledger_core::ledger::{audit_report, Ledger};
use epiledger_core::{Date, Measure, Origin, RegionCode, RegionId};
use epiledger_store::Store;
use epiledger_store_sqlite::SqliteStore;

use common::{fresh_store, measuring, probe, shipped_batch};
use epiledger_store::{FigureKey, Span};

fn bench_read(c: &mut Criterion) {
    let (dir, mut store) = fresh_store();
    let path = dir.path().join("bench.db");
    store.put_days(&shipped_batch()).expect("put_days");
    let dates = store.dates().expect("dates");
    let date: Date = "2020-06-19".parse().expect("a date");
    let hubei = RegionId::from(RegionCode::HUBEI);
    let nation = RegionId::NATION;

    let day = store
        .day(date, None)
        .expect("day")
        .expect("2020-06-19 is stored");
    let nation_len = store
        .series(
            &FigureKey::new(nation.clone(), Origin::All, Measure::ConfirmedNew),
            Span::all(),
        )
        .expect("series")
        .len();
    let hubei_len = store
        .series(
            &FigureKey::new(hubei.clone(), Origin::All, Measure::ConfirmedNew),
            Span::all(),
        )
        .expect("series")
        .len();
    let facts = store.facts(Span::all()).expect("facts").len();
    let days = store.days(Span::all()).expect("days");
    let report = audit_report(
        &Ledger::from_days(days.iter().map(|s| s.day.clone())),
        None,
        None,
    );
    println!(
        "store: {} days, {facts} facts; {date}: {} facts; series: nation {nation_len} points, \
         Hubei {hubei_len} points; audit: {}",
        dates.len(),
        day.day.facts.len(),
        report.summary
    );
    assert!(nation_len > 0 && hubei_len > 0, "the series are not empty");

    let mut group = c.benchmark_group("read");
    group
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("day", |b| {
        b.iter(|| store.day(black_box(date), None).expect("day"))
    });
    group.bench_function("open_filled", |b| {
        b.iter(|| SqliteStore::open(black_box(&path)).expect("open"))
    });
    group.bench_function("is_empty", |b| {
        b.iter(|| store.is_empty().expect("is_empty"))
    });
    group.throughput(Throughput::Elements(nation_len as u64));
    group.bench_function("series_nation", |b| {
        b.iter(|| {
            store
                .series(
                    &FigureKey::new(
                        black_box(&nation).clone(),
                        Origin::All,
                        Measure::ConfirmedNew,
                    ),
                    Span::all(),
                )
                .expect("series")
        })
    });
    group.throughput(Throughput::Elements(hubei_len as u64));
    group.bench_function("series_province", |b| {
        b.iter(|| {
            store
                .series(
                    &FigureKey::new(
                        black_box(&hubei).clone(),
                        Origin::All,
                        Measure::ConfirmedNew,
                    ),
                    Span::all(),
                )
                .expect("series")
        })
    });
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(facts as u64));
    group.bench_function("facts_all", |b| {
        b.iter(|| store.facts(Span::all()).expect("facts"))
    });
    group.throughput(Throughput::Elements(dates.len() as u64));
    group.bench_function("days_all", |b| {
        b.iter(|| store.days(Span::all()).expect("days"))
    });
    group.finish();

    let mut group = c.benchmark_group("audit");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Elements(dates.len() as u64));
    group.bench_function("ledger", |b| {
        b.iter_batched(
            || days.iter().map(|s| s.day.clone()).collect::<Vec<_>>(),
            |all| audit_report(&Ledger::from_days(all), None, None),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("from_store", |b| {
        b.iter(|| {
            let all = store.days(Span::all()).expect("days");
            audit_report(
                &Ledger::from_days(all.into_iter().map(|s| s.day)),
                None,
                None,
            )
        })
    });
    group.finish();

    if measuring() {
        probe("read/day", 100, 2000, |_| {
            store.day(date, None).expect("day")
        });
        probe("read/day_all_dates", dates.len(), 3 * dates.len(), |i| {
            store.day(dates[i % dates.len()], None).expect("day")
        });
        probe("read/series_nation", 20, 300, |_| {
            store
                .series(
                    &FigureKey::new(nation.clone(), Origin::All, Measure::ConfirmedNew),
                    Span::all(),
                )
                .expect("series")
        });
        probe("read/series_province", 20, 300, |_| {
            store
                .series(
                    &FigureKey::new(hubei.clone(), Origin::All, Measure::ConfirmedNew),
                    Span::all(),
                )
                .expect("series")
        });
        probe("read/open_filled", 10, 200, |_| {
            SqliteStore::open(&path).expect("open")
        });
        probe("read/facts_all", 2, 20, |_| {
            store.facts(Span::all()).expect("facts")
        });
        probe("audit/from_store", 2, 20, |_| {
            let all = store.days(Span::all()).expect("days");
            audit_report(
                &Ledger::from_days(all.into_iter().map(|s| s.day)),
                None,
                None,
            )
        });
    }
}

criterion_group!(benches, bench_read);
criterion_main!(benches);
