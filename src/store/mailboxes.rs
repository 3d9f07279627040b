//! Where each IMAP mailbox's intake stands: its UIDVALIDITY and the highest UID imported, moved
//! in the same transaction as the mail it took, so a kill never loses or doubles a mail.

use super::{now_millis, Result, Store};
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

    /// Run `import` (any store writes: mails, a ticket, a quarantined mail, a rating) and move the
    /// mailbox to `at` in one transaction: both are kept, or neither.
    pub fn import_at<T>(&self, mailbox: &str, at: MailboxPosition, import: impl FnOnce() -> Result<T>) -> Result<T> {
        // Each mail's import is a savepoint of this write: its journal stays in memory (a mail's
        // changed pages), where it spilled to a new temporary file for almost every mail.
        if self.conn.is_autocommit() {
            self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        }
        self.write(|conn| {
            let done = import()?;
            conn.prepare_cached(
                "INSERT INTO mailbox_positions (mailbox, uidvalidity, last_uid, updated_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (mailbox) DO UPDATE SET uidvalidity = ?2, last_uid = ?3, updated_at = ?4",
            )?
            .execute(params![mailbox, at.uidvalidity, at.last_uid, now_millis()])?;
            Ok(done)
        })
    }
}
