//! Facts as files: CSV (`date,region,origin,measure,value`, RFC 4180 by the `csv` crate) and
//! JSON Lines (one object a line with the same fields). One writer and one reader, used by the
//! command line (`export facts`, `show --format csv`, `render --facts`) and the server
//! (`GET /api/v1/facts`), so that what one writes the other reads back.

use std::fmt;
use std::io::{self, BufRead, Read, Write};
use std::str::FromStr;

use epiledger_core::{Date, Fact, Measure, Origin, RegionId};
use serde::{Deserialize, Serialize};

/// The columns of a facts CSV, in order.
pub const FACTS_COLUMNS: [&str; 5] = ["date", "region", "origin", "measure", "value"];

/// The header line of a facts CSV.
pub const FACTS_HEADER: &str = "date,region,origin,measure,value";

/// The columns of a facts CSV that carries implied figures too: a sixth column, `basis`.
pub const FACTS_COLUMNS_WITH_BASIS: [&str; 6] =
    ["date", "region", "origin", "measure", "value", "basis"];

/// Whether a figure is stated by its source or implied by other figures (the 0 of a province
/// that a complete list leaves out). The two are kept apart everywhere: a reader of facts takes
/// only stated ones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// Stated by the bulletin or the report.
    #[default]
    Stated,
    /// Implied: 0, by a complete breakdown that leaves the region out.
    Implied,
}

impl Basis {
    /// `stated` or `implied`.
    pub fn name(self) -> &'static str {
        match self {
            Basis::Stated => "stated",
            Basis::Implied => "implied",
        }
    }

    /// Whether stated (the default, left out of JSON).
    pub fn is_stated(&self) -> bool {
        *self == Basis::Stated
    }
}

/// A format of facts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FactsFormat {
    /// CSV with a header line.
    Csv,
    /// JSON Lines: one object a line.
    Jsonl,
}

impl FactsFormat {
    /// Every format.
    pub const ALL: [FactsFormat; 2] = [FactsFormat::Csv, FactsFormat::Jsonl];

    /// `csv` or `jsonl`.
    pub fn name(self) -> &'static str {
        match self {
            FactsFormat::Csv => "csv",
            FactsFormat::Jsonl => "jsonl",
        }
    }

    /// The media type of a file of this format.
    pub fn content_type(self) -> &'static str {
        match self {
            FactsFormat::Csv => "text/csv; charset=utf-8",
            FactsFormat::Jsonl => "application/x-ndjson",
        }
    }
}

impl fmt::Display for FactsFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is neither `csv` nor `jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{0}`: use csv or jsonl")]
pub struct FactsFormatError(pub String);

impl FromStr for FactsFormat {
    type Err = FactsFormatError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FactsFormat::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| FactsFormatError(s.to_string()))
    }
}

/// One fact with its day: a row of a facts file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DatedFact {
    /// The reporting day.
    pub date: Date,
    /// A region code, or `code:name` for a named area under it.
    pub region: RegionId,
    /// `all`, `imported` or `local`.
    pub origin: Origin,
    /// The measure's name.
    pub measure: Measure,
    /// The figure.
    pub value: i64,
    /// `implied` for a figure implied by a complete breakdown; absent for a stated one.
    #[serde(default, skip_serializing_if = "Basis::is_stated")]
    pub basis: Basis,
}

impl DatedFact {
    /// The row of a fact of a day.
    pub fn new(date: Date, f: &Fact) -> DatedFact {
        DatedFact {
            date,
            region: f.region.clone(),
            origin: f.origin,
            measure: f.measure,
            value: f.value,
            basis: Basis::Stated,
        }
    }
}

/// Writes facts one at a time, in a format; [`FactsWriter::finish`] flushes.
pub struct FactsWriter<W: Write> {
    inner: Inner<W>,
    /// Whether the CSV has the `basis` column.
    basis: bool,
}

enum Inner<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Jsonl(W),
}

impl<W: Write> FactsWriter<W> {
    /// A writer; a CSV starts with its header line.
    pub fn new(w: W, format: FactsFormat) -> io::Result<FactsWriter<W>> {
        FactsWriter::start(w, format, false)
    }

    /// A writer of stated and implied figures: a CSV has the sixth column `basis`, a JSON
    /// Lines object of an implied figure `"basis": "implied"`.
    pub fn with_basis(w: W, format: FactsFormat) -> io::Result<FactsWriter<W>> {
        FactsWriter::start(w, format, true)
    }

    fn start(w: W, format: FactsFormat, basis: bool) -> io::Result<FactsWriter<W>> {
        let inner = match format {
            FactsFormat::Csv => {
                let mut c = csv::WriterBuilder::new()
                    .has_headers(false)
                    .terminator(csv::Terminator::Any(b'\n'))
                    .from_writer(w);
                if basis {
                    c.write_record(FACTS_COLUMNS_WITH_BASIS).map_err(csv_io)?;
                } else {
                    c.write_record(FACTS_COLUMNS).map_err(csv_io)?;
                }
                Inner::Csv(Box::new(c))
            }
            FactsFormat::Jsonl => Inner::Jsonl(w),
        };
        Ok(FactsWriter { inner, basis })
    }

    /// Writes one stated fact of a day.
    pub fn write(&mut self, date: Date, f: &Fact) -> io::Result<()> {
        self.write_as(date, f, Basis::Stated)
    }

    /// Writes one figure of a day, stated or implied (an implied one needs
    /// [`FactsWriter::with_basis`]).
    pub fn write_as(&mut self, date: Date, f: &Fact, basis: Basis) -> io::Result<()> {
        if basis == Basis::Implied && !self.basis {
            return Err(io::Error::other(
                "an implied figure in a facts file without the basis column",
            ));
        }
        let with_basis = self.basis;
        match &mut self.inner {
            Inner::Csv(c) => {
                let (date, region, value) =
                    (date.to_string(), f.region.to_string(), f.value.to_string());
                let mut row = vec![
                    date.as_bytes(),
                    region.as_bytes(),
                    f.origin.name().as_bytes(),
                    f.measure.name().as_bytes(),
                    value.as_bytes(),
                ];
                if with_basis {
                    row.push(basis.name().as_bytes());
                }
                c.write_record(row).map_err(csv_io)
            }
            Inner::Jsonl(w) => {
                let row = DatedFact {
                    basis,
                    ..DatedFact::new(date, f)
                };
                serde_json::to_writer(&mut *w, &row)?;
                w.write_all(b"\n")
            }
        }
    }

    /// Flushes and returns the inner writer.
    pub fn finish(self) -> io::Result<W> {
        match self.inner {
            Inner::Csv(c) => c.into_inner().map_err(|e| e.into_error()),
            Inner::Jsonl(mut w) => {
                w.flush()?;
                Ok(w)
            }
        }
    }
}

fn csv_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Writes dated facts in a format.
pub fn write_facts<W: Write>(w: W, facts: &[(Date, Fact)], format: FactsFormat) -> io::Result<W> {
    let mut out = FactsWriter::new(w, format)?;
    for (d, f) in facts {
        out.write(*d, f)?;
    }
    out.finish()
}

/// Days' figures with the `basis` column: each day's stated facts, then its implied figures.
pub fn write_with_implied<W: Write>(
    w: W,
    format: FactsFormat,
    days: impl IntoIterator<Item = (Date, Vec<Fact>, Vec<Fact>)>,
) -> io::Result<W> {
    let mut out = FactsWriter::with_basis(w, format)?;
    for (date, stated, implied) in days {
        for f in &stated {
            out.write(date, f)?;
        }
        for f in &implied {
            out.write_as(date, f, Basis::Implied)?;
        }
    }
    out.finish()
}

/// The facts in a format, as bytes.
pub fn facts_bytes(facts: &[(Date, Fact)], format: FactsFormat) -> Vec<u8> {
    // Writing into memory cannot fail.
    write_facts(Vec::with_capacity(facts.len() * 48 + 40), facts, format).unwrap_or_default()
}

/// A facts file that cannot be read: where (line, from 1, and the column's name when known)
/// and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("line {line}{}: {message}", column.map(|c| format!(", column {c}")).unwrap_or_default())]
pub struct FactsError {
    /// The line, from 1 (0: the file as a whole).
    pub line: u64,
    /// The column's name, if the problem is in one field.
    pub column: Option<&'static str>,
    /// What is wrong, and what would be right.
    pub message: String,
}

impl FactsError {
    fn at(line: u64, column: Option<&'static str>, message: impl Into<String>) -> FactsError {
        FactsError {
            line,
            column,
            message: message.into(),
        }
    }
}

/// Reads facts from CSV (with the header `date,region,origin,measure,value`, and optionally a
/// sixth column `basis`) or JSON Lines, told apart by the first character that is not
/// whitespace (`{` for JSON Lines). Every quoted field of a CSV is read back whole, also one
/// with commas, quotes or line breaks. Figures marked `implied` are no facts of their day and
/// are left out: only stated facts are read.
pub fn read_facts<R: Read>(r: R) -> Result<Vec<(Date, Fact)>, FactsError> {
    let mut r = io::BufReader::new(r);
    let first = loop {
        let buf = r
            .fill_buf()
            .map_err(|e| FactsError::at(0, None, format!("cannot read the file: {e}")))?;
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => break Some(buf[i]),
            None if buf.is_empty() => break None,
            None => {
                let n = buf.len();
                r.consume(n);
            }
        }
    };
    match first {
        None => Ok(Vec::new()),
        Some(b'{') => read_jsonl(r),
        Some(_) => read_csv(r),
    }
}

fn read_jsonl<R: BufRead>(r: R) -> Result<Vec<(Date, Fact)>, FactsError> {
    let mut out = Vec::new();
    for (i, line) in r.lines().enumerate() {
        let n = i as u64 + 1;
        let line = line.map_err(|e| FactsError::at(n, None, format!("cannot read: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let d: DatedFact = serde_json::from_str(&line).map_err(|e| {
            FactsError::at(
                n,
                None,
                format!("{e}; expected an object with date, region, origin, measure, value"),
            )
        })?;
        if d.basis == Basis::Implied {
            continue;
        }
        let f = Fact::new(d.region, d.origin, d.measure, d.value)
            .map_err(|e| FactsError::at(n, Some("value"), e.to_string()))?;
        out.push((d.date, f));
    }
    Ok(out)
}

fn read_csv<R: Read>(r: R) -> Result<Vec<(Date, Fact)>, FactsError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(r);
    let mut records = reader.records();
    let line_of = |p: Option<&csv::Position>| p.map_or(0, csv::Position::line);
    let header = match records.next() {
        None => return Ok(Vec::new()),
        Some(Err(e)) => return Err(FactsError::at(line_of(e.position()), None, e.to_string())),
        Some(Ok(h)) => h,
    };
    let columns = header.iter().collect::<Vec<_>>();
    let with_basis = columns == FACTS_COLUMNS_WITH_BASIS;
    if columns != FACTS_COLUMNS && !with_basis {
        return Err(FactsError::at(
            line_of(header.position()),
            None,
            format!(
                "expected the header `{FACTS_HEADER}` (or JSON Lines), found `{}`",
                header.iter().collect::<Vec<_>>().join(",")
            ),
        ));
    }
    let mut out = Vec::new();
    for rec in records {
        let rec = rec.map_err(|e| FactsError::at(line_of(e.position()), None, e.to_string()))?;
        let n = line_of(rec.position());
        if rec.len() == 1 && rec.get(0).is_some_and(str::is_empty) {
            continue; // a blank line
        }
        let width = if with_basis { 6 } else { 5 };
        if rec.len() != width {
            return Err(FactsError::at(
                n,
                None,
                format!("expected {width} fields, found {}", rec.len()),
            ));
        }
        let field = |i: usize| rec.get(i).unwrap_or_default();
        if with_basis {
            match field(5) {
                "stated" => {}
                "implied" => continue,
                other => {
                    return Err(FactsError::at(
                        n,
                        Some("basis"),
                        format!("`{other}` is neither stated nor implied"),
                    ))
                }
            }
        }
        let bad = |col: &'static str, e: String| FactsError::at(n, Some(col), e);
        let date: Date = field(0).parse().map_err(|e| bad("date", format!("{e}")))?;
        let region: RegionId = field(1)
            .parse()
            .map_err(|e| bad("region", format!("{e}")))?;
        let origin: Origin = field(2)
            .parse()
            .map_err(|e| bad("origin", format!("{e}")))?;
        let measure: Measure = field(3)
            .parse()
            .map_err(|e| bad("measure", format!("{e}")))?;
        let value: i64 = field(4)
            .parse()
            .map_err(|_| bad("value", format!("`{}` is not a whole number", field(4))))?;
        let f =
            Fact::new(region, origin, measure, value).map_err(|e| bad("value", e.to_string()))?;
        out.push((date, f));
    }
    Ok(out)
}

/// Writes a series (`date,value`) as CSV.
pub fn series_csv(values: &[(Date, i64)]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(values.len() * 18 + 11);
    out.push_str("date,value\n");
    for (d, v) in values {
        // Writing into a String cannot fail.
        let _ = writeln!(out, "{d},{v}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Vec<(Date, Fact)> {
        let d: Date = "2020-06-19".parse().unwrap();
        let f =
            |region: &str, m, v| Fact::new(region.parse().unwrap(), Origin::Local, m, v).unwrap();
        vec![
            (d, f("110000", Measure::ConfirmedNew, 22)),
            (d, f("620000:兰州新区", Measure::ConfirmedNew, 1)),
            (
                d,
                f(
                    "620000:a \"quoted\", area\nwith a line break",
                    Measure::DeathsNew,
                    0,
                ),
            ),
            (d, f("100000", Measure::SevereChange, -3)),
        ]
    }

    #[test]
    fn implied_figures_are_marked_and_never_read_back_as_facts() {
        let d: Date = "2020-06-19".parse().unwrap();
        let zero = Fact::new(
            "120000".parse().unwrap(),
            Origin::Local,
            Measure::ConfirmedNew,
            0,
        )
        .unwrap();
        for format in FactsFormat::ALL {
            let mut w = FactsWriter::with_basis(Vec::new(), format).unwrap();
            for (d, f) in facts() {
                w.write(d, &f).unwrap();
            }
            w.write_as(d, &zero, Basis::Implied).unwrap();
            let bytes = w.finish().unwrap();
            let text = String::from_utf8(bytes.clone()).unwrap();
            match format {
                FactsFormat::Csv => {
                    assert!(text.starts_with("date,region,origin,measure,value,basis\n"));
                    assert!(text.contains("\n2020-06-19,120000,local,confirmed_new,0,implied\n"));
                    assert!(text.contains("\n2020-06-19,110000,local,confirmed_new,22,stated\n"));
                }
                FactsFormat::Jsonl => {
                    assert!(text.contains(r#""value":0,"basis":"implied"}"#));
                    assert!(!text.contains(r#""basis":"stated""#));
                }
            }
            assert_eq!(read_facts(bytes.as_slice()).unwrap(), facts(), "{format}");
        }
        let mut plain = FactsWriter::new(Vec::new(), FactsFormat::Csv).unwrap();
        assert!(plain.write_as(d, &zero, Basis::Implied).is_err());
    }

    #[test]
    fn both_formats_read_back_what_they_write() {
        for format in FactsFormat::ALL {
            let bytes = facts_bytes(&facts(), format);
            let back = read_facts(bytes.as_slice()).unwrap();
            assert_eq!(back, facts(), "{format}");
        }
        let csv = String::from_utf8(facts_bytes(&facts(), FactsFormat::Csv)).unwrap();
        assert!(csv.starts_with("date,region,origin,measure,value\n2020-06-19,110000,local,"));
        assert!(csv.contains("\"620000:a \"\"quoted\"\", area\nwith a line break\""));
    }

    #[test]
    fn bad_files_say_where() {
        let e = read_facts("date,region\n".as_bytes()).unwrap_err();
        assert_eq!(e.line, 1);
        let e = read_facts(&b"date,region,origin,measure,value\n2020-06-19,110000,local,x,1\n"[..])
            .unwrap_err();
        assert_eq!((e.line, e.column), (2, Some("measure")));
        let e = read_facts(&b"{\"date\": \"2020-06-19\"}\n"[..]).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(read_facts(&b"  \n"[..]).unwrap().is_empty());
    }
}
