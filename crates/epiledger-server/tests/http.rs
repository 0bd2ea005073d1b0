//! The reporting workflow over real HTTP against a server on `127.0.0.1:0`: a full day of the
//! 32 units, late and missing units, a revision after publication with its errata, as-of
//! reads, retries, the authorization matrix and bad input.

mod common;

use chrono::{Duration, Utc};
use common::{report, Req, TestServer, Tokens};
use epiledger_core::ledger::hierarchy::REPORTING_UNITS;
use epiledger_server::Config;
use serde_json::{json, Value};

fn open_config() -> Config {
    Config {
        rate_limit: None,
        ..Config::default()
    }
}

fn rfc3339(t: chrono::DateTime<Utc>) -> String {
    epiledger_store::time::format(t)
}

fn set_cutoff(srv: &TestServer, tok: &Tokens, date: &str, cutoff: chrono::DateTime<Utc>) {
    srv.call(
        Req::new("PUT", &format!("/api/v1/days/{date}/cutoff"))
            .token(Some(&tok.compiler))
            .json(&json!({ "cutoff": rfc3339(cutoff) })),
    )
    .expect(200);
}

/// Every unit reports `date` (local cases = its index mod 5, one imported), concurrently; the
/// stock of confirmed cases the day before is 10 − (local cases).
fn all_report(srv: &TestServer, tok: &Tokens, date: &str, units: &[epiledger_core::RegionCode]) {
    all_report_with(srv, tok, date, units, |i| i % 5);
}

/// The stock of confirmed cases stays at 10 for every unit: one imported case, one discharge.
fn all_report_steady(srv: &TestServer, tok: &Tokens, date: &str) {
    all_report_with(srv, tok, date, &REPORTING_UNITS, |_| 0);
}

fn all_report_with(
    srv: &TestServer,
    tok: &Tokens,
    date: &str,
    units: &[epiledger_core::RegionCode],
    local: fn(i64) -> i64,
) {
    std::thread::scope(|s| {
        for chunk in units.chunks(8) {
            s.spawn(move || {
                for u in chunk {
                    let i = REPORTING_UNITS.iter().position(|x| x == u).unwrap() as i64;
                    let body = report(date, &u.to_string(), local(i), 1, 10);
                    let r = srv
                        .post_json("/api/v1/reports", Some(tok.reporter(&u.to_string())), &body)
                        .expect(201);
                    assert_eq!(r.json()["version"], 1);
                }
            });
        }
    });
}

fn nation(c: &Value, origin: &str, measure: &str) -> Option<i64> {
    c["day"]["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["region"] == "100000" && f["origin"] == origin && f["measure"] == measure)
        .and_then(|f| f["value"].as_i64())
}

fn compile_approve_publish(srv: &TestServer, tok: &Tokens, date: &str) -> Value {
    let c = srv
        .get(
            &format!("/api/v1/days/{date}/compilation"),
            Some(&tok.compiler),
        )
        .expect(200)
        .json();
    let a = srv
        .post_json(
            &format!("/api/v1/days/{date}/releases"),
            Some(&tok.compiler),
            &json!({ "content_hash": c["content_hash"], "note": "reviewed" }),
        )
        .expect(201)
        .json();
    assert_eq!(a["release"]["status"], "approved");
    assert_eq!(a["release"]["number"], Value::Null);
    let id = a["release"]["id"].as_i64().unwrap();
    let p = srv
        .call(
            Req::new("POST", &format!("/api/v1/releases/{id}/publish")).token(Some(&tok.compiler)),
        )
        .expect(200)
        .json();
    assert_eq!(p["release"]["status"], "published");
    p
}

#[test]
fn a_full_day_of_32_units_to_the_published_bulletin() {
    let (srv, tok) = TestServer::start(open_config(), |_| {});
    let (prev, day) = ("2023-02-28", "2023-03-01");
    set_cutoff(&srv, &tok, prev, Utc::now() + Duration::hours(1));
    set_cutoff(&srv, &tok, day, Utc::now() + Duration::hours(1));
    all_report_steady(&srv, &tok, prev);

    // Nothing of the day is public before it is published.
    srv.get(&format!("/api/v1/bulletins/{day}"), None)
        .expect_error(404, "not_found");

    all_report(&srv, &tok, day, &REPORTING_UNITS);
    let board = srv
        .get(&format!("/api/v1/days/{day}/board"), Some(&tok.compiler))
        .expect(200)
        .json();
    assert_eq!(board["counts"]["on_time"], 32, "{board}");
    assert_eq!(board["counts"]["missing"], 0);
    assert_eq!(board["units"].as_array().unwrap().len(), 32);
    assert_eq!(board["cutoff_set"], true);

    let c = srv
        .get(
            &format!("/api/v1/days/{day}/compilation"),
            Some(&tok.compiler),
        )
        .expect(200)
        .json();
    assert_eq!(c["complete"], true);
    assert_eq!(c["units_reported"], 32);
    let local: i64 = (0..32).map(|i| i % 5).sum();
    assert_eq!(nation(&c, "local", "confirmed_new"), Some(local));
    assert_eq!(nation(&c, "imported", "confirmed_new"), Some(32));
    assert_eq!(nation(&c, "all", "confirmed_new"), Some(local + 32));
    assert_eq!(
        nation(&c, "all", "confirmed_current"),
        Some(32 * 10 + local)
    );
    assert!(c["discrepancies"].as_array().unwrap().is_empty());
    assert!(c["errata"].as_array().unwrap().is_empty());
    assert!(
        c["checks"].as_array().unwrap().is_empty(),
        "{}",
        c["checks"]
    );

    // Approved is not yet published.
    let p = compile_approve_publish(&srv, &tok, day);
    assert_eq!(p["release"]["number"], 1);
    assert!(p["audit_seq"].as_i64().unwrap() > 0);

    let zh = srv
        .get(&format!("/api/v1/bulletins/{day}"), None)
        .expect(200);
    assert!(
        zh.body.contains(&format!("本土病例{local}例")),
        "{}",
        zh.body
    );
    assert!(
        zh.body.contains(&format!("新增确诊病例{}例", local + 32)),
        "{}",
        zh.body
    );
    assert!(zh.header("content-type").unwrap().starts_with("text/plain"));
    let etag = zh.header("etag").unwrap().to_string();
    srv.call(Req::new("GET", &format!("/api/v1/bulletins/{day}")).header("If-None-Match", &etag))
        .expect(304);
    let en = srv
        .get(&format!("/api/v1/bulletins/{day}?lang=en"), None)
        .expect(200);
    assert!(
        en.body
            .contains(&format!("{} new confirmed cases", local + 32)),
        "{}",
        en.body
    );
    let j = srv
        .get(
            &format!("/api/v1/bulletins/{day}?lang=en&format=json"),
            None,
        )
        .expect(200)
        .json();
    assert_eq!(j["release"], 1);
    assert_eq!(j["content_hash"], c["content_hash"]);
    let html = srv
        .get(&format!("/api/v1/bulletins/{day}?format=html"), None)
        .expect(200);
    assert!(html.body.starts_with("<!DOCTYPE html>"));

    let rel = srv
        .get(&format!("/api/v1/releases?from={day}&to={day}"), None)
        .expect(200)
        .json();
    assert_eq!(rel["releases"].as_array().unwrap().len(), 1);
    assert_eq!(rel["releases"][0]["number"], 1);
    assert_eq!(rel["releases"][0]["source"]["kind"], "report");

    let s = srv
        .get(
            &format!("/api/v1/series?measure=confirmed_new&origin=local&from={prev}&to={day}"),
            None,
        )
        .expect(200)
        .json();
    assert_eq!(s["values"], json!([{ "date": day, "value": local }]));
    let facts = srv
        .get(&format!("/api/v1/facts?from={day}&to={day}"), None)
        .expect(200);
    assert!(facts
        .body
        .contains(&format!("{day},100000,local,confirmed_new,{local}\n")));
    let facts_json = srv
        .get(
            &format!("/api/v1/facts?from={day}&to={day}&format=json"),
            None,
        )
        .expect(200)
        .json();
    assert!(facts_json["facts"].as_array().unwrap().len() > 32 * 6);

    let v = srv
        .get("/api/v1/audit-log/verify", Some(&tok.admin))
        .expect(200)
        .json();
    assert_eq!(v["broken"], Value::Null);
    // 34 tokens, 2 cutoffs, 64 reports, an approval and a publication.
    assert_eq!(v["entries"], 34 + 2 + 64 + 2);
}

#[test]
fn late_and_missing_units() {
    let (srv, tok) = TestServer::start(open_config(), |_| {});
    let day = "2023-04-01";
    set_cutoff(&srv, &tok, day, Utc::now() + Duration::hours(1));
    let early: Vec<_> = REPORTING_UNITS[..30].to_vec();
    all_report(&srv, &tok, day, &early);
    let cutoff = Utc::now();
    set_cutoff(&srv, &tok, day, cutoff);
    let cutoff_set = Utc::now();
    std::thread::sleep(std::time::Duration::from_millis(5));
    srv.post_json(
        "/api/v1/reports",
        Some(tok.reporter("650000")),
        &report(day, "650000", 0, 0, 10),
    )
    .expect(201);

    let b = srv
        .get(&format!("/api/v1/days/{day}/board"), Some(&tok.compiler))
        .expect(200)
        .json();
    let counts = &b["counts"];
    assert_eq!(
        (
            &counts["on_time"],
            &counts["late"],
            &counts["missing"],
            &counts["awaiting"]
        ),
        (&json!(30), &json!(1), &json!(1), &json!(0)),
        "{b}"
    );
    let status = |unit: &str| {
        b["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["unit"] == unit)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("110000"), "on_time");
    assert_eq!(status("650000"), "late");
    assert_eq!(status("660000"), "missing");

    // As of before the late report, 650000 was missing too (the cutoff then already set).
    let before = srv
        .get(
            &format!("/api/v1/days/{day}/board?as_of={}", rfc3339(cutoff_set)),
            Some(&tok.compiler),
        )
        .expect(200)
        .json();
    assert_eq!(before["counts"]["missing"], 2, "{before}");

    let c = srv
        .get(
            &format!("/api/v1/days/{day}/compilation"),
            Some(&tok.compiler),
        )
        .expect(200)
        .json();
    assert_eq!(c["complete"], false);
    assert_eq!(c["units_reported"], 31);
    assert_eq!(c["units_missing"], json!(["660000"]));
    // A day with a missing unit can still be published.
    compile_approve_publish(&srv, &tok, day);
}

#[test]
fn a_revision_after_publication_makes_a_release_with_errata() {
    let (srv, tok) = TestServer::start(open_config(), |_| {});
    let day = "2023-05-10";
    all_report(&srv, &tok, day, &REPORTING_UNITS);
    compile_approve_publish(&srv, &tok, day);
    let t1 = Utc::now();
    std::thread::sleep(std::time::Duration::from_millis(5));

    // A revision needs a reason.
    let revised = report(day, "110000", 7, 1, 10);
    let e = srv
        .post_json("/api/v1/reports", Some(tok.reporter("110000")), &revised)
        .expect_error(422, "invalid_report")
        .json();
    assert_eq!(e["error"]["problems"][0]["pointer"], "/reason");
    let mut with_reason = revised.clone();
    with_reason["reason"] = json!("late laboratory results");
    let r = srv
        .post_json(
            "/api/v1/reports",
            Some(tok.reporter("110000")),
            &with_reason,
        )
        .expect(201)
        .json();
    assert_eq!(r["version"], 2);

    // Every version is kept; reads as of a time answer with what was known then.
    let v = srv
        .get(
            &format!("/api/v1/reports/{day}/110000/versions"),
            Some(tok.reporter("110000")),
        )
        .expect(200)
        .json();
    assert_eq!(v["versions"].as_array().unwrap().len(), 2);
    assert_eq!(v["versions"][1]["reason"], "late laboratory results");
    let old = srv
        .get(
            &format!("/api/v1/reports/{day}/110000?as_of={}", rfc3339(t1)),
            Some(&tok.compiler),
        )
        .expect(200)
        .json();
    assert_eq!(old["version"], 1);
    let new = srv
        .get(
            &format!("/api/v1/reports/{day}/110000"),
            Some(&tok.compiler),
        )
        .expect(200)
        .json();
    assert_eq!(new["version"], 2);

    // The public still sees release 1 until release 2 is published.
    let before = srv
        .get(&format!("/api/v1/bulletins/{day}?format=json"), None)
        .expect(200)
        .json();
    assert_eq!(before["release"], 1);

    let c = srv
        .get(
            &format!("/api/v1/days/{day}/compilation"),
            Some(&tok.compiler),
        )
        .expect(200)
        .json();
    assert_eq!(c["base_version"], 1);
    let errata = c["errata"].as_array().unwrap();
    let beijing = errata
        .iter()
        .find(|e| {
            e["region"] == "110000" && e["origin"] == "local" && e["measure"] == "confirmed_new"
        })
        .unwrap_or_else(|| panic!("{errata:?}"));
    assert_eq!(
        (beijing["old"].clone(), beijing["new"].clone()),
        (json!(0), json!(7))
    );
    assert!(beijing["reason"]
        .as_str()
        .unwrap()
        .contains("late laboratory results"));
    assert!(errata.iter().any(|e| e["region"] == "100000"));

    let p = compile_approve_publish(&srv, &tok, day);
    assert_eq!(p["release"]["number"], 2);
    assert!(!p["release"]["errata"].as_array().unwrap().is_empty());

    let list = srv
        .get(&format!("/api/v1/releases?from={day}&to={day}"), None)
        .expect(200)
        .json();
    let releases = list["releases"].as_array().unwrap();
    assert_eq!(releases.len(), 2);
    assert!(releases[0]["errata"].as_array().unwrap().is_empty());
    assert_eq!(
        releases[1]["errata"].as_array().unwrap().len(),
        errata.len()
    );

    // The bulletin notes the errata.
    let zh = srv
        .get(&format!("/api/v1/bulletins/{day}"), None)
        .expect(200);
    assert!(zh.body.contains("订正说明"), "{}", zh.body);
    assert!(zh.body.contains("late laboratory results"), "{}", zh.body);
    let en = srv
        .get(&format!("/api/v1/bulletins/{day}?lang=en"), None)
        .expect(200);
    assert!(en.body.contains("Errata"), "{}", en.body);
    // … and as of before, or by number, the first release is still there, unchanged.
    let then = srv
        .get(
            &format!("/api/v1/bulletins/{day}?format=json&as_of={}", rfc3339(t1)),
            None,
        )
        .expect(200)
        .json();
    assert_eq!(then["release"], 1);
    assert_eq!(then, before);
    let first = srv
        .get(
            &format!("/api/v1/bulletins/{day}?format=json&release=1"),
            None,
        )
        .expect(200)
        .json();
    assert_eq!(first, before);
    let s = |as_of: Option<&str>| {
        let q = as_of.map(|t| format!("&as_of={t}")).unwrap_or_default();
        srv.get(
            &format!(
                "/api/v1/series?measure=confirmed_new&origin=local&region=110000&from={day}&to={day}{q}"
            ),
            None,
        )
        .expect(200)
        .json()["values"][0]["value"]
            .clone()
    };
    assert_eq!(s(Some(&rfc3339(t1))), json!(0));
    assert_eq!(s(None), json!(7));

    // A publication is immutable: publishing again is refused.
    let id = p["release"]["id"].as_i64().unwrap();
    srv.call(
        Req::new("POST", &format!("/api/v1/releases/{id}/publish")).token(Some(&tok.compiler)),
    )
    .expect_error(409, "conflict");
    // The compiler sees the approvals; the public only the publications.
    let day_rel = srv
        .get(&format!("/api/v1/days/{day}/releases"), Some(&tok.compiler))
        .expect(200)
        .json();
    assert_eq!(day_rel["approvals"].as_array().unwrap().len(), 2);
    let public = srv
        .get(&format!("/api/v1/days/{day}/releases"), None)
        .expect(200)
        .json();
    assert!(public.get("approvals").is_none());
}

#[test]
fn a_retry_with_the_same_key_stores_nothing_twice() {
    let (srv, tok) = TestServer::start(open_config(), |_| {});
    let body = report("2023-06-01", "310000", 2, 0, 10);
    let send = |b: &Value, key: &str| {
        srv.call(
            Req::new("POST", "/api/v1/reports")
                .token(Some(tok.reporter("310000")))
                .header("Idempotency-Key", key)
                .json(b),
        )
    };
    let first = send(&body, "k-310000-1").expect(201);
    let again = send(&body, "k-310000-1").expect(201);
    assert_eq!(first.body, again.body);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    let v = srv
        .get(
            "/api/v1/reports/2023-06-01/310000/versions",
            Some(&tok.compiler),
        )
        .expect(200)
        .json();
    assert_eq!(v["versions"].as_array().unwrap().len(), 1);
    // The same key for another request is refused, and stores nothing.
    let mut other = body.clone();
    other["reason"] = json!("x");
    other["figures"][2]["value"] = json!(3);
    other["figures"][0]["value"] = json!(3);
    send(&other, "k-310000-1").expect_error(409, "idempotency_key_reused");
    // Many concurrent retries of one request store one version.
    let body2 = report("2023-06-02", "310000", 2, 0, 11);
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                let r = send(&body2, "k-310000-2");
                assert!(r.status == 201, "{}", r.body);
            });
        }
    });
    let v = srv
        .get(
            "/api/v1/reports/2023-06-02/310000/versions",
            Some(&tok.compiler),
        )
        .expect(200)
        .json();
    assert_eq!(v["versions"].as_array().unwrap().len(), 1);
    // Sending the same report without a key is no new version either.
    let same = srv
        .post_json("/api/v1/reports", Some(tok.reporter("310000")), &body)
        .expect(200)
        .json();
    assert_eq!(same["unchanged"], true);
}

#[test]
fn a_rejected_report_lists_every_problem_and_stores_nothing() {
    let (srv, tok) = TestServer::start(open_config(), |_| {});
    let tomorrow = (Utc::now() + Duration::days(2)).date_naive().to_string();
    let body = json!({
        "date": tomorrow, "unit": "110000", "extra": true,
        "figures": [
            { "measure": "confirmed_new", "origin": "all", "value": 5 },
            { "measure": "confirmed_new", "origin": "imported", "value": 1 },
            { "measure": "confirmed_new", "origin": "local", "value": 3 },
            { "measure": "deaths_nwe", "value": 0 },
            { "measure": "discharged_new", "value": -2 },
            { "measure": "suspected_new", "value": 1.5 },
            { "measure": "confirmed_current", "value": 4,
              "breakdown": [{ "region": "120101", "value": 1 }] }
        ]
    });
    let e = srv
        .post_json("/api/v1/reports", Some(tok.reporter("110000")), &body)
        .expect_error(422, "invalid_report")
        .json();
    let pointers: Vec<&str> = e["error"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(
        pointers,
        [
            "/date",
            "/extra",
            "/figures/3/measure",
            "/figures/4/value",
            "/figures/5/value",
        ],
        "{e}"
    );
    for p in e["error"]["problems"].as_array().unwrap() {
        assert!(!p["message"].as_str().unwrap().is_empty());
        assert!(!p["expected"].as_str().unwrap().is_empty(), "{p}");
    }
    // With the form right, the identities: all = imported + local, the breakdown.
    let body = json!({
        "date": "2023-06-01", "unit": "110000",
        "figures": [
            { "measure": "confirmed_new", "origin": "all", "value": 5 },
            { "measure": "confirmed_new", "origin": "imported", "value": 1 },
            { "measure": "confirmed_new", "origin": "local", "value": 3,
              "breakdown": [{ "region": "110105", "value": 2 }, { "region": "110108", "value": 2 }] }
        ]
    });
    let e = srv
        .post_json("/api/v1/reports", Some(tok.reporter("110000")), &body)
        .expect_error(422, "invalid_report")
        .json();
    let problems = e["error"]["problems"].as_array().unwrap();
    assert_eq!(problems[0]["pointer"], "/figures/0/value");
    assert_eq!(problems[0]["expected"], "4");
    assert_eq!(problems[1]["pointer"], "/figures/2/value");
    // As CSV, by row and column.
    let csv = "date,region,origin,measure,value\n\
               2023-06-01,110000,local,confirmed_new,3\n\
               2023-06-01,110105,local,confirmed_new,five\n\
               2023-06-01,110000,local,deaths_new,-1\n\
               2023-06-01,120000,local,confirmed_new,1\n";
    let e = srv
        .call(
            Req::new("POST", "/api/v1/reports")
                .token(Some(tok.reporter("110000")))
                .body("text/csv", csv),
        )
        .expect_error(422, "invalid_report")
        .json();
    let cells: Vec<(i64, &str)> = e["error"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["row"].as_i64().unwrap(), p["column"].as_str().unwrap()))
        .collect();
    assert_eq!(cells, [(3, "value"), (4, "value"), (5, "region")], "{e}");
    // A good CSV is stored.
    let csv = "date,region,origin,measure,value\n\
               2023-06-01,110000,local,confirmed_new,3\n\
               2023-06-01,110105,local,confirmed_new,2\n\
               2023-06-01,110000,local,deaths_new,0\n";
    let r = srv
        .call(
            Req::new("POST", "/api/v1/reports")
                .token(Some(tok.reporter("110000")))
                .body("text/csv; charset=utf-8", csv),
        )
        .expect(201)
        .json();
    assert_eq!(r["version"], 1);
    let stored = srv
        .get("/api/v1/reports/2023-06-01/110000", Some(&tok.compiler))
        .expect(200)
        .json();
    assert_eq!(stored["figures"][0]["measure"], "confirmed_new");
    assert_eq!(stored["figures"][0]["breakdown"][0]["region"], "110105");
    // Only that one was stored.
    let v = srv
        .get("/api/v1/audit-log/verify", Some(&tok.admin))
        .expect(200)
        .json();
    assert_eq!(v["entries"], 34 + 1);
}

#[test]
fn plausibility_warnings_must_be_acknowledged() {
    let (srv, tok) = TestServer::start(open_config(), |_| {});
    for (i, d) in ["2023-07-01", "2023-07-02", "2023-07-03"]
        .iter()
        .enumerate()
    {
        let mut b = report(d, "440000", 2, 0, 10);
        b["figures"].as_array_mut().unwrap().truncate(5); // no stock
        let _ = i;
        srv.post_json("/api/v1/reports", Some(tok.reporter("440000")), &b)
            .expect(201);
    }
    let mut b = report("2023-07-04", "440000", 900, 0, 10);
    b["figures"].as_array_mut().unwrap().truncate(5);
    let e = srv
        .post_json("/api/v1/reports", Some(tok.reporter("440000")), &b)
        .expect_error(422, "unacknowledged_warnings")
        .json();
    let ids: Vec<&str> = e["error"]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "plausibility:all:confirmed_new",
            "plausibility:local:confirmed_new"
        ]
    );
    b["acknowledge"] = json!(ids);
    srv.post_json("/api/v1/reports", Some(tok.reporter("440000")), &b)
        .expect(201);
    let stored = srv
        .get(
            "/api/v1/reports/2023-07-04/440000",
            Some(tok.reporter("440000")),
        )
        .expect(200)
        .json();
    assert_eq!(stored["acknowledged"].as_array().unwrap().len(), 2);
}

/// What a role may do with an endpoint: allowed (any status but 401/403), or refused.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Exp {
    Ok,
    No401,
    No403,
}

#[test]
fn the_authorization_matrix() {
    let (srv, tok) = TestServer::start(open_config(), |_| {});
    let day = "2023-08-01";
    all_report(&srv, &tok, day, &REPORTING_UNITS);
    compile_approve_publish(&srv, &tok, day);
    let entries_before = srv
        .get("/api/v1/audit-log/verify", Some(&tok.admin))
        .expect(200)
        .json()["entries"]
        .as_i64()
        .unwrap();

    use Exp::{No401 as U, No403 as F, Ok as A};
    let report_body = report("2023-08-02", "110000", 1, 0, 10);
    let cases: Vec<(&str, String, Option<Value>, [Exp; 5])> = vec![
        // (method, path, body, [public, own reporter, other reporter, compiler, admin])
        ("GET", "/healthz".into(), None, [A, A, A, A, A]),
        ("GET", "/api/v1/openapi.json".into(), None, [A, A, A, A, A]),
        ("GET", "/api/v1/whoami".into(), None, [A, A, A, A, A]),
        (
            "GET",
            format!("/api/v1/bulletins/{day}"),
            None,
            [A, A, A, A, A],
        ),
        ("GET", "/api/v1/releases".into(), None, [A, A, A, A, A]),
        (
            "GET",
            format!("/api/v1/days/{day}/releases"),
            None,
            [A, A, A, A, A],
        ),
        (
            "GET",
            "/api/v1/series?measure=confirmed_new".into(),
            None,
            [A, A, A, A, A],
        ),
        (
            "GET",
            format!("/api/v1/facts?from={day}"),
            None,
            [A, A, A, A, A],
        ),
        (
            "POST",
            "/api/v1/reports".into(),
            Some(report_body.clone()),
            [U, A, F, F, F],
        ),
        (
            "GET",
            format!("/api/v1/reports/{day}/110000"),
            None,
            [U, A, F, A, F],
        ),
        (
            "GET",
            format!("/api/v1/reports/{day}/110000/versions"),
            None,
            [U, A, F, A, F],
        ),
        (
            "GET",
            format!("/api/v1/days/{day}/board"),
            None,
            [U, F, F, A, F],
        ),
        (
            "GET",
            format!("/api/v1/days/{day}/compilation"),
            None,
            [U, F, F, A, F],
        ),
        (
            "PUT",
            format!("/api/v1/days/{day}/cutoff"),
            Some(json!({ "cutoff": "2023-08-02T06:00:00+08:00" })),
            [U, F, F, A, F],
        ),
        (
            "POST",
            format!("/api/v1/days/{day}/releases"),
            Some(json!({ "content_hash": "0" })),
            [U, F, F, A, F],
        ),
        (
            "POST",
            "/api/v1/releases/999/publish".into(),
            None,
            [U, F, F, A, F],
        ),
        ("GET", "/api/v1/tokens".into(), None, [U, F, F, F, A]),
        (
            "POST",
            "/api/v1/tokens".into(),
            Some(json!({ "role": "compiler" })),
            [U, F, F, F, A],
        ),
        ("DELETE", "/api/v1/tokens/999".into(), None, [U, F, F, F, A]),
        ("GET", "/api/v1/audit-log".into(), None, [U, F, F, F, A]),
        (
            "GET",
            "/api/v1/audit-log/verify".into(),
            None,
            [U, F, F, F, A],
        ),
    ];
    let who: [Option<&str>; 5] = [
        None,
        Some(tok.reporter("110000")),
        Some(tok.reporter("120000")),
        Some(&tok.compiler),
        Some(&tok.admin),
    ];
    let mut allowed_writes = 0;
    for (method, path, body, expected) in &cases {
        for (i, exp) in expected.iter().enumerate() {
            let mut req = Req::new(method, path).token(who[i]);
            if let Some(b) = body {
                req = req.json(b);
            }
            let r = srv.call(req);
            assert!(
                r.status < 500,
                "{method} {path} as {i}: {} {}",
                r.status,
                r.body
            );
            match exp {
                Exp::Ok => {
                    assert!(
                        r.status != 401 && r.status != 403,
                        "{method} {path} as {i}: {} {}",
                        r.status,
                        r.body
                    );
                    if *method != "GET" && r.status < 300 {
                        allowed_writes += 1;
                    }
                }
                Exp::No401 => {
                    r.expect_error(401, "unauthorized");
                }
                Exp::No403 => {
                    r.expect_error(403, "forbidden");
                }
            }
        }
    }
    // Refused requests wrote nothing: only the allowed writes are in the audit log.
    let entries_after = srv
        .get("/api/v1/audit-log/verify", Some(&tok.admin))
        .expect(200)
        .json()["entries"]
        .as_i64()
        .unwrap();
    assert_eq!(
        entries_after - entries_before,
        allowed_writes,
        "{allowed_writes}"
    );
    // A reporter's unpublished report stays out of public reads.
    let r = srv
        .get("/api/v1/reports/2023-08-02/110000", None)
        .expect_error(401, "unauthorized");
    assert!(!r.body.contains("confirmed_new"));
    srv.get("/api/v1/bulletins/2023-08-02", None)
        .expect_error(404, "not_found");
}

#[test]
fn bad_input_gets_a_clear_4xx_and_writes_nothing() {
    let config = Config {
        max_body_bytes: 4096,
        rate_limit: None,
        ..Config::default()
    };
    let (srv, tok) = TestServer::start(config, |_| {});
    let reporter = Some(tok.reporter("110000"));
    let good = report("2023-09-01", "110000", 1, 0, 10);
    let post = |ct: &str, body: Vec<u8>, token: Option<&str>| {
        srv.call(
            Req::new("POST", "/api/v1/reports")
                .token(token)
                .body(ct, body),
        )
    };
    // Too large.
    let mut big = good.clone();
    big["reason"] = json!("x".repeat(10_000));
    post("application/json", big.to_string().into_bytes(), reporter)
        .expect_error(413, "body_too_large");
    // Malformed JSON, and JSON that is not an object.
    post(
        "application/json",
        b"{\"date\": \"2023-09-01\",".to_vec(),
        reporter,
    )
    .expect_error(400, "malformed_json");
    post("application/json", b"[1, 2]".to_vec(), reporter).expect_error(422, "invalid_report");
    post("application/json", b"".to_vec(), reporter).expect_error(400, "malformed_json");
    post("application/json", vec![0xff, 0xfe, 0x00], reporter).expect_error(400, "malformed_json");
    // CSV with a wrong header, with rows of the wrong width, as bytes that are not text.
    post("text/csv", b"day,where,value\n1,2,3\n".to_vec(), reporter)
        .expect_error(422, "invalid_report");
    post(
        "text/csv",
        b"date,region,origin,measure,value\n1,2\n".to_vec(),
        reporter,
    )
    .expect_error(422, "invalid_report");
    post(
        "text/csv",
        b"date,region,origin,measure,value\n2023-09-01,110000,local,confirmed_new,\xff\n".to_vec(),
        reporter,
    )
    .expect_error(422, "invalid_report");
    post("text/csv", b"".to_vec(), reporter).expect_error(422, "invalid_report");
    // Wrong content types.
    post("text/plain", good.to_string().into_bytes(), reporter)
        .expect_error(415, "unsupported_media_type");
    srv.call(
        Req::new("PUT", "/api/v1/days/2023-09-01/cutoff")
            .token(Some(&tok.compiler))
            .body("application/x-www-form-urlencoded", "cutoff=now"),
    )
    .expect_error(415, "unsupported_media_type");
    // Missing, malformed, unknown and revoked tokens.
    post("application/json", good.to_string().into_bytes(), None).expect_error(401, "unauthorized");
    post(
        "application/json",
        good.to_string().into_bytes(),
        Some("elt_nope"),
    )
    .expect_error(401, "unauthorized");
    let unknown = format!("elt_{}", "ab".repeat(32));
    post(
        "application/json",
        good.to_string().into_bytes(),
        Some(&unknown),
    )
    .expect_error(401, "unauthorized");
    srv.call(
        Req::new("POST", "/api/v1/reports")
            .header("Authorization", "Basic dXNlcjpwYXNz")
            .json(&good),
    )
    .expect_error(401, "unauthorized");
    let created = srv
        .post_json(
            "/api/v1/tokens",
            Some(&tok.admin),
            &json!({ "role": "reporter", "unit": "120000" }),
        )
        .expect(201)
        .json();
    let secret = created["secret"].as_str().unwrap().to_string();
    let id = created["token"]["id"].as_i64().unwrap();
    srv.get("/api/v1/whoami", Some(&secret)).expect(200);
    srv.call(Req::new("DELETE", &format!("/api/v1/tokens/{id}")).token(Some(&tok.admin)))
        .expect(200);
    let r = srv
        .get("/api/v1/whoami", Some(&secret))
        .expect_error(401, "unauthorized");
    assert!(r.body.contains("revoked"), "{}", r.body);
    // Another unit's data.
    post(
        "application/json",
        report("2023-09-01", "120000", 1, 0, 10)
            .to_string()
            .into_bytes(),
        reporter,
    )
    .expect_error(403, "forbidden");
    srv.get("/api/v1/reports/2023-09-01/120000", reporter)
        .expect_error(403, "forbidden");
    // A date in the future, a unit that is not a reporting unit, an unknown measure.
    let future = (Utc::now() + Duration::days(3)).date_naive().to_string();
    for (field, value, pointer) in [
        ("date", json!(future), "/date"),
        ("unit", json!("110100"), "/unit"),
    ] {
        let mut b = good.clone();
        b[field] = value;
        let e = post("application/json", b.to_string().into_bytes(), reporter)
            .expect_error(422, "invalid_report")
            .json();
        assert_eq!(e["error"]["problems"][0]["pointer"], pointer, "{e}");
    }
    let mut b = good.clone();
    b["figures"][0]["measure"] = json!("confirmed_neww");
    let e = post("application/json", b.to_string().into_bytes(), reporter)
        .expect_error(422, "invalid_report")
        .json();
    assert!(e["error"]["problems"][0]["expected"]
        .as_str()
        .unwrap()
        .contains("confirmed_new"));
    // Paths, methods and parameters.
    srv.get("/api/v1/nothing", None)
        .expect_error(404, "not_found");
    srv.call(Req::new("DELETE", "/api/v1/reports"))
        .expect_error(405, "method_not_allowed");
    srv.get("/api/v1/bulletins/2023-13-01", None)
        .expect_error(400, "invalid_parameter");
    srv.get("/api/v1/bulletins/2023-09-01?lang=fr", None)
        .expect_error(400, "invalid_parameter");
    srv.get("/api/v1/bulletins/2023-09-01?as_of=yesterday", None)
        .expect_error(400, "invalid_parameter");
    srv.get("/api/v1/bulletins/2023-09-01?colour=red", None)
        .expect_error(400, "invalid_parameter");
    srv.get("/api/v1/series", None)
        .expect_error(400, "invalid_parameter");
    srv.get("/api/v1/reports/2023-09-01/999999", reporter)
        .expect_error(400, "invalid_parameter");
    srv.call(
        Req::new("POST", "/api/v1/reports")
            .token(reporter)
            .header("Idempotency-Key", "")
            .json(&good),
    )
    .expect_error(400, "invalid_parameter");
    srv.call(
        Req::new("PUT", "/api/v1/days/2023-09-01/cutoff")
            .token(Some(&tok.compiler))
            .json(&json!({ "cutoff": "soon" })),
    )
    .expect_error(422, "invalid_body");
    srv.call(
        Req::new("PUT", "/api/v1/days/2023-09-01/cutoff")
            .token(Some(&tok.compiler))
            .json(&json!({ "when": "2023-09-02T06:00:00Z" })),
    )
    .expect_error(422, "invalid_body");

    // Nothing was written but the token and its revocation.
    srv.get("/api/v1/reports/2023-09-01/110000", Some(&tok.compiler))
        .expect_error(404, "not_found");
    let v = srv
        .get("/api/v1/audit-log/verify", Some(&tok.admin))
        .expect(200)
        .json();
    assert_eq!(v["entries"], 34 + 2);
    assert_eq!(v["broken"], Value::Null);
}

#[test]
fn a_flood_of_requests_is_refused_with_429() {
    let config = Config {
        rate_limit: Some((5, 10)),
        ..Config::default()
    };
    let (srv, tok) = TestServer::start(config, |_| {});
    let statuses: Vec<u16> = (0..40)
        .map(|_| srv.get("/api/v1/releases", None).status)
        .collect();
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 429),
        "{statuses:?}"
    );
    assert!(
        statuses.iter().filter(|s| **s == 429).count() >= 20,
        "{statuses:?}"
    );
    let r = srv
        .get("/api/v1/releases", None)
        .expect_error(429, "too_many_requests");
    assert!(r.header("retry-after").is_some());
    // Random tokens do not escape the address's limit.
    let random = format!("elt_{}", "cd".repeat(32));
    srv.get("/api/v1/whoami", Some(&random))
        .expect_error(429, "too_many_requests");
    // A verified token is a client of its own: once the address may send again, the
    // compiler's token is verified, and then keeps its allowance while the address floods.
    std::thread::sleep(std::time::Duration::from_millis(400));
    srv.get("/api/v1/whoami", Some(&tok.compiler)).expect(200);
    for _ in 0..15 {
        srv.get("/api/v1/releases", None);
    }
    srv.get("/api/v1/releases", None)
        .expect_error(429, "too_many_requests");
    srv.get("/api/v1/whoami", Some(&tok.compiler)).expect(200);
}

#[test]
fn the_openapi_document_describes_every_endpoint() {
    let (srv, _tok) = TestServer::start(open_config(), |_| {});
    let doc = srv.get("/api/v1/openapi.json", None).expect(200).json();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    // The served document is the one generated from the handlers' operations.
    let generated: serde_json::Value =
        serde_json::from_str(&epiledger_server::document().to_json().unwrap()).unwrap();
    assert_eq!(doc, generated);
    // Every path the API had keeps its methods (additions are fine).
    const PATHS: &[(&str, &[&str])] = &[
        ("/openapi.json", &["get"]),
        ("/whoami", &["get"]),
        ("/clock", &["get"]),
        ("/reports", &["post"]),
        ("/reports/{date}/{unit}", &["get"]),
        ("/reports/{date}/{unit}/versions", &["get"]),
        ("/days/{date}/board", &["get"]),
        ("/days/{date}/compilation", &["get"]),
        ("/days/{date}/compilation/bulletin", &["get"]),
        ("/days/{date}/cutoff", &["put"]),
        ("/days/{date}/releases", &["get", "post"]),
        ("/releases", &["get"]),
        ("/releases/{id}/publish", &["post"]),
        ("/bulletins/{date}", &["get"]),
        ("/series", &["get"]),
        ("/facts", &["get"]),
        ("/analytics/rt", &["get"]),
        ("/analytics/growth", &["get"]),
        ("/analytics/rates", &["get"]),
        ("/tokens", &["get", "post"]),
        ("/tokens/{id}", &["delete"]),
        ("/audit-log", &["get"]),
        ("/audit-log/verify", &["get"]),
        ("/cases", &["post"]),
        ("/cases/cards/{unit}/{card}", &["get"]),
        ("/cases/reconcile/{date}", &["get"]),
        ("/cases/public", &["get"]),
        ("/cases/onsets", &["get"]),
        ("/cases/cards", &["get"]),
    ];
    let paths = doc["paths"].as_object().unwrap();
    assert_eq!(paths.len(), PATHS.len());
    for (path, methods) in PATHS {
        let item = paths.get(*path).unwrap_or_else(|| panic!("{path}"));
        for m in *methods {
            assert!(item.get(*m).is_some(), "{m} {path}");
            // The router has it: no 404 "no such endpoint", no 405.
            let concrete = path
                .replace("{date}", "2023-01-01")
                .replace("{unit}", "110000")
                .replace("{id}", "1");
            let r = srv.call(Req::new(
                match *m {
                    "get" => "GET",
                    "post" => "POST",
                    "put" => "PUT",
                    _ => "DELETE",
                },
                &format!("/api/v1{concrete}"),
            ));
            assert_ne!(r.status, 405, "{m} {path}");
            assert!(
                !r.body.contains("no such endpoint"),
                "{m} {path}: {}",
                r.body
            );
        }
    }
    srv.get("/healthz", None).expect(200);
}

#[test]
fn national_figures_are_checked_against_the_units() {
    let (srv, tok) = TestServer::start(open_config(), |_| {});
    let day = "2023-10-01";
    all_report(&srv, &tok, day, &REPORTING_UNITS);
    let local: i64 = (0..32).map(|i| i % 5).sum();
    // The compilers' own national figures: one that no unit reports, one that disagrees.
    let national = json!({
        "date": day, "unit": "100000",
        "figures": [
            { "measure": "contacts_under_observation", "value": 4321 },
            { "measure": "confirmed_new", "origin": "local", "value": local + 5 }
        ]
    });
    srv.post_json("/api/v1/reports", Some(tok.reporter("110000")), &national)
        .expect_error(403, "forbidden");
    srv.post_json("/api/v1/reports", Some(&tok.compiler), &national)
        .expect(201);
    let c = srv
        .get(
            &format!("/api/v1/days/{day}/compilation"),
            Some(&tok.compiler),
        )
        .expect(200)
        .json();
    assert_eq!(nation(&c, "all", "contacts_under_observation"), Some(4321));
    assert_eq!(nation(&c, "local", "confirmed_new"), Some(local));
    let d = &c["discrepancies"][0];
    assert_eq!(
        (
            &d["measure"],
            &d["national"],
            &d["units_sum"],
            &d["units_reporting"]
        ),
        (
            &json!("confirmed_new"),
            &json!(local + 5),
            &json!(local),
            &json!(32)
        ),
        "{c}"
    );
    // Approval is refused until the discrepancy is resolved or accepted.
    let hash = c["content_hash"].clone();
    let e = srv
        .post_json(
            &format!("/api/v1/days/{day}/releases"),
            Some(&tok.compiler),
            &json!({ "content_hash": hash }),
        )
        .expect_error(409, "conflict")
        .json();
    assert!(e["error"]["message"]
        .as_str()
        .unwrap()
        .contains("discrepanc"));
    // A stale hash is refused too.
    srv.post_json(
        &format!("/api/v1/days/{day}/releases"),
        Some(&tok.compiler),
        &json!({ "content_hash": "0".repeat(64), "accept_discrepancies": true }),
    )
    .expect_error(409, "conflict");
    let mut fixed = national.clone();
    fixed["figures"][1]["value"] = json!(local);
    fixed["reason"] = json!("recounted");
    srv.post_json("/api/v1/reports", Some(&tok.compiler), &fixed)
        .expect(201);
    compile_approve_publish(&srv, &tok, day);
}
