//! The interchange format for case and contact events: one row per event, the same columns in
//! CSV (with a header) and NDJSON (one flat JSON object a line), described by a Table Schema
//! ([`schema::table_schema`]). A [`Mapping`] renames a unit's own columns and gives defaults, so
//! that a line list imports as it is.
//!
//! Reading is streaming: [`read`] hands each event to a callback as it is read and collects
//! every problem with its line and column; [`import`] applies a whole file to a
//! [`Register`] as one batch, stored whole or not at all.

mod columns;
mod csv_io;
mod mapping;
mod ndjson;
mod row;
pub mod schema;

use std::io::Read;

pub use columns::{Column, COLUMNS};
pub use csv_io::CsvWriter;
pub use mapping::{Mapping, MappingError};
pub use ndjson::NdjsonWriter;

use crate::pseudonym::Pseudonymizer;
use crate::register::{Applied, Register};
use crate::Event;

/// The two encodings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header line.
    Csv,
    /// Newline-delimited JSON, one flat object per event.
    Ndjson,
}

impl Format {
    /// The format a file name implies (`.ndjson`, `.jsonl` → NDJSON; anything else CSV).
    pub fn from_name(name: &str) -> Format {
        let n = name.to_ascii_lowercase();
        if n.ends_with(".ndjson") || n.ends_with(".jsonl") || n.ends_with(".json") {
            Format::Ndjson
        } else {
            Format::Csv
        }
    }
}

/// How many problems are listed in full; the rest are counted.
pub const MAX_LISTED: usize = 10_000;

/// A problem of one row: the line (from 1; the CSV header is line 1), the column as the file
/// names it, a stable code and a message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}{}: {message}", column.as_ref().map(|c| format!(", column {c}")).unwrap_or_default())]
pub struct RowError {
    /// The line, from 1 (0: the file as a whole).
    pub line: u64,
    /// The column as the file names it, when the problem is in one field.
    pub column: Option<String>,
    /// A stable code (`unknown_card`, `bad_value`, …).
    pub code: &'static str,
    /// What is wrong, and what would be right.
    pub message: String,
}

/// Every problem of a file (the first [`MAX_LISTED`] in full) and how many there were.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Problems {
    /// The problems listed.
    pub listed: Vec<RowError>,
    /// How many in all.
    pub total: usize,
}

impl Problems {
    fn push(&mut self, e: RowError) {
        self.total += 1;
        if self.listed.len() < MAX_LISTED {
            self.listed.push(e);
        }
    }
    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }
}

impl std::fmt::Display for Problems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for e in &self.listed {
            writeln!(f, "{e}")?;
        }
        if self.total > self.listed.len() {
            writeln!(f, "… and {} more", self.total - self.listed.len())?;
        }
        Ok(())
    }
}

/// What the reader needs besides the bytes.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReadOptions<'a> {
    /// The unit's column names and defaults.
    pub mapping: Option<&'a Mapping>,
    /// The deployment's pseudonymizer: without it a row with an `id_number` is refused.
    pub pseudonymizer: Option<&'a Pseudonymizer>,
}

/// Reads events, handing each to `sink` with its line; returns every problem of reading
/// (values, missing fields). Nothing is applied here.
pub fn read<R: Read>(
    r: R,
    format: Format,
    opts: ReadOptions<'_>,
    mut sink: impl FnMut(u64, Event),
) -> Problems {
    let mut problems = Problems::default();
    match format {
        Format::Csv => csv_io::read(r, opts, &mut sink, &mut problems),
        Format::Ndjson => ndjson::read(r, opts, &mut sink, &mut problems),
    }
    problems
}

/// What an import did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Rows read.
    pub rows: usize,
    /// Events recorded.
    pub recorded: usize,
    /// Events whose id was recorded before (nothing changed).
    pub duplicates: usize,
}

/// Reads a file and applies it to the register as one batch: every event is checked against
/// the register as the file's earlier events leave it; if any row is refused (unreadable or
/// against a rule), nothing of the file stays and every problem is returned with its line and
/// column.
pub fn import<R: Read + Send>(
    register: &mut Register,
    r: R,
    format: Format,
    opts: ReadOptions<'_>,
) -> Result<ImportSummary, Problems> {
    import_with(register, r, format, opts, |_| {})
}

/// [`import`], handing each event the register recorded to `recorded` (in the order applied;
/// events refused or already recorded are not handed): what a store keeps of the batch. If the
/// batch is refused, what `recorded` saw is not part of the register.
pub fn import_with<R: Read + Send>(
    register: &mut Register,
    r: R,
    format: Format,
    opts: ReadOptions<'_>,
    mut recorded: impl FnMut(&Event),
) -> Result<ImportSummary, Problems> {
    let mut summary = ImportSummary::default();
    let mut rule_problems = Problems::default();
    register.begin();
    let mapping = opts.mapping;
    // One thread reads and parses, this one applies, in batches of events.
    const BATCH: usize = 4096;
    let read_problems = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(u64, Event)>>(16);
        let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<(u64, Event)>>();
        let reader = scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH);
            let problems = read(r, format, opts, |line, e| {
                batch.push((line, e));
                if batch.len() == BATCH {
                    let next = back_rx
                        .try_recv()
                        .unwrap_or_else(|_| Vec::with_capacity(BATCH));
                    let full = std::mem::replace(&mut batch, next);
                    // The applying side stops only when this side is done.
                    let _ = tx.send(full);
                }
            });
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
            problems
        });
        for mut batch in rx {
            for (line, e) in batch.drain(..) {
                summary.rows += 1;
                match register.apply(&e) {
                    Ok(Applied::Recorded) => {
                        summary.recorded += 1;
                        if rule_problems.is_empty() {
                            recorded(&e);
                        }
                    }
                    Ok(Applied::Duplicate) => summary.duplicates += 1,
                    Err(err) => rule_problems.push(RowError {
                        line,
                        column: Some(column_name(mapping, err.field())),
                        code: err.code(),
                        message: err.to_string(),
                    }),
                }
            }
            let _ = back_tx.send(batch);
        }
        reader.join().unwrap_or_else(|_| {
            let mut p = Problems::default();
            p.push(RowError {
                line: 0,
                column: None,
                code: "unreadable",
                message: "the reader stopped unexpectedly".into(),
            });
            p
        })
    });
    let mut problems = read_problems;
    let unlisted = rule_problems.total - rule_problems.listed.len();
    for e in rule_problems.listed {
        problems.push(e);
    }
    problems.total += unlisted;
    if problems.is_empty() {
        register.commit();
        Ok(summary)
    } else {
        register.rollback();
        problems.listed.sort_by_key(|e| e.line);
        Err(problems)
    }
}

/// The file's name of one of our columns (through the mapping, if any).
fn column_name(mapping: Option<&Mapping>, ours: &str) -> String {
    mapping
        .and_then(|m| m.source_of(ours))
        .unwrap_or(ours)
        .to_string()
}
