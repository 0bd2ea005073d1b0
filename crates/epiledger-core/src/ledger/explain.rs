//! What explains a break: the corrections, or failing them the notes, that concern it.

use super::hierarchy::contains;
use super::index::Ledger;
use crate::{Correction, Date, Measure, Note, NoteKind, Origin, RegionId};

/// The longest note text quoted, in characters.
const QUOTE: usize = 40;

/// The corrections of `date` (and those of the next day that refer to `date`) on one of the
/// `related` measures, in `region` or inside it and of a matching origin, described and
/// joined by `; `. Failing those, a footnote or explanation of the day that mentions one of
/// the measures. `None` if nothing does.
pub(crate) fn explain(
    ledger: &Ledger,
    date: Date,
    region: &RegionId,
    origin: Origin,
    related: &[Measure],
) -> Option<String> {
    let concerns = |c: &Correction| {
        related.contains(&c.measure)
            && contains(region, &c.region)
            && (c.origin == origin || c.origin == Origin::All || origin == Origin::All)
    };
    let today = ledger
        .corrections_on(date)
        .iter()
        .filter(|c| concerns(c))
        .map(|c| describe_correction(date, c));
    let next = date.succ();
    let later = ledger
        .corrections_on(next)
        .iter()
        .filter(|c| c.refers_to == Some(date) && concerns(c))
        .map(|c| describe_correction(next, c));
    let found: Vec<String> = today.chain(later).collect();
    if !found.is_empty() {
        return Some(found.join("; "));
    }
    ledger
        .notes_on(date)
        .iter()
        .find(|n| note_concerns(n, region, related))
        .map(|n| describe_note(date, n))
}

/// `2020-02-13 420000 deaths_cumulative 核减 −108 (重复统计)`.
pub(crate) fn describe_correction(date: Date, c: &Correction) -> String {
    let mut s = format!("{date} {}", c.region);
    if c.origin != Origin::All {
        s.push(' ');
        s.push_str(c.origin.name());
    }
    s.push_str(&format!(" {} {}", c.measure, c.kind.zh()));
    if let Some(day) = c.refers_to {
        s.push_str(&format!(" {day}"));
    }
    if let Some(delta) = c.delta {
        s.push(' ');
        s.push_str(&signed(delta));
    }
    if let Some(x) = c.restated {
        s.push_str(&format!(" 为 {x}"));
    }
    if let Some(reason) = c.reason.as_deref().filter(|r| !r.is_empty()) {
        s.push_str(&format!(" ({reason})"));
    }
    s
}

/// `+5`, `−108` (with a minus sign), `0`.
fn signed(v: i64) -> String {
    match v {
        0 => "0".into(),
        v if v > 0 => format!("+{v}"),
        v => format!("\u{2212}{}", v.unsigned_abs()),
    }
}

fn note_concerns(n: &Note, region: &RegionId, related: &[Measure]) -> bool {
    if !matches!(
        n.kind,
        NoteKind::Footnote | NoteKind::Explanation | NoteKind::Contradiction
    ) {
        return false;
    }
    let place = match &n.region {
        None => true,
        Some(r) => contains(region, r) || contains(r, region),
    };
    let mentions = |m: &Measure| {
        n.values
            .iter()
            .any(|v| v.label.rsplit(':').next() == Some(m.name()))
            || n.text.as_deref().is_some_and(|t| t.contains(m.zh()))
    };
    place && related.iter().any(mentions)
}

fn describe_note(date: Date, n: &Note) -> String {
    let kind = match n.kind {
        NoteKind::Footnote => "footnote",
        NoteKind::Contradiction => "contradiction in the source",
        _ => "explanation",
    };
    let mut s = format!("{date} {kind}");
    if let Some(r) = &n.region {
        s.push_str(&format!(" {r}"));
    }
    let body = match n.text.as_deref() {
        Some(t) if t.chars().count() > QUOTE => {
            format!("{}…", t.chars().take(QUOTE).collect::<String>())
        }
        Some(t) => t.to_string(),
        None => n
            .values
            .iter()
            .map(|v| format!("{} {}", v.label, v.value))
            .collect::<Vec<_>>()
            .join(", "),
    };
    if !body.is_empty() {
        s.push_str(": ");
        s.push_str(&body);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CorrectionKind, Day, NoteValue};

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn reduction() -> Correction {
        Correction {
            region: "420000".parse().unwrap(),
            origin: Origin::All,
            measure: Measure::DeathsCumulative,
            kind: CorrectionKind::Reduce,
            delta: Some(-108),
            restated: None,
            refers_to: None,
            reason: Some("重复统计".into()),
        }
    }

    #[test]
    fn describes_corrections() {
        assert_eq!(
            describe_correction(d("2020-02-13"), &reduction()),
            "2020-02-13 420000 deaths_cumulative 核减 −108 (重复统计)"
        );
        let c = Correction {
            origin: Origin::Imported,
            measure: Measure::ConfirmedCumulative,
            kind: CorrectionKind::Revise,
            delta: None,
            restated: Some(51986),
            refers_to: Some(d("2020-02-12")),
            reason: None,
            ..reduction()
        };
        assert_eq!(
            describe_correction(d("2020-02-13"), &c),
            "2020-02-13 420000 imported confirmed_cumulative 订正 2020-02-12 为 51986"
        );
    }

    #[test]
    fn finds_corrections_inside_and_on_the_next_day() {
        let mut d1 = Day::new(d("2020-02-13"));
        d1.corrections.push(reduction());
        let mut d2 = Day::new(d("2020-02-14"));
        d2.corrections.push(Correction {
            refers_to: Some(d("2020-02-13")),
            delta: Some(-1),
            reason: None,
            ..reduction()
        });
        let ledger = Ledger::from_days([d1, d2]);
        let deaths = [Measure::DeathsCumulative, Measure::DeathsNew];
        let e = explain(
            &ledger,
            d("2020-02-13"),
            &RegionId::NATION,
            Origin::All,
            &deaths,
        );
        assert_eq!(
            e.as_deref(),
            Some(
                "2020-02-13 420000 deaths_cumulative 核减 −108 (重复统计); \
                 2020-02-14 420000 deaths_cumulative 核减 2020-02-13 −1"
            )
        );
        let hunan: RegionId = "430000".parse().unwrap();
        assert!(explain(&ledger, d("2020-02-13"), &hunan, Origin::All, &deaths).is_none());
        let confirmed = [Measure::ConfirmedCumulative];
        assert!(explain(
            &ledger,
            d("2020-02-13"),
            &RegionId::NATION,
            Origin::All,
            &confirmed
        )
        .is_none());
    }

    #[test]
    fn names_a_contradiction_of_the_source() {
        let mut day = Day::new(d("2020-06-19"));
        day.notes.push(Note {
            kind: NoteKind::Contradiction,
            region: Some(RegionId::NATION),
            values: vec![
                NoteValue {
                    label: "total:confirmed_new".into(),
                    value: 27,
                },
                NoteValue {
                    label: "imported:confirmed_new".into(),
                    value: 4,
                },
                NoteValue {
                    label: "local:confirmed_new".into(),
                    value: 22,
                },
            ],
            text: None,
        });
        let ledger = Ledger::from_days([day]);
        let e = explain(
            &ledger,
            d("2020-06-19"),
            &RegionId::NATION,
            Origin::All,
            &[Measure::ConfirmedNew],
        );
        assert_eq!(
            e.as_deref(),
            Some(
                "2020-06-19 contradiction in the source 100000: total:confirmed_new 27, \
                 imported:confirmed_new 4, local:confirmed_new 22"
            )
        );
    }

    #[test]
    fn falls_back_to_a_footnote() {
        let mut day = Day::new(d("2020-02-12"));
        day.notes.push(Note {
            kind: NoteKind::Explanation,
            region: Some("420000".parse().unwrap()),
            values: vec![NoteValue {
                label: "confirmed_new_clinical".into(),
                value: 13332,
            }],
            text: None,
        });
        let ledger = Ledger::from_days([day]);
        let e = explain(
            &ledger,
            d("2020-02-12"),
            &RegionId::NATION,
            Origin::All,
            &[Measure::ConfirmedNewClinical],
        );
        assert_eq!(
            e.as_deref(),
            Some("2020-02-12 explanation 420000: confirmed_new_clinical 13332")
        );
        let e = explain(
            &ledger,
            d("2020-02-12"),
            &RegionId::NATION,
            Origin::All,
            &[Measure::DeathsNew],
        );
        assert!(e.is_none());
    }
}
