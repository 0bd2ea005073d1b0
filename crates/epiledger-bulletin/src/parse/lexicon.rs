//! The bulletin's phrases for the measures of the ledger, shared by the parser and the
//! renderer: one table, so that a phrase the parser reads is a phrase the renderer can write.

use epiledger_core::{Measure, Origin};

/// Which part of the bulletin a clause belongs to; some phrases mean different measures in
/// different parts (当日解除医学观察: contacts or asymptomatic infections).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// The flows of the day (0—24时).
    Flows,
    /// The stocks at 24:00 (截至…24时).
    Stocks,
    /// Close contacts.
    Contacts,
    /// Asymptomatic infections.
    Asymptomatic,
    /// Hong Kong, Macao and Taiwan, and foreign notifications.
    Notified,
}

/// A measure phrase: the words, the measure, an origin it implies, and the sections it may
/// appear in (empty: any).
pub struct Phrase {
    /// The words.
    pub zh: &'static str,
    /// The measure they name.
    pub measure: Measure,
    /// The origin the words imply, if any.
    pub origin: Option<Origin>,
    /// Sections the phrase is read in; empty for any.
    pub sections: &'static [Section],
}

const fn p(zh: &'static str, measure: Measure) -> Phrase {
    Phrase {
        zh,
        measure,
        origin: None,
        sections: &[],
    }
}
const fn ps(zh: &'static str, measure: Measure, sections: &'static [Section]) -> Phrase {
    Phrase {
        zh,
        measure,
        origin: None,
        sections,
    }
}
const fn po(zh: &'static str, measure: Measure, origin: Origin) -> Phrase {
    Phrase {
        zh,
        measure,
        origin: Some(origin),
        sections: &[],
    }
}

use Measure as M;
use Section as S;

/// Every measure phrase, longest first where one is a prefix of another.
pub static PHRASES: &[Phrase] = &[
    p("新增新型冠状病毒感染的肺炎确诊病例", M::ConfirmedNew),
    po(
        "新增报告境外输入确诊病例",
        M::ConfirmedNew,
        Origin::Imported,
    ),
    po(
        "累计报告境外输入确诊病例",
        M::ConfirmedCumulative,
        Origin::Imported,
    ),
    p("新增确诊病例", M::ConfirmedNew),
    p("新增重症病例", M::SevereChange),
    p("新增死亡病例", M::DeathsNew),
    p("新增死亡患者", M::DeathsNew),
    p("新增死亡", M::DeathsNew),
    p("新增疑似病例", M::SuspectedNew),
    p("当日新增治愈出院病例", M::DischargedNew),
    p("当日新增治愈出院", M::DischargedNew),
    p("新增治愈出院病例", M::DischargedNew),
    p("新增治愈出院", M::DischargedNew),
    p("当日解除医学观察的密切接触者", M::ContactsReleased),
    p("解除医学观察的密切接触者", M::ContactsReleased),
    p("新增无症状感染者", M::AsymptomaticNew),
    ps(
        "当日转为确诊病例",
        M::AsymptomaticToConfirmed,
        &[S::Asymptomatic],
    ),
    ps(
        "转为确诊病例",
        M::AsymptomaticToConfirmed,
        &[S::Asymptomatic],
    ),
    p("当日解除医学观察的无症状感染者", M::AsymptomaticReleased),
    ps(
        "当日解除医学观察",
        M::AsymptomaticReleased,
        &[S::Asymptomatic],
    ),
    ps("当日解除隔离", M::AsymptomaticReleased, &[S::Asymptomatic]),
    ps("当日解除医学观察", M::ContactsReleased, &[S::Contacts]),
    ps(
        "已解除医学观察",
        M::ContactsReleasedCumulative,
        &[S::Contacts],
    ),
    p(
        "尚在医学观察的无症状感染者",
        M::AsymptomaticUnderObservation,
    ),
    p("尚在医学观察无症状感染者", M::AsymptomaticUnderObservation),
    p("尚在医学观察的密切接触者", M::ContactsUnderObservation),
    p("现有确诊病例", M::ConfirmedCurrent),
    p("隔离治疗", M::ConfirmedCurrent),
    p("现有重症病例", M::SevereCurrent),
    p("其中重症病例", M::SevereCurrent),
    p("含重症病例", M::SevereCurrent),
    p("重症病例", M::SevereCurrent),
    p("其中重症", M::SevereCurrent),
    p("重症", M::SevereCurrent),
    p("现有疑似病例", M::SuspectedCurrent),
    p("共有疑似病例", M::SuspectedCurrent),
    p(
        "累计报告新型冠状病毒感染的肺炎确诊病例",
        M::ConfirmedCumulative,
    ),
    p("累计报告确诊病例", M::ConfirmedCumulative),
    p("累计确诊病例", M::ConfirmedCumulative),
    p("累计治愈出院病例", M::DischargedCumulative),
    p("累计治愈出院", M::DischargedCumulative),
    p("累计出院病例", M::DischargedCumulative),
    p("已治愈出院", M::DischargedCumulative),
    p("累计死亡病例", M::DeathsCumulative),
    p("累计死亡", M::DeathsCumulative),
    ps("死亡病例", M::DeathsCumulative, &[S::Stocks]),
    ps("死亡", M::DeathsCumulative, &[S::Stocks, S::Notified]),
    ps("出院", M::DischargedCumulative, &[S::Notified]),
    ps("治愈出院", M::DischargedCumulative, &[S::Notified]),
    p("解除医学观察无症状感染者", M::AsymptomaticReleased),
    p("累计报告疑似病例", M::SuspectedCumulative),
    p("目前累计追踪到密切接触者", M::ContactsTracedCumulative),
    p("累计追踪到密切接触者", M::ContactsTracedCumulative),
    p("目前追踪到密切接触者", M::ContactsTracedCumulative),
];

/// The phrase at the start of `s` that may be read in `section`, longest match.
pub fn phrase_at(s: &str, section: Section) -> Option<&'static Phrase> {
    PHRASES
        .iter()
        .filter(|ph| s.starts_with(ph.zh))
        .filter(|ph| ph.sections.is_empty() || ph.sections.contains(&section))
        .max_by_key(|ph| ph.zh.len())
}

/// The section that a measure's phrase opens.
pub fn section_of(m: Measure, current: Section) -> Section {
    match m {
        M::AsymptomaticNew | M::AsymptomaticUnderObservation => S::Asymptomatic,
        M::AsymptomaticReleased | M::AsymptomaticToConfirmed => S::Asymptomatic,
        M::ContactsTracedCumulative | M::ContactsUnderObservation => S::Contacts,
        M::ContactsReleasedCumulative => S::Contacts,
        M::ContactsReleased if current == S::Asymptomatic => S::Flows,
        _ => current,
    }
}

/// The coverage measure ("N省（区、市）报告…") that goes with a measure.
pub fn coverage_of(m: Measure) -> Option<Measure> {
    match m {
        M::ConfirmedNew => Some(M::RegionsConfirmedNew),
        M::SuspectedNew => Some(M::RegionsSuspectedNew),
        M::ConfirmedCumulative => Some(M::RegionsConfirmedCumulative),
        M::SuspectedCumulative => Some(M::RegionsSuspectedCumulative),
        _ => None,
    }
}
