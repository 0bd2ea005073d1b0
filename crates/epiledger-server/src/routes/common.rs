//! What the resources share: the parameters of a day, of `as_of` and of a retry key; the
//! answers to a change; the published releases as the public sees them. No resource module is
//! used here, so that each of them may use this.

use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use chrono::Utc;
use epiledger_core::{registry, time, Date, RegionId};
use epiledger_store::{
    Applied, Committed, Erratum, IdempotencyKey, Release, ReleaseStatus, ReportingStore, Token,
    VersionInfo,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{json_response, ok};
use crate::bulletin::{Publication, SourceRef};
use crate::error::ApiError;
use crate::ledger_cache::Known;
use crate::params::{Instant, Unit};
use crate::state::Shared;
use epiledger_store::Span;
use epiledger_store::{ChangeError, Refusal};

/// The `Idempotency-Key` header of a change.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct IdempotencyHeader {
    /// A retry key: a repeated request with the same key from the same token returns the first
    /// answer and stores nothing twice (1–255 visible ASCII characters).
    #[param(
        rename = "Idempotency-Key",
        pattern = r"^[\x21-\x7E]{1,255}$",
        min_length = 1,
        max_length = 255
    )]
    pub idempotency_key: Option<String>,
}

/// `as_of`: what was known at a time.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AsOf {
    /// Answer with what was known at this time (RFC 3339), e.g. 2023-01-06T08:00:00Z.
    pub as_of: Option<Instant>,
}

/// The answer to a change: the same body for the first request and a replay of its retry key.
pub fn committed_response(c: &Committed) -> Response {
    let mut res = match &c.applied {
        Applied::Report {
            date,
            unit,
            version,
            content_hash,
            submitted_at,
            unchanged,
        } => json_response(
            if *unchanged {
                StatusCode::OK
            } else {
                StatusCode::CREATED
            },
            &ReportStored {
                date: *date,
                unit: unit.to_string(),
                version: *version,
                content_hash: content_hash.clone(),
                submitted_at: time::format(*submitted_at),
                unchanged: *unchanged,
                audit_seq: c.audit_seq,
            },
        ),
        Applied::Cutoff { date, cutoff } => ok(&CutoffSet {
            date: *date,
            cutoff: time::format(*cutoff),
            audit_seq: c.audit_seq,
        }),
        Applied::Release { release } => json_response(
            if release.status == ReleaseStatus::Approved {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            },
            &ReleaseChanged {
                release: release.clone(),
                audit_seq: c.audit_seq,
            },
        ),
        Applied::Token { token } => ok(&TokenChanged {
            token: token.clone(),
            audit_seq: c.audit_seq,
        }),
        Applied::Cases { events, sha256, .. } => stored_response(*events, sha256, c.audit_seq),
        Applied::CaseRead { card } => {
            ok(&serde_json::json!({ "card": card, "audit_seq": c.audit_seq }))
        }
    };
    if c.replayed {
        res.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    res
}

/// The stored answer to a repeated retry key, if any.
pub async fn replay(
    app: &Shared,
    token_id: Option<i64>,
    key: &IdempotencyKey,
) -> Result<Option<Committed>, ApiError> {
    let k = key.key.clone();
    let found = app
        .readers
        .quick(move |s| s.idempotent(token_id, &k).map_err(ApiError::from))
        .await?;
    match found {
        None => Ok(None),
        Some((hash, _)) if hash != key.request_hash => {
            Err(ChangeError::Refused(Refusal::IdempotencyMismatch(key.key.clone())).into())
        }
        Some((_, c)) => Ok(Some(c)),
    }
}

/// A reporting day.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Path)]
pub struct DatePath {
    /// The reporting day, YYYY-MM-DD (Beijing time, 0–24h).
    pub date: Date,
}

/// A cutoff set.
#[derive(Serialize, ToSchema)]
pub struct CutoffSet {
    /// The day.
    pub date: Date,
    /// The cutoff.
    #[schema(value_type = String, format = DateTime)]
    pub cutoff: String,
    /// Its audit log entry.
    pub audit_seq: Option<i64>,
}

/// No query parameters.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct NoQuery {}

/// A published release as the public sees it.
#[derive(Serialize, ToSchema)]
pub struct PublicRelease {
    /// The day.
    pub date: Date,
    /// The release number: the day's version.
    pub number: u32,
    /// Who published it, and when (`publisher`, `published_on`, `published_at`: null for a
    /// bulletin of the NHC, whose hour is not known).
    #[serde(flatten)]
    pub publication: Publication,
    /// When this ledger recorded it: what `as_of` takes to read the day as it was then.
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: String,
    /// The content hash of the published day.
    pub content_hash: String,
    /// Where it came from: a bulletin, the shipped history, or a release of the units' reports.
    pub source: SourceRef,
    /// The release's id, for a release compiled from the units' reports (absent for a day of
    /// the shipped history or an imported bulletin).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_id: Option<i64>,
    /// What it changes from the previous release.
    pub errata: Vec<Erratum>,
    /// What changed from the previous version, in one line.
    pub summary: String,
}

fn public_release(v: &VersionInfo, rel: Option<&Release>) -> PublicRelease {
    PublicRelease {
        date: v.date,
        number: v.version,
        publication: Publication::of(v.date, v.source.kind, v.recorded_at),
        recorded_at: time::format(v.recorded_at),
        content_hash: v.content_hash.clone(),
        source: SourceRef {
            kind: v.source.kind,
            name: v.source.name.clone(),
        },
        release_id: rel.map(|r| r.id),
        errata: rel.map(|r| r.errata.clone()).unwrap_or_default(),
        summary: v.summary.clone(),
    }
}

/// The published releases of `from..=to` as of a time, oldest first.
pub fn published_list(
    s: &dyn ReportingStore,
    from: Option<Date>,
    to: Option<Date>,
    as_of: Option<chrono::DateTime<Utc>>,
) -> Result<Vec<PublicRelease>, ApiError> {
    let versions = s.published_versions(Span::new(from, to, as_of))?;
    let releases = s.releases(Span::new(from, to, as_of))?;
    Ok(versions
        .iter()
        .map(|v| {
            let rel = releases.iter().find(|r| {
                r.date == v.date
                    && r.number == Some(v.version)
                    && r.status == ReleaseStatus::Published
            });
            public_release(v, rel)
        })
        .collect())
}

/// A release approved or published.
#[derive(Serialize, ToSchema)]
pub struct ReleaseChanged {
    /// The release.
    pub release: Release,
    /// Its audit log entry.
    pub audit_seq: Option<i64>,
}

/// A token revoked.
#[derive(Serialize, ToSchema)]
pub struct TokenChanged {
    /// The token.
    pub token: Token,
    /// Its audit log entry.
    pub audit_seq: Option<i64>,
}

/// A report stored, or found equal to the newest version (`unchanged`).
#[derive(Serialize, ToSchema)]
pub struct ReportStored {
    /// The day.
    pub date: Date,
    /// The unit.
    #[schema(value_type = Unit)]
    pub unit: String,
    /// The version that is now the newest.
    pub version: u32,
    /// Its content hash (SHA-256 of the canonical report).
    pub content_hash: String,
    /// When that version was stored.
    #[schema(value_type = String, format = DateTime)]
    pub submitted_at: String,
    /// Whether the report equals the newest version, so that nothing was stored.
    pub unchanged: bool,
    /// Its audit log entry (none when nothing was stored).
    pub audit_seq: Option<i64>,
}

/// The `region` parameter of a public read: a code (default 100000, the nation), an ISO code
/// or a name; one that names no region is a 404.
pub fn region_param(text: Option<&str>) -> Result<RegionId, ApiError> {
    let text = text.unwrap_or("100000");
    if let Ok(id) = text.parse::<RegionId>() {
        if registry().get(id.code()).is_some() {
            return Ok(id);
        }
    }
    registry().resolve(text).map(RegionId::Code).map_err(|e| {
        let mut err = ApiError::not_found(format!(
            "region: {e}; give a region code such as 110000, an ISO code (CN-BJ) or a name"
        ));
        err.problems.push(epiledger_reporting::Problem::new(
            "unknown_region",
            epiledger_reporting::Loc::param("region"),
            e.to_string(),
            Some("a region code such as 110000".into()),
        ));
        err
    })
}

/// The whole published ledger as of a time, with its implied zeros: kept by the server
/// ([`crate::ledger_cache`]), or read and kept. A 404 when nothing was published by then.
pub async fn ledger_as_of(
    app: &Shared,
    as_of: Option<chrono::DateTime<Utc>>,
) -> Result<std::sync::Arc<Known>, ApiError> {
    if let Some(k) = app.ledgers.get(as_of) {
        return Ok(k);
    }
    let days = app
        .readers
        .run(move |s| s.days(Span::new(None, None, as_of)).map_err(ApiError::from))
        .await?;
    if days.is_empty() {
        return Err(ApiError::not_found(format!(
            "nothing was published{}; GET /api/v1/releases lists the published days",
            as_of
                .map(|t| format!(" as of {}", time::format(t)))
                .unwrap_or_default()
        )));
    }
    let k = std::sync::Arc::new(Known::new(days.into_iter().map(|d| d.day)));
    app.ledgers.put(as_of, std::sync::Arc::clone(&k));
    Ok(k)
}

/// What storing a batch of events did.
#[derive(Serialize, ToSchema)]
pub struct CasesStored {
    /// Events recorded by this batch.
    pub recorded: u64,
    /// Rows whose event id was recorded before (nothing changed for them); absent in a
    /// replayed answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicates: Option<u64>,
    /// SHA-256 of the batch as stored (absent when nothing was stored).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The batch's audit log entry (absent when nothing was stored).
    pub audit_seq: Option<i64>,
}

/// The 201 answer of a stored batch (also a replay of its Idempotency-Key).
pub fn stored_response(recorded: u64, sha256: &str, audit_seq: Option<i64>) -> Response {
    json_response(
        StatusCode::CREATED,
        &CasesStored {
            recorded,
            duplicates: None,
            sha256: Some(sha256.to_string()),
            audit_seq,
        },
    )
}
