//! A reporting unit's report of a day: what it says, its versions, and the validated form
//! that alone may be stored.

use chrono::{DateTime, Utc};
use epiledger_core::{
    time, Correction, Count, Date, Day, Fact, Measure, Origin, RegionCode, RegionId,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Serde of a [`RegionCode`] as its six digits, `"110000"`.
pub mod code_serde {
    use epiledger_core::RegionCode;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the code as text.
    pub fn serialize<S: Serializer>(c: &RegionCode, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(c)
    }

    /// Reads a six-digit code.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<RegionCode, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }

    /// The same for an optional code.
    pub mod option {
        use epiledger_core::RegionCode;
        use serde::{Deserialize, Deserializer, Serializer};

        /// Writes the code as text, or null.
        pub fn serialize<S: Serializer>(c: &Option<RegionCode>, s: S) -> Result<S::Ok, S::Error> {
            match c {
                Some(c) => s.collect_str(c),
                None => s.serialize_none(),
            }
        }

        /// Reads a six-digit code or null.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<RegionCode>, D::Error> {
            Option::<String>::deserialize(d)?
                .map(|s| s.parse().map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}

/// A part of a figure: the figure of a prefecture or district inside the unit.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Part {
    /// The region inside the unit.
    pub region: RegionId,
    /// Its figure.
    pub value: Count,
}

/// One figure of a report: the unit's own value, with optional parts by region.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportFigure {
    /// What it counts.
    pub measure: Measure,
    /// Which cases.
    pub origin: Origin,
    /// The unit's figure.
    pub value: Count,
    /// Parts by prefecture or district, if given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakdown: Vec<Part>,
}

/// A reporting unit's report of one day: what it says. A report that may be stored is a
/// [`ValidatedReport`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    /// The reporting day.
    pub date: Date,
    /// The reporting unit (one of the 32), or the nation for national-only figures.
    #[serde(with = "code_serde")]
    pub unit: RegionCode,
    /// The figures.
    pub figures: Vec<ReportFigure>,
    /// Corrections of the unit's figures (核减, 核增, 订正), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
    /// The ids of the plausibility warnings the reporter acknowledged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledged: Vec<String>,
}

/// What precedes a report's canonical JSON in its content hash.
pub const REPORT_HASH_TAG: &str = "epiledger-report/1\n";

impl Report {
    /// The report in canonical form: figures sorted by (measure, origin), parts by region.
    pub fn canonical(&self) -> Report {
        let mut r = self.clone();
        for f in &mut r.figures {
            f.breakdown.sort();
        }
        r.figures.sort_by_key(|f| (f.origin, f.measure));
        r.acknowledged.sort();
        r.acknowledged.dedup();
        r
    }

    /// The SHA-256 of the canonical report's figures and corrections (not the
    /// acknowledgements): two reports with the same hash say the same.
    pub fn content_hash(&self) -> String {
        let mut c = self.canonical();
        c.acknowledged.clear();
        let mut hasher = Sha256::new();
        hasher.update(REPORT_HASH_TAG.as_bytes());
        // A Report is plain data (strings, integers, enums); serializing it cannot fail.
        serde_json::to_writer(&mut hasher, &c).expect("a Report always serializes to JSON");
        hex::encode(hasher.finalize())
    }

    /// The report as facts of a day: the unit's figures and their parts.
    pub fn to_day(&self) -> Day {
        let mut day = Day::new(self.date);
        let unit = RegionId::Code(self.unit);
        for f in &self.figures {
            day.facts.push(Fact {
                region: unit.clone(),
                origin: f.origin,
                measure: f.measure,
                value: f.value,
            });
            for p in &f.breakdown {
                day.facts.push(Fact {
                    region: p.region.clone(),
                    origin: f.origin,
                    measure: f.measure,
                    value: p.value,
                });
            }
        }
        day.corrections = self.corrections.clone();
        day.normalize();
        day
    }

    /// The unit's own figure of a measure and origin, if the report gives it.
    pub fn get(&self, origin: Origin, measure: Measure) -> Option<Count> {
        self.figures
            .iter()
            .find(|f| f.origin == origin && f.measure == measure)
            .map(|f| f.value)
    }
}

/// A report that passed every check of [`crate::validate::check`]: the form, the vocabulary, the
/// unit's own figures once each, parts inside the unit, and the ledger's identities. Only
/// validation makes one, and the store takes nothing else, so that "validated" is a type,
/// not a comment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ValidatedReport(Report);

impl ValidatedReport {
    /// Wraps a report that validation accepted; private to the crate.
    pub(crate) fn accepted(report: Report) -> ValidatedReport {
        ValidatedReport(report.canonical())
    }

    /// The report (canonical: figures sorted, parts sorted).
    pub fn report(&self) -> &Report {
        &self.0
    }

    /// The report, to keep.
    pub fn into_report(self) -> Report {
        self.0
    }
}

impl std::ops::Deref for ValidatedReport {
    type Target = Report;
    fn deref(&self) -> &Report {
        &self.0
    }
}

/// One stored version of a unit's report of a day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredReport {
    /// The report.
    pub report: Report,
    /// Its version, from 1.
    pub version: u32,
    /// Why it supersedes the previous version (required from version 2).
    #[serde(default)]
    pub reason: Option<String>,
    /// When it was stored.
    #[serde(with = "time::rfc3339")]
    pub submitted_at: DateTime<Utc>,
    /// The token that submitted it.
    #[serde(default)]
    pub submitted_by: Option<i64>,
    /// [`Report::content_hash`].
    pub content_hash: String,
}

/// The newest report of a unit for a day, with when it first reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitDayReport {
    /// The newest version (as of the time asked).
    pub newest: StoredReport,
    /// When version 1 was stored.
    #[serde(with = "time::rfc3339")]
    pub first_submitted_at: DateTime<Utc>,
}
