//! `epiledger serve` as a process: killed with SIGKILL in the middle of concurrent submissions,
//! it loses no acknowledged report and leaves no partial one; `submit`, `token` and
//! `audit-log verify` against it; a graceful stop on SIGTERM.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use serde_json::{json, Value};

mod common;
use common::{epiledger, report, serve, token};

/// The figures of a report, comparable: (measure, origin, value, parts), sorted.
fn figures_of(v: &Value) -> Vec<(String, String, i64, String)> {
    let mut out: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["measure"].as_str().unwrap().to_string(),
                f["origin"].as_str().unwrap_or("all").to_string(),
                f["value"].as_i64().unwrap(),
                f.get("breakdown")
                    .map(|b| b.to_string())
                    .unwrap_or_else(|| "[]".into()),
            )
        })
        .collect();
    out.sort();
    out
}

fn get(url: &str, token: &str) -> (u16, Value) {
    match ureq::get(url)
        .set("Authorization", &format!("Bearer {token}"))
        .call()
    {
        Ok(r) => (r.status(), r.into_json().unwrap()),
        Err(ureq::Error::Status(s, r)) => (s, r.into_json().unwrap_or(Value::Null)),
        Err(e) => panic!("{url}: {e}"),
    }
}

/// A day of 2023 from an index.
fn day(i: usize) -> String {
    let d = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap() + chrono::Duration::days(i as i64);
    d.to_string()
}

#[test]
fn a_killed_server_loses_no_acknowledged_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let units = [
        "110000", "120000", "130000", "140000", "310000", "320000", "440000", "510000",
    ];
    let reporters: Vec<String> = units
        .iter()
        .map(|u| token(&db, &["--role", "reporter", "--unit", u]))
        .collect();
    let compiler = token(&db, &["--role", "compiler"]);
    let (mut child, url) = serve(&db, &[], Stdio::piped());

    // Clients submit as fast as they can; the server is killed once 300 are acknowledged.
    let acked: Mutex<Vec<(String, String, u32, String)>> = Mutex::new(Vec::new());
    let sent: Mutex<Vec<(String, String, Value)>> = Mutex::new(Vec::new());
    let count = AtomicUsize::new(0);
    let dead = AtomicBool::new(false);
    std::thread::scope(|s| {
        for (u, unit) in units.iter().enumerate() {
            for lane in 0..2 {
                let (acked, sent, count, dead) = (&acked, &sent, &count, &dead);
                let token = reporters[u].clone();
                let url = url.clone();
                s.spawn(move || {
                    let agent = ureq::AgentBuilder::new().build();
                    for i in 0.. {
                        if dead.load(Ordering::SeqCst) {
                            break;
                        }
                        let date = day(lane * 180 + i % 180);
                        let body = report(&date, unit, (i / 180) as i64 + 1);
                        let mut body = body;
                        if i >= 180 {
                            body["reason"] = json!(format!("revision {}", i / 180));
                        }
                        sent.lock()
                            .unwrap()
                            .push((date.clone(), unit.to_string(), body.clone()));
                        let r = agent
                            .post(&format!("{url}/api/v1/reports"))
                            .set("Authorization", &format!("Bearer {token}"))
                            .set("Idempotency-Key", &format!("{unit}-{lane}-{i}"))
                            .send_json(body);
                        match r {
                            Ok(r) => {
                                let v: Value = r.into_json().unwrap();
                                acked.lock().unwrap().push((
                                    date,
                                    unit.to_string(),
                                    v["version"].as_u64().unwrap() as u32,
                                    v["content_hash"].as_str().unwrap().to_string(),
                                ));
                                count.fetch_add(1, Ordering::SeqCst);
                            }
                            Err(ureq::Error::Status(s, r)) => {
                                panic!("{s}: {}", r.into_string().unwrap_or_default())
                            }
                            Err(_) => break, // the server is gone
                        }
                    }
                });
            }
        }
        while count.load(Ordering::SeqCst) < 300 {
            std::thread::yield_now();
        }
        child.kill().unwrap(); // SIGKILL, with requests in flight
        dead.store(true, Ordering::SeqCst);
    });
    child.wait().unwrap();
    let acked = acked.into_inner().unwrap();
    let sent = sent.into_inner().unwrap();
    assert!(acked.len() >= 300);

    // Restarted, the server has every acknowledged report, whole.
    let (mut child, url) = serve(&db, &[], Stdio::piped());
    let mut newest: std::collections::BTreeMap<(String, String), (u32, String)> =
        std::collections::BTreeMap::new();
    for (date, unit, version, hash) in &acked {
        let e = newest
            .entry((date.clone(), unit.clone()))
            .or_insert((0, String::new()));
        if *version >= e.0 {
            *e = (*version, hash.clone());
        }
    }
    for ((date, unit), (version, hash)) in &newest {
        let (status, v) = get(
            &format!("{url}/api/v1/reports/{date}/{unit}/versions"),
            &compiler,
        );
        assert_eq!(status, 200, "{v}");
        let versions = v["versions"].as_array().unwrap();
        let stored = versions
            .iter()
            .find(|x| x["version"] == *version)
            .unwrap_or_else(|| {
                panic!("{date} {unit} version {version} was acknowledged but is lost")
            });
        assert_eq!(stored["content_hash"], *hash);
        // Every stored version (acknowledged or not) is one of the reports sent, whole.
        for x in versions {
            let stored = figures_of(&x["figures"]);
            assert!(
                sent.iter().any(|(d, u, body)| d == date
                    && u == unit
                    && figures_of(&body["figures"]) == stored),
                "{date} {unit}: a stored version is no report sent: {x}"
            );
        }
    }
    // The audit log is whole too.
    kill_term(&child);
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(err.contains("stopped"), "{err}");
    let out = epiledger(&db, &["audit-log", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

fn kill_term(child: &Child) {
    let ok = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok);
}

#[test]
fn submit_token_and_audit_log_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let admin = token(&db, &["--role", "admin"]);
    let reporter = token(
        &db,
        &["--role", "reporter", "--unit", "Beijing", "--label", "bj"],
    );
    assert!(admin.starts_with("elt_") && admin.len() == 68);
    let out = epiledger(&db, &["token", "create", "--role", "reporter"]);
    assert_eq!(out.status.code(), Some(3));
    let out = epiledger(&db, &["token", "list"]);
    let list = String::from_utf8_lossy(&out.stdout);
    assert!(list.contains("reporter\t110000\tbj"), "{list}");
    assert!(!list.contains(&admin[4..]), "a secret is listed: {list}");

    let (mut child, url) = serve(&db, &[], Stdio::piped());
    let file = dir.path().join("r.json");
    std::fs::write(&file, report("2023-02-01", "110000", 2).to_string()).unwrap();
    let submit = |extra: &[&str]| {
        let mut args = vec![
            "submit",
            file.to_str().unwrap(),
            "--server",
            &url,
            "--token",
            &reporter,
        ];
        args.extend_from_slice(extra);
        epiledger(&db, &args)
    };
    let out = submit(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("stored version 1"));
    // Run again: the same answer, nothing stored twice.
    let again = submit(&[]);
    assert_eq!(again.stdout, out.stdout);
    // A revision without a reason: every problem printed, exit 3.
    std::fs::write(&file, report("2023-02-01", "110000", 3).to_string()).unwrap();
    let out = submit(&[]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/reason"), "{err}");
    let out = submit(&["--reason", "late results"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("stored version 2"));
    // CSV, with a problem by row and column.
    let csv = dir.path().join("r.csv");
    std::fs::write(
        &csv,
        "date,region,origin,measure,value\n2023-02-02,110000,local,confirmed_new,-3\n",
    )
    .unwrap();
    let out = epiledger(
        &db,
        &[
            "submit",
            csv.to_str().unwrap(),
            "--server",
            &url,
            "--token",
            &reporter,
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("row 2, column value"));

    // Revoked on the file while the server runs: refused within the token cache's lifetime.
    let out = epiledger(&db, &["token", "revoke", "2"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let (status, _) = get(&format!("{url}/api/v1/whoami"), &reporter);
    assert_eq!(status, 401);
    kill_term(&child);
    assert!(child.wait().unwrap().success());

    let out = epiledger(&db, &["audit-log", "verify"]);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{text}");
    assert!(text.contains("5 entries"), "{text}");
    let head = text
        .split("--expect-head ")
        .nth(1)
        .unwrap()
        .trim_end_matches(|c: char| c == ')' || c.is_whitespace())
        .to_string();

    // Tampering: an edited entry is found; so is a deleted tail, against the recorded head.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; \
         PRAGMA foreign_keys = OFF;",
    )
    .unwrap();
    let saved: String = conn
        .query_row("SELECT actor FROM audit_log WHERE seq = 3", [], |r| {
            r.get(0)
        })
        .unwrap();
    conn.execute("UPDATE audit_log SET actor = 'someone' WHERE seq = 3", [])
        .unwrap();
    let out = epiledger(&db, &["audit-log", "verify"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stdout).contains("BROKEN at entry 3"));
    conn.execute("UPDATE audit_log SET actor = ?1 WHERE seq = 3", [&saved])
        .unwrap();
    assert!(epiledger(&db, &["audit-log", "verify"]).status.success());
    // Deleting the newest entry and every row that refers to it leaves a valid chain: only
    // the recorded head catches it.
    conn.execute_batch(
        "DROP TRIGGER token_revocations_no_delete; DELETE FROM token_revocations; \
         DELETE FROM audit_log WHERE seq = 5;",
    )
    .unwrap();
    let out2 = epiledger(&db, &["audit-log", "verify", "--expect-head", &head]);
    assert_eq!(
        out2.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out2.stdout)
    );
    assert!(String::from_utf8_lossy(&out2.stdout).contains("BROKEN at entry 5"));
}
