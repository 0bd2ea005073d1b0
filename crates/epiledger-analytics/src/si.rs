//! The serial interval: the time from a primary case's symptom onset to a secondary case's,
//! as a discrete distribution over whole days, the way EpiEstim 2.2-4 discretises it
//! (`discr_si`, Cori et al. 2013, Web Appendix 11).
//!
//! The continuous serial interval is taken as 1 + Gamma(shape a, scale b) with
//! a = ((μ − 1)/σ)² and b = σ²/(μ − 1), so that it has mean μ and standard deviation σ. The
//! weight of day k is the integral of that density against the triangle of width 2 centred on
//! k, which in closed form, with F the Gamma(a, b) distribution function and F⁺ that of
//! Gamma(a + 1, b), is
//!
//! ```text
//! w(k) = k F(k) + (k − 2) F(k − 2) − 2 (k − 1) F(k − 1)
//!        + a b (2 F⁺(k − 1) − F⁺(k − 2) − F⁺(k)),       floored at 0,
//! ```
//!
//! with F(x) = 0 for x ≤ 0; so w(0) = 0 and the weights sum to 1 over k ≥ 0.

use serde::{Deserialize, Serialize};

use crate::special::gamma_p;

/// A parametric serial interval: its mean and standard deviation in days.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SerialInterval {
    /// The mean, in days; more than 1.
    pub mean: f64,
    /// The standard deviation, in days; more than 0.
    pub sd: f64,
}

/// A serial interval that cannot be discretised.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SiError {
    /// The mean is 1 day or less (or not a number).
    #[error(
        "the serial interval's mean is {0} days, but it must be more than 1 (the discretisation \
         shifts a gamma distribution by one day): give --si-mean greater than 1, for example 4.7"
    )]
    Mean(f64),
    /// The standard deviation is 0 or less (or not a number).
    #[error(
        "the serial interval's standard deviation is {0} days, but it must be more than 0: give \
         --si-sd greater than 0, for example 2.9"
    )]
    Sd(f64),
}

impl SerialInterval {
    /// The default: mean 4.7 days, standard deviation 2.9 days, the serial interval of COVID-19
    /// estimated by Nishiura, Linton & Akhmetzhanov (2020), Int J Infect Dis 93:284–286,
    /// doi:10.1016/j.ijid.2020.02.060 (28 infector–infectee pairs, lognormal fit).
    pub const NISHIURA_2020: SerialInterval = SerialInterval { mean: 4.7, sd: 2.9 };

    /// A serial interval, checked: mean > 1 and sd > 0, both finite.
    pub fn new(mean: f64, sd: f64) -> Result<SerialInterval, SiError> {
        if !(mean.is_finite() && mean > 1.0) {
            return Err(SiError::Mean(mean));
        }
        if !(sd.is_finite() && sd > 0.0) {
            return Err(SiError::Sd(sd));
        }
        Ok(SerialInterval { mean, sd })
    }

    /// The shape and scale of the gamma distribution behind the shifted serial interval.
    pub fn gamma_shape_scale(&self) -> (f64, f64) {
        let m = self.mean - 1.0;
        ((m / self.sd).powi(2), self.sd * self.sd / m)
    }

    /// The weights w(0), …, w(len − 1). EpiEstim computes them for k = 0 … T − 1 for an
    /// incidence of T days; so does [`crate::rt::estimate_rt`].
    pub fn weights(&self, len: usize) -> Vec<f64> {
        let (a, b) = self.gamma_shape_scale();
        let cdf = |x: f64| if x <= 0.0 { 0.0 } else { gamma_p(a, x / b) };
        let cdf1 = |x: f64| {
            if x <= 0.0 {
                0.0
            } else {
                gamma_p(a + 1.0, x / b)
            }
        };
        let mut out = Vec::with_capacity(len);
        // F(k − 2), F(k − 1), F⁺(k − 2), F⁺(k − 1), carried from one k to the next.
        let (mut f2, mut f1, mut g2, mut g1) = (0.0, 0.0, 0.0, 0.0);
        let mut saturated = false;
        for k in 0..len {
            if saturated {
                // All four distribution functions are exactly 1: every later weight is
                // k + (k − 2) − 2(k − 1) + ab(2 − 1 − 1) = 0 exactly.
                out.push(0.0);
                continue;
            }
            let kf = k as f64;
            let f0 = cdf(kf);
            let g0 = cdf1(kf);
            let w =
                kf * f0 + (kf - 2.0) * f2 - 2.0 * (kf - 1.0) * f1 + a * b * (2.0 * g1 - g2 - g0);
            out.push(w.max(0.0));
            f2 = f1;
            f1 = f0;
            g2 = g1;
            g1 = g0;
            saturated = f2 == 1.0 && g2 == 1.0;
        }
        out
    }
}

impl Default for SerialInterval {
    fn default() -> Self {
        SerialInterval::NISHIURA_2020
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_epiestim_rejects() {
        assert!(matches!(
            SerialInterval::new(1.0, 2.0),
            Err(SiError::Mean(_))
        ));
        assert!(matches!(
            SerialInterval::new(0.5, 2.0),
            Err(SiError::Mean(_))
        ));
        assert!(matches!(
            SerialInterval::new(f64::NAN, 2.0),
            Err(SiError::Mean(_))
        ));
        assert!(matches!(SerialInterval::new(4.7, 0.0), Err(SiError::Sd(_))));
        assert!(matches!(
            SerialInterval::new(4.7, -1.0),
            Err(SiError::Sd(_))
        ));
        assert!(SerialInterval::new(1.01, 0.01).is_ok());
        let e = SerialInterval::new(1.0, 2.0).unwrap_err().to_string();
        assert!(e.contains("more than 1") && e.contains("--si-mean"), "{e}");
    }

    #[test]
    fn weights_form_a_distribution_with_the_given_mean() {
        for (m, s) in [(4.7, 2.9), (2.6, 1.5), (7.5, 3.4), (3.96, 4.75)] {
            let si = SerialInterval::new(m, s).unwrap();
            let w = si.weights(400);
            assert_eq!(w[0], 0.0);
            assert!(w.iter().all(|&x| x >= 0.0));
            let total: f64 = w.iter().sum();
            assert!((total - 1.0).abs() < 1e-12, "{m} {s}: {total}");
            let mean: f64 = w.iter().enumerate().map(|(k, x)| k as f64 * x).sum();
            // The last case has a heavy tail (shape 0.39), cut at 400 days.
            assert!((mean - m).abs() < 1e-9, "{m} {s}: {mean}");
        }
    }

    #[test]
    fn weights_of_the_default() {
        // EpiEstim 2.2-4: discr_si(0:3, 4.7, 2.9), printed with 17 digits.
        let w = SerialInterval::NISHIURA_2020.weights(4);
        let expected = [
            0.0,
            0.056_500_786_888_205_12,
            0.178_074_274_311_428_22,
            0.185_418_005_890_766_57,
        ];
        for (x, e) in w.iter().zip(expected) {
            assert!((x - e).abs() <= 1e-13 * e.max(1e-300), "{x} vs {e}");
        }
    }
}
