//! Reading the ledger back: queries, and decoding of stored rows with errors that name the row.
//! A day's content is read for many versions at once (one query per table, the keys passed as
//! arrays), so that reading the whole history is a handful of round trips.

use std::collections::HashMap;
use std::fmt::Display;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use epiledger_core::{Date, Day, Fact, Measure, Origin, RegionId};
use postgres::types::ToSql;
use postgres::{GenericClient, Row, Statement};

use crate::pg_err;
use epiledger_store::{
    backend, FigureKey, Source, Span, StoreError, StoreStats, StoredDay, VersionInfo,
};

/// The columns of a version row, for [`Db::decode_version`]; the table is aliased `v`.
macro_rules! version_columns {
    () => {
        "v.date, v.version, v.source_kind, v.source_name, v.source_hash, v.content_hash, \
         v.recorded_at, v.summary"
    };
}

/// `v` is within `$1..=$2` (open where NULL) and recorded at or before `$3` (any time if NULL).
macro_rules! in_range {
    () => {
        "($1::date IS NULL OR v.date >= $1) AND ($2::date IS NULL OR v.date <= $2) \
         AND ($3::timestamptz IS NULL OR v.recorded_at <= $3)"
    };
}

/// The newest version of each date in range, as a table `cur (date, version)`.
macro_rules! with_current {
    () => {
        concat!(
            "WITH cur AS (SELECT DISTINCT ON (v.date) v.date, v.version FROM day_versions v \
             WHERE ",
            in_range!(),
            " ORDER BY v.date, v.version DESC) "
        )
    };
}

/// The key of a series: what a fact is a value of.
pub(crate) type SeriesKey = (Measure, Origin, RegionId);

/// The `series` rows known to this connection, both ways. Only committed rows are kept: a
/// batch's new series are learned after its commit, and the cache is dropped when a batch
/// fails (a reload inside it may have seen rows that rolled back).
#[derive(Default)]
pub(crate) struct SeriesCache {
    by_id: HashMap<i32, SeriesKey>,
    by_key: HashMap<SeriesKey, i32>,
}

impl SeriesCache {
    /// The id of a series, if known.
    pub fn id(&self, key: &SeriesKey) -> Option<i32> {
        self.by_key.get(key).copied()
    }

    /// Adds committed series.
    pub fn learn(&mut self, created: HashMap<SeriesKey, i32>) {
        for (key, id) in created {
            self.by_id.insert(id, key.clone());
            self.by_key.insert(key, id);
        }
    }
}

/// The prepared statements of a connection, by their SQL.
pub(crate) type Statements = HashMap<&'static str, Statement>;

/// A connection (or transaction), its caches, and the ledger's location for messages.
pub(crate) struct Db<'a, C: GenericClient> {
    pub c: &'a mut C,
    pub series: &'a mut SeriesCache,
    pub stmts: &'a mut Statements,
    pub loc: &'a str,
}

/// Parameters of a query.
pub(crate) type Params<'p> = [&'p (dyn ToSql + Sync)];

impl<C: GenericClient> Db<'_, C> {
    pub fn err(&self, action: impl Into<String>, e: postgres::Error) -> StoreError {
        pg_err(self.loc, action, e)
    }

    pub fn corrupt(&self, row: impl Display, problem: impl Display) -> StoreError {
        backend::corrupt(self.loc, row, problem)
    }

    /// The prepared statement of `sql`, prepared once per connection.
    fn statement(&mut self, sql: &'static str, action: &str) -> Result<Statement, StoreError> {
        if let Some(s) = self.stmts.get(sql) {
            return Ok(s.clone());
        }
        let s = self
            .c
            .prepare(sql)
            .map_err(|e| pg_err(self.loc, action, e))?;
        self.stmts.insert(sql, s.clone());
        Ok(s)
    }

    /// Runs a query with a statement prepared once per connection.
    pub fn query(
        &mut self,
        sql: &'static str,
        params: &Params<'_>,
        action: &str,
    ) -> Result<Vec<Row>, StoreError> {
        let stmt = self.statement(sql, action)?;
        self.c
            .query(&stmt, params)
            .map_err(|e| pg_err(self.loc, action, e))
    }

    /// Runs a statement with a statement prepared once per connection.
    pub fn execute(
        &mut self,
        sql: &'static str,
        params: &Params<'_>,
        action: &str,
    ) -> Result<u64, StoreError> {
        let stmt = self.statement(sql, action)?;
        self.c
            .execute(&stmt, params)
            .map_err(|e| pg_err(self.loc, action, e))
    }

    /// A column, or an error naming it.
    pub fn get<'r, T: postgres::types::FromSql<'r>>(
        &self,
        row: &'r Row,
        i: usize,
    ) -> Result<T, StoreError> {
        row.try_get(i).map_err(|e| self.err("reading a column", e))
    }

    /// Parses a stored text, or names the row it came from.
    fn parse<T>(&self, row: impl Fn() -> String, text: &str) -> Result<T, StoreError>
    where
        T: FromStr,
        T::Err: Display,
    {
        text.parse().map_err(|e| self.corrupt(row(), e))
    }

    /// A stored version number, which is 1 or more.
    fn version_number(&self, row: impl Fn() -> String, v: i32) -> Result<u32, StoreError> {
        u32::try_from(v)
            .ok()
            .filter(|v| *v >= 1)
            .ok_or_else(|| self.corrupt(row(), format!("version {v} is not 1 or more")))
    }

    /// Decodes the columns of [`version_columns!`].
    fn decode_version(&self, r: &Row) -> Result<VersionInfo, StoreError> {
        let date: NaiveDate = self.get(r, 0)?;
        let version: i32 = self.get(r, 1)?;
        let name = || format!("day_versions row ({date}, {version})");
        let kind: String = self.get(r, 2)?;
        Ok(VersionInfo {
            date: Date::from(date),
            version: self.version_number(name, version)?,
            source: Source {
                kind: self.parse(name, &kind)?,
                name: self.get(r, 3)?,
                content_hash: self.get(r, 4)?,
            },
            content_hash: self.get(r, 5)?,
            recorded_at: self.get(r, 6)?,
            summary: self.get(r, 7)?,
        })
    }

    fn version_rows(
        &mut self,
        sql: &'static str,
        params: &Params<'_>,
        action: &str,
    ) -> Result<Vec<VersionInfo>, StoreError> {
        let rows = self.query(sql, params, action)?;
        rows.iter().map(|r| self.decode_version(r)).collect()
    }

    /// The newest version of a date recorded at or before `as_of`.
    pub fn newest(
        &mut self,
        date: Date,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Option<VersionInfo>, StoreError> {
        let sql = concat!(
            "SELECT ",
            version_columns!(),
            " FROM day_versions v WHERE v.date = $1 \
             AND ($2::timestamptz IS NULL OR v.recorded_at <= $2) \
             ORDER BY v.version DESC LIMIT 1"
        );
        let action = format!("reading {date}");
        Ok(self
            .version_rows(sql, &[&date.naive(), &as_of], &action)?
            .pop())
    }

    /// The newest version of each of some dates, by date.
    pub fn newest_of(&mut self, dates: &[Date]) -> Result<HashMap<Date, VersionInfo>, StoreError> {
        let sql = concat!(
            "SELECT DISTINCT ON (v.date) ",
            version_columns!(),
            " FROM day_versions v WHERE v.date = ANY($1) ORDER BY v.date, v.version DESC"
        );
        let naive: Vec<NaiveDate> = dates.iter().map(|d| d.naive()).collect();
        let rows = self.version_rows(sql, &[&naive], "reading the newest versions")?;
        Ok(rows.into_iter().map(|r| (r.date, r)).collect())
    }

    /// One version of a date.
    pub fn version_row(
        &mut self,
        date: Date,
        version: u32,
    ) -> Result<Option<VersionInfo>, StoreError> {
        let sql = concat!(
            "SELECT ",
            version_columns!(),
            " FROM day_versions v WHERE v.date = $1 AND v.version = $2"
        );
        let action = format!("reading {date} version {version}");
        let number = i32::try_from(version).unwrap_or(i32::MAX);
        Ok(self
            .version_rows(sql, &[&date.naive(), &number], &action)?
            .pop())
    }

    /// The newest version of each date in range, in date order.
    pub fn current_rows(&mut self, span: Span) -> Result<Vec<VersionInfo>, StoreError> {
        let Span { from, to, as_of } = span;
        let sql = concat!(
            "SELECT DISTINCT ON (v.date) ",
            version_columns!(),
            " FROM day_versions v WHERE ",
            in_range!(),
            " ORDER BY v.date, v.version DESC"
        );
        let (from, to) = (from.map(Date::naive), to.map(Date::naive));
        self.version_rows(sql, &[&from, &to, &as_of], "reading days")
    }

    /// Every version of the dates in range recorded at or before `as_of`, by date and version.
    pub fn versions_in(&mut self, span: Span) -> Result<Vec<VersionInfo>, StoreError> {
        let Span { from, to, as_of } = span;
        let sql = concat!(
            "SELECT ",
            version_columns!(),
            " FROM day_versions v WHERE ",
            in_range!(),
            " ORDER BY v.date, v.version"
        );
        let (from, to) = (from.map(Date::naive), to.map(Date::naive));
        let rows =
            self.version_rows(sql, &[&from, &to, &as_of], "reading the published versions")?;
        Ok(rows)
    }

    /// Every version of a date, oldest first.
    pub fn all_versions(&mut self, date: Date) -> Result<Vec<VersionInfo>, StoreError> {
        let sql = concat!(
            "SELECT ",
            version_columns!(),
            " FROM day_versions v WHERE v.date = $1 ORDER BY v.version"
        );
        let action = format!("reading the versions of {date}");
        self.version_rows(sql, &[&date.naive()], &action)
    }

    /// Reads every `series` row again (another writer may have added some).
    pub fn reload_series(&mut self) -> Result<(), StoreError> {
        let rows = self.query(
            "SELECT id, measure, region, origin FROM series",
            &[],
            "reading the series",
        )?;
        let mut cache = SeriesCache::default();
        for r in &rows {
            let id: i32 = self.get(r, 0)?;
            let (measure, region, origin): (String, String, String) =
                (self.get(r, 1)?, self.get(r, 2)?, self.get(r, 3)?);
            let name = || format!("series row {id} (`{region}` `{origin}` `{measure}`)");
            let key: SeriesKey = (
                self.parse(name, &measure)?,
                self.parse(name, &origin)?,
                self.parse(name, &region)?,
            );
            cache.by_key.insert(key.clone(), id);
            cache.by_id.insert(id, key);
        }
        *self.series = cache;
        Ok(())
    }

    /// Makes sure every series id in `ids` is in the cache, reading the table again if not.
    fn know_series(&mut self, ids: impl Iterator<Item = i32>) -> Result<(), StoreError> {
        let mut ids = ids;
        if ids.any(|id| !self.series.by_id.contains_key(&id)) {
            self.reload_series()?;
        }
        Ok(())
    }

    /// A fact from its series id (which [`Db::know_series`] has made known).
    fn fact_by_id(&self, date: Date, series_id: i32, value: i64) -> Result<Fact, StoreError> {
        let key = self.series.by_id.get(&series_id);
        let key = key.map(|(measure, origin, region)| (region, *origin, *measure));
        backend::series_fact(self.loc, date, series_id.into(), key, value)
    }

    /// The facts, corrections and notes of some versions.
    pub fn load_days(
        &mut self,
        keys: &[(Date, u32)],
    ) -> Result<HashMap<(Date, u32), Day>, StoreError> {
        let mut days: HashMap<(Date, u32), Day> =
            keys.iter().map(|(d, v)| ((*d, *v), Day::new(*d))).collect();
        if keys.is_empty() {
            return Ok(days);
        }
        let dates: Vec<NaiveDate> = keys.iter().map(|(d, _)| d.naive()).collect();
        let versions: Vec<i32> = keys
            .iter()
            .map(|(_, v)| i32::try_from(*v).unwrap_or(i32::MAX))
            .collect();
        let action = match keys {
            [(d, v)] => format!("reading {d} version {v}"),
            _ => format!("reading {} days", keys.len()),
        };
        // One round trip: each version's facts as two arrays (one aggregate, so in the same
        // order), its corrections and notes as arrays of JSON texts in order.
        let rows = self.query(
            "SELECT k.date, k.version, coalesce(f.ids, '{}'::int[]), \
                    coalesce(f.vals, '{}'::bigint[]), \
                    ARRAY(SELECT c.item::text FROM corrections c \
                          WHERE c.date = k.date AND c.version = k.version ORDER BY c.seq), \
                    ARRAY(SELECT n.item::text FROM notes n \
                          WHERE n.date = k.date AND n.version = k.version ORDER BY n.seq) \
             FROM unnest($1::date[], $2::int[]) AS k (date, version) \
             CROSS JOIN LATERAL (SELECT array_agg(f.series_id) AS ids, array_agg(f.value) AS vals \
                                 FROM facts f \
                                 WHERE f.date = k.date AND f.version = k.version) f",
            &[&dates, &versions],
            &action,
        )?;
        let mut decoded = Vec::with_capacity(rows.len());
        for r in &rows {
            let date = Date::from(self.get::<NaiveDate>(r, 0)?);
            let version: i32 = self.get(r, 1)?;
            let ids: Vec<i32> = self.get(r, 2)?;
            let values: Vec<i64> = self.get(r, 3)?;
            let corrections: Vec<String> = self.get(r, 4)?;
            let notes: Vec<String> = self.get(r, 5)?;
            decoded.push((date, version, ids, values, corrections, notes));
        }
        self.know_series(decoded.iter().flat_map(|d| d.2.iter().copied()))?;
        for (date, version, ids, values, corrections, notes) in decoded {
            let name = |what: &str| format!("{what} of {date} version {version}");
            let version = self.version_number(|| name("facts"), version)?;
            let Some(day) = days.get_mut(&(date, version)) else {
                continue;
            };
            if ids.len() != values.len() {
                return Err(self.corrupt(name("facts"), "series and values do not pair up"));
            }
            for (id, value) in ids.into_iter().zip(values) {
                day.facts.push(self.fact_by_id(date, id, value)?);
            }
            day.facts.sort_unstable();
            for (seq, json) in corrections.iter().enumerate() {
                let item = serde_json::from_str(json)
                    .map_err(|e| self.corrupt(name(&format!("corrections row {seq}")), e))?;
                day.corrections.push(item);
            }
            for (seq, json) in notes.iter().enumerate() {
                let item = serde_json::from_str(json)
                    .map_err(|e| self.corrupt(name(&format!("notes row {seq}")), e))?;
                day.notes.push(item);
            }
        }
        Ok(days)
    }

    /// Version rows with their days, in the rows' order.
    pub fn stored_many(&mut self, rows: Vec<VersionInfo>) -> Result<Vec<StoredDay>, StoreError> {
        let keys: Vec<(Date, u32)> = rows.iter().map(|r| (r.date, r.version)).collect();
        let mut days = self.load_days(&keys)?;
        Ok(rows
            .into_iter()
            .map(|v| StoredDay {
                day: days
                    .remove(&(v.date, v.version))
                    .unwrap_or_else(|| Day::new(v.date)),
                version: v.version,
                source: v.source,
                recorded_at: v.recorded_at,
                content_hash: v.content_hash,
            })
            .collect())
    }

    /// Every date with a version, in order.
    pub fn dates(&mut self) -> Result<Vec<Date>, StoreError> {
        let rows = self.query(
            "SELECT DISTINCT date FROM day_versions ORDER BY date",
            &[],
            "listing the dates",
        )?;
        rows.iter()
            .map(|r| Ok(Date::from(self.get::<NaiveDate>(r, 0)?)))
            .collect()
    }

    /// One figure over a range of dates, from the newest versions.
    pub fn series(&mut self, key: &FigureKey, span: Span) -> Result<Vec<(Date, i64)>, StoreError> {
        let Span { from, to, as_of } = span;
        let FigureKey {
            region,
            origin,
            measure,
        } = key;
        let sql = concat!(
            with_current!(),
            "SELECT f.date, f.value FROM cur \
             JOIN facts f ON f.date = cur.date AND f.version = cur.version \
             WHERE f.series_id = (SELECT id FROM series \
                                  WHERE measure = $4 AND region = $5 AND origin = $6) \
             ORDER BY f.date"
        );
        let action = format!("reading the series {region} {origin} {measure}");
        let (from, to) = (from.map(Date::naive), to.map(Date::naive));
        let region = region.to_string();
        let rows = self.query(
            sql,
            &[&from, &to, &as_of, &measure.name(), &region, &origin.name()],
            &action,
        )?;
        rows.iter()
            .map(|r| Ok((Date::from(self.get::<NaiveDate>(r, 0)?), self.get(r, 1)?)))
            .collect()
    }

    /// Every fact of the newest versions in range, sorted by date, region, origin, measure.
    pub fn facts(&mut self, span: Span) -> Result<Vec<(Date, Fact)>, StoreError> {
        let Span { from, to, as_of } = span;
        let sql = concat!(
            with_current!(),
            "SELECT f.date, f.series_id, f.value FROM cur \
             JOIN facts f ON f.date = cur.date AND f.version = cur.version"
        );
        let (from, to) = (from.map(Date::naive), to.map(Date::naive));
        let rows = self.query(sql, &[&from, &to, &as_of], "reading facts")?;
        self.know_series(rows.iter().filter_map(|r| r.try_get::<_, i32>(1).ok()))?;
        let mut out = Vec::with_capacity(rows.len());
        let mut last: Option<(NaiveDate, Date)> = None;
        for r in &rows {
            let naive: NaiveDate = self.get(r, 0)?;
            let date = match last {
                Some((n, d)) if n == naive => d,
                _ => {
                    let d = Date::from(naive);
                    last = Some((naive, d));
                    d
                }
            };
            out.push((
                date,
                self.fact_by_id(date, self.get(r, 1)?, self.get(r, 2)?)?,
            ));
        }
        out.sort_unstable();
        Ok(out)
    }

    /// Counts of dates, versions, and facts of the newest versions.
    pub fn stats(&mut self) -> Result<StoreStats, StoreError> {
        let sql = concat!(
            with_current!(),
            "SELECT (SELECT count(DISTINCT date) FROM day_versions), \
                    (SELECT count(*) FROM day_versions), \
                    (SELECT count(*) FROM cur \
                     JOIN facts f ON f.date = cur.date AND f.version = cur.version)"
        );
        let none: Option<NaiveDate> = None;
        let no_time: Option<DateTime<Utc>> = None;
        let rows = self.query(sql, &[&none, &none, &no_time], "counting")?;
        let r = rows
            .first()
            .ok_or_else(|| self.corrupt("counts", "the count query returned no row"))?;
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(StoreStats {
            days: count(self.get(r, 0)?),
            versions: count(self.get(r, 1)?),
            facts: count(self.get(r, 2)?),
        })
    }

    /// Whether no version is stored.
    pub fn is_empty(&mut self) -> Result<bool, StoreError> {
        let rows = self.query(
            "SELECT NOT EXISTS (SELECT 1 FROM day_versions)",
            &[],
            "checking for days",
        )?;
        match rows.first() {
            Some(r) => self.get(r, 0),
            None => Ok(true),
        }
    }
}
