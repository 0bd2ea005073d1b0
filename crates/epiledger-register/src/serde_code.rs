//! Serde for [`RegionCode`] (six digits, as text), which the core leaves to its users.

use epiledger_core::RegionCode;
use serde::{Deserialize, Deserializer, Serializer};

/// Serializes a code as its six digits.
pub fn serialize<S: Serializer>(c: &RegionCode, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(c)
}

/// Reads six digits.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<RegionCode, D::Error> {
    let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    s.parse().map_err(serde::de::Error::custom)
}

/// The same for an optional code.
pub mod opt {
    use super::*;

    /// Serializes a present code as its six digits.
    pub fn serialize<S: Serializer>(c: &Option<RegionCode>, s: S) -> Result<S::Ok, S::Error> {
        match c {
            Some(c) => s.collect_str(c),
            None => s.serialize_none(),
        }
    }

    /// Reads six digits or nothing.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<RegionCode>, D::Error> {
        let s = <Option<std::borrow::Cow<'de, str>>>::deserialize(d)?;
        s.map(|s| s.parse().map_err(serde::de::Error::custom))
            .transpose()
    }
}
