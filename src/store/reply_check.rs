//! Checking for newer messages before a reply: nothing is sent over what the agent has not seen.

use super::messages::{insert_message, read_message};
use super::rows::{self, MESSAGE_COLUMNS};
use super::tickets::read_ticket;
use super::{Result, Store, StoreError};
use crate::domain::{Message, MessageKind};
use rusqlite::{params, Connection};

impl Store {
    /// The newest customer message, reply or note on `ticket`, if any.
    pub fn last_message_id(&self, ticket: i64) -> Result<Option<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT max(id) FROM messages WHERE ticket_id = ?1 AND kind IN ('customer', 'reply', 'note')",
        )?;
        Ok(stmt.query_row([ticket], |r| r.get(0))?)
    }

    /// Add a message only when nothing newer than `last_seen` was written on the ticket; otherwise
    /// [`StoreError::NewerMessages`] names what came in. Checked and written in one transaction.
    pub fn add_message_unless_newer(
        &self,
        ticket: i64,
        kind: MessageKind,
        actor: &str,
        body: &str,
        last_seen: i64,
    ) -> Result<Message> {
        if body.trim().is_empty() {
            return Err(StoreError::Invalid("the message is empty".into()));
        }
        let id = self.write(|conn| {
            refuse_newer(conn, ticket, last_seen)?;
            insert_message(conn, ticket, kind, actor, body, None)
        })?;
        read_message(&self.conn, id)
    }
}

/// In the caller's write transaction: [`StoreError::NewerMessages`] when the ticket has a customer
/// message, reply or note newer than `last_seen`.
pub(crate) fn refuse_newer(conn: &Connection, ticket: i64, last_seen: i64) -> Result<()> {
    read_ticket(conn, ticket)?.ok_or(StoreError::TicketNotFound(ticket))?;
    let newer = newer_messages(conn, ticket, last_seen)?;
    if newer.is_empty() {
        Ok(())
    } else {
        Err(StoreError::NewerMessages { ticket, newer })
    }
}

fn newer_messages(conn: &Connection, ticket: i64, after: i64) -> Result<Vec<Message>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages m LEFT JOIN customers c ON c.id = m.author_customer
         WHERE m.ticket_id = ?1 AND m.id > ?2 AND m.kind IN ('customer', 'reply', 'note') ORDER BY m.id"
    ))?;
    let rows = stmt.query_map(params![ticket, after], rows::message)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
