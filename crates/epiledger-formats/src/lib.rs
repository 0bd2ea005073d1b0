//! The file formats of epiledger's figures, one codec each, shared by the command line and the
//! server: [`facts`] (CSV and JSON Lines, read and written).

pub mod facts;

pub use facts::{
    facts_bytes, read_facts, series_csv, write_facts, write_with_implied, Basis, DatedFact,
    FactsError, FactsFormat, FactsWriter, FACTS_COLUMNS, FACTS_COLUMNS_WITH_BASIS, FACTS_HEADER,
};
