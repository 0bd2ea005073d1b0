//! `analytics rt|growth|rates`: the estimates of `epiledger-analytics` over the stored ledger
//! as known at `--as-of`, or (Rt) over an incidence file.

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use epiledger_analytics::query::{self, Ask, AskError};
use epiledger_analytics::{Counting, ImpliedZeros, Incidence, Part, RtConfig};
use epiledger_core::Ledger;
use epiledger_store::{Span, Store};
use serde::Serialize;

use crate::cli::{AnalyticsCommand, AskArgs, CountingArg, PartArg, SeriesFormat};
use crate::db;
use crate::error::{code, CliError};

/// Runs an `analytics` subcommand.
pub fn run(db: &Path, command: &AnalyticsCommand) -> Result<ExitCode, CliError> {
    match command {
        AnalyticsCommand::Rt(a) => {
            let config = RtConfig::new(a.si_mean, a.si_sd, a.window).map_err(input)?;
            let series = match &a.incidence {
                Some(file) => {
                    let name = file.display().to_string();
                    let text = std::fs::read_to_string(file).map_err(|e| CliError::io(&name, e))?;
                    let incidence = Incidence::parse_csv(&text)
                        .and_then(|i| i.between(a.ask.from, a.ask.to))
                        .map_err(|e| CliError::Input(format!("{name}: {e}")))?;
                    epiledger_analytics::estimate_rt(&incidence, &config).map_err(input)?
                }
                None => {
                    let (ledger, zeros, ask) = load(db, &a.ask)?;
                    query::rt(&ledger, &zeros, &ask, &config).map_err(input)?
                }
            };
            if series.estimates().next().is_none() {
                eprintln!(
                    "no window has an estimate in that range (see the reasons with --format json)"
                );
            }
            emit(a.ask.format, &series, || query::rt_csv(&series))
        }
        AnalyticsCommand::Growth(a) => {
            let (ledger, zeros, ask) = load(db, &a.ask)?;
            let entries =
                query::growth(&ledger, &zeros, &ask, part(a.origin), a.window).map_err(input)?;
            emit(a.ask.format, &entries, || query::growth_csv(&entries))
        }
        AnalyticsCommand::Rates(a) => {
            let (ledger, zeros, ask) = load(db, &a.ask)?;
            let (population, rows) =
                query::rates(&ledger, &zeros, &ask, part(a.origin)).map_err(input)?;
            if population.is_none() {
                eprintln!(
                    "note: {} has no population of its own in the 2020 census: no rate per 100,000",
                    ask.region
                );
            }
            emit(a.ask.format, &rows, || query::rates_csv(&rows))
        }
    }
}

fn input(e: impl Into<AskError>) -> CliError {
    CliError::Input(e.into().to_string())
}

fn part(p: PartArg) -> Part {
    match p {
        PartArg::All => Part::Total,
        PartArg::Local => Part::Local,
        PartArg::Imported => Part::Imported,
    }
}

/// The ledger as known at `--as-of`, its implied zeros, and the question.
fn load(db: &Path, a: &AskArgs) -> Result<(Ledger, ImpliedZeros, Ask), CliError> {
    let region = super::resolve_region(&a.region)?.code();
    let ask = Ask {
        region: query::estimable(region).map_err(input)?,
        counting: match a.counting {
            CountingArg::Confirmed => Counting::Confirmed,
            CountingArg::ConfirmedAndAsymptomatic => Counting::ConfirmedAndAsymptomatic,
        },
        from: a.from,
        to: a.to,
        implied: !a.stated_only,
    };
    let store = db::open(db, true)?;
    let days = store.days(Span::new(None, None, a.as_of))?;
    if days.is_empty() {
        return Err(CliError::Input(match a.as_of {
            Some(t) => format!("nothing was known as of {t}: give a later --as-of"),
            None => "the database holds no day".into(),
        }));
    }
    let ledger = Ledger::from_days(days.into_iter().map(|d| d.day));
    let zeros = ImpliedZeros::of_ledger(&ledger);
    Ok((ledger, zeros, ask))
}

/// Writes the result as CSV or as pretty JSON.
fn emit<T: Serialize + ?Sized>(
    format: SeriesFormat,
    value: &T,
    csv: impl FnOnce() -> String,
) -> Result<ExitCode, CliError> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match format {
        SeriesFormat::Csv => out.write_all(csv().as_bytes())?,
        SeriesFormat::Json => {
            serde_json::to_writer_pretty(&mut out, value).map_err(io::Error::from)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::from(code::OK))
}
