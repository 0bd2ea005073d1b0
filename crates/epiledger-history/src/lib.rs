//! The real history of the Chinese mainland's epidemic, 2020-01-20 … 2022-09-14, as the figures
//! that `epiledger import nhc` derives from the National Health Commission's 969 bulletins:
//! facts, corrections and notes, with numbers and our own labels only (never the bulletins'
//! sentences). Compiled into the binary so that every command works on a fresh machine.
//!
//! Regenerate with `cargo run --release -p epiledger-history --example build -- ../shared/nhc/zh`;
//! a test checks that re-importing the corpus reproduces these figures exactly.

use std::io::{BufRead, BufReader, Write};

use chrono::{DateTime, NaiveTime, Utc};
use epiledger_core::{Date, Day};
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde::{Deserialize, Serialize};

/// The shipped history, gzip-compressed JSON Lines (one [`ShippedDay`] a line).
pub static NHC_HISTORY: &[u8] = include_bytes!("../data/nhc-2020-2022.jsonl.gz");

/// The name the shipped history is recorded under as a source.
pub const SOURCE_NAME: &str = "embedded:nhc-2020-2022";

/// One day of the shipped history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippedDay {
    /// The sha256 of the bulletin's text with all whitespace removed: the same identity that
    /// importing the text computes, so that importing the corpus over the shipped history
    /// changes nothing.
    pub source_hash: String,
    /// The figures, without the bulletin's wording.
    pub day: Day,
}

impl ShippedDay {
    /// When the National Health Commission published the bulletin of this day: the morning
    /// after the reported day, as [`published_at`] says. The shipped history is recorded at
    /// that time, so that a read as of a day of 2020–2022 knows what was published by then.
    pub fn published_at(&self) -> Option<DateTime<Utc>> {
        self.day.date.map(published_at)
    }
}

/// When the NHC published the bulletin of a reported day: the next day (the bulletins came out
/// each morning). Only the date is known, so the time is the start of that day in Beijing.
pub fn published_at(reported: Date) -> DateTime<Utc> {
    reported.succ().at_beijing(NaiveTime::MIN)
}

/// The shipped history could not be read (a build problem, never a user's).
#[derive(Debug, thiserror::Error)]
#[error("the shipped history is unreadable at line {line}: {message}")]
pub struct HistoryError {
    /// The line of the JSON Lines file.
    pub line: usize,
    /// What went wrong.
    pub message: String,
}

/// Reads the shipped history.
pub fn load() -> Result<Vec<ShippedDay>, HistoryError> {
    read(NHC_HISTORY)
}

/// Reads a gzip-compressed JSON Lines history.
pub fn read(bytes: &[u8]) -> Result<Vec<ShippedDay>, HistoryError> {
    let reader = BufReader::new(GzDecoder::new(bytes));
    let mut out = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| HistoryError {
            line: i + 1,
            message: e.to_string(),
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let day = serde_json::from_str(&line).map_err(|e| HistoryError {
            line: i + 1,
            message: e.to_string(),
        })?;
        out.push(day);
    }
    Ok(out)
}

/// Writes days as gzip-compressed JSON Lines, dropping the source wording of notes.
pub fn write(days: &[ShippedDay], out: impl Write) -> std::io::Result<()> {
    let mut gz = GzEncoder::new(out, flate2::Compression::best());
    for d in days {
        let shipped = ShippedDay {
            source_hash: d.source_hash.clone(),
            day: d.day.without_text(),
        };
        serde_json::to_writer(&mut gz, &shipped)?;
        gz.write_all(b"\n")?;
    }
    gz.finish()?;
    Ok(())
}
