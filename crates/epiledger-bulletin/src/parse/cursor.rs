//! A cursor over the normalized text that records which numbers it consumed.

use std::cell::RefCell;
use std::collections::BTreeSet;

/// Which number positions (absolute byte offsets of a digit run's start) have been placed.
#[derive(Debug, Default)]
pub struct Placed(RefCell<BTreeSet<usize>>);

impl Placed {
    /// Marks the number starting at `at` as placed.
    pub fn mark(&self, at: usize) {
        self.0.borrow_mut().insert(at);
    }
    /// Marks every number inside `text` (which starts at absolute offset `base`).
    pub fn mark_all(&self, text: &str, base: usize) {
        for (at, _) in digit_runs(text) {
            self.mark(base + at);
        }
    }
    /// Whether the number at `at` is placed.
    pub fn contains(&self, at: usize) -> bool {
        self.0.borrow().contains(&at)
    }
}

/// The digit runs of a text: (byte offset, the digits).
pub fn digit_runs(text: &str) -> Vec<(usize, &str)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            out.push((start, &text[start..i]));
        } else {
            i += 1;
        }
    }
    out
}

/// A cursor over a slice of the normalized text.
#[derive(Clone, Copy, Debug)]
pub struct Cur<'a> {
    /// The slice.
    pub s: &'a str,
    /// The slice's absolute offset in the normalized text.
    pub base: usize,
    /// The position within the slice.
    pub pos: usize,
}

impl<'a> Cur<'a> {
    /// A cursor at the start of `s`, which begins at absolute offset `base`.
    pub fn new(s: &'a str, base: usize) -> Cur<'a> {
        Cur { s, base, pos: 0 }
    }
    /// What is left.
    pub fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }
    /// Whether nothing is left.
    pub fn done(&self) -> bool {
        self.pos >= self.s.len()
    }
    /// The absolute offset of the position.
    pub fn abs(&self) -> usize {
        self.base + self.pos
    }
    /// Consumes `lit` if the rest starts with it.
    pub fn eat(&mut self, lit: &str) -> bool {
        if self.rest().starts_with(lit) {
            self.pos += lit.len();
            true
        } else {
            false
        }
    }
    /// Consumes the first of `lits` that the rest starts with, returning its index.
    pub fn eat_any(&mut self, lits: &[&str]) -> Option<usize> {
        let i = lits.iter().position(|l| self.rest().starts_with(l))?;
        self.pos += lits[i].len();
        Some(i)
    }
    /// Whether the rest starts with `lit`.
    pub fn peek(&self, lit: &str) -> bool {
        self.rest().starts_with(lit)
    }
    /// Reads a run of ASCII digits as a number, marking it placed.
    pub fn num(&mut self, placed: &Placed) -> Option<i64> {
        let (at, v) = self.num_unmarked()?;
        placed.mark(at);
        Some(v)
    }
    /// Reads a run of ASCII digits without marking it (for dates whose digits are marked
    /// separately), returning its absolute offset and value.
    pub fn num_unmarked(&mut self) -> Option<(usize, i64)> {
        let r = self.rest().as_bytes();
        let n = r.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 || n > 15 {
            return None;
        }
        let v = self.rest()[..n].parse().ok()?;
        let at = self.abs();
        self.pos += n;
        Some((at, v))
    }
}

/// Splits `s` at the separators `seps` that stand outside parentheses, returning each part
/// with its byte offset within `s` (separators dropped).
pub fn split_top<'a>(s: &'a str, seps: &[char]) -> Vec<(usize, &'a str)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, ch) in s.char_indices() {
        match ch {
            '（' | '“' | '《' | '[' | '【' => depth += 1,
            '）' | '”' | '》' | ']' | '】' => depth = (depth - 1).max(0),
            c if depth == 0 && seps.contains(&c) => {
                out.push((start, &s[start..i]));
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    if start < s.len() {
        out.push((start, &s[start..]));
    }
    out
}

/// If `s` starts with a parenthesized group, returns its inside and the length of the group.
pub fn paren_group(s: &str) -> Option<(&str, usize)> {
    if !s.starts_with('（') {
        return None;
    }
    let mut depth = 0;
    for (i, ch) in s.char_indices() {
        match ch {
            '（' => depth += 1,
            '）' => {
                depth -= 1;
                if depth == 0 {
                    return Some((&s['（'.len_utf8()..i], i + '）'.len_utf8()));
                }
            }
            _ => {}
        }
    }
    None
}
