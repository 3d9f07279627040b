//! Attachments kept with the messages they came with, and what the conversation shows of a ticket's mail.

use super::{Result, Store, StoreError};
use crate::domain::{AttachmentInfo, Delivery, TicketMail};
use rusqlite::{Connection, OptionalExtension};

/// What the conversation shows of a ticket's mail: each message's thread rule, Cc and Bcc,
/// attachments and delivery, and the ticket it follows.
fn ticket_mail(conn: &Connection, ticket: i64) -> Result<TicketMail> {
    let mut mail = mail_parts(conn, ticket)?;
    let mut stmt =
        conn.prepare_cached("SELECT id, thread_rule FROM messages WHERE ticket_id = ?1 AND thread_rule IS NOT NULL")?;
    for row in stmt.query_map([ticket], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (id, rule) = row?;
        mail.messages.entry(id).or_default().thread_rule = Some(rule);
    }
    Ok(mail)
}

/// All of [`ticket_mail`] but the thread rules, which a conversation's read of its messages
/// brings with each row.
pub(crate) fn mail_parts(conn: &Connection, ticket: i64) -> Result<TicketMail> {
    let mut mail = TicketMail::default();
    let mut stmt = conn.prepare_cached(
        "SELECT a.message_id, a.cc, a.bcc FROM message_addresses a JOIN messages m ON m.id = a.message_id
         WHERE m.ticket_id = ?1 AND (a.cc IS NOT NULL OR a.bcc IS NOT NULL)",
    )?;
    let rows = stmt.query_map([ticket], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, Option<String>>(2)?))
    })?;
    for row in rows {
        let (id, cc, bcc) = row?;
        let lines = |v: Option<String>| v.map(|v| v.lines().map(str::to_string).collect()).unwrap_or_default();
        let entry = mail.messages.entry(id).or_default();
        (entry.cc, entry.bcc) = (lines(cc), lines(bcc));
    }
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.message_id, a.name, a.content_type, a.size, a.inline
         FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.ticket_id = ?1 ORDER BY a.id",
    )?;
    for row in stmt.query_map([ticket], attachment_row)? {
        let a = row?;
        mail.messages.entry(a.message_id).or_default().attachments.push(a);
    }
    let mut stmt = conn.prepare_cached("SELECT message_id, sent_at, last_error FROM outbox WHERE ticket_id = ?1")?;
    let rows = stmt.query_map([ticket], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?, r.get::<_, Option<String>>(2)?))
    })?;
    for row in rows {
        let (id, sent, error) = row?;
        let delivery = match (sent, error) {
            (Some(_), _) => Delivery::Sent,
            (None, Some(e)) => Delivery::Failed(e),
            (None, None) => Delivery::Waiting,
        };
        mail.messages.entry(id).or_default().delivery = Some(delivery);
    }
    super::outbox::add_retries(conn, ticket, &mut mail)?;
    mail.follows = conn
        .prepare_cached("SELECT follows FROM ticket_follow_ups WHERE ticket_id = ?1")?
        .query_row([ticket], |r| r.get(0))
        .optional()?;
    Ok(mail)
}

fn attachment_row(r: &rusqlite::Row) -> rusqlite::Result<AttachmentInfo> {
    Ok(AttachmentInfo {
        id: r.get(0)?,
        message_id: r.get(1)?,
        name: r.get(2)?,
        content_type: r.get(3)?,
        size: r.get::<_, i64>(4)? as u64,
        inline: r.get(5)?,
    })
}

impl Store {
    pub fn ticket_mail(&self, ticket: i64) -> Result<TicketMail> {
        ticket_mail(&self.conn, ticket)
    }

    /// One attachment with its bytes.
    pub fn attachment(&self, id: i64) -> Result<(AttachmentInfo, Vec<u8>)> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, message_id, name, content_type, size, inline, data FROM attachments WHERE id = ?1",
        )?;
        let found = stmt.query_row([id], |r| Ok((attachment_row(r)?, r.get::<_, Vec<u8>>(6)?))).optional()?;
        found.ok_or_else(|| StoreError::Invalid(format!("attachment {id} does not exist")))
    }
}
