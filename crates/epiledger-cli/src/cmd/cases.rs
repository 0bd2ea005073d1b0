//! `cases`: the case register on the command line (see docs/CASES.md).

use std::fs::File;
use std::io::{self, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use chrono::Utc;
use epiledger_core::{Date, Day, RegionCode, RegionId};
use epiledger_formats::FactsWriter;
use epiledger_register::interchange::{
    import_with, CsvWriter, Format, Mapping, NdjsonWriter, ReadOptions,
};
use epiledger_register::simulate::{compare, simulate, SimOptions};
use epiledger_register::{CardRef, Pseudonymizer};
use epiledger_store::cases::{self, Chunks, Gated, Loaded, Spool};
use epiledger_store::{Change, ChangeRequest, ReportingStore, Span};

use super::token::local_actor;
use crate::cli::{
    CasesCommand, CasesDeriveArgs, CasesExportArgs, CasesImportArgs, CasesReconcileArgs,
    CasesShowArgs, CasesSimulateArgs, CasesSpanArgs,
};
use crate::db;
use crate::error::{code, CliError};

/// Runs a `cases` subcommand.
pub fn run(db: &Path, c: CasesCommand) -> Result<ExitCode, CliError> {
    match c {
        CasesCommand::Import(a) => import(db, &a),
        CasesCommand::Show(a) => show(db, &a),
        CasesCommand::Derive(a) => derive(db, &a),
        CasesCommand::Check(a) => check(db, &a),
        CasesCommand::Reconcile(a) => reconcile(db, &a),
        CasesCommand::Duplicates => duplicates(db),
        CasesCommand::Simulate(a) => run_simulate(&a),
        CasesCommand::Export(a) => export(db, &a),
    }
}

/// The ledger `--db` names, holding the shipped history if it is new.
fn open(db: &Path) -> Result<Box<dyn ReportingStore>, CliError> {
    drop(db::open(db, true)?);
    db::open_reporting(db)
}

fn load(
    store: &dyn ReportingStore,
    as_of: Option<chrono::DateTime<Utc>>,
) -> Result<Loaded, CliError> {
    Ok(cases::load(store, as_of, &mut |_| {})?)
}

/// The deployment's pseudonym key: the file named, else `EPILEDGER_PSEUDONYM_KEY`.
fn pseudonymizer(file: Option<&PathBuf>) -> Result<Option<Pseudonymizer>, CliError> {
    let key = match file {
        Some(path) => {
            let label = path.display().to_string();
            let mut bytes = std::fs::read(path).map_err(|e| CliError::io(&label, e))?;
            while bytes.last().is_some_and(|b| b.is_ascii_whitespace()) {
                bytes.pop();
            }
            Some(bytes)
        }
        None => std::env::var_os("EPILEDGER_PSEUDONYM_KEY")
            .filter(|v| !v.is_empty())
            .map(|v| v.to_string_lossy().into_owned().into_bytes()),
    };
    key.map(|k| {
        Pseudonymizer::new(&k).map_err(|e| CliError::Input(format!("the pseudonym key: {e}")))
    })
    .transpose()
}

/// A file that is removed when dropped (the spool of a bulk import).
struct TempFile {
    path: PathBuf,
}

impl TempFile {
    fn create() -> Result<(TempFile, File), CliError> {
        let name = format!(
            "epiledger-cases-{}-{}.csv",
            std::process::id(),
            Utc::now().timestamp_nanos_opt().unwrap_or(0)
        );
        let path = std::env::temp_dir().join(name);
        let label = path.display().to_string();
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| CliError::io(&label, e))?;
        Ok((TempFile { path }, file))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// `cases import FILE…`.
fn import(db: &Path, a: &CasesImportArgs) -> Result<ExitCode, CliError> {
    let mapping = match &a.mapping {
        Some(path) => {
            let label = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| CliError::io(&label, e))?;
            Some(Mapping::from_json(&text).map_err(|e| CliError::Input(format!("{label}: {e}")))?)
        }
        None => None,
    };
    let pseudonymizer = pseudonymizer(a.pseudonym_key_file.as_ref())?;
    let mut store = open(db)?;
    let start = Instant::now();
    let mut loaded = load(store.as_ref(), None)?;
    if loaded.events > 0 {
        eprintln!(
            "the register: {} events replayed in {:.2} s",
            loaded.events,
            start.elapsed().as_secs_f64()
        );
    }
    for path in &a.files {
        let label = path.display().to_string();
        let start = Instant::now();
        let file = File::open(path).map_err(|e| CliError::io(&label, e))?;
        let bytes = file.metadata().map(|m| m.len() as usize).unwrap_or(0);
        // A bulk import: room for about one event per 120 bytes.
        loaded
            .register
            .reserve(bytes / 120, bytes / 1500, bytes / 280);
        let format = Format::from_name(&label);
        let opts = ReadOptions {
            mapping: mapping.as_ref(),
            pseudonymizer: pseudonymizer.as_ref(),
        };
        let reader = io::BufReader::with_capacity(1 << 20, file);
        // Stored as it came when the register can read it back as it is: interchange CSV in
        // our column names, with no identity number to hash (without a key, a row with one is
        // refused). Then the file is stored while it is validated, in one transaction that
        // commits only if the register accepts the whole file. Else the recorded events are
        // written again, by the register's writer, and stored once validated.
        let as_is = format == Format::Csv && mapping.is_none() && pseudonymizer.is_none();
        let mut temp = None;
        let (imported, stored) = if as_is && !a.dry_run {
            let stored_file = File::open(path).map_err(|e| CliError::io(&label, e))?;
            let (verdict, gate) = std::sync::mpsc::sync_channel(1);
            let source = Gated::new(Chunks::new(io::BufReader::new(stored_file)), gate);
            let req = local(Change::RecordCases {
                batch: cases::batch(0, Default::default(), source),
            });
            let register = &mut loaded.register;
            let store = &mut store;
            std::thread::scope(|scope| {
                let validation = scope.spawn(move || {
                    let mut spool = Spool::<io::Sink>::tally();
                    let r = import_with(register, reader, format, opts, |e| spool.push(e));
                    let totals = match &r {
                        Ok(_) => spool
                            .finish()
                            .map(|(events, units, _)| (events, units))
                            .map_err(|e| e.to_string()),
                        Err(p) => Err(format!("refused: {} problems", p.total)),
                    };
                    let _ = verdict.send(totals);
                    r
                });
                let stored = store.apply_changes(&[req], Utc::now());
                let imported = validation
                    .join()
                    .map_err(|_| CliError::Input(format!("{label}: the validation stopped")));
                (imported, Some(stored))
            })
        } else {
            let mut spool = if as_is {
                Spool::tally()
            } else {
                let (t, f) = TempFile::create()?;
                let label = t.path.display().to_string();
                temp = Some(t);
                Spool::writing(BufWriter::with_capacity(1 << 20, f))
                    .map_err(|e| CliError::io(label, e))?
            };
            let r = import_with(&mut loaded.register, reader, format, opts, |e| {
                spool.push(e)
            });
            let stored = match (&r, a.dry_run) {
                (Ok(_), false) => {
                    let temp_label = || {
                        temp.as_ref()
                            .map_or(label.clone(), |t| t.path.display().to_string())
                    };
                    let (events, units, written) =
                        spool.finish().map_err(|e| CliError::io(temp_label(), e))?;
                    let batch = match written {
                        None => {
                            let f = File::open(path).map_err(|e| CliError::io(&label, e))?;
                            cases::batch(events, units, Chunks::new(io::BufReader::new(f)))
                        }
                        Some(w) => {
                            let mut f = w
                                .into_inner()
                                .map_err(|e| CliError::io(temp_label(), e.into_error()))?;
                            f.seek(io::SeekFrom::Start(0))
                                .map_err(|e| CliError::io(temp_label(), e))?;
                            cases::batch(events, units, Chunks::new(io::BufReader::new(f)))
                        }
                    };
                    let req = local(Change::RecordCases { batch });
                    Some(store.apply_changes(&[req], Utc::now()))
                }
                _ => None,
            };
            (Ok(r), stored)
        };
        let summary = match imported? {
            Ok(s) => s,
            Err(problems) => {
                eprint!("{}", prefixed(&label, &problems.to_string()));
                eprintln!(
                    "{label}: refused, {} problem{}; nothing of it was stored",
                    problems.total,
                    if problems.total == 1 { "" } else { "s" }
                );
                return Ok(ExitCode::from(code::INPUT));
            }
        };
        let stored = match stored.transpose()?.and_then(|mut r| r.pop()) {
            Some(Ok(c)) => c.audit_seq.map(|s| format!(", audit entry {s}")),
            // Every event was recorded before: there was nothing to store.
            Some(Err(_)) if summary.recorded == 0 => None,
            Some(Err(e)) => return Err(CliError::Input(format!("{label}: {e}"))),
            None => None,
        };
        drop(temp);
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{label}: {} rows, {} events recorded, {} already recorded; {} in {secs:.2} s ({:.0} events/s){}",
            summary.rows,
            summary.recorded,
            summary.duplicates,
            if a.dry_run { "checked, nothing stored" } else { "stored" },
            summary.rows as f64 / secs.max(1e-9),
            stored.unwrap_or_default(),
        );
    }
    println!(
        "the register: {} cards, {} contacts, {} persons; {} open cards of one person flagged (`epiledger cases duplicates`)",
        loaded.register.cards(),
        loaded.register.contacts(),
        loaded.register.persons(),
        loaded.register.duplicates().count()
    );
    Ok(ExitCode::SUCCESS)
}

/// A change made from the command line (no retry key).
fn local(change: Change) -> ChangeRequest {
    ChangeRequest {
        change,
        actor: local_actor(),
        idempotency: None,
    }
}

/// Each line of a list of problems prefixed with the file.
fn prefixed(label: &str, text: &str) -> String {
    text.lines().map(|l| format!("{label}: {l}\n")).collect()
}

fn card_ref(text: &str) -> Result<CardRef, CliError> {
    if !text.contains(':') {
        return Err(CliError::Input(format!(
            "`{text}`: name a card as UNIT:ID, with its reporting unit's code (420000:A17)"
        )));
    }
    CardRef::parse(text, RegionCode::NATION).map_err(|e| {
        CliError::Input(format!(
            "`{text}` is not a card: {e} (write UNIT:ID, e.g. 420000:A17)"
        ))
    })
}

/// `cases show CARD`.
fn show(db: &Path, a: &CasesShowArgs) -> Result<ExitCode, CliError> {
    let card = card_ref(&a.card)?;
    let mut store = open(db)?;
    let mut events = Vec::new();
    let loaded = cases::load(store.as_ref(), a.as_of, &mut |e| {
        if e.concerns(&card) {
            events.push(e.clone());
        }
    })?;
    let Some((view, private)) = loaded.register.card(&card) else {
        return Err(CliError::Input(format!(
            "there is no card {card} in the register{}",
            a.as_of.map(|t| format!(" as of {t}")).unwrap_or_default()
        )));
    };
    // Every read of a card is in the audit log.
    let req = local(Change::ReadCase {
        card: card.to_string(),
    });
    if let Some(Err(e)) = store.apply_changes(&[req], Utc::now())?.pop() {
        return Err(CliError::Input(e.to_string()));
    }
    let mut out = io::stdout().lock();
    let opt = |v: Option<String>| v.unwrap_or_else(|| "—".into());
    writeln!(out, "card            {}", view.card)?;
    writeln!(out, "disease         {}", view.disease)?;
    writeln!(out, "classification  {}", view.classification)?;
    writeln!(
        out,
        "severity        {}",
        opt(view.severity.map(|s| s.to_string()))
    )?;
    writeln!(
        out,
        "origin          {}{}",
        view.origin,
        view.country.map(|c| format!(" ({c})")).unwrap_or_default()
    )?;
    writeln!(out, "residence       {}", place(view.residence))?;
    writeln!(out, "institution     {}", place(view.institution))?;
    writeln!(
        out,
        "sex, age        {}, {}",
        opt(view.sex.map(|s| s.to_string())),
        opt(view.age.map(|a| a.to_string()))
    )?;
    writeln!(
        out,
        "onset           {}",
        opt(view.onset.map(|d| d.to_string()))
    )?;
    writeln!(
        out,
        "diagnosis       {}",
        opt(view.diagnosis.map(|d| d.to_string()))
    )?;
    writeln!(out, "report, audit   {}, {}", view.report, view.audit)?;
    writeln!(
        out,
        "outcome         {}",
        opt(view.outcome.map(|(o, d)| format!("{o} on {d}")))
    )?;
    writeln!(
        out,
        "withdrawn       {}",
        if view.withdrawn { "yes" } else { "no" }
    )?;
    writeln!(
        out,
        "person          {}",
        opt(view.person.map(|p| p.to_string()))
    )?;
    if let Some(p) = private {
        writeln!(
            out,
            "name            {}",
            opt(p.name.as_ref().map(|n| n.to_string()))
        )?;
        writeln!(
            out,
            "telephone       {}",
            opt(p.phone.as_ref().map(|n| n.to_string()))
        )?;
    }
    writeln!(out, "events ({}):", events.len())?;
    let mut w = NdjsonWriter::new(&mut out).with_private();
    for e in &events {
        w.write(e)?;
    }
    w.finish()?;
    Ok(ExitCode::SUCCESS)
}

fn place(code: RegionCode) -> String {
    match epiledger_core::registry().get(code) {
        Some(r) => format!("{code} {}", r.name_zh),
        None => code.to_string(),
    }
}

/// The register's days from `from` (default: the day after its first, which opens it) to `to`.
fn span(loaded: &Loaded, a: &CasesSpanArgs) -> Option<(Date, Date)> {
    let (first, last) = loaded.register.derivation().span()?;
    let from = a
        .from
        .unwrap_or_else(|| Date::from(first.naive().succ_opt().unwrap_or(first.naive())));
    Some((from, a.to.unwrap_or(last)))
}

fn writer(out: Option<&PathBuf>) -> Result<(Box<dyn Write>, String), CliError> {
    Ok(match out {
        Some(path) => {
            let label = path.display().to_string();
            let file = File::create(path).map_err(|e| CliError::io(&label, e))?;
            (Box::new(BufWriter::new(file)), label)
        }
        None => (
            Box::new(BufWriter::new(io::stdout().lock())),
            "<stdout>".to_string(),
        ),
    })
}

/// `cases derive`.
fn derive(db: &Path, a: &CasesDeriveArgs) -> Result<ExitCode, CliError> {
    let store = open(db)?;
    let loaded = load(store.as_ref(), a.as_of)?;
    let (sink, label) = writer(a.out.as_ref())?;
    let io_err = |e| CliError::io(&label, e);
    let mut w = FactsWriter::new(sink, a.format).map_err(io_err)?;
    if let Some((from, to)) = span(&loaded, &a.span) {
        for day in loaded.register.derivation().days() {
            let Some(date) = day.date else { continue };
            if date < from || date > to {
                continue;
            }
            for f in &day.facts {
                w.write(date, f).map_err(io_err)?;
            }
        }
    }
    w.finish().map_err(io_err)?.flush().map_err(io_err)?;
    Ok(ExitCode::SUCCESS)
}

/// `cases check`.
fn check(db: &Path, a: &CasesSpanArgs) -> Result<ExitCode, CliError> {
    let store = open(db)?;
    let start = Instant::now();
    let loaded = load(store.as_ref(), None)?;
    let Some((from, to)) = span(&loaded, a) else {
        println!("the register holds no event: nothing to check");
        return Ok(ExitCode::SUCCESS);
    };
    let history: Vec<Day> = store
        .days(Span::days(from, to))?
        .into_iter()
        .map(|d| d.day)
        .collect();
    let d = loaded.register.derivation();
    let (diffs, compared) = compare(&history, d, from, to);
    let corrections: usize = d
        .dates()
        .filter(|x| *x >= from && *x <= to)
        .map(|x| d.corrections_on(x).len())
        .sum();
    let mut out = io::stdout().lock();
    for x in &diffs {
        writeln!(out, "{x}")?;
    }
    writeln!(
        out,
        "{from} … {to}: {} events replayed; {compared} figures of the ledger compared with the register's, {} difference{}; {corrections} corrections derived ({:.2} s)",
        loaded.events,
        diffs.len(),
        if diffs.len() == 1 { "" } else { "s" },
        start.elapsed().as_secs_f64()
    )?;
    Ok(if diffs.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(code::CHECK)
    })
}

/// `cases reconcile DATE`.
fn reconcile(db: &Path, a: &CasesReconcileArgs) -> Result<ExitCode, CliError> {
    let units: Vec<RegionCode> = match &a.unit {
        Some(name) => match super::resolve_region(name)? {
            RegionId::Code(c) if epiledger_core::ledger::hierarchy::REPORTING_UNITS.contains(&c) => vec![c],
            other => {
                return Err(CliError::Input(format!(
                    "{other} is not a reporting unit: name one of the 31 provinces or the XPCC (660000)"
                )))
            }
        },
        None => epiledger_core::ledger::hierarchy::REPORTING_UNITS.to_vec(),
    };
    let store = open(db)?;
    let loaded = load(store.as_ref(), None)?;
    let d = loaded.register.derivation();
    let mut out = io::stdout().lock();
    writeln!(out, "unit\torigin\tmeasure\tregister\treport\tdifference")?;
    let mut differing = 0;
    for unit in units {
        let report = store.report(a.date, unit, None)?;
        let rows = cases::reconcile(d, a.date, unit, report.as_ref().map(|r| &r.report));
        for r in rows {
            let differs = r.differs();
            differing += usize::from(differs);
            if a.differences && !differs {
                continue;
            }
            let text = |v: Option<i64>| v.map_or("—".to_string(), |v| v.to_string());
            let diff = match (r.register, r.report) {
                (Some(x), Some(y)) if x != y => format!("{:+}", x - y),
                (Some(_), None) => "not reported".into(),
                (None, Some(_)) => "not in the register".into(),
                _ => String::new(),
            };
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{diff}",
                r.unit,
                r.origin,
                r.measure,
                text(r.register),
                text(r.report)
            )?;
        }
    }
    writeln!(out, "{}: {differing} figures differ", a.date)?;
    Ok(if differing == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(code::CHECK)
    })
}

/// `cases duplicates`.
fn duplicates(db: &Path) -> Result<ExitCode, CliError> {
    let store = open(db)?;
    let loaded = load(store.as_ref(), None)?;
    let mut out = io::stdout().lock();
    let mut n = 0;
    for f in loaded.register.duplicates() {
        n += 1;
        writeln!(out, "{}\t{}\tsurvivor {}", f.first, f.second, f.survivor)?;
    }
    writeln!(out, "{n} pairs of open cards of one person and disease")?;
    Ok(ExitCode::SUCCESS)
}

/// `cases simulate`.
fn run_simulate(a: &CasesSimulateArgs) -> Result<ExitCode, CliError> {
    let history: Vec<Day> = epiledger_history::load()?
        .into_iter()
        .map(|d| d.day)
        .collect();
    let opts = SimOptions {
        from: a.from,
        to: a.to,
        seed: a.seed,
    };
    let label = a.out.display().to_string();
    let start = Instant::now();
    let file = File::create(&a.out).map_err(|e| CliError::io(&label, e))?;
    let file = BufWriter::with_capacity(1 << 20, file);
    let io_err = |e| CliError::io(&label, e);
    let summary = match Format::from_name(&label) {
        Format::Csv => {
            let mut w = CsvWriter::new(file).map_err(|e| io_err(io::Error::other(e)))?;
            let s = simulate(&history, &opts, &mut |e| {
                w.write(e).map_err(io::Error::other)
            });
            w.finish().map_err(io_err)?;
            s
        }
        Format::Ndjson => {
            let mut w = NdjsonWriter::new(file);
            let s = simulate(&history, &opts, &mut |e| w.write(e));
            w.finish().map_err(io_err)?;
            s
        }
    }
    .map_err(io_err)?;
    println!(
        "{label}: {} … {}: {} persons ({} cards, {} contacts), {} events, {} corrective events on {} days, in {:.1} s",
        summary.from.map(|d| d.to_string()).unwrap_or_default(),
        summary.to.map(|d| d.to_string()).unwrap_or_default(),
        summary.persons,
        summary.cards,
        summary.contacts,
        summary.events,
        summary.corrective_events,
        summary.correction_days.len(),
        start.elapsed().as_secs_f64()
    );
    for s in &summary.shortfalls {
        eprintln!("shortfall: {s}");
    }
    Ok(if summary.shortfalls.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(code::CHECK)
    })
}

/// `cases export --public`.
fn export(db: &Path, a: &CasesExportArgs) -> Result<ExitCode, CliError> {
    let store = open(db)?;
    let loaded = load(store.as_ref(), None)?;
    let list = epiledger_register::public::public_line_list(&loaded.register, a.k);
    let (sink, label) = writer(a.out.as_ref())?;
    let io_err = |e| CliError::io(&label, e);
    let mut sink = sink;
    list.write_csv(&mut sink)
        .map_err(|e| io_err(io::Error::other(e)))?;
    sink.flush().map_err(io_err)?;
    eprintln!(
        "{} rows; {} cards suppressed (their week, age band, sex and province are shared by fewer than {})",
        list.rows.len(),
        list.suppressed,
        list.k
    );
    Ok(ExitCode::SUCCESS)
}
