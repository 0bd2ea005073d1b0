//! English names for the places the registry names only in Chinese: Hanyu Pinyin of the name
//! with its kind translated (运城市 → Yuncheng, 浦东新区 → Pudong New Area, 滑县 → Hua
//! County), as the English briefing writes them.

use pinyin::ToPinyin;

/// Readings of characters whose most common reading is not the one place names use.
const PLACE_READINGS: &[(char, &str)] = &[
    ('长', "chang"),
    ('重', "chong"),
    ('厦', "xia"),
    ('蚌', "beng"),
    ('六', "lu"),
    ('番', "pan"),
    ('单', "shan"),
    ('藏', "zang"),
    ('铅', "yan"),
    ('句', "gou"),
    ('洞', "dong"),
    ('莎', "sha"),
    ('坻', "di"),
    ('勒', "le"),
];

/// The kinds of division, as suffixes, and their English: longest first.
const KINDS: &[(&str, &str)] = &[
    ("自治州", " Prefecture"),
    ("自治县", " Autonomous County"),
    ("自治旗", " Autonomous Banner"),
    ("经济开发区", " Economic Development Area"),
    ("开发区", " Development Area"),
    ("新区", " New Area"),
    ("地区", " Prefecture"),
    ("林区", " Forestry District"),
    ("市", ""),
    ("区", " District"),
    ("县", " County"),
    ("盟", " League"),
    ("旗", " Banner"),
    ("州", " Prefecture"),
];

/// Chinese numerals of the XPCC's divisions (第四师).
const NUMERALS: &[(&str, u32)] = &[
    ("十四", 14),
    ("十三", 13),
    ("十二", 12),
    ("十一", 11),
    ("十", 10),
    ("九", 9),
    ("八", 8),
    ("七", 7),
    ("六", 6),
    ("五", 5),
    ("四", 4),
    ("三", 3),
    ("二", 2),
    ("一", 1),
];

/// The Pinyin of Chinese text as one capitalized word, with an apostrophe before a syllable
/// that opens with a vowel (Xi'an, Yan'an). Characters that are not Chinese are kept.
pub fn pinyin_word(zh: &str) -> String {
    let mut out = String::new();
    for ch in zh.chars() {
        let reading = PLACE_READINGS
            .iter()
            .find(|(c, _)| *c == ch)
            .map(|(_, r)| (*r).to_string())
            .or_else(|| ch.to_pinyin().map(|p| p.plain().to_string()));
        match reading {
            Some(r) => {
                if !out.is_empty() && r.starts_with(['a', 'e', 'o']) {
                    out.push('\'');
                }
                out.push_str(&r);
            }
            None => out.push(ch),
        }
    }
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

/// The English name of a place named in Chinese: its stem in Pinyin and its kind in English.
/// `short` is the registry's short name where it differs (德宏 for 德宏傣族景颇族自治州).
pub fn place(full: &str, short: Option<&str>) -> String {
    if let Some(rest) = full.strip_prefix('第') {
        if let Some(num) = rest.strip_suffix('师') {
            if let Some((_, n)) = NUMERALS.iter().find(|(z, _)| *z == num) {
                return format!("Division {n}");
            }
        }
    }
    for (suffix, kind) in KINDS {
        if full == *suffix {
            return kind.trim().to_string();
        }
        if let Some(stem) = full.strip_suffix(suffix).filter(|s| !s.is_empty()) {
            let stem = match short {
                Some(s) if *suffix == "自治州" || *suffix == "自治县" || *suffix == "自治旗" => {
                    s
                }
                _ => stem,
            };
            return format!("{}{kind}", pinyin_word(stem));
        }
    }
    pinyin_word(short.unwrap_or(full))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_names() {
        assert_eq!(place("运城市", Some("运城")), "Yuncheng");
        assert_eq!(place("西安市", None), "Xi'an");
        assert_eq!(place("浦东新区", None), "Pudong New Area");
        assert_eq!(place("滑县", None), "Hua County");
        assert_eq!(
            place("德宏傣族景颇族自治州", Some("德宏")),
            "Dehong Prefecture"
        );
        assert_eq!(place("锡林郭勒盟", None), "Xilinguole League");
        assert_eq!(place("长春市", None), "Changchun");
        assert_eq!(place("第四师", None), "Division 4");
        assert_eq!(place("经济开发区", None), "Economic Development Area");
        assert_eq!(place("兰州新区", None), "Lanzhou New Area");
    }
}
