//! The English bulletin, in the terms of the NHC's English daily briefing: every figure of the
//! Chinese bulletin beside what it counts, in sentences a reader of a news wire expects.

use epiledger_core::{
    Correction, CorrectionKind, Count, Date, Measure, NoteKind, Origin, RegionId,
};

use super::document::{Bulletin, Clause, Figure, Paragraph, Section};
use super::lists::name_en;
use super::number::thousands;

use Measure as M;
use Origin::{All, Imported, Local};

/// The English text of a bulletin: one paragraph a line.
pub fn write(b: &Bulletin) -> String {
    let w = En {
        date: b.date,
        scope: b.scope.clone(),
    };
    let mut lines: Vec<String> = b
        .paragraphs
        .iter()
        .map(|p| w.paragraph(p))
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

/// `1 case`, `2 cases`.
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

/// Capitalizes the first letter of a sentence.
fn sentence(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>() + ".",
        None => String::new(),
    }
}

impl En {
    fn day(&self) -> String {
        let m = MONTHS
            .get(self.date.month() as usize - 1)
            .copied()
            .unwrap_or("");
        format!("{m} {}", self.date.day())
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
            Section::Foreign | Section::Contacts => String::new(),
            Section::Notes => self.notes(p),
        }
    }

    /// `(3 in Guangdong, 1 in Shanghai)`, `(all in Beijing)`, `(in Shanghai)`.
    fn places(&self, f: &Figure) -> String {
        match f.regions.as_slice() {
            [] => String::new(),
            [only] if only.value == f.value => {
                let all = if f.value == 1 { "in" } else { "all in" };
                format!(" ({all} {})", self.place(only))
            }
            list => {
                let items: Vec<String> = list
                    .iter()
                    .map(|r| format!("{} in {}", thousands(r.value), self.place(r)))
                    .collect();
                let nested = list.iter().any(|r| !r.regions.is_empty());
                format!(" ({})", items.join(if nested { "; " } else { ", " }))
            }
        }
    }

    /// A place with its own places: `Shaanxi, of which 161 in Xi'an and 2 in Xianyang`.
    fn place(&self, f: &Figure) -> String {
        let name = name_en(&f.region);
        match f.regions.as_slice() {
            [] => name,
            [only] if only.value == f.value => format!("{}, {name}", name_en(&only.region)),
            list => {
                let items: Vec<String> = list
                    .iter()
                    .map(|r| format!("{} in {}", thousands(r.value), name_en(&r.region)))
                    .collect();
                format!("{name}: {}", items.join(", "))
            }
        }
    }

    /// Corrections stated beside a figure, in words: `, after 1 case in Sichuan was removed
    /// on verification`.
    fn corrections(&self, f: &Figure) -> String {
        let items: Vec<String> = f
            .corrections
            .iter()
            .filter(|c| c.delta.is_some())
            .map(|c| {
                let d = c.delta.unwrap_or(0);
                let where_ = if c.region == f.region {
                    String::new()
                } else {
                    format!(" in {}", name_en(&c.region))
                };
                let verb = match c.kind {
                    CorrectionKind::Reduce => "removed on verification",
                    CorrectionKind::Increase => "added on verification",
                    CorrectionKind::Revise => "corrected",
                };
                format!("{}{where_} {verb}", n(d.abs(), "case", "cases"))
            })
            .collect();
        if items.is_empty() {
            String::new()
        } else {
            format!(" ({})", items.join("; "))
        }
    }

    /// A figure restated after correction.
    fn restated(&self, f: &Figure, c: &Correction) -> String {
        let what = match (f.region.code(), f.measure) {
            (_, M::DischargedCumulative) => "discharged",
            (_, M::DeathsCumulative) => "deaths",
            _ => f.measure.en(),
        };
        format!(
            "The figure for {} ({}: {}) is as corrected{}.",
            name_en(&f.region),
            what,
            thousands(c.restated.unwrap_or(f.value)),
            c.reason
                .as_deref()
                .filter(|r| !r.contains("订正"))
                .map(|_| " by the local authorities")
                .unwrap_or("")
        )
    }

    // ---- the flows ----

    fn flows(&self, p: &Paragraph) -> String {
        let mut out = Vec::new();
        for s in &p.sentences {
            for c in s {
                match c {
                    Clause::Figure(f) => out.push(self.flow(f)),
                    Clause::Coverage { measure, value } => out.push(sentence(&format!(
                        "{} provincial-level regions reported {}",
                        value,
                        match measure {
                            M::RegionsConfirmedNew => "new confirmed cases",
                            M::RegionsSuspectedNew => "new suspected cases",
                            _ => "cases",
                        }
                    ))),
                    _ => {}
                }
            }
        }
        let head = format!("On {}, {} reported", self.day(), self.reporters());
        match out.split_first() {
            Some((first, rest)) => {
                let mut t = format!("{head} {}", first.trim_end_matches('.'));
                t.push('.');
                for r in rest {
                    t.push(' ');
                    t.push_str(r);
                }
                t
            }
            None => String::new(),
        }
    }

    /// `27 new confirmed cases: 4 imported cases (…) and 23 local cases (…)`.
    fn flow(&self, f: &Figure) -> String {
        let (one, many, none) = match f.measure {
            M::ConfirmedNew => (
                "new confirmed case",
                "new confirmed cases",
                "no new confirmed cases",
            ),
            M::DeathsNew => ("new death", "new deaths", "No new deaths were reported"),
            M::SuspectedNew => (
                "new suspected case",
                "new suspected cases",
                "There were no new suspected cases",
            ),
            M::SevereChange => return sentence(&self.severe_change(f)),
            _ => return String::new(),
        };
        if f.value == 0 {
            return if f.measure == M::ConfirmedNew {
                none.to_string()
            } else {
                format!("{none}.")
            };
        }
        let mut t = n(f.value, one, many);
        t.push_str(&self.corrections(f));
        t.push_str(&self.origin_split(f));
        if let Some(k) = f.within(M::ConfirmedNewClinical).filter(|k| k.value > 0) {
            t.push_str(&format!(
                ", including {} clinically diagnosed in Hubei",
                n(k.value, "case", "cases")
            ));
        }
        if let Some(k) = f
            .within(M::ConfirmedNewFromAsymptomatic)
            .filter(|k| k.value > 0)
        {
            t.push_str(&format!(
                ", including {} reclassified from asymptomatic infections",
                thousands(k.value)
            ));
        }
        match f.measure {
            M::ConfirmedNew => t,
            _ if f.value == 1 => sentence(&format!("there was {t}")),
            _ => sentence(&format!("there were {t}")),
        }
    }

    /// `: 4 imported cases (…) and 23 local cases (…)`, `, all imported (…)`, or the places.
    fn origin_split(&self, f: &Figure) -> String {
        let stated: Vec<&Figure> = f.origins.iter().filter(|o| o.value > 0).collect();
        let word = |o: &Figure| match o.origin {
            Imported => "imported",
            Local => "local",
            All => "",
        };
        match stated.as_slice() {
            [one] if one.value == f.value => {
                let all = if f.value == 1 { "" } else { "all " };
                format!(
                    ", {all}{}{}{}",
                    word(one),
                    self.places(one),
                    self.reclassified(one)
                )
            }
            [] => self.places(f),
            parts => {
                let items: Vec<String> = parts
                    .iter()
                    .map(|o| {
                        format!(
                            "{} {}{}{}",
                            thousands(o.value),
                            word(o),
                            self.places(o),
                            self.reclassified(o)
                        )
                    })
                    .collect();
                format!(": {}", and_list(&items))
            }
        }
    }

    /// `, 1 of them reclassified from an asymptomatic infection (in Guangdong)`.
    fn reclassified(&self, o: &Figure) -> String {
        match o.within(M::ConfirmedNewFromAsymptomatic) {
            Some(k) if k.value > 0 => format!(
                ", {} reclassified from asymptomatic infections{}",
                if k.value == 1 {
                    "1 of them".to_string()
                } else {
                    format!("{} of them", thousands(k.value))
                },
                self.places(k)
            ),
            _ => String::new(),
        }
    }

    fn severe_change(&self, f: &Figure) -> String {
        match f.value {
            0 => "the number of severe cases was unchanged from the previous day".to_string(),
            v if v > 0 => format!(
                "severe cases increased by {} from the previous day",
                thousands(v)
            ),
            v => format!(
                "severe cases decreased by {} from the previous day",
                thousands(-v)
            ),
        }
    }

    // ---- discharges ----

    fn recoveries(&self, p: &Paragraph) -> String {
        let mut parts = Vec::new();
        for f in p.sentences.iter().flat_map(|s| figures(s)) {
            parts.push(match f.measure {
                M::DischargedNew if f.value == 0 => "no patient was discharged".to_string(),
                M::DischargedNew => {
                    let mut t = format!(
                        "{} discharged after recovery",
                        n(f.value, "patient was", "patients were")
                    );
                    let stated: Vec<&Figure> = f.origins.iter().collect();
                    if stated.len() == 2 {
                        let items: Vec<String> = stated
                            .iter()
                            .map(|o| {
                                let w = if o.origin == Imported {
                                    "imported"
                                } else {
                                    "local"
                                };
                                format!("{} {w}{}", thousands(o.value), self.places(o))
                            })
                            .collect();
                        t.push_str(&format!(" ({})", items.join(", ")));
                    }
                    t
                }
                M::ContactsReleased => format!(
                    "{} released from medical observation",
                    n(f.value, "close contact was", "close contacts were")
                ),
                M::SevereChange => self.severe_change(f),
                M::SevereCurrent if f.value == 0 => "there were no severe cases".to_string(),
                M::SevereCurrent => {
                    format!("there were {}", n(f.value, "severe case", "severe cases"))
                }
                _ => continue,
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
            Some(s) if s.value == 0 => items.push("none of them severe".to_string()),
            Some(s) => items.push(format!("{} of them severe", thousands(s.value))),
            None => {}
        }
        let c = self.corrections(f);
        if let Some(inner) = c.strip_prefix(" (").and_then(|c| c.strip_suffix(')')) {
            items.push(inner.to_string());
        }
        if items.is_empty() {
            String::new()
        } else {
            format!(" ({})", items.join("; "))
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
            first.push(if f.value == 0 {
                "there were no suspected cases".to_string()
            } else {
                format!("{} suspected", n(f.value, "person was", "people were"))
            });
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
                "a total of {} had been confirmed{}",
                n(f.value, "imported case", "imported cases"),
                self.corrections(f)
            ));
        }
        if let Some(f) = find(M::DischargedCumulative) {
            second.push(format!(
                "{} had been discharged{}",
                thousands(f.value),
                self.corrections(f)
            ));
        }
        if let Some(f) = find(M::DeathsCumulative) {
            second.push(if f.value == 0 {
                "none had died".to_string()
            } else {
                format!("{} had died", thousands(f.value))
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
                "{}{}",
                n(f.value, "discharged case", "discharged cases"),
                self.corrections(f)
            ));
        }
        if let Some(f) = find(M::DeathsCumulative) {
            parts.push(format!(
                "{}{}",
                n(f.value, "death", "deaths"),
                self.corrections(f)
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
            if parts.is_empty() {
                first = format!(
                    "{head} {} in total{}",
                    n(f.value, "confirmed case", "confirmed cases"),
                    self.corrections(f)
                );
            } else {
                first.push_str(&format!(
                    ", a cumulative total of {}{}",
                    n(f.value, "confirmed case", "confirmed cases"),
                    self.corrections(f)
                ));
            }
        }
        if let Some(f) = find(M::SuspectedCurrent) {
            first.push_str(&if f.value == 0 {
                "; there were no suspected cases".to_string()
            } else {
                format!(
                    "; {} suspected of infection",
                    n(f.value, "person was", "people were")
                )
            });
        }
        if parts.is_empty()
            && find(M::ConfirmedCumulative).is_none()
            && find(M::SuspectedCurrent).is_none()
        {
            first.clear();
        } else {
            out.push(sentence(&first));
        }
        match (
            find(M::ContactsTracedCumulative),
            find(M::ContactsUnderObservation),
        ) {
            (Some(t), Some(o)) => out.push(sentence(&format!(
                "a total of {} had been traced, of whom {} still under medical observation",
                n(t.value, "close contact", "close contacts"),
                n(o.value, "was", "were")
            ))),
            (Some(t), None) => out.push(sentence(&format!(
                "a total of {} had been traced",
                n(t.value, "close contact", "close contacts")
            ))),
            (None, Some(o)) => out.push(sentence(&format!(
                "{} still under medical observation",
                n(o.value, "close contact was", "close contacts were")
            ))),
            (None, None) => {}
        }
        out.join(" ")
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
        let with_wuhan = |f: &Figure| {
            let wuhan: Vec<String> = f
                .regions
                .iter()
                .map(|w| format!("{} in {}", thousands(w.value), name_en(&w.region)))
                .collect();
            let mut extra = wuhan;
            let c = self.corrections(f);
            if let Some(inner) = c.strip_prefix(" (").and_then(|c| c.strip_suffix(')')) {
                extra.push(inner.to_string());
            }
            if extra.is_empty() {
                String::new()
            } else {
                format!(" ({})", extra.join("; "))
            }
        };
        let count = |f: &Figure, one: &str, many: &str, none: &str| {
            if f.value == 0 {
                none.to_string()
            } else {
                format!("{}{}", n(f.value, one, many), with_wuhan(f))
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
                "patient discharged",
                "patients discharged",
                "no patient discharged",
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
                "no case remained active".to_string()
            } else {
                format!(
                    "{} active{}",
                    n(f.value, "case remained", "cases remained"),
                    with_wuhan(f)
                )
            };
            if let Some(s) = get(M::SevereCurrent) {
                t.push_str(&if s.value == 0 {
                    ", none of them severe".to_string()
                } else {
                    format!(", {} of them severe{}", thousands(s.value), with_wuhan(s))
                });
            }
            out.push(sentence(&format!("in Hubei, {t}")));
        }
        let mut totals = Vec::new();
        if let Some(f) = get(M::ConfirmedCumulative) {
            totals.push(format!(
                "{}{}",
                n(f.value, "confirmed case", "confirmed cases"),
                with_wuhan(f)
            ));
        }
        if let Some(f) = get(M::DischargedCumulative) {
            totals.push(format!(
                "{} discharged{}",
                thousands(f.value),
                with_wuhan(f)
            ));
        }
        if let Some(f) = get(M::DeathsCumulative) {
            totals.push(format!(
                "{}{}",
                n(f.value, "death", "deaths"),
                with_wuhan(f)
            ));
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
                "no suspected cases in all".to_string()
            } else {
                format!(
                    "{} in all{}",
                    n(f.value, "suspected case", "suspected cases"),
                    with_wuhan(f)
                )
            });
        }
        if !suspected.is_empty() {
            out.push(sentence(&format!("Hubei had {}", and_list(&suspected))));
        }
        out.join(" ")
    }

    fn imported_new(&self, p: &Paragraph) -> String {
        let mut out = Vec::new();
        for f in p.sentences.iter().flat_map(|s| figures(s)) {
            match f.measure {
                M::ConfirmedNew => out.push(sentence(&format!(
                    "on {}, {} reported{}",
                    self.day(),
                    n(f.value, "new imported case was", "new imported cases were"),
                    self.places(f)
                ))),
                M::ConfirmedCumulative => out.push(sentence(&format!(
                    "as of 24:00, {} had been reported in total",
                    n(f.value, "imported case", "imported cases")
                ))),
                _ => {}
            }
        }
        out.join(" ")
    }

    // ---- asymptomatic infections ----

    /// `(5 imported)`, `(all imported)`, `(none imported)`, and the local places.
    fn imported_of(&self, f: &Figure) -> String {
        let i = f.origin(Imported);
        let l = f.origin(Local);
        match (i, l) {
            (Some(i), Some(l)) if !l.regions.is_empty() => format!(
                " ({} imported and {} local{})",
                thousands(i.value),
                thousands(l.value),
                self.places(l)
            ),
            (Some(i), _) if i.value == f.value && f.value > 0 => {
                if f.value == 1 {
                    " (imported)".to_string()
                } else {
                    " (all imported)".to_string()
                }
            }
            (Some(i), _) if i.value == 0 => " (none imported)".to_string(),
            (Some(i), _) => format!(" ({} imported{})", thousands(i.value), self.corrections(i)),
            (None, _) => String::new(),
        }
    }

    fn asymptomatic(&self, p: &Paragraph) -> String {
        let mut parts = Vec::new();
        for f in p.sentences.iter().flat_map(|s| figures(s)) {
            parts.push(match f.measure {
                M::AsymptomaticNew => format!(
                    "{} reported {}{}",
                    self.short_reporters(),
                    n(
                        f.value,
                        "new asymptomatic infection",
                        "new asymptomatic infections"
                    ),
                    self.imported_of(f)
                ),
                M::AsymptomaticToConfirmed if f.value == 0 => {
                    "no asymptomatic infection was reclassified as a confirmed case".to_string()
                }
                M::AsymptomaticToConfirmed => format!(
                    "{} reclassified as confirmed cases{}",
                    n(f.value, "was", "were"),
                    self.imported_of(f)
                ),
                M::AsymptomaticReleased if f.value == 0 => {
                    "none was released from medical observation".to_string()
                }
                M::AsymptomaticReleased => format!(
                    "{} released from medical observation{}",
                    n(f.value, "was", "were"),
                    self.imported_of(f)
                ),
                M::AsymptomaticUnderObservation => format!(
                    "{} under medical observation{}{}",
                    n(
                        f.value,
                        "asymptomatic infection remained",
                        "asymptomatic infections remained"
                    ),
                    self.corrections(f),
                    self.imported_of(f)
                ),
                _ => continue,
            });
        }
        if parts.is_empty() {
            return String::new();
        }
        sentence(&parts.join("; "))
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
                    inner.push(format!("{} discharged", thousands(d.value)));
                }
                if let Some(d) = f.within(M::DeathsCumulative) {
                    inner.push(n(d.value, "death", "deaths"));
                }
                let inner = if inner.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", inner.join(", "))
                };
                format!(
                    "{} in the {}{inner}",
                    thousands(f.value),
                    name_en(&f.region)
                )
            })
            .collect();
        if items.is_empty() {
            return String::new();
        }
        let head = match total {
            Some(t) => format!(
                "A total of {} had been notified by Hong Kong, Macao and Taiwan",
                n(t, "confirmed case", "confirmed cases")
            ),
            None => "Confirmed cases notified by Hong Kong, Macao and Taiwan".to_string(),
        };
        format!("{head}: {}.", and_list(&items))
    }

    // ---- notes ----

    fn notes(&self, p: &Paragraph) -> String {
        let mut out = Vec::new();
        for c in p.sentences.iter().flatten() {
            match c {
                Clause::Note(note) => out.push(match note.kind {
                    NoteKind::CaseDescriptions => {
                        let k = note.values.first().map_or(0, |v| v.value);
                        format!(
                            "The Chinese bulletin describes {} individually.",
                            n(k, "death", "deaths")
                        )
                    }
                    NoteKind::Explanation => {
                        "The Chinese bulletin adds an explanation of a change of method."
                            .to_string()
                    }
                    _ => "The Chinese bulletin adds a note.".to_string(),
                }),
                Clause::Restatement(c) => out.push(format!(
                    "The {} of {} were corrected to {}.",
                    c.measure.en(),
                    c.refers_to.map_or_else(String::new, |d| {
                        let m = MONTHS.get(d.month() as usize - 1).copied().unwrap_or("");
                        format!("{m} {}", d.day())
                    }),
                    thousands(c.restated.unwrap_or(0))
                )),
                _ => {}
            }
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
