//! NDJSON: one flat JSON object a line, keyed by the format's columns (or a mapping's names);
//! values are strings (`age` may be a number).

use std::io::{BufRead, BufReader, Read, Write};

use super::columns::{Column, COLUMNS, N_COLUMNS};
use super::mapping::Mapping;
use super::row::{to_event, write_fields, Fields, Interner};
use super::{Problems, ReadOptions, RowError};
use crate::Event;

pub(crate) fn read<R: Read>(
    r: R,
    opts: ReadOptions<'_>,
    sink: &mut dyn FnMut(u64, Event),
    problems: &mut Problems,
) {
    let defaults = Mapping::default_values(opts.mapping);
    let mut interner = Interner::default();
    let mut reader = BufReader::with_capacity(1 << 20, r);
    let mut line = String::new();
    let mut n = 0u64;
    let mut values: Vec<(Column, String)> = Vec::with_capacity(N_COLUMNS);
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) => n += 1,
            Err(e) => {
                problems.push(RowError {
                    line: n + 1,
                    column: None,
                    code: "unreadable",
                    message: e.to_string(),
                });
                break;
            }
        }
        if line.trim().is_empty() {
            continue;
        }
        let obj: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(&line) {
            Ok(o) => o,
            Err(e) => {
                problems.push(RowError {
                    line: n,
                    column: None,
                    code: "unreadable",
                    message: format!("not a JSON object: {e}"),
                });
                continue;
            }
        };
        values.clear();
        let mut failed = false;
        for (k, v) in &obj {
            let text = match v {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) if s.is_empty() => continue,
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(x) => x.to_string(),
                _ => {
                    problems.push(RowError {
                        line: n,
                        column: Some(k.clone()),
                        code: "bad_value",
                        message: "a value is a string (or a number for age)".into(),
                    });
                    failed = true;
                    break;
                }
            };
            match Mapping::resolve(opts.mapping, k) {
                Ok(cols) => values.extend(cols.into_iter().map(|c| (c, text.clone()))),
                Err(message) => {
                    problems.push(RowError {
                        line: n,
                        column: Some(k.clone()),
                        code: "unknown_column",
                        message,
                    });
                    failed = true;
                    break;
                }
            }
        }
        if failed {
            continue;
        }
        let mut fields: Fields<'_> = [None; N_COLUMNS];
        for (c, v) in &defaults {
            fields[*c as usize] = Some(v.as_str());
        }
        for (c, v) in &values {
            fields[*c as usize] = Some(v.as_str());
        }
        match to_event(&fields, &opts, &mut interner) {
            Ok(e) => sink(n, e),
            Err((c, code, message)) => problems.push(RowError {
                line: n,
                column: c.map(|c| {
                    opts.mapping
                        .and_then(|m| m.source_of(c.name()))
                        .unwrap_or(c.name())
                        .to_string()
                }),
                code,
                message,
            }),
        }
    }
}

/// Writes events as NDJSON, one flat object a line with the non-empty columns.
pub struct NdjsonWriter<W: Write> {
    w: std::io::BufWriter<W>,
    buf: Box<[String; N_COLUMNS]>,
    private: bool,
}

impl<W: Write> NdjsonWriter<W> {
    /// A writer. Names and telephones are left out.
    pub fn new(w: W) -> NdjsonWriter<W> {
        NdjsonWriter {
            w: std::io::BufWriter::with_capacity(1 << 20, w),
            buf: Box::new(std::array::from_fn(|_| String::with_capacity(32))),
            private: false,
        }
    }

    /// Also writes names and telephones (for the reporting unit's own copy only).
    pub fn with_private(mut self) -> Self {
        self.private = true;
        self
    }

    /// Writes one event.
    pub fn write(&mut self, e: &Event) -> std::io::Result<()> {
        write_fields(e, &mut self.buf, self.private);
        self.w.write_all(b"{")?;
        let mut first = true;
        for (i, v) in self.buf.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            if !first {
                self.w.write_all(b",")?;
            }
            first = false;
            let name = COLUMNS[i].name;
            write!(self.w, "\"{name}\":")?;
            if COLUMNS[i].column == Column::Age {
                self.w.write_all(v.as_bytes())?;
            } else {
                serde_json::to_writer(&mut self.w, v.as_str())?;
            }
        }
        self.w.write_all(b"}\n")
    }

    /// Flushes and returns the inner writer.
    pub fn finish(self) -> std::io::Result<W> {
        self.w.into_inner().map_err(|e| e.into_error())
    }
}
