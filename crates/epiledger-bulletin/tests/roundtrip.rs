//! Both directions agree, without the corpus: for every one of the 969 shipped days, the
//! bulletin rendered from the shipped history in Chinese and in English parses back to the
//! day's facts and corrections exactly, with every number placed.
//!
//! Facts are compared exactly (the day's canonical order); corrections as a multiset (a
//! correction is written beside the figure it concerns, so their order follows the figures').
//! Notes are compared where the renderer writes their figures: the total notified by Hong Kong,
//! Macao and Taiwan and, in English, the cases notified by foreign countries (January 2020).
//! The other notes are not written as notes: the shipped history keeps no text, so a
//! footnote, an explanation, a remark or a signature has nothing to say; `phrasing` records the
//! Chinese wording (the parser of the Chinese text finds it again, the English has none), and a
//! first case's note (2020-01-23, 01-24, 01-29) and the deaths by sex (2020-01-22) are not
//! written.

use std::sync::OnceLock;

use epiledger_bulletin::render::{self, Lang};
use epiledger_bulletin::{parse_as, LangChoice};
use epiledger_core::{Correction, Day, Ledger, Note, NoteKind, RegionId};
use epiledger_history::ShippedDay;

fn shipped() -> &'static (Vec<ShippedDay>, Ledger) {
    static H: OnceLock<(Vec<ShippedDay>, Ledger)> = OnceLock::new();
    H.get_or_init(|| {
        let days = epiledger_history::load().expect("the shipped history reads");
        let ledger = Ledger::from_days(days.iter().map(|d| d.day.clone()));
        (days, ledger)
    })
}

/// The notes whose figures the renderer writes in `lang`.
fn written(notes: &[Note], lang: Lang) -> Vec<Note> {
    let mut out: Vec<Note> = notes
        .iter()
        .filter(|n| {
            n.kind == NoteKind::NotifiedTotal
                || (n.kind == NoteKind::ForeignNotified && lang == Lang::En)
        })
        .map(|n| Note {
            text: None,
            ..n.clone()
        })
        .collect();
    out.sort();
    out
}

fn sorted(c: &[Correction]) -> Vec<Correction> {
    let mut c = c.to_vec();
    c.sort();
    c
}

/// The differences between a day and the day parsed from its rendering, one line each.
fn differences(expected: &Day, lang: Lang) -> Vec<String> {
    let (_, ledger) = shipped();
    let date = expected.date.expect("a dated day");
    let b = render::bulletin(ledger, date, &RegionId::NATION).expect("the day renders");
    let text = render::text(&b, lang);
    let choice = match lang {
        Lang::Zh => LangChoice::Zh,
        Lang::En => LangChoice::En,
    };
    let parsed = match parse_as(&text, Some(date), choice) {
        Ok(p) => p,
        Err(e) => return vec![format!("{date} {lang}: {e}\n{text}")],
    };
    let mut out = Vec::new();
    if parsed.lang != lang {
        out.push(format!("{date} {lang}: recorded as {}", parsed.lang));
    }
    let mut got = parsed.day.clone();
    got.normalize();
    let mut want = expected.clone();
    want.normalize();
    for f in got.facts.iter().filter(|f| !want.facts.contains(f)) {
        out.push(format!("{date} {lang}: extra {f:?}"));
    }
    for f in want.facts.iter().filter(|f| !got.facts.contains(f)) {
        out.push(format!("{date} {lang}: missing {f:?}"));
    }
    if sorted(&got.corrections) != sorted(&want.corrections) {
        out.push(format!(
            "{date} {lang}: corrections {:?}\n  expected {:?}",
            got.corrections, want.corrections
        ));
    }
    if written(&got.notes, lang) != written(&want.notes, lang) {
        out.push(format!(
            "{date} {lang}: notes {:?}\n  expected {:?}",
            written(&got.notes, lang),
            written(&want.notes, lang)
        ));
    }
    for u in &parsed.unplaced {
        out.push(format!(
            "{date} {lang}: unplaced {} at {}:{} in {}",
            u.number, u.line, u.column, u.sentence
        ));
    }
    out
}

fn round_trip(lang: Lang) {
    let (days, _) = shipped();
    assert_eq!(days.len(), 969);
    let problems: Vec<String> = days
        .iter()
        .flat_map(|d| differences(&d.day, lang))
        .collect();
    assert!(
        problems.is_empty(),
        "{} differences in {lang}:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_shipped_day_round_trips_in_chinese() {
    round_trip(Lang::Zh);
}

#[test]
fn every_shipped_day_round_trips_in_english() {
    round_trip(Lang::En);
}

#[test]
fn the_language_is_told_by_the_text() {
    let (days, ledger) = shipped();
    for d in days.iter().step_by(97) {
        let date = d.day.date.expect("dated");
        let b = render::bulletin(ledger, date, &RegionId::NATION).expect("renders");
        for lang in Lang::ALL {
            let text = render::text(&b, lang);
            assert_eq!(epiledger_bulletin::detect(&text), lang, "{date}");
            let p = parse_as(&text, Some(date), LangChoice::Auto).expect("parses");
            assert_eq!(p.lang, lang, "{date}");
        }
    }
}
