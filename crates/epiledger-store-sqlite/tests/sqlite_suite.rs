//! The conformance suite of `Store`, against SQLite files and in memory.

use epiledger_store::{testsuite, Store};
use epiledger_store_sqlite::SqliteStore;

/// A fresh ledger file in its own temporary directory.
fn with_file_store(test: &mut dyn FnMut(&mut dyn Store)) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path().join("ledger.sqlite")).unwrap();
    test(&mut store);
}

epiledger_store::store_testsuite!(with_file_store);

mod in_memory {
    use epiledger_store::Store;
    use epiledger_store_sqlite::SqliteStore;

    fn with_memory_store(test: &mut dyn FnMut(&mut dyn Store)) {
        test(&mut SqliteStore::open_in_memory().unwrap());
    }

    epiledger_store::store_testsuite!(with_memory_store);
}

#[test]
fn reopen_persists() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    testsuite::reopen_persists(&mut || Box::new(SqliteStore::open(&path).unwrap()));
}
