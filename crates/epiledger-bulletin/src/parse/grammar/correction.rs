//! Corrections and footnotes: 核减, 核增, 订正, asterisks, restated figures.

use epiledger_core::{
    Correction, CorrectionKind, Date, Measure, Note, NoteKind, NoteValue, Origin, RegionId,
};

use super::super::cursor::{split_top, Cur};
use super::super::lexicon::{phrase_at, Section};
use super::super::names;
use super::*;

impl Parser<'_> {
    /// A correction: 四川省累计确诊病例核减1例, 江西、河南、云南省各核减1例, 核增1例,
    /// 湖北省因重复统计，核减108例, 订正重复报告病例195例, 核减境外输入1例.
    pub(super) fn correction(
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
    pub(super) fn standalone_paren(&mut self, inner: &str, at: usize) {
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
        self.unknown(inner);
    }

    /// Footnotes: 注：…, 备注：*…, *订正后数据, [1]订正后数据, (2021年8月23日订正).
    pub(super) fn footnote(&mut self, s: &str, at: usize) {
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
        let notes_before = self.day.notes.len();
        let mut loose = false;
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
                if digit_runs(item).is_empty() {
                    loose = true;
                } else {
                    self.unknown(item);
                }
            }
        }
        // Words that are no correction (*近期，香港和澳门…详情请见其官网): the footnote line is
        // kept whole, with the figures its stars mark.
        if loose {
            let line = s.to_string();
            if let Some(n) = self.day.notes[notes_before..]
                .iter_mut()
                .find(|n| n.kind == NoteKind::Footnote && n.text.is_some())
            {
                n.text = Some(line);
                return;
            }
            let stars = s
                .trim_start_matches(['备', '注', '：'])
                .chars()
                .take_while(|ch| *ch == '*')
                .count();
            let values = self
                .starred
                .iter()
                .filter(|(n, _)| stars > 0 && *n == stars)
                .map(|(n, f)| NoteValue {
                    label: format!("*:{}:{}:{}", f.region, f.origin.name(), f.measure.name()),
                    value: *n as i64,
                })
                .collect();
            self.day.notes.push(Note {
                kind: NoteKind::Footnote,
                region: None,
                values,
                text: Some(line),
            });
        }
    }

    /// One item of a footnote.
    pub(super) fn footnote_item(&mut self, item: &str, at: usize, refers_to: Option<Date>) -> bool {
        let mut c = Cur::new(item, at);
        let stars = stars(&mut c, &self.placed);
        // The footnote's words as stated, for the reason of a restated figure.
        let stated = c.rest();
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
                        reason: Some(stated.to_string()),
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
                    // One correction for each figure the stars mark.
                    for f in &figs {
                        self.day.corrections.push(Correction {
                            region: f.region.clone(),
                            origin: f.origin,
                            measure: f.measure,
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
                    }
                    return true;
                }
            }
            // *吉林核增1例, *为山东核减1例
            let owner = Fig {
                region: RegionId::NATION,
                ..fig.clone()
            };
            if self.correction(body, body_at, &owner, None) {
                // One correction for each figure the stars mark.
                if let Some(first) = self.day.corrections.pop() {
                    for f in &figs {
                        let mut c = first.clone();
                        c.measure = f.measure;
                        c.origin = f.origin;
                        if c.region.is_nation() {
                            c.region = f.region.clone();
                        }
                        self.day.corrections.push(c);
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
    pub(super) fn restatements(&mut self, s: &str, at: usize) {
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
            let Some(ph) = phrase_at(c.rest(), Section::Stocks) else {
                self.unknown(clause);
                continue;
            };
            let measure = ph.measure;
            c.eat(ph.zh);
            if !c.eat("订正为") {
                self.unknown(clause);
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
