//! Writes the shipped history as a synthetic line list of events.
//!
//! `cargo run --release -p epiledger-register --example simulate -- [--from D] [--to D]
//! [--seed N] --out FILE` (`.ndjson`/`.jsonl`: NDJSON, anything else CSV).

use std::fs::File;
use std::io::BufWriter;
use std::process::ExitCode;
use std::time::Instant;

use epiledger_register::interchange::{CsvWriter, Format, NdjsonWriter};
use epiledger_register::simulate::{simulate, SimOptions};

mod common;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut opts = SimOptions::default();
    let mut out = None;
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--from" => opts.from = Some(v.parse().expect("--from YYYY-MM-DD")),
            "--to" => opts.to = Some(v.parse().expect("--to YYYY-MM-DD")),
            "--seed" => opts.seed = v.parse().expect("--seed N"),
            "--out" => out = Some(v),
            other => {
                eprintln!("unknown argument {other}; usage: simulate [--from D] [--to D] [--seed N] --out FILE");
                return ExitCode::from(2);
            }
        }
        i += 2;
    }
    let Some(out) = out else {
        eprintln!("usage: simulate [--from D] [--to D] [--seed N] --out FILE");
        return ExitCode::from(2);
    };
    let history = common::shipped_days();
    let start = Instant::now();
    let file = BufWriter::with_capacity(1 << 20, File::create(&out).expect("the output file"));
    let summary = match Format::from_name(&out) {
        Format::Csv => {
            let mut w = CsvWriter::new(file).expect("a writer");
            let s = simulate(&history, &opts, &mut |e| {
                w.write(e).map_err(std::io::Error::other)
            });
            w.finish().expect("flushed");
            s
        }
        Format::Ndjson => {
            let mut w = NdjsonWriter::new(file);
            let s = simulate(&history, &opts, &mut |e| w.write(e));
            w.finish().expect("flushed");
            s
        }
    }
    .expect("written");
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{out}: {} … {}: {} persons ({} cards, {} contacts), {} events, {} corrective events on {} days, in {secs:.1} s",
        summary.from.map(|d| d.to_string()).unwrap_or_default(),
        summary.to.map(|d| d.to_string()).unwrap_or_default(),
        summary.persons,
        summary.cards,
        summary.contacts,
        summary.events,
        summary.corrective_events,
        summary.correction_days.len(),
    );
    for s in &summary.shortfalls {
        eprintln!("shortfall: {s}");
    }
    if summary.shortfalls.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(4)
    }
}
