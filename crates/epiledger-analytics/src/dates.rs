//! Date arithmetic on [`Date`], without a calendar crate of our own.

use epiledger_core::Date;

/// 1970-01-01.
fn epoch() -> Date {
    Date::from_ymd(1970, 1, 1).expect("a valid date")
}

/// The date `n` days after `date` (before it for negative `n`).
pub fn add_days(date: Date, n: i64) -> Date {
    let z = date.days_since(epoch()) + n;
    // Days since 1970-01-01 to a proleptic Gregorian date, by 400-year eras of 146,097 days
    // starting on March 1 (so that the leap day ends the year).
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date::from_ymd(year as i32, month as u32, day as u32).expect("a date in range")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_like_succ() {
        let mut d: Date = "2019-12-25".parse().unwrap();
        let start = d;
        for n in 0..1_500 {
            assert_eq!(add_days(start, n), d);
            d = d.succ();
        }
        assert_eq!(add_days(start, -1).to_string(), "2019-12-24");
        assert_eq!(
            add_days("2020-03-01".parse().unwrap(), -1).to_string(),
            "2020-02-29"
        );
    }
}

/// Serde for [`epiledger_core::RegionCode`] as its six digits, `"420000"`.
pub mod region_code {
    use epiledger_core::RegionCode;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the code as a string.
    pub fn serialize<S: Serializer>(c: &RegionCode, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(c)
    }

    /// Reads the code from a string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<RegionCode, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}
