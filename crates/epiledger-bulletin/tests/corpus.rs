//! The real corpus, when `../shared/nhc/zh` is present beside the workspace: every bulletin
//! parses with every number placed, the figures of a known day are right, and a bulletin as news
//! sites repost it parses to the same figures as the official text.

use std::fs;
use std::path::PathBuf;

use epiledger_bulletin::parse;
use epiledger_core::{Date, Day, Measure, Origin, RegionCode, RegionId};

fn corpus() -> Option<Vec<(Date, String)>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/nhc/zh");
    let Ok(entries) = fs::read_dir(&dir) else {
        absent(&dir);
        return None;
    };
    let mut out: Vec<(Date, String)> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let date = e.path().file_stem()?.to_str()?.parse().ok()?;
            Some((date, fs::read_to_string(e.path()).ok()?))
        })
        .collect();
    out.sort();
    Some(out)
}

fn get(day: &Day, region: u32, origin: Origin, measure: Measure) -> Option<i64> {
    let region = RegionId::Code(RegionCode::new(region).expect("six digits"));
    day.get(&region, origin, measure)
}

#[test]
fn every_bulletin_parses_with_every_number_placed() {
    let Some(corpus) = corpus() else { return };
    assert_eq!(corpus.len(), 969);
    let mut problems = Vec::new();
    for (date, text) in &corpus {
        if epiledger_bulletin::detect(text) != epiledger_core::Lang::Zh {
            problems.push(format!("{date}: not told apart as Chinese"));
        }
        match parse(text, Some(*date)) {
            Ok(p) => {
                for u in p.unplaced {
                    problems.push(format!(
                        "{date} {}:{} {} in {}",
                        u.line, u.column, u.number, u.sentence
                    ));
                }
            }
            Err(e) => problems.push(format!("{date}: {e}")),
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_figures_of_2020_06_19_are_right() {
    let Some(corpus) = corpus() else { return };
    let date: Date = "2020-06-19".parse().unwrap();
    let text = &corpus.iter().find(|(d, _)| *d == date).expect("the day").1;
    let day = parse(text, Some(date)).expect("parses").day;
    use Measure as M;
    use Origin::{All, Imported as Imp, Local as Loc};
    let expected: &[(u32, Origin, Measure, i64)] = &[
        (100000, All, M::ConfirmedNew, 27),
        (100000, Imp, M::ConfirmedNew, 4),
        (100000, Loc, M::ConfirmedNew, 23),
        (440000, Imp, M::ConfirmedNew, 3),
        (310000, Imp, M::ConfirmedNew, 1),
        (110000, Loc, M::ConfirmedNew, 22),
        (130000, Loc, M::ConfirmedNew, 1),
        (100000, All, M::DeathsNew, 0),
        (100000, Loc, M::SuspectedNew, 4),
        (110000, Loc, M::SuspectedNew, 4),
        (100000, All, M::DischargedNew, 12),
        (100000, All, M::ContactsReleased, 232),
        (100000, Imp, M::ConfirmedCurrent, 83),
        (100000, Imp, M::SevereCurrent, 0),
        (100000, Imp, M::SuspectedCurrent, 0),
        (100000, Imp, M::ConfirmedCumulative, 1868),
        (100000, Imp, M::DischargedCumulative, 1785),
        (100000, Imp, M::DeathsCumulative, 0),
        (100000, All, M::ConfirmedCurrent, 308),
        (100000, All, M::SevereCurrent, 13),
        (100000, All, M::DischargedCumulative, 78410),
        (100000, All, M::DeathsCumulative, 4634),
        (100000, All, M::ConfirmedCumulative, 83352),
        (100000, All, M::SuspectedCurrent, 11),
        (100000, All, M::ContactsTracedCumulative, 756223),
        (100000, All, M::ContactsUnderObservation, 6023),
        (100000, All, M::AsymptomaticNew, 7),
        (100000, Imp, M::AsymptomaticNew, 5),
        (100000, All, M::AsymptomaticToConfirmed, 0),
        (100000, All, M::AsymptomaticReleased, 9),
        (100000, Imp, M::AsymptomaticReleased, 8),
        (100000, All, M::AsymptomaticUnderObservation, 108),
        (100000, Imp, M::AsymptomaticUnderObservation, 57),
        (810000, All, M::ConfirmedCumulative, 1127),
        (810000, All, M::DischargedCumulative, 1074),
        (810000, All, M::DeathsCumulative, 4),
        (820000, All, M::ConfirmedCumulative, 45),
        (820000, All, M::DischargedCumulative, 45),
        (710000, All, M::ConfirmedCumulative, 446),
        (710000, All, M::DischargedCumulative, 434),
        (710000, All, M::DeathsCumulative, 7),
    ];
    for (region, origin, measure, value) in expected {
        assert_eq!(
            get(&day, *region, *origin, *measure),
            Some(*value),
            "{region} {origin} {measure}"
        );
    }
    // Missing is not zero: the bulletin gives no local asymptomatic figure.
    assert_eq!(get(&day, 100000, Loc, M::AsymptomaticNew), None);
}

/// The ways news sites repost a bulletin.
fn variants(text: &str) -> Vec<(&'static str, String)> {
    let half: String = text
        .chars()
        .map(|c| match c {
            '，' => ',',
            '；' => ';',
            '：' => ':',
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect();
    let merged: String = text.lines().collect::<Vec<_>>().join("");
    let mut spaced = String::new();
    for (i, c) in text.chars().enumerate() {
        spaced.push(c);
        if c == '。' {
            spaced.push_str("\n\n");
        } else if i % 37 == 36 {
            spaced.push('\n');
        } else if c == '，' {
            spaced.push(' ');
        }
    }
    vec![
        ("half-width punctuation", half),
        ("paragraphs merged", merged.clone()),
        ("whitespace and line breaks added", spaced),
        (
            "a prefix",
            format!("新京报快讯 据国家卫健委网站消息，{merged}"),
        ),
        (
            "a trailing citation",
            format!("{text}\n（注：媒体引用时，请标注“信息来自国家卫生健康委员会官方网站”。）"),
        ),
        (
            "a source line",
            format!("{text}\n（来源：国家卫生健康委员会官方网站）"),
        ),
    ]
}

#[test]
fn reposted_variants_parse_to_the_same_figures() {
    let Some(corpus) = corpus() else { return };
    let mut problems = Vec::new();
    for (date, text) in &corpus {
        let official = parse(text, Some(*date))
            .expect("the official text parses")
            .day;
        for (how, variant) in variants(text) {
            match parse(&variant, Some(*date)) {
                Ok(p) => {
                    if p.day.facts != official.facts
                        || p.day.corrections != official.corrections
                        || !p.unplaced.is_empty()
                    {
                        problems.push(format!("{date} with {how}: the figures differ"));
                    }
                }
                Err(e) => problems.push(format!("{date} with {how}: {e}")),
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn cut_texts_are_rejected_with_a_position() {
    let Some(corpus) = corpus() else { return };
    let date: Date = "2020-06-19".parse().unwrap();
    let text = &corpus.iter().find(|(d, _)| *d == date).expect("the day").1;
    let chars: Vec<char> = text.chars().collect();
    let mut accepted = Vec::new();
    // Cut anywhere in the last two paragraphs: every cut is an error or leaves numbers unplaced.
    for cut in (chars.len() * 2 / 3..chars.len() - 2).step_by(3) {
        let cut_text: String = chars[..cut].iter().collect();
        if let Ok(p) = parse(&cut_text, Some(date)) {
            if p.unplaced.is_empty() {
                accepted.push(cut);
            }
        }
    }
    assert!(
        accepted.is_empty(),
        "texts cut at {accepted:?} were accepted"
    );
    let garbled = text.replacen("例", "\u{fffd}", 3);
    let e = parse(&garbled, Some(date)).unwrap_err();
    assert!(e.to_string().contains("garbled"), "{e}");
    let e = parse("今天天气很好。", Some(date)).unwrap_err();
    assert!(e.to_string().contains("not a bulletin"), "{e}");
}

/// A test input that is absent: a skip, said so; with `CI=true`, a failure (CI runs every test).
fn absent(what: &std::path::Path) {
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{} is not present, and CI=true requires it", what.display());
    }
    eprintln!("skipped: {} is not present", what.display());
}
