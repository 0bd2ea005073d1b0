//! `epiledger cases` end to end on a new SQLite ledger (which holds the shipped history): the
//! history simulated as people, imported, stored and replayed, derives every figure of the
//! ledger; a bad batch is refused whole with every problem; reads of cards are in the audit
//! log; identity numbers are pseudonymised before anything is stored.

use std::path::Path;

mod common;
use common::epiledger;

fn ok(db: &Path, args: &[&str]) -> String {
    let out = epiledger(db, args);
    assert!(
        out.status.success(),
        "{args:?}: exit {:?}\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn audit_actions(db: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(db).unwrap();
    let mut s = c
        .prepare("SELECT action || ' ' || target FROM audit_log ORDER BY seq")
        .unwrap();
    s.query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

const HEADER: &str = "event,recorded,author,unit,type,card,contact,link,disease,classification,severity,origin,country,residence,institution,sex,age,onset,diagnosis,report,audit,date,observation,outcome,person,id_number,name,phone,reason";

#[test]
fn the_simulated_history_imports_and_derives_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    let events = dir.path().join("events.csv");
    let out = ok(
        &db,
        &[
            "cases",
            "simulate",
            "--to",
            "2020-03-31",
            "--out",
            events.to_str().unwrap(),
        ],
    );
    assert!(out.contains("2020-01-20 … 2020-03-31"), "{out}");
    let out = ok(&db, &["cases", "import", events.to_str().unwrap()]);
    assert!(out.contains("stored"), "{out}");
    let out = ok(&db, &["cases", "check"]);
    assert!(out.contains(" 0 differences"), "{out}");
    // The same file again: every event already recorded, nothing stored.
    let before = audit_actions(&db);
    assert_eq!(before, ["cases.record cases"]);
    let out = ok(&db, &["cases", "import", events.to_str().unwrap()]);
    assert!(out.contains(" 0 events recorded"), "{out}");
    assert_eq!(audit_actions(&db), before);

    // The derived figures in the facts format equal every figure the ledger states.
    let derived = ok(
        &db,
        &[
            "cases",
            "derive",
            "--from",
            "2020-02-01",
            "--to",
            "2020-02-01",
        ],
    );
    assert!(derived.starts_with("date,region,origin,measure,value\n"));
    let ledger = ok(
        &db,
        &[
            "export",
            "facts",
            "--from",
            "2020-02-01",
            "--to",
            "2020-02-01",
        ],
    );
    let key = |l: &str| {
        l.rsplit_once(',')
            .map(|(k, v)| (k.to_string(), v.to_string()))
    };
    let derived: std::collections::HashMap<_, _> =
        derived.lines().skip(1).filter_map(key).collect();
    let mut compared = 0;
    for (k, v) in ledger.lines().skip(1).filter_map(key) {
        if let Some(d) = derived.get(&k) {
            assert_eq!(d, &v, "{k}");
            compared += 1;
        }
    }
    assert!(compared > 10, "{compared} figures compared");

    // The public line list: no identifier, only the quasi-identifiers and what happened.
    let public = ok(&db, &["cases", "export", "--public"]);
    let header = public.lines().next().unwrap();
    assert!(header.starts_with("week,age,sex,province"), "{header}");
    assert!(!header.contains("card") && !header.contains("person"));
}

fn write(dir: &Path, name: &str, rows: &[&str]) -> String {
    let path = dir.join(name);
    let mut text = String::from(HEADER);
    text.push('\n');
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

const CARD: &str = "1,2022-04-02T09:30:00+08:00,cdc-wuchang,420000,card,A17,,,COVID-19,confirmed,mild,imported,US,420106,420106,female,34,2022-03-30,2022-04-01,2022-04-01,2022-04-02,,,,,,,,";

#[test]
fn a_bad_batch_is_refused_whole_with_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    let bad = write(
        dir.path(),
        "bad.csv",
        &[
            CARD,
            // An outcome of a card that does not exist.
            "2,2022-04-09T10:00:00+08:00,cdc-wuchang,420000,outcome,B99,,,,,,,,,,,,,,,,2022-04-09,,discharged,,,,,",
            // A card of an institution outside the unit.
            "3,2022-04-02T09:30:00+08:00,cdc-wuchang,420000,card,A18,,,COVID-19,confirmed,mild,local,,420106,110101,male,50,2022-03-30,2022-04-01,2022-04-01,2022-04-02,,,,,,,,",
        ],
    );
    let out = epiledger(&db, &["cases", "import", &bad]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 3") && err.contains("column card"),
        "{err}"
    );
    assert!(
        err.contains("line 4") && err.contains("column institution"),
        "{err}"
    );
    assert!(err.contains("nothing of it was stored"), "{err}");
    assert!(audit_actions(&db).is_empty());
    let out = epiledger(&db, &["cases", "show", "420000:A17"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "the refused batch's card is not there"
    );

    // The good row alone is stored; a read of its card is in the audit log.
    let good = write(dir.path(), "good.csv", &[CARD]);
    ok(&db, &["cases", "import", &good]);
    let shown = ok(&db, &["cases", "show", "420000:A17"]);
    assert!(
        shown.contains("confirmed") && shown.contains("\"event\":\"1\""),
        "{shown}"
    );
    assert_eq!(
        audit_actions(&db),
        ["cases.record cases", "case.read case/420000:A17"]
    );
    // The day of the card, from the register, against the unit's report (there is none).
    let out = epiledger(&db, &["cases", "reconcile", "2022-04-02", "--unit", "湖北"]);
    assert_eq!(out.status.code(), Some(4));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("420000\timported\tconfirmed_new\t1\t—\tnot reported"),
        "{text}"
    );
}

#[test]
fn identity_numbers_need_the_key_and_are_never_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    let row = CARD.replace(",,,,,,,,", ",,,,,11010519491231002X,Zhang San,,");
    let file = write(dir.path(), "id.csv", &[&row]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_epiledger"))
        .args(["--db", db.to_str().unwrap(), "cases", "import", &file])
        .env_remove("EPILEDGER_PSEUDONYM_KEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("EPILEDGER_PSEUDONYM_KEY"), "{err}");

    let key = dir.path().join("key");
    std::fs::write(&key, "a deployment key of some length\n").unwrap();
    ok(
        &db,
        &[
            "cases",
            "import",
            &file,
            "--pseudonym-key-file",
            key.to_str().unwrap(),
        ],
    );
    let c = rusqlite::Connection::open(&db).unwrap();
    let data: Vec<u8> = c
        .query_row("SELECT data FROM case_segments", [], |r| r.get(0))
        .unwrap();
    let data = epiledger_store::backend::unpack_segment("test", "segment", &data).unwrap();
    let text = String::from_utf8(data).unwrap();
    assert!(!text.contains("11010519491231002X"), "{text}");
    assert!(text.contains("Zhang San"), "the name is kept for the unit");
    let shown = ok(&db, &["cases", "show", "420000:A17"]);
    assert!(shown.contains("Zhang San"));
}

fn post_csv(url: &str, token: &str, body: &str) -> (u16, serde_json::Value) {
    match ureq::post(&format!("{url}/api/v1/cases"))
        .set("Authorization", &format!("Bearer {token}"))
        .set("Content-Type", "text/csv")
        .send_string(body)
    {
        Ok(r) => (r.status(), r.into_json().unwrap()),
        Err(ureq::Error::Status(s, r)) => (s, r.into_json().unwrap()),
        Err(e) => panic!("{e}"),
    }
}

fn get(url: &str, token: Option<&str>) -> (u16, String) {
    let mut req = ureq::get(url);
    if let Some(t) = token {
        req = req.set("Authorization", &format!("Bearer {t}"));
    }
    match req.call() {
        Ok(r) => (r.status(), r.into_string().unwrap()),
        Err(ureq::Error::Status(s, r)) => (s, r.into_string().unwrap()),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn the_register_over_http_with_its_access_rules_and_read_log() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("l.db");
    let hubei = common::token(&db, &["--role", "reporter", "--unit", "420000"]);
    let beijing = common::token(&db, &["--role", "reporter", "--unit", "110000"]);
    let compiler = common::token(&db, &["--role", "compiler"]);
    let (mut child, url) = common::serve(&db, &[], std::process::Stdio::null());
    let batch = format!("{HEADER}\n{CARD}\n");

    // Beijing may not submit Hubei's events: refused with the row, nothing stored.
    let (s, v) = post_csv(&url, &beijing, &batch);
    assert_eq!(s, 422, "{v}");
    assert_eq!(v["error"]["events"][0]["code"], "unit_not_allowed", "{v}");
    assert_eq!(v["error"]["events"][0]["line"], 2);
    // A rule of the register: every problem, by line and column.
    let bad = format!(
        "{HEADER}\n{CARD}\n2,2022-04-09T10:00:00+08:00,x,420000,outcome,B99,,,,,,,,,,,,,,,,2022-04-09,,discharged,,,,,\n"
    );
    let (s, v) = post_csv(&url, &hubei, &bad);
    assert_eq!(s, 422, "{v}");
    assert_eq!(v["error"]["events"][0]["line"], 3, "{v}");
    assert_eq!(v["error"]["events"][0]["column"], "card", "{v}");
    assert_eq!(v["error"]["events"].as_array().unwrap().len(), 1);
    // Stored, then the same batch again changes nothing.
    let (s, v) = post_csv(&url, &hubei, &batch);
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["recorded"], 1);
    let (s, v) = post_csv(&url, &hubei, &batch);
    assert_eq!((s, v["recorded"].as_u64()), (200, Some(0)), "{v}");

    // Hubei's card: Hubei and the compilers read it, Beijing does not; the reads are logged.
    let card = format!("{url}/api/v1/cases/cards/420000/A17");
    let (s, body) = get(&card, Some(&hubei));
    assert_eq!(s, 200, "{body}");
    assert!(body.contains("\"classification\":\"confirmed\""), "{body}");
    assert_eq!(get(&card, Some(&compiler)).0, 200);
    assert_eq!(get(&card, Some(&beijing)).0, 404);
    assert_eq!(get(&card, None).0, 401);
    // The unit's list: Hubei's card for Hubei, none for Beijing.
    let (s, body) = get(
        &format!("{url}/api/v1/cases/cards?classification=confirmed"),
        Some(&hubei),
    );
    assert_eq!(s, 200, "{body}");
    assert!(
        body.contains("\"total\":1") && body.contains("420000:A17"),
        "{body}"
    );
    let (s, body) = get(&format!("{url}/api/v1/cases/cards"), Some(&beijing));
    assert_eq!(s, 200, "{body}");
    assert!(body.contains("\"total\":0"), "{body}");
    assert_eq!(
        get(
            &format!("{url}/api/v1/cases/cards?unit=420000"),
            Some(&beijing)
        )
        .0,
        403
    );
    // The day against Hubei's report (none): the register's figures, not reported.
    let (s, body) = get(
        &format!("{url}/api/v1/cases/reconcile/2022-04-02"),
        Some(&hubei),
    );
    assert_eq!(s, 200, "{body}");
    assert!(body.contains("\"differing\":"), "{body}");
    // The public line list: anyone, no identifier.
    let (s, body) = get(&format!("{url}/api/v1/cases/public"), None);
    assert_eq!(s, 200, "{body}");
    assert!(body.starts_with("week,age,sex,province"), "{body}");
    assert!(!body.contains("A17"));
    // The curve by onset: an aggregate, public.
    let (s, body) = get(&format!("{url}/api/v1/cases/onsets"), None);
    assert_eq!(s, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v,
        serde_json::json!({ "days": [{ "date": "2022-03-30", "cases": 1 }], "without_onset": 0 })
    );
    child.kill().unwrap();
    let _ = child.wait();
    let actions = audit_actions(&db);
    let reads = actions
        .iter()
        .filter(|a| a.starts_with("case.read"))
        .count();
    assert_eq!(reads, 3, "{actions:?}");
    assert_eq!(
        actions
            .iter()
            .filter(|a| a.starts_with("cases.record"))
            .count(),
        1
    );
}
