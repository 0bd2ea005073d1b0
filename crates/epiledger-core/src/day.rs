//! What is known of one reporting day: its facts, its corrections and its notes.

use serde::{Deserialize, Serialize};

use crate::{Date, Measure, Origin, RegionId};

/// A count of people or cases. Only [`crate::MeasureKind::Change`] values may be negative.
pub type Count = i64;

/// One figure of a day: (region, origin, measure, value). The date is the [`Day`]'s.
///
/// A figure the source does not give has no fact (missing is not zero); a figure the source
/// states as none (无新增死亡病例) is a fact with value 0.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fact {
    /// Where the figure applies.
    pub region: RegionId,
    /// Which cases it counts.
    pub origin: Origin,
    /// What it counts.
    pub measure: Measure,
    /// The figure.
    pub value: Count,
}

impl Fact {
    /// A fact, checked: a negative value is only allowed for a change measure.
    pub fn new(
        region: RegionId,
        origin: Origin,
        measure: Measure,
        value: Count,
    ) -> Result<Fact, FactError> {
        if value < 0 && !measure.is_signed() {
            return Err(FactError::Negative { measure, value });
        }
        Ok(Fact {
            region,
            origin,
            measure,
            value,
        })
    }

    /// The key that identifies the figure within a day.
    pub fn key(&self) -> (&RegionId, Origin, Measure) {
        (&self.region, self.origin, self.measure)
    }
}

/// Which figure: where, which cases, what it counts (a fact without its value).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct FigureKey {
    /// Where.
    pub region: RegionId,
    /// Which cases.
    pub origin: Origin,
    /// What it counts.
    pub measure: Measure,
}

impl FigureKey {
    /// The figure of a region, origin and measure.
    pub fn new(region: RegionId, origin: Origin, measure: Measure) -> FigureKey {
        FigureKey {
            region,
            origin,
            measure,
        }
    }
}

/// A fact that cannot be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FactError {
    /// A count below zero.
    #[error("{measure} cannot be negative (found {value}); counts are zero or more")]
    Negative {
        /// The measure.
        measure: Measure,
        /// The value found.
        value: Count,
    },
    /// Two different values for the same figure of the same day.
    #[error(
        "{region} {origin} {measure} is given twice with different values: {first} and {second}"
    )]
    Conflict {
        /// Where.
        region: RegionId,
        /// Origin.
        origin: Origin,
        /// Measure.
        measure: Measure,
        /// The first value.
        first: Count,
        /// The second value.
        second: Count,
    },
}

/// The kind of a correction, as the bulletins name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CorrectionKind {
    /// 核减: reduced after verification.
    Reduce,
    /// 核增: increased after verification.
    Increase,
    /// 订正: corrected (a figure restated, or a change of an earlier figure).
    Revise,
}

impl CorrectionKind {
    /// The Chinese term.
    pub fn zh(self) -> &'static str {
        match self {
            CorrectionKind::Reduce => "核减",
            CorrectionKind::Increase => "核增",
            CorrectionKind::Revise => "订正",
        }
    }
}

/// An explicit correction of the ledger, never a silent edit: a figure changed by `delta`
/// and/or restated as `restated`, for the day `refers_to` when it is not the day itself.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Correction {
    /// Where.
    pub region: RegionId,
    /// Which cases.
    pub origin: Origin,
    /// Which figure.
    pub measure: Measure,
    /// 核减, 核增 or 订正.
    pub kind: CorrectionKind,
    /// The change, signed (核减 is negative), where the source gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delta: Option<Count>,
    /// The corrected value, where the source restates the figure (订正为…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restated: Option<Count>,
    /// The earlier day whose figure is corrected, when it is not this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refers_to: Option<Date>,
    /// The reason, as stated (for example 重复报告), in a few words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// What a note of a day records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum NoteKind {
    /// Descriptions of individual deaths (January 2020).
    CaseDescriptions,
    /// Cases notified by foreign countries (January 2020).
    ForeignNotified,
    /// A region's first case, or regions newly reporting.
    FirstCases,
    /// An explanation of a change of method (for example Hubei's clinical diagnoses).
    Explanation,
    /// A footnote of the bulletin (注, 备注, an asterisk).
    Footnote,
    /// A total the bulletin states over figures that are facts of their own (the confirmed
    /// cases notified by Hong Kong, Macao and Taiwan together).
    NotifiedTotal,
    /// The signature line of the first bulletin.
    Signature,
    /// Anything else the bulletin says that is no figure of the ledger.
    Remark,
    /// How the source worded the day: the variant of each phrase slot that differs from its
    /// period's convention; numbers and our labels, never text.
    Phrasing,
    /// Figures of the source that contradict one another (parts that do not add up to their
    /// total), recorded as the source states them: values `total:<measure>` and
    /// `<part>:<measure>`.
    Contradiction,
}

/// A labelled number that a note carries.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoteValue {
    /// What the number counts, in our own words (`日本:confirmed`, `deaths`).
    pub label: String,
    /// The number.
    pub value: Count,
}

/// A free note of a day: something the bulletin says that is no fact and no correction.
/// The text is kept where it was read from a source and is never shipped with the project.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    /// What the note records.
    pub kind: NoteKind,
    /// The region it concerns, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<RegionId>,
    /// The numbers it carries, labelled.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<NoteValue>,
    /// The text as the source states it, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// Everything known of one reporting day, from one source: a bulletin or a unit's report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Day {
    /// The reporting day.
    pub date: Option<Date>,
    /// The figures, sorted by (region, origin, measure), one per key.
    pub facts: Vec<Fact>,
    /// The corrections, in the order stated.
    #[serde(default)]
    pub corrections: Vec<Correction>,
    /// The notes, in the order stated.
    #[serde(default)]
    pub notes: Vec<Note>,
}

impl Day {
    /// An empty day.
    pub fn new(date: Date) -> Day {
        Day {
            date: Some(date),
            ..Day::default()
        }
    }

    /// Adds a figure; the same figure twice must agree.
    pub fn add_fact(&mut self, fact: Fact) -> Result<(), FactError> {
        match self.facts.iter().find(|f| f.key() == fact.key()) {
            Some(f) if f.value == fact.value => Ok(()),
            Some(f) => Err(FactError::Conflict {
                region: f.region.clone(),
                origin: f.origin,
                measure: f.measure,
                first: f.value,
                second: fact.value,
            }),
            None => {
                self.facts.push(fact);
                Ok(())
            }
        }
    }

    /// Sorts the facts into their canonical order.
    pub fn normalize(&mut self) {
        self.facts.sort();
        self.facts.dedup();
    }

    /// The value of a figure, if the day has it.
    pub fn get(&self, region: &RegionId, origin: Origin, measure: Measure) -> Option<Count> {
        self.facts
            .iter()
            .find(|f| f.region == *region && f.origin == origin && f.measure == measure)
            .map(|f| f.value)
    }

    /// The same day without the source's wording: note texts and correction reasons longer
    /// than a label are dropped. This is what the project may ship.
    pub fn without_text(&self) -> Day {
        let mut d = self.clone();
        for n in &mut d.notes {
            n.text = None;
        }
        d
    }
}
