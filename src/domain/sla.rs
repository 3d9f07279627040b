//! SLA clocks: targets per priority (and tier), calendars, and the clocks of one ticket computed
//! from its event log, so a changed policy re-evaluates history the same way every time.

mod calendar;
mod timeline;

pub use calendar::{BusinessHours, Hours};
pub use timeline::Timeline;

use super::{Priority, Tier, Timestamp};
use serde::Serialize;

/// Targets in seconds of working time; `None` means no clock of that kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Targets {
    pub first_response: Option<i64>,
    pub next_response: Option<i64>,
    pub resolution: Option<i64>,
}

/// The targets for one priority, optionally only for one tier, and the hours they count in.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub priority: Priority,
    pub tier: Option<Tier>,
    pub targets: Targets,
    pub hours: Hours,
}

/// Every configured policy; the one for a ticket is the most specific match.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Policies {
    pub policies: Vec<Policy>,
}

impl Policies {
    /// The policy for this priority and tier: one naming the tier wins over one for every tier.
    pub fn for_ticket(&self, priority: Priority, tier: Tier) -> Option<&Policy> {
        let matching = |p: &&Policy| p.priority == priority;
        self.policies
            .iter()
            .filter(matching)
            .find(|p| p.tier == Some(tier))
            .or_else(|| self.policies.iter().filter(matching).find(|p| p.tier.is_none()))
    }

    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    /// A ticket's clocks as of `now`, with the hours they count in; none without a policy.
    pub fn clocks_for(
        &self,
        priority: Priority,
        tier: Tier,
        timeline: &Timeline,
        now: Timestamp,
    ) -> (Vec<Clock>, Hours) {
        match self.for_ticket(priority, tier) {
            Some(policy) => (clocks(policy, timeline, now), policy.hours.clone()),
            None => (Vec::new(), Hours::Calendar),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    FirstResponse,
    NextResponse,
    Resolution,
}

impl ClockKind {
    pub fn label(self) -> &'static str {
        match self {
            ClockKind::FirstResponse => "first response",
            ClockKind::NextResponse => "next response",
            ClockKind::Resolution => "resolution",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    Breached,
    Warning,
    Ok,
    Paused,
    Met,
}

impl ClockState {
    pub fn as_str(self) -> &'static str {
        match self {
            ClockState::Ok => "ok",
            ClockState::Warning => "warning",
            ClockState::Breached => "breached",
            ClockState::Met => "met",
            ClockState::Paused => "paused",
        }
    }
}

/// One SLA clock of one ticket, as of `now`.
#[derive(Debug, Clone, PartialEq)]
pub struct Clock {
    pub kind: ClockKind,
    pub state: ClockState,
    pub target_seconds: i64,
    /// Working seconds left (negative once breached); for a stopped clock, what was left.
    pub remaining_seconds: i64,
    /// When the target is (or was) reached; `None` while paused and not yet breached.
    pub due_at: Option<Timestamp>,
    /// When the clock stopped (a reply, or the ticket solved).
    pub stopped_at: Option<Timestamp>,
}

/// Every clock the policy asks for, as of `now`.
pub fn clocks(policy: &Policy, timeline: &Timeline, now: Timestamp) -> Vec<Clock> {
    spans(policy, timeline, false)
        .into_iter()
        .map(|(kind, target, start, stop)| clock(kind, target, start, stop, policy, timeline, now))
        .collect()
}

/// A clock's kind, target, start and stop.
type Span = (ClockKind, i64, Timestamp, Option<Timestamp>);

/// What each clock times. The next-response clock times the latest wait; with `every_wait`,
/// there is one for each wait of the ticket, oldest first.
fn spans(policy: &Policy, timeline: &Timeline, every_wait: bool) -> Vec<Span> {
    let solved = timeline.solved_at();
    let first_reply = timeline.messages.iter().find(|(_, reply)| *reply).map(|(at, _)| *at);
    let mut out = Vec::new();
    if let Some(target) = policy.targets.first_response {
        let stop = first_reply.or(solved);
        out.push((ClockKind::FirstResponse, target, timeline.created_at, stop));
    }
    if let Some(target) = policy.targets.next_response {
        let waits = match every_wait {
            true => timeline.next_response_waits(),
            false => timeline.next_response_wait().into_iter().collect(),
        };
        for (start, stop) in waits {
            out.push((ClockKind::NextResponse, target, start, stop.or(solved)));
        }
    }
    if let Some(target) = policy.targets.resolution {
        out.push((ClockKind::Resolution, target, timeline.created_at, solved));
    }
    out
}

/// A clock without its due time (which costs a walk through the calendar): its state and the
/// working time it has used; what a report needs of each clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockUse {
    pub kind: ClockKind,
    pub state: ClockState,
    pub target_seconds: i64,
    /// As [`Clock::remaining_seconds`]: `target_seconds - remaining_seconds` is the time used.
    pub remaining_seconds: i64,
    pub start: Timestamp,
    pub stopped_at: Option<Timestamp>,
}

/// The clocks of [`clocks`], with a next-response clock for every wait of the ticket (not only
/// the latest), without due times: the same rules, state for state and second for second.
pub fn clock_uses(policy: &Policy, timeline: &Timeline, now: Timestamp) -> Vec<ClockUse> {
    spans(policy, timeline, true)
        .into_iter()
        .map(|(kind, target, start, stop)| {
            let u = usage(target, start, stop, policy, timeline, now);
            let remaining_seconds = u.remaining;
            ClockUse { kind, state: u.state, target_seconds: target, remaining_seconds, start, stopped_at: stop }
        })
        .collect()
}

/// Of the clocks of [`clock_uses`] still running, from when each is past due, for any `now` at or
/// after `as_of` while the ticket has no event later than `as_of`: the state a clock reads at such
/// a `now` is breached exactly when `now` is at or past the moment given here. A clock that cannot
/// breach before the ticket's next event (paused in time) has none.
pub fn breach_moments(policy: &Policy, timeline: &Timeline, as_of: Timestamp) -> Vec<(ClockKind, Timestamp)> {
    spans(policy, timeline, true)
        .into_iter()
        .filter(|(_, _, _, stop)| stop.is_none())
        .filter_map(|(kind, target, start, _)| {
            breach_moment(target, start, policy, timeline, as_of).map(|at| (kind, at))
        })
        .collect()
}

/// As [`usage`] reads a running clock: paused at the end, its time used stays as it is at
/// `as_of`; running, it grows by the working time since the start of its last segment.
fn breach_moment(
    target: i64,
    start: Timestamp,
    policy: &Policy,
    timeline: &Timeline,
    as_of: Timestamp,
) -> Option<Timestamp> {
    let u = usage(target, start, None, policy, timeline, as_of);
    if u.state == ClockState::Breached {
        return Some(as_of);
    }
    if u.paused {
        return None;
    }
    // The last running segment reaches `as_of` (or, empty, starts there): it keeps growing.
    let end = as_of.max(start);
    let last =
        running_segments(start, end, timeline).last().filter(|(_, to)| *to == end).map_or(end, |(from, _)| *from);
    let before = target - u.remaining - policy.hours.working_seconds(last, end);
    let at = policy.hours.add_working(last, target - before);
    // A calendar with no open hour for years: the clock does not run out.
    (before + policy.hours.working_seconds(last, at) >= target).then_some(at.max(as_of))
}

/// Working seconds in [start, end) with the pauses (pending, on hold, solved, closed) taken out:
/// what a clock over that span has used, `target_seconds - remaining_seconds` of its [`Clock`].
pub fn working_elapsed(hours: &Hours, start: Timestamp, end: Timestamp, timeline: &Timeline) -> i64 {
    running_segments(start, end.max(start), timeline)
        .into_iter()
        .map(|(from, to)| hours.working_seconds(from, to))
        .sum()
}

/// The clock the queue shows: breached or soonest due among those still running.
pub fn next_due(clocks: &[Clock]) -> Option<&Clock> {
    clocks
        .iter()
        .filter(|c| c.state != ClockState::Met && c.stopped_at.is_none())
        .min_by_key(|c| (c.state == ClockState::Paused, c.remaining_seconds))
}

/// Working segments of [start, end) with the pauses taken out.
fn running_segments(start: Timestamp, end: Timestamp, timeline: &Timeline) -> Vec<(Timestamp, Timestamp)> {
    let mut segments = Vec::new();
    let mut from = start;
    for (p_start, p_end) in timeline.pauses() {
        let p_end = p_end.unwrap_or(end);
        if p_end <= from || p_start >= end {
            continue;
        }
        if p_start > from {
            segments.push((from, p_start));
        }
        from = from.max(p_end);
    }
    if from < end {
        segments.push((from, end));
    }
    segments
}

/// What a clock has used: its state, the working seconds left, and where it ran out (the
/// running segment's start and what was left of the target there).
struct Usage {
    state: ClockState,
    remaining: i64,
    paused: bool,
    end: Timestamp,
    ran_out: Option<(Timestamp, i64)>,
}

fn usage(
    target: i64,
    start: Timestamp,
    stop: Option<Timestamp>,
    policy: &Policy,
    timeline: &Timeline,
    now: Timestamp,
) -> Usage {
    let end = stop.unwrap_or(now).max(start);
    let mut elapsed = 0;
    let mut ran_out = None;
    for (from, to) in running_segments(start, end, timeline) {
        let worked = policy.hours.working_seconds(from, to);
        if ran_out.is_none() && elapsed + worked >= target {
            ran_out = Some((from, target - elapsed));
        }
        elapsed += worked;
    }
    let remaining = target - elapsed;
    let paused = stop.is_none() && timeline.pauses().last().is_some_and(|(_, end)| end.is_none());
    let state = match (stop, remaining) {
        (_, r) if r < 0 => ClockState::Breached,
        // A running clock at its due second has run out.
        (None, 0) if !paused => ClockState::Breached,
        (Some(_), _) => ClockState::Met,
        _ if paused => ClockState::Paused,
        (None, r) if r * 4 <= target => ClockState::Warning,
        _ => ClockState::Ok,
    };
    Usage { state, remaining, paused, end, ran_out }
}

fn clock(
    kind: ClockKind,
    target: i64,
    start: Timestamp,
    stop: Option<Timestamp>,
    policy: &Policy,
    timeline: &Timeline,
    now: Timestamp,
) -> Clock {
    let u = usage(target, start, stop, policy, timeline, now);
    let due_at = match u.ran_out {
        Some((from, left)) => Some(policy.hours.add_working(from, left)),
        None if !u.paused => Some(policy.hours.add_working(u.end, u.remaining)),
        None => None,
    };
    Clock { kind, state: u.state, target_seconds: target, remaining_seconds: u.remaining, due_at, stopped_at: stop }
}

/// A countdown like `12m`, `3h`, `2d`, `5w`, `2y`, or `-20m` once overdue: four characters at most.
pub fn countdown(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.abs();
    let body = match s {
        // Overdue rounds up, so a breach never reads as `-0m`.
        s if s < 3_600 && seconds < 0 => format!("{}m", (s + 59) / 60),
        s if s < 3_600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h", s / 3_600),
        // Then weeks and years, so a long overdue ticket still fits the queue's column.
        s if s < 14 * 86_400 => format!("{}d", s / 86_400),
        s if s < 100 * 7 * 86_400 => format!("{}w", s / (7 * 86_400)),
        s => format!("{}y", s / (365 * 86_400)),
    };
    format!("{sign}{body}")
}

/// One sentence that explains a clock, e.g. "first response due Tue 10:30 CET, 45 business minutes
/// left"; the due time on the agent's clock (`zone`), whatever zone the business hours are in.
pub fn explain(clock: &Clock, hours: &Hours, zone: super::when::Zone) -> String {
    let unit = if matches!(hours, Hours::Business(_)) { "business minutes" } else { "minutes" };
    let minutes = clock.remaining_seconds.abs() / 60;
    let due = clock.due_at.map(|t| zone.format(t, "%a %H:%M %Z")).unwrap_or_else(|| "paused".into());
    let label = clock.kind.label();
    match clock.state {
        ClockState::Met => format!("{label} met, {minutes} {unit} to spare"),
        ClockState::Breached => format!("{label} was due {due}, {minutes} {unit} over"),
        ClockState::Paused => format!("{label} paused, {minutes} {unit} left"),
        _ => format!("{label} due {due}, {minutes} {unit} left"),
    }
}

/// A snooze with no time: the ticket sleeps until the customer writes (stored as the last second
/// of the year 9999, so the store's ordering and queries need no special case).
pub fn until_reply() -> Timestamp {
    chrono::DateTime::from_timestamp(253_402_300_799, 0).unwrap_or_default()
}

/// The snooze ends only when the customer writes.
pub fn is_until_reply(t: Timestamp) -> bool {
    t >= until_reply()
}

/// Parse a target like `30m`, `4h`, `2d` or `90s` into seconds (checked, at most a year); the
/// error says what is wrong with it, to follow the text quoted.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let not_one = || "is not a duration like 30m, 4h or 2d".to_string();
    let split = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(not_one)?;
    let (number, unit) = text.split_at(split);
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return Err(not_one()),
    };
    let too_long = || format!("is longer than a target can be (at most {}d)", MAX_TARGET_SECONDS / 86_400);
    let n: i64 = number.parse().map_err(|_| if number.is_empty() { not_one() } else { too_long() })?;
    match n.checked_mul(scale) {
        Some(0) => Err("is no time at all; give a target above zero".into()),
        Some(seconds) if seconds <= MAX_TARGET_SECONDS => Ok(seconds),
        _ => Err(too_long()),
    }
}

/// The longest SLA target: a year (longer ones are a typo, and would run clocks past any date).
pub const MAX_TARGET_SECONDS: i64 = 366 * 86_400;

#[cfg(test)]
mod tests;
