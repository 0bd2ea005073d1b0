//! Parses every bulletin of a directory and prints what could not be placed.
//! `cargo run --release -p epiledger-bulletin --example corpus -- ../shared/nhc/zh`
use std::{env, fs};

mod common;

fn main() {
    let dir = env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/nhc/zh".into());
    let filter = env::args().nth(2);
    let files = common::sorted_files(&dir);
    let (mut errors, mut unplaced, mut days) = (0, 0, 0);
    for f in files {
        let name = f.file_stem().unwrap().to_string_lossy().to_string();
        if let Some(flt) = &filter {
            if !name.starts_with(flt.as_str()) {
                continue;
            }
        }
        let text = fs::read_to_string(&f).unwrap();
        let date = name.parse().ok();
        match epiledger_bulletin::parse(&text, date) {
            Ok(p) => {
                days += 1;
                for u in &p.unplaced {
                    unplaced += 1;
                    println!(
                        "UNPLACED {name} {}:{} {} | {}",
                        u.line, u.column, u.number, u.sentence
                    );
                }
                if filter.is_some() {
                    println!("{}", serde_json::to_string_pretty(&p.day).unwrap());
                }
            }
            Err(e) => {
                errors += 1;
                println!("ERROR {name}: {e}");
            }
        }
    }
    println!("{days} days, {unplaced} unplaced, {errors} errors");
}
