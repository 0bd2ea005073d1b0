//! The three questions `epiledger analytics`, `GET /api/v1/analytics/{rt|growth|rates}` and the
//! dashboard ask of a ledger, answered the same way everywhere: a region's incidence (by the
//! rules of [`crate::input`]), then Rt, the growth rate, or the daily rates.
//!
//! - **Rt** reads the incidence from `from` to `to` and nothing before: `from` is EpiEstim's
//!   first time step, as if the incidence had been cut there and given to `estimate_R`.
//! - **Growth** and **rates** read the whole history and report the days from `from` to `to`,
//!   so that a 7-day average or a window on `from` reads the days before it.

use epiledger_core::{Date, Ledger, Level, RegionCode};
use serde::{Deserialize, Serialize};

use crate::daily::{DailySeries, Missing, Part};
use crate::growth::{growth_rate, GrowthEntry, GrowthWindowError};
use crate::implied::ImpliedZeros;
use crate::incidence::{Incidence, IncidenceError};
use crate::input::{incidence_from_ledger, Counting};
use crate::population::population;
use crate::rt::{estimate_rt, RtConfig, RtError, RtSeries};
use crate::smooth::{trailing_average, week_on_week};

/// What a question is about: a region's cases, counted one way, over a range of days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ask {
    /// The nation (100000) or a province.
    pub region: RegionCode,
    /// What counts as a case.
    pub counting: Counting,
    /// The first day reported (`None`: the ledger's first).
    pub from: Option<Date>,
    /// The last day reported (`None`: the ledger's last).
    pub to: Option<Date>,
    /// Whether provinces' series are completed with the zeros a complete list implies.
    pub implied: bool,
}

impl Ask {
    /// The nation's confirmed cases over the whole history, with implied zeros.
    pub fn nation() -> Ask {
        Ask {
            region: RegionCode::NATION,
            counting: Counting::Confirmed,
            from: None,
            to: None,
            implied: true,
        }
    }

    /// The region's incidence over the whole ledger.
    pub fn incidence(&self, ledger: &Ledger, zeros: &ImpliedZeros) -> Result<Incidence, AskError> {
        if let (Some(f), Some(t)) = (self.from, self.to) {
            if f > t {
                return Err(IncidenceError::FromAfterTo { from: f, to: t }.into());
            }
        }
        estimable(self.region)?;
        Ok(incidence_from_ledger(
            ledger,
            self.implied.then_some(zeros),
            self.region,
            self.counting,
        )?)
    }

    fn within(&self, date: Date) -> bool {
        self.from.is_none_or(|f| date >= f) && self.to.is_none_or(|t| date <= t)
    }
}

/// A question that cannot be answered, with what to change. Nothing is computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AskError {
    /// The incidence or the range.
    #[error(transparent)]
    Incidence(#[from] IncidenceError),
    /// The Rt configuration, or too few days.
    #[error(transparent)]
    Rt(#[from] RtError),
    /// The growth window.
    #[error(transparent)]
    Growth(#[from] GrowthWindowError),
    /// A region the ledger has no series of.
    #[error(
        "{0} is not the nation or a provincial-level unit: estimates are made for the nation \
         (100000) and the 32 reporting units (the 31 provinces and the XPCC, 660000)"
    )]
    Region(RegionCode),
}

/// Checks that a region is one the ledger has daily series of: the nation or a reporting unit.
pub fn estimable(region: RegionCode) -> Result<RegionCode, AskError> {
    match epiledger_core::registry().get(region).map(|r| r.level) {
        Some(Level::Nation | Level::Province) => Ok(region),
        _ => Err(AskError::Region(region)),
    }
}

/// Rt of the region from `from` to `to` ([`estimate_rt`] on that part of the incidence).
pub fn rt(
    ledger: &Ledger,
    zeros: &ImpliedZeros,
    ask: &Ask,
    config: &RtConfig,
) -> Result<RtSeries, AskError> {
    config.check()?;
    let incidence = ask.incidence(ledger, zeros)?.between(ask.from, ask.to)?;
    Ok(estimate_rt(&incidence, config)?)
}

/// The growth rate of the region's `part` of cases over windows of `window` days, for the
/// windows ending from `from` to `to`.
pub fn growth(
    ledger: &Ledger,
    zeros: &ImpliedZeros,
    ask: &Ask,
    part: Part,
    window: usize,
) -> Result<Vec<GrowthEntry>, AskError> {
    if window < 3 {
        return Err(GrowthWindowError(window).into());
    }
    let incidence = ask.incidence(ledger, zeros)?;
    let series = DailySeries::from_incidence(&incidence, part);
    let entries = growth_rate(&series, window)?;
    Ok(entries
        .into_iter()
        .filter(|e| ask.within(entry_date(e)))
        .collect())
}

fn entry_date(e: &GrowthEntry) -> Date {
    match e {
        GrowthEntry::Estimate(g) => g.date,
        GrowthEntry::Absent { date, .. } => *date,
    }
}

/// The daily figures of one day: cases, their 7-day trailing average, both per 100,000, and
/// the week-on-week change. Each is absent where a day it reads is absent.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RateRow {
    /// The day.
    pub date: Date,
    /// The day's cases.
    pub cases: Option<i64>,
    /// The day's cases per 100,000 inhabitants (absent without a census population).
    pub per_100k: Option<f64>,
    /// The mean of the day and the 6 days before it.
    pub average_7d: Option<f64>,
    /// That mean per 100,000 inhabitants.
    pub average_7d_per_100k: Option<f64>,
    /// The 7 days ending on the day against the 7 days before them: (this − last) / last.
    pub week_on_week: Option<f64>,
    /// Why the average is absent (the first absent day it reads).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absent: Option<Missing>,
}

/// The daily rates of the region's `part` of cases, and the population they are per 100,000
/// of (`None` for the XPCC, which the census counts inside Xinjiang).
pub fn rates(
    ledger: &Ledger,
    zeros: &ImpliedZeros,
    ask: &Ask,
    part: Part,
) -> Result<(Option<u64>, Vec<RateRow>), AskError> {
    let incidence = ask.incidence(ledger, zeros)?;
    let series = DailySeries::from_incidence(&incidence, part);
    let pop = population(ask.region).ok();
    let per = |v: f64| pop.map(|p| v * 100_000.0 / p as f64);
    // trailing_average starts on day 7 and week_on_week on day 14: index them by day.
    let averages = trailing_average(&series, 7);
    let weeks = week_on_week(&series);
    let rows = (0..series.len())
        .filter_map(|i| {
            let date = series.date(i);
            if !ask.within(date) {
                return None;
            }
            let cases = series.values()[i];
            let avg = i.checked_sub(6).and_then(|k| averages.get(k));
            let wow = i.checked_sub(13).and_then(|k| weeks.get(k));
            let average = avg.and_then(|p| p.value);
            Some(RateRow {
                date,
                cases,
                per_100k: cases.and_then(|c| per(c as f64)),
                average_7d: average,
                average_7d_per_100k: average.and_then(per),
                week_on_week: wow.and_then(|w| w.change),
                absent: match (cases, avg) {
                    (None, _) => Some(Missing::Day { day: date }),
                    (_, Some(p)) => p.absent,
                    (_, None) => None,
                },
            })
        })
        .collect();
    Ok((pop, rows))
}

/// Rt as CSV: `date,mean,std,q025,q05,q25,median,q75,q95,q975`, one row a window, an absent
/// window with empty values. Numbers are written in full (shortest round-trip form).
pub fn rt_csv(series: &RtSeries) -> String {
    use crate::rt::RtEntry;
    let mut out = String::from("date,mean,std,q025,q05,q25,median,q75,q95,q975\n");
    for entry in &series.entries {
        match entry {
            RtEntry::Estimate(e) => out.push_str(&format!(
                "{},{:?},{:?},{:?},{:?},{:?},{:?},{:?},{:?},{:?}\n",
                e.date, e.mean, e.std, e.q025, e.q05, e.q25, e.median, e.q75, e.q95, e.q975
            )),
            RtEntry::Absent { date, .. } => out.push_str(&format!("{date},,,,,,,,,\n")),
        }
    }
    out
}

fn opt<T: std::fmt::Debug>(v: Option<T>) -> String {
    v.map_or_else(String::new, |v| format!("{v:?}"))
}

/// Growth as CSV: `date,start,rate,lower,upper,doubling,halving`, an absent window with empty
/// values.
pub fn growth_csv(entries: &[GrowthEntry]) -> String {
    let mut out = String::from("date,start,rate,lower,upper,doubling,halving\n");
    for e in entries {
        match e {
            GrowthEntry::Estimate(g) => out.push_str(&format!(
                "{},{},{:?},{:?},{:?},{},{}\n",
                g.date,
                g.start,
                g.rate,
                g.lower,
                g.upper,
                opt(g.doubling.map(|t| t.days)),
                opt(g.halving.map(|t| t.days))
            )),
            GrowthEntry::Absent { date, .. } => out.push_str(&format!("{date},,,,,,\n")),
        }
    }
    out
}

/// Rates as CSV: `date,cases,per_100k,average_7d,average_7d_per_100k,week_on_week`.
pub fn rates_csv(rows: &[RateRow]) -> String {
    let mut out = String::from("date,cases,per_100k,average_7d,average_7d_per_100k,week_on_week\n");
    for r in rows {
        out.push_str(&format!(
            "{},{},{},{},{},{}\n",
            r.date,
            opt(r.cases),
            opt(r.per_100k),
            opt(r.average_7d),
            opt(r.average_7d_per_100k),
            opt(r.week_on_week)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use epiledger_core::{Day, Fact, Measure, Origin};

    fn ledger(values: &[i64]) -> Ledger {
        let start: Date = "2021-01-01".parse().unwrap();
        Ledger::from_days(values.iter().enumerate().map(|(i, &v)| {
            let mut d = Day::new(crate::dates::add_days(start, i as i64));
            for (o, v) in [(Origin::All, v), (Origin::Imported, 0), (Origin::Local, v)] {
                d.facts.push(
                    Fact::new(
                        epiledger_core::RegionId::NATION,
                        o,
                        Measure::ConfirmedNew,
                        v,
                    )
                    .unwrap(),
                );
            }
            d.normalize();
            d
        }))
    }

    #[test]
    fn rates_index_averages_and_weeks_by_day() {
        let values: Vec<i64> = (1..=20).collect();
        let l = ledger(&values);
        let zeros = ImpliedZeros::of_ledger(&l);
        let (pop, rows) = rates(&l, &zeros, &Ask::nation(), Part::Total).unwrap();
        assert!(pop.is_some());
        assert_eq!(rows.len(), 20);
        assert_eq!(rows[5].average_7d, None);
        assert_eq!(rows[6].average_7d, Some(4.0));
        assert_eq!(rows[12].week_on_week, None);
        // days 8..14 against 1..7: (77 − 28) / 28
        assert_eq!(rows[13].week_on_week, Some(49.0 / 28.0));
        let ask = Ask {
            from: Some("2021-01-10".parse().unwrap()),
            to: Some("2021-01-11".parse().unwrap()),
            ..Ask::nation()
        };
        let (_, rows) = rates(&l, &zeros, &ask, Part::Total).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].average_7d, Some(7.0));
    }

    #[test]
    fn bad_questions_are_errors() {
        let l = ledger(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        let zeros = ImpliedZeros::of_ledger(&l);
        let backwards = Ask {
            from: Some("2021-01-05".parse().unwrap()),
            to: Some("2021-01-02".parse().unwrap()),
            ..Ask::nation()
        };
        assert!(matches!(
            rt(&l, &zeros, &backwards, &RtConfig::default()),
            Err(AskError::Incidence(IncidenceError::FromAfterTo { .. }))
        ));
        let county = Ask {
            region: "420106".parse().unwrap(),
            ..Ask::nation()
        };
        assert!(matches!(
            rates(&l, &zeros, &county, Part::Total),
            Err(AskError::Region(_))
        ));
        assert!(matches!(
            growth(&l, &zeros, &Ask::nation(), Part::Total, 2),
            Err(AskError::Growth(GrowthWindowError(2)))
        ));
        let short = RtConfig {
            window: 1,
            ..RtConfig::default()
        };
        assert!(matches!(
            rt(&l, &zeros, &Ask::nation(), &short),
            Err(AskError::Rt(RtError::Window(1)))
        ));
    }
}
