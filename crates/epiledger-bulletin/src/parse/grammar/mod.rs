//! The grammar of the bulletins: sentences, clauses, figures and their parenthesized
//! breakdowns, read with a little state (the section, the subject region and origin, the figure
//! that a following 其中/均为/在 refers to).

use epiledger_core::{Date, Day, Fact, Measure, Note, NoteKind, NoteValue, Origin, RegionId};

use super::cursor::{digit_runs, paren_group, split_top, Cur, Placed};
use super::lexicon::Section;

/// The result of parsing a normalized text.
pub(crate) struct Output {
    pub day: Day,
    pub placed: Placed,
    pub ignored: Vec<String>,
    /// The span of the bulletin within the text (prefix and trailing citation excluded).
    pub start: usize,
    pub end: usize,
}

mod breakdown;
mod clause;
mod correction;
mod frame;
mod items;
mod notified;

use frame::*;
use items::*;

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

impl<'t> Parser<'t> {
    pub(super) fn fail(&mut self, at: usize, m: impl Into<String>) {
        self.errors.push((at, m.into()));
    }

    pub(super) fn body(&mut self, start: usize, end: usize) {
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

    pub(super) fn sentence(&mut self, s: &str, base: usize) {
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
        let clauses = split_top(s, &['，', '；', '：']);
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
                self.unknown(c);
            }
            k += 1;
        }
    }

    /// Sets the subject of a sentence from how it opens.
    pub(super) fn reset_for_sentence(&mut self, s: &str) {
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

    pub(super) fn note(&mut self, kind: NoteKind, region: Option<RegionId>, s: &str, base: usize) {
        self.placed.mark_all(s, base);
        self.day.notes.push(Note {
            kind,
            region,
            values: Vec::new(),
            text: Some(s.to_string()),
        });
    }

    pub(super) fn unknown(&mut self, c: &str) {
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
    }

    pub(super) fn fact(
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
}
