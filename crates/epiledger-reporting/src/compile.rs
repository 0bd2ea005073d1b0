//! The day's completeness board and the national compilation.
//!
//! - The **board** says, per reporting unit, whether it reported by the cutoff (`on_time`),
//!   after it (`late`), not at all once the cutoff passed (`missing`), or not yet before it
//!   (`awaiting`).
//! - The **compilation** is the day the units' newest reports make: every unit's figures and
//!   breakdowns, and the nation's figures as sums over the units. National figures (the
//!   compilers' own report of unit `100000`, or the figures of a bulletin already published
//!   for the day) are checked against the sums: equal when all 32 units gave the figure, at
//!   least the sum otherwise; a difference is a discrepancy. National figures that no unit
//!   reports (the close contacts nationwide, say) are taken as they are. The ledger's
//!   identities are checked on the compiled day against the published previous day.
//! - Against the day's current publication, the compilation's changes are the **errata** of
//!   the release it would make, each with the reasons of the revised reports.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveTime, Utc};
use epiledger_core::ledger::{audit_report, hierarchy::REPORTING_UNITS, identities::is_additive};
use epiledger_core::{content, time, SourceKind};
use epiledger_core::{
    diff_days, registry, Break, Count, Date, Day, Fact, FactChange, Ledger, Measure, MeasureKind,
    Origin, RegionCode, RegionId,
};

use crate::{BasisEntry, Erratum, UnitDayReport};
use serde::Serialize;

/// The default cutoff of a day: the next day at `at`, Beijing time.
pub fn default_cutoff(date: Date, at: NaiveTime) -> DateTime<Utc> {
    date.succ().at_beijing(at)
}

/// A unit's state on the board.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum UnitState {
    /// First reported by the cutoff.
    OnTime,
    /// First reported after the cutoff.
    Late,
    /// Not reported, and the cutoff has passed.
    Missing,
    /// Not reported yet, before the cutoff.
    Awaiting,
}

/// One unit on the board.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitStatus {
    /// The unit's code.
    pub unit: String,
    /// Its Chinese name.
    pub name_zh: &'static str,
    /// Its English name.
    pub name_en: &'static str,
    /// On time, late, missing or awaiting.
    pub status: UnitState,
    /// When it first reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_submitted_at: Option<String>,
    /// Its newest version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// When the newest version was stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<String>,
    /// The newest version's reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// How many units are in each state.
#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counts {
    /// Reported by the cutoff.
    pub on_time: usize,
    /// Reported after it.
    pub late: usize,
    /// Not reported after it.
    pub missing: usize,
    /// Not reported before it.
    pub awaiting: usize,
}

/// The completeness board of a day.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Board {
    /// The day.
    pub date: Date,
    /// Its cutoff.
    pub cutoff: String,
    /// Whether the cutoff was set for the day (or is the default).
    pub cutoff_set: bool,
    /// The time the board describes.
    pub as_of: String,
    /// The counts.
    pub counts: Counts,
    /// The 32 units, in code order.
    pub units: Vec<UnitStatus>,
    /// The compilers' national report's version, if any.
    pub national_report: Option<u32>,
}

/// The board of a day from its reports.
pub fn board(
    date: Date,
    cutoff: DateTime<Utc>,
    cutoff_set: bool,
    as_of: DateTime<Utc>,
    reports: &[UnitDayReport],
) -> Board {
    let by_unit: BTreeMap<RegionCode, &UnitDayReport> =
        reports.iter().map(|r| (r.newest.report.unit, r)).collect();
    let mut counts = Counts::default();
    let units = REPORTING_UNITS
        .iter()
        .map(|&unit| {
            let region = registry().get(unit);
            let r = by_unit.get(&unit);
            let status = match r {
                Some(r) if r.first_submitted_at <= cutoff => UnitState::OnTime,
                Some(_) => UnitState::Late,
                None if as_of > cutoff => UnitState::Missing,
                None => UnitState::Awaiting,
            };
            match status {
                UnitState::OnTime => counts.on_time += 1,
                UnitState::Late => counts.late += 1,
                UnitState::Missing => counts.missing += 1,
                UnitState::Awaiting => counts.awaiting += 1,
            }
            UnitStatus {
                unit: unit.to_string(),
                name_zh: region.map_or("", |r| r.name_zh),
                name_en: region.map_or("", |r| r.display_en()),
                status,
                first_submitted_at: r.map(|r| time::format(r.first_submitted_at)),
                version: r.map(|r| r.newest.version),
                submitted_at: r.map(|r| time::format(r.newest.submitted_at)),
                reason: r.and_then(|r| r.newest.reason.clone()),
            }
        })
        .collect();
    Board {
        date,
        cutoff: time::format(cutoff),
        cutoff_set,
        as_of: time::format(as_of),
        counts,
        units,
        national_report: by_unit.get(&RegionCode::NATION).map(|r| r.newest.version),
    }
}

/// A national figure that disagrees with the sum over the units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Discrepancy {
    /// Which cases.
    pub origin: Origin,
    /// Which figure.
    pub measure: Measure,
    /// The national figure.
    pub national: Count,
    /// Where the national figure comes from (`national report v2`, `published release 1`).
    pub national_source: String,
    /// The sum over the units that gave the figure.
    pub units_sum: Count,
    /// How many units gave it.
    pub units_reporting: usize,
    /// What is wrong.
    pub message: String,
}

/// The national compilation of a day.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Compilation {
    /// The day.
    pub date: Date,
    /// The time of the reports compiled.
    pub as_of: String,
    /// The content hash of the compiled day: what an approval names.
    pub content_hash: String,
    /// Whether all 32 units reported.
    pub complete: bool,
    /// How many units reported.
    pub units_reported: usize,
    /// The units that did not.
    pub units_missing: Vec<String>,
    /// The report versions compiled.
    pub basis: Vec<BasisEntry>,
    /// The published release this compilation would revise.
    pub base_version: Option<u32>,
    /// What it changes from that release.
    pub errata: Vec<Erratum>,
    /// National figures that disagree with the units' sums.
    pub discrepancies: Vec<Discrepancy>,
    /// The identities' breaks on the compiled day (against the published previous day).
    pub checks: Vec<Break>,
    /// The compiled day.
    pub day: Day,
}

/// The day's current publication, as a compilation needs it.
#[derive(Clone, Copy, Debug)]
pub struct Publication<'a> {
    /// The published day.
    pub day: &'a Day,
    /// Its version: the release number.
    pub version: u32,
    /// Where it came from: a bulletin's national figures are checked against the units' sums;
    /// a release of ours (`report`) is the units' own.
    pub kind: SourceKind,
}

/// What a compilation starts from.
pub struct Inputs<'a> {
    /// The day.
    pub date: Date,
    /// The time the reports are read as of.
    pub as_of: DateTime<Utc>,
    /// The newest report of each unit (and the national one).
    pub reports: &'a [UnitDayReport],
    /// The published previous day.
    pub previous: Option<&'a Day>,
    /// The day's current publication.
    pub published: Option<Publication<'a>>,
    /// The basis of that publication, when it was a release.
    pub published_basis: Option<&'a [BasisEntry]>,
}

/// Whether a measure sums over regions.
fn sums(m: Measure) -> bool {
    is_additive(m) || m.kind() == MeasureKind::Change
}

/// Compiles the day.
pub fn compile(i: Inputs) -> Compilation {
    let date = i.date;
    let nation = RegionId::NATION;
    let mut day = Day::new(date);
    let mut basis = Vec::new();
    let mut totals: BTreeMap<(Origin, Measure), (Count, usize)> = BTreeMap::new();
    let mut national: BTreeMap<(Origin, Measure), (Count, String)> = BTreeMap::new();
    let mut reported = BTreeSet::new();
    for r in i.reports {
        let report = &r.newest.report;
        basis.push(BasisEntry {
            unit: report.unit,
            version: r.newest.version,
        });
        if report.unit == RegionCode::NATION {
            for f in &report.figures {
                national.insert(
                    (f.origin, f.measure),
                    (
                        f.value,
                        format!("the national report, version {}", r.newest.version),
                    ),
                );
            }
            day.corrections.extend(report.corrections.iter().cloned());
            continue;
        }
        reported.insert(report.unit);
        let d = report.to_day();
        day.facts.extend(d.facts);
        day.corrections.extend(d.corrections);
        for f in &report.figures {
            if sums(f.measure) {
                let t = totals.entry((f.origin, f.measure)).or_insert((0, 0));
                t.0 = t.0.saturating_add(f.value);
                t.1 += 1;
            }
        }
    }
    // A bulletin published for the day (not a release of ours) gives national figures too.
    if let Some(p) = i.published {
        if p.kind != SourceKind::Report {
            for f in p.day.facts.iter().filter(|f| f.region == nation) {
                national
                    .entry((f.origin, f.measure))
                    .or_insert((f.value, format!("the published release {}", p.version)));
            }
        }
    }

    let mut discrepancies = Vec::new();
    for (&(origin, measure), &(sum, n)) in &totals {
        day.facts.push(Fact {
            region: nation.clone(),
            origin,
            measure,
            value: sum,
        });
        let Some((value, source)) = national.get(&(origin, measure)) else {
            continue;
        };
        let all = n == REPORTING_UNITS.len();
        let wrong = if all || measure.is_signed() {
            *value != sum
        } else {
            *value < sum
        };
        if wrong {
            discrepancies.push(Discrepancy {
                origin,
                measure,
                national: *value,
                national_source: source.clone(),
                units_sum: sum,
                units_reporting: n,
                message: if all {
                    format!(
                        "{origin} {measure}: the national figure {value} ({source}) is not the \
                         sum over the 32 units, {sum}"
                    )
                } else {
                    format!(
                        "{origin} {measure}: the national figure {value} ({source}) is less than \
                         the sum over the {n} units that gave it, {sum}"
                    )
                },
            });
        }
    }
    // National figures that no unit reports are the nation's own.
    for (&(origin, measure), (value, _)) in &national {
        if !totals.contains_key(&(origin, measure)) {
            day.facts.push(Fact {
                region: nation.clone(),
                origin,
                measure,
                value: *value,
            });
        }
    }
    let day = content::canonical(&day);
    let content_hash = content::content_hash(&day);

    let checks = {
        let mut days = vec![day.clone()];
        if let Some(prev) = i.previous {
            days.push(prev.clone());
        }
        let ledger = Ledger::from_days(days);
        audit_report(&ledger, Some(date), Some(date)).breaks
    };

    let errata = match i.published {
        Some(p) => errata(p.day, &day, i.reports, i.published_basis),
        None => Vec::new(),
    };
    let units_missing = REPORTING_UNITS
        .iter()
        .filter(|u| !reported.contains(u))
        .map(ToString::to_string)
        .collect();
    Compilation {
        date,
        as_of: time::format(i.as_of),
        content_hash,
        complete: reported.len() == REPORTING_UNITS.len(),
        units_reported: reported.len(),
        units_missing,
        basis,
        base_version: i.published.map(|p| p.version),
        errata,
        discrepancies,
        checks,
        day,
    }
}

/// The changes from the published day, each with the reasons of the revised reports of its
/// unit (of every revised unit, for the nation's figures).
fn errata(
    old: &Day,
    new: &Day,
    reports: &[UnitDayReport],
    published_basis: Option<&[BasisEntry]>,
) -> Vec<Erratum> {
    let before: BTreeMap<RegionCode, u32> = published_basis
        .unwrap_or_default()
        .iter()
        .map(|b| (b.unit, b.version))
        .collect();
    let mut reasons: BTreeMap<RegionCode, String> = BTreeMap::new();
    for r in reports {
        let unit = r.newest.report.unit;
        if published_basis.is_some() && before.get(&unit) == Some(&r.newest.version) {
            continue; // unchanged since the published release
        }
        let reason = match &r.newest.reason {
            Some(reason) => format!("{unit}: {reason}"),
            None if published_basis.is_some() => format!("{unit}: reported after the release"),
            None => format!("{unit}: compiled from its report"),
        };
        reasons.insert(unit, reason);
    }
    let all_reasons = || {
        if reasons.is_empty() {
            "recompiled".to_string()
        } else {
            reasons.values().cloned().collect::<Vec<_>>().join("; ")
        }
    };
    diff_days(old, new)
        .facts
        .into_iter()
        .map(|c: FactChange| {
            let (region, origin, measure) = c.key();
            let reason = if region.is_nation() {
                all_reasons()
            } else {
                reasons
                    .get(&region.province())
                    .cloned()
                    .unwrap_or_else(all_reasons)
            };
            Erratum {
                region: region.clone(),
                origin,
                measure,
                old: c.before(),
                new: c.after(),
                reason,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Report, ReportFigure, StoredReport};
    use chrono::{Duration, TimeZone};

    fn unit_report(
        unit: RegionCode,
        n: Count,
        version: u32,
        reason: Option<&str>,
    ) -> UnitDayReport {
        let fig = |origin, value| ReportFigure {
            measure: Measure::ConfirmedNew,
            origin,
            value,
            breakdown: vec![],
        };
        let at = Utc.with_ymd_and_hms(2023, 1, 5, 20, 0, 0).unwrap();
        UnitDayReport {
            newest: StoredReport {
                report: Report {
                    date: "2023-01-05".parse().unwrap(),
                    unit,
                    figures: vec![fig(Origin::Local, n), fig(Origin::Imported, 1)],
                    corrections: vec![],
                    acknowledged: vec![],
                },
                version,
                reason: reason.map(str::to_string),
                submitted_at: at,
                submitted_by: None,
                content_hash: String::new(),
            },
            first_submitted_at: at,
        }
    }

    #[test]
    fn sums_the_units_and_checks_the_national_figures() {
        let mut reports: Vec<UnitDayReport> = REPORTING_UNITS
            .iter()
            .map(|&u| unit_report(u, 2, 1, None))
            .collect();
        let mut national = unit_report(RegionCode::NATION, 60, 1, None);
        national.newest.report.figures.push(ReportFigure {
            measure: Measure::ContactsUnderObservation,
            origin: Origin::All,
            value: 1234,
            breakdown: vec![],
        });
        reports.push(national);
        let c = compile(Inputs {
            date: "2023-01-05".parse().unwrap(),
            as_of: Utc::now(),
            reports: &reports,
            previous: None,
            published: None,
            published_basis: None,
        });
        assert!(c.complete);
        let get = |o, m| c.day.get(&RegionId::NATION, o, m);
        assert_eq!(get(Origin::Local, Measure::ConfirmedNew), Some(64));
        assert_eq!(get(Origin::Imported, Measure::ConfirmedNew), Some(32));
        assert_eq!(
            get(Origin::All, Measure::ContactsUnderObservation),
            Some(1234)
        );
        assert_eq!(c.discrepancies.len(), 2, "{:?}", c.discrepancies);
        assert_eq!(c.discrepancies[0].units_sum, 32);
        assert_eq!(c.basis.len(), 33);
        assert!(c.errata.is_empty());
    }

    #[test]
    fn the_board_and_the_default_cutoff() {
        let d: Date = "2023-01-05".parse().unwrap();
        let cutoff = default_cutoff(d, NaiveTime::from_hms_opt(6, 0, 0).unwrap());
        assert_eq!(time::format(cutoff), "2023-01-05T22:00:00.000000Z");
        let mut late = unit_report("120000".parse().unwrap(), 1, 1, None);
        late.first_submitted_at = cutoff + Duration::minutes(5);
        let reports = vec![unit_report("110000".parse().unwrap(), 1, 1, None), late];
        let b = board(d, cutoff, false, cutoff + Duration::hours(1), &reports);
        assert_eq!(
            (
                b.counts.on_time,
                b.counts.late,
                b.counts.missing,
                b.counts.awaiting
            ),
            (1, 1, 30, 0)
        );
        assert_eq!(b.units[0].status, UnitState::OnTime);
        assert_eq!(b.units[1].status, UnitState::Late);
        let b = board(d, cutoff, false, cutoff - Duration::hours(1), &reports[..1]);
        assert_eq!(b.counts.awaiting, 31);
    }
}
