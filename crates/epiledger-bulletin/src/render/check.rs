//! Comparing a rendered bulletin with the official text, all whitespace ignored: whether they
//! match, and where they differ, as a compact character diff.

use std::fmt;
use std::time::Duration;

use epiledger_core::Date;
use similar::{Algorithm, DiffOp, TextDiff};

/// The text without any whitespace.
pub fn strip_whitespace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// One place where the rendered text differs from the official one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hunk {
    /// Character offset in the official text (whitespace removed).
    pub at: usize,
    /// A few characters before the difference.
    pub before: String,
    /// What the official text has there.
    pub official: String,
    /// What the rendered text has there.
    pub rendered: String,
    /// A few characters after.
    pub after: String,
}

impl fmt::Display for Hunk {
    /// `@123 …前文[-official-]{+rendered+}后文…`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "@{} …{}", self.at, self.before)?;
        if !self.official.is_empty() {
            write!(f, "[-{}-]", self.official)?;
        }
        if !self.rendered.is_empty() {
            write!(f, "{{+{}+}}", self.rendered)?;
        }
        write!(f, "{}…", self.after)
    }
}

/// The differences between the official and the rendered text, whitespace ignored, with
/// `context` characters around each; empty when they match. Differences closer than twice the
/// context are merged into one hunk.
pub fn diff(official: &str, rendered: &str, context: usize) -> Vec<Hunk> {
    let a = strip_whitespace(official);
    let b = strip_whitespace(rendered);
    if a == b {
        return Vec::new();
    }
    let ac: Vec<char> = a.chars().collect();
    let bc: Vec<char> = b.chars().collect();
    let d = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .timeout(Duration::from_millis(200))
        .diff_chars(&a, &b);
    // Character ranges (official, rendered) that differ.
    let mut ranges: Vec<(usize, usize, usize, usize)> = Vec::new();
    for op in d.ops() {
        let (o, n) = (op.old_range(), op.new_range());
        if matches!(op, DiffOp::Equal { .. }) {
            continue;
        }
        match ranges.last_mut() {
            Some(last) if o.start <= last.1 + 2 * context => {
                last.1 = o.end;
                last.3 = n.end;
            }
            _ => ranges.push((o.start, o.end, n.start, n.end)),
        }
    }
    ranges
        .into_iter()
        .map(|(os, oe, ns, ne)| {
            let from = os.saturating_sub(context);
            Hunk {
                at: os,
                before: ac[from..os].iter().collect(),
                official: ac[os..oe].iter().collect(),
                rendered: bc[ns..ne].iter().collect(),
                after: ac[oe..(oe + context).min(ac.len())].iter().collect(),
            }
        })
        .collect()
}

/// The outcome of checking one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayCheck {
    /// The day.
    pub date: Date,
    /// The differences; empty when the rendered text matches the official one.
    pub hunks: Vec<Hunk>,
    /// Why the day could not be rendered at all, if so.
    pub error: Option<String>,
}

impl DayCheck {
    /// Whether the rendered text matches.
    pub fn matches(&self) -> bool {
        self.hunks.is_empty() && self.error.is_none()
    }
}

/// The outcome of checking many days.
#[derive(Clone, Debug, Default)]
pub struct CheckReport {
    /// Every day checked, in date order.
    pub days: Vec<DayCheck>,
}

impl CheckReport {
    /// (matching days, days) from `since` on (all days for `None`).
    pub fn count(&self, since: Option<Date>) -> (usize, usize) {
        let days = self
            .days
            .iter()
            .filter(|d| since.is_none_or(|s| d.date >= s));
        let (mut ok, mut n) = (0, 0);
        for d in days {
            n += 1;
            ok += usize::from(d.matches());
        }
        (ok, n)
    }

    /// The exact-match rate from `since` on, 0 to 1 (1 when no day is checked).
    pub fn rate(&self, since: Option<Date>) -> f64 {
        let (ok, n) = self.count(since);
        if n == 0 {
            1.0
        } else {
            ok as f64 / n as f64
        }
    }

    /// The days that differ.
    pub fn differing(&self) -> impl Iterator<Item = &DayCheck> {
        self.days.iter().filter(|d| !d.matches())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_is_ignored() {
        assert!(diff("甲 乙\n丙", "甲乙丙", 3).is_empty());
    }

    #[test]
    fn differences_come_with_context() {
        let h = diff(
            "上海10例，广东6例，四川3例",
            "上海10例，广东7例，四川3例",
            3,
        );
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].official, "6");
        assert_eq!(h[0].rendered, "7");
        assert_eq!(h[0].before, "，广东");
        assert_eq!(h[0].to_string(), "@8 …，广东[-6-]{+7+}例，四…");
    }
}
