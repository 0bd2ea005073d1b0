//! English reports of the bulletin in the styles the world read them in, written for these
//! tests (never copied from a source) with the real figures of five days: the NHC's English
//! briefing, a wire service's paraphrase with its dateline and editor's note, a word-for-word
//! translation that keeps the Chinese order and measure words, sentences run together without
//! their full stops, small numbers written as words, numbers with and without thousands
//! separators, Hong Kong, Macao and Taiwan in their several phrasings, paragraphs merged and
//! split. Each parses with every number placed, to figures that the shipped history (parsed
//! from the Chinese bulletin of the day) states with the same values.
//!
//! Then bad input: a story about something else, a cut-off paragraph and another country's
//! table are refused with their position; a total whose parts do not add up is stored with the
//! contradiction recorded as the source's, and the audit names it.

use std::sync::OnceLock;

use epiledger_bulletin::{parse_as, LangChoice, Parsed};
use epiledger_core::{audit, Date, Day, Lang, Ledger, Measure, NoteKind, Origin, RegionId};

fn history() -> &'static Ledger {
    static L: OnceLock<Ledger> = OnceLock::new();
    L.get_or_init(|| {
        let days = epiledger_history::load().expect("the shipped history reads");
        Ledger::from_days(days.into_iter().map(|d| d.day))
    })
}

fn d(s: &str) -> Date {
    s.parse().expect("a date")
}

/// Parses `text` as English for `date` and checks it against the Chinese bulletin's day:
/// every number placed, every fact and correction one that the day states, with its value.
/// Returns the parse; `at_least` is how many facts the report must state.
fn check(text: &str, date: &str, at_least: usize) -> Parsed {
    let p = parse_as(text, Some(d(date)), LangChoice::Auto)
        .unwrap_or_else(|e| panic!("{date}: {e}\n{text}"));
    assert_eq!(p.lang, Lang::En);
    assert_eq!(p.day.date, Some(d(date)));
    let unplaced: Vec<String> = p
        .unplaced
        .iter()
        .map(|u| format!("{} at {}:{} in {}", u.number, u.line, u.column, u.sentence))
        .collect();
    assert!(unplaced.is_empty(), "{date}: unplaced {unplaced:#?}");
    let day: &Day = history().day(d(date)).expect("a shipped day");
    let wrong: Vec<String> = p
        .day
        .facts
        .iter()
        .filter(|f| day.get(&f.region, f.origin, f.measure) != Some(f.value))
        .map(|f| {
            format!(
                "{} {} {} {} (the Chinese bulletin: {:?})",
                f.region,
                f.origin.name(),
                f.measure,
                f.value,
                day.get(&f.region, f.origin, f.measure)
            )
        })
        .collect();
    assert!(wrong.is_empty(), "{date}: {wrong:#?}");
    for c in &p.day.corrections {
        assert!(day.corrections.contains(c), "{date}: correction {c:?}");
    }
    let listed: Vec<String> = p
        .day
        .facts
        .iter()
        .map(|f| format!("{} {} {} {}", f.region, f.origin.name(), f.measure, f.value))
        .collect();
    assert!(
        p.day.facts.len() >= at_least,
        "{date}: only {} facts: {listed:#?}",
        p.day.facts.len()
    );
    p
}

fn has(p: &Parsed, region: u32, origin: Origin, measure: Measure, value: i64) {
    let r = RegionId::Code(region.to_string().parse().expect("a code"));
    assert_eq!(
        p.day.get(&r, origin, measure),
        Some(value),
        "{region} {} {measure}",
        origin.name()
    );
}

// ---- the NHC's English briefing ----

const NHC_2021_08_10: &str = "\
Aug 11: Daily briefing on novel coronavirus cases in China
On Aug 10, 31 provincial-level regions and the Xinjiang Production and Construction Corps on the \
Chinese mainland reported 111 new cases of confirmed infections (28 imported cases, 12 in Zhejiang \
province, 5 in Yunnan province, 4 in Shanghai municipality, 3 in Sichuan province, 2 in Guangdong \
province, 1 in Tianjin municipality and 1 in Shandong province; 83 indigenous cases, 54 in Jiangsu \
province, 14 in Hubei province, 7 in Henan province, 5 in Hunan province, 2 in Yunnan province and \
1 in Beijing municipality), no new cases of suspected infections, and no deaths. 24 patients were \
released from hospital after being cured. 3,496 people who had had close contact with infected \
patients were freed from medical observation. Serious cases increased by 6.
As of 24:00 on Aug 10, 31 provincial-level regions and the Xinjiang Production and Construction \
Corps on the Chinese mainland had reported 7,737 cases of imported confirmed infections and no \
deaths. In all, 7,008 patients had been cured and discharged from hospital. There still remained \
729 confirmed cases (including 15 cases in serious condition) and 1 suspected case.
As of 24:00 on Aug 10, the National Health Commission had received reports of 94,080 confirmed \
cases and 4,636 deaths in 31 provincial-level regions and the Xinjiang Production and Construction \
Corps on the Chinese mainland, and in all 87,655 patients had been cured and discharged from \
hospital. There still remained 1,789 confirmed cases (including 60 cases in serious condition) and \
1 suspected case. 1,135,904 people had been identified as having had close contact with infected \
patients. 50,808 were still under medical observation.
On Aug 10, 31 provincial-level regions and the Xinjiang Production and Construction Corps on the \
Chinese mainland reported 30 new asymptomatic cases (23 imported cases and 7 indigenous cases). 14 \
asymptomatic cases were freed from medical observation (all were imported cases) and 19 (4 imported \
cases) became confirmed cases. As of 24:00 on Aug 10, 498 asymptomatic cases were still under \
medical observation (including 392 imported cases).
As of 24:00 on Aug 10, 27,880 confirmed cases had been reported in Hong Kong, Macao and Taiwan, \
including 12,019 in the Hong Kong Special Administrative Region (11,728 discharged and 212 \
deaths), 63 in the Macao Special Administrative Region (57 discharged) and 15,798 in Taiwan (13,103 \
discharged and 814 deaths).
";

#[test]
fn the_nhc_briefing() {
    let p = check(NHC_2021_08_10, "2021-08-10", 53);
    use Measure as M;
    use Origin::{All, Imported, Local};
    has(&p, 100000, All, M::ConfirmedNew, 111);
    has(&p, 330000, Imported, M::ConfirmedNew, 12);
    has(&p, 320000, Local, M::ConfirmedNew, 54);
    has(&p, 100000, All, M::SevereChange, 6);
    has(&p, 100000, Imported, M::DischargedCumulative, 7008);
    has(&p, 100000, Imported, M::SevereCurrent, 15);
    has(&p, 100000, Imported, M::SuspectedCurrent, 1);
    has(&p, 100000, All, M::DischargedCumulative, 87655);
    has(&p, 100000, All, M::ContactsUnderObservation, 50808);
    has(&p, 100000, Local, M::AsymptomaticReleased, 0);
    has(&p, 100000, Imported, M::AsymptomaticToConfirmed, 4);
    has(&p, 810000, All, M::DeathsCumulative, 212);
    has(&p, 710000, All, M::DischargedCumulative, 13103);
    assert_eq!(p.ignored.len(), 1, "the headline: {:?}", p.ignored);
}

/// The same briefing with its paragraphs merged into one, and with its lines broken in the
/// middle of sentences: the same figures.
#[test]
fn merged_and_split_paragraphs() {
    let whole = check(NHC_2021_08_10, "2021-08-10", 53);
    let merged = NHC_2021_08_10.replace(".\n", ". ");
    let p = check(&merged, "2021-08-10", 53);
    assert_eq!(p.day.facts, whole.day.facts);
    let split = NHC_2021_08_10
        .replace("(28 imported cases, ", "(28 imported cases,\n")
        .replace(
            "had been cured and\ndischarged",
            "had been cured and discharged",
        )
        .replace(
            "people who had had close contact",
            "people who\nhad had close contact",
        )
        .replace("including 12,019 in", "including 12,019\nin")
        .replace(
            "Serious cases increased by 6.\n",
            "Serious cases increased by 6.\n\n",
        );
    let p = check(&split, "2021-08-10", 53);
    assert_eq!(p.day.facts, whole.day.facts);
}

// ---- a wire service's paraphrase ----

const WIRE_2020_06_19: &str = "\
Chinese mainland reports 27 new confirmed COVID-19 cases

BEIJING, June 20 (Xinhua) -- The Chinese mainland on Friday reported 27 new confirmed COVID-19 \
cases, of which four were imported and 23 were locally transmitted, the National Health \
Commission said Saturday.

Of the domestically transmitted cases, 22 were reported in Beijing and one in Hebei Province, \
according to the commission's daily report. Of the imported cases, three were reported in \
Guangdong and one in Shanghai.

No deaths related to the disease were reported on Friday. Four new suspected cases, all local \
ones in Beijing, were reported.

On Friday, 12 people were discharged from hospitals after recovery, while the number of severe \
cases remained unchanged.

By the end of Friday, the mainland had reported a total of 1,868 imported cases. Of the imported \
cases, 1,785 had been discharged from hospitals after recovery, and 83 remained hospitalized with \
no one in severe condition. No deaths from the imported cases had been reported.

The overall confirmed cases on the mainland had reached 83,352 by Friday, including 308 patients \
who were still being treated, 78,410 patients who had been discharged after recovery, and 4,634 \
people who died of the disease.

The commission said that 11 people were still suspected of being infected with the virus. It \
added that 6,023 close contacts were still under medical observation after 232 people were \
discharged from medical observation on Friday.

Also on Friday, seven new asymptomatic cases, including five from abroad, were reported on the \
mainland. Nine asymptomatic cases, eight of which were from abroad, were discharged from medical \
observation, and none was re-categorized as a confirmed case. The commission said 108 asymptomatic \
cases, including 57 from abroad, were still under medical observation.

By Friday, 1,127 confirmed cases including four deaths had been reported in the Hong Kong Special \
Administrative Region (SAR), 45 confirmed cases in the Macao SAR, and 446 in Taiwan including \
seven deaths. A total of 1,074 patients in Hong Kong, 45 in Macao and 434 in Taiwan had been \
discharged from hospital after recovery.

(Editor's note: the figures were updated at 10:45 a.m. on June 20.)
";

#[test]
fn a_wire_services_paraphrase_with_dateline_and_editors_note() {
    let p = check(WIRE_2020_06_19, "2020-06-19", 41);
    use Measure as M;
    use Origin::{All, Imported, Local};
    has(&p, 100000, Local, M::ConfirmedNew, 23);
    has(&p, 110000, Local, M::ConfirmedNew, 22);
    has(&p, 440000, Imported, M::ConfirmedNew, 3);
    has(&p, 100000, Imported, M::SuspectedNew, 0);
    has(&p, 110000, Local, M::SuspectedNew, 4);
    has(&p, 100000, All, M::SevereChange, 0);
    has(&p, 100000, Imported, M::ConfirmedCurrent, 83);
    has(&p, 100000, Imported, M::DeathsCumulative, 0);
    has(&p, 100000, All, M::ConfirmedCurrent, 308);
    has(&p, 100000, All, M::ContactsReleased, 232);
    has(&p, 100000, Imported, M::AsymptomaticReleased, 8);
    has(&p, 100000, All, M::AsymptomaticToConfirmed, 0);
    has(&p, 100000, Imported, M::AsymptomaticUnderObservation, 57);
    has(&p, 810000, All, M::DeathsCumulative, 4);
    has(&p, 710000, All, M::ConfirmedCumulative, 446);
    has(&p, 820000, All, M::DischargedCumulative, 45);
    // The headline before the dateline and the editor's note after the report are no part of it.
    assert_eq!(p.ignored.len(), 2, "{:?}", p.ignored);
    assert!(p.ignored[1].starts_with("(Editor's note"));
}

/// Without the dateline, the weekday needs the day given.
#[test]
fn a_weekday_needs_the_day() {
    let text = "The Chinese mainland on Friday reported 27 new confirmed COVID-19 cases.";
    let e = parse_as(text, None, LangChoice::En).unwrap_err();
    assert!(e.message.contains("only a weekday"), "{e}");
    let e = parse_as(text, Some(d("2020-06-18")), LangChoice::En).unwrap_err();
    assert!(
        e.message.contains("friday") && e.message.contains("thursday"),
        "{e}"
    );
    let p = check(text, "2020-06-19", 1);
    has(&p, 100000, Origin::All, Measure::ConfirmedNew, 27);
}

// ---- a word-for-word translation in the Chinese order ----

const WORD_ORDER_2020_03_20: &str = "\
From 0 to 24 o'clock on March 20, 31 provinces (autonomous regions, municipalities directly under \
the Central Government) and Xinjiang Production and Construction Corps reported newly added \
confirmed cases 41 cases, newly added death cases 7 cases (Hubei 7 cases), newly added suspected \
cases 36 cases.
On that day newly added cured and discharged cases 590 cases, close contacts released from medical \
observation 1191 persons, severe cases decreased 173 cases.
As of 24 o'clock on March 20, according to reports of 31 provinces (autonomous regions, \
municipalities directly under the Central Government) and Xinjiang Production and Construction \
Corps, existing confirmed cases 6013 cases (among them severe cases 1963 cases), accumulated cured \
and discharged cases 71740 cases, accumulated death cases 3255 cases, accumulated reported \
confirmed cases 81008 cases, existing suspected cases 106 cases. Accumulated tracked close contacts \
685866 persons, close contacts still under medical observation 9371 persons.
Hubei newly added confirmed cases 0 cases (Wuhan 0 cases), newly added cured and discharged cases \
561 cases (Wuhan 502 cases), newly added death cases 7 cases (Wuhan 6 cases), existing confirmed \
cases 5719 cases (Wuhan 5610 cases), among them severe cases 1927 cases (Wuhan 1901 cases). \
Accumulated cured and discharged cases 58942 cases (Wuhan 41891 cases), accumulated death cases \
3139 cases (Wuhan 2504 cases), accumulated confirmed cases 67800 cases (Wuhan 50005 cases). Newly \
added suspected cases 0 cases (Wuhan 0 cases), existing suspected cases 0 cases (Wuhan 0 cases).
From 0 to 24 o'clock on March 20, newly reported imported from abroad confirmed cases 41 cases \
(Beijing 14 cases, Shanghai 9 cases, Guangdong 7 cases, Fujian 4 cases, Zhejiang, Shandong, \
Shaanxi each 2 cases, Sichuan 1 case). As of 24 o'clock on March 20, accumulated reported imported \
from abroad confirmed cases 269 cases.
Accumulated received Hong Kong, Macao and Taiwan notified confirmed cases 408 cases: Hong Kong \
Special Administrative Region 256 cases (discharged 98 cases, died 4 cases), Macao Special \
Administrative Region 17 cases (discharged 10 cases), Taiwan region 135 cases (discharged 28 \
cases, died 2 cases).
";

#[test]
fn a_word_for_word_translation_in_the_chinese_order() {
    let p = check(WORD_ORDER_2020_03_20, "2020-03-20", 52);
    use Measure as M;
    use Origin::{All, Imported};
    has(&p, 420000, All, M::DeathsNew, 7);
    has(&p, 100000, All, M::SevereChange, -173);
    has(&p, 100000, All, M::SevereCurrent, 1963);
    has(&p, 100000, All, M::ContactsTracedCumulative, 685866);
    has(&p, 420000, All, M::ConfirmedNew, 0);
    has(&p, 420100, All, M::ConfirmedNew, 0);
    has(&p, 420000, All, M::SevereCurrent, 1927);
    has(&p, 420100, All, M::DischargedCumulative, 41891);
    has(&p, 420000, All, M::SuspectedCurrent, 0);
    has(&p, 610000, Imported, M::ConfirmedNew, 2);
    has(&p, 370000, Imported, M::ConfirmedNew, 2);
    has(&p, 100000, Imported, M::ConfirmedCumulative, 269);
    has(&p, 810000, All, M::ConfirmedCumulative, 256);
    has(&p, 710000, All, M::DeathsCumulative, 2);
    let total = p
        .day
        .notes
        .iter()
        .find(|n| n.kind == NoteKind::NotifiedTotal)
        .expect("the three regions' total");
    assert_eq!(total.values[0].value, 408);
}

// ---- sentences run together, numbers without separators ----

const RUN_TOGETHER_2022_04_15: &str = "\
Source: en.nhc.gov.cn

On April 15, 31 provincial-level regions and the Xinjiang Production and Construction Corps on the \
Chinese mainland reported 3896 new cases of confirmed infections (29 imported cases, 15 in Fujian \
province, 4 in Shanghai municipality, 2 in Guangdong province, 2 in Guangxi Zhuang autonomous \
region and one each in Beijing, Jiangsu, Zhejiang, Jiangxi, Sichuan and Yunnan, including 3 \
confirmed cases converting from asymptomatic cases, one each in Zhejiang, Jiangxi and Guangxi; \
3867 indigenous cases, 3590 in Shanghai, 195 in Jilin, 25 in Heilongjiang, 24 in Guangdong, 9 in \
Zhejiang, 6 in Fujian, 5 in Shanxi, 4 in Jiangsu, 2 in Hainan, 2 in Qinghai and one each in Inner \
Mongolia, Liaoning, Shandong, Hunan and Shaanxi, including 985 confirmed cases converting from \
asymptomatic cases, 922 in Shanghai, 57 in Jilin, 3 in Zhejiang and one each in Fujian, Hainan \
and Qinghai), no new cases of suspected infections and no deaths 2818 patients were released from \
hospital after being cured (53 imported and 2765 indigenous) 34002 people who had had close \
contact with infected patients were freed from medical observation Serious cases decreased by 2 \
As of 24:00 on April 15, the National Health Commission had received reports of 178764 confirmed \
cases and 4638 deaths in 31 provincial-level regions and the Xinjiang Production and Construction \
Corps on the Chinese mainland and in all 148170 patients had been cured and discharged from \
hospital There still remained 25956 confirmed cases (including 74 cases in serious condition) and \
12 suspected cases 2825543 people had been identified as having had close contact with infected \
patients 438427 were still under medical observation.
";

#[test]
fn sentences_run_together_without_their_full_stops() {
    let p = check(RUN_TOGETHER_2022_04_15, "2022-04-15", 54);
    use Measure as M;
    use Origin::{All, Imported, Local};
    has(&p, 100000, All, M::ConfirmedNew, 3896);
    has(&p, 110000, Imported, M::ConfirmedNew, 1);
    has(&p, 450000, Imported, M::ConfirmedNew, 2);
    has(&p, 100000, Imported, M::ConfirmedNewFromAsymptomatic, 3);
    has(&p, 450000, Imported, M::ConfirmedNewFromAsymptomatic, 1);
    has(&p, 610000, Local, M::ConfirmedNew, 1);
    has(&p, 220000, Local, M::ConfirmedNewFromAsymptomatic, 57);
    has(&p, 630000, Local, M::ConfirmedNewFromAsymptomatic, 1);
    has(&p, 100000, All, M::DeathsNew, 0);
    has(&p, 100000, Local, M::DischargedNew, 2765);
    has(&p, 100000, All, M::ContactsReleased, 34002);
    has(&p, 100000, All, M::SevereChange, -2);
    has(&p, 100000, All, M::DischargedCumulative, 148170);
    has(&p, 100000, All, M::SuspectedCurrent, 12);
    has(&p, 100000, All, M::ContactsUnderObservation, 438427);
}

// ---- small numbers as words, Hong Kong, Macao and Taiwan as a list ----

const NEWS_2020_02_12: &str = "\
COVID-19: Chinese mainland reports 15,152 new cases, 254 more deaths

Chinese health authorities on Thursday said that 15,152 new confirmed cases of the novel \
coronavirus and 254 new deaths were reported on the Chinese mainland on Wednesday, including \
13,332 clinically diagnosed cases in Hubei Province.

Of the new deaths, 242 were in Hubei, two in Henan, and one each in Tianjin, Hebei, Liaoning, \
Heilongjiang, Anhui, Shandong, Guangdong, Guangxi, Hainan and the Xinjiang Production and \
Construction Corps.

Another 2,807 new suspected cases were reported on Wednesday, while 1,171 people were discharged \
from hospital after recovery and the number of severe cases fell by 174.

As of Wednesday midnight, the total number of confirmed cases on the mainland stood at 59,804, \
with 52,526 patients still being treated, 8,030 of them in severe condition. A total of 5,911 \
people had been discharged and 1,367 had died of the disease. Some 13,435 people were suspected of \
being infected.

Hubei reported 14,840 new confirmed cases, including 13,436 in the provincial capital Wuhan, and \
242 new deaths, 216 of them in Wuhan.

The latest figures of confirmed cases in Hong Kong and Macao special administrative regions and \
the Taiwan region are as follows:
Hong Kong: 50 (one recovered, one death)
Macao: 10 (two recovered)
Taiwan: 18 (one recovered)
";

#[test]
fn small_numbers_as_words_and_a_list_of_the_three_regions() {
    let p = check(NEWS_2020_02_12, "2020-02-12", 34);
    use Measure as M;
    use Origin::All;
    has(&p, 420000, All, M::ConfirmedNewClinical, 13332);
    has(&p, 410000, All, M::DeathsNew, 2);
    has(&p, 660000, All, M::DeathsNew, 1);
    has(&p, 460000, All, M::DeathsNew, 1);
    has(&p, 100000, All, M::SevereChange, -174);
    has(&p, 100000, All, M::SevereCurrent, 8030);
    has(&p, 100000, All, M::SuspectedCurrent, 13435);
    has(&p, 420000, All, M::ConfirmedNew, 14840);
    has(&p, 420100, All, M::DeathsNew, 216);
    has(&p, 810000, All, M::DeathsCumulative, 1);
    has(&p, 820000, All, M::DischargedCumulative, 2);
    has(&p, 710000, All, M::ConfirmedCumulative, 18);
}

/// The reporting units and the XPCC, spelled out or not; the year in the text, no day given.
#[test]
fn the_xpcc_spelled_out_or_not() {
    for (units, xpcc) in [
        (
            "31 provincial-level regions and the XPCC",
            "the Xinjiang Production and Construction Corps",
        ),
        (
            "the 31 provinces, autonomous regions and municipalities and the Xinjiang \
             Production and Construction Corps (XPCC)",
            "the XPCC",
        ),
        (
            "31 provincial-level regions on the Chinese mainland",
            "the XPCC",
        ),
    ] {
        let text = format!(
            "On February 12, 2020, {units} reported 254 new deaths: 242 in Hubei, two in Henan \
             and one each in Tianjin, Hebei, Liaoning, Heilongjiang, Anhui, Shandong, Guangdong, \
             Guangxi, Hainan and {xpcc}."
        );
        let p = parse_as(&text, None, LangChoice::Auto).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert!(p.unplaced.is_empty(), "{text}: {:?}", p.unplaced);
        assert_eq!(p.day.date, Some(d("2020-02-12")));
        let shipped = history().day(d("2020-02-12")).expect("shipped");
        let deaths: Vec<_> = shipped
            .facts
            .iter()
            .filter(|f| f.measure == Measure::DeathsNew && f.origin == Origin::All)
            .filter(|f| f.region.code().is_province_level())
            .cloned()
            .collect();
        assert_eq!(p.day.facts, deaths, "{text}");
    }
}

/// The renderer's own English, with a dateline before it and an editor's note after it.
#[test]
fn the_renderers_english_framed_like_a_news_page() {
    let b = epiledger_bulletin::render::bulletin(history(), d("2020-06-19"), &RegionId::NATION)
        .expect("renders");
    let en = epiledger_bulletin::render::text(&b, Lang::En);
    let framed = format!(
        "BEIJING, June 20 -- {en}\n\nEditor's note: figures are from the National Health \
         Commission's bulletin of 2020-06-20, 08:00."
    );
    let p = check(&framed, "2020-06-19", 44);
    let shipped = history().day(d("2020-06-19")).expect("shipped");
    assert_eq!(p.day.facts, shipped.facts);
}

// ---- bad input ----

fn refused(text: &str, date: Option<&str>) -> epiledger_bulletin::ParseError {
    match parse_as(text, date.map(d), LangChoice::En) {
        Ok(p) => panic!("accepted: {:?}", p.day.facts),
        Err(e) => e,
    }
}

#[test]
fn a_story_about_something_else_is_refused() {
    let e = refused(
        "Shanghai will host a trade fair next month, with 3,000 exhibitors from 120 countries \
         expected to attend, organizers said on Monday.",
        Some("2020-06-19"),
    );
    assert_eq!((e.line, e.column), (1, 1));
    assert!(e.message.contains("not a bulletin report"), "{e}");
}

#[test]
fn a_cut_off_paragraph_is_refused() {
    let e = refused(
        "On June 19, 31 provincial-level regions and the Xinjiang Production and Construction \
         Corps reported 27 new cases of confirmed infections (4 imported cases, 3 in Guangdong \
         province and 1 in Shanghai",
        Some("2020-06-19"),
    );
    assert_eq!(e.line, 1);
    assert!(e.message.contains("cut off"), "{e}");
    let e = refused(
        "On June 19, the Chinese mainland reported 27 new confirmed cases, of which four were",
        Some("2020-06-19"),
    );
    assert!(e.message.contains("cut off"), "{e}");
    assert_eq!(e.column, 85);
}

#[test]
fn another_countrys_table_is_refused() {
    let e = refused(
        "As of 8 March 2020, the number of confirmed cases reached 7,134 in Korea, with 50 \
         deaths.\nItaly: 5,883 confirmed cases, 233 deaths.",
        None,
    );
    assert!(e.message.contains("Korea"), "{e}");
    assert_eq!((e.line, e.column), (1, 68));
    let e = refused(
        "Region | Confirmed | Deaths\nLombardy | 3,420 | 154\nVeneto | 488 | 13\n",
        Some("2020-03-08"),
    );
    assert!(e.message.contains("Lombardy"), "{e}");
    assert_eq!((e.line, e.column), (2, 1));
}

#[test]
fn parts_that_do_not_add_up_are_stored_as_the_sources() {
    let text = "On June 19, the Chinese mainland reported 27 new confirmed cases: 4 imported and \
                22 local.";
    let p = parse_as(text, Some(d("2020-06-19")), LangChoice::En).expect("stored");
    assert!(p.unplaced.is_empty());
    let note = p
        .day
        .notes
        .iter()
        .find(|n| n.kind == NoteKind::Contradiction)
        .expect("the contradiction is recorded");
    assert_eq!(note.region, Some(RegionId::NATION));
    let values: Vec<(&str, i64)> = note
        .values
        .iter()
        .map(|v| (v.label.as_str(), v.value))
        .collect();
    assert_eq!(
        values,
        [
            ("total:confirmed_new", 27),
            ("imported:confirmed_new", 4),
            ("local:confirmed_new", 22)
        ]
    );
    // The audit lists the break, and names the source's contradiction as what explains it.
    let ledger = Ledger::from_days([p.day.clone()]);
    let breaks = audit(&ledger, None, None);
    let b = breaks
        .iter()
        .find(|b| b.measure == Measure::ConfirmedNew)
        .expect("an origins break");
    assert_eq!((b.expected, b.found), (26, 27));
    assert!(
        b.explained_by
            .as_deref()
            .is_some_and(|e| e.contains("contradiction in the source")),
        "{b}"
    );
}
