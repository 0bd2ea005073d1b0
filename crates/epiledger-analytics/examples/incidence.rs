//! A region's daily incidence from the shipped history, as `date,local,imported` CSV: the input
//! of the Rt fixtures and of `scripts/rt-vs-epiestim.sh`.
//!
//! ```sh
//! cargo run --release -p epiledger-analytics --example incidence -- REGION [--asymptomatic] [--stated-only] [--from D] [--to D]
//! ```
//!
//! REGION is a six-digit code (100000 for the nation). The rules (origins by period, implied
//! zeros for provinces) are those of `epiledger_analytics::input`; `--stated-only` leaves out
//! implied zeros, `--asymptomatic` counts confirmed cases plus asymptomatic infections.

use std::process::ExitCode;

use epiledger_analytics::{incidence_from_ledger, Counting, ImpliedZeros};
use epiledger_core::{Date, Ledger, RegionCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(region) = args.first().and_then(|r| r.parse::<RegionCode>().ok()) else {
        eprintln!("usage: incidence REGION [--asymptomatic] [--stated-only] [--from D] [--to D]");
        return ExitCode::from(2);
    };
    let flag = |f: &str| args.iter().any(|a| a == f);
    let date = |f: &str| -> Option<Date> {
        let i = args.iter().position(|a| a == f)?;
        args.get(i + 1)?.parse().ok()
    };
    let counting = if flag("--asymptomatic") {
        Counting::ConfirmedAndAsymptomatic
    } else {
        Counting::Confirmed
    };
    let days = epiledger_history::load().expect("the shipped history");
    let ledger = Ledger::from_days(days.into_iter().map(|d| d.day));
    let zeros = ImpliedZeros::of_ledger(&ledger);
    let implied = (!flag("--stated-only")).then_some(&zeros);
    let inc = incidence_from_ledger(&ledger, implied, region, counting)
        .and_then(|i| i.between(date("--from"), date("--to")));
    match inc {
        Ok(i) => {
            print!("{}", i.to_csv());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(3)
        }
    }
}
