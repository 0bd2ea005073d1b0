//! The conformance suite of `Store`, against PostgreSQL: each test in a schema of its own of
//! the database that `EPILEDGER_TEST_POSTGRES_URL` names (skipped without it).

#![cfg(feature = "postgres")]

use epiledger_store::postgres::testing::{self, TestSchema};
use epiledger_store::testsuite;

epiledger_store::store_testsuite!(testing::with_store);

#[test]
fn reopen_persists() {
    let Some(schema) = TestSchema::new("reopen_persists") else {
        return;
    };
    testsuite::reopen_persists(&mut || Box::new(schema.connect()));
}
