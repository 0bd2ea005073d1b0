//! Reading any version of a day by its number, for copying a history
//! ([`epiledger_store::copy`]).

use std::path::Path;

use epiledger_core::{Date, Day, Fact};
use epiledger_store::copy::{version_by_time, ExactVersions};
use epiledger_store::{time, Source, Store, StoreError, StoredDay};

use crate::SqliteStore;

impl ExactVersions for SqliteStore {
    fn exact_version(&self, date: Date, version: u32) -> Result<Option<StoredDay>, StoreError> {
        if let Some(day) = version_by_time(self, date, version)? {
            return Ok(Some(day));
        }
        if !self.versions(date)?.iter().any(|v| v.version == version) {
            return Ok(None);
        }
        // Hidden by a later version recorded at the same instant: read the file directly.
        sqlite_version(Path::new(self.location()), date, version)
    }
}

/// Reads one version of a day from a ledger file by number, with a read-only connection of
/// its own. Used only for versions that reads by time cannot reach.
fn sqlite_version(path: &Path, date: Date, version: u32) -> Result<Option<StoredDay>, StoreError> {
    use rusqlite::{params, OpenFlags, OptionalExtension};
    let loc = path.display().to_string();
    let fail = |action: &str, e: rusqlite::Error| StoreError::Database {
        location: loc.clone(),
        action: format!("{action} {date} version {version}"),
        source: Box::new(e),
    };
    let corrupt = |row: String, problem: String| StoreError::Corrupt {
        location: loc.clone(),
        row,
        problem,
    };
    let conn = rusqlite::Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| fail("opening the file to read", e))?;
    let row = conn
        .query_row(
            "SELECT id, source_kind, source_name, source_hash, content_hash, recorded_at \
             FROM day_versions WHERE date = ?1 AND version = ?2",
            params![date.to_string(), version],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            },
        )
        .optional()
        .map_err(|e| fail("reading", e))?;
    let Some((id, kind, name, source_hash, content_hash, recorded_at)) = row else {
        return Ok(None);
    };
    let row_name = || format!("day_versions row {id} ({date} version {version})");
    let mut day = Day::new(date);
    let mut stmt = conn
        .prepare(
            "SELECT s.region, s.origin, s.measure, f.value \
             FROM facts f JOIN series s ON s.id = f.series_id WHERE f.version_id = ?1",
        )
        .map_err(|e| fail("reading", e))?;
    let facts = stmt
        .query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })
        .map_err(|e| fail("reading", e))?;
    for f in facts {
        let (region, origin, measure, value) = f.map_err(|e| fail("reading", e))?;
        let bad = |e: String| corrupt(format!("facts row of {}", row_name()), e);
        day.facts.push(Fact {
            region: region.parse().map_err(|e| bad(format!("{e}")))?,
            origin: origin.parse().map_err(|e| bad(format!("{e}")))?,
            measure: measure.parse().map_err(|e| bad(format!("{e}")))?,
            value,
        });
    }
    day.facts.sort_unstable();
    for table in ["corrections", "notes"] {
        let sql = format!("SELECT json FROM {table} WHERE version_id = ?1 ORDER BY seq");
        let mut stmt = conn.prepare(&sql).map_err(|e| fail("reading", e))?;
        let items = stmt
            .query_map([id], |r| r.get::<_, String>(0))
            .map_err(|e| fail("reading", e))?;
        for item in items {
            let json = item.map_err(|e| fail("reading", e))?;
            let bad =
                |e: serde_json::Error| corrupt(format!("{table} of {}", row_name()), e.to_string());
            if table == "corrections" {
                day.corrections
                    .push(serde_json::from_str(&json).map_err(bad)?);
            } else {
                day.notes.push(serde_json::from_str(&json).map_err(bad)?);
            }
        }
    }
    Ok(Some(StoredDay {
        day,
        version,
        source: Source {
            kind: kind
                .parse()
                .map_err(|e| corrupt(row_name(), format!("{e}")))?,
            name,
            content_hash: source_hash,
        },
        recorded_at: time::parse(&recorded_at).ok_or_else(|| {
            corrupt(
                row_name(),
                format!("recorded_at `{recorded_at}` is not an RFC 3339 timestamp"),
            )
        })?,
        content_hash,
    }))
}
