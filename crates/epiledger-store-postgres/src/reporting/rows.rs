//! Reading the reporting tables: the columns of a row and their decoding, with errors that
//! name the row, and the queries that the changes and the reads share.

use std::fmt::Display;

use chrono::{DateTime, NaiveDate, Utc};
use epiledger_core::{Date, Day, RegionCode};
use postgres::{GenericClient, Row};

use crate::read::Db;
use epiledger_reporting::rules::ReportHead;

use epiledger_store::backend::{self as rules, corrupt, json, ReleaseRow, TokenRow};
use epiledger_store::reports::{Actor, AuditEntry, Release, StoredReport, Token};
use epiledger_store::StoreError;

/// The columns of a report row, for [`report_row`].
macro_rules! report_columns {
    () => {
        "r.version, r.reason, r.submitted_at, r.token_id, r.content_hash, r.body::text, r.date, \
         r.unit"
    };
}

/// The columns of a release with its event as of `$2` (NULL: now), for [`release_row`].
macro_rules! release_select {
    () => {
        "SELECT r.id, r.date, r.content_hash, r.basis::text, r.base_version, r.errata::text, \
         r.note, r.approved_by, r.approved_at, e.status, e.number, e.at, e.by_token, \
         r.day::text \
         FROM releases r LEFT JOIN release_events e ON e.release_id = r.id \
         AND ($2::timestamptz IS NULL OR e.at <= $2) "
    };
}

/// The columns of a token with its revocation.
macro_rules! token_select {
    () => {
        "SELECT t.id, t.role, t.unit, t.label, t.created_at, v.revoked_at FROM tokens t \
         LEFT JOIN token_revocations v ON v.token_id = t.id "
    };
}

pub(super) fn to_u32(loc: &str, row: impl Display, v: i32) -> Result<u32, StoreError> {
    u32::try_from(v).map_err(|_| corrupt(loc, row, format!("{v} is out of range")))
}

/// Decodes the columns of [`report_columns!`].
pub(super) fn report_row<C: GenericClient>(
    db: &Db<'_, C>,
    r: &Row,
) -> Result<StoredReport, StoreError> {
    let version: i32 = db.get(r, 0)?;
    let date: NaiveDate = db.get(r, 6)?;
    let unit: String = db.get(r, 7)?;
    let name = format!("reports row ({date} {unit} version {version})");
    let body: String = db.get(r, 5)?;
    Ok(StoredReport {
        report: json(db.loc, &name, &body)?,
        version: to_u32(db.loc, &name, version)?,
        reason: db.get(r, 1)?,
        submitted_at: db.get(r, 2)?,
        submitted_by: db.get(r, 3)?,
        content_hash: db.get(r, 4)?,
    })
}

/// Decodes the columns of [`release_select!`], and the day when asked.
pub(super) fn release_row<C: GenericClient>(
    db: &Db<'_, C>,
    r: &Row,
    with_day: bool,
) -> Result<(Release, Option<Day>), StoreError> {
    let loc = db.loc;
    let id: i64 = db.get(r, 0)?;
    let date: NaiveDate = db.get(r, 1)?;
    let base_version: Option<i32> = db.get(r, 4)?;
    let number: Option<i32> = db.get(r, 10)?;
    let release = ReleaseRow {
        id,
        date: Date::from(date),
        content_hash: db.get(r, 2)?,
        basis: db.get(r, 3)?,
        base_version: base_version.map(i64::from),
        errata: db.get(r, 5)?,
        note: db.get(r, 6)?,
        approved_by: db.get(r, 7)?,
        approved_at: db.get(r, 8)?,
        status: db.get(r, 9)?,
        number: number.map(i64::from),
        event_at: db.get(r, 11)?,
        event_by: db.get(r, 12)?,
    }
    .decode(loc)?;
    let day = if with_day {
        let text: String = db.get(r, 13)?;
        Some(json::<Day>(loc, rules::release_row_name(id), &text)?)
    } else {
        None
    };
    Ok((release, day))
}

pub(super) fn token_row<C: GenericClient>(db: &Db<'_, C>, r: &Row) -> Result<Token, StoreError> {
    TokenRow {
        id: db.get(r, 0)?,
        role: db.get(r, 1)?,
        unit: db.get(r, 2)?,
        label: db.get(r, 3)?,
        created_at: db.get(r, 4)?,
        revoked_at: db.get(r, 5)?,
    }
    .decode(db.loc)
}

pub(super) fn audit_row<C: GenericClient>(
    db: &Db<'_, C>,
    r: &Row,
) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        seq: db.get(r, 0)?,
        at: db.get(r, 1)?,
        actor: Actor {
            token_id: db.get(r, 2)?,
            name: db.get(r, 3)?,
            role: db.get(r, 4)?,
            address: db.get(r, 5)?,
            request_id: db.get(r, 6)?,
        },
        action: db.get(r, 7)?,
        target: db.get(r, 8)?,
        detail: db.get(r, 9)?,
        prev_hash: db.get(r, 10)?,
        hash: db.get(r, 11)?,
    })
}

pub(super) fn newest_report<C: GenericClient>(
    db: &mut Db<'_, C>,
    date: Date,
    unit: RegionCode,
    as_of: Option<DateTime<Utc>>,
) -> Result<Option<StoredReport>, StoreError> {
    let sql = concat!(
        "SELECT ",
        report_columns!(),
        " FROM reports r WHERE r.date = $1 AND r.unit = $2 \
         AND ($3::timestamptz IS NULL OR r.submitted_at <= $3) \
         ORDER BY r.version DESC LIMIT 1"
    );
    let action = format!("reading the report of {unit} for {date}");
    let rows = db.query(sql, &[&date.naive(), &unit.to_string(), &as_of], &action)?;
    rows.first().map(|r| report_row(db, r)).transpose()
}

/// The newest version of a report without its body: (version, content hash, time).
pub(super) fn newest_report_head<C: GenericClient>(
    db: &mut Db<'_, C>,
    date: Date,
    unit: RegionCode,
) -> Result<Option<ReportHead>, StoreError> {
    let action = format!("reading the report of {unit} for {date}");
    let rows = db.query(
        "SELECT version, content_hash, submitted_at FROM reports \
         WHERE date = $1 AND unit = $2 ORDER BY version DESC LIMIT 1",
        &[&date.naive(), &unit.to_string()],
        &action,
    )?;
    let Some(r) = rows.first() else {
        return Ok(None);
    };
    let version: i32 = db.get(r, 0)?;
    let name = format!("reports row ({date} {unit} version {version})");
    Ok(Some(ReportHead {
        version: to_u32(db.loc, name, version)?,
        content_hash: db.get(r, 1)?,
        submitted_at: db.get(r, 2)?,
    }))
}

pub(super) fn release_by_id<C: GenericClient>(
    db: &mut Db<'_, C>,
    id: i64,
    with_day: bool,
) -> Result<Option<(Release, Option<Day>)>, StoreError> {
    let sql = concat!(release_select!(), "WHERE r.id = $1");
    let action = format!("reading release {id}");
    let rows = db.query(sql, &[&id, &None::<DateTime<Utc>>], &action)?;
    rows.first()
        .map(|r| release_row(db, r, with_day))
        .transpose()
}

/// The newest day version of a date: (version, content hash).
pub(super) fn newest_day_version<C: GenericClient>(
    db: &mut Db<'_, C>,
    date: Date,
) -> Result<Option<(u32, String)>, StoreError> {
    let action = format!("reading the newest version of {date}");
    let rows = db.query(
        "SELECT version, content_hash FROM day_versions WHERE date = $1 \
         ORDER BY version DESC LIMIT 1",
        &[&date.naive()],
        &action,
    )?;
    let Some(r) = rows.first() else {
        return Ok(None);
    };
    let v: i32 = db.get(r, 0)?;
    Ok(Some((
        to_u32(db.loc, format!("day_versions of {date}"), v)?,
        db.get(r, 1)?,
    )))
}

pub(super) fn token_by_hash<C: GenericClient>(
    db: &mut Db<'_, C>,
    hash: &str,
) -> Result<Option<Token>, StoreError> {
    let rows = db.query(
        concat!(token_select!(), "WHERE t.hash = $1"),
        &[&hash.to_ascii_lowercase()],
        "reading tokens",
    )?;
    rows.first().map(|r| token_row(db, r)).transpose()
}
