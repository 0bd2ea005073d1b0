//! Small readers shared by the grammar: region figures, list items, asterisks.

use super::super::cursor::{digit_runs, split_top, Cur, Placed};
use super::super::names;

/// Reads `name N例` at the cursor (the name is everything before the first digit).
pub(super) fn region_figure<'a>(
    mut c: Cur<'a>,
    placed: &Placed,
) -> Option<(&'a str, i64, Cur<'a>)> {
    let (name, v, npos, c2) = region_figure_at(c, placed)?;
    placed.mark(npos);
    c = c2;
    Some((name, v, c))
}

/// Like [`region_figure`], returning the number's position without marking it.
pub(super) fn region_figure_at<'a>(
    mut c: Cur<'a>,
    placed: &Placed,
) -> Option<(&'a str, i64, usize, Cur<'a>)> {
    let r = c.rest();
    // The count is the first number followed by 例 or 人 (仙桃等4市新增13例).
    let (i, _) = digit_runs(r).into_iter().find(|(at, d)| {
        let after = &r[at + d.len()..];
        after.starts_with('例') || after.starts_with('人') || after.starts_with('*')
    })?;
    let name = &r[..i];
    if !names::looks_like_place(name.strip_suffix("新增").unwrap_or(name)) {
        return None;
    }
    let name_at = c.abs();
    c.pos += i;
    let (npos, v) = c.num_unmarked()?;
    if !c.eat("例") && !c.eat("人") {
        return None;
    }
    placed.mark_all(name, name_at);
    Some((name, v, npos, c))
}

/// Splits a list at 、 and at 和 between items.
pub(super) fn split_items(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for (off, it) in split_top(s, &['、']) {
        // 四川省2例和云南省1例
        match it.find("例和") {
            Some(i) => {
                let cut = i + "例".len();
                out.push((off, &it[..cut]));
                out.push((off + cut + "和".len(), &it[cut + "和".len()..]));
            }
            None => out.push((off, it)),
        }
    }
    out
}

/// Splits `*A**B` into `*A` and `**B`.
pub(super) fn split_stars(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = s.as_bytes();
    for i in 1..b.len() {
        if b[i] == b'*' && b[i - 1] != b'*' {
            out.push((start, &s[start..i]));
            start = i;
        }
    }
    out.push((start, &s[start..]));
    out
}

/// Counts asterisks (or a trailing `*` before 例) at the cursor.
pub(super) fn stars(c: &mut Cur, placed: &Placed) -> usize {
    let mut n = 0;
    while c.eat("*") || c.eat("＊") {
        n += 1;
    }
    if n == 0 {
        let at = c.abs();
        if let Some(i) = c.eat_any(&["[1]", "[2]", "[3]"]) {
            placed.mark(at + 1);
            n = i + 1;
        }
    }
    n
}

/// Whether a sentence is a footnote.
pub(super) fn is_footnote(s: &str) -> bool {
    s.starts_with("注：")
        || s.starts_with("备注：")
        || s.starts_with("（注：")
        || s.starts_with('*')
        || s.starts_with('＊')
        || s.starts_with("[1]")
        || (s.starts_with('（') && s.ends_with("订正）"))
}

/// Words that carry nothing of the ledger.
pub(super) fn is_filler(s: &str) -> bool {
    matches!(
        s,
        "其中" | "据此" | "另外" | "）" | "" | "报告" | "累计报告"
    )
}

/// `17例死亡病例病情介绍`: the count of the deaths described.
pub(super) fn case_descriptions(s: &str) -> Option<i64> {
    let i = s.find("例死亡病例病情介绍")?;
    if i == 0 || !s[..i].bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s[..i].parse().ok()
}
