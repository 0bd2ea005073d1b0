//! Property tests: any valid sequence of events derives figures that satisfy every identity of
//! the ledger; deriving incrementally equals a rebuild; a batch with a bad event changes nothing.

mod common;

use common::*;
use epiledger_core::{audit, Ledger};
use epiledger_register::{
    Body, CardFix, CaseOrigin, Classification as C, Event, Key, Outcome, Register, Severity,
};
use proptest::prelude::*;

/// What the generator knows of each card: (id, classification, open, withdrawn, audit day).
struct Model {
    cards: Vec<(u64, C, bool, bool, usize)>,
    contacts: Vec<(u64, u8)>, // 0 observed, 1 released, 2 case, 3 withdrawn
}

const DAYS: [&str; 6] = [
    "2020-03-01",
    "2020-03-02",
    "2020-03-03",
    "2020-03-04",
    "2020-03-05",
    "2020-03-06",
];

/// Turns choices into a valid sequence of events, day by day.
fn events(choices: &[(u8, u8, u8)]) -> Vec<Event> {
    let mut b = B::new();
    let mut m = Model {
        cards: Vec::new(),
        contacts: Vec::new(),
    };
    let mut out = Vec::new();
    let per_day = choices.len().div_ceil(DAYS.len()).max(1);
    for (n, &(action, pick, x)) in choices.iter().enumerate() {
        let day_ix = (n / per_day).min(DAYS.len() - 1);
        let day = DAYS[day_ix];
        let open: Vec<usize> = (0..m.cards.len())
            .filter(|i| m.cards[*i].2 && !m.cards[*i].3)
            .collect();
        let pick_open = |f: &dyn Fn(C) -> bool| -> Option<usize> {
            let v: Vec<usize> = open.iter().copied().filter(|i| f(m.cards[*i].1)).collect();
            (!v.is_empty()).then(|| v[pick as usize % v.len()])
        };
        match action % 10 {
            0..=2 => {
                let id = m.cards.len() as u64 + 1;
                let class = [
                    C::Confirmed,
                    C::Asymptomatic,
                    C::Suspected,
                    C::ClinicallyDiagnosed,
                ][x as usize % 4];
                let origin = if x & 4 == 0 {
                    CaseOrigin::Local
                } else {
                    CaseOrigin::Imported
                };
                let mut report = card_report(id, day, class, origin);
                // Some cards are reported late, audited the day before.
                if x & 8 != 0 && day_ix > 0 {
                    report.audit = d(DAYS[day_ix - 1]);
                    report.report = report.audit;
                    report.onset = Some(report.audit);
                    report.diagnosis = Some(report.audit);
                }
                if class.is_confirmed() && x & 16 != 0 {
                    report.severity = Some(Severity::Severe);
                }
                out.push(b.event(day, HUBEI, None, Body::Card(report)));
                m.cards.push((id, class, true, false, day_ix));
            }
            3 => {
                if let Some(i) = pick_open(&|c| c.is_confirmed()) {
                    let outcome = if x % 2 == 0 {
                        Outcome::Discharged
                    } else {
                        Outcome::Died
                    };
                    out.push(b.outcome(day, m.cards[i].0, outcome, day));
                    m.cards[i].2 = false;
                }
            }
            4 => {
                if let Some(i) = pick_open(&|c| c == C::Asymptomatic || c == C::Suspected) {
                    if x % 2 == 0 {
                        out.push(b.reclassify(day, m.cards[i].0, C::Confirmed));
                        m.cards[i].1 = C::Confirmed;
                    } else {
                        let o = if m.cards[i].1 == C::Asymptomatic {
                            Outcome::Released
                        } else {
                            Outcome::Excluded
                        };
                        out.push(b.outcome(day, m.cards[i].0, o, day));
                        m.cards[i].2 = false;
                    }
                }
            }
            5 => {
                let v: Vec<usize> = (0..m.cards.len()).filter(|i| !m.cards[*i].3).collect();
                if !v.is_empty() {
                    let i = v[pick as usize % v.len()];
                    out.push(b.withdraw(day, m.cards[i].0));
                    m.cards[i].3 = true;
                }
            }
            6 => {
                if let Some(i) = pick_open(&|c| c.is_confirmed()) {
                    let s = if x % 2 == 0 {
                        Severity::Critical
                    } else {
                        Severity::Mild
                    };
                    out.push(b.event(
                        day,
                        HUBEI,
                        None,
                        Body::SeverityChanged {
                            card: Key::Num(m.cards[i].0),
                            severity: s,
                            date: d(day),
                        },
                    ));
                }
            }
            7 => {
                let v: Vec<usize> = (0..m.cards.len()).filter(|i| !m.cards[*i].3).collect();
                if !v.is_empty() {
                    let i = v[pick as usize % v.len()];
                    let mut fix = CardFix::default();
                    match x % 3 {
                        0 => {
                            fix.residence = Some(code(if x & 8 == 0 { DONGCHENG } else { WUCHANG }))
                        }
                        1 => {
                            fix.origin = Some(CaseOrigin::Imported);
                            fix.country = Some("JP".parse().unwrap());
                        }
                        _ => fix.origin = Some(CaseOrigin::Local),
                    }
                    out.push(b.fix(day, m.cards[i].0, fix));
                }
            }
            8 => {
                let id = m.contacts.len() as u64 + 1;
                out.push(b.contact(day, id));
                m.contacts.push((id, 0));
            }
            _ => {
                let v: Vec<usize> = (0..m.contacts.len())
                    .filter(|i| m.contacts[*i].1 == 0)
                    .collect();
                if !v.is_empty() {
                    let i = v[pick as usize % v.len()];
                    let id = m.contacts[i].0;
                    match x % 3 {
                        0 => {
                            out.push(b.release(day, id));
                            m.contacts[i].1 = 1;
                        }
                        1 => {
                            out.push(b.event(
                                day,
                                HUBEI,
                                Some("traced twice"),
                                Body::ContactWithdrawn {
                                    contact: Key::Num(id),
                                },
                            ));
                            m.contacts[i].1 = 3;
                        }
                        _ => {
                            if let Some(c) = m.cards.iter().find(|c| !c.3) {
                                out.push(b.event(
                                    day,
                                    HUBEI,
                                    None,
                                    Body::ContactBecameCase {
                                        contact: Key::Num(id),
                                        card: card_ref(HUBEI, c.0),
                                        date: d(day),
                                    },
                                ));
                                m.contacts[i].1 = 2;
                            }
                        }
                    }
                }
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn valid_sequences_derive_figures_that_satisfy_every_identity(
        choices in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>()), 0..160)
    ) {
        let events = events(&choices);
        let mut r = Register::new();
        for e in &events {
            prop_assert!(r.apply(e).is_ok(), "{:?} refused: {:?}", e, r.apply(e));
        }
        let ledger = Ledger::from_days(r.derivation().days());
        let breaks = audit(&ledger, None, None);
        prop_assert!(breaks.is_empty(), "{:#?}", breaks);
    }

    #[test]
    fn incremental_derivation_equals_a_rebuild(
        choices in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>()), 0..120),
        cut in 0usize..120,
    ) {
        let events = events(&choices);
        // Incremental: in two batches, reading the days in between.
        let mut inc = Register::new();
        let cut = cut.min(events.len());
        inc.apply_batch(&events[..cut]).unwrap();
        let _ = inc.derivation().days().count();
        inc.apply_batch(&events[cut..]).unwrap();
        // Rebuild: one batch on a new register.
        let mut full = Register::new();
        full.apply_batch(&events).unwrap();
        prop_assert_eq!(inc.derivation(), full.derivation());
    }

    #[test]
    fn a_batch_with_a_bad_event_changes_nothing(
        choices in prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>()), 1..120),
        cut in 0usize..120,
        at in 0usize..120,
    ) {
        let events = events(&choices);
        let cut = cut.min(events.len());
        let mut r = Register::new();
        r.apply_batch(&events[..cut]).unwrap();
        let before = (r.derivation().clone(), r.cards(), r.contacts(), r.events());
        let mut batch: Vec<Event> = events[cut..].to_vec();
        // An outcome of a card that does not exist, somewhere in the batch.
        let mut b = B { next: 1_000_000 };
        let day = batch.last().map(|e| e.day().to_string()).unwrap_or_else(|| DAYS[5].to_string());
        let bad = b.outcome(&day, 999_999, Outcome::Discharged, &day);
        let at = at.min(batch.len());
        batch.insert(at, bad);
        let err = r.apply_batch(&batch).unwrap_err();
        prop_assert_eq!(err.len(), 1);
        prop_assert_eq!(err[0].index, at);
        prop_assert_eq!((r.derivation().clone(), r.cards(), r.contacts(), r.events()), before);
    }
}
