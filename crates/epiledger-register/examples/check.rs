//! Reads an events file, derives the figures, and compares them with the shipped history:
//! prints every difference and exits 4 if there is any (3 if the file is refused).
//!
//! `cargo run --release -p epiledger-register --example check -- FILE [--from D] [--to D]`

use std::fs::File;
use std::process::ExitCode;
use std::time::Instant;

use epiledger_register::interchange::{import, Format, ReadOptions};
use epiledger_register::simulate::compare;
use epiledger_register::Register;

mod common;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: check FILE [--from D] [--to D]");
        return ExitCode::from(2);
    };
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(|v| v.parse().expect("YYYY-MM-DD"))
    };
    let history = common::shipped_days();
    let start = Instant::now();
    let mut register = Register::new();
    let file = File::open(path).expect("the events file");
    // A bulk import: room for about one event per 120 bytes.
    let bytes = file.metadata().map(|m| m.len() as usize).unwrap_or(0);
    register.reserve(bytes / 120, bytes / 1500, bytes / 280);
    let summary = match import(
        &mut register,
        file,
        Format::from_name(path),
        ReadOptions::default(),
    ) {
        Ok(s) => s,
        Err(problems) => {
            eprint!("{problems}");
            eprintln!("{path}: refused, {} problems; nothing kept", problems.total);
            return ExitCode::from(3);
        }
    };
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{path}: {} rows, {} events recorded ({} duplicates) in {secs:.2} s ({:.0} events/s); {} cards, {} contacts",
        summary.rows,
        summary.recorded,
        summary.duplicates,
        summary.rows as f64 / secs,
        register.cards(),
        register.contacts()
    );
    let d = register.derivation();
    let Some((first, last)) = d.span() else {
        println!("no events");
        return ExitCode::SUCCESS;
    };
    let from = flag("--from").unwrap_or(epiledger_core::Date::from(
        first.naive().succ_opt().unwrap_or(first.naive()),
    ));
    let to = flag("--to").unwrap_or(last);
    let (diffs, compared) = compare(&history, d, from, to);
    let corrections: usize = d
        .dates()
        .filter(|x| *x >= from && *x <= to)
        .map(|x| d.corrections_on(x).len())
        .sum();
    for x in &diffs {
        println!("{x}");
    }
    println!(
        "{from} … {to}: {compared} figures of the history compared, {} differences; {corrections} derived corrections",
        diffs.len()
    );
    if diffs.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(4)
    }
}
