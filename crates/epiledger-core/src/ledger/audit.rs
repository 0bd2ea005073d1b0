//! The audit: every identity checked over a range of days, with what explains each break.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::checks::{Checker, Counts, Finding};
use super::explain::explain;
use super::identities::{equation, partner, Identity};
use super::index::Ledger;
use crate::{Count, Date, Measure, Origin, RegionId};

/// A figure that breaks an identity.
///
/// `found` is the figure of (`date`, `region`, `origin`, `measure`) as given; `expected` is
/// what the identity's other terms make of it. For Parts, `region` is the whole and
/// `expected` the sum of its parts (a lower bound, or the exact value for the nation when all
/// 32 units report).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Break {
    /// The day checked.
    pub date: Date,
    /// The region whose figure is found.
    pub region: RegionId,
    /// The origin of the figure.
    pub origin: Origin,
    /// The measure found (the left-hand side).
    pub measure: Measure,
    /// The identity broken.
    pub identity: Identity,
    /// What the identity expects.
    pub expected: Count,
    /// What the ledger gives.
    pub found: Count,
    /// The corrections (or note) that explain the break, if any.
    pub explained_by: Option<String>,
}

impl Break {
    /// `found − expected`.
    pub fn difference(&self) -> Count {
        self.found.saturating_sub(self.expected)
    }
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {} {}: expected {}, found {}",
            self.date,
            self.region,
            self.origin,
            self.measure,
            self.identity,
            self.expected,
            self.found
        )?;
        if let Some(e) = &self.explained_by {
            write!(f, " (explained by {e})")?;
        }
        Ok(())
    }
}

/// How many checks an audit made and how many broke.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditSummary {
    /// Checks made (all terms present), per identity.
    pub checked: BTreeMap<Identity, usize>,
    /// Breaks found.
    pub breaks: usize,
    /// Breaks with an explanation.
    pub explained: usize,
}

impl AuditSummary {
    /// Checks made, over all identities.
    pub fn checks(&self) -> usize {
        self.checked.values().sum()
    }
}

impl fmt::Display for AuditSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} checks, {} breaks ({} explained)",
            self.checks(),
            self.breaks,
            self.explained
        )
    }
}

/// An audit's summary and breaks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audit {
    /// The counts.
    pub summary: AuditSummary,
    /// The breaks, by date, region, origin, measure and identity.
    pub breaks: Vec<Break>,
}

/// The breaks of every identity on the days from `from` to `to` (both included; `None`
/// leaves that end open), sorted by date, region, origin, measure and identity.
///
/// A break's `explained_by` names the corrections of its day, and those of the next day that
/// refer to its day, on a measure of the identity (for Origins and Parts: the measure or its
/// flow/cumulative partner), in its region or inside it, of a matching origin; failing those,
/// a footnote or explanation of the day that mentions such a measure.
pub fn audit(ledger: &Ledger, from: Option<Date>, to: Option<Date>) -> Vec<Break> {
    audit_report(ledger, from, to).breaks
}

/// [`audit`] with its summary.
pub fn audit_report(ledger: &Ledger, from: Option<Date>, to: Option<Date>) -> Audit {
    let mut checker = Checker::new(ledger);
    let mut counts = Counts::default();
    let mut findings = Vec::new();
    let mut breaks = Vec::new();
    for pos in ledger.span(from, to) {
        checker.day(pos, &mut counts, &mut findings);
        let date = ledger.date_at(pos);
        breaks.extend(findings.drain(..).map(|f| to_break(ledger, date, f)));
    }
    breaks.sort_by(|a, b| {
        (a.date, &a.region, a.origin, a.measure, a.identity)
            .cmp(&(b.date, &b.region, b.origin, b.measure, b.identity))
    });
    let summary = AuditSummary {
        checked: Identity::ALL
            .iter()
            .map(|i| (*i, counts[*i as usize]))
            .collect(),
        breaks: breaks.len(),
        explained: breaks.iter().filter(|b| b.explained_by.is_some()).count(),
    };
    Audit { summary, breaks }
}

fn to_break(ledger: &Ledger, date: Date, f: Finding) -> Break {
    let region = ledger.region(f.rix).clone();
    let related: Vec<Measure> = match equation(f.identity, f.measure) {
        Some(eq) => eq.measures().collect(),
        None => std::iter::once(f.measure)
            .chain(partner(f.measure))
            .collect(),
    };
    let explained_by = explain(ledger, date, &region, f.origin, &related);
    Break {
        date,
        region,
        origin: f.origin,
        measure: f.measure,
        identity: f.identity,
        expected: f.expected,
        found: f.found,
        explained_by,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Correction, CorrectionKind, Day, Fact};

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn deaths(date: &str, cum: Count, new: Count) -> Day {
        let mut day = Day::new(d(date));
        let hubei: RegionId = "420000".parse().unwrap();
        for (m, v) in [(Measure::DeathsCumulative, cum), (Measure::DeathsNew, new)] {
            day.add_fact(Fact::new(hubei.clone(), Origin::All, m, v).unwrap())
                .unwrap();
        }
        day
    }

    fn ledger() -> Ledger {
        let mut d3 = deaths("2020-02-13", 1318 - 108 + 116, 116);
        d3.corrections.push(Correction {
            region: "420000".parse().unwrap(),
            origin: Origin::All,
            measure: Measure::DeathsCumulative,
            kind: CorrectionKind::Reduce,
            delta: Some(-100),
            restated: None,
            refers_to: None,
            reason: Some("重复统计".into()),
        });
        Ledger::from_days([
            deaths("2020-02-11", 1318 - 242, 103),
            deaths("2020-02-12", 1318, 242),
            d3,
            deaths("2020-02-14", 1326 + 1, 0),
        ])
    }

    #[test]
    fn finds_and_explains_breaks() {
        let report = audit_report(&ledger(), None, None);
        let b = &report.breaks;
        assert_eq!(b.len(), 2, "{b:?}");
        assert_eq!(b[0].date, d("2020-02-13"));
        assert_eq!(
            (b[0].expected, b[0].found),
            (1318 - 100 + 116, 1318 - 108 + 116)
        );
        assert_eq!(
            b[0].explained_by.as_deref(),
            Some("2020-02-13 420000 deaths_cumulative 核减 −100 (重复统计)")
        );
        assert_eq!(b[1].date, d("2020-02-14"));
        assert_eq!(b[1].explained_by, None);
        assert_eq!(report.summary.checked[&Identity::Accumulation], 3);
        assert_eq!(
            report.summary.to_string(),
            "3 checks, 2 breaks (1 explained)"
        );
    }

    #[test]
    fn limits_the_range() {
        let l = ledger();
        assert_eq!(audit(&l, Some(d("2020-02-14")), None).len(), 1);
        assert_eq!(audit(&l, None, Some(d("2020-02-12"))).len(), 0);
        let r = audit_report(&l, Some(d("2020-02-12")), Some(d("2020-02-13")));
        assert_eq!(r.summary.checks(), 2);
        assert_eq!(r.breaks.len(), 1);
    }

    #[test]
    fn breaks_serialize_with_the_agreed_keys() {
        let b = audit(&ledger(), None, None);
        let v = serde_json::to_value(&b[1]).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        let mut want = [
            "date",
            "region",
            "origin",
            "measure",
            "identity",
            "expected",
            "found",
            "explained_by",
        ];
        want.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, want);
        assert_eq!(v["explained_by"], serde_json::Value::Null);
        assert_eq!(v["date"], "2020-02-14");
        assert_eq!(v["region"], "420000");
        assert_eq!(v["origin"], "all");
        assert_eq!(v["measure"], "deaths_cumulative");
        assert_eq!(v["identity"], "accumulation");
        let back: Break = serde_json::from_value(v).unwrap();
        assert_eq!(back, b[1]);
        let s = serde_json::to_value(audit_report(&ledger(), None, None).summary).unwrap();
        assert_eq!(s["checked"]["accumulation"], 3);
    }
}
