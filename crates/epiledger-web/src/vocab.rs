//! The vocabulary the pages need, generated from `epiledger-core` (so that the pages and the
//! ledger never disagree on a measure's label or a region's name): `vocab.json` (measures,
//! origins, the nation, the 32 reporting units, Hong Kong, Macao and Taiwan) and `regions.json`
//! (every region of the registry, for the breakdowns of the reporter's form).

use epiledger_core::{registry, Level, Measure, MeasureKind, Origin, Region, RegionCode};
use serde_json::{json, Value};

fn kind(k: MeasureKind) -> &'static str {
    match k {
        MeasureKind::Flow => "flow",
        MeasureKind::Stock => "stock",
        MeasureKind::Cumulative => "cumulative",
        MeasureKind::Change => "change",
        MeasureKind::Coverage => "coverage",
    }
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Nation => "nation",
        Level::Province => "province",
        Level::Prefecture => "prefecture",
        Level::County => "county",
        Level::Notifying => "notifying",
    }
}

fn region(r: &Region) -> Value {
    json!({
        "code": r.code.to_string(),
        "zh": r.name_zh,
        "short": r.short_zh,
        "en": r.display_en(),
        "iso": r.iso,
        // The resident population at the 2020 census, for rates per 100,000 (none for the
        // XPCC, which the census counts inside Xinjiang, nor for Hong Kong, Macao and Taiwan).
        "population": epiledger_analytics::population(r.code).ok(),
    })
}

/// `vocab.json`.
pub fn vocab() -> Vec<u8> {
    let reg = registry();
    let measures: Vec<Value> = Measure::ALL
        .iter()
        .map(|m| {
            json!({
                "name": m.name(), "kind": kind(m.kind()), "zh": m.zh(), "en": m.en(),
                "signed": m.is_signed(),
            })
        })
        .collect();
    let origins: Vec<Value> = Origin::ALL
        .iter()
        .map(|o| json!({ "name": o.name(), "zh": o.zh(), "en": o.name() }))
        .collect();
    let units: Vec<Value> = reg
        .reporting_units()
        .iter()
        .filter_map(|&c| reg.get(c))
        .map(region)
        .collect();
    let notifying: Vec<Value> = reg
        .notifying()
        .iter()
        .filter_map(|&c| reg.get(c))
        .map(region)
        .collect();
    let nation = reg.get(RegionCode::NATION).map(region);
    serde_json::to_vec(&json!({
        "measures": measures,
        "origins": origins,
        "nation": nation,
        "units": units,
        "notifying": notifying,
    }))
    .unwrap_or_else(|_| b"{}".to_vec())
}

/// `regions.json`: `[code, parent, level, zh, en]` rows, in code order.
pub fn regions() -> Vec<u8> {
    let rows: Vec<Value> = registry()
        .regions()
        .iter()
        .map(|r| {
            json!([
                r.code.to_string(),
                r.parent.map(|p| p.to_string()),
                level(r.level),
                r.name_zh,
                r.name_en,
            ])
        })
        .collect();
    serde_json::to_vec(&rows).unwrap_or_else(|_| b"[]".to_vec())
}
