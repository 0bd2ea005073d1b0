//! The Chinese bulletin, in the NHC's own words and punctuation of each period.

use epiledger_core::{
    Correction, CorrectionKind, Count, Date, Measure, NoteKind, Origin, RegionCode, RegionId,
};

use super::document::{Bulletin, Clause, Figure, Paragraph, Section};
use super::lists::{full_zh, short_zh};
use super::periods::{layout, style, EarlyForm, SinglePlace, Style};
use crate::phrasing::{
    AllImported, HeaderYear, Phrasing, SevereUnchanged, SevereVs, Slot, FOOTNOTE_PREFIXES,
};

mod early;

use Measure as M;
use Origin::{All, Imported, Local};

/// The 32 reporting units, as the bulletins name them.
const UNITS: &str = "31个省（自治区、直辖市）和新疆生产建设兵团";

/// The Chinese text of a bulletin: one paragraph a line.
pub fn write(b: &Bulletin) -> String {
    let lay = layout(b.date);
    let mut st = style(b.date);
    apply(&b.phrasing, &mut st);
    let footnotes = Footnotes::collect(b, &st);
    let w = Zh {
        footnotes,
        released_listed: lay.released_before_reclassified,
        totals_current_first: lay.totals_current_first,
        st,
        date: b.date,
        scope: b.scope.clone(),
        phrasing: b.phrasing.clone(),
    };
    let early = w.st.early_form != EarlyForm::None;
    let mut lines: Vec<String> = if early { w.early_lines(b) } else { Vec::new() };
    lines.extend(
        b.paragraphs
            .iter()
            .filter(|p| {
                !early
                    || !matches!(
                        p.section,
                        Section::Flows | Section::Recoveries | Section::Totals | Section::Contacts
                    )
            })
            .map(|p| w.paragraph(p))
            .filter(|l| !l.is_empty()),
    );
    let stop = b.phrasing.get(Slot::FootnoteStop).map(|v| v == 1);
    let notes = w.footnotes.text(&w.st, stop);
    if !notes.is_empty() {
        lines.push(notes);
    }
    lines.join("\n")
}

/// The period's conventions with the day's recorded phrasing applied.
pub fn apply(p: &Phrasing, st: &mut Style) {
    if let Some(v) = p.get(Slot::SinglePlace) {
        st.single_place = match v {
            0 => SinglePlace::Count,
            1 => SinglePlace::Zai,
            _ => SinglePlace::ZaiAlways,
        };
    }
    if let Some(v) = p.get(Slot::DeathsSinglePlace) {
        st.deaths_single_place = match v {
            0 => SinglePlace::Count,
            1 => SinglePlace::Zai,
            _ => SinglePlace::ZaiAlways,
        };
    }
    if let Some(v) = p.get(Slot::FootnoteCorrections) {
        st.footnote_corrections = v == 1;
    }
    if let Some(v) = p.get(Slot::SevereUnchanged) {
        st.severe_unchanged_wubianhua = v == SevereUnchanged::WuBianhua as Count;
    }
    if let Some(v) = p.get(Slot::AsymptomaticAllImported) {
        st.asymptomatic_all_imported_count = v == AllImported::Count as Count;
    }
    if let Some(v) = p.get(Slot::PlaceAfterComma) {
        st.place_after_comma = v == 1;
    }
    if let Some(v) = p.get(Slot::TotalsSevereZero) {
        st.totals_severe_zero_count = v == 1;
    }
    if let Some(v) = p.get(Slot::SuspectedOriginWords) {
        st.suspected_origin_words = v == 1;
    }
    if let Some(v) = p.get(Slot::FootnotePrefix) {
        st.footnote_prefix = usize::try_from(v)
            .ok()
            .and_then(|i| FOOTNOTE_PREFIXES.get(i))
            .copied()
            .unwrap_or(st.footnote_prefix);
    }
    if let Some(v) = p.get(Slot::AsymptomaticStockSentence) {
        st.asymptomatic_stock_sentence = v == 1;
    }
}

/// A change of a figure stated only in a closing note: （注：累计确诊病例数订正增加12例。）
fn is_noted(c: &Correction) -> bool {
    c.kind == CorrectionKind::Revise && c.reason.is_none() && c.refers_to.is_none()
}

/// The footnotes of a bulletin (备注：*吉林核增1例) and the stars that refer to them.
#[derive(Debug, Default)]
struct Footnotes {
    /// The footnotes' bodies, in order; the nth is marked with n stars.
    bodies: Vec<String>,
    /// The figures marked: (region, origin, measure, value) and their stars.
    marks: Vec<((RegionId, Origin, Measure, Count), usize)>,
    /// Closing notes of changes: （注：累计确诊病例数订正增加12例。）
    closing: Vec<String>,
}

impl Footnotes {
    /// The corrections that the bulletin states as footnotes: restated figures always, changes
    /// in the periods that footnote them.
    fn collect(b: &Bulletin, st: &Style) -> Footnotes {
        let mut out = Footnotes::default();
        // Whether the day's footnote lines are kept (a ledger parsed from the texts).
        let noted = b.paragraphs.iter().any(|p| {
            p.sentences.iter().flatten().any(|c| {
                matches!(c, Clause::Note(n) if n.kind == NoteKind::Footnote && n.text.is_some())
            })
        });
        for f in b.figures() {
            for c in &f.corrections {
                if let (true, Some(d)) = (is_noted(c), c.delta) {
                    let word = if d < 0 { "减少" } else { "增加" };
                    out.closing.push(format!(
                        "（注：{}数订正{word}{}。）",
                        f.measure.zh(),
                        li(d.abs())
                    ));
                    continue;
                }
                // A local revision whose footnote line is kept whole (*香港4月21日对出院数据
                //进行订正，…): the star only, the line is the note's; without the note's words
                // (the shipped history keeps none), the revision in our words.
                if c.reason.as_deref() == Some("当地对数据进行订正") {
                    let key = (f.region.clone(), f.origin, f.measure, f.value);
                    if !out.marks.iter().any(|(k, _)| *k == key) {
                        if noted {
                            out.marks.push((key, 1));
                        } else {
                            let what = match f.measure {
                                M::DischargedCumulative => "出院",
                                M::DeathsCumulative => "死亡",
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
                                | M::ConfirmedCurrent
                                | M::SevereCurrent
                                | M::SuspectedCurrent
                                | M::ContactsUnderObservation
                                | M::AsymptomaticUnderObservation
                                | M::ConfirmedCumulative
                                | M::SuspectedCumulative
                                | M::ContactsReleasedCumulative
                                | M::ContactsTracedCumulative
                                | M::RegionsReporting
                                | M::RegionsConfirmedNew
                                | M::RegionsSuspectedNew
                                | M::RegionsConfirmedCumulative
                                | M::RegionsSuspectedCumulative => "确诊",
                            };
                            out.bodies
                                .push(format!("{}对{what}数据进行订正", short_zh(&f.region)));
                            out.marks.push((key, out.bodies.len()));
                        }
                    }
                    continue;
                }
                let body = match c.delta {
                    // A restated figure: the footnote's words, where the ledger keeps them.
                    None if c.restated.is_some() => match c.reason.as_deref() {
                        Some(r) if r.contains("订正后") || r.contains("更正后") => {
                            r.to_string()
                        }
                        _ => "订正后数据".to_string(),
                    },
                    // A change with the figure restated: *核减1例当日解除医学观察的无症状感染者，
                    // 即8月2日当日解除医学观察的无症状感染者为13例 (2021-08-02).
                    Some(d) if c.restated.is_some() => {
                        let word = if d < 0 { "核减" } else { "核增" };
                        let label = match f.measure {
                            M::AsymptomaticReleased => "当日解除医学观察的无症状感染者",
                            m => m.zh(),
                        };
                        format!(
                            "{word}{}{label}，即{}月{}日{label}为{}",
                            li(d.abs()),
                            b.date.month(),
                            b.date.day(),
                            li(c.restated.unwrap_or(0))
                        )
                    }
                    Some(d) if st.footnote_corrections => {
                        let who = if c.region.is_nation() {
                            String::new()
                        } else {
                            short_zh(&c.region)
                        };
                        let word = if d < 0 { "核减" } else { "核增" };
                        let wei = if st.footnote_wei { "为" } else { "" };
                        format!("{wei}{who}{word}{}", li(d.abs()))
                    }
                    _ => continue,
                };
                let n = match out.bodies.iter().position(|b| *b == body) {
                    Some(i) => i + 1,
                    None => {
                        out.bodies.push(body);
                        out.bodies.len()
                    }
                };
                let key = (f.region.clone(), f.origin, f.measure, f.value);
                if !out.marks.iter().any(|(k, _)| *k == key) {
                    out.marks.push((key, n));
                }
            }
        }
        out
    }

    /// The stars of a figure, if it is marked.
    fn stars(&self, f: &Figure) -> String {
        let key = (f.region.clone(), f.origin, f.measure, f.value);
        self.marks
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, n)| "*".repeat(*n))
            .unwrap_or_default()
    }

    /// The footnote line: 备注：*吉林核增1例；**吉林核减1例.
    fn text(&self, st: &Style, stop: Option<bool>) -> String {
        if self.bodies.is_empty() {
            return self.closing.concat();
        }
        let items: Vec<String> = self
            .bodies
            .iter()
            .enumerate()
            .map(|(i, b)| format!("{}{b}", "*".repeat(i + 1)))
            .collect();
        let end = if stop.unwrap_or(st.footnote_wei) {
            "。"
        } else {
            ""
        };
        format!(
            "{}{}{end}",
            st.footnote_prefix,
            items.join(st.footnote_separator)
        )
    }
}

struct Zh {
    st: Style,
    /// The footnotes and their stars.
    footnotes: Footnotes,
    /// The released asymptomatic infections are listed by place, in a sentence of their own.
    released_listed: bool,
    /// The totals name the stocks first (2020-03-29 … 2020-04-01).
    totals_current_first: bool,
    date: Date,
    scope: RegionId,
    /// How the source worded the day where it left the conventions.
    phrasing: Phrasing,
}

/// `N例`.
fn li(n: Count) -> String {
    format!("{n}例")
}

fn figures(s: &[Clause]) -> impl Iterator<Item = &Figure> {
    s.iter().filter_map(|c| match c {
        Clause::Figure(f) => Some(f),
        _ => None,
    })
}

impl Zh {
    fn md(&self) -> String {
        let year = if self.phrasing.get(Slot::HeaderYear) == Some(HeaderYear::Stated as Count) {
            format!("{}年", self.date.year())
        } else {
            String::new()
        };
        format!("{year}{}月{}日", self.date.month(), self.date.day())
    }

    /// The subject of the national sentences, or the province's name.
    fn units(&self) -> String {
        if self.scope.is_nation() {
            UNITS.to_string()
        } else {
            full_zh(&self.scope)
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
            Section::Contacts => String::new(),
            Section::Notes => self.notes(p),
        }
    }

    // ---- the flows ----

    fn flows(&self, p: &Paragraph) -> String {
        let mut out = String::new();
        let mut after: Option<&'static str> = None;
        for s in &p.sentences {
            for f in figures(s) {
                let text = match f.measure {
                    M::ConfirmedNew => self.new_cases(f, "新增确诊病例"),
                    M::DeathsNew => self.new_cases(f, "新增死亡病例"),
                    M::SuspectedNew => self.new_cases(f, "新增疑似病例"),
                    M::SevereChange if self.st.severe_rise_xinzeng && f.value >= 0 => {
                        format!("新增重症病例{}", li(f.value))
                    }
                    M::SevereChange if self.phrasing.get(Slot::SevereChangeOmitted) == Some(1) => {
                        continue
                    }
                    M::SevereChange => self.severe_change(f),
                    not_in_new_cases!() => continue,
                };
                if let Some(sep) = after {
                    out.push_str(sep);
                }
                out.push_str(&text);
                after = Some(self.flows_separator(f));
            }
        }
        format!("{}0—24时，{}报告{out}。", self.md(), self.units())
    }

    /// What follows a part of the flows: ， (early 2020), ； (2020-03-24 … 2021-08-31), or from
    /// September 2021 。 after a sentence with parts of its own (two origins, cases
    /// reclassified from asymptomatic infections) or a zero, ； after a simple one.
    fn flows_separator(&self, f: &Figure) -> &'static str {
        if self.st.flows_half_width_comma && f.measure == M::ConfirmedNew {
            return ",";
        }
        if self.st.flows_comma {
            return "，";
        }
        if !self.st.flows_sentences {
            return "；";
        }
        let stated = f.origins.iter().filter(|o| o.value > 0).count();
        let reclassified = f.origins.iter().any(|o| {
            o.within(M::ConfirmedNewFromAsymptomatic)
                .is_some_and(|k| k.value > 0)
        });
        if f.value == 0 || stated > 1 || reclassified {
            "。"
        } else {
            "；"
        }
    }

    /// 新增确诊病例27例，其中境外输入病例4例（广东3例，上海1例），本土病例23例（…）.
    fn new_cases(&self, f: &Figure, label: &str) -> String {
        if f.value == 0 {
            return format!("无{label}");
        }
        let mut s = format!("{label}{}", self.count(f));
        if let Some(k) = f.within(M::ConfirmedNewClinical) {
            s.push_str(&format!("（含湖北临床诊断病例{}）", li(k.value)));
        }
        let imported = f.origin(Imported);
        let local = f.origin(Local);
        fn stated(o: Option<&Figure>) -> Option<&Figure> {
            o.filter(|o| o.value > 0)
        }
        match (stated(imported), stated(local)) {
            (Some(i), Some(l)) => {
                if self.st.origin_number_first {
                    let (a, b) = if self.st.origin_larger_first && l.value > i.value {
                        (l, i)
                    } else {
                        (i, l)
                    };
                    s.push_str(&format!(
                        "，其中{}例为{}{}，{}例为{}{}",
                        a.value,
                        self.origin_word(a, label),
                        self.places(a),
                        b.value,
                        self.origin_word(b, label),
                        self.places(b)
                    ));
                } else {
                    let lead = if self.st.flows_sentences && f.measure == M::ConfirmedNew {
                        "。其中"
                    } else {
                        "，其中"
                    };
                    let mid = if self.st.flows_sentences && f.measure == M::ConfirmedNew {
                        "；"
                    } else {
                        "，"
                    };
                    s.push_str(&format!(
                        "{lead}{}{}{}{}{mid}{}{}{}{}",
                        self.origin_word(i, label),
                        self.marked(i),
                        self.places(i),
                        self.reclassified(i),
                        self.origin_word(l, label),
                        self.marked(l),
                        self.places(l),
                        self.reclassified(l),
                    ));
                }
            }
            (Some(one), None) | (None, Some(one)) => {
                let wei = self
                    .phrasing
                    .get_for(Slot::AllAreWei, f.measure)
                    .or(self.phrasing.get(Slot::AllAreWei))
                    == Some(1);
                let all = if one.value == 1 || wei {
                    "为"
                } else {
                    "均为"
                };
                let deaths = f.measure == M::DeathsNew && self.st.deaths_place_after_comma;
                let places = if deaths {
                    self.places_with(one, true, self.st.deaths_single_place)
                } else {
                    self.places(one)
                };
                s.push_str(&format!(
                    "，{all}{}{places}{}",
                    self.origin_word(one, label),
                    self.reclassified(one),
                ));
            }
            (None, None) if self.st.group_deaths && f.measure == M::DeathsNew => {
                s.push_str(&self.early_places(f, true))
            }
            (None, None) => s.push_str(&self.places_in(f, true)),
        }
        s
    }

    /// 境外输入病例 / 本土病例 (境外输入疑似病例 in April 2020).
    fn origin_word(&self, f: &Figure, label: &str) -> &'static str {
        let suspected = self.st.suspected_origin_words && label == "新增疑似病例";
        match (f.origin, suspected) {
            (Imported, false) => "境外输入病例",
            (Local, false) => "本土病例",
            (Imported, true) => "境外输入疑似病例",
            (Local, true) => "本土疑似病例",
            (All, _) => "",
        }
    }

    /// ，含1例由无症状感染者转为确诊病例（在广东）.
    fn reclassified(&self, f: &Figure) -> String {
        match f.within(M::ConfirmedNewFromAsymptomatic) {
            Some(k) if k.value > 0 => format!(
                "，含{}由无症状感染者转为确诊病例{}",
                self.marked(k),
                self.places(k)
            ),
            _ => String::new(),
        }
    }

    /// The places of a figure in parentheses: （广东3例，上海1例）, （均在北京）, （在上海）.
    fn places(&self, f: &Figure) -> String {
        let comma = self
            .phrasing
            .get_for(Slot::PlaceAfterComma, f.measure)
            .map_or(self.st.place_after_comma, |v| v == 1);
        self.places_in(f, comma)
    }

    /// The places of a figure; one place after a comma (，在北京) when `comma`.
    fn places_in(&self, f: &Figure, comma: bool) -> String {
        self.places_with(f, comma, self.st.single_place)
    }

    /// The places of a figure, with the form of one place given.
    fn places_with(&self, f: &Figure, comma: bool, single: SinglePlace) -> String {
        match f.regions.as_slice() {
            [] => String::new(),
            [only] if only.value == f.value && single != SinglePlace::Count => {
                let all = match single {
                    SinglePlace::ZaiAlways => "在",
                    _ if f.value == 1 => "在",
                    _ => "均在",
                };
                let inner = format!("{all}{}", self.place_path(only));
                if comma {
                    format!("，{inner}")
                } else {
                    format!("（{inner}）")
                }
            }
            list => format!("（{}）", self.place_list(list)),
        }
    }

    /// 云南德宏傣族景颇族自治州, 天津津南区: a province and its one area; 福建，其中莆田市19例、…:
    /// a province and its areas.
    fn place_path(&self, f: &Figure) -> String {
        match f.regions.as_slice() {
            [only] if only.value == f.value && f.region.code() == RegionCode::XPCC => {
                match &only.region {
                    RegionId::Area { name, .. } => format!("新疆生产建设兵团{name}"),
                    r => full_zh(r),
                }
            }
            [only] if only.value == f.value => {
                format!("{}{}", short_zh(&f.region), full_zh(&only.region))
            }
            [] => self.place_name(&f.region),
            _ => format!("{}{}", self.place_name(&f.region), self.sub_places(f)),
        }
    }

    /// A place in a list of the nation's figures: a province by its short name, an area
    /// inside a province (whose own figure is not given) with the province's name first.
    fn place_name(&self, r: &RegionId) -> String {
        match r {
            RegionId::Code(c) if *c == RegionCode::XPCC && self.st.xpcc_full => full_zh(r),
            RegionId::Code(c) if c.is_province_level() => short_zh(r),
            RegionId::Area { parent, name } if *parent == RegionCode::XPCC => {
                format!("新疆生产建设兵团{name}")
            }
            _ if self.scope.is_nation() => {
                let p = RegionId::Code(r.province());
                format!("{}{}", short_zh(&p), full_zh(r))
            }
            _ => full_zh(r),
        }
    }

    /// 广东3例，上海1例 / 陕西165例，其中西安市161例、咸阳市2例；山西1例，在运城市.
    fn place_list(&self, list: &[Figure]) -> String {
        let nested = list.iter().any(|f| !f.regions.is_empty());
        let mut s = String::new();
        for (i, f) in list.iter().enumerate() {
            if i > 0 {
                let sep = self
                    .phrasing
                    .separator_before(f.measure, f.origin, &f.region);
                match sep {
                    Some(',') => s.push(','),
                    _ => s.push(if nested { '；' } else { '，' }),
                }
            }
            s.push_str(&format!("{}{}", self.place_name(&f.region), self.marked(f)));
            s.push_str(&self.sub_places(f));
        }
        s
    }

    /// ，其中西安市161例、咸阳市2例 / ，均在哈尔滨市 / ，在运城市.
    fn sub_places(&self, f: &Figure) -> String {
        match f.regions.as_slice() {
            [] => String::new(),
            [only] if only.value == f.value => {
                let all = if f.value == 1 { "在" } else { "均在" };
                let name = match &only.region {
                    RegionId::Area { parent, name }
                        if *parent == RegionCode::XPCC
                            && self.phrasing.get(Slot::XpccAreaBare) == Some(1) =>
                    {
                        name.clone()
                    }
                    r => full_zh(r),
                };
                format!("，{all}{name}")
            }
            list => {
                let mut s = String::from("，其中");
                for (i, a) in list.iter().enumerate() {
                    if i > 0 {
                        let sep = self
                            .phrasing
                            .separator_before(a.measure, a.origin, &a.region);
                        s.push(sep.unwrap_or('、'));
                    }
                    let mut name = full_zh(&a.region);
                    if self.phrasing.short_name(a.measure, a.origin, &a.region) {
                        name = name.strip_suffix('市').unwrap_or(&name).to_string();
                    }
                    s.push_str(&format!("{name}{}", self.marked(a)));
                }
                s
            }
        }
    }

    /// 重症病例较前一日增加12例 / 重症病例与前一日持平.
    fn severe_change(&self, f: &Figure) -> String {
        let recorded = self
            .phrasing
            .get(Slot::SevereChangeVs)
            .and_then(SevereVs::from_id);
        let vs = if let Some(v) = recorded {
            v.zh()
        } else if self.st.severe_change_vs_previous_day {
            "较前一日"
        } else if self.st.severe_change_xiangbi {
            "与前一日相比"
        } else {
            ""
        };
        match f.value {
            0 if self.phrasing.get(Slot::SevereUnchanged)
                == Some(SevereUnchanged::Tian as Count) =>
            {
                "重症病例与前一天持平".to_string()
            }
            0 if self.phrasing.get(Slot::SevereUnchanged)
                == Some(SevereUnchanged::ShuWuBianhua as Count) =>
            {
                "重症病例数无变化".to_string()
            }
            0 if self.st.severe_unchanged_wubianhua => "重症病例无变化".to_string(),
            0 => "重症病例与前一日持平".to_string(),
            v if v > 0 => format!("重症病例{vs}增加{}", li(v)),
            v => format!("重症病例{vs}减少{}", li(-v)),
        }
    }

    // ---- discharges ----

    fn recoveries(&self, p: &Paragraph) -> String {
        let mut parts = Vec::new();
        for s in &p.sentences {
            for f in figures(s) {
                let text = match f.measure {
                    M::DischargedNew if f.value == 0 => "当日无新增治愈出院病例".to_string(),
                    M::DischargedNew => {
                        let mut t = format!("当日新增治愈出院病例{}", li(f.value));
                        if let (Some(i), Some(l)) = (f.origin(Imported), f.origin(Local)) {
                            if self.st.discharged_first_form {
                                let items: Vec<String> = l
                                    .regions
                                    .iter()
                                    .map(|r| format!("{}{}", short_zh(&r.region), li(r.value)))
                                    .collect();
                                t.push_str(&format!(
                                    "，其中境外输入{}，本土{}（{}）",
                                    li(i.value),
                                    li(l.value),
                                    items.join("、")
                                ));
                            } else {
                                t.push_str(&format!(
                                    "，其中境外输入病例{}，本土病例{}{}",
                                    li(i.value),
                                    li(l.value),
                                    self.places(l)
                                ));
                            }
                        }
                        t
                    }
                    M::ContactsReleased => format!("解除医学观察的密切接触者{}人", f.value),
                    M::SevereChange if self.phrasing.get(Slot::SevereChangeOmitted) == Some(1) => {
                        continue
                    }
                    M::SevereChange => self.severe_change(f),
                    M::SevereCurrent if f.value == 0 => "无重症病例".to_string(),
                    M::SevereCurrent => format!("重症病例{}", li(f.value)),
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
                };
                parts.push(text);
            }
        }
        if parts.is_empty() {
            return String::new();
        }
        format!("{}。", parts.join("，"))
    }

    // ---- stocks ----

    /// （其中重症病例13例） / （无重症病例）.
    fn severe_within(&self, f: &Figure) -> String {
        let han = if f.origin == Imported {
            self.st.severe_han
        } else {
            self.st.totals_severe_han
        };
        let word = if han { "含" } else { "其中" };
        let zero_count = self.st.totals_severe_zero_count && f.origin == All;
        match f.within(M::SevereCurrent) {
            Some(s)
                if s.value == 0
                    && f.origin == All
                    && self.phrasing.get(Slot::TotalsSevereZero) == Some(2) =>
            {
                "（其中无重症病例）".to_string()
            }
            Some(s) if s.value == 0 && self.st.severe_none && !zero_count => {
                "（无重症病例）".to_string()
            }
            Some(s) => format!("（{word}重症病例{}）", li(s.value)),
            None => String::new(),
        }
    }

    /// A stock or total: `现有疑似病例5例` or `无现有疑似病例`.
    fn stock(&self, f: &Figure, label: &str, none: &str) -> String {
        if f.value == 0 && !none.is_empty() {
            return none.to_string();
        }
        format!("{label}{}", self.count(f))
    }

    fn imported_stocks(&self, p: &Paragraph) -> String {
        let mut out = String::new();
        for s in &p.sentences {
            let mut parts = Vec::new();
            for f in figures(s) {
                parts.push(match f.measure {
                    M::ConfirmedCurrent => format!(
                        "境外输入现有确诊病例{}{}",
                        self.count(f),
                        self.severe_within(f)
                    ),
                    M::SuspectedCurrent => self.stock(f, "现有疑似病例", "无现有疑似病例"),
                    M::ConfirmedCumulative => self.stock(f, "累计确诊病例", ""),
                    M::DischargedCumulative => self.stock(f, "累计治愈出院病例", ""),
                    M::DeathsCumulative if self.st.imported_deaths_zero_count => {
                        self.stock(f, "累计死亡病例", "")
                    }
                    M::DeathsCumulative
                        if self.phrasing.get(Slot::ImportedDeathsLeiji) == Some(1) =>
                    {
                        self.stock(f, "累计死亡病例", "无累计死亡病例")
                    }
                    M::DeathsCumulative => self.stock(f, "累计死亡病例", "无死亡病例"),
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
                    | M::SevereCurrent
                    | M::ContactsUnderObservation
                    | M::AsymptomaticUnderObservation
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
            if !parts.is_empty() {
                out.push_str(&parts.join("，"));
                out.push('。');
            }
        }
        out
    }

    fn totals(&self, p: &Paragraph) -> String {
        let mut sentences = Vec::new();
        for s in &p.sentences {
            let mut parts = Vec::new();
            for f in figures(s) {
                parts.push(match f.measure {
                    M::ConfirmedCurrent => {
                        format!("现有确诊病例{}{}", self.count(f), self.severe_within(f))
                    }
                    M::DischargedCumulative => self.stock(f, "累计治愈出院病例", ""),
                    M::DeathsCumulative => self.stock(f, "累计死亡病例", ""),
                    M::ConfirmedCumulative if self.totals_current_first => {
                        self.stock(f, "累计确诊病例", "")
                    }
                    M::ConfirmedCumulative => self.stock(f, "累计报告确诊病例", ""),
                    M::SuspectedCurrent => self.stock(f, "现有疑似病例", "无现有疑似病例"),
                    M::ContactsTracedCumulative => format!("累计追踪到密切接触者{}人", f.value),
                    M::ContactsUnderObservation => {
                        format!("尚在医学观察的密切接触者{}人", f.value)
                    }
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
                    | M::SevereCurrent
                    | M::AsymptomaticUnderObservation
                    | M::SuspectedCumulative
                    | M::ContactsReleasedCumulative
                    | M::RegionsReporting
                    | M::RegionsConfirmedNew
                    | M::RegionsSuspectedNew
                    | M::RegionsConfirmedCumulative
                    | M::RegionsSuspectedCumulative => continue,
                });
            }
            if !parts.is_empty() {
                sentences.push(parts.join("，"));
            }
        }
        if sentences.is_empty() {
            return String::new();
        }
        format!(
            "截至{}24时，据{}报告，{}。",
            self.md(),
            self.units(),
            sentences.join("。")
        )
    }

    /// 湖北新增确诊病例13例（武汉13例），新增治愈出院病例1471例（武汉1212例），…
    fn hubei(&self, p: &Paragraph) -> String {
        let mut sentences = Vec::new();
        for s in &p.sentences {
            let mut parts = Vec::new();
            for f in figures(s) {
                let (label, none) = match f.measure {
                    M::ConfirmedNew => ("新增确诊病例", "无新增确诊病例"),
                    M::DischargedNew => ("新增治愈出院病例", "无新增治愈出院病例"),
                    M::DeathsNew => ("新增死亡病例", "无新增死亡病例"),
                    M::ConfirmedCurrent => ("现有确诊病例", "无现有确诊病例"),
                    M::SevereCurrent => ("其中重症病例", "无重症病例"),
                    M::DischargedCumulative => ("累计治愈出院病例", ""),
                    M::DeathsCumulative => ("累计死亡病例", ""),
                    M::ConfirmedCumulative => ("累计确诊病例", ""),
                    M::SuspectedNew => ("新增疑似病例", "无新增疑似病例"),
                    M::SuspectedCurrent => ("现有疑似病例", "无现有疑似病例"),
                    M::ConfirmedNewFromAsymptomatic
                    | M::ConfirmedNewClinical
                    | M::ContactsReleased
                    | M::AsymptomaticNew
                    | M::AsymptomaticToConfirmed
                    | M::AsymptomaticReleased
                    | M::SevereChange
                    | M::ContactsUnderObservation
                    | M::AsymptomaticUnderObservation
                    | M::SuspectedCumulative
                    | M::ContactsReleasedCumulative
                    | M::ContactsTracedCumulative
                    | M::RegionsReporting
                    | M::RegionsConfirmedNew
                    | M::RegionsSuspectedNew
                    | M::RegionsConfirmedCumulative
                    | M::RegionsSuspectedCumulative => continue,
                };
                if f.value == 0 && self.st.hubei_none && !none.is_empty() {
                    parts.push(none.to_string());
                    continue;
                }
                let mut inner: Vec<String> = f
                    .regions
                    .iter()
                    .map(|w| {
                        if w.value == 0 && self.st.hubei_none {
                            format!("{}{none}", short_zh(&w.region))
                        } else {
                            format!("{}{}", short_zh(&w.region), li(w.value))
                        }
                    })
                    .collect();
                if let Some(i) = f
                    .origin(Imported)
                    .filter(|i| i.value == f.value && i.value > 0)
                {
                    inner.push(format!(
                        "{}境外输入病例",
                        if i.value == 1 { "为" } else { "均为" }
                    ));
                }
                inner.extend(f.corrections.iter().map(|c| self.correction(f, c)));
                let mut t = format!("{label}{}", li(f.value));
                if !inner.is_empty() {
                    t.push_str(&format!("（{}）", inner.join("，")));
                }
                parts.push(t);
            }
            if !parts.is_empty() {
                sentences.push(parts.join("，"));
            }
        }
        if sentences.is_empty() {
            return String::new();
        }
        format!("湖北{}。", sentences.join("。"))
    }

    /// 3月10日0—24时，新增报告境外输入确诊病例10例（北京6例，…）。截至3月10日24时，累计报告境外输入确诊病例79例。
    fn imported_new(&self, p: &Paragraph) -> String {
        let mut out = String::new();
        for f in p.sentences.iter().flat_map(|s| figures(s)) {
            match f.measure {
                M::ConfirmedNew => out.push_str(&format!(
                    "{}0—24时，新增报告境外输入确诊病例{}{}。",
                    self.md(),
                    li(f.value),
                    self.grouped_places(f)
                )),
                M::ConfirmedCumulative => out.push_str(&format!(
                    "截至{}24时，累计报告境外输入确诊病例{}。",
                    self.md(),
                    li(f.value)
                )),
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
        out
    }

    /// A list in which places of equal count share it (天津、辽宁、黑龙江各1例), as in March 2020.
    fn grouped_places(&self, f: &Figure) -> String {
        if !self.st.group_equal_counts {
            return self.places(f);
        }
        let mut groups: Vec<(Count, Vec<String>)> = Vec::new();
        for r in &f.regions {
            let groupable = r.value == 1 || self.st.group_all_equal_counts;
            match groups.last_mut() {
                Some((v, names)) if *v == r.value && groupable => names.push(short_zh(&r.region)),
                _ => groups.push((r.value, vec![short_zh(&r.region)])),
            }
        }
        let items: Vec<String> = groups
            .into_iter()
            .map(|(v, names)| match names.as_slice() {
                [one] => format!("{one}{}", li(v)),
                [init @ .., last] if self.st.group_with_he => {
                    format!("{}和{last}各{}", init.join("、"), li(v))
                }
                _ => format!("{}各{}", names.join("、"), li(v)),
            })
            .collect();
        if items.is_empty() {
            String::new()
        } else {
            format!("（{}）", items.join("，"))
        }
    }

    // ---- asymptomatic infections ----

    fn asymptomatic(&self, p: &Paragraph) -> String {
        let Some(s) = p.sentences.first() else {
            return String::new();
        };
        let st = &self.st;
        let comma = if st.asymptomatic_half_width_comma {
            ","
        } else {
            "，"
        };
        let mut parts: Vec<(Measure, String)> = Vec::new();
        for f in figures(s) {
            let text = match f.measure {
                M::AsymptomaticNew => self.asymptomatic_flow(f, "新增无症状感染者"),
                M::AsymptomaticToConfirmed if f.value == 0 => {
                    if st.asymptomatic_none_first {
                        "无当日转为确诊病例".to_string()
                    } else {
                        "当日无转为确诊病例".to_string()
                    }
                }
                M::AsymptomaticToConfirmed => format!(
                    "当日转为确诊病例{}{}",
                    self.marked(f),
                    self.imported_part(f, "转为确诊")
                ),
                M::AsymptomaticReleased if f.value == 0 => {
                    "当日无解除医学观察无症状感染者".to_string()
                }
                M::AsymptomaticReleased if st.asymptomatic_first_form => {
                    format!("当日解除隔离{}", li(f.value))
                }
                M::AsymptomaticReleased => {
                    if f.origin(Local).is_some_and(|l| !l.regions.is_empty()) {
                        let label = if st.discharged_first_form {
                            "当日解除医学观察"
                        } else {
                            "当日解除医学观察的无症状感染者"
                        };
                        self.asymptomatic_flow(f, label)
                    } else {
                        format!(
                            "当日解除医学观察{}{}",
                            self.marked(f),
                            self.imported_part(f, "解除医学观察")
                        )
                    }
                }
                M::AsymptomaticUnderObservation => {
                    let label = if st.asymptomatic_stock_de {
                        "尚在医学观察的无症状感染者"
                    } else {
                        "尚在医学观察无症状感染者"
                    };
                    format!(
                        "{label}{}{}{}",
                        self.count(f),
                        self.imported_part(f, ""),
                        self.stock_change(s)
                    )
                }
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
            };
            parts.push((f.measure, text));
        }
        if parts.is_empty() {
            return String::new();
        }
        let mut out = format!("{}报告", self.units());
        let mut prev: Option<Measure> = None;
        for (m, text) in &parts {
            if let Some(pm) = prev {
                let sep = if st.asymptomatic_first_form {
                    if *m == M::AsymptomaticUnderObservation {
                        "。"
                    } else {
                        comma
                    }
                } else if (pm == M::AsymptomaticNew && self.released_listed)
                    || (*m == M::AsymptomaticUnderObservation && st.asymptomatic_stock_sentence)
                {
                    "。"
                } else {
                    "；"
                };
                out.push_str(sep);
            }
            out.push_str(text);
            prev = Some(*m);
        }
        out.push('。');
        out.push_str(&self.dated_corrections(p));
        out
    }

    /// ，比前一日减少174例 (2020-03-31): the change of the stock, where a note gives it.
    fn stock_change(&self, s: &[Clause]) -> String {
        let change = s.iter().find_map(|c| match c {
            Clause::Note(n) => n
                .values
                .iter()
                .find(|v| v.label == "asymptomatic_under_observation:change"),
            _ => None,
        });
        match change {
            Some(v) if v.value < 0 => format!("，比前一日减少{}", li(-v.value)),
            Some(v) => format!("，比前一日增加{}", li(v.value)),
            None => String::new(),
        }
    }

    /// Corrections of an earlier day, after the paragraph: （11月17日尚在医学观察数核增1例）。
    fn dated_corrections(&self, p: &Paragraph) -> String {
        let mut out = String::new();
        for c in p.sentences.iter().flatten() {
            let Clause::Correction(c) = c else { continue };
            let (Some(d), Some(delta)) = (c.refers_to, c.delta) else {
                continue;
            };
            let word = if delta < 0 { "核减" } else { "核增" };
            out.push_str(&format!(
                "（{}月{}日尚在医学观察数{word}{}）。",
                d.month(),
                d.day(),
                li(delta.abs())
            ));
        }
        out
    }

    /// 新增无症状感染者N例（境外输入5例） or …，其中境外输入80例，本土1628例（…）.
    fn asymptomatic_flow(&self, f: &Figure, label: &str) -> String {
        let local = f.origin(Local);
        if let (Some(i), Some(l)) = (f.origin(Imported), local) {
            if !l.regions.is_empty() {
                let places =
                    if self.st.discharged_first_form && f.measure == M::AsymptomaticReleased {
                        let items: Vec<String> = l
                            .regions
                            .iter()
                            .map(|r| format!("{}{}", short_zh(&r.region), li(r.value)))
                            .collect();
                        format!("（{}）", items.join("、"))
                    } else {
                        self.places(l)
                    };
                return format!(
                    "{label}{}，其中境外输入{}，本土{}{places}",
                    li(f.value),
                    li(i.value),
                    li(l.value),
                );
            }
        }
        if self.st.asymptomatic_new_qizhong && f.measure == M::AsymptomaticNew {
            if let Some(i) = f.origin(Imported) {
                let comma = if self.st.asymptomatic_half_width_comma {
                    ","
                } else {
                    "，"
                };
                return format!(
                    "{label}{}{comma}其中境外输入无症状感染者{}",
                    li(f.value),
                    li(i.value)
                );
            }
        }
        format!("{label}{}{}", self.count(f), self.imported_part(f, ""))
    }

    /// （境外输入5例） / （均为境外输入） / （为境外输入） / （无境外输入）; `verb` is what the
    /// verbose form of April 2020 repeats (境外输入转为确诊9例).
    fn imported_part(&self, f: &Figure, verb: &str) -> String {
        let Some(i) = f.origin(Imported) else {
            return String::new();
        };
        if self.st.asymptomatic_verbose_imported && !verb.is_empty() {
            return format!("（境外输入{verb}{}）", li(i.value));
        }
        if i.value == f.value && f.value > 0 && !self.st.asymptomatic_all_imported_count {
            return if f.value == 1 {
                "（为境外输入）".to_string()
            } else {
                "（均为境外输入）".to_string()
            };
        }
        if i.value == 0 {
            return "（无境外输入）".to_string();
        }
        if self.phrasing.get(Slot::CorrectionAfterParens) == Some(1)
            && self.footnotes.stars(i).is_empty()
        {
            // （境外输入408例）（核减境外输入1例）
            let after: Vec<String> = i
                .corrections
                .iter()
                .filter(|c| c.delta.is_some() && !is_noted(c))
                .map(|c| {
                    let word = self.correction(i, c);
                    let split = word.char_indices().nth(2).map_or(word.len(), |(at, _)| at);
                    format!("（{}境外输入{}）", &word[..split], &word[split..])
                })
                .collect();
            if !after.is_empty() {
                return format!("（境外输入{}）{}", li(i.value), after.concat());
            }
        }
        format!("（境外输入{}）", self.count(i))
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
                let name = match f.region.code() {
                    c if c == RegionCode::TAIWAN => "台湾地区".to_string(),
                    _ => full_zh(&f.region),
                };
                let mut inner = Vec::new();
                let early = self.st.notified_deaths_first;
                if let Some(d) = f.within(M::DischargedCumulative) {
                    if !early || d.value > 0 {
                        let word = if self.st.notified_zhiyu {
                            "治愈出院"
                        } else {
                            "出院"
                        };
                        inner.push(format!("{word}{}", self.count(d)));
                    }
                }
                if let Some(d) = f.within(M::DeathsCumulative) {
                    if d.value > 0 {
                        let t = format!("死亡{}", li(d.value));
                        if early {
                            inner.insert(0, t);
                        } else {
                            inner.push(t);
                        }
                    }
                }
                let inner = if inner.is_empty() {
                    String::new()
                } else if self.st.taiwan_half_width && f.region.code() == RegionCode::TAIWAN {
                    format!("({})", inner.join("，"))
                } else {
                    format!("（{}）", inner.join("，"))
                };
                format!("{name}{}{inner}", self.count(f))
            })
            .collect();
        let total = total.map(li).unwrap_or_default();
        if self.st.notified_qizhong {
            format!(
                "累计收到港澳台地区通报确诊病例{total}。其中，{}。",
                items.join("，")
            )
        } else {
            format!(
                "累计收到港澳台地区通报确诊病例{total}：{}。",
                items.join(self.st.notified_separator)
            )
        }
    }

    // ---- notes and corrections ----

    fn notes(&self, p: &Paragraph) -> String {
        let mut out = String::new();
        let mut noted = false;
        for s in &p.sentences {
            // Figures of earlier days restated: 据此，2月19日0—24时，全国新增确诊病例订正为820例，….
            let restated: Vec<&Correction> = s
                .iter()
                .filter_map(|c| match c {
                    Clause::Restatement(r) => Some(r),
                    _ => None,
                })
                .collect();
            let mut days: Vec<Date> = restated.iter().filter_map(|r| r.refers_to).collect();
            days.dedup();
            for (k, d) in days.iter().enumerate() {
                let items: Vec<String> = restated
                    .iter()
                    .filter(|r| r.refers_to == Some(*d))
                    .map(|r| {
                        let label = match r.measure {
                            M::ConfirmedNew => "新增确诊病例",
                            M::ConfirmedCumulative => "累计确诊病例",
                            M::DischargedCumulative => "累计出院病例",
                            m => m.zh(),
                        };
                        format!("全国{label}订正为{}", li(r.restated.unwrap_or(0)))
                    })
                    .collect();
                let lead = if k == 0 && noted { "据此，" } else { "" };
                out.push_str(&format!(
                    "{lead}{}月{}日0—24时，{}。",
                    d.month(),
                    d.day(),
                    items.join("，")
                ));
            }
            for c in s {
                if let Clause::Note(n) = c {
                    noted |= n.text.is_some();
                    if let Some(t) = &n.text {
                        out.push_str(t);
                        // A footnote line kept whole ends as the day's footnotes end.
                        let line = n.kind == NoteKind::Footnote
                            && (t.starts_with('*')
                                || t.starts_with("注：")
                                || t.starts_with("备注："));
                        let stop = if line {
                            self.phrasing
                                .get(Slot::FootnoteStop)
                                .map_or(self.st.footnote_wei, |v| v == 1)
                        } else {
                            true
                        };
                        if stop && !t.ends_with(['。', '）']) {
                            out.push('。');
                        }
                    }
                }
            }
        }
        out
    }

    /// A part's count (an origin's, a place's), with the stars of its footnotes where it is
    /// marked (`本土病例2830例*（上海2634例*，…）`).
    fn marked(&self, f: &Figure) -> String {
        if self.footnotes.stars(f).is_empty() {
            li(f.value)
        } else {
            self.count(f)
        }
    }

    /// A figure's count with its corrections: `9692例（四川省核减1例）`, or with the stars of
    /// its footnotes (`1031例*`, `1095*例`).
    fn count(&self, f: &Figure) -> String {
        let stars = self.footnotes.stars(f);
        if !stars.is_empty() {
            return if self.st.star_before_unit {
                format!("{}{stars}例", f.value)
            } else {
                format!("{}{stars}", li(f.value))
            };
        }
        let inline: Vec<String> = f
            .corrections
            .iter()
            .filter(|c| c.delta.is_some() && !is_noted(c))
            .map(|c| self.correction(f, c))
            .collect();
        if inline.is_empty() {
            li(f.value)
        } else {
            format!("{}（{}）", li(f.value), inline.join("，"))
        }
    }

    fn correction(&self, f: &Figure, c: &Correction) -> String {
        let who = if c.region == f.region {
            String::new()
        } else if self.st.early_full_names_in_corrections
            || (self.st.xpcc_full && c.region.code() == RegionCode::XPCC)
        {
            full_zh(&c.region)
        } else {
            short_zh(&c.region)
        };
        if c.kind == CorrectionKind::Revise && c.reason.as_deref() == Some("重复报告") {
            return format!("{who}订正重复报告病例{}", li(c.delta.map_or(0, i64::abs)));
        }
        let word = match c.kind {
            CorrectionKind::Reduce => "核减",
            CorrectionKind::Increase => "核增",
            CorrectionKind::Revise => "订正",
        };
        let n = c.delta.map_or(0, i64::abs);
        match c.reason.as_deref() {
            // 湖北省因重复统计，核减108例
            Some(r) => format!("{who}因{r}，{word}{}", li(n)),
            None => format!("{who}{word}{}", li(n)),
        }
    }
}
