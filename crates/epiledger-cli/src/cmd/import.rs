//! `import nhc` and `parse`: reading bulletins.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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

/// Reads and parses every file, with a progress bar on a terminal.
fn read_all(
    paths: &[PathBuf],
    date: Option<Date>,
    lang: LangChoice,
) -> Result<Vec<Read>, CliError> {
    let files = files(paths)?;
    if date.is_some() && files.len() > 1 {
        return Err(CliError::Input(
            "--date applies to a single file; name the files YYYY-MM-DD.txt instead".into(),
        ));
    }
    let bar = ProgressBar::new(files.len() as u64).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} bulletins {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // The files are parsed on every core, each thread a contiguous share, in order.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let share = files.len().div_ceil(threads.max(1)).max(1);
    let out: Vec<Read> = std::thread::scope(|scope| {
        let workers: Vec<_> = files
            .chunks(share)
            .map(|chunk| {
                let bar = &bar;
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|path| {
                            let r = read_one(path, date, lang);
                            bar.inc(1);
                            r
                        })
                        .collect::<Vec<Read>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    bar.finish_and_clear();
    Ok(out)
}

/// Reports errors and unplaced numbers on standard error; returns (errors, unplaced).
fn report(reads: &[Read]) -> (usize, usize) {
    let (mut errors, mut unplaced) = (0, 0);
    for r in reads {
        match &r.result {
            Err(e) => {
                errors += 1;
                eprintln!(
                    "error: {}: {e}; nothing of this day was stored",
                    r.path.display()
                );
            }
            Ok(p) => {
                for u in &p.unplaced {
                    unplaced += 1;
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
    (errors, unplaced)
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
    let reads = read_all(paths, date, lang)?;
    let (errors, unplaced) = report(&reads);
    let batch: Vec<_> = reads
        .iter()
        .filter_map(|r| {
            let p = r.result.as_ref().ok()?;
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
                p.source_hash.clone(),
            );
            Some((p.day.clone(), source))
        })
        .collect();
    let outcomes = store.put_days(&batch)?;
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
