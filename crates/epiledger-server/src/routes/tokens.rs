//! `GET|POST /tokens` and `DELETE /tokens/{id}`: the API tokens, for admins.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use epiledger_store::{Applied, Change, ChangeRequest, Role, Token};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::common::{committed_response, NoQuery, TokenChanged};
use super::{json_response, ok, ReadErrors, WriteErrors};
use crate::error::ApiError;
use crate::extract::WriteRequest;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, Client};
use crate::params::ReportingUnit;
use crate::state::Shared;

/// Every token.
#[derive(Serialize, ToSchema)]
pub struct Tokens {
    /// The tokens, by id (never their secrets).
    pub tokens: Vec<Token>,
}

/// Every token (never the secrets).
#[utoipa::path(get, path = "/tokens", tag = "tokens",
    responses((status = 200, body = Tokens), ReadErrors),
    security(("bearer" = [])))]
pub async fn list(
    State(app): State<Shared>,
    Auth(who): Auth,
    ApiQuery(_): ApiQuery<NoQuery>,
) -> Result<Response, ApiError> {
    who.require(&[Role::Admin], "listing tokens")?;
    let tokens = app
        .readers
        .run(|s| s.tokens().map_err(ApiError::from))
        .await?;
    Ok(ok(&Tokens { tokens }))
}

/// A new token: a reporter bound to its unit, or a compiler or admin bound to none.
#[derive(Deserialize, ToSchema)]
#[serde(tag = "role", rename_all = "lowercase", deny_unknown_fields)]
pub enum NewToken {
    /// Submits and reads its own unit's reports.
    Reporter {
        /// The unit.
        unit: ReportingUnit,
        /// A label for people (default: `reporter UNIT`).
        label: Option<String>,
    },
    /// Reads everything, sets cutoffs, approves and publishes.
    Compiler {
        /// A label for people (default: `compiler`).
        label: Option<String>,
    },
    /// Manages tokens and reads the audit log.
    Admin {
        /// A label for people (default: `admin`).
        label: Option<String>,
    },
}

/// A token created: its secret, shown once.
#[derive(Serialize, ToSchema)]
pub struct TokenCreated {
    /// The secret (`elt_` and 64 hex digits): shown once, stored only as its SHA-256.
    pub secret: String,
    /// The token.
    pub token: Token,
    /// A reminder that the secret is shown once.
    pub note: &'static str,
}

/// Create a token; its secret is in the answer, once. (An `Idempotency-Key` is not kept here:
/// the answer holds a secret.)
#[utoipa::path(post, path = "/tokens", tag = "tokens",
    request_body = NewToken,
    responses((status = 201, description = "The token and its secret.", body = TokenCreated), WriteErrors),
    security(("bearer" = [])))]
pub async fn create(
    State(app): State<Shared>,
    Auth(who): Auth,
    Client(addr): Client,
    ApiQuery(_): ApiQuery<NoQuery>,
    ApiJson(b): ApiJson<NewToken>,
) -> Result<Response, ApiError> {
    who.require(&[Role::Admin], "creating a token")?;
    let (role, unit, label) = match b {
        NewToken::Reporter { unit, label } => (Role::Reporter, Some(unit.0), label),
        NewToken::Compiler { label } => (Role::Compiler, None, label),
        NewToken::Admin { label } => (Role::Admin, None, label),
    };
    let secret = crate::auth::new_secret()
        .map_err(|e| ApiError::unavailable(format!("no randomness for a token: {e}")))?;
    let label = label
        .unwrap_or_else(|| unit.map_or_else(|| role.name().to_string(), |u| format!("{role} {u}")));
    let c = app
        .writer
        .apply(ChangeRequest {
            change: Change::CreateToken {
                hash: crate::auth::hash_of(&secret),
                role,
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
        &TokenCreated {
            secret,
            token,
            note: "the secret is shown once; it is stored only as its SHA-256",
        },
    ))
}

/// A token id.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Path)]
pub struct TokenId {
    /// The token's id.
    #[param(minimum = 1)]
    pub id: i64,
}

/// Revoke a token: it is refused from then on, by every server.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "tokens",
    params(TokenId),
    responses((status = 200, description = "The revoked token.", body = TokenChanged), WriteErrors),
    security(("bearer" = [])))]
pub async fn revoke(
    State(app): State<Shared>,
    ApiPath(p): ApiPath<TokenId>,
    ApiQuery(_): ApiQuery<NoQuery>,
    w: WriteRequest,
) -> Result<Response, ApiError> {
    w.who.require(&[Role::Admin], "revoking a token")?;
    let c = app
        .writer
        .apply(w.change(Change::RevokeToken { id: p.id }))
        .await?;
    app.tokens.clear();
    Ok(committed_response(&c))
}
