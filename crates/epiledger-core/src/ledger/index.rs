//! The index of the ledger: every dated figure by (date, region, origin, measure).

use std::collections::btree_map::{BTreeMap, Entry};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use super::hierarchy;
use crate::{Correction, Count, Date, Day, Fact, FactError, Measure, Note, Origin, RegionId};

/// A small fast hasher for the index's keys (Fx-style, with a folded-multiply finish).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FxHasher {
    hash: u64,
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    fn write_u16(&mut self, i: u16) {
        self.write_u64(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn write_u64(&mut self, i: u64) {
        self.hash = (self.hash.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        let p = u128::from(self.hash) * 0x9e37_79b9_7f4a_7c15;
        (p as u64) ^ ((p >> 64) as u64)
    }
}

/// A hash map with [`FxHasher`].
pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// How many measures there are; `measure as usize` indexes them.
pub(crate) const N_MEASURES: usize = Measure::ALL.len();

/// The packed key of a figure within a day.
pub(crate) fn key(rix: u32, origin: Origin, measure: Measure) -> u64 {
    (u64::from(rix) << 16) | ((origin as u64) << 8) | measure as u64
}

/// One figure of a day, with its region interned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cell {
    pub rix: u32,
    pub origin: Origin,
    pub measure: Measure,
    pub value: Count,
}

#[derive(Clone, Debug, Default)]
struct DayIndex {
    /// Sorted by (region index, origin, measure).
    cells: Vec<Cell>,
    values: FxMap<u64, Count>,
}

/// Many days indexed for fast look-up by (date, region, origin, measure).
///
/// Days of the same date are merged (facts, corrections and notes); where two facts of a
/// date disagree the first is kept and the disagreement is listed in [`Ledger::conflicts`].
/// Days without a date are left out and counted in [`Ledger::undated`].
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    days: Vec<Day>,
    dates: Vec<Date>,
    index: Vec<DayIndex>,
    positions: FxMap<Date, usize>,
    regions: Vec<RegionId>,
    region_ix: FxMap<RegionId, u32>,
    /// Per region index: the indices of the regions it lies in that the ledger knows.
    ancestors: Vec<Vec<u32>>,
    /// Per region index: whether it is one of the 32 reporting units.
    units: Vec<bool>,
    conflicts: Vec<(Date, FactError)>,
    undated: usize,
}

impl Ledger {
    /// The ledger of these days, in any order.
    pub fn from_days(days: impl IntoIterator<Item = Day>) -> Ledger {
        let mut merged: BTreeMap<Date, Day> = BTreeMap::new();
        let mut ledger = Ledger::default();
        for day in days {
            let Some(date) = day.date else {
                ledger.undated += 1;
                continue;
            };
            match merged.entry(date) {
                Entry::Vacant(e) => {
                    e.insert(day);
                }
                Entry::Occupied(mut e) => {
                    let d = e.get_mut();
                    d.facts.extend(day.facts);
                    d.corrections.extend(day.corrections);
                    d.notes.extend(day.notes);
                }
            }
        }
        for (date, mut day) in merged {
            canonical_facts(date, &mut day.facts, &mut ledger.conflicts);
            let mut cells: Vec<Cell> = day
                .facts
                .iter()
                .map(|f| Cell {
                    rix: ledger.intern(&f.region),
                    origin: f.origin,
                    measure: f.measure,
                    value: f.value,
                })
                .collect();
            cells.sort_by_key(|c| (c.rix, c.origin, c.measure));
            let values = cells
                .iter()
                .map(|c| (key(c.rix, c.origin, c.measure), c.value))
                .collect();
            ledger.positions.insert(date, ledger.days.len());
            ledger.days.push(day);
            ledger.dates.push(date);
            ledger.index.push(DayIndex { cells, values });
        }
        let ancestors = ledger
            .regions
            .iter()
            .map(|r| {
                hierarchy::ancestors(r)
                    .filter_map(|a| ledger.region_ix.get(&a).copied())
                    .collect()
            })
            .collect();
        ledger.ancestors = ancestors;
        ledger.units = ledger
            .regions
            .iter()
            .map(|r| matches!(r, RegionId::Code(c) if hierarchy::is_reporting_unit(*c)))
            .collect();
        ledger
    }

    fn intern(&mut self, region: &RegionId) -> u32 {
        if let Some(&i) = self.region_ix.get(region) {
            return i;
        }
        let i = u32::try_from(self.regions.len()).expect("fewer than 2^32 regions");
        self.regions.push(region.clone());
        self.region_ix.insert(region.clone(), i);
        i
    }

    /// The value of a figure, if the ledger has it (missing is not zero).
    pub fn get(
        &self,
        date: Date,
        region: &RegionId,
        origin: Origin,
        measure: Measure,
    ) -> Option<Count> {
        let pos = self.position(date)?;
        let rix = *self.region_ix.get(region)?;
        self.value(pos, rix, origin, measure)
    }

    /// The (merged) day of a date.
    pub fn day(&self, date: Date) -> Option<&Day> {
        self.position(date).map(|p| &self.days[p])
    }

    /// Every day, in date order.
    pub fn days(&self) -> &[Day] {
        &self.days
    }

    /// The days from `from` to `to`, both included; `None` leaves that end open.
    pub fn days_between(&self, from: Option<Date>, to: Option<Date>) -> &[Day] {
        &self.days[self.span(from, to)]
    }

    /// Every date, in order.
    pub fn dates(&self) -> &[Date] {
        &self.dates
    }

    /// The first date.
    pub fn first_date(&self) -> Option<Date> {
        self.dates.first().copied()
    }

    /// The last date.
    pub fn last_date(&self) -> Option<Date> {
        self.dates.last().copied()
    }

    /// How many dates.
    pub fn len(&self) -> usize {
        self.days.len()
    }

    /// Whether there is no day.
    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }

    /// The corrections stated on a date (empty if none or no such day).
    pub fn corrections_on(&self, date: Date) -> &[Correction] {
        self.day(date).map_or(&[], |d| &d.corrections)
    }

    /// The notes of a date (empty if none or no such day).
    pub fn notes_on(&self, date: Date) -> &[Note] {
        self.day(date).map_or(&[], |d| &d.notes)
    }

    /// Every region that has a figure, in order of first appearance.
    pub fn regions(&self) -> &[RegionId] {
        &self.regions
    }

    /// One figure over every date: `(date, value)`, with `None` where the figure is absent.
    pub fn series(&self, region: &RegionId, origin: Origin, measure: Measure) -> Series<'_> {
        Series {
            ledger: self,
            rix: self.region_ix.get(region).copied(),
            origin,
            measure,
            range: 0..self.days.len(),
        }
    }

    /// Figures given twice for the same date with different values (the first was kept).
    pub fn conflicts(&self) -> &[(Date, FactError)] {
        &self.conflicts
    }

    /// How many days without a date were left out.
    pub fn undated(&self) -> usize {
        self.undated
    }

    // ---- crate-internal access for the checks ----

    pub(crate) fn position(&self, date: Date) -> Option<usize> {
        self.positions.get(&date).copied()
    }

    pub(crate) fn span(&self, from: Option<Date>, to: Option<Date>) -> Range<usize> {
        let start = from.map_or(0, |f| self.dates.partition_point(|d| *d < f));
        let end = to.map_or(self.dates.len(), |t| {
            self.dates.partition_point(|d| *d <= t)
        });
        start..end.max(start)
    }

    pub(crate) fn date_at(&self, pos: usize) -> Date {
        self.dates[pos]
    }

    pub(crate) fn day_at(&self, pos: usize) -> &Day {
        &self.days[pos]
    }

    pub(crate) fn cells(&self, pos: usize) -> &[Cell] {
        &self.index[pos].cells
    }

    pub(crate) fn value(&self, pos: usize, rix: u32, origin: Origin, m: Measure) -> Option<Count> {
        self.index[pos].values.get(&key(rix, origin, m)).copied()
    }

    pub(crate) fn region(&self, rix: u32) -> &RegionId {
        &self.regions[rix as usize]
    }

    pub(crate) fn region_index(&self, region: &RegionId) -> Option<u32> {
        self.region_ix.get(region).copied()
    }

    pub(crate) fn ancestors_of(&self, rix: u32) -> &[u32] {
        &self.ancestors[rix as usize]
    }

    pub(crate) fn is_unit(&self, rix: u32) -> bool {
        self.units[rix as usize]
    }
}

impl FromIterator<Day> for Ledger {
    fn from_iter<I: IntoIterator<Item = Day>>(iter: I) -> Self {
        Ledger::from_days(iter)
    }
}

/// Sorts facts by key and keeps the first of each key, noting disagreements.
fn canonical_facts(date: Date, facts: &mut Vec<Fact>, conflicts: &mut Vec<(Date, FactError)>) {
    facts.sort_by(|a, b| a.key().cmp(&b.key()));
    facts.dedup_by(|later, kept| {
        if later.key() != kept.key() {
            return false;
        }
        if later.value != kept.value {
            conflicts.push((
                date,
                FactError::Conflict {
                    region: kept.region.clone(),
                    origin: kept.origin,
                    measure: kept.measure,
                    first: kept.value,
                    second: later.value,
                },
            ));
        }
        true
    });
}

/// One figure over the ledger's dates, from [`Ledger::series`]: `(date, value)` pairs with
/// `None` where the figure is absent.
#[derive(Clone, Debug)]
pub struct Series<'a> {
    ledger: &'a Ledger,
    rix: Option<u32>,
    origin: Origin,
    measure: Measure,
    range: Range<usize>,
}

impl<'a> Series<'a> {
    /// Only the dates from `from` to `to`, both included.
    pub fn between(mut self, from: Option<Date>, to: Option<Date>) -> Series<'a> {
        let span = self.ledger.span(from, to);
        let start = self.range.start.max(span.start);
        self.range = start..self.range.end.min(span.end).max(start);
        self
    }

    /// Only the dates where the figure is given.
    pub fn present(self) -> impl Iterator<Item = (Date, Count)> + 'a {
        self.filter_map(|(d, v)| v.map(|v| (d, v)))
    }

    fn at(&self, pos: usize) -> (Date, Option<Count>) {
        let value = self
            .rix
            .and_then(|r| self.ledger.value(pos, r, self.origin, self.measure));
        (self.ledger.dates[pos], value)
    }
}

impl Iterator for Series<'_> {
    type Item = (Date, Option<Count>);
    fn next(&mut self) -> Option<Self::Item> {
        let pos = self.range.next()?;
        Some(self.at(pos))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }
}

impl DoubleEndedIterator for Series<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let pos = self.range.next_back()?;
        Some(self.at(pos))
    }
}

impl ExactSizeIterator for Series<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn fact(region: &str, origin: Origin, measure: Measure, value: Count) -> Fact {
        Fact::new(region.parse().unwrap(), origin, measure, value).unwrap()
    }

    fn day(date: &str, facts: Vec<Fact>) -> Day {
        Day {
            facts,
            ..Day::new(d(date))
        }
    }

    #[test]
    fn measures_index_densely() {
        for (i, m) in Measure::ALL.iter().enumerate() {
            assert_eq!(*m as usize, i);
        }
        assert!(Origin::ALL.iter().all(|o| (*o as usize) < 256));
    }

    #[test]
    fn gets_series_and_ranges() {
        use Measure::ConfirmedNew as C;
        let ledger = Ledger::from_days([
            day("2020-02-02", vec![fact("420000", Origin::All, C, 7)]),
            day("2020-02-01", vec![fact("420000", Origin::All, C, 5)]),
            day("2020-02-03", vec![fact("100000", Origin::All, C, 9)]),
            Day::default(),
        ]);
        let hubei: RegionId = "420000".parse().unwrap();
        assert_eq!(ledger.len(), 3);
        assert_eq!(ledger.undated(), 1);
        assert_eq!(ledger.first_date(), Some(d("2020-02-01")));
        assert_eq!(ledger.get(d("2020-02-02"), &hubei, Origin::All, C), Some(7));
        assert_eq!(
            ledger.get(d("2020-02-02"), &hubei, Origin::Imported, C),
            None
        );
        assert_eq!(ledger.get(d("2020-02-03"), &hubei, Origin::All, C), None);
        assert_eq!(ledger.get(d("2020-03-01"), &hubei, Origin::All, C), None);
        let s: Vec<_> = ledger.series(&hubei, Origin::All, C).collect();
        assert_eq!(
            s,
            [
                (d("2020-02-01"), Some(5)),
                (d("2020-02-02"), Some(7)),
                (d("2020-02-03"), None)
            ]
        );
        let s: Vec<_> = ledger
            .series(&hubei, Origin::All, C)
            .between(Some(d("2020-02-02")), None)
            .present()
            .collect();
        assert_eq!(s, [(d("2020-02-02"), 7)]);
        assert_eq!(
            ledger
                .days_between(Some(d("2020-02-02")), Some(d("2020-02-02")))
                .len(),
            1
        );
        assert!(ledger
            .days_between(Some(d("2020-02-03")), Some(d("2020-02-01")))
            .is_empty());
        let unknown: RegionId = "430000".parse().unwrap();
        assert_eq!(ledger.series(&unknown, Origin::All, C).count(), 3);
    }

    #[test]
    fn merges_days_of_a_date_keeping_the_first_figure() {
        use Measure::DeathsNew as D;
        let ledger = Ledger::from_days([
            day("2020-02-01", vec![fact("420000", Origin::All, D, 1)]),
            day(
                "2020-02-01",
                vec![
                    fact("420000", Origin::All, D, 2),
                    fact("420100", Origin::All, D, 1),
                ],
            ),
        ]);
        assert_eq!(ledger.len(), 1);
        assert_eq!(ledger.days()[0].facts.len(), 2);
        assert_eq!(
            ledger.get(d("2020-02-01"), &"420000".parse().unwrap(), Origin::All, D),
            Some(1)
        );
        assert_eq!(ledger.conflicts().len(), 1);
    }
}
