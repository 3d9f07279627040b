//! `o` in the profile: the organization form, for the open ticket's customer's organization, or
//! for a new one they are put in when they are in none. The keys, the check against a change
//! made meanwhile and the y/N before throwing changes away are those of every record form;
//! Ctrl-D deletes the organization (admins), after a y/N naming it and how many customers it has.

use super::record_form;
use crate::app::model::key::{KeyCode, KeyEvent, KeyModifiers};
use crate::app::model::message::Effect;
use crate::app::model::organization_form::{OrganizationField, OrganizationForm};
use crate::app::model::state::State;
use crate::domain::text::for_display_line;
use crate::domain::Organization;

pub fn open(state: &mut State) -> Vec<Effect> {
    let Some(conversation) = &state.conversation else {
        state.set_status("no ticket is open: pick one in the queue");
        return vec![];
    };
    let customer = &conversation.detail.customer;
    if customer.organization.is_none() {
        let (id, name) = (customer.id, customer.name.clone());
        return on_opened(state, None, id, &name);
    }
    vec![Effect::OpenOrganization { customer: customer.id }]
}

/// The organization was read (or the customer is in none): the form opens on it.
pub fn on_opened(state: &mut State, org: Option<Organization>, customer: i64, name: &str) -> Vec<Effect> {
    let form = OrganizationForm::new(org.as_ref(), customer, name);
    state.set_status(match &org {
        Some(o) => format!("editing {}: Tab next field · Ctrl-S save", for_display_line(&o.name)),
        None => format!("{} is in no organization: a new one, Ctrl-S creates it", for_display_line(name)),
    });
    state.organization_form = Some(form);
    vec![]
}

pub fn on_key(state: &mut State, event: KeyEvent) -> Vec<Effect> {
    let Some(form) = state.organization_form.as_mut() else { return vec![] };
    if event.code == KeyCode::Char('d') && event.modifiers.contains(KeyModifiers::CONTROL) && !form.form.confirm_discard
    {
        return delete(state);
    }
    let key = record_form::on_key(&mut form.form, event, "the organization");
    match record_form::after_key(state, key, |s| &mut s.organization_form) {
        true => save(state),
        false => vec![],
    }
}

pub fn on_paste(state: &mut State, text: &str) -> Vec<Effect> {
    if let Some(form) = state.organization_form.as_mut() {
        record_form::on_paste(&mut form.form, text);
    }
    vec![]
}

fn save(state: &mut State) -> Vec<Effect> {
    let Some(ticket) = state.open_ticket().map(|t| t.id) else { return vec![] };
    let Some(form) = state.organization_form.as_mut() else { return vec![] };
    if form.form.saving {
        return vec![];
    }
    let save = match form.save() {
        Ok(Some(save)) => save,
        Ok(None) => {
            state.organization_form = None;
            state.set_status("nothing changed; the organization is as it was");
            return vec![];
        }
        Err(problem) => {
            form.form.field = OrganizationField::Tier;
            state.set_error(problem);
            return vec![];
        }
    };
    form.form.saving = true;
    vec![Effect::SaveOrganization { seen: form.seen.clone().map(Box::new), save, customer: form.customer, ticket }]
}

/// Ctrl-D: read the organization again and count its customers, for the question.
fn delete(state: &mut State) -> Vec<Effect> {
    let Some(form) = state.organization_form.as_ref() else { return vec![] };
    let Some(seen) = &form.seen else {
        state.set_error("nothing to delete: this organization is not created yet (Esc closes the form)");
        return vec![];
    };
    if !state.agent.is_admin() {
        state.set_error("only an admin can delete organizations: ask one");
        return vec![];
    }
    vec![Effect::AskDeleteOrganization { organization: seen.id }]
}

/// Ask before deleting `org`, naming it and how many customers it has.
pub fn ask_delete(state: &mut State, org: &Organization, customers: usize) -> Vec<Effect> {
    let Some(ticket) = state.open_ticket().map(|t| t.id) else { return vec![] };
    if state.organization_form.is_none() {
        return vec![];
    }
    let name = crate::app::model::text::truncate(&for_display_line(&org.name), 30);
    let them = match customers {
        0 => "no customers".to_string(),
        1 => "1 customer".to_string(),
        n => format!("{n} customers"),
    };
    let title = format!("Delete organization {} {name} ({them})? y/N", org.id);
    let stay = if customers == 0 { String::new() } else { format!("; {them} stay, in no organization") };
    let effects = vec![Effect::DeleteOrganization { organization: org.id, ticket }];
    let yes = super::confirm::yes(format!("delete it{stay}"), effects, format!("deleting organization {name}…"));
    super::confirm::ask_question(
        state,
        crate::app::model::overlay::Question { title, answers: vec![yes, super::confirm::no()] },
    );
    vec![]
}

/// Deleted: the form closes and the profile shows the customer in no organization.
pub fn on_deleted(state: &mut State, org: &Organization, customers: usize, ticket: i64) -> Vec<Effect> {
    state.organization_form = None;
    let them = match customers {
        0 => "it had no customers".to_string(),
        1 => "its customer is in no organization now".to_string(),
        n => format!("its {n} customers are in no organization now"),
    };
    state.set_status(format!("deleted organization {} {}; {them}", org.id, for_display_line(&org.name)));
    super::refresh_after_write(state, ticket)
}

/// Saved: the form closes and the profile shows the organization as it now is.
pub fn on_saved(state: &mut State, org: &Organization, ticket: i64) -> Vec<Effect> {
    state.organization_form = None;
    state.set_status(format!("saved organization {} {}", org.id, for_display_line(&org.name)));
    super::refresh_after_write(state, ticket)
}

/// Not saved: the form stays with the agent's text; when someone changed the organization
/// meanwhile, it takes their changes where the agent changed nothing.
pub fn on_refused(state: &mut State, message: String, now: Option<Organization>) -> Vec<Effect> {
    let Some(form) = state.organization_form.as_mut() else {
        state.set_error(message);
        return vec![];
    };
    form.form.saving = false;
    let rebased = now.map(|now| form.rebase(&now)).is_some();
    state.set_error(record_form::refused(message, rebased));
    vec![]
}
