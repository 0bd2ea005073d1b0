//! `import nhc` and `parse`: reading bulletins.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::Utc;
use epiledger_bulletin::{LangChoice, Parsed};
use epiledger_core::Date;
use epiledger_store::{PutOutcome, Source, SourceKind, Store};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{ParseArgs, ParseFormat};
use crate::error::{code, CliError};
use epiledger_formats::{FactsFormat, FactsWriter};

/// One file read and parsed.
struct Read {
    path: PathBuf,
    result: Result<Parsed, String>,
}

/// Lists the bulletin files named by `paths` (directories are read for `*.txt`), sorted.
fn files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CliError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries =
                std::fs::read_dir(p).map_err(|e| CliError::io(p.display().to_string(), e))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "txt"))
                .collect();
            found.sort();
            out.extend(found);
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(CliError::Input(format!(
                "{}: no such file or directory",
                p.display()
            )));
        }
    }
    Ok(out)
}

/// The reporting day a file's name gives (`2020-06-19.txt`).
fn date_of(path: &Path) -> Option<Date> {
    path.file_stem()?.to_str()?.get(..10)?.parse().ok()
}

/// Reads and parses one file.
fn read_one(path: &Path, date: Option<Date>, lang: LangChoice) -> Read {
    let result = match std::fs::read(path) {
        Err(e) => Err(e.to_string()),
        Ok(bytes) => match String::from_utf8(bytes) {
            Err(e) => Err(format!(
                "not UTF-8 text (byte {}): convert the file to UTF-8",
                e.utf8_error().valid_up_to()
            )),
            Ok(text) => epiledger_bulletin::parse_as(&text, date.or_else(|| date_of(path)), lang)
                .map_err(|e| e.to_string()),
        },
    };
    Read {
        path: path.to_path_buf(),
        result,
    }
}

/// Lists the files and checks that `--date` names at most one.
fn listed(paths: &[PathBuf], date: Option<Date>) -> Result<Vec<PathBuf>, CliError> {
    let files = files(paths)?;
    if date.is_some() && files.len() > 1 {
        return Err(CliError::Input(
            "--date applies to a single file; name the files YYYY-MM-DD.txt instead".into(),
        ));
    }
    Ok(files)
}

/// Reads and parses the files on every core and hands them to `consume` in the files' order as
/// soon as each is ready (so that storing can start while the rest is parsed), with a progress
/// bar on a terminal.
fn read_stream<R>(
    files: &[PathBuf],
    date: Option<Date>,
    lang: LangChoice,
    consume: impl FnOnce(&mut dyn Iterator<Item = Read>) -> R,
) -> R {
    let bar = ProgressBar::new(files.len() as u64).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} bulletins {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // Worker k parses files k, k + n, k + 2n, … in order and sends each down its own bounded
    // channel; the consumer takes file i from channel i mod n, so the order is the files'.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, files.len().max(1));
    let out = std::thread::scope(|scope| {
        let mut receivers = Vec::with_capacity(threads);
        for k in 0..threads {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Read>(32);
            receivers.push(rx);
            scope.spawn(move || {
                for path in files.iter().skip(k).step_by(threads) {
                    // The consumer stopped (the store failed): nothing more to do.
                    if tx.send(read_one(path, date, lang)).is_err() {
                        break;
                    }
                }
            });
        }
        let bar = &bar;
        let mut reads = (0..files.len()).map_while(move |i| {
            let read = receivers[i % threads].recv().ok()?;
            bar.inc(1);
            Some(read)
        });
        consume(&mut reads)
    });
    bar.finish_and_clear();
    out
}

/// Reads and parses every file.
fn read_all(
    paths: &[PathBuf],
    date: Option<Date>,
    lang: LangChoice,
) -> Result<Vec<Read>, CliError> {
    let files = listed(paths, date)?;
    Ok(read_stream(&files, date, lang, |reads| reads.collect()))
}

/// What the reads said: files that did not parse, numbers that could not be placed.
#[derive(Default)]
struct Tally {
    errors: usize,
    unplaced: usize,
}

impl Tally {
    /// Reports a read's error or unplaced numbers on standard error, and counts them.
    fn add(&mut self, r: &Read) {
        match &r.result {
            Err(e) => {
                self.errors += 1;
                eprintln!(
                    "error: {}: {e}; nothing of this day was stored",
                    r.path.display()
                );
            }
            Ok(p) => {
                for u in &p.unplaced {
                    self.unplaced += 1;
                    eprintln!(
                        "unplaced: {}:{}:{}: {} in 「{}」",
                        r.path.display(),
                        u.line,
                        u.column,
                        u.number,
                        u.sentence
                    );
                }
            }
        }
    }
}

/// Reports errors and unplaced numbers on standard error; returns (errors, unplaced).
fn report(reads: &[Read]) -> (usize, usize) {
    let mut tally = Tally::default();
    for r in reads {
        tally.add(r);
    }
    (tally.errors, tally.unplaced)
}

fn exit(errors: usize, unplaced: usize) -> ExitCode {
    ExitCode::from(if errors > 0 {
        code::INPUT
    } else if unplaced > 0 {
        code::CHECK
    } else {
        code::OK
    })
}

/// `import nhc PATH…`: parses the bulletins and stores every day that parsed whole, in one
/// transaction. A day with numbers that could not be placed is not stored unless
/// `allow_unplaced`.
pub fn nhc(
    store: &mut dyn Store,
    paths: &[PathBuf],
    date: Option<Date>,
    lang: LangChoice,
    allow_unplaced: bool,
) -> Result<ExitCode, CliError> {
    let files = listed(paths, date)?;
    let mut tally = Tally::default();
    // The days are stored as they are parsed, in one transaction: all or nothing.
    let outcomes = read_stream(&files, date, lang, |reads| {
        let mut days = reads.filter_map(|r| {
            tally.add(&r);
            let p = r.result.ok()?;
            if !p.unplaced.is_empty() && !allow_unplaced {
                eprintln!(
                    "skipped: {}: {} numbers could not be placed; the day was not stored \
                     (--allow-unplaced stores it anyway)",
                    r.path.display(),
                    p.unplaced.len()
                );
                return None;
            }
            let source = Source::new(
                SourceKind::Bulletin,
                r.path.display().to_string(),
                p.source_hash,
            );
            Some((p.day, source))
        });
        store.put_days_from(&mut days, Utc::now())
    })?;
    let Tally { errors, unplaced } = tally;
    let (mut inserted, mut revised, mut unchanged) = (0, 0, 0);
    for o in &outcomes {
        match o {
            PutOutcome::Inserted { .. } => inserted += 1,
            PutOutcome::Unchanged { .. } => unchanged += 1,
            PutOutcome::Revised {
                date,
                version,
                diff,
            } => {
                revised += 1;
                eprintln!(
                    "revised: {date} is now version {version}: {}",
                    diff.summary()
                );
                for line in diff.to_string().lines() {
                    eprintln!("  {line}");
                }
            }
        }
    }
    println!(
        "{} days: {inserted} new, {revised} revised, {unchanged} unchanged; {unplaced} unplaced numbers; {errors} errors",
        outcomes.len()
    );
    Ok(exit(errors, unplaced))
}

/// `parse FILE…`: prints the facts, storing nothing.
pub fn parse(args: &ParseArgs) -> Result<ExitCode, CliError> {
    let reads = read_all(&args.paths, args.date, args.lang)?;
    let (errors, unplaced) = report(&reads);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let parsed: Vec<&Parsed> = reads
        .iter()
        .filter_map(|r| r.result.as_ref().ok())
        .collect();
    match args.format {
        ParseFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &parsed).map_err(io::Error::from)?;
            writeln!(out)?;
        }
        ParseFormat::Csv | ParseFormat::Jsonl => {
            let format = match args.format {
                ParseFormat::Csv => FactsFormat::Csv,
                _ => FactsFormat::Jsonl,
            };
            let mut w = FactsWriter::new(&mut out, format)?;
            for p in &parsed {
                let Some(date) = p.day.date else { continue };
                for f in &p.day.facts {
                    w.write(date, f)?;
                }
            }
            w.finish()?;
        }
    }
    out.flush()?;
    Ok(exit(errors, unplaced))
}
