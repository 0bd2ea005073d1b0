//! The domain core of epiledger: regions, measures, origins, dates, facts, corrections, notes,
//! and the ledger with its identities.
//!
//! This crate does no I/O. Everything here is plain data and pure functions, so that the
//! parser, the stores, the server and the command line all share one vocabulary and the
//! ledger's identities can be checked by property tests alone.

/// Serializes a type as its text (`Display`) and deserializes it from a string (`FromStr`).
macro_rules! serde_as_text {
    ($t:ty) => {
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

pub mod content;
pub mod date;
pub mod day;
pub mod diff;
pub mod lang;
pub mod ledger;
pub mod measure;
#[cfg(feature = "openapi")]
pub mod openapi;
pub mod origin;
pub mod region;
pub mod source;
pub mod time;

pub use date::Date;
pub use day::{
    Correction, CorrectionKind, Count, Day, Fact, FactError, FigureKey, Note, NoteKind, NoteValue,
};
pub use diff::{diff_days, DayDiff, FactChange};
pub use lang::Lang;
pub use ledger::{audit, Audit, AuditSummary, Break, Identity, Ledger};
pub use measure::{Measure, MeasureKind};
pub use origin::Origin;
pub use region::{registry, Level, Region, RegionCode, RegionId, Registry, UnknownRegion};
pub use source::{Source, SourceKind, SourceKindError};
