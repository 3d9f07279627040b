//! Console actions of issue 6: snooze (`z`), rate (`R`) and canned replies in the composer (Ctrl-T).

use super::action::Action;
use super::msg::Effect;
use super::overlay::{Choice, Item, Overlay, OverlayKind};
use super::state::State;
use crate::domain::satisfaction::Csat;
use crate::domain::template::{render, Context};
use crate::domain::text::for_display_line;
use crate::domain::Status;

/// How long `z` snoozes for; 0 means until the customer writes, however long that takes.
const SNOOZES: &[(&str, i64)] = &[
    ("1 hour", 3_600),
    ("4 hours", 4 * 3_600),
    ("1 day", 86_400),
    ("3 days", 3 * 86_400),
    ("1 week", 7 * 86_400),
    ("until the customer writes", 0),
];

pub fn open_picker(state: &mut State, action: Action) -> Vec<Effect> {
    let Some(ticket) = state.open_ticket() else {
        state.set_status("no ticket is open: pick one in the queue");
        return vec![];
    };
    let (kind, items) = match action {
        Action::Snooze if !ticket.status.is_active() => {
            state.set_error(format!("#{} is {}; only active tickets snooze", ticket.id, ticket.status));
            return vec![];
        }
        Action::Snooze => (OverlayKind::Snooze, snooze_items()),
        Action::MergeTicket if !state.agent.is_admin() => {
            state.set_error("only an admin can merge tickets");
            return vec![];
        }
        Action::MergeTicket => (OverlayKind::Merge, merge_items(state, ticket.id)),
        Action::Rate => (OverlayKind::Rate, rate_items(matches!(ticket.status, Status::Solved | Status::Closed))),
        _ if state.composer.is_none() => {
            state.set_status("canned replies go into the composer: press r to reply first");
            return vec![];
        }
        _ => (OverlayKind::Macro, macro_items(state)),
    };
    state.overlay = Some(Overlay::new(kind, items));
    vec![]
}

fn item(label: String, detail: String, choice: Choice) -> Item {
    Item { label, detail, current: false, choice }
}

fn snooze_items() -> Vec<Item> {
    SNOOZES
        .iter()
        .map(|(label, secs)| {
            // A detail must not repeat the last label: the picker matches details too, and typing
            // "until the" matched all six while every detail read "or until the customer writes".
            let detail =
                if *secs == 0 { "no time: only their answer wakes it" } else { "sooner if the customer writes" };
            item(label.to_string(), detail.into(), Choice::Snooze(*secs))
        })
        .collect()
}

/// CSAT answers for a solved ticket, then NPS answers (0–10) for the customer.
fn rate_items(solved: bool) -> Vec<Item> {
    let mut items = Vec::new();
    if solved {
        items.push(item("good".into(), "CSAT: satisfied".into(), Choice::Rate(Csat::Good)));
        items.push(item("bad".into(), "CSAT: not satisfied".into(), Choice::Rate(Csat::Bad)));
        items.extend((1..=5).rev().map(|s| {
            let detail = if s >= 4 { "CSAT: counts as good" } else { "CSAT: counts as bad" };
            item(format!("{s}/5"), detail.into(), Choice::Rate(Csat::Score(s)))
        }));
    }
    items.extend((0..=10).rev().map(|s| {
        let kind = match s {
            9..=10 => "promoter",
            7..=8 => "passive",
            _ => "detractor",
        };
        item(format!("NPS {s}"), format!("would recommend us: {kind}"), Choice::Nps(s))
    }));
    items
}

/// The customer's other tickets that are not closed.
fn merge_items(state: &State, current: i64) -> Vec<Item> {
    state
        .profile
        .tickets
        .iter()
        .filter(|t| t.id != current && t.status != Status::Closed)
        .map(|t| item(format!("#{}", t.id), for_display_line(&t.subject).into_owned(), Choice::MergeInto(t.id)))
        .collect()
}

fn macro_items(state: &State) -> Vec<Item> {
    state
        .macros
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let first = m.body.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            item(for_display_line(&m.name).into_owned(), for_display_line(first).into_owned(), Choice::Macro(i))
        })
        .collect()
}

pub fn apply(state: &mut State, choice: Choice) -> Vec<Effect> {
    let Some(ticket) = state.open_ticket().cloned() else { return vec![] };
    match choice {
        Choice::Snooze(secs) => {
            let until = match secs {
                0 => crate::domain::sla::until_reply(),
                secs => state.now + chrono::Duration::seconds(secs),
            };
            vec![Effect::Snooze { id: ticket.id, until }]
        }
        Choice::Rate(csat) => vec![Effect::Rate { id: ticket.id, csat }],
        Choice::Nps(score) => vec![Effect::Nps { customer: ticket.customer_id, score, ticket: ticket.id }],
        Choice::Macro(i) => insert_macro(state, i),
        Choice::MergeInto(into) => {
            state.set_status(format!("#{} merged into #{into}", ticket.id));
            vec![Effect::MergeTickets { from: ticket.id, into }, Effect::LoadTicket(into)]
        }
        Choice::MergeCustomerInto(into) => {
            vec![Effect::MergeCustomers { from: ticket.customer_id, into, ticket: ticket.id }]
        }
        _ => vec![],
    }
}

/// Fill in the canned reply's placeholders and insert it; a placeholder that cannot be filled
/// inserts nothing and says why.
fn insert_macro(state: &mut State, index: usize) -> Vec<Effect> {
    let (Some(reply), Some(conversation)) = (state.macros.get(index), &state.conversation) else { return vec![] };
    let context = Context::new(&conversation.detail.customer, &conversation.detail.ticket, &state.agent);
    let name = reply.name.clone();
    let change = match reply.change(&state.agent.login) {
        Ok(change) => change,
        Err(e) => {
            state.set_error(format!("canned reply '{}' not inserted: {e}", for_display_line(&name)));
            return vec![];
        }
    };
    match render(&reply.body, &context) {
        Ok(text) => {
            let Some(composer) = state.composer.as_mut() else { return vec![] };
            composer.text.insert_str(text.trim_end());
            composer.dirty = true;
            let also = describe_change(&change);
            if !change.is_empty() {
                composer.actions.push((name.clone(), change));
            }
            state.set_status(match also {
                None => format!("canned reply '{}' inserted; Ctrl-S sends it", for_display_line(&name)),
                Some(also) => {
                    format!("canned reply '{}' inserted; Ctrl-S sends it and {also}", for_display_line(&name))
                }
            });
            super::input::flush_draft(state)
        }
        Err(e) => {
            state.set_error(format!("canned reply '{}' not inserted: {e}", for_display_line(&name)));
            vec![]
        }
    }
}

/// Open the customer's notes in `$EDITOR`.
pub fn edit_notes(state: &mut State) -> Vec<Effect> {
    let Some(conversation) = &state.conversation else {
        state.set_status("no ticket is open: pick one in the queue");
        return vec![];
    };
    let customer = &conversation.detail.customer;
    let body = customer.notes.clone();
    state.profile.keep.editing_notes = Some(customer.id);
    vec![Effect::OpenEditor { body }]
}

/// The editor closed on the customer's notes: save them (`None` when the editor was not editing notes).
pub fn notes_edited(state: &mut State, text: Option<&str>) -> Option<Vec<Effect>> {
    let customer = state.profile.keep.editing_notes.take()?;
    let Some(text) = text else {
        state.set_status("editor closed without changes; the notes are as they were");
        return Some(vec![]);
    };
    let ticket = state.open_ticket().map(|t| t.id)?;
    state.set_status("notes saved");
    Some(vec![Effect::SaveNotes { customer, notes: text.trim_end().to_string(), ticket }])
}

/// `M` in the profile: look for customers who may be the open ticket's customer under another
/// address, to merge into (admins).
pub fn find_similar_customers(state: &mut State) -> Vec<Effect> {
    let Some(ticket) = state.open_ticket() else {
        state.set_status("no ticket is open: pick one in the queue");
        return vec![];
    };
    if !state.agent.is_admin() {
        state.set_error("only an admin can merge customers");
        return vec![];
    }
    vec![Effect::FindSimilarCustomers { customer: ticket.customer_id }]
}

/// The customers found: a picker to merge into, or why there is none.
pub fn on_similar_customers(
    state: &mut State,
    customer: i64,
    found: Vec<crate::domain::CustomerSummary>,
) -> Vec<Effect> {
    if state.open_ticket().map(|t| t.customer_id) != Some(customer) {
        return vec![];
    }
    if found.is_empty() {
        state.set_status("no other customer has this name or address (frontdesk customer merge joins any two)");
        return vec![];
    }
    let items = found
        .iter()
        .map(|c| {
            let tickets = if c.tickets == 1 { "ticket" } else { "tickets" };
            let detail = format!("{} · {} {tickets} · customer {}", for_display_line(&c.email), c.tickets, c.id);
            item(for_display_line(&c.name).into_owned(), detail, Choice::MergeCustomerInto(c.id))
        })
        .collect();
    state.overlay = Some(Overlay::new(OverlayKind::MergeCustomer, items));
    vec![]
}

/// Pending tickets whose customer has not answered for `days`: offer to solve them (once the
/// console opens), or say how many were solved.
pub fn on_stale(state: &mut State, count: usize, days: u32, solved: bool) -> Vec<Effect> {
    let tickets = if count == 1 { "ticket" } else { "tickets" };
    if solved {
        state.set_status(format!("solved {count} pending {tickets} the customer left unanswered for {days} days"));
        return vec![Effect::LoadCounts, Effect::ReloadQueue { view: state.view, rows: state.queue.rows.len() }];
    }
    if count > 0 && state.status.is_none() {
        // Short enough for an 80-column status line, with the command to run.
        state.set_status(format!("{count} pending {tickets} unanswered {days}+ days (:solve_stale)"));
    }
    vec![]
}

/// What a canned reply's actions do, as the end of a sentence: "sets status solved, adds tag vip".
fn describe_change(change: &crate::domain::TicketChange) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(status) = change.status {
        parts.push(format!("sets status {status}"));
    }
    if let Some(priority) = change.priority {
        parts.push(format!("sets priority {priority}"));
    }
    match &change.assignee {
        Some(Some(login)) => parts.push(format!("assigns {}", for_display_line(login))),
        Some(None) => parts.push("unassigns".to_string()),
        None => {}
    }
    for tag in &change.add_tags {
        parts.push(format!("adds tag {}", for_display_line(tag)));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The message was sent: what the canned replies in it change on the ticket, as effects.
pub fn after_send(actions: Vec<(String, crate::domain::TicketChange)>, ticket: i64) -> Vec<Effect> {
    actions.into_iter().map(|(name, change)| Effect::ApplyMacro { ticket, name, change }).collect()
}
