//! A unit's own column names: a mapping file renames them to the format's columns and gives
//! defaults for columns its line list lacks.
//!
//! ```json
//! {
//!   "columns": { "卡片编号": ["card", "event"], "现住址国标": "residence", "审核日期": "audit" },
//!   "defaults": { "type": "card", "disease": "COVID-19", "author": "import" },
//!   "ignore": ["备注"]
//! }
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::columns::Column;

/// One column of the file read into one or several of the format's columns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Target {
    /// One column.
    One(String),
    /// Several (`["card", "event"]`: the card id is also the event id).
    Many(Vec<String>),
}

/// A mapping of a unit's columns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// The file's column → the format's column(s).
    #[serde(default)]
    pub columns: BTreeMap<String, Target>,
    /// The format's column → the value of every row where the file gives none.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
    /// The file's columns to leave unread.
    #[serde(default)]
    pub ignore: Vec<String>,
}

/// A mapping that names a column the format does not have, or is no JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the mapping is unusable: {0}")]
pub struct MappingError(pub String);

impl Mapping {
    /// Reads a mapping from its JSON and checks its names.
    pub fn from_json(s: &str) -> Result<Mapping, MappingError> {
        let m: Mapping = serde_json::from_str(s).map_err(|e| MappingError(e.to_string()))?;
        m.check()?;
        Ok(m)
    }

    /// Checks that every target and default names a column of the format.
    pub fn check(&self) -> Result<(), MappingError> {
        let names = || {
            super::columns::COLUMNS
                .iter()
                .map(|c| c.name)
                .collect::<Vec<_>>()
                .join(", ")
        };
        for (theirs, t) in &self.columns {
            for ours in t.names() {
                if Column::from_name(ours).is_none() {
                    return Err(MappingError(format!(
                        "`{theirs}` is mapped to `{ours}`, which is no column of the format ({})",
                        names()
                    )));
                }
            }
        }
        for ours in self.defaults.keys() {
            if Column::from_name(ours).is_none() {
                return Err(MappingError(format!(
                    "a default for `{ours}`, which is no column of the format ({})",
                    names()
                )));
            }
        }
        Ok(())
    }

    /// The file's column that a column of the format is read from.
    pub fn source_of(&self, ours: &str) -> Option<&str> {
        self.columns
            .iter()
            .find(|(_, t)| t.names().any(|n| n == ours))
            .map(|(k, _)| k.as_str())
    }

    /// The format's columns a column of the file is read into: `Ok(empty)` for an ignored one,
    /// `Err` for an unknown one.
    pub(crate) fn resolve(this: Option<&Mapping>, theirs: &str) -> Result<Vec<Column>, String> {
        if let Some(m) = this {
            if m.ignore.iter().any(|i| i == theirs) {
                return Ok(Vec::new());
            }
            if let Some(t) = m.columns.get(theirs) {
                return Ok(t.names().filter_map(Column::from_name).collect());
            }
        }
        Column::from_name(theirs).map(|c| vec![c]).ok_or_else(|| {
            format!(
                "unknown column `{theirs}`: the format's columns are {}; a mapping file can rename or ignore it",
                super::columns::COLUMNS
                    .iter()
                    .map(|c| c.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    }

    /// The defaults, by column.
    pub(crate) fn default_values(this: Option<&Mapping>) -> Vec<(Column, String)> {
        this.map(|m| {
            m.defaults
                .iter()
                .filter_map(|(k, v)| Column::from_name(k).map(|c| (c, v.clone())))
                .collect()
        })
        .unwrap_or_default()
    }
}

impl Target {
    fn names(&self) -> impl Iterator<Item = &str> {
        let v: Vec<&str> = match self {
            Target::One(s) => vec![s.as_str()],
            Target::Many(v) => v.iter().map(String::as_str).collect(),
        };
        v.into_iter()
    }
}
