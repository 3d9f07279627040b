//! SLA clocks in the console: each loaded row's next due clock, and breached or nearly due rows first.

use crate::domain::sla::{next_due, Clock, ClockState, Policies};
use crate::domain::{Ticket, Timestamp};
use crate::store::{Store, StoreError};
use std::collections::{HashMap, HashSet};

/// What a loaded page of the queue carries besides its rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueKeep {
    /// Each row's next due SLA clock.
    pub clocks: HashMap<i64, Clock>,
    /// Rows back from a snooze that nobody has touched since.
    pub woken: HashSet<i64>,
}

/// The clocks and woken snoozes of a page of rows.
pub fn load(store: &Store, policies: &Policies, rows: &[Ticket], now: Timestamp) -> Result<QueueKeep, StoreError> {
    let clocks = next_due_clocks(store, policies, rows, now)?;
    let snoozes = store.snoozes(rows)?;
    let woken = rows
        .iter()
        .filter(|t| snoozes.get(&t.id).is_some_and(|until| crate::store::woke_up(t, *until, now)))
        .map(|t| t.id)
        .collect();
    Ok(QueueKeep { clocks, woken })
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

/// Rows back from a snooze, then breached, then nearly due (warning) rows first, soonest first;
/// the rest keep their order. Only the rows of one loaded page are reordered: the store pages by
/// its own sort.
pub fn due_first(rows: &mut [Ticket], keep: &QueueKeep) {
    rows.sort_by_key(|t| match keep.clocks.get(&t.id) {
        _ if keep.woken.contains(&t.id) => (0, 0),
        Some(c) if c.state == ClockState::Breached => (1, c.remaining_seconds),
        Some(c) if c.state == ClockState::Warning => (2, c.remaining_seconds),
        _ => (3, 0),
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
    keep: QueueKeep,
) -> Vec<Ticket> {
    if view != state.view || state.narrow.is_some() {
        return rows;
    }
    if !append {
        state.queue.sla.clear();
        state.queue.woken.clear();
    }
    state.queue.cursor = rows.last().map(crate::store::PageCursor::after);
    if state.view_filter(state.view).sort == crate::store::Sort::Updated {
        due_first(&mut rows, &keep);
    }
    state.queue.sla.extend(keep.clocks);
    state.queue.woken.extend(keep.woken);
    rows
}
