//! The values the API reads from paths and query strings, each a type that accepts exactly what
//! the OpenAPI document says it does: a reporting unit, an instant, a positive id. The domain's
//! own types (`Date`, `Measure`, `Origin`, `Lang`) are strict already.

use std::fmt;

use chrono::{DateTime, Utc};
use epiledger_core::ledger::hierarchy::{self, REPORTING_UNITS};
use epiledger_core::{time, RegionCode};
use serde::{Deserialize, Deserializer};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

/// A reporting unit (one of the 32: the 31 provinces and the XPCC) or `100000` for the
/// compilers' national figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unit(pub RegionCode);

impl Unit {
    /// The 32 units and the nation, as their codes.
    pub fn codes() -> Vec<String> {
        std::iter::once(RegionCode::NATION)
            .chain(REPORTING_UNITS.iter().copied())
            .map(|c| c.to_string())
            .collect()
    }

    fn parse(s: &str) -> Result<Unit, String> {
        match s.parse::<RegionCode>() {
            Ok(c) if hierarchy::is_reporting_unit(c) || c == RegionCode::NATION => Ok(Unit(c)),
            Ok(c) => Err(format!(
                "{c} is not a reporting unit: give the code of one of the 32 reporting units \
                 (31 provinces and the XPCC, 660000), or 100000 for the national figures"
            )),
            Err(e) => Err(format!(
                "{e}; give the code of one of the 32 reporting units, such as 110000"
            )),
        }
    }
}

impl<'de> Deserialize<'de> for Unit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Unit::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl PartialSchema for Unit {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "A reporting unit's code (the 31 provinces and the XPCC, 660000), or 100000 for \
                 the compilers' national figures.",
            ))
            .enum_values(Some(Unit::codes()))
            .into()
    }
}
impl ToSchema for Unit {}

/// A reporting unit only (not the nation): the unit a reporter's token is bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportingUnit(pub RegionCode);

impl<'de> Deserialize<'de> for ReportingUnit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match Unit::parse(&s) {
            Ok(Unit(c)) if c != RegionCode::NATION => Ok(ReportingUnit(c)),
            Ok(_) => Err(serde::de::Error::custom(
                "100000 is the nation, not a reporting unit: a reporter token is bound to one of \
                 the 32 units",
            )),
            Err(e) => Err(serde::de::Error::custom(e)),
        }
    }
}

impl PartialSchema for ReportingUnit {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "One of the 32 reporting units (31 provinces and the XPCC, 660000).",
            ))
            .enum_values(Some(REPORTING_UNITS.iter().map(|c| c.to_string())))
            .into()
    }
}
impl ToSchema for ReportingUnit {}

/// An instant, RFC 3339 (`2023-01-06T08:00:00Z`, `2023-01-06T16:00:00+08:00`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instant(pub DateTime<Utc>);

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        time::parse(&s).map(Instant).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{s}` is not an RFC 3339 time: give one such as 2023-01-06T08:00:00Z or \
                 2023-01-06T16:00:00+08:00"
            ))
        })
    }
}

impl PartialSchema for Instant {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .description(Some(
                "An instant, RFC 3339, such as 2023-01-06T08:00:00Z or 2023-01-06T16:00:00+08:00.",
            ))
            .into()
    }
}
impl ToSchema for Instant {}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&time::format(self.0))
    }
}

/// The largest id the API takes (ids are 63-bit).
pub const MAX_ID: i64 = i64::MAX;
