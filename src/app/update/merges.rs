//! Merging (admins): the open ticket into another of the customer's, or the customer into the
//! same person under another address. Each asks first, naming both sides, and is written only if
//! both are still as the agent saw them.

use crate::app::model::message::Effect;
use crate::app::model::overlay::{Choice, Item, Overlay, OverlayKind, Question};
use crate::app::model::state::State;
use crate::app::model::text::truncate;
use crate::domain::text::for_display_line;
use crate::domain::{CustomerSummary, Status, Ticket};

/// Characters of a subject or a name a question shows.
const NAMED: usize = 24;

/// The picker of the customer's other tickets to merge the open one into.
pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(ticket) = super::open_ticket_or_say(state) else { return vec![] };
    if !state.agent.is_admin() {
        state.set_error("only an admin can merge tickets");
        return vec![];
    }
    let seen = super::seen_version(state).unwrap_or(ticket.version);
    state.overlay = Some(Overlay::new(OverlayKind::Merge, merge_items(state, &ticket, seen)));
    vec![]
}

/// The customer's other tickets that are not closed, each asking before the merge.
fn merge_items(state: &State, from: &Ticket, seen: i64) -> Vec<Item> {
    state
        .profile
        .tickets
        .iter()
        .filter(|t| t.id != from.id && t.status != Status::Closed)
        .map(|into| {
            let question = ticket_question(from, seen, into);
            Item::new(format!("#{}", into.id), subject(into), Choice::Ask(Box::new(question)))
        })
        .collect()
}

fn subject(ticket: &Ticket) -> String {
    truncate(&for_display_line(&ticket.subject), NAMED)
}

/// `merge #12 "Refund" into #9 "Refund please"? y/N`, for the tickets as drawn.
fn ticket_question(from: &Ticket, seen: i64, into: &Ticket) -> Question {
    let title = format!("merge #{} \"{}\" into #{} \"{}\"? y/N", from.id, subject(from), into.id, subject(into));
    let merge = Effect::MergeTickets { from: from.id, into: into.id, seen: (seen, into.version) };
    let said = format!("merging #{} into #{}…", from.id, into.id);
    let label = format!("merge: #{} closes, its messages move", from.id);
    Question {
        title,
        answers: vec![super::confirm::yes(label, vec![merge, Effect::LoadTicket(into.id)], said), super::confirm::no()],
    }
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
    this: CustomerSummary,
    found: Vec<CustomerSummary>,
) -> Vec<Effect> {
    let Some(ticket) = state.open_ticket().filter(|t| t.customer_id == customer).map(|t| t.id) else {
        return vec![];
    };
    if found.is_empty() {
        state.set_status("no other customer has this name or address (frontdesk customer merge joins any two)");
        return vec![];
    }
    let items = found
        .into_iter()
        .map(|c| {
            let detail = format!("{} · {} · customer {}", for_display_line(&c.email), tickets(c.tickets), c.id);
            let name = for_display_line(&c.name).into_owned();
            Item::new(name, detail, Choice::Ask(Box::new(customer_question(&this, c, ticket))))
        })
        .collect();
    state.overlay = Some(Overlay::new(OverlayKind::MergeCustomer, items));
    vec![]
}

fn tickets(n: u64) -> String {
    format!("{n} {}", if n == 1 { "ticket" } else { "tickets" })
}

/// `merge Carla Núñez (3 tickets) into Carla N. (5 tickets)? y/N`, for the customers as listed.
fn customer_question(from: &CustomerSummary, into: CustomerSummary, ticket: i64) -> Question {
    let name = |c: &CustomerSummary| truncate(&for_display_line(&c.name), NAMED);
    let title = format!(
        "merge {} ({}) into {} ({})? y/N",
        name(from),
        tickets(from.tickets),
        name(&into),
        tickets(into.tickets)
    );
    let label = format!("one customer with all their addresses, tickets and ratings: {}", name(&into));
    let said = format!("merging {} into {}…", name(from), name(&into));
    let merge = Effect::MergeCustomers { from: from.id, into: into.id, ticket, seen: Box::new((from.clone(), into)) };
    Question { title, answers: vec![super::confirm::yes(label, vec![merge], said), super::confirm::no()] }
}
