//! Regions: GB/T 2260 codes, the reporting units, and named areas that are no division.

use std::fmt;
use std::str::FromStr;

pub mod registry;

pub use registry::{registry, Candidate, Level, Region, Registry, UnknownRegion};

/// A six-digit GB/T 2260 code (`110000` Beijing, `420100` Wuhan, `310115` Pudong), or one of the
/// conventional codes: `100000` the nation (the Chinese mainland), `660000` the Xinjiang
/// Production and Construction Corps, `810000`/`820000`/`710000` Hong Kong, Macao, Taiwan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RegionCode(u32);

// `u32::is_multiple_of` needs Rust 1.87; the workspace supports 1.80.
#[allow(clippy::manual_is_multiple_of)]
impl RegionCode {
    /// The nation: the 31 provinces and the XPCC (中国大陆).
    pub const NATION: RegionCode = RegionCode(100000);
    /// The Xinjiang Production and Construction Corps.
    pub const XPCC: RegionCode = RegionCode(660000);
    /// Hong Kong SAR.
    pub const HONG_KONG: RegionCode = RegionCode(810000);
    /// Macao SAR.
    pub const MACAO: RegionCode = RegionCode(820000);
    /// Taiwan region.
    pub const TAIWAN: RegionCode = RegionCode(710000);
    /// Hubei, whose own paragraph the early bulletins carry.
    pub const HUBEI: RegionCode = RegionCode(420000);
    /// Wuhan.
    pub const WUHAN: RegionCode = RegionCode(420100);

    /// A code from its number, if it has six digits.
    pub const fn new(code: u32) -> Option<RegionCode> {
        if code >= 100000 && code <= 999999 {
            Some(RegionCode(code))
        } else {
            None
        }
    }
    /// The six-digit number.
    pub fn get(self) -> u32 {
        self.0
    }
    /// The province this code belongs to (`420100` → `420000`).
    pub fn province(self) -> RegionCode {
        RegionCode(self.0 / 10000 * 10000)
    }
    /// The prefecture this code belongs to (`310115` → `310100`).
    pub fn prefecture(self) -> RegionCode {
        RegionCode(self.0 / 100 * 100)
    }
    /// Whether this is a provincial-level code (`xx0000`).
    pub fn is_province_level(self) -> bool {
        self.0 % 10000 == 0
    }
    /// Whether this is a prefecture-level code (`xxxx00`, not a province).
    pub fn is_prefecture_level(self) -> bool {
        self.0 % 100 == 0 && !self.is_province_level()
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06}", self.0)
    }
}

/// A text that is not a six-digit region code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a six-digit region code (for example 110000 for Beijing)")]
pub struct RegionCodeError(pub String);

impl FromStr for RegionCode {
    type Err = RegionCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s;
        if t.len() != 6 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(RegionCodeError(s.to_string()));
        }
        t.parse::<u32>()
            .ok()
            .and_then(RegionCode::new)
            .ok_or_else(|| RegionCodeError(s.to_string()))
    }
}

/// Where a figure applies: a coded division, or a named area under a division that has no
/// GB/T 2260 code of its own (兰州新区, 建设兵团第四师). Written `620000` or `620000:兰州新区`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RegionId {
    /// A division with a code.
    Code(RegionCode),
    /// A named area under a coded division.
    Area {
        /// The division the area lies in.
        parent: RegionCode,
        /// The area's name, as the source writes it.
        name: String,
    },
}

impl RegionId {
    /// The nation.
    pub const NATION: RegionId = RegionId::Code(RegionCode::NATION);

    /// The code, or the parent's code for a named area.
    pub fn code(&self) -> RegionCode {
        match self {
            RegionId::Code(c) => *c,
            RegionId::Area { parent, .. } => *parent,
        }
    }
    /// The provincial-level unit this region belongs to.
    pub fn province(&self) -> RegionCode {
        self.code().province()
    }
    /// Whether this is the nation.
    pub fn is_nation(&self) -> bool {
        *self == RegionId::NATION
    }
}

impl From<RegionCode> for RegionId {
    fn from(c: RegionCode) -> Self {
        RegionId::Code(c)
    }
}

impl fmt::Display for RegionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegionId::Code(c) => write!(f, "{c}"),
            RegionId::Area { parent, name } => write!(f, "{parent}:{name}"),
        }
    }
}

impl FromStr for RegionId {
    type Err = RegionCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once(':') {
            Some((code, name)) if !name.trim().is_empty() => Ok(RegionId::Area {
                parent: code.parse()?,
                name: name.trim().to_string(),
            }),
            Some(_) => Err(RegionCodeError(s.to_string())),
            None => Ok(RegionId::Code(s.parse()?)),
        }
    }
}

serde_as_text!(RegionId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_areas_round_trip() {
        for s in ["110000", "420100", "310115", "620000:兰州新区"] {
            assert_eq!(s.parse::<RegionId>().unwrap().to_string(), s);
        }
        assert!("11000".parse::<RegionId>().is_err());
        assert!("620000:".parse::<RegionId>().is_err());
        let pudong: RegionCode = "310115".parse().unwrap();
        assert_eq!(pudong.province().to_string(), "310000");
        assert_eq!(pudong.prefecture().to_string(), "310100");
    }
}
