//! The public, de-identified line list: one row per card that is not withdrawn, with no
//! identifier, the audit date as an ISO week, the age in 10-year bands, the residence as its
//! province; every combination of these quasi-identifiers (week, age band, sex, province) that
//! fewer than `k` cards share is suppressed, `k` ≥ 5 (k-anonymity).

use std::collections::HashMap;
use std::io::Write;

use chrono::Datelike;
use epiledger_core::RegionCode;
use serde::Serialize;

use crate::codes::{CaseOrigin, Classification, Outcome, Sex};
use crate::register::{CardView, Register};

/// The smallest `k` the register accepts.
pub const MIN_K: usize = 5;

/// One row of the public line list.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PublicRow {
    /// The ISO week of the audit date (`2020-W05`).
    pub week: String,
    /// The age band (`30-39`, `80+`, `unknown`).
    pub age: &'static str,
    /// Sex (`unknown` where not recorded).
    pub sex: &'static str,
    /// The province of residence.
    #[serde(serialize_with = "code")]
    pub province: RegionCode,
    /// The classification.
    pub classification: &'static str,
    /// Imported or local.
    pub origin: &'static str,
    /// The outcome, if any (without its date).
    pub outcome: Option<&'static str>,
}

fn code<S: serde::Serializer>(c: &RegionCode, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(c)
}

/// The public line list and how many cards it suppressed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublicLineList {
    /// The rows, sorted.
    pub rows: Vec<PublicRow>,
    /// Cards left out because their quasi-identifiers are shared by fewer than `k` cards.
    pub suppressed: usize,
    /// The `k` applied.
    pub k: usize,
}

const BANDS: [&str; 9] = [
    "0-9", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80+",
];

fn band(age: Option<u8>) -> &'static str {
    match age {
        None => "unknown",
        Some(a) => BANDS[(a as usize / 10).min(8)],
    }
}

/// The row of a card.
pub fn row(card: &CardView) -> PublicRow {
    let w = card.audit.naive().iso_week();
    PublicRow {
        week: format!("{}-W{:02}", w.year(), w.week()),
        age: band(card.age),
        sex: card.sex.unwrap_or(Sex::Unknown).name(),
        province: card.residence.province(),
        classification: Classification::name(card.classification),
        origin: CaseOrigin::name(card.origin),
        outcome: card.outcome.map(|(o, _)| Outcome::name(o)),
    }
}

/// De-identifies rows: keeps those whose (week, age band, sex, province) at least `k` rows
/// share (`k` is raised to [`MIN_K`]).
pub fn deidentify(rows: impl IntoIterator<Item = PublicRow>, k: usize) -> PublicLineList {
    let k = k.max(MIN_K);
    let rows: Vec<PublicRow> = rows.into_iter().collect();
    let mut groups: HashMap<(&str, &str, &str, RegionCode), usize> = HashMap::new();
    for r in &rows {
        *groups
            .entry((&r.week, r.age, r.sex, r.province))
            .or_insert(0) += 1;
    }
    let keep: Vec<bool> = rows
        .iter()
        .map(|r| groups[&(r.week.as_str(), r.age, r.sex, r.province)] >= k)
        .collect();
    let suppressed = keep.iter().filter(|k| !**k).count();
    let mut out: Vec<PublicRow> = rows
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(r, _)| r)
        .collect();
    out.sort();
    PublicLineList {
        rows: out,
        suppressed,
        k,
    }
}

/// The public line list of a register.
pub fn public_line_list(register: &Register, k: usize) -> PublicLineList {
    deidentify(register.card_views().map(|c| row(&c)), k)
}

/// The cases (confirmed or clinically diagnosed, not withdrawn) by date of onset, for the
/// nation: an aggregate, public like the figures.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OnsetCurve {
    /// Each date of onset with its cases, in order.
    pub days: Vec<(epiledger_core::Date, u64)>,
    /// Cases whose card gives no onset date (an asymptomatic infection confirmed later, an
    /// onset not known).
    pub without_onset: u64,
}

/// The epidemic curve by date of onset.
pub fn onset_curve(register: &Register) -> OnsetCurve {
    let mut days = std::collections::BTreeMap::new();
    let mut without_onset = 0;
    for c in register.card_views() {
        if c.withdrawn
            || !matches!(
                c.classification,
                Classification::Confirmed | Classification::ClinicallyDiagnosed
            )
        {
            continue;
        }
        match c.onset {
            Some(d) => *days.entry(d).or_insert(0) += 1,
            None => without_onset += 1,
        }
    }
    OnsetCurve {
        days: days.into_iter().collect(),
        without_onset,
    }
}

impl PublicLineList {
    /// Writes the rows as CSV with the header
    /// `week,age,sex,province,classification,origin,outcome`.
    pub fn write_csv<W: Write>(&self, w: W) -> csv::Result<()> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record([
            "week",
            "age",
            "sex",
            "province",
            "classification",
            "origin",
            "outcome",
        ])?;
        for r in &self.rows {
            let province = r.province.to_string();
            w.write_record([
                r.week.as_str(),
                r.age,
                r.sex,
                province.as_str(),
                r.classification,
                r.origin,
                r.outcome.unwrap_or(""),
            ])?;
        }
        w.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(week: &str, age: &'static str, province: u32) -> PublicRow {
        PublicRow {
            week: week.into(),
            age,
            sex: "male",
            province: RegionCode::new(province).unwrap(),
            classification: "confirmed",
            origin: "local",
            outcome: None,
        }
    }

    #[test]
    fn groups_under_k_are_suppressed() {
        let mut rows: Vec<PublicRow> = (0..5).map(|_| r("2020-W05", "30-39", 420000)).collect();
        rows.extend((0..4).map(|_| r("2020-W05", "40-49", 420000)));
        rows.push(r("2020-W06", "30-39", 110000));
        let l = deidentify(rows.clone(), 5);
        assert_eq!(l.rows.len(), 5);
        assert_eq!(l.suppressed, 5);
        assert!(l.rows.iter().all(|x| x.age == "30-39"));
        // k below 5 is raised to 5.
        assert_eq!(deidentify(rows.clone(), 2).k, 5);
        assert_eq!(deidentify(rows, 2).rows.len(), 5);
        // Every combination kept is shared by at least k rows.
        let mut v = Vec::new();
        l.write_csv(&mut v).unwrap();
        let text = String::from_utf8(v).unwrap();
        assert!(text.starts_with("week,age,sex,province,classification,origin,outcome\n"));
        assert_eq!(text.lines().count(), 6);
    }

    #[test]
    fn bands() {
        assert_eq!(band(Some(0)), "0-9");
        assert_eq!(band(Some(39)), "30-39");
        assert_eq!(band(Some(80)), "80+");
        assert_eq!(band(Some(120)), "80+");
        assert_eq!(band(None), "unknown");
    }
}
