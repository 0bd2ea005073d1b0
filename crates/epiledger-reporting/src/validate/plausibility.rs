//! Plausibility: figures far from the unit's own recent history are warnings, which the
//! reporter acknowledges by their ids.

use epiledger_core::{Count, Date, MeasureKind};

use super::{Context, DraftFigure, RECENT_DAYS};
use crate::problem::Warning;

/// Warnings for figures far from the unit's recent history.
pub(super) fn plausibility(figures: &[DraftFigure], ctx: &Context) -> Vec<Warning> {
    let mut out = Vec::new();
    for f in figures {
        let history: Vec<(Date, Count)> = ctx
            .recent
            .iter()
            .filter_map(|r| {
                r.report
                    .get(f.origin, f.measure)
                    .map(|v| (r.report.date, v))
            })
            .collect();
        if history.len() < 3 {
            continue;
        }
        let id = format!("plausibility:{}:{}", f.origin, f.measure);
        let found = match f.measure.kind() {
            MeasureKind::Flow => {
                let (max_date, max) = history
                    .iter()
                    .copied()
                    .max_by_key(|(_, v)| *v)
                    .unwrap_or((history[0].0, 0));
                (f.value > (4 * max).max(max + 50)).then(|| {
                    let message = format!(
                        "{} {} is {}, far above the unit's last {} days (at most {max}, on \
                         {max_date}); check the figure, or acknowledge this warning",
                        f.origin, f.measure, f.value, RECENT_DAYS
                    );
                    ("implausible_high", message)
                })
            }
            MeasureKind::Stock | MeasureKind::Cumulative => {
                let (last_date, last) = history[history.len() - 1];
                let jump = (f.value - last).abs();
                let decrease = f.measure.kind() == MeasureKind::Cumulative && f.value < last;
                (decrease || jump > (last / 2).max(50)).then(|| {
                    let message = format!(
                        "{} {} is {}, {} from {last} on {last_date}; check the figure, or \
                         acknowledge this warning",
                        f.origin,
                        f.measure,
                        f.value,
                        if decrease { "down" } else { "a jump" }
                    );
                    let code = if decrease {
                        "implausible_decrease"
                    } else {
                        "implausible_jump"
                    };
                    (code, message)
                })
            }
            MeasureKind::Change | MeasureKind::Coverage => None,
        };
        if let Some((code, message)) = found {
            out.push(Warning {
                id,
                code,
                loc: f.value_loc.clone(),
                message,
            });
        }
    }
    out
}
