//! Pending tickets the customer never answered, and solving them: all of them, or one owner's.

use super::rows::{self, TICKET_COLUMNS};
use super::{to_millis, Result, Store, StoreError};
use crate::domain::{Status, Ticket, Timestamp};

/// The pending tickets nothing has happened to since `?1`; the list of active statuses lets SQLite
/// use the small index of active tickets.
const STALE: &str = "t.status NOT IN ('solved', 'closed') AND t.status = 'pending' AND t.updated_at < ?1";

/// Whose stale tickets: `None` for everyone's, `Some(login)` for one agent's.
const OWNED: &str = "(?2 IS NULL OR t.assignee = ?2)";

impl Store {
    /// How many pending tickets nothing has happened to since `before` (`owner`'s only, when given).
    pub fn count_stale_pending(&self, before: Timestamp, owner: Option<&str>) -> Result<u64> {
        let n: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM tickets t WHERE {STALE} AND {OWNED}"))?
            .query_row(rusqlite::params![to_millis(before), owner], |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Those tickets per owner (`None`: nobody's), most first.
    pub fn stale_pending_owners(&self, before: Timestamp) -> Result<Vec<(Option<String>, u64)>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            // `+` keeps SQLite on the index of active tickets: grouping by the assignee index
            // scanned every ticket (86 ms, not 6, on the 100k desk).
            "SELECT t.assignee, count(*) AS n FROM tickets t WHERE {STALE} GROUP BY +t.assignee
             ORDER BY n DESC, t.assignee IS NULL, t.assignee"
        ))?;
        let rows = stmt.query_map([to_millis(before)], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Solve the pending tickets nothing has happened to since `before` (`owner`'s only, when
    /// given), each at the version it was listed at: one that changed meanwhile (the customer
    /// wrote) is left as it is. Returns the solved tickets.
    pub fn solve_stale_pending(&self, before: Timestamp, owner: Option<&str>, actor: &str) -> Result<Vec<Ticket>> {
        let solve = crate::domain::TicketChange { status: Some(Status::Solved), ..Default::default() };
        let mut solved = Vec::new();
        for ticket in
            self.stale_pending(before)?.into_iter().filter(|t| owner.is_none() || t.assignee.as_deref() == owner)
        {
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
             WHERE {STALE} ORDER BY t.updated_at, t.id"
        ))?;
        let rows = stmt.query_map([to_millis(before)], rows::ticket)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
