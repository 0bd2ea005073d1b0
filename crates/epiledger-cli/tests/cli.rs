//! The command line end to end, against real SQLite files: the shipped history on a fresh
//! database, importing the corpus (when `../shared` is present), revisions, bad input and the
//! exit codes scripts rely on.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn epiledger(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_epiledger"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/nhc/zh");
    if dir.is_dir() {
        Some(dir)
    } else {
        absent(&dir);
        None
    }
}

/// The rows of 2020-06-19 that the issue names, as `region,origin,measure,value`.
const JUNE_19: &[&str] = &[
    "100000,all,confirmed_new,27",
    "100000,imported,confirmed_new,4",
    "100000,local,confirmed_new,23",
    "440000,imported,confirmed_new,3",
    "310000,imported,confirmed_new,1",
    "110000,local,confirmed_new,22",
    "130000,local,confirmed_new,1",
    "100000,all,deaths_new,0",
    "100000,local,suspected_new,4",
    "110000,local,suspected_new,4",
    "100000,all,discharged_new,12",
    "100000,all,contacts_released,232",
    "100000,imported,confirmed_current,83",
    "100000,imported,severe_current,0",
    "100000,imported,suspected_current,0",
    "100000,imported,confirmed_cumulative,1868",
    "100000,imported,discharged_cumulative,1785",
    "100000,imported,deaths_cumulative,0",
    "100000,all,confirmed_current,308",
    "100000,all,severe_current,13",
    "100000,all,discharged_cumulative,78410",
    "100000,all,deaths_cumulative,4634",
    "100000,all,confirmed_cumulative,83352",
    "100000,all,suspected_current,11",
    "100000,all,contacts_traced_cumulative,756223",
    "100000,all,contacts_under_observation,6023",
    "100000,all,asymptomatic_new,7",
    "100000,imported,asymptomatic_new,5",
    "100000,all,asymptomatic_to_confirmed,0",
    "100000,all,asymptomatic_released,9",
    "100000,imported,asymptomatic_released,8",
    "100000,all,asymptomatic_under_observation,108",
    "100000,imported,asymptomatic_under_observation,57",
    "810000,all,confirmed_cumulative,1127",
    "810000,all,discharged_cumulative,1074",
    "810000,all,deaths_cumulative,4",
    "820000,all,confirmed_cumulative,45",
    "820000,all,discharged_cumulative,45",
    "710000,all,confirmed_cumulative,446",
    "710000,all,discharged_cumulative,434",
    "710000,all,deaths_cumulative,7",
];

fn assert_june_19(csv: &str) {
    for row in JUNE_19 {
        let line = format!("2020-06-19,{row}");
        assert!(csv.lines().any(|l| l == line), "missing {line}");
    }
}

#[test]
fn a_fresh_database_holds_the_shipped_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.db");
    let out = epiledger(&db, &["export", "facts", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = stdout(&out);
    assert_eq!(csv.lines().next(), Some("date,region,origin,measure,value"));
    assert_june_19(&csv);
    assert!(stderr(&out).contains("969 days"));
    assert!(db.exists());

    let show = epiledger(
        &db,
        &["show", "2020-06-19", "--region", "北京", "--format", "csv"],
    );
    assert!(show.status.success());
    assert!(stdout(&show).contains("2020-06-19,110000,local,confirmed_new,22"));
    assert!(
        !stdout(&show).contains(",440000,"),
        "the region filter keeps Beijing only"
    );

    let series = epiledger(
        &db,
        &[
            "series",
            "--measure",
            "confirmed_new",
            "--region",
            "Hubei",
            "--from",
            "2020-02-12",
            "--to",
            "2020-02-12",
        ],
    );
    assert!(series.status.success(), "{}", stderr(&series));
    assert_eq!(stdout(&series), "date,value\n2020-02-12,14840\n");

    let table = epiledger(&db, &["show", "2020-06-19"]);
    assert!(stdout(&table).contains("confirmed_new"));

    let audit = epiledger(
        &db,
        &[
            "audit",
            "--format",
            "json",
            "--from",
            "2020-04-17",
            "--to",
            "2020-04-17",
        ],
    );
    let breaks: serde_json::Value = serde_json::from_slice(&audit.stdout).expect("a JSON array");
    let first = &breaks.as_array().expect("array")[0];
    for key in [
        "date",
        "region",
        "origin",
        "measure",
        "expected",
        "found",
        "explained_by",
    ] {
        assert!(first.get(key).is_some(), "key {key}");
    }
}

#[test]
fn unknown_names_are_clear_errors_with_exit_code_3() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e.db");
    let out = epiledger(&db, &["region", "Pekin"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("Beijing (110000)"),
        "{}",
        stderr(&out)
    );
    let out = epiledger(&db, &["series", "--measure", "confirmed_nwe"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("confirmed_new"));
    let out = epiledger(&db, &["show", "2019-01-01"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("2020-01-20"));
}

#[test]
fn importing_the_corpus_is_whole_and_idempotent() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("import.db");
    let out = epiledger(&db, &["import", "nhc", corpus.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).trim(),
        "969 days: 969 new, 0 revised, 0 unchanged; 0 unplaced numbers; 0 errors"
    );
    let again = epiledger(&db, &["import", "nhc", corpus.to_str().unwrap()]);
    assert_eq!(
        stdout(&again).trim(),
        "969 days: 0 new, 0 revised, 969 unchanged; 0 unplaced numbers; 0 errors"
    );
    let csv = stdout(&epiledger(&db, &["export", "facts"]));
    assert_june_19(&csv);

    // The imported history equals the shipped one.
    let shipped_db = dir.path().join("shipped.db");
    let shipped = stdout(&epiledger(&shipped_db, &["export", "facts"]));
    assert_eq!(csv, shipped);
    // And importing over the shipped history changes nothing.
    let over = epiledger(&shipped_db, &["import", "nhc", corpus.to_str().unwrap()]);
    assert!(stdout(&over).contains("969 unchanged"), "{}", stdout(&over));
}

#[test]
fn a_different_text_is_a_new_version_and_bad_text_stores_nothing() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("rev.db");
    let official = corpus.join("2020-06-19.txt");
    assert!(
        epiledger(&db, &["import", "nhc", official.to_str().unwrap()])
            .status
            .success()
    );
    let before = chrono_now();

    let revised_dir = dir.path().join("revised");
    fs::create_dir(&revised_dir).unwrap();
    let text = fs::read_to_string(&official)
        .unwrap()
        .replace("北京22例", "北京21例")
        .replace("本土病例23例", "本土病例22例");
    let revised = revised_dir.join("2020-06-19.txt");
    fs::write(&revised, text).unwrap();
    let out = epiledger(&db, &["import", "nhc", revised.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("revised: 2020-06-19 is now version 2"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("110000 local confirmed_new: 22 → 21"),
        "{}",
        stderr(&out)
    );

    let versions = stdout(&epiledger(&db, &["versions", "2020-06-19"]));
    assert_eq!(versions.lines().count(), 2, "{versions}");
    let now = stdout(&epiledger(&db, &["show", "2020-06-19", "--format", "csv"]));
    assert!(now.contains("2020-06-19,110000,local,confirmed_new,21"));
    let then = stdout(&epiledger(
        &db,
        &["show", "2020-06-19", "--format", "csv", "--as-of", &before],
    ));
    assert!(
        then.contains("2020-06-19,110000,local,confirmed_new,22"),
        "{then}"
    );

    // Garbled and cut texts are rejected whole: exit code 3, nothing stored.
    let bad_dir = dir.path().join("bad");
    fs::create_dir(&bad_dir).unwrap();
    let original = fs::read_to_string(corpus.join("2020-06-20.txt")).unwrap();
    let cut: String = original
        .chars()
        .take(original.chars().count() * 3 / 4)
        .collect();
    fs::write(bad_dir.join("2020-06-20.txt"), cut).unwrap();
    let out = epiledger(&db, &["import", "nhc", bad_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("2020-06-20.txt"), "{}", stderr(&out));
    let none = epiledger(&db, &["versions", "2020-06-20"]);
    assert_eq!(none.status.code(), Some(3));
}

fn chrono_now() -> String {
    std::thread::sleep(std::time::Duration::from_millis(20));
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    std::thread::sleep(std::time::Duration::from_millis(20));
    now
}

/// A test input that is absent: a skip, said so; with `CI=true`, a failure (CI runs every test).
fn absent(what: &std::path::Path) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{} is not present, and CI=true requires it", what.display());
    }
    eprintln!("skipped: {} is not present", what.display());
}

/// The shipped history keeps its own publication dates: each day is recorded at the morning the
/// NHC published it, so a read as of a day of 2020 knows what was published by then.
#[test]
fn the_history_is_known_as_it_was_published() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("ledger.db");
    // The bulletin of 2020-06-19 came out on 2020-06-20 (Beijing).
    let before = epiledger(
        &db,
        &["show", "2020-06-19", "--as-of", "2020-06-19T23:00:00+08:00"],
    );
    assert_eq!(before.status.code(), Some(3), "{}", stdout(&before));
    let after = epiledger(
        &db,
        &["show", "2020-06-19", "--as-of", "2020-06-20T09:00:00+08:00"],
    );
    assert!(after.status.success(), "{}", stderr(&after));
    let v = epiledger(&db, &["versions", "2020-06-19"]);
    assert!(stdout(&v).contains("2020-06-19T16:00:00"), "{}", stdout(&v));
}
