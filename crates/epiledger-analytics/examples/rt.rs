//! Rt from an incidence CSV, until `epiledger analytics rt --incidence FILE` is wired:
//!
//! ```sh
//! cargo run --release -p epiledger-analytics --example rt -- [FILE] [--si-mean 4.7] [--si-sd 2.9] [--window 7] [--format csv|json]
//! cargo run --release -p epiledger-analytics --example rt -- --out DIR FILE...
//! ```
//!
//! Reads `date,local,imported` from FILE (or standard input) and prints
//! `date,mean,std,q025,q05,q25,median,q75,q95,q975`, one row a window (an absent window has
//! empty values), or the whole series as JSON. With `--out DIR`, estimates every FILE and
//! writes the CSV of each to DIR under the file's name (as `scripts/rt-epiestim.R --out` does),
//! then prints the time the estimates took on standard error. Exit codes: 2 for a usage error, 3 for an input
//! that is rejected (nothing is computed).

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use epiledger_analytics::{estimate_rt, Incidence, RtConfig};

fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    eprintln!(
        "usage: rt [FILE] [--si-mean MEAN] [--si-sd SD] [--window DAYS] [--format csv|json]\n       rt --out DIR [--si-mean MEAN] [--si-sd SD] [--window DAYS] FILE..."
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut files, mut mean, mut sd, mut window, mut json) = (Vec::new(), 4.7, 2.9, 7usize, false);
    let mut out_dir: Option<String> = None;
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        let parsed = match a.as_str() {
            "--si-mean" => value("--si-mean")
                .and_then(|v| {
                    v.parse()
                        .map_err(|_| format!("--si-mean `{v}` is not a number"))
                })
                .map(|v| mean = v),
            "--si-sd" => value("--si-sd")
                .and_then(|v| {
                    v.parse()
                        .map_err(|_| format!("--si-sd `{v}` is not a number"))
                })
                .map(|v| sd = v),
            "--window" => value("--window")
                .and_then(|v| {
                    v.parse()
                        .map_err(|_| format!("--window `{v}` is not a whole number of days"))
                })
                .map(|v| window = v),
            "--format" => value("--format").and_then(|v| match v.as_str() {
                "csv" | "json" => {
                    json = v == "json";
                    Ok(())
                }
                other => Err(format!("--format `{other}`: use csv or json")),
            }),
            "--out" => value("--out").map(|v| out_dir = Some(v)),
            f if !f.starts_with("--") => {
                files.push(f.to_string());
                Ok(())
            }
            other => Err(format!("unexpected argument `{other}`")),
        };
        if let Err(e) = parsed {
            return usage(&e);
        }
    }
    let config = match RtConfig::new(mean, sd, window) {
        Ok(c) => c,
        Err(e) => return usage(&e.to_string()),
    };
    if let Some(dir) = out_dir {
        return many(&files, &dir, &config);
    }
    if files.len() > 1 {
        return usage("give one FILE, or --out DIR for several");
    }
    let file = files.first();
    let mut text = String::new();
    let read = match &file {
        Some(f) => std::fs::read_to_string(f).map(|t| text = t),
        None => std::io::stdin().read_to_string(&mut text).map(|_| ()),
    };
    if let Err(e) = read {
        eprintln!(
            "error: cannot read {}: {e}",
            file.map_or("standard input", |f| f.as_str())
        );
        return ExitCode::from(1);
    }
    let name = file.map_or("standard input", |f| f.as_str());
    let incidence = match Incidence::parse_csv(&text) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("error: {name}: {e}");
            return ExitCode::from(3);
        }
    };
    let series = match estimate_rt(&incidence, &config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {name}: {e}");
            return ExitCode::from(3);
        }
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&series).expect("serializable")
        );
        return ExitCode::SUCCESS;
    }
    print!("{}", epiledger_analytics::query::rt_csv(&series));
    ExitCode::SUCCESS
}

/// Every file into DIR, timing the estimates alone.
fn many(files: &[String], dir: &str, config: &RtConfig) -> ExitCode {
    let mut inputs = Vec::new();
    for f in files {
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read {f}: {e}");
                return ExitCode::from(1);
            }
        };
        match Incidence::parse_csv(&text) {
            Ok(i) => inputs.push(i),
            Err(e) => {
                eprintln!("error: {f}: {e}");
                return ExitCode::from(3);
            }
        }
    }
    let started = Instant::now();
    let mut results = Vec::new();
    for (f, inc) in files.iter().zip(&inputs) {
        match estimate_rt(inc, config) {
            Ok(s) => results.push(s),
            Err(e) => {
                eprintln!("error: {f}: {e}");
                return ExitCode::from(3);
            }
        }
    }
    let took = started.elapsed();
    for (f, series) in files.iter().zip(&results) {
        let name = Path::new(f).file_name().expect("a file name");
        if let Err(e) = std::fs::write(
            Path::new(dir).join(name),
            epiledger_analytics::query::rt_csv(series),
        ) {
            eprintln!("error: cannot write into {dir}: {e}");
            return ExitCode::from(1);
        }
    }
    eprintln!(
        "estimate_rt: {} series, {:.6} s",
        files.len(),
        took.as_secs_f64()
    );
    ExitCode::SUCCESS
}
