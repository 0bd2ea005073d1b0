//! Who is asking: API tokens (`elt_` and 64 hex digits, random, stored only as SHA-256), their
//! roles, and the rate limiter.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{header, HeaderMap};
use epiledger_core::RegionCode;
use epiledger_store::{
    token_hash, Actor, Applied, Change, ChangeError, ChangeRequest, ReportingStore, Role, Token,
};

use crate::error::{request_id, ApiError};
use epiledger_store::Refusal;

/// The prefix of every token.
pub const TOKEN_PREFIX: &str = "elt_";

/// A new random token secret: `elt_` and 32 random bytes in hex. Shown once, never stored.
pub fn new_secret() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)?;
    Ok(format!("{TOKEN_PREFIX}{}", hex::encode(bytes)))
}

/// Creates a token directly in a store (the first admin token, `epiledger token create`):
/// returns the secret, shown once, and the stored token.
pub fn create_token(
    store: &mut dyn ReportingStore,
    role: Role,
    unit: Option<RegionCode>,
    label: &str,
    actor: Actor,
) -> Result<(String, Token), ChangeError> {
    let secret = new_secret()
        .map_err(|e| ChangeError::Refused(Refusal::Invalid(format!("no randomness: {e}"))))?;
    let req = ChangeRequest {
        change: Change::CreateToken {
            hash: token_hash(&secret),
            role,
            unit,
            label: label.to_string(),
        },
        actor,
        idempotency: None,
    };
    let result = store
        .apply_changes(&[req], chrono::Utc::now())?
        .pop()
        .ok_or_else(|| {
            ChangeError::Refused(Refusal::Invalid("the store gave no answer".into()))
        })??;
    match result.applied {
        Applied::Token { token } => Ok((secret, token)),
        other => Err(ChangeError::Refused(Refusal::Invalid(format!(
            "unexpected answer {other:?}"
        )))),
    }
}

/// Whether a text has the form of a token.
pub fn looks_like_token(s: &str) -> bool {
    s.len() == TOKEN_PREFIX.len() + 64
        && s.starts_with(TOKEN_PREFIX)
        && s[TOKEN_PREFIX.len()..]
            .bytes()
            .all(|b| b.is_ascii_hexdigit())
}

/// Who makes a request: the public (no token) or a token's holder.
#[derive(Clone, Debug)]
pub struct Principal {
    /// The token, if any (always active).
    pub token: Option<Token>,
}

impl Principal {
    /// The public.
    pub const PUBLIC: Principal = Principal { token: None };

    /// The role, if a token was given.
    pub fn role(&self) -> Option<Role> {
        self.token.as_ref().map(|t| t.role)
    }

    /// The unit of a reporter.
    pub fn unit(&self) -> Option<RegionCode> {
        self.token.as_ref().and_then(|t| t.unit)
    }

    /// The token id.
    pub fn token_id(&self) -> Option<i64> {
        self.token.as_ref().map(|t| t.id)
    }

    /// What the audit log records of this principal, from this address.
    pub fn actor(&self, address: &str) -> Actor {
        let (name, role) = match &self.token {
            Some(t) => (
                format!("token {} ({})", t.id, t.label),
                t.role.name().to_string(),
            ),
            None => ("public".to_string(), "public".to_string()),
        };
        Actor {
            token_id: self.token_id(),
            name,
            role,
            address: address.to_string(),
            request_id: request_id(),
        }
    }

    /// Requires one of the roles; the public gets 401, other roles 403.
    pub fn require(&self, roles: &[Role], what: &str) -> Result<(), ApiError> {
        match self.role() {
            None => Err(ApiError::unauthorized(format!(
                "{what} needs a token: send `Authorization: Bearer elt_…` with a token of role {}",
                names(roles)
            ))),
            Some(r) if roles.contains(&r) => Ok(()),
            Some(r) => Err(ApiError::forbidden(format!(
                "{what} needs a token of role {}; this token's role is {r}",
                names(roles)
            ))),
        }
    }

    /// Requires a compiler, or the reporter of `unit`.
    pub fn require_unit(&self, unit: RegionCode, what: &str) -> Result<(), ApiError> {
        self.require(&[Role::Reporter, Role::Compiler], what)?;
        match (self.role(), self.unit()) {
            (Some(Role::Reporter), Some(own)) if own != unit => Err(ApiError::forbidden(format!(
                "this reporter token is bound to unit {own}; it may not act on {unit}'s data"
            ))),
            _ => Ok(()),
        }
    }
}

fn names(roles: &[Role]) -> String {
    let n: Vec<&str> = roles.iter().map(|r| r.name()).collect();
    n.join(" or ")
}

/// The bearer token of a request: `None` without an `Authorization` header; an error for a
/// header that is not a well-formed bearer token.
pub fn bearer(headers: &HeaderMap) -> Result<Option<&str>, ApiError> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let text = value.to_str().map_err(|_| {
        ApiError::unauthorized("the Authorization header is not text; send `Bearer elt_…`")
    })?;
    let token = text
        .strip_prefix("Bearer ")
        .or_else(|| text.strip_prefix("bearer "))
        .map(str::trim)
        .ok_or_else(|| ApiError::unauthorized("the Authorization header must be `Bearer elt_…`"))?;
    if !looks_like_token(token) {
        return Err(ApiError::unauthorized(
            "the token is malformed: a token is `elt_` followed by 64 hex digits",
        ));
    }
    Ok(Some(token))
}

/// Recently verified tokens, so that a busy client costs no database read per request. An
/// entry lives [`TokenCache::TTL`]: a token revoked by another process stops working within
/// that time; one revoked through this server at once.
pub struct TokenCache {
    entries: Mutex<HashMap<String, (Token, Instant)>>,
}

impl Default for TokenCache {
    fn default() -> Self {
        TokenCache {
            entries: Mutex::new(HashMap::new()),
        }
    }
}

impl TokenCache {
    /// How long a verified token is trusted without a database read.
    pub const TTL: Duration = Duration::from_secs(2);

    /// The cached token of a hash, if fresh.
    pub fn get(&self, hash: &str) -> Option<Token> {
        let entries = self.entries.lock().ok()?;
        let (token, at) = entries.get(hash)?;
        (at.elapsed() < Self::TTL).then(|| token.clone())
    }

    /// Remembers an active token.
    pub fn put(&self, hash: String, token: Token) {
        if let Ok(mut e) = self.entries.lock() {
            if e.len() > 10_000 {
                e.retain(|_, (_, at)| at.elapsed() < Self::TTL);
            }
            e.insert(hash, (token, Instant::now()));
        }
    }

    /// Forgets every token (after a revocation).
    pub fn clear(&self) {
        if let Ok(mut e) = self.entries.lock() {
            e.clear();
        }
    }
}

/// The hash under which a presented token is looked up.
pub fn hash_of(secret: &str) -> String {
    token_hash(secret)
}

/// What a rate limit is keyed by: the token, or the client's address without one.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ClientKey {
    /// A bearer token (its text).
    Token(String),
    /// An address.
    Ip(IpAddr),
}

/// A token bucket per client: `rate` requests a second on average, bursts of `burst`.
pub struct RateLimiter {
    rate: f64,
    burst: f64,
    buckets: Mutex<HashMap<ClientKey, (f64, Instant)>>,
}

impl RateLimiter {
    /// A limiter of `rate` requests a second with bursts of `burst`.
    pub fn new(rate: u32, burst: u32) -> RateLimiter {
        RateLimiter {
            rate: f64::from(rate.max(1)),
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from the client's bucket; `Err(seconds)` to wait when it is empty.
    pub fn check(&self, key: ClientKey) -> Result<(), u64> {
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            return Ok(());
        };
        if buckets.len() > 100_000 {
            let full = self.burst / self.rate;
            buckets.retain(|_, (_, at)| now.duration_since(*at).as_secs_f64() < full);
        }
        let (tokens, at) = buckets.entry(key).or_insert((self.burst, now));
        let refill = now.duration_since(*at).as_secs_f64() * self.rate;
        *tokens = (*tokens + refill).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / self.rate).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_well_formed_and_distinct() {
        let a = new_secret().unwrap();
        let b = new_secret().unwrap();
        assert!(looks_like_token(&a), "{a}");
        assert_ne!(a, b);
        assert!(!looks_like_token("elt_1234"));
        assert!(!looks_like_token(&a.replace("elt_", "elx_")));
    }

    #[test]
    fn the_limiter_refuses_beyond_the_burst() {
        let l = RateLimiter::new(1, 3);
        let k = ClientKey::Ip("127.0.0.1".parse().unwrap());
        for _ in 0..3 {
            assert!(l.check(k.clone()).is_ok());
        }
        assert_eq!(l.check(k.clone()), Err(1));
        assert!(l.check(ClientKey::Ip("127.0.0.2".parse().unwrap())).is_ok());
    }
}
