//! The case register kept in a store, for every backend: a batch of events, validated against
//! the register by the caller, is stored as one interchange CSV file cut into segments, under
//! one audit entry ([`Change::RecordCases`](crate::Change::RecordCases)); the register is
//! rebuilt by replaying the batches in the order they were stored.
//!
//! What is stored is what the register accepted: the file as it came when it is already the
//! interchange CSV and every row was recorded (no mapping, no identity number to hash, no event
//! recorded before), else the recorded events written again by the register's own writer
//! ([`Spool`]; names and telephones included for the unit's and the compilers' views, identity
//! numbers never: they are pseudonyms by then).

use std::collections::BTreeSet;
use std::io::{self, BufRead, Read, Seek, SeekFrom, Write};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use epiledger_core::RegionCode;
use epiledger_register::interchange::{self, CsvWriter, Format, ReadOptions};
use epiledger_register::{Event, Register};

use crate::backend::corrupt;
use crate::reports::{CaseBatch, CaseSegment, CaseSegments, ReportingStore};
use crate::StoreError;

/// The size after which a segment is cut at the next line end.
pub const SEGMENT_BYTES: u64 = 8 << 20;

/// The segments of a CSV file: parts of about [`SEGMENT_BYTES`], each cut after a line end.
pub struct Chunks<R> {
    src: R,
}

impl<R: BufRead + Seek + Send> Chunks<R> {
    /// The segments of `src`, from its start.
    pub fn new(src: R) -> Chunks<R> {
        Chunks { src }
    }
}

impl<R: BufRead + Seek + Send> CaseSegments for Chunks<R> {
    fn rewind(&mut self) -> io::Result<()> {
        self.src.seek(SeekFrom::Start(0)).map(|_| ())
    }

    fn next_segment(&mut self) -> io::Result<Option<CaseSegment>> {
        let mut data = Vec::with_capacity(SEGMENT_BYTES as usize + (64 << 10));
        (&mut self.src).take(SEGMENT_BYTES).read_to_end(&mut data)?;
        if data.is_empty() {
            return Ok(None);
        }
        if data.last() != Some(&b'\n') {
            self.src.read_until(b'\n', &mut data)?;
        }
        Ok(Some(CaseSegment { data }))
    }
}

/// The segments of a file stored while the register validates it: once the file is read, the
/// last call waits for the verdict, and a refused file fails the change (its transaction rolls
/// back: nothing of it stays).
pub struct Gated<S> {
    inner: S,
    verdict: Receiver<Result<(u64, BTreeSet<RegionCode>), String>>,
    decided: Option<(u64, Vec<RegionCode>)>,
}

impl<S: CaseSegments> Gated<S> {
    /// `inner`'s segments, ended by the verdict sent on `verdict`: the events recorded and
    /// their units, or why the file was refused.
    pub fn new(inner: S, verdict: Receiver<Result<(u64, BTreeSet<RegionCode>), String>>) -> Self {
        Gated {
            inner,
            verdict,
            decided: None,
        }
    }
}

impl<S: CaseSegments> CaseSegments for Gated<S> {
    fn rewind(&mut self) -> io::Result<()> {
        self.inner.rewind()
    }

    fn next_segment(&mut self) -> io::Result<Option<CaseSegment>> {
        if let Some(s) = self.inner.next_segment()? {
            return Ok(Some(s));
        }
        if self.decided.is_none() {
            match self.verdict.recv() {
                Ok(Ok((events, units))) => {
                    self.decided = Some((events, units.into_iter().collect()))
                }
                Ok(Err(why)) => return Err(io::Error::other(why)),
                Err(_) => return Err(io::Error::other("the validation stopped unexpectedly")),
            }
        }
        Ok(None)
    }

    fn totals(&self) -> Option<(u64, Vec<RegionCode>)> {
        self.decided.clone()
    }
}

/// A batch of `events` events of `units` from these segments.
pub fn batch(
    events: u64,
    units: BTreeSet<RegionCode>,
    source: impl CaseSegments + 'static,
) -> CaseBatch {
    CaseBatch {
        events,
        units: units.into_iter().collect(),
        source: Arc::new(Mutex::new(source)),
    }
}

/// Tallies the events the register records in a batch (how many, which units) and, when the
/// input cannot be stored as it came, writes them again as interchange CSV to `W`.
pub struct Spool<W: Write> {
    writer: Option<CsvWriter<W>>,
    units: BTreeSet<RegionCode>,
    last_unit: Option<RegionCode>,
    events: u64,
    error: Option<io::Error>,
}

impl<W: Write> Spool<W> {
    /// Tallies only: the input is stored as it came.
    pub fn tally() -> Spool<W> {
        Spool {
            writer: None,
            units: BTreeSet::new(),
            last_unit: None,
            events: 0,
            error: None,
        }
    }

    /// Tallies and writes the events to `w` (the header at once).
    pub fn writing(w: W) -> io::Result<Spool<W>> {
        let writer = CsvWriter::new(w).map_err(io::Error::other)?.with_private();
        Ok(Spool {
            writer: Some(writer),
            ..Spool::tally()
        })
    }

    /// Adds an event the register recorded. A failure to write is kept and returned by
    /// [`Spool::finish`].
    pub fn push(&mut self, e: &Event) {
        if self.last_unit != Some(e.unit) {
            self.units.insert(e.unit);
            self.last_unit = Some(e.unit);
        }
        self.events += 1;
        if let (Some(w), None) = (&mut self.writer, &self.error) {
            if let Err(err) = w.write(e) {
                self.error = Some(io::Error::other(err));
            }
        }
    }

    /// The events counted, their units, and the writer (flushed) if it wrote them.
    pub fn finish(mut self) -> io::Result<(u64, BTreeSet<RegionCode>, Option<W>)> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        let w = self.writer.take().map(CsvWriter::finish).transpose()?;
        Ok((self.events, self.units, w))
    }
}

/// A register rebuilt from a store.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The register.
    pub register: Register,
    /// The audit entry of the newest batch replayed (0: none).
    pub last_seq: i64,
    /// Events replayed.
    pub events: u64,
}

/// What watches the events replayed.
pub type Observer<'a> = &'a mut (dyn FnMut(&Event) + Send);

/// Rebuilds the register from the store's batches stored at or before `as_of` (and, with
/// `as_of`, only their events recorded by then), handing each event replayed to `observe`.
pub fn load(
    store: &dyn ReportingStore,
    as_of: Option<DateTime<Utc>>,
    observe: Observer,
) -> Result<Loaded, StoreError> {
    let mut loaded = Loaded::default();
    catch_up(store, &mut loaded, as_of, observe)?;
    Ok(loaded)
}

/// Replays the batches stored after `loaded.last_seq` (by another process, or since the
/// register was loaded). Each batch is one CSV stream over its segments: a thread replays it as
/// the store reads them, so that a batch is never held whole in memory.
pub fn catch_up(
    store: &dyn ReportingStore,
    loaded: &mut Loaded,
    as_of: Option<DateTime<Utc>>,
    observe: Observer,
) -> Result<(), StoreError> {
    let after = loaded.last_seq;
    let Loaded {
        register,
        last_seq,
        events,
    } = loaded;
    std::thread::scope(|scope| {
        let mut idle = Some((&mut *register, observe));
        let mut current: Option<Job<'_, '_, '_>> = None;
        store.case_segments(after, as_of, &mut |s| {
            if current.as_ref().map(|c| c.0) != Some(s.audit_seq) {
                finish(current.take(), &mut idle, events, last_seq)?;
                let Some((reg, obs)) = idle.take() else {
                    return Err(corrupt(
                        "the case register",
                        "(replay)",
                        "no register to replay into",
                    ));
                };
                let (tx, rx) = sync_channel::<Vec<u8>>(2);
                let handle = scope.spawn(move || {
                    let replayed = replay(reg, ChannelReader::new(rx), as_of, obs);
                    (reg, obs, replayed)
                });
                current = Some((s.audit_seq, tx, handle));
            }
            if let Some((_, tx, _)) = &current {
                // A replay that stopped (on a refused event) has dropped its receiver; its
                // error comes with the join.
                let _ = tx.send(s.segment.data);
            }
            Ok(())
        })?;
        finish(current.take(), &mut idle, events, last_seq)
    })
}

/// What replaying a batch gives back: the register and the observer, and the events replayed.
type Replayed<'r, 'o> = (&'r mut Register, Observer<'o>, Result<u64, String>);

/// A batch being replayed: its audit entry, where its segments go, its thread.
type Job<'s, 'r, 'o> = (
    i64,
    std::sync::mpsc::SyncSender<Vec<u8>>,
    std::thread::ScopedJoinHandle<'s, Replayed<'r, 'o>>,
);

/// Waits for a batch's replay to end.
fn finish<'r, 'o>(
    job: Option<Job<'_, 'r, 'o>>,
    idle: &mut Option<(&'r mut Register, Observer<'o>)>,
    events: &mut u64,
    last_seq: &mut i64,
) -> Result<(), StoreError> {
    let Some((seq, tx, handle)) = job else {
        return Ok(());
    };
    drop(tx);
    let name = format!("case_segments rows of audit entry {seq}");
    let (reg, obs, replayed) = handle.join().map_err(|_| {
        corrupt(
            "the case register",
            &name,
            "the replay stopped unexpectedly",
        )
    })?;
    *idle = Some((reg, obs));
    let n = replayed.map_err(|p| {
        corrupt(
            "the case register",
            &name,
            format!("its events do not replay: {p}"),
        )
    })?;
    *events += n;
    *last_seq = seq;
    Ok(())
}

/// Replays one batch's CSV: every event (or, with `as_of`, those recorded by then).
fn replay<R: Read + Send>(
    register: &mut Register,
    r: R,
    as_of: Option<DateTime<Utc>>,
    observe: Observer,
) -> Result<u64, String> {
    let Some(t) = as_of else {
        return interchange::import_with(
            register,
            r,
            Format::Csv,
            ReadOptions::default(),
            &mut *observe,
        )
        .map(|summary| summary.recorded as u64)
        .map_err(|p| p.to_string());
    };
    let mut first_error = None;
    let mut n = 0;
    let problems = interchange::read(r, Format::Csv, ReadOptions::default(), |line, e| {
        if e.recorded > t || first_error.is_some() {
            return;
        }
        match register.apply(&e) {
            Ok(_) => {
                n += 1;
                observe(&e);
            }
            Err(err) => first_error = Some(format!("line {line}: {err}")),
        }
    });
    if !problems.is_empty() {
        return Err(problems.to_string());
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(n),
    }
}

/// Reads the parts of a stream as they arrive.
struct ChannelReader {
    rx: Receiver<Vec<u8>>,
    buf: Vec<u8>,
    pos: usize,
}

impl ChannelReader {
    fn new(rx: Receiver<Vec<u8>>) -> ChannelReader {
        ChannelReader {
            rx,
            buf: Vec::new(),
            pos: 0,
        }
    }
}

impl Read for ChannelReader {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.buf.len() {
            match self.rx.recv() {
                Ok(next) => {
                    self.buf = next;
                    self.pos = 0;
                }
                Err(_) => return Ok(0),
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// One figure of a unit's day: what the register derives and what the unit reported.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Reconciled {
    /// The unit.
    #[serde(with = "crate::reports::code_serde")]
    pub unit: RegionCode,
    /// Which cases.
    pub origin: epiledger_core::Origin,
    /// The figure.
    pub measure: epiledger_core::Measure,
    /// What the register derives (none: it has no such figure for the day).
    pub register: Option<i64>,
    /// What the unit's newest report says (none: the report does not give it, or there is no
    /// report).
    pub report: Option<i64>,
}

impl Reconciled {
    /// Whether the two differ.
    pub fn differs(&self) -> bool {
        self.register != self.report
    }
}

/// The register's figures of a unit's day against the unit's report (if any), for every
/// measure the register derives: each figure either gives, in (measure, origin) order.
pub fn reconcile(
    derivation: &epiledger_register::Derivation,
    date: epiledger_core::Date,
    unit: RegionCode,
    report: Option<&crate::Report>,
) -> Vec<Reconciled> {
    use std::collections::BTreeMap;
    let derived: BTreeSet<_> = epiledger_register::derived_measures().into_iter().collect();
    let mut rows: BTreeMap<(epiledger_core::Measure, epiledger_core::Origin), Reconciled> =
        BTreeMap::new();
    let blank = |measure, origin| Reconciled {
        unit,
        origin,
        measure,
        register: None,
        report: None,
    };
    if let Some(day) = derivation.day(date) {
        for f in &day.facts {
            if f.region == epiledger_core::RegionId::Code(unit) && derived.contains(&f.measure) {
                rows.entry((f.measure, f.origin))
                    .or_insert_with(|| blank(f.measure, f.origin))
                    .register = Some(f.value);
            }
        }
    }
    if let Some(report) = report {
        for f in &report.figures {
            if derived.contains(&f.measure) {
                rows.entry((f.measure, f.origin))
                    .or_insert_with(|| blank(f.measure, f.origin))
                    .report = Some(f.value);
            }
        }
    }
    rows.into_values().collect()
}
