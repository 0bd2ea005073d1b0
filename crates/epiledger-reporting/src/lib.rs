//! The reporting workflow of epiledger, with no I/O.
//!
//! The 32 reporting units (31 provinces and the XPCC) send their day as a [`Report`];
//! [`validate`] reads it (JSON or CSV) and checks it as a whole, every problem at once, and
//! only validation makes the [`ValidatedReport`] that a store accepts. [`compile`] makes the
//! completeness board and the national compilation of a day; a compiler approves it as a
//! [`Release`] and publishes it; a later release carries its [`Erratum`]s. Every change is a
//! [`Change`], decided by [`rules`] (written once for every store: `epiledger_store::workflow`
//! runs them inside a transaction) and written to the hash-chained audit log ([`audit`]).
//!
//! How it relates to the ledger: the day versions of the ledger are what is **public**. The
//! shipped history (and anything imported from bulletins) counts as published: each of its
//! versions is a release, numbered by its version. A day compiled from the units' reports
//! becomes public only when a compiler publishes a release, which writes the compiled day as a
//! new day version (source kind `report`) in the same transaction; the release's number is
//! that version's number. Reports, cutoffs, drafts and approvals are never public.

pub mod audit;
mod change;
pub mod compile;
pub mod problem;
mod release;
mod report;
pub mod rules;
mod token;
pub mod validate;

pub use audit::AuditEntry;
pub use change::{
    Actor, Applied, CaseBatch, CaseSegment, CaseSegments, Change, ChangeRequest, Committed,
    IdempotencyKey, Refusal, SegmentsInMemory,
};
pub use problem::{Loc, Problem, Warning, PROBLEM_CODES};
pub use release::{BasisEntry, Erratum, Release, ReleaseStatus};
pub use report::{
    code_serde, Part, Report, ReportFigure, StoredReport, UnitDayReport, ValidatedReport,
    REPORT_HASH_TAG,
};
pub use token::{token_hash, Role, RoleError, Token};
