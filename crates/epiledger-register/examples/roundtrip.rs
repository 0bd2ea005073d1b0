//! Development loop: simulates into a register in memory and compares, without a file.
use epiledger_register::simulate::{compare, simulate, SimOptions};
use epiledger_register::Register;

mod common;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut opts = SimOptions::default();
    if let Some(f) = args.first() {
        opts.from = Some(f.parse().unwrap());
    }
    if let Some(t) = args.get(1) {
        opts.to = Some(t.parse().unwrap());
    }
    let history = common::shipped_days();
    let mut reg = Register::new();
    let mut errors = 0;
    let t = std::time::Instant::now();
    let s = simulate(&history, &opts, &mut |e| {
        if let Err(err) = reg.apply(e) {
            errors += 1;
            if errors < 20 {
                eprintln!("rejected {:?}: {err}", e);
            }
        }
        Ok(())
    })
    .unwrap();
    eprintln!(
        "{} events, {} corrective on {} days, {} rejected, {:.1}s",
        s.events,
        s.corrective_events,
        s.correction_days.len(),
        errors,
        t.elapsed().as_secs_f64()
    );
    for x in s.shortfalls.iter().take(40) {
        eprintln!("shortfall {x}");
    }
    eprintln!("{} shortfalls", s.shortfalls.len());
    let (diffs, n) = compare(&history, reg.derivation(), s.from.unwrap(), s.to.unwrap());
    for d in diffs.iter().take(60) {
        eprintln!("{d}");
    }
    eprintln!("{} of {} differ", diffs.len(), n);
}
