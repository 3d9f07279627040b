//! Changing the open ticket: status, priority, assignee, tags.

use crate::app::model::action::Action;
use crate::app::model::message::Effect;
use crate::app::model::overlay::{Choice, Item, Overlay, OverlayKind};
use crate::app::model::state::State;
use crate::domain::{Priority, Status, Ticket, TicketChange};

pub fn open(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(ticket) = state.open_ticket() else {
        state.set_status("no ticket is open: pick one in the queue");
        return vec![];
    };
    let (kind, items) = items(state, action, ticket);
    let mut overlay = Overlay::new(kind, items);
    overlay.seen_version = super::seen_version(state);
    state.overlay = Some(overlay);
    vec![]
}

/// The picker `action` opens, with `ticket`'s values marked as current.
pub(super) fn items(state: &State, action: Action, ticket: &Ticket) -> (OverlayKind, Vec<Item>) {
    match action {
        Action::SetStatus => (OverlayKind::Status, status_items(ticket)),
        Action::SetPriority => (OverlayKind::Priority, priority_items(ticket)),
        Action::Assign => (OverlayKind::Assign, assignee_items(state, ticket)),
        _ => (OverlayKind::Tags, tag_items(state, ticket)),
    }
}

fn status_items(ticket: &Ticket) -> Vec<Item> {
    Status::ALL
        .iter()
        .map(|s| Item {
            label: s.as_str().to_string(),
            detail: status_hint(*s).to_string(),
            current: *s == ticket.status,
            choice: Choice::Status(*s),
        })
        .collect()
}

fn status_hint(status: Status) -> &'static str {
    match status {
        Status::New => "not looked at yet",
        Status::Open => "being worked on",
        Status::Pending => "waiting on the customer",
        Status::OnHold => "waiting on a third party",
        Status::Solved => "answered; reopens if the customer writes",
        Status::Closed => "final",
    }
}

fn priority_items(ticket: &Ticket) -> Vec<Item> {
    Priority::ALL
        .iter()
        .rev()
        .map(|p| Item {
            label: p.as_str().to_string(),
            detail: String::new(),
            current: *p == ticket.priority,
            choice: Choice::Priority(*p),
        })
        .collect()
}

fn assignee_items(state: &State, ticket: &Ticket) -> Vec<Item> {
    let me = &state.agent.login;
    let mut items = vec![Item {
        label: format!("{me} (me)"),
        detail: state.agent.name.clone(),
        current: ticket.assignee.as_deref() == Some(me),
        choice: Choice::Assignee(Some(me.clone())),
    }];
    items.extend(state.agents.iter().filter(|a| a.active && &a.login != me).map(|a| Item {
        label: a.login.clone(),
        detail: a.name.clone(),
        current: ticket.assignee.as_deref() == Some(&a.login),
        choice: Choice::Assignee(Some(a.login.clone())),
    }));
    items.push(Item {
        label: "nobody".into(),
        detail: "unassign".into(),
        current: ticket.assignee.is_none(),
        choice: Choice::Assignee(None),
    });
    items
}

fn tag_items(state: &State, ticket: &Ticket) -> Vec<Item> {
    let mut items: Vec<Item> = ticket
        .tags
        .iter()
        .map(|t| Item { label: t.clone(), detail: "remove".into(), current: true, choice: Choice::Tag(t.clone()) })
        .collect();
    items.extend(state.known_tags.iter().filter(|t| !ticket.tags.contains(t)).map(|t| Item {
        label: t.clone(),
        detail: "add".into(),
        current: false,
        choice: Choice::Tag(t.clone()),
    }));
    items
}

/// Assign the open ticket to me.
pub fn take(state: &mut State) -> Vec<Effect> {
    let Some(ticket) = state.open_ticket() else {
        state.set_status("no ticket is open: pick one in the queue");
        return vec![];
    };
    // Taken from the queue, the owner and version checked are the ones its row showed when T was
    // pressed, not what the load that opened it brought.
    let seen = state.seen_row.as_ref().filter(|row| row.id == ticket.id).unwrap_or(ticket);
    vec![Effect::Claim { ticket: ticket.id, seen_owner: seen.assignee.clone(), version: seen.version }]
}

/// The picker's choice for the open ticket, written against `seen`, the version the picker was
/// opened on (the ticket's own when not known).
pub fn apply(state: &mut State, choice: Choice, seen: Option<i64>) -> Vec<Effect> {
    if super::marks::applies(state) {
        return super::marks::apply(state, choice);
    }
    let Some(ticket) = state.open_ticket() else {
        state.set_status("no ticket is open: pick one in the queue");
        return vec![];
    };
    let mut change = TicketChange::default();
    match choice {
        Choice::Status(s) => change.status = Some(s),
        Choice::Priority(p) => change.priority = Some(p),
        Choice::Assignee(a) => change.assignee = Some(a),
        Choice::Tag(tag) if ticket.tags.contains(&tag) => change.remove_tags.push(tag),
        Choice::Tag(tag) => change.add_tags.push(tag),
        // The other pickers' choices are applied by their own files (see `overlay::choose`).
        Choice::Run(_)
        | Choice::Nothing
        | Choice::Snooze(_)
        | Choice::Rate(_)
        | Choice::Nps(_)
        | Choice::Macro(_)
        | Choice::Ask(_)
        | Choice::Do { .. }
        | Choice::SnoozeUntil(_)
        | Choice::Say(_)
        | Choice::SaveAttachment(_)
        | Choice::OpenAttachment(_)
        | Choice::DeleteTicket(_)
        | Choice::Spam(_)
        | Choice::EditAgent(_) => return vec![],
    }
    vec![Effect::UpdateTicket { id: ticket.id, version: seen.unwrap_or(ticket.version), change }]
}
