//! Recording how a bulletin worded its day where it left its period's conventions: the
//! variants of the phrase slots of [`crate::phrasing`], and the province's own order of areas
//! listed at equal counts. The renderer reads them back from the day's
//! [`NoteKind::Phrasing`](epiledger_core::NoteKind::Phrasing) note.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use epiledger_core::{Count, Date, Day, Measure, Origin, RegionCode, RegionId};

use crate::phrasing::{
    AllImported, HeaderYear, Phrasing, SevereUnchanged, SevereVs, Slot, FOOTNOTE_PREFIXES,
};
use crate::vocab::periods::{layout, style, SinglePlace};
use crate::vocab::regions::{code_order, full_zh, short_zh};

use super::names;

/// Whether the day-wide slots are read: from the regular bulletin of March 2020 on (the first
/// weeks' forms are the periods' own).
fn regular(d: &Date) -> bool {
    d.year() > 2020 || d.month() >= 3
}

/// Adds the day's phrasing note, if the text (normalized; `raw` as published) left any
/// convention of its period.
pub fn record(text: &str, raw: &str, day: &mut Day) {
    let mut p = Phrasing::default();
    order(text, day, &mut p);
    national_order(text, day, &mut p);
    positions(text, day, &mut p);
    separators(text, day, &mut p);
    half_width_separators(raw, day, &mut p);
    short_names(text, day, &mut p);
    if let Some(date) = day.date.filter(regular) {
        slots(text, date, &mut p);
        per_measure(text, &mut p);
    }
    if let Some(n) = p.note() {
        day.notes.push(n);
    }
}

/// A province's list of areas: (measure, origin, province).
type ListKey = (Measure, Origin, RegionId);

/// The areas of one province listed at equal counts in another order than by code: their
/// ranks in the source's order.
fn order(text: &str, day: &Day, p: &mut Phrasing) {
    for ((measure, origin, _), areas) in area_lists(day) {
        let mut values: Vec<Count> = areas.iter().map(|a| a.1).collect();
        values.sort_unstable();
        values.dedup();
        for v in values {
            let tied: Vec<&RegionId> = areas.iter().filter(|a| a.1 == v).map(|a| a.0).collect();
            if tied.len() < 2 {
                continue;
            }
            let mut by_code = tied.clone();
            by_code.sort_by_key(|r| code_order(r));
            let named: Vec<_> = by_code
                .iter()
                .map(|r| (*r, format!("{}{v}例", full_zh(r))))
                .collect();
            let Some(stated) = stated_order(text, &['；', '。', '）'], &named) else {
                continue;
            };
            if by_code != stated {
                for (i, r) in stated.iter().enumerate() {
                    p.set_rank(measure, origin, r, i as Count + 1);
                }
            }
        }
    }
}

/// A place without a code (北京涉冬（残）奥闭环人员) listed at an equal count with provinces in
/// the nation's lists: it has no place in the code order, so the text's order is recorded for
/// the tied places.
fn national_order(text: &str, day: &Day, p: &mut Phrasing) {
    let present = |r: &RegionId, m: Measure, o: Origin| {
        day.facts
            .iter()
            .any(|f| &f.region == r && f.measure == m && f.origin == o)
    };
    let mut lists: HashMap<(Measure, Origin), Vec<(&RegionId, Count)>> = HashMap::new();
    for f in &day.facts {
        let listed = match &f.region {
            RegionId::Code(c) => c.is_province_level() && !f.region.is_nation(),
            RegionId::Area { parent, .. } => {
                parent.is_province_level()
                    && *parent != RegionCode::XPCC
                    && !present(&RegionId::Code(*parent), f.measure, f.origin)
            }
        };
        if listed {
            lists
                .entry((f.measure, f.origin))
                .or_default()
                .push((&f.region, f.value));
        }
    }
    for ((measure, origin), places) in lists {
        for (area, v) in places
            .iter()
            .filter(|(r, _)| matches!(r, RegionId::Area { .. }))
        {
            let tied: Vec<&RegionId> = places
                .iter()
                .filter(|(r, value)| value == v || r == area)
                .map(|(r, _)| *r)
                .collect();
            if tied.len() < 2 {
                continue;
            }
            let name = |r: &RegionId| match r {
                RegionId::Area { parent, .. } => {
                    format!("{}{}", short_zh(&RegionId::Code(*parent)), full_zh(r))
                }
                _ => short_zh(r),
            };
            let named: Vec<_> = tied
                .iter()
                .map(|r| (*r, format!("{}{v}例", name(r))))
                .collect();
            let stated = stated_order(text, &['。'], &named);
            let mut by_code = tied.clone();
            by_code.sort_by_key(|r| code_order(r));
            if let Some(stated) = stated.filter(|s| *s != by_code) {
                for (i, r) in stated.iter().enumerate() {
                    p.set_rank(measure, origin, r, i as Count + 1);
                }
            }
        }
    }
}

/// The items in the order that one part of the text (between `separators`) states them, if
/// one part names them all (`莆田市1例、厦门市1例`): each item comes with its words.
fn stated_order<T: Copy>(text: &str, separators: &[char], named: &[(T, String)]) -> Option<Vec<T>> {
    text.split(separators).find_map(|part| {
        let mut at = Vec::with_capacity(named.len());
        for (item, words) in named {
            at.push((part.find(words.as_str())?, *item));
        }
        at.sort_by_key(|a| a.0);
        Some(at.into_iter().map(|a| a.1).collect())
    })
}

/// The lists of areas by province: (measure, origin, province) → the areas with their counts.
fn area_lists(day: &Day) -> HashMap<ListKey, Vec<(&RegionId, Count)>> {
    let mut lists: HashMap<ListKey, Vec<(&RegionId, Count)>> = HashMap::new();
    for f in &day.facts {
        if f.region.is_nation() || matches!(f.region, RegionId::Code(c) if c.is_province_level()) {
            continue;
        }
        lists
            .entry((f.measure, f.origin, RegionId::Code(f.region.province())))
            .or_default()
            .push((&f.region, f.value));
    }
    lists
}

/// A province's list of areas stated in an order that is not by count (张掖市4例、兰州市1例，
/// 兰州新区1例，嘉峪关市2例): the position of every area of the list.
fn positions(text: &str, day: &Day, p: &mut Phrasing) {
    for ((measure, origin, _), areas) in area_lists(day) {
        if areas.len() < 2 {
            continue;
        }
        let named: Vec<_> = areas
            .iter()
            .map(|a| (*a, format!("{}{}例", full_zh(a.0), a.1)))
            .collect();
        let Some(stated) = stated_order(text, &['；', '。', '）'], &named) else {
            continue;
        };
        if stated.windows(2).any(|w| w[0].1 < w[1].1) {
            for (i, (r, _)) in stated.iter().enumerate() {
                p.set_position(measure, origin, r, i as Count + 1);
            }
        }
    }
}

/// The places of a list that follow a half-width comma in the published text (湖北29例,海南1例):
/// a slip that normalizing hides.
fn half_width_separators(raw: &str, day: &Day, p: &mut Phrasing) {
    if !raw.contains("例,") {
        return;
    }
    let raw: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    for f in &day.facts {
        if f.region.is_nation() {
            continue;
        }
        let name = match f.region {
            RegionId::Code(c) if c.is_province_level() => short_zh(&f.region),
            _ => full_zh(&f.region),
        };
        if raw.contains(&format!("例,{name}{}例", f.value)) {
            p.set_half_width_before(f.measure, f.origin, &f.region);
        }
    }
}

/// The areas named without their suffix in a province's list (定州1例 for 定州市).
fn short_names(text: &str, day: &Day, p: &mut Phrasing) {
    for f in &day.facts {
        if f.region.is_nation() || matches!(f.region, RegionId::Code(c) if c.is_province_level()) {
            continue;
        }
        let full = full_zh(&f.region);
        let Some(short) = full.strip_suffix('市') else {
            continue;
        };
        if short.chars().count() < 2 || text.contains(&format!("{full}{}例", f.value)) {
            continue;
        }
        let pat = format!("{short}{}例", f.value);
        let named = text
            .match_indices(pat.as_str())
            .any(|(at, _)| text[..at].ends_with('、') || text[..at].ends_with("其中"));
        if named {
            p.set_short_name(f.measure, f.origin, &f.region);
        }
    }
}

/// The clauses of the day's flows by measure: 新增确诊病例…, 新增死亡病例…, 新增疑似病例…, each
/// up to its ；or 。.
fn flow_clauses(text: &str) -> impl Iterator<Item = (Measure, &str)> {
    [
        ("新增确诊病例", Measure::ConfirmedNew),
        ("新增死亡病例", Measure::DeathsNew),
        ("新增疑似病例", Measure::SuspectedNew),
    ]
    .into_iter()
    .filter_map(move |(label, m)| {
        let at = text.find(label)?;
        let rest = &text[at..];
        Some((m, &rest[..rest.find(['；', '。']).unwrap_or(rest.len())]))
    })
}

/// Slots worded two ways in one day's flows: the measures whose clause left the day's variant.
fn per_measure(text: &str, p: &mut Phrasing) {
    for (m, clause) in flow_clauses(text) {
        // 均为本土病例（均在北京） in a day of ，均在北京.
        if p.get(Slot::PlaceAfterComma) == Some(1)
            && ["病例（均在", "病例（在"]
                .iter()
                .any(|s| clause.contains(s))
        {
            p.set_for(Slot::PlaceAfterComma, m, 0);
        }
        // 3例，均为本土病例 in a day of 2例，为境外输入病例.
        if p.get(Slot::AllAreWei) == Some(1) && clause.contains("例，均为") {
            p.set_for(Slot::AllAreWei, m, 0);
        }
    }
}

/// The areas of a province's list that follow a ，rather than a 、 (石家庄市4例，辛集市4例),
/// in the lists of areas (from September 2021).
fn separators(text: &str, day: &Day, p: &mut Phrasing) {
    if !day.date.is_some_and(|d| layout(d).sub_places) {
        return;
    }
    // What follows each 例，up to its next 例 (an area's name, its count and 例): one pass over
    // the text rather than a search of the whole text for every area's figure.
    let after_comma: HashSet<&str> = text
        .match_indices("例，")
        .filter_map(|(at, m)| {
            let rest = &text[at + m.len()..];
            rest.find('例').map(|end| &rest[..end + '例'.len_utf8()])
        })
        .collect();
    if after_comma.is_empty() {
        return;
    }
    let mut pat = String::new();
    for f in &day.facts {
        if f.region.is_nation() || matches!(f.region, RegionId::Code(c) if c.is_province_level()) {
            continue;
        }
        pat.clear();
        let _ = write!(pat, "{}{}例", full_zh(&f.region), f.value);
        if after_comma.contains(pat.as_str()) {
            p.set_comma_before(f.measure, f.origin, &f.region);
        }
    }
}

/// The day-wide slots whose variant in the text differs from the period's convention.
fn slots(text: &str, date: Date, p: &mut Phrasing) {
    let st = style(date);
    let has = |s: &str| text.contains(s);

    // One place: （广东1例） or （在广东）.
    let count_form = parens(text).any(|(before, inner)| {
        before.ends_with('例') && {
            let name = inner
                .trim_end_matches('例')
                .trim_end_matches(|c: char| c.is_ascii_digit());
            inner.ends_with('例')
                && name.len() < inner.len() - '例'.len_utf8()
                && names::province(name).is_some()
        }
    });
    let zai_form = parens(text).any(|(b, inner)| {
        b.ends_with('例') && (inner.starts_with("在") || inner.starts_with("均在"))
    });
    let zai_many = zai_over_one(text);
    if count_form && !zai_form && st.single_place != SinglePlace::Count {
        p.set(
            Slot::SinglePlace,
            crate::phrasing::SinglePlace::ParenCount as Count,
        );
    } else if zai_many && !has("均在") && st.single_place != SinglePlace::ZaiAlways {
        p.set(
            Slot::SinglePlace,
            crate::phrasing::SinglePlace::ParenInAlways as Count,
        );
    } else if zai_form && !count_form && st.single_place == SinglePlace::Count {
        p.set(
            Slot::SinglePlace,
            crate::phrasing::SinglePlace::ParenIn as Count,
        );
    }

    // 本土病例13例，均在北京 rather than （均在北京）.
    // (2020 only: later lists of areas are written after a comma in any case.)
    let local_place = |after: &str| {
        text.match_indices("本土病例").any(|(at, m)| {
            let rest = text[at + m.len()..].trim_start_matches(|c: char| c.is_ascii_digit());
            rest.len() + m.len() < text.len() - at
                && (rest.starts_with(&format!("例{after}在"))
                    || rest.starts_with(&format!("例{after}均在")))
        })
    };
    if date.year() == 2020 && !st.place_after_comma && local_place("，") && !local_place("（") {
        p.set(Slot::PlaceAfterComma, 1);
    }

    // 重症病例无变化 / 与前一日持平 / 与前一天持平.
    if has("重症病例数无变化") {
        p.set(
            Slot::SevereUnchanged,
            SevereUnchanged::ShuWuBianhua as Count,
        );
    } else if has("重症病例与前一天持平") {
        p.set(Slot::SevereUnchanged, SevereUnchanged::Tian as Count);
    } else if has("重症病例无变化") && !st.severe_unchanged_wubianhua {
        p.set(Slot::SevereUnchanged, SevereUnchanged::WuBianhua as Count);
    } else if has("重症病例与前一日持平") && st.severe_unchanged_wubianhua {
        p.set(Slot::SevereUnchanged, SevereUnchanged::Chiping as Count);
    }

    // 重症病例较前一日 / 与前一日相比 / 比前一日 / nothing, before 增加 or 减少.
    let conv = if st.severe_change_vs_previous_day {
        SevereVs::Jiao
    } else if st.severe_change_xiangbi {
        SevereVs::Xiangbi
    } else {
        SevereVs::Omitted
    };
    let stated = [
        SevereVs::Bi,
        SevereVs::Xiangbi,
        SevereVs::Jiao,
        SevereVs::Omitted,
    ]
    .into_iter()
    .find(|v| has(&format!("重症病例{}增加", v.zh())) || has(&format!("重症病例{}减少", v.zh())));
    if let Some(v) = stated.filter(|v| *v != conv) {
        p.set(Slot::SevereChangeVs, v as Count);
    }

    // Asymptomatic infections all imported: （均为境外输入） in a period of （境外输入4例）.
    if st.asymptomatic_all_imported_count && (has("（均为境外输入）") || has("（为境外输入）"))
    {
        p.set(Slot::AsymptomaticAllImported, AllImported::JunWei as Count);
    }

    // The footnotes (from 2022): their opening and their full stop.
    if let Some(at) = ["备注：*", "注：*", "。*"]
        .iter()
        .find_map(|m| text.find(m).map(|i| (i, *m)))
    {
        let (i, m) = at;
        let prefix = match m {
            "备注：*" => 2,
            "注：*" => 1,
            _ => 0,
        };
        if FOOTNOTE_PREFIXES.get(prefix as usize) != Some(&st.footnote_prefix) {
            p.set(Slot::FootnotePrefix, prefix);
        }
        let stop = text[i + m.len()..].trim_end().ends_with('。');
        if stop != st.footnote_wei {
            p.set(Slot::FootnoteStop, Count::from(stop));
        }
    }

    // Corrections beside their figures （核减1例） in a period of starred footnotes.
    if st.footnote_corrections && !text.contains('*') && (has("例（核减") || has("例（核增"))
    {
        p.set(Slot::FootnoteCorrections, 0);
    }

    // The deaths' one place: 新增死亡病例2例，均为本土病例，在上海.
    let deaths_many = |zai: &str| {
        text.match_indices("新增死亡病例").any(|(at, m)| {
            let rest = &text[at + m.len()..];
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let clause = &rest[..rest.find(['；', '。']).unwrap_or(rest.len())];
            digits.parse::<Count>().is_ok_and(|n| n > 1)
                && clause.contains("均为")
                && clause.contains(zai)
                && (zai == "，均在" || !clause.contains("均在"))
        })
    };
    if deaths_many("，在") && st.deaths_single_place == SinglePlace::Zai {
        p.set(
            Slot::DeathsSinglePlace,
            crate::phrasing::SinglePlace::ParenInAlways as Count,
        );
    } else if deaths_many("，均在") && st.deaths_single_place == SinglePlace::ZaiAlways {
        p.set(
            Slot::DeathsSinglePlace,
            crate::phrasing::SinglePlace::ParenIn as Count,
        );
    }

    // The change of severe cases left unstated.
    let severe_stated = [
        SevereVs::Bi,
        SevereVs::Xiangbi,
        SevereVs::Jiao,
        SevereVs::Omitted,
    ]
    .iter()
    .any(|v| has(&format!("重症病例{}增加", v.zh())) || has(&format!("重症病例{}减少", v.zh())))
        || ["重症病例无变化", "重症病例数无变化", "持平", "新增重症病例"]
            .iter()
            .any(|s| has(s));
    if !severe_stated && has("解除医学观察的密切接触者") {
        p.set(Slot::SevereChangeOmitted, 1);
    }

    // 无累计死亡病例 for the imported cases.
    if has("无累计死亡病例") {
        p.set(Slot::ImportedDeathsLeiji, 1);
    }

    // （境外输入408例）（核减境外输入1例）.
    if has("）（核减境外输入") || has("）（核增境外输入") {
        p.set(Slot::CorrectionAfterParens, 1);
    }

    // The XPCC's divisions named bare: 兵团2例，均在第四师.
    if (has("均在第") || has("，在第")) && !has("建设兵团第") {
        p.set(Slot::XpccAreaBare, 1);
    }

    // The year in the header: 2021年1月1日0—24时.
    let ymd = format!("{}年{}月{}日", date.year(), date.month(), date.day());
    if has(&format!("{ymd}0—24时")) && has(&format!("截至{ymd}24时")) {
        p.set(Slot::HeaderYear, HeaderYear::Stated as Count);
    }

    // （其中重症病例0例） where the period writes （无重症病例）.
    if st.severe_none && !st.totals_severe_zero_count && has("（其中重症病例0例）") {
        p.set(Slot::TotalsSevereZero, 1);
    } else if has("（其中无重症病例）") {
        p.set(Slot::TotalsSevereZero, 2);
    }

    // The new suspected cases' origins with or without 疑似.
    let suspected_words = has("境外输入疑似病例") || has("本土疑似病例");
    if suspected_words && !st.suspected_origin_words {
        p.set(Slot::SuspectedOriginWords, 1);
    } else if !suspected_words && st.suspected_origin_words {
        p.set(Slot::SuspectedOriginWords, 0);
    }

    // 新增疑似病例2例，为境外输入病例: 为 for several cases.
    let wei_over_one = text.match_indices("例，为").any(|(at, _)| {
        let digits: String = text[..at]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect();
        digits
            .chars()
            .rev()
            .collect::<String>()
            .parse::<Count>()
            .is_ok_and(|n| n > 1)
    });
    if wei_over_one {
        p.set(Slot::AllAreWei, 1);
    }

    // The asymptomatic infections under observation after 。 or ；.
    let sentence = has("。尚在医学观察无症状感染者") || has("。尚在医学观察的无症状感染者");
    let semicolon = has("；尚在医学观察无症状感染者") || has("；尚在医学观察的无症状感染者");
    if sentence && !st.asymptomatic_stock_sentence {
        p.set(Slot::AsymptomaticStockSentence, 1);
    } else if semicolon && st.asymptomatic_stock_sentence {
        p.set(Slot::AsymptomaticStockSentence, 0);
    }
}

/// Every parenthesis of the text (not nested): the text before it and what it holds.
fn parens(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.match_indices('（').filter_map(move |(at, _)| {
        let inner = &text[at + '（'.len_utf8()..];
        let end = inner.find(['）', '（'])?;
        inner[end..]
            .starts_with('）')
            .then(|| (&text[..at], &inner[..end]))
    })
}

/// Whether a place of a figure of more than one case is written 在 (not 均在): the figure is
/// the last number before （在 or ，在 in its clause.
fn zai_over_one(text: &str) -> bool {
    ["（在", "，在"].into_iter().any(|pat| {
        text.match_indices(pat).any(|(at, _)| {
            let clause = &text[..at];
            let clause = &clause[clause
                .rfind(['；', '。'])
                .map_or(0, |i| i + '；'.len_utf8())..];
            let digits: String = clause
                .trim_end_matches(|c: char| !c.is_ascii_digit())
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect();
            clause.contains("均为")
                && digits
                    .chars()
                    .rev()
                    .collect::<String>()
                    .parse::<Count>()
                    .is_ok_and(|n| n > 1)
        })
    })
}
