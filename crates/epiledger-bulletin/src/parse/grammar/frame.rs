//! The frame of a bulletin: where it starts (its date header), where it ends (before a
//! repost's citation), its date, and whether it is whole.

use epiledger_core::{Date, Day, Measure, RegionCode};

use super::super::cursor::Cur;
use super::*;

pub(super) const DASHES: &[&str] = &["—", "-", "–", "－", "―", "~", "至"];
pub(super) const CITATIONS: &[&str] = &[
    "（注：媒体引用时",
    "注：媒体引用时",
    "媒体引用时，请标注",
    "（来源：",
    "来源：",
    "（原标题",
    "原标题：",
    "（责任编辑",
    "责任编辑：",
    "（完）",
    "【纠错】",
    "（编辑：",
];

/// What every bulletin of a period states; a text that lacks one was cut short.
pub(super) const REQUIRED: &[(&str, RegionCode, Measure, &str)] = &[
    (
        "2020-01-20",
        RegionCode::NATION,
        Measure::ConfirmedNew,
        "the day's new confirmed cases",
    ),
    (
        "2020-01-20",
        RegionCode::NATION,
        Measure::ConfirmedCumulative,
        "the cumulative confirmed cases",
    ),
    (
        "2020-01-20",
        RegionCode::NATION,
        Measure::ContactsTracedCumulative,
        "the close contacts traced",
    ),
    (
        "2020-01-22",
        RegionCode::HONG_KONG,
        Measure::ConfirmedCumulative,
        "Hong Kong's cases",
    ),
    (
        "2020-01-22",
        RegionCode::MACAO,
        Measure::ConfirmedCumulative,
        "Macao's cases",
    ),
    (
        "2020-01-22",
        RegionCode::TAIWAN,
        Measure::ConfirmedCumulative,
        "Taiwan's cases",
    ),
    (
        "2020-01-23",
        RegionCode::NATION,
        Measure::DischargedCumulative,
        "the cumulative discharged cases",
    ),
    (
        "2020-03-31",
        RegionCode::NATION,
        Measure::AsymptomaticUnderObservation,
        "the asymptomatic infections under observation",
    ),
];

/// A bulletin must state what every bulletin of its period states; a text cut off before it is
/// not stored.
pub(super) fn check_complete(day: &Day, at: usize) -> Result<(), Failure> {
    let Some(date) = day.date else { return Ok(()) };
    for (since, region, measure, what) in REQUIRED {
        let applies = since.parse::<Date>().is_ok_and(|d| date >= d);
        let has = day
            .facts
            .iter()
            .any(|f| f.region.code() == *region && f.measure == *measure);
        if applies && !has {
            return Err((
                at,
                format!(
                    "the text is truncated or garbled: a bulletin of {date} states {what} \
                     ({measure}), and this text does not"
                ),
            ));
        }
    }
    Ok(())
}

/// Rejects text that is not clean: replacement characters, control characters, or a text that
/// ends inside a parenthesis.
pub(super) fn check_clean(text: &str, start: usize, end: usize) -> Result<(), Failure> {
    if let Some((at, ch)) = text
        .char_indices()
        .find(|(_, c)| *c == '\u{fffd}' || (c.is_control() && !c.is_whitespace()))
    {
        return Err((at, format!("garbled text: the character U+{:04X} is no part of a bulletin; check the file's encoding", ch as u32)));
    }
    let mut open = Vec::new();
    for (at, ch) in text[start..end].char_indices() {
        match ch {
            '（' => open.push(start + at),
            '）' => {
                open.pop();
            }
            _ => {}
        }
    }
    if let Some(at) = open.first() {
        return Err((
            *at,
            "the text is truncated: it ends inside the parenthesis opened here".to_string(),
        ));
    }
    Ok(())
}

/// The date a header names.
pub(super) struct Header {
    pub(super) year: Option<i32>,
    pub(super) month: Option<u32>,
    pub(super) day: u32,
}

/// Finds the bulletin's first sentence: `[YYYY年]M月D日0—24时`, `D日0—24时` or `截至M月D日24时`.
pub(super) fn find_start(text: &str) -> Option<(usize, Header)> {
    for (i, ch) in text.char_indices() {
        let boundary = i == 0 || !text[..i].ends_with(|c: char| c.is_ascii_digit());
        if !(ch == '截' || (ch.is_ascii_digit() && boundary)) {
            continue;
        }
        let mut c = Cur::new(&text[i..], i);
        if let Some(h) = header(&mut c) {
            return Some((i, h));
        }
    }
    None
}

/// Reads a date header at the cursor.
pub(super) fn header(c: &mut Cur) -> Option<Header> {
    let save = *c;
    let cutoff = c.eat("截至");
    let mut year = None;
    let (_, first) = c.num_unmarked()?;
    let (month, day) = if c.eat("年") {
        year = Some(first as i32);
        let (_, m) = c.num_unmarked()?;
        if !c.eat("月") {
            *c = save;
            return None;
        }
        let (_, d) = c.num_unmarked()?;
        (Some(m as u32), d as u32)
    } else if c.eat("月") {
        let (_, d) = c.num_unmarked()?;
        (Some(first as u32), d as u32)
    } else {
        (None, first as u32)
    };
    let ok = c.eat("日")
        && if cutoff {
            c.eat("24时")
        } else {
            c.eat("0") && c.eat_any(DASHES).is_some() && c.eat("24时")
        };
    if !ok || (cutoff && month.is_none()) {
        *c = save;
        return None;
    }
    Some(Header { year, month, day })
}

pub(super) fn resolve_date(h: &Header, hint: Option<Date>) -> Result<Date, String> {
    let year = h.year.or(hint.map(|d| d.year())).ok_or_else(|| {
        "the bulletin does not state its year: name the file YYYY-MM-DD.txt or pass --date"
            .to_string()
    })?;
    let month = h.month.or(hint.map(|d| d.month())).unwrap_or(1);
    let date = Date::from_ymd(year, month, h.day)
        .ok_or_else(|| format!("{year}-{month}-{} is no date", h.day))?;
    if let Some(hint) = hint {
        if hint != date {
            return Err(format!(
                "the text reports {date} but the file or --date says {hint}; rename the file or \
                 fix --date"
            ));
        }
    }
    Ok(date)
}

/// Where the bulletin ends: before a trailing citation note, if any.
pub(super) fn find_end(text: &str, start: usize) -> usize {
    let mut end = text.len();
    for cite in CITATIONS {
        let mut from = start;
        while let Some(i) = text[from..].find(cite).map(|i| i + from) {
            // A citation inside a numbered note that also carries a correction stays in.
            let open = text[..i].rfind('（');
            let inside_numbered = open
                .is_some_and(|o| text[o..i].starts_with("（注：1.") && !text[o..i].contains('）'));
            if !inside_numbered {
                let cut = if cite.starts_with('（') || text[..i].ends_with('（') {
                    if text[..i].ends_with('（') {
                        i - '（'.len_utf8()
                    } else {
                        i
                    }
                } else {
                    i
                };
                end = end.min(cut);
                break;
            }
            from = i + cite.len();
        }
    }
    end
}
