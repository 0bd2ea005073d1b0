//! Releases of a day: a compilation approved, then published, with its errata.

use chrono::{DateTime, Utc};
use epiledger_core::{time, Count, Date, Measure, Origin, RegionCode, RegionId};
use serde::{Deserialize, Serialize};

use crate::report::code_serde;

/// Where a release stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ReleaseStatus {
    /// Approved by a compiler, not yet public.
    Approved,
    /// Public; immutable.
    Published,
    /// Replaced by a later approval before it was published; never public.
    Superseded,
}

impl ReleaseStatus {
    /// `approved`, `published`, `superseded`.
    pub fn name(self) -> &'static str {
        match self {
            ReleaseStatus::Approved => "approved",
            ReleaseStatus::Published => "published",
            ReleaseStatus::Superseded => "superseded",
        }
    }
}

/// A unit's report version that a compilation used.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BasisEntry {
    /// The unit (or the nation, for national figures).
    #[serde(with = "code_serde")]
    pub unit: RegionCode,
    /// The report version.
    pub version: u32,
}

/// A published figure that a later release changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Erratum {
    /// Where.
    pub region: RegionId,
    /// Which cases.
    pub origin: Origin,
    /// Which figure.
    pub measure: Measure,
    /// The published value (none if the figure is new).
    pub old: Option<Count>,
    /// The new value (none if the figure is withdrawn).
    pub new: Option<Count>,
    /// Why: the reasons of the revised reports.
    pub reason: String,
}

/// A release of a day: a compiled day, approved and then published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Release {
    /// Its id (approvals are addressed by id; numbers come with publication).
    pub id: i64,
    /// The reporting day.
    pub date: Date,
    /// The release number: the day version its publication created. None until published.
    pub number: Option<u32>,
    /// Approved, published or superseded (as of the time asked).
    pub status: ReleaseStatus,
    /// The content hash of the compiled day ([`crate::content::content_hash`]).
    pub content_hash: String,
    /// The report versions compiled.
    pub basis: Vec<BasisEntry>,
    /// The published version this release revises, if any.
    pub base_version: Option<u32>,
    /// What it changes from the published version.
    pub errata: Vec<Erratum>,
    /// The approver's note.
    #[serde(default)]
    pub note: Option<String>,
    /// The approving token.
    pub approved_by: Option<i64>,
    /// When it was approved.
    #[serde(with = "time::rfc3339")]
    pub approved_at: DateTime<Utc>,
    /// The publishing token.
    pub published_by: Option<i64>,
    /// When it was published (or superseded).
    #[serde(with = "time::opt_rfc3339", default)]
    pub published_at: Option<DateTime<Utc>>,
}
