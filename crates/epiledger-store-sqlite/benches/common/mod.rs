//! What the store's benches share: the shipped history as a batch, a fresh file-backed store,
//! and per-call latency probes.

use std::hint::black_box;
use std::time::{Duration, Instant};

use epiledger_core::Day;
use epiledger_store::{Source, SourceKind};
use epiledger_store_sqlite::SqliteStore;
use tempfile::TempDir;

/// The 969 days of the shipped history, as `put_days` takes them.
pub fn shipped_batch() -> Vec<(Day, Source)> {
    epiledger_history::load()
        .expect("the shipped history loads")
        .into_iter()
        .map(|d| {
            (
                d.day,
                Source::new(SourceKind::Embedded, "bench", d.source_hash),
            )
        })
        .collect()
}

/// A new, empty SQLite file in a new temporary directory (kept alive by the `TempDir`).
pub fn fresh_store() -> (TempDir, SqliteStore) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = SqliteStore::open(dir.path().join("bench.db")).expect("a new database");
    (dir, store)
}

/// Whether criterion measures (`cargo bench` passes `--bench`); under `cargo test --benches`
/// each benchmark only runs once, and the probes are left out.
pub fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Calls `call(0)`, `call(1)`, … `call(warmup + n - 1)`, timing the last `n` calls one by one,
/// and prints `latency NAME n=… median_us=… p99_us=… max_us=…`, which `scripts/bench.sh`
/// collects. p99 is the value below which 99% of the calls lie (the maximum when n < 100).
pub fn probe<T>(name: &str, warmup: usize, n: usize, mut call: impl FnMut(usize) -> T) {
    for i in 0..warmup {
        black_box(call(i));
    }
    let mut times: Vec<Duration> = Vec::with_capacity(n);
    for i in warmup..warmup + n {
        let start = Instant::now();
        let out = call(i);
        times.push(start.elapsed());
        drop(black_box(out));
    }
    times.sort_unstable();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "latency {name} n={n} median_us={:.1} p99_us={:.1} max_us={:.1}",
        us(at(0.5)),
        us(at(0.99)),
        us(times[times.len() - 1]),
    );
}
