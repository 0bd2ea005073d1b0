//! The English words of the bulletin's figures: the NHC briefing's terms (the renderer's, and
//! `GLOSSARY.md`'s), the wire services' paraphrases ("domestically transmitted", "freed from
//! medical observation", "death toll") and word-for-word translations ("newly added confirmed
//! cases"). A phrase marks what a figure counts with *cues*; the grammar decides the measure
//! from the cues of a figure's own words, its sentence and what it belongs to.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::token::{tokenize, Kind};

/// A set of cues.
pub type Cues = u64;

/// `new`, `newly added`, `fresh`: a flow of the day.
pub const NEW: Cues = 1 << 0;
/// `confirmed`, `confirmed infections`, `diagnosed`.
pub const CONFIRMED: Cues = 1 << 1;
/// `case`, `cases`, `patients`, `people`, `infections`: a count of people, no measure of its own.
pub const NOUN: Cues = 1 << 2;
/// `suspected`.
pub const SUSPECTED: Cues = 1 << 3;
/// `deaths`, `died`, `fatal cases`, `death toll`.
pub const DEATH: Cues = 1 << 4;
/// `discharged`, `cured`, `recovered`, `released from hospital`.
pub const DISCHARGED: Cues = 1 << 5;
/// `released from medical observation`, `freed from medical observation`.
pub const RELEASED: Cues = 1 << 6;
/// `under medical observation`.
pub const UNDER_OBS: Cues = 1 << 7;
/// `close contacts`.
pub const CONTACTS: Cues = 1 << 8;
/// `traced`, `tracked`, `identified`.
pub const TRACED: Cues = 1 << 9;
/// `asymptomatic`.
pub const ASYMPTOMATIC: Cues = 1 << 10;
/// `reclassified as confirmed`, `became confirmed cases`, `re-categorized as confirmed`.
pub const TO_CONFIRMED: Cues = 1 << 11;
/// `reclassified from asymptomatic infections`, `converting from asymptomatic cases`.
pub const FROM_ASYMPTOMATIC: Cues = 1 << 12;
/// `severe`, `serious`, `in serious condition`.
pub const SEVERE: Cues = 1 << 13;
/// `increased by`, `up by`, `more`.
pub const UP: Cues = 1 << 14;
/// `decreased by`, `down by`, `fewer`.
pub const DOWN: Cues = 1 << 15;
/// `unchanged`, `remained the same`.
pub const UNCHANGED: Cues = 1 << 16;
/// `active`, `remained`, `still being treated`, `under treatment`, `existing`.
pub const ACTIVE: Cues = 1 << 17;
/// `a total of`, `cumulative`, `in all`, `overall`, `had been`, `had reported`.
pub const CUMULATIVE: Cues = 1 << 18;
/// `clinically diagnosed`.
pub const CLINICAL: Cues = 1 << 19;
/// `imported`, `from abroad`, `from overseas`.
pub const IMPORTED: Cues = 1 << 20;
/// `local`, `locally transmitted`, `domestically transmitted`, `indigenous`.
pub const LOCAL: Cues = 1 << 21;
/// `including`, `of which`, `of them`, `among them`, `i.e.`: a part of the figure before.
pub const PART: Cues = 1 << 22;
/// `each`, `respectively`, `apiece`: one count for every place named.
pub const EACH: Cues = 1 << 23;
/// `removed on verification`, `deducted after verification`: a 核减.
pub const CORR_REDUCE: Cues = 1 << 24;
/// `added on verification`: a 核增.
pub const CORR_INCREASE: Cues = 1 << 25;
/// `removed on correction`: a 订正 that lowers a figure.
pub const CORR_REVISE_DOWN: Cues = 1 << 26;
/// `added on correction`: a 订正 that raises a figure.
pub const CORR_REVISE_UP: Cues = 1 << 27;
/// `provincial-level regions`, `provinces`: a count of regions.
pub const REGIONS: Cues = 1 << 28;
/// `notified by Hong Kong, Macao and Taiwan`: the three regions' total.
pub const NOTIFIED: Cues = 1 << 29;
/// `the same day`, `that day`: the day's flows.
pub const SAME_DAY: Cues = 1 << 30;
/// `corrected to`, `restated as`, `revised to`: a restated figure.
pub const RESTATED: Cues = 1 << 31;
/// `to` after a change (`decreased by 176 to 1,573`), `bringing the total to`.
pub const TO: Cues = 1 << 32;
/// `consecutive day`, `in a row`: a count of days, a remark.
pub const DAYS: Cues = 1 << 33;
/// `reported`, `registered`, `recorded`.
pub const REPORTED: Cues = 1 << 34;
/// `male`, `men`.
pub const MALE: Cues = 1 << 35;
/// `female`, `women`.
pub const FEMALE: Cues = 1 << 36;
/// `the previous day` / `from a day earlier`: the reference of a change.
pub const PREVIOUS_DAY: Cues = 1 << 37;
/// The word `cumulative` itself (`a cumulative total of 393 suspected cases`).
pub const CUMUL_WORD: Cues = 1 << 38;

/// Cues that name a measure (more than a count of people).
pub const MEASURE_WORDS: Cues = CONFIRMED
    | SUSPECTED
    | DEATH
    | DISCHARGED
    | RELEASED
    | UNDER_OBS
    | CONTACTS
    | TRACED
    | ASYMPTOMATIC
    | TO_CONFIRMED
    | FROM_ASYMPTOMATIC
    | SEVERE
    | CLINICAL
    | UP
    | DOWN
    | UNCHANGED;

/// The phrases, as written (they are tokenized like the text), and their cues.
const PHRASES: &[(&str, Cues)] = &[
    // New.
    ("new", NEW),
    ("newly", NEW),
    ("newly added", NEW),
    ("newly increased", NEW),
    ("newly reported", NEW | REPORTED),
    ("newly confirmed", NEW | CONFIRMED),
    ("newly diagnosed", NEW | CONFIRMED),
    ("added", NEW),
    ("fresh", NEW),
    ("additional", NEW),
    // Confirmed cases and the nouns of a count.
    ("confirmed", CONFIRMED),
    ("diagnosed", CONFIRMED),
    ("confirmed infections", CONFIRMED | NOUN),
    ("confirmed infection", CONFIRMED | NOUN),
    ("infections", NOUN),
    ("infection", NOUN),
    ("cases", NOUN),
    ("case", NOUN),
    ("patients", NOUN),
    ("patient", NOUN),
    ("people", NOUN),
    ("persons", NOUN),
    ("person", NOUN),
    ("ones", NOUN),
    ("individuals", NOUN),
    // Suspected.
    ("suspected", SUSPECTED),
    ("suspect", SUSPECTED),
    ("suspected of infection", SUSPECTED),
    ("suspected of being infected", SUSPECTED),
    ("pending test results", SUSPECTED | ACTIVE),
    ("pending test result", SUSPECTED | ACTIVE),
    // Deaths.
    ("death", DEATH),
    ("deaths", DEATH),
    ("died", DEATH),
    ("dead", DEATH),
    ("fatal", DEATH),
    ("fatalities", DEATH),
    ("fatality", DEATH),
    ("death toll", DEATH | CUMULATIVE),
    ("had died", DEATH | CUMULATIVE),
    ("have died", DEATH | CUMULATIVE),
    ("passed away", DEATH),
    // Discharged.
    ("discharged", DISCHARGED),
    ("cured", DISCHARGED),
    ("cured and discharged", DISCHARGED),
    ("recovered", DISCHARGED),
    ("recoveries", DISCHARGED),
    ("recovery", DISCHARGED),
    ("released from hospital", DISCHARGED),
    ("released from hospitals", DISCHARGED),
    ("discharged from hospital", DISCHARGED),
    ("discharged from hospitals", DISCHARGED),
    ("left hospital", DISCHARGED),
    ("healed", DISCHARGED),
    // Medical observation.
    ("released from medical observation", RELEASED),
    ("released from observation", RELEASED),
    ("freed from medical observation", RELEASED),
    ("freed from observation", RELEASED),
    ("discharged from medical observation", RELEASED),
    ("discharged from observation", RELEASED),
    ("lifted from medical observation", RELEASED),
    ("ended their medical observation", RELEASED),
    ("ended medical observation", RELEASED),
    ("released from quarantine", RELEASED),
    ("released from isolation", RELEASED),
    ("under medical observation", UNDER_OBS),
    ("under observation", UNDER_OBS),
    ("receiving medical observation", UNDER_OBS),
    ("in medical observation", UNDER_OBS),
    ("under medical quarantine", UNDER_OBS),
    // Close contacts.
    ("close contacts", CONTACTS),
    ("close contact", CONTACTS),
    ("contacts", CONTACTS),
    ("had had close contact", CONTACTS),
    ("had close contact", CONTACTS),
    ("traced", TRACED),
    ("tracked", TRACED),
    ("identified", TRACED),
    ("tracing", TRACED),
    // Asymptomatic infections.
    ("asymptomatic", ASYMPTOMATIC),
    ("asymptomatic carriers", ASYMPTOMATIC | NOUN),
    ("without symptoms", ASYMPTOMATIC),
    ("reclassified as", TO_CONFIRMED),
    ("re categorized as", TO_CONFIRMED),
    ("recategorized as", TO_CONFIRMED),
    ("reclassified into", TO_CONFIRMED),
    ("became confirmed", TO_CONFIRMED),
    ("became a confirmed", TO_CONFIRMED),
    ("become confirmed", TO_CONFIRMED),
    ("turned into confirmed", TO_CONFIRMED),
    ("converted to confirmed", TO_CONFIRMED),
    ("converted into confirmed", TO_CONFIRMED),
    ("changed into confirmed", TO_CONFIRMED),
    ("were confirmed", TO_CONFIRMED),
    ("was confirmed", TO_CONFIRMED),
    ("later confirmed", TO_CONFIRMED),
    ("transferred to confirmed", TO_CONFIRMED),
    ("from asymptomatic", FROM_ASYMPTOMATIC),
    ("reclassified from asymptomatic", FROM_ASYMPTOMATIC),
    ("converting from asymptomatic", FROM_ASYMPTOMATIC),
    ("converted from asymptomatic", FROM_ASYMPTOMATIC),
    ("previously asymptomatic", FROM_ASYMPTOMATIC),
    ("from asymptomatic infected persons", FROM_ASYMPTOMATIC),
    // Severe cases.
    ("severe", SEVERE),
    ("serious", SEVERE),
    ("critical", SEVERE),
    ("severely", SEVERE),
    ("in serious condition", SEVERE),
    ("in serious conditions", SEVERE),
    ("in severe condition", SEVERE),
    ("in severe conditions", SEVERE),
    ("increased by", UP),
    ("increase of", UP),
    ("an increase of", UP),
    ("rose by", UP),
    ("up by", UP),
    ("grew by", UP),
    ("more", UP),
    ("increased", UP),
    ("decreased by", DOWN),
    ("a decrease of", DOWN),
    ("decrease of", DOWN),
    ("fell by", DOWN),
    ("dropped by", DOWN),
    ("down by", DOWN),
    ("reduced by", DOWN),
    ("fewer", DOWN),
    ("decreased", DOWN),
    ("unchanged", UNCHANGED),
    ("remained unchanged", UNCHANGED),
    ("remained the same", UNCHANGED),
    ("no change", UNCHANGED),
    ("the same as", UNCHANGED),
    ("compared with the previous day", PREVIOUS_DAY),
    ("from the previous day", PREVIOUS_DAY),
    ("on the previous day", PREVIOUS_DAY),
    ("from a day earlier", PREVIOUS_DAY),
    ("from the day before", PREVIOUS_DAY),
    // Stocks.
    ("active", ACTIVE),
    ("remained", ACTIVE),
    ("remain", ACTIVE),
    ("remaining", ACTIVE),
    ("still", ACTIVE),
    ("existing", ACTIVE),
    ("current", ACTIVE),
    ("currently", ACTIVE),
    ("being treated", CONFIRMED | ACTIVE),
    ("under treatment", CONFIRMED | ACTIVE),
    ("receiving treatment", CONFIRMED | ACTIVE),
    ("hospitalized", CONFIRMED | ACTIVE),
    ("in hospital", CONFIRMED | ACTIVE),
    ("there are", ACTIVE),
    // Totals.
    ("total", CUMULATIVE),
    ("a total of", CUMULATIVE),
    ("in total", CUMULATIVE),
    ("totals", CUMULATIVE),
    ("cumulative", CUMULATIVE | CUMUL_WORD),
    ("cumulatively", CUMULATIVE | CUMUL_WORD),
    ("accumulated", CUMULATIVE),
    ("accumulatively", CUMULATIVE),
    ("in all", CUMULATIVE),
    ("overall", CUMULATIVE),
    ("altogether", CUMULATIVE),
    ("so far", CUMULATIVE),
    ("tally", CUMULATIVE),
    ("had been", CUMULATIVE),
    ("have been", CUMULATIVE),
    ("has been", CUMULATIVE),
    ("had reported", CUMULATIVE | REPORTED),
    ("had received reports of", CUMULATIVE | REPORTED),
    ("had reached", CUMULATIVE),
    ("has reached", CUMULATIVE),
    ("reached", CUMULATIVE),
    ("stands at", CUMULATIVE),
    ("stood at", CUMULATIVE),
    ("bringing the total to", CUMULATIVE | TO),
    ("bringing the total number to", CUMULATIVE | TO),
    ("bringing the total number of", CUMULATIVE | TO),
    ("to", TO),
    // Clinically diagnosed.
    ("clinically diagnosed", CLINICAL),
    ("clinical", CLINICAL),
    // Origins.
    ("imported", IMPORTED),
    ("import", IMPORTED),
    ("imports", IMPORTED),
    ("imported from abroad", IMPORTED),
    ("imported from overseas", IMPORTED),
    ("from abroad", IMPORTED),
    ("from overseas", IMPORTED),
    ("overseas", IMPORTED),
    ("arriving from abroad", IMPORTED),
    ("foreign", IMPORTED),
    ("local", LOCAL),
    ("locally", LOCAL),
    ("local infections", LOCAL | NOUN),
    ("locally transmitted", LOCAL),
    ("domestically transmitted", LOCAL),
    ("locally acquired", LOCAL),
    ("domestic", LOCAL),
    ("indigenous", LOCAL),
    ("community", LOCAL),
    // Parts.
    ("including", PART),
    ("includes", PART),
    ("included", PART),
    ("of which", PART),
    ("of whom", PART),
    ("of them", PART),
    ("of these", PART),
    ("among them", PART),
    ("among which", PART),
    ("among whom", PART),
    ("among these", PART),
    ("among", PART),
    ("of the cases", PART),
    ("i e", PART),
    ("that is", PART),
    ("namely", PART),
    ("each", EACH),
    ("respectively", EACH),
    ("apiece", EACH),
    // Corrections.
    ("removed on verification", CORR_REDUCE),
    ("deducted on verification", CORR_REDUCE),
    ("reduced on verification", CORR_REDUCE),
    ("reduced after verification", CORR_REDUCE),
    ("deducted after verification", CORR_REDUCE),
    ("removed after verification", CORR_REDUCE),
    ("added on verification", CORR_INCREASE),
    ("added after verification", CORR_INCREASE),
    ("increased after verification", CORR_INCREASE),
    ("removed on correction", CORR_REVISE_DOWN),
    ("deducted on correction", CORR_REVISE_DOWN),
    ("added on correction", CORR_REVISE_UP),
    ("corrected to", RESTATED),
    ("restated as", RESTATED),
    ("revised to", RESTATED),
    ("is as corrected", RESTATED),
    // Coverage.
    ("provincial level regions", REGIONS),
    ("provincial level region", REGIONS),
    ("provincial level divisions", REGIONS),
    ("provincial level administrative regions", REGIONS),
    ("provinces", REGIONS),
    ("provinces autonomous regions and municipalities", REGIONS),
    ("provinces and regions", REGIONS),
    ("regions", REGIONS),
    // Hong Kong, Macao and Taiwan.
    ("notified by hong kong macao and taiwan", NOTIFIED),
    ("notified by hong kong macau and taiwan", NOTIFIED),
    ("in hong kong macao and taiwan", NOTIFIED),
    ("in hong kong macau and taiwan", NOTIFIED),
    ("from hong kong macao and taiwan", NOTIFIED),
    ("from hong kong macau and taiwan", NOTIFIED),
    // The day.
    ("the same day", SAME_DAY),
    ("that day", SAME_DAY),
    ("the day", SAME_DAY),
    ("consecutive day", DAYS),
    ("consecutive days", DAYS),
    ("days in a row", DAYS),
    ("day in a row", DAYS),
    ("reported", REPORTED),
    ("registered", REPORTED),
    ("recorded", REPORTED),
    ("male", MALE),
    ("males", MALE),
    ("men", MALE),
    ("female", FEMALE),
    ("females", FEMALE),
    ("women", FEMALE),
];

/// The phrases by their first word (their words and cues), longest first.
type Table = HashMap<String, Vec<(Vec<String>, Cues)>>;

/// The phrases by their first word, longest first.
fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let mut t: Table = HashMap::new();
        for (p, c) in PHRASES {
            let words: Vec<String> = tokenize(p)
                .into_iter()
                .filter(|t| t.kind == Kind::Word)
                .map(|t| t.text)
                .collect();
            t.entry(words[0].clone()).or_default().push((words, *c));
        }
        for v in t.values_mut() {
            v.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        }
        t
    })
}

/// The longest phrase starting with `words[0]`: its length in words and its cues.
pub fn phrase(words: &[&str]) -> Option<(usize, Cues)> {
    let first = words.first()?;
    let cands = table().get(*first)?;
    cands
        .iter()
        .find(|(w, _)| w.len() <= words.len() && w.iter().zip(words).all(|(a, b)| a == b))
        .map(|(w, c)| (w.len(), *c))
}

/// Reasons of corrections, in the ledger's labels (the bulletin's Chinese words) and in the
/// English the renderer writes and the parser reads.
pub const REASONS: &[(&str, &str)] = &[
    ("重复报告", "as duplicate reports"),
    ("重复统计", "as counted twice"),
    ("订正后数据", "as corrected"),
    ("为订正后数据", "which is the corrected figure"),
    ("更正后的数字", "as amended"),
    (
        "当地对数据进行订正",
        "as corrected by the local authorities",
    ),
];

/// The reason whose English words start `words`, the longest first: its length in words and
/// its label.
pub fn reason_at(words: &[&str]) -> Option<(usize, &'static str)> {
    static T: OnceLock<Vec<(Vec<String>, &'static str)>> = OnceLock::new();
    let table = T.get_or_init(|| {
        let mut t: Vec<(Vec<String>, &'static str)> = REASONS
            .iter()
            .map(|(zh, en)| (tokenize(en).into_iter().map(|t| t.text).collect(), *zh))
            .collect();
        t.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        t
    });
    table
        .iter()
        .find(|(w, _)| w.len() <= words.len() && w.iter().zip(words).all(|(a, b)| a == b))
        .map(|(w, zh)| (w.len(), *zh))
}

/// Countries that notified cases in January 2020, in the ledger's labels (Chinese) and in
/// English.
pub const COUNTRIES: &[(&str, &str)] = &[
    ("日本", "Japan"),
    ("泰国", "Thailand"),
    ("韩国", "the Republic of Korea"),
    ("美国", "the United States"),
    ("越南", "Vietnam"),
    ("新加坡", "Singapore"),
    ("尼泊尔", "Nepal"),
    ("法国", "France"),
    ("马来西亚", "Malaysia"),
    ("澳大利亚", "Australia"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_phrase_first() {
        assert_eq!(
            phrase(&["released", "from", "medical", "observation", "x"]),
            Some((4, RELEASED))
        );
        assert_eq!(
            phrase(&["released", "from", "hospital"]),
            Some((3, DISCHARGED))
        );
        assert_eq!(
            phrase(&["provincial", "level", "regions"]),
            Some((3, REGIONS))
        );
        assert_eq!(phrase(&["zebra"]), None);
    }
}
