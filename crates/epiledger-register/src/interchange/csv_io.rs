//! CSV: a header line naming the columns (in any order, renamed by a mapping), one event a row.

use std::io::{Read, Write};

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
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(r);
    let mut rec = csv::ByteRecord::new();
    // The header.
    match rdr.read_byte_record(&mut rec) {
        Ok(true) => {}
        Ok(false) => {
            problems.push(RowError {
                line: 0,
                column: None,
                code: "empty",
                message: "the file is empty: it needs a header line and one row per event".into(),
            });
            return;
        }
        Err(e) => {
            problems.push(RowError {
                line: 1,
                column: None,
                code: "unreadable",
                message: e.to_string(),
            });
            return;
        }
    }
    let mut targets: Vec<Vec<Column>> = Vec::with_capacity(rec.len());
    let mut names: Vec<String> = Vec::with_capacity(rec.len());
    let mut header_ok = true;
    for (i, h) in rec.iter().enumerate() {
        let mut name = String::from_utf8_lossy(h).into_owned();
        if i == 0 {
            name = name.trim_start_matches('\u{feff}').to_string();
        }
        match Mapping::resolve(opts.mapping, &name) {
            Ok(t) => targets.push(t),
            Err(message) => {
                header_ok = false;
                problems.push(RowError {
                    line: 1,
                    column: Some(name.clone()),
                    code: "unknown_column",
                    message,
                });
                targets.push(Vec::new());
            }
        }
        names.push(name);
    }
    if !header_ok {
        return;
    }
    let defaults = Mapping::default_values(opts.mapping);
    let mut interner = Interner::default();
    let ncols = targets.len();
    // Where each of our columns comes from, for messages.
    let mut source: [Option<usize>; N_COLUMNS] = [None; N_COLUMNS];
    for (i, t) in targets.iter().enumerate() {
        for c in t {
            source[*c as usize] = Some(i);
        }
    }
    let col_name = |c: Option<Column>| -> Option<String> {
        c.map(|c| match source[c as usize] {
            Some(i) => names[i].clone(),
            None => c.name().to_string(),
        })
    };
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(RowError {
                    line,
                    column: None,
                    code: "unreadable",
                    message: e.to_string(),
                });
                continue;
            }
        }
        let line = rec.position().map_or(0, |p| p.line());
        if rec.len() != ncols {
            problems.push(RowError {
                line,
                column: None,
                code: "field_count",
                message: format!("{} fields where the header has {ncols}", rec.len()),
            });
            continue;
        }
        let mut fields: Fields<'_> = [None; N_COLUMNS];
        for (c, v) in &defaults {
            fields[*c as usize] = Some(v.as_str());
        }
        let mut utf8_error = None;
        for (i, raw) in rec.iter().enumerate() {
            if raw.is_empty() {
                continue;
            }
            match std::str::from_utf8(raw) {
                Ok(s) => {
                    for c in &targets[i] {
                        fields[*c as usize] = Some(s);
                    }
                }
                Err(_) => utf8_error = Some(i),
            }
        }
        if let Some(i) = utf8_error {
            problems.push(RowError {
                line,
                column: Some(names[i].clone()),
                code: "bad_encoding",
                message: "the field is not UTF-8".into(),
            });
            continue;
        }
        match to_event(&fields, &opts, &mut interner) {
            Ok(e) => sink(line, e),
            Err((c, code, message)) => problems.push(RowError {
                line,
                column: col_name(c),
                code,
                message,
            }),
        }
    }
}

/// Writes events as CSV rows under the format's header.
pub struct CsvWriter<W: Write> {
    w: csv::Writer<W>,
    buf: Box<[String; N_COLUMNS]>,
    private: bool,
}

impl<W: Write> CsvWriter<W> {
    /// A writer; the header is written at once. Names and telephones are left out.
    pub fn new(w: W) -> csv::Result<CsvWriter<W>> {
        let mut w = csv::WriterBuilder::new()
            .buffer_capacity(1 << 20)
            .from_writer(w);
        w.write_record(COLUMNS.iter().map(|c| c.name))?;
        Ok(CsvWriter {
            w,
            buf: Box::new(std::array::from_fn(|_| String::with_capacity(32))),
            private: false,
        })
    }

    /// Also writes names and telephones (for the reporting unit's own copy only).
    pub fn with_private(mut self) -> Self {
        self.private = true;
        self
    }

    /// Writes one event.
    pub fn write(&mut self, e: &Event) -> csv::Result<()> {
        write_fields(e, &mut self.buf, self.private);
        self.w.write_record(self.buf.iter().map(String::as_bytes))
    }

    /// Flushes and returns the inner writer.
    pub fn finish(self) -> std::io::Result<W> {
        self.w.into_inner().map_err(|e| e.into_error())
    }
}
