//! Timings of the PostgreSQL store on the shipped history, beside SQLite's (ignored by default;
//! `docs/BENCHMARKS.md` has the figures):
//!
//! ```sh
//! EPILEDGER_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test \
//!   cargo test --release -p epiledger-store --test postgres_bench -- --ignored --nocapture
//! ```
//!
//! Prints `import`, `copy` and `latency` lines: the median (and p99) of each measurement.

use std::hint::black_box;
use std::time::{Duration, Instant};

use epiledger_core::{Date, Measure, Origin, RegionId};
use epiledger_store::copy::{copy_history, CopyOptions};
use epiledger_store::{FigureKey, Span};
use epiledger_store::{Source, SourceKind, Store};
use epiledger_store_postgres::testing::TestSchema;
use epiledger_store_sqlite::SqliteStore;

fn shipped() -> Vec<(epiledger_core::Day, Source)> {
    epiledger_history::load()
        .unwrap()
        .into_iter()
        .map(|d| {
            let source = Source::new(SourceKind::Embedded, "bench", d.source_hash);
            (d.day, source)
        })
        .collect()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// Times `call` `n` times after `warmup` calls; prints the median, p99 and max in µs.
fn probe<T>(name: &str, warmup: usize, n: usize, mut call: impl FnMut(usize) -> T) {
    for i in 0..warmup {
        black_box(call(i));
    }
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        let start = Instant::now();
        black_box(call(warmup + i));
        times.push(start.elapsed());
    }
    times.sort_unstable();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, n) - 1];
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "latency {name} n={n} median_us={:.0} p99_us={:.0} max_us={:.0}",
        us(at(0.5)),
        us(at(0.99)),
        us(times[n - 1])
    );
}

/// The read latencies of a store that holds the shipped history.
fn reads(backend: &str, store: &dyn Store) {
    let dates = store.dates().unwrap();
    let hubei: RegionId = "420000".parse().unwrap();
    probe(&format!("{backend}/day"), 20, 500, |i| {
        store.day(dates[(i * 37) % dates.len()], None).unwrap()
    });
    probe(&format!("{backend}/series_nation"), 20, 500, |_| {
        store
            .series(
                &FigureKey::new(RegionId::NATION.clone(), Origin::All, Measure::ConfirmedNew),
                Span::all(),
            )
            .unwrap()
    });
    probe(&format!("{backend}/series_hubei_month"), 20, 500, |_| {
        let from: Date = "2020-02-01".parse().unwrap();
        let to: Date = "2020-02-29".parse().unwrap();
        store
            .series(
                &FigureKey::new(hubei.clone(), Origin::All, Measure::ConfirmedNew),
                Span::new(Some(from), Some(to), None),
            )
            .unwrap()
    });
    probe(&format!("{backend}/facts_all"), 2, 10, |_| {
        store.facts(Span::all()).unwrap()
    });
    probe(&format!("{backend}/days_all"), 2, 10, |_| {
        store.days(Span::all()).unwrap()
    });
}

#[test]
#[ignore = "timings; run with --ignored --nocapture on a release build"]
fn postgres_store_timings() {
    let Some(url) = epiledger_store_postgres::testing::url("postgres_store_timings") else {
        return;
    };
    let batch = shipped();
    let facts: usize = batch.iter().map(|(d, _)| d.facts.len()).sum();
    println!(
        "shipped history: {} days, {facts} facts; database {url}",
        batch.len()
    );

    // put_days of the 969 days into an empty schema, 5 times.
    let mut new = Vec::new();
    let mut unchanged = Vec::new();
    let mut kept = None;
    for _ in 0..5 {
        let schema = TestSchema::new("postgres_store_timings").unwrap();
        let mut store = schema.connect(); // schema created and migrated, not timed
        let start = Instant::now();
        store.put_days(&batch).unwrap();
        new.push(start.elapsed());
        let start = Instant::now();
        let out = store.put_days(&batch).unwrap();
        unchanged.push(start.elapsed());
        assert!(out.iter().all(|o| !o.is_stored()));
        kept = Some((schema, store));
    }
    println!(
        "import postgres/put_days_new median_ms={:.0}",
        ms(median(new))
    );
    println!(
        "import postgres/put_days_unchanged median_ms={:.0}",
        ms(median(unchanged))
    );

    // The same into SQLite files, for comparison.
    let dir = tempfile::tempdir().unwrap();
    let mut new = Vec::new();
    for i in 0..5 {
        let mut store = SqliteStore::open(dir.path().join(format!("{i}.db"))).unwrap();
        let start = Instant::now();
        store.put_days(&batch).unwrap();
        new.push(start.elapsed());
    }
    println!(
        "import sqlite/put_days_new median_ms={:.0}",
        ms(median(new))
    );

    // copy: SQLite → PostgreSQL and back, with the checks of `epiledger copy` left out.
    let lite = SqliteStore::open(dir.path().join("0.db")).unwrap();
    let mut to_pg = Vec::new();
    let mut to_lite = Vec::new();
    for i in 0..3 {
        let schema = TestSchema::new("postgres_store_timings").unwrap();
        let mut pg = schema.connect();
        let start = Instant::now();
        copy_history(&lite, &mut pg, "pg", CopyOptions::default(), &mut |_, _| {}).unwrap();
        to_pg.push(start.elapsed());
        let mut back = SqliteStore::open(dir.path().join(format!("back{i}.db"))).unwrap();
        let start = Instant::now();
        copy_history(
            &pg,
            &mut back,
            "back",
            CopyOptions::default(),
            &mut |_, _| {},
        )
        .unwrap();
        to_lite.push(start.elapsed());
    }
    println!("copy sqlite_to_postgres median_ms={:.0}", ms(median(to_pg)));
    println!(
        "copy postgres_to_sqlite median_ms={:.0}",
        ms(median(to_lite))
    );

    let (_schema, pg) = kept.unwrap();
    // As autovacuum would soon after a bulk load (and `epiledger copy` does at its end).
    pg.vacuum_analyze().unwrap();
    reads("postgres", &pg);
    reads("sqlite", &lite);
}
