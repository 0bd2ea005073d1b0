//! The changes of the reporting workflow, each inside its savepoint: what it checks against
//! the stored state (read under the batch's locks) and what it inserts.

use std::collections::HashMap;

use epiledger_core::{Date, Day, RegionCode};
use postgres::GenericClient;
use serde_json::json;

use super::super::read::{Db, SeriesKey};
use super::super::write;
use super::rows::{
    conflict, corrupt, encode, newest_day_version, newest_report_head, opt_text, release_by_id,
    token_by_hash, token_row,
};
use super::{At, Effect};
use crate::reports::{
    Actor, Applied, BasisEntry, ChangeError, Erratum, Release, ReleaseStatus, Report, Role, Token,
};
use crate::{content, time, Source, SourceKind};

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
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let version = match &newest {
        Some((version, h, submitted_at)) if *h == hash => {
            return Ok(Effect {
                applied: Applied::Report {
                    date,
                    unit,
                    version: *version,
                    content_hash: hash,
                    submitted_at: *submitted_at,
                    unchanged: true,
                },
                audit: None,
            });
        }
        Some((version, _, submitted_at)) if reason.is_none() => {
            return Err(conflict(format!(
                "{unit} already reported {date} (version {version} at {}); a revision supersedes \
                 it and needs a reason: give `reason`",
                time::format(*submitted_at)
            )))
        }
        Some((version, _, submitted_at)) if at.at < *submitted_at => {
            return Err(conflict(format!(
                "cannot store a revision of {unit} {date} at {}: version {version} was stored \
                 later, at {}; check the system clock",
                at.text,
                time::format(*submitted_at)
            )))
        }
        Some((version, _, _)) => version + 1,
        None => 1,
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
    Ok(Effect {
        applied: Applied::Report {
            date,
            unit,
            version,
            content_hash: hash.clone(),
            submitted_at: at.at,
            unchanged: false,
        },
        audit: Some((
            format!("{date}/{unit}"),
            json!({ "version": version, "content_hash": hash, "reason": reason }),
        )),
    })
}

pub(super) struct ApproveArgs<'a> {
    pub(super) date: Date,
    pub(super) day: &'a Day,
    pub(super) basis: &'a [BasisEntry],
    pub(super) base_version: Option<u32>,
    pub(super) errata: &'a [Erratum],
    pub(super) note: Option<&'a str>,
}

pub(super) fn approve<C: GenericClient>(
    db: &mut Db<'_, C>,
    a: ApproveArgs,
    actor: &Actor,
    at: &At,
    seq: i64,
) -> Result<Effect, ChangeError> {
    let date = a.date;
    if a.day.date != Some(date) {
        return Err(ChangeError::Invalid(format!(
            "the compiled day is dated {:?}, not {date}",
            a.day.date.map(|d| d.to_string())
        )));
    }
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
    let mut basis: Vec<BasisEntry> = a.basis.to_vec();
    basis.sort();
    let given: Vec<(String, i64)> = basis
        .iter()
        .map(|b| (b.unit.to_string(), i64::from(b.version)))
        .collect();
    if given != current {
        let now: Vec<String> = current.iter().map(|(u, v)| format!("{u} v{v}")).collect();
        return Err(conflict(format!(
            "the reports of {date} changed since this compilation (now: {}); review the \
             compilation again and approve its new content hash",
            if now.is_empty() {
                "none".to_string()
            } else {
                now.join(", ")
            }
        )));
    }
    let published = newest_day_version(db, date)?;
    if published.as_ref().map(|p| p.0) != a.base_version {
        return Err(conflict(format!(
            "{date} was published again since this compilation (now release {}); review the \
             compilation again",
            published.as_ref().map_or(0, |p| p.0)
        )));
    }
    let day = content::canonical(a.day);
    let hash = content::content_hash(&day);
    if let Some((v, h)) = &published {
        if *h == hash {
            return Err(conflict(format!(
                "nothing to release: the compilation of {date} equals release {v}, which is \
                 already published"
            )));
        }
    }
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
    let release = Release {
        id,
        date,
        number: None,
        status: ReleaseStatus::Approved,
        content_hash: hash.clone(),
        basis,
        base_version: a.base_version,
        errata: a.errata.to_vec(),
        note: a.note.map(str::to_string),
        approved_by: actor.token_id,
        approved_at: at.at,
        published_by: None,
        published_at: None,
    };
    Ok(Effect {
        applied: Applied::Release { release },
        audit: Some((
            format!("{date}/release/{id}"),
            json!({ "id": id, "content_hash": hash, "base_version": a.base_version,
                    "errata": a.errata.len(), "superseded": open }),
        )),
    })
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
    let Some((mut release, Some(day))) = release_by_id(db, id, true)? else {
        return Err(ChangeError::NotFound(format!(
            "there is no release {id}; the releases of a day are listed at \
             /api/v1/days/{{date}}/releases"
        )));
    };
    match release.status {
        ReleaseStatus::Approved => {}
        ReleaseStatus::Published => {
            return Err(conflict(format!(
                "release {id} is already published, as release {} of {}; a publication is \
                 immutable",
                release.number.unwrap_or(0),
                release.date
            )))
        }
        ReleaseStatus::Superseded => {
            return Err(conflict(format!(
                "release {id} of {} was superseded by a later approval; publish that one",
                release.date
            )))
        }
    }
    let date = release.date;
    let published = newest_day_version(db, date)?;
    if published.as_ref().map(|p| p.0) != release.base_version {
        return Err(conflict(format!(
            "{date} was published again since release {id} was approved; compile and approve \
             again"
        )));
    }
    let source = Source::new(
        SourceKind::Report,
        format!("release {date} #{id}"),
        release.content_hash.clone(),
    );
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
    release.status = ReleaseStatus::Published;
    release.number = Some(number);
    release.published_at = Some(at.at);
    release.published_by = actor.token_id;
    Ok(Effect {
        audit: Some((
            format!("{date}/release/{id}"),
            json!({ "id": id, "number": number, "content_hash": release.content_hash }),
        )),
        applied: Applied::Release { release },
    })
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
    if !content::is_sha256_hex(hash) {
        return Err(ChangeError::Invalid(
            "a token is stored as the SHA-256 of its secret (64 hex digits)".into(),
        ));
    }
    match (role, unit) {
        (Role::Reporter, None) => {
            return Err(ChangeError::Invalid(
                "a reporter token is bound to one reporting unit: give its unit".into(),
            ))
        }
        (Role::Compiler | Role::Admin, Some(_)) => {
            return Err(ChangeError::Invalid(format!(
                "a {role} token is not bound to a unit: give no unit"
            )))
        }
        _ => {}
    }
    if token_by_hash(db, hash)?.is_some() {
        return Err(conflict("a token with this secret exists already"));
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
    let token = Token {
        id,
        role,
        unit,
        label: label.to_string(),
        created_at: at.at,
        revoked_at: None,
    };
    Ok(Effect {
        audit: Some((
            format!("token/{id}"),
            json!({ "id": id, "role": role.name(), "unit": opt_text(unit), "label": label }),
        )),
        applied: Applied::Token { token },
    })
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
    let Some(mut token) = rows.first().map(|r| token_row(db, r)).transpose()? else {
        return Err(ChangeError::NotFound(format!(
            "there is no token {id}; `epiledger token list` lists them"
        )));
    };
    if let Some(when) = token.revoked_at {
        return Err(conflict(format!(
            "token {id} was revoked already, at {}",
            time::format(when)
        )));
    }
    db.execute(
        "INSERT INTO token_revocations (token_id, revoked_at, audit_seq) VALUES ($1, $2, $3)",
        &[&id, &at.at, &seq],
        &format!("revoking token {id}"),
    )?;
    token.revoked_at = Some(at.at);
    Ok(Effect {
        audit: Some((format!("token/{id}"), json!({ "id": id }))),
        applied: Applied::Token { token },
    })
}
