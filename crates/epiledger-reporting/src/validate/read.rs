//! Reading the fields of a report, the same for JSON and CSV: each reader records a problem
//! where the text is wrong and gives nothing.

use epiledger_core::ledger::hierarchy;
use epiledger_core::measure::edit_distance;
use epiledger_core::{registry, Count, Date, Measure, MeasureKind, Origin, RegionCode, RegionId};
use serde_json::{Map, Value};

use super::Parsed;
use crate::problem::Loc;

/// Escapes a JSON pointer segment.
pub(super) fn seg(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

pub(super) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(super) fn nearest<'a>(input: &str, names: &[&'a str]) -> Option<&'a str> {
    names
        .iter()
        .map(|n| (edit_distance(input, n), *n))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, n)| n)
}

/// The measures a unit may report (coverage counts are the compilers').
pub(super) fn reportable(m: Measure) -> bool {
    m.kind() != MeasureKind::Coverage
}

pub(super) const FIELDS: &[&str] = &[
    "date",
    "unit",
    "figures",
    "corrections",
    "reason",
    "acknowledge",
];
pub(super) const FIGURE_FIELDS: &[&str] = &["measure", "origin", "value", "breakdown"];
pub(super) const PART_FIELDS: &[&str] = &["region", "value"];
pub(super) const CORRECTION_FIELDS: &[&str] = &[
    "measure",
    "origin",
    "kind",
    "delta",
    "restated",
    "refers_to",
    "reason",
];

pub(super) fn unknown_fields(p: &mut Parsed, obj: &Map<String, Value>, base: &str, known: &[&str]) {
    for k in obj.keys() {
        if !known.contains(&k.as_str()) {
            let hint = nearest(k, known)
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            p.problem(
                "unknown_field",
                Loc::pointer(format!("{base}/{}", seg(k))),
                format!("unknown field `{k}`{hint}"),
                format!("only the fields {}", known.join(", ")),
            );
        }
    }
}

/// A whole number from a JSON value, or the problem with it (code, message, expected).
pub(super) fn integer(v: &Value) -> Result<i64, (&'static str, String, String)> {
    match v {
        Value::Number(n) => match n.as_i64() {
            Some(i) => Ok(i),
            None if n.is_f64() => Err((
                "not_whole",
                format!("{n} is not a whole number"),
                "a whole number of people, such as 3".into(),
            )),
            None => Err((
                "too_large",
                format!("{n} is too large"),
                format!("a whole number up to {}", i64::MAX),
            )),
        },
        Value::String(s) if s.trim().parse::<i64>().is_ok() => Err((
            "quoted_number",
            format!("\"{s}\" is a string, not a number"),
            format!("the number without quotes: {}", s.trim()),
        )),
        other => Err((
            "not_a_number",
            format!("{} is not a number", type_name(other)),
            "a whole number, such as 3".into(),
        )),
    }
}

/// A count of a measure: whole, and not negative unless the measure is a change.
pub(super) fn count(
    p: &mut Parsed,
    loc: Loc,
    v: &Value,
    measure: Option<Measure>,
) -> Option<Count> {
    match integer(v) {
        Ok(n) if n < 0 && !measure.is_some_and(Measure::is_signed) => {
            p.problem(
                "negative",
                loc,
                format!("{n} is negative; counts are zero or more"),
                "0 or more (a reduction of an earlier figure is a correction: `corrections`, \
                 kind `reduce`)"
                    .to_string(),
            );
            None
        }
        Ok(n) => Some(n),
        Err((code, msg, expected)) => {
            p.problem(code, loc, msg, expected);
            None
        }
    }
}

/// The day, not after `today`.
pub(super) fn read_date(p: &mut Parsed, loc: Loc, text: &str, today: Date) -> Option<Date> {
    match text.parse::<Date>() {
        Ok(d) if d > today => {
            p.problem(
                "future_date",
                loc,
                format!("{d} is in the future (today is {today} in Beijing time)"),
                format!("a day up to {today}"),
            );
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            p.problem(
                "invalid_date",
                loc,
                e.to_string(),
                "YYYY-MM-DD, such as 2023-01-05".to_string(),
            );
            None
        }
    }
}

/// A reporting unit (or the nation, for the compilers' national figures).
pub(super) fn read_unit(p: &mut Parsed, loc: Loc, text: &str) -> Option<RegionCode> {
    let expected = "the six-digit code of one of the 32 reporting units (31 provinces and the \
                    XPCC, 660000), such as 110000 for Beijing";
    match text.parse::<RegionCode>() {
        Ok(c) if hierarchy::is_reporting_unit(c) || c == RegionCode::NATION => Some(c),
        Ok(c) => {
            let what = registry().get(c).map_or_else(
                || "no known region".to_string(),
                |r| format!("{} ({})", r.name_zh, r.display_en()),
            );
            let hint = if c.is_province_level() {
                String::new()
            } else {
                format!("; it lies in {}", c.province())
            };
            p.problem(
                "not_a_reporting_unit",
                loc,
                format!("{c} is not a reporting unit: it is {what}{hint}"),
                expected.to_string(),
            );
            None
        }
        Err(_) => {
            let hint = match registry().resolve(text) {
                Ok(c) if hierarchy::is_reporting_unit(c) => {
                    format!("; the code of {text} is {c}")
                }
                _ => String::new(),
            };
            p.problem(
                "invalid_unit",
                loc,
                format!("`{text}` is not a region code{hint}"),
                expected.to_string(),
            );
            None
        }
    }
}

pub(super) fn read_measure(p: &mut Parsed, loc: Loc, text: &str) -> Option<Measure> {
    match text.parse::<Measure>() {
        Ok(m) if !reportable(m) => {
            p.problem(
                "not_reported_by_units",
                loc,
                format!(
                    "{m} counts reporting regions; the compilers count it, units do not report it"
                ),
                "a flow, stock or cumulative measure, such as confirmed_new".to_string(),
            );
            None
        }
        Ok(m) => Some(m),
        Err(e) => {
            p.problem(
                "unknown_measure",
                loc,
                format!("unknown measure `{}`", e.input),
                format!(
                    "a measure name, such as {} (GET /api/v1/openapi.json lists them all)",
                    e.suggestions.join(", ")
                ),
            );
            None
        }
    }
}

pub(super) fn read_origin(p: &mut Parsed, loc: Loc, text: &str) -> Option<Origin> {
    match text.parse::<Origin>() {
        Ok(o) => Some(o),
        Err(_) => {
            p.problem(
                "unknown_origin",
                loc,
                format!("unknown origin `{text}`"),
                "all, imported or local".to_string(),
            );
            None
        }
    }
}

pub(super) fn read_region(p: &mut Parsed, loc: Loc, text: &str) -> Option<RegionId> {
    match text.parse::<RegionId>() {
        Ok(r) if registry().get(r.code()).is_some() => Some(r),
        Ok(r) => {
            p.problem(
                "unknown_region",
                loc,
                format!("{} is no known region code", r.code()),
                "a GB/T 2260 code of a prefecture or district of the unit, such as 110105"
                    .to_string(),
            );
            None
        }
        Err(_) => {
            let hint = registry()
                .resolve(text)
                .map(|c| format!("; the code of {text} is {c}"))
                .unwrap_or_default();
            p.problem(
                "invalid_region",
                loc,
                format!("`{text}` is not a region code{hint}"),
                "a six-digit code such as 110105, or `code:name` for an area without a code"
                    .to_string(),
            );
            None
        }
    }
}
