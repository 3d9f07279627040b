//! The reply guard in the console: a send that would cross another agent's message is stopped,
//! the new messages shown, the draft kept; the agent sends anyway, edits, or discards.

use super::msg::Effect;
use super::state::{Pane, State};
use crate::domain::text::for_display_line;
use crate::domain::{MessageKind, Ticket};

/// The newest customer message, reply or note of the open conversation.
pub fn last_seen(state: &State) -> Option<i64> {
    let conversation = state.conversation.as_ref()?;
    conversation.detail.messages.iter().filter(|m| m.kind != MessageKind::System).map(|m| m.id).max()
}

/// The send was stopped: show the new messages, keep the draft, and let the next send go through.
pub fn on_send_stopped(state: &mut State, ticket: i64, newest: i64, message: String) -> Vec<Effect> {
    let mut effects = super::input::flush_draft(state);
    if let Some(composer) = state.composer.as_mut().filter(|c| c.ticket_id == ticket) {
        composer.last_seen = Some(newest);
        composer.dirty = true;
        effects.extend(super::input::flush_draft(state));
    }
    if let Some(conversation) = state.conversation.as_mut() {
        conversation.scroll_from_bottom = 0;
    }
    state.set_error(format!("{message}: Ctrl-S sends anyway, keep editing, or Ctrl-X discards the draft"));
    if state.open_ticket().map(|t| t.id) == Some(ticket) {
        effects.push(Effect::LoadTicket(ticket));
    }
    effects
}

/// Throw away the reply or note being written, and its saved draft.
pub fn discard(state: &mut State) -> Vec<Effect> {
    let Some(composer) = state.composer.take() else { return vec![] };
    state.focus = Pane::Conversation;
    state.set_status(format!("{} discarded", super::input::kind_name(composer.kind)));
    vec![Effect::DeleteDraft { ticket: composer.ticket_id }]
}

/// A change to `ticket` lost a race: keep the ticket as this console had it, to say what changed.
pub fn remember_before_conflict(state: &mut State, ticket: i64) {
    state.before_conflict = state.open_ticket().filter(|t| t.id == ticket).cloned();
}

/// The ticket that lost a race came back from the store: add what the other agent changed to the
/// conflict's message.
pub fn explain_conflict(state: &mut State, now: &Ticket) {
    let Some(before) = state.before_conflict.take_if(|t| t.id == now.id) else { return };
    let changes = what_changed(&before, now);
    if changes.is_empty() {
        return;
    }
    let said = state.status.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    let said = said.trim_end_matches("; reload and try again");
    state.set_error(format!("{said}: {}; nothing of yours was applied", changes.join(", ")));
}

fn what_changed(before: &Ticket, now: &Ticket) -> Vec<String> {
    let mut changes = Vec::new();
    if before.status != now.status {
        changes.push(format!("status {} → {}", before.status, now.status));
    }
    if before.priority != now.priority {
        changes.push(format!("priority {} → {}", before.priority, now.priority));
    }
    if before.assignee != now.assignee {
        let who = |a: &Option<String>| a.as_deref().map_or("nobody".to_string(), |a| for_display_line(a).into_owned());
        changes.push(format!("owner {} → {}", who(&before.assignee), who(&now.assignee)));
    }
    for tag in now.tags.iter().filter(|t| !before.tags.contains(t)) {
        changes.push(format!("tag #{} added", for_display_line(tag)));
    }
    for tag in before.tags.iter().filter(|t| !now.tags.contains(t)) {
        changes.push(format!("tag #{} removed", for_display_line(tag)));
    }
    changes
}
