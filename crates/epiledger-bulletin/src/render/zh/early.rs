//! The Chinese bulletin of the first weeks (until 2020-02-11), whose form changed every few
//! days: the flows with their places in one sentence, the totals, the close contacts.

use epiledger_core::{CorrectionKind, Count, Measure, Origin, RegionCode};

use super::super::document::{Bulletin, Clause, Figure, Paragraph, Section};
use super::super::lists::{full_zh, short_zh};
use super::super::periods::EarlyForm;
use super::{figures, li, Zh};

use Measure as M;

/// `30个省（区、市）`.
fn provinces(n: Count) -> String {
    format!("{n}个省（区、市）")
}

fn find(p: &Paragraph, m: Measure) -> Option<&Figure> {
    p.sentences
        .iter()
        .flat_map(|s| figures(s))
        .find(|f| f.measure == m && f.origin == Origin::All)
}

fn coverage(p: &Paragraph, m: Measure) -> Option<Count> {
    p.sentences.iter().flatten().find_map(|c| match c {
        Clause::Coverage { measure, value } if *measure == m => Some(*value),
        _ => None,
    })
}

impl Zh {
    /// Who reports: `31个省（自治区、直辖市）和新疆生产建设兵团` or `30个省（区、市）`.
    fn early_units(&self, p: &Paragraph, m: Measure) -> String {
        match (self.st.early_form, coverage(p, m)) {
            (EarlyForm::A, Some(n)) => provinces(n),
            _ => super::UNITS.to_string(),
        }
    }

    /// A province's name in an early list: 湖北省 or 湖北.
    fn early_name(&self, f: &Figure) -> String {
        let inside = !self.scope.is_nation() && !f.region.code().is_province_level();
        if inside
            || self.st.early_full_names
            || (self.st.xpcc_full && f.region.code() == RegionCode::XPCC)
        {
            full_zh(&f.region)
        } else {
            short_zh(&f.region)
        }
    }

    /// The places of an early figure: （湖北省45例）, （湖北81例，黑龙江2例，北京、河南、甘肃各1例）.
    pub(super) fn early_places(&self, f: &Figure, group: bool) -> String {
        if f.regions.is_empty() {
            return String::new();
        }
        let mut items: Vec<String> = Vec::new();
        let mut ones: Vec<String> = Vec::new();
        let flush = |ones: &mut Vec<String>, items: &mut Vec<String>| match ones.len() {
            0 => {}
            1 => items.push(format!("{}1例", ones[0])),
            _ => items.push(format!("{}各1例", ones.join("、"))),
        };
        for r in &f.regions {
            if group && r.value == 1 {
                ones.push(self.early_name(r));
                continue;
            }
            flush(&mut ones, &mut items);
            ones.clear();
            items.push(format!("{}{}", self.early_name(r), li(r.value)));
        }
        flush(&mut ones, &mut items);
        format!("（{}）", items.join(self.st.early_list_separator))
    }

    /// The first paragraph of the early bulletins.
    pub(super) fn early_flows(&self, p: &Paragraph) -> String {
        let form = self.st.early_form;
        let group = self.st.group_deaths;
        let mut parts = Vec::new();
        let first_cases: Vec<String> = p
            .sentences
            .iter()
            .flatten()
            .filter_map(|c| match c {
                Clause::Note(n) => n.region.as_ref().map(short_zh),
                _ => None,
            })
            .map(|name| format!("（{name}首例确诊病例）"))
            .collect();
        for f in p.sentences.iter().flat_map(|s| figures(s)) {
            let places = self.early_places(f, group && f.measure == M::DeathsNew);
            parts.push(match f.measure {
                M::ConfirmedNew => {
                    format!(
                        "新增确诊病例{}{places}{}",
                        li(f.value),
                        first_cases.concat()
                    )
                }
                M::SevereChange if f.value >= 0 => format!("新增重症病例{}{places}", li(f.value)),
                M::SevereChange => format!("重症病例减少{}", li(-f.value)),
                M::DeathsNew => format!("新增死亡病例{}{places}", li(f.value)),
                M::DischargedNew if matches!(form, EarlyForm::A | EarlyForm::B) => {
                    format!("新增治愈出院病例{}{places}", li(f.value))
                }
                // 9个省（区、市）报告新增疑似病例27例, where the regions are counted apart from
                // those of the new confirmed cases (2020-01-20 … 2020-01-24).
                M::SuspectedNew => match coverage(p, M::RegionsSuspectedNew) {
                    Some(n) if form == EarlyForm::A => {
                        format!("{}报告新增疑似病例{}{places}", provinces(n), li(f.value))
                    }
                    _ => format!("新增疑似病例{}{places}", li(f.value)),
                },
                not_in_new_cases!() => continue,
            });
        }
        if parts.is_empty() {
            return String::new();
        }
        let dash = if self.st.early_hyphen { "-" } else { "—" };
        let comma = if form == EarlyForm::D { "，" } else { "" };
        format!(
            "{}0{dash}24时，{}报告{comma}{}。",
            self.md(),
            self.early_units(p, M::RegionsConfirmedNew),
            parts.join("，")
        )
    }

    /// 当日新增治愈出院病例632例（湖北356例），解除医学观察的密切接触者29307人。
    pub(super) fn early_recoveries(&self, p: &Paragraph, flows: Option<&Paragraph>) -> String {
        if self.st.early_form != EarlyForm::D {
            return String::new();
        }
        let mut parts = Vec::new();
        if let Some(f) = flows.and_then(|fl| find(fl, M::DischargedNew)) {
            let word = if self.st.early_discharged_bare {
                "当日新增治愈出院"
            } else {
                "当日新增治愈出院病例"
            };
            parts.push(format!(
                "{word}{}{}",
                li(f.value),
                self.early_places(f, false)
            ));
        }
        if let Some(f) = find(p, M::ContactsReleased) {
            parts.push(format!("解除医学观察的密切接触者{}人", f.value));
        }
        if parts.is_empty() {
            return String::new();
        }
        format!("{}。", parts.join("，"))
    }

    /// Corrections beside an early figure: （江西省、陕西省、甘肃省各核减1例）.
    fn early_corrections(&self, f: &Figure) -> String {
        let mut items: Vec<(Vec<String>, CorrectionKind, Count)> = Vec::new();
        for c in f.corrections.iter().filter(|c| c.delta.is_some()) {
            let name = if self.st.early_full_names_in_corrections {
                full_zh(&c.region)
            } else {
                short_zh(&c.region)
            };
            let d = c.delta.unwrap_or(0);
            match items.last_mut() {
                Some((names, k, v)) if *k == c.kind && *v == d => names.push(name),
                _ => items.push((vec![name], c.kind, d)),
            }
        }
        if items.is_empty() {
            return String::new();
        }
        let text: Vec<String> = items
            .into_iter()
            .map(|(names, kind, d)| {
                let word = if kind == CorrectionKind::Increase {
                    "核增"
                } else {
                    "核减"
                };
                let each = if names.len() > 1 { "各" } else { "" };
                format!("{}{each}{word}{}", names.join("、"), li(d.abs()))
            })
            .collect();
        format!("（{}）", text.join("，"))
    }

    /// The totals of the early bulletins, and their close contacts.
    pub(super) fn early_totals(
        &self,
        p: &Paragraph,
        contacts: Option<&Paragraph>,
        rec: Option<&Paragraph>,
    ) -> String {
        let form = self.st.early_form;
        let get = |m: Measure| find(p, m);
        let c = |m: Measure| contacts.and_then(|c| find(c, m));
        let mut out = String::new();
        match form {
            EarlyForm::None | EarlyForm::A | EarlyForm::B => {
                let mut parts = Vec::new();
                if let Some(f) = get(M::ConfirmedCumulative) {
                    parts.push(format!(
                        "累计报告确诊病例{}{}{}",
                        li(f.value),
                        self.early_places(f, false),
                        self.early_corrections(f)
                    ));
                }
                if let Some(f) = get(M::SevereCurrent) {
                    parts.push(format!("现有重症病例{}", li(f.value)));
                }
                if let Some(f) = get(M::DeathsCumulative) {
                    parts.push(format!(
                        "累计死亡病例{}{}",
                        li(f.value),
                        self.early_places(f, false)
                    ));
                }
                if let Some(f) = get(M::DischargedCumulative) {
                    let word = if form == EarlyForm::A {
                        "累计治愈出院"
                    } else {
                        "累计治愈出院病例"
                    };
                    parts.push(format!(
                        "{word}{}{}",
                        li(f.value),
                        self.early_corrections(f)
                    ));
                }
                // 14个省（区、市）累计报告疑似病例54例（…） (2020-01-20 … 2020-01-24).
                if let Some(f) = get(M::SuspectedCumulative) {
                    let units = coverage(p, M::RegionsSuspectedCumulative)
                        .map(provinces)
                        .unwrap_or_default();
                    parts.push(format!(
                        "{units}累计报告疑似病例{}{}",
                        li(f.value),
                        self.early_places(f, false)
                    ));
                }
                let mut text = parts.join("，");
                if let Some(f) = get(M::SuspectedCurrent) {
                    let (sep, word) = match (form, self.st.early_gongyou) {
                        (EarlyForm::A, _) => ("。", "现有"),
                        (_, true) => ("，", "共有"),
                        _ => ("，", "现有"),
                    };
                    text.push_str(&format!("{sep}{word}疑似病例{}", li(f.value)));
                }
                out.push_str(&format!(
                    "截至{}24时，国家卫生健康委收到{}{}。",
                    self.md(),
                    self.early_units(p, M::RegionsConfirmedCumulative),
                    text
                ));
                // 全国共有25个省（区、市）报告疫情 (2020-01-22 … 2020-01-24).
                if let Some(n) = coverage(p, M::RegionsReporting) {
                    out.push_str(&format!("全国共有{}报告疫情。", provinces(n)));
                }
                let mut cparts = Vec::new();
                if let Some(f) = c(M::ContactsTracedCumulative) {
                    cparts.push(format!(
                        "目前累计追踪到密切接触者{}人{}",
                        f.value,
                        self.early_corrections(f)
                    ));
                }
                if let Some(f) = rec.and_then(|r| find(r, M::ContactsReleased)) {
                    cparts.push(format!("当日解除医学观察{}人", f.value));
                }
                // 已解除医学观察817人 (2020-01-20 … 2020-01-24).
                if let Some(f) = c(M::ContactsReleasedCumulative) {
                    cparts.push(format!("已解除医学观察{}人", f.value));
                }
                if let Some(f) = c(M::ContactsUnderObservation) {
                    let word = if self.st.early_gongyou {
                        "共有"
                    } else {
                        "现有"
                    };
                    cparts.push(format!("{word}{}人正在接受医学观察", f.value));
                }
                if !cparts.is_empty() {
                    out.push('\n');
                    out.push_str(&cparts.join("，"));
                    out.push('。');
                }
            }
            EarlyForm::C => {
                let mut parts = Vec::new();
                if let Some(f) = get(M::ConfirmedCumulative) {
                    parts.push(format!(
                        "累计报告确诊病例{}{}",
                        li(f.value),
                        self.early_corrections(f)
                    ));
                }
                if let Some(f) = get(M::DischargedCumulative) {
                    parts.push(format!("累计治愈出院{}", li(f.value)));
                }
                if let Some(f) = get(M::ConfirmedCurrent) {
                    parts.push(format!(
                        "{}{}{}",
                        self.st.early_current_word,
                        li(f.value),
                        self.severe_within(f)
                    ));
                }
                if let Some(f) = get(M::DeathsCumulative) {
                    parts.push(format!("累计死亡病例{}", li(f.value)));
                }
                if let Some(f) = get(M::SuspectedCurrent) {
                    parts.push(format!("现有疑似病例{}", li(f.value)));
                }
                out.push_str(&format!(
                    "截至{}24时，{}{}。{}",
                    self.md(),
                    super::UNITS,
                    parts.join("，"),
                    self.contacts_sentence(contacts)
                ));
            }
            EarlyForm::D => {
                let bare = self.st.early_totals_bare;
                let mut parts = Vec::new();
                if let Some(f) = get(M::ConfirmedCurrent) {
                    parts.push(format!(
                        "现有确诊病例{}{}",
                        li(f.value),
                        self.severe_within(f)
                    ));
                }
                if let Some(f) = get(M::DischargedCumulative) {
                    let w = if bare {
                        "累计治愈出院"
                    } else {
                        "累计治愈出院病例"
                    };
                    parts.push(format!("{w}{}{}", li(f.value), self.early_corrections(f)));
                }
                if let Some(f) = get(M::DeathsCumulative) {
                    let w = if bare {
                        "累计死亡"
                    } else {
                        "累计死亡病例"
                    };
                    parts.push(format!("{w}{}{}", li(f.value), self.early_corrections(f)));
                }
                if let Some(f) = get(M::ConfirmedCumulative) {
                    parts.push(format!(
                        "累计报告确诊病例{}{}",
                        li(f.value),
                        self.early_corrections(f)
                    ));
                }
                if let Some(f) = get(M::SuspectedCurrent) {
                    parts.push(format!("现有疑似病例{}", li(f.value)));
                }
                let lead = if bare {
                    format!("{}累计报告，", super::UNITS)
                } else {
                    format!("据{}报告，", super::UNITS)
                };
                out.push_str(&format!(
                    "截至{}24时，{lead}{}。{}",
                    self.md(),
                    parts.join("，"),
                    self.contacts_sentence(contacts)
                ));
            }
        }
        out
    }

    /// 累计追踪到密切接触者282813人，尚在医学观察的密切接触者186354人。
    fn contacts_sentence(&self, contacts: Option<&Paragraph>) -> String {
        let c = |m: Measure| contacts.and_then(|c| find(c, m));
        let mut parts = Vec::new();
        if let Some(f) = c(M::ContactsTracedCumulative) {
            parts.push(format!("累计追踪到密切接触者{}人", f.value));
        }
        if let Some(f) = c(M::ContactsUnderObservation) {
            parts.push(format!("尚在医学观察的密切接触者{}人", f.value));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("{}。", parts.join("，"))
        }
    }

    /// The early bulletin's lines before the notified cases.
    pub(super) fn early_lines(&self, b: &Bulletin) -> Vec<String> {
        let flows = b.paragraph(Section::Flows);
        let rec = b.paragraph(Section::Recoveries);
        let totals = b.paragraph(Section::Totals);
        let contacts = b.paragraph(Section::Contacts);
        let mut out = Vec::new();
        match self.st.early_form {
            EarlyForm::C => out.extend(flows.map(|f| self.early_flows_c(f, rec))),
            _ => out.extend(flows.map(|f| self.early_flows(f))),
        }
        if let Some(r) = rec {
            out.push(self.early_recoveries(r, flows));
        }
        if let Some(t) = totals {
            out.push(self.early_totals(t, contacts, rec));
        }
        out.retain(|l| !l.is_empty());
        out
    }

    /// 另外，累计收到国外通报确诊病例：泰国4例（2例已治愈），日本2例（1例已治愈），…
    pub(super) fn foreign(&self, p: &Paragraph) -> String {
        let Some(Clause::Foreign { countries, total }) = p.sentences.iter().flatten().next() else {
            return String::new();
        };
        let items: Vec<String> = countries
            .iter()
            .map(|c| match c.discharged {
                Some(d) => format!("{}{}（{d}例已治愈）", c.name, li(c.confirmed)),
                None => format!("{}{}", c.name, li(c.confirmed)),
            })
            .collect();
        format!(
            "另外，累计收到国外通报确诊病例{}：{}。",
            total.map(li).unwrap_or_default(),
            items.join("，")
        )
    }

    /// The first paragraph of 2020-02-05 and 2020-02-06: the new cases, the discharges and the
    /// contacts released, then the severe cases, deaths and suspected cases.
    pub(super) fn early_flows_c(&self, p: &Paragraph, rec: Option<&Paragraph>) -> String {
        let get = |m: Measure| find(p, m);
        let mut first = Vec::new();
        if let Some(f) = get(M::ConfirmedNew) {
            first.push(format!(
                "新增确诊病例{}{}",
                li(f.value),
                self.early_places(f, false)
            ));
        }
        if let Some(f) = get(M::DischargedNew) {
            first.push(format!(
                "新增治愈出院病例{}{}",
                li(f.value),
                self.early_places(f, false)
            ));
        }
        if let Some(f) = rec.and_then(|r| find(r, M::ContactsReleased)) {
            first.push(format!("当日解除医学观察的密切接触者{}人", f.value));
        }
        let mut second = Vec::new();
        if let Some(f) = get(M::SevereChange) {
            second.push(format!(
                "新增重症病例{}{}",
                li(f.value),
                self.early_places(f, false)
            ));
        }
        if let Some(f) = get(M::DeathsNew) {
            second.push(format!(
                "新增死亡病例{}{}",
                li(f.value),
                self.early_places(f, false)
            ));
        }
        if let Some(f) = get(M::SuspectedNew) {
            second.push(format!(
                "新增疑似病例{}{}",
                li(f.value),
                self.early_places(f, false)
            ));
        }
        format!(
            "{}0—24时，{}报告{}。{}。",
            self.md(),
            super::UNITS,
            first.join("，"),
            second.join("，")
        )
    }
}
