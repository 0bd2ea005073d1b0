//! API tokens and the roles they act in.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use epiledger_core::{time, RegionCode};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::report::code_serde;

/// What a token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Bound to one reporting unit: submits and reads that unit's reports.
    Reporter,
    /// Reads everything, sets cutoffs, approves and publishes releases.
    Compiler,
    /// Manages tokens and reads the audit log.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 3] = [Role::Reporter, Role::Compiler, Role::Admin];

    /// `reporter`, `compiler`, `admin`.
    pub fn name(self) -> &'static str {
        match self {
            Role::Reporter => "reporter",
            Role::Compiler => "compiler",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A role name that is none of `reporter`, `compiler`, `admin`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role `{0}`: use reporter, compiler or admin")]
pub struct RoleError(pub String);

impl FromStr for Role {
    type Err = RoleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.name() == s)
            .ok_or_else(|| RoleError(s.to_string()))
    }
}

/// An API token as stored: never the secret, only its SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Token {
    /// Its id.
    pub id: i64,
    /// What it may do.
    pub role: Role,
    /// The reporting unit of a reporter.
    #[serde(with = "code_serde::option")]
    pub unit: Option<RegionCode>,
    /// A label for people (`beijing-cdc`).
    pub label: String,
    /// When it was created.
    #[serde(with = "time::rfc3339")]
    pub created_at: DateTime<Utc>,
    /// When it was revoked, if it was.
    #[serde(with = "time::opt_rfc3339", default)]
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Token {
    /// Whether the token is still valid.
    pub fn is_active(&self) -> bool {
        self.revoked_at.is_none()
    }
}

/// The SHA-256 of a token's secret, as stored: 64 hex digits.
pub fn token_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}
