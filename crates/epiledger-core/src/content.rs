//! The canonical content of a day and its hash, which tell whether two versions say the same.
//!
//! The canonical form is the [`Day`] with its facts sorted by (region, origin, measure) and exact
//! duplicates dropped; corrections and notes keep their order, which is meaningful. The hash is
//! the SHA-256 of `epiledger-day/1\n` followed by the canonical form's JSON.

use std::collections::BTreeMap;

use crate::{Date, Day};
use sha2::{Digest, Sha256};

use crate::Source;

/// What precedes the JSON in the hashed text; a new canonical form gets a new tag.
pub const CONTENT_HASH_TAG: &str = "epiledger-day/1\n";

/// The SHA-256 of some bytes, as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The day in canonical form: facts sorted, exact duplicates dropped.
pub fn canonical(day: &Day) -> Day {
    let mut d = day.clone();
    d.normalize();
    d
}

/// The hash of the day's canonical content, 64 hex digits. Two days have the same hash exactly
/// when they have the same date, the same facts in any order, and the same corrections and
/// notes in the same order.
pub fn content_hash(day: &Day) -> String {
    hash_canonical(&canonical(day))
}

/// [`content_hash`] of a day already in canonical form.
fn hash_canonical(day: &Day) -> String {
    let mut hasher = Sha256::new();
    hasher.update(CONTENT_HASH_TAG.as_bytes());
    // Writing into a hasher cannot fail, and every field of a Day serializes (strings,
    // integers, enums): an error here is a bug of the domain types, not of the data.
    serde_json::to_writer(&mut hasher, day).expect("a Day always serializes to JSON");
    hex::encode(hasher.finalize())
}

/// Whether a text is a SHA-256 in hex (64 hex digits, any case).
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A day checked and made ready to store.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The day's date.
    pub date: Date,
    /// The day in canonical form.
    pub day: Day,
    /// The hash of its content.
    pub content_hash: String,
    /// The source, its hash in lowercase.
    pub source: Source,
}

/// Checks a day and its source for storing: the day must have a date and give each figure
/// one value; the source hash must be a hex SHA-256. The error says what is wrong.
pub fn prepare(day: &Day, source: &Source) -> Result<Prepared, String> {
    let date = day
        .date
        .ok_or("the day has no date (every stored day needs one)")?;
    if !is_sha256_hex(&source.content_hash) {
        return Err(format!(
            "the source hash `{}` of {} is not a SHA-256 (64 hex digits)",
            source.content_hash, source.name
        ));
    }
    let day = canonical(day);
    let mut seen = BTreeMap::new();
    for f in &day.facts {
        if let Some(first) = seen.insert(f.key(), f.value) {
            return Err(format!(
                "{} {} {} is given twice with different values: {first} and {}",
                f.region, f.origin, f.measure, f.value
            ));
        }
    }
    Ok(Prepared {
        date,
        content_hash: hash_canonical(&day),
        day,
        source: Source {
            content_hash: source.content_hash.to_ascii_lowercase(),
            ..source.clone()
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceKind;
    use crate::{Fact, Measure, Origin, RegionId};

    fn fact(measure: Measure, value: i64) -> Fact {
        Fact::new(RegionId::NATION, Origin::All, measure, value).unwrap()
    }

    fn source() -> Source {
        Source::from_bytes(SourceKind::Bulletin, "b.txt", b"x")
    }

    #[test]
    fn hash_ignores_fact_order_and_duplicates() {
        let mut a = Day::new(Date::from_ymd(2020, 6, 19).unwrap());
        a.facts = vec![fact(Measure::ConfirmedNew, 1), fact(Measure::DeathsNew, 0)];
        let mut b = a.clone();
        b.facts.reverse();
        b.facts.push(fact(Measure::DeathsNew, 0));
        assert_eq!(content_hash(&a), content_hash(&b));
        b.facts[0].value = 1;
        assert_ne!(content_hash(&a), content_hash(&b));
        assert!(is_sha256_hex(&content_hash(&a)));
    }

    #[test]
    fn prepare_refuses_what_cannot_be_stored() {
        let mut d = Day::default();
        assert!(prepare(&d, &source()).unwrap_err().contains("no date"));
        d.date = Date::from_ymd(2020, 6, 19);
        d.facts = vec![fact(Measure::DeathsNew, 0), fact(Measure::DeathsNew, 1)];
        let e = prepare(&d, &source()).unwrap_err();
        assert!(e.contains("100000 all deaths_new is given twice"), "{e}");
        d.facts.pop();
        let bad = Source::new(SourceKind::Other, "x", "abc");
        assert!(prepare(&d, &bad).unwrap_err().contains("not a SHA-256"));
        let upper = Source::new(SourceKind::Other, "x", source().content_hash.to_uppercase());
        assert_eq!(
            prepare(&d, &upper).unwrap().source.content_hash,
            source().content_hash
        );
    }
}
