//! Parsing the NHC corpus: `epiledger_bulletin::parse(text, Some(date))` over every bulletin,
//! side by side with parsing English: `parse::en::parse` over the English renderings of all 969
//! shipped days (rendered once from the shipped history before measuring), and, for a
//! comparison on the same days, the Chinese parser over their Chinese renderings.
//!
//! The corpus is read from `../shared/nhc/zh` relative to the workspace root (or from
//! `$EPILEDGER_CORPUS`); it is test data and never part of the repository, so without it the
//! corpus bench says it is skipped; the renderings need only the shipped history.
//!
//! Run: `cargo bench -p epiledger-bulletin --bench parse` (or `scripts/bench.sh`).
//!
//! Besides criterion's estimates (one iteration = all bulletins), a `cargo bench` run prints a
//! per-bulletin latency line: `latency parse/bulletin n=… median_us=… p99_us=… max_us=…`, and
//! `latency parse/en_report …` for one English rendering.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use epiledger_bulletin::render::{self, Lang};
use epiledger_core::{Date, Ledger, RegionId};

/// One bulletin of the corpus, in memory.
struct Bulletin {
    name: String,
    date: Date,
    text: String,
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("EPILEDGER_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/nhc/zh"),
    }
}

/// Every `YYYY-MM-DD.txt` of the corpus, sorted by name; `None` if the directory is absent.
fn load_corpus() -> Option<Vec<Bulletin>> {
    let dir = corpus_dir();
    let entries = std::fs::read_dir(&dir).ok()?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let mut out = Vec::with_capacity(paths.len());
    for path in paths {
        let name = path.file_name()?.to_string_lossy().into_owned();
        let date: Date = name.get(..10)?.parse().ok()?;
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        out.push(Bulletin { name, date, text });
    }
    (!out.is_empty()).then_some(out)
}

/// Whether criterion measures (`cargo bench` passes `--bench`); under `cargo test --benches`
/// it only checks that each benchmark runs once, and so do we.
fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// Calls `call(0)` … `call(warmup + n - 1)`, timing the last `n` calls one by one, and prints
/// `latency NAME n=… median_us=… p99_us=… max_us=…`, which `scripts/bench.sh` collects.
fn probe<T>(name: &str, warmup: usize, n: usize, mut call: impl FnMut(usize) -> T) {
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

fn bench_parse(c: &mut Criterion) {
    let Some(corpus) = load_corpus() else {
        println!(
            "parse: skipped, no corpus at {} (set EPILEDGER_CORPUS to its directory)",
            corpus_dir().display()
        );
        return;
    };
    let bytes: usize = corpus.iter().map(|b| b.text.len()).sum();
    println!(
        "corpus {} bulletins, {bytes} bytes, from {}",
        corpus.len(),
        corpus_dir().display()
    );
    // Every bulletin must parse: a bench of failures would measure the wrong thing.
    for b in &corpus {
        if let Err(e) = epiledger_bulletin::parse(&b.text, Some(b.date)) {
            panic!("{}: {e}", b.name);
        }
    }

    let mut group = c.benchmark_group("parse");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8))
        .throughput(Throughput::Elements(corpus.len() as u64));
    group.bench_function("corpus", |bench| {
        bench.iter(|| {
            for b in &corpus {
                black_box(epiledger_bulletin::parse(black_box(&b.text), Some(b.date)).ok());
            }
        })
    });
    group.finish();

    if measuring() {
        // Each bulletin on its own, three times round the corpus.
        let n = corpus.len();
        let mut fastest = vec![Duration::MAX; n];
        probe("parse/bulletin", n, 3 * n, |i| {
            let b = &corpus[i % n];
            let start = Instant::now();
            let out = epiledger_bulletin::parse(black_box(&b.text), Some(b.date));
            fastest[i % n] = fastest[i % n].min(start.elapsed());
            out
        });
        // The slowest bulletins (best of three), where parsing time goes.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(fastest[i]));
        let total: Duration = fastest.iter().sum();
        let top: Duration = order.iter().take(10).map(|&i| fastest[i]).sum();
        println!(
            "slowest parse/bulletin: the 10 slowest take {:.1} ms of {:.1} ms ({:.0}%)",
            top.as_secs_f64() * 1e3,
            total.as_secs_f64() * 1e3,
            100.0 * top.as_secs_f64() / total.as_secs_f64()
        );
        for &i in order.iter().take(10) {
            println!(
                "slowest parse/bulletin {} {} bytes {:.1} us",
                corpus[i].name,
                corpus[i].text.len(),
                fastest[i].as_secs_f64() * 1e6
            );
        }
    }
}

/// The renderings of every shipped day in one language: (date, text).
fn renderings(lang: Lang) -> Vec<(Date, String)> {
    let days = epiledger_history::load().expect("the shipped history reads");
    let ledger = Ledger::from_days(days.into_iter().map(|d| d.day));
    ledger
        .dates()
        .iter()
        .map(|d| {
            let b = render::bulletin(&ledger, *d, &RegionId::NATION).expect("renders");
            (*d, render::text(&b, lang))
        })
        .collect()
}

fn bench_english(c: &mut Criterion) {
    let en = renderings(Lang::En);
    let zh = renderings(Lang::Zh);
    let bytes = |v: &[(Date, String)]| v.iter().map(|(_, t)| t.len()).sum::<usize>();
    println!(
        "renderings {} days: English {} bytes, Chinese {} bytes",
        en.len(),
        bytes(&en),
        bytes(&zh)
    );
    // Every rendering must parse with every number placed.
    for (d, t) in &en {
        let p = epiledger_bulletin::parse::en::parse(t, Some(*d))
            .unwrap_or_else(|e| panic!("{d}: {e}"));
        assert!(p.unplaced.is_empty(), "{d}");
    }
    let mut group = c.benchmark_group("parse");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8))
        .throughput(Throughput::Elements(en.len() as u64));
    group.bench_function("en_renderings", |bench| {
        bench.iter(|| {
            for (d, t) in &en {
                black_box(epiledger_bulletin::parse::en::parse(black_box(t), Some(*d)).ok());
            }
        })
    });
    group.bench_function("zh_renderings", |bench| {
        bench.iter(|| {
            for (d, t) in &zh {
                black_box(epiledger_bulletin::parse(black_box(t), Some(*d)).ok());
            }
        })
    });
    group.finish();
    if measuring() {
        let n = en.len();
        probe("parse/en_report", n, 3 * n, |i| {
            let (d, t) = &en[i % n];
            epiledger_bulletin::parse::en::parse(black_box(t), Some(*d))
        });
        probe("parse/zh_rendering", n, 3 * n, |i| {
            let (d, t) = &zh[i % n];
            epiledger_bulletin::parse(black_box(t), Some(*d))
        });
    }
}

criterion_group!(benches, bench_parse, bench_english);
criterion_main!(benches);
