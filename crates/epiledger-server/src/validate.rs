//! Reading and checking a unit's report of a day, as a whole: every problem is listed at once,
//! each with where it is (a JSON pointer such as `/figures/3/value`, or a CSV row and column),
//! what is wrong and what would be right.
//!
//! The report as JSON:
//!
//! ```json
//! {"date": "2023-01-05", "unit": "110000",
//!  "figures": [{"measure": "confirmed_new", "origin": "local", "value": 5,
//!               "breakdown": [{"region": "110105", "value": 3}, {"region": "110108", "value": 2}]}],
//!  "corrections": [{"measure": "deaths_cumulative", "origin": "all", "kind": "reduce", "delta": -1,
//!                   "reason": "duplicate report"}],
//!  "reason": "only for a revision", "acknowledge": ["plausibility:local:confirmed_new"]}
//! ```
//!
//! As CSV, the columns of `epiledger export facts`: `date,region,origin,measure,value`; a row of
//! the unit itself is a figure, a row of a region inside it a part of the breakdown. The reason
//! and the acknowledgements then come as query parameters.
//!
//! Checks, in order: the form (fields, types, whole non-negative numbers, known measures and
//! origins, a reporting unit, a date not in the future); figures given once; breakdowns inside
//! the unit; the ledger's identities from `epiledger-core` (all = imported + local, parts sum to
//! no more than their region, Balance, and Accumulation and Stock against the unit's previous
//! day), a break explained by a correction of the report being no error; a revision needs a
//! reason. Plausibility against the unit's recent history gives warnings, which the reporter
//! acknowledges by their ids.

use std::collections::{BTreeMap, HashMap};

use epiledger_core::ledger::{audit_report, hierarchy, Identity};
use epiledger_core::measure::edit_distance;
use epiledger_core::{
    registry, Correction, CorrectionKind, Count, Date, Day, Fact, Ledger, Measure, MeasureKind,
    Origin, RegionCode, RegionId,
};
use epiledger_store::{Part, Report, ReportFigure, StoredReport};
use serde_json::{Map, Value};

use crate::error::{ApiError, Loc, Problem, Warning};

/// How many days of a unit's own history the plausibility checks look at.
pub const RECENT_DAYS: i64 = 14;

/// The most figures (with their parts) a report may have.
const MAX_ROWS: usize = 20_000;

/// A part of a figure as read, with where it was.
#[derive(Clone, Debug)]
pub struct DraftPart {
    /// The region.
    pub region: RegionId,
    /// Its value.
    pub value: Count,
    /// Where the region was written.
    pub region_loc: Loc,
    /// Where the value was written.
    pub value_loc: Loc,
}

/// A figure as read, with where it was.
#[derive(Clone, Debug)]
pub struct DraftFigure {
    /// The measure.
    pub measure: Measure,
    /// The origin.
    pub origin: Origin,
    /// The unit's value.
    pub value: Count,
    /// Where the figure is (its object, or its row).
    pub loc: Loc,
    /// Where the measure is.
    pub measure_loc: Loc,
    /// Where the value is.
    pub value_loc: Loc,
    /// Its parts.
    pub breakdown: Vec<DraftPart>,
}

/// A report as read, before the checks that need the store.
#[derive(Clone, Debug, Default)]
pub struct Draft {
    /// The day, if it could be read.
    pub date: Option<Date>,
    /// The unit, if it could be read.
    pub unit: Option<RegionCode>,
    /// The figures that could be read.
    pub figures: Vec<DraftFigure>,
    /// The corrections that could be read.
    pub corrections: Vec<(Correction, Loc)>,
    /// The reason of a revision.
    pub reason: Option<String>,
    /// Where the reason goes.
    pub reason_loc: Option<Loc>,
    /// The warning ids acknowledged.
    pub acknowledge: Vec<String>,
    /// Whether it came as CSV.
    pub csv: bool,
}

/// A draft and the problems found while reading it.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The draft.
    pub draft: Draft,
    /// The problems.
    pub problems: Vec<Problem>,
}

impl Parsed {
    fn problem(
        &mut self,
        code: &'static str,
        loc: Loc,
        message: impl Into<String>,
        expected: impl Into<Option<String>>,
    ) {
        self.problems
            .push(Problem::new(code, loc, message, expected.into()));
    }
}

/// Escapes a JSON pointer segment.
fn seg(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn nearest<'a>(input: &str, names: &[&'a str]) -> Option<&'a str> {
    names
        .iter()
        .map(|n| (edit_distance(input, n), *n))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, n)| n)
}

/// The measures a unit may report (coverage counts are the compilers').
fn reportable(m: Measure) -> bool {
    m.kind() != MeasureKind::Coverage
}

const FIELDS: &[&str] = &[
    "date",
    "unit",
    "figures",
    "corrections",
    "reason",
    "acknowledge",
];
const FIGURE_FIELDS: &[&str] = &["measure", "origin", "value", "breakdown"];
const PART_FIELDS: &[&str] = &["region", "value"];
const CORRECTION_FIELDS: &[&str] = &[
    "measure",
    "origin",
    "kind",
    "delta",
    "restated",
    "refers_to",
    "reason",
];

fn unknown_fields(p: &mut Parsed, obj: &Map<String, Value>, base: &str, known: &[&str]) {
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
fn integer(v: &Value) -> Result<i64, (&'static str, String, String)> {
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
fn count(p: &mut Parsed, loc: Loc, v: &Value, measure: Option<Measure>) -> Option<Count> {
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
fn read_date(p: &mut Parsed, loc: Loc, text: &str, today: Date) -> Option<Date> {
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
fn read_unit(p: &mut Parsed, loc: Loc, text: &str) -> Option<RegionCode> {
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

fn read_measure(p: &mut Parsed, loc: Loc, text: &str) -> Option<Measure> {
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

fn read_origin(p: &mut Parsed, loc: Loc, text: &str) -> Option<Origin> {
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

fn read_region(p: &mut Parsed, loc: Loc, text: &str) -> Option<RegionId> {
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

/// Reads a report sent as JSON. A body that is not JSON at all is a 400; everything else is
/// collected in the problems.
pub fn parse_json(bytes: &[u8], today: Date) -> Result<Parsed, ApiError> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| {
        let mut err = ApiError::bad_request(
            "malformed_json",
            format!("the body is not valid JSON: {e}; nothing was stored"),
        );
        err.problems.push(Problem::new(
            "malformed_json",
            Loc::pointer(""),
            format!("{e}"),
            Some("a JSON object: {\"date\": …, \"unit\": …, \"figures\": […]}".into()),
        ));
        err
    })?;
    let mut p = Parsed::default();
    let Value::Object(obj) = &v else {
        p.problem(
            "not_an_object",
            Loc::pointer(""),
            format!("the report is {}, not an object", type_name(&v)),
            "a JSON object: {\"date\": …, \"unit\": …, \"figures\": […]}".to_string(),
        );
        return Ok(p);
    };
    unknown_fields(&mut p, obj, "", FIELDS);

    let text = |p: &mut Parsed, key: &str, expected: &str| -> Option<String> {
        match obj.get(key) {
            None | Some(Value::Null) => {
                p.problem(
                    "missing_field",
                    Loc::pointer(format!("/{key}")),
                    format!("`{key}` is missing"),
                    expected.to_string(),
                );
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) if key == "unit" => Some(n.to_string()),
            Some(other) => {
                p.problem(
                    "wrong_type",
                    Loc::pointer(format!("/{key}")),
                    format!("`{key}` is {}, not a string", type_name(other)),
                    expected.to_string(),
                );
                None
            }
        }
    };
    if let Some(s) = text(&mut p, "date", "the reporting day, YYYY-MM-DD") {
        p.draft.date = read_date(&mut p, Loc::pointer("/date"), &s, today);
    }
    if let Some(s) = text(
        &mut p,
        "unit",
        "the unit's six-digit code, such as \"110000\"",
    ) {
        p.draft.unit = read_unit(&mut p, Loc::pointer("/unit"), &s);
    }

    match obj.get("figures") {
        None | Some(Value::Null) => p.problem(
            "missing_field",
            Loc::pointer("/figures"),
            "`figures` is missing",
            "an array of figures: {\"measure\": …, \"origin\": …, \"value\": …}".to_string(),
        ),
        Some(Value::Array(items)) if items.is_empty() => p.problem(
            "no_figures",
            Loc::pointer("/figures"),
            "`figures` is empty: a report gives at least one figure",
            "an array of figures: {\"measure\": …, \"origin\": …, \"value\": …}".to_string(),
        ),
        Some(Value::Array(items)) if items.len() > MAX_ROWS => p.problem(
            "too_many_rows",
            Loc::pointer("/figures"),
            format!("{} figures are too many", items.len()),
            format!("at most {MAX_ROWS}"),
        ),
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                json_figure(&mut p, i, item);
            }
        }
        Some(other) => p.problem(
            "wrong_type",
            Loc::pointer("/figures"),
            format!("`figures` is {}, not an array", type_name(other)),
            "an array of figures".to_string(),
        ),
    }

    match obj.get("corrections") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().take(MAX_ROWS).enumerate() {
                json_correction(&mut p, i, item);
            }
        }
        Some(other) => p.problem(
            "wrong_type",
            Loc::pointer("/corrections"),
            format!("`corrections` is {}, not an array", type_name(other)),
            "an array of corrections".to_string(),
        ),
    }

    p.draft.reason_loc = Some(Loc::pointer("/reason"));
    match obj.get("reason") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) => p.draft.reason = Some(s.clone()),
        Some(other) => p.problem(
            "wrong_type",
            Loc::pointer("/reason"),
            format!("`reason` is {}, not a string", type_name(other)),
            "why this version supersedes the previous one, in a few words".to_string(),
        ),
    }
    match obj.get("acknowledge") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) => p.draft.acknowledge.push(s.clone()),
                    other => p.problem(
                        "wrong_type",
                        Loc::pointer(format!("/acknowledge/{i}")),
                        format!("{} is not a warning id", type_name(other)),
                        "the id of a warning, such as \"plausibility:local:confirmed_new\""
                            .to_string(),
                    ),
                }
            }
        }
        Some(other) => p.problem(
            "wrong_type",
            Loc::pointer("/acknowledge"),
            format!("`acknowledge` is {}, not an array", type_name(other)),
            "an array of warning ids".to_string(),
        ),
    }
    Ok(p)
}

fn json_figure(p: &mut Parsed, i: usize, item: &Value) {
    let base = format!("/figures/{i}");
    let Value::Object(obj) = item else {
        p.problem(
            "wrong_type",
            Loc::pointer(&base),
            format!("a figure is an object, not {}", type_name(item)),
            "{\"measure\": \"confirmed_new\", \"origin\": \"local\", \"value\": 3}".to_string(),
        );
        return;
    };
    unknown_fields(p, obj, &base, FIGURE_FIELDS);
    let measure_loc = Loc::pointer(format!("{base}/measure"));
    let measure = match obj.get("measure") {
        Some(Value::String(s)) => read_measure(p, measure_loc.clone(), s),
        None | Some(Value::Null) => {
            p.problem(
                "missing_field",
                measure_loc.clone(),
                "`measure` is missing",
                "a measure name, such as confirmed_new".to_string(),
            );
            None
        }
        Some(other) => {
            p.problem(
                "wrong_type",
                measure_loc.clone(),
                format!("`measure` is {}, not a string", type_name(other)),
                "a measure name, such as confirmed_new".to_string(),
            );
            None
        }
    };
    let origin = match obj.get("origin") {
        None | Some(Value::Null) => Some(Origin::All),
        Some(Value::String(s)) => read_origin(p, Loc::pointer(format!("{base}/origin")), s),
        Some(other) => {
            p.problem(
                "wrong_type",
                Loc::pointer(format!("{base}/origin")),
                format!("`origin` is {}, not a string", type_name(other)),
                "all, imported or local".to_string(),
            );
            None
        }
    };
    let value_loc = Loc::pointer(format!("{base}/value"));
    let value = match obj.get("value") {
        None | Some(Value::Null) => {
            p.problem(
                "missing_value",
                value_loc.clone(),
                "`value` is missing (a figure that is not known is left out, not sent empty)",
                "a whole number, such as 3".to_string(),
            );
            None
        }
        Some(v) => count(p, value_loc.clone(), v, measure),
    };
    let mut breakdown = Vec::new();
    match obj.get("breakdown") {
        None | Some(Value::Null) => {}
        Some(Value::Array(parts)) => {
            for (j, part) in parts.iter().enumerate() {
                let pb = format!("{base}/breakdown/{j}");
                let Value::Object(po) = part else {
                    p.problem(
                        "wrong_type",
                        Loc::pointer(&pb),
                        format!("a part is an object, not {}", type_name(part)),
                        "{\"region\": \"110105\", \"value\": 3}".to_string(),
                    );
                    continue;
                };
                unknown_fields(p, po, &pb, PART_FIELDS);
                let region_loc = Loc::pointer(format!("{pb}/region"));
                let region = match po.get("region") {
                    Some(Value::String(s)) => read_region(p, region_loc.clone(), s),
                    Some(Value::Number(n)) => read_region(p, region_loc.clone(), &n.to_string()),
                    other => {
                        p.problem(
                            "invalid_region",
                            region_loc.clone(),
                            match other {
                                None | Some(Value::Null) => "`region` is missing".to_string(),
                                Some(v) => format!("`region` is {}, not a string", type_name(v)),
                            },
                            "the code of a prefecture or district of the unit, such as \"110105\""
                                .to_string(),
                        );
                        None
                    }
                };
                let value_loc = Loc::pointer(format!("{pb}/value"));
                let value = match po.get("value") {
                    None | Some(Value::Null) => {
                        p.problem(
                            "missing_value",
                            value_loc.clone(),
                            "`value` is missing",
                            "a whole number".to_string(),
                        );
                        None
                    }
                    Some(v) => count(p, value_loc.clone(), v, measure),
                };
                if let (Some(region), Some(value)) = (region, value) {
                    breakdown.push(DraftPart {
                        region,
                        value,
                        region_loc,
                        value_loc,
                    });
                }
            }
        }
        Some(other) => p.problem(
            "wrong_type",
            Loc::pointer(format!("{base}/breakdown")),
            format!("`breakdown` is {}, not an array", type_name(other)),
            "an array of parts: {\"region\": \"110105\", \"value\": 3}".to_string(),
        ),
    }
    if let (Some(measure), Some(origin), Some(value)) = (measure, origin, value) {
        p.draft.figures.push(DraftFigure {
            measure,
            origin,
            value,
            loc: Loc::pointer(base),
            measure_loc,
            value_loc,
            breakdown,
        });
    }
}

fn json_correction(p: &mut Parsed, i: usize, item: &Value) {
    let base = format!("/corrections/{i}");
    let Value::Object(obj) = item else {
        p.problem(
            "wrong_type",
            Loc::pointer(&base),
            format!("a correction is an object, not {}", type_name(item)),
            "{\"measure\": …, \"origin\": …, \"kind\": \"reduce\", \"delta\": -1, \"reason\": …}"
                .to_string(),
        );
        return;
    };
    unknown_fields(p, obj, &base, CORRECTION_FIELDS);
    let s = |k: &str| obj.get(k).and_then(Value::as_str);
    let measure = match s("measure") {
        Some(m) => read_measure(p, Loc::pointer(format!("{base}/measure")), m),
        None => {
            p.problem(
                "missing_field",
                Loc::pointer(format!("{base}/measure")),
                "`measure` is missing or not a string",
                "the corrected measure, such as deaths_cumulative".to_string(),
            );
            None
        }
    };
    let origin = match s("origin") {
        Some(o) => read_origin(p, Loc::pointer(format!("{base}/origin")), o),
        None => Some(Origin::All),
    };
    let kind = match s("kind") {
        Some("reduce") => Some(CorrectionKind::Reduce),
        Some("increase") => Some(CorrectionKind::Increase),
        Some("revise") => Some(CorrectionKind::Revise),
        other => {
            p.problem(
                "unknown_correction_kind",
                Loc::pointer(format!("{base}/kind")),
                match other {
                    Some(k) => format!("unknown kind `{k}`"),
                    None => "`kind` is missing or not a string".to_string(),
                },
                "reduce (核减), increase (核增) or revise (订正)".to_string(),
            );
            None
        }
    };
    let mut num = |k: &str| -> Option<Option<Count>> {
        match obj.get(k) {
            None | Some(Value::Null) => Some(None),
            Some(v) => match integer(v) {
                Ok(n) => Some(Some(n)),
                Err((code, msg, expected)) => {
                    p.problem(code, Loc::pointer(format!("{base}/{k}")), msg, expected);
                    None
                }
            },
        }
    };
    let delta = num("delta");
    let restated = num("restated");
    let refers_to = match s("refers_to") {
        None => Some(None),
        Some(t) => match t.parse::<Date>() {
            Ok(d) => Some(Some(d)),
            Err(e) => {
                p.problem(
                    "invalid_date",
                    Loc::pointer(format!("{base}/refers_to")),
                    e.to_string(),
                    "the corrected day, YYYY-MM-DD".to_string(),
                );
                None
            }
        },
    };
    if let (Some(None), Some(None)) = (delta, restated) {
        p.problem(
            "correction_without_change",
            Loc::pointer(&base),
            "a correction gives `delta` (the change, signed) or `restated` (the corrected value)",
            "\"delta\": -1, or \"restated\": 120".to_string(),
        );
        return;
    }
    if let (Some(measure), Some(origin), Some(kind), Some(delta), Some(restated), Some(refers_to)) =
        (measure, origin, kind, delta, restated, refers_to)
    {
        let correction = Correction {
            region: RegionId::NATION, // set to the unit once it is known
            origin,
            measure,
            kind,
            delta,
            restated,
            refers_to,
            reason: s("reason").map(str::to_string),
        };
        p.draft.corrections.push((correction, Loc::pointer(base)));
    }
}

/// The columns of a report as CSV.
pub const CSV_COLUMNS: [&str; 5] = ["date", "region", "origin", "measure", "value"];

/// Reads a report sent as CSV (`date,region,origin,measure,value`).
pub fn parse_csv(bytes: &[u8], today: Date) -> Result<Parsed, ApiError> {
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

fn malformed_csv(e: &csv::Error) -> ApiError {
    let line = e.position().map_or(0, |p| p.line());
    let mut err = ApiError::bad_request(
        "malformed_csv",
        format!("the body is not valid CSV: {e}; nothing was stored"),
    );
    err.problems.push(Problem::new(
        "malformed_csv",
        Loc::cell(line, ""),
        e.to_string(),
        Some(format!("CSV with the header {}", CSV_COLUMNS.join(","))),
    ));
    err
}

/// What the checks need from the store.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// The unit's figures of the previous day: its newest report, or else the published
    /// ledger's figures of the unit and the regions inside it.
    pub previous: Option<(Day, String)>,
    /// The unit's newest reports of the [`RECENT_DAYS`] before the day.
    pub recent: Vec<StoredReport>,
    /// The unit's newest report of the day itself, if any.
    pub existing: Option<StoredReport>,
}

/// The outcome of the checks.
#[derive(Debug, Default)]
pub struct Checked {
    /// The report, if there is no problem.
    pub report: Option<Report>,
    /// Every problem.
    pub problems: Vec<Problem>,
    /// Every warning (acknowledged or not).
    pub warnings: Vec<Warning>,
    /// The ids of the warnings not acknowledged.
    pub unacknowledged: Vec<String>,
    /// Whether the report equals the newest stored version.
    pub unchanged: bool,
}

/// Checks a draft as a whole against its context.
pub fn check(parsed: Parsed, ctx: &Context) -> Checked {
    let Parsed {
        mut draft,
        mut problems,
    } = parsed;
    let mut out = Checked::default();
    let (Some(date), Some(unit)) = (draft.date, draft.unit) else {
        sort_problems(&mut problems);
        out.problems = problems;
        return out;
    };
    let unit_id = RegionId::Code(unit);
    let prob = |problems: &mut Vec<Problem>,
                code: &'static str,
                loc: &Loc,
                msg: String,
                expected: Option<String>| {
        problems.push(Problem::new(code, loc.clone(), msg, expected));
    };

    // Each figure once; parts inside the unit, each once.
    let mut seen: BTreeMap<(Origin, Measure), Loc> = BTreeMap::new();
    let mut keep = vec![true; draft.figures.len()];
    for (i, f) in draft.figures.iter().enumerate() {
        if let Some(first) = seen.get(&(f.origin, f.measure)) {
            prob(
                &mut problems,
                "duplicate_figure",
                &f.loc,
                format!(
                    "{} {} is given twice (first at {first})",
                    f.origin, f.measure
                ),
                Some("each figure once".into()),
            );
            keep[i] = false;
            continue;
        }
        seen.insert((f.origin, f.measure), f.loc.clone());
        if unit == RegionCode::NATION && !f.breakdown.is_empty() {
            prob(
                &mut problems,
                "national_breakdown",
                &f.breakdown[0].region_loc,
                "the national figures have no breakdown: the units report their own".into(),
                Some("no `breakdown`".into()),
            );
        }
        let mut parts: BTreeMap<&RegionId, &Loc> = BTreeMap::new();
        for part in &f.breakdown {
            if part.region == unit_id {
                prob(
                    &mut problems,
                    "part_is_unit",
                    &part.region_loc,
                    format!("{} is the unit itself, not a part of it", part.region),
                    Some(format!("a prefecture or district inside {unit}")),
                );
            } else if !hierarchy::contains(&unit_id, &part.region) {
                prob(
                    &mut problems,
                    "outside_unit",
                    &part.region_loc,
                    format!("{} lies outside {unit}", part.region),
                    Some(format!("a prefecture or district inside {unit}")),
                );
            } else if let Some(first) = parts.insert(&part.region, &part.region_loc) {
                prob(
                    &mut problems,
                    "duplicate_part",
                    &part.region_loc,
                    format!(
                        "{} is given twice in this breakdown (first at {first})",
                        part.region
                    ),
                    Some("each region once".into()),
                );
            }
        }
    }
    let figures: Vec<DraftFigure> = draft
        .figures
        .drain(..)
        .zip(keep)
        .filter_map(|(f, k)| k.then_some(f))
        .collect();
    for (c, _) in &mut draft.corrections {
        c.region = unit_id.clone();
    }

    let report = Report {
        date,
        unit,
        figures: figures
            .iter()
            .map(|f| ReportFigure {
                measure: f.measure,
                origin: f.origin,
                value: f.value,
                breakdown: f
                    .breakdown
                    .iter()
                    .map(|p| Part {
                        region: p.region.clone(),
                        value: p.value,
                    })
                    .collect(),
            })
            .collect(),
        corrections: draft.corrections.iter().map(|(c, _)| c.clone()).collect(),
        acknowledged: Vec::new(),
    };

    // The ledger's identities, within the report and against the previous day.
    if problems.is_empty() {
        identities(&report, &figures, ctx, &mut problems);
    }

    // A revision needs a reason.
    let reason = draft
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if let Some(existing) = &ctx.existing {
        if existing.content_hash == report.content_hash() {
            out.unchanged = true;
        } else if reason.is_none() {
            let loc = draft
                .reason_loc
                .clone()
                .unwrap_or_else(|| Loc::pointer("/reason"));
            prob(
                &mut problems,
                "revision_needs_reason",
                &loc,
                format!(
                    "{unit} already reported {date} (version {}); this report is a revision and \
                     needs a reason",
                    existing.version
                ),
                Some(
                    "why it supersedes the previous version, such as \"late laboratory results\""
                        .into(),
                ),
            );
        }
    }

    // Plausibility against the unit's own history: warnings.
    let warnings = plausibility(&figures, ctx);
    let acknowledged: Vec<String> = warnings
        .iter()
        .filter(|w| draft.acknowledge.contains(&w.id))
        .map(|w| w.id.clone())
        .collect();
    out.unacknowledged = warnings
        .iter()
        .filter(|w| !acknowledged.contains(&w.id))
        .map(|w| w.id.clone())
        .collect();
    out.warnings = warnings;
    if problems.is_empty() {
        out.report = Some(Report {
            acknowledged,
            ..report
        });
    }
    sort_problems(&mut problems);
    out.problems = problems;
    out
}

/// Sorts problems in the order of the document: pointers by their segments (numbers as
/// numbers), CSV cells by row and column, parameters last.
pub fn sort_problems(problems: &mut [Problem]) {
    fn key(l: &Loc) -> (u8, Vec<(u64, String)>) {
        match l {
            Loc::Pointer { pointer } => (
                0,
                pointer
                    .split('/')
                    .map(|s| match s.parse::<u64>() {
                        Ok(n) => (n, String::new()),
                        Err(_) => (u64::MAX, s.to_string()),
                    })
                    .collect(),
            ),
            Loc::Cell { row, column } => {
                let c = CSV_COLUMNS.iter().position(|c| c == column).unwrap_or(0) as u64;
                (1, vec![(*row, String::new()), (c, column.clone())])
            }
            Loc::Parameter { parameter } => (2, vec![(0, parameter.clone())]),
        }
    }
    problems.sort_by_cached_key(|p| key(&p.loc));
}

/// Where the figure of a region, origin and measure was written.
fn value_loc<'a>(
    figures: &'a [DraftFigure],
    unit: &RegionId,
    region: &RegionId,
    origin: Origin,
    measure: Measure,
) -> Option<&'a Loc> {
    let f = figures
        .iter()
        .find(|f| f.origin == origin && f.measure == measure)?;
    if region == unit {
        Some(&f.value_loc)
    } else {
        f.breakdown
            .iter()
            .find(|p| &p.region == region)
            .map(|p| &p.value_loc)
    }
}

fn identities(
    report: &Report,
    figures: &[DraftFigure],
    ctx: &Context,
    problems: &mut Vec<Problem>,
) {
    let day = report.to_day();
    let unit_id = RegionId::Code(report.unit);
    let date = report.date;
    let mut days = vec![day];
    let mut previous_label = None;
    if let Some((prev, label)) = &ctx.previous {
        if prev.date == Some(date.pred()) {
            days.push(prev.clone());
            previous_label = Some(label.as_str());
        }
    }
    let ledger = Ledger::from_days(days);
    let audit = audit_report(&ledger, Some(date), Some(date));
    for b in audit.breaks {
        if b.explained_by.is_some() || b.date != date {
            continue;
        }
        let loc = value_loc(figures, &unit_id, &b.region, b.origin, b.measure)
            .cloned()
            .unwrap_or_else(|| Loc::pointer("/figures"));
        let (code, message, expected) = match b.identity {
            Identity::Origins => (
                "origins_mismatch",
                format!(
                    "{} {}: all ({}) is not imported + local ({})",
                    b.region, b.measure, b.found, b.expected
                ),
                b.expected.to_string(),
            ),
            Identity::Parts => (
                "parts_exceed_figure",
                format!(
                    "the breakdown of {} {} {} sums to {}, more than its figure {}",
                    b.region, b.origin, b.measure, b.expected, b.found
                ),
                format!("at least {} (or smaller parts)", b.expected),
            ),
            Identity::Balance => (
                "balance_broken",
                format!(
                    "{} {}: confirmed_cumulative ({}) is not confirmed_current + \
                     discharged_cumulative + deaths_cumulative ({})",
                    b.region, b.origin, b.found, b.expected
                ),
                b.expected.to_string(),
            ),
            Identity::Accumulation | Identity::Stock => (
                if b.identity == Identity::Stock {
                    "stock_broken"
                } else {
                    "accumulation_broken"
                },
                format!(
                    "{} {} {} is {}, but {} the previous day ({}) make it {}: {}; a correction \
                     (`corrections`) explains a change that is not a flow of the day",
                    b.region,
                    b.origin,
                    b.measure,
                    b.found,
                    previous_label.unwrap_or("the figures of"),
                    date.pred(),
                    b.expected,
                    b.identity.description()
                ),
                b.expected.to_string(),
            ),
        };
        problems.push(Problem::new(code, loc, message, Some(expected)));
    }
}

/// Warnings for figures far from the unit's recent history.
fn plausibility(figures: &[DraftFigure], ctx: &Context) -> Vec<Warning> {
    let mut out = Vec::new();
    for f in figures {
        let history: Vec<(Date, Count)> = ctx
            .recent
            .iter()
            .filter_map(|r| {
                r.report
                    .get(f.origin, f.measure)
                    .map(|v| (r.report.date, v))
            })
            .collect();
        if history.len() < 3 {
            continue;
        }
        let id = format!("plausibility:{}:{}", f.origin, f.measure);
        let found = match f.measure.kind() {
            MeasureKind::Flow => {
                let (max_date, max) = history
                    .iter()
                    .copied()
                    .max_by_key(|(_, v)| *v)
                    .unwrap_or((history[0].0, 0));
                (f.value > (4 * max).max(max + 50)).then(|| {
                    let message = format!(
                        "{} {} is {}, far above the unit's last {} days (at most {max}, on \
                         {max_date}); check the figure, or acknowledge this warning",
                        f.origin, f.measure, f.value, RECENT_DAYS
                    );
                    ("implausible_high", message)
                })
            }
            MeasureKind::Stock | MeasureKind::Cumulative => {
                let (last_date, last) = history[history.len() - 1];
                let jump = (f.value - last).abs();
                let decrease = f.measure.kind() == MeasureKind::Cumulative && f.value < last;
                (decrease || jump > (last / 2).max(50)).then(|| {
                    let message = format!(
                        "{} {} is {}, {} from {last} on {last_date}; check the figure, or \
                         acknowledge this warning",
                        f.origin,
                        f.measure,
                        f.value,
                        if decrease { "down" } else { "a jump" }
                    );
                    let code = if decrease {
                        "implausible_decrease"
                    } else {
                        "implausible_jump"
                    };
                    (code, message)
                })
            }
            MeasureKind::Change | MeasureKind::Coverage => None,
        };
        if let Some((code, message)) = found {
            out.push(Warning {
                id,
                code,
                loc: f.value_loc.clone(),
                message,
            });
        }
    }
    out
}

/// The unit's figures within a published day (the unit and the regions inside it).
pub fn unit_facts(day: &Day, unit: RegionCode) -> Day {
    let unit_id = RegionId::Code(unit);
    Day {
        date: day.date,
        facts: day
            .facts
            .iter()
            .filter(|f| f.region == unit_id || hierarchy::contains(&unit_id, &f.region))
            .cloned()
            .collect::<Vec<Fact>>(),
        corrections: day
            .corrections
            .iter()
            .filter(|c| c.region == unit_id || hierarchy::contains(&unit_id, &c.region))
            .cloned()
            .collect(),
        notes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        "2024-01-01".parse().unwrap()
    }

    fn pointers(problems: &[Problem]) -> Vec<String> {
        problems
            .iter()
            .map(|p| match &p.loc {
                Loc::Pointer { pointer } => pointer.clone(),
                Loc::Cell { row, column } => format!("{row}:{column}"),
                Loc::Parameter { parameter } => format!("?{parameter}"),
            })
            .collect()
    }

    #[test]
    fn lists_every_problem_of_the_form() {
        let body = br#"{"date": "2030-01-01", "unit": "110100", "colour": 1,
            "figures": [{"measure": "confirmed_nwe", "value": 3},
                        {"measure": "deaths_new", "origin": "here", "value": -1},
                        {"measure": "discharged_new", "value": 1.5},
                        {"measure": "suspected_new", "value": "2"},
                        {"measure": "regions_reporting", "value": 3}]}"#;
        let p = parse_json(body, today()).unwrap();
        assert_eq!(
            pointers(&p.problems),
            [
                "/colour",
                "/date",
                "/unit",
                "/figures/0/measure",
                "/figures/1/origin",
                "/figures/1/value",
                "/figures/2/value",
                "/figures/3/value",
                "/figures/4/measure",
            ]
        );
        assert!(p.problems[3]
            .expected
            .as_deref()
            .unwrap()
            .contains("confirmed_new"));
        assert!(p.problems[2].message.contains("not a reporting unit"));
    }

    #[test]
    fn malformed_json_is_a_400() {
        let e = parse_json(b"{\"date\": ", today()).unwrap_err();
        assert_eq!(e.status.as_u16(), 400);
        assert_eq!(e.code, "malformed_json");
    }

    fn parsed(body: &str) -> Parsed {
        let p = parse_json(body.as_bytes(), today()).unwrap();
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        p
    }

    #[test]
    fn identities_within_the_report() {
        let p = parsed(
            r#"{"date": "2023-01-05", "unit": "110000", "figures": [
                {"measure": "confirmed_new", "origin": "all", "value": 10},
                {"measure": "confirmed_new", "origin": "imported", "value": 3},
                {"measure": "confirmed_new", "origin": "local", "value": 6,
                 "breakdown": [{"region": "110105", "value": 5}, {"region": "110108", "value": 4},
                               {"region": "120101", "value": 1}]},
                {"measure": "confirmed_new", "origin": "local", "value": 6}]}"#,
        );
        let c = check(p, &Context::default());
        assert!(c.report.is_none());
        assert_eq!(
            pointers(&c.problems),
            ["/figures/2/breakdown/2/region", "/figures/3"],
            "{:?}",
            c.problems
        );
        // With the form right, the identities speak.
        let p = parsed(
            r#"{"date": "2023-01-05", "unit": "110000", "figures": [
                {"measure": "confirmed_new", "origin": "all", "value": 10},
                {"measure": "confirmed_new", "origin": "imported", "value": 3},
                {"measure": "confirmed_new", "origin": "local", "value": 6,
                 "breakdown": [{"region": "110105", "value": 5}, {"region": "110108", "value": 4}]}]}"#,
        );
        let c = check(p, &Context::default());
        assert_eq!(
            pointers(&c.problems),
            ["/figures/0/value", "/figures/2/value"],
            "{:?}",
            c.problems
        );
        assert_eq!(c.problems[0].expected.as_deref(), Some("9"));
    }

    #[test]
    fn against_the_previous_day_and_with_a_correction() {
        let prev: Day = serde_json::from_value(serde_json::json!({
            "date": "2023-01-04",
            "facts": [{"region": "110000", "origin": "all", "measure": "deaths_cumulative", "value": 10}]
        }))
        .unwrap();
        let ctx = Context {
            previous: Some((prev, "110000's report (version 1) of".into())),
            ..Context::default()
        };
        let body = r#"{"date": "2023-01-05", "unit": "110000", "figures": [
                {"measure": "deaths_new", "value": 1},
                {"measure": "deaths_cumulative", "value": 12}]}"#;
        let c = check(parsed(body), &ctx);
        assert_eq!(pointers(&c.problems), ["/figures/1/value"]);
        assert_eq!(c.problems[0].expected.as_deref(), Some("11"));
        let body = r#"{"date": "2023-01-05", "unit": "110000", "figures": [
                {"measure": "deaths_new", "value": 1},
                {"measure": "deaths_cumulative", "value": 12}],
                "corrections": [{"measure": "deaths_cumulative", "kind": "increase", "delta": 1,
                                 "reason": "late registration"}]}"#;
        let c = check(parsed(body), &ctx);
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(
            c.report.unwrap().corrections[0].region.to_string(),
            "110000"
        );
    }

    #[test]
    fn csv_rows_and_columns() {
        let csv = "date,region,origin,measure,value\n\
                   2023-01-05,110000,local,confirmed_new,5\n\
                   2023-01-05,110105,local,confirmed_new,3\n\
                   2023-01-05,110000,local,deaths_new,x\n\
                   2023-01-06,120000,local,confirmed_new,1\n\
                   2023-01-05,110108,imported,confirmed_new,1\n";
        let p = parse_csv(csv.as_bytes(), today()).unwrap();
        assert_eq!(
            pointers(&p.problems),
            ["4:value", "5:date", "5:region", "6:region"],
            "{:?}",
            p.problems
        );
        assert_eq!(p.draft.figures.len(), 1);
        assert_eq!(p.draft.figures[0].breakdown.len(), 1);
    }

    #[test]
    fn plausibility_warns_and_is_acknowledged() {
        let report = |date: &str, n: i64| StoredReport {
            report: Report {
                date: date.parse().unwrap(),
                unit: "110000".parse().unwrap(),
                figures: vec![ReportFigure {
                    measure: Measure::ConfirmedNew,
                    origin: Origin::Local,
                    value: n,
                    breakdown: vec![],
                }],
                corrections: vec![],
                acknowledged: vec![],
            },
            version: 1,
            reason: None,
            submitted_at: chrono::Utc::now(),
            submitted_by: None,
            content_hash: String::new(),
        };
        let ctx = Context {
            recent: vec![
                report("2023-01-02", 2),
                report("2023-01-03", 5),
                report("2023-01-04", 3),
            ],
            ..Context::default()
        };
        let body = r#"{"date": "2023-01-05", "unit": "110000", "figures": [
                {"measure": "confirmed_new", "origin": "local", "value": 500}]}"#;
        let c = check(parsed(body), &ctx);
        assert!(c.problems.is_empty());
        assert_eq!(c.unacknowledged, ["plausibility:local:confirmed_new"]);
        let body = r#"{"date": "2023-01-05", "unit": "110000", "figures": [
                {"measure": "confirmed_new", "origin": "local", "value": 500}],
                "acknowledge": ["plausibility:local:confirmed_new"]}"#;
        let c = check(parsed(body), &ctx);
        assert!(c.unacknowledged.is_empty());
        assert_eq!(
            c.report.unwrap().acknowledged,
            ["plausibility:local:confirmed_new"]
        );
    }
}
