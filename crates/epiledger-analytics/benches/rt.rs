//! Rt for every region over the whole shipped history (the nation, the 31 provinces and the
//! XPCC; 969 days each), as `epiledger analytics rt` will compute it per request.
//!
//! Run: `cargo bench -j1 -p epiledger-analytics --bench rt`. `scripts/rt-vs-epiestim.sh --bench`
//! times EpiEstim on the same series, side by side (see docs/BENCHMARKS.md).
//!
//! - `rt/all_regions`: [`estimate_rt`] on the 33 incidences, already built, in one call each.
//! - `rt/nation`, `rt/hubei`: one region (the nation has the largest posterior shapes).
//! - `rt/inputs_all_regions`: building the 33 incidences from the ledger, implied zeros
//!   included ([`ImpliedZeros::of_ledger`] and [`incidence_from_ledger`]).
//! - `rt/implied_zeros`: [`ImpliedZeros::of_ledger`] alone (once per ledger, or per as-of).
//! - `rt/inputs_and_rt_all_regions`: both, what a request for every region costs once the
//!   ledger is in memory.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use epiledger_analytics::{
    estimate_rt, incidence_from_ledger, Counting, ImpliedZeros, Incidence, RtConfig,
};
use epiledger_core::ledger::hierarchy::REPORTING_UNITS;
use epiledger_core::{Ledger, RegionCode};

fn regions() -> Vec<RegionCode> {
    std::iter::once(RegionCode::NATION)
        .chain(REPORTING_UNITS)
        .collect()
}

fn inputs(ledger: &Ledger) -> Vec<Incidence> {
    let zeros = ImpliedZeros::of_ledger(ledger);
    regions()
        .into_iter()
        .map(|r| {
            incidence_from_ledger(ledger, Some(&zeros), r, Counting::Confirmed)
                .expect("an incidence")
        })
        .collect()
}

fn bench_rt(c: &mut Criterion) {
    let days = epiledger_history::load().expect("the shipped history");
    let ledger = Ledger::from_days(days.into_iter().map(|d| d.day));
    let config = RtConfig::default();
    let all = inputs(&ledger);
    let estimates: usize = all
        .iter()
        .map(|i| estimate_rt(i, &config).expect("Rt").estimates().count())
        .sum();
    eprintln!(
        "rt: {} regions × {} days, {estimates} estimates",
        all.len(),
        all[0].len()
    );

    let mut g = c.benchmark_group("rt");
    g.bench_function("all_regions", |b| {
        b.iter(|| {
            for inc in &all {
                black_box(estimate_rt(black_box(inc), &config).expect("Rt"));
            }
        })
    });
    g.bench_function("nation", |b| {
        b.iter(|| black_box(estimate_rt(black_box(&all[0]), &config).expect("Rt")))
    });
    let hubei = regions()
        .iter()
        .position(|&r| r == RegionCode::HUBEI)
        .expect("Hubei");
    g.bench_function("hubei", |b| {
        b.iter(|| black_box(estimate_rt(black_box(&all[hubei]), &config).expect("Rt")))
    });
    g.bench_function("implied_zeros", |b| {
        b.iter(|| black_box(ImpliedZeros::of_ledger(black_box(&ledger))))
    });
    g.bench_function("inputs_all_regions", |b| {
        b.iter(|| black_box(inputs(black_box(&ledger))))
    });
    g.bench_function("inputs_and_rt_all_regions", |b| {
        b.iter(|| {
            for inc in inputs(black_box(&ledger)) {
                black_box(estimate_rt(&inc, &config).expect("Rt"));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench_rt);
criterion_main!(benches);
