use super::*;
use crate::{Report, ReportFigure};

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
