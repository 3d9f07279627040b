//! Snoozed tickets: out of the working views until a time, or until the customer writes.

use super::tickets::{log_event, read_ticket};
use super::{from_millis, now_millis, to_millis, Result, Store, StoreError};
use crate::domain::{Ticket, Timestamp};
use rusqlite::params;
use std::collections::HashMap;

impl Store {
    /// Snooze an active ticket until `until`: it leaves the working views until then, or until the
    /// customer writes.
    pub fn snooze_ticket(&self, id: i64, until: Timestamp, actor: &str) -> Result<Ticket> {
        self.snooze_ticket_seen(id, None, until, actor)
    }

    /// [`Store::snooze_ticket`] if the ticket is still at `seen_version` (when given): the
    /// console's snooze of the ticket as drawn.
    pub fn snooze_ticket_seen(
        &self,
        id: i64,
        seen_version: Option<i64>,
        until: Timestamp,
        actor: &str,
    ) -> Result<Ticket> {
        self.write(|conn| {
            let ticket = read_ticket(conn, id)?.ok_or(StoreError::TicketNotFound(id))?;
            if let Some(seen) = seen_version {
                super::tickets::check_version(conn, &ticket, seen)?;
            }
            if !ticket.status.is_active() {
                return Err(StoreError::Invalid(format!(
                    "ticket #{id} is {}; only active tickets snooze",
                    ticket.status
                )));
            }
            let now = now_millis();
            if to_millis(until) <= now {
                return Err(StoreError::Invalid("a snooze ends in the future; give a later time".into()));
            }
            let current: Option<i64> =
                conn.query_row("SELECT snoozed_until FROM tickets WHERE id = ?1", [id], |r| r.get(0))?;
            if current == Some(to_millis(until)) {
                return Ok(());
            }
            let until_text = until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let before = super::undo::snooze_before(conn, id)?;
            conn.execute(
                "UPDATE tickets SET snoozed_until = ?1, version = version + 1, updated_at = ?2 WHERE id = ?3",
                params![to_millis(until), now, id],
            )?;
            log_event(conn, id, actor, "snoozed_until", before.text.as_deref(), Some(&until_text), now)?;
            before.record(conn)?;
            Ok(())
        })?;
        self.ticket(id)
    }

    /// When each of these tickets is or was snoozed until, for those that have a snooze.
    pub fn snoozes(&self, tickets: &[Ticket]) -> Result<HashMap<i64, Timestamp>> {
        let mut out = HashMap::new();
        for chunk in tickets.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT id, snoozed_until FROM tickets WHERE snoozed_until IS NOT NULL AND id IN ({marks})"
            ))?;
            let rows = stmt.query_map(rusqlite::params_from_iter(chunk.iter().map(|t| t.id)), |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })?;
            for row in rows {
                let (id, until) = row?;
                out.insert(id, from_millis(until));
            }
        }
        Ok(out)
    }

    /// When the next snoozed ticket comes back (after `now`), if any is snoozed until a time.
    pub fn next_wake(&self, now: Timestamp) -> Result<Option<Timestamp>> {
        let next: Option<i64> = self
            .conn
            .prepare_cached("SELECT min(snoozed_until) FROM tickets WHERE snoozed_until > ?1 AND snoozed_until < ?2")?
            .query_row([to_millis(now), to_millis(crate::domain::sla::until_reply())], |r| r.get(0))?;
        Ok(next.map(from_millis))
    }
}
