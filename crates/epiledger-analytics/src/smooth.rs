//! Trailing averages and week-on-week change.
//!
//! - The **7-day average** of a day is the mean of that day and the 6 days before it
//!   (trailing, never centred, so that the latest day has one); it is absent when any of the 7
//!   days is absent, and the series' first 6 days have none.
//! - The **week-on-week change** of a day compares the 7 days ending on it with the 7 days
//!   before those: (this week − last week) / last week, a fraction (0.25 is +25%). It is absent
//!   when any of the 14 days is absent or last week had no case.

use crate::daily::{DailySeries, Missing, Point};

/// The trailing average over `days` days (7 for the usual 7-day average), one point a day from
/// the `days`-th day of the series. `days` must be at least 1.
pub fn trailing_average(series: &DailySeries, days: usize) -> Vec<Point> {
    let days = days.max(1);
    let v = series.values();
    (days.saturating_sub(1)..series.len())
        .map(|end| {
            let start = end + 1 - days;
            let value = match series.first_absent(start, end) {
                Some(day) => Err(Missing::Day { day }),
                None => Ok(v[start..=end].iter().flatten().sum::<i64>() as f64 / days as f64),
            };
            Point::of(series.date(end), value)
        })
        .collect()
}

/// A week compared with the week before.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WeekOnWeek {
    /// The last day of this week.
    pub date: epiledger_core::Date,
    /// The cases of the 7 days ending on `date`, if all are known.
    pub this_week: Option<i64>,
    /// The cases of the 7 days before those, if all are known.
    pub last_week: Option<i64>,
    /// (this week − last week) / last week, if it exists.
    pub change: Option<f64>,
    /// Why there is no change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absent: Option<Missing>,
}

/// The week-on-week change, one entry a day from the series' 14th day.
pub fn week_on_week(series: &DailySeries) -> Vec<WeekOnWeek> {
    let v = series.values();
    let week = |from: usize| -> Result<i64, Missing> {
        match series.first_absent(from, from + 6) {
            Some(day) => Err(Missing::Day { day }),
            None => Ok(v[from..from + 7].iter().flatten().sum()),
        }
    };
    (13..series.len())
        .map(|end| {
            let (last, this) = (week(end - 13), week(end - 6));
            let change = match (last, this) {
                (Err(m), _) | (_, Err(m)) => Err(m),
                (Ok(0), Ok(_)) => Err(Missing::ZeroBase {
                    from: series.date(end - 13),
                    to: series.date(end - 7),
                }),
                (Ok(l), Ok(t)) => Ok((t - l) as f64 / l as f64),
            };
            WeekOnWeek {
                date: series.date(end),
                this_week: this.ok(),
                last_week: last.ok(),
                change: change.ok(),
                absent: change.err(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn series(values: Vec<Option<i64>>) -> DailySeries {
        DailySeries::new("2022-03-01".parse().unwrap(), values).unwrap()
    }

    #[test]
    fn averages_trail_and_keep_absent_days() {
        let s = series((1..=10).map(Some).chain([None, Some(5)]).collect());
        let avg = trailing_average(&s, 7);
        assert_eq!(avg.len(), 6);
        assert_eq!(avg[0].date.to_string(), "2022-03-07");
        assert_eq!(avg[0].value, Some(4.0));
        assert_eq!(avg[3].value, Some(7.0));
        assert_eq!(avg[4].value, None);
        assert!(matches!(avg[5].absent, Some(Missing::Day { .. })));
    }

    #[test]
    fn week_on_week_change() {
        let s = series([Some(1); 7].into_iter().chain([Some(2); 7]).collect());
        let w = week_on_week(&s);
        assert_eq!(w.len(), 1);
        assert_eq!(
            (w[0].last_week, w[0].this_week, w[0].change),
            (Some(7), Some(14), Some(1.0))
        );
        let s = series([Some(0); 7].into_iter().chain([Some(2); 7]).collect());
        assert!(matches!(
            week_on_week(&s)[0].absent,
            Some(Missing::ZeroBase { .. })
        ));
    }

    proptest! {
        /// The 7-day average of a constant series is that constant, and its week-on-week
        /// change is 0.
        #[test]
        fn constant_series(c in 0i64..1_000_000, len in 14usize..60) {
            let s = series(vec![Some(c); len]);
            for p in trailing_average(&s, 7) {
                prop_assert_eq!(p.value, Some(c as f64));
            }
            for w in week_on_week(&s) {
                prop_assert_eq!(w.change, if c == 0 { None } else { Some(0.0) });
            }
        }

        /// The average times 7 is the sum of the 7 days.
        #[test]
        fn average_is_the_sum_over_seven(values in proptest::collection::vec(0i64..10_000, 7..40)) {
            let s = series(values.iter().map(|&v| Some(v)).collect());
            for (i, p) in trailing_average(&s, 7).iter().enumerate() {
                let sum: i64 = values[i..i + 7].iter().sum();
                prop_assert!((p.value.unwrap() * 7.0 - sum as f64).abs() < 1e-6);
            }
        }
    }
}
