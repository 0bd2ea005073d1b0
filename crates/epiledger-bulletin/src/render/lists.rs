//! Lists of regions: their order and their names.
//!
//! The bulletins list regions by count, largest first, and regions of equal count in GB/T 2260
//! code order (上海10例，广东6例，四川3例，辽宁1例，福建1例). A named area without a code of its
//! own (兰州新区) follows the coded divisions of its province at equal counts.

use std::cmp::Reverse;

use epiledger_core::region::registry;
use epiledger_core::{RegionCode, RegionId};

use super::document::Figure;
use super::romanize;

/// The order key of a region at equal counts: provinces and prefectures by code, then
/// county-level divisions by code (滑县 after 商丘市), then named areas.
pub fn code_order(r: &RegionId) -> (u8, RegionCode, &str) {
    match r {
        RegionId::Code(c) if c.is_province_level() || c.is_prefecture_level() => (0, *c, ""),
        RegionId::Code(c) => (1, *c, ""),
        RegionId::Area { parent, name } => (2, *parent, name.as_str()),
    }
}

/// Sorts figures by count, largest first, then by code.
pub fn by_count(figures: &mut [Figure]) {
    figures.sort_by(|a, b| {
        (Reverse(a.value), code_order(&a.region)).cmp(&(Reverse(b.value), code_order(&b.region)))
    });
}

/// The short Chinese name of a provincial-level unit (`广东`, `兵团`, `香港`).
pub fn short_zh(r: &RegionId) -> String {
    match r {
        RegionId::Code(c) => registry()
            .name_zh_short(*c)
            .map_or_else(|| c.to_string(), str::to_string),
        RegionId::Area { name, .. } => name.clone(),
    }
}

/// The full Chinese name of a region (`广东省`, `德宏傣族景颇族自治州`, `兰州新区`); an area of
/// the XPCC with the corps' name (`建设兵团第四师`).
pub fn full_zh(r: &RegionId) -> String {
    match r {
        RegionId::Code(c) => registry()
            .get(*c)
            .map_or_else(|| c.to_string(), |r| r.name_zh.to_string()),
        RegionId::Area { parent, name } if *parent == RegionCode::XPCC => {
            format!("建设兵团{name}")
        }
        RegionId::Area { name, .. } => name.clone(),
    }
}

/// The English name of a region: the registry's (`Guangdong`, `Hong Kong SAR`), else the
/// Pinyin of its Chinese name with its kind in English (`Yuncheng`, `Pudong New Area`,
/// `Division 4 of the XPCC`).
pub fn name_en(r: &RegionId) -> String {
    match r {
        RegionId::Code(c) => match registry().get(*c) {
            Some(reg) if !reg.name_en.is_empty() => reg.name_en.to_string(),
            Some(reg) => {
                let short = (reg.short_zh != reg.name_zh).then_some(reg.short_zh);
                romanize::place(reg.name_zh, short)
            }
            None => c.to_string(),
        },
        RegionId::Area { parent, name } if *parent == RegionCode::XPCC => {
            format!("{} of the XPCC", romanize::place(name, None))
        }
        RegionId::Area { name, .. } => romanize::place(name, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use epiledger_core::{Measure, Origin};

    fn f(code: &str, v: i64) -> Figure {
        Figure::new(
            code.parse().unwrap(),
            Origin::Local,
            Measure::ConfirmedNew,
            v,
        )
    }

    #[test]
    fn largest_first_then_code_order() {
        let mut l = vec![
            f("350000", 1),
            f("440000", 6),
            f("210000", 1),
            f("310000", 10),
            f("510000", 3),
        ];
        by_count(&mut l);
        let names: Vec<String> = l.iter().map(|f| short_zh(&f.region)).collect();
        assert_eq!(names, ["上海", "广东", "四川", "辽宁", "福建"]);
    }
}
