//! One row ↔ one event: the fields of a row by column, read into an [`Event`] with the column
//! of each problem, and an event written back into fields.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use epiledger_core::{Date, RegionCode};

use super::columns::{Column, N_COLUMNS};
use super::ReadOptions;
use crate::codes::{CaseOrigin, Classification, Country, Disease, Severity, Sex};
use crate::event::{Body, CardFix, CardRef, CardReport, ContactReport, Event, Key, Text};
use crate::pseudonym::PersonKey;

/// A problem of a row: the column (if one), a code, a message.
pub(crate) type FieldError = (Option<Column>, &'static str, String);

/// The fields of a row, by column; `None` for an empty or absent field.
pub(crate) type Fields<'a> = [Option<&'a str>; N_COLUMNS];

/// Reuses one allocation for repeated texts (authors, reasons).
#[derive(Default)]
pub(crate) struct Interner {
    map: HashMap<Box<str>, Text>,
    last: Option<Text>,
}

impl Interner {
    pub(crate) fn get(&mut self, s: &str) -> Text {
        if let Some(t) = self.last.as_ref().filter(|t| &***t == s) {
            return t.clone();
        }
        if let Some(t) = self.map.get(s) {
            self.last = Some(t.clone());
            return t.clone();
        }
        if self.map.len() >= 4096 {
            self.map.clear();
        }
        let t: Text = Arc::from(s);
        self.map.insert(Box::from(s), t.clone());
        t
    }
}

fn bad(col: Column, msg: impl Into<String>) -> FieldError {
    (Some(col), "bad_value", msg.into())
}

/// `YYYY-MM-DD`, fast.
pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |a, c| {
            c.is_ascii_digit().then(|| a * 10 + u32::from(c - b'0'))
        })
    };
    Date::from_ymd(n(0..4)? as i32, n(5..7)?, n(8..10)?)
}

/// RFC 3339, with a fast path for `YYYY-MM-DDTHH:MM:SS(.fff)(Z|±HH:MM)`.
pub(crate) fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    let fast = || -> Option<DateTime<Utc>> {
        if b.len() < 20 || !(b[10] == b'T' || b[10] == b't' || b[10] == b' ') {
            return None;
        }
        let n = |r: std::ops::Range<usize>| -> Option<u32> {
            b.get(r)?.iter().try_fold(0u32, |a, c| {
                c.is_ascii_digit().then(|| a * 10 + u32::from(c - b'0'))
            })
        };
        if b[13] != b':' || b[16] != b':' {
            return None;
        }
        let date = parse_date(&s[..10])?;
        let (h, m, sec) = (n(11..13)?, n(14..16)?, n(17..19)?);
        let mut i = 19;
        let mut nanos = 0u32;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                if i - start < 9 {
                    nanos = nanos * 10 + u32::from(b[i] - b'0');
                }
                i += 1;
            }
            let digits = (i - start).min(9);
            if digits == 0 {
                return None;
            }
            nanos *= 10u32.pow(9 - digits as u32);
        }
        let offset_secs: i64 = match &b[i..] {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                let oh = i64::from(n(i + 1..i + 3)?);
                let om = i64::from(n(i + 4..i + 6)?);
                if oh > 23 || om > 59 {
                    return None;
                }
                let v = oh * 3600 + om * 60;
                if *sign == b'-' {
                    -v
                } else {
                    v
                }
            }
            _ => return None,
        };
        let naive = date.naive().and_hms_nano_opt(h, m, sec, nanos)?;
        let utc = Utc.from_utc_datetime(&naive) - chrono::Duration::seconds(offset_secs);
        Some(utc)
    };
    fast().or_else(|| {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    })
}

fn code(col: Column, s: &str) -> Result<RegionCode, FieldError> {
    s.parse()
        .map_err(|_| bad(col, format!("`{s}` is not a six-digit GB/T 2260 code")))
}

fn key(col: Column, s: &str) -> Result<Key, FieldError> {
    Key::parse(s).map_err(|e| bad(col, e.to_string()))
}

fn date(col: Column, s: &str) -> Result<Date, FieldError> {
    parse_date(s).ok_or_else(|| bad(col, format!("`{s}` is not a date: write YYYY-MM-DD")))
}

fn vocab<T: std::str::FromStr<Err = crate::codes::CodeError>>(
    col: Column,
    s: &str,
) -> Result<T, FieldError> {
    s.parse().map_err(|e: crate::codes::CodeError| {
        let code = if col == Column::Country {
            "unknown_country"
        } else {
            "bad_value"
        };
        (Some(col), code, e.to_string())
    })
}

/// The columns each type may use (besides event, recorded, author, unit, type, reason).
fn allowed(t: &str) -> Option<&'static [Column]> {
    use Column::*;
    Some(match t {
        "card" => &[
            Card,
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
            Person,
            IdNumber,
            Name,
            Phone,
        ],
        "reclassified" => &[Card, Classification, Date],
        "severity_changed" => &[Card, Severity, Date],
        "outcome" => &[Card, Outcome, Date],
        "outcome_withdrawn" | "withdrawn" => &[Card],
        "corrected" => &[
            Card,
            Classification,
            Residence,
            Origin,
            Country,
            Onset,
            Diagnosis,
            Report,
            Audit,
            Outcome,
            Date,
        ],
        "merged" => &[Card, Link],
        "contact_traced" => &[Contact, Link, Residence, Date, Observation],
        "contact_released" => &[Contact, Date],
        "contact_became_case" => &[Contact, Link, Date],
        "contact_release_withdrawn" | "contact_withdrawn" => &[Contact],
        _ => return None,
    })
}

const COMMON: [Column; 6] = [
    Column::Event,
    Column::Recorded,
    Column::Author,
    Column::Unit,
    Column::Type,
    Column::Reason,
];

/// Reads the event of a row.
pub(crate) fn to_event(
    f: &Fields<'_>,
    opts: &ReadOptions<'_>,
    interner: &mut Interner,
) -> Result<Event, FieldError> {
    let get = |c: Column| f[c as usize];
    let need = |c: Column| {
        f[c as usize].ok_or_else(|| {
            (
                Some(c),
                "missing",
                format!("`{}` is required here", c.name()),
            )
        })
    };
    let t = need(Column::Type)?;
    let allowed = allowed(t).ok_or_else(|| {
        bad(
            Column::Type,
            format!(
                "unknown event type `{t}`: use one of {}",
                crate::event::Body::TYPES.join(", ")
            ),
        )
    })?;
    for (i, v) in f.iter().enumerate() {
        if v.is_some() {
            let col = super::columns::COLUMNS[i].column;
            if !COMMON.contains(&col) && !allowed.contains(&col) {
                return Err((
                    Some(col),
                    "unexpected",
                    format!(
                        "`{}` has no meaning for a `{t}` event; leave it empty",
                        col.name()
                    ),
                ));
            }
        }
    }
    let id = key(Column::Event, need(Column::Event)?)?;
    let rec = need(Column::Recorded)?;
    let recorded = parse_time(rec).ok_or_else(|| {
        bad(
            Column::Recorded,
            format!("`{rec}` is not an RFC 3339 time: write 2020-06-19T10:30:00+08:00"),
        )
    })?;
    let author = interner.get(need(Column::Author)?);
    let unit = code(Column::Unit, need(Column::Unit)?)?;
    let reason = get(Column::Reason).map(|r| interner.get(r));
    let card = || key(Column::Card, need(Column::Card)?);
    let contact = || key(Column::Contact, need(Column::Contact)?);
    let day = || date(Column::Date, need(Column::Date)?);
    let opt_date = |c: Column| get(c).map(|s| date(c, s)).transpose();
    let link = |required: bool| -> Result<Option<CardRef>, FieldError> {
        match get(Column::Link) {
            Some(s) => CardRef::parse(s, unit)
                .map(Some)
                .map_err(|e| bad(Column::Link, e.to_string())),
            None if required => Err((
                Some(Column::Link),
                "missing",
                "`link` is required here".into(),
            )),
            None => Ok(None),
        }
    };
    let body = match t {
        "card" => {
            let person = match (get(Column::Person), get(Column::IdNumber)) {
                (Some(_), Some(_)) => {
                    return Err(bad(
                        Column::IdNumber,
                        "give `person` or `id_number`, not both",
                    ))
                }
                (Some(p), None) => Some(
                    p.parse::<PersonKey>()
                        .map_err(|e| bad(Column::Person, e.to_string()))?,
                ),
                (None, Some(n)) => {
                    let p = opts.pseudonymizer.ok_or_else(|| {
                        (
                            Some(Column::IdNumber),
                            "pseudonym_key_missing",
                            crate::pseudonym::PseudonymError::NoKey.to_string(),
                        )
                    })?;
                    Some(
                        p.pseudonym(n)
                            .map_err(|e| bad(Column::IdNumber, e.to_string()))?,
                    )
                }
                (None, None) => None,
            };
            let age = get(Column::Age)
                .map(|a| {
                    a.parse::<u8>()
                        .map_err(|_| bad(Column::Age, format!("`{a}` is not an age in years")))
                })
                .transpose()?;
            Body::Card(CardReport {
                card: card()?,
                disease: vocab::<Disease>(Column::Disease, need(Column::Disease)?)?,
                classification: vocab::<Classification>(
                    Column::Classification,
                    need(Column::Classification)?,
                )?,
                severity: get(Column::Severity)
                    .map(|s| vocab::<Severity>(Column::Severity, s))
                    .transpose()?,
                origin: vocab::<CaseOrigin>(Column::Origin, need(Column::Origin)?)?,
                country: get(Column::Country)
                    .map(|s| vocab::<Country>(Column::Country, s))
                    .transpose()?,
                residence: code(Column::Residence, need(Column::Residence)?)?,
                institution: code(Column::Institution, need(Column::Institution)?)?,
                sex: get(Column::Sex)
                    .map(|s| vocab::<Sex>(Column::Sex, s))
                    .transpose()?,
                age,
                onset: opt_date(Column::Onset)?,
                diagnosis: opt_date(Column::Diagnosis)?,
                report: date(Column::Report, need(Column::Report)?)?,
                audit: date(Column::Audit, need(Column::Audit)?)?,
                person,
                name: get(Column::Name).map(Arc::from),
                phone: get(Column::Phone).map(Arc::from),
            })
        }
        "reclassified" => Body::Reclassified {
            card: card()?,
            classification: vocab(Column::Classification, need(Column::Classification)?)?,
            date: day()?,
        },
        "severity_changed" => Body::SeverityChanged {
            card: card()?,
            severity: vocab(Column::Severity, need(Column::Severity)?)?,
            date: day()?,
        },
        "outcome" => Body::Outcome {
            card: card()?,
            outcome: vocab(Column::Outcome, need(Column::Outcome)?)?,
            date: day()?,
        },
        "outcome_withdrawn" => Body::OutcomeWithdrawn { card: card()? },
        "corrected" => Body::Corrected {
            card: card()?,
            fix: CardFix {
                classification: get(Column::Classification)
                    .map(|s| vocab(Column::Classification, s))
                    .transpose()?,
                residence: get(Column::Residence)
                    .map(|s| code(Column::Residence, s))
                    .transpose()?,
                origin: get(Column::Origin)
                    .map(|s| vocab(Column::Origin, s))
                    .transpose()?,
                country: get(Column::Country)
                    .map(|s| vocab(Column::Country, s))
                    .transpose()?,
                onset: opt_date(Column::Onset)?,
                diagnosis: opt_date(Column::Diagnosis)?,
                report: opt_date(Column::Report)?,
                audit: opt_date(Column::Audit)?,
                outcome: get(Column::Outcome)
                    .map(|s| vocab(Column::Outcome, s))
                    .transpose()?,
                outcome_date: opt_date(Column::Date)?,
            },
        },
        "withdrawn" => Body::Withdrawn { card: card()? },
        "merged" => Body::Merged {
            card: card()?,
            duplicate: link(true)?.expect("required"),
        },
        "contact_traced" => Body::ContactTraced(ContactReport {
            contact: contact()?,
            card: link(false)?,
            residence: code(Column::Residence, need(Column::Residence)?)?,
            traced: day()?,
            observation: opt_date(Column::Observation)?,
        }),
        "contact_released" => Body::ContactReleased {
            contact: contact()?,
            date: day()?,
        },
        "contact_became_case" => Body::ContactBecameCase {
            contact: contact()?,
            card: link(true)?.expect("required"),
            date: day()?,
        },
        "contact_release_withdrawn" => Body::ContactReleaseWithdrawn {
            contact: contact()?,
        },
        "contact_withdrawn" => Body::ContactWithdrawn {
            contact: contact()?,
        },
        _ => unreachable!("types checked above"),
    };
    Ok(Event {
        id,
        recorded,
        author,
        unit,
        reason,
        body,
    })
}

/// The fields of an event, written into reusable strings (empty for an absent field). Name and
/// telephone are written only when `private` is true.
pub(crate) fn write_fields(e: &Event, out: &mut [String; N_COLUMNS], private: bool) {
    for s in out.iter_mut() {
        s.clear();
    }
    let mut put = |c: Column, v: &dyn std::fmt::Display| {
        let _ = write!(out[c as usize], "{v}");
    };
    put(Column::Event, &e.id);
    put(Column::Recorded, &Rfc3339(e.recorded));
    put(Column::Author, &e.author);
    put(Column::Unit, &e.unit);
    put(Column::Type, &e.body.type_name());
    if let Some(r) = &e.reason {
        put(Column::Reason, r);
    }
    let link = |r: &CardRef| LinkText(r.clone(), e.unit);
    match &e.body {
        Body::Card(c) => {
            put(Column::Card, &c.card);
            put(Column::Disease, &c.disease);
            put(Column::Classification, &c.classification);
            if let Some(s) = c.severity {
                put(Column::Severity, &s);
            }
            put(Column::Origin, &c.origin);
            if let Some(x) = c.country {
                put(Column::Country, &x);
            }
            put(Column::Residence, &c.residence);
            put(Column::Institution, &c.institution);
            if let Some(s) = c.sex {
                put(Column::Sex, &s);
            }
            if let Some(a) = c.age {
                put(Column::Age, &a);
            }
            if let Some(d) = c.onset {
                put(Column::Onset, &d);
            }
            if let Some(d) = c.diagnosis {
                put(Column::Diagnosis, &d);
            }
            put(Column::Report, &c.report);
            put(Column::Audit, &c.audit);
            if let Some(p) = c.person {
                put(Column::Person, &p);
            }
            if private {
                if let Some(n) = &c.name {
                    put(Column::Name, n);
                }
                if let Some(p) = &c.phone {
                    put(Column::Phone, p);
                }
            }
        }
        Body::Reclassified {
            card,
            classification,
            date,
        } => {
            put(Column::Card, card);
            put(Column::Classification, classification);
            put(Column::Date, date);
        }
        Body::SeverityChanged {
            card,
            severity,
            date,
        } => {
            put(Column::Card, card);
            put(Column::Severity, severity);
            put(Column::Date, date);
        }
        Body::Outcome {
            card,
            outcome,
            date,
        } => {
            put(Column::Card, card);
            put(Column::Outcome, outcome);
            put(Column::Date, date);
        }
        Body::OutcomeWithdrawn { card } | Body::Withdrawn { card } => put(Column::Card, card),
        Body::Corrected { card, fix } => {
            put(Column::Card, card);
            if let Some(v) = fix.classification {
                put(Column::Classification, &v);
            }
            if let Some(v) = fix.residence {
                put(Column::Residence, &v);
            }
            if let Some(v) = fix.origin {
                put(Column::Origin, &v);
            }
            if let Some(v) = fix.country {
                put(Column::Country, &v);
            }
            for (c, d) in [
                (Column::Onset, fix.onset),
                (Column::Diagnosis, fix.diagnosis),
                (Column::Report, fix.report),
                (Column::Audit, fix.audit),
                (Column::Date, fix.outcome_date),
            ] {
                if let Some(d) = d {
                    put(c, &d);
                }
            }
            if let Some(v) = fix.outcome {
                put(Column::Outcome, &v);
            }
        }
        Body::Merged { card, duplicate } => {
            put(Column::Card, card);
            put(Column::Link, &link(duplicate));
        }
        Body::ContactTraced(c) => {
            put(Column::Contact, &c.contact);
            if let Some(r) = &c.card {
                put(Column::Link, &link(r));
            }
            put(Column::Residence, &c.residence);
            put(Column::Date, &c.traced);
            if let Some(o) = c.observation {
                put(Column::Observation, &o);
            }
        }
        Body::ContactReleased { contact, date } => {
            put(Column::Contact, contact);
            put(Column::Date, date);
        }
        Body::ContactBecameCase {
            contact,
            card,
            date,
        } => {
            put(Column::Contact, contact);
            put(Column::Link, &link(card));
            put(Column::Date, date);
        }
        Body::ContactReleaseWithdrawn { contact } | Body::ContactWithdrawn { contact } => {
            put(Column::Contact, contact)
        }
    }
}

/// A card reference as a link: bare within the event's unit.
struct LinkText(CardRef, RegionCode);

impl std::fmt::Display for LinkText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.unit == self.1 {
            write!(f, "{}", self.0.card)
        } else {
            write!(f, "{}", self.0)
        }
    }
}

/// A time in RFC 3339 at Beijing's offset, to the second (`2020-06-19T10:30:00+08:00`), with
/// fractions of a second only when there are any.
pub(crate) struct Rfc3339(pub DateTime<Utc>);

impl std::fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t = self.0.with_timezone(&epiledger_core::date::beijing());
        if t.timestamp_subsec_nanos() == 0 {
            write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%S%:z"))
        } else {
            write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%S%.f%:z"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        let t = parse_time("2020-06-19T10:30:00+08:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2020-06-19T02:30:00+00:00");
        assert_eq!(parse_time("2020-06-19T02:30:00Z").unwrap(), t);
        assert_eq!(
            parse_time("2020-06-19T02:30:00.5Z")
                .unwrap()
                .timestamp_subsec_millis(),
            500
        );
        assert_eq!(Rfc3339(t).to_string(), "2020-06-19T10:30:00+08:00");
        for bad in [
            "2020-06-19",
            "2020-06-19T25:00:00Z",
            "2020-06-19T10:30:00+8",
        ] {
            assert!(parse_time(bad).is_none(), "{bad}");
        }
        assert!(parse_date("2020-02-30").is_none());
        assert_eq!(parse_date("2020-02-29").unwrap().to_string(), "2020-02-29");
    }
}
