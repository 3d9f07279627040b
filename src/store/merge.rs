//! Merging two customers (one person, two addresses) and two tickets (one problem, twice).
//! Everything moved is recorded in the event log; internal notes stay internal.

use super::tickets::{log_event, read_ticket};
use super::{now_millis, Result, Store, StoreError};
use crate::domain::{Customer, Status, Ticket};
use rusqlite::{params, Connection};

impl Store {
    /// Move everything of customer `from` (addresses, tickets, messages, ratings, tags, notes) to
    /// customer `into`, then remove `from`. Each moved ticket logs the change of customer.
    pub fn merge_customers(&self, from: i64, into: i64, actor: &str) -> Result<Customer> {
        if from == into {
            return Err(StoreError::Invalid("a customer cannot be merged into itself".into()));
        }
        let (old, _) = (self.customer(from)?, self.customer(into)?);
        self.write(|conn| {
            let now = now_millis();
            let tickets: Vec<i64> = conn
                .prepare("SELECT id FROM tickets WHERE customer_id = ?1 ORDER BY id")?
                .query_map([from], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            conn.execute("UPDATE tickets SET customer_id = ?1, version = version + 1 WHERE customer_id = ?2", [into, from])?;
            for id in &tickets {
                log_event(conn, *id, actor, "customer_id", Some(&from.to_string()), Some(&into.to_string()), now)?;
            }
            conn.execute("UPDATE messages SET author_customer = ?1 WHERE author_customer = ?2", [into, from])?;
            conn.execute("UPDATE ratings SET customer_id = ?1 WHERE customer_id = ?2", [into, from])?;
            conn.execute(
                "INSERT OR IGNORE INTO customer_tags (customer_id, tag) SELECT ?1, tag FROM customer_tags WHERE customer_id = ?2",
                [into, from],
            )?;
            if !old.notes.trim().is_empty() {
                conn.execute(
                    "UPDATE customers SET notes = trim(notes || char(10) || ?1, char(10) || ' ') WHERE id = ?2",
                    params![old.notes.trim(), into],
                )?;
            }
            // Removed and added again (not updated) so the search index hears of both.
            conn.execute("DELETE FROM customer_emails WHERE customer_id = ?1", [from])?;
            for (i, email) in old.emails.iter().enumerate() {
                conn.execute(
                    "INSERT INTO customer_emails (email, customer_id, position) VALUES (?1, ?2, 1000 + ?3)",
                    params![email, into, i as i64],
                )?;
            }
            conn.execute("DELETE FROM customers WHERE id = ?1", [from])?;
            Ok(())
        })?;
        self.customer(into)
    }

    /// Move ticket `from`'s conversation into ticket `into` (same customer only) and close `from`.
    /// Notes move as notes, so nothing internal ever reaches the customer.
    pub fn merge_tickets(&self, from: i64, into: i64, actor: &str) -> Result<Ticket> {
        if from == into {
            return Err(StoreError::Invalid("a ticket cannot be merged into itself".into()));
        }
        self.write(|conn| {
            let source = read_ticket(conn, from)?.ok_or(StoreError::TicketNotFound(from))?;
            let target = read_ticket(conn, into)?.ok_or(StoreError::TicketNotFound(into))?;
            if source.customer_id != target.customer_id {
                return Err(StoreError::Invalid(format!(
                    "#{from} and #{into} are from different customers; merge the customers first"
                )));
            }
            if target.status == Status::Closed {
                return Err(StoreError::Invalid(format!("#{into} is closed; merge into an open ticket")));
            }
            let moves = super::undo::merge_moves(conn, from, into)?;
            move_conversation(conn, from, into)?;
            super::waiting::after_merge(conn, from, into, target.status)?;
            let now = now_millis();
            system_line(conn, into, &format!("ticket #{from} was merged into this ticket by {actor}"), now)?;
            system_line(conn, from, &format!("merged into #{into} by {actor}"), now)?;
            log_event(conn, into, actor, "merged", None, Some(&from.to_string()), now)?;
            log_event(conn, from, actor, "merged_into", None, Some(&into.to_string()), now)?;
            super::undo::keep(conn, &moves)?;
            if source.status != Status::Closed {
                conn.execute(
                    "UPDATE tickets SET status = 'closed', solved_at = coalesce(solved_at, ?1) WHERE id = ?2",
                    params![now, from],
                )?;
                log_event(conn, from, actor, "status", Some(source.status.as_str()), Some("closed"), now)?;
                super::undo::keep_status(conn, &source)?;
                super::waiting::after_status(conn, from, Status::Closed)?;
            }
            conn.execute(
                "UPDATE tickets SET version = version + 1, updated_at = ?1 WHERE id IN (?2, ?3)",
                params![now, from, into],
            )?;
            Ok(())
        })?;
        self.ticket(into)
    }
}

/// Messages (with their mail headers and attachments), tags and ratings follow the conversation.
fn move_conversation(conn: &Connection, from: i64, into: i64) -> Result<()> {
    conn.execute("UPDATE messages SET ticket_id = ?1 WHERE ticket_id = ?2", [into, from])?;
    conn.execute(
        "INSERT OR IGNORE INTO ticket_tags (ticket_id, tag) SELECT ?1, tag FROM ticket_tags WHERE ticket_id = ?2",
        [into, from],
    )?;
    conn.execute("UPDATE ratings SET ticket_id = ?1 WHERE ticket_id = ?2", [into, from])?;
    conn.execute("DELETE FROM drafts WHERE ticket_id = ?1", [from])?;
    Ok(())
}

/// A system line in a conversation: shown to agents, never sent.
fn system_line(conn: &Connection, ticket: i64, text: &str, now: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO messages (ticket_id, kind, body, created_at) VALUES (?1, 'system', ?2, ?3)",
        params![ticket, text, now],
    )?;
    Ok(())
}
