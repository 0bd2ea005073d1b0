//! `GET /api/v1/days/{date}/compilation/bulletin`: the bulletin that the day's current
//! compilation would publish, rendered by the same renderer as a publication
//! ([`crate::bulletin::render`]: `epiledger-bulletin`'s wording of the period, the errata a
//! revision would carry). For compilers only; never cached, since the compilation changes with
//! every report.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use chrono::Utc;
use epiledger_store::{Role, Source, SourceKind};
use serde_json::Value;

use crate::app::{Auth, Params, Segments, Shared};
use crate::bulletin::{self, Format, Published};
use crate::error::ApiError;
use crate::http_cache;
use crate::routes::{compilation_of, first_date, parse_format, parse_lang};

/// The handler: `?lang=zh|en&format=text|html|json&as_of=T`.
pub async fn compilation_bulletin(
    State(app): State<Shared>,
    Auth(who): Auth,
    headers: HeaderMap,
    seg: Segments,
    params: Params,
) -> Result<Response, ApiError> {
    who.require(
        &[Role::Compiler],
        "the preview of the compilation's bulletin",
    )?;
    params.check(&["lang", "format", "as_of"])?;
    let date = first_date(&seg)?;
    let lang = parse_lang(&params)?;
    let format = parse_format(&params)?;
    let as_of = params.as_of()?;
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
        Format::Text | Format::Html => rendered.body,
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
    match serde_json::from_slice::<Value>(body) {
        Ok(mut v) => {
            v["preview"] = Value::Bool(true);
            v["published_at"] = Value::Null;
            Bytes::from(v.to_string())
        }
        Err(_) => body.clone(),
    }
}
