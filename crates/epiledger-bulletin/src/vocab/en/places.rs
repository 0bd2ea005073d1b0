//! Places in English: the names the renderer writes (`render::lists::name_en`: the registry's
//! English names, else Pinyin with the division's kind) and the names wire services write
//! (`Guangxi Zhuang autonomous region`, `Shanghai municipality`, `the XPCC`, `Macau`, `Xi'an`,
//! `Dehong Dai and Jingpo autonomous prefecture`), resolved to the registry's regions.
//!
//! The few areas the bulletins name that have no code of their own (兰州新区, 建设兵团第四师)
//! have English names in [`AREAS`]; any other place is written with its Chinese name after the
//! English one, `Yangling District (杨凌区)`, which the parser reads back exactly.

use std::collections::HashMap;
use std::sync::OnceLock;

use epiledger_core::region::{registry, Level};
use epiledger_core::{RegionCode, RegionId};

use super::token::{tokenize, Kind, Tok};
use crate::vocab::romanize;

/// Areas without a code that the bulletins name, with their English names: (parent, Chinese,
/// English).
pub const AREAS: &[(u32, &str, &str)] = &[
    (620000, "兰州新区", "Lanzhou New Area"),
    (130000, "雄安新区", "Xiong'an New Area"),
    (
        110000,
        "经济开发区",
        "Beijing Economic-Technological Development Area",
    ),
    (
        110000,
        "涉冬（残）奥闭环人员",
        "Winter Olympics and Paralympics Closed-loop Personnel",
    ),
    (
        420000,
        "直辖县级行政区划",
        "Province-administered County-level Cities",
    ),
];

/// Aliases of provincial-level names, beyond the registry's English names.
const ALIASES: &[(&str, u32)] = &[
    ("Peking", 110000),
    ("Inner Mongolia", 150000),
    ("Nei Mongol", 150000),
    ("Neimenggu", 150000),
    ("Guangxi Zhuang", 450000),
    ("Tibet", 540000),
    ("Xizang", 540000),
    ("Ningxia Hui", 640000),
    ("Xinjiang Uygur", 650000),
    ("Xinjiang Uyghur", 650000),
    ("Xinjiang Uighur", 650000),
    ("Xinjiang Production and Construction Corps", 660000),
    ("XPCC", 660000),
    ("Bingtuan", 660000),
    ("Hong Kong", 810000),
    ("HKSAR", 810000),
    ("Hong Kong Special Administrative Region", 810000),
    ("Macao", 820000),
    ("Macau", 820000),
    ("Macau SAR", 820000),
    ("Macao Special Administrative Region", 820000),
    ("Macau Special Administrative Region", 820000),
    ("Taiwan", 710000),
    ("Taiwan Province", 710000),
    ("China's Taiwan", 710000),
    ("Chinese mainland", 100000),
    ("mainland", 100000),
    ("Chinese Mainland", 100000),
    ("mainland China", 100000),
    ("China", 100000),
];

/// Words that describe a place's kind and may follow its name (`Guangdong province`,
/// `Dalian city`, `Dehong Dai and Jingpo autonomous prefecture`).
const DESCRIPTORS: &[&str] = &[
    "province",
    "municipality",
    "city",
    "district",
    "county",
    "prefecture",
    "league",
    "banner",
    "region",
    "autonomous",
    "sar",
];

/// Peoples named in the autonomous divisions' names.
const PEOPLES: &[&str] = &[
    "zhuang",
    "hui",
    "uygur",
    "uyghur",
    "uighur",
    "dai",
    "jingpo",
    "jingpho",
    "hani",
    "yi",
    "bai",
    "tibetan",
    "korean",
    "miao",
    "tujia",
    "dong",
    "buyei",
    "bouyei",
    "qiang",
    "mongolian",
    "mongol",
    "kazak",
    "kazakh",
    "li",
    "she",
    "yao",
    "naxi",
    "lisu",
    "lahu",
    "wa",
    "tu",
    "salar",
    "xibe",
    "kirgiz",
    "kyrgyz",
    "daur",
    "ewenki",
    "oroqen",
    "manchu",
    "maonan",
    "mulao",
    "gelao",
    "jing",
    "tajik",
    "russian",
    "uzbek",
    "tatar",
];

/// The index: a name's words → the regions of that name, provincial level first.
struct Index {
    names: HashMap<Vec<String>, Vec<RegionId>>,
    /// The most words a name has.
    longest: usize,
}

fn words_of(s: &str) -> Vec<String> {
    tokenize(s)
        .into_iter()
        .filter(|t| t.kind == Kind::Word || t.kind == Kind::Num)
        .map(|t| t.text)
        .collect()
}

fn level_rank(r: &RegionId) -> u8 {
    match r {
        RegionId::Code(c) => match registry().get(*c).map(|r| r.level) {
            Some(Level::Nation | Level::Province | Level::Notifying) => 0,
            Some(Level::Prefecture) => 1,
            _ => 2,
        },
        RegionId::Area { .. } => 3,
    }
}

fn index() -> &'static Index {
    static I: OnceLock<Index> = OnceLock::new();
    I.get_or_init(|| {
        let mut names: HashMap<Vec<String>, Vec<RegionId>> = HashMap::new();
        let mut add = |name: &str, r: RegionId| {
            let w = words_of(name);
            if w.is_empty() {
                return;
            }
            let v = names.entry(w).or_default();
            if !v.contains(&r) {
                v.push(r);
            }
        };
        let reg = registry();
        for r in reg.regions() {
            let id = RegionId::Code(r.code);
            if !r.name_en.is_empty() {
                add(r.name_en, id.clone());
            }
            if r.level == Level::Nation {
                continue;
            }
            let short = (r.short_zh != r.name_zh).then_some(r.short_zh);
            add(&romanize::place(r.name_zh, short), id.clone());
            // The stem alone (运城 for 运城市, 德宏 for 德宏傣族景颇族自治州).
            if matches!(r.level, Level::Prefecture | Level::County) {
                let stem = romanize::pinyin_word(r.short_zh);
                add(&stem, id.clone());
            }
        }
        for (name, code) in ALIASES {
            if let Some(c) = RegionCode::new(*code) {
                add(name, RegionId::Code(c));
            }
        }
        for (parent, zh, en) in AREAS {
            if let Some(p) = RegionCode::new(*parent) {
                add(
                    en,
                    RegionId::Area {
                        parent: p,
                        name: (*zh).to_string(),
                    },
                );
            }
        }
        for v in names.values_mut() {
            v.sort_by_key(level_rank);
        }
        let longest = names.keys().map(Vec::len).max().unwrap_or(1);
        Index { names, longest }
    })
}

/// A place read from the text: the regions its name may mean (provincial level first) and
/// the token just after it.
#[derive(Clone, Debug)]
pub struct PlaceMatch {
    /// The regions of that name.
    pub candidates: Vec<RegionId>,
    /// The first token after the name and its descriptors.
    pub end: usize,
}

/// The XPCC's divisions: `Division 4`, `the 4th Division`.
fn xpcc_division(toks: &[Tok], i: usize) -> Option<(RegionId, usize)> {
    let area = |n: i64| -> Option<RegionId> {
        const NUMERALS: [&str; 14] = [
            "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
            "十四",
        ];
        let zh = NUMERALS.get(usize::try_from(n).ok()?.checked_sub(1)?)?;
        Some(RegionId::Area {
            parent: RegionCode::XPCC,
            name: format!("第{zh}师"),
        })
    };
    let t = toks.get(i)?;
    if t.is("division") {
        let n = toks.get(i + 1).filter(|t| t.is_num())?;
        return Some((area(n.value)?, i + 2));
    }
    if t.is_num() && t.ordinal && toks.get(i + 1).is_some_and(|t| t.is("division")) {
        return Some((area(t.value)?, i + 2));
    }
    None
}

/// The place whose name starts at token `i`, the longest name first.
pub fn place_at(toks: &[Tok], i: usize) -> Option<PlaceMatch> {
    let mut i0 = i;
    if toks.get(i0).is_some_and(|t| t.is("the")) {
        i0 += 1;
    }
    if let Some((r, mut end)) = xpcc_division(toks, i0) {
        // of the XPCC
        if toks.get(end).is_some_and(|t| t.is("of")) {
            if let Some(m) = place_at(toks, end + 1) {
                if m.candidates.first() == Some(&RegionId::Code(RegionCode::XPCC)) {
                    end = m.end;
                }
            }
        }
        return Some(PlaceMatch {
            candidates: vec![r],
            end,
        });
    }
    let idx = index();
    let mut words: Vec<&str> = Vec::new();
    let mut ends: Vec<usize> = Vec::new();
    let mut j = i0;
    while j < toks.len() && words.len() < idx.longest {
        let t = &toks[j];
        match t.kind {
            Kind::Word | Kind::Num if !t.is_cjk() => {
                words.push(&t.text);
                ends.push(j + 1);
            }
            // Xinjiang Production and Construction Corps, (XPCC) and the like: a name never
            // spans punctuation.
            _ => break,
        }
        j += 1;
    }
    // A name must begin with a capital letter, or be one of the abbreviations.
    let first = toks.get(i0)?;
    if !(first.cap || first.text == "xpcc" || first.text == "hksar") {
        return None;
    }
    for n in (1..=words.len()).rev() {
        let key: Vec<String> = words[..n].iter().map(|w| w.to_string()).collect();
        if let Some(c) = idx.names.get(&key) {
            let mut end = ends[n - 1];
            end = skip_descriptors(toks, end);
            return Some(PlaceMatch {
                candidates: c.clone(),
                end,
            });
        }
    }
    None
}

/// Skips the words that describe a place's kind after its name.
fn skip_descriptors(toks: &[Tok], mut end: usize) -> usize {
    while let Some(t) = toks.get(end) {
        if t.kind != Kind::Word {
            break;
        }
        let w = t.text.as_str();
        let next_is_people = toks
            .get(end + 1)
            .is_some_and(|n| PEOPLES.contains(&n.text.as_str()));
        if DESCRIPTORS.contains(&w) || PEOPLES.contains(&w) || (w == "and" && next_is_people) {
            end += 1;
            continue;
        }
        // special administrative region, new area
        let two = |a: &str, b: &str| w == a && toks.get(end + 1).is_some_and(|n| n.is(b));
        if two("special", "administrative") {
            end += 2;
            continue;
        }
        if w == "administrative" && toks.get(end + 1).is_some_and(|n| n.is("region")) {
            end += 2;
            continue;
        }
        break;
    }
    end
}

/// The English name the renderer writes for a region: the registry's English name, an area's
/// from [`AREAS`], else Pinyin with the kind in English, followed by the Chinese name in
/// parentheses where the English name would not say which place it is.
pub fn name(r: &RegionId) -> String {
    match r {
        RegionId::Area { parent, name } => {
            if let Some((_, _, en)) = AREAS
                .iter()
                .find(|(p, zh, _)| *p == parent.get() && zh == name)
            {
                return (*en).to_string();
            }
            if *parent == RegionCode::XPCC {
                if let Some(n) = division_number(name) {
                    return format!("Division {n} of the XPCC");
                }
            }
            format!("{} ({name})", romanize::place(name, None))
        }
        RegionId::Code(c) => {
            let plain = crate::vocab::regions::name_en(r);
            if c.is_province_level() {
                return plain;
            }
            // The name must lead back to this region within its province.
            let words = words_of(&plain);
            let first = index()
                .names
                .get(&words)
                .and_then(|v| v.iter().find(|x| x.province() == c.province()));
            if first == Some(r) {
                plain
            } else {
                let zh = registry().get(*c).map_or("", |x| x.name_zh);
                format!("{plain} ({zh})")
            }
        }
    }
}

fn division_number(name: &str) -> Option<u32> {
    const NUMERALS: [&str; 14] = [
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
    ];
    let num = name.strip_prefix('第')?.strip_suffix('师')?;
    NUMERALS
        .iter()
        .position(|n| *n == num)
        .map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Option<(Vec<RegionId>, usize)> {
        let t = tokenize(s);
        place_at(&t, 0).map(|m| (m.candidates, m.end))
    }

    fn code(c: u32) -> RegionId {
        RegionId::Code(RegionCode::new(c).unwrap())
    }

    #[test]
    fn provinces_and_their_descriptors() {
        assert_eq!(
            at("Guangdong province, 3").unwrap(),
            (vec![code(440000)], 2)
        );
        assert_eq!(
            at("Guangxi Zhuang autonomous region").unwrap(),
            (vec![code(450000)], 4)
        );
        assert_eq!(
            at("the Xinjiang Production and Construction Corps")
                .unwrap()
                .0,
            vec![code(660000)]
        );
        assert_eq!(
            at("Xinjiang Uygur autonomous region").unwrap().0,
            vec![code(650000)]
        );
        assert_eq!(
            at("the Hong Kong Special Administrative Region (SAR)").unwrap(),
            (vec![code(810000)], 6)
        );
        assert_eq!(at("Macau").unwrap().0, vec![code(820000)]);
        assert!(at("guangdong").is_none(), "a name begins with a capital");
    }

    #[test]
    fn prefectures_districts_and_areas() {
        let (xian, end) = at("Xi’an, Shaanxi").unwrap();
        assert_eq!((&xian[0], end), (&code(610100), 1));
        assert_eq!(
            at("Dehong Dai and Jingpo autonomous prefecture, Yunnan").unwrap(),
            (vec![code(533100)], 6)
        );
        assert!(at("Chaoyang district").unwrap().0.contains(&code(110105)));
        assert_eq!(
            at("Division 4 of the XPCC").unwrap().0,
            vec![RegionId::Area {
                parent: RegionCode::XPCC,
                name: "第四师".into()
            }]
        );
        assert_eq!(
            at("Lanzhou New Area").unwrap().0,
            vec![RegionId::Area {
                parent: RegionCode::new(620000).unwrap(),
                name: "兰州新区".into()
            }]
        );
    }

    #[test]
    fn names_lead_back_to_their_region() {
        assert_eq!(name(&code(610100)), "Xi'an");
        assert_eq!(name(&code(422801)), "Enshi (恩施市)");
        assert_eq!(
            name(&RegionId::Area {
                parent: RegionCode::new(610000).unwrap(),
                name: "杨凌区".into()
            }),
            "Yangling District (杨凌区)"
        );
    }
}
