//! Hong Kong, Macao and Taiwan, foreign notifications, and rare forms of the early bulletins.

use epiledger_core::{Measure, Note, NoteKind, NoteValue, Origin, RegionCode, RegionId};

use super::super::cursor::{paren_group, Cur};
use super::super::lexicon::Section;
use super::super::names;
use super::*;

impl Parser<'_> {
    /// Hong Kong, Macao and Taiwan, and the countries that notified cases.
    pub(super) fn notified(&mut self, cur: &mut Cur) -> Option<bool> {
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
    pub(super) fn misc(&mut self, cur: &mut Cur) -> Option<bool> {
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
        None
    }
}
