//! The bulletin's conventions as they changed over time, as data: a table of date ranges, each
//! switching on a variant of a template. The default [`Style`] is the bulletin's last form
//! (2022); each [`Period`] that covers a date changes one convention for that date.
//!
//! A variant is chosen from the date alone; which sentence a variant writes is then chosen from
//! the figures (a zero, one case, one place), never from flags of a particular day.
//!
//! A period records a convention the bulletins kept: over a run of at least two consecutive
//! bulletins, or on the first day of a new paragraph or breakdown whose form changed the day
//! after (2020-03-31, 2022-04-11). A single bulletin that breaks the convention of its period is
//! not recorded here: it is a difference the corpus check reports.

use std::sync::OnceLock;

use epiledger_core::Date;

/// How the document is laid out: which paragraph holds which figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The imported cases of the day have their own paragraph (March 2020), and the flows do
    /// not list their places.
    pub imported_paragraph: bool,
    /// A rise of severe cases (新增重症病例N例) stands with the new cases, a fall with the
    /// discharges (2020-02-12 … 2020-02-18); later both stand with the discharges.
    pub severe_rise_in_flows: bool,
    /// The totals paragraph names the stocks first, then the cumulative figures (2020-03-29 …
    /// 2020-04-01).
    pub totals_current_first: bool,
    /// Released asymptomatic infections come before those reclassified (from April 2022).
    pub released_before_reclassified: bool,
    /// Places below the provinces are listed (from September 2021).
    pub sub_places: bool,
    /// Hubei has its own paragraph (2020-02-12 … 2020-04-30): the national figures list no
    /// places but the deaths'.
    pub hubei_paragraph: bool,
    /// The flows split the new cases by origin (from 2020-03-24).
    pub flows_origin_split: bool,
    /// The imported new cases list their places (from 2020-03-04 in their own paragraph, in
    /// the flows from 2020-04-30).
    pub imported_places: bool,
    /// The new deaths list their places.
    pub deaths_places: bool,
    /// After a day without severe cases the bulletin states the stock (无重症病例, 重症病例1例)
    /// rather than its change (2020-06-10 … 2020-06-13).
    pub severe_stock_after_zero: bool,
    /// The first weeks' bulletin (until 2020-02-11): every flow in the first paragraph.
    pub early: bool,
    /// The cases notified by Hong Kong, Macao and Taiwan have a total (from 2020-01-29); where
    /// no note states it, it is their sum.
    pub notified_total: bool,
}

/// How the Chinese text words things.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Style {
    /// 其中17例为境外输入病例，10例为本土病例 (April – mid-May 2020) rather than
    /// 其中境外输入病例4例（…），本土病例23例（…）.
    pub origin_number_first: bool,
    /// The parts of the flows paragraph are separate sentences (from September 2021):
    /// `新增确诊病例28例。其中…。无新增死亡病例。无新增疑似病例。`
    pub flows_sentences: bool,
    /// 尚在医学观察的无症状感染者 (from 2021-04-12) rather than 尚在医学观察无症状感染者.
    pub asymptomatic_stock_de: bool,
    /// 重症病例较前一日增加N例 / 与前一日持平 (from July 2020) rather than 重症病例增加N例.
    pub severe_change_vs_previous_day: bool,
    /// Hong Kong, Macao and Taiwan: `累计收到港澳台地区通报确诊病例N例。其中，香港…` (from
    /// 2020-04-14) rather than `…N例：香港…`.
    pub notified_qizhong: bool,
    /// Taiwan's breakdown in half-width parentheses (2020-02-12 … 2020-03-11).
    pub taiwan_half_width: bool,
    /// How a list of one place is written.
    pub single_place: SinglePlace,
    /// 本土病例1例，在北京: one place after a comma rather than in parentheses.
    pub place_after_comma: bool,
    /// The deaths' one place after a comma: 新增死亡病例1例，为本土病例，在吉林 (from 2021-01-25).
    pub deaths_place_after_comma: bool,
    /// 含重症病例 (2020-03-29 … 2020-05-25) rather than 其中重症病例.
    pub severe_han: bool,
    /// No severe cases as 无重症病例 (from 2020-05-26) rather than 其中重症病例0例.
    pub severe_none: bool,
    /// Asymptomatic infections all imported as （境外输入5例） rather than （均为境外输入）
    /// (2020-04-04 … 2020-08-07).
    pub asymptomatic_all_imported_count: bool,
    /// Hubei's zeros as 无新增确诊病例 (from 2020-04-06) rather than 新增确诊病例0例（武汉0例）.
    pub hubei_none: bool,
    /// Places of one case share it: 河北、浙江、江西、山东和四川各1例 (2020-03-21 … 2020-03-23).
    pub group_equal_counts: bool,
    /// All places of equal count share it: 浙江、山东、陕西各2例 (2020-03-19 … 2020-03-20).
    pub group_all_equal_counts: bool,
    /// …和重庆各1例 (2020-03-21 … 2020-03-23).
    pub group_with_he: bool,
    /// The parts of the flows joined by ，(until 2020-03-23) rather than ；.
    pub flows_comma: bool,
    /// The imported cases' deaths as 累计死亡病例0例 (until 2020-04-05) rather than 无死亡病例.
    pub imported_deaths_zero_count: bool,
    /// 含重症病例 in the totals (2020-03-29 … 2020-04-01).
    pub totals_severe_han: bool,
    /// 境外输入疑似病例 / 本土疑似病例 for the suspected cases' origins (2020-04-14 … 2020-05-03).
    pub suspected_origin_words: bool,
    /// The larger origin first: 其中12例为本土病例，2例为境外输入病例 (2020-05-09 … 2020-05-14).
    pub origin_larger_first: bool,
    /// Imported new asymptomatic infections as `，其中境外输入无症状感染者N例` (April 2020).
    pub asymptomatic_new_qizhong: bool,
    /// The comma before 其中 is half-width (2020-03-31 … 2020-04-07).
    pub asymptomatic_half_width_comma: bool,
    /// （境外输入转为确诊9例）, （境外输入解除医学观察12例） (2020-04-01 … 2020-04-03).
    pub asymptomatic_verbose_imported: bool,
    /// The asymptomatic infections under observation in a sentence of their own.
    pub asymptomatic_stock_sentence: bool,
    /// 无当日转为确诊病例 (2020-05-01 … 2020-05-03) rather than 当日无转为确诊病例.
    pub asymptomatic_none_first: bool,
    /// The first form of the paragraph (2020-03-31): 当日解除隔离, and the change of the stock.
    pub asymptomatic_first_form: bool,
    /// No change of severe cases as 重症病例无变化 (2020-04-18 … 2020-05-20).
    pub severe_unchanged_wubianhua: bool,
    /// 重症病例与前一日相比增加N例 (2020-06-20 … 2020-06-25).
    pub severe_change_xiangbi: bool,
    /// Corrections as footnotes marked with stars (from 2022-01-26) rather than in
    /// parentheses beside the figure.
    pub footnote_corrections: bool,
    /// What opens the footnotes: 注：, 备注： or nothing.
    pub footnote_prefix: &'static str,
    /// Between two footnotes.
    pub footnote_separator: &'static str,
    /// 注：*为山东核减1例。 (2022-01-26 … 2022-03-21).
    pub footnote_wei: bool,
    /// The star before 例: 13172*例 (2021-08-15 … 2021-08-22, 2022-03-25).
    pub star_before_unit: bool,
    /// How the deaths' one place is written after its comma: 在上海 whatever the count, or
    /// 均在上海 for more than one (three runs of days in 2022).
    pub deaths_single_place: SinglePlace,
    /// The form of the first weeks' bulletins (until 2020-02-11), if the date is in them.
    pub early_form: EarlyForm,
    /// `0-24时` with a hyphen (until 2020-01-28).
    pub early_hyphen: bool,
    /// Full province names in lists: 湖北省 (until 2020-02-04).
    pub early_full_names: bool,
    /// Between the places of a list: 、 (until 2020-01-31) or ，.
    pub early_list_separator: &'static str,
    /// Full province names in corrections (until 2020-02-07).
    pub early_full_names_in_corrections: bool,
    /// 共有疑似病例, 共有N人正在接受医学观察 (2020-01-29 … 2020-02-02).
    pub early_gongyou: bool,
    /// 当日新增治愈出院N例, 累计死亡N例, without 病例 (2020-02-07 … 2020-02-08).
    pub early_discharged_bare: bool,
    /// The active cases of 2020-02-05 … 2020-02-06: 现有确诊病例.
    pub early_current_word: &'static str,
    /// Hong Kong's deaths before its discharges: （死亡1例） (until 2020-02-12).
    pub notified_deaths_first: bool,
    /// 治愈出院 rather than 出院 (until 2020-02-11).
    pub notified_zhiyu: bool,
    /// Between Hong Kong, Macao and Taiwan in the colon form.
    pub notified_separator: &'static str,
    /// The deaths' places of one death share it: 北京、河南、甘肃各1例 (2020-02-07 … 2020-02-29).
    pub group_deaths: bool,
    /// The XPCC named in full in lists: 新疆生产建设兵团1例 (until mid-2020) rather than 兵团.
    pub xpcc_full: bool,
    /// The totals without 病例: 累计治愈出院2050例，累计死亡722例 (2020-02-07).
    pub early_totals_bare: bool,
    /// 新增重症病例N例 for a rise of severe cases (until 2020-02-18).
    pub severe_rise_xinzeng: bool,
    /// The totals' severe cases as 其中重症病例0例 (2020-10-10 … 2020-10-11).
    pub totals_severe_zero_count: bool,
    /// See [`Variant::DischargedFirstForm`].
    pub discharged_first_form: bool,
    /// See [`Variant::FlowsHalfWidthComma`].
    pub flows_half_width_comma: bool,
}

/// The forms of the first weeks' bulletins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EarlyForm {
    /// Not an early bulletin.
    None,
    /// 2020-01-20 … 2020-01-28: `30个省（区、市）报告…`, totals received by the NHC.
    A,
    /// 2020-01-29 … 2020-02-04: the 31 provinces and the XPCC, places after each flow.
    B,
    /// 2020-02-05 … 2020-02-06: discharges and contacts released in the first sentence.
    C,
    /// 2020-02-07 … 2020-02-11: `报告，新增确诊病例…`, discharges in a paragraph of their own.
    D,
}

/// How a list of one place is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SinglePlace {
    /// （湖北1例）, like a list (until April 2020).
    Count,
    /// （在上海） for one case, （均在北京） for more.
    Zai,
    /// （在上海） whatever the count (early May 2020).
    ZaiAlways,
}

impl Default for Layout {
    fn default() -> Layout {
        Layout {
            imported_paragraph: false,
            severe_rise_in_flows: false,
            totals_current_first: false,
            released_before_reclassified: true,
            sub_places: true,
            hubei_paragraph: false,
            flows_origin_split: true,
            imported_places: true,
            deaths_places: true,
            severe_stock_after_zero: false,
            early: false,
            notified_total: true,
        }
    }
}

impl Default for Style {
    fn default() -> Style {
        Style {
            origin_number_first: false,
            flows_sentences: true,
            asymptomatic_stock_de: true,
            severe_change_vs_previous_day: true,
            notified_qizhong: true,
            taiwan_half_width: false,
            single_place: SinglePlace::Zai,
            place_after_comma: false,
            deaths_place_after_comma: true,
            severe_han: false,
            severe_none: true,
            asymptomatic_all_imported_count: false,
            hubei_none: true,
            group_equal_counts: false,
            group_all_equal_counts: false,
            group_with_he: false,
            flows_comma: false,
            imported_deaths_zero_count: false,
            totals_severe_han: false,
            suspected_origin_words: false,
            origin_larger_first: false,
            asymptomatic_new_qizhong: false,
            asymptomatic_half_width_comma: false,
            asymptomatic_verbose_imported: false,
            asymptomatic_stock_sentence: false,
            asymptomatic_none_first: false,
            asymptomatic_first_form: false,
            severe_unchanged_wubianhua: false,
            severe_change_xiangbi: false,
            footnote_corrections: true,
            footnote_prefix: "注：",
            footnote_separator: "；",
            footnote_wei: false,
            star_before_unit: false,
            deaths_single_place: SinglePlace::ZaiAlways,
            early_form: EarlyForm::None,
            early_hyphen: false,
            early_full_names: false,
            early_list_separator: "，",
            early_full_names_in_corrections: false,
            early_gongyou: false,
            early_discharged_bare: false,
            early_current_word: "现有确诊病例",
            notified_deaths_first: false,
            notified_zhiyu: false,
            notified_separator: "，",
            group_deaths: false,
            xpcc_full: false,
            early_totals_bare: false,
            severe_rise_xinzeng: false,
            totals_severe_zero_count: false,
            discharged_first_form: false,
            flows_half_width_comma: false,
        }
    }
}

/// A change of convention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// See [`Layout::imported_paragraph`].
    ImportedParagraph,
    /// See [`Layout::severe_rise_in_flows`].
    SevereRiseInFlows,
    /// See [`Layout::totals_current_first`].
    TotalsCurrentFirst,
    /// Reclassified asymptomatic infections come before the released ones.
    ReclassifiedBeforeReleased,
    /// See [`Style::origin_number_first`].
    OriginNumberFirst,
    /// The flows paragraph is one sentence (before September 2021).
    FlowsOneSentence,
    /// 尚在医学观察无症状感染者, without 的.
    AsymptomaticStockWithoutDe,
    /// 重症病例增加N例, without 较前一日.
    SevereChangeBare,
    /// `…N例：香港…`.
    NotifiedColon,
    /// See [`Style::taiwan_half_width`].
    TaiwanHalfWidth,
    /// Places below the provinces are not listed.
    NoSubPlaces,
    /// See [`Layout::hubei_paragraph`].
    HubeiParagraph,
    /// See [`SinglePlace::Count`].
    SinglePlaceCount,
    /// See [`SinglePlace::ZaiAlways`].
    SinglePlaceZaiAlways,
    /// See [`Style::place_after_comma`].
    PlaceAfterComma,
    /// The deaths' place in parentheses.
    DeathsPlaceInParentheses,
    /// See [`Style::severe_han`].
    SevereHan,
    /// 其中重症病例0例.
    SevereZeroCount,
    /// 其中重症病例0例 in the totals only.
    TotalsSevereZeroCount,
    /// A half-width comma after the new cases (2020-02-14 … 2020-02-15).
    FlowsHalfWidthComma,
    /// The first day of discharges by province (2022-04-11): 其中境外输入35例，本土1641例（吉林1207例、…）.
    DischargedFirstForm,
    /// See [`Style::asymptomatic_all_imported_count`].
    AsymptomaticAllImportedCount,
    /// Hubei's zeros as 0例.
    HubeiZeroCount,
    /// See [`Style::group_equal_counts`].
    GroupEqualCounts,
    /// See [`Style::group_with_he`].
    GroupWithHe,
    /// The flows do not split the new cases by origin.
    NoFlowsOriginSplit,
    /// The imported new cases list no places.
    NoImportedPlaces,
    /// The new deaths list no places.
    NoDeathsPlaces,
    /// See [`Style::flows_comma`].
    FlowsComma,
    /// See [`Style::imported_deaths_zero_count`].
    ImportedDeathsZeroCount,
    /// See [`Style::totals_severe_han`].
    TotalsSevereHan,
    /// See [`Style::suspected_origin_words`].
    SuspectedOriginWords,
    /// See [`Style::origin_larger_first`].
    OriginLargerFirst,
    /// See [`Style::asymptomatic_new_qizhong`].
    AsymptomaticNewQizhong,
    /// See [`Style::asymptomatic_half_width_comma`].
    AsymptomaticHalfWidthComma,
    /// See [`Style::asymptomatic_verbose_imported`].
    AsymptomaticVerboseImported,
    /// See [`Style::asymptomatic_stock_sentence`].
    AsymptomaticStockSentence,
    /// See [`Style::asymptomatic_none_first`].
    AsymptomaticNoneFirst,
    /// See [`Style::asymptomatic_first_form`].
    AsymptomaticFirstForm,
    /// All places of equal count share it (2020-03-19 … 2020-03-20).
    GroupAllEqualCounts,
    /// See [`Style::severe_unchanged_wubianhua`].
    SevereUnchangedWubianhua,
    /// See [`Style::severe_change_xiangbi`].
    SevereChangeXiangbi,
    /// See [`Layout::severe_stock_after_zero`].
    SevereStockAfterZero,
    /// Corrections in parentheses beside the figure.
    CorrectionsInline,
    /// Footnotes without a heading (2021).
    FootnoteBare,
    /// Footnotes headed 备注： (2022-03-25 … 2022-08-16), one after the other.
    FootnoteBeizhu,
    /// See [`Style::footnote_wei`].
    FootnoteWei,
    /// See [`Style::star_before_unit`].
    StarBeforeUnit,
    /// The deaths' one place as 均在 for more than one death.
    DeathsJunZai,
    /// See [`Layout::early`].
    Early,
    /// The notified cases have no total of their own.
    NoNotifiedTotal,
    /// An early form.
    EarlyForm(EarlyForm),
    /// See [`Style::early_hyphen`].
    EarlyHyphen,
    /// See [`Style::early_full_names`].
    EarlyFullNames,
    /// Places separated by 、.
    EarlyListDunhao,
    /// See [`Style::early_full_names_in_corrections`].
    EarlyFullNamesInCorrections,
    /// See [`Style::early_gongyou`].
    EarlyGongyou,
    /// See [`Style::early_discharged_bare`].
    EarlyDischargedBare,
    /// 隔离治疗 for the active cases (2020-02-05).
    EarlyIsolation,
    /// See [`Style::notified_deaths_first`].
    NotifiedDeathsFirst,
    /// See [`Style::notified_zhiyu`].
    NotifiedZhiyu,
    /// Hong Kong, Macao and Taiwan separated by 、.
    NotifiedDunhao,
    /// See [`Style::group_deaths`].
    GroupDeaths,
    /// See [`Style::xpcc_full`].
    XpccFull,
    /// See [`Style::early_totals_bare`].
    EarlyTotalsBare,
    /// See [`Style::severe_rise_xinzeng`].
    SevereRiseXinzeng,
}

/// A date range (both ends included) and the variant that holds in it.
#[derive(Clone, Copy, Debug)]
pub struct Period {
    /// First day.
    pub from: &'static str,
    /// Last day.
    pub to: &'static str,
    /// The variant.
    pub variant: Variant,
}

const fn p(from: &'static str, to: &'static str, variant: Variant) -> Period {
    Period { from, to, variant }
}

use Variant as V;

/// Every change of convention, by date range.
pub static PERIODS: &[Period] = &[
    p("2020-03-04", "2020-03-28", V::ImportedParagraph),
    p("2020-01-20", "2020-02-18", V::SevereRiseInFlows),
    p("2020-03-29", "2020-04-01", V::TotalsCurrentFirst),
    p("2020-03-31", "2022-04-10", V::ReclassifiedBeforeReleased),
    p("2020-04-02", "2020-05-14", V::OriginNumberFirst),
    p("2020-01-20", "2021-08-31", V::FlowsOneSentence),
    p("2020-03-31", "2021-04-11", V::AsymptomaticStockWithoutDe),
    p("2020-01-20", "2020-07-01", V::SevereChangeBare),
    p("2020-01-20", "2020-04-13", V::NotifiedColon),
    p("2020-02-12", "2020-03-11", V::TaiwanHalfWidth),
    p("2020-01-20", "2021-08-31", V::NoSubPlaces),
    p("2020-02-12", "2020-04-30", V::HubeiParagraph),
    p("2020-01-20", "2020-04-28", V::SinglePlaceCount),
    p("2020-05-02", "2020-05-09", V::SinglePlaceZaiAlways),
    p("2020-05-17", "2020-05-18", V::SinglePlaceCount),
    p("2020-06-11", "2020-06-12", V::PlaceAfterComma),
    p("2020-01-20", "2021-01-24", V::DeathsPlaceInParentheses),
    p("2020-03-29", "2020-05-25", V::SevereHan),
    p("2020-01-20", "2020-05-25", V::SevereZeroCount),
    p("2020-10-10", "2020-10-11", V::TotalsSevereZeroCount),
    p("2020-04-04", "2020-08-07", V::AsymptomaticAllImportedCount),
    p("2020-02-12", "2020-04-05", V::HubeiZeroCount),
    p("2020-03-19", "2020-03-20", V::GroupAllEqualCounts),
    p("2020-03-21", "2020-03-23", V::GroupEqualCounts),
    p("2020-03-21", "2020-03-23", V::GroupWithHe),
    p("2020-01-20", "2020-03-23", V::NoFlowsOriginSplit),
    p("2020-03-29", "2020-04-29", V::NoImportedPlaces),
    p("2020-03-24", "2020-03-25", V::NoDeathsPlaces),
    p("2020-01-20", "2020-03-23", V::FlowsComma),
    p("2020-03-29", "2020-04-05", V::ImportedDeathsZeroCount),
    p("2020-03-29", "2020-04-01", V::TotalsSevereHan),
    p("2020-04-14", "2020-05-03", V::SuspectedOriginWords),
    p("2020-05-09", "2020-05-14", V::OriginLargerFirst),
    p("2020-04-01", "2020-04-29", V::AsymptomaticNewQizhong),
    p("2020-03-31", "2020-04-07", V::AsymptomaticHalfWidthComma),
    p("2020-04-01", "2020-04-03", V::AsymptomaticVerboseImported),
    p("2020-03-31", "2020-04-06", V::AsymptomaticStockSentence),
    p("2020-04-10", "2020-04-11", V::AsymptomaticStockSentence),
    p("2020-05-01", "2020-05-03", V::AsymptomaticNoneFirst),
    p("2020-03-31", "2020-03-31", V::AsymptomaticFirstForm),
    p("2020-04-18", "2020-05-20", V::SevereUnchangedWubianhua),
    p("2020-06-20", "2020-06-25", V::SevereChangeXiangbi),
    p("2020-06-10", "2020-06-13", V::SevereStockAfterZero),
    p("2020-01-20", "2022-01-25", V::CorrectionsInline),
    p("2020-01-20", "2022-01-25", V::FootnoteBare),
    p("2022-03-25", "2022-08-16", V::FootnoteBeizhu),
    p("2022-01-26", "2022-03-21", V::FootnoteWei),
    p("2021-08-15", "2021-08-22", V::StarBeforeUnit),
    p("2022-03-25", "2022-03-25", V::StarBeforeUnit),
    p("2022-04-30", "2022-05-03", V::DeathsJunZai),
    p("2022-05-08", "2022-05-09", V::DeathsJunZai),
    p("2022-05-14", "2022-05-15", V::DeathsJunZai),
    p("2022-04-11", "2022-04-11", V::DischargedFirstForm),
    p("2020-02-14", "2020-02-15", V::FlowsHalfWidthComma),
    p("2020-01-20", "2020-02-11", V::Early),
    p("2020-01-20", "2020-01-28", V::NoNotifiedTotal),
    p("2020-01-20", "2020-01-28", V::EarlyForm(EarlyForm::A)),
    p("2020-01-29", "2020-02-04", V::EarlyForm(EarlyForm::B)),
    p("2020-02-05", "2020-02-06", V::EarlyForm(EarlyForm::C)),
    p("2020-02-07", "2020-02-11", V::EarlyForm(EarlyForm::D)),
    p("2020-01-20", "2020-01-28", V::EarlyHyphen),
    p("2020-01-20", "2020-02-04", V::EarlyFullNames),
    p("2020-01-20", "2020-01-31", V::EarlyListDunhao),
    p("2020-01-20", "2020-02-07", V::EarlyFullNamesInCorrections),
    p("2020-02-13", "2020-02-15", V::EarlyFullNamesInCorrections),
    p("2020-01-29", "2020-02-02", V::EarlyGongyou),
    p("2020-02-07", "2020-02-08", V::EarlyDischargedBare),
    p("2020-02-05", "2020-02-05", V::EarlyIsolation),
    p("2020-01-20", "2020-02-12", V::NotifiedDeathsFirst),
    p("2020-01-20", "2020-02-11", V::NotifiedZhiyu),
    p("2020-01-29", "2020-01-29", V::NotifiedDunhao),
    p("2020-02-07", "2020-02-29", V::GroupDeaths),
    p("2020-01-20", "2020-06-30", V::XpccFull),
    p("2020-02-07", "2020-02-07", V::EarlyTotalsBare),
    p("2020-01-20", "2020-02-18", V::SevereRiseXinzeng),
];

/// The parsed table: (from, to, variant).
fn table() -> &'static [(Date, Date, Variant)] {
    static TABLE: OnceLock<Vec<(Date, Date, Variant)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        PERIODS
            .iter()
            .filter_map(|p| Some((p.from.parse().ok()?, p.to.parse().ok()?, p.variant)))
            .collect()
    })
}

/// The variants that hold on a date.
pub fn variants(date: Date) -> impl Iterator<Item = Variant> {
    table()
        .iter()
        .filter(move |(from, to, _)| *from <= date && date <= *to)
        .map(|(_, _, v)| *v)
}

/// The layout of a day's bulletin.
pub fn layout(date: Date) -> Layout {
    let mut l = Layout::default();
    for v in variants(date) {
        match v {
            V::ImportedParagraph => l.imported_paragraph = true,
            V::SevereRiseInFlows => l.severe_rise_in_flows = true,
            V::TotalsCurrentFirst => l.totals_current_first = true,
            V::ReclassifiedBeforeReleased => l.released_before_reclassified = false,
            V::NoSubPlaces => l.sub_places = false,
            V::HubeiParagraph => l.hubei_paragraph = true,
            V::NoFlowsOriginSplit => l.flows_origin_split = false,
            V::NoImportedPlaces => l.imported_places = false,
            V::NoDeathsPlaces => l.deaths_places = false,
            V::SevereStockAfterZero => l.severe_stock_after_zero = true,
            V::Early => l.early = true,
            V::NoNotifiedTotal => l.notified_total = false,
            _ => {}
        }
    }
    l
}

/// The Chinese wording of a day's bulletin.
pub fn style(date: Date) -> Style {
    let mut s = Style::default();
    for v in variants(date) {
        match v {
            V::OriginNumberFirst => s.origin_number_first = true,
            V::FlowsOneSentence => s.flows_sentences = false,
            V::AsymptomaticStockWithoutDe => s.asymptomatic_stock_de = false,
            V::SevereChangeBare => s.severe_change_vs_previous_day = false,
            V::NotifiedColon => s.notified_qizhong = false,
            V::TaiwanHalfWidth => s.taiwan_half_width = true,
            V::SinglePlaceCount => s.single_place = SinglePlace::Count,
            V::SinglePlaceZaiAlways => s.single_place = SinglePlace::ZaiAlways,
            V::PlaceAfterComma => s.place_after_comma = true,
            V::DeathsPlaceInParentheses => s.deaths_place_after_comma = false,
            V::SevereHan => s.severe_han = true,
            V::SevereZeroCount => s.severe_none = false,
            V::TotalsSevereZeroCount => s.totals_severe_zero_count = true,
            V::DischargedFirstForm => s.discharged_first_form = true,
            V::FlowsHalfWidthComma => s.flows_half_width_comma = true,
            V::AsymptomaticAllImportedCount => s.asymptomatic_all_imported_count = true,
            V::HubeiZeroCount => s.hubei_none = false,
            V::GroupEqualCounts => s.group_equal_counts = true,
            V::GroupWithHe => s.group_with_he = true,
            V::FlowsComma => s.flows_comma = true,
            V::ImportedDeathsZeroCount => s.imported_deaths_zero_count = true,
            V::TotalsSevereHan => s.totals_severe_han = true,
            V::SuspectedOriginWords => s.suspected_origin_words = true,
            V::OriginLargerFirst => s.origin_larger_first = true,
            V::AsymptomaticNewQizhong => s.asymptomatic_new_qizhong = true,
            V::AsymptomaticHalfWidthComma => s.asymptomatic_half_width_comma = true,
            V::AsymptomaticVerboseImported => s.asymptomatic_verbose_imported = true,
            V::AsymptomaticStockSentence => s.asymptomatic_stock_sentence = true,
            V::AsymptomaticNoneFirst => s.asymptomatic_none_first = true,
            V::AsymptomaticFirstForm => s.asymptomatic_first_form = true,
            V::SevereUnchangedWubianhua => s.severe_unchanged_wubianhua = true,
            V::SevereChangeXiangbi => s.severe_change_xiangbi = true,
            V::CorrectionsInline => s.footnote_corrections = false,
            V::FootnoteBare => {
                s.footnote_prefix = "";
                s.footnote_separator = "";
            }
            V::FootnoteBeizhu => {
                s.footnote_prefix = "备注：";
                s.footnote_separator = "";
            }
            V::FootnoteWei => s.footnote_wei = true,
            V::StarBeforeUnit => s.star_before_unit = true,
            V::DeathsJunZai => s.deaths_single_place = SinglePlace::Zai,
            V::EarlyForm(f) => s.early_form = f,
            V::EarlyHyphen => s.early_hyphen = true,
            V::EarlyFullNames => s.early_full_names = true,
            V::EarlyListDunhao => s.early_list_separator = "、",
            V::EarlyFullNamesInCorrections => s.early_full_names_in_corrections = true,
            V::EarlyGongyou => s.early_gongyou = true,
            V::EarlyDischargedBare => s.early_discharged_bare = true,
            V::EarlyIsolation => s.early_current_word = "隔离治疗",
            V::NotifiedDeathsFirst => s.notified_deaths_first = true,
            V::NotifiedZhiyu => s.notified_zhiyu = true,
            V::NotifiedDunhao => s.notified_separator = "、",
            V::GroupDeaths => s.group_deaths = true,
            V::XpccFull => s.xpcc_full = true,
            V::EarlyTotalsBare => s.early_totals_bare = true,
            V::SevereRiseXinzeng => s.severe_rise_xinzeng = true,
            V::GroupAllEqualCounts => {
                s.group_equal_counts = true;
                s.group_all_equal_counts = true;
            }
            _ => {}
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_period_parses_and_is_ordered() {
        for p in PERIODS {
            let (from, to): (Date, Date) = (p.from.parse().unwrap(), p.to.parse().unwrap());
            assert!(from <= to, "{p:?}");
        }
        assert_eq!(table().len(), PERIODS.len());
    }

    #[test]
    fn the_last_form_is_the_default() {
        let d: Date = "2022-09-14".parse().unwrap();
        assert_eq!(style(d), Style::default());
        assert_eq!(layout(d), Layout::default());
    }
}
