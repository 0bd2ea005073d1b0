//! Where cases came from: all, imported (境外输入) or local (本土).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The origin a figure counts: all cases, imported cases or local cases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Origin {
    /// All cases, whatever their origin.
    All,
    /// Imported cases (境外输入).
    Imported,
    /// Local, domestically transmitted cases (本土).
    Local,
}

impl Origin {
    /// Every origin, in display order.
    pub const ALL: [Origin; 3] = [Origin::All, Origin::Imported, Origin::Local];

    /// The machine name: `all`, `imported`, `local`.
    pub fn name(self) -> &'static str {
        match self {
            Origin::All => "all",
            Origin::Imported => "imported",
            Origin::Local => "local",
        }
    }
    /// The Chinese label.
    pub fn zh(self) -> &'static str {
        match self {
            Origin::All => "合计",
            Origin::Imported => "境外输入",
            Origin::Local => "本土",
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An origin name that is not one of `all`, `imported`, `local`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown origin `{0}`: use all, imported or local")]
pub struct OriginError(pub String);

impl FromStr for Origin {
    type Err = OriginError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "all" | "合计" | "全部" => Ok(Origin::All),
            "imported" | "境外输入" => Ok(Origin::Imported),
            "local" | "本土" => Ok(Origin::Local),
            _ => Err(OriginError(s.to_string())),
        }
    }
}
