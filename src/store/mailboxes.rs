//! Where each IMAP mailbox's intake stands: its UIDVALIDITY and the highest UID imported, moved
//! in the same transaction as the mail it took, so a kill never loses or doubles a mail.

use super::{from_millis, now_millis, to_millis, Result, Store};
use crate::domain::Timestamp;
use rusqlite::{params, OptionalExtension};

/// How far a mailbox has been read: every mail up to `last_uid` under `uidvalidity` is on the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailboxPosition {
    pub uidvalidity: u32,
    pub last_uid: u32,
}

impl Store {
    /// The mailbox's position, `None` before its first mail.
    pub fn mailbox_position(&self, mailbox: &str) -> Result<Option<MailboxPosition>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT uidvalidity, last_uid FROM mailbox_positions WHERE mailbox = ?1")?;
        let row = stmt
            .query_row([mailbox], |r| Ok(MailboxPosition { uidvalidity: r.get(0)?, last_uid: r.get(1)? }))
            .optional()?;
        Ok(row)
    }

    /// Note that `ticket` came in by `mailbox` (for `report --by mailbox`); a ticket keeps the
    /// first mailbox it was noted with.
    pub fn note_mailbox(&self, ticket: i64, mailbox: &str) -> Result<()> {
        self.write(|conn| {
            conn.prepare_cached("INSERT OR IGNORE INTO ticket_mailboxes (ticket_id, mailbox) VALUES (?1, ?2)")?
                .execute(params![ticket, mailbox])?;
            Ok(())
        })
    }

    /// The mailbox `ticket` came in by, if it came by one.
    pub fn ticket_mailbox(&self, ticket: i64) -> Result<Option<String>> {
        let mut stmt = self.conn.prepare_cached("SELECT mailbox FROM ticket_mailboxes WHERE ticket_id = ?1")?;
        Ok(stmt.query_row([ticket], |r| r.get(0)).optional()?)
    }

    /// Run `import` (several mails' imports, each a savepoint of its own) in one transaction: all
    /// are kept, or none (`frontdesk import` commits its mails in groups).
    pub fn import_group<T>(&self, import: impl FnOnce() -> Result<T>) -> Result<T> {
        if self.conn.is_autocommit() {
            self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        }
        self.deferring_filter_index(import)
    }

    /// Run `import` (any store writes: mails, a ticket, a quarantined mail, a rating) and move the
    /// mailbox to `at` in one transaction: both are kept, or neither.
    pub fn import_at<T>(&self, mailbox: &str, at: MailboxPosition, import: impl FnOnce() -> Result<T>) -> Result<T> {
        // Each mail's import is a savepoint of this write: its journal stays in memory (a mail's
        // changed pages), where it spilled to a new temporary file for almost every mail.
        if self.conn.is_autocommit() {
            self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        }
        self.deferring_filter_index(|| {
            let done = import()?;
            self.conn
                .prepare_cached(
                    "INSERT INTO mailbox_positions (mailbox, uidvalidity, last_uid, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (mailbox) DO UPDATE SET uidvalidity = ?2, last_uid = ?3, updated_at = ?4",
                )?
                .execute(params![mailbox, at.uidvalidity, at.last_uid, now_millis()])?;
            Ok(done)
        })
    }
}

/// Why a mailbox is not being read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailboxProblem {
    pub mailbox: String,
    /// One sentence, as the log has it.
    pub problem: String,
    /// When the problem began (a problem that goes on keeps its first time).
    pub since: Timestamp,
    /// The service gave up on the mailbox until it restarts (a refused login, a missing folder).
    pub permanent: bool,
}

impl Store {
    /// The mailbox cannot be read: `problem`, and whether the service gave up on it.
    pub fn mailbox_failed(&self, mailbox: &str, problem: &str, permanent: bool) -> Result<()> {
        self.write(|conn| {
            conn.prepare_cached(
                "INSERT INTO mailbox_problems (mailbox, problem, since, permanent) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (mailbox) DO UPDATE SET problem = ?2, permanent = ?4",
            )?
            .execute(params![mailbox, problem, now_millis(), permanent])?;
            Ok(())
        })
    }

    /// The mailbox was read (or logged in): whatever kept it from being read is over.
    pub fn mailbox_read(&self, mailbox: &str) -> Result<()> {
        self.write(|conn| {
            conn.prepare_cached("DELETE FROM mailbox_problems WHERE mailbox = ?1")?.execute([mailbox])?;
            Ok(())
        })
    }

    /// A service starting forgets what the last one saw: it tries every mailbox again.
    pub fn forget_mailbox_problems(&self) -> Result<()> {
        self.write(|conn| {
            conn.execute("DELETE FROM mailbox_problems", [])?;
            Ok(())
        })
    }

    /// The problems that keep mailboxes from being read: each permanent one, and each passing
    /// one (a server that is down) that has gone on since before `lasting_since`.
    pub fn mailbox_problems(&self, lasting_since: Timestamp) -> Result<Vec<MailboxProblem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT mailbox, problem, since, permanent FROM mailbox_problems
             WHERE permanent OR since <= ?1 ORDER BY mailbox",
        )?;
        let rows = stmt.query_map([to_millis(lasting_since)], |r| {
            Ok(MailboxProblem {
                mailbox: r.get(0)?,
                problem: r.get(1)?,
                since: from_millis(r.get(2)?),
                permanent: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
