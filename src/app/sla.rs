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

/// Countdowns read in minutes, so they are worked out again at least once a minute while shown.
const TICK: std::time::Duration = std::time::Duration::from_secs(60);

/// When the queue's countdowns should next be worked out again: within a minute, or sooner when a
/// clock falls due; `None` when the page has no running clock.
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
    any.then_some(tick)
}

/// The countdown timer fired: reload the queue (not while it is narrowed to a filter's results).
pub fn on_tick(state: &mut super::state::State) -> Vec<super::msg::Effect> {
    if state.narrow.is_some() || state.queue.sla.is_empty() {
        return vec![];
    }
    vec![super::msg::Effect::LoadQueue { view: state.view, after: None }]
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

    #[test]
    fn due_rows_go_first_and_woken_snoozes_before_them() {
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 14, 2, 0).unwrap();
        let ticket = |id| crate::domain::Ticket {
            id,
            subject: String::new(),
            customer_id: 1,
            customer_name: String::new(),
            customer_email: String::new(),
            assignee: None,
            status: crate::domain::Status::Open,
            priority: crate::domain::Priority::Normal,
            channel: crate::domain::Channel::Email,
            tags: vec![],
            created_at: now,
            updated_at: now,
            first_response_at: None,
            solved_at: None,
            version: 1,
        };
        let mut rows: Vec<_> = (1..=5).map(ticket).collect();
        let mut keep = QueueKeep::default();
        keep.clocks.insert(2, clock(ClockState::Warning, 300, now));
        keep.clocks.insert(3, clock(ClockState::Breached, -60, now));
        keep.clocks.insert(4, clock(ClockState::Breached, -600, now));
        keep.woken.insert(5);
        due_first(&mut rows, &keep);
        assert_eq!(rows.iter().map(|t| t.id).collect::<Vec<_>>(), vec![5, 4, 3, 2, 1]);
        assert_eq!(breaches(&keep.clocks), 2);
    }
}
