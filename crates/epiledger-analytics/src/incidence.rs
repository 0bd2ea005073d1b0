//! Daily incidence by origin: the input of the Rt estimate.
//!
//! One entry a day, on consecutive days, each either the day's counts (local and imported cases,
//! non-negative) or absent: a day whose figure is not known is never taken as zero.

use epiledger_core::{Count, Date};
use serde::{Deserialize, Serialize};

/// The cases of one day, by origin.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cases {
    /// Locally transmitted cases (本土).
    pub local: Count,
    /// Imported cases (境外输入).
    pub imported: Count,
}

impl Cases {
    /// Local and imported together.
    pub fn total(&self) -> Count {
        self.local + self.imported
    }
}

/// Daily incidence on consecutive days from `start`; `None` is an absent day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incidence {
    start: Date,
    days: Vec<Option<Cases>>,
}

/// Incidence that cannot be used. Nothing is computed from an incidence with any of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IncidenceError {
    /// No day at all.
    #[error("the incidence has no day: give at least one row `date,local,imported`")]
    Empty,
    /// A count below zero.
    #[error("{date}: {column} is {value}, but counts cannot be negative; correct that row")]
    Negative {
        /// The day.
        date: Date,
        /// `local` or `imported`.
        column: &'static str,
        /// The count found.
        value: Count,
    },
    /// A date missing between two rows, or rows out of order or repeated.
    #[error(
        "the dates are not consecutive: {next} follows {previous}; give one row for every day, \
         in order (a day whose figures are unknown is a row with empty counts, `{expected},,`)"
    )]
    Gap {
        /// The row before.
        previous: Date,
        /// The row that should have been the next day.
        next: Date,
        /// The day expected.
        expected: Date,
    },
    /// `from` after `to`.
    #[error("--from {from} is after --to {to}: give a first day on or before the last")]
    FromAfterTo {
        /// The first day asked.
        from: Date,
        /// The last day asked.
        to: Date,
    },
    /// The range asked holds no day of the incidence.
    #[error("no day of the incidence ({start} … {end}) lies between {from} and {to}")]
    OutOfRange {
        /// The first day of the incidence.
        start: Date,
        /// The last day of the incidence.
        end: Date,
        /// The first day asked.
        from: String,
        /// The last day asked.
        to: String,
    },
    /// The CSV's header is not `date,local,imported`.
    #[error("line 1: the header is `{found}`, but it must be `date,local,imported`")]
    Header {
        /// The header found.
        found: String,
    },
    /// A CSV row that cannot be read.
    #[error("line {line}: {message}")]
    Row {
        /// The line, from 1 (the header).
        line: usize,
        /// What is wrong and how to fix it.
        message: String,
    },
}

/// The first date and the values of dated rows, which must be consecutive days in order.
pub(crate) fn consecutive<T>(
    rows: impl IntoIterator<Item = (Date, T)>,
) -> Result<(Date, Vec<T>), IncidenceError> {
    let mut start = None;
    let mut previous: Option<Date> = None;
    let mut values = Vec::new();
    for (date, v) in rows {
        if let Some(p) = previous {
            if date.days_since(p) != 1 {
                return Err(IncidenceError::Gap {
                    previous: p,
                    next: date,
                    expected: p.succ(),
                });
            }
        }
        start.get_or_insert(date);
        previous = Some(date);
        values.push(v);
    }
    Ok((start.ok_or(IncidenceError::Empty)?, values))
}

impl Incidence {
    /// Incidence from its first day and one entry a day; counts must be non-negative.
    pub fn new(start: Date, days: Vec<Option<Cases>>) -> Result<Incidence, IncidenceError> {
        if days.is_empty() {
            return Err(IncidenceError::Empty);
        }
        let mut date = start;
        for day in &days {
            if let Some(c) = day {
                for (column, value) in [("local", c.local), ("imported", c.imported)] {
                    if value < 0 {
                        return Err(IncidenceError::Negative {
                            date,
                            column,
                            value,
                        });
                    }
                }
            }
            date = date.succ();
        }
        Ok(Incidence { start, days })
    }

    /// Incidence from dated rows, which must be consecutive days in order.
    pub fn from_rows(
        rows: impl IntoIterator<Item = (Date, Option<Cases>)>,
    ) -> Result<Incidence, IncidenceError> {
        let (start, days) = consecutive(rows)?;
        Incidence::new(start, days)
    }

    /// Reads CSV text with the header `date,local,imported` and one row a day, in order, with
    /// no day left out. Counts are non-negative integers; a row whose two counts are both empty
    /// is an absent day. This parses text only: reading the file is the caller's.
    pub fn parse_csv(text: &str) -> Result<Incidence, IncidenceError> {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty());
        let header = lines.next().map(|(_, l)| l.trim()).unwrap_or("");
        let normalized: Vec<String> = header
            .trim_start_matches('\u{feff}')
            .split(',')
            .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
            .collect();
        if normalized != ["date", "local", "imported"] {
            return Err(IncidenceError::Header {
                found: header.to_string(),
            });
        }
        let mut rows = Vec::new();
        for (i, line) in lines {
            let line_no = i + 1;
            let cells: Vec<&str> = line
                .split(',')
                .map(|c| c.trim().trim_matches('"'))
                .collect();
            if cells.len() != 3 {
                return Err(IncidenceError::Row {
                    line: line_no,
                    message: format!(
                        "{} cells where 3 are expected (date,local,imported)",
                        cells.len()
                    ),
                });
            }
            let date: Date = cells[0]
                .parse()
                .map_err(|e: epiledger_core::date::DateError| IncidenceError::Row {
                    line: line_no,
                    message: e.to_string(),
                })?;
            let cases = match (cells[1], cells[2]) {
                ("", "") => None,
                (l, m) => {
                    let count = |text: &str, column: &str| -> Result<Count, IncidenceError> {
                        text.parse::<Count>().map_err(|_| IncidenceError::Row {
                            line: line_no,
                            message: format!(
                                "{column} is `{text}`, but counts are whole numbers of cases, \
                                 0 or more (leave both counts empty for a day whose figures \
                                 are unknown)"
                            ),
                        })
                    };
                    Some(Cases {
                        local: count(l, "local")?,
                        imported: count(m, "imported")?,
                    })
                }
            };
            rows.push((date, cases));
        }
        Incidence::from_rows(rows)
    }

    /// The first day.
    pub fn start(&self) -> Date {
        self.start
    }

    /// The last day.
    pub fn end(&self) -> Date {
        self.date(self.days.len() - 1)
    }

    /// The number of days.
    pub fn len(&self) -> usize {
        self.days.len()
    }

    /// Whether there is no day (never true for an incidence that was built).
    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }

    /// The entries, one a day from [`Incidence::start`].
    pub fn days(&self) -> &[Option<Cases>] {
        &self.days
    }

    /// The date of the `i`-th day (0-based).
    pub fn date(&self, i: usize) -> Date {
        crate::dates::add_days(self.start, i as i64)
    }

    /// The days from `from` to `to`, both included (`None` leaves an end open): the incidence
    /// an estimate on that range reads, its first day being EpiEstim's first time step.
    pub fn between(
        &self,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<Incidence, IncidenceError> {
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(IncidenceError::FromAfterTo { from: f, to: t });
            }
        }
        let first = from.map_or(0, |f| f.days_since(self.start).max(0));
        let last = to.map_or(self.len() as i64 - 1, |t| {
            t.days_since(self.start).min(self.len() as i64 - 1)
        });
        if first > last || first >= self.len() as i64 || last < 0 {
            return Err(IncidenceError::OutOfRange {
                start: self.start,
                end: self.end(),
                from: from.map_or_else(|| "the start".to_string(), |d| d.to_string()),
                to: to.map_or_else(|| "the end".to_string(), |d| d.to_string()),
            });
        }
        Ok(Incidence {
            start: self.date(first as usize),
            days: self.days[first as usize..=last as usize].to_vec(),
        })
    }

    /// The incidence as CSV text, `date,local,imported`, absent days with empty counts.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("date,local,imported\n");
        for (i, day) in self.days.iter().enumerate() {
            match day {
                Some(c) => out.push_str(&format!("{},{},{}\n", self.date(i), c.local, c.imported)),
                None => out.push_str(&format!("{},,\n", self.date(i))),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn reads_csv_with_absent_days() {
        let inc = Incidence::parse_csv(
            "date,local,imported\n2020-03-01,3,1\n2020-03-02,,\n2020-03-03,0,0\n",
        )
        .unwrap();
        assert_eq!(inc.len(), 3);
        assert_eq!(inc.start(), d("2020-03-01"));
        assert_eq!(inc.end(), d("2020-03-03"));
        assert_eq!(inc.days()[1], None);
        assert_eq!(
            inc.days()[0],
            Some(Cases {
                local: 3,
                imported: 1
            })
        );
        assert_eq!(Incidence::parse_csv(&inc.to_csv()).unwrap(), inc);
    }

    #[test]
    fn rejects_bad_files() {
        let bad = |text: &str| Incidence::parse_csv(text).unwrap_err();
        assert!(matches!(
            bad("date,I\n2020-03-01,3\n"),
            IncidenceError::Header { .. }
        ));
        assert!(matches!(
            bad("date,local,imported\n"),
            IncidenceError::Empty
        ));
        let e = bad("date,local,imported\n2020-03-01,3,1\n2020-03-02,-1,0\n");
        assert!(
            matches!(
                e,
                IncidenceError::Negative {
                    column: "local",
                    value: -1,
                    ..
                }
            ),
            "{e}"
        );
        let e = bad("date,local,imported\n2020-03-01,3,1\n2020-03-02,1.5,0\n");
        assert!(matches!(e, IncidenceError::Row { line: 3, .. }), "{e}");
        assert!(e.to_string().contains("whole numbers"), "{e}");
        let e = bad("date,local,imported\n2020-03-01,3,1\n2020-03-03,1,0\n");
        assert!(matches!(e, IncidenceError::Gap { .. }), "{e}");
        assert!(e.to_string().contains("2020-03-02"), "{e}");
        let e = bad("date,local,imported\n2020-03-02,3,1\n2020-03-01,1,0\n");
        assert!(matches!(e, IncidenceError::Gap { .. }), "{e}");
        let e = bad("date,local,imported\n2020-03-01,3,1\n2020-03-01,1,0\n");
        assert!(matches!(e, IncidenceError::Gap { .. }), "{e}");
        let e = bad("date,local,imported\n2020-3-1,3,1\n");
        assert!(matches!(e, IncidenceError::Row { line: 2, .. }), "{e}");
        let e = bad("date,local,imported\n2020-03-01,3\n");
        assert!(matches!(e, IncidenceError::Row { line: 2, .. }), "{e}");
        let e = bad("date,local,imported\n2020-03-01,3,\n");
        assert!(matches!(e, IncidenceError::Row { line: 2, .. }), "{e}");
    }

    #[test]
    fn slices_by_date() {
        let inc = Incidence::new(d("2020-03-01"), vec![Some(Cases::default()); 10]).unwrap();
        let s = inc
            .between(Some(d("2020-03-03")), Some(d("2020-03-05")))
            .unwrap();
        assert_eq!(
            (s.start(), s.end(), s.len()),
            (d("2020-03-03"), d("2020-03-05"), 3)
        );
        let s = inc.between(Some(d("2020-02-01")), None).unwrap();
        assert_eq!(s.len(), 10);
        assert!(matches!(
            inc.between(Some(d("2020-03-05")), Some(d("2020-03-03"))),
            Err(IncidenceError::FromAfterTo { .. })
        ));
        assert!(matches!(
            inc.between(Some(d("2020-04-05")), None),
            Err(IncidenceError::OutOfRange { .. })
        ));
    }
}
