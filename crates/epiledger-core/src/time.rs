//! Timestamps of versions: UTC, microsecond precision (what PostgreSQL's `timestamptz` keeps),
//! written as fixed-width RFC 3339 text so that text order is time order.

use chrono::{DateTime, SubsecRound, Utc};

/// `t` truncated to whole microseconds, as a store records it.
pub fn truncate(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

/// `2020-06-19T08:00:00.000000Z`: fixed width, so that comparing texts compares times.
pub fn format(t: DateTime<Utc>) -> String {
    truncate(t).format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Reads an RFC 3339 timestamp, in any offset, as UTC.
pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Serde as RFC 3339 text (`#[serde(with = "epiledger_core::time::rfc3339")]`).
pub mod rfc3339 {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the timestamp as [`super::format`] does.
    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format(*t))
    }

    /// Reads an RFC 3339 timestamp.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let s = String::deserialize(d)?;
        super::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{s}` is not an RFC 3339 timestamp (2020-06-19T08:00:00Z)"
            ))
        })
    }
}

/// Serde of an optional timestamp as RFC 3339 text or null
/// (`#[serde(with = "epiledger_core::time::opt_rfc3339", default)]`).
pub mod opt_rfc3339 {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the time as [`super::format`] does, or null.
    pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&super::format(*t)),
            None => s.serialize_none(),
        }
    }

    /// Reads an RFC 3339 timestamp or null.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| {
                super::parse(&s).ok_or_else(|| {
                    serde::de::Error::custom(format!("`{s}` is not an RFC 3339 timestamp"))
                })
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn formats_fixed_width_and_round_trips() {
        let t = Utc.with_ymd_and_hms(2020, 6, 19, 8, 0, 0).unwrap()
            + chrono::Duration::nanoseconds(1_234_567);
        let s = format(t);
        assert_eq!(s, "2020-06-19T08:00:00.001234Z");
        assert_eq!(parse(&s), Some(truncate(t)));
        assert_eq!(
            parse("2020-06-19T16:00:00+08:00"),
            Some(Utc.with_ymd_and_hms(2020, 6, 19, 8, 0, 0).unwrap())
        );
        assert_eq!(parse("yesterday"), None);
    }
}
