//! Writes the Table Schemas (Frictionless data resources) of the interchange format to
//! `schema/` beside this crate's manifest.
use epiledger_register::interchange::{schema::data_resource, Format};

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    std::fs::create_dir_all(&dir).expect("schema/");
    for (format, name) in [
        (Format::Csv, "case-events.csv.json"),
        (Format::Ndjson, "case-events.ndjson.json"),
    ] {
        let text = serde_json::to_string_pretty(&data_resource(format)).expect("JSON") + "\n";
        std::fs::write(dir.join(name), text).expect("written");
        println!("schema/{name}");
    }
}
