//! The region registry: resolving names, codes and ISO codes, and areas within a province.

use epiledger_core::region::{registry, Level, RegionCode, UnknownRegion};

fn code(n: u32) -> RegionCode {
    RegionCode::new(n).unwrap()
}

fn resolve(s: &str) -> RegionCode {
    registry().resolve(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn resolves_codes_iso_and_names() {
    let cases: &[(&[&str], u32)] = &[
        (
            &[
                "110000",
                "CN-BJ",
                "cn-bj",
                "BJ",
                "北京市",
                "北京",
                "Beijing",
                "BEIJING",
            ],
            110000,
        ),
        (
            &[
                "420000",
                "CN-HB",
                "hb",
                "湖北省",
                "湖北",
                "Hubei",
                " hubei ",
            ],
            420000,
        ),
        (&["420100", "武汉市", "武汉", "Wuhan", "wuhan"], 420100),
        (&["310115", "浦东新区", "浦东", "Pudong New Area"], 310115),
        (
            &[
                "内蒙古自治区",
                "内蒙古",
                "Inner Mongolia",
                "inner mongolia",
                "CN-NM",
            ],
            150000,
        ),
        (&["西藏自治区", "西藏", "Tibet", "Xizang", "CN-XZ"], 540000),
        (
            &["660000", "兵团", "新疆生产建设兵团", "XPCC", "xpcc"],
            660000,
        ),
        (&["Xinjiang Production and Construction Corps"], 660000),
        (
            &[
                "810000",
                "香港",
                "香港特别行政区",
                "Hong Kong",
                "HONG KONG SAR",
                "CN-HK",
                "HK",
            ],
            810000,
        ),
        (
            &[
                "820000",
                "澳门",
                "澳门特别行政区",
                "Macao",
                "Macau",
                "Macao SAR",
                "CN-MO",
            ],
            820000,
        ),
        (
            &[
                "710000",
                "台湾",
                "台湾地区",
                "Taiwan",
                "Taiwan region",
                "CN-TW",
            ],
            710000,
        ),
        (&["100000", "全国", "中国大陆", "Chinese mainland"], 100000),
        (&["Harbin", "哈尔滨"], 230100),
        (&["Xi'an", "xian", "西安"], 610100),
        (&["Shenzhen", "深圳市"], 440300),
        (&["德宏傣族景颇族自治州", "德宏", "Dehong"], 533100),
        (&["Shaanxi", "CN-SN"], 610000),
        (&["Shanxi", "CN-SX"], 140000),
    ];
    for (inputs, expected) in cases {
        for input in *inputs {
            assert_eq!(resolve(input), code(*expected), "{input}");
        }
    }
}

#[test]
fn prefers_provinces_then_prefectures() {
    // 吉林 is the province and (as 吉林市) a prefecture; Jilin the province's English name.
    assert_eq!(resolve("吉林"), code(220000));
    assert_eq!(resolve("Jilin"), code(220000));
    assert_eq!(resolve("吉林市"), code(220200));
    // 长沙 is 长沙市 (prefecture) before 长沙县 (county).
    assert_eq!(resolve("长沙"), code(430100));
    assert_eq!(resolve("长沙县"), code(430121));
}

#[test]
fn names_shared_at_one_level_are_ambiguous() {
    let err = registry().resolve("朝阳区").unwrap_err();
    let UnknownRegion::Ambiguous { candidates, .. } = &err else {
        panic!("{err:?}")
    };
    let codes: Vec<u32> = candidates.iter().map(|c| c.code.get()).collect();
    assert_eq!(codes, [110105, 220104]);
    let msg = err.to_string();
    assert!(msg.contains("北京市朝阳区 (110105)"), "{msg}");
    assert!(msg.contains("吉林省长春市朝阳区 (220104)"), "{msg}");

    // Suzhou is 苏州 (Jiangsu) and 宿州 (Anhui).
    let msg = registry().resolve("Suzhou").unwrap_err().to_string();
    assert!(msg.contains("Suzhou, Jiangsu (320500)"), "{msg}");
    assert!(msg.contains("Suzhou, Anhui (341300)"), "{msg}");
}

#[test]
fn unknown_names_suggest_the_nearest() {
    let err = registry().resolve("Pekin").unwrap_err();
    assert_eq!(err.input(), "Pekin");
    assert!(matches!(err, UnknownRegion::NotFound { .. }));
    assert!(err.candidates().len() <= 5);
    assert_eq!(err.candidates()[0].code, code(110000));
    let msg = err.to_string();
    assert!(
        msg.starts_with("unknown region `Pekin`; did you mean Beijing (110000)"),
        "{msg}"
    );

    let err = registry().resolve("Hubie").unwrap_err();
    assert_eq!(err.candidates()[0].name, "Hubei");
    let err = registry().resolve("湖被").unwrap_err();
    assert_eq!(err.candidates()[0].code, code(420000), "{err}");
    let err = registry().resolve("110001").unwrap_err();
    assert!(err.to_string().contains("(110000)"), "{err}");
    assert!(registry().resolve("").is_err());
    assert!(registry().resolve("兰州新区").is_err());
}

#[test]
fn reporting_units_and_notifying() {
    let r = registry();
    let units = r.reporting_units();
    assert_eq!(units.len(), 32);
    assert_eq!(units[0], code(110000));
    assert_eq!(units[31], RegionCode::XPCC);
    assert!(units.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(r.children(RegionCode::NATION), units);
    let provinces: Vec<_> = r.provinces_in_code_order().map(|p| p.code).collect();
    assert_eq!(provinces, units[..31]);
    assert!(r
        .provinces_in_code_order()
        .all(|p| p.iso.is_some() && !p.name_en.is_empty()));
    assert_eq!(r.notifying(), [code(810000), code(820000), code(710000)]);
    for c in r.notifying() {
        assert_eq!(r.get(c).unwrap().level, Level::Notifying);
    }
    assert_eq!(r.get(RegionCode::XPCC).unwrap().level, Level::Province);
}

#[test]
fn regions_and_names() {
    let r = registry();
    let hubei = r.get(code(420000)).unwrap();
    assert_eq!(
        (hubei.name_zh, hubei.short_zh, hubei.name_en),
        ("湖北省", "湖北", "Hubei")
    );
    assert_eq!(hubei.iso, Some("CN-HB"));
    assert_eq!(hubei.parent, Some(RegionCode::NATION));
    let wuhan = r.get(RegionCode::WUHAN).unwrap();
    assert_eq!(
        (wuhan.level, wuhan.parent),
        (Level::Prefecture, Some(RegionCode::HUBEI))
    );
    assert_eq!(wuhan.display_zh(), "湖北省武汉市");
    let pudong = r.get(code(310115)).unwrap();
    assert_eq!(
        (pudong.level, pudong.parent),
        (Level::County, Some(code(310000)))
    );
    assert_eq!(pudong.display_zh(), "上海市浦东新区");
    assert!(r.children(code(110000)).contains(&code(110114)));
    assert!(
        r.children(code(420000)).contains(&code(429004)),
        "仙桃 directly under Hubei"
    );
    assert_eq!(r.name_zh_short(code(530000)), Some("云南"));
    assert_eq!(r.name_zh_short(RegionCode::XPCC), Some("兵团"));
    assert_eq!(r.name_en(code(540000)), Some("Tibet"));
    assert_eq!(r.name_en(code(610100)), Some("Xi'an"));
    assert_eq!(
        r.name_en(code(110114)),
        Some("昌平"),
        "falls back to the short name"
    );
    assert_eq!(r.name_en(code(999999)), None);
}

#[test]
fn resolves_areas_within_a_province() {
    let r = registry();
    let cases = [
        (310000, "浦东新区", 310115),
        (230000, "哈尔滨市", 230100),
        (230000, "哈尔滨", 230100),
        (530000, "德宏傣族景颇族自治州", 533100),
        (530000, "德宏州", 533100),
        (530000, "德宏", 533100),
        (110000, "昌平区", 110114),
        (110000, "昌平", 110114),
        (120000, "滨海新区", 120116),
        (130000, "辛集市", 130181),
        (130000, "辛集", 130181),
        (220000, "梅河口市", 220581),
        (420000, "武汉", 420100),
        (420000, "仙桃市", 429004),
        (420000, "恩施州", 422800),
        (630000, "海南州", 632500),
        (500000, "石柱县", 500240),
        (420100, "江夏区", 420115),
    ];
    for (within, name, expected) in cases {
        assert_eq!(
            r.resolve_within(code(within), name),
            Some(code(expected)),
            "{name}"
        );
    }
    for (within, name) in [
        (620000, "兰州新区"),
        (130000, "雄安新区"),
        (650000, "建设兵团第四师"),
        (660000, "第四师"),
        (420000, "仙桃等4市"),
        (370000, "市中区"),
        (420000, "湖北省"),
        (420000, ""),
        (110000, "浦东新区"),
    ] {
        assert_eq!(r.resolve_within(code(within), name), None, "{name}");
    }
}

#[test]
fn every_region_resolves_or_reports() {
    let r = registry();
    for region in r.regions() {
        assert_eq!(r.resolve(&region.code.to_string()), Ok(region.code));
        assert!(region.name_zh.chars().count() >= 2, "{region:?}");
        assert!(!region.display_zh().is_empty());
        assert!(!region.display_en().is_empty());
        for name in [region.name_zh, region.short_zh, region.name_en] {
            if name.is_empty() {
                continue;
            }
            match r.resolve(name) {
                Ok(c) => {
                    let found = r.get(c).unwrap();
                    assert!(
                        found.code == region.code || found.level != region.level,
                        "{name}"
                    );
                }
                Err(UnknownRegion::Ambiguous { candidates, .. }) => {
                    assert!(candidates.iter().any(|c| c.code == region.code), "{name}");
                }
                Err(e) => panic!("{name}: {e}"),
            }
            if let Some(province) = Some(region.code.province()).filter(|_| region.parent.is_some())
            {
                if matches!(region.level, Level::Prefecture | Level::County) {
                    let within = r.resolve_within(province, region.name_zh);
                    assert!(within.is_none() || within == Some(region.code), "{name}");
                }
            }
        }
    }
}
