//! A report sent as CSV: the columns of `epiledger export facts`.

use std::collections::HashMap;

use epiledger_core::ledger::hierarchy;
use epiledger_core::{Count, Date, Measure, Origin, RegionCode, RegionId};
use serde_json::Value;

use super::read::*;
use super::{Draft, DraftFigure, DraftPart, Malformed, Parsed, MAX_ROWS};
use crate::problem::{Loc, Problem};

/// The columns of a report as CSV.
pub const CSV_COLUMNS: [&str; 5] = ["date", "region", "origin", "measure", "value"];

/// Reads a report sent as CSV (`date,region,origin,measure,value`).
pub fn parse_csv(bytes: &[u8], today: Date) -> Result<Parsed, Malformed> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut p = Parsed {
        draft: Draft {
            csv: true,
            reason_loc: Some(Loc::param("reason")),
            ..Draft::default()
        },
        ..Parsed::default()
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut records = reader.byte_records();
    let header = match records.next() {
        None => {
            p.problem(
                "empty_csv",
                Loc::cell(1, ""),
                "the CSV is empty",
                format!(
                    "a header line `{}` and a row per figure",
                    CSV_COLUMNS.join(",")
                ),
            );
            return Ok(p);
        }
        Some(Err(e)) => return Err(malformed_csv(&e)),
        Some(Ok(h)) => h,
    };
    let names: Vec<String> = header
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_ascii_lowercase())
        .collect();
    let mut col: HashMap<&str, usize> = HashMap::new();
    for (i, n) in names.iter().enumerate() {
        match CSV_COLUMNS.iter().find(|c| **c == n.as_str()) {
            Some(c) if col.contains_key(c) => p.problem(
                "duplicate_column",
                Loc::cell(1, n.clone()),
                format!("the column `{n}` is given twice"),
                format!("the columns {}, once each", CSV_COLUMNS.join(",")),
            ),
            Some(c) => {
                col.insert(c, i);
            }
            None => {
                let hint = nearest(n, &CSV_COLUMNS)
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                p.problem(
                    "unknown_column",
                    Loc::cell(1, n.clone()),
                    format!("unknown column `{n}`{hint}"),
                    format!("the columns {}", CSV_COLUMNS.join(",")),
                );
            }
        }
    }
    let missing: Vec<&str> = CSV_COLUMNS
        .iter()
        .copied()
        .filter(|c| !col.contains_key(c))
        .collect();
    if !missing.is_empty() {
        p.problem(
            "missing_columns",
            Loc::cell(1, ""),
            format!("the header lacks the column(s) {}", missing.join(", ")),
            format!("the header `{}`", CSV_COLUMNS.join(",")),
        );
        return Ok(p);
    }

    struct Row {
        line: u64,
        region: RegionId,
        origin: Option<Origin>,
        measure: Option<Measure>,
        value: Option<Count>,
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut dates: Vec<(u64, Date)> = Vec::new();
    for rec in records {
        let rec = rec.map_err(|e| malformed_csv(&e))?;
        let line = rec.position().map_or(0, |pos| pos.line());
        if rec.len() == 1
            && rec
                .get(0)
                .is_some_and(|f| f.iter().all(u8::is_ascii_whitespace))
        {
            continue; // a blank line
        }
        if rows.len() >= MAX_ROWS {
            p.problem(
                "too_many_rows",
                Loc::cell(line, ""),
                "too many rows",
                format!("at most {MAX_ROWS} rows"),
            );
            break;
        }
        if rec.len() != names.len() {
            p.problem(
                "wrong_field_count",
                Loc::cell(line, ""),
                format!(
                    "the row has {} fields, the header {}",
                    rec.len(),
                    names.len()
                ),
                format!("{} fields: {}", names.len(), CSV_COLUMNS.join(",")),
            );
            continue;
        }
        let mut field = |c: &str| -> Option<String> {
            let raw = rec.get(col[c]).unwrap_or_default();
            match std::str::from_utf8(raw) {
                Ok(s) => Some(s.trim().to_string()),
                Err(_) => {
                    p.problem(
                        "not_utf8",
                        Loc::cell(line, c),
                        "the field is not UTF-8 text",
                        "UTF-8 text".to_string(),
                    );
                    None
                }
            }
        };
        let (date, region, origin, measure, value) = (
            field("date"),
            field("region"),
            field("origin"),
            field("measure"),
            field("value"),
        );
        if let Some(d) = date.and_then(|d| read_date(&mut p, Loc::cell(line, "date"), &d, today)) {
            dates.push((line, d));
        }
        let measure = measure.and_then(|m| read_measure(&mut p, Loc::cell(line, "measure"), &m));
        let origin = origin.and_then(|o| {
            if o.is_empty() {
                Some(Origin::All)
            } else {
                read_origin(&mut p, Loc::cell(line, "origin"), &o)
            }
        });
        let value = value.and_then(|v| match v.parse::<i64>() {
            Ok(n) => count(&mut p, Loc::cell(line, "value"), &Value::from(n), measure),
            Err(_) => {
                let (code, msg) = if v.is_empty() {
                    (
                        "missing_value",
                        "the value is empty (a figure that is not known is left out)".to_string(),
                    )
                } else {
                    ("not_a_number", format!("`{v}` is not a whole number"))
                };
                p.problem(
                    code,
                    Loc::cell(line, "value"),
                    msg,
                    "a whole number, such as 3".to_string(),
                );
                None
            }
        });
        if let Some(region) =
            region.and_then(|r| read_region(&mut p, Loc::cell(line, "region"), &r))
        {
            rows.push(Row {
                line,
                region,
                origin,
                measure,
                value,
            });
        }
    }
    if rows.is_empty() && p.problems.is_empty() {
        p.problem(
            "no_figures",
            Loc::cell(2, ""),
            "the CSV has no rows: a report gives at least one figure",
            "a row per figure: date,region,origin,measure,value".to_string(),
        );
    }

    // One day per report.
    if let Some(&(_, first)) = dates.first() {
        p.draft.date = Some(first);
        for &(line, d) in &dates[1..] {
            if d != first {
                p.problem(
                    "mixed_dates",
                    Loc::cell(line, "date"),
                    format!(
                        "{d} differs from the report's day {first} (row {})",
                        dates[0].0
                    ),
                    format!("{first}: a report is of one day"),
                );
            }
        }
    }

    // The unit: the rows at provincial level, or the province of the first row.
    let unit_row = rows
        .iter()
        .find(|r| r.region.code().is_province_level() || r.region.is_nation())
        .or(rows.first());
    if let Some(r) = unit_row {
        let code = if r.region.is_nation() {
            RegionCode::NATION
        } else {
            r.region.province()
        };
        p.draft.unit = read_unit(&mut p, Loc::cell(r.line, "region"), &code.to_string());
    }
    let Some(unit) = p.draft.unit else {
        return Ok(p);
    };
    let unit_id = RegionId::Code(unit);

    // Figures first, then their parts.
    let mut index: HashMap<(Origin, Measure), usize> = HashMap::new();
    for r in rows.iter().filter(|r| r.region == unit_id) {
        if let (Some(origin), Some(measure), Some(value)) = (r.origin, r.measure, r.value) {
            if let Some(&i) = index.get(&(origin, measure)) {
                let first = &p.draft.figures[i].loc;
                p.problem(
                    "duplicate_figure",
                    Loc::cell(r.line, ""),
                    format!("{unit} {origin} {measure} is given twice (first at {first})"),
                    "each figure once".to_string(),
                );
                continue;
            }
            index.insert((origin, measure), p.draft.figures.len());
            p.draft.figures.push(DraftFigure {
                measure,
                origin,
                value,
                loc: Loc::cell(r.line, ""),
                measure_loc: Loc::cell(r.line, "measure"),
                value_loc: Loc::cell(r.line, "value"),
                breakdown: Vec::new(),
            });
        }
    }
    for r in rows.iter().filter(|r| r.region != unit_id) {
        let (Some(origin), Some(measure), Some(value)) = (r.origin, r.measure, r.value) else {
            continue;
        };
        if !hierarchy::contains(&unit_id, &r.region) {
            p.problem(
                "outside_unit",
                Loc::cell(r.line, "region"),
                format!("{} lies outside the report's unit {unit}", r.region),
                format!("{unit} or a region inside it: a report is of one unit"),
            );
            continue;
        }
        match index.get(&(origin, measure)) {
            Some(&i) => p.draft.figures[i].breakdown.push(DraftPart {
                region: r.region.clone(),
                value,
                region_loc: Loc::cell(r.line, "region"),
                value_loc: Loc::cell(r.line, "value"),
            }),
            None => p.problem(
                "part_without_figure",
                Loc::cell(r.line, "region"),
                format!(
                    "a part of {origin} {measure} in {}, but the report has no figure of \
                     {unit} {origin} {measure} itself",
                    r.region
                ),
                format!("a row `…,{unit},{origin},{measure},N` with the unit's own figure"),
            ),
        }
    }
    Ok(p)
}

fn malformed_csv(e: &csv::Error) -> Malformed {
    let line = e.position().map_or(0, |p| p.line());
    Malformed {
        code: "malformed_csv",
        message: format!("the body is not valid CSV: {e}; nothing was stored"),
        problem: Box::new(Problem::new(
            "malformed_csv",
            Loc::cell(line, ""),
            e.to_string(),
            Some(format!("CSV with the header {}", CSV_COLUMNS.join(","))),
        )),
    }
}
