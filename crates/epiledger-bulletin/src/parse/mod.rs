//! Parsing the Chinese bulletins (every format from January 2020 on) into a [`Day`]: facts,
//! corrections and notes. Every number of the text must land in one of them; the numbers that
//! do not are reported as [`Unplaced`].

mod cursor;
mod grammar;
pub mod lexicon;
mod names;
pub mod normalize;
mod phrasing;

use epiledger_core::{Date, Day};
use serde::Serialize;
use sha2::{Digest, Sha256};

use normalize::{line_col, Normalized};

/// What a parse produced.
#[derive(Debug, Clone, Serialize)]
pub struct Parsed {
    /// The day: facts, corrections and notes.
    pub day: Day,
    /// Numbers of the text that landed nowhere (the target is none).
    pub unplaced: Vec<Unplaced>,
    /// Text that was recognised as no part of the bulletin (a repost's prefix or citation).
    pub ignored: Vec<String>,
    /// The sha256 of the text with all whitespace removed, in hex: the source's identity.
    pub source_hash: String,
}

/// A number the parser could not place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unplaced {
    /// The number, as written.
    pub number: String,
    /// Line and column (1-based) in the original text.
    pub line: usize,
    /// Column, in characters.
    pub column: usize,
    /// The sentence it stands in.
    pub sentence: String,
}

/// A text that could not be read as a bulletin.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct ParseError {
    /// Line (1-based) in the original text.
    pub line: usize,
    /// Column (1-based, characters).
    pub column: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// Parses a bulletin. The year comes from the text where it states one, otherwise from `date`
/// (usually taken from a file name like `2020-06-19.txt`); a `date` that disagrees with the
/// text's month and day is an error.
pub fn parse(text: &str, date: Option<Date>) -> Result<Parsed, ParseError> {
    let norm = Normalized::new(text);
    let error_at = |at: usize, message: String| {
        let (line, column) = line_col(text, norm.original_offset(at));
        ParseError {
            line,
            column,
            message,
        }
    };
    let mut out = grammar::parse_normalized(&norm.text, date).map_err(|(at, m)| error_at(at, m))?;
    phrasing::record(&norm.text, text, &mut out.day);
    let mut unplaced = Vec::new();
    for (at, digits) in cursor::digit_runs(&norm.text) {
        if at >= out.start && at < out.end && !out.placed.contains(at) {
            let (line, column) = line_col(text, norm.original_offset(at));
            let sentence = sentence_around(&norm.text, at);
            unplaced.push(Unplaced {
                number: digits.to_string(),
                line,
                column,
                sentence,
            });
        }
    }
    let source_hash = hex::encode(Sha256::digest(norm_for_hash(text).as_bytes()));
    Ok(Parsed {
        day: out.day,
        unplaced,
        ignored: out.ignored,
        source_hash,
    })
}

/// The text with all whitespace removed: two texts that differ only in whitespace are the same
/// source.
pub fn norm_for_hash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn sentence_around(s: &str, at: usize) -> String {
    let start = s[..at]
        .rfind('。')
        .map(|i| i + '。'.len_utf8())
        .unwrap_or(0);
    let end = s[at..]
        .find('。')
        .map(|i| at + i + '。'.len_utf8())
        .unwrap_or(s.len());
    s[start..end].chars().take(200).collect()
}
