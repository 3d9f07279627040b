//! SLA clocks in the console: each loaded row's next due clock, and the timer that works the
//! countdowns out again and brings snoozed tickets back when their time comes. The order (woken
//! snoozes, then breached and nearly due, then the rest) is the store's `Sort::Due`.

use crate::domain::sla::{next_due, Clock, ClockState, Policies};
use crate::domain::{Status, Ticket, Timestamp};
use crate::store::{PageCursor, Store, StoreError};
use std::collections::{HashMap, HashSet};

/// What a loaded page of the queue carries besides its rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueKeep {
    /// Each row's next due SLA clock.
    pub clocks: HashMap<i64, Clock>,
    /// Rows back from a snooze that nobody has touched since.
    pub woken: HashSet<i64>,
    /// Where the next page starts.
    pub next: Option<PageCursor>,
    /// When the next snoozed ticket comes back.
    pub next_wake: Option<Timestamp>,
    /// Tickets of the whole view (not just this page) whose running clock is overdue; `None`
    /// without SLA policies.
    pub overdue: Option<u64>,
}

/// The clocks and woken snoozes of a page of rows.
pub fn load(
    store: &Store,
    policies: &Policies,
    (rows, next): (&[Ticket], Option<PageCursor>),
    filter: &crate::store::TicketFilter,
    now: Timestamp,
) -> Result<QueueKeep, StoreError> {
    let overdue = if policies.is_empty() { None } else { Some(store.count_overdue(filter)?) };
    let clocks = next_due_clocks(store, policies, rows, now)?;
    let snoozes = store.snoozes(rows)?;
    let woken = rows
        .iter()
        .filter(|t| snoozes.get(&t.id).is_some_and(|until| crate::domain::lifecycle::woke_up(t, *until, now)))
        .map(|t| t.id)
        .collect();
    Ok(QueueKeep { clocks, woken, next, next_wake: store.next_wake(now)?, overdue })
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

/// Take a loaded page's clocks and cursor into the queue.
pub fn with_clocks(
    state: &mut super::state::State,
    view: super::state::View,
    rows: Vec<Ticket>,
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
    state.queue.cursor = keep.next;
    state.queue.sla.extend(keep.clocks);
    state.queue.overdue = keep.overdue;
    state.queue.woken.extend(keep.woken);
    rows
}

/// Countdowns read in minutes, so they are worked out again at least once a minute while shown.
const TICK: std::time::Duration = std::time::Duration::from_secs(60);

/// When the queue should next be worked out again: within a minute while it shows countdowns,
/// sooner when a clock falls due or a snoozed ticket comes back; `None` when nothing will change.
pub fn next_tick(keep: &QueueKeep, now: Timestamp) -> Option<std::time::Duration> {
    let running = keep.clocks.values().filter(|c| matches!(c.state, ClockState::Ok | ClockState::Warning));
    let mut any = keep.clocks.values().any(|c| c.state == ClockState::Breached);
    let mut tick = TICK;
    for clock in running {
        any = true;
        if let Some(until) = clock.due_at.and_then(|due| (due - now).to_std().ok()) {
            tick = tick.min(until + std::time::Duration::from_secs(1));
        }
    }
    // A little after the snooze ends, so the store sees it ended.
    if let Some(until) = keep.next_wake.and_then(|wake| (wake - now).to_std().ok()) {
        let until = until + std::time::Duration::from_millis(100);
        tick = if any { tick.min(until) } else { until };
        any = true;
    }
    any.then_some(tick)
}

/// The timer fired: reload the rows the queue has, keeping the agent's place (not while it is
/// narrowed to a filter's results), and the tab counts a woken snooze changes.
pub fn on_tick(state: &mut super::state::State) -> Vec<super::msg::Effect> {
    if state.narrow.is_some() {
        return vec![];
    }
    vec![
        super::msg::Effect::ReloadQueue { view: state.view, rows: state.queue.rows.len() },
        super::msg::Effect::LoadCounts,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sla::ClockKind;
    use chrono::{TimeZone, Utc};

    fn clock(state: ClockState, due_in: i64, now: Timestamp) -> Clock {
        Clock {
            kind: ClockKind::FirstResponse,
            state,
            target_seconds: 3_600,
            remaining_seconds: due_in,
            due_at: Some(now + chrono::Duration::seconds(due_in)),
            stopped_at: None,
        }
    }

    #[test]
    fn countdowns_tick_each_minute_or_when_a_clock_falls_due() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 14, 2, 0).unwrap();
        let mut keep = QueueKeep::default();
        assert_eq!(next_tick(&keep, now), None, "no clocks, no timer");
        keep.clocks.insert(1, clock(ClockState::Met, 600, now));
        assert_eq!(next_tick(&keep, now), None, "a met clock does not change");
        keep.clocks.insert(2, clock(ClockState::Ok, 3_000, now));
        assert_eq!(next_tick(&keep, now), Some(TICK));
        keep.clocks.insert(3, clock(ClockState::Warning, 20, now));
        assert_eq!(next_tick(&keep, now), Some(std::time::Duration::from_secs(21)));
    }
}
