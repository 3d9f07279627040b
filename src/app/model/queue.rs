//! What a loaded page of the queue carries besides its rows, and when its countdowns change.

use crate::domain::sla::{Clock, ClockState};
use crate::domain::{PageCursor, Timestamp};
use std::collections::{HashMap, HashSet};

/// What a loaded page of the queue carries besides its rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageFacts {
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

/// Countdowns read in minutes, so they are worked out again at least once a minute while shown.
const TICK: std::time::Duration = std::time::Duration::from_secs(60);

/// When the queue should next be worked out again: within a minute while it shows countdowns,
/// sooner when a clock falls due or a snoozed ticket comes back; `None` when nothing will change.
pub fn next_tick(facts: &PageFacts, now: Timestamp) -> Option<std::time::Duration> {
    let running = facts.clocks.values().filter(|c| matches!(c.state, ClockState::Ok | ClockState::Warning));
    let mut any = facts.clocks.values().any(|c| c.state == ClockState::Breached);
    let mut tick = TICK;
    for clock in running {
        any = true;
        if let Some(until) = clock.due_at.and_then(|due| (due - now).to_std().ok()) {
            tick = tick.min(until + std::time::Duration::from_secs(1));
        }
    }
    // A little after the snooze ends, so the store sees it ended.
    if let Some(until) = facts.next_wake.and_then(|wake| (wake - now).to_std().ok()) {
        let until = until + std::time::Duration::from_millis(100);
        tick = if any { tick.min(until) } else { until };
        any = true;
    }
    any.then_some(tick)
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
        let mut facts = PageFacts::default();
        assert_eq!(next_tick(&facts, now), None, "no clocks, no timer");
        facts.clocks.insert(1, clock(ClockState::Met, 600, now));
        assert_eq!(next_tick(&facts, now), None, "a met clock does not change");
        facts.clocks.insert(2, clock(ClockState::Ok, 3_000, now));
        assert_eq!(next_tick(&facts, now), Some(TICK));
        facts.clocks.insert(3, clock(ClockState::Warning, 20, now));
        assert_eq!(next_tick(&facts, now), Some(std::time::Duration::from_secs(21)));
    }
}
