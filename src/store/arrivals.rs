//! What others changed since a mark in the event log: where the console looks for tickets that
//! arrived in the agent's tab or in Mine. The cost grows with the events since the mark, never
//! with the desk.

use super::rows::{self, EVENT_COLUMNS};
use super::{Result, Store};
use crate::domain::arrivals::TicketChanges;
use crate::domain::{Event, TicketFilter};
use rusqlite::{params_from_iter, OptionalExtension, ToSql};
use std::collections::{BTreeMap, HashSet};

/// Events read at most per look; a larger burst (a big import) is skipped past, not listed.
const EVENTS_PER_LOOK: i64 = 2_000;

/// Fields whose change can bring a ticket into a list; a customer's message ends a snooze.
const ARRIVING: &[&str] = &["created", "status", "assignee", "tag", "priority", "customer"];

impl Store {
    /// The newest event's id: where a first look for arrivals starts.
    pub fn event_mark(&self) -> Result<i64> {
        Ok(self.conn.prepare_cached("SELECT coalesce(max(id), 0) FROM events")?.query_row([], |r| r.get(0))?)
    }

    /// The tickets someone other than `me` changed after event `after` in a way that can bring a
    /// ticket into a list (created, status, assignee, tags, priority, a customer's message that
    /// ended a snooze), each with those events oldest first, oldest ticket first; and the mark to
    /// look after next time.
    pub fn changed_since(&self, after: i64, me: &str) -> Result<(i64, Vec<TicketChanges>)> {
        self.read(|| {
            let mark = self.event_mark()?;
            let mut stmt = self
                .conn
                .prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE id > ?1 ORDER BY id LIMIT ?2"))?;
            let mut by_ticket: BTreeMap<i64, Vec<Event>> = BTreeMap::new();
            for event in stmt.query_map(rusqlite::params![after, EVENTS_PER_LOOK], rows::event)? {
                let event = event?;
                if event.actor != me && ARRIVING.contains(&event.field.as_str()) {
                    by_ticket.entry(event.ticket_id).or_default().push(event);
                }
            }
            let ids: Vec<i64> = by_ticket.keys().copied().collect();
            let tickets = self.tickets_by_ids(&ids)?;
            let mut changed = Vec::with_capacity(tickets.len());
            for ticket in tickets {
                let Some(events) = by_ticket.remove(&ticket.id) else { continue };
                let woken = match events.iter().find(|e| e.field == "customer") {
                    Some(message) => self.snoozed_at(message)?,
                    None => false,
                };
                changed.push(TicketChanges { ticket, events, woken });
            }
            Ok((mark, changed))
        })
    }

    /// Whether the ticket of this customer's message was snoozed when it came: its last snooze
    /// before it ran past it, and no message from the customer ended that snooze before.
    fn snoozed_at(&self, message: &Event) -> Result<bool> {
        let until: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT s.new FROM events s WHERE s.ticket_id = ?1 AND s.field = 'snoozed_until' AND s.id < ?2
                   AND NOT EXISTS (SELECT 1 FROM events c WHERE c.ticket_id = ?1 AND c.field = 'customer'
                                   AND c.id > s.id AND c.id < ?2)
                 ORDER BY s.id DESC LIMIT 1",
            )?
            .query_row(rusqlite::params![message.ticket_id, message.id], |r| r.get(0))
            .optional()?
            .flatten();
        let until = until.and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok());
        Ok(until.is_some_and(|t| t > message.created_at))
    }

    /// Which of `ids` the list `filter` shows now (a snoozed ticket is not shown until it wakes).
    pub fn shown_in(&self, filter: &TicketFilter, ids: &[i64]) -> Result<HashSet<i64>> {
        let mut shown = HashSet::new();
        for chunk in ids.chunks(500) {
            let mut params: Vec<Box<dyn ToSql>> = Vec::new();
            let clause = filter.where_clause(&mut params);
            let marks = vec!["?"; chunk.len()].join(", ");
            params.extend(chunk.iter().map(|id| Box::new(*id) as Box<dyn ToSql>));
            let sql = format!("SELECT t.id FROM tickets t WHERE {clause} AND t.id IN ({marks})");
            let mut stmt = self.conn.prepare(&sql)?;
            for id in stmt.query_map(params_from_iter(params.iter()), |r| r.get::<_, i64>(0))? {
                shown.insert(id?);
            }
        }
        Ok(shown)
    }
}
