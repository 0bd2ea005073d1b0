//! Storage of the ledger.
