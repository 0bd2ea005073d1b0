//! The reporting day: a calendar date in Asia/Shanghai covering 00:00–24:00.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};

/// A reporting day (Asia/Shanghai, 0–24h). Displayed and parsed as `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(NaiveDate);

/// Beijing time (UTC+08:00 all year: China keeps no daylight saving time), in which reporting
/// days run 0–24h. This is the one place that knows it: everything else asks [`Date::today`]
/// or [`Date::at_beijing`].
pub fn beijing() -> FixedOffset {
    // 8 hours are within the ±24 h that a fixed offset allows.
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// A date that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a date: write it as YYYY-MM-DD, for example 2020-06-19")]
pub struct DateError {
    /// The text that was given.
    pub input: String,
}

impl Date {
    /// The date of a year, month and day, if it exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(year, month, day).map(Date)
    }
    /// The year.
    pub fn year(self) -> i32 {
        self.0.year()
    }
    /// The month, 1–12.
    pub fn month(self) -> u32 {
        self.0.month()
    }
    /// The day of the month, 1–31.
    pub fn day(self) -> u32 {
        self.0.day()
    }
    /// The day before.
    pub fn pred(self) -> Date {
        Date(self.0.pred_opt().unwrap_or(self.0))
    }
    /// The day after.
    pub fn succ(self) -> Date {
        Date(self.0.succ_opt().unwrap_or(self.0))
    }
    /// Days from `other` to `self`.
    pub fn days_since(self, other: Date) -> i64 {
        (self.0 - other.0).num_days()
    }
    /// The reporting day that is under way in Beijing at `now`.
    pub fn today(now: DateTime<Utc>) -> Date {
        Date(now.with_timezone(&beijing()).date_naive())
    }
    /// The instant this day's clock reads `at` in Beijing, in UTC.
    pub fn at_beijing(self, at: NaiveTime) -> DateTime<Utc> {
        let local = self.0.and_time(at);
        // A fixed offset maps every local time to exactly one instant.
        match beijing().from_local_datetime(&local).single() {
            Some(t) => t.with_timezone(&Utc),
            None => Utc.from_utc_datetime(&local) - chrono::Duration::hours(8),
        }
    }
    /// The underlying chrono date.
    pub fn naive(self) -> NaiveDate {
        self.0
    }
}

impl From<NaiveDate> for Date {
    fn from(d: NaiveDate) -> Self {
        Date(d)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = (self.0.year(), self.0.month(), self.0.day());
        if !(0..=9999).contains(&y) {
            // chrono's own form for years beyond four digits (+10000-01-01).
            return write!(f, "{}", self.0.format("%Y-%m-%d"));
        }
        // YYYY-MM-DD by hand: every export and answer writes dates, and chrono's strftime
        // parses its format string each time.
        let digit = |v: u32| b'0' + (v % 10) as u8;
        let y = y as u32;
        let text = [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ];
        // ASCII digits and dashes: always UTF-8.
        f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

impl FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Exactly `YYYY-MM-DD`: no spaces, no signs, digits where digits go.
        let t = s;
        let b = t.as_bytes();
        let ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        let parsed = if ok {
            NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
        } else {
            None
        };
        parsed.map(Date).ok_or_else(|| DateError {
            input: s.to_string(),
        })
    }
}

serde_as_text!(Date);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        for (y, m, d) in [
            (2020, 1, 20),
            (2022, 12, 31),
            (1, 2, 3),
            (999, 10, 9),
            (9999, 12, 31),
            (10000, 1, 1),
            (-1, 1, 1),
        ] {
            let date = Date::from_ymd(y, m, d).unwrap();
            assert_eq!(date.to_string(), date.0.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn round_trips_iso_dates() {
        let d: Date = "2020-06-19".parse().unwrap();
        assert_eq!(d.to_string(), "2020-06-19");
        assert_eq!(d.pred().to_string(), "2020-06-18");
        assert_eq!(
            Date::from_ymd(2020, 3, 1).unwrap().pred().to_string(),
            "2020-02-29"
        );
    }

    #[test]
    fn the_reporting_day_is_beijings() {
        let t = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(
            Date::today(t("2020-06-19T15:59:59Z")).to_string(),
            "2020-06-19"
        );
        assert_eq!(
            Date::today(t("2020-06-19T16:00:00Z")).to_string(),
            "2020-06-20"
        );
        let d: Date = "2023-01-05".parse().unwrap();
        let six = NaiveTime::from_hms_opt(6, 0, 0).unwrap();
        assert_eq!(d.succ().at_beijing(six), t("2023-01-05T22:00:00Z"));
    }

    #[test]
    fn rejects_other_forms() {
        for bad in ["2020-6-19", "20200619", "2020-02-30", "", "June 19"] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }
}
