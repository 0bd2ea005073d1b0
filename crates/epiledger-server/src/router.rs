//! The router: every endpoint of `/api/v1` is registered from its OpenAPI operation
//! (`utoipa_axum::routes!` over handlers annotated with `#[utoipa::path]`), so that the router
//! and the document at `/api/v1/openapi.json` are built from one list and cannot disagree;
//! then the pages, `/healthz`, and the middleware.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::{middleware, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi;
use utoipa::Modify;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::middleware::{context, not_found, panic_response};
use crate::routes::{
    analytics, audit, bulletins, cases, data, days, meta, releases, reports, tokens,
};
use crate::state::Shared;

/// The document's fixed parts: what the API is, its security scheme, the shared schemas.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "epiledger reporting API",
        description = "The 32 reporting units (31 provinces and the XPCC, 660000) submit their \
            day; the national compilers watch completeness, review the compilation, approve and \
            publish; the public reads published bulletins, series, facts and releases. Every \
            error is JSON (`ErrorBody`) with a stable code and the request id; every problem of \
            an input names where it is. Every change is in a hash-chained audit log. Public \
            reads carry a weak ETag (If-None-Match → 304) and `Cache-Control: public, no-cache` \
            (the newest data, revalidated), `public, max-age=3600` (an `as_of` in the past) or \
            `immutable` (a given release); everything else is `private, no-store`. Answers are \
            gzipped for a client that accepts it. Who may call an operation is its security: \
            none (anyone), optional (anyone; a token sent must be valid), or a bearer token of \
            the role its description names.",
        license(name = "MIT OR Apache-2.0"),
    ),
    servers((url = "/api/v1")),
    components(schemas(
        crate::error::ErrorBody,
        crate::routes::releases::Order,
        crate::routes::data::SeriesFormat,
        crate::routes::data::FactsQueryFormat,
    )),
    modifiers(&Security),
    tags(
        (name = "meta", description = "The API itself and who is asking."),
        (name = "reports", description = "The units' reports of their day."),
        (name = "days", description = "A day's completeness, compilation, cutoff and releases."),
        (name = "releases", description = "Published releases."),
        (name = "bulletins", description = "The published bulletin of a day."),
        (name = "data", description = "The published figures for analysis."),
        (name = "analytics", description = "Estimates over the published figures as known at \
            any time: Rt (exactly as EpiEstim), growth rates, averages, rates per 100,000. Besides \
            a malformed parameter, a 400 answers combinations that no estimate exists for, which \
            a schema cannot state: `from` after `to`, a range outside the published history or \
            shorter than the window, a region below the provinces, `release` without `to` or \
            with `as_of`; the problem names the parameter to change."),
        (name = "tokens", description = "API tokens (admins)."),
        (name = "audit", description = "The audit log (admins)."),
        (name = "cases", description = "The case register: events of case cards and close \
            contacts (docs/CASES.md), a card's view (every read audited), the register's figures \
            against the units' reports, the de-identified line list. A batch that its schema \
            calls valid can still break a rule of the register (an outcome before the card, a \
            card id used twice, …): 422 with every problem by line and column."),
    )
)]
struct ApiDoc;

/// The bearer token scheme.
struct Security;

impl Modify for Security {
    fn modify(&self, doc: &mut OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API token: `elt_` and 64 hex digits (`epiledger token create`, or \
                         POST /tokens).",
                    ))
                    .build(),
            ),
        );
    }
}

/// The endpoints of `/api/v1`, each with its operation.
fn api() -> OpenApiRouter<Shared> {
    OpenApiRouter::with_openapi(<ApiDoc as utoipa::OpenApi>::openapi())
        .routes(routes!(meta::openapi))
        .routes(routes!(meta::whoami))
        .routes(routes!(meta::clock))
        .routes(routes!(reports::submit))
        .routes(routes!(reports::get))
        .routes(routes!(reports::versions))
        .routes(routes!(days::board))
        .routes(routes!(days::compilation))
        .routes(routes!(days::preview))
        .routes(routes!(days::set_cutoff))
        .routes(routes!(days::releases, days::approve))
        .routes(routes!(releases::list))
        .routes(routes!(releases::publish))
        .routes(routes!(bulletins::get))
        .routes(routes!(data::series))
        .routes(routes!(data::facts))
        .routes(routes!(analytics::rt))
        .routes(routes!(analytics::growth))
        .routes(routes!(analytics::rates))
        .routes(routes!(tokens::list, tokens::create))
        .routes(routes!(tokens::revoke))
        .routes(routes!(audit::entries))
        .routes(routes!(audit::verify))
        .routes(routes!(cases::submit))
        .routes(routes!(cases::card))
        .routes(routes!(cases::reconcile))
        .routes(routes!(cases::public))
        .routes(routes!(cases::onsets))
        .routes(routes!(cases::cards))
}

/// The OpenAPI document of `/api/v1`, as the router registers it.
pub fn document() -> OpenApi {
    api().into_openapi()
}

/// The router with every endpoint and the middleware.
pub fn router(state: Shared) -> Router {
    let limit = state.config.max_body_bytes;
    let (api, doc) = api().split_for_parts();
    state
        .openapi
        .get_or_init(|| Bytes::from(doc.to_json().unwrap_or_default()));
    // gzip for the API's answers when the client accepts it (the pages' assets are compressed
    // once, ahead, by epiledger-web).
    let api = api.layer(tower_http::compression::CompressionLayer::new().gzip(true));
    Router::new()
        .route("/healthz", get(meta::healthz))
        .nest("/api/v1", api)
        .merge(epiledger_web::router())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limit))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            panic_response,
        ))
        .layer(middleware::from_fn_with_state(Arc::clone(&state), context))
        .with_state(state)
}

/// Serves the API on a listener until `shutdown` completes, then finishes the requests under
/// way and the writer's queue.
pub async fn serve(
    state: Shared,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(Arc::clone(&state));
    let result = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    let s = Arc::clone(&state);
    let _ = tokio::task::spawn_blocking(move || s.shutdown()).await;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `$ref` of the document names a schema it defines.
    #[test]
    fn every_reference_resolves() {
        let doc: serde_json::Value = serde_json::from_str(&document().to_json().unwrap()).unwrap();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(m) => {
                    for (k, v) in m {
                        match (k.as_str(), v.as_str()) {
                            ("$ref", Some(r)) => out.push(r.to_string()),
                            _ => walk(v, out),
                        }
                    }
                }
                serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        let mut refs = Vec::new();
        walk(&doc, &mut refs);
        assert!(!refs.is_empty());
        for r in refs {
            let name = r.trim_start_matches("#/components/schemas/");
            assert!(schemas.contains_key(name), "{r} is not defined");
        }
    }

    /// Every operation that needs a token says so, and every one answers its errors with the
    /// problem schema.
    #[test]
    fn operations_state_their_security_and_errors() {
        let doc: serde_json::Value = serde_json::from_str(&document().to_json().unwrap()).unwrap();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let responses = op["responses"].as_object().unwrap();
                let error = responses
                    .iter()
                    .find(|(s, _)| s.starts_with('4'))
                    .unwrap_or_else(|| panic!("{method} {path} documents no error"));
                assert_eq!(
                    error.1["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{method} {path}"
                );
                if path != "/clock" && path != "/openapi.json" {
                    assert!(
                        op.get("security").is_some(),
                        "{method} {path} has no security"
                    );
                }
            }
        }
    }
}
