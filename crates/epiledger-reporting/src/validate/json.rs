//! A report sent as JSON.

use epiledger_core::{Correction, CorrectionKind, Count, Date, Origin, RegionId};
use serde_json::Value;

use super::read::*;
use super::{DraftFigure, DraftPart, Malformed, Parsed, MAX_ROWS};
use crate::problem::{Loc, Problem};

/// Reads a report sent as JSON. A body that is not JSON at all is a 400; everything else is
/// collected in the problems.
pub fn parse_json(bytes: &[u8], today: Date) -> Result<Parsed, Malformed> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| Malformed {
        code: "malformed_json",
        message: format!("the body is not valid JSON: {e}; nothing was stored"),
        problem: Box::new(Problem::new(
            "malformed_json",
            Loc::pointer(""),
            format!("{e}"),
            Some("a JSON object: {\"date\": …, \"unit\": …, \"figures\": […]}".into()),
        )),
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
