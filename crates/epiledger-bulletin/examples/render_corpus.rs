//! Renders every bulletin of a directory from its parsed ledger and prints the differences.
//! `cargo run --release -p epiledger-bulletin --example render_corpus -- ../shared/nhc/zh [PREFIX] [--full]`
use std::{env, fs};

mod common;

use epiledger_bulletin::render::{self, check};
use epiledger_core::{Date, Ledger, RegionId};

fn main() {
    let args: Vec<String> = env::args().skip(1).collect();
    let dir = args
        .first()
        .cloned()
        .unwrap_or_else(|| "../shared/nhc/zh".into());
    let filter = args.get(1).filter(|a| !a.starts_with("--")).cloned();
    let full = args.iter().any(|a| a == "--full");
    let en = args.iter().any(|a| a == "--en");
    let format = args
        .iter()
        .find_map(|a| a.strip_prefix("--format="))
        .map(str::to_string);
    let files = common::sorted_files(&dir);
    let mut texts = Vec::new();
    let mut days = Vec::new();
    for f in &files {
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        let Ok(date) = name.parse::<Date>() else {
            continue;
        };
        let text = fs::read_to_string(f).unwrap();
        match epiledger_bulletin::parse(&text, Some(date)) {
            Ok(p) => days.push(p.day),
            Err(e) => println!("PARSE ERROR {name}: {e}"),
        }
        texts.push((date, text));
    }
    let conventions = Ledger::from_days(
        days.iter()
            .map(epiledger_bulletin::phrasing::without_phrasing),
    );
    let ledger = Ledger::from_days(days);
    let t = std::time::Instant::now();
    let mut report = check::CheckReport::default();
    for (date, official) in &texts {
        let rendered = render::bulletin(&ledger, *date, &RegionId::NATION)
            .map(|b| render::zh::write(&b))
            .unwrap_or_default();
        let hunks = check::diff(official, &rendered, 8);
        report.days.push(check::DayCheck {
            date: *date,
            hunks,
            error: None,
        });
        if filter
            .as_ref()
            .is_some_and(|f| date.to_string().starts_with(f.as_str()))
            && full
        {
            println!("--- {date}\n{rendered}");
            if let Some(b) = render::bulletin(&ledger, *date, &RegionId::NATION) {
                if en {
                    println!("--- en\n{}", render::en::write(&b));
                }
                match format.as_deref() {
                    Some("json") => println!("{}", render::json::write(&b, render::Lang::En)),
                    Some("html") => println!("{}", render::html::write(&b, render::Lang::Zh)),
                    Some("md") => println!("{}", render::md::write(&b, render::Lang::Zh)),
                    _ => {}
                }
            }
        }
    }
    let elapsed = t.elapsed();
    for d in report.differing() {
        if filter
            .as_ref()
            .is_some_and(|f| !d.date.to_string().starts_with(f.as_str()))
        {
            continue;
        }
        let first = &d.hunks[0];
        println!("{} ({} hunks) {}", d.date, d.hunks.len(), first);
        if full {
            for h in &d.hunks[1..] {
                println!("      {h}");
            }
        }
    }
    let since: Date = "2020-03-01".parse().unwrap();
    let mut by_conventions = check::CheckReport::default();
    for (date, official) in &texts {
        let rendered = render::bulletin(&conventions, *date, &RegionId::NATION)
            .map(|b| render::zh::write(&b))
            .unwrap_or_default();
        by_conventions.days.push(check::DayCheck {
            date: *date,
            hunks: check::diff(official, &rendered, 8),
            error: None,
        });
    }
    println!("by conventions alone {}", matching(&by_conventions, since));
    println!(
        "match {}; rendered in {elapsed:?}",
        matching(&report, since)
    );
}

/// `12/20 = 60.00%; from 2020-03-01 9/10 = 90.00%`: the days that match, of all and since a date.
fn matching(report: &check::CheckReport, since: Date) -> String {
    let (ok, n) = report.count(None);
    let (ok2, n2) = report.count(Some(since));
    format!(
        "{ok}/{n} = {:.2}%; from 2020-03-01 {ok2}/{n2} = {:.2}%",
        100.0 * ok as f64 / n as f64,
        100.0 * ok2 as f64 / n2 as f64
    )
}
