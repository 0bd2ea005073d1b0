//! The checks of a report as a whole: figures once, parts inside the unit, the ledger's
//! identities, the rule of revisions; then the plausibility warnings.

use std::collections::BTreeMap;

use epiledger_core::ledger::{audit_report, hierarchy, Identity};
use epiledger_core::{Day, Fact, Ledger, Measure, Origin, RegionCode, RegionId};

use super::plausibility::plausibility;
use super::{Checked, Context, DraftFigure, Parsed, CSV_COLUMNS};
use crate::problem::{Loc, Problem};
use crate::{rules, Part, Report, ReportFigure, ValidatedReport};

/// Checks a draft as a whole against its context.
pub fn check(parsed: Parsed, ctx: &Context) -> Checked {
    let Parsed {
        mut draft,
        mut problems,
    } = parsed;
    let mut out = Checked::default();
    let (Some(date), Some(unit)) = (draft.date, draft.unit) else {
        sort_problems(&mut problems);
        out.problems = problems;
        return out;
    };
    let unit_id = RegionId::Code(unit);
    let prob = |problems: &mut Vec<Problem>,
                code: &'static str,
                loc: &Loc,
                msg: String,
                expected: Option<String>| {
        problems.push(Problem::new(code, loc.clone(), msg, expected));
    };

    // Each figure once; parts inside the unit, each once.
    let mut seen: BTreeMap<(Origin, Measure), Loc> = BTreeMap::new();
    let mut keep = vec![true; draft.figures.len()];
    for (i, f) in draft.figures.iter().enumerate() {
        if let Some(first) = seen.get(&(f.origin, f.measure)) {
            prob(
                &mut problems,
                "duplicate_figure",
                &f.loc,
                format!(
                    "{} {} is given twice (first at {first})",
                    f.origin, f.measure
                ),
                Some("each figure once".into()),
            );
            keep[i] = false;
            continue;
        }
        seen.insert((f.origin, f.measure), f.loc.clone());
        if unit == RegionCode::NATION && !f.breakdown.is_empty() {
            prob(
                &mut problems,
                "national_breakdown",
                &f.breakdown[0].region_loc,
                "the national figures have no breakdown: the units report their own".into(),
                Some("no `breakdown`".into()),
            );
        }
        let mut parts: BTreeMap<&RegionId, &Loc> = BTreeMap::new();
        for part in &f.breakdown {
            if part.region == unit_id {
                prob(
                    &mut problems,
                    "part_is_unit",
                    &part.region_loc,
                    format!("{} is the unit itself, not a part of it", part.region),
                    Some(format!("a prefecture or district inside {unit}")),
                );
            } else if !hierarchy::contains(&unit_id, &part.region) {
                prob(
                    &mut problems,
                    "outside_unit",
                    &part.region_loc,
                    format!("{} lies outside {unit}", part.region),
                    Some(format!("a prefecture or district inside {unit}")),
                );
            } else if let Some(first) = parts.insert(&part.region, &part.region_loc) {
                prob(
                    &mut problems,
                    "duplicate_part",
                    &part.region_loc,
                    format!(
                        "{} is given twice in this breakdown (first at {first})",
                        part.region
                    ),
                    Some("each region once".into()),
                );
            }
        }
    }
    let figures: Vec<DraftFigure> = draft
        .figures
        .drain(..)
        .zip(keep)
        .filter_map(|(f, k)| k.then_some(f))
        .collect();
    for (c, _) in &mut draft.corrections {
        c.region = unit_id.clone();
    }

    let report = Report {
        date,
        unit,
        figures: figures
            .iter()
            .map(|f| ReportFigure {
                measure: f.measure,
                origin: f.origin,
                value: f.value,
                breakdown: f
                    .breakdown
                    .iter()
                    .map(|p| Part {
                        region: p.region.clone(),
                        value: p.value,
                    })
                    .collect(),
            })
            .collect(),
        corrections: draft.corrections.iter().map(|(c, _)| c.clone()).collect(),
        acknowledged: Vec::new(),
    };

    // The ledger's identities, within the report and against the previous day.
    if problems.is_empty() {
        identities(&report, &figures, ctx, &mut problems);
    }

    // A revision needs a reason: the store's own rule.
    if let Some(existing) = &ctx.existing {
        let newest = Some((existing.version, existing.content_hash.as_str()));
        match rules::revision(
            &report,
            &report.content_hash(),
            newest,
            draft.reason.as_deref(),
        ) {
            Ok(rules::Revision::Unchanged) => out.unchanged = true,
            Ok(_) => {}
            Err(refusal) => {
                let loc = draft
                    .reason_loc
                    .clone()
                    .unwrap_or_else(|| Loc::pointer("/reason"));
                prob(
                    &mut problems,
                    "revision_needs_reason",
                    &loc,
                    refusal.to_string(),
                    Some(
                        "why it supersedes the previous version, such as \"late laboratory \
                         results\""
                            .into(),
                    ),
                );
            }
        }
    }

    // Plausibility against the unit's own history: warnings.
    let warnings = plausibility(&figures, ctx);
    let acknowledged: Vec<String> = warnings
        .iter()
        .filter(|w| draft.acknowledge.contains(&w.id))
        .map(|w| w.id.clone())
        .collect();
    out.unacknowledged = warnings
        .iter()
        .filter(|w| !acknowledged.contains(&w.id))
        .map(|w| w.id.clone())
        .collect();
    out.warnings = warnings;
    if problems.is_empty() {
        out.report = Some(ValidatedReport::accepted(Report {
            acknowledged,
            ..report
        }));
    }
    sort_problems(&mut problems);
    out.problems = problems;
    out
}

/// Sorts problems in the order of the document: pointers by their segments (numbers as
/// numbers), CSV cells by row and column, parameters last.
pub fn sort_problems(problems: &mut [Problem]) {
    fn key(l: &Loc) -> (u8, Vec<(u64, String)>) {
        match l {
            Loc::Pointer { pointer } => (
                0,
                pointer
                    .split('/')
                    .map(|s| match s.parse::<u64>() {
                        Ok(n) => (n, String::new()),
                        Err(_) => (u64::MAX, s.to_string()),
                    })
                    .collect(),
            ),
            Loc::Cell { row, column } => {
                let c = CSV_COLUMNS.iter().position(|c| c == column).unwrap_or(0) as u64;
                (1, vec![(*row, String::new()), (c, column.clone())])
            }
            Loc::Parameter { parameter } => (2, vec![(0, parameter.clone())]),
        }
    }
    problems.sort_by_cached_key(|p| key(&p.loc));
}

/// Where the figure of a region, origin and measure was written.
fn value_loc<'a>(
    figures: &'a [DraftFigure],
    unit: &RegionId,
    region: &RegionId,
    origin: Origin,
    measure: Measure,
) -> Option<&'a Loc> {
    let f = figures
        .iter()
        .find(|f| f.origin == origin && f.measure == measure)?;
    if region == unit {
        Some(&f.value_loc)
    } else {
        f.breakdown
            .iter()
            .find(|p| &p.region == region)
            .map(|p| &p.value_loc)
    }
}

fn identities(
    report: &Report,
    figures: &[DraftFigure],
    ctx: &Context,
    problems: &mut Vec<Problem>,
) {
    let day = report.to_day();
    let unit_id = RegionId::Code(report.unit);
    let date = report.date;
    let mut days = vec![day];
    let mut previous_label = None;
    if let Some((prev, label)) = &ctx.previous {
        if prev.date == Some(date.pred()) {
            days.push(prev.clone());
            previous_label = Some(label.as_str());
        }
    }
    let ledger = Ledger::from_days(days);
    let audit = audit_report(&ledger, Some(date), Some(date));
    for b in audit.breaks {
        if b.explained_by.is_some() || b.date != date {
            continue;
        }
        let loc = value_loc(figures, &unit_id, &b.region, b.origin, b.measure)
            .cloned()
            .unwrap_or_else(|| Loc::pointer("/figures"));
        let (code, message, expected) = match b.identity {
            Identity::Origins => (
                "origins_mismatch",
                format!(
                    "{} {}: all ({}) is not imported + local ({})",
                    b.region, b.measure, b.found, b.expected
                ),
                b.expected.to_string(),
            ),
            Identity::Parts => (
                "parts_exceed_figure",
                format!(
                    "the breakdown of {} {} {} sums to {}, more than its figure {}",
                    b.region, b.origin, b.measure, b.expected, b.found
                ),
                format!("at least {} (or smaller parts)", b.expected),
            ),
            Identity::Balance => (
                "balance_broken",
                format!(
                    "{} {}: confirmed_cumulative ({}) is not confirmed_current + \
                     discharged_cumulative + deaths_cumulative ({})",
                    b.region, b.origin, b.found, b.expected
                ),
                b.expected.to_string(),
            ),
            Identity::Accumulation | Identity::Stock => (
                if b.identity == Identity::Stock {
                    "stock_broken"
                } else {
                    "accumulation_broken"
                },
                format!(
                    "{} {} {} is {}, but {} the previous day ({}) make it {}: {}; a correction \
                     (`corrections`) explains a change that is not a flow of the day",
                    b.region,
                    b.origin,
                    b.measure,
                    b.found,
                    previous_label.unwrap_or("the figures of"),
                    date.pred(),
                    b.expected,
                    b.identity.description()
                ),
                b.expected.to_string(),
            ),
        };
        problems.push(Problem::new(code, loc, message, Some(expected)));
    }
}

/// The unit's figures within a published day (the unit and the regions inside it).
pub fn unit_facts(day: &Day, unit: RegionCode) -> Day {
    let unit_id = RegionId::Code(unit);
    Day {
        date: day.date,
        facts: day
            .facts
            .iter()
            .filter(|f| f.region == unit_id || hierarchy::contains(&unit_id, &f.region))
            .cloned()
            .collect::<Vec<Fact>>(),
        corrections: day
            .corrections
            .iter()
            .filter(|c| c.region == unit_id || hierarchy::contains(&unit_id, &c.region))
            .cloned()
            .collect(),
        notes: Vec::new(),
    }
}
