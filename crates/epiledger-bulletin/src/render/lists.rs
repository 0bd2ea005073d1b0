//! Lists of regions: their order and their names.
//!
//! The bulletins list regions by count, largest first, and regions of equal count in GB/T 2260
//! code order (上海10例，广东6例，四川3例，辽宁1例，福建1例). A named area without a code of its
//! own (兰州新区) follows the coded divisions of its province at equal counts.

use std::cmp::Reverse;

use super::document::Figure;
pub use crate::vocab::regions::{code_order, full_zh, name_en, short_zh};

/// Sorts figures by count, largest first, then by code.
pub fn by_count(figures: &mut [Figure]) {
    figures.sort_by(|a, b| {
        (Reverse(a.value), code_order(&a.region)).cmp(&(Reverse(b.value), code_order(&b.region)))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use epiledger_core::{Measure, Origin};

    fn f(code: &str, v: i64) -> Figure {
        Figure::new(
            code.parse().unwrap(),
            Origin::Local,
            Measure::ConfirmedNew,
            v,
        )
    }

    #[test]
    fn largest_first_then_code_order() {
        let mut l = vec![
            f("350000", 1),
            f("440000", 6),
            f("210000", 1),
            f("310000", 10),
            f("510000", 3),
        ];
        by_count(&mut l);
        let names: Vec<String> = l.iter().map(|f| short_zh(&f.region)).collect();
        assert_eq!(names, ["上海", "广东", "四川", "辽宁", "福建"]);
    }
}
