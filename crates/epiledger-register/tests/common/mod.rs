//! Builders of events for the tests.
#![allow(dead_code)]

use chrono::NaiveTime;
use epiledger_core::{Date, RegionCode};
use epiledger_register::{
    Body, CardFix, CardRef, CardReport, CaseOrigin, Classification, ContactReport, Disease, Event,
    Key, Outcome, PersonKey,
};

pub fn d(s: &str) -> Date {
    s.parse().unwrap()
}

pub fn code(n: u32) -> RegionCode {
    RegionCode::new(n).unwrap()
}

pub const HUBEI: u32 = 420000;
pub const WUCHANG: u32 = 420106;
pub const BEIJING: u32 = 110000;
pub const DONGCHENG: u32 = 110101;

/// Events recorded at noon of their day, numbered in order.
pub struct B {
    pub next: u64,
}

impl B {
    pub fn new() -> B {
        B { next: 0 }
    }

    pub fn event(&mut self, day: &str, unit: u32, reason: Option<&str>, body: Body) -> Event {
        self.next += 1;
        Event {
            id: Key::Num(self.next),
            recorded: d(day).at_beijing(NaiveTime::from_hms_opt(12, 0, 0).unwrap()),
            author: "test".into(),
            unit: code(unit),
            reason: reason.map(Into::into),
            body,
        }
    }

    pub fn card(&mut self, day: &str, id: u64, class: Classification, origin: CaseOrigin) -> Event {
        let report = card_report(id, day, class, origin);
        self.event(day, HUBEI, None, Body::Card(report))
    }

    pub fn outcome(&mut self, day: &str, id: u64, outcome: Outcome, date: &str) -> Event {
        self.event(
            day,
            HUBEI,
            None,
            Body::Outcome {
                card: Key::Num(id),
                outcome,
                date: d(date),
            },
        )
    }

    pub fn reclassify(&mut self, day: &str, id: u64, to: Classification) -> Event {
        self.event(
            day,
            HUBEI,
            None,
            Body::Reclassified {
                card: Key::Num(id),
                classification: to,
                date: d(day),
            },
        )
    }

    pub fn withdraw(&mut self, day: &str, id: u64) -> Event {
        self.event(
            day,
            HUBEI,
            Some("duplicate report"),
            Body::Withdrawn { card: Key::Num(id) },
        )
    }

    pub fn fix(&mut self, day: &str, id: u64, fix: CardFix) -> Event {
        self.event(
            day,
            HUBEI,
            Some("corrected"),
            Body::Corrected {
                card: Key::Num(id),
                fix,
            },
        )
    }

    pub fn contact(&mut self, day: &str, id: u64) -> Event {
        self.event(
            day,
            HUBEI,
            None,
            Body::ContactTraced(ContactReport {
                contact: Key::Num(id),
                card: None,
                residence: code(WUCHANG),
                traced: d(day),
                observation: None,
            }),
        )
    }

    pub fn release(&mut self, day: &str, id: u64) -> Event {
        self.event(
            day,
            HUBEI,
            None,
            Body::ContactReleased {
                contact: Key::Num(id),
                date: d(day),
            },
        )
    }
}

pub fn card_report(id: u64, day: &str, class: Classification, origin: CaseOrigin) -> CardReport {
    CardReport {
        card: Key::Num(id),
        disease: Disease::COVID19,
        classification: class,
        severity: None,
        origin,
        country: (origin == CaseOrigin::Imported).then(|| "US".parse().unwrap()),
        residence: code(WUCHANG),
        institution: code(WUCHANG),
        sex: None,
        age: Some(40),
        onset: Some(d(day)),
        diagnosis: Some(d(day)),
        report: d(day),
        audit: d(day),
        person: None,
        name: None,
        phone: None,
    }
}

pub fn person(n: u8) -> PersonKey {
    PersonKey([n; 32])
}

pub fn card_ref(unit: u32, id: u64) -> CardRef {
    CardRef {
        unit: code(unit),
        card: Key::Num(id),
    }
}
