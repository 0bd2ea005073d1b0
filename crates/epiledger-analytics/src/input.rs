//! The incidence of a region from the ledger: what Rt, growth rates and averages read.
//!
//! What incidence means depends on the period, because the bulletins changed what they report:
//!
//! - **Confirmed cases by origin** ([`Counting::Confirmed`], the default): `confirmed_new`, local
//!   and imported.
//! - **Before imported cases were reported separately** (before the first day the ledger has a
//!   national imported figure of the measure: 2020-03-04 for confirmed cases), every case counts
//!   as local and imported is 0. Imported cases were few then, but not none.
//! - Where one origin is stated and the total too, the other is their difference (all = local +
//!   imported); where the total is 0 both are 0.
//! - **Confirmed plus asymptomatic infections** ([`Counting::ConfirmedAndAsymptomatic`]):
//!   `confirmed_new + asymptomatic_new` by origin, which is what most infections found in 2022
//!   were. Asymptomatic infections were reported from 2020-03-31 on; before that the sum is
//!   absent. An infection first reported as asymptomatic and later reclassified as confirmed is
//!   counted on both days (the bulletins do not give that reclassification by province and
//!   origin throughout).
//! - **Provinces**: a province's figure is the stated one or, with [`ImpliedZeros`], the zero its
//!   absence from a complete list implies ([`crate::implied`]); otherwise the day is absent.

use epiledger_core::{Count, Date, Ledger, Measure, Origin, RegionCode};
use serde::{Deserialize, Serialize};

use crate::implied::{figure, ImpliedZeros};
use crate::incidence::{Cases, Incidence, IncidenceError};

/// Which cases make the incidence.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Counting {
    /// New confirmed cases (`confirmed_new`).
    #[default]
    Confirmed,
    /// New confirmed cases plus new asymptomatic infections.
    ConfirmedAndAsymptomatic,
}

impl Counting {
    /// The measures summed.
    pub fn measures(self) -> &'static [Measure] {
        match self {
            Counting::Confirmed => &[Measure::ConfirmedNew],
            Counting::ConfirmedAndAsymptomatic => {
                &[Measure::ConfirmedNew, Measure::AsymptomaticNew]
            }
        }
    }
}

/// The first day the ledger states a national imported figure of a measure: the start of the
/// split by origin.
pub fn origin_split_start(ledger: &Ledger, measure: Measure) -> Option<Date> {
    let nation = epiledger_core::RegionId::NATION;
    ledger
        .series(&nation, Origin::Imported, measure)
        .present()
        .map(|(d, _)| d)
        .next()
}

/// One measure's cases of a day by origin, by the rules of the module, or `None`.
fn cases_of(
    ledger: &Ledger,
    implied: Option<&ImpliedZeros>,
    date: Date,
    region: RegionCode,
    measure: Measure,
    split_start: Option<Date>,
) -> Option<Cases> {
    let get = |origin| figure(ledger, implied, date, region, origin, measure).map(|k| k.value());
    let all = get(Origin::All);
    if split_start.is_none_or(|s| date < s) {
        // No split yet: a stated local figure is still taken if there is one.
        let local = get(Origin::Local).or(all)?;
        return Some(Cases { local, imported: 0 });
    }
    let (local, imported) = (get(Origin::Local), get(Origin::Imported));
    let pick = |stated: Option<Count>, other: Option<Count>| -> Option<Count> {
        stated
            .or_else(|| match (all, other) {
                (Some(a), Some(o)) if a >= o => Some(a - o),
                _ => None,
            })
            .or_else(|| (all == Some(0)).then_some(0))
    };
    Some(Cases {
        local: pick(local, imported)?,
        imported: pick(imported, local)?,
    })
}

/// The daily incidence of a region over the ledger's whole span, one entry a day, absent where
/// the rules of the module give no figure. `implied`: the implied zeros to complete provinces'
/// series with (`None`: stated figures only).
pub fn incidence_from_ledger(
    ledger: &Ledger,
    implied: Option<&ImpliedZeros>,
    region: RegionCode,
    counting: Counting,
) -> Result<Incidence, IncidenceError> {
    let splits: Vec<(Measure, Option<Date>)> = counting
        .measures()
        .iter()
        .map(|&m| (m, origin_split_start(ledger, m)))
        .collect();
    let rows = ledger.dates().iter().map(|&date| {
        let mut sum = Cases::default();
        for &(m, split) in &splits {
            match cases_of(ledger, implied, date, region, m, split) {
                Some(c) => {
                    sum.local += c.local;
                    sum.imported += c.imported;
                }
                None => return (date, None),
            }
        }
        (date, Some(sum))
    });
    Incidence::from_rows(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use epiledger_core::{Day, Fact, RegionId};

    fn day(date: &str, facts: &[(&str, Origin, Count)]) -> Day {
        let mut d = Day::new(date.parse().unwrap());
        for &(r, o, v) in facts {
            d.facts
                .push(Fact::new(r.parse().unwrap(), o, Measure::ConfirmedNew, v).unwrap());
        }
        d.normalize();
        d
    }

    #[test]
    fn derives_origins_by_period() {
        let ledger = Ledger::from_days([
            day(
                "2020-03-02",
                &[("100000", Origin::All, 10), ("420000", Origin::All, 10)],
            ),
            day(
                "2020-03-03",
                &[("100000", Origin::All, 7), ("100000", Origin::Imported, 2)],
            ),
            day("2020-03-04", &[("100000", Origin::All, 0)]),
            day(
                "2020-03-05",
                &[
                    ("100000", Origin::Local, 1),
                    ("100000", Origin::Imported, 1),
                    ("110000", Origin::Imported, 1),
                    ("420000", Origin::Local, 1),
                ],
            ),
            day("2020-03-06", &[("100000", Origin::Local, 1)]),
        ]);
        let nation =
            incidence_from_ledger(&ledger, None, RegionCode::NATION, Counting::Confirmed).unwrap();
        let c = |l, i| {
            Some(Cases {
                local: l,
                imported: i,
            })
        };
        assert_eq!(nation.days(), &[c(10, 0), c(5, 2), c(0, 0), c(1, 1), None]);
        let zeros = ImpliedZeros::of_ledger(&ledger);
        let hubei = incidence_from_ledger(
            &ledger,
            Some(&zeros),
            RegionCode::HUBEI,
            Counting::Confirmed,
        )
        .unwrap();
        // 03-03: the provinces are not listed, Hubei is absent; 03-04: national 0 implies 0;
        // 03-05: Hubei's imported 0 is implied by Beijing's 1 = the nation's 1.
        assert_eq!(hubei.days(), &[c(10, 0), None, c(0, 0), c(1, 0), None]);
        let stated_only =
            incidence_from_ledger(&ledger, None, RegionCode::HUBEI, Counting::Confirmed).unwrap();
        assert_eq!(stated_only.days()[3], None);
        assert!(ledger
            .get(
                "2020-03-05".parse().unwrap(),
                &RegionId::Code(RegionCode::HUBEI),
                Origin::Imported,
                Measure::ConfirmedNew
            )
            .is_none());
    }
}
