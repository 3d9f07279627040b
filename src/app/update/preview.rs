//! The conversation and the profile follow the queue's cursor once it rests on a ticket.
//!
//! Each move only redraws two queue rows, a few hundred bytes over SSH; a preview repaints the
//! conversation and the profile, kilobytes. So a move starts a short timer and the ticket is loaded
//! only when the cursor is still there when it fires: holding `j` costs what it always did, and the
//! agent who stops reads the ticket without pressing Enter. With no ticket shown yet (the first
//! frame, a tab with nothing open), the one under the cursor is shown at once.

use crate::app::model::message::Effect;
use crate::app::model::state::{Pane, State};
use std::time::Duration;

/// How long the cursor rests before the ticket under it is shown: longer than a held key's repeat
/// (about 30 ms), shorter than a reader notices (about 150 ms).
pub const PREVIEW_DELAY: Duration = Duration::from_millis(120);

/// After any message: when the cursor is on another ticket than last time, show it at once if
/// nothing is shown, else start the timer.
pub fn follow(state: &mut State) -> Vec<Effect> {
    let under = state.queue.selected_ticket().map(|t| t.id);
    if under == state.preview.under_cursor {
        return vec![];
    }
    state.preview.under_cursor = under;
    state.preview.generation += 1;
    let Some(id) = under else { return vec![] };
    if !may_preview(state) || state.open_ticket().map(|t| t.id) == Some(id) {
        return vec![];
    }
    if state.conversation.is_none() {
        return vec![Effect::LoadTicket(id)];
    }
    vec![Effect::SchedulePreview { generation: state.preview.generation }]
}

/// Show the ticket under the cursor now, in the queue, without waiting for a rest (after a send,
/// or when the open ticket left the tab); a timer already running for it is dropped.
pub fn show_now(state: &mut State) -> Vec<Effect> {
    let Some(id) = state.queue.selected_ticket().map(|t| t.id) else { return vec![] };
    state.focus = Pane::Queue;
    state.preview.under_cursor = Some(id);
    state.preview.generation += 1;
    vec![Effect::LoadTicket(id)]
}

/// The timer fired: show the ticket under the cursor if the cursor has not moved since.
pub fn on_due(state: &mut State, generation: u64) -> Vec<Effect> {
    if generation != state.preview.generation || !may_preview(state) {
        return vec![];
    }
    match state.queue.selected_ticket().map(|t| t.id) {
        Some(id) if state.open_ticket().map(|t| t.id) != Some(id) => vec![Effect::LoadTicket(id)],
        _ => vec![],
    }
}

/// Only while the agent is in the queue with nothing half-done: a reply being written, a picker
/// or an action waiting for its ticket keep the ticket they are about.
fn may_preview(state: &State) -> bool {
    state.focus == Pane::Queue && state.composer.is_none() && state.overlay.is_none() && state.pending_action.is_none()
}
