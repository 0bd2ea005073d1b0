//! The register's records as events: every change is an [`Event`] with its id, time, author,
//! submitting unit and (for corrections) reason. Events are never edited; a later event
//! changes what an earlier one said.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use epiledger_core::{Date, RegionCode};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::codes::{CaseOrigin, Classification, Country, Disease, Outcome, Severity, Sex};
use crate::pseudonym::PersonKey;

/// Shared text (author, reason, name, telephone): readers reuse one allocation for repeated
/// values.
pub type Text = Arc<str>;

/// The longest identifier accepted, in bytes.
pub const MAX_KEY_LEN: usize = 64;

/// An identifier a source gives: an event id, a card id (unique within its reporting unit), a
/// contact id. A decimal number without leading zeros (up to 18 digits) is held as a number,
/// anything else as text; both print back as given.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    /// A decimal number.
    Num(u64),
    /// Any other identifier (1–64 bytes, no control characters).
    Text(Text),
}

/// An identifier that cannot be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "an identifier is 1 to {MAX_KEY_LEN} characters without control characters or `:`; found {0:?}"
)]
pub struct KeyError(pub String);

impl Key {
    /// Reads an identifier.
    pub fn parse(s: &str) -> Result<Key, KeyError> {
        let b = s.as_bytes();
        if b.is_empty()
            || b.len() > MAX_KEY_LEN
            || s.chars().any(|c| c.is_control() || c == ':')
            || s.trim() != s
        {
            return Err(KeyError(s.to_string()));
        }
        if b.len() <= 18 && b.iter().all(u8::is_ascii_digit) && (b[0] != b'0' || b.len() == 1) {
            let mut n = 0u64;
            for &c in b {
                n = n * 10 + u64::from(c - b'0');
            }
            return Ok(Key::Num(n));
        }
        Ok(Key::Text(Arc::from(s)))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Num(n) => write!(f, "{n}"),
            Key::Text(t) => f.write_str(t),
        }
    }
}

impl FromStr for Key {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Key::parse(s)
    }
}

impl Serialize for Key {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Key::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// A card, by its reporting unit and its id within that unit. Written `UNIT:ID`
/// (`110000:A17`); the interchange format also takes a bare `ID` for a card of the event's own
/// unit.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CardRef {
    /// The reporting unit (a provincial-level code).
    pub unit: RegionCode,
    /// The id within it.
    pub card: Key,
}

impl CardRef {
    /// Reads `UNIT:ID`, or a bare `ID` of the unit `own`.
    pub fn parse(s: &str, own: RegionCode) -> Result<CardRef, KeyError> {
        match s.split_once(':') {
            Some((u, id)) => {
                let unit = u
                    .parse::<RegionCode>()
                    .ok()
                    .filter(|c| crate::codes::unit_index(*c).is_some())
                    .ok_or_else(|| KeyError(s.to_string()))?;
                Ok(CardRef {
                    unit,
                    card: Key::parse(id)?,
                })
            }
            None => Ok(CardRef {
                unit: own,
                card: Key::parse(s)?,
            }),
        }
    }
}

impl Serialize for CardRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CardRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        match s.split_once(':') {
            Some(_) => CardRef::parse(&s, RegionCode::NATION).map_err(serde::de::Error::custom),
            None => Err(serde::de::Error::custom(format!(
                "a card of another unit is written UNIT:ID (110000:A17); found {s:?}"
            ))),
        }
    }
}

impl fmt::Display for CardRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.unit, self.card)
    }
}

/// One event of the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The event's id: importing the same id again changes nothing (idempotence).
    pub id: Key,
    /// When it was recorded. Its reporting day (Beijing) is the day whose figures it changes.
    pub recorded: DateTime<Utc>,
    /// Who recorded it (a user or an institution's code).
    pub author: Text,
    /// The submitting reporting unit (provincial-level code).
    #[serde(with = "crate::serde_code")]
    pub unit: RegionCode,
    /// Why (required for corrections, withdrawals and merges).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
    /// What happened.
    #[serde(flatten)]
    pub body: Body,
}

impl Event {
    /// The reporting day the event counts on.
    pub fn day(&self) -> Date {
        Date::today(self.recorded)
    }

    /// Whether the event is about this card (its own event, a merge that withdraws it, a
    /// contact who became it).
    pub fn concerns(&self, c: &CardRef) -> bool {
        let own = |k: &Key| self.unit == c.unit && *k == c.card;
        match &self.body {
            Body::Card(r) => own(&r.card),
            Body::Reclassified { card, .. }
            | Body::SeverityChanged { card, .. }
            | Body::Outcome { card, .. }
            | Body::OutcomeWithdrawn { card }
            | Body::Corrected { card, .. }
            | Body::Withdrawn { card } => own(card),
            Body::Merged { card, duplicate } => own(card) || duplicate == c,
            Body::ContactBecameCase { card, .. } => card == c,
            Body::ContactTraced(_)
            | Body::ContactReleased { .. }
            | Body::ContactReleaseWithdrawn { .. }
            | Body::ContactWithdrawn { .. } => false,
        }
    }
}

/// What an event says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Body {
    /// A new case card (报告卡), with the id it has within the submitting unit.
    Card(CardReport),
    /// The classification changes: an asymptomatic infection or a suspected case confirmed,
    /// a suspected case found asymptomatic, a clinical diagnosis confirmed.
    Reclassified {
        /// The card.
        card: Key,
        /// The new classification.
        classification: Classification,
        /// When.
        date: Date,
    },
    /// The clinical severity changes.
    SeverityChanged {
        /// The card.
        card: Key,
        /// The new severity.
        severity: Severity,
        /// When.
        date: Date,
    },
    /// The card's outcome: discharged, died, released, excluded, transferred out.
    Outcome {
        /// The card.
        card: Key,
        /// The outcome.
        outcome: Outcome,
        /// When.
        date: Date,
    },
    /// An outcome recorded in error is taken back (订正): the case is open again.
    OutcomeWithdrawn {
        /// The card.
        card: Key,
    },
    /// A correction (订正) of what the card says.
    Corrected {
        /// The card.
        card: Key,
        /// The corrected fields.
        #[serde(flatten)]
        fix: CardFix,
    },
    /// The card is withdrawn (删除): it no longer counts.
    Withdrawn {
        /// The card.
        card: Key,
    },
    /// Two cards of one person and disease: `card` survives, `duplicate` is withdrawn.
    Merged {
        /// The surviving card (of the submitting unit).
        card: Key,
        /// The duplicate, withdrawn by the merge.
        duplicate: CardRef,
    },
    /// A close contact traced and put under medical observation.
    ContactTraced(ContactReport),
    /// A close contact released from medical observation.
    ContactReleased {
        /// The contact.
        contact: Key,
        /// When.
        date: Date,
    },
    /// A close contact became a case: the card it became.
    ContactBecameCase {
        /// The contact.
        contact: Key,
        /// The card.
        card: CardRef,
        /// When.
        date: Date,
    },
    /// The end of a contact's observation (a release, or becoming a case) recorded in error is
    /// taken back (订正): the contact is under observation again.
    ContactReleaseWithdrawn {
        /// The contact.
        contact: Key,
    },
    /// The contact record is withdrawn (删除).
    ContactWithdrawn {
        /// The contact.
        contact: Key,
    },
}

impl Body {
    /// The machine name of the event type (`card`, `outcome`, …).
    pub fn type_name(&self) -> &'static str {
        match self {
            Body::Card(_) => "card",
            Body::Reclassified { .. } => "reclassified",
            Body::SeverityChanged { .. } => "severity_changed",
            Body::Outcome { .. } => "outcome",
            Body::OutcomeWithdrawn { .. } => "outcome_withdrawn",
            Body::Corrected { .. } => "corrected",
            Body::Withdrawn { .. } => "withdrawn",
            Body::Merged { .. } => "merged",
            Body::ContactTraced(_) => "contact_traced",
            Body::ContactReleased { .. } => "contact_released",
            Body::ContactBecameCase { .. } => "contact_became_case",
            Body::ContactReleaseWithdrawn { .. } => "contact_release_withdrawn",
            Body::ContactWithdrawn { .. } => "contact_withdrawn",
        }
    }

    /// Every event type's machine name.
    pub const TYPES: [&'static str; 13] = [
        "card",
        "reclassified",
        "severity_changed",
        "outcome",
        "outcome_withdrawn",
        "corrected",
        "withdrawn",
        "merged",
        "contact_traced",
        "contact_released",
        "contact_became_case",
        "contact_release_withdrawn",
        "contact_withdrawn",
    ];
}

/// A new case card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardReport {
    /// The card's id within the submitting unit.
    pub card: Key,
    /// The disease.
    pub disease: Disease,
    /// The classification.
    pub classification: Classification,
    /// The clinical severity (confirmed cases only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Imported or local.
    pub origin: CaseOrigin,
    /// The country of departure (imported cases only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Country>,
    /// The county-level place of residence; its province is the unit the card counts to.
    #[serde(with = "crate::serde_code")]
    pub residence: RegionCode,
    /// The reporting institution's county, inside the submitting unit.
    #[serde(with = "crate::serde_code")]
    pub institution: RegionCode,
    /// Sex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// Age in years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u8>,
    /// Onset of symptoms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onset: Option<Date>,
    /// Diagnosis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<Date>,
    /// The card's report date.
    pub report: Date,
    /// The county CDC's audit date (审核日期): the day the card counts on. Earlier than the
    /// event's recorded day, it is a late report (补报) and counts as a correction.
    pub audit: Date,
    /// The person's pseudonym (HMAC of the identity number), for deduplication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonKey>,
    /// Name, kept only if given; shown to the reporting unit and compilers only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    /// Telephone, kept only if given; shown to the reporting unit and compilers only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Text>,
}

/// What a correction (订正) of a card changes; `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardFix {
    /// The classification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<Classification>,
    /// The residence.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::serde_code::opt"
    )]
    pub residence: Option<RegionCode>,
    /// The origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<CaseOrigin>,
    /// The country of departure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Country>,
    /// The onset date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onset: Option<Date>,
    /// The diagnosis date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<Date>,
    /// The report date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<Date>,
    /// The audit date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit: Option<Date>,
    /// The outcome (a discharge found to be a death, …), with its date in `outcome_date`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The date of the corrected outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_date: Option<Date>,
}

impl CardFix {
    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == CardFix::default()
    }
}

/// A close contact traced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactReport {
    /// The contact's id within the submitting unit.
    pub contact: Key,
    /// The case card it is linked to, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<CardRef>,
    /// The county-level place of residence.
    #[serde(with = "crate::serde_code")]
    pub residence: RegionCode,
    /// When it was traced: the day it counts on (earlier than the recorded day: a correction).
    pub traced: Date,
    /// The start of medical observation (on or after `traced`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observation: Option<Date>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_form() {
        assert_eq!(Key::parse("123").unwrap(), Key::Num(123));
        for s in ["0", "123", "007", "A-17", "1234567890123456789"] {
            assert_eq!(Key::parse(s).unwrap().to_string(), s);
        }
        assert!(matches!(Key::parse("007").unwrap(), Key::Text(_)));
        for bad in ["", " 1", "a:b", "x\ty", &"9".repeat(65)] {
            assert!(Key::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn events_serialize_flat_with_a_type() {
        let e = Event {
            id: Key::Num(1),
            recorded: "2020-02-01T02:00:00Z".parse().unwrap(),
            author: "u1".into(),
            unit: RegionCode::new(420000).unwrap(),
            reason: None,
            body: Body::Outcome {
                card: Key::Num(7),
                outcome: Outcome::Discharged,
                date: "2020-02-01".parse().unwrap(),
            },
        };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["type"], "outcome");
        assert_eq!(v["card"], "7");
        assert_eq!(v["unit"], "420000");
        let back: Event = serde_json::from_value(v).unwrap();
        assert_eq!(back, e);
        assert_eq!(e.day().to_string(), "2020-02-01");
    }
}
