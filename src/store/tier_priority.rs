//! A new ticket's priority, raised by its customer's tier.

use super::{Result, Store};
use crate::domain::audit::TIER_PRIORITY_ACTOR;
use crate::domain::{Priority, Ticket, TicketChange, Tier};

impl Store {
    /// Raise a new ticket's priority by as many steps as its customer's tier earns (`steps`),
    /// logged as a priority change by the rule ([`TIER_PRIORITY_ACTOR`]), not by whoever created
    /// the ticket; at most to urgent.
    pub fn raise_priority_for_tier(&self, id: i64, steps: &dyn Fn(Tier) -> u8) -> Result<Ticket> {
        let ticket = self.ticket(id)?;
        let tier = self.customer(ticket.customer_id)?.tier;
        let rank = Priority::ALL.iter().position(|p| *p == ticket.priority).unwrap_or(0);
        let raised = Priority::ALL[(rank + steps(tier) as usize).min(Priority::ALL.len() - 1)];
        if raised == ticket.priority {
            return Ok(ticket);
        }
        let change = TicketChange { priority: Some(raised), ..TicketChange::default() };
        self.update_ticket(id, ticket.version, &change, TIER_PRIORITY_ACTOR)
    }
}
