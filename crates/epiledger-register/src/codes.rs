//! The register's vocabularies: diseases, classifications, severities, outcomes, origins, sex,
//! ISO 3166-1 countries of departure and the county-level regions a card may name.
//!
//! Each has a machine name (snake_case) used by the interchange format and the JSON form, and
//! `FromStr` that names the accepted values when it fails.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use epiledger_core::registry::Level;
use epiledger_core::{registry, RegionCode};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value that is not one of a vocabulary's names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a valid {what}: use one of {expected}")]
pub struct CodeError {
    /// What was read.
    pub input: String,
    /// The vocabulary (`classification`).
    pub what: &'static str,
    /// The accepted values, comma-separated.
    pub expected: String,
}

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $what:literal { $( $(#[$vdoc:meta])* $variant:ident = $text:literal $(| $alias:literal)* ),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )*
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            /// The machine name.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        impl FromStr for $name {
            type Err = CodeError;
            fn from_str(s: &str) -> Result<Self, CodeError> {
                match s {
                    $( $text $(| $alias)* => Ok($name::$variant), )*
                    _ => Err(CodeError {
                        input: s.to_string(),
                        what: $what,
                        expected: [$($text),*].join(", "),
                    }),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

vocabulary! {
    /// The classification of a case card (病例分类).
    Classification, "classification" {
        /// 疑似病例.
        Suspected = "suspected" | "疑似病例",
        /// 临床诊断病例 (Hubei, February 2020): counted among the confirmed cases.
        ClinicallyDiagnosed = "clinically_diagnosed" | "临床诊断病例",
        /// 确诊病例.
        Confirmed = "confirmed" | "确诊病例",
        /// 无症状感染者 (阳性检测).
        Asymptomatic = "asymptomatic" | "无症状感染者",
    }
}

impl Classification {
    /// Whether the bulletin counts the card among the confirmed cases.
    pub fn is_confirmed(self) -> bool {
        matches!(
            self,
            Classification::Confirmed | Classification::ClinicallyDiagnosed
        )
    }
}

vocabulary! {
    /// Clinical severity (临床严重程度).
    Severity, "severity" {
        /// 轻型.
        Mild = "mild" | "轻型",
        /// 普通型.
        Moderate = "moderate" | "普通型",
        /// 重型.
        Severe = "severe" | "重型",
        /// 危重型.
        Critical = "critical" | "危重型",
    }
}

impl Severity {
    /// Whether the bulletin counts the case among its severe cases (重症: severe or critical).
    pub fn is_severe(self) -> bool {
        matches!(self, Severity::Severe | Severity::Critical)
    }
}

vocabulary! {
    /// What happened to the person of a card at its end (转归).
    Outcome, "outcome" {
        /// 治愈出院: a confirmed case discharged after recovery.
        Discharged = "discharged" | "治愈出院",
        /// 死亡: a confirmed case died.
        Died = "died" | "死亡",
        /// 解除医学观察: an asymptomatic infection released from medical observation.
        Released = "released" | "解除医学观察",
        /// 排除: a suspected case excluded.
        Excluded = "excluded" | "排除",
        /// 转出: a confirmed case transferred out of the mainland's register (repatriated, or
        /// treated in Hong Kong, Macao or abroad): no longer active, neither discharged nor dead.
        /// The bulletin's balance (cumulative = active + discharged + deaths) does not hold
        /// for such a card; see docs/CASES.md.
        TransferredOut = "transferred_out" | "转出",
    }
}

vocabulary! {
    /// Sex, as the card records it.
    Sex, "sex" {
        /// 男.
        Male = "male" | "m" | "男",
        /// 女.
        Female = "female" | "f" | "女",
        /// Not known.
        Unknown = "unknown" | "u",
    }
}

vocabulary! {
    /// Where a case was infected: abroad (境外输入) or on the mainland (本土).
    CaseOrigin, "origin" {
        /// 境外输入: with the country of departure.
        Imported = "imported" | "境外输入",
        /// 本土.
        Local = "local" | "本土",
    }
}

impl CaseOrigin {
    /// The ledger's origin.
    pub fn ledger(self) -> epiledger_core::Origin {
        match self {
            CaseOrigin::Imported => epiledger_core::Origin::Imported,
            CaseOrigin::Local => epiledger_core::Origin::Local,
        }
    }
}

/// A notifiable disease a card is for, by its code. This release configures COVID-19 only
/// (`COVID-19`, ICD-10 `U07.1`); the card carries its code, and every rule keys on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Disease(u8);

/// A configured disease: its code and ICD-10 code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiseaseInfo {
    /// The code cards carry.
    pub code: &'static str,
    /// The ICD-10 code, also accepted on input.
    pub icd10: &'static str,
}

/// The diseases this release configures.
pub const DISEASES: &[DiseaseInfo] = &[DiseaseInfo {
    code: "COVID-19",
    icd10: "U07.1",
}];

impl Disease {
    /// COVID-19.
    pub const COVID19: Disease = Disease(0);

    /// Its configuration.
    pub fn info(self) -> &'static DiseaseInfo {
        &DISEASES[self.0 as usize]
    }
    /// The code (`COVID-19`).
    pub fn code(self) -> &'static str {
        self.info().code
    }
}

impl fmt::Display for Disease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Disease {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, CodeError> {
        DISEASES
            .iter()
            .position(|d| d.code.eq_ignore_ascii_case(s) || d.icd10 == s)
            .map(|i| Disease(i as u8))
            .ok_or_else(|| CodeError {
                input: s.to_string(),
                what: "disease",
                expected: DISEASES
                    .iter()
                    .map(|d| d.code)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

impl Serialize for Disease {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Disease {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The ISO 3166-1 table (alpha-2, alpha-3, numeric), codes only.
const COUNTRIES: &str = include_str!("../data/countries.tsv");

fn countries() -> &'static [(&'static str, &'static str, u16)] {
    static TABLE: OnceLock<Vec<(&'static str, &'static str, u16)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        COUNTRIES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("alpha2"))
            .filter_map(|l| {
                let mut f = l.split('\t');
                let (a2, a3, n) = (f.next()?, f.next()?, f.next()?);
                Some((a2, a3, n.parse().ok()?))
            })
            .collect()
    })
}

/// A country of departure, ISO 3166-1. Written as its alpha-2 code (`US`); alpha-3 (`USA`) and
/// numeric (`840`) codes are accepted on input. China itself is no country of departure (an
/// imported case comes from outside the mainland: Hong Kong `HK`, Macao `MO` and Taiwan `TW`
/// are).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Country(u16);

impl Country {
    /// The alpha-2 code.
    pub fn alpha2(self) -> &'static str {
        countries()[self.0 as usize].0
    }
    /// The alpha-3 code.
    pub fn alpha3(self) -> &'static str {
        countries()[self.0 as usize].1
    }
    /// The numeric code.
    pub fn numeric(self) -> u16 {
        countries()[self.0 as usize].2
    }
    /// How many countries the table holds.
    pub fn count() -> usize {
        countries().len()
    }
    /// The country at a position of the table (for generators).
    pub fn nth(i: usize) -> Option<Country> {
        (i < countries().len()).then_some(Country(i as u16))
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.alpha2())
    }
}

impl FromStr for Country {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, CodeError> {
        let t = countries();
        let up = s.trim().to_ascii_uppercase();
        let pos = match up.len() {
            2 => t.iter().position(|c| c.0 == up),
            3 if up.bytes().all(|b| b.is_ascii_digit()) => {
                let n: u16 = up.parse().unwrap_or(0);
                t.iter().position(|c| c.2 == n)
            }
            3 => t.iter().position(|c| c.1 == up),
            _ => None,
        };
        match pos {
            Some(i) if t[i].0 != "CN" => Ok(Country(i as u16)),
            Some(_) => Err(CodeError {
                input: s.to_string(),
                what: "country of departure",
                expected: "a country outside the mainland (HK, MO and TW count as outside)".into(),
            }),
            None => Err(CodeError {
                input: s.to_string(),
                what: "country of departure",
                expected: "an ISO 3166-1 code: alpha-2 (US), alpha-3 (USA) or numeric (840)".into(),
            }),
        }
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.alpha2())
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// The 32 reporting units in code order; `unit_index` is a position in it.
pub fn units() -> &'static [RegionCode; 32] {
    &epiledger_core::ledger::hierarchy::REPORTING_UNITS
}

/// The position of a reporting unit among the 32, if it is one.
pub fn unit_index(code: RegionCode) -> Option<u8> {
    units().binary_search(&code).ok().map(|i| i as u8)
}

/// The county-level places a card or contact may name as residence or institution: every
/// county-level GB/T 2260 code of the registry, and the XPCC (`660000`), whose divisions have no
/// GB/T 2260 code of their own. Sorted; a position fits in a `u16`.
pub fn places() -> &'static [RegionCode] {
    static PLACES: OnceLock<Vec<RegionCode>> = OnceLock::new();
    PLACES.get_or_init(|| {
        let mut v: Vec<RegionCode> = registry()
            .regions()
            .iter()
            .filter(|r| r.level == Level::County && unit_index(r.code.province()).is_some())
            .map(|r| r.code)
            .collect();
        v.push(RegionCode::XPCC);
        v.sort();
        v
    })
}

/// The position of a county-level place in [`places`], if it is one.
pub fn place_index(code: RegionCode) -> Option<u16> {
    places().binary_search(&code).ok().map(|i| i as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_round_trip() {
        for c in Classification::ALL {
            assert_eq!(c.name().parse::<Classification>().unwrap(), *c);
        }
        assert_eq!(
            "确诊病例".parse::<Classification>().unwrap(),
            Classification::Confirmed
        );
        let e = "probable".parse::<Classification>().unwrap_err();
        assert!(
            e.to_string().contains("suspected, clinically_diagnosed"),
            "{e}"
        );
        assert!(Severity::Critical.is_severe() && !Severity::Moderate.is_severe());
        assert_eq!(
            serde_json::to_string(&Outcome::Discharged).unwrap(),
            "\"discharged\""
        );
    }

    #[test]
    fn diseases() {
        assert_eq!("covid-19".parse::<Disease>().unwrap(), Disease::COVID19);
        assert_eq!("U07.1".parse::<Disease>().unwrap(), Disease::COVID19);
        assert!("measles".parse::<Disease>().is_err());
    }

    #[test]
    fn countries_by_any_code() {
        let us: Country = "US".parse().unwrap();
        assert_eq!(("USA".parse::<Country>().unwrap()), us);
        assert_eq!(("840".parse::<Country>().unwrap()), us);
        assert_eq!(us.alpha3(), "USA");
        assert_eq!(us.numeric(), 840);
        assert!("HK".parse::<Country>().is_ok());
        assert!("CN".parse::<Country>().is_err());
        assert!("XX".parse::<Country>().is_err());
        assert!(Country::count() >= 249);
    }

    #[test]
    fn places_are_counties_and_the_xpcc() {
        let pudong = RegionCode::new(310115).unwrap();
        assert!(place_index(pudong).is_some());
        assert!(place_index(RegionCode::XPCC).is_some());
        assert!(place_index(RegionCode::new(310000).unwrap()).is_none());
        assert!(place_index(RegionCode::WUHAN).is_none());
        assert!(places().len() > 2800 && places().len() < u16::MAX as usize);
        assert_eq!(unit_index(RegionCode::new(110000).unwrap()), Some(0));
        assert_eq!(unit_index(RegionCode::XPCC), Some(31));
    }
}
