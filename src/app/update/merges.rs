//! Merging (admins): the open ticket into another of the customer's, or the customer into the
//! same person under another address.

use crate::app::model::message::Effect;
use crate::app::model::overlay::{Choice, Item, Overlay, OverlayKind};
use crate::app::model::state::State;
use crate::domain::text::for_display_line;
use crate::domain::{CustomerSummary, Status};

/// The picker of the customer's other tickets to merge the open one into.
pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(ticket) = super::open_ticket_or_say(state) else { return vec![] };
    if !state.agent.is_admin() {
        state.set_error("only an admin can merge tickets");
        return vec![];
    }
    state.overlay = Some(Overlay::new(OverlayKind::Merge, merge_items(state, ticket.id)));
    vec![]
}

/// The customer's other tickets that are not closed.
fn merge_items(state: &State, current: i64) -> Vec<Item> {
    state
        .profile
        .tickets
        .iter()
        .filter(|t| t.id != current && t.status != Status::Closed)
        .map(|t| Item::new(format!("#{}", t.id), for_display_line(&t.subject).into_owned(), Choice::MergeInto(t.id)))
        .collect()
}

/// Merge the open ticket into ticket `into`, and show that one.
pub fn into_ticket(state: &mut State, into: i64) -> Vec<Effect> {
    let Some(from) = state.open_ticket().map(|t| t.id) else { return vec![] };
    state.set_status(format!("#{from} merged into #{into}"));
    vec![Effect::MergeTickets { from, into }, Effect::LoadTicket(into)]
}

/// Merge the open ticket's customer into customer `into`.
pub fn into_customer(state: &State, into: i64) -> Vec<Effect> {
    let Some(t) = state.open_ticket() else { return vec![] };
    vec![Effect::MergeCustomers { from: t.customer_id, into, ticket: t.id }]
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
pub fn on_similar_customers(state: &mut State, customer: i64, found: Vec<CustomerSummary>) -> Vec<Effect> {
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
            Item::new(for_display_line(&c.name).into_owned(), detail, Choice::MergeCustomerInto(c.id))
        })
        .collect();
    state.overlay = Some(Overlay::new(OverlayKind::MergeCustomer, items));
    vec![]
}
