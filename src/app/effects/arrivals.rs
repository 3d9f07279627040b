//! Looking for tickets that arrived in the agent's tab or in Mine since the last look: changed by
//! someone else, shown there now, and not shown before those changes.

use crate::app::model::message::Msg;
use crate::domain::arrivals::{entered, TicketChanges};
use crate::domain::TicketFilter;
use crate::store::{Store, StoreError};

/// Tickets `filters` (the tab's, Mine's) show now that others brought in after event `after`;
/// without a mark, only where to start.
pub fn find(store: &Store, after: Option<i64>, me: &str, filters: &[TicketFilter]) -> Result<Msg, StoreError> {
    let Some(after) = after else { return Ok(Msg::Arrivals { mark: store.event_mark()?, tickets: Vec::new() }) };
    let (mark, changed) = store.changed_since(after, me)?;
    let ids: Vec<i64> = changed.iter().map(|c| c.ticket.id).collect();
    let shown = filters.iter().map(|f| store.shown_in(f, &ids)).collect::<Result<Vec<_>, _>>()?;
    let arrived =
        |c: &TicketChanges| filters.iter().zip(&shown).any(|(f, shown)| shown.contains(&c.ticket.id) && entered(f, c));
    let tickets = changed.into_iter().filter(|c| arrived(c)).map(|c| c.ticket).collect();
    Ok(Msg::Arrivals { mark, tickets })
}
