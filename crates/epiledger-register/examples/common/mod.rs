//! What the examples share.

use epiledger_core::Day;

/// The days of the shipped history (built into the program), oldest first.
pub fn shipped_days() -> Vec<Day> {
    epiledger_history::load()
        .expect("the shipped history")
        .into_iter()
        .map(|d| d.day)
        .collect()
}
