//! The register's state: cards, contacts and persons in compact form, each event validated
//! against it and applied, the derivation kept up to date, and batches applied whole or not at
//! all.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::Arc;

use epiledger_core::{Date, RegionCode};

use crate::codes::{
    place_index, places, unit_index, units, CaseOrigin, Classification, Country, Disease, Outcome,
    Severity, Sex,
};
use crate::derive::{Derivation, Mark, Slot, ALL_M, M, NM};
use crate::error::RuleError;
use crate::event::{Body, CardFix, CardRef, CardReport, ContactReport, Event, Key, Text};
use crate::pseudonym::PersonKey;

/// A fast hasher for the register's integer keys (a multiply-fold; keys are ids, not attacker
/// controlled beyond what a batch may hold).
#[derive(Clone, Copy, Default)]
pub struct FoldHasher(u64);

impl Hasher for FoldHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes.chunks(8) {
            let mut a = [0u8; 8];
            a[..b.len()].copy_from_slice(b);
            self.write_u64(u64::from_le_bytes(a));
        }
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        let p = u128::from(self.0 ^ i) * 0x9e37_79b9_7f4a_7c15;
        self.0 = (p as u64) ^ ((p >> 64) as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.write_u64(u64::from(i));
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

type Fast<K, V> = HashMap<K, V, BuildHasherDefault<FoldHasher>>;

const NONE: u32 = u32::MAX;

/// Days since 1999-12-31 (1 = 2000-01-01); 0 is "no date".
type DayNum = u16;

fn day_num(d: Date) -> DayNum {
    let base = chrono::NaiveDate::from_ymd_opt(1999, 12, 31).expect("a date");
    (d.naive() - base).num_days().clamp(1, i64::from(u16::MAX)) as u16
}

fn num_day(n: DayNum) -> Option<Date> {
    let base = chrono::NaiveDate::from_ymd_opt(1999, 12, 31).expect("a date");
    (n != 0).then(|| Date::from(base + chrono::Duration::days(i64::from(n))))
}

const WITHDRAWN: u8 = 1;
const WAS_SUSPECTED: u8 = 2;

/// A card, compactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct CardState {
    unit: u8,
    home: u8,
    place: u16,
    institution: u16,
    disease: Disease,
    class: Classification,
    severity: Option<Severity>,
    origin: CaseOrigin,
    outcome: Option<Outcome>,
    flags: u8,
    sex: Option<Sex>,
    age: u8,
    country: Option<Country>,
    onset: DayNum,
    diagnosis: DayNum,
    report: DayNum,
    audit: DayNum,
    outcome_day: DayNum,
    person: u32,
    next_of_person: u32,
    /// The numeric id, or `u64::MAX` for a text id.
    num: u64,
}

impl CardState {
    fn slot(&self) -> Slot {
        match self.origin {
            CaseOrigin::Imported => Slot::Imported,
            CaseOrigin::Local => Slot::Local,
        }
    }
    fn withdrawn(&self) -> bool {
        self.flags & WITHDRAWN != 0
    }
    /// Whether the card is open: not withdrawn, no outcome.
    fn is_open(&self) -> bool {
        !self.withdrawn() && self.outcome.is_none()
    }
    /// The counters the card adds to, each +1.
    fn footprint(&self, out: &mut Vec<M>) {
        if self.withdrawn() {
            return;
        }
        if self.flags & WAS_SUSPECTED != 0 {
            out.push(M::SuspectedCumulative);
        }
        match self.class {
            Classification::Confirmed | Classification::ClinicallyDiagnosed => {
                out.push(M::ConfirmedCumulative);
                match self.outcome {
                    None => {
                        out.push(M::ConfirmedCurrent);
                        if self.severity.is_some_and(Severity::is_severe) {
                            out.push(M::SevereCurrent);
                        }
                    }
                    Some(Outcome::Discharged) => out.push(M::DischargedCumulative),
                    Some(Outcome::Died) => out.push(M::DeathsCumulative),
                    Some(_) => {}
                }
            }
            Classification::Asymptomatic => {
                if self.outcome.is_none() {
                    out.push(M::AsymptomaticUnderObservation);
                }
            }
            Classification::Suspected => {
                if self.outcome.is_none() {
                    out.push(M::SuspectedCurrent);
                }
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
enum ContactStatus {
    Observed,
    Released,
    BecameCase,
    Withdrawn,
}

impl ContactStatus {
    fn name(self) -> &'static str {
        match self {
            ContactStatus::Observed => "under observation",
            ContactStatus::Released => "released",
            ContactStatus::BecameCase => "a case",
            ContactStatus::Withdrawn => "withdrawn",
        }
    }
}

/// A contact, compactly (16 bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ContactState {
    unit: u8,
    home: u8,
    status: ContactStatus,
    place: u16,
    traced: DayNum,
    ended: DayNum,
    card: u32,
}

impl ContactState {
    fn footprint(&self, out: &mut Vec<M>) {
        match self.status {
            ContactStatus::Withdrawn => {}
            ContactStatus::Observed => {
                out.push(M::ContactsTracedCumulative);
                out.push(M::ContactsUnderObservation);
            }
            ContactStatus::Released => {
                out.push(M::ContactsTracedCumulative);
                out.push(M::ContactsReleasedCumulative);
            }
            ContactStatus::BecameCase => out.push(M::ContactsTracedCumulative),
        }
    }
}

/// Two open cards of the same disease for the same person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateFlag {
    /// The card recorded first.
    pub first: CardRef,
    /// The card recorded later.
    pub second: CardRef,
    /// The card that survives a merge by the rule ([`Register::survivor`]).
    pub survivor: CardRef,
}

/// What applying an event did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    /// The event changed the register.
    Recorded,
    /// Its id was recorded before: nothing changed (idempotence).
    Duplicate,
}

/// An event of a batch that was refused, with its position (0-based) in the batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    /// The event's position in the batch.
    pub index: usize,
    /// Why.
    pub error: RuleError,
}

/// What a batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchSummary {
    /// Events recorded.
    pub recorded: usize,
    /// Events skipped because their id was recorded before.
    pub duplicates: usize,
}

/// The private fields of a card: shown to the reporting unit and compilers only, never
/// exported, never logged.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Private {
    /// The name.
    pub name: Option<Text>,
    /// The telephone.
    pub phone: Option<Text>,
}

/// A card as the register holds it (for the unit's and the compilers' views).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardView {
    /// The card.
    pub card: CardRef,
    /// The disease.
    pub disease: Disease,
    /// Its classification.
    pub classification: Classification,
    /// Its severity.
    pub severity: Option<Severity>,
    /// Its origin.
    pub origin: CaseOrigin,
    /// The country of departure.
    pub country: Option<Country>,
    /// The residence.
    pub residence: RegionCode,
    /// The reporting institution's county.
    pub institution: RegionCode,
    /// Sex.
    pub sex: Option<Sex>,
    /// Age.
    pub age: Option<u8>,
    /// Onset.
    pub onset: Option<Date>,
    /// Diagnosis.
    pub diagnosis: Option<Date>,
    /// Report date.
    pub report: Date,
    /// Audit date.
    pub audit: Date,
    /// The outcome and its date.
    pub outcome: Option<(Outcome, Date)>,
    /// Whether it is withdrawn.
    pub withdrawn: bool,
    /// The person's pseudonym.
    pub person: Option<PersonKey>,
}

enum Undo {
    Card(u32, CardState),
    Contact(u32, ContactState),
    PersonHead(u32, u32),
}

struct Journal {
    cards: usize,
    contacts: usize,
    persons: usize,
    flags: usize,
    derivation: Mark,
    ids: Vec<u64>,
    undo: Vec<Undo>,
}

/// Reasons of the corrections the register makes itself.
struct Reasons {
    late: Text,
    transferred: Text,
}

/// The register: every card, contact and person, and the derived figures.
pub struct Register {
    cards: Vec<CardState>,
    card_num: Fast<u64, u32>,
    card_text: HashMap<(u8, Text), u32>,
    card_keys_text: Fast<u32, Text>,
    contacts: Vec<ContactState>,
    contact_num: Fast<u64, u32>,
    contact_text: HashMap<(u8, Text), u32>,
    persons: HashMap<PersonKey, u32>,
    person_keys: Vec<PersonKey>,
    person_head: Vec<u32>,
    private: Fast<u32, Private>,
    events: EventIds,
    flags: Vec<DuplicateFlag>,
    derivation: Derivation,
    journal: Option<Journal>,
    reasons: Reasons,
    scratch: (Vec<M>, Vec<M>),
}

impl Default for Register {
    fn default() -> Self {
        Register::new()
    }
}

impl std::fmt::Debug for Register {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Register")
            .field("cards", &self.cards.len())
            .field("contacts", &self.contacts.len())
            .field("persons", &self.person_keys.len())
            .field("events", &self.events.len)
            .finish()
    }
}

/// The event ids recorded: a bit per numeric id below [`DENSE_IDS`] for each unit (ids are
/// mostly counters), a hash set for the others.
#[derive(Default)]
struct EventIds {
    dense: Vec<Vec<u64>>,
    sparse: std::collections::HashSet<u64, BuildHasherDefault<FoldHasher>>,
    len: usize,
}

/// Numeric event ids below this are kept as bits (at most 32 MiB per unit).
const DENSE_IDS: u64 = 1 << 28;

impl EventIds {
    fn split(fp: u64) -> Option<(usize, u64)> {
        let n = fp & (NUM_LIMIT - 1);
        (fp >> 63 == 0 && n < DENSE_IDS).then_some(((fp >> 58) as usize, n))
    }
    fn contains(&self, fp: u64) -> bool {
        match Self::split(fp) {
            Some((u, n)) => self
                .dense
                .get(u)
                .and_then(|b| b.get((n / 64) as usize))
                .is_some_and(|w| w & (1 << (n % 64)) != 0),
            None => self.sparse.contains(&fp),
        }
    }
    fn insert(&mut self, fp: u64) {
        self.len += 1;
        match Self::split(fp) {
            Some((u, n)) => {
                if self.dense.len() <= u {
                    self.dense.resize_with(u + 1, Vec::new);
                }
                let b = &mut self.dense[u];
                let w = (n / 64) as usize;
                if b.len() <= w {
                    b.resize((w + 1).next_power_of_two(), 0);
                }
                b[w] |= 1 << (n % 64);
            }
            None => {
                self.sparse.insert(fp);
            }
        }
    }
    fn remove(&mut self, fp: u64) {
        self.len -= 1;
        match Self::split(fp) {
            Some((u, n)) => {
                if let Some(w) = self
                    .dense
                    .get_mut(u)
                    .and_then(|b| b.get_mut((n / 64) as usize))
                {
                    *w &= !(1 << (n % 64));
                }
            }
            None => {
                self.sparse.remove(&fp);
            }
        }
    }
}

/// The id space of numeric keys: `unit << 58 | n` for `n < 2^58`.
const NUM_LIMIT: u64 = 1 << 58;

fn num_key(unit: u8, n: u64) -> Option<u64> {
    (n < NUM_LIMIT).then(|| (u64::from(unit) << 58) | n)
}

fn text_hash(unit: u8, t: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    unit.hash(&mut h);
    t.hash(&mut h);
    h.finish() | (1 << 63)
}

fn event_fingerprint(unit: u8, id: &Key) -> u64 {
    match id {
        Key::Num(n) => num_key(unit, *n).unwrap_or_else(|| text_hash(unit, &n.to_string())),
        Key::Text(t) => text_hash(unit, t),
    }
}

impl Register {
    /// An empty register.
    pub fn new() -> Register {
        Register {
            cards: Vec::new(),
            card_num: Fast::default(),
            card_text: HashMap::new(),
            card_keys_text: Fast::default(),
            contacts: Vec::new(),
            contact_num: Fast::default(),
            contact_text: HashMap::new(),
            persons: HashMap::new(),
            person_keys: Vec::new(),
            person_head: Vec::new(),
            private: Fast::default(),
            events: Default::default(),
            flags: Vec::new(),
            derivation: Derivation::new(),
            journal: None,
            reasons: Reasons {
                late: Arc::from("late report (补报)"),
                transferred: Arc::from("transferred out (转出)"),
            },
            scratch: (Vec::with_capacity(8), Vec::with_capacity(8)),
        }
    }

    /// Room for this many events, cards and contacts (avoids rehashing in a bulk import).
    pub fn reserve(&mut self, events: usize, cards: usize, contacts: usize) {
        self.events.sparse.reserve(events);
        self.cards.reserve(cards);
        self.card_num.reserve(cards);
        self.contacts.reserve(contacts);
        self.contact_num.reserve(contacts);
    }

    /// The derived figures.
    pub fn derivation(&self) -> &Derivation {
        &self.derivation
    }

    /// How many cards (withdrawn ones included).
    pub fn cards(&self) -> usize {
        self.cards.len()
    }

    /// How many contacts.
    pub fn contacts(&self) -> usize {
        self.contacts.len()
    }

    /// How many distinct persons (by pseudonym).
    pub fn persons(&self) -> usize {
        self.person_keys.len()
    }

    /// How many events recorded.
    pub fn events(&self) -> usize {
        self.events.len
    }

    /// The open pairs of duplicate cards.
    pub fn duplicates(&self) -> impl Iterator<Item = &DuplicateFlag> {
        self.flags.iter().filter(|f| {
            let open = |r: &CardRef| {
                self.find_card(r)
                    .is_some_and(|i| self.cards[i as usize].is_open())
            };
            open(&f.first) && open(&f.second)
        })
    }

    // ---- look-up ----

    fn card_ref(&self, idx: u32) -> CardRef {
        let s = &self.cards[idx as usize];
        let unit = units()[s.unit as usize];
        let card = match self.card_keys_text.get(&idx) {
            Some(t) => Key::parse(t).unwrap_or_else(|_| Key::Text(t.clone())),
            None => Key::Num(s.num),
        };
        CardRef { unit, card }
    }

    fn find_card(&self, r: &CardRef) -> Option<u32> {
        let unit = unit_index(r.unit)?;
        self.find_card_in(unit, &r.card)
    }

    fn find_card_in(&self, unit: u8, key: &Key) -> Option<u32> {
        match key {
            Key::Num(n) => match num_key(unit, *n) {
                Some(k) => self.card_num.get(&k).copied(),
                None => self
                    .card_text
                    .get(&(unit, Arc::from(n.to_string())))
                    .copied(),
            },
            Key::Text(t) => self.card_text.get(&(unit, t.clone())).copied(),
        }
    }

    fn find_contact(&self, unit: u8, key: &Key) -> Option<u32> {
        match key {
            Key::Num(n) => match num_key(unit, *n) {
                Some(k) => self.contact_num.get(&k).copied(),
                None => self
                    .contact_text
                    .get(&(unit, Arc::from(n.to_string())))
                    .copied(),
            },
            Key::Text(t) => self.contact_text.get(&(unit, t.clone())).copied(),
        }
    }

    /// A card as the register holds it; `private` too for the roles that may see it.
    pub fn card(&self, r: &CardRef) -> Option<(CardView, Option<&Private>)> {
        let idx = self.find_card(r)?;
        let s = &self.cards[idx as usize];
        let view = CardView {
            card: r.clone(),
            disease: s.disease,
            classification: s.class,
            severity: s.severity,
            origin: s.origin,
            country: s.country,
            residence: places()[s.place as usize],
            institution: places()[s.institution as usize],
            sex: s.sex,
            age: (s.age != u8::MAX).then_some(s.age),
            onset: num_day(s.onset),
            diagnosis: num_day(s.diagnosis),
            report: num_day(s.report)
                .unwrap_or_else(|| Date::from_ymd(2000, 1, 1).expect("a date")),
            audit: num_day(s.audit).unwrap_or_else(|| Date::from_ymd(2000, 1, 1).expect("a date")),
            outcome: s
                .outcome
                .and_then(|o| num_day(s.outcome_day).map(|d| (o, d))),
            withdrawn: s.withdrawn(),
            person: (s.person != NONE).then(|| self.person_keys[s.person as usize]),
        };
        Some((view, self.private.get(&idx)))
    }

    /// Every card that is not withdrawn, as views (for the line lists).
    pub fn card_views(&self) -> impl Iterator<Item = CardView> + '_ {
        (0..self.cards.len() as u32)
            .filter(|i| !self.cards[*i as usize].withdrawn())
            .filter_map(|i| self.card(&self.card_ref(i)).map(|v| v.0))
    }

    /// Which of two cards survives a merge: the one further along (confirmed or clinically
    /// diagnosed before asymptomatic before suspected), then the earlier audit date, then the
    /// one recorded first.
    pub fn survivor(&self, a: &CardRef, b: &CardRef) -> Option<CardRef> {
        let (ia, ib) = (self.find_card(a)?, self.find_card(b)?);
        Some(if self.survives(ia, ib) {
            a.clone()
        } else {
            b.clone()
        })
    }

    fn survives(&self, ia: u32, ib: u32) -> bool {
        let rank = |c: Classification| match c {
            Classification::Confirmed | Classification::ClinicallyDiagnosed => 0,
            Classification::Asymptomatic => 1,
            Classification::Suspected => 2,
        };
        let (a, b) = (&self.cards[ia as usize], &self.cards[ib as usize]);
        (rank(a.class), a.audit, ia) <= (rank(b.class), b.audit, ib)
    }

    // ---- batches ----

    /// Applies a batch whole or not at all: every event is validated against the register as
    /// the batch's earlier events leave it; if any is refused, nothing of the batch stays and
    /// every refusal is listed.
    pub fn apply_batch<'a>(
        &mut self,
        events: impl IntoIterator<Item = &'a Event>,
    ) -> Result<BatchSummary, Vec<Rejected>> {
        self.run_batch(events, true)
    }

    /// Validates a batch as [`Register::apply_batch`] would, and keeps nothing of it.
    pub fn check_batch<'a>(
        &mut self,
        events: impl IntoIterator<Item = &'a Event>,
    ) -> Result<BatchSummary, Vec<Rejected>> {
        self.run_batch(events, false)
    }

    /// Applies a batch inside a journal, then commits it if `keep` and every event was
    /// accepted, else rolls it back.
    fn run_batch<'a>(
        &mut self,
        events: impl IntoIterator<Item = &'a Event>,
        keep: bool,
    ) -> Result<BatchSummary, Vec<Rejected>> {
        self.begin();
        let mut summary = BatchSummary::default();
        let mut rejected = Vec::new();
        for (index, e) in events.into_iter().enumerate() {
            match self.apply_one(e) {
                Ok(Applied::Recorded) => summary.recorded += 1,
                Ok(Applied::Duplicate) => summary.duplicates += 1,
                Err(error) => rejected.push(Rejected { index, error }),
            }
        }
        if keep && rejected.is_empty() {
            self.commit();
        } else {
            self.rollback();
        }
        if rejected.is_empty() {
            Ok(summary)
        } else {
            Err(rejected)
        }
    }

    /// Starts a batch: until [`Register::commit`] or [`Register::rollback`], every change is
    /// journalled. Events are then given one by one with [`Register::apply`] (a refused event
    /// changes nothing, so the batch's later events are still checked).
    pub fn begin(&mut self) {
        self.journal = Some(Journal {
            cards: self.cards.len(),
            contacts: self.contacts.len(),
            persons: self.person_keys.len(),
            flags: self.flags.len(),
            derivation: self.derivation.mark(),
            ids: Vec::new(),
            undo: Vec::new(),
        });
    }

    /// Keeps the batch.
    pub fn commit(&mut self) {
        self.journal = None;
    }

    /// Undoes the batch.
    pub fn rollback(&mut self) {
        let Some(j) = self.journal.take() else {
            return;
        };
        for u in j.undo.into_iter().rev() {
            match u {
                Undo::Card(i, s) => self.cards[i as usize] = s,
                Undo::Contact(i, s) => self.contacts[i as usize] = s,
                Undo::PersonHead(p, h) => self.person_head[p as usize] = h,
            }
        }
        for id in j.ids {
            self.events.remove(id);
        }
        let (nc, nk, np) = (j.cards as u32, j.contacts as u32, j.persons as u32);
        if self.cards.len() > j.cards {
            self.cards.truncate(j.cards);
            self.card_num.retain(|_, v| *v < nc);
            self.card_text.retain(|_, v| *v < nc);
            self.card_keys_text.retain(|k, _| *k < nc);
            self.private.retain(|k, _| *k < nc);
        }
        if self.contacts.len() > j.contacts {
            self.contacts.truncate(j.contacts);
            self.contact_num.retain(|_, v| *v < nk);
            self.contact_text.retain(|_, v| *v < nk);
        }
        if self.person_keys.len() > j.persons {
            self.person_keys.truncate(j.persons);
            self.person_head.truncate(j.persons);
            self.persons.retain(|_, v| *v < np);
        }
        self.flags.truncate(j.flags);
        self.derivation.restore(j.derivation);
    }

    /// A register rebuilt from events in recorded order, keeping only those recorded at or before
    /// `until` (the register as it was known then; `None`: all). A full rebuild derives the same
    /// figures as the incremental register.
    pub fn rebuild<'a>(
        events: impl IntoIterator<Item = &'a Event>,
        until: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<Register, Vec<Rejected>> {
        let mut r = Register::new();
        r.apply_batch(
            events
                .into_iter()
                .filter(|e| until.is_none_or(|t| e.recorded <= t)),
        )?;
        Ok(r)
    }

    /// Applies one event outside any batch, or inside the batch begun by [`Register::begin`].
    /// A refused event changes nothing.
    pub fn apply(&mut self, e: &Event) -> Result<Applied, RuleError> {
        self.apply_one(e)
    }

    fn apply_one(&mut self, e: &Event) -> Result<Applied, RuleError> {
        let unit = unit_index(e.unit).ok_or(RuleError::NotAUnit(e.unit))?;
        let fp = event_fingerprint(unit, &e.id);
        if self.events.contains(fp) {
            return Ok(Applied::Duplicate);
        }
        let day = e.day();
        if let Some(open) = self.derivation.open_day() {
            if day < open {
                return Err(RuleError::ClosedDay {
                    recorded: day,
                    open,
                });
            }
        }
        self.validate(unit, day, e)?;
        // From here on nothing fails.
        self.derivation.open(day);
        self.events.insert(fp);
        if let Some(j) = &mut self.journal {
            j.ids.push(fp);
        }
        self.execute(unit, day, e);
        Ok(Applied::Recorded)
    }

    // ---- validation (reads only) ----

    fn validate(&self, unit: u8, day: Date, e: &Event) -> Result<(), RuleError> {
        let reason = || e.reason.as_deref().is_some_and(|r| !r.trim().is_empty());
        let not_future = |field: &'static str, d: Date| {
            if d > day {
                Err(RuleError::InTheFuture {
                    field,
                    date: d,
                    recorded: day,
                })
            } else {
                Ok(())
            }
        };
        match &e.body {
            Body::Card(c) => self.validate_card(unit, day, e.unit, c),
            Body::Reclassified {
                card,
                classification,
                date,
            } => {
                let s = self.open_card(unit, card)?;
                not_future("date", *date)?;
                after_audit(s, "date", *date)?;
                if let Some(o) = s.outcome {
                    return Err(RuleError::Closed(o));
                }
                reclassification(s.class, *classification)
            }
            Body::SeverityChanged { card, date, .. } => {
                let s = self.open_card(unit, card)?;
                not_future("date", *date)?;
                after_audit(s, "date", *date)?;
                if let Some(o) = s.outcome {
                    return Err(RuleError::Closed(o));
                }
                if !s.class.is_confirmed() {
                    return Err(RuleError::SeverityNotForClassification(s.class));
                }
                Ok(())
            }
            Body::Outcome {
                card,
                outcome,
                date,
            } => {
                let s = self.open_card(unit, card)?;
                not_future("date", *date)?;
                after_audit(s, "date", *date)?;
                if let Some(existing) = s.outcome {
                    return Err(RuleError::OutcomeAlreadyRecorded {
                        existing,
                        new: *outcome,
                    });
                }
                outcome_fits(s.class, *outcome)
            }
            Body::OutcomeWithdrawn { card } => {
                let s = self.open_card(unit, card)?;
                if !reason() {
                    return Err(RuleError::ReasonRequired("withdrawal of an outcome"));
                }
                s.outcome.map(|_| ()).ok_or(RuleError::NoOutcome)
            }
            Body::Corrected { card, fix } => {
                let s = self.open_card(unit, card)?;
                if !reason() {
                    return Err(RuleError::ReasonRequired("correction"));
                }
                self.validate_fix(day, s, fix)
            }
            Body::Withdrawn { card } => {
                self.open_card(unit, card)?;
                if !reason() {
                    return Err(RuleError::ReasonRequired("withdrawal"));
                }
                Ok(())
            }
            Body::Merged { card, duplicate } => {
                let a = self.card_index(unit, card)?;
                let b = self
                    .find_card(duplicate)
                    .ok_or_else(|| RuleError::UnknownCard(duplicate.clone()))?;
                if !reason() {
                    return Err(RuleError::ReasonRequired("merge"));
                }
                for i in [a, b] {
                    if self.cards[i as usize].withdrawn() {
                        return Err(RuleError::Withdrawn(format!("card {}", self.card_ref(i))));
                    }
                }
                if a == b {
                    return Err(RuleError::Merge(
                        "a card cannot be merged with itself".into(),
                    ));
                }
                let (sa, sb) = (&self.cards[a as usize], &self.cards[b as usize]);
                if sa.disease != sb.disease {
                    return Err(RuleError::Merge(
                        "the two cards are for different diseases".into(),
                    ));
                }
                if sa.person == NONE || sa.person != sb.person {
                    return Err(RuleError::Merge(
                        "only cards of the same person (the same pseudonym) are merged".into(),
                    ));
                }
                if !self.survives(a, b) {
                    return Err(RuleError::Merge(format!(
                        "by the survivor rule (classification, then audit date, then the card \
                         recorded first) {} survives, not {}: give it as `card`",
                        self.card_ref(b),
                        self.card_ref(a)
                    )));
                }
                Ok(())
            }
            Body::ContactTraced(c) => self.validate_contact(unit, day, c),
            Body::ContactReleased { contact, date } => {
                let s = self.contact(unit, contact)?;
                not_future("date", *date)?;
                contact_observed(s)?;
                contact_after(s, *date)
            }
            Body::ContactBecameCase {
                contact,
                card,
                date,
            } => {
                let s = self.contact(unit, contact)?;
                not_future("date", *date)?;
                contact_observed(s)?;
                contact_after(s, *date)?;
                let c = self
                    .find_card(card)
                    .ok_or_else(|| RuleError::UnknownCard(card.clone()))?;
                if self.cards[c as usize].withdrawn() {
                    return Err(RuleError::Withdrawn(format!("card {card}")));
                }
                Ok(())
            }
            Body::ContactReleaseWithdrawn { contact } => {
                let s = self.contact(unit, contact)?;
                if !reason() {
                    return Err(RuleError::ReasonRequired("withdrawal of a release"));
                }
                match s.status {
                    ContactStatus::Released | ContactStatus::BecameCase => Ok(()),
                    ContactStatus::Withdrawn => {
                        Err(RuleError::Withdrawn(format!("contact {contact}")))
                    }
                    _ => Err(RuleError::ContactNotReleased),
                }
            }
            Body::ContactWithdrawn { contact } => {
                let s = self.contact(unit, contact)?;
                if !reason() {
                    return Err(RuleError::ReasonRequired("withdrawal"));
                }
                if s.status == ContactStatus::Withdrawn {
                    return Err(RuleError::Withdrawn(format!("contact {contact}")));
                }
                Ok(())
            }
        }
    }

    fn card_index(&self, unit: u8, key: &Key) -> Result<u32, RuleError> {
        self.find_card_in(unit, key).ok_or_else(|| {
            RuleError::UnknownCard(CardRef {
                unit: units()[unit as usize],
                card: key.clone(),
            })
        })
    }

    fn open_card(&self, unit: u8, key: &Key) -> Result<&CardState, RuleError> {
        let i = self.card_index(unit, key)?;
        let s = &self.cards[i as usize];
        if s.withdrawn() {
            return Err(RuleError::Withdrawn(format!(
                "card {}:{key}",
                units()[unit as usize]
            )));
        }
        Ok(s)
    }

    fn contact(&self, unit: u8, key: &Key) -> Result<&ContactState, RuleError> {
        self.find_contact(unit, key)
            .map(|i| &self.contacts[i as usize])
            .ok_or_else(|| RuleError::UnknownContact(key.clone()))
    }

    fn validate_card(
        &self,
        unit: u8,
        day: Date,
        unit_code: RegionCode,
        c: &CardReport,
    ) -> Result<(), RuleError> {
        if self.find_card_in(unit, &c.card).is_some() {
            return Err(RuleError::DuplicateCard(CardRef {
                unit: unit_code,
                card: c.card.clone(),
            }));
        }
        place_index(c.institution).ok_or(RuleError::UnknownPlace {
            field: "institution",
            code: c.institution,
        })?;
        if c.institution.province() != unit_code {
            return Err(RuleError::InstitutionOutsideUnit {
                institution: c.institution,
                unit: unit_code,
            });
        }
        place_index(c.residence).ok_or(RuleError::UnknownPlace {
            field: "residence",
            code: c.residence,
        })?;
        match (c.origin, c.country) {
            (CaseOrigin::Imported, None) => {
                return Err(RuleError::Country(
                    "an imported case needs its country of departure (`country`)",
                ))
            }
            (CaseOrigin::Local, Some(_)) => {
                return Err(RuleError::Country(
                    "a local case has no country of departure; leave `country` empty",
                ))
            }
            _ => {}
        }
        if c.severity.is_some() && !c.classification.is_confirmed() {
            return Err(RuleError::SeverityNotForClassification(c.classification));
        }
        if let Some(a) = c.age {
            if a > 130 {
                return Err(RuleError::Age(a));
            }
        }
        dates_in_order(&[
            ("onset", c.onset),
            ("diagnosis", c.diagnosis),
            ("report", Some(c.report)),
            ("audit", Some(c.audit)),
        ])?;
        if c.audit > day {
            return Err(RuleError::InTheFuture {
                field: "audit",
                date: c.audit,
                recorded: day,
            });
        }
        Ok(())
    }

    fn validate_fix(&self, day: Date, s: &CardState, fix: &CardFix) -> Result<(), RuleError> {
        if fix.is_empty() {
            return Err(RuleError::EmptyCorrection);
        }
        if let Some(to) = fix.classification {
            if s.class.is_confirmed() && !to.is_confirmed() {
                return Err(RuleError::Reclassification { from: s.class, to });
            }
            if let Some(o) = s.outcome {
                outcome_fits(to, fix.outcome.unwrap_or(o))?;
            }
        }
        if let Some(r) = fix.residence {
            place_index(r).ok_or(RuleError::UnknownPlace {
                field: "residence",
                code: r,
            })?;
        }
        let origin = fix.origin.unwrap_or(s.origin);
        let country = fix.country.or(if fix.origin == Some(CaseOrigin::Local) {
            None
        } else {
            s.country
        });
        match (origin, country) {
            (CaseOrigin::Imported, None) => {
                return Err(RuleError::Country(
                    "an imported case needs its country of departure (`country`)",
                ))
            }
            (CaseOrigin::Local, Some(_)) if fix.country.is_some() => {
                return Err(RuleError::Country(
                    "a local case has no country of departure; leave `country` empty",
                ))
            }
            _ => {}
        }
        let pick = |new: Option<Date>, old: DayNum| new.or_else(|| num_day(old));
        let audit = pick(fix.audit, s.audit);
        dates_in_order(&[
            ("onset", pick(fix.onset, s.onset)),
            ("diagnosis", pick(fix.diagnosis, s.diagnosis)),
            ("report", pick(fix.report, s.report)),
            ("audit", audit),
        ])?;
        for (field, d) in [("audit", fix.audit), ("outcome_date", fix.outcome_date)] {
            if let Some(d) = d {
                if d > day {
                    return Err(RuleError::InTheFuture {
                        field,
                        date: d,
                        recorded: day,
                    });
                }
            }
        }
        if let Some(o) = fix.outcome {
            outcome_fits(fix.classification.unwrap_or(s.class), o)?;
            if fix.outcome_date.is_none() && s.outcome.is_none() {
                return Err(RuleError::DatesOutOfOrder {
                    field: "outcome_date",
                    date: day,
                    later_field: "outcome",
                    later: day,
                });
            }
        }
        if let (Some(d), Some(a)) = (fix.outcome_date.or(num_day(s.outcome_day)), audit) {
            if (fix.outcome.is_some() || fix.outcome_date.is_some()) && d < a {
                return Err(RuleError::BeforeCard {
                    field: "outcome_date",
                    date: d,
                    audit: a,
                });
            }
        }
        Ok(())
    }

    fn validate_contact(&self, unit: u8, day: Date, c: &ContactReport) -> Result<(), RuleError> {
        if self.find_contact(unit, &c.contact).is_some() {
            return Err(RuleError::DuplicateContact(c.contact.clone()));
        }
        place_index(c.residence).ok_or(RuleError::UnknownPlace {
            field: "residence",
            code: c.residence,
        })?;
        if c.traced > day {
            return Err(RuleError::InTheFuture {
                field: "date",
                date: c.traced,
                recorded: day,
            });
        }
        if let Some(o) = c.observation {
            if o < c.traced {
                return Err(RuleError::DatesOutOfOrder {
                    field: "date",
                    date: c.traced,
                    later_field: "observation",
                    later: o,
                });
            }
            if o > day {
                return Err(RuleError::InTheFuture {
                    field: "observation",
                    date: o,
                    recorded: day,
                });
            }
        }
        if let Some(card) = &c.card {
            let i = self
                .find_card(card)
                .ok_or_else(|| RuleError::UnknownCard(card.clone()))?;
            if self.cards[i as usize].withdrawn() {
                return Err(RuleError::Withdrawn(format!("card {card}")));
            }
        }
        Ok(())
    }

    // ---- execution (cannot fail) ----

    fn execute(&mut self, unit: u8, day: Date, e: &Event) {
        let today = day_num(day);
        let reason = e.reason.clone();
        match &e.body {
            Body::Card(c) => self.new_card(unit, today, c),
            Body::Reclassified {
                card,
                classification,
                date,
            } => {
                let i = self.find_card_in(unit, card).expect("validated");
                let mut s = self.cards[i as usize];
                let forward = day_num(*date) == today;
                let from = s.class;
                s.class = *classification;
                if !classification.is_confirmed() {
                    s.severity = None;
                }
                let mut flows: &[M] = &[];
                if forward {
                    flows = match (from, *classification) {
                        (Classification::Asymptomatic, to) if to.is_confirmed() => &[
                            M::ConfirmedNew,
                            M::ConfirmedNewFromAsymptomatic,
                            M::AsymptomaticToConfirmed,
                        ],
                        (Classification::Suspected, Classification::ClinicallyDiagnosed) => {
                            &[M::ConfirmedNew, M::ConfirmedNewClinical]
                        }
                        (Classification::Suspected, to) if to.is_confirmed() => &[M::ConfirmedNew],
                        (Classification::Suspected, Classification::Asymptomatic) => {
                            &[M::AsymptomaticNew]
                        }
                        _ => &[],
                    };
                }
                let reason = reason.unwrap_or_else(|| self.reasons.late.clone());
                self.change_card(i, s, flows, forward, &reason);
            }
            Body::SeverityChanged {
                card,
                severity,
                date,
            } => {
                let i = self.find_card_in(unit, card).expect("validated");
                let mut s = self.cards[i as usize];
                s.severity = Some(*severity);
                let forward = day_num(*date) == today;
                let reason = reason.unwrap_or_else(|| self.reasons.late.clone());
                self.change_card(i, s, &[], forward, &reason);
            }
            Body::Outcome {
                card,
                outcome,
                date,
            } => {
                let i = self.find_card_in(unit, card).expect("validated");
                let mut s = self.cards[i as usize];
                s.outcome = Some(*outcome);
                s.outcome_day = day_num(*date);
                let forward = s.outcome_day == today;
                let flows: &[M] = if forward {
                    match outcome {
                        Outcome::Discharged => &[M::DischargedNew],
                        Outcome::Died => &[M::DeathsNew],
                        Outcome::Released => &[M::AsymptomaticReleased],
                        Outcome::Excluded | Outcome::TransferredOut => &[],
                    }
                } else {
                    &[]
                };
                let reason = match (reason, outcome) {
                    (Some(r), _) => r,
                    (None, Outcome::TransferredOut) if forward => self.reasons.transferred.clone(),
                    (None, _) => self.reasons.late.clone(),
                };
                self.change_card(i, s, flows, forward, &reason);
            }
            Body::OutcomeWithdrawn { card } => {
                let i = self.find_card_in(unit, card).expect("validated");
                let mut s = self.cards[i as usize];
                s.outcome = None;
                s.outcome_day = 0;
                let reason = reason.expect("validated");
                self.change_card(i, s, &[], false, &reason);
            }
            Body::Corrected { card, fix } => {
                let i = self.find_card_in(unit, card).expect("validated");
                let mut s = self.cards[i as usize];
                if let Some(c) = fix.classification {
                    s.class = c;
                    if !c.is_confirmed() {
                        s.severity = None;
                    }
                }
                if let Some(r) = fix.residence {
                    s.place = place_index(r).expect("validated");
                    s.home = unit_index(r.province()).expect("a mainland place");
                }
                if let Some(o) = fix.origin {
                    s.origin = o;
                    if o == CaseOrigin::Local {
                        s.country = None;
                    }
                }
                if fix.country.is_some() {
                    s.country = fix.country;
                }
                for (v, f) in [
                    (&mut s.onset, fix.onset),
                    (&mut s.diagnosis, fix.diagnosis),
                    (&mut s.report, fix.report),
                    (&mut s.audit, fix.audit),
                ] {
                    if let Some(d) = f {
                        *v = day_num(d);
                    }
                }
                if let Some(o) = fix.outcome {
                    s.outcome = Some(o);
                }
                if let Some(d) = fix.outcome_date {
                    s.outcome_day = day_num(d);
                }
                let reason = reason.expect("validated");
                self.change_card(i, s, &[], false, &reason);
            }
            Body::Withdrawn { card } => {
                let i = self.find_card_in(unit, card).expect("validated");
                let mut s = self.cards[i as usize];
                s.flags |= WITHDRAWN;
                let reason = reason.expect("validated");
                self.change_card(i, s, &[], false, &reason);
            }
            Body::Merged { duplicate, .. } => {
                let i = self.find_card(duplicate).expect("validated");
                let mut s = self.cards[i as usize];
                s.flags |= WITHDRAWN;
                let reason = reason.expect("validated");
                self.change_card(i, s, &[], false, &reason);
            }
            Body::ContactTraced(c) => {
                let place = place_index(c.residence).expect("validated");
                let home = unit_index(c.residence.province()).expect("a mainland place");
                let card = c
                    .card
                    .as_ref()
                    .and_then(|r| self.find_card(r))
                    .unwrap_or(NONE);
                let s = ContactState {
                    unit,
                    home,
                    status: ContactStatus::Observed,
                    place,
                    traced: day_num(c.traced),
                    ended: 0,
                    card,
                };
                let idx = self.contacts.len() as u32;
                self.contacts.push(s);
                match &c.contact {
                    Key::Num(n) if *n < NUM_LIMIT => {
                        self.contact_num
                            .insert(num_key(unit, *n).expect("small"), idx);
                    }
                    k => {
                        self.contact_text
                            .insert((unit, Arc::from(k.to_string())), idx);
                    }
                }
                let forward = s.traced == today;
                let reason = self.reasons.late.clone();
                self.settle_contact(None, Some(s), &[], forward, &reason);
            }
            Body::ContactReleased { contact, date } => {
                let i = self.find_contact(unit, contact).expect("validated");
                let old = self.contacts[i as usize];
                let mut s = old;
                s.status = ContactStatus::Released;
                s.ended = day_num(*date);
                let forward = s.ended == today;
                let flows: &[M] = if forward { &[M::ContactsReleased] } else { &[] };
                let reason = self.reasons.late.clone();
                self.set_contact(i, s);
                self.settle_contact(Some(old), Some(s), flows, forward, &reason);
            }
            Body::ContactBecameCase {
                contact,
                card,
                date,
            } => {
                let i = self.find_contact(unit, contact).expect("validated");
                let old = self.contacts[i as usize];
                let mut s = old;
                s.status = ContactStatus::BecameCase;
                s.ended = day_num(*date);
                s.card = self.find_card(card).unwrap_or(NONE);
                let forward = s.ended == today;
                let reason = self.reasons.late.clone();
                self.set_contact(i, s);
                self.settle_contact(Some(old), Some(s), &[], forward, &reason);
            }
            Body::ContactReleaseWithdrawn { contact } => {
                let i = self.find_contact(unit, contact).expect("validated");
                let old = self.contacts[i as usize];
                let mut s = old;
                s.status = ContactStatus::Observed;
                s.ended = 0;
                let reason = reason.expect("validated");
                self.set_contact(i, s);
                self.settle_contact(Some(old), Some(s), &[], false, &reason);
            }
            Body::ContactWithdrawn { contact } => {
                let i = self.find_contact(unit, contact).expect("validated");
                let old = self.contacts[i as usize];
                let mut s = old;
                s.status = ContactStatus::Withdrawn;
                let reason = reason.expect("validated");
                self.set_contact(i, s);
                self.settle_contact(Some(old), Some(s), &[], false, &reason);
            }
        }
    }

    fn new_card(&mut self, unit: u8, today: DayNum, c: &CardReport) {
        let place = place_index(c.residence).expect("validated");
        let home = unit_index(c.residence.province()).expect("a mainland place");
        let mut s = CardState {
            unit,
            home,
            place,
            institution: place_index(c.institution).expect("validated"),
            disease: c.disease,
            class: c.classification,
            severity: c.severity,
            origin: c.origin,
            outcome: None,
            flags: if c.classification == Classification::Suspected {
                WAS_SUSPECTED
            } else {
                0
            },
            sex: c.sex,
            age: c.age.unwrap_or(u8::MAX),
            country: c.country,
            onset: c.onset.map_or(0, day_num),
            diagnosis: c.diagnosis.map_or(0, day_num),
            report: day_num(c.report),
            audit: day_num(c.audit),
            outcome_day: 0,
            person: NONE,
            next_of_person: NONE,
            num: match c.card {
                Key::Num(n) if n < NUM_LIMIT => n,
                _ => u64::MAX,
            },
        };
        let idx = self.cards.len() as u32;
        if let Some(p) = c.person {
            let pidx = match self.persons.get(&p) {
                Some(&i) => i,
                None => {
                    let i = self.person_keys.len() as u32;
                    self.persons.insert(p, i);
                    self.person_keys.push(p);
                    self.person_head.push(NONE);
                    i
                }
            };
            s.person = pidx;
            let head = self.person_head[pidx as usize];
            s.next_of_person = head;
            // Flag every open card of the same person and disease.
            let mut other = head;
            while other != NONE {
                let o = self.cards[other as usize];
                if o.disease == s.disease && o.is_open() {
                    self.flags.push(DuplicateFlag {
                        first: self.card_ref(other),
                        second: CardRef {
                            unit: units()[unit as usize],
                            card: c.card.clone(),
                        },
                        survivor: CardRef {
                            unit: units()[unit as usize],
                            card: c.card.clone(),
                        },
                    });
                    // The survivor is fixed once the card exists (below).
                }
                other = o.next_of_person;
            }
            if let Some(j) = &mut self.journal {
                if (pidx as usize) < j.persons {
                    j.undo.push(Undo::PersonHead(pidx, head));
                }
            }
            self.person_head[pidx as usize] = idx;
        }
        self.cards.push(s);
        match &c.card {
            Key::Num(n) if *n < NUM_LIMIT => {
                self.card_num.insert(num_key(unit, *n).expect("small"), idx);
            }
            k => {
                let t: Text = Arc::from(k.to_string());
                self.card_text.insert((unit, t.clone()), idx);
                self.card_keys_text.insert(idx, t);
            }
        }
        // Survivors of the flags just raised.
        let n = self.flags.len();
        for f in (0..n).rev() {
            if self.flags[f].second.card != c.card
                || self.flags[f].second.unit != units()[unit as usize]
            {
                break;
            }
            let first = self.find_card(&self.flags[f].first).expect("exists");
            let survivor = if self.survives(first, idx) {
                self.flags[f].first.clone()
            } else {
                self.flags[f].second.clone()
            };
            self.flags[f].survivor = survivor;
        }
        if c.name.is_some() || c.phone.is_some() {
            self.private.insert(
                idx,
                Private {
                    name: c.name.clone(),
                    phone: c.phone.clone(),
                },
            );
        }
        let forward = s.audit == today;
        let flows: &[M] = if !forward {
            &[]
        } else {
            match s.class {
                Classification::Confirmed => &[M::ConfirmedNew],
                Classification::ClinicallyDiagnosed => &[M::ConfirmedNew, M::ConfirmedNewClinical],
                Classification::Asymptomatic => &[M::AsymptomaticNew],
                Classification::Suspected => &[M::SuspectedNew],
            }
        };
        let reason = self.reasons.late.clone();
        self.settle_card(None, Some(s), flows, forward, &reason);
    }

    fn change_card(&mut self, i: u32, new: CardState, flows: &[M], forward: bool, reason: &Text) {
        let old = self.cards[i as usize];
        if let Some(j) = &mut self.journal {
            if (i as usize) < j.cards {
                j.undo.push(Undo::Card(i, old));
            }
        }
        self.cards[i as usize] = new;
        self.settle_card(Some(old), Some(new), flows, forward, reason);
    }

    fn set_contact(&mut self, i: u32, new: ContactState) {
        if let Some(j) = &mut self.journal {
            if (i as usize) < j.contacts {
                j.undo.push(Undo::Contact(i, self.contacts[i as usize]));
            }
        }
        self.contacts[i as usize] = new;
    }

    /// Moves a card's counts from its old to its new footprint, adds the forward flows, and
    /// records what the flows do not explain as corrections.
    fn settle_card(
        &mut self,
        old: Option<CardState>,
        new: Option<CardState>,
        flows: &[M],
        forward: bool,
        reason: &Text,
    ) {
        let (mut before, mut after) = std::mem::take(&mut self.scratch);
        before.clear();
        after.clear();
        if let Some(o) = &old {
            o.footprint(&mut before);
        }
        if let Some(n) = &new {
            n.footprint(&mut after);
        }
        let place_of = |s: &CardState| (s.home, s.slot());
        let a = old.as_ref().map(place_of);
        let b = new.as_ref().map(place_of);
        match (a, b) {
            (Some((ua, sa)), Some((ub, sb))) if (ua, sa) != (ub, sb) => {
                let mut da = [0i64; NM];
                for m in &before {
                    da[*m as usize] -= 1;
                }
                let mut db = [0i64; NM];
                for m in &after {
                    db[*m as usize] += 1;
                }
                self.post(ua, sa, &da, &[], false, reason);
                self.post(ub, sb, &db, flows, forward, reason);
            }
            _ => {
                let (u, slot) = b.or(a).expect("a card");
                let mut delta = [0i64; NM];
                for m in &before {
                    delta[*m as usize] -= 1;
                }
                for m in &after {
                    delta[*m as usize] += 1;
                }
                self.post(u, slot, &delta, flows, forward, reason);
            }
        }
        self.scratch = (before, after);
    }

    fn settle_contact(
        &mut self,
        old: Option<ContactState>,
        new: Option<ContactState>,
        flows: &[M],
        forward: bool,
        reason: &Text,
    ) {
        let (mut before, mut after) = std::mem::take(&mut self.scratch);
        before.clear();
        after.clear();
        if let Some(o) = &old {
            o.footprint(&mut before);
        }
        if let Some(n) = &new {
            n.footprint(&mut after);
        }
        let home = new.or(old).expect("a contact").home;
        let mut delta = [0i64; NM];
        for m in &before {
            delta[*m as usize] -= 1;
        }
        for m in &after {
            delta[*m as usize] += 1;
        }
        self.post(home, Slot::Contacts, &delta, flows, forward, reason);
        self.scratch = (before, after);
    }

    /// Adds deltas and flows to the open day; what the flows do not explain is a correction.
    fn post(
        &mut self,
        unit: u8,
        slot: Slot,
        delta: &[i64; NM],
        flows: &[M],
        forward: bool,
        reason: &Text,
    ) {
        let mut flow = [0i64; NM];
        for m in flows {
            flow[*m as usize] += 1;
            self.derivation.add(unit, slot, *m, 1);
        }
        for (i, d) in delta.iter().enumerate() {
            if *d != 0 {
                self.derivation.add(unit, slot, ALL_M[i], *d);
            }
        }
        let f = |m: M| flow[m as usize];
        let d = |m: M| delta[m as usize];
        // Cumulatives grow by their flows.
        let conf = d(M::ConfirmedCumulative) - f(M::ConfirmedNew);
        let dis = d(M::DischargedCumulative) - f(M::DischargedNew);
        let deaths = d(M::DeathsCumulative) - f(M::DeathsNew);
        let susp = d(M::SuspectedCumulative) - f(M::SuspectedNew);
        let released = d(M::ContactsReleasedCumulative) - f(M::ContactsReleased);
        let current = d(M::ConfirmedCurrent)
            - (f(M::ConfirmedNew) - f(M::DischargedNew) - f(M::DeathsNew))
            - (conf - dis - deaths);
        let asym = d(M::AsymptomaticUnderObservation)
            - (f(M::AsymptomaticNew) - f(M::AsymptomaticToConfirmed) - f(M::AsymptomaticReleased));
        let mut c = [
            (M::ConfirmedCumulative, conf),
            (M::DischargedCumulative, dis),
            (M::DeathsCumulative, deaths),
            (M::SuspectedCumulative, susp),
            (M::ContactsReleasedCumulative, released),
            (M::ConfirmedCurrent, current),
            (M::AsymptomaticUnderObservation, asym),
            (M::SevereCurrent, 0),
            (M::SuspectedCurrent, 0),
            (M::ContactsTracedCumulative, 0),
            (M::ContactsUnderObservation, 0),
        ];
        if !forward {
            // Stocks without a flow of their own: a correction moves them.
            c[7].1 = d(M::SevereCurrent);
            c[8].1 = d(M::SuspectedCurrent);
            c[9].1 = d(M::ContactsTracedCumulative);
            c[10].1 = d(M::ContactsUnderObservation);
        }
        for (m, v) in c {
            if v != 0 {
                self.derivation.correct(unit, slot, m, v, reason);
            }
        }
    }
}

fn after_audit(s: &CardState, field: &'static str, date: Date) -> Result<(), RuleError> {
    match num_day(s.audit) {
        Some(a) if date < a => Err(RuleError::BeforeCard {
            field,
            date,
            audit: a,
        }),
        _ => Ok(()),
    }
}

fn contact_observed(s: &ContactState) -> Result<(), RuleError> {
    match s.status {
        ContactStatus::Observed => Ok(()),
        other => Err(RuleError::ContactNotObserved(other.name())),
    }
}

fn contact_after(s: &ContactState, date: Date) -> Result<(), RuleError> {
    match num_day(s.traced) {
        Some(traced) if date < traced => Err(RuleError::BeforeTraced { date, traced }),
        _ => Ok(()),
    }
}

fn outcome_fits(class: Classification, outcome: Outcome) -> Result<(), RuleError> {
    let ok = match outcome {
        Outcome::Discharged | Outcome::Died | Outcome::TransferredOut => class.is_confirmed(),
        Outcome::Released => class == Classification::Asymptomatic,
        Outcome::Excluded => class == Classification::Suspected,
    };
    if ok {
        Ok(())
    } else {
        Err(RuleError::OutcomeNotForClassification {
            classification: class,
            outcome,
        })
    }
}

fn reclassification(from: Classification, to: Classification) -> Result<(), RuleError> {
    use Classification::*;
    let ok = matches!(
        (from, to),
        (Suspected, ClinicallyDiagnosed | Confirmed | Asymptomatic)
            | (Asymptomatic, ClinicallyDiagnosed | Confirmed)
            | (ClinicallyDiagnosed, Confirmed)
    );
    if ok {
        Ok(())
    } else {
        Err(RuleError::Reclassification { from, to })
    }
}

fn dates_in_order(dates: &[(&'static str, Option<Date>)]) -> Result<(), RuleError> {
    let mut last: Option<(&'static str, Date)> = None;
    for (field, d) in dates {
        if let Some(d) = d {
            if let Some((lf, ld)) = last {
                if ld > *d {
                    return Err(RuleError::DatesOutOfOrder {
                        field: lf,
                        date: ld,
                        later_field: field,
                        later: *d,
                    });
                }
            }
            last = Some((field, *d));
        }
    }
    Ok(())
}
