//! The NHC bulletin's text: [`parse`] reads the Chinese bulletins of every period into the
//! ledger's facts, corrections and notes.

pub mod parse;

pub use parse::{parse, ParseError, Parsed, Unplaced};
