//! Storing one day inside the batch's transaction: compare with the newest version, then insert
//! a new version with its facts, corrections and notes, or nothing.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use epiledger_core::{diff_days, Fact, Measure, Origin, RegionId};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::read::Db;
use epiledger_store::content::Prepared;
use epiledger_store::{backend, PutOutcome, StoreError};

/// The ids of `series` rows, found or created as facts need them, within one transaction
/// (ids created by a transaction that rolls back must not be kept).
#[derive(Default)]
pub(super) struct SeriesIds(HashMap<(Measure, Origin, RegionId), i64>);

impl SeriesIds {
    fn id(&mut self, db: &Db, f: &Fact, action: &str) -> Result<i64, StoreError> {
        let key = (f.measure, f.origin, f.region.clone());
        if let Some(id) = self.0.get(&key) {
            return Ok(*id);
        }
        let region = f.region.to_string();
        let values = params![f.measure.name(), region, f.origin.name()];
        let found = db
            .conn
            .prepare_cached(
                "SELECT id FROM series WHERE measure = ?1 AND region = ?2 AND origin = ?3",
            )
            .and_then(|mut s| s.query_row(values, |r| r.get(0)).optional())
            .map_err(|e| db.err(action, e))?;
        let id = match found {
            Some(id) => id,
            None => {
                db.conn
                    .prepare_cached(
                        "INSERT INTO series (measure, region, origin) VALUES (?1, ?2, ?3)",
                    )
                    .and_then(|mut s| s.execute(values))
                    .map_err(|e| db.err(action, e))?;
                db.conn.last_insert_rowid()
            }
        };
        self.0.insert(key, id);
        Ok(id)
    }
}

/// Stores one prepared day unless the newest version has the same source or content.
pub(super) fn put_one(
    db: &Db,
    series: &mut SeriesIds,
    p: &Prepared,
    at: DateTime<Utc>,
    at_text: &str,
) -> Result<PutOutcome, StoreError> {
    let date = p.date;
    let Some(newest) = db.newest(date, None)? else {
        insert(db, series, p, 1, at_text, &backend::first_summary(&p.day))?;
        return Ok(PutOutcome::Inserted { date, version: 1 });
    };
    if newest
        .source
        .content_hash
        .eq_ignore_ascii_case(&p.source.content_hash)
        || newest.content_hash == p.content_hash
    {
        return Ok(PutOutcome::Unchanged {
            date,
            version: newest.version,
        });
    }
    if at < newest.recorded_at {
        return Err(StoreError::ClockWentBack {
            date,
            version: newest.version,
            previous: newest.recorded_at,
            at,
        });
    }
    let old = db.load_day(&newest, None)?;
    let diff = diff_days(&old, &p.day);
    let version = newest
        .version
        .checked_add(1)
        .ok_or_else(|| StoreError::Corrupt {
            location: db.loc.to_string(),
            row: format!("day_versions row {} ({date})", newest.id),
            problem: "its version number is at the maximum".to_string(),
        })?;
    insert(db, series, p, version, at_text, &diff.summary())?;
    Ok(PutOutcome::Revised {
        date,
        version,
        diff,
    })
}

fn insert(
    db: &Db,
    series: &mut SeriesIds,
    p: &Prepared,
    version: u32,
    at_text: &str,
    summary: &str,
) -> Result<(), StoreError> {
    let action = format!("storing {} version {version}", p.date);
    let fail = |e| db.err(&action, e);
    db.conn
        .prepare_cached(
            "INSERT INTO day_versions (date, version, source_kind, source_name, source_hash, \
             content_hash, recorded_at, summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .and_then(|mut s| {
            s.execute(params![
                p.date.to_string(),
                version,
                p.source.kind.name(),
                p.source.name,
                p.source.content_hash,
                p.content_hash,
                at_text,
                summary
            ])
        })
        .map_err(fail)?;
    let id = db.conn.last_insert_rowid();

    let mut facts = db
        .conn
        .prepare_cached("INSERT INTO facts (version_id, series_id, value) VALUES (?1, ?2, ?3)")
        .map_err(fail)?;
    for f in &p.day.facts {
        let series_id = series.id(db, f, &action)?;
        facts
            .execute(params![id, series_id, f.value])
            .map_err(fail)?;
    }
    insert_json(db, "corrections", id, &p.day.corrections, &action)?;
    insert_json(db, "notes", id, &p.day.notes, &action)
}

/// Inserts items as JSON rows numbered from 0, in order.
fn insert_json<T: Serialize>(
    db: &Db,
    table: &str,
    id: i64,
    items: &[T],
    action: &str,
) -> Result<(), StoreError> {
    if items.is_empty() {
        return Ok(());
    }
    let sql = format!("INSERT INTO {table} (version_id, seq, json) VALUES (?1, ?2, ?3)");
    let mut stmt = db
        .conn
        .prepare_cached(&sql)
        .map_err(|e| db.err(action, e))?;
    for (seq, item) in items.iter().enumerate() {
        let json = serde_json::to_string(item).map_err(|e| StoreError::Database {
            location: db.loc.to_string(),
            action: format!("{action}: encoding {table} item {seq}"),
            source: Box::new(e),
        })?;
        stmt.execute(params![id, seq as i64, json])
            .map_err(|e| db.err(action, e))?;
    }
    Ok(())
}
