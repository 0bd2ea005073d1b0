//! A day's workflow: `GET /days/{date}/board`, `/compilation`, `/compilation/bulletin` (the
//! preview), `PUT /days/{date}/cutoff`, and `GET|POST /days/{date}/releases`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use chrono::Utc;
use epiledger_bulletin::render::Format;
use epiledger_core::{Date, Lang, Source, SourceKind};
use epiledger_reporting::compile::{self, Board, Compilation, Inputs};
use epiledger_store::{Change, Release, ReportingStore, Role};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{
    committed_response, published_list, replay, AsOf, CutoffSet, DatePath, IdempotencyHeader,
    NoQuery, PublicRelease, ReleaseChanged,
};
use super::{ok, ReadErrors, WriteErrors};
use crate::bulletin::{self, Published};
use crate::error::ApiError;
use crate::extract::WriteRequest;
use crate::extract::{ApiPath, ApiQuery, Auth};
use crate::http_cache;
use crate::params::Instant;
use crate::state::Shared;
use epiledger_store::Span;

/// The completeness board: which units reported on time, late, or are missing.
#[utoipa::path(get, path = "/days/{date}/board", tag = "days",
    params(DatePath, AsOf),
    responses((status = 200, body = Board), ReadErrors),
    security(("bearer" = [])))]
pub async fn board(
    State(app): State<Shared>,
    Auth(who): Auth,
    ApiPath(p): ApiPath<DatePath>,
    ApiQuery(q): ApiQuery<AsOf>,
) -> Result<Response, ApiError> {
    who.require(&[Role::Compiler], "the completeness board")?;
    let (date, as_of) = (p.date, q.as_of.map(|t| t.0));
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
pub fn compilation_of(
    s: &dyn ReportingStore,
    date: Date,
    as_of: Option<chrono::DateTime<Utc>>,
) -> Result<Compilation, ApiError> {
    let reports = s.day_reports(date, as_of)?;
    let previous = s.day(date.pred(), as_of)?;
    let published = s.day(date, as_of)?;
    let basis = match &published {
        Some(p) if p.source.kind == SourceKind::Report => s
            .releases(Span::new(Some(date), Some(date), as_of))?
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

/// The national compilation: sums over the units' newest reports, discrepancies with national
/// figures, identity checks, errata against the current publication, and the content hash to
/// approve.
#[utoipa::path(get, path = "/days/{date}/compilation", tag = "days",
    params(DatePath, AsOf),
    responses((status = 200, body = Compilation), ReadErrors),
    security(("bearer" = [])))]
pub async fn compilation(
    State(app): State<Shared>,
    Auth(who): Auth,
    ApiPath(p): ApiPath<DatePath>,
    ApiQuery(q): ApiQuery<AsOf>,
) -> Result<Response, ApiError> {
    who.require(&[Role::Compiler], "the national compilation")?;
    let (date, as_of) = (p.date, q.as_of.map(|t| t.0));
    let c = app
        .readers
        .run(move |s| compilation_of(s, date, as_of))
        .await?;
    Ok(ok(&c))
}

/// The language and format of a bulletin.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// zh (default) or en.
    pub lang: Option<Lang>,
    /// text (default), json, html or md.
    #[param(value_type = Option<String>, pattern = "^(text|json|html|md)$")]
    pub format: Option<Format>,
    /// Answer with what was known at this time (RFC 3339).
    pub as_of: Option<Instant>,
}

/// A preview of the bulletin the current compilation would publish, rendered by the same
/// renderer as a publication (with the errata a revision would carry). Never cached;
/// `X-Content-Hash` names the compilation rendered.
#[utoipa::path(get, path = "/days/{date}/compilation/bulletin", tag = "days",
    params(DatePath, PreviewQuery),
    responses((status = 200, description = "The preview.", content(
            (String = "text/plain"), (bulletin::BulletinJson = "application/json"),
            (String = "text/html"), (String = "text/markdown"))),
        ReadErrors),
    security(("bearer" = [])))]
pub async fn preview(
    State(app): State<Shared>,
    Auth(who): Auth,
    headers: HeaderMap,
    ApiPath(p): ApiPath<DatePath>,
    ApiQuery(q): ApiQuery<PreviewQuery>,
) -> Result<Response, ApiError> {
    who.require(
        &[Role::Compiler],
        "the preview of the compilation's bulletin",
    )?;
    let date = p.date;
    let lang = q.lang.unwrap_or(Lang::Zh);
    let format = q.format.unwrap_or(Format::Text);
    let as_of = q.as_of.map(|t| t.0);
    let (c, previous) = app
        .readers
        .run(move |s| {
            let c = compilation_of(s, date, as_of)?;
            let previous = s.day(date.pred(), as_of)?.map(|d| d.day);
            Ok((c, previous))
        })
        .await?;
    if c.basis.is_empty() {
        return Err(ApiError::not_found(format!(
            "no unit has reported {date}: there is no compilation to preview yet \
             (GET /api/v1/days/{date}/board shows who is awaited)"
        )));
    }
    let content_hash = c.content_hash.clone();
    let published = Published {
        date,
        number: c.base_version.map_or(1, |v| v + 1),
        published_at: as_of.unwrap_or_else(Utc::now),
        content_hash: c.content_hash.clone(),
        source: Source::new(
            SourceKind::Report,
            format!("preview of the compilation of {date}"),
            c.content_hash,
        ),
        day: c.day,
        errata: c.errata,
        previous,
    };
    let rendered = bulletin::render(&published, lang, format);
    let body = match format {
        Format::Json => mark_preview(&rendered.body),
        Format::Text | Format::Html | Format::Md => rendered.body,
    };
    let mut res = http_cache::respond(&headers, rendered.content_type, body, http_cache::PRIVATE);
    let h = res.headers_mut();
    h.insert("x-epiledger-preview", HeaderValue::from_static("true"));
    if let Ok(v) = HeaderValue::from_str(&content_hash) {
        h.insert("x-content-hash", v);
    }
    Ok(res)
}

/// The JSON rendering with `"preview": true` and no publication time: nothing is published.
fn mark_preview(body: &Bytes) -> Bytes {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(mut v) => {
            v["preview"] = serde_json::Value::Bool(true);
            v["published_at"] = serde_json::Value::Null;
            if let Some(o) = v.as_object_mut() {
                o.remove("published_on");
                o.remove("publisher");
            }
            Bytes::from(v.to_string())
        }
        Err(_) => body.clone(),
    }
}

/// The body of `PUT /days/{date}/cutoff`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CutoffBody {
    /// When reports are due (RFC 3339), such as 2023-01-06T06:00:00+08:00.
    pub cutoff: Instant,
}

/// Set the day's cutoff: reports after it are late, units without one missing.
#[utoipa::path(put, path = "/days/{date}/cutoff", tag = "days",
    params(DatePath, IdempotencyHeader),
    request_body = CutoffBody,
    responses((status = 200, body = CutoffSet), WriteErrors),
    security(("bearer" = [])))]
pub async fn set_cutoff(
    State(app): State<Shared>,
    ApiPath(p): ApiPath<DatePath>,
    ApiQuery(_): ApiQuery<NoQuery>,
    w: WriteRequest,
) -> Result<Response, ApiError> {
    w.who.require(&[Role::Compiler], "setting a cutoff")?;
    let b: CutoffBody = w.json()?;
    let change = Change::SetCutoff {
        date: p.date,
        cutoff: b.cutoff.0,
    };
    let c = app.writer.apply(w.change(change)).await?;
    Ok(committed_response(&c))
}

/// A day's releases: the published ones; for a compiler also the approvals.
#[derive(Serialize, ToSchema)]
pub struct DayReleases {
    /// The day.
    pub date: Date,
    /// The published releases, oldest first.
    pub published: Vec<PublicRelease>,
    /// For a compiler: every approval, published, approved or superseded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approvals: Option<Vec<Release>>,
}

/// A day's published releases (a compiler also sees the approvals).
#[utoipa::path(get, path = "/days/{date}/releases", tag = "days",
    params(DatePath, AsOf),
    responses((status = 200, body = DayReleases),
        (status = 304, description = "Not modified (If-None-Match)."), super::PublicReadErrors),
    security((), ("bearer" = [])))]
pub async fn releases(
    State(app): State<Shared>,
    Auth(who): Auth,
    headers: HeaderMap,
    ApiPath(p): ApiPath<DatePath>,
    ApiQuery(q): ApiQuery<AsOf>,
) -> Result<Response, ApiError> {
    let (date, as_of) = (p.date, q.as_of.map(|t| t.0));
    let compiler = who.role() == Some(Role::Compiler);
    let (published, approvals) = app
        .readers
        .run(move |s| {
            let published = published_list(s, Some(date), Some(date), as_of)?;
            let all = if compiler {
                Some(s.releases(Span::new(Some(date), Some(date), as_of))?)
            } else {
                None
            };
            Ok((published, all))
        })
        .await?;
    let cache = if approvals.is_some() {
        http_cache::PRIVATE
    } else {
        http_cache::policy(as_of)
    };
    let body = DayReleases {
        date,
        published,
        approvals,
    };
    Ok(http_cache::respond_json(&headers, &body, cache))
}

/// The body of an approval.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveBody {
    /// The content hash of the compilation reviewed (`GET /days/{date}/compilation`).
    #[schema(pattern = "^[0-9a-fA-F]{64}$")]
    pub content_hash: String,
    /// A note.
    pub note: Option<String>,
    /// Approve although national figures disagree with the units' sums.
    #[serde(default)]
    pub accept_discrepancies: bool,
}

/// Approve the compilation reviewed (by its content hash) as a release.
#[utoipa::path(post, path = "/days/{date}/releases", tag = "days",
    params(DatePath, IdempotencyHeader),
    request_body = ApproveBody,
    responses((status = 201, description = "The approved release.", body = ReleaseChanged),
        (status = 200, description = "A replayed Idempotency-Key.", body = ReleaseChanged),
        WriteErrors),
    security(("bearer" = [])))]
pub async fn approve(
    State(app): State<Shared>,
    ApiPath(p): ApiPath<DatePath>,
    ApiQuery(_): ApiQuery<NoQuery>,
    w: WriteRequest,
) -> Result<Response, ApiError> {
    w.who.require(&[Role::Compiler], "approving a release")?;
    let b: ApproveBody = w.json()?;
    let date = p.date;
    if let Some(k) = &w.idem {
        if let Some(c) = replay(&app, w.who.token_id(), k).await? {
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
    let change = Change::ApproveRelease {
        date,
        day: c.day,
        basis: c.basis,
        base_version: c.base_version,
        errata: c.errata,
        note: b.note,
    };
    let committed = app.writer.apply(w.change(change)).await?;
    Ok(committed_response(&committed))
}
