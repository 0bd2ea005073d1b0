//! The Table Schema (Frictionless Data) of the interchange format, as a data resource for each
//! encoding: the same fields, with their types, constraints and descriptions.

use serde_json::{json, Value};

use super::columns::{Column, COLUMNS};
use super::Format;
use crate::codes::{CaseOrigin, Classification, Outcome, Severity, Sex};
use crate::event::Body;

fn names<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|x| name(*x)).collect()
}

/// The Table Schema of an event row.
pub fn table_schema() -> Value {
    let fields: Vec<Value> = COLUMNS
        .iter()
        .map(|c| {
            let mut constraints = serde_json::Map::new();
            if c.required {
                constraints.insert("required".into(), json!(true));
            }
            let enumeration: Option<Vec<&str>> = match c.column {
                Column::Type => Some(Body::TYPES.to_vec()),
                Column::Classification => Some(names(Classification::ALL, Classification::name)),
                Column::Severity => Some(names(Severity::ALL, Severity::name)),
                Column::Origin => Some(names(CaseOrigin::ALL, CaseOrigin::name)),
                Column::Outcome => Some(names(Outcome::ALL, Outcome::name)),
                Column::Sex => Some(names(Sex::ALL, |s| s.name())),
                _ => None,
            };
            if let Some(e) = enumeration {
                constraints.insert("enum".into(), json!(e));
            }
            let pattern = match c.column {
                Column::Unit | Column::Residence | Column::Institution => Some("^[0-9]{6}$"),
                Column::Person => Some("^[0-9a-f]{64}$"),
                Column::Event | Column::Card | Column::Contact => Some("^[^:\\s][^:]{0,63}$"),
                Column::Link => Some("^([0-9]{6}:)?[^:\\s][^:]{0,63}$"),
                Column::Country => Some("^([A-Za-z]{2,3}|[0-9]{3})$"),
                _ => None,
            };
            if let Some(p) = pattern {
                constraints.insert("pattern".into(), json!(p));
            }
            if c.column == Column::Age {
                constraints.insert("minimum".into(), json!(0));
                constraints.insert("maximum".into(), json!(130));
            }
            let mut f = json!({
                "name": c.name,
                "type": c.kind,
                "description": c.description,
            });
            if c.kind == "date" {
                f["format"] = json!("%Y-%m-%d");
            }
            if !constraints.is_empty() {
                f["constraints"] = Value::Object(constraints);
            }
            f
        })
        .collect();
    json!({
        "fields": fields,
        "primaryKey": ["unit", "event"],
        "missingValues": [""],
    })
}

/// The data resource of a file in an encoding, with the schema inline.
pub fn data_resource(format: Format) -> Value {
    let (name, fmt, media) = match format {
        Format::Csv => ("case-events-csv", "csv", "text/csv"),
        Format::Ndjson => ("case-events-ndjson", "ndjson", "application/x-ndjson"),
    };
    json!({
        "profile": "tabular-data-resource",
        "name": name,
        "title": "epiledger case and contact events",
        "description": "One row per event of the case register (docs/CASES.md). Rows are applied in order; a file is one batch, stored whole or not at all.",
        "format": fmt,
        "mediatype": media,
        "encoding": "utf-8",
        "schema": table_schema(),
    })
}
