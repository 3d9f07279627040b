//! How a ticket moves through its life: what a new message does to it, where a mail for it goes,
//! which status changes are allowed, when the customer waits on us and when a snoozed ticket is
//! back. The store applies these.

use super::{MessageKind, Status, Ticket, Timestamp};

/// What adding one message does to its ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageEffect {
    /// The status the ticket moves to, when it moves.
    pub status: Option<Status>,
    /// The customer wrote: a snooze ends.
    pub ends_snooze: bool,
    /// The desk's first public reply: the ticket's first response time.
    pub first_response: bool,
}

/// What a message of `kind` does to a ticket in `status`; `answered` says whether the ticket has
/// had a public reply before.
pub fn after_message(status: Status, kind: MessageKind, answered: bool) -> MessageEffect {
    MessageEffect {
        status: status_after_message(status, kind),
        ends_snooze: ends_snooze(kind),
        first_response: kind == MessageKind::Reply && !answered,
    }
}

/// The first reply opens a new ticket; the customer writing reopens one waiting on them or solved.
/// Notes and system lines (auto-replies, bounces among them) move nothing, and closed stays closed.
pub fn status_after_message(status: Status, kind: MessageKind) -> Option<Status> {
    match (kind, status) {
        (MessageKind::Reply, Status::New) => Some(Status::Open),
        (MessageKind::Customer, Status::Pending | Status::Solved) => Some(Status::Open),
        _ => None,
    }
}

/// A snooze lasts until its time or until the customer writes, whichever comes first.
pub fn ends_snooze(kind: MessageKind) -> bool {
    kind == MessageKind::Customer
}

/// Where a mail threaded onto an existing ticket is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailPlace {
    /// On the ticket it matched.
    Matched,
    /// On a new ticket that follows the matched one.
    FollowUp,
}

/// The customer writing about a closed ticket starts a follow-up; anything else, and any mail from
/// a machine, goes on the matched ticket (where it moves nothing).
pub fn place_of_mail(matched: Status, kind: MessageKind) -> MailPlace {
    match (matched, kind) {
        (Status::Closed, MessageKind::Customer) => MailPlace::FollowUp,
        _ => MailPlace::Matched,
    }
}

/// Any status may follow any other, except that a closed ticket stays closed.
pub fn may_move(from: Status, to: Status) -> bool {
    from == to || from != Status::Closed
}

/// A snoozed ticket is back: its snooze has ended and nobody has touched it since.
pub fn woke_up(ticket: &Ticket, snoozed_until: Timestamp, now: Timestamp) -> bool {
    snoozed_until <= now && ticket.updated_at <= snoozed_until
}

/// The customer waits on us from their oldest public message since our last public reply: their
/// message starts the wait (or keeps an older one), our public reply ends it, and notes and system
/// lines (auto-replies and bounces among them) leave it as it is.
pub fn wait_after_message(waiting_since: Option<Timestamp>, kind: MessageKind, at: Timestamp) -> Option<Timestamp> {
    match kind {
        MessageKind::Customer => Some(waiting_since.map_or(at, |since| since.min(at))),
        MessageKind::Reply => None,
        MessageKind::Note | MessageKind::System => waiting_since,
    }
}

/// Setting a ticket pending, solved or closed says nobody owes the customer an answer now, so the
/// wait ends (their next message starts a new one), and a ticket in one of these waits on nobody
/// (the customer writing on a closed ticket starts no wait on it). On hold keeps the wait: the
/// customer still waits on us, though [`needs_reply`] leaves the ticket out while a third party
/// has it.
pub fn wait_after_status(waiting_since: Option<Timestamp>, to: Status) -> Option<Timestamp> {
    match to {
        Status::Pending | Status::Solved | Status::Closed => None,
        Status::New | Status::Open | Status::OnHold => waiting_since,
    }
}

/// Two conversations made one: the customer waits since the older of the two waits, if either.
pub fn wait_after_merge(into: Option<Timestamp>, from: Option<Timestamp>) -> Option<Timestamp> {
    match (into, from) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The ticket is ours to answer now: the customer waits, it is new or open (not waiting on the
/// customer or a third party, not done) and not snoozed.
pub fn needs_reply(
    status: Status,
    waiting_since: Option<Timestamp>,
    snoozed_until: Option<Timestamp>,
    now: Timestamp,
) -> bool {
    waiting_since.is_some()
        && matches!(status, Status::New | Status::Open)
        && snoozed_until.is_none_or(|until| until <= now)
}

#[cfg(test)]
mod tests;
