//! What the SLA clocks need of a set of tickets: the customer's tier and the timeline from the event log.

use super::{from_millis, Result, Store};
use crate::domain::sla::Timeline;
use crate::domain::{Status, Ticket, Tier};
use rusqlite::params_from_iter;
use std::collections::HashMap;

/// Tickets read per query: SQLite's limit on bound parameters is far above this.
const CHUNK: usize = 500;

impl Store {
    /// Each ticket's customer tier and SLA timeline (status changes, replies, customer messages),
    /// read in a few queries for the whole set rather than two per ticket.
    pub fn sla_timelines(&self, tickets: &[Ticket]) -> Result<HashMap<i64, (Tier, Timeline)>> {
        let mut out: HashMap<i64, (Tier, Timeline)> = HashMap::with_capacity(tickets.len());
        for chunk in tickets.chunks(CHUNK) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let mut tiers = self.conn.prepare_cached(&format!(
                "SELECT t.id, c.tier FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id IN ({marks})"
            ))?;
            let rows = tiers.query_map(params_from_iter(chunk.iter().map(|t| t.id)), |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
            })?;
            let mut tier_of = HashMap::with_capacity(chunk.len());
            for row in rows {
                let (id, tier) = row?;
                tier_of.insert(id, tier.parse().unwrap_or(Tier::Standard));
            }
            for ticket in chunk {
                let Some(tier) = tier_of.get(&ticket.id) else { continue };
                let timeline = Timeline { created_at: ticket.created_at, statuses: Vec::new(), messages: Vec::new() };
                out.insert(ticket.id, (*tier, timeline));
            }
            let mut events = self.conn.prepare_cached(&format!(
                "SELECT ticket_id, field, new, created_at FROM events
                 WHERE ticket_id IN ({marks}) AND (field = 'status' OR field = 'reply' OR field = 'customer')
                 ORDER BY ticket_id, created_at, id"
            ))?;
            let mut rows = events.query(params_from_iter(chunk.iter().map(|t| t.id)))?;
            while let Some(row) = rows.next()? {
                let Some((_, timeline)) = out.get_mut(&row.get::<_, i64>(0)?) else { continue };
                let at = from_millis(row.get(3)?);
                match row.get_ref(1)?.as_str().unwrap_or_default() {
                    "status" => {
                        let new = row.get_ref(2)?.as_str_or_null().ok().flatten();
                        if let Some(status) = new.and_then(|s| s.parse::<Status>().ok()) {
                            timeline.statuses.push((at, status));
                        }
                    }
                    "reply" => timeline.messages.push((at, true)),
                    _ => timeline.messages.push((at, false)),
                }
            }
        }
        Ok(out)
    }
}
