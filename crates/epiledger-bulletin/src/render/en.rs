//! The English bulletin, in the terms of the NHC's English daily briefing: every figure of the
//! Chinese bulletin beside what it counts, in sentences a reader of a news wire expects.
//!
//! Every figure of the document is written, with its parts by origin and by place, the figures
//! counted within it and its corrections, in a regular form that [`crate::parse::en`] reads back
//! to the same facts and corrections (`tests/roundtrip.rs` checks all 969 days):
//!
//! - a figure's corrections in parentheses right after its count: `(1 case in Sichuan removed
//!   on verification)`, `(195 cases in Hubei removed on correction as duplicate reports)`;
//! - its parts by origin after a colon, `27 new confirmed cases: 4 imported (…) and 23 local
//!   (…)`, or in parentheses, `(5 imported)`; `all imported` where the other origin is stated
//!   as none;
//! - its places in parentheses, `(3 in Guangdong, 1 in Shanghai)`, a province's own places
//!   nested, `(174 in Shaanxi (all in Xi'an), 1 in Guizhou (in Tongren))`, and a place whose
//!   province's figure is not given after its name, `(1 in Dehong Prefecture, Yunnan)`.

use epiledger_core::{
    Correction, CorrectionKind, Count, Date, Measure, Note, NoteKind, Origin, RegionId,
};

use super::document::{Bulletin, Clause, Country, Figure, Paragraph, Section};
use super::lists::name_en;
use super::number::thousands;
use crate::phrasing::{Phrasing, Slot};
use crate::vocab::en::lexicon::{COUNTRIES, REASONS};
use crate::vocab::en::places;
use crate::vocab::periods::layout;

use Measure as M;
use Origin::{All, Imported, Local};

/// The English text of a bulletin: one paragraph a line.
pub fn write(b: &Bulletin) -> String {
    let w = En {
        date: b.date,
        scope: b.scope.clone(),
        phrasing: Some(b.phrasing.clone()),
    };
    let early = b.scope.is_nation() && layout(b.date).early;
    let mut lines: Vec<String> = b
        .paragraphs
        .iter()
        .map(|p| {
            if early {
                w.early_paragraph(p, b)
            } else {
                w.paragraph(p)
            }
        })
        .filter(|l| !l.is_empty())
        .collect();
    let restated: Vec<String> = b
        .figures()
        .into_iter()
        .flat_map(|f| f.corrections.iter().map(move |c| (f, c)))
        .filter(|(_, c)| c.delta.is_none())
        .map(|(f, c)| w.restated(f, c))
        .collect();
    if !restated.is_empty() {
        lines.push(restated.join(" "));
    }
    lines.join("\n")
}

struct En {
    date: Date,
    scope: RegionId,
    /// How the source worded the day: whether it left the change of severe cases unstated.
    phrasing: Option<Phrasing>,
}

/// Whether the source left the change of severe cases unstated (the ledger has none; the
/// document derives it from the stocks).
fn omitted(p: Option<&Phrasing>) -> bool {
    p.is_some_and(|p| p.get(Slot::SevereChangeOmitted) == Some(1))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `1 case`, `2 cases`, `78,410 cases`.
fn n(v: Count, one: &str, many: &str) -> String {
    if v == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", thousands(v))
    }
}

fn figures(s: &[Clause]) -> impl Iterator<Item = &Figure> {
    s.iter().filter_map(|c| match c {
        Clause::Figure(f) => Some(f),
        _ => None,
    })
}

/// Joins items as `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Capitalizes the first letter of a sentence and ends it with a full stop.
fn sentence(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>() + ".",
        None => String::new(),
    }
}

/// `June 19`.
fn month_day(d: Date) -> String {
    format!("{} {}", month_name(d), d.day())
}

/// The English name of a date's month: `June`.
pub(crate) fn month_name(d: Date) -> &'static str {
    MONTHS.get(d.month() as usize - 1).copied().unwrap_or("")
}

/// The English name of a place, as the parser reads it back.
fn place_name(r: &RegionId) -> String {
    places::name(r)
}

/// ` (…)` around items, or nothing.
fn paren(items: &[String], sep: &str) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!(" ({})", items.join(sep))
    }
}

/// The words of a correction's reason.
fn reason_words(r: &str) -> String {
    match REASONS.iter().find(|(zh, _)| *zh == r) {
        Some((_, en)) => (*en).to_string(),
        None => format!("as the source explains ({r})"),
    }
}

impl En {
    fn day(&self) -> String {
        month_day(self.date)
    }

    /// Who reports: the 31 provincial-level regions and the XPCC, or a province.
    fn reporters(&self) -> String {
        if self.scope.is_nation() {
            "the 31 provincial-level regions and the Xinjiang Production and Construction Corps"
                .to_string()
        } else {
            name_en(&self.scope)
        }
    }

    fn short_reporters(&self) -> String {
        if self.scope.is_nation() {
            "the 31 provincial-level regions and the XPCC".to_string()
        } else {
            name_en(&self.scope)
        }
    }

    fn paragraph(&self, p: &Paragraph) -> String {
        match p.section {
            Section::Flows => self.flows(p),
            Section::Recoveries => self.recoveries(p),
            Section::ImportedStocks => self.imported_stocks(p),
            Section::Totals => self.totals(p),
            Section::Hubei => self.hubei(p),
            Section::ImportedNew => self.imported_new(p),
            Section::Asymptomatic => self.asymptomatic(p),
            Section::Notified => self.notified(p),
            Section::Foreign => self.foreign(p),
            Section::Contacts => self.contacts(p),
            Section::Notes => self.notes(p),
        }
    }

    // ---- the parts of a figure ----

    /// A place in a list of the figure's places: `Guangdong`, a province with its own places
    /// `Shaanxi (161 in Xi'an, 2 in Xianyang)`, a place whose province's figure is not given
    /// `Dehong Prefecture, Yunnan`.
    fn place_item(&self, owner: &RegionId, r: &Figure) -> String {
        let mut name = place_name(&r.region);
        let province = RegionId::Code(r.region.province());
        if owner.is_nation()
            && !matches!(&r.region, RegionId::Code(c) if c.is_province_level())
            && province != r.region
        {
            name = format!("{name}, {}", place_name(&province));
        }
        format!("{name}{}{}", self.corrections(r), self.places(r))
    }

    /// The places of a figure in parentheses: `(3 in Guangdong, 1 in Shanghai)`, `(all in
    /// Beijing)`, `(in Shanghai)`, `(none in Wuhan)`.
    fn places(&self, f: &Figure) -> String {
        match f.regions.as_slice() {
            [] => String::new(),
            [only] if only.value == f.value && f.value > 0 && only.corrections.is_empty() => {
                let all = if f.value == 1 { "in" } else { "all in" };
                format!(" ({all} {})", self.place_item(&f.region, only))
            }
            list => {
                let items: Vec<String> = list
                    .iter()
                    .map(|r| {
                        if r.value == 0 {
                            format!("none in {}", self.place_item(&f.region, r))
                        } else {
                            format!(
                                "{} in {}",
                                thousands(r.value),
                                self.place_item(&f.region, r)
                            )
                        }
                    })
                    .collect();
                paren(&items, ", ")
            }
        }
    }

    /// Corrections stated beside a figure: ` (1 case in Sichuan removed on verification)`.
    fn corrections(&self, f: &Figure) -> String {
        paren(&self.correction_items(f), "; ")
    }

    fn correction_items(&self, f: &Figure) -> Vec<String> {
        f.corrections
            .iter()
            .filter(|c| c.delta.is_some())
            .map(|c| self.correction(f, c))
            .collect()
    }

    fn correction(&self, f: &Figure, c: &Correction) -> String {
        let d = c.delta.unwrap_or(0);
        let where_ = if c.region == f.region {
            String::new()
        } else {
            format!(" in {}", place_name(&c.region))
        };
        let origin = match (c.origin, f.origin) {
            (a, b) if a == b => "",
            (Imported, _) => " imported",
            (Local, _) => " local",
            (All, _) => "",
        };
        let verb = match (c.kind, d < 0) {
            (CorrectionKind::Reduce, _) => "removed on verification",
            (CorrectionKind::Increase, _) => "added on verification",
            (CorrectionKind::Revise, true) => "removed on correction",
            (CorrectionKind::Revise, false) => "added on correction",
        };
        let count = if d.abs() == 1 {
            format!("1{origin} case")
        } else {
            format!("{}{origin} cases", thousands(d.abs()))
        };
        let mut t = format!("{count}{where_} {verb}");
        if let Some(r) = &c.reason {
            t.push(' ');
            t.push_str(&reason_words(r));
        }
        if let Some(v) = c.restated {
            t.push_str(&format!(", restated as {}", thousands(v)));
        }
        t
    }

    /// A figure restated after correction, in a sentence of its own: `The figure of 13,172
    /// cumulative discharged cases in the Taiwan region is restated, as corrected.`
    fn restated(&self, f: &Figure, c: &Correction) -> String {
        let what = self.restated_words(c.measure, c.origin);
        let place = if c.region.is_nation() {
            String::new()
        } else {
            format!(" in {}", place_name(&c.region))
        };
        let reason = c
            .reason
            .as_deref()
            .map(|r| format!(", {}", reason_words(r)))
            .unwrap_or_default();
        format!(
            "The figure of {} {what}{place} is restated{reason}.",
            thousands(c.restated.unwrap_or(f.value))
        )
    }

    /// The words of a measure in a restatement.
    fn restated_words(&self, m: Measure, o: Origin) -> String {
        let origin = match o {
            Imported => "imported ",
            Local => "local ",
            All => "",
        };
        let words = match m {
            M::ConfirmedNew => "new confirmed cases",
            M::ConfirmedCumulative => "cumulative confirmed cases",
            M::DischargedCumulative => "cumulative discharged cases",
            M::DeathsCumulative => "cumulative deaths",
            M::DischargedNew => "newly discharged cases",
            M::DeathsNew => "new deaths",
            M::SuspectedNew => "new suspected cases",
            M::SuspectedCurrent => "suspected cases still under observation",
            M::SuspectedCumulative => "cumulative suspected cases",
            M::ConfirmedCurrent => "active confirmed cases",
            M::SevereCurrent => "severe cases",
            M::SevereChange => "severe cases changed from the previous day",
            M::ConfirmedNewFromAsymptomatic => {
                "new cases reclassified from asymptomatic infections"
            }
            M::ConfirmedNewClinical => "new clinically diagnosed cases",
            M::ContactsReleased => "close contacts released from medical observation",
            M::ContactsUnderObservation => "close contacts under medical observation",
            M::ContactsReleasedCumulative => {
                "close contacts released from medical observation in total"
            }
            M::ContactsTracedCumulative => "close contacts traced",
            M::AsymptomaticNew => "new asymptomatic infections",
            M::AsymptomaticToConfirmed => "asymptomatic infections reclassified as confirmed cases",
            M::AsymptomaticReleased => "asymptomatic infections released from medical observation",
            M::AsymptomaticUnderObservation => "asymptomatic infections under medical observation",
            M::RegionsReporting
            | M::RegionsConfirmedNew
            | M::RegionsSuspectedNew
            | M::RegionsConfirmedCumulative
            | M::RegionsSuspectedCumulative => "provincial-level regions",
        };
        format!("{origin}{words}")
    }

    /// A figure's parts by origin: `: 4 imported (…) and 23 local (…)`, `, all imported (…)`,
    /// `, an imported case (…)`; `colon` false writes them in parentheses.
    fn origins(&self, f: &Figure, colon: bool) -> String {
        let i = f.origin(Imported);
        let l = f.origin(Local);
        let part = |o: &Figure| {
            let w = if o.origin == Imported {
                "imported"
            } else {
                "local"
            };
            let mut t = if o.value == 0 {
                format!("none {w}")
            } else {
                format!("{} {w}", thousands(o.value))
            };
            t.push_str(&self.corrections(o));
            t.push_str(&self.places(o));
            t.push_str(&self.reclassified(o));
            t
        };
        // All of one origin: the other is stated as none.
        let all = match (i, l) {
            (Some(a), Some(b)) if b.value == 0 && a.value == f.value && f.value > 0 => Some(a),
            (Some(b), Some(a)) if b.value == 0 && a.value == f.value && f.value > 0 => Some(a),
            _ => None,
        };
        if let Some(a) = all.filter(|a| a.corrections.is_empty()) {
            let w = if a.origin == Imported {
                "imported"
            } else {
                "local"
            };
            let head = if f.value == 1 {
                format!("an {w} case")
            } else {
                format!("all {w}")
            }
            .replace("an local", "a local");
            let rest = format!(
                "{}{}{}",
                self.corrections(a),
                self.places(a),
                self.reclassified(a)
            );
            return if colon {
                format!(", {head}{rest}")
            } else {
                format!(" ({head}{rest})")
            };
        }
        let items: Vec<String> = [i, l].into_iter().flatten().map(part).collect();
        if items.is_empty() {
            return String::new();
        }
        if colon {
            format!(": {}", and_list(&items))
        } else {
            format!(" ({})", items.join(" and "))
        }
    }

    /// `, 1 of them reclassified from asymptomatic infections (in Guangdong)`.
    fn reclassified(&self, o: &Figure) -> String {
        match o.within(M::ConfirmedNewFromAsymptomatic) {
            Some(k) => format!(
                ", {} of them reclassified from asymptomatic infections{}{}",
                if k.value == 0 {
                    "none".to_string()
                } else {
                    thousands(k.value)
                },
                self.corrections(k),
                self.places(k)
            ),
            None => String::new(),
        }
    }

    /// A figure's count, corrections, parts by origin, places and the figures within it.
    fn figure(&self, f: &Figure, one: &str, many: &str) -> String {
        let mut t = n(f.value, one, many);
        t.push_str(&self.corrections(f));
        t.push_str(&self.places(f));
        t.push_str(&self.origins(f, true));
        if let Some(k) = f.within(M::ConfirmedNewClinical) {
            t.push_str(&format!(
                ", including {} clinically diagnosed in {}",
                n(k.value, "case", "cases"),
                place_name(&k.region)
            ));
        }
        if let Some(k) = f.within(M::ConfirmedNewFromAsymptomatic) {
            t.push_str(&format!(
                ", including {} reclassified from asymptomatic infections{}{}",
                thousands(k.value),
                self.corrections(k),
                self.places(k)
            ));
        }
        t
    }

    /// A figure stated as none, with its parts that are stated too: `no new deaths`,
    /// `no new suspected cases (none imported, none local)`.
    fn none(&self, f: &Figure, words: &str) -> String {
        let mut t = words.to_string();
        t.push_str(&self.corrections(f));
        let parts: Vec<String> = f
            .origins
            .iter()
            .map(|o| {
                let w = if o.origin == Imported {
                    "imported"
                } else {
                    "local"
                };
                format!("none {w}{}", self.corrections(o))
            })
            .collect();
        t.push_str(&paren(&parts, ", "));
        if !f.regions.is_empty() {
            t.push_str(&self.places(f));
        }
        t
    }

    // ---- the flows ----

    fn flows(&self, p: &Paragraph) -> String {
        let mut first = None;
        let mut rest = Vec::new();
        for f in p.sentences.iter().flat_map(|s| figures(s)) {
            match f.measure {
                M::ConfirmedNew => {
                    first = Some(if f.value == 0 {
                        self.none(f, "no new confirmed cases")
                    } else {
                        self.figure(f, "new confirmed case", "new confirmed cases")
                    })
                }
                M::DeathsNew if f.value == 0 => rest.push(sentence(&format!(
                    "{} were reported",
                    self.none(f, "no new deaths")
                ))),
                M::DeathsNew => rest.push(sentence(&format!(
                    "there {} {}",
                    if f.value == 1 { "was" } else { "were" },
                    self.figure(f, "new death", "new deaths")
                ))),
                M::SuspectedNew if f.value == 0 => rest.push(sentence(&format!(
                    "there were {}",
                    self.none(f, "no new suspected cases")
                ))),
                M::SuspectedNew => rest.push(sentence(&format!(
                    "there {} {}",
                    if f.value == 1 { "was" } else { "were" },
                    self.figure(f, "new suspected case", "new suspected cases")
                ))),
                M::SevereChange if omitted(self.phrasing.as_ref()) => {}
                M::SevereChange => rest.push(sentence(&self.severe_change(f))),
                not_in_new_cases!() => {}
            }
        }
        let head = format!("On {}, {} reported", self.day(), self.reporters());
        let mut out = match first {
            Some(c) => format!("{head} {c}."),
            None if rest.is_empty() => return String::new(),
            None => format!("On {}, {}:", self.day(), self.reporters()),
        };
        for r in rest {
            out.push(' ');
            out.push_str(&r);
        }
        out
    }

    fn severe_change(&self, f: &Figure) -> String {
        let parts = self.severe_parts(f);
        match f.value {
            0 => format!("the number of severe cases was unchanged from the previous day{parts}"),
            v if v > 0 => format!(
                "severe cases increased by {}{parts} from the previous day",
                thousands(v)
            ),
            v => format!(
                "severe cases decreased by {}{parts} from the previous day",
                thousands(-v)
            ),
        }
    }

    /// A change of severe cases by place: ` (with 269 more in Hubei)`.
    fn severe_parts(&self, f: &Figure) -> String {
        let items: Vec<String> = f
            .regions
            .iter()
            .map(|r| match r.value {
                0 => format!("unchanged in {}", place_name(&r.region)),
                v if v > 0 => format!("{} more in {}", thousands(v), place_name(&r.region)),
                v => format!("{} fewer in {}", thousands(-v), place_name(&r.region)),
            })
            .collect();
        let mut s = paren(&items, ", ");
        s.push_str(&self.corrections(f));
        s
    }

    // ---- discharges ----

    fn recoveries(&self, p: &Paragraph) -> String {
        let mut parts = Vec::new();
        for f in p.sentences.iter().flat_map(|s| figures(s)) {
            parts.push(match f.measure {
                M::DischargedNew if f.value == 0 => {
                    format!("{} was discharged", self.none(f, "no patient"))
                }
                M::DischargedNew => format!(
                    "{} discharged after recovery{}{}",
                    n(f.value, "patient was", "patients were"),
                    self.corrections(f),
                    if f.origins.is_empty() {
                        self.places(f)
                    } else {
                        self.origins(f, false)
                    }
                ),
                M::ContactsReleased if f.value == 0 => {
                    "no close contact was released from medical observation".to_string()
                }
                M::ContactsReleased => format!(
                    "{} released from medical observation{}",
                    n(f.value, "close contact was", "close contacts were"),
                    self.corrections(f)
                ),
                M::SevereChange if omitted(self.phrasing.as_ref()) => continue,
                M::SevereChange => self.severe_change(f),
                M::SevereCurrent if f.value == 0 => "there were no severe cases".to_string(),
                M::SevereCurrent => format!(
                    "there were {}{}",
                    n(f.value, "severe case", "severe cases"),
                    self.corrections(f)
                ),
                M::ConfirmedNew
                | M::ConfirmedNewFromAsymptomatic
                | M::ConfirmedNewClinical
                | M::DeathsNew
                | M::SuspectedNew
                | M::AsymptomaticNew
                | M::AsymptomaticToConfirmed
                | M::AsymptomaticReleased
                | M::ConfirmedCurrent
                | M::SuspectedCurrent
                | M::ContactsUnderObservation
                | M::AsymptomaticUnderObservation
                | M::ConfirmedCumulative
                | M::DischargedCumulative
                | M::DeathsCumulative
                | M::SuspectedCumulative
                | M::ContactsReleasedCumulative
                | M::ContactsTracedCumulative
                | M::RegionsReporting
                | M::RegionsConfirmedNew
                | M::RegionsSuspectedNew
                | M::RegionsConfirmedCumulative
                | M::RegionsSuspectedCumulative => continue,
            });
        }
        if parts.is_empty() {
            return String::new();
        }
        sentence(&format!("On the same day, {}", and_list(&parts)))
    }

    // ---- stocks ----

    /// The severe among active cases and the corrections of the figure, in one parenthesis:
    /// ` (4 of them severe; 1 case removed on verification)`.
    fn severe_within(&self, f: &Figure) -> String {
        let mut items = Vec::new();
        match f.within(M::SevereCurrent) {
            Some(s) if s.value == 0 => {
                items.push(format!("none of them severe{}", self.corrections(s)))
            }
            Some(s) => items.push(format!(
                "{} of them severe{}",
                thousands(s.value),
                self.corrections(s)
            )),
            None => {}
        }
        items.extend(self.correction_items(f));
        paren(&items, "; ")
    }

    /// The suspected cases at 24:00: `6 people were still suspected of infection`.
    fn suspected_current(&self, f: &Figure) -> String {
        if f.value == 0 {
            format!("no suspected cases remained{}", self.corrections(f))
        } else {
            format!(
                "{}{} still suspected of infection",
                n(f.value, "person was", "people were"),
                self.corrections(f)
            )
        }
    }

    fn imported_stocks(&self, p: &Paragraph) -> String {
        let find = |m: Measure| {
            p.sentences
                .iter()
                .flat_map(|s| figures(s))
                .find(|f| f.measure == m)
        };
        let mut out = Vec::new();
        let mut first = Vec::new();
        if let Some(f) = find(M::ConfirmedCurrent) {
            first.push(format!(
                "{} active{}",
                n(f.value, "case remained", "cases remained"),
                self.severe_within(f)
            ));
        }
        if let Some(f) = find(M::SuspectedCurrent) {
            first.push(self.suspected_current(f));
        }
        if !first.is_empty() {
            out.push(sentence(&format!(
                "Among imported cases, {}",
                and_list(&first)
            )));
        }
        let mut second = Vec::new();
        if let Some(f) = find(M::ConfirmedCumulative) {
            second.push(format!(
                "a total of {}{} had been confirmed",
                n(f.value, "imported case", "imported cases"),
                self.corrections(f)
            ));
        }
        if let Some(f) = find(M::DischargedCumulative) {
            second.push(format!(
                "{}{} had been discharged",
                thousands(f.value),
                self.corrections(f)
            ));
        }
        if let Some(f) = find(M::DeathsCumulative) {
            second.push(if f.value == 0 {
                format!("none{} had died", self.corrections(f))
            } else {
                format!("{}{} had died", thousands(f.value), self.corrections(f))
            });
        }
        if !second.is_empty() {
            out.push(sentence(&and_list(&second)));
        }
        out.join(" ")
    }

    fn totals(&self, p: &Paragraph) -> String {
        let all: Vec<&Figure> = p.sentences.iter().flat_map(|s| figures(s)).collect();
        let find = |m: Measure| all.iter().copied().find(|f| f.measure == m);
        let mut parts = Vec::new();
        if let Some(f) = find(M::ConfirmedCurrent) {
            parts.push(format!(
                "{}{}",
                n(f.value, "active confirmed case", "active confirmed cases"),
                self.severe_within(f)
            ));
        }
        if let Some(f) = find(M::DischargedCumulative) {
            parts.push(format!(
                "{}{}{}",
                n(f.value, "discharged case", "discharged cases"),
                self.corrections(f),
                self.places(f)
            ));
        }
        if let Some(f) = find(M::DeathsCumulative) {
            parts.push(format!(
                "{}{}{}",
                n(f.value, "death", "deaths"),
                self.corrections(f),
                self.places(f)
            ));
        }
        let mut out = Vec::new();
        let head = format!(
            "As of 24:00 on {}, {} had reported",
            self.day(),
            self.short_reporters()
        );
        let mut first = format!("{head} {}", and_list(&parts));
        if let Some(f) = find(M::ConfirmedCumulative) {
            let c = format!(
                "{}{}{}",
                n(f.value, "confirmed case", "confirmed cases"),
                self.corrections(f),
                self.places(f)
            );
            if parts.is_empty() {
                first = format!("{head} a cumulative total of {c}");
            } else {
                first.push_str(&format!(", a cumulative total of {c}"));
            }
        }
        if let Some(f) = find(M::SuspectedCurrent) {
            first.push_str(&format!("; {}", self.suspected_current(f)));
        }
        if parts.is_empty()
            && find(M::ConfirmedCumulative).is_none()
            && find(M::SuspectedCurrent).is_none()
        {
            first.clear();
        } else {
            out.push(sentence(&first));
        }
        if let Some(s) = self.contact_totals(
            find(M::ContactsTracedCumulative),
            None,
            find(M::ContactsUnderObservation),
        ) {
            out.push(s);
        }
        out.join(" ")
    }

    /// `A total of 756,223 close contacts had been traced, of whom 969 had been released from
    /// medical observation and 6,023 were still under medical observation.`
    fn contact_totals(
        &self,
        traced: Option<&Figure>,
        released: Option<&Figure>,
        under: Option<&Figure>,
    ) -> Option<String> {
        let released = released.map(|r| {
            format!(
                "{} had been released from medical observation{}",
                thousands(r.value),
                self.corrections(r)
            )
        });
        let under = under.map(|o| {
            format!(
                "{} still under medical observation{}",
                n(o.value, "was", "were"),
                self.corrections(o)
            )
        });
        let of_whom: Vec<String> = released.into_iter().chain(under).collect();
        match traced {
            Some(t) => {
                let mut s = format!(
                    "a total of {}{} had been traced",
                    n(t.value, "close contact", "close contacts"),
                    self.corrections(t)
                );
                if !of_whom.is_empty() {
                    s.push_str(&format!(", of whom {}", and_list(&of_whom)));
                }
                Some(sentence(&s))
            }
            None if !of_whom.is_empty() => Some(sentence(&format!(
                "of the close contacts traced, {}",
                and_list(&of_whom)
            ))),
            None => None,
        }
    }

    /// Hubei's paragraph, with Wuhan's figures beside Hubei's: the day's flows, the stocks,
    /// the totals, the suspected cases.
    fn hubei(&self, p: &Paragraph) -> String {
        let get = |m: Measure| {
            p.sentences
                .iter()
                .flat_map(|s| figures(s))
                .find(|f| f.measure == m)
        };
        let count = |f: &Figure, one: &str, many: &str, none: &str| {
            if f.value == 0 {
                self.none(f, none)
            } else {
                self.figure(f, one, many)
            }
        };
        let mut out = Vec::new();
        let mut flows = Vec::new();
        if let Some(f) = get(M::ConfirmedNew) {
            flows.push(count(
                f,
                "new confirmed case",
                "new confirmed cases",
                "no new confirmed cases",
            ));
        }
        if let Some(f) = get(M::DischargedNew) {
            flows.push(count(
                f,
                "newly discharged patient",
                "newly discharged patients",
                "no newly discharged patient",
            ));
        }
        if let Some(f) = get(M::DeathsNew) {
            flows.push(count(f, "new death", "new deaths", "no new deaths"));
        }
        if !flows.is_empty() {
            out.push(sentence(&format!("Hubei reported {}", and_list(&flows))));
        }
        if let Some(f) = get(M::ConfirmedCurrent) {
            let mut t = if f.value == 0 {
                self.none(f, "no case remained active")
            } else {
                format!(
                    "{} active{}",
                    n(f.value, "case remained", "cases remained"),
                    self.tail(f)
                )
            };
            if let Some(s) = get(M::SevereCurrent) {
                t.push_str(&if s.value == 0 {
                    format!(", {}", self.none(s, "none of them severe"))
                } else {
                    format!(", {} of them severe{}", thousands(s.value), self.tail(s))
                });
            }
            out.push(sentence(&format!("in Hubei, {t}")));
        } else if let Some(s) = get(M::SevereCurrent) {
            out.push(sentence(&format!(
                "in Hubei, there were {}",
                count(s, "severe case", "severe cases", "no severe cases")
            )));
        }
        let mut totals = Vec::new();
        if let Some(f) = get(M::ConfirmedCumulative) {
            totals.push(count(
                f,
                "confirmed case",
                "confirmed cases",
                "no confirmed cases",
            ));
        }
        if let Some(f) = get(M::DischargedCumulative) {
            totals.push(count(
                f,
                "discharged case",
                "discharged cases",
                "no discharged cases",
            ));
        }
        if let Some(f) = get(M::DeathsCumulative) {
            totals.push(count(f, "death", "deaths", "no deaths"));
        }
        if !totals.is_empty() {
            out.push(sentence(&format!(
                "Hubei's totals were {}",
                and_list(&totals)
            )));
        }
        let mut suspected = Vec::new();
        if let Some(f) = get(M::SuspectedNew) {
            suspected.push(count(
                f,
                "new suspected case",
                "new suspected cases",
                "no new suspected cases",
            ));
        }
        if let Some(f) = get(M::SuspectedCurrent) {
            suspected.push(if f.value == 0 {
                self.none(f, "no suspected cases remaining")
            } else {
                format!(
                    "{} remaining{}",
                    n(f.value, "suspected case", "suspected cases"),
                    self.tail(f)
                )
            });
        }
        if !suspected.is_empty() {
            out.push(sentence(&format!("Hubei had {}", and_list(&suspected))));
        }
        out.join(" ")
    }

    /// A figure's corrections, places and parts by origin, after its count.
    fn tail(&self, f: &Figure) -> String {
        let mut t = self.corrections(f);
        t.push_str(&self.places(f));
        t.push_str(&self.origins(f, true));
        t
    }

    fn imported_new(&self, p: &Paragraph) -> String {
        let mut out = Vec::new();
        for f in p.sentences.iter().flat_map(|s| figures(s)) {
            match f.measure {
                M::ConfirmedNew => out.push(sentence(&format!(
                    "on {}, {} reported{}{}",
                    self.day(),
                    n(f.value, "new imported case was", "new imported cases were"),
                    self.corrections(f),
                    self.places(f)
                ))),
                M::ConfirmedCumulative => out.push(sentence(&format!(
                    "as of 24:00, {}{} had been reported in total",
                    n(f.value, "imported case", "imported cases"),
                    self.corrections(f)
                ))),
                M::ConfirmedNewFromAsymptomatic
                | M::ConfirmedNewClinical
                | M::DeathsNew
                | M::SuspectedNew
                | M::DischargedNew
                | M::ContactsReleased
                | M::AsymptomaticNew
                | M::AsymptomaticToConfirmed
                | M::AsymptomaticReleased
                | M::SevereChange
                | M::ConfirmedCurrent
                | M::SevereCurrent
                | M::SuspectedCurrent
                | M::ContactsUnderObservation
                | M::AsymptomaticUnderObservation
                | M::DischargedCumulative
                | M::DeathsCumulative
                | M::SuspectedCumulative
                | M::ContactsReleasedCumulative
                | M::ContactsTracedCumulative
                | M::RegionsReporting
                | M::RegionsConfirmedNew
                | M::RegionsSuspectedNew
                | M::RegionsConfirmedCumulative
                | M::RegionsSuspectedCumulative => {}
            }
        }
        out.join(" ")
    }

    // ---- asymptomatic infections ----

    fn asymptomatic(&self, p: &Paragraph) -> String {
        let mut parts = Vec::new();
        let mut dated = Vec::new();
        for c in p.sentences.iter().flatten() {
            let f = match c {
                Clause::Figure(f) => f,
                Clause::Note(note) => {
                    if let Some(v) = note
                        .values
                        .iter()
                        .find(|v| v.label == "asymptomatic_under_observation:change")
                    {
                        if let Some(last) = parts.last_mut() {
                            let s: &mut String = last;
                            s.push_str(&format!(
                                ", {} {} than on the previous day",
                                thousands(v.value.abs()),
                                if v.value < 0 { "fewer" } else { "more" }
                            ));
                        }
                    }
                    continue;
                }
                Clause::Correction(c) => {
                    dated.push(self.dated_correction(c));
                    continue;
                }
                Clause::Coverage { .. }
                | Clause::NotifiedTotal { .. }
                | Clause::Foreign { .. }
                | Clause::Restatement(_) => continue,
            };
            let tail = format!("{}{}", self.corrections(f), self.origins(f, false));
            parts.push(match f.measure {
                M::AsymptomaticNew => format!(
                    "{} reported {}{tail}{}",
                    self.short_reporters(),
                    n(
                        f.value,
                        "new asymptomatic infection",
                        "new asymptomatic infections"
                    ),
                    self.places(f)
                ),
                M::AsymptomaticToConfirmed if f.value == 0 => {
                    format!("no asymptomatic infection was reclassified as a confirmed case{tail}")
                }
                M::AsymptomaticToConfirmed => format!(
                    "{} reclassified as confirmed cases{tail}",
                    n(f.value, "was", "were")
                ),
                M::AsymptomaticReleased if f.value == 0 => {
                    format!("none was released from medical observation{tail}")
                }
                M::AsymptomaticReleased => format!(
                    "{} released from medical observation{tail}",
                    n(f.value, "was", "were")
                ),
                M::AsymptomaticUnderObservation => format!(
                    "{} under medical observation{tail}",
                    n(
                        f.value,
                        "asymptomatic infection remained",
                        "asymptomatic infections remained"
                    )
                ),
                M::ConfirmedNew
                | M::ConfirmedNewFromAsymptomatic
                | M::ConfirmedNewClinical
                | M::DeathsNew
                | M::SuspectedNew
                | M::DischargedNew
                | M::ContactsReleased
                | M::SevereChange
                | M::ConfirmedCurrent
                | M::SevereCurrent
                | M::SuspectedCurrent
                | M::ContactsUnderObservation
                | M::ConfirmedCumulative
                | M::DischargedCumulative
                | M::DeathsCumulative
                | M::SuspectedCumulative
                | M::ContactsReleasedCumulative
                | M::ContactsTracedCumulative
                | M::RegionsReporting
                | M::RegionsConfirmedNew
                | M::RegionsSuspectedNew
                | M::RegionsConfirmedCumulative
                | M::RegionsSuspectedCumulative => continue,
            });
        }
        let mut out = Vec::new();
        if !parts.is_empty() {
            out.push(sentence(&parts.join("; ")));
        }
        out.extend(dated);
        out.join(" ")
    }

    /// A correction of an earlier day's figure: `The figure of asymptomatic infections under
    /// medical observation on November 17 was increased by 1 on verification.`
    fn dated_correction(&self, c: &Correction) -> String {
        let (Some(d), Some(delta)) = (c.refers_to, c.delta) else {
            return String::new();
        };
        format!(
            "The figure of {} on {} was {} by {} on verification.",
            self.restated_words(c.measure, c.origin),
            month_day(d),
            if delta < 0 { "decreased" } else { "increased" },
            thousands(delta.abs())
        )
    }

    // ---- Hong Kong, Macao and Taiwan ----

    fn notified(&self, p: &Paragraph) -> String {
        let Some(s) = p.sentences.first() else {
            return String::new();
        };
        let total = s.iter().find_map(|c| match c {
            Clause::NotifiedTotal { value } => Some(*value),
            _ => None,
        });
        let items: Vec<String> = figures(s)
            .map(|f| {
                let mut inner = Vec::new();
                if let Some(d) = f.within(M::DischargedCumulative) {
                    inner.push(format!(
                        "{} discharged{}",
                        thousands(d.value),
                        self.corrections(d)
                    ));
                }
                if let Some(d) = f.within(M::DeathsCumulative) {
                    inner.push(format!(
                        "{}{}",
                        n(d.value, "death", "deaths"),
                        self.corrections(d)
                    ));
                }
                format!(
                    "{} in the {}{}{}",
                    thousands(f.value),
                    name_en(&f.region),
                    self.corrections(f),
                    paren(&inner, ", ")
                )
            })
            .collect();
        match (total, items.is_empty()) {
            (None, true) => String::new(),
            (Some(t), true) => format!(
                "A total of {} had been notified by Hong Kong, Macao and Taiwan.",
                n(t, "confirmed case", "confirmed cases")
            ),
            (Some(t), false) => format!(
                "A total of {} had been notified by Hong Kong, Macao and Taiwan: {}.",
                n(t, "confirmed case", "confirmed cases"),
                and_list(&items)
            ),
            (None, false) => format!(
                "Confirmed cases notified by Hong Kong, Macao and Taiwan: {}.",
                and_list(&items)
            ),
        }
    }

    // ---- foreign countries, close contacts (January 2020) ----

    fn foreign(&self, p: &Paragraph) -> String {
        let mut out = Vec::new();
        for c in p.sentences.iter().flatten() {
            if let Clause::Foreign { countries, total } = c {
                out.push(self.foreign_sentence(countries, *total));
            }
        }
        out.join(" ")
    }

    /// `Other countries had notified 9 confirmed cases: 3 in Thailand (2 discharged), …`.
    fn foreign_sentence(&self, countries: &[Country], total: Option<Count>) -> String {
        let items: Vec<String> = countries
            .iter()
            .map(|c| {
                let name = COUNTRIES.iter().find(|(zh, _)| *zh == c.name).map_or_else(
                    || format!("a country ({})", c.name),
                    |(_, en)| (*en).to_string(),
                );
                let discharged = c
                    .discharged
                    .map(|d| format!(" ({} discharged)", thousands(d)))
                    .unwrap_or_default();
                format!("{} in {name}{discharged}", thousands(c.confirmed))
            })
            .collect();
        let head = match total {
            Some(t) => format!(
                "Other countries had notified {}",
                n(t, "confirmed case", "confirmed cases")
            ),
            None => "Other countries had notified confirmed cases".to_string(),
        };
        format!("{head}: {}.", and_list(&items))
    }

    fn contacts(&self, p: &Paragraph) -> String {
        let all: Vec<&Figure> = p.sentences.iter().flat_map(|s| figures(s)).collect();
        let find = |m: Measure| all.iter().copied().find(|f| f.measure == m);
        self.contact_totals(
            find(M::ContactsTracedCumulative),
            find(M::ContactsReleasedCumulative),
            find(M::ContactsUnderObservation),
        )
        .unwrap_or_default()
    }

    // ---- notes ----

    fn notes(&self, p: &Paragraph) -> String {
        let mut out = Vec::new();
        for c in p.sentences.iter().flatten() {
            match c {
                Clause::Note(note) => out.push(self.note(note)),
                Clause::Restatement(c) => out.push(format!(
                    "The {} of {} were corrected to {}.",
                    self.restated_words(c.measure, c.origin),
                    c.refers_to.map(month_day).unwrap_or_default(),
                    thousands(c.restated.unwrap_or(0))
                )),
                Clause::Correction(c) => out.push(self.dated_correction(c)),
                Clause::Figure(_)
                | Clause::Coverage { .. }
                | Clause::NotifiedTotal { .. }
                | Clause::Foreign { .. } => {}
            }
        }
        out.join(" ")
    }

    fn note(&self, note: &Note) -> String {
        match note.kind {
            NoteKind::CaseDescriptions => {
                let k = note.values.first().map_or(0, |v| v.value);
                format!(
                    "The Chinese bulletin describes {} individually.",
                    n(k, "death", "deaths")
                )
            }
            NoteKind::Explanation => {
                "The Chinese bulletin adds an explanation of a change of method.".to_string()
            }
            NoteKind::ForeignNotified
            | NoteKind::FirstCases
            | NoteKind::Footnote
            | NoteKind::NotifiedTotal
            | NoteKind::Signature
            | NoteKind::Remark
            | NoteKind::Phrasing
            | NoteKind::Contradiction => "The Chinese bulletin adds a note.".to_string(),
        }
    }

    // ---- the first weeks (until 2020-02-11) ----

    fn early_paragraph(&self, p: &Paragraph, b: &Bulletin) -> String {
        match p.section {
            Section::Flows => self.early_flows(p, b),
            Section::Recoveries => self.recoveries(p),
            Section::Totals => self.early_totals(p),
            Section::Contacts => self.contacts(p),
            Section::Notified => self.notified(p),
            Section::Foreign => self.foreign(p),
            Section::Notes => self.notes(p),
            Section::ImportedStocks
            | Section::Hubei
            | Section::ImportedNew
            | Section::Asymptomatic => self.paragraph(p),
        }
    }

    /// ` in 24 provincial-level regions`, where the bulletin counts them.
    fn coverage(p: &Paragraph, m: Measure) -> String {
        p.sentences
            .iter()
            .flatten()
            .find_map(|c| match c {
                Clause::Coverage { measure, value } if *measure == m => Some(format!(
                    " in {}",
                    n(
                        *value,
                        "provincial-level region",
                        "provincial-level regions"
                    )
                )),
                _ => None,
            })
            .unwrap_or_default()
    }

    fn early_flows(&self, p: &Paragraph, b: &Bulletin) -> String {
        let mut parts = Vec::new();
        let mut firsts = Vec::new();
        for c in p.sentences.iter().flatten() {
            let f = match c {
                Clause::Figure(f) => f,
                Clause::Note(note) if note.kind == NoteKind::FirstCases => {
                    if let Some(r) = &note.region {
                        firsts.push(place_name(r));
                    }
                    continue;
                }
                // The coverage is written with its figure (Self::coverage).
                Clause::Note(_)
                | Clause::Coverage { .. }
                | Clause::NotifiedTotal { .. }
                | Clause::Foreign { .. }
                | Clause::Restatement(_)
                | Clause::Correction(_) => continue,
            };
            let text = match f.measure {
                M::ConfirmedNew => format!(
                    "{}{}",
                    self.figure(f, "new confirmed case", "new confirmed cases"),
                    Self::coverage(p, M::RegionsConfirmedNew)
                ),
                M::SevereChange => self.severe_change(f),
                M::DeathsNew if f.value == 0 => self.none(f, "no new deaths"),
                M::DeathsNew => {
                    let mut t = self.figure(f, "new death", "new deaths");
                    let sexes: Vec<String> = b
                        .paragraphs
                        .iter()
                        .flat_map(|p| p.sentences.iter().flatten())
                        .filter_map(|c| match c {
                            Clause::Note(n) => Some(n),
                            _ => None,
                        })
                        .chain(std::iter::empty())
                        .flat_map(|n| n.values.iter())
                        .filter_map(|v| match v.label.as_str() {
                            "deaths_new:male" => Some(format!("{} men", thousands(v.value))),
                            "deaths_new:female" => Some(format!("{} women", thousands(v.value))),
                            _ => None,
                        })
                        .collect();
                    if !sexes.is_empty() {
                        t.push_str(&format!(", of them {}", and_list(&sexes)));
                    }
                    t
                }
                M::DischargedNew if f.value == 0 => self.none(f, "no patient discharged"),
                M::DischargedNew => format!(
                    "{} discharged after recovery{}{}",
                    n(f.value, "patient", "patients"),
                    self.corrections(f),
                    self.places(f)
                ),
                M::SuspectedNew => format!(
                    "{}{}",
                    self.figure(f, "new suspected case", "new suspected cases"),
                    Self::coverage(p, M::RegionsSuspectedNew)
                ),
                M::ConfirmedNewFromAsymptomatic
                | M::ConfirmedNewClinical
                | M::ContactsReleased
                | M::AsymptomaticNew
                | M::AsymptomaticToConfirmed
                | M::AsymptomaticReleased
                | M::ConfirmedCurrent
                | M::SevereCurrent
                | M::SuspectedCurrent
                | M::ContactsUnderObservation
                | M::AsymptomaticUnderObservation
                | M::ConfirmedCumulative
                | M::DischargedCumulative
                | M::DeathsCumulative
                | M::SuspectedCumulative
                | M::ContactsReleasedCumulative
                | M::ContactsTracedCumulative
                | M::RegionsReporting
                | M::RegionsConfirmedNew
                | M::RegionsSuspectedNew
                | M::RegionsConfirmedCumulative
                | M::RegionsSuspectedCumulative => continue,
            };
            parts.push(text);
        }
        let mut out = if parts.is_empty() {
            String::new()
        } else {
            sentence(&format!(
                "on {}, {} reported {}",
                self.day(),
                self.reporters(),
                parts.join("; ")
            ))
        };
        if !firsts.is_empty() {
            out.push_str(&format!(
                " {} reported cases for the first time.",
                and_list(&firsts)
            ));
        }
        out
    }

    fn early_totals(&self, p: &Paragraph) -> String {
        let mut parts = Vec::new();
        let mut suspected = Vec::new();
        for f in p.sentences.iter().flat_map(|s| figures(s)) {
            match f.measure {
                M::ConfirmedCumulative => parts.push(format!(
                    "a cumulative total of {}{}",
                    self.figure(f, "confirmed case", "confirmed cases"),
                    Self::coverage(p, M::RegionsConfirmedCumulative)
                )),
                M::ConfirmedCurrent => parts.push(format!(
                    "{}{}",
                    n(f.value, "active confirmed case", "active confirmed cases"),
                    self.severe_within(f)
                )),
                M::SevereCurrent => parts.push(format!(
                    "{}{}",
                    n(f.value, "severe case", "severe cases"),
                    self.corrections(f)
                )),
                M::DeathsCumulative => parts.push(self.figure(f, "death", "deaths")),
                M::DischargedCumulative => {
                    parts.push(self.figure(f, "discharged case", "discharged cases"))
                }
                M::SuspectedCumulative => suspected.push(format!(
                    "a cumulative total of {} had been reported{}",
                    self.figure(f, "suspected case", "suspected cases"),
                    Self::coverage(p, M::RegionsSuspectedCumulative)
                )),
                M::SuspectedCurrent => suspected.push(self.suspected_current(f)),
                M::ConfirmedNew
                | M::ConfirmedNewFromAsymptomatic
                | M::ConfirmedNewClinical
                | M::DeathsNew
                | M::SuspectedNew
                | M::DischargedNew
                | M::ContactsReleased
                | M::AsymptomaticNew
                | M::AsymptomaticToConfirmed
                | M::AsymptomaticReleased
                | M::SevereChange
                | M::ContactsUnderObservation
                | M::AsymptomaticUnderObservation
                | M::ContactsReleasedCumulative
                | M::ContactsTracedCumulative
                | M::RegionsReporting
                | M::RegionsConfirmedNew
                | M::RegionsSuspectedNew
                | M::RegionsConfirmedCumulative
                | M::RegionsSuspectedCumulative => {}
            }
        }
        let mut out = Vec::new();
        if !parts.is_empty() {
            out.push(sentence(&format!(
                "as of 24:00 on {}, {} had reported {}",
                self.day(),
                self.short_reporters(),
                and_list(&parts)
            )));
        }
        if !suspected.is_empty() {
            out.push(sentence(&format!(
                "as of 24:00 on {}, {}",
                self.day(),
                suspected.join("; ")
            )));
        }
        if let Some(v) = p.sentences.iter().flatten().find_map(|c| match c {
            Clause::Coverage {
                measure: M::RegionsReporting,
                value,
            } => Some(*value),
            _ => None,
        }) {
            out.push(format!(
                "The epidemic had been reported in {}.",
                n(v, "provincial-level region", "provincial-level regions")
            ));
        }
        out.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_numbers() {
        assert_eq!(n(1, "case", "cases"), "1 case");
        assert_eq!(n(78410, "case", "cases"), "78,410 cases");
        assert_eq!(
            and_list(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
        assert_eq!(sentence("there were 3"), "There were 3.");
    }
}
