//! The reporting workflow's data: the reports of the 32 units, the daily releases, the API
//! tokens and the audit log, and the [`ReportingStore`] trait that stores them.
//!
//! How it relates to the ledger of [`crate::Store`]: the day versions of the ledger are what
//! is **public**. The shipped history (and anything imported from bulletins) counts as
//! published: each of its versions is a release, numbered by its version. A day compiled from
//! the units' reports becomes public only when a compiler publishes a release: publishing
//! writes the compiled day as a new day version (source kind `report`) in the same
//! transaction, and the release's number is that version's number. Reports, cutoffs, drafts
//! and approvals live in their own append-only tables and are never public.
//!
//! Every change goes through [`ReportingStore::apply_changes`]: a batch of changes in one
//! transaction (group commit), each change applied whole or not at all, each successful one
//! written to the hash-chained audit log in the same transaction, so that the audit log holds
//! exactly the changes that happened.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use epiledger_core::{Correction, Count, Date, Day, Fact, Measure, Origin, RegionCode, RegionId};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{time, Store, StoreError, VersionInfo};

pub(crate) mod rules;

/// Serde of a [`RegionCode`] as its six digits, `"110000"`.
pub mod code_serde {
    use epiledger_core::RegionCode;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the code as text.
    pub fn serialize<S: Serializer>(c: &RegionCode, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(c)
    }

    /// Reads a six-digit code.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<RegionCode, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }

    /// The same for an optional code.
    pub mod option {
        use epiledger_core::RegionCode;
        use serde::{Deserialize, Deserializer, Serializer};

        /// Writes the code as text, or null.
        pub fn serialize<S: Serializer>(c: &Option<RegionCode>, s: S) -> Result<S::Ok, S::Error> {
            match c {
                Some(c) => s.collect_str(c),
                None => s.serialize_none(),
            }
        }

        /// Reads a six-digit code or null.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<RegionCode>, D::Error> {
            Option::<String>::deserialize(d)?
                .map(|s| s.parse().map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}

/// Optional timestamps as RFC 3339 text.
pub mod opt_time {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the time as [`crate::time::format`] does, or null.
    pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&crate::time::format(*t)),
            None => s.serialize_none(),
        }
    }

    /// Reads an RFC 3339 timestamp or null.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| {
                crate::time::parse(&s).ok_or_else(|| {
                    serde::de::Error::custom(format!("`{s}` is not an RFC 3339 timestamp"))
                })
            })
            .transpose()
    }
}

/// What a token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
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
            .find(|r| r.name() == s.trim())
            .ok_or_else(|| RoleError(s.to_string()))
    }
}

/// An API token as stored: never the secret, only its SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    #[serde(with = "opt_time", default)]
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

/// A part of a figure: the figure of a prefecture or district inside the unit.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Part {
    /// The region inside the unit.
    pub region: RegionId,
    /// Its figure.
    pub value: Count,
}

/// One figure of a report: the unit's own value, with optional parts by region.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ReportFigure {
    /// What it counts.
    pub measure: Measure,
    /// Which cases.
    pub origin: Origin,
    /// The unit's figure.
    pub value: Count,
    /// Parts by prefecture or district, if given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakdown: Vec<Part>,
}

/// A reporting unit's report of one day, as accepted (validated by the server).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The reporting day.
    pub date: Date,
    /// The reporting unit (one of the 32), or the nation for national-only figures.
    #[serde(with = "code_serde")]
    pub unit: RegionCode,
    /// The figures.
    pub figures: Vec<ReportFigure>,
    /// Corrections of the unit's figures (核减, 核增, 订正), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
    /// The ids of the plausibility warnings the reporter acknowledged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledged: Vec<String>,
}

/// What precedes a report's canonical JSON in its content hash.
pub const REPORT_HASH_TAG: &str = "epiledger-report/1\n";

impl Report {
    /// The report in canonical form: figures sorted by (measure, origin), parts by region.
    pub fn canonical(&self) -> Report {
        let mut r = self.clone();
        for f in &mut r.figures {
            f.breakdown.sort();
        }
        r.figures.sort_by_key(|f| (f.origin, f.measure));
        r.acknowledged.sort();
        r.acknowledged.dedup();
        r
    }

    /// The SHA-256 of the canonical report's figures and corrections (not the
    /// acknowledgements): two reports with the same hash say the same.
    pub fn content_hash(&self) -> String {
        let mut c = self.canonical();
        c.acknowledged.clear();
        let mut hasher = Sha256::new();
        hasher.update(REPORT_HASH_TAG.as_bytes());
        // A Report is plain data (strings, integers, enums); serializing it cannot fail.
        serde_json::to_writer(&mut hasher, &c).expect("a Report always serializes to JSON");
        hex::encode(hasher.finalize())
    }

    /// The report as facts of a day: the unit's figures and their parts.
    pub fn to_day(&self) -> Day {
        let mut day = Day::new(self.date);
        let unit = RegionId::Code(self.unit);
        for f in &self.figures {
            day.facts.push(Fact {
                region: unit.clone(),
                origin: f.origin,
                measure: f.measure,
                value: f.value,
            });
            for p in &f.breakdown {
                day.facts.push(Fact {
                    region: p.region.clone(),
                    origin: f.origin,
                    measure: f.measure,
                    value: p.value,
                });
            }
        }
        day.corrections = self.corrections.clone();
        day.normalize();
        day
    }

    /// The unit's own figure of a measure and origin, if the report gives it.
    pub fn get(&self, origin: Origin, measure: Measure) -> Option<Count> {
        self.figures
            .iter()
            .find(|f| f.origin == origin && f.measure == measure)
            .map(|f| f.value)
    }
}

/// One stored version of a unit's report of a day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredReport {
    /// The report.
    pub report: Report,
    /// Its version, from 1.
    pub version: u32,
    /// Why it supersedes the previous version (required from version 2).
    #[serde(default)]
    pub reason: Option<String>,
    /// When it was stored.
    #[serde(with = "time::rfc3339")]
    pub submitted_at: DateTime<Utc>,
    /// The token that submitted it.
    #[serde(default)]
    pub submitted_by: Option<i64>,
    /// [`Report::content_hash`].
    pub content_hash: String,
}

/// The newest report of a unit for a day, with when it first reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitDayReport {
    /// The newest version (as of the time asked).
    pub newest: StoredReport,
    /// When version 1 was stored.
    #[serde(with = "time::rfc3339")]
    pub first_submitted_at: DateTime<Utc>,
}

/// Where a release stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReleaseStatus {
    /// Approved by a compiler, not yet public.
    Approved,
    /// Public; immutable.
    Published,
    /// Replaced by a later approval before it was published; never public.
    Superseded,
}

impl ReleaseStatus {
    /// `approved`, `published`, `superseded`.
    pub fn name(self) -> &'static str {
        match self {
            ReleaseStatus::Approved => "approved",
            ReleaseStatus::Published => "published",
            ReleaseStatus::Superseded => "superseded",
        }
    }
}

/// A unit's report version that a compilation used.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BasisEntry {
    /// The unit (or the nation, for national figures).
    #[serde(with = "code_serde")]
    pub unit: RegionCode,
    /// The report version.
    pub version: u32,
}

/// A published figure that a later release changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Erratum {
    /// Where.
    pub region: RegionId,
    /// Which cases.
    pub origin: Origin,
    /// Which figure.
    pub measure: Measure,
    /// The published value (none if the figure is new).
    pub old: Option<Count>,
    /// The new value (none if the figure is withdrawn).
    pub new: Option<Count>,
    /// Why: the reasons of the revised reports.
    pub reason: String,
}

/// A release of a day: a compiled day, approved and then published.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    /// Its id (approvals are addressed by id; numbers come with publication).
    pub id: i64,
    /// The reporting day.
    pub date: Date,
    /// The release number: the day version its publication created. None until published.
    pub number: Option<u32>,
    /// Approved, published or superseded (as of the time asked).
    pub status: ReleaseStatus,
    /// The content hash of the compiled day ([`crate::content::content_hash`]).
    pub content_hash: String,
    /// The report versions compiled.
    pub basis: Vec<BasisEntry>,
    /// The published version this release revises, if any.
    pub base_version: Option<u32>,
    /// What it changes from the published version.
    pub errata: Vec<Erratum>,
    /// The approver's note.
    #[serde(default)]
    pub note: Option<String>,
    /// The approving token.
    pub approved_by: Option<i64>,
    /// When it was approved.
    #[serde(with = "time::rfc3339")]
    pub approved_at: DateTime<Utc>,
    /// The publishing token.
    pub published_by: Option<i64>,
    /// When it was published (or superseded).
    #[serde(with = "opt_time", default)]
    pub published_at: Option<DateTime<Utc>>,
}

/// Who makes a change, from where: what the audit log records.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
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
        /// The validated report.
        report: Report,
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
}

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

/// Why a change was refused; nothing of it was stored.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    /// The change conflicts with what is stored (a revision without a reason, a stale
    /// approval, a release already published).
    #[error("{0}")]
    Conflict(String),
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
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One entry of the audit log. `hash` is [`crate::auditlog::entry_hash`] of the entry and
/// `prev_hash`, the hash of the entry before (64 zeros for the first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Its position, from 1, without gaps.
    pub seq: i64,
    /// When.
    #[serde(with = "time::rfc3339")]
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: Actor,
    /// What (`report.submit`).
    pub action: String,
    /// On what (`2023-01-05/110000`).
    pub target: String,
    /// The details, as JSON text.
    pub detail: String,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// The reporting workflow's storage. Implementations: [`crate::SqliteStore`]; the conformance
/// tests are in `reporting_testsuite` (feature `testsuite`).
///
/// Reads take `as_of` like [`Store`]'s: `None` reads the newest state, `Some(t)` what was
/// stored at or before `t`.
pub trait ReportingStore: Store {
    /// Applies a batch of changes in one transaction, recording them at `at`. Each change is
    /// applied whole or not at all (its own result); the successful ones and their audit log
    /// entries are committed together. `Err` means the transaction failed and nothing of the
    /// batch was stored.
    fn apply_changes(
        &mut self,
        changes: &[ChangeRequest],
        at: DateTime<Utc>,
    ) -> Result<Vec<Result<Committed, ChangeError>>, StoreError>;

    /// The newest version of a unit's report of a day.
    fn report(
        &self,
        date: Date,
        unit: RegionCode,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Option<StoredReport>, StoreError>;

    /// Every version of a unit's report of a day, oldest first.
    fn report_versions(
        &self,
        date: Date,
        unit: RegionCode,
    ) -> Result<Vec<StoredReport>, StoreError>;

    /// The newest report of every unit that reported a day, in unit order.
    fn day_reports(
        &self,
        date: Date,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Vec<UnitDayReport>, StoreError>;

    /// The newest report of a unit for each day in `from..=to`, in date order.
    fn unit_reports(
        &self,
        unit: RegionCode,
        from: Date,
        to: Date,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Vec<StoredReport>, StoreError>;

    /// The cutoff set for a day, if one was.
    fn cutoff(
        &self,
        date: Date,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Option<DateTime<Utc>>, StoreError>;

    /// The releases of the days in `from..=to` approved at or before `as_of`, with their
    /// status as of then, by date and id.
    fn releases(
        &self,
        from: Option<Date>,
        to: Option<Date>,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Vec<Release>, StoreError>;

    /// A release with its compiled day.
    fn release(&self, id: i64) -> Result<Option<(Release, Day)>, StoreError>;

    /// Every day version in `from..=to` recorded at or before `as_of` (the published
    /// history), by date and version.
    fn published_versions(
        &self,
        from: Option<Date>,
        to: Option<Date>,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<Vec<VersionInfo>, StoreError>;

    /// The token with this hash, revoked or not.
    fn token_by_hash(&self, hash: &str) -> Result<Option<Token>, StoreError>;

    /// Every token, by id.
    fn tokens(&self) -> Result<Vec<Token>, StoreError>;

    /// Up to `limit` audit log entries after `after` (a seq), in order.
    fn audit_entries(&self, after: i64, limit: usize) -> Result<Vec<AuditEntry>, StoreError>;

    /// The largest audit seq that a stored row (report, token, release, cutoff) refers to:
    /// an audit log shorter than this lost its tail.
    fn audit_max_reference(&self) -> Result<Option<i64>, StoreError>;

    /// Whether a short read may run on an async runtime's worker thread (SQLite). False for a
    /// client that runs a runtime of its own to block on (the synchronous PostgreSQL client,
    /// which panics inside another runtime): its reads go to blocking threads.
    fn reads_inline(&self) -> bool {
        true
    }

    /// The stored answer to an earlier request with this retry key from this token, with
    /// that request's hash.
    fn idempotent(
        &self,
        token_id: Option<i64>,
        key: &str,
    ) -> Result<Option<(String, Committed)>, StoreError>;
}
