//! The bulletin's phrase slots and their variants, shared by the parser and the renderer.
//!
//! A **slot** is a place of the bulletin where the official text used more than one wording
//! for the same figures (（广东1例） or （在广东）; 重症病例无变化 or 与前一日持平). Each period
//! of the renderer ([`crate::vocab::periods`]) has a convention for each slot. Where a day's
//! text used another variant than its period's convention, the parser records the variant in a
//! note of kind [`NoteKind::Phrasing`]: labels are the slots' snake_case names, values the
//! variants' small integer ids, never text. The renderer applies a day's recorded phrasing where
//! present and its period's conventions otherwise, so that a day that comes from unit reports
//! (no phrasing) is written in the conventions.
//!
//! Besides the day-wide slots, two kinds of values concern one place of a list:
//!
//! - `order:<measure>:<origin>:<area>` = rank: the areas of one province listed at equal counts
//!   in the province's own order rather than by code (only the tied areas whose order differs
//!   carry one);
//! - `sep:<measure>:<origin>:<area>` = [`SEP_COMMA`] or [`SEP_HALF_WIDTH`]: the list separates
//!   this area from the one before by ，or by a half-width comma rather than its usual mark;
//! - `pos:<measure>:<origin>:<area>` = position: a list of a province's areas stated in an order
//!   that is not by count (every area of the list carries its position);
//! - `short:<measure>:<origin>:<area>` = 1: the area is named without its suffix (定州 for
//!   定州市).
//!
//! A day-wide slot may also be recorded for one measure only (`all_are_wei:suspected_new`),
//! where a day's figures used two wordings of it: the measure's value overrides the day's.

use std::collections::BTreeMap;

use epiledger_core::{Count, Day, Measure, Note, NoteKind, NoteValue, Origin, RegionId};
use serde::Serialize;

/// A day-wide phrase slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Slot {
    /// How a list of one place is written: see [`SinglePlace`].
    SinglePlace,
    /// How no change of the severe cases is written: see [`SevereUnchanged`].
    SevereUnchanged,
    /// How asymptomatic infections all imported are written: see [`AllImported`].
    AsymptomaticAllImported,
    /// Whether the header states the year: see [`HeaderYear`].
    HeaderYear,
    /// A list of one place after a comma (`，均在北京`, 1) rather than in parentheses (0).
    PlaceAfterComma,
    /// No severe cases in the totals as `其中重症病例0例` (1) or `其中无重症病例` (2) rather
    /// than `无重症病例` (0).
    TotalsSevereZero,
    /// The asymptomatic infections under observation in a sentence of their own (1) rather
    /// than after a ；(0).
    AsymptomaticStockSentence,
    /// What the change of severe cases is compared with: see [`SevereVs`].
    SevereChangeVs,
    /// The new suspected cases' origins as 境外输入疑似病例 (1) or 境外输入病例 (0).
    SuspectedOriginWords,
    /// One origin of several cases as 为境外输入病例 (1) rather than 均为境外输入病例 (0).
    AllAreWei,
    /// What opens the footnotes: nothing (0), 注： (1) or 备注： (2).
    FootnotePrefix,
    /// Whether the footnotes end with 。 (1) or not (0).
    FootnoteStop,
    /// Corrections as starred footnotes (1) or in parentheses beside the figure (0).
    FootnoteCorrections,
    /// How the new deaths' one place is written after its comma: the ids of [`SinglePlace`].
    DeathsSinglePlace,
    /// The XPCC's divisions named bare (第四师, 1) rather than 建设兵团第四师 (0).
    XpccAreaBare,
    /// The change of severe cases left unstated (1), although the stocks give it.
    SevereChangeOmitted,
    /// No cumulative deaths of imported cases as 无累计死亡病例 (1) rather than 无死亡病例 (0).
    ImportedDeathsLeiji,
    /// A correction of an origin's part after the figure's parentheses, naming the origin:
    /// （境外输入408例）（核减境外输入1例） (1) rather than （境外输入408例（核减1例））(0).
    CorrectionAfterParens,
}

impl Slot {
    /// Every slot.
    pub const ALL: [Slot; 18] = [
        Slot::SinglePlace,
        Slot::SevereUnchanged,
        Slot::AsymptomaticAllImported,
        Slot::HeaderYear,
        Slot::PlaceAfterComma,
        Slot::TotalsSevereZero,
        Slot::AsymptomaticStockSentence,
        Slot::SevereChangeVs,
        Slot::SuspectedOriginWords,
        Slot::AllAreWei,
        Slot::FootnotePrefix,
        Slot::FootnoteStop,
        Slot::FootnoteCorrections,
        Slot::DeathsSinglePlace,
        Slot::XpccAreaBare,
        Slot::SevereChangeOmitted,
        Slot::ImportedDeathsLeiji,
        Slot::CorrectionAfterParens,
    ];

    /// The slot's label in a note.
    pub fn name(self) -> &'static str {
        match self {
            Slot::SinglePlace => "single_place",
            Slot::SevereUnchanged => "severe_unchanged",
            Slot::AsymptomaticAllImported => "asymptomatic_all_imported",
            Slot::HeaderYear => "header_year",
            Slot::PlaceAfterComma => "place_after_comma",
            Slot::TotalsSevereZero => "totals_severe_zero",
            Slot::AsymptomaticStockSentence => "asymptomatic_stock_sentence",
            Slot::SevereChangeVs => "severe_change_vs",
            Slot::SuspectedOriginWords => "suspected_origin_words",
            Slot::AllAreWei => "all_are_wei",
            Slot::FootnotePrefix => "footnote_prefix",
            Slot::FootnoteStop => "footnote_stop",
            Slot::FootnoteCorrections => "footnote_corrections",
            Slot::DeathsSinglePlace => "deaths_single_place",
            Slot::XpccAreaBare => "xpcc_area_bare",
            Slot::SevereChangeOmitted => "severe_change_omitted",
            Slot::ImportedDeathsLeiji => "imported_deaths_leiji",
            Slot::CorrectionAfterParens => "correction_after_parens",
        }
    }

    /// The slot of a label.
    pub fn from_name(name: &str) -> Option<Slot> {
        Slot::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// The variants of [`Slot::SinglePlace`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum SinglePlace {
    /// `paren_count`: （广东1例）.
    ParenCount = 0,
    /// `paren_in`: （在广东） for one case, （均在广东） for more.
    ParenIn = 1,
    /// `paren_in_always`: （在广东） whatever the count.
    ParenInAlways = 2,
}

/// The variants of [`Slot::SevereUnchanged`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum SevereUnchanged {
    /// `chiping`: 重症病例与前一日持平.
    Chiping = 0,
    /// `wu_bianhua`: 重症病例无变化.
    WuBianhua = 1,
    /// `yu_qian_yi_tian`: 重症病例与前一天持平.
    Tian = 2,
    /// `shu_wu_bianhua`: 重症病例数无变化.
    ShuWuBianhua = 3,
}

/// The variants of [`Slot::AsymptomaticAllImported`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum AllImported {
    /// `jun_wei`: （均为境外输入）.
    JunWei = 0,
    /// `count`: （境外输入4例）.
    Count = 1,
}

/// The variants of [`Slot::HeaderYear`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum HeaderYear {
    /// `omitted`: 1月1日0—24时.
    Omitted = 0,
    /// `stated`: 2021年1月1日0—24时, and 截至2021年1月1日24时.
    Stated = 1,
}

/// The variants of [`Slot::SevereChangeVs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum SevereVs {
    /// `omitted`: 重症病例减少1例.
    Omitted = 0,
    /// `jiao`: 重症病例较前一日减少1例.
    Jiao = 1,
    /// `xiangbi`: 重症病例与前一日相比减少1例.
    Xiangbi = 2,
    /// `bi`: 重症病例比前一日减少1例.
    Bi = 3,
}

impl SevereVs {
    /// The words before 增加 / 减少.
    pub fn zh(self) -> &'static str {
        match self {
            SevereVs::Omitted => "",
            SevereVs::Jiao => "较前一日",
            SevereVs::Xiangbi => "与前一日相比",
            SevereVs::Bi => "比前一日",
        }
    }

    /// The variant of an id.
    pub fn from_id(id: Count) -> Option<SevereVs> {
        [
            SevereVs::Omitted,
            SevereVs::Jiao,
            SevereVs::Xiangbi,
            SevereVs::Bi,
        ]
        .into_iter()
        .find(|v| *v as Count == id)
    }
}

/// The footnotes' openings by variant id ([`Slot::FootnotePrefix`]).
pub const FOOTNOTE_PREFIXES: [&str; 3] = ["", "注：", "备注："];

/// The value of a `sep:` entry: the area follows a ，.
pub const SEP_COMMA: Count = 1;

/// The value of a `sep:` entry: the area follows a half-width comma (a slip of the source).
pub const SEP_HALF_WIDTH: Count = 2;

/// The phrasing recorded for a day: slot or place label → variant id.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Phrasing {
    values: BTreeMap<String, Count>,
}

impl Phrasing {
    /// The phrasing recorded in a day's notes (none for a day of unit reports).
    pub fn of_day(day: &Day) -> Phrasing {
        let mut p = Phrasing::default();
        for n in day.notes.iter().filter(|n| n.kind == NoteKind::Phrasing) {
            for v in &n.values {
                p.values.insert(v.label.clone(), v.value);
            }
        }
        p
    }

    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The variant of a day-wide slot, if recorded.
    pub fn get(&self, slot: Slot) -> Option<Count> {
        self.values.get(slot.name()).copied()
    }

    /// Records the variant of a day-wide slot.
    pub fn set(&mut self, slot: Slot, variant: Count) {
        self.values.insert(slot.name().to_string(), variant);
    }

    /// The variant of a slot for one measure's figures, if recorded for that measure.
    pub fn get_for(&self, slot: Slot, measure: Measure) -> Option<Count> {
        self.values
            .get(&format!("{}:{}", slot.name(), measure.name()))
            .copied()
    }

    /// Records the variant of a slot for one measure's figures.
    pub fn set_for(&mut self, slot: Slot, measure: Measure, variant: Count) {
        self.values
            .insert(format!("{}:{}", slot.name(), measure.name()), variant);
    }

    /// The position of an area in its province's list, where the list is not by count.
    pub fn position(&self, measure: Measure, origin: Origin, area: &RegionId) -> Option<Count> {
        self.values
            .get(&place_label("pos", measure, origin, area))
            .copied()
    }

    /// Records the position of an area in its province's list.
    pub fn set_position(&mut self, measure: Measure, origin: Origin, area: &RegionId, at: Count) {
        self.values
            .insert(place_label("pos", measure, origin, area), at);
    }

    /// Whether the area is named without its suffix (定州 for 定州市).
    pub fn short_name(&self, measure: Measure, origin: Origin, area: &RegionId) -> bool {
        self.values
            .get(&place_label("short", measure, origin, area))
            == Some(&1)
    }

    /// Records that the area is named without its suffix.
    pub fn set_short_name(&mut self, measure: Measure, origin: Origin, area: &RegionId) {
        self.values
            .insert(place_label("short", measure, origin, area), 1);
    }

    /// The separator recorded before a place of a list: ，for [`SEP_COMMA`], `,` for
    /// [`SEP_HALF_WIDTH`].
    pub fn separator_before(
        &self,
        measure: Measure,
        origin: Origin,
        area: &RegionId,
    ) -> Option<char> {
        match self.values.get(&place_label("sep", measure, origin, area)) {
            Some(&SEP_COMMA) => Some('，'),
            Some(&SEP_HALF_WIDTH) => Some(','),
            _ => None,
        }
    }

    /// Records that a list separates this place from the one before by a half-width comma.
    pub fn set_half_width_before(&mut self, measure: Measure, origin: Origin, area: &RegionId) {
        self.values
            .insert(place_label("sep", measure, origin, area), SEP_HALF_WIDTH);
    }

    /// The rank of an area among the tied areas of its list, if recorded.
    pub fn rank(&self, measure: Measure, origin: Origin, area: &RegionId) -> Option<Count> {
        self.values
            .get(&place_label("order", measure, origin, area))
            .copied()
    }

    /// Records the rank of an area among the tied areas of its list.
    pub fn set_rank(&mut self, measure: Measure, origin: Origin, area: &RegionId, rank: Count) {
        self.values
            .insert(place_label("order", measure, origin, area), rank);
    }

    /// Whether the list separates this area from the one before by ，.
    pub fn comma_before(&self, measure: Measure, origin: Origin, area: &RegionId) -> bool {
        self.values.get(&place_label("sep", measure, origin, area)) == Some(&SEP_COMMA)
    }

    /// Records that the list separates this area from the one before by ，.
    pub fn set_comma_before(&mut self, measure: Measure, origin: Origin, area: &RegionId) {
        self.values
            .insert(place_label("sep", measure, origin, area), SEP_COMMA);
    }

    /// The note that records this phrasing, if any.
    pub fn note(&self) -> Option<Note> {
        (!self.is_empty()).then(|| Note {
            kind: NoteKind::Phrasing,
            region: None,
            values: self
                .values
                .iter()
                .map(|(label, value)| NoteValue {
                    label: label.clone(),
                    value: *value,
                })
                .collect(),
            text: None,
        })
    }
}

/// The day without its phrasing: what the renderer writes by its period's conventions alone.
pub fn without_phrasing(day: &Day) -> Day {
    let mut d = day.clone();
    d.notes.retain(|n| n.kind != NoteKind::Phrasing);
    d
}

/// `order:confirmed_new:local:130100`.
fn place_label(kind: &str, measure: Measure, origin: Origin, area: &RegionId) -> String {
    format!("{kind}:{}:{}:{area}", measure.name(), origin.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_names_round_trip() {
        for s in Slot::ALL {
            assert_eq!(Slot::from_name(s.name()), Some(s));
        }
    }

    #[test]
    fn a_note_round_trips() {
        let mut p = Phrasing::default();
        p.set(Slot::SinglePlace, SinglePlace::ParenCount as Count);
        let area: RegionId = "130100".parse().unwrap();
        p.set_rank(Measure::ConfirmedNew, Origin::Local, &area, 1);
        let day = Day {
            notes: vec![p.note().unwrap()],
            ..Day::default()
        };
        let q = Phrasing::of_day(&day);
        assert_eq!(q, p);
        assert_eq!(q.rank(Measure::ConfirmedNew, Origin::Local, &area), Some(1));
        assert_eq!(q.get(Slot::HeaderYear), None);
    }
}
