//! Where a version of a day came from: a bulletin, the embedded history, a unit's report.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::content;

/// What kind of source a version of a day was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SourceKind {
    /// A published national bulletin (a file of the archive).
    Bulletin,
    /// Data embedded in the program itself.
    Embedded,
    /// A report submitted by a reporting unit.
    Report,
    /// Anything else; the source's name says what.
    Other,
}

impl SourceKind {
    /// Every kind.
    pub const ALL: [SourceKind; 4] = [
        SourceKind::Bulletin,
        SourceKind::Embedded,
        SourceKind::Report,
        SourceKind::Other,
    ];

    /// The machine name: `bulletin`, `embedded`, `report`, `other`.
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Bulletin => "bulletin",
            SourceKind::Embedded => "embedded",
            SourceKind::Report => "report",
            SourceKind::Other => "other",
        }
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A source kind that is none of `bulletin`, `embedded`, `report`, `other`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown source kind `{0}`: use bulletin, embedded, report or other")]
pub struct SourceKindError(pub String);

impl FromStr for SourceKind {
    type Err = SourceKindError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SourceKind::ALL
            .into_iter()
            .find(|k| k.name() == s)
            .ok_or_else(|| SourceKindError(s.to_string()))
    }
}

/// Where a version of a day came from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Source {
    /// Bulletin, embedded data, a unit's report, or other.
    pub kind: SourceKind,
    /// The file path or a label.
    pub name: String,
    /// The SHA-256 of the source's bytes, 64 hex digits, as computed by the caller.
    pub content_hash: String,
}

impl Source {
    /// A source whose hash the caller has computed.
    pub fn new(kind: SourceKind, name: impl Into<String>, content_hash: impl Into<String>) -> Self {
        Source {
            kind,
            name: name.into(),
            content_hash: content_hash.into(),
        }
    }

    /// A source whose hash is computed here from its bytes.
    pub fn from_bytes(kind: SourceKind, name: impl Into<String>, bytes: &[u8]) -> Self {
        Source::new(kind, name, content::sha256_hex(bytes))
    }
}
