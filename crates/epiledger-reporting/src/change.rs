//! The changes of the reporting workflow, who makes them, what they did, and why one is
//! refused.

use chrono::{DateTime, Utc};
use epiledger_core::{time, Date, Day, RegionCode};
use serde::{Deserialize, Serialize};

use crate::report::code_serde;
use crate::{BasisEntry, Erratum, Release, Role, Token, ValidatedReport};

/// Who makes a change, from where: what the audit log records.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Actor {
    /// The token, if any (the command line acting on the file has none).
    pub token_id: Option<i64>,
    /// A name for people: the token's label, or `cli:<user>`.
    pub name: String,
    /// The role acted in (`reporter`, `compiler`, `admin`, `local`).
    pub role: String,
    /// The client address (`127.0.0.1:52344`, or `local`).
    pub address: String,
    /// The request id (empty outside the server).
    pub request_id: String,
}

/// A retry key: the same key from the same token answers the first answer again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotencyKey {
    /// The client's `Idempotency-Key`.
    pub key: String,
    /// A hash of the request (method, path, body) so that a reused key is caught.
    pub request_hash: String,
}

/// A change to the reporting workflow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// A unit's report of a day: version 1, or a revision with its reason.
    SubmitReport {
        /// The report, as validation accepted it: only [`crate::validate`] makes one.
        report: ValidatedReport,
        /// Required when the unit already reported the day.
        reason: Option<String>,
    },
    /// The cutoff of a day.
    SetCutoff {
        /// The day.
        date: Date,
        /// When reports are due.
        cutoff: DateTime<Utc>,
    },
    /// Approves a compiled day as a release (superseding an approved, unpublished one).
    ApproveRelease {
        /// The day.
        date: Date,
        /// The compiled day.
        day: Day,
        /// The report versions it compiles; refused if a unit has reported since.
        basis: Vec<BasisEntry>,
        /// The published version it revises; refused if another was published since.
        base_version: Option<u32>,
        /// The changes from that version.
        errata: Vec<Erratum>,
        /// A note.
        note: Option<String>,
    },
    /// Publishes an approved release.
    PublishRelease {
        /// The release id.
        id: i64,
    },
    /// A new token, given its hash.
    CreateToken {
        /// [`token_hash`] of the secret.
        hash: String,
        /// Its role.
        role: Role,
        /// The unit of a reporter.
        unit: Option<RegionCode>,
        /// A label.
        label: String,
    },
    /// Revokes a token.
    RevokeToken {
        /// Its id.
        id: i64,
    },
    /// A batch of case-register events, validated against the register by the caller, stored
    /// as its segments (canonical interchange CSV) under one audit entry.
    RecordCases {
        /// The batch.
        batch: CaseBatch,
    },
    /// A read of a case card's personal data, recorded in the audit log (who, which card, when).
    ReadCase {
        /// The card, `UNIT:ID`.
        card: String,
    },
}

/// One part of a batch of case events as stored: the parts of a batch, in order, are one
/// interchange CSV file (the header at the start of the first), cut after a line end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseSegment {
    /// The bytes.
    pub data: Vec<u8>,
}

/// Where the segments of a batch come from. A store may run a batch again (a PostgreSQL
/// serialization failure), so it rewinds the source before each attempt.
pub trait CaseSegments: Send {
    /// Back to the first segment.
    fn rewind(&mut self) -> std::io::Result<()>;
    /// The next segment, if any.
    fn next_segment(&mut self) -> std::io::Result<Option<CaseSegment>>;
    /// The events and units of the batch when they are known only once its last segment was
    /// read (a batch validated while it is stored); `None`: the batch's own.
    fn totals(&self) -> Option<(u64, Vec<RegionCode>)> {
        None
    }
}

/// Segments held in memory (a batch posted over HTTP).
#[derive(Debug, Default)]
pub struct SegmentsInMemory {
    segments: Vec<CaseSegment>,
    next: usize,
}

impl SegmentsInMemory {
    /// These segments.
    pub fn new(segments: Vec<CaseSegment>) -> SegmentsInMemory {
        SegmentsInMemory { segments, next: 0 }
    }
}

impl CaseSegments for SegmentsInMemory {
    fn rewind(&mut self) -> std::io::Result<()> {
        self.next = 0;
        Ok(())
    }
    fn next_segment(&mut self) -> std::io::Result<Option<CaseSegment>> {
        let s = self.segments.get(self.next).cloned();
        self.next += 1;
        Ok(s)
    }
}

/// A batch of case events to store: what the audit entry says of it, and its segments.
#[derive(Clone)]
pub struct CaseBatch {
    /// Events recorded (events already recorded before are not in the batch).
    pub events: u64,
    /// The submitting units, sorted.
    pub units: Vec<RegionCode>,
    /// The segments (the store hashes them as it writes them: the audit entry gives the
    /// SHA-256 of the batch, so the audit chain covers the register's content).
    pub source: std::sync::Arc<std::sync::Mutex<dyn CaseSegments>>,
}

impl std::fmt::Debug for CaseBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaseBatch")
            .field("events", &self.events)
            .field("units", &self.units)
            .finish_non_exhaustive()
    }
}

impl PartialEq for CaseBatch {
    fn eq(&self, other: &Self) -> bool {
        self.events == other.events
            && self.units == other.units
            && std::sync::Arc::ptr_eq(&self.source, &other.source)
    }
}

impl Eq for CaseBatch {}

impl Change {
    /// The audit log's name of the action.
    pub fn action(&self) -> &'static str {
        match self {
            Change::SubmitReport { .. } => "report.submit",
            Change::SetCutoff { .. } => "cutoff.set",
            Change::ApproveRelease { .. } => "release.approve",
            Change::PublishRelease { .. } => "release.publish",
            Change::CreateToken { .. } => "token.create",
            Change::RevokeToken { .. } => "token.revoke",
            Change::RecordCases { .. } => "cases.record",
            Change::ReadCase { .. } => "case.read",
        }
    }
}

/// A change with who makes it and its retry key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeRequest {
    /// The change.
    pub change: Change,
    /// Who, from where.
    pub actor: Actor,
    /// The retry key, if the client gave one.
    pub idempotency: Option<IdempotencyKey>,
}

/// What a change did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Applied {
    /// A report stored (or found identical to the newest version: `unchanged`).
    Report {
        /// The day.
        date: Date,
        /// The unit.
        #[serde(with = "code_serde")]
        unit: RegionCode,
        /// The version that is now the newest.
        version: u32,
        /// Its content hash.
        content_hash: String,
        /// When that version was stored.
        #[serde(with = "time::rfc3339")]
        submitted_at: DateTime<Utc>,
        /// Whether the report equals the newest version, so that nothing was stored.
        unchanged: bool,
    },
    /// A cutoff set.
    Cutoff {
        /// The day.
        date: Date,
        /// The cutoff.
        #[serde(with = "time::rfc3339")]
        cutoff: DateTime<Utc>,
    },
    /// A release approved or published.
    Release {
        /// The release.
        release: Release,
    },
    /// A token created or revoked.
    Token {
        /// The token.
        token: Token,
    },
    /// A batch of case events stored.
    Cases {
        /// Events stored.
        events: u64,
        /// In how many segments.
        segments: u32,
        /// Their size in bytes.
        bytes: u64,
        /// SHA-256 of the segments' data.
        sha256: String,
    },
    /// A read of a card recorded.
    CaseRead {
        /// The card.
        card: String,
    },
}

/// A change that was committed (or answered again for a repeated retry key).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Committed {
    /// What it did.
    pub applied: Applied,
    /// Its audit log entry (none when nothing changed).
    pub audit_seq: Option<i64>,
    /// Whether this is the stored answer to an earlier request with the same retry key.
    #[serde(default)]
    pub replayed: bool,
}

/// Why the workflow's rules refuse a change; nothing of it is stored. The store adds its own
/// failures to these (`epiledger_store::ChangeError`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The change conflicts with what is stored (a stale approval, a release already
    /// published).
    #[error("{0}")]
    Conflict(String),
    /// A unit's report of a day that supersedes an earlier version, without a reason: the
    /// same rule, and the same answer, as validation's `revision_needs_reason`.
    #[error("{0}")]
    NeedsReason(String),
    /// What the change refers to does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The change itself is wrong.
    #[error("{0}")]
    Invalid(String),
    /// The retry key was used before for a different request.
    #[error(
        "the Idempotency-Key `{0}` was used before for a different request; \
         use a new key for a new request"
    )]
    IdempotencyMismatch(String),
}
