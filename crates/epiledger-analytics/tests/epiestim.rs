//! Our Rt against EpiEstim 2.2-4's, on reference outputs that EpiEstim produced
//! (`scripts/rt-vs-epiestim.sh --update-fixtures`): the national series, Hubei, Shanghai and
//! Jilin from the shipped history, and an incidence file of our own with imported cases, a
//! first day with local cases, 110 days without a case and a window with no infectivity.
//! Relative tolerance: 1e-9 for the mean and standard deviation, 1e-6 for the quantiles. No R
//! is needed here.

use epiledger_analytics::{
    estimate_rt, incidence_from_ledger, Counting, ImpliedZeros, Incidence, RtConfig, RtEstimate,
};
use epiledger_core::{Date, Ledger, RegionCode};

macro_rules! fixture {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("fixtures/", $name, ".input.csv")),
            include_str!(concat!("fixtures/", $name, ".epiestim.csv")),
        )
    };
}

const SERIES: [(&str, &str, &str); 5] = [
    fixture!("national"),
    fixture!("hubei"),
    fixture!("shanghai"),
    fixture!("jilin"),
    fixture!("own-imported"),
];

/// EpiEstim's rows: the date and the nine figures.
fn reference(text: &str) -> Vec<(Date, [f64; 9])> {
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("date,mean,std,q025,q05,q25,median,q75,q95,q975")
    );
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            let mut v = [0.0; 9];
            for (x, c) in v.iter_mut().zip(&cells[1..]) {
                *x = c.parse().expect("a number");
            }
            (cells[0].parse().expect("a date"), v)
        })
        .collect()
}

fn ours(e: &RtEstimate) -> [f64; 9] {
    [
        e.mean, e.std, e.q025, e.q05, e.q25, e.median, e.q75, e.q95, e.q975,
    ]
}

#[test]
fn rt_equals_epiestim() {
    for (name, input, expected) in SERIES {
        let inc = Incidence::parse_csv(input).expect("the fixture input");
        let series = estimate_rt(&inc, &RtConfig::default()).expect("Rt");
        let expected = reference(expected);
        let got: Vec<&RtEstimate> = series.estimates().collect();
        assert_eq!(
            series.entries.len(),
            got.len(),
            "{name}: no window is absent"
        );
        assert_eq!(got.len(), expected.len(), "{name}: the number of windows");
        let (mut worst_ms, mut worst_q) = (0.0_f64, 0.0_f64);
        for (e, (date, want)) in got.iter().zip(&expected) {
            assert_eq!(e.date, *date, "{name}");
            for (i, (x, y)) in ours(e).iter().zip(want).enumerate() {
                let rel = (x - y).abs() / y.abs();
                let tolerance = if i < 2 { 1e-9 } else { 1e-6 };
                assert!(
                    rel <= tolerance,
                    "{name} {date} column {i}: ours {x}, EpiEstim {y}, relative {rel:e}"
                );
                if i < 2 {
                    worst_ms = worst_ms.max(rel);
                } else {
                    worst_q = worst_q.max(rel);
                }
            }
        }
        eprintln!(
            "{name}: {} windows, max relative difference {worst_ms:e} (mean, std), {worst_q:e} (quantiles)",
            got.len()
        );
    }
}

/// The fixture inputs are what the rules of `input` give on the shipped history, so that the
/// reference stays the reference of our own series.
#[test]
fn fixture_inputs_come_from_the_shipped_history() {
    let days = epiledger_history::load().expect("the shipped history");
    let ledger = Ledger::from_days(days.into_iter().map(|d| d.day));
    let zeros = ImpliedZeros::of_ledger(&ledger);
    let d = |s: &str| -> Option<Date> { Some(s.parse().expect("a date")) };
    for (name, region, from, to) in [
        ("national", 100000, None, None),
        ("hubei", 420000, d("2020-02-01"), d("2020-04-30")),
        ("shanghai", 310000, d("2020-05-02"), d("2022-09-14")),
        ("jilin", 220000, d("2020-05-02"), d("2022-09-14")),
    ] {
        let region = RegionCode::new(region).expect("a code");
        let inc = incidence_from_ledger(&ledger, Some(&zeros), region, Counting::Confirmed)
            .and_then(|i| i.between(from, to))
            .expect("an incidence");
        let (_, input, _) = SERIES.iter().find(|s| s.0 == name).expect("a fixture");
        assert_eq!(inc.to_csv(), *input, "{name}");
    }
}
