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
    /// Normalizes `original`. A parenthesis that is never closed (a source page that cut a
    /// long paragraph short) is closed at the end of its line.
    pub fn new(original: &str) -> Normalized {
        let unmatched = unmatched_openers(original);
        let mut text = String::with_capacity(original.len());
        let mut origin = Vec::with_capacity(original.len() + 1);
        let mut open_unmatched = 0usize;
        for (at, ch) in original.char_indices() {
            if unmatched.contains(&at) {
                open_unmatched += 1;
            }
            if ch == '\n' && open_unmatched > 0 && !original[at..].trim().is_empty() {
                let closing =
                    "）".repeat(open_unmatched) + if text.ends_with('。') { "" } else { "。" };
                text.push_str(&closing);
                origin.extend(std::iter::repeat_n(at, closing.len()));
                open_unmatched = 0;
                continue;
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

/// The byte offsets of opening parentheses that no closing one matches.
fn unmatched_openers(s: &str) -> Vec<usize> {
    let mut stack = Vec::new();
    for (at, ch) in s.char_indices() {
        match ch {
            '（' | '(' => stack.push(at),
            '）' | ')' => {
                stack.pop();
            }
            _ => {}
        }
    }
    stack
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
    fn closes_a_parenthesis_cut_off_at_the_end_of_a_line() {
        let n = Normalized::new("本土病例3例（吉林2例；\n当日新增治愈出院病例1例（x）。");
        assert_eq!(
            n.text,
            "本土病例3例（吉林2例；）。当日新增治愈出院病例1例（x）。"
        );
        let wrapped = Normalized::new("本土病例3例（吉林2例，\n上海1例）。");
        assert_eq!(wrapped.text, "本土病例3例（吉林2例，上海1例）。");
    }

    #[test]
    fn maps_half_width_and_drops_space() {
        let n = Normalized::new("新增 确诊(广东3例,上海1例)\n；");
        assert_eq!(n.text, "新增确诊（广东3例，上海1例）；");
        assert_eq!(n.original_offset(0), 0);
        assert_eq!(n.original_offset(3), 3);
        assert_eq!(n.original_offset(6), 7);
    }
}
