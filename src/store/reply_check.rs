//! Checking for newer messages before a reply: nothing is sent over what the agent has not seen.
//! A reply may change its ticket too (solve it, set it pending): guard, message and change are one
//! write.

use super::messages::{insert_message, insert_message_at, read_message};
use super::rows::{self, MESSAGE_COLUMNS};
use super::tickets::{apply_change, read_ticket};
use super::{now_millis, Result, Store, StoreError};
use crate::domain::{Message, MessageKind, SeenTicket, Ticket, TicketChange};
use rusqlite::{params, Connection};

impl Store {
    /// The newest customer message, reply or note on `ticket`, if any.
    pub fn last_message_id(&self, ticket: i64) -> Result<Option<i64>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT max(id) FROM messages WHERE ticket_id = ?1 AND kind <> 'system'")?;
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

    /// Add a reply or note and apply `change` to its ticket (status, priority, assignee, tags,
    /// each logged as [`Store::update_ticket`] logs them) in one write transaction. With
    /// `last_seen`, a customer message, reply or note newer than that one stops it
    /// ([`StoreError::NewerMessages`]). If any part fails, nothing is written. Returns the message
    /// and the ticket as it now is.
    pub fn reply_and_change(
        &self,
        ticket: i64,
        kind: MessageKind,
        actor: &str,
        body: &str,
        seen: impl Into<SeenTicket>,
        change: &TicketChange,
    ) -> Result<(Message, Ticket)> {
        if body.trim().is_empty() {
            return Err(StoreError::Invalid("the message is empty".into()));
        }
        let seen = seen.into();
        let id = self.write(|conn| {
            refuse_unseen(conn, ticket, seen, change)?;
            insert_with_change(conn, ticket, kind, actor, body, change)
        })?;
        Ok((read_message(&self.conn, id)?, self.ticket(ticket)?))
    }
}

/// In the caller's write transaction: the message, then `change` on the ticket as the message
/// left it, all logged at one time (one write, one version). Returns the message's id.
pub(crate) fn insert_with_change(
    conn: &Connection,
    ticket: i64,
    kind: MessageKind,
    actor: &str,
    body: &str,
    change: &TicketChange,
) -> Result<i64> {
    let now = now_millis();
    let id = insert_message_at(conn, ticket, kind, actor, body, None, now)?;
    if !change.is_empty() {
        let current = read_ticket(conn, ticket)?.ok_or(StoreError::TicketNotFound(ticket))?;
        // The message bumped the version and the time already: this write counts once.
        apply_change(conn, &current, change, actor, now)?;
    }
    Ok(id)
}

/// In the caller's write transaction: the reply guard (nothing newer than the last message seen),
/// and for a message that changes the ticket, the version seen ([`StoreError::Conflict`]).
pub(crate) fn refuse_unseen(conn: &Connection, ticket: i64, seen: SeenTicket, change: &TicketChange) -> Result<()> {
    if let Some(last_seen) = seen.last_message {
        refuse_newer(conn, ticket, last_seen)?;
    }
    if let Some(version) = seen.version.filter(|_| !change.is_empty()) {
        let current = read_ticket(conn, ticket)?.ok_or(StoreError::TicketNotFound(ticket))?;
        super::tickets::check_version(conn, &current, version)?;
    }
    Ok(())
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
         WHERE m.ticket_id = ?1 AND m.id > ?2 AND m.kind <> 'system' ORDER BY m.id"
    ))?;
    let rows = stmt.query_map(params![ticket, after], rows::message)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
