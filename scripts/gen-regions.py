#!/usr/bin/env python3
"""Generate crates/epiledger-core/data/regions.tsv from the GB/T 2260 division lists.

Usage: scripts/gen-regions.py [SOURCE_DIR] [OUTPUT]

SOURCE_DIR defaults to ../shared/regions (relative to the repository root) and holds
provinces.csv, cities.csv, areas.csv and HK-MO-TW.json (modood/Administrative-divisions-of-China,
WTFPL). OUTPUT defaults to crates/epiledger-core/data/regions.tsv.

The output is tab-separated, one region per line, sorted by code, with the columns

    code  level  parent  name_zh  short_zh  name_en  iso

where level is one of nation, province, prefecture, county, notifying; parent is the six-digit
code of the enclosing region (empty for the nation and for Hong Kong, Macao and Taiwan);
name_en and iso may be empty. Lines starting with `#` are comments.

Choices:
- The municipalities' placeholders (市辖区, 县) and the provinces' 省直辖县级行政区划 are no
  regions: their counties hang directly under the province (110114 → 110000).
- Provinces and the XPCC hang under the nation (100000); Hong Kong, Macao and Taiwan have no
  parent (they are not part of the nation's totals in the bulletins).
- The NBS statistical codes xxxx70–xxxx79 (development zones, 兰州新区, 苏州工业园区 …) are no
  divisions and are left out, as are the county rows that repeat their prefecture (东莞市 441900,
  嘉峪关市 620201).
- Short names strip a suffix (市, 区, 县, 地区, 盟, 新区, 矿区, 特区, 自治州/县/旗 with the
  peoples' names before it) only when the result has at least two characters and is unambiguous
  within the province (against the full and short names there, and against the short names of
  all provincial-level units); otherwise the short name is the full name. A prefecture's short
  name takes precedence over a county's stripped name (长沙 is 长沙市; 长沙县 stays 长沙县),
  matching the registry's preference for prefectures over counties.
- HK-MO-TW.json lists districts without codes; only the three units themselves are emitted.
"""

import csv
import json
import os
import sys
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Two-digit code → (short name as the bulletins write it, English as the NHC writes it, ISO 3166-2).
PROVINCES = {
    "11": ("北京", "Beijing", "CN-BJ"),
    "12": ("天津", "Tianjin", "CN-TJ"),
    "13": ("河北", "Hebei", "CN-HE"),
    "14": ("山西", "Shanxi", "CN-SX"),
    "15": ("内蒙古", "Inner Mongolia", "CN-NM"),
    "21": ("辽宁", "Liaoning", "CN-LN"),
    "22": ("吉林", "Jilin", "CN-JL"),
    "23": ("黑龙江", "Heilongjiang", "CN-HL"),
    "31": ("上海", "Shanghai", "CN-SH"),
    "32": ("江苏", "Jiangsu", "CN-JS"),
    "33": ("浙江", "Zhejiang", "CN-ZJ"),
    "34": ("安徽", "Anhui", "CN-AH"),
    "35": ("福建", "Fujian", "CN-FJ"),
    "36": ("江西", "Jiangxi", "CN-JX"),
    "37": ("山东", "Shandong", "CN-SD"),
    "41": ("河南", "Henan", "CN-HA"),
    "42": ("湖北", "Hubei", "CN-HB"),
    "43": ("湖南", "Hunan", "CN-HN"),
    "44": ("广东", "Guangdong", "CN-GD"),
    "45": ("广西", "Guangxi", "CN-GX"),
    "46": ("海南", "Hainan", "CN-HI"),
    "50": ("重庆", "Chongqing", "CN-CQ"),
    "51": ("四川", "Sichuan", "CN-SC"),
    "52": ("贵州", "Guizhou", "CN-GZ"),
    "53": ("云南", "Yunnan", "CN-YN"),
    "54": ("西藏", "Tibet", "CN-XZ"),
    "61": ("陕西", "Shaanxi", "CN-SN"),
    "62": ("甘肃", "Gansu", "CN-GS"),
    "63": ("青海", "Qinghai", "CN-QH"),
    "64": ("宁夏", "Ningxia", "CN-NX"),
    "65": ("新疆", "Xinjiang", "CN-XJ"),
}

# code, level, parent, full, short, English, ISO.
SPECIAL = [
    ("100000", "nation", "", "中国大陆", "全国", "Chinese mainland", ""),
    ("660000", "province", "100000", "新疆生产建设兵团", "兵团",
     "Xinjiang Production and Construction Corps", ""),
    ("710000", "notifying", "", "台湾地区", "台湾", "Taiwan region", "CN-TW"),
    ("810000", "notifying", "", "香港特别行政区", "香港", "Hong Kong SAR", "CN-HK"),
    ("820000", "notifying", "", "澳门特别行政区", "澳门", "Macao SAR", "CN-MO"),
]

# English names of the prefectures and counties the bulletins name most: (province, full name).
ENGLISH = {
    # Provincial capitals.
    ("13", "石家庄市"): "Shijiazhuang", ("14", "太原市"): "Taiyuan",
    ("15", "呼和浩特市"): "Hohhot", ("21", "沈阳市"): "Shenyang", ("22", "长春市"): "Changchun",
    ("23", "哈尔滨市"): "Harbin", ("32", "南京市"): "Nanjing", ("33", "杭州市"): "Hangzhou",
    ("34", "合肥市"): "Hefei", ("35", "福州市"): "Fuzhou", ("36", "南昌市"): "Nanchang",
    ("37", "济南市"): "Jinan", ("41", "郑州市"): "Zhengzhou", ("42", "武汉市"): "Wuhan",
    ("43", "长沙市"): "Changsha", ("44", "广州市"): "Guangzhou", ("45", "南宁市"): "Nanning",
    ("46", "海口市"): "Haikou", ("51", "成都市"): "Chengdu", ("52", "贵阳市"): "Guiyang",
    ("53", "昆明市"): "Kunming", ("54", "拉萨市"): "Lhasa", ("61", "西安市"): "Xi'an",
    ("62", "兰州市"): "Lanzhou", ("63", "西宁市"): "Xining", ("64", "银川市"): "Yinchuan",
    ("65", "乌鲁木齐市"): "Urumqi",
    # Hubei, all of whose prefectures the early bulletins list.
    ("42", "黄石市"): "Huangshi", ("42", "十堰市"): "Shiyan", ("42", "宜昌市"): "Yichang",
    ("42", "襄阳市"): "Xiangyang", ("42", "鄂州市"): "Ezhou", ("42", "荆门市"): "Jingmen",
    ("42", "孝感市"): "Xiaogan", ("42", "荆州市"): "Jingzhou", ("42", "黄冈市"): "Huanggang",
    ("42", "咸宁市"): "Xianning", ("42", "随州市"): "Suizhou",
    ("42", "恩施土家族苗族自治州"): "Enshi", ("42", "仙桃市"): "Xiantao",
    ("42", "潜江市"): "Qianjiang", ("42", "天门市"): "Tianmen", ("42", "神农架林区"): "Shennongjia",
    # Other prefectures often named.
    ("13", "唐山市"): "Tangshan", ("13", "保定市"): "Baoding", ("13", "邢台市"): "Xingtai",
    ("13", "廊坊市"): "Langfang", ("15", "包头市"): "Baotou", ("15", "鄂尔多斯市"): "Ordos",
    ("15", "呼伦贝尔市"): "Hulunbuir", ("15", "锡林郭勒盟"): "Xilingol", ("15", "阿拉善盟"): "Alxa",
    ("21", "大连市"): "Dalian", ("21", "营口市"): "Yingkou", ("21", "丹东市"): "Dandong",
    ("21", "葫芦岛市"): "Huludao", ("22", "吉林市"): "Jilin City", ("22", "通化市"): "Tonghua",
    ("22", "延边朝鲜族自治州"): "Yanbian", ("23", "牡丹江市"): "Mudanjiang",
    ("23", "黑河市"): "Heihe", ("23", "绥化市"): "Suihua", ("23", "大庆市"): "Daqing",
    ("32", "苏州市"): "Suzhou", ("32", "无锡市"): "Wuxi", ("32", "扬州市"): "Yangzhou",
    ("32", "徐州市"): "Xuzhou", ("32", "南通市"): "Nantong", ("32", "泰州市"): "Taizhou",
    ("33", "宁波市"): "Ningbo", ("33", "温州市"): "Wenzhou", ("33", "绍兴市"): "Shaoxing",
    ("33", "台州市"): "Taizhou", ("34", "阜阳市"): "Fuyang", ("34", "宿州市"): "Suzhou",
    ("34", "六安市"): "Lu'an", ("35", "厦门市"): "Xiamen", ("35", "泉州市"): "Quanzhou",
    ("35", "莆田市"): "Putian", ("36", "上饶市"): "Shangrao", ("36", "九江市"): "Jiujiang",
    ("36", "抚州市"): "Fuzhou", ("37", "青岛市"): "Qingdao", ("37", "烟台市"): "Yantai",
    ("37", "威海市"): "Weihai", ("41", "洛阳市"): "Luoyang", ("41", "信阳市"): "Xinyang",
    ("41", "南阳市"): "Nanyang", ("41", "商丘市"): "Shangqiu", ("43", "岳阳市"): "Yueyang",
    ("43", "株洲市"): "Zhuzhou", ("43", "张家界市"): "Zhangjiajie", ("44", "深圳市"): "Shenzhen",
    ("44", "东莞市"): "Dongguan", ("44", "佛山市"): "Foshan", ("44", "珠海市"): "Zhuhai",
    ("44", "汕头市"): "Shantou", ("44", "中山市"): "Zhongshan", ("44", "江门市"): "Jiangmen",
    ("44", "湛江市"): "Zhanjiang", ("45", "桂林市"): "Guilin", ("45", "北海市"): "Beihai",
    ("45", "防城港市"): "Fangchenggang", ("46", "三亚市"): "Sanya", ("52", "遵义市"): "Zunyi",
    ("53", "德宏傣族景颇族自治州"): "Dehong", ("53", "西双版纳傣族自治州"): "Xishuangbanna",
    ("54", "日喀则市"): "Shigatse", ("61", "咸阳市"): "Xianyang", ("61", "延安市"): "Yan'an",
    ("62", "天水市"): "Tianshui", ("62", "张掖市"): "Zhangye", ("62", "嘉峪关市"): "Jiayuguan",
    ("63", "海东市"): "Haidong", ("65", "吐鲁番市"): "Turpan", ("65", "喀什地区"): "Kashgar",
    ("65", "和田地区"): "Hotan", ("65", "伊犁哈萨克自治州"): "Ili",
    # Counties and districts the bulletins name (border ports, new areas).
    ("12", "滨海新区"): "Binhai New Area", ("31", "浦东新区"): "Pudong New Area",
    ("15", "额济纳旗"): "Ejina Banner", ("15", "满洲里市"): "Manzhouli",
    ("15", "二连浩特市"): "Erenhot", ("22", "舒兰市"): "Shulan", ("23", "绥芬河市"): "Suifenhe",
    ("23", "东宁市"): "Dongning", ("45", "东兴市"): "Dongxing", ("53", "瑞丽市"): "Ruili",
    ("65", "霍尔果斯市"): "Horgos",
}

# Short names the suffix rules get wrong.
SHORT_OVERRIDES = {"神农架林区": "神农架"}

# Suffixes stripped for short names, longest first; the 自治 ones also drop the peoples' names.
SUFFIXES = ["自治州", "自治县", "自治旗", "地区", "新区", "矿区", "特区", "市", "区", "县", "盟"]

PEOPLES = """汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山
拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒
乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各""".split()
# Longest first, with 族; the names of two or more characters also bare (伊犁哈萨克自治州).
PEOPLE_FORMS = sorted(
    [p + "族" for p in PEOPLES] + [p for p in PEOPLES if len(p) >= 2], key=len, reverse=True
)


def strip_peoples(s):
    while True:
        for form in PEOPLE_FORMS:
            if s.endswith(form) and len(s) > len(form):
                s = s[: -len(form)]
                break
        else:
            return s


def short_candidate(name):
    """The stripped form of a prefecture's or county's name, or None."""
    if name in SHORT_OVERRIDES:
        return SHORT_OVERRIDES[name]
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            rest = name[: -len(suffix)]
            if suffix.startswith("自治"):
                rest = strip_peoples(rest)
                if rest.endswith(("族", "各")):
                    return None
            if len(rest) >= 2:
                return rest
    return None


def read_csv(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "regions")
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        ROOT, "crates", "epiledger-core", "data", "regions.tsv")

    with open(os.path.join(src, "HK-MO-TW.json"), encoding="utf-8") as f:
        hmt = json.load(f)
    for key in ("香港特别行政区", "澳门特别行政区", "台湾省"):
        assert key in hmt, f"HK-MO-TW.json lacks {key}"

    # code → [level, parent, full, short, en, iso]
    rows = {}
    for code, level, parent, full, short, en, iso in SPECIAL:
        rows[code] = [level, parent, full, short, en, iso]

    provinces = read_csv(os.path.join(src, "provinces.csv"))
    assert len(provinces) == 31, len(provinces)
    for p in provinces:
        short, en, iso = PROVINCES[p["code"]]
        assert p["name"].startswith(short), (p, short)
        rows[p["code"] + "0000"] = ["province", "100000", p["name"], short, en, iso]

    placeholders = set()
    city_names = {}
    for c in read_csv(os.path.join(src, "cities.csv")):
        city_names[c["code"]] = c["name"]
        if c["name"] in ("市辖区", "县") or c["name"].endswith("直辖县级行政区划"):
            placeholders.add(c["code"])
            continue
        rows[c["code"] + "00"] = ["prefecture", c["provinceCode"] + "0000", c["name"], None, "", ""]

    for a in read_csv(os.path.join(src, "areas.csv")):
        code, city = a["code"], a["cityCode"]
        if 70 <= int(code[4:]) <= 79 or a["name"] == city_names[city]:
            continue
        parent = a["provinceCode"] + "0000" if city in placeholders else city + "00"
        assert code not in rows, code
        rows[code] = ["county", parent, a["name"], None, "", ""]

    # English names from the hand table.
    by_name = {(code[:2], r[2]): code for code, r in rows.items() if r[0] in ("prefecture", "county")}
    for key, en in ENGLISH.items():
        assert key in by_name, f"no region {key}"
        rows[by_name[key]][4] = en

    # Short names: stripped where unambiguous within the province. A prefecture's stripped name
    # wins over its seat county's (长沙 is 长沙市; 长沙县 keeps its full name), as `resolve` prefers
    # prefectures to counties.
    province_shorts = {r[3] for r in rows.values() if r[0] not in ("prefecture", "county")}
    names = {}  # (province, level) → Counter of full and stripped names
    full_names = {}  # (province, level) → Counter of full names
    for code, r in rows.items():
        if r[0] in ("prefecture", "county"):
            r[3] = short_candidate(r[2])
            key = (code[:2], r[0])
            names.setdefault(key, Counter()).update({r[2]} | ({r[3]} if r[3] else set()))
            full_names.setdefault(key, Counter())[r[2]] += 1
    for code, r in rows.items():
        if r[0] not in ("prefecture", "county"):
            continue
        cand, p = r[3], code[:2]
        prefectures = names.get((p, "prefecture"), Counter())
        counties = names.get((p, "county"), Counter())
        if r[0] == "prefecture":
            clash = prefectures[cand] > 1 or full_names.get((p, "county"), Counter())[cand] > 0
        else:
            clash = prefectures[cand] > 0 or counties[cand] > 1
        if not cand or clash or cand in province_shorts:
            r[3] = r[2]

    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Generated by scripts/gen-regions.py from modood/Administrative-divisions-of-China"
                " (GB/T 2260, 2022-10-31; WTFPL). Do not edit.\n")
        f.write("code\tlevel\tparent\tname_zh\tshort_zh\tname_en\tiso\n")
        for code in sorted(rows):
            r = rows[code]
            assert all("\t" not in x and "\n" not in x for x in r[1:]), code
            f.write("\t".join([code] + r) + "\n")
    print(f"wrote {len(rows)} regions to {os.path.relpath(out, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
