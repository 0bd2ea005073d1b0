//! Revisions flow through: a real day (2020-06-19, parsed from the corpus when present, else
//! from the shipped history) is revised, and the rendered text changes with it, totals and
//! lists included.

use std::fs;
use std::path::PathBuf;

use epiledger_bulletin::render::{self, Lang};
use epiledger_core::{Date, Day, Ledger, Measure, Origin, RegionId};

fn date(s: &str) -> Date {
    s.parse().expect("a date")
}

/// 2020-06-18 and 2020-06-19, from the corpus or the shipped history.
fn days() -> Vec<Day> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/nhc/zh");
    let wanted = [date("2020-06-18"), date("2020-06-19")];
    let from_corpus: Option<Vec<Day>> = wanted
        .iter()
        .map(|d| {
            let text = fs::read_to_string(dir.join(format!("{d}.txt"))).ok()?;
            Some(epiledger_bulletin::parse(&text, Some(*d)).ok()?.day)
        })
        .collect();
    from_corpus.unwrap_or_else(|| {
        epiledger_history::load()
            .expect("the shipped history reads")
            .into_iter()
            .map(|s| s.day)
            .filter(|d| d.date.is_some_and(|x| wanted.contains(&x)))
            .collect()
    })
}

fn set(day: &mut Day, region: &str, origin: Origin, measure: Measure, value: i64) {
    let region: RegionId = region.parse().expect("a region");
    let f = day
        .facts
        .iter_mut()
        .find(|f| f.region == region && f.origin == origin && f.measure == measure)
        .expect("the figure is stated");
    f.value = value;
}

fn text(days: &[Day], lang: Lang) -> String {
    let ledger = Ledger::from_days(days.iter().cloned());
    let b = render::bulletin(&ledger, date("2020-06-19"), &RegionId::NATION).expect("renders");
    render::text(&b, lang)
}

#[test]
fn a_revised_figure_changes_the_text_totals_and_lists_included() {
    let original = days();
    let before = text(&original, Lang::Zh);
    assert!(before.contains("新增确诊病例27例"), "{before}");
    assert!(
        before.contains("本土病例23例（北京22例，河北1例）"),
        "{before}"
    );

    // A new version of the day: Hebei reports 30 local cases instead of 1, and the national
    // totals that contain them move with it.
    let mut revised = original.clone();
    let day = revised
        .iter_mut()
        .find(|d| d.date == Some(date("2020-06-19")))
        .expect("the day");
    set(day, "130000", Origin::Local, Measure::ConfirmedNew, 30);
    set(day, "100000", Origin::Local, Measure::ConfirmedNew, 52);
    set(day, "100000", Origin::All, Measure::ConfirmedNew, 56);
    set(day, "100000", Origin::All, Measure::ConfirmedCurrent, 337);
    set(
        day,
        "100000",
        Origin::All,
        Measure::ConfirmedCumulative,
        83381,
    );
    let after = text(&revised, Lang::Zh);
    assert!(after.contains("新增确诊病例56例"), "{after}");
    // Hebei now leads the list: the order follows the figures.
    assert!(
        after.contains("本土病例52例（河北30例，北京22例）"),
        "{after}"
    );
    assert!(after.contains("现有确诊病例337例"), "{after}");
    assert!(after.contains("累计报告确诊病例83381例"), "{after}");
    let en = text(&revised, Lang::En);
    assert!(en.contains("52 local (30 in Hebei, 22 in Beijing)"), "{en}");
    assert!(
        en.contains("a cumulative total of 83,381 confirmed cases"),
        "{en}"
    );

    // A severe case more today: the change, computed from the stocks when the day does not
    // state it, follows.
    let mut severe = original.clone();
    for d in &mut severe {
        d.facts
            .retain(|f| !(f.measure == Measure::SevereChange && f.region.is_nation()));
    }
    let day = severe
        .iter_mut()
        .find(|d| d.date == Some(date("2020-06-19")))
        .expect("the day");
    set(day, "100000", Origin::All, Measure::SevereCurrent, 14);
    let zh = text(&severe, Lang::Zh);
    assert!(
        zh.contains("重症病例增加1例") || zh.contains("重症病例较前一日增加1例"),
        "{zh}"
    );
}
