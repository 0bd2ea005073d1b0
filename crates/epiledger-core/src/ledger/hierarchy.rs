//! Which region lies in which, by code arithmetic alone (no registry).
//!
//! A named area lies in its parent; a county-level code in its prefecture (`310115` in
//! `310100`); a prefecture in its province (`420100` in `420000`); each of the 32 reporting
//! units in the nation (`100000`, the Chinese mainland). Hong Kong, Macao and Taiwan, and any
//! other province-level code, lie in nothing.

use crate::{RegionCode, RegionId};

const fn code(n: u32) -> RegionCode {
    match RegionCode::new(n) {
        Some(c) => c,
        None => panic!("not a six-digit region code"),
    }
}

/// The 32 units that report to the nation: the 31 provinces and the XPCC (`660000`).
pub const REPORTING_UNITS: [RegionCode; 32] = [
    code(110000),
    code(120000),
    code(130000),
    code(140000),
    code(150000),
    code(210000),
    code(220000),
    code(230000),
    code(310000),
    code(320000),
    code(330000),
    code(340000),
    code(350000),
    code(360000),
    code(370000),
    code(410000),
    code(420000),
    code(430000),
    code(440000),
    code(450000),
    code(460000),
    code(500000),
    code(510000),
    code(520000),
    code(530000),
    code(540000),
    code(610000),
    code(620000),
    code(630000),
    code(640000),
    code(650000),
    code(660000),
];

/// Whether a code is one of the 32 reporting units.
pub fn is_reporting_unit(c: RegionCode) -> bool {
    c.is_province_level() && REPORTING_UNITS.contains(&c)
}

/// The region a region lies directly in, if any.
pub fn parent(region: &RegionId) -> Option<RegionId> {
    match region {
        RegionId::Area { parent, .. } => Some(RegionId::Code(*parent)),
        RegionId::Code(c) => parent_code(*c).map(RegionId::Code),
    }
}

fn parent_code(c: RegionCode) -> Option<RegionCode> {
    if c == RegionCode::NATION {
        None
    } else if c.is_province_level() {
        is_reporting_unit(c).then_some(RegionCode::NATION)
    } else if c.is_prefecture_level() {
        Some(c.province())
    } else {
        Some(c.prefecture())
    }
}

/// The regions a region lies in, nearest first (`310115` → `310100`, `310000`, `100000`).
pub fn ancestors(region: &RegionId) -> impl Iterator<Item = RegionId> {
    std::iter::successors(parent(region), parent)
}

/// Whether `inner` is `outer` or lies inside it.
pub fn contains(outer: &RegionId, inner: &RegionId) -> bool {
    outer == inner || ancestors(inner).any(|a| a == *outer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> RegionId {
        s.parse().unwrap()
    }

    #[test]
    fn chains_up_to_the_nation() {
        let chain: Vec<String> = ancestors(&r("310115")).map(|a| a.to_string()).collect();
        assert_eq!(chain, ["310100", "310000", "100000"]);
        let chain: Vec<String> = ancestors(&r("620000:兰州新区"))
            .map(|a| a.to_string())
            .collect();
        assert_eq!(chain, ["620000", "100000"]);
        assert!(ancestors(&RegionId::NATION).next().is_none());
    }

    #[test]
    fn containment() {
        assert!(contains(&RegionId::NATION, &r("420100")));
        assert!(contains(&r("420000"), &r("420100")));
        assert!(contains(&r("420100"), &r("420100:某区")));
        assert!(contains(&r("660000"), &r("660000:第四师")));
        assert!(!contains(&r("420100"), &r("420000")));
        assert!(!contains(&r("420000"), &r("430100")));
        for hmt in ["810000", "820000", "710000"] {
            assert!(!contains(&RegionId::NATION, &r(hmt)), "{hmt}");
        }
        assert!(!contains(&r("620000:兰州新区"), &r("620000")));
    }

    #[test]
    fn the_units() {
        assert_eq!(REPORTING_UNITS.len(), 32);
        assert!(is_reporting_unit(RegionCode::XPCC));
        assert!(!is_reporting_unit(RegionCode::NATION));
        assert!(!is_reporting_unit(RegionCode::HONG_KONG));
        assert!(!is_reporting_unit(RegionCode::WUHAN));
    }
}
