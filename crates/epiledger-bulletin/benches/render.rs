//! Rendering the bulletin from the ledger: every day of the shipped history (969 days), in
//! Chinese and in English, and one day in each format.
//!
//! The history is compiled into `epiledger-history`, so this bench needs no corpus.
//!
//! Run: `cargo bench -p epiledger-bulletin --bench render` (or `scripts/bench.sh`).
//! One iteration of `render/all_days_*` renders all 969 days: criterion's throughput line
//! reads in days per second.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use epiledger_bulletin::render::{self, Format, Lang};
use epiledger_core::{Date, Ledger, RegionId};

fn history() -> (Ledger, Vec<Date>) {
    let days = epiledger_history::load().expect("the shipped history reads");
    let dates: Vec<Date> = days.iter().filter_map(|d| d.day.date).collect();
    (Ledger::from_days(days.into_iter().map(|d| d.day)), dates)
}

fn bench(c: &mut Criterion) {
    let (ledger, dates) = history();
    let mut g = c.benchmark_group("render");
    g.throughput(Throughput::Elements(dates.len() as u64));
    for (name, lang) in [("all_days_zh", Lang::Zh), ("all_days_en", Lang::En)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut bytes = 0;
                for date in &dates {
                    if let Some(bulletin) = render::bulletin(&ledger, *date, &RegionId::NATION) {
                        bytes += render::text(&bulletin, lang).len();
                    }
                }
                black_box(bytes)
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("render_one");
    let day: Date = "2022-04-15".parse().expect("a date");
    g.throughput(Throughput::Elements(1));
    g.bench_function("build", |b| {
        b.iter(|| black_box(render::bulletin(&ledger, day, &RegionId::NATION)))
    });
    let Some(bulletin) = render::bulletin(&ledger, day, &RegionId::NATION) else {
        return;
    };
    for (name, lang, format) in [
        ("text_zh", Lang::Zh, Format::Text),
        ("text_en", Lang::En, Format::Text),
        ("json", Lang::En, Format::Json),
        ("html", Lang::Zh, Format::Html),
        ("md", Lang::Zh, Format::Md),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| black_box(render::render(&bulletin, lang, format)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
