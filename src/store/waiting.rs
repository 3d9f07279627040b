//! Who waits on us: each ticket's `waiting_since`, kept by the rules of [`lifecycle`] in the
//! transaction of every message and status change, and the Needs reply list's figures.

use super::{from_millis, now_millis, to_millis, Result, Store};
use crate::domain::{lifecycle, MessageKind, Status, Timestamp};
use rusqlite::{params, Connection, OptionalExtension};

/// [`lifecycle::needs_reply`] as SQL over `tickets t`, with one `?` for now. The first term lets
/// SQLite read the small partial index `tickets_by_waiting`.
pub(crate) const NEEDS_REPLY: &str = "(t.waiting_since IS NOT NULL AND t.status IN ('new', 'open')
     AND (t.snoozed_until IS NULL OR t.snoozed_until <= ?))";

/// The same without the snooze: the customer waits on us (the kept counts' `waiting` and status).
pub(crate) const WAITING_ON_US: &str = "t.waiting_since IS NOT NULL AND t.status IN ('new', 'open')";

impl Store {
    /// How many tickets need a reply (any assignee), and since when the longest of them waits:
    /// the kept count, and the oldest wait from the front of the index of waiting tickets.
    pub fn needs_reply_summary(&self) -> Result<(u64, Option<Timestamp>)> {
        let filter = crate::domain::TicketFilter { needs_reply: true, ..Default::default() };
        let count = self.count_tickets(&filter)?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT t.waiting_since FROM tickets t INDEXED BY tickets_by_waiting WHERE {NEEDS_REPLY}
             ORDER BY t.waiting_since LIMIT 1"
        ))?;
        let since = stmt.query_row([now_millis()], |r| r.get::<_, i64>(0)).optional()?;
        Ok((count, since.map(from_millis)))
    }
}

/// The stored wait of a ticket, whatever its status.
pub(crate) fn stored_wait(conn: &Connection, ticket: i64) -> Result<Option<i64>> {
    let mut stmt = conn.prepare_cached("SELECT waiting_since FROM tickets WHERE id = ?1")?;
    Ok(stmt.query_row([ticket], |r| r.get(0))?)
}

pub(crate) fn set_wait(conn: &Connection, ticket: i64, before: Option<i64>, after: Option<i64>) -> Result<()> {
    if before != after {
        conn.prepare_cached("UPDATE tickets SET waiting_since = ?1 WHERE id = ?2")?.execute(params![after, ticket])?;
    }
    Ok(())
}

/// A message of `kind` written at `at` (Unix milliseconds) was added to `ticket`, which is now in
/// `status` (a closed ticket the customer writes on waits on nobody).
pub(crate) fn after_message(conn: &Connection, ticket: i64, kind: MessageKind, at: i64, status: Status) -> Result<()> {
    let before = stored_wait(conn, ticket)?;
    let waiting = lifecycle::wait_after_message(before.map(from_millis), kind, from_millis(at));
    let after = lifecycle::wait_after_status(waiting, status).map(to_millis);
    set_wait(conn, ticket, before, after)
}

/// `ticket` moved to status `to`.
pub(crate) fn after_status(conn: &Connection, ticket: i64, to: Status) -> Result<()> {
    let before = stored_wait(conn, ticket)?;
    let after = lifecycle::wait_after_status(before.map(from_millis), to).map(to_millis);
    set_wait(conn, ticket, before, after)
}

/// Ticket `from`'s conversation moved into `into` (whose status is `status`).
pub(crate) fn after_merge(conn: &Connection, from: i64, into: i64, status: Status) -> Result<()> {
    let (waits_from, waits_into) = (stored_wait(conn, from)?, stored_wait(conn, into)?);
    let merged = lifecycle::wait_after_merge(waits_into.map(from_millis), waits_from.map(from_millis));
    let after = lifecycle::wait_after_status(merged, status).map(to_millis);
    set_wait(conn, into, waits_into, after)
}
