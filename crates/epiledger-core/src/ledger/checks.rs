//! The per-day checks of the identities over the index.

use super::hierarchy::{contains, REPORTING_UNITS};
use super::identities::{is_additive, Equation, Identity, Lag, EQUATIONS};
use super::index::{key, Cell, FxMap, Ledger, N_MEASURES};
use crate::{Correction, Count, Date, Measure, Origin, RegionId};

/// A figure that breaks an identity, before it is explained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Finding {
    pub rix: u32,
    pub origin: Origin,
    pub measure: Measure,
    pub identity: Identity,
    pub expected: Count,
    pub found: Count,
}

/// Checks made per identity, indexed by `Identity as usize`.
pub(crate) type Counts = [usize; Identity::ALL.len()];

#[derive(Clone, Copy, Debug)]
struct PartSum {
    rix: u32,
    origin: Origin,
    measure: Measure,
    sum: Count,
    units: usize,
}

/// Checks day after day, reusing its scratch space.
pub(crate) struct Checker<'a> {
    ledger: &'a Ledger,
    nation: Option<u32>,
    parts: FxMap<u64, PartSum>,
}

impl<'a> Checker<'a> {
    pub fn new(ledger: &'a Ledger) -> Checker<'a> {
        Checker {
            ledger,
            nation: ledger.region_index(&RegionId::NATION),
            parts: FxMap::default(),
        }
    }

    /// Checks every identity on the day at `pos`.
    pub fn day(&mut self, pos: usize, counts: &mut Counts, out: &mut Vec<Finding>) {
        let ledger = self.ledger;
        let date = ledger.date_at(pos);
        let cells = ledger.cells(pos);
        let corrections = &ledger.day_at(pos).corrections;
        let prev = ledger.position(date.pred()).filter(|_| date.pred() != date);
        for group in cells.chunk_by(|a, b| a.rix == b.rix && a.origin == b.origin) {
            let mut today = [None; N_MEASURES];
            for c in group {
                today[c.measure as usize] = Some(c.value);
            }
            let row = Row {
                ledger,
                date,
                prev,
                rix: group[0].rix,
                region: ledger.region(group[0].rix),
                origin: group[0].origin,
                today,
                corrections,
            };
            for eq in EQUATIONS {
                if let Some((expected, found)) = row.eval(eq) {
                    counts[eq.identity as usize] += 1;
                    if expected != found && !(eq.at_least && found > expected) {
                        out.push(row.finding(eq.identity, eq.lhs, expected, found));
                    }
                }
            }
            if row.origin == Origin::All {
                origins(ledger, pos, group, counts, out);
            }
        }
        self.parts(pos, cells, counts, out);
    }

    /// Parts: each figure counts towards its nearest region that has the same figure.
    fn parts(&mut self, pos: usize, cells: &[Cell], counts: &mut Counts, out: &mut Vec<Finding>) {
        let ledger = self.ledger;
        self.parts.clear();
        for c in cells.iter().filter(|c| is_additive(c.measure)) {
            let whole = ledger
                .ancestors_of(c.rix)
                .iter()
                .copied()
                .find(|&a| ledger.value(pos, a, c.origin, c.measure).is_some());
            let Some(whole) = whole else { continue };
            let p = self
                .parts
                .entry(key(whole, c.origin, c.measure))
                .or_insert(PartSum {
                    rix: whole,
                    origin: c.origin,
                    measure: c.measure,
                    sum: 0,
                    units: 0,
                });
            p.sum = p.sum.saturating_add(c.value);
            if Some(whole) == self.nation && ledger.is_unit(c.rix) {
                p.units += 1;
            }
        }
        for p in self.parts.values() {
            let Some(found) = ledger.value(pos, p.rix, p.origin, p.measure) else {
                continue;
            };
            counts[Identity::Parts as usize] += 1;
            let exact = Some(p.rix) == self.nation && p.units == REPORTING_UNITS.len();
            let holds = if exact {
                found == p.sum
            } else {
                found >= p.sum
            };
            if !holds {
                out.push(Finding {
                    rix: p.rix,
                    origin: p.origin,
                    measure: p.measure,
                    identity: Identity::Parts,
                    expected: p.sum,
                    found,
                });
            }
        }
    }
}

/// Origins: `all = imported + local` for each measure of a region's `all` row.
fn origins(
    ledger: &Ledger,
    pos: usize,
    group: &[Cell],
    counts: &mut Counts,
    out: &mut Vec<Finding>,
) {
    for c in group {
        let imported = ledger.value(pos, c.rix, Origin::Imported, c.measure);
        let local = ledger.value(pos, c.rix, Origin::Local, c.measure);
        let (Some(i), Some(l)) = (imported, local) else {
            continue;
        };
        counts[Identity::Origins as usize] += 1;
        let expected = i.saturating_add(l);
        if c.value != expected {
            out.push(Finding {
                rix: c.rix,
                origin: Origin::All,
                measure: c.measure,
                identity: Identity::Origins,
                expected,
                found: c.value,
            });
        }
    }
}

/// The figures of one region and origin on one day, with what the equations need.
struct Row<'a> {
    ledger: &'a Ledger,
    date: Date,
    prev: Option<usize>,
    rix: u32,
    region: &'a RegionId,
    origin: Origin,
    today: [Option<Count>; N_MEASURES],
    corrections: &'a [Correction],
}

impl Row<'_> {
    /// `(expected, found)` if every term exists.
    fn eval(&self, eq: &Equation) -> Option<(Count, Count)> {
        let found = self.today[eq.lhs as usize]?;
        let mut expected: Count = 0;
        for term in eq.terms {
            let v = match term.lag {
                Lag::Today => self.today[term.measure as usize]?,
                Lag::Yesterday => self.yesterday(term.measure)?,
            };
            expected = expected.saturating_add(term.sign.saturating_mul(v));
        }
        for c in self.corrections {
            if let Some(sign) = eq.correction_sign(c.measure) {
                expected = expected.saturating_add(sign.saturating_mul(self.amount(eq, c)));
            }
        }
        Some((expected, found))
    }

    /// The value of `t − 1`: restated by a correction of `t` if one restates it, else as given.
    fn yesterday(&self, m: Measure) -> Option<Count> {
        let restated = self
            .corrections
            .iter()
            .rev()
            .find(|c| c.measure == m && self.replaces(c))
            .and_then(|c| c.restated);
        restated.or_else(|| {
            self.prev
                .and_then(|p| self.ledger.value(p, self.rix, self.origin, m))
        })
    }

    /// Whether a correction restates this row's own figure of `t − 1`.
    fn replaces(&self, c: &Correction) -> bool {
        c.restated.is_some()
            && c.refers_to == Some(self.date.pred())
            && c.origin == self.origin
            && c.region == *self.region
    }

    /// What a correction adds to the right-hand side of an equation for this row (unsigned).
    fn amount(&self, eq: &Equation, c: &Correction) -> Count {
        let origin_counts = c.origin == self.origin || self.origin == Origin::All;
        if !origin_counts || !contains(self.region, &c.region) {
            return 0;
        }
        let restates_yesterday =
            eq.reads_yesterday(c.measure) && c.refers_to == Some(self.date.pred());
        if restates_yesterday && self.replaces(c) {
            return 0;
        }
        if let Some(delta) = c.delta {
            return delta;
        }
        match (restates_yesterday, c.restated, c.refers_to) {
            (true, Some(x), Some(day)) => self
                .ledger
                .get(day, &c.region, c.origin, c.measure)
                .map_or(0, |reported| x.saturating_sub(reported)),
            _ => 0,
        }
    }

    fn finding(
        &self,
        identity: Identity,
        measure: Measure,
        expected: Count,
        found: Count,
    ) -> Finding {
        Finding {
            rix: self.rix,
            origin: self.origin,
            measure,
            identity,
            expected,
            found,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CorrectionKind, Day, Fact};
    use Measure as M;
    use Origin::{All, Imported, Local};

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    /// A day from `(region, origin, measure, value)` rows.
    fn day(date: &str, rows: &[(&str, Origin, Measure, Count)]) -> Day {
        let mut day = Day::new(d(date));
        for &(r, o, m, v) in rows {
            day.add_fact(Fact::new(r.parse().unwrap(), o, m, v).unwrap())
                .unwrap();
        }
        day
    }

    fn correction(
        region: &str,
        m: Measure,
        delta: Option<Count>,
        restated: Option<Count>,
    ) -> Correction {
        Correction {
            region: region.parse().unwrap(),
            origin: All,
            measure: m,
            kind: CorrectionKind::Reduce,
            delta,
            restated,
            refers_to: None,
            reason: None,
        }
    }

    /// A break as `(identity, region, origin, measure, expected, found)`.
    type Seen = (Identity, String, Origin, Measure, Count, Count);

    /// Every break, and the counts.
    fn check(days: Vec<Day>) -> (Vec<Seen>, Counts) {
        let ledger = Ledger::from_days(days);
        let mut checker = Checker::new(&ledger);
        let (mut counts, mut out) = (Counts::default(), Vec::new());
        for pos in 0..ledger.len() {
            checker.day(pos, &mut counts, &mut out);
        }
        let found = out
            .iter()
            .map(|f| {
                let r = ledger.region(f.rix).to_string();
                (f.identity, r, f.origin, f.measure, f.expected, f.found)
            })
            .collect();
        (found, counts)
    }

    fn count(counts: &Counts, i: Identity) -> usize {
        counts[i as usize]
    }

    #[test]
    fn balance() {
        let ok = day(
            "2020-02-10",
            &[
                ("420000", All, M::ConfirmedCumulative, 100),
                ("420000", All, M::ConfirmedCurrent, 80),
                ("420000", All, M::DischargedCumulative, 15),
                ("420000", All, M::DeathsCumulative, 5),
            ],
        );
        let (b, c) = check(vec![ok.clone()]);
        assert!(b.is_empty());
        assert_eq!(count(&c, Identity::Balance), 1);
        let mut bad = ok;
        bad.facts[0].value = 101;
        let (b, _) = check(vec![bad]);
        assert_eq!(
            b,
            [(
                Identity::Balance,
                "420000".into(),
                All,
                M::ConfirmedCumulative,
                100,
                101
            )]
        );
        // A missing term skips the check.
        let partial = day(
            "2020-02-10",
            &[("420000", All, M::ConfirmedCumulative, 100)],
        );
        let (b, c) = check(vec![partial]);
        assert!(b.is_empty());
        assert_eq!(count(&c, Identity::Balance), 0);
    }

    #[test]
    fn accumulation_with_a_reduction_inside() {
        let d1 = day(
            "2020-02-12",
            &[
                ("100000", All, M::DeathsCumulative, 1000),
                ("420000", All, M::DeathsCumulative, 900),
            ],
        );
        let mut d2 = day(
            "2020-02-13",
            &[
                ("100000", All, M::DeathsCumulative, 1000 + 120 - 108),
                ("100000", All, M::DeathsNew, 120),
                ("420000", All, M::DeathsCumulative, 900 + 110 - 108),
                ("420000", All, M::DeathsNew, 110),
            ],
        );
        let (b, c) = check(vec![d1.clone(), d2.clone()]);
        assert_eq!(b.len(), 2, "{b:?}");
        assert!(b
            .iter()
            .all(|x| x.0 == Identity::Accumulation && x.5 - x.4 == -108));
        assert_eq!(count(&c, Identity::Accumulation), 2);
        d2.corrections
            .push(correction("420000", M::DeathsCumulative, Some(-108), None));
        let (b, _) = check(vec![d1.clone(), d2.clone()]);
        assert!(b.is_empty(), "{b:?}");
        // Hunan's correction counts for the nation, not for Hubei.
        d2.corrections[0].region = "430000".parse().unwrap();
        let (b, _) = check(vec![d1, d2]);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].1, "420000");
    }

    #[test]
    fn accumulation_with_a_restatement_of_yesterday() {
        let d1 = day(
            "2020-02-12",
            &[
                ("100000", All, M::ConfirmedCumulative, 500),
                ("420000", All, M::ConfirmedCumulative, 450),
            ],
        );
        let mut d2 = day(
            "2020-02-13",
            &[
                ("100000", All, M::ConfirmedCumulative, 500 - 10 + 20),
                ("100000", All, M::ConfirmedNew, 20),
                ("420000", All, M::ConfirmedCumulative, 440 + 20),
                ("420000", All, M::ConfirmedNew, 20),
            ],
        );
        let mut c = correction("420000", M::ConfirmedCumulative, None, Some(440));
        c.kind = CorrectionKind::Revise;
        c.refers_to = Some(d("2020-02-12"));
        d2.corrections.push(c);
        // Hubei: 440 replaces 450; the nation: 440 − 450 counts as a change.
        let (b, counts) = check(vec![d1, d2]);
        assert!(b.is_empty(), "{b:?}");
        assert_eq!(count(&counts, Identity::Accumulation), 2);
    }

    #[test]
    fn accumulation_of_contacts() {
        let d1 = day(
            "2020-03-01",
            &[
                ("100000", All, M::ContactsTracedCumulative, 1000),
                ("100000", All, M::ContactsUnderObservation, 300),
            ],
        );
        let d2 = day(
            "2020-03-02",
            &[
                ("100000", All, M::ContactsTracedCumulative, 1050),
                ("100000", All, M::ContactsUnderObservation, 280),
                ("100000", All, M::ContactsReleased, 70),
            ],
        );
        let (b, c) = check(vec![d1.clone(), d2.clone()]);
        assert!(b.is_empty(), "{b:?}");
        assert_eq!(count(&c, Identity::Accumulation), 1);
        let mut bad = d2;
        bad.facts.iter_mut().for_each(|f| {
            if f.measure == M::ContactsReleased {
                f.value = 71;
            }
        });
        let (b, _) = check(vec![d1, bad]);
        assert_eq!(b[0].3, M::ContactsTracedCumulative);
        assert_eq!((b[0].4, b[0].5), (1051, 1050));
    }

    #[test]
    fn stock_of_confirmed_with_corrections_of_deaths() {
        let d1 = day("2020-02-12", &[("420000", All, M::ConfirmedCurrent, 100)]);
        let mut d2 = day(
            "2020-02-13",
            &[
                ("420000", All, M::ConfirmedCurrent, 100 + 30 - 10 - 5 + 8),
                ("420000", All, M::ConfirmedNew, 30),
                ("420000", All, M::DischargedNew, 10),
                ("420000", All, M::DeathsNew, 5),
            ],
        );
        let (b, _) = check(vec![d1.clone(), d2.clone()]);
        assert_eq!(
            b,
            [(
                Identity::Stock,
                "420000".into(),
                All,
                M::ConfirmedCurrent,
                115,
                123
            )]
        );
        // Eight deaths struck off leave eight cases active.
        d2.corrections
            .push(correction("420000", M::DeathsCumulative, Some(-8), None));
        let (b, c) = check(vec![d1, d2]);
        assert!(b.is_empty(), "{b:?}");
        assert_eq!(count(&c, Identity::Stock), 1);
    }

    #[test]
    fn stock_of_asymptomatic_and_severe() {
        let d1 = day(
            "2020-04-01",
            &[
                ("100000", All, M::AsymptomaticUnderObservation, 1000),
                ("100000", All, M::SevereCurrent, 400),
            ],
        );
        let d2 = day(
            "2020-04-02",
            &[
                (
                    "100000",
                    All,
                    M::AsymptomaticUnderObservation,
                    1000 + 50 - 3 - 60,
                ),
                ("100000", All, M::AsymptomaticNew, 50),
                ("100000", All, M::AsymptomaticToConfirmed, 3),
                ("100000", All, M::AsymptomaticReleased, 60),
                ("100000", All, M::SevereCurrent, 380),
                ("100000", All, M::SevereChange, -20),
            ],
        );
        let (b, c) = check(vec![d1.clone(), d2.clone()]);
        assert!(b.is_empty(), "{b:?}");
        assert_eq!(count(&c, Identity::Stock), 2);
        let mut bad = d2;
        for f in &mut bad.facts {
            if f.measure == M::SevereChange {
                f.value = -21;
            }
        }
        let (b, _) = check(vec![d1, bad]);
        assert_eq!(
            b,
            [(
                Identity::Stock,
                "100000".into(),
                All,
                M::SevereCurrent,
                379,
                380
            )]
        );
    }

    #[test]
    fn no_check_across_a_missing_day() {
        let d1 = day("2020-02-10", &[("420000", All, M::DeathsCumulative, 10)]);
        let d3 = day(
            "2020-02-12",
            &[
                ("420000", All, M::DeathsCumulative, 50),
                ("420000", All, M::DeathsNew, 1),
            ],
        );
        let (b, c) = check(vec![d1, d3]);
        assert!(b.is_empty());
        assert_eq!(count(&c, Identity::Accumulation), 0);
    }

    #[test]
    fn origins() {
        let ok = day(
            "2020-05-01",
            &[
                ("100000", All, M::ConfirmedNew, 12),
                ("100000", Imported, M::ConfirmedNew, 10),
                ("100000", Local, M::ConfirmedNew, 2),
                ("100000", All, M::DeathsNew, 0),
                ("100000", Imported, M::DeathsNew, 0),
            ],
        );
        let (b, c) = check(vec![ok.clone()]);
        assert!(b.is_empty());
        assert_eq!(count(&c, Identity::Origins), 1);
        let mut bad = ok;
        bad.facts.retain(|f| f.measure == M::ConfirmedNew);
        bad.facts[1].value = 11;
        let (b, _) = check(vec![bad]);
        assert_eq!(
            b,
            [(
                Identity::Origins,
                "100000".into(),
                All,
                M::ConfirmedNew,
                13,
                12
            )]
        );
    }

    #[test]
    fn parts_within_a_province() {
        let ok = day(
            "2020-02-10",
            &[
                ("420000", All, M::ConfirmedCumulative, 100),
                ("420100", All, M::ConfirmedCumulative, 70),
                ("420100:某区", All, M::ConfirmedCumulative, 50),
                ("420500", All, M::ConfirmedCumulative, 20),
                ("420000:待确认", All, M::ConfirmedCumulative, 10),
                ("420000", All, M::SevereChange, -5),
                ("420100", All, M::SevereChange, 3),
            ],
        );
        let (b, c) = check(vec![ok.clone()]);
        assert!(b.is_empty(), "{b:?}");
        // Hubei ≥ Wuhan + 420500 + 待确认, Wuhan ≥ 某区; no check of changes.
        assert_eq!(count(&c, Identity::Parts), 2);
        let mut bad = ok;
        bad.facts
            .retain(|f| f.region.to_string() != "420000:待确认");
        bad.add_fact(
            Fact::new(
                "420000:待确认".parse().unwrap(),
                All,
                M::ConfirmedCumulative,
                11,
            )
            .unwrap(),
        )
        .unwrap();
        let (b, _) = check(vec![bad]);
        assert_eq!(
            b,
            [(
                Identity::Parts,
                "420000".into(),
                All,
                M::ConfirmedCumulative,
                101,
                100
            )]
        );
    }

    #[test]
    fn parts_of_the_nation() {
        let units = || REPORTING_UNITS.iter().map(|c| c.to_string());
        let mut rows: Vec<(String, Count)> = units().map(|u| (u, 1)).collect();
        rows.push(("100000".into(), 33));
        // Hong Kong is no part of the nation.
        rows.push(("810000".into(), 1000));
        let mk = |rows: &[(String, Count)]| {
            let v: Vec<_> = rows
                .iter()
                .map(|(r, v)| (r.as_str(), Imported, M::ConfirmedNew, *v))
                .collect();
            day("2020-06-01", &v)
        };
        // All 32 units: the nation must equal their sum.
        let (b, _) = check(vec![mk(&rows)]);
        assert_eq!(
            b,
            [(
                Identity::Parts,
                "100000".into(),
                Imported,
                M::ConfirmedNew,
                32,
                33
            )]
        );
        // Fewer units: the sum is only a lower bound.
        rows.remove(0);
        let (b, c) = check(vec![mk(&rows)]);
        assert!(b.is_empty(), "{b:?}");
        assert_eq!(count(&c, Identity::Parts), 1);
        // A prefecture of a unit that does not report counts towards the nation.
        rows.push(("110105".into(), 3));
        let (b, _) = check(vec![mk(&rows)]);
        assert_eq!(
            b,
            [(
                Identity::Parts,
                "100000".into(),
                Imported,
                M::ConfirmedNew,
                34,
                33
            )]
        );
    }
}
