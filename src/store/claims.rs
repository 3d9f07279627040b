//! Taking a ticket: the claim is checked against the owner the agent saw, in one write.

use super::tickets::{log_event, read_ticket};
use super::{now_millis, Result, Store, StoreError};
use crate::domain::Ticket;
use rusqlite::params;

impl Store {
    /// Assign the ticket to `me` if its owner is still `seen_owner` (what the agent saw); a ticket
    /// someone else took meanwhile is [`StoreError::Taken`]. Taking one's own ticket changes nothing.
    pub fn claim_ticket(&self, ticket: i64, me: &str, seen_owner: Option<&str>) -> Result<Ticket> {
        self.write(|conn| {
            let current = read_ticket(conn, ticket)?.ok_or(StoreError::TicketNotFound(ticket))?;
            match current.assignee.as_deref() {
                Some(owner) if owner == me => return Ok(()),
                owner if owner != seen_owner => {
                    return Err(StoreError::Taken { ticket, by: owner.unwrap_or("nobody").to_string() })
                }
                _ => {}
            }
            super::agents::require_active_agent(conn, me)?;
            let now = now_millis();
            conn.execute(
                "UPDATE tickets SET assignee = ?1, version = version + 1, updated_at = ?2 WHERE id = ?3",
                params![me, now, ticket],
            )?;
            log_event(conn, ticket, me, "assignee", current.assignee.as_deref(), Some(me), now)
        })?;
        self.ticket(ticket)
    }
}
