//! A ticket's history as the SLA clocks read it: status changes, replies and customer messages.

use crate::domain::{Event, Status, Timestamp};

/// A ticket's history reduced to what the clocks need, read from its event log.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub created_at: Timestamp,
    /// Status changes in order: when, and the new status. The ticket starts as `new`.
    pub statuses: Vec<(Timestamp, Status)>,
    /// Public replies and customer messages in order: when, and whether it was a reply.
    pub messages: Vec<(Timestamp, bool)>,
}

impl Timeline {
    /// Read the timeline from a ticket's events (`status`, `reply` and `customer` rows).
    pub fn from_events(created_at: Timestamp, events: &[Event]) -> Timeline {
        let mut timeline = Timeline { created_at, statuses: Vec::new(), messages: Vec::new() };
        let mut sorted: Vec<&Event> = events.iter().collect();
        sorted.sort_by_key(|e| (e.created_at, e.id));
        for e in sorted {
            match e.field.as_str() {
                "status" => {
                    if let Some(status) = e.new.as_deref().and_then(|s| s.parse().ok()) {
                        timeline.statuses.push((e.created_at, status));
                    }
                }
                "reply" => timeline.messages.push((e.created_at, true)),
                "customer" => timeline.messages.push((e.created_at, false)),
                _ => {}
            }
        }
        timeline
    }

    pub fn status_now(&self) -> Status {
        self.statuses.last().map(|(_, s)| *s).unwrap_or(Status::New)
    }

    /// Intervals in which no clock runs: pending, on hold, solved or closed.
    pub fn pauses(&self) -> Vec<(Timestamp, Option<Timestamp>)> {
        let mut out = Vec::new();
        let mut since: Option<Timestamp> = None;
        for &(at, status) in &self.statuses {
            let paused = matches!(status, Status::Pending | Status::OnHold | Status::Solved | Status::Closed);
            match (paused, since) {
                (true, None) => since = Some(at),
                (false, Some(start)) => {
                    out.push((start, Some(at)));
                    since = None;
                }
                _ => {}
            }
        }
        if let Some(start) = since {
            out.push((start, None));
        }
        out
    }

    /// When the ticket was last solved, if it is solved or closed now.
    pub fn solved_at(&self) -> Option<Timestamp> {
        if !matches!(self.status_now(), Status::Solved | Status::Closed) {
            return None;
        }
        let mut at = None;
        for &(t, status) in &self.statuses {
            match status {
                Status::Solved | Status::Closed => at = at.or(Some(t)),
                _ => at = None,
            }
        }
        at
    }

    /// The latest wait for a next reply: the oldest unanswered customer message after a reply.
    pub(super) fn next_response_wait(&self) -> Option<(Timestamp, Option<Timestamp>)> {
        let mut replied = false;
        let mut waiting: Option<Timestamp> = None;
        let mut last = None;
        for &(at, is_reply) in &self.messages {
            match (is_reply, waiting) {
                (true, Some(start)) => {
                    last = Some((start, Some(at)));
                    waiting = None;
                }
                (true, None) => {}
                (false, None) if replied => waiting = Some(at),
                (false, _) => {}
            }
            replied |= is_reply;
        }
        waiting.map(|start| (start, None)).or(last)
    }

    /// Every wait for a next reply, oldest first: from the oldest customer message after one of
    /// our replies to our next reply (`None` while unanswered). The next-response clock times the
    /// last of them ([`Timeline::next_response_wait`]); reports time them all the same way.
    pub fn next_response_waits(&self) -> Vec<(Timestamp, Option<Timestamp>)> {
        let mut out = Vec::new();
        let mut replied = false;
        let mut waiting: Option<Timestamp> = None;
        for &(at, is_reply) in &self.messages {
            match (is_reply, waiting) {
                (true, Some(start)) => {
                    out.push((start, Some(at)));
                    waiting = None;
                }
                (false, None) if replied => waiting = Some(at),
                _ => {}
            }
            replied |= is_reply;
        }
        out.extend(waiting.map(|start| (start, None)));
        out
    }

    /// The status at instant `at` (`new` before the first change).
    pub fn status_at(&self, at: Timestamp) -> Status {
        self.statuses.iter().take_while(|(t, _)| *t <= at).last().map(|(_, s)| *s).unwrap_or(Status::New)
    }
}
