//! The grammar of the bulletins: sentences, clauses, figures and their parenthesized
//! breakdowns, read with a little state (the section, the subject region and origin, the figure
//! that a following 其中/均为/在 refers to).

use epiledger_core::{
    Correction, CorrectionKind, Date, Day, Fact, Measure, Note, NoteKind, NoteValue, Origin,
    RegionCode, RegionId,
};

use super::cursor::{digit_runs, paren_group, split_top, Cur, Placed};
use super::lexicon::{coverage_of, phrase_at, section_of, Section};
use super::names;

/// The result of parsing a normalized text.
pub(crate) struct Output {
    pub day: Day,
    pub placed: Placed,
    pub ignored: Vec<String>,
    /// The span of the bulletin within the text (prefix and trailing citation excluded).
    pub start: usize,
    pub end: usize,
}

type Failure = (usize, String);

/// A figure just read, that following clauses may refer to.
#[derive(Clone, Debug)]
struct Fig {
    region: RegionId,
    origin: Origin,
    measure: Measure,
    value: i64,
}

struct Parser<'t> {
    text: &'t str,
    placed: Placed,
    day: Day,
    date: Date,
    section: Section,
    region: RegionId,
    origin: Origin,
    /// The figure that 其中/均为 clauses split.
    base: Option<Fig>,
    /// The last figure read.
    last: Option<Fig>,
    /// Figures marked with asterisks, by the number of asterisks.
    starred: Vec<(usize, Fig)>,
    foreign: Vec<NoteValue>,
    errors: Vec<Failure>,
}

const UNITS: &str = "31个省（自治区、直辖市）和新疆生产建设兵团";
const DASHES: &[&str] = &["—", "-", "–", "－", "―", "~", "至"];
const CITATIONS: &[&str] = &[
    "（注：媒体引用时",
    "注：媒体引用时",
    "媒体引用时，请标注",
    "（来源：",
    "来源：",
    "（原标题",
    "原标题：",
    "（责任编辑",
    "责任编辑：",
    "（完）",
    "【纠错】",
    "（编辑：",
];

pub(crate) fn parse_normalized(text: &str, hint: Option<Date>) -> Result<Output, Failure> {
    let (start, header) = find_start(text).ok_or_else(|| {
        (
            0,
            "not a bulletin: no reporting day found (a bulletin opens with a day such as \
             `6月19日0—24时` or `截至1月22日24时`)"
                .to_string(),
        )
    })?;
    let date = resolve_date(&header, hint).map_err(|m| (start, m))?;
    let end = find_end(text, start);
    check_clean(text, start, end)?;
    let mut ignored = Vec::new();
    if start > 0 {
        ignored.push(text[..start].to_string());
    }
    if end < text.len() {
        ignored.push(text[end..].to_string());
    }
    let mut p = Parser {
        text,
        placed: Placed::default(),
        day: Day::new(date),
        date,
        section: Section::Flows,
        region: RegionId::NATION,
        origin: Origin::All,
        base: None,
        last: None,
        starred: Vec::new(),
        foreign: Vec::new(),
        errors: Vec::new(),
    };
    p.body(start, end);
    if let Some(e) = p.errors.first() {
        return Err(e.clone());
    }
    if !p.foreign.is_empty() {
        let values = std::mem::take(&mut p.foreign);
        p.day.notes.push(Note {
            kind: NoteKind::ForeignNotified,
            region: None,
            values,
            text: None,
        });
    }
    p.day.normalize();
    check_complete(&p.day, start)?;
    Ok(Output {
        day: p.day,
        placed: p.placed,
        ignored,
        start,
        end,
    })
}

/// What every bulletin of a period states; a text that lacks one was cut short.
const REQUIRED: &[(&str, RegionCode, Measure, &str)] = &[
    (
        "2020-01-20",
        RegionCode::NATION,
        Measure::ConfirmedNew,
        "the day's new confirmed cases",
    ),
    (
        "2020-01-20",
        RegionCode::NATION,
        Measure::ConfirmedCumulative,
        "the cumulative confirmed cases",
    ),
    (
        "2020-01-20",
        RegionCode::NATION,
        Measure::ContactsTracedCumulative,
        "the close contacts traced",
    ),
    (
        "2020-01-22",
        RegionCode::HONG_KONG,
        Measure::ConfirmedCumulative,
        "Hong Kong's cases",
    ),
    (
        "2020-01-22",
        RegionCode::MACAO,
        Measure::ConfirmedCumulative,
        "Macao's cases",
    ),
    (
        "2020-01-22",
        RegionCode::TAIWAN,
        Measure::ConfirmedCumulative,
        "Taiwan's cases",
    ),
    (
        "2020-01-23",
        RegionCode::NATION,
        Measure::DischargedCumulative,
        "the cumulative discharged cases",
    ),
    (
        "2020-03-31",
        RegionCode::NATION,
        Measure::AsymptomaticUnderObservation,
        "the asymptomatic infections under observation",
    ),
];

/// A bulletin must state what every bulletin of its period states; a text cut off before it is
/// not stored.
fn check_complete(day: &Day, at: usize) -> Result<(), Failure> {
    let Some(date) = day.date else { return Ok(()) };
    for (since, region, measure, what) in REQUIRED {
        let applies = since.parse::<Date>().is_ok_and(|d| date >= d);
        let has = day
            .facts
            .iter()
            .any(|f| f.region.code() == *region && f.measure == *measure);
        if applies && !has {
            return Err((
                at,
                format!(
                    "the text is truncated or garbled: a bulletin of {date} states {what} \
                     ({measure}), and this text does not"
                ),
            ));
        }
    }
    Ok(())
}

/// Rejects text that is not clean: replacement characters, control characters, or a text that
/// ends inside a parenthesis.
fn check_clean(text: &str, start: usize, end: usize) -> Result<(), Failure> {
    if let Some((at, ch)) = text
        .char_indices()
        .find(|(_, c)| *c == '\u{fffd}' || (c.is_control() && !c.is_whitespace()))
    {
        return Err((at, format!("garbled text: the character U+{:04X} is no part of a bulletin; check the file's encoding", ch as u32)));
    }
    let mut open = Vec::new();
    for (at, ch) in text[start..end].char_indices() {
        match ch {
            '（' => open.push(start + at),
            '）' => {
                open.pop();
            }
            _ => {}
        }
    }
    if let Some(at) = open.first() {
        return Err((
            *at,
            "the text is truncated: it ends inside the parenthesis opened here".to_string(),
        ));
    }
    Ok(())
}

/// The date a header names.
struct Header {
    year: Option<i32>,
    month: Option<u32>,
    day: u32,
}

/// Finds the bulletin's first sentence: `[YYYY年]M月D日0—24时`, `D日0—24时` or `截至M月D日24时`.
fn find_start(text: &str) -> Option<(usize, Header)> {
    for (i, ch) in text.char_indices() {
        let boundary = i == 0 || !text[..i].ends_with(|c: char| c.is_ascii_digit());
        if !(ch == '截' || (ch.is_ascii_digit() && boundary)) {
            continue;
        }
        let mut c = Cur::new(&text[i..], i);
        if let Some(h) = header(&mut c) {
            return Some((i, h));
        }
    }
    None
}

/// Reads a date header at the cursor.
fn header(c: &mut Cur) -> Option<Header> {
    let save = *c;
    let cutoff = c.eat("截至");
    let mut year = None;
    let (_, first) = c.num_unmarked()?;
    let (month, day) = if c.eat("年") {
        year = Some(first as i32);
        let (_, m) = c.num_unmarked()?;
        if !c.eat("月") {
            *c = save;
            return None;
        }
        let (_, d) = c.num_unmarked()?;
        (Some(m as u32), d as u32)
    } else if c.eat("月") {
        let (_, d) = c.num_unmarked()?;
        (Some(first as u32), d as u32)
    } else {
        (None, first as u32)
    };
    let ok = c.eat("日")
        && if cutoff {
            c.eat("24时")
        } else {
            c.eat("0") && c.eat_any(DASHES).is_some() && c.eat("24时")
        };
    if !ok || (cutoff && month.is_none()) {
        *c = save;
        return None;
    }
    Some(Header { year, month, day })
}

fn resolve_date(h: &Header, hint: Option<Date>) -> Result<Date, String> {
    let year = h.year.or(hint.map(|d| d.year())).ok_or_else(|| {
        "the bulletin does not state its year: name the file YYYY-MM-DD.txt or pass --date"
            .to_string()
    })?;
    let month = h.month.or(hint.map(|d| d.month())).unwrap_or(1);
    let date = Date::from_ymd(year, month, h.day)
        .ok_or_else(|| format!("{year}-{month}-{} is no date", h.day))?;
    if let Some(hint) = hint {
        if hint != date {
            return Err(format!(
                "the text reports {date} but the file or --date says {hint}; rename the file or \
                 fix --date"
            ));
        }
    }
    Ok(date)
}

/// Where the bulletin ends: before a trailing citation note, if any.
fn find_end(text: &str, start: usize) -> usize {
    let mut end = text.len();
    for cite in CITATIONS {
        let mut from = start;
        while let Some(i) = text[from..].find(cite).map(|i| i + from) {
            // A citation inside a numbered note that also carries a correction stays in.
            let open = text[..i].rfind('（');
            let inside_numbered = open
                .is_some_and(|o| text[o..i].starts_with("（注：1.") && !text[o..i].contains('）'));
            if !inside_numbered {
                let cut = if cite.starts_with('（') || text[..i].ends_with('（') {
                    if text[..i].ends_with('（') {
                        i - '（'.len_utf8()
                    } else {
                        i
                    }
                } else {
                    i
                };
                end = end.min(cut);
                break;
            }
            from = i + cite.len();
        }
    }
    end
}

impl<'t> Parser<'t> {
    fn fail(&mut self, at: usize, m: impl Into<String>) {
        self.errors.push((at, m.into()));
    }

    fn body(&mut self, start: usize, end: usize) {
        let body = &self.text[start..end];
        let sentences = split_top(body, &['。']);
        let mut k = 0;
        while k < sentences.len() {
            let (off, s) = sentences[k];
            let base = start + off;
            // The early bulletins' descriptions of individual deaths run to the end.
            if let Some(n) = case_descriptions(s) {
                let text = &body[off..];
                self.placed.mark_all(text, base);
                self.day.notes.push(Note {
                    kind: NoteKind::CaseDescriptions,
                    region: None,
                    values: vec![NoteValue {
                        label: "deaths".into(),
                        value: n,
                    }],
                    text: Some(text.to_string()),
                });
                return;
            }
            self.sentence(s, base);
            k += 1;
        }
    }

    fn sentence(&mut self, s: &str, base: usize) {
        if s.is_empty() {
            return;
        }
        for (prefix, kind) in [
            ("为做好", NoteKind::Explanation),
            ("注：湖北省将", NoteKind::Explanation),
            ("★", NoteKind::Explanation),
            ("目前，湖北省报告的", NoteKind::Explanation),
            ("重症病例存在转轻症", NoteKind::Explanation),
        ] {
            if s.starts_with(prefix) {
                self.note(kind, None, s, base);
                return;
            }
        }
        if s.starts_with("国家卫生健康委") && !s.contains("收到") {
            self.note(NoteKind::Signature, None, s, base);
            return;
        }
        if s.contains("订正为") {
            let lead = if s.starts_with("据此，") {
                "据此，".len()
            } else {
                0
            };
            self.restatements(&s[lead..], base + lead);
            return;
        }
        if s.starts_with("根据新分类方法") {
            self.note(NoteKind::Explanation, None, s, base);
            return;
        }
        if is_footnote(s) {
            self.footnote(s, base);
            return;
        }
        self.reset_for_sentence(s);
        let mut clauses = split_top(s, &['，', '；', '：']);
        // A clause that names only a region and a reason joins the correction that follows.
        let mut k = 0;
        while k < clauses.len() {
            let (off, c) = clauses[k];
            let at = base + off;
            if c.starts_with('（') && c.ends_with('）') {
                // A parenthesized clause of its own: a correction or a note of the sentence.
                if let Some((inner, _)) = paren_group(c) {
                    self.standalone_paren(inner, at + '（'.len_utf8());
                    k += 1;
                    continue;
                }
            }
            if !self.clause(c, at) {
                self.unknown(c, at);
            }
            k += 1;
        }
        clauses.clear();
    }

    /// Sets the subject of a sentence from how it opens.
    fn reset_for_sentence(&mut self, s: &str) {
        if header(&mut Cur::new(s, 0)).is_some() || s.starts_with(UNITS) {
            self.region = RegionId::NATION;
            self.origin = Origin::All;
            self.section = if s.contains("无症状感染者") && !s.contains("确诊病例") {
                Section::Asymptomatic
            } else if s.starts_with("截至") {
                Section::Stocks
            } else {
                Section::Flows
            };
            if s.starts_with(UNITS) && s.contains("无症状感染者") {
                self.section = Section::Asymptomatic;
            }
        } else if s.starts_with("当日新增治愈出院") {
            self.region = RegionId::NATION;
            self.origin = Origin::All;
            self.section = Section::Flows;
        } else if s.starts_with("累计收到") || s.starts_with("境外通报") || s.starts_with("另外")
        {
            self.region = RegionId::NATION;
            self.origin = Origin::All;
            self.section = Section::Notified;
        } else if s.starts_with("目前") {
            self.section = Section::Contacts;
        } else if s.starts_with("收到") && s.contains("通报") {
            self.section = Section::Notified;
        }
    }

    fn note(&mut self, kind: NoteKind, region: Option<RegionId>, s: &str, base: usize) {
        self.placed.mark_all(s, base);
        self.day.notes.push(Note {
            kind,
            region,
            values: Vec::new(),
            text: Some(s.to_string()),
        });
    }

    fn unknown(&mut self, c: &str, at: usize) {
        // Text without numbers that says something of the day is kept as a remark; numbers in
        // text not understood stay unplaced and are reported.
        if !c.is_empty() && digit_runs(c).is_empty() && !is_filler(c) {
            self.day.notes.push(Note {
                kind: NoteKind::Remark,
                region: None,
                values: Vec::new(),
                text: Some(c.to_string()),
            });
        }
        let _ = at;
    }

    fn fact(
        &mut self,
        region: RegionId,
        origin: Origin,
        measure: Measure,
        value: i64,
        at: usize,
    ) -> Fig {
        match Fact::new(region.clone(), origin, measure, value) {
            Ok(f) => {
                if let Err(e) = self.day.add_fact(f) {
                    self.fail(at, e.to_string());
                }
            }
            Err(e) => self.fail(at, e.to_string()),
        }
        let fig = Fig {
            region,
            origin,
            measure,
            value,
        };
        self.last = Some(fig.clone());
        fig
    }

    /// One clause of a sentence. Returns false when it is not understood.
    fn clause(&mut self, c: &str, at: usize) -> bool {
        let mut cur = Cur::new(c, at);
        for filler in ["其中", "另外", "此外", "以及", "并且", "同时"] {
            if cur.rest().len() > filler.len() {
                cur.eat(filler);
            }
        }
        if cur.done() || is_filler(cur.rest()) {
            return true;
        }
        // Headers.
        {
            let mut h = cur;
            if let Some(hd) = header(&mut h) {
                self.placed.mark_all(&c[..h.pos], at);
                let _ = hd;
                let cutoff = cur.peek("截至");
                self.region = RegionId::NATION;
                self.origin = Origin::All;
                self.section = if cutoff {
                    Section::Stocks
                } else {
                    self.section
                };
                if h.done() {
                    return true;
                }
                cur = h;
            }
        }
        self.subject(&mut cur)
    }

    /// The subject and predicate of a clause after any header.
    fn subject(&mut self, cur: &mut Cur) -> bool {
        let at = cur.abs();
        for lead in [
            "据",
            "国家卫生健康委员会收到",
            "国家卫生健康委收到",
            "卫生健康委收到",
            "我委收到国内",
            "我委收到",
            "收到",
        ] {
            if cur.rest().len() > lead.len() && cur.eat(lead) {
                break;
            }
        }
        // The reporting units.
        if cur.peek(UNITS) {
            self.placed.mark_all(UNITS, cur.abs());
            cur.eat(UNITS);
            self.region = RegionId::NATION;
            if self.section == Section::Notified {
                self.section = Section::Flows;
            }
        }
        let mut coverage = None;
        {
            let mut c2 = *cur;
            let _ = c2.eat("全国共有");
            if let Some((npos, n)) = c2.num_unmarked() {
                c2.eat("个");
                if c2.eat("省（区、市）") || c2.eat("省（自治区、直辖市）") {
                    coverage = Some((npos, n));
                    *cur = c2;
                }
            }
        }
        for lead in ["报告，", "报告", "累计报告，"] {
            if cur.rest() == lead.trim_end_matches('，') {
                return true;
            }
        }
        if cur.done() {
            return true;
        }
        if let Some((npos, n)) = coverage {
            if cur.rest() == "报告疫情" {
                self.placed.mark(npos);
                self.fact(
                    RegionId::NATION,
                    Origin::All,
                    Measure::RegionsReporting,
                    n,
                    npos,
                );
                return true;
            }
        }
        if cur.rest() == "报告" || cur.rest() == "累计报告" {
            return true;
        }
        let ok = self.predicate(cur, coverage);
        if !ok {
            let _ = at;
        }
        ok
    }

    /// A predicate: a measure phrase with its number, a zero form, an origin split, a place, or
    /// a list of region figures.
    fn predicate(&mut self, cur: &mut Cur, coverage: Option<(usize, i64)>) -> bool {
        let c = cur.rest();
        let at = cur.abs();
        if c.starts_with("报告") && !c.starts_with("报告疫情") {
            cur.eat("报告");
        }
        // Subject prefixes that persist: 境外输入 (imported stocks), 湖北 (Hubei's paragraph).
        if cur.peek("境外输入") {
            let mut c2 = *cur;
            c2.eat("境外输入");
            if phrase_at(c2.rest(), Section::Stocks).is_some() {
                self.origin = Origin::Imported;
                self.region = RegionId::NATION;
                self.section = Section::Stocks;
                *cur = c2;
            }
        }
        if cur.peek("湖北") && !cur.peek("湖北省核") {
            let mut c2 = *cur;
            c2.eat("湖北");
            if phrase_at(c2.rest(), self.section).is_some() || c2.peek("无") {
                self.region = RegionId::Code(RegionCode::HUBEI);
                self.origin = Origin::All;
                *cur = c2;
            }
        }
        // 无新增死亡病例, 当日无转为确诊病例, 无当日转为确诊病例.
        {
            let mut c2 = *cur;
            c2.eat("当日");
            if c2.eat("无") {
                c2.eat("当日");
                let rest = c2.rest();
                let section = self.section;
                let ph =
                    phrase_at(rest, section).or_else(|| phrase_at(&format!("当日{rest}"), section));
                if let Some(ph) = ph {
                    let tail = rest
                        .strip_prefix(ph.zh)
                        .unwrap_or_else(|| &rest[ph.zh.len() - "当日".len()..]);
                    if tail.is_empty() || tail.starts_with('（') {
                        let origin = ph.origin.unwrap_or(self.origin);
                        self.section = section_of(ph.measure, self.section);
                        let fig = self.fact(self.region.clone(), origin, ph.measure, 0, at);
                        self.base = Some(fig.clone());
                        let tail_at = cur.abs() + (c.len() - tail.len());
                        self.parens_after(tail, tail_at, &fig);
                        return true;
                    }
                }
            }
        }
        // A measure phrase and its figure.
        if let Some(ph) = phrase_at(cur.rest(), self.section) {
            let mut c2 = *cur;
            c2.eat(ph.zh);
            c2.eat("为");
            if let Some(value) = c2.num(&self.placed) {
                let starred = stars(&mut c2, &self.placed);
                if c2.eat("例") || c2.eat("人") || starred > 0 {
                    let origin = ph.origin.unwrap_or(self.origin);
                    self.section = section_of(ph.measure, self.section);
                    let region = self.region.clone();
                    let fig = self.fact(region, origin, ph.measure, value, at);
                    if let (Some((npos, n)), Some(cov)) = (coverage, coverage_of(ph.measure)) {
                        self.placed.mark(npos);
                        self.fact(RegionId::NATION, Origin::All, cov, n, npos);
                        self.last = Some(fig.clone());
                    }
                    if ph.measure == Measure::SevereChange {
                        // 新增重症病例 is the change of the stock.
                    }
                    self.base = Some(fig.clone());
                    if starred > 0 {
                        self.starred.push((starred, fig.clone()));
                    }
                    return self.tail(&mut c2, &fig);
                }
            }
        }
        if let Some(ok) = self.severe_change(cur) {
            return ok;
        }
        if let Some(ok) = self.origin_split(cur) {
            return ok;
        }
        if let Some(ok) = self.number_first(cur) {
            return ok;
        }
        if let Some(ok) = self.place(cur) {
            return ok;
        }
        if let Some(ok) = self.notified(cur) {
            return ok;
        }
        if let Some(ok) = self.misc(cur) {
            return ok;
        }
        // A list of region figures that splits the base figure (其中湖北省24例、河北省1例).
        if let Some(base) = self.base.clone() {
            if self.list(cur.rest(), cur.abs(), &base) {
                return true;
            }
        }
        false
    }

    /// After a figure: asterisks and parenthesized groups, which must end the clause.
    fn tail(&mut self, c: &mut Cur, fig: &Fig) -> bool {
        let stars = stars(c, &self.placed);
        if stars > 0 {
            self.starred.push((stars, fig.clone()));
        }
        let rest = c.rest();
        let at = c.abs();
        self.parens_after(rest, at, fig)
    }

    /// Parenthesized groups after a figure; false when other text follows.
    fn parens_after(&mut self, mut rest: &str, mut at: usize, fig: &Fig) -> bool {
        while let Some((inner, len)) = paren_group(rest) {
            self.paren(inner, at + '（'.len_utf8(), fig);
            rest = &rest[len..];
            at += len;
            let mut c = Cur::new(rest, at);
            c.eat("★");
            let s = stars(&mut c, &self.placed);
            if s > 0 {
                self.starred.push((s, fig.clone()));
            }
            rest = c.rest();
            at = c.abs();
        }
        rest.is_empty()
    }

    /// 重症病例较前一日增加N例, 重症病例减少N例, 重症病例与前一日持平.
    fn severe_change(&mut self, cur: &mut Cur) -> Option<bool> {
        let at = cur.abs();
        let mut c = *cur;
        if !c.eat("重症病例") {
            return None;
        }
        c.eat("数");
        c.eat_any(&["较前一日", "与前一日相比", "比前一日"]);
        if c.eat_any(&["与前一日持平", "与前一天持平", "无变化", "持平"])
            .is_some()
            && c.done()
        {
            self.fact(
                self.region.clone(),
                self.origin,
                Measure::SevereChange,
                0,
                at,
            );
            return Some(true);
        }
        let sign = match c.eat_any(&["增加", "减少"]) {
            Some(0) => 1,
            Some(_) => -1,
            None => return None,
        };
        let v = c.num(&self.placed)?;
        c.eat("例");
        self.fact(
            self.region.clone(),
            self.origin,
            Measure::SevereChange,
            sign * v,
            at,
        );
        Some(c.done())
    }

    /// 其中境外输入病例N例（…）, 本土病例N例, 均为境外输入病例（…）, 为本土病例.
    fn origin_split(&mut self, cur: &mut Cur) -> Option<bool> {
        let base = self.base.clone()?;
        let at = cur.abs();
        let mut c = *cur;
        let all = c.eat("均为") || c.eat("为") || c.eat("均是");
        let origin = match c.eat_any(&["境外输入", "本土"])? {
            0 => Origin::Imported,
            _ => Origin::Local,
        };
        c.eat_any(&["无症状感染者", "疑似病例", "病例"]);
        if all {
            return Some(self.all_of_origin(&base, origin, c.rest(), c.abs(), at));
        }
        let value = c.num(&self.placed)?;
        if !c.eat("例") && !c.eat("人") {
            return Some(false);
        }
        let fig = self.fact(base.region.clone(), origin, base.measure, value, at);
        Some(self.tail(&mut c, &fig))
    }

    /// All of the base figure is of one origin: the other origin is an explicit zero.
    fn all_of_origin(
        &mut self,
        base: &Fig,
        origin: Origin,
        rest: &str,
        rest_at: usize,
        at: usize,
    ) -> bool {
        let other = if origin == Origin::Imported {
            Origin::Local
        } else {
            Origin::Imported
        };
        let fig = self.fact(base.region.clone(), origin, base.measure, base.value, at);
        if base.origin == Origin::All {
            self.fact(base.region.clone(), other, base.measure, 0, at);
        }
        self.last = Some(fig.clone());
        self.base = Some(fig.clone());
        self.parens_after(rest, rest_at, &fig)
    }

    /// Forms whose number comes first: N例为境外输入病例, 含N例由无症状感染者转为确诊病例,
    /// 尚有N人正在接受医学观察.
    fn number_first(&mut self, cur: &mut Cur) -> Option<bool> {
        let at = cur.abs();
        let mut c = *cur;
        let contains = c.eat("含");
        let lead = c.eat_any(&["尚有", "现有", "共有"]);
        let value = c.num(&self.placed)?;
        let unit = c.eat_any(&["例", "人"])?;
        let starred = stars(&mut c, &self.placed);
        if lead.is_some() && unit == 1 && c.eat("正在接受医学观察") {
            self.section = Section::Contacts;
            self.fact(
                self.region.clone(),
                self.origin,
                Measure::ContactsUnderObservation,
                value,
                at,
            );
            return Some(c.done());
        }
        if contains && c.eat("由无症状感染者转为确诊病例") {
            let base = self.last.clone().or(self.base.clone())?;
            let fig = self.fact(
                base.region.clone(),
                base.origin,
                Measure::ConfirmedNewFromAsymptomatic,
                value,
                at,
            );
            if starred > 0 {
                self.starred.push((starred, fig.clone()));
            }
            return Some(self.tail(&mut c, &fig));
        }
        if c.eat("为") {
            let origin = match c.eat_any(&["境外输入", "本土"])? {
                0 => Origin::Imported,
                _ => Origin::Local,
            };
            c.eat_any(&["疑似病例", "病例", "无症状感染者"]);
            let base = self.base.clone()?;
            let fig = self.fact(base.region.clone(), origin, base.measure, value, at);
            return Some(self.tail(&mut c, &fig));
        }
        if c.eat("已治愈") {
            // 2例已治愈: foreign notifications.
            if let Some(NoteValue { label, .. }) = self.foreign.last().cloned() {
                let country = label.split(':').next().unwrap_or("").to_string();
                self.foreign.push(NoteValue {
                    label: format!("{country}:discharged"),
                    value,
                });
            }
            return Some(c.done());
        }
        None
    }

    /// 均在北京, 在上海, 均来自湖北省: the last figure lies in one place.
    fn place(&mut self, cur: &mut Cur) -> Option<bool> {
        let mut c = *cur;
        c.eat_any(&["均在", "在", "均来自", "均为", "为"])?;
        let name = c.rest();
        let last = self.last.clone()?;
        let region = self.place_in(&last.region, name)?;
        self.fact(region, last.origin, last.measure, last.value, cur.abs());
        self.last = Some(last);
        Some(true)
    }

    /// Resolves a place named under a figure of `owner`: a province under the nation, an area
    /// under a province.
    fn place_in(&self, owner: &RegionId, name: &str) -> Option<RegionId> {
        if !names::looks_like_place(name) {
            return None;
        }
        if owner.is_nation() {
            names::province(name).map(RegionId::Code).or_else(|| {
                let (code, rest) = names::province_prefix(name)?;
                Some(names::area(code, rest))
            })
        } else {
            Some(names::area(owner.code(), name))
        }
    }

    /// Hong Kong, Macao and Taiwan, and the countries that notified cases.
    fn notified(&mut self, cur: &mut Cur) -> Option<bool> {
        let at = cur.abs();
        let mut c = *cur;
        if c.eat("累计收到港澳台地区通报确诊病例") || c.eat("境外通报确诊病例")
        {
            self.section = Section::Notified;
            if let Some(v) = c.num(&self.placed) {
                c.eat("例");
                self.day.notes.push(Note {
                    kind: NoteKind::NotifiedTotal,
                    region: None,
                    values: vec![NoteValue {
                        label: "hk_mo_tw:confirmed_cumulative".into(),
                        value: v,
                    }],
                    text: None,
                });
            }
            return Some(c.done());
        }
        if c.eat("累计收到国外通报确诊病例") || c.eat("国（境）外通报确诊病例")
        {
            self.section = Section::Notified;
            if c.done() {
                return Some(true);
            }
            let v = c.num(&self.placed)?;
            c.eat("例");
            self.foreign.push(NoteValue {
                label: "total:confirmed".into(),
                value: v,
            });
            return Some(c.done());
        }
        // 日本通报确诊病例1例
        if let Some(i) = c.rest().find("通报确诊病例") {
            let country = &c.rest()[..i];
            if names::looks_like_place(country) {
                c.pos += i + "通报确诊病例".len();
                let v = c.num(&self.placed)?;
                c.eat("例");
                self.section = Section::Notified;
                self.foreign.push(NoteValue {
                    label: format!("{country}:confirmed"),
                    value: v,
                });
                return Some(c.done());
            }
        }
        if self.section != Section::Notified {
            return None;
        }
        if c.rest().contains('、') {
            let items = split_items(c.rest());
            let mut ok = true;
            for (off, it) in items {
                let mut ic = Cur::new(it, c.abs() + off);
                ok &= self.notified(&mut ic).unwrap_or(false);
            }
            return Some(ok);
        }
        let (name, value, mut c) = region_figure(c, &self.placed)?;
        match names::province(name) {
            Some(code)
                if [RegionCode::HONG_KONG, RegionCode::MACAO, RegionCode::TAIWAN]
                    .contains(&code) =>
            {
                let fig = self.fact(
                    RegionId::Code(code),
                    Origin::All,
                    Measure::ConfirmedCumulative,
                    value,
                    at,
                );
                Some(self.tail(&mut c, &fig))
            }
            _ => {
                self.foreign.push(NoteValue {
                    label: format!("{name}:confirmed"),
                    value,
                });
                let mut rest = c.rest();
                while let Some((inner, len)) = paren_group(rest) {
                    let mut ic = Cur::new(inner, c.abs() + '（'.len_utf8());
                    let n = ic.num(&self.placed).unwrap_or(value);
                    if ic.eat("例已治愈") || ic.eat("已治愈") {
                        self.foreign.push(NoteValue {
                            label: format!("{name}:discharged"),
                            value: n,
                        });
                    } else {
                        return Some(false);
                    }
                    rest = &rest[len..];
                    c.pos += len;
                }
                Some(rest.is_empty())
            }
        }
    }

    /// Rare forms of the early bulletins.
    fn misc(&mut self, cur: &mut Cur) -> Option<bool> {
        let at = cur.abs();
        let mut c = *cur;
        // 新增内蒙古、陕西、甘肃、新疆4个省（区）
        if c.eat("新增") {
            let r = c.rest();
            if let Some(i) = r.find(|ch: char| ch.is_ascii_digit()) {
                let names_part = &r[..i];
                let mut c2 = Cur::new(r, c.abs());
                c2.pos = i;
                let n = c2.num(&self.placed)?;
                if c2.eat("个省（区）") || c2.eat("个省（区、市）") {
                    let regions: Vec<NoteValue> = names_part
                        .split('、')
                        .filter_map(names::province)
                        .map(|code| NoteValue {
                            label: code.to_string(),
                            value: 1,
                        })
                        .collect();
                    let mut values = vec![NoteValue {
                        label: "regions_newly_reporting".into(),
                        value: n,
                    }];
                    values.extend(regions);
                    self.day.notes.push(Note {
                        kind: NoteKind::FirstCases,
                        region: None,
                        values,
                        text: Some(cur.rest().to_string()),
                    });
                    return Some(c2.done());
                }
            }
        }
        let mut c = *cur;
        if let Some(name) = c.rest().strip_prefix("新增") {
            if let Some(code) = names::province(name) {
                self.day.notes.push(Note {
                    kind: NoteKind::FirstCases,
                    region: Some(RegionId::Code(code)),
                    values: Vec::new(),
                    text: Some(cur.rest().to_string()),
                });
                return Some(true);
            }
        }
        // 男性5例, 女性3例 (of the new deaths).
        if let Some(i) = c.eat_any(&["男性", "女性"]) {
            let v = c.num(&self.placed)?;
            c.eat("例");
            let last = self.base.clone()?;
            let sex = if i == 0 { "male" } else { "female" };
            self.day.notes.push(Note {
                kind: NoteKind::Remark,
                region: None,
                values: vec![NoteValue {
                    label: format!("{}:{sex}", last.measure),
                    value: v,
                }],
                text: None,
            });
            return Some(c.done());
        }
        // 比前一日减少174例 (of the asymptomatic infections under observation).
        let mut c = *cur;
        if c.eat("比前一日") {
            let sign = if c.eat("增加") {
                1
            } else if c.eat("减少") {
                -1
            } else {
                return None;
            };
            let v = c.num(&self.placed)?;
            c.eat("例");
            let last = self.last.clone()?;
            self.day.notes.push(Note {
                kind: NoteKind::Remark,
                region: Some(last.region.clone()),
                values: vec![NoteValue {
                    label: format!("{}:change", last.measure),
                    value: sign * v,
                }],
                text: None,
            });
            return Some(c.done());
        }
        let _ = at;
        None
    }

    /// A parenthesized group after a figure: a breakdown by region or origin, a part of the
    /// figure, a correction, or a note.
    fn paren(&mut self, inner: &str, at: usize, owner: &Fig) {
        let saved_base = self.base.clone();
        let saved_last = self.last.clone();
        for (soff, seg) in split_top(inner, &['；']) {
            self.segment(seg, at + soff, owner);
        }
        self.base = saved_base;
        self.last = saved_last;
    }

    /// A segment of a parenthesized group (between semicolons): a figure and what qualifies it.
    fn segment(&mut self, seg: &str, at: usize, owner: &Fig) {
        let parts = split_top(seg, &['，']);
        let mut item = owner.clone();
        let mut in_sub = false;
        let mut k = 0;
        while k < parts.len() {
            let (poff, mut part) = parts[k];
            let mut pat = at + poff;
            // A region and its reason, then the correction: 湖北省因重复统计，核减108例.
            let joined;
            if k + 1 < parts.len()
                && digit_runs(part).is_empty()
                && (parts[k + 1].1.starts_with("核减") || parts[k + 1].1.starts_with("核增"))
            {
                joined = format!("{part}{}", parts[k + 1].1);
                if self.correction(&joined, pat, owner, Some((part.len(), at + parts[k + 1].0))) {
                    k += 2;
                    continue;
                }
            }
            in_sub |= part.starts_with("其中");
            let sub = in_sub;
            for lead in ["其中：", "其中", "包括", "和"] {
                if part.len() > lead.len() && part.starts_with(lead) {
                    part = &part[lead.len()..];
                    pat += lead.len();
                }
            }
            if !self.part(part, pat, owner, &mut item, sub) {
                if part.chars().count() > 15 {
                    self.note(NoteKind::Explanation, Some(owner.region.clone()), part, pat);
                } else {
                    self.unknown(part, pat);
                }
            }
            k += 1;
        }
    }

    /// One part of a parenthesized group. `item` is the figure that 均在/在/其中 refer to.
    fn part(&mut self, part: &str, at: usize, owner: &Fig, item: &mut Fig, sub: bool) -> bool {
        if part.is_empty() {
            return true;
        }
        let mut c = Cur::new(part, at);
        if part == "无境外输入" || part == "无境外输入病例" {
            self.fact(owner.region.clone(), Origin::Imported, owner.measure, 0, at);
            return true;
        }
        // 武汉无新增死亡病例
        if let Some(i) = part.find('无').filter(|i| *i > 0) {
            if let (Some(region), Some(ph)) = (
                self.place_in(&owner.region, &part[..i]),
                phrase_at(&part[i + '无'.len_utf8()..], Section::Stocks),
            ) {
                if part[i + '无'.len_utf8()..] == *ph.zh {
                    self.fact(region, owner.origin, ph.measure, 0, at);
                    return true;
                }
            }
        }
        // Zero or a part of the owner: 无重症病例, 其中重症病例13例, 含湖北临床诊断病例13332例.
        if c.eat("无") {
            if let Some(ph) = phrase_at(c.rest(), Section::Stocks) {
                if c.rest() == ph.zh {
                    self.fact(owner.region.clone(), owner.origin, ph.measure, 0, at);
                    return true;
                }
            }
        }
        if owner.measure == Measure::SevereChange {
            if let Some(ok) = self.severe_part(part, at, owner) {
                return ok;
            }
        }
        let mut c = Cur::new(part, at);
        if c.eat("含湖北临床诊断病例") || c.eat("含临床诊断病例") {
            if let Some(v) = c.num(&self.placed) {
                c.eat("例");
                let region = if owner.region.is_nation() {
                    RegionId::Code(RegionCode::HUBEI)
                } else {
                    owner.region.clone()
                };
                self.fact(region, owner.origin, Measure::ConfirmedNewClinical, v, at);
                return c.done();
            }
        }
        let mut c = Cur::new(part, at);
        if let Some(ph) = phrase_at(c.rest(), Section::Notified) {
            if matches!(
                ph.measure,
                Measure::SevereCurrent | Measure::DischargedCumulative | Measure::DeathsCumulative
            ) && (ph.measure == Measure::SevereCurrent
                || owner.region.code() != RegionCode::NATION)
            {
                c.eat(ph.zh);
                if let Some(v) = c.num(&self.placed) {
                    c.eat("例");
                    let fig = self.fact(owner.region.clone(), owner.origin, ph.measure, v, at);
                    return self.tail(&mut c, &fig);
                }
            }
        }
        let outside = part.split('（').next().unwrap_or(part);
        if outside.contains("核减") || outside.contains("核增") || outside.contains("订正") {
            return self.correction(part, at, owner, None);
        }
        let mut c = Cur::new(part, at);
        // Origins: 境外输入5例, 本土23例, 均为境外输入, 为境外输入病例.
        {
            let all = c.eat("均为") || c.eat("为");
            if let Some(i) = c.eat_any(&["境外输入", "本土"]) {
                let origin = if i == 0 {
                    Origin::Imported
                } else {
                    Origin::Local
                };
                c.eat_any(&[
                    "无症状感染者",
                    "疑似病例",
                    "病例",
                    "转为确诊",
                    "解除医学观察",
                ]);
                if all {
                    if c.done() {
                        let other = if origin == Origin::Imported {
                            Origin::Local
                        } else {
                            Origin::Imported
                        };
                        *item =
                            self.fact(owner.region.clone(), origin, owner.measure, owner.value, at);
                        if owner.origin == Origin::All {
                            self.fact(owner.region.clone(), other, owner.measure, 0, at);
                        }
                        return true;
                    }
                    return false;
                }
                if let Some(v) = c.num(&self.placed) {
                    if c.eat("例") || c.eat("人") {
                        let fig = self.fact(owner.region.clone(), origin, owner.measure, v, at);
                        *item = fig.clone();
                        return self.tail(&mut c, &fig);
                    }
                }
                return false;
            }
        }
        // 均在北京, 在哈尔滨市, 均来自湖北省.
        let mut c = Cur::new(part, at);
        if c.eat_any(&["均在", "在", "均来自"]).is_some() {
            if let Some(region) = self.place_in(&item.region, c.rest()) {
                *item = self.fact(region, item.origin, item.measure, item.value, at);
                return true;
            }
            return false;
        }
        // 西藏首例确诊病例
        if let Some(name) = part.strip_suffix("首例确诊病例") {
            if let Some(code) = names::province(name) {
                self.day.notes.push(Note {
                    kind: NoteKind::FirstCases,
                    region: Some(RegionId::Code(code)),
                    values: Vec::new(),
                    text: Some(part.to_string()),
                });
                return true;
            }
        }
        // A region list: 广东3例, 湖北省13例、上海市1例, 河北、上海各1例, 其中郑州市N例、周口市N例.
        let target = if sub && item.region != owner.region {
            item.clone()
        } else {
            owner.clone()
        };
        if self.list(part, at, &target) {
            if target.region == owner.region {
                if let Some(last) = self.last.clone() {
                    *item = last;
                }
            }
            return true;
        }
        // 2例已治愈 and similar are handled by the notified parser.
        false
    }

    /// A part of a change in severe cases: 湖北增加897例, 另外7个省份共增加18例.
    fn severe_part(&mut self, part: &str, at: usize, owner: &Fig) -> Option<bool> {
        let (i, word) = ["增加", "减少"]
            .iter()
            .filter_map(|w| part.find(w).map(|i| (i, *w)))
            .min()?;
        let sign = if word == "增加" { 1 } else { -1 };
        let who = &part[..i];
        let mut c = Cur::new(&part[i + word.len()..], at + i + word.len());
        let v = c.num(&self.placed)?;
        c.eat("例");
        if !c.done() {
            return Some(false);
        }
        let mut wc = Cur::new(who, at);
        wc.eat("另外");
        if let Some(n) = wc.num(&self.placed) {
            if wc.eat("个省份共") && wc.done() {
                self.day.notes.push(Note {
                    kind: NoteKind::Remark,
                    region: None,
                    values: vec![
                        NoteValue {
                            label: "regions".into(),
                            value: n,
                        },
                        NoteValue {
                            label: "severe_change".into(),
                            value: sign * v,
                        },
                    ],
                    text: None,
                });
                return Some(true);
            }
            return Some(false);
        }
        let region = self.place_in(&owner.region, who)?;
        self.fact(region, owner.origin, Measure::SevereChange, sign * v, at);
        Some(true)
    }

    /// A list of region figures splitting `owner`: items separated by 、 (and 和), a shared
    /// count with 各. Returns false when `s` is not such a list.
    fn list(&mut self, s: &str, at: usize, owner: &Fig) -> bool {
        if s.is_empty() || s.starts_with(|ch: char| ch.is_ascii_digit()) {
            return false;
        }
        // 天津、河北、辽宁各1例
        if let Some(i) = s.find('各') {
            let (names_part, rest) = (&s[..i], &s[i + '各'.len_utf8()..]);
            let mut c = Cur::new(rest, at + i + '各'.len_utf8());
            let Some((npos, v)) = c.num_unmarked() else {
                return false;
            };
            if !(c.eat("例") && c.done()) {
                return false;
            }
            let mut regions = Vec::new();
            for name in names_part.split(['、', '和']).filter(|n| !n.is_empty()) {
                match self.place_in(&owner.region, name) {
                    Some(r) => regions.push(r),
                    None => return false,
                }
            }
            self.placed.mark(npos);
            for r in regions {
                self.fact(r, owner.origin, owner.measure, v, at);
            }
            return true;
        }
        let items = split_items(s);
        let mut facts = Vec::new();
        let scratch = Placed::default();
        for (ioff, it) in &items {
            let c = Cur::new(it, at + ioff);
            let Some((name, value, npos, c)) = region_figure_at(c, &scratch) else {
                return false;
            };
            let name = name.strip_suffix("新增").unwrap_or(name);
            let Some(region) = self.place_in(&owner.region, name) else {
                return false;
            };
            facts.push((region, value, npos, at + ioff, name, c));
        }
        if facts.is_empty() {
            return false;
        }
        let mut ok = true;
        for (region, value, npos, name_at, name, mut c) in facts {
            self.placed.mark(npos);
            self.placed.mark_all(name, name_at);
            let fig = self.fact(region, owner.origin, owner.measure, value, c.base);
            ok &= self.tail(&mut c, &fig);
        }
        ok
    }

    /// A correction: 四川省累计确诊病例核减1例, 江西、河南、云南省各核减1例, 核增1例,
    /// 湖北省因重复统计，核减108例, 订正重复报告病例195例, 核减境外输入1例.
    fn correction(
        &mut self,
        part: &str,
        at: usize,
        owner: &Fig,
        split: Option<(usize, usize)>,
    ) -> bool {
        let Some(kpos) = ["核减", "核增", "订正"]
            .iter()
            .filter_map(|k| part.find(k))
            .min()
        else {
            return false;
        };
        let (who, what) = part.split_at(kpos);
        // Positions of the numbers: in a joined text they map to the second part.
        let num_at = |i: usize| -> usize {
            match split {
                Some((first_len, second_at)) if i >= first_len => second_at + (i - first_len),
                _ => at + i,
            }
        };
        let mut reason = None;
        let mut who = who;
        if let Some(i) = who.find('因') {
            reason = Some(
                who[i + '因'.len_utf8()..]
                    .trim_end_matches('，')
                    .to_string(),
            );
            who = &who[..i];
        }
        let mut measure = owner.measure;
        for (label, m) in [
            ("累计确诊病例", Measure::ConfirmedCumulative),
            ("累计治愈出院病例", Measure::DischargedCumulative),
        ] {
            if let Some(w) = who.strip_suffix(label) {
                who = w;
                measure = m;
            }
        }
        let distributive = who.ends_with('各');
        let who = who.trim_end_matches('各');
        let who = who.strip_suffix('共').unwrap_or(who);
        let mut regions = Vec::new();
        if who.is_empty() {
            regions.push(owner.region.clone());
        } else {
            for name in who.split(['、', '和']).filter(|n| !n.is_empty()) {
                match self.place_in(&owner.region, name) {
                    Some(r) => regions.push(r),
                    None => return false,
                }
            }
        }
        if regions.len() > 1 && !distributive {
            return false;
        }
        let mut c = Cur::new(what, 0);
        let kind = match c.eat_any(&["核减", "核增", "订正核减", "订正重复报告病例", "订正"])
        {
            Some(0) => CorrectionKind::Reduce,
            Some(1) => CorrectionKind::Increase,
            Some(2) => CorrectionKind::Reduce,
            Some(3) => {
                reason = Some("重复报告".into());
                CorrectionKind::Revise
            }
            _ => CorrectionKind::Revise,
        };
        let mut origin = owner.origin;
        if c.eat("境外输入") {
            origin = Origin::Imported;
        }
        let Some((npos, v)) = c.num_unmarked() else {
            return false;
        };
        if !(c.eat("例") || c.eat("人")) || !c.done() {
            return false;
        }
        self.placed.mark(num_at(kpos + npos));
        let delta = if kind == CorrectionKind::Increase {
            v
        } else {
            -v
        };
        for region in regions {
            self.day.corrections.push(Correction {
                region,
                origin,
                measure,
                kind,
                delta: Some(delta),
                restated: None,
                refers_to: None,
                reason: reason.clone(),
            });
        }
        true
    }

    /// A parenthesized clause standing alone in a sentence: (11月17日尚在医学观察数核增1例).
    fn standalone_paren(&mut self, inner: &str, at: usize) {
        if inner.starts_with("注：") || inner.starts_with("注:") {
            self.footnote(inner, at);
            return;
        }
        let mut c = Cur::new(inner, at);
        let mut refers_to = None;
        if let Some((mpos, m)) = c.num_unmarked() {
            if c.eat("月") {
                if let Some((dpos, d)) = c.num_unmarked() {
                    if c.eat("日") {
                        refers_to = Date::from_ymd(self.date.year(), m as u32, d as u32);
                        self.placed.mark(mpos);
                        self.placed.mark(dpos);
                    }
                }
            }
            if refers_to.is_none() {
                c = Cur::new(inner, at);
            }
        }
        if self.footnote_item(c.rest(), c.abs(), refers_to) {
            return;
        }
        self.unknown(inner, at);
    }

    /// Footnotes: 注：…, 备注：*…, *订正后数据, [1]订正后数据, (2021年8月23日订正).
    fn footnote(&mut self, s: &str, at: usize) {
        let mut c = Cur::new(s, at);
        c.eat("（");
        c.eat_any(&["备注：", "注：", "注:"]);
        let inner = c.rest().trim_end_matches('）');
        let base = c.abs();
        // (2021年8月23日订正): when a correction was made.
        {
            let mut d = Cur::new(inner, base);
            if let (Some((yp, y)), true) = (d.num_unmarked(), d.eat("年")) {
                if let (Some((mp, m)), true) = (d.num_unmarked(), d.eat("月")) {
                    if let (Some((dp, dd)), true) = (d.num_unmarked(), d.eat("日")) {
                        if d.rest() == "订正" || d.rest() == "更正" {
                            for p in [yp, mp, dp] {
                                self.placed.mark(p);
                            }
                            self.day.notes.push(Note {
                                kind: NoteKind::Footnote,
                                region: None,
                                values: vec![NoteValue {
                                    label: "corrected_on".into(),
                                    value: y * 10000 + m * 100 + dd,
                                }],
                                text: Some(s.to_string()),
                            });
                            return;
                        }
                    }
                }
            }
        }
        for (off, item) in split_top(inner, &['；', '，'])
            .into_iter()
            .flat_map(|(o, it)| split_stars(it).into_iter().map(move |(o2, x)| (o + o2, x)))
        {
            let mut item_at = base + off;
            let mut item = item;
            // Numbered items: 1. …, 2. …
            let mut ic = Cur::new(item, item_at);
            if let Some((p, _)) = ic.num_unmarked() {
                if ic.eat(".") || ic.eat("、") {
                    self.placed.mark(p);
                    item = ic.rest();
                    item_at = ic.abs();
                }
            }
            if item.starts_with("媒体引用时") || item.starts_with("请标注") || item.is_empty()
            {
                continue;
            }
            if !self.footnote_item(item, item_at, None) {
                self.unknown(item, item_at);
            }
        }
    }

    /// One item of a footnote.
    fn footnote_item(&mut self, item: &str, at: usize, refers_to: Option<Date>) -> bool {
        let mut c = Cur::new(item, at);
        let stars = stars(&mut c, &self.placed);
        c.eat("为");
        let body = c.rest();
        let body_at = c.abs();
        if stars > 0 {
            let figs: Vec<Fig> = self
                .starred
                .iter()
                .filter(|(n, _)| *n == stars)
                .map(|(_, f)| f.clone())
                .collect();
            let Some(fig) = figs.first().cloned() else {
                return false;
            };
            if ["订正后数据", "为订正后数据", "更正后的数字", "订正后的数据"].contains(&body)
            {
                for f in &figs {
                    self.day.corrections.push(Correction {
                        region: f.region.clone(),
                        origin: f.origin,
                        measure: f.measure,
                        kind: CorrectionKind::Revise,
                        delta: None,
                        restated: Some(f.value),
                        refers_to: None,
                        reason: Some("订正后数据".into()),
                    });
                }
                return true;
            }
            // *核减1例当日解除医学观察的无症状感染者，即8月2日…为13例 (split at the comma by
            // the caller: the restated value comes as its own item).
            if let Some(rest) = body.strip_prefix("核减").or(body.strip_prefix("核增")) {
                let increase = body.starts_with("核增");
                let mut rc = Cur::new(rest, body_at + "核减".len());
                if let Some(v) = rc.num(&self.placed) {
                    rc.eat("例");
                    self.day.corrections.push(Correction {
                        region: fig.region.clone(),
                        origin: fig.origin,
                        measure: fig.measure,
                        kind: if increase {
                            CorrectionKind::Increase
                        } else {
                            CorrectionKind::Reduce
                        },
                        delta: Some(if increase { v } else { -v }),
                        restated: None,
                        refers_to,
                        reason: None,
                    });
                    return true;
                }
            }
            // *吉林核增1例, *为山东核减1例
            let owner = Fig {
                region: RegionId::NATION,
                ..fig.clone()
            };
            if self.correction(body, body_at, &owner, None) {
                if let Some(last) = self.day.corrections.last_mut() {
                    last.measure = fig.measure;
                    last.origin = fig.origin;
                    if last.region.is_nation() {
                        last.region = fig.region.clone();
                    }
                }
                return true;
            }
            // *香港4月21日对出院数据进行订正，…
            if let Some(i) = body.find("对") {
                if let Some(code) = names::province(
                    body[..i]
                        .split(|ch: char| ch.is_ascii_digit())
                        .next()
                        .unwrap_or(""),
                ) {
                    self.placed.mark_all(body, body_at);
                    self.day.notes.push(Note {
                        kind: NoteKind::Footnote,
                        region: Some(RegionId::Code(code)),
                        values: Vec::new(),
                        text: Some(item.to_string()),
                    });
                    self.day.corrections.push(Correction {
                        region: RegionId::Code(code),
                        origin: fig.origin,
                        measure: fig.measure,
                        kind: CorrectionKind::Revise,
                        delta: None,
                        restated: Some(fig.value),
                        refers_to: None,
                        reason: Some("当地对数据进行订正".into()),
                    });
                    return true;
                }
            }
            return false;
        }
        // 即8月2日当日解除医学观察的无症状感染者为13例: the restated value of a starred figure.
        if let Some(rest) = body.strip_prefix("即") {
            let mut rc = Cur::new(rest, body_at + "即".len());
            let (mp, _) = rc.num_unmarked().unwrap_or((0, 0));
            if rc.eat("月") {
                if let Some((dp, _)) = rc.num_unmarked() {
                    rc.eat("日");
                    self.placed.mark(mp);
                    self.placed.mark(dp);
                }
            }
            if let Some(i) = rc.rest().rfind('为') {
                let mut vc = Cur::new(
                    &rc.rest()[i + '为'.len_utf8()..],
                    rc.abs() + i + '为'.len_utf8(),
                );
                if let Some(v) = vc.num(&self.placed) {
                    if let Some(last) = self.day.corrections.last_mut() {
                        last.restated = Some(v);
                    }
                    return true;
                }
            }
            return false;
        }
        // 累计确诊病例数订正增加12例, 尚在医学观察无症状感染者核增1例, 尚在医学观察数核增1例.
        let mut c = Cur::new(body, body_at);
        let measure = if c.eat("累计确诊病例数") || c.eat("累计确诊病例") {
            Measure::ConfirmedCumulative
        } else if c.eat("尚在医学观察无症状感染者") || c.eat("尚在医学观察的无症状感染者")
        {
            Measure::AsymptomaticUnderObservation
        } else if c.eat("尚在医学观察数") {
            if self.section == Section::Asymptomatic {
                Measure::AsymptomaticUnderObservation
            } else {
                Measure::ContactsUnderObservation
            }
        } else {
            return false;
        };
        let kind = match c.eat_any(&["订正增加", "订正减少", "核增", "核减"]) {
            Some(0) => (CorrectionKind::Revise, 1),
            Some(1) => (CorrectionKind::Revise, -1),
            Some(2) => (CorrectionKind::Increase, 1),
            Some(3) => (CorrectionKind::Reduce, -1),
            _ => return false,
        };
        let Some(v) = c.num(&self.placed) else {
            return false;
        };
        c.eat("例");
        self.day.corrections.push(Correction {
            region: RegionId::NATION,
            origin: Origin::All,
            measure,
            kind: kind.0,
            delta: Some(kind.1 * v),
            restated: None,
            refers_to,
            reason: None,
        });
        c.done()
    }

    /// 据此，2月19日0—24时，全国新增确诊病例订正为820例，全国累计确诊病例订正为75002例.
    fn restatements(&mut self, s: &str, at: usize) {
        let mut refers_to = None;
        for (off, clause) in split_top(s, &['，']) {
            let cat = at + off;
            let mut c = Cur::new(clause, cat);
            if let Some(h) = header(&mut c) {
                self.placed.mark_all(clause, cat);
                refers_to = Date::from_ymd(
                    self.date.year(),
                    h.month.unwrap_or(self.date.month()),
                    h.day,
                );
                continue;
            }
            c.eat("全国");
            let Some(ph) = phrase_at(c.rest(), Section::Stocks).or_else(|| {
                [("累计出院病例", Measure::DischargedCumulative)]
                    .iter()
                    .find(|(z, _)| c.rest().starts_with(z))
                    .map(|_| &super::lexicon::PHRASES[0])
            }) else {
                self.unknown(clause, cat);
                continue;
            };
            let (zh, measure) = if c.rest().starts_with("累计出院病例") {
                ("累计出院病例", Measure::DischargedCumulative)
            } else {
                (ph.zh, ph.measure)
            };
            c.eat(zh);
            if !c.eat("订正为") {
                self.unknown(clause, cat);
                continue;
            }
            let Some(v) = c.num(&self.placed) else {
                continue;
            };
            self.day.corrections.push(Correction {
                region: RegionId::NATION,
                origin: Origin::All,
                measure,
                kind: CorrectionKind::Revise,
                delta: None,
                restated: Some(v),
                refers_to,
                reason: None,
            });
        }
    }
}

/// Reads `name N例` at the cursor (the name is everything before the first digit).
fn region_figure<'a>(mut c: Cur<'a>, placed: &Placed) -> Option<(&'a str, i64, Cur<'a>)> {
    let (name, v, npos, c2) = region_figure_at(c, placed)?;
    placed.mark(npos);
    c = c2;
    Some((name, v, c))
}

/// Like [`region_figure`], returning the number's position without marking it.
fn region_figure_at<'a>(mut c: Cur<'a>, placed: &Placed) -> Option<(&'a str, i64, usize, Cur<'a>)> {
    let r = c.rest();
    // The count is the first number followed by 例 or 人 (仙桃等4市新增13例).
    let (i, _) = digit_runs(r).into_iter().find(|(at, d)| {
        let after = &r[at + d.len()..];
        after.starts_with('例') || after.starts_with('人') || after.starts_with('*')
    })?;
    let name = &r[..i];
    if !names::looks_like_place(name.strip_suffix("新增").unwrap_or(name)) {
        return None;
    }
    let name_at = c.abs();
    c.pos += i;
    let (npos, v) = c.num_unmarked()?;
    if !c.eat("例") && !c.eat("人") {
        return None;
    }
    placed.mark_all(name, name_at);
    Some((name, v, npos, c))
}

/// Splits a list at 、 and at 和 between items.
fn split_items(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for (off, it) in split_top(s, &['、']) {
        // 四川省2例和云南省1例
        match it.find("例和") {
            Some(i) => {
                let cut = i + "例".len();
                out.push((off, &it[..cut]));
                out.push((off + cut + "和".len(), &it[cut + "和".len()..]));
            }
            None => out.push((off, it)),
        }
    }
    out
}

/// Splits `*A**B` into `*A` and `**B`.
fn split_stars(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let b = s.as_bytes();
    for i in 1..b.len() {
        if b[i] == b'*' && b[i - 1] != b'*' {
            out.push((start, &s[start..i]));
            start = i;
        }
    }
    out.push((start, &s[start..]));
    out
}

/// Counts asterisks (or a trailing `*` before 例) at the cursor.
fn stars(c: &mut Cur, placed: &Placed) -> usize {
    let mut n = 0;
    while c.eat("*") || c.eat("＊") {
        n += 1;
    }
    if n == 0 {
        let at = c.abs();
        if let Some(i) = c.eat_any(&["[1]", "[2]", "[3]"]) {
            placed.mark(at + 1);
            n = i + 1;
        }
    }
    n
}

/// Whether a sentence is a footnote.
fn is_footnote(s: &str) -> bool {
    s.starts_with("注：")
        || s.starts_with("备注：")
        || s.starts_with("（注：")
        || s.starts_with('*')
        || s.starts_with('＊')
        || s.starts_with("[1]")
        || (s.starts_with('（') && s.ends_with("订正）"))
}

/// Words that carry nothing of the ledger.
fn is_filler(s: &str) -> bool {
    matches!(
        s,
        "其中" | "据此" | "另外" | "）" | "" | "报告" | "累计报告"
    )
}

/// `17例死亡病例病情介绍`: the count of the deaths described.
fn case_descriptions(s: &str) -> Option<i64> {
    let i = s.find("例死亡病例病情介绍")?;
    if i == 0 || !s[..i].bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s[..i].parse().ok()
}
