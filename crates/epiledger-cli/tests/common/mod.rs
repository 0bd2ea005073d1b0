//! What the tests of `epiledger serve` as a process share: running the binary, making tokens,
//! starting a server on a free port, and a unit's report.
#![allow(dead_code)] // each test file uses its own part

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

use serde_json::{json, Value};

/// Runs `epiledger --db DB ARGS…`.
pub fn epiledger(db: impl AsRef<OsStr>, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_epiledger"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("the binary runs")
}

/// `epiledger token create ARGS…`: the new token's secret.
pub fn token(db: impl AsRef<OsStr>, args: &[&str]) -> String {
    let mut a = vec!["token", "create"];
    a.extend_from_slice(args);
    let out = epiledger(db, &a);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// Starts `epiledger serve` on a free port, without a rate limit, with `extra` arguments;
/// returns the child and its base URL.
pub fn serve(db: impl AsRef<OsStr>, extra: &[&str], stderr: Stdio) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_epiledger"))
        .arg("--db")
        .arg(db)
        .args(["serve", "--listen", "127.0.0.1:0", "--rate-limit", "0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("the server starts");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    (child, url)
}

/// A part of a unit: a district of a municipality, the capital of a province.
pub fn part(unit: &str) -> String {
    match unit {
        "110000" | "120000" | "310000" | "500000" => format!("{}0101", &unit[..2]),
        _ => format!("{}0100", &unit[..2]),
    }
}

/// A unit's report of a day: `n + 1` new cases, one imported, `n` local in its part.
pub fn report(date: &str, unit: &str, n: i64) -> Value {
    let mut r = json!({
        "date": date, "unit": unit,
        "figures": [
            { "measure": "confirmed_new", "origin": "all", "value": n + 1 },
            { "measure": "confirmed_new", "origin": "imported", "value": 1 },
            { "measure": "confirmed_new", "origin": "local", "value": n,
              "breakdown": [{ "region": part(unit), "value": n }] },
            { "measure": "deaths_new", "value": 0 }
        ]
    });
    if unit == "660000" {
        // The corps has no prefecture codes of its own.
        r["figures"][2]["breakdown"] = json!([]);
    }
    r
}
