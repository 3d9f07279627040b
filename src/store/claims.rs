//! Taking a ticket: the claim is checked against the owner the agent saw, in one write.

use super::tickets::{log_event, read_ticket};
use super::{now_millis, Result, Store, StoreError};
use crate::domain::Ticket;
use rusqlite::params;

impl Store {
    /// Assign the ticket to `me` if its owner is still `seen_owner` (what the agent saw); a ticket
    /// someone else took meanwhile is [`StoreError::Taken`]. Taking one's own ticket changes nothing.
    pub fn claim_ticket(&self, ticket: i64, me: &str, seen_owner: Option<&str>) -> Result<Ticket> {
        self.claim_ticket_seen(ticket, me, seen_owner, None)
    }

    /// [`Store::claim_ticket`], also refused when the ticket is no longer at `seen_version` (the
    /// console's: the ticket as drawn). An owner who moved is still said as [`StoreError::Taken`].
    pub fn claim_ticket_seen(
        &self,
        ticket: i64,
        me: &str,
        seen_owner: Option<&str>,
        seen_version: Option<i64>,
    ) -> Result<Ticket> {
        self.write(|conn| {
            let current = read_ticket(conn, ticket)?.ok_or(StoreError::TicketNotFound(ticket))?;
            match current.assignee.as_deref() {
                Some(owner) if owner == me => return Ok(()),
                owner if owner != seen_owner => {
                    return Err(StoreError::Taken { ticket, by: owner.unwrap_or("nobody").to_string() })
                }
                _ => {}
            }
            if let Some(seen) = seen_version {
                super::tickets::check_version(conn, &current, seen)?;
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
