//! Region names and their order, as both directions write and read them.

use epiledger_core::region::registry;
use epiledger_core::{RegionCode, RegionId};

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
