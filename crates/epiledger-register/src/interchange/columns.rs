//! The columns of the interchange format, in order.

/// A column of the interchange format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum Column {
    Event = 0,
    Recorded,
    Author,
    Unit,
    Type,
    Card,
    Contact,
    Link,
    Disease,
    Classification,
    Severity,
    Origin,
    Country,
    Residence,
    Institution,
    Sex,
    Age,
    Onset,
    Diagnosis,
    Report,
    Audit,
    Date,
    Observation,
    Outcome,
    Person,
    IdNumber,
    Name,
    Phone,
    Reason,
}

/// A column's description for the Table Schema.
pub struct ColumnInfo {
    /// The column.
    pub column: Column,
    /// Its name.
    pub name: &'static str,
    /// The Table Schema type: string, datetime, date, integer.
    pub kind: &'static str,
    /// Whether every row has it.
    pub required: bool,
    /// What it holds.
    pub description: &'static str,
}

const fn c(
    column: Column,
    name: &'static str,
    kind: &'static str,
    required: bool,
    description: &'static str,
) -> ColumnInfo {
    ColumnInfo {
        column,
        name,
        kind,
        required,
        description,
    }
}

/// Every column, in the order of the format.
pub const COLUMNS: [ColumnInfo; 29] = [
    c(Column::Event, "event", "string", true,
      "The event's id (1–64 characters), unique within the submitting unit: a row whose id was recorded before changes nothing."),
    c(Column::Recorded, "recorded", "datetime", true,
      "When the event was recorded (RFC 3339 with an offset). Its reporting day in Beijing is the day whose figures it changes."),
    c(Column::Author, "author", "string", true, "Who recorded it: a user or an institution's code."),
    c(Column::Unit, "unit", "string", true,
      "The submitting reporting unit: a provincial-level GB/T 2260 code (110000) or 660000 for the XPCC."),
    c(Column::Type, "type", "string", true, "The event type."),
    c(Column::Card, "card", "string", false,
      "The case card's id within the submitting unit (card, reclassified, severity_changed, outcome, outcome_withdrawn, corrected, withdrawn; the survivor of a merge)."),
    c(Column::Contact, "contact", "string", false, "The close contact's id within the submitting unit (contact_* events)."),
    c(Column::Link, "link", "string", false,
      "Another card: the card a contact is linked to (contact_traced) or became (contact_became_case), the duplicate a merge withdraws. `ID` for a card of the submitting unit, `UNIT:ID` for another unit's."),
    c(Column::Disease, "disease", "string", false, "The disease's code (COVID-19; the ICD-10 code U07.1 is accepted). Required for a card."),
    c(Column::Classification, "classification", "string", false,
      "suspected, clinically_diagnosed, confirmed or asymptomatic: of a new card, the new classification (reclassified), or the corrected one (corrected)."),
    c(Column::Severity, "severity", "string", false, "mild, moderate, severe or critical (confirmed cases only)."),
    c(Column::Origin, "origin", "string", false, "imported or local. Required for a card."),
    c(Column::Country, "country", "string", false,
      "The country of departure of an imported case: ISO 3166-1 alpha-2 (US), alpha-3 (USA) or numeric (840)."),
    c(Column::Residence, "residence", "string", false,
      "The county-level GB/T 2260 code of residence (660000 for the XPCC); its province is the unit the card or contact counts to."),
    c(Column::Institution, "institution", "string", false,
      "The reporting institution's county (GB/T 2260), inside the submitting unit. Required for a card."),
    c(Column::Sex, "sex", "string", false, "male, female or unknown."),
    c(Column::Age, "age", "integer", false, "Age in years, 0–130."),
    c(Column::Onset, "onset", "date", false, "Onset of symptoms (YYYY-MM-DD)."),
    c(Column::Diagnosis, "diagnosis", "date", false, "Date of diagnosis."),
    c(Column::Report, "report", "date", false, "The card's report date. Required for a card."),
    c(Column::Audit, "audit", "date", false,
      "The county CDC's audit date (审核日期), the day a card counts on. Required for a card; before the recorded day it is a late report, counted as a correction."),
    c(Column::Date, "date", "date", false,
      "The date of what the event records: the new classification or severity, the outcome, the trace, the release, the contact becoming a case; for a correction of an outcome, its date."),
    c(Column::Observation, "observation", "date", false, "The start of a contact's medical observation (on or after `date`)."),
    c(Column::Outcome, "outcome", "string", false,
      "discharged, died, released, excluded or transferred_out (outcome; corrected)."),
    c(Column::Person, "person", "string", false,
      "The person's pseudonym: 64 hex digits, HMAC-SHA-256 of the identity number under the deployment's key."),
    c(Column::IdNumber, "id_number", "string", false,
      "The identity-document number: hashed on reading with the deployment's key into `person`, never stored. Refused when no key is set."),
    c(Column::Name, "name", "string", false, "The person's name: kept only if given, shown only to the reporting unit and compilers, never exported."),
    c(Column::Phone, "phone", "string", false, "A telephone number: as `name`."),
    c(Column::Reason, "reason", "string", false,
      "Why: required for corrected, withdrawn, merged, outcome_withdrawn, contact_release_withdrawn and contact_withdrawn; the reason of the corrections the event makes."),
];

impl Column {
    /// The column's name.
    pub fn name(self) -> &'static str {
        COLUMNS[self as usize].name
    }

    /// The column of a name.
    pub fn from_name(name: &str) -> Option<Column> {
        COLUMNS.iter().find(|c| c.name == name).map(|c| c.column)
    }
}

/// How many columns.
pub const N_COLUMNS: usize = COLUMNS.len();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_order() {
        for (i, c) in COLUMNS.iter().enumerate() {
            assert_eq!(c.column as usize, i, "{}", c.name);
            assert_eq!(Column::from_name(c.name), Some(c.column));
        }
    }
}
