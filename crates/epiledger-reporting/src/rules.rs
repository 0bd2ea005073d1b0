//! The reporting workflow's rules, written once for every store: each change's checks and
//! their messages, what a change answers, and what it writes to the audit log. A store runs
//! them inside its transaction (`epiledger_store::workflow`) with the few reads and writes
//! they need; nothing here does I/O.

use chrono::{DateTime, Utc};
use epiledger_core::{content, time, Date, Day, RegionCode, Source, SourceKind};
use serde_json::json;

use crate::audit::{entry_hash, GENESIS_HASH};
use crate::{
    Actor, Applied, BasisEntry, ChangeRequest, Committed, Erratum, IdempotencyKey, Refusal,
    Release, ReleaseStatus, Report, Role, Token,
};

// ----- a change and its audit entry -----

/// What a change wrote, for the audit log.
pub struct Effect {
    pub applied: Applied,
    /// (target, detail) when something was stored.
    pub audit: Option<(String, serde_json::Value)>,
}

/// The audit chain's head during a transaction.
pub struct Chain {
    pub seq: i64,
    pub hash: String,
}

impl Chain {
    /// The chain after the newest entry (seq, hash), or before the first.
    pub fn after(newest: Option<(i64, String)>) -> Chain {
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
pub fn idempotency_token(token_id: Option<i64>) -> i64 {
    token_id.unwrap_or(0)
}

/// Checks a repeated retry key: the stored request must be this request (`request_hash`);
/// the store then answers its stored response again.
pub fn replay(idem: &IdempotencyKey, stored_request_hash: &str) -> Result<(), Refusal> {
    if stored_request_hash != idem.request_hash {
        return Err(Refusal::IdempotencyMismatch(idem.key.clone()));
    }
    Ok(())
}

/// An audit entry to write, chained after the head.
pub struct AuditRecord<'a> {
    pub seq: i64,
    pub action: &'static str,
    pub target: &'a str,
    /// The detail as stored (JSON text).
    pub detail: String,
    pub prev_hash: &'a str,
    pub hash: String,
}

/// The audit entry of a change that stored something (`effect.audit`), after `chain`.
pub fn audit_record<'a>(
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
pub fn committed(applied: Applied, record: Option<AuditRecord>) -> (Committed, Option<Chain>) {
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

fn conflict(msg: impl Into<String>) -> Refusal {
    Refusal::Conflict(msg.into())
}

// ----- reports and cutoffs -----

/// The newest version of a report, without its body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportHead {
    /// Its version.
    pub version: u32,
    /// [`Report::content_hash`].
    pub content_hash: String,
    /// When it was stored.
    pub submitted_at: DateTime<Utc>,
}

/// A revision's reason, trimmed; none if empty.
pub fn reason(reason: Option<&str>) -> Option<&str> {
    reason.map(str::trim).filter(|r| !r.is_empty())
}

/// What a report is against the newest stored version of its unit and day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Revision {
    /// The unit's first report of the day: version 1.
    First,
    /// The same figures as the newest version: nothing to store.
    Unchanged,
    /// Different figures: the next version, which needs a reason.
    Revises,
}

/// The one rule of revisions, for validation (a dry run, the form) and for the store alike: a
/// report that differs from the unit's newest version of the day supersedes it and needs a
/// reason ([`reason`]). `newest` is that version's (version, content hash).
pub fn revision(
    report: &Report,
    hash: &str,
    newest: Option<(u32, &str)>,
    reason: Option<&str>,
) -> Result<Revision, Refusal> {
    match newest {
        None => Ok(Revision::First),
        Some((_, h)) if h == hash => Ok(Revision::Unchanged),
        Some(_) if self::reason(reason).is_some() => Ok(Revision::Revises),
        Some((version, _)) => Err(Refusal::NeedsReason(format!(
            "{} already reported {} (version {version}); this report is a revision and needs a \
             reason: give `reason`, why it supersedes the previous version",
            report.unit, report.date
        ))),
    }
}

/// What to do with a submitted report.
pub enum Submission {
    /// It equals the newest version: answer this, store nothing.
    Unchanged(Box<Effect>),
    /// Store it as this version.
    Store(u32),
}

/// Decides a submitted (canonical) report with content hash `hash`, given the newest stored
/// version: unchanged, version 1, or a revision (which needs a reason and a later time).
pub fn submission(
    report: &Report,
    hash: &str,
    newest: Option<ReportHead>,
    reason: Option<&str>,
    at: DateTime<Utc>,
) -> Result<Submission, Refusal> {
    let (date, unit) = (report.date, report.unit);
    let state = revision(
        report,
        hash,
        newest
            .as_ref()
            .map(|n| (n.version, n.content_hash.as_str())),
        reason,
    )?;
    Ok(match (state, newest) {
        (Revision::Unchanged, Some(n)) => Submission::Unchanged(Box::new(Effect {
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
        (Revision::Revises, Some(n)) if at < n.submitted_at => {
            return Err(conflict(format!(
                "cannot store a revision of {unit} {date} at {}: version {} was stored later, at \
                 {}; check the system clock",
                time::format(at),
                n.version,
                time::format(n.submitted_at)
            )))
        }
        (Revision::Revises, Some(n)) => Submission::Store(n.version + 1),
        _ => Submission::Store(1),
    })
}

/// What storing a report as `version` did.
pub fn report_stored(
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
pub fn cutoff_set(date: Date, cutoff: DateTime<Utc>) -> Effect {
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
pub struct ApproveArgs<'a> {
    pub date: Date,
    pub day: &'a Day,
    pub basis: &'a [BasisEntry],
    pub base_version: Option<u32>,
    pub errata: &'a [Erratum],
    pub note: Option<&'a str>,
}

/// The newest published version of a day: (version, content hash).
pub type Published = (u32, String);

/// Checks that the compiled day is of the approval's date.
pub fn check_compiled_date(a: &ApproveArgs) -> Result<(), Refusal> {
    if a.day.date != Some(a.date) {
        return Err(Refusal::Invalid(format!(
            "the compiled day is dated {:?}, not {}",
            a.day.date.map(|d| d.to_string()),
            a.date
        )));
    }
    Ok(())
}

/// Checks that the approval's basis is the newest report of each unit, `current` (unit, newest
/// version) in unit order; returns the basis sorted.
pub fn checked_basis(a: &ApproveArgs, current: &[BasisEntry]) -> Result<Vec<BasisEntry>, Refusal> {
    let mut basis: Vec<BasisEntry> = a.basis.to_vec();
    basis.sort();
    let mut current = current.to_vec();
    current.sort();
    if basis != current {
        let now: Vec<String> = current
            .iter()
            .map(|b| format!("{} v{}", b.unit, b.version))
            .collect();
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
pub fn checked_day(
    a: &ApproveArgs,
    published: Option<&Published>,
) -> Result<(Day, String), Refusal> {
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
pub fn approved(
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
pub fn publishable(
    id: i64,
    found: Option<(Release, Option<Day>)>,
) -> Result<(Release, Day), Refusal> {
    let Some((release, Some(day))) = found else {
        return Err(Refusal::NotFound(format!(
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
pub fn release_source(release: &Release, published: Option<&Published>) -> Result<Source, Refusal> {
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
pub fn published(mut release: Release, number: u32, actor: &Actor, at: DateTime<Utc>) -> Effect {
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
pub fn check_new_token(hash: &str, role: Role, unit: Option<RegionCode>) -> Result<(), Refusal> {
    if !content::is_sha256_hex(hash) {
        return Err(Refusal::Invalid(
            "a token is stored as the SHA-256 of its secret (64 hex digits)".into(),
        ));
    }
    match (role, unit) {
        (Role::Reporter, None) => Err(Refusal::Invalid(
            "a reporter token is bound to one reporting unit: give its unit".into(),
        )),
        (Role::Compiler | Role::Admin, Some(_)) => Err(Refusal::Invalid(format!(
            "a {role} token is not bound to a unit: give no unit"
        ))),
        _ => Ok(()),
    }
}

/// A new token whose hash is stored already.
pub fn token_exists() -> Refusal {
    conflict("a token with this secret exists already")
}

/// What storing a new token as `id` did.
pub fn token_created(
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
            json!({ "id": id, "role": role.name(), "unit": unit.map(|u| u.to_string()), "label": label }),
        )),
        applied: Applied::Token { token },
    }
}

/// The token `id` to revoke (as found): it must exist and not be revoked yet.
pub fn revocable(id: i64, found: Option<Token>) -> Result<Token, Refusal> {
    let Some(token) = found else {
        return Err(Refusal::NotFound(format!(
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
pub fn token_revoked(mut token: Token, at: DateTime<Utc>) -> Effect {
    let id = token.id;
    token.revoked_at = Some(at);
    Effect {
        audit: Some((format!("token/{id}"), json!({ "id": id }))),
        applied: Applied::Token { token },
    }
}

// ----- the case register -----

/// A batch of case events stored in `segments` parts of `bytes` bytes in all, whose SHA-256 is
/// `sha256`.
pub fn cases_recorded(
    (events, units): (u64, &[RegionCode]),
    segments: u32,
    bytes: u64,
    sha256: String,
) -> Effect {
    let units: Vec<String> = units.iter().map(|u| u.to_string()).collect();
    Effect {
        audit: Some((
            "cases".to_string(),
            json!({
                "events": events,
                "segments": segments,
                "bytes": bytes,
                "sha256": sha256,
                "units": units,
            }),
        )),
        applied: Applied::Cases {
            events,
            segments,
            bytes,
            sha256,
        },
    }
}

/// A batch of case events with no event: nothing to store.
pub fn empty_case_batch() -> Refusal {
    Refusal::Invalid("the batch holds no new case event; nothing was stored".into())
}

/// A read of a card's personal data, for the audit log.
pub fn case_read(card: &str) -> Effect {
    Effect {
        audit: Some((format!("case/{card}"), json!({ "card": card }))),
        applied: Applied::CaseRead {
            card: card.to_string(),
        },
    }
}
