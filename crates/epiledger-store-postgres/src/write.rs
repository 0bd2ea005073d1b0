//! Storing a batch inside its transaction: find or create the series, lock the dates, compare
//! each day with the newest version of its date, then insert the new versions with their
//! facts, corrections and notes, a few statements for the whole batch.
//!
//! Lock order (so that concurrent batches cannot deadlock): new `series` rows first, inserted
//! in one statement in one global order; then the dates' advisory locks, in one global order.
//! The newest versions are read after the locks are held (READ COMMITTED: each statement sees
//! what was committed before it began), so a batch compares with everything stored before it.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use epiledger_core::{diff_days, Date, Day};
use postgres::GenericClient;
use serde::Serialize;

use crate::lock_key;
use crate::read::{Db, SeriesKey};
use epiledger_store::content::{self, Prepared};
use epiledger_store::{backend, PutOutcome, Source, StoreError, VersionInfo};

/// Facts are inserted this many at a time (one statement each).
const FACT_CHUNK: usize = 50_000;

/// The newest version of a date as the batch goes: stored before it, or stored by it (then its
/// day is at hand for the next diff).
struct Newest {
    row: VersionInfo,
    day: Option<Day>,
}

/// The rows a batch inserts, as columns.
#[derive(Default)]
struct Rows {
    dates: Vec<NaiveDate>,
    versions: Vec<i32>,
    kinds: Vec<&'static str>,
    names: Vec<String>,
    source_hashes: Vec<String>,
    content_hashes: Vec<String>,
    summaries: Vec<String>,
    facts: FactRows,
    corrections: JsonRows,
    notes: JsonRows,
}

#[derive(Default)]
struct FactRows {
    dates: Vec<NaiveDate>,
    versions: Vec<i32>,
    series: Vec<i32>,
    values: Vec<i64>,
}

#[derive(Default)]
struct JsonRows {
    dates: Vec<NaiveDate>,
    versions: Vec<i32>,
    seqs: Vec<i32>,
    items: Vec<String>,
}

/// Stores a batch (see the module's documentation); `created` receives the series this
/// transaction created, to be learned once it commits.
pub(super) fn put_batch<C: GenericClient>(
    db: &mut Db<'_, C>,
    created: &mut HashMap<SeriesKey, i32>,
    schema: &str,
    days: &[(Day, Source)],
    at: Option<DateTime<Utc>>,
) -> Result<Vec<PutOutcome>, StoreError> {
    // The days before the first invalid one are compared with the store all the same, so that
    // the error is the one SQLite reports: that of the first day that cannot be stored.
    let mut prepared = Vec::with_capacity(days.len());
    let mut invalid = None;
    for (i, (day, source)) in days.iter().enumerate() {
        match content::prepare(day, source) {
            Ok(p) => prepared.push(p),
            Err(problem) => {
                invalid = Some(StoreError::InvalidDay {
                    position: i + 1,
                    date: day.date,
                    problem,
                });
                break;
            }
        }
    }
    if prepared.is_empty() {
        return match invalid {
            Some(e) => Err(e),
            None => Ok(Vec::new()),
        };
    }

    ensure_series(db, created, &prepared)?;
    let mut dates: Vec<Date> = prepared.iter().map(|p| p.date).collect();
    dates.sort_unstable();
    dates.dedup();
    lock_dates(db, schema, &dates)?;
    let at = match at {
        Some(at) => at,
        None => epiledger_store::time::truncate(db_clock(db)?),
    };

    let mut newest: HashMap<Date, Newest> = db
        .newest_of(&dates)?
        .into_iter()
        .map(|(d, row)| (d, Newest { row, day: None }))
        .collect();
    preload_old_days(db, &mut newest, &prepared)?;

    let mut rows = Rows::default();
    let mut outcomes = Vec::with_capacity(prepared.len());
    for p in &prepared {
        outcomes.push(put_one(db, created, &mut newest, &mut rows, p, at)?);
    }
    if let Some(e) = invalid {
        return Err(e);
    }
    insert_rows(db, rows, at)?;
    Ok(outcomes)
}

/// Compares one day with the newest version of its date and queues a new version, or nothing.
fn put_one<C: GenericClient>(
    db: &mut Db<'_, C>,
    created: &HashMap<SeriesKey, i32>,
    newest: &mut HashMap<Date, Newest>,
    rows: &mut Rows,
    p: &Prepared,
    at: DateTime<Utc>,
) -> Result<PutOutcome, StoreError> {
    let date = p.date;
    let (outcome, version, summary) = match newest.get_mut(&date) {
        None => (
            PutOutcome::Inserted { date, version: 1 },
            1,
            backend::first_summary(&p.day),
        ),
        Some(n) => {
            if n.row
                .source
                .content_hash
                .eq_ignore_ascii_case(&p.source.content_hash)
                || n.row.content_hash == p.content_hash
            {
                return Ok(PutOutcome::Unchanged {
                    date,
                    version: n.row.version,
                });
            }
            if at < n.row.recorded_at {
                return Err(StoreError::ClockWentBack {
                    date,
                    version: n.row.version,
                    previous: n.row.recorded_at,
                    at,
                });
            }
            let old = match n.day.take() {
                Some(day) => day,
                None => db
                    .load_days(&[(date, n.row.version)])?
                    .remove(&(date, n.row.version))
                    .unwrap_or_else(|| Day::new(date)),
            };
            let diff = diff_days(&old, &p.day);
            let version = n
                .row
                .version
                .checked_add(1)
                .filter(|v| i32::try_from(*v).is_ok())
                .ok_or_else(|| {
                    db.corrupt(
                        format!("day_versions row ({date}, {})", n.row.version),
                        "its version number is at the maximum",
                    )
                })?;
            let summary = diff.summary();
            (
                PutOutcome::Revised {
                    date,
                    version,
                    diff,
                },
                version,
                summary,
            )
        }
    };
    queue(db, created, rows, p, version, summary.clone())?;
    newest.insert(
        date,
        Newest {
            row: VersionInfo {
                date,
                version,
                source: p.source.clone(),
                content_hash: p.content_hash.clone(),
                recorded_at: at,
                summary,
            },
            day: Some(p.day.clone()),
        },
    );
    Ok(outcome)
}

/// Adds a new version's rows to the batch's columns.
fn queue<C: GenericClient>(
    db: &Db<'_, C>,
    created: &HashMap<SeriesKey, i32>,
    rows: &mut Rows,
    p: &Prepared,
    version: u32,
    summary: String,
) -> Result<(), StoreError> {
    let date = p.date.naive();
    // `put_one` checked that the version fits.
    let version = version as i32;
    rows.dates.push(date);
    rows.versions.push(version);
    rows.kinds.push(p.source.kind.name());
    rows.names.push(p.source.name.clone());
    rows.source_hashes.push(p.source.content_hash.clone());
    rows.content_hashes.push(p.content_hash.clone());
    rows.summaries.push(summary);
    for f in &p.day.facts {
        let key = (f.measure, f.origin, f.region.clone());
        let id = db
            .series
            .id(&key)
            .or_else(|| created.get(&key).copied())
            .ok_or_else(|| {
                db.corrupt(
                    format!("series ({} {} {})", f.region, f.origin, f.measure),
                    "it was not created with the batch",
                )
            })?;
        rows.facts.dates.push(date);
        rows.facts.versions.push(version);
        rows.facts.series.push(id);
        rows.facts.values.push(f.value);
    }
    let action = format!("storing {} version {version}", p.date);
    push_json(
        &mut rows.corrections,
        db.loc,
        &action,
        date,
        version,
        &p.day.corrections,
    )?;
    push_json(
        &mut rows.notes,
        db.loc,
        &action,
        date,
        version,
        &p.day.notes,
    )
}

fn push_json<T: Serialize>(
    rows: &mut JsonRows,
    loc: &str,
    action: &str,
    date: NaiveDate,
    version: i32,
    items: &[T],
) -> Result<(), StoreError> {
    for (seq, item) in items.iter().enumerate() {
        let json = serde_json::to_string(item).map_err(|e| StoreError::Database {
            location: loc.to_string(),
            action: format!("{action}: encoding item {seq}"),
            source: Box::new(e),
        })?;
        rows.dates.push(date);
        rows.versions.push(version);
        rows.seqs.push(i32::try_from(seq).unwrap_or(i32::MAX));
        rows.items.push(json);
    }
    Ok(())
}

/// Finds the ids of every series the batch's facts need, creating the missing ones in one
/// statement, in one global order.
fn ensure_series<C: GenericClient>(
    db: &mut Db<'_, C>,
    created: &mut HashMap<SeriesKey, i32>,
    prepared: &[Prepared],
) -> Result<(), StoreError> {
    let unknown = |db: &Db<'_, C>| {
        let mut missing: BTreeMap<(String, String, String), SeriesKey> = BTreeMap::new();
        for f in prepared.iter().flat_map(|p| &p.day.facts) {
            let key = (f.measure, f.origin, f.region.clone());
            if db.series.id(&key).is_some() || created.contains_key(&key) {
                continue;
            }
            let text = (
                f.measure.name().to_string(),
                f.region.to_string(),
                f.origin.name().to_string(),
            );
            missing.insert(text, key);
        }
        missing
    };
    if unknown(db).is_empty() {
        return Ok(());
    }
    // Others may have created them (or this connection is new): read the table first, so that
    // the insert below is only tried for new ones (a conflicting insert still uses up an id).
    // This transaction has created none yet, so what it reads is committed.
    db.reload_series()?;
    let mut missing = unknown(db);
    if missing.is_empty() {
        return Ok(());
    }
    let measures: Vec<&str> = missing.keys().map(|k| k.0.as_str()).collect();
    let regions: Vec<&str> = missing.keys().map(|k| k.1.as_str()).collect();
    let origins: Vec<&str> = missing.keys().map(|k| k.2.as_str()).collect();
    let action = "creating series";
    db.execute(
        "INSERT INTO series (measure, region, origin) \
         SELECT m, r, o FROM unnest($1::text[], $2::text[], $3::text[]) AS u (m, r, o) \
         ON CONFLICT (measure, region, origin) DO NOTHING",
        &[&measures, &regions, &origins],
        action,
    )?;
    let rows = db.query(
        "SELECT s.id, s.measure, s.region, s.origin \
         FROM unnest($1::text[], $2::text[], $3::text[]) AS u (m, r, o) \
         JOIN series s ON s.measure = u.m AND s.region = u.r AND s.origin = u.o",
        &[&measures, &regions, &origins],
        action,
    )?;
    for r in &rows {
        let id: i32 = db.get(r, 0)?;
        let text: (String, String, String) = (db.get(r, 1)?, db.get(r, 2)?, db.get(r, 3)?);
        if let Some(key) = missing.remove(&text) {
            created.insert(key, id);
        }
    }
    match missing.into_keys().next() {
        None => Ok(()),
        Some((m, r, o)) => Err(db.corrupt(
            format!("series ({r} {o} {m})"),
            "it was neither created nor found",
        )),
    }
}

/// Takes the transaction-scoped advisory lock of each date, in one global order; waits while
/// another batch holds one of them.
fn lock_dates<C: GenericClient>(
    db: &mut Db<'_, C>,
    schema: &str,
    dates: &[Date],
) -> Result<(), StoreError> {
    let mut keys: Vec<i64> = dates
        .iter()
        .map(|d| lock_key(schema, &d.to_string()))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    // unnest returns the keys in order, and the aggregate takes them one after the other.
    db.query(
        "SELECT count(pg_advisory_xact_lock(k)) FROM unnest($1::bigint[]) AS k",
        &[&keys],
        "waiting for other writers of the same days",
    )?;
    Ok(())
}

/// The database server's clock, now (not the transaction's start).
fn db_clock<C: GenericClient>(db: &mut Db<'_, C>) -> Result<DateTime<Utc>, StoreError> {
    let rows = db.query("SELECT clock_timestamp()", &[], "reading the clock")?;
    match rows.first() {
        Some(r) => db.get(r, 0),
        None => Err(db.corrupt("clock", "the server returned no time")),
    }
}

/// Reads, in one go, the stored days that the batch's first entry of each date is compared
/// with (those that are not unchanged), for their diffs.
fn preload_old_days<C: GenericClient>(
    db: &mut Db<'_, C>,
    newest: &mut HashMap<Date, Newest>,
    prepared: &[Prepared],
) -> Result<(), StoreError> {
    let mut seen = HashSet::new();
    let mut keys = Vec::new();
    for p in prepared {
        if !seen.insert(p.date) {
            continue;
        }
        if let Some(n) = newest.get(&p.date) {
            let same = n
                .row
                .source
                .content_hash
                .eq_ignore_ascii_case(&p.source.content_hash)
                || n.row.content_hash == p.content_hash;
            if !same {
                keys.push((p.date, n.row.version));
            }
        }
    }
    if keys.len() < 2 {
        return Ok(()); // one is read when needed
    }
    let mut days = db.load_days(&keys)?;
    for (date, version) in keys {
        if let (Some(n), Some(day)) = (newest.get_mut(&date), days.remove(&(date, version))) {
            n.day = Some(day);
        }
    }
    Ok(())
}

/// Inserts the batch's rows: versions, then facts, corrections and notes.
fn insert_rows<C: GenericClient>(
    db: &mut Db<'_, C>,
    rows: Rows,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    if rows.dates.is_empty() {
        return Ok(());
    }
    let action = match rows.dates.as_slice() {
        [d] => format!("storing {d} version {}", rows.versions[0]),
        many => format!("storing {} day versions", many.len()),
    };
    db.execute(
        "INSERT INTO day_versions (date, version, source_kind, source_name, source_hash, \
         content_hash, recorded_at, summary) \
         SELECT d, v, k, n, sh, ch, $7, s \
         FROM unnest($1::date[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], \
                     $8::text[]) AS u (d, v, k, n, sh, ch, s)",
        &[
            &rows.dates,
            &rows.versions,
            &rows.kinds,
            &rows.names,
            &rows.source_hashes,
            &rows.content_hashes,
            &at,
            &rows.summaries,
        ],
        &action,
    )?;
    let f = &rows.facts;
    for start in (0..f.dates.len()).step_by(FACT_CHUNK) {
        let end = (start + FACT_CHUNK).min(f.dates.len());
        db.execute(
            "INSERT INTO facts (date, version, series_id, value) \
             SELECT * FROM unnest($1::date[], $2::int[], $3::int[], $4::bigint[])",
            &[
                &&f.dates[start..end],
                &&f.versions[start..end],
                &&f.series[start..end],
                &&f.values[start..end],
            ],
            &action,
        )?;
    }
    if !rows.corrections.dates.is_empty() {
        let c = &rows.corrections;
        db.execute(
            "INSERT INTO corrections (date, version, seq, item) \
             SELECT d, v, s, j::jsonb \
             FROM unnest($1::date[], $2::int[], $3::int[], $4::text[]) AS u (d, v, s, j)",
            &[&c.dates, &c.versions, &c.seqs, &c.items],
            &action,
        )?;
    }
    if !rows.notes.dates.is_empty() {
        let n = &rows.notes;
        db.execute(
            "INSERT INTO notes (date, version, seq, item) \
             SELECT d, v, s, j::jsonb \
             FROM unnest($1::date[], $2::int[], $3::int[], $4::text[]) AS u (d, v, s, j)",
            &[&n.dates, &n.versions, &n.seqs, &n.items],
            &action,
        )?;
    }
    Ok(())
}
