//! The measures of the ledger: what a figure counts, and whether it is a flow over the day, a
//! stock at 24:00, a running total, a day-on-day change or a count of reporting regions.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How a measure behaves over time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum MeasureKind {
    /// Counted over the day, 0–24h.
    Flow,
    /// A stock at 24:00.
    Stock,
    /// A running total since the start of reporting.
    Cumulative,
    /// The change of a stock on the previous day; the only kind whose values may be negative.
    Change,
    /// How many provincial-level regions reported something (early 2020 bulletins).
    Coverage,
}

macro_rules! measures {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, $kind:ident, $zh:literal, $en:literal; )*) => {
        /// A measure of the ledger. Its machine name is snake_case (`confirmed_new`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Measure {
            $( $(#[$doc])* $variant, )*
        }

        impl Measure {
            /// Every measure, in the order of the bulletin.
            pub const ALL: &'static [Measure] = &[$(Measure::$variant),*];

            /// The machine name, for example `confirmed_new`.
            pub fn name(self) -> &'static str {
                match self { $(Measure::$variant => $name,)* }
            }
            /// Flow, stock, cumulative, change or coverage.
            pub fn kind(self) -> MeasureKind {
                match self { $(Measure::$variant => MeasureKind::$kind,)* }
            }
            /// The Chinese label, in the bulletin's terms.
            pub fn zh(self) -> &'static str {
                match self { $(Measure::$variant => $zh,)* }
            }
            /// The English label, in the terms of the NHC's English briefing.
            pub fn en(self) -> &'static str {
                match self { $(Measure::$variant => $en,)* }
            }
        }
    };
}

measures! {
    /// New confirmed cases over the day.
    ConfirmedNew = "confirmed_new", Flow, "新增确诊病例", "new confirmed cases";
    /// Of the new confirmed cases, those reclassified from asymptomatic infections.
    ConfirmedNewFromAsymptomatic = "confirmed_new_from_asymptomatic", Flow,
        "新增确诊病例中由无症状感染者转为确诊病例", "new confirmed cases reclassified from asymptomatic infections";
    /// Of the new confirmed cases, Hubei's clinically diagnosed cases (February 2020).
    ConfirmedNewClinical = "confirmed_new_clinical", Flow,
        "新增确诊病例中临床诊断病例", "new clinically diagnosed cases";
    /// New deaths.
    DeathsNew = "deaths_new", Flow, "新增死亡病例", "new deaths";
    /// New suspected cases.
    SuspectedNew = "suspected_new", Flow, "新增疑似病例", "new suspected cases";
    /// Cases discharged after recovery over the day.
    DischargedNew = "discharged_new", Flow, "新增治愈出院病例", "newly discharged cases";
    /// Close contacts released from medical observation over the day.
    ContactsReleased = "contacts_released", Flow,
        "解除医学观察的密切接触者", "close contacts released from medical observation";
    /// New asymptomatic infections.
    AsymptomaticNew = "asymptomatic_new", Flow, "新增无症状感染者", "new asymptomatic infections";
    /// Asymptomatic infections reclassified as confirmed cases over the day.
    AsymptomaticToConfirmed = "asymptomatic_to_confirmed", Flow,
        "无症状感染者转为确诊病例", "asymptomatic infections reclassified as confirmed cases";
    /// Asymptomatic infections released from medical observation over the day.
    AsymptomaticReleased = "asymptomatic_released", Flow,
        "解除医学观察的无症状感染者", "asymptomatic infections released from medical observation";
    /// The day-on-day change in severe cases (新增重症病例 / 重症病例较前一日增加N例). Signed.
    SevereChange = "severe_change", Change, "重症病例较前一日变化", "change in severe cases on the previous day";
    /// Active (current) confirmed cases at 24:00.
    ConfirmedCurrent = "confirmed_current", Stock, "现有确诊病例", "active confirmed cases";
    /// Severe cases among the active cases at 24:00.
    SevereCurrent = "severe_current", Stock, "现有重症病例", "severe cases";
    /// Suspected cases at 24:00.
    SuspectedCurrent = "suspected_current", Stock, "现有疑似病例", "suspected cases";
    /// Close contacts still under medical observation at 24:00.
    ContactsUnderObservation = "contacts_under_observation", Stock,
        "尚在医学观察的密切接触者", "close contacts under medical observation";
    /// Asymptomatic infections still under medical observation at 24:00.
    AsymptomaticUnderObservation = "asymptomatic_under_observation", Stock,
        "尚在医学观察的无症状感染者", "asymptomatic infections under medical observation";
    /// Confirmed cases, cumulative.
    ConfirmedCumulative = "confirmed_cumulative", Cumulative, "累计确诊病例", "cumulative confirmed cases";
    /// Discharged cases, cumulative.
    DischargedCumulative = "discharged_cumulative", Cumulative, "累计治愈出院病例", "cumulative discharged cases";
    /// Deaths, cumulative.
    DeathsCumulative = "deaths_cumulative", Cumulative, "累计死亡病例", "cumulative deaths";
    /// Suspected cases, cumulative (January 2020 only).
    SuspectedCumulative = "suspected_cumulative", Cumulative, "累计疑似病例", "cumulative suspected cases";
    /// Close contacts released from medical observation, cumulative (January 2020).
    ContactsReleasedCumulative = "contacts_released_cumulative", Cumulative,
        "累计解除医学观察的密切接触者", "close contacts released from medical observation, cumulative";
    /// Close contacts traced, cumulative.
    ContactsTracedCumulative = "contacts_traced_cumulative", Cumulative,
        "累计追踪到密切接触者", "close contacts traced, cumulative";
    /// Provincial-level regions that have reported the epidemic (全国共有N个省份报告疫情).
    RegionsReporting = "regions_reporting", Coverage,
        "报告疫情的省份数", "regions that have reported cases";
    /// Provincial-level regions that reported new confirmed cases (early 2020).
    RegionsConfirmedNew = "regions_confirmed_new", Coverage,
        "报告新增确诊病例的省份数", "regions reporting new confirmed cases";
    /// Provincial-level regions that reported new suspected cases (early 2020).
    RegionsSuspectedNew = "regions_suspected_new", Coverage,
        "报告新增疑似病例的省份数", "regions reporting new suspected cases";
    /// Provincial-level regions with confirmed cases, cumulative (early 2020).
    RegionsConfirmedCumulative = "regions_confirmed_cumulative", Coverage,
        "累计报告确诊病例的省份数", "regions that have reported confirmed cases";
    /// Provincial-level regions with suspected cases, cumulative (early 2020).
    RegionsSuspectedCumulative = "regions_suspected_cumulative", Coverage,
        "累计报告疑似病例的省份数", "regions that have reported suspected cases";
}

impl Measure {
    /// Whether a value of this measure may be negative (only changes may).
    pub fn is_signed(self) -> bool {
        self.kind() == MeasureKind::Change
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A measure name that is not known, with the names closest to it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown measure `{input}`; did you mean {}? (`epiledger measures` lists them all)", .suggestions.join(", "))]
pub struct MeasureError {
    /// What was given.
    pub input: String,
    /// The nearest known names.
    pub suggestions: Vec<&'static str>,
}

impl FromStr for Measure {
    type Err = MeasureError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s;
        if let Some(m) = Measure::ALL.iter().find(|m| m.name() == t || m.zh() == t) {
            return Ok(*m);
        }
        let mut ranked: Vec<(usize, &'static str)> = Measure::ALL
            .iter()
            .map(|m| (edit_distance(t, m.name()), m.name()))
            .collect();
        ranked.sort();
        Err(MeasureError {
            input: t.to_string(),
            suggestions: ranked.into_iter().take(3).map(|(_, n)| n).collect(),
        })
    }
}

impl Serialize for Measure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Measure {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Levenshtein distance over characters, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for m in Measure::ALL {
            assert_eq!(m.name().parse::<Measure>().unwrap(), *m);
        }
    }

    #[test]
    fn unknown_names_suggest() {
        let e = "confirmed_nwe".parse::<Measure>().unwrap_err();
        assert_eq!(e.suggestions[0], "confirmed_new");
    }
}
