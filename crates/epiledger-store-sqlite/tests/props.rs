//! Properties of storing and reading back, over random days (in memory).

use epiledger_core::{diff_days, Day, Fact, Measure, Origin, RegionId};
use epiledger_store::testsuite::{date, source, t};
use epiledger_store::Span;
use epiledger_store::{content, PutOutcome, Store};
use epiledger_store_sqlite::SqliteStore;
use proptest::prelude::*;

fn arb_fact() -> impl Strategy<Value = Fact> {
    let regions = prop::sample::select(vec!["100000", "110000", "420100", "620000:兰州新区"]);
    (
        regions,
        prop::sample::select(Origin::ALL.to_vec()),
        prop::sample::select(Measure::ALL.to_vec()),
        0i64..50,
    )
        .prop_map(|(region, origin, measure, value)| Fact {
            region: region.parse::<RegionId>().unwrap(),
            origin,
            measure,
            value,
        })
}

/// A day of 2020-06-19 with at most one value per figure, in any order.
fn arb_day() -> impl Strategy<Value = Day> {
    prop::collection::vec(arb_fact(), 0..40).prop_map(|facts| {
        let mut day = Day::new(date("2020-06-19"));
        for f in facts {
            let _ = day.add_fact(f); // a second value for the same figure is dropped
        }
        day
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn two_versions_read_back_with_their_diff(old in arb_day(), new in arb_day()) {
        let mut store = SqliteStore::open_in_memory().unwrap();
        store.put_days_at(&[(old.clone(), source("old"))], t(1)).unwrap();
        let out = store.put_days_at(&[(new.clone(), source("new"))], t(2)).unwrap();
        let same = content::content_hash(&old) == content::content_hash(&new);
        match &out[0] {
            PutOutcome::Unchanged { version: 1, .. } => prop_assert!(same),
            PutOutcome::Revised { version: 2, diff, .. } => {
                prop_assert!(!same);
                prop_assert_eq!(diff, &diff_days(&old, &new));
                prop_assert!(!diff.is_empty());
            }
            other => prop_assert!(false, "unexpected {:?}", other),
        }
        let newest = store.day(date("2020-06-19"), None).unwrap().unwrap();
        prop_assert_eq!(newest.day, content::canonical(&new));
        let first = store.day(date("2020-06-19"), Some(t(1))).unwrap().unwrap();
        prop_assert_eq!(first.day, content::canonical(&old));
        let facts: Vec<Fact> =
            store.facts(Span::all()).unwrap().into_iter().map(|(_, f)| f).collect();
        prop_assert_eq!(facts, content::canonical(&new).facts);
    }
}
