//! How a ticket moves through its life: what a new message does to it, where a mail for it goes,
//! which status changes are allowed and when a snoozed ticket is back. The store applies these.

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

#[cfg(test)]
mod tests;
