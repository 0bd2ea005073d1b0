//! `measures` and `region`: the vocabulary.

use std::process::ExitCode;

use epiledger_core::{registry, Measure};

use super::resolve_region;
use crate::error::CliError;
use crate::output::pad;

/// Lists the measures.
pub fn measures() -> Result<ExitCode, CliError> {
    for m in Measure::ALL {
        println!(
            "{} {} {} {}",
            pad(m.name(), 34),
            pad(&format!("{:?}", m.kind()).to_lowercase(), 11),
            pad(m.zh(), 34),
            m.en()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Looks up a region.
pub fn region(name: &str) -> Result<ExitCode, CliError> {
    let id = resolve_region(name)?;
    let reg = registry();
    match reg.get(id.code()) {
        Some(r) => {
            println!("code      {}", r.code);
            println!("level     {:?}", r.level);
            println!("name      {} ({})", r.name_zh, r.short_zh);
            println!("english   {}", r.display_en());
            if let Some(iso) = r.iso {
                println!("iso       {iso}");
            }
            if let Some(p) = r.parent.and_then(|p| reg.get(p)) {
                println!("parent    {} {}", p.code, p.name_zh);
            }
        }
        None => println!("{id}"),
    }
    Ok(ExitCode::SUCCESS)
}
