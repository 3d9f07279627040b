//! Messages written at the desk, and what any new message does to its ticket.

use super::rows::{self, MESSAGE_COLUMNS};
use super::tickets::{apply_status, check_version, log_event, read_ticket};
use super::{now_millis, Result, Store, StoreError};
use crate::domain::{lifecycle, Message, MessageKind, Ticket};
use rusqlite::{params, Connection};

impl Store {
    /// Add a message to a ticket. A public reply records the first response and opens a new ticket;
    /// a customer message reopens a pending or solved one. With `expected_version`, a ticket changed
    /// since then is a conflict.
    pub fn add_message(
        &self,
        ticket_id: i64,
        kind: MessageKind,
        actor: &str,
        body: &str,
        expected_version: Option<i64>,
    ) -> Result<Message> {
        if body.trim().is_empty() {
            return Err(StoreError::Invalid("the message is empty".into()));
        }
        let id = self.write(|conn| insert_message(conn, ticket_id, kind, actor, body, expected_version))?;
        read_message(&self.conn, id)
    }
}

/// Add a message in the caller's transaction; see [`Store::add_message`].
pub(crate) fn insert_message(
    conn: &Connection,
    ticket_id: i64,
    kind: MessageKind,
    actor: &str,
    body: &str,
    expected_version: Option<i64>,
) -> Result<i64> {
    insert_message_at(conn, ticket_id, kind, actor, body, expected_version, now_millis())
}

/// [`insert_message`] at `now`, so that other changes of the same write log the same time (the
/// event log tells one write from the next by its actor and time).
pub(crate) fn insert_message_at(
    conn: &Connection,
    ticket_id: i64,
    kind: MessageKind,
    actor: &str,
    body: &str,
    expected_version: Option<i64>,
    now: i64,
) -> Result<i64> {
    let ticket = read_ticket(conn, ticket_id)?.ok_or(StoreError::TicketNotFound(ticket_id))?;
    if let Some(expected) = expected_version {
        check_version(conn, &ticket, expected)?;
    }
    let (login, customer) = match kind {
        MessageKind::Customer => (None, Some(ticket.customer_id)),
        _ => (Some(actor), None),
    };
    conn.prepare_cached(
        "INSERT INTO messages (ticket_id, kind, author_login, author_customer, body, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![ticket_id, kind.as_str(), login, customer, body, now])?;
    let message_id = conn.last_insert_rowid();
    log_event(conn, ticket_id, actor, kind.as_str(), None, Some(&message_id.to_string()), now)?;
    apply_message_effect(conn, &ticket, kind, actor, now, now)?;
    super::tickets::bump_version(conn, ticket_id, now)?;
    Ok(message_id)
}

/// What a new message of `kind`, written at `message_at`, does to its ticket, by the rules of
/// [`lifecycle::after_message`] and [`lifecycle::wait_after_message`]: its status, its snooze,
/// its first response time, whether the customer waits on us.
pub(crate) fn apply_message_effect(
    conn: &Connection,
    ticket: &Ticket,
    kind: MessageKind,
    actor: &str,
    now: i64,
    message_at: i64,
) -> Result<()> {
    let effect = lifecycle::after_message(ticket.status, kind, ticket.first_response_at.is_some());
    apply_status(conn, ticket, effect.status, actor, now)?;
    super::waiting::after_message(conn, ticket.id, kind, message_at, effect.status.unwrap_or(ticket.status))?;
    if effect.ends_snooze {
        conn.prepare_cached("UPDATE tickets SET snoozed_until = NULL WHERE id = ?1 AND snoozed_until IS NOT NULL")?
            .execute([ticket.id])?;
    }
    if effect.first_response {
        conn.prepare_cached("UPDATE tickets SET first_response_at = ?1 WHERE id = ?2")?
            .execute(params![now, ticket.id])?;
    }
    Ok(())
}

/// One message, as its conversation shows it.
pub(crate) fn read_message(conn: &Connection, id: i64) -> Result<Message> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages m LEFT JOIN customers c ON c.id = m.author_customer WHERE m.id = ?1"
    ))?;
    Ok(stmt.query_row([id], rows::message)?)
}
