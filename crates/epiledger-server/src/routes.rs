//! The endpoints. Who may call what:
//!
//! | endpoint | public | reporter | compiler | admin |
//! |---|---|---|---|---|
//! | `GET /healthz`, `/api/v1/openapi.json`, `/whoami` | ✓ | ✓ | ✓ | ✓ |
//! | `GET /bulletins/{date}`, `/releases`, `/series`, `/facts`, `/days/{date}/releases` | ✓ (published) | ✓ | ✓ (+ approvals) | ✓ |
//! | `POST /reports[?dry_run=true]` | | own unit | national figures (`100000`) | |
//! | `GET /reports/{date}/{unit}[/versions]` | | own unit | ✓ | |
//! | `GET /days/{date}/board`, `/compilation`, `/compilation/bulletin`; `PUT /cutoff`; `POST /releases`, `/publish` | | | ✓ | |
//! | `/tokens`, `/audit-log` | | | | ✓ |

use std::fmt::Write as _;
use std::sync::OnceLock;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use epiledger_core::{registry, Date, Measure, Origin, RegionCode, RegionId};
use epiledger_store::{
    auditlog, time, Applied, Change, ChangeRequest, Committed, IdempotencyKey, Release,
    ReleaseStatus, ReportingStore, Role, SourceKind, StoredReport,
};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::app::{
    json_body, media_type, path_date, path_unit, unsupported, Auth, Client, Params, RawBody,
    Segments, Shared,
};
use crate::bulletin::{self, Format, Lang, Published};
use crate::error::{ApiError, Loc, Problem};
use crate::http_cache;
use epiledger_reporting::compile::{self, Compilation, Inputs};
use epiledger_reporting::validate::{self, Context};

fn json_response(status: StatusCode, v: &impl serde::Serialize) -> Response {
    let body = serde_json::to_vec(v).unwrap_or_else(|_| b"null".to_vec());
    let mut res = (status, body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

fn ok(v: &impl serde::Serialize) -> Response {
    json_response(StatusCode::OK, v)
}

/// The retry key of a request, with a hash of what the request asks.
fn idempotency_key(
    headers: &HeaderMap,
    method: &Method,
    uri: &Uri,
    body: &[u8],
) -> Result<Option<IdempotencyKey>, ApiError> {
    let Some(v) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = v
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or_else(|| {
            ApiError::bad_param(
                "Idempotency-Key",
                "is not 1–255 visible ASCII characters",
                "a unique key per request, such as a UUID",
            )
        })?;
    let mut h = Sha256::new();
    h.update(method.as_str().as_bytes());
    h.update(b"\n");
    h.update(uri.to_string().as_bytes());
    h.update(b"\n");
    h.update(media_type(headers).unwrap_or_default().as_bytes());
    h.update(b"\n");
    h.update(body);
    Ok(Some(IdempotencyKey {
        key: key.to_string(),
        request_hash: hex::encode(h.finalize()),
    }))
}

/// The stored answer to a repeated retry key, if any.
async fn replay(
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
            Err(epiledger_store::ChangeError::IdempotencyMismatch(key.key.clone()).into())
        }
        Some((_, c)) => Ok(Some(c)),
    }
}

/// The answer to a change: the same body for the first request and a replay.
fn committed_response(c: &Committed) -> Response {
    let (status, body) = match &c.applied {
        Applied::Report {
            date,
            unit,
            version,
            content_hash,
            submitted_at,
            unchanged,
        } => (
            if *unchanged {
                StatusCode::OK
            } else {
                StatusCode::CREATED
            },
            json!({
                "date": date, "unit": unit.to_string(), "version": version,
                "content_hash": content_hash, "submitted_at": time::format(*submitted_at),
                "unchanged": unchanged, "audit_seq": c.audit_seq,
            }),
        ),
        Applied::Cutoff { date, cutoff } => (
            StatusCode::OK,
            json!({ "date": date, "cutoff": time::format(*cutoff), "audit_seq": c.audit_seq }),
        ),
        Applied::Release { release } => (
            if release.status == ReleaseStatus::Approved {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            },
            json!({ "release": release, "audit_seq": c.audit_seq }),
        ),
        Applied::Token { token } => (
            StatusCode::OK,
            json!({ "token": token, "audit_seq": c.audit_seq }),
        ),
    };
    let mut res = json_response(status, &body);
    if c.replayed {
        res.headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    res
}

/// `GET /healthz`.
pub async fn healthz(State(app): State<Shared>) -> Result<Response, ApiError> {
    app.readers
        .quick(|s| {
            s.token_by_hash(&"0".repeat(64))
                .map(|_| ())
                .map_err(ApiError::from)
        })
        .await?;
    Ok(ok(
        &json!({ "status": "ok", "version": env!("CARGO_PKG_VERSION") }),
    ))
}

/// `GET /api/v1/openapi.json`.
pub async fn openapi(headers: HeaderMap) -> Response {
    static DOC: OnceLock<Bytes> = OnceLock::new();
    let body = DOC.get_or_init(|| Bytes::from(crate::openapi::document().to_string()));
    http_cache::respond(
        &headers,
        "application/json",
        body.clone(),
        http_cache::LATEST,
    )
}

/// `GET /api/v1/whoami`.
pub async fn whoami(Auth(who): Auth) -> Response {
    match &who.token {
        None => ok(&json!({ "role": "public" })),
        Some(t) => ok(&json!({
            "role": t.role, "unit": t.unit.map(|u| u.to_string()), "token_id": t.id,
            "label": t.label,
        })),
    }
}

/// The store's view of the unit's recent days, for the checks.
fn load_context(s: &dyn ReportingStore, date: Date, unit: RegionCode) -> Result<Context, ApiError> {
    let from = Date::from(date.naive() - Duration::days(validate::RECENT_DAYS));
    let recent = s.unit_reports(unit, from, date.pred(), None)?;
    let previous = match recent.last().filter(|r| r.report.date == date.pred()) {
        Some(r) => Some((
            r.report.to_day(),
            format!("{unit}'s report (version {}) of", r.version),
        )),
        None if unit != RegionCode::NATION => s
            .day(date.pred(), None)?
            .map(|d| validate::unit_facts(&d.day, unit))
            .filter(|d| !d.facts.is_empty())
            .map(|d| (d, "the published figures of".to_string())),
        None => None,
    };
    let existing = s.report(date, unit, None)?;
    Ok(Context {
        previous,
        recent,
        existing,
    })
}

/// `POST /api/v1/reports`: a unit's report of a day, as JSON or CSV.
#[allow(clippy::too_many_arguments)]
pub async fn submit_report(
    State(app): State<Shared>,
    Auth(who): Auth,
    Client(addr): Client,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    params: Params,
    RawBody(body): RawBody,
) -> Result<Response, ApiError> {
    who.require(&[Role::Reporter, Role::Compiler], "submitting a report")?;
    params.check(&["reason", "acknowledge", "dry_run"])?;
    let dry_run = dry_run_param(&params)?;
    // A dry run stores nothing, so it has nothing to replay either.
    let idem = if dry_run {
        None
    } else {
        idempotency_key(&headers, &method, &uri, &body)?
    };
    if let Some(k) = &idem {
        if let Some(c) = replay(&app, who.token_id(), k).await? {
            return Ok(committed_response(&c));
        }
    }
    let today = Date::today(Utc::now());
    let mut parsed = match media_type(&headers).as_deref() {
        Some("application/json") => validate::parse_json(&body, today)?,
        Some("text/csv") => validate::parse_csv(&body, today)?,
        other => return Err(unsupported(other, "application/json or text/csv")),
    };
    if let Some(r) = params.get("reason") {
        match &parsed.draft.reason {
            Some(b) if b != r => parsed.problems.push(Problem::new(
                "reason_conflict",
                Loc::param("reason"),
                "the reason is given both in the body and as a parameter, differently",
                Some("one reason".into()),
            )),
            _ => parsed.draft.reason = Some(r.to_string()),
        }
    }
    if let Some(a) = params.get("acknowledge") {
        parsed.draft.acknowledge.extend(
            a.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        );
    }
    if let Some(unit) = parsed.draft.unit {
        match (who.role(), who.unit()) {
            (Some(Role::Reporter), Some(own)) if own != unit => {
                return Err(ApiError::forbidden(format!(
                    "this reporter token is bound to unit {own}; it may not submit {unit}'s \
                     report; nothing was stored"
                )))
            }
            (Some(Role::Compiler), _) if unit != RegionCode::NATION => {
                return Err(ApiError::forbidden(format!(
                    "a compiler submits only the national figures (unit 100000), not {unit}'s \
                     report; nothing was stored"
                )))
            }
            _ => {}
        }
    }
    let reason = parsed
        .draft
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    let checked = app
        .readers
        .quick(move |s| {
            let ctx = match (parsed.draft.date, parsed.draft.unit) {
                (Some(d), Some(u)) => load_context(s, d, u)?,
                _ => Context::default(),
            };
            Ok(validate::check(parsed, &ctx))
        })
        .await?;
    if !checked.problems.is_empty() {
        let n = checked.problems.len();
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_report",
            format!(
                "the report was rejected whole: {n} problem{} (listed in `problems`); nothing was \
                 stored",
                if n == 1 { "" } else { "s" }
            ),
        );
        e.problems = checked.problems;
        e.warnings = checked.warnings;
        return Err(e);
    }
    if dry_run {
        return Ok(dry_run_response(&checked));
    }
    if !checked.unacknowledged.is_empty() {
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unacknowledged_warnings",
            format!(
                "the report has {} plausibility warning(s) against the unit's recent days; check \
                 the figures, then correct them or acknowledge the warnings by their ids \
                 (`acknowledge`); nothing was stored",
                checked.unacknowledged.len()
            ),
        );
        e.warnings = checked
            .warnings
            .into_iter()
            .filter(|w| checked.unacknowledged.contains(&w.id))
            .collect();
        return Err(e);
    }
    let Some(report) = checked.report else {
        return Err(ApiError::unavailable(
            "the report could not be checked; retry",
        ));
    };
    let committed = app
        .writer
        .apply(ChangeRequest {
            change: Change::SubmitReport { report, reason },
            actor: who.actor(&addr),
            idempotency: idem,
        })
        .await?;
    Ok(committed_response(&committed))
}

/// `dry_run`: `true` or `false` (absent: false).
fn dry_run_param(params: &Params) -> Result<bool, ApiError> {
    match params.get("dry_run") {
        None | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") | Some("") => Ok(true),
        Some(other) => Err(ApiError::bad_param(
            "dry_run",
            format!("`{other}` is not a boolean"),
            "true or false",
        )),
    }
}

/// The answer to a dry run of a report without problems: valid, with every warning (and
/// which are not acknowledged yet); nothing is stored.
fn dry_run_response(checked: &validate::Checked) -> Response {
    let report = checked.report.as_ref();
    ok(&json!({
        "dry_run": true,
        "valid": true,
        "stored": false,
        "date": report.map(|r| r.date),
        "unit": report.map(|r| r.unit.to_string()),
        "content_hash": report.map(|r| r.content_hash()),
        "unchanged": checked.unchanged,
        "warnings": checked.warnings,
        "unacknowledged": checked.unacknowledged,
        "submittable": checked.unacknowledged.is_empty(),
    }))
}

fn report_json(r: &StoredReport) -> Value {
    json!({
        "date": r.report.date, "unit": r.report.unit.to_string(), "version": r.version,
        "reason": r.reason, "submitted_at": time::format(r.submitted_at),
        "submitted_by": r.submitted_by, "content_hash": r.content_hash,
        "figures": r.report.figures, "corrections": r.report.corrections,
        "acknowledged": r.report.acknowledged,
    })
}

fn date_unit(seg: &Segments) -> Result<(Date, RegionCode), ApiError> {
    match seg.0.as_slice() {
        [d, u, ..] => Ok((path_date(d)?, path_unit(u)?)),
        _ => Err(ApiError::bad_request(
            "invalid_path",
            "the path needs a date and a unit",
        )),
    }
}

pub(crate) fn first_date(seg: &Segments) -> Result<Date, ApiError> {
    seg.0
        .first()
        .ok_or_else(|| ApiError::bad_request("invalid_path", "the path needs a date"))
        .and_then(|d| path_date(d))
}

/// `GET /api/v1/reports/{date}/{unit}`.
pub async fn get_report(
    State(app): State<Shared>,
    Auth(who): Auth,
    seg: Segments,
    params: Params,
) -> Result<Response, ApiError> {
    params.check(&["as_of"])?;
    let (date, unit) = date_unit(&seg)?;
    who.require_unit(unit, "reading a unit's report")?;
    let as_of = params.as_of()?;
    let found = app
        .readers
        .quick(move |s| s.report(date, unit, as_of).map_err(ApiError::from))
        .await?;
    match found {
        Some(r) => Ok(ok(&report_json(&r))),
        None => Err(ApiError::not_found(format!(
            "{unit} has no report of {date}{}",
            as_of
                .map(|t| format!(" as of {}", time::format(t)))
                .unwrap_or_default()
        ))),
    }
}

/// `GET /api/v1/reports/{date}/{unit}/versions`.
pub async fn report_versions(
    State(app): State<Shared>,
    Auth(who): Auth,
    seg: Segments,
    params: Params,
) -> Result<Response, ApiError> {
    params.check(&["as_of"])?;
    let (date, unit) = date_unit(&seg)?;
    who.require_unit(unit, "reading a unit's reports")?;
    let as_of = params.as_of()?;
    let mut versions = app
        .readers
        .quick(move |s| s.report_versions(date, unit).map_err(ApiError::from))
        .await?;
    if let Some(t) = as_of {
        versions.retain(|v| v.submitted_at <= t);
    }
    let list: Vec<Value> = versions.iter().map(report_json).collect();
    Ok(ok(
        &json!({ "date": date, "unit": unit.to_string(), "versions": list }),
    ))
}

/// `GET /api/v1/days/{date}/board`.
pub async fn board(
    State(app): State<Shared>,
    Auth(who): Auth,
    seg: Segments,
    params: Params,
) -> Result<Response, ApiError> {
    who.require(&[Role::Compiler], "the completeness board")?;
    params.check(&["as_of"])?;
    let date = first_date(&seg)?;
    let as_of = params.as_of()?;
    let cutoff_time = app.config.cutoff_time;
    let b = app
        .readers
        .run(move |s| {
            let set = s.cutoff(date, as_of)?;
            let reports = s.day_reports(date, as_of)?;
            let cutoff = set.unwrap_or_else(|| compile::default_cutoff(date, cutoff_time));
            Ok(compile::board(
                date,
                cutoff,
                set.is_some(),
                as_of.unwrap_or_else(Utc::now),
                &reports,
            ))
        })
        .await?;
    Ok(ok(&b))
}

/// The compilation of a day as of a time (now if `None`).
pub(crate) fn compilation_of(
    s: &dyn ReportingStore,
    date: Date,
    as_of: Option<chrono::DateTime<Utc>>,
) -> Result<Compilation, ApiError> {
    let reports = s.day_reports(date, as_of)?;
    let previous = s.day(date.pred(), as_of)?;
    let published = s.day(date, as_of)?;
    let basis = match &published {
        Some(p) if p.source.kind == SourceKind::Report => s
            .releases(Some(date), Some(date), as_of)?
            .into_iter()
            .find(|r| r.number == Some(p.version))
            .map(|r| r.basis),
        _ => None,
    };
    Ok(compile::compile(Inputs {
        date,
        as_of: as_of.unwrap_or_else(Utc::now),
        reports: &reports,
        previous: previous.as_ref().map(|p| &p.day),
        published: published.as_ref().map(|p| compile::Publication {
            day: &p.day,
            version: p.version,
            kind: p.source.kind,
        }),
        published_basis: basis.as_deref(),
    }))
}

/// `GET /api/v1/days/{date}/compilation`.
pub async fn compilation(
    State(app): State<Shared>,
    Auth(who): Auth,
    seg: Segments,
    params: Params,
) -> Result<Response, ApiError> {
    who.require(&[Role::Compiler], "the national compilation")?;
    params.check(&["as_of"])?;
    let date = first_date(&seg)?;
    let as_of = params.as_of()?;
    let c = app
        .readers
        .run(move |s| compilation_of(s, date, as_of))
        .await?;
    Ok(ok(&c))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CutoffBody {
    cutoff: String,
}

/// `PUT /api/v1/days/{date}/cutoff` with `{"cutoff": "2023-01-06T06:00:00+08:00"}`.
#[allow(clippy::too_many_arguments)]
pub async fn set_cutoff(
    State(app): State<Shared>,
    Auth(who): Auth,
    Client(addr): Client,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    seg: Segments,
    params: Params,
    RawBody(body): RawBody,
) -> Result<Response, ApiError> {
    who.require(&[Role::Compiler], "setting a cutoff")?;
    params.check(&[])?;
    let date = first_date(&seg)?;
    let b: CutoffBody = json_body(
        &headers,
        &body,
        "{\"cutoff\": \"2023-01-06T06:00:00+08:00\"}",
    )?;
    let cutoff = time::parse(&b.cutoff).ok_or_else(|| {
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            format!("`{}` is not an RFC 3339 time", b.cutoff),
        );
        e.problems.push(Problem::new(
            "invalid_time",
            Loc::pointer("/cutoff"),
            "not an RFC 3339 time",
            Some("such as 2023-01-06T06:00:00+08:00".into()),
        ));
        e
    })?;
    let idem = idempotency_key(&headers, &method, &uri, &body)?;
    let c = app
        .writer
        .apply(ChangeRequest {
            change: Change::SetCutoff { date, cutoff },
            actor: who.actor(&addr),
            idempotency: idem,
        })
        .await?;
    Ok(committed_response(&c))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApproveBody {
    content_hash: String,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    accept_discrepancies: bool,
}

/// `POST /api/v1/days/{date}/releases` with `{"content_hash": …}`: approves the compilation
/// the compiler reviewed.
#[allow(clippy::too_many_arguments)]
pub async fn approve(
    State(app): State<Shared>,
    Auth(who): Auth,
    Client(addr): Client,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    seg: Segments,
    params: Params,
    RawBody(body): RawBody,
) -> Result<Response, ApiError> {
    who.require(&[Role::Compiler], "approving a release")?;
    params.check(&[])?;
    let date = first_date(&seg)?;
    let b: ApproveBody = json_body(
        &headers,
        &body,
        "{\"content_hash\": \"<the compilation's content_hash>\"}",
    )?;
    let idem = idempotency_key(&headers, &method, &uri, &body)?;
    if let Some(k) = &idem {
        if let Some(c) = replay(&app, who.token_id(), k).await? {
            return Ok(committed_response(&c));
        }
    }
    let c = app
        .readers
        .run(move |s| compilation_of(s, date, None))
        .await?;
    if c.basis.is_empty() {
        return Err(ApiError::conflict(format!(
            "no unit has reported {date}: there is nothing to compile"
        )));
    }
    if c.content_hash != b.content_hash.trim().to_ascii_lowercase() {
        return Err(ApiError::conflict(format!(
            "the compilation of {date} changed since it was reviewed: its content hash is now \
             {}; review GET /api/v1/days/{date}/compilation again and approve that hash",
            c.content_hash
        )));
    }
    if !c.discrepancies.is_empty() && !b.accept_discrepancies {
        return Err(ApiError::conflict(format!(
            "the compilation of {date} has {} discrepancies with the national figures ({}); \
             have them resolved, or approve with \"accept_discrepancies\": true",
            c.discrepancies.len(),
            c.discrepancies
                .iter()
                .map(|d| d.message.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }
    let committed = app
        .writer
        .apply(ChangeRequest {
            change: Change::ApproveRelease {
                date,
                day: c.day,
                basis: c.basis,
                base_version: c.base_version,
                errata: c.errata,
                note: b.note,
            },
            actor: who.actor(&addr),
            idempotency: idem,
        })
        .await?;
    Ok(committed_response(&committed))
}

/// `POST /api/v1/releases/{id}/publish`.
#[allow(clippy::too_many_arguments)]
pub async fn publish(
    State(app): State<Shared>,
    Auth(who): Auth,
    Client(addr): Client,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    seg: Segments,
    params: Params,
    RawBody(body): RawBody,
) -> Result<Response, ApiError> {
    who.require(&[Role::Compiler], "publishing a release")?;
    params.check(&[])?;
    let id: i64 = seg
        .0
        .first()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| ApiError::bad_param("id", "is not a release id", "a number"))?;
    let idem = idempotency_key(&headers, &method, &uri, &body)?;
    let c = app
        .writer
        .apply(ChangeRequest {
            change: Change::PublishRelease { id },
            actor: who.actor(&addr),
            idempotency: idem,
        })
        .await?;
    Ok(committed_response(&c))
}

/// A published release as the public sees it.
fn public_release(v: &epiledger_store::VersionInfo, rel: Option<&Release>) -> Value {
    json!({
        "date": v.date,
        "number": v.version,
        "published_at": time::format(v.recorded_at),
        "content_hash": v.content_hash,
        "source": { "kind": v.source.kind, "name": v.source.name },
        "release_id": rel.map(|r| r.id),
        "errata": rel.map(|r| r.errata.clone()).unwrap_or_default(),
        "summary": v.summary,
    })
}

fn published_list(
    s: &dyn ReportingStore,
    from: Option<Date>,
    to: Option<Date>,
    as_of: Option<chrono::DateTime<Utc>>,
) -> Result<Vec<Value>, ApiError> {
    let versions = s.published_versions(from, to, as_of)?;
    let releases = s.releases(from, to, as_of)?;
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

/// The largest `limit` of `GET /releases`.
pub const MAX_RELEASES_LIMIT: usize = 10_000;

/// `GET /api/v1/releases?from=…&to=…&as_of=…&order=asc|desc&limit=N`: the published
/// releases, with their errata; oldest first (`order=desc`: newest first), at most `limit`.
pub async fn releases(
    State(app): State<Shared>,
    headers: HeaderMap,
    params: Params,
) -> Result<Response, ApiError> {
    params.check(&["from", "to", "as_of", "order", "limit"])?;
    let from = params.parse::<Date>("from", "YYYY-MM-DD")?;
    let to = params.parse::<Date>("to", "YYYY-MM-DD")?;
    let as_of = params.as_of()?;
    let desc = match params.get("order").unwrap_or("asc") {
        "asc" => false,
        "desc" => true,
        other => {
            return Err(ApiError::bad_param(
                "order",
                format!("`{other}` is not an order"),
                "asc (oldest first, the default) or desc (newest first)",
            ))
        }
    };
    let limit = match params.parse::<usize>("limit", "a whole number from 1 to 10000")? {
        Some(n) if (1..=MAX_RELEASES_LIMIT).contains(&n) => Some(n),
        Some(n) => {
            return Err(ApiError::bad_param(
                "limit",
                format!("{n} is out of range"),
                "a whole number from 1 to 10000",
            ))
        }
        None => None,
    };
    let mut list = app
        .readers
        .run(move |s| published_list(s, from, to, as_of))
        .await?;
    if desc {
        list.reverse();
    }
    if let Some(n) = limit {
        list.truncate(n);
    }
    let body = json!({ "releases": list }).to_string();
    Ok(http_cache::respond(
        &headers,
        "application/json",
        body,
        http_cache::policy(as_of),
    ))
}

/// `GET /api/v1/days/{date}/releases`: a day's published releases; a compiler also sees the
/// approved and superseded ones.
pub async fn day_releases(
    State(app): State<Shared>,
    Auth(who): Auth,
    headers: HeaderMap,
    seg: Segments,
    params: Params,
) -> Result<Response, ApiError> {
    params.check(&["as_of"])?;
    let date = first_date(&seg)?;
    let as_of = params.as_of()?;
    let compiler = who.role() == Some(Role::Compiler);
    let (published, all) = app
        .readers
        .run(move |s| {
            let published = published_list(s, Some(date), Some(date), as_of)?;
            let all = if compiler {
                Some(s.releases(Some(date), Some(date), as_of)?)
            } else {
                None
            };
            Ok((published, all))
        })
        .await?;
    let mut out = json!({ "date": date, "published": published });
    let cache = if let Some(all) = all {
        out["approvals"] = json!(all);
        http_cache::PRIVATE
    } else {
        http_cache::policy(as_of)
    };
    Ok(http_cache::respond(
        &headers,
        "application/json",
        out.to_string(),
        cache,
    ))
}

pub(crate) fn parse_lang(p: &Params) -> Result<Lang, ApiError> {
    match p.get("lang").unwrap_or("zh") {
        "zh" => Ok(Lang::Zh),
        "en" => Ok(Lang::En),
        other => Err(ApiError::bad_param(
            "lang",
            format!("`{other}` is not a language of the bulletin"),
            "zh or en",
        )),
    }
}

pub(crate) fn parse_format(p: &Params) -> Result<Format, ApiError> {
    match p.get("format").unwrap_or("text") {
        "text" => Ok(Format::Text),
        "json" => Ok(Format::Json),
        "html" => Ok(Format::Html),
        other => Err(ApiError::bad_param(
            "format",
            format!("`{other}` is not a format of the bulletin"),
            "text, json or html",
        )),
    }
}

/// A rendered bulletin with its ETag (weak: the body may go gzipped) and cache policy.
fn rendered_response(r: &bulletin::Rendered, headers: &HeaderMap, cache: &'static str) -> Response {
    http_cache::respond_tagged(
        headers,
        r.content_type,
        r.body.clone(),
        &format!("W/{}", r.etag),
        cache,
    )
}

fn no_bulletin(date: Date, as_of: Option<chrono::DateTime<Utc>>) -> ApiError {
    ApiError::not_found(format!(
        "{date} has no published bulletin{}; GET /api/v1/releases lists the published days",
        as_of
            .map(|t| format!(" as of {}", time::format(t)))
            .unwrap_or_default()
    ))
}

/// Loads a published release of a day (the newest as of `as_of`, or number `n`).
fn load_published(
    s: &dyn ReportingStore,
    date: Date,
    number: Option<u32>,
    as_of: Option<chrono::DateTime<Utc>>,
) -> Result<Option<Published>, ApiError> {
    let versions = s.published_versions(Some(date), Some(date), as_of)?;
    let v = match number {
        Some(n) => versions.iter().find(|v| v.version == n),
        None => versions.last(),
    };
    let Some(v) = v else { return Ok(None) };
    let Some(stored) = s.day(date, Some(v.recorded_at))? else {
        return Ok(None);
    };
    if stored.version != v.version {
        return Err(ApiError::unavailable(format!(
            "release {} of {date} could not be read back; retry",
            v.version
        )));
    }
    let previous = s.day(date.pred(), Some(v.recorded_at))?.map(|d| d.day);
    let errata = s
        .releases(Some(date), Some(date), None)?
        .into_iter()
        .find(|r| r.number == Some(v.version) && r.status == ReleaseStatus::Published)
        .map(|r| r.errata)
        .unwrap_or_default();
    Ok(Some(Published {
        date,
        number: v.version,
        published_at: v.recorded_at,
        content_hash: v.content_hash.clone(),
        source: v.source.clone(),
        day: stored.day,
        errata,
        previous,
    }))
}

/// `GET /api/v1/bulletins/{date}?lang=zh|en&format=text|json|html&release=N&as_of=T`.
pub async fn bulletin(
    State(app): State<Shared>,
    headers: HeaderMap,
    seg: Segments,
    params: Params,
) -> Result<Response, ApiError> {
    params.check(&["lang", "format", "release", "as_of"])?;
    let date = first_date(&seg)?;
    let lang = parse_lang(&params)?;
    let format = parse_format(&params)?;
    let release = params.parse::<u32>("release", "a release number, from 1")?;
    let as_of = params.as_of()?;

    // The hot path: the newest (or a given) release, already rendered.
    if as_of.is_none() {
        if let Some(n) = release.or_else(|| app.bulletins.latest(date)) {
            if let Some(r) = app.bulletins.get(&(date, n, lang, format)) {
                let cache = if release.is_some() {
                    http_cache::PINNED
                } else {
                    http_cache::LATEST
                };
                return Ok(rendered_response(&r, &headers, cache));
            }
        }
    }
    let published = app
        .readers
        .run(move |s| load_published(s, date, release, as_of))
        .await?
        .ok_or_else(|| no_bulletin(date, as_of))?;
    if as_of.is_none() && release.is_none() {
        app.bulletins.set_latest(date, published.number);
    }
    let key = (date, published.number, lang, format);
    let rendered = match app.bulletins.get(&key) {
        Some(r) => r,
        None => {
            let r = bulletin::render(&published, lang, format);
            app.bulletins.put(key, r.clone());
            r
        }
    };
    let cache = if release.is_some() {
        http_cache::PINNED
    } else {
        http_cache::policy(as_of)
    };
    Ok(rendered_response(&rendered, &headers, cache))
}

fn region_param(p: &Params) -> Result<RegionId, ApiError> {
    let text = p.get("region").unwrap_or("100000");
    if let Ok(id) = text.parse::<RegionId>() {
        if registry().get(id.code()).is_some() {
            return Ok(id);
        }
    }
    registry()
        .resolve(text)
        .map(RegionId::Code)
        .map_err(|e| ApiError::bad_param("region", e.to_string(), "a region code such as 110000"))
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `GET /api/v1/series?measure=…&region=…&origin=…&from=…&to=…&as_of=…&format=json|csv`.
pub async fn series(
    State(app): State<Shared>,
    headers: HeaderMap,
    params: Params,
) -> Result<Response, ApiError> {
    params.check(&[
        "measure", "region", "origin", "from", "to", "as_of", "format",
    ])?;
    let measure = params
        .parse::<Measure>("measure", "a measure name, such as confirmed_new")?
        .ok_or_else(|| {
            ApiError::bad_param(
                "measure",
                "is required",
                "a measure name, such as confirmed_new",
            )
        })?;
    let region = region_param(&params)?;
    let origin = params
        .parse::<Origin>("origin", "all, imported or local")?
        .unwrap_or(Origin::All);
    let from = params.parse::<Date>("from", "YYYY-MM-DD")?;
    let to = params.parse::<Date>("to", "YYYY-MM-DD")?;
    let as_of = params.as_of()?;
    let csv = match params.get("format").unwrap_or("json") {
        "json" => false,
        "csv" => true,
        other => {
            return Err(ApiError::bad_param(
                "format",
                format!("`{other}` is not a format of series"),
                "json or csv",
            ))
        }
    };
    let r = region.clone();
    let values = app
        .readers
        .run(move |s| {
            s.series(measure, &r, origin, from, to, as_of)
                .map_err(ApiError::from)
        })
        .await?;
    if csv {
        let mut out = String::from("date,value\n");
        for (d, v) in &values {
            let _ = writeln!(out, "{d},{v}");
        }
        return Ok(http_cache::respond(
            &headers,
            "text/csv; charset=utf-8",
            out,
            http_cache::policy(as_of),
        ));
    }
    let points: Vec<Value> = values
        .iter()
        .map(|(d, v)| json!({ "date": d, "value": v }))
        .collect();
    let body = json!({
        "measure": measure, "region": region, "origin": origin, "values": points,
    });
    Ok(http_cache::respond(
        &headers,
        "application/json",
        body.to_string(),
        http_cache::policy(as_of),
    ))
}

/// `GET /api/v1/facts?from=…&to=…&as_of=…&format=csv|json`: the published facts.
pub async fn facts(
    State(app): State<Shared>,
    headers: HeaderMap,
    params: Params,
) -> Result<Response, ApiError> {
    params.check(&["from", "to", "as_of", "format"])?;
    let from = params.parse::<Date>("from", "YYYY-MM-DD")?;
    let to = params.parse::<Date>("to", "YYYY-MM-DD")?;
    let as_of = params.as_of()?;
    let csv = match params.get("format").unwrap_or("csv") {
        "csv" => true,
        "json" => false,
        other => {
            return Err(ApiError::bad_param(
                "format",
                format!("`{other}` is not a format of facts"),
                "csv or json",
            ))
        }
    };
    let body = app
        .readers
        .run(move |s| {
            let facts = s.facts(from, to, as_of)?;
            if csv {
                let mut out = String::with_capacity(facts.len() * 48 + 40);
                out.push_str("date,region,origin,measure,value\n");
                for (d, f) in &facts {
                    let _ = writeln!(
                        out,
                        "{d},{},{},{},{}",
                        csv_field(&f.region.to_string()),
                        f.origin,
                        f.measure,
                        f.value
                    );
                }
                Ok(out)
            } else {
                let rows: Vec<Value> = facts
                    .iter()
                    .map(|(d, f)| {
                        json!({ "date": d, "region": f.region, "origin": f.origin,
                                "measure": f.measure, "value": f.value })
                    })
                    .collect();
                Ok(json!({ "facts": rows }).to_string())
            }
        })
        .await?;
    Ok(http_cache::respond(
        &headers,
        if csv {
            "text/csv; charset=utf-8"
        } else {
            "application/json"
        },
        body,
        http_cache::policy(as_of),
    ))
}

/// `GET /api/v1/tokens`.
pub async fn list_tokens(
    State(app): State<Shared>,
    Auth(who): Auth,
    params: Params,
) -> Result<Response, ApiError> {
    who.require(&[Role::Admin], "listing tokens")?;
    params.check(&[])?;
    let tokens = app
        .readers
        .run(|s| s.tokens().map_err(ApiError::from))
        .await?;
    Ok(ok(&json!({ "tokens": tokens })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenBody {
    role: Role,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    label: Option<String>,
}

/// `POST /api/v1/tokens` with `{"role": "reporter", "unit": "110000", "label": …}`: the secret
/// is in the answer, once. (An `Idempotency-Key` is not kept here: the answer holds a secret.)
pub async fn create_token(
    State(app): State<Shared>,
    Auth(who): Auth,
    Client(addr): Client,
    headers: HeaderMap,
    params: Params,
    RawBody(body): RawBody,
) -> Result<Response, ApiError> {
    who.require(&[Role::Admin], "creating a token")?;
    params.check(&[])?;
    let b: TokenBody = json_body(
        &headers,
        &body,
        "{\"role\": \"reporter\", \"unit\": \"110000\", \"label\": \"beijing\"}",
    )?;
    let unit = b
        .unit
        .as_deref()
        .map(|u| match u.parse::<RegionCode>() {
            Ok(c) if epiledger_core::ledger::hierarchy::is_reporting_unit(c) => Ok(c),
            _ => Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                format!("`{u}` is not one of the 32 reporting units"),
            )),
        })
        .transpose()?;
    let secret = crate::auth::new_secret()
        .map_err(|e| ApiError::unavailable(format!("no randomness for a token: {e}")))?;
    let label = b.label.unwrap_or_else(|| {
        unit.map_or_else(|| b.role.name().to_string(), |u| format!("{} {u}", b.role))
    });
    let c = app
        .writer
        .apply(ChangeRequest {
            change: Change::CreateToken {
                hash: crate::auth::hash_of(&secret),
                role: b.role,
                unit,
                label,
            },
            actor: who.actor(&addr),
            idempotency: None,
        })
        .await?;
    let Applied::Token { token } = c.applied else {
        return Err(ApiError::unavailable("unexpected answer of the store"));
    };
    Ok(json_response(
        StatusCode::CREATED,
        &json!({ "secret": secret, "token": token,
                 "note": "the secret is shown once; it is stored only as its SHA-256" }),
    ))
}

/// `DELETE /api/v1/tokens/{id}`: revokes a token.
pub async fn revoke_token(
    State(app): State<Shared>,
    Auth(who): Auth,
    Client(addr): Client,
    seg: Segments,
    params: Params,
) -> Result<Response, ApiError> {
    who.require(&[Role::Admin], "revoking a token")?;
    params.check(&[])?;
    let id: i64 = seg
        .0
        .first()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| ApiError::bad_param("id", "is not a token id", "a number"))?;
    let c = app
        .writer
        .apply(ChangeRequest {
            change: Change::RevokeToken { id },
            actor: who.actor(&addr),
            idempotency: None,
        })
        .await?;
    app.tokens.clear();
    Ok(committed_response(&c))
}

/// `GET /api/v1/audit-log?after=SEQ&limit=N`.
pub async fn audit_log(
    State(app): State<Shared>,
    Auth(who): Auth,
    params: Params,
) -> Result<Response, ApiError> {
    who.require(&[Role::Admin], "reading the audit log")?;
    params.check(&["after", "limit"])?;
    let after = params.parse::<i64>("after", "an entry's seq")?.unwrap_or(0);
    let limit = params
        .parse::<usize>("limit", "1 to 1000")?
        .unwrap_or(100)
        .clamp(1, 1000);
    let entries = app
        .readers
        .run(move |s| s.audit_entries(after, limit).map_err(ApiError::from))
        .await?;
    Ok(ok(&json!({ "entries": entries })))
}

/// `GET /api/v1/audit-log/verify`.
pub async fn verify_audit_log(
    State(app): State<Shared>,
    Auth(who): Auth,
    params: Params,
) -> Result<Response, ApiError> {
    who.require(&[Role::Admin], "verifying the audit log")?;
    params.check(&[])?;
    let v = app
        .readers
        .run(|s| auditlog::verify(s).map_err(ApiError::from))
        .await?;
    Ok(ok(&v))
}
