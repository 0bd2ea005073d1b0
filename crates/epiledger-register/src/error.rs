//! What the register refuses, each with the field (the interchange format's column) it concerns
//! and a stable code for the HTTP API's problems and the pages' wording.

use epiledger_core::{Date, RegionCode};

use crate::codes::{Classification, Outcome};
use crate::event::{CardRef, Key};

/// An event the register refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    /// The submitting unit is not one of the 32 reporting units.
    #[error("{0} is not a reporting unit (one of the 31 provinces or the XPCC, 660000)")]
    NotAUnit(RegionCode),
    /// The card's reporting institution lies outside the submitting unit.
    #[error(
        "the reporting institution's county {institution} lies outside the submitting unit \
         {unit}: a unit reports only for its own institutions"
    )]
    InstitutionOutsideUnit {
        /// The institution's county.
        institution: RegionCode,
        /// The submitting unit.
        unit: RegionCode,
    },
    /// A code that is not a county-level place of the mainland.
    #[error(
        "{code} is not a county-level GB/T 2260 code of the mainland (or 660000 for the XPCC)"
    )]
    UnknownPlace {
        /// The column.
        field: &'static str,
        /// The code.
        code: RegionCode,
    },
    /// A card id the unit has used already.
    #[error("card {0} already exists in this unit: a card id is used once")]
    DuplicateCard(CardRef),
    /// A contact id the unit has used already.
    #[error("contact {0} already exists in this unit: a contact id is used once")]
    DuplicateContact(Key),
    /// An event about a card the register does not have (yet).
    #[error("there is no card {0}: record the card before its outcomes and changes")]
    UnknownCard(CardRef),
    /// An event about a contact the register does not have.
    #[error("there is no contact {0} in this unit: record the contact before its release")]
    UnknownContact(Key),
    /// A withdrawn card or contact changed again.
    #[error("{0} was withdrawn (删除) and cannot change any more")]
    Withdrawn(String),
    /// A date of an event before the card (or contact) it concerns.
    #[error("the {field} {date} is before the card's audit date {audit}: an outcome or change cannot precede the card")]
    BeforeCard {
        /// The column.
        field: &'static str,
        /// The date given.
        date: Date,
        /// The card's audit date.
        audit: Date,
    },
    /// Two dates in the wrong order (onset after diagnosis, …).
    #[error("{field} {date} is after {later_field} {later}: {field} must come first")]
    DatesOutOfOrder {
        /// The column that is too late.
        field: &'static str,
        /// Its date.
        date: Date,
        /// The column it must not follow.
        later_field: &'static str,
        /// That date.
        later: Date,
    },
    /// A date after the day the event is recorded.
    #[error("{field} {date} is after the day the event is recorded ({recorded}): no date lies in the future")]
    InTheFuture {
        /// The column.
        field: &'static str,
        /// The date.
        date: Date,
        /// The recorded day.
        recorded: Date,
    },
    /// An event recorded on a day the register has already closed.
    #[error(
        "the event is recorded on {recorded}, but the register has closed the days up to {open} \
         (exclusive): a closed day never changes; record it now, with the past date in its \
         date fields, and it counts as a correction"
    )]
    ClosedDay {
        /// The event's day.
        recorded: Date,
        /// The open day.
        open: Date,
    },
    /// The card already has an outcome (a discharge after a death, …).
    #[error(
        "the card already has the outcome {existing}; a second outcome ({new}) is refused \
         (correct the first with a `corrected` event, or withdraw it)"
    )]
    OutcomeAlreadyRecorded {
        /// The outcome on record.
        existing: Outcome,
        /// The one given.
        new: Outcome,
    },
    /// An outcome that does not fit the card's classification.
    #[error("a {classification} card cannot have the outcome {outcome}")]
    OutcomeNotForClassification {
        /// The card's classification.
        classification: Classification,
        /// The outcome.
        outcome: Outcome,
    },
    /// An outcome withdrawn from a card that has none.
    #[error("the card has no outcome to withdraw")]
    NoOutcome,
    /// A closed card (with an outcome) reclassified or its severity changed.
    #[error("the card is closed (outcome {0}); reopen it by withdrawing the outcome first")]
    Closed(Outcome),
    /// A confirmed case made an asymptomatic infection (or another step back).
    #[error(
        "a {from} card cannot become {to}: a confirmed case is never reclassified as an \
         asymptomatic infection or a suspected case (withdraw the card if it was an error)"
    )]
    Reclassification {
        /// The classification on record.
        from: Classification,
        /// The one given.
        to: Classification,
    },
    /// Severity given for a card that is no case.
    #[error("severity applies to confirmed cases only, not to a {0} card")]
    SeverityNotForClassification(Classification),
    /// An imported case without its country, or a local case with one.
    #[error("{0}")]
    Country(&'static str),
    /// A correction, withdrawal or merge without a reason.
    #[error("a {0} needs a reason (the `reason` column)")]
    ReasonRequired(&'static str),
    /// A correction that changes nothing.
    #[error("the correction changes nothing: give at least one corrected field")]
    EmptyCorrection,
    /// An age over 130.
    #[error("age {0} is not a person's age (0–130)")]
    Age(u8),
    /// A merge of cards that are not one person's cards of one disease, or the wrong survivor.
    #[error("{0}")]
    Merge(String),
    /// A contact that is not under observation released or made a case.
    #[error("the contact is not under medical observation (it was {0})")]
    ContactNotObserved(&'static str),
    /// A contact released or made a case before it was traced.
    #[error("the date {date} is before the contact was traced ({traced})")]
    BeforeTraced {
        /// The date given.
        date: Date,
        /// The traced date.
        traced: Date,
    },
    /// A contact whose release is withdrawn but was not released.
    #[error("the contact was not released")]
    ContactNotReleased,
}

impl RuleError {
    /// The field (the interchange format's column) the error concerns.
    pub fn field(&self) -> &'static str {
        match self {
            RuleError::NotAUnit(_) => "unit",
            RuleError::InstitutionOutsideUnit { .. } => "institution",
            RuleError::UnknownPlace { field, .. } => field,
            RuleError::DuplicateCard(_) | RuleError::UnknownCard(_) => "card",
            RuleError::DuplicateContact(_) | RuleError::UnknownContact(_) => "contact",
            RuleError::Withdrawn(_) => "type",
            RuleError::BeforeCard { field, .. } => field,
            RuleError::DatesOutOfOrder { field, .. } => field,
            RuleError::InTheFuture { field, .. } => field,
            RuleError::ClosedDay { .. } => "recorded",
            RuleError::OutcomeAlreadyRecorded { .. }
            | RuleError::OutcomeNotForClassification { .. }
            | RuleError::NoOutcome
            | RuleError::Closed(_) => "outcome",
            RuleError::Reclassification { .. } => "classification",
            RuleError::SeverityNotForClassification(_) => "severity",
            RuleError::Country(_) => "country",
            RuleError::ReasonRequired(_) => "reason",
            RuleError::EmptyCorrection => "type",
            RuleError::Age(_) => "age",
            RuleError::Merge(_) => "link",
            RuleError::ContactNotObserved(_) | RuleError::ContactNotReleased => "contact",
            RuleError::BeforeTraced { .. } => "date",
        }
    }

    /// A stable code (`institution_outside_unit`).
    pub fn code(&self) -> &'static str {
        match self {
            RuleError::NotAUnit(_) => "not_a_unit",
            RuleError::InstitutionOutsideUnit { .. } => "institution_outside_unit",
            RuleError::UnknownPlace { .. } => "unknown_place",
            RuleError::DuplicateCard(_) => "duplicate_card",
            RuleError::DuplicateContact(_) => "duplicate_contact",
            RuleError::UnknownCard(_) => "unknown_card",
            RuleError::UnknownContact(_) => "unknown_contact",
            RuleError::Withdrawn(_) => "withdrawn",
            RuleError::BeforeCard { .. } => "before_card",
            RuleError::DatesOutOfOrder { .. } => "dates_out_of_order",
            RuleError::InTheFuture { .. } => "in_the_future",
            RuleError::ClosedDay { .. } => "closed_day",
            RuleError::OutcomeAlreadyRecorded { .. } => "outcome_already_recorded",
            RuleError::OutcomeNotForClassification { .. } => "outcome_not_for_classification",
            RuleError::NoOutcome => "no_outcome",
            RuleError::Closed(_) => "card_closed",
            RuleError::Reclassification { .. } => "reclassification",
            RuleError::SeverityNotForClassification(_) => "severity_not_for_classification",
            RuleError::Country(_) => "country",
            RuleError::ReasonRequired(_) => "reason_required",
            RuleError::EmptyCorrection => "empty_correction",
            RuleError::Age(_) => "age",
            RuleError::Merge(_) => "merge",
            RuleError::ContactNotObserved(_) => "contact_not_observed",
            RuleError::ContactNotReleased => "contact_not_released",
            RuleError::BeforeTraced { .. } => "before_traced",
        }
    }
}
