//! Rendering the bulletin from the ledger: snapshots of a day of each period in Chinese and
//! English (from the shipped history, so that they hold without the corpus), the English
//! bulletin stating every figure of the Chinese one, the formats, and a province's bulletin.

use std::sync::OnceLock;

use epiledger_bulletin::render::{self, Format, Lang};
use epiledger_core::{Date, Ledger, RegionId};

/// The shipped history as a ledger.
fn history() -> &'static Ledger {
    static LEDGER: OnceLock<Ledger> = OnceLock::new();
    LEDGER.get_or_init(|| {
        let days = epiledger_history::load().expect("the shipped history reads");
        Ledger::from_days(days.into_iter().map(|d| d.day))
    })
}

fn d(s: &str) -> Date {
    s.parse().expect("a date")
}

fn bulletin(date: &str) -> render::Bulletin {
    render::bulletin(history(), d(date), &RegionId::NATION).expect("the day is in the history")
}

/// A day of each period of the bulletin's form.
const PERIODS: &[(&str, &str)] = &[
    ("2020-02-15", "hubei_paragraph"),
    ("2020-03-10", "imported_paragraph"),
    ("2020-04-17", "origin_number_first"),
    ("2020-06-19", "settled_form"),
    ("2021-12-30", "sentences_and_prefectures"),
    ("2022-04-15", "discharges_by_province"),
];

#[test]
fn snapshots_of_a_day_of_each_period() {
    for (date, period) in PERIODS {
        let b = bulletin(date);
        insta::assert_snapshot!(format!("zh_{period}"), render::text(&b, Lang::Zh));
        insta::assert_snapshot!(format!("en_{period}"), render::text(&b, Lang::En));
    }
}

/// The numbers written in a text, as plain digits (`78,410` → `78410`).
fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            cur.push(c);
        } else if c == ',' && !cur.is_empty() && chars.peek().is_some_and(char::is_ascii_digit) {
            continue;
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[test]
fn the_english_bulletin_states_every_figure_of_the_chinese() {
    for date in [
        "2020-06-19",
        "2020-02-15",
        "2021-12-30",
        "2022-04-15",
        "2022-09-14",
    ] {
        let b = bulletin(date);
        let zh = render::text(&b, Lang::Zh);
        let en = render::text(&b, Lang::En);
        let mut en_numbers = numbers(&en);
        // The Chinese opens with the day (6月19日0—24时) and names 31 provinces.
        let d = d(date);
        let mut missing = Vec::new();
        for n in numbers(&zh) {
            let skip = [
                d.month().to_string(),
                d.day().to_string(),
                "0".into(),
                "24".into(),
                "31".into(),
            ];
            if let Some(i) = en_numbers.iter().position(|e| *e == n) {
                en_numbers.remove(i);
            } else if !skip.contains(&n) {
                missing.push(n);
            }
        }
        assert!(
            missing.is_empty(),
            "{date}: the English lacks {missing:?}\n{en}"
        );
    }
}

#[test]
fn june_19_in_english_reads_as_a_news_wire() {
    let en = render::text(&bulletin("2020-06-19"), Lang::En);
    for phrase in [
        "On June 19, the 31 provincial-level regions and the Xinjiang Production and Construction Corps reported 27 new confirmed cases: 4 imported (3 in Guangdong, 1 in Shanghai) and 23 local (22 in Beijing, 1 in Hebei).",
        "No new deaths were reported.",
        "78,410 discharged cases",
        "close contacts were released from medical observation",
        "1,127 in the Hong Kong SAR",
        "Macao SAR",
        "Taiwan region",
    ] {
        assert!(en.contains(phrase), "{phrase:?} not in\n{en}");
    }
}

#[test]
fn missing_is_not_zero() {
    // A day whose ledger lacks the deaths says nothing of them; a stated zero says 无新增死亡病例.
    let mut day = history().day(d("2020-06-19")).cloned().expect("in history");
    let zero = render::text(
        &render::bulletin(
            &Ledger::from_days([day.clone()]),
            d("2020-06-19"),
            &RegionId::NATION,
        )
        .expect("renders"),
        Lang::Zh,
    );
    assert!(zero.contains("无新增死亡病例"));
    day.facts
        .retain(|f| f.measure != epiledger_core::Measure::DeathsNew);
    let absent = render::text(
        &render::bulletin(
            &Ledger::from_days([day]),
            d("2020-06-19"),
            &RegionId::NATION,
        )
        .expect("renders"),
        Lang::Zh,
    );
    assert!(!absent.contains("死亡病例；") && !absent.contains("新增死亡病例0例"));
    assert!(!absent.contains("无新增死亡病例"), "{absent}");
}

#[test]
fn formats() {
    let b = bulletin("2020-06-19");
    let json: serde_json::Value =
        serde_json::from_str(&render::render(&b, Lang::Zh, Format::Json)).expect("valid JSON");
    assert_eq!(json["date"], "2020-06-19");
    let measures = json.to_string();
    for m in [
        "confirmed_new",
        "asymptomatic_under_observation",
        "severe_change",
    ] {
        assert!(measures.contains(m), "{m}");
    }
    let html = render::render(&b, Lang::En, Format::Html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("lang=\"en\"") && html.contains("lang=\"zh\""));
    assert!(html.find("Epidemic bulletin") < html.find("2020年6月19日疫情通报"));
    assert!(html.contains("@media print"));
    let md = render::render(&b, Lang::Zh, Format::Md);
    assert!(md.starts_with("# 2020年6月19日疫情通报\n"));
}

#[test]
fn a_provinces_own_bulletin() {
    let bj = RegionId::Code("110000".parse().expect("code"));
    let b = render::bulletin(history(), d("2020-06-19"), &bj).expect("renders");
    let zh = render::text(&b, Lang::Zh);
    assert!(
        zh.starts_with("6月19日0—24时，北京市报告新增确诊病例22例"),
        "{zh}"
    );
    assert!(zh.contains("新增疑似病例4例"), "{zh}");
    let en = render::text(&b, Lang::En);
    assert!(
        en.starts_with("On June 19, Beijing reported 22 new confirmed cases"),
        "{en}"
    );
}

#[test]
fn renders_every_day_of_the_history_quickly() {
    let ledger = history();
    let started = std::time::Instant::now();
    let mut chars = 0;
    for date in ledger.dates() {
        let b = render::bulletin(ledger, *date, &RegionId::NATION).expect("renders");
        chars += render::text(&b, Lang::Zh).len() + render::text(&b, Lang::En).len();
    }
    // A measurement, not an assertion: the time depends on the machine.
    eprintln!(
        "rendered {} days in Chinese and English ({chars} bytes) in {:?}",
        ledger.len(),
        started.elapsed()
    );
    assert_eq!(ledger.len(), 969);
}

/// A day compiled from the units' reports (after the history: no recorded phrasing) has every
/// unit's own figures, Hubei's among them: they belong to the lists of places, and the text
/// is in the latest period's form, without the paragraph that Hubei had in February–April 2020.
#[test]
fn a_day_of_unit_reports_after_the_history_is_in_the_latest_form() {
    use epiledger_core::{registry, Day, Fact, Measure, Origin};
    let date = d("2023-03-01");
    let mut day = Day::new(date);
    let mut push = |region: RegionId, origin: Origin, measure: Measure, value: i64| {
        day.facts
            .push(Fact::new(region, origin, measure, value).expect("a fact"));
    };
    let units = registry().reporting_units();
    for (i, unit) in units.iter().enumerate() {
        let r = RegionId::Code(*unit);
        let local = i as i64 % 3;
        push(r.clone(), Origin::All, Measure::ConfirmedNew, local + 1);
        push(r.clone(), Origin::Imported, Measure::ConfirmedNew, 1);
        push(r.clone(), Origin::Local, Measure::ConfirmedNew, local);
        push(r.clone(), Origin::All, Measure::DischargedNew, 1);
        push(r.clone(), Origin::All, Measure::DeathsNew, 0);
        push(r, Origin::All, Measure::ConfirmedCurrent, 10 + local);
    }
    let n = units.len() as i64;
    let local: i64 = (0..n).map(|i| i % 3).sum();
    push(
        RegionId::NATION,
        Origin::All,
        Measure::ConfirmedNew,
        local + n,
    );
    push(RegionId::NATION, Origin::Imported, Measure::ConfirmedNew, n);
    push(
        RegionId::NATION,
        Origin::Local,
        Measure::ConfirmedNew,
        local,
    );
    push(RegionId::NATION, Origin::All, Measure::DischargedNew, n);
    push(RegionId::NATION, Origin::All, Measure::DeathsNew, 0);
    push(
        RegionId::NATION,
        Origin::All,
        Measure::ConfirmedCurrent,
        10 * n + local,
    );
    day.normalize();
    let ledger = Ledger::from_days([day]);
    let b = render::bulletin(&ledger, date, &RegionId::NATION).expect("the day renders");
    let zh = render::text(&b, Lang::Zh);
    assert!(
        zh.starts_with("3月1日0—24时，31个省（自治区、直辖市）和新疆生产建设兵团报告新增确诊病例"),
        "{zh}"
    );
    assert!(
        !zh.contains("湖北新增"),
        "no paragraph of Hubei's own:\n{zh}"
    );
    assert!(zh.contains(&format!("本土病例{local}例（")), "{zh}");
    let en = render::text(&b, Lang::En);
    assert!(!en.contains("In Hubei"), "{en}");
}
