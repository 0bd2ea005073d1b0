//! Reading the ledger back: queries, and decoding of stored rows with errors that name the row.

use std::collections::HashMap;
use std::fmt::Display;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use epiledger_core::{Date, Day, Fact, Measure, Origin, RegionId};
use rusqlite::{params, Connection, Row};
use serde::de::DeserializeOwned;

use crate::db_err;
use epiledger_store::{
    backend, time, FigureKey, Source, Span, StoreError, StoreStats, StoredDay, VersionInfo,
};

/// The columns of a version row, for [`Db::version_row`]; the table is aliased `v`.
macro_rules! version_columns {
    () => {
        "v.id, v.date, v.version, v.source_kind, v.source_name, v.source_hash, v.content_hash, \
         v.recorded_at, v.summary"
    };
}

/// `v` is the newest version of its date recorded at or before ?3 (any time if NULL), and its
/// date is within ?1..=?2 (open where NULL). The probe for a later version is one index seek.
macro_rules! current_in_range {
    () => {
        "(?1 IS NULL OR v.date >= ?1) AND (?2 IS NULL OR v.date <= ?2) \
         AND (?3 IS NULL OR v.recorded_at <= ?3) \
         AND NOT EXISTS (SELECT 1 FROM day_versions w WHERE w.date = v.date \
                         AND w.version > v.version AND (?3 IS NULL OR w.recorded_at <= ?3))"
    };
}

/// The newest versions, as a table `cur (id, date, version)` computed once per query.
macro_rules! with_current {
    () => {
        concat!(
            "WITH cur AS MATERIALIZED (SELECT v.id, v.date, v.version FROM day_versions v WHERE ",
            current_in_range!(),
            ") "
        )
    };
}

/// The decoded keys of `series` rows, by id.
pub(crate) type SeriesKeys = HashMap<i64, (RegionId, Origin, Measure)>;

/// A row of `day_versions`, decoded.
#[derive(Debug, Clone)]
pub(crate) struct VersionRow {
    pub id: i64,
    pub date: Date,
    pub version: u32,
    pub source: Source,
    pub content_hash: String,
    pub recorded_at: DateTime<Utc>,
    pub summary: String,
}

impl VersionRow {
    pub fn into_info(self) -> VersionInfo {
        VersionInfo {
            date: self.date,
            version: self.version,
            source: self.source,
            recorded_at: self.recorded_at,
            content_hash: self.content_hash,
            summary: self.summary,
        }
    }
}

/// A connection (or transaction) and the ledger's location, for error messages.
pub(crate) struct Db<'a> {
    pub conn: &'a Connection,
    pub loc: &'a str,
}

impl Db<'_> {
    pub fn err(&self, action: impl Into<String>, e: rusqlite::Error) -> StoreError {
        db_err(self.loc, action, e)
    }

    pub fn corrupt(&self, row: impl Display, problem: impl Display) -> StoreError {
        backend::corrupt(self.loc, row, problem)
    }

    /// Parses a stored text, or names the row it came from.
    fn parse<T>(&self, row: impl Fn() -> String, text: &str) -> Result<T, StoreError>
    where
        T: FromStr,
        T::Err: Display,
    {
        text.parse().map_err(|e| self.corrupt(row(), e))
    }

    fn json<T: DeserializeOwned>(
        &self,
        row: impl Fn() -> String,
        text: &str,
    ) -> Result<T, StoreError> {
        serde_json::from_str(text).map_err(|e| self.corrupt(row(), e))
    }

    pub fn get<T: rusqlite::types::FromSql>(&self, row: &Row, i: usize) -> Result<T, StoreError> {
        row.get(i).map_err(|e| self.err("reading a column", e))
    }

    /// Decodes the columns of [`version_columns!`].
    fn version_row(&self, r: &Row) -> Result<VersionRow, StoreError> {
        let id: i64 = self.get(r, 0)?;
        let date: String = self.get(r, 1)?;
        let name = || format!("day_versions row {id} (date `{date}`)");
        let version: i64 = self.get(r, 2)?;
        let kind: String = self.get(r, 3)?;
        let recorded_at: String = self.get(r, 7)?;
        Ok(VersionRow {
            id,
            date: self.parse(name, &date)?,
            version: u32::try_from(version)
                .ok()
                .filter(|v| *v >= 1)
                .ok_or_else(|| {
                    self.corrupt(name(), format!("version {version} is not 1 or more"))
                })?,
            source: Source {
                kind: self.parse(name, &kind)?,
                name: self.get(r, 4)?,
                content_hash: self.get(r, 5)?,
            },
            content_hash: self.get(r, 6)?,
            recorded_at: time::parse(&recorded_at).ok_or_else(|| {
                self.corrupt(
                    name(),
                    format!("recorded_at `{recorded_at}` is not an RFC 3339 timestamp"),
                )
            })?,
            summary: self.get(r, 8)?,
        })
    }

    /// Runs a query of version rows.
    fn version_rows(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        action: &str,
    ) -> Result<Vec<VersionRow>, StoreError> {
        self.rows(sql, params, action, |r| self.version_row(r))
    }

    /// Runs a query and decodes each row.
    pub fn rows<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        action: &str,
        decode: impl FnMut(&Row) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        query_rows(self.conn, sql, params, |e| self.err(action, e), decode)
    }

    /// The newest version of a date recorded at or before `as_of`.
    pub fn newest(
        &self,
        date: Date,
        as_of: Option<&str>,
    ) -> Result<Option<VersionRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            version_columns!(),
            " FROM day_versions v WHERE v.date = ?1 AND (?2 IS NULL OR v.recorded_at <= ?2) \
             ORDER BY v.version DESC LIMIT 1"
        );
        let action = format!("reading {date}");
        Ok(self
            .version_rows(sql, params![date.to_string(), as_of], &action)?
            .pop())
    }

    /// The newest version of each date in range, in date order.
    pub fn current_rows(&self, span: Span) -> Result<Vec<VersionRow>, StoreError> {
        let (from, to, as_of) = span_params(span);
        let sql = concat!(
            "SELECT ",
            version_columns!(),
            " FROM day_versions v WHERE ",
            current_in_range!(),
            " ORDER BY v.date"
        );
        self.version_rows(sql, params![from, to, as_of], "reading days")
    }

    /// Every version of a date, oldest first.
    pub fn all_versions(&self, date: Date) -> Result<Vec<VersionRow>, StoreError> {
        let sql = concat!(
            "SELECT ",
            version_columns!(),
            " FROM day_versions v WHERE v.date = ?1 ORDER BY v.version"
        );
        let action = format!("reading the versions of {date}");
        self.version_rows(sql, params![date.to_string()], &action)
    }

    /// The facts, corrections and notes of a version. With `keys` (all series, decoded), facts
    /// are read by series id; without, joined with their series (better for a single day).
    pub fn load_day(&self, v: &VersionRow, keys: Option<&SeriesKeys>) -> Result<Day, StoreError> {
        let action = format!("reading {} version {}", v.date, v.version);
        let mut day = Day::new(v.date);
        let sql = match keys {
            Some(_) => "SELECT series_id, value FROM facts WHERE version_id = ?1",
            None => {
                "SELECT s.region, s.origin, s.measure, f.value \
                 FROM facts f JOIN series s ON s.id = f.series_id WHERE f.version_id = ?1"
            }
        };
        day.facts = self.rows(sql, [v.id], &action, |r| {
            Ok(match keys {
                Some(keys) => self.fact_by_id(keys, v.date, self.get(r, 0)?, self.get(r, 1)?)?,
                None => {
                    let (region, origin, measure): (String, String, String) =
                        (self.get(r, 0)?, self.get(r, 1)?, self.get(r, 2)?);
                    let value = self.get(r, 3)?;
                    self.fact(v.date, v.version, &region, &origin, &measure, value)?
                }
            })
        })?;
        day.facts.sort_unstable();

        day.corrections = self.json_rows("corrections", v, &action)?;
        day.notes = self.json_rows("notes", v, &action)?;
        Ok(day)
    }

    /// The JSON items of a version in `corrections` or `notes`, in order.
    fn json_rows<T: DeserializeOwned>(
        &self,
        table: &str,
        v: &VersionRow,
        action: &str,
    ) -> Result<Vec<T>, StoreError> {
        let sql = format!("SELECT seq, json FROM {table} WHERE version_id = ?1 ORDER BY seq");
        self.rows(&sql, [v.id], action, |r| {
            let seq: i64 = self.get(r, 0)?;
            let json: String = self.get(r, 1)?;
            let name = || format!("{table} row {seq} of {} version {}", v.date, v.version);
            self.json(name, &json)
        })
    }

    /// Decodes a stored fact.
    fn fact(
        &self,
        date: Date,
        version: u32,
        region: &str,
        origin: &str,
        measure: &str,
        value: i64,
    ) -> Result<Fact, StoreError> {
        let name =
            || format!("facts row ({date} version {version}: `{region}` `{origin}` `{measure}`)");
        Ok(Fact {
            region: self.parse::<RegionId>(name, region)?,
            origin: self.parse::<Origin>(name, origin)?,
            measure: self.parse::<Measure>(name, measure)?,
            value,
        })
    }

    /// A version row with its day.
    pub fn stored(
        &self,
        v: VersionRow,
        keys: Option<&SeriesKeys>,
    ) -> Result<StoredDay, StoreError> {
        let day = self.load_day(&v, keys)?;
        Ok(StoredDay {
            day,
            version: v.version,
            source: v.source,
            recorded_at: v.recorded_at,
            content_hash: v.content_hash,
        })
    }

    /// Version rows with their days; the series are decoded once for all.
    pub fn stored_many(&self, rows: Vec<VersionRow>) -> Result<Vec<StoredDay>, StoreError> {
        let keys = match rows.len() {
            0 => return Ok(Vec::new()),
            1 => None,
            _ => Some(self.series_keys()?),
        };
        rows.into_iter()
            .map(|v| self.stored(v, keys.as_ref()))
            .collect()
    }

    /// Every date with a version, in order.
    pub fn dates(&self) -> Result<Vec<Date>, StoreError> {
        let sql = "SELECT DISTINCT date FROM day_versions ORDER BY date";
        self.rows(sql, [], "listing the dates", |r| {
            let date: String = self.get(r, 0)?;
            self.parse(|| format!("day_versions row of date `{date}`"), &date)
        })
    }

    /// One figure over a range of dates, from the newest versions.
    pub fn series(&self, key: &FigureKey, span: Span) -> Result<Vec<(Date, i64)>, StoreError> {
        let (from, to, as_of) = span_params(span);
        let FigureKey {
            region,
            origin,
            measure,
        } = key;
        let sql = concat!(
            "SELECT v.date, f.value FROM series s \
             JOIN facts f ON f.series_id = s.id JOIN day_versions v ON v.id = f.version_id \
             WHERE s.measure = ?4 AND s.region = ?5 AND s.origin = ?6 AND ",
            current_in_range!(),
            " ORDER BY v.date"
        );
        let action = format!("reading the series {region} {origin} {measure}");
        let params = params![
            from,
            to,
            as_of,
            measure.name(),
            region.to_string(),
            origin.name()
        ];
        self.rows(sql, params, &action, |r| {
            let date: String = self.get(r, 0)?;
            let name = || format!("day_versions row of date `{date}`");
            Ok((self.parse(name, &date)?, self.get(r, 1)?))
        })
    }

    /// A fact from its series id, decoded through `keys`.
    fn fact_by_id(
        &self,
        keys: &SeriesKeys,
        date: Date,
        series_id: i64,
        value: i64,
    ) -> Result<Fact, StoreError> {
        let key = keys.get(&series_id);
        let key = key.map(|(region, origin, measure)| (region, *origin, *measure));
        backend::series_fact(self.loc, date, series_id, key, value)
    }

    /// Every `series` row, decoded, by id.
    fn series_keys(&self) -> Result<SeriesKeys, StoreError> {
        let sql = "SELECT id, region, origin, measure FROM series";
        let mut out = HashMap::new();
        each_row(
            self.conn,
            sql,
            [],
            |e| self.err("reading the series", e),
            |r| {
                let id: i64 = self.get(r, 0)?;
                let (region, origin, measure): (String, String, String) =
                    (self.get(r, 1)?, self.get(r, 2)?, self.get(r, 3)?);
                let name = || format!("series row {id} (`{region}` `{origin}` `{measure}`)");
                let key = (
                    self.parse(name, &region)?,
                    self.parse(name, &origin)?,
                    self.parse(name, &measure)?,
                );
                out.insert(id, key);
                Ok(())
            },
        )?;
        Ok(out)
    }

    /// Every fact of the newest versions in range, sorted by date, region, origin, measure.
    pub fn facts(&self, span: Span) -> Result<Vec<(Date, Fact)>, StoreError> {
        let (from, to, as_of) = span_params(span);
        let sql = concat!(
            with_current!(),
            "SELECT cur.date, f.series_id, f.value FROM cur JOIN facts f ON f.version_id = cur.id"
        );
        let action = "reading facts";
        let keys = self.series_keys()?;
        // Rows come grouped by version; decode each version's date once.
        let mut last: Option<(String, Date)> = None;
        let mut out = self.rows(sql, params![from, to, as_of], action, |r| {
            let date_text: String = self.get(r, 0)?;
            let date = match &last {
                Some((t, d)) if *t == date_text => *d,
                _ => {
                    let name = || format!("day_versions row of date `{date_text}`");
                    let d: Date = self.parse(name, &date_text)?;
                    last = Some((date_text, d));
                    d
                }
            };
            let fact = self.fact_by_id(&keys, date, self.get(r, 1)?, self.get(r, 2)?)?;
            Ok((date, fact))
        })?;
        out.sort_unstable();
        Ok(out)
    }

    /// Counts of dates, versions, and facts of the newest versions.
    pub fn stats(&self) -> Result<StoreStats, StoreError> {
        let sql = concat!(
            with_current!(),
            "SELECT (SELECT count(DISTINCT date) FROM day_versions), \
                    (SELECT count(*) FROM day_versions), \
                    (SELECT count(*) FROM cur JOIN facts f ON f.version_id = cur.id)"
        );
        let none: Option<String> = None;
        let (days, versions, facts): (i64, i64, i64) = self
            .conn
            .prepare_cached(sql)
            .and_then(|mut s| {
                s.query_row(params![none, none, none], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
            })
            .map_err(|e| self.err("counting", e))?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(StoreStats {
            days: count(days),
            versions: count(versions),
            facts: count(facts),
        })
    }

    /// Whether no version is stored.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        self.conn
            .prepare_cached("SELECT NOT EXISTS (SELECT 1 FROM day_versions)")
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .map_err(|e| self.err("checking for days", e))
    }
}

/// Runs a query and hands each row to `each`; `fail` makes the error of a failed query.
pub(crate) fn each_row(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    fail: impl Fn(rusqlite::Error) -> StoreError,
    mut each: impl FnMut(&Row) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(&fail)?;
    let mut rows = stmt.query(params).map_err(&fail)?;
    while let Some(r) = rows.next().map_err(&fail)? {
        each(r)?;
    }
    Ok(())
}

/// Runs a query and decodes each row (see [`each_row`]).
pub(crate) fn query_rows<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    fail: impl Fn(rusqlite::Error) -> StoreError,
    mut decode: impl FnMut(&Row) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    each_row(conn, sql, params, fail, |r| {
        out.push(decode(r)?);
        Ok(())
    })?;
    Ok(out)
}

/// A span's bounds as the stored text: `from`, `to`, `as_of` (null when open).
pub(crate) fn span_params(span: Span) -> (Option<String>, Option<String>, Option<String>) {
    (
        span.from.map(|d| d.to_string()),
        span.to.map(|d| d.to_string()),
        span.as_of.map(time::format),
    )
}
