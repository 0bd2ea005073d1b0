//! The bulletin as a structured document: paragraphs of sentences of clauses that carry the
//! figures of the ledger, in the order the bulletin states them. The language writers
//! ([`super::zh`], [`super::en`]) and the formats ([`super::json`], [`super::html`],
//! [`super::md`]) all start from this document; none of them reads the ledger.

use epiledger_core::{Correction, Count, Date, Measure, Note, Origin, RegionId};
use serde::Serialize;

use crate::phrasing::Phrasing;

/// The bulletin of one reporting day: the nation's, or a province's own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Bulletin {
    /// The reporting day.
    pub date: Date,
    /// Whose bulletin: the nation (`100000`) or a provincial-level unit.
    pub scope: RegionId,
    /// The paragraphs, in order.
    pub paragraphs: Vec<Paragraph>,
    /// How the source worded the day where it left its period's conventions (none for a day
    /// of unit reports).
    #[serde(skip_serializing_if = "Phrasing::is_empty")]
    pub phrasing: Phrasing,
}

/// A paragraph: one part of the bulletin.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    /// What the paragraph reports.
    pub section: Section,
    /// The sentences; each a list of clauses.
    pub sentences: Vec<Sentence>,
}

/// A sentence: clauses that the bulletin states together.
pub type Sentence = Vec<Clause>;

/// The parts of a bulletin, in the order they appear.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// The flows of the day: new confirmed cases, deaths, suspected cases.
    Flows,
    /// Discharges, close contacts released, the change of severe cases.
    Recoveries,
    /// The imported cases' stocks and totals (from 2020-03-29).
    ImportedStocks,
    /// The stocks and totals at 24:00 (截至…24时).
    Totals,
    /// Hubei's own figures, with Wuhan's (February – April 2020).
    Hubei,
    /// The imported cases of the day and their total (March 2020).
    ImportedNew,
    /// Asymptomatic infections (from 2020-03-31).
    Asymptomatic,
    /// Cases notified by Hong Kong, Macao and Taiwan.
    Notified,
    /// Cases notified by foreign countries (January 2020).
    Foreign,
    /// Close contacts (January 2020).
    Contacts,
    /// Explanations, restatements and footnotes.
    Notes,
}

/// One clause of a sentence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Clause {
    /// A figure with its breakdowns.
    Figure(Figure),
    /// How many provincial-level regions reported a figure (early 2020).
    Coverage {
        /// The coverage measure (`regions_confirmed_new`, …).
        measure: Measure,
        /// How many regions.
        value: Count,
    },
    /// The total of the cases notified by Hong Kong, Macao and Taiwan.
    NotifiedTotal {
        /// The total.
        value: Count,
    },
    /// Cases notified by foreign countries (January 2020): country, confirmed, discharged.
    Foreign {
        /// The countries, in the order stated.
        countries: Vec<Country>,
        /// Their total, where stated.
        total: Option<Count>,
    },
    /// A figure of an earlier day restated (订正为).
    Restatement(Correction),
    /// A correction stated apart from its figure (a footnote).
    Correction(Correction),
    /// A note of the day (an explanation, case descriptions, a footnote, a remark).
    Note(Note),
}

/// A foreign country's notified cases (January 2020).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Country {
    /// The country, in Chinese, as the ledger's note labels it.
    pub name: String,
    /// Confirmed cases.
    pub confirmed: Count,
    /// Of them, discharged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discharged: Option<Count>,
}

/// A figure of the ledger with what the bulletin says of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Figure {
    /// Where it applies.
    pub region: RegionId,
    /// Which cases it counts.
    pub origin: Origin,
    /// What it counts (the ledger's measure name in JSON).
    pub measure: Measure,
    /// The figure.
    pub value: Count,
    /// Its parts by origin (imported, then local), where the ledger has them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub origins: Vec<Figure>,
    /// Its parts by region, largest first, then in GB/T 2260 code order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<Figure>,
    /// Figures counted within it: the severe among the active cases, the new cases reclassified
    /// from asymptomatic infections, Hubei's clinically diagnosed cases.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub within: Vec<Figure>,
    /// Corrections stated beside it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
}

impl Figure {
    /// A figure without breakdowns.
    pub fn new(region: RegionId, origin: Origin, measure: Measure, value: Count) -> Figure {
        Figure {
            region,
            origin,
            measure,
            value,
            origins: Vec::new(),
            regions: Vec::new(),
            within: Vec::new(),
            corrections: Vec::new(),
        }
    }

    /// The part of this figure of an origin, if the bulletin gives it.
    pub fn origin(&self, origin: Origin) -> Option<&Figure> {
        self.origins.iter().find(|f| f.origin == origin)
    }

    /// The figure counted within this one of a measure, if given.
    pub fn within(&self, measure: Measure) -> Option<&Figure> {
        self.within.iter().find(|f| f.measure == measure)
    }

    /// Every figure of this one and its parts, depth first.
    pub fn walk(&self) -> Vec<&Figure> {
        let mut out = vec![self];
        for f in self.origins.iter().chain(&self.regions).chain(&self.within) {
            out.extend(f.walk());
        }
        out
    }
}

impl Bulletin {
    /// The paragraph of a section, if the bulletin has it.
    pub fn paragraph(&self, section: Section) -> Option<&Paragraph> {
        self.paragraphs.iter().find(|p| p.section == section)
    }

    /// Every figure the bulletin states, with its parts, in order.
    pub fn figures(&self) -> Vec<&Figure> {
        let mut out = Vec::new();
        for p in &self.paragraphs {
            for s in &p.sentences {
                for c in s {
                    if let Clause::Figure(f) = c {
                        out.extend(f.walk());
                    }
                }
            }
        }
        out
    }
}
