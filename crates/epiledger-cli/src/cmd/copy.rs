//! `copy --from A --to B`: moves a whole history between backends (SQLite ↔ PostgreSQL), every
//! version of every day with its source and recorded time, in order; then checks the copy.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use epiledger_core::Date;
use epiledger_store::content::sha256_hex;
use epiledger_store::copy::{
    compare_facts, compare_versions, copy_history, CopyError, CopyOptions,
};
use epiledger_store::Store;
use indicatif::{ProgressBar, ProgressStyle};

use epiledger_formats::FactsFormat;

use crate::cli::CopyArgs;
use crate::db::{Backend, Location};
use crate::error::{code, CliError};
use epiledger_store::Span;

/// The newest facts' CSV export of a store (what `export facts` writes), its hash and size.
fn export_hash(store: &dyn Store) -> Result<(String, usize), CliError> {
    let facts = store.facts(Span::all())?;
    let csv = epiledger_formats::facts_bytes(&facts, FactsFormat::Csv);
    Ok((sha256_hex(&csv), facts.len()))
}

/// `copy`.
pub fn run(args: &CopyArgs) -> Result<ExitCode, CliError> {
    let from = Location::parse(Path::new(&args.from));
    let to = Location::parse(Path::new(&args.to));
    if from == to {
        return Err(CliError::Input(format!(
            "--from and --to are the same database ({from}); name two different ones"
        )));
    }
    if let Location::Sqlite(path) = &from {
        if !path.exists() {
            return Err(CliError::Input(format!(
                "{}: no such file; --from names an existing ledger (sqlite:PATH or \
                 postgres://…)",
                path.display()
            )));
        }
    }
    let source = Backend::open(&from)?;
    let mut target = Backend::open(&to)?;

    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} versions {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = Instant::now();
    let options = CopyOptions {
        append: args.append,
    };
    let result = copy_history(
        source.exact(),
        target.store_mut(),
        &to.to_string(),
        options,
        &mut |done, all| {
            bar.set_length(all as u64);
            bar.set_position(done as u64);
        },
    );
    bar.finish_and_clear();
    let copied = match result {
        Ok(c) => c,
        Err(CopyError::Source(e) | CopyError::Target(e)) => return Err(e.into()),
        Err(e @ CopyError::TargetNotEmpty { .. }) => return Err(CliError::Input(e.to_string())),
        Err(e) => {
            eprintln!("error: {e}\n(the batches before it were stored; what was copied is kept)");
            return Ok(ExitCode::from(code::FAILURE));
        }
    };
    #[cfg(feature = "postgres")]
    if let Backend::Postgres(pg) = &target {
        // The planner learns the new tables' sizes now rather than at autovacuum's next round.
        pg.vacuum_analyze()?;
    }
    println!(
        "copied {} days, {} versions from {from} to {to}: {} stored, {} already there, \
         in {} transaction(s), {:.1} s",
        copied.dates,
        copied.versions,
        copied.stored,
        copied.unchanged,
        copied.batches,
        started.elapsed().as_secs_f64()
    );

    // The check: the newest facts' export of both sides, and (into an empty target) every
    // version's number, source, time, content and summary.
    let (a, b) = (source.store(), target.store());
    let mut ok = true;
    let mut out = std::io::stdout().lock();
    if args.append {
        let dates: BTreeSet<Date> = a.dates()?.into_iter().collect();
        let cmp = compare_facts(a, b, Some(&dates))?;
        if cmp.is_same() {
            writeln!(
                out,
                "check: on the source's {} days, the newest facts are the same on both sides \
                 ({} facts)",
                dates.len(),
                cmp.source
            )?;
        } else {
            ok = false;
            writeln!(
                out,
                "check FAILED: on the source's days, {} figures differ (the target holds later \
                 versions of its own?); first: {}",
                cmp.differences,
                cmp.first.unwrap_or_default()
            )?;
        }
    } else {
        let (hash_a, n_a) = export_hash(a)?;
        let (hash_b, n_b) = export_hash(b)?;
        if hash_a == hash_b {
            writeln!(
                out,
                "check: the newest facts' export is the same on both sides ({n_a} facts, \
                 sha256 {hash_a})"
            )?;
        } else {
            ok = false;
            let first = compare_facts(a, b, None)?.first.unwrap_or_default();
            writeln!(
                out,
                "check FAILED: the exports differ ({n_a} facts in the source, {n_b} in the \
                 target); first difference: {first}"
            )?;
        }
        match compare_versions(a, b)? {
            None => writeln!(
                out,
                "check: every version (date, number, source, recorded_at, content) is the same \
                 on both sides"
            )?,
            Some(difference) => {
                ok = false;
                writeln!(out, "check FAILED: the versions differ: {difference}")?;
            }
        }
    }
    Ok(ExitCode::from(if ok { code::OK } else { code::CHECK }))
}
