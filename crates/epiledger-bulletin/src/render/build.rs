//! Building the [`Bulletin`] of a day from the ledger: which figures the bulletin states, in
//! which paragraph, with which breakdowns, corrections and notes.

use std::collections::HashMap;

use epiledger_core::ledger::hierarchy;
use epiledger_core::{
    Correction, Count, Date, Day, Fact, Ledger, Measure, NoteKind, Origin, RegionCode, RegionId,
};

use super::document::{Bulletin, Clause, Country, Figure, Paragraph, Section, Sentence};
use super::lists::{by_count, code_order};
use super::periods::{layout, Layout};
use crate::phrasing::Phrasing;
use std::cmp::Reverse;

use Measure as M;
use Origin::{All, Imported, Local};

/// The figures of one day, indexed for the builder.
struct View<'a> {
    day: &'a Day,
    /// Whether places below the provinces are listed (from September 2021).
    sub_places: bool,
    values: HashMap<(&'a RegionId, Origin, Measure), Count>,
    /// Facts by (origin, measure), in canonical order.
    by_measure: HashMap<(Origin, Measure), Vec<&'a Fact>>,
    /// How the source worded the day (the order of tied areas).
    phrasing: Phrasing,
}

impl<'a> View<'a> {
    fn new(day: &'a Day, sub_places: bool) -> View<'a> {
        let mut values = HashMap::with_capacity(day.facts.len());
        let mut by_measure: HashMap<(Origin, Measure), Vec<&Fact>> = HashMap::new();
        for f in &day.facts {
            values
                .entry((&f.region, f.origin, f.measure))
                .or_insert(f.value);
            by_measure.entry((f.origin, f.measure)).or_default().push(f);
        }
        View {
            day,
            sub_places,
            values,
            by_measure,
            phrasing: Phrasing::of_day(day),
        }
    }

    fn get(&self, region: &RegionId, origin: Origin, measure: Measure) -> Option<Count> {
        self.values.get(&(region, origin, measure)).copied()
    }

    /// The figures of `measure` and `origin` that lie in `region`, largest first: for the
    /// nation its provinces, each with the places inside it; for a province every place
    /// inside it, whatever its level (the bulletins list a province's prefectures and
    /// county-level cities side by side). Zeros are not listed.
    fn places(&self, region: &RegionId, origin: Origin, measure: Measure) -> Vec<Figure> {
        let Some(facts) = self.by_measure.get(&(origin, measure)) else {
            return Vec::new();
        };
        let nation = region.is_nation();
        let present = |r: &RegionId| self.values.contains_key(&(r, origin, measure));
        let mut out: Vec<Figure> = facts
            .iter()
            .filter(|f| f.region != *region && f.value > 0)
            .filter(|f| {
                if nation {
                    // A province, or a place whose province's figure is not given.
                    let province = RegionId::Code(f.region.province());
                    hierarchy::is_reporting_unit(f.region.province())
                        && (f.region == province || (self.sub_places && !present(&province)))
                } else {
                    hierarchy::contains(region, &f.region)
                }
            })
            .map(|f| {
                let mut fig = Figure::new(f.region.clone(), origin, measure, f.value);
                if nation
                    && self.sub_places
                    && matches!(f.region, RegionId::Code(c) if c.is_province_level())
                {
                    fig.regions = self.places(&f.region, origin, measure);
                }
                fig
            })
            .collect();
        by_count(&mut out);
        let position = |f: &Figure| self.phrasing.position(measure, origin, &f.region);
        if !nation && out.iter().any(|f| position(f).is_some()) {
            // The province's own order of its areas, where it is not by count.
            out.sort_by_key(|f| position(f).unwrap_or(Count::MAX));
        } else if !self.phrasing.is_empty() {
            // The province's own order of its areas at equal counts, and the nation's order of
            // a place without a code among provinces at its count, where recorded. Either
            // every place of a tied group has a rank or none has.
            let rank = |f: &Figure| self.phrasing.rank(measure, origin, &f.region);
            out.sort_by(|a, b| {
                (
                    Reverse(a.value),
                    rank(a).unwrap_or(0),
                    code_order(&a.region),
                )
                    .cmp(&(
                        Reverse(b.value),
                        rank(b).unwrap_or(0),
                        code_order(&b.region),
                    ))
            });
        }
        out
    }

    /// A figure with its parts by region, if the ledger has it.
    fn figure(&self, region: &RegionId, origin: Origin, measure: Measure) -> Option<Figure> {
        let value = self.get(region, origin, measure)?;
        let mut f = Figure::new(region.clone(), origin, measure, value);
        f.regions = self.places(region, origin, measure);
        Some(f)
    }

    /// A figure without its parts by region.
    fn bare(&self, region: &RegionId, origin: Origin, measure: Measure) -> Option<Figure> {
        let value = self.get(region, origin, measure)?;
        Some(Figure::new(region.clone(), origin, measure, value))
    }

    /// A figure of all origins with its imported and local parts, each with its places.
    fn split(&self, region: &RegionId, measure: Measure) -> Option<Figure> {
        let mut f = self.figure(region, All, measure)?;
        for o in [Imported, Local] {
            if let Some(part) = self.figure(region, o, measure) {
                f.origins.push(part);
            }
        }
        Some(f)
    }
}

/// The bulletin of `date` for `scope` (the nation or a provincial-level unit), from the ledger
/// alone; `None` when the ledger has no figure of that day.
pub fn build(ledger: &Ledger, date: Date, scope: &RegionId) -> Option<Bulletin> {
    let day = ledger.day(date)?;
    let lay = layout(date);
    let view = View::new(day, lay.sub_places);
    let prev = ledger.day(date.pred()).map(|d| View::new(d, false));
    let paragraphs = if scope.is_nation() && lay.early {
        early_national(&view, &lay)
    } else if scope.is_nation() {
        national(&view, prev.as_ref(), &lay)
    } else {
        provincial(&view, prev.as_ref(), scope)
    };
    Some(Bulletin {
        date,
        scope: scope.clone(),
        phrasing: view.phrasing.clone(),
        paragraphs: paragraphs
            .into_iter()
            .filter(|p| p.sentences.iter().any(|s| !s.is_empty()))
            .map(|mut p| {
                p.sentences.retain(|s| !s.is_empty());
                p
            })
            .collect(),
    })
}

fn para(section: Section, sentences: Vec<Sentence>) -> Paragraph {
    Paragraph { section, sentences }
}

fn push(s: &mut Sentence, f: Option<Figure>) {
    if let Some(f) = f {
        s.push(Clause::Figure(f));
    }
}

/// The change of severe cases: the ledger's own figure, else today's stock less yesterday's.
fn severe_change(v: &View, prev: Option<&View>, region: &RegionId) -> Option<Figure> {
    if let Some(f) = v.bare(region, All, M::SevereChange) {
        return Some(f);
    }
    let today = v.get(region, All, M::SevereCurrent)?;
    let before = prev?.get(region, All, M::SevereCurrent)?;
    Some(Figure::new(
        region.clone(),
        All,
        M::SevereChange,
        today - before,
    ))
}

/// Attaches to each figure the corrections of the day that concern it: those of the same
/// measure and origin whose region lies directly in the figure's (a province's 核减 beside the
/// nation's figure, 孝感's beside Hubei's), then those of the figure's own region; each
/// correction once, in the order stated. A restated figure (订正后数据) marks the figure of its
/// value. Corrections of an earlier day stay apart.
fn attach_corrections(paragraphs: &mut [Paragraph], corrections: &[Correction]) {
    let mut used = vec![false; corrections.len()];
    for pass in [Pass::Parent, Pass::Own] {
        for p in paragraphs.iter_mut() {
            for s in &mut p.sentences {
                for c in s.iter_mut() {
                    if let Clause::Figure(f) = c {
                        attach(f, corrections, &mut used, pass);
                    }
                }
            }
        }
    }
    // The stated order.
    for p in paragraphs.iter_mut() {
        for s in &mut p.sentences {
            for c in s.iter_mut() {
                if let Clause::Figure(f) = c {
                    order(f, corrections);
                }
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    Parent,
    Own,
}

fn attach(f: &mut Figure, corrections: &[Correction], used: &mut [bool], pass: Pass) {
    for (i, c) in corrections.iter().enumerate() {
        if used[i] || c.measure != f.measure || c.origin != f.origin || c.refers_to.is_some() {
            continue;
        }
        // The same correction stated twice (beside the nation's figure and Hubei's) is one
        // for each.
        let twice = f.corrections.iter().any(|x| {
            (&x.region, x.kind, x.delta, &x.reason) == (&c.region, c.kind, c.delta, &c.reason)
        });
        // A place's correction equal to its whole's own (上海核增2例 beside 核增2例) is stated
        // beside the place, where the bulletin lists it.
        let own_twin = corrections.iter().any(|x| {
            x.region == f.region
                && (x.measure, x.origin, x.refers_to) == (f.measure, f.origin, None)
                && (x.kind, x.delta, &x.reason) == (c.kind, c.delta, &c.reason)
        }) && f.regions.iter().any(|r| r.region == c.region);
        let near = match (c.delta, pass) {
            (None, Pass::Own) => c.region == f.region && c.restated == Some(f.value),
            (None, Pass::Parent) => false,
            (Some(_), Pass::Parent) => {
                !twice && !own_twin && hierarchy::parent(&c.region).as_ref() == Some(&f.region)
            }
            (Some(_), Pass::Own) => c.region == f.region,
        };
        if near {
            f.corrections.push(c.clone());
            used[i] = true;
        }
    }
    for part in f.origins.iter_mut().chain(f.within.iter_mut()) {
        attach(part, corrections, used, pass);
    }
    for part in f.regions.iter_mut() {
        attach(part, corrections, used, pass);
    }
}

fn order(f: &mut Figure, corrections: &[Correction]) {
    f.corrections.sort_by_key(|c| {
        corrections
            .iter()
            .position(|x| x == c)
            .unwrap_or(usize::MAX)
    });
    for part in f
        .origins
        .iter_mut()
        .chain(f.within.iter_mut())
        .chain(f.regions.iter_mut())
    {
        order(part, corrections);
    }
}

fn national(v: &View, prev: Option<&View>, lay: &Layout) -> Vec<Paragraph> {
    let n = RegionId::NATION;
    let hubei = RegionId::Code(RegionCode::HUBEI);
    let mut out = Vec::new();

    // The flows of the day.
    let mut confirmed = v.split(&n, M::ConfirmedNew);
    if let Some(c) = confirmed.as_mut() {
        for o in c.origins.iter_mut() {
            if let Some(mut k) = v.figure(&n, o.origin, M::ConfirmedNewFromAsymptomatic) {
                k.regions = v.places(&n, o.origin, M::ConfirmedNewFromAsymptomatic);
                o.within.push(k);
            }
        }
        if let Some(k) = v.figure(&n, All, M::ConfirmedNewFromAsymptomatic) {
            c.within.push(k);
        }
        if let Some(k) = v.bare(&hubei, All, M::ConfirmedNewClinical) {
            c.within.push(k);
        }
        if lay.imported_paragraph || !lay.imported_places {
            // The imported cases' places go to their own paragraph, or are not listed.
            if let Some(i) = c.origins.iter_mut().find(|o| o.origin == Imported) {
                i.regions.clear();
            }
        }
        if !lay.flows_origin_split {
            c.origins.clear();
        }
    }
    let mut flows = vec![Vec::new(); 3];
    let mut suspected = v.split(&n, M::SuspectedNew);
    let mut discharged = v.split(&n, M::DischargedNew);
    if lay.hubei_paragraph {
        // Hubei's own figures are in its paragraph; the first lists only the deaths.
        for f in confirmed
            .iter_mut()
            .chain(suspected.iter_mut())
            .chain(discharged.iter_mut())
        {
            f.regions.clear();
        }
    }
    push(&mut flows[0], confirmed);
    if let Some(cov) = v.get(&n, All, M::RegionsConfirmedNew) {
        flows[0].insert(
            0,
            Clause::Coverage {
                measure: M::RegionsConfirmedNew,
                value: cov,
            },
        );
    }
    let mut deaths = v.split(&n, M::DeathsNew);
    if !lay.deaths_places {
        for f in deaths.iter_mut() {
            f.regions.clear();
        }
    }
    push(&mut flows[1], deaths);
    push(&mut flows[2], suspected);
    if let Some(cov) = v.get(&n, All, M::RegionsSuspectedNew) {
        flows[2].insert(
            0,
            Clause::Coverage {
                measure: M::RegionsSuspectedNew,
                value: cov,
            },
        );
    }
    let mut rec = Vec::new();
    push(&mut rec, discharged);
    push(&mut rec, v.bare(&n, All, M::ContactsReleased));
    let before = prev.and_then(|p| p.get(&n, All, M::SevereCurrent));
    if lay.severe_stock_after_zero && before == Some(0) {
        push(&mut rec, v.bare(&n, All, M::SevereCurrent));
    } else if let Some(s) = severe_change(v, prev, &n) {
        if lay.severe_rise_in_flows && s.value > 0 {
            // 新增重症病例N例 stands with the new cases; a fall with the discharges.
            flows[0].push(Clause::Figure(s));
        } else {
            rec.push(Clause::Figure(s));
        }
    }
    out.push(para(Section::Flows, flows));
    out.push(para(Section::Recoveries, vec![rec]));

    // The imported cases' stocks and totals.
    let mut current = v.bare(&n, Imported, M::ConfirmedCurrent);
    if let Some(c) = current.as_mut() {
        if let Some(s) = v.bare(&n, Imported, M::SevereCurrent) {
            c.within.push(s);
        }
    }
    let mut s1 = Vec::new();
    push(&mut s1, current);
    push(&mut s1, v.bare(&n, Imported, M::SuspectedCurrent));
    let mut s2 = Vec::new();
    push(&mut s2, v.bare(&n, Imported, M::ConfirmedCumulative));
    push(&mut s2, v.bare(&n, Imported, M::DischargedCumulative));
    push(&mut s2, v.bare(&n, Imported, M::DeathsCumulative));
    let imported_stocks = if lay.imported_paragraph {
        Vec::new()
    } else {
        vec![s1, s2]
    };
    out.push(para(Section::ImportedStocks, imported_stocks));

    // The stocks and totals at 24:00.
    let mut current = v.bare(&n, All, M::ConfirmedCurrent);
    if let Some(c) = current.as_mut() {
        if let Some(s) = v.bare(&n, All, M::SevereCurrent) {
            c.within.push(s);
        }
    }
    let mut t1 = Vec::new();
    let mut t2 = Vec::new();
    if lay.totals_current_first {
        push(&mut t1, current);
        push(&mut t1, v.bare(&n, All, M::SuspectedCurrent));
        push(&mut t2, v.bare(&n, All, M::ConfirmedCumulative));
        push(&mut t2, v.bare(&n, All, M::DischargedCumulative));
        push(&mut t2, v.bare(&n, All, M::DeathsCumulative));
    } else {
        push(&mut t1, current);
        push(&mut t1, v.bare(&n, All, M::DischargedCumulative));
        push(&mut t1, v.bare(&n, All, M::DeathsCumulative));
        push(&mut t1, v.bare(&n, All, M::ConfirmedCumulative));
        push(&mut t1, v.bare(&n, All, M::SuspectedCurrent));
    }
    push(&mut t2, v.bare(&n, All, M::ContactsTracedCumulative));
    push(&mut t2, v.bare(&n, All, M::ContactsUnderObservation));
    out.push(para(Section::Totals, vec![t1, t2]));

    // Hubei and Wuhan, in the weeks when the bulletin gave them a paragraph: on other days
    // Hubei's own figures (a day compiled from the units' reports has every unit's) belong to
    // the lists of places, not to a paragraph of their own.
    if lay.hubei_paragraph {
        out.push(hubei_paragraph(v));
    }

    // The imported cases of the day, in their own paragraph (March 2020).
    if lay.imported_paragraph {
        let mut i1 = Vec::new();
        push(&mut i1, v.figure(&n, Imported, M::ConfirmedNew));
        let mut i2 = Vec::new();
        push(&mut i2, v.bare(&n, Imported, M::ConfirmedCumulative));
        out.push(para(Section::ImportedNew, vec![i1, i2]));
    }

    // Asymptomatic infections.
    let mut a = Vec::new();
    push(&mut a, v.split(&n, M::AsymptomaticNew));
    push(&mut a, v.split(&n, M::AsymptomaticToConfirmed));
    push(&mut a, v.split(&n, M::AsymptomaticReleased));
    push(&mut a, v.split(&n, M::AsymptomaticUnderObservation));
    // The change of the stock on the previous day, where a note states it (2020-03-31).
    a.extend(
        v.day
            .notes
            .iter()
            .filter(|n| {
                n.values
                    .iter()
                    .any(|x| x.label == "asymptomatic_under_observation:change")
            })
            .cloned()
            .map(Clause::Note),
    );
    if lay.released_before_reclassified {
        // 当日解除医学观察的无症状感染者… comes before 当日转为确诊病例 (April 2022 on).
        if let (Some(i), Some(j)) = (
            a.iter().position(|c| is(c, M::AsymptomaticToConfirmed)),
            a.iter().position(|c| is(c, M::AsymptomaticReleased)),
        ) {
            a.swap(i, j);
        }
    }
    let dated: Vec<Clause> = v
        .day
        .corrections
        .iter()
        .filter(|c| c.refers_to.is_some() && c.delta.is_some())
        .filter(|c| c.measure == M::AsymptomaticUnderObservation)
        .cloned()
        .map(Clause::Correction)
        .collect();
    out.push(para(Section::Asymptomatic, vec![a, dated]));

    out.push(notified_paragraph(v, lay));
    out.push(notes_paragraph(v));
    attach_corrections(&mut out, &v.day.corrections);
    out
}

/// Hong Kong, Macao and Taiwan: their total, and each one's cases, discharged and deaths.
/// The total is the note's where the day states one, else the sum of the three when all three
/// are given (the total is their sum, and a facts file carries no notes).
fn notified_paragraph(v: &View, lay: &Layout) -> Paragraph {
    let mut hmt = Vec::new();
    let mut figures = Vec::new();
    for code in [RegionCode::HONG_KONG, RegionCode::MACAO, RegionCode::TAIWAN] {
        let r = RegionId::Code(code);
        if let Some(mut f) = v.bare(&r, All, M::ConfirmedCumulative) {
            f.within.extend(v.bare(&r, All, M::DischargedCumulative));
            f.within.extend(v.bare(&r, All, M::DeathsCumulative));
            figures.push(f);
        }
    }
    let sum =
        (figures.len() == 3 && lay.notified_total).then(|| figures.iter().map(|f| f.value).sum());
    if let Some(total) = notified_total(v.day).or(sum) {
        hmt.push(Clause::NotifiedTotal { value: total });
    }
    hmt.extend(figures.into_iter().map(Clause::Figure));
    para(Section::Notified, vec![hmt])
}

/// The notes that carry their own text (explanations, case descriptions, footnotes), and the
/// restatements of earlier days.
fn notes_paragraph(v: &View) -> Paragraph {
    let mut notes = Vec::new();
    for n in &v.day.notes {
        let kept = matches!(
            n.kind,
            NoteKind::Explanation | NoteKind::Footnote | NoteKind::CaseDescriptions
        );
        if kept && n.text.is_some() {
            notes.push(vec![Clause::Note(n.clone())]);
        }
    }
    let restated: Vec<Clause> = v
        .day
        .corrections
        .iter()
        .filter(|c| c.restated.is_some() && c.refers_to.is_some())
        .cloned()
        .map(Clause::Restatement)
        .collect();
    if !restated.is_empty() {
        notes.push(restated);
    }
    para(Section::Notes, notes)
}

/// The national bulletin of the first weeks (until 2020-02-11): every flow with its places in
/// the first paragraph, the totals, the close contacts, the notified cases. The Chinese writer
/// arranges these figures as each week's bulletins did.
fn early_national(v: &View, lay: &Layout) -> Vec<Paragraph> {
    let n = RegionId::NATION;
    let cov = |m: Measure| {
        v.get(&n, All, m)
            .map(|value| Clause::Coverage { measure: m, value })
    };
    let mut flows = Vec::new();
    flows.extend(cov(M::RegionsConfirmedNew));
    push(&mut flows, v.figure(&n, All, M::ConfirmedNew));
    flows.extend(
        v.day
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::FirstCases && n.region.is_some())
            .cloned()
            .map(Clause::Note),
    );
    push(&mut flows, v.figure(&n, All, M::SevereChange));
    push(&mut flows, v.figure(&n, All, M::DeathsNew));
    push(&mut flows, v.figure(&n, All, M::DischargedNew));
    flows.extend(cov(M::RegionsSuspectedNew));
    push(&mut flows, v.figure(&n, All, M::SuspectedNew));
    let mut rec = Vec::new();
    push(&mut rec, v.bare(&n, All, M::ContactsReleased));
    let mut totals = Vec::new();
    totals.extend(cov(M::RegionsConfirmedCumulative));
    push(&mut totals, v.figure(&n, All, M::ConfirmedCumulative));
    let mut current = v.bare(&n, All, M::ConfirmedCurrent);
    if let Some(c) = current.as_mut() {
        c.within.extend(v.bare(&n, All, M::SevereCurrent));
        totals.push(Clause::Figure(c.clone()));
    } else {
        push(&mut totals, v.bare(&n, All, M::SevereCurrent));
    }
    push(&mut totals, v.figure(&n, All, M::DeathsCumulative));
    push(&mut totals, v.figure(&n, All, M::DischargedCumulative));
    totals.extend(cov(M::RegionsSuspectedCumulative));
    push(&mut totals, v.figure(&n, All, M::SuspectedCumulative));
    push(&mut totals, v.bare(&n, All, M::SuspectedCurrent));
    totals.extend(cov(M::RegionsReporting));
    let mut contacts = Vec::new();
    push(&mut contacts, v.bare(&n, All, M::ContactsTracedCumulative));
    push(
        &mut contacts,
        v.bare(&n, All, M::ContactsReleasedCumulative),
    );
    push(&mut contacts, v.bare(&n, All, M::ContactsUnderObservation));
    let mut out = vec![
        para(Section::Flows, vec![flows]),
        para(Section::Recoveries, vec![rec]),
        para(Section::Totals, vec![totals]),
        para(Section::Contacts, vec![contacts]),
        notified_paragraph(v, lay),
        para(Section::Foreign, vec![foreign(v.day).into_iter().collect()]),
        notes_paragraph(v),
    ];
    attach_corrections(&mut out, &v.day.corrections);
    out
}

fn is(c: &Clause, m: Measure) -> bool {
    matches!(c, Clause::Figure(f) if f.measure == m)
}

/// The total of the confirmed cases notified by Hong Kong, Macao and Taiwan, where the day's
/// notes carry it.
fn notified_total(day: &Day) -> Option<Count> {
    day.notes
        .iter()
        .filter(|n| n.kind == NoteKind::NotifiedTotal)
        .flat_map(|n| &n.values)
        .find(|v| v.label == "hk_mo_tw:confirmed_cumulative")
        .map(|v| v.value)
}

/// Foreign notifications (January 2020), from the day's notes.
pub(crate) fn foreign(day: &Day) -> Option<Clause> {
    let note = day
        .notes
        .iter()
        .find(|n| n.kind == NoteKind::ForeignNotified)?;
    let mut countries: Vec<Country> = Vec::new();
    let mut total = None;
    for v in &note.values {
        let (name, what) = v.label.split_once(':').unwrap_or((v.label.as_str(), ""));
        if name == "total" {
            total = Some(v.value);
            continue;
        }
        match what {
            "discharged" => {
                if let Some(c) = countries.iter_mut().rev().find(|c| c.name == name) {
                    c.discharged = Some(v.value);
                }
            }
            _ => countries.push(Country {
                name: name.to_string(),
                confirmed: v.value,
                discharged: None,
            }),
        }
    }
    Some(Clause::Foreign { countries, total })
}

/// A province's own bulletin: its flows, its stocks, its asymptomatic infections, with the
/// places inside it.
fn provincial(v: &View, prev: Option<&View>, scope: &RegionId) -> Vec<Paragraph> {
    let r = scope;
    let mut flows = vec![Vec::new(); 3];
    // A province's figures are often given by origin only.
    let mut confirmed = v
        .split(r, M::ConfirmedNew)
        .or_else(|| origin_sum(v, r, M::ConfirmedNew));
    if let Some(c) = confirmed.as_mut() {
        for o in c.origins.iter_mut() {
            if let Some(k) = v.figure(r, o.origin, M::ConfirmedNewFromAsymptomatic) {
                o.within.push(k);
            }
        }
        if c.origins.is_empty() {
            if let Some(k) = v.figure(r, All, M::ConfirmedNewFromAsymptomatic) {
                c.within.push(k);
            }
        }
    }
    push(&mut flows[0], confirmed);
    push(
        &mut flows[1],
        v.split(r, M::DeathsNew)
            .or_else(|| origin_sum(v, r, M::DeathsNew)),
    );
    push(
        &mut flows[2],
        v.split(r, M::SuspectedNew)
            .or_else(|| origin_sum(v, r, M::SuspectedNew)),
    );
    let mut rec = Vec::new();
    push(
        &mut rec,
        v.split(r, M::DischargedNew)
            .or_else(|| origin_sum(v, r, M::DischargedNew)),
    );
    push(&mut rec, v.bare(r, All, M::ContactsReleased));
    push(&mut rec, severe_change(v, prev, r));
    let mut current = v.bare(r, All, M::ConfirmedCurrent);
    if let Some(c) = current.as_mut() {
        if let Some(s) = v.bare(r, All, M::SevereCurrent) {
            c.within.push(s);
        }
    }
    let mut t1 = Vec::new();
    push(&mut t1, current);
    push(&mut t1, v.figure(r, All, M::DischargedCumulative));
    push(&mut t1, v.figure(r, All, M::DeathsCumulative));
    push(&mut t1, v.figure(r, All, M::ConfirmedCumulative));
    push(&mut t1, v.bare(r, All, M::SuspectedCurrent));
    let mut t2 = Vec::new();
    push(&mut t2, v.bare(r, All, M::ContactsTracedCumulative));
    push(&mut t2, v.bare(r, All, M::ContactsUnderObservation));
    let mut a = Vec::new();
    for m in [
        M::AsymptomaticNew,
        M::AsymptomaticToConfirmed,
        M::AsymptomaticReleased,
        M::AsymptomaticUnderObservation,
    ] {
        push(&mut a, v.split(r, m).or_else(|| origin_sum(v, r, m)));
    }
    let mut out = vec![
        para(Section::Flows, flows),
        para(Section::Recoveries, vec![rec]),
        para(Section::Totals, vec![t1, t2]),
        para(Section::Asymptomatic, vec![a]),
    ];
    attach_corrections(&mut out, &v.day.corrections);
    out
}

/// A province's figure of all origins as the sum of its imported and local figures, where the
/// ledger has only those (the national bulletin lists provinces by origin).
fn origin_sum(v: &View, r: &RegionId, m: Measure) -> Option<Figure> {
    let parts: Vec<Figure> = [Imported, Local]
        .into_iter()
        .filter_map(|o| v.figure(r, o, m))
        .collect();
    if parts.is_empty() {
        return None;
    }
    // Where only one origin is stated, the other is absent (not zero) and the total is that
    // origin's figure.
    let mut f = Figure::new(r.clone(), All, m, parts.iter().map(|p| p.value).sum());
    f.origins = parts;
    Some(f)
}

/// Hubei's paragraph (2020-02-12 … 2020-04-30): its flows and stocks, with Wuhan's.
fn hubei_paragraph(v: &View) -> Paragraph {
    let hubei = RegionId::Code(RegionCode::HUBEI);
    let wuhan = RegionId::Code(RegionCode::WUHAN);
    let hb = |m: Measure| {
        let mut f = v.bare(&hubei, All, m)?;
        if let Some(w) = v.bare(&wuhan, All, m) {
            f.regions.push(w);
        }
        // Hubei's other places, where the day names them (仙桃等4市, 2020-02-19).
        f.regions.extend(
            v.places(&hubei, All, m)
                .into_iter()
                .filter(|r| r.region != wuhan),
        );
        for o in [Imported, Local] {
            f.origins.extend(v.bare(&hubei, o, m));
        }
        Some(f)
    };
    let mut h1 = Vec::new();
    push(&mut h1, hb(M::ConfirmedNew));
    push(&mut h1, hb(M::DischargedNew));
    push(&mut h1, hb(M::DeathsNew));
    push(&mut h1, hb(M::ConfirmedCurrent));
    push(&mut h1, hb(M::SevereCurrent));
    let mut h2 = Vec::new();
    push(&mut h2, hb(M::DischargedCumulative));
    push(&mut h2, hb(M::DeathsCumulative));
    push(&mut h2, hb(M::ConfirmedCumulative));
    let mut h3 = Vec::new();
    push(&mut h3, hb(M::SuspectedNew));
    push(&mut h3, hb(M::SuspectedCurrent));
    para(Section::Hubei, vec![h1, h2, h3])
}
