//! Clauses: a measure phrase and its figure, zero forms, origin splits, places.

use epiledger_core::{Measure, NoteValue, Origin, RegionCode, RegionId};

use super::super::cursor::{paren_group, Cur};
use super::super::lexicon::{coverage_of, phrase_at, section_of, Section};
use super::super::names;
use super::*;

impl Parser<'_> {
    /// One clause of a sentence. Returns false when it is not understood.
    pub(super) fn clause(&mut self, c: &str, at: usize) -> bool {
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
            if header(&mut h).is_some() {
                self.placed.mark_all(&c[..h.pos], at);
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
    pub(super) fn subject(&mut self, cur: &mut Cur) -> bool {
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
        self.predicate(cur, coverage)
    }

    /// A predicate: a measure phrase with its number, a zero form, an origin split, a place, or
    /// a list of region figures.
    pub(super) fn predicate(&mut self, cur: &mut Cur, coverage: Option<(usize, i64)>) -> bool {
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
    pub(super) fn tail(&mut self, c: &mut Cur, fig: &Fig) -> bool {
        let stars = stars(c, &self.placed);
        if stars > 0 {
            self.starred.push((stars, fig.clone()));
        }
        let rest = c.rest();
        let at = c.abs();
        self.parens_after(rest, at, fig)
    }

    /// Parenthesized groups after a figure; false when other text follows.
    pub(super) fn parens_after(&mut self, mut rest: &str, mut at: usize, fig: &Fig) -> bool {
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
    pub(super) fn severe_change(&mut self, cur: &mut Cur) -> Option<bool> {
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
    pub(super) fn origin_split(&mut self, cur: &mut Cur) -> Option<bool> {
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
    pub(super) fn all_of_origin(
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
    pub(super) fn number_first(&mut self, cur: &mut Cur) -> Option<bool> {
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
    pub(super) fn place(&mut self, cur: &mut Cur) -> Option<bool> {
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
    pub(super) fn place_in(&self, owner: &RegionId, name: &str) -> Option<RegionId> {
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
}
