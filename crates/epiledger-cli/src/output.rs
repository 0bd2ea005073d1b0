//! Writing facts as CSV, JSON and tables.

use std::io::{self, Write};

use epiledger_core::{Date, Fact};
use serde::Serialize;

/// The header of a facts CSV.
pub const FACTS_HEADER: &str = "date,region,origin,measure,value";

/// A fact with its date, as exported.
#[derive(Debug, Serialize)]
pub struct DatedFact<'a> {
    /// The day.
    pub date: Date,
    /// Region code (or `code:area`).
    pub region: String,
    /// all, imported, local.
    pub origin: &'a str,
    /// The measure's name.
    pub measure: &'a str,
    /// The value.
    pub value: i64,
}

impl<'a> DatedFact<'a> {
    /// A fact of a day.
    pub fn new(date: Date, f: &'a Fact) -> Self {
        DatedFact {
            date,
            region: f.region.to_string(),
            origin: f.origin.name(),
            measure: f.measure.name(),
            value: f.value,
        }
    }
}

/// Writes one CSV row of a fact.
pub fn csv_row(out: &mut impl Write, date: Date, f: &Fact) -> io::Result<()> {
    writeln!(
        out,
        "{date},{},{},{},{}",
        csv_field(&f.region.to_string()),
        f.origin.name(),
        f.measure.name(),
        f.value
    )
}

/// Quotes a CSV field when it needs it.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Pads `s` to `width` display columns (CJK characters count two).
pub fn pad(s: &str, width: usize) -> String {
    let w: usize = s
        .chars()
        .map(|c| if c.len_utf8() > 1 { 2 } else { 1 })
        .sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}
