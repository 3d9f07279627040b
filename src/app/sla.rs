//! SLA clocks in the console: each loaded row's next due clock, and breached or nearly due rows first.

use crate::domain::sla::{next_due, Clock, ClockState, Policies};
use crate::domain::{Ticket, Timestamp};
use crate::store::{Store, StoreError};
use std::collections::HashMap;

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
    let timelines = store.sla_timelines(rows)?;
    Ok(rows
        .iter()
        .filter_map(|t| {
            let (tier, timeline) = timelines.get(&t.id)?;
            let (clocks, _) = policies.clocks_for(t.priority, *tier, timeline, now);
            next_due(&clocks).cloned().map(|c| (t.id, c))
        })
        .collect())
}

/// Breached, then nearly due (warning) rows first, soonest first; the rest keep their order.
/// Only the rows of one loaded page are reordered: the store pages by its own sort.
pub fn due_first(rows: &mut [Ticket], clocks: &HashMap<i64, Clock>) {
    rows.sort_by_key(|t| match clocks.get(&t.id) {
        Some(c) if c.state == ClockState::Breached => (0, c.remaining_seconds),
        Some(c) if c.state == ClockState::Warning => (1, c.remaining_seconds),
        _ => (2, 0),
    });
}

/// Rows of the view whose clock is breached.
pub fn breaches(clocks: &HashMap<i64, Clock>) -> usize {
    clocks.values().filter(|c| c.state == ClockState::Breached).count()
}

/// Take a loaded page's clocks into the queue and put its due rows first (default sort only).
pub fn with_clocks(
    state: &mut super::state::State,
    view: super::state::View,
    mut rows: Vec<Ticket>,
    append: bool,
    clocks: HashMap<i64, Clock>,
) -> Vec<Ticket> {
    if view != state.view || state.narrow.is_some() {
        return rows;
    }
    if !append {
        state.queue.sla.clear();
    }
    state.queue.cursor = rows.last().map(crate::store::PageCursor::after);
    if state.view_filter(state.view).sort == crate::store::Sort::Updated {
        due_first(&mut rows, &clocks);
    }
    state.queue.sla.extend(clocks);
    rows
}
