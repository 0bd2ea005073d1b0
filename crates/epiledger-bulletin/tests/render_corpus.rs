//! The corpus check, when `../shared/nhc/zh` is present beside the workspace: every bulletin is
//! parsed into the ledger (facts, corrections, notes), each day is rendered from that ledger
//! alone and compared with the official text, whitespace ignored.

use std::fs;
use std::path::PathBuf;

use epiledger_bulletin::render::{self, check, CheckReport, DayCheck};
use epiledger_core::{Date, Ledger, RegionId};

fn corpus() -> Option<Vec<(Date, String)>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/nhc/zh");
    let Ok(entries) = fs::read_dir(&dir) else {
        absent(&dir);
        return None;
    };
    let mut out: Vec<(Date, String)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let date = e.path().file_stem()?.to_str()?.parse().ok()?;
            Some((date, fs::read_to_string(e.path()).ok()?))
        })
        .collect();
    out.sort();
    Some(out)
}

#[test]
fn rendered_bulletins_match_the_official_texts() {
    let Some(corpus) = corpus() else { return };
    let days = corpus
        .iter()
        .filter_map(|(date, text)| epiledger_bulletin::parse(text, Some(*date)).ok())
        .map(|p| p.day);
    let ledger = Ledger::from_days(days);
    let started = std::time::Instant::now();
    let mut report = CheckReport::default();
    for (date, official) in &corpus {
        let rendered = render::bulletin(&ledger, *date, &RegionId::NATION)
            .map(|b| render::zh::write(&b))
            .unwrap_or_default();
        report.days.push(DayCheck {
            date: *date,
            hunks: check::diff(official, &rendered, 6),
            error: None,
        });
    }
    let elapsed = started.elapsed();
    for d in report.differing() {
        eprintln!("{} {}", d.date, d.hunks[0]);
    }
    let settled: Date = "2020-03-01".parse().expect("a date");
    let (ok, n) = report.count(None);
    let (ok2, n2) = report.count(Some(settled));
    eprintln!(
        "exact match {ok}/{n} ({:.2}%), from 2020-03-01 {ok2}/{n2} ({:.2}%); rendered and \
         compared in {elapsed:?}",
        100.0 * report.rate(None),
        100.0 * report.rate(Some(settled))
    );
    assert_eq!(n, 969);
    // The fidelity accepted by issue 3 (97% of all days, 99% from March 2020); the days that
    // still differ are named, with their causes, in docs/BULLETIN.md.
    assert!(report.rate(None) >= 0.97, "{ok}/{n}");
    assert!(report.rate(Some(settled)) >= 0.99, "{ok2}/{n2}");
    // Days that once matched must keep matching: a sample of each period.
    for date in [
        "2020-01-31",
        "2020-02-09",
        "2020-02-20",
        "2020-03-10",
        "2020-04-17",
        "2020-06-19",
        "2020-12-01",
        "2021-09-01",
        "2021-12-30",
        "2022-04-15",
        "2022-09-14",
    ] {
        let d: Date = date.parse().expect("a date");
        let day = report.days.iter().find(|x| x.date == d).expect("in corpus");
        assert!(day.matches(), "{date}: {}", day.hunks[0]);
    }
}

/// A test input that is absent: a skip, said so; with `CI=true`, a failure (CI runs every test).
fn absent(what: &std::path::Path) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{} is not present, and CI=true requires it", what.display());
    }
    eprintln!("skipped: {} is not present", what.display());
}
