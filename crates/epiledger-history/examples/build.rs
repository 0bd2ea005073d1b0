//! Rebuilds the shipped history from the bulletins:
//! `cargo run --release -p epiledger-history --example build -- ../shared/nhc/zh`
use std::{env, fs, process::ExitCode};

use epiledger_history::ShippedDay;

fn main() -> ExitCode {
    let dir = env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/nhc/zh".into());
    let out = env::args()
        .nth(2)
        .unwrap_or_else(|| "crates/epiledger-history/data/nhc-2020-2022.jsonl.gz".into());
    let Ok(entries) = fs::read_dir(&dir) else {
        eprintln!("cannot read {dir}");
        return ExitCode::FAILURE;
    };
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    let mut days = Vec::new();
    for f in &files {
        let text = fs::read_to_string(f).expect("utf-8 bulletin");
        let date = f
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.parse().ok());
        match epiledger_bulletin::parse(&text, date) {
            Ok(p) if p.unplaced.is_empty() => days.push(ShippedDay {
                source_hash: p.source_hash,
                day: p.day,
            }),
            Ok(p) => {
                eprintln!("{}: {} unplaced numbers", f.display(), p.unplaced.len());
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("{}: {e}", f.display());
                return ExitCode::FAILURE;
            }
        }
    }
    let file = fs::File::create(&out).expect("writable output");
    epiledger_history::write(&days, file).expect("written");
    eprintln!("{} days written to {out}", days.len());
    ExitCode::SUCCESS
}
