//! Replies that leave as mail: queued with the reply in one transaction, marked sent or failed.

use super::messages::read_message;
use super::rows;
use super::tickets::read_ticket;
use super::{now_millis, Result, Store, StoreError};
use crate::domain::{Message, MessageKind, Ticket, TicketChange};
use rusqlite::{params, OptionalExtension};

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
}

const COLUMNS: &str = "id, message_id, ticket_id, recipient, attempts, last_error, created_at, sent_at";

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
            conn.execute(
                "UPDATE messages SET email_message_id = ?1, in_reply_to = ?2, email_references = ?3 WHERE id = ?4",
                params![
                    mail.message_id,
                    mail.in_reply_to,
                    (!mail.references.is_empty()).then(|| mail.references.join(" ")),
                    id
                ],
            )?;
            store_addresses_and_files(conn, id, mail)?;
            conn.execute(
                "INSERT INTO outbox (message_id, ticket_id, recipient, raw, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, ticket, mail.recipient, mail.raw, now_millis()],
            )?;
            Ok((id, conn.last_insert_rowid()))
        })?;
        Ok((read_message(&self.conn, id)?, self.ticket(ticket)?, outbox))
    }

    /// Outbox entries: the unsent ones, or all of them.
    pub fn outbox(&self, include_sent: bool) -> Result<Vec<OutboxEntry>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM outbox WHERE ?1 OR sent_at IS NULL ORDER BY id"))?;
        let rows = stmt.query_map([include_sent], entry)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn outbox_mail(&self, id: i64) -> Result<(OutboxEntry, Vec<u8>)> {
        let sql = format!("SELECT {COLUMNS}, raw FROM outbox WHERE id = ?1");
        let found = self.conn.query_row(&sql, [id], |r| Ok((entry(r)?, r.get::<_, Vec<u8>>(8)?))).optional()?;
        found.ok_or_else(|| StoreError::Invalid(format!("outbox entry {id} does not exist")))
    }

    /// Record one delivery attempt: `Ok` marks it sent, `Err` keeps it waiting with the error.
    pub fn record_delivery(&self, id: i64, result: std::result::Result<(), &str>) -> Result<()> {
        self.write(|conn| {
            let now = now_millis();
            match result {
                Ok(()) => conn.execute(
                    "UPDATE outbox SET attempts = attempts + 1, sent_at = ?1, last_error = NULL WHERE id = ?2",
                    params![now, id],
                )?,
                Err(e) => conn.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ?1 WHERE id = ?2",
                    params![e, id],
                )?,
            };
            Ok(())
        })
    }
}
