//! The bulletin as JSON, for machines: the structured document with the ledger's measure
//! names, and its text.

use serde::Serialize;

use super::document::{Bulletin, Paragraph};
use super::{text, Lang};

#[derive(Serialize)]
struct Doc<'a> {
    date: String,
    scope: String,
    lang: &'static str,
    text: String,
    paragraphs: &'a [Paragraph],
}

/// The bulletin as pretty-printed JSON: `date`, `scope`, `lang`, `text` (in `lang`) and the
/// `paragraphs` with their sentences, clauses and figures.
pub fn write(b: &Bulletin, lang: Lang) -> String {
    let doc = Doc {
        date: b.date.to_string(),
        scope: b.scope.to_string(),
        lang: lang.code(),
        text: text(b, lang),
        paragraphs: &b.paragraphs,
    };
    serde_json::to_string_pretty(&doc).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
