//! What the store gives a report of each ticket, and what the report makes of it: the same
//! timeline and the same clocks the queue and `ticket show` use.

use crate::domain::sla::{
    breach_moments, clock_uses, working_elapsed, ClockKind, ClockState, ClockUse, Hours, Policies, Timeline,
};
use crate::domain::{Channel, Priority, Status, Tier, Timestamp};

/// What a ticket is grouped by (`--by`), as it is now.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketGroups {
    pub assignee: Option<String>,
    pub tier: Tier,
    pub organization: Option<String>,
    pub tags: Vec<String>,
    pub channel: Channel,
    pub priority: Priority,
    /// The IMAP mailbox the ticket came in by.
    pub mailbox: Option<String>,
}

/// One ticket as the store reads it for a report.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketRecord {
    pub id: i64,
    pub groups: TicketGroups,
    /// It was opened because its customer wrote to a closed ticket.
    pub follows: bool,
    pub timeline: Timeline,
}

/// A ticket's CSAT rating (its latest).
#[derive(Debug, Clone, PartialEq)]
pub struct CsatRecord {
    pub ticket_id: i64,
    pub score: u8,
    pub good: bool,
    pub comment: String,
    pub at: Timestamp,
    pub groups: TicketGroups,
}

/// A customer's NPS answer.
#[derive(Debug, Clone, PartialEq)]
pub struct NpsRecord {
    pub customer_id: i64,
    pub score: u8,
    pub at: Timestamp,
}

/// A CSAT survey mailed for a ticket, and whether the ticket has a CSAT rating now.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyRecord {
    pub ticket_id: i64,
    pub sent_at: Timestamp,
    pub rated: bool,
    pub groups: TicketGroups,
}

/// A time measured on a ticket, and when the measure was taken (the reply, the solve).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measure {
    pub at: Timestamp,
    pub seconds: i64,
}

/// An SLA clock that stopped, and whether it was late.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub kind: ClockKind,
    pub at: Timestamp,
    pub breached: bool,
}

/// What a report counts of one ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketFacts {
    pub first_response: Option<Measure>,
    pub next_responses: Vec<Measure>,
    pub resolution: Option<Measure>,
    /// Calendar seconds its customer waited on us, measured when it was solved.
    pub customer_wait: Option<Measure>,
    pub outcomes: Vec<Outcome>,
    /// Running clocks past due now, on a ticket neither solved nor closed.
    pub breaching_now: Vec<ClockKind>,
    pub reopens: Vec<Timestamp>,
    /// Public replies up to the solve.
    pub replies_before_solve: usize,
    pub reopened_before_solve: bool,
}

/// What a report counts of one ticket, kept between reports: its facts, and of its timeline only
/// what the backlog (its statuses) and the heat map (its customers' later messages) still read.
/// It cannot change before the ticket's next event; of `now`, only whether a running clock is
/// past due depends on it, which [`Running`] holds as the moments they run out ([`kept_summary`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TicketSummary {
    pub facts: TicketFacts,
    /// The creation, every status change, and the customer messages after the opening one
    /// (`(at, false)`); our replies are left out.
    pub timeline: Timeline,
    /// Of a kept ticket neither solved nor closed, its running clocks; `None` for a solved or
    /// closed one, and for a summary worked out for one `now` only ([`summary`]).
    pub running: Option<Running>,
}

/// What a kept summary of a ticket neither solved nor closed needs of `now`.
#[derive(Debug, Clone, PartialEq)]
pub struct Running {
    /// The summary holds for every `now` from this moment on: no event of the ticket is later.
    pub as_of: Timestamp,
    /// Each running clock that is past due, or will be if nothing happens, and from when.
    pub breaches: Vec<(ClockKind, Timestamp)>,
}

impl TicketSummary {
    /// The summary as of `now` ([`TicketFacts::breaching_now`] then), or `None` when `now` is
    /// before the moment a kept summary holds from (work the ticket out from its events).
    pub fn at(mut self, now: Timestamp) -> Option<TicketSummary> {
        self.hold_at(now).then_some(self)
    }

    /// [`TicketSummary::at`] in place: `false` (and the summary unusable) when it does not hold.
    pub fn hold_at(&mut self, now: Timestamp) -> bool {
        if let Some(running) = &self.running {
            if now < running.as_of {
                return false;
            }
            self.facts.breaching_now.clear();
            self.facts.breaching_now.extend(running.breaches.iter().filter(|(_, at)| *at <= now).map(|(k, _)| *k));
        }
        true
    }

    /// The last moment the summary counts anything at: its creation, a status change, a
    /// customer's message, a measure or a clock's outcome. A report whose periods all begin after
    /// it counts nothing of the ticket, not even in a backlog: a solved ticket is in none after
    /// its last status change. `None` for a ticket neither solved nor closed: it counts at every
    /// later moment.
    pub fn last_counted_at(&self) -> Option<Timestamp> {
        if self.running.is_some() || is_active(self.timeline.status_now()) {
            return None;
        }
        let (f, t) = (&self.facts, &self.timeline);
        let measures = [f.first_response, f.resolution, f.customer_wait].into_iter().flatten();
        let moments = std::iter::once(t.created_at)
            .chain(t.statuses.iter().map(|(at, _)| *at))
            .chain(t.messages.iter().map(|(at, _)| *at))
            .chain(measures.chain(f.next_responses.iter().copied()).map(|m| m.at))
            .chain(f.outcomes.iter().map(|o| o.at))
            .chain(f.reopens.iter().copied());
        moments.max()
    }
}

/// Whether a ticket's summary no longer depends on `now`: it is solved or closed.
pub fn is_settled(status: Status) -> bool {
    !is_active(status)
}

/// The ticket's summary under `rules`: what [`crate::domain::report::Builder::add_ticket`] counts.
pub fn summary(record: &TicketRecord, rules: &Rules) -> TicketSummary {
    let t = &record.timeline;
    let created = t.created_at;
    let messages = t.messages.iter().filter(|(at, reply)| !reply && *at != created).copied().collect();
    TicketSummary {
        facts: facts(record, rules),
        timeline: Timeline { created_at: created, statuses: t.statuses.clone(), messages },
        running: None,
    }
}

/// The ticket's summary to keep: for a ticket neither solved nor closed, worked out as of
/// `rules.now` or its last event if that is later, with the moments its running clocks run out,
/// so that [`TicketSummary::at`] any later `now` gives [`summary`] at that `now`.
pub fn kept_summary(record: &TicketRecord, rules: &Rules) -> TicketSummary {
    let t = &record.timeline;
    if is_settled(t.status_now()) {
        return summary(record, rules);
    }
    let latest = t.statuses.iter().map(|(at, _)| *at).chain(t.messages.iter().map(|(at, _)| *at)).max();
    let as_of = latest.map_or(rules.now, |at| at.max(rules.now)).max(t.created_at);
    let at_rules = Rules { policies: rules.policies, default_hours: rules.default_hours, now: as_of };
    let mut kept = summary(record, &at_rules);
    kept.facts.breaching_now.clear();
    let policy = rules.policies.for_ticket(record.groups.priority, record.groups.tier);
    let breaches = policy.map(|p| breach_moments(p, t, as_of)).unwrap_or_default();
    kept.running = Some(Running { as_of, breaches });
    kept
}

/// The clocks' rules a report times tickets by.
pub struct Rules<'a> {
    pub policies: &'a Policies,
    /// The hours of a ticket without a policy (`sla.hours`).
    pub default_hours: &'a Hours,
    pub now: Timestamp,
}

pub fn is_active(status: Status) -> bool {
    !matches!(status, Status::Solved | Status::Closed)
}

pub fn facts(record: &TicketRecord, rules: &Rules) -> TicketFacts {
    let t = &record.timeline;
    let policy = rules.policies.for_ticket(record.groups.priority, record.groups.tier);
    let hours = policy.map_or(rules.default_hours, |p| &p.hours);
    let uses = policy.map(|p| clock_uses(p, t, rules.now)).unwrap_or_default();
    // A span's working time: what its clock used when it has one, else the same sum over the hours.
    let timed = |kind: ClockKind, start: Timestamp, end: Timestamp| {
        let clock = uses.iter().find(|u| u.kind == kind && u.start == start && u.stopped_at == Some(end));
        let seconds =
            clock.map_or_else(|| working_elapsed(hours, start, end, t), |u| u.target_seconds - u.remaining_seconds);
        Measure { at: end, seconds }
    };
    let solved = t.solved_at();
    let first_reply = t.messages.iter().find(|(_, reply)| *reply).map(|(at, _)| *at);
    let waits = t.next_response_waits();
    let reopens = reopens(t);
    let answered = waits.iter().filter_map(|(start, stop)| stop.map(|s| timed(ClockKind::NextResponse, *start, s)));
    TicketFacts {
        first_response: first_reply.map(|r| timed(ClockKind::FirstResponse, t.created_at, r)),
        next_responses: answered.collect(),
        resolution: solved.map(|s| timed(ClockKind::Resolution, t.created_at, s)),
        customer_wait: solved.map(|s| customer_wait(t, first_reply, &waits, s)),
        outcomes: uses.iter().filter_map(outcome).collect(),
        breaching_now: uses
            .iter()
            .filter(|u| u.stopped_at.is_none() && u.state == ClockState::Breached && is_active(t.status_now()))
            .map(|u| u.kind)
            .collect(),
        replies_before_solve: solved.map_or(0, |s| t.messages.iter().filter(|(at, r)| *r && *at <= s).count()),
        reopened_before_solve: solved.is_some_and(|s| reopens.iter().any(|r| *r < s)),
        reopens,
    }
}

fn outcome(u: &ClockUse) -> Option<Outcome> {
    u.stopped_at.map(|at| Outcome { kind: u.kind, at, breached: u.state == ClockState::Breached })
}

/// Calendar time the customer waited: from creation to our first reply, then each wait, up to
/// the solve for one we never answered; pauses not counted.
fn customer_wait(
    t: &Timeline,
    first_reply: Option<Timestamp>,
    waits: &[(Timestamp, Option<Timestamp>)],
    solved: Timestamp,
) -> Measure {
    let end = |stop: Option<Timestamp>| stop.unwrap_or(solved).min(solved);
    let mut seconds = working_elapsed(&Hours::Calendar, t.created_at, end(first_reply), t);
    for (start, stop) in waits {
        seconds += working_elapsed(&Hours::Calendar, *start, end(*stop), t);
    }
    Measure { at: solved, seconds }
}

/// When the ticket went from solved or closed back to work.
fn reopens(t: &Timeline) -> Vec<Timestamp> {
    let mut out = Vec::new();
    let mut before = Status::New;
    for &(at, status) in &t.statuses {
        if !is_active(before) && is_active(status) {
            out.push(at);
        }
        before = status;
    }
    out
}

/// Whether the ticket was in the backlog at `at`, and since when it had existed.
pub fn backlog_age(t: &Timeline, at: Timestamp) -> Option<i64> {
    (t.created_at < at && is_active(t.status_at(at))).then(|| (at - t.created_at).num_seconds())
}
