//! The time-varying reproduction number Rt, as EpiEstim 2.2-4's
//! `estimate_R(incid, method = "parametric_si", config = make_config(list(mean_si, std_si)))`
//! computes it (Cori, Ferguson, Fraser & Cauchemez 2013, Am J Epidemiol 178:1505–1512), with its
//! defaults, and missing days kept missing.
//!
//! With I_t = local_t + imported_t the cases of day t (t = 1 … T, the first day of the incidence
//! being t = 1) and w the discretised serial interval ([`crate::si`]):
//!
//! - the first day's local cases count as imported (EpiEstim assumes every case of the first
//!   day was infected elsewhere);
//! - the infectivity of day t is Λ_t = Σ_{k=1}^{t−1} w_k I_{t−k}: local and imported cases both
//!   infect;
//! - the window ending on day t_e starts on t_s = t_e − window + 1, for t_s = 2 … T − window + 1;
//! - with the Gamma prior of mean 5 and standard deviation 5 (shape a₀ = 1, scale b₀ = 5), Rt
//!   over the window has the Gamma posterior of shape a = a₀ + Σ_{t_s…t_e} local_t (only local
//!   cases were caused by local transmission) and scale b = 1 / (1/b₀ + Σ_{t_s…t_e} Λ_t);
//! - its mean is a·b, its standard deviation √a·b, its quantiles those of Gamma(a, b);
//! - a window whose end t_e is not past the mean of the discretised serial interval (computed
//!   over k = 0 … T − 1) has no estimate in EpiEstim and is left out here.
//!
//! EpiEstim reads a missing count as 0. Here a day may be absent (missing is not zero): a window
//! that contains an absent day, or that has one within the serial interval's reach before it
//! (the days that carry 99.9% of its weight, [`RtSeries::reach`]), gives an
//! [`RtEntry::Absent`] with the day and the reason instead of an estimate. Absent days further
//! back than that are read as 0 in the infectivity, with a weight below 0.1%.

use std::collections::HashMap;

use epiledger_core::Date;
use serde::{Deserialize, Serialize};

use crate::incidence::Incidence;
use crate::si::{SerialInterval, SiError};
use crate::special::{gamma_quantile_with, normal_quantile};

/// How Rt is estimated.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RtConfig {
    /// The serial interval.
    pub si: SerialInterval,
    /// The length of the sliding window, in days (EpiEstim's default: 7); at least 2.
    pub window: usize,
    /// The mean of the Gamma prior of Rt (EpiEstim's default: 5).
    pub mean_prior: f64,
    /// The standard deviation of the Gamma prior of Rt (EpiEstim's default: 5).
    pub std_prior: f64,
}

impl Default for RtConfig {
    fn default() -> Self {
        RtConfig {
            si: SerialInterval::NISHIURA_2020,
            window: 7,
            mean_prior: 5.0,
            std_prior: 5.0,
        }
    }
}

impl RtConfig {
    /// A configuration with EpiEstim's prior, checked: mean > 1, sd > 0, window ≥ 2.
    pub fn new(si_mean: f64, si_sd: f64, window: usize) -> Result<RtConfig, RtError> {
        let cfg = RtConfig {
            si: SerialInterval::new(si_mean, si_sd)?,
            window,
            ..RtConfig::default()
        };
        cfg.check()?;
        Ok(cfg)
    }

    /// Checks every parameter.
    pub fn check(&self) -> Result<(), RtError> {
        SerialInterval::new(self.si.mean, self.si.sd)?;
        if self.window < 2 {
            return Err(RtError::Window(self.window));
        }
        for (what, v) in [
            ("mean", self.mean_prior),
            ("standard deviation", self.std_prior),
        ] {
            if !(v.is_finite() && v > 0.0) {
                return Err(RtError::Prior { what, value: v });
            }
        }
        Ok(())
    }
}

/// An estimate that cannot be made. Nothing is computed when one of these is returned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RtError {
    /// The serial interval is invalid.
    #[error(transparent)]
    Si(#[from] SiError),
    /// The window is shorter than 2 days.
    #[error(
        "the window is {0} day(s), but it must be at least 2 (EpiEstim's default is 7): give \
         --window 2 or more"
    )]
    Window(usize),
    /// The prior is invalid.
    #[error("the prior's {what} is {value}, but it must be more than 0")]
    Prior {
        /// `mean` or `standard deviation`.
        what: &'static str,
        /// The value given.
        value: f64,
    },
    /// Fewer days than one window needs.
    #[error(
        "the incidence has {days} day(s) ({start} … {end}), but a window of {window} days needs \
         at least {needed} (the first day only seeds the infectivity): give a longer range or \
         a shorter --window"
    )]
    TooShort {
        /// The days given.
        days: usize,
        /// The window.
        window: usize,
        /// The days needed: window + 1.
        needed: usize,
        /// The first day.
        start: Date,
        /// The last day.
        end: Date,
    },
}

/// The estimate over one window.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RtEstimate {
    /// The window's last day: the date the estimate is reported under.
    pub date: Date,
    /// The window's first day.
    pub start: Date,
    /// The posterior mean.
    pub mean: f64,
    /// The posterior standard deviation.
    pub std: f64,
    /// The 2.5% quantile.
    pub q025: f64,
    /// The 5% quantile.
    pub q05: f64,
    /// The 25% quantile.
    pub q25: f64,
    /// The median.
    pub median: f64,
    /// The 75% quantile.
    pub q75: f64,
    /// The 95% quantile.
    pub q95: f64,
    /// The 97.5% quantile.
    pub q975: f64,
    /// The local cases of the window (the posterior shape is this plus the prior's shape).
    pub local_cases: i64,
    /// The window's total infectivity Σ Λ_t. Where it is 0 (no case before the window within
    /// the serial interval), the posterior is the prior updated by the local cases alone, as
    /// EpiEstim 2.2-4 reports it; a reader may want to flag such windows.
    pub infectivity: f64,
}

/// Why a window has no estimate.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AbsentReason {
    /// A day of the window has no figure.
    #[error("the figure of {day}, in the window, is absent")]
    MissingInWindow {
        /// The first absent day of the window.
        day: Date,
    },
    /// A day before the window, within the serial interval's reach, has no figure, so the
    /// infectivity is unknown.
    #[error(
        "the figure of {day} is absent, and the window's infectivity depends on it through the \
         serial interval"
    )]
    MissingBefore {
        /// The latest absent day before the window.
        day: Date,
    },
}

/// One window: an estimate or the reason there is none.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RtEntry {
    /// The posterior of Rt over the window.
    Estimate(RtEstimate),
    /// No estimate: a figure the window depends on is absent.
    Absent {
        /// The window's last day.
        date: Date,
        /// The window's first day.
        start: Date,
        /// Why.
        reason: AbsentReason,
        /// The reason in words.
        message: String,
    },
}

impl RtEntry {
    /// The window's last day.
    pub fn date(&self) -> Date {
        match self {
            RtEntry::Estimate(e) => e.date,
            RtEntry::Absent { date, .. } => *date,
        }
    }

    /// The estimate, if there is one.
    pub fn estimate(&self) -> Option<&RtEstimate> {
        match self {
            RtEntry::Estimate(e) => Some(e),
            RtEntry::Absent { .. } => None,
        }
    }
}

/// Rt over every window of an incidence.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RtSeries {
    /// The configuration used.
    pub config: RtConfig,
    /// The mean of the discretised serial interval over k = 0 … T − 1, as EpiEstim computes
    /// it: windows ending on a day t ≤ this mean are left out.
    pub si_mean_discrete: f64,
    /// How many days before a window an absent day makes its estimate absent: the smallest K
    /// whose weights w_1 … w_K carry 99.9% of the serial interval.
    pub reach: usize,
    /// One entry a window, by date; windows EpiEstim gives no estimate for are left out.
    pub entries: Vec<RtEntry>,
}

impl RtSeries {
    /// The estimates alone, with the absent windows left out.
    pub fn estimates(&self) -> impl Iterator<Item = &RtEstimate> + '_ {
        self.entries.iter().filter_map(RtEntry::estimate)
    }
}

/// The probabilities of the reported quantiles.
pub const QUANTILES: [f64; 7] = [0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975];

/// Estimates Rt over sliding windows of `config.window` days ending on each day from the
/// (window + 1)-th day of `incidence` to its last. See the module's documentation.
pub fn estimate_rt(incidence: &Incidence, config: &RtConfig) -> Result<RtSeries, RtError> {
    config.check()?;
    let t_len = incidence.len();
    let window = config.window;
    if t_len < window + 1 {
        return Err(RtError::TooShort {
            days: t_len,
            window,
            needed: window + 1,
            start: incidence.start(),
            end: incidence.end(),
        });
    }
    let w = config.si.weights(t_len);
    let si_mean_discrete: f64 = w.iter().enumerate().map(|(k, x)| k as f64 * x).sum();
    let support = w.iter().rposition(|&x| x > 0.0).unwrap_or(0);
    let reach = {
        let total: f64 = w.iter().sum();
        let mut acc = 0.0;
        let mut k = 0;
        while k < support && acc < 0.999 * total {
            k += 1;
            acc += w[k];
        }
        k
    };

    // Counts with absent days as 0 (they are kept out of the estimates below), and the first
    // day's local cases moved to imported.
    let days = incidence.days();
    let total: Vec<f64> = days
        .iter()
        .map(|d| d.map_or(0.0, |c| c.total() as f64))
        .collect();
    let mut local: Vec<i64> = days.iter().map(|d| d.map_or(0, |c| c.local)).collect();
    local[0] = 0;

    // Λ_t, 0-based t ≥ 1: Σ_{k=1}^{t} w_k I_{t−k}.
    let mut lambda = vec![0.0; t_len];
    for (t, out) in lambda.iter_mut().enumerate().skip(1) {
        let kmax = t.min(support);
        let mut s = 0.0;
        for k in 1..=kmax {
            s += w[k] * total[t - k];
        }
        *out = s;
    }

    // The latest absent day at or before each day.
    let mut last_absent: Vec<Option<usize>> = Vec::with_capacity(t_len);
    let mut latest = None;
    for (i, d) in days.iter().enumerate() {
        if d.is_none() {
            latest = Some(i);
        }
        last_absent.push(latest);
    }

    let a_prior = (config.mean_prior / config.std_prior).powi(2);
    let b_prior = config.std_prior * config.std_prior / config.mean_prior;
    let z = QUANTILES.map(normal_quantile);
    let mut quantiles: HashMap<u64, [f64; 7]> = HashMap::new();
    let mut entries = Vec::with_capacity(t_len - window);
    for ts in 1..=(t_len - window) {
        let te = ts + window - 1;
        // EpiEstim's time steps are 1-based: the window ends on step te + 1.
        if (te + 1) as f64 <= si_mean_discrete {
            continue;
        }
        let date = incidence.date(te);
        let start = incidence.date(ts);
        if let Some(j) = last_absent[te] {
            if j + reach >= ts {
                let reason = if j >= ts {
                    let first = (ts..=te).find(|&i| days[i].is_none()).unwrap_or(j);
                    AbsentReason::MissingInWindow {
                        day: incidence.date(first),
                    }
                } else {
                    AbsentReason::MissingBefore {
                        day: incidence.date(j),
                    }
                };
                entries.push(RtEntry::Absent {
                    date,
                    start,
                    message: reason.to_string(),
                    reason,
                });
                continue;
            }
        }
        let local_cases: i64 = local[ts..=te].iter().sum();
        let infectivity: f64 = lambda[ts..=te].iter().sum();
        let a = a_prior + local_cases as f64;
        let b = 1.0 / (1.0 / b_prior + infectivity);
        // The quantiles of Gamma(a, 1) depend on the shape alone, which many windows share
        // (every window without a local case has a = a₀).
        let unit = *quantiles.entry(a.to_bits()).or_insert_with(|| {
            let mut q = [0.0; 7];
            for (i, (&p, &z)) in QUANTILES.iter().zip(&z).enumerate() {
                q[i] = gamma_quantile_with(a, p, z);
            }
            q
        });
        let q = unit.map(|x| b * x);
        entries.push(RtEntry::Estimate(RtEstimate {
            date,
            start,
            mean: a * b,
            std: a.sqrt() * b,
            q025: q[0],
            q05: q[1],
            q25: q[2],
            median: q[3],
            q75: q[4],
            q95: q[5],
            q975: q[6],
            local_cases,
            infectivity,
        }));
    }
    Ok(RtSeries {
        config: *config,
        si_mean_discrete,
        reach,
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incidence::Cases;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn inc(counts: &[Option<(i64, i64)>]) -> Incidence {
        Incidence::new(
            d("2020-03-01"),
            counts
                .iter()
                .map(|c| c.map(|(local, imported)| Cases { local, imported }))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn bad_configurations_are_errors() {
        assert!(matches!(
            RtConfig::new(1.0, 2.9, 7),
            Err(RtError::Si(SiError::Mean(_)))
        ));
        assert!(matches!(
            RtConfig::new(4.7, 0.0, 7),
            Err(RtError::Si(SiError::Sd(_)))
        ));
        assert!(matches!(
            RtConfig::new(4.7, 2.9, 1),
            Err(RtError::Window(1))
        ));
        assert!(matches!(
            RtConfig::new(4.7, 2.9, 0),
            Err(RtError::Window(0))
        ));
        let short = inc(&[Some((1, 0)); 7]);
        let e = estimate_rt(&short, &RtConfig::default()).unwrap_err();
        assert!(
            matches!(
                e,
                RtError::TooShort {
                    days: 7,
                    needed: 8,
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().contains("--window"), "{e}");
    }

    #[test]
    fn windows_and_dates_follow_epiestim() {
        let series = estimate_rt(&inc(&[Some((5, 0)); 20]), &RtConfig::default()).unwrap();
        // t_start = 2 … 14, t_end = 8 … 20: 13 windows, the first ending on the 8th day.
        assert_eq!(series.entries.len(), 13);
        let first = series.entries[0].estimate().unwrap();
        assert_eq!(
            (first.start, first.date),
            (d("2020-03-02"), d("2020-03-08"))
        );
        assert_eq!(series.entries[12].date(), d("2020-03-20"));
        // With a 2-day window, the windows ending on a step ≤ the SI's mean (4.7) are left out.
        let cfg = RtConfig::new(4.7, 2.9, 2).unwrap();
        let series = estimate_rt(&inc(&[Some((5, 0)); 20]), &cfg).unwrap();
        assert_eq!(series.entries[0].date(), d("2020-03-05"));
    }

    #[test]
    fn first_day_counts_as_imported_and_never_zero() {
        let mut counts = vec![Some((0, 0)); 15];
        counts[0] = Some((10, 0));
        let a = estimate_rt(&inc(&counts), &RtConfig::default()).unwrap();
        counts[0] = Some((0, 10));
        let b = estimate_rt(&inc(&counts), &RtConfig::default()).unwrap();
        assert_eq!(a, b);
        for e in a.estimates() {
            assert!(e.q025 > 0.0 && e.mean > 0.0);
            assert_eq!(e.local_cases, 0);
        }
    }

    #[test]
    fn posterior_in_closed_form() {
        // One imported case on day 1, then 2 local cases a day.
        let mut counts = vec![Some((2, 0)); 12];
        counts[0] = Some((0, 1));
        let cfg = RtConfig::default();
        let s = estimate_rt(&inc(&counts), &cfg).unwrap();
        let w = cfg.si.weights(12);
        let total: Vec<f64> = counts
            .iter()
            .map(|c| c.map_or(0, |(l, i)| l + i) as f64)
            .collect();
        let lambda = |t: usize| (1..=t).map(|k| w[k] * total[t - k]).sum::<f64>();
        let e = s.entries[0].estimate().unwrap();
        let infect: f64 = (1..=7).map(lambda).sum();
        let a = 1.0 + 14.0;
        let b = 1.0 / (1.0 / 5.0 + infect);
        assert!((e.mean - a * b).abs() < 1e-14 * a * b);
        assert!((e.std - a.sqrt() * b).abs() < 1e-14 * a * b);
        assert!(e.q025 < e.q05 && e.q05 < e.q25 && e.q25 < e.median && e.median < e.q75);
        assert!(e.q75 < e.q95 && e.q95 < e.q975);
    }

    #[test]
    fn absent_days_make_their_windows_absent() {
        let mut counts = vec![Some((3, 1)); 80];
        counts[40] = None;
        let s = estimate_rt(&inc(&counts), &RtConfig::default()).unwrap();
        let reach = s.reach;
        assert!((10..40).contains(&reach), "{reach}");
        for e in &s.entries {
            // 0-based index of the window's last day.
            let te = e.date().days_since(d("2020-03-01")) as usize;
            let ts = te + 1 - 7;
            let affected = ts <= 40 + reach && 40 <= te;
            match e {
                RtEntry::Absent { reason, .. } => {
                    assert!(affected, "{te}");
                    let expected = if ts <= 40 {
                        AbsentReason::MissingInWindow {
                            day: d("2020-04-10"),
                        }
                    } else {
                        AbsentReason::MissingBefore {
                            day: d("2020-04-10"),
                        }
                    };
                    assert_eq!(*reason, expected);
                }
                RtEntry::Estimate(_) => assert!(!affected, "{te}"),
            }
        }
        let json = serde_json::to_string(&s.entries[40]).unwrap();
        assert!(
            json.contains("\"status\":\"absent\"") && json.contains("2020-04-10"),
            "{json}"
        );
    }
}
