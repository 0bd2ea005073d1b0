//! The changes of the reporting workflow, each inside its savepoint: what it reads from the
//! stored state (under the batch's locks) for the checks of [`rules`], and what it inserts.

use std::collections::HashMap;

use epiledger_core::RegionCode;
use postgres::GenericClient;

use super::super::read::{Db, SeriesKey};
use super::super::write;
use super::rows::{
    newest_day_version, newest_report_head, release_by_id, token_by_hash, token_row,
};
use super::At;
use crate::content;
use crate::reports::rules::{self, corrupt, encode, opt_text, ApproveArgs, Effect, Submission};
use crate::reports::{Actor, ChangeError, Report, Role};

pub(super) fn submit<C: GenericClient>(
    db: &mut Db<'_, C>,
    report: &Report,
    reason: Option<&str>,
    actor: &Actor,
    at: &At,
    seq: i64,
) -> Result<Effect, ChangeError> {
    let report = report.canonical();
    let hash = report.content_hash();
    let (date, unit) = (report.date, report.unit);
    let newest = newest_report_head(db, date, unit)?;
    let reason = rules::reason(reason);
    let version = match rules::submission(&report, &hash, newest, reason, at.at)? {
        Submission::Unchanged(effect) => return Ok(*effect),
        Submission::Store(version) => version,
    };
    let body = encode(db.loc, "encoding a report", &report)?;
    let version_i32 = i32::try_from(version)
        .map_err(|_| ChangeError::Invalid(format!("version {version} is out of range")))?;
    db.execute(
        "INSERT INTO reports (date, unit, version, reason, submitted_at, token_id, \
         content_hash, body, audit_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9)",
        &[
            &date.naive(),
            &unit.to_string(),
            &version_i32,
            &reason,
            &at.at,
            &actor.token_id,
            &hash,
            &body,
            &seq,
        ],
        &format!("storing the report of {unit} for {date}"),
    )?;
    Ok(rules::report_stored(&report, version, hash, at.at, reason))
}

pub(super) fn approve<C: GenericClient>(
    db: &mut Db<'_, C>,
    a: ApproveArgs,
    actor: &Actor,
    at: &At,
    seq: i64,
) -> Result<Effect, ChangeError> {
    let date = a.date;
    rules::check_compiled_date(&a)?;
    // The compilation must be of the newest reports.
    let rows = db.query(
        "SELECT unit, max(version) FROM reports WHERE date = $1 GROUP BY unit ORDER BY unit",
        &[&date.naive()],
        "reading the reports of a day",
    )?;
    let mut current = Vec::with_capacity(rows.len());
    for r in &rows {
        let unit: String = db.get(r, 0)?;
        let version: i32 = db.get(r, 1)?;
        current.push((unit, i64::from(version)));
    }
    let basis = rules::checked_basis(&a, &current)?;
    let published = newest_day_version(db, date)?;
    let (day, hash) = rules::checked_day(&a, published.as_ref())?;
    // An approved release not yet published is superseded by this one.
    let rows = db.query(
        "SELECT r.id FROM releases r WHERE r.date = $1 \
         AND NOT EXISTS (SELECT 1 FROM release_events e WHERE e.release_id = r.id) \
         ORDER BY r.id",
        &[&date.naive()],
        "reading the releases of a day",
    )?;
    let open: Vec<i64> = rows
        .iter()
        .map(|r| db.get(r, 0))
        .collect::<Result<_, _>>()?;
    if !open.is_empty() {
        db.execute(
            "INSERT INTO release_events (release_id, status, number, at, by_token, audit_seq) \
             SELECT id, 'superseded', NULL, $2, $3, $4 FROM unnest($1::bigint[]) AS id",
            &[&open, &at.at, &actor.token_id, &seq],
            "superseding a release",
        )?;
    }
    let day_json = encode(db.loc, "encoding a release", &day)?;
    let basis_json = encode(db.loc, "encoding a release", &basis)?;
    let errata_json = encode(db.loc, "encoding a release", &a.errata)?;
    let base_version = a
        .base_version
        .map(i32::try_from)
        .transpose()
        .map_err(|_| ChangeError::Invalid("the base version is out of range".into()))?;
    let rows = db.query(
        "INSERT INTO releases (date, content_hash, day, basis, base_version, errata, note, \
         approved_by, approved_at, audit_seq) \
         VALUES ($1, $2, $3::text::jsonb, $4::text::jsonb, $5, $6::text::jsonb, $7, $8, $9, $10) \
         RETURNING id",
        &[
            &date.naive(),
            &hash,
            &day_json,
            &basis_json,
            &base_version,
            &errata_json,
            &a.note,
            &actor.token_id,
            &at.at,
            &seq,
        ],
        &format!("storing a release of {date}"),
    )?;
    let id: i64 = match rows.first() {
        Some(r) => db.get(r, 0)?,
        None => return Err(corrupt(db.loc, "releases", "the insert returned no id").into()),
    };
    Ok(rules::approved(id, &a, basis, hash, &open, actor, at.at))
}

pub(super) fn publish<C: GenericClient>(
    db: &mut Db<'_, C>,
    created: &mut HashMap<SeriesKey, i32>,
    schema: &str,
    id: i64,
    actor: &Actor,
    at: &At,
    seq: i64,
) -> Result<Effect, ChangeError> {
    let found = release_by_id(db, id, true)?;
    let (release, day) = rules::publishable(id, found)?;
    let published = newest_day_version(db, release.date)?;
    let source = rules::release_source(&release, published.as_ref())?;
    content::prepare(&day, &source).map_err(ChangeError::Invalid)?;
    let outcome = write::put_batch(db, created, schema, &[(day, source)], Some(at.at))?;
    let number = match outcome.first() {
        Some(o) => o.version(),
        None => return Err(corrupt(db.loc, "day_versions", "the day was not stored").into()),
    };
    let number_i32 = i32::try_from(number)
        .map_err(|_| ChangeError::Invalid(format!("release number {number} is out of range")))?;
    db.execute(
        "INSERT INTO release_events (release_id, status, number, at, by_token, audit_seq) \
         VALUES ($1, 'published', $2, $3, $4, $5)",
        &[&id, &number_i32, &at.at, &actor.token_id, &seq],
        &format!("publishing release {id}"),
    )?;
    Ok(rules::published(release, number, actor, at.at))
}

pub(super) fn create_token<C: GenericClient>(
    db: &mut Db<'_, C>,
    hash: &str,
    role: Role,
    unit: Option<RegionCode>,
    label: &str,
    at: &At,
    seq: i64,
) -> Result<Effect, ChangeError> {
    rules::check_new_token(hash, role, unit)?;
    if token_by_hash(db, hash)?.is_some() {
        return Err(rules::token_exists());
    }
    let rows = db.query(
        "INSERT INTO tokens (hash, role, unit, label, created_at, audit_seq) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        &[
            &hash.to_ascii_lowercase(),
            &role.name(),
            &opt_text(unit),
            &label,
            &at.at,
            &seq,
        ],
        "storing a token",
    )?;
    let id: i64 = match rows.first() {
        Some(r) => db.get(r, 0)?,
        None => return Err(corrupt(db.loc, "tokens", "the insert returned no id").into()),
    };
    Ok(rules::token_created(id, role, unit, label, at.at))
}

pub(super) fn revoke_token<C: GenericClient>(
    db: &mut Db<'_, C>,
    id: i64,
    at: &At,
    seq: i64,
) -> Result<Effect, ChangeError> {
    let rows = db.query(
        concat!(token_select!(), "WHERE t.id = $1"),
        &[&id],
        "reading tokens",
    )?;
    let found = rows.first().map(|r| token_row(db, r)).transpose()?;
    let token = rules::revocable(id, found)?;
    db.execute(
        "INSERT INTO token_revocations (token_id, revoked_at, audit_seq) VALUES ($1, $2, $3)",
        &[&id, &at.at, &seq],
        &format!("revoking token {id}"),
    )?;
    Ok(rules::token_revoked(token, at.at))
}
