//! Incidence per 100,000 inhabitants, with the populations of the 2020 census
//! ([`mod@crate::population`]): rate = cases × 100,000 / population.

use epiledger_core::RegionCode;

use crate::daily::{DailySeries, Missing, Point};
use crate::population::{population, PopulationError};

/// Cases per 100,000 inhabitants of a region.
pub fn per_100k(cases: f64, region: RegionCode) -> Result<f64, PopulationError> {
    Ok(cases * 100_000.0 / population(region)? as f64)
}

/// A series' daily cases per 100,000 inhabitants, one point a day (absent days stay absent).
pub fn series_per_100k(
    series: &DailySeries,
    region: RegionCode,
) -> Result<Vec<Point>, PopulationError> {
    let pop = population(region)? as f64;
    Ok(series
        .values()
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let date = series.date(i);
            Point::of(
                date,
                v.map(|v| v as f64 * 100_000.0 / pop)
                    .ok_or(Missing::Day { day: date }),
            )
        })
        .collect())
}

/// Points (a trailing average, say) per 100,000 inhabitants.
pub fn points_per_100k(
    points: &[Point],
    region: RegionCode,
) -> Result<Vec<Point>, PopulationError> {
    let pop = population(region)? as f64;
    Ok(points
        .iter()
        .map(|p| Point {
            value: p.value.map(|v| v * 100_000.0 / pop),
            ..*p
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_of_hubei() {
        let r = per_100k(57_752_557.0, RegionCode::HUBEI).unwrap();
        assert!((r - 100_000.0).abs() < 1e-9);
        assert!(per_100k(1.0, RegionCode::XPCC).is_err());
        let s = DailySeries::new("2020-02-12".parse().unwrap(), vec![Some(14_840), None]).unwrap();
        let p = series_per_100k(&s, RegionCode::HUBEI).unwrap();
        assert!((p[0].value.unwrap() - 25.695_831_961_2).abs() < 1e-9);
        assert!(p[1].value.is_none() && p[1].absent.is_some());
    }
}
