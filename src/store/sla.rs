//! What the SLA clocks need of a set of tickets: the customer's tier and the timeline from the event log.

use super::{from_millis, Result, Store};
use crate::domain::sla::Timeline;
use crate::domain::{Status, Ticket, Tier};
use std::collections::HashMap;

impl Store {
    /// Each ticket's customer tier and SLA timeline (status changes, replies, customer messages).
    pub fn sla_timelines(&self, tickets: &[Ticket]) -> Result<HashMap<i64, (Tier, Timeline)>> {
        let mut out = HashMap::with_capacity(tickets.len());
        let mut tiers = self.conn.prepare_cached("SELECT tier FROM customers WHERE id = ?1")?;
        let mut events = self.conn.prepare_cached(
            "SELECT field, new, created_at FROM events
             WHERE ticket_id = ?1 AND field IN ('status', 'reply', 'customer') ORDER BY created_at, id",
        )?;
        for ticket in tickets {
            let tier: String = tiers.query_row([ticket.customer_id], |r| r.get(0))?;
            let mut timeline = Timeline { created_at: ticket.created_at, statuses: Vec::new(), messages: Vec::new() };
            let rows = events.query_map([ticket.id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, i64>(2)?))
            })?;
            for row in rows {
                let (field, new, at) = row?;
                let at = from_millis(at);
                match field.as_str() {
                    "status" => {
                        if let Some(status) = new.as_deref().and_then(|s| s.parse::<Status>().ok()) {
                            timeline.statuses.push((at, status));
                        }
                    }
                    "reply" => timeline.messages.push((at, true)),
                    _ => timeline.messages.push((at, false)),
                }
            }
            out.insert(ticket.id, (tier.parse().unwrap_or(Tier::Standard), timeline));
        }
        Ok(out)
    }
}
