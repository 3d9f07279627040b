//! Pending tickets the customer never answered, and solving them.

use super::rows::{self, TICKET_COLUMNS};
use super::{to_millis, Result, Store, StoreError};
use crate::domain::{Status, Ticket, Timestamp};

impl Store {
    /// How many pending tickets nothing has happened to since `before`.
    pub fn count_stale_pending(&self, before: Timestamp) -> Result<u64> {
        let n: i64 = self
            .conn
            // The list of active statuses lets SQLite use the small index of active tickets.
            .prepare_cached(
                "SELECT count(*) FROM tickets WHERE status IN ('new', 'open', 'pending', 'on_hold')
                 AND status = 'pending' AND updated_at < ?1",
            )?
            .query_row([to_millis(before)], |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Solve the pending tickets nothing has happened to since `before`, each at the version it
    /// was listed at: one that changed meanwhile (the customer wrote) is left as it is. Returns
    /// the solved tickets.
    pub fn solve_stale_pending(&self, before: Timestamp, actor: &str) -> Result<Vec<Ticket>> {
        let solve = crate::domain::TicketChange { status: Some(Status::Solved), ..Default::default() };
        let mut solved = Vec::new();
        for ticket in self.stale_pending(before)? {
            match self.update_ticket(ticket.id, ticket.version, &solve, actor) {
                Ok(ticket) => solved.push(ticket),
                Err(StoreError::Conflict { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(solved)
    }

    /// Pending tickets nothing has happened to since `before`: the customer never answered.
    pub fn stale_pending(&self, before: Timestamp) -> Result<Vec<Ticket>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {TICKET_COLUMNS} FROM tickets t JOIN customers c ON c.id = t.customer_id
             WHERE t.status IN ('new', 'open', 'pending', 'on_hold') AND t.status = 'pending'
             AND t.updated_at < ?1 ORDER BY t.updated_at, t.id"
        ))?;
        let rows = stmt.query_map([to_millis(before)], rows::ticket)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
