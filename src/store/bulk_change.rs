//! One change applied to several tickets, as the console's marked tickets and `ticket set 12 15 19`
//! ask: each ticket its own version-checked write, so one that cannot change stops no other.

use super::{Result, Store, StoreError};
use crate::domain::{Ticket, TicketChange};

/// Each ticket's id and how its change went.
pub type ChangeOutcomes = Vec<(i64, std::result::Result<Ticket, StoreError>)>;

impl Store {
    /// Apply `change` to each `(id, expected_version)` in its own transaction, in the order given.
    /// A ticket that changed meanwhile ([`StoreError::Conflict`]), does not exist or refuses the
    /// change is reported in its place and the others still change. Fails as a whole only when
    /// there is nothing to change or the desk refuses every write.
    pub fn update_tickets(&self, tickets: &[(i64, i64)], change: &TicketChange, actor: &str) -> Result<ChangeOutcomes> {
        if change.is_empty() {
            return Err(StoreError::Invalid("nothing to change".into()));
        }
        self.check_writable()?;
        Ok(tickets.iter().map(|&(id, version)| (id, self.update_ticket(id, version, change, actor))).collect())
    }
}
