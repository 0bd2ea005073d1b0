//! The reporting workflow's rules that do not depend on the database, shared by the SQLite and
//! PostgreSQL stores: each change's checks and their messages, what a change answers and writes
//! to the audit log, and the decoding of stored values. The backends keep the SQL around them.

use std::fmt::Display;

use chrono::{DateTime, Utc};
use epiledger_core::{Date, Day, RegionCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;

use super::{
    Actor, Applied, BasisEntry, ChangeError, ChangeRequest, Committed, Erratum, IdempotencyKey,
    Release, ReleaseStatus, Report, Role, Token,
};
use crate::auditlog::{entry_hash, GENESIS_HASH};
use crate::{content, time, Source, SourceKind, StoreError};

// ----- stored values -----

pub(crate) fn corrupt(loc: &str, row: impl Display, problem: impl Display) -> StoreError {
    StoreError::Corrupt {
        location: loc.to_string(),
        row: row.to_string(),
        problem: problem.to_string(),
    }
}

/// Decodes a stored JSON value of `row`.
pub(crate) fn json<T: DeserializeOwned>(
    loc: &str,
    row: impl Display,
    text: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| corrupt(loc, row, e))
}

/// Encodes a value to store as JSON.
pub(crate) fn encode<T: Serialize>(loc: &str, action: &str, v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Database {
        location: loc.to_string(),
        action: action.to_string(),
        source: Box::new(e),
    })
}

pub(crate) fn opt_text<T: ToString>(v: Option<T>) -> Option<String> {
    v.map(|v| v.to_string())
}

/// A release row with its newest event, its columns read by the backend.
pub(crate) struct ReleaseRow {
    pub(crate) id: i64,
    pub(crate) date: Date,
    pub(crate) content_hash: String,
    /// JSON.
    pub(crate) basis: String,
    pub(crate) base_version: Option<i64>,
    /// JSON.
    pub(crate) errata: String,
    pub(crate) note: Option<String>,
    pub(crate) approved_by: Option<i64>,
    pub(crate) approved_at: DateTime<Utc>,
    /// The event's status: none while approved.
    pub(crate) status: Option<String>,
    pub(crate) number: Option<i64>,
    pub(crate) event_at: Option<DateTime<Utc>>,
    pub(crate) event_by: Option<i64>,
}

/// The name of a release row in errors.
pub(crate) fn release_row_name(id: i64) -> String {
    format!("releases row {id}")
}

impl ReleaseRow {
    pub(crate) fn decode(self, loc: &str) -> Result<Release, StoreError> {
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
pub(crate) struct TokenRow {
    pub(crate) id: i64,
    pub(crate) role: String,
    pub(crate) unit: Option<String>,
    pub(crate) label: String,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) revoked_at: Option<DateTime<Utc>>,
}

impl TokenRow {
    pub(crate) fn decode(self, loc: &str) -> Result<Token, StoreError> {
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

// ----- a change and its audit entry -----

/// What a change wrote, for the audit log.
pub(crate) struct Effect {
    pub(crate) applied: Applied,
    /// (target, detail) when something was stored.
    pub(crate) audit: Option<(String, serde_json::Value)>,
}

/// The audit chain's head during a transaction.
pub(crate) struct Chain {
    pub(crate) seq: i64,
    pub(crate) hash: String,
}

impl Chain {
    /// The chain after the newest entry (seq, hash), or before the first.
    pub(crate) fn after(newest: Option<(i64, String)>) -> Chain {
        newest.map_or(
            Chain {
                seq: 0,
                hash: GENESIS_HASH.to_string(),
            },
            |(seq, hash)| Chain { seq, hash },
        )
    }
}

/// The token id under which retry keys are stored (0 for none).
pub(crate) fn idempotency_token(token_id: Option<i64>) -> i64 {
    token_id.unwrap_or(0)
}

/// A stored answer to a retry key, marked as answered again.
pub(crate) fn replayed(loc: &str, key: &str, response: &str) -> Result<Committed, StoreError> {
    let mut c: Committed = json(loc, format!("idempotency key {key}"), response)?;
    c.replayed = true;
    Ok(c)
}

/// The answer to a change whose retry key was stored with `request_hash` and `response`.
pub(crate) fn replay(
    loc: &str,
    idem: &IdempotencyKey,
    request_hash: &str,
    response: &str,
) -> Result<Committed, ChangeError> {
    if request_hash != idem.request_hash {
        return Err(ChangeError::IdempotencyMismatch(idem.key.clone()));
    }
    Ok(replayed(loc, &idem.key, response)?)
}

/// An audit entry to write, chained after the head.
pub(crate) struct AuditRecord<'a> {
    pub(crate) seq: i64,
    pub(crate) action: &'static str,
    pub(crate) target: &'a str,
    /// The detail as stored (JSON text).
    pub(crate) detail: String,
    pub(crate) prev_hash: &'a str,
    pub(crate) hash: String,
}

/// The audit entry of a change that stored something (`effect.audit`), after `chain`.
pub(crate) fn audit_record<'a>(
    chain: &'a Chain,
    at_text: &str,
    req: &ChangeRequest,
    (target, detail): &'a (String, serde_json::Value),
) -> AuditRecord<'a> {
    let seq = chain.seq + 1;
    let detail = detail.to_string();
    let action = req.change.action();
    let hash = entry_hash(
        seq,
        at_text,
        &req.actor,
        action,
        target,
        &detail,
        &chain.hash,
    );
    AuditRecord {
        seq,
        action,
        target,
        detail,
        prev_hash: &chain.hash,
        hash,
    }
}

/// The answer to a change and the chain's new head, once its audit entry (if any) is written.
pub(crate) fn committed(
    applied: Applied,
    record: Option<AuditRecord>,
) -> (Committed, Option<Chain>) {
    let head = record.map(|r| Chain {
        seq: r.seq,
        hash: r.hash,
    });
    let committed = Committed {
        applied,
        audit_seq: head.as_ref().map(|h| h.seq),
        replayed: false,
    };
    (committed, head)
}

fn conflict(msg: impl Into<String>) -> ChangeError {
    ChangeError::Conflict(msg.into())
}

// ----- reports and cutoffs -----

/// The newest version of a report, without its body.
pub(crate) struct ReportHead {
    pub(crate) version: u32,
    pub(crate) content_hash: String,
    pub(crate) submitted_at: DateTime<Utc>,
}

/// A revision's reason, trimmed; none if empty.
pub(crate) fn reason(reason: Option<&str>) -> Option<&str> {
    reason.map(str::trim).filter(|r| !r.is_empty())
}

/// What to do with a submitted report.
pub(crate) enum Submission {
    /// It equals the newest version: answer this, store nothing.
    Unchanged(Box<Effect>),
    /// Store it as this version.
    Store(u32),
}

/// Decides a submitted (canonical) report with content hash `hash`, given the newest stored
/// version: unchanged, version 1, or a revision (which needs a reason and a later time).
pub(crate) fn submission(
    report: &Report,
    hash: &str,
    newest: Option<ReportHead>,
    reason: Option<&str>,
    at: DateTime<Utc>,
) -> Result<Submission, ChangeError> {
    let (date, unit) = (report.date, report.unit);
    Ok(match newest {
        Some(n) if n.content_hash == hash => Submission::Unchanged(Box::new(Effect {
            applied: Applied::Report {
                date,
                unit,
                version: n.version,
                content_hash: hash.to_string(),
                submitted_at: n.submitted_at,
                unchanged: true,
            },
            audit: None,
        })),
        Some(n) if reason.is_none() => {
            return Err(conflict(format!(
                "{unit} already reported {date} (version {} at {}); a revision supersedes it \
                 and needs a reason: give `reason`",
                n.version,
                time::format(n.submitted_at)
            )))
        }
        Some(n) if at < n.submitted_at => {
            return Err(conflict(format!(
                "cannot store a revision of {unit} {date} at {}: version {} was stored later, at \
                 {}; check the system clock",
                time::format(at),
                n.version,
                time::format(n.submitted_at)
            )))
        }
        Some(n) => Submission::Store(n.version + 1),
        None => Submission::Store(1),
    })
}

/// What storing a report as `version` did.
pub(crate) fn report_stored(
    report: &Report,
    version: u32,
    hash: String,
    at: DateTime<Utc>,
    reason: Option<&str>,
) -> Effect {
    let (date, unit) = (report.date, report.unit);
    Effect {
        applied: Applied::Report {
            date,
            unit,
            version,
            content_hash: hash.clone(),
            submitted_at: at,
            unchanged: false,
        },
        audit: Some((
            format!("{date}/{unit}"),
            json!({ "version": version, "content_hash": hash, "reason": reason }),
        )),
    }
}

/// What setting a cutoff did.
pub(crate) fn cutoff_set(date: Date, cutoff: DateTime<Utc>) -> Effect {
    Effect {
        applied: Applied::Cutoff {
            date,
            cutoff: time::truncate(cutoff),
        },
        audit: Some((date.to_string(), json!({ "cutoff": time::format(cutoff) }))),
    }
}

// ----- releases -----

/// An approval, from [`super::Change::ApproveRelease`].
pub(crate) struct ApproveArgs<'a> {
    pub(crate) date: Date,
    pub(crate) day: &'a Day,
    pub(crate) basis: &'a [BasisEntry],
    pub(crate) base_version: Option<u32>,
    pub(crate) errata: &'a [Erratum],
    pub(crate) note: Option<&'a str>,
}

/// The newest published version of a day: (version, content hash).
pub(crate) type Published = (u32, String);

/// Checks that the compiled day is of the approval's date.
pub(crate) fn check_compiled_date(a: &ApproveArgs) -> Result<(), ChangeError> {
    if a.day.date != Some(a.date) {
        return Err(ChangeError::Invalid(format!(
            "the compiled day is dated {:?}, not {}",
            a.day.date.map(|d| d.to_string()),
            a.date
        )));
    }
    Ok(())
}

/// Checks that the approval's basis is the newest report of each unit, `current` (unit, newest
/// version) in unit order; returns the basis sorted.
pub(crate) fn checked_basis(
    a: &ApproveArgs,
    current: &[(String, i64)],
) -> Result<Vec<BasisEntry>, ChangeError> {
    let mut basis: Vec<BasisEntry> = a.basis.to_vec();
    basis.sort();
    let given: Vec<(String, i64)> = basis
        .iter()
        .map(|b| (b.unit.to_string(), i64::from(b.version)))
        .collect();
    if given != current {
        let now: Vec<String> = current.iter().map(|(u, v)| format!("{u} v{v}")).collect();
        return Err(conflict(format!(
            "the reports of {} changed since this compilation (now: {}); review the \
             compilation again and approve its new content hash",
            a.date,
            if now.is_empty() {
                "none".to_string()
            } else {
                now.join(", ")
            }
        )));
    }
    Ok(basis)
}

/// Checks the approval against the day's newest publication; returns the canonical day and
/// its content hash.
pub(crate) fn checked_day(
    a: &ApproveArgs,
    published: Option<&Published>,
) -> Result<(Day, String), ChangeError> {
    let date = a.date;
    if published.map(|p| p.0) != a.base_version {
        return Err(conflict(format!(
            "{date} was published again since this compilation (now release {}); review the \
             compilation again",
            published.map_or(0, |p| p.0)
        )));
    }
    let day = content::canonical(a.day);
    let hash = content::content_hash(&day);
    if let Some((v, h)) = published {
        if *h == hash {
            return Err(conflict(format!(
                "nothing to release: the compilation of {date} equals release {v}, which is \
                 already published"
            )));
        }
    }
    Ok((day, hash))
}

/// What storing an approval as release `id` did, superseding the releases `open`.
pub(crate) fn approved(
    id: i64,
    a: &ApproveArgs,
    basis: Vec<BasisEntry>,
    hash: String,
    open: &[i64],
    actor: &Actor,
    at: DateTime<Utc>,
) -> Effect {
    let date = a.date;
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
        approved_at: at,
        published_by: None,
        published_at: None,
    };
    Effect {
        applied: Applied::Release { release },
        audit: Some((
            format!("{date}/release/{id}"),
            json!({ "id": id, "content_hash": hash, "base_version": a.base_version,
                    "errata": a.errata.len(), "superseded": open }),
        )),
    }
}

/// The release `id` to publish (as found, with its day): it must be approved, not yet
/// published or superseded.
pub(crate) fn publishable(
    id: i64,
    found: Option<(Release, Option<Day>)>,
) -> Result<(Release, Day), ChangeError> {
    let Some((release, Some(day))) = found else {
        return Err(ChangeError::NotFound(format!(
            "there is no release {id}; the releases of a day are listed at \
             /api/v1/days/{{date}}/releases"
        )));
    };
    match release.status {
        ReleaseStatus::Approved => Ok((release, day)),
        ReleaseStatus::Published => Err(conflict(format!(
            "release {id} is already published, as release {} of {}; a publication is \
             immutable",
            release.number.unwrap_or(0),
            release.date
        ))),
        ReleaseStatus::Superseded => Err(conflict(format!(
            "release {id} of {} was superseded by a later approval; publish that one",
            release.date
        ))),
    }
}

/// Checks that the day was not published again since the release was approved; returns the
/// source of the day version its publication writes.
pub(crate) fn release_source(
    release: &Release,
    published: Option<&Published>,
) -> Result<Source, ChangeError> {
    let (date, id) = (release.date, release.id);
    if published.map(|p| p.0) != release.base_version {
        return Err(conflict(format!(
            "{date} was published again since release {id} was approved; compile and approve \
             again"
        )));
    }
    Ok(Source::new(
        SourceKind::Report,
        format!("release {date} #{id}"),
        release.content_hash.clone(),
    ))
}

/// What publishing a release as day version `number` did.
pub(crate) fn published(
    mut release: Release,
    number: u32,
    actor: &Actor,
    at: DateTime<Utc>,
) -> Effect {
    let (date, id) = (release.date, release.id);
    release.status = ReleaseStatus::Published;
    release.number = Some(number);
    release.published_at = Some(at);
    release.published_by = actor.token_id;
    Effect {
        audit: Some((
            format!("{date}/release/{id}"),
            json!({ "id": id, "number": number, "content_hash": release.content_hash }),
        )),
        applied: Applied::Release { release },
    }
}

// ----- tokens -----

/// Checks a new token: a SHA-256 hash, and a unit for reporters only.
pub(crate) fn check_new_token(
    hash: &str,
    role: Role,
    unit: Option<RegionCode>,
) -> Result<(), ChangeError> {
    if !content::is_sha256_hex(hash) {
        return Err(ChangeError::Invalid(
            "a token is stored as the SHA-256 of its secret (64 hex digits)".into(),
        ));
    }
    match (role, unit) {
        (Role::Reporter, None) => Err(ChangeError::Invalid(
            "a reporter token is bound to one reporting unit: give its unit".into(),
        )),
        (Role::Compiler | Role::Admin, Some(_)) => Err(ChangeError::Invalid(format!(
            "a {role} token is not bound to a unit: give no unit"
        ))),
        _ => Ok(()),
    }
}

/// A new token whose hash is stored already.
pub(crate) fn token_exists() -> ChangeError {
    conflict("a token with this secret exists already")
}

/// What storing a new token as `id` did.
pub(crate) fn token_created(
    id: i64,
    role: Role,
    unit: Option<RegionCode>,
    label: &str,
    at: DateTime<Utc>,
) -> Effect {
    let token = Token {
        id,
        role,
        unit,
        label: label.to_string(),
        created_at: at,
        revoked_at: None,
    };
    Effect {
        audit: Some((
            format!("token/{id}"),
            json!({ "id": id, "role": role.name(), "unit": opt_text(unit), "label": label }),
        )),
        applied: Applied::Token { token },
    }
}

/// The token `id` to revoke (as found): it must exist and not be revoked yet.
pub(crate) fn revocable(id: i64, found: Option<Token>) -> Result<Token, ChangeError> {
    let Some(token) = found else {
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
    Ok(token)
}

/// What revoking a token did.
pub(crate) fn token_revoked(mut token: Token, at: DateTime<Utc>) -> Effect {
    let id = token.id;
    token.revoked_at = Some(at);
    Effect {
        audit: Some((format!("token/{id}"), json!({ "id": id }))),
        applied: Applied::Token { token },
    }
}
