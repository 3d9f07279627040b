//! What others changed since a mark in the event log: where the console looks for tickets that
//! arrived in the agent's tab or in Mine. The cost grows with the events since the mark, never
//! with the desk.

use super::rows::{self, EVENT_COLUMNS};
use super::{Result, Store};
use crate::domain::{Event, Ticket, TicketFilter};
use rusqlite::{params_from_iter, ToSql};
use std::collections::{BTreeMap, HashSet};

/// Events read at most per look; a larger burst (a big import) is skipped past, not listed.
const EVENTS_PER_LOOK: i64 = 2_000;

/// A ticket as it is now, with the events that changed it since the mark, oldest first.
pub type ChangedTicket = (Ticket, Vec<Event>);

/// Fields whose change can bring a ticket into a list.
const ARRIVING: &[&str] = &["created", "status", "assignee", "tag", "priority"];

impl Store {
    /// The newest event's id: where a first look for arrivals starts.
    pub fn event_mark(&self) -> Result<i64> {
        Ok(self.conn.prepare_cached("SELECT coalesce(max(id), 0) FROM events")?.query_row([], |r| r.get(0))?)
    }

    /// The tickets someone other than `me` changed after event `after` in a way that can bring a
    /// ticket into a list (created, status, assignee, tags, priority), each with those events
    /// oldest first, oldest ticket first; and the mark to look after next time.
    pub fn changed_since(&self, after: i64, me: &str) -> Result<(i64, Vec<ChangedTicket>)> {
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
            let changed = tickets.into_iter().filter_map(|t| by_ticket.remove(&t.id).map(|events| (t, events)));
            Ok((mark, changed.collect()))
        })
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
