//! The frame of an English report: its sentences, the dates and times it names, where the
//! report starts (after a headline, a dateline such as `BEIJING, Feb. 20 (Xinhua) --`, or a
//! source line) and where it ends (before an editor's note or a site's footer), and its day.

use epiledger_core::Date;

use crate::vocab::en::token::{Kind, Tok};

/// Month names and their abbreviations.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

/// Weekdays, Monday first (0).
const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Words after which a full stop is no sentence's end.
const ABBREVIATIONS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no",
    "nos", "mr", "mrs", "ms", "dr", "st", "vs", "i", "e", "u", "s", "a", "m", "p", "etc",
];

/// Capitalized words that open a sentence: met in the middle of a run of words, they start a
/// new sentence whose full stop was lost.
const OPENERS: &[&str] = &[
    "as",
    "on",
    "there",
    "the",
    "a",
    "an",
    "among",
    "of",
    "also",
    "by",
    "no",
    "none",
    "meanwhile",
    "altogether",
    "according",
    "it",
    "between",
    "in",
    "serious",
    "severe",
    "newly",
];

/// Words that cannot end a sentence (a line broken after them continues the sentence).
const FUNCTION_WORDS: &[&str] = &[
    "the",
    "a",
    "an",
    "of",
    "and",
    "in",
    "on",
    "at",
    "to",
    "by",
    "from",
    "with",
    "for",
    "as",
    "or",
    "were",
    "was",
    "had",
    "have",
    "has",
    "is",
    "are",
    "which",
    "whom",
    "including",
];

/// Phrases that end the report: an editor's note, a source line, a site's footer.
const END_MARKERS: &[&[&str]] = &[
    &["editor", "'s", "note"],
    &["editor", "'s", "notes"],
    &["editors", "note"],
    &["editor", "note"],
    &["source"],
    &["related"],
    &["read", "more"],
    &["visit", "the", "original"],
    &["comments", "are", "closed"],
    &["copyright"],
    &["reporting", "by"],
    &["editing", "by"],
    &["photo"],
    &["tags"],
    &["the", "article", "comes", "from"],
    &["end"],
    &["media", "must"],
    &["disclaimer"],
    &["this", "story"],
    &["this", "article"],
    &["share"],
    &["print"],
    &["powered", "by"],
];

/// A sentence: a range of tokens.
pub type Span = (usize, usize);

/// A date as written: (year if stated, month, day).
pub type Ymd = (Option<i32>, u32, u32);

/// A date found at a token: year, month, day, the token after it, its number tokens.
pub type DateFound = (Option<i32>, u32, u32, usize, Vec<usize>);

/// Splits the tokens into sentences: at full stops (not after an abbreviation), at a line
/// break after a line with no full stop that cannot continue (a headline), and before a
/// capitalized opener met in the middle of a run of words (a lost full stop).
pub fn sentences(toks: &[Tok]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth = 0i32;
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let boundary_before =
            i > start && depth == 0 && (line_boundary(toks, i) || opener_boundary(toks, i));
        if boundary_before {
            out.push((start, i));
            start = i;
        }
        if t.kind == Kind::Punct {
            match t.text.as_str() {
                "(" => depth += 1,
                ")" => depth = (depth - 1).max(0),
                "." | "!" | "?" if depth == 0 => {
                    let abbrev = i > 0
                        && toks[i - 1].kind == Kind::Word
                        && ABBREVIATIONS.contains(&toks[i - 1].text.as_str())
                        && toks
                            .get(i + 1)
                            .is_some_and(|n| !n.nl && !n.cap || n.is_num());
                    if !abbrev {
                        out.push((start, i + 1));
                        start = i + 1;
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    if start < toks.len() {
        out.push((start, toks.len()));
    }
    out.retain(|(a, b)| b > a);
    out
}

fn line_boundary(toks: &[Tok], i: usize) -> bool {
    let t = &toks[i];
    if !t.nl || i == 0 {
        return false;
    }
    let prev = &toks[i - 1];
    let continues = (prev.kind == Kind::Word && FUNCTION_WORDS.contains(&prev.text.as_str()))
        || (prev.kind == Kind::Punct && [",", "(", ";", ":", "-"].contains(&prev.text.as_str()));
    !continues && (t.cap || t.is_num() || t.kind == Kind::Punct)
}

fn opener_boundary(toks: &[Tok], i: usize) -> bool {
    let t = &toks[i];
    if !(t.cap && t.kind == Kind::Word && OPENERS.contains(&t.text.as_str())) || i == 0 {
        return false;
    }
    let prev = &toks[i - 1];
    // "On June 19, ..." after a word or number with no stop between.
    (prev.kind == Kind::Word && !prev.cap && !FUNCTION_WORDS.contains(&prev.text.as_str()))
        || prev.is_num()
        || prev.is_punct(')')
}

/// A month named at token `i` (`June`, `Jun.`, `Jun`).
pub fn month_at(toks: &[Tok], i: usize) -> Option<(u32, usize)> {
    let t = toks.get(i)?;
    if t.kind != Kind::Word {
        return None;
    }
    let (_, m) = MONTHS.iter().find(|(n, _)| *n == t.text)?;
    // "may" is a month only before or after a day.
    let mut end = i + 1;
    if toks.get(end).is_some_and(|t| t.is_punct('.')) {
        end += 1;
    }
    Some((*m, end))
}

/// A date written at token `i`: `June 19`, `Jun. 19th, 2020`, `19 June`, `19 June 2020`,
/// `2020-06-19`. Returns (year, month, day), the end, and the tokens that are its numbers.
pub fn date_at(toks: &[Tok], i: usize) -> Option<DateFound> {
    // 2020-06-19
    if let (Some(y), Some(d1), Some(m), Some(d2), Some(d)) = (
        toks.get(i),
        toks.get(i + 1),
        toks.get(i + 2),
        toks.get(i + 3),
        toks.get(i + 4),
    ) {
        if y.is_num()
            && y.text.len() == 4
            && d1.is_punct('-')
            && m.is_num()
            && d2.is_punct('-')
            && d.is_num()
            && (1..=12).contains(&m.value)
            && (1..=31).contains(&d.value)
        {
            return Some((
                Some(y.value as i32),
                m.value as u32,
                d.value as u32,
                i + 5,
                vec![i, i + 2, i + 4],
            ));
        }
    }
    // June 19[, 2020]
    if let Some((m, end)) = month_at(toks, i) {
        let d = toks
            .get(end)
            .filter(|t| t.is_num() && (1..=31).contains(&t.value))?;
        let mut e = end + 1;
        let mut nums = vec![end];
        let mut year = None;
        let comma = toks.get(e).is_some_and(|t| t.is_punct(','));
        let y_at = if comma { e + 1 } else { e };
        if let Some(y) = toks.get(y_at).filter(|t| t.is_num() && t.text.len() == 4) {
            if (2019..=2030).contains(&y.value) {
                year = Some(y.value as i32);
                nums.push(y_at);
                e = y_at + 1;
            }
        }
        return Some((year, m, d.value as u32, e, nums));
    }
    // 19 June[ 2020]
    let d = toks
        .get(i)
        .filter(|t| t.is_num() && (1..=31).contains(&t.value))?;
    let (m, end) = month_at(toks, i + 1)?;
    let mut nums = vec![i];
    let mut e = end;
    let mut year = None;
    if let Some(y) = toks.get(e).filter(|t| t.is_num() && t.text.len() == 4) {
        if (2019..=2030).contains(&y.value) {
            year = Some(y.value as i32);
            nums.push(e);
            e += 1;
        }
    }
    Some((year, m, d.value as u32, e, nums))
}

/// A weekday named at token `i` (0 = Monday).
pub fn weekday_at(toks: &[Tok], i: usize) -> Option<u32> {
    let t = toks.get(i)?;
    WEEKDAYS.iter().position(|w| t.is(w)).map(|p| p as u32)
}

/// A clock time at token `i`: `24:00`, `0:00`, `00:00`, `0: 00`; returns the hour, the end
/// and the number tokens.
pub fn time_at(toks: &[Tok], i: usize) -> Option<(i64, usize, Vec<usize>)> {
    let h = toks.get(i).filter(|t| t.is_num() && t.value <= 24)?;
    toks.get(i + 1).filter(|t| t.is_punct(':'))?;
    toks.get(i + 2)
        .filter(|t| t.is_num() && t.value == 0 && t.text.len() <= 2)?;
    Some((h.value, i + 3, vec![i, i + 2]))
}

/// Whether the words at `i` are an end marker of the report.
pub fn end_marker_at(toks: &[Tok], i: usize) -> bool {
    let mut j = i;
    while toks
        .get(j)
        .is_some_and(|t| t.is_punct('(') || t.is_punct('[') || t.is_punct('-'))
    {
        j += 1;
    }
    END_MARKERS.iter().any(|m| {
        m.iter()
            .enumerate()
            .all(|(k, w)| toks.get(j + k).is_some_and(|t| t.is(w)))
            && toks
                .get(j + m.len())
                .is_none_or(|t| t.kind != Kind::Word || m.len() > 1 || m[0] == "end")
    })
}

/// A dateline at the start of the sentence at `i`: `BEIJING, Feb. 20 (Xinhua) --`,
/// `BEIJING --`, `WUHAN, Feb. 13 (Xinhua) —`. Returns the publication date it names (if any)
/// and the token after it.
pub fn dateline_at(text: &str, toks: &[Tok], i: usize) -> Option<(Option<Ymd>, usize, Vec<usize>)> {
    let caps = |t: &Tok| {
        t.kind == Kind::Word
            && text[t.start..t.end].chars().all(|c| !c.is_lowercase())
            && text[t.start..t.end].chars().count() >= 3
    };
    let mut j = i;
    while toks.get(j).is_some_and(caps) {
        j += 1;
    }
    if j == i {
        return None;
    }
    let mut date = None;
    let mut nums = Vec::new();
    if toks.get(j).is_some_and(|t| t.is_punct(',')) {
        if let Some((y, m, d, e, n)) = date_at(toks, j + 1) {
            date = Some((y, m, d));
            nums = n;
            j = e;
        }
    }
    if toks.get(j).is_some_and(|t| t.is_punct('(')) {
        let close = (j..toks.len().min(j + 6)).find(|k| toks[*k].is_punct(')'))?;
        j = close + 1;
    }
    if !toks.get(j).is_some_and(|t| t.is_punct('-')) {
        return None;
    }
    while toks.get(j).is_some_and(|t| t.is_punct('-')) {
        j += 1;
    }
    Some((date, j, nums))
}

/// The day a weekday names, on or before `before` (the publication day, or the day after the
/// reporting day when that is what is known).
pub fn weekday_on_or_before(weekday: u32, before: Date) -> Date {
    let mut d = before;
    for _ in 0..7 {
        if weekday_of(d) == weekday {
            return d;
        }
        d = d.pred();
    }
    d
}

/// The weekday of a date (0 = Monday).
pub fn weekday_of(d: Date) -> u32 {
    // 2020-01-20 was a Monday.
    let base = Date::from_ymd(2020, 1, 20).expect("a date");
    let days = days_between(base, d);
    days.rem_euclid(7) as u32
}

fn days_between(a: Date, b: Date) -> i64 {
    fn days(d: Date) -> i64 {
        let (y, m, dd) = (d.year() as i64, d.month() as i64, d.day() as i64);
        let y2 = if m <= 2 { y - 1 } else { y };
        let era = y2.div_euclid(400);
        let yoe = y2 - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + dd - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe
    }
    days(b) - days(a)
}

/// The name of a weekday.
pub fn weekday_name(w: u32) -> &'static str {
    WEEKDAYS.get(w as usize).copied().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocab::en::token::tokenize;

    #[test]
    fn weekdays() {
        let d: Date = "2020-06-19".parse().unwrap();
        assert_eq!(weekday_name(weekday_of(d)), "friday");
        let mon: Date = "2020-03-23".parse().unwrap();
        assert_eq!(weekday_of(mon), 0);
        let pub_day: Date = "2020-03-24".parse().unwrap();
        assert_eq!(weekday_on_or_before(0, pub_day), mon);
    }

    #[test]
    fn dates_in_their_forms() {
        for s in [
            "June 19",
            "Jun. 19, 2020",
            "19 June 2020",
            "2020-06-19",
            "June 19th",
        ] {
            let t = tokenize(s);
            let (_, m, d, end, _) = date_at(&t, 0).unwrap_or_else(|| panic!("{s}"));
            assert_eq!((m, d, end), (6, 19, t.len()), "{s}");
        }
    }

    #[test]
    fn sentences_at_stops_headlines_and_lost_stops() {
        let t =
            tokenize("Mainland reports 31 cases\nBEIJING, Feb. 20 (Xinhua) -- It said 3. Next one");
        let s = sentences(&t);
        assert_eq!(s.len(), 3, "{s:?}");
        let t = tokenize("and no deaths 57 patients were released As of 24:00 on Dec 28, x");
        assert_eq!(sentences(&t).len(), 2);
        let t = tokenize("reported 27 new\nconfirmed cases (4 in\nGuangdong).");
        assert_eq!(sentences(&t).len(), 1);
    }
}
