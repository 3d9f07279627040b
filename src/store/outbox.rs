//! Replies that leave as mail: queued with the reply in one transaction, marked sent or failed,
//! and tried again later (`outbox_retries`) by the desk service when they failed.

use super::messages::read_message;
use super::rows;
use super::tickets::read_ticket;
use super::{from_millis, now_millis, to_millis, Result, Store, StoreError};
use crate::domain::delivery::retry_delay;
use crate::domain::{DeliveryRetry, Message, MessageKind, Ticket, TicketChange, TicketMail, Timestamp};
use rusqlite::{params, Connection, OptionalExtension};

/// How long the desk service leaves a newly queued mail to the process that queued it (the
/// console's mail worker, `ticket reply`), which delivers it at once: an SMTP attempt gives up
/// after 30 s, so the two never send the same mail.
pub const QUEUED_GRACE_MILLIS: i64 = 120_000;

/// What a reply needs to thread in the customer's mail client.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplyContext {
    pub ticket: Ticket,
    /// Every Message-ID of the ticket, oldest first.
    pub references: Vec<String>,
    /// The Message-ID of the newest mail on the ticket.
    pub in_reply_to: Option<String>,
    /// The Reply-To of the customer's last message, when it had one: where the answer goes.
    pub reply_to: Option<String>,
}

/// A reply rendered as mail, to be stored with it.
#[derive(Debug, Clone, PartialEq)]
pub struct OutgoingMail {
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// Every envelope recipient (To, Cc and Bcc), joined by ", ".
    pub recipient: String,
    pub raw: Vec<u8>,
    pub cc: Vec<String>,
    pub bcc: Vec<String>,
    /// Stored as the reply's attachments.
    pub attachments: Vec<crate::domain::mail::MailAttachment>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    pub id: i64,
    pub message_id: i64,
    pub ticket_id: i64,
    pub recipient: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: crate::domain::Timestamp,
    pub sent_at: Option<crate::domain::Timestamp>,
    /// When the desk service tries it (again); none for mail queued before the service existed (due now).
    pub next_try_at: Option<crate::domain::Timestamp>,
}

const COLUMNS: &str =
    "o.id, o.message_id, o.ticket_id, o.recipient, o.attempts, o.last_error, o.created_at, o.sent_at, r.next_try_at";
const FROM: &str = "outbox o LEFT JOIN outbox_retries r ON r.outbox_id = o.id";

fn entry(r: &rusqlite::Row) -> rusqlite::Result<OutboxEntry> {
    Ok(OutboxEntry {
        id: r.get(0)?,
        message_id: r.get(1)?,
        ticket_id: r.get(2)?,
        recipient: r.get(3)?,
        attempts: r.get(4)?,
        last_error: r.get(5)?,
        created_at: rows::time(r, 6)?,
        sent_at: rows::opt_time(r, 7)?,
        next_try_at: rows::opt_time(r, 8)?,
    })
}

/// A reply's Cc and Bcc (one address a line) and its attachments, beside the reply.
fn store_addresses_and_files(conn: &rusqlite::Connection, id: i64, mail: &OutgoingMail) -> Result<()> {
    let lines = |list: &[String]| (!list.is_empty()).then(|| list.join("\n"));
    if !(mail.cc.is_empty() && mail.bcc.is_empty()) {
        conn.execute(
            "INSERT INTO message_addresses (message_id, cc, bcc) VALUES (?1, ?2, ?3)",
            params![id, lines(&mail.cc), lines(&mail.bcc)],
        )?;
    }
    let mut stmt = conn.prepare_cached(
        "INSERT INTO attachments (message_id, name, content_type, size, inline, content_id, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for a in &mail.attachments {
        stmt.execute(params![id, a.name, a.content_type, a.data.len() as i64, a.inline, a.content_id, a.data])?;
    }
    Ok(())
}

impl Store {
    pub fn reply_context(&self, ticket: i64) -> Result<ReplyContext> {
        let ticket = read_ticket(&self.conn, ticket)?.ok_or(StoreError::TicketNotFound(ticket))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT email_message_id FROM messages WHERE ticket_id = ?1 AND email_message_id IS NOT NULL
             ORDER BY created_at, id",
        )?;
        let references = stmt.query_map([ticket.id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        let in_reply_to = references.last().cloned();
        let reply_to = self
            .conn
            .prepare_cached(
                "SELECT a.reply_to FROM messages m LEFT JOIN message_addresses a ON a.message_id = m.id
                 WHERE m.ticket_id = ?1 AND m.kind = 'customer' ORDER BY m.created_at DESC, m.id DESC LIMIT 1",
            )?
            .query_row([ticket.id], |r| r.get::<_, Option<String>>(0))
            .optional()?
            .flatten();
        Ok(ReplyContext { ticket, references, in_reply_to, reply_to })
    }

    /// Store a public reply and queue it as mail, in one transaction, with `change` applied to
    /// the ticket in the same transaction (see [`Store::reply_and_change`]). With `last_seen`, a
    /// customer message, reply or note newer than that one stops it ([`StoreError::NewerMessages`]),
    /// checked in the same transaction, so nothing can come in between the check and the reply.
    /// Returns the reply, the ticket as it now is and the outbox entry.
    pub fn add_reply_with_mail(
        &self,
        ticket: i64,
        actor: &str,
        body: &str,
        seen: impl Into<crate::domain::SeenTicket>,
        mail: &OutgoingMail,
        change: Option<&TicketChange>,
    ) -> Result<(Message, Ticket, i64)> {
        if body.trim().is_empty() {
            return Err(StoreError::Invalid("the message is empty".into()));
        }
        let seen = seen.into();
        let (id, outbox) = self.write(|conn| {
            let no_change = TicketChange::default();
            let change = change.unwrap_or(&no_change);
            super::reply_check::refuse_unseen(conn, ticket, seen, change)?;
            let id = super::reply_check::insert_with_change(conn, ticket, MessageKind::Reply, actor, body, change)?;
            store_addresses_and_files(conn, id, mail)?;
            let now = now_millis();
            let outbox = queue_mail(conn, ticket, id, mail, now, now + QUEUED_GRACE_MILLIS)?;
            Ok((id, outbox))
        })?;
        Ok((read_message(&self.conn, id)?, self.ticket(ticket)?, outbox))
    }

    /// Outbox entries: the unsent ones, or all of them.
    pub fn outbox(&self, include_sent: bool) -> Result<Vec<OutboxEntry>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE ?1 OR o.sent_at IS NULL ORDER BY o.id"))?;
        let rows = stmt.query_map([include_sent], entry)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn outbox_mail(&self, id: i64) -> Result<(OutboxEntry, Vec<u8>)> {
        let sql = format!("SELECT {COLUMNS}, o.raw FROM {FROM} WHERE o.id = ?1");
        let found = self.conn.query_row(&sql, [id], |r| Ok((entry(r)?, r.get::<_, Vec<u8>>(9)?))).optional()?;
        found.ok_or_else(|| StoreError::Invalid(format!("outbox entry {id} does not exist")))
    }

    /// Record one delivery attempt: `Ok` marks it sent, `Err` keeps it waiting with the error,
    /// to be tried again after a wait that doubles with each failure ([`retry_delay`]).
    pub fn record_delivery(&self, id: i64, result: std::result::Result<(), &str>) -> Result<()> {
        self.write(|conn| {
            let now = now_millis();
            match result {
                Ok(()) => {
                    conn.execute(
                        "UPDATE outbox SET attempts = attempts + 1, sent_at = ?1, last_error = NULL WHERE id = ?2",
                        params![now, id],
                    )?;
                    conn.execute("DELETE FROM outbox_retries WHERE outbox_id = ?1", [id])?;
                }
                Err(e) => {
                    conn.execute(
                        "UPDATE outbox SET attempts = attempts + 1, last_error = ?1 WHERE id = ?2",
                        params![e, id],
                    )?;
                    let attempts: Option<i64> =
                        conn.query_row("SELECT attempts FROM outbox WHERE id = ?1", [id], |r| r.get(0)).optional()?;
                    if let Some(attempts) = attempts {
                        let wait = retry_delay(attempts).as_millis() as i64;
                        set_next_try(conn, id, now + wait)?;
                    }
                }
            }
            Ok(())
        })
    }

    /// Unsent mail whose next try is due at `now`, oldest first, at most `limit`.
    pub fn due_outbox(&self, now: Timestamp, limit: usize) -> Result<Vec<OutboxEntry>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE o.sent_at IS NULL AND coalesce(r.next_try_at, 0) <= ?1
             ORDER BY o.id LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![to_millis(now), limit as i64], entry)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// When the next unsent mail is to be tried (a time past for one due already), if any waits.
    pub fn next_outbox_try(&self) -> Result<Option<Timestamp>> {
        let next: Option<i64> = self
            .conn
            .prepare_cached(&format!("SELECT min(coalesce(r.next_try_at, 0)) FROM {FROM} WHERE o.sent_at IS NULL"))?
            .query_row([], |r| r.get(0))?;
        Ok(next.map(from_millis))
    }

    /// How many unsent mails were queued at or before `queued_by`: mail that has waited.
    pub fn outbox_waiting(&self, queued_by: Timestamp) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND created_at <= ?1")?
            .query_row([to_millis(queued_by)], |r| r.get(0))?)
    }
}

pub(super) fn set_next_try(conn: &Connection, outbox: i64, at: i64) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO outbox_retries (outbox_id, next_try_at) VALUES (?1, ?2)
         ON CONFLICT (outbox_id) DO UPDATE SET next_try_at = excluded.next_try_at",
    )?
    .execute(params![outbox, at])?;
    Ok(())
}

/// The attempts, next try and last error of each of the ticket's replies whose mail failed.
pub(crate) fn add_retries(conn: &Connection, ticket: i64, mail: &mut TicketMail) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT o.message_id, o.attempts, r.next_try_at, o.last_error FROM {FROM}
         WHERE o.ticket_id = ?1 AND o.sent_at IS NULL AND o.last_error IS NOT NULL"
    ))?;
    let rows = stmt.query_map([ticket], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, Option<i64>>(2)?, r.get::<_, String>(3)?))
    })?;
    for row in rows {
        let (message, attempts, next, last_error) = row?;
        let retry = DeliveryRetry { attempts, next_try: next.map(from_millis), last_error };
        mail.messages.entry(message).or_default().retry = Some(retry);
    }
    Ok(())
}

/// In the caller's write: message `id` of `ticket` goes out as `mail`, its headers on the message
/// and its bytes in the outbox, first tried at `first_try`. Returns the outbox entry.
pub(super) fn queue_mail(
    conn: &Connection,
    ticket: i64,
    id: i64,
    mail: &OutgoingMail,
    now: i64,
    first_try: i64,
) -> Result<i64> {
    conn.execute(
        "UPDATE messages SET email_message_id = ?1, in_reply_to = ?2, email_references = ?3 WHERE id = ?4",
        params![
            mail.message_id,
            mail.in_reply_to,
            (!mail.references.is_empty()).then(|| mail.references.join(" ")),
            id
        ],
    )?;
    conn.execute(
        "INSERT INTO outbox (message_id, ticket_id, recipient, raw, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, ticket, mail.recipient, mail.raw, now],
    )?;
    let outbox = conn.last_insert_rowid();
    set_next_try(conn, outbox, first_try)?;
    Ok(outbox)
}
