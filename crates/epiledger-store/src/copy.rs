//! Copying a whole history from one store to another (SQLite ↔ PostgreSQL): every version of
//! every day, with its source and `recorded_at`, in the order it was recorded.
//!
//! The copy replays the history through [`Store::put_days_at`]: the versions recorded at one
//! instant form one batch (one transaction), stored at that instant. Into an empty store this
//! reproduces every version number, content hash and summary, which the copy checks as it
//! goes. Into a store that holds days already (`append`), each version is compared as any
//! import is: what the target has is unchanged, the rest becomes new versions (so an
//! interrupted copy is resumed by running it again with `append`).
//!
//! [`Store`] reads a day by time (`as_of`); a version recorded at the same instant as a later
//! version of its date (the same date twice in one batch) is hidden from such reads, so the
//! source must be able to read a version by number: [`ExactVersions`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use epiledger_core::{Date, Day, Fact};

use crate::{Source, Span, Store, StoreError, StoredDay, VersionInfo};

/// A store that reads any version of a day by its number.
pub trait ExactVersions: Store {
    /// Version `version` of `date`, if it exists.
    fn exact_version(&self, date: Date, version: u32) -> Result<Option<StoredDay>, StoreError>;
}

/// Reads version `version` of `date` through [`Store`] alone: by its time, which works unless
/// a later version of the date was recorded at the same instant (then `Ok(None)`).
pub fn version_by_time(
    store: &dyn Store,
    date: Date,
    version: u32,
) -> Result<Option<StoredDay>, StoreError> {
    let Some(info) = store
        .versions(date)?
        .into_iter()
        .find(|v| v.version == version)
    else {
        return Ok(None);
    };
    Ok(store
        .day(date, Some(info.recorded_at))?
        .filter(|d| d.version == version))
}

/// How to copy.
#[derive(Clone, Copy, Debug, Default)]
pub struct CopyOptions {
    /// Copy into a store that holds days already (otherwise refused).
    pub append: bool,
}

/// What a copy did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Copied {
    /// Dates of the source.
    pub dates: usize,
    /// Versions read from the source.
    pub versions: usize,
    /// Versions the target stored.
    pub stored: usize,
    /// Versions the target had already (only with `append`).
    pub unchanged: usize,
    /// Batches (transactions): one per distinct `recorded_at`.
    pub batches: usize,
}

/// Why a copy stopped. Batches stored before the error stay stored; run the copy again with
/// `append` to finish it.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// Reading the source failed.
    #[error("reading the source: {0}")]
    Source(#[source] StoreError),
    /// Writing or reading the target failed.
    #[error("writing the target: {0}")]
    Target(#[source] StoreError),
    /// The target holds days and `append` was not asked for.
    #[error(
        "the target {location} is not empty ({days} days, {versions} versions); copy into an \
         empty database, or add --append to add the source's versions to what it holds"
    )]
    TargetNotEmpty {
        /// The target.
        location: String,
        /// Its dates.
        days: u64,
        /// Its versions.
        versions: u64,
    },
    /// A version the source lists cannot be read back.
    #[error("the source lists {date} version {version} but cannot read it; check the source")]
    Unreadable {
        /// The date.
        date: Date,
        /// The version.
        version: u32,
    },
    /// The target has a later version of a date than a version of the source to append.
    #[error(
        "cannot append {date} version {version} (recorded at {at}): the target's version \
         {target_version} of that date was recorded later, at {target_at}; the histories have \
         diverged, copy into an empty database instead"
    )]
    Older {
        /// The date.
        date: Date,
        /// The source's version.
        version: u32,
        /// When the source recorded it.
        at: DateTime<Utc>,
        /// The target's newest version.
        target_version: u32,
        /// When the target recorded that.
        target_at: DateTime<Utc>,
    },
    /// The target stored a version differently from the source (a copy into an empty store
    /// must reproduce every version).
    #[error(
        "{date} version {version} was copied as {found}; the target changed while copying \
         (another writer?); copy into a database nobody else writes to"
    )]
    Diverged {
        /// The date.
        date: Date,
        /// The source's version.
        version: u32,
        /// What the target made of it.
        found: String,
    },
}

/// Every version of the source, by (recorded_at, date, version): the order to replay them in.
fn history(from: &dyn ExactVersions) -> Result<Vec<VersionInfo>, StoreError> {
    let mut all = Vec::new();
    for date in from.dates()? {
        all.extend(from.versions(date)?);
    }
    all.sort_by_key(|a| (a.recorded_at, a.date, a.version));
    Ok(all)
}

/// Reads the versions of one batch (all recorded at `at`), in the batch's order.
fn read_batch(
    from: &dyn ExactVersions,
    batch: &[VersionInfo],
    at: DateTime<Utc>,
) -> Result<Vec<StoredDay>, CopyError> {
    // Many dates: one read of the newest versions as of `at` serves most of them.
    let mut newest: HashMap<Date, StoredDay> = HashMap::new();
    if batch.len() >= 16 {
        let first = batch.iter().map(|v| v.date).min();
        let last = batch.iter().map(|v| v.date).max();
        newest = from
            .days(Span::new(first, last, Some(at)))
            .map_err(CopyError::Source)?
            .into_iter()
            .filter_map(|d| d.day.date.map(|date| (date, d)))
            .collect();
    }
    let mut out = Vec::with_capacity(batch.len());
    for v in batch {
        let found = match newest.remove(&v.date) {
            Some(d) if d.version == v.version => Some(d),
            _ => match from.day(v.date, Some(at)).map_err(CopyError::Source)? {
                Some(d) if d.version == v.version => Some(d),
                _ => from
                    .exact_version(v.date, v.version)
                    .map_err(CopyError::Source)?,
            },
        };
        let day = found.ok_or(CopyError::Unreadable {
            date: v.date,
            version: v.version,
        })?;
        out.push(day);
    }
    Ok(out)
}

/// Copies every version of `from` into `to` (see the module's documentation), calling
/// `progress(versions done, versions in all)` after each batch.
pub fn copy_history(
    from: &dyn ExactVersions,
    to: &mut dyn Store,
    target_location: &str,
    options: CopyOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Copied, CopyError> {
    let stats = to.stats().map_err(CopyError::Target)?;
    if stats.versions > 0 && !options.append {
        return Err(CopyError::TargetNotEmpty {
            location: target_location.to_string(),
            days: stats.days,
            versions: stats.versions,
        });
    }
    let fresh = stats.versions == 0;
    let all = history(from).map_err(CopyError::Source)?;
    let mut copied = Copied {
        dates: all.iter().map(|v| v.date).collect::<BTreeSet<_>>().len(),
        versions: all.len(),
        ..Copied::default()
    };
    // Appending: the versions the target has already (the same first versions of a date, as
    // a copy that stopped halfway left them) are not replayed.
    let todo: Vec<VersionInfo> = if fresh {
        all
    } else {
        let had = already_copied(&all, &*to)?;
        copied.unchanged += all.len() - had.len();
        had
    };
    let total = copied.versions;
    let mut done = total - todo.len();
    for batch in todo.chunk_by(|a, b| a.recorded_at == b.recorded_at) {
        let at = batch[0].recorded_at;
        let days = read_batch(from, batch, at)?;
        let input: Vec<(Day, Source)> = days.into_iter().map(|d| (d.day, d.source)).collect();
        let outcomes = to.put_days_at(&input, at).map_err(|e| match e {
            StoreError::ClockWentBack {
                date,
                version,
                previous,
                at,
            } => CopyError::Older {
                date,
                version: batch
                    .iter()
                    .find(|v| v.date == date)
                    .map_or(0, |v| v.version),
                at,
                target_version: version,
                target_at: previous,
            },
            e => CopyError::Target(e),
        })?;
        for (v, outcome) in batch.iter().zip(&outcomes) {
            if outcome.is_stored() {
                copied.stored += 1;
            } else {
                copied.unchanged += 1;
            }
            if fresh && (outcome.version() != v.version || !outcome.is_stored()) {
                return Err(CopyError::Diverged {
                    date: v.date,
                    version: v.version,
                    found: format!("{outcome:?}"),
                });
            }
        }
        copied.batches += 1;
        done += batch.len();
        progress(done, total);
    }
    Ok(copied)
}

/// The source's versions (in replay order) less those the target holds already: for each
/// date, the longest run of first versions that are the same on both sides (number, source,
/// time and content).
fn already_copied(all: &[VersionInfo], to: &dyn Store) -> Result<Vec<VersionInfo>, CopyError> {
    let mut held: HashMap<Date, Vec<VersionInfo>> = HashMap::new();
    for v in all {
        if let std::collections::hash_map::Entry::Vacant(e) = held.entry(v.date) {
            e.insert(to.versions(v.date).map_err(CopyError::Target)?);
        }
    }
    let same = |a: &VersionInfo, b: &VersionInfo| {
        (a.version, &a.source, a.recorded_at, &a.content_hash)
            == (b.version, &b.source, b.recorded_at, &b.content_hash)
    };
    let mut matching: HashMap<Date, bool> = HashMap::new();
    let mut out = Vec::new();
    // `all` is in time order, so each date's versions come in number order.
    for v in all {
        let still = matching.entry(v.date).or_insert(true);
        let there = held
            .get(&v.date)
            .and_then(|h| h.get(v.version as usize - 1));
        if *still && there.is_some_and(|t| same(t, v)) {
            continue;
        }
        *still = false;
        out.push(v.clone());
    }
    Ok(out)
}

/// How the newest facts of two stores compare.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FactsComparison {
    /// Facts of the source (of the compared dates).
    pub source: usize,
    /// Facts of the target (of the compared dates).
    pub target: usize,
    /// Figures with a value on one side only, or different values.
    pub differences: usize,
    /// The first difference, in words.
    pub first: Option<String>,
}

impl FactsComparison {
    /// Whether both sides have the same facts.
    pub fn is_same(&self) -> bool {
        self.differences == 0
    }
}

/// Compares the newest facts of two stores (the `export facts` of each side), on every date,
/// or only on `dates`.
pub fn compare_facts(
    a: &dyn Store,
    b: &dyn Store,
    dates: Option<&BTreeSet<Date>>,
) -> Result<FactsComparison, StoreError> {
    let keep = |facts: Vec<(Date, Fact)>| -> BTreeMap<_, i64> {
        facts
            .into_iter()
            .filter(|(d, _)| dates.is_none_or(|s| s.contains(d)))
            .map(|(d, f)| ((d, f.region, f.origin, f.measure), f.value))
            .collect()
    };
    let left = keep(a.facts(Span::all())?);
    let right = keep(b.facts(Span::all())?);
    let mut out = FactsComparison {
        source: left.len(),
        target: right.len(),
        ..FactsComparison::default()
    };
    let keys: BTreeSet<_> = left.keys().chain(right.keys()).collect();
    for key in keys {
        let (l, r) = (left.get(key), right.get(key));
        if l != r {
            out.differences += 1;
            if out.first.is_none() {
                let show = |v: Option<&i64>| v.map_or("none".to_string(), |v| v.to_string());
                let (d, region, origin, measure) = key;
                out.first = Some(format!(
                    "{d} {region} {origin} {measure}: {} in the source, {} in the target",
                    show(l),
                    show(r)
                ));
            }
        }
    }
    Ok(out)
}

/// Compares the version lists of two stores (date, number, source, time, content hash,
/// summary); returns the first difference, if any.
pub fn compare_versions(a: &dyn Store, b: &dyn Store) -> Result<Option<String>, StoreError> {
    let (da, db) = (a.dates()?, b.dates()?);
    if da != db {
        return Ok(Some(format!(
            "the source has {} dates, the target {}",
            da.len(),
            db.len()
        )));
    }
    for date in da {
        let (va, vb) = (a.versions(date)?, b.versions(date)?);
        if va.len() != vb.len() {
            return Ok(Some(format!(
                "{date}: {} versions in the source, {} in the target",
                va.len(),
                vb.len()
            )));
        }
        if let Some((x, _)) = va.iter().zip(&vb).find(|(x, y)| x != y) {
            return Ok(Some(format!(
                "{date} version {} differs (source, recorded_at, content or summary)",
                x.version
            )));
        }
    }
    Ok(None)
}
