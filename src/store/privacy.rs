//! A customer's personal data: the surveys the desk mailed them (for an export, GDPR article 15),
//! and their erasure (article 17), which keeps their tickets' rows, statuses, times, events and
//! ratings' scores so reports still count them.

use super::audit::{record, AuditRow};
use super::{now_millis, Result, Store};
use crate::domain::Timestamp;
use rusqlite::{params, Connection};

/// A satisfaction survey mailed about one of a customer's tickets.
#[derive(Debug, Clone, PartialEq)]
pub struct Survey {
    pub message_id: String,
    pub ticket_id: i64,
    pub sent_at: Timestamp,
}

/// What an erasure removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erasure {
    pub customer: i64,
    pub tickets: usize,
    pub messages: usize,
    pub attachments: usize,
    /// Quarantined mails that named one of their addresses.
    pub quarantined: usize,
    /// Whether the write-ahead log could be emptied into the file afterwards (no reader held it):
    /// until then it keeps the pages as they were before.
    pub log_emptied: bool,
}

/// The audit log's fields whose values say nothing about the person: kept after an erasure.
const PLAIN_FIELDS: &[&str] =
    &["tier", "status", "priority", "assignee", "satisfaction", "snoozed_until", "customer_id"];

/// Tries to truncate the write-ahead log after an erasure (the last one 1.55 s after the first).
const TRUNCATE_TRIES: u32 = 6;

/// Index pages an erasure merges per write while it purges the search indexes' old segments.
const MERGE_PAGES: i64 = 1000;

impl Store {
    pub fn customer_surveys(&self, customer: i64) -> Result<Vec<Survey>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.message_id, s.ticket_id, s.sent_at FROM surveys s JOIN tickets t ON t.id = s.ticket_id
             WHERE t.customer_id = ?1 ORDER BY s.sent_at, s.message_id",
        )?;
        let rows = stmt.query_map([customer], |r| {
            Ok(Survey { message_id: r.get(0)?, ticket_id: r.get(1)?, sent_at: super::rows::time(r, 2)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Remove customer `id`'s personal data, recorded in the audit log as done by `actor`. Deleted
    /// content is overwritten in the file (`secure_delete`), the search and filter indexes are
    /// rebuilt without it, and the write-ahead log is emptied into the file when no one reads it.
    pub fn erase_customer(&self, id: i64, actor: &str) -> Result<Erasure> {
        self.customer(id)?;
        let before: i64 = self.conn.pragma_query_value(None, "secure_delete", |r| r.get(0))?;
        self.conn.pragma_update(None, "secure_delete", 1)?;
        let erased = self.write(|conn| erase(conn, id, actor)).and_then(|mut erased| {
            self.index_queued()?;
            for index in ["ticket_search", "ticket_filter"] {
                self.merge_all_segments(index)?;
            }
            erased.log_emptied = self.empty_log();
            Ok(erased)
        });
        let _ = self.conn.pragma_update(None, "secure_delete", before);
        erased
    }

    /// Merge the FTS5 table `index` into one segment, so no old segment keeps an erased
    /// customer's words, in short writes of `MERGE_PAGES` pages each (a whole `optimize` of a large
    /// desk's index would hold the write lock for seconds): the first one starts an incremental
    /// optimize, the next ones go on until one does no work (fewer than two changes).
    fn merge_all_segments(&self, index: &str) -> Result<()> {
        let sql = format!("INSERT INTO {index} ({index}, rank) VALUES ('merge', ?1)");
        let mut pages = -MERGE_PAGES;
        loop {
            let before = self.conn.total_changes();
            self.write(|conn| Ok(conn.execute(&sql, [pages])?))?;
            if pages > 0 && self.conn.total_changes() - before < 2 {
                return Ok(());
            }
            pages = MERGE_PAGES;
        }
    }

    /// Rewrite the whole file without its free space (`VACUUM`): old copies of rows written before
    /// content was zeroed as it was freed (by an older frontdesk) go too. As slow as a backup, and
    /// it needs as much free disk; other writers wait for it.
    pub fn rewrite_file(&self) -> Result<()> {
        self.check_writable()?;
        self.conn.execute_batch("VACUUM")?;
        self.empty_log();
        Ok(())
    }

    /// Copy the write-ahead log into the file and truncate it; false when readers kept it. The
    /// copy (PASSIVE) holds nobody up; each try to truncate waits only a moment for the readers
    /// of the moment, as writers wait meanwhile, and a few are made, further apart each time.
    fn empty_log(&self) -> bool {
        if self.path.as_os_str() == ":memory:" {
            return true;
        }
        let _ = self.conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        for attempt in 0..TRUNCATE_TRIES {
            if attempt > 0 {
                std::thread::sleep(std::time::Duration::from_millis(50 << (attempt - 1)));
            }
            let busy: rusqlite::Result<i64> =
                self.wal.waiting_briefly(|| self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0)));
            if matches!(busy, Ok(0)) {
                return true;
            }
        }
        false
    }
}

fn erase(conn: &Connection, id: i64, actor: &str) -> Result<Erasure> {
    let emails: Vec<String> = conn
        .prepare("SELECT lower(email) FROM customer_emails WHERE customer_id = ?1")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    conn.execute("INSERT OR IGNORE INTO erasing (customer_id) VALUES (?1)", [id])?;
    let tickets = "SELECT id FROM tickets WHERE customer_id = ?1";
    // A customer writes only on their own tickets (a ticket merge keeps to one customer); by
    // ticket the messages are read from their index, not by a scan of every message.
    let messages = format!("SELECT id FROM messages WHERE ticket_id IN ({tickets})");
    let count = |sql: &str| -> Result<usize> { Ok(conn.query_row(sql, [id], |r| r.get::<_, i64>(0))? as usize) };
    let mut erased = Erasure {
        customer: id,
        tickets: count(&format!("SELECT count(*) FROM ({tickets})"))?,
        messages: count(&format!("SELECT count(*) FROM ({messages})"))?,
        attachments: count(&format!("SELECT count(*) FROM attachments WHERE message_id IN ({messages})"))?,
        ..Erasure::default()
    };
    let name = format!("erased customer #{id}");
    conn.execute("UPDATE customers SET name = ?2, phone = NULL, notes = '' WHERE id = ?1", params![id, name])?;
    let statements = [
        "DELETE FROM customer_emails WHERE customer_id = ?1".to_string(),
        "DELETE FROM customer_tags WHERE customer_id = ?1".to_string(),
        format!("DELETE FROM attachments WHERE message_id IN ({messages})"),
        format!("DELETE FROM message_raw_headers WHERE message_id IN ({messages})"),
        format!("DELETE FROM message_addresses WHERE message_id IN ({messages})"),
        format!(
            "UPDATE messages SET body = '', sender_email = NULL, in_reply_to = NULL, email_references = NULL
             WHERE id IN ({messages})"
        ),
        // Mail not sent yet never goes; what was sent keeps its row, not its text.
        format!("DELETE FROM outbox WHERE sent_at IS NULL AND ticket_id IN ({tickets})"),
        format!("UPDATE outbox SET recipient = '', raw = X'' WHERE ticket_id IN ({tickets})"),
        format!("DELETE FROM drafts WHERE ticket_id IN ({tickets})"),
        // What an undo would put back (a rating's comment among it) goes with the text.
        format!("DELETE FROM undo_details WHERE event_id IN (SELECT id FROM events WHERE ticket_id IN ({tickets}))"),
        "UPDATE tickets SET subject = 'erased', satisfaction_comment = NULL, version = version + 1
         WHERE customer_id = ?1"
            .to_string(),
        "UPDATE ratings SET comment = '' WHERE customer_id = ?1".to_string(),
    ];
    for sql in &statements {
        conn.execute(sql, [id])?;
    }
    let plain = PLAIN_FIELDS.iter().map(|f| format!("'{f}'")).collect::<Vec<_>>().join(", ");
    let cleared = "old = CASE WHEN old IS NULL THEN NULL ELSE 'erased' END, \
                   new = CASE WHEN new IS NULL THEN NULL ELSE 'erased' END";
    conn.execute(
        // A ticket's `created` event holds its subject; its other events hold ids, states and tags.
        &format!("UPDATE events SET {cleared} WHERE ticket_id IN ({tickets}) AND field = 'created'"),
        [id],
    )?;
    conn.execute(&format!("UPDATE audit SET {cleared} WHERE customer_id = ?1 AND field NOT IN ({plain})"), [id])?;
    for email in &emails {
        erased.quarantined +=
            conn.execute("DELETE FROM quarantine WHERE instr(lower(CAST(raw AS TEXT)), ?1) > 0", [email])?;
    }
    conn.execute("DELETE FROM erasing WHERE customer_id = ?1", [id])?;
    let what = format!(
        "{} tickets, {} messages, {} attachments, {} quarantined mails",
        erased.tickets, erased.messages, erased.attachments, erased.quarantined
    );
    let subject = id.to_string();
    record(conn, &AuditRow::customer(actor, &subject, "erased", None, Some(&what)), now_millis())?;
    Ok(erased)
}
