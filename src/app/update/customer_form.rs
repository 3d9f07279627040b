//! `c` in the profile: the customer form. Tab moves between the fields, Ctrl-S saves what the
//! agent changed (on the store worker), Esc on a changed form asks first. A save that finds the
//! customer changed by someone else meanwhile saves nothing: the form then shows their changes
//! in the fields the agent left alone, says what changed, and a second Ctrl-S saves the agent's.

use super::record_form;
use crate::app::model::customer_form::{CustomerField, CustomerForm};
use crate::app::model::key::KeyEvent;
use crate::app::model::message::Effect;
use crate::app::model::state::State;
use crate::domain::text::for_display_line;
use crate::domain::Customer;

pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(conversation) = &state.conversation else {
        state.set_status("no ticket is open: pick one in the queue");
        return vec![];
    };
    let form = CustomerForm::new(&conversation.detail.customer);
    state.set_status(format!("editing {}: Tab next field · Ctrl-S save", for_display_line(&form.seen.name)));
    state.customer_form = Some(form);
    vec![]
}

pub fn on_key(state: &mut State, event: KeyEvent) -> Vec<Effect> {
    let Some(form) = state.customer_form.as_mut() else { return vec![] };
    let key = record_form::on_key(&mut form.form, event, "the customer");
    match record_form::after_key(state, key, |s| &mut s.customer_form) {
        true => save(state),
        false => vec![],
    }
}

pub fn on_paste(state: &mut State, text: &str) -> Vec<Effect> {
    if let Some(form) = state.customer_form.as_mut() {
        record_form::on_paste(&mut form.form, text);
    }
    vec![]
}

/// Ctrl-S: send the fields the agent changed; a field that cannot be read is named and focused.
fn save(state: &mut State) -> Vec<Effect> {
    let Some(ticket) = state.open_ticket().map(|t| t.id) else { return vec![] };
    let Some(form) = state.customer_form.as_mut() else { return vec![] };
    if form.form.saving {
        return vec![];
    }
    let change = match form.change() {
        Ok(change) => change,
        Err(problem) => {
            form.form.field = CustomerField::Tier;
            state.set_error(problem);
            return vec![];
        }
    };
    if change.is_empty() {
        state.customer_form = None;
        state.set_status("nothing changed; the customer is as they were");
        return vec![];
    }
    form.form.saving = true;
    vec![Effect::SaveCustomer { seen: Box::new(form.seen.clone()), change, ticket }]
}

/// Saved: the form closes and the profile shows the customer as they now are.
pub fn on_saved(state: &mut State, customer: &Customer, ticket: i64) -> Vec<Effect> {
    state.customer_form = None;
    state.set_status(format!("saved {}", for_display_line(&customer.name)));
    super::refresh_after_write(state, ticket)
}

/// Not saved: the form stays with the agent's text; when someone changed the customer
/// meanwhile, it takes their changes where the agent changed nothing.
pub fn on_refused(state: &mut State, message: String, now: Option<Customer>) -> Vec<Effect> {
    let Some(form) = state.customer_form.as_mut() else {
        state.set_error(message);
        return vec![];
    };
    form.form.saving = false;
    let rebased = now.map(|now| form.rebase(&now)).is_some();
    state.set_error(record_form::refused(message, rebased));
    vec![]
}
