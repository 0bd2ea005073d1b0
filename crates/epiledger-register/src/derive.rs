//! The derivation: the ledger's figures that count people, per reporting day, unit and origin,
//! kept incrementally as events are applied.
//!
//! Every event counts on its recorded day. A day's flows are the forward changes of that day
//! (a card audited that day, an outcome of that day); its stocks and cumulative figures are
//! the state at 24:00; a change that touches what an earlier day counted (a late report, a
//! withdrawal, a correction) is an explicit [`Correction`] of that day, never an edit of the
//! earlier day. A day is closed when an event of a later day arrives; closed days never change,
//! which is what makes `as_of` reads of the past exact.

use std::collections::BTreeMap;
use std::sync::Arc;

use epiledger_core::{
    Correction, CorrectionKind, Count, Date, Day, Fact, Measure, Origin, RegionCode, RegionId,
};

use crate::codes::units;

/// How many units: the 32 reporting units.
pub const UNITS: usize = 32;

/// The origin slots: imported and local cases, and contacts (which have no origin).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Slot {
    /// Imported cases.
    Imported = 0,
    /// Local cases.
    Local = 1,
    /// Close contacts (figures for origin `all` only).
    Contacts = 2,
}

impl Slot {
    fn origin(self) -> Origin {
        match self {
            Slot::Imported => Origin::Imported,
            Slot::Local => Origin::Local,
            Slot::Contacts => Origin::All,
        }
    }
}

/// The measures the register derives, as indices of its counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
#[allow(missing_docs)]
pub enum M {
    ConfirmedNew = 0,
    ConfirmedNewFromAsymptomatic,
    ConfirmedNewClinical,
    DeathsNew,
    SuspectedNew,
    DischargedNew,
    ContactsReleased,
    AsymptomaticNew,
    AsymptomaticToConfirmed,
    AsymptomaticReleased,
    ConfirmedCurrent,
    SevereCurrent,
    SuspectedCurrent,
    ContactsUnderObservation,
    AsymptomaticUnderObservation,
    ConfirmedCumulative,
    DischargedCumulative,
    DeathsCumulative,
    SuspectedCumulative,
    ContactsReleasedCumulative,
    ContactsTracedCumulative,
}

/// How many counters per unit and slot.
pub const NM: usize = 21;
/// The first counter that is a stock or a cumulative (carried from day to day).
const FIRST_STOCK: usize = M::ConfirmedCurrent as usize;

/// Every counter, in counter order (`ALL_M[m as usize] == m`).
pub(crate) const ALL_M: [M; NM] = [
    M::ConfirmedNew,
    M::ConfirmedNewFromAsymptomatic,
    M::ConfirmedNewClinical,
    M::DeathsNew,
    M::SuspectedNew,
    M::DischargedNew,
    M::ContactsReleased,
    M::AsymptomaticNew,
    M::AsymptomaticToConfirmed,
    M::AsymptomaticReleased,
    M::ConfirmedCurrent,
    M::SevereCurrent,
    M::SuspectedCurrent,
    M::ContactsUnderObservation,
    M::AsymptomaticUnderObservation,
    M::ConfirmedCumulative,
    M::DischargedCumulative,
    M::DeathsCumulative,
    M::SuspectedCumulative,
    M::ContactsReleasedCumulative,
    M::ContactsTracedCumulative,
];

impl M {
    /// The ledger's measure.
    pub fn measure(self) -> Measure {
        use Measure as L;
        match self {
            M::ConfirmedNew => L::ConfirmedNew,
            M::ConfirmedNewFromAsymptomatic => L::ConfirmedNewFromAsymptomatic,
            M::ConfirmedNewClinical => L::ConfirmedNewClinical,
            M::DeathsNew => L::DeathsNew,
            M::SuspectedNew => L::SuspectedNew,
            M::DischargedNew => L::DischargedNew,
            M::ContactsReleased => L::ContactsReleased,
            M::AsymptomaticNew => L::AsymptomaticNew,
            M::AsymptomaticToConfirmed => L::AsymptomaticToConfirmed,
            M::AsymptomaticReleased => L::AsymptomaticReleased,
            M::ConfirmedCurrent => L::ConfirmedCurrent,
            M::SevereCurrent => L::SevereCurrent,
            M::SuspectedCurrent => L::SuspectedCurrent,
            M::ContactsUnderObservation => L::ContactsUnderObservation,
            M::AsymptomaticUnderObservation => L::AsymptomaticUnderObservation,
            M::ConfirmedCumulative => L::ConfirmedCumulative,
            M::DischargedCumulative => L::DischargedCumulative,
            M::DeathsCumulative => L::DeathsCumulative,
            M::SuspectedCumulative => L::SuspectedCumulative,
            M::ContactsReleasedCumulative => L::ContactsReleasedCumulative,
            M::ContactsTracedCumulative => L::ContactsTracedCumulative,
        }
    }

    /// Whether it counts contacts (derived for origin `all` only).
    pub fn is_contact(self) -> bool {
        matches!(
            self,
            M::ContactsReleased
                | M::ContactsUnderObservation
                | M::ContactsReleasedCumulative
                | M::ContactsTracedCumulative
        )
    }

    /// The counter of a ledger measure, if the register derives it (`severe_change` is
    /// derived from `severe_current` and its corrections).
    pub fn of(m: Measure) -> Option<M> {
        ALL_M.iter().copied().find(|x| x.measure() == m)
    }
}

/// The measures the register derives: every measure that counts people.
pub fn derived_measures() -> Vec<Measure> {
    let mut v: Vec<Measure> = ALL_M.iter().map(|m| m.measure()).collect();
    v.push(Measure::SevereChange);
    v.sort();
    v
}

/// The counters of one day: per unit, slot and measure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Counts(Box<[[[i64; NM]; 3]; UNITS]>);

impl Counts {
    fn zero() -> Counts {
        Counts(Box::new([[[0; NM]; 3]; UNITS]))
    }
    /// The next day: stocks carried, flows zero.
    fn carried(&self) -> Counts {
        let mut c = self.clone();
        for u in c.0.iter_mut() {
            for s in u.iter_mut() {
                s[..FIRST_STOCK].fill(0);
            }
        }
        c
    }
    #[inline]
    pub(crate) fn get(&self, unit: usize, slot: Slot, m: M) -> i64 {
        self.0[unit][slot as usize][m as usize]
    }
}

/// A correction as the derivation keeps it until it is read as an [`epiledger_core::Correction`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct CorrectionKey {
    unit: u8,
    slot: Slot,
    measure: M,
    increase: bool,
    reason: Arc<str>,
}

/// A derived day's counters and corrections.
#[derive(Clone, Debug, PartialEq, Eq)]
struct DerivedDay {
    counts: Counts,
    corrections: BTreeMap<CorrectionKey, i64>,
}

/// The derivation: the counters of every day from the first event's day on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Derivation {
    first: Option<Date>,
    days: Vec<DerivedDay>,
}

/// What to restore to undo a batch: the number of days and the open day as it was.
#[derive(Clone, Debug)]
pub(crate) struct Mark {
    len: usize,
    open: Option<DerivedDay>,
}

impl Derivation {
    /// An empty derivation.
    pub fn new() -> Derivation {
        Derivation::default()
    }

    /// The first and last derived days.
    pub fn span(&self) -> Option<(Date, Date)> {
        let first = self.first?;
        let last = date_add(first, self.days.len() as i64 - 1);
        Some((first, last))
    }

    /// The open (latest) day, if any.
    pub fn open_day(&self) -> Option<Date> {
        self.span().map(|s| s.1)
    }

    /// Every derived date, in order.
    pub fn dates(&self) -> impl Iterator<Item = Date> + '_ {
        let first = self.first;
        (0..self.days.len()).filter_map(move |i| first.map(|f| date_add(f, i as i64)))
    }

    pub(crate) fn mark(&self) -> Mark {
        Mark {
            len: self.days.len(),
            open: self.days.last().cloned(),
        }
    }

    pub(crate) fn restore(&mut self, mark: Mark) {
        self.days.truncate(mark.len);
        if let Some(open) = mark.open {
            if let Some(last) = self.days.last_mut() {
                *last = open;
            }
        }
        if self.days.is_empty() {
            self.first = None;
        }
    }

    /// Makes `day` the open day (closing the days before it). Returns false if `day` is before
    /// the open day (a closed day never changes).
    pub(crate) fn open(&mut self, day: Date) -> bool {
        let Some(first) = self.first else {
            self.first = Some(day);
            self.days.push(DerivedDay {
                counts: Counts::zero(),
                corrections: BTreeMap::new(),
            });
            return true;
        };
        let idx = day.days_since(first);
        if idx < 0 || (idx as usize) + 1 < self.days.len() {
            return false;
        }
        while self.days.len() <= idx as usize {
            let next = DerivedDay {
                counts: self
                    .days
                    .last()
                    .map_or_else(Counts::zero, |d| d.counts.carried()),
                corrections: BTreeMap::new(),
            };
            self.days.push(next);
        }
        true
    }

    /// Adds to a counter of the open day.
    #[inline]
    pub(crate) fn add(&mut self, unit: u8, slot: Slot, m: M, delta: i64) {
        if let Some(d) = self.days.last_mut() {
            d.counts.0[unit as usize][slot as usize][m as usize] += delta;
        }
    }

    /// Records a correction of the open day (the counter itself is changed by `add`).
    pub(crate) fn correct(&mut self, unit: u8, slot: Slot, m: M, delta: i64, reason: &Arc<str>) {
        if delta == 0 {
            return;
        }
        if let Some(d) = self.days.last_mut() {
            let key = CorrectionKey {
                unit,
                slot,
                measure: m,
                increase: delta > 0,
                reason: reason.clone(),
            };
            *d.corrections.entry(key).or_insert(0) += delta;
        }
    }

    fn position(&self, date: Date) -> Option<usize> {
        let i = date.days_since(self.first?);
        (i >= 0 && (i as usize) < self.days.len()).then_some(i as usize)
    }

    /// The value of a derived figure: `region` the nation or one of the 32 units; `None` for a
    /// day outside the derivation, another region or a measure the register does not derive.
    pub fn value(
        &self,
        date: Date,
        region: RegionCode,
        origin: Origin,
        measure: Measure,
    ) -> Option<Count> {
        let pos = self.position(date)?;
        let unit = if region == RegionCode::NATION {
            None
        } else {
            Some(crate::codes::unit_index(region)? as usize)
        };
        if measure == Measure::SevereChange {
            let today = self.sum(pos, unit, origin, M::SevereCurrent)?;
            let yesterday = if pos == 0 {
                0
            } else {
                self.sum(pos - 1, unit, origin, M::SevereCurrent)?
            };
            let corrected = self.corrections_sum(pos, unit, origin, M::SevereCurrent);
            return Some(today - yesterday - corrected);
        }
        self.sum(pos, unit, origin, M::of(measure)?)
    }

    fn sum(&self, pos: usize, unit: Option<usize>, origin: Origin, m: M) -> Option<i64> {
        let slots: &[Slot] = match (m.is_contact(), origin) {
            (true, Origin::All) => &[Slot::Contacts],
            (true, _) => return None,
            (false, Origin::All) => &[Slot::Imported, Slot::Local],
            (false, Origin::Imported) => &[Slot::Imported],
            (false, Origin::Local) => &[Slot::Local],
        };
        let c = &self.days[pos].counts;
        let units = match unit {
            Some(u) => u..u + 1,
            None => 0..UNITS,
        };
        Some(
            units
                .flat_map(|u| slots.iter().map(move |s| c.get(u, *s, m)))
                .sum(),
        )
    }

    fn corrections_sum(&self, pos: usize, unit: Option<usize>, origin: Origin, m: M) -> i64 {
        self.days[pos]
            .corrections
            .iter()
            .filter(|(k, _)| {
                k.measure == m
                    && unit.is_none_or(|u| k.unit as usize == u)
                    && (origin == Origin::All || k.slot.origin() == origin)
            })
            .map(|(_, v)| *v)
            .sum()
    }

    /// The derived day: every figure of the nation and the 32 units (for the origins `all`,
    /// `imported`, `local`; contacts for `all`), and the day's corrections (per unit and
    /// origin, by kind and reason).
    pub fn day(&self, date: Date) -> Option<Day> {
        let pos = self.position(date)?;
        let mut day = Day::new(date);
        let regions = std::iter::once(RegionCode::NATION).chain(units().iter().copied());
        for region in regions {
            for m in derived_measures() {
                let origins: &[Origin] = match M::of(m) {
                    Some(x) if x.is_contact() => &[Origin::All],
                    _ => &Origin::ALL,
                };
                for &origin in origins {
                    if let Some(v) = self.value(date, region, origin, m) {
                        day.facts.push(Fact {
                            region: RegionId::Code(region),
                            origin,
                            measure: m,
                            value: v,
                        });
                    }
                }
            }
        }
        day.normalize();
        day.corrections = self.corrections(pos);
        Some(day)
    }

    fn corrections(&self, pos: usize) -> Vec<Correction> {
        self.days[pos]
            .corrections
            .iter()
            .filter(|(_, v)| **v != 0)
            .map(|(k, v)| Correction {
                region: RegionId::Code(units()[k.unit as usize]),
                origin: k.slot.origin(),
                measure: k.measure.measure(),
                kind: if *v > 0 {
                    CorrectionKind::Increase
                } else {
                    CorrectionKind::Reduce
                },
                delta: Some(*v),
                restated: None,
                refers_to: None,
                reason: Some(k.reason.to_string()),
            })
            .collect()
    }

    /// The corrections of a day.
    pub fn corrections_on(&self, date: Date) -> Vec<Correction> {
        self.position(date)
            .map(|p| self.corrections(p))
            .unwrap_or_default()
    }

    /// Every derived day, in order.
    pub fn days(&self) -> impl Iterator<Item = Day> + '_ {
        self.dates().filter_map(|d| self.day(d))
    }

    /// The days as they were known at the end of `date` (the days up to it: closed days never
    /// change, so this is exact for any time at or after the end of `date`).
    pub fn days_until(&self, date: Date) -> impl Iterator<Item = Day> + '_ {
        self.dates()
            .take_while(move |d| *d <= date)
            .filter_map(|d| self.day(d))
    }
}

/// `date` plus `n` days.
pub(crate) fn date_add(date: Date, n: i64) -> Date {
    Date::from(date.naive() + chrono::Duration::days(n))
}
