//! `bulletin` and `render`: the day's bulletin from the ledger alone, and `bulletin --check`,
//! which renders every day of a directory of official bulletins and compares.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use epiledger_bulletin::render::{self, check, CheckReport, DayCheck, Format, Lang};
use epiledger_core::{Correction, Date, Day, Fact, Ledger, Note, RegionId};
use epiledger_store::Store;
use serde::Deserialize;

use super::resolve_region;
use crate::cli::{BulletinArgs, RenderArgs};
use crate::db;
use crate::error::CliError;
use epiledger_store::Span;

/// From this day on the bulletins took their settled form; the check reports its rate apart.
const SETTLED: &str = "2020-03-01";

/// Characters of context around each difference in `--check`'s diffs.
const CONTEXT: usize = 8;

/// The scope a user names: the nation by default, else a provincial-level reporting unit.
fn scope(region: Option<&str>) -> Result<RegionId, CliError> {
    let Some(name) = region else {
        return Ok(RegionId::NATION);
    };
    let id = resolve_region(name)?;
    let ok = matches!(id, RegionId::Code(c)
        if epiledger_core::ledger::hierarchy::is_reporting_unit(c) || id.is_nation());
    if ok {
        Ok(id)
    } else {
        Err(CliError::Input(format!(
            "{name}: a bulletin is rendered for the nation or for one of the 31 provinces and \
             the XPCC; give a provincial-level region (for example 110000 or Beijing)"
        )))
    }
}

/// Prints a rendered bulletin.
fn print(
    ledger: &Ledger,
    date: Date,
    scope: &RegionId,
    l: Lang,
    f: Format,
) -> Result<(), CliError> {
    let Some(b) = render::bulletin(ledger, date, scope) else {
        let range = match (ledger.first_date(), ledger.last_date()) {
            (Some(a), Some(z)) => format!("the figures cover {a} … {z}"),
            _ => "there are no figures".to_string(),
        };
        return Err(CliError::Input(format!("no figures for {date} ({range})")));
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let text = render::render(&b, l, f);
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        writeln!(out)?;
    }
    out.flush()?;
    Ok(())
}

/// `bulletin DATE` and `bulletin --check DIR`.
pub fn bulletin(db_path: &Path, args: &BulletinArgs) -> Result<ExitCode, CliError> {
    if let Some(dir) = &args.check {
        return check_dir(db_path, dir, args);
    }
    let Some(date) = args.date else {
        return Err(CliError::Input(
            "give the reporting day (YYYY-MM-DD), or --check DIR".into(),
        ));
    };
    let scope = scope(args.region.as_deref())?;
    let store = db::open(db_path, true)?;
    // The day before is needed for the change of severe cases where it is not stored.
    let days = store.days(Span::new(Some(date.pred()), Some(date), args.as_of))?;
    let ledger = Ledger::from_days(days.into_iter().map(|s| s.day));
    print(&ledger, date, &scope, args.lang, args.format)?;
    Ok(ExitCode::SUCCESS)
}

/// The official bulletins of a directory: `YYYY-MM-DD.txt`, in date order.
fn official_texts(dir: &Path, only: Option<Date>) -> Result<Vec<(Date, PathBuf)>, CliError> {
    let entries = fs::read_dir(dir).map_err(|e| CliError::io(dir.display().to_string(), e))?;
    let mut out: Vec<(Date, PathBuf)> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .filter_map(|p| {
            let date = p.file_stem()?.to_str()?.get(..10)?.parse::<Date>().ok()?;
            Some((date, p))
        })
        .filter(|(d, _)| only.is_none_or(|o| *d == o))
        .collect();
    out.sort();
    if out.is_empty() {
        return Err(CliError::Input(format!(
            "{}: no bulletins named YYYY-MM-DD.txt{}",
            dir.display(),
            only.map(|d| format!(" for {d}")).unwrap_or_default()
        )));
    }
    Ok(out)
}

/// `bulletin --check DIR [DATE] [--as-of T]`: renders every day DIR holds (or DATE) and compares
/// it with the official text, whitespace ignored. The ledger is built by parsing DIR's files
/// (their facts, corrections and notes, never their sentences), or, with `--as-of`, read from
/// the database as it stood then.
fn check_dir(db_path: &Path, dir: &Path, args: &BulletinArgs) -> Result<ExitCode, CliError> {
    if args.region.is_some() {
        return Err(CliError::Input(
            "--check compares the national bulletins; it takes no --region".into(),
        ));
    }
    if args.lang != Lang::Zh {
        return Err(CliError::Input(
            "--check compares the Chinese text with the official bulletins; drop --lang".into(),
        ));
    }
    let files = official_texts(dir, args.date)?;
    let mut texts: Vec<(Date, Result<String, String>)> = Vec::with_capacity(files.len());
    for (date, path) in &files {
        let text = fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|b| String::from_utf8(b).map_err(|_| "not UTF-8 text".to_string()));
        texts.push((*date, text));
    }
    let mut unreadable: Vec<(Date, String)> = Vec::new();
    let days: Vec<Day> = if args.as_of.is_some() {
        let store = db::open(db_path, true)?;
        let first = files.first().map(|(d, _)| d.pred());
        let last = files.last().map(|(d, _)| *d);
        let days = store.days(Span::new(first, last, args.as_of))?;
        days.into_iter().map(|s| s.day).collect()
    } else {
        let mut days: Vec<Day> = Vec::with_capacity(texts.len());
        for (date, text) in &texts {
            match text {
                Ok(t) => match epiledger_bulletin::parse(t, Some(*date)) {
                    Ok(p) => days.push(p.day),
                    Err(e) => unreadable.push((*date, format!("not parsed: {e}"))),
                },
                Err(e) => unreadable.push((*date, e.clone())),
            }
        }
        days
    };
    // As published (with each day's recorded phrasing) and by the conventions alone.
    let conventions = Ledger::from_days(
        days.iter()
            .map(epiledger_bulletin::phrasing::without_phrasing),
    );
    let ledger = Ledger::from_days(days);
    let started = Instant::now();
    let mut report = CheckReport::default();
    let mut by_conventions = CheckReport::default();
    for (date, text) in &texts {
        if let Ok(official) = text {
            let hunks = render::bulletin(&conventions, *date, &RegionId::NATION)
                .map(|b| check::diff(official, &render::zh::write(&b), CONTEXT))
                .unwrap_or_default();
            let error = unreadable.iter().any(|(d, _)| d == date).then(String::new);
            by_conventions.days.push(DayCheck {
                date: *date,
                hunks,
                error,
            });
        }
        let error = unreadable
            .iter()
            .find(|(d, _)| d == date)
            .map(|(_, e)| e.clone());
        let (hunks, error) = match (text, error) {
            (_, Some(e)) => (Vec::new(), Some(e)),
            (Err(e), None) => (Vec::new(), Some(e.clone())),
            (Ok(official), None) => match render::bulletin(&ledger, *date, &RegionId::NATION) {
                Some(b) => (check::diff(official, &render::zh::write(&b), CONTEXT), None),
                None => (Vec::new(), Some("no figures for this day".to_string())),
            },
        };
        report.days.push(DayCheck {
            date: *date,
            hunks,
            error,
        });
    }
    let elapsed = started.elapsed();
    write_report(&report, &by_conventions, elapsed)?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the differing days with their diffs, then the rates.
fn write_report(
    report: &CheckReport,
    by_conventions: &CheckReport,
    elapsed: std::time::Duration,
) -> Result<(), CliError> {
    let mut out = BufWriter::new(io::stdout().lock());
    for d in report.differing() {
        match &d.error {
            Some(e) => writeln!(out, "{}  not rendered: {e}", d.date)?,
            None => {
                writeln!(out, "{}  differs in {} place(s)", d.date, d.hunks.len())?;
                for h in &d.hunks {
                    writeln!(out, "    {h}")?;
                }
            }
        }
    }
    let settled: Date = SETTLED
        .parse()
        .unwrap_or_else(|_| Date::from(chrono::NaiveDate::MIN));
    let (ok, n) = report.count(None);
    let (ok2, n2) = report.count(Some(settled));
    let pct = |ok: usize, n: usize| {
        if n == 0 {
            100.0
        } else {
            100.0 * ok as f64 / n as f64
        }
    };
    writeln!(
        out,
        "exact match (whitespace ignored): {ok}/{n} days ({:.2}%); from {SETTLED}: {ok2}/{n2} ({:.2}%), as published",
        pct(ok, n),
        pct(ok2, n2)
    )?;
    let (ok, n) = by_conventions.count(None);
    let (ok2, n2) = by_conventions.count(Some(settled));
    writeln!(
        out,
        "by the conventions alone (phrasing ignored): {ok}/{n} days ({:.2}%); from {SETTLED}: {ok2}/{n2} ({:.2}%)",
        pct(ok, n),
        pct(ok2, n2)
    )?;
    writeln!(out, "rendered and compared in {} ms", elapsed.as_millis())?;
    out.flush()?;
    Ok(())
}

// ---- render --facts ----

/// A correction with its date.
#[derive(Deserialize)]
struct DatedCorrection {
    date: Date,
    #[serde(flatten)]
    correction: Correction,
}

/// A note with its date.
#[derive(Deserialize)]
struct DatedNote {
    date: Date,
    #[serde(flatten)]
    note: Note,
}

fn read_text(path: &Path) -> Result<String, CliError> {
    fs::read_to_string(path).map_err(|e| CliError::io(path.display().to_string(), e))
}

/// The facts of a CSV (`date,region,origin,measure,value`) or JSON Lines file.
fn read_facts(path: &Path) -> Result<Vec<(Date, Fact)>, CliError> {
    let file = fs::File::open(path).map_err(|e| CliError::io(path.display().to_string(), e))?;
    epiledger_formats::read_facts(file)
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))
}

/// Reads a JSON Lines file of dated records.
fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>, CliError> {
    let text = read_text(path)?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(
            serde_json::from_str(line)
                .map_err(|e| CliError::Input(format!("{}:{}: {e}", path.display(), i + 1)))?,
        );
    }
    Ok(out)
}

/// The ledger of a facts file and its corrections and notes.
pub fn ledger_from_files(
    facts: &Path,
    corrections: Option<&Path>,
    notes: Option<&Path>,
) -> Result<Ledger, CliError> {
    let mut days: std::collections::BTreeMap<Date, Day> = std::collections::BTreeMap::new();
    for (date, f) in read_facts(facts)? {
        days.entry(date)
            .or_insert_with(|| Day::new(date))
            .facts
            .push(f);
    }
    if let Some(p) = corrections {
        for c in read_jsonl::<DatedCorrection>(p)? {
            days.entry(c.date)
                .or_insert_with(|| Day::new(c.date))
                .corrections
                .push(c.correction);
        }
    }
    if let Some(p) = notes {
        for n in read_jsonl::<DatedNote>(p)? {
            days.entry(n.date)
                .or_insert_with(|| Day::new(n.date))
                .notes
                .push(n.note);
        }
    }
    let ledger = Ledger::from_days(days.into_values());
    if let Some((date, e)) = ledger.conflicts().first() {
        return Err(CliError::Input(format!("{}: {date}: {e}", facts.display())));
    }
    Ok(ledger)
}

/// Warns, on standard error, of the day's figures that do not add up (an edited facts file
/// whose totals were not edited with it): the text renders each figure as given.
fn warn_inconsistent(ledger: &Ledger, date: Date) {
    use epiledger_core::Identity;
    let breaks = epiledger_core::audit(ledger, Some(date), Some(date));
    for b in breaks
        .iter()
        .filter(|b| {
            matches!(
                b.identity,
                Identity::Origins | Identity::Parts | Identity::Balance
            )
        })
        .filter(|b| b.explained_by.is_none())
    {
        eprintln!("warning: the figures do not add up: {b}");
    }
}

/// `render --facts FILE --date DATE`.
pub fn render(args: &RenderArgs) -> Result<ExitCode, CliError> {
    let ledger = ledger_from_files(
        &args.facts,
        args.corrections.as_deref(),
        args.notes.as_deref(),
    )?;
    warn_inconsistent(&ledger, args.date);
    print(
        &ledger,
        args.date,
        &RegionId::NATION,
        args.lang,
        args.format,
    )?;
    Ok(ExitCode::SUCCESS)
}
