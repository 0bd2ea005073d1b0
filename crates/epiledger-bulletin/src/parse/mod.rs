//! Parsing the bulletins into a [`Day`]: facts, corrections and notes. [`parse`] reads the
//! Chinese bulletins (every format from January 2020 on); [`en`] reads English reports of them
//! (the NHC's English briefing, wire services' paraphrases, word-for-word translations);
//! [`parse_as`] reads either, choosing by the text where asked. Every number of the text must
//! land in one of them; the numbers that do not are reported as [`Unplaced`].

mod cursor;
pub mod en;
mod grammar;
pub mod lexicon;
pub(crate) mod names;
pub mod normalize;
mod phrasing;

use epiledger_core::{Date, Day, Lang};
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
    /// The language the source is written in.
    pub lang: Lang,
}

/// Which language to read a text as.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LangChoice {
    /// Decide from the text ([`detect`]).
    #[default]
    Auto,
    /// The NHC's Chinese bulletin.
    Zh,
    /// An English report of it.
    En,
}

impl std::str::FromStr for LangChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "auto" => Ok(LangChoice::Auto),
            "zh" => Ok(LangChoice::Zh),
            "en" => Ok(LangChoice::En),
            other => Err(format!("unknown language `{other}`: use auto, zh or en")),
        }
    }
}

/// The language a text is written in: Chinese when Chinese characters outnumber the letters
/// of English words, English otherwise (a Chinese place name in an English report, or an
/// English headline over a Chinese bulletin, does not change it).
pub fn detect(text: &str) -> Lang {
    let mut cjk = 0usize;
    let mut latin = 0usize;
    for c in text.chars() {
        if en::token::is_cjk(c) {
            cjk += 1;
        } else if c.is_ascii_alphabetic() {
            latin += 1;
        }
    }
    // A Chinese character carries about as much as a short English word.
    if cjk * 4 >= latin && cjk > 0 {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// Parses a bulletin in the language chosen: Chinese ([`parse`]), English ([`en::parse`]), or
/// the language [`detect`] finds. The source language is recorded in [`Parsed::lang`].
pub fn parse_as(text: &str, date: Option<Date>, lang: LangChoice) -> Result<Parsed, ParseError> {
    let lang = match lang {
        LangChoice::Auto => detect(text),
        LangChoice::Zh => Lang::Zh,
        LangChoice::En => Lang::En,
    };
    match lang {
        Lang::Zh => parse(text, date),
        Lang::En => en::parse(text, date),
    }
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
        lang: Lang::Zh,
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
