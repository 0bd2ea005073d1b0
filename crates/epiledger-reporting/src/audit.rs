//! The audit log's hash chain: each entry's hash covers its canonical form and the previous
//! entry's hash, so that editing, inserting or deleting an entry breaks the chain from there on.
//!
//! The canonical form is `epiledger-audit/1\n` followed by the JSON array
//! `[seq, at, token_id, actor, role, address, request_id, action, target, detail, prev_hash]`
//! (times as fixed-width RFC 3339 text, `token_id` a number or null). Deleting the newest
//! entries leaves a valid chain; `epiledger_store::auditlog::verify` catches it when a stored row refers to an entry that
//! is gone, or when the head differs from one recorded earlier (`--expect-head`).

use chrono::{DateTime, Utc};
use epiledger_core::time;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Actor;

/// One entry of the audit log. `hash` is [`entry_hash`] of the entry and
/// `prev_hash`, the hash of the entry before (64 zeros for the first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

/// What precedes the canonical JSON in an entry's hash.
pub const AUDIT_HASH_TAG: &str = "epiledger-audit/1\n";

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of an entry with these fields after `prev_hash`.
#[allow(clippy::too_many_arguments)]
pub fn entry_hash(
    seq: i64,
    at: &str,
    actor: &Actor,
    action: &str,
    target: &str,
    detail: &str,
    prev_hash: &str,
) -> String {
    #[derive(Serialize)]
    struct Canonical<'a>(
        i64,
        &'a str,
        Option<i64>,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
    );
    let c = Canonical(
        seq,
        at,
        actor.token_id,
        &actor.name,
        &actor.role,
        &actor.address,
        &actor.request_id,
        action,
        target,
        detail,
        prev_hash,
    );
    let mut hasher = Sha256::new();
    hasher.update(AUDIT_HASH_TAG.as_bytes());
    // Strings and integers always serialize.
    serde_json::to_writer(&mut hasher, &c).expect("an audit entry always serializes");
    hex::encode(hasher.finalize())
}

/// The hash an entry should have.
pub fn expected_hash(e: &AuditEntry) -> String {
    entry_hash(
        e.seq,
        &time::format(e.at),
        &e.actor,
        &e.action,
        &e.target,
        &e.detail,
        &e.prev_hash,
    )
}

/// The first entry where the chain breaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BrokenEntry {
    /// The seq of the first entry that does not verify (or the first missing one).
    pub seq: i64,
    /// What is wrong.
    pub problem: String,
}

/// The result of verifying the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Verification {
    /// Entries read.
    pub entries: u64,
    /// The last entry's seq and hash, if any.
    pub head: Option<(i64, String)>,
    /// The first break, if any.
    pub broken: Option<BrokenEntry>,
}

impl Verification {
    /// Whether the whole chain verifies.
    pub fn is_ok(&self) -> bool {
        self.broken.is_none()
    }
}

/// Checks entries in seq order: contiguous seqs from 1, each `prev_hash` equal to the hash of
/// the entry before, each `hash` recomputed. Stops at the first break.
#[derive(Debug)]
pub struct Verifier {
    next_seq: i64,
    prev: String,
    entries: u64,
    broken: Option<BrokenEntry>,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier {
            next_seq: 1,
            prev: GENESIS_HASH.to_string(),
            entries: 0,
            broken: None,
        }
    }
}

impl Verifier {
    /// Checks the next entry; false once the chain is broken.
    pub fn push(&mut self, e: &AuditEntry) -> bool {
        if self.broken.is_some() {
            return false;
        }
        let problem = if e.seq != self.next_seq {
            Some(format!(
                "entry {} is missing (the next entry found is {}): entries were deleted",
                self.next_seq, e.seq
            ))
        } else if e.prev_hash != self.prev {
            Some(format!(
                "its prev_hash {} is not the hash of entry {} ({}): an entry before it was \
                 changed, inserted or deleted",
                e.prev_hash,
                e.seq - 1,
                self.prev
            ))
        } else {
            let want = expected_hash(e);
            (want != e.hash).then(|| {
                format!(
                    "its hash {} does not match its content (recomputed {want}): the entry was \
                     edited",
                    e.hash
                )
            })
        };
        if let Some(problem) = problem {
            self.broken = Some(BrokenEntry {
                seq: self.next_seq.min(e.seq),
                problem,
            });
            return false;
        }
        self.next_seq += 1;
        self.prev = e.hash.clone();
        self.entries += 1;
        true
    }

    /// The result.
    pub fn finish(self) -> Verification {
        let head = (self.entries > 0).then(|| (self.next_seq - 1, self.prev));
        Verification {
            entries: self.entries,
            head,
            broken: self.broken,
        }
    }
}
