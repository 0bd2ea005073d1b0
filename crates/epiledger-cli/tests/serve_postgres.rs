//! Several `epiledger serve` processes on one PostgreSQL database, with real concurrent
//! clients: the 32 units submit a day spread over the servers (no lost update), two compilers
//! on two servers publish the same day at once (exactly one publication), the audit chain
//! verifies, and the other servers see publications and revocations. Each run uses a schema of
//! its own in the database that `EPILEDGER_TEST_POSTGRES_URL` names (skipped without it).

use std::collections::BTreeMap;
use std::process::{Child, Stdio};
use std::sync::{Barrier, Mutex};

use epiledger_store_postgres::testing::TestSchema;
use serde_json::{json, Value};

mod common;
use common::{epiledger, token};

const UNITS: [&str; 32] = [
    "110000", "120000", "130000", "140000", "150000", "210000", "220000", "230000", "310000",
    "320000", "330000", "340000", "350000", "360000", "370000", "410000", "420000", "430000",
    "440000", "450000", "460000", "500000", "510000", "520000", "530000", "540000", "610000",
    "620000", "630000", "640000", "650000", "660000",
];

const DAY: &str = "2023-03-01";

/// A server on a free port, stopped when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(db: &str) -> Server {
        Server::start_with(db, &[])
    }

    fn start_with(db: &str, extra: &[&str]) -> Server {
        let (child, url) = common::serve(db, extra, Stdio::inherit());
        Server { child, url }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn call(method: &str, url: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
    let mut req = ureq::request(method, url);
    if let Some(t) = token {
        req = req.set("Authorization", &format!("Bearer {t}"));
    }
    let r = match body {
        Some(b) => req.send_json(b),
        None => req.call(),
    };
    match r {
        Ok(r) => (r.status(), r.into_json().unwrap_or(Value::Null)),
        Err(ureq::Error::Status(s, r)) => (s, r.into_json().unwrap_or(Value::Null)),
        Err(e) => panic!("{url}: {e}"),
    }
}

fn report(unit: &str, n: i64, reason: Option<&str>) -> Value {
    let mut r = common::report(DAY, unit, n);
    if let Some(reason) = reason {
        r["reason"] = json!(reason);
    }
    r
}

/// Approves the current compilation of the day and publishes it: the publication, or the
/// status and error of the step that was refused.
fn approve_and_publish(url: &str, compiler: &str) -> Result<Value, (u16, Value)> {
    let (s, c) = call(
        "GET",
        &format!("{url}/api/v1/days/{DAY}/compilation"),
        Some(compiler),
        None,
    );
    assert_eq!(s, 200, "{c}");
    let body = json!({ "content_hash": c["content_hash"], "accept_discrepancies": true });
    let (s, a) = call(
        "POST",
        &format!("{url}/api/v1/days/{DAY}/releases"),
        Some(compiler),
        Some(body),
    );
    if s != 201 {
        return Err((s, a));
    }
    let id = a["release"]["id"].as_i64().unwrap();
    let (s, p) = call(
        "POST",
        &format!("{url}/api/v1/releases/{id}/publish"),
        Some(compiler),
        None,
    );
    if s == 200 {
        Ok(p)
    } else {
        Err((s, p))
    }
}

/// The published release number of the day that a public read on `url` answers.
fn public_release(url: &str) -> Option<u64> {
    let (s, j) = call(
        "GET",
        &format!("{url}/api/v1/bulletins/{DAY}?format=json"),
        None,
        None,
    );
    (s == 200).then(|| j["release"].as_u64().unwrap())
}

#[test]
fn three_servers_on_one_postgres_database() {
    let Some(schema) = TestSchema::new("three_servers_on_one_postgres_database") else {
        return;
    };
    let db = schema.url_with_schema();
    let reporters: Vec<String> = UNITS
        .iter()
        .map(|u| token(&db, &["--role", "reporter", "--unit", u]))
        .collect();
    let compilers = [
        token(&db, &["--role", "compiler"]),
        token(&db, &["--role", "compiler"]),
    ];
    let admin = token(&db, &["--role", "admin"]);
    // The first server fills the new database with the shipped history; then two more.
    let servers: Vec<Server> = (0..3).map(|_| Server::start(&db)).collect();
    let (s, _) = call(
        "GET",
        &format!("{}/api/v1/bulletins/2020-06-19", servers[2].url),
        None,
        None,
    );
    assert_eq!(s, 200, "the shipped history is served");

    // Every unit submits its day and a revision, each to another server, all at once.
    let acked: Mutex<BTreeMap<(String, u64), String>> = Mutex::new(BTreeMap::new());
    let barrier = Barrier::new(UNITS.len());
    std::thread::scope(|s| {
        for (i, unit) in UNITS.iter().enumerate() {
            let (acked, barrier, servers, token) = (&acked, &barrier, &servers, &reporters[i]);
            s.spawn(move || {
                barrier.wait();
                for (step, reason) in [None, Some("late results")].into_iter().enumerate() {
                    let url = &servers[(i + step) % servers.len()].url;
                    let (status, v) = call(
                        "POST",
                        &format!("{url}/api/v1/reports"),
                        Some(token),
                        Some(report(unit, (i % 5) as i64 + step as i64, reason)),
                    );
                    assert_eq!(status, 201, "{unit} step {step}: {v}");
                    let version = v["version"].as_u64().unwrap();
                    let hash = v["content_hash"].as_str().unwrap().to_string();
                    acked
                        .lock()
                        .unwrap()
                        .insert((unit.to_string(), version), hash);
                }
            });
        }
    });
    let acked = acked.into_inner().unwrap();
    assert_eq!(acked.len(), 64);
    for unit in UNITS {
        let (s, v) = call(
            "GET",
            &format!("{}/api/v1/reports/{DAY}/{unit}/versions", servers[2].url),
            Some(&compilers[0]),
            None,
        );
        assert_eq!(s, 200, "{v}");
        let versions: Vec<(u64, String)> = v["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                (
                    x["version"].as_u64().unwrap(),
                    x["content_hash"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            versions.iter().map(|v| v.0).collect::<Vec<_>>(),
            [1, 2],
            "{unit}"
        );
        for (version, hash) in versions {
            assert_eq!(
                acked[&(unit.to_string(), version)],
                hash,
                "{unit} v{version}"
            );
        }
    }

    // Nothing public yet; two compilers on two servers publish the day at the same time.
    assert_eq!(public_release(&servers[2].url), None);
    let barrier = Barrier::new(2);
    let outcomes: Vec<Result<Value, (u16, Value)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|c| {
                let (barrier, url, compiler) = (&barrier, &servers[c].url, &compilers[c]);
                s.spawn(move || {
                    barrier.wait();
                    approve_and_publish(url, compiler)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let published: Vec<&Value> = outcomes.iter().filter_map(|o| o.as_ref().ok()).collect();
    assert_eq!(published.len(), 1, "{outcomes:?}");
    assert_eq!(published[0]["release"]["number"], 1);
    for refused in outcomes.iter().filter_map(|o| o.as_ref().err()) {
        assert_eq!(refused.0, 409, "{}", refused.1);
    }
    let (s, rel) = call(
        "GET",
        &format!("{}/api/v1/releases?from={DAY}&to={DAY}", servers[2].url),
        None,
        None,
    );
    assert_eq!(s, 200, "{rel}");
    // The public list holds the publications only.
    assert_eq!(rel["releases"].as_array().unwrap().len(), 1, "{rel}");
    assert_eq!(rel["releases"][0]["number"], 1, "{rel}");
    // A public read on the third server sees the publication.
    assert_eq!(public_release(&servers[2].url), Some(1));

    // A revision published on the first server reaches the third, which cached release 1:
    // at once through the notification (its cache's time limit bounds it otherwise).
    let (s, v) = call(
        "POST",
        &format!("{}/api/v1/reports", servers[0].url),
        Some(&reporters[0]),
        Some(report(UNITS[0], 9, Some("a late case"))),
    );
    assert_eq!(s, 201, "{v}");
    let p = approve_and_publish(&servers[0].url, &compilers[0]).unwrap();
    assert_eq!(p["release"]["number"], 2);
    while public_release(&servers[2].url) != Some(2) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }

    // A token revoked through one server is refused by the others.
    let whoami = |url: &str| {
        call(
            "GET",
            &format!("{url}/api/v1/whoami"),
            Some(&reporters[1]),
            None,
        )
        .0
    };
    assert_eq!(whoami(&servers[1].url), 200);
    let (s, list) = call(
        "GET",
        &format!("{}/api/v1/tokens", servers[0].url),
        Some(&admin),
        None,
    );
    assert_eq!(s, 200, "{list}");
    let id = list["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["unit"] == UNITS[1])
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (s, v) = call(
        "DELETE",
        &format!("{}/api/v1/tokens/{id}", servers[0].url),
        Some(&admin),
        None,
    );
    assert_eq!(s, 200, "{v}");
    while whoami(&servers[1].url) != 401 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }

    // One audit chain across the servers.
    drop(servers);
    let out = epiledger(&db, &["audit-log", "verify"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    // 35 tokens, 64 reports, 1 or 2 approvals and a publication, a revision, an approval
    // and a publication, a revocation.
    assert!(text.contains("audit log verified"), "{text}");
}

#[test]
fn public_reads_go_to_the_read_db() {
    let (Some(primary), Some(replica)) = (
        TestSchema::new("public_reads_go_to_the_read_db"),
        TestSchema::new("public_reads_go_to_the_read_db"),
    ) else {
        return;
    };
    let (db, read_db) = (primary.url_with_schema(), replica.url_with_schema());
    // The stand-in replica is a ledger of its own, empty: what is read there is not on --db.
    let out = epiledger(&read_db, &["migrate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let compiler = token(&db, &["--role", "compiler"]);
    let server = Server::start_with(&db, &["--read-db", &read_db]);
    let bulletin = format!("{}/api/v1/bulletins/2020-06-19", server.url);
    assert_eq!(
        call("GET", &bulletin, None, None).0,
        404,
        "public: the replica"
    );
    assert_eq!(
        call("GET", &bulletin, Some(&compiler), None).0,
        200,
        "a token: the primary"
    );
}
