//! The shipped history is exactly what importing the corpus produces, when `../shared` is
//! present; and it is readable and complete without it.

use std::fs;
use std::path::PathBuf;

use epiledger_history::{load, ShippedDay};

#[test]
fn the_shipped_history_is_whole() {
    let days = load().expect("the shipped history reads");
    assert_eq!(days.len(), 969);
    assert_eq!(
        days[0].day.date.map(|d| d.to_string()).as_deref(),
        Some("2020-01-20")
    );
    assert_eq!(
        days[968].day.date.map(|d| d.to_string()).as_deref(),
        Some("2022-09-14")
    );
    assert!(
        days.iter()
            .all(|d| d.day.notes.iter().all(|n| n.text.is_none())),
        "no bulletin wording is shipped"
    );
}

#[test]
fn reimporting_the_corpus_reproduces_the_shipped_figures() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/nhc/zh");
    let Ok(entries) = fs::read_dir(&dir) else {
        absent(&dir);
        return;
    };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    let shipped = load().expect("the shipped history reads");
    assert_eq!(files.len(), shipped.len());
    for (file, ship) in files.iter().zip(&shipped) {
        let text = fs::read_to_string(file).expect("text");
        let date = file
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.parse().ok());
        let parsed = epiledger_bulletin::parse(&text, date).expect("parses");
        let again = ShippedDay {
            source_hash: parsed.source_hash,
            day: parsed.day.without_text(),
        };
        assert_eq!(&again, ship, "{} differs from the shipped figures: regenerate with `cargo run --release -p epiledger-history --example build`", file.display());
    }
}

/// A test input that is absent: a skip, said so; with `CI=true`, a failure (CI runs every test).
fn absent(what: &std::path::Path) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{} is not present, and CI=true requires it", what.display());
    }
    eprintln!("skipped: {} is not present", what.display());
}
