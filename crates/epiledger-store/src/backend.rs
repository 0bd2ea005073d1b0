//! What the backends share beyond the traits: decoding stored values with errors that name the
//! row, the rows of the reporting tables as read, the retry keys' stored answers.

use std::fmt::Display;

use chrono::{DateTime, Utc};
use epiledger_core::{Date, Day, Fact, Measure, Origin, RegionCode, RegionId};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::reports::{BasisEntry, Committed, Erratum, Release, ReleaseStatus, Token};
use crate::StoreError;

// ----- stored values -----

pub fn corrupt(loc: &str, row: impl Display, problem: impl Display) -> StoreError {
    StoreError::Corrupt {
        location: loc.to_string(),
        row: row.to_string(),
        problem: problem.to_string(),
    }
}

/// Decodes a stored JSON value of `row`.
pub fn json<T: DeserializeOwned>(
    loc: &str,
    row: impl Display,
    text: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| corrupt(loc, row, e))
}

/// Encodes a value to store as JSON. The values stored are plain data (strings, integers,
/// enums), so this fails only on a bug; the error says what was being encoded.
pub fn encode<T: Serialize>(action: &str, v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Database {
        location: "(encoding)".to_string(),
        action: action.to_string(),
        source: Box::new(e),
    })
}

/// A stored answer to a retry key, marked as answered again.
pub fn replayed(key: &str, response: &str) -> Result<Committed, StoreError> {
    let mut c: Committed = json(
        "(stored answers)",
        format!("idempotency key {key}"),
        response,
    )?;
    c.replayed = true;
    Ok(c)
}

// ----- day versions -----

/// The summary of a date's first version: `first version: 152 figures, 1 correction, 2 notes`.
pub fn first_summary(day: &Day) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = vec![plural(day.facts.len(), "figure", "figures")];
    if !day.corrections.is_empty() {
        parts.push(plural(day.corrections.len(), "correction", "corrections"));
    }
    if !day.notes.is_empty() {
        parts.push(plural(day.notes.len(), "note", "notes"));
    }
    format!("first version: {}", parts.join(", "))
}

/// A stored value of a date as a fact of its series, given the series' key as read (none: the
/// series does not exist, and the `facts` row is corrupt).
pub fn series_fact(
    loc: &str,
    date: Date,
    series_id: i64,
    key: Option<(&RegionId, Origin, Measure)>,
    value: i64,
) -> Result<Fact, StoreError> {
    let (region, origin, measure) = key.ok_or_else(|| {
        corrupt(
            loc,
            format!("facts row of {date}"),
            format!("series {series_id} does not exist"),
        )
    })?;
    Ok(Fact {
        region: region.clone(),
        origin,
        measure,
        value,
    })
}

pub fn opt_text<T: ToString>(v: Option<T>) -> Option<String> {
    v.map(|v| v.to_string())
}

/// A release row with its newest event, its columns read by the backend.
pub struct ReleaseRow {
    pub id: i64,
    pub date: Date,
    pub content_hash: String,
    /// JSON.
    pub basis: String,
    pub base_version: Option<i64>,
    /// JSON.
    pub errata: String,
    pub note: Option<String>,
    pub approved_by: Option<i64>,
    pub approved_at: DateTime<Utc>,
    /// The event's status: none while approved.
    pub status: Option<String>,
    pub number: Option<i64>,
    pub event_at: Option<DateTime<Utc>>,
    pub event_by: Option<i64>,
}

/// The name of a release row in errors.
pub fn release_row_name(id: i64) -> String {
    format!("releases row {id}")
}

impl ReleaseRow {
    pub fn decode(self, loc: &str) -> Result<Release, StoreError> {
        let name = release_row_name(self.id);
        let status = match self.status.as_deref() {
            None => ReleaseStatus::Approved,
            Some("published") => ReleaseStatus::Published,
            Some("superseded") => ReleaseStatus::Superseded,
            Some(other) => return Err(corrupt(loc, &name, format!("unknown status `{other}`"))),
        };
        let to_u32 = |v: i64| {
            u32::try_from(v).map_err(|_| corrupt(loc, &name, format!("{v} is out of range")))
        };
        let published = status == ReleaseStatus::Published;
        Ok(Release {
            id: self.id,
            date: self.date,
            number: self.number.map(to_u32).transpose()?,
            status,
            content_hash: self.content_hash,
            basis: json::<Vec<BasisEntry>>(loc, &name, &self.basis)?,
            base_version: self.base_version.map(to_u32).transpose()?,
            errata: json::<Vec<Erratum>>(loc, &name, &self.errata)?,
            note: self.note,
            approved_by: self.approved_by,
            approved_at: self.approved_at,
            published_by: if published { self.event_by } else { None },
            published_at: if published { self.event_at } else { None },
        })
    }
}

/// A token row with its revocation, its columns read by the backend.
pub struct TokenRow {
    pub id: i64,
    pub role: String,
    pub unit: Option<String>,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl TokenRow {
    pub fn decode(self, loc: &str) -> Result<Token, StoreError> {
        let name = format!("tokens row {}", self.id);
        Ok(Token {
            id: self.id,
            role: self.role.parse().map_err(|e| corrupt(loc, &name, e))?,
            unit: self
                .unit
                .map(|u| u.parse::<RegionCode>().map_err(|e| corrupt(loc, &name, e)))
                .transpose()?,
            label: self.label,
            created_at: self.created_at,
            revoked_at: self.revoked_at,
        })
    }
}

// ----- case segments -----

/// A segment of case events as stored: LZ4 (block format, its size first). The interchange
/// CSV compresses about sixfold, and a store then writes a sixth of the bytes.
pub fn pack_segment(csv: &[u8]) -> Vec<u8> {
    lz4_flex::block::compress_prepend_size(csv)
}

/// A stored segment's CSV.
pub fn unpack_segment(loc: &str, row: impl Display, stored: &[u8]) -> Result<Vec<u8>, StoreError> {
    lz4_flex::block::decompress_size_prepended(stored)
        .map_err(|e| corrupt(loc, row, format!("the segment does not decompress: {e}")))
}
