//! The conformance suite of `ReportingStore` against SQLite files and in memory, and what only
//! a file shows: tampering with the audit log is detected, a second process keeps the chain.

use epiledger_store::{auditlog, ReportingStore};
use epiledger_store_sqlite::SqliteStore;

fn with_file_store(test: &mut dyn FnMut(&mut dyn ReportingStore)) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path().join("ledger.sqlite")).unwrap();
    test(&mut store);
}

epiledger_store::reporting_testsuite!(with_file_store);

mod in_memory {
    use epiledger_store::ReportingStore;
    use epiledger_store_sqlite::SqliteStore;

    fn with_memory_store(test: &mut dyn FnMut(&mut dyn ReportingStore)) {
        test(&mut SqliteStore::open_in_memory().unwrap());
    }

    epiledger_store::reporting_testsuite!(with_memory_store);
}

mod tampering {
    use super::*;
    use epiledger_store::reporting_testsuite::{actor, report, t};
    use epiledger_store::{Change, ChangeRequest};
    use rusqlite::Connection;

    fn filled(path: &std::path::Path) {
        let mut store = SqliteStore::open(path).unwrap();
        let reqs: Vec<ChangeRequest> = ["110000", "120000", "130000", "140000"]
            .iter()
            .map(|u| ChangeRequest {
                change: Change::SubmitReport {
                    report: report("2023-01-05", u, 1),
                    reason: None,
                },
                actor: actor(Some(1)),
                idempotency: None,
            })
            .collect();
        for r in store.apply_changes(&reqs, t(1)).unwrap() {
            r.unwrap();
        }
        assert!(auditlog::verify(&store).unwrap().is_ok());
    }

    /// Drops the append-only triggers, as someone with the file and the sqlite3 shell could.
    fn raw(path: &std::path::Path) -> Connection {
        let c = Connection::open(path).unwrap();
        c.execute_batch(
            "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; \
             PRAGMA foreign_keys = OFF;",
        )
        .unwrap();
        c
    }

    #[test]
    fn triggers_refuse_edits() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.sqlite");
        filled(&path);
        let c = Connection::open(&path).unwrap();
        assert!(c.execute("UPDATE audit_log SET actor = 'x'", []).is_err());
        assert!(c.execute("DELETE FROM audit_log", []).is_err());
        assert!(c.execute("DELETE FROM reports", []).is_err());
    }

    #[test]
    fn an_edit_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.sqlite");
        filled(&path);
        raw(&path)
            .execute(
                "UPDATE audit_log SET address = '10.0.0.1:1' WHERE seq = 3",
                [],
            )
            .unwrap();
        let v = auditlog::verify(&SqliteStore::open(&path).unwrap()).unwrap();
        let b = v.broken.unwrap();
        assert_eq!(b.seq, 3);
        assert!(b.problem.contains("edited"), "{}", b.problem);
    }

    #[test]
    fn a_deletion_in_the_middle_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.sqlite");
        filled(&path);
        raw(&path)
            .execute("DELETE FROM audit_log WHERE seq = 2", [])
            .unwrap();
        let v = auditlog::verify(&SqliteStore::open(&path).unwrap()).unwrap();
        assert_eq!(v.broken.unwrap().seq, 2);
    }

    #[test]
    fn a_deleted_tail_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.sqlite");
        filled(&path);
        raw(&path)
            .execute("DELETE FROM audit_log WHERE seq = 4", [])
            .unwrap();
        let v = auditlog::verify(&SqliteStore::open(&path).unwrap()).unwrap();
        let b = v.broken.unwrap();
        assert_eq!(b.seq, 4);
        assert!(b.problem.contains("deleted"), "{}", b.problem);
    }

    #[test]
    fn two_writers_keep_one_chain() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("l.sqlite");
        filled(&path);
        let mut a = SqliteStore::open(&path).unwrap();
        let mut b = SqliteStore::open(&path).unwrap();
        for i in 0..3 {
            let store = if i == 1 { &mut b } else { &mut a };
            let req = ChangeRequest {
                change: Change::SubmitReport {
                    report: report("2023-01-06", &format!("{}0000", 11 + i), 1),
                    reason: None,
                },
                actor: actor(None),
                idempotency: None,
            };
            store
                .apply_changes(&[req], t(2))
                .unwrap()
                .pop()
                .unwrap()
                .unwrap();
        }
        let v = auditlog::verify(&b).unwrap();
        assert!(v.is_ok(), "{v:?}");
        assert_eq!(v.entries, 7);
    }
}
