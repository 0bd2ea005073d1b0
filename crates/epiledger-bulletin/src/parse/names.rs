//! Region names as the bulletins write them, resolved against the registry.

use epiledger_core::region::registry;
use epiledger_core::{RegionCode, RegionId};

/// A provincial-level unit or notifying region by any of its names (广东, 广东省, 兵团,
/// 新疆生产建设兵团, 香港特别行政区, 中国香港).
pub fn province(name: &str) -> Option<RegionCode> {
    let name = name
        .strip_prefix("中国")
        .filter(|n| !n.is_empty())
        .unwrap_or(name);
    let code = registry().find(name)?;
    (code.is_province_level() && code != RegionCode::NATION).then_some(code)
}

/// A sub-province area named inside `parent`: a coded division where one exists, otherwise a
/// named area kept under its parent.
pub fn area(parent: RegionCode, name: &str) -> RegionId {
    let name = if parent.province() == RegionCode::XPCC {
        ["新疆生产建设兵团", "生产建设兵团", "建设兵团", "兵团"]
            .iter()
            .find_map(|p| name.strip_prefix(p).filter(|n| !n.is_empty()))
            .unwrap_or(name)
    } else {
        name
    };
    match registry().resolve_within(parent.province(), name) {
        Some(code) if code != parent => RegionId::Code(code),
        _ => RegionId::Area {
            parent: parent.province(),
            name: name.to_string(),
        },
    }
}

/// Whether `name` reads as a place name (not a phrase of the bulletin).
pub fn looks_like_place(name: &str) -> bool {
    let n = name.chars().count();
    let digits_ok = name.contains('等') || !name.contains(|c: char| c.is_ascii_digit());
    (1..=20).contains(&n) && digits_ok && !name.contains(|c: char| "，。；：例".contains(c))
}

/// A province named at the start of `name`, and what follows it (北京涉冬（残）奥闭环人员).
pub fn province_prefix(name: &str) -> Option<(RegionCode, &str)> {
    let reg = registry();
    reg.reporting_units()
        .iter()
        .filter_map(|c| reg.get(*c))
        .flat_map(|r| [r.name_zh, r.short_zh].map(move |n| (r.code, n)))
        .filter(|(_, n)| !n.is_empty() && name.starts_with(n) && name.len() > n.len())
        .max_by_key(|(_, n)| n.len())
        .map(|(code, n)| (code, &name[n.len()..]))
}
