//! `epiledger analytics` and `GET /api/v1/analytics/*` end to end, on a new ledger (the
//! shipped history): Rt from the ledger and from an incidence file equals EpiEstim 2.2-4's
//! reference outputs (the fixtures of `epiledger-analytics`, made by
//! `scripts/rt-vs-epiestim.sh --update-fixtures`), the server answers what the command line
//! prints, `as_of` reads the past, and bad input is a clear error that computes nothing.

use std::process::Stdio;

use serde_json::Value;

mod common;
use common::{epiledger, serve};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../epiledger-analytics/tests/fixtures"
);

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).expect("an analytics fixture")
}

/// Rows `date,nine numbers` of an Rt CSV, the absent windows left out (EpiEstim has none).
fn rows(csv: &str) -> Vec<(String, Vec<f64>)> {
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("date,mean,std,q025,q05,q25,median,q75,q95,q975")
    );
    lines
        .filter(|l| !l.ends_with(",,,,,,,,,"))
        .map(|l| {
            let mut cells = l.split(',');
            let date = cells.next().unwrap().to_string();
            (date, cells.map(|c| c.parse().unwrap()).collect())
        })
        .collect()
}

/// Asserts ours equals EpiEstim's: mean and std to a relative 1e-9, quantiles to 1e-6.
fn assert_epiestim(name: &str, ours: &str, epiestim: &str) {
    let (ours, theirs) = (rows(ours), rows(epiestim));
    assert_eq!(ours.len(), theirs.len(), "{name}: the windows");
    for ((d1, a), (d2, b)) in ours.iter().zip(&theirs) {
        assert_eq!(d1, d2, "{name}");
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            let tol = if i < 2 { 1e-9 } else { 1e-6 };
            assert!(
                (x - y).abs() <= tol * y.abs().max(1e-300),
                "{name} {d1} column {i}: ours {x}, EpiEstim {y}"
            );
        }
    }
}

fn stdout(db: &std::path::Path, args: &[&str]) -> String {
    let out = epiledger(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn get(base: &str, path: &str) -> (u16, String) {
    match ureq::get(&format!("{base}{path}")).call() {
        Ok(r) => (r.status(), r.into_string().unwrap()),
        Err(ureq::Error::Status(s, r)) => (s, r.into_string().unwrap_or_default()),
        Err(e) => panic!("{path}: {e}"),
    }
}

/// The national series and three provinces from the ledger, and an incidence file of our own
/// with imported cases: the command line and the API both equal EpiEstim.
#[test]
fn rt_equals_epiestim_from_the_command_line_and_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let cases = [
        ("national", "100000", None, None),
        ("hubei", "湖北", Some("2020-02-01"), Some("2020-04-30")),
        ("shanghai", "CN-SH", Some("2020-05-02"), Some("2022-09-14")),
        ("jilin", "220000", Some("2020-05-02"), Some("2022-09-14")),
    ];
    let mut printed = Vec::new();
    for (name, region, from, to) in cases {
        let mut args = vec!["analytics", "rt", "--region", region];
        if let (Some(f), Some(t)) = (from, to) {
            args.extend(["--from", f, "--to", t]);
        }
        let ours = stdout(&db, &args);
        assert_epiestim(name, &ours, &fixture(&format!("{name}.epiestim.csv")));
        printed.push(ours);
    }
    let input = format!("{FIXTURES}/own-imported.input.csv");
    let ours = stdout(&db, &["analytics", "rt", "--incidence", &input]);
    assert_epiestim("own-imported", &ours, &fixture("own-imported.epiestim.csv"));

    let (mut child, base) = serve(&db, &[], Stdio::null());
    for ((name, region, from, to), cli) in cases.iter().zip(&printed) {
        let mut path = format!(
            "/api/v1/analytics/rt?format=csv&region={}",
            urlencode(region)
        );
        if let (Some(f), Some(t)) = (from, to) {
            path.push_str(&format!("&from={f}&to={t}"));
        }
        let (status, body) = get(&base, &path);
        assert_eq!(status, 200, "{name}: {body}");
        assert_eq!(
            &body, cli,
            "{name}: the API answers what the command line prints"
        );
    }
    let (status, body) = get(&base, "/api/v1/analytics/rt?region=110000");
    assert_eq!(status, 200);
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["basis"]["region"], "110000");
    let entries = v["rt"]["entries"].as_array().unwrap();
    assert!(entries.iter().any(|e| e["status"] == "estimate"));

    // As of 1 March 2020, the ledger ends on 29 February.
    let (status, body) = get(
        &base,
        "/api/v1/analytics/rates?as_of=2020-03-01T00:00:00Z&format=csv",
    );
    assert_eq!(status, 200, "{body}");
    assert!(body
        .trim_end()
        .lines()
        .last()
        .unwrap()
        .starts_with("2020-02-29,"));
    let cli = stdout(
        &db,
        &["analytics", "rates", "--as-of", "2020-03-01T00:00:00Z"],
    );
    assert_eq!(body, cli);
    let growth = stdout(
        &db,
        &[
            "analytics",
            "growth",
            "--region",
            "420000",
            "--to",
            "2020-02-20",
        ],
    );
    let (_, body) = get(
        &base,
        "/api/v1/analytics/growth?region=420000&to=2020-02-20&format=csv",
    );
    assert_eq!(body, growth);

    for (path, status, param) in [
        ("rt?from=2022-03-10&to=2022-03-01", 400, "from"),
        ("rt?si_mean=1", 400, "si_mean"),
        ("rt?si_sd=0", 400, "si_sd"),
        ("rt?window=1", 400, "window"),
        ("growth?window=2", 400, "window"),
        ("rt?region=420106", 400, "region"),
        ("rt?region=nowhere", 404, "region"),
        ("rt?release=1", 400, "to"),
        ("rates?origin=abroad", 400, "origin"),
    ] {
        let (s, body) = get(&base, &format!("/api/v1/analytics/{path}"));
        assert_eq!(s, status, "{path}: {body}");
        let v: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            v["error"]["problems"][0]["parameter"], param,
            "{path}: {body}"
        );
    }
    child.kill().unwrap();
    let _ = child.wait();
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Bad parameters and bad incidence files: exit 3 with what to change, nothing printed.
#[test]
fn bad_input_is_a_clear_error_and_computes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let file = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.display().to_string()
    };
    let negative = file(
        "negative.csv",
        "date,local,imported\n2020-01-01,3,0\n2020-01-02,-1,0\n",
    );
    let gap = file(
        "gap.csv",
        "date,local,imported\n2020-01-01,3,0\n2020-01-03,1,0\n",
    );
    let fraction = file("fraction.csv", "date,local,imported\n2020-01-01,2.5,0\n");
    for (args, says) in [
        (vec!["analytics", "rt", "--si-mean", "1"], "--si-mean"),
        (vec!["analytics", "rt", "--si-sd", "0"], "--si-sd"),
        (vec!["analytics", "rt", "--window", "1"], "--window"),
        (
            vec![
                "analytics",
                "rt",
                "--from",
                "2022-03-10",
                "--to",
                "2022-03-01",
            ],
            "--from 2022-03-10 is after --to 2022-03-01",
        ),
        (vec!["analytics", "growth", "--window", "2"], "--window"),
        (
            vec!["analytics", "rates", "--region", "420106"],
            "not the nation",
        ),
        (
            vec!["analytics", "rt", "--incidence", &negative],
            "negative",
        ),
        (
            vec!["analytics", "rt", "--incidence", &gap],
            "not consecutive",
        ),
        (vec!["analytics", "rt", "--incidence", &fraction], "line 2"),
    ] {
        let out = epiledger(&db, &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing is printed");
    }
}

/// Implied zeros are asked for, marked, and the same from the command line and the API; without
/// asking, the stated facts are exported as before.
#[test]
fn implied_zeros_are_marked_and_only_given_when_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    let day = ["--from", "2020-06-19", "--to", "2020-06-19"];
    let stated = stdout(&db, &[&["export", "facts"][..], &day].concat());
    let with = stdout(&db, &[&["export", "facts", "--implied"][..], &day].concat());
    assert!(stated.starts_with("date,region,origin,measure,value\n"));
    assert!(with.starts_with("date,region,origin,measure,value,basis\n"));
    // Tianjin is not listed on 2020-06-19; the local cases listed add up to the national 23.
    assert!(with.contains("\n2020-06-19,120000,local,confirmed_new,0,implied\n"));
    assert!(!stated.contains("2020-06-19,120000,local,confirmed_new"));
    // The stated rows are the stated facts, in the same order.
    let back: Vec<String> = with
        .lines()
        .skip(1)
        .filter_map(|l| l.strip_suffix(",stated").map(str::to_string))
        .collect();
    assert_eq!(back, stated.lines().skip(1).collect::<Vec<_>>());
    // `show` too: Tianjin's day is empty unless the implied zeros are asked for.
    let plain = epiledger(&db, &["show", "2020-06-19", "--region", "120000"]);
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("0*"));
    let shown = stdout(
        &db,
        &["show", "2020-06-19", "--region", "120000", "--implied"],
    );
    assert!(
        shown.contains("confirmed_new                               —         0*         0*"),
        "{shown}"
    );
    // A province's series over HTTP has the zeros only when asked, marked.
    let (mut child, base) = serve(&db, &[], Stdio::null());
    let (s, body) = get(
        &base,
        "/api/v1/facts?from=2020-06-19&to=2020-06-19&implied=true",
    );
    assert_eq!(s, 200);
    assert_eq!(body, with);
    let series = "/api/v1/series?measure=confirmed_new&region=120000&origin=local&from=2020-06-15&to=2020-06-20";
    let (_, plain) = get(&base, series);
    let (_, marked) = get(&base, &format!("{series}&implied=true"));
    let plain: Value = serde_json::from_str(&plain).unwrap();
    let marked: Value = serde_json::from_str(&marked).unwrap();
    assert_eq!(plain["values"].as_array().unwrap().len(), 1, "{plain}");
    let values = marked["values"].as_array().unwrap();
    assert_eq!(values.len(), 6, "{marked}");
    assert_eq!(values[0]["basis"], "implied");
    assert_eq!(values[2]["value"], 1);
    assert!(
        values[2].get("basis").is_none(),
        "a stated figure carries no basis"
    );
    child.kill().unwrap();
    let _ = child.wait();
}
