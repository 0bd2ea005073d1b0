//! Importing the shipped history into SQLite: `put_days` of its 969 days into a new
//! file-backed `SqliteStore` in a temporary directory, in one transaction.
//!
//! Run: `cargo bench -p epiledger-store --bench import` (or `scripts/bench.sh`, which also
//! times the end-to-end `epiledger import nhc` with hyperfine).
//!
//! - `import/put_days_new`: the 969 days into an empty file (opening the file, creating the
//!   schema and removing it are not timed).
//! - `import/put_days_unchanged`: the same 969 days again into a store that holds them: every
//!   day is recognised as unchanged (what re-importing the corpus costs).
//! - `import/open_new`: creating the file and its schema, for comparison.
//! - `history/load`: decompressing and decoding the shipped history (what a new database's
//!   first command pays before `put_days`).

mod common;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode, Throughput};
use epiledger_store::Store;

use common::{fresh_store, measuring, probe, shipped_batch};

fn bench_import(c: &mut Criterion) {
    let batch = shipped_batch();
    let days = batch.len() as u64;
    let facts: usize = batch.iter().map(|(d, _)| d.facts.len()).sum();
    println!("shipped history: {days} days, {facts} facts");

    let mut group = c.benchmark_group("import");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(8))
        .throughput(Throughput::Elements(days));
    group.bench_function("put_days_new", |b| {
        b.iter_batched(
            || (fresh_store(), batch.clone()),
            |((dir, mut store), batch)| {
                let outcomes = store.put_days(&batch).expect("put_days");
                assert_eq!(outcomes.len(), batch.len());
                // Returned so that closing the file and removing it are not timed.
                (dir, store, outcomes)
            },
            BatchSize::PerIteration,
        )
    });

    let (_dir, mut full) = fresh_store();
    full.put_days(&batch).expect("put_days");
    group.bench_function("put_days_unchanged", |b| {
        b.iter(|| {
            let outcomes = full.put_days(black_box(&batch)).expect("put_days");
            debug_assert!(outcomes.iter().all(|o| !o.is_stored()));
            outcomes
        })
    });

    group.throughput(Throughput::Elements(1));
    group.bench_function("open_new", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("a temporary directory"),
            |dir| {
                let store = epiledger_store_sqlite::SqliteStore::open(dir.path().join("bench.db"))
                    .expect("open");
                (dir, store)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();

    let mut group = c.benchmark_group("history");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::Elements(days));
    group.bench_function("load", |b| {
        b.iter(|| epiledger_history::load().expect("the shipped history loads"))
    });
    group.finish();

    if measuring() {
        // Each import on its own: median and spread over 20 new files.
        let mut inputs: Vec<_> = (0..20)
            .map(|_| Some((fresh_store(), batch.clone())))
            .collect();
        let mut kept = Vec::new();
        probe("import/put_days_new", 0, inputs.len(), |i| {
            if let Some(((dir, mut store), batch)) = inputs[i].take() {
                store.put_days(&batch).expect("put_days");
                kept.push((dir, store));
            }
        });
    }
}

criterion_group!(benches, bench_import);
criterion_main!(benches);
