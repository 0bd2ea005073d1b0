//! `show`, `series`, `export facts`, `versions`: reading the stored ledger.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use epiledger_core::{registry, Date, Fact, Measure, Origin, RegionId};
use epiledger_store::Store;
use serde_json::json;

use super::{resolve_region, within};
use crate::cli::{ExportWhat, SeriesArgs, SeriesFormat, ShowArgs, ShowFormat};
use crate::error::CliError;
use crate::output::pad;
use epiledger_formats::{write_facts, write_with_implied, Basis, FactsFormat, FactsWriter};
use epiledger_store::{FigureKey, Span};

/// A region's display name: `110000 北京 Beijing`.
fn label(region: &RegionId) -> String {
    match region {
        RegionId::Code(c) => match registry().get(*c) {
            Some(r) => format!("{c} {} {}", r.short_zh, r.display_en()),
            None => c.to_string(),
        },
        RegionId::Area { parent, name } => {
            let p = registry().name_zh_short(*parent).unwrap_or("");
            format!("{parent} {p}{name}")
        }
    }
}

/// `show DATE`.
pub fn show(store: &dyn Store, args: &ShowArgs) -> Result<ExitCode, CliError> {
    let Some(stored) = store.day(args.date, args.as_of)? else {
        let known = store.dates()?;
        let range = match (known.first(), known.last()) {
            (Some(a), Some(b)) => format!("the database holds {a} … {b}"),
            _ => "the database is empty".into(),
        };
        return Err(CliError::Input(format!(
            "no figures for {} ({range})",
            args.date
        )));
    };
    let filter = args.region.as_deref().map(resolve_region).transpose()?;
    let keep = |r: &RegionId| filter.as_ref().is_none_or(|f| within(f, r));
    let facts: Vec<&Fact> = stored
        .day
        .facts
        .iter()
        .filter(|f| keep(&f.region))
        .collect();
    let implied: Vec<Fact> = if args.implied {
        epiledger_analytics::implied_facts(&stored.day)
            .into_iter()
            .filter(|f| keep(&f.region))
            .collect()
    } else {
        Vec::new()
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match args.format {
        ShowFormat::Csv => {
            let mut w = if args.implied {
                FactsWriter::with_basis(&mut out, FactsFormat::Csv)?
            } else {
                FactsWriter::new(&mut out, FactsFormat::Csv)?
            };
            for f in facts {
                w.write(args.date, f)?;
            }
            for f in &implied {
                w.write_as(args.date, f, Basis::Implied)?;
            }
            w.finish()?;
        }
        ShowFormat::Json => {
            let mut doc = json!({
                "date": args.date,
                "version": stored.version,
                "source": stored.source,
                "recorded_at": stored.recorded_at.to_rfc3339(),
                "facts": facts,
                "corrections": stored.day.corrections.iter().filter(|c| keep(&c.region)).collect::<Vec<_>>(),
                "notes": stored.day.notes,
            });
            if args.implied {
                doc["implied"] = json!(implied);
            }
            serde_json::to_writer_pretty(&mut out, &doc).map_err(io::Error::from)?;
            writeln!(out)?;
        }
        ShowFormat::Table => {
            writeln!(
                out,
                "{}  version {} ({} {}, recorded {})",
                args.date,
                stored.version,
                stored.source.kind,
                stored.source.name,
                stored.recorded_at.format("%Y-%m-%d %H:%M:%S UTC")
            )?;
            let mut by_region: BTreeMap<&RegionId, BTreeMap<Measure, [Cell; 3]>> = BTreeMap::new();
            let all = facts
                .iter()
                .map(|f| (*f, false))
                .chain(implied.iter().map(|f| (f, true)));
            for (f, is_implied) in all {
                let i = Origin::ALL.iter().position(|o| *o == f.origin).unwrap_or(0);
                by_region
                    .entry(&f.region)
                    .or_default()
                    .entry(f.measure)
                    .or_default()[i] = Some((f.value, is_implied));
            }
            let cell = |v: Cell| match v {
                None => "—".to_string(),
                Some((v, false)) => v.to_string(),
                Some((v, true)) => format!("{v}*"),
            };
            for (region, rows) in by_region {
                writeln!(out, "\n{}", label(region))?;
                writeln!(
                    out,
                    "  {} {:>10} {:>10} {:>10}",
                    pad("measure", 34),
                    "all",
                    "imported",
                    "local"
                )?;
                for (m, v) in rows {
                    writeln!(
                        out,
                        "  {} {:>10} {:>10} {:>10}",
                        pad(m.name(), 34),
                        cell(v[0]),
                        cell(v[1]),
                        cell(v[2])
                    )?;
                }
            }
            if !implied.is_empty() {
                writeln!(
                    out,
                    "\n* implied: not listed by the bulletin, whose listed units add up to the \
                     national figure"
                )?;
            }
            let corrections: Vec<_> = stored
                .day
                .corrections
                .iter()
                .filter(|c| keep(&c.region))
                .collect();
            if !corrections.is_empty() {
                writeln!(out, "\ncorrections")?;
                for c in corrections {
                    let delta = c.delta.map(|d| format!(" {d:+}")).unwrap_or_default();
                    let restated = c
                        .restated
                        .map(|v| format!(" restated as {v}"))
                        .unwrap_or_default();
                    let refers = c
                        .refers_to
                        .map(|d| format!(" (of {d})"))
                        .unwrap_or_default();
                    let reason = c
                        .reason
                        .as_deref()
                        .map(|r| format!(" — {r}"))
                        .unwrap_or_default();
                    writeln!(
                        out,
                        "  {} {} {} {}{delta}{restated}{refers}{reason}",
                        label(&c.region),
                        c.origin,
                        c.measure,
                        c.kind.zh()
                    )?;
                }
            }
            if filter.is_none() && !stored.day.notes.is_empty() {
                writeln!(out, "\nnotes")?;
                for n in &stored.day.notes {
                    let values: Vec<String> = n
                        .values
                        .iter()
                        .map(|v| format!("{}={}", v.label, v.value))
                        .collect();
                    let text = n
                        .text
                        .as_deref()
                        .map(|t| format!(" 「{}」", t.chars().take(60).collect::<String>()))
                        .unwrap_or_default();
                    writeln!(out, "  {:?} {}{text}", n.kind, values.join(" "))?;
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `series --measure M`.
pub fn series(store: &dyn Store, args: &SeriesArgs) -> Result<ExitCode, CliError> {
    let region = resolve_region(&args.region)?;
    let points = store.series(
        &FigureKey::new(region.clone(), args.origin, args.measure),
        Span::new(args.from, args.to, args.as_of),
    )?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match args.format {
        SeriesFormat::Csv => {
            writeln!(out, "date,value")?;
            for (d, v) in &points {
                writeln!(out, "{d},{v}")?;
            }
        }
        SeriesFormat::Json => {
            let doc: Vec<_> = points
                .iter()
                .map(|(d, v)| json!({"date": d, "value": v}))
                .collect();
            serde_json::to_writer(&mut out, &doc).map_err(io::Error::from)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    if points.is_empty() {
        eprintln!(
            "no figures of {} for {region} ({}) in that range",
            args.measure, args.origin
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A cell of `show`'s table: the value, and whether it is an implied zero.
type Cell = Option<(i64, bool)>;

/// `export facts`: to standard output, or to a file (`--out`), whose errors name it.
pub fn export(store: &dyn Store, what: ExportWhat) -> Result<ExitCode, CliError> {
    let ExportWhat::Facts {
        format,
        from,
        to,
        out,
        implied,
    } = what;
    let span = Span::new(from, to, None);
    let (sink, label): (Box<dyn Write>, String) = match &out {
        Some(path) => {
            let label = path.display().to_string();
            let file = File::create(path).map_err(|e| CliError::io(&label, e))?;
            (Box::new(file), label)
        }
        None => (Box::new(io::stdout().lock()), "<stdout>".to_string()),
    };
    let sink = BufWriter::new(sink);
    let written = if implied {
        let days = store.days(span)?.into_iter().filter_map(|d| {
            let implied = epiledger_analytics::implied_facts(&d.day);
            Some((d.day.date?, d.day.facts, implied))
        });
        write_with_implied(sink, format, days)
    } else {
        write_facts(sink, &store.facts(span)?, format)
    };
    let mut w = written.map_err(|e| CliError::io(&label, e))?;
    w.flush().map_err(|e| CliError::io(&label, e))?;
    Ok(ExitCode::SUCCESS)
}

/// `versions DATE`.
pub fn versions(store: &dyn Store, date: Date) -> Result<ExitCode, CliError> {
    let versions = store.versions(date)?;
    if versions.is_empty() {
        return Err(CliError::Input(format!("no figures for {date}")));
    }
    for v in versions {
        println!(
            "{date} v{} {} {} {} {}",
            v.version,
            v.recorded_at.format("%Y-%m-%dT%H:%M:%SZ"),
            v.source.kind,
            v.source.name,
            v.summary
        );
    }
    Ok(ExitCode::SUCCESS)
}
