//! Parenthesized breakdowns of a figure: regions, areas, origins, parts and corrections.

use epiledger_core::{Measure, Note, NoteKind, NoteValue, Origin, RegionCode, RegionId};

use super::super::cursor::{digit_runs, split_top, Cur, Placed};
use super::super::lexicon::{phrase_at, Section};
use super::super::names;
use super::*;

impl Parser<'_> {
    /// A parenthesized group after a figure: a breakdown by region or origin, a part of the
    /// figure, a correction, or a note.
    pub(super) fn paren(&mut self, inner: &str, at: usize, owner: &Fig) {
        let saved_base = self.base.clone();
        let saved_last = self.last.clone();
        for (soff, seg) in split_top(inner, &['；']) {
            self.segment(seg, at + soff, owner);
        }
        self.base = saved_base;
        self.last = saved_last;
    }

    /// A segment of a parenthesized group (between semicolons): a figure and what qualifies it.
    pub(super) fn segment(&mut self, seg: &str, at: usize, owner: &Fig) {
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
                    self.unknown(part);
                }
            }
            k += 1;
        }
    }

    /// One part of a parenthesized group. `item` is the figure that 均在/在/其中 refer to.
    pub(super) fn part(
        &mut self,
        part: &str,
        at: usize,
        owner: &Fig,
        item: &mut Fig,
        sub: bool,
    ) -> bool {
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
    pub(super) fn severe_part(&mut self, part: &str, at: usize, owner: &Fig) -> Option<bool> {
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
    pub(super) fn list(&mut self, s: &str, at: usize, owner: &Fig) -> bool {
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
}
