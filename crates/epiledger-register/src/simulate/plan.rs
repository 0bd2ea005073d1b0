//! The plan of a simulation: the history's figures by day, region, origin and measure, and the
//! national series completed where the history leaves a figure out (flows from cumulative
//! differences, the residuals that only corrections can make).

use std::collections::HashMap;

use epiledger_core::{Date, Day, Measure, MeasureKind, Origin, RegionCode, RegionId};

use crate::codes::unit_index;
use crate::derive::date_add;

/// The region index of the nation (units are 0..32).
pub(crate) const NATION: usize = 32;

/// The history's figures over the simulated days: index 0 is the opening day (the day before
/// `from`), 1..=n the simulated days.
pub(crate) struct Given {
    pub dates: Vec<Date>,
    map: HashMap<(u32, u8, u8, Measure), i64>,
    /// Per day: the units the history's stated corrections name, by measure.
    pub stated: Vec<Vec<(usize, Measure)>>,
}

fn origin_ix(o: Origin) -> u8 {
    match o {
        Origin::All => 0,
        Origin::Imported => 1,
        Origin::Local => 2,
    }
}

fn region_ix(r: &RegionId) -> Option<usize> {
    match r {
        RegionId::Code(c) if *c == RegionCode::NATION => Some(NATION),
        RegionId::Code(c) => unit_index(*c).map(usize::from),
        RegionId::Area { .. } => None,
    }
}

impl Given {
    pub fn new(history: &[Day], from: Date, to: Date) -> Given {
        let d0 = date_add(from, -1);
        let n = to.days_since(from) as usize + 1;
        let dates: Vec<Date> = (0..=n).map(|i| date_add(d0, i as i64)).collect();
        let mut map = HashMap::new();
        let mut stated = vec![Vec::new(); n + 1];
        for day in history {
            let Some(date) = day.date else { continue };
            let i = date.days_since(d0);
            if i < 0 || i as usize > n {
                continue;
            }
            for f in &day.facts {
                // The opening day is everything before `from`: only its stocks and
                // cumulative figures count, its flows are the whole past.
                let flow = matches!(f.measure.kind(), MeasureKind::Flow | MeasureKind::Change);
                if i == 0 && flow {
                    continue;
                }
                if let Some(r) = region_ix(&f.region) {
                    map.insert((i as u32, r as u8, origin_ix(f.origin), f.measure), f.value);
                }
            }
            for c in &day.corrections {
                if let Some(r) = region_ix(&c.region) {
                    if r != NATION {
                        stated[i as usize].push((r, c.measure));
                    }
                }
            }
        }
        Given { dates, map, stated }
    }

    /// The number of days, the opening day included.
    pub fn len(&self) -> usize {
        self.dates.len()
    }

    /// A figure: `r` a unit index or [`NATION`]; `o` 0 all, 1 imported, 2 local. The opening
    /// day's figures are read only where the history has the day.
    pub fn get(&self, i: usize, r: usize, o: u8, m: Measure) -> Option<i64> {
        self.map.get(&(i as u32, r as u8, o, m)).copied()
    }

    /// A figure over every day.
    pub fn column(&self, r: usize, o: u8, m: Measure) -> Vec<Option<i64>> {
        (0..self.len()).map(|i| self.get(i, r, o, m)).collect()
    }
}

/// A flow completed against its cumulative figure: where the cumulative is given, the flows
/// since the previous given cumulative that the history leaves out are set so that it is met:
/// in proportion to `cap` when `proportional` (each day at most its cap), the rest from the
/// latest day back; what cannot be met by flows is a correction on the day of the cumulative.
/// Days outside any such span keep `None` (free).
pub(crate) fn series(
    flow: &[Option<i64>],
    cum: &[Option<i64>],
    cap: Option<&[i64]>,
    proportional: bool,
) -> (Vec<Option<i64>>, Vec<i64>) {
    let n = flow.len();
    let mut f: Vec<Option<i64>> = flow.to_vec();
    let mut corr = vec![0i64; n];
    let mut prev: (Option<usize>, i64) = (None, 0);
    let room = |x: usize| cap.map_or(i64::MAX, |cap| cap[x].max(0));
    for t in 0..n {
        let Some(c) = cum[t] else { continue };
        let start = prev.0.map_or(0, |p| p + 1);
        let known: i64 = (start..=t).filter_map(|x| f[x]).sum();
        let unknown: Vec<usize> = (start..=t).filter(|x| f[*x].is_none()).collect();
        let mut need = c - prev.1 - known;
        let mut take = vec![0i64; unknown.len()];
        if need > 0 {
            if let Some(cap) = cap.filter(|_| proportional) {
                let total: i64 = unknown.iter().map(|x| cap[*x].max(0)).sum();
                if total > 0 && need > 0 {
                    let mut given = 0;
                    for (k, x) in unknown.iter().enumerate() {
                        let share = (i128::from(need) * i128::from(cap[*x].max(0))
                            / i128::from(total)) as i64;
                        let share = share.min(room(*x) - take[k]);
                        take[k] += share;
                        given += share;
                    }
                    need -= given;
                }
            }
            for k in (0..unknown.len()).rev() {
                let more = need.min(room(unknown[k]) - take[k]).max(0);
                take[k] += more;
                need -= more;
            }
        }
        for (k, x) in unknown.iter().enumerate() {
            f[*x] = Some(take[k]);
        }
        corr[t] += need;
        prev = (Some(t), c);
    }
    (f, corr)
}

/// A stock's outflows completed: between two given stocks, the outflows the history leaves
/// out are what the stock lost (on the latest such day); a stock that grew more than its
/// inflows is a correction on the day of the stock.
pub(crate) fn outflows(
    stock: &[Option<i64>],
    inflow: &[i64],
    out: &[Option<i64>],
) -> (Vec<i64>, Vec<i64>) {
    let n = stock.len();
    let mut o: Vec<Option<i64>> = out.to_vec();
    let mut corr = vec![0i64; n];
    let mut prev: (Option<usize>, i64) = (None, 0);
    for t in 0..n {
        let Some(s) = stock[t] else { continue };
        let start = prev.0.map_or(0, |p| p + 1);
        let ins: i64 = inflow[start..=t].iter().sum();
        let known: i64 = (start..=t).filter_map(|x| o[x]).sum();
        let unknown: Vec<usize> = (start..=t).filter(|x| o[*x].is_none()).collect();
        let lost = prev.1 + ins - known - s;
        match unknown.last() {
            Some(&x) if lost >= 0 => {
                for &y in &unknown {
                    o[y] = Some(0);
                }
                o[x] = Some(lost);
            }
            _ => {
                for &y in &unknown {
                    o[y] = Some(0);
                }
                corr[t] = -lost;
            }
        }
        prev = (Some(t), s);
    }
    (o.into_iter().map(|x| x.unwrap_or(0)).collect(), corr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn series_fill_and_correct() {
        let (f, c) = series(
            &[None, Some(2), None, Some(3), Some(1)],
            &[None, Some(10), None, Some(20), Some(20)],
            None,
            false,
        );
        assert_eq!(f, [Some(8), Some(2), Some(7), Some(3), Some(1)]);
        assert_eq!(c, [0, 0, 0, 0, -1]);
        let (f, c) = series(
            &[None, None, Some(1)],
            &[None, None, Some(5)],
            Some(&[1, 1, 9]),
            false,
        );
        assert_eq!(f, [Some(1), Some(1), Some(1)]);
        assert_eq!(c, [0, 0, 2]);
        // Between two cumulatives, in proportion to the caps.
        let (f, c) = series(
            &[None, None, None, None],
            &[Some(0), None, None, Some(30)],
            Some(&[0, 10, 20, 30]),
            true,
        );
        assert_eq!(f, [Some(0), Some(5), Some(10), Some(15)]);
        assert_eq!(c, [0, 0, 0, 0]);
    }

    #[test]
    fn outflows_fill_and_correct() {
        let (o, c) = outflows(
            &[Some(5), Some(4), Some(9)],
            &[5, 2, 1],
            &[None, None, Some(0)],
        );
        assert_eq!(o, [0, 3, 0]);
        assert_eq!(c, [0, 0, 4]);
    }
}
