//! The JSON Schemas of the types whose text form is their own (feature `openapi`), as the HTTP
//! API's OpenAPI document states them: exactly what their parsers accept.

use std::borrow::Cow;

use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::RefOr;
use utoipa::{PartialSchema, ToSchema};

use crate::{Date, Measure, RegionCode, RegionId};

/// The pattern of a [`Date`]: `YYYY-MM-DD`.
pub const DATE_PATTERN: &str = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$";
/// The pattern of a [`RegionCode`]: six digits, not starting with 0.
pub const REGION_CODE_PATTERN: &str = r"^[1-9][0-9]{5}$";
/// The pattern of a [`RegionId`]: a code, or `code:name` for a named area under it.
pub const REGION_ID_PATTERN: &str = r"^[1-9][0-9]{5}(:.*[^\s:].*)?$";

fn string(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
}

impl PartialSchema for Date {
    fn schema() -> RefOr<Schema> {
        string("A reporting day, YYYY-MM-DD (Beijing time, 0–24h).")
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .pattern(Some(DATE_PATTERN))
            .examples(["2020-06-19"])
            .into()
    }
}
impl ToSchema for Date {}

impl PartialSchema for RegionCode {
    fn schema() -> RefOr<Schema> {
        string("A GB/T 2260 region code: six digits (100000 is the Chinese mainland).")
            .pattern(Some(REGION_CODE_PATTERN))
            .examples(["110000"])
            .into()
    }
}
impl ToSchema for RegionCode {}

impl PartialSchema for RegionId {
    fn schema() -> RefOr<Schema> {
        string(
            "Where a figure applies: a GB/T 2260 code, or `code:name` for a named area without a \
             code of its own under that division (620000:兰州新区).",
        )
        .pattern(Some(REGION_ID_PATTERN))
        .examples(["110000", "620000:兰州新区"])
        .into()
    }
}
impl ToSchema for RegionId {}

impl PartialSchema for Measure {
    fn schema() -> RefOr<Schema> {
        string("A measure of the ledger (`epiledger measures` lists them with their kinds).")
            .enum_values(Some(Measure::ALL.iter().map(|m| m.name())))
            .into()
    }
}
impl ToSchema for Measure {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Measure")
    }
}
