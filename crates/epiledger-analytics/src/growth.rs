//! The exponential growth rate, by a log-linear least-squares fit, and the doubling or halving
//! time it implies.
//!
//! Over a window of n days ending on each day (n = 7 by default), with x = 0 … n − 1 the days
//! and y = ln(cases), ordinary least squares fits y = c + r x. Then
//!
//! - r is the daily growth rate (0.1 is about +10.5% a day: e^r − 1);
//! - its standard error is se = √(RSS / (n − 2) / Σ(x − x̄)²), RSS the residual sum of squares;
//! - its 95% confidence interval is r ± t₀.₉₇₅,ₙ₋₂ · se, with Student's t quantile;
//! - for r > 0 the doubling time is ln 2 / r days, for r < 0 the halving time is ln 2 / |r|,
//!   with the interval ln 2 / (the interval of r) where that interval does not contain 0 (an
//!   unbounded end is `None`).
//!
//! **Zero counts**: ln 0 does not exist, so a window with a day of 0 cases has no estimate
//! (absent, with the day); neither does a window with an absent day. Nothing is added to the
//! counts (no ln(x + 1)), which would bias r towards 0 at low counts. For series with many
//! small counts, a Poisson regression is the better tool; it is not implemented here.

use epiledger_core::Date;
use serde::{Deserialize, Serialize};

use crate::daily::{DailySeries, Missing};
use crate::special::student_t_quantile;

/// A window too short for a fit with an interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the window is {0} day(s), but a log-linear fit with a confidence interval needs at least 3: \
     give --window 3 or more (7 by default)"
)]
pub struct GrowthWindowError(pub usize);

/// A doubling or halving time, in days, with its 95% interval (`None`: unbounded).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Time {
    /// ln 2 / |r|.
    pub days: f64,
    /// The lower end of the interval.
    pub lower: f64,
    /// The upper end of the interval, `None` where the interval of r reaches 0.
    pub upper: Option<f64>,
}

/// The fit over one window.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Growth {
    /// The window's last day.
    pub date: Date,
    /// The window's first day.
    pub start: Date,
    /// The daily growth rate r.
    pub rate: f64,
    /// Its standard error.
    pub se: f64,
    /// The lower end of its 95% confidence interval.
    pub lower: f64,
    /// The upper end of its 95% confidence interval.
    pub upper: f64,
    /// The doubling time, where r > 0.
    pub doubling: Option<Time>,
    /// The halving time, where r < 0.
    pub halving: Option<Time>,
}

/// One window: a fit, or why there is none.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum GrowthEntry {
    /// The fit.
    Estimate(Growth),
    /// No fit.
    Absent {
        /// The window's last day.
        date: Date,
        /// Why.
        reason: Missing,
    },
}

/// The growth rate over windows of `window` days ending on each day from the `window`-th.
pub fn growth_rate(
    series: &DailySeries,
    window: usize,
) -> Result<Vec<GrowthEntry>, GrowthWindowError> {
    if window < 3 {
        return Err(GrowthWindowError(window));
    }
    let n = window as f64;
    let t = student_t_quantile(0.975, n - 2.0);
    let x_mean = (n - 1.0) / 2.0;
    let sxx: f64 = (0..window).map(|i| (i as f64 - x_mean).powi(2)).sum();
    let v = series.values();
    let mut out = Vec::new();
    for end in window - 1..series.len() {
        let start = end + 1 - window;
        let date = series.date(end);
        if let Some(day) = series.first_absent(start, end) {
            out.push(GrowthEntry::Absent {
                date,
                reason: Missing::Day { day },
            });
            continue;
        }
        if let Some(i) = (start..=end).find(|&i| v[i] == Some(0)) {
            out.push(GrowthEntry::Absent {
                date,
                reason: Missing::Zero {
                    day: series.date(i),
                },
            });
            continue;
        }
        let y: Vec<f64> = v[start..=end]
            .iter()
            .map(|c| (c.unwrap_or(0) as f64).ln())
            .collect();
        let y_mean = y.iter().sum::<f64>() / n;
        let sxy: f64 = y
            .iter()
            .enumerate()
            .map(|(i, y)| (i as f64 - x_mean) * (y - y_mean))
            .sum();
        let rate = sxy / sxx;
        let rss: f64 = y
            .iter()
            .enumerate()
            .map(|(i, y)| (y - y_mean - rate * (i as f64 - x_mean)).powi(2))
            .sum();
        let se = (rss / (n - 2.0) / sxx).sqrt();
        let (lower, upper) = (rate - t * se, rate + t * se);
        let ln2 = std::f64::consts::LN_2;
        let time = |r: f64, near: f64, far: f64| Time {
            days: ln2 / r.abs(),
            lower: ln2 / far.abs(),
            upper: (near.signum() == r.signum() && near != 0.0).then(|| ln2 / near.abs()),
        };
        out.push(GrowthEntry::Estimate(Growth {
            date,
            start: series.date(start),
            rate,
            se,
            lower,
            upper,
            doubling: (rate > 0.0).then(|| time(rate, lower, upper)),
            halving: (rate < 0.0).then(|| time(rate, upper, lower)),
        }));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn series(values: Vec<Option<i64>>) -> DailySeries {
        DailySeries::new("2022-03-01".parse().unwrap(), values).unwrap()
    }

    #[test]
    fn exact_doubling() {
        let s = series((0..7).map(|i| Some(10 << i)).collect());
        let g = growth_rate(&s, 7).unwrap();
        let GrowthEntry::Estimate(e) = g[0] else {
            panic!()
        };
        assert!((e.rate - 2f64.ln()).abs() < 1e-12);
        assert!(e.se < 1e-12);
        let d = e.doubling.unwrap();
        assert!((d.days - 1.0).abs() < 1e-12);
        assert!(e.halving.is_none());
    }

    #[test]
    fn interval_with_noise_against_r() {
        // R: x <- 0:6; y <- log(c(12, 15, 13, 20, 24, 22, 31));
        // coef(lm(y ~ x))["x"] = 0.150940380053, confint(lm(y ~ x))["x", ] = 0.0864589771886
        // 0.215421782918 (R 4.2.2).
        let s = series([12, 15, 13, 20, 24, 22, 31].map(Some).to_vec());
        let GrowthEntry::Estimate(e) = growth_rate(&s, 7).unwrap()[0] else {
            panic!()
        };
        assert!((e.rate - 0.150_940_380_053).abs() < 1e-11, "{}", e.rate);
        assert!((e.lower - 0.086_458_977_188_6).abs() < 1e-11, "{}", e.lower);
        assert!((e.upper - 0.215_421_782_918).abs() < 1e-11, "{}", e.upper);
        let d = e.doubling.unwrap();
        assert!((d.lower - 2f64.ln() / e.upper).abs() < 1e-12);
        assert!((d.upper.unwrap() - 2f64.ln() / e.lower).abs() < 1e-12);
    }

    #[test]
    fn zeros_and_absent_days_have_no_fit() {
        let s = series(vec![
            Some(3),
            Some(0),
            Some(4),
            None,
            Some(5),
            Some(6),
            Some(7),
            Some(8),
        ]);
        let g = growth_rate(&s, 3).unwrap();
        assert!(matches!(
            g[0],
            GrowthEntry::Absent {
                reason: Missing::Zero { .. },
                ..
            }
        ));
        assert!(matches!(
            g[1],
            GrowthEntry::Absent {
                reason: Missing::Day { .. },
                ..
            }
        ));
        assert!(matches!(g[5], GrowthEntry::Estimate(_)));
        assert_eq!(growth_rate(&s, 2), Err(GrowthWindowError(2)));
    }

    proptest! {
        /// A constant series has r = 0 and no doubling or halving time; scaling a series does
        /// not change r.
        #[test]
        fn identities(c in 1i64..100_000, k in 2i64..50, values in proptest::collection::vec(1i64..1000, 7)) {
            let g = growth_rate(&series(vec![Some(c); 7]), 7).unwrap();
            let GrowthEntry::Estimate(e) = g[0] else { panic!() };
            prop_assert!(e.rate.abs() < 1e-12);
            let a = growth_rate(&series(values.iter().map(|&v| Some(v)).collect()), 7).unwrap();
            let b = growth_rate(&series(values.iter().map(|&v| Some(v * k)).collect()), 7).unwrap();
            let (GrowthEntry::Estimate(a), GrowthEntry::Estimate(b)) = (a[0], b[0]) else { panic!() };
            prop_assert!((a.rate - b.rate).abs() < 1e-9);
            prop_assert!(a.lower <= a.rate && a.rate <= a.upper);
        }
    }
}
