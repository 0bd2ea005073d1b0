//! The identities that the ledger's figures satisfy, checked per day, region and origin
//! wherever all their terms exist (a missing figure is never taken as zero).
//!
//! Balance, Accumulation and Stock are written as [`Equation`]s:
//! `lhs(t) = Σ sign·term + Σ sign·corrections(t)`, where a correction counts for a region
//! when it concerns that region or a region inside it (a province's 核减 explains the
//! nation's figure), and for an origin when it has that origin or the origin is `all`.
//! A correction counts by its `delta`. A correction of day `t` that restates (`restated`)
//! the figure of day `t − 1` (`refers_to`) for the checked region and origin replaces that
//! `t − 1` value instead; made for a region inside, it counts as `restated − reported`.
//! A restatement of any other day only explains breaks (see `audit`).
//!
//! Origins (`all = imported + local`) and Parts (parts sum to no more than their region; the
//! 32 units sum to the nation) are checked across figures of the same day.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Measure, MeasureKind};

/// An identity of the ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Identity {
    /// confirmed_cumulative = confirmed_current + discharged_cumulative + deaths_cumulative.
    Balance,
    /// A cumulative grows by its flow and the day's corrections.
    Accumulation,
    /// A stock moves by its flows and the day's corrections.
    Stock,
    /// all = imported + local.
    Origins,
    /// Parts sum to no more than their region; the 32 units to the nation.
    Parts,
}

impl Identity {
    /// Every identity.
    pub const ALL: [Identity; 5] = [
        Identity::Balance,
        Identity::Accumulation,
        Identity::Stock,
        Identity::Origins,
        Identity::Parts,
    ];

    /// The machine name (`balance`).
    pub fn name(self) -> &'static str {
        match self {
            Identity::Balance => "balance",
            Identity::Accumulation => "accumulation",
            Identity::Stock => "stock",
            Identity::Origins => "origins",
            Identity::Parts => "parts",
        }
    }

    /// A one-line description.
    pub fn description(self) -> &'static str {
        match self {
            Identity::Balance => {
                "confirmed_cumulative = confirmed_current + discharged_cumulative + deaths_cumulative"
            }
            Identity::Accumulation => {
                "cumulative(t) = cumulative(t−1) + flow(t) + corrections(t); contacts traced grow by at \
                 least the change in observation plus those released"
            }
            Identity::Stock => "stock(t) = stock(t−1) + inflows(t) − outflows(t) + corrections(t)",
            Identity::Origins => "all = imported + local",
            Identity::Parts => {
                "a region's parts sum to no more than the region; the 32 units sum to the nation \
                 (equal when all 32 report)"
            }
        }
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which day a term is read on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lag {
    /// The checked day `t`.
    Today,
    /// The day before, `t − 1`.
    Yesterday,
}

/// One term of an equation: a measure on a day, added (`+1`) or subtracted (`−1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    /// The measure.
    pub measure: Measure,
    /// Which day.
    pub lag: Lag,
    /// `+1` or `−1`.
    pub sign: i64,
}

/// An identity as an equation: `lhs(t) = Σ terms + Σ sign·corrections(t)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Equation {
    /// The identity it belongs to.
    pub identity: Identity,
    /// The measure found on the left-hand side, on day `t`.
    pub lhs: Measure,
    /// The right-hand side.
    pub terms: &'static [Term],
    /// The corrected measures that count, with their signs.
    pub corrections: &'static [(Measure, i64)],
    /// The equation, written out.
    pub formula: &'static str,
    /// Whether the left-hand side may exceed the right (an inequality): contacts leave
    /// observation in ways the bulletins do not count (they become cases), so the contacts
    /// traced grow by at least the change in observation plus those released.
    pub at_least: bool,
}

impl Equation {
    /// Every measure the equation reads, the left-hand side first.
    pub fn measures(&self) -> impl Iterator<Item = Measure> + '_ {
        std::iter::once(self.lhs)
            .chain(self.terms.iter().map(|t| t.measure))
            .chain(self.corrections.iter().map(|c| c.0))
    }

    /// Whether the equation reads a measure.
    pub fn involves(&self, m: Measure) -> bool {
        self.measures().any(|x| x == m)
    }

    /// The sign with which corrections of a measure count, if they do.
    pub fn correction_sign(&self, m: Measure) -> Option<i64> {
        self.corrections.iter().find(|c| c.0 == m).map(|c| c.1)
    }

    /// Whether the measure is read on `t − 1` (so a restatement of it can replace it).
    pub fn reads_yesterday(&self, m: Measure) -> bool {
        self.terms
            .iter()
            .any(|t| t.lag == Lag::Yesterday && t.measure == m)
    }
}

const fn t(measure: Measure, lag: Lag, sign: i64) -> Term {
    Term { measure, lag, sign }
}

use Lag::{Today, Yesterday};
use Measure as M;

/// The Balance, Accumulation and Stock equations.
///
/// The confirmed stock counts corrections of the cumulatives as Balance implies: a 核减 of
/// deaths or discharged cases leaves the cases active (`−` sign), one of confirmed cases
/// removes them.
pub const EQUATIONS: &[Equation] = &[
    Equation {
        identity: Identity::Balance,
        lhs: M::ConfirmedCumulative,
        terms: &[
            t(M::ConfirmedCurrent, Today, 1),
            t(M::DischargedCumulative, Today, 1),
            t(M::DeathsCumulative, Today, 1),
        ],
        corrections: &[],
        formula: "confirmed_cumulative = confirmed_current + discharged_cumulative + deaths_cumulative",
        at_least: false,
    },
    Equation {
        identity: Identity::Accumulation,
        lhs: M::ConfirmedCumulative,
        terms: &[
            t(M::ConfirmedCumulative, Yesterday, 1),
            t(M::ConfirmedNew, Today, 1),
        ],
        corrections: &[(M::ConfirmedCumulative, 1)],
        formula: "confirmed_cumulative(t) = confirmed_cumulative(t−1) + confirmed_new(t) + corrections(t)",
        at_least: false,
    },
    Equation {
        identity: Identity::Accumulation,
        lhs: M::DischargedCumulative,
        terms: &[
            t(M::DischargedCumulative, Yesterday, 1),
            t(M::DischargedNew, Today, 1),
        ],
        corrections: &[(M::DischargedCumulative, 1)],
        formula: "discharged_cumulative(t) = discharged_cumulative(t−1) + discharged_new(t) + corrections(t)",
        at_least: false,
    },
    Equation {
        identity: Identity::Accumulation,
        lhs: M::DeathsCumulative,
        terms: &[
            t(M::DeathsCumulative, Yesterday, 1),
            t(M::DeathsNew, Today, 1),
        ],
        corrections: &[(M::DeathsCumulative, 1)],
        formula: "deaths_cumulative(t) = deaths_cumulative(t−1) + deaths_new(t) + corrections(t)",
        at_least: false,
    },
    Equation {
        identity: Identity::Accumulation,
        lhs: M::ContactsTracedCumulative,
        terms: &[
            t(M::ContactsTracedCumulative, Yesterday, 1),
            t(M::ContactsUnderObservation, Today, 1),
            t(M::ContactsUnderObservation, Yesterday, -1),
            t(M::ContactsReleased, Today, 1),
        ],
        corrections: &[(M::ContactsTracedCumulative, 1), (M::ContactsUnderObservation, -1)],
        formula: "contacts_traced_cumulative(t) ≥ contacts_traced_cumulative(t−1) \
                  + contacts_under_observation(t) − contacts_under_observation(t−1) \
                  + contacts_released(t) + corrections(t)",
        at_least: true,
    },
    Equation {
        identity: Identity::Stock,
        lhs: M::ConfirmedCurrent,
        terms: &[
            t(M::ConfirmedCurrent, Yesterday, 1),
            t(M::ConfirmedNew, Today, 1),
            t(M::DischargedNew, Today, -1),
            t(M::DeathsNew, Today, -1),
        ],
        corrections: &[
            (M::ConfirmedCumulative, 1),
            (M::ConfirmedCurrent, 1),
            (M::DischargedCumulative, -1),
            (M::DeathsCumulative, -1),
        ],
        formula: "confirmed_current(t) = confirmed_current(t−1) + confirmed_new(t) \
                  − discharged_new(t) − deaths_new(t) + corrections(t)",
        at_least: false,
    },
    Equation {
        identity: Identity::Stock,
        lhs: M::AsymptomaticUnderObservation,
        terms: &[
            t(M::AsymptomaticUnderObservation, Yesterday, 1),
            t(M::AsymptomaticNew, Today, 1),
            t(M::AsymptomaticToConfirmed, Today, -1),
            t(M::AsymptomaticReleased, Today, -1),
        ],
        corrections: &[(M::AsymptomaticUnderObservation, 1)],
        formula: "asymptomatic_under_observation(t) = asymptomatic_under_observation(t−1) \
                  + asymptomatic_new(t) − asymptomatic_to_confirmed(t) \
                  − asymptomatic_released(t) + corrections(t)",
        at_least: false,
    },
    Equation {
        identity: Identity::Stock,
        lhs: M::SevereCurrent,
        terms: &[
            t(M::SevereCurrent, Yesterday, 1),
            t(M::SevereChange, Today, 1),
        ],
        corrections: &[(M::SevereCurrent, 1)],
        formula: "severe_current(t) = severe_current(t−1) + severe_change(t) + corrections(t)",
        at_least: false,
    },
];

/// The equation of an identity with this left-hand side (none for Origins and Parts).
pub fn equation(identity: Identity, lhs: Measure) -> Option<&'static Equation> {
    EQUATIONS
        .iter()
        .find(|e| e.identity == identity && e.lhs == lhs)
}

/// The flow of a cumulative or the cumulative of a flow (`deaths_new` ↔ `deaths_cumulative`),
/// and `severe_change` ↔ `severe_current`.
pub fn partner(m: Measure) -> Option<Measure> {
    const PAIRS: [(Measure, Measure); 5] = [
        (M::ConfirmedNew, M::ConfirmedCumulative),
        (M::DischargedNew, M::DischargedCumulative),
        (M::DeathsNew, M::DeathsCumulative),
        (M::SuspectedNew, M::SuspectedCumulative),
        (M::SevereChange, M::SevereCurrent),
    ];
    PAIRS.iter().find_map(|&(a, b)| {
        if a == m {
            Some(b)
        } else if b == m {
            Some(a)
        } else {
            None
        }
    })
}

/// Whether Parts checks a measure: flows, stocks and cumulatives, not coverage or changes.
pub fn is_additive(m: Measure) -> bool {
    matches!(
        m.kind(),
        MeasureKind::Flow | MeasureKind::Stock | MeasureKind::Cumulative
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equations_are_unique_and_well_formed() {
        for (i, e) in EQUATIONS.iter().enumerate() {
            assert_eq!(equation(e.identity, e.lhs), Some(e), "{i}");
            assert!(matches!(
                e.identity,
                Identity::Balance | Identity::Accumulation | Identity::Stock
            ));
            assert!(e.terms.iter().all(|t| t.sign == 1 || t.sign == -1));
            assert!(e.involves(e.lhs));
        }
        assert!(equation(Identity::Origins, M::ConfirmedNew).is_none());
    }

    #[test]
    fn partners_are_symmetric() {
        for m in Measure::ALL {
            if let Some(p) = partner(*m) {
                assert_eq!(partner(p), Some(*m));
            }
        }
        assert_eq!(partner(M::DeathsNew), Some(M::DeathsCumulative));
        assert!(!is_additive(M::SevereChange));
        assert!(!is_additive(M::RegionsConfirmedNew));
        assert!(is_additive(M::ContactsTracedCumulative));
    }

    #[test]
    fn identities_serialize_by_name() {
        for i in Identity::ALL {
            assert_eq!(
                serde_json::to_string(&i).unwrap(),
                format!("\"{}\"", i.name())
            );
            assert!(!i.description().is_empty());
        }
    }
}
