//! The grammar of an English report. A sentence is cut into *units*, one per figure: a number
//! (or `no`, `none`, `all`, `both`, `an`) with the words around it, up to the last comma,
//! colon or connective (`and`, `including`, `of which`) before the next figure, and the
//! parenthesized groups that follow it. A unit's words give *cues* (see [`super::lexicon`]) and
//! places; from them, the sentence's frame (`On June 19` for the day's flows, `As of 24:00`
//! for stocks and totals) and what the unit belongs to (the figure whose parenthesis or list it
//! stands in), the unit becomes a figure: a head, an origin part (`4 imported`), a region part
//! (`3 in Guangdong`), a figure counted within another (`13 of them severe`), a correction
//! (`1 case removed on verification`) or a note.

use epiledger_core::ledger::hierarchy;
use epiledger_core::{
    Correction, CorrectionKind, Date, Measure, Note, NoteKind, NoteValue, Origin, RegionCode,
    RegionId,
};

use crate::parse::names;
use crate::vocab::en::lexicon::*;
use crate::vocab::en::places::place_at;
use crate::vocab::en::token::{Kind, Tok};

use Measure as M;

/// The time a figure is counted over: the day's flows, or stocks and totals at 24:00.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frame {
    /// The day, 0–24h.
    Flow,
    /// At 24:00, or since the start.
    Total,
}

/// What a unit's value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Val {
    /// A number token.
    Num(i64),
    /// `no`, `none`: an explicit zero.
    Zero,
    /// `all`, `both`: the whole of the figure it belongs to.
    All,
    /// `a`, `an`: one.
    One,
}

/// How a figure relates to the one it belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A figure of its own.
    Head,
    /// Its imported or local part.
    Origin,
    /// Its part in a place.
    Region,
    /// Another measure of the same cases (the severe among the active, the reclassified among
    /// the new).
    Within,
}

/// A figure read from the text.
#[derive(Clone, Debug)]
pub struct Fig {
    /// Where.
    pub region: RegionId,
    /// Which cases.
    pub origin: Origin,
    /// What it counts.
    pub measure: Measure,
    /// The figure.
    pub value: i64,
    /// The figure it belongs to.
    pub parent: Option<usize>,
    /// How.
    pub role: Role,
    /// The token of its number (for positions).
    pub at: usize,
    /// `all imported`: the other origin is an explicit zero.
    pub all_of_origin: bool,
}

/// A place named in a unit, with how it is named.
#[derive(Clone, Debug)]
struct Placed {
    /// The regions the name may mean, provincial level first.
    cands: Vec<RegionId>,
    /// Named as the subject (`Hubei reported`, `Hong Kong:`), not as a location (`in Hubei`).
    subject: bool,
    /// The token where the name starts, and the token after it.
    at: usize,
    end: usize,
}

impl Placed {
    fn region(&self) -> &RegionId {
        &self.cands[0]
    }
}

/// An item of a segment: a token, or a parenthesized group.
#[derive(Clone, Debug)]
enum Item {
    Tok(usize),
    Group(Group),
}

/// A parenthesized group: its segments (split at `;`).
#[derive(Clone, Debug)]
struct Group {
    segs: Vec<Vec<Item>>,
}

/// A unit: one figure's words.
#[derive(Clone, Debug)]
struct Unit {
    anchor: usize,
    val: Val,
    /// Words before the anchor that belong to it.
    pre: Vec<usize>,
    /// Words after it.
    post: Vec<usize>,
    /// The groups after it.
    groups: Vec<Group>,
}

/// What a unit says, read from its words.
#[derive(Clone, Debug, Default)]
struct Reading {
    cues: Cues,
    places: Vec<Placed>,
    /// A reason of a correction, in the ledger's label.
    reason: Option<String>,
    /// A word naming a foreign place (`Italy`).
    foreign: Option<usize>,
    /// A Chinese name given after a place (`Yangling District (杨凌区)`), and its token.
    gloss: Option<(usize, String)>,
}

/// The places of a segment: the last place listed, and whether the units now list its own
/// places.
#[derive(Clone, Debug, Default)]
struct Places {
    last: Option<usize>,
    in_sub: bool,
}

/// The sentence's context, inherited by its units.
#[derive(Clone, Debug, Default)]
pub struct Ctx {
    /// The frame the sentence's time words set.
    pub frame: Option<Frame>,
    /// The region the sentence is about (`In Hubei,`, `Hubei reported`).
    pub region: Option<RegionId>,
    /// The origin the sentence is about (`Among imported cases,`).
    pub origin: Option<Origin>,
    /// The measure of the sentence's last figure of its own, for a unit that names none.
    pub topic: Option<Measure>,
    /// The figure the sentence's lists belong to (`Of the imported cases, 31 in Beijing`).
    pub owner: Option<usize>,
    /// The last figure of its own.
    pub last_head: Option<usize>,
    /// The cues of the trailing verb of the sentence's last unit (`…, 10 in Macao and 29 in
    /// Taiwan had been discharged`).
    pub predicate: Cues,
}

/// The state of a parse.
pub struct Reader<'t> {
    /// The original text.
    pub text: &'t str,
    /// Its tokens.
    pub toks: &'t [Tok],
    /// Tokens read as part of the frame (dates, times, the reporting units): no unit's words.
    pub used: Vec<bool>,
    /// Number tokens that landed in a fact, correction or note.
    pub placed: Vec<bool>,
    /// The figures read.
    pub figs: Vec<Fig>,
    /// The corrections read.
    pub corrections: Vec<Correction>,
    /// The notes read.
    pub notes: Vec<Note>,
    /// The reporting day.
    pub date: Date,
    /// Errors, by token.
    pub errors: Vec<(usize, String)>,
}

/// Whether the word at `i` is a connective that opens a new unit.
fn is_connective(toks: &[Tok], i: usize) -> bool {
    let t = &toks[i];
    if t.kind != Kind::Word {
        return false;
    }
    let next = |w: &str| toks.get(i + 1).is_some_and(|n| n.is(w));
    match t.text.as_str() {
        // cured and discharged, Hong Kong, Macao and Taiwan: one phrase, one name.
        "and" if within_phrase(toks, i) => false,
        "and" | "while" | "with" | "including" | "plus" | "whereas" | "but" | "besides" => true,
        "of" => next("which") || next("whom") || next("them") || next("these"),
        "among" => next("them") || next("which") || next("whom") || next("these"),
        "i" => next("."),
        _ => false,
    }
}

/// Whether the word at `i` lies inside a phrase of the lexicon or a place's name.
fn within_phrase(toks: &[Tok], i: usize) -> bool {
    (i.saturating_sub(6)..i).any(|s| {
        if toks[s].kind != Kind::Word {
            return false;
        }
        if place_at(toks, s).is_some_and(|m| m.end > i + 1) {
            return true;
        }
        let ws: Vec<&str> = toks[s..(s + 9).min(toks.len())]
            .iter()
            .map(|t| {
                if t.kind == Kind::Word {
                    t.text.as_str()
                } else {
                    ""
                }
            })
            .collect();
        phrase(&ws).is_some_and(|(n, _)| s + n > i + 1)
    })
}

/// The origin the cues name, if one.
fn origin_cue(c: Cues) -> Option<Origin> {
    match (c & IMPORTED != 0, c & LOCAL != 0) {
        (true, false) => Some(Origin::Imported),
        (false, true) => Some(Origin::Local),
        _ => None,
    }
}

/// The family of a measure: what a following unit without a noun continues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Confirmed cases, new, current or cumulative.
    Confirmed,
    /// Deaths.
    Deaths,
    /// Discharged cases.
    Discharged,
    /// Suspected cases.
    Suspected,
    /// Severe cases.
    Severe,
    /// Close contacts.
    Contacts,
    /// Asymptomatic infections.
    Asymptomatic,
    /// Counts of regions.
    Coverage,
}

/// The family of a measure.
pub fn family(m: Measure) -> Family {
    match m {
        M::ConfirmedNew
        | M::ConfirmedNewFromAsymptomatic
        | M::ConfirmedNewClinical
        | M::ConfirmedCurrent
        | M::ConfirmedCumulative => Family::Confirmed,
        M::DeathsNew | M::DeathsCumulative => Family::Deaths,
        M::DischargedNew | M::DischargedCumulative => Family::Discharged,
        M::SuspectedNew | M::SuspectedCurrent | M::SuspectedCumulative => Family::Suspected,
        M::SevereChange | M::SevereCurrent => Family::Severe,
        M::ContactsReleased
        | M::ContactsUnderObservation
        | M::ContactsReleasedCumulative
        | M::ContactsTracedCumulative => Family::Contacts,
        M::AsymptomaticNew
        | M::AsymptomaticToConfirmed
        | M::AsymptomaticReleased
        | M::AsymptomaticUnderObservation => Family::Asymptomatic,
        M::RegionsReporting
        | M::RegionsConfirmedNew
        | M::RegionsSuspectedNew
        | M::RegionsConfirmedCumulative
        | M::RegionsSuspectedCumulative => Family::Coverage,
    }
}

/// The coverage measure that goes with a measure.
fn coverage_of(m: Option<Measure>) -> Measure {
    match m {
        Some(M::ConfirmedNew) => M::RegionsConfirmedNew,
        Some(M::SuspectedNew) => M::RegionsSuspectedNew,
        Some(M::ConfirmedCumulative) => M::RegionsConfirmedCumulative,
        Some(M::SuspectedCumulative) | Some(M::SuspectedCurrent) => M::RegionsSuspectedCumulative,
        _ => M::RegionsReporting,
    }
}

/// The measure that cues name, given the frame and the sentence's topic; `None` when they
/// name none.
/// A frame the sentence leaves open counts as the day's flows, except for suspected cases:
/// "people were suspected of being infected" is a stock unless the sentence names the day.
pub fn measure_of(c: Cues, frame: Option<Frame>, topic: Option<Measure>) -> Option<Measure> {
    let total = c & (CUMULATIVE | ACTIVE) != 0 && c & NEW == 0;
    let flow = c & NEW != 0 || (!total && frame.unwrap_or(Frame::Flow) == Frame::Flow);
    let topic_family = topic.map(family);
    if c & FROM_ASYMPTOMATIC != 0 {
        return Some(M::ConfirmedNewFromAsymptomatic);
    }
    let others = CONTACTS | SEVERE | DEATH | SUSPECTED | CLINICAL;
    let asym = c & ASYMPTOMATIC != 0
        || (topic_family == Some(Family::Asymptomatic)
            && c & (TO_CONFIRMED | RELEASED | DISCHARGED | UNDER_OBS) != 0
            && c & others == 0);
    if asym {
        return Some(if c & TO_CONFIRMED != 0 {
            M::AsymptomaticToConfirmed
        } else if c & (RELEASED | DISCHARGED) != 0 {
            M::AsymptomaticReleased
        } else if c & (UNDER_OBS | ACTIVE) != 0 {
            M::AsymptomaticUnderObservation
        } else {
            M::AsymptomaticNew
        });
    }
    let contacts = c & CONTACTS != 0
        || (c & (RELEASED | UNDER_OBS | TRACED) != 0 && c & (SEVERE | DEATH | SUSPECTED) == 0);
    if contacts {
        if c & TRACED != 0 {
            return Some(M::ContactsTracedCumulative);
        }
        if c & RELEASED != 0 {
            return Some(if c & CUMULATIVE != 0 && c & NEW == 0 {
                M::ContactsReleasedCumulative
            } else {
                M::ContactsReleased
            });
        }
        if c & (UNDER_OBS | ACTIVE) != 0 {
            return Some(M::ContactsUnderObservation);
        }
        if c & CUMULATIVE != 0 {
            return Some(M::ContactsTracedCumulative);
        }
        return None;
    }
    if c & SEVERE != 0 {
        return Some(if c & (UP | DOWN | UNCHANGED) != 0 {
            M::SevereChange
        } else {
            M::SevereCurrent
        });
    }
    if c & (UP | DOWN | UNCHANGED) != 0 && topic_family == Some(Family::Severe) {
        return Some(M::SevereChange);
    }
    if c & CLINICAL != 0 {
        return Some(M::ConfirmedNewClinical);
    }
    if c & DEATH != 0 {
        return Some(if flow {
            M::DeathsNew
        } else {
            M::DeathsCumulative
        });
    }
    if c & DISCHARGED != 0 {
        return Some(if flow {
            M::DischargedNew
        } else {
            M::DischargedCumulative
        });
    }
    if c & SUSPECTED != 0 {
        return Some(if c & NEW != 0 || (frame == Some(Frame::Flow) && !total) {
            M::SuspectedNew
        } else if c & CUMUL_WORD != 0 {
            M::SuspectedCumulative
        } else {
            M::SuspectedCurrent
        });
    }
    if c & CONFIRMED != 0 || (c & NOUN != 0 && c & (NEW | ACTIVE | CUMULATIVE) != 0) {
        return Some(if c & ACTIVE != 0 && c & NEW == 0 {
            M::ConfirmedCurrent
        } else if flow {
            M::ConfirmedNew
        } else {
            M::ConfirmedCumulative
        });
    }
    None
}

impl<'t> Reader<'t> {
    /// A reader of `toks`, for the day `date`.
    pub fn new(text: &'t str, toks: &'t [Tok], date: Date) -> Reader<'t> {
        Reader {
            text,
            toks,
            used: vec![false; toks.len()],
            placed: vec![false; toks.len()],
            figs: Vec::new(),
            corrections: Vec::new(),
            notes: Vec::new(),
            date,
            errors: Vec::new(),
        }
    }

    fn word(&self, i: usize) -> &str {
        if self.toks[i].kind == Kind::Word {
            &self.toks[i].text
        } else {
            ""
        }
    }

    /// The items of a token range: tokens and parenthesized groups, split at `;`; returns
    /// them and the index of the closing parenthesis (or `to`).
    fn segments(&self, from: usize, to: usize) -> (Vec<Vec<Item>>, usize) {
        let mut segs: Vec<Vec<Item>> = vec![Vec::new()];
        let mut i = from;
        while i < to {
            let t = &self.toks[i];
            if self.used[i] {
                i += 1;
                continue;
            }
            if t.is_punct('(') {
                let (inner, end) = self.segments(i + 1, to);
                if let Some(last) = segs.last_mut() {
                    last.push(Item::Group(Group { segs: inner }));
                }
                i = end + 1;
                continue;
            }
            if t.is_punct(')') {
                return (segs, i);
            }
            if self.used[i] {
                i += 1;
                continue;
            }
            if t.is_punct(';') {
                segs.push(Vec::new());
            } else if let Some(last) = segs.last_mut() {
                last.push(Item::Tok(i));
            }
            i += 1;
        }
        (segs, to)
    }

    /// Whether item `k` is the anchor of a unit, and its value.
    fn anchor(&self, items: &[Item], k: usize) -> Option<Val> {
        let Item::Tok(i) = items[k] else { return None };
        let t = &self.toks[i];
        if t.is_num() && !t.ordinal {
            // Division 4 (of the XPCC): a name.
            if i > 0 && self.toks[i - 1].is("division") {
                return None;
            }
            return Some(Val::Num(t.value));
        }
        if t.kind != Kind::Word {
            return None;
        }
        let next_words: Vec<&str> = items[k + 1..]
            .iter()
            .take(5)
            .filter_map(|it| match it {
                Item::Tok(j) if self.toks[*j].kind == Kind::Word => Some(self.word(*j)),
                _ => None,
            })
            .collect();
        let next_is_num = items[k + 1..].iter().take(1).any(|it| match it {
            Item::Tok(j) => self.toks[*j].is_num(),
            _ => false,
        });
        let prev_word = k
            .checked_sub(1)
            .and_then(|p| match items[p] {
                Item::Tok(j) => Some(self.word(j)),
                _ => None,
            })
            .unwrap_or("");
        match t.text.as_str() {
            "no" | "none" | "zero" | "nil" | "nobody" => (!next_is_num).then_some(Val::Zero),
            // the number of severe cases was unchanged
            "unchanged" => Some(Val::Zero),
            "all" | "both" => {
                // in all, at all: a total, not a part.
                if prev_word == "in" || prev_word == "at" || next_is_num {
                    return None;
                }
                Some(Val::All)
            }
            "a" | "an" | "single" => {
                // reclassified as a confirmed case, became a confirmed case: no count.
                if matches!(
                    prev_word,
                    "as" | "into" | "to" | "became" | "become" | "becoming"
                ) {
                    return None;
                }
                let singular = ["case", "death", "patient", "person", "infection"];
                let adjectives = [
                    "imported",
                    "local",
                    "new",
                    "confirmed",
                    "suspected",
                    "severe",
                    "domestic",
                    "locally",
                    "transmitted",
                    "asymptomatic",
                    "single",
                    "serious",
                    "indigenous",
                    "domestically",
                ];
                for w in &next_words {
                    if singular.contains(w) {
                        return Some(Val::One);
                    }
                    if !adjectives.contains(w) {
                        return None;
                    }
                }
                None
            }
            _ => None,
        }
    }

    /// Cuts a segment's items into its lead (words before the first figure's own words) and
    /// its units.
    fn units(&self, items: &[Item]) -> (Vec<usize>, Vec<Unit>) {
        let anchors: Vec<(usize, Val)> = (0..items.len())
            .filter_map(|k| self.anchor(items, k).map(|v| (k, v)))
            .collect();
        let toks_of = |its: &[Item]| -> Vec<usize> {
            its.iter()
                .filter_map(|it| match it {
                    Item::Tok(i) => Some(*i),
                    _ => None,
                })
                .collect()
        };
        if anchors.is_empty() {
            return (toks_of(items), Vec::new());
        }
        // The split point between two anchors: after the last boundary between them.
        let split = |from: usize, to: usize| -> (usize, usize) {
            // Zhejiang, Shandong, Shaanxi each 2 cases: the places before `each` belong to the
            // figure after them; cut at the first boundary instead of the last.
            let last_boundary = (from + 1..to)
                .rev()
                .find(|k| match &items[*k] {
                    Item::Tok(i) => {
                        self.toks[*i].is_punct(',')
                            || self.toks[*i].is_punct(':')
                            || is_connective(self.toks, *i)
                    }
                    Item::Group(_) => true,
                })
                .unwrap_or(from);
            let each = items[last_boundary..to]
                .iter()
                .any(|it| matches!(it, Item::Tok(i) if self.toks[*i].is("each")));
            if each {
                for (k, item) in items.iter().enumerate().take(to).skip(from + 1) {
                    match item {
                        Item::Tok(i) if self.toks[*i].is_punct(',') => return (k, k + 1),
                        Item::Tok(i) if is_connective(self.toks, *i) => return (k, k),
                        Item::Group(_) => return (k + 1, k + 1),
                        Item::Tok(_) => {}
                    }
                }
            }
            let mut best = (to, to);
            for (k, item) in items.iter().enumerate().take(to).skip(from + 1) {
                match item {
                    Item::Tok(i) => {
                        let t = &self.toks[*i];
                        if t.kind == Kind::Punct && [",", ":", "-"].contains(&t.text.as_str()) {
                            best = (k, k + 1);
                        } else if is_connective(self.toks, *i) {
                            best = (k, k);
                        }
                    }
                    Item::Group(_) => best = (k + 1, k + 1),
                }
            }
            best
        };
        let first = anchors[0].0;
        // The lead: the words before the first anchor up to its last comma; after it, the
        // unit's own words. A count for every place named (each) takes the whole lead.
        let each = toks_of(&items[..first])
            .iter()
            .any(|i| self.word(*i) == "each" || self.word(*i) == "respectively");
        let mut lead_end = 0;
        if !each {
            for (k, item) in items.iter().enumerate().take(first) {
                if let Item::Tok(i) = item {
                    let t = &self.toks[*i];
                    // …as follows: Hong Kong: 50 — a line's place before its colon names the
                    // figure's place, it ends no lead.
                    let list_colon = t.is_punct(':') && k + 1 == first && self.line_place(items, k);
                    // Hong Kong, Macao and Taiwan: a comma between places is no boundary.
                    let between_places = t.is_punct(',') && self.between_places(items, k);
                    if (t.is_punct(',') || t.is_punct(':')) && !list_colon && !between_places {
                        lead_end = k + 1;
                    }
                }
            }
        }
        let lead = toks_of(&items[..lead_end]);
        let mut units = Vec::new();
        let mut start = lead_end;
        for (n, (k, val)) in anchors.iter().enumerate() {
            let (left_end, right_start) = match anchors.get(n + 1) {
                Some((next, _)) => split(*k, *next),
                None => (items.len(), items.len()),
            };
            let Item::Tok(anchor) = items[*k] else {
                continue;
            };
            let mut u = Unit {
                anchor,
                val: *val,
                pre: Vec::new(),
                post: Vec::new(),
                groups: Vec::new(),
            };
            for it in &items[start..*k] {
                match it {
                    Item::Tok(i) => u.pre.push(*i),
                    Item::Group(g) => u.groups.push(g.clone()),
                }
            }
            for it in &items[k + 1..left_end] {
                match it {
                    Item::Tok(i) => u.post.push(*i),
                    Item::Group(g) => u.groups.push(g.clone()),
                }
            }
            units.push(u);
            start = right_start;
        }
        // Nine asymptomatic cases, eight of which were from abroad, were discharged …: the
        // verb after the part's comma is the figure's before it.
        for k in 1..units.len() {
            let marked = units[k]
                .pre
                .iter()
                .any(|i| matches!(self.word(*i), "including" | "which" | "whom"))
                || matches!(
                    (
                        units[k].post.first().map(|i| self.word(*i)),
                        units[k].post.get(1).map(|i| self.word(*i))
                    ),
                    (Some("of"), Some("which" | "whom" | "them" | "these"))
                );
            if !marked {
                continue;
            }
            if let Some(c) = units[k]
                .post
                .iter()
                .position(|i| self.toks[*i].is_punct(','))
            {
                let moved: Vec<usize> = units[k].post.split_off(c + 1);
                units[k - 1].post.extend(moved);
            }
        }
        (lead, units)
    }

    /// Whether the comma at item `k` stands between two places' names.
    fn between_places(&self, items: &[Item], k: usize) -> bool {
        let (Some(Item::Tok(next)), Item::Tok(comma)) = (items.get(k + 1), &items[k]) else {
            return false;
        };
        let after = place_at(self.toks, *next).is_some();
        let before = (0..k).any(|j| {
            matches!(items[j], Item::Tok(i) if place_at(self.toks, i).is_some_and(|m| m.end == *comma))
        });
        after && before
    }

    /// Whether the colon at item `k` follows a place that opens a line or follows another
    /// colon (`as follows:\nHong Kong: 50`).
    fn line_place(&self, items: &[Item], k: usize) -> bool {
        let Item::Tok(colon) = items[k] else {
            return false;
        };
        (0..k).any(|j| {
            let Item::Tok(i) = items[j] else { return false };
            let opens = j == 0
                || self.toks[i].nl
                || matches!(items[j - 1], Item::Tok(p) if self.toks[p].is_punct(':'));
            opens && place_at(self.toks, i).is_some_and(|m| m.end == colon)
        })
    }

    /// Reads the cues and places of tokens (in text order). `own_start`: the index in `words`
    /// of the unit's anchor; places before it are the unit's subject.
    fn read(&self, words: &[usize], r: &mut Reading, own_start: usize) {
        let toks = self.toks;
        let mut k = 0;
        while k < words.len() {
            let i = words[k];
            let t = &toks[i];
            if t.kind != Kind::Word || t.is_cjk() {
                k += 1;
                continue;
            }
            if let Some(m) = place_at(toks, i) {
                // The name must be contiguous among `words`.
                let mut n = 0;
                while k + n < words.len() && words[k + n] < m.end {
                    n += 1;
                }
                let contiguous = (0..n).all(|d| words[k + d] == words[k] + d);
                if n > 0 && contiguous {
                    let prev = k.checked_sub(1).map(|p| self.word(words[p])).unwrap_or("");
                    let next = words.get(k + n).map_or("", |j| toks[*j].text.as_str());
                    let location = matches!(prev, "in" | "from" | "at" | "of");
                    let subject = !location
                        && (k < own_start || matches!(next, "reported" | ":" | "had" | "has"));
                    r.places.push(Placed {
                        cands: m.candidates,
                        subject,
                        at: i,
                        end: m.end,
                    });
                    k += n;
                    continue;
                }
            }
            if t.cap && foreign(&t.text) {
                r.foreign.get_or_insert(i);
            }
            let ws: Vec<&str> = words[k..]
                .iter()
                .take(9)
                .map(|j| {
                    if toks[*j].kind == Kind::Word {
                        toks[*j].text.as_str()
                    } else {
                        ""
                    }
                })
                .collect();
            // Reasons of corrections, the longest first.
            let best = reason_at(&ws);
            if let Some((n, zh)) = best {
                r.reason = Some(zh.to_string());
                k += n;
                continue;
            }
            if let Some((n, c)) = phrase(&ws) {
                r.cues |= c;
                k += n;
                continue;
            }
            k += 1;
        }
        // Hong Kong, Macao and Taiwan named together: their total.
        let hmt = [RegionCode::HONG_KONG, RegionCode::MACAO, RegionCode::TAIWAN];
        if hmt
            .iter()
            .all(|c| r.places.iter().any(|p| p.region() == &RegionId::Code(*c)))
        {
            r.cues |= NOTIFIED;
            r.places.retain(|p| !hmt.contains(&p.region().code()));
        }
    }

    /// Reads a unit: its cues, places and a Chinese gloss of a place.
    fn reading(&self, u: &Unit) -> Reading {
        let mut r = Reading::default();
        let mut words = u.pre.clone();
        let own_start = u.pre.len();
        words.push(u.anchor);
        words.extend(&u.post);
        self.read(&words, &mut r, own_start);
        self.qualify(&mut r);
        // A gloss: a group that holds one run of Chinese characters.
        for g in &u.groups {
            if let [seg] = g.segs.as_slice() {
                if let [Item::Tok(i)] = seg.as_slice() {
                    if self.toks[*i].is_cjk() {
                        r.gloss = Some((*i, self.toks[*i].text.clone()));
                    }
                }
            }
        }
        r
    }

    /// A place followed by `, <Province>` (Xi'an, Shaanxi) or preceded by `<Province>'s`
    /// (Yunnan's Dehong Prefecture): the province only says where the place is.
    fn qualify(&self, r: &mut Reading) {
        let mut kept: Vec<Placed> = Vec::new();
        for mut p in r.places.drain(..) {
            if let Some(last) = kept.last_mut() {
                let between: Vec<&str> = (last.end..p.at)
                    .map(|j| self.toks[j].text.as_str())
                    .collect();
                if between == [","] {
                    if let Some(c) = last
                        .cands
                        .iter()
                        .find(|c| hierarchy::contains(p.region(), c) && *c != p.region())
                    {
                        last.cands = vec![c.clone()];
                        continue;
                    }
                }
                if between == ["'s"] {
                    if let Some(c) = p
                        .cands
                        .iter()
                        .find(|c| hierarchy::contains(last.region(), c) && *c != last.region())
                    {
                        p.cands = vec![c.clone()];
                        p.subject = last.subject;
                        *last = p;
                        continue;
                    }
                }
            }
            kept.push(p);
        }
        r.places = kept;
    }

    fn add_fig(&mut self, f: Fig) -> usize {
        self.figs.push(f);
        self.figs.len() - 1
    }

    fn mark(&mut self, u: &Unit) {
        if self.toks[u.anchor].is_num() {
            self.placed[u.anchor] = true;
        }
    }

    /// The nearest figure of the chain from `f` up whose region holds `r` as a part.
    fn container(&self, mut f: Option<usize>, r: &RegionId) -> Option<usize> {
        while let Some(k) = f {
            let fr = &self.figs[k].region;
            let holds = if fr.is_nation() {
                hierarchy::is_reporting_unit(r.province())
            } else {
                hierarchy::contains(fr, r) && fr != r
            };
            if holds {
                return Some(k);
            }
            f = self.figs[k].parent;
        }
        None
    }

    /// The nearest figure of the chain from `f` up that can take an origin part.
    fn origin_owner(&self, mut f: Option<usize>) -> Option<usize> {
        while let Some(k) = f {
            if self.figs[k].origin == Origin::All && self.figs[k].role != Role::Region {
                return Some(k);
            }
            f = self.figs[k].parent;
        }
        None
    }

    /// The region a place means, given the figures it may belong to: a candidate inside one
    /// of them first.
    fn resolve(&self, p: &Placed, chain: Option<usize>) -> RegionId {
        let mut f = chain;
        while let Some(k) = f {
            let fr = &self.figs[k].region;
            if !fr.is_nation() {
                if let Some(c) = p
                    .cands
                    .iter()
                    .find(|c| hierarchy::contains(fr, c) && *c != fr)
                {
                    return c.clone();
                }
            }
            f = self.figs[k].parent;
        }
        p.region().clone()
    }

    /// The region a Chinese gloss names, inside `parent` (a province) or as a province.
    fn gloss_region(&self, zh: &str, parent: Option<&RegionId>) -> RegionId {
        match parent.map(RegionId::province) {
            Some(p) if p != RegionCode::NATION && hierarchy::is_reporting_unit(p) => {
                names::area(p, zh)
            }
            _ => names::province(zh).map(RegionId::Code).unwrap_or_else(|| {
                names::province_prefix(zh)
                    .map(|(c, rest)| names::area(c, rest))
                    .unwrap_or(RegionId::Area {
                        parent: RegionCode::NATION,
                        name: zh.to_string(),
                    })
            }),
        }
    }

    /// Reads one sentence (the tokens `from..to`).
    pub fn sentence(&mut self, from: usize, to: usize, ctx: &mut Ctx) {
        let (segs, _) = self.segments(from, to);
        // The trailing verb of the sentence's last unit.
        if let Some(last) = segs.last() {
            let (_, units) = self.units(last);
            if let Some(u) = units.last() {
                let mut r = Reading::default();
                // Only after a list of places: 10 in Macao and 29 in Taiwan had been …
                let after_place: Vec<usize> = {
                    let rr = self.reading(u);
                    let from = rr.places.last().map_or(usize::MAX, |p| p.end);
                    u.post.iter().copied().filter(|i| *i >= from).collect()
                };
                self.read(&after_place, &mut r, 0);
                ctx.predicate = r.cues & (MEASURE_WORDS | CUMULATIVE | NEW);
            }
        }
        for (n, seg) in segs.iter().enumerate() {
            if n > 0 {
                ctx.owner = None;
            }
            self.segment(seg, None, ctx, true);
        }
    }

    /// Reads a segment of a sentence (`top`) or of a group belonging to `owner`.
    fn segment(&mut self, items: &[Item], owner: Option<usize>, ctx: &mut Ctx, top: bool) {
        let (lead, units) = self.units(items);
        if top && !lead.is_empty() {
            let mut r = Reading::default();
            self.read(&lead, &mut r, lead.len());
            if let Some(o) = origin_cue(r.cues) {
                ctx.origin = Some(o);
            }
            if let Some(p) = r.places.iter().find(|p| !p.region().is_nation()) {
                ctx.region = Some(p.region().clone());
            }
            if r.cues & (NEW | CUMULATIVE | ACTIVE) != 0 && ctx.frame.is_none() {
                ctx.frame = Some(if r.cues & NEW != 0 {
                    Frame::Flow
                } else {
                    Frame::Total
                });
            }
            // Confirmed cases notified by Hong Kong, Macao and Taiwan: 8 in the Hong Kong SAR…
            if r.cues & NOTIFIED != 0 {
                ctx.topic = Some(M::ConfirmedCumulative);
                ctx.frame = Some(Frame::Total);
                ctx.region = None;
            }
            // Of the imported cases, …: the lists belong to the last figure of that origin.
            let of = lead
                .first()
                .is_some_and(|i| matches!(self.word(*i), "of" | "among"));
            if r.cues & PART != 0 || of {
                let want = ctx.origin;
                let named = measure_of(r.cues, ctx.frame, None).map(family);
                let found = (0..self.figs.len()).rev().find(|k| {
                    let f = &self.figs[*k];
                    want.is_none_or(|o| f.origin == o)
                        && f.role != Role::Region
                        && named.is_none_or(|n| family(f.measure) == n)
                });
                if let Some(f) = found {
                    ctx.owner = Some(f);
                    ctx.topic = Some(self.figs[f].measure);
                }
            }
        }
        // (in Henan), (in Wuhan): the whole figure lies in one place.
        if !top && units.is_empty() {
            if let Some(o) = owner {
                let mut r = Reading::default();
                self.read(&lead, &mut r, 0);
                self.qualify(&mut r);
                if let Some(p) = r.places.last() {
                    let region = self.resolve(p, Some(o));
                    if let Some(c) = self.container(Some(o), &region) {
                        let of = self.figs[c].clone();
                        self.add_fig(Fig {
                            region,
                            origin: of.origin,
                            measure: of.measure,
                            value: of.value,
                            parent: Some(c),
                            role: Role::Region,
                            at: of.at,
                            all_of_origin: false,
                        });
                    }
                }
            }
            return;
        }
        let mut cur = owner;
        let mut prev_cues: Cues = 0;
        let mut places = Places::default();
        for u in &units {
            let r = self.reading(u);
            let fig = self.unit(u, &r, owner, &mut cur, &mut places, ctx, top, prev_cues);
            prev_cues = r.cues;
            if let Some(f) = fig {
                for g in &u.groups {
                    let gloss = r.gloss.as_ref().is_some_and(|(i, _)| {
                        matches!(g.segs.as_slice(), [seg] if matches!(seg.as_slice(), [Item::Tok(j)] if j == i))
                    });
                    if gloss {
                        continue;
                    }
                    for seg in &g.segs {
                        let mut inner = ctx.clone();
                        self.segment(seg, Some(f), &mut inner, false);
                    }
                }
            }
        }
    }

    /// Places one unit; returns the figure its groups belong to.
    #[allow(clippy::too_many_arguments)]
    fn unit(
        &mut self,
        u: &Unit,
        r: &Reading,
        owner: Option<usize>,
        cur: &mut Option<usize>,
        places: &mut Places,
        ctx: &mut Ctx,
        top: bool,
        prev_cues: Cues,
    ) -> Option<usize> {
        let mut c = r.cues;
        let at = u.anchor;
        if let Some(i) = r.foreign {
            self.errors.push((
                i,
                format!(
                    "`{}` is no place of the Chinese mainland, Hong Kong, Macao or Taiwan: this \
                     reads as another country's figures, not a report of the NHC bulletin; \
                     remove the text that is not the report",
                    &self.text[self.toks[i].start..self.toks[i].end]
                ),
            ));
            return None;
        }
        // A count of days (the 25th consecutive day) is a remark, read by the frame.
        if c & DAYS != 0 {
            return None;
        }
        let scope = if top {
            (*cur).or(ctx.owner).or(ctx.last_head)
        } else {
            *cur
        };
        let value = match u.val {
            Val::Num(v) => v,
            Val::Zero => 0,
            Val::One => 1,
            Val::All => scope.or(owner).map(|o| self.figs[o].value)?,
        };
        // Men and women among the new deaths (January 2020).
        if c & (MALE | FEMALE) != 0 {
            let o = scope.or(ctx.last_head)?;
            let sex = if c & MALE != 0 { "male" } else { "female" };
            let m = self.figs[o].measure;
            self.notes.push(Note {
                kind: NoteKind::Remark,
                region: None,
                values: vec![NoteValue {
                    label: format!("{m}:{sex}"),
                    value,
                }],
                text: None,
            });
            self.mark(u);
            return None;
        }
        // The three regions' total.
        if c & NOTIFIED != 0 && c & (DISCHARGED | DEATH) == 0 {
            self.notes.push(Note {
                kind: NoteKind::NotifiedTotal,
                region: None,
                values: vec![NoteValue {
                    label: "hk_mo_tw:confirmed_cumulative".into(),
                    value,
                }],
                text: None,
            });
            self.mark(u);
            ctx.topic = Some(M::ConfirmedCumulative);
            ctx.frame = Some(Frame::Total);
            ctx.owner = None;
            ctx.last_head = None;
            *cur = None;
            return None;
        }
        // Corrections stated beside a figure.
        if c & (CORR_REDUCE | CORR_INCREASE | CORR_REVISE_DOWN | CORR_REVISE_UP) != 0 {
            let o = owner.or(scope)?;
            let f = self.figs[o].clone();
            let region = r
                .places
                .last()
                .map(|p| self.resolve(p, Some(o)))
                .unwrap_or(f.region.clone());
            let region = match &r.gloss {
                Some((_, zh)) => self.gloss_region(zh, Some(&f.region)),
                None => region,
            };
            let origin = origin_cue(c).unwrap_or(f.origin);
            let (kind, sign) = if c & CORR_REDUCE != 0 {
                (CorrectionKind::Reduce, -1)
            } else if c & CORR_INCREASE != 0 {
                (CorrectionKind::Increase, 1)
            } else if c & CORR_REVISE_DOWN != 0 {
                (CorrectionKind::Revise, -1)
            } else {
                (CorrectionKind::Revise, 1)
            };
            self.corrections.push(Correction {
                region,
                origin,
                measure: f.measure,
                kind,
                delta: Some(sign * value),
                restated: None,
                refers_to: None,
                reason: r.reason.clone(),
            });
            self.mark(u);
            return None;
        }
        // Restated beside a correction: (1 removed on verification, restated as 13).
        if c & RESTATED != 0 && !top {
            let last = self.corrections.last_mut()?;
            last.restated = Some(value);
            self.mark(u);
            return None;
        }
        // A unit that names no measure takes the sentence's trailing verb.
        if top && c & MEASURE_WORDS == 0 {
            c |= ctx.predicate;
        }
        let frame = if c & NEW != 0 {
            Some(Frame::Flow)
        } else if c & (CUMULATIVE | ACTIVE) != 0 {
            Some(Frame::Total)
        } else {
            ctx.frame
        };
        // Coverage: reported by 24 provincial-level regions.
        if c & REGIONS != 0 && c & (MEASURE_WORDS & !CONFIRMED & !SUSPECTED) == 0 {
            let Val::Num(_) = u.val else { return None };
            // The regions that reported the figure before (77 new confirmed cases … in 3
            // provincial-level regions), else those of the figure its own words name.
            let cov = match scope.map(|o| self.figs[o].measure) {
                Some(m) if family(m) != Family::Coverage => coverage_of(Some(m)),
                _ if c & (CONFIRMED | SUSPECTED) != 0 => {
                    coverage_of(measure_of(c & !REGIONS, frame, None))
                }
                _ => M::RegionsReporting,
            };
            self.mark(u);
            self.add_fig(Fig {
                region: RegionId::NATION,
                origin: Origin::All,
                measure: cov,
                value,
                parent: None,
                role: Role::Head,
                at,
                all_of_origin: false,
            });
            return None;
        }
        let own = measure_of(c, frame, ctx.topic);
        let origin = origin_cue(c);
        let place = r
            .places
            .iter()
            .rev()
            .find(|p| !p.region().is_nation())
            .cloned();
        // A stock after a change: decreased by 176 to 1,573.
        if own.is_none() && prev_cues & TO != 0 && prev_cues & (UP | DOWN) != 0 {
            if let Some(o) = scope.filter(|o| self.figs[*o].measure == M::SevereChange) {
                let f = self.figs[o].clone();
                self.mark(u);
                let k = self.add_fig(Fig {
                    region: f.region,
                    origin: f.origin,
                    measure: M::SevereCurrent,
                    value,
                    parent: None,
                    role: Role::Head,
                    at,
                    all_of_origin: false,
                });
                return Some(k);
            }
        }
        // 174 fewer than on the previous day: the change of the figure before, a remark.
        if own.is_none() && c & (UP | DOWN) != 0 && c & PREVIOUS_DAY != 0 {
            if let Some(o) = scope.or(owner) {
                let f = &self.figs[o];
                let sign = if c & DOWN != 0 { -1 } else { 1 };
                self.notes.push(Note {
                    kind: NoteKind::Remark,
                    region: Some(f.region.clone()),
                    values: vec![NoteValue {
                        label: format!("{}:change", f.measure),
                        value: sign * value,
                    }],
                    text: None,
                });
                self.mark(u);
                return None;
            }
        }
        let explicit = own.is_some()
            && (c & MEASURE_WORDS != 0
                || (c & (NEW | CUMULATIVE | ACTIVE) != 0 && (origin.is_none() || scope.is_none())));
        if explicit {
            let measure = own.expect("explicit");
            return self.measured(u, r, measure, origin, place, owner, scope, cur, ctx, top);
        }
        // An origin part: 4 imported, all local, (none imported).
        if let Some(origin) = origin {
            let base = self.origin_owner(scope.or(owner));
            let fits = |m: Measure| own.is_none_or(|x| family(x) == family(m));
            if let Some(o) = base.filter(|o| fits(self.figs[*o].measure)) {
                let of = self.figs[o].clone();
                let value = if u.val == Val::All { of.value } else { value };
                self.mark(u);
                let k = self.add_fig(Fig {
                    region: of.region.clone(),
                    origin,
                    measure: of.measure,
                    value,
                    parent: Some(o),
                    role: Role::Origin,
                    at,
                    // all imported; an imported case of one.
                    all_of_origin: u.val == Val::All || (u.val == Val::One && of.value == 1),
                });
                // A place in the unit itself: (an imported case in Shanghai).
                if let Some(p) = &place {
                    let region = self.resolve(p, Some(o));
                    if self.container(Some(o), &region).is_some() {
                        self.add_fig(Fig {
                            region,
                            origin,
                            measure: of.measure,
                            value,
                            parent: Some(k),
                            role: Role::Region,
                            at,
                            all_of_origin: false,
                        });
                    }
                }
                *cur = Some(k);
                return Some(k);
            }
            // No figure to split: a figure of its own, of the sentence's topic.
            let measure = own
                .or(ctx.topic)
                .or_else(|| measure_of(c | NOUN, frame, None))?;
            return self.measured(
                u,
                r,
                measure,
                Some(origin),
                place,
                owner,
                None,
                cur,
                ctx,
                top,
            );
        }
        // A place: 3 in Guangdong, (all in Beijing), 443 in Taiwan.
        let place_region = match (&place, &r.gloss) {
            (_, Some((_, zh))) => {
                let parent = scope.or(owner).map(|o| self.figs[o].region.clone());
                Some(self.gloss_region(zh, parent.as_ref()))
            }
            (Some(p), None) => Some(self.resolve(p, scope.or(owner))),
            (None, None) => None,
        };
        if let Some(mut region) = place_region {
            let chain = scope.or(owner);
            // A place's own places: 8 in Henan including 7 in Zhengzhou and 1 in Zhoukou.
            let sub = if c & PART != 0 || places.in_sub {
                places.last
            } else {
                None
            };
            if let (Some(sp), Some(p)) = (sub, place.as_ref().filter(|_| r.gloss.is_none())) {
                let inner = self.resolve(p, Some(sp));
                if self.container(Some(sp), &inner) == Some(sp) {
                    let of = self.figs[sp].clone();
                    let value = if u.val == Val::All { of.value } else { value };
                    self.mark(u);
                    let k = self.add_fig(Fig {
                        region: inner,
                        origin: of.origin,
                        measure: of.measure,
                        value,
                        parent: Some(sp),
                        role: Role::Region,
                        at,
                        all_of_origin: false,
                    });
                    places.in_sub = true;
                    return Some(k);
                }
            }
            places.in_sub = false;
            if let (Some(p), None) = (place.as_ref(), r.gloss.as_ref()) {
                region = self.resolve(p, chain);
            }
            if let Some(o) = self.container(chain, &region) {
                let of = self.figs[o].clone();
                let value = if u.val == Val::All { of.value } else { value };
                self.mark(u);
                let k = self.add_fig(Fig {
                    region: region.clone(),
                    origin: of.origin,
                    measure: of.measure,
                    value,
                    parent: Some(o),
                    role: Role::Region,
                    at,
                    all_of_origin: false,
                });
                // Several places that each count this much.
                if c & EACH != 0 {
                    for q in &r.places {
                        let qr = self.resolve(q, Some(o));
                        if qr != region && self.container(Some(o), &qr) == Some(o) {
                            self.add_fig(Fig {
                                region: qr,
                                origin: of.origin,
                                measure: of.measure,
                                value,
                                parent: Some(o),
                                role: Role::Region,
                                at,
                                all_of_origin: false,
                            });
                        }
                    }
                }
                places.last = Some(k);
                return Some(k);
            }
            // A place of its own (Taiwan after Hong Kong): that measure's figure there.
            let measure = own.or(chain.map(|o| self.figs[o].measure)).or(ctx.topic)?;
            let origin = chain.map_or(Origin::All, |o| self.figs[o].origin);
            self.mark(u);
            let k = self.add_fig(Fig {
                region,
                origin,
                measure,
                value,
                parent: None,
                role: Role::Head,
                at,
                all_of_origin: false,
            });
            ctx.last_head = Some(k);
            *cur = Some(k);
            return Some(k);
        }
        // Nothing of its own: the sentence's topic continued.
        if top && c & !(NOUN | REPORTED | PART) == 0 {
            if let Some(m) = own.or(ctx.topic) {
                return self.measured(u, r, m, origin, None, owner, None, cur, ctx, top);
            }
        }
        None
    }

    /// A unit whose measure is known: a figure within the one it belongs to, or a figure of
    /// its own.
    #[allow(clippy::too_many_arguments)]
    fn measured(
        &mut self,
        u: &Unit,
        r: &Reading,
        mut measure: Measure,
        origin: Option<Origin>,
        place: Option<Placed>,
        owner: Option<usize>,
        scope: Option<usize>,
        cur: &mut Option<usize>,
        ctx: &mut Ctx,
        top: bool,
    ) -> Option<usize> {
        let c = r.cues
            | if top {
                ctx.predicate & !MEASURE_WORDS
            } else {
                0
            };
        let at = u.anchor;
        // A fall is a negative change.
        let sign = if measure == M::SevereChange && c & DOWN != 0 && c & UP == 0 {
            -1
        } else {
            1
        };
        let value = sign
            * match u.val {
                Val::Num(v) => v,
                Val::Zero => 0,
                Val::One => 1,
                Val::All => {
                    // all the deaths in Hubei: a place of the figure of that measure.
                    let target = (0..self.figs.len())
                        .rev()
                        .find(|k| family(self.figs[*k].measure) == family(measure))?;
                    let f = self.figs[target].clone();
                    let p = place?;
                    let region = self.resolve(&p, Some(target));
                    let k = self.add_fig(Fig {
                        region,
                        origin: f.origin,
                        measure: f.measure,
                        value: f.value,
                        parent: Some(target),
                        role: Role::Region,
                        at,
                        all_of_origin: false,
                    });
                    return Some(k);
                }
            };
        let part_of = if c & PART != 0 || !top {
            scope.or(owner)
        } else {
            None
        };
        if let Some(o) = part_of {
            let of = self.figs[o].clone();
            // The owner's time where the unit's own words leave it open.
            if family(measure) == family(of.measure) && c & (NEW | CUMULATIVE | ACTIVE) == 0 {
                if let (M::ConfirmedNew, M::ConfirmedCumulative) = (of.measure, measure) {
                    measure = M::ConfirmedNew;
                }
            }
            let mut region = of.region.clone();
            if let Some(p) = &place {
                region = self.resolve(p, Some(o));
            }
            if let Some((_, zh)) = &r.gloss {
                region = self.gloss_region(zh, Some(&of.region));
            }
            let origin = origin.unwrap_or(of.origin);
            self.mark(u);
            let k = self.add_fig(Fig {
                region: region.clone(),
                origin,
                measure,
                value,
                parent: Some(o),
                role: Role::Within,
                at,
                all_of_origin: false,
            });
            // The owner's place when only its part names it (1,107 cases including 4 deaths
            // had been reported in Hong Kong).
            if of.region.is_nation()
                && !region.is_nation()
                && !hierarchy::is_reporting_unit(region.province())
            {
                self.figs[o].region = region;
            }
            *cur = Some(k);
            return Some(k);
        }
        // A figure of its own.
        let subject = r
            .places
            .iter()
            .find(|p| p.subject && !p.region().is_nation())
            .map(|p| p.region().clone());
        if let Some(s) = &subject {
            ctx.region = Some(s.clone());
        }
        let base = subject
            .clone()
            .or_else(|| ctx.region.clone())
            .unwrap_or(RegionId::NATION);
        let mut region = base.clone();
        let mut loc = None;
        if subject.is_none() {
            if let Some(p) = &place {
                let pr = self.resolve(p, None);
                let inside = if base.is_nation() {
                    hierarchy::is_reporting_unit(pr.province())
                } else {
                    hierarchy::contains(&base, &pr) && pr != base
                };
                if value > 0 && inside {
                    loc = Some(pr);
                } else {
                    region = pr;
                }
            }
        }
        if let Some((_, zh)) = &r.gloss {
            region = self.gloss_region(zh, Some(&region));
        }
        let origin = origin.or(ctx.origin).unwrap_or(Origin::All);
        self.mark(u);
        let k = self.add_fig(Fig {
            region,
            origin,
            measure,
            value,
            parent: None,
            role: Role::Head,
            at,
            all_of_origin: false,
        });
        if let Some(l) = loc {
            self.add_fig(Fig {
                region: l,
                origin,
                measure,
                value,
                parent: Some(k),
                role: Role::Region,
                at,
                all_of_origin: false,
            });
        }
        ctx.topic = Some(measure);
        ctx.last_head = Some(k);
        ctx.owner = None;
        // The time its own words give holds for the rest of the sentence.
        if ctx.frame.is_none() {
            if c & NEW != 0 {
                ctx.frame = Some(Frame::Flow);
            } else if c & (CUMULATIVE | ACTIVE) != 0 {
                ctx.frame = Some(Frame::Total);
            }
        }
        if origin != Origin::All && ctx.origin.is_none() {
            ctx.origin = Some(origin);
        }
        *cur = Some(k);
        Some(k)
    }
}

impl Reader<'_> {
    /// The date (`February 19`) at token `i`, in the report's year.
    pub fn day_at(&self, i: usize) -> Option<(Date, usize, Vec<usize>)> {
        let (y, m, d, end, nums) = super::frame::date_at(self.toks, i)?;
        let year = y.unwrap_or(self.date.year());
        Some((Date::from_ymd(year, m, d)?, end, nums))
    }
}

/// Whether a capitalized word names a foreign country or city (another country's figures).
pub(crate) fn foreign(w: &str) -> bool {
    const NAMES: &[&str] = &[
        "italy",
        "korea",
        "japan",
        "iran",
        "spain",
        "france",
        "germany",
        "india",
        "brazil",
        "russia",
        "usa",
        "america",
        "britain",
        "uk",
        "england",
        "singapore",
        "thailand",
        "vietnam",
        "malaysia",
        "australia",
        "canada",
        "mexico",
        "peru",
        "chile",
        "turkey",
        "egypt",
        "israel",
        "pakistan",
        "indonesia",
        "philippines",
        "nepal",
        "cambodia",
        "myanmar",
        "laos",
        "mongolia",
        "kazakhstan",
        "switzerland",
        "austria",
        "belgium",
        "netherlands",
        "sweden",
        "norway",
        "denmark",
        "finland",
        "poland",
        "portugal",
        "greece",
        "ireland",
        "argentina",
        "colombia",
        "ecuador",
        "bangladesh",
        "lombardy",
        "daegu",
        "gyeongbuk",
        "seoul",
        "tokyo",
        "london",
        "paris",
        "moscow",
        "washington",
        "california",
    ];
    NAMES.contains(&w)
}
