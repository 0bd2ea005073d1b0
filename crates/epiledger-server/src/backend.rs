//! The server's access to the store: one writer thread that owns the write connection and
//! commits concurrent changes together (group commit), and a small pool of read connections
//! used from tokio's blocking threads.
//!
//! Everything goes through [`ReportingStore`], so that another backend (PostgreSQL) plugs in by
//! giving its own connections to [`Backend::new`].
//!
//! Durability: the writer answers a change only after its transaction committed. With SQLite
//! in WAL mode and `synchronous=NORMAL` (the store's default) a committed transaction is in the
//! WAL file in the operating system's page cache: it survives the process being killed at any
//! moment, and a transaction that did not commit is rolled back on the next open, whole. Only
//! an operating system crash or power loss can lose the last commits; `--durability full`
//! (`synchronous=FULL`) syncs every commit to the disk as well.

use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use chrono::Utc;
use epiledger_store::{ChangeError, ChangeRequest, Committed, ReportingStore, StoreError};
use tokio::sync::{oneshot, Semaphore};

use crate::error::ApiError;

/// A store connection.
pub type Conn = Box<dyn ReportingStore>;

struct Job {
    req: ChangeRequest,
    reply: oneshot::Sender<Result<Committed, ChangeError>>,
}

/// Called by the writer after each commit with the changes that committed.
pub type OnCommit = Box<dyn Fn(&[Committed]) + Send>;

/// The writer thread's handle.
pub struct Writer {
    tx: Mutex<Option<SyncSender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

/// How many changes wait for the writer before new ones are refused (503).
const QUEUE: usize = 8192;

impl Writer {
    /// Starts the writer thread over a connection; at most `max_batch` changes per commit.
    pub fn start(mut conn: Conn, max_batch: usize, on_commit: OnCommit) -> Writer {
        let (tx, rx) = mpsc::sync_channel::<Job>(QUEUE);
        let thread = std::thread::Builder::new()
            .name("epiledger-writer".into())
            .spawn(move || {
                let mut jobs: Vec<Job> = Vec::with_capacity(max_batch);
                loop {
                    match rx.recv() {
                        Ok(job) => jobs.push(job),
                        Err(_) => break, // every sender is gone: shut down
                    }
                    while jobs.len() < max_batch {
                        match rx.try_recv() {
                            Ok(job) => jobs.push(job),
                            Err(_) => break,
                        }
                    }
                    let (reqs, replies): (Vec<ChangeRequest>, Vec<_>) =
                        jobs.drain(..).map(|j| (j.req, j.reply)).unzip();
                    match conn.apply_changes(&reqs, Utc::now()) {
                        Ok(results) => {
                            let done: Vec<Committed> = results
                                .iter()
                                .filter_map(|r| r.as_ref().ok().cloned())
                                .collect();
                            if !done.is_empty() {
                                on_commit(&done);
                            }
                            for (reply, r) in replies.into_iter().zip(results) {
                                let _ = reply.send(r);
                            }
                        }
                        Err(e) => {
                            tracing::error!(error = %e, changes = reqs.len(), "commit failed");
                            let busy = matches!(e, StoreError::Busy { .. });
                            let msg = e.to_string();
                            for reply in replies {
                                let err = if busy {
                                    StoreError::Busy {
                                        location: msg.clone(),
                                    }
                                } else {
                                    StoreError::Database {
                                        location: String::new(),
                                        action: "committing".into(),
                                        source: msg.clone().into(),
                                    }
                                };
                                let _ = reply.send(Err(ChangeError::Store(err)));
                            }
                        }
                    }
                }
                tracing::info!("writer stopped: every acknowledged change is committed");
            })
            .expect("the writer thread starts");
        Writer {
            tx: Mutex::new(Some(tx)),
            thread: Mutex::new(Some(thread)),
        }
    }

    /// Applies a change; answers once it is committed (or refused).
    pub async fn apply(&self, req: ChangeRequest) -> Result<Committed, ApiError> {
        let (reply, rx) = oneshot::channel();
        let sender = self
            .tx
            .lock()
            .map_err(|_| ApiError::unavailable("the writer failed; restart the server"))?
            .clone()
            .ok_or_else(|| ApiError::unavailable("the server is shutting down; retry later"))?;
        match sender.try_send(Job { req, reply }) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                return Err(ApiError::unavailable(
                    "too many changes are waiting to be written; retry in a moment",
                ))
            }
            Err(TrySendError::Disconnected(_)) => {
                return Err(ApiError::unavailable(
                    "the writer stopped; restart the server",
                ))
            }
        }
        match rx.await {
            Ok(r) => r.map_err(ApiError::from),
            Err(_) => Err(ApiError::unavailable(
                "the writer stopped before answering; the change may not be stored: retry with \
                 the same Idempotency-Key",
            )),
        }
    }

    /// Stops accepting changes, lets the writer finish what it has and waits for it.
    pub fn shutdown(&self) {
        if let Ok(mut tx) = self.tx.lock() {
            tx.take();
        }
        let thread = self.thread.lock().ok().and_then(|mut t| t.take());
        if let Some(t) = thread {
            let _ = t.join();
        }
    }
}

tokio::task_local! {
    /// Whether the request under way is a public read (no token): set by the request
    /// middleware, so that [`Readers`] sends it to the public pool (a replica) when there is one.
    pub static PUBLIC_READ: bool;
}

/// A pool of read connections, and optionally a second pool for public reads (`--read-db`: a
/// replica, whose answers may lag the primary by its replication delay).
pub struct Readers {
    pool: Mutex<Vec<Conn>>,
    permits: Semaphore,
    public: Option<Arc<Readers>>,
    /// Whether short reads may run on the async worker ([`ReportingStore::reads_inline`]).
    inline: bool,
}

/// A connection taken from the pool, given back when dropped (also when a read panics).
struct Lease {
    readers: Arc<Readers>,
    conn: Option<Conn>,
}

impl Lease {
    fn conn(&self) -> &dyn ReportingStore {
        // Taken in `Readers::lease`, given back only in `drop`.
        &**self
            .conn
            .as_ref()
            .expect("a lease holds its connection until dropped")
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let (Some(conn), Ok(mut pool)) = (self.conn.take(), self.readers.pool.lock()) {
            pool.push(conn);
        }
        self.readers.permits.add_permits(1);
    }
}

impl Readers {
    /// A pool over these connections.
    pub fn new(conns: Vec<Conn>) -> Readers {
        let n = conns.len();
        let inline = conns.iter().all(|c| c.reads_inline());
        Readers {
            pool: Mutex::new(conns),
            permits: Semaphore::new(n),
            public: None,
            inline,
        }
    }

    /// A pool over `conns`, and public reads ([`PUBLIC_READ`]) over `public` if not empty.
    pub fn with_public(conns: Vec<Conn>, public: Vec<Conn>) -> Readers {
        let mut readers = Readers::new(conns);
        if !public.is_empty() {
            readers.public = Some(Arc::new(Readers::new(public)));
        }
        readers
    }

    /// The pool for the request under way.
    fn target(self: &Arc<Self>) -> &Arc<Readers> {
        match &self.public {
            Some(p) if PUBLIC_READ.try_with(|p| *p).unwrap_or(false) => p,
            _ => self,
        }
    }

    /// Takes a connection whose permit was acquired (and forgotten, to be given back by the
    /// lease).
    fn lease(self: &Arc<Self>) -> Result<Lease, ApiError> {
        let conn = self.pool.lock().ok().and_then(|mut p| p.pop());
        match conn {
            Some(conn) => Ok(Lease {
                readers: Arc::clone(self),
                conn: Some(conn),
            }),
            None => {
                self.permits.add_permits(1);
                Err(ApiError::unavailable(
                    "no database connection is available; retry",
                ))
            }
        }
    }

    /// Runs a read on a pooled connection, on a blocking thread: for reads of any size.
    pub async fn run<R, F>(self: &Arc<Self>, f: F) -> Result<R, ApiError>
    where
        F: FnOnce(&dyn ReportingStore) -> Result<R, ApiError> + Send + 'static,
        R: Send + 'static,
    {
        let this = self.target();
        this.permits
            .acquire()
            .await
            .map_err(|_| ApiError::unavailable("the server is shutting down"))?
            .forget();
        let lease = this.lease()?;
        match tokio::task::spawn_blocking(move || f(lease.conn())).await {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "a read failed");
                Err(ApiError::unavailable("the read failed; retry"))
            }
        }
    }

    /// Runs a short read (a few rows by an index) right here on the async worker when a
    /// connection is free, saving the hand-off to a blocking thread; else as [`Readers::run`].
    pub async fn quick<R, F>(self: &Arc<Self>, f: F) -> Result<R, ApiError>
    where
        F: FnOnce(&dyn ReportingStore) -> Result<R, ApiError> + Send + 'static,
        R: Send + 'static,
    {
        let this = self.target();
        if !this.inline {
            return this.run(f).await;
        }
        match this.permits.try_acquire() {
            Ok(permit) => {
                permit.forget();
                let lease = this.lease()?;
                f(lease.conn())
            }
            Err(_) => this.run(f).await,
        }
    }
}

/// The writer and the readers.
pub struct Backend {
    /// The writer.
    pub writer: Writer,
    /// The readers.
    pub readers: Arc<Readers>,
}

impl Backend {
    /// A backend over a write connection and read connections.
    pub fn new(writer: Conn, readers: Vec<Conn>, max_batch: usize, on_commit: OnCommit) -> Backend {
        Backend {
            writer: Writer::start(writer, max_batch, on_commit),
            readers: Arc::new(Readers::new(readers)),
        }
    }
}
