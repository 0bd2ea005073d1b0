//! The bulletin as Markdown: a title and one paragraph a paragraph.

use super::document::Bulletin;
use super::{text, title, Lang};

/// The bulletin as Markdown.
pub fn write(b: &Bulletin, lang: Lang) -> String {
    let mut out = format!("# {}\n", title(b, lang));
    for line in text(b, lang).lines() {
        out.push('\n');
        out.push_str(&escape(line));
        out.push('\n');
    }
    out
}

/// Escapes the characters Markdown would read as markup (`*` of the footnotes, `#`, `_`).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '*' | '_' | '#' | '[' | ']' | '`' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_are_escaped() {
        assert_eq!(escape("1031例*"), "1031例\\*");
    }
}
