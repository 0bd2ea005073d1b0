//! Implied zeros: the provinces a complete breakdown leaves out had none.
//!
//! A bulletin lists only the provinces that had cases: 新增确诊病例27例，其中境外输入病例4例（广东3例，
//! 上海1例）. Where the listed provinces add up exactly to the national figure, every reporting
//! unit the list leaves out had 0 that day. This module derives those zeros, and only those:
//!
//! - for each (origin, measure) of a **flow** measure (counted over the day: new cases, new
//!   deaths…; never a stock or a running total, which a list does not bound),
//! - whose **national figure is stated**,
//! - and whose stated figures of the 32 reporting units (the 31 provinces and the XPCC) **sum
//!   exactly to it**,
//!
//! each reporting unit without a stated figure for that (origin, measure) gets an implied 0,
//! unless a place inside it (a city, a named area) has a stated figure above 0. A unit the list
//! names only through its places (本土病例1例，在云南德宏州) counts in the sum with its places'
//! figures (the outermost stated places, so that none is counted twice) and its own figure stays
//! missing: it is no implied zero, and deriving it is no business of this module. Where the listed
//! parts do not add up, or the national figure is absent, nothing is implied and the provinces'
//! figures stay missing. A national figure of 0 (无新增死亡病例) implies 0 for every unit.
//!
//! Implied zeros are returned apart from the stated facts, as [`ImpliedZero`]s, so that a stated
//! figure and an implied one stay distinguishable everywhere.

use std::collections::{BTreeMap, HashMap};

use epiledger_core::ledger::hierarchy::{self, is_reporting_unit, REPORTING_UNITS};
use epiledger_core::{
    Count, Date, Day, Ledger, Measure, MeasureKind, Origin, RegionCode, RegionId,
};
use serde::{Deserialize, Serialize};

/// A figure of 0 implied by a complete breakdown: never a stated fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ImpliedZero {
    /// The reporting unit (a province or the XPCC).
    #[serde(with = "crate::dates::region_code")]
    pub region: RegionCode,
    /// The origin of the breakdown.
    pub origin: Origin,
    /// The measure of the breakdown.
    pub measure: Measure,
}

impl ImpliedZero {
    /// The implied value: always 0.
    pub const VALUE: Count = 0;
}

#[derive(Default)]
struct Breakdown<'a> {
    national: Option<Count>,
    /// The stated figures of the reporting units.
    units: BTreeMap<RegionCode, Count>,
    /// The stated figures of places inside reporting units.
    places: BTreeMap<&'a RegionId, Count>,
}

impl Breakdown<'_> {
    /// The sum of the listed parts: each stated unit, and for a unit stated only through its
    /// places, its outermost stated places.
    fn listed_sum(&self) -> Count {
        let units: Count = self.units.values().sum();
        let places: Count = self
            .places
            .iter()
            .filter(|(place, _)| !self.units.contains_key(&place.province()))
            .filter(|(place, _)| {
                hierarchy::ancestors(place)
                    .take_while(|a| !a.is_nation())
                    .all(|a| !self.places.contains_key(&&a))
            })
            .map(|(_, v)| v)
            .sum();
        units + places
    }

    /// Whether a unit has a place inside it stated above 0.
    fn has_cases_inside(&self, unit: RegionCode) -> bool {
        self.places
            .iter()
            .any(|(p, &v)| p.province() == unit && v > 0)
    }
}

/// The zeros that the complete breakdowns of one day imply, sorted by (region, origin, measure).
pub fn implied_zeros(day: &Day) -> Vec<ImpliedZero> {
    let mut breakdowns: BTreeMap<(Origin, Measure), Breakdown<'_>> = BTreeMap::new();
    for f in &day.facts {
        if f.measure.kind() != MeasureKind::Flow {
            continue;
        }
        if !f.region.is_nation() && !is_reporting_unit(f.region.province()) {
            // Hong Kong, Macao, Taiwan: no part of the national figure.
            continue;
        }
        let b = breakdowns.entry((f.origin, f.measure)).or_default();
        match &f.region {
            r if r.is_nation() => b.national = Some(f.value),
            RegionId::Code(c) if is_reporting_unit(*c) => {
                b.units.insert(*c, f.value);
            }
            other => {
                b.places.insert(other, f.value);
            }
        }
    }
    let mut out = Vec::new();
    for ((origin, measure), b) in breakdowns {
        let Some(national) = b.national else { continue };
        if b.listed_sum() != national {
            continue;
        }
        for unit in REPORTING_UNITS {
            if !b.units.contains_key(&unit) && !b.has_cases_inside(unit) {
                out.push(ImpliedZero {
                    region: unit,
                    origin,
                    measure,
                });
            }
        }
    }
    out.sort();
    out
}

/// The implied zeros of a day as facts of value 0, to be written beside its stated facts and
/// marked as implied (never stored as facts).
pub fn implied_facts(day: &Day) -> Vec<epiledger_core::Fact> {
    implied_zeros(day)
        .into_iter()
        .filter_map(|z| {
            epiledger_core::Fact::new(
                RegionId::Code(z.region),
                z.origin,
                z.measure,
                ImpliedZero::VALUE,
            )
            .ok()
        })
        .collect()
}

/// The implied zeros of every day of a ledger, for look-ups while building series.
#[derive(Clone, Debug, Default)]
pub struct ImpliedZeros {
    /// Per (date, origin, measure): the reporting units with an implied zero, one bit each in
    /// the order of `REPORTING_UNITS`.
    zeros: HashMap<(Date, Origin, Measure), u32>,
    count: usize,
}

fn unit_bit(region: RegionCode) -> Option<u32> {
    REPORTING_UNITS
        .iter()
        .position(|&u| u == region)
        .map(|i| 1u32 << i)
}

impl ImpliedZeros {
    /// The implied zeros of every day of the ledger.
    pub fn of_ledger(ledger: &Ledger) -> ImpliedZeros {
        let mut zeros: HashMap<(Date, Origin, Measure), u32> = HashMap::new();
        let mut count = 0;
        for day in ledger.days() {
            let Some(date) = day.date else { continue };
            for z in implied_zeros(day) {
                if let Some(bit) = unit_bit(z.region) {
                    *zeros.entry((date, z.origin, z.measure)).or_default() |= bit;
                    count += 1;
                }
            }
        }
        ImpliedZeros { zeros, count }
    }

    /// Whether a figure is an implied zero.
    pub fn contains(
        &self,
        date: Date,
        region: RegionCode,
        origin: Origin,
        measure: Measure,
    ) -> bool {
        match (unit_bit(region), self.zeros.get(&(date, origin, measure))) {
            (Some(bit), Some(mask)) => mask & bit != 0,
            _ => false,
        }
    }

    /// How many implied zeros.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// A figure with how it is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Known {
    /// Stated by the source.
    Stated(Count),
    /// An implied zero.
    Implied,
}

impl Known {
    /// The value.
    pub fn value(self) -> Count {
        match self {
            Known::Stated(v) => v,
            Known::Implied => ImpliedZero::VALUE,
        }
    }
}

/// The figure of (date, region, origin, measure): stated, implied 0, or absent (`None`).
pub fn figure(
    ledger: &Ledger,
    implied: Option<&ImpliedZeros>,
    date: Date,
    region: RegionCode,
    origin: Origin,
    measure: Measure,
) -> Option<Known> {
    if let Some(v) = ledger.get(date, &RegionId::Code(region), origin, measure) {
        return Some(Known::Stated(v));
    }
    implied
        .filter(|z| z.contains(date, region, origin, measure))
        .map(|_| Known::Implied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use epiledger_core::Fact;
    use proptest::prelude::*;

    fn fact(region: &str, origin: Origin, measure: Measure, value: Count) -> Fact {
        Fact::new(region.parse().unwrap(), origin, measure, value).unwrap()
    }

    fn day(facts: Vec<Fact>) -> Day {
        let mut d = Day::new("2020-06-19".parse().unwrap());
        d.facts = facts;
        d.normalize();
        d
    }

    #[test]
    fn the_bulletin_of_2020_06_19() {
        use Measure::ConfirmedNew as C;
        let d = day(vec![
            fact("100000", Origin::All, C, 27),
            fact("100000", Origin::Imported, C, 4),
            fact("100000", Origin::Local, C, 23),
            fact("440000", Origin::Imported, C, 3),
            fact("310000", Origin::Imported, C, 1),
            fact("110000", Origin::Local, C, 22),
            fact("130000", Origin::Local, C, 1),
            // A cumulative figure is never completed.
            fact("100000", Origin::All, Measure::ConfirmedCumulative, 83352),
        ]);
        let z = implied_zeros(&d);
        let imported: Vec<_> = z.iter().filter(|z| z.origin == Origin::Imported).collect();
        let local: Vec<_> = z.iter().filter(|z| z.origin == Origin::Local).collect();
        assert_eq!(imported.len(), 30);
        assert_eq!(local.len(), 30);
        assert!(!imported
            .iter()
            .any(|z| z.region.get() == 440000 || z.region.get() == 310000));
        assert!(local.iter().any(|z| z.region == RegionCode::XPCC));
        // The provinces' "all" figures are not stated: 0 ≠ 27, nothing is implied.
        assert!(!z.iter().any(|z| z.origin == Origin::All));
        assert!(!z.iter().any(|z| z.measure == Measure::ConfirmedCumulative));
    }

    #[test]
    fn incomplete_or_absent_breakdowns_imply_nothing() {
        use Measure::ConfirmedNew as C;
        let d = day(vec![
            fact("100000", Origin::Local, C, 23),
            fact("110000", Origin::Local, C, 22),
        ]);
        assert!(implied_zeros(&d).is_empty());
        let d = day(vec![fact("110000", Origin::Local, C, 22)]);
        assert!(implied_zeros(&d).is_empty());
    }

    #[test]
    fn a_stated_national_zero_implies_zero_everywhere() {
        let d = day(vec![fact("100000", Origin::All, Measure::DeathsNew, 0)]);
        assert_eq!(implied_zeros(&d).len(), 32);
    }

    #[test]
    fn a_unit_listed_through_its_places_counts_in_the_sum() {
        use Measure::ConfirmedNew as C;
        // 2021-09-01: 本土病例1例（在云南德宏州）.
        let d = day(vec![
            fact("100000", Origin::Local, C, 1),
            fact("533100", Origin::Local, C, 1),
        ]);
        let z = implied_zeros(&d);
        assert_eq!(z.len(), 31);
        assert!(!z.iter().any(|z| z.region.get() == 530000));
        // A city and a district inside it count once.
        let d = day(vec![
            fact("100000", Origin::Local, C, 3),
            fact("420100", Origin::Local, C, 3),
            fact("420106", Origin::Local, C, 2),
        ]);
        assert_eq!(implied_zeros(&d).len(), 31);
    }

    #[test]
    fn a_unit_with_a_place_stated_inside_it_is_not_zeroed() {
        use Measure::ConfirmedNew as C;
        let d = day(vec![
            fact("100000", Origin::Local, C, 3),
            fact("110000", Origin::Local, C, 2),
            fact("420100", Origin::Local, C, 1),
        ]);
        let z = implied_zeros(&d);
        assert_eq!(z.len(), 30);
        assert!(!z.iter().any(|z| z.region == RegionCode::HUBEI));
    }

    proptest! {
        /// With a complete breakdown, stated and implied figures cover the 32 units exactly
        /// once and add up to the national figure; with an incomplete one nothing is implied.
        #[test]
        fn implied_zeros_complete_the_breakdown(
            stated in proptest::collection::btree_map(0usize..32, 0i64..500, 0..32),
            offset in -3i64..3,
        ) {
            let units: Vec<(RegionCode, Count)> =
                stated.iter().map(|(&i, &v)| (REPORTING_UNITS[i], v)).collect();
            let sum: Count = units.iter().map(|(_, v)| v).sum();
            let national = (sum + offset).max(0);
            let mut facts = vec![fact("100000", Origin::Local, Measure::ConfirmedNew, national)];
            for (c, v) in &units {
                facts.push(Fact::new(RegionId::Code(*c), Origin::Local, Measure::ConfirmedNew, *v).unwrap());
            }
            let z = implied_zeros(&day(facts));
            if national == sum {
                prop_assert_eq!(z.len() + units.len(), 32);
                for u in REPORTING_UNITS {
                    let is_stated = units.iter().any(|(c, _)| *c == u);
                    let is_implied = z.iter().any(|z| z.region == u);
                    prop_assert!(is_stated != is_implied);
                }
                let total: Count = sum + z.len() as Count * ImpliedZero::VALUE;
                prop_assert_eq!(total, national);
            } else {
                prop_assert!(z.is_empty());
            }
        }
    }
}
