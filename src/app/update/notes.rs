//! `E` in the profile: the customer's notes in `$EDITOR`.

use crate::app::model::message::Effect;
use crate::app::model::state::State;

/// Open the customer's notes in `$EDITOR`.
pub fn edit_notes(state: &mut State) -> Vec<Effect> {
    let Some(conversation) = &state.conversation else {
        state.set_status("no ticket is open: pick one in the queue");
        return vec![];
    };
    let customer = &conversation.detail.customer;
    let body = customer.notes.clone();
    state.profile.facts.editing_notes = Some(customer.id);
    vec![Effect::OpenEditor { body }]
}

/// The editor closed on the customer's notes: save them (`None` when the editor was not editing notes).
pub fn notes_edited(state: &mut State, text: Option<&str>) -> Option<Vec<Effect>> {
    let customer = state.profile.facts.editing_notes.take()?;
    let Some(text) = text else {
        state.set_status("editor closed without changes; the notes are as they were");
        return Some(vec![]);
    };
    let ticket = state.open_ticket().map(|t| t.id)?;
    state.set_status("notes saved");
    Some(vec![Effect::SaveNotes { customer, notes: text.trim_end().to_string(), ticket }])
}
