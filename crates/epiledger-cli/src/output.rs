//! Writing tables for people.

/// Pads `s` to `width` display columns (CJK characters count two).
pub fn pad(s: &str, width: usize) -> String {
    let w: usize = s
        .chars()
        .map(|c| if c.len_utf8() > 1 { 2 } else { 1 })
        .sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}
