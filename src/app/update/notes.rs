//! `E` in the profile: the customer's notes in `$EDITOR`, saved only over the notes the agent
//! opened; an edit someone else's save stopped is kept and shown beside theirs next time.

use crate::app::model::message::Effect;
use crate::app::model::profile::NotesEdit;
use crate::app::model::state::State;

/// Where the agent's unsaved edit starts, below the notes as they now are.
pub const UNSAVED_MARK: &str = "----- your edit, not saved (merge it above, then delete from this line) -----";

/// Open the customer's notes in `$EDITOR`, with the agent's unsaved edit below them if there is one.
pub fn edit_notes(state: &mut State) -> Vec<Effect> {
    let Some(conversation) = &state.conversation else {
        state.set_status("no ticket is open: pick one in the queue");
        return vec![];
    };
    let customer = &conversation.detail.customer;
    let seen = customer.notes.clone();
    let unsaved = state.profile.notes.take().filter(|n| n.customer == customer.id).and_then(|n| n.unsaved);
    let body = match &unsaved {
        Some(text) => format!("{}\n\n{UNSAVED_MARK}\n{text}", seen.trim_end()),
        None => seen.clone(),
    };
    state.profile.notes = Some(NotesEdit { customer: customer.id, seen, unsaved: None });
    vec![Effect::OpenEditor { body }]
}

/// The editor closed on the customer's notes: save them (`None` when the editor was not editing notes).
pub fn notes_edited(state: &mut State, text: Option<&str>) -> Option<Vec<Effect>> {
    // An edit someone else's save stopped waits for the next `E`; this editor was not on it.
    if state.profile.notes.as_ref().is_none_or(|n| n.unsaved.is_some()) {
        return None;
    }
    let edit = state.profile.notes.take()?;
    let Some(text) = text else {
        state.set_status("editor closed without changes; the notes are as they were");
        return Some(vec![]);
    };
    let ticket = state.open_ticket().map(|t| t.id)?;
    state.set_status("notes saved");
    let notes = text.trim_end().to_string();
    Some(vec![Effect::SaveNotes { customer: edit.customer, seen: edit.seen, notes, ticket }])
}

/// Someone saved the notes first: keep the agent's text for the next `E`, and show theirs.
pub fn on_refused(state: &mut State, customer: i64, notes: String, message: String) -> Vec<Effect> {
    state.set_error(format!("{message}: E opens theirs with yours below, to merge"));
    state.profile.notes = Some(NotesEdit { customer, seen: String::new(), unsaved: Some(notes) });
    state.open_ticket().map(|t| vec![Effect::LoadTicket(t.id)]).unwrap_or_default()
}
