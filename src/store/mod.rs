//! The repository layer: the only module that speaks SQL.

mod agents;
mod arrivals;
mod attachments;
mod audit;
pub mod bulk;
mod bulk_change;
mod check;
mod claims;
mod counts;
mod created_bounds;
mod customer_import;
mod customer_records;
mod customers;
mod drafts;
mod due;
mod error;
mod file;
mod filter_index;
mod location;
mod mail;
mod mailboxes;
mod merge;
mod messages;
mod migrations;
mod organization_domains;
mod organizations;
mod outbox;
pub mod postgres;
mod presence;
mod privacy;
mod quarantine;
mod ratings;
mod raw_headers;
mod reply_check;
mod report;
mod report_facts;
mod report_tiers;
mod rows;
mod rules;
pub mod search;
mod search_sets;
pub mod search_terms;
mod service;
mod sla;
mod snoozes;
mod stale_pending;
mod tags;
mod tickets;
mod tier_priority;
mod undo;
pub mod url;
mod waiting;
mod wal;

pub use bulk_change::ChangeOutcomes;
pub use check::Backup;
pub use counts::CountDrift;
pub use customer_import::{CustomerLine, LinePlan};
pub use due::DUE_BATCH;
pub use error::{DatabaseError, StoreError};
pub use filter_index::{FilterHit, FILTER_INDEX_BATCH};
pub use mail::MAIL_ACTOR;
pub use mailboxes::{MailboxPosition, MailboxProblem};
pub use organizations::OrganizationSummary;
pub use outbox::{OutboxEntry, OutgoingMail, ReplyContext, QUEUED_GRACE_MILLIS};
pub use privacy::{Erasure, Survey};
pub use quarantine::QuarantinedMail;
pub use report_facts::FactsDrift;
pub use rules::Applied as RuleApplied;
pub use service::ServiceState;

use crate::domain::Timestamp;
use chrono::{TimeZone, Utc};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};

pub type Result<T> = std::result::Result<T, StoreError>;

/// An open frontdesk database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Set when the file was written by a newer frontdesk: reads work, writes are refused.
    too_new: Option<i64>,
    /// The WAL's size after this connection's commits, to start it over when it grows.
    wal: wal::WalWatch,
    /// The largest filter set a search narrows its matches by ([`search_sets::SET_UP_TO`]).
    search_sets_up_to: usize,
}

impl Store {
    /// Open (creating if needed) the database at `path` and bring its schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| {
                StoreError::Invalid(format!("cannot create the folder {} for the database: {e}", parent.display()))
            })?;
        }
        file::refuse_network_filesystem(path)?;
        file::create_private(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| StoreError::Open { path: path.to_path_buf(), source: DatabaseError::new(e) })?;
        Self::configure(conn, path)
    }

    /// A private in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Self::configure(Connection::open_in_memory()?, Path::new(":memory:"))
    }

    fn configure(mut conn: Connection, path: &Path) -> Result<Store> {
        let lock_wait = wal::LockWait::new(wal::BUSY_TIMEOUT);
        conn.busy_handler(Some(wal::wait_for_lock(lock_wait.clone())))?;
        let check = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => {
                StoreError::Invalid(format!("{} is not a frontdesk database", path.display()))
            }
            _ => StoreError::from(e),
        };
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |_| Ok(())).map_err(check)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Content freed inside a page is zeroed as it is freed (no extra I/O), so an old copy of a
        // row (a name, an address) does not linger in the file for an erasure to miss.
        conn.pragma_update(None, "secure_delete", "FAST")?;
        // A conversation alone prepares more statements than the default cache of 16 holds: with
        // it, opening one re-prepared its queries every time (p50 0.54 ms, 0.28 ms with room).
        conn.set_prepared_statement_cache_capacity(64);
        let wal = wal::WalWatch::install(&mut conn, lock_wait)?;
        let mut store =
            Store { conn, path: path.to_path_buf(), too_new: None, wal, search_sets_up_to: search_sets::SET_UP_TO };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        let known = migrations::MIGRATIONS.len() as i64;
        let mut current: i64 = self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if current > known {
            self.too_new = Some(current);
            return Ok(());
        }
        while current < known {
            self.write(|conn| {
                // Another process may have migrated while we waited for the lock.
                let now: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
                if now == current {
                    conn.execute_batch(migrations::MIGRATIONS[current as usize])?;
                    conn.pragma_update(None, "user_version", current + 1)?;
                }
                Ok(())
            })?;
            current = self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A counter that changes when another connection commits (cheap: no transaction).
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// Writes are refused on a database written by a newer frontdesk.
    pub(crate) fn check_writable(&self) -> Result<()> {
        match self.too_new {
            Some(found) => {
                Err(StoreError::TooNew { path: self.path.clone(), found, known: migrations::MIGRATIONS.len() as i64 })
            }
            None => Ok(()),
        }
    }

    /// How SQLite reads `sql` with `params` (`EXPLAIN QUERY PLAN`, one line a step): for the tests
    /// that hold a query to its index.
    fn query_plan(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let rows = stmt.query_map(params, |r| r.get::<_, String>(3))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Run several reads on one snapshot of the database: what they return agrees with itself
    /// even while others write. It is also cheaper: SQLite drops a connection's page cache at the
    /// start of each read after another connection's commit, and with agents writing all the time
    /// each statement of its own would start cold. Inside a transaction, `f` just runs in it.
    pub(crate) fn read<T>(&self, f: impl FnOnce() -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return f();
        }
        self.conn.execute_batch("BEGIN")?;
        let result = f();
        // Nothing was written: ending the transaction only lets go of the snapshot.
        let _ = self.conn.execute_batch("COMMIT");
        result
    }

    /// Run `f` in a `BEGIN IMMEDIATE` transaction: commit on `Ok`, roll back on `Err`. Inside an
    /// outer write (a mail imported with its mailbox's position) it is a savepoint of that one.
    fn write<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.check_writable()?;
        if !self.conn.is_autocommit() {
            return self.savepoint(f);
        }
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        match f(&self.conn) {
            Ok(value) => match self.conn.execute_batch("COMMIT") {
                Ok(()) => {
                    self.wal.after_commit(&self.conn, &self.path);
                    Ok(value)
                }
                Err(e) => {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    Err(e.into())
                }
            },
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }
}

impl Store {
    /// `f` as a part of the write under way: undone alone on `Err`, kept with the rest on `Ok`.
    fn savepoint<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("SAVEPOINT part")?;
        let result = f(&self.conn);
        if result.is_err() {
            let _ = self.conn.execute_batch("ROLLBACK TO part");
        }
        self.conn.execute_batch("RELEASE part")?;
        result
    }
}

/// Times are stored as Unix milliseconds: compact, and ordered like the times they are.
pub(crate) fn to_millis(t: Timestamp) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn from_millis(ms: i64) -> Timestamp {
    Utc.timestamp_millis_opt(ms).single().unwrap_or_default()
}

pub(crate) fn now_millis() -> i64 {
    Utc::now().timestamp_millis()
}
