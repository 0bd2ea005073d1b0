//! The resident population of each province, from the 2020 (seventh) national census, for
//! rates per 100,000.
//!
//! Source: National Bureau of Statistics of China, *Communiqué of the Seventh National
//! Population Census (No. 3): population by region* (国家统计局《第七次全国人口普查公报（第三号）》),
//! 2021-05-11, resident population on 2020-11-01. Shipped as numbers in
//! `data/population-2020.tsv`, compiled in.
//!
//! - The nation (100000) is the census total, 1,411,778,724: the 31 provinces (1,409,778,724)
//!   and 2,000,000 active-duty servicemen who belong to no province.
//! - The XPCC (660000) has no population here, so no rate: the census counts its residents
//!   inside Xinjiang, while the bulletins report the XPCC's cases apart from Xinjiang's. So
//!   Xinjiang's rate (650000) divides Xinjiang's cases without the XPCC's by a population that
//!   includes the XPCC's residents, and is a little low; add the XPCC's cases to Xinjiang's for
//!   a rate of the whole region.

use std::sync::OnceLock;

use epiledger_core::RegionCode;

static TABLE: &str = include_str!("../data/population-2020.tsv");

fn table() -> &'static [(RegionCode, u64)] {
    static PARSED: OnceLock<Vec<(RegionCode, u64)>> = OnceLock::new();
    PARSED.get_or_init(|| {
        TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let (code, n) = l.split_once('\t').expect("code<TAB>population");
                (
                    code.parse().expect("a region code"),
                    n.trim().parse().expect("a population"),
                )
            })
            .collect()
    })
}

/// A region without a census population here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PopulationError {
    /// The XPCC, which the census counts inside Xinjiang.
    #[error(
        "the 2020 census counts the XPCC (660000) inside Xinjiang and gives it no population of \
         its own, so it has no rate per 100,000: add its cases to Xinjiang's (650000) for a rate \
         of the whole region"
    )]
    Xpcc,
    /// Anything but the nation and the 31 provinces.
    #[error(
        "{0} has no population in the 2020 census table: rates are given for the nation \
         (100000) and the 31 provinces"
    )]
    Unknown(RegionCode),
}

/// The resident population of the nation or a province at the 2020 census.
pub fn population(region: RegionCode) -> Result<u64, PopulationError> {
    if region == RegionCode::XPCC {
        return Err(PopulationError::Xpcc);
    }
    table()
        .iter()
        .find(|(c, _)| *c == region)
        .map(|(_, n)| *n)
        .ok_or(PopulationError::Unknown(region))
}

/// Every region with a population: the nation, then the 31 provinces in code order.
pub fn populations() -> &'static [(RegionCode, u64)] {
    table()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_census_totals() {
        let provinces: Vec<_> = populations()
            .iter()
            .filter(|(c, _)| *c != RegionCode::NATION)
            .collect();
        assert_eq!(provinces.len(), 31);
        assert_eq!(provinces.iter().map(|(_, n)| n).sum::<u64>(), 1_409_778_724);
        assert_eq!(population(RegionCode::NATION), Ok(1_411_778_724));
        assert_eq!(population(RegionCode::HUBEI), Ok(57_752_557));
        assert_eq!(population(RegionCode::XPCC), Err(PopulationError::Xpcc));
        assert!(matches!(
            population(RegionCode::WUHAN),
            Err(PopulationError::Unknown(_))
        ));
        // Every province of the registry's reporting units but the XPCC has one.
        for u in epiledger_core::ledger::hierarchy::REPORTING_UNITS {
            assert_eq!(population(u).is_ok(), u != RegionCode::XPCC, "{u}");
        }
    }
}
