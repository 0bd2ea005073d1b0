//! The conformance suite of `Store`, against PostgreSQL: each test in a schema of its own of
//! the database that `EPILEDGER_TEST_POSTGRES_URL` names (skipped without it).

use epiledger_store::testsuite;
use epiledger_store_postgres::testing::{self, TestSchema};

epiledger_store::store_testsuite!(testing::with_store);

#[test]
fn reopen_persists() {
    let Some(schema) = TestSchema::new("reopen_persists") else {
        return;
    };
    testsuite::reopen_persists(&mut || Box::new(schema.connect()));
}
