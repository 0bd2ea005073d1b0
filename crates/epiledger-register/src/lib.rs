//! The case register of epiledger (issue #11): persons (pseudonymised), case cards and close
//! contacts as append-only events; every event validated against the register and applied;
//! the ledger's figures that count people derived from it incrementally, with explicit
//! corrections for late changes; deduplication; the interchange format (CSV and NDJSON, with
//! their Table Schemas and column mappings); the public de-identified line list; and the shipped
//! history simulated as people.
//!
//! This crate does no I/O: readers and writers take `impl Read` / `impl Write`, the pseudonym
//! key is given by the caller, and the history to simulate is passed in as days.
//!
//! See docs/CASES.md for the model, the format and the rules.

pub mod codes;
pub mod derive;
pub mod error;
pub mod event;
pub mod interchange;
pub mod pseudonym;
pub mod public;
pub mod register;
mod serde_code;
pub mod simulate;

pub use codes::{CaseOrigin, Classification, Country, Disease, Outcome, Severity, Sex};
pub use derive::{derived_measures, Derivation};
pub use error::RuleError;
pub use event::{Body, CardFix, CardRef, CardReport, ContactReport, Event, Key, Text};
pub use pseudonym::{PersonKey, PseudonymError, Pseudonymizer};
pub use register::{Applied, BatchSummary, CardView, DuplicateFlag, Private, Register, Rejected};
