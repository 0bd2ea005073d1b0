//! Parsing English reports of the bulletin: the NHC's English daily briefing, the wire
//! services' paraphrases (Xinhua, China Daily, CGTN, China News Service), word-for-word
//! translations that keep the Chinese order, and the renderer's own English. Every number of the
//! report lands in a fact, a correction or a note, or is reported as [`Unplaced`].
//!
//! The text is tokenized ([`token`]: numbers with or without thousands separators, or written
//! as words), cut into sentences and framed ([`frame`]: the report's start after a headline,
//! dateline or source line, its end before an editor's note, its day), and read sentence by
//! sentence ([`grammar`]).

pub mod frame;
pub mod grammar;
pub use crate::vocab::en::{lexicon, places, token};

use epiledger_core::{
    Correction, CorrectionKind, Date, Day, Fact, Lang, Measure, Note, NoteKind, NoteValue, Origin,
    RegionId,
};
use sha2::{Digest, Sha256};

use super::normalize::line_col;
use super::{norm_for_hash, ParseError, Parsed, Unplaced};
use frame::{
    date_at, dateline_at, end_marker_at, sentences, time_at, weekday_at, weekday_name, weekday_of,
    weekday_on_or_before, Span,
};
use grammar::{measure_of, Ctx, Fig, Frame, Reader, Role};
use lexicon::*;
use token::{tokenize, Kind, Tok};

/// What the frame pass found in a sentence.
#[derive(Clone, Debug, Default)]
struct Framed {
    frame: Option<Frame>,
    /// A date the sentence's time words name: (year, month, day).
    date: Option<frame::Ymd>,
    /// A weekday they name as the reporting day.
    weekday: Option<u32>,
    /// A weekday they name as the day the report was published (`said Thursday`).
    pub_weekday: Option<u32>,
    /// Whether the sentence states a figure (a number or `no` with the words of a measure).
    figure: bool,
    /// A restatement, a restated figure or a correction of an earlier day.
    special: bool,
}

/// Parses an English report of the bulletin of one day.
pub fn parse(text: &str, hint: Option<Date>) -> Result<Parsed, ParseError> {
    let err = |at: usize, message: String| {
        let (line, column) = line_col(text, at);
        ParseError {
            line,
            column,
            message,
        }
    };
    if let Some((at, ch)) = text
        .char_indices()
        .find(|(_, c)| *c == '\u{fffd}' || (c.is_control() && !c.is_whitespace()))
    {
        return Err(err(
            at,
            format!(
                "garbled text: the character U+{:04X} is no part of a report; check the file's \
                 encoding",
                ch as u32
            ),
        ));
    }
    let toks = tokenize(text);
    if toks.is_empty() {
        return Err(err(0, "empty text: there is no report to read".into()));
    }
    let sents = sentences(&toks);
    // Frames of every sentence (which tokens are dates, times, the reporting units).
    let mut used = vec![false; toks.len()];
    let mut placed = vec![false; toks.len()];
    let mut remarks: Vec<Note> = Vec::new();
    let mut framed: Vec<Framed> = Vec::with_capacity(sents.len());
    let mut pub_date: Option<frame::Ymd> = None;
    let mut datelines: Vec<(usize, usize)> = Vec::new();
    for (n, (a, b)) in sents.iter().enumerate() {
        let mut a = *a;
        if n < 3 {
            if let Some((d, end, nums)) = dateline_at(text, &toks, a) {
                pub_date = pub_date.or(d);
                used[a..end].fill(true);
                for k in nums {
                    placed[k] = true;
                }
                datelines.push((a, end));
                a = end;
            }
        }
        framed.push(frame_sentence(
            &toks,
            a,
            *b,
            &mut used,
            &mut placed,
            &mut remarks,
        ));
    }
    // Where the report starts: the first sentence with a day and a figure.
    let start = framed
        .iter()
        .position(|f| {
            f.figure
                && (f.date.is_some()
                    || f.weekday.is_some()
                    || f.pub_weekday.is_some()
                    || f.frame.is_some())
        })
        .or_else(|| hint.and_then(|_| framed.iter().position(|f| f.figure)))
        .ok_or_else(|| {
            // Another country's figures: say whose.
            if let Some(t) = toks
                .iter()
                .find(|t| t.cap && t.kind == Kind::Word && grammar::foreign(&t.text))
            {
                return err(
                    t.start,
                    format!(
                        "`{}` is no place of the Chinese mainland, Hong Kong, Macao or Taiwan: \
                         this reads as another country's figures, not a report of the NHC \
                         bulletin",
                        &text[t.start..t.end]
                    ),
                );
            }
            let at = toks.first().map_or(0, |t| t.start);
            err(
                at,
                "not a bulletin report: no reporting day with a figure found (a report states \
                 the day's figures, as in `On June 19, the Chinese mainland reported 27 new \
                 confirmed cases`); if the text is a report, give its day with --date"
                    .into(),
            )
        })?;
    // Where it ends: before an editor's note, a source line or a footer.
    let end = (start + 1..sents.len())
        .find(|n| {
            let (a, _) = sents[*n];
            let a = datelines
                .iter()
                .find(|(s, _)| *s == a)
                .map_or(a, |(_, e)| *e);
            end_marker_at(&toks, a)
        })
        .unwrap_or(sents.len());
    let (rep_start, _) = sents[start];
    let rep_start = datelines
        .iter()
        .find(|(s, _)| *s == rep_start)
        .map_or(rep_start, |(_, e)| *e);
    let rep_end = sents[end - 1].1;
    check_whole(&toks, &sents[start..end]).map_err(|(at, m)| err(at, m))?;
    // The day.
    let date = resolve_date(&framed[start..end], pub_date, hint)
        .map_err(|m| err(toks[rep_start].start, m))?;
    let mut r = Reader::new(text, &toks, date);
    r.used = used;
    r.placed = placed;
    let mut ctx = Ctx::default();
    for n in start..end {
        let (mut a, b) = sents[n];
        if let Some((_, e)) = datelines.iter().find(|(s, _)| *s == a) {
            a = *e;
        }
        if framed[n].special && special(&mut r, a, b) {
            continue;
        }
        let prev = std::mem::take(&mut ctx);
        ctx.frame = framed[n].frame;
        if continues(&toks, &r.used, a, b) {
            ctx.origin = prev.origin;
            ctx.region = prev.region;
            ctx.topic = prev.topic;
            ctx.owner = prev.owner.or(prev.last_head);
            ctx.frame = ctx.frame.or(prev.frame);
        } else if !toks[a].nl && framed[n].frame.is_none() && framed[n].weekday.is_none() {
            // A place the paragraph is about holds for its sentences that name no time: Hubei
            // newly added confirmed cases …. Accumulated cured and discharged cases ….
            ctx.region = prev.region.filter(|r| !r.is_nation());
        }
        r.sentence(a, b, &mut ctx);
    }
    if let Some((at, m)) = r.errors.first() {
        return Err(err(toks[*at].start, m.clone()));
    }
    // The figures, as facts.
    let mut day = Day::new(date);
    let mut facts: Vec<(Fact, usize)> = Vec::new();
    for f in &r.figs {
        facts.push((fact(f, f.value), f.at));
        if f.all_of_origin {
            if let Some(p) = f.parent.map(|p| &r.figs[p]) {
                if p.origin == Origin::All {
                    let other = if f.origin == Origin::Imported {
                        Origin::Local
                    } else {
                        Origin::Imported
                    };
                    let zero = Fig {
                        origin: other,
                        ..f.clone()
                    };
                    facts.push((fact(&zero, 0), f.at));
                }
            }
        }
    }
    for (f, at) in facts {
        let checked = Fact::new(f.region, f.origin, f.measure, f.value)
            .map_err(|e| err(toks[at].start, e.to_string()))?;
        day.add_fact(checked).map_err(|e| {
            err(
                toks[at].start,
                format!(
                    "{e}: the report states this figure twice with different values; check the \
                     text"
                ),
            )
        })?;
    }
    day.corrections = r.corrections;
    day.notes = r.notes;
    day.notes.extend(remarks);
    contradictions(&r.figs, &mut day);
    day.normalize();
    // Every number of the report that landed nowhere.
    let mut unplaced = Vec::new();
    for (k, t) in toks.iter().enumerate().take(rep_end).skip(rep_start) {
        if matches!(t.kind, Kind::Num | Kind::Dec) && !r.placed[k] {
            let (line, column) = line_col(text, t.start);
            let s = sents
                .iter()
                .find(|(a, b)| k >= *a && k < *b)
                .map_or((rep_start, rep_end), |s| *s);
            let sentence = text[toks[s.0].start..toks[s.1 - 1].end]
                .chars()
                .take(200)
                .collect();
            unplaced.push(Unplaced {
                number: text[t.start..t.end].to_string(),
                line,
                column,
                sentence,
            });
        }
    }
    let mut ignored = Vec::new();
    let (first_byte, last_byte) = (toks[rep_start].start, toks[rep_end - 1].end);
    if !text[..first_byte].trim().is_empty() {
        ignored.push(text[..first_byte].trim().to_string());
    }
    if !text[last_byte..].trim().is_empty() {
        ignored.push(text[last_byte..].trim().to_string());
    }
    Ok(Parsed {
        day,
        unplaced,
        ignored,
        source_hash: hex::encode(Sha256::digest(norm_for_hash(text).as_bytes())),
        lang: Lang::En,
    })
}

fn fact(f: &Fig, value: i64) -> Fact {
    Fact {
        region: f.region.clone(),
        origin: f.origin,
        measure: f.measure,
        value,
    }
}

/// Phrases that open a sentence continuing the one before (its origin, place and topic).
const CONTINUATIONS: &[&[&str]] = &[
    &["in", "all"],
    &["in", "total"],
    &["there", "still"],
    &["there", "remained"],
    &["still"],
    &["of", "the"],
    &["of", "them"],
    &["of", "these"],
    &["of", "which"],
    &["among", "them"],
    &["altogether"],
    &["the", "other"],
];

fn continues(toks: &[Tok], used: &[bool], a: usize, b: usize) -> bool {
    let words: Vec<usize> = (a..b).filter(|k| !used[*k]).collect();
    let w = |k: usize| words.get(k).map_or("", |i| toks[*i].text.as_str());
    if CONTINUATIONS
        .iter()
        .any(|c| c.iter().enumerate().all(|(k, x)| w(k) == *x))
    {
        return true;
    }
    // Hong Kong: 862 (…), a line of a list.
    if let Some(i) = words.first() {
        if let Some(m) = places::place_at(toks, *i) {
            return toks.get(m.end).is_some_and(|t| t.is_punct(':'));
        }
    }
    false
}

/// The frame pass of one sentence: marks dates, times and the reporting units as read, and
/// notes the frame, the day and whether a figure is stated.
fn frame_sentence(
    toks: &[Tok],
    a: usize,
    b: usize,
    used: &mut [bool],
    placed: &mut [bool],
    remarks: &mut Vec<Note>,
) -> Framed {
    let mut f = Framed::default();
    let words = |i: usize, ws: &[&str]| {
        ws.iter()
            .enumerate()
            .all(|(k, w)| toks.get(i + k).is_some_and(|t| t.is(w)))
    };
    let before = |i: usize, ws: &[&str]| -> bool {
        // Whether the words `ws` end within the 6 tokens before `i`.
        (1..=6).any(|d| {
            i >= a + d + ws.len() - 1 && i >= d + ws.len() - 1 && words(i + 1 - d - ws.len(), ws)
        })
    };
    let total_words: &[&[&str]] = &[
        &["as", "of"],
        &["as", "at"],
        &["by", "the", "end", "of"],
        &["by"],
        &["up", "to"],
        &["until"],
        &["through"],
        &["till"],
    ];
    let text_special = (a..b).any(|i| {
        words(i, &["corrected", "to"])
            || words(i, &["is", "as", "corrected"])
            || words(i, &["is", "the", "corrected", "figure"])
            || words(i, &["is", "as", "amended"])
            || words(i, &["is", "restated"])
            || words(i, &["on", "verification"])
                && (a..b).any(|j| {
                    frame::month_at(toks, j).is_some()
                        && toks.get(j + 1).is_some_and(|t| t.is_num())
                })
    });
    f.special = (text_special
        && (a..b).any(|i| {
            words(i, &["the", "figure"])
                || words(i, &["were", "corrected", "to"])
                || words(i, &["was", "corrected", "to"])
        }))
        || (a..b).any(|i| words(i, &["other", "countries"]) || words(i, &["foreign", "countries"]));
    let mut i = a;
    while i < b {
        if used[i] {
            i += 1;
            continue;
        }
        // 24:00, 0:00
        if let Some((_, end, nums)) = time_at(toks, i) {
            used[i..end].fill(true);
            for k in nums {
                placed[k] = true;
            }
            if before(i, &["as", "of"]) || before(i, &["by"]) || before(i, &["up", "to"]) {
                f.frame = f.frame.or(Some(Frame::Total));
            }
            i = end;
            continue;
        }
        // 0-24 hours
        if toks[i].is_num()
            && toks[i].value == 0
            && toks.get(i + 1).is_some_and(|t| t.is_punct('-'))
            && toks.get(i + 2).is_some_and(|t| t.is_num() && t.value == 24)
        {
            used[i..i + 3].fill(true);
            placed[i] = true;
            placed[i + 2] = true;
            f.frame = f.frame.or(Some(Frame::Flow));
            i += 3;
            continue;
        }
        // the past 24 hours; from 0 to 24:00 (the time is read next)
        let past_day = toks[i].is_num()
            && toks[i].value == 24
            && toks.get(i + 1).is_some_and(|t| t.is("hours"));
        let zero_to = toks[i].is_num()
            && toks[i].value == 0
            && toks.get(i + 1).is_some_and(|t| t.is("to"))
            && toks.get(i + 2).is_some_and(|t| t.is_num() && t.value == 24);
        if past_day || zero_to {
            used[i..i + 2].fill(true);
            placed[i] = true;
            f.frame = f.frame.or(Some(Frame::Flow));
            i += 2;
            continue;
        }
        if !f.special {
            if let Some((y, m, d, end, nums)) = date_at(toks, i) {
                let total = total_words.iter().any(|w| before(i, w));
                used[i..end].fill(true);
                for k in nums {
                    placed[k] = true;
                }
                f.date = f.date.or(Some((y, m, d)));
                f.frame = f
                    .frame
                    .or(Some(if total { Frame::Total } else { Frame::Flow }));
                // Feb. 20: the full stop is the abbreviation's.
                i = end;
                continue;
            }
        }
        if let Some(w) = weekday_at(toks, i) {
            let total = total_words.iter().any(|ws| before(i, ws));
            used[i] = true;
            // said Thursday, on Thursday said: the day of the report, not of its figures.
            let said = |t: Option<&Tok>| {
                t.is_some_and(|t| {
                    matches!(
                        t.text.as_str(),
                        "said" | "says" | "announced" | "told" | "stated" | "added"
                    )
                })
            };
            let prev = if i > a && toks[i - 1].is("on") {
                i.checked_sub(2).map(|p| &toks[p])
            } else {
                i.checked_sub(1).map(|p| &toks[p])
            };
            if said(prev) || said(toks.get(i + 1)) {
                f.pub_weekday = f.pub_weekday.or(Some(w));
            } else {
                f.weekday = f.weekday.or(Some(w));
                f.frame = f
                    .frame
                    .or(Some(if total { Frame::Total } else { Frame::Flow }));
            }
            i += 1;
            continue;
        }
        // 24 o'clock; from 0 to 24 o'clock
        if toks[i].is_num() && toks.get(i + 1).is_some_and(|t| t.is("o'clock")) {
            used[i] = true;
            used[i + 1] = true;
            placed[i] = true;
            if before(i, &["as", "of"]) || before(i, &["by"]) || before(i, &["up", "to"]) {
                f.frame = f.frame.or(Some(Frame::Total));
            }
            i += 2;
            continue;
        }
        if words(i, &["the", "same", "day"]) || words(i, &["that", "day"]) {
            f.frame = f.frame.or(Some(Frame::Flow));
            let n = if toks[i].is("the") { 3 } else { 2 };
            used[i..i + n].fill(true);
            i += n;
            continue;
        }
        if words(i, &["as", "of"]) || words(i, &["by", "the", "end", "of"]) {
            f.frame = f.frame.or(Some(Frame::Total));
        }
        if words(i, &["midnight"]) {
            used[i] = true;
        }
        // Division 4 (of the XPCC): a name's number.
        if toks[i].is("division") && toks.get(i + 1).is_some_and(|t| t.is_num()) {
            placed[i + 1] = true;
        }
        // The reporting units: (the) 31 provincial-level regions and the XPCC.
        if let Some(end) = reporting_units(toks, i) {
            for k in i..end {
                used[k] = true;
                if toks[k].is_num() {
                    placed[k] = true;
                }
            }
            i = end;
            continue;
        }
        // The 25th consecutive day: a remark.
        if toks[i].is_num() && toks[i].ordinal {
            let ws: Vec<&str> = toks[i + 1..b.min(i + 5)]
                .iter()
                .map(|t| t.text.as_str())
                .collect();
            if let Some((_, c)) = phrase(&ws) {
                if c & DAYS != 0 {
                    placed[i] = true;
                    remarks.push(Note {
                        kind: NoteKind::Remark,
                        region: None,
                        values: vec![NoteValue {
                            label: "consecutive_days".into(),
                            value: toks[i].value,
                        }],
                        text: None,
                    });
                }
            }
        }
        i += 1;
    }
    // A figure: a number (or none) with the words of a measure in the sentence.
    let cues = phrase_cues(toks, a, b, |k| used[k] || toks[k].kind != Kind::Word);
    let number = (a..b).any(|k| {
        !used[k] && (toks[k].is_num() && !toks[k].ordinal || toks[k].is("no") || toks[k].is("none"))
    });
    f.figure = number && cues & (MEASURE_WORDS | NOUN) != 0;
    f
}

/// The reporting units at `i`: `(the) 31 provincial-level regions (and the XPCC) (on the
/// Chinese mainland)`, `31 provinces, autonomous regions and municipalities and the Xinjiang
/// Production and Construction Corps`, `31 provinces (autonomous regions and municipalities
/// directly under the Central Government) and …`. A count of regions other than 31, or one
/// that follows `by`, is a figure (coverage), not the units.
fn reporting_units(toks: &[Tok], i: usize) -> Option<usize> {
    let mut j = i;
    if toks.get(j).is_some_and(|t| t.is("the")) {
        j += 1;
    }
    let n = toks.get(j).filter(|t| t.is_num())?;
    j += 1;
    let starts = |j: usize, ws: &[&str]| {
        ws.iter()
            .enumerate()
            .all(|(k, w)| toks.get(j + k).is_some_and(|t| t.is(w)))
    };
    let skip_paren = |mut j: usize| {
        if toks.get(j).is_some_and(|t| t.is_punct('(')) {
            while j < toks.len() && !toks[j].is_punct(')') {
                j += 1;
            }
            j += 1;
        }
        j
    };
    if starts(j, &["provincial", "level", "regions"]) {
        j += 3;
    } else if starts(j, &["provincial", "level", "administrative", "regions"]) {
        j += 4;
    } else if starts(j, &["provinces"]) {
        j += 1;
        if toks.get(j).is_some_and(|t| t.is_punct(','))
            && starts(j + 1, &["autonomous", "regions", "and", "municipalities"])
        {
            j += 5;
        }
        j = skip_paren(j);
    } else {
        return None;
    }
    // and (the) XPCC / Xinjiang Production and Construction Corps
    let mut k = j;
    if toks.get(k).is_some_and(|t| t.is("and")) {
        k += 1;
        if toks.get(k).is_some_and(|t| t.is("the")) {
            k += 1;
        }
        if starts(
            k,
            &["xinjiang", "production", "and", "construction", "corps"],
        ) {
            k += 5;
            if toks.get(k).is_some_and(|t| t.is_punct('('))
                && toks.get(k + 1).is_some_and(|t| t.is("xpcc"))
            {
                k = skip_paren(k);
            }
            j = k;
        } else if starts(k, &["xpcc"]) {
            j = k + 1;
        } else if n.value != 31 {
            return None;
        }
    } else if n.value != 31 || (i > 0 && (toks[i - 1].is("by") || toks[i - 1].is("in"))) {
        return None;
    }
    // on the Chinese mainland
    if starts(j, &["on", "the", "chinese", "mainland"]) {
        j += 4;
    }
    Some(j)
}

/// A report must be whole: every parenthesis closed, the last sentence ended.
fn check_whole(toks: &[Tok], sents: &[Span]) -> Result<(), (usize, String)> {
    let mut open: Vec<usize> = Vec::new();
    for (a, b) in sents {
        for t in &toks[*a..*b] {
            if t.is_punct('(') {
                open.push(t.start);
            } else if t.is_punct(')') {
                open.pop();
            }
        }
    }
    if let Some(at) = open.first() {
        return Err((
            *at,
            "the report is cut off: it ends inside the parenthesis opened here; give the whole \
             paragraph"
                .into(),
        ));
    }
    let Some((a, b)) = sents.last() else {
        return Ok(());
    };
    let last = &toks[b - 1];
    let ended =
        last.is_punct('.') || last.is_punct('!') || last.is_punct('?') || last.is_punct('"');
    // A list line: Taiwan: 495 (475 recoveries, 7 deaths)
    let list_line = places::place_at(toks, *a)
        .is_some_and(|m| toks.get(m.end).is_some_and(|t| t.is_punct(':')));
    if !ended && !list_line {
        return Err((
            last.end,
            "the report is cut off: its last sentence ends here without a full stop; give the \
             whole paragraph"
                .into(),
        ));
    }
    Ok(())
}

/// The reporting day: a date the report names, else a weekday it names, counted back from the
/// dateline's day or the day given; the year from the text, else from the day given.
fn resolve_date(
    framed: &[Framed],
    pub_date: Option<frame::Ymd>,
    hint: Option<Date>,
) -> Result<Date, String> {
    let named = framed.iter().find_map(|f| f.date);
    let weekday = framed.iter().find_map(|f| f.weekday);
    let pub_weekday = framed.iter().find_map(|f| f.pub_weekday);
    let year_of = |y: Option<i32>| -> Result<i32, String> {
        y.or(pub_date.and_then(|p| p.0))
            .or(hint.map(|h| h.year()))
            .ok_or_else(|| {
                "the report does not state its year: name the file YYYY-MM-DD.txt or pass --date"
                    .to_string()
            })
    };
    let date = if let Some((y, m, d)) = named {
        let year = year_of(y)?;
        Date::from_ymd(year, m, d).ok_or_else(|| format!("{year}-{m}-{d} is no date"))?
    } else if let Some(w) = weekday {
        match (pub_date, hint) {
            (Some((y, m, d)), _) => {
                let year = year_of(y)?;
                let p = Date::from_ymd(year, m, d)
                    .ok_or_else(|| format!("{year}-{m}-{d} is no date"))?;
                weekday_on_or_before(w, p.pred())
            }
            (None, Some(h)) => {
                if weekday_of(h) != w {
                    return Err(format!(
                        "the report names {} but {h} is a {}; give the report's day with --date",
                        weekday_name(w),
                        weekday_name(weekday_of(h))
                    ));
                }
                h
            }
            (None, None) => {
                return Err(format!(
                    "the report names only a weekday ({}); give its day with --date or a file \
                     name YYYY-MM-DD.txt",
                    weekday_name(w)
                ))
            }
        }
    } else if let (Some(p), Some(h)) = (pub_weekday, hint) {
        // Published on the day after the reporting day.
        if weekday_of(h.succ()) != p {
            return Err(format!(
                "the report was published on a {} but {} is a {}; give the report's day with \
                 --date",
                weekday_name(p),
                h.succ(),
                weekday_name(weekday_of(h.succ()))
            ));
        }
        h
    } else if let Some(h) = hint {
        h
    } else {
        return Err(
            "the report does not state its day: name the file YYYY-MM-DD.txt or pass --date".into(),
        );
    };
    if let Some(h) = hint {
        if h != date {
            return Err(format!(
                "the text reports {date} but the file or --date says {h}; rename the file or fix \
                 --date"
            ));
        }
    }
    Ok(date)
}

/// Sentences of their own kind: a figure restated (`The figure of 13,172 discharged cases in
/// the Taiwan region is as corrected.`), an earlier day's figure restated (`The new confirmed
/// cases of February 19 were corrected to 820.`), a correction of an earlier day (`The figure
/// of asymptomatic infections under medical observation on November 17 was increased by 1 on
/// verification.`). Returns false when the sentence is none of them.
fn special(r: &mut Reader, a: usize, b: usize) -> bool {
    let toks = r.toks;
    let is = |i: usize, ws: &[&str]| {
        ws.iter()
            .enumerate()
            .all(|(k, w)| toks.get(i + k).is_some_and(|t| t.is(w)))
    };
    // Find a date and the numbers.
    let mut date = None;
    let mut date_end = a;
    let mut date_at_tok = None;
    for i in a..b {
        if let Some((d, end, nums)) = r.day_at(i) {
            date = Some((d, nums));
            date_end = end;
            date_at_tok = Some(i);
            break;
        }
    }
    let nums: Vec<usize> = (a..b)
        .filter(|k| toks[*k].is_num() && date.as_ref().is_none_or(|(_, n)| !n.contains(k)))
        .collect();
    let cues_of = |from: usize, to: usize| -> Cues { phrase_cues(toks, from, to, |_| false) };
    let reason_of = |from: usize, to: usize| -> Option<String> {
        let mut best: Option<(usize, &str)> = None;
        for k in from..to {
            let ws: Vec<&str> = toks[k..to.min(k + 9)]
                .iter()
                .map(|t| t.text.as_str())
                .collect();
            if let Some((n, zh)) = lexicon::reason_at(&ws) {
                if best.is_none_or(|(m, _)| n > m) {
                    best = Some((n, zh));
                }
            }
        }
        best.map(|(_, zh)| zh.to_string())
    };
    // An earlier day's figure restated.
    if let (Some((d, dnums)), Some(at)) = (&date, date_at_tok) {
        let restate = (date_end..b).find(|i| is(*i, &["corrected", "to"]));
        if let (Some(_), Some(v)) = (restate, nums.iter().find(|n| **n > date_end)) {
            let c = cues_of(a, at);
            let Some(m) = measure_of(c, Some(Frame::Total), None) else {
                return false;
            };
            let m = if c & NEW != 0 { new_of(m) } else { m };
            r.corrections.push(Correction {
                region: RegionId::NATION,
                origin: Origin::All,
                measure: m,
                kind: CorrectionKind::Revise,
                delta: None,
                restated: Some(toks[*v].value),
                refers_to: Some(*d),
                reason: None,
            });
            for n in dnums.iter().chain(std::iter::once(v)) {
                r.placed[*n] = true;
            }
            return true;
        }
        // A correction of an earlier day's figure, by a change.
        if (a..b).any(|i| is(i, &["on", "verification"])) {
            let c = cues_of(a, at);
            let Some(m) = measure_of(c, Some(Frame::Total), None) else {
                return false;
            };
            let after = cues_of(date_end, b);
            let Some(v) = nums.iter().find(|n| **n > date_end) else {
                return false;
            };
            let (kind, sign) = if after & DOWN != 0 {
                (CorrectionKind::Reduce, -1)
            } else {
                (CorrectionKind::Increase, 1)
            };
            let origin = if c & IMPORTED != 0 {
                Origin::Imported
            } else {
                Origin::All
            };
            r.corrections.push(Correction {
                region: RegionId::NATION,
                origin,
                measure: m,
                kind,
                delta: Some(sign * toks[*v].value),
                restated: None,
                refers_to: Some(*d),
                reason: None,
            });
            for n in dnums.iter().chain(std::iter::once(v)) {
                r.placed[*n] = true;
            }
            return true;
        }
    }
    // Cases notified by other countries (January 2020).
    if (a..b).any(|i| is(i, &["other", "countries"]) || is(i, &["foreign", "countries"])) {
        let mut values = Vec::new();
        let mut k = a;
        while k < b {
            let t = &toks[k];
            if t.is_num() && !r.placed[k] {
                // N in <Country> (M discharged), or the total: notified N confirmed cases.
                let name = (k + 2 < b && toks[k + 1].is("in")).then(|| {
                    let mut e = k + 2;
                    if toks[e].is("the") {
                        e += 1;
                    }
                    lexicon::COUNTRIES.iter().find(|(_, en)| {
                        let ew: Vec<String> = tokenize(en)
                            .into_iter()
                            .map(|t| t.text)
                            .filter(|w| w != "the")
                            .collect();
                        ew.iter()
                            .enumerate()
                            .all(|(d, w)| toks.get(e + d).is_some_and(|x| x.text == *w))
                    })
                });
                match name.flatten() {
                    Some((zh, _)) => {
                        values.push(NoteValue {
                            label: format!("{zh}:confirmed"),
                            value: t.value,
                        });
                        r.placed[k] = true;
                        // (2 discharged)
                        let close = (k..b).find(|j| {
                            toks[*j].is_punct('(') || toks[*j].is_punct(',') || toks[*j].is("and")
                        });
                        if let Some(j) = close.filter(|j| toks[*j].is_punct('(')) {
                            if toks.get(j + 1).is_some_and(|x| x.is_num())
                                && toks.get(j + 2).is_some_and(|x| x.is("discharged"))
                            {
                                values.push(NoteValue {
                                    label: format!("{zh}:discharged"),
                                    value: toks[j + 1].value,
                                });
                                r.placed[j + 1] = true;
                            }
                        }
                    }
                    None if values.is_empty()
                        && toks.get(k + 1).is_some_and(|x| x.is("confirmed")) =>
                    {
                        values.push(NoteValue {
                            label: "total:confirmed".into(),
                            value: t.value,
                        });
                        r.placed[k] = true;
                    }
                    None => {}
                }
            }
            k += 1;
        }
        r.notes.push(Note {
            kind: NoteKind::ForeignNotified,
            region: None,
            values,
            text: None,
        });
        return true;
    }
    // A figure restated: the figure of N <measure> in <place> is as corrected.
    if is(a, &["the", "figure", "of"]) || is(a, &["the", "cumulative", "figure", "of"]) {
        let Some(v) = nums.first() else { return false };
        let c = cues_of(a, b);
        let Some(m) = measure_of(c & !RESTATED, Some(Frame::Total), None) else {
            return false;
        };
        let mut region = RegionId::NATION;
        for i in *v..b {
            if toks[i].is("in") {
                if let Some(p) = places::place_at(toks, i + 1) {
                    region = p.candidates[0].clone();
                    break;
                }
            }
        }
        let origin = if c & IMPORTED != 0 {
            Origin::Imported
        } else {
            Origin::All
        };
        r.corrections.push(Correction {
            region,
            origin,
            measure: m,
            kind: CorrectionKind::Revise,
            delta: None,
            restated: Some(toks[*v].value),
            refers_to: None,
            reason: reason_of(*v, b),
        });
        r.placed[*v] = true;
        return true;
    }
    false
}

/// The new-cases measure of a family (`new confirmed cases of February 19`).
fn new_of(m: Measure) -> Measure {
    match m {
        Measure::ConfirmedCumulative | Measure::ConfirmedCurrent => Measure::ConfirmedNew,
        Measure::DeathsCumulative => Measure::DeathsNew,
        Measure::DischargedCumulative => Measure::DischargedNew,
        Measure::SuspectedCurrent | Measure::SuspectedCumulative => Measure::SuspectedNew,
        m => m,
    }
}

/// Records, as the source's, where its parts do not add up to its total: imported and local
/// cases that do not sum to all cases, places that sum to more than their whole.
fn contradictions(figs: &[Fig], day: &mut Day) {
    let get = |r: &RegionId, o: Origin, m: Measure| day.get(r, o, m);
    let mut notes = Vec::new();
    let mut seen: Vec<(RegionId, Measure)> = Vec::new();
    for f in figs {
        if f.origin != Origin::All || seen.contains(&(f.region.clone(), f.measure)) {
            continue;
        }
        seen.push((f.region.clone(), f.measure));
        if let (Some(all), Some(i), Some(l)) = (
            get(&f.region, Origin::All, f.measure),
            get(&f.region, Origin::Imported, f.measure),
            get(&f.region, Origin::Local, f.measure),
        ) {
            if all != i + l {
                notes.push(contradiction(
                    &f.region,
                    f.measure,
                    all,
                    &[("imported", i), ("local", l)],
                ));
            }
        }
    }
    // Places that sum to more than their whole.
    for (k, f) in figs.iter().enumerate() {
        let parts: Vec<&Fig> = figs
            .iter()
            .filter(|p| {
                p.parent == Some(k)
                    && p.role == Role::Region
                    && p.origin == f.origin
                    && p.measure == f.measure
            })
            .collect();
        // A correction stated in the report explains a part's excess (Hubei's 349 new cases of
        // 2020-02-19: Wuhan's 615 and 13 elsewhere, less 279 removed).
        let corrected: i64 = day
            .corrections
            .iter()
            .filter(|c| {
                c.measure == f.measure
                    && c.refers_to.is_none()
                    && epiledger_core::ledger::hierarchy::contains(&f.region, &c.region)
            })
            .filter_map(|c| c.delta)
            .sum();
        let sum: i64 = parts.iter().map(|p| p.value).sum::<i64>() + corrected.min(0);
        if !parts.is_empty() && sum > f.value {
            let labels: Vec<(String, i64)> = parts
                .iter()
                .map(|p| (p.region.to_string(), p.value))
                .collect();
            let refs: Vec<(&str, i64)> = labels.iter().map(|(l, v)| (l.as_str(), *v)).collect();
            notes.push(contradiction(&f.region, f.measure, f.value, &refs));
        }
    }
    day.notes.extend(notes);
}

fn contradiction(region: &RegionId, m: Measure, total: i64, parts: &[(&str, i64)]) -> Note {
    let mut values = vec![NoteValue {
        label: format!("total:{m}"),
        value: total,
    }];
    values.extend(parts.iter().map(|(l, v)| NoteValue {
        label: format!("{l}:{m}"),
        value: *v,
    }));
    let sum: i64 = parts.iter().map(|(_, v)| v).sum();
    Note {
        kind: NoteKind::Contradiction,
        region: Some(region.clone()),
        values,
        text: Some(format!(
            "the source's parts of {m} add up to {sum}, not to its total of {total}"
        )),
    }
}

/// The cues of the lexicon's phrases in `toks[from..to]`, read left to right (a phrase of up to
/// nine words; a token where `skip` holds starts none).
fn phrase_cues(toks: &[Tok], from: usize, to: usize, skip: impl Fn(usize) -> bool) -> Cues {
    let mut cues: Cues = 0;
    let mut k = from;
    while k < to {
        if skip(k) {
            k += 1;
            continue;
        }
        let ws: Vec<&str> = toks[k..to.min(k + 9)]
            .iter()
            .map(|t| t.text.as_str())
            .collect();
        match phrase(&ws) {
            Some((n, c)) => {
                cues |= c;
                k += n;
            }
            None => k += 1,
        }
    }
    cues
}
