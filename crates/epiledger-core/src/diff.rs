//! What changed between two versions of a reporting day: figures added, removed or changed,
//! and whether the corrections or the notes differ.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Count, Day, Fact, Measure, Origin, RegionId};

/// One figure that differs between two versions of a day, keyed by (region, origin, measure).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum FactChange {
    /// The new version has a figure the old one did not.
    Added(Fact),
    /// The old version had a figure the new one does not.
    Removed(Fact),
    /// Both versions have the figure, with different values.
    Changed {
        /// Where.
        region: RegionId,
        /// Which cases.
        origin: Origin,
        /// Which figure.
        measure: Measure,
        /// The value before.
        old: Count,
        /// The value after.
        new: Count,
    },
}

impl FactChange {
    /// The figure's key: (region, origin, measure).
    pub fn key(&self) -> (&RegionId, Origin, Measure) {
        match self {
            FactChange::Added(f) | FactChange::Removed(f) => f.key(),
            FactChange::Changed {
                region,
                origin,
                measure,
                ..
            } => (region, *origin, *measure),
        }
    }
    /// The value before, if the old version had the figure.
    pub fn before(&self) -> Option<Count> {
        match self {
            FactChange::Added(_) => None,
            FactChange::Removed(f) => Some(f.value),
            FactChange::Changed { old, .. } => Some(*old),
        }
    }
    /// The value after, if the new version has the figure.
    pub fn after(&self) -> Option<Count> {
        match self {
            FactChange::Added(f) => Some(f.value),
            FactChange::Removed(_) => None,
            FactChange::Changed { new, .. } => Some(*new),
        }
    }
}

impl fmt::Display for FactChange {
    /// `100000 all confirmed_new: 27 → 28`; an absent figure shows as `(none)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (region, origin, measure) = self.key();
        let show = |v: Option<Count>| v.map_or_else(|| "(none)".to_string(), |v| v.to_string());
        write!(
            f,
            "{region} {origin} {measure}: {} → {}",
            show(self.before()),
            show(self.after())
        )
    }
}

/// The difference between two versions of a day. Facts are compared by key; corrections and
/// notes, whose order is meaningful, are compared as whole lists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayDiff {
    /// The figures that differ, sorted by (region, origin, measure).
    pub facts: Vec<FactChange>,
    /// Whether the corrections differ.
    pub corrections_changed: bool,
    /// Whether the notes differ.
    pub notes_changed: bool,
}

/// Compares two versions of a day (their dates are not compared). If a day lists the same
/// figure twice, the later value in canonical order counts.
pub fn diff_days(old: &Day, new: &Day) -> DayDiff {
    let index = |d: &Day| -> BTreeMap<(RegionId, Origin, Measure), Count> {
        d.facts
            .iter()
            .map(|f| ((f.region.clone(), f.origin, f.measure), f.value))
            .collect()
    };
    let (mut before, after) = (index(old), index(new));
    let mut facts = Vec::new();
    for ((region, origin, measure), value) in after {
        match before.remove(&(region.clone(), origin, measure)) {
            Some(old) if old == value => {}
            Some(old) => facts.push(FactChange::Changed {
                region,
                origin,
                measure,
                old,
                new: value,
            }),
            None => facts.push(FactChange::Added(Fact {
                region,
                origin,
                measure,
                value,
            })),
        }
    }
    facts.extend(
        before
            .into_iter()
            .map(|((region, origin, measure), value)| {
                FactChange::Removed(Fact {
                    region,
                    origin,
                    measure,
                    value,
                })
            }),
    );
    facts.sort_by(|a, b| a.key().cmp(&b.key()));
    DayDiff {
        facts,
        corrections_changed: old.corrections != new.corrections,
        notes_changed: old.notes != new.notes,
    }
}

impl DayDiff {
    /// Whether the two versions agree in everything compared.
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty() && !self.corrections_changed && !self.notes_changed
    }

    /// How many figures were (changed, added, removed).
    pub fn counts(&self) -> (usize, usize, usize) {
        self.facts.iter().fold((0, 0, 0), |(c, a, r), ch| match ch {
            FactChange::Changed { .. } => (c + 1, a, r),
            FactChange::Added(_) => (c, a + 1, r),
            FactChange::Removed(_) => (c, a, r + 1),
        })
    }

    /// One line for people: `3 figures changed, 1 added; notes changed`, or `no change`.
    pub fn summary(&self) -> String {
        let (changed, added, removed) = self.counts();
        let mut figures: Vec<String> = Vec::new();
        for (n, what) in [(changed, "changed"), (added, "added"), (removed, "removed")] {
            if n == 0 {
                continue;
            }
            if figures.is_empty() {
                let noun = if n == 1 { "figure" } else { "figures" };
                figures.push(format!("{n} {noun} {what}"));
            } else {
                figures.push(format!("{n} {what}"));
            }
        }
        let mut parts = Vec::new();
        if !figures.is_empty() {
            parts.push(figures.join(", "));
        }
        if self.corrections_changed {
            parts.push("corrections changed".to_string());
        }
        if self.notes_changed {
            parts.push("notes changed".to_string());
        }
        if parts.is_empty() {
            "no change".to_string()
        } else {
            parts.join("; ")
        }
    }
}

impl fmt::Display for DayDiff {
    /// One line per changed figure, then `corrections changed` / `notes changed` where they
    /// apply; `no change` when the diff is empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("no change");
        }
        let mut lines: Vec<String> = self.facts.iter().map(ToString::to_string).collect();
        if self.corrections_changed {
            lines.push("corrections changed".to_string());
        }
        if self.notes_changed {
            lines.push("notes changed".to_string());
        }
        f.write_str(&lines.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CorrectionKind, Date, Note, NoteKind};

    fn fact(region: &str, origin: Origin, measure: Measure, value: Count) -> Fact {
        Fact::new(region.parse().unwrap(), origin, measure, value).unwrap()
    }

    fn day(facts: Vec<Fact>) -> Day {
        Day {
            date: Date::from_ymd(2020, 6, 19),
            facts,
            ..Day::default()
        }
    }

    #[test]
    fn equal_days_have_an_empty_diff() {
        let d = day(vec![fact("100000", Origin::All, Measure::ConfirmedNew, 27)]);
        let diff = diff_days(&d, &d.clone());
        assert!(diff.is_empty());
        assert_eq!(diff.summary(), "no change");
        assert_eq!(diff.to_string(), "no change");
    }

    #[test]
    fn fact_order_does_not_matter() {
        let a = fact("100000", Origin::All, Measure::ConfirmedNew, 27);
        let b = fact("110000", Origin::Local, Measure::DeathsNew, 0);
        let diff = diff_days(&day(vec![a.clone(), b.clone()]), &day(vec![b, a]));
        assert!(diff.is_empty());
    }

    #[test]
    fn changes_added_and_removed_are_keyed_and_sorted() {
        let old = day(vec![
            fact("110000", Origin::All, Measure::ConfirmedNew, 5),
            fact("100000", Origin::All, Measure::ConfirmedNew, 27),
            fact("100000", Origin::Imported, Measure::ConfirmedNew, 3),
            fact("100000", Origin::All, Measure::DeathsNew, 1),
        ]);
        let new = day(vec![
            fact("100000", Origin::All, Measure::ConfirmedNew, 28),
            fact("100000", Origin::Imported, Measure::ConfirmedNew, 3),
            fact("100000", Origin::All, Measure::DeathsNew, 2),
            fact("110000", Origin::Local, Measure::ConfirmedNew, 5),
        ]);
        let diff = diff_days(&old, &new);
        assert_eq!(diff.counts(), (2, 1, 1));
        assert_eq!(
            diff.to_string(),
            "100000 all confirmed_new: 27 → 28\n\
             100000 all deaths_new: 1 → 2\n\
             110000 all confirmed_new: 5 → (none)\n\
             110000 local confirmed_new: (none) → 5"
        );
        assert_eq!(diff.summary(), "2 figures changed, 1 added, 1 removed");
        assert_eq!(diff.facts[0].before(), Some(27));
        assert_eq!(diff.facts[0].after(), Some(28));
        assert_eq!(diff.facts[2].after(), None);
    }

    #[test]
    fn zero_is_a_figure_not_an_absence() {
        let old = day(vec![]);
        let new = day(vec![fact("100000", Origin::All, Measure::DeathsNew, 0)]);
        let diff = diff_days(&old, &new);
        assert_eq!(diff.summary(), "1 figure added");
        assert_eq!(diff.to_string(), "100000 all deaths_new: (none) → 0");
    }

    #[test]
    fn corrections_and_notes_are_compared_as_lists() {
        let old = day(vec![fact("100000", Origin::All, Measure::ConfirmedNew, 27)]);
        let mut new = old.clone();
        new.notes.push(Note {
            kind: NoteKind::Remark,
            region: None,
            values: vec![],
            text: Some("x".into()),
        });
        let diff = diff_days(&old, &new);
        assert_eq!(diff.summary(), "notes changed");
        assert!(!diff.is_empty());

        new.corrections.push(crate::Correction {
            region: RegionId::NATION,
            origin: Origin::All,
            measure: Measure::ConfirmedCumulative,
            kind: CorrectionKind::Reduce,
            delta: Some(-1),
            restated: None,
            refers_to: None,
            reason: None,
        });
        new.facts[0].value = 30;
        new.facts
            .push(fact("100000", Origin::All, Measure::DeathsNew, 0));
        let diff = diff_days(&old, &new);
        assert_eq!(
            diff.summary(),
            "1 figure changed, 1 added; corrections changed; notes changed"
        );
        assert!(diff
            .to_string()
            .ends_with("corrections changed\nnotes changed"));
    }

    #[test]
    fn areas_are_keyed_by_name() {
        let old = day(vec![fact(
            "620000:兰州新区",
            Origin::Local,
            Measure::ConfirmedNew,
            1,
        )]);
        let new = day(vec![fact(
            "620000:兰州新区",
            Origin::Local,
            Measure::ConfirmedNew,
            2,
        )]);
        assert_eq!(
            diff_days(&old, &new).to_string(),
            "620000:兰州新区 local confirmed_new: 1 → 2"
        );
    }

    #[test]
    fn serializes_with_a_change_tag() {
        let old = day(vec![fact("100000", Origin::All, Measure::ConfirmedNew, 27)]);
        let new = day(vec![
            fact("100000", Origin::All, Measure::ConfirmedNew, 28),
            fact("100000", Origin::All, Measure::DeathsNew, 0),
        ]);
        let diff = diff_days(&old, &new);
        let json = serde_json::to_value(&diff).unwrap();
        assert_eq!(
            json["facts"][0],
            serde_json::json!({"change": "changed", "region": "100000", "origin": "all",
                "measure": "confirmed_new", "old": 27, "new": 28})
        );
        assert_eq!(
            json["facts"][1],
            serde_json::json!({"change": "added", "region": "100000", "origin": "all",
                "measure": "deaths_new", "value": 0})
        );
        let back: DayDiff = serde_json::from_value(json).unwrap();
        assert_eq!(back, diff);
    }
}
