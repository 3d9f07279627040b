//! The reply guard in the console: a send that would cross another agent's message is stopped,
//! the new messages shown, the draft kept; the agent sends anyway, edits, or discards.

use crate::app::model::message::Effect;
use crate::app::model::state::{Pane, State};
use crate::domain::MessageKind;

/// The newest customer message, reply or note of the open conversation.
pub fn last_seen(state: &State) -> Option<i64> {
    let conversation = state.conversation.as_ref()?;
    conversation.detail.messages.iter().filter(|m| m.kind != MessageKind::System).map(|m| m.id).max()
}

/// The send was stopped: show the new messages, keep the draft, and let the next send go through.
pub fn on_send_stopped(state: &mut State, ticket: i64, newest: i64, message: String) -> Vec<Effect> {
    let mut effects = crate::app::update::composer::flush_draft(state);
    if let Some(composer) = state.composer.as_mut().filter(|c| c.ticket_id == ticket) {
        composer.last_seen = Some(newest);
        composer.sending = false;
        composer.dirty = true;
        composer.stopped = true;
        effects.extend(crate::app::update::composer::flush_draft(state));
    }
    if let Some(conversation) = state.conversation.as_mut() {
        conversation.scroll_from_bottom = 0;
    }
    let mut keys = state.keymap.naming(crate::app::model::keymap::Context::Composer);
    let text = format!(
        "{message}: {} sends anyway, keep editing, or {} discards the draft",
        keys.key(crate::app::model::action::Action::Send),
        keys.key(crate::app::model::action::Action::DiscardDraft)
    );
    let named = keys.named();
    state.set_error_naming(text, named);
    if state.open_ticket().map(|t| t.id) == Some(ticket) {
        effects.push(Effect::LoadTicket(ticket));
    }
    effects
}

/// Throw away the reply or note being written, and its saved draft.
pub fn discard(state: &mut State) -> Vec<Effect> {
    let Some(composer) = state.composer.take() else { return vec![] };
    state.focus = Pane::Conversation;
    state.set_status(format!("{} discarded", crate::app::model::composer::kind_name(composer.kind)));
    vec![Effect::DeleteDraft { ticket: composer.ticket_id }]
}
