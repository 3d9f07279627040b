//! SLA clocks in the console: each loaded row's next due clock, and the timer that works the
//! countdowns out again and brings snoozed tickets back when their time comes. The order (woken
//! snoozes, then breached and nearly due, then the rest) is the store's `Sort::Due`.

use crate::app::model::queue::PageFacts;
use crate::domain::sla::{next_due, Clock, Policies};
use crate::domain::PageCursor;
use crate::domain::{Status, Ticket, Timestamp};
use crate::store::{Store, StoreError};
use std::collections::HashMap;

/// The clocks and woken snoozes of a page of rows.
pub fn load(
    store: &Store,
    policies: &Policies,
    (rows, next): (&[Ticket], Option<PageCursor>),
    filter: &crate::domain::TicketFilter,
    now: Timestamp,
) -> Result<PageFacts, StoreError> {
    let overdue = if policies.is_empty() { None } else { Some(store.count_overdue(filter)?) };
    let clocks = next_due_clocks(store, policies, rows, now)?;
    let snoozes = store.snoozes(rows)?;
    let woken = rows
        .iter()
        .filter(|t| snoozes.get(&t.id).is_some_and(|until| crate::domain::lifecycle::woke_up(t, *until, now)))
        .map(|t| t.id)
        .collect();
    Ok(PageFacts { clocks, woken, next, next_wake: store.next_wake(now)?, overdue })
}

/// The clock each row shows: its breached or soonest due one (none without a policy).
pub fn next_due_clocks(
    store: &Store,
    policies: &Policies,
    rows: &[Ticket],
    now: Timestamp,
) -> Result<HashMap<i64, Clock>, StoreError> {
    if policies.is_empty() || rows.is_empty() {
        return Ok(HashMap::new());
    }
    // A solved ticket's clocks have all stopped: nothing of it is due.
    let running: Vec<Ticket> =
        rows.iter().filter(|t| !matches!(t.status, Status::Solved | Status::Closed)).cloned().collect();
    let timelines = store.sla_timelines(&running)?;
    Ok(rows
        .iter()
        .filter_map(|t| {
            let (tier, timeline) = timelines.get(&t.id)?;
            let (clocks, _) = policies.clocks_for(t.priority, *tier, timeline, now);
            next_due(&clocks).cloned().map(|c| (t.id, c))
        })
        .collect())
}
