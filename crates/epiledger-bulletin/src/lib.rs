//! The NHC bulletin's text: [`parse()`] reads the Chinese bulletins of every period into the
//! ledger's facts, corrections and notes, [`parse_as`] reads English reports of them too
//! (choosing the language by the text where asked); [`render`] writes the bulletin of a day back
//! from the ledger, in Chinese and English, as text, JSON, HTML or Markdown.

pub mod parse;
pub mod phrasing;
pub mod render;
pub mod vocab;

pub use parse::{detect, parse, parse_as, LangChoice, ParseError, Parsed, Unplaced};
pub use render::{bulletin, Bulletin, Format, Lang};
